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
 * The stub reads the selector without touching the flags or the stack
 * (leaf code keeps data in the red zone; syscall preserves rflags): rcx is
 * the syscall's to clobber, and jrcxz tests it.
 *
 *    0  mov %rcx, %fs:stash       what a signal landing here must see
 *    9  mov %fs:selector, %rcx    NULL: not armed through the fast path
 *   18  jrcxz slow
 *   20  movzbl (%rcx), %ecx       the selector byte (ARCH_FAST_STUB_READ)
 *   23  jrcxz fast                0: SYSCALL_DISPATCH_FILTER_ALLOW
 *   25  slow: mov $nr, %eax
 *   30  jmp site+5                the site's own syscall: the trap path
 *   35  fast: mov $nr, %eax
 *   40  jmp *cell(%rip)
 *   48  cell: the slot           its syscall is exempt, it returns to site+7
 */
#include <string.h>

#include "arch-fastpath.h"
#include "insn_len.h"
#include "usercopy.h"

enum {
	STUB_STASH = 0,
	STUB_LOAD = 9,
	STUB_NO_SELECTOR = 18,
	STUB_READ = 20,
	STUB_ALLOW = 23,
	STUB_SLOW = 25,
	STUB_SLOW_JMP = 30,
	STUB_FAST = 35,
	STUB_FAST_JMP = 40,
	STUB_CELL = 48,
	STUB_END = 56,
};
_Static_assert(STUB_READ == ARCH_FAST_STUB_READ, "arch.h's ARCH_FAST_STUB_READ");
_Static_assert(STUB_END <= ARCH_FAST_STUB_SIZE, "arch.h's ARCH_FAST_STUB_SIZE");

#define MOV_EAX_IMM32	0xb8
#define MOV_LEN		5
#define SYSCALL_LEN	2

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

bool arch_fast_site(unsigned long ret, int nr, unsigned long code, unsigned long code_end,
		    struct arch_fast_site *site)
{
	unsigned long mov = ret - SYSCALL_LEN - MOV_LEN;
	unsigned char insn[MOV_LEN + SYSCALL_LEN];
	uint32_t imm;

	if (sud_copy_from_user(insn, (const void *)mov, sizeof(insn)))
		return false;
	memcpy(&imm, insn + 1, sizeof(imm));
	if (insn[0] != MOV_EAX_IMM32 || imm != (uint32_t)nr || insn[5] != 0x0f || insn[6] != 0x05)
		return false;
	/* the jump replaces bytes of one page only (code_page.c swaps a page at a time) */
	if ((mov ^ (mov + MOV_LEN - 1)) >> 12)
		return false;
	if (code && (mov < code || ret > code_end ||
		     !sud_x86_insn_boundary((const unsigned char *)code, code_end - code, mov - code)))
		return false;
	site->ret = ret;
	site->patch = mov;
	site->len = MOV_LEN;
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

bool arch_fast_stub(unsigned char buf[ARCH_FAST_STUB_SIZE], unsigned long stub,
		    const struct arch_fast_site *site, unsigned long slot,
		    const struct sud_fast_tls *tls)
{
	int32_t back;

	if (tls->selector != (int32_t)tls->selector || tls->stash != (int32_t)tls->stash ||
	    !rel32(stub + STUB_FAST, site->patch + MOV_LEN, &back))
		return false;
	memset(buf, 0xcc, ARCH_FAST_STUB_SIZE);
	put_tls_rcx(buf + STUB_STASH, 0x89, tls->stash);
	put_tls_rcx(buf + STUB_LOAD, 0x8b, tls->selector);
	buf[STUB_NO_SELECTOR] = 0xe3;
	buf[STUB_NO_SELECTOR + 1] = STUB_SLOW - STUB_READ;
	buf[STUB_READ] = 0x0f;
	buf[STUB_READ + 1] = 0xb6;
	buf[STUB_READ + 2] = 0x09;
	buf[STUB_ALLOW] = 0xe3;
	buf[STUB_ALLOW + 1] = STUB_FAST - STUB_SLOW;
	buf[STUB_SLOW] = MOV_EAX_IMM32;
	put32(buf + STUB_SLOW + 1, site->nr);
	buf[STUB_SLOW_JMP] = 0xe9;
	put32(buf + STUB_SLOW_JMP + 1, back);
	buf[STUB_FAST] = MOV_EAX_IMM32;
	put32(buf + STUB_FAST + 1, site->nr);
	buf[STUB_FAST_JMP] = 0xff;
	buf[STUB_FAST_JMP + 1] = 0x25;
	put32(buf + STUB_FAST_JMP + 2, STUB_CELL - (STUB_FAST_JMP + 6));
	memcpy(buf + STUB_CELL, &slot, sizeof(slot));
	return true;
}

unsigned long arch_fast_stub_slot(const unsigned char stub[ARCH_FAST_STUB_SIZE])
{
	unsigned long slot;

	memcpy(&slot, stub + STUB_CELL, sizeof(slot));
	return slot;
}

bool arch_fast_jump(unsigned char *buf, const struct arch_fast_site *site, unsigned long stub)
{
	int32_t to;

	if (!rel32(site->patch + MOV_LEN, stub, &to))
		return false;
	buf[0] = 0xe9;
	put32(buf + 1, to);
	return true;
}

/*
 * In the stub nothing of the application's has happened but the jump,
 * and the mov once the stub has done its own: the context is the site's,
 * before the mov or before the syscall, with the rcx the stub displaced.
 */
void arch_fast_adopt_stub(ucontext_t *uc, unsigned long offset, unsigned long ret,
			  unsigned long stash)
{
	greg_t *g = uc->uc_mcontext.gregs;
	bool moved = offset == STUB_SLOW_JMP || offset == STUB_FAST_JMP;

	if (offset != STUB_STASH)
		g[REG_RCX] = (greg_t)stash;
	g[REG_RIP] = (greg_t)(ret - SYSCALL_LEN - (moved ? 0 : MOV_LEN));
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
			      unsigned long ret, unsigned long stash)
{
	uint32_t nr;

	memcpy(&nr, stub + STUB_SLOW + 1, sizeof(nr));
	arch_fast_adopt_stub(uc, STUB_SLOW_JMP, ret, stash);
	uc->uc_mcontext.gregs[REG_RAX] = (greg_t)nr;
}
