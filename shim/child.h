/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A child of the helper thread that becomes the child of an armed caller (shim/child.c). */
#ifndef SUDCOMPAT_CHILD_H
#define SUDCOMPAT_CHILD_H

#include <stdint.h>
#include <ucontext.h>

/* What a child of the helper needs to become a child of the caller. */
struct sud_child {
	const ucontext_t *uc;		/* the caller's context at its syscall */
	unsigned long flags;		/* the clone flags as issued */
	unsigned long sp;		/* the new stack, 0 for the caller's */
	unsigned long tls;		/* CLONE_SETTLS value */
	unsigned long tp;		/* the caller's thread pointer */
	unsigned long helper_tp;	/* the helper's, whose rseq area a fork child inherits */
	uint64_t sigmask;		/* the caller's blocked set, SIGSYS as it sees it */
	char comm[16];
	int consumed;			/* set once a child sharing memory has copied this */
};

/* Where sud_arch_clone()'s child starts: it resumes the caller's context and never returns. */
__attribute__((noreturn)) void sud_child_entry(struct sud_child *c);

#endif
