// SPDX-License-Identifier: LGPL-2.1-or-later
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "bpf_builder.h"
#include "arch-api.h"

long bpfb_map(struct bpfb **b)
{
	long rc = sud_sys6(SYS_mmap, 0, sizeof(**b), PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (sud_is_error(rc))
		return rc;
	*b = (struct bpfb *)rc;
	return 0;
}

void bpfb_unmap(struct bpfb *b)
{
	sud_sys2(SYS_munmap, b, sizeof(*b));
}

void bpfb_init(struct bpfb *b)
{
	memset(b, 0, sizeof(*b));
	for (int i = 0; i < BPFB_MAX_LABELS; i++)
		b->label_at[i] = -1;
}

static void emit(struct bpfb *b, unsigned short code, unsigned int k, int jt, int jf)
{
	if (b->n >= BPFB_MAX_INSNS) {
		b->overflow = true;
		return;
	}
	b->insn[b->n] = (struct sock_filter)BPF_STMT(code, k);
	b->jt_label[b->n] = jt;
	b->jf_label[b->n] = jf;
	b->n++;
}

void bpfb_stmt(struct bpfb *b, unsigned short code, unsigned int k)
{
	emit(b, code, k, BPFB_NEXT, BPFB_NEXT);
}

void bpfb_jump(struct bpfb *b, unsigned short op, unsigned int k, int jt, int jf)
{
	emit(b, BPF_JMP | op | BPF_K, k, jt, jf);
}

void bpfb_label(struct bpfb *b, int label)
{
	if (label < 0 || label >= BPFB_MAX_LABELS)
		b->overflow = true;
	else
		b->label_at[label] = (int)b->n;
}

void bpfb_range64(struct bpfb *b, unsigned int off, unsigned long lo, unsigned long hi,
		  int in, int out)
{
	/* Compare high words first, low words only when the high words are equal. */
	unsigned int lo_hi = (unsigned int)(lo >> 32), lo_lo = (unsigned int)lo;
	unsigned int hi_hi = (unsigned int)(hi >> 32), hi_lo = (unsigned int)hi;
	unsigned int base = b->n;

	/* "next" means after this 10-instruction block, not after each jump */
	if (in == BPFB_NEXT)
		in = BPFB_AT(base + 10);
	if (out == BPFB_NEXT)
		out = BPFB_AT(base + 10);

	/* ip >= lo ? */
	bpfb_stmt(b, BPF_LD | BPF_W | BPF_ABS, off + 4);
	emit(b, BPF_JMP | BPF_JGT | BPF_K, lo_hi, BPFB_AT(base + 5), BPFB_NEXT);
	bpfb_jump(b, BPF_JEQ, lo_hi, BPFB_NEXT, out);
	bpfb_stmt(b, BPF_LD | BPF_W | BPF_ABS, off);
	bpfb_jump(b, BPF_JGE, lo_lo, BPFB_NEXT, out);
	/* ip < hi ? (base + 5) */
	bpfb_stmt(b, BPF_LD | BPF_W | BPF_ABS, off + 4);
	bpfb_jump(b, BPF_JGT, hi_hi, out, BPFB_NEXT);
	bpfb_jump(b, BPF_JEQ, hi_hi, BPFB_NEXT, in);
	bpfb_stmt(b, BPF_LD | BPF_W | BPF_ABS, off);
	bpfb_jump(b, BPF_JGE, hi_lo, out, in);
}

/* Labels <= -100 encode an absolute instruction index (BPFB_AT). */
static int target_of(const struct bpfb *b, int label, unsigned int at)
{
	if (label == BPFB_NEXT)
		return (int)at + 1;
	if (label <= -100)
		return -100 - label;
	if (label >= BPFB_MAX_LABELS)
		return -1;
	return b->label_at[label];
}

int bpfb_finish(struct bpfb *b)
{
	if (b->overflow)
		return -1;
	for (unsigned int i = 0; i < b->n; i++) {
		struct sock_filter *f = &b->insn[i];
		int t = target_of(b, b->jt_label[i], i);

		if (BPF_CLASS(f->code) != BPF_JMP)
			continue;
		if (t <= (int)i)
			return -1;
		if (BPF_OP(f->code) == BPF_JA) {
			f->k = (unsigned int)(t - (int)i - 1);
			continue;
		}
		int e = target_of(b, b->jf_label[i], i);

		if (e <= (int)i || t - (int)i - 1 > 255 || e - (int)i - 1 > 255)
			return -1;
		f->jt = (unsigned char)(t - (int)i - 1);
		f->jf = (unsigned char)(e - (int)i - 1);
	}
	return (int)b->n;
}
