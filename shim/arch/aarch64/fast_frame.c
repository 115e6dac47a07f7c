// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * arm64's part of the user-space dispatch (shim/fast_user_dispatch.c):
 * struct rt_sigframe as get_sigframe() and setup_sigframe() lay it out,
 * 4688 bytes under the 16-byte frame record {x29, x30} of the interrupted
 * code, and the registers and FP/SIMD state of the entry's save
 * (fastpath-layout.h) in a ucontext.
 *
 * The records are learnt from the thread's last kernel frame
 * (arch_fast_frame_learn()): after a syscall the kernel writes the
 * fpsimd_context, the esr_context of the thread's last fault, and the
 * SVE and SME headers without register data, whose vector lengths only a
 * prctl changes (arch_fast_forget_frame()); fault_address and PSTATE
 * likewise. A thread without such a frame, or in streaming mode or with
 * ZA live, is left to the trap path.
 */
#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "arch-fastpath.h"

/* arch/arm64/include/uapi/asm/sigcontext.h */
#define REC_FPSIMD_MAGIC	0x46508001u
#define REC_EXTRA_MAGIC		0x45585401u
#define REC_SVE_MAGIC		0x53564501u
#define REC_ZA_MAGIC		0x54366345u
#define REC_ESR_MAGIC		0x45535201u
#define FPSIMD_SIZE		528u
#define REC_HEAD_SIZE		8u
#define SVE_HEADER_SIZE		16u	/* an sve_context, or a za_context, without register data */
#define SVE_FLAG_SM		1u
#define RESERVED_SIZE		sizeof(((mcontext_t *)0)->__reserved)
#define PSR_NZCV		0xf0000000ul
#define PSR_BTYPE_MASK		0x00000c00ul
/* the records besides fpsimd_context a syscall's frame can carry */
#define OTHERS_MAX		128u

_Static_assert(ARCH_FAST_FRAME_BYTES == 128 + sizeof(ucontext_t), "struct rt_sigframe");
_Static_assert(FE_FRAME_ROOM == ARCH_FAST_FRAME_BYTES + 16, "fastpath-layout.h's FE_FRAME_ROOM");
_Static_assert(FE_V == FE_FPSR + 8, "fastpath-layout.h's fpsimd_context");

/* What the thread's last kernel frame shows that a dispatch's frame must show too. */
static __thread struct {
	bool known;
	bool plain;	/* no record besides esr_context, which rt_sigreturn ignores */
	uint32_t others_size;
	uint64_t fault_address;
	uint64_t pstate;	/* without NZCV and BTYPE, which the svc's own are */
	unsigned char others[OTHERS_MAX] __attribute__((aligned(16)));
} learnt __attribute__((tls_model("initial-exec")));

struct rec_head {
	uint32_t magic, size;
};

static unsigned long fe_word(const unsigned char *fe, unsigned int at)
{
	unsigned long v;

	memcpy(&v, fe + at, sizeof(v));
	return v;
}

/*
 * The records of @uc after its fpsimd_context, as a syscall's frame has
 * them: the SVE and SME headers without register data. False for a frame
 * a dispatch cannot stand for (an extra_context, streaming mode, ZA live).
 */
static bool learn_records(const ucontext_t *uc)
{
	const unsigned char *base = uc->uc_mcontext.__reserved;
	size_t off = 0, out = 0;
	struct rec_head h;

	memcpy(&h, base, sizeof(h));
	if (h.magic != REC_FPSIMD_MAGIC || h.size != FPSIMD_SIZE)
		return false;
	learnt.plain = true;
	for (off = FPSIMD_SIZE; RESERVED_SIZE - off >= REC_HEAD_SIZE; off += h.size) {
		unsigned char rec[SVE_HEADER_SIZE];

		memcpy(&h, base + off, sizeof(h));
		if (!h.magic)
			break;
		if (h.magic == REC_EXTRA_MAGIC || h.size < REC_HEAD_SIZE || (h.size & 15) ||
		    h.size > RESERVED_SIZE - off)
			return false;
		if (h.magic != REC_ESR_MAGIC)
			learnt.plain = false;
		if (h.magic == REC_SVE_MAGIC || h.magic == REC_ZA_MAGIC) {
			uint16_t flags;

			memcpy(rec, base + off, sizeof(rec));
			memcpy(&flags, rec + 10, sizeof(flags));
			/* streaming mode, or ZA's data: state a syscall keeps */
			if ((h.magic == REC_SVE_MAGIC && (flags & SVE_FLAG_SM)) ||
			    (h.magic == REC_ZA_MAGIC && h.size > SVE_HEADER_SIZE))
				return false;
			/* the SVE registers beyond the V ones do not survive a syscall */
			h.size = SVE_HEADER_SIZE;
			memcpy(rec + 4, &h.size, sizeof(h.size));
			memset(rec + 12, 0, 4);
			if (out + sizeof(rec) > OTHERS_MAX)
				return false;
			memcpy(learnt.others + out, rec, sizeof(rec));
			out += sizeof(rec);
			memcpy(&h, base + off, sizeof(h));
			continue;
		}
		if (out + h.size > OTHERS_MAX)
			return false;
		memcpy(learnt.others + out, base + off, h.size);
		out += h.size;
	}
	learnt.others_size = (uint32_t)out;
	return true;
}

void arch_fast_frame_learn(const ucontext_t *uc)
{
	learnt.known = false;
	if (!learn_records(uc))
		return;
	learnt.fault_address = uc->uc_mcontext.fault_address;
	learnt.pstate = uc->uc_mcontext.pstate & ~(PSR_NZCV | PSR_BTYPE_MASK);
	learnt.known = true;
}

void arch_fast_forget_frame(void)
{
	learnt.known = false;
}

bool arch_fast_frame_known(void)
{
	return learnt.known;
}

unsigned long arch_fast_frame_at(unsigned long top, unsigned long sp, const stack_t *ss)
{
	/* arm64's get_sigframe() checks for no overflow of the alternate stack */
	(void)sp;
	(void)ss;
	return ((top - 16) & ~15ul) - ARCH_FAST_FRAME_BYTES;
}

/* The records of the frame at @rec: fpsimd_context from the entry's save, the learnt ones, the end. */
static void frame_records(unsigned char *rec, const unsigned char *fe)
{
	const struct rec_head fpsimd = { REC_FPSIMD_MAGIC, FPSIMD_SIZE };

	memcpy(rec, &fpsimd, sizeof(fpsimd));
	memcpy(rec + REC_HEAD_SIZE, fe + FE_FPSR, FPSIMD_SIZE - REC_HEAD_SIZE);
	memcpy(rec + FPSIMD_SIZE, learnt.others, learnt.others_size);
	memset(rec + FPSIMD_SIZE + learnt.others_size, 0, REC_HEAD_SIZE);
}

void arch_fast_frame_fill(ucontext_t *uc, const unsigned char *fe)
{
	unsigned long frame = (unsigned long)uc - 128;

	/* the frame record {fp, lr} of the interrupted code, right above the frame */
	memcpy((void *)(frame + ARCH_FAST_FRAME_BYTES), fe + FE_X(29), 16);
	uc->uc_flags = 0;
	memcpy(uc->uc_mcontext.regs, fe, 31 * 8);
	uc->uc_mcontext.sp = fe_word(fe, FE_SP);
	uc->uc_mcontext.pc = fe_word(fe, FE_PC);
	uc->uc_mcontext.pstate = learnt.pstate | (fe_word(fe, FE_NZCV) & PSR_NZCV);
	uc->uc_mcontext.fault_address = learnt.fault_address;
	frame_records(uc->uc_mcontext.__reserved, fe);
}

/*
 * The kernel's rt_sigreturn restores the registers, pstate and the
 * fpsimd_context; its other records, SVE's, SME's and newer ones,
 * restore state the user-space return leaves alone, and so do pstate's
 * bits besides NZCV (an entry frame's BTYPE apart, which a direct branch
 * into the handler does without: only an indirect one is checked).
 */
bool arch_fast_frame_plain(const ucontext_t *uc, bool entry)
{
	const unsigned char *rec = uc->uc_mcontext.__reserved;
	uint32_t others = entry ? 0 : learnt.others_size;
	unsigned long ignored = PSR_NZCV | (entry ? PSR_BTYPE_MASK : 0);
	struct rec_head h, end;

	if (!learnt.known || !learnt.plain || (uc->uc_mcontext.pstate & ~ignored) != learnt.pstate)
		return false;
	memcpy(&h, rec, sizeof(h));
	memcpy(&end, rec + FPSIMD_SIZE + others, sizeof(end));
	return h.magic == REC_FPSIMD_MAGIC && h.size == FPSIMD_SIZE && !end.magic && !end.size &&
	       !memcmp(rec + FPSIMD_SIZE, learnt.others, others);
}

void arch_fast_frame_save(unsigned char *fe, const ucontext_t *uc)
{
	const mcontext_t *m = &uc->uc_mcontext;
	unsigned long nzcv = m->pstate & PSR_NZCV;

	memcpy(fe, m->regs, 31 * 8);
	memcpy(fe + FE_SP, &m->sp, 8);
	memcpy(fe + FE_PC, &m->pc, 8);
	memcpy(fe + FE_NZCV, &nzcv, 8);
	memcpy(fe + FE_FPSR, m->__reserved + REC_HEAD_SIZE, FPSIMD_SIZE - REC_HEAD_SIZE);
}

/* The FP/SIMD registers as the entry saved them, into @uc's fpsimd_context. */
static void adopt_fpsimd(ucontext_t *uc, const unsigned char *fe)
{
	unsigned char *rec = uc->uc_mcontext.__reserved;
	struct rec_head h;

	memcpy(&h, rec, sizeof(h));
	if (h.magic == REC_FPSIMD_MAGIC && h.size == FPSIMD_SIZE)
		memcpy(rec + REC_HEAD_SIZE, fe + FE_FPSR, FPSIMD_SIZE - REC_HEAD_SIZE);
}

void arch_fast_frame_adopt(ucontext_t *uc, const unsigned char *fe, bool gprs_only)
{
	mcontext_t *m = &uc->uc_mcontext;

	memcpy(m->regs, fe, 31 * 8);
	if (gprs_only)
		return;
	m->sp = fe_word(fe, FE_SP);
	m->pstate = (m->pstate & ~PSR_NZCV) | (fe_word(fe, FE_NZCV) & PSR_NZCV);
	adopt_fpsimd(uc, fe);
}

void arch_fast_frame_adopt_saved(ucontext_t *uc, const unsigned long saved[2])
{
	uc->uc_mcontext.regs[16] = saved[0];
	uc->uc_mcontext.regs[17] = saved[1];
}
