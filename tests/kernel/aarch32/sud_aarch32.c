// SPDX-License-Identifier: GPL-2.0
/*
 * sud_aarch32.c - syscall user dispatch for an AArch32 (compat) task on an
 * arm64 kernel with CONFIG_COMPAT=y.  Built static with Debian's
 * arm-linux-gnueabihf-gcc by ci/kernel-extra (not by the matrix's
 * tests/kernel/NAME.c loop: it is a 32-bit ARM program on every host).
 *
 * Every case runs in a child of its own, under alarm(5):
 *
 *   dispatch_si_arch        a syscall with the selector at BLOCK reaches the
 *                           SIGSYS handler with si_code SYS_USER_DISPATCH,
 *                           si_syscall and si_arch == AUDIT_ARCH_ARM, and the
 *                           handler's r0 is the syscall's return value.
 *   {arm,thumb}_rt_sigpage  the handler (ARM or Thumb code, SA_SIGINFO)
 *                           returns with the selector still at BLOCK.  The
 *                           action has no SA_RESTORER (installed with the raw
 *                           rt_sigaction: glibc always adds its own restorer),
 *                           so the kernel returns through the [sigpage]'s
 *                           ARM or Thumb rt_sigreturn trampoline, which is
 *                           exempt: the handler runs once, the task goes on.
 *   {arm,thumb}_sigpage     the same without SA_SIGINFO: the sigpage's
 *                           sigreturn (not rt_) trampolines.
 *   own_restorer_dispatched the control: with an SA_RESTORER of the
 *                           program's own, its rt_sigreturn is not exempt;
 *                           it is dispatched while SIGSYS is blocked and the
 *                           task dies of SIGSYS.  So the exemption is the
 *                           sigpage's, and the other cases can fail.
 *
 * TAP on stdout.  Exit 4 (skip) where the kernel has no syscall user
 * dispatch, unless SUDVM_VARIANT=patched (the VM's init sets it): on the
 * patched kernel compat dispatch is part of the contract, so it fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <linux/audit.h>

#if !defined(__arm__)
# error "an AArch32 program: build it with arm-linux-gnueabihf-gcc"
#endif

#ifndef PR_SET_SYSCALL_USER_DISPATCH
# define PR_SET_SYSCALL_USER_DISPATCH	59
# define PR_SYS_DISPATCH_OFF		0
# define PR_SYS_DISPATCH_ON		1
# define SYSCALL_DISPATCH_FILTER_ALLOW	0
# define SYSCALL_DISPATCH_FILTER_BLOCK	1
#endif
#ifndef SYS_USER_DISPATCH
# define SYS_USER_DISPATCH		2
#endif
#ifndef SA_RESTORER
# define SA_RESTORER			0x04000000
#endif

#define MAGIC		0x5d5d

/* what the kernel's rt_sigaction takes on ARM */
struct ksigaction {
	void *handler;
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask[2];
};

static volatile char selector = SYSCALL_DISPATCH_FILTER_ALLOW;
static volatile int nr_sigsys;
static volatile int bad_siginfo;
static volatile int keep_block;

static void note_sigsys(siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;

	nr_sigsys++;
	if (info->si_code != SYS_USER_DISPATCH || info->si_syscall != SYS_getppid ||
	    info->si_arch != AUDIT_ARCH_ARM)
		bad_siginfo = 1;
	uc->uc_mcontext.arm_r0 = MAGIC;
	if (!keep_block)
		selector = SYSCALL_DISPATCH_FILTER_ALLOW;
}

/* the handlers make no syscall: the selector may still be BLOCK */
__attribute__((target("arm"), noinline))
static void arm_info_handler(int sig, siginfo_t *info, void *uc)
{
	(void)sig;
	note_sigsys(info, uc);
}

__attribute__((target("thumb"), noinline))
static void thumb_info_handler(int sig, siginfo_t *info, void *uc)
{
	(void)sig;
	note_sigsys(info, uc);
}

__attribute__((target("arm"), noinline))
static void arm_plain_handler(int sig)
{
	(void)sig;
	nr_sigsys++;
}

__attribute__((target("thumb"), noinline))
static void thumb_plain_handler(int sig)
{
	(void)sig;
	nr_sigsys++;
}

/* a restorer outside the sigpage: rt_sigreturn (173 in the ARM EABI) */
void own_restorer(void);
__asm__(".text\n"
	".arm\n"
	".align 2\n"
	".globl own_restorer\n"
	".type own_restorer, %function\n"
	"own_restorer:\n"
	"	mov r7, #173\n"
	"	svc #0\n"
	".size own_restorer, . - own_restorer\n");

static int set_action(void *handler, unsigned long flags, void (*restorer)(void))
{
	struct ksigaction ksa;

	memset(&ksa, 0, sizeof(ksa));
	ksa.handler = handler;
	ksa.flags = flags | (restorer ? SA_RESTORER : 0);
	ksa.restorer = restorer;
	return (int)syscall(SYS_rt_sigaction, SIGSYS, &ksa, NULL, 8);
}

/*
 * In the child: arms dispatch (no allowed range), makes one getppid with
 * the selector at BLOCK; returns 0 when it went as the case expects.
 */
static int one_call(void *handler, unsigned long flags, void (*restorer)(void),
		    int block, int want_magic)
{
	long ret;

	keep_block = block;
	if (set_action(handler, flags, restorer))
		return 20;
	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 0, 0, &selector))
		return 21;
	alarm(5);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = syscall(SYS_getppid);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0))
		return 22;
	if (nr_sigsys != 1)
		return 23;
	if (bad_siginfo)
		return 24;
	if (want_magic && ret != MAGIC)
		return 25;
	return 0;
}

static int tests, failed;

/* runs one case in a child; want_sig 0: must exit 0, else die of want_sig */
static void run(const char *name, int want_sig, void *handler, unsigned long flags,
		void (*restorer)(void), int block, int want_magic)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(one_call(handler, flags, restorer, block, want_magic));
	tests++;
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		printf("not ok %d %s # fork/wait: %s\n", tests, name, strerror(errno));
		failed++;
		return;
	}
	if (!want_sig && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("ok %d %s\n", tests, name);
		return;
	}
	if (want_sig && WIFSIGNALED(status) && WTERMSIG(status) == want_sig) {
		printf("ok %d %s # died of signal %d, as expected\n", tests, name, want_sig);
		return;
	}
	failed++;
	if (WIFEXITED(status))
		printf("not ok %d %s # exit %d (20-22: setup, 23: handler ran not once, "
		       "24: siginfo, 25: return value)\n", tests, name, WEXITSTATUS(status));
	else
		printf("not ok %d %s # signal %d\n", tests, name, WTERMSIG(status));
}

int main(void)
{
	const char *v = getenv("SUDVM_VARIANT");

	printf("TAP version 13\n");
	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0)) {
		if (v && !strcmp(v, "patched")) {
			printf("1..1\nnot ok 1 compat prctl(PR_SET_SYSCALL_USER_DISPATCH): %s\n",
			       strerror(errno));
			return 1;
		}
		printf("1..0 # SKIP kernel has no syscall user dispatch for AArch32 (%s)\n",
		       strerror(errno));
		return 4;
	}
	printf("1..6\n");
	run("dispatch_si_arch", 0, arm_info_handler, SA_SIGINFO, NULL, 0, 1);
	run("arm_rt_sigpage", 0, arm_info_handler, SA_SIGINFO, NULL, 1, 1);
	run("thumb_rt_sigpage", 0, thumb_info_handler, SA_SIGINFO, NULL, 1, 1);
	run("arm_sigpage", 0, arm_plain_handler, 0, NULL, 1, 0);
	run("thumb_sigpage", 0, thumb_plain_handler, 0, NULL, 1, 0);
	run("own_restorer_dispatched", SIGSYS, arm_info_handler, SA_SIGINFO,
	    own_restorer, 1, 1);
	printf("# %d of %d failed\n", failed, tests);
	return failed ? 1 : 0;
}
