/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * x86-64: the range the emulation's filter exempts, and nothing else.
 * The library issues its own syscalls from here; the stubs whose syscalls
 * the filter must see as the application's are in outside.S.
 */
#include "arch-asm.h"

SUD_TRAMPOLINE_BEGIN

	sud_syscall_func sud_tramp_syscall

/* The SA_RESTORER of the library's SIGSYS action. */
SUD_FUNC(sud_tramp_restorer)
	mov	$__NR_rt_sigreturn, %eax
	syscall
	ud2
SUD_ENDFUNC(sud_tramp_restorer)

/* void sud_tramp_sigreturn_at(unsigned long sp): rt_sigreturn of the frame a restorer at @sp would return. */
SUD_FUNC(sud_tramp_sigreturn_at)
	mov	%rdi, %rsp
	mov	$__NR_rt_sigreturn, %eax
	syscall
	ud2
SUD_ENDFUNC(sud_tramp_sigreturn_at)

SUD_TRAMPOLINE_END

SUD_OBJECT_END
