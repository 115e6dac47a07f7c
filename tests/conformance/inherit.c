// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A task inherits from the thread that created it, or that execs: the fork
 * child, the new thread and the new image of an armed thread have that
 * thread's attributes and credentials, changed on it alone after arming,
 * as natively. And the library never stalls glibc's set*id broadcast.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/kcmp.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/securebits.h>

#include "conformance.h"

extern char **environ;

#define RAW(nr, a, b, c) test_raw_syscall((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define DESC_SIZE 1024

/* Append the /proc/thread-self/status lines named in @keys. */
static void status_lines(char *out, size_t size, const char *const *keys)
{
	char line[512];
	FILE *f = fopen("/proc/thread-self/status", "r");

	while (f && fgets(line, sizeof(line), f)) {
		for (const char *const *k = keys; *k; k++) {
			size_t n = strlen(*k), len = strlen(out);

			if (strncmp(line, *k, n) || line[n] != ':')
				continue;
			line[strcspn(line, "\n")] = 0;
			/* "Key:\tvalue" -> "Key=value" */
			snprintf(out + len, size - len, "%s%s=%s", len ? " " : "", *k,
				 line + n + 1 + strspn(line + n + 1, " \t"));
		}
	}
	if (f)
		fclose(f);
}

/* What a task inherits, as the calling thread has it now. */
static void describe(char *out, size_t size)
{
	static const char *const keys[] = { "Uid", "Gid", "Groups", "CapInh", "CapPrm", "CapEff",
					    "CapBnd", "CapAmb", "Cpus_allowed_list", NULL };
	struct sched_param sp = { 0 };
	int policy = sched_getscheduler(0);
	size_t len;

	out[0] = 0;
	status_lines(out, size, keys);
	sched_getparam(0, &sp);
	len = strlen(out);
	snprintf(out + len, size - len,
		 " policy=%d/%d nice=%d slack=%d personality=%#x ioprio=%ld securebits=%#x",
		 policy, sp.sched_priority, getpriority(PRIO_PROCESS, 0),
		 prctl(PR_GET_TIMERSLACK), (unsigned int)personality(0xffffffff),
		 syscall(SYS_ioprio_get, 1, 0), (unsigned int)prctl(PR_GET_SECUREBITS));
}

/* no_new_privs is separate: the emulation may set it on the armed thread itself */
static int nnp_of_self(void)
{
	char buf[64] = "";
	static const char *const keys[] = { "NoNewPrivs", NULL };

	status_lines(buf, sizeof(buf), keys);
	return strstr(buf, "=1") != NULL;
}

static void write_all(int fd, const char *s)
{
	if (write(fd, s, strlen(s) + 1) < 0)
		_exit(3);
}

static void read_all(int fd, char *buf, size_t size)
{
	size_t got = 0;
	ssize_t n;

	while (got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = 0;
	close(fd);
}

static void report_self(int fd)
{
	char d[DESC_SIZE];
	size_t len;

	describe(d, sizeof(d));
	len = strlen(d);
	snprintf(d + len, sizeof(d) - len, " nnp=%d", nnp_of_self());
	write_all(fd, d);
}

/* The signal state a new image started with: SIGSYS's action, what is pending, for whom. */
static void report_signals(int fd)
{
	static const char *const keys[] = { "SigPnd", "ShdPnd", "SigBlk", NULL };
	struct timespec zero = { 0, 0 };
	char d[DESC_SIZE] = "";
	struct sigaction sa;
	sigset_t rt;
	siginfo_t si;
	size_t len;

	sigaction(SIGSYS, NULL, &sa);
	status_lines(d, sizeof(d), keys);
	len = strlen(d);
	snprintf(d + len, sizeof(d) - len, " SIGSYS=%s", sa.sa_handler == SIG_IGN ? "SIG_IGN" :
		 sa.sa_handler == SIG_DFL ? "SIG_DFL" : "a handler");
	sigemptyset(&rt);
	sigaddset(&rt, SIGRTMIN + 2);
	while (sigtimedwait(&rt, &si, &zero) > 0) {
		len = strlen(d);
		snprintf(d + len, sizeof(d) - len, " SIGRTMIN+2(code=%d value=%d)", si.si_code,
			 si.si_value.sival_int);
	}
	write_all(fd, d);
}

/* The exec'd image's modes (harness.c): report to the fd in argv[2]. */
int inherit_image_main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	if (!strcmp(argv[1], "--inherit-signals"))
		report_signals(atoi(argv[2]));
	else
		report_self(atoi(argv[2]));
	return 0;
}

static void *thread_report(void *arg)
{
	report_self(*(int *)arg);
	return NULL;
}

static void arm_here(void)
{
	install_recorder(0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
}

typedef int change_fn(void);

#define UNREACHABLE	"unreachable"

/* In the child: exec this program as @argv, which reports on fd @wfd (its text in @fd). */
__attribute__((noreturn)) static void exec_reporting(char **argv, char *fd, size_t size, int wfd)
{
	snprintf(fd, size, "%d", wfd);
	execve("/proc/self/exe", argv, environ);
	/* a build below a directory that the thread's credentials cannot enter (/root, say) */
	if (errno == EACCES) {
		write_all(wfd, UNREACHABLE);
		_exit(0);
	}
	_exit(5);
}

/* Whether every directory above this program lets anyone through (a build below /root does not). */
static bool reachable_by_anyone(void)
{
	char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	struct stat st;

	if (n <= 0)
		return true;
	path[n] = 0;
	for (char *slash = strrchr(path, '/'); slash && slash > path; slash = strrchr(path, '/')) {
		*slash = 0;
		if (!stat(path, &st) && !(st.st_mode & S_IXOTH))
			return false;
	}
	return true;
}

/* In the parent: what the new image of child @pid reported on pipe @p. */
static void collect_image_report(pid_t pid, int p[2], char *got, size_t size)
{
	int status;

	close(p[1]);
	read_all(p[0], got, size);
	CHECK(waitpid(pid, &status, 0) == pid);
	/* exec refused, or the loader could not reach the libraries: 127 */
	if (!strcmp(got, UNREACHABLE) ||
	    (!got[0] && WIFEXITED(status) && WEXITSTATUS(status) == 127 && !reachable_by_anyone()))
		skip_case("the test program is out of reach of the credentials under test "
			  "(a build below /root?)");
	note("new image: %s", got[0] ? got : "no report");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/*
 * Arm, make @change on this thread alone, and compare what a fork child and
 * a new thread report with this thread; then, in a process of its own,
 * the same for the image an armed thread execs (which natively recomputes
 * the capabilities; the two backends must agree on them).
 */
static void expect_inherited(change_fn *change, bool with_nnp)
{
	char mine[DESC_SIZE + 16], got[DESC_SIZE + 16];
	int p[2], status, rc;
	pthread_t t;
	pid_t pid;

	/* the new image first: a process that arms, changes, and execs */
	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		char fd[16], *argv[] = { "sud_conformance", "--inherit-report", fd, NULL };

		close(p[0]);
		arm_here();
		if (change())
			_exit(4);
		exec_reporting(argv, fd, sizeof(fd), p[1]);
	}
	collect_image_report(pid, p, got, sizeof(got));

	arm_here();
	rc = change();
	if (rc == ENOSYS || rc == EINVAL)
		skip_case("this kernel cannot make the change (a tiny config, say)");
	if (rc) {
		note("change failed: %s", strerror(rc));
		CHECK(rc == 0);
		return;
	}
	describe(mine, DESC_SIZE);
	if (with_nnp)
		snprintf(mine + strlen(mine), 16, " nnp=%d", nnp_of_self());

	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		report_self(p[1]);
		_exit(0);
	}
	close(p[1]);
	read_all(p[0], got, sizeof(got));
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!with_nnp && strstr(got, " nnp="))
		*strstr(got, " nnp=") = 0;
	note("fork child: %s", strcmp(got, mine) ? got : "as the thread");
	CHECK(!strcmp(got, mine));

	CHECK(pipe(p) == 0);
	CHECK(pthread_create(&t, NULL, thread_report, &p[1]) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	close(p[1]);
	read_all(p[0], got, sizeof(got));
	if (!with_nnp && strstr(got, " nnp="))
		*strstr(got, " nnp=") = 0;
	note("new thread: %s", strcmp(got, mine) ? got : "as the thread");
	CHECK(!strcmp(got, mine));
}

static int errno_of(int rc)
{
	return rc ? errno : 0;
}

/* --- scheduling and the other per-thread attributes --- */

static int to_last_cpu(void)
{
	cpu_set_t set;
	int last = -1;

	if (sched_getaffinity(0, sizeof(set), &set))
		return errno;
	for (int i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &set))
			last = i;
	CPU_ZERO(&set);
	CPU_SET(last, &set);
	return errno_of(sched_setaffinity(0, sizeof(set), &set));
}

static void inherit_affinity(void)
{
	expect_inherited(to_last_cpu, false);
}

static int nicer(void)
{
	return errno_of(setpriority(PRIO_PROCESS, 0, 7));
}

static void inherit_nice(void)
{
	expect_inherited(nicer, false);
}

static int batch(void)
{
	struct sched_param sp = { 0 };

	return errno_of(sched_setscheduler(0, SCHED_BATCH, &sp));
}

static void inherit_sched_policy(void)
{
	expect_inherited(batch, false);
}

static int fifo(void)
{
	struct sched_param sp = { .sched_priority = 3 };

	return errno_of(sched_setscheduler(0, SCHED_FIFO, &sp));
}

static void need_root(void)
{
	if (geteuid() != 0)
		skip_case("needs root (CAP_SYS_NICE, CAP_SETPCAP, CAP_SETUID, CAP_SETGID)");
}

static void inherit_sched_realtime(void)
{
	need_root();
	expect_inherited(fifo, false);
}

/* SCHED_RESET_ON_FORK: the fork child and new thread are SCHED_OTHER at nice 0, the image keeps it */
static void inherit_sched_reset_on_fork(void)
{
	struct sched_param sp = { .sched_priority = 3 };
	char got[DESC_SIZE];
	int p[2], status;
	pthread_t t;
	pid_t pid;

	need_root();
	arm_here();
	CHECK(setpriority(PRIO_PROCESS, 0, -2) == 0);
	CHECK(sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp) == 0);
	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		report_self(p[1]);
		_exit(0);
	}
	close(p[1]);
	read_all(p[0], got, sizeof(got));
	CHECK(waitpid(pid, &status, 0) == pid);
	note("fork child: %s", strstr(got, " policy=0/0 nice=0 ") ? "SCHED_OTHER, nice 0" : got);
	CHECK(strstr(got, " policy=0/0 nice=0 ") != NULL);
	CHECK(pipe(p) == 0);
	CHECK(pthread_create(&t, NULL, thread_report, &p[1]) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	close(p[1]);
	read_all(p[0], got, sizeof(got));
	note("new thread: %s", strstr(got, " policy=0/0 nice=0 ") ? "SCHED_OTHER, nice 0" : got);
	CHECK(strstr(got, " policy=0/0 nice=0 ") != NULL);
}

static int slack(void)
{
	return errno_of(prctl(PR_SET_TIMERSLACK, 777777));
}

static void inherit_timer_slack(void)
{
	expect_inherited(slack, false);
}

static int no_randomize(void)
{
	return personality(ADDR_NO_RANDOMIZE) < 0 ? errno : 0;
}

static void inherit_personality(void)
{
	expect_inherited(no_randomize, false);
}

static int idle_io(void)
{
	/* IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 6) */
	return errno_of(syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 6));
}

static void inherit_ioprio(void)
{
	expect_inherited(idle_io, false);
}

/* --- credentials: changed by raw syscall on the armed thread alone --- */

static int raw_err(long rc)
{
	return rc < 0 && rc > -4096 ? (int)-rc : 0;
}

static int drop_bounding(void)
{
	return raw_err(RAW(SYS_prctl, PR_CAPBSET_DROP, CAP_NET_RAW, 0));
}

/* The security properties: a child never holds more than the thread. */
static void inherit_bounding_drop(void)
{
	need_root();
	expect_inherited(drop_bounding, false);
}

static int caps(uint32_t drop_eff_perm, uint32_t add_inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	long rc = RAW(SYS_capget, &h, d, 0);

	if (rc)
		return raw_err(rc);
	d[0].effective &= ~drop_eff_perm;
	d[0].permitted &= ~drop_eff_perm;
	d[0].inheritable |= add_inh;
	return raw_err(RAW(SYS_capset, &h, d, 0));
}

static int drop_effective(void)
{
	return caps(1u << CAP_NET_RAW, 0);
}

static void inherit_capability_drop(void)
{
	need_root();
	expect_inherited(drop_effective, false);
}

static int raise_ambient(void)
{
	int rc = caps(0, 1u << CAP_NET_RAW);

	return rc ? rc : raw_err(test_raw_syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE,
						  CAP_NET_RAW, 0, 0, 0));
}

static void inherit_ambient(void)
{
	need_root();
	expect_inherited(raise_ambient, false);
}

static int keep_caps(void)
{
	return raw_err(RAW(SYS_prctl, PR_SET_SECUREBITS, SECBIT_KEEP_CAPS | SECBIT_NO_CAP_AMBIENT_RAISE, 0));
}

static void inherit_securebits(void)
{
	need_root();
	expect_inherited(keep_caps, false);
}

static int set_nnp(void)
{
	return raw_err(test_raw_syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0));
}

static void inherit_no_new_privs(void)
{
	expect_inherited(set_nnp, true);
}

static int child_nnp(bool thread)
{
	char got[DESC_SIZE];
	int p[2], status;
	pthread_t t;
	pid_t pid;

	CHECK(pipe(p) == 0);
	if (thread) {
		CHECK(pthread_create(&t, NULL, thread_report, &p[1]) == 0);
		CHECK(pthread_join(t, NULL) == 0);
	} else if ((pid = fork()) == 0) {
		report_self(p[1]);
		_exit(0);
	} else {
		CHECK(waitpid(pid, &status, 0) == pid);
	}
	close(p[1]);
	read_all(p[0], got, sizeof(got));
	return strstr(got, " nnp=1") ? 1 : strstr(got, " nnp=0") ? 0 : -1;
}

/*
 * Without CAP_SYS_ADMIN the emulation sets no_new_privs to arm; that one is
 * the library's, and a child must not have it. One that the application sets
 * afterwards is the application's, and its children have it.
 */
static void library_nnp_not_inherited(void)
{
	need_root();
	CHECK(caps(1u << CAP_SYS_ADMIN, 0) == 0);
	arm_here();
	note("before the application sets it: fork child nnp=%d, new thread nnp=%d",
	     child_nnp(false), child_nnp(true));
	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
	note("after: fork child nnp=%d, new thread nnp=%d", child_nnp(false), child_nnp(true));
}

static int drop_euid(void)
{
	/* real and effective alike: the new image is no secure execution (LD_LIBRARY_PATH holds) */
	return raw_err(RAW(SYS_setresuid, 1000, 1000, 0));
}

static void inherit_uids(void)
{
	need_root();
	expect_inherited(drop_euid, false);
}

static int set_gids(void)
{
	static const gid_t groups[] = { 1234, 5678 };
	int rc = raw_err(RAW(SYS_setgroups, 2, groups, 0));

	return rc ? rc : raw_err(RAW(SYS_setresgid, 100, 100, 300));
}

static void inherit_gids_and_groups(void)
{
	need_root();
	expect_inherited(set_gids, false);
}

struct armer {
	int go, done, rc;
	char mine[DESC_SIZE], child[DESC_SIZE];
};

/* A thread with the whole bounding set, armed after another thread dropped part of it. */
static void *full_thread(void *arg)
{
	struct armer *a = arg;
	int p[2], status;
	pid_t pid;

	while (!__atomic_load_n(&a->go, __ATOMIC_ACQUIRE))
		usleep(1000);
	arm_here();
	describe(a->mine, sizeof(a->mine));
	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		report_self(p[1]);
		_exit(0);
	}
	a->rc = pid < 0 ? errno : 0;
	close(p[1]);
	read_all(p[0], a->child, sizeof(a->child));
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (strstr(a->child, " nnp="))
		*strstr(a->child, " nnp=") = 0;
	return NULL;
}

/*
 * The first thread to arm has dropped CAP_NET_RAW from its bounding set, and
 * the emulation's helper thread is its copy; another thread, which has it,
 * forks. Natively the child has it. The emulation cannot give it (a task
 * can never regain a bounding capability), and must refuse the fork with
 * EPERM rather than create a child with less. Either way, never more.
 */
static void helper_cannot_give_more(void)
{
	static struct armer a;
	pthread_t t;

	need_root();
	CHECK(pthread_create(&t, NULL, full_thread, &a) == 0);
	CHECK(drop_bounding() == 0);
	arm_here();
	__atomic_store_n(&a.go, 1, __ATOMIC_RELEASE);
	CHECK(pthread_join(t, NULL) == 0);
	note("fork of the thread with the whole bounding set: %s",
	     (a.rc == 0 && !strcmp(a.child, a.mine)) || a.rc == EPERM ?
	     "a child as the thread, or refused with EPERM" : "a child with other credentials");
	CHECK((a.rc == 0 && !strcmp(a.child, a.mine)) || a.rc == EPERM);
	if (a.rc == 0 && strcmp(a.child, a.mine))
		note("thread %s, child %s", a.mine, a.child);
}

/* --- what threads share until one makes it its own --- */

#define MARK_FD 100

/* The descriptor table, the fs and a namespace, as the calling thread sees them. */
static void describe_context(char *out, size_t size)
{
	char cwd[256] = "", host[65] = "";

	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "?");
	gethostname(host, sizeof(host));
	snprintf(out, size, "cwd=%s host=%s fd%d=%s", cwd, host, MARK_FD,
		 fcntl(MARK_FD, F_GETFD) >= 0 ? "open" : "closed");
}

static void *thread_context(void *arg)
{
	char d[DESC_SIZE];

	describe_context(d, sizeof(d));
	write_all(*(int *)arg, d);
	return NULL;
}

/*
 * Arm, make the thread's own copy of something threads share, and fork and
 * create a thread. Natively they see the thread's; the emulation's helper
 * has the process's, and must refuse (EPERM) rather than give them that.
 */
static void expect_own_or_refused(change_fn *change)
{
	char mine[DESC_SIZE], got[DESC_SIZE];
	int p[2], status, rc;
	pthread_t t;
	pid_t pid;
	bool ok;

	CHECK(dup2(0, MARK_FD) == MARK_FD);
	arm_here();
	rc = change();
	if (rc == ENOSYS || rc == EINVAL)
		skip_case("this kernel cannot make the change (a tiny config, say)");
	if (rc) {
		note("change failed: %s", strerror(rc));
		CHECK(rc == 0);
		return;
	}
	describe_context(mine, sizeof(mine));

	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		describe_context(got, sizeof(got));
		write_all(p[1], got);
		_exit(0);
	}
	rc = pid < 0 ? errno : 0;
	close(p[1]);
	read_all(p[0], got, sizeof(got));
	if (pid > 0)
		CHECK(waitpid(pid, &status, 0) == pid);
	ok = (!rc && !strcmp(got, mine)) || rc == EPERM;
	note("fork: %s", ok ? "a child as the thread, or refused with EPERM" : got);
	CHECK(ok);

	CHECK(pipe(p) == 0);
	rc = pthread_create(&t, NULL, thread_context, &p[1]);
	if (!rc)
		CHECK(pthread_join(t, NULL) == 0);
	close(p[1]);
	read_all(p[0], got, sizeof(got));
	ok = (!rc && !strcmp(got, mine)) || rc == EPERM || rc == EAGAIN;
	note("new thread: %s", ok ? "as the thread, or refused" : got);
	CHECK(ok);
}

static int own_files(void)
{
	if (unshare(CLONE_FILES))
		return errno;
	return errno_of(close(MARK_FD));
}

/* The library compares descriptor tables and fs with kcmp(2); without it (CONFIG_KCMP) it cannot. */
static void need_kcmp(void)
{
	if (syscall(SYS_kcmp, getpid(), getpid(), KCMP_FILES, 0, 0) && errno == ENOSYS)
		skip_case("no kcmp(2) in this kernel: the library cannot tell a thread's own tables");
}

static void own_file_table(void)
{
	need_kcmp();
	expect_own_or_refused(own_files);
}

static int own_fs(void)
{
	if (unshare(CLONE_FS))
		return errno;
	return errno_of(chdir("/tmp"));
}

static void own_cwd(void)
{
	need_kcmp();
	expect_own_or_refused(own_fs);
}

static int own_uts(void)
{
	if (unshare(CLONE_NEWUTS))
		return errno;
	return errno_of(sethostname("sud-inherit", 11));
}

static void own_namespace(void)
{
	need_root();
	expect_own_or_refused(own_uts);
}

/* --- glibc's set*id broadcast reaches every thread, the helper included --- */

static void setxid_all(const char *when)
{
	gid_t g = 0;

	CHECK(setgid(0) == 0);
	CHECK(setgroups(1, &g) == 0);
	CHECK(setuid(0) == 0);
	note("setgid, setgroups, setuid %s: returned", when);
}

static void setxid_after_failed_exec(void)
{
	char *argv[] = { "x", NULL };

	need_root();
	arm_here();
	CHECK(execve("/nonexistent/sud", argv, environ) == -1 && errno == ENOENT);
	setxid_all("after a failed execve");
}

static void setxid_after_fork(void)
{
	int status;
	pid_t pid;

	need_root();
	arm_here();
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(waitpid(pid, &status, 0) == pid);
	setxid_all("after a fork");
}

static volatile int stop_forking;

static void *forker(void *arg)
{
	int *forks = arg;

	arm_here();
	while (!__atomic_load_n(&stop_forking, __ATOMIC_ACQUIRE)) {
		char *argv[] = { "x", NULL };
		int status;
		pid_t pid = vfork();

		if (pid == 0) {
			usleep(2000);
			_exit(0);
		}
		if (pid > 0)
			waitpid(pid, &status, 0);
		execve("/nonexistent/sud", argv, environ);
		(*forks)++;
	}
	return NULL;
}

static void setxid_during_lifecycle(void)
{
	static int forks;
	pthread_t t;

	need_root();
	CHECK(pthread_create(&t, NULL, forker, &forks) == 0);
	for (int i = 0; i < 50; i++) {
		gid_t g = 0;

		CHECK(setgid(0) == 0);
		CHECK(setgroups(1, &g) == 0);
		CHECK(setuid(0) == 0);
		usleep(1000);
	}
	__atomic_store_n(&stop_forking, 1, __ATOMIC_RELEASE);
	CHECK(pthread_join(t, NULL) == 0);
	note("50 rounds of setgid, setgroups, setuid beside vfork and execve: returned, %s",
	     forks > 0 ? "with lifecycle calls" : "no lifecycle call");
}

/* --- exec keeps what exec keeps --- */

static void queue_rt_to_self(int value)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = SIGRTMIN + 2;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = value;
	CHECK(syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGRTMIN + 2, &si) == 0);
}

/*
 * An armed thread with SIGSYS ignored, SIGUSR1 and two SIGRTMIN+2 pending
 * for itself and SIGUSR2 for the process (all blocked) execs: first a
 * missing file, after which all of it must still be there, then itself.
 */
static void exec_keeps_signal_state(void)
{
	char got[DESC_SIZE], before[DESC_SIZE] = "", after[DESC_SIZE] = "";
	static const char *const keys[] = { "SigPnd", "ShdPnd", NULL };
	int p[2];
	pid_t pid;

	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		char fd[16], *argv[] = { "sud_conformance", "--inherit-signals", fd, NULL };
		sigset_t set;

		close(p[0]);
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigaddset(&set, SIGUSR2);
		sigaddset(&set, SIGRTMIN + 2);
		sigprocmask(SIG_BLOCK, &set, NULL);
		arm_here();
		signal(SIGSYS, SIG_IGN);
		CHECK(syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1) == 0);
		CHECK(kill(getpid(), SIGUSR2) == 0);
		queue_rt_to_self(1);
		queue_rt_to_self(2);
		status_lines(before, sizeof(before), keys);
		CHECK(execve("/nonexistent/sud", argv, environ) == -1 && errno == ENOENT);
		status_lines(after, sizeof(after), keys);
		if (strcmp(before, after)) {
			snprintf(got, sizeof(got), "after a failed execve: %s, before: %s", after, before);
			write_all(p[1], got);
			_exit(6);
		}
		exec_reporting(argv, fd, sizeof(fd), p[1]);
	}
	collect_image_report(pid, p, got, sizeof(got));
}

const struct sud_case inherit_cases[] = {
	SUD_CASE(inherit_affinity, 0),
	SUD_CASE(inherit_nice, 0),
	SUD_CASE(inherit_sched_policy, 0),
	SUD_CASE(inherit_sched_realtime, 0),
	SUD_CASE(inherit_sched_reset_on_fork, 0),
	SUD_CASE(inherit_timer_slack, 0),
	SUD_CASE(inherit_personality, 0),
	SUD_CASE(inherit_ioprio, 0),
	SUD_CASE(inherit_bounding_drop, 0),
	SUD_CASE(inherit_capability_drop, 0),
	SUD_CASE(inherit_ambient, 0),
	SUD_CASE(inherit_securebits, 0),
	SUD_CASE(inherit_no_new_privs, 0),
	SUD_CASE(library_nnp_not_inherited, 0),
	SUD_CASE(inherit_uids, 0),
	SUD_CASE(inherit_gids_and_groups, 0),
	SUD_CASE(helper_cannot_give_more, 0),
	SUD_CASE(own_file_table, 0),
	SUD_CASE(own_cwd, 0),
	SUD_CASE(own_namespace, 0),
	SUD_CASE(setxid_after_failed_exec, 0),
	SUD_CASE(setxid_after_fork, 0),
	SUD_CASE(setxid_during_lifecycle, 0),
	SUD_CASE(exec_keeps_signal_state, 0),
};
const int n_inherit_cases = sizeof(inherit_cases) / sizeof(inherit_cases[0]);
