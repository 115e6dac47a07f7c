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
/* the save's length, from FE_X(0) */
#define FE_CONTEXT_BYTES	(FE_FCSR + 8)
#include "../fast-user-layout.h"

/*
 * How far below the application's sp the entry moves before it calls the
 * build: past the frame a dispatch builds there, struct rt_sigframe (1088
 * bytes), as the kernel's own frame of a trap lies above the trap path's
 * C code.
 */
#define FE_FRAME_ROOM	1088

#endif
