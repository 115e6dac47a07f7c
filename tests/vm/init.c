// SPDX-License-Identifier: MIT
/*
 * init.c - PID 1 of the kernel-matrix test VMs (see docs/kernel-matrix.md).
 *
 * Mounts proc, sysfs, devtmpfs and tmpfs, runs the tests listed in /manifest
 * that match the kernel variant (sudvariant= on the kernel command line),
 * prints TAP on the console, and powers the machine off:
 *
 *   TAP version 13
 *   1..N
 *       <each test's own output, indented: a TAP subtest>
 *   ok 1 - NAME # rc=0 (TAP 6 ok, 0 not ok)
 *   not ok 2 - NAME # signal=9: timed out after 120 s
 *   ok 3 - NAME # SKIP rc=4: the first "# SKIP" reason the test printed
 *   # SUDVM DONE
 *
 * A test passes when it exits 0 and printed no "not ok" of its own; exit 77
 * (automake) and 4 (kselftest's KSFT_SKIP) are skips.  Subtests that print
 * "ok ... # SKIP" are counted as skipped, not as ok, and a test whose every
 * subtest skipped is a skip too, when it exits 0.
 *
 * Manifest lines: NAME|VARIANTS|ARGV...   ('#' starts a comment line)
 *   VARIANTS: comma-separated: any | patched | unpatched, and optionally
 *             timeout=SECONDS (default: sudtimeout= on the command line, or 120)
 *   ARGV:     [VAR=VALUE]... PROGRAM ARGS..., separated by blanks (or '|');
 *             a program without '/' is looked up in /bin, where tests live.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define MAX_ARGS 64
#define MAX_TESTS 64
#define MAX_ENV 16
#define LINE_MAX_LEN 4096

static char variant[32] = "unknown";
static char poweroff_mode[32] = "poweroff";
static long default_timeout = 120;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static void mnt(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, NULL) && errno != EBUSY)
		say("# init: mount %s on %s: %s\n", type, dir, strerror(errno));
}

/* value of KEY= in /proc/cmdline, copied into buf */
static void cmdline_get(const char *key, char *buf, size_t len)
{
	char line[LINE_MAX_LEN], *tok, *save;
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f)
		return;
	if (fgets(line, sizeof(line), f)) {
		for (tok = strtok_r(line, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save)) {
			if (!strncmp(tok, key, klen) && tok[klen] == '=') {
				snprintf(buf, len, "%s", tok + klen + 1);
				break;
			}
		}
	}
	fclose(f);
}

/*
 * The BPF JIT on, for seccomp filters loaded from here on, where the kernel
 * leaves it off by default (riscv64: no ARCH_WANT_DEFAULT_BPF_JIT).
 */
static void enable_bpf_jit(void)
{
	FILE *f = fopen("/proc/sys/net/core/bpf_jit_enable", "w");
	bool failed;

	if (!f) {
		say("# init: no BPF JIT: %s\n", strerror(errno));
		return;
	}
	failed = fputs("1\n", f) < 0;
	if (fclose(f) || failed)
		say("# init: bpf_jit_enable: %s\n", strerror(errno));
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* does VARIANTS (comma list) select this kernel? sets *timeout if given */
static int variant_matches(char *variants, long *timeout)
{
	char *tok, *save;
	int match = 0;

	for (tok = strtok_r(variants, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (!strncmp(tok, "timeout=", 8))
			*timeout = strtol(tok + 8, NULL, 10);
		else if (!strcmp(tok, "any") || !strcmp(tok, variant))
			match = 1;
	}
	return match;
}

/* the first line of a /proc file, without its newline; "" if unreadable */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = 0;
	buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

/*
 * Before a timed-out test is killed: the state of each of its threads
 * (R: running, so a livelock; S/D with a wchan: a wait that never ends)
 * and the syscall each one is in.
 */
static void dump_group(pid_t pgrp)
{
	DIR *procs = opendir("/proc");
	struct dirent *p;

	while (procs && (p = readdir(procs))) {
		char path[600], stat[512], *after_comm;
		DIR *tasks;
		struct dirent *t;
		int pg = -1;
		char state;

		if (p->d_name[0] < '0' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", p->d_name);
		read_line(path, stat, sizeof(stat));
		after_comm = strrchr(stat, ')');
		if (!after_comm || sscanf(after_comm + 1, " %c %*d %d", &state, &pg) != 2 ||
		    pg != pgrp)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task", p->d_name);
		tasks = opendir(path);
		while (tasks && (t = readdir(tasks))) {
			char wchan[64], sys[128], tstat[512];

			if (t->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/task/%s/stat", p->d_name, t->d_name);
			read_line(path, tstat, sizeof(tstat));
			after_comm = strrchr(tstat, ')');
			snprintf(path, sizeof(path), "/proc/%s/task/%s/wchan", p->d_name, t->d_name);
			read_line(path, wchan, sizeof(wchan));
			snprintf(path, sizeof(path), "/proc/%s/task/%s/syscall", p->d_name,
				 t->d_name);
			read_line(path, sys, sizeof(sys));
			say("# init: timed out: pid %s tid %s state %c wchan %s syscall %s\n",
			    p->d_name, t->d_name, after_comm ? after_comm[2] : '?',
			    wchan[0] ? wchan : "-", sys[0] ? sys : "-");
		}
		if (tasks)
			closedir(tasks);
	}
	if (procs)
		closedir(procs);
}

struct test {
	char *name;
	char *argv[MAX_ARGS + 1];
	long timeout;
};

/* What a test printed of its own TAP, and the first failure in it. */
struct tap_seen {
	int ok, not_ok, skipped;
	char first_fail[96];
	char skip_reason[96];	/* the first "# SKIP reason" the test printed */
	char line[LINE_MAX_LEN];
	size_t len;
};

static void seen_line(struct tap_seen *t)
{
	const char *l = t->line + strspn(t->line, " \t");
	bool directive = strstr(l, "# SKIP") || strstr(l, "# TODO") ||
			 strstr(l, "# skip") || strstr(l, "# todo");

	const char *skip = strstr(l, "# SKIP");

	say("    %s\n", t->line);
	if (skip && !t->skip_reason[0]) {
		skip += strlen("# SKIP");
		skip += strspn(skip, " \t");
		snprintf(t->skip_reason, sizeof(t->skip_reason), "%s", skip);
	}
	if (!strncmp(l, "not ok", 6) && !directive) {
		if (!t->not_ok++)
			snprintf(t->first_fail, sizeof(t->first_fail), "%s", l);
	} else if (!strncmp(l, "ok", 2) && skip) {
		/* a skipped subtest passed nothing: counted apart */
		t->skipped++;
	} else if (!strncmp(l, "ok", 2)) {
		t->ok++;
	}
	t->len = 0;
}

/* Indent what the test wrote, a line at a time; false at end of file. */
static bool relay(int fd, struct tap_seen *t)
{
	char buf[1024];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n <= 0)
		return n < 0 && errno == EINTR;
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || t->len == sizeof(t->line) - 1) {
			t->line[t->len] = 0;
			seen_line(t);
			if (buf[i] == '\n')
				continue;
		}
		if (buf[i] != '\r')
			t->line[t->len++] = buf[i];
	}
	return true;
}

/*
 * " (TAP 6 ok, 0 not ok)", " (TAP 5 ok, 0 not ok, 1 skipped)", or "" for a
 * test that printed no TAP.  "ok" counts only the subtests that passed.
 */
static const char *tap_count(const struct tap_seen *t)
{
	static char buf[64];

	if (!t->ok && !t->not_ok && !t->skipped)
		return "";
	if (t->skipped)
		snprintf(buf, sizeof(buf), " (TAP %d ok, %d not ok, %d skipped)",
			 t->ok, t->not_ok, t->skipped);
	else
		snprintf(buf, sizeof(buf), " (TAP %d ok, %d not ok)", t->ok, t->not_ok);
	return buf;
}

static __attribute__((noreturn)) void exec_test(const struct test *t, int out)
{
	char *envp[MAX_ENV + 6] = { "PATH=/bin:/", "HOME=/tmp", "TMPDIR=/tmp", "TERM=dumb" };
	char envvar[64];
	char *const *argv = t->argv;
	int nenv = 4, fd = open("/dev/null", O_RDONLY);
	sigset_t none;

	snprintf(envvar, sizeof(envvar), "SUDVM_VARIANT=%s", variant);
	envp[nenv++] = envvar;
	for (; *argv && strchr(*argv, '=') && **argv != '/' && nenv < MAX_ENV + 5; argv++)
		envp[nenv++] = *argv;
	envp[nenv] = NULL;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setpgid(0, 0);
	if (fd >= 0) {
		dup2(fd, 0);
		close(fd);
	}
	dup2(out, 1);
	dup2(out, 2);
	close(out);
	if (chdir("/bin"))
		perror("chdir /bin");
	if (!*argv)
		fprintf(stderr, "# init: no program to run\n");
	else if (strchr(*argv, '/'))
		execve(*argv, argv, envp);
	else
		execvpe(*argv, argv, envp);
	if (*argv)
		fprintf(stderr, "# init: exec %s: %s\n", *argv, strerror(errno));
	_exit(127);
}

/* Runs test @n; its output until it exits, at most @t->timeout seconds. */
static void run_test(int n, const struct test *t)
{
	struct tap_seen seen = { 0 };
	int status = 0, timed_out = 0, pipefd[2];
	bool open_out = true;
	double deadline;
	pid_t pid, w;
	int rc;

	if (pipe2(pipefd, O_CLOEXEC)) {
		say("not ok %d - %s # init: pipe: %s\n", n, t->name, strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		say("not ok %d - %s # init: fork: %s\n", n, t->name, strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		return;
	}
	if (pid == 0)
		exec_test(t, pipefd[1]);
	close(pipefd[1]);
	setpgid(pid, pid);
	deadline = mono_now() + (double)t->timeout;
	for (;;) {
		struct pollfd pfd = { .fd = pipefd[0], .events = POLLIN };
		double left;

		/* reap everything: PID 1 inherits orphans */
		while ((w = waitpid(-1, &status, WNOHANG)) > 0)
			if (w == pid)
				goto done;
		left = deadline - mono_now();
		if (left <= 0) {
			timed_out = 1;
			dump_group(pid);
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while ((w = waitpid(-1, &status, 0)) > 0 && w != pid)
				;
			break;
		}
		/* SIGCHLD is blocked: poll wakes for output, or after at most 100 ms */
		if (open_out && poll(&pfd, 1, left > 0.1 ? 100 : (int)(left * 1000) + 1) > 0)
			open_out = relay(pipefd[0], &seen);
		else if (!open_out)
			usleep(100 * 1000);
	}
done:
	kill(-pid, SIGKILL); /* leftovers of the test's process group */
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	while (open_out && relay(pipefd[0], &seen))
		;
	if (seen.len) {
		seen.line[seen.len] = 0;
		seen_line(&seen);
	}
	close(pipefd[0]);
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (timed_out)
		say("not ok %d - %s # signal=9: timed out after %ld s\n", n, t->name, t->timeout);
	else if (WIFSIGNALED(status))
		say("not ok %d - %s # signal=%d\n", n, t->name, WTERMSIG(status));
	else if (rc == 77 || rc == 4)
		say("ok %d - %s # SKIP rc=%d%s%s\n", n, t->name, rc,
		    seen.skip_reason[0] ? ": " : "", seen.skip_reason);
	else if (rc || seen.not_ok)
		say("not ok %d - %s # rc=%d%s%s%s\n", n, t->name, rc, tap_count(&seen),
		    seen.not_ok ? ": " : "", seen.first_fail);
	else if (!seen.ok && seen.skipped)
		/* exit 0, but every subtest skipped: nothing was shown to work */
		say("ok %d - %s # SKIP rc=0%s: %s\n", n, t->name, tap_count(&seen),
		    seen.skip_reason);
	else
		say("ok %d - %s # rc=0%s\n", n, t->name, tap_count(&seen));
}

/* Reads the manifest's tests for this kernel into @tests (their strings point into @buf). */
static int read_manifest(const char *path, char *buf, size_t size, struct test *tests)
{
	char *line, *save_line;
	size_t len;
	int n = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		say("# init: cannot open %s: %s\n", path, strerror(errno));
		return 0;
	}
	len = fread(buf, 1, size - 1, f);
	buf[len] = 0;
	fclose(f);
	for (line = strtok_r(buf, "\r\n", &save_line); line && n < MAX_TESTS;
	     line = strtok_r(NULL, "\r\n", &save_line)) {
		char *variants, *rest, *tok, *save;
		struct test *t = &tests[n];
		int argc = 0;

		if (!line[strspn(line, " \t")] || line[strspn(line, " \t")] == '#')
			continue;
		variants = strchr(line, '|');
		rest = variants ? strchr(variants + 1, '|') : NULL;
		if (!rest) {
			say("# init: bad manifest line: %s\n", line);
			continue;
		}
		*variants++ = 0;
		*rest++ = 0;
		t->name = line;
		t->timeout = default_timeout;
		if (!variant_matches(variants, &t->timeout)) {
			say("# init: %s is not for the %s kernel\n", line, variant);
			continue;
		}
		for (tok = strtok_r(rest, " \t|", &save); tok && argc < MAX_ARGS;
		     tok = strtok_r(NULL, " \t|", &save))
			t->argv[argc++] = tok;
		t->argv[argc] = NULL;
		n++;
	}
	return n;
}

int main(void)
{
	static char manifest[64 * 1024];
	static struct test tests[MAX_TESTS];
	struct rlimit nocore = { 0, 0 };
	char buf[32] = "";
	sigset_t chld;
	int n;

	setvbuf(stdout, NULL, _IOLBF, 0);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	setrlimit(RLIMIT_CORE, &nocore);

	mnt("proc", "/proc", "proc");
	mnt("sysfs", "/sys", "sysfs");
	mnt("devtmpfs", "/dev", "devtmpfs");
	mnt("tmpfs", "/tmp", "tmpfs");
	cmdline_get("sudvariant", variant, sizeof(variant));
	cmdline_get("sudpoweroff", poweroff_mode, sizeof(poweroff_mode));
	cmdline_get("sudtimeout", buf, sizeof(buf));
	if (buf[0] && atol(buf) > 0)
		default_timeout = atol(buf);
	enable_bpf_jit();

	n = read_manifest("/manifest", manifest, sizeof(manifest), tests);
	say("TAP version 13\n1..%d\n# SUDVM START variant=%s timeout=%ld\n", n, variant,
	    default_timeout);
	for (int i = 0; i < n; i++)
		run_test(i + 1, &tests[i]);
	say("# SUDVM DONE\n");
	sync();
	reboot(strcmp(poweroff_mode, "reboot") ? RB_POWER_OFF : RB_AUTOBOOT);
	say("# init: reboot: %s\n", strerror(errno));
	for (;;)
		pause();
}
