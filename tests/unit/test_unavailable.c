// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Where neither SUD nor seccomp works (QEMU-user refuses both), the prctl
 * must fail with the kernel's EINVAL, the probe must say why, and nothing
 * may crash or hang. Elsewhere there is nothing to check here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "sudcompat.h"
#include "tap.h"

int main(void)
{
	struct sudcompat_probe p;
	static char selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	int rc;

	tap_plan(5);
	tap_ok(sudcompat_probe(&p) == 0, "probe answers");
	if (p.native_errno == 0 || p.seccomp_errno == 0) {
		for (int i = 0; i < 4; i++)
			tap_skip("this kernel has SUD or seccomp; the test is for environments without both",
				 "unavailable backend case %d", i + 1);
		return tap_done();
	}
	tap_ok(p.backend == SUDCOMPAT_BACKEND_NONE && p.reason && *p.reason,
	       "probe reports no backend: %s", p.reason ? p.reason : "(no reason)");
	errno = 0;
	rc = prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 0, 0, &selector);
	tap_ok(rc == -1 && errno == EINVAL, "arming fails with EINVAL (%d, %s)", rc, strerror(errno));
	errno = 0;
	rc = sudcompat_select_backend(SUDCOMPAT_BACKEND_SECCOMP);
	tap_ok(rc == -1 && errno == EINVAL, "forcing the seccomp backend fails with EINVAL");
	errno = 0;
	rc = prctl(PR_SET_SYSCALL_USER_DISPATCH, 7, 0, 0, NULL);
	tap_ok(rc == -1 && errno == EINVAL, "a bad op still gives EINVAL");
	return tap_done();
}
