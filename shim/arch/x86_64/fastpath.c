// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * x86-64's fast path (../arch-fastpath.h). The site is the 5-byte
 * `mov $nr, %eax` right before a `syscall`: it becomes `jmp rel32` to the
 * site's stub, and the syscall instruction stays where it was. A restart
 * (the kernel moves rip back onto the syscall) and a thread that sleeps in
 * it while the site changes resume as before, and the stub can always fall
 * back on it. The mov is rewritten only where a decode from the start of
 * its function lands on it: a b8 byte is also a disp8 or an immediate.
 *
 * glibc's read() has no such mov: `cmpb $imm8, disp32(%rip); jcc rel8;
 * xor %eax, %eax; syscall` (its single-threaded test, then the number 0).
 * There the cmpb (7 bytes) becomes the jump, padded with int3, and the
 * stub's guard (at STUB_GUARD) runs the three instructions, relocated,
 * before the rest. The jcc, the xor and the syscall stay where they were,
 * so a thread that was between them when the page changed goes on there.
 *
 * The stub reads the selector without touching the flags or the stack
 * (leaf code keeps data in the red zone; syscall preserves rflags): rcx is
 * the syscall's to clobber, and jrcxz and loop test it.
 *
 *    0  mov %rcx, %fs:stash       what a signal landing here must see
 *    9  mov %fs:selector, %rcx    NULL: not armed through the fast path
 *   18  jrcxz slow
 *   20  movzbl (%rcx), %ecx       the selector byte (ARCH_FAST_STUB_READ)
 *   23  jrcxz fast                0: SYSCALL_DISPATCH_FILTER_ALLOW
 *   25  loop slow                 anything but 1 (BLOCK): the trap path kills
 *   27  lea ret_cell(%rip), %rcx  BLOCK: the user-space dispatch,
 *   34  mov %rcx, %fs:site        which finds the site here
 *   43  mov $nr, %eax
 *   48  jmp *dispatch_cell(%rip)
 *   54  slow: mov $nr, %eax
 *   59  jmp ret-2                 the site's own syscall: the trap path
 *   64  fast: lea ret_cell(%rip), %rcx
 *   71  mov %rcx, %fs:site
 *   80  mov $nr, %eax
 *   85  jmp *slot_cell(%rip)      the slot: its syscall is exempt, it returns to ret;
 *                                 for rt_sigreturn, the emulation's (sud_fast_sigreturn)
 *   96  slot_cell, dispatch_cell, ret_cell, patch_cell
 *  128  guard: cmpb $imm8, target(%rip)   a read() site's three instructions
 *  135  jcc target
 *  141  xor %eax, %eax
 *  143  jmp 0
 */
#include <string.h>
#include <sys/syscall.h>

#include "arch-fastpath.h"
#include "insn_len.h"
#include "usercopy.h"

enum {
	STUB_STASH = 0,
	STUB_LOAD = 9,
	STUB_NO_SELECTOR = 18,
	STUB_READ = 20,
	STUB_ALLOW = 23,
	STUB_NOT_BLOCK = 25,
	STUB_DISPATCH = 27,
	STUB_DISPATCH_SITE = 34,
	STUB_DISPATCH_MOV = 43,
	STUB_DISPATCH_JMP = 48,
	STUB_SLOW = 54,
	STUB_SLOW_JMP = 59,
	STUB_FAST = 64,
	STUB_FAST_SITE = 71,
	STUB_FAST_MOV = 80,
	STUB_FAST_JMP = 85,
	STUB_SLOT_CELL = 96,
	STUB_DISPATCH_CELL = 104,
	STUB_RET_CELL = 112,
	STUB_PATCH_CELL = 120,
	STUB_GUARD = 128,
	STUB_GUARD_JCC = 135,
	STUB_GUARD_XOR = 141,
	STUB_GUARD_BACK = 143,
	STUB_END = 148,
};
_Static_assert(STUB_READ == ARCH_FAST_STUB_READ, "arch.h's ARCH_FAST_STUB_READ");
_Static_assert(STUB_END <= ARCH_FAST_STUB_SIZE, "arch.h's ARCH_FAST_STUB_SIZE");

#define MOV_EAX_IMM32	0xb8		/* mov $imm32, %eax */
#define MOV_RAX_IMM32	"\x48\xc7\xc0"	/* mov $imm32, %rax: glibc's __restore_rt */
#define JMP_LEN		5
#define SYSCALL_LEN	2
/* the guarded read's cmpb, jcc and xor, and the bytes of it that change */
#define GUARD_LEN	11
#define GUARD_CMPB_LEN	7
#define GUARD_JCC_AT	7
#define GUARD_XOR_AT	9

static bool rel32(unsigned long from_next, unsigned long to, int32_t *out)
{
	long d = (long)(to - from_next);

	if (d != (int32_t)d)
		return false;
	*out = (int32_t)d;
	return true;
}

static void put32(unsigned char *p, int32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* The length of the mov of @nr into eax or rax that ends at @end, or 0. */
static unsigned int mov_nr_before(unsigned long end, int nr)
{
	unsigned char insn[7];
	uint32_t imm;

	if (sud_copy_from_user(insn, (const void *)(end - sizeof(insn)), sizeof(insn)))
		return 0;
	memcpy(&imm, insn + 3, sizeof(imm));
	if (imm != (uint32_t)nr)
		return 0;
	if (insn[2] == MOV_EAX_IMM32)
		return 5;
	return memcmp(insn, MOV_RAX_IMM32, 3) ? 0 : 7;
}

/* Whether the GUARD_LEN bytes before @end are glibc's read(): cmpb $imm8, disp32(%rip); jcc; xor */
static bool guarded_read_before(unsigned long end)
{
	unsigned char b[GUARD_LEN];

	if (sud_copy_from_user(b, (const void *)(end - GUARD_LEN), sizeof(b)))
		return false;
	return b[0] == 0x80 && b[1] == 0x3d && (b[GUARD_JCC_AT] & 0xf0) == 0x70 &&
	       (b[GUARD_XOR_AT] == 0x31 || b[GUARD_XOR_AT] == 0x33) && b[GUARD_XOR_AT + 1] == 0xc0;
}

static bool is_guarded(const struct arch_fast_site *site)
{
	return site->len == GUARD_CMPB_LEN;
}

/*
 * Whether a decode of the function [@code, @code_end) lands on @insn. A
 * signal frame's FDE, a restorer's, starts a byte before its code (glibc's
 * __restore_rt and trampoline.S's), so that an unwinder's lookup of the
 * return address minus one finds it: its code starts there or one after.
 */
static bool insn_starts(unsigned long code, unsigned long code_end, unsigned long insn, int nr)
{
	const unsigned char *func = (const unsigned char *)code;

	if (sud_x86_insn_boundary(func, code_end - code, insn - code))
		return true;
	return nr == SYS_rt_sigreturn && insn > code &&
	       sud_x86_insn_boundary(func + 1, code_end - code - 1, insn - code - 1);
}

bool arch_fast_site(unsigned long ret, int nr, unsigned long code, unsigned long code_end,
		    struct arch_fast_site *site)
{
	unsigned long insn = ret - SYSCALL_LEN;
	unsigned char syscall[SYSCALL_LEN];
	unsigned int mov_len;
	unsigned long mov;

	if (nr < 0 || sud_copy_from_user(syscall, (const void *)insn, sizeof(syscall)) ||
	    syscall[0] != 0x0f || syscall[1] != 0x05)
		return false;
	mov_len = mov_nr_before(insn, nr);
	site->len = JMP_LEN;
	if (!mov_len && nr == 0 && guarded_read_before(insn)) {
		mov_len = GUARD_LEN;
		site->len = GUARD_CMPB_LEN;
	}
	if (!mov_len)
		return false;
	mov = insn - mov_len;
	/* the jump replaces bytes of one page only (code_page.c swaps a page at a time) */
	if ((mov ^ (mov + site->len - 1)) >> 12)
		return false;
	if (code && (mov < code || ret > code_end || !insn_starts(code, code_end, mov, nr)))
		return false;
	site->ret = ret;
	site->patch = mov;
	site->nr = nr;
	return true;
}

static void put_tls_rcx(unsigned char *p, unsigned char opcode, long tpoff)
{
	/* %fs: REX.W opcode modrm(rcx, SIB) SIB(no base, no index) disp32 */
	p[0] = 0x64;
	p[1] = 0x48;
	p[2] = opcode;
	p[3] = 0x0c;
	p[4] = 0x25;
	put32(p + 5, (int32_t)tpoff);
}

static void put_mov_nr(unsigned char *p, int nr)
{
	p[0] = MOV_EAX_IMM32;
	put32(p + 1, nr);
}

/* jmp *cell(%rip), from @at */
static void put_jmp_cell(unsigned char *p, unsigned int at, unsigned int cell_at)
{
	p[at] = 0xff;
	p[at + 1] = 0x25;
	put32(p + at + 2, (int32_t)(cell_at - (at + 6)));
}

/* lea ret_cell(%rip), %rcx; mov %rcx, %fs:site (16 bytes at @at) */
static void put_site(unsigned char *p, unsigned int at, long site_tpoff)
{
	p[at] = 0x48;
	p[at + 1] = 0x8d;
	p[at + 2] = 0x0d;
	put32(p + at + 3, (int32_t)(STUB_RET_CELL - (at + 7)));
	put_tls_rcx(p + at + 7, 0x89, site_tpoff);
}

static bool fits32(long v)
{
	return v == (int32_t)v;
}

/* The guarded read's three instructions at STUB_GUARD, relocated from @site, then the jump to 0. */
static bool put_guard(unsigned char *buf, unsigned long stub, const struct arch_fast_site *site)
{
	unsigned char b[GUARD_LEN];
	int32_t disp, to_cmpb, to_jcc, back;
	unsigned long cmpb_target, jcc_target;

	if (sud_copy_from_user(b, (const void *)site->patch, sizeof(b)))
		return false;
	memcpy(&disp, b + 2, sizeof(disp));
	cmpb_target = site->patch + GUARD_CMPB_LEN + (unsigned long)(long)disp;
	jcc_target = site->patch + GUARD_XOR_AT + (unsigned long)(long)(int8_t)b[GUARD_JCC_AT + 1];
	if (!rel32(stub + STUB_GUARD_JCC, cmpb_target, &to_cmpb) ||
	    !rel32(stub + STUB_GUARD_XOR, jcc_target, &to_jcc) ||
	    !rel32(stub + STUB_GUARD_BACK + JMP_LEN, stub, &back))
		return false;
	buf[STUB_GUARD] = 0x80;
	buf[STUB_GUARD + 1] = 0x3d;
	put32(buf + STUB_GUARD + 2, to_cmpb);
	buf[STUB_GUARD + 6] = b[6];
	buf[STUB_GUARD_JCC] = 0x0f;
	buf[STUB_GUARD_JCC + 1] = (unsigned char)(0x80 | (b[GUARD_JCC_AT] & 0x0f));
	put32(buf + STUB_GUARD_JCC + 2, to_jcc);
	buf[STUB_GUARD_XOR] = b[GUARD_XOR_AT];
	buf[STUB_GUARD_XOR + 1] = 0xc0;
	buf[STUB_GUARD_BACK] = 0xe9;
	put32(buf + STUB_GUARD_BACK + 1, back);
	return true;
}

bool arch_fast_stub(unsigned char buf[ARCH_FAST_STUB_SIZE], unsigned long stub,
		    const struct arch_fast_site *site, unsigned long allow, unsigned long own_slot,
		    const struct sud_fast_tls *tls)
{
	unsigned long slot = allow, dispatch = (unsigned long)sud_fast_dispatch;
	int32_t back;

	(void)own_slot;	/* the site's syscall instruction stays: its fallback */

	if (!fits32(tls->selector) || !fits32(tls->stash) || !fits32(tls->site) ||
	    !rel32(stub + STUB_SLOW_JMP + JMP_LEN, site->ret - SYSCALL_LEN, &back))
		return false;
	memset(buf, 0xcc, ARCH_FAST_STUB_SIZE);
	if (is_guarded(site) && !put_guard(buf, stub, site))
		return false;
	put_tls_rcx(buf + STUB_STASH, 0x89, tls->stash);
	put_tls_rcx(buf + STUB_LOAD, 0x8b, tls->selector);
	buf[STUB_NO_SELECTOR] = 0xe3;
	buf[STUB_NO_SELECTOR + 1] = STUB_SLOW - STUB_READ;
	buf[STUB_READ] = 0x0f;
	buf[STUB_READ + 1] = 0xb6;
	buf[STUB_READ + 2] = 0x09;
	buf[STUB_ALLOW] = 0xe3;
	buf[STUB_ALLOW + 1] = STUB_FAST - STUB_NOT_BLOCK;
	buf[STUB_NOT_BLOCK] = 0xe2;
	buf[STUB_NOT_BLOCK + 1] = STUB_SLOW - STUB_DISPATCH;
	put_site(buf, STUB_DISPATCH, tls->site);
	put_mov_nr(buf + STUB_DISPATCH_MOV, site->nr);
	put_jmp_cell(buf, STUB_DISPATCH_JMP, STUB_DISPATCH_CELL);
	put_mov_nr(buf + STUB_SLOW, site->nr);
	buf[STUB_SLOW_JMP] = 0xe9;
	put32(buf + STUB_SLOW_JMP + 1, back);
	put_site(buf, STUB_FAST, tls->site);
	put_mov_nr(buf + STUB_FAST_MOV, site->nr);
	put_jmp_cell(buf, STUB_FAST_JMP, STUB_SLOT_CELL);
	/* no slot: ALLOW too takes the site's own syscall */
	if (!slot)
		slot = stub + STUB_SLOW;
	memcpy(buf + STUB_SLOT_CELL, &slot, sizeof(slot));
	memcpy(buf + STUB_DISPATCH_CELL, &dispatch, sizeof(dispatch));
	memcpy(buf + STUB_RET_CELL, &site->ret, sizeof(site->ret));
	memcpy(buf + STUB_PATCH_CELL, &site->patch, sizeof(site->patch));
	return true;
}

unsigned long arch_fast_stub_slot(const unsigned char stub[ARCH_FAST_STUB_SIZE])
{
	return sud_fast_stub_cell(stub, STUB_SLOT_CELL);
}

unsigned long arch_fast_stub_ret(const unsigned char stub[ARCH_FAST_STUB_SIZE])
{
	return sud_fast_stub_cell(stub, STUB_RET_CELL);
}

bool arch_fast_jump(unsigned char *buf, const struct arch_fast_site *site, unsigned long stub)
{
	int32_t to;

	if (!rel32(site->patch + JMP_LEN, stub + (is_guarded(site) ? STUB_GUARD : 0), &to))
		return false;
	buf[0] = 0xe9;
	put32(buf + 1, to);
	/* the rest of the cmpb: never run, and a decode of the function stays in step */
	memset(buf + JMP_LEN, 0xcc, site->len - JMP_LEN);
	return true;
}

/*
 * In the stub nothing of the application's has happened but the jump,
 * and the mov once the stub has done its own: the context is the site's,
 * before the mov or at the syscall, with the rcx the stub displaced. A
 * guarded read's stub has run the site's own instructions up to the
 * syscall before its body: in the body, the context is at the syscall.
 */
void arch_fast_adopt_stub(ucontext_t *uc, const unsigned char stub[ARCH_FAST_STUB_SIZE],
			  unsigned long offset, unsigned long stash)
{
	greg_t *g = uc->uc_mcontext.gregs;
	bool guarded = stub[STUB_GUARD] != 0xcc;
	bool moved = offset == STUB_SLOW_JMP || offset == STUB_FAST_JMP ||
		     offset == STUB_DISPATCH_JMP || guarded;
	unsigned long patch = sud_fast_stub_cell(stub, STUB_PATCH_CELL);

	/* in the guard, rcx is the application's still: the same instruction at the site */
	if (offset >= STUB_GUARD) {
		g[REG_RIP] = (greg_t)(offset < STUB_GUARD_JCC ? patch :
				      offset < STUB_GUARD_XOR ? patch + GUARD_JCC_AT :
				      offset < STUB_GUARD_BACK ? patch + GUARD_XOR_AT :
				      patch + GUARD_LEN);
		return;
	}

	if (offset != STUB_STASH)
		g[REG_RCX] = (greg_t)stash;
	g[REG_RIP] = (greg_t)(moved ? sud_fast_stub_cell(stub, STUB_RET_CELL) - SYSCALL_LEN : patch);
}

/*
 * In the slot: at its syscall, either not yet issued (rcx still holds the
 * selector byte the stub tested, 0) or set up by the kernel to run again
 * (rcx the address after it, as syscall leaves it): the site's syscall,
 * which runs again, through the trap path, after the handler; past it,
 * the site's next instruction with the result, rcx as the site's syscall
 * would leave it, and r11 from the slot's, which is the same.
 */
void arch_fast_adopt_slot(ucontext_t *uc, unsigned long offset, unsigned long ret,
			  unsigned long stash)
{
	greg_t *g = uc->uc_mcontext.gregs;

	if (offset == 0) {
		g[REG_RCX] = (greg_t)(g[REG_RCX] ? ret : stash);
		g[REG_RIP] = (greg_t)(ret - SYSCALL_LEN);
		return;
	}
	g[REG_RCX] = (greg_t)ret;
	g[REG_RIP] = (greg_t)ret;
}

void arch_fast_adopt_fallback(ucontext_t *uc, const unsigned char stub[ARCH_FAST_STUB_SIZE],
			      unsigned long stash)
{
	uint32_t nr;

	memcpy(&nr, stub + STUB_SLOW + 1, sizeof(nr));
	arch_fast_adopt_stub(uc, stub, STUB_SLOW_JMP, stash);
	uc->uc_mcontext.gregs[REG_RAX] = (greg_t)nr;
}
