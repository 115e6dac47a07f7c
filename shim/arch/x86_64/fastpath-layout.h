/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * x86-64's fast path layout, for the assembler (trampoline.S) and for C
 * (fastpath.c) alike: the pass-through slots in the exempt trampoline.
 */
#ifndef SUDCOMPAT_X86_64_FASTPATH_LAYOUT_H
#define SUDCOMPAT_X86_64_FASTPATH_LAYOUT_H

#define ARCH_FAST_SLOTS		4096	/* sites a process can have rewritten */
#define ARCH_FAST_SLOT_SIZE	16	/* syscall; mov ret(%rip),%rcx; jmp *%rcx; padding */

#endif
