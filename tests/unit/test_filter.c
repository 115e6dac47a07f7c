// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The emulation's filters, run through a cBPF interpreter: for every
 * configuration, ABI, syscall and boundary address, the verdict must be
 * the one the design calls for. Needs no seccomp, so it runs under QEMU-user.
 */
#include <stdio.h>
#include <stdlib.h>
#include <seccomp.h>

#include "bpf_interp.h"
#include "bpf_builder.h"
#include "filter.h"
#include "rules.h"
#include "arch-api.h"
#include "tap.h"

#define TRAP_OURS	(SECCOMP_RET_TRAP | SUD_TRAP_TAG)
#define FOREIGN_ARCH	0x12345678u

static const uint32_t abis[] = ARCH_SCMP_ABIS;

static bool in(unsigned long ip, unsigned long lo, unsigned long hi)
{
	return ip >= lo && ip < hi;
}

/* Trapped from the allowed range: always, or with its signal-mask argument given. */
static bool is_special(uint32_t arch, const struct seccomp_data *d)
{
	int nrs[32], args[32], n = sud_range_trapped_syscalls(arch, nrs, args, 32);

	for (int i = 0; i < n; i++)
		if (nrs[i] == (int)d->nr)
			return args[i] < 0 || d->args[args[i]];
	return false;
}

static bool known_abi(uint32_t arch)
{
	for (size_t i = 0; i < sizeof(abis) / sizeof(abis[0]); i++)
		if (abis[i] == arch)
			return true;
	return false;
}

static uint32_t expected(const struct sud_filter_spec *s, const struct seccomp_data *d)
{
	unsigned long ip = d->instruction_pointer;

	if (in(ip, s->trap_start, s->trap_end))
		return TRAP_OURS;
	if (in(ip, s->tramp_start, s->tramp_end))
		return SECCOMP_RET_ALLOW;
	if (s->range.mode == SUD_MODE_OFF || !sud_ip_exempt(&s->range, ip))
		return TRAP_OURS;
#ifdef ARCH_OTHER_ABI_NR_BIT
	if (d->arch == ARCH_AUDIT_NATIVE && (unsigned int)d->nr >= ARCH_OTHER_ABI_NR_BIT)
		return TRAP_OURS;
#endif
	if (!known_abi(d->arch) || is_special(d->arch, d))
		return TRAP_OURS;
	return SECCOMP_RET_ALLOW;
}

static int check_spec(const struct sud_filter_spec *s, const char *what)
{
	unsigned long lo = s->range.offset, hi = lo + s->range.len;
	unsigned long ips[] = {
		0, 1, s->tramp_start - 1, s->tramp_start, s->tramp_end - 1, s->tramp_end,
		s->trap_start - 1, s->trap_start, s->trap_end - 1, s->trap_end,
		lo - 1, lo, lo + 1, hi - 1, hi, hi + 1, 0x7fffffffffffull, ~0ul, ~0ul - 1,
		0x100000000ul, 0xffffffffu, 0x1234567890ul,
	};
	uint32_t arches[sizeof(abis) / sizeof(abis[0]) + 1];
	struct sock_fprog prog;
	int nrs[64], mask_args[64], n_nrs = 0, bad = 0, runs = 0;
	size_t n_arches = 0;

	for (size_t i = 0; i < sizeof(abis) / sizeof(abis[0]); i++)
		arches[n_arches++] = abis[i];
	arches[n_arches++] = FOREIGN_ARCH;
	n_nrs = sud_range_trapped_syscalls(abis[0], nrs, mask_args, 32);
	for (int nr = 0; nr < 460; nr += 37)
		nrs[n_nrs++] = nr;
	/* x32's numbering on x86-64 */
	nrs[n_nrs++] = 0x40000000 + 39;

	static struct bpfb b;

	if (sud_filter_build(s, &b, &prog)) {
		tap_ok(false, "%s: filter builds", what);
		return 1;
	}
	for (size_t i = 0; i < sizeof(ips) / sizeof(ips[0]); i++)
		for (size_t a = 0; a < n_arches; a++)
			for (int k = 0; k < n_nrs; k++)
				/* every argument NULL, then every one set (a mask given) */
				for (int with_args = 0; with_args < 2; with_args++) {
					struct seccomp_data d = {
						.nr = nrs[k], .arch = arches[a],
						.instruction_pointer = ips[i],
					};
					uint32_t got, want;

					for (int j = 0; with_args && j < 6; j++)
						d.args[j] = 0x100000000ull << j | 0x1000;
					got = sud_bpf_run(&prog, &d);
					want = expected(s, &d);
					runs++;
					if (got != want && bad++ < 5)
						tap_diag("%s: ip %#lx arch %#x nr %d args %d: got %#x, want %#x",
							 what, ips[i], arches[a], nrs[k], with_args, got,
							 want);
				}
	tap_ok(!bad, "%s: %d verdicts (%d wrong), %u instructions", what, runs, bad, prog.len);
	return bad;
}

int main(void)
{
	struct sud_filter_spec base = {
		.tramp_start = 0x7f0000001000ul, .tramp_end = 0x7f0000001040ul,
		/* the fast path's fallback slots, right after it: trapped whatever the range */
		.trap_start = 0x7f0000001040ul, .trap_end = 0x7f0000001080ul,
	};
	struct {
		const char *name;
		enum sud_mode mode;
		unsigned long offset, len;
	} cases[] = {
		{ "trap everything", SUD_MODE_OFF, 0, 0 },
		{ "exclusive, no range (0, 0)", SUD_MODE_EXCLUSIVE, 0, 0 },
		{ "exclusive, everything (0, -1)", SUD_MODE_EXCLUSIVE, 0, ~0ul },
		{ "exclusive, one page", SUD_MODE_EXCLUSIVE, 0x555555554000ul, 0x1000 },
		{ "exclusive, across 4 GiB", SUD_MODE_EXCLUSIVE, 0xfffff000ul, 0x2000 },
		{ "exclusive, one byte", SUD_MODE_EXCLUSIVE, 0x400123ul, 1 },
		{ "exclusive, up to the top", SUD_MODE_EXCLUSIVE, 0xffffffffffff0000ul, 0xffff },
		{ "inclusive, one page", SUD_MODE_INCLUSIVE, 0x555555554000ul, 0x1000 },
		{ "inclusive, low half", SUD_MODE_INCLUSIVE, 0, 0x800000000000ul },
	};
	int ncases = sizeof(cases) / sizeof(cases[0]);

	tap_plan(ncases + 1);
	for (int i = 0; i < ncases; i++) {
		struct sud_filter_spec s = base;

		s.range.mode = cases[i].mode;
		s.range.offset = cases[i].offset;
		s.range.len = cases[i].len;
		check_spec(&s, cases[i].name);
	}
	{
		struct sud_filter_spec s = base;
		static struct bpfb b;
		struct sock_fprog prog;

		s.tramp_start = 0x2000;
		s.tramp_end = 0x1000;	/* inverted: nothing is in it, yet the program must be valid */
		s.range.mode = SUD_MODE_OFF;
		tap_ok(!sud_filter_build(&s, &b, &prog) && prog.len < BPF_MAXINSNS,
		       "a degenerate trampoline still yields a valid program");
	}
	return tap_done();
}
