/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Declarations shared by the library's generic files. No arch #ifdefs here. */
#ifndef SUDCOMPAT_INTERNAL_H
#define SUDCOMPAT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <ucontext.h>
#include <linux/filter.h>

#include "arch.h"
#include "sudcompat.h"

#define SUD_HIDDEN __attribute__((visibility("hidden")))

#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1u << 31)
#endif

/* RET_TRAP data of the emulation's filters; arrives as si_errno. */
#define SUD_TRAP_TAG		0x53dcu

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1
#endif

/* --- the syscall instructions (shim/arch/<arch>/trampoline.S) --- */
extern char sud_trampoline_start[], sud_trampoline_end[];
long sud_tramp_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5) SUD_HIDDEN;
long sud_outside_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5) SUD_HIDDEN;
void sud_tramp_restorer(void) SUD_HIDDEN;
__attribute__((noreturn)) void sud_tramp_sigreturn_at(unsigned long sp) SUD_HIDDEN;
long sud_arch_clone(long nr, long a0, long a1, long a2, long a3, long a4, void *child) SUD_HIDDEN;

#define sud_sys0(nr)			sud_tramp_syscall((nr), 0, 0, 0, 0, 0, 0)
#define sud_sys1(nr, a)			sud_tramp_syscall((nr), (long)(a), 0, 0, 0, 0, 0)
#define sud_sys2(nr, a, b)		sud_tramp_syscall((nr), (long)(a), (long)(b), 0, 0, 0, 0)
#define sud_sys3(nr, a, b, c)		sud_tramp_syscall((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sud_sys4(nr, a, b, c, d)	sud_tramp_syscall((nr), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define sud_sys5(nr, a, b, c, d, e)	sud_tramp_syscall((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

static inline bool sud_is_error(long ret)
{
	return (unsigned long)ret > -4096ul;
}

/* --- the kernel's view of signal actions and masks --- */
struct sud_ksigaction {
	void *handler;
	unsigned long flags;
#if ARCH_HAS_SA_RESTORER
	void (*restorer)(void);
#endif
	uint64_t mask;
};

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

/* --- the dispatch rule (shim/decision.c), pure --- */
enum sud_mode { SUD_MODE_OFF = 0, SUD_MODE_EXCLUSIVE = 1, SUD_MODE_INCLUSIVE = 2 };

struct sud_config {
	enum sud_mode mode;
	unsigned long offset, len;	/* as the application gave them */
	char *selector;
};

int sud_config_validate(unsigned long op, unsigned long offset, unsigned long len,
			char *selector, struct sud_config *out) SUD_HIDDEN;
/* True when a syscall issued from @ip (the address after the instruction) bypasses dispatch. */
bool sud_ip_exempt(const struct sud_config *cfg, unsigned long ip) SUD_HIDDEN;
/* The highest user address the kernel would accept for a selector. */
unsigned long sud_user_address_limit(void) SUD_HIDDEN;

/* --- the emulation's filter (shim/filter.c) --- */
struct sud_filter_spec {
	unsigned long tramp_start, tramp_end;
	unsigned long sigreturn_start, sigreturn_end;	/* the kernel's sigreturn trampoline, or 0 */
	int sigreturn_nr;
	struct sud_config range;	/* SUD_MODE_OFF: trap everything else */
};

int sud_filter_build(const struct sud_filter_spec *spec, struct sock_fprog *prog) SUD_HIDDEN;
/* The syscalls that always reach the library, even from the allowed range. */
int sud_special_syscalls(uint32_t scmp_arch, int *nrs, int max) SUD_HIDDEN;

/* --- per-thread state (shim/seccomp_backend.c) --- */
enum sud_filter_state { SUD_FILTER_NONE = 0, SUD_FILTER_RANGE, SUD_FILTER_TRAP_ALL };

struct sud_thread {
	struct sud_config cfg;
	enum sud_filter_state filter;
	struct sud_config filtered;	/* the range the installed filter lets through */
	bool sigsys_blocked;		/* the application's view of SIGSYS in its mask */
};

extern __thread struct sud_thread sud_self __attribute__((tls_model("initial-exec"))) SUD_HIDDEN;

/* process-wide facts, resolved once */
struct sud_process {
	int nr_rt_sigreturn, nr_rt_sigaction, nr_rt_sigprocmask, nr_sigaltstack,
	    nr_rt_sigsuspend, nr_prctl, nr_clone, nr_clone3, nr_fork, nr_vfork,
	    nr_execve, nr_execveat;
	unsigned long sigreturn_start, sigreturn_end;
};
extern struct sud_process sud_proc SUD_HIDDEN;

int sud_seccomp_available(void) SUD_HIDDEN;	/* 0 or the errno an arm would give */
int sud_seccomp_set_dispatch(const struct sud_config *cfg) SUD_HIDDEN;
int sud_seccomp_rearm_in_handler(const struct sud_config *cfg) SUD_HIDDEN;
void sud_thread_forget(void) SUD_HIDDEN;

/* --- the SIGSYS owner (shim/sigsys.c) --- */
int sud_sigsys_take_over(void) SUD_HIDDEN;
void sud_sigsys_forget(void) SUD_HIDDEN;
bool sud_sigsys_owned(void) SUD_HIDDEN;
/* Read or replace the application's (virtual) SIGSYS action. */
void sud_sigsys_exchange(const struct sud_ksigaction *act, struct sud_ksigaction *old) SUD_HIDDEN;
/* Emulations of the signal-state syscalls, on the trapped context. */
long sud_emulate_rt_sigaction(ucontext_t *uc, const unsigned long a[6]) SUD_HIDDEN;
long sud_emulate_rt_sigprocmask(ucontext_t *uc, const unsigned long a[6]) SUD_HIDDEN;
long sud_emulate_sigaltstack(ucontext_t *uc, const unsigned long a[6]) SUD_HIDDEN;
long sud_emulate_rt_sigsuspend(const unsigned long a[6]) SUD_HIDDEN;
__attribute__((noreturn)) void sud_die_by(int sig) SUD_HIDDEN;

/* --- fault-tolerant access to application memory (shim/usercopy.c) --- */
int sud_copy_from_user(void *dst, const void *src, unsigned long n) SUD_HIDDEN;
int sud_copy_to_user(void *dst, const void *src, unsigned long n) SUD_HIDDEN;

/* --- the pristine helper thread (shim/pristine.c) --- */
int sud_pristine_start(void) SUD_HIDDEN;
long sud_pristine_lifecycle(int nr, const unsigned long a[6], ucontext_t *uc) SUD_HIDDEN;

/* --- clean children (shim/child.c) --- */
struct sud_resume {
	const ucontext_t *uc;	/* the caller's context at its syscall */
	long ret;		/* the syscall's result in the child */
	unsigned long sp;	/* the child's stack pointer, 0 for the caller's */
	unsigned long tls;	/* CLONE_SETTLS value, 0 when not given */
	uint64_t sigmask;	/* the child's blocked set */
	bool keep_altstack;	/* fork-like children inherit the caller's */
};
/* What every architecture's frame takes from @r: the alternate stack and the signal mask. */
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

/* Lay out a signal frame in @buf that resumes @r; returns the sp for sud_tramp_sigreturn_at, 0 if it does not fit. */
unsigned long arch_build_sigframe(void *buf, unsigned long size, const struct sud_resume *r) SUD_HIDDEN;
void arch_set_thread_pointer(unsigned long tp) SUD_HIDDEN;

/* --- backend choice (shim/backend.c) --- */
enum sudcompat_backend sud_backend_get(void) SUD_HIDDEN;
int sud_dispatch_prctl(unsigned long op, unsigned long offset, unsigned long len, char *selector) SUD_HIDDEN;
/* The SUD prctl that came through libc's prctl()/syscall(): the library's to run, or libc's? */
bool sud_prctl_is_ours(void) SUD_HIDDEN;

/* --- the vDSO (shim/vdso.c) --- */
unsigned long sud_vdso_symbol(const char *name, const char *version) SUD_HIDDEN;

#endif
