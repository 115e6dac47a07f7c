/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * x86-64: the range the emulation's filter exempts, and nothing else.
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
 * The SA_RESTORER of the library's SIGSYS action, as glibc's __restore_rt:
 * the bytes that unwinders recognise (mov $15, %rax; syscall), and unwind
 * info that reads the interrupted context from the kernel's rt_sigframe. A
 * handler returns here with sp at the frame's struct ucontext, pretcode
 * popped; every register is at its uc_mcontext.gregs slot, the CFA is the
 * interrupted rsp. The FDE starts at a nop before the symbol: an unwinder
 * looks up a return address minus one, which must land here, not in
 * sud_tramp_syscall.
 */
#define UC_GREG(i)	(40+8*(i))	/* uc_flags, uc_link, uc_stack; then gregs[] */
	.cfi_startproc
	.cfi_signal_frame
	sud_cfi_cfa_at 7, UC_GREG(15)		/* rsp: REG_RSP */
	sud_cfi_reg_at 0, 7, UC_GREG(13)	/* rax: REG_RAX */
	sud_cfi_reg_at 1, 7, UC_GREG(12)	/* rdx */
	sud_cfi_reg_at 2, 7, UC_GREG(14)	/* rcx */
	sud_cfi_reg_at 3, 7, UC_GREG(11)	/* rbx */
	sud_cfi_reg_at 4, 7, UC_GREG(9)		/* rsi */
	sud_cfi_reg_at 5, 7, UC_GREG(8)		/* rdi */
	sud_cfi_reg_at 6, 7, UC_GREG(10)	/* rbp */
	sud_cfi_reg_at 8, 7, UC_GREG(0)		/* r8..r15: REG_R8..REG_R15 */
	sud_cfi_reg_at 9, 7, UC_GREG(1)
	sud_cfi_reg_at 10, 7, UC_GREG(2)
	sud_cfi_reg_at 11, 7, UC_GREG(3)
	sud_cfi_reg_at 12, 7, UC_GREG(4)
	sud_cfi_reg_at 13, 7, UC_GREG(5)
	sud_cfi_reg_at 14, 7, UC_GREG(6)
	sud_cfi_reg_at 15, 7, UC_GREG(7)
	sud_cfi_reg_at 16, 7, UC_GREG(16)	/* the return address column: REG_RIP */
	nop
SUD_FUNC(sud_tramp_restorer)
	restorer_body
	ud2
	.cfi_endproc
SUD_ENDFUNC(sud_tramp_restorer)

/* void sud_tramp_sigreturn_at(unsigned long sp): rt_sigreturn of the frame a restorer at @sp would return. */
SUD_FUNC(sud_tramp_sigreturn_at)
	mov	%rdi, %rsp
	mov	$__NR_rt_sigreturn, %eax
	syscall
	ud2
SUD_ENDFUNC(sud_tramp_sigreturn_at)

/* The same for the foreign ABI's syscalls. */
	sud_window_func sud_tramp_foreign_reissue, sud_tramp_foreign_open, sud_tramp_foreign_ret, \
		sud_tramp_foreign_close, window_load_foreign, foreign_insn

/*
 * The fast path's pass-through (shim/fastpath.c): slot k issues the
 * syscall of rewritten site k from the exempt range and returns to the
 * site's next instruction, with rcx as the site's own syscall leaves it
 * and r11 from this one. One slot per site, so that nothing outside the
 * slot says where to return: a restart runs the slot again, and a
 * handler that interrupts it (whose context fastpath.c moves to the site)
 * leaves nothing behind.
 */
#ifndef SUD_TRAMPOLINE_WITHOUT_FAST_SLOTS	/* tools/trace links its own copy, without */
	.p2align 4
SUD_SYMBOL(sud_fast_slots)
	.set	slot, 0
	.rept	ARCH_FAST_SLOTS
	syscall
	mov	sud_fast_ret+8*slot(%rip), %rcx
	jmp	*%rcx
	.p2align 4, 0xcc
	.set	slot, slot+1
	.endr
SUD_SYMBOL(sud_fast_slots_end)
#endif

SUD_TRAMPOLINE_END

#ifndef SUD_TRAMPOLINE_WITHOUT_FAST_SLOTS
/* Where slot k returns to: written once, before its site is rewritten. */
	.bss
	.p2align 3
SUD_SYMBOL(sud_fast_ret)
	.zero	8*ARCH_FAST_SLOTS
	.size	sud_fast_ret, 8*ARCH_FAST_SLOTS
	.previous
#endif

SUD_OBJECT_END
