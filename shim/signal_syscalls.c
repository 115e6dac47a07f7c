// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The signal-state syscalls of an armed thread, emulated on the trapped
 * context: rt_sigreturn restores uc_sigmask and uc_stack, so that is where
 * a change must go to outlive the SIGSYS frame.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <sys/syscall.h>

#include "signal_syscalls.h"
#include "altstack.h"
#include "dropped_trap.h"
#include "signal_state.h"
#include "fastpath.h"
#include "state.h"
#include "usercopy.h"
#include "arch-api.h"


/*
 * The frame's uc_sigmask carries the application's SIGSYS bit, which
 * becomes the virtual one; the kernel restores the rest. That holds for a
 * frame that returns into the library too: no signal lands where the
 * library's own code runs with SIGSYS blocked, and one that lands in its
 * front (as arming unblocks, say) finds the application's mask. Issued from the
 * trampoline on the trapped stack, rt_sigreturn restores the frame the
 * application's restorer pointed at. That unblocks SIGSYS, perhaps.
 */
long sud_emulate_rt_sigreturn(int nr, const unsigned long a[6], ucontext_t *uc)
{
	(void)nr;
	(void)a;
	sud_rt_sigreturn_at(arch_uc_sp(uc), false);
}

void sud_rt_sigreturn_at(unsigned long sp, bool frame_known)
{
	const uint64_t bit = sud_sigbit(SIGSYS);
	ucontext_t *frame_uc = (ucontext_t *)(sp + ARCH_SIGRETURN_UC_OFFSET);
	uint64_t *umask = (uint64_t *)((char *)frame_uc + offsetof(ucontext_t, uc_sigmask));
	uint64_t mask;
	stack_t ss;

	if (frame_known) {
		sud_altstack_flags_returning(&frame_uc->uc_stack, sp);
		sud_self.sigsys_blocked = *umask & bit;
		*umask &= ~bit;
		sud_sigsys_release_pending();
		sud_return_to_application(sp, frame_uc);
	}
	if (!sud_copy_from_user(&ss, &frame_uc->uc_stack, sizeof(ss)))
		sud_altstack_flags_returning(&ss, sp);
	if (!sud_copy_from_user(&mask, umask, sizeof(mask))) {
		sud_self.sigsys_blocked = mask & bit;
		mask &= ~bit;
		sud_copy_to_user(umask, &mask, sizeof(mask));
		sud_sigsys_release_pending();
	}
	sud_return_to_application(sp, NULL);
}

/* Another signal's action: the SIGSYS bit of its sa_mask stays virtual (signal_state.c). */
static long rt_sigaction_other(int sig, const void *uact, void *uold, unsigned long size)
{
	struct sud_ksigaction act, old;
	struct sud_app_action was;
	long rc;

	if (size != sizeof(uint64_t))
		return sud_sys4(SYS_rt_sigaction, sig, uact, uold, size);
	if (uact) {
		if (sud_copy_from_user(&act, uact, sizeof(act)))
			return -EFAULT;
		sud_other_action_set(sig, &act.handler, &act.flags, &act.mask, &was);
	} else {
		sud_other_action_get(sig, &was);
	}
	rc = sud_sys4(SYS_rt_sigaction, sig, uact ? &act : NULL, uold ? &old : NULL, size);
	if (rc) {
		/* nothing changed: the record neither */
		if (uact)
			sud_other_action_restore(sig, &was);
		return rc;
	}
	if (!uold)
		return 0;
	sud_other_action_view(&was, &old.handler, &old.flags, &old.mask);
	return sud_copy_to_user(uold, &old, sizeof(old)) ? -EFAULT : 0;
}

long sud_emulate_rt_sigaction(int nr, const unsigned long a[6], ucontext_t *uc)
{
	struct sud_ksigaction act, old;
	const void *uact = (const void *)a[1];
	void *uold = (void *)a[2];

	(void)nr;
	(void)uc;
	if (!sud_sigsys_owned())
		return sud_tramp_syscall(SYS_rt_sigaction, (long)a[0], (long)a[1], (long)a[2],
					 (long)a[3], 0, 0);
	if ((int)a[0] != SIGSYS)
		return rt_sigaction_other((int)a[0], uact, uold, a[3]);
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
	bool on_stack = sud_on_sig_stack(&old, sp);

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
		/* kept as given, SS_ONSTACK too, which every frame's uc_stack then shows */
	}
	/* as the kernel: the new stack is in force even when the old one cannot be written */
	if (uss) {
		uc->uc_stack = ss;
		sud_fastpath_altstack_set(&ss);
	}
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
 * A sleep with the temporary @mask, re-issued from the trampoline as it
 * came (in the foreign ABI where @foreign). The kernel takes the mask as
 * it came, SIGSYS included: nothing traps while the thread sleeps, and the
 * library's entry of a handler that interrupts the sleep unblocks SIGSYS
 * before that handler runs. The virtual bit is the temporary mask's
 * meanwhile. A pending SIGSYS that the mask lets through ends the sleep at once.
 */
static long sleep_with_mask(int nr, const unsigned long a[6], ucontext_t *uc, uint64_t mask,
			    bool foreign)
{
	struct sud_thread *self = &sud_self;
	struct sud_reissue was;
	long rc;

	if (sud_sigsys_interrupt_sleep(uc, mask))
		return -EINTR;
	sud_reissue_state(&was);
	self->sigsys_blocked = mask & sud_sigbit(SIGSYS);
	self->temporary_mask = mask;
	self->in_temporary_mask = true;
	rc = foreign ? sud_reissue_foreign(nr, uc, &was) : sud_reissue(nr, a, uc, &was);
	self->in_temporary_mask = was.in_temporary_mask;
	self->temporary_mask = was.temporary_mask;
	self->sigsys_blocked = was.sigsys_blocked;
	return rc;
}

long sud_emulate_rt_sigsuspend(int nr, const unsigned long a[6], ucontext_t *uc)
{
	uint64_t mask = 0;
	long rc = read_kernel_set(a[0], a[1], &mask);

	return rc ? rc : sleep_with_mask(nr, a, uc, mask, false);
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
 * The application's syscall as it came, re-issued (a handler may take its
 * context over), with @also_blocked blocked besides the application's mask.
 */
static long reissue_blocking(int nr, const unsigned long a[6], const ucontext_t *uc,
			     uint64_t also_blocked)
{
	struct sud_reissue state;

	sud_reissue_state(&state);
	state.also_blocked = also_blocked;
	return sud_reissue(nr, a, uc, &state);
}

static long reissue(int nr, const unsigned long a[6], const ucontext_t *uc)
{
	return reissue_blocking(nr, a, uc, 0);
}

/*
 * A wait for SIGSYS collects the one pending in the library, after any
 * lower-numbered signal of the set the kernel has pending (dequeue_signal()
 * takes the lowest first). Otherwise the kernel waits, with SIGSYS really
 * blocked (it is, in the library's handler, and the re-issue keeps it so),
 * so that one arriving now is pending in the kernel and collected there; no
 * trap can happen meanwhile, as the library's syscalls are allowed. One
 * that arrives too late goes to the library's handler once the application's
 * context is back, which makes it pending or delivers it.
 */
long sud_emulate_rt_sigtimedwait(int nr, const unsigned long a[6], ucontext_t *uc)
{
	const uint64_t bit = sud_sigbit(SIGSYS);
	struct timespec zero = { 0, 0 };
	uint64_t set, lower;
	siginfo_t info;
	long rc;

	rc = read_kernel_set(a[0], a[3], &set);
	if (rc)
		return rc;
	if (!(set & bit))
		return reissue(nr, a, uc);
	if (sud_sigsys_pending()) {
		lower = set & (bit - 1);
		rc = lower ? sud_sys4(nr, &lower, a[1], &zero, sizeof(lower)) : -EAGAIN;
		if (rc == -EAGAIN) {
			rc = sud_sigsys_take_pending(&info) ? SIGSYS : -EAGAIN;
			if (rc == SIGSYS && a[1] && sud_copy_to_user((void *)a[1], &info, sizeof(info)))
				rc = -EFAULT;
		}
		if (rc == -EAGAIN)	/* another thread collected it meanwhile */
			rc = reissue_blocking(nr, a, uc, bit);
	} else {
		rc = reissue_blocking(nr, a, uc, bit);
	}
	return rc;
}

long sud_sleep_masked(int nr, const unsigned long a[6], ucontext_t *uc, unsigned long set,
		      unsigned long size, bool foreign)
{
	struct sud_reissue state;
	uint64_t mask;
	long rc;

	if (!set) {
		sud_reissue_state(&state);
		return foreign ? sud_reissue_foreign(nr, uc, &state) : sud_reissue(nr, a, uc, &state);
	}
	rc = read_kernel_set(set, size, &mask);
	return rc ? rc : sleep_with_mask(nr, a, uc, mask, foreign);
}

/* ppoll(fds, nfds, timeout, sigmask, sigsetsize) */
long sud_emulate_ppoll(int nr, const unsigned long a[6], ucontext_t *uc)
{
	return sud_sleep_masked(nr, a, uc, a[3], a[4], false);
}

/* epoll_pwait and epoll_pwait2(epfd, events, maxevents, timeout, sigmask, sigsetsize) */
long sud_emulate_epoll_pwait(int nr, const unsigned long a[6], ucontext_t *uc)
{
	return sud_sleep_masked(nr, a, uc, a[4], a[5], false);
}

/*
 * pselect6(n, in, out, ex, timeout, &{ sigmask, sigsetsize }) and
 * io_pgetevents(ctx, min, nr, events, timeout, &{ sigmask, sigsetsize })
 */
long sud_emulate_sigset_pair(int nr, const unsigned long a[6], ucontext_t *uc)
{
	struct {
		unsigned long set, size;
	} sig;

	if (!a[5])
		return reissue(nr, a, uc);
	if (sud_copy_from_user(&sig, (const void *)a[5], sizeof(sig)))
		return -EFAULT;
	return sud_sleep_masked(nr, a, uc, sig.set, sig.size, false);
}
