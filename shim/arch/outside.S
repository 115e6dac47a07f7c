/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The library's syscall stubs that must stay outside the trampoline:
 * their syscalls are filtered like the application's. The same on every
 * architecture, from the pieces of its asm.h.
 */
#include "arch-asm.h"

	.text
	.p2align 2
/* long sud_outside_syscall(long nr, long a0, ..., long a5): a syscall the filter sees as the application's. */
	sud_syscall_func sud_outside_syscall

/*
 * long sud_arch_clone(long nr, long a0, long a1, long a2, long a3, long a4, struct sud_child *child)
 * syscall_args leaves @child in the sixth syscall argument register,
 * which clone does not read and which the kernel copies into the child.
 * The parent returns; the child calls sud_child_entry(child) on whatever
 * stack the kernel gave it, and never returns.
 */
	.p2align 2
SUD_FUNC(sud_arch_clone)
	.cfi_startproc
	ARCH_FUNC_ENTRY
	syscall_args
	ARCH_SYSCALL_INSN
	clone_return_or_enter_child
	.cfi_endproc
SUD_ENDFUNC(sud_arch_clone)

/* The kernel's handler for another signal whose sa_mask holds SIGSYS (arch-api.h). */
	.p2align 2
SUD_FUNC(sud_masked_handler)
	ARCH_FUNC_ENTRY
	masked_handler_body sud_masked_enter
SUD_ENDFUNC(sud_masked_handler)

SUD_OBJECT_END
