/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What sud_tramp_reissue() takes, for the C side and the assembler's.
 *
 * The application's syscall runs with the application's signal mask, and
 * only there: the trampoline opens that mask right before the syscall and
 * puts the library's back right after it, so that a signal can reach the
 * thread only at an instruction of that short stretch, which
 * signal_state.c maps onto the application's own context (not yet issued,
 * restarting, or returned with the result).
 */
#ifndef SUDCOMPAT_REISSUE_CALL_H
#define SUDCOMPAT_REISSUE_CALL_H

#define SUD_CALL_NR	0	/* the syscall's number */
#define SUD_CALL_ARGS	8	/* its six arguments */
#define SUD_CALL_MASK	56	/* the real mask while it runs */
#define SUD_CALL_SAVED	64	/* the mask before, put back after it */
#define SUD_CALL_RESULT	72	/* its result, once it has returned */
#define SUD_CALL_SIZE	80

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct sud_reissue_call {
	long nr;
	unsigned long a[6];
	uint64_t mask;
	uint64_t saved;
	long result;
};

_Static_assert(offsetof(struct sud_reissue_call, nr) == SUD_CALL_NR, "SUD_CALL_NR");
_Static_assert(offsetof(struct sud_reissue_call, a) == SUD_CALL_ARGS, "SUD_CALL_ARGS");
_Static_assert(offsetof(struct sud_reissue_call, mask) == SUD_CALL_MASK, "SUD_CALL_MASK");
_Static_assert(offsetof(struct sud_reissue_call, saved) == SUD_CALL_SAVED, "SUD_CALL_SAVED");
_Static_assert(offsetof(struct sud_reissue_call, result) == SUD_CALL_RESULT, "SUD_CALL_RESULT");
_Static_assert(sizeof(struct sud_reissue_call) == SUD_CALL_SIZE, "SUD_CALL_SIZE");
#endif

#endif
