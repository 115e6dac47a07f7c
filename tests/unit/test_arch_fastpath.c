// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The fast path's machine code (shim/arch/<arch>/fastpath.c) without
 * seccomp, so also under QEMU-user: a stub and a site's jump encoded and
 * decoded again, and, where the stub replaces the site's syscall
 * instruction (ARCH_FAST_TRAPS), a copy of a site rewritten and run
 * through every branch of its stub, the places that a signal landing in a
 * stub or a slot stands for, and a fallback slot's trap made the site's.
 * The site's own code is the only architecture-specific part, here in
 * the test.
 */
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
	tap_ok(arch_fast_stub(stub, near_stub, &site, slot, &tls) &&
	       arch_fast_stub_slot(stub) == slot, "a stub's slot reads back as written");
	tap_ok(arch_fast_jump(jump, &site, near_stub) &&
	       branch_target(patch, jump) == near_stub, "the site's jump reaches its stub");
	tap_ok(arch_fast_jump(jump, &site, patch - (ARCH_FAST_REACH >> 1)) &&
	       branch_target(patch, jump) == patch - (ARCH_FAST_REACH >> 1),
	       "and one below the site");
	tap_ok(!arch_fast_jump(jump, &site, patch + 2 * ARCH_FAST_REACH) &&
	       !arch_fast_stub(stub, patch + 2 * ARCH_FAST_REACH, &site, slot, &tls),
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
		    arch_fast_stub(stub, p + 0x100000, &site, 0, &tls) &&
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
 * long fp_site(long nr): the syscall @nr at fp_site_insn, with scratch
 * registers (and, on arm64, the flags) set before it and checked after
 * it: -1000 when something other than the result changed.
 * fp_fake_slot: a slot that returns 4242 instead of issuing anything.
 */
#define CHANGED		(-1000)
#define FAKE		4242
long fp_site(long nr);
extern char fp_site_insn[], fp_site_end[], fp_fake_slot[];
#if defined(__aarch64__)
__asm__(".text\n.p2align 2\n.globl fp_site\n.type fp_site, %function\nfp_site:\n"
	"mov x8, x0\nmov x16, #0x616\nmov x17, #0x717\nmov x9, sp\n"
	"mov x10, #0x60000000\nmsr nzcv, x10\n"
	".globl fp_site_insn\nfp_site_insn:\nsvc #0\n"
	"mrs x10, nzcv\nmov x11, sp\n"
	"cmp x16, #0x616\nb.ne 1f\ncmp x17, #0x717\nb.ne 1f\ncmp x11, x9\nb.ne 1f\n"
	"mov x12, #0x60000000\ncmp x10, x12\nb.ne 1f\nret\n"
	"1: mov x0, #-1000\nret\n"
	".globl fp_site_end\nfp_site_end:\n.size fp_site, .-fp_site\n"
	".globl fp_fake_slot\nfp_fake_slot:\nhint #34\nmov x0, #4242\nbr x17\n");
#define REG_A(uc)	((uc)->uc_mcontext.regs[16])
#define REG_B(uc)	((uc)->uc_mcontext.regs[17])
#define SLOT_SYSCALL	4	/* after its bti */
#define STUB_BACK	60	/* back from a slot: ldp; b site+4 */
#define STUB_LAST	64
#elif defined(__riscv)
__asm__(".text\n.p2align 2\n.globl fp_site\n.type fp_site, %function\nfp_site:\n"
	"mv a7, a0\nli t0, 0x505\nli t1, 0x606\nmv t2, sp\n"
	".globl fp_site_insn\nfp_site_insn:\necall\n"
	"li t3, 0x505\nbne t0, t3, 1f\nli t3, 0x606\nbne t1, t3, 1f\nbne sp, t2, 1f\nret\n"
	"1: li a0, -1000\nret\n"
	".globl fp_site_end\nfp_site_end:\n.size fp_site, .-fp_site\n"
	".globl fp_fake_slot\nfp_fake_slot:\nli a0, 4242\njr t1\n");
#define REG_A(uc)	((uc)->uc_mcontext.__gregs[5])
#define REG_B(uc)	((uc)->uc_mcontext.__gregs[6])
#define SLOT_SYSCALL	0
#define STUB_BACK	80	/* back from a slot: ld, ld, addi; j site+4 */
#define STUB_LAST	92
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
static long (*site_fn)(long nr);

static long through(const char *selector, long nr)
{
	long r;

	sud_self.fast_selector = selector;
	r = site_fn(nr);
	sud_self.fast_selector = NULL;
	return r;
}

/* The stub for slot 0, which falls back on fallback slot 0; @fake: ALLOW enters fp_fake_slot. */
static bool put_stub(unsigned long stub, const struct arch_fast_site *site, unsigned long slot,
		     bool fake)
{
	unsigned char code[ARCH_FAST_STUB_SIZE];
	struct sud_fast_tls tls = tls_offsets();
	unsigned long to = (unsigned long)fp_fake_slot;

	if (!arch_fast_stub(code, stub, site, slot, &tls))
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
	site_fn = (long (*)(long))code;
	tap_ok(site_fn(SYS_getpid) == pid, "the site as built: getpid, registers kept");
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
	if (!tap_ok(put_stub(stub, site, (unsigned long)sud_fast_slots, true) &&
		    arch_fast_jump(jump, site, stub) &&
		    !sud_code_write(site->patch, jump, site->len),
		    "stub and jump written"))
		return;
	tap_ok(through(&allow, SYS_getpid) == FAKE,
	       "ALLOW passes through the slot, registers kept");
	tap_ok(through(&block, SYS_getpid) == pid,
	       "BLOCK falls back on the fallback slot's syscall");
	tap_ok(through(&other, SYS_getpid) == pid, "so does any other selector value");
	tap_ok(through(NULL, SYS_getpid) == pid, "and no selector");
	tap_ok(through(&allow, SYS_gettid) == tid, "another syscall at ALLOW falls back too");
	sud_fast_ret[0] = site->ret;
	tap_ok(put_stub(stub, site, (unsigned long)sud_fast_slots, false) &&
	       through(&allow, SYS_getpid) == pid, "the trampoline's slot issues the syscall");
}

/* A signal at @offset of the stub (or the slot): the place, sp and the two scratch registers. */
static bool adopted(bool slot, unsigned long offset, const struct arch_fast_site *site,
		    unsigned long *stack, bool saved, unsigned long want_ip)
{
	ucontext_t uc;

	memset(&uc, 0, sizeof(uc));
	REG_A(&uc) = 0xaa;
	REG_B(&uc) = 0xbb;
	arch_uc_set_sp(&uc, (unsigned long)stack);
	if (slot) {
		arch_fast_adopt_slot(&uc, offset, site->ret, 0);
	} else {
		/* the stub's cells as written for the site (its address: any one within reach) */
		unsigned char code[ARCH_FAST_STUB_SIZE];
		struct sud_fast_tls tls = { 0 };

		if (!arch_fast_stub(code, site->patch, site, (unsigned long)sud_fast_slots, &tls) ||
		    arch_fast_stub_ret(code) != site->ret)
			return false;
		arch_fast_adopt_stub(&uc, code, offset, 0);
	}
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

	tap_ok(adopted(false, 0, site, stack, false, at),
	       "at the stub's entry: the site's syscall");
	tap_ok(adopted(false, ARCH_FAST_STUB_READ, site, stack, true, at),
	       "at its selector read: the same, scratch registers from the stack");
	tap_ok(adopted(false, STUB_BACK, site, stack, true, past) &&
	       adopted(false, STUB_LAST, site, stack, false, past),
	       "back from the slot: past the site's syscall");
	tap_ok(adopted(true, SLOT_SYSCALL, site, stack, true, at) &&
	       adopted(true, SLOT_SYSCALL + ARCH_SYSCALL_INSN_SIZE, site, stack, true, past),
	       "in the slot: on the site's syscall, or past it, scratch registers from the stack");
}

/* A trap of fallback slot 0 becomes its site's: si_call_addr, place, sp, scratch registers. */
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
	sud_fast_ret[0] = site->ret;
	sud_fastpath_trap_site(&info, &uc);
	tap_ok((unsigned long)info.si_call_addr == site->ret && arch_uc_ip(&uc) == site->ret &&
	       arch_uc_sp(&uc) == (unsigned long)(stack + 2) && REG_A(&uc) == stack[0] &&
	       REG_B(&uc) == stack[1], "a trap of the fallback slot is the site's");
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

	run_site(&stub, &site);
	if (stub) {
		landings(&site);
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
