// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * x86-64 instruction lengths, 64-bit mode. Only the length: prefixes, the
 * opcode's map, whether a ModRM follows (and with it SIB and displacement),
 * and the size of the immediate. What the instruction does is not decoded.
 *
 * The caller proves from this that a byte starts an instruction before it
 * rewrites code, so a doubt is -1, never a guess: encodings that are invalid
 * in 64-bit mode, AMD-only maps (3DNow!, XOP), APX, a REX that a legacy
 * prefix follows, and operand-size prefixed near branches (rel16 on AMD,
 * rel32 on Intel).
 */
#include <stddef.h>
#include <stdint.h>

#include "insn_len.h"

#define MAX_INSN_BYTES 15

/* What follows an opcode byte. */
#define MODRM 0x01   /* a ModRM (then SIB and displacement as it says) */
#define IMM8 0x02
#define IMM16 0x04
#define IMMZ 0x08    /* imm16 with 66 (and no REX.W), else imm32 */
#define REL32 0x10   /* a near branch's rel32; with 66 its size depends on the vendor */
#define SPECIAL 0x20 /* decided by the opcode's own case below */
#define BAD 0x40     /* invalid in 64-bit mode, or not decoded here */

/* Every 8 opcodes of 00-3f: the ALU operation on r/m, then on al/eax with an immediate. */
#define ALU(base) [base ... base + 3] = MODRM, [base + 4] = IMM8, [base + 5] = IMMZ

static const uint8_t one_byte_map[256] = {
	ALU(0x00), ALU(0x08), ALU(0x10), ALU(0x18), ALU(0x20), ALU(0x28), ALU(0x30), ALU(0x38),
	/* push/pop of segment registers, BCD adjustments: gone in 64-bit mode */
	[0x06] = BAD, [0x07] = BAD, [0x0e] = BAD, [0x16] = BAD, [0x17] = BAD,
	[0x1e] = BAD, [0x1f] = BAD, [0x27] = BAD, [0x2f] = BAD, [0x37] = BAD, [0x3f] = BAD,
	/* 0f, 26 2e 36 3e, 40-4f, 64-67: escapes and prefixes, handled before this table */
	[0x60] = BAD, [0x61] = BAD, [0x62] = SPECIAL, [0x63] = MODRM,
	[0x68] = IMMZ, [0x69] = MODRM | IMMZ, [0x6a] = IMM8, [0x6b] = MODRM | IMM8,
	[0x70 ... 0x7f] = IMM8,
	[0x80] = MODRM | IMM8, [0x81] = MODRM | IMMZ, [0x82] = BAD, [0x83] = MODRM | IMM8,
	[0x84 ... 0x8e] = MODRM, [0x8f] = MODRM | SPECIAL,
	[0x9a] = BAD,
	[0xa0 ... 0xa3] = SPECIAL, [0xa8] = IMM8, [0xa9] = IMMZ,
	[0xb0 ... 0xb7] = IMM8, [0xb8 ... 0xbf] = SPECIAL,
	[0xc0] = MODRM | IMM8, [0xc1] = MODRM | IMM8, [0xc2] = IMM16,
	[0xc4] = SPECIAL, [0xc5] = SPECIAL, [0xc6] = MODRM | SPECIAL, [0xc7] = MODRM | SPECIAL,
	[0xc8] = IMM16 | IMM8, [0xca] = IMM16, [0xcd] = IMM8, [0xce] = BAD,
	[0xd0 ... 0xd3] = MODRM, [0xd4 ... 0xd6] = BAD, [0xd8 ... 0xdf] = MODRM,
	[0xe0 ... 0xe7] = IMM8, [0xe8] = REL32, [0xe9] = REL32, [0xea] = BAD, [0xeb] = IMM8,
	[0xf6] = MODRM | SPECIAL, [0xf7] = MODRM | SPECIAL, [0xfe] = MODRM | SPECIAL,
	[0xff] = MODRM | SPECIAL,
};

/* 0f xx; 0f 38 and 0f 3a are their own maps. */
static const uint8_t two_byte_map[256] = {
	[0x00 ... 0x03] = MODRM, [0x04] = BAD, [0x0a] = BAD, [0x0c] = BAD, [0x0d] = MODRM,
	[0x0f] = BAD, /* 3DNow! */
	[0x10 ... 0x1f] = MODRM,
	[0x20 ... 0x23] = MODRM, [0x24 ... 0x27] = BAD, [0x28 ... 0x2f] = MODRM,
	[0x36] = BAD, [0x39] = BAD, [0x3b ... 0x3f] = BAD,
	[0x40 ... 0x6f] = MODRM, [0x70 ... 0x73] = MODRM | IMM8, [0x74 ... 0x76] = MODRM,
	[0x78] = MODRM | SPECIAL, [0x79] = MODRM, [0x7a] = BAD, [0x7b] = BAD, [0x7c ... 0x7f] = MODRM,
	[0x80 ... 0x8f] = REL32,
	[0x90 ... 0x9f] = MODRM,
	[0xa3] = MODRM, [0xa4] = MODRM | IMM8, [0xa5] = MODRM, [0xa6] = BAD, [0xa7] = BAD,
	[0xab] = MODRM, [0xac] = MODRM | IMM8, [0xad ... 0xaf] = MODRM,
	[0xb0 ... 0xb7] = MODRM, [0xb8] = MODRM | SPECIAL, [0xb9] = MODRM,
	[0xba] = MODRM | IMM8, [0xbb ... 0xbf] = MODRM,
	[0xc0 ... 0xc1] = MODRM, [0xc2] = MODRM | IMM8, [0xc3] = MODRM,
	[0xc4 ... 0xc6] = MODRM | IMM8, [0xc7] = MODRM,
	[0xd0 ... 0xff] = MODRM,
};

struct prefixes {
	bool opsize;  /* 66 */
	bool adsize;  /* 67 */
	bool rep;     /* f2 or f3: also mandatory prefixes of SSE */
	bool repne;   /* f2 */
	bool repe;    /* f3 */
	bool lock;    /* f0 */
	uint8_t rex;  /* the REX (right before the opcode), 0 without */
};

static bool is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
	case 0x2e: case 0x36: case 0x3e: case 0x26: case 0x64: case 0x65:
		return true;
	}
	return false;
}

/*
 * Bytes of ModRM, SIB and displacement at @p, or -1 past @avail. With 67
 * (32-bit addressing) the encoding is the same: 64-bit mode has no 16-bit
 * addressing, and mod 00 rm 101 is rip- (eip-) relative either way.
 */
static int modrm_len(const unsigned char *p, unsigned long avail)
{
	unsigned int mod, rm;
	int len = 1;

	if (avail < 1)
		return -1;
	mod = p[0] >> 6;
	rm = p[0] & 7;
	if (mod == 3)
		return 1;
	if (rm == 4) {
		if (avail < 2)
			return -1;
		len++;
		/* SIB with no base: disp32 */
		if (mod == 0 && (p[1] & 7) == 5)
			len += 4;
	} else if (mod == 0 && rm == 5) {
		len += 4; /* rip-relative */
	}
	if (mod == 1)
		len += 1;
	else if (mod == 2)
		len += 4;
	return len;
}

static unsigned int immz_bytes(const struct prefixes *pf)
{
	return pf->opsize && !(pf->rex & 0x08) ? 2 : 4;
}

/* VEX and EVEX map 1 (0f): the opcodes that take an imm8. */
static bool vex_map1_has_imm8(uint8_t op)
{
	return (op >= 0x70 && op <= 0x73) || op == 0xc2 || (op >= 0xc4 && op <= 0xc6);
}

/*
 * VEX (c4, c5) and EVEX (62) at @p: *at the offset after the opcode, *flags
 * what follows it. Nothing of the legacy prefixes but segment and 67 may
 * come before them (#UD otherwise).
 */
static bool vex_opcode(const unsigned char *p, unsigned long avail, const struct prefixes *pf,
		       unsigned long *at, uint8_t *flags)
{
	unsigned int map;
	uint8_t op;

	if (pf->opsize || pf->rep || pf->lock || pf->rex)
		return false;
	switch (p[0]) {
	case 0xc5:
		if (avail < 3)
			return false;
		map = 1;
		*at = 3;
		break;
	case 0xc4:
		if (avail < 4)
			return false;
		map = p[1] & 0x1f;
		*at = 4;
		break;
	default: /* 62 */
		if (avail < 5)
			return false;
		map = p[1] & 0x07;
		*at = 5;
		break;
	}
	op = p[*at - 1];
	switch (map) {
	case 1:
		/* vzeroupper/vzeroall have no ModRM (and no EVEX form) */
		if (op == 0x77)
			*flags = p[0] == 0x62 ? BAD : 0;
		else
			*flags = MODRM | (vex_map1_has_imm8(op) ? IMM8 : 0);
		return !(*flags & BAD);
	case 2:
		*flags = MODRM;
		return true;
	case 3:
		*flags = MODRM | IMM8;
		return true;
	case 5:
	case 6:
		/* EVEX only: AVX512-FP16 */
		*flags = MODRM;
		return p[0] == 0x62;
	default:
		/* VEX map 7 (imm32 forms), EVEX map 4 (APX) and the undefined ones */
		return false;
	}
}

/* The immediate of the one-byte opcodes marked SPECIAL (their ModRM at @modrm); -1 invalid. */
static int one_byte_special_imm(uint8_t op, const struct prefixes *pf, const unsigned char *modrm)
{
	unsigned int reg = modrm ? (*modrm >> 3) & 7 : 0;

	switch (op) {
	case 0xa0 ... 0xa3: /* mov with moffs: a 64-bit address, 32-bit with 67 */
		return pf->adsize ? 4 : 8;
	case 0xb8 ... 0xbf: /* mov $imm,%reg: the only imm64, with REX.W */
		return pf->rex & 0x08 ? 8 : (int)immz_bytes(pf);
	case 0x8f: /* pop r/m is /0; the others are XOP (AMD) */
		return reg == 0 ? 0 : -1;
	case 0xc6: /* mov $imm8,r/m /0; xabort c6 f8 ib */
		return reg == 0 || *modrm == 0xf8 ? 1 : -1;
	case 0xc7: /* mov $immz,r/m /0; xbegin c7 f8 relz */
		return reg == 0 || *modrm == 0xf8 ? (int)immz_bytes(pf) : -1;
	case 0xf6: /* group 3: test (/0, and its alias /1) has an immediate */
		return reg <= 1 ? 1 : 0;
	case 0xf7:
		return reg <= 1 ? (int)immz_bytes(pf) : 0;
	case 0xfe: /* group 4: inc, dec */
		return reg <= 1 ? 0 : -1;
	case 0xff: /* group 5: /7 is undefined */
		return reg != 7 ? 0 : -1;
	}
	return -1;
}

int sud_x86_insn_len(const unsigned char *p, unsigned long avail)
{
	struct prefixes pf = { 0 };
	unsigned long at = 0;
	uint8_t op, flags;
	int modrm = 0, imm = 0;
	bool register_only = false;
	unsigned long len;

	if (avail > MAX_INSN_BYTES)
		avail = MAX_INSN_BYTES;
	for (;; at++) {
		if (at >= avail)
			return -1;
		op = p[at];
		if (is_legacy_prefix(op)) {
			/*
			 * The CPU ignores a REX that a legacy prefix follows; objdump
			 * shows it as an instruction of its own. No compiler emits it.
			 */
			if (pf.rex)
				return -1;
			pf.opsize |= op == 0x66;
			pf.adsize |= op == 0x67;
			pf.lock |= op == 0xf0;
			pf.repne |= op == 0xf2;
			pf.repe |= op == 0xf3;
			pf.rep = pf.repne || pf.repe;
		} else if ((op & 0xf0) == 0x40) {
			pf.rex = op;
		} else {
			break;
		}
	}

	if (op == 0xc4 || op == 0xc5 || op == 0x62) {
		unsigned long after;

		if (!vex_opcode(p + at, avail - at, &pf, &after, &flags))
			return -1;
		at += after;
	} else if (op == 0x0f) {
		if (++at >= avail)
			return -1;
		op = p[at++];
		if (op == 0x38) {
			if (at++ >= avail)
				return -1;
			flags = MODRM;
		} else if (op == 0x3a) {
			if (at++ >= avail)
				return -1;
			flags = MODRM | IMM8;
		} else {
			flags = two_byte_map[op];
			if (op == 0x78 && (pf.opsize || pf.repne))
				imm = 2; /* SSE4a extrq/insertq: two imm8 */
			else if (op == 0xb8 && !pf.repe)
				flags = BAD; /* popcnt needs f3; plain 0f b8 is IA-64's jmpe */
			flags &= ~SPECIAL;
			/* mov to and from control and debug registers: register forms whatever mod says */
			register_only = op >= 0x20 && op <= 0x23;
		}
	} else {
		at++;
		flags = one_byte_map[op];
	}
	if (flags & BAD)
		return -1;

	if (flags & MODRM) {
		if (at >= avail)
			return -1;
		modrm = register_only ? 1 : modrm_len(p + at, avail - at);
		if (modrm < 0)
			return -1;
	}
	if (flags & SPECIAL) {
		int special = one_byte_special_imm(op, &pf, flags & MODRM ? p + at : NULL);

		if (special < 0)
			return -1;
		imm += special;
	}
	if (flags & IMM8)
		imm += 1;
	if (flags & IMM16)
		imm += 2;
	if (flags & IMMZ)
		imm += immz_bytes(&pf);
	if (flags & REL32) {
		if (pf.opsize)
			return -1;
		imm += 4;
	}
	len = at + modrm + imm;
	return len <= avail ? (int)len : -1;
}

bool sud_x86_insn_boundary(const unsigned char *func, unsigned long func_len,
			   unsigned long offset)
{
	unsigned long at = 0;

	if (offset > func_len)
		return false;
	while (at < offset) {
		int len = sud_x86_insn_len(func + at, func_len - at);

		if (len < 0)
			return false;
		at += len;
	}
	return at == offset;
}
