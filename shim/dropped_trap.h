/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The library's returns to the application, remembered so that a SIGSYS
 * delivered as one completes can be told from one that took the place of
 * a trap (shim/dropped_trap.c).
 */
#ifndef SUDCOMPAT_DROPPED_TRAP_H
#define SUDCOMPAT_DROPPED_TRAP_H

#include <stdbool.h>
#include <ucontext.h>

/*
 * rt_sigreturn of the frame at @sp (sud_tramp_sigreturn_at()), into
 * application code; @uc is the context it restores, where the library may
 * read it directly, or NULL: then it is read from the frame, as the
 * application's memory.
 */
__attribute__((noreturn)) void sud_return_to_application(unsigned long sp, const ucontext_t *uc);
/* The same without the rt_sigreturn, which the caller issues. */
void sud_note_return(unsigned long sp, const ucontext_t *uc);
/* A handler of the application's is about to run: what it returns to is its own. */
void sud_forget_return(void);
/* Whether @uc is the context the library last returned to; asked once per signal. */
bool sud_returned_to(const ucontext_t *uc);

#endif
