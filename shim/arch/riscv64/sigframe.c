// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * riscv64: the signal frames the library builds: a child's first, and a
 * handler's entry.
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
#include <sys/syscall.h>

#include "arch-api.h"
#include "arch-fastpath.h"

#define SIGINFO_SIZE	128
#define GREG_A0		10
#define GREG_TP		4
#define GREG_SP		2

_Static_assert(offsetof(ucontext_t, uc_mcontext) == 176, "ucontext_t is not the kernel's");
_Static_assert(sizeof(mcontext_t) == 32 * 8 + 528, "mcontext_t is not the kernel's sigcontext");

/* @uc as rt_sigreturn accepts it: no extension records after the F/D state */
static void copy_ucontext(ucontext_t *nuc, const ucontext_t *uc)
{
	struct __riscv_mc_q_ext_state *q = &nuc->uc_mcontext.__fpregs.__q;

	memcpy(nuc, uc, sizeof(*nuc));
	memset(q->__glibc_reserved, 0, sizeof(q->__glibc_reserved));
}

unsigned long arch_build_sigframe(void *buf, unsigned long size, const struct sud_resume *r)
{
	const ucontext_t *uc = r->uc;
	uintptr_t frame = ((uintptr_t)buf + 15) & ~(uintptr_t)15;
	ucontext_t *nuc = (ucontext_t *)(frame + SIGINFO_SIZE);

	if (frame + SIGINFO_SIZE + sizeof(ucontext_t) > (uintptr_t)buf + size)
		return 0;
	memset((void *)frame, 0, SIGINFO_SIZE);
	copy_ucontext(nuc, uc);

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

/*
 * As setup_rt_frame(): ra the vDSO's sigreturn, sp the frame, a0-a2 the
 * signal, siginfo and ucontext (for every handler); every other register
 * and the F/D state as interrupted.
 */
void arch_entry_frame(struct arch_entry_frame *f, siginfo_t *info, ucontext_t *uc,
		      const struct sud_handler_entry *e, const stack_t *ss)
{
	unsigned long *g = f->uc.uc_mcontext.__gregs;

	copy_ucontext(&f->uc, uc);
	g[REG_PC] = (unsigned long)e->handler;
	g[REG_RA] = (unsigned long)e->restorer;
	g[GREG_SP] = (unsigned long)info;
	g[GREG_A0] = (unsigned long)e->sig;
	g[GREG_A0 + 1] = (unsigned long)info;
	g[GREG_A0 + 2] = (unsigned long)uc;
	if (ss)
		f->uc.uc_stack = *ss;
	else
		sud_sys2(SYS_sigaltstack, NULL, &f->uc.uc_stack);
	sud_uc_set_mask(&f->uc, e->mask);
}

void arch_uc_adopt(ucontext_t *uc, const ucontext_t *app, bool restart)
{
	unsigned long a0 = uc->uc_mcontext.__gregs[REG_A0], a7 = uc->uc_mcontext.__gregs[REG_A0 + 7];

	memcpy(uc->uc_mcontext.__gregs, app->uc_mcontext.__gregs, sizeof(uc->uc_mcontext.__gregs));
	memcpy(&uc->uc_mcontext.__fpregs, &app->uc_mcontext.__fpregs, sizeof(uc->uc_mcontext.__fpregs));
	memset(uc->uc_mcontext.__fpregs.__q.__glibc_reserved, 0,
	       sizeof(uc->uc_mcontext.__fpregs.__q.__glibc_reserved));
	if (restart) {
		uc->uc_mcontext.__gregs[REG_A0 + 7] = a7;
		uc->uc_mcontext.__gregs[REG_PC] -= ARCH_SYSCALL_INSN_SIZE;
	} else {
		uc->uc_mcontext.__gregs[REG_A0] = a0;
	}
}

bool arch_uc_save(ucontext_t *dst, void *space, size_t size, const ucontext_t *src)
{
	(void)space;
	(void)size;
	copy_ucontext(dst, src);
	return true;
}
