// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The libc functions the library overrides. A syscall made through glibc's
 * prctl() or syscall() comes from glibc's code on either backend: a range
 * that allows libc's text lets it run, and a dispatch reports libc's site.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "arch.h"
#include "conformance.h"

#define SUD_OPTION_HIGH_BITS (PR_SET_SYSCALL_USER_DISPATCH | 1ul << 32)

struct text {
	unsigned long start, end;
};

static bool inside(const struct text *t, unsigned long addr)
{
	return addr - t->start < t->end - t->start;
}

/* The executable mapping of /proc/self/maps that holds @addr. */
static bool mapping_of(unsigned long addr, struct text *t)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512], perms[8];
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%lx-%lx %7s", &t->start, &t->end, perms) == 3 &&
			perms[2] == 'x' && inside(t, addr);
	if (f)
		fclose(f);
	return found;
}

/* Where libc's getpid() lies, as seen from here (not a PLT stub in a PIE). */
static void libc_text(struct text *t)
{
	if (!mapping_of((unsigned long)&getpid, t))
		skip_case("libc's text is not in /proc/self/maps");
	if (inside(t, (unsigned long)&test_raw_syscall))
		skip_case("libc is part of the executable (a static link): its text is no mapping of its own");
}

static const char *yes(bool b)
{
	return b ? "yes" : "no";
}

/* What the last dispatch showed, with the interrupted context's instruction pointer. */
static volatile struct {
	int count, code, nr;
	unsigned long call_addr, ip, args[6];
} seen;

static void site_recorder(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;
	unsigned long a[6];

	(void)sig;
	*current_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	arch_uc_args(uc, a);
	seen.code = info->si_code;
	seen.nr = info->si_syscall;
	seen.call_addr = (unsigned long)info->si_call_addr;
	seen.ip = arch_uc_ip(uc);
	for (int i = 0; i < 6; i++)
		seen.args[i] = a[i];
	seen.count++;
	arch_uc_set_return(uc, EMULATED_RETURN);
}

static void note_dispatch(const char *what, long ret, int nr, const struct text *libc)
{
	note("%s: %s, si_code %d, si_syscall right: %s, si_call_addr in libc's text: %s, "
	     "ip of the context = si_call_addr: %s", what,
	     ret == EMULATED_RETURN ? "dispatched" : "ran", seen.code, yes(seen.nr == nr),
	     yes(inside(libc, seen.call_addr)), yes(seen.ip == seen.call_addr));
}

/*
 * stress-ng --usersyscall and Wine allow libc's text: glibc's syscall(),
 * its wrappers and the SUD prctl itself then run, even at BLOCK.
 */
static void libc_range_runs_libc_syscalls(void)
{
	long pid = RAW0(SYS_getpid), ppid = RAW0(SYS_getppid);
	long via_syscall, via_getpid, again, after;
	struct text libc;
	int rearm, off;

	libc_text(&libc);
	install_sigsys(site_recorder, 0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, libc.start, libc.end - libc.start, &selector) == 0);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	via_syscall = syscall(SYS_getpid);
	via_getpid = getpid();
	again = syscall(SYS_getpid);
	rearm = prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, libc.start,
		      libc.end - libc.start, &selector);
	off = prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0);
	after = RAW0(SYS_getppid);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	note("BLOCK, syscall(SYS_getpid): %s", via_syscall == pid ? "the pid" :
	     via_syscall == EMULATED_RETURN ? "dispatched" : "something else");
	note("BLOCK, getpid(): %s", via_getpid == pid ? "the pid" :
	     via_getpid == EMULATED_RETURN ? "dispatched" : "something else");
	note("BLOCK, prctl(59, ON, libc's text): %d; prctl(59, OFF): %d", rearm, off);
	note("disarmed, BLOCK, raw getppid: %s", after == ppid ? "ran" : "dispatched");
	note("dispatches: %d", seen.count);
	CHECK(via_syscall == pid && via_getpid == pid && again == pid);
	CHECK(rearm == 0 && off == 0 && after == ppid);
	CHECK(seen.count == 0);
}

/* Nothing allowed: glibc's syscalls are dispatched, and the handler sees libc's site. */
static void empty_range_dispatches_at_libcs_site(void)
{
	struct text libc;
	long ret;

	libc_text(&libc);
	install_sigsys(site_recorder, 0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);

	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = syscall(SYS_getppid, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66);
	note_dispatch("syscall(SYS_getppid)", ret, SYS_getppid, &libc);
	for (int i = 0; i < 6; i++)
		CHECK(seen.args[i] == 0x11ul * (unsigned long)(i + 1));
	CHECK(ret == EMULATED_RETURN && inside(&libc, seen.call_addr));

	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = getppid();
	note_dispatch("getppid()", ret, SYS_getppid, &libc);
	CHECK(ret == EMULATED_RETURN && inside(&libc, seen.call_addr));

	/* the SUD prctl is a syscall like any other: from outside the range, at BLOCK, dispatched */
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0);
	note_dispatch("prctl(59, OFF)", ret, SYS_prctl, &libc);
	note("its option and op: %s", yes(seen.args[0] == PR_SET_SYSCALL_USER_DISPATCH &&
					  seen.args[1] == PR_SYS_DISPATCH_OFF));
	CHECK(ret == EMULATED_RETURN && inside(&libc, seen.call_addr));
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	note("still armed: %s", yes(RAW0(SYS_getppid) == EMULATED_RETURN));
	/* nothing else was dispatched: not even a syscall of the library's own */
	CHECK(seen.count == 4);
	CHECK(arm(PR_SYS_DISPATCH_OFF, 0, 0, NULL) == 0);
}

/* This thread's Seccomp_filters (Linux 5.9), -1 where the kernel does not say. */
static int seccomp_filters(void)
{
	FILE *f = fopen("/proc/thread-self/status", "r");
	char line[256];
	int n = -1;

	while (f && fgets(line, sizeof(line), f))
		sscanf(line, "Seccomp_filters: %d", &n);
	if (f)
		fclose(f);
	return n;
}

/* The kernel's prctl takes an int option: the high bits of the register do not count. */
static void sud_option_is_an_int(void)
{
	static volatile char other;
	int filters = seccomp_filters();
	long ret;

	install_recorder(0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	ret = syscall(SYS_prctl, SUD_OPTION_HIGH_BITS, PR_SYS_DISPATCH_ON, 0, 0, &selector);
	note("syscall(SYS_prctl, 59 | 1 << 32, ON, 0, 0, &selector) = %ld%s", ret,
	     ret ? (errno == EINVAL ? " EINVAL" : " other error") : "");
	/* armed by the backend in force, not by a kernel that happens to have SUD */
	if (filters >= 0)
		CHECK((seccomp_filters() > filters) ==
		      (sudcompat_backend() == SUDCOMPAT_BACKEND_SECCOMP));
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	note("BLOCK: %s", RAW0(SYS_getppid) == EMULATED_RETURN ? "dispatched" : "ran");
	CHECK(arm(PR_SYS_DISPATCH_OFF, 0, 0, NULL) == 0);

	/* once armed, the emulation sees the prctl in its handler, and must read it the same way */
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	other = SYSCALL_DISPATCH_FILTER_ALLOW;
	ret = syscall(SYS_prctl, SUD_OPTION_HIGH_BITS, PR_SYS_DISPATCH_ON, 0, 0, &other);
	note("re-armed with another selector: %ld", ret);
	current_selector = &other;
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	note("new selector ALLOW, old BLOCK: %s",
	     RAW0(SYS_getppid) == EMULATED_RETURN ? "dispatched" : "ran");
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	other = SYSCALL_DISPATCH_FILTER_BLOCK;
	note("new selector BLOCK: %s", RAW0(SYS_getppid) == EMULATED_RETURN ? "dispatched" : "ran");
	ret = syscall(SYS_prctl, SUD_OPTION_HIGH_BITS, PR_SYS_DISPATCH_OFF, 0, 0, 0);
	note("disarmed: %ld", ret);
	other = SYSCALL_DISPATCH_FILTER_BLOCK;
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	note("disarmed, both BLOCK: %s", RAW0(SYS_getppid) == EMULATED_RETURN ? "dispatched" : "ran");
	other = SYSCALL_DISPATCH_FILTER_ALLOW;
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(last_sigsys.count == 2);
}

static void note_names(const char *when)
{
	char set[16] = "sudconf-ipose", got[16] = "", high[16] = "";
	long wide;
	int rc, bad, bad_errno;

	rc = prctl(PR_SET_NAME, set, 0, 0, 0);
	CHECK(rc == 0);
	rc = prctl(PR_GET_NAME, got, 0, 0, 0);
	wide = syscall(SYS_prctl, PR_GET_NAME | 1ul << 32, high, 0, 0, 0);
	bad = prctl(0x7fffffff, 0, 0, 0, 0);
	bad_errno = errno;
	note("%s: PR_GET_NAME %d \"%s\"; through syscall() with high option bits %ld \"%s\"; "
	     "unknown option %d %s; PR_GET_DUMPABLE %d", when, rc, got, wide, high, bad,
	     bad_errno == EINVAL ? "EINVAL" : "other error", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	CHECK(rc == 0 && !strcmp(got, set) && wide == 0 && !strcmp(high, set));
	CHECK(bad == -1 && bad_errno == EINVAL);
}

/* Every other prctl goes where it went without the library, armed or not. */
static void other_prctls_pass_through(void)
{
	char buf[16];
	long ret;

	note_names("not armed");
	install_sigsys(site_recorder, 0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	note_names("armed, ALLOW");
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = prctl(PR_GET_NAME, buf, 0, 0, 0);
	note("armed, BLOCK, PR_GET_NAME: %s, si_syscall prctl: %s, option PR_GET_NAME: %s",
	     ret == EMULATED_RETURN ? "dispatched" : "ran", yes(seen.nr == SYS_prctl),
	     yes(seen.args[0] == PR_GET_NAME));
	CHECK(seen.count == 1);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_OFF, 0, 0, NULL) == 0);
	note_names("disarmed");
}

const struct sud_case interpose_cases[] = {
	SUD_CASE(libc_range_runs_libc_syscalls, 0),
	SUD_CASE(empty_range_dispatches_at_libcs_site, 0),
	SUD_CASE(sud_option_is_an_int, 0),
	SUD_CASE(other_prctls_pass_through, 0),
};
const int n_interpose_cases = sizeof(interpose_cases) / sizeof(interpose_cases[0]);
