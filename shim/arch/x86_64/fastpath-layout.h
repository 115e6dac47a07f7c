/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * x86-64's fast path layout, for the assembler (trampoline.S) and for C
 * (fastpath.c) alike: the pass-through slots in the exempt trampoline.
 */
#ifndef SUDCOMPAT_X86_64_FASTPATH_LAYOUT_H
#define SUDCOMPAT_X86_64_FASTPATH_LAYOUT_H

#define ARCH_FAST_SLOTS		4096	/* sites a process can have rewritten */
#define ARCH_FAST_SLOT_SIZE	16	/* syscall; mov ret(%rip),%rcx; jmp *%rcx; padding */

/*
 * The user-space dispatch's per-thread area (sud_fast_entry[], TLS), in
 * 8-byte words: gregs[] in the order of a ucontext's, REG_R8 to REG_EFL,
 * as the entry saved them (rip: the site's return address), then what the
 * entry and fast_dispatch.c pass each other.
 */
#define FE_RSP		(15*8)	/* REG_RSP */
#define FE_RIP		(16*8)	/* REG_RIP */
#define FE_EFL		(17*8)	/* REG_EFL */
#define FE_OLDMASK	(18*8)	/* the blocked set at the site's syscall */
#define FE_SETMASK	(19*8)	/* the handler's */
#define FE_HANDLER	(20*8)
#define FE_FRAME	(21*8)	/* the handler's rsp: its rt_sigframe */
#define FE_INFO		(22*8)
#define FE_UC		(23*8)
#define FE_HFLAGS	(24*8)	/* rflags at the handler's entry */
#define FE_FX		(25*8)	/* where the entry saved the FPU state */
#define FE_SS		(26*8)	/* the thread's stack_t, as sigaltstack() gave it */
#define FE_SS_SIZE	(28*8)
#define FE_SS_KNOWN	(29*8)	/* nonzero: FE_SS is in force */
#define FE_SITE		(30*8)	/* the dispatching stub's return address cell */
/* a rewritten restorer's rt_sigreturn under way, and what it changed: */
#define FE_SR_SP	(31*8)	/* its frame's sp, or 0 */
#define FE_SR_MASK	(32*8)	/* the frame's uc_sigmask as it was */
#define FE_SR_WAS	(33*8)	/* the virtual SIGSYS bit as it was */
#define FE_SR_CHANGED	(34*8)	/* nonzero: the two above are to be put back */
/* the thread's real blocked set, where the library knows it without asking the kernel: */
#define FE_REAL_MASK	(35*8)
#define FE_MASK_KNOWN	(36*8)	/* nonzero: FE_REAL_MASK is it */
#define FE_BLOCKED	(37*8)	/* nonzero: the entry blocked every signal */
#define FE_XSAVED	(38*8)	/* nonzero: FE_FX holds the application's FPU state */
#define FE_BUILT	(39*8)	/* nonzero: the build set the virtual SIGSYS bit, */
#define FE_SIGSYS_WAS	(40*8)	/* which was this */
/* a return without the kernel (sud_fast_return): the frame's gregs[], REG_R8 to REG_EFL, */
#define FE_RET_GREGS	(41*8)
#define FE_RET_FX	(59*8)	/* and its FPU image */
#define FE_BUILDING	(60*8)	/* nonzero: in sud_fast_dispatch_build(), wherever its code is */
#define FE_ONSTACK	(61*8)	/* nonzero: the entry placed the frame for an SA_ONSTACK action */
#define FE_SWITCHES	(62*8)	/* nonzero: the frame is on the alternate stack, the entry was not */
#define FE_RET_SWITCH	(63*8)	/* nonzero: its sp is on another stack than the frame */
#define FE_WORDS	64

/*
 * What the build's C code may use of the stack below a frame on the
 * alternate stack, which the entry requires free there: it has no guard.
 */
#define FE_BUILD_STACK	4096

/* the flags an rt_sigreturn takes from the frame, the kernel's FIX_EFLAGS (sud_fast_return) */
#define FE_FIX_EFLAGS	0x50dd5

#endif
