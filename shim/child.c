// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A child created by the helper thread turns into a child of the armed
 * caller: it builds a signal frame from the caller's context (return value
 * 0, the new stack if one was given) and rt_sigreturns into it, which
 * restores every register, the signal mask and the alternate stack at once.
 * Before that, whatever the kernel copied from the helper rather than the
 * caller is put right: thread pointer, rseq area, name.
 */
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include <linux/sched.h>

#include "child.h"
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
	if (sud_sys4(SYS_rseq, c->helper_tp + __rseq_offset, len, RSEQ_FLAG_UNREGISTER,
		     ARCH_RSEQ_SIG))
		return;
	sud_sys4(SYS_rseq, c->tp + __rseq_offset, len, 0, ARCH_RSEQ_SIG);
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
	unsigned long sp = arch_build_sigframe(buf, ARCH_SIGFRAME_MAX, &r);
	unsigned long tp = c->tp;

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
	sud_tramp_sigreturn_at(sp);
}
