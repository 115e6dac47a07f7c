// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The application's own seccomp filters, as an armed thread installs them
 * through the trapped seccomp() and prctl(PR_SET_SECCOMP): copied into
 * mappings of the library's (the program may be freed or reused by the
 * application), kept for the life of the process, shared by every thread
 * that has them, and never changed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/seccomp.h>

#include "app_filters.h"
#include "arch-api.h"

#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER	(1ul << 3)
#endif

const struct sud_app_filter *sud_app_filter_add(const struct sud_app_filter *older,
						unsigned int flags, const struct sock_fprog *prog)
{
	size_t size = offsetof(struct sud_app_filter, insns) +
		      (size_t)prog->len * sizeof(struct sock_filter);
	long at = sud_sys6(SYS_mmap, 0, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct sud_app_filter *f;

	if (sud_is_error(at))
		return NULL;
	f = (struct sud_app_filter *)at;
	f->older = older;
	f->map_size = size;
	f->reproducible = !(flags & SECCOMP_FILTER_FLAG_NEW_LISTENER);
	/* what the kernel keeps of the flags; the others act at installation only */
	f->flags = flags & (SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW);
	f->len = prog->len;
	memcpy(f->insns, prog->filter, (size_t)prog->len * sizeof(struct sock_filter));
	sud_sys3(SYS_mprotect, f, size, PROT_READ);
	return f;
}

long sud_app_filters_install(const struct sud_app_filter *newest)
{
	struct sock_fprog prog;
	long rc;

	if (!newest)
		return 0;
	if (!newest->reproducible)
		return -EPERM;
	rc = sud_app_filters_install(newest->older);
	if (rc)
		return rc;
	prog.len = newest->len;
	prog.filter = (struct sock_filter *)newest->insns;
	rc = sud_sys3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, newest->flags, &prog);
	/*
	 * The filter went in on an armed thread that arming had given
	 * no_new_privs (docs/design.md): its child takes that too, rather than
	 * go without the filter.
	 */
	if (rc == -EACCES && !sud_sys5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		rc = sud_sys3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, newest->flags, &prog);
	return rc;
}
