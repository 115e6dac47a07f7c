// SPDX-License-Identifier: LGPL-2.1-or-later
/* SUD belongs to one thread: children, threads and new images start without it, and clean. */
#include <errno.h>
#include <stddef.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/resource.h>
#include <signal.h>
#include <stdlib.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance.h"

extern char **environ;
static char before[128];

/* Arm with the selector at ALLOW: the lifecycle syscalls themselves must run. */
static void arm_allowing(void)
{
	install_recorder(0);
	status_of("self", before, sizeof(before));
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
}

/* In a new task: is SUD off, and is the task as clean as before arming? */
static void report_from_child(int fd, const char *self)
{
	char now[128], line[300];
	long ret;

	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = RAW0(SYS_getppid);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	status_of(self, now, sizeof(now));
	snprintf(line, sizeof(line), "%s, %s", ret == EMULATED_RETURN ? "dispatched" : "ran",
		 strcmp(now, before) ? now : "status as before arming");
	if (write(fd, line, strlen(line)) < 0)
		_exit(3);
}

static void read_report(int fd, const char *who)
{
	char buf[300];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = 0;
	note("%s: %s", who, n > 0 ? buf : "no report");
	CHECK(strstr(buf, "ran, status as before arming") != NULL);
	close(fd);
}

static void parent_still_armed(void)
{
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	note("parent afterwards: %s", RAW0(SYS_getppid) == EMULATED_RETURN ? "dispatched" : "ran");
}

static void fork_child_is_clean(void)
{
	int p[2], status;
	pid_t pid;

	CHECK(pipe(p) == 0);
	arm_allowing();
	pid = fork();
	if (pid == 0) {
		report_from_child(p[1], "self");
		_exit(0);
	}
	close(p[1]);
	read_report(p[0], "fork child");
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	parent_still_armed();
}

static void *thread_main(void *arg)
{
	report_from_child(*(int *)arg, "thread-self");
	return NULL;
}

static void new_thread_is_clean(void)
{
	pthread_t t;
	int p[2];

	CHECK(pipe(p) == 0);
	arm_allowing();
	CHECK(pthread_create(&t, NULL, thread_main, &p[1]) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	close(p[1]);
	read_report(p[0], "new thread");
	parent_still_armed();
}

/* A new image reports through its stdout: the conformance binary's --status mode. */
static void expect_exec_report(int fd, const char *who)
{
	char buf[200];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = 0;
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	note("%s: %s", who, strcmp(buf, before) ? buf : "status as before arming");
	CHECK(!strcmp(buf, before));
	close(fd);
}

static void exec_child(int out)
{
	char *argv[] = { "sud_conformance", "--status", NULL };

	dup2(out, 1);
	execve("/proc/self/exe", argv, environ);
	_exit(127);
}

static void fork_exec_is_clean(void)
{
	int p[2], status;
	pid_t pid;

	CHECK(pipe(p) == 0);
	arm_allowing();
	pid = fork();
	if (pid == 0)
		exec_child(p[1]);
	close(p[1]);
	expect_exec_report(p[0], "fork+execve");
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	parent_still_armed();
}

static void vfork_exec_is_clean(void)
{
	int p[2], status;
	pid_t pid;

	CHECK(pipe(p) == 0);
	arm_allowing();
	pid = vfork();
	if (pid == 0)
		exec_child(p[1]);
	close(p[1]);
	expect_exec_report(p[0], "vfork+execve");
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	parent_still_armed();
}

static void posix_spawn_is_clean(void)
{
	char *argv[] = { "sud_conformance", "--status", NULL };
	posix_spawn_file_actions_t fa;
	int p[2], status;
	pid_t pid;

	CHECK(pipe(p) == 0);
	arm_allowing();
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	CHECK(posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, environ) == 0);
	close(p[1]);
	expect_exec_report(p[0], "posix_spawn");
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* a failing spawn must report its errno, as through vfork's shared memory */
	note("posix_spawn of a missing file: %s",
	     posix_spawn(&pid, "/nonexistent/sud", NULL, NULL, argv, environ) == ENOENT ?
	     "ENOENT" : "something else");
	parent_still_armed();
}

static void exec_in_place_is_clean(void)
{
	char *argv[] = { "sud_conformance", "--status-expect", before, NULL };

	arm_allowing();
	/* the new image exits 0 only if its status is what it was before arming */
	execve("/proc/self/exe", argv, environ);
	CHECK(!"execve returned");
}

static void execve_failure_returns(void)
{
	char *argv[] = { "x", NULL };
	int rc, err;

	arm_allowing();
	rc = execve("/nonexistent/sud", argv, environ);
	err = errno;
	note("execve of a missing file: %d, %s", rc, err == ENOENT ? "ENOENT" : "other");
	parent_still_armed();
}

struct worker {
	volatile char sel;
	int dispatched;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	/* not armed here: BLOCK in another thread's selector means nothing */
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	if (RAW0(SYS_getppid) == EMULATED_RETURN)
		return NULL;
	for (int round = 0; round < 50; round++) {
		w->sel = SYSCALL_DISPATCH_FILTER_ALLOW;
		if (arm(PR_SYS_DISPATCH_ON, 0, 0, &w->sel))
			return NULL;
		for (int i = 0; i < 20; i++) {
			w->sel = SYSCALL_DISPATCH_FILTER_BLOCK;
			if (test_raw_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0) == EMULATED_RETURN)
				w->dispatched++;
			w->sel = SYSCALL_DISPATCH_FILTER_ALLOW;
		}
		if (arm(PR_SYS_DISPATCH_OFF, 0, 0, NULL))
			return NULL;
	}
	return NULL;
}

static void threads_arm_independently(void)
{
	static struct worker w[4];
	pthread_t t[4];
	int total = 0;

	install_recorder(SA_NODEFER);
	for (int i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, worker_main, &w[i]) == 0);
	for (int i = 0; i < 4; i++) {
		CHECK(pthread_join(t[i], NULL) == 0);
		total += w[i].dispatched;
	}
	note("dispatched in 4 threads: %d", total);
	CHECK(total == 4 * 50 * 20);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	note("main thread, never armed: %s",
	     RAW0(SYS_getppid) == EMULATED_RETURN ? "dispatched" : "ran");
}

static volatile int armed_in_handler = -1;

static void arming_handler(int sig)
{
	(void)sig;
	armed_in_handler = arm(PR_SYS_DISPATCH_ON, 0, 0, &selector);
}

/*
 * The prctl is one syscall natively, and async-signal-safe: a handler may
 * arm its thread. The handler returns at ALLOW; a dispatch follows at BLOCK.
 */
static void arm_in_a_signal_handler(void)
{
	long ret;

	install_recorder(0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(signal(SIGUSR1, arming_handler) != SIG_ERR);
	CHECK(raise(SIGUSR1) == 0);
	note("armed in the handler: %d", armed_in_handler);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = RAW0(SYS_getppid);
	note("then at BLOCK: %s", ret == EMULATED_RETURN && last_sigsys.count == 1 ?
	     "dispatched" : "ran");
	CHECK(armed_in_handler == 0 && ret == EMULATED_RETURN);
}

/*
 * A child between fork and exec may arm (it may only make async-signal-safe
 * calls there), while its parent's other thread held whatever it held: the
 * malloc lock, say.
 */
static void *busy_allocating(void *arg)
{
	volatile int *stop = arg;

	while (!*stop)
		free(malloc(64));
	return NULL;
}

static void arm_between_fork_and_exec(void)
{
	static volatile int stop;
	pthread_t t;
	int status;
	pid_t pid;

	CHECK(pthread_create(&t, NULL, busy_allocating, (void *)&stop) == 0);
	install_recorder(0);
	pid = fork();
	if (pid == 0) {
		selector = SYSCALL_DISPATCH_FILTER_ALLOW;
		if (arm(PR_SYS_DISPATCH_ON, 0, 0, &selector))
			_exit(2);
		selector = SYSCALL_DISPATCH_FILTER_BLOCK;
		if (RAW0(SYS_getppid) != EMULATED_RETURN)
			_exit(3);
		selector = SYSCALL_DISPATCH_FILTER_ALLOW;
		_exit(0);
	}
	stop = 1;
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	note("the child armed and dispatched: %s",
	     WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "yes" : "no");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* The application's own filter: getpriority fails with EPERM. */
static void install_getpriority_filter(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpriority, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(insns) / sizeof(insns[0]), .filter = insns };

	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
	CHECK(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0);
}

static bool getpriority_refused(void)
{
	errno = 0;
	return syscall(SYS_getpriority, PRIO_PROCESS, 0) == -1 && errno == EPERM;
}

static void *thread_reports_filter(void *arg)
{
	*(int *)arg = getpriority_refused();
	return NULL;
}

/*
 * A sandbox set up after arming stays a sandbox: a fork child, a new thread
 * and a new image of the armed thread have its filter, as natively.
 */
static void filter_after_arming_reaches_children(void)
{
	char *argv[] = { "sud_conformance", "--filtered", NULL };
	int status, in_thread = -1;
	pthread_t t;
	pid_t pid;

	install_recorder(0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	install_getpriority_filter();
	note("the thread: getpriority refused %d", getpriority_refused());
	pid = fork();
	if (pid == 0)
		_exit(getpriority_refused() ? 0 : 1);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	note("a fork child: refused %d", WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(pthread_create(&t, NULL, thread_reports_filter, &in_thread) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	note("a new thread: refused %d", in_thread);
	CHECK(in_thread == 1);
	pid = fork();
	if (pid == 0) {
		execv("/proc/self/exe", argv);
		_exit(2);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	note("the image a fork child execs: refused %d", WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* The image an armed thread execs itself has the filter it installed after arming. */
static void filter_after_arming_reaches_the_new_image(void)
{
	char *argv[] = { "sud_conformance", "--filtered", NULL };
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		install_recorder(0);
		selector = SYSCALL_DISPATCH_FILTER_ALLOW;
		if (arm(PR_SYS_DISPATCH_ON, 0, 0, &selector))
			_exit(3);
		install_getpriority_filter();
		execv("/proc/self/exe", argv);
		_exit(2);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	note("the image: refused %d (status %d)", WIFEXITED(status) && WEXITSTATUS(status) == 0,
	     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void *filter_then_arm_then_fork(void *arg)
{
	int *ok = arg, status;
	pid_t pid;

	install_getpriority_filter();
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	if (arm(PR_SYS_DISPATCH_ON, 0, 0, &selector))
		return NULL;
	pid = fork();
	if (pid == 0)
		_exit(getpriority_refused() ? 0 : 1);
	if (pid < 0)
		*ok = errno == EPERM;
	else
		*ok = waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0;
	return NULL;
}

/*
 * A filter that a thread installed before it armed, when the helper thread
 * already existed: natively its child has it; the emulation's helper does
 * not, and must refuse (EPERM) rather than create a child without it.
 */
static void filter_before_arming_is_never_lost(void)
{
	int ok = -1;
	pthread_t t;

	install_recorder(0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	CHECK(pthread_create(&t, NULL, filter_then_arm_then_fork, &ok) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	note("fork: %s", ok == 1 ? "a child with the filter, or refused with EPERM" :
	     "a child without the filter");
	CHECK(ok == 1);
}

static volatile int written_by_child;

/*
 * vfork() shares memory: what the child writes before it exits or execs is
 * the parent's, and the parent goes on where it was, its locals intact.
 */
static void vfork_shares_memory(void)
{
	volatile int mine = 7;
	int status;
	pid_t pid;

	install_recorder(0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	pid = vfork();
	if (pid == 0) {
		written_by_child = 42;
		_exit(3);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	note("the child's write: %s; the child exited %d; the parent's local %d",
	     written_by_child == 42 ? "seen by the parent" : "lost",
	     WIFEXITED(status) ? WEXITSTATUS(status) : -1, mine);
	CHECK(written_by_child == 42 && WIFEXITED(status) && WEXITSTATUS(status) == 3 && mine == 7);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	note("still armed: %s", RAW0(SYS_getppid) == EMULATED_RETURN ? "dispatched" : "ran");
}

const struct sud_case lifetime_cases[] = {
	SUD_CASE(fork_child_is_clean, 0),
	SUD_CASE(new_thread_is_clean, 0),
	SUD_CASE(fork_exec_is_clean, 0),
	SUD_CASE(vfork_exec_is_clean, 0),
	SUD_CASE(posix_spawn_is_clean, 0),
	SUD_CASE(exec_in_place_is_clean, 0),
	SUD_CASE(execve_failure_returns, 0),
	SUD_CASE(threads_arm_independently, 0),
	SUD_CASE(arm_in_a_signal_handler, 0),
	SUD_CASE(arm_between_fork_and_exec, 0),
	SUD_CASE(filter_after_arming_reaches_children, 0),
	SUD_CASE(filter_after_arming_reaches_the_new_image, 0),
	SUD_CASE(vfork_shares_memory, 0),
	SUD_CASE(filter_before_arming_is_never_lost, 0),
};
const int n_lifetime_cases = sizeof(lifetime_cases) / sizeof(lifetime_cases[0]);
