/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The syscalls the library handles itself, one line each. All that is
 * known of them comes from this table: the filter's rules (filter.c), the
 * numbers resolved once per process (state.c) and what the SIGSYS handler
 * runs at ALLOW instead of re-issuing them (seccomp_fallback.c).
 *
 *   X(name, trap, emulation, foreign)
 *   name       the syscall, as libseccomp names it
 *   trap       SUD_TRAP_ALWAYS: the filter traps it even from the allowed range;
 *              SUD_TRAP_MASK_ARG(n): there only when argument n, a temporary
 *              signal mask, is not NULL;
 *              SUD_TRAP_OUTSIDE: only where it traps every syscall
 *   emulation  long emulation(int nr, const unsigned long a[6], ucontext_t *uc),
 *              or NULL: re-issued as it came
 *   foreign    the same syscall of the foreign ABI (int $0x80 on x86-64):
 *              SUD_FOREIGN_SAME: its layouts are the native ones, the native
 *              emulation runs it; SUD_FOREIGN_COMPAT: sud_compat_<name>()
 *              (compat_syscalls.c) converts the kernel's compat layouts;
 *              SUD_FOREIGN_RAW: it runs as it came (it reads state, or takes
 *              layouts of 32-bit code that nothing here emulates)
 *
 * The handler takes the first line whose number matches.
 */
#ifndef SUDCOMPAT_SPECIAL_SYSCALLS_H
#define SUDCOMPAT_SPECIAL_SYSCALLS_H

#define SUD_SPECIAL_SYSCALLS(X)							\
	/* the signal state: SIGSYS must stay the library's, its blocked bit virtual */ \
	X(rt_sigreturn,		SUD_TRAP_ALWAYS, sud_emulate_rt_sigreturn, SUD_FOREIGN_RAW)	\
	X(rt_sigaction,		SUD_TRAP_ALWAYS, sud_emulate_rt_sigaction, SUD_FOREIGN_COMPAT)	\
	X(rt_sigprocmask,	SUD_TRAP_ALWAYS, sud_emulate_rt_sigprocmask, SUD_FOREIGN_SAME)	\
	X(sigaltstack,		SUD_TRAP_ALWAYS, sud_emulate_sigaltstack, SUD_FOREIGN_COMPAT)	\
	X(rt_sigsuspend,	SUD_TRAP_ALWAYS, sud_emulate_rt_sigsuspend, SUD_FOREIGN_SAME)	\
	/* a SIGSYS the application blocks is pending in the library */	\
	X(rt_sigpending,	SUD_TRAP_ALWAYS, sud_emulate_rt_sigpending, SUD_FOREIGN_SAME)	\
	X(rt_sigtimedwait,	SUD_TRAP_ALWAYS, sud_emulate_rt_sigtimedwait, SUD_FOREIGN_RAW)	\
	/* sleeping with a temporary mask */					\
	X(ppoll,		SUD_TRAP_MASK_ARG(3), sud_emulate_ppoll, SUD_FOREIGN_COMPAT)	\
	X(pselect6,		SUD_TRAP_MASK_ARG(5), sud_emulate_sigset_pair, SUD_FOREIGN_COMPAT) \
	X(io_pgetevents,	SUD_TRAP_MASK_ARG(5), sud_emulate_sigset_pair, SUD_FOREIGN_COMPAT) \
	X(epoll_pwait,		SUD_TRAP_MASK_ARG(4), sud_emulate_epoll_pwait, SUD_FOREIGN_COMPAT) \
	X(epoll_pwait2,		SUD_TRAP_MASK_ARG(4), sud_emulate_epoll_pwait, SUD_FOREIGN_COMPAT) \
	/* re-arming; the application's own filters and Landlock domains, which children must get */	\
	X(prctl,		SUD_TRAP_ALWAYS, sud_emulate_prctl, SUD_FOREIGN_SAME)		\
	X(seccomp,		SUD_TRAP_ALWAYS, sud_emulate_seccomp, SUD_FOREIGN_SAME)	\
	X(landlock_restrict_self, SUD_TRAP_ALWAYS, sud_emulate_landlock_restrict_self, SUD_FOREIGN_SAME) \
	X(landlock_add_rule,	SUD_TRAP_ALWAYS, sud_emulate_landlock_add_rule, SUD_FOREIGN_SAME) \
	/* the lifecycle: children and new images start clean */		\
	X(clone,		SUD_TRAP_ALWAYS, sud_pristine_lifecycle, SUD_FOREIGN_COMPAT)	\
	X(clone3,		SUD_TRAP_ALWAYS, sud_pristine_lifecycle, SUD_FOREIGN_COMPAT)	\
	X(fork,			SUD_TRAP_ALWAYS, sud_pristine_lifecycle, SUD_FOREIGN_SAME)	\
	X(vfork,		SUD_TRAP_ALWAYS, sud_pristine_lifecycle, SUD_FOREIGN_SAME)	\
	X(execve,		SUD_TRAP_ALWAYS, sud_pristine_lifecycle, SUD_FOREIGN_COMPAT)	\
	X(execveat,		SUD_TRAP_ALWAYS, sud_pristine_lifecycle, SUD_FOREIGN_COMPAT)	\
	/* the i386 ABI's own names for the same operations (no native number) */ \
	X(sigaction,		SUD_TRAP_ALWAYS, NULL, SUD_FOREIGN_COMPAT)			\
	X(sigprocmask,		SUD_TRAP_ALWAYS, NULL, SUD_FOREIGN_COMPAT)			\
	X(sigsuspend,		SUD_TRAP_ALWAYS, NULL, SUD_FOREIGN_COMPAT)			\
	X(ppoll_time64,		SUD_TRAP_MASK_ARG(3), NULL, SUD_FOREIGN_COMPAT)		\
	X(pselect6_time64,	SUD_TRAP_MASK_ARG(5), NULL, SUD_FOREIGN_COMPAT)		\
	X(io_pgetevents_time64,	SUD_TRAP_MASK_ARG(5), NULL, SUD_FOREIGN_COMPAT)

enum sud_trap { SUD_TRAP_OUTSIDE, SUD_TRAP_ALWAYS, SUD_TRAP_MASK_ARG0 };
#define SUD_TRAP_MASK_ARG(n)	(SUD_TRAP_MASK_ARG0 + (n))
enum sud_foreign { SUD_FOREIGN_SAME, SUD_FOREIGN_COMPAT, SUD_FOREIGN_RAW };

/* SUD_SYS_<name>: a line's index */
enum sud_special {
#define SUD_SPECIAL_INDEX(name, trap, emulation, foreign) SUD_SYS_##name,
	SUD_SPECIAL_SYSCALLS(SUD_SPECIAL_INDEX)
#undef SUD_SPECIAL_INDEX
	SUD_NR_SPECIAL
};

#endif
