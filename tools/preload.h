/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef SUDCOMPAT_TOOLS_PRELOAD_H
#define SUDCOMPAT_TOOLS_PRELOAD_H

#include <stddef.h>

/*
 * Find @name (a shared library of this project): $@env, then the build tree
 * next to this program, then @installed. 0 or -1.
 */
int find_project_library(const char *name, const char *env, const char *installed,
			 char *out, size_t size);
/* Prepend @path to LD_PRELOAD. */
void preload_library(const char *path);

#endif
