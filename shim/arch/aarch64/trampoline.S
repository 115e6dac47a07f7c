/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * arm64: the range the emulation's filter exempts, and nothing else.
 * The library issues its own syscalls from here; the stubs whose syscalls
 * the filter must see as the application's are in outside.S.
 */
#include "arch-asm.h"
#include "fastpath-layout.h"

SUD_TRAMPOLINE_BEGIN

	sud_syscall_func sud_tramp_syscall

/* The application's syscalls, re-issued, the only place with its signal mask (reissue-call.h). */
	sud_window_func sud_tramp_reissue, sud_tramp_reissue_open, sud_tramp_reissue_ret, \
		sud_tramp_reissue_close

/*
 * The SA_RESTORER of the library's SIGSYS action. Exactly the two
 * instructions of the kernel's own trampoline, which unwinders (libgcc,
 * gdb, LLVM's libunwind) recognise as a signal frame when no FDE covers
 * the return address: they then restore every register and pc from the
 * sigcontext. So it has no CFI on purpose (an FDE would take precedence).
 * The nop keeps it from sharing an address with sud_tramp_syscall: the
 * lookup at its address minus one, which unwinders do for a caller's
 * frame, must not land in that function's FDE.
 */
	nop
SUD_FUNC(sud_tramp_restorer)
	restorer_body
	brk	#0x3e8
SUD_ENDFUNC(sud_tramp_restorer)

/* void sud_tramp_sigreturn_at(unsigned long sp): rt_sigreturn of the frame at @sp. */
SUD_FUNC(sud_tramp_sigreturn_at)
	ARCH_FUNC_ENTRY
	mov	sp, x0
	mov	x8, #__NR_rt_sigreturn
	svc	#0
	brk	#0x3e8
SUD_ENDFUNC(sud_tramp_sigreturn_at)

/*
 * The fast path's user-space dispatch (fast_dispatch.c), from a stub's
 * BLOCK way, and a restorer stub's ALLOW way: x16 and x17 saved at sp by
 * the stub, which wrote its return address cell into FE_SITE. A signal
 * that lands anywhere in it, or in the build (FE_BUILDING), stands at the
 * site's svc, with the registers as saved here. Where the thread's mask
 * is not known, the entry blocks every signal first, reading it. The
 * build's C code runs below the place of a frame on this stack
 * (FE_FRAME_ROOM); it returns only where the site's own syscall is to
 * run, through its fallback slot, which takes x16 and x17 back from the
 * stack as after the stub.
 */
	.macro	fe_base reg
	mrs	\reg, tpidr_el0
	adrp	x17, :gottprel:sud_fast_entry
	ldr	x17, [x17, #:gottprel_lo12:sud_fast_entry]
	add	\reg, \reg, x17
	.endm

	/* \op: stp or ldp, of x0-x15 and x18-x30 (x16, x17 apart) at FE_X() */
	.macro	fe_regs op
	\op	x0, x1, [x16, #FE_X(0)]
	\op	x2, x3, [x16, #FE_X(2)]
	\op	x4, x5, [x16, #FE_X(4)]
	\op	x6, x7, [x16, #FE_X(6)]
	\op	x8, x9, [x16, #FE_X(8)]
	\op	x10, x11, [x16, #FE_X(10)]
	\op	x12, x13, [x16, #FE_X(12)]
	\op	x14, x15, [x16, #FE_X(14)]
	\op	x18, x19, [x16, #FE_X(18)]
	\op	x20, x21, [x16, #FE_X(20)]
	\op	x22, x23, [x16, #FE_X(22)]
	\op	x24, x25, [x16, #FE_X(24)]
	\op	x26, x27, [x16, #FE_X(26)]
	\op	x28, x29, [x16, #FE_X(28)]
	.endm

	.macro	fe_vregs op
	\op	q0, q1, [x16, #FE_V + 0]
	\op	q2, q3, [x16, #FE_V + 32]
	\op	q4, q5, [x16, #FE_V + 64]
	\op	q6, q7, [x16, #FE_V + 96]
	\op	q8, q9, [x16, #FE_V + 128]
	\op	q10, q11, [x16, #FE_V + 160]
	\op	q12, q13, [x16, #FE_V + 192]
	\op	q14, q15, [x16, #FE_V + 224]
	\op	q16, q17, [x16, #FE_V + 256]
	\op	q18, q19, [x16, #FE_V + 288]
	\op	q20, q21, [x16, #FE_V + 320]
	\op	q22, q23, [x16, #FE_V + 352]
	\op	q24, q25, [x16, #FE_V + 384]
	\op	q26, q27, [x16, #FE_V + 416]
	\op	q28, q29, [x16, #FE_V + 448]
	\op	q30, q31, [x16, #FE_V + 480]
	.endm

	/* the FP/SIMD state of the save at x16 back in force (x0 scratch) */
	.macro	fe_fp_load
	fe_vregs ldp
	ldr	w0, [x16, #FE_FPSR]
	msr	fpsr, x0
	ldr	w0, [x16, #FE_FPSR + 4]
	msr	fpcr, x0
	.endm

	/* the save at x16's sp, with its x16 and x17 below it, as the stub leaves them */
	.macro	fe_stub_saved
	ldr	x0, [x16, #FE_SP]
	sub	sp, x0, #16
	ldp	x0, x1, [x16, #FE_X(16)]
	stp	x0, x1, [sp]
	.endm

SUD_FUNC(sud_fast_dispatch)
SUD_SYMBOL(sud_fast_sigreturn)
	hint	#34
	fe_base	x16
	fe_regs	stp
	str	x30, [x16, #FE_X(30)]
SUD_SYMBOL(sud_fast_dispatch_gprs_saved)
	ldp	x0, x1, [sp]			/* the application's x16, x17, as the stub saved them */
	stp	x0, x1, [x16, #FE_X(16)]
	add	x0, sp, #16
	str	x0, [x16, #FE_SP]
	mrs	x0, nzcv
	str	x0, [x16, #FE_NZCV]
	ldr	x0, [x16, #FE_SITE]
	ldr	x0, [x0]
	str	x0, [x16, #FE_PC]
	mrs	x0, fpsr
	str	w0, [x16, #FE_FPSR]
	mrs	x0, fpcr
	str	w0, [x16, #FE_FPSR + 4]
	fe_vregs stp
	str	xzr, [x16, #FE_UNDO]
SUD_SYMBOL(sud_fast_dispatch_saved)
	/* the blocked set known: build with signals open; else block them all, reading it */
	ldr	x0, [x16, #FE_MASK_KNOWN]
	cbz	x0, 1f
	ldr	x0, [x16, #FE_REAL_MASK]
	str	x0, [x16, #FE_OLDMASK]
	b	2f
1:	mov	x0, #0				/* SIG_BLOCK */
	adrp	x1, sud_fast_all_signals
	add	x1, x1, #:lo12:sud_fast_all_signals
	add	x2, x16, #FE_OLDMASK
	mov	x3, #8
	mov	x8, #__NR_rt_sigprocmask
	svc	#0
2:	mov	x0, #1
	str	x0, [x16, #FE_BUILDING]
	ldr	x0, [x16, #FE_SP]
	sub	x0, x0, #16
	mov	x1, #FE_FRAME_ROOM
	sub	x0, x0, x1
	and	sp, x0, #-16
	mov	x19, x16
	mov	x29, #0
	mov	x0, x16
	bl	sud_fast_dispatch_build
	/* the site's own syscall after all: the state as the stub left it, then the mask */
SUD_SYMBOL(sud_fast_dispatch_fallback)
	mov	x16, x19
	str	xzr, [x16, #FE_BUILDING]
	fe_fp_load
	fe_stub_saved
	mov	x0, #2				/* SIG_SETMASK */
	add	x1, x16, #FE_OLDMASK
	mov	x2, #0
	mov	x3, #8
	mov	x8, #__NR_rt_sigprocmask
	svc	#0
	ldr	x0, [x16, #FE_NZCV]
	msr	nzcv, x0
	fe_regs	ldp
	ldr	x30, [x16, #FE_X(30)]
	ldr	x17, [x16, #FE_SITE]
	ldr	x17, [x17, #-8]			/* the stub's trap cell: the site's fallback slot */
	br	x17
SUD_SYMBOL(sud_fast_dispatch_end)
SUD_ENDFUNC(sud_fast_dispatch)

/*
 * void sud_fast_commit(unsigned long sp): the rt_sigreturn of the frame
 * at @sp that ends a dispatch's build (the handler's entry frame) or a
 * restorer's emulated rt_sigreturn. Up to its svc, a signal stands at the
 * site's, and what the build or the emulation changed is undone
 * (FE_UNDO); from the svc on, it is the kernel's.
 */
SUD_FUNC(sud_fast_commit)
	hint	#34
	mov	x9, x0
	fe_base	x16
	mov	sp, x9
	str	xzr, [x16, #FE_BUILDING]
	mov	x8, #__NR_rt_sigreturn
	svc	#0
SUD_SYMBOL(sud_fast_commit_end)
	brk	#0x3e8
SUD_ENDFUNC(sud_fast_commit)

/*
 * void sud_fast_return(void): a handler's return to a frame a dispatch
 * built, where the kernel's rt_sigreturn would change nothing but the
 * registers and the FP/SIMD state (shim/fast_user_dispatch.c): the
 * context at FE_RET goes in force, and the site's stub's tail takes x16
 * and x17 back from below sp as after a slot. Up to the store of
 * FE_BUILDING, a signal stands at the restorer's svc, the emulation
 * undone; from there on the rt_sigreturn is done, and it stands in the
 * frame's context. The sp moves first, so that a signal lands on the
 * stack the frame returns to.
 */
SUD_FUNC(sud_fast_return)
	fe_base	x16
	str	xzr, [x16, #FE_BUILDING]
SUD_SYMBOL(sud_fast_return_begun)
	str	xzr, [x16, #FE_UNDO]
	add	x16, x16, #FE_RET
	fe_stub_saved
	fe_fp_load
	ldr	x0, [x16, #FE_NZCV]
	msr	nzcv, x0
	fe_regs	ldp
	ldr	x30, [x16, #FE_X(30)]
	ldr	x17, [x16, #FE_SITE]
	br	x17
SUD_SYMBOL(sud_fast_return_end)
SUD_ENDFUNC(sud_fast_return)

/*
 * The fast path's pass-through (shim/fastpath.c, fastpath.c here): slot k
 * issues the syscall of rewritten site k from the exempt range, with every
 * register and sp as the site's svc would have them: it takes back x16 and
 * x17, which the site's stub saved below sp, before its svc, saves them
 * again after it, and returns through x17 to the stub's tail
 * (sud_fast_back[k]), which restores them and branches back to the site.
 * So a kernel frame built at the svc (a signal that interrupts it, the
 * fallback slot's SIGSYS) lies where the site's own would. One slot per
 * site, so that a signal landing in one says which site it stands for
 * (fastpath.c's arch_fast_adopt_slot() maps each of its offsets). The stub
 * enters with br x16, which a "bti c" accepts.
 *
 *    0  bti c
 *    4  ldp x16, x17, [sp], #16
 *    8  svc #0
 *   12  stp x16, x17, [sp, #-16]!
 *   16  adrp x17, sud_fast_back + 8k
 *   20  ldr x17, [x17, #:lo12:sud_fast_back + 8k]
 *   24  br x17
 *   28  udf #0
 */
	.macro	fast_slots from
	.set	slot, 0
	.rept	ARCH_FAST_SLOTS
	hint	#34
	ldp	x16, x17, [sp], #16
	svc	#0
	stp	x16, x17, [sp, #-16]!
	adrp	x17, sud_fast_back + 8*slot
	ldr	x17, [x17, #:lo12:sud_fast_back + 8*slot]
	br	x17
	udf	#0
	.set	slot, slot+1
	.endr
	.if	. - \from != ARCH_FAST_SLOTS * ARCH_FAST_SLOT_SIZE
	.error	"fastpath-layout.h's ARCH_FAST_SLOT_SIZE is not the slot's size"
	.endif
	.endm

#ifndef SUD_TRAMPOLINE_WITHOUT_FAST_SLOTS	/* tools/trace links its own copy, without */
	.p2align 5
SUD_SYMBOL(sud_fast_slots)
	fast_slots sud_fast_slots
SUD_SYMBOL(sud_fast_slots_end)
#endif

SUD_TRAMPOLINE_END

#ifndef SUD_TRAMPOLINE_WITHOUT_FAST_SLOTS
/*
 * Site k's fallback slot, the same code outside the exempt range: the
 * filter traps its syscall whatever the thread's range, and the trap is
 * the site's (fastpath.c's sud_fastpath_trap_site()); a thread without the
 * filter runs it as it would the site's.
 */
	.p2align 5
SUD_SYMBOL(sud_fast_traps)
	fast_slots sud_fast_traps
SUD_SYMBOL(sud_fast_traps_end)

/*
 * Site k's return address, for a signal in its slots, and the stub's tail
 * its slots return to: both written before the site is rewritten.
 */
	.bss
	.p2align 3
SUD_SYMBOL(sud_fast_ret)
	.zero	8*ARCH_FAST_SLOTS
	.size	sud_fast_ret, 8*ARCH_FAST_SLOTS
SUD_SYMBOL(sud_fast_back)
	.zero	8*ARCH_FAST_SLOTS
	.size	sud_fast_back, 8*ARCH_FAST_SLOTS
	.previous
#endif

SUD_OBJECT_END
