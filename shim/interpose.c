// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The libc entry points the library takes over, so that an unmodified
 * application gets SUD: prctl() and syscall() for PR_SET_SYSCALL_USER_DISPATCH,
 * and sigaction()/signal() for SIGSYS once the library owns it.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

int __sigaction(int sig, const struct sigaction *act, struct sigaction *oact);

static long with_errno(long ret)
{
	if (sud_is_error(ret)) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

int prctl(int option, ...)
{
	unsigned long a[4];
	va_list ap;

	va_start(ap, option);
	for (int i = 0; i < 4; i++)
		a[i] = va_arg(ap, unsigned long);
	va_end(ap);
	if (option == PR_SET_SYSCALL_USER_DISPATCH)
		return (int)with_errno(sud_dispatch_prctl(a[0], a[1], a[2], (char *)a[3]));
	return (int)with_errno(sud_outside_syscall(SYS_prctl, option, (long)a[0], (long)a[1],
						   (long)a[2], (long)a[3], 0));
}

long syscall(long nr, ...)
{
	long a[6];
	va_list ap;

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == SYS_prctl && a[0] == PR_SET_SYSCALL_USER_DISPATCH)
		return with_errno(sud_dispatch_prctl((unsigned long)a[1], (unsigned long)a[2],
						     (unsigned long)a[3], (char *)a[4]));
	return with_errno(sud_outside_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
}

static void to_kernel(const struct sigaction *act, struct sud_ksigaction *k)
{
	memset(k, 0, sizeof(*k));
	k->handler = (void *)act->sa_handler;
	k->flags = (unsigned long)act->sa_flags;
	memcpy(&k->mask, &act->sa_mask, sizeof(k->mask));
}

static void from_kernel(const struct sud_ksigaction *k, struct sigaction *act)
{
	memset(act, 0, sizeof(*act));
	act->sa_handler = (void (*)(int))k->handler;
	act->sa_flags = (int)k->flags;
	memcpy(&act->sa_mask, &k->mask, sizeof(k->mask));
}

/* Threads that are not armed reach the kernel directly: SIGSYS must stay ours. */
int sigaction(int sig, const struct sigaction *act, struct sigaction *oact)
{
	struct sud_ksigaction k, old;

	if (sig != SIGSYS || !sud_sigsys_owned())
		return __sigaction(sig, act, oact);
	if (act)
		to_kernel(act, &k);
	sud_sigsys_exchange(act ? &k : NULL, &old);
	if (oact)
		from_kernel(&old, oact);
	return 0;
}

sighandler_t bsd_signal(int sig, sighandler_t handler);

sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction act, old;

	if (sig != SIGSYS || !sud_sigsys_owned())
		return bsd_signal(sig, handler);
	memset(&act, 0, sizeof(act));
	sigaddset(&act.sa_mask, SIGSYS);
	act.sa_handler = handler;
	act.sa_flags = SA_RESTART;
	if (sigaction(sig, &act, &old))
		return SIG_ERR;
	return old.sa_handler;
}
