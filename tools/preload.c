// SPDX-License-Identifier: LGPL-2.1-or-later
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "preload.h"

int find_project_library(const char *name, const char *env, const char *installed,
			 char *out, size_t size)
{
	const char *given = getenv(env);
	char self[PATH_MAX], *dir;
	ssize_t n;

	if (given && *given) {
		snprintf(out, size, "%s", given);
		return access(out, R_OK);
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = 0;
		dir = dirname(self);
		/* tools/x in a build tree: the libraries are in .libs of the top and of tools/ */
		snprintf(out, size, "%s/../.libs/%s", dir, name);
		if (!access(out, R_OK))
			return 0;
		snprintf(out, size, "%s/.libs/%s", dir, name);
		if (!access(out, R_OK))
			return 0;
	}
	snprintf(out, size, "%s/%s", installed, name);
	return access(out, R_OK);
}

void preload_library(const char *path)
{
	const char *old = getenv("LD_PRELOAD");
	size_t len = strlen(path) + (old ? strlen(old) : 0) + 2;
	char *v = malloc(len);

	if (!v)
		return;
	snprintf(v, len, "%s%s%s", path, old && *old ? ":" : "", old ? old : "");
	setenv("LD_PRELOAD", v, 1);
	free(v);
}
