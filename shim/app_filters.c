// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The application's own seccomp filters, as an armed thread installs them
 * through the trapped seccomp() and prctl(PR_SET_SECCOMP): copied into
 * mappings of the library's (the program may be freed or reused by the
 * application), kept for the life of the process, shared by every thread
 * that has them, and never changed.
 *
 * Its Landlock domains likewise (landlock_restrict_self(), trapped): the
 * ruleset is the kernel's, so the library keeps a duplicate of its fd,
 * close-on-exec and high in the table, and the new task restricts itself
 * with it. A ruleset stays mutable: a rule added to it afterwards would be
 * in the replay but not in the caller's domain, a child with more access.
 * An armed thread's landlock_add_rule() is trapped too, and from then on
 * the domains of that ruleset are not reproducible (EPERM).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <linux/kcmp.h>
#include <linux/seccomp.h>

#include "app_filters.h"
#include "arch-api.h"

#ifndef SYS_landlock_restrict_self
#define SYS_landlock_add_rule		445
#define SYS_landlock_restrict_self	446
#endif

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
	f->kind = SUD_APP_SECCOMP;
	f->ruleset_fd = -1;
	f->reproducible = !(flags & SECCOMP_FILTER_FLAG_NEW_LISTENER);
	/* what the kernel keeps of the flags; the others act at installation only */
	f->flags = flags & (SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW);
	f->len = prog->len;
	memcpy(f->insns, prog->filter, (size_t)prog->len * sizeof(struct sock_filter));
	sud_sys3(SYS_mprotect, f, size, PROT_READ);
	return f;
}

/* Every recorded domain of the process, newest first; a record is never freed. */
static struct sud_app_filter *landlock_records;

/* Where the library's duplicates go: above the descriptors an application normally uses. */
static long high_fd_floor(void)
{
	struct rlimit rl;

	if (sud_sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &rl) || rl.rlim_cur < 64)
		return 3;
	return (long)(rl.rlim_cur < 1024 ? rl.rlim_cur : 1024) * 3 / 4;
}

const struct sud_app_filter *sud_app_landlock_add(const struct sud_app_filter *older,
						  int ruleset_fd, unsigned int flags)
{
	size_t size = sizeof(struct sud_app_filter);
	long at = sud_sys6(SYS_mmap, 0, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct sud_app_filter *f, *head;
	long fd = -1;

	if (sud_is_error(at))
		return NULL;
	f = (struct sud_app_filter *)at;
	if (ruleset_fd >= 0) {
		fd = sud_sys3(SYS_fcntl, ruleset_fd, F_DUPFD_CLOEXEC, high_fd_floor());
		if (fd < 0)
			fd = sud_sys3(SYS_fcntl, ruleset_fd, F_DUPFD_CLOEXEC, 0);
	}
	f->older = older;
	f->map_size = size;
	f->kind = SUD_APP_LANDLOCK;
	f->flags = flags;
	f->ruleset_fd = (int)fd;
	/* without a duplicate there is nothing to restrict a child with */
	f->reproducible = ruleset_fd < 0 || fd >= 0;
	head = __atomic_load_n(&landlock_records, __ATOMIC_RELAXED);
	do
		f->next_landlock = head;
	while (!__atomic_compare_exchange_n(&landlock_records, &head, f, true, __ATOMIC_RELEASE,
					    __ATOMIC_RELAXED));
	return f;
}

void sud_app_landlock_rule_added(int fd)
{
	long pid = sud_sys0(SYS_getpid);

	for (struct sud_app_filter *f = __atomic_load_n(&landlock_records, __ATOMIC_ACQUIRE); f;
	     f = f->next_landlock) {
		long same;

		if (f->ruleset_fd < 0)
			continue;
		same = sud_sys5(SYS_kcmp, pid, pid, KCMP_FILE, fd, f->ruleset_fd);
		/* without kcmp (CONFIG_KCMP) any ruleset may be this one */
		if (same == 0 || same == -ENOSYS)
			__atomic_store_n(&f->changed, 1, __ATOMIC_RELEASE);
	}
}

bool sud_app_filters_reproducible(const struct sud_app_filter *newest)
{
	for (const struct sud_app_filter *f = newest; f; f = f->older)
		if (!f->reproducible || __atomic_load_n(&f->changed, __ATOMIC_ACQUIRE))
			return false;
	return true;
}

/* Landlock needs no_new_privs, as seccomp does: see below. */
static long restrict_self(const struct sud_app_filter *f)
{
	long rc = sud_sys2(SYS_landlock_restrict_self, f->ruleset_fd, f->flags);

	if (rc == -EPERM && !sud_sys5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		rc = sud_sys2(SYS_landlock_restrict_self, f->ruleset_fd, f->flags);
	return rc;
}

long sud_app_filters_install(const struct sud_app_filter *newest)
{
	struct sock_fprog prog;
	long rc;

	if (!newest)
		return 0;
	if (!newest->reproducible || __atomic_load_n(&newest->changed, __ATOMIC_ACQUIRE))
		return -EPERM;
	rc = sud_app_filters_install(newest->older);
	if (rc)
		return rc;
	if (newest->kind == SUD_APP_LANDLOCK)
		return restrict_self(newest);
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
