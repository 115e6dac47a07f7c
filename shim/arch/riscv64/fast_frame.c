// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * riscv64's part of the user-space dispatch (shim/fast_user_dispatch.c):
 * struct rt_sigframe as get_sigframe() and setup_sigcontext() lay it out,
 * 1088 bytes, 16-aligned below the sp, and the registers and F/D state of
 * the entry's save (fastpath-layout.h) in a ucontext. A riscv frame holds
 * nothing of the thread's but its registers: every thread's frames can be
 * built.
 */
#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "altstack.h"
#include "arch-fastpath.h"

#define GREG_SP		2
#define GREG_T0		5
#define GREG_T1		6
/* the F/D state as save_fp_state() writes it: f[32] and fcsr, then q's reserved words zeroed */
#define FP_WRITTEN	(32 * 8 + 4)
#define Q_RESERVED	516u

_Static_assert(ARCH_FAST_FRAME_BYTES == 128 + sizeof(ucontext_t), "struct rt_sigframe");
_Static_assert(FE_FRAME_ROOM == ARCH_FAST_FRAME_BYTES, "fastpath-layout.h's FE_FRAME_ROOM");
_Static_assert(offsetof(mcontext_t, __fpregs) == 32 * 8, "mcontext_t is not the kernel's");

void arch_fast_frame_learn(const ucontext_t *uc)
{
	(void)uc;
}

bool arch_fast_frame_known(void)
{
	return true;
}

unsigned long arch_fast_frame_at(unsigned long top, unsigned long sp, const stack_t *ss)
{
	/* on the alternate stack, a frame that would overflow it: the kernel's SIGSEGV */
	if (sud_on_sig_stack(ss, sp) && !sud_on_sig_stack(ss, sp - ARCH_FAST_FRAME_BYTES))
		return 0;
	return (top - ARCH_FAST_FRAME_BYTES) & ~15ul;
}

void arch_fast_frame_fill(ucontext_t *uc, const unsigned char *fe)
{
	unsigned char *fp = (unsigned char *)&uc->uc_mcontext.__fpregs;

	uc->__uc_flags = 0;
	memcpy(uc->uc_mcontext.__gregs, fe, 32 * 8);
	memcpy(fp, fe + FE_F, FP_WRITTEN);
	memset(fp + Q_RESERVED, 0, sizeof(uc->uc_mcontext.__fpregs) - Q_RESERVED);
}

/* q's reserved words, which the kernel's rt_sigreturn refuses unless 0: no extension's record */
bool arch_fast_frame_plain(const ucontext_t *uc, bool entry)
{
	const unsigned char *fp = (const unsigned char *)&uc->uc_mcontext.__fpregs;
	unsigned char any = 0;

	(void)entry;
	for (size_t i = Q_RESERVED; i < sizeof(uc->uc_mcontext.__fpregs); i++)
		any |= fp[i];
	return !any;
}

void arch_fast_frame_save(unsigned char *fe, const ucontext_t *uc)
{
	memcpy(fe, uc->uc_mcontext.__gregs, 32 * 8);
	memset(fe + FE_FCSR, 0, 8);
	memcpy(fe + FE_F, &uc->uc_mcontext.__fpregs, FP_WRITTEN);
}

void arch_fast_frame_adopt(ucontext_t *uc, const unsigned char *fe, bool gprs_only)
{
	unsigned long *g = uc->uc_mcontext.__gregs, sp = g[GREG_SP];

	memcpy(g + 1, fe + FE_X(1), 31 * 8);
	if (gprs_only) {
		g[GREG_SP] = sp;
		return;
	}
	memcpy(&uc->uc_mcontext.__fpregs, fe + FE_F, FP_WRITTEN);
}

void arch_fast_frame_adopt_saved(ucontext_t *uc, const unsigned long saved[2])
{
	uc->uc_mcontext.__gregs[GREG_T0] = saved[0];
	uc->uc_mcontext.__gregs[GREG_T1] = saved[1];
}
