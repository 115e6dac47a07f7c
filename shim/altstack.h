/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The alternate signal stack as the kernel keeps it (shim/altstack.c):
 * where a sp stands against it, and the flags that sigaltstack() stores
 * and every frame's uc_stack shows, which the fast path's frames show too.
 */
#ifndef SUDCOMPAT_ALTSTACK_H
#define SUDCOMPAT_ALTSTACK_H

#include <signal.h>
#include <stdbool.h>

#ifndef SS_AUTODISARM
#define SS_AUTODISARM		(1u << 31)
#endif

/* The kernel's __on_sig_stack(): @sp lies in @ss (none for a size of 0). */
static inline bool sud_sp_on_altstack(const stack_t *ss, unsigned long sp)
{
	return sp > (unsigned long)ss->ss_sp && sp - (unsigned long)ss->ss_sp <= ss->ss_size;
}

/* The kernel's on_sig_stack(): the same, but never on an SS_AUTODISARM stack. */
static inline bool sud_on_sig_stack(const stack_t *ss, unsigned long sp)
{
	return !(ss->ss_flags & SS_AUTODISARM) && sud_sp_on_altstack(ss, sp);
}

/*
 * The thread's stored flags (sas_ss_flags): as a trapped sigaltstack()
 * set them (sud_altstack_flags_set()), as a kernel frame showed them
 * (sud_altstack_flags_arrived()), or as a returning frame's restore puts
 * them (sud_altstack_flags_returning()); guessed from @ss, the stack in
 * force, where none of those has happened on the thread.
 */
int sud_altstack_flags(const stack_t *ss);
void sud_altstack_flags_set(int flags);
void sud_altstack_flags_arrived(const stack_t *uc_stack);
void sud_altstack_flags_returning(const stack_t *uc_stack, unsigned long sp);
void sud_altstack_flags_forget(void);

#endif
