// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The architecture layer, as far as it works without seccomp (so also
 * under QEMU-user): the syscall stubs of shim/arch/<arch>/trampoline.S,
 * the ucontext accessors of arch.h on a real signal raised by a syscall
 * at a known address, the reading of a syscall site back from such a
 * context (<arch>/insn.c), the thread pointer, and the vDSO sigreturn range.
 * Arch-generic: only arch.h and the library's internal interface.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <linux/seccomp.h>

#include "arch-api.h"
#include "arch-fastpath.h"
#include "vdso.h"
#include "tap.h"

long test_raw_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
extern char test_raw_syscall_ret[];

static struct {
	volatile int hits;
	unsigned long ip, sp, args[6];
	unsigned long sp_after_set;
	void *ret_addr;
	ucontext_t uc;
} seen;

#define EMULATED 4321

static const char *const vdso_sym = ARCH_VDSO_SIGRETURN_SYMBOL;
static const char *const vdso_ver = ARCH_VDSO_SIGRETURN_VERSION;
static volatile unsigned long vdso_span = ARCH_VDSO_SIGRETURN_SPAN;

static void handler(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;
	ucontext_t copy = *uc;

	(void)sig;
	(void)info;
	seen.hits++;
	seen.uc = *uc;
	seen.ip = arch_uc_ip(uc);
	seen.sp = arch_uc_sp(uc);
	arch_uc_args(uc, seen.args);
	seen.ret_addr = __builtin_extract_return_addr(__builtin_return_address(0));
	arch_uc_set_sp(&copy, 0x12340);
	seen.sp_after_set = arch_uc_sp(&copy);
	arch_uc_set_return(uc, EMULATED);
}

static bool in_range(unsigned long p, const void *start, const void *end)
{
	return p >= (unsigned long)start && p < (unsigned long)end;
}

/* The fast path's slots (arch-fastpath.h), which lie in the exempt range too. */
static long fast_path_size(void)
{
#if ARCH_HAS_FASTPATH
	char *first = sud_fast_slots;

	if (!in_range((unsigned long)sud_fast_slots, sud_trampoline_start, sud_trampoline_end) ||
	    !in_range((unsigned long)sud_fast_slots_end - 1, sud_trampoline_start, sud_trampoline_end))
		return 0;
	/*
	 * The slots and the entries of the user-space dispatch end the
	 * trampoline, in either order: x86-64 puts the slots first, aarch64
	 * and riscv64 the entries.
	 */
#if ARCH_FAST_DISPATCH
	if (in_range((unsigned long)sud_fast_dispatch, sud_trampoline_start, sud_trampoline_end) &&
	    sud_fast_dispatch < first)
		first = sud_fast_dispatch;
#endif
	return sud_trampoline_end - first;
#else
	return 0;
#endif
}

static void *thread_tp(void *arg)
{
	*(unsigned long *)arg = arch_thread_pointer();
	return NULL;
}

int main(void)
{
	long pid = getpid(), tid = syscall(SYS_gettid);
	struct sigaction sa;
	unsigned long tp, other_tp = 0;
	pthread_t t;
	char local;
	long ret;

	tap_plan(18);

	/* (a) the stubs */
	tap_ok(sud_tramp_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0) == pid &&
	       sud_tramp_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0) == tid,
	       "sud_tramp_syscall: getpid and gettid as libc's");
	tap_ok(sud_outside_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0) == pid &&
	       sud_outside_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0) == tid,
	       "sud_outside_syscall: getpid and gettid as libc's");
	ret = sud_tramp_syscall(SYS_close, -1, 0, 0, 0, 0, 0);
	tap_ok(ret == -EBADF && sud_is_error(ret), "errors come back as -errno (close(-1) = %ld)", ret);
	{
		/* all six argument registers reach the kernel in order */
		char buf[8] = "abcdefg", out[8] = { 0 };
		struct iovec l = { out, 7 }, r = { buf, 7 };

		ret = sud_tramp_syscall(SYS_process_vm_readv, pid, (long)&l, 1, (long)&r, 1, 0);
		if (ret == -ENOSYS || ret == -EPERM)
			tap_skip("no process_vm_readv here", "six arguments through the trampoline");
		else
			tap_ok(ret == 7 && !memcmp(out, buf, 7),
			       "six arguments through the trampoline (process_vm_readv = %ld)", ret);
	}
	{
		/*
		 * The re-issue window: the syscall runs with the call's mask (it reads
		 * the mask in force), the one before comes back, the arguments and
		 * the result travel in the call.
		 */
		uint64_t before = 1ull << (SIGHUP - 1), inside = 0, after = 0;
		struct sud_reissue_call c = {
			.nr = SYS_rt_sigprocmask,
			.a = { SIG_BLOCK, 0, (unsigned long)&inside, sizeof(uint64_t) },
			.mask = 1ull << (SIGUSR1 - 1) | 1ull << (SIGUSR2 - 1),
		};

		syscall(SYS_rt_sigprocmask, SIG_SETMASK, &before, NULL, sizeof(before));
		ret = sud_tramp_reissue(&c);
		syscall(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &after, sizeof(after));
		tap_ok(ret == 0 && c.result == 0 && inside == c.mask && after == before &&
		       c.saved == before,
		       "sud_tramp_reissue runs the syscall with the call's mask (%#llx inside, "
		       "%#llx before and after)", (unsigned long long)inside,
		       (unsigned long long)after);
		ret = sud_tramp_reissue(&(struct sud_reissue_call){ .nr = SYS_close, .a = { -1ul } });
		tap_ok(ret == -EBADF &&
		       (unsigned long)sud_tramp_reissue_open < (unsigned long)sud_tramp_reissue_ret &&
		       (unsigned long)sud_tramp_reissue_ret < (unsigned long)sud_tramp_reissue_close &&
		       in_range((unsigned long)sud_tramp_reissue_close, sud_trampoline_start,
				sud_trampoline_end),
		       "its error comes back, its window [open, ret, close] lies in order in the trampoline");
		before = 0;
		syscall(SYS_rt_sigprocmask, SIG_SETMASK, &before, NULL, sizeof(before));
	}
	tap_ok(in_range((unsigned long)sud_tramp_syscall, sud_trampoline_start, sud_trampoline_end) &&
	       in_range((unsigned long)sud_tramp_sigreturn_at, sud_trampoline_start, sud_trampoline_end) &&
	       (!ARCH_HAS_SA_RESTORER ||
		in_range((unsigned long)sud_tramp_restorer, sud_trampoline_start, sud_trampoline_end)),
	       "the trampoline's stubs lie in [sud_trampoline_start, sud_trampoline_end)");
	tap_ok(!in_range((unsigned long)sud_outside_syscall, sud_trampoline_start, sud_trampoline_end) &&
	       !in_range((unsigned long)sud_arch_clone, sud_trampoline_start, sud_trampoline_end) &&
	       sud_trampoline_end - sud_trampoline_start - fast_path_size() < 512,
	       "sud_outside_syscall and sud_arch_clone lie outside it (%ld bytes, and %ld of the fast path's)",
	       (long)(sud_trampoline_end - sud_trampoline_start - fast_path_size()), fast_path_size());

	/* (b) the accessors on a signal raised by a syscall at a known address */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	ret = test_raw_syscall(SYS_tgkill, pid, tid, SIGUSR1, 0x1111, 0x2222, 0x3333);
	tap_ok(seen.hits == 1, "the signal arrived on the syscall's return");
	tap_ok(seen.ip == (unsigned long)test_raw_syscall_ret,
	       "arch_uc_ip is the address after the syscall instruction (%#lx, want %p)",
	       seen.ip, (void *)test_raw_syscall_ret);
	tap_ok(seen.sp - ((unsigned long)&local - 4096) < 8192,
	       "arch_uc_sp is the interrupted stack (%#lx, a local at %p)", seen.sp, (void *)&local);
	tap_ok(seen.args[1] == (unsigned long)tid && seen.args[2] == SIGUSR1 &&
	       seen.args[3] == 0x1111 && seen.args[4] == 0x2222 && seen.args[5] == 0x3333,
	       "arch_uc_args reads the argument registers (%#lx %#lx %#lx %#lx %#lx)",
	       seen.args[1], seen.args[2], seen.args[3], seen.args[4], seen.args[5]);
	tap_ok(ret == EMULATED && seen.sp_after_set == 0x12340,
	       "arch_uc_set_return becomes the syscall's result (%ld), arch_uc_set_sp round-trips", ret);

	/* (c) the site read back from that context, and from ones no syscall left */
	{
		struct seccomp_data sd;
		ucontext_t moved = seen.uc;
		bool known = false, at_site = arch_syscall_ending_at(&seen.uc, &sd, &known);
		bool elsewhere, unmapped;

		tap_ok(at_site && sd.arch == ARCH_AUDIT_NATIVE &&
		       sd.instruction_pointer == (unsigned long)test_raw_syscall_ret &&
		       sd.args[1] == (unsigned long)tid && sd.args[2] == SIGUSR1 &&
		       (!known || sd.nr == SYS_tgkill),
		       "arch_syscall_ending_at finds the syscall the signal came on (number %d%s)",
		       sd.nr, known ? "" : ", the register holds its result");
		arch_uc_set_ip(&moved, (unsigned long)test_raw_syscall);
		elsewhere = arch_syscall_ending_at(&moved, &sd, &known);
		arch_uc_set_ip(&moved, 16);
		unmapped = arch_syscall_ending_at(&moved, &sd, &known);
		tap_ok(!elsewhere && !unmapped,
		       "and none at another address of the code, nor at an unmapped one");
	}

	/* the thread pointer */
	tp = arch_thread_pointer();
	pthread_create(&t, NULL, thread_tp, &other_tp);
	pthread_join(t, NULL);
	arch_set_thread_pointer(tp);
	tap_ok(tp && tp == arch_thread_pointer() && other_tp && other_tp != tp,
	       "arch_thread_pointer is per thread (%#lx, another thread %#lx), set keeps it", tp, other_tp);

	/* the kernel's sigreturn trampoline, where signals return without SA_RESTORER */
	if (!vdso_sym) {
		tap_skip("no vDSO sigreturn on this architecture", "vDSO sigreturn symbol");
		tap_skip("no vDSO sigreturn on this architecture", "handlers return into the vDSO range");
	} else if (!getauxval(AT_SYSINFO_EHDR)) {
		tap_skip("no vDSO (QEMU-user)", "vDSO sigreturn symbol");
		tap_skip("no vDSO (QEMU-user)", "handlers return into the vDSO range");
	} else {
		unsigned long at = sud_vdso_symbol(vdso_sym, vdso_ver);
		unsigned long r = (unsigned long)seen.ret_addr;

		tap_ok(at != 0, "the vDSO has %s@%s (%#lx)", vdso_sym, vdso_ver, at);
		tap_ok(at && r - at < vdso_span,
		       "a handler returns into [sym, sym + %lu) (to %#lx)", vdso_span, r);
	}
	return tap_done();
}
