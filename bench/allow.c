// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libbenchallow: preloaded after libsudcompat by bench/python-allow, it
 * arms syscall user dispatch at ALLOW in every image it is loaded into, so
 * that a real program runs with every syscall passing the selector, as a
 * sandbox or emulator does between dispatches. At exit, with
 * BENCH_ALLOW_STATS set, the image appends what the fast path did to
 * that file: "traps SITES_TRAPPED SITES_REWRITTEN SITES_LEFT TRAPS".
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "sudcompat.h"

static volatile char selector = SYSCALL_DISPATCH_FILTER_ALLOW;
static struct sudcompat_fastpath_stats at_start;

/* Nothing is ever dispatched at ALLOW: a dispatch is a failure of the run. */
static void on_sigsys(int sig, siginfo_t *info, void *uc)
{
	(void)sig;
	(void)info;
	(void)uc;
	abort();
}

static void report(void)
{
	const char *path = getenv("BENCH_ALLOW_STATS");
	struct sudcompat_fastpath_stats now;
	char line[128];
	int fd, len;

	if (!path || sudcompat_fastpath_stats(&now))
		return;
	len = snprintf(line, sizeof(line), "traps %lu %lu %lu %lu\n",
		       now.sites_trapped - at_start.sites_trapped,
		       now.sites_rewritten - at_start.sites_rewritten,
		       now.sites_left - at_start.sites_left, now.traps - at_start.traps);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0) {
		if (write(fd, line, (size_t)len) < 0)
			len = 0;
		close(fd);
	}
}

/* A fork child counts from where its parent was, and arms again: it starts disarmed. */
static void in_child(void)
{
	sudcompat_fastpath_stats(&at_start);
	prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 0, 0, &selector);
}

__attribute__((constructor)) static void start(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSYS, &sa, NULL))
		return;
	sudcompat_fastpath_stats(&at_start);
	pthread_atfork(NULL, NULL, in_child);
	atexit(report);
	prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 0, 0, &selector);
}
