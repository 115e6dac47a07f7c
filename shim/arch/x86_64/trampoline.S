/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * x86-64: the range the emulation's filter exempts, and nothing else.
 * The library issues its own syscalls from here; the stubs whose syscalls
 * the filter must see as the application's are in outside.S.
 */
#include "arch-asm.h"

SUD_TRAMPOLINE_BEGIN

	sud_syscall_func sud_tramp_syscall

/* The SA_RESTORER of the library's SIGSYS action. */
SUD_FUNC(sud_tramp_restorer)
	mov	$__NR_rt_sigreturn, %eax
	syscall
	ud2
SUD_ENDFUNC(sud_tramp_restorer)

/* void sud_tramp_sigreturn_at(unsigned long sp): rt_sigreturn of the frame a restorer at @sp would return. */
SUD_FUNC(sud_tramp_sigreturn_at)
	mov	%rdi, %rsp
	mov	$__NR_rt_sigreturn, %eax
	syscall
	ud2
SUD_ENDFUNC(sud_tramp_sigreturn_at)

/*
 * long sud_tramp_foreign_syscall(long nr, long bx, long cx, long dx, long si, long di, long bp):
 * an i386 syscall, as int $0x80 from 64-bit code issues it; the kernel
 * keeps every register but rax. rbx and rbp are the caller's to keep.
 */
SUD_FUNC(sud_tramp_foreign_syscall)
	.cfi_startproc
	push	%rbx
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbx, 0
	push	%rbp
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbp, 0
	mov	%rdi, %rax
	mov	%rsi, %rbx
	mov	%rcx, %r10
	mov	%rdx, %rcx
	mov	%r10, %rdx
	mov	%r8, %rsi
	mov	%r9, %rdi
	mov	24(%rsp), %rbp
	int	$0x80
	pop	%rbp
	.cfi_adjust_cfa_offset -8
	.cfi_restore rbp
	pop	%rbx
	.cfi_adjust_cfa_offset -8
	.cfi_restore rbx
	ret
	.cfi_endproc
SUD_ENDFUNC(sud_tramp_foreign_syscall)

SUD_TRAMPOLINE_END

SUD_OBJECT_END
