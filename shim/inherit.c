// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What a new task takes from the thread that created it, or that execs.
 *
 * The kernel copies a task's per-thread attributes from the thread that
 * issues the clone or the execve. The helper issues them for armed threads,
 * so without this a child would have the helper's attributes: its
 * credentials and capabilities (a thread may change its own with a raw
 * syscall, which glibc's set*id broadcast never brings to the helper), its
 * affinity, scheduling and nice value, and so on. They are read in the
 * caller's context (its SIGSYS handler), and the new task, which starts as
 * a copy of the helper, takes them on before it runs application code.
 *
 * A task can lower its privilege, never raise it. So the credentials are
 * applied in the order in which each step still has the privilege it needs,
 * and checked afterwards: where the helper holds less than the caller, the
 * result is not the caller's, and the lifecycle call fails (EPERM) rather
 * than create a child with other privilege than natively.
 *
 * Only raw syscalls from the library's trampoline: this runs in signal
 * handlers and in children whose thread pointer is not their own yet.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/kcmp.h>
#include <linux/securebits.h>

#include "inherit.h"
#include "arch-api.h"

#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE		6
#endif
#define SUD_SCHED_RESET_ON_FORK	0x01ull
#define SUD_SCHED_UTIL_CLAMP	0x60ull		/* SCHED_FLAG_UTIL_CLAMP_MIN | _MAX */
#define SUD_SCHED_ATTR_SIZE	56		/* SCHED_ATTR_SIZE_VER1 */
#define SUD_UCLAMP_MAX		1024
#define SUD_IOPRIO_WHO_PROCESS	1
#define SUD_CAP_WORDS		2		/* _LINUX_CAPABILITY_VERSION_3: 64 bits in two words */
#define SUD_CAP_SETPCAP		8
#define SUD_SPEC_STATES		0x1eul		/* ENABLE | DISABLE | FORCE_DISABLE | DISABLE_NOEXEC */

static bool rt_or_dl(uint32_t policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR || policy == SCHED_DEADLINE;
}

static unsigned long map_scratch(unsigned long bytes)
{
	long at = sud_tramp_syscall(SYS_mmap, 0, (long)bytes, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return sud_is_error(at) ? 0 : (unsigned long)at;
}

/* The affinity mask: inline up to 1024 CPUs, else a mapping as large as the kernel wants. */
static void capture_cpus(struct sud_inherit *in)
{
	long size = sizeof(in->cpus_inline), got;

	in->cpus = in->cpus_inline;
	got = sud_sys3(SYS_sched_getaffinity, 0, size, in->cpus);
	for (size = 2 * size; got == -EINVAL && size <= (1l << 20); size *= 2) {
		sud_inherit_release(in);
		in->cpus_map = map_scratch((unsigned long)size);
		if (!in->cpus_map)
			break;
		in->cpus = (uint64_t *)in->cpus_map;
		got = sud_sys3(SYS_sched_getaffinity, 0, size, in->cpus);
	}
	in->cpus_size = sud_is_error(got) ? 0 : got;
}

static int capture_groups(struct sud_inherit *in)
{
	long n = sud_sys2(SYS_getgroups, SUD_INHERIT_GROUPS, in->groups_inline);

	in->groups = in->groups_inline;
	if (n == -EINVAL) {
		n = sud_sys2(SYS_getgroups, 0, NULL);
		if (n < 0)
			return (int)n;
		in->groups_map = map_scratch((unsigned long)n * sizeof(uint32_t) + 1);
		if (!in->groups_map)
			return -ENOMEM;
		in->groups = (uint32_t *)in->groups_map;
		n = sud_sys2(SYS_getgroups, n, in->groups);
	}
	in->ngroups = n;
	return n < 0 ? (int)n : 0;
}

static void capture_caps(struct sud_inherit *in)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[SUD_CAP_WORDS];

	memset(d, 0, sizeof(d));
	sud_sys2(SYS_capget, &h, d);
	in->cap_eff = d[0].effective | (uint64_t)d[1].effective << 32;
	in->cap_perm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	in->cap_inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	in->cap_bset = in->cap_amb = 0;
	/* the bounding set: every capability the kernel knows, up to the first it does not */
	for (int cap = 0; cap < 64; cap++) {
		long r = sud_sys2(SYS_prctl, PR_CAPBSET_READ, cap);

		if (r < 0)
			break;
		if (r)
			in->cap_bset |= 1ull << cap;
	}
	/* the ambient set is a subset of permitted and inheritable */
	for (int cap = 0; cap < 64; cap++)
		if ((in->cap_perm & in->cap_inh & (1ull << cap)) &&
		    sud_sys5(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) == 1)
			in->cap_amb |= 1ull << cap;
}

/*
 * A thread that never set its I/O priority reads one derived from its
 * policy and nice value (block/ioprio.c, __get_task_ioprio()): a child's
 * follows its own, after SCHED_RESET_ON_FORK too. An explicit one that
 * equals the derived one cannot be told from it, and is taken as derived.
 */
static bool ioprio_is_derived(long ioprio, const struct sud_sched_attr *s)
{
	int class = s->policy == SCHED_IDLE ? 3 : rt_or_dl(s->policy) ? 1 : 2;

	return s->size && ioprio == (class << 13 | (s->nice + 20) / 5);
}

int sud_inherit_capture(struct sud_inherit *in, long virtual_nnp)
{
	memset(in, 0, sizeof(*in));
	in->sched.size = SUD_SCHED_ATTR_SIZE;
	if (sud_sys4(SYS_sched_getattr, 0, &in->sched, SUD_SCHED_ATTR_SIZE, 0))
		in->sched.size = 0;
	in->ioprio = sud_sys2(SYS_ioprio_get, SUD_IOPRIO_WHO_PROCESS, 0);
	in->ioprio_derived = ioprio_is_derived(in->ioprio, &in->sched);
	in->personality = sud_sys1(SYS_personality, 0xffffffff);
	in->timerslack = sud_sys1(SYS_prctl, PR_GET_TIMERSLACK);
	in->mce_kill = sud_sys5(SYS_prctl, PR_MCE_KILL_GET, 0, 0, 0, 0);
	in->io_flusher = sud_sys5(SYS_prctl, PR_GET_IO_FLUSHER, 0, 0, 0, 0);
	in->spec_ssb = sud_sys5(SYS_prctl, PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0, 0, 0);
	in->spec_ib = sud_sys5(SYS_prctl, PR_GET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH, 0, 0, 0);
	capture_cpus(in);
	sud_sys3(SYS_getresuid, &in->uid[0], &in->uid[1], &in->uid[2]);
	sud_sys3(SYS_getresgid, &in->gid[0], &in->gid[1], &in->gid[2]);
	/* an invalid id changes nothing and returns the current one */
	in->fsuid = (uint32_t)sud_sys1(SYS_setfsuid, -1);
	in->fsgid = (uint32_t)sud_sys1(SYS_setfsgid, -1);
	capture_caps(in);
	in->securebits = sud_sys1(SYS_prctl, PR_GET_SECUREBITS);
	in->no_new_privs = virtual_nnp;
	return capture_groups(in);
}

void sud_inherit_release(struct sud_inherit *in)
{
	if (in->cpus_map)
		sud_sys2(SYS_munmap, in->cpus_map, in->cpus_size > 0 ? in->cpus_size : 1);
	if (in->groups_map)
		sud_sys2(SYS_munmap, in->groups_map, in->ngroups * sizeof(uint32_t) + 1);
	in->cpus_map = in->groups_map = 0;
}

/* kernel/sched/core.c, sched_fork() */
int sud_inherit_for_clone(struct sud_inherit *in)
{
	struct sud_sched_attr *s = &in->sched;

	if (!s->size)
		return 0;
	if (s->flags & SUD_SCHED_RESET_ON_FORK) {
		if (rt_or_dl(s->policy)) {
			s->policy = SCHED_OTHER;
			s->priority = 0;
			s->runtime = s->deadline = s->period = 0;
		}
		if (s->nice < 0)
			s->nice = 0;
		/* the clamps' defaults, where the kernel has them (without uclamp both read 0) */
		if (s->util_max) {
			s->util_min = 0;
			s->util_max = SUD_UCLAMP_MAX;
		}
		s->flags &= ~SUD_SCHED_RESET_ON_FORK;
	}
	/* a deadline task cannot fork unless it resets on fork */
	return s->policy == SCHED_DEADLINE ? -EAGAIN : 0;
}

/*
 * @b's runtime is a deadline task's, or a fair task's slice (6.12's
 * EEVDF; 0, the default, where a fork reset it): 0 is not compared.
 */
static bool same_sched(const struct sud_sched_attr *a, const struct sud_sched_attr *b)
{
	return a->policy == b->policy && a->nice == b->nice && a->priority == b->priority &&
	       (a->flags & SUD_SCHED_RESET_ON_FORK) == (b->flags & SUD_SCHED_RESET_ON_FORK) &&
	       (!b->runtime || a->runtime == b->runtime) && a->deadline == b->deadline &&
	       a->period == b->period &&
	       a->util_min == b->util_min && a->util_max == b->util_max;
}

static bool same_cpus(const struct sud_inherit *a, const struct sud_inherit *b)
{
	return a->cpus_size == b->cpus_size &&
	       !memcmp(a->cpus, b->cpus, (size_t)a->cpus_size);
}

static bool same_creds(const struct sud_inherit *a, const struct sud_inherit *b)
{
	return !memcmp(a->uid, b->uid, sizeof(a->uid)) && a->fsuid == b->fsuid &&
	       !memcmp(a->gid, b->gid, sizeof(a->gid)) && a->fsgid == b->fsgid &&
	       a->ngroups == b->ngroups &&
	       !memcmp(a->groups, b->groups, (size_t)a->ngroups * sizeof(uint32_t)) &&
	       a->cap_eff == b->cap_eff && a->cap_perm == b->cap_perm && a->cap_inh == b->cap_inh &&
	       a->cap_bset == b->cap_bset && a->cap_amb == b->cap_amb &&
	       a->securebits == b->securebits && a->no_new_privs == b->no_new_privs;
}

/*
 * A slack of 0 is not settable (PR_SET_TIMERSLACK 0 means "the default"):
 * it is what the kernel gives realtime and deadline tasks, and follows from
 * their policy.
 */
static bool same_slack(const struct sud_inherit *a, const struct sud_inherit *b)
{
	return a->timerslack == b->timerslack || b->timerslack <= 0;
}

/* An attribute that @want's thread could not read (< 0: no such control, or no right to read it) is not compared. */
static bool differs(long have, long want)
{
	return want >= 0 && have != want;
}

unsigned int sud_inherit_differ(const struct sud_inherit *a, const struct sud_inherit *b)
{
	unsigned int d = 0;

	if ((b->cpus_size && !same_cpus(a, b)) || differs(a->personality, b->personality) ||
	    !same_slack(a, b))
		d |= SUD_INHERIT_UNPRIVILEGED;
	if ((b->sched.size && !same_sched(&a->sched, &b->sched)) || (!b->ioprio_derived && differs(a->ioprio, b->ioprio)) ||
	    differs(a->mce_kill, b->mce_kill) || differs(a->io_flusher, b->io_flusher) ||
	    differs(a->spec_ssb, b->spec_ssb) || differs(a->spec_ib, b->spec_ib) || !same_creds(a, b))
		d |= SUD_INHERIT_PRIVILEGED;
	/* the new task installs them itself, with the caller's right to */
	if (a->filters != b->filters)
		d |= SUD_INHERIT_UNPRIVILEGED;
	return d;
}

static void set_spec(int which, long have, long want)
{
	/* without PR_SPEC_PRCTL the thread has no say; the highest state bit is the one in force */
	if (!differs(have, want) || !(want & PR_SPEC_PRCTL) || !(want & SUD_SPEC_STATES))
		return;
	sud_sys5(SYS_prctl, PR_SET_SPECULATION_CTRL, which,
		 1ul << (63 - __builtin_clzl((unsigned long)want & SUD_SPEC_STATES)), 0, 0);
}

/* Scheduling and the other attributes that are not credentials. */
static void apply_attributes(const struct sud_inherit *have, const struct sud_inherit *want)
{
	if (want->cpus_size && !same_cpus(have, want))
		sud_sys3(SYS_sched_setaffinity, 0, want->cpus_size, want->cpus);
	if (want->sched.size && !same_sched(&have->sched, &want->sched)) {
		struct sud_sched_attr s = want->sched;

		/* the nice value of any policy; sched_setattr sets it for the fair ones only */
		sud_sys3(SYS_setpriority, PRIO_PROCESS, 0, s.nice);
		s.size = SUD_SCHED_ATTR_SIZE;
		s.flags &= SUD_SCHED_RESET_ON_FORK;
		if (s.util_min != have->sched.util_min || s.util_max != have->sched.util_max)
			s.flags |= SUD_SCHED_UTIL_CLAMP;
		sud_sys3(SYS_sched_setattr, 0, &s, 0);
	}
	if (!want->ioprio_derived && differs(have->ioprio, want->ioprio))
		sud_sys3(SYS_ioprio_set, SUD_IOPRIO_WHO_PROCESS, 0, want->ioprio);
	if (differs(have->personality, want->personality))
		sud_sys1(SYS_personality, want->personality);
	if (!same_slack(have, want))
		sud_sys2(SYS_prctl, PR_SET_TIMERSLACK, want->timerslack);
	if (differs(have->mce_kill, want->mce_kill))
		sud_sys5(SYS_prctl, PR_MCE_KILL, PR_MCE_KILL_SET, want->mce_kill, 0, 0);
	if (differs(have->io_flusher, want->io_flusher))
		sud_sys5(SYS_prctl, PR_SET_IO_FLUSHER, want->io_flusher, 0, 0, 0);
	set_spec(PR_SPEC_STORE_BYPASS, have->spec_ssb, want->spec_ssb);
	set_spec(PR_SPEC_INDIRECT_BRANCH, have->spec_ib, want->spec_ib);
}

static void capset_to(uint64_t eff, uint64_t perm, uint64_t inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[SUD_CAP_WORDS] = {
		{ (uint32_t)eff, (uint32_t)perm, (uint32_t)inh },
		{ (uint32_t)(eff >> 32), (uint32_t)(perm >> 32), (uint32_t)(inh >> 32) },
	};

	sud_sys2(SYS_capset, &h, d);
}

/*
 * The credentials, in an order in which each step still has what it needs:
 * the bounding set and securebits want CAP_SETPCAP in the effective set,
 * the ids CAP_SETUID/CAP_SETGID, an ambient raise the capability in the
 * permitted and inheritable sets. A uid change is made with the setuid
 * fixup off, so that it does not drop capabilities the later steps need;
 * capset, which only lowers them, comes last.
 */
static void apply_creds(const struct sud_inherit *have, const struct sud_inherit *want)
{
	long sb = have->securebits;

	for (int cap = 0; cap < 64; cap++)
		if (have->cap_bset & ~want->cap_bset & (1ull << cap))
			sud_sys2(SYS_prctl, PR_CAPBSET_DROP, cap);
	if (have->ngroups != want->ngroups ||
	    memcmp(have->groups, want->groups, (size_t)want->ngroups * sizeof(uint32_t)))
		sud_sys2(SYS_setgroups, want->ngroups, want->groups);
	if (memcmp(have->gid, want->gid, sizeof(want->gid)))
		sud_sys3(SYS_setresgid, want->gid[0], want->gid[1], want->gid[2]);
	sud_sys1(SYS_setfsgid, want->fsgid);
	if (memcmp(have->uid, want->uid, sizeof(want->uid)) || have->fsuid != want->fsuid) {
		if (sb >= 0 && !(sb & SECBIT_NO_SETUID_FIXUP) &&
		    !sud_sys2(SYS_prctl, PR_SET_SECUREBITS, sb | SECBIT_NO_SETUID_FIXUP))
			sb |= SECBIT_NO_SETUID_FIXUP;
		sud_sys3(SYS_setresuid, want->uid[0], want->uid[1], want->uid[2]);
		sud_sys1(SYS_setfsuid, want->fsuid);
	}
	if (want->cap_inh != have->cap_inh)
		capset_to(have->cap_eff, have->cap_perm, want->cap_inh);
	if (want->cap_amb != have->cap_amb) {
		sud_sys5(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
		for (int cap = 0; cap < 64; cap++)
			if (want->cap_amb & (1ull << cap))
				sud_sys5(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0);
	}
	if (want->securebits >= 0 && want->securebits != sb)
		sud_sys2(SYS_prctl, PR_SET_SECUREBITS, want->securebits);
	if (want->cap_eff != have->cap_eff || want->cap_perm != have->cap_perm ||
	    want->cap_inh != have->cap_inh)
		capset_to(want->cap_eff, want->cap_perm, want->cap_inh);
	if (want->no_new_privs && !have->no_new_privs)
		sud_sys5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

int sud_inherit_apply(const struct sud_inherit *want)
{
	struct sud_inherit have, now;
	long nnp = sud_sys5(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	int rc = sud_inherit_capture(&have, nnp);

	if (rc)
		return rc;
	apply_attributes(&have, want);
	if (!same_creds(&have, want))
		apply_creds(&have, want);
	sud_inherit_release(&have);
	nnp = sud_sys5(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	rc = sud_inherit_capture(&now, nnp);
	/* the filters come last, just before the task runs (shim/child.c) */
	now.filters = want->filters;
	if (!rc && sud_inherit_differ(&now, want))
		rc = -EPERM;
	sud_inherit_release(&now);
	return rc;
}

/* "/proc/self/task/<tid>/ns/<name>" */
static void ns_path(char *out, long tid, const char *name)
{
	static const char head[] = "/proc/self/task/";
	char digits[24];
	int n = 0;

	memcpy(out, head, sizeof(head) - 1);
	out += sizeof(head) - 1;
	do
		digits[n++] = (char)('0' + tid % 10);
	while ((tid /= 10) && n < (int)sizeof(digits));
	while (n)
		*out++ = digits[--n];
	memcpy(out, "/ns/", 4);
	out += 4;
	memcpy(out, name, strlen(name) + 1);
}

int sud_inherit_check_shared(long caller_tid)
{
	/* the user namespace cannot be another thread's: unshare and setns of one need a single thread */
	static const char *const ns[] = { "mnt", "uts", "ipc", "net", "cgroup", "pid_for_children",
					  "time_for_children" };
	long self = sud_sys0(SYS_gettid);

	for (int type = KCMP_FILES; type <= KCMP_FS; type++) {
		long r = sud_tramp_syscall(SYS_kcmp, self, caller_tid, type, 0, 0, 0);

		/* 0: the same; without kcmp (CONFIG_KCMP) there is nothing to compare with */
		if (r > 0)
			return -EPERM;
	}
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		char path[64], mine[64], theirs[64];
		long a, b;

		ns_path(path, self, ns[i]);
		a = sud_sys4(SYS_readlinkat, AT_FDCWD, path, mine, sizeof(mine));
		ns_path(path, caller_tid, ns[i]);
		b = sud_sys4(SYS_readlinkat, AT_FDCWD, path, theirs, sizeof(theirs));
		/* a namespace type this kernel lacks reads as an error on both */
		if (a != b || (a > 0 && memcmp(mine, theirs, (size_t)a)))
			return -EPERM;
	}
	return 0;
}
