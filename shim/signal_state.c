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
#include <sys/syscall.h>

#include "signal_state.h"
#include "spinlock.h"
#include "state.h"
#include "arch-api.h"
#include "sudcompat.h"

static struct sud_ksigaction app_action;
static sud_sigaction_fn *real_handler;
static int action_lock;
static bool owned;

/*
 * The handler starts with every signal but SIGSYS blocked: the selector is
 * read as the kernel reads it, at syscall entry, before any asynchronous
 * handler can change it; and a fault reading it kills like the kernel's
 * force_exit_sig(SIGSEGV), since a blocked synchronous SIGSEGV is fatal.
 */
static long install_real_action(unsigned long app_flags)
{
	struct sud_ksigaction act = {
		.handler = (void *)real_handler,
		.flags = SA_SIGINFO | SA_NODEFER | (app_flags & SA_ONSTACK),
		.mask = ~sud_sigbit(SIGSYS),
	};

	arch_ksigaction_set_restorer(&act);
	return sud_sys4(SYS_rt_sigaction, SIGSYS, &act, NULL, sizeof(uint64_t));
}

int sud_sigsys_take_over(sud_sigaction_fn *handler)
{
	long rc = 0;

	sud_spin_lock(&action_lock);
	if (!owned) {
		real_handler = handler;
		rc = sud_sys4(SYS_rt_sigaction, SIGSYS, NULL, &app_action, sizeof(uint64_t));
		if (!rc)
			rc = install_real_action(app_action.flags);
		owned = !rc;
	}
	sud_spin_unlock(&action_lock);
	return (int)rc;
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
		app_action = k;
		install_real_action(k.flags);
	}
	sud_spin_unlock(&action_lock);
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

typedef void (*sigaction_fn)(int, siginfo_t *, void *);
typedef void (*handler_fn)(int);

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

/*
 * Deliver @info as the kernel would to the application's action. A
 * synchronous SIGSYS (a dispatch, or a seccomp trap) is forced: blocked or
 * ignored, it kills. An asynchronous one the application blocks is made
 * pending, for rt_sigpending, rt_sigtimedwait and the next unblock point.
 */
void sud_sigsys_deliver(siginfo_t *info, ucontext_t *uc)
{
	bool forced = info->si_code == SYS_USER_DISPATCH || info->si_code == SYS_SECCOMP;
	struct sud_thread *self = &sud_self;
	struct sud_ksigaction act;
	bool was_blocked = self->sigsys_blocked;
	uint64_t mask;

	/* blocked signals are never ignored: the action may change before the unblock */
	if (was_blocked && !forced) {
		make_pending(self, info);
		return;
	}
	sud_spin_lock(&action_lock);
	act = app_action;
	/* the kernel resets the handler alone: the flags read back as they were set */
	if ((act.flags & SA_RESETHAND) && act.handler != SIG_IGN && act.handler != SIG_DFL)
		app_action.handler = SIG_DFL;
	sud_spin_unlock(&action_lock);

	if (act.handler == SIG_IGN && !forced)
		return;
	if (act.handler == SIG_DFL || act.handler == SIG_IGN || (was_blocked && forced))
		sud_die_by(SIGSYS);

	self->sigsys_blocked = was_blocked || !(act.flags & SA_NODEFER) ||
			       (act.mask & sud_sigbit(SIGSYS));
	mask = (sud_uc_mask(uc) | act.mask) & ~sud_sigbit(SIGSYS);
	sud_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &mask, NULL, sizeof(mask));
	if (act.flags & SA_SIGINFO)
		((sigaction_fn)act.handler)(SIGSYS, info, uc);
	else
		((handler_fn)act.handler)(SIGSYS);
	self->sigsys_blocked = was_blocked;
	/* the return from the handler is an unblock point, as the kernel's sigreturn */
	sud_sigsys_deliver_pending(uc);
}

void sud_sigsys_deliver_pending(ucontext_t *uc)
{
	siginfo_t info;

	if (!sud_self.sigsys_blocked && sud_sigsys_pending() && sud_sigsys_take_pending(&info))
		sud_sigsys_deliver(&info, uc);
}
