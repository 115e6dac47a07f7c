/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fast path (shim/fastpath.c): a syscall site that trapped once jumps
 * to a stub of the library's from then on, which passes the syscall
 * through at ALLOW without a trap, and otherwise falls back on the site's
 * own syscall instruction and the trap path.
 */
#ifndef SUDCOMPAT_FASTPATH_H
#define SUDCOMPAT_FASTPATH_H

#include <signal.h>
#include <stdbool.h>
#include <ucontext.h>

#include "state.h"
#include "sudcompat.h"

/* SUDCOMPAT_FASTPATH, read once per image: off, elf (the default), all. */
void sud_fastpath_init(void);
enum sudcompat_fastpath sud_fastpath_mode(void);
/* The mode chosen by the application instead: 0, or EINVAL, or ENOTSUP without one here. */
int sud_fastpath_select(enum sudcompat_fastpath want);
/*
 * The syscall @nr trapped at @ret (the address after its instruction),
 * the kernel's frame for it @uc: rewrite its site if it can be.
 */
void sud_fastpath_trapped(int nr, unsigned long ret, const ucontext_t *uc);
/*
 * The application's SIGSYS handler is @handler now (NULL: none), and the
 * tail through which a dispatch enters a handler without the kernel
 * (ARCH_FAST_TRAPS), 0 for none yet: one is made near each handler so set
 * once the fast path has rewritten a site.
 */
void sud_fastpath_handler_set(void *handler);
unsigned long sud_fastpath_handler_tail(unsigned long handler);
/*
 * A signal reached one of the library's handlers on the kernel's frame
 * @uc: the kernel may have changed, or be about to change, what the fast
 * path keeps of the thread's signal state.
 */
void sud_fastpath_signal_arrived(const ucontext_t *uc);
/* The thread's alternate stack becomes @ss once the library's handler returns. */
void sud_fastpath_altstack_set(const stack_t *ss);
/* What the thread's stubs read, after any change of its SUD state (seccomp_fallback.c). */
void sud_fastpath_thread_changed(struct sud_thread *self);
/* Where a signal landed, for sud_fastpath_adopt(). */
enum sud_fast_landing {
	SUD_FAST_ELSEWHERE,		/* not in fast path code: @uc is as it was */
	SUD_FAST_ADOPTED,		/* in a stub or a slot: @uc is now the application's */
	SUD_FAST_SELECTOR_FAULT,	/* a stub's selector read faulted: native SUD kills */
	SUD_FAST_FAULT_EXEMPT,		/* the same at a site exempt for the thread: @uc issues the
					   site's own syscall, which natively never reads the selector */
};
/*
 * A handler is about to run on @uc (@fault: for a fault the kernel
 * reported there). Where the signal landed in a stub or a slot, @uc
 * becomes the application's context at the place that stands for it.
 */
enum sud_fast_landing sud_fastpath_adopt(ucontext_t *uc, bool fault);
/*
 * Where the fast path falls back through syscalls of its own that stand
 * for its sites' (arch-fastpath.h's ARCH_FAST_TRAPS): the filter always
 * traps syscalls from [*@start, *@end), empty where there are none.
 */
void sud_fastpath_trap_window(unsigned long *start, unsigned long *end);
/*
 * A SIGSYS of a seccomp filter (@info, @uc as delivered): a trap from
 * that window becomes its site's, si_call_addr and @uc alike, before
 * anything else looks at them.
 */
void sud_fastpath_trap_site(siginfo_t *info, ucontext_t *uc);
/*
 * Sites that trapped, were rewritten, were left; syscalls that trapped;
 * dispatches delivered without a kernel signal; since the image started.
 */
void sud_fastpath_counts(unsigned long *seen, unsigned long *rewritten, unsigned long *refused,
			 unsigned long *traps, unsigned long *dispatches);

#endif
