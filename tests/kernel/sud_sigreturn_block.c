// SPDX-License-Identifier: GPL-2.0
/*
 * sud_sigreturn_block.c - a SIGSYS handler that returns with the selector
 * still at BLOCK must not loop.
 *
 * On arm64 and riscv every signal returns through the vDSO rt_sigreturn
 * trampoline, which syscall user dispatch exempts
 * (arch_syscall_is_vdso_sigreturn()): the handler runs exactly once and the
 * program goes on.
 *
 * On x86_64 the 64-bit rt_sigreturn is issued by the C library's restorer
 * (SA_RESTORER), which mainline does not exempt (only the ia32 vDSO landing
 * pads are).  There the rt_sigreturn is dispatched in turn, while SIGSYS is
 * still blocked, so the forced SIGSYS kills the task: no loop either, and
 * that is what is checked.  With SA_NODEFER the handler recurses on the
 * stack until it overflows and the task dies of SIGSEGV, checked too.
 *
 * Kept in tests/kernel, not in the series' selftests: the x86 half pins
 * mainline's behaviour, which upstream would not want a test to freeze,
 * and the arm64/riscv half is what the upstream sud_benchmark checks with
 * TEST_BLOCKED_RETURN, which the series enables there.
 *
 * The whole program skips (KSFT_SKIP) where the kernel has no syscall user
 * dispatch.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <unistd.h>

#include "sud_kernel_test.h"

/*
 * Arms dispatch with no allowed range and the selector at BLOCK, and makes
 * one syscall, which the handler emulates but leaves BLOCK.  Returns only
 * where the rt_sigreturn that ends the handler is exempt.
 */
static void block_and_call(struct __test_metadata *_metadata, int sa_flags)
{
	long ret;

	sud_keep_block = true;
	ASSERT_EQ(0, sud_install_handler(sa_flags));
	/* a loop dies of SIGALRM now, not of the harness's timeout */
	alarm(5);
	sud_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	sud_arm(_metadata, PR_SYS_DISPATCH_ON, 0, 0, &sud_selector);
	ret = syscall(SYS_getppid);
	sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	sud_off();
	EXPECT_EQ(SUD_MAGIC_RET, ret);
	EXPECT_EQ(1, sud_nr_sigsys);
}

#if defined(__x86_64__)
/*
 * The restorer's rt_sigreturn is dispatched while SIGSYS is blocked (only
 * the rt_sigreturn itself unblocks it): the forced SIGSYS resets the action
 * to SIG_DFL and kills the task.
 */
TEST_SIGNAL(restorer_sigreturn_killed_by_sigsys, SIGSYS)
{
	block_and_call(_metadata, 0);
}

/*
 * With SA_NODEFER SIGSYS is not blocked in the restorer, so the dispatched
 * rt_sigreturn enters the handler again on a new frame below the old one,
 * until the stack is exhausted.  This is what mainline x86 does: check
 * that it ends.
 */
TEST_SIGNAL(nodefer_restorer_sigreturn_exhausts_stack, SIGSEGV)
{
	block_and_call(_metadata, SA_NODEFER);
}
#else
TEST(vdso_sigreturn_exempt)
{
	block_and_call(_metadata, 0);
}

TEST(nodefer_vdso_sigreturn_exempt)
{
	block_and_call(_metadata, SA_NODEFER);
}
#endif

SUD_HARNESS_MAIN(sud_missing)
