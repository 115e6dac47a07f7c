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
#define SUD_SPECIAL_NAME(name, trap, emulation, foreign) [SUD_SYS_##name] = #name,
		SUD_SPECIAL_SYSCALLS(SUD_SPECIAL_NAME)
#undef SUD_SPECIAL_NAME
	};
	static const bool native_only[SUD_NR_SPECIAL] = {
#define SUD_SPECIAL_ABI(name, trap, emulation, foreign) [SUD_SYS_##name] = foreign == SUD_FOREIGN_RAW,
		SUD_SPECIAL_SYSCALLS(SUD_SPECIAL_ABI)
#undef SUD_SPECIAL_ABI
	};
	static const uint32_t abis[] = ARCH_SCMP_ABIS;
	struct sud_process *p = &sud_proc;

	for (int i = 0; i < SUD_NR_SPECIAL; i++) {
		p->nr[i] = seccomp_syscall_resolve_name(names[i]);
		/* the foreign ABI is the second, and last, of ARCH_SCMP_ABIS */
		p->foreign_nr[i] = ARCH_HAS_FOREIGN_ABI && !native_only[i] ?
			seccomp_syscall_resolve_name_arch(abis[sizeof(abis) / sizeof(abis[0]) - 1],
							  names[i]) : __NR_SCMP_ERROR;
	}
	if (ARCH_VDSO_SIGRETURN_SYMBOL) {
		unsigned long at = sud_vdso_symbol(ARCH_VDSO_SIGRETURN_SYMBOL,
						   ARCH_VDSO_SIGRETURN_VERSION);

		if (at) {
			p->sigreturn_start = at;
			p->sigreturn_end = at + ARCH_VDSO_SIGRETURN_SPAN;
		}
	}
}

int sud_special_of(int nr)
{
	for (int i = 0; i < SUD_NR_SPECIAL; i++)
		if (nr == sud_proc.nr[i])
			return i;
	return -1;
}

void sud_state_reset_in_child(void)
{
	struct sud_thread clean = { .cfg.mode = SUD_MODE_OFF };

	sud_self = clean;
	sud_proc.helper_pid = 0;
	sud_proc.helper_lock = 0;
	/* the lock too: the fork may have copied it held by another thread */
	sud_proc.sigsys_lock = 0;
	sud_proc.fastpath_lock = 0;
	sud_proc.sigsys_pending = false;
}
