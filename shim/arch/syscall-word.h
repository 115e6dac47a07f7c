/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * arch_syscall_ending_at() for a fixed-width instruction set, whose
 * syscall instruction is one 32-bit word (included by <arch>/insn.c):
 *
 *   SYSCALL_WORD      the instruction
 *   SYSCALL_ALIGN     the alignment of any instruction
 *   SYSCALL_NR(uc)    the register that holds the number, which the syscall leaves alone
 */
#ifndef SUDCOMPAT_SYSCALL_WORD_H
#define SUDCOMPAT_SYSCALL_WORD_H

#include <string.h>
#include <linux/seccomp.h>

#include "arch-api.h"
#include "usercopy.h"

bool arch_syscall_ending_at(const ucontext_t *uc, struct seccomp_data *sd, bool *nr_known)
{
	unsigned long ip = arch_uc_ip(uc), a[6];
	uint32_t insn;

	if (ip < 4 || ip % SYSCALL_ALIGN ||
	    sud_copy_from_user(&insn, (const void *)(ip - 4), sizeof(insn)) || insn != SYSCALL_WORD)
		return false;
	memset(sd, 0, sizeof(*sd));
	sd->nr = (int)SYSCALL_NR(uc);
	sd->arch = ARCH_AUDIT_NATIVE;
	sd->instruction_pointer = ip;
	arch_uc_args(uc, a);
	for (int i = 0; i < 6; i++)
		sd->args[i] = a[i];
	*nr_known = true;
	return true;
}

#endif
