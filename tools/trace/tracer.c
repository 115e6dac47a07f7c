// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libsudtrace: a syscall-counting tracer built only on the public SUD API.
 *
 * Preloaded after libsudcompat (see sudtrace(1)), it arms syscall user
 * dispatch in every process it is loaded into with its own syscall stub as
 * the allowed range, counts each dispatched syscall, and re-issues it from
 * the stub. At exit each process appends its counts to $SUDTRACE_OUTPUT.
 * With SUDTRACE_STATS set, each image also appends what libsudcompat's fast
 * path did in it to that file, as bench/allow.c does: "traps SITES_TRAPPED
 * SITES_REWRITTEN SITES_LEFT TRAPS" (bench/python-trace).
 *
 * A clone that shares memory (a thread, vfork, posix_spawn) cannot resume
 * inside this handler on its new stack: the tracer re-executes it at ALLOW
 * and stops tracing that thread, and says so in its report.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/sched.h>

#include "arch.h"
#include "sudcompat.h"

/* weak: served by the libsudcompat preloaded before us, read only for SUDTRACE_STATS */
#pragma weak sudcompat_fastpath_stats

/* the stub: the library's trampoline, linked into this object as our own copy */
extern char sud_trampoline_start[], sud_trampoline_end[];
long sud_tramp_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
__attribute__((noreturn)) void sud_tramp_sigreturn_at(unsigned long sp);

#define MAX_NR 1024

struct kernel_sigaction {
	void *handler;
	unsigned long flags;
#if ARCH_HAS_SA_RESTORER
	void *restorer;
#endif
	unsigned long long mask;
};

static unsigned long counts[MAX_NR];
static unsigned long untraced_clones;
static volatile char selector = SYSCALL_DISPATCH_FILTER_BLOCK;
static bool armed;
static struct sudcompat_fastpath_stats stats_at_start;

static void report(void);

static bool shares_memory(long nr, const unsigned long a[6])
{
	if (nr == SYS_clone)
		return a[0] & CLONE_VM;
#ifdef SYS_vfork
	if (nr == SYS_vfork)
		return true;
#endif
	if (nr == SYS_clone3)
		return ((const struct clone_args *)a[0])->flags & CLONE_VM;
	return false;
}

static void on_sigsys(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;
	long nr = info->si_syscall;
	unsigned long a[6];

	(void)sig;
	if (info->si_code != SYS_USER_DISPATCH)
		return;
	if (nr >= 0 && nr < MAX_NR)
		__atomic_add_fetch(&counts[nr], 1, __ATOMIC_RELAXED);
	if (nr == SYS_rt_sigreturn)
		sud_tramp_sigreturn_at(arch_uc_sp(uc));
	arch_uc_args(uc, a);
	if (nr == SYS_execve || nr == SYS_execveat) {
		/* the new image starts counting afresh: report what this one did */
		selector = SYSCALL_DISPATCH_FILTER_ALLOW;
		report();
		selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	}
	if (shares_memory(nr, a)) {
		__atomic_add_fetch(&untraced_clones, 1, __ATOMIC_RELAXED);
		selector = SYSCALL_DISPATCH_FILTER_ALLOW;
		arch_uc_set_ip(uc, arch_uc_ip(uc) - ARCH_SYSCALL_INSN_SIZE);
		return;
	}
	if (nr == SYS_rt_sigaction && a[1]) {
		/* nor run a handler with SIGSYS blocked: its return would be dispatched, fatally */
		static __thread struct kernel_sigaction act;

		memcpy(&act, (const void *)a[1], sizeof(act));
		act.mask &= ~(1ull << (SIGSYS - 1));
		a[1] = (unsigned long)&act;
	}
	if (nr == SYS_rt_sigprocmask && a[1] && a[0] != SIG_UNBLOCK) {
		/* a blocked SIGSYS makes the next dispatch fatal: the program may not block it */
		static __thread sigset_t copy;

		memcpy(&copy, (const void *)a[1], a[3] < sizeof(copy) ? a[3] : sizeof(copy));
		sigdelset(&copy, SIGSYS);
		a[1] = (unsigned long)&copy;
	}
	arch_uc_set_return(uc, sud_tramp_syscall(nr, (long)a[0], (long)a[1], (long)a[2],
						 (long)a[3], (long)a[4], (long)a[5]));
}

static void arm(void)
{
	armed = prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON,
		      (unsigned long)sud_trampoline_start,
		      (unsigned long)(sud_trampoline_end - sud_trampoline_start), &selector) == 0;
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
}

/* A fork child starts disarmed, with its parent's counts: it counts its own. */
static void in_child(void)
{
	memset(counts, 0, sizeof(counts));
	untraced_clones = 0;
	if (sudcompat_fastpath_stats)
		sudcompat_fastpath_stats(&stats_at_start);
	arm();
}

/* What the fast path did since the last report of this image, to $SUDTRACE_STATS. */
static void report_stats(void)
{
	const char *path = getenv("SUDTRACE_STATS");
	struct sudcompat_fastpath_stats now;
	char line[128];
	int fd, len;

	if (!path || !sudcompat_fastpath_stats || sudcompat_fastpath_stats(&now))
		return;
	len = snprintf(line, sizeof(line), "traps %lu %lu %lu %lu\n",
		       now.sites_trapped - stats_at_start.sites_trapped,
		       now.sites_rewritten - stats_at_start.sites_rewritten,
		       now.sites_left - stats_at_start.sites_left,
		       now.traps - stats_at_start.traps);
	stats_at_start = now;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)len) < 0)
		len = 0;
	close(fd);
}

/* One write per image: O_APPEND keeps it in one piece beside the other processes' reports. */
static void report(void)
{
	static char buf[MAX_NR * 32 + 64];
	const char *path = getenv("SUDTRACE_OUTPUT");
	size_t len;
	int fd;

	if (!armed || !path)
		return;
	/* first: the report's own syscalls (a getpid a line) are not the program's */
	report_stats();
	len = (size_t)snprintf(buf, sizeof(buf), "%d image 1\n", getpid());
	for (int nr = 0; nr < MAX_NR; nr++)
		if (counts[nr])
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%d %d %lu\n", getpid(),
						nr, counts[nr]);
	if (untraced_clones)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%d untraced %lu\n", getpid(),
					untraced_clones);
	memset(counts, 0, sizeof(counts));
	untraced_clones = 0;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, buf, len) < 0)
		len = 0;
	close(fd);
}

__attribute__((constructor)) static void start(void)
{
	struct sigaction sa;

	if (!getenv("SUDTRACE_OUTPUT"))
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	/* SA_NODEFER: the handler's own return is dispatched as rt_sigreturn on x86-64 */
	sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_RESTART;
	if (sigaction(SIGSYS, &sa, NULL))
		return;
	if (sudcompat_fastpath_stats)
		sudcompat_fastpath_stats(&stats_at_start);
	pthread_atfork(NULL, NULL, in_child);
	atexit(report);
	arm();
}

__attribute__((destructor)) static void stop(void)
{
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
}
