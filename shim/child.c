// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A child created by the helper thread turns into a child of the armed
 * caller: it builds a signal frame from the caller's context (return value
 * 0, the new stack if one was given) and rt_sigreturns into it, which
 * restores every register, the signal mask and the alternate stack at once.
 * Before that, whatever the kernel copied from the helper rather than the
 * caller is put right: the per-thread attributes (shim/inherit.c), thread
 * pointer, rseq area, name.
 *
 * The helper's other children are stand-ins: threads that take on the
 * caller's attributes to see whether that works, or to exec in its place.
 */
#include <errno.h>
#include <stddef.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include <linux/sched.h>

#include "app_filters.h"
#include "child.h"
#include "signal_state.h"
#include "inherit.h"
#include "state.h"
#include "arch-api.h"

#ifndef RSEQ_FLAG_UNREGISTER
#define RSEQ_FLAG_UNREGISTER 1
#endif

/* The kernel copied the helper's rseq registration: move it to the caller's area. */
static void adopt_rseq(const struct sud_child *c)
{
	unsigned int len = __rseq_size < 32 ? 32 : __rseq_size;

	if (!__rseq_size)
		return;
	/* the helper is no thread of libc's, and has none: then there is nothing to move */
	sud_sys4(SYS_rseq, c->helper_tp + __rseq_offset, len, RSEQ_FLAG_UNREGISTER, ARCH_RSEQ_SIG);
	sud_sys4(SYS_rseq, c->tp + __rseq_offset, len, 0, ARCH_RSEQ_SIG);
}

/* Take back what queue_to() queued to this thread, in the same order. */
static void take_back(siginfo_t *info, int n)
{
	struct timespec zero = { 0, 0 };

	for (int i = 0; i < n; i++) {
		uint64_t one = sud_sigbit(info[i].si_signo);

		sud_sys4(SYS_rt_sigtimedwait, &one, &info[i], &zero, sizeof(one));
	}
}

/*
 * The execve of a stand-in, as the caller's would be: with its mask, its
 * thread-directed pending signals, and SIGSYS at SIG_IGN if the
 * application ignores it (the library's handler would become SIG_DFL).
 * A failure puts all of it back.
 */
static long exec_for(struct sud_child *c)
{
	const struct sud_app_filter *filters = c->inherit ? c->inherit->filters : NULL;
	struct sud_ksigaction ign = { .handler = SIG_IGN }, saved;
	uint64_t mask = c->sigmask, all = ~0ull;
	long rc;

	sud_queue_to_self(c->pending, c->npending);
	if (c->sigsys_ignored)
		sud_sys4(SYS_rt_sigaction, SIGSYS, &ign, &saved, sizeof(uint64_t));
	/* the new image inherits the mask of the thread that execs */
	sud_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &mask, NULL, sizeof(mask));
	if (filters) {
		/* the image's filters; a failed execve leaves at once, as they may refuse the rest */
		rc = sud_app_filters_install(filters);
		if (!rc)
			rc = sud_tramp_syscall(c->exec_nr, c->exec_args[0], c->exec_args[1],
					       c->exec_args[2], c->exec_args[3], c->exec_args[4], 0);
		c->sigsys_saved = saved;
		return rc;
	}
	rc = sud_tramp_syscall(c->exec_nr, c->exec_args[0], c->exec_args[1],
			       c->exec_args[2], c->exec_args[3], c->exec_args[4], 0);
	sud_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, sizeof(all));
	if (c->sigsys_ignored)
		sud_sys4(SYS_rt_sigaction, SIGSYS, &saved, NULL, sizeof(uint64_t));
	/* the caller queues them to itself again (pristine.c), with their siginfo */
	take_back(c->pending, c->npending);
	return rc;
}

/* A stand-in: a thread of the helper's that never runs application code. */
__attribute__((noreturn))
static void stand_in(struct sud_child *c)
{
	long rc = sud_inherit_apply(c->inherit);

	if (!rc && c->kind == SUD_CHILD_EXEC) {
		/* a successful execve never returns to the caller, which would put them back */
		if (c->inherit)
			sud_inherit_keyring_restore(c->inherit);
		rc = exec_for(c);
	}
	__atomic_store_n(&c->result, rc, __ATOMIC_RELEASE);
	for (;;)
		sud_sys1(SYS_exit, 0);
}

/*
 * A child that could not take on the caller's attributes never runs its
 * code. The helper probes before it creates a child where that needs
 * privilege, so only a change that raced with the call ends here.
 */
__attribute__((noreturn))
static void refuse(const struct sud_child *c)
{
	for (;;)
		sud_sys1((c->flags & CLONE_THREAD) ? SYS_exit : SYS_exit_group, 127);
}

__attribute__((noreturn, no_stack_protector))
void sud_child_entry(struct sud_child *c)
{
	static char fork_frame[ARCH_SIGFRAME_MAX] __attribute__((aligned(64)));
	char vm_frame[ARCH_SIGFRAME_MAX] __attribute__((aligned(64)));
	bool shares_vm = c->flags & CLONE_VM;
	char *buf = shares_vm ? vm_frame : fork_frame;
	struct sud_resume r = {
		.uc = c->uc,
		.ret = 0,
		.sp = c->sp,
		.tls = (c->flags & CLONE_SETTLS) ? c->tls : 0,
		.sigmask = c->sigmask,
		.keep_altstack = !shares_vm || (c->flags & CLONE_VFORK),
	};
	unsigned long sp, tp = c->tp;
	const struct sud_app_filter *filters = c->inherit ? c->inherit->filters : NULL;
	/* the caller's notes, which the kernel state applied below stands for */
	struct sud_arch_thread notes = { 0 };

	if (c->inherit)
		notes = c->inherit->arch_thread;
	if (c->kind != SUD_CHILD_RESUME)
		stand_in(c);
	/* before anything of the caller's runs, and while *c is there to read */
	if (c->inherit && sud_inherit_apply(c->inherit))
		refuse(c);
	sp = arch_build_sigframe(buf, ARCH_SIGFRAME_MAX, &r);
	if (!sp)
		sud_sys1(SYS_exit, 127);
	if (shares_vm) {
		/* from here on *c may be gone */
		__atomic_store_n(&c->consumed, 1, __ATOMIC_RELEASE);
		sud_sys3(SYS_futex, &c->consumed, FUTEX_WAKE_PRIVATE, 1);
	} else {
		adopt_rseq(c);
		sud_sys2(SYS_prctl, PR_SET_NAME, c->comm);
	}
	if (!(r.tls))
		arch_set_thread_pointer(tp);
	/* after the thread pointer: the thread's state is TLS */
	if (!shares_vm)
		sud_state_reset_in_child();
	sud_self.app_filters = filters;
	sud_self.arch = notes;
	/* last, as the kernel's copy at clone would be: after it, only the caller's code runs */
	if (sud_app_filters_install(filters))
		refuse(c);
	sud_tramp_sigreturn_at(sp);
}
