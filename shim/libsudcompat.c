// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The front: the public API, which backend serves the process, and the
 * SUD prctl as the application issued it, handed to the kernel or to the
 * emulation's entry (shim/seccomp_fallback.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "front.h"
#include "fastpath.h"
#include "rules.h"
#include "seccomp_fallback.h"
#include "signal_state.h"
#include "state.h"
#include "arch-api.h"
#include "sudcompat.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* a child keeps its parent's choice; only a new image chooses again */
static enum sudcompat_backend chosen = SUDCOMPAT_BACKEND_NONE;
static bool chosen_yet;
static bool armed_once;

static int native_errno(void)
{
	/* disarming always succeeds where the kernel knows the prctl */
	long rc = sud_sys5(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0);

	return sud_is_error(rc) ? (int)-rc : 0;
}

static enum sudcompat_backend requested(void)
{
	const char *env = getenv("SUDCOMPAT_BACKEND");

	if (!env || !*env || !strcmp(env, "auto"))
		return SUDCOMPAT_BACKEND_NONE;
	if (!strcmp(env, "native"))
		return SUDCOMPAT_BACKEND_NATIVE;
	if (!strcmp(env, "seccomp"))
		return SUDCOMPAT_BACKEND_SECCOMP;
	return SUDCOMPAT_BACKEND_NONE;
}

static enum sudcompat_backend choose(struct sudcompat_probe *p)
{
	enum sudcompat_backend want = requested();

	p->native_errno = native_errno();
	p->seccomp_errno = sud_seccomp_available();
	p->deviations = 0;
	switch (want) {
	case SUDCOMPAT_BACKEND_NATIVE:
		p->reason = p->native_errno ? "SUDCOMPAT_BACKEND=native, but this kernel has no SUD"
					    : "SUDCOMPAT_BACKEND=native";
		return p->native_errno ? SUDCOMPAT_BACKEND_NONE : want;
	case SUDCOMPAT_BACKEND_SECCOMP:
		p->reason = p->seccomp_errno ? "SUDCOMPAT_BACKEND=seccomp, but seccomp filters with RET_TRAP are unavailable"
					     : "SUDCOMPAT_BACKEND=seccomp";
		return p->seccomp_errno ? SUDCOMPAT_BACKEND_NONE : want;
	default:
		break;
	}
	if (!p->native_errno) {
		p->reason = "the kernel has syscall user dispatch";
		return SUDCOMPAT_BACKEND_NATIVE;
	}
	if (!p->seccomp_errno) {
		p->reason = "the kernel lacks syscall user dispatch; emulating it with seccomp RET_TRAP";
		return SUDCOMPAT_BACKEND_SECCOMP;
	}
	p->reason = "the kernel has neither syscall user dispatch nor seccomp RET_TRAP";
	return SUDCOMPAT_BACKEND_NONE;
}

static const unsigned int seccomp_deviations =
	SUDCOMPAT_DEV_NO_NEW_PRIVS | SUDCOMPAT_DEV_FILTER_STAYS | SUDCOMPAT_DEV_FOREIGN_FILTERS |
	SUDCOMPAT_DEV_UNCOVERED_CODE | SUDCOMPAT_DEV_HELPER_THREAD | SUDCOMPAT_DEV_CHILD_REFUSED;

SUD_EXPORT int sudcompat_probe(struct sudcompat_probe *probe)
{
	if (!probe) {
		errno = EFAULT;
		return -1;
	}
	memset(probe, 0, sizeof(*probe));
	probe->backend = choose(probe);
	if (probe->backend == SUDCOMPAT_BACKEND_SECCOMP) {
		probe->deviations = seccomp_deviations;
		if (sudcompat_fastpath() != SUDCOMPAT_FASTPATH_OFF)
			probe->deviations |= SUDCOMPAT_DEV_REWRITTEN_CODE;
	}
	return 0;
}

/*
 * No syscall once the choice is made: natively, this runs on armed threads
 * (for each SUD prctl), where a syscall from the library's text at BLOCK
 * would be dispatched to the application.
 */
static enum sudcompat_backend current_backend(void)
{
	if (!chosen_yet) {
		struct sudcompat_probe p;

		chosen = choose(&p);
		chosen_yet = true;
	}
	return chosen;
}

SUD_EXPORT enum sudcompat_backend sudcompat_backend(void)
{
	return current_backend();
}

SUD_EXPORT int sudcompat_select_backend(enum sudcompat_backend backend)
{
	struct sudcompat_probe p;

	if (armed_once) {
		errno = EBUSY;
		return -1;
	}
	choose(&p);
	if ((backend == SUDCOMPAT_BACKEND_NATIVE && p.native_errno) ||
	    (backend == SUDCOMPAT_BACKEND_SECCOMP && p.seccomp_errno)) {
		errno = backend == SUDCOMPAT_BACKEND_NATIVE ? p.native_errno : p.seccomp_errno;
		return -1;
	}
	if (backend != SUDCOMPAT_BACKEND_NATIVE && backend != SUDCOMPAT_BACKEND_SECCOMP) {
		errno = EINVAL;
		return -1;
	}
	chosen = backend;
	chosen_yet = true;
	return 0;
}

/*
 * The prctl as the application issued it. Returns 0 or a negative errno.
 * Once this thread carries the emulation's filter, the prctl is issued from
 * an ordinary syscall site, so that the filter and the SIGSYS handler see
 * it exactly as the kernel would: from the allowed range, at ALLOW, or
 * dispatched.
 */
int sud_dispatch_prctl(unsigned long op, unsigned long offset, unsigned long len, char *selector)
{
	struct sud_config cfg;
	int rc;

	switch (current_backend()) {
	case SUDCOMPAT_BACKEND_NATIVE:
		return (int)sud_outside_syscall(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH, (long)op,
						(long)offset, (long)len, (long)selector, 0);
	case SUDCOMPAT_BACKEND_SECCOMP:
		break;
	default:
		return -EINVAL;
	}
	if (sud_self.filter != SUD_FILTER_NONE)
		return (int)sud_outside_syscall(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH, (long)op,
						(long)offset, (long)len, (long)selector, 0);
	rc = sud_config_validate(op, offset, len, selector, &cfg);
	if (!rc)
		rc = sud_seccomp_set_dispatch(&cfg);
	if (!rc && cfg.mode != SUD_MODE_OFF)
		armed_once = true;
	return rc;
}

/*
 * Whether the SUD prctl that the application issued through libc is the
 * library's to run, rather than libc's. Natively the kernel serves it.
 * Under the emulation, a thread without the filter must be armed by us;
 * once it carries one, the filter traps the prctl wherever it comes from,
 * and the SIGSYS handler decides as the kernel would, from libc's site. With
 * no backend, ours refuses it as the kernel would.
 */
bool sud_prctl_is_ours(void)
{
	switch (current_backend()) {
	case SUDCOMPAT_BACKEND_NATIVE:
		return false;
	case SUDCOMPAT_BACKEND_SECCOMP:
		return sud_self.filter == SUD_FILTER_NONE;
	default:
		return true;
	}
}

static int to_errno(int rc)
{
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	return rc;
}

SUD_EXPORT int sudcompat_set_dispatch(unsigned long op, unsigned long offset, unsigned long len, char *selector)
{
	return to_errno(sud_dispatch_prctl(op, offset, len, selector));
}

SUD_EXPORT int sudcompat_arm(unsigned long offset, unsigned long len, char *selector)
{
	return sudcompat_set_dispatch(PR_SYS_DISPATCH_EXCLUSIVE_ON, offset, len, selector);
}

SUD_EXPORT int sudcompat_disarm(void)
{
	return sudcompat_set_dispatch(PR_SYS_DISPATCH_OFF, 0, 0, NULL);
}

/*
 * libc's sigaction() and signal() for SIGSYS. Once the emulation owns
 * SIGSYS, the application's action is the virtual one it keeps. A thread
 * that carries the filter still goes through libc: the filter traps libc's
 * rt_sigaction, so that the SIGSYS handler dispatches it at BLOCK, as the
 * kernel would, or emulates it. Only where it would reach the kernel
 * unseen is it answered here.
 */
bool sud_app_sigsys_is_virtual(void)
{
	return sud_sigsys_owned() && sud_self.filter == SUD_FILTER_NONE;
}

void sud_app_sigsys_before_take_over(void (*fn)(void))
{
	sud_sigsys_before_take_over(fn);
}

void sud_app_sigsys_exchange(const struct sud_ksigaction *act, struct sud_ksigaction *old)
{
	sud_sigsys_exchange(act, old);
}

void sud_app_other_action_set(int sig, void **handler, unsigned long *flags, uint64_t *mask,
			      struct sud_app_action *was)
{
	sud_other_action_set(sig, handler, flags, mask, was);
}

void sud_app_other_action_get(int sig, struct sud_app_action *was)
{
	sud_other_action_get(sig, was);
}

void sud_app_other_action_restore(int sig, const struct sud_app_action *was)
{
	sud_other_action_restore(sig, was);
}

void sud_app_other_action_view(const struct sud_app_action *was, void **handler,
			       unsigned long *flags, uint64_t *mask)
{
	sud_other_action_view(was, handler, flags, mask);
}

static const char *const backend_names[] = {
	[SUDCOMPAT_BACKEND_NONE] = "none",
	[SUDCOMPAT_BACKEND_NATIVE] = "native",
	[SUDCOMPAT_BACKEND_SECCOMP] = "seccomp",
};

SUD_EXPORT const char *sudcompat_backend_name(enum sudcompat_backend backend)
{
	unsigned int i = (unsigned int)backend;

	return i < ARRAY_SIZE(backend_names) ? backend_names[i] : backend_names[SUDCOMPAT_BACKEND_NONE];
}

static const struct {
	unsigned int deviation;
	const char *text;
} deviation_texts[] = {
	{ SUDCOMPAT_DEV_NO_NEW_PRIVS,
	  "an armed thread gets no_new_privs unless it has CAP_SYS_ADMIN; its children and new images do not" },
	{ SUDCOMPAT_DEV_FILTER_STAYS,
	  "a seccomp filter cannot be removed: after disarming, the thread's syscalls outside the allowed range still trap and are re-issued" },
	{ SUDCOMPAT_DEV_FOREIGN_FILTERS,
	  "a seccomp filter of the application's own runs beside the emulation's; its KILL, TRACE or USER_NOTIF can act before a dispatch" },
	{ SUDCOMPAT_DEV_UNCOVERED_CODE,
	  "a prctl issued before the library is loaded, or by raw syscall on a thread not yet armed, reaches the kernel directly; syscalls from the allowed range do not see what the library keeps virtually (a SIGSYS pending while blocked, for a signalfd)" },
	{ SUDCOMPAT_DEV_HELPER_THREAD,
	  "one helper thread issues clone/fork/exec for armed threads; a process that arms is no longer single-threaded" },
	{ SUDCOMPAT_DEV_CHILD_REFUSED,
	  "fork, clone and exec of an armed thread that holds privilege or seccomp filters the helper thread lacks, has its own descriptor table, fs or namespaces, or state the helper cannot give (CLONE_IO, a session keyring it cannot join, LSM attributes, a Landlock ruleset changed after restrict_self, reset arm64 PAC keys) fail with EPERM rather than create a child with the helper's" },
	{ SUDCOMPAT_DEV_REWRITTEN_CODE,
	  "the fast path rewrites syscall sites after their third trap (SUDCOMPAT_FASTPATH=off|elf|all, elf by default: code of ELF objects the dynamic linker knows): the rewritten code bytes differ, and a rewritten page is the library's anonymous copy in /proc/self/maps" },
	{ SUDCOMPAT_DEV_REISSUE_SITE,
	  "an asynchronous signal that interrupts a syscall the library re-issued sees the library's trampoline as the interrupted instruction pointer (no longer in force: every handler now runs on the application's context)" },
};

SUD_EXPORT enum sudcompat_fastpath sudcompat_fastpath(void)
{
	return sud_fastpath_mode();
}

SUD_EXPORT int sudcompat_select_fastpath(enum sudcompat_fastpath mode)
{
	int rc = armed_once ? EBUSY : sud_fastpath_select(mode);

	if (rc) {
		errno = rc;
		return -1;
	}
	return 0;
}

SUD_EXPORT int sudcompat_fastpath_stats(struct sudcompat_fastpath_stats *stats)
{
	if (!stats) {
		errno = EFAULT;
		return -1;
	}
	sud_fastpath_counts(&stats->sites_trapped, &stats->sites_rewritten, &stats->sites_left,
			    &stats->traps, &stats->dispatches);
	return 0;
}

SUD_EXPORT const char *sudcompat_fastpath_name(enum sudcompat_fastpath mode)
{
	switch (mode) {
	case SUDCOMPAT_FASTPATH_OFF:
		return "off";
	case SUDCOMPAT_FASTPATH_ELF:
		return "elf";
	case SUDCOMPAT_FASTPATH_ALL:
		return "all";
	}
	return NULL;
}

SUD_EXPORT const char *sudcompat_deviation_text(unsigned int deviation)
{
	for (size_t i = 0; i < ARRAY_SIZE(deviation_texts); i++)
		if (deviation_texts[i].deviation == deviation)
			return deviation_texts[i].text;
	return NULL;
}
