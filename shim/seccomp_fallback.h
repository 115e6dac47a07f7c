/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The seccomp emulation's entry (shim/seccomp_fallback.c), for the front. */
#ifndef SUDCOMPAT_SECCOMP_FALLBACK_H
#define SUDCOMPAT_SECCOMP_FALLBACK_H

#include "rules.h"

/* 0, or the errno an arm would fail with. */
int sud_seccomp_available(void);
#include <ucontext.h>

/* special_syscalls.h's seccomp line: the application's own filters, recorded. */
long sud_emulate_seccomp(int nr, const unsigned long a[6], ucontext_t *uc);
/* An armed thread's Landlock calls: its domains, which children must get (app_filters.c). */
long sud_emulate_landlock_restrict_self(int nr, const unsigned long a[6], ucontext_t *uc);
long sud_emulate_landlock_add_rule(int nr, const unsigned long a[6], ucontext_t *uc);
/* The validated SUD prctl of a thread without the filter, from the application's context. */
int sud_seccomp_set_dispatch(const struct sud_config *cfg);

#endif
