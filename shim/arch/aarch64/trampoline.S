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
