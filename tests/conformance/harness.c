// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "arch.h"
#include "conformance.h"
#include "tap.h"

#define OBS_SIZE 8192

struct observation {
	char text[OBS_SIZE];
	int len, failures;
};

static struct observation *obs;
volatile struct sigsys_record last_sigsys;
volatile char selector;
__thread volatile char *current_selector = &selector;

void note(const char *fmt, ...)
{
	va_list ap;
	int room = OBS_SIZE - obs->len - 1, n;

	if (room <= 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(obs->text + obs->len, (size_t)room, fmt, ap);
	va_end(ap);
	if (n > 0)
		obs->len += n < room ? n : room;
	if (obs->len < OBS_SIZE - 1)
		obs->text[obs->len++] = '\n';
}

void check_at(bool ok, const char *expr, const char *file, int line)
{
	if (ok)
		return;
	obs->failures++;
	note("FAILED %s at %s:%d", expr, file, line);
}

void skip_case(const char *reason)
{
	note("%s", reason);
	_exit(77);
}

static void recorder(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;
	unsigned long a[6];
	int local;

	*current_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	arch_uc_args(uc, a);
	last_sigsys.signo = sig;
	last_sigsys.code = info->si_code;
	last_sigsys.err = info->si_errno;
	last_sigsys.nr = info->si_syscall;
	last_sigsys.arch = info->si_arch;
	last_sigsys.call_addr = (unsigned long)info->si_call_addr;
	for (int i = 0; i < 6; i++)
		last_sigsys.args[i] = a[i];
	last_sigsys.sp = &local;
	last_sigsys.count++;
	arch_uc_set_return(uc, EMULATED_RETURN);
}

bool wait_in_syscall(long nr, pid_t tid)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	char path[64], buf[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	/* no deadline of its own: the case's watchdog ends a wait that never ends */
	for (;;) {
		FILE *f = fopen(path, "r");
		long now = -1;

		if (f && fgets(buf, sizeof(buf), f))
			sscanf(buf, "%ld", &now);
		if (f)
			fclose(f);
		if (now == nr)
			return true;
		if (!f)
			return false;
		nanosleep(&tick, NULL);
	}
}

void install_sigsys(void (*handler)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | flags;
	CHECK(sigaction(SIGSYS, &sa, NULL) == 0);
}

void install_recorder(int flags)
{
	install_sigsys(recorder, flags);
}

int arm(unsigned long op, unsigned long offset, unsigned long len, volatile char *sel)
{
	if (sel && op != PR_SYS_DISPATCH_OFF)
		current_selector = sel;
	return prctl(PR_SET_SYSCALL_USER_DISPATCH, op, offset, len, sel) ? errno : 0;
}

void need_foreign_abi(void)
{
	int status;
	pid_t pid;

	if (!&test_foreign_audit_arch)
		skip_case("this architecture has no foreign syscall ABI");
	/* IA32_EMULATION, and not disabled at boot */
	pid = fork();
	if (pid == 0)
		_exit(test_foreign_syscall(20, 0, 0, 0, 0, 0, 0) == getpid() ? 0 : 1);
	if (!(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0))
		skip_case("this kernel does not run int $0x80 syscalls (no IA32_EMULATION)");
}

void status_of(const char *what, char *out, int size)
{
	char path[64], line[256];
	int seccomp = -1, nnp = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/status", what);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		sscanf(line, "Seccomp: %d", &seccomp);
		sscanf(line, "NoNewPrivs: %d", &nnp);
	}
	if (f)
		fclose(f);
	snprintf(out, (size_t)size, "Seccomp=%d NoNewPrivs=%d", seccomp, nnp);
}

struct outcome {
	bool ran, passed;
	char how[64];
	char text[OBS_SIZE];
};

/* Seconds a case may run before the harness kills it (SUDCONF_CASE_TIMEOUT). */
static long case_timeout(void)
{
	const char *env = getenv("SUDCONF_CASE_TIMEOUT");
	long t = env ? strtol(env, NULL, 10) : 0;

	return t > 0 ? t : 120;
}

/*
 * Wait for the case's child, killing its process group after @timeout
 * seconds. The watchdog is the parent's: a case may use its own timers.
 * Returns false on a timeout.
 */
static bool wait_case(pid_t pid, long timeout, int *status)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	long ticks = timeout * 100;
	pid_t w;

	while ((w = waitpid(pid, status, WNOHANG)) == 0 && ticks-- > 0)
		nanosleep(&tick, NULL);
	if (w == pid)
		return true;
	kill(-pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return false;
}

/* The ways every case runs, the first the reference that the others must observe the same as. */
static const struct mode {
	const char *name;
	enum sudcompat_backend backend;
	enum sudcompat_fastpath fastpath;
	const char *unavailable;
} modes[] = {
	{ "native", SUDCOMPAT_BACKEND_NATIVE, SUDCOMPAT_FASTPATH_OFF, "this kernel has no SUD" },
	{ "seccomp", SUDCOMPAT_BACKEND_SECCOMP, SUDCOMPAT_FASTPATH_OFF,
	  "seccomp RET_TRAP is unavailable here" },
	{ "fastpath", SUDCOMPAT_BACKEND_SECCOMP, SUDCOMPAT_FASTPATH_ELF,
	  "seccomp RET_TRAP or the fast path is unavailable here" },
};
static int n_modes = (int)(sizeof(modes) / sizeof(modes[0]));

static void run_once(const struct sud_case *c, const struct mode *m, struct outcome *out)
{
	long timeout = case_timeout();
	bool finished;
	int status;
	pid_t pid;

	memset(obs, 0, sizeof(*obs));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct rlimit none = { 0, 0 };

		/* its own process group, so that a timeout also ends what it started */
		setpgid(0, 0);
		setrlimit(RLIMIT_CORE, &none);
		if (sudcompat_select_backend(m->backend) ||
		    (m->backend == SUDCOMPAT_BACKEND_SECCOMP && sudcompat_select_fastpath(m->fastpath)))
			_exit(77);
		c->run();
		_exit(obs->failures ? 1 : 0);
	}
	setpgid(pid, pid);
	finished = wait_case(pid, timeout, &status);
	kill(-pid, SIGKILL);
	out->ran = !(finished && WIFEXITED(status) && WEXITSTATUS(status) == 77);
	if (!finished)
		snprintf(out->how, sizeof(out->how), "timed out after %ld s", timeout);
	else if (WIFSIGNALED(status))
		snprintf(out->how, sizeof(out->how), "killed by signal %d", WTERMSIG(status));
	else
		snprintf(out->how, sizeof(out->how), "exit %d", WEXITSTATUS(status));
	out->passed = finished &&
		      (c->expect_signal ? WIFSIGNALED(status) && WTERMSIG(status) == c->expect_signal
					: WIFEXITED(status) && WEXITSTATUS(status) == 0);
	memcpy(out->text, obs->text, sizeof(out->text));
}

static void report(const char *text)
{
	char copy[OBS_SIZE], *save = NULL;

	memcpy(copy, text, sizeof(copy));
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		tap_diag("  %s", l);
}

static void run_case(const struct sud_case *c)
{
	static struct outcome o[sizeof(modes) / sizeof(modes[0])];

	for (int i = 0; i < n_modes; i++) {
		run_once(c, &modes[i], &o[i]);
		if (!o[i].ran) {
			char reason[128];

			snprintf(reason, sizeof(reason), "%s",
				 o[i].text[0] ? o[i].text : modes[i].unavailable);
			reason[strcspn(reason, "\n")] = 0;
			tap_skip(reason, "%s [%s]", c->name, modes[i].name);
			continue;
		}
		if (!tap_ok(o[i].passed, "%s [%s] (%s)", c->name, modes[i].name, o[i].how))
			report(o[i].text);
	}
	for (int i = 1; i < n_modes; i++) {
		if (!o[0].ran || !o[i].ran) {
			tap_skip("needs both", "%s: %s observes the same as %s", c->name,
				 modes[i].name, modes[0].name);
			continue;
		}
		if (!tap_ok(!strcmp(o[0].how, o[i].how) && !strcmp(o[0].text, o[i].text),
			    "%s: %s observes the same as %s", c->name, modes[i].name,
			    modes[0].name)) {
			tap_diag("%s (%s):", modes[0].name, o[0].how);
			report(o[0].text);
			tap_diag("%s (%s):", modes[i].name, o[i].how);
			report(o[i].text);
		}
	}
}

int main(int argc, char **argv)
{
	const struct { const struct sud_case *cases; int n; } groups[] = {
		{ dispatch_cases, n_dispatch_cases },
		{ lifetime_cases, n_lifetime_cases },
		{ signal_cases, n_signal_cases },
		{ interpose_cases, n_interpose_cases },
		{ unwind_cases, n_unwind_cases },
		{ return_cases, n_return_cases },
		{ mask_cases, n_mask_cases },
		{ inherit_cases, n_inherit_cases },
		{ fastpath_cases, n_fastpath_cases },
	};
	const char *only = argc > 1 ? argv[1] : NULL;

	/* The exec'd image of the lifetime cases reports on itself. */
	if (only && !strcmp(only, "--status")) {
		char s[128];

		status_of("self", s, sizeof(s));
		printf("%s\n", s);
		return 0;
	}
	if (only && !strncmp(only, "--inherit-", 10))
		return inherit_image_main(argc, argv);
	/* the image of lifetime.c's filter case: the application's filter refuses getpriority */
	if (only && !strcmp(only, "--filtered")) {
		errno = 0;
		return syscall(SYS_getpriority, PRIO_PROCESS, 0) == -1 && errno == EPERM ? 0 : 1;
	}
	if (only && !strcmp(only, "--status-expect") && argc > 2) {
		char s[128];

		status_of("self", s, sizeof(s));
		return strcmp(s, argv[2]) ? 1 : 0;
	}
	obs = mmap(NULL, sizeof(*obs), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (obs == MAP_FAILED)
		return 99;
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* an architecture without the fast path runs two ways; each case's child chooses again */
	if (sudcompat_select_fastpath(SUDCOMPAT_FASTPATH_ELF) && errno == ENOTSUP)
		n_modes--;
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		for (int i = 0; i < groups[g].n; i++)
			if (!only || strstr(groups[g].cases[i].name, only))
				run_case(&groups[g].cases[i]);
	return tap_done();
}
