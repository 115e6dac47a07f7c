/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The architecture's part of the fast path (shim/fastpath.c): how a
 * trapped site is recognised and rewritten, the stub that stands for it,
 * and where a signal that lands in either belongs in the application's
 * code. An architecture that has it defines ARCH_HAS_FASTPATH 1 in arch.h
 * and provides, in fastpath-layout.h (read by the assembler too):
 *   ARCH_FAST_SLOTS, ARCH_FAST_SLOT_SIZE  the pass-through slots of trampoline.S,
 *                            sud_fast_slots[], each of which issues its syscall and returns
 *                            to sud_fast_ret[k]
 * in arch.h:
 *   ARCH_FAST_STUB_SIZE      bytes of a stub, a power of two
 *   ARCH_FAST_STUB_READ      the offset, in a stub, of the instruction that reads the selector
 *   ARCH_FAST_REACH          how far from a site its stub may be
 *   ARCH_FAST_TRAPS          1 where the stub replaces the site's syscall instruction and
 *                            so falls back through sud_fast_traps[]: slots laid out as
 *                            sud_fast_slots[], one per site, outside the exempt range,
 *                            whose syscalls the filter always traps, and whose trap
 *                            sud_fastpath_trap_site() makes the site's; 0, the default,
 *                            where the site keeps its own. Both kinds of slot then issue
 *                            the syscall with the application's registers and sp, and
 *                            return to the stub's tail, sud_fast_back[k]
 * and in fastpath.c the functions below. Without it, the fast path stays off.
 */
#ifndef SUDCOMPAT_ARCH_FASTPATH_H
#define SUDCOMPAT_ARCH_FASTPATH_H

#include "arch-api.h"

#ifndef ARCH_HAS_FASTPATH
#define ARCH_HAS_FASTPATH	0
#endif
/* 1: a stub delivers a dispatch at BLOCK itself (sud_fast_dispatch), as below */
#ifndef ARCH_FAST_DISPATCH
#define ARCH_FAST_DISPATCH	0
#endif
/* 1: the application's restorers' rt_sigreturn is rewritten too (sud_fast_sigreturn) */
#ifndef ARCH_FAST_SIGRETURN
#define ARCH_FAST_SIGRETURN	0
#endif

/* A site that can be rewritten. */
struct arch_fast_site {
	unsigned long ret;	/* the address after its syscall instruction */
	unsigned long patch;	/* the first byte that changes */
	unsigned int len;	/* how many change */
	int nr;			/* the syscall it issues */
};

/* Offsets from the thread pointer of what a stub reads and writes (sud_self, state.h). */
struct sud_fast_tls {
	long selector;		/* the selector a stub reads, or NULL: the trap path */
	long stash;		/* what the stub displaced, for a signal that lands in it */
	long site;		/* where the stub says which site it stands for, for a dispatch */
};

#ifndef ARCH_FAST_TRAPS
#define ARCH_FAST_TRAPS		0
#endif

#if ARCH_HAS_FASTPATH
#include "fastpath-layout.h"

extern char sud_fast_slots[], sud_fast_slots_end[];
extern unsigned long sud_fast_ret[ARCH_FAST_SLOTS];
#if ARCH_FAST_TRAPS
extern char sud_fast_traps[], sud_fast_traps_end[];
/* Where slot k returns to: in its stub, arch_fast_stub_back() of the stub's address. */
extern unsigned long sud_fast_back[ARCH_FAST_SLOTS];
unsigned long arch_fast_stub_back(unsigned long stub);
#endif

/*
 * The site of the syscall @nr that ended at @ret, inside [@code, @code_end),
 * the function that holds it (its FDE); @code 0 when nothing says where
 * instructions start (SUDCOMPAT_FASTPATH=all outside ELF objects). True
 * when it can be rewritten, with @site filled in.
 */
bool arch_fast_site(unsigned long ret, int nr, unsigned long code, unsigned long code_end,
		    struct arch_fast_site *site);
/*
 * The stub at @stub for @site, passing at ALLOW through @allow: a slot,
 * sud_fast_sigreturn, or 0 for the site's own syscall (the trap path;
 * an ARCH_FAST_TRAPS stub's is its fallback slot's).
 * @slot is the site's own slot (0: none), whose fallback slot an
 * ARCH_FAST_TRAPS stub falls back on. False if something is out of reach.
 */
bool arch_fast_stub(unsigned char buf[ARCH_FAST_STUB_SIZE], unsigned long stub,
		    const struct arch_fast_site *site, unsigned long allow, unsigned long slot,
		    const struct sud_fast_tls *tls);
/* A cell of a stub: an address arch_fast_stub() wrote at offset @at. */
static inline unsigned long sud_fast_stub_cell(const unsigned char *stub, unsigned int at)
{
	unsigned long v;

	__builtin_memcpy(&v, stub + at, sizeof(v));
	return v;
}

/* The slot a stub passes through, and its site's return address (as arch_fast_stub() wrote them). */
unsigned long arch_fast_stub_slot(const unsigned char stub[ARCH_FAST_STUB_SIZE]);
unsigned long arch_fast_stub_ret(const unsigned char stub[ARCH_FAST_STUB_SIZE]);
/* The bytes that replace site->len bytes at site->patch. */
bool arch_fast_jump(unsigned char *buf, const struct arch_fast_site *site, unsigned long stub);
/*
 * A signal landed at @offset into @stub, or into the slot of the site
 * whose syscall ends at @ret: @uc becomes the application's context at the
 * place that stands for it; @stash is what the thread's stub displaced.
 */
void arch_fast_adopt_stub(ucontext_t *uc, const unsigned char stub[ARCH_FAST_STUB_SIZE],
			  unsigned long offset, unsigned long stash);
void arch_fast_adopt_slot(ucontext_t *uc, unsigned long offset, unsigned long ret,
			  unsigned long stash);
/* @uc, in the stub at @stub, instead issues the site's own syscall instruction. */
void arch_fast_adopt_fallback(ucontext_t *uc, const unsigned char stub[ARCH_FAST_STUB_SIZE],
			      unsigned long stash);

#if ARCH_FAST_DISPATCH
/*
 * The user-space dispatch at BLOCK (the stub's third way): its entry, in
 * the exempt trampoline, whose windows, where a signal can land, are the
 * architecture's own (its fast_dispatch.c says what each stands for).
 */
extern char sud_fast_dispatch[];
/*
 * Called by the entry: 1 when the handler is to run, 2 for the
 * emulation's rt_sigreturn, 0 for the site's own syscall (an
 * architecture whose build enters the handler itself returns only 0).
 */
int sud_fast_dispatch_build(unsigned long *entry);
/*
 * With ARCH_FAST_SIGRETURN: the entry a restorer's stub takes at ALLOW,
 * in the exempt trampoline, which runs the trap path's emulation of
 * rt_sigreturn (sud_rt_sigreturn_at()).
 */
extern char sud_fast_sigreturn[];
#if ARCH_FAST_TRAPS
/*
 * shim/fast_user_dispatch.c, the dispatch of an architecture whose entry
 * saves the application's registers in sud_fast_entry[] (FE_* in
 * fastpath-layout.h), and its part in arch/<arch>/fast_frame.c, after
 * the kernel's get_sigframe() and setup_sigcontext(): where
 * struct rt_sigframe (ARCH_FAST_FRAME_BYTES, arch.h) goes below the
 * stack's @top, or the sp @sp, 0 where the kernel would not put it (an
 * overflow of the alternate stack @ss it kills for).
 */
unsigned long arch_fast_frame_at(unsigned long top, unsigned long sp, const stack_t *ss);
/* Whether the thread's frames can be built as the kernel's: what its last one showed. */
bool arch_fast_frame_known(void);
void arch_fast_frame_learn(const ucontext_t *uc);
/* @uc's registers, FP state and records as the kernel writes them for the entry's save @fe */
void arch_fast_frame_fill(ucontext_t *uc, const unsigned char *fe);
/*
 * @uc's registers and FP state as the entry saved them (@gprs_only: the
 * general registers but sp and the two the stub saved, all it has saved
 * yet), and the two the stub saved at sp.
 */
void arch_fast_frame_adopt(ucontext_t *uc, const unsigned char *fe, bool gprs_only);
void arch_fast_frame_adopt_saved(ucontext_t *uc, const unsigned long saved[2]);
/*
 * The handler's entry and return without the kernel: whether rt_sigreturn
 * of @uc, a frame a dispatch built (@entry: the handler's entry frame,
 * arch_entry_frame()), would change no more than its registers, pc and FP
 * state, which arch_fast_frame_save() puts in an entry's save @fe's
 * layout; sud_fast_return (trampoline.S) puts FE_RET's in force and goes
 * through a stub's tail (arch_fast_stub_back()): for a return, that of
 * the stub whose return cell is at @cell.
 */
bool arch_fast_frame_plain(const ucontext_t *uc, bool entry);
void arch_fast_frame_save(unsigned char *fe, const ucontext_t *uc);
unsigned long arch_fast_cell_back(unsigned long cell);
/*
 * A stub at @stub that is only a tail, to @handler: a dispatch's handler
 * entry without the kernel goes through it (shim/fastpath.c's
 * sud_fastpath_handler_tail()). False if @handler is out of reach.
 */
bool arch_fast_handler_stub(unsigned char buf[ARCH_FAST_STUB_SIZE], unsigned long stub,
			    unsigned long handler);
__attribute__((noreturn)) void sud_fast_return(void);
extern char sud_fast_return_begun[], sud_fast_return_end[];
/*
 * The frame whose rt_sigreturn enters a handler as the kernel's
 * setup_rt_frame() would (sigframe.c), arch_enter_handler()'s: @e's for
 * @info and @uc, with the uc_stack @ss (NULL: the one in force).
 */
struct arch_entry_frame {
	char info[128];
	ucontext_t uc;
} __attribute__((aligned(16)));
void arch_entry_frame(struct arch_entry_frame *f, siginfo_t *info, ucontext_t *uc,
		      const struct sud_handler_entry *e, const stack_t *ss);
#endif
/* What the kernel's frame for a trap shows of the frames a dispatch must build. */
void arch_fast_learn(const ucontext_t *uc);
/*
 * A signal reached the library on the kernel's frame @uc, or the thread's
 * alternate stack is about to become @ss: what a dispatch keeps of the
 * thread's state the kernel puts in a frame is stale, or learnt anew.
 */
void arch_fast_signal_arrived(const ucontext_t *uc);
void arch_fast_altstack_set(const stack_t *ss);
/* Whether it has: no site is rewritten before. */
bool arch_fast_can_dispatch(void);
/* Dispatches delivered without a kernel signal, since the image started. */
unsigned long arch_fast_dispatched(void);
/* Where a stub says which site it stands for (struct sud_fast_tls's site). */
unsigned long *arch_fast_site_cell(void);
/*
 * A signal landed in the dispatch's entry: @uc becomes the application's
 * context at the place that stands for it; false when it landed elsewhere.
 */
bool arch_fast_adopt_dispatch(ucontext_t *uc, unsigned long stash);
#else
static inline void arch_fast_learn(const ucontext_t *uc)
{
	(void)uc;
}

static inline bool arch_fast_can_dispatch(void)
{
	return true;
}

static inline unsigned long arch_fast_dispatched(void)
{
	return 0;
}

static inline unsigned long *arch_fast_site_cell(void)
{
	return NULL;
}

static inline bool arch_fast_adopt_dispatch(ucontext_t *uc, unsigned long stash)
{
	(void)uc;
	(void)stash;
	return false;
}

static inline void arch_fast_signal_arrived(const ucontext_t *uc)
{
	(void)uc;
}

static inline void arch_fast_altstack_set(const stack_t *ss)
{
	(void)ss;
}
#endif
#endif

#endif
