// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * x86-64's per-thread controls that a child inherits (the contract:
 * ../arch-api.h): PR_SET_TSC (TIF_NOTSC, which fork copies and exec keeps)
 * and ARCH_SET_CPUID (TIF_NOCPUID, which fork copies and exec clears,
 * arch_setup_new_exec()). The thread that execs for the caller has them as
 * the caller has, and the kernel's exec does the rest.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "arch-api.h"

#define SUD_ARCH_GET_CPUID	0x1011
#define SUD_ARCH_SET_CPUID	0x1012

void arch_inherit_capture(struct sud_arch_inherit *a, const struct sud_arch_thread *t)
{
	unsigned int tsc = 0;

	(void)t;
	a->tsc = sud_sys2(SYS_prctl, PR_GET_TSC, &tsc) ? -1 : (int)tsc;
	a->cpuid = sud_sys2(SYS_arch_prctl, SUD_ARCH_GET_CPUID, 0);
}

static bool differs(long have, long want)
{
	return want >= 0 && have != want;
}

bool arch_inherit_differ(const struct sud_arch_inherit *have, const struct sud_arch_inherit *want,
			 bool exec)
{
	(void)exec;
	return differs(have->tsc, want->tsc) || differs(have->cpuid, want->cpuid);
}

void arch_inherit_apply(const struct sud_arch_inherit *have, const struct sud_arch_inherit *want)
{
	if (differs(have->tsc, want->tsc))
		sud_sys2(SYS_prctl, PR_SET_TSC, want->tsc);
	if (differs(have->cpuid, want->cpuid))
		sud_sys2(SYS_arch_prctl, SUD_ARCH_SET_CPUID, want->cpuid);
}

void arch_inherit_prctl(struct sud_arch_thread *t, const unsigned long a[6], long ret)
{
	(void)t;
	(void)a;
	(void)ret;
}
