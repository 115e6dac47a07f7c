// SPDX-License-Identifier: GPL-2.0
/*
 * sud_audit_trace.c - a dispatched syscall is invisible to syscall auditing
 * and to the syscall tracepoints; a syscall that is not dispatched (SUD off,
 * or armed with the selector at ALLOW) is seen by both.
 *
 * The entry work skips audit_syscall_entry() and trace_sys_enter() when it
 * dispatches, and the exit work must then skip audit_syscall_exit() and
 * trace_sys_exit() too (an exit without an entry).  Both paths exist only
 * with CONFIG_AUDITSYSCALL and CONFIG_FTRACE_SYSCALLS, which the kernel
 * matrix's default kernels lack: there the program skips (exit 4), and the
 * kernel-extra tier (ci/kernel-extra, kernel-port/configs/audit-trace.config)
 * boots kernels that have both and checks that both cases ran.
 *
 * Each case makes the same syscall (getppid) three times, told apart by its
 * (ignored) first argument: 0x5d0 with dispatch off, 0x5d1 dispatched
 * (selector BLOCK, no allowed range), 0x5d2 with dispatch armed but the
 * selector at ALLOW.  The first and the last must be seen, the middle one
 * not; so a kernel that audits or traces nothing fails rather than passes.
 *
 * audit: the test becomes the audit daemon itself (AUDIT_SET pid over a
 * NETLINK_AUDIT socket, no auditd needed), adds an exit,always rule for
 * getppid and ppid == itself, and forks the child that makes the calls
 * (only a task forked while audit is enabled gets an audit context).  The
 * records come over the socket, in order: the 0x5d2 record is the end
 * marker, so no fixed sleep decides the result.
 *
 * tracepoints: tracefs is mounted on /sys/kernel/tracing when it is not
 * yet, raw_syscalls/sys_enter and sys_exit are enabled with a filter on
 * common_pid and the syscall number, and the trace is read back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <linux/audit.h>
#include <linux/netlink.h>

/* the 6.1 harness is not -Wextra clean (see tests/kernel/sud_kernel_test.h) */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
# define PR_SET_SYSCALL_USER_DISPATCH	59
# define PR_SYS_DISPATCH_OFF		0
# define PR_SYS_DISPATCH_ON		1
# define SYSCALL_DISPATCH_FILTER_ALLOW	0
# define SYSCALL_DISPATCH_FILTER_BLOCK	1
#endif
#ifndef SYS_USER_DISPATCH
# define SYS_USER_DISPATCH		2
#endif

#if defined(__x86_64__)
# define SUD_AUDIT_ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
# define SUD_AUDIT_ARCH	AUDIT_ARCH_AARCH64
#elif defined(__riscv) && __riscv_xlen == 64
# define SUD_AUDIT_ARCH	AUDIT_ARCH_RISCV64
#else
# error "unsupported architecture"
#endif

/* what the SIGSYS handler makes the dispatched syscall return */
#define SUD_MAGIC	0x5d5dL
#if defined(__x86_64__)
# define SET_RET(uc, v)	((uc)->uc_mcontext.gregs[REG_RAX] = (v))
#elif defined(__aarch64__)
# define SET_RET(uc, v)	((uc)->uc_mcontext.regs[0] = (v))
#else
# define SET_RET(uc, v)	((uc)->uc_mcontext.__gregs[10] = (v))	/* a0 */
#endif

#define TEST_NR		SYS_getppid
#define MARK_OFF	0x5d0UL		/* dispatch off: seen */
#define MARK_BLOCK	0x5d1UL		/* dispatched: never seen */
#define MARK_ALLOW	0x5d2UL		/* armed, selector ALLOW: seen */

#define TRACEFS		"/sys/kernel/tracing"

static volatile char selector = SYSCALL_DISPATCH_FILTER_ALLOW;
static volatile int nr_sigsys;
static volatile int bad_sigsys;

static void sigsys(int sig, siginfo_t *info, void *uc)
{
	nr_sigsys++;
	if (info->si_code != SYS_USER_DISPATCH || info->si_syscall != TEST_NR ||
	    info->si_arch != SUD_AUDIT_ARCH)
		bad_sigsys++;
	SET_RET((ucontext_t *)uc, SUD_MAGIC);
	/* the C library's restorer must not be dispatched (x86_64) */
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
}

/*
 * The three calls; returns 0 when the dispatched one reached the handler,
 * exactly once, with the right siginfo and returned what the handler set,
 * else a number saying what went wrong.
 */
static int three_calls(void)
{
	struct sigaction sa = { .sa_sigaction = sigsys, .sa_flags = SA_SIGINFO };
	long ret;

	if (sigaction(SIGSYS, &sa, NULL))
		return 10;
	syscall(TEST_NR, MARK_OFF, 0, 0, 0, 0, 0);
	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 0, 0, &selector))
		return 11;
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = syscall(TEST_NR, MARK_BLOCK, 0, 0, 0, 0, 0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	syscall(TEST_NR, MARK_ALLOW, 0, 0, 0, 0, 0);
	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0))
		return 12;
	if (nr_sigsys != 1)
		return 13;
	if (bad_sigsys)
		return 14;
	if (ret != SUD_MAGIC)
		return 15;
	return 0;
}

/* ---- audit over NETLINK_AUDIT ---- */

static int audit_fd = -1;
static unsigned int audit_seq;

/* sends one request and waits for its ack; 0 or -errno */
static int audit_request(int type, const void *data, size_t len)
{
	struct {
		struct nlmsghdr nlh;
		char data[sizeof(struct audit_rule_data) + 64];
	} req;
	char buf[8192];
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	unsigned int seq = ++audit_seq;

	if (len > sizeof(req.data))
		return -EINVAL;
	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = NLMSG_LENGTH(len);
	req.nlh.nlmsg_type = type;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.nlh.nlmsg_seq = seq;
	memcpy(req.data, data, len);
	if (sendto(audit_fd, &req, req.nlh.nlmsg_len, 0,
		   (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return -errno;
	for (;;) {
		struct pollfd pfd = { .fd = audit_fd, .events = POLLIN };
		struct nlmsghdr *nlh;
		ssize_t n;

		if (poll(&pfd, 1, 10000) != 1)
			return -ETIMEDOUT;
		n = recv(audit_fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_type == NLMSG_ERROR && nlh->nlmsg_seq == seq)
				return ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
		}
	}
}

static int audit_set(unsigned int mask, int enabled, int pid)
{
	struct audit_status s;

	memset(&s, 0, sizeof(s));
	s.mask = mask;
	s.enabled = enabled;
	s.pid = pid;
	return audit_request(AUDIT_SET, &s, sizeof(s));
}

/*
 * Audit off, then no longer the daemon.  In that order, and after the
 * record of the first has come to us: a record that finds no daemon goes
 * to the kernel log, that is to the console in the middle of the TAP (and
 * with audit off, unregistering logs nothing).
 */
static void audit_teardown(void)
{
	char buf[8192];

	if (!audit_set(AUDIT_STATUS_ENABLED, 0, 0)) {
		for (;;) {
			struct pollfd pfd = { .fd = audit_fd, .events = POLLIN };
			struct nlmsghdr *nlh;
			ssize_t n;
			int done = 0;

			if (poll(&pfd, 1, 5000) != 1)
				break;
			n = recv(audit_fd, buf, sizeof(buf), 0);
			if (n < 0)
				break;
			for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, (size_t)n);
			     nlh = NLMSG_NEXT(nlh, n))
				if (nlh->nlmsg_type == AUDIT_CONFIG_CHANGE &&
				    memmem(NLMSG_DATA(nlh), nlh->nlmsg_len - NLMSG_HDRLEN,
					   "audit_enabled=0", 15))
					done = 1;
			if (done)
				break;
		}
	}
	audit_set(AUDIT_STATUS_PID, 0, 0);
	close(audit_fd);
	audit_fd = -1;
}

/* exit,always -S getppid -F ppid=@ppid */
static int audit_rule(int type, pid_t ppid)
{
	struct audit_rule_data r;

	memset(&r, 0, sizeof(r));
	r.flags = AUDIT_FILTER_EXIT;
	r.action = AUDIT_ALWAYS;
	r.mask[TEST_NR / 32] |= 1U << (TEST_NR % 32);
	r.field_count = 2;
	r.fields[0] = AUDIT_ARCH;
	r.fieldflags[0] = AUDIT_EQUAL;
	r.values[0] = SUD_AUDIT_ARCH;
	r.fields[1] = AUDIT_PPID;
	r.fieldflags[1] = AUDIT_EQUAL;
	r.values[1] = ppid;
	return audit_request(type, &r, sizeof(r));
}

/*
 * Reads records until the one of MARK_ALLOW (or a timeout); counts the
 * AUDIT_SYSCALL records of pid @child per marker in seen[0..2].
 */
static void audit_collect(pid_t child, int seen[3])
{
	char buf[8192];

	for (;;) {
		struct pollfd pfd = { .fd = audit_fd, .events = POLLIN };
		struct nlmsghdr *nlh;
		ssize_t n;

		if (poll(&pfd, 1, 20000) != 1)
			return;
		n = recv(audit_fd, buf, sizeof(buf), 0);
		if (n < 0)
			return;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			char text[2048], pidstr[32];
			size_t len = nlh->nlmsg_len - NLMSG_HDRLEN;
			unsigned long a0;
			const char *p;

			if (nlh->nlmsg_type != AUDIT_SYSCALL)
				continue;
			if (len >= sizeof(text))
				len = sizeof(text) - 1;
			memcpy(text, NLMSG_DATA(nlh), len);
			text[len] = 0;
			snprintf(pidstr, sizeof(pidstr), " pid=%d ", child);
			if (!strstr(text, pidstr))
				continue;
			p = strstr(text, " a0=");
			if (!p || sscanf(p, " a0=%lx", &a0) != 1)
				continue;
			if (a0 >= MARK_OFF && a0 <= MARK_ALLOW)
				seen[a0 - MARK_OFF]++;
			if (a0 == MARK_ALLOW)
				return;
		}
	}
}

TEST(dispatched_syscall_not_audited)
{
	int seen[3] = { 0, 0, 0 };
	int status, ret;
	pid_t child;

	audit_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (audit_fd < 0)
		SKIP(return, "no NETLINK_AUDIT (CONFIG_AUDIT off?): %s", strerror(errno));
	ret = audit_set(AUDIT_STATUS_ENABLED | AUDIT_STATUS_PID, 1, getpid());
	ASSERT_EQ(0, ret) TH_LOG("AUDIT_SET enabled=1 pid: %s", strerror(-ret));
	ret = audit_rule(AUDIT_ADD_RULE, getpid());
	if (ret == -EINVAL) {
		audit_teardown();
		/* no AUDITSYSCALL: the kernel has no syscall rules */
		SKIP(return, "AUDIT_ADD_RULE: EINVAL (CONFIG_AUDITSYSCALL off?)");
	}
	ASSERT_EQ(0, ret) TH_LOG("AUDIT_ADD_RULE: %s", strerror(-ret));

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(three_calls());
	ASSERT_EQ(child, waitpid(child, &status, 0));
	audit_collect(child, seen);

	ret = audit_rule(AUDIT_DEL_RULE, getpid());
	EXPECT_EQ(0, ret) TH_LOG("AUDIT_DEL_RULE: %s", strerror(-ret));
	audit_teardown();

	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status)) TH_LOG("the child's calls failed (%d)",
						 WEXITSTATUS(status));
	TH_LOG("records: off %d, dispatched %d, allow %d", seen[0], seen[1], seen[2]);
	EXPECT_EQ(1, seen[0]) TH_LOG("the syscall with dispatch off was not audited");
	EXPECT_EQ(1, seen[2]) TH_LOG("the syscall at selector ALLOW was not audited");
	EXPECT_EQ(0, seen[1]) TH_LOG("the dispatched syscall was audited");
}

/* ---- syscall tracepoints ---- */

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	n = n < 0 ? -errno : 0;
	close(fd);
	return (int)n;
}

static int tracefs_ready(void)
{
	struct stat st;

	if (!stat(TRACEFS "/events/raw_syscalls/sys_enter", &st))
		return 0;
	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL) && errno != EBUSY)
		return -errno;
	if (stat(TRACEFS "/events/raw_syscalls/sys_enter", &st))
		return -errno;
	return 0;
}

static void trace_events(const char *filter, const char *on)
{
	write_file(TRACEFS "/events/raw_syscalls/sys_enter/filter", filter);
	write_file(TRACEFS "/events/raw_syscalls/sys_exit/filter", filter);
	write_file(TRACEFS "/events/raw_syscalls/sys_enter/enable", on);
	write_file(TRACEFS "/events/raw_syscalls/sys_exit/enable", on);
}

TEST(dispatched_syscall_not_traced)
{
	char filter[128], line[1024], enter[64], exitp[64];
	int entered[3] = { 0, 0, 0 }, exits = 0, sigreturn_exits = 0, other_exits = 0, ret;
	long ppid = getppid(), other_ret = 0;
	FILE *f;

	ret = tracefs_ready();
	if (ret)
		SKIP(return, "no raw_syscalls events in tracefs (CONFIG_FTRACE_SYSCALLS off?): %s",
		     strerror(-ret));
	snprintf(filter, sizeof(filter), "common_pid == %d && id == %d",
		 getpid(), TEST_NR);
	ASSERT_EQ(0, write_file(TRACEFS "/tracing_on", "1"));
	ASSERT_EQ(0, write_file(TRACEFS "/trace", ""));
	trace_events(filter, "1");

	ret = three_calls();

	trace_events("0", "0");
	ASSERT_EQ(0, ret) TH_LOG("the calls failed (%d)", ret);

	f = fopen(TRACEFS "/trace", "r");
	ASSERT_NE(NULL, f);
	snprintf(enter, sizeof(enter), "sys_enter: NR %d (", TEST_NR);
	snprintf(exitp, sizeof(exitp), "sys_exit: NR %d = ", TEST_NR);
	while (fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, enter);
		unsigned long a0;
		long r;

		if (p && sscanf(p + strlen(enter), "%lx", &a0) == 1 &&
		    a0 >= MARK_OFF && a0 <= MARK_ALLOW) {
			entered[a0 - MARK_OFF]++;
			continue;
		}
		p = strstr(line, exitp);
		if (!p || sscanf(p + strlen(exitp), "%ld", &r) != 1)
			continue;
		if (r == ppid) {
			exits++;
		} else if (r == SUD_MAGIC) {
			/*
			 * riscv: the rt_sigreturn that ends the handler
			 * restores a7, the syscall number getppid, and its
			 * exit event reports that number (x86 and arm64 reset
			 * it: orig_ax, syscallno); its return value is the
			 * handler's a0.  Not the dispatched syscall, whose
			 * exit, were it traced, would come before the signal
			 * and return its first argument (or -ENOSYS).
			 */
			sigreturn_exits++;
		} else {
			other_exits++;
			other_ret = r;
		}
	}
	fclose(f);
	write_file(TRACEFS "/trace", "");

	TH_LOG("sys_enter: off %d, dispatched %d, allow %d; sys_exit: %d returning the ppid, %d of the rt_sigreturn, %d other (%ld)",
	       entered[0], entered[1], entered[2], exits, sigreturn_exits, other_exits, other_ret);
	EXPECT_EQ(1, entered[0]) TH_LOG("no sys_enter with dispatch off");
	EXPECT_EQ(1, entered[2]) TH_LOG("no sys_enter at selector ALLOW");
	EXPECT_EQ(0, entered[1]) TH_LOG("sys_enter of the dispatched syscall");
	/* one per traced entry: the dispatched syscall must not add an exit */
	EXPECT_EQ(2, exits) TH_LOG("sys_exit events returning the ppid: %d, want 2", exits);
	EXPECT_EQ(0, other_exits) TH_LOG("a sys_exit of the dispatched syscall (returned %ld)",
					 other_ret);
	EXPECT_GE(1, sigreturn_exits);
}

/*
 * Skip the whole program (exit 4, which the VM's init reports as a skip)
 * where it cannot test anything: no syscall user dispatch, or neither
 * audit nor the syscall tracepoints.  The 6.1 harness would exit 0 with
 * every test skipped.
 */
static const char *why_not(void)
{
	static char why[160];
	struct stat st;
	int fd;

	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0)) {
		snprintf(why, sizeof(why), "kernel has no syscall user dispatch (prctl: %s)",
			 strerror(errno));
		return why;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd >= 0) {
		close(fd);
		return NULL;
	}
	if (!stat(TRACEFS, &st))
		return NULL;
	return "kernel has neither audit nor tracefs (CONFIG_AUDIT, CONFIG_FTRACE_SYSCALLS)";
}

static void __attribute__((constructor)) __constructor_order_last(void)
{
	if (!__constructor_order)
		__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD;
}

int main(int argc, char **argv)
{
	const char *why = why_not();

	if (why) {
		ksft_print_header();
		ksft_exit_skip("%s\n", why);
	}
	return test_harness_run(argc, argv);
}
