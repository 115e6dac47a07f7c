/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The signal-state syscalls of an armed thread, emulated on the trapped context (shim/signal_syscalls.c). */
#ifndef SUDCOMPAT_SIGNAL_SYSCALLS_H
#define SUDCOMPAT_SIGNAL_SYSCALLS_H

#include <stdbool.h>
#include <ucontext.h>

/* The emulations of special_syscalls.h: the result, or a negative errno. */
long sud_emulate_rt_sigreturn(int nr, const unsigned long a[6], ucontext_t *uc);
/*
 * The application's rt_sigreturn with sp at @sp, with every signal
 * blocked: from the trap path, and from a rewritten restorer (fastpath.c),
 * which knows the frame (@frame_known) where the library built it, so
 * that it can be read without a check.
 */
__attribute__((noreturn)) void sud_rt_sigreturn_at(unsigned long sp, bool frame_known);
long sud_emulate_rt_sigaction(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_emulate_rt_sigprocmask(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_emulate_sigaltstack(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_emulate_rt_sigsuspend(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_emulate_rt_sigpending(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_emulate_rt_sigtimedwait(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_emulate_ppoll(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_emulate_sigset_pair(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_emulate_epoll_pwait(int nr, const unsigned long a[6], ucontext_t *uc);
/*
 * A sleep whose temporary mask is at @set (0: it has none) and of @size
 * bytes, the trapped syscall @nr with arguments @a, or with @foreign the
 * foreign ABI's @nr with the trapped context's arguments.
 */
long sud_sleep_masked(int nr, const unsigned long a[6], ucontext_t *uc, unsigned long set,
		      unsigned long size, bool foreign);

#endif
