// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The seccomp emulation's entry points: the SUD prctl of a thread that
 * carries no filter yet (from the front), and the SIGSYS handler, through
 * which every syscall the filter traps comes in.
 *
 * Arming installs a filter on that thread alone (no TSYNC: SUD is per
 * thread). A filter cannot be removed, so disarming only clears the
 * state, and a new range stacks a filter that traps everything outside
 * the trampoline; the handler re-checks the range. The SUD prctl of a
 * thread that carries the filter is trapped, and re-arms from the handler.
 */
#include <errno.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/seccomp.h>

#include "seccomp_fallback.h"
#include "altstack.h"
#include "bpf_builder.h"
#include "app_filters.h"
#include "compat_syscalls.h"
#include "dropped_trap.h"
#include "fastpath.h"
#include "filter.h"
#include "pristine.h"
#include "rules.h"
#include "signal_state.h"
#include "signal_syscalls.h"
#include "special_syscalls.h"
#include "spinlock.h"
#include "state.h"
#include "usercopy.h"
#include "arch-api.h"
#include "sudcompat.h"

static void sigsys_handler(int sig, siginfo_t *info, void *ucv);

static int process_init(void)
{
	static int done;
	static int init_lock;
	int rc = 0;

	if (__atomic_load_n(&done, __ATOMIC_ACQUIRE))
		return sud_pristine_start();
	sud_spin_lock(&init_lock);
	if (!done) {
		sud_process_resolve();
		sud_fastpath_init();
		rc = sud_sigsys_take_over(sigsys_handler);
		if (!rc)
			__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	}
	sud_spin_unlock(&init_lock);
	/* per process: a fork child has no helper until it arms a thread */
	return rc ? rc : sud_pristine_start();
}

int sud_seccomp_available(void)
{
	unsigned int trap = SECCOMP_RET_TRAP;
	long rc = sud_sys1(SYS_prctl, PR_GET_SECCOMP);

	if (sud_is_error(rc))
		return EINVAL;
	rc = sud_sys3(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &trap);
	return sud_is_error(rc) ? EINVAL : 0;
}

static struct sud_filter_spec filter_spec(const struct sud_config *range)
{
	struct sud_filter_spec spec = {
		.tramp_start = (unsigned long)sud_trampoline_start,
		.tramp_end = (unsigned long)sud_trampoline_end,
		.range = *range,
	};

	sud_fastpath_trap_window(&spec.trap_start, &spec.trap_end);
	return spec;
}

static long install_filter(const struct sud_config *range)
{
	struct sud_filter_spec spec = filter_spec(range);
	struct sock_fprog prog;
	struct bpfb *b;
	long rc;

	rc = bpfb_map(&b);
	if (rc)
		return rc;
	rc = sud_filter_build(&spec, b, &prog);
	if (rc)
		goto out;
	/* CAP_SYS_ADMIN may install without no_new_privs; everyone else needs it */
	rc = sud_sys3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
	if (rc == -EACCES) {
		/* the application's children must not inherit it (shim/pristine.c) */
		if (!sud_sys5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
			sud_self.nnp_ours = true;
		rc = sud_sys3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
	}
	if (!rc)
		sud_self.own_filters++;
out:
	bpfb_unmap(b);
	return rc;
}

static bool same_range(const struct sud_config *a, const struct sud_config *b)
{
	return a->mode == b->mode && a->offset == b->offset && a->len == b->len;
}

/* Bring the installed filter in line with @cfg. */
static long refilter(struct sud_thread *self, const struct sud_config *cfg)
{
	struct sud_config none = { .mode = SUD_MODE_OFF };
	long rc;

	if (cfg->mode == SUD_MODE_OFF || self->filter == SUD_FILTER_TRAP_ALL)
		return 0;
	if (self->filter == SUD_FILTER_RANGE) {
		if (same_range(&self->filtered, cfg))
			return 0;
		rc = install_filter(&none);
		if (!rc)
			self->filter = SUD_FILTER_TRAP_ALL;
		return rc;
	}
	rc = install_filter(cfg);
	if (!rc) {
		self->filter = SUD_FILTER_RANGE;
		self->filtered = *cfg;
	}
	return rc;
}

/* Arming and re-arming alike: the filter first, then the state. */
static int apply(struct sud_thread *self, const struct sud_config *cfg)
{
	long rc = refilter(self, cfg);

	if (!rc) {
		self->cfg = *cfg;
		sud_fastpath_thread_changed(self);
	}
	return (int)rc;
}

/*
 * Arming: called from the application's context, on a thread without a
 * filter. The prctl is one syscall: no handler of this thread runs inside
 * it (it would find the process half set up), and none may land between
 * the filter and the state that says it is there (its syscalls would come
 * back as traps of a thread without the filter). Every signal is blocked
 * meanwhile; a real SIGSYS block of the thread becomes the virtual one.
 */
int sud_seccomp_set_dispatch(const struct sud_config *cfg)
{
	const uint64_t bit = sud_sigbit(SIGSYS);
	struct sud_thread *self = &sud_self;
	bool arming = cfg->mode != SUD_MODE_OFF;
	uint64_t all = ~0ull, mask;
	long rc = 0;

	if (arming) {
		rc = sud_seccomp_available();
		if (rc)
			return (int)-rc;
	}
	sud_sys4(SYS_rt_sigprocmask, SIG_BLOCK, &all, &mask, sizeof(mask));
	if (arming)
		rc = process_init();
	if (!rc)
		rc = apply(self, cfg);
	if (!rc && arming) {
		self->sigsys_blocked = mask & bit;
		mask &= ~bit;
	}
	sud_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &mask, NULL, sizeof(mask));
	return (int)rc;
}

static long reissue(int nr, const unsigned long a[6])
{
	return sud_tramp_syscall(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3],
				 (long)a[4], (long)a[5]);
}

/*
 * A filter of the application's own, installed on an armed thread: the
 * kernel gives it to what the thread creates, but the helper creates it;
 * recorded for the helper's children (app_filters.c). One that
 * synchronizes all threads (TSYNC) reaches the helper too.
 */
static long install_app_filter(int nr, const unsigned long a[6], unsigned long flags,
			       const void *uprog)
{
	struct sock_fprog prog;
	struct sock_filter *insns;
	const struct sud_app_filter *f;
	long rc, at;

	if (flags & SECCOMP_FILTER_FLAG_TSYNC)
		return reissue(nr, a);
	if (sud_copy_from_user(&prog, uprog, sizeof(prog)))
		return -EFAULT;
	if (!prog.len || prog.len > BPF_MAXINSNS)
		return -EINVAL;
	at = sud_sys6(SYS_mmap, 0, prog.len * sizeof(*insns), PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sud_is_error(at))
		return at;
	insns = (struct sock_filter *)at;
	rc = sud_copy_from_user(insns, prog.filter, prog.len * sizeof(*insns)) ? -EFAULT : 0;
	if (!rc) {
		struct sock_fprog copy = { .len = prog.len, .filter = insns };

		/* the copy is what the kernel checks and keeps: no change after the check */
		rc = nr == sud_proc.nr[SUD_SYS_seccomp] ?
		     sud_sys3(nr, SECCOMP_SET_MODE_FILTER, flags, &copy) :
		     sud_sys3(nr, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &copy);
		if (rc >= 0) {
			f = sud_app_filter_add(sud_self.app_filters, (unsigned int)flags, &copy);
			if (f)
				sud_self.app_filters = f;
		}
	}
	sud_sys2(SYS_munmap, insns, prog.len * sizeof(*insns));
	return rc;
}

long sud_emulate_seccomp(int nr, const unsigned long a[6], ucontext_t *uc)
{
	(void)uc;
	if (a[0] != SECCOMP_SET_MODE_FILTER)
		return reissue(nr, a);
	return install_app_filter(nr, a, a[1], (const void *)a[2]);
}

/*
 * landlock_restrict_self() of an armed thread: recorded, after the seccomp
 * filters it installed before, for the new tasks the helper creates for it.
 */
long sud_emulate_landlock_restrict_self(int nr, const unsigned long a[6], ucontext_t *uc)
{
	const struct sud_app_filter *f;
	long rc = reissue(nr, a);

	(void)uc;
	if (rc)
		return rc;
	f = sud_app_landlock_add(sud_self.app_filters, (int)a[0], (unsigned int)a[1]);
	if (f)
		sud_self.app_filters = f;
	return rc;
}

/* landlock_add_rule() of an armed thread: a recorded domain's ruleset may have grown. */
long sud_emulate_landlock_add_rule(int nr, const unsigned long a[6], ucontext_t *uc)
{
	long rc = reissue(nr, a);

	(void)uc;
	if (!rc)
		sud_app_landlock_rule_added((int)a[0]);
	return rc;
}

/* Re-arming: the SUD prctl of an armed thread, trapped; the kernel's prctl takes its option as an int. */
static long sud_emulate_prctl(int nr, const unsigned long a[6], ucontext_t *uc)
{
	struct sud_config cfg;
	int rc;

	if ((int)a[0] == PR_SET_SECCOMP && a[1] == SECCOMP_MODE_FILTER)
		return install_app_filter(nr, a, 0, (const void *)a[2]);
	if ((int)a[0] == PR_SET_NO_NEW_PRIVS) {
		long ret = reissue(nr, a);

		/* from now on the application's own, and its children's */
		if (!ret)
			sud_self.nnp_ours = false;
		return ret;
	}
	if ((int)a[0] != PR_SET_SYSCALL_USER_DISPATCH) {
		long ret = reissue(nr, a);

		/* what the architecture's controls cannot tell afterwards */
		arch_inherit_prctl(&sud_self.arch, a, ret);
		arch_uc_after_prctl(uc, a, ret);
		return ret;
	}
	rc = sud_config_validate(a[1], a[2], a[3], (char *)a[4], &cfg);
	return rc ? rc : apply(&sud_self, &cfg);
}

typedef long emulation_fn(int nr, const unsigned long a[6], ucontext_t *uc);

/*
 * A trapped syscall at ALLOW: emulated by special_syscalls.h, or re-issued
 * from the trampoline with @also_blocked blocked besides the application's mask.
 */
static long run_syscall(int nr, ucontext_t *uc, uint64_t also_blocked)
{
	static emulation_fn *const emulations[SUD_NR_SPECIAL] = {
#define SUD_SPECIAL_EMULATION(name, trap, emulation, foreign) [SUD_SYS_##name] = emulation,
		SUD_SPECIAL_SYSCALLS(SUD_SPECIAL_EMULATION)
#undef SUD_SPECIAL_EMULATION
	};
	int special = sud_special_of(nr);
	struct sud_reissue state;
	unsigned long a[6];

	arch_uc_args(uc, a);

	if (special >= 0 && emulations[special])
		return emulations[special](nr, a, uc);
	sud_reissue_state(&state);
	state.also_blocked = also_blocked;
	return sud_reissue(nr, a, uc, &state);
}

#define SUD_COMPAT_FN_SUD_FOREIGN_COMPAT(name)	sud_compat_##name
#define SUD_COMPAT_FN_SUD_FOREIGN_SAME(name)	NULL
#define SUD_COMPAT_FN_SUD_FOREIGN_RAW(name)	NULL

/*
 * A trapped syscall of the foreign ABI at ALLOW (int $0x80 on x86-64): one
 * that the library handles itself (special_syscalls.h) runs in the native
 * emulation, where its layouts are the native ones, or through the compat
 * conversion; the rest is re-issued in that ABI from the trampoline.
 */
static long run_foreign_syscall(int nr, ucontext_t *uc)
{
	static emulation_fn *const emulations[SUD_NR_SPECIAL] = {
#define SUD_SPECIAL_EMULATION(name, trap, emulation, foreign) [SUD_SYS_##name] = emulation,
		SUD_SPECIAL_SYSCALLS(SUD_SPECIAL_EMULATION)
#undef SUD_SPECIAL_EMULATION
	};
	static emulation_fn *const compat[SUD_NR_SPECIAL] = {
#define SUD_SPECIAL_COMPAT(name, trap, emulation, foreign) \
		[SUD_SYS_##name] = SUD_COMPAT_FN_##foreign(name),
		SUD_SPECIAL_SYSCALLS(SUD_SPECIAL_COMPAT)
#undef SUD_SPECIAL_COMPAT
	};
	static const enum sud_foreign how[SUD_NR_SPECIAL] = {
#define SUD_SPECIAL_FOREIGN(name, trap, emulation, foreign) [SUD_SYS_##name] = foreign,
		SUD_SPECIAL_SYSCALLS(SUD_SPECIAL_FOREIGN)
#undef SUD_SPECIAL_FOREIGN
	};
	struct sud_reissue state;
	unsigned long a[6];

	for (int i = 0; i < SUD_NR_SPECIAL; i++) {
		if (nr != sud_proc.foreign_nr[i])
			continue;
		arch_uc_foreign_args(uc, a);
		/* the kernel takes 32 bits of each */
		for (int k = 0; k < 6; k++)
			a[k] = (uint32_t)a[k];
		if (how[i] == SUD_FOREIGN_COMPAT)
			return compat[i](sud_proc.nr[i], a, uc);
		if (how[i] == SUD_FOREIGN_SAME && emulations[i])
			return emulations[i](sud_proc.nr[i], a, uc);
		return -ENOSYS;
	}
	sud_reissue_state(&state);
	return sud_reissue_foreign(nr, uc, &state);
}

static bool is_kernel_sigreturn(int nr, unsigned long ip)
{
	return nr == sud_proc.nr[SUD_SYS_rt_sigreturn] &&
	       ip - sud_proc.sigreturn_start < sud_proc.sigreturn_end - sud_proc.sigreturn_start;
}

/* The SUD decision for a trapped syscall; the selector byte is read with SIGSEGV blocked. */
static bool must_dispatch(const struct sud_thread *self, int nr, unsigned long ip, bool native_abi)
{
	unsigned char state;

	if (self->cfg.mode == SUD_MODE_OFF || sud_ip_exempt(&self->cfg, ip))
		return false;
	if (native_abi && is_kernel_sigreturn(nr, ip))
		return false;
	if (!self->cfg.selector)
		return true;
	state = *(volatile unsigned char *)self->cfg.selector;
	if (state == SYSCALL_DISPATCH_FILTER_ALLOW)
		return false;
	if (state != SYSCALL_DISPATCH_FILTER_BLOCK)
		sud_die_by(SIGSYS);
	return true;
}

/* The emulated rt_sigprocmask, or the foreign ABI's old sigprocmask, in either ABI. */
static bool sets_mask(int nr, bool native_abi)
{
	if (native_abi)
		return nr == sud_proc.nr[SUD_SYS_rt_sigprocmask];
	return nr == sud_proc.foreign_nr[SUD_SYS_rt_sigprocmask] ||
	       nr == sud_proc.foreign_nr[SUD_SYS_sigprocmask];
}

static bool sends_signal(int nr)
{
	switch (nr) {
	case SYS_kill:
	case SYS_tkill:
	case SYS_tgkill:
	case SYS_rt_sigqueueinfo:
	case SYS_rt_tgsigqueueinfo:
	case SYS_pidfd_send_signal:
		return true;
	default:
		return false;
	}
}

/*
 * Whether the thread's filters trap @sd: the newest decides (refilter()).
 * A number the registers do not name for sure decides nothing: then only
 * a site where every syscall traps counts.
 */
static bool installed_filter_traps(const struct sud_thread *self, const struct seccomp_data *sd,
				   bool nr_known)
{
	struct sud_config none = { .mode = SUD_MODE_OFF };
	bool range = self->filter == SUD_FILTER_RANGE;
	struct sud_filter_spec spec = filter_spec(range ? &self->filtered : &none);

	if (!nr_known && range && sud_ip_exempt(&self->filtered, sd->instruction_pointer))
		return false;
	return sud_filter_traps(&spec, sd);
}

/*
 * An asynchronous SIGSYS that took a trap's place (dropped_trap.c): the
 * syscall never ran, and natively it would have. The signal arrived
 * before it, then: the context goes back onto the syscall instruction,
 * with the registers the rollback restored, and the syscall runs, and
 * traps, once the signal is handled.
 */
static void undo_dropped_trap(const struct sud_thread *self, ucontext_t *uc)
{
	struct seccomp_data sd;
	bool nr_known;

	if (arch_syscall_ending_at(uc, &sd, &nr_known) && installed_filter_traps(self, &sd, nr_known))
		arch_uc_set_ip(uc, arch_uc_ip(uc) - ARCH_SYSCALL_INSN_SIZE);
}

/*
 * The library's frame is on the alternate stack (the application's
 * SIGSYS action has SA_ONSTACK) and the application's sp is not: a
 * syscall re-issued here would block on the alternate stack, and a signal
 * that interrupts it would be delivered there, with a context on the other
 * stack. Where the architecture can, a plain syscall is issued again in the
 * application's own context once the handler returns, as it runs natively,
 * nothing of the library's left on either stack.
 */
static bool reissue_in_place(const struct sud_thread *self, int nr, ucontext_t *uc)
{
	const stack_t *ss = &uc->uc_stack;

	if (!ARCH_HAS_REISSUE_IN_PLACE || !sud_sp_on_altstack(ss, (unsigned long)uc) ||
	    sud_sp_on_altstack(ss, arch_uc_sp(uc)))
		return false;
	if (sud_special_of(nr) >= 0 || sends_signal(nr) || self->sigsys_blocked ||
	    self->in_temporary_mask)
		return false;
	arch_reissue_in_place(uc, nr);
	return true;
}

static void handle_sigsys(siginfo_t *info, ucontext_t *uc)
{
	struct sud_thread *self = &sud_self;
	bool returned_here = sud_returned_to(uc);
	unsigned long ip;
	bool native_abi = info->si_arch == ARCH_AUDIT_NATIVE;
	unsigned int tag = (unsigned int)info->si_errno - SUD_TRAP_TAG;
	bool blocked;

	sud_fastpath_signal_arrived(uc);
	if (info->si_code == SYS_SECCOMP)
		sud_fastpath_trap_site(info, uc);
	ip = (unsigned long)info->si_call_addr;
	if (self->vfork_area)
		sud_pristine_release_idle();
	if (info->si_code != SYS_SECCOMP || tag > SUD_RESTART_CODES ||
	    (tag && !ARCH_RETURN_IS_FIRST_ARG) || self->filter == SUD_FILTER_NONE) {
		if (info->si_code != SYS_SECCOMP && self->filter != SUD_FILTER_NONE && !returned_here)
			undo_dropped_trap(self, uc);
		sud_sigsys_deliver(info, uc);
		return;
	}
	/*
	 * The first argument was a restart code (filter.h): the delivery
	 * restarted the syscall, or made it return -EINTR. Undo that: the
	 * trapped syscall, with its argument, as it came.
	 */
	if (tag) {
		arch_uc_set_ip(uc, ip);
		arch_uc_set_return(uc, sud_restart_codes[tag - 1]);
	}
	/* from now on, the site may take the fast path */
	if (native_abi)
		sud_fastpath_trapped(info->si_syscall, ip, uc);
	if (must_dispatch(self, info->si_syscall, ip, native_abi)) {
		info->si_code = SYS_USER_DISPATCH;
		info->si_errno = 0;
		sud_sigsys_deliver(info, uc);
		return;
	}
	/*
	 * Every signal stays blocked here (the action's sa_mask): only
	 * a re-issued syscall runs with the application's mask, and may block
	 * and be interrupted. One that sends a signal cannot block: it runs with
	 * every signal blocked, so that one it sends to this thread is delivered
	 * on the application's own context once the handler returns, as natively.
	 */
	if (native_abi && reissue_in_place(self, info->si_syscall, uc))
		return;
	blocked = self->sigsys_blocked;
	arch_uc_set_return(uc, native_abi ? run_syscall(info->si_syscall, uc,
							sends_signal(info->si_syscall) ? ~0ull : 0) :
			   run_foreign_syscall(info->si_syscall, uc));
	/*
	 * Only an emulated rt_sigprocmask changes the virtual bit for the
	 * application; a handler that ran meanwhile, on a frame of the
	 * library's, returned into it without restoring it.
	 */
	if (!sets_mask(info->si_syscall, native_abi))
		self->sigsys_blocked = blocked;
	/* the syscall may have unblocked a pending SIGSYS: delivered on its return, as the kernel does */
	sud_sigsys_release_pending();
}

/*
 * The library's SIGSYS action. It returns by rt_sigreturn from the
 * trampoline, never through a restorer outside it (riscv has only the
 * vDSO's): the filter traps every other rt_sigreturn, as the application's.
 */
static void sigsys_handler(int sig, siginfo_t *info, void *ucv)
{
	(void)sig;
	handle_sigsys(info, ucv);
	sud_return_to_application((unsigned long)ucv - ARCH_SIGRETURN_UC_OFFSET, ucv);
}
