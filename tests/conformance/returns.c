// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The return from the SIGSYS handler is a syscall like any other: its
 * rt_sigreturn is dispatched when the selector is BLOCK and the restorer
 * lies outside the allowed range (and is not the kernel's vDSO
 * trampoline), and the handler runs on the kernel's own frame, so that
 * one which returns by hand through the frame (the upstream sud_benchmark)
 * works.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch-api.h"
#include "conformance.h"

static volatile struct {
	int count, nr[4];
	unsigned long call_addr[4];
	int leave_blocked;	/* handler returns with the selector at BLOCK this many times */
} seen;

/*
 * A dispatched rt_sigreturn is re-issued at ALLOW: rewound onto its
 * syscall instruction, with the number the rollback left in place.
 */
static void returning_handler(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;
	int i = seen.count++;

	(void)sig;
	if (i < 4) {
		seen.nr[i] = info->si_syscall;
		seen.call_addr[i] = (unsigned long)info->si_call_addr;
	}
	if (info->si_syscall == SYS_rt_sigreturn) {
		selector = SYSCALL_DISPATCH_FILTER_ALLOW;
		arch_uc_set_ip(uc, arch_uc_ip(uc) - ARCH_SYSCALL_INSN_SIZE);
		return;
	}
	arch_uc_set_return(uc, EMULATED_RETURN);
	selector = seen.leave_blocked-- > 0 ? SYSCALL_DISPATCH_FILTER_BLOCK :
					     SYSCALL_DISPATCH_FILTER_ALLOW;
}

/* Whether the handler returns through a restorer of libc's (SA_RESTORER), not the vDSO's. */
static bool libc_restorer(void)
{
	struct sud_ksigaction k;

	CHECK(syscall(SYS_rt_sigaction, SIGSYS, NULL, &k, sizeof(uint64_t)) == 0);
	return k.flags & SUD_SA_RESTORER;
}

static void note_seen(void)
{
	for (int i = 0; i < seen.count && i < 4; i++)
		note("dispatch %d: %s", i, seen.nr[i] == SYS_rt_sigreturn ? "rt_sigreturn" :
					    seen.nr[i] == SYS_getppid ? "getppid" : "?");
}

static void return_at_block_is_dispatched(void)
{
	long ret;
	bool dispatched;

	install_sigsys(returning_handler, SA_NODEFER);
	dispatched = libc_restorer();
	seen.leave_blocked = 1;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = RAW0(SYS_getppid);
	/* where the return was exempt, the selector is still BLOCK */
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	note("returned %#lx after %d dispatches", ret, seen.count);
	note_seen();
	CHECK(ret == EMULATED_RETURN);
	/* the vDSO's trampoline is exempt: arm64 and riscv glibc return through it */
	CHECK(seen.count == (dispatched ? 2 : 1));
	if (dispatched)
		CHECK(seen.nr[1] == SYS_rt_sigreturn && seen.call_addr[1] != seen.call_addr[0]);
}

/* Without SA_NODEFER SIGSYS is blocked in the handler: its dispatched return kills. */
static void return_at_block_blocked_kills(void)
{
	install_sigsys(returning_handler, 0);
	if (!libc_restorer())
		skip_case("handlers return through the vDSO's exempt trampoline here");
	seen.leave_blocked = 1;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	RAW0(SYS_getppid);
	note("survived");
}

static void install_own_restorer(void)
{
	struct sud_ksigaction k;

	memset(&k, 0, sizeof(k));
	k.handler = (void *)returning_handler;
	k.flags = SA_SIGINFO | SA_NODEFER | SUD_SA_RESTORER;
	sud_ksigaction_set_restorer_to(&k, (void *)test_restorer);
	CHECK(syscall(SYS_rt_sigaction, SIGSYS, &k, NULL, sizeof(uint64_t)) == 0);
}

/*
 * An application's own SA_RESTORER runs: from the allowed range, its
 * rt_sigreturn at BLOCK is exempt; outside it, it is dispatched from there.
 */
static void own_restorer_runs(void)
{
	unsigned long start = (unsigned long)test_restorer;
	long ret;

	if (!ARCH_HAS_SA_RESTORER || !test_restorer)
		skip_case("the kernel takes no SA_RESTORER here");
	install_own_restorer();
	seen.leave_blocked = 2;
	CHECK(arm(PR_SYS_DISPATCH_ON, start, (unsigned long)test_restorer_ret - start + 1,
		  &selector) == 0);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = RAW0(SYS_getppid);
	note("restorer in the range: returned %#lx after %d dispatches", ret, seen.count);
	CHECK(ret == EMULATED_RETURN && seen.count == 1);

	seen.count = 0;
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = RAW0(SYS_getppid);
	note("restorer outside: returned %#lx after %d dispatches", ret, seen.count);
	note_seen();
	note("the rt_sigreturn came from the restorer: %d",
	     seen.call_addr[1] == (unsigned long)test_restorer_ret);
	CHECK(ret == EMULATED_RETURN && seen.count == 2 && seen.nr[1] == SYS_rt_sigreturn);
	CHECK(seen.call_addr[1] == (unsigned long)test_restorer_ret);
}

static volatile unsigned long frame_seen, uc_seen;
static void *volatile returns_to;

__attribute__((noinline)) static void frame_recorder(int sig, siginfo_t *info, void *ucv)
{
	(void)sig;
	returns_to = __builtin_return_address(0);
	frame_seen = (unsigned long)info;
	uc_seen = (unsigned long)ucv;
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	arch_uc_set_return(ucv, EMULATED_RETURN);
}

/*
 * The handler is entered as the kernel enters one: it returns straight to
 * the action's restorer (or the vDSO's), through the rt_sigframe that holds
 * its siginfo and ucontext, so that a handler may return through it by hand.
 */
static void handler_runs_on_the_frame(void)
{
	struct sud_ksigaction k;
	Dl_info where;
	long ret;

	install_sigsys(frame_recorder, 0);
	CHECK(syscall(SYS_rt_sigaction, SIGSYS, NULL, &k, sizeof(uint64_t)) == 0);
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = RAW0(SYS_getppid);
	memset(&where, 0, sizeof(where));
	dladdr(returns_to, &where);
	note("returned %#lx; siginfo from ucontext %ld; the handler returns into %s", ret,
	     (long)(frame_seen - uc_seen),
	     (k.flags & SUD_SA_RESTORER) ? (returns_to == sud_ksigaction_restorer(&k) ?
					    "the restorer" : "?") :
	     where.dli_fname && strstr(where.dli_fname, "vdso") ? "the vDSO" : "?");
	CHECK(ret == EMULATED_RETURN);
	CHECK((long)(frame_seen - uc_seen) == ARCH_FRAME_SIGINFO_OFFSET);
	CHECK(!where.dli_fname || !strstr(where.dli_fname, "sudcompat"));
}

static int alarm_pipe[2];
static volatile unsigned long alarm_ip;
static volatile int alarm_wrote;

static void interrupting_alarm(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)info;
	alarm_ip = arch_uc_ip(uc);
	/* the interrupted code blocks SIGUSR2 once the handler returns */
	sigaddset(&uc->uc_sigmask, SIGUSR2);
	alarm_wrote = (int)write(alarm_pipe[1], "x", 1);
}

/*
 * A signal that interrupts a blocking syscall runs its handler on the
 * application's context at that syscall, whichever backend serves: the
 * handler sees the application's site (the instruction itself for a
 * restart) and its changes to the context reach the application. With
 * SA_RESTART the read restarts, and returns the byte the handler wrote.
 */
static void *alarm_when_blocked_in_read(void *arg)
{
	pid_t tid = *(pid_t *)arg;

	if (wait_in_syscall(SYS_read, tid))
		syscall(SYS_tgkill, getpid(), tid, SIGALRM);
	return NULL;
}

static void handler_interrupting_a_syscall_sees_the_application(void)
{
	pid_t self = gettid();
	struct sigaction sa;
	pthread_t t;
	sigset_t now;
	char c;
	long ret;

	CHECK(pipe(alarm_pipe) == 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = interrupting_alarm;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
	install_recorder(0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	/* sent once this thread sleeps in the read, however slow the machine */
	CHECK(pthread_create(&t, NULL, alarm_when_blocked_in_read, &self) == 0);
	ret = test_raw_syscall(SYS_read, alarm_pipe[0], (long)&c, 1, 0, 0, 0);
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(sigprocmask(SIG_BLOCK, NULL, &now) == 0);
	note("read returned %ld after the handler wrote %d", ret, alarm_wrote);
	note("the handler saw the application's syscall: %s",
	     alarm_ip == (unsigned long)test_raw_syscall_ret - ARCH_SYSCALL_INSN_SIZE ?
	     "its instruction, to restart" :
	     alarm_ip == (unsigned long)test_raw_syscall_ret ? "the address after it" : "another address");
	note("its uc_sigmask reached the application: SIGUSR2 blocked %d", sigismember(&now, SIGUSR2));
	CHECK(ret == 1 && alarm_wrote == 1 && sigismember(&now, SIGUSR2) == 1);
	CHECK(alarm_ip == (unsigned long)test_raw_syscall_ret - ARCH_SYSCALL_INSN_SIZE);
}

/*
 * Signals that arrive at any moment of a stream of trapped syscalls, or of
 * lifecycle calls: each handler adds SIGUSR2 to its uc_sigmask, which the
 * interrupted code must then have blocked, as natively, wherever the signal
 * landed. A handler run on a frame of the library's, with the library's
 * context under it, loses the change.
 */
static volatile int usr1_seen;
static volatile int stop_sending;

static void usr1_blocks_usr2(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)info;
	sigaddset(&uc->uc_sigmask, SIGUSR2);
	usr1_seen = 1;
}

static struct {
	pid_t tid;
	int sig;
	int rounds;	/* the target's progress */
	int sent;
} hail;

/*
 * At most one signal per round of the target, a little after the round
 * began: a slow machine cannot be flooded into never finishing one.
 */
static void *send_hail(void *arg)
{
	struct timespec gap = { 0, 20000 };
	int sent_in = -1;

	(void)arg;
	while (!__atomic_load_n(&stop_sending, __ATOMIC_ACQUIRE)) {
		int round = __atomic_load_n(&hail.rounds, __ATOMIC_ACQUIRE);

		nanosleep(&gap, NULL);
		if (round == sent_in)
			continue;
		syscall(SYS_tgkill, getpid(), hail.tid, hail.sig);
		hail.sent++;
		sent_in = round;
	}
	return NULL;
}

static void start_hail(pthread_t *t, int sig)
{
	stop_sending = 0;
	hail.tid = gettid();
	hail.sig = sig;
	hail.rounds = 0;
	hail.sent = 0;
	CHECK(pthread_create(t, NULL, send_hail, NULL) == 0);
}

static void stop_hail(pthread_t t)
{
	__atomic_store_n(&stop_sending, 1, __ATOMIC_RELEASE);
	CHECK(pthread_join(t, NULL) == 0);
}

/* Run @body @rounds times under a hail of @sig; the number of rounds in which a change was lost. */
static int rounds_losing_the_change(int sig, void (*body)(void), int rounds, int *handled)
{
	sigset_t usr1, both, now;
	struct sigaction sa;
	pthread_t t;
	int lost = 0, took;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = usr1_blocks_usr2;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	CHECK(sigaction(sig, &sa, NULL) == 0);
	sigemptyset(&usr1);
	sigaddset(&usr1, sig);
	both = usr1;
	sigaddset(&both, SIGUSR2);
	start_hail(&t, sig);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	*handled = 0;
	for (int i = 0; i < rounds; i++) {
		/* the flag and the unblock of SIGUSR2 change together, as seen from the handler */
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		usr1_seen = 0;
		sigprocmask(SIG_UNBLOCK, &both, NULL);
		body();
		/* a handler that runs after this read of the flag need not show yet */
		took = usr1_seen;
		sigprocmask(SIG_BLOCK, NULL, &now);
		if (took) {
			(*handled)++;
			lost += !sigismember(&now, SIGUSR2);
		}
		__atomic_store_n(&hail.rounds, i + 1, __ATOMIC_RELEASE);
	}
	CHECK(arm(PR_SYS_DISPATCH_OFF, 0, 0, NULL) == 0);
	stop_hail(t);
	return lost;
}

static void trapped_syscalls(void)
{
	for (int k = 0; k < 8; k++)
		RAW0(SYS_getppid);
}

static void hail_over_trapped_syscalls(int sig)
{
	int handled, lost = rounds_losing_the_change(sig, trapped_syscalls, 2000, &handled);

	printf("#   %d of 2000 rounds took signal %d, %d of those lost the handler's uc_sigmask\n",
	       handled, sig, lost);
	note("rounds that lost the handler's change: %d", lost);
	CHECK(lost == 0);
}

static void handler_anywhere_in_a_trap_changes_the_application(void)
{
	hail_over_trapped_syscalls(SIGUSR1);
}

/* The same with SIGSYS itself, which the library's handler must keep from landing in its own code. */
static void async_sigsys_anywhere_in_a_trap_changes_the_application(void)
{
	hail_over_trapped_syscalls(SIGSYS);
}

/*
 * A SIGSYS sent to the thread as it enters a trapped syscall: the kernel
 * drops the trap's own SIGSYS, one standard signal being pending already,
 * and skips the syscall. Natively at ALLOW nothing traps, and every
 * syscall runs: each write must reach the pipe, each getppid answer, and
 * each handler's rt_sigreturn (trapped as well) return. And once the
 * hail is over, the thread still takes a SIGSYS at once: no handler left
 * it blocked.
 */
static volatile int sigsys_taken;

static void count_sigsys(int sig)
{
	(void)sig;
	sigsys_taken++;
}

static void sigsys_hail_skips_no_syscall(void)
{
	const int rounds = 3000;
	long ppid = getppid(), bad = 0, arrived = 0;
	int taken;
	struct sigaction sa, old;
	char buf[1024];
	int fds[2];
	pthread_t t;

	CHECK(pipe(fds) == 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count_sigsys;
	sa.sa_flags = SA_RESTART;
	CHECK(sigaction(SIGSYS, &sa, NULL) == 0);
	start_hail(&t, SIGSYS);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	for (int i = 0; i < rounds; i++) {
		bad += test_raw_syscall(SYS_write, fds[1], (long)"x", 1, 0, 0, 0) != 1;
		bad += RAW0(SYS_getppid) != ppid;
		/* the library's own code runs here, with the application's mask */
		bad += sigaction(SIGUSR2, NULL, &old) != 0;
		if (i % 500 == 499) {
			long n = test_raw_syscall(SYS_read, fds[0], (long)buf, sizeof(buf), 0, 0, 0);

			arrived += n > 0 ? n : 0;
		}
		__atomic_store_n(&hail.rounds, i + 1, __ATOMIC_RELEASE);
	}
	stop_hail(t);
	printf("#   %d SIGSYS sent, %d handled over %d rounds\n", hail.sent, sigsys_taken, rounds);
	taken = sigsys_taken;
	test_raw_syscall(SYS_tgkill, getpid(), gettid(), SIGSYS, 0, 0, 0);
	taken = sigsys_taken - taken;
	CHECK(arm(PR_SYS_DISPATCH_OFF, 0, 0, NULL) == 0);
	note("syscalls that failed or answered wrongly: %ld; bytes through the pipe: %ld of %d",
	     bad, arrived, rounds);
	note("a SIGSYS sent to itself afterwards handled on the syscall's return: %d", taken);
	CHECK(bad == 0 && arrived == rounds && taken == 1);
}

static void fork_and_reap(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	CHECK(pid > 0);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static void handler_during_a_lifecycle_call_changes_the_application(void)
{
	int handled, lost = rounds_losing_the_change(SIGUSR1, fork_and_reap, 100, &handled);

	printf("#   %d of 100 forks took SIGUSR1, %d of those lost the handler's uc_sigmask\n",
	       handled, lost);
	note("forks that lost the handler's change: %d", lost);
	CHECK(lost == 0);
}

const struct sud_case return_cases[] = {
	SUD_CASE(return_at_block_is_dispatched, 0),
	SUD_CASE(return_at_block_blocked_kills, SIGSYS),
	SUD_CASE(own_restorer_runs, 0),
	SUD_CASE(handler_runs_on_the_frame, 0),
	SUD_CASE(handler_interrupting_a_syscall_sees_the_application, 0),
	SUD_CASE(handler_anywhere_in_a_trap_changes_the_application, 0),
	SUD_CASE(async_sigsys_anywhere_in_a_trap_changes_the_application, 0),
	SUD_CASE(sigsys_hail_skips_no_syscall, 0),
	SUD_CASE(handler_during_a_lifecycle_call_changes_the_application, 0),
};
const int n_return_cases = sizeof(return_cases) / sizeof(return_cases[0]);
