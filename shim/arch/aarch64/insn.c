// SPDX-License-Identifier: LGPL-2.1-or-later
/* arm64 syscall sites: svc #0, its number in x8, which the syscall leaves alone. */
#include <string.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

#include "arch-api.h"
#include "usercopy.h"

#define SVC_0	0xd4000001u

bool arch_syscall_ending_at(const ucontext_t *uc, struct seccomp_data *sd, bool *nr_known)
{
	unsigned long ip = arch_uc_ip(uc), a[6];
	uint32_t insn;

	if (ip < 4 || ip % 4 || sud_copy_from_user(&insn, (const void *)(ip - 4), sizeof(insn)) ||
	    insn != SVC_0)
		return false;
	memset(sd, 0, sizeof(*sd));
	sd->nr = (int)uc->uc_mcontext.regs[8];
	sd->arch = AUDIT_ARCH_AARCH64;
	sd->instruction_pointer = ip;
	arch_uc_args(uc, a);
	for (int i = 0; i < 6; i++)
		sd->args[i] = a[i];
	*nr_known = true;
	return true;
}
