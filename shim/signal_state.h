/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The SIGSYS owner (shim/signal_state.c): the library's real action, the
 * application's virtual one, and delivery to it as the kernel would.
 */
#ifndef SUDCOMPAT_SIGNAL_STATE_H
#define SUDCOMPAT_SIGNAL_STATE_H

#include <stdbool.h>
#include <signal.h>
#include <ucontext.h>

#include "arch-api.h"
#include "state.h"

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1	/* si_code of a seccomp RET_TRAP */
#endif

typedef void sud_sigaction_fn(int sig, siginfo_t *info, void *uc);

/* Make @handler the real SIGSYS action, once; the action found becomes the application's. */
int sud_sigsys_take_over(sud_sigaction_fn *handler);
bool sud_sigsys_owned(void);
/* The application's SIGSYS action has SA_ONSTACK (read by the fast path's dispatch entry). */
extern bool sud_sigsys_onstack;
/*
 * Run @fn, which may change SIGSYS's action and put it back, only while
 * the library has not taken SIGSYS over, and so that no take-over comes
 * in between: its put-back would undo the library's action.
 */
void sud_sigsys_before_take_over(void (*fn)(void));
/* What the library keeps of another signal's action (its sa_mask's SIGSYS bit stays virtual). */
struct sud_app_action {
	bool sigsys_in_mask;	/* the application's sa_mask holds SIGSYS */
	bool wrapped;		/* so the kernel runs the library's entry for its handler: */
	void *handler;		/* the application's handler */
	unsigned long flags;	/* and flags, as the kernel keeps them */
};

/*
 * Another signal's action @handler, @flags, @mask, about to be given to
 * the kernel: made the kernel's (SIGSYS out of the mask, the library's
 * entry for a handler that blocks it), and recorded; the record it
 * replaces comes back in @was.
 */
void sud_other_action_set(int sig, void **handler, unsigned long *flags, uint64_t *mask,
			  struct sud_app_action *was);
void sud_other_action_get(int sig, struct sud_app_action *rec);
/* Put back the record that sud_other_action_set() replaced, when the kernel refused the change. */
void sud_other_action_restore(int sig, const struct sud_app_action *was);
/* An action the kernel returned, as the application set it, by the record @was in force then. */
void sud_other_action_view(const struct sud_app_action *was, void **handler, unsigned long *flags,
			   uint64_t *mask);
/* Read or replace the application's (virtual) SIGSYS action. */
void sud_sigsys_exchange(const struct sud_ksigaction *act, struct sud_ksigaction *old);
/*
 * Deliver @info, of a SIGSYS the kernel delivered to the library, to the
 * application's action, on that frame (@uc is its context): a synchronous
 * SIGSYS it blocks or ignores kills, an asynchronous one it blocks stays
 * pending. Returns only when no handler runs.
 */
void sud_sigsys_deliver(siginfo_t *info, ucontext_t *uc);
/*
 * A dispatch delivered in user space by the fast path, with every signal
 * blocked and @real the thread's blocked set: the handler's entry @e, the
 * action's @flags, and the virtual SIGSYS bit while it runs; false where
 * only the trap path can deliver (a forced kill, SA_RESETHAND, no restorer).
 */
bool sud_sigsys_user_dispatch(uint64_t real, struct sud_handler_entry *e, unsigned long *flags,
			      bool *sigsys_blocked);
/* ... and once its frame is built: the handler about to run. */
void sud_sigsys_user_dispatched(bool sigsys_blocked);
/*
 * A sleep with the @temporary mask (rt_sigsuspend, ppoll, ...) trapped
 * with @uc: a pending SIGSYS it lets through ends it at once with EINTR,
 * and runs the handler on that frame with the temporary mask, as the kernel
 * would; false when there is none.
 */
bool sud_sigsys_interrupt_sleep(ucontext_t *uc, uint64_t temporary);
/* A pending SIGSYS, thread-directed or process-directed, as rt_sigpending shows it. */
bool sud_sigsys_pending(void);
/* Collect the pending SIGSYS into @info, the thread's first, as the kernel's dequeue_signal(). */
bool sud_sigsys_take_pending(siginfo_t *info);
/*
 * An unblock point: once the application no longer blocks SIGSYS, what is
 * pending is delivered when the library's handler returns.
 */
void sud_sigsys_release_pending(void);
/*
 * Queue @n signals to the calling thread, siginfo as they came:
 * rt_tgsigqueueinfo takes every si_code (the kernel's, kill's and
 * tgkill's) for the caller's own thread id only.
 */
void sud_queue_to_self(const siginfo_t *info, int n);
/*
 * Re-issue the application's syscall @nr trapped with @uc, from the
 * trampoline; @state is the emulation's state to go back to should a
 * handler take the application's context over (sud_reissue_state() gives
 * the current one).
 */
long sud_reissue(int nr, const unsigned long a[6], const ucontext_t *uc,
		 const struct sud_reissue *state);
/* The same for the foreign ABI's syscall (arch_foreign_syscall()). */
long sud_reissue_foreign(int nr, const ucontext_t *uc, const struct sud_reissue *state);
void sud_reissue_state(struct sud_reissue *state);
__attribute__((noreturn)) void sud_die_by(int sig);

#endif
