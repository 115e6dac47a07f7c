/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The front (shim/libsudcompat.c), for the libc entry points of
 * shim/interpose.c: the prctl, and the application's SIGSYS action.
 */
#ifndef SUDCOMPAT_FRONT_H
#define SUDCOMPAT_FRONT_H

#include <stdbool.h>
#include <stdint.h>

#include "signal_state.h"	/* struct sud_app_action */

/* The library's ABI. Everything else is hidden: it is built with -fvisibility=hidden. */
#define SUD_EXPORT	__attribute__((visibility("default")))

struct sud_ksigaction;

/* The SUD prctl as the application issued it: 0 or a negative errno. */
int sud_dispatch_prctl(unsigned long op, unsigned long offset, unsigned long len, char *selector);
/* The SUD prctl that came through libc's prctl()/syscall(): the library's to run, or libc's? */
bool sud_prctl_is_ours(void);
/* Whether libc's sigaction() of SIGSYS must be answered here: the library owns it, and the
   calling thread carries no filter that would trap libc's rt_sigaction. */
bool sud_app_sigsys_is_virtual(void);
/* Run @fn before the library owns SIGSYS, and never across its take-over (sud_sigsys_before_take_over()). */
void sud_app_sigsys_before_take_over(void (*fn)(void));
/* Read or replace it, once virtual. */
void sud_app_sigsys_exchange(const struct sud_ksigaction *act, struct sud_ksigaction *old);
/*
 * Under the same condition, another signal's action that libc is to install:
 * @handler, @flags and @mask made the kernel's, the replaced record in
 * @was; then the one libc read back, as the application set it.
 */
void sud_app_other_action_set(int sig, void **handler, unsigned long *flags, uint64_t *mask,
			      struct sud_app_action *was);
void sud_app_other_action_get(int sig, struct sud_app_action *was);
void sud_app_other_action_restore(int sig, const struct sud_app_action *was);
void sud_app_other_action_view(const struct sud_app_action *was, void **handler,
			       unsigned long *flags, uint64_t *mask);

#endif
