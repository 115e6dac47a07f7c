/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * x86-64 syscall instructions of the library.
 *
 * Everything between sud_trampoline_start and sud_trampoline_end is let
 * through by the emulation's filter: the library issues its own syscalls
 * from here. The other stubs are ordinary code, filtered like the
 * application's.
 */
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

	.section .text.sudcompat_trampoline,"ax",@progbits
	.p2align 4
	.globl sud_trampoline_start
	.hidden sud_trampoline_start
sud_trampoline_start:

/* long sud_tramp_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5) */
	.globl sud_tramp_syscall
	.hidden sud_tramp_syscall
	.type sud_tramp_syscall, @function
sud_tramp_syscall:
	.cfi_startproc
	syscall_args
	syscall
	ret
	.cfi_endproc
	.size sud_tramp_syscall, .-sud_tramp_syscall

/* The SA_RESTORER of the library's SIGSYS action. */
	.globl sud_tramp_restorer
	.hidden sud_tramp_restorer
	.type sud_tramp_restorer, @function
sud_tramp_restorer:
	mov	$15, %eax		/* __NR_rt_sigreturn */
	syscall
	ud2
	.size sud_tramp_restorer, .-sud_tramp_restorer

/* void sud_tramp_sigreturn_at(unsigned long sp): rt_sigreturn of the frame a restorer at @sp would return. */
	.globl sud_tramp_sigreturn_at
	.hidden sud_tramp_sigreturn_at
	.type sud_tramp_sigreturn_at, @function
sud_tramp_sigreturn_at:
	mov	%rdi, %rsp
	mov	$15, %eax
	syscall
	ud2
	.size sud_tramp_sigreturn_at, .-sud_tramp_sigreturn_at

	.globl sud_trampoline_end
	.hidden sud_trampoline_end
sud_trampoline_end:

	.text
/* long sud_outside_syscall(long nr, long a0, ..., long a5): a syscall the filter sees as the application's. */
	.globl sud_outside_syscall
	.hidden sud_outside_syscall
	.type sud_outside_syscall, @function
sud_outside_syscall:
	.cfi_startproc
	syscall_args
	syscall
	ret
	.cfi_endproc
	.size sud_outside_syscall, .-sud_outside_syscall

/*
 * long sud_arch_clone(long nr, long a0, long a1, long a2, long a3, long a4, void *child)
 * The child never returns: it calls sud_child_entry(child) on whatever
 * stack the kernel gave it.
 */
	.globl sud_arch_clone
	.hidden sud_arch_clone
	.type sud_arch_clone, @function
sud_arch_clone:
	.cfi_startproc
	syscall_args
	syscall
	test	%rax, %rax
	jz	1f
	ret
1:	.cfi_undefined rip
	xor	%ebp, %ebp
	mov	%r9, %rdi
	and	$-16, %rsp
	call	sud_child_entry
	ud2
	.cfi_endproc
	.size sud_arch_clone, .-sud_arch_clone

	.section .note.GNU-stack,"",@progbits
