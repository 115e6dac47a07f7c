// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The emulation: arming a thread installs a filter on that thread alone
 * (no TSYNC: SUD is per thread). A filter cannot be removed, so disarming
 * only clears the state, and a new range stacks a filter that traps
 * everything outside the trampoline; the handler re-checks the range.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <seccomp.h>
#include <linux/seccomp.h>

#include "internal.h"

__thread struct sud_thread sud_self __attribute__((tls_model("initial-exec")));
struct sud_process sud_proc;

static int resolve(const char *name)
{
	return seccomp_syscall_resolve_name(name);
}

static int process_init(void)
{
	static int done;
	static int init_lock;
	struct sud_process *p = &sud_proc;
	int rc = 0;

	if (__atomic_load_n(&done, __ATOMIC_ACQUIRE))
		return sud_pristine_start();
	while (__atomic_exchange_n(&init_lock, 1, __ATOMIC_ACQUIRE))
		sud_sys0(SYS_sched_yield);
	if (!done) {
		p->nr_rt_sigreturn = resolve("rt_sigreturn");
		p->nr_rt_sigaction = resolve("rt_sigaction");
		p->nr_rt_sigprocmask = resolve("rt_sigprocmask");
		p->nr_sigaltstack = resolve("sigaltstack");
		p->nr_rt_sigsuspend = resolve("rt_sigsuspend");
		p->nr_prctl = resolve("prctl");
		p->nr_clone = resolve("clone");
		p->nr_clone3 = resolve("clone3");
		p->nr_fork = resolve("fork");
		p->nr_vfork = resolve("vfork");
		p->nr_execve = resolve("execve");
		p->nr_execveat = resolve("execveat");
		if (ARCH_VDSO_SIGRETURN_SYMBOL) {
			unsigned long at = sud_vdso_symbol(ARCH_VDSO_SIGRETURN_SYMBOL,
							   ARCH_VDSO_SIGRETURN_VERSION);

			if (at) {
				p->sigreturn_start = at;
				p->sigreturn_end = at + ARCH_VDSO_SIGRETURN_SPAN;
			}
		}
		rc = sud_sigsys_take_over();
		if (!rc)
			__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&init_lock, 0, __ATOMIC_RELEASE);
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

static long install_filter(const struct sud_config *range)
{
	struct sud_filter_spec spec = {
		.tramp_start = (unsigned long)sud_trampoline_start,
		.tramp_end = (unsigned long)sud_trampoline_end,
		.sigreturn_start = sud_proc.sigreturn_start,
		.sigreturn_end = sud_proc.sigreturn_end,
		.sigreturn_nr = sud_proc.nr_rt_sigreturn,
		.range = *range,
	};
	struct sock_fprog prog;
	long rc;

	rc = sud_filter_build(&spec, &prog);
	if (rc)
		return rc;
	/* CAP_SYS_ADMIN may install without no_new_privs; everyone else needs it */
	rc = sud_sys3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
	if (rc == -EACCES) {
		sud_sys5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		rc = sud_sys3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
	}
	free(prog.filter);
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

/* A real SIGSYS block on this thread becomes the virtual one. */
static void virtualize_sigsys_block(struct sud_thread *self)
{
	uint64_t old, bit = sud_sigbit(SIGSYS);

	if (sud_sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, &bit, &old, sizeof(old)))
		return;
	self->sigsys_blocked = old & bit;
}

/* Called from the application's context, on a thread without a filter. */
int sud_seccomp_set_dispatch(const struct sud_config *cfg)
{
	struct sud_thread *self = &sud_self;
	long rc;

	if (cfg->mode != SUD_MODE_OFF) {
		rc = sud_seccomp_available();
		if (rc)
			return (int)-rc;
		rc = process_init();
		if (rc)
			return (int)rc;
		virtualize_sigsys_block(self);
		rc = refilter(self, cfg);
		if (rc)
			return (int)rc;
	}
	self->cfg = *cfg;
	return 0;
}

/* The prctl issued by an armed thread, trapped and run from the SIGSYS handler. */
int sud_seccomp_rearm_in_handler(const struct sud_config *cfg)
{
	struct sud_thread *self = &sud_self;
	long rc = refilter(self, cfg);

	if (rc)
		return (int)rc;
	self->cfg = *cfg;
	return 0;
}

void sud_thread_forget(void)
{
	struct sud_thread clean = { .cfg.mode = SUD_MODE_OFF };

	sud_self = clean;
}
