// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * riscv64: a signal frame that resumes another thread's context in a new child.
 *
 * rt_sigreturn reads struct rt_sigframe { siginfo; ucontext } at sp and
 * restores all 32 registers from uc_mcontext (pc in slot 0, tp included),
 * then the F/D state. glibc's ucontext_t is laid out as the kernel's. The
 * words after fcsr must be zero: 6.1 rejects anything else, and later
 * kernels read them as the header of the extension records (V state),
 * where zero is the terminator. Vector state is not carried over: the
 * syscall ABI does not preserve it anyway.
 */
#include <stddef.h>
#include <string.h>

#include "arch-api.h"

#define SIGINFO_SIZE	128
#define GREG_A0		10
#define GREG_TP		4
#define GREG_SP		2

_Static_assert(offsetof(ucontext_t, uc_mcontext) == 176, "ucontext_t is not the kernel's");
_Static_assert(sizeof(mcontext_t) == 32 * 8 + 528, "mcontext_t is not the kernel's sigcontext");

unsigned long arch_build_sigframe(void *buf, unsigned long size, const struct sud_resume *r)
{
	const ucontext_t *uc = r->uc;
	uintptr_t frame = ((uintptr_t)buf + 15) & ~(uintptr_t)15;
	ucontext_t *nuc = (ucontext_t *)(frame + SIGINFO_SIZE);
	struct __riscv_mc_q_ext_state *q = &nuc->uc_mcontext.__fpregs.__q;

	if (frame + SIGINFO_SIZE + sizeof(ucontext_t) > (uintptr_t)buf + size)
		return 0;
	memset((void *)frame, 0, SIGINFO_SIZE);
	memcpy(nuc, uc, sizeof(*nuc));
	memset(q->__glibc_reserved, 0, sizeof(q->__glibc_reserved));

	nuc->uc_mcontext.__gregs[GREG_A0] = (unsigned long)r->ret;
	if (r->sp)
		nuc->uc_mcontext.__gregs[GREG_SP] = r->sp;
	/* sigreturn restores tp: the caller's, or the child's CLONE_SETTLS value */
	if (r->tls)
		nuc->uc_mcontext.__gregs[GREG_TP] = r->tls;
	sud_resume_signal_state(nuc, r);
	return frame;
}

/* sigreturn restores tp from the frame too; child.c sets it first, so do it. */
void arch_set_thread_pointer(unsigned long tp)
{
	__asm__ volatile("mv tp, %0" : : "r"(tp) : "memory");
}
