/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * arm64's fast path layout, for the assembler (trampoline.S) and for C
 * (fastpath.c) alike: the pass-through slots in the exempt trampoline.
 */
#ifndef SUDCOMPAT_AARCH64_FASTPATH_LAYOUT_H
#define SUDCOMPAT_AARCH64_FASTPATH_LAYOUT_H

#define ARCH_FAST_SLOTS		4096	/* sites a process can have rewritten */
#define ARCH_FAST_SLOT_SIZE	32	/* bti c; ldp; svc #0; stp; adrp; ldr; br x17; udf */

#endif
