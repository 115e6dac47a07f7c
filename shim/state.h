/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The emulation's state (shim/state.c): per thread, what the application
 * configured and which filter the thread carries; per process, the facts
 * resolved once. The files named beside a field are the ones that write
 * it; state.c itself only fills in and resets.
 */
#ifndef SUDCOMPAT_STATE_H
#define SUDCOMPAT_STATE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <ucontext.h>

#include "arch-api.h"
#include "rules.h"
#include "special_syscalls.h"

enum sud_filter_state { SUD_FILTER_NONE = 0, SUD_FILTER_RANGE, SUD_FILTER_TRAP_ALL };

/*
 * A syscall of the application that the library re-issues from the
 * trampoline (signal_state.c, sud_reissue()): a handler that interrupts it
 * is given the application's context instead, and the emulation's state as
 * it was before the trap.
 */
struct sud_app_filter;
struct sud_reissue_call;
struct vfork_area;

struct sud_reissue {
	const ucontext_t *uc;		/* the trapped context */
	const struct sud_reissue_call *call;	/* what the trampoline issues */
	uint64_t also_blocked;		/* signals to keep blocked while it runs */
	bool sigsys_blocked;		/* the thread's state to go back to */
	bool in_temporary_mask;
	uint64_t temporary_mask;
	struct sud_reissue *outer;
};

struct sud_thread {
	/* seccomp_fallback.c: the prctl's configuration, and the filter that carries it */
	struct sud_config cfg;
	enum sud_filter_state filter;
	struct sud_config filtered;	/* the range the installed filter lets through */
	int own_filters;		/* how many of the thread's filters are the library's */
	bool nnp_ours;			/* no_new_privs was set by arming, not by the application */
	/* pristine.c: where the thread waits while its vfork child runs on its stack */
	struct vfork_area *vfork_area;
	/* pristine.c: the thread waits for a child, which may share its TLS (fastpath.c) */
	bool child_on_tls;
	/* seccomp_fallback.c, child.c: the application's filters on this thread since arming */
	const struct sud_app_filter *app_filters;
	/* seccomp_fallback.c, child.c: what the architecture's prctls set that cannot be read back */
	struct sud_arch_thread arch;
	/* seccomp_fallback.c, signal_state.c, signal_syscalls.c */
	bool sigsys_blocked;		/* the application's view of SIGSYS in its mask */
	/*
	 * signal_syscalls.c: the temporary mask of a sleep re-issued from the
	 * trampoline (rt_sigsuspend, ppoll, ...), the thread's blocked set
	 * while it lasts, which the kernel does not put in the frame
	 */
	bool in_temporary_mask;
	uint64_t temporary_mask;
	/* signal_state.c: the innermost syscall re-issued, or NULL */
	struct sud_reissue *reissue;
	/* dropped_trap.c: the context the library last returned the thread to, until its next signal */
	bool returned_valid;
	unsigned char returned_gregs[ARCH_UC_GREGS_SIZE];
	/* fastpath.c: the selector its stubs read (NULL: the trap path), and what they displaced */
	const char *fast_selector;
	unsigned long fast_stash;
	/* signal_state.c: a thread-directed SIGSYS that arrived while sigsys_blocked */
	bool sigsys_pending;
	siginfo_t sigsys_info;
};

extern __thread struct sud_thread sud_self __attribute__((tls_model("initial-exec")));

struct sud_process {
	/* state.c, once */
	int nr[SUD_NR_SPECIAL];		/* native numbers of special_syscalls.h; < 0 where there is none */
	int foreign_nr[SUD_NR_SPECIAL];	/* the same in the foreign ABI (ARCH_HAS_FOREIGN_ABI), else or for SUD_FOREIGN_RAW lines < 0 */
	unsigned long sigreturn_start, sigreturn_end;	/* the vDSO's sigreturn trampoline, or 0 */
	/* pristine.c */
	long helper_pid;		/* the process whose helper thread runs, or 0 */
	int helper_lock;		/* held while one thread starts it */
	/* fastpath.c: held while one thread rewrites a site, only ever tried */
	int fastpath_lock;
	/* signal_state.c: a process-directed SIGSYS that arrived while its thread blocked it */
	int sigsys_lock;
	bool sigsys_pending;
	siginfo_t sigsys_info;
};

extern struct sud_process sud_proc;

/* The line of special_syscalls.h whose native number is @nr, or -1. */
int sud_special_of(int nr);
/* Resolve the process-wide facts; before the first filter. */
void sud_process_resolve(void);
/*
 * In a child with memory of its own: its thread is not armed, it has no
 * helper thread yet, and no signal pending.
 */
void sud_state_reset_in_child(void);

#endif
