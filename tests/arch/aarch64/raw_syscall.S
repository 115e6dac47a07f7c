/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* long test_raw_syscall(long nr, long a0, ..., long a5); test_raw_syscall_ret is the address after the instruction. */
	.text
	.globl test_raw_syscall, test_raw_syscall_ret
	.type test_raw_syscall, %function
test_raw_syscall:
	mov	x8, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	mov	x5, x6
	svc	#0
test_raw_syscall_ret:
	ret
	.size test_raw_syscall, .-test_raw_syscall
/* No foreign syscall ABI here: test_foreign_audit_arch is 0, and test_foreign_syscall returns -ENOSYS. */
	.globl test_foreign_syscall, test_foreign_syscall_ret, test_foreign_audit_arch
	.type test_foreign_syscall, %function
test_foreign_syscall:
	mov	x0, #-38
test_foreign_syscall_ret:
	ret
	.size test_foreign_syscall, .-test_foreign_syscall

	.section .rodata
	.p2align 2
test_foreign_audit_arch:
	.long	0
	.size test_foreign_audit_arch, 4
	.section .note.GNU-stack,"",%progbits
