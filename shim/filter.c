// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The emulation's seccomp filter.
 *
 *   ip in the library's trampoline                        -> ALLOW
 *   ip exempt by the thread's range                       -> the range program
 *   anything else                                         -> TRAP(tag)
 *
 * The range program comes from libseccomp: every ABI of the architecture,
 * ALLOW by default, TRAP for the syscalls the library must always see
 * (special_syscalls.h: signal state, lifecycle, prctl), TRAP for a
 * foreign ABI. Classic BPF cannot read the selector; the SIGSYS handler does.
 * Every rt_sigreturn is among them, the kernel's trampoline's too: the
 * frame it restores holds the application's SIGSYS bit.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <seccomp.h>
#include <linux/seccomp.h>

#include "filter.h"
#include "bpf_builder.h"
#include "special_syscalls.h"
#include "arch-api.h"

static const struct special {
	const char *name;
	int trap;		/* enum sud_trap, or SUD_TRAP_MASK_ARG(n) */
} specials[] = {
#define SUD_SPECIAL_FILTERED(name, trap, emulation, abi) { #name, trap },
	SUD_SPECIAL_SYSCALLS(SUD_SPECIAL_FILTERED)
#undef SUD_SPECIAL_FILTERED
};

static const uint32_t abis[] = ARCH_SCMP_ABIS;

int sud_range_trapped_syscalls(uint32_t scmp_arch, int *nrs, int *mask_args, int max)
{
	int n = 0;

	for (size_t i = 0; i < sizeof(specials) / sizeof(specials[0]); i++) {
		int nr = seccomp_syscall_resolve_name_arch(scmp_arch, specials[i].name);

		if (specials[i].trap == SUD_TRAP_OUTSIDE || nr < 0 || n >= max)
			continue;
		mask_args[n] = specials[i].trap == SUD_TRAP_ALWAYS ? -1 :
			       specials[i].trap - SUD_TRAP_MASK_ARG0;
		nrs[n++] = nr;
	}
	return n;
}

/* Export @ctx through a pipe: libseccomp 2.5 writes BPF only to a file descriptor. */
static int export_bpf(scmp_filter_ctx ctx, struct sock_filter **out, size_t *count)
{
	int fds[2];
	size_t cap = 4096 * sizeof(struct sock_filter), len = 0;
	char *buf;
	int rc;

	if (pipe(fds))
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		close(fds[0]);
		close(fds[1]);
		return -ENOMEM;
	}
	/* A BPF program is at most 4096 instructions, 32 KiB: less than a pipe holds. */
	rc = seccomp_export_bpf(ctx, fds[1]);
	close(fds[1]);
	while (rc == 0) {
		ssize_t r = read(fds[0], buf + len, cap - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			rc = -errno;
		if (r <= 0)
			break;
		len += (size_t)r;
		if (len == cap)
			rc = -E2BIG;
	}
	close(fds[0]);
	if (rc == 0 && (len == 0 || len % sizeof(struct sock_filter)))
		rc = -EINVAL;
	if (rc) {
		free(buf);
		return rc;
	}
	*out = (struct sock_filter *)buf;
	*count = len / sizeof(struct sock_filter);
	return 0;
}

static int range_program(struct sock_filter **out, size_t *count)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int rc;

	if (!ctx)
		return -ENOMEM;
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRAP);
	if (!rc)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	for (size_t i = 1; !rc && i < sizeof(abis) / sizeof(abis[0]); i++) {
		rc = seccomp_arch_add(ctx, abis[i]);
		if (rc == -EEXIST)
			rc = 0;
	}
	for (size_t i = 0; !rc && i < sizeof(specials) / sizeof(specials[0]); i++) {
		/* native numbering; libseccomp translates it for every ABI in ctx */
		int nr = seccomp_syscall_resolve_name(specials[i].name);

		if (nr == __NR_SCMP_ERROR || specials[i].trap == SUD_TRAP_OUTSIDE)
			continue;
		if (specials[i].trap == SUD_TRAP_ALWAYS) {
			rc = seccomp_rule_add(ctx, SCMP_ACT_TRAP, nr, 0);
		} else {
			const struct scmp_arg_cmp mask_given = {
				.arg = (unsigned int)(specials[i].trap - SUD_TRAP_MASK_ARG0),
				.op = SCMP_CMP_NE, .datum_a = 0, .datum_b = 0,
			};

			rc = seccomp_rule_add_array(ctx, SCMP_ACT_TRAP, nr, 1, &mask_given);
		}
	}
	if (!rc)
		rc = export_bpf(ctx, out, count);
	seccomp_release(ctx);
	return rc;
}

enum { L_ALLOW, L_TRAP, L_RANGE };

#define SD_IP		offsetof(struct seccomp_data, instruction_pointer)

int sud_filter_build(const struct sud_filter_spec *spec, struct sock_fprog *prog)
{
	struct sock_filter *tail = NULL;
	size_t tail_n = 0;
	struct bpfb *b;
	int head_n, rc;

	if (spec->range.mode != SUD_MODE_OFF) {
		rc = range_program(&tail, &tail_n);
		if (rc)
			return rc;
	}
	b = malloc(sizeof(*b));
	if (!b) {
		free(tail);
		return -ENOMEM;
	}
	bpfb_init(b);
	bpfb_range64(b, SD_IP, spec->tramp_start, spec->tramp_end, L_ALLOW, BPFB_NEXT);
	if (spec->range.mode != SUD_MODE_OFF) {
		unsigned long lo = spec->range.offset, hi = lo + spec->range.len;
		bool inclusive = spec->range.mode == SUD_MODE_INCLUSIVE;

		/* validated: [lo, hi) does not wrap */
		bpfb_range64(b, SD_IP, lo, hi, inclusive ? L_TRAP : L_RANGE,
			     inclusive ? L_RANGE : L_TRAP);
	}
	bpfb_label(b, L_TRAP);
	bpfb_stmt(b, BPF_RET | BPF_K, SECCOMP_RET_TRAP | SUD_TRAP_TAG);
	bpfb_label(b, L_ALLOW);
	bpfb_stmt(b, BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	bpfb_label(b, L_RANGE);
	head_n = bpfb_finish(b);
	if (head_n < 0 || head_n + tail_n > BPF_MAXINSNS) {
		free(b);
		free(tail);
		return -E2BIG;
	}
	prog->len = (unsigned short)(head_n + tail_n);
	prog->filter = malloc(prog->len * sizeof(struct sock_filter));
	if (!prog->filter) {
		free(b);
		free(tail);
		return -ENOMEM;
	}
	memcpy(prog->filter, b->insn, (size_t)head_n * sizeof(struct sock_filter));
	for (size_t i = 0; i < tail_n; i++) {
		struct sock_filter f = tail[i];

		/* libseccomp cannot attach data to TRAP: tag its traps as ours. */
		if (f.code == (BPF_RET | BPF_K) && (f.k & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_TRAP)
			f.k = SECCOMP_RET_TRAP | SUD_TRAP_TAG;
		prog->filter[head_n + i] = f;
	}
	free(b);
	free(tail);
	return 0;
}
