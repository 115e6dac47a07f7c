/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* x86-64: how a syscall looks in a ucontext, and the ABI constants (the contract: ../arch-api.h). */
#ifndef SUDCOMPAT_ARCH_H
#define SUDCOMPAT_ARCH_H

#include <stddef.h>
#include <stdint.h>
#include <ucontext.h>
#include <linux/audit.h>

#define ARCH_AUDIT_NATIVE	AUDIT_ARCH_X86_64
#define ARCH_RSEQ_SIG		0x53053053u
/* clone(flags, newsp, parent_tid, child_tid, tls) */
#define ARCH_CLONE_TLS_ARG	4
/* The kernel may place user memory up to one of these, by paging mode. */
#define ARCH_TASK_SIZES		{ 0x00007ffffffff000ul, 0x00fffffffffff000ul }
/*
 * x86-64 requires SA_RESTORER, so there is no vDSO sigreturn to exempt;
 * the library's restorer lives in the trampoline.
 */
#define ARCH_HAS_SA_RESTORER	1
/* The ABIs whose syscalls can reach the kernel (libseccomp names), native first. */
#define ARCH_SCMP_ABIS		{ SCMP_ARCH_X86_64, SCMP_ARCH_X86 }
#define ARCH_MINSIGSTKSZ	2048
/* Largest frame built by arch_build_sigframe(): ucontext, siginfo, xsave. */
#define ARCH_SIGFRAME_MAX	(16 * 1024)
#define ARCH_SYSCALL_INSN_SIZE	2

/* Where a trapped syscall's registers are (the accessors: ../arch-ucontext.h). */
#define ARCH_UC_IP(uc)		((uc)->uc_mcontext.gregs[REG_RIP])
#define ARCH_UC_SP(uc)		((uc)->uc_mcontext.gregs[REG_RSP])
#define ARCH_UC_RET(uc)		((uc)->uc_mcontext.gregs[REG_RAX])

/* The syscall arguments: rdi, rsi, rdx, r10, r8, r9. */
static inline void arch_uc_args(const ucontext_t *uc, unsigned long a[6])
{
	const greg_t *g = uc->uc_mcontext.gregs;

	a[0] = (unsigned long)g[REG_RDI];
	a[1] = (unsigned long)g[REG_RSI];
	a[2] = (unsigned long)g[REG_RDX];
	a[3] = (unsigned long)g[REG_R10];
	a[4] = (unsigned long)g[REG_R8];
	a[5] = (unsigned long)g[REG_R9];
}
#define arch_uc_args arch_uc_args

#include "arch-ucontext.h"

#endif
