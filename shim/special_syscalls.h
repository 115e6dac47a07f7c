/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The syscalls the library handles itself, one line each. All that is
 * known of them comes from this table: the filter's rules (filter.c), the
 * numbers resolved once per process (state.c) and what the SIGSYS handler
 * runs at ALLOW instead of re-issuing them (seccomp_fallback.c).
 *
 *   X(name, trap, emulation)
 *   name       the syscall, as libseccomp names it
 *   trap       SUD_TRAP_ALWAYS: the filter traps it even from the allowed range;
 *              SUD_TRAP_OUTSIDE: only where it traps every syscall
 *   emulation  long emulation(int nr, const unsigned long a[6], ucontext_t *uc),
 *              or NULL: re-issued as it came
 *
 * The handler takes the first line whose number matches.
 */
#ifndef SUDCOMPAT_SPECIAL_SYSCALLS_H
#define SUDCOMPAT_SPECIAL_SYSCALLS_H

#define SUD_SPECIAL_SYSCALLS(X)							\
	X(rt_sigreturn,		SUD_TRAP_OUTSIDE, sud_emulate_rt_sigreturn)	\
	/* the signal state: SIGSYS must stay the library's */			\
	X(rt_sigaction,		SUD_TRAP_ALWAYS, sud_emulate_rt_sigaction)	\
	X(rt_sigprocmask,	SUD_TRAP_ALWAYS, sud_emulate_rt_sigprocmask)	\
	X(sigaltstack,		SUD_TRAP_ALWAYS, sud_emulate_sigaltstack)	\
	X(rt_sigsuspend,	SUD_TRAP_ALWAYS, sud_emulate_rt_sigsuspend)	\
	/* re-arming */								\
	X(prctl,		SUD_TRAP_ALWAYS, sud_emulate_prctl)		\
	/* the lifecycle: children and new images start clean */		\
	X(clone,		SUD_TRAP_ALWAYS, sud_pristine_lifecycle)	\
	X(clone3,		SUD_TRAP_ALWAYS, sud_pristine_lifecycle)	\
	X(fork,			SUD_TRAP_ALWAYS, sud_pristine_lifecycle)	\
	X(vfork,		SUD_TRAP_ALWAYS, sud_pristine_lifecycle)	\
	X(execve,		SUD_TRAP_ALWAYS, sud_pristine_lifecycle)	\
	X(execveat,		SUD_TRAP_ALWAYS, sud_pristine_lifecycle)	\
	/* the i386 ABI's own names for the same operations (no native number) */ \
	X(sigaction,		SUD_TRAP_ALWAYS, NULL)				\
	X(sigprocmask,		SUD_TRAP_ALWAYS, NULL)				\
	X(sigsuspend,		SUD_TRAP_ALWAYS, NULL)

enum sud_trap { SUD_TRAP_OUTSIDE, SUD_TRAP_ALWAYS };

/* SUD_SYS_<name>: a line's index */
enum sud_special {
#define SUD_SPECIAL_INDEX(name, trap, emulation) SUD_SYS_##name,
	SUD_SPECIAL_SYSCALLS(SUD_SPECIAL_INDEX)
#undef SUD_SPECIAL_INDEX
	SUD_NR_SPECIAL
};

#endif
