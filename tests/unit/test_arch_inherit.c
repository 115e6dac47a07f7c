// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The architecture's per-thread controls that a child inherits
 * (shim/arch/<arch>/inherit.c, the contract in arch-api.h), without
 * seccomp (so also under QEMU-user): a thread changes what it can, another
 * thread that has the defaults takes that on with arch_inherit_apply(), and
 * then reads the same. Arch-generic: the controls are set by number, and
 * the ones this architecture, kernel or emulator lacks fail with EINVAL.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "arch-api.h"
#include "tap.h"

static struct sud_arch_inherit base, want, have, after;
static struct sud_arch_thread notes;
static int changed;

static long prctl_noted(long option, long arg)
{
	unsigned long a[6] = { (unsigned long)option, (unsigned long)arg, 0, 0, 0, 0 };
	long ret = syscall(SYS_prctl, option, arg, 0, 0, 0);

	if (ret < 0)
		ret = -errno;
	/* as the trapped prctl of an armed thread would be noted */
	arch_inherit_prctl(&notes, a, ret);
	return ret;
}

/* A supported vector length other than the current one, INHERIT set (1 << 17) where it can be. */
static bool other_vl(long get, long set)
{
	long vl = syscall(SYS_prctl, get, 0, 0, 0, 0), len;

	if (vl < 0)
		return false;
	len = vl & 0xffff;
	for (long w = len > 16 ? len / 2 : len * 2; w >= 16 && w <= 256; w = w < len ? w / 2 : w * 2) {
		/* QEMU-user takes no flags */
		for (long flags = 1 << 17; flags >= 0; flags = flags ? 0 : -1) {
			long got = prctl_noted(set, w | flags);

			if (got >= 0 && (got & 0xffff) != len)
				return true;
		}
	}
	return false;
}

/* Whatever this thread can change: x86-64's TSC, arm64's vector lengths, TBI and a PAC key, riscv's V. */
static void *changer(void *arg)
{
	unsigned int tsc;
	long ctl;

	(void)arg;
	if (!prctl(PR_GET_TSC, &tsc) && !prctl(PR_SET_TSC, PR_TSC_SIGSEGV))
		changed++;
	changed += other_vl(51, 50);	/* PR_SVE_GET_VL, PR_SVE_SET_VL */
	changed += other_vl(64, 63);	/* PR_SME_GET_VL, PR_SME_SET_VL */
	if (!syscall(SYS_prctl, 55, 1, 0, 0, 0))	/* PR_SET_TAGGED_ADDR_CTRL: TBI on */
		changed++;
	if (!syscall(SYS_prctl, 60, 8, 0, 0, 0))	/* PR_PAC_SET_ENABLED_KEYS: APDB off */
		changed++;
	ctl = syscall(SYS_prctl, 70, 0, 0, 0, 0);	/* PR_RISCV_V_GET_CONTROL */
	if (ctl >= 0 && !syscall(SYS_prctl, 69, ctl | 0x10, 0, 0, 0))
		changed++;
	arch_inherit_capture(&want, &notes);
	return NULL;
}

static void *taker(void *arg)
{
	bool *ok = arg;

	arch_inherit_capture(&have, NULL);
	ok[0] = arch_inherit_differ(&have, &want, false);
	arch_inherit_apply(&have, &want);
	/* what cannot be read back is as applied */
	arch_inherit_capture(&after, &notes);
	ok[1] = !arch_inherit_differ(&after, &want, false) && !arch_inherit_differ(&after, &want, true);
	return NULL;
}

int main(void)
{
	bool ok[2] = { false, false };
	pthread_t t;

	tap_plan(4);
	arch_inherit_capture(&base, NULL);
	tap_ok(!arch_inherit_differ(&base, &base, false) && !arch_inherit_differ(&base, &base, true),
	       "a thread's controls are its own");
	pthread_create(&t, NULL, changer, NULL);
	pthread_join(t, NULL);
	if (!changed) {
		tap_skip("no per-thread control to change here", "a changed thread differs");
		tap_skip("no per-thread control to change here", "another thread takes them on");
		tap_skip("no per-thread control to change here", "the main thread kept its own");
		return tap_done();
	}
	tap_diag("%d control(s) changed", changed);
	pthread_create(&t, NULL, taker, ok);
	pthread_join(t, NULL);
	tap_ok(ok[0], "a changed thread differs");
	tap_ok(ok[1], "another thread takes them on");
	arch_inherit_capture(&after, NULL);
	tap_ok(!arch_inherit_differ(&after, &base, false), "the main thread kept its own");
	return tap_done();
}
