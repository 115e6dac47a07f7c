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

#endif
