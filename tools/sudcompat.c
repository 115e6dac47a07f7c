// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sudcompat probe [--require native|seccomp|any]
 *	Which backend would serve syscall user dispatch here, why, and with
 *	which deviations from native SUD.
 * sudcompat run [--backend auto|native|seccomp] -- PROGRAM [ARG...]
 *	Run PROGRAM with the library preloaded.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "preload.h"
#include "sudcompat.h"

#define LIBRARY_NAME "libsudcompat.so.0"

static int usage(FILE *to, int code)
{
	fprintf(to, "usage: sudcompat probe [--require native|seccomp|any]\n"
		    "       sudcompat run [--backend auto|native|seccomp] -- PROGRAM [ARG...]\n");
	return code;
}

static const char *availability(int err)
{
	static char buf[128];

	if (!err)
		return "available";
	snprintf(buf, sizeof(buf), "unavailable (%s)", strerror(err));
	return buf;
}

static int probe(int argc, char **argv)
{
	const char *require = NULL;
	struct sudcompat_probe p;
	int ok;

	if (argc == 2 && !strcmp(argv[0], "--require"))
		require = argv[1];
	else if (argc)
		return usage(stderr, 2);
	if (require && strcmp(require, "native") && strcmp(require, "seccomp") && strcmp(require, "any")) {
		fprintf(stderr, "sudcompat: unknown backend '%s'\n", require);
		return 2;
	}
	sudcompat_probe(&p);
	if (require) {
		ok = !strcmp(require, "native") ? !p.native_errno :
		     !strcmp(require, "seccomp") ? !p.seccomp_errno : p.backend != SUDCOMPAT_BACKEND_NONE;
		if (!ok)
			fprintf(stderr, "the %s backend is %s here\n", require,
				availability(!strcmp(require, "native") ? p.native_errno :
					     p.seccomp_errno ? p.seccomp_errno : EINVAL));
		return ok ? 0 : 1;
	}
	printf("backend: %s\n", sudcompat_backend_name(p.backend));
	printf("reason: %s\n", p.reason);
	printf("native SUD: %s\n", availability(p.native_errno));
	printf("seccomp emulation: %s\n", availability(p.seccomp_errno));
	printf("deviations from native SUD:%s\n", p.deviations ? "" : " none");
	for (unsigned int bit = 1; bit; bit <<= 1)
		if (p.deviations & bit)
			printf("  - %s\n", sudcompat_deviation_text(bit));
	if (p.backend == SUDCOMPAT_BACKEND_SECCOMP) {
		printf("covers: prctl() and syscall() through libc, and every syscall of an armed thread\n");
		printf("fast path: %s\n", sudcompat_fastpath_name(sudcompat_fastpath()));
	}
	return p.backend == SUDCOMPAT_BACKEND_NONE ? 1 : 0;
}

static int run(int argc, char **argv)
{
	char lib[PATH_MAX + 32];
	int i = 0;

	if (i + 1 < argc && !strcmp(argv[i], "--backend")) {
		const char *b = argv[i + 1];

		if (strcmp(b, "auto") && strcmp(b, "native") && strcmp(b, "seccomp")) {
			fprintf(stderr, "sudcompat: unknown backend '%s'\n", b);
			return 2;
		}
		setenv("SUDCOMPAT_BACKEND", b, 1);
		i += 2;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc)
		return usage(stderr, 2);
	if (find_project_library(LIBRARY_NAME, "SUDCOMPAT_PRELOAD", SUDCOMPAT_LIBDIR, lib, sizeof(lib))) {
		fprintf(stderr, "sudcompat: cannot find %s (set SUDCOMPAT_PRELOAD)\n", LIBRARY_NAME);
		return 127;
	}
	preload_library(lib);
	execvp(argv[i], argv + i);
	fprintf(stderr, "sudcompat: %s: %s\n", argv[i], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr, 2);
	if (!strcmp(argv[1], "probe"))
		return probe(argc - 2, argv + 2);
	if (!strcmp(argv[1], "run"))
		return run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage(stdout, 0);
	fprintf(stderr, "sudcompat: unknown command '%s'\n", argv[1]);
	return usage(stderr, 2);
}
