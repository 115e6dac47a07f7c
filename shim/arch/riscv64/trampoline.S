/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * riscv64: the range the emulation's filter exempts, and nothing else.
 * The library issues its own syscalls from here; the stubs whose syscalls
 * the filter must see as the application's are in outside.S. riscv has
 * no SA_RESTORER: signal handlers return through the vDSO, so there is
 * no sud_tramp_restorer here.
 */
#include "arch-asm.h"
#include "fastpath-layout.h"

SUD_TRAMPOLINE_BEGIN

	sud_syscall_func sud_tramp_syscall

/* The application's syscalls, re-issued, the only place with its signal mask (reissue-call.h). */
	sud_window_func sud_tramp_reissue, sud_tramp_reissue_open, sud_tramp_reissue_ret, \
		sud_tramp_reissue_close

/* void sud_tramp_sigreturn_at(unsigned long sp): rt_sigreturn of the frame at @sp. */
SUD_FUNC(sud_tramp_sigreturn_at)
	mv	sp, a0
	li	a7, __NR_rt_sigreturn
	ecall
	unimp
SUD_ENDFUNC(sud_tramp_sigreturn_at)

/*
 * The fast path's user-space dispatch (shim/fast_user_dispatch.c), from a
 * stub's BLOCK way, and a restorer stub's ALLOW way: t0 and t1 saved at
 * sp by the stub, which wrote its return address cell into FE_SITE. A
 * signal that lands anywhere in it, or in the build (FE_BUILDING), stands
 * at the site's ecall, with the registers as saved here. Where the
 * thread's mask is not known, the entry blocks every signal first,
 * reading it. The build's C code runs below the place of a frame on this
 * stack (FE_FRAME_ROOM); it returns only where the site's own syscall is
 * to run, through its fallback slot, which takes t0 and t1 back from the
 * stack as after the stub.
 */
	.macro	fe_base
	la.tls.ie t1, sud_fast_entry
	add	t0, t1, tp
	.endm

	/* every register but sp, t0 and t1, at FE_X() */
	.macro	fe_regs op
	\op	x1, FE_X(1)(t0)
	\op	x3, FE_X(3)(t0)
	\op	x4, FE_X(4)(t0)
	\op	x7, FE_X(7)(t0)
	\op	x8, FE_X(8)(t0)
	\op	x9, FE_X(9)(t0)
	\op	x10, FE_X(10)(t0)
	\op	x11, FE_X(11)(t0)
	\op	x12, FE_X(12)(t0)
	\op	x13, FE_X(13)(t0)
	\op	x14, FE_X(14)(t0)
	\op	x15, FE_X(15)(t0)
	\op	x16, FE_X(16)(t0)
	\op	x17, FE_X(17)(t0)
	\op	x18, FE_X(18)(t0)
	\op	x19, FE_X(19)(t0)
	\op	x20, FE_X(20)(t0)
	\op	x21, FE_X(21)(t0)
	\op	x22, FE_X(22)(t0)
	\op	x23, FE_X(23)(t0)
	\op	x24, FE_X(24)(t0)
	\op	x25, FE_X(25)(t0)
	\op	x26, FE_X(26)(t0)
	\op	x27, FE_X(27)(t0)
	\op	x28, FE_X(28)(t0)
	\op	x29, FE_X(29)(t0)
	\op	x30, FE_X(30)(t0)
	\op	x31, FE_X(31)(t0)
	.endm

	.macro	fe_fregs op
	\op	f0, FE_F + 0(t0)
	\op	f1, FE_F + 8(t0)
	\op	f2, FE_F + 16(t0)
	\op	f3, FE_F + 24(t0)
	\op	f4, FE_F + 32(t0)
	\op	f5, FE_F + 40(t0)
	\op	f6, FE_F + 48(t0)
	\op	f7, FE_F + 56(t0)
	\op	f8, FE_F + 64(t0)
	\op	f9, FE_F + 72(t0)
	\op	f10, FE_F + 80(t0)
	\op	f11, FE_F + 88(t0)
	\op	f12, FE_F + 96(t0)
	\op	f13, FE_F + 104(t0)
	\op	f14, FE_F + 112(t0)
	\op	f15, FE_F + 120(t0)
	\op	f16, FE_F + 128(t0)
	\op	f17, FE_F + 136(t0)
	\op	f18, FE_F + 144(t0)
	\op	f19, FE_F + 152(t0)
	\op	f20, FE_F + 160(t0)
	\op	f21, FE_F + 168(t0)
	\op	f22, FE_F + 176(t0)
	\op	f23, FE_F + 184(t0)
	\op	f24, FE_F + 192(t0)
	\op	f25, FE_F + 200(t0)
	\op	f26, FE_F + 208(t0)
	\op	f27, FE_F + 216(t0)
	\op	f28, FE_F + 224(t0)
	\op	f29, FE_F + 232(t0)
	\op	f30, FE_F + 240(t0)
	\op	f31, FE_F + 248(t0)
	.endm

	/* the F/D state of the save at t0 back in force (t1 scratch) */
	.macro	fe_fp_load
	fe_fregs fld
	ld	t1, FE_FCSR(t0)
	fscsr	t1
	.endm

	/* the save at t0's sp, with its t0 and t1 below it, as the stub leaves them */
	.macro	fe_stub_saved
	ld	t1, FE_SP(t0)
	addi	sp, t1, -16
	ld	t1, FE_X(5)(t0)
	sd	t1, 0(sp)
	ld	t1, FE_X(6)(t0)
	sd	t1, 8(sp)
	.endm

SUD_FUNC(sud_fast_dispatch)
SUD_SYMBOL(sud_fast_sigreturn)
	fe_base
	fe_regs	sd
SUD_SYMBOL(sud_fast_dispatch_gprs_saved)
	ld	t1, 0(sp)			/* the application's t0, t1, as the stub saved them */
	sd	t1, FE_X(5)(t0)
	ld	t1, 8(sp)
	sd	t1, FE_X(6)(t0)
	addi	t1, sp, 16
	sd	t1, FE_SP(t0)
	ld	t1, FE_SITE(t0)
	ld	t1, 0(t1)
	sd	t1, FE_PC(t0)
	fe_fregs fsd
	frcsr	t1
	sd	t1, FE_FCSR(t0)
	sd	zero, FE_UNDO(t0)
SUD_SYMBOL(sud_fast_dispatch_saved)
	/* the blocked set known: build with signals open; else block them all, reading it */
	ld	t1, FE_MASK_KNOWN(t0)
	beqz	t1, 1f
	ld	t1, FE_REAL_MASK(t0)
	sd	t1, FE_OLDMASK(t0)
	j	2f
1:	li	a0, 0				/* SIG_BLOCK */
	lla	a1, sud_fast_all_signals
	addi	a2, t0, FE_OLDMASK
	li	a3, 8
	li	a7, __NR_rt_sigprocmask
	ecall
2:	li	t1, 1
	sd	t1, FE_BUILDING(t0)
	ld	t1, FE_SP(t0)
	addi	t1, t1, -16
	li	a0, FE_FRAME_ROOM
	sub	t1, t1, a0
	andi	t1, t1, -16
	mv	sp, t1
	mv	s1, t0
	li	s0, 0
	mv	a0, t0
	call	sud_fast_dispatch_build
	/* the site's own syscall after all: the state as the stub left it, then the mask */
SUD_SYMBOL(sud_fast_dispatch_fallback)
	mv	t0, s1
	sd	zero, FE_BUILDING(t0)
	fe_fp_load
	fe_stub_saved
	li	a0, 2				/* SIG_SETMASK */
	addi	a1, t0, FE_OLDMASK
	li	a2, 0
	li	a3, 8
	li	a7, __NR_rt_sigprocmask
	ecall
	fe_regs	ld
	ld	t1, FE_SITE(t0)
	ld	t1, -8(t1)			/* the stub's trap cell: the site's fallback slot */
	jr	t1
SUD_SYMBOL(sud_fast_dispatch_end)
SUD_ENDFUNC(sud_fast_dispatch)

/*
 * void sud_fast_commit(unsigned long sp): the rt_sigreturn of the frame
 * at @sp that ends a dispatch's build (the handler's entry frame) or a
 * restorer's emulated rt_sigreturn. Up to its ecall, a signal stands at
 * the site's, and what the build or the emulation changed is undone
 * (FE_UNDO); from the ecall on, it is the kernel's.
 */
SUD_FUNC(sud_fast_commit)
	mv	t2, a0
	fe_base
	mv	sp, t2
	sd	zero, FE_BUILDING(t0)
	li	a7, __NR_rt_sigreturn
	ecall
SUD_SYMBOL(sud_fast_commit_end)
	unimp
SUD_ENDFUNC(sud_fast_commit)

/*
 * void sud_fast_return(void): a handler's return to a frame a dispatch
 * built, where the kernel's rt_sigreturn would change nothing but the
 * registers and the F/D state (shim/fast_user_dispatch.c): the context
 * at FE_RET goes in force, and the site's stub's tail takes t0 and t1
 * back from below sp as after a slot. Up to the store of FE_BUILDING, a
 * signal stands at the restorer's ecall, the emulation undone; from
 * there on the rt_sigreturn is done, and it stands in the frame's
 * context. The sp moves first, so that a signal lands on the stack the
 * frame returns to.
 */
SUD_FUNC(sud_fast_return)
	fe_base
	sd	zero, FE_BUILDING(t0)
SUD_SYMBOL(sud_fast_return_begun)
	sd	zero, FE_UNDO(t0)
	addi	t0, t0, FE_RET
	fe_stub_saved
	fe_fp_load
	fe_regs	ld
	ld	t1, FE_SITE(t0)
	jr	t1
SUD_SYMBOL(sud_fast_return_end)
SUD_ENDFUNC(sud_fast_return)

/*
 * The fast path's pass-through (shim/fastpath.c, fastpath.c here): slot k
 * issues the syscall of rewritten site k from the exempt range, with every
 * register and sp as the site's ecall would have them: it takes back t0
 * and t1, which the site's stub saved below sp, before its ecall, saves
 * them again after it, and returns through t1 to the stub's tail
 * (sud_fast_back[k]), which restores them and jumps back to the site. So
 * a kernel frame built at the ecall (a signal that interrupts it, the
 * fallback slot's SIGSYS) lies where the site's own would. One slot per
 * site, so that a signal landing in one says which site it stands for
 * (fastpath.c's arch_fast_adopt_slot() maps each of its offsets).
 * Without compressed instructions or linker relaxation, so that each slot
 * is ARCH_FAST_SLOT_SIZE bytes, its instructions where fastpath.c says.
 *
 *    0  ld t0, 0(sp)
 *    4  ld t1, 8(sp)
 *    8  addi sp, sp, 16
 *   12  ecall
 *   16  addi sp, sp, -16
 *   20  sd t0, 0(sp)
 *   24  sd t1, 8(sp)
 *   28  auipc t1, %pcrel_hi(sud_fast_back + 8k)
 *   32  ld t1, %pcrel_lo(28)(t1)
 *   36  jr t1
 *   40  unimp, to 64
 */
	.macro	fast_slots from
	.option	push
	.option	norvc
	.option	norelax
	.set	slot, 0
	.rept	ARCH_FAST_SLOTS
	ld	t0, 0(sp)
	ld	t1, 8(sp)
	addi	sp, sp, 16
	ecall
	addi	sp, sp, -16
	sd	t0, 0(sp)
	sd	t1, 8(sp)
1:	auipc	t1, %pcrel_hi(sud_fast_back + 8*slot)
	ld	t1, %pcrel_lo(1b)(t1)
	jr	t1
	.rept	6
	unimp
	.endr
	.set	slot, slot+1
	.endr
	.if	. - \from != ARCH_FAST_SLOTS * ARCH_FAST_SLOT_SIZE
	.error	"fastpath-layout.h's ARCH_FAST_SLOT_SIZE is not the slot's size"
	.endif
	.option	pop
	.endm

#ifndef SUD_TRAMPOLINE_WITHOUT_FAST_SLOTS	/* tools/trace links its own copy, without */
	.p2align 6		/* before norvc: the linker's relaxation pads with c.nop too */
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
	.p2align 6
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
