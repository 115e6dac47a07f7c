// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The emulation's per-thread and per-process state. The thread's is
 * initial-exec TLS: the SIGSYS handler reads it on every trap, and must
 * not make the dynamic loader allocate.
 */
#include <stddef.h>
#include <seccomp.h>

#include "state.h"
#include "vdso.h"
#include "arch-api.h"

__thread struct sud_thread sud_self __attribute__((tls_model("initial-exec")));
struct sud_process sud_proc;

void sud_process_resolve(void)
{
	static const char *const names[SUD_NR_SPECIAL] = {
#define SUD_SPECIAL_NAME(name, trap, emulation) [SUD_SYS_##name] = #name,
		SUD_SPECIAL_SYSCALLS(SUD_SPECIAL_NAME)
#undef SUD_SPECIAL_NAME
	};
	struct sud_process *p = &sud_proc;

	for (int i = 0; i < SUD_NR_SPECIAL; i++)
		p->nr[i] = seccomp_syscall_resolve_name(names[i]);
	if (ARCH_VDSO_SIGRETURN_SYMBOL) {
		unsigned long at = sud_vdso_symbol(ARCH_VDSO_SIGRETURN_SYMBOL,
						   ARCH_VDSO_SIGRETURN_VERSION);

		if (at) {
			p->sigreturn_start = at;
			p->sigreturn_end = at + ARCH_VDSO_SIGRETURN_SPAN;
		}
	}
}

void sud_state_reset_in_child(void)
{
	struct sud_thread clean = { .cfg.mode = SUD_MODE_OFF };

	sud_self = clean;
	sud_proc.helper_pid = 0;
}
