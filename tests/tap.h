/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test Anything Protocol output for the test programs: exit 0 all passed, 77 all skipped, 1 otherwise. */
#ifndef SUDCOMPAT_TAP_H
#define SUDCOMPAT_TAP_H

#include <stdbool.h>

void tap_plan(int count);
/* Record one result; returns @ok. */
bool tap_ok(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tap_skip(const char *reason, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a plan if none was given; return the exit code. */
int tap_done(void);

#endif
