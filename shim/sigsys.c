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

#include "internal.h"

static struct sud_ksigaction app_action;
static int action_lock;
static bool owned;

static void lock_action(void)
{
	while (__atomic_exchange_n(&action_lock, 1, __ATOMIC_ACQUIRE))
		sud_sys0(SYS_sched_yield);
}

static void unlock_action(void)
{
	__atomic_store_n(&action_lock, 0, __ATOMIC_RELEASE);
}

static void sigsys_handler(int sig, siginfo_t *info, void *ucv);

/*
 * The handler starts with every signal but SIGSYS blocked: the selector is
 * read as the kernel reads it, at syscall entry, before any asynchronous
 * handler can change it; and a fault reading it kills like the kernel's
 * force_exit_sig(SIGSEGV), since a blocked synchronous SIGSEGV is fatal.
 */
static long install_real_action(unsigned long app_flags)
{
	struct sud_ksigaction act = {
		.handler = (void *)sigsys_handler,
		.flags = SA_SIGINFO | SA_NODEFER | (app_flags & SA_ONSTACK),
		.mask = ~sud_sigbit(SIGSYS),
	};
#if ARCH_HAS_SA_RESTORER
	act.flags |= SA_RESTORER;
	act.restorer = sud_tramp_restorer;
#endif
	return sud_sys4(SYS_rt_sigaction, SIGSYS, &act, NULL, sizeof(uint64_t));
}

int sud_sigsys_take_over(void)
{
	long rc = 0;

	lock_action();
	if (!owned) {
		rc = sud_sys4(SYS_rt_sigaction, SIGSYS, NULL, &app_action, sizeof(uint64_t));
		if (!rc)
			rc = install_real_action(app_action.flags);
		owned = !rc;
	}
	unlock_action();
	return (int)rc;
}

void sud_sigsys_forget(void)
{
	owned = false;
	action_lock = 0;
}

bool sud_sigsys_owned(void)
{
	return __atomic_load_n(&owned, __ATOMIC_ACQUIRE);
}

/* Read or replace the application's SIGSYS action; the caller copied it in and out. */
void sud_sigsys_exchange(const struct sud_ksigaction *act, struct sud_ksigaction *old)
{
	lock_action();
	if (old)
		*old = app_action;
	if (act) {
		app_action = *act;
		install_real_action(act->flags);
	}
	unlock_action();
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
 * Deliver @info as the kernel would to the application's action. A
 * synchronous SIGSYS (a dispatch, or a seccomp trap) is forced: blocked or
 * ignored, it kills.
 */
static void deliver(siginfo_t *info, ucontext_t *uc)
{
	bool forced = info->si_code == SYS_USER_DISPATCH || info->si_code == SYS_SECCOMP;
	struct sud_thread *self = &sud_self;
	struct sud_ksigaction act;
	bool was_blocked = self->sigsys_blocked;
	uint64_t mask;

	lock_action();
	act = app_action;
	if ((act.flags & SA_RESETHAND) && act.handler != SIG_IGN && act.handler != SIG_DFL) {
		app_action.handler = SIG_DFL;
		app_action.flags &= ~SA_SIGINFO;
	}
	unlock_action();

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
}

static bool is_kernel_sigreturn(int nr, unsigned long ip)
{
	return nr == sud_proc.nr_rt_sigreturn &&
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

static long run_syscall(int nr, ucontext_t *uc)
{
	const struct sud_process *p = &sud_proc;
	unsigned long a[6];

	arch_uc_args(uc, a);
	if (nr == p->nr_rt_sigreturn)
		sud_tramp_sigreturn_at(arch_uc_sp(uc));
	if (nr == p->nr_rt_sigaction)
		return sud_emulate_rt_sigaction(uc, a);
	if (nr == p->nr_rt_sigprocmask)
		return sud_emulate_rt_sigprocmask(uc, a);
	if (nr == p->nr_sigaltstack)
		return sud_emulate_sigaltstack(uc, a);
	if (nr == p->nr_rt_sigsuspend)
		return sud_emulate_rt_sigsuspend(a);
	/* the kernel's prctl takes its option as an int */
	if (nr == p->nr_prctl && (int)a[0] == PR_SET_SYSCALL_USER_DISPATCH) {
		struct sud_config cfg;
		int rc = sud_config_validate(a[1], a[2], a[3], (char *)a[4], &cfg);

		return rc ? rc : sud_seccomp_rearm_in_handler(&cfg);
	}
	if (nr == p->nr_clone || nr == p->nr_clone3 || nr == p->nr_fork ||
	    nr == p->nr_vfork || nr == p->nr_execve || nr == p->nr_execveat)
		return sud_pristine_lifecycle(nr, a, uc);
	return sud_tramp_syscall(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3],
				 (long)a[4], (long)a[5]);
}

static void sigsys_handler(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;
	struct sud_thread *self = &sud_self;
	unsigned long ip = (unsigned long)info->si_call_addr;
	bool native_abi = info->si_arch == ARCH_AUDIT_NATIVE;

	(void)sig;
	if (info->si_code != SYS_SECCOMP || info->si_errno != (int)SUD_TRAP_TAG ||
	    self->filter == SUD_FILTER_NONE) {
		deliver(info, uc);
		return;
	}
	if (must_dispatch(self, info->si_syscall, ip, native_abi)) {
		info->si_code = SYS_USER_DISPATCH;
		info->si_errno = 0;
		deliver(info, uc);
		return;
	}
	/* the re-issued syscall runs with the application's mask: it may block, and be interrupted */
	if (info->si_syscall != sud_proc.nr_rt_sigreturn) {
		uint64_t mask = sud_uc_mask(uc) & ~sud_sigbit(SIGSYS);

		sud_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &mask, NULL, sizeof(mask));
	}
	/* Another ABI's syscall (int $0x80 on x86-64) cannot be re-issued from here. */
	arch_uc_set_return(uc, native_abi ? run_syscall(info->si_syscall, uc) : -ENOSYS);
}
