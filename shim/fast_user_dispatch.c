// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The user-space dispatch of the architectures whose stubs fall back
 * through a slot (ARCH_FAST_TRAPS: aarch64, riscv64): a BLOCK at a
 * rewritten site reaches the application's SIGSYS handler without a
 * kernel signal. The entry (sud_fast_dispatch, the architecture's
 * trampoline.S) saves every register and the FP state in TLS
 * (sud_fast_entry[], fastpath-layout.h), blocks every signal with one
 * rt_sigprocmask where the thread's mask is not known (which reads it),
 * and calls sud_fast_dispatch_build(), which lays out the kernel's
 * rt_sigframe (the architecture's fast_frame.c) and enters the handler as
 * the trap path does, through the rt_sigreturn of an entry frame
 * (arch_entry_frame()): the handler's mask, registers and sp go in force
 * at once. That rt_sigreturn, sud_fast_commit, is the commit.
 *
 * The mask is known from a commit on (the handler's, or the returning
 * frame's) until a signal reaches the library, which every change to it
 * comes with: the filter traps rt_sigprocmask, the sleeps with a
 * temporary mask and rt_sigreturn from anywhere. The alternate stack
 * likewise, read once with sigaltstack(). Where the mask is known, the
 * build runs with signals open: a signal that lands anywhere from the
 * entry up to the commit's syscall (FE_BUILDING, or the entry's and the
 * commit's addresses) is one at the site's syscall, with the registers
 * and FP state the entry saved (arch_fast_adopt_dispatch()), and what the
 * build changed goes back (FE_UNDO); a storm of signals makes each retry
 * block them all, so it cannot starve a dispatch.
 *
 * The same entry runs a rewritten restorer's rt_sigreturn (the vDSO's
 * trampoline, where every handler without SA_RESTORER returns), at ALLOW
 * and where it is exempt: for a frame one of the thread's last dispatches
 * built, with nothing pending and its uc_stack the one in force, the
 * virtual SIGSYS bit comes out of the frame with signals open, and the
 * kernel's rt_sigreturn of the frame is the commit; any other takes the
 * trap path's emulation, every signal blocked.
 *
 * Whatever only the trap path does (a handler that is not a plain one,
 * SS_AUTODISARM, an alternate stack without room for the build below the
 * frame, a thread whose frame the architecture cannot build) goes back to
 * the site's own syscall, and the trap path.
 */
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>

#include "altstack.h"
#include "arch-fastpath.h"
#include "dropped_trap.h"
#include "fastpath.h"
#include "rules.h"
#include "signal_state.h"
#include "signal_syscalls.h"
#include "state.h"
#include "sudcompat.h"
#include "usercopy.h"

#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH	2
#endif
#define SIGINFO_SIZE		128u
/* what the build's C code may use below a frame on the alternate stack */
#define BUILD_STACK		(16 * 1024ul)

/* The entry's windows (trampoline.S) */
extern char sud_fast_dispatch_gprs_saved[], sud_fast_dispatch_saved[], sud_fast_dispatch_end[],
	sud_fast_commit_end[];
__attribute__((noreturn)) void sud_fast_commit(unsigned long sp);

__thread unsigned char sud_fast_entry[FE_BYTES] __attribute__((tls_model("initial-exec"),
								aligned(16)));
const uint64_t sud_fast_all_signals = ~0ull;

/* The thread's alternate stack as sigaltstack() gave it, until a signal reaches the library. */
static __thread struct {
	bool known;
	stack_t ss;
} altstack __attribute__((tls_model("initial-exec")));
/*
 * The frames of the thread's latest dispatches, whose rt_sigreturn reads
 * them without a copy from user memory: a tracer's handler returns its
 * frame from a nested dispatch of its own rt_sigreturn.
 */
#define RECENT_FRAMES	4
static __thread struct recent_frame {
	unsigned long frame;
	unsigned long sp, ret;	/* where the dispatch came from */
	unsigned long back;	/* its stub's tail, which a return without the kernel takes */
} recent_frames[RECENT_FRAMES] __attribute__((tls_model("initial-exec")));
static __thread unsigned int recent_next __attribute__((tls_model("initial-exec")));
static unsigned long dispatched;

static unsigned long fe_word(const unsigned char *fe, unsigned int at)
{
	unsigned long v;

	memcpy(&v, fe + at, sizeof(v));
	return v;
}

static void fe_set(unsigned char *fe, unsigned int at, unsigned long v)
{
	memcpy(fe + at, &v, sizeof(v));
}

/* The trap path enters a handler as a dispatch's commit does: by an entry frame's rt_sigreturn. */
void arch_enter_handler(siginfo_t *info, ucontext_t *uc, const struct sud_handler_entry *e)
{
	struct arch_entry_frame entry;

	/* rt_sigreturn restores the alternate stack: the one in force now */
	arch_entry_frame(&entry, info, uc, e, NULL);
	sud_tramp_sigreturn_at((unsigned long)&entry);
}

void arch_fast_learn(const ucontext_t *uc)
{
	arch_fast_frame_learn(uc);
}

void arch_fast_signal_arrived(const ucontext_t *uc)
{
	/* a delivery, and whatever the handler does, may change the blocked set and the stack */
	fe_set(sud_fast_entry, FE_MASK_KNOWN, 0);
	altstack.known = false;
	arch_fast_frame_learn(uc);
}

void arch_fast_altstack_set(const stack_t *ss)
{
	(void)ss;	/* its flags are altstack.c's; the build asks for the stack itself */
	altstack.known = false;
}

bool arch_fast_can_dispatch(void)
{
	return true;
}

unsigned long arch_fast_dispatched(void)
{
	return __atomic_load_n(&dispatched, __ATOMIC_RELAXED);
}

unsigned long *arch_fast_site_cell(void)
{
	return (unsigned long *)(sud_fast_entry + FE_SITE);
}

/*
 * Where get_sigframe() puts the frame for a sp of @sp, an action with
 * @flags and the alternate stack @ss: 0 where only the trap path can
 * deliver (an SS_AUTODISARM stack, an overflow, no room for the build).
 */
static unsigned long frame_place(unsigned long sp, unsigned long flags, const stack_t *ss,
				 unsigned long c_sp)
{
	unsigned long top = sp;
	bool onstack = sud_sp_on_altstack(ss, sp);

	if (ss->ss_flags & SS_AUTODISARM)
		return 0;
	if ((flags & SA_ONSTACK) && ss->ss_size && !onstack)
		top = (unsigned long)ss->ss_sp + ss->ss_size;
	/* nested on the alternate stack: the build runs below the frame there, which has no guard */
	if (onstack && c_sp - (unsigned long)ss->ss_sp < BUILD_STACK)
		return 0;
	return arch_fast_frame_at(top, sp, ss);
}

/* A frame one of the thread's latest dispatches built, at @sp: its memory is known. */
static const struct recent_frame *recent_frame(unsigned long sp)
{
	for (int i = 0; i < RECENT_FRAMES; i++)
		if (recent_frames[i].frame == sp)
			return &recent_frames[i];
	return NULL;
}

/*
 * Whether the handler's return to @uc, @recent's frame, can skip the
 * kernel: back to where the dispatch came from, with only the registers
 * and the FP state to restore (the caller checked the mask and the
 * alternate stack).
 */
static bool returns_in_user_space(const struct recent_frame *recent, const ucontext_t *uc)
{
	return arch_uc_sp(uc) == recent->sp && arch_uc_ip(uc) == recent->ret &&
	       arch_fast_frame_plain(uc, false);
}

/*
 * The commit puts the blocked set @mask in force (less SIGKILL and
 * SIGSTOP, as the kernel's): whether the thread has it already, as the
 * library knew when the entry ran (it then left the mask as it was).
 */
static bool real_mask_becomes(unsigned char *fe, uint64_t mask)
{
	bool same;

	mask &= ~(sud_sigbit(SIGKILL) | sud_sigbit(SIGSTOP));
	same = fe_word(fe, FE_MASK_KNOWN) && fe_word(fe, FE_REAL_MASK) == mask;
	fe_set(fe, FE_REAL_MASK, mask);
	fe_set(fe, FE_MASK_KNOWN, 1);
	return same;
}

/* The commit without the kernel: @uc's context in force, through the stub tail @tail. */
__attribute__((noreturn)) static void commit_in_user_space(unsigned char *fe, const ucontext_t *uc,
							  unsigned long tail)
{
	arch_fast_frame_save(fe + FE_RET, uc);
	fe_set(fe + FE_RET, FE_SITE, tail);
	sud_fast_return();
}

/* FE_UNDO: what a signal before the commit takes back */
enum {
	UNDO_NOTHING,
	UNDO_DISPATCH,		/* the virtual SIGSYS bit the handler runs with, the count */
	UNDO_SIGRETURN,		/* the returning frame's uc_sigmask, the virtual bit */
};

/* Every signal blocked from here on, the build no longer one a signal can drop. */
static void block_all_signals(unsigned char *fe)
{
	sud_sys4(SYS_rt_sigprocmask, SIG_BLOCK, &sud_fast_all_signals, NULL, sizeof(uint64_t));
	fe_set(fe, FE_BUILDING, 0);
	fe_set(fe, FE_MASK_KNOWN, 0);
}

/*
 * The emulation's rt_sigreturn of the frame at @sp. One of the thread's
 * latest dispatches built it, nothing is pending to release and its
 * alternate stack is the one in force (restore_altstack() changes
 * nothing): the virtual SIGSYS bit comes out of the frame with signals
 * open, and a signal before the kernel's rt_sigreturn puts it back.
 * Anything else: the trap path's emulation, every signal blocked.
 */
__attribute__((noreturn)) static void emulate_sigreturn(unsigned char *fe, unsigned long sp)
{
	const uint64_t bit = sud_sigbit(SIGSYS);
	ucontext_t *frame_uc = (ucontext_t *)(sp + ARCH_SIGRETURN_UC_OFFSET);
	const struct recent_frame *recent = recent_frame(sp);
	uint64_t mask;
	stack_t ss;

	if (!recent || sud_sigsys_pending() || !altstack.known) {
		block_all_signals(fe);
		altstack.known = false;
		sud_rt_sigreturn_at(sp, recent != NULL);
	}
	ss = altstack.ss;
	if (frame_uc->uc_stack.ss_sp != ss.ss_sp || frame_uc->uc_stack.ss_size != ss.ss_size ||
	    frame_uc->uc_stack.ss_flags != sud_altstack_flags(&ss)) {
		block_all_signals(fe);
		altstack.known = false;
		sud_rt_sigreturn_at(sp, true);
	}
	memcpy(&mask, &frame_uc->uc_sigmask, sizeof(mask));
	fe_set(fe, FE_UNDO_MASK, mask);
	fe_set(fe, FE_UNDO_SIGSYS, sud_self.sigsys_blocked);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	fe_set(fe, FE_UNDO, UNDO_SIGRETURN);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	sud_self.sigsys_blocked = mask & bit;
	mask &= ~bit;
	memcpy(&frame_uc->uc_sigmask, &mask, sizeof(mask));
	sud_note_return(sp, frame_uc);
	/* the blocked set the kernel's rt_sigreturn puts in force */
	if (real_mask_becomes(fe, mask) && returns_in_user_space(recent, frame_uc))
		commit_in_user_space(fe, frame_uc, recent->back);
	sud_fast_commit(sp);
}

/*
 * From the entry, with the thread's mask as it was where the library knew
 * it (a signal that lands meanwhile drops the build: FE_BUILDING), every
 * signal blocked otherwise: 0 for the site's own syscall (the entry puts
 * everything back); otherwise it does not return: the handler runs, or the
 * emulation's rt_sigreturn.
 */
int sud_fast_dispatch_build(unsigned long *entry)
{
	unsigned char *fe = (unsigned char *)entry;
	struct sud_thread *self = &sud_self;
	unsigned long ret = fe_word(fe, FE_PC), sp = fe_word(fe, FE_SP), flags, frame, tail;
	long nr = (long)fe_word(fe, FE_NR);
	struct arch_entry_frame launch;
	struct sud_handler_entry e;
	bool sigsys_blocked;
	ucontext_t *uc;
	siginfo_t *info;
	stack_t ss;

	/* a vfork child on its parent's TLS is not armed: its syscall runs */
	if (self->child_on_tls)
		return 0;
	if (nr == sud_proc.nr[SUD_SYS_rt_sigreturn] &&
	    (self->cfg.mode == SUD_MODE_OFF || sud_ip_exempt(&self->cfg, ret) ||
	     ret - sud_proc.sigreturn_start < sud_proc.sigreturn_end - sud_proc.sigreturn_start ||
	     (self->cfg.selector && *(volatile unsigned char *)self->cfg.selector ==
	      SYSCALL_DISPATCH_FILTER_ALLOW)))
		emulate_sigreturn(fe, sp);
	if (!arch_fast_frame_known() || self->cfg.mode == SUD_MODE_OFF || sud_ip_exempt(&self->cfg, ret) ||
	    !sud_sigsys_user_dispatch(fe_word(fe, FE_OLDMASK), &e, &flags, &sigsys_blocked))
		return 0;
	if (!altstack.known) {
		if (sud_sys2(SYS_sigaltstack, NULL, &altstack.ss))
			return 0;
		altstack.known = true;
	}
	ss = altstack.ss;
	frame = frame_place(sp, flags, &ss, (unsigned long)__builtin_frame_address(0));
	if (!frame)
		return 0;
	info = (siginfo_t *)frame;
	uc = (ucontext_t *)(frame + SIGINFO_SIZE);
	uc->uc_link = NULL;
	ss.ss_flags = sud_altstack_flags(&ss);
	uc->uc_stack = ss;
	arch_fast_frame_fill(uc, fe);
	sud_uc_set_mask(uc, fe_word(fe, FE_OLDMASK));
	if (e.siginfo || ARCH_FAST_SIGINFO_ALWAYS) {
		memset(info, 0, SIGINFO_SIZE);
		info->si_signo = SIGSYS;
		info->si_code = SYS_USER_DISPATCH;
		info->si_call_addr = (void *)ret;
		info->si_syscall = (int)nr;
		info->si_arch = ARCH_AUDIT_NATIVE;
	}
	arch_entry_frame(&launch, info, uc, &e, &uc->uc_stack);
	recent_frames[recent_next++ % RECENT_FRAMES] = (struct recent_frame){
		frame, sp, ret, arch_fast_cell_back(fe_word(fe, FE_SITE))
	};
	fe_set(fe, FE_UNDO_SIGSYS, self->sigsys_blocked);
	/* a build dropped from here on is taken off the count (arch_fast_adopt_dispatch()) */
	__atomic_add_fetch(&dispatched, 1, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	fe_set(fe, FE_UNDO, UNDO_DISPATCH);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	sud_sigsys_user_dispatched(sigsys_blocked);
	/* the entry frame's rt_sigreturn puts the handler's mask in force; or nothing else, without it */
	tail = sud_fastpath_handler_tail((unsigned long)e.handler);
	if (real_mask_becomes(fe, e.mask) && tail && arch_fast_frame_plain(&launch.uc, true))
		commit_in_user_space(fe, &launch.uc, tail);
	sud_fast_commit((unsigned long)&launch);
}

/* What the build or the emulation changed before the commit goes back. */
static void undo(unsigned char *fe)
{
	unsigned long how = fe_word(fe, FE_UNDO);

	fe_set(fe, FE_UNDO, UNDO_NOTHING);
	if (how == UNDO_DISPATCH) {
		sud_self.sigsys_blocked = fe_word(fe, FE_UNDO_SIGSYS);
		__atomic_sub_fetch(&dispatched, 1, __ATOMIC_RELAXED);
	} else if (how == UNDO_SIGRETURN) {
		ucontext_t *frame_uc = (ucontext_t *)(fe_word(fe, FE_SP) + ARCH_SIGRETURN_UC_OFFSET);
		uint64_t mask = fe_word(fe, FE_UNDO_MASK);

		memcpy(&frame_uc->uc_sigmask, &mask, sizeof(mask));
		sud_self.sigsys_blocked = fe_word(fe, FE_UNDO_SIGSYS);
	}
}

/*
 * Anywhere in the entry, in the build or in the commit up to its
 * rt_sigreturn: a signal arrived before the site's syscall, which runs again
 * once it is handled, with the registers and FP state the entry found
 * (read back from where it has saved them so far).
 */
bool arch_fast_adopt_dispatch(ucontext_t *uc, unsigned long stash)
{
	unsigned long ip = arch_uc_ip(uc), saved[2];
	unsigned char *fe = sud_fast_entry;
	bool in_entry = ip - (unsigned long)sud_fast_dispatch <
			(unsigned long)(sud_fast_dispatch_end - sud_fast_dispatch);
	bool in_commit = ip - (unsigned long)sud_fast_commit <
			 (unsigned long)sud_fast_commit_end - (unsigned long)sud_fast_commit;

	(void)stash;
	/* in the return without the kernel: the rt_sigreturn is done */
	if (ip - (unsigned long)sud_fast_return_begun <
	    (unsigned long)(sud_fast_return_end - sud_fast_return_begun)) {
		arch_fast_frame_adopt(uc, fe + FE_RET, false);
		arch_uc_set_ip(uc, fe_word(fe + FE_RET, FE_PC));
		fe_set(fe, FE_UNDO, UNDO_NOTHING);
		return true;
	}
	if (!in_entry && !in_commit && !fe_word(fe, FE_BUILDING))
		return false;
	if (in_entry && ip < (unsigned long)sud_fast_dispatch_saved) {
		/* the stub's save of its two registers is still at sp */
		if (ip >= (unsigned long)sud_fast_dispatch_gprs_saved)
			arch_fast_frame_adopt(uc, fe, true);
		if (sud_copy_from_user(saved, (const void *)arch_uc_sp(uc), sizeof(saved)))
			return false;
		arch_fast_frame_adopt_saved(uc, saved);
		arch_uc_set_sp(uc, arch_uc_sp(uc) + sizeof(saved));
	} else {
		arch_fast_frame_adopt(uc, fe, false);
		undo(fe);
		fe_set(fe, FE_BUILDING, 0);
	}
	arch_uc_set_ip(uc, *(const unsigned long *)fe_word(fe, FE_SITE) - ARCH_SYSCALL_INSN_SIZE);
	return true;
}
