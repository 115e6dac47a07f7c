/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* riscv64: how a syscall looks in a ucontext, and the ABI constants. */
#ifndef SUDCOMPAT_ARCH_H
#define SUDCOMPAT_ARCH_H

#include <stddef.h>
#include <stdint.h>
#include <ucontext.h>
#include <linux/audit.h>

#define ARCH_AUDIT_NATIVE	AUDIT_ARCH_RISCV64
/* glibc's sysdeps/unix/sysv/linux/riscv/bits/rseq.h: "csrw mhartid, x0" */
#define ARCH_RSEQ_SIG		0xf1401073u
/* CONFIG_CLONE_BACKWARDS: clone(flags, newsp, parent_tid, tls, child_tid) */
#define ARCH_CLONE_TLS_ARG	3
/* TASK_SIZE = PGDIR_SIZE * PTRS_PER_PGD / 2: sv39, sv48, sv57. */
#define ARCH_TASK_SIZES		{ 1ul << 38, 1ul << 47, 1ul << 56 }
/*
 * Every signal returns through the vDSO's "li a7, __NR_rt_sigreturn;
 * ecall" (no SA_RESTORER on riscv): the ip after the ecall is sym + 8.
 */
#define ARCH_VDSO_SIGRETURN_SYMBOL	"__vdso_rt_sigreturn"
#define ARCH_VDSO_SIGRETURN_VERSION	"LINUX_4.15"
#define ARCH_VDSO_SIGRETURN_SPAN	12
/* The uapi has no SA_RESTORER: the kernel struct sigaction has no sa_restorer. */
#define ARCH_HAS_SA_RESTORER	0
/* A 64-bit task cannot issue compat syscalls. */
#define ARCH_SCMP_ABIS		{ SCMP_ARCH_RISCV64 }
#define ARCH_MINSIGSTKSZ	2048
/* Largest frame built by arch_build_sigframe(): siginfo + ucontext. */
#define ARCH_SIGFRAME_MAX	(4 * 1024)

/* The kernel advances epc past the ecall before seccomp: pc is the ip after it. */
static inline unsigned long arch_uc_ip(const ucontext_t *uc)
{
	return (unsigned long)uc->uc_mcontext.__gregs[0];
}

static inline unsigned long arch_uc_sp(const ucontext_t *uc)
{
	return (unsigned long)uc->uc_mcontext.__gregs[2];
}

static inline void arch_uc_set_sp(ucontext_t *uc, unsigned long sp)
{
	uc->uc_mcontext.__gregs[2] = sp;
}

/* The syscall arguments, a0..a5 (x10..x15); syscall_rollback() put orig_a0 back. */
static inline void arch_uc_args(const ucontext_t *uc, unsigned long a[6])
{
	for (int i = 0; i < 6; i++)
		a[i] = (unsigned long)uc->uc_mcontext.__gregs[10 + i];
}

static inline void arch_uc_set_return(ucontext_t *uc, long ret)
{
	uc->uc_mcontext.__gregs[10] = (unsigned long)ret;
}

static inline unsigned long arch_thread_pointer(void)
{
	unsigned long tp;

	__asm__ volatile("mv %0, tp" : "=r"(tp));
	return tp;
}

/* Bytes of the syscall instruction: an ip minus this re-executes the syscall. */
#define ARCH_SYSCALL_INSN_SIZE	4

static inline void arch_uc_set_ip(ucontext_t *uc, unsigned long ip)
{
	uc->uc_mcontext.__gregs[REG_PC] = ip;
}

/* The address the kernel checks for a user pointer (untagged_addr()). */
static inline unsigned long arch_untagged_addr(unsigned long addr)
{
	return addr;
}

#endif
