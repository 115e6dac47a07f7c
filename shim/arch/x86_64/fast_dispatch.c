// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * x86-64's user-space dispatch: a BLOCK at a rewritten site reaches the
 * application's SIGSYS handler without a kernel signal. The entry
 * (sud_fast_dispatch, trampoline.S) saves the registers and the FPU state,
 * with XSAVE where the kernel's fpu__alloc_mathframe() would have put it;
 * sud_fast_dispatch_build() then lays out the rest of the kernel's
 * rt_sigframe as x64_setup_rt_frame() and get_sigframe() do, and the entry
 * puts the handler's mask in force and jumps to it.
 *
 * The mask costs no syscall where the thread's blocked set is known: the
 * library learns it at a dispatch and at a rewritten restorer's return,
 * and forgets it whenever any signal reaches the library, since every
 * change the application makes to it (a trapped rt_sigprocmask, a
 * delivery, a sleep with a temporary mask) comes with one. The frame is
 * then built with signals open, and a signal that lands in it is taken
 * for one at the site's syscall: the build is dropped, and the next try,
 * with the mask forgotten, blocks every signal while it builds, so a storm
 * of signals cannot starve it. The handler's rt_sigreturn may be the
 * kernel's, as after a kernel delivery (sud_fast_return stands in for it
 * only where it would change no more than the registers and the FPU
 * state), so the frame must be one the kernel accepts. The format of the
 * XSAVE image (its size and features) and the frame's segment and flag
 * words are learnt from the frames the kernel built for the library's
 * traps (arch_fast_learn()), since a site is rewritten only after some.
 *
 * Whatever is not the common case (a handler that is not a plain one,
 * SS_AUTODISARM, an alternate stack without room for the frame and the
 * build, a site the range exempts now) goes back to the site's own
 * syscall, and the trap path.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>

#include "altstack.h"
#include "arch-fastpath.h"
#include "rules.h"
#include "signal_state.h"
#include "signal_syscalls.h"
#include "dropped_trap.h"
#include "state.h"

/* The entry's windows (trampoline.S): where each stands, arch_fast_adopt_dispatch() says. */
extern char sud_fast_dispatch_saved[], sud_fast_dispatch_flags_saved[],
	sud_fast_dispatch_switched[], sud_fast_dispatch_switched_end[],
	sud_fast_dispatch_commit[], sud_fast_dispatch_entered[],
	sud_fast_dispatch_fallback[], sud_fast_dispatch_end[];
/*
 * A restorer's rt_sigreturn (sud_fast_sigreturn): a signal that lands in
 * it stands at the site's syscall, up to sud_fast_sigreturn_end, where the
 * kernel's rt_sigreturn has begun.
 */
extern char sud_fast_sigreturn_marked[], sud_fast_sigreturn_last[], sud_fast_sigreturn_end[];
__attribute__((noreturn)) void sud_fast_sigreturn_at(unsigned long sp);
__attribute__((noreturn)) void sud_fast_sigreturn_commit(unsigned long sp);
/* The return to a frame the thread built, without the kernel: FE_RET_* say where. */
extern char sud_fast_return_switched[], sud_fast_return_restored[], sud_fast_return_end[];
__attribute__((noreturn)) void sud_fast_return(void);

#ifndef FP_XSTATE_MAGIC1
#define FP_XSTATE_MAGIC1	0x46505853u
#endif
#ifndef FP_XSTATE_MAGIC2
#define FP_XSTATE_MAGIC2	0x46505845u
#endif
#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH	2
#endif
#define SW_BYTES		464	/* struct _fpx_sw_bytes in the fxsave area */
#define XSTATE_BV		512	/* the xsave header's xfeatures */
#define XFEATURE_MASK_FPSSE	3
#define KERNEL_UCONTEXT		304	/* struct ucontext, its 64-bit sigset included */
#define RT_SIGFRAME		(8 + KERNEL_UCONTEXT + 128)	/* pretcode, uc, info */

#define X86_EFLAGS_TF		0x00000100
#define X86_EFLAGS_DF		0x00000400
#define X86_EFLAGS_RF		0x00010000

_Static_assert(FE_RSP == 8 * REG_RSP && FE_RIP == 8 * REG_RIP && FE_EFL == 8 * REG_EFL,
	       "fastpath-layout.h's gregs[] words");
_Static_assert(offsetof(ucontext_t, uc_sigmask) + 8 == KERNEL_UCONTEXT, "the kernel's ucontext");

__thread unsigned long sud_fast_entry[FE_WORDS] __attribute__((tls_model("initial-exec")));
const uint64_t sud_fast_all_signals = ~0ull;
/* XSTATE_BV 0: XRSTOR puts every component in its initial state, MXCSR from here */
const unsigned char sud_fast_init_fpu[XSTATE_BV + 64] __attribute__((aligned(64))) = {
	[24] = 0x80, [25] = 0x1f,
};
/* The kernel's signal frames: the XSAVE image's size with FP_XSTATE_MAGIC2, and its features */
unsigned long sud_fast_xsave[2];
/*
 * What the kernel puts in a frame's err, trapno and cr2: the thread's last
 * fault that sent a signal (0 before any), which every later frame shows.
 */
static __thread struct {
	greg_t err, trapno, cr2;
} last_fault __attribute__((tls_model("initial-exec")));
/*
 * The frames of the thread's latest dispatches: a tracer's handler returns
 * its frame from a nested dispatch of its own rt_sigreturn.
 */
#define RECENT_FRAMES	4
static __thread struct recent_frame {
	unsigned long frame, fx, rsp;	/* the frame, its FPU image, the sp it came from */
} recent_frames[RECENT_FRAMES] __attribute__((tls_model("initial-exec")));
static __thread unsigned int recent_next __attribute__((tls_model("initial-exec")));
static unsigned long frame_uc_flags;
static greg_t frame_segments;
static unsigned long dispatched;

void arch_fast_learn(const ucontext_t *uc)
{
	const unsigned char *fp = (const unsigned char *)uc->uc_mcontext.fpregs;
	uint32_t magic1, extended;
	uint64_t features;

	if (!fp || __atomic_load_n(&sud_fast_xsave[0], __ATOMIC_ACQUIRE))
		return;
	memcpy(&magic1, fp + SW_BYTES, sizeof(magic1));
	memcpy(&extended, fp + SW_BYTES + 4, sizeof(extended));
	memcpy(&features, fp + SW_BYTES + 8, sizeof(features));
	if (magic1 != FP_XSTATE_MAGIC1 || extended > ARCH_SIGFRAME_MAX)
		return;
	frame_uc_flags = uc->uc_flags;
	frame_segments = uc->uc_mcontext.gregs[REG_CSGSFS];
	sud_fast_xsave[1] = features;
	__atomic_store_n(&sud_fast_xsave[0], extended, __ATOMIC_RELEASE);
}

bool arch_fast_can_dispatch(void)
{
	return __atomic_load_n(&sud_fast_xsave[0], __ATOMIC_ACQUIRE) != 0;
}

unsigned long arch_fast_dispatched(void)
{
	return __atomic_load_n(&dispatched, __ATOMIC_RELAXED);
}

/* The stack itself is the entry's (FE_SS), as sigaltstack() gave it, until a signal reaches the library. */
void arch_fast_altstack_set(const stack_t *ss)
{
	(void)ss;
	sud_fast_entry[FE_SS_KNOWN / 8] = 0;
}

void arch_fast_signal_arrived(const ucontext_t *uc)
{
	const greg_t *g = uc->uc_mcontext.gregs;

	/* a delivery, and whatever the handler does, may change the blocked set */
	sud_fast_entry[FE_MASK_KNOWN / 8] = 0;
	arch_fast_altstack_set(&uc->uc_stack);
	last_fault.err = g[REG_ERR];
	last_fault.trapno = g[REG_TRAPNO];
	last_fault.cr2 = g[REG_CR2];
}

/* uc_stack as __save_altstack() writes it: the flags as the thread keeps them */
static void frame_altstack(stack_t *ss)
{
	memcpy(ss, &sud_fast_entry[FE_SS / 8], sizeof(*ss));
	if (!ss->ss_size)
		ss->ss_sp = NULL;
	ss->ss_flags = sud_altstack_flags(ss);
}

/* get_sigframe()'s align_sigframe(), below the FPU image the entry placed at @fx */
static unsigned long frame_below(unsigned long fx)
{
	return ((fx - RT_SIGFRAME) & ~15ul) - 8;
}

/* struct _fpx_sw_bytes as copy_fpstate_to_sigframe() writes it */
static void fpstate_sw_bytes(uint32_t sw[12])
{
	memset(sw, 0, 12 * sizeof(uint32_t));
	sw[0] = FP_XSTATE_MAGIC1;
	sw[1] = (uint32_t)sud_fast_xsave[0];
	memcpy(&sw[2], &sud_fast_xsave[1], sizeof(uint64_t));
	sw[4] = (uint32_t)sud_fast_xsave[0] - sizeof(uint32_t);
}

/* The bytes copy_fpstate_to_sigframe() adds to what XSAVE wrote at @fx. */
static void fpstate_finish(unsigned char *fx)
{
	uint32_t magic2 = FP_XSTATE_MAGIC2;
	uint32_t sw[12];
	uint64_t bv;

	fpstate_sw_bytes(sw);
	memcpy(fx + SW_BYTES, sw, sizeof(sw));
	memcpy(fx + sw[4], &magic2, sizeof(magic2));
	memcpy(&bv, fx + XSTATE_BV, sizeof(bv));
	bv |= XFEATURE_MASK_FPSSE;
	memcpy(fx + XSTATE_BV, &bv, sizeof(bv));
}

/*
 * From the entry, with the mask the entry found or every signal blocked:
 * what it changes before the commit (the virtual SIGSYS bit) is undone by
 * arch_fast_adopt_dispatch() when a signal lands first. 1 when the handler
 * is to run on the frame built here (sud_fast_entry[] says how), 2 for an exempt
 * rt_sigreturn, 0 for the site's own syscall.
 */
int sud_fast_dispatch_build(unsigned long *fe)
{
	struct sud_thread *self = &sud_self;
	unsigned long ret = fe[REG_RIP], fx, frame, flags;
	struct sud_handler_entry e;
	unsigned char *uc;
	bool sigsys_blocked;
	greg_t *gregs;
	stack_t ss;

	fe[REG_RCX] = self->fast_stash;
	/* a vfork child on its parent's TLS is not armed: its syscall runs */
	if (self->child_on_tls)
		return 0;
	/* a restorer in the allowed range: its rt_sigreturn is the emulation's, as from the trap path */
	if (self->cfg.mode != SUD_MODE_OFF && sud_ip_exempt(&self->cfg, ret) &&
	    fe[REG_RAX] == SYS_rt_sigreturn)
		return 2;
	if (self->cfg.mode == SUD_MODE_OFF || sud_ip_exempt(&self->cfg, ret) ||
	    !sud_sigsys_user_dispatch(fe[FE_OLDMASK / 8], &e, &flags, &sigsys_blocked))
		return 0;
	/* the entry placed the frame for the action's SA_ONSTACK as it read it then */
	if (!(flags & SA_ONSTACK) != !fe[FE_ONSTACK / 8])
		return 0;
	fx = fe[FE_FX / 8];
	frame = frame_below(fx);
	frame_altstack(&ss);
	fpstate_finish((unsigned char *)fx);

	memset((void *)frame, 0, RT_SIGFRAME);
	memcpy((void *)frame, &e.restorer, sizeof(e.restorer));
	uc = (unsigned char *)frame + 8;
	memcpy(uc + offsetof(ucontext_t, uc_flags), &frame_uc_flags, sizeof(frame_uc_flags));
	memcpy(uc + offsetof(ucontext_t, uc_stack), &ss, sizeof(ss));
	gregs = (greg_t *)(uc + offsetof(ucontext_t, uc_mcontext.gregs));
	/* as the syscall left them: rcx its return address, r11 rflags; rax the number */
	memcpy(gregs, fe, (REG_EFL + 1) * sizeof(greg_t));
	gregs[REG_RCX] = (greg_t)ret;
	gregs[REG_R11] = (greg_t)fe[REG_EFL];
	gregs[REG_CSGSFS] = frame_segments;
	gregs[REG_OLDMASK] = (greg_t)fe[FE_OLDMASK / 8];
	gregs[REG_ERR] = last_fault.err;
	gregs[REG_TRAPNO] = last_fault.trapno;
	gregs[REG_CR2] = last_fault.cr2;
	memcpy(uc + offsetof(ucontext_t, uc_mcontext.fpregs), &fx, sizeof(fx));
	memcpy(uc + offsetof(ucontext_t, uc_sigmask), &fe[FE_OLDMASK / 8], sizeof(uint64_t));
	if (e.siginfo) {
		siginfo_t *info = (siginfo_t *)(uc + KERNEL_UCONTEXT);

		info->si_signo = SIGSYS;
		info->si_code = SYS_USER_DISPATCH;
		info->si_call_addr = (void *)ret;
		info->si_syscall = (int)fe[REG_RAX];
		info->si_arch = ARCH_AUDIT_NATIVE;
	}

	fe[FE_SETMASK / 8] = e.mask;
	fe[FE_HANDLER / 8] = (unsigned long)e.handler;
	fe[FE_FRAME / 8] = frame;
	fe[FE_UC / 8] = (unsigned long)uc;
	fe[FE_INFO / 8] = (unsigned long)uc + KERNEL_UCONTEXT;
	fe[FE_HFLAGS / 8] = fe[REG_EFL] & ~(unsigned long)(X86_EFLAGS_TF | X86_EFLAGS_DF |
							   X86_EFLAGS_RF);
	recent_frames[recent_next++ % RECENT_FRAMES] = (struct recent_frame){ frame, fx, fe[REG_RSP] };
	fe[FE_SIGSYS_WAS / 8] = self->sigsys_blocked;
	/* a build dropped from here on is taken off the count (arch_fast_adopt_dispatch()) */
	__atomic_add_fetch(&dispatched, 1, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	fe[FE_BUILT / 8] = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	sud_sigsys_user_dispatched(sigsys_blocked);
	return 1;
}

/*
 * From sud_fast_sigreturn: a frame of one of the dispatches this thread
 * delivered last, whose memory is known, or another one (a kernel's, say),
 * read as the trap path reads it.
 */
static void block_all_signals(void)
{
	sud_sys4(SYS_rt_sigprocmask, SIG_BLOCK, &sud_fast_all_signals, NULL, sizeof(uint64_t));
}

/* gregs[] from REG_R8 to REG_EFL, as the kernel's frame and sud_fast_entry[] hold them */
static void copy_gregs(greg_t *to, const greg_t *from)
{
	for (int i = 0; i <= REG_EFL; i++)
		to[i] = from[i];
}

/* The 8-byte words of @a and @b, @n bytes (a multiple of 8) of each, all equal; @b NULL: all 0. */
static bool words_equal(const void *a, const void *b, size_t n)
{
	uint64_t x, y = 0, differ = 0;

	for (size_t i = 0; i < n; i += 8) {
		memcpy(&x, (const char *)a + i, 8);
		if (b)
			memcpy(&y, (const char *)b + i, 8);
		differ |= x ^ y;
	}
	return !differ;
}

/* An image XRSTOR takes as the kernel's rt_sigreturn would: as the library wrote it, or changed. */
static bool fpstate_restorable(const unsigned char *fx)
{
	uint32_t sw[12], mxcsr, magic2;
	uint64_t bv;

	fpstate_sw_bytes(sw);
	if (!words_equal(fx + SW_BYTES, sw, sizeof(sw)))
		return false;
	memcpy(&magic2, fx + sw[4], sizeof(magic2));
	memcpy(&bv, fx + XSTATE_BV, sizeof(bv));
	memcpy(&mxcsr, fx + 24, sizeof(mxcsr));
	if (magic2 != FP_XSTATE_MAGIC2 || (bv & ~sud_fast_xsave[1]) || (mxcsr & 0xffff0000u))
		return false;
	/* XCOMP_BV and the header's reserved bytes: XRSTOR faults on any of them set */
	return words_equal(fx + XSTATE_BV + 8, NULL, 56);
}

/*
 * Whether the handler's return to @recent's frame can skip the kernel:
 * the registers and the FPU image are all that rt_sigreturn would change
 * (the caller checked the mask and the alternate stack), the sp is the one
 * the dispatch came from, whose red zone stays as it is, and no trap flag
 * is to be set.
 */
static bool returns_in_user_space(const struct recent_frame *recent, const ucontext_t *uc)
{
	const greg_t *g = uc->uc_mcontext.gregs;

	return (unsigned long)g[REG_RSP] == recent->rsp && g[REG_CSGSFS] == frame_segments &&
	       uc->uc_flags == frame_uc_flags &&
	       !(g[REG_EFL] & (X86_EFLAGS_TF | X86_EFLAGS_RF)) &&
	       (unsigned long)uc->uc_mcontext.fpregs == recent->fx &&
	       fpstate_restorable((const unsigned char *)recent->fx);
}

void sud_fast_sigreturn_at(unsigned long sp)
{
	const uint64_t bit = sud_sigbit(SIGSYS);
	ucontext_t *frame_uc = (ucontext_t *)(sp + ARCH_SIGRETURN_UC_OFFSET);
	uint64_t *umask = (uint64_t *)&frame_uc->uc_sigmask;
	unsigned long *fe = sud_fast_entry;
	const struct recent_frame *recent = NULL;
	bool ours, same_mask, same_stack;
	uint64_t mask;
	stack_t ss;

	/* a vfork child on its parent's TLS: the kernel's rt_sigreturn, as it has no filter */
	if (sud_self.child_on_tls) {
		fe[FE_SR_SP / 8] = 0;
		fe[FE_MASK_KNOWN / 8] = 0;
		sud_tramp_sigreturn_at(sp);
	}
	for (int i = 0; i < RECENT_FRAMES && !recent; i++)
		if (sp == recent_frames[i].frame + 8)
			recent = &recent_frames[i];
	ours = recent != NULL;
	/* another frame, or a pending SIGSYS to release: the trap path's way, every signal blocked */
	if (!ours || (!(*umask & bit) && sud_sigsys_pending())) {
		fe[FE_MASK_KNOWN / 8] = 0;
		fe[FE_SS_KNOWN / 8] = 0;	/* it restores the frame's alternate stack */
		block_all_signals();
		fe[FE_SR_SP / 8] = 0;
		sud_rt_sigreturn_at(sp, ours);
	}
	fe[FE_SR_MASK / 8] = *umask;
	fe[FE_SR_WAS / 8] = sud_self.sigsys_blocked;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	fe[FE_SR_CHANGED / 8] = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	sud_self.sigsys_blocked = *umask & bit;
	*umask &= ~bit;
	/* rt_sigreturn puts the frame's alternate stack in force */
	frame_altstack(&ss);
	same_stack = words_equal(&frame_uc->uc_stack, &ss, sizeof(ss));
	/* the kernel's restore_altstack() may take the frame's, flags and all, or refuse it */
	if (!same_stack) {
		fe[FE_SS_KNOWN / 8] = 0;
		sud_altstack_flags_forget();
	}
	sud_note_return(sp, frame_uc);
	/* the blocked set the kernel's rt_sigreturn puts in force */
	mask = *umask & ~(sud_sigbit(SIGKILL) | sud_sigbit(SIGSTOP));
	same_mask = fe[FE_MASK_KNOWN / 8] && fe[FE_REAL_MASK / 8] == mask;
	fe[FE_REAL_MASK / 8] = mask;
	fe[FE_MASK_KNOWN / 8] = 1;
	if (same_mask && same_stack && returns_in_user_space(recent, frame_uc)) {
		copy_gregs((greg_t *)&fe[FE_RET_GREGS / 8], frame_uc->uc_mcontext.gregs);
		fe[FE_RET_FX / 8] = recent->fx;
		fe[FE_RET_SWITCH / 8] = sud_sp_on_altstack(&frame_uc->uc_stack, sp) !=
					sud_sp_on_altstack(&frame_uc->uc_stack, recent->rsp);
		sud_fast_return();
	}
	sud_fast_sigreturn_commit(sp);
}

/*
 * In a restorer's rt_sigreturn (sud_fast_sigreturn_at()), before the
 * kernel's has begun: it has not happened, and what the emulation changed
 * of the frame and the virtual bit goes back; @g's sp becomes the frame's.
 */
static bool adopt_sigreturn(greg_t *g, unsigned long ip)
{
	unsigned long *fe = sud_fast_entry;
	unsigned long sp;

	if (ip >= (unsigned long)sud_fast_sigreturn && ip < (unsigned long)sud_fast_sigreturn_marked)
		return true;
	if (!fe[FE_SR_SP / 8] && (ip < (unsigned long)sud_fast_sigreturn_last ||
				  ip >= (unsigned long)sud_fast_sigreturn_end))
		return false;
	sp = fe[FE_SR_SP / 8] ? fe[FE_SR_SP / 8] : (unsigned long)g[REG_RSP];
	if (fe[FE_SR_CHANGED / 8]) {
		ucontext_t *frame_uc = (ucontext_t *)(sp + ARCH_SIGRETURN_UC_OFFSET);

		memcpy(&frame_uc->uc_sigmask, &fe[FE_SR_MASK / 8], sizeof(uint64_t));
		sud_self.sigsys_blocked = fe[FE_SR_WAS / 8];
	}
	fe[FE_SR_SP / 8] = 0;
	fe[FE_SR_CHANGED / 8] = 0;
	g[REG_RSP] = (greg_t)sp;
	return true;
}

unsigned long *arch_fast_site_cell(void)
{
	return &sud_fast_entry[FE_SITE / 8];
}

/*
 * The application's FPU state at the site, where the entry saved it: the
 * library's C code, and the handler's initial state, may have replaced it
 * since. The frame's own software bytes stay the kernel's.
 */
static void adopt_fpu(ucontext_t *uc, const unsigned char *from)
{
	unsigned char *to = (unsigned char *)uc->uc_mcontext.fpregs;

	if (!to)
		return;
	memcpy(to, from, SW_BYTES);
	memcpy(to + XSTATE_BV, from + XSTATE_BV, sud_fast_xsave[0] - sizeof(uint32_t) - XSTATE_BV);
}

/*
 * In sud_fast_return, on the stack it returns to: the rt_sigreturn is
 * done, as the kernel's is once begun, and @g becomes the frame's context;
 * the FPU state too, until the entry has restored it. Before the switch,
 * FE_SR_SP still says the rt_sigreturn has not begun (adopt_sigreturn()).
 */
static bool adopt_return(ucontext_t *uc, unsigned long ip)
{
	const unsigned long fix = FE_FIX_EFLAGS;
	unsigned long *fe = sud_fast_entry;
	greg_t *g = uc->uc_mcontext.gregs;
	greg_t flags = g[REG_EFL];

	if (ip < (unsigned long)sud_fast_return_switched ||
	    ip >= (unsigned long)sud_fast_return_end)
		return false;
	if (ip < (unsigned long)sud_fast_return_restored)
		adopt_fpu(uc, (const unsigned char *)fe[FE_RET_FX / 8]);
	memcpy(g, &fe[FE_RET_GREGS / 8], (REG_EFL + 1) * sizeof(greg_t));
	g[REG_EFL] = (greg_t)(((unsigned long)g[REG_EFL] & fix) | ((unsigned long)flags & ~fix));
	fe[FE_SR_SP / 8] = 0;
	fe[FE_SR_CHANGED / 8] = 0;
	return true;
}

bool arch_fast_adopt_dispatch(ucontext_t *uc, unsigned long stash)
{
	unsigned long ip = (unsigned long)uc->uc_mcontext.gregs[REG_RIP];
	unsigned long *fe = sud_fast_entry;
	greg_t *g = uc->uc_mcontext.gregs;
	bool building = fe[FE_BUILDING / 8];
	unsigned long ret;

	if ((ip >= (unsigned long)sud_fast_dispatch_commit &&
	     ip < (unsigned long)sud_fast_dispatch_entered) ||
	    (ip >= (unsigned long)sud_fast_dispatch_switched &&
	     ip < (unsigned long)sud_fast_dispatch_switched_end)) {
		for (int r = REG_R8; r <= REG_RBX; r++)
			g[r] = (greg_t)fe[r];
		g[REG_R11] = (greg_t)fe[REG_EFL];
		g[REG_RDI] = SIGSYS;
		g[REG_RSI] = (greg_t)fe[FE_INFO / 8];
		g[REG_RDX] = (greg_t)fe[FE_UC / 8];
		g[REG_RAX] = 0;
		g[REG_RCX] = (greg_t)fe[REG_RIP];
		g[REG_RSP] = (greg_t)fe[FE_FRAME / 8];
		g[REG_EFL] = (greg_t)fe[FE_HFLAGS / 8];
		g[REG_RIP] = (greg_t)fe[FE_HANDLER / 8];
		sud_uc_set_mask(uc, fe[FE_SETMASK / 8]);
		fe[FE_MASK_KNOWN / 8] = 0;
		return true;
	}
	if (adopt_return(uc, ip))
		return true;
	if (adopt_sigreturn(g, ip)) {
		g[REG_RAX] = SYS_rt_sigreturn;
	} else if (ip >= (unsigned long)sud_fast_dispatch_fallback &&
	    ip <= (unsigned long)sud_fast_dispatch_end) {
		memcpy(g, fe, (REG_EFL + 1) * sizeof(greg_t));
	} else if (building || (ip >= (unsigned long)sud_fast_dispatch &&
				ip < (unsigned long)sud_fast_dispatch_fallback)) {
		/* the build is dropped: the site's syscall runs again, with the bit as it was */
		if (building || ip >= (unsigned long)sud_fast_dispatch_saved)
			memcpy(g, fe, (REG_RSP + 1) * sizeof(greg_t));
		if (building || ip >= (unsigned long)sud_fast_dispatch_flags_saved) {
			g[REG_EFL] = (greg_t)fe[REG_EFL];
			if (fe[FE_XSAVED / 8])
				adopt_fpu(uc, (const unsigned char *)fe[FE_FX / 8]);
			/* and it was no dispatch: sudcompat_fastpath_stats() counts those delivered */
			if (fe[FE_BUILT / 8]) {
				sud_self.sigsys_blocked = fe[FE_SIGSYS_WAS / 8];
				__atomic_sub_fetch(&dispatched, 1, __ATOMIC_RELAXED);
			}
			fe[FE_BUILT / 8] = 0;
			fe[FE_XSAVED / 8] = 0;
			fe[FE_BUILDING / 8] = 0;
		}
	} else {
		return false;
	}
	ret = *(const unsigned long *)fe[FE_SITE / 8];
	g[REG_RCX] = (greg_t)stash;
	g[REG_RIP] = (greg_t)(ret - 2);
	return true;
}
