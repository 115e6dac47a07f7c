/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * riscv64's fast path layout, for the assembler (trampoline.S) and for C
 * (fastpath.c, fast_frame.c) alike: the pass-through slots in the exempt
 * trampoline, and the user-space dispatch's per-thread area.
 */
#ifndef SUDCOMPAT_RISCV64_FASTPATH_LAYOUT_H
#define SUDCOMPAT_RISCV64_FASTPATH_LAYOUT_H

#define ARCH_FAST_SLOTS		4096	/* sites a process can have rewritten */
#define ARCH_FAST_SLOT_SIZE	64	/* ld; ld; addi; ecall; addi; sd; sd; auipc; ld; jr t1 */

/*
 * sud_fast_entry[] (TLS), in bytes: the application's registers at the
 * site's ecall as the entry saved them, in the order of a ucontext's
 * __gregs[] (the site's return address, then x1 to x31), then what the
 * entry and the build pass each other, then the F/D registers and fcsr as
 * a __riscv_d_ext_state.
 */
#define FE_X(n)		((n) * 8)
#define FE_PC		FE_X(0)
#define FE_SP		FE_X(2)
#define FE_NR		FE_X(17)	/* a7 */
#define FE_SITE		(32*8)	/* the stub's cell of the site's return address */
#define FE_OLDMASK	(33*8)	/* the blocked set at the site's ecall, as the entry read it */
#define FE_F		(34*8)	/* f0 to f31, then fcsr */
#define FE_FCSR		(FE_F + 32*8)
/* nonzero: in sud_fast_dispatch_build(), wherever its code is, with signals open */
#define FE_BUILDING	(FE_FCSR + 8)
/* the thread's real blocked set, where the library knows it without asking the kernel */
#define FE_MASK_KNOWN	(FE_BUILDING + 8)	/* nonzero: FE_REAL_MASK is it */
#define FE_REAL_MASK	(FE_BUILDING + 16)
/* what a signal that lands before the commit's rt_sigreturn undoes (fast_user_dispatch.c) */
#define FE_UNDO		(FE_BUILDING + 24)
#define FE_UNDO_MASK	(FE_BUILDING + 32)	/* a returning frame's uc_sigmask as it was */
#define FE_UNDO_SIGSYS	(FE_BUILDING + 40)	/* the virtual SIGSYS bit as it was */
/*
 * The context a handler's return goes back to without the kernel
 * (sud_fast_return), laid out as the entry's save from FE_X(0) to
 * FE_FCSR; its FE_SITE is the stub's tail it returns through.
 */
#define FE_RET		(FE_BUILDING + 48)
#define FE_BYTES	(FE_RET + FE_FCSR + 8)

/*
 * How far below the application's sp the entry moves before it calls the
 * build: past the frame a dispatch builds there, struct rt_sigframe (1088
 * bytes), as the kernel's own frame of a trap lies above the trap path's
 * C code.
 */
#define FE_FRAME_ROOM	1088

#endif
