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
#include <sys/syscall.h>
#include <linux/sched.h>

#include "compat_syscalls.h"
#include "pristine.h"
#include "signal_syscalls.h"
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
 * i386's clone(flags, newsp, parent_tid, tls, child_tid) in x86-64's order.
 * Its CLONE_SETTLS takes a struct user_desc for set_thread_area(), which a
 * thread of this process cannot be given here: refused.
 */
long sud_compat_clone(int nr, const unsigned long a[6], ucontext_t *uc)
{
	const unsigned long b[6] = { a[0], a[1], a[2], a[4], a[3], 0 };

	if (a[0] & CLONE_SETTLS)
		return -ENOSYS;
	return sud_pristine_lifecycle(nr, b, uc);
}

long sud_compat_clone3(int nr, const unsigned long a[6], ucontext_t *uc)
{
	struct clone_args args;
	const unsigned long b[6] = { (unsigned long)uptr(a[0]), a[1], 0, 0, 0, 0 };

	if (a[1] < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	if (sud_copy_from_user(&args, uptr(a[0]), CLONE_ARGS_SIZE_VER0))
		return -EFAULT;
	if (args.flags & CLONE_SETTLS)
		return -ENOSYS;
	return sud_pristine_lifecycle(nr, b, uc);
}
