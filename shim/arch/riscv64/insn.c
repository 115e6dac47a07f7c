// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * riscv64 syscall sites: ecall, its number in a7, which the syscall
 * leaves alone. ecall has no compressed form, and the halfword after a
 * 32-bit instruction whose upper half read 0x0073 would be 0x0000, the
 * illegal instruction: four bytes that read as ecall before the ip are one.
 */
#include <string.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

#include "arch-api.h"
#include "usercopy.h"

#define ECALL	0x00000073u

bool arch_syscall_ending_at(const ucontext_t *uc, struct seccomp_data *sd, bool *nr_known)
{
	unsigned long ip = arch_uc_ip(uc), a[6];
	uint32_t insn;

	if (ip < 4 || ip % 2 || sud_copy_from_user(&insn, (const void *)(ip - 4), sizeof(insn)) ||
	    insn != ECALL)
		return false;
	memset(sd, 0, sizeof(*sd));
	sd->nr = (int)uc->uc_mcontext.__gregs[REG_A0 + 7];
	sd->arch = AUDIT_ARCH_RISCV64;
	sd->instruction_pointer = ip;
	arch_uc_args(uc, a);
	for (int i = 0; i < 6; i++)
		sd->args[i] = a[i];
	*nr_known = true;
	return true;
}
