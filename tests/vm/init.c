// SPDX-License-Identifier: MIT
/*
 * init.c - PID 1 of the kernel-matrix test VMs (see docs/kernel-matrix.md).
 *
 * Mounts proc, sysfs, devtmpfs and tmpfs, runs the tests listed in /manifest
 * that match the kernel variant (sudvariant= on the kernel command line),
 * frames their output with "# BEGIN NAME" / "# END NAME rc=N|signal=N",
 * prints "# SUDVM DONE" and powers the machine off.
 *
 * Manifest lines: NAME|VARIANTS|ARGV...   ('#' starts a comment line)
 *   VARIANTS: comma-separated: any | patched | unpatched, and optionally
 *             timeout=SECONDS (default: sudtimeout= on the command line, or 120)
 *   ARGV:     the program and its arguments, separated by blanks (or '|');
 *             a program without '/' is looked up in /bin, where tests live.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
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

static void run_test(const char *name, char **argv, long timeout)
{
	char *envp[] = { "PATH=/bin:/", "HOME=/tmp", "TMPDIR=/tmp", "TERM=dumb", NULL,
			 NULL };
	char envvar[64];
	double deadline;
	int status = 0, timed_out = 0;
	pid_t pid, w;

	snprintf(envvar, sizeof(envvar), "SUDVM_VARIANT=%s", variant);
	envp[4] = envvar;
	say("# BEGIN %s\n", name);
	pid = fork();
	if (pid < 0) {
		say("# init: fork: %s\n# END %s rc=126\n", strerror(errno), name);
		return;
	}
	if (pid == 0) {
		sigset_t none;
		int fd = open("/dev/null", O_RDONLY);

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setpgid(0, 0);
		if (fd >= 0) {
			dup2(fd, 0);
			close(fd);
		}
		if (chdir("/bin"))
			perror("chdir /bin");
		if (strchr(argv[0], '/'))
			execve(argv[0], argv, envp);
		else
			execvpe(argv[0], argv, envp);
		fprintf(stderr, "# init: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	deadline = mono_now() + (double)timeout;
	for (;;) {
		sigset_t chld;
		struct timespec ts;
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
		if (left > 1)
			left = 1;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
		sigemptyset(&chld);
		sigaddset(&chld, SIGCHLD);
		sigtimedwait(&chld, NULL, &ts);
	}
done:
	kill(-pid, SIGKILL); /* leftovers of the test's process group */
	if (timed_out)
		say("# END %s signal=9 timeout=%ld\n", name, timeout);
	else if (WIFSIGNALED(status))
		say("# END %s signal=%d\n", name, WTERMSIG(status));
	else
		say("# END %s rc=%d\n", name, WEXITSTATUS(status));
}

static void run_manifest(const char *path)
{
	char line[LINE_MAX_LEN];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f) {
		say("# init: cannot open %s: %s\n", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *argv[MAX_ARGS + 1], *name, *variants, *rest, *tok, *save;
		long timeout = default_timeout;
		int argc = 0;

		line[strcspn(line, "\r\n")] = 0;
		if (!line[strspn(line, " \t")] || line[strspn(line, " \t")] == '#')
			continue;
		name = line;
		variants = strchr(name, '|');
		if (!variants) {
			say("# init: bad manifest line: %s\n", line);
			continue;
		}
		*variants++ = 0;
		rest = strchr(variants, '|');
		if (!rest) {
			say("# init: bad manifest line for %s\n", name);
			continue;
		}
		*rest++ = 0;
		if (!variant_matches(variants, &timeout)) {
			say("# init: %s is not for the %s kernel\n", name, variant);
			continue;
		}
		for (tok = strtok_r(rest, " \t|", &save); tok && argc < MAX_ARGS;
		     tok = strtok_r(NULL, " \t|", &save))
			argv[argc++] = tok;
		argv[argc] = NULL;
		if (!argc) {
			say("# BEGIN %s\n# init: empty command\n# END %s rc=127\n", name, name);
			continue;
		}
		run_test(name, argv, timeout);
		n++;
	}
	fclose(f);
	say("# init: ran %d tests\n", n);
}

int main(void)
{
	struct rlimit nocore = { 0, 0 };
	char buf[32] = "";
	sigset_t chld;

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

	say("# SUDVM START variant=%s timeout=%ld\n", variant, default_timeout);
	run_manifest("/manifest");
	say("# SUDVM DONE\n");
	sync();
	reboot(strcmp(poweroff_mode, "reboot") ? RB_POWER_OFF : RB_AUTOBOOT);
	say("# init: reboot: %s\n", strerror(errno));
	for (;;)
		pause();
}
