/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* long test_raw_syscall(long nr, long a0, ..., long a5); test_raw_syscall_ret is the address after the instruction. */
	.text
	.globl test_raw_syscall, test_raw_syscall_ret
	.type test_raw_syscall, @function
test_raw_syscall:
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	mov	8(%rsp), %r9
	syscall
test_raw_syscall_ret:
	ret
	.size test_raw_syscall, .-test_raw_syscall
	.section .note.GNU-stack,"",@progbits
