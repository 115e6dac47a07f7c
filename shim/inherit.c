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
#include <time.h>
#include <linux/capability.h>
#include <linux/futex.h>
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
#define SUD_KEYCTL_GET_KEYRING_ID	0
#define SUD_KEYCTL_JOIN_SESSION_KEYRING	1
#define SUD_KEYCTL_SETPERM		5
#define SUD_KEYCTL_DESCRIBE		6
#define SUD_KEY_USR_SEARCH		0x00080000l
#define SUD_KEY_SPEC_SESSION_KEYRING	(-3)
#define SUD_LSM_TOO_LONG		(-2)	/* an attribute that does not fit: never reproduced */

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

/* --- the LSM attributes (/proc/thread-self/attr) and the session keyring --- */

static const char *const lsm_paths[SUD_INHERIT_LSM_ATTRS] = {
	[SUD_INHERIT_LSM_CURRENT] = "/proc/thread-self/attr/current",
	[SUD_INHERIT_LSM_EXEC] = "/proc/thread-self/attr/exec",
	[SUD_INHERIT_LSM_FSCREATE] = "/proc/thread-self/attr/fscreate",
	[SUD_INHERIT_LSM_KEYCREATE] = "/proc/thread-self/attr/keycreate",
	[SUD_INHERIT_LSM_SOCKCREATE] = "/proc/thread-self/attr/sockcreate",
	[SUD_INHERIT_LSM_APPARMOR_EXEC] = "/proc/thread-self/attr/apparmor/exec",
};

/*
 * Whether an LSM answers in /proc/thread-self/attr at all (SELinux, AppArmor,
 * Smack; Landlock does not): 0 not known yet, 1 yes, -1 no. The process's
 * LSMs are the kernel's, so a fork child's answer is the same.
 */
static int lsm_present;

/* The helper's session keyring (sud_inherit_set_helper_keyring()). */
static long helper_keyring = -1;

void sud_inherit_set_helper_keyring(long serial)
{
	__atomic_store_n(&helper_keyring, serial, __ATOMIC_RELEASE);
}

static bool map_text(struct sud_inherit *in)
{
	long at;

	if (in->text)
		return true;
	/* shared, so that a fork child can say when it has joined the keyring */
	at = sud_tramp_syscall(SYS_mmap, 0, sizeof(struct sud_inherit_text), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sud_is_error(at))
		return false;
	in->text_map = (unsigned long)at;
	in->text = (struct sud_inherit_text *)in->text_map;
	for (int i = 0; i < SUD_INHERIT_LSM_ATTRS; i++)
		in->text->lsm_len[i] = -1;
	in->text->keyring_perm = -1;
	return true;
}

/* An attribute without its trailing NULs and newline; < 0 where none can be read. */
static long read_attr(const char *path, char *buf, size_t size)
{
	long fd = sud_sys4(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0), n;

	/* -1 for any error: -ENOENT (no LSM in this kernel) is -2, SUD_LSM_TOO_LONG */
	if (fd < 0)
		return -1;
	n = sud_sys3(SYS_read, fd, buf, size);
	sud_sys1(SYS_close, fd);
	if (n < 0)
		return -1;
	if (n >= (long)size)
		return SUD_LSM_TOO_LONG;
	while (n > 0 && (buf[n - 1] == 0 || buf[n - 1] == '\n'))
		n--;
	return n;
}

static void capture_lsm(struct sud_inherit *in)
{
	int present = __atomic_load_n(&lsm_present, __ATOMIC_RELAXED);

	if (present < 0 || !map_text(in))
		return;
	for (int i = 0; i < SUD_INHERIT_LSM_ATTRS; i++) {
		long n = read_attr(lsm_paths[i], in->text->lsm[i], SUD_INHERIT_LSM_MAX);

		/* EINVAL: no LSM of the attribute's, ENOENT: no such file */
		in->text->lsm_len[i] = n == SUD_LSM_TOO_LONG ? SUD_LSM_TOO_LONG : n < 0 ? -1 : (int)n;
		if (!present && i == SUD_INHERIT_LSM_CURRENT) {
			present = n >= 0 || n == SUD_LSM_TOO_LONG ? 1 : -1;
			__atomic_store_n(&lsm_present, present, __ATOMIC_RELAXED);
			if (present < 0)
				break;
		}
	}
}

static int lsm_len(const struct sud_inherit *in, int i)
{
	return in->text ? in->text->lsm_len[i] : -1;
}

/* An attribute @want's thread could not read is not compared; one it could, to the byte. */
static bool same_lsm(const struct sud_inherit *have, const struct sud_inherit *want)
{
	for (int i = 0; i < SUD_INHERIT_LSM_ATTRS; i++) {
		int h = lsm_len(have, i), w = lsm_len(want, i);

		if (w == SUD_LSM_TOO_LONG)
			return false;
		if (w < 0 || (w == 0 && h <= 0))
			continue;
		if (h != w || memcmp(have->text->lsm[i], want->text->lsm[i], (size_t)w))
			return false;
	}
	return true;
}

/*
 * Write @want's attribute @i: as read for SELinux and Smack, a newline to
 * clear it; AppArmor's exec reads "profile (mode)" and takes "exec profile"
 * (its own file always, the common one where the plain write is refused).
 */
static void write_attr(int i, const char *val, int len)
{
	char buf[SUD_INHERIT_LSM_MAX + 8];
	long fd = sud_sys4(SYS_openat, AT_FDCWD, lsm_paths[i], O_WRONLY | O_CLOEXEC, 0), rc = -EINVAL;
	int n = len;

	if (fd < 0)
		return;
	if (i != SUD_INHERIT_LSM_APPARMOR_EXEC)
		rc = len ? sud_sys3(SYS_write, fd, val, len) : sud_sys3(SYS_write, fd, "\n", 1);
	if (rc < 0 && len && (i == SUD_INHERIT_LSM_EXEC || i == SUD_INHERIT_LSM_APPARMOR_EXEC)) {
		if (n > 3 && val[n - 1] == ')')
			for (int k = n - 2; k > 0; k--)
				if (val[k] == '(' && val[k - 1] == ' ') {
					n = k - 1;
					break;
				}
		memcpy(buf, "exec ", 5);
		memcpy(buf + 5, val, (size_t)n);
		sud_sys3(SYS_write, fd, buf, n + 5);
	}
	sud_sys1(SYS_close, fd);
}

/* Before the credentials, with the helper's privilege (Smack's labels want CAP_MAC_ADMIN). */
static void apply_lsm(const struct sud_inherit *have, const struct sud_inherit *want)
{
	/* the task's own context is compared only: the helper's must be the caller's */
	for (int i = SUD_INHERIT_LSM_EXEC; i < SUD_INHERIT_LSM_ATTRS; i++) {
		int h = lsm_len(have, i), w = lsm_len(want, i);

		if (w < 0 || (w == 0 && h <= 0) ||
		    (h == w && !memcmp(have->text->lsm[i], want->text->lsm[i], (size_t)w)))
			continue;
		write_attr(i, want->text->lsm[i], w);
	}
}

/* After the credentials: joining a keyring by name takes the caller's right to search it. */
static void apply_keyring(const struct sud_inherit *have, const struct sud_inherit *want)
{
	const char *name = want->text ? want->text->keyring : "";

	if (want->session_keyring < 0 || have->session_keyring == want->session_keyring || !name[0])
		return;
	/* the check afterwards refuses a keyring of the same name that is not the caller's */
	sud_sys2(SYS_keyctl, SUD_KEYCTL_JOIN_SESSION_KEYRING, name);
	__atomic_store_n(&want->text->keyring_joined, 1, __ATOMIC_RELEASE);
	/* a shared mapping: the wake of a futex that is not private */
	sud_sys3(SYS_futex, &want->text->keyring_joined, FUTEX_WAKE, 1);
}

void sud_inherit_keyring_grant(struct sud_inherit *in)
{
	struct sud_inherit_text *t = in->text;

	if (!t || !t->keyring[0] || t->keyring_perm < 0 || (t->keyring_perm & SUD_KEY_USR_SEARCH))
		return;
	t->keyring_granted = !sud_sys3(SYS_keyctl, SUD_KEYCTL_SETPERM, in->session_keyring,
				       t->keyring_perm | SUD_KEY_USR_SEARCH);
}

void sud_inherit_keyring_restore(const struct sud_inherit *in)
{
	struct sud_inherit_text *t = in->text;

	if (t && t->keyring_granted)
		sud_sys3(SYS_keyctl, SUD_KEYCTL_SETPERM, in->session_keyring, t->keyring_perm);
}

/* Before the clone: a probe has joined already. */
void sud_inherit_keyring_expect(const struct sud_inherit *want)
{
	if (want->text)
		__atomic_store_n(&want->text->keyring_joined, 0, __ATOMIC_RELEASE);
}

/* A child killed before it got there does not hold the call up for long. */
void sud_inherit_keyring_wait(const struct sud_inherit *want)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };

	if (!want->text || !want->text->keyring_granted)
		return;
	for (int i = 0; i < 50 && !__atomic_load_n(&want->text->keyring_joined, __ATOMIC_ACQUIRE); i++)
		sud_sys4(SYS_futex, &want->text->keyring_joined, FUTEX_WAIT, 0, &tick);
}

/* "type;uid;gid;perm;description": the description, "" where it cannot be read */
static void capture_keyring_name(struct sud_inherit *in)
{
	char *out = in->text->keyring;
	long n = sud_sys4(SYS_keyctl, SUD_KEYCTL_DESCRIBE, in->session_keyring, out,
			  SUD_INHERIT_KEYRING_MAX);
	int semis = 0, k = 0;

	if (n <= 0 || n > SUD_INHERIT_KEYRING_MAX) {
		out[0] = 0;
		return;
	}
	out[SUD_INHERIT_KEYRING_MAX - 1] = 0;
	while (out[k] && semis < 4) {
		if (out[k++] != ';')
			continue;
		/* the permissions, in hex, are the fourth field */
		if (++semis == 3) {
			long perm = 0;

			for (int d = k; out[d] && out[d] != ';'; d++)
				perm = perm << 4 | (out[d] <= '9' ? out[d] - '0' : (out[d] | 0x20) - 'a' + 10);
			in->text->keyring_perm = perm;
		}
	}
	memmove(out, out + k, strlen(out + k) + 1);
}

static int capture_with(struct sud_inherit *in, long virtual_nnp, const struct sud_arch_thread *notes)
{
	long prio;

	memset(in, 0, sizeof(*in));
	in->sched.size = SUD_SCHED_ATTR_SIZE;
	if (sud_sys4(SYS_sched_getattr, 0, &in->sched, SUD_SCHED_ATTR_SIZE, 0))
		in->sched.size = 0;
	/* sched_getattr reads a realtime or deadline task's nice value as 0; the raw getpriority is 20 - nice */
	prio = sud_sys2(SYS_getpriority, PRIO_PROCESS, 0);
	if (in->sched.size && prio > 0)
		in->sched.nice = 20 - (int32_t)prio;
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
	in->session_keyring = sud_sys3(SYS_keyctl, SUD_KEYCTL_GET_KEYRING_ID,
				       SUD_KEY_SPEC_SESSION_KEYRING, 0);
	arch_inherit_capture(&in->arch, notes);
	if (notes)
		in->arch_thread = *notes;
	capture_lsm(in);
	return capture_groups(in);
}

int sud_inherit_capture(struct sud_inherit *in, long virtual_nnp)
{
	return capture_with(in, virtual_nnp, NULL);
}

int sud_inherit_capture_caller(struct sud_inherit *in, long virtual_nnp, bool exec,
			       const struct sud_arch_thread *notes)
{
	int rc = capture_with(in, virtual_nnp, notes);
	long helper = __atomic_load_n(&helper_keyring, __ATOMIC_ACQUIRE);

	in->for_exec = exec;
	/*
	 * The new image's default slack is the caller's own, which only
	 * PR_SET_TIMERSLACK 0 shows: the current one is set again at once,
	 * before this thread arms any timer. A realtime thread's slack is 0
	 * (6.11 on), and its default cannot be read that way.
	 */
	if (exec && in->timerslack > 0) {
		sud_sys2(SYS_prctl, PR_SET_TIMERSLACK, 0);
		in->timerslack_default = sud_sys1(SYS_prctl, PR_GET_TIMERSLACK);
		sud_sys2(SYS_prctl, PR_SET_TIMERSLACK, in->timerslack);
		if (in->timerslack_default < 0)
			in->timerslack_default = 0;
	}
	/* only the caller can describe its keyring: the helper possesses it not */
	if (!rc && in->session_keyring >= 0 && in->session_keyring != helper && map_text(in))
		capture_keyring_name(in);
	return rc;
}

void sud_inherit_release(struct sud_inherit *in)
{
	if (in->cpus_map)
		sud_sys2(SYS_munmap, in->cpus_map, in->cpus_size > 0 ? in->cpus_size : 1);
	if (in->groups_map)
		sud_sys2(SYS_munmap, in->groups_map, in->ngroups * sizeof(uint32_t) + 1);
	if (in->text_map)
		sud_sys2(SYS_munmap, in->text_map, sizeof(struct sud_inherit_text));
	in->cpus_map = in->groups_map = in->text_map = 0;
	in->text = NULL;
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
			s->nice = 0;
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
	/* what may not be reproducible: a probe tries it first */
	if (!same_lsm(a, b) || (b->session_keyring >= 0 && a->session_keyring != b->session_keyring) ||
	    arch_inherit_differ(&a->arch, &b->arch, b->for_exec))
		d |= SUD_INHERIT_PRIVILEGED;
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
	if (arch_inherit_differ(&have->arch, &want->arch, want->for_exec))
		arch_inherit_apply(&have->arch, &want->arch);
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
	apply_lsm(&have, want);
	if (!same_creds(&have, want))
		apply_creds(&have, want);
	apply_keyring(&have, want);
	sud_inherit_release(&have);
	nnp = sud_sys5(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	/* what the architecture cannot read back is as applied */
	rc = capture_with(&now, nnp, &want->arch_thread);
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
