/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * arm64 syscall instructions of the library.
 *
 * Everything between sud_trampoline_start and sud_trampoline_end is let
 * through by the emulation's filter: the library issues its own syscalls
 * from here. The other stubs are ordinary code, filtered like the
 * application's.
 *
 * Syscall ABI: number in x8, arguments in x0-x5, result in x0; every
 * other register survives the svc, in the parent and in a clone child.
 */

/* BTI landing pad ("bti c" is in the hint space: a nop without BTI). */
#define BTI_C	hint	#34

#define __NR_rt_sigreturn	139

/* C arguments (nr, a0..a5) to the syscall registers (x8; x0..x5) */
	.macro syscall_args
	mov	x8, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	mov	x5, x6
	.endm

	.section .text.sudcompat_trampoline,"ax",%progbits
	.p2align 4
	.globl sud_trampoline_start
	.hidden sud_trampoline_start
sud_trampoline_start:

/* long sud_tramp_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5) */
	.globl sud_tramp_syscall
	.hidden sud_tramp_syscall
	.type sud_tramp_syscall, %function
sud_tramp_syscall:
	.cfi_startproc
	BTI_C
	syscall_args
	svc	#0
	ret
	.cfi_endproc
	.size sud_tramp_syscall, .-sud_tramp_syscall

/*
 * The SA_RESTORER of the library's SIGSYS action. Exactly the two
 * instructions of the kernel's own trampoline, which unwinders
 * (libgcc, gdb) recognise as a signal frame.
 */
	.globl sud_tramp_restorer
	.hidden sud_tramp_restorer
	.type sud_tramp_restorer, %function
	nop
sud_tramp_restorer:
	mov	x8, #__NR_rt_sigreturn
	svc	#0
	brk	#0x3e8
	.size sud_tramp_restorer, .-sud_tramp_restorer

/* void sud_tramp_sigreturn_at(unsigned long sp): rt_sigreturn of the frame at @sp. */
	.globl sud_tramp_sigreturn_at
	.hidden sud_tramp_sigreturn_at
	.type sud_tramp_sigreturn_at, %function
sud_tramp_sigreturn_at:
	BTI_C
	mov	sp, x0
	mov	x8, #__NR_rt_sigreturn
	svc	#0
	brk	#0x3e8
	.size sud_tramp_sigreturn_at, .-sud_tramp_sigreturn_at

	.globl sud_trampoline_end
	.hidden sud_trampoline_end
sud_trampoline_end:

	.text
/* long sud_outside_syscall(long nr, long a0, ..., long a5): a syscall the filter sees as the application's. */
	.globl sud_outside_syscall
	.hidden sud_outside_syscall
	.type sud_outside_syscall, %function
	.p2align 2
sud_outside_syscall:
	.cfi_startproc
	BTI_C
	syscall_args
	svc	#0
	ret
	.cfi_endproc
	.size sud_outside_syscall, .-sud_outside_syscall

/*
 * long sud_arch_clone(long nr, long a0, long a1, long a2, long a3, long a4, void *child)
 * The child never returns: it calls sud_child_entry(child) on whatever
 * stack the kernel gave it. @child stays in x6, which the svc leaves
 * alone and the kernel copies into the child.
 */
	.globl sud_arch_clone
	.hidden sud_arch_clone
	.type sud_arch_clone, %function
	.p2align 2
sud_arch_clone:
	.cfi_startproc
	BTI_C
	mov	x8, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	svc	#0
	cbz	x0, 1f
	ret
1:	.cfi_undefined x30
	mov	x29, #0
	mov	x30, #0
	mov	x0, x6
	mov	x9, sp
	and	x9, x9, #-16
	mov	sp, x9
	bl	sud_child_entry
	brk	#0x3e8
	.cfi_endproc
	.size sud_arch_clone, .-sud_arch_clone

/* Tell the linker this object is BTI/PAC clean when the rest is built so. */
#if defined(__ARM_FEATURE_BTI_DEFAULT) || defined(__ARM_FEATURE_PAC_DEFAULT)
#if defined(__ARM_FEATURE_BTI_DEFAULT) && __ARM_FEATURE_BTI_DEFAULT
#define SUD_FEATURE_BTI	1
#else
#define SUD_FEATURE_BTI	0
#endif
#if defined(__ARM_FEATURE_PAC_DEFAULT) && __ARM_FEATURE_PAC_DEFAULT
#define SUD_FEATURE_PAC	2
#else
#define SUD_FEATURE_PAC	0
#endif
	.pushsection .note.gnu.property, "a"
	.p2align 3
	.word	4			/* name size */
	.word	16			/* descriptor size */
	.word	5			/* NT_GNU_PROPERTY_TYPE_0 */
	.asciz	"GNU"
	.word	0xc0000000		/* GNU_PROPERTY_AARCH64_FEATURE_1_AND */
	.word	4
	.word	SUD_FEATURE_BTI | SUD_FEATURE_PAC
	.word	0
	.popsection
#endif

	.section .note.GNU-stack,"",%progbits
