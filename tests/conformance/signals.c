// SPDX-License-Identifier: LGPL-2.1-or-later
/* SIGSYS is forced, the handler's environment is the application's, and foreign traps pass untouched. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "arch.h"
#include "conformance.h"

static void dispatch_now(void)
{
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	RAW0(SYS_getppid);
	note("survived");
}

static void blocked_sigsys_kills(void)
{
	sigset_t set;

	install_recorder(0);
	sigemptyset(&set);
	sigaddset(&set, SIGSYS);
	sigprocmask(SIG_BLOCK, &set, NULL);
	dispatch_now();
}

static void blocked_after_arming_kills(void)
{
	sigset_t set;

	install_recorder(0);
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	sigemptyset(&set);
	sigaddset(&set, SIGSYS);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	/* at ALLOW the block takes effect, and syscalls still run */
	sigprocmask(SIG_BLOCK, &set, NULL);
	note("getppid at ALLOW with SIGSYS blocked: %s", RAW0(SYS_getppid) == getppid() ? "ran" : "?");
	sigprocmask(SIG_BLOCK, NULL, &set);
	note("SIGSYS reported blocked: %d", sigismember(&set, SIGSYS));
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	RAW0(SYS_getppid);
	note("survived");
}

static void ignored_sigsys_kills(void)
{
	signal(SIGSYS, SIG_IGN);
	dispatch_now();
}

static void default_sigsys_kills(void)
{
	signal(SIGSYS, SIG_DFL);
	dispatch_now();
}

static void redispatching(int sig, siginfo_t *info, void *uc)
{
	(void)sig;
	(void)info;
	(void)uc;
	/* selector still BLOCK, SIGSYS blocked in its own handler: forced, fatal */
	RAW0(SYS_getppid);
}

static void dispatch_in_handler_kills(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = redispatching;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, NULL);
	dispatch_now();
}

static volatile int depth, max_depth;

static void nesting(int sig, siginfo_t *info, void *ucv)
{
	(void)sig;
	(void)info;
	if (++depth > max_depth)
		max_depth = depth;
	if (depth == 1)
		arch_uc_set_return(ucv, RAW0(SYS_getppid) + 1);
	else
		arch_uc_set_return(ucv, 41);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	depth--;
}

static void nodefer_allows_nesting(void)
{
	struct sigaction sa;
	long ret;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = nesting;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSYS, &sa, NULL);
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = RAW0(SYS_getppid);
	note("nested result %ld, depth %d", ret, max_depth);
	CHECK(ret == 42 && max_depth == 2);
}

/* The application's own filter: TRAP with data 0x77 for getpgid. */
static void install_foreign_filter(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpgid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP | 0x77),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(insns) / sizeof(insns[0]), .filter = insns };

	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
	CHECK(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0);
}

static void foreign_seccomp_trap_untouched(void)
{
	long ret;

	install_recorder(0);
	install_foreign_filter();
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	ret = RAW0(SYS_getpgid);
	note("foreign trap: ret %#lx si_code %d si_errno %#x nr ok %d", ret, last_sigsys.code,
	     last_sigsys.err, last_sigsys.nr == SYS_getpgid);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = RAW0(SYS_getpgid);
	note("SUD first: ret %#lx si_code %d si_errno %#x", ret, last_sigsys.code, last_sigsys.err);
}

static volatile int alarms, alarm_in_flight;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
	alarm_in_flight = 0;
	/* x86-64 does not exempt libc's sigreturn: the handler must return at ALLOW */
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	getppid();
}

/*
 * A timer signal lands at an arbitrary point of a dispatch. The timer is
 * one-shot, re-armed by the loop once the last one was handled: a periodic
 * timer that fires faster than one alarm's trapped syscalls complete (200 us
 * is enough under TCG on a loaded host) would keep the loop from ever moving
 * on, since then every return from the handler finds the next alarm pending.
 * This way each iteration takes at most one alarm, and the case ends after
 * n iterations whatever the speed of the machine.
 */
static void signals_during_dispatch(void)
{
	struct itimerval once = { { 0, 0 }, { 0, 200 } }, off = { { 0, 0 }, { 0, 0 } };
	int n = 5000, ok = 0, ran = 0;
	long ppid = getppid(), ret;

	install_recorder(0);
	signal(SIGALRM, on_alarm);
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	for (int i = 0; i < n; i++) {
		if (!alarm_in_flight) {
			alarm_in_flight = 1;
			setitimer(ITIMER_REAL, &once, NULL);
		}
		selector = SYSCALL_DISPATCH_FILTER_BLOCK;
		ret = RAW0(SYS_getppid);
		/* a timer tick between the two lines may have set ALLOW: then it ran */
		ok += ret == EMULATED_RETURN;
		ran += ret == ppid;
		selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	}
	setitimer(ITIMER_REAL, &off, NULL);
	CHECK(ok + ran == n && ok > n / 2);
	/* 5000 dispatches take longer than 200 us on any machine */
	CHECK(alarms > 0);
	note("every one of %d syscalls dispatched or ran while timer signals arrived", n);
}

static void handler_runs_on_altstack(void)
{
	static char altstack[64 * 1024];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	char *sp;

	CHECK(sigaltstack(&ss, NULL) == 0);
	install_recorder(SA_ONSTACK);
	dispatch_now();
	sp = last_sigsys.sp;
	note("handler on the alternate stack: %d", sp >= altstack && sp < altstack + sizeof(altstack));
}

static sigjmp_buf escape;

static void jumping(int sig, siginfo_t *info, void *uc)
{
	(void)sig;
	(void)info;
	(void)uc;
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	siglongjmp(escape, 1);
}

static void siglongjmp_out_of_handler(void)
{
	struct sigaction sa;
	sigset_t now;
	volatile int jumps = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = jumping;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, NULL);
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	for (int i = 0; i < 100; i++) {
		if (sigsetjmp(escape, 1) == 0) {
			selector = SYSCALL_DISPATCH_FILTER_BLOCK;
			RAW0(SYS_getppid);
			CHECK(!"handler returned");
		} else {
			jumps++;
		}
	}
	sigprocmask(SIG_BLOCK, NULL, &now);
	note("jumped out %d times; SIGSYS blocked afterwards: %d", jumps, sigismember(&now, SIGSYS));
}

static int second_calls;

static void second(int sig)
{
	(void)sig;
	second_calls++;
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
}

static void handler_replaced_while_armed(void)
{
	struct sigaction sa, old;

	install_recorder(0);
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = second;
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(sigaction(SIGSYS, &sa, &old) == 0);
	note("old handler is the recorder: %d", (old.sa_flags & SA_SIGINFO) != 0);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	RAW0(SYS_getppid);
	note("new handler called %d times, recorder %d times", second_calls, last_sigsys.count);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(sigaction(SIGSYS, NULL, &old) == 0);
	note("read back: plain handler %d", old.sa_handler == second);
}

const struct sud_case signal_cases[] = {
	SUD_CASE(blocked_sigsys_kills, SIGSYS),
	SUD_CASE(blocked_after_arming_kills, SIGSYS),
	SUD_CASE(ignored_sigsys_kills, SIGSYS),
	SUD_CASE(default_sigsys_kills, SIGSYS),
	SUD_CASE(dispatch_in_handler_kills, SIGSYS),
	SUD_CASE(nodefer_allows_nesting, 0),
	SUD_CASE(foreign_seccomp_trap_untouched, 0),
	SUD_CASE(signals_during_dispatch, 0),
	SUD_CASE(handler_runs_on_altstack, 0),
	SUD_CASE(siglongjmp_out_of_handler, 0),
	SUD_CASE(handler_replaced_while_armed, 0),
};
const int n_signal_cases = sizeof(signal_cases) / sizeof(signal_cases[0]);
