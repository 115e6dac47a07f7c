/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * riscv64: the range the emulation's filter exempts, and nothing else.
 * The library issues its own syscalls from here; the stubs whose syscalls
 * the filter must see as the application's are in outside.S. riscv has
 * no SA_RESTORER: signal handlers return through the vDSO, so there is
 * no sud_tramp_restorer here.
 */
#include "arch-asm.h"

SUD_TRAMPOLINE_BEGIN

	sud_syscall_func sud_tramp_syscall

/* The application's syscalls, re-issued, the only place with its signal mask (reissue-call.h). */
	sud_window_func sud_tramp_reissue, sud_tramp_reissue_open, sud_tramp_reissue_ret, \
		sud_tramp_reissue_close

/* void sud_tramp_sigreturn_at(unsigned long sp): rt_sigreturn of the frame at @sp. */
SUD_FUNC(sud_tramp_sigreturn_at)
	mv	sp, a0
	li	a7, __NR_rt_sigreturn
	ecall
	unimp
SUD_ENDFUNC(sud_tramp_sigreturn_at)

SUD_TRAMPOLINE_END

SUD_OBJECT_END
