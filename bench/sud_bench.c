// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sud_bench: what Syscall User Dispatch costs on the native backend and on
 * the seccomp emulation, side by side, in one run.
 *
 * Every (scenario, backend) pair runs in a forked child that selects its
 * backend before anything is armed, once per round; the rounds alternate
 * native and seccomp so that drift (other load, frequency) hits both alike.
 * In each child the operation is calibrated to about target_ms per
 * repetition; the result is the median ns/op over all rounds' repetitions
 * (min and max are printed too). Nothing here asserts on timing:
 * a sanity check only turns a row into "n/a" when the scenario did not do
 * what it claims to measure (e.g. the dispatch did not reach the handler).
 *
 * The fast path's coverage comes last: a loop of libc's wrappers and one
 * rewritable site, armed at ALLOW, under the emulation without and with the
 * fast path; of the syscalls after their site's first trap, the fraction that
 * no longer trapped (sudcompat_fastpath_stats()).
 *
 * Usage: sud_bench [-q | -v]
 *   -q  fewer, shorter repetitions, for a smoke run
 *   -v  the kernel matrix's VMs (ci/build-vm-payload): the baseline, dispatch
 *       and pass-through rows and the coverage only, short; exits 77 (a skip)
 *       when native SUD is unavailable and 1 when a cell or the coverage has
 *       no value, since then the bench did not run what it prints (never on
 *       a ratio)
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "arch.h"
#include "sudcompat.h"

extern char **environ;

/* tests/arch/$(SUD_ARCH)/raw_syscall.S */
long test_raw_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
extern char test_raw_syscall_ret[];
#define RAW0(nr) test_raw_syscall((nr), 0, 0, 0, 0, 0, 0)
/* a site in the form compilers write, which the fast path rewrites (tests/arch) */
long test_site_getppid(void);

#define EMULATED_RETURN 0x5d5
#define NBACKENDS 3
#define CHILD_TIMEOUT_S 25

/* rounds x reps repetitions per cell; the rounds alternate the backends */
static int rounds = 3, reps = 5;
static double target_ms_fast = 30, target_ms_slow = 80;
/* the scenarios run: the first nscen_run of enum scenario */
static int nscen_run;
/* clock_getres(CLOCK_MONOTONIC): 1 ns, or a tick where the clocksource is one */
static double clock_res_ns = 1;

/* ------------------------------------------------------------------ */
/* Results, shared between the children and the parent.               */

#define MAX_SAMPLES 64

struct result {
	int ok;			/* 1: every round measured */
	long iters;		/* per repetition, last round */
	int n;			/* samples, all rounds */
	double sample[MAX_SAMPLES];	/* ns/op of each repetition */
	double med, min, max;	/* ns/op, computed by the parent */
	char why[200];		/* when !ok */
};

struct memory {
	int ok;
	long rss_before, rss_after, size_before, size_after;	/* kB */
	int threads_before, threads_after;
	char why[200];
};

enum scenario {
	S_BASELINE, S_DISPATCH, S_PASS, S_RANGE, S_FORK, S_SPAWN, S_THREAD, S_ONSTACK, NSCEN
};

static const char *const scen_name[NSCEN] = {
	"baseline: raw getppid, SUD off",
	"1 dispatch round trip (BLOCK)",
	"2 pass-through at ALLOW",
	"3 allowed range (BLOCK)",
	"4 fork+waitpid, _exit child",
	"5 posix_spawn /bin/true+wait",
	"6 pthread_create+join",
	"7 dispatch, SA_ONSTACK handler",
};

/* the columns: native SUD, the emulation, and the emulation with its fast path */
static const struct bench_mode {
	const char *name;
	enum sudcompat_backend backend;
	enum sudcompat_fastpath fastpath;
} backends[NBACKENDS] = {
	{ "native", SUDCOMPAT_BACKEND_NATIVE, SUDCOMPAT_FASTPATH_OFF },
	{ "seccomp", SUDCOMPAT_BACKEND_SECCOMP, SUDCOMPAT_FASTPATH_OFF },
	{ "fastpath", SUDCOMPAT_BACKEND_SECCOMP, SUDCOMPAT_FASTPATH_ELF },
};

/* the coverage workload under one backend: what sudcompat_fastpath_stats() counted */
struct coverage {
	int ok;
	struct sudcompat_fastpath_stats d;	/* the workload's share */
	char why[200];
};

struct shared {
	struct result r[NSCEN][NBACKENDS];
	struct memory m[NBACKENDS];
	struct coverage c[NBACKENDS];
	struct result scratch[NBACKENDS];	/* the memory and coverage children's failures */
};

static struct shared *sh;
static struct result *cur;	/* the child's slot */

__attribute__((format(printf, 1, 2), noreturn))
static void unavailable(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cur->why, sizeof(cur->why), fmt, ap);
	va_end(ap);
	cur->ok = 0;
	_exit(0);
}

/* ------------------------------------------------------------------ */
/* SUD set-up.                                                        */

static volatile char sel = SYSCALL_DISPATCH_FILTER_ALLOW;
static volatile long handled;

static void handler(int sig, siginfo_t *info, void *ucv)
{
	(void)sig;
	(void)info;
	/* x86-64: glibc's restorer is not exempt, so ALLOW before returning */
	sel = SYSCALL_DISPATCH_FILTER_ALLOW;
	handled++;
	arch_uc_set_return(ucv, EMULATED_RETURN);
}

static void install_handler(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | flags;
	if (sigaction(SIGSYS, &sa, NULL))
		unavailable("sigaction(SIGSYS): %s", strerror(errno));
}

static void arm_with(unsigned long offset, unsigned long len, int flags)
{
	install_handler(flags);
	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, offset, len, &sel))
		unavailable("prctl(PR_SET_SYSCALL_USER_DISPATCH): %s", strerror(errno));
}

/* the handler on an alternate stack, which the frame enters at its top */
static void arm_onstack(void)
{
	static char altstack[64 * 1024];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };

	if (sigaltstack(&ss, NULL))
		unavailable("sigaltstack: %s", strerror(errno));
	arm_with(0, 0, SA_ONSTACK);
}

static void arm(unsigned long offset, unsigned long len)
{
	arm_with(offset, len, 0);
}

/* ------------------------------------------------------------------ */
/* The operations: each runs n iterations; a nonzero return is a      */
/* failed sanity check (the reason is in op_error).                   */

static const char *op_error;

static int op_baseline(long n)
{
	for (long i = 0; i < n; i++)
		test_site_getppid();
	return 0;
}

static int op_dispatch(long n)
{
	long bad = 0;

	for (long i = 0; i < n; i++) {
		sel = SYSCALL_DISPATCH_FILTER_BLOCK;
		bad += test_site_getppid() != EMULATED_RETURN;
	}
	sel = SYSCALL_DISPATCH_FILTER_ALLOW;
	if (bad)
		op_error = "the dispatched syscall did not return the handler's value";
	return bad != 0;
}

static long ppid;

static int op_pass(long n)
{
	long bad = 0;

	for (long i = 0; i < n; i++)
		bad += test_site_getppid() != ppid;
	if (bad)
		op_error = "getppid at ALLOW did not return the parent's pid";
	return bad != 0;
}

static int op_range(long n)
{
	long bad = 0;

	/* BLOCK only inside the loop: the timing code outside stays at ALLOW */
	sel = SYSCALL_DISPATCH_FILTER_BLOCK;
	for (long i = 0; i < n; i++)
		bad += RAW0(SYS_getppid) != ppid;
	sel = SYSCALL_DISPATCH_FILTER_ALLOW;
	if (bad)
		op_error = "a syscall from the allowed range was dispatched";
	return bad != 0;
}

static int op_fork(long n)
{
	for (long i = 0; i < n; i++) {
		int st;
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
			op_error = "fork/waitpid failed or the child did not exit 0";
			return 1;
		}
	}
	return 0;
}

static int op_spawn(long n)
{
	char *argv[] = { (char *)"true", NULL };

	for (long i = 0; i < n; i++) {
		int st;
		pid_t pid;

		if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) ||
		    waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
			op_error = "posix_spawn(/bin/true)/waitpid failed or /bin/true did not exit 0";
			return 1;
		}
	}
	return 0;
}

static void *thread_main(void *arg)
{
	return arg;
}

static int op_thread(long n)
{
	for (long i = 0; i < n; i++) {
		pthread_t t;
		void *ret = NULL;

		if (pthread_create(&t, NULL, thread_main, &ppid) || pthread_join(t, &ret) ||
		    ret != &ppid) {
			op_error = "pthread_create/pthread_join failed";
			return 1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Measurement.                                                       */

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void measure(int (*op)(long), double target_ms)
{
	double t;
	long n = 1;

	/* calibrate: grow n until a run takes 5 ms, then aim at target_ms */
	for (;;) {
		t = now_ns();
		if (op(n))
			unavailable("%s", op_error);
		t = now_ns() - t;
		if (t >= 5e6 + 10 * clock_res_ns || n >= (1l << 30))
			break;
		n *= 4;
	}
	n = (long)((double)n * target_ms * 1e6 / t);
	if (n < 10)
		n = 10;
	for (int r = 0; r < reps && cur->n < MAX_SAMPLES; r++) {
		t = now_ns();
		if (op(n))
			unavailable("%s", op_error);
		t = now_ns() - t;
		/* a tick-based clocksource (a VM's first seconds) reads 0 for a short repetition */
		if (t <= 0)
			unavailable("CLOCK_MONOTONIC did not advance over %ld iterations", n);
		cur->sample[cur->n++] = t / (double)n;
	}
	cur->iters = n;
	cur->ok = 1;
}

/* median, min and max of every round's repetitions */
static void summarize(struct result *r)
{
	int n = r->n;

	if (!r->ok || !n) {
		r->ok = 0;
		return;
	}
	qsort(r->sample, (size_t)n, sizeof(r->sample[0]), cmp_double);
	r->min = r->sample[0];
	r->max = r->sample[n - 1];
	r->med = n % 2 ? r->sample[n / 2] : (r->sample[n / 2 - 1] + r->sample[n / 2]) / 2;
}

static void run_scenario(enum scenario s)
{
	ppid = getppid();
	switch (s) {
	case S_BASELINE:
		measure(op_baseline, target_ms_fast);
		break;
	case S_DISPATCH:
		arm(0, 0);
		measure(op_dispatch, target_ms_fast);
		break;
	case S_PASS:
		arm(0, 0);
		measure(op_pass, target_ms_fast);
		break;
	case S_RANGE:
		/* the kernel's ip is the address after the instruction: cover it */
		arm((unsigned long)test_raw_syscall,
		    (unsigned long)(test_raw_syscall_ret - (char *)test_raw_syscall) + 1);
		measure(op_range, target_ms_fast);
		if (handled)
			unavailable("%ld syscalls from the allowed range were dispatched", handled);
		break;
	case S_FORK:
		arm(0, 0);
		measure(op_fork, target_ms_slow);
		break;
	case S_SPAWN:
		arm(0, 0);
		measure(op_spawn, target_ms_slow);
		break;
	case S_THREAD:
		arm(0, 0);
		measure(op_thread, target_ms_slow);
		break;
	case S_ONSTACK:
		arm_onstack();
		measure(op_dispatch, target_ms_fast);
		break;
	default:
		break;
	}
	if (s != S_DISPATCH && s != S_ONSTACK && handled)
		unavailable("%ld unexpected dispatches", handled);
}

/* ------------------------------------------------------------------ */
/* Memory: /proc/self/status before and after arming.                 */

static void read_status(long *rss, long *size, int *threads)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	*rss = *size = -1;
	*threads = -1;
	while (f && fgets(line, sizeof(line), f)) {
		sscanf(line, "VmRSS: %ld", rss);
		sscanf(line, "VmSize: %ld", size);
		sscanf(line, "Threads: %d", threads);
	}
	if (f)
		fclose(f);
}

static void run_memory(struct memory *m)
{
	read_status(&m->rss_before, &m->size_before, &m->threads_before);
	arm(0, 0);
	/* a few dispatches, so that the signal path's pages are touched too */
	op_dispatch(1000);
	read_status(&m->rss_after, &m->size_after, &m->threads_after);
	m->ok = 1;
}

/* ------------------------------------------------------------------ */
/* Coverage: a workload at ALLOW, its traps counted by the library.   */

#define COVERAGE_ROUNDS 200
#define COVERAGE_CALLS 10	/* syscalls a round */

/* One round: libc's wrappers (the sites a program has) and the bench's own site. */
static int coverage_round(void)
{
	char buf[64] = { 0 };
	struct stat st;
	int fd, bad = 0;

	bad |= getppid() != ppid;
	bad |= getpid() <= 0;
	(void)getuid();
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 1;
	bad |= write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf);
	bad |= read(fd, buf, sizeof(buf)) != 0;
	bad |= fstat(fd, &st) != 0;
	bad |= lseek(fd, 0, SEEK_SET) != 0;
	bad |= close(fd) != 0;
	bad |= test_site_getppid() != ppid;
	return bad;
}

static void run_coverage(struct coverage *c)
{
	struct sudcompat_fastpath_stats before, after;

	ppid = getppid();
	arm(0, 0);
	if (sudcompat_fastpath_stats(&before))
		unavailable("sudcompat_fastpath_stats: %s", strerror(errno));
	for (int i = 0; i < COVERAGE_ROUNDS; i++)
		if (coverage_round())
			unavailable("a syscall of the coverage workload failed at ALLOW");
	if (sudcompat_fastpath_stats(&after))
		unavailable("sudcompat_fastpath_stats: %s", strerror(errno));
	if (handled)
		unavailable("%ld syscalls at ALLOW were dispatched", handled);
	c->d.sites_trapped = after.sites_trapped - before.sites_trapped;
	c->d.sites_rewritten = after.sites_rewritten - before.sites_rewritten;
	c->d.sites_left = after.sites_left - before.sites_left;
	c->d.traps = after.traps - before.traps;
	c->d.dispatches = after.dispatches - before.dispatches;
	c->ok = 1;
}

static void coverage_fn(void *arg)
{
	run_coverage(arg);
}

/* The seccomp column traps every syscall, the fastpath column what is left. */
static void print_coverage(void)
{
	const struct coverage *off = &sh->c[1], *fast = &sh->c[2];
	double after;

	printf("\ncoverage: %d rounds of %d syscalls at ALLOW (getppid, getpid, getuid, openat, "
	       "write, read, fstat, lseek, close from libc; getppid from the bench's site)\n",
	       COVERAGE_ROUNDS, COVERAGE_CALLS);
	for (int b = 1; b < NBACKENDS; b++)
		if (!sh->c[b].ok) {
			printf("coverage: n/a [%s]: %s\n", backends[b].name,
			       sh->c[b].why[0] ? sh->c[b].why : "no result");
			return;
		}
	printf("%lu syscalls trapped without the fast path, %lu with it, from %lu sites, "
	       "%lu of them rewritten, %lu left\n", off->d.traps, fast->d.traps,
	       fast->d.sites_trapped, fast->d.sites_rewritten, fast->d.sites_left);
	after = (double)off->d.traps - (double)fast->d.sites_trapped;
	if (after > 0)
		printf("coverage: %.1f%% of the syscalls after their site's first trap took "
		       "the fast path\n", 100.0 * ((double)off->d.traps - (double)fast->d.traps) / after);
	else
		printf("coverage: n/a (no syscall after a site's first trap)\n");
}

/* ------------------------------------------------------------------ */
/* The parent.                                                        */

static int select_backend(const struct bench_mode *m, char *why, size_t size)
{
	struct sudcompat_probe p;
	int err;

	if (sudcompat_select_backend(m->backend) == 0 &&
	    (m->backend != SUDCOMPAT_BACKEND_SECCOMP || sudcompat_select_fastpath(m->fastpath) == 0))
		return 0;
	err = errno;
	memset(&p, 0, sizeof(p));
	sudcompat_probe(&p);
	snprintf(why, size, "%s unavailable: %s%s%s", m->name,
		 strerror(err), p.reason ? "; probe: " : "", p.reason ? p.reason : "");
	return -1;
}

/* Run fn in a child with backend b; the child fills *why on failure. */
static void in_child(const struct bench_mode *b, char *why, size_t size, int *ok,
		     void (*fn)(void *), void *arg)
{
	pid_t pid;
	int st;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		snprintf(why, size, "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		alarm(CHILD_TIMEOUT_S);
		if (select_backend(b, why, size))
			_exit(0);
		fn(arg);
		_exit(0);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st)) {
		*ok = 0;
		snprintf(why, size, "child killed by signal %d (%s)%s", WTERMSIG(st),
			 strsignal(WTERMSIG(st)), WTERMSIG(st) == SIGALRM ? ": timed out" : "");
	} else if (!*ok && !why[0]) {
		snprintf(why, size, "child exited %d without a result", WEXITSTATUS(st));
	}
}

static void scenario_fn(void *arg)
{
	run_scenario((enum scenario)(long)arg);
}

static void memory_fn(void *arg)
{
	run_memory(arg);
}

static void fmt_cell(char *out, size_t size, const struct result *r)
{
	if (r->ok)
		snprintf(out, size, "%.1f", r->med);
	else
		snprintf(out, size, "n/a");
}

/*
 * The clocksource (sysfs); in a VM's first seconds it can still be a tick
 * counter ("jiffies", "refined-jiffies"), whose clock_gettime() moves a tick
 * at a time, or x86-64's "tsc-early", whose switch to "tsc" about a second
 * later gave repetitions of 0 ns under TCG: wait up to 5 s for the kernel's
 * own clocksource, and say which one the rows used.
 */
static void clocksource(char *out, size_t size)
{
	const char *path = "/sys/devices/system/clocksource/clocksource0/current_clocksource";

	for (int i = 0; i < 50; i++) {
		FILE *f = fopen(path, "r");

		snprintf(out, size, "unknown");
		if (f) {
			if (fgets(out, (int)size, f))
				out[strcspn(out, "\n")] = 0;
			fclose(f);
		}
		if (!strstr(out, "jiffies") && !strstr(out, "-early"))
			return;
		usleep(100 * 1000);
	}
}

/*
 * -v's exit status: 0 when every row has its three cells, 77 (with a TAP
 * "# SKIP" line for the VM's init) when native SUD is unavailable, else 1:
 * a cell without a value is a scenario that did not do what it measures.
 */
static int vm_status(void)
{
	int missing = 0;

	for (int s = 0; s < nscen_run; s++)
		for (int b = 0; b < NBACKENDS; b++)
			missing += !sh->r[s][b].ok;
	for (int b = 1; b < NBACKENDS; b++)
		missing += !sh->c[b].ok;
	if (!missing)
		return 0;
	if (!strncmp(sh->r[S_BASELINE][0].why, "native unavailable", 18) ||
	    !strncmp(sh->r[S_DISPATCH][0].why, "native unavailable", 18)) {
		printf("# SKIP %s\n", sh->r[S_DISPATCH][0].why[0] ? sh->r[S_DISPATCH][0].why :
		       sh->r[S_BASELINE][0].why);
		return 77;
	}
	printf("sud_bench: %d cells without a value (see n/a above)\n", missing);
	return 1;
}

int main(int argc, char **argv)
{
	struct utsname u;
	double t0 = now_ns();
	int nnotes = 0, vm = 0;

	nscen_run = NSCEN;
	if (argc == 2 && !strcmp(argv[1], "-q")) {
		rounds = 1;
		reps = 3;
		target_ms_fast = 10;
		target_ms_slow = 20;
	} else if (argc == 2 && !strcmp(argv[1], "-v")) {
		/* under TCG the fixed costs (fork, the filter, the helper thread) are
		 * 10-50x the host's, the timed loops are not: three short rounds */
		vm = 1;
		rounds = 3;
		reps = 3;
		target_ms_fast = 10;
		nscen_run = S_PASS + 1;
	} else if (argc > 1) {
		fprintf(stderr, "usage: %s [-q | -v]\n", argv[0]);
		return 2;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(sh, 0, sizeof(*sh));
	uname(&u);
	if (vm) {
		char cs[64];
		struct timespec res;

		clocksource(cs, sizeof(cs));
		/*
		 * A tick-based clock (x86-64 under TCG when the TSC could not be
		 * calibrated: refined-jiffies for the whole boot) reads in ticks:
		 * repetitions of 50 ticks keep its error at 2%, one a round.
		 */
		if (!clock_getres(CLOCK_MONOTONIC, &res))
			clock_res_ns = (double)res.tv_sec * 1e9 + (double)res.tv_nsec;
		if (clock_res_ns > 1000) {
			target_ms_fast = 50 * clock_res_ns / 1e6;
			reps = 1;
		}
		printf("sud_bench -v: %s %s %s, %ld CPUs online, clocksource %s (resolution "
		       "%.0f ns); median of %d rounds x %d repetitions, ~%.0f ms each\n",
		       u.sysname, u.release, u.machine, sysconf(_SC_NPROCESSORS_ONLN), cs,
		       clock_res_ns, rounds, reps, target_ms_fast);
	} else
		printf("sud_bench: %s %s %s, %ld CPUs online; median of %d rounds x %d repetitions, "
		       "~%.0f ms (syscalls) / %.0f ms (fork, spawn, threads) each\n",
		       u.sysname, u.release, u.machine, sysconf(_SC_NPROCESSORS_ONLN), rounds, reps,
		       target_ms_fast, target_ms_slow);

	/* rounds alternate native and seccomp, so that drift hits both alike */
	for (int s = 0; s < nscen_run; s++)
		for (int round = 0; round < rounds; round++)
			for (int b = 0; b < NBACKENDS; b++) {
				cur = &sh->r[s][b];
				if (round && !cur->ok)
					continue;
				cur->ok = 0;
				in_child(&backends[b], cur->why, sizeof(cur->why), &cur->ok,
					 scenario_fn, (void *)(long)s);
			}
	for (int s = 0; s < nscen_run; s++)
		for (int b = 0; b < NBACKENDS; b++)
			summarize(&sh->r[s][b]);
	for (int b = 1; b < NBACKENDS; b++) {
		struct coverage *c = &sh->c[b];

		cur = &sh->scratch[b];
		memset(cur, 0, sizeof(*cur));
		in_child(&backends[b], c->why, sizeof(c->why), &c->ok, coverage_fn, c);
		if (!c->ok && !c->why[0])
			snprintf(c->why, sizeof(c->why), "%s", cur->why);
	}
	for (int b = 0; b < NBACKENDS && !vm; b++) {
		struct memory *m = &sh->m[b];

		cur = &sh->scratch[b];
		memset(cur, 0, sizeof(*cur));
		in_child(&backends[b], m->why, sizeof(m->why), &m->ok, memory_fn, m);
		if (!m->ok && !m->why[0])
			snprintf(m->why, sizeof(m->why), "%s", cur->why);
	}

	printf("\n%-32s %14s %14s %14s %8s %8s\n", "scenario", "native ns/op", "seccomp ns/op",
	       "fastpath ns/op", "seccomp", "fastpath");
	for (int s = 0; s < nscen_run; s++) {
		const struct result *n = &sh->r[s][0];
		char cell[NBACKENDS][32], ratio[NBACKENDS][32];

		for (int b = 0; b < NBACKENDS; b++) {
			const struct result *c = &sh->r[s][b];

			fmt_cell(cell[b], sizeof(cell[b]), c);
			if (n->ok && c->ok && n->med > 0)
				snprintf(ratio[b], sizeof(ratio[b]), "%.2f", c->med / n->med);
			else
				snprintf(ratio[b], sizeof(ratio[b]), "n/a");
		}
		printf("%-32s %14s %14s %14s %8s %8s\n", scen_name[s], cell[0], cell[1], cell[2],
		       ratio[1], ratio[2]);
	}
	printf("(ratios: to native SUD in the same run)\n");
	print_coverage();
	if (vm)
		goto notes;

	printf("\nspread (min..max ns/op over all repetitions; iterations per repetition)\n");
	for (int s = 0; s < NSCEN; s++) {
		printf("%-32s", scen_name[s]);
		for (int b = 0; b < NBACKENDS; b++) {
			const struct result *r = &sh->r[s][b];
			char cell[64];

			if (r->ok)
				snprintf(cell, sizeof(cell), "%.1f..%.1f (%ld)", r->min, r->max, r->iters);
			else
				snprintf(cell, sizeof(cell), "n/a");
			printf(" %-28s", cell);
		}
		printf("\n");
	}

	printf("\nmemory of an armed process (/proc/self/status, before -> after arming + 1000 dispatches)\n");
	printf("%-8s %22s %24s %12s\n", "backend", "VmRSS kB", "VmSize kB", "Threads");
	for (int b = 0; b < NBACKENDS; b++) {
		const struct memory *m = &sh->m[b];
		const char *name = backends[b].name;

		if (!m->ok) {
			printf("%-8s n/a: %s\n", name, m->why);
			continue;
		}
		printf("%-8s %8ld -> %-6ld(%+ld) %9ld -> %-6ld(%+ld) %5d -> %d\n", name,
		       m->rss_before, m->rss_after, m->rss_after - m->rss_before,
		       m->size_before, m->size_after, m->size_after - m->size_before,
		       m->threads_before, m->threads_after);
	}
	printf("(the seccomp backend's helper thread asks for a 256 KiB stack, shim/pristine.c; "
	       "the filter itself is kernel memory, not in VmRSS)\n");

notes:
	for (int s = 0; s < nscen_run; s++)
		for (int b = 0; b < NBACKENDS; b++) {
			const struct result *r = &sh->r[s][b];

			if (r->ok)
				continue;
			if (!nnotes++)
				printf("\nn/a:\n");
			printf("  %s [%s]: %s\n", scen_name[s], backends[b].name,
			       r->why[0] ? r->why : "no result");
		}
	printf("\ntotal run time %.1f s\n", (now_ns() - t0) / 1e9);
	return vm ? vm_status() : 0;
}
