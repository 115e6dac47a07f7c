/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * riscv64 syscall instructions of the library.
 *
 * Everything between sud_trampoline_start and sud_trampoline_end is let
 * through by the emulation's filter: the library issues its own syscalls
 * from here. The other stubs are ordinary code, filtered like the
 * application's.
 *
 * Syscall ABI: number in a7, arguments in a0-a5, result in a0; every
 * other register survives the ecall, in the parent and in a clone child.
 * riscv has no SA_RESTORER: signal handlers return through the vDSO, so
 * there is no sud_tramp_restorer here.
 */

#define __NR_rt_sigreturn	139

/* C arguments (nr, a0..a5) to the syscall registers (a7; a0..a5) */
	.macro syscall_args
	mv	a7, a0
	mv	a0, a1
	mv	a1, a2
	mv	a2, a3
	mv	a3, a4
	mv	a4, a5
	mv	a5, a6
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
	ecall
	ret
	.cfi_endproc
	.size sud_tramp_syscall, .-sud_tramp_syscall

/* void sud_tramp_sigreturn_at(unsigned long sp): rt_sigreturn of the frame at @sp. */
	.globl sud_tramp_sigreturn_at
	.hidden sud_tramp_sigreturn_at
	.type sud_tramp_sigreturn_at, @function
sud_tramp_sigreturn_at:
	mv	sp, a0
	li	a7, __NR_rt_sigreturn
	ecall
	unimp
	.size sud_tramp_sigreturn_at, .-sud_tramp_sigreturn_at

	.globl sud_trampoline_end
	.hidden sud_trampoline_end
sud_trampoline_end:

	.text
/* long sud_outside_syscall(long nr, long a0, ..., long a5): a syscall the filter sees as the application's. */
	.globl sud_outside_syscall
	.hidden sud_outside_syscall
	.type sud_outside_syscall, @function
	.p2align 2
sud_outside_syscall:
	.cfi_startproc
	syscall_args
	ecall
	ret
	.cfi_endproc
	.size sud_outside_syscall, .-sud_outside_syscall

/*
 * long sud_arch_clone(long nr, long a0, long a1, long a2, long a3, long a4, void *child)
 * The child never returns: it calls sud_child_entry(child) on whatever
 * stack the kernel gave it. @child stays in a6, which the ecall leaves
 * alone and the kernel copies into the child.
 */
	.globl sud_arch_clone
	.hidden sud_arch_clone
	.type sud_arch_clone, @function
	.p2align 2
sud_arch_clone:
	.cfi_startproc
	mv	a7, a0
	mv	a0, a1
	mv	a1, a2
	mv	a2, a3
	mv	a3, a4
	mv	a4, a5
	ecall
	beqz	a0, 1f
	ret
1:	.cfi_undefined ra
	li	s0, 0
	li	ra, 0
	mv	a0, a6
	andi	sp, sp, -16
	call	sud_child_entry
	unimp
	.cfi_endproc
	.size sud_arch_clone, .-sud_arch_clone

	.section .note.GNU-stack,"",@progbits
