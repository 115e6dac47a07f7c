/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* x86-64: how a syscall looks in a ucontext, and the ABI constants (the contract: ../arch-api.h). */
#ifndef SUDCOMPAT_ARCH_H
#define SUDCOMPAT_ARCH_H

#include <stddef.h>
#include <stdbool.h>
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
/* x32 syscalls: si_arch AUDIT_ARCH_X86_64, numbers with __X32_SYSCALL_BIT set */
#define ARCH_OTHER_ABI_NR_BIT	0x40000000u
/* The ABIs whose syscalls can reach the kernel (libseccomp names), native first. */
#define ARCH_SCMP_ABIS		{ SCMP_ARCH_X86_64, SCMP_ARCH_X86 }
#define ARCH_MINSIGSTKSZ	2048
/* Largest frame built by arch_build_sigframe(): ucontext, siginfo, xsave. */
#define ARCH_SIGFRAME_MAX	(16 * 1024)
/* What generated code regions hold outside their stubs: int3 at every byte (SIGTRAP) */
#define ARCH_CODE_FILL		0xccccccccu
#define ARCH_SYSCALL_INSN_SIZE	2
/* rt_sigreturn finds struct rt_sigframe at sp - 8: pretcode, then the ucontext */
#define ARCH_SIGRETURN_UC_OFFSET	0
/* The kernel frame's siginfo, from its ucontext: after the 304 bytes of struct ucontext */
#define ARCH_FRAME_SIGINFO_OFFSET	304

/* Where a trapped syscall's registers are (the accessors: ../arch-ucontext.h). */
#define ARCH_UC_IP(uc)		((uc)->uc_mcontext.gregs[REG_RIP])
#define ARCH_UC_SP(uc)		((uc)->uc_mcontext.gregs[REG_RSP])
#define ARCH_UC_RET(uc)		((uc)->uc_mcontext.gregs[REG_RAX])
/* r8 to rip: what rt_sigreturn restores exactly (it merges eflags with the current flags) */
#define ARCH_UC_GREGS(uc)	(&(uc)->uc_mcontext.gregs[REG_R8])
#define ARCH_UC_GREGS_SIZE	((REG_RIP - REG_R8 + 1) * sizeof(greg_t))

/* Six registers of @uc, in the order of @regs. */
static inline void arch_uc_gregs(const ucontext_t *uc, const int regs[6], unsigned long a[6])
{
	for (int i = 0; i < 6; i++)
		a[i] = (unsigned long)uc->uc_mcontext.gregs[regs[i]];
}

/* The syscall arguments: rdi, rsi, rdx, r10, r8, r9. */
static inline void arch_uc_args(const ucontext_t *uc, unsigned long a[6])
{
	static const int regs[6] = { REG_RDI, REG_RSI, REG_RDX, REG_R10, REG_R8, REG_R9 };

	arch_uc_gregs(uc, regs, a);
}
#define arch_uc_args arch_uc_args

/*
 * int $0x80 from 64-bit code issues the i386 ABI's syscalls, which the
 * kernel reports with si_arch AUDIT_ARCH_I386; their arguments are in
 * ebx, ecx, edx, esi, edi, ebp (the kernel takes the low 32 bits).
 */
#define ARCH_HAS_FOREIGN_ABI	1
/* sud_tramp_in_place: syscall; jmp to the site, rcx as the site's syscall leaves it */
#define ARCH_HAS_REISSUE_IN_PLACE	1
/* The process has issued an i386 syscall: only then can a thread have TLS entries in the GDT. */
extern bool sud_foreign_abi_used;

static inline void arch_uc_foreign_args(const ucontext_t *uc, unsigned long a[6])
{
	static const int regs[6] = { REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI, REG_RBP };

	sud_foreign_abi_used = true;
	arch_uc_gregs(uc, regs, a);
}

/*
 * x86-64's access_ok(addr, 1) by release (docs/design.md): up to 6.3 the
 * generic rule (addr < TASK_SIZE_MAX); from 6.4 (the LAM rework) only the
 * sign bit, for sizes known to be at most a page; from 6.12 addr <=
 * USER_PTR_MAX = TASK_SIZE_MAX, the guard page's base included (after the
 * off-by-one fix that 6.12.y received). An unknown release is taken as
 * current; backports to older stable series are not seen.
 */
static inline unsigned long arch_selector_max(unsigned long task_size, unsigned int kver)
{
	/* SUD_KVER(6, 4) and (6, 12), spelled out: the tests include arch.h without arch-api.h */
	if (kver && kver < (6u << 16 | 4))
		return task_size - 1;
	if (kver && kver < (6u << 16 | 12))
		return (1ul << 63) - 1;
	return task_size;
}
#define arch_selector_max arch_selector_max

#include "arch-ucontext.h"

/* The fast path (../arch-fastpath.h, fastpath.c): a stub per rewritten `mov $nr, %eax; syscall`. */
#define ARCH_HAS_FASTPATH	1
#define ARCH_FAST_STUB_SIZE	256
#define ARCH_FAST_STUB_READ	20
/* BLOCK is delivered without a kernel signal (fast_dispatch.c) */
#define ARCH_FAST_DISPATCH	1
/* glibc's __restore_rt is a site too: mov $15, %rax; syscall */
#define ARCH_FAST_SIGRETURN	1
/* the site's jmp rel32 and the stub's jump back, with room for the stub region itself */
#define ARCH_FAST_REACH		((1ul << 31) - (1ul << 24))

/*
 * @uc enters @fn, which never returns, as a call with @stack_top as the
 * caller's rsp would. rt_sigreturn takes cs, ss and eflags from the
 * context, which getcontext() does not fill in: the ones in use, and no
 * flags (TF would trap at once).
 */
static inline void arch_uc_call(ucontext_t *uc, void (*fn)(void), unsigned long stack_top)
{
	unsigned short cs, ss;

	__asm__("mov %%cs, %0; mov %%ss, %1" : "=r"(cs), "=r"(ss));
	uc->uc_mcontext.gregs[REG_CSGSFS] = (greg_t)((unsigned long)cs | (unsigned long)ss << 48);
	uc->uc_mcontext.gregs[REG_EFL] = 0;
	uc->uc_mcontext.gregs[REG_RSP] = (greg_t)(stack_top - 8);
	uc->uc_mcontext.gregs[REG_RBP] = 0;
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)fn;
}

/*
 * The per-thread controls that a child inherits (inherit.c): PR_GET_TSC and
 * ARCH_GET_CPUID, < 0 where this kernel or CPU has no such control; the
 * GDT's TLS entries (set_thread_area(), which a clone copies and exec
 * clears), as struct user_desc has them.
 */
#define ARCH_HAS_INHERIT	1
#define ARCH_TLS_ENTRY_MIN	12	/* GDT_ENTRY_TLS_MIN of a 64-bit kernel */
#define ARCH_TLS_ENTRIES	3
struct sud_tls_desc {
	uint32_t entry_number, base_addr, limit, flags;
};
struct sud_arch_inherit {
	int tsc;		/* PR_TSC_ENABLE or PR_TSC_SIGSEGV */
	long cpuid;		/* 1 enabled, 0 faulting (exec enables it again) */
	bool tls_read;		/* get_thread_area() answered for every entry */
	struct sud_tls_desc tls[ARCH_TLS_ENTRIES];
};
struct sud_arch_thread {
	/* an i386 clone's CLONE_SETTLS descriptor, for the child of the call under way */
	bool clone_tls_set;
	struct sud_tls_desc clone_tls;
};
#define arch_foreign_clone_tls arch_foreign_clone_tls

#endif
