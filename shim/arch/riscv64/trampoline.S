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
