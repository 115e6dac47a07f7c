/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A child of the helper thread that becomes the child of an armed caller (shim/child.c). */
#ifndef SUDCOMPAT_CHILD_H
#define SUDCOMPAT_CHILD_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <ucontext.h>

#include "arch-api.h"

struct sud_inherit;

enum sud_child_kind {
	SUD_CHILD_RESUME,	/* a child of the caller: resumes its context */
	SUD_CHILD_PROBE,	/* a stand-in that only tries to take on the caller's attributes */
	SUD_CHILD_EXEC,		/* a stand-in that takes them on and execs for the caller */
};

/* What a child of the helper needs to become a child of the caller, or to stand in for it. */
struct sud_child {
	enum sud_child_kind kind;
	const struct sud_inherit *inherit;	/* the caller's attributes, NULL where the helper's are the same */
	const ucontext_t *uc;		/* the caller's context at its syscall */
	unsigned long flags;		/* the clone flags as issued */
	unsigned long sp;		/* the new stack, 0 for the caller's */
	unsigned long tls;		/* CLONE_SETTLS value */
	unsigned long tp;		/* the caller's thread pointer */
	unsigned long helper_tp;	/* the helper's, whose rseq area a fork child inherits */
	uint64_t sigmask;		/* the caller's blocked set, SIGSYS as it sees it */
	char comm[16];
	int consumed;			/* set once a child sharing memory has copied this */
	/* stand-ins */
	long exec_nr, exec_args[5];	/* SUD_CHILD_EXEC: the caller's execve or execveat */
	bool sigsys_ignored;		/* the application's SIGSYS action is SIG_IGN, which exec keeps */
	struct sud_ksigaction sigsys_saved;	/* the library's, for the helper to put back after a
						   failed execve under the application's filters */
	siginfo_t *pending;		/* the caller's thread-directed pending signals, which exec keeps */
	int npending;
	long result;			/* 0 or -errno: the attributes, then the execve */
};

/* Where sud_arch_clone()'s child starts: it resumes the caller's context and never returns. */
__attribute__((noreturn)) void sud_child_entry(struct sud_child *c);

#endif
