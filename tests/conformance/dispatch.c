// SPDX-License-Identifier: LGPL-2.1-or-later
/* The prctl's arguments, the dispatch decision, siginfo and registers. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch.h"
#include "conformance.h"

#define RET ((unsigned long)test_raw_syscall_ret)

static void prctl_arguments(void)
{
	static const struct {
		unsigned long op, offset, len, selector;
	} calls[] = {
		{ 0, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 0x1000 },
		{ 1, 0, 0, 1 }, { 1, 0, ~0ul, 0 }, { 1, 0x1000, 0, 0 }, { 1, 5, ~0ul, 0 },
		{ 1, ~0ul - 15, 0x10, 0 }, { 1, 0, ~0ul, ~0ul }, { 1, 0, ~0ul, 1ul << 63 },
		{ 3, 0, 0, 0 }, { ~0ul, 0, 0, 0 },
	};

	install_recorder(0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	for (unsigned int i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		/* selector 1 stands for a real one at ALLOW; bad selectors come with the range (0, -1) */
		volatile char *sel = calls[i].selector == 1 ? &selector : (volatile char *)calls[i].selector;
		int err = arm(calls[i].op, calls[i].offset, calls[i].len, sel);

		note("prctl(59, %lu, %#lx, %#lx, %#lx) = %s", calls[i].op, calls[i].offset,
		     calls[i].len, calls[i].selector, err ? (err == EINVAL ? "EINVAL" :
		     err == EFAULT ? "EFAULT" : "other error") : "0");
		arm(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
	}
	CHECK(arm(1, 0, ~0ul, &selector) == 0);
	CHECK(arm(0, 0, 0, NULL) == 0);
}

/*
 * access_ok(selector, 1) at the top of the 47-bit user half, where the
 * kernel's rule changed between releases (6.1: below TASK_SIZE_MAX,
 * 6.18: up to it). The range (0, -1) keeps the unmapped selector unread.
 */
static void selector_bounds(void)
{
	static const unsigned long sels[] = {
		0x7fffffffefff, 0x7ffffffff000, 0x7ffffffff001, 0x7fffffffffff,
		0x800000000000, 0xffffffff81000000,
	};

	install_recorder(0);
	for (unsigned int i = 0; i < sizeof(sels) / sizeof(sels[0]); i++) {
		int err = arm(PR_SYS_DISPATCH_ON, 0, ~0ul, (volatile char *)sels[i]);

		CHECK(arm(PR_SYS_DISPATCH_OFF, 0, 0, NULL) == 0);
		note("selector %#lx: %s", sels[i], err ? (err == EFAULT ? "EFAULT" : "other error") :
		     "0");
	}
	CHECK(last_sigsys.count == 0);
}

#define FOREIGN(nr, a, b, c) test_foreign_syscall((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)


/*
 * The foreign ABI (i386 by int $0x80 on x86-64): at ALLOW its syscalls run
 * as that ABI's, at BLOCK they are dispatched with its si_arch and numbers.
 * The i386 ABI takes 32-bit pointers, hence a buffer below 4 GiB.
 */
static void foreign_abi_syscalls(void)
{
	pid_t pid = getpid(), ppid = getppid();
	struct utsname want, *got;
	char *low, back[8];
	int fds[2];
	long ret;

	need_foreign_abi();
	low = mmap((void *)0x10000000ul, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(low == (void *)0x10000000ul);
	/* non-blocking: a write that did not happen must not hang the read */
	CHECK(pipe2(fds, O_NONBLOCK) == 0);
	CHECK(uname(&want) == 0);
	memcpy(low, "int80", 5);
	got = (struct utsname *)(low + 64);

	install_recorder(0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	note("ALLOW: i386 getpid %s", FOREIGN(20, 0, 0, 0) == pid ? "is the pid" : "failed");
	note("ALLOW: i386 getppid %s", FOREIGN(64, 0, 0, 0) == ppid ? "is the ppid" : "failed");
	ret = FOREIGN(4, fds[1], low, 5);
	note("ALLOW: i386 write to a pipe = %ld, read back %s", ret,
	     read(fds[0], back, sizeof(back)) == 5 && !memcmp(back, "int80", 5) ? "the bytes" :
	     "something else");
	ret = FOREIGN(122, got, 0, 0);
	note("ALLOW: i386 uname = %ld, %s", ret, !strcmp(got->sysname, want.sysname) &&
	     !strcmp(got->release, want.release) ? "as uname(2)" : "different");
	note("ALLOW: i386 close(-1) = %ld", FOREIGN(6, -1, 0, 0));
	/* special_syscalls.h's SUD_ABI_NATIVE lines still run in the foreign ABI */
	note("ALLOW: i386 rt_sigpending = %ld", FOREIGN(176, low + 32, 8, 0));
	note("ALLOW: i386 syscall 1000 = %ld", FOREIGN(1000, 0, 0, 0));
	CHECK(last_sigsys.count == 0);

	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = FOREIGN(20, 0x11, 0x22, 0x33);
	CHECK(ret == EMULATED_RETURN);
	CHECK(last_sigsys.count == 1);
	CHECK(last_sigsys.code == SYS_USER_DISPATCH);
	CHECK(last_sigsys.call_addr == (unsigned long)test_foreign_syscall_ret);
	note("BLOCK: i386 getpid returned %#lx, si_arch %#x, si_syscall %d", ret, last_sigsys.arch,
	     last_sigsys.nr);
	CHECK(last_sigsys.arch == test_foreign_audit_arch && last_sigsys.nr == 20);

	/* from the allowed range it runs at BLOCK too */
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, (unsigned long)test_foreign_syscall_ret - 1, 2, &selector) == 0);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = FOREIGN(20, 0, 0, 0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	note("allowed range, BLOCK: i386 getpid %s", ret == pid ? "is the pid" : "failed");
	CHECK(last_sigsys.count == 1);
}

/* i386's compat layouts (include/linux/compat.h) */
struct i386_sigaction {
	uint32_t handler, flags, restorer;
	uint64_t mask;
} __attribute__((packed));

struct i386_stack {
	uint32_t sp;
	int32_t flags;
	uint32_t size;
};

#define I386_FORK		2
#define I386_SIGPROCMASK	126
#define I386_CLONE		120
#define I386_PRCTL		172
#define I386_RT_SIGACTION	174
#define I386_RT_SIGPROCMASK	175
#define I386_SIGALTSTACK	186

static bool blocked_now(int sig)
{
	sigset_t now;

	return !sigprocmask(SIG_BLOCK, NULL, &now) && sigismember(&now, sig) == 1;
}

/* The i386 signal-state and lifecycle syscalls at ALLOW: as the kernel's compat layer runs them. */
static void foreign_abi_special_syscalls(void)
{
	struct i386_sigaction *act, *old;
	struct i386_stack *ss;
	struct sigaction sa;
	uint64_t *set;
	uint32_t *set32;
	char *low, name[16];
	stack_t now;
	int status;
	long ret, child;

	need_foreign_abi();
	low = mmap((void *)0x10000000ul, 65536, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(low == (void *)0x10000000ul);
	act = (struct i386_sigaction *)low;
	old = (struct i386_sigaction *)(low + 64);
	ss = (struct i386_stack *)(low + 128);
	set = (uint64_t *)(low + 192);
	set32 = (uint32_t *)(low + 200);

	install_recorder(0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);

	*set = 1ull << (SIGUSR1 - 1) | 1ull << (SIGSYS - 1);
	ret = test_foreign_syscall(I386_RT_SIGPROCMASK, SIG_BLOCK, (long)set, (long)(set + 1), 8, 0,
				   0);
	note("i386 rt_sigprocmask(SIG_BLOCK, USR1|SYS) = %ld: USR1 %d SYS %d", ret,
	     blocked_now(SIGUSR1), blocked_now(SIGSYS));
	CHECK(ret == 0 && blocked_now(SIGUSR1) && blocked_now(SIGSYS));
	note("a syscall at ALLOW with SIGSYS blocked runs: %d", RAW0(SYS_getppid) == getppid());
	ret = test_foreign_syscall(I386_RT_SIGPROCMASK, SIG_UNBLOCK, (long)set, 0, 8, 0, 0);
	note("i386 rt_sigprocmask(SIG_UNBLOCK) = %ld: USR1 %d SYS %d", ret, blocked_now(SIGUSR1),
	     blocked_now(SIGSYS));
	CHECK(ret == 0 && !blocked_now(SIGUSR1) && !blocked_now(SIGSYS));
	*set32 = 1u << (SIGUSR2 - 1);
	ret = test_foreign_syscall(I386_SIGPROCMASK, SIG_BLOCK, (long)set32, (long)(set32 + 1), 0,
				   0, 0);
	note("i386 sigprocmask(SIG_BLOCK, USR2) = %ld: USR2 %d", ret, blocked_now(SIGUSR2));
	CHECK(ret == 0 && blocked_now(SIGUSR2));

	memset(old, 0, sizeof(*old));
	ret = test_foreign_syscall(I386_RT_SIGACTION, SIGSYS, 0, (long)old, 8, 0, 0);
	CHECK(sigaction(SIGSYS, NULL, &sa) == 0);
	note("i386 rt_sigaction(SIGSYS) read = %ld: the handler's low bits %d, SA_SIGINFO %d", ret,
	     old->handler == (uint32_t)(uintptr_t)sa.sa_sigaction, !!(old->flags & SA_SIGINFO));
	CHECK(ret == 0 && old->handler == (uint32_t)(uintptr_t)sa.sa_sigaction);
	memset(act, 0, sizeof(*act));
	act->handler = (uint32_t)(uintptr_t)SIG_IGN;
	act->mask = 1ull << (SIGSYS - 1) | 1ull << (SIGUSR2 - 1);
	ret = test_foreign_syscall(I386_RT_SIGACTION, SIGUSR1, (long)act, 0, 8, 0, 0);
	CHECK(sigaction(SIGUSR1, NULL, &sa) == 0);
	note("i386 rt_sigaction(SIGUSR1, SIG_IGN) = %ld: ignored %d, sa_mask SYS %d USR2 %d", ret,
	     sa.sa_handler == SIG_IGN, sigismember(&sa.sa_mask, SIGSYS),
	     sigismember(&sa.sa_mask, SIGUSR2));
	CHECK(ret == 0 && sa.sa_handler == SIG_IGN && sigismember(&sa.sa_mask, SIGSYS) == 1);
	ret = test_foreign_syscall(I386_RT_SIGACTION, SIGUSR1, 0, (long)old, 8, 0, 0);
	note("i386 rt_sigaction(SIGUSR1) read = %ld: mask as set %d", ret, old->mask == act->mask);
	CHECK(ret == 0 && old->mask == act->mask);

	ss->sp = 0x10008000u;
	ss->flags = 0;
	ss->size = 16384;
	ret = FOREIGN(I386_SIGALTSTACK, ss, 0, 0);
	CHECK(sigaltstack(NULL, &now) == 0);
	note("i386 sigaltstack = %ld: sp %d size %d", ret, now.ss_sp == (void *)0x10008000ul,
	     now.ss_size == 16384);
	CHECK(ret == 0 && now.ss_sp == (void *)0x10008000ul && now.ss_size == 16384);

	CHECK(prctl(PR_SET_NAME, "i386-name") == 0);
	ret = FOREIGN(I386_PRCTL, PR_GET_NAME, low + 256, 0);
	memcpy(name, low + 256, sizeof(name));
	name[15] = 0;
	note("i386 prctl(PR_GET_NAME) = %ld: %s", ret, name);
	CHECK(ret == 0 && !strcmp(name, "i386-name"));

	child = FOREIGN(I386_FORK, 0, 0, 0);
	if (child == 0)
		_exit(7);
	ret = child > 0 && waitpid((pid_t)child, &status, 0) == child && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 7;
	note("i386 fork: %s", ret ? "a child that exited 7" : "failed");
	CHECK(ret);
	child = test_foreign_syscall(I386_CLONE, SIGCHLD, 0, 0, 0, 0, 0);
	if (child == 0)
		_exit(8);
	ret = child > 0 && waitpid((pid_t)child, &status, 0) == child && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 8;
	note("i386 clone(SIGCHLD): %s", ret ? "a child that exited 8" : "failed");
	CHECK(ret);
	CHECK(last_sigsys.count == 0);
}

#define I386_EXECVE		11
#define I386_EXECVEAT		358

/* Copy @s into the low mapping at *@at; its 32-bit address. */
static uint32_t low_string(char **at, const char *s)
{
	uint32_t where = (uint32_t)(uintptr_t)*at;

	strcpy(*at, s);
	*at += strlen(s) + 1;
	return where;
}

/*
 * i386 execve and execveat at ALLOW, from the armed thread: a missing file
 * and an unreadable argv fail as the kernel's compat_execve() fails, and a
 * real image starts clean (it checks that itself, --status-expect).
 */
static void foreign_abi_exec(void)
{
	char before[128], *low, *strings;
	uint32_t *argv, *envp, self, nowhere;
	extern char **environ;
	long missing, badargv, missing_at;

	need_foreign_abi();
	low = mmap((void *)0x10000000ul, 65536, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(low == (void *)0x10000000ul);
	status_of("self", before, sizeof(before));
	argv = (uint32_t *)low;
	envp = argv + 8;
	strings = low + 4096;
	self = low_string(&strings, "/proc/self/exe");
	nowhere = low_string(&strings, "/nonexistent/sud");
	argv[0] = low_string(&strings, "sud_conformance");
	argv[1] = low_string(&strings, "--status-expect");
	argv[2] = low_string(&strings, before);
	argv[3] = 0;
	/* the environment as it is (the loader's LD_LIBRARY_PATH in a build tree, say) */
	for (int i = 0; environ[i] && i < 1000 && strings + strlen(environ[i]) < low + 65536; i++) {
		envp[i] = low_string(&strings, environ[i]);
		envp[i + 1] = 0;
	}

	install_recorder(0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	missing = FOREIGN(I386_EXECVE, nowhere, argv, envp);
	badargv = FOREIGN(I386_EXECVE, self, 0x1000, envp);
	missing_at = test_foreign_syscall(I386_EXECVEAT, AT_FDCWD, nowhere, (long)argv, (long)envp, 0,
					  0);
	note("i386 execve: missing file %ld, unreadable argv %ld; execveat: missing file %ld",
	     missing, badargv, missing_at);
	CHECK(missing == -ENOENT && badargv == -EFAULT && missing_at == -ENOENT);
	CHECK(last_sigsys.count == 0);
	/* the new image exits 0 only if its status is what it was before arming */
	FOREIGN(I386_EXECVE, self, argv, envp);
	CHECK(!"i386 execve returned");
}

/* struct user_desc, as i386's set_thread_area() and CLONE_SETTLS take it */
struct i386_user_desc {
	uint32_t entry_number, base_addr, limit, flags;
};

#define I386_GET_THREAD_AREA	244
#define I386_CLONE3		435

/*
 * i386 clone and clone3 with CLONE_SETTLS at ALLOW: the child has the
 * descriptor in its GDT entry and the caller's thread pointer, the caller
 * keeps its own entry, and a bad descriptor fails the call as the kernel's
 * do_set_thread_area() does.
 */
static void foreign_abi_clone_settls(void)
{
	struct i386_user_desc *desc, *read;
	uint64_t *args;
	char *low;
	long child, bad_entry, bad_ptr, ret;
	int status, ok[2];

	need_foreign_abi();
	low = mmap((void *)0x10000000ul, 65536, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(low == (void *)0x10000000ul);
	desc = (struct i386_user_desc *)low;
	read = desc + 1;
	args = (uint64_t *)(low + 256);

	install_recorder(0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	/* entry 13, base 0x12345000, limit 0xfff, 32-bit, limit in pages: a usable data segment */
	*desc = (struct i386_user_desc){ 13, 0x12345000u, 0xfff, 0x1 | 0x10 };
	for (int k = 0; k < 2; k++) {
		if (k == 0) {
			child = test_foreign_syscall(I386_CLONE, SIGCHLD | CLONE_SETTLS, 0, 0,
						     (long)desc, 0, 0);
		} else {
			memset(args, 0, 88);
			args[0] = CLONE_SETTLS;		/* flags */
			args[4] = SIGCHLD;		/* exit_signal */
			args[7] = (uint64_t)(uintptr_t)desc;	/* tls */
			child = test_foreign_syscall(I386_CLONE3, (long)args, 64, 0, 0, 0, 0);
		}
		if (child == 0) {
			read->entry_number = 13;
			ret = test_foreign_syscall(I386_GET_THREAD_AREA, (long)read, 0, 0, 0, 0, 0);
			_exit(ret == 0 && read->base_addr == 0x12345000u && read->limit == 0xfff ? 0 : 1);
		}
		ok[k] = child > 0 && waitpid((pid_t)child, &status, 0) == child && WIFEXITED(status) &&
			WEXITSTATUS(status) == 0;
	}
	read->entry_number = 13;
	ret = test_foreign_syscall(I386_GET_THREAD_AREA, (long)read, 0, 0, 0, 0, 0);
	note("i386 clone(CLONE_SETTLS): the child has the entry %d; clone3: %d; "
	     "the caller's entry 13 stays empty: %d", ok[0], ok[1], ret == 0 && read->base_addr == 0);
	CHECK(ok[0] && ok[1] && ret == 0 && read->base_addr == 0);
	desc->entry_number = (uint32_t)-1;
	bad_entry = test_foreign_syscall(I386_CLONE, SIGCHLD | CLONE_SETTLS, 0, 0, (long)desc, 0, 0);
	bad_ptr = test_foreign_syscall(I386_CLONE, SIGCHLD | CLONE_SETTLS, 0, 0, 0x1000, 0, 0);
	note("entry -1: %ld; an unreadable descriptor: %ld", bad_entry, bad_ptr);
	CHECK(bad_entry == -EINVAL && bad_ptr == -EFAULT);
	CHECK(last_sigsys.count == 0);
}

/*
 * A first argument that is a restart code (-ERESTARTSYS, -ERESTARTNOINTR,
 * -ERESTARTNOHAND, -ERESTART_RESTARTBLOCK) reaches the handler unchanged,
 * with the instruction pointer after the syscall, with and without
 * SA_RESTART: where the return register is the first argument (arm64, riscv)
 * the kernel's delivery reads it as a request to restart or to fail with
 * EINTR, and a careless emulation lets that through.
 */
static volatile long restart_arg;
static volatile unsigned long restart_ip;

static void restart_code_recorder(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;
	unsigned long a[6];

	(void)sig;
	(void)info;
	arch_uc_args(uc, a);
	restart_arg = (long)a[0];
	restart_ip = arch_uc_ip(uc);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	arch_uc_set_return(uc, EMULATED_RETURN);
}

static void restart_codes_reach_the_handler(void)
{
	static const long codes[] = { -512, -513, -514, -516 };
	int unchanged = 0;

	for (int restart = 0; restart < 2; restart++) {
		install_sigsys(restart_code_recorder, restart ? SA_RESTART : 0);
		CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
		for (int k = 0; k < 4; k++) {
			long ret;

			restart_arg = 0;
			restart_ip = 0;
			selector = SYSCALL_DISPATCH_FILTER_BLOCK;
			ret = test_raw_syscall(SYS_getppid, codes[k], 0x22, 0x33, 0, 0, 0);
			if (ret == EMULATED_RETURN && restart_arg == codes[k] &&
			    restart_ip == (unsigned long)test_raw_syscall_ret)
				unchanged++;
			else
				note("%ld%s: returned %ld, the handler saw %ld at the return address %d",
				     codes[k], restart ? " with SA_RESTART" : "", ret, restart_arg,
				     restart_ip == (unsigned long)test_raw_syscall_ret);
		}
		CHECK(arm(PR_SYS_DISPATCH_OFF, 0, 0, NULL) == 0);
	}
	note("%d of 8 restart codes reached the handler unchanged", unchanged);
	CHECK(unchanged == 8);
}

static void dispatch_siginfo_and_registers(void)
{
	long ret;

	install_recorder(0);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = test_raw_syscall(SYS_getppid, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66);
	CHECK(ret == EMULATED_RETURN);
	CHECK(last_sigsys.count == 1);
	CHECK(last_sigsys.signo == SIGSYS);
	CHECK(last_sigsys.code == SYS_USER_DISPATCH);
	CHECK(last_sigsys.err == 0);
	CHECK(last_sigsys.nr == SYS_getppid);
	CHECK(last_sigsys.arch == ARCH_AUDIT_NATIVE);
	CHECK(last_sigsys.call_addr == RET);
	for (int i = 0; i < 6; i++)
		CHECK(last_sigsys.args[i] == 0x11ul * (unsigned long)(i + 1));
	note("returned %#lx, si_code %d, si_errno %d", ret, last_sigsys.code, last_sigsys.err);
}

static const char *outcome(unsigned long op, unsigned long offset, unsigned long len)
{
	int before = last_sigsys.count;
	long ret;

	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	if (arm(op, offset, len, &selector))
		return "prctl failed";
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ret = RAW0(SYS_getppid);
	if (last_sigsys.count == before + 1 && ret == EMULATED_RETURN)
		return "dispatched";
	if (last_sigsys.count == before && ret == getppid())
		return "ran";
	return "inconsistent";
}

static void allowed_range_boundaries(void)
{
	static const struct {
		unsigned long op;
		long start, len;
	} ranges[] = {
		{ 1, 0, 1 }, { 1, 1, 16 }, { 1, -16, 16 }, { 1, -16, 17 }, { 1, -4096, 8192 },
	};

	install_recorder(0);
	for (unsigned int i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		note("%s [ret%+ld, +%ld): %s", ranges[i].op == 1 ? "exclusive" : "inclusive",
		     ranges[i].start, ranges[i].len,
		     outcome(ranges[i].op, RET + (unsigned long)ranges[i].start,
			     (unsigned long)ranges[i].len));
	note("exclusive (0, -1): %s", outcome(1, 0, ~0ul));
	note("exclusive (0, 0): %s", outcome(1, 0, 0));
}

static void selector_states(void)
{
	install_recorder(0);
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	note("ALLOW: %s", RAW0(SYS_getppid) == EMULATED_RETURN ? "dispatched" : "ran");
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	note("BLOCK: %s", RAW0(SYS_getppid) == EMULATED_RETURN ? "dispatched" : "ran");
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_OFF, 0, 0, NULL) == 0);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	note("disarmed, BLOCK: %s", RAW0(SYS_getppid) == EMULATED_RETURN ? "dispatched" : "ran");
	CHECK(last_sigsys.count == 1);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
}

static void bad_selector_value_kills(void)
{
	install_recorder(0);
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	selector = 2;
	RAW0(SYS_getppid);
	note("survived");
}

static void ignore_segv(int sig)
{
	(void)sig;
}

static void unreadable_selector_kills(void)
{
	char *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	install_recorder(0);
	/* force_exit_sig: not even a handler can catch it */
	signal(SIGSEGV, ignore_segv);
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, page) == 0);
	RAW0(SYS_getppid);
	note("survived");
}

static void many_dispatches(void)
{
	int n = 20000, ok = 0;

	install_recorder(0);
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &selector) == 0);
	for (int i = 0; i < n; i++) {
		selector = SYSCALL_DISPATCH_FILTER_BLOCK;
		ok += RAW0(SYS_getppid) == EMULATED_RETURN;
	}
	CHECK(ok == n && last_sigsys.count == n);
	note("%d of %d dispatched", ok, n);
}

static void rearm_replaces_everything(void)
{
	static volatile char other;

	install_recorder(0);
	CHECK(arm(PR_SYS_DISPATCH_ON, RET - 1, 2, &selector) == 0);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	note("first range: %s", RAW0(SYS_getppid) == EMULATED_RETURN ? "dispatched" : "ran");
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	other = SYSCALL_DISPATCH_FILTER_ALLOW;
	CHECK(arm(PR_SYS_DISPATCH_ON, 0, 0, &other) == 0);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	note("new selector ALLOW, old BLOCK: %s",
	     RAW0(SYS_getppid) == EMULATED_RETURN ? "dispatched" : "ran");
	other = SYSCALL_DISPATCH_FILTER_BLOCK;
	note("new selector BLOCK: %s", RAW0(SYS_getppid) == EMULATED_RETURN ? "dispatched" : "ran");
	other = SYSCALL_DISPATCH_FILTER_ALLOW;
}

/* PR_SYS_DISPATCH_INCLUSIVE_ON came in 6.17: an older native SUD skips this case. */
static void inclusive_mode(void)
{
	static const struct {
		unsigned long offset, len;
	} bad[] = { { 0x1000, 0 }, { ~0ul - 5, 0x10 }, { ~0ul - 15, 0x10 } };
	static const struct {
		long start, len;
	} ranges[] = { { 0, 1 }, { 1, 16 }, { -16, 16 }, { -16, 17 } };

	if (sudcompat_backend() == SUDCOMPAT_BACKEND_NATIVE &&
	    arm(PR_SYS_DISPATCH_INCLUSIVE_ON, 0, 1, NULL) == EINVAL)
		skip_case("this kernel's SUD has no PR_SYS_DISPATCH_INCLUSIVE_ON");
	arm(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
	install_recorder(0);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		note("inclusive (%#lx, %#lx): %s", bad[i].offset, bad[i].len,
		     arm(PR_SYS_DISPATCH_INCLUSIVE_ON, bad[i].offset, bad[i].len, NULL) == EINVAL ?
		     "EINVAL" : "accepted");
	for (unsigned int i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		note("inclusive [ret%+ld, +%ld): %s", ranges[i].start, ranges[i].len,
		     outcome(PR_SYS_DISPATCH_INCLUSIVE_ON, RET + (unsigned long)ranges[i].start,
			     (unsigned long)ranges[i].len));
	/* no selector: only the range exempts; the handler's return lies outside it */
	CHECK(arm(PR_SYS_DISPATCH_INCLUSIVE_ON, RET - 1, 2, NULL) == 0);
	note("no selector: %s", RAW0(SYS_getppid) == EMULATED_RETURN ? "dispatched" : "ran");
}

const struct sud_case dispatch_cases[] = {
	SUD_CASE(inclusive_mode, 0),
	SUD_CASE(prctl_arguments, 0),
	SUD_CASE(selector_bounds, 0),
	SUD_CASE(dispatch_siginfo_and_registers, 0),
	SUD_CASE(foreign_abi_syscalls, 0),
	SUD_CASE(foreign_abi_special_syscalls, 0),
	SUD_CASE(foreign_abi_exec, 0),
	SUD_CASE(foreign_abi_clone_settls, 0),
	SUD_CASE(restart_codes_reach_the_handler, 0),
	SUD_CASE(allowed_range_boundaries, 0),
	SUD_CASE(selector_states, 0),
	SUD_CASE(bad_selector_value_kills, SIGSYS),
	SUD_CASE(unreadable_selector_kills, SIGSEGV),
	SUD_CASE(many_dispatches, 0),
	SUD_CASE(rearm_replaces_everything, 0),
};
const int n_dispatch_cases = sizeof(dispatch_cases) / sizeof(dispatch_cases[0]);
