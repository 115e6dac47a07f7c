// SPDX-License-Identifier: GPL-2.0
/*
 * sud_sigreturn_block.c - a SIGSYS handler returning with the selector still
 * at BLOCK must not loop.
 *
 * On arm64 and riscv every signal returns through the vDSO rt_sigreturn
 * trampoline, which syscall user dispatch exempts (arch_syscall_is_vdso_
 * sigreturn()): the handler runs exactly once and the program continues.
 *
 * On x86_64 the 64-bit rt_sigreturn is issued by the C library's restorer
 * (SA_RESTORER), which mainline does not exempt (only the ia32 vDSO landing
 * pads are).  There the rt_sigreturn is itself dispatched while SIGSYS is
 * still blocked, so the forced SIGSYS kills the task: no loop either, and
 * this test checks exactly that.  With SA_NODEFER the handler recurses on
 * the stack until it overflows and the task dies of SIGSEGV, which is
 * checked too.
 *
 * Standalone kernel test, TAP output.  Exit 0: all passed, 77: all skipped
 * (the kernel lacks the feature), 1: a failure.
 *
 *   cc -static -O2 -Wall -Wextra -Werror sud_sigreturn_block.c -lpthread
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif
#ifndef PR_SYS_DISPATCH_OFF
#define PR_SYS_DISPATCH_OFF 0
#endif
#ifndef PR_SYS_DISPATCH_ON
#define PR_SYS_DISPATCH_ON 1
#endif
#ifndef SYSCALL_DISPATCH_FILTER_ALLOW
#define SYSCALL_DISPATCH_FILTER_ALLOW 0
#define SYSCALL_DISPATCH_FILTER_BLOCK 1
#endif

#define MAGIC_RET 0x5d5dL

#if defined(__x86_64__)
#define UC_RET(uc) ((uc)->uc_mcontext.gregs[REG_RAX])
#define VDSO_SIGRETURN 0
#elif defined(__aarch64__)
#define UC_RET(uc) ((uc)->uc_mcontext.regs[0])
#define VDSO_SIGRETURN 1
#elif defined(__riscv) && __riscv_xlen == 64
#define UC_RET(uc) ((uc)->uc_mcontext.__gregs[10]) /* a0 */
#define VDSO_SIGRETURN 1
#else
#error "unsupported architecture"
#endif

static volatile char selector;
static volatile int nr_sigsys;

/* Emulates the syscall but leaves the selector at BLOCK. */
static void sigsys_handler(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)info;
	nr_sigsys++;
	UC_RET(uc) = MAGIC_RET;
}

/*
 * Child: arm SUD with no allowed range at all, block, make one syscall.
 * Exit codes: 0 handler ran once and the syscall returned the emulated
 * value, 3 wrong result, 4 handler count wrong, 5 setup failed.
 */
static int child(int nodefer)
{
	struct sigaction sa;
	long ret;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sigsys_handler;
	sa.sa_flags = SA_SIGINFO | (nodefer ? SA_NODEFER : 0);
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL))
		return 5;
	alarm(5);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 0, 0,
		  &selector)) {
		selector = SYSCALL_DISPATCH_FILTER_ALLOW;
		return 5;
	}
	ret = syscall(SYS_getppid);
	/* Only reached if the rt_sigreturn was not dispatched. */
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0);
	if (ret != MAGIC_RET)
		return 3;
	if (nr_sigsys != 1)
		return 4;
	return 0;
}

static int run(int nodefer, int *status)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(child(nodefer));
	if (waitpid(pid, status, 0) != pid)
		return -1;
	return 0;
}

static void describe(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(buf, len, "child killed by signal %d (%s)%s",
			 WTERMSIG(status), strsignal(WTERMSIG(status)),
			 WTERMSIG(status) == SIGALRM ? ": it looped" : "");
	else
		snprintf(buf, len, "child exit %d", WEXITSTATUS(status));
}

int main(void)
{
	char diag[200];
	int status;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..2\n");

	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0)) {
		snprintf(diag, sizeof(diag),
			 "kernel has no syscall user dispatch (prctl: %s)",
			 strerror(errno));
		printf("ok 1 - handler returning with BLOCK # SKIP %s\n", diag);
		printf("ok 2 - handler returning with BLOCK, SA_NODEFER # SKIP %s\n",
		       diag);
		return 77;
	}

	if (VDSO_SIGRETURN) {
		int fails = 0, i;

		for (i = 0; i < 2; i++) {
			const char *desc = i ?
				"SA_NODEFER handler returning with BLOCK: vDSO rt_sigreturn exempt, no loop" :
				"handler returning with BLOCK: vDSO rt_sigreturn exempt, no loop";

			if (run(i, &status)) {
				printf("not ok %d - %s\n# fork/wait failed\n", i + 1, desc);
				fails++;
			} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
				printf("ok %d - %s\n", i + 1, desc);
			} else {
				describe(status, diag, sizeof(diag));
				printf("not ok %d - %s\n# %s\n", i + 1, desc, diag);
				fails++;
			}
		}
		return fails ? 1 : 0;
	}

	/*
	 * x86_64: the restorer's rt_sigreturn is dispatched while SIGSYS is
	 * blocked (it is only unblocked by the rt_sigreturn itself), so the
	 * forced SIGSYS resets the action to SIG_DFL and kills the task.
	 */
	if (run(0, &status)) {
		printf("not ok 1 - x86_64: handler returning with BLOCK is killed by SIGSYS, no loop\n# fork/wait failed\n");
		return 1;
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) {
		printf("ok 1 - x86_64: handler returning with BLOCK is killed by SIGSYS, no loop\n");
	} else {
		describe(status, diag, sizeof(diag));
		printf("not ok 1 - x86_64: handler returning with BLOCK is killed by SIGSYS, no loop\n# %s\n",
		       diag);
		return 1;
	}
	/*
	 * With SA_NODEFER, SIGSYS is not blocked during the restorer, so the
	 * dispatched rt_sigreturn re-enters the handler on a new frame below
	 * the old one, until the stack is exhausted and the task dies of
	 * SIGSEGV.  This is what mainline x86 does; check that it ends.
	 */
	if (run(1, &status)) {
		printf("not ok 2 - x86_64: SA_NODEFER handler returning with BLOCK ends in SIGSEGV (stack exhausted)\n# fork/wait failed\n");
		return 1;
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) {
		printf("ok 2 - x86_64: SA_NODEFER handler returning with BLOCK ends in SIGSEGV (stack exhausted)\n");
	} else {
		describe(status, diag, sizeof(diag));
		printf("not ok 2 - x86_64: SA_NODEFER handler returning with BLOCK ends in SIGSEGV (stack exhausted)\n# %s\n",
		       diag);
		return 1;
	}
	return 0;
}
