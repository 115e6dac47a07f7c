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
/*
 * long test_foreign_syscall(long nr, long bx, long cx, long dx, long si, long di, long bp):
 * an i386 syscall by int $0x80; test_foreign_audit_arch is its si_arch (0: the architecture has none).
 */
	.globl test_foreign_syscall, test_foreign_syscall_ret, test_foreign_audit_arch
	.type test_foreign_syscall, @function
test_foreign_syscall:
	push	%rbx
	push	%rbp
	mov	%rdi, %rax
	mov	%rsi, %rbx
	mov	%rcx, %r10
	mov	%rdx, %rcx
	mov	%r10, %rdx
	mov	%r8, %rsi
	mov	%r9, %rdi
	mov	24(%rsp), %rbp
	int	$0x80
test_foreign_syscall_ret:
	pop	%rbp
	pop	%rbx
	ret
	.size test_foreign_syscall, .-test_foreign_syscall

	.section .rodata
	.p2align 2
test_foreign_audit_arch:
	.long	0x40000003	/* AUDIT_ARCH_I386 */
	.size test_foreign_audit_arch, 4
	.section .note.GNU-stack,"",@progbits
