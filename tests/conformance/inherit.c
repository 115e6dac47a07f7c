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
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/kcmp.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/keyctl.h>
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

static void report_extra(int fd, const char *name, const char *reference);

/* The exec'd image's modes (harness.c): report to the fd in argv[2]. */
int inherit_image_main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	if (!strcmp(argv[1], "--inherit-extra") && argc > 4)
		report_extra(atoi(argv[2]), argv[3], argv[4]);
	else if (!strcmp(argv[1], "--inherit-signals"))
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
#define REFUSED		"refused (EPERM)"

/* In the child: exec this program as @argv, which reports on fd @wfd (its text in @fd). */
__attribute__((noreturn)) static void exec_reporting(char **argv, char *fd, size_t size, int wfd)
{
	snprintf(fd, size, "%d", wfd);
	execve("/proc/self/exe", argv, environ);
	/* the emulation's safe side, where the cases allow it */
	if (errno == EPERM) {
		write_all(wfd, REFUSED);
		_exit(0);
	}
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

/*
 * After a failed execve, the thread's pending signals are there with their
 * siginfo: a SIGIO-style signal the kernel queued for this thread
 * (F_SETOWN_EX to the thread, F_SETSIG: si_code POLL_IN, si_fd), whose
 * si_code rt_tgsigqueueinfo takes from no other thread; a queued
 * SIGRTMIN+2; and a SIGSYS that the blocked mask keeps pending.
 */
static void failed_exec_keeps_siginfo(void)
{
	struct f_owner_ex owner = { F_OWNER_TID, gettid() };
	struct timespec zero = { 0, 0 };
	char *argv[] = { "x", NULL };
	siginfo_t io, rt, sys;
	sigset_t set, one;
	int q[2];

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 3);
	sigaddset(&set, SIGRTMIN + 2);
	sigaddset(&set, SIGSYS);
	sigprocmask(SIG_BLOCK, &set, NULL);
	CHECK(pipe(q) == 0);
	CHECK(fcntl(q[0], F_SETOWN_EX, &owner) == 0 && fcntl(q[0], F_SETSIG, SIGRTMIN + 3) == 0 &&
	      fcntl(q[0], F_SETFL, O_ASYNC | O_NONBLOCK) == 0);
	arm_here();
	CHECK(write(q[1], "x", 1) == 1);
	CHECK(syscall(SYS_tgkill, getpid(), gettid(), SIGSYS) == 0);
	queue_rt_to_self(7);
	CHECK(execve("/nonexistent/sud", argv, environ) == -1 && errno == ENOENT);
	memset(&io, 0, sizeof(io));
	memset(&rt, 0, sizeof(rt));
	memset(&sys, 0, sizeof(sys));
	sigemptyset(&one);
	sigaddset(&one, SIGRTMIN + 3);
	CHECK(sigtimedwait(&one, &io, &zero) == SIGRTMIN + 3);
	sigemptyset(&one);
	sigaddset(&one, SIGRTMIN + 2);
	CHECK(sigtimedwait(&one, &rt, &zero) == SIGRTMIN + 2);
	sigemptyset(&one);
	sigaddset(&one, SIGSYS);
	CHECK(sigtimedwait(&one, &sys, &zero) == SIGSYS);
	note("the pipe's signal: POLL_IN %d, si_fd is the pipe's %d; SIGRTMIN+2: SI_QUEUE %d, "
	     "value %d; SIGSYS: si_code %d, si_pid is getpid %d", io.si_code == POLL_IN,
	     io.si_fd == q[0], rt.si_code == SI_QUEUE, rt.si_value.sival_int, sys.si_code,
	     sys.si_pid == getpid());
	CHECK(io.si_code == POLL_IN && io.si_fd == q[0]);
	CHECK(rt.si_code == SI_QUEUE && rt.si_value.sival_int == 7);
}

/* --- what else a task inherits from the thread: architecture controls, slack, keyrings, sandboxes --- */

/*
 * The reports of these cases: one attribute of the calling task, by name,
 * for the fork child, the new thread and the new image alike. @reference is
 * what the case's change left in `reference` (a keyring's serial, say).
 */
typedef void reporter_fn(char *out, size_t size, const char *reference);

static char reference[128];

static long raw_prctl(long option)
{
	long r = syscall(SYS_prctl, option, 0, 0, 0, 0);

	return r < 0 ? -errno : r;
}

/* The architecture's per-thread controls; -EINVAL (-22) where this one has none. */
static void report_arch(char *out, size_t size, const char *ref)
{
	unsigned int tsc = 0;
	int t = prctl(PR_GET_TSC, &tsc) ? -errno : (int)tsc;

	(void)ref;
	/* PR_SVE_GET_VL, PR_SME_GET_VL, PR_GET_TAGGED_ADDR_CTRL, PR_PAC_GET_ENABLED_KEYS, PR_RISCV_V_GET_CONTROL */
	snprintf(out, size, "tsc=%d sve=%ld sme=%ld tagged=%ld pac=%ld rvv=%ld", t, raw_prctl(51),
		 raw_prctl(64), raw_prctl(56), raw_prctl(61), raw_prctl(70));
}

/* The timer slack and the default that PR_SET_TIMERSLACK 0 restores (set back at once). */
static void report_slack(char *out, size_t size, const char *ref)
{
	int now = prctl(PR_GET_TIMERSLACK), dflt;

	(void)ref;
	prctl(PR_SET_TIMERSLACK, 0);
	dflt = prctl(PR_GET_TIMERSLACK);
	prctl(PR_SET_TIMERSLACK, now);
	snprintf(out, size, "slack=%d default=%d", now, dflt);
}

/* The session keyring, against the thread's serial (which differs from run to run). */
static void report_keyring(char *out, size_t size, const char *ref)
{
	long serial = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);

	snprintf(out, size, "session keyring=%s", serial == atol(ref) ? "the thread's" :
		 serial < 0 ? strerror(errno) : "another");
}

/* Whether the task may create a regular file (the Landlock domain of the cases refuses it). */
static void report_landlock(char *out, size_t size, const char *ref)
{
	char path[96];
	int fd;

	(void)ref;
	snprintf(path, sizeof(path), "/tmp/sud-conformance-landlock-%d-%d", getpid(), gettid());
	fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
	snprintf(out, size, "create a file=%s", fd >= 0 ? "allowed" : strerror(errno));
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
}

/* The LSM's per-thread attributes. */
static void report_lsm(char *out, size_t size, const char *ref)
{
	static const char *const names[] = { "exec", "fscreate", "keycreate", "sockcreate" };
	size_t len = 0;

	(void)ref;
	out[0] = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[64], buf[256] = "";
		int fd;
		ssize_t n = -1;

		snprintf(path, sizeof(path), "/proc/thread-self/attr/%s", names[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
		}
		while (n > 0 && (buf[n - 1] == 0 || buf[n - 1] == '\n'))
			n--;
		buf[n > 0 ? n : 0] = 0;
		snprintf(out + len, size - len, "%s%s=%s", len ? " " : "", names[i],
			 n < 0 ? "unreadable" : buf);
		len = strlen(out);
	}
}

static const struct {
	const char *name;
	reporter_fn *fn;
} reporters[] = {
	{ "arch", report_arch }, { "slack", report_slack }, { "keyring", report_keyring },
	{ "landlock", report_landlock }, { "lsm", report_lsm },
};

static reporter_fn *reporter_named(const char *name)
{
	for (size_t i = 0; i < sizeof(reporters) / sizeof(reporters[0]); i++)
		if (!strcmp(reporters[i].name, name))
			return reporters[i].fn;
	return NULL;
}

static void report_extra(int fd, const char *name, const char *ref)
{
	char d[DESC_SIZE] = "no such report";
	reporter_fn *fn = reporter_named(name);

	if (fn)
		fn(d, sizeof(d), ref);
	write_all(fd, d);
}

struct extra_outcome {
	char mine[DESC_SIZE], fork[DESC_SIZE], thread[DESC_SIZE], image[DESC_SIZE];
};

struct thread_extra {
	reporter_fn *fn;
	char *out;
};

static void *thread_extra(void *arg)
{
	struct thread_extra *t = arg;

	t->fn(t->out, DESC_SIZE, reference);
	return NULL;
}

/*
 * Arm, make @change on this thread alone, and take report @name of this
 * thread, a fork child, a new thread and (in a process of its own that arms
 * and changes the same) the image an armed thread execs. A creation that
 * fails with EPERM, the emulation's safe side, reads REFUSED; a new image
 * that dies, "killed by signal N".
 */
static void run_extra(change_fn *change, const char *name, struct extra_outcome *o)
{
	reporter_fn *fn = reporter_named(name);
	struct thread_extra te = { fn, o->thread };
	int p[2], status, rc;
	pthread_t t;
	pid_t pid;

	memset(o, 0, sizeof(*o));
	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		char fd[16], *argv[] = { "sud_conformance", "--inherit-extra", fd, (char *)name,
					 reference, NULL };

		close(p[0]);
		arm_here();
		if (change()) {
			write_all(p[1], "change failed");
			_exit(4);
		}
		exec_reporting(argv, fd, sizeof(fd), p[1]);
	}
	close(p[1]);
	read_all(p[0], o->image, sizeof(o->image));
	CHECK(waitpid(pid, &status, 0) == pid);
	if (!strcmp(o->image, UNREACHABLE) ||
	    (!o->image[0] && WIFEXITED(status) && WEXITSTATUS(status) == 127 && !reachable_by_anyone()))
		skip_case("the test program is out of reach of the credentials under test "
			  "(a build below /root?)");
	if (WIFSIGNALED(status))
		snprintf(o->image, sizeof(o->image), "killed by signal %d", WTERMSIG(status));
	else if (!o->image[0])
		snprintf(o->image, sizeof(o->image), "no report, exit %d", WEXITSTATUS(status));

	arm_here();
	rc = change();
	if (rc == ENOSYS || rc == EINVAL || rc == EOPNOTSUPP)
		skip_case("this kernel or CPU cannot make the change");
	if (rc) {
		note("change failed: %s", strerror(rc));
		CHECK(rc == 0);
		return;
	}
	fn(o->mine, sizeof(o->mine), reference);

	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		char d[DESC_SIZE];

		fn(d, sizeof(d), reference);
		write_all(p[1], d);
		_exit(0);
	}
	if (pid < 0)
		snprintf(o->fork, sizeof(o->fork), "%s", errno == EPERM ? REFUSED : strerror(errno));
	close(p[1]);
	if (pid > 0) {
		read_all(p[0], o->fork, sizeof(o->fork));
		CHECK(waitpid(pid, &status, 0) == pid);
	} else {
		close(p[0]);
	}

	rc = pthread_create(&t, NULL, thread_extra, &te);
	if (rc)
		snprintf(o->thread, sizeof(o->thread), "%s",
			 rc == EPERM || rc == EAGAIN ? REFUSED : strerror(rc));
	else
		CHECK(pthread_join(t, NULL) == 0);
}

/* Note @got as @what's; it must be @want, or where @may_refuse REFUSED (noted alike). */
static void expect_report(const char *what, const char *got, const char *want, bool may_refuse)
{
	bool ok = !strcmp(got, want) || (may_refuse && !strcmp(got, REFUSED));

	if (ok && may_refuse)
		note("%s: %s, or refused (EPERM)", what, want);
	else
		note("%s: %s", what, got);
	if (!ok)
		note("%s: wanted %s", what, want);
	CHECK(ok);
}

/* @want in the thread and in each of its three children; these may be refused if @may_refuse. */
static void expect_reports(const struct extra_outcome *o, const char *want, bool may_refuse)
{
	expect_report("the thread", o->mine, want, false);
	expect_report("fork child", o->fork, want, may_refuse);
	expect_report("new thread", o->thread, want, may_refuse);
	expect_report("new image", o->image, want, may_refuse);
}

/* --- the architecture's per-thread controls --- */

/* A supported vector length other than the current one, with INHERIT (PR_SVE_VL_INHERIT, 1 << 17). */
static bool other_vl(long get, long set)
{
	long vl = raw_prctl(get), len, got;

	if (vl < 0)
		return false;
	len = vl & 0xffff;
	for (long want = len > 16 ? len / 2 : len * 2; want >= 16 && want <= 256;
	     want = want < len ? want / 2 : want * 2) {
		/* with INHERIT where the kernel takes it (QEMU-user does not) */
		got = syscall(SYS_prctl, set, want | (1 << 17), 0, 0, 0);
		if (got < 0)
			got = syscall(SYS_prctl, set, want, 0, 0, 0);
		if (got >= 0 && (got & 0xffff) != len)
			return true;
	}
	return false;
}

static int arch_controls(void)
{
	bool changed = false;
	long ctl;

	/* x86-64: rdtsc faults (the new image's loader reads the TSC, and dies of it, natively too) */
	if (!prctl(PR_SET_TSC, PR_TSC_SIGSEGV))
		changed = true;
	/* arm64: PR_SVE_GET_VL/SET_VL 51/50, PR_SME_GET_VL/SET_VL 64/63 */
	changed |= other_vl(51, 50);
	changed |= other_vl(64, 63);
	/* PR_SET_TAGGED_ADDR_CTRL 55: PR_TAGGED_ADDR_ENABLE */
	if (!syscall(SYS_prctl, 55, 1, 0, 0, 0))
		changed = true;
	/* PR_PAC_SET_ENABLED_KEYS 60: the APDB key off (glibc signs with APIA, if at all) */
	if (!syscall(SYS_prctl, 60, 8, 0, 0, 0))
		changed = true;
	/* riscv64: PR_RISCV_V_GET_CONTROL 70, SET 69: the next exec's state inherited too */
	ctl = raw_prctl(70);
	if (ctl >= 0 && !syscall(SYS_prctl, 69, ctl | 0x10, 0, 0, 0))
		changed = true;
	return changed ? 0 : EINVAL;
}

/*
 * PR_SET_TSC, the vector lengths, tagged addressing, PAC keys, the V
 * control: set on the armed thread alone, as its children have them.
 */
static void inherit_arch_controls(void)
{
	struct extra_outcome o;

	run_extra(arch_controls, "arch", &o);
	note("the thread: %s", o.mine);
	expect_report("fork child", o.fork, o.mine, false);
	expect_report("new thread", o.thread, o.mine, false);
	/* exec keeps TSC and the vector lengths for exec, resets tagged addressing and the keys */
	note("new image: %s", o.image);
}

/* --- timer slack: the new image's default is the thread's own --- */

static void inherit_timer_slack_default(void)
{
	struct extra_outcome o;

	run_extra(slack, "slack", &o);
	note("the thread: %s", o.mine);
	/* a child's default slack is its creator's current one */
	expect_report("fork child", o.fork, "slack=777777 default=777777", false);
	expect_report("new thread", o.thread, "slack=777777 default=777777", false);
	/* the image is the same thread: its default stays its own */
	note("new image: %s", o.image);
	CHECK(!strncmp(o.image, "slack=777777 ", 13));
	CHECK(strcmp(o.image, "slack=777777 default=777777") != 0);
}

struct rt_report {
	int policy, slack, other;
};

/* policy and slack, then the slack once back at SCHED_OTHER: the default the task got */
static void rt_report_self(struct rt_report *r)
{
	struct sched_param sp = { 0 };

	r->policy = sched_getscheduler(0);
	r->slack = prctl(PR_GET_TIMERSLACK);
	sched_setscheduler(0, SCHED_OTHER, &sp);
	r->other = prctl(PR_GET_TIMERSLACK);
}

static void *rt_thread(void *arg)
{
	rt_report_self(arg);
	return NULL;
}

/* A fork child's and a new thread's reports, after @policy on this thread. */
static void rt_children(int policy, const char *what)
{
	struct sched_param sp = { .sched_priority = 3 };
	struct rt_report *shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0), thr;
	int mine, status;
	pthread_t t;
	pid_t pid;

	CHECK(shared != MAP_FAILED);
	CHECK(sched_setscheduler(0, policy, &sp) == 0);
	mine = prctl(PR_GET_TIMERSLACK);
	pid = fork();
	if (pid == 0) {
		rt_report_self(shared);
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	note("%s: the thread's slack %d; fork child policy=%d slack=%d, at SCHED_OTHER %d", what,
	     mine, shared->policy, shared->slack, shared->other);
	/* natively both are the creator's current slack (0 for a realtime task from 6.11 on) */
	CHECK(shared->slack == mine && shared->other == mine);
	CHECK(pthread_create(&t, NULL, rt_thread, &thr) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	note("%s: new thread policy=%d slack=%d, at SCHED_OTHER %d", what, thr.policy, thr.slack,
	     thr.other);
	CHECK(thr.slack == mine && thr.other == mine);
	sp.sched_priority = 0;
	sched_setscheduler(0, SCHED_OTHER, &sp);
}

/*
 * A realtime thread's slack, 0 from 6.11 on, reaches its children as their
 * current and default slack; one reset to SCHED_OTHER on fork keeps it.
 */
static void inherit_timer_slack_realtime(void)
{
	need_root();
	arm_here();
	rt_children(SCHED_FIFO | SCHED_RESET_ON_FORK, "SCHED_FIFO, reset on fork");
	rt_children(SCHED_FIFO, "SCHED_FIFO");
}

/* --- the session keyring --- */

static char keyring_before[256];

/* The description of the thread's session keyring: its permissions, which the emulation must leave as they were. */
static void keyring_description(char *out, size_t size)
{
	long n = syscall(SYS_keyctl, KEYCTL_DESCRIBE, KEY_SPEC_SESSION_KEYRING, out, size);

	if (n < 0)
		snprintf(out, size, "%s", strerror(errno));
}

static int join_keyring(const char *name)
{
	long serial = test_raw_syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, (long)name, 0, 0, 0, 0);

	if (serial < 0 && serial > -4096)
		return (int)-serial;
	snprintf(reference, sizeof(reference), "%ld", serial);
	keyring_description(keyring_before, sizeof(keyring_before));
	return 0;
}

static int named_keyring(void)
{
	char name[64];

	snprintf(name, sizeof(name), "sud-conformance-%d", getpid());
	return join_keyring(name);
}

static void expect_keyring_unchanged(const char *before)
{
	char after[256];

	keyring_description(after, sizeof(after));
	note("the keyring's permissions afterwards: %s", strcmp(before, after) ? after : "as they were");
	CHECK(!strcmp(before, after));
}

/* A session keyring joined by name on the armed thread alone: its children's. */
static void inherit_session_keyring_named(void)
{
	struct extra_outcome o;

	run_extra(named_keyring, "keyring", &o);
	expect_reports(&o, "session keyring=the thread's", false);
	expect_keyring_unchanged(keyring_before);
}

static int anonymous_keyring(void)
{
	return join_keyring(NULL);
}

/*
 * An anonymous session keyring: natively the children's too. No task can
 * join one but by inheritance (KEYCTL_SESSION_TO_PARENT needs a
 * single-threaded parent), so the emulation refuses where it cannot give it.
 */
static void inherit_session_keyring_anonymous(void)
{
	struct extra_outcome o;

	run_extra(anonymous_keyring, "keyring", &o);
	expect_reports(&o, "session keyring=the thread's", true);
	expect_keyring_unchanged(keyring_before);
}

/* --- Landlock --- */

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset	444
#define SYS_landlock_add_rule		445
#define SYS_landlock_restrict_self	446
#endif
#define LL_ACCESS_FS_MAKE_REG		(1ull << 8)
#define LL_RULE_PATH_BENEATH		1

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
};

struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

static int ruleset_fd = -1;

/* A domain in which no regular file can be created, entered by the armed thread (raw syscalls). */
static int no_new_files(void)
{
	struct ll_ruleset_attr attr = { .handled_access_fs = LL_ACCESS_FS_MAKE_REG };
	long rc;

	if (syscall(SYS_landlock_create_ruleset, NULL, 0, 1 /* LANDLOCK_CREATE_RULESET_VERSION */) < 0)
		return EOPNOTSUPP;
	rc = test_raw_syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0);
	if (rc)
		return raw_err(rc);
	rc = test_raw_syscall(SYS_landlock_create_ruleset, (long)&attr, sizeof(attr), 0, 0, 0, 0);
	if (rc < 0)
		return raw_err(rc);
	ruleset_fd = (int)rc;
	return raw_err(test_raw_syscall(SYS_landlock_restrict_self, ruleset_fd, 0, 0, 0, 0, 0));
}

static void need_landlock(void)
{
	if (syscall(SYS_landlock_create_ruleset, NULL, 0, 1) < 0)
		skip_case(errno == EOPNOTSUPP ? "Landlock is not enabled in this kernel (lsm=)"
					      : "no Landlock in this kernel (CONFIG_SECURITY_LANDLOCK)");
}

/* A Landlock domain entered after arming: the children stay inside it. */
static void inherit_landlock_domain(void)
{
	struct extra_outcome o;

	need_landlock();
	run_extra(no_new_files, "landlock", &o);
	expect_reports(&o, "create a file=Permission denied", false);
}

/* The same, and then a rule for /tmp added to the ruleset: the domain is as it was. */
static int no_new_files_then_a_rule(void)
{
	struct ll_path_beneath_attr rule = { .allowed_access = LL_ACCESS_FS_MAKE_REG };
	int rc = no_new_files();

	if (rc)
		return rc;
	rule.parent_fd = open("/tmp", O_PATH | O_CLOEXEC);
	if (rule.parent_fd < 0)
		return errno;
	rc = raw_err(test_raw_syscall(SYS_landlock_add_rule, ruleset_fd, LL_RULE_PATH_BENEATH,
				      (long)&rule, 0, 0, 0));
	close(rule.parent_fd);
	return rc;
}

/*
 * A ruleset stays mutable after landlock_restrict_self(); a domain made
 * from it does not. A replay of the ruleset as it is now would let the
 * children create files in /tmp: the emulation must refuse them instead.
 */
static void landlock_rule_after_restrict(void)
{
	struct extra_outcome o;

	need_landlock();
	run_extra(no_new_files_then_a_rule, "landlock", &o);
	expect_reports(&o, "create a file=Permission denied", true);
}

/* --- LSM attributes of the thread --- */

static int fscreate_as_current(void)
{
	char ctx[256];
	ssize_t n;
	int fd = open("/proc/thread-self/attr/current", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return EINVAL;
	n = read(fd, ctx, sizeof(ctx));
	close(fd);
	while (n > 0 && (ctx[n - 1] == 0 || ctx[n - 1] == '\n'))
		n--;
	if (n <= 0)
		return EINVAL;
	fd = open("/proc/thread-self/attr/fscreate", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return EINVAL;
	n = write(fd, ctx, (size_t)n);
	close(fd);
	/* an LSM without file creation contexts (AppArmor, Smack) */
	return n < 0 ? EINVAL : 0;
}

/*
 * A file creation context set on the armed thread (SELinux's setfscreatecon):
 * the children's too; exec resets it.
 */
static void inherit_lsm_attributes(void)
{
	struct extra_outcome o;
	char buf[64];
	int fd = open("/proc/thread-self/attr/current", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;

	if (fd >= 0)
		close(fd);
	if (n < 0)
		skip_case("no LSM with per-thread attributes (SELinux, AppArmor, Smack) in this kernel");
	run_extra(fscreate_as_current, "lsm", &o);
	note("the thread: %s", o.mine);
	expect_report("fork child", o.fork, o.mine, false);
	expect_report("new thread", o.thread, o.mine, false);
	note("new image: %s", o.image);
}

/* --- CLONE_IO --- */

#define IOPRIO_BE(level)	((2 << 13) | (level))

/*
 * clone(CLONE_IO) shares the creator's I/O context, and with it the I/O
 * priority: the child's change is the thread's. The helper's context is not
 * the caller's, so the emulation refuses it.
 */
static void clone_io_shares_ioprio(void)
{
	int status;
	long pid;

	if (syscall(SYS_ioprio_get, 1, 0) < 0 && errno == ENOSYS)
		skip_case("this kernel has no I/O priorities (CONFIG_BLOCK)");
	arm_here();
	CHECK(syscall(SYS_ioprio_set, 1, 0, IOPRIO_BE(3)) == 0);
	pid = syscall(SYS_clone, CLONE_IO | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		syscall(SYS_ioprio_set, 1, 0, IOPRIO_BE(5));
		_exit(0);
	}
	if (pid < 0) {
		CHECK(errno == EPERM);
		note("clone(CLONE_IO): the child's I/O priority is the thread's, or refused (EPERM)");
		return;
	}
	CHECK(waitpid((pid_t)pid, &status, 0) == pid);
	CHECK(syscall(SYS_ioprio_get, 1, 0) == IOPRIO_BE(5));
	note("clone(CLONE_IO): the child's I/O priority is the thread's, or refused (EPERM)");
	if (syscall(SYS_ioprio_get, 1, 0) != IOPRIO_BE(5))
		note("the thread's I/O priority stayed %ld", syscall(SYS_ioprio_get, 1, 0));
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
	SUD_CASE(failed_exec_keeps_siginfo, 0),
	SUD_CASE(inherit_arch_controls, 0),
	SUD_CASE(inherit_timer_slack_default, 0),
	SUD_CASE(inherit_timer_slack_realtime, 0),
	SUD_CASE(inherit_session_keyring_named, 0),
	SUD_CASE(inherit_session_keyring_anonymous, 0),
	SUD_CASE(inherit_landlock_domain, 0),
	SUD_CASE(landlock_rule_after_restrict, 0),
	SUD_CASE(inherit_lsm_attributes, 0),
	SUD_CASE(clone_io_shares_ioprio, 0),
};
const int n_inherit_cases = sizeof(inherit_cases) / sizeof(inherit_cases[0]);
