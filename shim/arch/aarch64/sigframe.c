// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * arm64: the signal frames the library builds: a child's first, and a
 * handler's entry.
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
#include <sys/auxv.h>
#include <sys/syscall.h>

#include "arch-api.h"
#include "arch-fastpath.h"

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

/* include/uapi/linux/prctl.h, and sve_context's flags */
#define PR_SVE_SET_VL		50
#define PR_SVE_GET_VL		51
#define PR_SME_SET_VL		63
#define PR_SME_GET_VL		64
#define PR_VL_ONEXEC		(1ul << 18)
#define PR_VL_LEN_MASK		0xffff
#define SVE_FLAG_SM		1u
#define VEC_HEADER_SIZE		16u	/* an sve_context or za_context without register data */

/*
 * The vector record at @rec, in an area of records that ends at @end,
 * becomes a header for @vl without register data (the state a change of
 * vector length discards), streaming mode off; the records after it
 * move up. A record of @vl already, outside streaming mode, stays.
 */
static void vec_record_discard(unsigned char *rec, unsigned char *end, uint16_t vl)
{
	struct rec_head h;
	uint16_t flags = 0, was;

	memcpy(&h, rec, sizeof(h));
	memcpy(&was, rec + REC_HEAD_SIZE, sizeof(was));
	memcpy(&flags, rec + REC_HEAD_SIZE + 2, sizeof(flags));
	/* a prctl that sets the length in force changes nothing (sve_set_vector_length()) */
	if (was == vl && !(flags & SVE_FLAG_SM))
		return;
	flags = 0;
	if (h.size > VEC_HEADER_SIZE) {
		size_t gone = h.size - VEC_HEADER_SIZE;

		memmove(rec + VEC_HEADER_SIZE, rec + h.size, (size_t)(end - (rec + h.size)));
		memset(end - gone, 0, gone);
		h.size = VEC_HEADER_SIZE;
		memcpy(rec, &h, sizeof(h));
	}
	memcpy(rec + REC_HEAD_SIZE, &vl, sizeof(vl));
	memcpy(rec + REC_HEAD_SIZE + 2, &flags, sizeof(flags));
}

/*
 * rt_sigreturn refuses a frame whose SVE or ZA record has another vector
 * length than the thread's: after a trapped PR_SVE_SET_VL or
 * PR_SME_SET_VL, the frame of its trap gets the new one, without the
 * register data that the change discarded (an SME change also ends
 * streaming mode, whose SVE record then becomes a plain one).
 */
void arch_uc_after_prctl(ucontext_t *uc, const unsigned long a[6], long ret)
{
	int option = (int)a[0];
	unsigned char *base = uc->uc_mcontext.__reserved;
	size_t limit = RESERVED_SIZE, off = 0;
	bool extra_seen = false;
	long sve_vl, sme_vl;

	if (ret < 0 || (option != PR_SVE_SET_VL && option != PR_SME_SET_VL) || (a[1] & PR_VL_ONEXEC))
		return;
	sve_vl = sud_sys1(SYS_prctl, PR_SVE_GET_VL);
	sme_vl = sud_sys1(SYS_prctl, PR_SME_GET_VL);
	while (limit - off >= REC_HEAD_SIZE && !(off & 15)) {
		struct rec_head h;
		uint16_t flags;

		memcpy(&h, base + off, sizeof(h));
		if (!h.magic || h.size < REC_HEAD_SIZE || h.size > limit - off)
			return;
		if (h.magic == REC_EXTRA_MAGIC && !extra_seen && h.size >= sizeof(struct rec_extra)) {
			struct rec_extra x;

			memcpy(&x, base + off, sizeof(x));
			if (!x.datap || (x.datap & 15))
				return;
			extra_seen = true;
			base = (unsigned char *)(uintptr_t)x.datap;
			limit = x.size;
			off = 0;
			continue;
		}
		if (h.magic == REC_SVE_MAGIC && h.size >= VEC_HEADER_SIZE && sve_vl >= 0) {
			uint16_t was;

			memcpy(&was, base + off + REC_HEAD_SIZE, sizeof(was));
			memcpy(&flags, base + off + REC_HEAD_SIZE + 2, sizeof(flags));
			/* streaming mode's record has the SME length, and ends with its change */
			if (option == PR_SVE_SET_VL ? !(flags & SVE_FLAG_SM) :
			    (flags & SVE_FLAG_SM) && sme_vl >= 0 && was != (sme_vl & PR_VL_LEN_MASK))
				vec_record_discard(base + off, base + limit,
						   (uint16_t)(sve_vl & PR_VL_LEN_MASK));
		} else if (h.magic == REC_ZA_MAGIC && h.size >= VEC_HEADER_SIZE &&
			   option == PR_SME_SET_VL && sme_vl >= 0) {
			vec_record_discard(base + off, base + limit, (uint16_t)(sme_vl & PR_VL_LEN_MASK));
		}
		memcpy(&h, base + off, sizeof(h));
		off += h.size;
	}
}

/* arch/arm64/include/asm/ptrace.h, uapi hwcap.h */
#define PSR_BTYPE_MASK		0x00000c00ul
#define PSR_BTYPE_C		0x00000800ul
#define PSR_TCO_BIT		0x02000000ul
#define SUD_HWCAP2_BTI		(1ul << 17)
#define FPSIMD_RECORD_SIZE	528u
#define RT_SIGFRAME_SIZE	(SIGINFO_SIZE + sizeof(ucontext_t))

/* The record of @uc with @magic, inline in __reserved, or NULL. */
static const unsigned char *find_record(const ucontext_t *uc, uint32_t magic)
{
	const unsigned char *base = uc->uc_mcontext.__reserved;
	size_t off = 0;

	while (RESERVED_SIZE - off >= REC_HEAD_SIZE) {
		struct rec_head h;

		memcpy(&h, base + off, sizeof(h));
		if (!h.magic || h.size < REC_HEAD_SIZE || h.size > RESERVED_SIZE - off)
			return NULL;
		if (h.magic == magic)
			return base + off;
		off += h.size;
	}
	return NULL;
}

/*
 * get_sigframe() put the frame record {fp, lr} of the interrupted code
 * right after the frame: after struct rt_sigframe, or after the
 * extra_context data that follows it. The handler's x29 points there.
 */
static unsigned long frame_record(const siginfo_t *info, const ucontext_t *uc)
{
	const unsigned char *rec = find_record(uc, REC_EXTRA_MAGIC);
	uintptr_t end = (uintptr_t)info + RT_SIGFRAME_SIZE;

	if (rec) {
		struct rec_extra x;

		memcpy(&x, rec, sizeof(x));
		if (x.datap + x.size > end)
			end = x.datap + x.size;
	}
	return (end + 15) & ~(uintptr_t)15;
}

/*
 * As setup_return(): x0 the signal, x1/x2 the siginfo and ucontext for an
 * SA_SIGINFO handler, x29 the frame record, x30 the restorer, sp the
 * frame; TCO clear, BTYPE as after a BLR where BTI exists. The FP/SIMD
 * registers are the interrupted ones. The entry frame holds the records
 * up to the FPSIMD one, which rt_sigreturn requires, and a terminator;
 * its uc_stack, which rt_sigreturn restores, is @ss, or the one in force.
 * Its rt_sigreturn enters the handler.
 */
void arch_entry_frame(struct arch_entry_frame *f, siginfo_t *info, ucontext_t *uc,
		      const struct sud_handler_entry *e, const stack_t *ss)
{
	const unsigned char *fpsimd = find_record(uc, REC_FPSIMD_MAGIC);
	mcontext_t *m = &f->uc.uc_mcontext;

	if (!fpsimd)
		sud_sys1(SYS_exit_group, 128 + SIGSEGV);
	memcpy(&f->uc, uc, offsetof(ucontext_t, uc_mcontext.__reserved));
	memcpy(m->__reserved, fpsimd, FPSIMD_RECORD_SIZE);
	memset(m->__reserved + FPSIMD_RECORD_SIZE, 0, REC_HEAD_SIZE * 2);
	m->regs[0] = (unsigned long)e->sig;
	if (e->siginfo) {
		m->regs[1] = (unsigned long)info;
		m->regs[2] = (unsigned long)uc;
	}
	m->regs[29] = frame_record(info, uc);
	m->regs[30] = (unsigned long)e->restorer;
	m->sp = (unsigned long)info;
	m->pc = (unsigned long)e->handler;
	m->pstate &= ~PSR_TCO_BIT;
	if (getauxval(AT_HWCAP2) & SUD_HWCAP2_BTI)
		m->pstate = (m->pstate & ~PSR_BTYPE_MASK) | PSR_BTYPE_C;
	if (ss)
		f->uc.uc_stack = *ss;
	else
		sud_sys2(SYS_sigaltstack, NULL, &f->uc.uc_stack);
	sud_uc_set_mask(&f->uc, e->mask);
}

void arch_uc_adopt(ucontext_t *uc, const ucontext_t *app, bool restart)
{
	unsigned long x0 = uc->uc_mcontext.regs[0], x8 = uc->uc_mcontext.regs[8];
	unsigned char *fp = (unsigned char *)find_record(uc, REC_FPSIMD_MAGIC);
	const unsigned char *app_fp = find_record(app, REC_FPSIMD_MAGIC);

	memcpy(uc->uc_mcontext.regs, app->uc_mcontext.regs, sizeof(uc->uc_mcontext.regs));
	uc->uc_mcontext.sp = app->uc_mcontext.sp;
	uc->uc_mcontext.pc = app->uc_mcontext.pc;
	uc->uc_mcontext.pstate = app->uc_mcontext.pstate;
	if (fp && app_fp)
		memcpy(fp + REC_HEAD_SIZE, app_fp + REC_HEAD_SIZE, FPSIMD_RECORD_SIZE - REC_HEAD_SIZE);
	if (restart) {
		/* x0 as the syscall took it, the number the kernel chose (__NR_restart_syscall too) */
		uc->uc_mcontext.regs[8] = x8;
		uc->uc_mcontext.pc -= ARCH_SYSCALL_INSN_SIZE;
	} else {
		uc->uc_mcontext.regs[0] = x0;
	}
}

/* The records that stand on their own, inline: an extra_context would point into @src's frame. */
bool arch_uc_save(ucontext_t *dst, void *space, size_t size, const ucontext_t *src)
{
	const struct sud_resume none = { .uc = src };
	size_t used;

	(void)space;
	(void)size;
	memcpy(dst, src, offsetof(ucontext_t, uc_mcontext.__reserved));
	used = copy_records(dst->uc_mcontext.__reserved, src->uc_mcontext.__reserved, &none);
	memset(dst->uc_mcontext.__reserved + used, 0, RESERVED_SIZE - used);
	return true;
}
