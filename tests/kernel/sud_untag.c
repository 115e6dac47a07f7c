// SPDX-License-Identifier: GPL-2.0
/*
 * sud_untag.c - a tagged selector pointer (arm64 Top Byte Ignore) is
 * accepted by PR_SET_SYSCALL_USER_DISPATCH and works (Linux 6.4 untags the
 * selector before access_ok(); the sudcompat 6.1 port does the same).
 *
 * Only arm64 has a tag byte that user space may set without enabling
 * anything (TBI is always on for EL0).  x86 LAM and riscv pointer masking
 * need to be enabled per process and are not covered: the whole program
 * skips (KSFT_SKIP) there, and where the kernel has no syscall user
 * dispatch.  The test does not enable PR_SET_TAGGED_ADDR_CTRL, so the
 * kernel's access_ok() does not untag by itself: the SUD code has to.
 *
 * Every arm64 kernel with SUD untags the selector (mainline got SUD on
 * arm64 after 6.4, and the port carries the untagging), so EFAULT for a
 * tagged selector is a failure, not a missing feature.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <unistd.h>

#include "sud_kernel_test.h"

#if defined(__aarch64__)

#define TAG	0x5aUL

static volatile char *tagged(volatile char *p)
{
	return (volatile char *)(((uintptr_t)p & ~(0xffUL << 56)) | TAG << 56);
}

/*
 * A kernel that accepts the tag but cannot read through it kills the test
 * with SIGSEGV at the next checked syscall, the disarming prctl().
 */
TEST(tagged_selector_accepted)
{
	sud_arm(_metadata, PR_SYS_DISPATCH_ON, 0, 0, tagged(&sud_selector));
	sud_off();
}

TEST(tagged_selector_selects)
{
	volatile char *tsel = tagged(&sud_selector);
	long want = getppid(), blocked, allowed;

	ASSERT_EQ(0, sud_install_handler(0));
	*tsel = SYSCALL_DISPATCH_FILTER_ALLOW;	/* a TBI store: the same byte */
	sud_arm(_metadata, PR_SYS_DISPATCH_ON, 0, 0, tsel);
	*tsel = SYSCALL_DISPATCH_FILTER_BLOCK;
	blocked = syscall(SYS_getppid);
	*tsel = SYSCALL_DISPATCH_FILTER_ALLOW;
	allowed = syscall(SYS_getppid);
	sud_off();
	EXPECT_EQ(SUD_MAGIC_RET, blocked);
	EXPECT_EQ(want, allowed);
	EXPECT_EQ(1, sud_nr_sigsys);
}

/*
 * Untagging must not let a kernel address through.  Should the kernel take
 * it, the test dies of SIGSEGV at its next syscall.
 */
TEST(kernel_address_selector_efault)
{
	EXPECT_ERRNO(EFAULT, sud_prctl(PR_SYS_DISPATCH_ON, 0, 0,
				       (volatile char *)SUD_KERNEL_ADDR));
}

SUD_HARNESS_MAIN(sud_missing)

#else /* !__aarch64__ */

static const char *no_tbi(void)
{
#if defined(__x86_64__)
	return "x86_64: tagged pointers need LAM enabled per process (ARCH_ENABLE_TAGGED_ADDR), not covered; arm64 TBI only";
#else
	return "riscv64: pointer masking needs PR_SET_TAGGED_ADDR_CTRL and Supm, not covered; arm64 TBI only";
#endif
}

SUD_HARNESS_MAIN(no_tbi)

#endif
