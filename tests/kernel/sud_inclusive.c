// SPDX-License-Identifier: GPL-2.0
/*
 * sud_inclusive.c - PR_SYS_DISPATCH_INCLUSIVE_ON and EXCLUSIVE_ON (Linux
 * 6.17, and the sudcompat 6.1 port).
 *
 * The whole program skips (KSFT_SKIP) where the kernel has no syscall user
 * dispatch or rejects INCLUSIVE_ON.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>

#include "sud_kernel_test.h"

/*
 * Every test here dispatches over the stub, through the one handler, with
 * the selector (where one is given) starting at ALLOW.
 */
FIXTURE(stub_range) {
	unsigned long off;
	unsigned long len;
	long ppid;	/* getppid() when it really runs */
};

FIXTURE_SETUP(stub_range)
{
	self->off = (unsigned long)sud_stub_start;
	self->len = sud_stub_len();
	self->ppid = getppid();
	sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	ASSERT_EQ(0, sud_install_handler(0));
}

/* Whatever a failed test left armed, the harness's own syscalls must run. */
FIXTURE_TEARDOWN(stub_range)
{
	sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	sud_off();
}

/* INCLUSIVE, no selector: a syscall from inside the range is dispatched. */
TEST_F(stub_range, inclusive_inside_dispatched)
{
	long ret;

	sud_arm(_metadata, PR_SYS_DISPATCH_INCLUSIVE_ON, self->off, self->len,
		NULL);
	ret = sud_stub_syscall(SYS_getppid, 0, 0, 0);
	sud_off();
	EXPECT_EQ(SUD_MAGIC_RET, ret);
	EXPECT_EQ(1, sud_nr_sigsys);
	EXPECT_EQ(SYS_USER_DISPATCH, sud_last_code);
	EXPECT_EQ(SYS_getppid, sud_last_nr);
	/* si_call_addr is the address after the syscall instruction */
	EXPECT_LE(self->off, sud_last_addr);
	EXPECT_GE(self->off + self->len, sud_last_addr);
}

/* INCLUSIVE, no selector: syscalls from outside the range run. */
TEST_F(stub_range, inclusive_outside_runs)
{
	long ret, wret;
	int werr;

	sud_arm(_metadata, PR_SYS_DISPATCH_INCLUSIVE_ON, self->off, self->len,
		NULL);
	ret = syscall(SYS_getppid);
	/* and one through the C library's own wrapper */
	wret = write(-1, "", 0);
	werr = errno;
	sud_off();
	EXPECT_EQ(self->ppid, ret);
	EXPECT_EQ(-1, wret);
	EXPECT_EQ(EBADF, werr);
	EXPECT_EQ(0, sud_nr_sigsys);
}

/* INCLUSIVE with a selector: inside the range, ALLOW runs, BLOCK dispatches. */
TEST_F(stub_range, inclusive_selector)
{
	long allowed, blocked;

	sud_arm(_metadata, PR_SYS_DISPATCH_INCLUSIVE_ON, self->off, self->len,
		&sud_selector);
	allowed = sud_stub_syscall(SYS_getppid, 0, 0, 0);
	sud_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	blocked = sud_stub_syscall(SYS_getppid, 0, 0, 0);
	sud_off();
	EXPECT_EQ(self->ppid, allowed);
	EXPECT_EQ(SUD_MAGIC_RET, blocked);
	EXPECT_EQ(1, sud_nr_sigsys);
}

/*
 * EXCLUSIVE_ON, the new name of ON: the range is the allowed one, and the
 * rest is dispatched while the selector blocks.
 */
TEST_F(stub_range, exclusive_on)
{
	long inside, outside;

	sud_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	sud_arm(_metadata, PR_SYS_DISPATCH_EXCLUSIVE_ON, self->off, self->len,
		&sud_selector);
	inside = sud_stub_syscall(SYS_getppid, 0, 0, 0);
	/* the handler sets ALLOW again, so the disarming prctl runs */
	outside = syscall(SYS_getppid);
	sud_off();
	EXPECT_EQ(self->ppid, inside);
	EXPECT_EQ(SUD_MAGIC_RET, outside);
	EXPECT_EQ(1, sud_nr_sigsys);
	EXPECT_EQ(SYS_getppid, sud_last_nr);
}

/* Arming again replaces the mode: INCLUSIVE, then EXCLUSIVE on the range. */
TEST_F(stub_range, rearm_replaces_mode)
{
	long ret;

	sud_arm(_metadata, PR_SYS_DISPATCH_INCLUSIVE_ON, self->off, self->len,
		&sud_selector);
	sud_arm(_metadata, PR_SYS_DISPATCH_EXCLUSIVE_ON, self->off, self->len,
		&sud_selector);
	sud_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = sud_stub_syscall(SYS_getppid, 0, 0, 0);	/* allowed now */
	sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	sud_off();
	EXPECT_EQ(self->ppid, ret);
	EXPECT_EQ(0, sud_nr_sigsys);
}

/* OFF after INCLUSIVE: the range is not special any more. */
TEST_F(stub_range, off_after_inclusive)
{
	sud_arm(_metadata, PR_SYS_DISPATCH_INCLUSIVE_ON, self->off, self->len,
		NULL);
	ASSERT_EQ(0, sud_prctl(PR_SYS_DISPATCH_OFF, 0, 0, NULL));
	EXPECT_EQ(self->ppid, sud_stub_syscall(SYS_getppid, 0, 0, 0));
	EXPECT_EQ(0, sud_nr_sigsys);
}

/*
 * prctl() that leaves dispatch off whatever it did, so that a configuration
 * accepted by mistake cannot dispatch the test's log lines; errno is kept.
 */
static long prctl_then_off(unsigned long mode, unsigned long off,
			   unsigned long len)
{
	long ret = sud_prctl(mode, off, len, NULL);
	int err = errno;

	sud_off();
	errno = err;
	return ret;
}

TEST(bad_args)
{
	unsigned long off = (unsigned long)sud_stub_start;

	/* INCLUSIVE needs a range: len 0 would dispatch nothing */
	EXPECT_ERRNO(EINVAL,
		     prctl_then_off(PR_SYS_DISPATCH_INCLUSIVE_ON, off, 0));
	EXPECT_ERRNO(EINVAL, prctl_then_off(PR_SYS_DISPATCH_INCLUSIVE_ON, 0, 0));
	/* a range that wraps, and one that ends at 2^N, exactly */
	EXPECT_ERRNO(EINVAL, prctl_then_off(PR_SYS_DISPATCH_INCLUSIVE_ON,
					    SUD_TOP_PAGE, 8192));
	EXPECT_ERRNO(EINVAL, prctl_then_off(PR_SYS_DISPATCH_INCLUSIVE_ON,
					    SUD_TOP_PAGE, 4096));
	EXPECT_ERRNO(EINVAL, prctl_then_off(PR_SYS_DISPATCH_EXCLUSIVE_ON,
					    SUD_TOP_PAGE, 8192));
	/* there is no mode 3 */
	EXPECT_ERRNO(EINVAL, prctl_then_off(3, 0, 0));
}

TEST(good_args)
{
	/* offset 0 is a start like any other: only len 0 is not a range */
	EXPECT_EQ(0, prctl_then_off(PR_SYS_DISPATCH_INCLUSIVE_ON, 0, 4096));
	/* all of the address space but its last byte */
	EXPECT_EQ(0, prctl_then_off(PR_SYS_DISPATCH_EXCLUSIVE_ON, 0, ~0UL));
}

static const char *no_inclusive(void)
{
	const char *why = sud_missing();

	if (why)
		return why;
	/*
	 * A valid range in the last page, where no syscall site of this
	 * thread lives: nothing is dispatched while it is armed.  Any error
	 * but EINVAL is left to the tests to report.
	 */
	if (sud_prctl(PR_SYS_DISPATCH_INCLUSIVE_ON, SUD_TOP_PAGE, 16, NULL) &&
	    errno == EINVAL)
		return "kernel rejects PR_SYS_DISPATCH_INCLUSIVE_ON with EINVAL (needs Linux 6.17 or the sudcompat port)";
	sud_off();
	return NULL;
}

SUD_HARNESS_MAIN(no_inclusive)
