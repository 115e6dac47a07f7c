// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The pristine helper thread.
 *
 * It is created before the process's first filter, so it has none, and it
 * keeps the no_new_privs of its creator. Armed threads hand it the syscalls
 * that create or replace a task (clone, clone3, fork, vfork, execve,
 * execveat): what it creates starts with no filter and the original
 * no_new_privs, as under native SUD. The child then takes on the caller's
 * registers, thread pointer, signal mask and stack (shim/child.c).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include <linux/sched.h>

#include "pristine.h"
#include "child.h"
#include "state.h"
#include "usercopy.h"
#include "arch-api.h"

struct request {
	struct request *next;
	int nr;
	unsigned long a[6];
	ucontext_t *uc;
	unsigned long tp;
	uint64_t sigmask;
	char comm[16];
	long result;
	int done;
};

static struct {
	struct request *queue;
	int seq;
	unsigned long tp;
} helper;

static void futex_wait(int *word, int val)
{
	sud_sys4(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL);
}

static void futex_wake(int *word)
{
	sud_sys3(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1);
}

static long run_exec(struct request *r)
{
	uint64_t all = ~0ull, mask = r->sigmask;
	long ret;

	/* the new image inherits the mask of the thread that execs */
	sud_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &mask, NULL, sizeof(mask));
	ret = sud_tramp_syscall(r->nr, (long)r->a[0], (long)r->a[1], (long)r->a[2],
				(long)r->a[3], (long)r->a[4], 0);
	sud_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, sizeof(all));
	return ret;
}

/*
 * The rules every creating call shares. A stack that is the caller's own
 * is no new stack: glibc's vfork() on arm64 and riscv is
 * clone(CLONE_VM|CLONE_VFORK|SIGCHLD, sp) on its own sp. A child that
 * would share memory and run on the caller's stack gets a copy instead
 * (CLONE_VFORK kept): it would overwrite the caller's SIGSYS frame.
 * Threads keep sharing.
 */
static void normalize_clone(struct sud_child *c, unsigned long caller_sp)
{
	if (c->sp == caller_sp)
		c->sp = 0;
	if ((c->flags & CLONE_VM) && !c->sp && !(c->flags & (CLONE_THREAD | CLONE_SIGHAND)))
		c->flags &= ~(unsigned long)CLONE_VM;
}

static long run_clone(struct request *r)
{
	struct sud_child c = {
		.uc = r->uc,
		.tp = r->tp,
		.helper_tp = helper.tp,
		.sigmask = r->sigmask,
	};
	const int *nrs = sud_proc.nr;
	long nr = r->nr, a[5] = { (long)r->a[0], (long)r->a[1], (long)r->a[2],
				  (long)r->a[3], (long)r->a[4] };
	struct clone_args args;
	long ret;

	memcpy(c.comm, r->comm, sizeof(c.comm));
	if (nr == nrs[SUD_SYS_fork]) {
		c.flags = SIGCHLD;
	} else if (nr == nrs[SUD_SYS_vfork] || nr == nrs[SUD_SYS_clone]) {
		if (nr == nrs[SUD_SYS_vfork]) {
			/* vfork() is this clone, on the caller's stack */
			nr = nrs[SUD_SYS_clone];
			a[1] = a[2] = a[3] = a[4] = 0;
			c.flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
		} else {
			c.flags = r->a[0];
			c.sp = r->a[1];
			if (c.flags & CLONE_SETTLS)
				c.tls = r->a[ARCH_CLONE_TLS_ARG];
		}
		normalize_clone(&c, arch_uc_sp(r->uc));
		a[0] = (long)c.flags;
		/* a child with memory of its own starts on its copy of the helper's stack */
		if (!(c.flags & CLONE_VM))
			a[1] = 0;
	} else {
		size_t size = r->a[1] < sizeof(args) ? r->a[1] : sizeof(args);

		memset(&args, 0, sizeof(args));
		if (size < CLONE_ARGS_SIZE_VER0)
			return -EINVAL;
		if (sud_copy_from_user(&args, (void *)r->a[0], size))
			return -EFAULT;
		c.flags = args.flags;
		if (args.stack)
			c.sp = args.stack + args.stack_size;
		if (c.flags & CLONE_SETTLS)
			c.tls = args.tls;
		normalize_clone(&c, arch_uc_sp(r->uc));
		args.flags = c.flags;
		if (!(c.flags & CLONE_VM))
			args.stack = args.stack_size = 0;
		a[0] = (long)&args;
		a[1] = (long)size;
	}
	ret = sud_arch_clone(nr, a[0], a[1], a[2], a[3], a[4], &c);
	/* a child sharing memory reads the caller's frame: wait until it has */
	if (ret > 0 && (c.flags & CLONE_VM))
		while (!__atomic_load_n(&c.consumed, __ATOMIC_ACQUIRE))
			futex_wait(&c.consumed, 0);
	return ret;
}

static void *helper_main(void *unused)
{
	(void)unused;
	helper.tp = arch_thread_pointer();
	for (;;) {
		int seen = __atomic_load_n(&helper.seq, __ATOMIC_ACQUIRE);
		struct request *r = __atomic_exchange_n(&helper.queue, NULL, __ATOMIC_ACQ_REL);

		if (!r) {
			futex_wait(&helper.seq, seen);
			continue;
		}
		while (r) {
			struct request *next = r->next;
			bool exec = r->nr == sud_proc.nr[SUD_SYS_execve] ||
				    r->nr == sud_proc.nr[SUD_SYS_execveat];

			r->result = exec ? run_exec(r) : run_clone(r);
			__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
			futex_wake(&r->done);
			r = next;
		}
	}
	return NULL;
}

int sud_pristine_start(void)
{
	long pid = sud_sys0(SYS_getpid);
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t t;
	int rc;

	if (sud_proc.helper_pid == pid)
		return 0;
	memset(&helper, 0, sizeof(helper));
	sigfillset(&all);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&t, &attr, helper_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (rc)
		return -rc;
	sud_proc.helper_pid = pid;
	return 0;
}

long sud_pristine_lifecycle(int nr, const unsigned long a[6], ucontext_t *uc)
{
	struct request r = { .nr = nr, .uc = uc, .tp = arch_thread_pointer() };
	struct request *head;

	memcpy(r.a, a, sizeof(r.a));
	r.sigmask = sud_uc_mask(uc) | (sud_self.sigsys_blocked ? sud_sigbit(SIGSYS) : 0);
	sud_sys2(SYS_prctl, PR_GET_NAME, r.comm);
	head = __atomic_load_n(&helper.queue, __ATOMIC_RELAXED);
	do {
		r.next = head;
	} while (!__atomic_compare_exchange_n(&helper.queue, &head, &r, true,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	__atomic_add_fetch(&helper.seq, 1, __ATOMIC_RELEASE);
	futex_wake(&helper.seq);
	while (!__atomic_load_n(&r.done, __ATOMIC_ACQUIRE))
		futex_wait(&r.done, 0);
	return r.result;
}
