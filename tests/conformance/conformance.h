/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The conformance suite: every case runs in a child process once against
 * native SUD and once against the seccomp emulation. Each must meet its own
 * expectations, and the two runs must observe the same things.
 */
#ifndef SUDCOMPAT_CONFORMANCE_H
#define SUDCOMPAT_CONFORMANCE_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "sudcompat.h"

struct sud_case {
	const char *name;
	void (*run)(void);
	int expect_signal;	/* the signal that must end the child, 0 for a clean exit */
};

#define SUD_CASE(fn, sig) { #fn, fn, sig }

/* Append a line to the observation record shared by both backends' runs. */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A failed expectation: recorded, and the case fails. */
void check_at(bool ok, const char *expr, const char *file, int line);
/* End the case as skipped on this backend, with @reason. */
__attribute__((noreturn)) void skip_case(const char *reason);
#define CHECK(expr) check_at((expr), #expr, __FILE__, __LINE__)

/* The syscall instruction the cases issue from, and the address after it. */
long test_raw_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
extern char test_raw_syscall_ret[];
#define RAW0(nr) test_raw_syscall((nr), 0, 0, 0, 0, 0, 0)
/*
 * The architecture's foreign ABI (tests/arch/raw_syscall.S), where it has one:
 * weak, so that all three are NULL where it has none.
 */
extern const unsigned int test_foreign_audit_arch __attribute__((weak));
long test_foreign_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
	__attribute__((weak));
extern char test_foreign_syscall_ret[] __attribute__((weak));
/* End the case as skipped where the architecture or the kernel has no foreign ABI to test. */
void need_foreign_abi(void);

/* An application's own SA_RESTORER (tests/arch/raw_syscall.S), where the kernel takes one. */
void test_restorer(void) __attribute__((weak));
extern char test_restorer_ret[] __attribute__((weak));

/* What the last SIGSYS told the recording handler. */
struct sigsys_record {
	int count, signo, code, err, nr;
	unsigned int arch;
	unsigned long call_addr, args[6];
	void *sp;
};
extern volatile struct sigsys_record last_sigsys;
extern volatile char selector;
/* The selector of the last arm: the recording handler sets it to ALLOW. */
extern __thread volatile char *current_selector;
/* The value the recording handler makes the dispatched syscall return. */
#define EMULATED_RETURN 0x5d5

/* Wait until thread @tid sleeps in syscall @nr (the application's, or the one the library re-issued). */
bool wait_in_syscall(long nr, pid_t tid);
/* Install @handler as the SIGSYS action, SA_SIGINFO plus @flags (checked). */
void install_sigsys(void (*handler)(int, siginfo_t *, void *), int flags);
/* Install the recording handler (it sets the selector to ALLOW first) with extra sa_flags. */
void install_recorder(int flags);
int arm(unsigned long op, unsigned long offset, unsigned long len, volatile char *sel);
/* Seccomp and NoNewPrivs lines of /proc/<what>/status, as "Seccomp=N NoNewPrivs=N". */
void status_of(const char *what, char *out, int size);

extern const struct sud_case dispatch_cases[], lifetime_cases[], signal_cases[], interpose_cases[],
	unwind_cases[], return_cases[], mask_cases[], inherit_cases[], fastpath_cases[];
extern const int n_dispatch_cases, n_lifetime_cases, n_signal_cases, n_interpose_cases,
	n_unwind_cases, n_return_cases, n_mask_cases, n_inherit_cases, n_fastpath_cases;
/* The exec'd image of the inherit cases (--inherit-report FD, --inherit-signals FD): it reports on itself. */
int inherit_image_main(int argc, char **argv);

#endif
