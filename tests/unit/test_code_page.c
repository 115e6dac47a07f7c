// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * shim/code_page.c without seccomp (so also under QEMU-user): regions
 * mapped near a target, and code rewritten by swapping its page while
 * other threads run it. The machine code of a function that returns a
 * constant is the only architecture-specific part, here in the test.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "arch-api.h"
#include "code_page.h"
#include "tap.h"

/* What a rel32 jump reaches, with a margin for the instruction and the stub. */
#define REACH		((1ul << 31) - (1ul << 24))
#define VALUE_A		0x2a5
#define VALUE_B		0x55a
#define WRITES		20000
#define RUNNERS		3

/* int f(void) { return VALUE_A; } and { return VALUE_B; }, as machine code */
#if defined(__x86_64__)
/* mov $imm32, %eax; ret */
static const unsigned char return_a[] = { 0xb8, 0xa5, 0x02, 0x00, 0x00, 0xc3 };
static const unsigned char return_b[] = { 0xb8, 0x5a, 0x05, 0x00, 0x00, 0xc3 };
#elif defined(__aarch64__)
/* movz w0, #imm16; ret */
static const unsigned char return_a[] = { 0xa0, 0x54, 0x80, 0x52, 0xc0, 0x03, 0x5f, 0xd6 };
static const unsigned char return_b[] = { 0x40, 0xab, 0x80, 0x52, 0xc0, 0x03, 0x5f, 0xd6 };
#elif defined(__riscv) && __riscv_xlen == 64
/* addi a0, zero, imm12; jalr zero, 0(ra) */
static const unsigned char return_a[] = { 0x13, 0x05, 0x50, 0x2a, 0x67, 0x80, 0x00, 0x00 };
static const unsigned char return_b[] = { 0x13, 0x05, 0xa0, 0x55, 0x67, 0x80, 0x00, 0x00 };
#else
#error "no return-a-constant machine code for this architecture"
#endif
_Static_assert(sizeof(return_a) == sizeof(return_b), "both functions the same length");

static unsigned long page;

/* The mapping of /proc/self/maps that holds @addr: its permissions in @perms, false if none. */
static bool maps_perms(unsigned long addr, char perms[5], bool *named)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long start, end;
		char path[256] = "";

		if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %255s", &start, &end, perms, path) >= 3 &&
		    addr >= start && addr < end) {
			found = true;
			if (named)
				*named = path[0] != 0;
		}
	}
	fclose(f);
	return found;
}

static int maps_count(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	int c, lines = 0;

	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		lines += c == '\n';
	fclose(f);
	return lines;
}

/* [@region, @region + @size) in [@target - REACH, @target + REACH], which a low target clips */
static bool within(unsigned long region, unsigned long size, unsigned long target)
{
	unsigned long lo = target > REACH ? target - REACH : 0;

	return region >= lo && region + size >= region && region + size <= target + REACH;
}

static bool filled(unsigned long region, unsigned long size)
{
	for (unsigned long at = region; at < region + size; at += 4)
		if (*(const uint32_t *)at != ARCH_CODE_FILL)
			return false;
	return true;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A fault in a thread running the code is the failure this test looks for: say which. */
static void on_fault(int sig, siginfo_t *info, void *uc)
{
	char msg[96];
	int len;

	(void)uc;
	len = snprintf(msg, sizeof(msg), "Bail out! signal %d at %p while the code changed\n",
		       sig, info->si_addr);
	if (write(1, msg, (size_t)len) < 0)
		_exit(2);
	_exit(1);
}

static void catch_faults(void)
{
	static const int sigs[] = { SIGSEGV, SIGILL, SIGTRAP, SIGBUS };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/*
 * A hole at no doubled distance from the target, amid a reservation: the
 * places a region apart find it (a static binary's text grown around the
 * sites, as on riscv64).
 */
static void test_gap_between_doublings(void)
{
	unsigned long size = 16 * page, target, hole, got = 0;
	char *reserved = mmap(NULL, 512 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long rc = -1;

	if (reserved != MAP_FAILED) {
		target = (unsigned long)reserved + 256 * page;
		hole = target + page + 3 * size;
		munmap((void *)hole, size);
		rc = sud_code_map_near(target, 200 * page, size, &got);
		munmap(reserved, 512 * page);
	}
	tap_ok(rc == 0 && got == hole, "and a hole between the doubled distances (%ld, %#lx)", rc,
	       got);
}

/* (a) regions near a target */
static unsigned long test_map_near(void)
{
	unsigned long libc_target = (unsigned long)&getpid, own_target = (unsigned long)&maps_count;
	unsigned long near_libc = 0, near_own = 0, second = 0, none = 0, size = 3 * page;
	long rc_libc, rc_own, rc_second, rc_small, rc_taken;
	char perms[5] = "";
	double took;
	void *reserved;

	rc_libc = sud_code_map_near(libc_target, REACH, size, &near_libc);
	tap_ok(rc_libc == 0 && within(near_libc, size, libc_target),
	       "sud_code_map_near: a region within reach of libc's getpid (%#lx: %ld, %#lx)",
	       libc_target, rc_libc, near_libc);
	rc_own = sud_code_map_near(own_target, REACH, size - 1, &near_own);
	tap_ok(rc_own == 0 && within(near_own, size, own_target),
	       "and of the test's own text (%#lx: %ld, %#lx), the size rounded to pages",
	       own_target, rc_own, near_own);
	tap_ok(rc_own == 0 && maps_perms(near_own, perms, NULL) && !strcmp(perms, "r-xp") &&
	       maps_perms(near_own + size - 1, perms, NULL) && !strcmp(perms, "r-xp") &&
	       filled(near_own, size),
	       "it is r-xp (%s) and every word holds ARCH_CODE_FILL %#x", perms, ARCH_CODE_FILL);
	rc_second = sud_code_map_near(own_target, REACH, size, &second);
	tap_ok(rc_second == 0 && within(second, size, own_target) &&
	       (second + size <= near_own || second >= near_own + size),
	       "a second call gets another region (%ld, %#lx)", rc_second, second);

	rc_small = sud_code_map_near(own_target, page / 2, page, &none);
	/* a target amid a reservation: every candidate within reach is taken */
	reserved = mmap(NULL, 256 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	took = now();
	rc_taken = reserved == MAP_FAILED ? 0 :
		   sud_code_map_near((unsigned long)reserved + 128 * page, 64 * page, page, &none);
	took = now() - took;
	tap_ok(rc_small == -ENOMEM && rc_taken == -ENOMEM && none == 0 && took < 5,
	       "-ENOMEM, not a hang, for a reach below the size (%ld) and for one that is all "
	       "taken (%ld, in %.3f s)", rc_small, rc_taken, took);
	if (reserved != MAP_FAILED)
		munmap(reserved, 256 * page);
	test_gap_between_doublings();
	if (near_libc)
		munmap((void *)near_libc, size);
	if (second)
		munmap((void *)second, size);
	return rc_own == 0 ? near_own : 0;
}

/* (b) the code rewritten while three threads run it */
static int (*volatile code)(void);
static volatile bool stop;

struct runner {
	pthread_t thread;
	unsigned long a, b, other;
	int last_other;
};

static void *run(void *arg)
{
	struct runner *r = arg;

	while (!stop) {
		int v = code();

		if (v == VALUE_A) {
			r->a++;
		} else if (v == VALUE_B) {
			r->b++;
		} else {
			r->other++;
			r->last_other = v;
		}
	}
	return NULL;
}

static void test_rewrite(unsigned long region)
{
	struct runner runners[RUNNERS];
	unsigned long calls_a = 0, calls_b = 0, other = 0, failed_writes = 0, stale = 0;
	long rc = sud_code_write(region, return_a, sizeof(return_a)), first_bad = 0;
	char perms[5] = "";
	bool named = true;
	double took;
	int first;

	code = (int (*)(void))region;
	first = rc == 0 ? code() : -1;
	tap_ok(rc == 0 && first == VALUE_A,
	       "sud_code_write puts a function in the region, and it runs (%ld, it returns %#x)",
	       rc, first);
	if (rc) {
		tap_skip("no function in place", "rewritten %d times under %d threads", WRITES,
			 RUNNERS);
		tap_skip("no function in place", "every call returned one of the two constants");
		tap_skip("no function in place", "the page is r-xp afterwards");
		return;
	}

	memset(runners, 0, sizeof(runners));
	for (int i = 0; i < RUNNERS; i++)
		pthread_create(&runners[i].thread, NULL, run, &runners[i]);
	took = now();
	for (int i = 1; i <= WRITES; i++) {
		const unsigned char *next = i % 2 ? return_b : return_a;
		int want = i % 2 ? VALUE_B : VALUE_A;

		/* only the constant's bytes change: the instruction that holds it */
		rc = sud_code_write(region, next, sizeof(return_a));
		if (rc) {
			failed_writes++;
			if (!first_bad)
				first_bad = rc;
		} else if (code() != want) {
			stale++;
		}
	}
	took = now() - took;
	stop = true;
	for (int i = 0; i < RUNNERS; i++) {
		pthread_join(runners[i].thread, NULL);
		calls_a += runners[i].a;
		calls_b += runners[i].b;
		other += runners[i].other;
	}
	tap_ok(!failed_writes && !stale,
	       "rewritten %d times under %d threads in %.2f s, the writer calling the new code "
	       "each time (%lu failed, first %ld; %lu returned the old constant)",
	       WRITES, RUNNERS, took, failed_writes, first_bad, stale);
	tap_diag("calls returning %#x: %lu, returning %#x: %lu, anything else: %lu",
		 VALUE_A, calls_a, VALUE_B, calls_b, other);
	for (int i = 0; i < RUNNERS; i++)
		tap_diag("runner %d: %lu and %lu", i, runners[i].a, runners[i].b);
	tap_ok(!other && calls_a + calls_b > 0,
	       "every call of the %d threads returned one of the two constants (%lu did not)",
	       RUNNERS, other);
	tap_ok(maps_perms(region, perms, &named) && !strcmp(perms, "r-xp") && !named,
	       "the page is anonymous r-xp afterwards (%s)", perms);
}

/* A page with known bytes, made @prot (a memfd shared mapping when @shared). */
static unsigned char *known_page(int prot, bool shared)
{
	void *p;

	if (shared) {
		int fd = (int)syscall(SYS_memfd_create, "code-page-test", 0);
		unsigned char fill[256];

		if (fd < 0 || ftruncate(fd, (off_t)page))
			return NULL;
		memset(fill, 0x5a, sizeof(fill));
		for (unsigned long at = 0; at < page; at += sizeof(fill))
			if (pwrite(fd, fill, sizeof(fill), (off_t)at) != (ssize_t)sizeof(fill))
				return NULL;
		p = mmap(NULL, page, prot, MAP_SHARED, fd, 0);
		close(fd);
	} else {
		p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED) {
			memset(p, 0x5a, page);
			if (mprotect(p, page, prot)) {
				munmap(p, page);
				p = MAP_FAILED;
			}
		}
	}
	return p == MAP_FAILED ? NULL : p;
}

static bool unchanged(const unsigned char *p)
{
	for (unsigned long i = 0; i < page; i++)
		if (p[i] != 0x5a)
			return false;
	return true;
}

/* One refusal: sud_code_write at @offset of a fresh page; -ENODATA where no such page can be had. */
static long refused(int prot, bool shared, unsigned long offset, unsigned long n,
		    const void *bytes, bool *kept)
{
	unsigned char *p = known_page(prot, shared);
	long rc;

	*kept = false;
	if (!p)
		return -ENODATA;
	rc = sud_code_write((unsigned long)p + offset, bytes ? bytes : return_b, n);
	*kept = unchanged(p);
	munmap(p, page);
	return rc;
}

/* (c) what sud_code_write refuses */
static void test_refusals(unsigned long region)
{
	int rwx = PROT_READ | PROT_WRITE | PROT_EXEC, rx = PROT_READ | PROT_EXEC;
	int lines_before, lines_after;
	bool kept, kept2, kept3;
	long rc, rc2, rc3;

	lines_before = maps_count();
	rc = refused(rwx, false, 0, sizeof(return_b), NULL, &kept);
	if (rc == -ENODATA)
		tap_skip("no rwx mapping here (W^X policy)", "a writable mapping is refused");
	else
		tap_ok(rc == -EACCES && kept, "a writable (rwxp) mapping: %ld, bytes kept", rc);

	rc = refused(rx, true, 0, sizeof(return_b), NULL, &kept);
	if (rc == -ENODATA)
		tap_skip("no memfd_create here", "a shared mapping is refused");
	else
		tap_ok(rc == -EACCES && kept, "a shared (r-xs) memfd mapping: %ld, bytes kept", rc);

	rc = refused(rx, false, page - 2, 4, NULL, &kept);
	rc2 = refused(rx, false, 0, 0, NULL, &kept2);
	tap_ok(rc == -EINVAL && kept && rc2 == -EINVAL && kept2,
	       "a range crossing into the next page: %ld, and an empty one: %ld, bytes kept",
	       rc, rc2);

	rc = refused(PROT_READ, false, 0, sizeof(return_b), NULL, &kept);
	rc2 = refused(rx, false, 0, sizeof(return_b), (const void *)16, &kept2);
	rc3 = sud_code_write(page * 3, return_b, sizeof(return_b));
	/* the region's function, as the last rewrite left it */
	kept3 = region && sud_code_write(region + page - 1, return_b, 2) == -EINVAL &&
		sud_code_write(region, (const void *)16, 1) == -EFAULT &&
		!memcmp((const void *)region, return_a, sizeof(return_a));
	tap_ok(rc == -EACCES && kept && rc2 == -EFAULT && kept2 && rc3 == -EFAULT && kept3,
	       "r--p: %ld, unreadable bytes: %ld, an unmapped page: %ld, all kept", rc, rc2, rc3);
	lines_after = maps_count();
	tap_ok(lines_before > 0 && lines_before == lines_after,
	       "the refused calls left no mapping behind (%d lines of maps, then %d)",
	       lines_before, lines_after);
}

/* A page of file-backed text, the test's own, swapped for an identical copy. */
static void test_own_text(void)
{
	unsigned long at = (unsigned long)&within;
	unsigned char same[16];
	char perms[5] = "";
	bool named = true;
	long rc;

	memcpy(same, (const void *)at, sizeof(same));
	rc = sud_code_write(at, same, sizeof(same));
	tap_ok(rc == 0 && maps_perms(at, perms, &named) && !strcmp(perms, "r-xp") &&
	       !named,
	       "a page of the program's own text, rewritten in place, runs on as an anonymous "
	       "%s page (%ld)", perms, rc);
}

int main(void)
{
	unsigned long region;

	page = (unsigned long)sysconf(_SC_PAGESIZE);
	catch_faults();
	tap_plan(16);
	region = test_map_near();
	if (region) {
		test_rewrite(region);
	} else {
		tap_skip("no region", "sud_code_write puts a function in the region");
		tap_skip("no region", "rewritten under threads");
		tap_skip("no region", "every call returned one of the two constants");
		tap_skip("no region", "the page is r-xp afterwards");
	}
	test_refusals(region);
	test_own_text();
	return tap_done();
}
