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
 * issues the syscall of rewritten site k from the exempt range, with t0
 * and t1 still saved on the stack by the site's stub, and returns to the
 * stub through t1, which restores them and branches back to the site.
 * One slot per site, so that a signal landing in one says which site it
 * stands for.
 */
#ifndef SUD_TRAMPOLINE_WITHOUT_FAST_SLOTS	/* tools/trace links its own copy, without */
	.p2align 3		/* before norvc: the linker's relaxation pads with c.nop too */
	.option	push
	.option	norvc		/* ARCH_FAST_SLOT_SIZE bytes each, no compressed jr */
SUD_SYMBOL(sud_fast_slots)
	.rept	ARCH_FAST_SLOTS
	ecall
	jr	t1
	.endr
SUD_SYMBOL(sud_fast_slots_end)
	.option	pop
#endif

SUD_TRAMPOLINE_END

#ifndef SUD_TRAMPOLINE_WITHOUT_FAST_SLOTS
/*
 * Site k's fallback slot, the same code outside the exempt range: the
 * filter traps its syscall whatever the thread's range, and the trap is
 * the site's (fastpath.c's sud_fastpath_trap_site()); a thread without the
 * filter runs it as it would the site's.
 */
	.p2align 3
	.option	push
	.option	norvc
SUD_SYMBOL(sud_fast_traps)
	.rept	ARCH_FAST_SLOTS
	ecall
	jr	t1
	.endr
SUD_SYMBOL(sud_fast_traps_end)
	.option	pop

/* Site k's return address, for a signal in its slots: written before the site is rewritten. */
	.bss
	.p2align 3
SUD_SYMBOL(sud_fast_ret)
	.zero	8*ARCH_FAST_SLOTS
	.size	sud_fast_ret, 8*ARCH_FAST_SLOTS
	.previous
#endif

SUD_OBJECT_END
