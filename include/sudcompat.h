/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sudcompat: Syscall User Dispatch on every kernel.
 *
 * An application keeps calling prctl(PR_SET_SYSCALL_USER_DISPATCH, ...).
 * Linked with -lsudcompat or preloaded, the call is served by the kernel
 * where the kernel has SUD, and emulated with seccomp where it does not.
 * This header adds the uapi constants that older kernel headers lack, and a
 * small explicit API; see sudcompat(3).
 */
#ifndef SUDCOMPAT_H
#define SUDCOMPAT_H

#ifdef __cplusplus
extern "C" {
#endif

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif
#ifndef PR_SYS_DISPATCH_OFF
#define PR_SYS_DISPATCH_OFF 0
#endif
#ifndef PR_SYS_DISPATCH_ON
#define PR_SYS_DISPATCH_ON 1
#endif
#ifndef PR_SYS_DISPATCH_EXCLUSIVE_ON
#define PR_SYS_DISPATCH_EXCLUSIVE_ON 1
#endif
#ifndef PR_SYS_DISPATCH_INCLUSIVE_ON
#define PR_SYS_DISPATCH_INCLUSIVE_ON 2
#endif
#ifndef SYSCALL_DISPATCH_FILTER_ALLOW
#define SYSCALL_DISPATCH_FILTER_ALLOW 0
#endif
#ifndef SYSCALL_DISPATCH_FILTER_BLOCK
#define SYSCALL_DISPATCH_FILTER_BLOCK 1
#endif
#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH 2
#endif

/* Which mechanism serves this process. */
enum sudcompat_backend {
	SUDCOMPAT_BACKEND_NONE = 0,	/* neither works here */
	SUDCOMPAT_BACKEND_NATIVE = 1,	/* the kernel's own SUD */
	SUDCOMPAT_BACKEND_SECCOMP = 2,	/* the seccomp emulation */
};

/* Deviations from native SUD that the seccomp backend cannot avoid. */
#define SUDCOMPAT_DEV_NO_NEW_PRIVS	(1u << 0) /* armed threads keep no_new_privs */
#define SUDCOMPAT_DEV_FILTER_STAYS	(1u << 1) /* a disarmed thread keeps its filter and its cost */
#define SUDCOMPAT_DEV_FOREIGN_FILTERS	(1u << 2) /* the application's own filters may act first */
#define SUDCOMPAT_DEV_UNCOVERED_CODE	(1u << 3) /* code that bypasses the library is not covered */
#define SUDCOMPAT_DEV_HELPER_THREAD	(1u << 4) /* a helper thread issues fork/clone/exec */
#define SUDCOMPAT_DEV_HANDLER_RETURN	(1u << 5) /* no longer reported: the handler's return is dispatched */
#define SUDCOMPAT_DEV_REISSUE_SITE	(1u << 6) /* no longer reported: the bit stays reserved */
#define SUDCOMPAT_DEV_CHILD_REFUSED	(1u << 7) /* a child of a thread the helper cannot stand for fails, EPERM */
#define SUDCOMPAT_DEV_REWRITTEN_CODE	(1u << 8) /* the fast path rewrites trapped syscall sites */

/* Which code the seccomp backend rewrites to avoid traps (SUDCOMPAT_FASTPATH). */
enum sudcompat_fastpath {
	SUDCOMPAT_FASTPATH_OFF = 0,	/* none: every syscall outside the allowed range traps */
	SUDCOMPAT_FASTPATH_ELF = 1,	/* code of ELF objects that the dynamic linker knows */
	SUDCOMPAT_FASTPATH_ALL = 2,	/* any code, JIT and foreign images included */
};

struct sudcompat_probe {
	enum sudcompat_backend backend;	/* what an arm would use now */
	int native_errno;		/* 0 when the kernel has SUD */
	int seccomp_errno;		/* 0 when the emulation can work */
	unsigned int deviations;	/* SUDCOMPAT_DEV_* in force for @backend */
	const char *reason;		/* one line: why @backend was chosen */
};

/*
 * The prctl, as a function: same arguments, same errors, same effect.
 * Returns 0, or -1 with errno set.
 */
int sudcompat_set_dispatch(unsigned long op, unsigned long offset,
			   unsigned long len, char *selector);

/* sudcompat_set_dispatch(PR_SYS_DISPATCH_EXCLUSIVE_ON, ...). */
int sudcompat_arm(unsigned long offset, unsigned long len, char *selector);

/* sudcompat_set_dispatch(PR_SYS_DISPATCH_OFF, 0, 0, NULL). */
int sudcompat_disarm(void);

/* The backend this process uses, choosing it on first call. */
enum sudcompat_backend sudcompat_backend(void);

/*
 * Force a backend before the first arm of this process (the
 * SUDCOMPAT_BACKEND environment variable does the same). Fails with EBUSY
 * once a thread is armed, and with the backend's errno if it cannot work.
 */
int sudcompat_select_backend(enum sudcompat_backend backend);

/* Fill @probe; returns 0. Does not arm anything. */
int sudcompat_probe(struct sudcompat_probe *probe);

/* "native", "seccomp" or "none". */
const char *sudcompat_backend_name(enum sudcompat_backend backend);

/* The fast path's mode for this image: SUDCOMPAT_FASTPATH=off|elf|all, elf when unset. */
enum sudcompat_fastpath sudcompat_fastpath(void);

/*
 * Choose the fast path's mode before the first arm of this process, in
 * place of SUDCOMPAT_FASTPATH. Fails with EBUSY once a thread is armed,
 * EINVAL for another value, ENOTSUP for a mode this architecture lacks.
 */
int sudcompat_select_fastpath(enum sudcompat_fastpath mode);

/* What the fast path did in this process image (a fork child starts with its parent's). */
struct sudcompat_fastpath_stats {
	unsigned long sites_trapped;	/* syscall sites that trapped, special syscalls' aside */
	unsigned long sites_rewritten;	/* sites whose syscalls jump to a stub of the library's */
	unsigned long sites_left;	/* sites tried (at their third trap) and left on the trap path */
	unsigned long traps;		/* syscalls of the native ABI that trapped */
	unsigned long dispatches;	/* BLOCKs at rewritten sites delivered without a kernel signal */
};

/* Fill @stats; returns 0, or -1 with EFAULT for NULL. */
int sudcompat_fastpath_stats(struct sudcompat_fastpath_stats *stats);

/* "off", "elf" or "all". */
const char *sudcompat_fastpath_name(enum sudcompat_fastpath mode);

/* A sentence describing one SUDCOMPAT_DEV_* bit, or NULL. */
const char *sudcompat_deviation_text(unsigned int deviation);

#ifdef __cplusplus
}
#endif

#endif /* SUDCOMPAT_H */
