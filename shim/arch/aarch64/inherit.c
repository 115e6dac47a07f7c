// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * arm64's per-thread controls that a child inherits (the contract:
 * ../arch-api.h). fork copies all of them (arch_dup_task_struct()); exec
 * (fpsimd_flush_thread(), flush_tagged_addr_state(), mte_thread_init_user(),
 * ptrauth_thread_init_user()) sets the vector lengths to the ones for exec,
 * and resets tagged addressing, MTE and the PAC keys. The thread that execs
 * for the caller takes the caller's on, and the kernel's exec does the rest.
 *
 * - SVE and SME vector lengths (PR_SVE_SET_VL, PR_SME_SET_VL): the current
 *   length, PR_*_VL_INHERIT, and the length for the next exec. That one
 *   cannot be read back: it is the current one with INHERIT, none without
 *   (vec_set_vector_length()), unless it was set with PR_*_SET_VL_ONEXEC,
 *   which arch_inherit_prctl() notes for an armed thread.
 * - PR_SET_TAGGED_ADDR_CTRL: top-byte-ignore, MTE's tag check fault mode
 *   and its tag mask.
 * - PR_PAC_SET_ENABLED_KEYS. The keys themselves cannot be read or set:
 *   a thread keeps its creator's until PR_PAC_RESET_KEYS, after which a
 *   child of the helper would have other keys than the caller's (the
 *   caller's signed return addresses would not authenticate there). Such a
 *   thread's children are refused; its new image has new keys anyway.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "arch-api.h"

#ifndef PR_SVE_SET_VL
#define PR_SVE_SET_VL		50
#define PR_SVE_GET_VL		51
#endif
#ifndef PR_SVE_SET_VL_ONEXEC
#define PR_SVE_SET_VL_ONEXEC	(1 << 18)
#define PR_SVE_VL_LEN_MASK	0xffff
#define PR_SVE_VL_INHERIT	(1 << 17)
#endif
#ifndef PR_PAC_RESET_KEYS
#define PR_PAC_RESET_KEYS	54
#endif
#ifndef PR_SET_TAGGED_ADDR_CTRL
#define PR_SET_TAGGED_ADDR_CTRL	55
#define PR_GET_TAGGED_ADDR_CTRL	56
#endif
#ifndef PR_PAC_SET_ENABLED_KEYS
#define PR_PAC_SET_ENABLED_KEYS	60
#define PR_PAC_GET_ENABLED_KEYS	61
#endif
#ifndef PR_SME_SET_VL
#define PR_SME_SET_VL		63
#define PR_SME_GET_VL		64
#endif
/* PR_SME_SET_VL_ONEXEC, PR_SME_VL_INHERIT and PR_SME_VL_LEN_MASK are SVE's */
#define SUD_PAC_ALL_KEYS	0xful	/* PR_PAC_APIAKEY | APIBKEY | APDAKEY | APDBKEY */

/* The length for the next exec: noted, or what the current state implies. */
static long onexec_of(long vl, long noted)
{
	if (vl < 0)
		return -1;
	if (noted)
		return noted;
	return (vl & PR_SVE_VL_INHERIT) ? (vl & PR_SVE_VL_LEN_MASK) : 0;
}

void arch_inherit_capture(struct sud_arch_inherit *a, const struct sud_arch_thread *t)
{
	/* EINVAL where the CPU or the kernel lacks the feature */
	a->sve_vl = sud_sys1(SYS_prctl, PR_SVE_GET_VL);
	a->sme_vl = sud_sys1(SYS_prctl, PR_SME_GET_VL);
	a->sve_onexec = onexec_of(a->sve_vl, t ? t->sve_onexec : 0);
	a->sme_onexec = onexec_of(a->sme_vl, t ? t->sme_onexec : 0);
	a->tagged_addr = sud_sys5(SYS_prctl, PR_GET_TAGGED_ADDR_CTRL, 0, 0, 0, 0);
	a->pac_keys = sud_sys5(SYS_prctl, PR_PAC_GET_ENABLED_KEYS, 0, 0, 0, 0);
	a->pac_reset = t && t->pac_reset;
}

static bool differs(long have, long want)
{
	return want >= 0 && have != want;
}

bool arch_inherit_differ(const struct sud_arch_inherit *have, const struct sud_arch_inherit *want,
			 bool exec)
{
	/* the keys cannot be given; a new image gets new ones */
	if (want->pac_reset && !exec)
		return true;
	return differs(have->sve_vl, want->sve_vl) || differs(have->sve_onexec, want->sve_onexec) ||
	       differs(have->sme_vl, want->sme_vl) || differs(have->sme_onexec, want->sme_onexec) ||
	       differs(have->tagged_addr, want->tagged_addr) || differs(have->pac_keys, want->pac_keys);
}

/* The current length and INHERIT, which implies an exec length; then an exec length of its own. */
static void set_vl(int set, long have_vl, long have_onexec, long want_vl, long want_onexec)
{
	long inherit = want_vl & PR_SVE_VL_INHERIT, len = want_vl & PR_SVE_VL_LEN_MASK;

	if (!differs(have_vl, want_vl) && !differs(have_onexec, want_onexec))
		return;
	sud_sys2(SYS_prctl, set, len | inherit);
	if (want_onexec != onexec_of(want_vl, 0))
		sud_sys2(SYS_prctl, set, want_onexec | inherit | PR_SVE_SET_VL_ONEXEC);
}

void arch_inherit_apply(const struct sud_arch_inherit *have, const struct sud_arch_inherit *want)
{
	set_vl(PR_SVE_SET_VL, have->sve_vl, have->sve_onexec, want->sve_vl, want->sve_onexec);
	set_vl(PR_SME_SET_VL, have->sme_vl, have->sme_onexec, want->sme_vl, want->sme_onexec);
	if (differs(have->tagged_addr, want->tagged_addr))
		sud_sys5(SYS_prctl, PR_SET_TAGGED_ADDR_CTRL, want->tagged_addr, 0, 0, 0);
	if (differs(have->pac_keys, want->pac_keys))
		sud_sys5(SYS_prctl, PR_PAC_SET_ENABLED_KEYS, SUD_PAC_ALL_KEYS, want->pac_keys, 0, 0);
}

void arch_inherit_prctl(struct sud_arch_thread *t, const unsigned long a[6], long ret)
{
	int option = (int)a[0];

	if (ret < 0)
		return;
	if (option == PR_SVE_SET_VL || option == PR_SME_SET_VL || option == PR_SET_SPECULATION_CTRL)
		arch_fast_forget_frame();
	/* a set returns the new state; with ONEXEC, the length for the next exec */
	if (option == PR_SVE_SET_VL)
		t->sve_onexec = (a[1] & PR_SVE_SET_VL_ONEXEC) ? (ret & PR_SVE_VL_LEN_MASK) : 0;
	else if (option == PR_SME_SET_VL)
		t->sme_onexec = (a[1] & PR_SVE_SET_VL_ONEXEC) ? (ret & PR_SVE_VL_LEN_MASK) : 0;
	else if (option == PR_PAC_RESET_KEYS)
		t->pac_reset = true;
}
