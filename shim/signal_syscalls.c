// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The signal-state syscalls of an armed thread, emulated on the trapped
 * context: rt_sigreturn restores uc_sigmask and uc_stack, so that is where
 * a change must go to outlive the SIGSYS frame.
 */
#include <errno.h>
#include <time.h>
#include <sys/syscall.h>

#include "signal_syscalls.h"
#include "signal_state.h"
#include "state.h"
#include "usercopy.h"
#include "arch-api.h"

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1u << 31)
#endif

/* Issued from the trampoline on the trapped stack, it restores the frame the application's restorer pointed at. */
long sud_emulate_rt_sigreturn(int nr, const unsigned long a[6], ucontext_t *uc)
{
	(void)nr;
	(void)a;
	sud_tramp_sigreturn_at(arch_uc_sp(uc));
}

long sud_emulate_rt_sigaction(int nr, const unsigned long a[6], ucontext_t *uc)
{
	struct sud_ksigaction act, old;
	const void *uact = (const void *)a[1];
	void *uold = (void *)a[2];

	(void)nr;
	(void)uc;
	if ((int)a[0] != SIGSYS || !sud_sigsys_owned())
		return sud_tramp_syscall(SYS_rt_sigaction, (long)a[0], (long)a[1], (long)a[2],
					 (long)a[3], 0, 0);
	if (a[3] != sizeof(uint64_t))
		return -EINVAL;
	if (uact && sud_copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	sud_sigsys_exchange(uact ? &act : NULL, &old);
	if (uold && sud_copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
long sud_emulate_rt_sigprocmask(int nr, const unsigned long a[6], ucontext_t *uc)
{
	const uint64_t unblockable = sud_sigbit(SIGKILL) | sud_sigbit(SIGSTOP);
	struct sud_thread *self = &sud_self;
	uint64_t old = sud_uc_mask(uc), set, now;
	const void *uset = (const void *)a[1];
	void *uold = (void *)a[2];

	(void)nr;
	if (self->sigsys_blocked)
		old |= sud_sigbit(SIGSYS);
	if (a[3] != sizeof(uint64_t))
		return -EINVAL;
	now = old;
	if (uset) {
		if (sud_copy_from_user(&set, uset, sizeof(set)))
			return -EFAULT;
		set &= ~unblockable;
		switch ((int)a[0]) {
		case SIG_BLOCK:
			now = old | set;
			break;
		case SIG_UNBLOCK:
			now = old & ~set;
			break;
		case SIG_SETMASK:
			now = set;
			break;
		default:
			return -EINVAL;
		}
	}
	/* as the kernel: the new mask is in force even when the old one cannot be written */
	self->sigsys_blocked = now & sud_sigbit(SIGSYS);
	sud_uc_set_mask(uc, now & ~sud_sigbit(SIGSYS));
	if (uold && sud_copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sud_emulate_sigaltstack(int nr, const unsigned long a[6], ucontext_t *uc)
{
	const stack_t *uss = (const stack_t *)a[0];
	stack_t *uold = (stack_t *)a[1], ss, old = uc->uc_stack;
	unsigned long sp = arch_uc_sp(uc);
	bool on_stack = old.ss_size && sp - (unsigned long)old.ss_sp <= old.ss_size;

	(void)nr;
	old.ss_flags = (old.ss_flags & SS_AUTODISARM) |
		       (on_stack ? SS_ONSTACK : old.ss_size ? 0 : SS_DISABLE);
	if (uss) {
		int mode;

		if (sud_copy_from_user(&ss, uss, sizeof(ss)))
			return -EFAULT;
		if (on_stack)
			return -EPERM;
		mode = ss.ss_flags & ~SS_AUTODISARM;
		if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			ss.ss_size = 0;
			ss.ss_sp = NULL;
		} else if (ss.ss_size < ARCH_MINSIGSTKSZ) {
			return -ENOMEM;
		}
		ss.ss_flags &= SS_AUTODISARM | (mode == SS_DISABLE ? SS_DISABLE : 0);
	}
	/* as the kernel: the new stack is in force even when the old one cannot be written */
	if (uss)
		uc->uc_stack = ss;
	if (uold && sud_copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* A sigset argument as the kernel takes it: EINVAL for another size, EFAULT unreadable. */
static long read_kernel_set(unsigned long uptr, unsigned long size, uint64_t *set)
{
	if (size != sizeof(*set))
		return -EINVAL;
	return sud_copy_from_user(set, (const void *)uptr, sizeof(*set)) ? -EFAULT : 0;
}

/*
 * A mask that blocks SIGSYS would let the next trap kill: the bit stays
 * virtual, and is the temporary mask's while the thread sleeps. A pending
 * SIGSYS the temporary mask lets through ends the call at once.
 */
long sud_emulate_rt_sigsuspend(int nr, const unsigned long a[6], ucontext_t *uc)
{
	struct sud_thread *self = &sud_self;
	bool was_blocked = self->sigsys_blocked;
	uint64_t mask = 0;
	long rc = read_kernel_set(a[0], a[1], &mask);
	siginfo_t info;

	(void)nr;
	if (rc)
		return rc;
	self->sigsys_blocked = mask & sud_sigbit(SIGSYS);
	mask &= ~sud_sigbit(SIGSYS);
	if (!self->sigsys_blocked && sud_sigsys_pending() && sud_sigsys_take_pending(&info)) {
		sud_sigsys_deliver(&info, uc);
		rc = -EINTR;
	} else {
		rc = sud_sys2(SYS_rt_sigsuspend, &mask, sizeof(mask));
	}
	self->sigsys_blocked = was_blocked;
	return rc;
}

/* The kernel's pending set, and the SIGSYS pending in the library. */
long sud_emulate_rt_sigpending(int nr, const unsigned long a[6], ucontext_t *uc)
{
	uint64_t set = 0;
	long rc;

	(void)uc;
	if (a[1] > sizeof(set))
		return -EINVAL;
	rc = sud_sys2(nr, &set, sizeof(set));
	if (rc)
		return rc;
	if (sud_sigsys_pending())
		set |= sud_sigbit(SIGSYS);
	return sud_copy_to_user((void *)a[0], &set, a[1]) ? -EFAULT : 0;
}

/*
 * A wait for SIGSYS collects the one pending in the library, after any
 * lower-numbered signal of the set the kernel has pending (dequeue_signal()
 * takes the lowest first). Otherwise the kernel waits, with SIGSYS really
 * blocked, so that one arriving now is pending in the kernel and collected
 * there; no trap can happen meanwhile, as the library's syscalls are allowed.
 * Unblocking it afterwards delivers one that arrived too late to the
 * library's handler, which makes it pending or delivers it.
 */
long sud_emulate_rt_sigtimedwait(int nr, const unsigned long a[6], ucontext_t *uc)
{
	const uint64_t bit = sud_sigbit(SIGSYS);
	struct timespec zero = { 0, 0 };
	uint64_t set, lower;
	siginfo_t info;
	long rc;

	(void)uc;
	rc = read_kernel_set(a[0], a[3], &set);
	if (rc)
		return rc;
	if (!(set & bit))
		return sud_tramp_syscall(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], 0, 0);
	sud_sys4(SYS_rt_sigprocmask, SIG_BLOCK, &bit, NULL, sizeof(bit));
	if (sud_sigsys_pending()) {
		lower = set & (bit - 1);
		rc = lower ? sud_sys4(nr, &lower, a[1], &zero, sizeof(lower)) : -EAGAIN;
		if (rc == -EAGAIN) {
			rc = sud_sigsys_take_pending(&info) ? SIGSYS : -EAGAIN;
			if (rc == SIGSYS && a[1] && sud_copy_to_user((void *)a[1], &info, sizeof(info)))
				rc = -EFAULT;
		}
		if (rc == -EAGAIN)	/* another thread collected it meanwhile */
			rc = sud_tramp_syscall(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], 0, 0);
	} else {
		rc = sud_tramp_syscall(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], 0, 0);
	}
	sud_sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, &bit, NULL, sizeof(bit));
	return rc;
}
