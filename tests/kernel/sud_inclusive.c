// SPDX-License-Identifier: GPL-2.0
/*
 * sud_inclusive.c - PR_SYS_DISPATCH_INCLUSIVE_ON / EXCLUSIVE_ON (Linux 6.17,
 * and the sudcompat 6.1 port).
 *
 * Standalone kernel test, TAP output.  Exit 0: all passed, 77: all skipped
 * (the kernel lacks the feature), 1: a failure.
 *
 *   cc -static -O2 -Wall -Wextra -Werror sud_inclusive.c -lpthread
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
#ifndef PR_SYS_DISPATCH_EXCLUSIVE_ON
#define PR_SYS_DISPATCH_EXCLUSIVE_ON 1
#endif
#ifndef PR_SYS_DISPATCH_INCLUSIVE_ON
#define PR_SYS_DISPATCH_INCLUSIVE_ON 2
#endif
#ifndef SYSCALL_DISPATCH_FILTER_ALLOW
#define SYSCALL_DISPATCH_FILTER_ALLOW 0
#define SYSCALL_DISPATCH_FILTER_BLOCK 1
#endif
#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH 2
#endif

#define MAGIC_RET 0x5d5dL

/*
 * stub_syscall(nr, a1, a2, a3): a raw syscall issued from a known address
 * range [stub_start, stub_end), distinct from the C library's.
 */
#if defined(__x86_64__)
asm(".pushsection .text.sudstub,\"ax\",@progbits\n"
    ".balign 64\n"
    ".globl stub_start\n.hidden stub_start\nstub_start:\n"
    ".globl stub_syscall\n.hidden stub_syscall\n"
    ".type stub_syscall,@function\nstub_syscall:\n"
    "	mov %rdi, %rax\n	mov %rsi, %rdi\n	mov %rdx, %rsi\n"
    "	mov %rcx, %rdx\n	syscall\n	ret\n"
    ".globl stub_end\n.hidden stub_end\nstub_end:\n"
    ".popsection\n");
#define UC_RET(uc) ((uc)->uc_mcontext.gregs[REG_RAX])
#elif defined(__aarch64__)
asm(".pushsection .text.sudstub,\"ax\",@progbits\n"
    ".balign 64\n"
    ".globl stub_start\n.hidden stub_start\nstub_start:\n"
    ".globl stub_syscall\n.hidden stub_syscall\n"
    ".type stub_syscall,@function\nstub_syscall:\n"
    "	mov x8, x0\n	mov x0, x1\n	mov x1, x2\n	mov x2, x3\n"
    "	svc #0\n	ret\n"
    ".globl stub_end\n.hidden stub_end\nstub_end:\n"
    ".popsection\n");
#define UC_RET(uc) ((uc)->uc_mcontext.regs[0])
#elif defined(__riscv) && __riscv_xlen == 64
asm(".pushsection .text.sudstub,\"ax\",@progbits\n"
    ".balign 64\n"
    ".globl stub_start\n.hidden stub_start\nstub_start:\n"
    ".globl stub_syscall\n.hidden stub_syscall\n"
    ".type stub_syscall,@function\nstub_syscall:\n"
    "	mv a7, a0\n	mv a0, a1\n	mv a1, a2\n	mv a2, a3\n"
    "	ecall\n	ret\n"
    ".globl stub_end\n.hidden stub_end\nstub_end:\n"
    ".popsection\n");
#define UC_RET(uc) ((uc)->uc_mcontext.__gregs[10]) /* a0 */
#else
#error "unsupported architecture"
#endif

extern char stub_start[], stub_end[];
long stub_syscall(long nr, long a1, long a2, long a3);

static volatile char selector;
static volatile int nr_sigsys;
static volatile long last_nr;
static volatile int last_code;
static volatile uintptr_t last_addr;

static void sigsys_handler(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	nr_sigsys++;
	last_nr = info->si_syscall;
	last_code = info->si_code;
	last_addr = (uintptr_t)info->si_call_addr;
	UC_RET(uc) = MAGIC_RET;
}

static long sud(unsigned long op, unsigned long off, unsigned long len,
		volatile char *sel)
{
	return prctl(PR_SET_SYSCALL_USER_DISPATCH, op, off, len, sel);
}

/* TAP bookkeeping */
static int tests_run, tests_failed, tests_skipped;

static void result(int ok, const char *desc, const char *diag)
{
	tests_run++;
	if (!ok)
		tests_failed++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", tests_run, desc);
	if (!ok && diag && *diag)
		printf("# %s\n", diag);
	fflush(stdout);
}

static void skip(const char *desc, const char *why)
{
	tests_run++;
	tests_skipped++;
	printf("ok %d - %s # SKIP %s\n", tests_run, desc, why);
	fflush(stdout);
}

/*
 * Run fn() in a fresh child (SUD never leaks into the parent, and a kill
 * by SIGSYS/SIGSEGV is reported instead of ending the test run).  fn
 * returns NULL on success, or a diagnostic.
 */
static char diag[256];

static int run_child(const char *(*fn)(void))
{
	int pfd[2], status;
	pid_t pid;
	ssize_t n;

	diag[0] = 0;
	if (pipe(pfd)) {
		snprintf(diag, sizeof(diag), "pipe: %s", strerror(errno));
		return 0;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		snprintf(diag, sizeof(diag), "fork: %s", strerror(errno));
		return 0;
	}
	if (pid == 0) {
		const char *err;

		close(pfd[0]);
		alarm(10);
		err = fn();
		/* disarm before talking to the parent */
		sud(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
		if (err) {
			if (write(pfd[1], err, strlen(err)) < 0)
				_exit(2);
			_exit(1);
		}
		_exit(0);
	}
	close(pfd[1]);
	n = read(pfd[0], diag, sizeof(diag) - 1);
	diag[n > 0 ? n : 0] = 0;
	close(pfd[0]);
	if (waitpid(pid, &status, 0) != pid) {
		snprintf(diag, sizeof(diag), "waitpid: %s", strerror(errno));
		return 0;
	}
	if (WIFSIGNALED(status)) {
		snprintf(diag, sizeof(diag), "child killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
		return 0;
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static char errbuf[200];

static int install_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sigsys_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGSYS, &sa, NULL);
}

/* INCLUSIVE, no selector: syscalls issued inside the range are dispatched. */
static const char *t_inclusive_inside(void)
{
	unsigned long len = stub_end - stub_start;
	long ret;

	if (install_handler())
		return "sigaction failed";
	if (sud(PR_SYS_DISPATCH_INCLUSIVE_ON, (unsigned long)stub_start, len, NULL))
		return "prctl(INCLUSIVE_ON) failed";
	ret = stub_syscall(SYS_getppid, 0, 0, 0);
	sud(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
	if (nr_sigsys != 1 || ret != MAGIC_RET) {
		snprintf(errbuf, sizeof(errbuf),
			 "in-range syscall not dispatched: sigsys=%d ret=%ld",
			 nr_sigsys, ret);
		return errbuf;
	}
	if (last_code != SYS_USER_DISPATCH || last_nr != SYS_getppid ||
	    last_addr < (uintptr_t)stub_start || last_addr > (uintptr_t)stub_end) {
		snprintf(errbuf, sizeof(errbuf),
			 "bad siginfo: code=%d nr=%ld addr=%#lx",
			 last_code, last_nr, (unsigned long)last_addr);
		return errbuf;
	}
	return NULL;
}

/* INCLUSIVE, no selector: syscalls issued outside the range run. */
static const char *t_inclusive_outside(void)
{
	unsigned long len = stub_end - stub_start;
	long ret, want = getppid();

	if (install_handler())
		return "sigaction failed";
	if (sud(PR_SYS_DISPATCH_INCLUSIVE_ON, (unsigned long)stub_start, len, NULL))
		return "prctl(INCLUSIVE_ON) failed";
	ret = syscall(SYS_getppid);
	/* also write(2) from libc, outside the range */
	if (write(-1, "", 0) != -1 || errno != EBADF) {
		sud(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
		return "write(-1) from outside the range did not run";
	}
	sud(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
	if (nr_sigsys != 0 || ret != want) {
		snprintf(errbuf, sizeof(errbuf),
			 "out-of-range syscall dispatched: sigsys=%d ret=%ld want=%ld",
			 nr_sigsys, ret, want);
		return errbuf;
	}
	return NULL;
}

/* INCLUSIVE with a selector: ALLOW runs, BLOCK dispatches (inside range). */
static const char *t_inclusive_selector(void)
{
	unsigned long len = stub_end - stub_start;
	long r1, r2, want = getppid();

	if (install_handler())
		return "sigaction failed";
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	if (sud(PR_SYS_DISPATCH_INCLUSIVE_ON, (unsigned long)stub_start, len,
		&selector))
		return "prctl(INCLUSIVE_ON, selector) failed";
	r1 = stub_syscall(SYS_getppid, 0, 0, 0);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	r2 = stub_syscall(SYS_getppid, 0, 0, 0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	sud(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
	if (r1 != want || r2 != MAGIC_RET || nr_sigsys != 1) {
		snprintf(errbuf, sizeof(errbuf),
			 "allow=%ld (want %ld) block=%ld sigsys=%d", r1, want, r2,
			 nr_sigsys);
		return errbuf;
	}
	return NULL;
}

/*
 * EXCLUSIVE_ON (== ON): the range is the allowed one.  Inside runs,
 * outside is dispatched while the selector blocks.
 */
static const char *t_exclusive(void)
{
	unsigned long len = stub_end - stub_start;
	long r1, r2, want = getppid();

	if (install_handler())
		return "sigaction failed";
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	if (sud(PR_SYS_DISPATCH_EXCLUSIVE_ON, (unsigned long)stub_start, len,
		&selector)) {
		selector = SYSCALL_DISPATCH_FILTER_ALLOW;
		return "prctl(EXCLUSIVE_ON) failed";
	}
	r1 = stub_syscall(SYS_getppid, 0, 0, 0);	/* inside: runs */
	r2 = syscall(SYS_getppid);			/* outside: dispatched */
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	sud(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
	if (r1 != want || r2 != MAGIC_RET || nr_sigsys != 1 ||
	    last_nr != SYS_getppid) {
		snprintf(errbuf, sizeof(errbuf),
			 "inside=%ld (want %ld) outside=%ld sigsys=%d", r1, want,
			 r2, nr_sigsys);
		return errbuf;
	}
	return NULL;
}

/* Re-arming replaces the mode: INCLUSIVE then EXCLUSIVE on the same range. */
static const char *t_rearm(void)
{
	unsigned long len = stub_end - stub_start;
	long r1, want = getppid();

	if (install_handler())
		return "sigaction failed";
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	if (sud(PR_SYS_DISPATCH_INCLUSIVE_ON, (unsigned long)stub_start, len,
		&selector))
		return "prctl(INCLUSIVE_ON) failed";
	if (sud(PR_SYS_DISPATCH_EXCLUSIVE_ON, (unsigned long)stub_start, len,
		&selector))
		return "prctl(EXCLUSIVE_ON) failed";
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	r1 = stub_syscall(SYS_getppid, 0, 0, 0);	/* now allowed */
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	sud(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
	if (r1 != want || nr_sigsys != 0) {
		snprintf(errbuf, sizeof(errbuf), "ret=%ld (want %ld) sigsys=%d",
			 r1, want, nr_sigsys);
		return errbuf;
	}
	return NULL;
}

/* Disarming after INCLUSIVE: the range is not special any more. */
static const char *t_disarm(void)
{
	unsigned long len = stub_end - stub_start;
	long r1, want = getppid();

	if (install_handler())
		return "sigaction failed";
	if (sud(PR_SYS_DISPATCH_INCLUSIVE_ON, (unsigned long)stub_start, len, NULL))
		return "prctl(INCLUSIVE_ON) failed";
	if (sud(PR_SYS_DISPATCH_OFF, 0, 0, NULL))
		return "prctl(OFF) failed";
	r1 = stub_syscall(SYS_getppid, 0, 0, 0);
	if (r1 != want || nr_sigsys != 0) {
		snprintf(errbuf, sizeof(errbuf), "ret=%ld (want %ld) sigsys=%d",
			 r1, want, nr_sigsys);
		return errbuf;
	}
	return NULL;
}

static void expect_einval(const char *desc, unsigned long op, unsigned long off,
			  unsigned long len)
{
	long ret;
	int err;

	errno = 0;
	ret = sud(op, off, len, NULL);
	err = errno;
	if (ret == 0)
		sud(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
	if (ret == -1 && err == EINVAL) {
		result(1, desc, NULL);
	} else {
		snprintf(diag, sizeof(diag), "ret=%ld errno=%d (%s), want EINVAL",
			 ret, err, strerror(err));
		result(0, desc, diag);
	}
}

static void expect_ok(const char *desc, unsigned long op, unsigned long off,
		      unsigned long len)
{
	long ret;
	int err;

	errno = 0;
	ret = sud(op, off, len, NULL);
	err = errno;
	sud(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
	if (ret == 0) {
		result(1, desc, NULL);
	} else {
		snprintf(diag, sizeof(diag), "ret=%ld errno=%d (%s), want 0",
			 ret, err, strerror(err));
		result(0, desc, diag);
	}
}

#define NTESTS 14

int main(void)
{
	unsigned long top = ~0UL - 4095;	/* page at the top of the space */
	unsigned long off = (unsigned long)stub_start;
	int have_inclusive, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%d\n", NTESTS);

	/* Is there SUD at all, and INCLUSIVE_ON? */
	if (sud(PR_SYS_DISPATCH_OFF, 0, 0, NULL)) {
		snprintf(diag, sizeof(diag),
			 "kernel has no syscall user dispatch (prctl: %s)",
			 strerror(errno));
		for (i = 0; i < NTESTS; i++)
			skip("syscall user dispatch", diag);
		return 77;
	}
	/*
	 * Probe INCLUSIVE_ON with a valid range: the allowed range is outside
	 * every syscall site of this thread, so nothing is dispatched.
	 */
	have_inclusive = sud(PR_SYS_DISPATCH_INCLUSIVE_ON, top, 16, NULL) == 0;
	if (!have_inclusive && errno != EINVAL) {
		printf("# unexpected INCLUSIVE_ON probe error: %s\n",
		       strerror(errno));
	}
	sud(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
	if (!have_inclusive) {
		for (i = 0; i < NTESTS; i++)
			skip("PR_SYS_DISPATCH_INCLUSIVE_ON",
			     "kernel rejects PR_SYS_DISPATCH_INCLUSIVE_ON with EINVAL (needs Linux 6.17 or the sudcompat port)");
		return 77;
	}

	result(run_child(t_inclusive_inside),
	       "INCLUSIVE_ON: syscall from inside the range is dispatched", diag);
	result(run_child(t_inclusive_outside),
	       "INCLUSIVE_ON: syscalls from outside the range run", diag);
	result(run_child(t_inclusive_selector),
	       "INCLUSIVE_ON: selector ALLOW runs, BLOCK dispatches", diag);
	result(run_child(t_exclusive),
	       "EXCLUSIVE_ON (alias of ON): range allowed, rest dispatched", diag);
	result(run_child(t_rearm),
	       "re-arming INCLUSIVE -> EXCLUSIVE replaces the mode", diag);
	result(run_child(t_disarm),
	       "OFF after INCLUSIVE_ON: syscalls from the range run again", diag);

	expect_einval("INCLUSIVE_ON with len 0 is EINVAL",
		      PR_SYS_DISPATCH_INCLUSIVE_ON, off, 0);
	expect_einval("INCLUSIVE_ON with offset 0, len 0 is EINVAL",
		      PR_SYS_DISPATCH_INCLUSIVE_ON, 0, 0);
	expect_einval("INCLUSIVE_ON with a wrapping range is EINVAL",
		      PR_SYS_DISPATCH_INCLUSIVE_ON, top, 8192);
	expect_einval("INCLUSIVE_ON with offset+len == 2^N is EINVAL",
		      PR_SYS_DISPATCH_INCLUSIVE_ON, top, 4096);
	expect_einval("EXCLUSIVE_ON with a wrapping range is EINVAL",
		      PR_SYS_DISPATCH_EXCLUSIVE_ON, top, 8192);
	expect_einval("mode 3 is EINVAL", 3, 0, 0);
	expect_ok("INCLUSIVE_ON with offset 0 and a non-zero len is valid",
		  PR_SYS_DISPATCH_INCLUSIVE_ON, 0, 4096);
	expect_ok("EXCLUSIVE_ON with offset 0, len -1 is valid",
		  PR_SYS_DISPATCH_EXCLUSIVE_ON, 0, ~0UL);

	if (tests_run != NTESTS)
		printf("# planned %d tests, ran %d\n", NTESTS, tests_run);
	return tests_failed || tests_run != NTESTS ? 1 : 0;
}
