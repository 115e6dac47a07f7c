/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* x86-64: how a syscall looks in a ucontext, and the ABI constants. */
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
/* rt_sigreturn issued by the kernel's own trampoline: none on x86-64. */
#define ARCH_VDSO_SIGRETURN_SYMBOL	NULL
#define ARCH_VDSO_SIGRETURN_VERSION	NULL
#define ARCH_VDSO_SIGRETURN_SPAN	0
/* x86-64 requires SA_RESTORER; ours lives in the trampoline. */
#define ARCH_HAS_SA_RESTORER	1
/* The ABIs whose syscalls can reach the kernel (libseccomp names), native first. */
#define ARCH_SCMP_ABIS		{ SCMP_ARCH_X86_64, SCMP_ARCH_X86 }
#define ARCH_MINSIGSTKSZ	2048
/* Largest frame built by arch_build_sigframe(): ucontext, siginfo, xsave. */
#define ARCH_SIGFRAME_MAX	(16 * 1024)

static inline unsigned long arch_uc_ip(const ucontext_t *uc)
{
	return (unsigned long)uc->uc_mcontext.gregs[REG_RIP];
}

static inline unsigned long arch_uc_sp(const ucontext_t *uc)
{
	return (unsigned long)uc->uc_mcontext.gregs[REG_RSP];
}

static inline void arch_uc_set_sp(ucontext_t *uc, unsigned long sp)
{
	uc->uc_mcontext.gregs[REG_RSP] = (greg_t)sp;
}

/* The syscall arguments, as the kernel would have read them. */
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

static inline void arch_uc_set_return(ucontext_t *uc, long ret)
{
	uc->uc_mcontext.gregs[REG_RAX] = ret;
}

static inline unsigned long arch_thread_pointer(void)
{
	return (unsigned long)__builtin_thread_pointer();
}

/* Bytes of the syscall instruction: an ip minus this re-executes the syscall. */
#define ARCH_SYSCALL_INSN_SIZE	2

static inline void arch_uc_set_ip(ucontext_t *uc, unsigned long ip)
{
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)ip;
}

/* The address the kernel checks for a user pointer (untagged_addr()). */
static inline unsigned long arch_untagged_addr(unsigned long addr)
{
	return addr;
}

#endif
