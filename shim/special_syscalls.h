/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The syscalls the library handles itself, one line each. All that is
 * known of them comes from this table: the filter's rules (filter.c), the
 * numbers resolved once per process (state.c) and what the SIGSYS handler
 * runs at ALLOW instead of re-issuing them (seccomp_fallback.c).
 *
 *   X(name, trap, emulation, abi)
 *   name       the syscall, as libseccomp names it
 *   trap       SUD_TRAP_ALWAYS: the filter traps it even from the allowed range;
 *              SUD_TRAP_MASK_ARG(n): there only when argument n, a temporary
 *              signal mask, is not NULL;
 *              SUD_TRAP_OUTSIDE: only where it traps every syscall
 *   emulation  long emulation(int nr, const unsigned long a[6], ucontext_t *uc),
 *              or NULL: re-issued as it came
 *   abi        SUD_ABI_ALL: the foreign ABI's number is refused (ENOSYS), as
 *              letting it through would undo the emulation; SUD_ABI_NATIVE:
 *              the foreign ABI's runs as it came, since it only reads state
 *
 * The handler takes the first line whose number matches.
 */
#ifndef SUDCOMPAT_SPECIAL_SYSCALLS_H
#define SUDCOMPAT_SPECIAL_SYSCALLS_H

#define SUD_SPECIAL_SYSCALLS(X)							\
	/* the signal state: SIGSYS must stay the library's, its blocked bit virtual */ \
	X(rt_sigreturn,		SUD_TRAP_ALWAYS, sud_emulate_rt_sigreturn, SUD_ABI_ALL)	\
	X(rt_sigaction,		SUD_TRAP_ALWAYS, sud_emulate_rt_sigaction, SUD_ABI_ALL)	\
	X(rt_sigprocmask,	SUD_TRAP_ALWAYS, sud_emulate_rt_sigprocmask, SUD_ABI_ALL)	\
	X(sigaltstack,		SUD_TRAP_ALWAYS, sud_emulate_sigaltstack, SUD_ABI_ALL)	\
	X(rt_sigsuspend,	SUD_TRAP_ALWAYS, sud_emulate_rt_sigsuspend, SUD_ABI_ALL)	\
	/* a SIGSYS the application blocks is pending in the library */	\
	X(rt_sigpending,	SUD_TRAP_ALWAYS, sud_emulate_rt_sigpending, SUD_ABI_NATIVE) \
	X(rt_sigtimedwait,	SUD_TRAP_ALWAYS, sud_emulate_rt_sigtimedwait, SUD_ABI_NATIVE) \
	/* sleeping with a temporary mask */					\
	X(ppoll,		SUD_TRAP_MASK_ARG(3), sud_emulate_ppoll, SUD_ABI_NATIVE)	\
	X(pselect6,		SUD_TRAP_MASK_ARG(5), sud_emulate_pselect6, SUD_ABI_NATIVE)	\
	X(epoll_pwait,		SUD_TRAP_MASK_ARG(4), sud_emulate_epoll_pwait, SUD_ABI_NATIVE) \
	X(epoll_pwait2,		SUD_TRAP_MASK_ARG(4), sud_emulate_epoll_pwait, SUD_ABI_NATIVE) \
	/* re-arming */								\
	X(prctl,		SUD_TRAP_ALWAYS, sud_emulate_prctl, SUD_ABI_ALL)		\
	/* the lifecycle: children and new images start clean */		\
	X(clone,		SUD_TRAP_ALWAYS, sud_pristine_lifecycle, SUD_ABI_ALL)	\
	X(clone3,		SUD_TRAP_ALWAYS, sud_pristine_lifecycle, SUD_ABI_ALL)	\
	X(fork,			SUD_TRAP_ALWAYS, sud_pristine_lifecycle, SUD_ABI_ALL)	\
	X(vfork,		SUD_TRAP_ALWAYS, sud_pristine_lifecycle, SUD_ABI_ALL)	\
	X(execve,		SUD_TRAP_ALWAYS, sud_pristine_lifecycle, SUD_ABI_ALL)	\
	X(execveat,		SUD_TRAP_ALWAYS, sud_pristine_lifecycle, SUD_ABI_ALL)	\
	/* the i386 ABI's own names for the same operations (no native number) */ \
	X(sigaction,		SUD_TRAP_ALWAYS, NULL, SUD_ABI_ALL)				\
	X(sigprocmask,		SUD_TRAP_ALWAYS, NULL, SUD_ABI_ALL)				\
	X(sigsuspend,		SUD_TRAP_ALWAYS, NULL, SUD_ABI_ALL)

enum sud_trap { SUD_TRAP_OUTSIDE, SUD_TRAP_ALWAYS, SUD_TRAP_MASK_ARG0 };
#define SUD_TRAP_MASK_ARG(n)	(SUD_TRAP_MASK_ARG0 + (n))
enum sud_abi { SUD_ABI_ALL, SUD_ABI_NATIVE };

/* SUD_SYS_<name>: a line's index */
enum sud_special {
#define SUD_SPECIAL_INDEX(name, trap, emulation, abi) SUD_SYS_##name,
	SUD_SPECIAL_SYSCALLS(SUD_SPECIAL_INDEX)
#undef SUD_SPECIAL_INDEX
	SUD_NR_SPECIAL
};

#endif
