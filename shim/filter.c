// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The emulation's seccomp filter.
 *
 *   ip in the fast path's fallback slots                  -> TRAP(tag)
 *   ip in the library's trampoline                        -> ALLOW
 *   ip exempt by the thread's range                       -> the range program
 *   anything else                                         -> TRAP(tag)
 *
 * The range program: every ABI of the architecture, ALLOW by default, TRAP
 * for the syscalls the library must always see (special_syscalls.h: signal
 * state, lifecycle, prctl), TRAP for any other ABI. Classic BPF cannot read the selector; the SIGSYS handler does.
 * Every rt_sigreturn is among them, the kernel's trampoline's too: the
 * frame it restores holds the application's SIGSYS bit.
 */
#include <errno.h>
#include <stddef.h>
#include <seccomp.h>
#include <linux/seccomp.h>

#include "filter.h"
#include "bpf_builder.h"
#include "bpf_interp.h"
#include "special_syscalls.h"
#include "arch-api.h"

static const struct special {
	const char *name;
	int trap;		/* enum sud_trap, or SUD_TRAP_MASK_ARG(n) */
} specials[] = {
#define SUD_SPECIAL_FILTERED(name, trap, emulation, foreign) { #name, trap },
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

/*
 * The range program: for each ABI of the architecture, TRAP for the
 * syscalls the library must see (with a mask argument, only when given),
 * ALLOW for the rest; TRAP for any other ABI, as libseccomp's BADARCH.
 * Hand-written from libseccomp's numbers (a table lookup): arming must not
 * allocate, and the whole filter lives in the caller's builder.
 */
#define SD_NR		offsetof(struct seccomp_data, nr)
#define SD_ARCH		offsetof(struct seccomp_data, arch)
#define SD_ARG(n)	(offsetof(struct seccomp_data, args) + 8 * (n))

static void abi_rules(struct bpfb *b, uint32_t abi, int l_trap, int l_allow)
{
	bpfb_stmt(b, BPF_LD | BPF_W | BPF_ABS, SD_NR);
#ifdef ARCH_OTHER_ABI_NR_BIT
	/* the same si_arch, another ABI's numbering (x32 on x86-64) */
	if (abi == ARCH_AUDIT_NATIVE)
		bpfb_jump(b, BPF_JGE, ARCH_OTHER_ABI_NR_BIT, l_trap, BPFB_NEXT);
#endif
	for (size_t i = 0; i < sizeof(specials) / sizeof(specials[0]); i++) {
		int nr = seccomp_syscall_resolve_name_arch(abi, specials[i].name);
		unsigned int arg, after;

		if (nr < 0 || specials[i].trap == SUD_TRAP_OUTSIDE)
			continue;
		if (specials[i].trap == SUD_TRAP_ALWAYS) {
			bpfb_jump(b, BPF_JEQ, (unsigned int)nr, l_trap, BPFB_NEXT);
			continue;
		}
		/* TRAP if either half of the mask argument is non-zero */
		arg = (unsigned int)(specials[i].trap - SUD_TRAP_MASK_ARG0);
		after = b->n + 5;
		bpfb_jump(b, BPF_JEQ, (unsigned int)nr, BPFB_NEXT, BPFB_AT(after));
		bpfb_stmt(b, BPF_LD | BPF_W | BPF_ABS, SD_ARG(arg));
		bpfb_jump(b, BPF_JEQ, 0, BPFB_NEXT, l_trap);
		bpfb_stmt(b, BPF_LD | BPF_W | BPF_ABS, SD_ARG(arg) + 4);
		bpfb_jump(b, BPF_JEQ, 0, l_allow, l_trap);
	}
	bpfb_jump(b, BPF_JA, 0, l_allow, l_allow);
}

static void range_program(struct bpfb *b, int l_trap, int l_allow)
{
	enum { L_ABI0 = 8 };
	size_t n = sizeof(abis) / sizeof(abis[0]);

	bpfb_stmt(b, BPF_LD | BPF_W | BPF_ABS, SD_ARCH);
	for (size_t i = 0; i < n; i++)
		bpfb_jump(b, BPF_JEQ, abis[i], L_ABI0 + (int)i, BPFB_NEXT);
	bpfb_jump(b, BPF_JA, 0, l_trap, l_trap);
	for (size_t i = 0; i < n; i++) {
		bpfb_label(b, L_ABI0 + (int)i);
		abi_rules(b, abis[i], l_trap, l_allow);
	}
}

enum { L_ALLOW, L_TRAP, L_RANGE, L_TRAP_PLAIN, L_TRAP_CODE0 };

/* -ERESTARTSYS, -ERESTARTNOINTR, -ERESTARTNOHAND, -ERESTART_RESTARTBLOCK */
const long sud_restart_codes[SUD_RESTART_CODES] = { -512, -513, -514, -516 };

/* The trap's verdicts, one per restart code that the first argument may be (filter.h). */
static void trap_verdicts(struct bpfb *b)
{
	if (ARCH_RETURN_IS_FIRST_ARG) {
		bpfb_stmt(b, BPF_LD | BPF_W | BPF_ABS, SD_ARG(0) + 4);
		bpfb_jump(b, BPF_JEQ, 0xffffffffu, BPFB_NEXT, L_TRAP_PLAIN);
		bpfb_stmt(b, BPF_LD | BPF_W | BPF_ABS, SD_ARG(0));
		for (int k = 0; k < SUD_RESTART_CODES; k++)
			bpfb_jump(b, BPF_JEQ, (uint32_t)sud_restart_codes[k], L_TRAP_CODE0 + k,
				  BPFB_NEXT);
	}
	bpfb_label(b, L_TRAP_PLAIN);
	bpfb_stmt(b, BPF_RET | BPF_K, SECCOMP_RET_TRAP | SUD_TRAP_TAG);
	for (int k = 0; ARCH_RETURN_IS_FIRST_ARG && k < SUD_RESTART_CODES; k++) {
		bpfb_label(b, L_TRAP_CODE0 + k);
		bpfb_stmt(b, BPF_RET | BPF_K, SECCOMP_RET_TRAP | (SUD_TRAP_TAG + 1 + k));
	}
}

#define SD_IP		offsetof(struct seccomp_data, instruction_pointer)

int sud_filter_build(const struct sud_filter_spec *spec, struct bpfb *b, struct sock_fprog *prog)
{
	int n;

	bpfb_init(b);
	/* they stand for their sites, which the handler then decides on */
	if (spec->trap_end > spec->trap_start)
		bpfb_range64(b, SD_IP, spec->trap_start, spec->trap_end, L_TRAP, BPFB_NEXT);
	bpfb_range64(b, SD_IP, spec->tramp_start, spec->tramp_end, L_ALLOW, BPFB_NEXT);
	if (spec->range.mode != SUD_MODE_OFF) {
		unsigned long lo = spec->range.offset, hi = lo + spec->range.len;
		bool inclusive = spec->range.mode == SUD_MODE_INCLUSIVE;

		/* validated: [lo, hi) does not wrap */
		bpfb_range64(b, SD_IP, lo, hi, inclusive ? L_TRAP : L_RANGE,
			     inclusive ? L_RANGE : L_TRAP);
		bpfb_label(b, L_RANGE);
		range_program(b, L_TRAP, L_ALLOW);
	}
	/* classic BPF jumps forward only: the verdicts come last */
	bpfb_label(b, L_TRAP);
	trap_verdicts(b);
	bpfb_label(b, L_ALLOW);
	bpfb_stmt(b, BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	n = bpfb_finish(b);
	if (n < 0)
		return -E2BIG;
	prog->len = (unsigned short)n;
	prog->filter = b->insn;
	return 0;
}

bool sud_filter_traps(const struct sud_filter_spec *spec, const struct seccomp_data *sd)
{
	struct sock_fprog prog;
	bool traps = false;
	struct bpfb *b;

	if (bpfb_map(&b))
		return false;
	if (!sud_filter_build(spec, b, &prog))
		traps = (sud_bpf_run(&prog, sd) & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_TRAP;
	bpfb_unmap(b);
	return traps;
}
