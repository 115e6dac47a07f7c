// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * riscv64's fast path (../arch-fastpath.h), as arm64's (see there): the
 * site's `ecall`, which trapped and so is an instruction, becomes
 * `jal x0, stub`, which reaches only 1 MiB: a site without a free place
 * that near stays on the trap path. The stub falls back through the
 * site's fallback slot, whose trap is the site's.
 *
 * ecall changes nothing but a0: the stub saves t0 and t1 below sp (no red
 * zone; sp stays 16-aligned), never sets a7 (a restart's
 * __NR_restart_syscall falls back), and is assembled without compressed
 * instructions, each of its offsets one instruction. A slot
 * (trampoline.S) takes t0 and t1 back before its ecall, so that the
 * syscall runs with the application's registers and sp, saves them again
 * after it and returns through t1 to the stub's tail (sud_fast_back[k]),
 * which restores both.
 *
 *    0  addi sp, sp, -16
 *    4  sd t0, 0(sp)
 *    8  sd t1, 8(sp)
 *   12  lui t0, %hi(sel)
 *   16  addi t0, t0, %lo(sel)
 *   20  add t0, t0, tp
 *   24  ld t0, 0(t0)              the thread's selector, NULL: the trap path
 *   28  beqz t0, slow
 *   32  lbu t0, 0(t0)             the selector byte (ARCH_FAST_STUB_READ)
 *   36  bnez t0, blocked          not SYSCALL_DISPATCH_FILTER_ALLOW
 *   40  addi t0, a7, -nr
 *   44  bnez t0, slow             not the syscall the site was rewritten for
 *   48  auipc t0, 0               (a restorer: j dispatch)
 *   52  ld t0, slot - 48(t0)      exempt: the syscall runs
 *   56  jr t0
 *   60  slow: auipc t0, 0
 *   64  ld t0, trap - 60(t0)      always trapped, as if from the site
 *   68  jr t0
 *   72  back: ld t0, 0(sp)        where the slots return (sud_fast_back[k])
 *   76  ld t1, 8(sp)
 *   80  addi sp, sp, 16
 *   84  j site+4
 *   88  blocked: addi t0, t0, -1  SYSCALL_DISPATCH_FILTER_BLOCK, or the trap path
 *   92  bnez t0, slow
 *   96  dispatch: lui t0, %hi(site)
 *  100  addi t0, t0, %lo(site)
 *  104  add t0, t0, tp
 *  108  auipc t1, 0
 *  112  addi t1, t1, ret - 108   the thread's dispatch says which site it stands for
 *  116  sd t1, 0(t0)
 *  120  auipc t1, 0
 *  124  ld t1, entry - 120(t1)  sud_fast_dispatch (shim/fast_user_dispatch.c)
 *  128  jr t1
 *  136  slot, 144  trap, 152  the site's return, 160  entry
 */
#include <string.h>

#include "arch-fastpath.h"
#include "usercopy.h"

enum {
	STUB_PUSH = 0,
	STUB_SAVE_T0 = 4,
	STUB_SAVE_T1 = 8,
	STUB_OFF_HI = 12,
	STUB_OFF_LO = 16,
	STUB_ADD_TP = 20,
	STUB_LOAD = 24,
	STUB_NO_SELECTOR = 28,
	STUB_READ = 32,
	STUB_ALLOW = 36,
	STUB_NR = 40,
	STUB_SAME_NR = 44,
	STUB_FAST = 48,
	STUB_FAST_LD = 52,
	STUB_FAST_JMP = 56,
	STUB_SLOW = 60,
	STUB_SLOW_LD = 64,
	STUB_SLOW_JMP = 68,
	STUB_BACK = 72,
	STUB_BACK_T1 = 76,
	STUB_BACK_POP = 80,
	STUB_BACK_JMP = 84,
	STUB_BLOCKED = 88,
	STUB_IS_BLOCK = 92,
	STUB_DISPATCH = 96,
	STUB_SITE_LO = 100,
	STUB_SITE_TP = 104,
	STUB_SITE_ADR = 108,
	STUB_SITE_ADR_LO = 112,
	STUB_SITE_STORE = 116,
	STUB_ENTRY = 120,
	STUB_ENTRY_LD = 124,
	STUB_ENTRY_JMP = 128,
	STUB_CELL = 136,
	STUB_TRAP_CELL = 144,
	STUB_RET_CELL = 152,
	STUB_ENTRY_CELL = 160,
	STUB_END = 168,
};
/* the dispatch entry finds the trap cell just before the return cell (trampoline.S) */
_Static_assert(STUB_TRAP_CELL + 8 == STUB_RET_CELL, "the stub's cells");
_Static_assert(STUB_READ == ARCH_FAST_STUB_READ, "arch.h's ARCH_FAST_STUB_READ");
_Static_assert(STUB_END <= ARCH_FAST_STUB_SIZE, "arch.h's ARCH_FAST_STUB_SIZE");
_Static_assert(STUB_CELL % 8 == 0, "the cells are read with ld");

#define ECALL		0x00000073u
#define ZERO		0
#define SP		2
#define TP		4
#define T0		5
#define T1		6
#define A7		17
/* glibc's uc_mcontext.__gregs[] is pc, then x1..x31 */
#define GREG_T0		5
#define GREG_T1		6

static uint32_t itype(uint32_t op, uint32_t f3, uint32_t rd, uint32_t rs1, long imm)
{
	return ((uint32_t)imm & 0xfffu) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

#define ADDI(rd, rs1, imm)	itype(0x13, 0, rd, rs1, imm)
#define LD(rd, rs1, imm)	itype(0x03, 3, rd, rs1, imm)
#define LBU(rd, rs1, imm)	itype(0x03, 4, rd, rs1, imm)
#define JR(rs1)			itype(0x67, 0, ZERO, rs1, 0)
#define ADD(rd, rs1, rs2)	((rs2) << 20 | (rs1) << 15 | (rd) << 7 | 0x33u)
#define AUIPC(rd)		((rd) << 7 | 0x17u)

static uint32_t sd(uint32_t rs2, uint32_t rs1, uint32_t imm)
{
	return (imm >> 5 & 0x7fu) << 25 | rs2 << 20 | rs1 << 15 | 3u << 12 | (imm & 0x1fu) << 7 |
	       0x23u;
}

/* bne/beq @rs1, zero within the stub: always in range */
static uint32_t branch(uint32_t f3, uint32_t rs1, unsigned int from, unsigned int to)
{
	uint32_t d = (uint32_t)(to - from);

	return (d >> 12 & 1) << 31 | (d >> 5 & 0x3fu) << 25 | rs1 << 15 | f3 << 12 |
	       (d >> 1 & 0xfu) << 8 | (d >> 11 & 1) << 7 | 0x63u;
}

static bool jal_zero(unsigned long from, unsigned long to, uint32_t *insn)
{
	long d = (long)(to - from);
	uint32_t u = (uint32_t)d;

	if ((d & 1) || d < -(1l << 20) || d >= (1l << 20))
		return false;
	*insn = (u >> 20 & 1) << 31 | (u >> 1 & 0x3ffu) << 21 | (u >> 11 & 1) << 20 |
		(u >> 12 & 0xffu) << 12 | ZERO << 7 | 0x6fu;
	return true;
}

static void put(unsigned char *buf, unsigned int at, uint32_t insn)
{
	memcpy(buf + at, &insn, sizeof(insn));
}

bool arch_fast_site(unsigned long ret, int nr, unsigned long code, unsigned long code_end,
		    struct arch_fast_site *site)
{
	unsigned long ecall = ret - 4;
	uint32_t insn;

	/* addi's imm12; the jal replaces bytes of one page only (code_page.c) */
	if (nr < 0 || nr > 0x7ff || (ecall & 1) || (ecall ^ (ecall + 3)) >> 12 ||
	    sud_copy_from_user(&insn, (const void *)ecall, sizeof(insn)) || insn != ECALL)
		return false;
	if (code && (ecall < code || ret > code_end))
		return false;
	site->ret = ret;
	site->patch = ecall;
	site->len = 4;
	site->nr = nr;
	return true;
}

/* lui + addi of a signed 32-bit offset into t0, with room for the rounding of %hi */
static bool put_offset(unsigned char *buf, unsigned int at, long off)
{
	long lo = ((off & 0xfff) ^ 0x800) - 0x800;

	if (off < -(1l << 30) || off >= (1l << 30))
		return false;
	put(buf, at, ((uint32_t)((off - lo) >> 12) & 0xfffffu) << 12 | T0 << 7 | 0x37u);
	put(buf, at + 4, ADDI(T0, T0, lo));
	return true;
}

/*
 * The tail, where the slots and a return without the kernel go: t0 and
 * t1 back from below sp, then @jump to @to, which the return cell holds
 * for a signal that lands there (arch_fast_adopt_stub()).
 */
static void put_tail(unsigned char *buf, uint32_t jump, unsigned long to)
{
	put(buf, STUB_BACK, LD(T0, SP, 0));
	put(buf, STUB_BACK_T1, LD(T1, SP, 8));
	put(buf, STUB_BACK_POP, ADDI(SP, SP, 16));
	put(buf, STUB_BACK_JMP, jump);
	memcpy(buf + STUB_RET_CELL, &to, sizeof(to));
}

bool arch_fast_stub(unsigned char buf[ARCH_FAST_STUB_SIZE], unsigned long stub,
		    const struct arch_fast_site *site, unsigned long allow, unsigned long own_slot,
		    const struct sud_fast_tls *tls)
{
	unsigned long trap = (unsigned long)sud_fast_traps +
			     (own_slot - (unsigned long)sud_fast_slots);
	unsigned long entry = (unsigned long)sud_fast_dispatch;
	bool restorer = allow == (unsigned long)sud_fast_sigreturn;
	uint32_t back, to_dispatch;

	if ((unsigned int)site->nr > 0x7ff || !own_slot ||
	    !jal_zero(stub + STUB_BACK_JMP, site->ret, &back))
		return false;
	memset(buf, 0, ARCH_FAST_STUB_SIZE);	/* illegal instructions */
	if (!put_offset(buf, STUB_OFF_HI, tls->selector) ||
	    !put_offset(buf, STUB_DISPATCH, tls->site))
		return false;
	/* the site's own syscall at ALLOW: its fallback slot, whose trap is the site's */
	if (!allow)
		allow = trap;
	jal_zero(stub + STUB_FAST, stub + STUB_DISPATCH, &to_dispatch);
	put(buf, STUB_PUSH, ADDI(SP, SP, -16));
	put(buf, STUB_SAVE_T0, sd(T0, SP, 0));
	put(buf, STUB_SAVE_T1, sd(T1, SP, 8));
	put(buf, STUB_ADD_TP, ADD(T0, T0, TP));
	put(buf, STUB_LOAD, LD(T0, T0, 0));
	put(buf, STUB_NO_SELECTOR, branch(0, T0, STUB_NO_SELECTOR, STUB_SLOW));
	put(buf, STUB_READ, LBU(T0, T0, 0));
	put(buf, STUB_ALLOW, branch(1, T0, STUB_ALLOW, STUB_BLOCKED));
	put(buf, STUB_NR, ADDI(T0, A7, -site->nr));
	put(buf, STUB_SAME_NR, branch(1, T0, STUB_SAME_NR, STUB_SLOW));
	if (restorer) {
		/* its rt_sigreturn is the emulation's: the dispatch entry's, which knows the site */
		put(buf, STUB_FAST, to_dispatch);
	} else {
		put(buf, STUB_FAST, AUIPC(T0));
		put(buf, STUB_FAST_LD, LD(T0, T0, STUB_CELL - STUB_FAST));
		put(buf, STUB_FAST_JMP, JR(T0));
	}
	put(buf, STUB_SLOW, AUIPC(T0));
	put(buf, STUB_SLOW_LD, LD(T0, T0, STUB_TRAP_CELL - STUB_SLOW));
	put(buf, STUB_SLOW_JMP, JR(T0));
	put_tail(buf, back, site->ret);
	put(buf, STUB_BLOCKED, ADDI(T0, T0, -1));
	put(buf, STUB_IS_BLOCK, branch(1, T0, STUB_IS_BLOCK, STUB_SLOW));
	put(buf, STUB_SITE_TP, ADD(T0, T0, TP));
	put(buf, STUB_SITE_ADR, AUIPC(T1));
	put(buf, STUB_SITE_ADR_LO, ADDI(T1, T1, STUB_RET_CELL - STUB_SITE_ADR));
	put(buf, STUB_SITE_STORE, sd(T1, T0, 0));
	put(buf, STUB_ENTRY, AUIPC(T1));
	put(buf, STUB_ENTRY_LD, LD(T1, T1, STUB_ENTRY_CELL - STUB_ENTRY));
	put(buf, STUB_ENTRY_JMP, JR(T1));
	memcpy(buf + STUB_CELL, &allow, sizeof(allow));
	memcpy(buf + STUB_TRAP_CELL, &trap, sizeof(trap));
	memcpy(buf + STUB_ENTRY_CELL, &entry, sizeof(entry));
	return true;
}

bool arch_fast_handler_stub(unsigned char buf[ARCH_FAST_STUB_SIZE], unsigned long stub,
			    unsigned long handler)
{
	uint32_t to;

	if (!jal_zero(stub + STUB_BACK_JMP, handler, &to))
		return false;
	memset(buf, 0, ARCH_FAST_STUB_SIZE);	/* illegal instructions */
	put_tail(buf, to, handler);
	return true;
}

unsigned long arch_fast_stub_slot(const unsigned char stub[ARCH_FAST_STUB_SIZE])
{
	return sud_fast_stub_cell(stub, STUB_CELL);
}

unsigned long arch_fast_stub_ret(const unsigned char stub[ARCH_FAST_STUB_SIZE])
{
	return sud_fast_stub_cell(stub, STUB_RET_CELL);
}

unsigned long arch_fast_stub_back(unsigned long stub)
{
	return stub + STUB_BACK;
}

unsigned long arch_fast_cell_back(unsigned long cell)
{
	return cell - STUB_RET_CELL + STUB_BACK;
}

bool arch_fast_jump(unsigned char *buf, const struct arch_fast_site *site, unsigned long stub)
{
	uint32_t insn;

	if (!jal_zero(site->patch, stub, &insn))
		return false;
	put(buf, 0, insn);
	return true;
}

/* Where the stub or a slot stands at each instruction: what it holds of the application's. */
enum {
	LOW = 1,	/* sp 16 below the application's */
	SAVED_T0 = 2 | LOW,	/* t0 at 0(sp), and to be taken from there */
	SAVED_T1 = 4 | LOW,	/* t1 at 8(sp), and to be taken from there */
	SAVED = SAVED_T0 | SAVED_T1,
	DONE = 8,	/* the syscall ran: the place is past the site's ecall */
};

static const unsigned char stub_state[STUB_CELL / 4] = {
	[STUB_PUSH / 4] = 0,
	[STUB_SAVE_T0 / 4] = LOW,
	[STUB_SAVE_T1 / 4] = SAVED_T0,
	[STUB_OFF_HI / 4 ... STUB_SLOW_JMP / 4] = SAVED,
	[STUB_BACK / 4] = SAVED | DONE,
	[STUB_BACK_T1 / 4] = SAVED_T1 | DONE,
	[STUB_BACK_POP / 4] = LOW | DONE,
	[STUB_BACK_JMP / 4] = DONE,
	[STUB_BLOCKED / 4 ... STUB_ENTRY_JMP / 4] = SAVED,
};

/* The slot's instructions (trampoline.S) */
enum {
	SLOT_LOAD_T0 = 0,	/* ld t0, 0(sp) */
	SLOT_LOAD_T1 = 4,	/* ld t1, 8(sp) */
	SLOT_POP = 8,		/* addi sp, sp, 16 */
	SLOT_ECALL = 12,
	SLOT_PUSH = 16,		/* addi sp, sp, -16 */
	SLOT_SAVE_T0 = 20,	/* sd t0, 0(sp) */
	SLOT_SAVE_T1 = 24,	/* sd t1, 8(sp) */
	SLOT_BACK_HI = 28,	/* auipc t1 */
	SLOT_BACK_LO = 32,	/* ld t1 */
	SLOT_BACK_JMP = 36,	/* jr t1 */
	SLOT_END = 40,		/* unimp, to ARCH_FAST_SLOT_SIZE */
};
_Static_assert(SLOT_END <= ARCH_FAST_SLOT_SIZE, "fastpath-layout.h's ARCH_FAST_SLOT_SIZE");

/*
 * Up to the pop, t0 and t1 are still on the stack (what a load took back
 * is the same); on the ecall they and sp are the application's: a restart
 * (-ERESTART*, a7 as the kernel left it) rewinds here, and so does the
 * fallback slot's trap where a restart code had the kernel restart it.
 * After it, t0 and t1 stay the application's until the auipc, whatever
 * the stores below the lowered sp have written yet; from the auipc on,
 * both are on the stack again.
 */
static const unsigned char slot_state[ARCH_FAST_SLOT_SIZE / 4] = {
	[SLOT_LOAD_T0 / 4 ... SLOT_POP / 4] = SAVED,
	[SLOT_ECALL / 4] = 0,
	[SLOT_PUSH / 4] = DONE,
	[SLOT_SAVE_T0 / 4 ... SLOT_SAVE_T1 / 4] = LOW | DONE,
	[SLOT_BACK_HI / 4 ... ARCH_FAST_SLOT_SIZE / 4 - 1] = SAVED | DONE,
};

/* @uc at the site's ecall (DONE: past it), with what the stub saved restored. */
static void at_site(ucontext_t *uc, unsigned long ret, unsigned int state)
{
	unsigned long *g = uc->uc_mcontext.__gregs;
	unsigned long saved[2];

	if (state & LOW) {
		if (!sud_copy_from_user(saved, (const void *)g[REG_SP], sizeof(saved))) {
			if ((state & SAVED_T0) == SAVED_T0)
				g[GREG_T0] = saved[0];
			if ((state & SAVED_T1) == SAVED_T1)
				g[GREG_T1] = saved[1];
		}
		g[REG_SP] += sizeof(saved);
	}
	g[REG_PC] = (state & DONE) ? ret : ret - 4;
}

/*
 * In the stub nothing of the application's has happened but the jump,
 * and the syscall once a slot has issued it: the site, before its ecall
 * or past it, with t0, t1 and sp as the stub found them.
 */
void arch_fast_adopt_stub(ucontext_t *uc, const unsigned char stub[ARCH_FAST_STUB_SIZE],
			  unsigned long offset, unsigned long stash)
{
	unsigned long ret = arch_fast_stub_ret(stub);

	(void)stash;
	at_site(uc, ret, offset < STUB_CELL && !(offset & 3) ? stub_state[offset / 4] : 0);
}

/*
 * In a slot, pass-through or fallback: before its ecall, or on it to run
 * again (a restart), the site's ecall, which runs again through the stub;
 * past it, the site's next instruction with the result. On the ecall and
 * just after it t0, t1 and sp are the application's already, and so is
 * every other register: only pc moves (a fallback slot's trap,
 * sud_fastpath_trap_site()).
 */
void arch_fast_adopt_slot(ucontext_t *uc, unsigned long offset, unsigned long ret,
			  unsigned long stash)
{
	(void)stash;
	at_site(uc, ret,
		offset < ARCH_FAST_SLOT_SIZE && !(offset & 3) ? slot_state[offset / 4] : SAVED);
}

/* From the selector read on to the stub's fallback: t0 and t1 are still saved. */
void arch_fast_adopt_fallback(ucontext_t *uc, const unsigned char stub[ARCH_FAST_STUB_SIZE],
			      unsigned long stash)
{
	(void)stash;
	uc->uc_mcontext.__gregs[REG_PC] = (unsigned long)stub + STUB_SLOW;
}
