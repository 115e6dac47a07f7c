// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The libc entry points the library takes over, so that an unmodified
 * application gets SUD: prctl() and syscall() for PR_SET_SYSCALL_USER_DISPATCH,
 * and sigaction()/signal() for SIGSYS once the library owns it.
 *
 * Each takes only what the emulation cannot leave to the kernel and hands
 * everything else to libc's own function. The syscall is then issued from
 * libc's code, as it is without the library: a client that allows libc's
 * text (stress-ng --usersyscall, Wine) must see libc's site in si_call_addr
 * and in the allowed-range decision, not ours.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "front.h"
#include "arch-api.h"
#include "sudcompat.h"

int __sigaction(int sig, const struct sigaction *act, struct sigaction *oact);
sighandler_t bsd_signal(int sig, sighandler_t handler);

/*
 * Weak, so that a static link does not pull in the dynamic loader's
 * interface for us. A static link has no RTLD_NEXT: dlsym is NULL there,
 * or (when libc's own gconv/NSS code brought it in) finds nothing, and the
 * overrides below issue the syscall themselves, from the library's text,
 * as they always did. Little is lost: libc's text is then part of the
 * executable's mapping, and so is the library's.
 */
extern __typeof__(dlsym) dlsym __attribute__((weak));

typedef int (*prctl_fn)(int option, ...);
typedef long (*syscall_fn)(long nr, ...);

static prctl_fn libc_prctl;
static syscall_fn libc_syscall;

/*
 * Resolved once, before main: arming must stay async-signal-safe, and the
 * loader takes locks and may allocate. A call made before this runs (from
 * an earlier constructor) takes the static-link path.
 */
__attribute__((constructor)) static void find_libc(void)
{
	void *p;

	if (!dlsym)
		return;
	p = dlsym(RTLD_NEXT, "prctl");
	if (p && p != (void *)prctl)
		memcpy(&libc_prctl, &p, sizeof(p));
	p = dlsym(RTLD_NEXT, "syscall");
	if (p && p != (void *)syscall)
		memcpy(&libc_syscall, &p, sizeof(p));
}

static long with_errno(long ret)
{
	if (sud_is_error(ret)) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

/*
 * What libc's sigaction() hands the kernel beyond the caller's struct: on
 * x86-64, SA_RESTORER and glibc's own restorer, which it does not export.
 * The SIGSYS action kept virtually must carry the same, for a read back
 * (through libc or by raw rt_sigaction) to show what the kernel would.
 * Learned once, right before the emulation first arms a thread through
 * libc's prctl() or syscall(): SIGSYS's action is re-installed through
 * libc, the kernel's copy read, and the kernel's action put back exactly as
 * it was. That thread carries no filter yet, so a tracer that arms itself
 * sees none of it; under native SUD it never happens. It runs under the
 * lock of the library's SIGSYS action: another thread that armed meanwhile
 * took SIGSYS over, and the put-back of the action found before would undo
 * that (the process died of its first trap, about once in 2000 fresh
 * processes whose 16 threads armed at once).
 */
static unsigned long libc_sa_flags;
static void *libc_restorer;

static void learn_while_not_owned(void)
{
	struct sud_ksigaction was, seen;
	struct sigaction cur;

	if (sud_sys4(SYS_rt_sigaction, SIGSYS, NULL, &was, sizeof(uint64_t)) ||
	    __sigaction(SIGSYS, NULL, &cur))
		return;
	if (!__sigaction(SIGSYS, &cur, NULL) &&
	    !sud_sys4(SYS_rt_sigaction, SIGSYS, NULL, &seen, sizeof(uint64_t))) {
		libc_sa_flags = seen.flags & SUD_SA_RESTORER;
		libc_restorer = sud_ksigaction_restorer(&seen);
	}
	sud_sys4(SYS_rt_sigaction, SIGSYS, &was, NULL, sizeof(uint64_t));
}

static void learn_libc_sigaction(void)
{
	static bool learned;

	if (!SUD_SA_RESTORER || __atomic_exchange_n(&learned, true, __ATOMIC_RELAXED) ||
	    sud_app_sigsys_is_virtual())
		return;
	sud_app_sigsys_before_take_over(learn_while_not_owned);
}

/* The SUD prctl, served by the library: the emulation learns libc's sigaction first. */
static long dispatch_prctl(const unsigned long a[4])
{
	if (a[0] != PR_SYS_DISPATCH_OFF)
		learn_libc_sigaction();
	return sud_dispatch_prctl(a[0], a[1], a[2], (char *)a[3]);
}

/* The kernel takes the option as an int: 59 | 1ul << 32 is the SUD prctl too. */
static bool is_sud_option(unsigned long option)
{
	return (int)option == PR_SET_SYSCALL_USER_DISPATCH;
}

SUD_EXPORT int prctl(int option, ...)
{
	unsigned long a[4];
	va_list ap;

	va_start(ap, option);
	for (int i = 0; i < 4; i++)
		a[i] = va_arg(ap, unsigned long);
	va_end(ap);
	if (option == PR_SET_SYSCALL_USER_DISPATCH && (!libc_prctl || sud_prctl_is_ours()))
		return (int)with_errno(dispatch_prctl(a));
	if (libc_prctl)
		return libc_prctl(option, a[0], a[1], a[2], a[3]);
	return (int)with_errno(sud_outside_syscall(SYS_prctl, option, (long)a[0], (long)a[1],
						   (long)a[2], (long)a[3], 0));
}

SUD_EXPORT long syscall(long nr, ...)
{
	long a[6];
	va_list ap;

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == SYS_prctl && is_sud_option((unsigned long)a[0]) &&
	    (!libc_syscall || sud_prctl_is_ours()))
		return with_errno(dispatch_prctl((const unsigned long *)&a[1]));
	if (libc_syscall)
		return libc_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	return with_errno(sud_outside_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
}

static void to_kernel(const struct sigaction *act, struct sud_ksigaction *k)
{
	memset(k, 0, sizeof(*k));
	k->handler = (void *)act->sa_handler;
	k->flags = (unsigned long)act->sa_flags | libc_sa_flags;
	sud_ksigaction_set_restorer_to(k, libc_restorer);
	memcpy(&k->mask, &act->sa_mask, sizeof(k->mask));
}

/* As libc's: the kernel's flags and restorer, whoever set them. */
static void from_kernel(const struct sud_ksigaction *k, struct sigaction *act)
{
	memset(act, 0, sizeof(*act));
	act->sa_handler = (void (*)(int))k->handler;
	act->sa_flags = (int)k->flags;
	act->sa_restorer = (void (*)(void))sud_ksigaction_restorer(k);
	memcpy(&act->sa_mask, &k->mask, sizeof(k->mask));
}

/*
 * Threads that are not armed reach the kernel directly: SIGSYS must stay ours.
 * __sigaction and bsd_signal are libc's own names for its functions, which
 * the library does not define: they issue the syscall from libc's code.
 */
/* Another signal's action: a handler must not block SIGSYS for real (signal_state.c). */
static int sigaction_other(int sig, const struct sigaction *act, struct sigaction *oact)
{
	struct sud_app_action was;
	struct sigaction copy;

	if (act) {
		void *handler = (void *)act->sa_handler;
		unsigned long flags = (unsigned int)act->sa_flags;
		uint64_t mask;

		copy = *act;
		memcpy(&mask, &copy.sa_mask, sizeof(mask));
		sud_app_other_action_set(sig, &handler, &flags, &mask, &was);
		memcpy(&copy.sa_mask, &mask, sizeof(mask));
		copy.sa_handler = (void (*)(int))handler;
		copy.sa_flags = (int)flags;
	} else {
		sud_app_other_action_get(sig, &was);
	}
	if (__sigaction(sig, act ? &copy : NULL, oact)) {
		if (act)
			sud_app_other_action_restore(sig, &was);
		return -1;
	}
	if (oact) {
		void *handler = (void *)oact->sa_handler;
		unsigned long flags = (unsigned int)oact->sa_flags;
		uint64_t mask;

		memcpy(&mask, &oact->sa_mask, sizeof(mask));
		sud_app_other_action_view(&was, &handler, &flags, &mask);
		memcpy(&oact->sa_mask, &mask, sizeof(mask));
		oact->sa_handler = (void (*)(int))handler;
		oact->sa_flags = (int)flags;
	}
	return 0;
}

SUD_EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *oact)
{
	struct sud_ksigaction k, old;

	if (!sud_app_sigsys_is_virtual())
		return __sigaction(sig, act, oact);
	if (sig != SIGSYS)
		return sigaction_other(sig, act, oact);
	if (act)
		to_kernel(act, &k);
	sud_app_sigsys_exchange(act ? &k : NULL, &old);
	if (oact)
		from_kernel(&old, oact);
	return 0;
}

SUD_EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction act, old;

	if (sig != SIGSYS || !sud_app_sigsys_is_virtual())
		return bsd_signal(sig, handler);
	memset(&act, 0, sizeof(act));
	sigaddset(&act.sa_mask, SIGSYS);
	act.sa_handler = handler;
	act.sa_flags = SA_RESTART;
	if (sigaction(sig, &act, &old))
		return SIG_ERR;
	return old.sa_handler;
}
