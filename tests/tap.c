// SPDX-License-Identifier: LGPL-2.1-or-later
#include <stdarg.h>
#include <stdio.h>

#include "tap.h"

static int n, failed, skipped;
static bool planned;

void tap_plan(int count)
{
	printf("1..%d\n", count);
	planned = true;
}

static void line(const char *status, const char *fmt, va_list ap, const char *suffix)
{
	printf("%s %d - ", status, ++n);
	vprintf(fmt, ap);
	printf("%s\n", suffix ? suffix : "");
	fflush(stdout);
}

bool tap_ok(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line(ok ? "ok" : "not ok", fmt, ap, NULL);
	va_end(ap);
	if (!ok)
		failed++;
	return ok;
}

void tap_skip(const char *reason, const char *fmt, ...)
{
	char suffix[512];
	va_list ap;

	snprintf(suffix, sizeof(suffix), " # SKIP %s", reason);
	va_start(ap, fmt);
	line("ok", fmt, ap, suffix);
	va_end(ap);
	skipped++;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int tap_done(void)
{
	if (!planned)
		printf("1..%d\n", n);
	if (failed)
		return 1;
	return n && skipped == n ? 77 : 0;
}
