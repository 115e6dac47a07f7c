/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The architecture contract: everything shim/arch/<arch>/ provides, and
 * all that the generic files may know of it. They include this header,
 * never arch.h. An item marked "default" may be left out, and this header
 * supplies it; an architecture that provides a defaulted function also
 * defines its name as a macro (#define arch_thread_pointer arch_thread_pointer).
 *
 * arch.h, constants
 *   ARCH_AUDIT_NATIVE        AUDIT_ARCH_* of the native syscall ABI (si_arch, seccomp_data.arch)
 *   ARCH_SCMP_ABIS           { SCMP_ARCH_*, ... }: every ABI whose syscalls an armed thread can
 *                            issue, native first
 *   ARCH_TASK_SIZES          { ... }: TASK_SIZE for each paging mode, ascending (the selector's access_ok())
 *   ARCH_RSEQ_SIG            the signature glibc registers its rseq area with
 *   ARCH_CLONE_TLS_ARG       the index of clone()'s tls argument
 *   ARCH_MINSIGSTKSZ         the kernel's MINSIGSTKSZ, below which sigaltstack fails with ENOMEM
 *   ARCH_SIGFRAME_MAX        the most bytes arch_build_sigframe() needs
 *   ARCH_SYSCALL_INSN_SIZE   bytes of the syscall instruction: ip minus this re-executes it
 *   ARCH_SIGRETURN_UC_OFFSET where the frame's struct ucontext is, from the sp at rt_sigreturn
 *   ARCH_FRAME_SIGINFO_OFFSET where a kernel frame's siginfo is, from its struct ucontext
 *   ARCH_HAS_SA_RESTORER     1 where the kernel's sigaction has sa_restorer (default: 0)
 *   ARCH_RETURN_IS_FIRST_ARG 1 where the syscall's return register holds its first argument
 *                            (arm64 x0, riscv a0), which the kernel's signal delivery reads as
 *                            a restart code (default: 0)
 *   ARCH_OTHER_ABI_NR_BIT    where numbers from this bit up are another ABI's under the native
 *                            si_arch (x32 on x86-64), which the filter treats as a foreign
 *                            ABI's (default: none)
 *   ARCH_HAS_FOREIGN_ABI     1 where an armed thread can issue the syscalls of a second ABI, the
 *                            second entry of ARCH_SCMP_ABIS (int $0x80 on x86-64); the arch then
 *                            provides arch_uc_foreign_args() and sud_tramp_foreign_reissue
 *                            (default: 0, and arch_foreign_reissue() returns -ENOSYS)
 *   ARCH_HAS_REISSUE_IN_PLACE 1 where a trapped syscall can be issued again in the
 *                            application's own context, from the trampoline, once the
 *                            library's handler returns (sud_tramp_in_place); sigframe.c then
 *                            provides arch_reissue_in_place() and arch_adopt_in_place()
 *                            (default: 0, and the two do nothing)
 *   ARCH_CODE_FILL           a 32-bit pattern that traps wherever execution lands in a region
 *                            filled with it (x86-64 int3, arm64 udf #0, riscv an illegal
 *                            instruction): what generated code regions hold outside their stubs
 *   ARCH_VDSO_SIGRETURN_SYMBOL, ARCH_VDSO_SIGRETURN_VERSION, ARCH_VDSO_SIGRETURN_SPAN
 *                            the vDSO's sigreturn trampoline, through which every handler
 *                            without SA_RESTORER returns: [symbol, symbol + span) holds the ip
 *                            after its syscall instruction (default: there is none)
 *
 * arch.h, the ucontext of a trapped syscall
 *   ARCH_UC_IP, ARCH_UC_SP, ARCH_UC_ARG, ARCH_UC_RET
 *                            where the registers are, from which arch-ucontext.h (which
 *                            arch.h includes) builds arch_uc_ip(), arch_uc_set_ip(),
 *                            arch_uc_sp(), arch_uc_set_sp(), arch_uc_args() (an arch.h may
 *                            have its own) and arch_uc_set_return()
 *   ARCH_UC_GREGS(uc), ARCH_UC_GREGS_SIZE
 *                            the general registers, ip and sp among them, that rt_sigreturn
 *                            restores exactly as the frame has them: one block of the mcontext
 *   arch_uc_foreign_args()   with ARCH_HAS_FOREIGN_ABI: the foreign ABI's six argument registers
 *   arch_uc_call(uc, fn, top) make @uc enter @fn (which never returns) on a stack ending at @top
 *   arch_thread_pointer()    default: __builtin_thread_pointer()
 *   arch_untagged_addr()     the address the kernel checks for a user pointer
 *                            (default: the address itself)
 *   arch_selector_max(task_size, kver)
 *                            the highest address that access_ok(addr, 1) accepts in a kernel of
 *                            release kver (SUD_KVER(), 0 when unknown) with that TASK_SIZE_MAX
 *                            (default: asm-generic's rule, addr <= TASK_SIZE_MAX - 1)
 *
 * trampoline.S: the range the filter exempts, [sud_trampoline_start, sud_trampoline_end),
 *   holding exactly sud_tramp_syscall, sud_tramp_reissue (sud_window_func, with the labels
 *   sud_tramp_reissue_open, _ret and _close), sud_tramp_sigreturn_at, with ARCH_HAS_SA_RESTORER
 *   sud_tramp_restorer, and with ARCH_HAS_FOREIGN_ABI sud_tramp_foreign_reissue.
 * asm.h: the assembler's side (../arch-asm.h), from which the generic ../outside.S builds
 *   the stubs whose syscalls the filter must see as the application's: sud_outside_syscall
 *   and sud_arch_clone.
 * sigframe.c: arch_build_sigframe(), arch_set_thread_pointer() and arch_enter_handler()
 *   (where the stubs fall back through a slot, ../fast_user_dispatch.c has the last, from
 *   arch_entry_frame()).
 * insn.c: arch_syscall_ending_at(), what the machine code of a syscall site says (for a
 *   fixed-width instruction set, ../syscall-word.h with three macros).
 * code_sync.c: arch_code_sync(), what makes code that replaced other code at the same
 *   address (shim/code_page.c) the code that every thread fetches from then on.
 *
 * What a new task inherits of the architecture's per-thread state (shim/inherit.c): the
 * kernel copies it from the helper thread that issues the clone or the execve, so the
 * new task takes the armed caller's on, as for the generic attributes. All default to
 * nothing; an architecture that has such state defines ARCH_HAS_INHERIT 1 in arch.h,
 * with the two structs there, and the four functions in inherit.c:
 *   struct sud_arch_inherit  the state, as the calling thread has it (x86-64: PR_GET_TSC,
 *                            ARCH_GET_CPUID; arm64: SVE and SME vector lengths, tagged
 *                            address control, enabled PAC keys; riscv64: the V control)
 *   struct sud_arch_thread   what an armed thread set through the library that cannot be
 *                            read back (kept in sud_self, shim/state.h)
 *   arch_inherit_capture(a, t)  read the calling thread's state, @t its record (or NULL)
 *   arch_inherit_differ(have, want, exec)  whether a task with @have must change to get
 *                            @want; for a clone child (!@exec), or the thread that execs
 *   arch_inherit_apply(have, want)  make the calling thread have @want: raw syscalls only,
 *                            a control this kernel or CPU lacks (it read as < 0) is skipped
 *   arch_inherit_prctl(t, a, ret)  an armed thread's prctl(@a...) returned @ret: note in @t
 *                            what arch_inherit_capture() cannot read back
 */
#ifndef SUDCOMPAT_ARCH_API_H
#define SUDCOMPAT_ARCH_API_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <ucontext.h>

/* A kernel release, comparable: SUD_KVER(6, 18). */
#define SUD_KVER(major, minor)	((unsigned int)(major) << 16 | (unsigned int)(minor))

#include "arch.h"
#include "reissue-call.h"

#if !defined(ARCH_AUDIT_NATIVE) || !defined(ARCH_SCMP_ABIS) || !defined(ARCH_TASK_SIZES) || \
	!defined(ARCH_RSEQ_SIG) || !defined(ARCH_CLONE_TLS_ARG) || !defined(ARCH_MINSIGSTKSZ) || \
	!defined(ARCH_SIGFRAME_MAX) || !defined(ARCH_SYSCALL_INSN_SIZE) || \
	!defined(ARCH_SIGRETURN_UC_OFFSET) || !defined(ARCH_FRAME_SIGINFO_OFFSET) || \
	!defined(ARCH_UC_GREGS) || !defined(ARCH_UC_GREGS_SIZE) || !defined(ARCH_CODE_FILL)
#error "arch.h does not provide what shim/arch/arch-api.h lists"
#endif

/* --- defaults --- */
#ifndef ARCH_HAS_SA_RESTORER
#define ARCH_HAS_SA_RESTORER	0
#endif

#ifndef ARCH_RETURN_IS_FIRST_ARG
#define ARCH_RETURN_IS_FIRST_ARG	0
#endif

#ifndef ARCH_HAS_FOREIGN_ABI
#define ARCH_HAS_FOREIGN_ABI	0
#endif

#if !ARCH_HAS_FOREIGN_ABI
/* no second ABI: the kernel never reports one */
static inline void arch_uc_foreign_args(const ucontext_t *uc, unsigned long a[6])
{
	(void)uc;
	for (int i = 0; i < 6; i++)
		a[i] = 0;
}
#endif

#ifndef ARCH_VDSO_SIGRETURN_SYMBOL
#define ARCH_VDSO_SIGRETURN_SYMBOL	NULL
#define ARCH_VDSO_SIGRETURN_VERSION	NULL
#define ARCH_VDSO_SIGRETURN_SPAN	0
#endif

#ifndef arch_thread_pointer
static inline unsigned long arch_thread_pointer(void)
{
	return (unsigned long)__builtin_thread_pointer();
}
#endif

#ifndef arch_untagged_addr
static inline unsigned long arch_untagged_addr(unsigned long addr)
{
	return addr;
}
#endif

#ifndef arch_selector_max
/* asm-generic/access_ok.h: size <= TASK_SIZE_MAX && addr <= TASK_SIZE_MAX - size, with size 1 */
static inline unsigned long arch_selector_max(unsigned long task_size, unsigned int kver)
{
	(void)kver;
	return task_size - 1;
}
#endif

#ifndef ARCH_HAS_INHERIT
#define ARCH_HAS_INHERIT	0
struct sud_arch_inherit {
	char none;
};
struct sud_arch_thread {
	char none;
};
#endif

/*
 * A foreign-ABI clone's CLONE_SETTLS @udesc (an i386 struct user_desc),
 * checked as the kernel would check it for the child (EFAULT, EINVAL) and
 * recorded in @t for the child of the lifecycle call under way, which
 * inherits it (<arch>/inherit.c); NULL forgets it. 0 or -errno. Default:
 * there is no such descriptor, -ENOSYS.
 */
#ifdef arch_foreign_clone_tls
long arch_foreign_clone_tls(struct sud_arch_thread *t, const void *udesc);
#else
static inline long arch_foreign_clone_tls(struct sud_arch_thread *t, const void *udesc)
{
	(void)t;
	(void)udesc;
	return -ENOSYS;
}
#endif

/* --- a task's architecture state that its children inherit (<arch>/inherit.c) --- */
#if ARCH_HAS_INHERIT
void arch_inherit_capture(struct sud_arch_inherit *a, const struct sud_arch_thread *t);
bool arch_inherit_differ(const struct sud_arch_inherit *have, const struct sud_arch_inherit *want,
			 bool exec);
void arch_inherit_apply(const struct sud_arch_inherit *have, const struct sud_arch_inherit *want);
void arch_inherit_prctl(struct sud_arch_thread *t, const unsigned long a[6], long ret);
#else
static inline void arch_inherit_capture(struct sud_arch_inherit *a, const struct sud_arch_thread *t)
{
	(void)a;
	(void)t;
}

static inline bool arch_inherit_differ(const struct sud_arch_inherit *have,
				       const struct sud_arch_inherit *want, bool exec)
{
	(void)have;
	(void)want;
	(void)exec;
	return false;
}

static inline void arch_inherit_apply(const struct sud_arch_inherit *have,
				      const struct sud_arch_inherit *want)
{
	(void)have;
	(void)want;
}

static inline void arch_inherit_prctl(struct sud_arch_thread *t, const unsigned long a[6], long ret)
{
	(void)t;
	(void)a;
	(void)ret;
}
#endif

/*
 * A trapped prctl(@a...) that returned @ret may have changed what the frame
 * @uc of its trap must hold for its rt_sigreturn to be accepted (arm64: the
 * vector lengths in the SVE and ZA records, <arch>/sigframe.c). An
 * architecture with such state defines ARCH_HAS_FRAME_AFTER_PRCTL 1.
 */
#ifndef ARCH_HAS_FRAME_AFTER_PRCTL
#define ARCH_HAS_FRAME_AFTER_PRCTL	0
#endif
#if ARCH_HAS_FRAME_AFTER_PRCTL
void arch_uc_after_prctl(ucontext_t *uc, const unsigned long a[6], long ret);
#else
static inline void arch_uc_after_prctl(ucontext_t *uc, const unsigned long a[6], long ret)
{
	(void)uc;
	(void)a;
	(void)ret;
}
#endif

#ifndef ARCH_HAS_REISSUE_IN_PLACE
#define ARCH_HAS_REISSUE_IN_PLACE	0
#endif

#if ARCH_HAS_REISSUE_IN_PLACE
/* @uc, of a trapped syscall @nr, returns into that syscall issued again from the trampoline. */
void arch_reissue_in_place(ucontext_t *uc, int nr);
/* @uc, at that syscall, becomes the application's at its own: false where it is not there. */
bool arch_adopt_in_place(ucontext_t *uc);
#else
static inline void arch_reissue_in_place(ucontext_t *uc, int nr)
{
	(void)uc;
	(void)nr;
}

static inline bool arch_adopt_in_place(ucontext_t *uc)
{
	(void)uc;
	return false;
}
#endif

/* --- the syscall instructions (trampoline.S, ../outside.S) --- */
extern char sud_trampoline_start[], sud_trampoline_end[];
/* A syscall the filter always lets through: the library's own. */
long sud_tramp_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
/*
 * The application's syscall @c, re-issued with c->mask as the real mask
 * while it runs (reissue-call.h): [sud_tramp_reissue_open,
 * sud_tramp_reissue_close] is where a signal can interrupt it,
 * sud_tramp_reissue_ret the address after its instruction.
 */
long sud_tramp_reissue(struct sud_reissue_call *c);
extern char sud_tramp_reissue_open[], sud_tramp_reissue_ret[], sud_tramp_reissue_close[];
/* The restorer of the library's SIGSYS action; only where ARCH_HAS_SA_RESTORER. */
void sud_tramp_restorer(void);
/* rt_sigreturn of the frame that a restorer would return from with @sp as its stack pointer. */
__attribute__((noreturn)) void sud_tramp_sigreturn_at(unsigned long sp);
/* The same for the foreign ABI's syscall; only where ARCH_HAS_FOREIGN_ABI. */
long sud_tramp_foreign_reissue(struct sud_reissue_call *c);
extern char sud_tramp_foreign_open[] __attribute__((weak, visibility("hidden")));
extern char sud_tramp_foreign_ret[] __attribute__((weak, visibility("hidden")));
extern char sud_tramp_foreign_close[] __attribute__((weak, visibility("hidden")));
/* A syscall the filter sees as the application's: from an ordinary site, outside the range. */
long sud_outside_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

/*
 * The kernel's handler for another signal whose sa_mask holds SIGSYS
 * (outside.S, from asm.h's masked_handler_body): it calls sud_masked_enter()
 * (signal_state.c), the second name the architecture takes from the generic
 * code, and jumps to the handler that returns with the registers and the
 * stack as the kernel left them.
 */
void sud_masked_handler(int sig, siginfo_t *info, void *uc);
void *sud_masked_enter(int sig, siginfo_t *info, ucontext_t *uc);

struct sud_child;
/*
 * clone-like syscall @nr with up to five arguments. The parent returns the
 * result; the child calls sud_child_entry(@child) (shim/child.c) on the
 * stack the kernel gave it and never returns. That call is the one name
 * the architecture takes from the generic code, as a thread start routine.
 */
long sud_arch_clone(long nr, long a0, long a1, long a2, long a3, long a4, struct sud_child *child);

#define sud_sys0(nr)			sud_tramp_syscall((nr), 0, 0, 0, 0, 0, 0)
#define sud_sys1(nr, a)			sud_tramp_syscall((nr), (long)(a), 0, 0, 0, 0, 0)
#define sud_sys2(nr, a, b)		sud_tramp_syscall((nr), (long)(a), (long)(b), 0, 0, 0, 0)
#define sud_sys3(nr, a, b, c)		sud_tramp_syscall((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sud_sys4(nr, a, b, c, d)	sud_tramp_syscall((nr), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define sud_sys5(nr, a, b, c, d, e)	sud_tramp_syscall((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define sud_sys6(nr, a, b, c, d, e, f)	sud_tramp_syscall((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

static inline bool sud_is_error(long ret)
{
	return (unsigned long)ret > -4096ul;
}

/*
 * Re-issue @c, a trapped syscall of the foreign ABI (si_arch other than
 * ARCH_AUDIT_NATIVE), with that ABI's arguments from @uc; its result as the
 * kernel leaves it in the return register.
 */
static inline long arch_foreign_reissue(struct sud_reissue_call *c, const ucontext_t *uc)
{
#if ARCH_HAS_FOREIGN_ABI
	arch_uc_foreign_args(uc, c->a);
	return sud_tramp_foreign_reissue(c);
#else
	/* no second ABI: the kernel never reports one */
	(void)c;
	(void)uc;
	return -ENOSYS;
#endif
}

/* --- the kernel's signal ABI --- */
/*
 * The kernel's sigset_t: 64 bits on every supported architecture (_NSIG
 * 64), the first word of glibc's. The mask in a ucontext is the kernel's.
 */
static inline uint64_t sud_sigbit(int sig)
{
	return 1ull << (sig - 1);
}

static inline uint64_t sud_uc_mask(const ucontext_t *uc)
{
	uint64_t m;

	__builtin_memcpy(&m, &uc->uc_sigmask, sizeof(m));
	return m;
}

static inline void sud_uc_set_mask(ucontext_t *uc, uint64_t m)
{
	__builtin_memcpy(&uc->uc_sigmask, &m, sizeof(m));
}

/* The kernel's struct sigaction: asm-generic's layout, sa_restorer where the kernel has it. */
struct sud_ksigaction {
	void *handler;
	unsigned long flags;
#if ARCH_HAS_SA_RESTORER
	void (*restorer)(void);
#endif
	uint64_t mask;
};

/* SA_RESTORER of uapi asm/signal.h, the same wherever it exists (glibc does not export it), or 0 */
#if ARCH_HAS_SA_RESTORER
#define SUD_SA_RESTORER		0x04000000ul
#else
#define SUD_SA_RESTORER		0ul
#endif
#define SUD_SA_EXPOSE_TAGBITS	0x00000800ul

/*
 * UAPI_SA_FLAGS of linux/signal_types.h: the sa_flags the kernel keeps. It
 * clears every other bit, which is how an application probes for flag support
 * (sigaction(2)). glibc's SA_* are ints, and SA_RESETHAND is the sign bit.
 */
#define SUD_UAPI_SA_FLAGS							\
	((unsigned long)(unsigned int)(SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO |	\
				       SA_ONSTACK | SA_RESTART | SA_NODEFER |	\
				       SA_RESETHAND) |				\
	 SUD_SA_EXPOSE_TAGBITS | SUD_SA_RESTORER)

/* Have @act return through the library's restorer, on an architecture that takes one. */
static inline void arch_ksigaction_set_restorer(struct sud_ksigaction *act)
{
#if ARCH_HAS_SA_RESTORER
	act->flags |= SUD_SA_RESTORER;
	act->restorer = sud_tramp_restorer;
#else
	(void)act;
#endif
}

/* sa_restorer as the kernel keeps it, NULL where its sigaction has none. */
static inline void *sud_ksigaction_restorer(const struct sud_ksigaction *act)
{
#if ARCH_HAS_SA_RESTORER
	return (void *)act->restorer;
#else
	(void)act;
	return NULL;
#endif
}

static inline void sud_ksigaction_set_restorer_to(struct sud_ksigaction *act, void *restorer)
{
#if ARCH_HAS_SA_RESTORER
	__builtin_memcpy(&act->restorer, &restorer, sizeof(restorer));
#else
	(void)act;
	(void)restorer;
#endif
}

/* --- a child's first frame (sigframe.c) --- */
struct sud_resume {
	const ucontext_t *uc;	/* the caller's context at its syscall */
	long ret;		/* the syscall's result in the child */
	unsigned long sp;	/* the child's stack pointer, 0 for the caller's */
	unsigned long tls;	/* CLONE_SETTLS value, 0 when not given */
	uint64_t sigmask;	/* the child's blocked set */
	bool keep_altstack;	/* fork-like children inherit the caller's */
};

struct seccomp_data;
/*
 * Whether the instruction that ends at @uc's ip is a syscall instruction
 * whose execution left @uc as it is (the code is read as the
 * application's memory: false where it cannot be); if so, @sd is what
 * the kernel's seccomp_data held for it, and *@nr_known whether the
 * registers name its number for sure (x86-64's rax may hold a result).
 */
bool arch_syscall_ending_at(const ucontext_t *uc, struct seccomp_data *sd, bool *nr_known);

/*
 * [@addr, @addr + @n) now holds new code, in a page that the kernel mapped
 * in place of the old one (shim/code_page.c): make every thread that
 * fetches from there from now on fetch the new code (code_sync.c). Raw
 * syscalls only; it cannot fail in a way its caller could undo.
 */
void arch_code_sync(unsigned long addr, unsigned long n);

/* Lay out a signal frame in @buf that resumes @r; returns the sp for sud_tramp_sigreturn_at, 0 if it does not fit. */
unsigned long arch_build_sigframe(void *buf, unsigned long size, const struct sud_resume *r);
void arch_set_thread_pointer(unsigned long tp);

/* --- the application's handler, entered on a kernel frame (sigframe.c) --- */
/* The siginfo of the kernel frame that holds @uc. */
static inline siginfo_t *sud_frame_siginfo(ucontext_t *uc)
{
	return (siginfo_t *)((char *)uc + ARCH_FRAME_SIGINFO_OFFSET);
}

/* Whether @uc was interrupted in the library's exempt range: its own syscalls. */
static inline bool sud_uc_in_trampoline(const ucontext_t *uc)
{
	unsigned long ip = arch_uc_ip(uc);

	return ip - (unsigned long)sud_trampoline_start <
	       (unsigned long)(sud_trampoline_end - sud_trampoline_start);
}

struct sud_handler_entry {
	int sig;
	void *handler;
	void *restorer;		/* where it returns: its sa_restorer, or the vDSO's trampoline */
	bool siginfo;		/* SA_SIGINFO */
	uint64_t mask;		/* the real blocked set while it runs */
};

/*
 * Enter @e->handler as the kernel's setup_rt_frame() would, on the frame
 * that the kernel built for the library's SIGSYS action: @info and @uc
 * are that frame's siginfo and ucontext, at the place where the kernel
 * would have put the application's frame, and become the handler's. Its
 * registers are set as for a delivery, then the thread rt_sigreturns
 * into it with @e->mask.
 */
__attribute__((noreturn)) void arch_enter_handler(siginfo_t *info, ucontext_t *uc,
						  const struct sud_handler_entry *e);
/*
 * Make @uc, a kernel frame's context of an interrupted sud_tramp_reissue,
 * the application's at the syscall it stands for (@app, the trapped
 * context): every register and the FP state of @app, with the syscall's
 * result from @uc, or, where the kernel set @uc up to restart the syscall
 * (@restart), @app's syscall instruction again with @uc's number.
 */
void arch_uc_adopt(ucontext_t *uc, const ucontext_t *app, bool restart);
/*
 * Copy the trapped context @src into @dst, with whatever of it lies outside
 * the ucontext (x86-64's xsave area) in @space of @size bytes: @dst then
 * stands on its own, @src's frame may go. false where it does not fit.
 */
bool arch_uc_save(ucontext_t *dst, void *space, size_t size, const ucontext_t *src);

/* For arch_build_sigframe(): what every architecture's frame takes from @r, the alternate stack and the signal mask. */
static inline void sud_resume_signal_state(ucontext_t *nuc, const struct sud_resume *r)
{
	if (!r->keep_altstack) {
		nuc->uc_stack.ss_sp = NULL;
		nuc->uc_stack.ss_size = 0;
		nuc->uc_stack.ss_flags = SS_DISABLE;
	}
	/* the kernel's sigset is the first 64 bits of glibc's; the rest is padding */
	__builtin_memset(&nuc->uc_sigmask, 0, sizeof(nuc->uc_sigmask));
	sud_uc_set_mask(nuc, r->sigmask);
}

#endif
