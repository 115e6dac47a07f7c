// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The x86-64 instruction-length decoder (shim/arch/x86_64/insn_len.c): hand-
 * picked encodings of known length and invalid ones, then a linear sweep of
 * every FDE of the loaded libc (each must end exactly on its FDE's end), and
 * where objdump is installed, the instruction boundaries of a stretch of
 * libc compared with objdump -d's. Elsewhere than on x86-64 it reports itself
 * skipped.
 */
#include "tap.h"

#if !defined(__x86_64__)
int main(void)
{
	tap_plan(1);
	tap_skip("x86-64 only: the decoder is shim/arch/x86_64's", "x86-64 instruction lengths");
	tap_done();
	/* automake's TAP driver makes the SKIP line the result; tap_done()'s 77 would be an ERROR to it */
	return 0;
}
#else

#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eh_frame.h"
#include "insn_len.h"

struct encoding {
	const char *what;
	int len;             /* of the instruction, or -1 */
	int n;               /* bytes given */
	unsigned char b[16];
};

#define D32 0x78, 0x56, 0x34, 0x12
#define I64 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11

#define OK(what, ...) { what, sizeof((unsigned char[]){ __VA_ARGS__ }), \
			sizeof((unsigned char[]){ __VA_ARGS__ }), { __VA_ARGS__ } }
#define NO(what, ...) { what, -1, sizeof((unsigned char[]){ __VA_ARGS__ }), { __VA_ARGS__ } }

static const struct encoding table[] = {
	OK("nop", 0x90), OK("ret", 0xc3), OK("push %rbp", 0x55), OK("push %r15", 0x41, 0x57),
	OK("mov %rsp,%rbp", 0x48, 0x89, 0xe5), OK("xchg %ax,%ax", 0x66, 0x90),
	OK("syscall", 0x0f, 0x05), OK("int $0x80", 0xcd, 0x80), OK("int3", 0xcc), OK("leave", 0xc9),
	OK("ud2", 0x0f, 0x0b), OK("xgetbv", 0x0f, 0x01, 0xd0), OK("mfence", 0x0f, 0xae, 0xf0),
	/* mov $imm: imm32, imm16 with 66, imm64 with REX.W (also over 66) */
	OK("mov $39,%eax", 0xb8, D32), OK("mov $0x1234,%ax", 0x66, 0xb8, 0x34, 0x12),
	OK("movabs $imm64,%rax", 0x48, 0xb8, I64), OK("movabs $imm64,%r11", 0x49, 0xbb, I64),
	OK("REX.W over 66: movabs", 0x66, 0x48, 0xb8, I64),
	OK("mov $simm32,%rax", 0x48, 0xc7, 0xc0, D32),
	OK("movl $imm32,-0x48(%rbp): b8 as disp8", 0xc7, 0x45, 0xb8, D32),
	OK("movw $imm16,-0x48(%rbp)", 0x66, 0xc7, 0x45, 0xb8, 0x34, 0x12),
	OK("movb $1,-0x10(%rbp)", 0xc6, 0x45, 0xf0, 0x01),
	/* ALU immediates */
	OK("add $1,%al", 0x04, 0x01), OK("add $imm32,%eax", 0x05, D32),
	OK("add $imm16,%ax", 0x66, 0x05, 0x34, 0x12), OK("add $imm32,%rax", 0x48, 0x05, D32),
	OK("add $1,%eax (83)", 0x83, 0xc0, 0x01), OK("add $imm32,%eax (81)", 0x81, 0xc0, D32),
	OK("add $imm16,%ax (66 81)", 0x66, 0x81, 0xc0, 0x34, 0x12),
	OK("imul $imm32", 0x69, 0xc0, D32), OK("imul $imm8", 0x6b, 0xc0, 0x05),
	OK("push $imm32", 0x68, D32), OK("pushw $imm16", 0x66, 0x68, 0x34, 0x12),
	OK("push $imm8", 0x6a, 0x01),
	/* moffs: 64-bit, 32-bit with 67, REX.W does not change it */
	OK("movabs 0x...,%al", 0xa0, I64), OK("movabs 0x...,%rax", 0x48, 0xa1, I64),
	OK("addr32 mov 0x...,%al", 0x67, 0xa0, D32), OK("addr32 mov %rax,0x...", 0x67, 0x48, 0xa3, D32),
	OK("enter $16,$1", 0xc8, 0x10, 0x00, 0x01), OK("ret $8", 0xc2, 0x08, 0x00),
	OK("lret $8", 0xca, 0x08, 0x00),
	/* group 3: test has an immediate, neg and the others none */
	OK("test $1,%cl", 0xf6, 0xc1, 0x01), OK("neg %al", 0xf6, 0xd8),
	OK("test $imm32,%ecx", 0xf7, 0xc1, D32), OK("test $imm16,%cx", 0x66, 0xf7, 0xc1, 0x34, 0x12),
	OK("neg %eax", 0xf7, 0xd8), OK("testl $imm32,(%rsp)", 0xf7, 0x04, 0x24, D32),
	/* branches */
	OK("call rel32", 0xe8, D32), OK("jmp rel32", 0xe9, D32), OK("jmp rel8", 0xeb, 0x10),
	OK("je rel8", 0x74, 0x10), OK("je rel32", 0x0f, 0x84, D32), OK("jrcxz", 0xe3, 0x10),
	OK("bnd jmp rel32", 0xf2, 0xe9, D32), OK("ds je rel8 (hint)", 0x3e, 0x74, 0x10),
	OK("notrack jmp *%rax", 0x3e, 0xff, 0xe0), OK("call *%rax", 0xff, 0xd0),
	OK("jmp *table(,%rax,8)", 0xff, 0x24, 0xc5, D32),
	/* addressing */
	OK("SIB without base: mov 0x0,%eax", 0x8b, 0x04, 0x25, D32),
	OK("SIB without base: mov 0(,%rcx,8),%eax", 0x8b, 0x04, 0xcd, D32),
	OK("SIB base rbp, disp8", 0x8b, 0x44, 0x25, 0x08),
	OK("rip-relative mov", 0x48, 0x8b, 0x05, D32), OK("rip-relative lea", 0x48, 0x8d, 0x3d, D32),
	OK("eip-relative (67)", 0x67, 0x8b, 0x05, D32),
	OK("disp8", 0x8b, 0x45, 0xf8), OK("disp32", 0x8b, 0x85, D32),
	OK("SIB disp8", 0x8b, 0x44, 0x24, 0x08), OK("SIB disp32", 0x8b, 0x84, 0x24, D32),
	OK("register-only mov %cr0,%rax", 0x0f, 0x20, 0xc0),
	OK("mov %rax,%cr0 whatever mod says", 0x0f, 0x22, 0x05),
	/* prefixes */
	OK("lock cmpxchg %rcx,(%rsi)", 0xf0, 0x48, 0x0f, 0xb1, 0x0e), OK("rep stos", 0xf3, 0x48, 0xab),
	OK("movsd %xmm1,%xmm0", 0xf2, 0x0f, 0x10, 0xc1),
	OK("mov %fs:0x28,%rax", 0x64, 0x48, 0x8b, 0x04, 0x25, 0x28, 0, 0, 0),
	OK("mov %gs:0x0,%rax", 0x65, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0),
	OK("ss nop", 0x36, 0x90), OK("es nop", 0x26, 0x90), OK("cs nop", 0x2e, 0x90),
	OK("endbr64", 0xf3, 0x0f, 0x1e, 0xfa), OK("repz ret", 0xf3, 0xc3),
	/* nops */
	OK("nopl (%rax)", 0x0f, 0x1f, 0x00), OK("nopl 0(%rax)", 0x0f, 0x1f, 0x40, 0x00),
	OK("nopl 0(%rax,%rax)", 0x0f, 0x1f, 0x44, 0x00, 0x00),
	OK("nopw 0(%rax,%rax)", 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00),
	OK("nopl disp32(%rax)", 0x0f, 0x1f, 0x80, 0, 0, 0, 0),
	OK("nopl disp32(%rax,%rax)", 0x0f, 0x1f, 0x84, 0x00, 0, 0, 0, 0),
	OK("nopw disp32(%rax,%rax)", 0x66, 0x0f, 0x1f, 0x84, 0x00, 0, 0, 0, 0),
	OK("cs nopw disp32(%rax,%rax)", 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0, 0, 0, 0),
	OK("data16 cs nopw: 15 bytes", 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84,
	   0x00, 0, 0, 0, 0),
	/* 0f, 0f 38, 0f 3a */
	OK("pshufd $imm8", 0x66, 0x0f, 0x70, 0xc1, 0x1b), OK("bt $5,%eax", 0x0f, 0xba, 0xe0, 0x05),
	OK("shld $4", 0x0f, 0xa4, 0xc1, 0x04), OK("cmpps $0", 0x0f, 0xc2, 0xc1, 0x00),
	OK("pinsrw $2", 0x66, 0x0f, 0xc4, 0xc1, 0x02), OK("imul %ecx,%eax", 0x0f, 0xaf, 0xc1),
	OK("movzbl", 0x0f, 0xb6, 0xc0), OK("movslq", 0x48, 0x63, 0xc7),
	OK("popcnt", 0xf3, 0x48, 0x0f, 0xb8, 0xc0), OK("prefetcht0", 0x0f, 0x18, 0x08),
	OK("prefetchw", 0x0f, 0x0d, 0x08), OK("cmove", 0x0f, 0x44, 0xc1),
	OK("pshufb (0f 38)", 0x66, 0x0f, 0x38, 0x00, 0xc1), OK("movbe (0f 38)", 0x0f, 0x38, 0xf0, 0x06),
	OK("crc32 (f2 0f 38)", 0xf2, 0x0f, 0x38, 0xf1, 0xc1),
	OK("palignr $8 (0f 3a)", 0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x08),
	OK("pextrq $1 (66 REX.W 0f 3a)", 0x66, 0x48, 0x0f, 0x3a, 0x16, 0xc0, 0x01),
	OK("extrq $imm8,$imm8 (SSE4a)", 0x66, 0x0f, 0x78, 0xc0, 0x01, 0x02),
	/* x87, groups */
	OK("fldz", 0xd9, 0xee), OK("fldl (%rsp)", 0xdd, 0x04, 0x24), OK("pop %rax (8f /0)", 0x8f, 0xc0),
	OK("shl $4,%eax", 0xc1, 0xe0, 0x04), OK("shl %eax", 0xd1, 0xe0),
	OK("xbegin rel32", 0xc7, 0xf8, D32), OK("xabort $1", 0xc6, 0xf8, 0x01),
	/* VEX */
	OK("vzeroupper (VEX2, no ModRM)", 0xc5, 0xf8, 0x77), OK("vmovdqa (VEX2)", 0xc5, 0xf9, 0x6f, 0xc1),
	OK("vmovdqa rip-relative (VEX2)", 0xc5, 0xfd, 0x6f, 0x05, D32),
	OK("vpshufd $imm8 (VEX2)", 0xc5, 0xf9, 0x70, 0xc1, 0x1b),
	OK("vmovss 8(%rsp) (VEX2)", 0xc5, 0xfa, 0x10, 0x44, 0x24, 0x08),
	OK("vpshufb (VEX3 map 2)", 0xc4, 0xe2, 0x79, 0x00, 0xc1),
	OK("vpalignr $8 (VEX3 map 3)", 0xc4, 0xe3, 0x79, 0x0f, 0xc1, 0x08),
	OK("vpextrq $1 (VEX3 W1)", 0xc4, 0xe3, 0xf9, 0x16, 0xc0, 0x01),
	OK("vmovdqa (VEX3 map 1)", 0xc4, 0xe1, 0xfd, 0x6f, 0xc1),
	OK("vbroadcastss rip-relative (VEX3)", 0xc4, 0xe2, 0x7d, 0x18, 0x05, D32),
	/* EVEX */
	OK("vmovups %zmm1,%zmm0 (EVEX)", 0x62, 0xf1, 0x7c, 0x48, 0x10, 0xc1),
	OK("vmovups disp8*N (EVEX)", 0x62, 0xf1, 0x7c, 0x48, 0x10, 0x44, 0x24, 0x01),
	OK("vmovdqu64 rip-relative (EVEX)", 0x62, 0xf1, 0xfe, 0x48, 0x6f, 0x05, D32),
	OK("vpshufb (EVEX map 2)", 0x62, 0xf2, 0x7d, 0x48, 0x00, 0xc1),
	OK("vpalignr $8 (EVEX map 3)", 0x62, 0xf3, 0x7d, 0x48, 0x0f, 0xc1, 0x08),
	OK("vpsrad $5 (EVEX map 1 imm8)", 0x62, 0xf1, 0x7d, 0x48, 0x72, 0xe0, 0x05),
	/* invalid in 64-bit mode, or not decoded */
	NO("push %es", 0x06), NO("pop %es", 0x07), NO("push %cs", 0x0e), NO("push %ss", 0x16),
	NO("pop %ss", 0x17), NO("push %ds", 0x1e), NO("pop %ds", 0x1f), NO("daa", 0x27),
	NO("das", 0x2f), NO("aaa", 0x37), NO("aas", 0x3f), NO("pusha", 0x60), NO("popa", 0x61),
	NO("82 (80 alias)", 0x82, 0xc0, 0x01), NO("lcall ptr16:32", 0x9a, 1, 2, 3, 4, 5, 6),
	NO("into", 0xce), NO("aam", 0xd4, 0x0a), NO("aad", 0xd5, 0x0a), NO("salc", 0xd6),
	NO("ljmp ptr16:32", 0xea, 1, 2, 3, 4, 5, 6), NO("3DNow! (0f 0f)", 0x0f, 0x0f, 0xc1, 0xbf),
	NO("XOP (8f, reg != 0)", 0x8f, 0xe8, 0x78, 0xc2, 0xc1, 0x01),
	NO("0f 04", 0x0f, 0x04), NO("jmpe (0f b8 without f3)", 0x0f, 0xb8, 0xc0),
	NO("VEX3 map 0", 0xc4, 0xe0, 0x79, 0x00, 0xc1), NO("VEX3 map 7", 0xc4, 0xe7, 0x7b, 0xf8, 0xc0, D32),
	NO("66 before VEX", 0x66, 0xc5, 0xf8, 0x77), NO("REX before VEX", 0x48, 0xc5, 0xf8, 0x77),
	NO("EVEX map 4 (APX)", 0x62, 0xf4, 0x7c, 0x48, 0x10, 0xc1),
	NO("fe /2", 0xfe, 0xd0), NO("ff /7", 0xff, 0xf8), NO("c6 /1", 0xc6, 0xc8, 0x01),
	NO("data16 call rel (vendor-dependent)", 0x66, 0xe8, 0x34, 0x12, 0, 0),
	NO("data16 je rel (vendor-dependent)", 0x66, 0x0f, 0x84, 0x34, 0x12, 0, 0),
	NO("prefixes only", 0xf0, 0x66),
	NO("REX before a legacy prefix (ignored by the CPU, an instruction to objdump)", 0x48, 0x66,
	   0xb8, 0x34, 0x12),
	NO("16 bytes: one prefix too many", 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x2e, 0x0f,
	   0x1f, 0x84, 0x00, 0, 0, 0, 0),
};

/* Each encoding with its bytes, with one byte fewer, and with room to spare. */
static void check_table(void)
{
	int wrong = 0, valid = 0;

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct encoding *e = &table[i];
		unsigned char room[32];
		int exact = sud_x86_insn_len(e->b, e->n), shy, spare;

		memset(room, 0x90, sizeof(room));
		memcpy(room, e->b, e->n);
		shy = e->n ? sud_x86_insn_len(e->b, e->n - 1) : -1;
		spare = sud_x86_insn_len(room, sizeof(room));
		if (exact != e->len || shy != -1 || (e->len > 0 && spare != e->len)) {
			tap_diag("%s: %d with %d bytes, %d with one fewer, %d with room (want %d)",
				 e->what, exact, e->n, shy, spare, e->len);
			wrong++;
		}
		valid += e->len > 0;
	}
	tap_ok(!wrong, "%zu hand-picked encodings (%d valid, %zu invalid): each its length, -1 "
	       "truncated", sizeof(table) / sizeof(table[0]), valid,
	       sizeof(table) / sizeof(table[0]) - valid);
	tap_ok(sud_x86_insn_len(table[0].b, 0) == -1, "no bytes: -1");
}

static void check_boundary(void)
{
	/* mov %eax,... whose disp8 is b8, then mov $39,%eax; syscall */
	static const unsigned char func[] = { 0xc7, 0x45, 0xb8, D32, 0xb8, 0x27, 0, 0, 0, 0x0f, 0x05,
					      0xc3 };

	tap_ok(sud_x86_insn_boundary(func, sizeof(func), 0) &&
	       sud_x86_insn_boundary(func, sizeof(func), 7) &&
	       sud_x86_insn_boundary(func, sizeof(func), 12) &&
	       sud_x86_insn_boundary(func, sizeof(func), 14) &&
	       sud_x86_insn_boundary(func, sizeof(func), sizeof(func)),
	       "sud_x86_insn_boundary: the instruction starts 0, 7, 12, 14 and the end");
	tap_ok(!sud_x86_insn_boundary(func, sizeof(func), 2) &&
	       !sud_x86_insn_boundary(func, sizeof(func), 8) &&
	       !sud_x86_insn_boundary(func, sizeof(func), sizeof(func) + 1) &&
	       !sud_x86_insn_boundary(func, 10, 12),
	       "not the b8 disp8 at 2, not inside an instruction, not past the end, not across it");
}

/* --- libc --- */

struct object {
	unsigned long addr, bias, eh_frame_hdr;
	char path[512];
};

static int object_around(struct dl_phdr_info *info, size_t size, void *data)
{
	struct object *o = data;
	bool inside = false;

	(void)size;
	o->eh_frame_hdr = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD && o->addr - (info->dlpi_addr + ph->p_vaddr) < ph->p_memsz)
			inside = true;
		if (ph->p_type == PT_GNU_EH_FRAME)
			o->eh_frame_hdr = info->dlpi_addr + ph->p_vaddr;
	}
	if (!inside)
		return 0;
	o->bias = info->dlpi_addr;
	snprintf(o->path, sizeof(o->path), "%s",
		 info->dlpi_name && *info->dlpi_name ? info->dlpi_name : "/proc/self/exe");
	return 1;
}

struct fde {
	unsigned long start, end;
};

/* Every FDE of the object, from its table (as ld writes it: pcrel eh_frame_ptr, udata4 count, datarel sdata4). */
static struct fde *read_fdes(const struct object *o, unsigned long *count)
{
	const unsigned char *h = (const unsigned char *)o->eh_frame_hdr;
	struct fde *fdes;
	uint32_t n;

	if (h[0] != 1 || h[1] != 0x1b || h[2] != 0x03 || h[3] != 0x3b)
		return NULL;
	memcpy(&n, h + 8, 4);
	fdes = calloc(n ? n : 1, sizeof(*fdes));
	for (uint32_t i = 0; fdes && i < n; i++) {
		int32_t initial;
		int err;

		memcpy(&initial, h + 12 + 8 * i, 4);
		err = sud_fde_bounds(o->eh_frame_hdr, o->eh_frame_hdr + initial, &fdes[i].start,
				     &fdes[i].end);
		if (err || fdes[i].start != o->eh_frame_hdr + initial) {
			tap_diag("FDE %u at %#lx: sud_fde_bounds %d", i,
				 o->eh_frame_hdr + initial - o->bias, err);
			fdes[i].start = fdes[i].end = 0;
		}
	}
	*count = n;
	return fdes;
}

/* Instructions from @f's start to its end; -1 when the sweep does not land on the end. */
static long sweep(const struct fde *f, unsigned long *stuck)
{
	const unsigned char *p = (const unsigned char *)f->start;
	unsigned long len = f->end - f->start, at = 0;
	long n = 0;

	while (at < len) {
		int l = sud_x86_insn_len(p + at, len - at);

		if (l < 0) {
			*stuck = at;
			return -1;
		}
		at += l;
		n++;
	}
	return n;
}

static void check_libc_sweep(const struct object *o, const struct fde *fdes, unsigned long count)
{
	unsigned long fdes_ok = 0, insns = 0, failed = 0, unread = 0;

	for (unsigned long i = 0; i < count; i++) {
		unsigned long stuck = 0;
		long n;

		if (!fdes[i].end) {
			unread++;
			continue;
		}
		n = sweep(&fdes[i], &stuck);
		if (n < 0 || !sud_x86_insn_boundary((const unsigned char *)fdes[i].start,
						    fdes[i].end - fdes[i].start,
						    fdes[i].end - fdes[i].start)) {
			const unsigned char *b = (const unsigned char *)fdes[i].start + stuck;

			if (failed++ < 10)
				tap_diag("FDE [%#lx, %#lx): stuck at +%#lx: %02x %02x %02x %02x %02x %02x",
					 fdes[i].start - o->bias, fdes[i].end - o->bias, stuck, b[0],
					 b[1], b[2], b[3], b[4], b[5]);
			continue;
		}
		fdes_ok++;
		insns += n;
	}
	tap_diag("%s: %lu FDEs, %lu swept to their end, %lu instructions", o->path, count, fdes_ok,
		 insns);
	tap_ok(count > 100 && !failed && !unread,
	       "every FDE of %s decodes linearly onto its end (%lu FDEs, %lu instructions; %lu "
	       "failed, %lu unread)", o->path, count, insns, failed, unread);
}

static int by_start(const void *a, const void *b)
{
	const struct fde *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* objdump -d's instruction starts in [lo, hi) of @o (run-time addresses), in a bitmap. */
static bool objdump_starts(const struct object *o, unsigned long lo, unsigned long hi,
			   unsigned char *bits, unsigned long *bad)
{
	char cmd[1024], line[512];
	FILE *f;
	unsigned long lines = 0;

	snprintf(cmd, sizeof(cmd),
		 "objdump -d --no-show-raw-insn --start-address=%#lx --stop-address=%#lx '%s' 2>/dev/null",
		 lo - o->bias, hi - o->bias, o->path);
	f = popen(cmd, "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char *colon, *end;
		unsigned long va = strtoul(line, &end, 16);

		colon = strchr(line, ':');
		if (end == line || !colon || end != colon || colon[1] != '\t')
			continue;
		va += o->bias;
		if (va < lo || va >= hi)
			continue;
		bits[(va - lo) / 8] |= 1 << ((va - lo) % 8);
		lines++;
		if (strstr(colon, "(bad)"))
			(*bad)++;
	}
	return pclose(f) == 0 && lines;
}

static void check_against_objdump(const struct object *o, struct fde *fdes, unsigned long count)
{
	unsigned long first, last, lo, hi, insns = 0, checked = 0, bad = 0, mismatches = 0;
	unsigned char *bits;

	if (system("command -v objdump >/dev/null 2>&1") != 0) {
		tap_skip("no objdump on PATH", "instruction boundaries as objdump -d's");
		return;
	}
	qsort(fdes, count, sizeof(*fdes), by_start);
	/* from the middle of the object, FDEs until some thousands of instructions */
	first = count / 2;
	while (first < count && !fdes[first].end)
		first++;
	for (last = first; last < count && insns < 5000; last++) {
		unsigned long stuck;
		long n = fdes[last].end ? sweep(&fdes[last], &stuck) : 0;

		insns += n > 0 ? n : 0;
	}
	if (first >= count || last == first) {
		tap_ok(false, "instruction boundaries as objdump -d's: no FDEs to compare");
		return;
	}
	lo = fdes[first].start;
	hi = fdes[last - 1].end;
	bits = calloc((hi - lo) / 8 + 1, 1);
	if (!bits || !objdump_starts(o, lo, hi, bits, &bad)) {
		tap_ok(false, "objdump -d of %s [%#lx, %#lx) ran", o->path, lo - o->bias, hi - o->bias);
		free(bits);
		return;
	}
	insns = 0;
	for (unsigned long i = first; i < last; i++) {
		const unsigned char *p = (const unsigned char *)fdes[i].start;
		unsigned long len = fdes[i].end - fdes[i].start, at = 0, theirs = 0, ours = 0;

		if (!fdes[i].end || fdes[i].start < lo || fdes[i].end > hi)
			continue;
		for (unsigned long a = fdes[i].start; a < fdes[i].end; a++)
			theirs += (bits[(a - lo) / 8] >> ((a - lo) % 8)) & 1;
		while (at < len) {
			unsigned long va = fdes[i].start + at;
			int l = sud_x86_insn_len(p + at, len - at);

			if (l < 0 || !((bits[(va - lo) / 8] >> ((va - lo) % 8)) & 1))
				break;
			at += l;
			ours++;
		}
		if (at != len || ours != theirs) {
			if (mismatches++ < 10)
				tap_diag("FDE [%#lx, %#lx): %lu instructions, objdump %lu, apart at +%#lx",
					 fdes[i].start - o->bias, fdes[i].end - o->bias, ours, theirs,
					 at);
		}
		checked++;
		insns += ours;
	}
	free(bits);
	tap_diag("objdump -d comparison: %lu FDEs, %lu instructions of %s [%#lx, %#lx), "
		 "%lu (bad) in objdump's output", checked, insns, o->path, lo - o->bias,
		 hi - o->bias, bad);
	tap_ok(checked && !mismatches && insns >= 1000,
	       "instruction boundaries as objdump -d's: %lu instructions in %lu FDEs (%lu apart)",
	       insns, checked, mismatches);
}

int main(void)
{
	struct object o = { .addr = (unsigned long)getpid };
	struct fde *fdes;
	unsigned long count = 0;

	tap_plan(6);
	check_table();
	check_boundary();
	if (dl_iterate_phdr(object_around, &o) != 1 || !o.eh_frame_hdr ||
	    !(fdes = read_fdes(&o, &count))) {
		tap_ok(false, "libc's .eh_frame_hdr, as ld writes it");
		tap_skip("no FDE table", "instruction boundaries as objdump -d's");
		return tap_done();
	}
	check_libc_sweep(&o, fdes, count);
	check_against_objdump(&o, fdes, count);
	free(fdes);
	return tap_done();
}
#endif
