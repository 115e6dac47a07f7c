// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * arm64's fast path (../arch-fastpath.h). The site is its `svc #0` itself,
 * which trapped, so it is an instruction: it becomes `b stub`. Nothing
 * before it is touched, so nothing else needs proving (a word before it
 * may be data, or a branch target). So the stub has no syscall
 * instruction of the site's to fall back on: it falls back on the site's
 * fallback slot (sud_fast_traps[k], beside pass-through slot k), whose
 * syscall the filter always traps and sud_fastpath_trap_site() takes for
 * the site's, so that the trap path decides for the site's address
 * whatever range the thread has.
 *
 * svc changes nothing but x0, and leaves the flags alone: the stub saves
 * x16 and x17 below sp (no red zone on arm64 Linux; sp stays 16-aligned),
 * branches only with cbz/cbnz, and never sets x8, so that a restart that
 * put __NR_restart_syscall there falls back on the trap path. A slot
 * (trampoline.S) takes x16 and x17 back before its svc, so that the
 * syscall runs with the application's registers and sp, saves them again
 * after it and returns through x17 to the stub's tail (sud_fast_back[k]),
 * which restores both.
 *
 *    0  stp x16, x17, [sp, #-16]!
 *    4  mrs x16, tpidr_el0
 *    8  movz x17, #sel & 0xffff
 *   12  movk x17, #sel >> 16, lsl #16
 *   16  ldr x16, [x16, x17]       the thread's selector, NULL: the trap path
 *   20  cbz x16, slow
 *   24  ldrb w16, [x16]           the selector byte (ARCH_FAST_STUB_READ)
 *   28  cbnz w16, blocked         not SYSCALL_DISPATCH_FILTER_ALLOW
 *   32  sub x16, x8, #nr
 *   36  cbnz x16, slow            not the syscall the site was rewritten for
 *   40  ldr x16, slot             exempt: the syscall runs (a restorer: b dispatch)
 *   44  br x16
 *   48  slow: ldr x16, trap       always trapped, as if from the site
 *   52  br x16
 *   56  back: ldp x16, x17, [sp], #16      where the slots return (sud_fast_back[k])
 *   60  b site+4
 *   64  blocked: sub w16, w16, #1 SYSCALL_DISPATCH_FILTER_BLOCK, or the trap path
 *   68  cbnz w16, slow
 *   72  dispatch: mrs x16, tpidr_el0
 *   76  movz x17, #site & 0xffff
 *   80  movk x17, #site >> 16, lsl #16
 *   84  add x16, x16, x17
 *   88  adr x17, ret          the thread's dispatch says which site it stands for
 *   92  str x17, [x16]
 *   96  ldr x17, entry        sud_fast_dispatch (fast_dispatch.c)
 *  100  br x17
 *  128  slot, 136  trap, 144  the site's return, 152  entry
 */
#include <string.h>

#include "arch-fastpath.h"
#include "usercopy.h"

enum {
	STUB_SAVE = 0,
	STUB_TP = 4,
	STUB_OFF_LO = 8,
	STUB_OFF_HI = 12,
	STUB_LOAD = 16,
	STUB_NO_SELECTOR = 20,
	STUB_READ = 24,
	STUB_ALLOW = 28,
	STUB_NR = 32,
	STUB_SAME_NR = 36,
	STUB_FAST = 40,
	STUB_FAST_JMP = 44,
	STUB_SLOW = 48,
	STUB_SLOW_JMP = 52,
	STUB_BACK = 56,
	STUB_BACK_JMP = 60,
	STUB_BLOCKED = 64,
	STUB_IS_BLOCK = 68,
	STUB_DISPATCH = 72,
	STUB_SITE_LO = 76,
	STUB_SITE_HI = 80,
	STUB_SITE_ADD = 84,
	STUB_SITE_ADR = 88,
	STUB_SITE_STORE = 92,
	STUB_ENTRY = 96,
	STUB_ENTRY_JMP = 100,
	STUB_CELL = 128,
	STUB_TRAP_CELL = 136,
	STUB_RET_CELL = 144,
	STUB_ENTRY_CELL = 152,
	STUB_END = 160,
};
/* the dispatch entry finds the trap cell just before the return cell (trampoline.S) */
_Static_assert(STUB_TRAP_CELL + 8 == STUB_RET_CELL, "the stub's cells");
_Static_assert(STUB_READ == ARCH_FAST_STUB_READ, "arch.h's ARCH_FAST_STUB_READ");
_Static_assert(STUB_END <= ARCH_FAST_STUB_SIZE, "arch.h's ARCH_FAST_STUB_SIZE");

#define SVC_0		0xd4000001u
#define X8		8
#define X16		16
#define X17		17
#define BR_X16		(0xd61f0000u | X16 << 5)
#define BR_X17		(0xd61f0000u | X17 << 5)

/* b from @from to @to, false beyond its reach */
static bool b_imm26(unsigned long from, unsigned long to, uint32_t *insn)
{
	long d = (long)(to - from);

	if ((d & 3) || d < -(1l << 27) || d >= (1l << 27))
		return false;
	*insn = 0x14000000u | ((uint32_t)(d >> 2) & 0x3ffffffu);
	return true;
}

/* cbz/cbnz and ldr (literal): within the stub */
static uint32_t imm19(uint32_t op, unsigned long from, unsigned long to, unsigned int rt)
{
	long d = (long)(to - from);

	return op | ((uint32_t)(d >> 2) & 0x7ffffu) << 5 | rt;
}

/* adr within the stub */
static uint32_t adr(unsigned long from, unsigned long to, unsigned int rd)
{
	uint32_t d = (uint32_t)(to - from);

	return 0x10000000u | (d & 3) << 29 | (d >> 2 & 0x7ffffu) << 5 | rd;
}

static void put(unsigned char *buf, unsigned int at, uint32_t insn)
{
	memcpy(buf + at, &insn, sizeof(insn));
}

bool arch_fast_site(unsigned long ret, int nr, unsigned long code, unsigned long code_end,
		    struct arch_fast_site *site)
{
	unsigned long svc = ret - 4;
	uint32_t insn;

	/* sub's imm12; a site that issues another syscall meanwhile falls back */
	if (nr < 0 || nr > 0xfff || (svc & 3) ||
	    sud_copy_from_user(&insn, (const void *)svc, sizeof(insn)) || insn != SVC_0)
		return false;
	if (code && (svc < code || ret > code_end))
		return false;
	site->ret = ret;
	site->patch = svc;
	site->len = 4;
	site->nr = nr;
	return true;
}

/* movz/movk of a 32-bit offset into @rd */
static void put_offset(unsigned char *buf, unsigned int at, unsigned long off, unsigned int rd)
{
	put(buf, at, 0xd2800000u | (uint32_t)(off & 0xffff) << 5 | rd);
	put(buf, at + 4, 0xf2a00000u | (uint32_t)(off >> 16 & 0xffff) << 5 | rd);
}

/*
 * The tail, where the slots and a return without the kernel go: x16 and
 * x17 back from below sp, then @jump to @to, which the return cell holds
 * for a signal that lands there (arch_fast_adopt_stub()).
 */
static void put_tail(unsigned char *buf, uint32_t jump, unsigned long to)
{
	put(buf, STUB_BACK, 0xa8c147f0u);	/* ldp x16, x17, [sp], #16 */
	put(buf, STUB_BACK_JMP, jump);
	memcpy(buf + STUB_RET_CELL, &to, sizeof(to));
}

bool arch_fast_stub(unsigned char buf[ARCH_FAST_STUB_SIZE], unsigned long stub,
		    const struct arch_fast_site *site, unsigned long allow, unsigned long own_slot,
		    const struct sud_fast_tls *tls)
{
	unsigned long sel = (unsigned long)tls->selector, cell = (unsigned long)tls->site;
	unsigned long trap = (unsigned long)sud_fast_traps +
			     (own_slot - (unsigned long)sud_fast_slots);
	unsigned long entry = (unsigned long)sud_fast_dispatch;
	bool restorer = allow == (unsigned long)sud_fast_sigreturn;
	uint32_t back, to_dispatch;

	/* TLS variant I: the initial-exec block lies above the thread pointer */
	if (tls->selector < 0 || sel >> 32 || tls->site < 0 || cell >> 32 || !own_slot ||
	    (unsigned int)site->nr > 0xfff || !b_imm26(stub + STUB_BACK_JMP, site->ret, &back))
		return false;
	/* the site's own syscall at ALLOW: its fallback slot, whose trap is the site's */
	if (!allow)
		allow = trap;
	b_imm26(stub + STUB_FAST, stub + STUB_DISPATCH, &to_dispatch);
	memset(buf, 0, ARCH_FAST_STUB_SIZE);	/* udf #0 */
	put(buf, STUB_SAVE, 0xa9bf47f0u);	/* stp x16, x17, [sp, #-16]! */
	put(buf, STUB_TP, 0xd53bd040u | X16);	/* mrs x16, tpidr_el0 */
	put_offset(buf, STUB_OFF_LO, sel, X17);
	put(buf, STUB_LOAD, 0xf8606800u | X17 << 16 | X16 << 5 | X16);
	put(buf, STUB_NO_SELECTOR,
	    imm19(0xb4000000u, stub + STUB_NO_SELECTOR, stub + STUB_SLOW, X16));
	put(buf, STUB_READ, 0x39400000u | X16 << 5 | X16);	/* ldrb w16, [x16] */
	put(buf, STUB_ALLOW, imm19(0x35000000u, stub + STUB_ALLOW, stub + STUB_BLOCKED, X16));
	put(buf, STUB_NR, 0xd1000000u | (uint32_t)site->nr << 10 | X8 << 5 | X16);
	put(buf, STUB_SAME_NR, imm19(0xb5000000u, stub + STUB_SAME_NR, stub + STUB_SLOW, X16));
	if (restorer) {
		/* its rt_sigreturn is the emulation's: the dispatch entry's, which knows the site */
		put(buf, STUB_FAST, to_dispatch);
	} else {
		put(buf, STUB_FAST, imm19(0x58000000u, stub + STUB_FAST, stub + STUB_CELL, X16));
		put(buf, STUB_FAST_JMP, BR_X16);
	}
	put(buf, STUB_SLOW, imm19(0x58000000u, stub + STUB_SLOW, stub + STUB_TRAP_CELL, X16));
	put(buf, STUB_SLOW_JMP, BR_X16);
	put_tail(buf, back, site->ret);
	put(buf, STUB_BLOCKED, 0x51000400u | X16 << 5 | X16);	/* sub w16, w16, #1 */
	put(buf, STUB_IS_BLOCK, imm19(0x35000000u, stub + STUB_IS_BLOCK, stub + STUB_SLOW, X16));
	put(buf, STUB_DISPATCH, 0xd53bd040u | X16);		/* mrs x16, tpidr_el0 */
	put_offset(buf, STUB_SITE_LO, cell, X17);
	put(buf, STUB_SITE_ADD, 0x8b110210u);			/* add x16, x16, x17 */
	put(buf, STUB_SITE_ADR, adr(stub + STUB_SITE_ADR, stub + STUB_RET_CELL, X17));
	put(buf, STUB_SITE_STORE, 0xf9000211u);			/* str x17, [x16] */
	put(buf, STUB_ENTRY, imm19(0x58000000u, stub + STUB_ENTRY, stub + STUB_ENTRY_CELL, X17));
	put(buf, STUB_ENTRY_JMP, BR_X17);
	memcpy(buf + STUB_CELL, &allow, sizeof(allow));
	memcpy(buf + STUB_TRAP_CELL, &trap, sizeof(trap));
	memcpy(buf + STUB_ENTRY_CELL, &entry, sizeof(entry));
	return true;
}

bool arch_fast_handler_stub(unsigned char buf[ARCH_FAST_STUB_SIZE], unsigned long stub,
			    unsigned long handler)
{
	uint32_t to;

	if (!b_imm26(stub + STUB_BACK_JMP, handler, &to))
		return false;
	memset(buf, 0, ARCH_FAST_STUB_SIZE);	/* udf #0 */
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

	if (!b_imm26(site->patch, stub, &insn))
		return false;
	put(buf, 0, insn);
	return true;
}

/* Where the stub or a slot stands at each instruction: what it holds of the application's. */
enum {
	SAVED = 1,	/* x16, x17 at sp, sp 16 below the application's */
	DONE = 2,	/* the syscall ran: the place is past the site's svc */
};

static const unsigned char stub_state[STUB_CELL / 4] = {
	[STUB_SAVE / 4] = 0,
	[STUB_TP / 4 ... STUB_SLOW_JMP / 4] = SAVED,
	[STUB_BACK / 4] = SAVED | DONE,
	[STUB_BACK_JMP / 4] = DONE,
	[STUB_BLOCKED / 4 ... STUB_ENTRY_JMP / 4] = SAVED,
};

/* The slot's instructions (trampoline.S) */
enum {
	SLOT_BTI = 0,
	SLOT_LOAD = 4,		/* ldp x16, x17, [sp], #16 */
	SLOT_SVC = 8,
	SLOT_SAVE = 12,		/* stp x16, x17, [sp, #-16]! */
	SLOT_BACK_HI = 16,	/* adrp x17 */
	SLOT_BACK_LO = 20,	/* ldr x17 */
	SLOT_BACK_JMP = 24,	/* br x17 */
	SLOT_END = 28,		/* udf */
};
_Static_assert(SLOT_END + 4 == ARCH_FAST_SLOT_SIZE, "fastpath-layout.h's ARCH_FAST_SLOT_SIZE");

/*
 * On the svc x16, x17 and sp are the application's: a restart
 * (-ERESTART*, x8 as the kernel left it) rewinds here, and so does the
 * fallback slot's trap where a restart code had the kernel restart it.
 */
static const unsigned char slot_state[ARCH_FAST_SLOT_SIZE / 4] = {
	[SLOT_BTI / 4] = SAVED,
	[SLOT_LOAD / 4] = SAVED,
	[SLOT_SVC / 4] = 0,
	[SLOT_SAVE / 4] = DONE,
	[SLOT_BACK_HI / 4 ... SLOT_END / 4] = SAVED | DONE,
};

/* @uc at the site's svc (DONE: past it), with what the stub saved (SAVED) restored. */
static void at_site(ucontext_t *uc, unsigned long ret, unsigned int state)
{
	mcontext_t *m = &uc->uc_mcontext;
	unsigned long saved[2];

	if ((state & SAVED) && !sud_copy_from_user(saved, (const void *)m->sp, sizeof(saved))) {
		m->regs[X16] = saved[0];
		m->regs[X17] = saved[1];
		m->sp += sizeof(saved);
	}
	m->pc = (state & DONE) ? ret : ret - 4;
}

/*
 * In the stub nothing of the application's has happened but the branch,
 * and the syscall once a slot has issued it: the site, before its svc or
 * past it, with x16, x17 and sp as the stub found them.
 */
void arch_fast_adopt_stub(ucontext_t *uc, const unsigned char stub[ARCH_FAST_STUB_SIZE],
			  unsigned long offset, unsigned long stash)
{
	unsigned long ret = arch_fast_stub_ret(stub);

	(void)stash;
	at_site(uc, ret, offset < STUB_CELL && !(offset & 3) ? stub_state[offset / 4] : 0);
}

/*
 * In a slot, pass-through or fallback: before its svc, or on it to run
 * again (a restart), the site's svc, which runs again through the stub;
 * past it, the site's next instruction with the result. x16 and x17 are
 * on the stack but on the svc and just after it, where they and sp are
 * the application's already, and so is every other register: only pc
 * moves (a fallback slot's trap, sud_fastpath_trap_site()).
 */
void arch_fast_adopt_slot(ucontext_t *uc, unsigned long offset, unsigned long ret,
			  unsigned long stash)
{
	(void)stash;
	at_site(uc, ret,
		offset < ARCH_FAST_SLOT_SIZE && !(offset & 3) ? slot_state[offset / 4] : SAVED);
}

/* From the selector read on to the stub's fallback: x16 and x17 are still saved. */
void arch_fast_adopt_fallback(ucontext_t *uc, const unsigned char stub[ARCH_FAST_STUB_SIZE],
			      unsigned long stash)
{
	(void)stash;
	uc->uc_mcontext.pc = (unsigned long)stub + STUB_SLOW;
}
