// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * arm64: a signal frame that resumes another thread's context in a new child.
 *
 * rt_sigreturn reads struct rt_sigframe { siginfo; ucontext } at sp, which
 * must be 16-byte aligned. glibc's ucontext_t is laid out as the kernel's
 * (its 128-byte sigset_t covers the kernel's sigset and padding). The
 * records in uc_mcontext.__reserved are rebuilt: the caller's may point
 * (extra_context) into the caller's frame, and carry state tied to the
 * caller's thread (SVE/SME vector length), so only the records that stand
 * on their own are kept, inline, followed by the null terminator.
 */
#include <stddef.h>
#include <string.h>

#include "arch-api.h"

/* arch/arm64/include/uapi/asm/sigcontext.h */
#define REC_FPSIMD_MAGIC	0x46508001u
#define REC_ESR_MAGIC		0x45535201u
#define REC_EXTRA_MAGIC		0x45585401u
#define REC_SVE_MAGIC		0x53564501u
#define REC_ZA_MAGIC		0x54366345u
/* Later kernels (6.3+): self-contained registers that a fork child keeps. */
#define REC_TPIDR2_MAGIC	0x54504902u
#define REC_FPMR_MAGIC		0x46504d52u
#define REC_POE_MAGIC		0x504f4530u

#define SIGINFO_SIZE		128
#define RESERVED_SIZE		sizeof(((mcontext_t *)0)->__reserved)
#define REC_HEAD_SIZE		8u

struct rec_head {
	uint32_t magic, size;
};

struct rec_extra {
	struct rec_head head;
	uint64_t datap;
	uint32_t size;
	uint32_t reserved[3];
};

_Static_assert(offsetof(ucontext_t, uc_mcontext) == 176, "ucontext_t is not the kernel's");
_Static_assert(offsetof(mcontext_t, __reserved) == 288, "mcontext_t is not the kernel's sigcontext");
_Static_assert(sizeof(ucontext_t) == 176 + 288 + 4096, "ucontext_t size");

static bool keep_record(uint32_t magic)
{
	switch (magic) {
	case REC_FPSIMD_MAGIC:
	case REC_TPIDR2_MAGIC:
	case REC_FPMR_MAGIC:
	case REC_POE_MAGIC:
		return true;
	default:
		/* ESR: ignored on sigreturn. SVE/ZA/ZT: the vector state of the
		 * caller's thread (its VL), architecturally dead across a syscall
		 * except in streaming mode. EXTRA: points into the caller's frame. */
		return false;
	}
}

/*
 * Copy the kept records of @src (the caller's __reserved, following one
 * extra_context) into @dst. Returns the bytes used, without the terminator.
 */
static size_t copy_records(unsigned char *dst, const unsigned char *src, const struct sud_resume *r)
{
	const unsigned char *base = src;
	size_t limit = RESERVED_SIZE, off = 0, out = 0;
	bool extra_seen = false;

	for (;;) {
		struct rec_head h;

		if (limit - off < REC_HEAD_SIZE || (off & 15))
			break;
		memcpy(&h, base + off, sizeof(h));
		if (!h.magic || h.size < REC_HEAD_SIZE || h.size > limit - off)
			break;
		if (h.magic == REC_EXTRA_MAGIC) {
			struct rec_extra x;

			if (extra_seen || h.size < sizeof(x))
				break;
			memcpy(&x, base + off, sizeof(x));
			extra_seen = true;
			if (!x.datap || (x.datap & 15))
				break;
			base = (const unsigned char *)(uintptr_t)x.datap;
			limit = x.size;
			off = 0;
			continue;
		}
		if (keep_record(h.magic) && out + h.size <= RESERVED_SIZE - REC_HEAD_SIZE &&
		    !(h.size & 15)) {
			memcpy(dst + out, base + off, h.size);
			/* A new thread starts with TPIDR2 clear (copy_thread on CLONE_SETTLS). */
			if (h.magic == REC_TPIDR2_MAGIC && r->tls && h.size >= 16)
				memset(dst + out + REC_HEAD_SIZE, 0, 8);
			out += h.size;
		}
		off += h.size;
	}
	return out;
}

unsigned long arch_build_sigframe(void *buf, unsigned long size, const struct sud_resume *r)
{
	const ucontext_t *uc = r->uc;
	uintptr_t frame = ((uintptr_t)buf + 15) & ~(uintptr_t)15;
	ucontext_t *nuc = (ucontext_t *)(frame + SIGINFO_SIZE);
	size_t used;

	if (frame + SIGINFO_SIZE + sizeof(ucontext_t) > (uintptr_t)buf + size)
		return 0;
	memset((void *)frame, 0, SIGINFO_SIZE);
	memcpy(nuc, uc, offsetof(ucontext_t, uc_mcontext.__reserved));
	used = copy_records(nuc->uc_mcontext.__reserved, uc->uc_mcontext.__reserved, r);
	memset(nuc->uc_mcontext.__reserved + used, 0, RESERVED_SIZE - used);

	nuc->uc_mcontext.regs[0] = (unsigned long)r->ret;
	if (r->sp)
		nuc->uc_mcontext.sp = r->sp;
	sud_resume_signal_state(nuc, r);
	return frame;
}

/* The kernel's rt_sigreturn leaves tpidr_el0 alone: set it before. */
void arch_set_thread_pointer(unsigned long tp)
{
	__asm__ volatile("msr tpidr_el0, %0" : : "r"(tp) : "memory");
}
