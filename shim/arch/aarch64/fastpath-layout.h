/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * arm64's fast path layout, for the assembler (trampoline.S) and for C
 * (fastpath.c, shim/fast_user_dispatch.c) alike: the pass-through slots in the
 * exempt trampoline, and the user-space dispatch's per-thread area.
 */
#ifndef SUDCOMPAT_AARCH64_FASTPATH_LAYOUT_H
#define SUDCOMPAT_AARCH64_FASTPATH_LAYOUT_H

#define ARCH_FAST_SLOTS		4096	/* sites a process can have rewritten */
#define ARCH_FAST_SLOT_SIZE	32	/* bti c; ldp; svc #0; stp; adrp; ldr; br x17; udf */

/*
 * sud_fast_entry[] (TLS), in bytes: the application's registers at the
 * site's svc as the entry saved them, x0 to x30, sp, the site's return
 * address and NZCV, then what the entry and shim/fast_user_dispatch.c pass each
 * other, then the FP/SIMD registers (fpsimd_context's layout, without its
 * header).
 */
#define FE_X(n)		((n) * 8)
#define FE_NR		FE_X(8)
#define FE_SP		(31*8)
#define FE_PC		(32*8)
#define FE_NZCV		(33*8)
#define FE_OLDMASK	(34*8)	/* the blocked set at the site's svc, as the entry read it */
#define FE_SITE		(35*8)	/* the stub's cell of the site's return address */
#define FE_FPSR		(37*8)	/* fpsr, fpcr (32 bits each), then v0 to v31 */
#define FE_V		(38*8)
/* nonzero: in sud_fast_dispatch_build(), wherever its code is, with signals open */
#define FE_BUILDING	(FE_V + 32*16)
/* the save's length, from FE_X(0) */
#define FE_CONTEXT_BYTES	(FE_V + 32*16)
#include "../fast-user-layout.h"

/*
 * How far below the application's sp the entry moves before it calls the
 * build: past the frame a dispatch builds there, struct rt_sigframe (4688
 * bytes) under the 16-byte frame record, as the kernel's own frame of a
 * trap lies above the trap path's C code.
 */
#define FE_FRAME_ROOM	4704

#endif
