/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* arm64 (AArch64): how a syscall looks in a ucontext, and the ABI constants. */
#ifndef SUDCOMPAT_ARCH_H
#define SUDCOMPAT_ARCH_H

#include <stddef.h>
#include <stdint.h>
#include <ucontext.h>
#include <linux/audit.h>

#define ARCH_AUDIT_NATIVE	AUDIT_ARCH_AARCH64
/* glibc's sysdeps/unix/sysv/linux/aarch64/bits/rseq.h, little-endian: BRK #0x45E0 */
#define ARCH_RSEQ_SIG		0xd428bc00u
/* CONFIG_CLONE_BACKWARDS: clone(flags, newsp, parent_tid, tls, child_tid) */
#define ARCH_CLONE_TLS_ARG	3
/*
 * TASK_SIZE_MAX = 1 << VA_BITS, which access_ok() checks: VA_BITS is
 * 36 (16K pages, 2 levels), 39 (4K, 3 levels), 42 (64K, 2 levels),
 * 47 (16K, 3 levels), 48 or 52.
 */
#define ARCH_TASK_SIZES		{ 1ul << 36, 1ul << 39, 1ul << 42, 1ul << 47, 1ul << 48, 1ul << 52 }
/*
 * Every signal without SA_RESTORER returns through the vDSO's
 * "mov x8, #__NR_rt_sigreturn; svc #0": the ip after the svc is sym + 8.
 */
#define ARCH_VDSO_SIGRETURN_SYMBOL	"__kernel_rt_sigreturn"
#define ARCH_VDSO_SIGRETURN_VERSION	"LINUX_2.6.39"
#define ARCH_VDSO_SIGRETURN_SPAN	12
/* arm64 honours SA_RESTORER (uapi asm/signal.h); ours lives in the trampoline. */
#define ARCH_HAS_SA_RESTORER	1
/*
 * Only AArch64 syscalls: a 64-bit task cannot switch to AArch32 without
 * an exec, and exec'd images never carry the emulation's filter.
 */
#define ARCH_SCMP_ABIS		{ SCMP_ARCH_AARCH64 }
#define ARCH_MINSIGSTKSZ	5120
/* Largest frame built by arch_build_sigframe(): siginfo + ucontext (4096 bytes of records). */
#define ARCH_SIGFRAME_MAX	(8 * 1024)

/* After a syscall trap the saved pc is already past the svc (ELR of an SVC). */
static inline unsigned long arch_uc_ip(const ucontext_t *uc)
{
	return (unsigned long)uc->uc_mcontext.pc;
}

static inline unsigned long arch_uc_sp(const ucontext_t *uc)
{
	return (unsigned long)uc->uc_mcontext.sp;
}

static inline void arch_uc_set_sp(ucontext_t *uc, unsigned long sp)
{
	uc->uc_mcontext.sp = sp;
}

/* The syscall arguments; syscall_rollback() put orig_x0 back in x0. */
static inline void arch_uc_args(const ucontext_t *uc, unsigned long a[6])
{
	for (int i = 0; i < 6; i++)
		a[i] = (unsigned long)uc->uc_mcontext.regs[i];
}

static inline void arch_uc_set_return(ucontext_t *uc, long ret)
{
	uc->uc_mcontext.regs[0] = (unsigned long)ret;
}

static inline unsigned long arch_thread_pointer(void)
{
	unsigned long tp;

	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
	return tp;
}

/* Bytes of the syscall instruction: an ip minus this re-executes the syscall. */
#define ARCH_SYSCALL_INSN_SIZE	4

static inline void arch_uc_set_ip(ucontext_t *uc, unsigned long ip)
{
	uc->uc_mcontext.pc = ip;
}

/* The address the kernel checks for a user pointer (untagged_addr()). */
static inline unsigned long arch_untagged_addr(unsigned long addr)
{
	/* top-byte ignore: the kernel sign-extends from bit 55 (6.4 untagging) */
	return (unsigned long)((long)(addr << 8) >> 8);
}

#endif
