// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The fast path's machine code (shim/arch/<arch>/fastpath.c) without
 * seccomp, so also under QEMU-user: a stub and a site's jump encoded and
 * decoded again, and, where the stub replaces the site's syscall
 * instruction (ARCH_FAST_TRAPS), a copy of a site rewritten and run
 * through every branch of its stub, a signal taken in a slot's syscall
 * whose frame lies where the site's own would, the places that a signal
 * landing in a stub stands for, the slots decoded and a signal at each of
 * their offsets placed, and a fallback slot's trap made the site's. The
 * site's own code is the only architecture-specific part, here in the
 * test.
 */
#include <signal.h>
#include <stdint.h>
#include <ucontext.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "arch-fastpath.h"
#include "code_page.h"
#include "fastpath.h"
#include "state.h"
#include "tap.h"

#if ARCH_HAS_FASTPATH

/* What a stub's branch back and a site's jump say, decoded again. */
static unsigned long branch_target(unsigned long at, const unsigned char *p)
{
	uint32_t insn;
	int32_t d;

	memcpy(&insn, p, sizeof(insn));
#if defined(__x86_64__)
	memcpy(&d, p + 1, sizeof(d));
	return p[0] == 0xe9 ? at + 5 + (unsigned long)(long)d : 0;
#elif defined(__aarch64__)
	d = (int32_t)(insn << 6) >> 4;		/* b: imm26, in words */
	return (insn >> 26) == 0x05 ? at + (unsigned long)(long)d : 0;
#elif defined(__riscv)
	/* jal x0: imm[20|10:1|11|19:12] */
	d = (int32_t)((insn & 0x80000000u) | (insn & 0xff000u) << 11 | (insn & 0x100000u) << 2 |
		      (insn & 0x7fe00000u) >> 9) >> 11;
	return (insn & 0xfff) == 0x6f ? at + (unsigned long)(long)d : 0;
#endif
}

static struct sud_fast_tls tls_offsets(void)
{
	unsigned long tp = arch_thread_pointer();
	struct sud_fast_tls tls = {
		.selector = (long)((unsigned long)&sud_self.fast_selector - tp),
		.stash = (long)((unsigned long)&sud_self.fast_stash - tp),
		.site = ARCH_FAST_DISPATCH ? (long)((unsigned long)arch_fast_site_cell() - tp) : 0,
	};

	return tls;
}

/* A stub's slot comes back out of it; a jump reaches its stub, and not beyond its reach. */
static void encodings(void)
{
	unsigned long patch = 0x40000000ul;
	unsigned long slot = (unsigned long)sud_fast_slots + ARCH_FAST_SLOT_SIZE;
	struct arch_fast_site site = { .ret = patch + ARCH_SYSCALL_INSN_SIZE, .patch = patch,
				       .len = ARCH_SYSCALL_INSN_SIZE, .nr = SYS_getpid };
	struct sud_fast_tls tls = tls_offsets();
	unsigned char stub[ARCH_FAST_STUB_SIZE], jump[16];
	unsigned long near_stub = patch + (ARCH_FAST_REACH >> 1);

#if defined(__x86_64__)
	site.len = 5;
	site.ret = patch + 7;
#endif
	tap_ok(arch_fast_stub(stub, near_stub, &site, slot, slot, &tls) &&
	       arch_fast_stub_slot(stub) == slot, "a stub's slot reads back as written");
	tap_ok(arch_fast_jump(jump, &site, near_stub) &&
	       branch_target(patch, jump) == near_stub, "the site's jump reaches its stub");
	tap_ok(arch_fast_jump(jump, &site, patch - (ARCH_FAST_REACH >> 1)) &&
	       branch_target(patch, jump) == patch - (ARCH_FAST_REACH >> 1),
	       "and one below the site");
	tap_ok(!arch_fast_jump(jump, &site, patch + 2 * ARCH_FAST_REACH) &&
	       !arch_fast_stub(stub, patch + 2 * ARCH_FAST_REACH, &site, slot, slot, &tls),
	       "a stub beyond ARCH_FAST_REACH is refused");
}

#if defined(__x86_64__)
/*
 * glibc's read(): `cmpb $0, flag(%rip); je away; xor %eax, %eax; syscall`,
 * whose cmpb becomes the jump and whose stub runs the three instructions,
 * relocated, first; a signal in them stands for the same instruction at
 * the site, and in the stub's body for the site's syscall.
 */
static void guarded_read(void)
{
	static const unsigned char code[] = {
		0x80, 0x3d, 0x10, 0x00, 0x00, 0x00, 0x00,	/* cmpb $0, 0x10(%rip) */
		0x74, 0x05,					/* je +5 */
		0x31, 0xc0,					/* xor %eax, %eax */
		0x0f, 0x05,					/* syscall */
		0xc3,
	};
	unsigned char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				   -1, 0);
	unsigned char stub[ARCH_FAST_STUB_SIZE], jump[16];
	struct sud_fast_tls tls = tls_offsets();
	unsigned long p, ret, guard = 0, at[4];
	struct arch_fast_site site;
	ucontext_t uc;
	int32_t d;

	if (!tap_ok(page != MAP_FAILED, "a page for a read() site"))
		return;
	p = (unsigned long)page + 64;
	ret = p + 13;
	memcpy(page + 64, code, sizeof(code));
	tap_ok(arch_fast_site(ret, SYS_read, 0, 0, &site) && site.patch == p && site.len == 7,
	       "glibc's read() is a site, its cmpb the bytes that change");
	tap_ok(!arch_fast_site(ret, SYS_write, 0, 0, &site), "not for another number: the xor sets 0");
	page[64 + 9] = 0x89;
	tap_ok(!arch_fast_site(ret, SYS_read, 0, 0, &site), "nor without the xor");
	page[64 + 9] = 0x31;
	page[64 + 7] = 0xeb;
	tap_ok(!arch_fast_site(ret, SYS_read, 0, 0, &site), "nor with a jmp for the jcc");
	page[64 + 7] = 0x74;
	if (!tap_ok(arch_fast_site(ret, SYS_read, 0, 0, &site) &&
		    arch_fast_stub(stub, p + 0x100000, &site, 0, 0, &tls) &&
		    arch_fast_jump(jump, &site, p + 0x100000), "its stub and jump"))
		goto out;
	guard = branch_target(p, jump) - (p + 0x100000);
	tap_ok(guard < ARCH_FAST_STUB_SIZE && jump[5] == 0xcc && jump[6] == 0xcc,
	       "the jump enters the stub (at %lu), int3 after it", guard);
	if (guard + 20 > ARCH_FAST_STUB_SIZE)
		goto out;
	memcpy(&d, stub + guard + 2, sizeof(d));
	tap_ok(stub[guard] == 0x80 && stub[guard + 1] == 0x3d && stub[guard + 6] == 0 &&
	       p + 0x100000 + guard + 7 + (unsigned long)(long)d == p + 7 + 0x10,
	       "the guard's cmpb reads the site's flag");
	memcpy(&d, stub + guard + 9, sizeof(d));
	tap_ok(stub[guard + 7] == 0x0f && stub[guard + 8] == 0x84 &&
	       p + 0x100000 + guard + 13 + (unsigned long)(long)d == p + 9 + 5,
	       "its je goes where the site's does");
	tap_ok(stub[guard + 13] == 0x31 && stub[guard + 14] == 0xc0 &&
	       branch_target(p + 0x100000 + guard + 15, stub + guard + 15) == p + 0x100000,
	       "then the xor, and the stub's body");
	/* where a signal in the guard, and in the body, stands */
	at[0] = guard;
	at[1] = guard + 7;
	at[2] = guard + 13;
	at[3] = guard + 15;
	for (int i = 0; i < 4; i++) {
		unsigned long want[] = { p, p + 7, p + 9, p + 11 };

		memset(&uc, 0, sizeof(uc));
		uc.uc_mcontext.gregs[REG_RCX] = 77;
		arch_fast_adopt_stub(&uc, stub, at[i], 99);
		tap_ok(arch_uc_ip(&uc) == want[i] && uc.uc_mcontext.gregs[REG_RCX] == 77,
		       "a signal at the guard's +%lu is one at the site's +%lu, rcx its own",
		       at[i] - guard, want[i] - p);
	}
	memset(&uc, 0, sizeof(uc));
	arch_fast_adopt_stub(&uc, stub, ARCH_FAST_STUB_READ, 99);
	tap_ok(arch_uc_ip(&uc) == p + 11 && uc.uc_mcontext.gregs[REG_RCX] == 99,
	       "in the body, one at the syscall, with the rcx the stub displaced");
out:
	munmap(page, 4096);
}
#else
static void guarded_read(void)
{
	tap_skip("x86-64's form", "glibc's read() site");
}
#endif

#else

static void encodings(void)
{
	tap_skip("no fast path on this architecture", "encodings");
}

static void guarded_read(void)
{
	tap_skip("no fast path on this architecture", "glibc's read() site");
}

#endif

#if ARCH_HAS_FASTPATH && ARCH_FAST_TRAPS

/*
 * long fp_site(long nr, long a, long b): the syscall @nr(@a, @b) at
 * fp_site_insn, with scratch registers (and, on arm64, the flags) set
 * before it and checked after it: -1000 when something other than the
 * result changed. fp_fake_slot: a slot that returns 4242 instead of
 * issuing anything, where it finds the scratch registers and sp as the
 * site had them once it took them back from the stack (-1001 otherwise).
 */
#define CHANGED		(-1000)
#define FAKE		4242
#define FAKE_WRONG	(-1001)
long fp_site(long nr, long a, long b);
extern char fp_site_insn[], fp_site_end[], fp_fake_slot[];
#if defined(__aarch64__)
__asm__(".text\n.p2align 2\n.globl fp_site\n.type fp_site, %function\nfp_site:\n"
	"hint #34\nmov x8, x0\nmov x0, x1\nmov x1, x2\n"
	"mov x16, #0x616\nmov x17, #0x717\nmov x9, sp\n"
	"mov x10, #0x60000000\nmsr nzcv, x10\n"
	".globl fp_site_insn\nfp_site_insn:\nsvc #0\n"
	"mrs x10, nzcv\nmov x11, sp\n"
	"cmp x16, #0x616\nb.ne 1f\ncmp x17, #0x717\nb.ne 1f\ncmp x11, x9\nb.ne 1f\n"
	"mov x12, #0x60000000\ncmp x10, x12\nb.ne 1f\nret\n"
	"1: mov x0, #-1000\nret\n"
	".globl fp_site_end\nfp_site_end:\n.size fp_site, .-fp_site\n"
	/* as a slot: the registers back, no flags changed, saved again, back through the table */
	".globl fp_fake_slot\nfp_fake_slot:\nhint #34\nldp x16, x17, [sp], #16\nmov x0, #4242\n"
	"sub x12, x16, #0x616\ncbnz x12, 1f\nsub x12, x17, #0x717\ncbnz x12, 1f\n"
	"mov x12, sp\nsub x12, x12, x9\ncbz x12, 2f\n"
	"1: mov x0, #-1001\n"
	"2: stp x16, x17, [sp, #-16]!\nadrp x17, sud_fast_back\n"
	"ldr x17, [x17, #:lo12:sud_fast_back]\nbr x17\n");
#define REG_A(uc)	((uc)->uc_mcontext.regs[16])
#define REG_B(uc)	((uc)->uc_mcontext.regs[17])
#define APP_A		0x616ul
#define APP_B		0x717ul
#define SLOT_SYSCALL	8	/* after its bti and ldp */
#define STUB_BACK	56	/* back from a slot: ldp; b site+4 */
#define STUB_LAST	60
#elif defined(__riscv)
__asm__(".text\n.p2align 2\n.globl fp_site\n.type fp_site, %function\nfp_site:\n"
	"mv a7, a0\nmv a0, a1\nmv a1, a2\nli t0, 0x505\nli t1, 0x606\nmv t2, sp\n"
	".globl fp_site_insn\nfp_site_insn:\necall\n"
	"li t3, 0x505\nbne t0, t3, 1f\nli t3, 0x606\nbne t1, t3, 1f\nbne sp, t2, 1f\nret\n"
	"1: li a0, -1000\nret\n"
	".globl fp_site_end\nfp_site_end:\n.size fp_site, .-fp_site\n"
	".globl fp_fake_slot\nfp_fake_slot:\nld t0, 0(sp)\nld t1, 8(sp)\naddi sp, sp, 16\n"
	"li a0, 4242\nli t3, 0x505\nbne t0, t3, 1f\nli t3, 0x606\nbne t1, t3, 1f\n"
	"beq sp, t2, 2f\n"
	"1: li a0, -1001\n"
	"2: addi sp, sp, -16\nsd t0, 0(sp)\nsd t1, 8(sp)\n"
	"3: auipc t1, %pcrel_hi(sud_fast_back)\nld t1, %pcrel_lo(3b)(t1)\njr t1\n");
#define REG_A(uc)	((uc)->uc_mcontext.__gregs[5])
#define REG_B(uc)	((uc)->uc_mcontext.__gregs[6])
#define APP_A		0x505ul
#define APP_B		0x606ul
#define SLOT_SYSCALL	12	/* after its ld, ld, addi */
#define STUB_BACK	72	/* back from a slot: ld, ld, addi; j site+4 */
#define STUB_LAST	84
#else
#error "no site code for this architecture"
#endif

#define REGION		(64ul << 10)

static const char allow = 0, block = 1, other = 2;

/*
 * The site runs from a copy in a page of its own: a stub must lie within
 * reach of it, and riscv's 1 MiB may find no free place near this
 * program's text. Its code branches only within itself.
 */
static long (*site_fn)(long nr, long a, long b);

static long through2(const char *selector, long nr, long a, long b)
{
	long r;

	sud_self.fast_selector = selector;
	r = site_fn(nr, a, b);
	sud_self.fast_selector = NULL;
	return r;
}

static long through(const char *selector, long nr)
{
	return through2(selector, nr, 0, 0);
}

/* The stub for slot 0, which falls back on fallback slot 0; @fake: ALLOW enters fp_fake_slot. */
static bool put_stub(unsigned long stub, const struct arch_fast_site *site, unsigned long slot,
		     bool fake)
{
	unsigned char code[ARCH_FAST_STUB_SIZE];
	struct sud_fast_tls tls = tls_offsets();
	unsigned long to = (unsigned long)fp_fake_slot;

	if (!arch_fast_stub(code, stub, site, slot, slot, &tls))
		return false;
	for (unsigned int at = 0; fake && at + sizeof(slot) <= sizeof(code); at += 8)
		if (!memcmp(code + at, &slot, sizeof(slot)))
			memcpy(code + at, &to, sizeof(to));
	return arch_fast_stub_slot(code) == (fake ? to : slot) &&
	       !sud_code_write(stub, code, sizeof(code));
}

/* The copy of fp_site, in a page mapped the way the loader maps code: private, not writable. */
static unsigned long copy_site(void)
{
	unsigned long len = (unsigned long)(fp_site_end - (char *)fp_site);
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 0;
	memcpy(p, (const void *)fp_site, len);
	if (mprotect(p, 4096, PROT_READ | PROT_EXEC))
		return 0;
	arch_code_sync((unsigned long)p, len);
	return (unsigned long)p;
}

static void run_site(unsigned long *stub_out, struct arch_fast_site *site)
{
	unsigned long code = copy_site();
	unsigned long insn = code + (unsigned long)(fp_site_insn - (char *)fp_site);
	unsigned long ret = insn + ARCH_SYSCALL_INSN_SIZE, stub;
	unsigned long end = code + (unsigned long)(fp_site_end - (char *)fp_site);
	long pid = syscall(SYS_getpid), tid = syscall(SYS_gettid);
	unsigned char jump[16];

	if (!tap_ok(code, "a copy of the site"))
		return;
	site_fn = (long (*)(long, long, long))code;
	tap_ok(site_fn(SYS_getpid, 0, 0) == pid, "the site as built: getpid, registers kept");
	tap_ok(!arch_fast_site(ret + 4, SYS_getpid, 0, 0, site),
	       "no site where the instruction before is not a syscall");
	tap_ok(!arch_fast_site(ret, SYS_getpid, ret, ret + 64, site),
	       "no site outside its function");
	if (!tap_ok(arch_fast_site(ret, SYS_getpid, code, end, site) && site->patch == insn,
		    "the syscall is a site"))
		return;
	if (!tap_ok(!sud_code_map_near(site->patch, ARCH_FAST_REACH - REGION, REGION, &stub),
		    "a stub region within reach"))
		return;
	*stub_out = stub;
	/* slot 0's, as the rewrite writes them before the stub */
	sud_fast_ret[0] = site->ret;
	sud_fast_back[0] = arch_fast_stub_back(stub);
	if (!tap_ok(put_stub(stub, site, (unsigned long)sud_fast_slots, true) &&
		    arch_fast_jump(jump, site, stub) &&
		    !sud_code_write(site->patch, jump, site->len),
		    "stub and jump written"))
		return;
	tap_ok(through(&allow, SYS_getpid) == FAKE,
	       "ALLOW passes through the slot, which finds the site's registers and sp, "
	       "registers kept");
	tap_ok(through(&block, SYS_getpid) == pid,
	       "BLOCK falls back on the fallback slot's syscall, registers kept");
	tap_ok(through(&other, SYS_getpid) == pid, "so does any other selector value");
	tap_ok(through(NULL, SYS_getpid) == pid, "and no selector");
	tap_ok(through(&allow, SYS_gettid) == tid, "another syscall at ALLOW falls back too");
	tap_ok(put_stub(stub, site, (unsigned long)sud_fast_slots, false) &&
	       through(&allow, SYS_getpid) == pid, "the trampoline's slot issues the syscall");
}

/*
 * A signal the site's syscall sends to its own thread is delivered on
 * return from it: in the slot, where the kernel (or QEMU) builds its frame
 * below the sp the syscall ran with. That sp is the application's, so the
 * frame lies where the site's own syscall puts it, with the scratch
 * registers the application's; fastpath.c then places it past the site.
 */
static volatile struct landed {
	unsigned long frame, sp, ip, a, b;	/* as delivered */
	unsigned long adopted_ip, adopted_sp;	/* after sud_fastpath_adopt() */
	int n;
} landed;

static void record_landing(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)info;
	landed.frame = (unsigned long)ucv;
	landed.sp = arch_uc_sp(uc);
	landed.ip = arch_uc_ip(uc);
	landed.a = REG_A(uc);
	landed.b = REG_B(uc);
	sud_fastpath_adopt(uc, false);
	landed.adopted_ip = arch_uc_ip(uc);
	landed.adopted_sp = arch_uc_sp(uc);
	landed.n++;
}

/* tkill(self, SIGUSR1) through the site: 0, and the landing recorded */
static bool signal_through(const char *selector)
{
	long tid = syscall(SYS_gettid);

	memset((void *)&landed, 0, sizeof(landed));
	return through2(selector, SYS_tkill, tid, SIGUSR1) == 0 && landed.n == 1;
}

static void signal_in_slot(unsigned long stub, const struct arch_fast_site *site,
			   const unsigned char *before)
{
	struct sigaction sa = { .sa_sigaction = record_landing, .sa_flags = SA_SIGINFO }, old;
	struct arch_fast_site tk = *site;
	unsigned long frame, sp, slot = (unsigned long)sud_fast_slots;
	unsigned long trap = (unsigned long)sud_fast_traps;
	unsigned char now[ARCH_SYSCALL_INSN_SIZE];

	sigemptyset(&sa.sa_mask);
	if (!tap_ok(!sigaction(SIGUSR1, &sa, &old), "a SIGUSR1 handler"))
		return;
	/* the site's own syscall first: where the kernel puts the frame natively */
	memcpy(now, (const void *)site->patch, sizeof(now));
	tk.nr = SYS_tkill;
	if (!tap_ok(!sud_code_write(site->patch, before, sizeof(now)) && signal_through(NULL) &&
		    landed.ip == site->ret && landed.adopted_ip == site->ret,
		    "a signal sent from the site's own syscall lands past it"))
		goto out;
	frame = landed.frame;
	sp = landed.sp;
	tap_ok(landed.a == APP_A && landed.b == APP_B, "with the site's scratch registers");
	if (!tap_ok(put_stub(stub, &tk, slot, false) &&
		    !sud_code_write(site->patch, now, sizeof(now)), "the stub rewritten for tkill"))
		goto out;
	tap_ok(signal_through(&allow) && landed.ip == slot + SLOT_SYSCALL + ARCH_SYSCALL_INSN_SIZE,
	       "at ALLOW, one sent from the slot's syscall lands past it in the slot");
	tap_ok(landed.frame == frame && landed.sp == sp,
	       "its frame where the site's own syscall puts it (%ld bytes off, sp %ld off)",
	       (long)(landed.frame - frame), (long)(landed.sp - sp));
	tap_ok(landed.a == APP_A && landed.b == APP_B, "with the site's scratch registers");
	tap_ok(landed.adopted_ip == site->ret && landed.adopted_sp == sp,
	       "adopted: past the site's syscall, sp the same, and the site goes on from there");
	tap_ok(signal_through(&block) && landed.ip == trap + SLOT_SYSCALL + ARCH_SYSCALL_INSN_SIZE &&
	       landed.frame == frame && landed.sp == sp && landed.a == APP_A &&
	       landed.b == APP_B && landed.adopted_ip == site->ret,
	       "at BLOCK, from the fallback slot's syscall: the same frame, registers and place");
	put_stub(stub, site, slot, false);
out:
	sigaction(SIGUSR1, &old, NULL);
}

/* A signal at @offset of the stub: the place, sp and the two scratch registers. */
static bool adopted(unsigned long offset, const struct arch_fast_site *site,
		    unsigned long *stack, bool saved, unsigned long want_ip)
{
	/* the stub's cells as written for the site (its address: any one within reach) */
	unsigned char code[ARCH_FAST_STUB_SIZE];
	struct sud_fast_tls tls = { 0 };
	ucontext_t uc;

	memset(&uc, 0, sizeof(uc));
	REG_A(&uc) = 0xaa;
	REG_B(&uc) = 0xbb;
	arch_uc_set_sp(&uc, (unsigned long)stack);
	if (!arch_fast_stub(code, site->patch, site, (unsigned long)sud_fast_slots,
			    (unsigned long)sud_fast_slots, &tls) ||
	    arch_fast_stub_ret(code) != site->ret)
		return false;
	arch_fast_adopt_stub(&uc, code, offset, 0);
	if (saved)
		return arch_uc_ip(&uc) == want_ip &&
		       arch_uc_sp(&uc) == (unsigned long)(stack + 2) &&
		       REG_A(&uc) == stack[0] && REG_B(&uc) == stack[1];
	return arch_uc_ip(&uc) == want_ip && arch_uc_sp(&uc) == (unsigned long)stack &&
	       REG_A(&uc) == 0xaa && REG_B(&uc) == 0xbb;
}

static void landings(const struct arch_fast_site *site)
{
	unsigned long stack[2] = { 0x1111, 0x2222 };
	unsigned long at = site->patch, past = site->ret;

	tap_ok(adopted(0, site, stack, false, at),
	       "at the stub's entry: the site's syscall");
	tap_ok(adopted(ARCH_FAST_STUB_READ, site, stack, true, at),
	       "at its selector read: the same, scratch registers from the stack");
	tap_ok(adopted(STUB_BACK, site, stack, true, past) &&
	       adopted(STUB_LAST, site, stack, false, past),
	       "back from the slot: past the site's syscall");
}

/*
 * The slots decoded, instruction by instruction, into what each does
 * with the two scratch registers (A, B: x16, x17 or t0, t1), sp and the
 * syscall; a model of the application's state follows them from the
 * stub's entry (both saved at sp, sp 16 below the application's), and at
 * every offset a signal landing there must be placed at the site's
 * syscall (before it ran) or past it, with A, B and sp the application's,
 * taken from wherever the model says they still are: registers the model
 * has lost are poisoned in the context, and so are stack words it holds
 * free.
 */
enum slot_op {
	OP_NONE,	/* bti */
	OP_LOAD_A,	/* A from 0(sp) */
	OP_LOAD_B,	/* B from 8(sp) */
	OP_POP,		/* sp += 16 */
	OP_LOAD_POP,	/* both, then sp += 16 (ldp post-index) */
	OP_SYSCALL,
	OP_PUSH,	/* sp -= 16 */
	OP_SAVE_A,	/* A to 0(sp) */
	OP_SAVE_B,	/* B to 8(sp) */
	OP_PUSH_SAVE,	/* sp -= 16, then both (stp pre-index) */
	OP_BACK_HI,	/* B = the page (adrp) or pc-relative high part (auipc) of the table */
	OP_BACK_LO,	/* B = B + low part, loaded: the slot's return */
	OP_JUMP_B,	/* br x17, jr t1: the end */
	OP_TRAP,	/* udf, unimp: padding */
	OP_UNKNOWN,
};

static const char *const op_name[] = {
	"bti", "load A", "load B", "pop", "load both and pop", "the syscall", "push", "save A",
	"save B", "push and save both", "table high", "table load", "jump back", "padding", "?",
};

static enum slot_op slot_op(unsigned long at, unsigned long *hi, unsigned long *target)
{
	uint32_t insn;

	memcpy(&insn, (const void *)at, sizeof(insn));
#if defined(__aarch64__)
	if (insn == 0xd503245fu)
		return OP_NONE;
	if (insn == 0xa8c147f0u)	/* ldp x16, x17, [sp], #16 */
		return OP_LOAD_POP;
	if (insn == 0xd4000001u)
		return OP_SYSCALL;
	if (insn == 0xa9bf47f0u)	/* stp x16, x17, [sp, #-16]! */
		return OP_PUSH_SAVE;
	if ((insn & 0x9f00001fu) == 0x90000011u) {	/* adrp x17 */
		long imm = (long)((unsigned long)((insn >> 29 & 3) | (insn >> 5 & 0x7ffff) << 2) << 43) >> 31;

		*hi = (at & ~0xffful) + (unsigned long)imm;
		return OP_BACK_HI;
	}
	if ((insn & 0xffc003ffu) == 0xf9400231u) {	/* ldr x17, [x17, #imm] */
		*target = *hi + (insn >> 10 & 0xfff) * 8;
		return OP_BACK_LO;
	}
	if (insn == 0xd61f0220u)	/* br x17 */
		return OP_JUMP_B;
	if (insn == 0)
		return OP_TRAP;
#elif defined(__riscv)
	if (insn == 0x00013283u)	/* ld t0, 0(sp) */
		return OP_LOAD_A;
	if (insn == 0x00813303u)	/* ld t1, 8(sp) */
		return OP_LOAD_B;
	if (insn == 0x01010113u)	/* addi sp, sp, 16 */
		return OP_POP;
	if (insn == 0x00000073u)
		return OP_SYSCALL;
	if (insn == 0xff010113u)	/* addi sp, sp, -16 */
		return OP_PUSH;
	if (insn == 0x00513023u)	/* sd t0, 0(sp) */
		return OP_SAVE_A;
	if (insn == 0x00613423u)	/* sd t1, 8(sp) */
		return OP_SAVE_B;
	if ((insn & 0xfffu) == 0x317u) {	/* auipc t1 */
		*hi = at + (unsigned long)(long)(int32_t)(insn & 0xfffff000u);
		return OP_BACK_HI;
	}
	if ((insn & 0xfffffu) == 0x33303u) {	/* ld t1, imm(t1) */
		*target = *hi + (unsigned long)(long)((int32_t)insn >> 20);
		return OP_BACK_LO;
	}
	if (insn == 0x00030067u)	/* jr t1 */
		return OP_JUMP_B;
	if (insn == 0xc0001073u || insn == 0)	/* unimp */
		return OP_TRAP;
#endif
	return OP_UNKNOWN;
}

/* What the application's A, B and sp are at a point in the slot. */
struct slot_model {
	bool low;		/* sp 16 below the application's */
	bool a_reg, b_reg;	/* the register holds the application's value */
	bool a_mem, b_mem;	/* 0(sp), 8(sp) do (only while low) */
	bool done;		/* the syscall ran */
};

static void slot_step(struct slot_model *m, enum slot_op op)
{
	switch (op) {
	case OP_LOAD_A:
		m->a_reg = m->a_reg || (m->low && m->a_mem);
		break;
	case OP_LOAD_B:
		m->b_reg = m->b_reg || (m->low && m->b_mem);
		break;
	case OP_LOAD_POP:
		m->a_reg = m->a_reg || (m->low && m->a_mem);
		m->b_reg = m->b_reg || (m->low && m->b_mem);
		/* fall through */
	case OP_POP:
		m->low = m->a_mem = m->b_mem = false;	/* below sp: free for a signal's frame */
		break;
	case OP_SYSCALL:
		m->done = true;
		break;
	case OP_PUSH:
		m->low = true;
		m->a_mem = m->b_mem = false;
		break;
	case OP_PUSH_SAVE:
		m->low = true;
		m->a_mem = m->a_reg;
		m->b_mem = m->b_reg;
		break;
	case OP_SAVE_A:
		m->a_mem = m->low && m->a_reg;
		break;
	case OP_SAVE_B:
		m->b_mem = m->low && m->b_reg;
		break;
	case OP_BACK_HI:
	case OP_BACK_LO:
		m->b_reg = false;
		break;
	default:
		break;
	}
}

/* A signal at @offset of slot @slot, in the model's state: placed as the model says? */
static bool slot_landing(unsigned long offset, const struct slot_model *m,
			 const struct arch_fast_site *site)
{
	unsigned long stack[2], *sp = m->low ? stack : stack + 2;
	ucontext_t uc;

	memset(&uc, 0, sizeof(uc));
	stack[0] = m->low && m->a_mem ? APP_A : 0xbad0;
	stack[1] = m->low && m->b_mem ? APP_B : 0xbad1;
	REG_A(&uc) = m->a_reg ? APP_A : 0xdead0;
	REG_B(&uc) = m->b_reg ? APP_B : 0xdead1;
	arch_uc_set_sp(&uc, (unsigned long)sp);
	arch_uc_set_return(&uc, 0x5a5a);
	arch_fast_adopt_slot(&uc, offset, site->ret, 0);
	return arch_uc_ip(&uc) == (m->done ? site->ret : site->patch) &&
	       arch_uc_sp(&uc) == (unsigned long)(stack + 2) && REG_A(&uc) == APP_A &&
	       REG_B(&uc) == APP_B && arch_uc_return(&uc) == 0x5a5a;
}

/* Slot @k of @slots: each instruction as expected, its return from sud_fast_back[k]. */
static bool slot_decodes(const char *slots, unsigned long k, bool report,
			 const struct arch_fast_site *site)
{
	unsigned long base = (unsigned long)slots + k * ARCH_FAST_SLOT_SIZE, hi = 0, target = 0;
	struct slot_model m = { .low = true, .a_mem = true, .b_mem = true };
	bool ok = true, ended = false;
	int syscalls = 0;

	for (unsigned long off = 0; off < ARCH_FAST_SLOT_SIZE; off += 4) {
		enum slot_op op = slot_op(base + off, &hi, &target);

		if (ended) {
			ok &= op == OP_TRAP;
			continue;
		}
		/* every register of the application's is somewhere */
		ok &= (m.a_reg || (m.low && m.a_mem)) && (m.b_reg || (m.low && m.b_mem));
		if (report)
			ok &= tap_ok(slot_landing(off, &m, site),
				     "a signal at slot +%lu (%s) lands %s the site's syscall, sp and "
				     "scratch registers the application's (from %s)",
				     off, op_name[op], m.done ? "past" : "on",
				     !m.low ? "the registers" :
				     m.a_reg && m.b_reg ? "the registers, sp + 16" :
				     "the stack, sp + 16");
		if (op == OP_SYSCALL) {
			syscalls++;
			if (report)
				ok &= tap_ok(!m.low && m.a_reg && m.b_reg,
					     "the slot's syscall runs with the application's sp and "
					     "scratch registers");
		}
		ok &= op != OP_UNKNOWN;
		slot_step(&m, op);
		ended = op == OP_JUMP_B;
	}
	return ok && ended && syscalls == 1 && m.done && m.low && m.a_mem && m.b_mem &&
	       target == (unsigned long)&sud_fast_back[k];
}

static void slot_landings(const struct arch_fast_site *site)
{
	unsigned long last = ARCH_FAST_SLOTS - 1;

	tap_ok(slot_decodes(sud_fast_slots, 0, true, site),
	       "slot 0 issues one syscall and returns through sud_fast_back[0], both saved again");
	tap_ok(slot_decodes(sud_fast_slots, 1, false, site) &&
	       slot_decodes(sud_fast_slots, last, false, site),
	       "so do slots 1 and %lu, through their own entries", last);
	tap_ok(slot_decodes(sud_fast_traps, 0, false, site) &&
	       slot_decodes(sud_fast_traps, 1, false, site) &&
	       slot_decodes(sud_fast_traps, last, false, site) &&
	       !memcmp(sud_fast_traps + ARCH_FAST_SLOT_SIZE, sud_fast_slots + ARCH_FAST_SLOT_SIZE, 8),
	       "and the fallback slots, laid out alike");
}

/*
 * A trap of fallback slot 0 becomes its site's: si_call_addr and the
 * place; sp and the scratch registers are the application's already.
 */
static void trap_of_fallback(const struct arch_fast_site *site)
{
	unsigned long stack[2] = { 0x3333, 0x4444 };
	unsigned long call = (unsigned long)sud_fast_traps + SLOT_SYSCALL + ARCH_SYSCALL_INSN_SIZE;
	siginfo_t info;
	ucontext_t uc;

	memset(&info, 0, sizeof(info));
	memset(&uc, 0, sizeof(uc));
	info.si_call_addr = (void *)call;
	arch_uc_set_ip(&uc, call);
	arch_uc_set_sp(&uc, (unsigned long)stack);
	REG_A(&uc) = APP_A;
	REG_B(&uc) = APP_B;
	sud_fast_ret[0] = site->ret;
	sud_fastpath_trap_site(&info, &uc);
	tap_ok((unsigned long)info.si_call_addr == site->ret && arch_uc_ip(&uc) == site->ret &&
	       arch_uc_sp(&uc) == (unsigned long)stack && REG_A(&uc) == APP_A &&
	       REG_B(&uc) == APP_B, "a trap of the fallback slot is the site's, sp and registers kept");
	info.si_call_addr = (void *)call;
	arch_uc_set_ip(&uc, call - ARCH_SYSCALL_INSN_SIZE);
	sud_fastpath_trap_site(&info, &uc);
	tap_ok((unsigned long)info.si_call_addr == site->ret && arch_uc_ip(&uc) == site->patch &&
	       arch_uc_sp(&uc) == (unsigned long)stack && REG_A(&uc) == APP_A &&
	       REG_B(&uc) == APP_B, "one the kernel rewound onto the syscall: the site's syscall");
	info.si_call_addr = (void *)site->ret;
	arch_uc_set_ip(&uc, site->ret);
	sud_fastpath_trap_site(&info, &uc);
	tap_ok((unsigned long)info.si_call_addr == site->ret && arch_uc_ip(&uc) == site->ret,
	       "any other trap is left as it is");
}

static void stubs(void)
{
	struct arch_fast_site site;
	unsigned long stub = 0;
	unsigned char before[ARCH_SYSCALL_INSN_SIZE];

	memcpy(before, fp_site_insn, sizeof(before));
	run_site(&stub, &site);
	if (stub) {
		signal_in_slot(stub, &site, before);
		landings(&site);
		slot_landings(&site);
		trap_of_fallback(&site);
	} else {
		tap_skip("no stub", "landings");
	}
}

#else

static void stubs(void)
{
	tap_skip("the site keeps its own syscall instruction here", "stubs that replace it");
}

#endif

int main(void)
{
	encodings();
	guarded_read();
	stubs();
	return tap_done();
}
