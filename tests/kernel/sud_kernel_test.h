/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sud_kernel_test.h - what the tests/kernel syscall user dispatch tests
 * share, on the booted tree's kselftest_harness.h: include this instead of
 * the harness.  The same helpers as the kernel series' selftests
 * (tools/testing/selftests/syscall_user_dispatch/sud_test.c) without its raw
 * syscall stub, which these tests do not need, plus SUD_HARNESS_MAIN().
 *
 * The fallbacks below carry the values of include/uapi/linux/{prctl,ptrace}.h,
 * for C libraries whose headers predate them.
 */
#ifndef SUD_KERNEL_TEST_H
#define SUD_KERNEL_TEST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

/*
 * The harness is not -Wextra clean (wrapper_*() never use "variant",
 * __timeout_handler() never uses "ucontext").  The warning is off for the
 * whole file: it also fires where TEST() is expanded.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
# define PR_SET_SYSCALL_USER_DISPATCH	59
# define PR_SYS_DISPATCH_OFF		0
# define SYSCALL_DISPATCH_FILTER_ALLOW	0
# define SYSCALL_DISPATCH_FILTER_BLOCK	1
#endif
/* ON is also known as EXCLUSIVE_ON, next to INCLUSIVE_ON */
#ifndef PR_SYS_DISPATCH_EXCLUSIVE_ON
# define PR_SYS_DISPATCH_EXCLUSIVE_ON	1
# define PR_SYS_DISPATCH_INCLUSIVE_ON	2
#endif
#ifndef PR_SYS_DISPATCH_ON
# define PR_SYS_DISPATCH_ON		PR_SYS_DISPATCH_EXCLUSIVE_ON
#endif
/* glibc's <signal.h> has no si_code for SIGSYS from dispatch */
#ifndef SYS_USER_DISPATCH
# define SYS_USER_DISPATCH		2
#endif

/* PTRACE_{GET,SET}_SYSCALL_USER_DISPATCH_CONFIG */
#ifndef PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG
# define PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG	0x4210
# define PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG	0x4211
#endif

/*
 * struct ptrace_sud_config under a name of our own: <linux/ptrace.h> clashes
 * with glibc's <sys/ptrace.h>, and newer glibc has it as __ptrace_sud_config.
 */
struct sud_ptrace_config {
	uint64_t mode;
	uint64_t selector;
	uint64_t offset;
	uint64_t len;
};

/* The last page of the address space: a range there wraps or ends at 2^N */
#define SUD_TOP_PAGE	(~0UL - 4095)
/* Never a user address on any of the three architectures */
#define SUD_KERNEL_ADDR	(~0UL - 15)

/* What the SIGSYS handler puts in the return register */
#define SUD_MAGIC_RET	0x5d5dL

/* The return register in a SIGSYS handler's ucontext */
#if defined(__x86_64__)
# define SUD_UC_RET(uc)	((uc)->uc_mcontext.gregs[REG_RAX])
#elif defined(__aarch64__)
# define SUD_UC_RET(uc)	((uc)->uc_mcontext.regs[0])
#elif defined(__riscv) && __riscv_xlen == 64
# define SUD_UC_RET(uc)	((uc)->uc_mcontext.__gregs[REG_A0])
#else
# error "tests/kernel: unsupported architecture"
#endif

/*
 * The selector, and what the SIGSYS handler saw.  The harness runs every
 * test in a child of its own, so they start at zero in each test.
 */
static char sud_selector;
static int sud_nr_sigsys;
static long sud_last_nr;
static int sud_last_code;
static uintptr_t sud_last_addr;
/* Set by a test whose handler must return with the selector at BLOCK */
static bool sud_keep_block;

/*
 * Emulates every dispatched syscall as returning SUD_MAGIC_RET, and sets the
 * selector back to ALLOW (unless told not to), so that what follows the
 * syscall, the test's own checks included, runs.
 */
static void sud_sigsys(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	if (!sud_keep_block)
		sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	sud_nr_sigsys++;
	sud_last_nr = info->si_syscall;
	sud_last_code = info->si_code;
	sud_last_addr = (uintptr_t)info->si_call_addr;
	SUD_UC_RET(uc) = SUD_MAGIC_RET;
}

static inline int sud_install_handler(int sa_flags)
{
	struct sigaction sa = {
		.sa_sigaction = sud_sigsys,
		.sa_flags = SA_SIGINFO | sa_flags,
	};

	sigemptyset(&sa.sa_mask);
	return sigaction(SIGSYS, &sa, NULL);
}

static inline long sud_prctl(unsigned long mode, unsigned long offset,
			     unsigned long len, char *selector)
{
	return prctl(PR_SET_SYSCALL_USER_DISPATCH, mode, offset, len, selector);
}

static inline void sud_off(void)
{
	sud_prctl(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
}

/* Arms dispatch, or ends the test: nothing is armed then, so it can log. */
static inline void sud_arm(struct __test_metadata *_metadata,
			   unsigned long mode, unsigned long offset,
			   unsigned long len, char *selector)
{
	long ret = sud_prctl(mode, offset, len, selector);
	int err = errno;

	ASSERT_EQ(0, ret)
		TH_LOG("prctl(PR_SET_SYSCALL_USER_DISPATCH, %lu, %#lx, %#lx): %s",
		       mode, offset, len, strerror(err));
}

/*
 * EXPECT_ERRNO(err, call): @call returns -1 with errno @err.  errno is
 * taken right after the call, before a log line can clobber it.
 */
#define EXPECT_ERRNO(err, call) do {					\
	int __want = (err);						\
	long __ret;							\
	int __err;							\
									\
	errno = 0;							\
	__ret = (call);							\
	__err = errno;							\
	EXPECT_EQ(-1L, __ret)						\
		TH_LOG("%s succeeded, want %s", #call, strerror(__want)); \
	EXPECT_EQ(__want, __err)					\
		TH_LOG("%s: %s, want %s", #call, strerror(__err),	\
		       strerror(__want));				\
} while (0)

/*
 * Skips the test with @why unless @why is NULL; true if it did.  For a
 * test that starts with "if (sud_skip(_metadata, probe())) return;".
 */
static inline bool sud_skip(struct __test_metadata *_metadata,
			    const char *why)
{
	if (!why)
		return false;
	SKIP(return true, "%s", why);
}

/* NULL where the kernel has syscall user dispatch, else why not. */
static inline const char *sud_missing(void)
{
	static char why[128];

	if (!sud_prctl(PR_SYS_DISPATCH_OFF, 0, 0, NULL))
		return NULL;
	snprintf(why, sizeof(why),
		 "kernel has no syscall user dispatch (prctl: %s)",
		 strerror(errno));
	return why;
}

/*
 * TEST_HARNESS_MAIN behind a whole-program check.  The harness exits 0
 * even when every test SKIP()s, and the VM's init reports a skip only for
 * exit 4 (KSFT_SKIP): a kernel without the feature, or an architecture the
 * test does not cover, must not read as a pass.  @probe returns NULL when
 * the tests apply, or why they do not.
 */
#define SUD_HARNESS_MAIN(probe)						\
	static void __attribute__((constructor))			\
	__constructor_order_last(void)					\
	{								\
		if (!__constructor_order)				\
			__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD; \
	}								\
	int main(int argc, char **argv)					\
	{								\
		const char *why = probe();				\
									\
		if (why) {						\
			ksft_print_header();				\
			ksft_exit_skip("%s\n", why);			\
		}							\
		return test_harness_run(argc, argv);			\
	}

#endif /* SUD_KERNEL_TEST_H */
