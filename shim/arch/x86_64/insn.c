// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * x86-64 syscall sites: syscall (0f 05) for the native ABI, int $0x80
 * (cd 80) for i386's. x86 code cannot be decoded backwards, so each
 * needs the mark its execution leaves: syscall puts the address after it
 * in rcx and the flags in r11, and an int $0x80 counts only after a
 * mov of its number to eax.
 */
#include <string.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

#include "arch-api.h"
#include "usercopy.h"

/* mov $imm32,%eax (b8) or mov $simm32,%rax (48 c7 c0) just before @insn, loading @nr. */
static bool loads_nr(unsigned long insn, uint32_t nr)
{
	unsigned char code[7];
	uint32_t imm;

	if (insn >= 5 && !sud_copy_from_user(code, (const void *)(insn - 5), 5) &&
	    code[0] == 0xb8) {
		memcpy(&imm, code + 1, sizeof(imm));
		if (imm == nr)
			return true;
	}
	if (insn >= 7 && !sud_copy_from_user(code, (const void *)(insn - 7), 7) &&
	    code[0] == 0x48 && code[1] == 0xc7 && code[2] == 0xc0) {
		memcpy(&imm, code + 3, sizeof(imm));
		return imm == nr;
	}
	return false;
}

bool arch_syscall_ending_at(const ucontext_t *uc, struct seccomp_data *sd, bool *nr_known)
{
	static const int native[6] = { REG_RDI, REG_RSI, REG_RDX, REG_R10, REG_R8, REG_R9 };
	static const int i386[6] = { REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI, REG_RBP };
	const greg_t *g = uc->uc_mcontext.gregs;
	unsigned long ip = arch_uc_ip(uc), insn = ip - 2;
	unsigned char code[2];
	bool is_syscall;

	if (ip < 2 || sud_copy_from_user(code, (const void *)insn, sizeof(code)))
		return false;
	is_syscall = code[0] == 0x0f && code[1] == 0x05;
	if (is_syscall ? (unsigned long)g[REG_RCX] != ip || g[REG_R11] != g[REG_EFL]
		       : code[0] != 0xcd || code[1] != 0x80 || !loads_nr(insn, (uint32_t)g[REG_RAX]))
		return false;
	memset(sd, 0, sizeof(*sd));
	sd->nr = (int)g[REG_RAX];
	sd->arch = is_syscall ? AUDIT_ARCH_X86_64 : AUDIT_ARCH_I386;
	sd->instruction_pointer = ip;
	for (int i = 0; i < 6; i++)
		sd->args[i] = is_syscall ? (uint64_t)g[native[i]] : (uint32_t)g[i386[i]];
	*nr_known = !is_syscall || loads_nr(insn, (uint32_t)g[REG_RAX]);
	return true;
}
