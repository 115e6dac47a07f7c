/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * riscv64 for the assembler (the contract: ../arch-asm.h).
 *
 * Syscall ABI: number in a7, arguments in a0-a5, result in a0; every
 * other register survives the ecall, in the parent and in a clone child.
 */
#ifndef SUDCOMPAT_ASM_H
#define SUDCOMPAT_ASM_H

#include <asm/unistd.h>

#define ARCH_SYSCALL_INSN	ecall

/* C arguments (nr, a0..a5) to the syscall registers (a7; a0..a5) */
	.macro syscall_args
	sud_shift_args mv, a7, a0, a1, a2, a3, a4, a5, a6
	.endm

/* After sud_arch_clone's syscall: the parent returns; the child has @child in a5 and a6. */
	.macro clone_return_or_enter_child
	beqz	a0, 1f
	ret
1:	.cfi_undefined ra
	li	s0, 0
	li	ra, 0
	mv	a0, a6
	andi	sp, sp, -16
	call	sud_child_entry
	unimp
	.endm

/*
 * sud_masked_handler: entered as a handler (a0-a2, ra the vDSO's sigreturn,
 * sp at the frame), it asks @hook for the application's handler and jumps
 * to it with the same registers and stack.
 */
	.macro masked_handler_body hook
	addi	sp, sp, -32
	sd	a0, 0(sp)
	sd	a1, 8(sp)
	sd	a2, 16(sp)
	sd	ra, 24(sp)
	call	\hook
	mv	t1, a0
	ld	a0, 0(sp)
	ld	a1, 8(sp)
	ld	a2, 16(sp)
	ld	ra, 24(sp)
	addi	sp, sp, 32
	jr	t1
	.endm

/* The window of sud_window_func (arch-asm.h): the call in s1. */
	.macro window_enter
	addi	sp, sp, -16
	.cfi_adjust_cfa_offset 16
	sd	s1, 0(sp)
	.cfi_rel_offset s1, 0
	mv	s1, a0
	.endm

	.macro window_leave
	ld	a0, SUD_CALL_RESULT(s1)
	ld	s1, 0(sp)
	.cfi_restore s1
	addi	sp, sp, 16
	.cfi_adjust_cfa_offset -16
	ret
	.endm

	.macro window_setmask set, old
	li	a7, __NR_rt_sigprocmask
	li	a0, 2				/* SIG_SETMASK */
	addi	a1, s1, \set
	.if \old < 0
	li	a2, 0
	.else
	addi	a2, s1, \old
	.endif
	li	a3, 8
	.endm

	.macro window_load
	ld	a7, SUD_CALL_NR(s1)
	ld	a0, SUD_CALL_ARGS(s1)
	ld	a1, SUD_CALL_ARGS+8(s1)
	ld	a2, SUD_CALL_ARGS+16(s1)
	ld	a3, SUD_CALL_ARGS+24(s1)
	ld	a4, SUD_CALL_ARGS+32(s1)
	ld	a5, SUD_CALL_ARGS+40(s1)
	.endm

	.macro window_store_result
	sd	a0, SUD_CALL_RESULT(s1)
	.endm

/* A syscall site as compilers and libcs write it, the form the fast path rewrites (tests/arch). */
	.macro site_syscall nr
	li	a7, \nr
	ecall
	.endm

#endif
