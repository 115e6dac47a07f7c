// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The flags a thread keeps for its alternate stack (sas_ss_flags), which
 * sigaltstack() does not report but __save_altstack() writes into every
 * frame: as they were set, SS_ONSTACK too, or as the last frame showed
 * them. Before either, 0 for a stack, and for none 0 until the thread
 * disables one (a process's first thread), SS_DISABLE after (and in a new
 * thread, whose copy_process() reset it).
 */
#include <sys/syscall.h>

#include "altstack.h"
#include "arch-api.h"

static __thread struct {
	int flags;
	bool seen;
} kept __attribute__((tls_model("initial-exec")));

int sud_altstack_flags(const stack_t *ss)
{
	if (!kept.seen) {
		kept.flags = ss->ss_size || sud_sys0(SYS_gettid) == sud_sys0(SYS_getpid) ?
			     0 : SS_DISABLE;
		kept.seen = true;
	}
	return kept.flags;
}

void sud_altstack_flags_set(int flags)
{
	kept.flags = flags;
	kept.seen = true;
}

void sud_altstack_flags_arrived(const stack_t *uc_stack)
{
	/* a delivery that disarmed it: sas_ss_reset(), SS_DISABLE until a return restores it */
	sud_altstack_flags_set((uc_stack->ss_flags & SS_AUTODISARM) ? SS_DISABLE :
			       uc_stack->ss_flags);
}

/* What the kernel's restore_altstack() of @uc_stack does at an rt_sigreturn from @sp. */
void sud_altstack_flags_returning(const stack_t *uc_stack, unsigned long sp)
{
	int mode = uc_stack->ss_flags & ~(int)SS_AUTODISARM;

	/* do_sigaltstack() refuses it (the stack in force taken for the frame's): nothing changes */
	if (sud_on_sig_stack(uc_stack, sp) ||
	    (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0) ||
	    (mode != SS_DISABLE && uc_stack->ss_size < ARCH_MINSIGSTKSZ))
		return;
	sud_altstack_flags_set(uc_stack->ss_flags);
}

void sud_altstack_flags_forget(void)
{
	kept.seen = false;
}
