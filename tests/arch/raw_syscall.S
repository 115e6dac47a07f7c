/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The syscall instructions the cases issue from, written with the library's
 * calling-convention macros (shim/arch/<arch>/asm.h) but outside its exempt
 * range: this object is the test's, not the library's.
 *
 * long test_raw_syscall(long nr, long a0, ..., long a5); test_raw_syscall_ret
 * is the address after the instruction. Where the architecture has a foreign
 * ABI, test_foreign_syscall issues that ABI's syscall, test_foreign_syscall_ret
 * is the address after it and test_foreign_audit_arch its si_arch; elsewhere
 * none of them exists (the cases declare them weak). Where the kernel takes
 * SA_RESTORER, test_restorer is an application's own restorer, and
 * test_restorer_ret the address after its syscall.
 */
#include "arch-asm.h"

	.text
	.globl test_raw_syscall, test_raw_syscall_ret
	.type test_raw_syscall, %function
test_raw_syscall:
	syscall_args
	ARCH_SYSCALL_INSN
test_raw_syscall_ret:
	ret
	.size test_raw_syscall, .-test_raw_syscall

/*
 * Sites in the form the fast path rewrites (site_syscall), with unwind
 * info so that their function is known: long test_site_getppid(void),
 * long test_site_read(int fd, void *buf, unsigned long n), and the
 * address after each one's syscall instruction.
 */
	.macro test_site name, nr
	.globl \name, \name\()_ret
	.type \name, %function
	.p2align 4
\name:
	.cfi_startproc
	site_syscall \nr
\name\()_ret:
	ret
	.cfi_endproc
	.size \name, .-\name
	.endm

	test_site test_site_getppid, __NR_getppid
	test_site test_site_read, __NR_read
	test_site test_site_gettid, __NR_gettid
	test_site test_site_clone, __NR_clone
	test_site test_site_execve, __NR_execve

#if defined(__x86_64__)
/*
 * long test_site_guarded_read(int fd, void *buf, unsigned long n): glibc's
 * read() as it is built, the syscall behind a flag (test_read_guard; 0
 * takes the other syscall, as glibc's multi-threaded path does) and
 * numbered by a xor: x86-64's other site form. test_site_guarded_read_ret
 * is the address after the guarded syscall.
 */
	.data
	.globl test_read_guard
test_read_guard:
	.byte 1
	.text
	.globl test_site_guarded_read, test_site_guarded_read_ret
	.type test_site_guarded_read, %function
	.p2align 4
test_site_guarded_read:
	.cfi_startproc
	cmpb	$0, test_read_guard(%rip)
	je	1f
	xor	%eax, %eax
	syscall
test_site_guarded_read_ret:
	ret
1:	xor	%eax, %eax
	syscall
	ret
	.cfi_endproc
	.size test_site_guarded_read, .-test_site_guarded_read
#endif

#ifdef ARCH_HAS_RESTORER_BODY
	.text
	.globl test_restorer, test_restorer_ret
	.type test_restorer, %function
	nop
test_restorer:
	restorer_body
test_restorer_ret:
	nop
	.size test_restorer, .-test_restorer
#endif

#ifdef ARCH_FOREIGN_AUDIT_ARCH
	.globl test_foreign_syscall, test_foreign_syscall_ret, test_foreign_audit_arch
	.type test_foreign_syscall, %function
test_foreign_syscall:
	.cfi_startproc
	foreign_syscall_body test_foreign_syscall_ret
	.cfi_endproc
	.size test_foreign_syscall, .-test_foreign_syscall

	.section .rodata
	.p2align 2
test_foreign_audit_arch:
	.long	ARCH_FOREIGN_AUDIT_ARCH
	.size test_foreign_audit_arch, 4
#endif
	.section .note.GNU-stack,"",%progbits
