/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * arm64 for the assembler (the contract: ../arch-asm.h).
 *
 * Syscall ABI: number in x8, arguments in x0-x5, result in x0; every
 * other register survives the svc, in the parent and in a clone child.
 */
#ifndef SUDCOMPAT_ASM_H
#define SUDCOMPAT_ASM_H

#include <asm/unistd.h>

#define ARCH_SYSCALL_INSN	svc #0

/* A restorer's body: the kernel's own trampoline, which unwinders recognise. */
#define ARCH_HAS_RESTORER_BODY	1
	.macro restorer_body
	mov	x8, #__NR_rt_sigreturn
	svc	#0
	.endm
/* A BTI landing pad ("bti c" is in the hint space: a nop without BTI). */
#define ARCH_FUNC_ENTRY		hint #34
#define ARCH_ASM_NOTES		gnu_property_note

/* C arguments (nr, a0..a5) to the syscall registers (x8; x0..x5) */
	.macro syscall_args
	sud_shift_args mov, x8, x0, x1, x2, x3, x4, x5, x6
	.endm

/* After sud_arch_clone's syscall: the parent returns; the child has @child in x5 and x6. */
	.macro clone_return_or_enter_child
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
	.endm

/* Tell the linker this object is BTI/PAC clean when the rest is built so. */
	.macro gnu_property_note
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
	.endm

/*
 * sud_masked_handler: entered as a handler (x0-x2, x29 at the frame record,
 * x30 the restorer, sp at the frame), it asks @hook for the application's
 * handler and branches to it with the same registers and stack.
 */
	.macro masked_handler_body hook
	stp	x29, x30, [sp, #-48]!
	stp	x0, x1, [sp, #16]
	str	x2, [sp, #32]
	bl	\hook
	mov	x16, x0
	ldp	x0, x1, [sp, #16]
	ldr	x2, [sp, #32]
	ldp	x29, x30, [sp], #48
	br	x16
	.endm

/* The window of sud_window_func (arch-asm.h): the call in x19. */
	.macro window_enter
	stp	x19, x20, [sp, #-16]!
	.cfi_adjust_cfa_offset 16
	.cfi_rel_offset x19, 0
	.cfi_rel_offset x20, 8
	mov	x19, x0
	.endm

	.macro window_leave
	ldr	x0, [x19, #SUD_CALL_RESULT]
	ldp	x19, x20, [sp], #16
	.cfi_adjust_cfa_offset -16
	.cfi_restore x19
	.cfi_restore x20
	ret
	.endm

	.macro window_setmask set, old
	mov	x8, #__NR_rt_sigprocmask
	mov	x0, #2				/* SIG_SETMASK */
	add	x1, x19, #\set
	.if \old < 0
	mov	x2, #0
	.else
	add	x2, x19, #\old
	.endif
	mov	x3, #8
	.endm

	.macro window_load
	ldr	x8, [x19, #SUD_CALL_NR]
	ldp	x0, x1, [x19, #SUD_CALL_ARGS]
	ldp	x2, x3, [x19, #SUD_CALL_ARGS+16]
	ldp	x4, x5, [x19, #SUD_CALL_ARGS+32]
	.endm

	.macro window_store_result
	str	x0, [x19, #SUD_CALL_RESULT]
	.endm

/* A syscall site as compilers and libcs write it, the form the fast path rewrites (tests/arch). */
	.macro site_syscall nr
	mov	x8, #\nr
	svc	#0
	.endm

#endif
