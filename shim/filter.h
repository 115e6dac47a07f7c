/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The emulation's seccomp filter (shim/filter.c): built from a spec, no state. */
#ifndef SUDCOMPAT_FILTER_H
#define SUDCOMPAT_FILTER_H

#include <stdint.h>
#include <linux/filter.h>

#include "rules.h"

/* RET_TRAP data of the emulation's filters; arrives as si_errno. */
#define SUD_TRAP_TAG		0x53dcu

struct sud_filter_spec {
	unsigned long tramp_start, tramp_end;
	unsigned long sigreturn_start, sigreturn_end;	/* the kernel's sigreturn trampoline, or 0 */
	int sigreturn_nr;
	struct sud_config range;	/* SUD_MODE_OFF: trap everything else */
};

/* 0 and @prog (malloc'ed), or a negative errno. */
int sud_filter_build(const struct sud_filter_spec *spec, struct sock_fprog *prog);
/* The syscalls the filter traps even from the allowed range, numbered for @scmp_arch. */
int sud_always_trapped_syscalls(uint32_t scmp_arch, int *nrs, int max);

#endif
