// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The special syscalls of the foreign ABI (i386 by int $0x80 on x86-64)
 * whose arguments are laid out as the kernel's compat layer lays them out
 * (include/linux/compat.h, the old i386 calls): converted to the native
 * layouts, run by the native emulations, and converted back. The ones whose
 * layouts are the native ones run the native emulations directly
 * (special_syscalls.h, SUD_FOREIGN_SAME). Every function takes the native
 * number of its syscall and the foreign ABI's arguments, 32 bits each.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/sched.h>

#include "compat_syscalls.h"
#include "pristine.h"
#include "signal_syscalls.h"
#include "special_syscalls.h"
#include "state.h"
#include "usercopy.h"
#include "arch-api.h"

/* compat_sigaction and compat_old_sigaction of include/linux/compat.h, i386's order */
struct compat_sigaction {
	uint32_t handler, flags, restorer;
	uint64_t mask;
} __attribute__((packed));

struct compat_old_sigaction {
	uint32_t handler, mask, flags, restorer;
};

struct compat_stack {
	uint32_t sp;
	int32_t flags;
	uint32_t size;
};

static void *uptr(unsigned long a)
{
	return (void *)(uintptr_t)(uint32_t)a;
}

/* The two compat layouts of an action, to and from the native one. */
struct action_layout {
	size_t size;
	void (*to_native)(const void *compat, struct sud_ksigaction *k);
	void (*from_native)(const struct sud_ksigaction *k, void *compat);
};

static void rt_to_native(const void *compat, struct sud_ksigaction *k)
{
	const struct compat_sigaction *c = compat;

	memset(k, 0, sizeof(*k));
	k->handler = uptr(c->handler);
	k->flags = c->flags;
	sud_ksigaction_set_restorer_to(k, uptr(c->restorer));
	k->mask = c->mask;
}

static void rt_from_native(const struct sud_ksigaction *k, void *compat)
{
	struct compat_sigaction *c = compat;

	c->handler = (uint32_t)(uintptr_t)k->handler;
	c->flags = (uint32_t)k->flags;
	c->restorer = (uint32_t)(uintptr_t)sud_ksigaction_restorer(k);
	c->mask = k->mask;
}

/* The old layout's mask is 32 bits, and replaces the whole one. */
static void old_to_native(const void *compat, struct sud_ksigaction *k)
{
	const struct compat_old_sigaction *c = compat;

	memset(k, 0, sizeof(*k));
	k->handler = uptr(c->handler);
	k->flags = c->flags;
	sud_ksigaction_set_restorer_to(k, uptr(c->restorer));
	k->mask = c->mask;
}

static void old_from_native(const struct sud_ksigaction *k, void *compat)
{
	struct compat_old_sigaction *c = compat;

	c->handler = (uint32_t)(uintptr_t)k->handler;
	c->mask = (uint32_t)k->mask;
	c->flags = (uint32_t)k->flags;
	c->restorer = (uint32_t)(uintptr_t)sud_ksigaction_restorer(k);
}

/* (sig, act, oact) in @layout, run by the native rt_sigaction emulation with @sigsetsize. */
static long compat_action(const struct action_layout *layout, const unsigned long a[6],
			  unsigned long sigsetsize, ucontext_t *uc)
{
	union {
		struct compat_sigaction rt;
		struct compat_old_sigaction old;
	} c;
	struct sud_ksigaction act, old;
	unsigned long b[6] = { a[0], 0, 0, sigsetsize, 0, 0 };
	long rc;

	if (a[1]) {
		if (sud_copy_from_user(&c, uptr(a[1]), layout->size))
			return -EFAULT;
		layout->to_native(&c, &act);
		b[1] = (unsigned long)&act;
	}
	if (a[2])
		b[2] = (unsigned long)&old;
	rc = sud_emulate_rt_sigaction(SYS_rt_sigaction, b, uc);
	if (rc || !a[2])
		return rc;
	layout->from_native(&old, &c);
	return sud_copy_to_user(uptr(a[2]), &c, layout->size) ? -EFAULT : 0;
}

long sud_compat_rt_sigaction(int nr, const unsigned long a[6], ucontext_t *uc)
{
	static const struct action_layout rt = {
		sizeof(struct compat_sigaction), rt_to_native, rt_from_native,
	};

	(void)nr;
	return compat_action(&rt, a, a[3], uc);
}

long sud_compat_sigaction(int nr, const unsigned long a[6], ucontext_t *uc)
{
	static const struct action_layout old = {
		sizeof(struct compat_old_sigaction), old_to_native, old_from_native,
	};

	(void)nr;
	return compat_action(&old, a, sizeof(uint64_t), uc);
}

long sud_compat_sigaltstack(int nr, const unsigned long a[6], ucontext_t *uc)
{
	struct compat_stack c;
	stack_t ss, old;
	unsigned long b[6] = { 0 };
	long rc;

	if (a[0]) {
		if (sud_copy_from_user(&c, uptr(a[0]), sizeof(c)))
			return -EFAULT;
		ss.ss_sp = uptr(c.sp);
		ss.ss_flags = c.flags;
		ss.ss_size = c.size;
		b[0] = (unsigned long)&ss;
	}
	if (a[1])
		b[1] = (unsigned long)&old;
	rc = sud_emulate_sigaltstack(nr, b, uc);
	if (rc || !a[1])
		return rc;
	c.sp = (uint32_t)(uintptr_t)old.ss_sp;
	c.flags = old.ss_flags;
	c.size = (uint32_t)old.ss_size;
	return sud_copy_to_user(uptr(a[1]), &c, sizeof(c)) ? -EFAULT : 0;
}

/* The old sigprocmask(how, set, oset): the low 32 signals only; SIG_SETMASK keeps the others. */
long sud_compat_sigprocmask(int nr, const unsigned long a[6], ucontext_t *uc)
{
	uint64_t cur, set = 0;
	uint32_t low;
	unsigned long b[6] = { (unsigned long)SIG_BLOCK, 0, (unsigned long)&cur, sizeof(cur), 0, 0 };
	long rc;

	(void)nr;
	rc = sud_emulate_rt_sigprocmask(SYS_rt_sigprocmask, b, uc);
	if (rc)
		return rc;
	if (a[1]) {
		if (sud_copy_from_user(&low, uptr(a[1]), sizeof(low)))
			return -EFAULT;
		set = (int)a[0] == SIG_SETMASK ? (cur & ~(uint64_t)UINT32_MAX) | low : low;
		b[0] = a[0];
		b[1] = (unsigned long)&set;
		b[2] = 0;
		rc = sud_emulate_rt_sigprocmask(SYS_rt_sigprocmask, b, uc);
		if (rc)
			return rc;
	}
	low = (uint32_t)cur;
	if (a[2] && sud_copy_to_user(uptr(a[2]), &low, sizeof(low)))
		return -EFAULT;
	return 0;
}

/* The old sigsuspend(unused, unused, mask): the mask by value, the signals above 32 unblocked. */
long sud_compat_sigsuspend(int nr, const unsigned long a[6], ucontext_t *uc)
{
	uint64_t mask = (uint32_t)a[2];
	const unsigned long b[6] = { (unsigned long)&mask, sizeof(mask), 0, 0, 0, 0 };

	(void)nr;
	return sud_emulate_rt_sigsuspend(SYS_rt_sigsuspend, b, uc);
}

/*
 * An i386 clone's CLONE_SETTLS takes a struct user_desc for the child's
 * GDT entry (set_thread_area()), not a thread pointer: checked here, and
 * given to the child with the rest of the caller's entries
 * (arch_foreign_clone_tls(), the architecture's inheritance). The clone
 * itself goes without it: the child keeps the caller's thread pointer, as
 * the i386 one does.
 */
static long clone_with_tls_desc(int nr, const unsigned long b[6], ucontext_t *uc,
				unsigned long udesc)
{
	struct sud_arch_thread *t = &sud_self.arch;
	long rc = arch_foreign_clone_tls(t, uptr(udesc));

	if (rc)
		return rc;
	rc = sud_pristine_lifecycle(nr, b, uc);
	arch_foreign_clone_tls(t, NULL);
	return rc;
}

/* i386's clone(flags, newsp, parent_tid, tls, child_tid) in x86-64's order. */
long sud_compat_clone(int nr, const unsigned long a[6], ucontext_t *uc)
{
	const unsigned long b[6] = { a[0] & ~(unsigned long)CLONE_SETTLS, a[1], a[2], a[4], 0, 0 };

	if (a[0] & CLONE_SETTLS)
		return clone_with_tls_desc(nr, b, uc, a[3]);
	return sud_pristine_lifecycle(nr, (const unsigned long[6]){ a[0], a[1], a[2], a[4], a[3], 0 },
				      uc);
}

long sud_compat_clone3(int nr, const unsigned long a[6], ucontext_t *uc)
{
	struct clone_args args;
	unsigned long b[6] = { (unsigned long)uptr(a[0]), a[1], 0, 0, 0, 0 };

	if (a[1] < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	if (sud_copy_from_user(&args, uptr(a[0]), CLONE_ARGS_SIZE_VER0))
		return -EFAULT;
	if (!(args.flags & CLONE_SETTLS))
		return sud_pristine_lifecycle(nr, b, uc);
	/* the arguments without CLONE_SETTLS, in a copy (as much of them as this library knows) */
	if (a[1] <= sizeof(args) && sud_copy_from_user(&args, uptr(a[0]), a[1]))
		return -EFAULT;
	args.flags &= ~(uint64_t)CLONE_SETTLS;
	b[0] = (unsigned long)&args;
	b[1] = a[1] < sizeof(args) ? a[1] : sizeof(args);
	return clone_with_tls_desc(nr, b, uc, args.tls);
}

/* A compat string vector (argv, envp: 32-bit pointers up to a null one), widened. */
struct wide_vector {
	unsigned long *v;	/* NULL for a null vector */
	size_t bytes;		/* of the mapping that holds it */
};

static long widen_vector(unsigned long compat, struct wide_vector *w)
{
	size_t n = 0;
	uint32_t p;
	long at;

	memset(w, 0, sizeof(*w));
	if (!(uint32_t)compat)
		return 0;
	do {
		if (sud_copy_from_user(&p, uptr(compat + 4 * n), sizeof(p)))
			return -EFAULT;
		n++;
	} while (p);
	w->bytes = (n * sizeof(*w->v) + 4095) & ~4095ul;
	at = sud_sys6(SYS_mmap, 0, w->bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (sud_is_error(at))
		return at;
	w->v = (unsigned long *)at;
	for (size_t i = 0; i < n; i++) {
		if (sud_copy_from_user(&p, uptr(compat + 4 * i), sizeof(p)))
			return -EFAULT;
		w->v[i] = (uintptr_t)uptr(p);
	}
	w->v[n - 1] = 0;
	return 0;
}

static void release_vector(struct wide_vector *w)
{
	if (w->v)
		sud_sys2(SYS_munmap, w->v, w->bytes);
}

/*
 * The exec of an image through the helper, as the native one: the
 * compat argv and envp widened (the kernel's compat_execve() reads them
 * the same way, and the new image does not depend on the ABI that asked).
 */
static long compat_exec(int nr, unsigned long b[6], unsigned long argv, unsigned long envp,
			ucontext_t *uc, int at)
{
	struct wide_vector wa, we;
	long rc = widen_vector(argv, &wa);

	if (!rc)
		rc = widen_vector(envp, &we);
	else
		memset(&we, 0, sizeof(we));
	if (!rc) {
		b[at] = (unsigned long)wa.v;
		b[at + 1] = (unsigned long)we.v;
		rc = sud_pristine_lifecycle(nr, b, uc);
	}
	release_vector(&wa);
	release_vector(&we);
	return rc;
}

/* execve(path, argv, envp) */
long sud_compat_execve(int nr, const unsigned long a[6], ucontext_t *uc)
{
	unsigned long b[6] = { (unsigned long)uptr(a[0]), 0, 0, 0, 0, 0 };

	return compat_exec(nr, b, a[1], a[2], uc, 1);
}

/* execveat(dirfd, path, argv, envp, flags) */
long sud_compat_execveat(int nr, const unsigned long a[6], ucontext_t *uc)
{
	unsigned long b[6] = { (unsigned long)(long)(int)a[0], (unsigned long)uptr(a[1]), 0, 0,
			       a[4], 0 };

	return compat_exec(nr, b, a[2], a[3], uc, 2);
}

/*
 * The sleeps with a temporary mask: the compat sigset is the native one's
 * layout, the compat pointers zero-extended; pselect6 and io_pgetevents
 * pass it in a pair of 32-bit words. Each runs as it came, in its own ABI,
 * with the virtual bit of its temporary mask (sud_sleep_masked()).
 */
static long foreign_sleep(enum sud_special line, const unsigned long a[6], ucontext_t *uc,
			  unsigned long set, unsigned long size)
{
	return sud_sleep_masked(sud_proc.foreign_nr[line], a, uc, set, size, true);
}

static long foreign_sleep_pair(enum sud_special line, const unsigned long a[6], ucontext_t *uc)
{
	uint32_t pair[2];

	if (!a[5])
		return foreign_sleep(line, a, uc, 0, 0);
	if (sud_copy_from_user(pair, uptr(a[5]), sizeof(pair)))
		return -EFAULT;
	return foreign_sleep(line, a, uc, (unsigned long)uptr(pair[0]), pair[1]);
}

/* ppoll and ppoll_time64(fds, nfds, timeout, sigmask, sigsetsize) */
#define FOREIGN_SLEEP(name, set, size)						\
	long sud_compat_##name(int nr, const unsigned long a[6], ucontext_t *uc)	\
	{									\
		(void)nr;							\
		return foreign_sleep(SUD_SYS_##name, a, uc, a[set], a[size]);	\
	}
FOREIGN_SLEEP(ppoll, 3, 4)
FOREIGN_SLEEP(ppoll_time64, 3, 4)
/* epoll_pwait and epoll_pwait2(epfd, events, maxevents, timeout, sigmask, sigsetsize) */
FOREIGN_SLEEP(epoll_pwait, 4, 5)
FOREIGN_SLEEP(epoll_pwait2, 4, 5)

/* pselect6 and io_pgetevents, and their time64 twins: the mask in a pair at argument 5 */
#define FOREIGN_SLEEP_PAIR(name)						\
	long sud_compat_##name(int nr, const unsigned long a[6], ucontext_t *uc)	\
	{									\
		(void)nr;							\
		return foreign_sleep_pair(SUD_SYS_##name, a, uc);		\
	}
FOREIGN_SLEEP_PAIR(pselect6)
FOREIGN_SLEEP_PAIR(pselect6_time64)
FOREIGN_SLEEP_PAIR(io_pgetevents)
FOREIGN_SLEEP_PAIR(io_pgetevents_time64)
