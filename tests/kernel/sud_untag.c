// SPDX-License-Identifier: GPL-2.0
/*
 * sud_untag.c - tagged selector pointers on arm64: Top Byte Ignore (TBI)
 * tags, and Memory Tagging Extension (MTE) tags that must match the
 * memory the selector lives in.
 *
 * Kept in tests/kernel, not in the series' selftests: ci/kernel-mte runs
 * its MTE case by this name, on the project's MTE tier.
 *
 * The kernel's rules, as in mainline since 6.4 and in the sudcompat 6.1
 * port:
 *
 * - PR_SET_SYSCALL_USER_DISPATCH checks the untagged selector address,
 *   so a tagged selector is accepted even by a task that did not enable
 *   the tagged address ABI (a tracer arming a tracee is the case this is
 *   for).
 * - The selector is stored and read on syscall entry with its tag.  The
 *   read is checked against the task's own tagged address ABI: a task
 *   without it dies of SIGSEGV at its first checked syscall, and a task
 *   with it reads through the tag, which is what MTE needs (an untagged
 *   read of tagged memory is a tag check fault in synchronous mode).
 *
 * Only arm64 has a tag byte that user space may set without enabling
 * anything (TBI is always on for EL0).  x86 LAM and riscv pointer masking
 * need to be enabled per process and are not covered: the whole program
 * skips (KSFT_SKIP) there, and where the kernel has no syscall user
 * dispatch.  The MTE test skips on a CPU or kernel without MTE (qemu
 * -machine virt,mte=on -cpu max and CONFIG_ARM64_MTE=y have it).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sud_kernel_test.h"

#if defined(__aarch64__)

#ifndef PR_SET_TAGGED_ADDR_CTRL
# define PR_SET_TAGGED_ADDR_CTRL	55
#endif
#ifndef PR_TAGGED_ADDR_ENABLE
# define PR_TAGGED_ADDR_ENABLE		(1UL << 0)
#endif
#ifndef PR_MTE_TCF_SYNC
# define PR_MTE_TCF_SYNC		(1UL << 1)
#endif
#ifndef PR_MTE_TAG_SHIFT
# define PR_MTE_TAG_SHIFT		3
#endif
#ifndef HWCAP2_MTE
# define HWCAP2_MTE			(1UL << 18)
#endif
#ifndef PROT_MTE
# define PROT_MTE			0x20
#endif

#define TAG	0x5aUL
#define MTE_TAG	0x3UL

static char *with_tag(char *p, unsigned long tag)
{
	return (char *)(((uintptr_t)p & ~(0xffUL << 56)) | tag << 56);
}

static char *tagged(char *p)
{
	return with_tag(p, TAG);
}

/* The tagged address ABI, or a skip where the kernel does not have it */
static int tagged_addr_abi(unsigned long ctrl)
{
	return prctl(PR_SET_TAGGED_ADDR_CTRL, PR_TAGGED_ADDR_ENABLE | ctrl,
		     0, 0, 0);
}

#define NEED_TAGGED_ADDR_ABI() do {					\
	if (tagged_addr_abi(0))						\
		SKIP(return, "no tagged address ABI (%s): kernel without CONFIG_ARM64_TAGGED_ADDR_ABI", \
		     strerror(errno));					\
} while (0)

/*
 * The range check untags: a task without the tagged address ABI can arm
 * with a tagged selector.  The allowed range covers every address, so no
 * syscall reads the selector before the disarming prctl() returns.
 */
TEST(tagged_selector_accepted_without_abi)
{
	sud_arm(_metadata, PR_SYS_DISPATCH_ON, 0, ~0UL, tagged(&sud_selector));
	sud_off();
}

/*
 * As in mainline, the read on syscall entry is checked against the task's
 * tagged address ABI, which this task did not enable: the disarming
 * prctl() reads the selector, fails and the task is killed.
 */
TEST_SIGNAL(tagged_selector_read_needs_abi, SIGSEGV)
{
	sud_arm(_metadata, PR_SYS_DISPATCH_ON, 0, 0, tagged(&sud_selector));
	sud_off();
}

TEST(tagged_selector_selects)
{
	char *tsel = tagged(&sud_selector);
	long want = getppid(), blocked, allowed;

	NEED_TAGGED_ADDR_ABI();
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

/* The MTE selector; the handler sets it back to ALLOW through its tag. */
static char *mte_sel;
static volatile int mte_nr_sigsys;

static void mte_sigsys(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)info;
	*mte_sel = SYSCALL_DISPATCH_FILTER_ALLOW;
	mte_nr_sigsys++;
	SUD_UC_RET(uc) = SUD_MAGIC_RET;
}

/*
 * A task in synchronous tag check mode whose selector is in PROT_MTE
 * memory with a non-zero allocation tag: the kernel must read the
 * selector through the tagged pointer.  An untagged read is a tag check
 * fault, and the task dies of SIGSEGV at its first checked syscall.
 */
TEST(mte_tagged_selector)
{
	struct sigaction sa = {
		.sa_sigaction = mte_sigsys,
		.sa_flags = SA_SIGINFO,
	};
	long want = getppid(), blocked, allowed;
	char *page;

	if (!(getauxval(AT_HWCAP2) & HWCAP2_MTE))
		SKIP(return, "no MTE (HWCAP2_MTE): needs CONFIG_ARM64_MTE and an MTE CPU");
	/* Synchronous tag checks (the include mask only matters to irg) */
	ASSERT_EQ(0, tagged_addr_abi(PR_MTE_TCF_SYNC |
				     (0xfffeUL << PR_MTE_TAG_SHIFT)))
		TH_LOG("PR_SET_TAGGED_ADDR_CTRL (MTE sync): %s", strerror(errno));
	page = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE | PROT_MTE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, (void *)page);
	/* Give the first granule allocation tag MTE_TAG */
	mte_sel = with_tag(page, MTE_TAG);
	asm volatile(".arch armv8.5-a+memtag\n stg %0, [%0]"
		     : : "r" (mte_sel) : "memory");
	*mte_sel = SYSCALL_DISPATCH_FILTER_ALLOW;

	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGSYS, &sa, NULL));
	sud_arm(_metadata, PR_SYS_DISPATCH_ON, 0, 0, mte_sel);
	*mte_sel = SYSCALL_DISPATCH_FILTER_BLOCK;
	blocked = syscall(SYS_getppid);
	allowed = syscall(SYS_getppid);	/* the handler reset it to ALLOW */
	sud_off();
	EXPECT_EQ(SUD_MAGIC_RET, blocked);
	EXPECT_EQ(want, allowed);
	EXPECT_EQ(1, mte_nr_sigsys);
}

/*
 * Untagging must not let a kernel address through.  Should the kernel take
 * it, the test dies of SIGSEGV at its next syscall.
 */
TEST(kernel_address_selector_efault)
{
	EXPECT_ERRNO(EFAULT, sud_prctl(PR_SYS_DISPATCH_ON, 0, 0,
				       (char *)SUD_KERNEL_ADDR));
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
