/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* riscv64: how a syscall looks in a ucontext, and the ABI constants (the contract: ../arch-api.h). */
#ifndef SUDCOMPAT_ARCH_H
#define SUDCOMPAT_ARCH_H

#include <stddef.h>
#include <stdint.h>
#include <ucontext.h>
#include <linux/audit.h>

#define ARCH_AUDIT_NATIVE	AUDIT_ARCH_RISCV64
#define ARCH_RETURN_IS_FIRST_ARG	1
/* glibc's sysdeps/unix/sysv/linux/riscv/bits/rseq.h: "csrw mhartid, x0" */
#define ARCH_RSEQ_SIG		0xf1401073u
/* CONFIG_CLONE_BACKWARDS: clone(flags, newsp, parent_tid, tls, child_tid) */
#define ARCH_CLONE_TLS_ARG	3
/* TASK_SIZE = PGDIR_SIZE * PTRS_PER_PGD / 2: sv39, sv48, sv57. */
#define ARCH_TASK_SIZES		{ 1ul << 38, 1ul << 47, 1ul << 56 }
/*
 * The uapi has no SA_RESTORER (the kernel's sigaction has no sa_restorer):
 * every signal returns through the vDSO's "li a7, __NR_rt_sigreturn;
 * ecall", and the ip after the ecall is sym + 8.
 */
#define ARCH_VDSO_SIGRETURN_SYMBOL	"__vdso_rt_sigreturn"
#define ARCH_VDSO_SIGRETURN_VERSION	"LINUX_4.15"
#define ARCH_VDSO_SIGRETURN_SPAN	12
/* A 64-bit task cannot issue compat syscalls. */
#define ARCH_SCMP_ABIS		{ SCMP_ARCH_RISCV64 }
#define ARCH_MINSIGSTKSZ	2048
/* Largest frame built by arch_build_sigframe(): siginfo + ucontext. */
#define ARCH_SIGFRAME_MAX	(4 * 1024)
/*
 * What generated code regions hold outside their stubs: all zeros, illegal
 * as a 32-bit instruction and as a 16-bit one (c.unimp), so SIGILL at
 * every halfword
 */
#define ARCH_CODE_FILL		0x00000000u
#define ARCH_SYSCALL_INSN_SIZE	4
/* struct rt_sigframe { siginfo; ucontext } at sp */
#define ARCH_SIGRETURN_UC_OFFSET	128
/* The kernel frame's siginfo, from its ucontext: before it */
#define ARCH_FRAME_SIGINFO_OFFSET	(-128)

/*
 * Where a trapped syscall's registers are (the accessors: ../arch-ucontext.h).
 * The kernel advances epc past the ecall before seccomp, so pc is the ip
 * after it; syscall_rollback() put orig_a0 back in a0.
 */
#define ARCH_UC_IP(uc)		((uc)->uc_mcontext.__gregs[REG_PC])
#define ARCH_UC_SP(uc)		((uc)->uc_mcontext.__gregs[REG_SP])
#define ARCH_UC_ARG(uc, i)	((uc)->uc_mcontext.__gregs[REG_A0 + (i)])
#define ARCH_UC_RET(uc)		((uc)->uc_mcontext.__gregs[REG_A0])
/* pc and x1 to x31 */
#define ARCH_UC_GREGS(uc)	(&(uc)->uc_mcontext.__gregs[0])
#define ARCH_UC_GREGS_SIZE	(32 * sizeof(unsigned long))

#include "arch-ucontext.h"

/* @uc enters @fn, which never returns, on the stack that ends at @stack_top. */
static inline void arch_uc_call(ucontext_t *uc, void (*fn)(void), unsigned long stack_top)
{
	uc->uc_mcontext.__gregs[REG_SP] = stack_top;
	uc->uc_mcontext.__gregs[REG_RA] = 0;
	uc->uc_mcontext.__gregs[REG_S0] = 0;
	uc->uc_mcontext.__gregs[REG_PC] = (unsigned long)fn;
}

/*
 * The per-thread control that a child inherits (inherit.c); < 0 where this
 * kernel or CPU has none.
 */
#define ARCH_HAS_INHERIT	1
struct sud_arch_inherit {
	long v_control;		/* PR_RISCV_V_GET_CONTROL: current, next and inherit */
};
struct sud_arch_thread {
	char none;		/* read back */
};

/*
 * The fast path (../arch-fastpath.h, fastpath.c): a stub per rewritten
 * `ecall`, which becomes `jal x0, stub`, falling back through sud_fast_traps[];
 * at BLOCK, and for a restorer's rt_sigreturn, it enters the user-space
 * dispatch (shim/fast_user_dispatch.c, fast_frame.c).
 */
#define ARCH_HAS_FASTPATH	1
#define ARCH_FAST_DISPATCH	1
#define ARCH_FAST_SIGRETURN	1
/* struct rt_sigframe; setup_rt_frame() writes the siginfo for every handler */
#define ARCH_FAST_FRAME_BYTES	1088
#define ARCH_FAST_SIGINFO_ALWAYS	1
#define ARCH_FAST_STUB_SIZE	256
#define ARCH_FAST_STUB_READ	32
#define ARCH_FAST_TRAPS		1
/* jal's reach, which the stub's jump back shares */
#define ARCH_FAST_REACH		(1ul << 20)

#endif
