/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a new task takes from the thread that creates it, or that execs
 * (shim/inherit.c): the per-thread attributes that the kernel copies from
 * the creating thread, which for a child of the helper would be the
 * helper's. Read in the armed caller's context, applied in the new task.
 */
#ifndef SUDCOMPAT_INHERIT_H
#define SUDCOMPAT_INHERIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "arch-api.h"

/* The kernel's struct sched_attr, SCHED_ATTR_SIZE_VER1 (utilization clamps included). */
struct sud_sched_attr {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime, deadline, period;
	uint32_t util_min, util_max;
};

#define SUD_INHERIT_CPU_WORDS	16	/* 1024 CPUs inline; more go to a mapping of the caller's */
#define SUD_INHERIT_GROUPS	32	/* supplementary groups inline; more likewise */

struct sud_app_filter;

/*
 * The LSM attributes of /proc/thread-self/attr that a child inherits with
 * its credentials (SUD_INHERIT_LSM_CURRENT is compared, never written), and
 * the session keyring's name: a mapping of the capture's, where any is set.
 */
enum {
	SUD_INHERIT_LSM_CURRENT, SUD_INHERIT_LSM_EXEC, SUD_INHERIT_LSM_FSCREATE,
	SUD_INHERIT_LSM_KEYCREATE, SUD_INHERIT_LSM_SOCKCREATE, SUD_INHERIT_LSM_APPARMOR_EXEC,
	SUD_INHERIT_LSM_ATTRS
};
#define SUD_INHERIT_LSM_MAX	512	/* bytes of one attribute; a longer one is refused */
#define SUD_INHERIT_KEYRING_MAX	256

struct sud_inherit_text {
	int lsm_len[SUD_INHERIT_LSM_ATTRS];	/* < 0: unreadable (no such LSM), or too long */
	char lsm[SUD_INHERIT_LSM_ATTRS][SUD_INHERIT_LSM_MAX];
	char keyring[SUD_INHERIT_KEYRING_MAX];	/* the session keyring's description, "" unknown */
	long keyring_perm;		/* its permissions as the caller found them, < 0 unknown */
	bool keyring_granted;		/* the caller let its user search it, for the child to join */
	int keyring_joined;		/* the child's join is over (shared: the mapping is MAP_SHARED) */
};

struct sud_inherit {
	/* scheduling and the other per-thread attributes */
	struct sud_sched_attr sched;
	long ioprio;			/* ioprio_get(IOPRIO_WHO_PROCESS, 0), or < 0 where unknown */
	bool ioprio_derived;		/* it is the default that follows the policy and nice value */
	long personality;
	long timerslack;
	long timerslack_default;	/* an exec's: the caller's default slack, 0 where unknown */
	long mce_kill;			/* PR_MCE_KILL_GET */
	long io_flusher;		/* PR_GET_IO_FLUSHER, or < 0 where unknown */
	long spec_ssb, spec_ib;		/* PR_GET_SPECULATION_CTRL, or < 0 where unknown */
	long cpus_size;			/* bytes of the affinity mask, 0 where it could not be read */
	uint64_t *cpus;			/* cpus_inline, or a mapping of cpus_map bytes */
	uint64_t cpus_inline[SUD_INHERIT_CPU_WORDS];
	/* credentials */
	uint32_t uid[3], fsuid, gid[3], fsgid;
	long ngroups;
	uint32_t *groups;		/* groups_inline, or a mapping */
	uint32_t groups_inline[SUD_INHERIT_GROUPS];
	uint64_t cap_eff, cap_perm, cap_inh, cap_bset, cap_amb;
	long securebits;
	long no_new_privs;
	long session_keyring;		/* KEY_SPEC_SESSION_KEYRING's serial, < 0 where unknown */
	struct sud_inherit_text *text;	/* the LSM attributes and keyring name, NULL where none */
	/* the architecture's controls, and the caller's notes of them for its new threads */
	struct sud_arch_inherit arch;
	struct sud_arch_thread arch_thread;
	bool for_exec;			/* for the thread that execs, not a clone child */
	/* the application's own seccomp filters, installed last: only the caller's is read */
	const struct sud_app_filter *filters;
	/* mappings of the capture, for sud_inherit_release() */
	unsigned long cpus_map, groups_map, text_map;
};

/* Which parts differ (sud_inherit_differ()). */
#define SUD_INHERIT_UNPRIVILEGED	1u	/* affinity, personality, timer slack: anyone may set them */
#define SUD_INHERIT_PRIVILEGED		2u	/* scheduling, I/O priority, flags, credentials, no_new_privs */

/*
 * Read the calling thread's attributes into @in. @virtual_nnp is the
 * no_new_privs that the application sees (the library may have set the
 * real one to arm). 0, or a negative errno if @in could not hold them.
 */
int sud_inherit_capture(struct sud_inherit *in, long virtual_nnp);
/*
 * The same in the armed caller's context, for a lifecycle call (@exec for
 * an execve): with what only the caller can read (its default timer slack,
 * its session keyring's name where it is not the helper's) and the notes
 * of the library about it (@notes, sud_self.arch).
 */
int sud_inherit_capture_caller(struct sud_inherit *in, long virtual_nnp, bool exec,
			       const struct sud_arch_thread *notes);
/*
 * A new task can take a session keyring only by joining it by name, which
 * finds a keyring only where its user may search it: the caller lets it for
 * the call (sud_inherit_keyring_grant()), and puts its permissions back
 * afterwards (sud_inherit_keyring_restore()), or the thread that execs for
 * it does, having joined, right before its execve. The helper waits until a
 * fork child has joined (sud_inherit_keyring_wait()) before the call returns.
 */
void sud_inherit_keyring_grant(struct sud_inherit *caller);
void sud_inherit_keyring_restore(const struct sud_inherit *caller);
void sud_inherit_keyring_expect(const struct sud_inherit *want);
void sud_inherit_keyring_wait(const struct sud_inherit *want);
/* The helper's session keyring, read by the thread that creates it. */
void sud_inherit_set_helper_keyring(long serial);
/* Unmap what the capture mapped. */
void sud_inherit_release(struct sud_inherit *in);
/*
 * What a clone child of a thread with @in gets: the scheduling attributes
 * after SCHED_RESET_ON_FORK. -EAGAIN where the kernel refuses the clone
 * (SCHED_DEADLINE without reset-on-fork), else 0.
 */
int sud_inherit_for_clone(struct sud_inherit *in);
/* The parts in which @a and @b differ, SUD_INHERIT_* bits. */
unsigned int sud_inherit_differ(const struct sud_inherit *a, const struct sud_inherit *b);
/*
 * What threads normally share, and a thread can make its own: the file
 * descriptor table and the fs (cwd, root, umask), after unshare(), and the
 * namespaces, after unshare() or setns(). A new task of the helper's would
 * have the helper's. 0 when thread @caller_tid shares them with the calling
 * thread (the helper), else -EPERM: the lifecycle call fails.
 */
int sud_inherit_check_shared(long caller_tid);
/*
 * Make the calling thread, a fresh copy of the helper, have @want; raw
 * syscalls only, for a task whose thread pointer is not its own yet.
 * Scheduling first, while the helper's privilege is still there, then the
 * credentials, privilege only ever dropped. Checked afterwards: 0 if the
 * thread now has exactly @want, else -EPERM (or the error that stopped it).
 */
int sud_inherit_apply(const struct sud_inherit *want);

#endif
