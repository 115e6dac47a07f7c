/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The foreign ABI's special syscalls in the kernel's compat layouts (shim/compat_syscalls.c). */
#ifndef SUDCOMPAT_COMPAT_SYSCALLS_H
#define SUDCOMPAT_COMPAT_SYSCALLS_H

#include <ucontext.h>

/* special_syscalls.h's SUD_FOREIGN_COMPAT lines: the native number, the foreign arguments. */
long sud_compat_rt_sigaction(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_compat_sigaltstack(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_compat_clone(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_compat_clone3(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_compat_execve(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_compat_execveat(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_compat_ppoll(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_compat_ppoll_time64(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_compat_epoll_pwait(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_compat_epoll_pwait2(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_compat_pselect6(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_compat_pselect6_time64(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_compat_io_pgetevents(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_compat_io_pgetevents_time64(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_compat_sigaction(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_compat_sigprocmask(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_compat_sigsuspend(int nr, const unsigned long a[6], ucontext_t *uc);

#endif
