// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SIGSYS is never really blocked on an armed thread, whichever way a mask
 * that holds it reaches the kernel: another handler's sa_mask (dash's
 * sigfillset), a uc_sigmask changed by a handler, the temporary mask of a
 * sleep. Natively a trapped syscall at ALLOW then simply runs; an emulation
 * that lets the mask through dies at its first trap.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "arch-api.h"
#include "conformance.h"

static volatile int usr1_count, usr1_trapped_ok, usr1_saw_sigsys_blocked = -1;

/* A handler whose syscall the filter traps: at ALLOW it runs, natively as emulated. */
static void trapping_handler(int sig)
{
	sigset_t now;

	(void)sig;
	usr1_count++;
	usr1_trapped_ok += RAW0(SYS_getppid) == getppid();
	if (!sigprocmask(SIG_BLOCK, NULL, &now))
		usr1_saw_sigsys_blocked = sigismember(&now, SIGSYS);
}

static void install(int sig, void (*handler)(int), bool fill)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	if (fill)
		sigfillset(&sa.sa_mask);
	CHECK(sigaction(sig, &sa, NULL) == 0);
}

static void arm_at_allow(void)
{
	install_recorder(0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
}

/* The handler reads back as installed: its address, its flags, its mask. */
static void note_sa_mask(int sig)
{
	struct sud_ksigaction k;
	struct sigaction sa;

	CHECK(sigaction(sig, NULL, &sa) == 0);
	CHECK(syscall(SYS_rt_sigaction, sig, NULL, &k, sizeof(uint64_t)) == 0);
	note("sa_mask holds SIGSYS: sigaction %d, rt_sigaction %d", sigismember(&sa.sa_mask, SIGSYS),
	     !!(k.mask & sud_sigbit(SIGSYS)));
	note("the handler reads back: sigaction %d, rt_sigaction %d; SA_SIGINFO %d",
	     sa.sa_handler == trapping_handler, k.handler == (void *)trapping_handler,
	     !!(sa.sa_flags & SA_SIGINFO));
	CHECK(sa.sa_handler == trapping_handler && k.handler == (void *)trapping_handler);
	CHECK(sigismember(&sa.sa_mask, SIGSYS) == 1 && !(sa.sa_flags & SA_SIGINFO));
}

static void other_handler_masks_sigsys(void)
{
	sigset_t now;

	arm_at_allow();
	install(SIGUSR1, trapping_handler, true);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(sigprocmask(SIG_BLOCK, NULL, &now) == 0);
	note("handler ran %d times, its syscall ran %d, SIGSYS blocked in it %d, after it %d",
	     usr1_count, usr1_trapped_ok, usr1_saw_sigsys_blocked, sigismember(&now, SIGSYS));
	CHECK(usr1_count == 1 && usr1_trapped_ok == 1 && usr1_saw_sigsys_blocked == 1);
	CHECK(sigismember(&now, SIGSYS) == 0);
	note_sa_mask(SIGUSR1);
}

/* A handler that ran while SIGSYS was blocked returns to SIGSYS blocked. */
static void blocked_stays_blocked_across_a_handler(void)
{
	sigset_t sigsys, now;

	arm_at_allow();
	install(SIGUSR1, trapping_handler, false);
	sigemptyset(&sigsys);
	sigaddset(&sigsys, SIGSYS);
	CHECK(sigprocmask(SIG_BLOCK, &sigsys, NULL) == 0);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(sigprocmask(SIG_BLOCK, NULL, &now) == 0);
	note("SIGSYS blocked in the handler %d, after it %d", usr1_saw_sigsys_blocked,
	     sigismember(&now, SIGSYS));
	CHECK(usr1_saw_sigsys_blocked == 1 && sigismember(&now, SIGSYS) == 1);
}

static void dispatching_handler(int sig)
{
	(void)sig;
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	RAW0(SYS_getppid);
}

/* SIGSYS is blocked in that handler: a dispatch there is fatal, as a forced signal is. */
static void dispatch_in_masking_handler_kills(void)
{
	arm_at_allow();
	install(SIGUSR1, dispatching_handler, true);
	raise(SIGUSR1);
	note("survived");
}

static void mask_installed_before_arming(void)
{
	install(SIGUSR1, trapping_handler, true);
	arm_at_allow();
	CHECK(raise(SIGUSR1) == 0);
	note("handler ran %d times, its syscall ran %d", usr1_count, usr1_trapped_ok);
	CHECK(usr1_count == 1 && usr1_trapped_ok == 1);
	note_sa_mask(SIGUSR1);
}

static void raw_rt_sigaction_mask(void)
{
	struct sud_ksigaction k;

	arm_at_allow();
	/* libc's restorer and flags, then the mask by raw syscall */
	install(SIGUSR1, trapping_handler, false);
	CHECK(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &k, sizeof(uint64_t)) == 0);
	k.mask = ~0ull;
	CHECK(syscall(SYS_rt_sigaction, SIGUSR1, &k, NULL, sizeof(uint64_t)) == 0);
	CHECK(raise(SIGUSR1) == 0);
	note("handler ran %d times, its syscall ran %d", usr1_count, usr1_trapped_ok);
	CHECK(usr1_count == 1 && usr1_trapped_ok == 1);
	note_sa_mask(SIGUSR1);
}

static void blocking_on_return(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)info;
	sigaddset(&uc->uc_sigmask, SIGSYS);
}

/* The mask a handler leaves in its frame is the thread's after the return. */
static void uc_sigmask_blocks_on_return(void)
{
	struct sigaction sa;
	sigset_t now;

	arm_at_allow();
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = blocking_on_return;
	sa.sa_flags = SA_SIGINFO;
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(sigprocmask(SIG_BLOCK, NULL, &now) == 0);
	note("SIGSYS blocked after the return: %d", sigismember(&now, SIGSYS));
	note("a syscall at ALLOW runs: %d", RAW0(SYS_getppid) == getppid());
	/* a dispatch with SIGSYS blocked is fatal */
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	RAW0(SYS_getppid);
	note("survived");
}

static volatile int alarm_count, alarm_trapped_ok;

static void trapping_alarm(int sig)
{
	(void)sig;
	alarm_count++;
	alarm_trapped_ok += RAW0(SYS_getppid) == getppid();
}

static void alarm_in(long usec)
{
	struct itimerval once = { { 0, 0 }, { 0, usec } };

	CHECK(setitimer(ITIMER_REAL, &once, NULL) == 0);
}

/*
 * A signal that ends a sleep whose temporary mask holds SIGSYS runs its
 * handler with that mask: its trapped syscall at ALLOW runs.
 */
static void temporary_masks_keep_sigsys_virtual(void)
{
	struct timespec second = { 1, 0 };
	struct epoll_event ev;
	sigset_t sigsys;
	int epfd, r, err;

	arm_at_allow();
	install(SIGALRM, trapping_alarm, false);
	sigemptyset(&sigsys);
	sigaddset(&sigsys, SIGSYS);

	alarm_in(20000);
	r = ppoll(NULL, 0, &second, &sigsys);
	err = errno;
	note("ppoll: %d (%s), alarms %d, trapped syscall ran %d", r, err == EINTR ? "EINTR" : "?",
	     alarm_count, alarm_trapped_ok);
	CHECK(r == -1 && err == EINTR && alarm_trapped_ok == 1);

	alarm_in(20000);
	r = pselect(0, NULL, NULL, NULL, &second, &sigsys);
	err = errno;
	note("pselect: %d (%s), alarms %d, trapped syscall ran %d", r, err == EINTR ? "EINTR" : "?",
	     alarm_count, alarm_trapped_ok);
	CHECK(r == -1 && err == EINTR && alarm_trapped_ok == 2);

	epfd = epoll_create1(0);
	CHECK(epfd >= 0);
	alarm_in(20000);
	r = epoll_pwait(epfd, &ev, 1, 1000, &sigsys);
	err = errno;
	note("epoll_pwait: %d (%s), alarms %d, trapped syscall ran %d", r,
	     err == EINTR ? "EINTR" : "?", alarm_count, alarm_trapped_ok);
	CHECK(r == -1 && err == EINTR && alarm_trapped_ok == 3);
	close(epfd);
}

static volatile int sys_count, sys_saw_usr2_blocked, sys_saw_sigsys_blocked;

static void sleeping_sigsys(int sig)
{
	sigset_t now;

	(void)sig;
	sys_count++;
	sigprocmask(SIG_BLOCK, NULL, &now);
	sys_saw_usr2_blocked = sigismember(&now, SIGUSR2);
	sys_saw_sigsys_blocked = sigismember(&now, SIGSYS);
}

/*
 * A pending SIGSYS that a sleep's temporary mask lets through ends it with
 * EINTR; the handler runs with the temporary mask (plus SIGSYS), and the
 * thread's own mask comes back afterwards.
 */
static void sleep_delivers_pending(const char *how, void *low)
{
	struct timespec second = { 1, 0 };
	struct sigaction sa;
	sigset_t sigsys, temporary, now;
	int r, err;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sleeping_sigsys;
	CHECK(sigaction(SIGSYS, &sa, NULL) == 0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	sigemptyset(&sigsys);
	sigaddset(&sigsys, SIGSYS);
	CHECK(sigprocmask(SIG_BLOCK, &sigsys, NULL) == 0);
	CHECK(kill(getpid(), SIGSYS) == 0);
	sigemptyset(&temporary);
	sigaddset(&temporary, SIGUSR2);
	if (!strcmp(how, "ppoll")) {
		r = ppoll(NULL, 0, &second, &temporary);
	} else if (!strcmp(how, "i386 ppoll")) {
		/*
		 * i386's ppoll_time64(fds, nfds, __kernel_timespec, sigmask, size), the
		 * pointers below 4 GiB (the time32 ppoll needs COMPAT_32BIT_TIME)
		 */
		int64_t *ts = low;
		uint64_t *mask = (uint64_t *)(ts + 2);

		ts[0] = 1;
		ts[1] = 0;
		memcpy(mask, &temporary, sizeof(*mask));
		r = (int)test_foreign_syscall(414, 0, 0, (long)ts, (long)mask, 8, 0);
		errno = r < 0 ? -r : 0;
		r = r < 0 ? -1 : r;
	} else {
		r = sigsuspend(&temporary);
	}
	err = errno;
	CHECK(sigprocmask(SIG_BLOCK, NULL, &now) == 0);
	note("%s: %d (%s), handler ran %d times", how, r, err == EINTR ? "EINTR" : "?", sys_count);
	note("in the handler: SIGUSR2 blocked %d, SIGSYS blocked %d", sys_saw_usr2_blocked,
	     sys_saw_sigsys_blocked);
	note("after: SIGSYS blocked %d, SIGUSR2 blocked %d", sigismember(&now, SIGSYS),
	     sigismember(&now, SIGUSR2));
	CHECK(r == -1 && err == EINTR && sys_count == 1 && sys_saw_usr2_blocked == 1);
	CHECK(sigismember(&now, SIGSYS) == 1 && sigismember(&now, SIGUSR2) == 0);
}

static void ppoll_delivers_pending(void)
{
	sleep_delivers_pending("ppoll", NULL);
}

static void sigsuspend_delivers_pending(void)
{
	sleep_delivers_pending("sigsuspend", NULL);
}

/* The same through the foreign ABI (i386's ppoll by int $0x80), as the kernel's compat layer. */
static void foreign_ppoll_delivers_pending(void)
{
	void *low;

	need_foreign_abi();
	low = mmap((void *)0x10000000ul, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(low == (void *)0x10000000ul);
	sleep_delivers_pending("i386 ppoll", low);
}

const struct sud_case mask_cases[] = {
	SUD_CASE(other_handler_masks_sigsys, 0),
	SUD_CASE(dispatch_in_masking_handler_kills, SIGSYS),
	SUD_CASE(blocked_stays_blocked_across_a_handler, 0),
	SUD_CASE(mask_installed_before_arming, 0),
	SUD_CASE(raw_rt_sigaction_mask, 0),
	SUD_CASE(uc_sigmask_blocks_on_return, SIGSYS),
	SUD_CASE(temporary_masks_keep_sigsys_virtual, 0),
	SUD_CASE(ppoll_delivers_pending, 0),
	SUD_CASE(sigsuspend_delivers_pending, 0),
	SUD_CASE(foreign_ppoll_delivers_pending, 0),
};
const int n_mask_cases = sizeof(mask_cases) / sizeof(mask_cases[0]);
