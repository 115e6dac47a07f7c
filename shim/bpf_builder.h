/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A classic-BPF emitter with forward labels, for the hand-written part of the filter. */
#ifndef SUDCOMPAT_BPF_BUILDER_H
#define SUDCOMPAT_BPF_BUILDER_H

#include <linux/filter.h>
#include <stdbool.h>

#define BPFB_MAX_INSNS	256
#define BPFB_MAX_LABELS	16	/* filter.c: 3, and one per ABI from 8 */
#define BPFB_NEXT	(-1)	/* "fall through" as a jump target */
#define BPFB_AT(i)	(-100 - (int)(i))	/* instruction @i of the program as a jump target */

struct bpfb {
	struct sock_filter insn[BPFB_MAX_INSNS];
	int jt_label[BPFB_MAX_INSNS], jf_label[BPFB_MAX_INSNS];
	int label_at[BPFB_MAX_LABELS];
	unsigned int n;
	bool overflow;
};

void bpfb_init(struct bpfb *b);
/*
 * A builder in memory of its own, not the application's allocator: arming
 * may run in a signal handler or a fork child, and the SIGSYS handler on a
 * small stack. 0 and *@b, or a negative errno; bpfb_unmap() gives it back.
 */
long bpfb_map(struct bpfb **b);
void bpfb_unmap(struct bpfb *b);
void bpfb_stmt(struct bpfb *b, unsigned short code, unsigned int k);
/* A conditional jump (BPF_JMP|op|BPF_K) to labels, or BPFB_NEXT. */
void bpfb_jump(struct bpfb *b, unsigned short op, unsigned int k, int jt, int jf);
void bpfb_label(struct bpfb *b, int label);
/* Jump if the 64-bit field at @off of struct seccomp_data lies in [lo, hi). */
void bpfb_range64(struct bpfb *b, unsigned int off, unsigned long lo, unsigned long hi,
		  int in, int out);
/* Resolve labels; returns the number of instructions, or -1 on overflow or a bad jump. */
int bpfb_finish(struct bpfb *b);

#endif
