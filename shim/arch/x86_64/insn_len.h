/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The length of x86-64 instructions, 64-bit mode (shim/arch/x86_64/insn_len.c):
 * enough to sweep a function from its start and know which bytes begin an
 * instruction. Reads only [p, p + avail); no allocation, no locks.
 * x86-64 files only.
 */
#ifndef SUDCOMPAT_X86_64_INSN_LEN_H
#define SUDCOMPAT_X86_64_INSN_LEN_H

#include <stdbool.h>

/*
 * The length (1..15) of the instruction at @p, or -1: an encoding this
 * decoder does not know, one invalid in 64-bit mode, or one longer than
 * @avail bytes.
 */
int sud_x86_insn_len(const unsigned char *p, unsigned long avail);

/*
 * Whether an instruction begins at @offset of the function at @func:
 * decoding one instruction after another from func[0] reaches @offset
 * exactly, each known and none crossing @func_len.
 */
bool sud_x86_insn_boundary(const unsigned char *func, unsigned long func_len,
			   unsigned long offset);

#endif
