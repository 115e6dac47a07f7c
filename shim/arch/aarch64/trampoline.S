/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * arm64: the range the emulation's filter exempts, and nothing else.
 * The library issues its own syscalls from here; the stubs whose syscalls
 * the filter must see as the application's are in outside.S.
 */
#include "arch-asm.h"

SUD_TRAMPOLINE_BEGIN

	sud_syscall_func sud_tramp_syscall

/* The application's syscalls, re-issued, the only place with its signal mask (reissue-call.h). */
	sud_window_func sud_tramp_reissue, sud_tramp_reissue_open, sud_tramp_reissue_ret, \
		sud_tramp_reissue_close

/*
 * The SA_RESTORER of the library's SIGSYS action. Exactly the two
 * instructions of the kernel's own trampoline, which unwinders (libgcc,
 * gdb, LLVM's libunwind) recognise as a signal frame when no FDE covers
 * the return address: they then restore every register and pc from the
 * sigcontext. So it has no CFI on purpose (an FDE would take precedence).
 * The nop keeps it from sharing an address with sud_tramp_syscall: the
 * lookup at its address minus one, which unwinders do for a caller's
 * frame, must not land in that function's FDE.
 */
	nop
SUD_FUNC(sud_tramp_restorer)
	restorer_body
	brk	#0x3e8
SUD_ENDFUNC(sud_tramp_restorer)

/* void sud_tramp_sigreturn_at(unsigned long sp): rt_sigreturn of the frame at @sp. */
SUD_FUNC(sud_tramp_sigreturn_at)
	ARCH_FUNC_ENTRY
	mov	sp, x0
	mov	x8, #__NR_rt_sigreturn
	svc	#0
	brk	#0x3e8
SUD_ENDFUNC(sud_tramp_sigreturn_at)

SUD_TRAMPOLINE_END

SUD_OBJECT_END
