// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Frames an unwinder can read: a syscall the emulation re-issued from its
 * SIGSYS handler is cancelled and backtraced through as a native one is.
 */
#include <errno.h>
#include <execinfo.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "conformance.h"


struct reader {
	int fd;
	volatile pid_t tid;
	volatile char sel;
	volatile int cleaned;
};

static void mark_cleaned(void *arg)
{
	((struct reader *)arg)->cleaned = 1;
}

static void *cancelled_reader(void *arg)
{
	struct reader *r = arg;
	char c;

	r->sel = SYSCALL_DISPATCH_FILTER_ALLOW;
	if (arm(PR_SYS_DISPATCH_ON, 0, 0, &r->sel))
		return NULL;
	r->tid = (pid_t)syscall(SYS_gettid);
	pthread_cleanup_push(mark_cleaned, r);
	if (read(r->fd, &c, 1) >= 0)
		r->tid = -1;
	pthread_cleanup_pop(0);
	return NULL;
}

/* pthread_cancel of a thread blocked in read(): under the emulation, the library re-issued it. */
static void cancel_blocked_read(void)
{
	static struct reader r;
	pthread_t t;
	void *res = NULL;
	int p[2];

	install_recorder(0);
	CHECK(pipe(p) == 0);
	r.fd = p[0];
	CHECK(pthread_create(&t, NULL, cancelled_reader, &r) == 0);
	while (!r.tid)
		sched_yield();
	note("reader blocked in read: %s", wait_in_syscall(SYS_read, r.tid) ? "yes" : "no");
	CHECK(pthread_cancel(t) == 0);
	CHECK(pthread_join(t, &res) == 0);
	note("joined: %s", res == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "something else");
	note("cleanup handler ran: %s", r.cleaned ? "yes" : "no");
	CHECK(res == PTHREAD_CANCELED);
	CHECK(r.cleaned);
}

#define MAX_FRAMES 64
static void *frames[MAX_FRAMES];
static volatile int n_frames;
static void *volatile read_caller_ret;
static volatile ssize_t read_result;
static volatile int read_errno;

static void backtrace_handler(int sig)
{
	(void)sig;
	n_frames = backtrace(frames, MAX_FRAMES);
}

/* Calls read(); records where it returns to in its caller, which backtrace() must pass. */
__attribute__((noinline)) static void read_one(int fd)
{
	char c;

	read_caller_ret = __builtin_return_address(0);
	read_result = read(fd, &c, 1);
	read_errno = errno;
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void blocked_reader(int fd)
{
	read_one(fd);
	__asm__ volatile("" ::: "memory");
}

/* A SIGALRM interrupts read(): does backtrace() in its handler reach read's caller? */
static bool backtrace_reaches_reader(int fd)
{
	struct itimerval it = { { 0, 0 }, { 0, 200 * 1000 } };
	bool found = false;

	n_frames = 0;
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	blocked_reader(fd);
	for (int i = 0; i < n_frames; i++)
		found |= frames[i] == read_caller_ret;
	return found;
}

/* backtrace() from a SIGALRM handler that interrupted read(), which the emulation re-issued. */
static void backtrace_from_interrupted_read(void)
{
	struct sigaction sa;
	bool found;
	int p[2];

	install_recorder(0);
	CHECK(pipe(p) == 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = backtrace_handler;	/* no SA_RESTART: the read ends with EINTR */
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
	/* unarmed first, which also loads the unwinder before anything arms */
	if (!backtrace_reaches_reader(p[0]))
		skip_case("backtrace() does not step through a signal frame here, even without SUD");
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	found = backtrace_reaches_reader(p[0]);
	note("read: %s", read_result == -1 && read_errno == EINTR ? "EINTR" : "something else");
	note("backtrace from the handler: %s", n_frames > 0 ? "frames" : "none");
	note("backtrace reaches read's caller: %s", found ? "yes" : "no");
	CHECK(found);
}

const struct sud_case unwind_cases[] = {
	SUD_CASE(cancel_blocked_read, 0),
	SUD_CASE(backtrace_from_interrupted_read, 0),
};
const int n_unwind_cases = sizeof(unwind_cases) / sizeof(unwind_cases[0]);
