// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The SIGSYS owner.
 *
 * Once a thread is armed by the emulation, the library's handler is the
 * real SIGSYS action of the process and the application's is kept here,
 * virtually. SIGSYS is never really blocked on an armed thread (a blocked
 * RET_TRAP kills), so the application's blocked bit is virtual too.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>

#include "signal_state.h"
#include "fastpath.h"
#include "dropped_trap.h"
#include "spinlock.h"
#include "state.h"
#include "arch-api.h"
#include "sudcompat.h"

static struct sud_ksigaction app_action;
/* app_action's SA_ONSTACK, for the fast path's dispatch entry (trampoline.S) */
bool sud_sigsys_onstack;
static sud_sigaction_fn *real_handler;
static int action_lock;
static bool owned;
/*
 * Odd while app_action changes, under action_lock: the fast path reads it
 * without the lock (sud_sigsys_user_dispatch()), with signals open, where
 * a handler that takes the lock would wait for ever on the code it
 * interrupted.
 */
static unsigned int action_seq;

static void action_change_begin(void)
{
	__atomic_store_n(&action_seq, action_seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static void action_change_end(void)
{
	__atomic_store_n(&action_seq, action_seq + 1, __ATOMIC_RELEASE);
}

/* false when a change is under way, or came in between */
static bool action_read_unlocked(struct sud_ksigaction *act)
{
	unsigned int seq = __atomic_load_n(&action_seq, __ATOMIC_ACQUIRE);

	if (seq & 1)
		return false;
	*act = app_action;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&action_seq, __ATOMIC_RELAXED) == seq;
}

/*
 * The application's SA_ONSTACK and SA_RESTART: the kernel puts the frame,
 * which becomes the application's handler's, where it would have put that
 * one, and restarts what a SIGSYS interrupts as for the application's
 * action. The handler starts with every signal blocked, SIGSYS too: the
 * selector is read as the kernel reads it, at syscall entry, before any
 * asynchronous handler can change it; a fault reading it kills like the
 * kernel's force_exit_sig(SIGSEGV), since a blocked synchronous SIGSEGV is
 * fatal; and a signal that arrives while the library works waits, as one
 * that arrives during a syscall natively does, until the application's
 * context is back or a re-issued syscall opens its mask (reissue-call.h).
 * The library's own code never traps, so blocking SIGSYS there is safe;
 * wherever application code runs, the mask comes from a frame that never
 * holds SIGSYS.
 */
static long install_real_action(unsigned long app_flags)
{
	struct sud_ksigaction act = {
		.handler = (void *)real_handler,
		.flags = SA_SIGINFO | (app_flags & (SA_ONSTACK | SA_RESTART)),
		.mask = ~0ull,
	};

	arch_ksigaction_set_restorer(&act);
	return sud_sys4(SYS_rt_sigaction, SIGSYS, &act, NULL, sizeof(uint64_t));
}

static void push_reissue(struct sud_reissue *r, const ucontext_t *uc,
			 const struct sud_reissue *state)
{
	*r = *state;
	r->uc = uc;
	r->outer = sud_self.reissue;
	sud_self.reissue = r;
}

/*
 * A SIGSYS that the application blocks, and the library holds pending,
 * goes back to the kernel for the syscall, thread-directed with its
 * siginfo, so that what collects or waits for signals sees it (a read of a
 * signalfd, a poll on one): SIGSYS stays really blocked while the syscall
 * runs. If the syscall does not take it, the kernel delivers it to the
 * library's handler once the application's context is back, and it is
 * pending there again.
 */
static void expose_pending_sigsys(void)
{
	siginfo_t info;

	if (sud_self.sigsys_blocked && sud_sigsys_pending() && sud_sigsys_take_pending(&info))
		sud_queue_to_self(&info, 1);
}

/*
 * The real mask while the syscall runs is the application's, its virtual
 * SIGSYS bit included (no trap can come meanwhile), and @state's extra bits:
 * the trampoline opens it around the syscall alone, so that the handler of
 * a signal arriving meanwhile can be given the application's context.
 */
static long issue(struct sud_reissue_call *call, const ucontext_t *uc,
		  const struct sud_reissue *state, bool foreign)
{
	struct sud_reissue r;
	long ret;

	call->mask = sud_uc_mask(uc) | (state->sigsys_blocked ? sud_sigbit(SIGSYS) : 0) |
		     state->also_blocked;
	expose_pending_sigsys();
	push_reissue(&r, uc, state);
	r.call = call;
	ret = foreign ? arch_foreign_reissue(call, uc) : sud_tramp_reissue(call);
	sud_self.reissue = r.outer;
	return ret;
}

long sud_reissue(int nr, const unsigned long a[6], const ucontext_t *uc,
		 const struct sud_reissue *state)
{
	struct sud_reissue_call call = { .nr = nr };

	memcpy(call.a, a, sizeof(call.a));
	return issue(&call, uc, state, false);
}

long sud_reissue_foreign(int nr, const ucontext_t *uc, const struct sud_reissue *state)
{
	struct sud_reissue_call call = { .nr = nr };

	return issue(&call, uc, state, true);
}

enum reissue_point {
	NOT_IN_WINDOW,
	NOT_ISSUED,	/* the mask is open, the syscall not yet entered */
	RESTARTING,	/* the kernel set the syscall up to run again */
	RETURNED,	/* its result is in the return register */
	RESULT_STORED,	/* its result is in the call */
};

/* Where in a re-issue's window @ip is. */
static enum reissue_point reissue_point(unsigned long ip)
{
	const struct {
		const char *open, *ret, *close;
	} windows[2] = {
		{ sud_tramp_reissue_open, sud_tramp_reissue_ret, sud_tramp_reissue_close },
		{ sud_tramp_foreign_open, sud_tramp_foreign_ret, sud_tramp_foreign_close },
	};

	for (int i = 0; i < 2; i++) {
		unsigned long open = (unsigned long)windows[i].open;
		unsigned long ret = (unsigned long)windows[i].ret;
		unsigned long close = (unsigned long)windows[i].close;

		if (!open || ip < open || ip > close)
			continue;
		if (ip == ret - ARCH_SYSCALL_INSN_SIZE)
			return RESTARTING;
		if (ip < ret)
			return NOT_ISSUED;
		return ip == ret ? RETURNED : RESULT_STORED;
	}
	return NOT_IN_WINDOW;
}

void sud_reissue_state(struct sud_reissue *state)
{
	const struct sud_thread *self = &sud_self;

	state->also_blocked = 0;
	state->sigsys_blocked = self->sigsys_blocked;
	state->in_temporary_mask = self->in_temporary_mask;
	state->temporary_mask = self->temporary_mask;
}

/*
 * A handler is about to run on @uc. Where that interrupted a re-issued
 * syscall (or found it just returned), the frame becomes the application's
 * at its own syscall instruction, as the kernel would have built it: the
 * handler sees and may change the application's context, and its return
 * goes there. The library's frames below are left, with the emulation's
 * state as it was before the trap. Returns the virtual bit to record.
 */
static bool adopt_application_context(ucontext_t *uc)
{
	struct sud_thread *self = &sud_self;
	struct sud_reissue *r = self->reissue;
	const ucontext_t *app;

	if (!r)
		return self->sigsys_blocked;
	app = r->uc;
	switch (reissue_point(arch_uc_ip(uc))) {
	case NOT_IN_WINDOW:
		return self->sigsys_blocked;
	case NOT_ISSUED:
		/* as if the signal had come before the application's syscall instruction */
		arch_uc_adopt(uc, app, false);
		arch_uc_set_return(uc, arch_uc_return(app));
		arch_uc_set_ip(uc, arch_uc_ip(app) - ARCH_SYSCALL_INSN_SIZE);
		break;
	case RESTARTING:
		arch_uc_adopt(uc, app, true);
		break;
	case RESULT_STORED:
		arch_uc_set_return(uc, r->call->result);
		/* fall through */
	case RETURNED:
		arch_uc_adopt(uc, app, false);
		break;
	}
	sud_uc_set_mask(uc, sud_uc_mask(app) & ~sud_sigbit(SIGSYS));
	self->in_temporary_mask = r->in_temporary_mask;
	self->temporary_mask = r->temporary_mask;
	self->reissue = r->outer;
	return r->sigsys_blocked;
}

/*
 * Per signal, what the library keeps of another signal's action. Its
 * sa_mask must not hold SIGSYS in the kernel (a trap in the handler would
 * kill), and the frame the kernel builds must carry the virtual bit, which
 * the kernel's mask does not have: so for every handler the kernel gets
 * the library's entry (sud_masked_handler, asm.h), with SA_SIGINFO so that
 * it finds the frame, which records the bit, blocks SIGSYS virtually where
 * the sa_mask held it, and runs the application's handler on that frame.
 */
static struct sud_app_action other[65];
static int other_lock;

static bool is_handler(const void *handler)
{
	return handler != SIG_DFL && handler != SIG_IGN;
}

void sud_other_action_set(int sig, void **handler, unsigned long *flags, uint64_t *mask,
			  struct sud_app_action *was)
{
	const uint64_t bit = sud_sigbit(SIGSYS);
	struct sud_app_action now = { .sigsys_in_mask = *mask & bit };

	if (sig < 1 || sig > 64 || sig == SIGSYS || sig == SIGKILL || sig == SIGSTOP) {
		memset(was, 0, sizeof(*was));
		return;
	}
	if (is_handler(*handler)) {
		now.wrapped = true;
		now.handler = *handler;
		now.flags = *flags & SUD_UAPI_SA_FLAGS;
		*handler = (void *)sud_masked_handler;
		*flags |= SA_SIGINFO;
	}
	*mask &= ~bit;
	sud_spin_lock(&other_lock);
	*was = other[sig];
	other[sig] = now;
	sud_spin_unlock(&other_lock);
}

void sud_other_action_restore(int sig, const struct sud_app_action *was)
{
	if (sig < 1 || sig > 64)
		return;
	sud_spin_lock(&other_lock);
	other[sig] = *was;
	sud_spin_unlock(&other_lock);
}

void sud_other_action_get(int sig, struct sud_app_action *rec)
{
	memset(rec, 0, sizeof(*rec));
	if (sig < 1 || sig > 64)
		return;
	sud_spin_lock(&other_lock);
	*rec = other[sig];
	sud_spin_unlock(&other_lock);
}

void sud_other_action_view(const struct sud_app_action *was, void **handler, unsigned long *flags,
			   uint64_t *mask)
{
	/* SA_RESETHAND's reset leaves SIG_DFL in the kernel, and the flags as set */
	bool reset = *handler == SIG_DFL && (was->flags & SA_RESETHAND);

	if (was->wrapped && (*handler == (void *)sud_masked_handler || reset)) {
		if (!reset)
			*handler = was->handler;
		*flags = was->flags | (*flags & ~SUD_UAPI_SA_FLAGS);
	}
	if (was->sigsys_in_mask)
		*mask |= sud_sigbit(SIGSYS);
}

/*
 * The library's entry of a handler: record in the frame what the virtual
 * bit was, which the handler's trapped rt_sigreturn restores, and, as the
 * kernel, block SIGSYS for the handler where its sa_mask holds it. A
 * thread without the filter has no virtual bit: its return is not trapped.
 */
static void ignored(int sig)
{
	(void)sig;
}

/* A fault the kernel reports where it happened, not a signal sent by someone. */
static bool kernel_fault(int sig, const siginfo_t *info)
{
	return (sig == SIGSEGV || sig == SIGBUS) && info->si_code > 0 && info->si_code != SI_KERNEL;
}

void *sud_masked_enter(int sig, siginfo_t *info, ucontext_t *uc)
{
	struct sud_thread *self = &sud_self;
	struct sud_app_action rec;

	sud_forget_return();
	sud_fastpath_signal_arrived(uc);
	arch_adopt_in_place(uc);
	switch (sud_fastpath_adopt(uc, kernel_fault(sig, info))) {
	case SUD_FAST_SELECTOR_FAULT:
		sud_die_by(SIGSEGV);
	case SUD_FAST_FAULT_EXEMPT:
		return (void *)ignored;
	default:
		break;
	}
	sud_other_action_get(sig, &rec);
	if (self->filter != SUD_FILTER_NONE) {
		const uint64_t bit = sud_sigbit(SIGSYS);
		bool blocked = self->sigsys_blocked;

		/* it interrupted a syscall that ran with SIGSYS blocked: the handler must trap freely */
		if ((sud_uc_mask(uc) | (self->in_temporary_mask ? self->temporary_mask : 0)) & bit)
			sud_sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, &bit, NULL, sizeof(bit));
		if (adopt_application_context(uc))
			sud_uc_set_mask(uc, sud_uc_mask(uc) | sud_sigbit(SIGSYS));
		self->sigsys_blocked = blocked || rec.sigsys_in_mask;
	}
	/* an action changed since the kernel delivered: as if it had been ignored */
	return rec.wrapped ? rec.handler : (void *)ignored;
}

/*
 * Every action the process has already is taken in (sud_other_action_set()).
 * Run once, when the library takes SIGSYS over.
 */
static void virtualize_sa_masks(void)
{
	for (int sig = 1; sig <= 64; sig++) {
		struct sud_ksigaction act;
		struct sud_app_action was;

		if (sig == SIGSYS || sig == SIGKILL || sig == SIGSTOP ||
		    sud_sys4(SYS_rt_sigaction, sig, NULL, &act, sizeof(uint64_t)) ||
		    (!is_handler(act.handler) && !(act.mask & sud_sigbit(SIGSYS))))
			continue;
		sud_other_action_set(sig, &act.handler, &act.flags, &act.mask, &was);
		sud_sys4(SYS_rt_sigaction, sig, &act, NULL, sizeof(uint64_t));
	}
}

int sud_sigsys_take_over(sud_sigaction_fn *handler)
{
	long rc = 0;

	sud_spin_lock(&action_lock);
	if (!owned) {
		real_handler = handler;
		action_change_begin();
		rc = sud_sys4(SYS_rt_sigaction, SIGSYS, NULL, &app_action, sizeof(uint64_t));
		action_change_end();
		__atomic_store_n(&sud_sigsys_onstack, app_action.flags & SA_ONSTACK, __ATOMIC_RELAXED);
		if (!rc)
			rc = install_real_action(app_action.flags);
		if (!rc)
			virtualize_sa_masks();
		owned = !rc;
	}
	sud_spin_unlock(&action_lock);
	sud_fastpath_handler_set(is_handler(app_action.handler) ? app_action.handler : NULL);
	return (int)rc;
}

void sud_sigsys_before_take_over(void (*fn)(void))
{
	uint64_t all = ~0ull, mask;

	/* no handler of this thread may take the lock while it is held here */
	sud_sys4(SYS_rt_sigprocmask, SIG_BLOCK, &all, &mask, sizeof(mask));
	sud_spin_lock(&action_lock);
	if (!owned)
		fn();
	sud_spin_unlock(&action_lock);
	sud_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &mask, NULL, sizeof(mask));
}

bool sud_sigsys_owned(void)
{
	return __atomic_load_n(&owned, __ATOMIC_ACQUIRE);
}


/*
 * Read or replace the application's SIGSYS action; the caller copied it in
 * and out. What is kept is what the kernel's do_sigaction() keeps: only the
 * flags it knows, and a mask without SIGKILL and SIGSTOP.
 */
void sud_sigsys_exchange(const struct sud_ksigaction *act, struct sud_ksigaction *old)
{
	struct sud_ksigaction k = { .handler = NULL };

	if (act) {
		k = *act;
		k.flags &= SUD_UAPI_SA_FLAGS;
		k.mask &= ~(sud_sigbit(SIGKILL) | sud_sigbit(SIGSTOP));
	}
	sud_spin_lock(&action_lock);
	if (old)
		*old = app_action;
	if (act) {
		action_change_begin();
		app_action = k;
		action_change_end();
		__atomic_store_n(&sud_sigsys_onstack, k.flags & SA_ONSTACK, __ATOMIC_RELAXED);
		install_real_action(k.flags);
	}
	sud_spin_unlock(&action_lock);
	if (act)
		sud_fastpath_handler_set(is_handler(k.handler) ? k.handler : NULL);
}

void sud_die_by(int sig)
{
	struct sud_ksigaction dfl = { .handler = SIG_DFL };
	uint64_t bit = sud_sigbit(sig);

	sud_sys4(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(uint64_t));
	sud_sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, &bit, NULL, sizeof(uint64_t));
	sud_sys3(SYS_tgkill, sud_sys0(SYS_getpid), sud_sys0(SYS_gettid), sig);
	for (;;)
		sud_sys1(SYS_exit_group, 128 + sig);
}


/*
 * A standard signal does not queue: while one is pending, another is lost.
 * The kernel's SI_TKILL marks a thread-directed signal; every other
 * asynchronous one is taken as process-directed (rt_tgsigqueueinfo's
 * SI_QUEUE too), and waits for whichever thread unblocks or collects it.
 */
static void make_pending(struct sud_thread *self, const siginfo_t *info)
{
	struct sud_process *p = &sud_proc;

	if (info->si_code == SI_TKILL) {
		if (!self->sigsys_pending) {
			self->sigsys_info = *info;
			self->sigsys_pending = true;
		}
		return;
	}
	sud_spin_lock(&p->sigsys_lock);
	if (!p->sigsys_pending) {
		p->sigsys_info = *info;
		__atomic_store_n(&p->sigsys_pending, true, __ATOMIC_RELEASE);
	}
	sud_spin_unlock(&p->sigsys_lock);
}

bool sud_sigsys_pending(void)
{
	return sud_self.sigsys_pending || __atomic_load_n(&sud_proc.sigsys_pending, __ATOMIC_ACQUIRE);
}

bool sud_sigsys_take_pending(siginfo_t *info)
{
	struct sud_thread *self = &sud_self;
	struct sud_process *p = &sud_proc;
	bool taken = false;

	if (self->sigsys_pending) {
		*info = self->sigsys_info;
		self->sigsys_pending = false;
		return true;
	}
	if (!__atomic_load_n(&p->sigsys_pending, __ATOMIC_ACQUIRE))
		return false;
	sud_spin_lock(&p->sigsys_lock);
	if (p->sigsys_pending) {
		*info = p->sigsys_info;
		__atomic_store_n(&p->sigsys_pending, false, __ATOMIC_RELEASE);
		taken = true;
	}
	sud_spin_unlock(&p->sigsys_lock);
	return taken;
}

/* Where the handler returns: its sa_restorer, else the kernel's own trampoline; NULL: nowhere. */
static void *return_address(const struct sud_ksigaction *act)
{
	if (act->flags & SUD_SA_RESTORER)
		return sud_ksigaction_restorer(act);
	return (void *)sud_proc.sigreturn_start;
}

/*
 * The entry of @act's handler for a SIGSYS delivered with @blocked (the
 * virtual bit included): the blocked set it runs with, SIGSYS out of it
 * where the bit is virtual, and the virtual bit while it runs.
 */
static bool handler_entry(const struct sud_ksigaction *act, uint64_t blocked, bool virtual_bit,
			  struct sud_handler_entry *e)
{
	const uint64_t bit = sud_sigbit(SIGSYS);

	e->sig = SIGSYS;
	e->handler = act->handler;
	e->restorer = return_address(act);
	e->siginfo = act->flags & SA_SIGINFO;
	blocked |= act->mask;
	if (!(act->flags & SA_NODEFER))
		blocked |= bit;
	e->mask = virtual_bit ? blocked & ~bit : blocked;
	return blocked & bit;
}

/*
 * Deliver @info as the kernel would to the application's action, on the
 * frame the kernel built for the library's (@info and @uc are its): the
 * handler runs on it, and its return is the application's own rt_sigreturn.
 * @blocked is the thread's blocked set at delivery, the virtual SIGSYS
 * bit included. A synchronous SIGSYS (a dispatch, or a seccomp trap) is
 * forced: blocked or ignored, it kills. An asynchronous one the application
 * blocks is made pending, for rt_sigpending, rt_sigtimedwait and the next
 * unblock point. Returns only when no handler runs.
 */
static void deliver(siginfo_t *info, ucontext_t *uc, uint64_t blocked)
{
	const uint64_t bit = sud_sigbit(SIGSYS);
	bool forced = info->si_code == SYS_USER_DISPATCH || info->si_code == SYS_SECCOMP;
	struct sud_thread *self = &sud_self;
	/* without the filter, nothing traps the handler's return: SIGSYS is blocked for real */
	bool virtual_bit = self->filter != SUD_FILTER_NONE;
	struct sud_handler_entry e;
	struct sud_ksigaction act;
	bool sigsys_blocked;

	/* blocked signals are never ignored: the action may change before the unblock */
	if ((blocked & bit) && !forced) {
		make_pending(self, info);
		return;
	}
	sud_spin_lock(&action_lock);
	act = app_action;
	/* the kernel resets the handler alone: the flags read back as they were set */
	if ((act.flags & SA_RESETHAND) && act.handler != SIG_IGN && act.handler != SIG_DFL) {
		action_change_begin();
		app_action.handler = SIG_DFL;
		action_change_end();
	}
	sud_spin_unlock(&action_lock);

	if (act.handler == SIG_IGN && !forced)
		return;
	if (act.handler == SIG_DFL || act.handler == SIG_IGN || (blocked & bit))
		sud_die_by(SIGSYS);
	sigsys_blocked = handler_entry(&act, blocked, virtual_bit, &e);
	/* no way back: setup_rt_frame() fails, and the kernel forces SIGSEGV */
	if (!e.restorer)
		sud_die_by(SIGSEGV);
	/* the frame's uc_sigmask is what the handler's rt_sigreturn restores */
	if (adopt_application_context(uc))
		sud_uc_set_mask(uc, sud_uc_mask(uc) | bit);
	if (virtual_bit)
		self->sigsys_blocked = sigsys_blocked;
	arch_enter_handler(info, uc, &e);
}

/*
 * A dispatch the fast path delivers without a kernel signal (arch
 * fast_dispatch.c), @real the thread's blocked set, with signals open or
 * not (so without the lock): the application's handler, as deliver()
 * would run it, with the action's flags and whether SIGSYS is blocked while it runs; false for
 * what only the trap path does (a kill, SA_RESETHAND, no restorer).
 */
bool sud_sigsys_user_dispatch(uint64_t real, struct sud_handler_entry *e, unsigned long *flags,
			      bool *sigsys_blocked)
{
	const uint64_t bit = sud_sigbit(SIGSYS);
	const struct sud_thread *self = &sud_self;
	struct sud_ksigaction act;

	if (self->filter == SUD_FILTER_NONE || self->sigsys_blocked || self->in_temporary_mask ||
	    (real & bit))
		return false;
	if (!action_read_unlocked(&act) || !is_handler(act.handler) ||
	    (act.flags & SA_RESETHAND) || !return_address(&act))
		return false;
	*sigsys_blocked = handler_entry(&act, real, true, e);
	*flags = act.flags;
	return true;
}

void sud_sigsys_user_dispatched(bool sigsys_blocked)
{
	sud_forget_return();
	sud_self.sigsys_blocked = sigsys_blocked;
}

/*
 * The blocked set at delivery is the frame's saved mask, or, in a sleep
 * with a temporary mask, that one (the kernel saved the other). On a
 * thread with the filter, the real SIGSYS bit is only ever the library's.
 */
void sud_sigsys_deliver(siginfo_t *info, ucontext_t *uc)
{
	const struct sud_thread *self = &sud_self;
	uint64_t blocked;

	/* a stub or an entry of the fast path, or a syscall in place, stands for the application's */
	arch_adopt_in_place(uc);
	sud_fastpath_adopt(uc, false);
	blocked = self->in_temporary_mask && sud_uc_in_trampoline(uc) ? self->temporary_mask :
		  sud_uc_mask(uc);

	if (self->filter != SUD_FILTER_NONE) {
		blocked &= ~sud_sigbit(SIGSYS);
		blocked |= self->sigsys_blocked ? sud_sigbit(SIGSYS) : 0;
	}
	deliver(info, uc, blocked);
}

bool sud_sigsys_interrupt_sleep(ucontext_t *uc, uint64_t temporary)
{
	const uint64_t bit = sud_sigbit(SIGSYS);
	siginfo_t *info = sud_frame_siginfo(uc);

	if ((temporary & bit) || !sud_sigsys_pending() || !sud_sigsys_take_pending(info))
		return false;
	arch_uc_set_return(uc, -EINTR);
	if (sud_self.sigsys_blocked)
		sud_uc_set_mask(uc, sud_uc_mask(uc) | bit);
	deliver(info, uc, temporary);
	return true;
}

/*
 * An unblock point: a SIGSYS pending in the library is handed back to the
 * kernel, thread-directed with its siginfo, while SIGSYS is really blocked
 * (no trap may come until the library's handler returns). The kernel
 * delivers it once the context the handler returns to unblocks it, on that
 * context's stack, to the library's handler, which finds it unblocked.
 */
void sud_sigsys_release_pending(void)
{
	const uint64_t bit = sud_sigbit(SIGSYS);
	siginfo_t info;

	if (sud_self.sigsys_blocked || !sud_sigsys_pending())
		return;
	sud_sys4(SYS_rt_sigprocmask, SIG_BLOCK, &bit, NULL, sizeof(bit));
	if (sud_sigsys_take_pending(&info))
		sud_queue_to_self(&info, 1);
}

void sud_queue_to_self(const siginfo_t *info, int n)
{
	long pid = sud_sys0(SYS_getpid), tid = sud_sys0(SYS_gettid);

	for (int i = 0; i < n; i++)
		sud_sys4(SYS_rt_tgsigqueueinfo, pid, tid, info[i].si_signo, &info[i]);
}
