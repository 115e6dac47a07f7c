// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The pristine helper thread.
 *
 * It is created before the process's first filter, so it has none. Armed
 * threads hand it the syscalls that create or replace a task (clone, clone3,
 * fork, vfork, execve, execveat): what it creates starts with no filter of
 * the library's, as under native SUD. The child then takes on the caller's
 * per-thread attributes and credentials (shim/inherit.c), registers, thread
 * pointer, signal mask and stack (shim/child.c). An execve is issued by a
 * stand-in thread that has become the caller, so that a failure leaves the
 * helper as it was (docs/design.md, "Clean children").
 */
#include <errno.h>
#include <fcntl.h>
#include <ucontext.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include <linux/sched.h>

#include "pristine.h"
#include "app_filters.h"
#include "child.h"
#include "dropped_trap.h"
#include "inherit.h"
#include "signal_state.h"
#include "spinlock.h"
#include "state.h"
#include "usercopy.h"
#include "arch-api.h"

struct request {
	struct request *next;
	int nr;
	bool exec;
	long tid;
	siginfo_t *pending;		/* exec: the caller's thread-directed pending signals, taken */
	int npending;
	unsigned long a[6];
	ucontext_t *uc;
	unsigned long tp;
	uint64_t sigmask;
	char comm[16];
	struct sud_inherit inherit;	/* the caller's attributes, read in its context */
	bool on_callers_stack;		/* a vfork: the child shares memory and the caller's stack */
	long unrecorded_filters;	/* the caller's filters from before it armed */
	long result;
	int done;
};

/*
 * Where a thread that vforks waits (vfork_wait()): its child shares its
 * memory and runs on its stack, below the application's stack pointer,
 * where the library's SIGSYS frame and handler are; so the caller's
 * context is saved here first, and the caller waits on a stack of its own.
 */
#define VFORK_STACK	(64 * 1024)

struct vfork_area {
	char stack[VFORK_STACK];
	ucontext_t uc, entry;
	char fpstate[ARCH_SIGFRAME_MAX] __attribute__((aligned(64)));
	char frame[ARCH_SIGFRAME_MAX] __attribute__((aligned(64)));
	struct request r;
};

#define STANDIN_STACK	(64 * 1024)

static struct {
	struct request *queue;
	int seq;
	unsigned long tp;
	/* the helper's own attributes, and what a request's new task is to have */
	struct sud_inherit self, target;
	char *standin_stack;		/* kept across a fork: the child's copy is its own */
	int standin_tid;		/* the stand-in's, cleared by the kernel when it has exited */
} helper;

static void futex_wait(int *word, int val)
{
	sud_sys4(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL);
}

static void futex_wake(int *word)
{
	sud_sys3(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1);
}

static char *map_stack(size_t size)
{
	long at = sud_tramp_syscall(SYS_mmap, 0, (long)size, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

	return sud_is_error(at) ? NULL : (char *)at;
}

/*
 * A stand-in: a thread of the helper's, on the helper's spare stack, that
 * takes on the caller's attributes (shim/child.c) and then either reports
 * whether that worked (SUD_CHILD_PROBE) or execs (SUD_CHILD_EXEC). The
 * helper itself never changes: a task cannot regain dropped credentials,
 * so a failed exec, or a probe, must not happen in the helper. Its result,
 * once the kernel has cleared standin_tid at its exit.
 */
static long run_standin(struct sud_child *c)
{
	struct clone_args args = {
		.flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			 CLONE_SYSVSEM | CLONE_CHILD_CLEARTID,
		.child_tid = (uintptr_t)&helper.standin_tid,
		.stack = (uintptr_t)helper.standin_stack,
		.stack_size = STANDIN_STACK,
	};
	long ret;
	int tid;

	if (!helper.standin_stack)
		return -ENOMEM;
	c->result = -ECHILD;
	__atomic_store_n(&helper.standin_tid, -1, __ATOMIC_RELAXED);
	ret = sud_arch_clone(SYS_clone3, (long)&args, sizeof(args), 0, 0, 0, c);
	if (ret < 0)
		return ret;
	/* the kernel's wake at a thread's exit is a shared futex's */
	while ((tid = __atomic_load_n(&helper.standin_tid, __ATOMIC_ACQUIRE)) != 0)
		sud_sys4(SYS_futex, &helper.standin_tid, FUTEX_WAIT, tid, NULL);
	return __atomic_load_n(&c->result, __ATOMIC_ACQUIRE);
}

/*
 * Timer slack goes round the call: a child's default slack, which
 * PR_SET_TIMERSLACK 0 restores, is its creator's current one. Anyone may
 * set it, so the helper can put its own back.
 */
static long slack_enter(long want)
{
	long own = sud_sys1(SYS_prctl, PR_GET_TIMERSLACK);

	if (want > 0 && own > 0 && want != own) {
		sud_sys2(SYS_prctl, PR_SET_TIMERSLACK, want);
		return own;
	}
	return 0;
}

static void slack_leave(long own)
{
	if (own)
		sud_sys2(SYS_prctl, PR_SET_TIMERSLACK, own);
}

#define SUD_SCHED_RESET_ON_FORK	0x01ull

/* The helper's own policy and slack again, after slack_zero_enter(). */
static void slack_zero_leave(void)
{
	struct sud_sched_attr own = helper.self.sched;

	own.size = sizeof(own);
	own.flags &= SUD_SCHED_RESET_ON_FORK;
	sud_sys3(SYS_sched_setattr, 0, &own, 0);
	sud_sys2(SYS_prctl, PR_SET_TIMERSLACK, helper.self.timerslack);
}

/*
 * A realtime caller's slack is 0 (6.11 on), which PR_SET_TIMERSLACK cannot
 * set, and its child's, current and default, is 0 too, a SCHED_OTHER one
 * after SCHED_RESET_ON_FORK included. A realtime task's is 0 by the kernel:
 * the helper becomes one for the clone, resetting on fork, so that its
 * child starts at SCHED_OTHER with slack 0 and takes the caller's policy
 * from there (shim/inherit.c). Where the helper may not, the child has the
 * helper's slack (docs/design.md). true where it did.
 */
static bool slack_zero_enter(const struct sud_inherit *want)
{
	struct sud_sched_attr rt = {
		.size = sizeof(rt), .policy = SCHED_FIFO, .flags = SUD_SCHED_RESET_ON_FORK,
		.priority = 1,
	};

	if (want->timerslack || !helper.self.sched.size || helper.self.timerslack <= 0 ||
	    helper.self.sched.policy != SCHED_OTHER)
		return false;
	if (sud_sys3(SYS_sched_setattr, 0, &rt, 0))
		return false;
	/* a kernel that keeps a realtime task's slack: nothing to gain */
	if (sud_sys1(SYS_prctl, PR_GET_TIMERSLACK) != 0) {
		slack_zero_leave();
		return false;
	}
	return true;
}

/*
 * How the new task of a request gets the caller's attributes: not at all
 * where it would have them anyway (NULL); else it applies them itself, and
 * where that needs privilege a probing stand-in tries first, so that a
 * caller the helper cannot become gets an error instead of a child with
 * other credentials. -errno where the call must fail.
 */
static long prepare_target(const struct sud_inherit **out)
{
	unsigned int d;
	long rc;

	*out = NULL;
	rc = sud_inherit_capture(&helper.self, sud_sys5(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	if (rc)
		return rc;
	d = sud_inherit_differ(&helper.self, &helper.target);
	if (!d)
		return 0;
	if (d & SUD_INHERIT_PRIVILEGED) {
		struct sud_child probe = { .kind = SUD_CHILD_PROBE, .inherit = &helper.target };

		rc = run_standin(&probe);
		if (rc)
			return rc;
	}
	*out = &helper.target;
	return 0;
}

#define STATUS_BUF	8192

/* A number of the calling thread's /proc/thread-self/status, in @base; @fallback where there is none. */
static uint64_t status_number(const char *key, int base, uint64_t fallback)
{
	long buf = sud_tramp_syscall(SYS_mmap, 0, STATUS_BUF, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t klen = strlen(key);
	uint64_t value = fallback;
	long fd, n = 0;

	if (sud_is_error(buf))
		return fallback;
	fd = sud_sys4(SYS_openat, AT_FDCWD, "/proc/thread-self/status", O_RDONLY | O_CLOEXEC, 0);
	if (fd >= 0) {
		n = sud_sys3(SYS_read, fd, buf, STATUS_BUF - 1);
		sud_sys1(SYS_close, fd);
	}
	if (n > 0) {
		const char *p = (const char *)buf, *end = p + n;

		((char *)buf)[n] = 0;
		for (; p < end && strncmp(p, key, klen); p = strchr(p, '\n') ? strchr(p, '\n') + 1 : end)
			;
		if (p < end) {
			for (p += klen; p < end && (*p == ' ' || *p == '\t'); p++)
				;
			for (value = 0; p < end; p++) {
				int d = *p >= '0' && *p <= '9' ? *p - '0' :
					*p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;

				if (d < 0 || d >= base)
					break;
				value = value * (uint64_t)base + (uint64_t)d;
			}
		}
	}
	sud_sys2(SYS_munmap, buf, STATUS_BUF);
	return value;
}

/* The thread's own pending set: SigPnd (ShdPnd is the process's). */
static uint64_t thread_pending(void)
{
	return status_number("SigPnd:", 16, 0);
}

/*
 * The caller's filters that neither the library installed nor it recorded
 * (app_filters.c): the ones it had when it armed. The helper, created by
 * the first thread that armed, has that thread's; a thread that installed
 * others before it armed has filters the helper cannot give its children.
 */
static long unrecorded_filters(void)
{
	long n = (long)status_number("Seccomp_filters:", 10, 0);

	n -= sud_self.own_filters;
	for (const struct sud_app_filter *f = sud_self.app_filters; f; f = f->older)
		if (f->kind == SUD_APP_SECCOMP)
			n--;
	return n;
}

/*
 * A new task has the helper's filters and then the recorded ones: no fewer
 * than the caller's, and each recorded one as the caller has it.
 */
static long check_filters(const struct request *r)
{
	long helper_has = (long)status_number("Seccomp_filters:", 10, 0);

	if (!sud_app_filters_reproducible(r->inherit.filters))
		return -EPERM;
	return r->unrecorded_filters > helper_has ? -EPERM : 0;
}

static long run_exec(struct request *r)
{
	struct sud_child c = {
		.kind = SUD_CHILD_EXEC,
		.sigmask = r->sigmask,
		.exec_nr = r->nr,
	};
	struct sud_ksigaction app;
	long rc, slack;

	rc = sud_inherit_check_shared(r->tid);
	if (!rc)
		rc = check_filters(r);
	if (rc)
		return rc;
	memcpy(c.exec_args, r->a, sizeof(c.exec_args));
	sud_sigsys_exchange(NULL, &app);
	c.sigsys_ignored = app.handler == SIG_IGN;
	c.pending = r->pending;
	c.npending = r->npending;
	/*
	 * The stand-in is the new image's thread: it takes the caller's
	 * attributes as they are (exec resets no scheduling), and fails
	 * before the execve where it cannot.
	 */
	helper.target = r->inherit;
	c.inherit = &helper.target;
	/* its default slack is the helper's current one: the caller's default, then its own */
	slack = slack_enter(helper.target.timerslack_default > 0 ? helper.target.timerslack_default :
			    helper.target.timerslack);
	rc = run_standin(&c);
	slack_leave(slack);
	/* a stand-in under the application's filters left a failed execve at once */
	if (rc && c.inherit->filters && c.sigsys_ignored)
		sud_sys4(SYS_rt_sigaction, SIGSYS, &c.sigsys_saved, NULL, sizeof(uint64_t));
	return rc;
}

/*
 * The rules every creating call shares. A stack that is the caller's own
 * is no new stack: glibc's vfork() on arm64 and riscv is
 * clone(CLONE_VM|CLONE_VFORK|SIGCHLD, sp) on its own sp. A child that
 * shares memory and runs on the caller's stack shares it where the caller
 * has left that stack (vfork_wait()); elsewhere it gets a copy (CLONE_VFORK
 * kept), as it would overwrite the caller's SIGSYS frame.
 */
static void normalize_clone(struct sud_child *c, unsigned long caller_sp, bool caller_moved)
{
	if (c->sp == caller_sp)
		c->sp = 0;
	if ((c->flags & CLONE_VM) && !c->sp && !(c->flags & (CLONE_THREAD | CLONE_SIGHAND)) &&
	    !caller_moved)
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
	long ret, slack;
	bool zero;

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
		normalize_clone(&c, arch_uc_sp(r->uc), r->on_callers_stack);
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
		normalize_clone(&c, arch_uc_sp(r->uc), r->on_callers_stack);
		args.flags = c.flags;
		if (!(c.flags & CLONE_VM))
			args.stack = args.stack_size = 0;
		a[0] = (long)&args;
		a[1] = (long)size;
	}
	/*
	 * CLONE_IO shares the creator's I/O context, where its I/O priority is:
	 * the helper's, not the caller's, which no task can join.
	 */
	if (c.flags & CLONE_IO)
		return -EPERM;
	/* what the kernel's sched_fork() makes of the caller's scheduling */
	helper.target = r->inherit;
	ret = sud_inherit_check_shared(r->tid);
	if (!ret)
		ret = check_filters(r);
	if (!ret)
		ret = sud_inherit_for_clone(&helper.target);
	if (!ret)
		ret = prepare_target(&c.inherit);
	if (ret)
		return ret;
	if (c.inherit)
		sud_inherit_keyring_expect(c.inherit);
	zero = slack_zero_enter(&helper.target);
	slack = zero ? 0 : slack_enter(helper.target.timerslack);
	ret = sud_arch_clone(nr, a[0], a[1], a[2], a[3], a[4], &c);
	if (zero)
		slack_zero_leave();
	slack_leave(slack);
	/* a fork child joins the caller's keyring while the caller lets it */
	if (ret > 0 && c.inherit && !(c.flags & CLONE_VM))
		sud_inherit_keyring_wait(c.inherit);
	/* a child sharing memory reads the caller's frame and helper.target: wait until it has */
	if (ret > 0 && (c.flags & CLONE_VM))
		while (!__atomic_load_n(&c.consumed, __ATOMIC_ACQUIRE))
			futex_wait(&c.consumed, 0);
	return ret;
}

__attribute__((noreturn)) static void helper_main(void)
{
	/* every signal stays blocked (start_helper()): no handler may run in a child it creates */
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
			bool exec = r->exec;

			r->result = exec ? run_exec(r) : run_clone(r);
			__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
			futex_wake(&r->done);
			r = next;
		}
	}
}

#define HELPER_STACK	(256 * 1024)
#define HELPER_TCB	4096

/*
 * The helper is a thread of the library's, not of libc's: pthread_create
 * would allocate (its TLS) and take libc's locks, where arming must do
 * neither, and its first malloc would move brk and getrandom out of the
 * application's syscall stream. It runs library code only, on a stack of
 * its own, with a thread pointer of its own whose first bytes are its
 * creator's (the stack protector's canary lives there on x86-64), every
 * signal blocked: libc does not know it, and sends it none.
 *
 * The library's own thread state (sud_self, initial-exec TLS) lies at a
 * fixed offset from any thread pointer, below it on x86-64, above it on
 * arm64 and riscv64: the block around the helper's thread pointer covers
 * it, so that whatever touches sud_self there (sud_child_entry(), the
 * stand-ins, which share the helper's thread pointer) touches memory of
 * the helper's own and no variable of the library's next to it.
 */
static char *helper_tcb(void)
{
	static char *block;
	long off = (long)((unsigned long)&sud_self - arch_thread_pointer());
	/* the thread pointer 64-byte aligned, as the static block it replaces was */
	unsigned long below = off < 0 ? ((unsigned long)-off + 63) & ~63ul : 0;
	unsigned long above = off > 0 ? (unsigned long)off + sizeof(sud_self) : 0;
	unsigned long size = (below + HELPER_TCB + above + 4095) & ~4095ul;
	long at;

	/* kept across a fork, as the stacks: the layout of the static TLS is the process's */
	if (block)
		return block + below;
	at = sud_tramp_syscall(SYS_mmap, 0, (long)size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sud_is_error(at))
		return NULL;
	block = (char *)at;
	return block + below;
}

static int start_helper(long pid)
{
	char *tcb = helper_tcb();
	struct clone_args args = {
		.flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			 CLONE_SYSVSEM | CLONE_SETTLS,
		.stack_size = HELPER_STACK,
		.tls = (uintptr_t)tcb,
	};
	struct sud_child c = {
		.kind = SUD_CHILD_RESUME,
		.flags = args.flags,
		.tls = (uintptr_t)tcb,
		.sigmask = ~0ull,
	};
	static char *stack;
	ucontext_t uc;
	char *standin;
	long rc;

	if (!tcb)
		return -ENOMEM;

	standin = helper.standin_stack;
	memset(&helper, 0, sizeof(helper));
	/* kept across a fork: the child's copies are its own, and unused there */
	if (!standin)
		standin = map_stack(STANDIN_STACK);
	if (!stack)
		stack = map_stack(HELPER_STACK);
	if (!stack)
		return -ENOMEM;
	helper.standin_stack = standin;
	memcpy(tcb, (const void *)arch_thread_pointer(), 64);
	/* the helper's session keyring is its creator's, and never changes */
	sud_inherit_set_helper_keyring(sud_sys3(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */,
						-3 /* KEY_SPEC_SESSION_KEYRING */, 0));
	memset(&uc, 0, sizeof(uc));
	getcontext(&uc);
	arch_uc_call(&uc, helper_main, (unsigned long)stack + HELPER_STACK);
	c.uc = &uc;
	args.stack = (uintptr_t)stack;
	rc = sud_arch_clone(SYS_clone3, (long)&args, sizeof(args), 0, 0, 0, &c);
	if (rc < 0)
		return (int)rc;
	/* the new thread reads @c and @uc: wait until it has */
	while (!__atomic_load_n(&c.consumed, __ATOMIC_ACQUIRE))
		futex_wait(&c.consumed, 0);
	__atomic_store_n(&sud_proc.helper_pid, pid, __ATOMIC_RELEASE);
	return 0;
}

/* Threads that arm at once start one helper: it has one stack. */
int sud_pristine_start(void)
{
	long pid = sud_sys0(SYS_getpid);
	int rc = 0;

	if (__atomic_load_n(&sud_proc.helper_pid, __ATOMIC_ACQUIRE) == pid)
		return 0;
	sud_spin_lock(&sud_proc.helper_lock);
	if (sud_proc.helper_pid != pid)
		rc = start_helper(pid);
	sud_spin_unlock(&sud_proc.helper_lock);
	return rc;
}

#define PENDING_MAX	64


/*
 * The caller's thread-directed pending signals, which exec keeps for the
 * thread that execs: taken from the caller here, queued to the stand-in
 * (shim/child.c), and back to the caller if the execve fails. Only those
 * the application's mask blocks: the library runs with every signal
 * blocked, and one that arrived meanwhile for the application to handle
 * (glibc's SIGSETXID, say) is delivered to it when the syscall returns.
 * rt_sigtimedwait takes a thread's own signals before the process's, and
 * the set is read again after each, so that none of the process's is taken
 * (those stay pending across exec by themselves).
 */
static void take_thread_pending(struct request *r)
{
	struct timespec zero = { 0, 0 };
	uint64_t set = thread_pending() & r->sigmask &
		       ~(sud_sigbit(SIGKILL) | sud_sigbit(SIGSTOP) | sud_sigbit(SIGSYS));
	bool sigsys = sud_sigsys_pending();
	long buf;

	if (!set && !sigsys)
		return;
	buf = sud_tramp_syscall(SYS_mmap, 0, PENDING_MAX * sizeof(siginfo_t), PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sud_is_error(buf))
		return;
	r->pending = (siginfo_t *)buf;
	while (set && r->npending < PENDING_MAX - 1) {
		int sig = __builtin_ctzll(set) + 1;
		uint64_t one = sud_sigbit(sig);

		if (sud_sys4(SYS_rt_sigtimedwait, &one, &r->pending[r->npending], &zero,
			     sizeof(one)) != sig)
			break;
		r->npending++;
		set = thread_pending() & set;
	}
	/* a SIGSYS the library holds pending (the application blocks it) is pending in the new image too */
	if (sigsys && sud_sigsys_take_pending(&r->pending[r->npending]))
		r->npending++;
}

/* A child that would share the caller's memory and run on its stack: vfork() and its clones. */
static bool on_callers_stack(int nr, const unsigned long a[6], const ucontext_t *uc)
{
	const int *nrs = sud_proc.nr;
	unsigned long flags, sp = arch_uc_sp(uc), stack;
	struct clone_args args;

	if (nr == nrs[SUD_SYS_vfork])
		return true;
	if (nr == nrs[SUD_SYS_clone]) {
		flags = a[0];
		stack = a[1];
	} else if (nr == nrs[SUD_SYS_clone3] && a[1] >= CLONE_ARGS_SIZE_VER0 &&
		   !sud_copy_from_user(&args, (const void *)a[0], CLONE_ARGS_SIZE_VER0)) {
		flags = args.flags;
		stack = args.stack ? args.stack + args.stack_size : 0;
	} else {
		return false;
	}
	return (flags & CLONE_VM) && !(flags & (CLONE_THREAD | CLONE_SIGHAND)) &&
	       (!stack || stack == sp);
}

/*
 * Hand @r to the helper and wait for its result. Meanwhile a child that
 * shares the caller's memory and thread pointer (a vfork, posix_spawn's
 * clone) may run the application's code on the caller's TLS, unarmed: the
 * fast path must not take the caller's state for the child's.
 */
static long submit(struct request *r)
{
	struct request *head = __atomic_load_n(&helper.queue, __ATOMIC_RELAXED);

	do {
		r->next = head;
	} while (!__atomic_compare_exchange_n(&helper.queue, &head, r, true,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	if (!r->exec)
		__atomic_store_n(&sud_self.child_on_tls, true, __ATOMIC_RELAXED);
	__atomic_add_fetch(&helper.seq, 1, __ATOMIC_RELEASE);
	futex_wake(&helper.seq);
	while (!__atomic_load_n(&r->done, __ATOMIC_ACQUIRE))
		futex_wait(&r->done, 0);
	__atomic_store_n(&sud_self.child_on_tls, false, __ATOMIC_RELAXED);
	sud_inherit_keyring_restore(&r->inherit);
	sud_inherit_release(&r->inherit);
	if (r->pending) {
		/* after a failed execve they are the caller's again, each with its siginfo */
		if (r->exec)
			sud_queue_to_self(r->pending, r->npending);
		sud_sys2(SYS_munmap, r->pending, PENDING_MAX * sizeof(siginfo_t));
	}
	return r->result;
}

/*
 * The caller of a vfork, on the area's stack: once the helper is back (the
 * child has exec'd or exited), it resumes the application from the saved
 * context with the child's pid, as the SIGSYS handler would have.
 */
__attribute__((noreturn)) static void vfork_wait(void)
{
	struct vfork_area *v = sud_self.vfork_area;
	struct sud_resume resume = { .uc = &v->uc, .keep_altstack = true };
	unsigned long sp;

	resume.ret = submit(&v->r);
	resume.sigmask = sud_uc_mask(&v->uc);
	sud_sigsys_release_pending();
	sp = arch_build_sigframe(v->frame, sizeof(v->frame), &resume);
	if (!sp)
		sud_die_by(SIGSEGV);
	sud_return_to_application(sp, NULL);
}

/* Leave the application's stack for the area's, every signal blocked, as in the handler. */
__attribute__((noreturn)) static void move_to_area(struct vfork_area *v)
{
	struct sud_resume entry = {
		.uc = &v->entry, .sigmask = ~0ull, .keep_altstack = true,
	};
	unsigned long sp;

	memcpy(&v->entry, &v->uc, sizeof(v->entry));
	arch_uc_call(&v->entry, vfork_wait, (unsigned long)v->stack + sizeof(v->stack));
	sp = arch_build_sigframe(v->frame, sizeof(v->frame), &entry);
	if (!sp)
		sud_die_by(SIGSEGV);
	sud_tramp_sigreturn_at(sp);
}

/*
 * The area is in use only while the thread waits in vfork_wait(), with
 * every signal blocked, and until the rt_sigreturn that leaves it: at the
 * thread's next trap it is idle, and goes.
 */
void sud_pristine_release_idle(void)
{
	struct vfork_area *v = sud_self.vfork_area;

	if (v) {
		sud_self.vfork_area = NULL;
		sud_sys2(SYS_munmap, v, sizeof(*v));
	}
}

/* The thread's area, mapped at its vfork and unmapped at its next trap: NULL where there is no memory. */
static struct vfork_area *vfork_area(void)
{
	long at;

	if (sud_self.vfork_area)
		return sud_self.vfork_area;
	at = sud_sys6(SYS_mmap, 0, sizeof(struct vfork_area), PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (sud_is_error(at))
		return NULL;
	sud_self.vfork_area = (struct vfork_area *)at;
	return sud_self.vfork_area;
}

long sud_pristine_lifecycle(int nr, const unsigned long a[6], ucontext_t *uc)
{
	struct request local, *r = &local;
	bool exec = nr == sud_proc.nr[SUD_SYS_execve] || nr == sud_proc.nr[SUD_SYS_execveat];
	struct vfork_area *v = NULL;
	int rc;

	if (!exec && on_callers_stack(nr, a, uc)) {
		v = vfork_area();
		if (v && arch_uc_save(&v->uc, v->fpstate, sizeof(v->fpstate), uc)) {
			r = &v->r;
			uc = &v->uc;
		} else {
			v = NULL;
		}
	}
	memset(r, 0, sizeof(*r));
	r->nr = nr;
	r->uc = uc;
	r->tp = arch_thread_pointer();
	r->on_callers_stack = v != NULL;
	memcpy(r->a, a, sizeof(r->a));
	r->exec = exec;
	r->tid = sud_sys0(SYS_gettid);
	r->sigmask = sud_uc_mask(uc) | (sud_self.sigsys_blocked ? sud_sigbit(SIGSYS) : 0);
	sud_sys2(SYS_prctl, PR_GET_NAME, r->comm);
	/* the no_new_privs that arming set is the library's, not the application's */
	rc = sud_inherit_capture_caller(&r->inherit,
					sud_sys5(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) &&
					!sud_self.nnp_ours, exec, &sud_self.arch);
	if (rc) {
		sud_inherit_release(&r->inherit);
		return rc;
	}
	r->inherit.filters = sud_self.app_filters;
	r->unrecorded_filters = unrecorded_filters();
	/* for the call only: the new task joins the caller's session keyring by name */
	sud_inherit_keyring_grant(&r->inherit);
	if (r->exec)
		take_thread_pending(r);
	if (v)
		move_to_area(v);
	return submit(r);
}
