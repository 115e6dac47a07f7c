// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Copies from and to addresses the application passed in a syscall.
 * The kernel answers EFAULT for a bad pointer; an emulated syscall must
 * too, not crash. process_vm_readv/writev on ourselves gives exactly that.
 */
#include <errno.h>
#include <stdbool.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "usercopy.h"
#include "arch-api.h"

/*
 * Without cross-memory attach (CONFIG_CROSS_MEMORY_ATTACH=n, or a filter
 * that denies it), a fault in our handler would kill: at least refuse what
 * is not mapped at all, which mincore() tells without touching it. A
 * mapped but read-only destination is not caught there.
 */
static bool mapped(const void *p, unsigned long n)
{
	unsigned long page = getauxval(AT_PAGESZ) ? getauxval(AT_PAGESZ) : 4096;
	unsigned long at = (unsigned long)p & ~(page - 1), end = (unsigned long)p + n;
	unsigned char vec;

	if (end < (unsigned long)p)
		return false;
	for (; at < end; at += page)
		if (sud_sys3(SYS_mincore, at, page, &vec))
			return false;
	return true;
}

static int copy(long nr, void *local, const void *remote, unsigned long n)
{
	struct iovec l = { .iov_base = local, .iov_len = n };
	struct iovec r = { .iov_base = (void *)remote, .iov_len = n };
	long pid = sud_sys0(SYS_getpid);
	long ret = sud_tramp_syscall(nr, pid, (long)&l, 1, (long)&r, 1, 0);

	if (ret == (long)n)
		return 0;
	if (ret == -ENOSYS || ret == -EPERM) {
		if (!mapped(remote, n))
			return -EFAULT;
		if (nr == SYS_process_vm_readv)
			__builtin_memcpy(local, remote, n);
		else
			__builtin_memcpy((void *)remote, local, n);
		return 0;
	}
	return -EFAULT;
}

int sud_copy_from_user(void *dst, const void *src, unsigned long n)
{
	return copy(SYS_process_vm_readv, dst, src, n);
}

int sud_copy_to_user(void *dst, const void *src, unsigned long n)
{
	return copy(SYS_process_vm_writev, (void *)src, dst, n);
}
