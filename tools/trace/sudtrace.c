// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sudtrace [-o FILE] [--backend auto|native|seccomp] -- PROGRAM [ARG...]
 *
 * Count PROGRAM's syscalls with syscall user dispatch, through libsudcompat:
 * the kernel's own SUD where it has it, the seccomp emulation elsewhere.
 * The program's own output is untouched; the counts go to FILE or stderr.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <seccomp.h>

#include "preload.h"
#include "sudcompat.h"

#define MAX_NR 1024

static int usage(void)
{
	fprintf(stderr, "usage: sudtrace [-o FILE] [--backend auto|native|seccomp] -- PROGRAM [ARG...]\n");
	return 2;
}

static int summarize(const char *raw, FILE *out, enum sudcompat_backend backend)
{
	static unsigned long total[MAX_NR];
	unsigned long untraced = 0, sum = 0, n;
	int pid, nr, processes = 0;
	char word[32];
	FILE *in = fopen(raw, "r");

	if (!in)
		return -1;
	while (fscanf(in, "%d %31s %lu", &pid, word, &n) == 3) {
		(void)pid;
		/* each image writes its report at once, headed by this line */
		if (!strcmp(word, "image")) {
			processes++;
			continue;
		}
		if (!strcmp(word, "untraced")) {
			untraced += n;
			continue;
		}
		nr = atoi(word);
		if (nr >= 0 && nr < MAX_NR) {
			total[nr] += n;
			sum += n;
		}
	}
	fclose(in);
	fprintf(out, "sudtrace: %lu syscalls in %d process images, backend %s\n", sum, processes,
		sudcompat_backend_name(backend));
	for (nr = 0; nr < MAX_NR; nr++) {
		char *name;

		if (!total[nr])
			continue;
		name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		fprintf(out, "%10lu  %s\n", total[nr], name ? name : "?");
		free(name);
	}
	if (untraced)
		fprintf(out, "note: %lu clone(CLONE_VM) calls; each such thread was traced up to there\n",
			untraced);
	return 0;
}

int main(int argc, char **argv)
{
	const char *out_path = NULL, *backend = NULL;
	char raw[] = "/tmp/sudtrace.XXXXXX", lib[PATH_MAX + 32];
	int i = 1, fd, status, code;
	FILE *out = stderr;
	pid_t pid;

	for (; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out_path = argv[++i];
		else if (!strcmp(argv[i], "--backend") && i + 1 < argc)
			backend = argv[++i];
		else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (argv[i][0] == '-')
			return usage();
		else
			break;
	}
	if (i >= argc)
		return usage();
	if (backend) {
		if (strcmp(backend, "auto") && strcmp(backend, "native") && strcmp(backend, "seccomp")) {
			fprintf(stderr, "sudtrace: unknown backend '%s'\n", backend);
			return 2;
		}
		setenv("SUDCOMPAT_BACKEND", backend, 1);
	}
	if (sudcompat_backend() == SUDCOMPAT_BACKEND_NONE) {
		struct sudcompat_probe p;

		sudcompat_probe(&p);
		fprintf(stderr, "sudtrace: no syscall user dispatch here: %s\n", p.reason);
		return 1;
	}
	/* libsudcompat first, so that the tracer's prctl() is served by it */
	if (find_project_library("libsudtrace.so", "SUDTRACE_PRELOAD", SUDCOMPAT_PKGLIBDIR, lib, sizeof(lib))) {
		fprintf(stderr, "sudtrace: cannot find libsudtrace.so (set SUDTRACE_PRELOAD)\n");
		return 127;
	}
	preload_library(lib);
	if (find_project_library("libsudcompat.so.0", "SUDCOMPAT_PRELOAD", SUDCOMPAT_LIBDIR, lib, sizeof(lib))) {
		fprintf(stderr, "sudtrace: cannot find libsudcompat.so.0 (set SUDCOMPAT_PRELOAD)\n");
		return 127;
	}
	preload_library(lib);
	fd = mkstemp(raw);
	if (fd < 0) {
		perror("sudtrace: mkstemp");
		return 1;
	}
	close(fd);
	setenv("SUDTRACE_OUTPUT", raw, 1);
	pid = fork();
	if (pid == 0) {
		execvp(argv[i], argv + i);
		fprintf(stderr, "sudtrace: %s: %s\n", argv[i], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("sudtrace: waitpid");
			return 1;
		}
	if (out_path && !(out = fopen(out_path, "w"))) {
		fprintf(stderr, "sudtrace: %s: %s\n", out_path, strerror(errno));
		out = stderr;
	}
	summarize(raw, out, sudcompat_backend());
	if (out != stderr)
		fclose(out);
	unlink(raw);
	if (WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		raise(WTERMSIG(status));
	}
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	return code;
}
