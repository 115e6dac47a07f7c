// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * arch_build_sigframe() and sud_tramp_sigreturn_at(), in process: a signal
 * handler builds a frame from its own ucontext and rt_sigreturns into it,
 * with another result, signal mask and alternate stack. Then the whole
 * child path (sud_arch_clone, sud_child_entry): a fork child made from a
 * handler resumes the interrupted context. No seccomp needed, so this also
 * runs under QEMU-user, whose rt_sigreturn parses the frame as the kernel's.
 * Arch-generic: only arch.h and the library's internal interface.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "arch-api.h"
#include "child.h"
#include "tap.h"

long test_raw_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

#define RESUMED_RET	1234

static char frame_buf[ARCH_SIGFRAME_MAX] __attribute__((aligned(64)));
static char altstack[64 * 1024] __attribute__((aligned(16)));

static enum { MODE_RESUME, MODE_RESUME_SP, MODE_FORK, MODE_TOO_SMALL } mode;
static volatile int handled;
static volatile unsigned long too_small_sp;
static volatile long child_pid;
static uint64_t extra_blocked;

static uint64_t current_mask(void)
{
	uint64_t m = 0;

	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, sizeof(m));
	return m;
}

static void handler(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;
	struct sud_resume r = {
		.uc = uc,
		.ret = RESUMED_RET,
		.sigmask = sud_uc_mask(uc) | extra_blocked,
		.keep_altstack = false,
	};
	unsigned long sp;

	(void)sig;
	(void)info;
	handled++;
	switch (mode) {
	case MODE_TOO_SMALL:
		too_small_sp = arch_build_sigframe(frame_buf, 64, &r);
		return;
	case MODE_FORK: {
		static struct sud_child c;

		memset(&c, 0, sizeof(c));
		c.uc = uc;
		c.flags = SIGCHLD;
		c.tp = c.helper_tp = arch_thread_pointer();
		c.sigmask = r.sigmask;
		prctl(PR_GET_NAME, c.comm);
		/* clone(SIGCHLD, 0, ...) has the same arguments on every architecture */
		child_pid = sud_arch_clone(SYS_clone, SIGCHLD, 0, 0, 0, 0, &c);
		return;
	}
	case MODE_RESUME_SP:
		r.sp = arch_uc_sp(uc);
		r.tls = arch_thread_pointer();
		break;
	case MODE_RESUME:
		break;
	}
	sp = arch_build_sigframe(frame_buf, sizeof(frame_buf), &r);
	if (!sp)
		return;
	sud_tramp_sigreturn_at(sp);
}

static void install(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
}

static long raise_usr1(void)
{
	return test_raw_syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1, 0, 0, 0);
}

static void set_altstack(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack), .ss_flags = 0 };

	sigaltstack(&ss, NULL);
}

static bool altstack_disabled(void)
{
	stack_t ss;

	return sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_DISABLE);
}

static void unblock_usr2(void)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

static void test_resume(int m, const char *what)
{
	volatile double fp = 1.5;
	long ret;

	mode = m;
	handled = 0;
	extra_blocked = sud_sigbit(SIGUSR2);
	set_altstack();
	install(SA_ONSTACK);
	ret = raise_usr1();
	tap_ok(handled == 1 && ret == RESUMED_RET,
	       "%s: resumed after the syscall with the frame's result (%ld)", what, ret);
	tap_ok(current_mask() & sud_sigbit(SIGUSR2), "%s: the frame's signal mask is in force", what);
	tap_ok(altstack_disabled(), "%s: the alternate stack is cleared", what);
	tap_ok(fp * 2 == 3.0, "%s: the program goes on normally", what);
	unblock_usr2();
}

int main(void)
{
	long parent = getpid(), ret;
	int status;

	tap_plan(12);
	fflush(stdout);

	test_resume(MODE_RESUME, "frame on the interrupted sp");
	test_resume(MODE_RESUME_SP, "explicit sp and tls");

	mode = MODE_TOO_SMALL;
	too_small_sp = 1;
	install(0);
	raise_usr1();
	tap_ok(too_small_sp == 0, "a buffer too small gives 0");

	/* the child path: a fork child resumes the interrupted syscall with 0 */
	mode = MODE_FORK;
	extra_blocked = sud_sigbit(SIGUSR2);
	child_pid = 0;
	install(0);
	fflush(stdout);
	ret = raise_usr1();
	if (getpid() != parent) {
		/* the child: report through the exit status only */
		int bad = 0;

		if (ret != 0)
			bad |= 1;
		if (!(current_mask() & sud_sigbit(SIGUSR2)))
			bad |= 2;
		if (syscall(SYS_getppid) != parent)
			bad |= 4;
		_exit(40 + bad);
	}
	tap_ok(child_pid > 0 && ret == 0, "sud_arch_clone returns the child in the parent (%ld)", child_pid);
	if (child_pid > 0 && waitpid((pid_t)child_pid, &status, 0) == child_pid) {
		tap_ok(WIFEXITED(status) && WEXITSTATUS(status) >= 40,
		       "the child resumed the caller's context and exited (status %#x)", status);
		tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 40,
		       "in the child: the syscall returned 0, the mask is the caller's (code %d)",
		       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	} else {
		tap_ok(false, "the child resumed the caller's context and exited");
		tap_ok(false, "in the child: the syscall returned 0, the mask is the caller's");
	}
	return tap_done();
}
