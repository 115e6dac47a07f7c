// SPDX-License-Identifier: GPL-2.0
/*
 * sud_sysctl.c - the kernel.syscall_user_dispatch sysctl (mainline v7.3,
 * and the sudcompat 6.1 port): default 1; at 0, arming with
 * prctl(PR_SET_SYSCALL_USER_DISPATCH) or
 * PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG fails with EPERM, after the
 * arguments have been validated; disarming always works; a task that is
 * armed stays armed.
 *
 * Needs root (it writes the sysctl).  Every test puts the sysctl back to
 * 1, and so does the harness process when it exits, so that a failing
 * test does not leave arming disabled for the tests that run after it.
 *
 * The whole program skips (KSFT_SKIP) where the kernel has no syscall user
 * dispatch or no such sysctl (every kernel before v7.3, and the unpatched
 * 6.1), and where /proc/sys is not writable.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sud_kernel_test.h"

#define SUD_SYSCTL	"/proc/sys/kernel/syscall_user_dispatch"

/* Writes @val ("0" or "1") to the sysctl: 0, or -errno */
static int sysctl_set(const char *val)
{
	int fd = open(SUD_SYSCTL, O_WRONLY);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* The sysctl's value, or -errno */
static int sysctl_get(void)
{
	char buf[16] = "";
	int fd = open(SUD_SYSCTL, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	return atoi(buf);
}

#define SYSCTL_SET(val) \
	ASSERT_EQ(0, sysctl_set(val)) TH_LOG("writing %s to " SUD_SYSCTL, val)

/* The harness process itself, once every test has run */
static void __attribute__((destructor)) sysctl_restore(void)
{
	sysctl_set("1");
}

/* What the sysctl read before the program wrote it */
static int sysctl_initial = -1;

TEST(default_is_one)
{
	EXPECT_EQ(1, sysctl_initial);
}

TEST(reads_back)
{
	SYSCTL_SET("0");
	EXPECT_EQ(0, sysctl_get());
	SYSCTL_SET("1");
	EXPECT_EQ(1, sysctl_get());
}

TEST(prctl_arming_denied)
{
	SYSCTL_SET("0");
	EXPECT_ERRNO(EPERM, sud_prctl(PR_SYS_DISPATCH_EXCLUSIVE_ON, 0, 0,
				      &sud_selector));
	EXPECT_ERRNO(EPERM, sud_prctl(PR_SYS_DISPATCH_EXCLUSIVE_ON, 0, 0, NULL));
	EXPECT_ERRNO(EPERM, sud_prctl(PR_SYS_DISPATCH_INCLUSIVE_ON,
				      (unsigned long)sud_stub_start,
				      sud_stub_len(), &sud_selector));
	/* Disarming is always allowed */
	EXPECT_EQ(0, sud_prctl(PR_SYS_DISPATCH_OFF, 0, 0, NULL));
	SYSCTL_SET("1");
	/* and arming works again */
	sud_arm(_metadata, PR_SYS_DISPATCH_EXCLUSIVE_ON, 0, 0, &sud_selector);
	sud_off();
}

/* As in mainline, invalid arguments are EINVAL whatever the sysctl says */
TEST(arguments_checked_first)
{
	SYSCTL_SET("0");
	EXPECT_ERRNO(EINVAL, sud_prctl(3, 0, 0, NULL));
	EXPECT_ERRNO(EINVAL, sud_prctl(PR_SYS_DISPATCH_OFF, 1, 0, NULL));
	EXPECT_ERRNO(EINVAL, sud_prctl(PR_SYS_DISPATCH_INCLUSIVE_ON,
				       (unsigned long)sud_stub_start, 0,
				       &sud_selector));
	EXPECT_ERRNO(EINVAL, sud_prctl(PR_SYS_DISPATCH_EXCLUSIVE_ON,
				       SUD_TOP_PAGE, 8192, NULL));
	SYSCTL_SET("1");
}

/*
 * A task armed before the sysctl goes to 0 keeps dispatching; it cannot
 * re-arm (its configuration stays as it was), and it can disarm.
 */
TEST(armed_task_stays_armed)
{
	long ret;

	ASSERT_EQ(0, sud_install_handler(0));
	sud_arm(_metadata, PR_SYS_DISPATCH_EXCLUSIVE_ON, 0, 0, &sud_selector);
	SYSCTL_SET("0");

	sud_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = sud_stub_syscall(SYS_getppid, 0, 0, 0);
	EXPECT_EQ(SUD_MAGIC_RET, ret);
	EXPECT_EQ(1, sud_nr_sigsys);

	/* Re-arming is arming: refused, and the old configuration stays */
	EXPECT_ERRNO(EPERM, sud_prctl(PR_SYS_DISPATCH_INCLUSIVE_ON,
				      (unsigned long)sud_stub_start,
				      sud_stub_len(), &sud_selector));
	sud_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = sud_stub_syscall(SYS_getppid, 0, 0, 0);
	EXPECT_EQ(SUD_MAGIC_RET, ret);
	EXPECT_EQ(2, sud_nr_sigsys);

	EXPECT_EQ(0, sud_prctl(PR_SYS_DISPATCH_OFF, 0, 0, NULL));
	sud_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = sud_stub_syscall(SYS_getppid, 0, 0, 0);
	EXPECT_EQ(getppid(), ret);
	EXPECT_EQ(2, sud_nr_sigsys);
	SYSCTL_SET("1");
}

/* PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG follows the same rule */
TEST(ptrace_arming_denied)
{
	struct sud_ptrace_config cfg = {
		.mode = PR_SYS_DISPATCH_EXCLUSIVE_ON,
		.selector = (uintptr_t)&sud_selector,
	};
	struct sud_ptrace_config off = { .mode = PR_SYS_DISPATCH_OFF };
	struct sud_ptrace_config got;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		alarm(20);	/* should the tracer die without killing us */
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			_exit(5);
		raise(SIGSTOP);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (!WIFSTOPPED(status)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		SKIP(return, "PTRACE_TRACEME failed: no ptrace");
	}

	SYSCTL_SET("0");
	EXPECT_ERRNO(EPERM, ptrace(PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG,
				   pid, (void *)sizeof(cfg), &cfg));
	EXPECT_EQ(0, ptrace(PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG, pid,
			    (void *)sizeof(off), &off));
	EXPECT_EQ(0, ptrace(PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG, pid,
			    (void *)sizeof(got), &got));
	EXPECT_EQ((uint64_t)PR_SYS_DISPATCH_OFF, got.mode);
	SYSCTL_SET("1");
	EXPECT_EQ(0, ptrace(PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG, pid,
			    (void *)sizeof(cfg), &cfg));
	EXPECT_EQ(0, ptrace(PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG, pid,
			    (void *)sizeof(got), &got));
	EXPECT_EQ((uint64_t)PR_SYS_DISPATCH_EXCLUSIVE_ON, got.mode);

	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

/* NULL where the kernel has the sysctl and we can write it, else why not */
static const char *sud_no_sysctl(void)
{
	static char why[160];
	const char *no_sud = sud_missing();

	if (no_sud)
		return no_sud;
	sysctl_initial = sysctl_get();
	if (access(SUD_SYSCTL, F_OK)) {
		snprintf(why, sizeof(why),
			 "kernel has no kernel.syscall_user_dispatch sysctl (%s)",
			 strerror(errno));
		return why;
	}
	if (sysctl_set("1")) {
		snprintf(why, sizeof(why), "cannot write %s (%s): needs root",
			 SUD_SYSCTL, strerror(-sysctl_set("1")));
		return why;
	}
	return NULL;
}

SUD_HARNESS_MAIN(sud_no_sysctl)
