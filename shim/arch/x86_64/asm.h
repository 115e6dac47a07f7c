/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* x86-64 for the assembler (the contract: ../arch-asm.h). */
#ifndef SUDCOMPAT_ASM_H
#define SUDCOMPAT_ASM_H

#include <asm/unistd.h>

#define ARCH_SYSCALL_INSN	syscall

/* C arguments (nr, a0..a5) to the syscall registers (rax; rdi, rsi, rdx, r10, r8, r9) */
	.macro syscall_args
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	mov	8(%rsp), %r9
	.endm

/* After sud_arch_clone's syscall: the parent returns; the child has @child in r9. */
	.macro clone_return_or_enter_child
	test	%rax, %rax
	jz	1f
	ret
1:	.cfi_undefined rip
	xor	%ebp, %ebp
	mov	%r9, %rdi
	and	$-16, %rsp
	call	sud_child_entry
	ud2
	.endm

#endif
