/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* arm64 (AArch64): how a syscall looks in a ucontext, and the ABI constants (the contract: ../arch-api.h). */
#ifndef SUDCOMPAT_ARCH_H
#define SUDCOMPAT_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <ucontext.h>
#include <linux/audit.h>

#define ARCH_AUDIT_NATIVE	AUDIT_ARCH_AARCH64
#define ARCH_RETURN_IS_FIRST_ARG	1
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
/* What generated code regions hold outside their stubs: udf #0 (SIGILL) */
#define ARCH_CODE_FILL		0x00000000u
#define ARCH_SYSCALL_INSN_SIZE	4
/* struct rt_sigframe { siginfo; ucontext } at sp */
#define ARCH_SIGRETURN_UC_OFFSET	128
/* The kernel frame's siginfo, from its ucontext: before it */
#define ARCH_FRAME_SIGINFO_OFFSET	(-128)

/*
 * Where a trapped syscall's registers are (the accessors: ../arch-ucontext.h).
 * The saved pc is already past the svc (ELR of an SVC); syscall_rollback()
 * put orig_x0 back in x0.
 */
#define ARCH_UC_IP(uc)		((uc)->uc_mcontext.pc)
#define ARCH_UC_SP(uc)		((uc)->uc_mcontext.sp)
#define ARCH_UC_ARG(uc, i)	((uc)->uc_mcontext.regs[i])
#define ARCH_UC_RET(uc)		((uc)->uc_mcontext.regs[0])
/* x0 to x30, sp and pc: what rt_sigreturn restores exactly (it checks pstate) */
#define ARCH_UC_GREGS(uc)	(&(uc)->uc_mcontext.regs[0])
#define ARCH_UC_GREGS_SIZE	(33 * sizeof(unsigned long long))

#include "arch-ucontext.h"

/* Top-byte ignore: the kernel sign-extends from bit 55 before access_ok() (6.4 untagging). */
static inline unsigned long arch_untagged_addr(unsigned long addr)
{
	return (unsigned long)((long)(addr << 8) >> 8);
}
#define arch_untagged_addr arch_untagged_addr

/* @uc enters @fn, which never returns, on the stack that ends at @stack_top. */
static inline void arch_uc_call(ucontext_t *uc, void (*fn)(void), unsigned long stack_top)
{
	uc->uc_mcontext.sp = stack_top;
	uc->uc_mcontext.regs[29] = 0;
	uc->uc_mcontext.regs[30] = 0;
	uc->uc_mcontext.pc = (unsigned long)fn;
}

/*
 * The per-thread controls that a child inherits (inherit.c); < 0 where this
 * kernel or CPU has no such control.
 */
#define ARCH_HAS_INHERIT	1
/* a vector length set through a trapped prctl is in its frame's records (sigframe.c) */
#define ARCH_HAS_FRAME_AFTER_PRCTL	1
struct sud_arch_inherit {
	long sve_vl, sme_vl;	/* PR_SVE_GET_VL, PR_SME_GET_VL: the length and PR_*_VL_INHERIT */
	long sve_onexec, sme_onexec;	/* a length set for the next exec alone, 0 where none */
	long tagged_addr;	/* PR_GET_TAGGED_ADDR_CTRL: TBI, MTE's TCF and tag mask */
	long pac_keys;		/* PR_PAC_GET_ENABLED_KEYS */
	bool pac_reset;		/* PR_PAC_RESET_KEYS since arming: keys the helper has not */
};
struct sud_arch_thread {
	/* what PR_*_GET_VL cannot tell: a length set with PR_*_SET_VL_ONEXEC, 0 where none */
	long sve_onexec, sme_onexec;
	bool pac_reset;
};

/*
 * The fast path (../arch-fastpath.h, fastpath.c): a stub per rewritten
 * `svc #0`, which becomes `b stub`, falling back through sud_fast_traps[];
 * at BLOCK, and for a restorer's rt_sigreturn, it enters the user-space
 * dispatch (fast_dispatch.c).
 */
#define ARCH_HAS_FASTPATH	1
#define ARCH_FAST_DISPATCH	1
#define ARCH_FAST_SIGRETURN	1
#define ARCH_FAST_STUB_SIZE	256
#define ARCH_FAST_STUB_READ	24
#define ARCH_FAST_TRAPS		1
/* b's reach, which the stub's branch back shares */
#define ARCH_FAST_REACH		(1ul << 27)

/* struct rt_sigframe; the siginfo is written for SA_SIGINFO handlers only */
#define ARCH_FAST_FRAME_BYTES	4688
#define ARCH_FAST_SIGINFO_ALWAYS	0
/* The thread's vector lengths or speculation controls changed: its frames' records may have. */
void arch_fast_forget_frame(void);

#endif
