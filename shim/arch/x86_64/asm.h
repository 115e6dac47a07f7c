/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* x86-64 for the assembler (the contract: ../arch-asm.h). */
#ifndef SUDCOMPAT_ASM_H
#define SUDCOMPAT_ASM_H

#include <asm/unistd.h>

#define ARCH_SYSCALL_INSN	syscall

/* A callee-saved register onto the stack and back, with the unwind info. */
	.macro push_saved reg
	push	%\reg
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset \reg, 0
	.endm

	.macro pop_saved reg
	pop	%\reg
	.cfi_adjust_cfa_offset -8
	.cfi_restore \reg
	.endm

/* A restorer's body: what glibc's __restore_rt is, and unwinders recognise. */
#define ARCH_HAS_RESTORER_BODY	1
	.macro restorer_body
	mov	$__NR_rt_sigreturn, %rax
	syscall
	.endm

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

/*
 * The foreign ABI (arch-asm.h): int $0x80 takes the i386 syscall, number
 * in eax, arguments in ebx, ecx, edx, esi, edi, ebp. The body of a function
 * long f(long nr, long bx, long cx, long dx, long si, long di, long bp),
 * inside .cfi_startproc/.cfi_endproc; @ret_label names the address after
 * the instruction. The kernel keeps every register but rax; rbx and rbp
 * are the caller's to keep.
 */
#define ARCH_FOREIGN_AUDIT_ARCH		0x40000003	/* AUDIT_ARCH_I386 */
	.macro foreign_syscall_body ret_label
	push_saved rbx
	push_saved rbp
	mov	%rdi, %rax
	mov	%rsi, %rbx
	mov	%rcx, %r10
	mov	%rdx, %rcx
	mov	%r10, %rdx
	mov	%r8, %rsi
	mov	%r9, %rdi
	mov	24(%rsp), %rbp
	int	$0x80
\ret_label:
	pop_saved rbp
	pop_saved rbx
	ret
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

/*
 * sud_masked_handler: entered as a handler (rdi, rsi, rdx; rsp at the
 * frame, pretcode on top), it asks @hook for the application's handler and
 * jumps to it with the same registers and stack, rax 0 as the kernel sets it.
 */
	.macro masked_handler_body hook
	push	%rdi
	push	%rsi
	push	%rdx
	call	\hook
	mov	%rax, %r11
	pop	%rdx
	pop	%rsi
	pop	%rdi
	xor	%eax, %eax
	jmp	*%r11
	.endm

/*
 * The window of sud_window_func (arch-asm.h): the call in r12, rbx and rbp
 * kept for the foreign ABI, whose syscall takes them as arguments.
 */
	.macro window_enter
	push_saved r12
	push_saved rbx
	push_saved rbp
	mov	%rdi, %r12
	.endm

	.macro window_leave
	mov	SUD_CALL_RESULT(%r12), %rax
	pop_saved rbp
	pop_saved rbx
	pop_saved r12
	ret
	.endm

	.macro window_setmask set, old
	mov	$__NR_rt_sigprocmask, %eax
	mov	$2, %edi			/* SIG_SETMASK */
	lea	\set(%r12), %rsi
	.if \old < 0
	xor	%edx, %edx
	.else
	lea	\old(%r12), %rdx
	.endif
	mov	$8, %r10d
	.endm

	/* the number into rax, the six arguments into @r0..@r5 */
	.macro window_load_into r0, r1, r2, r3, r4, r5
	mov	SUD_CALL_NR(%r12), %rax
	mov	SUD_CALL_ARGS(%r12), \r0
	mov	SUD_CALL_ARGS+8(%r12), \r1
	mov	SUD_CALL_ARGS+16(%r12), \r2
	mov	SUD_CALL_ARGS+24(%r12), \r3
	mov	SUD_CALL_ARGS+32(%r12), \r4
	mov	SUD_CALL_ARGS+40(%r12), \r5
	.endm

	.macro window_load
	window_load_into %rdi, %rsi, %rdx, %r10, %r8, %r9
	.endm

	.macro window_load_foreign
	window_load_into %rbx, %rcx, %rdx, %rsi, %rdi, %rbp
	.endm

	.macro foreign_insn
	int	$0x80
	.endm

	.macro window_store_result
	mov	%rax, SUD_CALL_RESULT(%r12)
	.endm

/* A syscall site as compilers and libcs write it, the form the fast path rewrites (tests/arch). */
	.macro site_syscall nr
	mov	$\nr, %eax
	syscall
	.endm

#endif
