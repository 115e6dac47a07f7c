// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * riscv64's per-thread control that a child inherits (the contract:
 * ../arch-api.h): the vector extension's, PR_RISCV_V_SET_CONTROL (6.5):
 * whether the thread may use V now, at the next exec, and whether that
 * stays across exec. fork copies it; exec applies its "next" and "inherit"
 * parts by itself, so the thread that execs for the caller only needs the
 * caller's.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "arch-api.h"

#ifndef PR_RISCV_V_SET_CONTROL
#define PR_RISCV_V_SET_CONTROL	69
#define PR_RISCV_V_GET_CONTROL	70
#endif

void arch_inherit_capture(struct sud_arch_inherit *a, const struct sud_arch_thread *t)
{
	(void)t;
	/* EINVAL without V, or before 6.5 */
	a->v_control = sud_sys1(SYS_prctl, PR_RISCV_V_GET_CONTROL);
}

bool arch_inherit_differ(const struct sud_arch_inherit *have, const struct sud_arch_inherit *want,
			 bool exec)
{
	(void)exec;
	return want->v_control >= 0 && have->v_control != want->v_control;
}

void arch_inherit_apply(const struct sud_arch_inherit *have, const struct sud_arch_inherit *want)
{
	/* turning V off fails where the thread's V state is live: the check afterwards refuses then */
	if (arch_inherit_differ(have, want, false))
		sud_sys2(SYS_prctl, PR_RISCV_V_SET_CONTROL, want->v_control);
}

void arch_inherit_prctl(struct sud_arch_thread *t, const unsigned long a[6], long ret)
{
	(void)t;
	(void)a;
	(void)ret;
}
