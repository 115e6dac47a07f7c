/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The emulation's seccomp filter (shim/filter.c): built from a spec, no state. */
#ifndef SUDCOMPAT_FILTER_H
#define SUDCOMPAT_FILTER_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/filter.h>

#include "rules.h"

/* RET_TRAP data of the emulation's filters; arrives as si_errno. */
#define SUD_TRAP_TAG		0x53dcu
/*
 * Where the return register is the first argument (ARCH_RETURN_IS_FIRST_ARG),
 * the kernel's signal delivery takes a trapped syscall whose first argument
 * is a restart code for one that asks to be restarted or ended with EINTR,
 * and changes the frame: the trap then says which code the argument was,
 * SUD_TRAP_TAG + 1 + its index in sud_restart_codes.
 */
#define SUD_RESTART_CODES	4
extern const long sud_restart_codes[SUD_RESTART_CODES];

struct sud_filter_spec {
	unsigned long tramp_start, tramp_end;
	/* always TRAP from here, whatever the range: the fast path's fallback (fastpath.h) */
	unsigned long trap_start, trap_end;
	struct sud_config range;	/* SUD_MODE_OFF: trap everything else */
};

struct bpfb;
/* 0 and @prog, whose program lives in @b, or a negative errno. Allocates nothing. */
int sud_filter_build(const struct sud_filter_spec *spec, struct bpfb *b, struct sock_fprog *prog);
struct seccomp_data;
/* Whether the filter built from @spec traps @sd; false where it cannot be built. */
bool sud_filter_traps(const struct sud_filter_spec *spec, const struct seccomp_data *sd);
/*
 * The syscalls the filter traps even from the allowed range, numbered for
 * @scmp_arch; @mask_args[i] is -1 for always, else the argument (a signal
 * mask) that must be non-NULL for a trap there.
 */
int sud_range_trapped_syscalls(uint32_t scmp_arch, int *nrs, int *mask_args, int max);

#endif
