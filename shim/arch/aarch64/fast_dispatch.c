// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * arm64's user-space dispatch: a BLOCK at a rewritten site reaches the
 * application's SIGSYS handler without a kernel signal. The entry
 * (sud_fast_dispatch, trampoline.S) blocks every signal with one
 * rt_sigprocmask, which also reads the thread's mask, then saves the
 * registers and the FP/SIMD state and calls sud_fast_dispatch_build(),
 * which lays out the kernel's rt_sigframe as get_sigframe() and
 * setup_sigframe() do, and enters the handler as setup_return() would,
 * through the same rt_sigreturn of an entry frame as the trap path
 * (sigframe.c): the handler's mask, registers, sp and PSTATE go in force
 * at once, and no signal can land between the frame and the handler.
 *
 * With every signal blocked from the rt_sigprocmask on, only the entry's
 * first instructions and its way back to the site's syscall are windows
 * (arch_fast_adopt_dispatch()). The same entry runs a rewritten
 * restorer's rt_sigreturn, at ALLOW and where it is exempt (the vDSO's
 * trampoline, the allowed range): the trap path's emulation, every signal
 * blocked, then the kernel's rt_sigreturn.
 *
 * The records of the frame are learnt from the thread's last kernel frame
 * (arch_fast_signal_arrived()): after a syscall the kernel writes the
 * fpsimd_context, the esr_context of the thread's last fault, and the
 * SVE and SME headers without register data, whose vector lengths only a
 * prctl changes (arch_fast_forget_frame()). A thread without such a frame,
 * or in streaming mode or with ZA live, goes back to the site's syscall and
 * the trap path, as does whatever else only the trap path does (a handler
 * that is not a plain one, SS_AUTODISARM, an alternate stack without room
 * for the build below the frame).
 */
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>

#include "altstack.h"
#include "arch-fastpath.h"
#include "dropped_trap.h"
#include "rules.h"
#include "signal_state.h"
#include "signal_syscalls.h"
#include "state.h"
#include "usercopy.h"
#include "sudcompat.h"

/* The entry's windows (trampoline.S) */
extern char sud_fast_dispatch_gprs_saved[], sud_fast_dispatch_saved[], sud_fast_dispatch_end[],
	sud_fast_commit_end[];
__attribute__((noreturn)) void sud_fast_commit(unsigned long sp);

#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH	2
#endif

/* arch/arm64/include/uapi/asm/sigcontext.h */
#define REC_FPSIMD_MAGIC	0x46508001u
#define REC_EXTRA_MAGIC		0x45585401u
#define REC_SVE_MAGIC		0x53564501u
#define REC_ZA_MAGIC		0x54366345u
#define FPSIMD_SIZE		528u
#define REC_HEAD_SIZE		8u
#define SVE_HEADER_SIZE		16u	/* an sve_context, or a za_context, without register data */
#define SVE_FLAG_SM		1u
#define RESERVED_SIZE		sizeof(((mcontext_t *)0)->__reserved)
#define SIGINFO_SIZE		128u
#define RT_SIGFRAME		(SIGINFO_SIZE + sizeof(ucontext_t))
#define PSR_NZCV		0xf0000000ul
#define PSR_BTYPE_MASK		0x00000c00ul
/* the records besides fpsimd_context a syscall's frame can carry */
#define OTHERS_MAX		128u
/* what the build's C code may use below a frame on the alternate stack */
#define BUILD_STACK		(16 * 1024ul)

_Static_assert(RT_SIGFRAME == 4688, "struct rt_sigframe");
_Static_assert(FE_FRAME_ROOM == RT_SIGFRAME + 16, "fastpath-layout.h's FE_FRAME_ROOM");
_Static_assert(FE_V == FE_FPSR + 8, "fastpath-layout.h's fpsimd_context");
_Static_assert(FE_X(8) == offsetof(mcontext_t, regs[8]) - offsetof(mcontext_t, regs[0]),
	       "fastpath-layout.h's registers");

__thread unsigned char sud_fast_entry[FE_BYTES] __attribute__((tls_model("initial-exec"),
								aligned(16)));
const uint64_t sud_fast_all_signals = ~0ull;

/* What the thread's last kernel frame shows that a dispatch's frame must show too. */
static __thread struct {
	bool known;
	uint32_t others_size;
	uint64_t fault_address;
	uint64_t pstate;	/* without NZCV and BTYPE, which the svc's own are */
	unsigned char others[OTHERS_MAX] __attribute__((aligned(16)));
} learnt __attribute__((tls_model("initial-exec")));
/*
 * The frames of the thread's latest dispatches, whose rt_sigreturn reads
 * them without a copy from user memory: a tracer's handler returns its
 * frame from a nested dispatch of its own rt_sigreturn.
 */
#define RECENT_FRAMES	4
static __thread unsigned long recent_frames[RECENT_FRAMES]
	__attribute__((tls_model("initial-exec")));
static __thread unsigned int recent_next __attribute__((tls_model("initial-exec")));
/* The thread's alternate stack as sigaltstack() gave it, until a signal reaches the library. */
static __thread struct {
	bool known;
	stack_t ss;
} altstack __attribute__((tls_model("initial-exec")));
static unsigned long dispatched;
static bool frames_seen;

struct rec_head {
	uint32_t magic, size;
};

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

/*
 * The records of @uc after its fpsimd_context, as a syscall's frame has
 * them: the SVE and SME headers without register data. False for a frame
 * a dispatch cannot stand for (an extra_context, streaming mode, ZA live).
 */
static bool learn_records(const ucontext_t *uc)
{
	const unsigned char *base = uc->uc_mcontext.__reserved;
	size_t off = 0, out = 0;
	struct rec_head h;

	memcpy(&h, base, sizeof(h));
	if (h.magic != REC_FPSIMD_MAGIC || h.size != FPSIMD_SIZE)
		return false;
	for (off = FPSIMD_SIZE; RESERVED_SIZE - off >= REC_HEAD_SIZE; off += h.size) {
		unsigned char rec[SVE_HEADER_SIZE];

		memcpy(&h, base + off, sizeof(h));
		if (!h.magic)
			break;
		if (h.magic == REC_EXTRA_MAGIC || h.size < REC_HEAD_SIZE || (h.size & 15) ||
		    h.size > RESERVED_SIZE - off)
			return false;
		if (h.magic == REC_SVE_MAGIC || h.magic == REC_ZA_MAGIC) {
			uint16_t flags;

			memcpy(rec, base + off, sizeof(rec));
			memcpy(&flags, rec + 10, sizeof(flags));
			/* streaming mode, or ZA's data: state a syscall keeps */
			if ((h.magic == REC_SVE_MAGIC && (flags & SVE_FLAG_SM)) ||
			    (h.magic == REC_ZA_MAGIC && h.size > SVE_HEADER_SIZE))
				return false;
			/* the SVE registers beyond the V ones do not survive a syscall */
			h.size = SVE_HEADER_SIZE;
			memcpy(rec + 4, &h.size, sizeof(h.size));
			memset(rec + 12, 0, 4);
			if (out + sizeof(rec) > OTHERS_MAX)
				return false;
			memcpy(learnt.others + out, rec, sizeof(rec));
			out += sizeof(rec);
			memcpy(&h, base + off, sizeof(h));
			continue;
		}
		if (out + h.size > OTHERS_MAX)
			return false;
		memcpy(learnt.others + out, base + off, h.size);
		out += h.size;
	}
	learnt.others_size = (uint32_t)out;
	return true;
}

void arch_fast_learn(const ucontext_t *uc)
{
	arch_fast_signal_arrived(uc);
}

void arch_fast_signal_arrived(const ucontext_t *uc)
{
	/* a delivery, and whatever the handler does, may change the blocked set and the stack */
	fe_set(sud_fast_entry, FE_MASK_KNOWN, 0);
	altstack.known = false;
	learnt.known = false;
	if (!learn_records(uc))
		return;
	learnt.fault_address = uc->uc_mcontext.fault_address;
	learnt.pstate = uc->uc_mcontext.pstate & ~(PSR_NZCV | PSR_BTYPE_MASK);
	learnt.known = true;
	if (!__atomic_load_n(&frames_seen, __ATOMIC_RELAXED))
		__atomic_store_n(&frames_seen, true, __ATOMIC_RELEASE);
}

void arch_fast_forget_frame(void)
{
	learnt.known = false;
}

void arch_fast_altstack_set(const stack_t *ss)
{
	(void)ss;	/* its flags are altstack.c's; the build asks for the stack itself */
	altstack.known = false;
}

bool arch_fast_can_dispatch(void)
{
	return __atomic_load_n(&frames_seen, __ATOMIC_ACQUIRE);
}

unsigned long arch_fast_dispatched(void)
{
	return __atomic_load_n(&dispatched, __ATOMIC_RELAXED);
}

unsigned long *arch_fast_site_cell(void)
{
	return (unsigned long *)(sud_fast_entry + FE_SITE);
}

/* The records of the frame at @rec: fpsimd_context from the entry's save, the learnt ones, the end. */
static void frame_records(unsigned char *rec, const unsigned char *fe)
{
	const struct rec_head fpsimd = { REC_FPSIMD_MAGIC, FPSIMD_SIZE };

	memcpy(rec, &fpsimd, sizeof(fpsimd));
	memcpy(rec + REC_HEAD_SIZE, fe + FE_FPSR, FPSIMD_SIZE - REC_HEAD_SIZE);
	memcpy(rec + FPSIMD_SIZE, learnt.others, learnt.others_size);
	memset(rec + FPSIMD_SIZE + learnt.others_size, 0, REC_HEAD_SIZE);
}

/*
 * Where get_sigframe() puts the frame for a sp of @sp, an action with
 * @flags and the alternate stack @ss: 0 where only the trap path can
 * deliver (an SS_AUTODISARM stack, one without room for the build).
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
	return ((top - 16) & ~15ul) - RT_SIGFRAME;
}

/* A frame one of the thread's latest dispatches built, at @sp: its memory is known. */
static bool recent_frame(unsigned long sp)
{
	for (int i = 0; i < RECENT_FRAMES; i++)
		if (recent_frames[i] == sp)
			return true;
	return false;
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
	uint64_t mask;
	stack_t ss;

	if (!recent_frame(sp) || sud_sigsys_pending() || !altstack.known) {
		block_all_signals(fe);
		altstack.known = false;
		sud_rt_sigreturn_at(sp, recent_frame(sp));
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
	fe_set(fe, FE_REAL_MASK, mask & ~(sud_sigbit(SIGKILL) | sud_sigbit(SIGSTOP)));
	fe_set(fe, FE_MASK_KNOWN, 1);
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
	unsigned long ret = fe_word(fe, FE_PC), sp = fe_word(fe, FE_SP), flags, frame;
	long nr = (long)fe_word(fe, FE_X(8));
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
	if (!learnt.known || self->cfg.mode == SUD_MODE_OFF || sud_ip_exempt(&self->cfg, ret) ||
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
	/* the frame record {fp, lr} of the interrupted code, right above the frame */
	memcpy((void *)(frame + RT_SIGFRAME), fe + FE_X(29), 16);
	uc->uc_flags = 0;
	uc->uc_link = NULL;
	ss.ss_flags = sud_altstack_flags(&ss);
	uc->uc_stack = ss;
	memcpy(uc->uc_mcontext.regs, fe, 31 * 8);
	uc->uc_mcontext.sp = sp;
	uc->uc_mcontext.pc = ret;
	uc->uc_mcontext.pstate = learnt.pstate | (fe_word(fe, FE_NZCV) & PSR_NZCV);
	uc->uc_mcontext.fault_address = learnt.fault_address;
	sud_uc_set_mask(uc, fe_word(fe, FE_OLDMASK));
	frame_records(uc->uc_mcontext.__reserved, fe);
	if (e.siginfo) {
		memset(info, 0, SIGINFO_SIZE);
		info->si_signo = SIGSYS;
		info->si_code = SYS_USER_DISPATCH;
		info->si_call_addr = (void *)ret;
		info->si_syscall = (int)nr;
		info->si_arch = ARCH_AUDIT_NATIVE;
	}
	arch_entry_frame(&launch, info, uc, &e, &uc->uc_stack);
	recent_frames[recent_next++ % RECENT_FRAMES] = frame;
	fe_set(fe, FE_UNDO_SIGSYS, self->sigsys_blocked);
	/* a build dropped from here on is taken off the count (arch_fast_adopt_dispatch()) */
	__atomic_add_fetch(&dispatched, 1, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	fe_set(fe, FE_UNDO, UNDO_DISPATCH);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	sud_sigsys_user_dispatched(sigsys_blocked);
	/* the entry frame's rt_sigreturn puts the handler's mask in force */
	fe_set(fe, FE_REAL_MASK, e.mask & ~(sud_sigbit(SIGKILL) | sud_sigbit(SIGSTOP)));
	fe_set(fe, FE_MASK_KNOWN, 1);
	sud_fast_commit((unsigned long)&launch);
}

/* The FP/SIMD registers as the entry saved them, into @uc's fpsimd_context. */
static void adopt_fpsimd(ucontext_t *uc, const unsigned char *fe)
{
	unsigned char *rec = uc->uc_mcontext.__reserved;
	struct rec_head h;

	memcpy(&h, rec, sizeof(h));
	if (h.magic == REC_FPSIMD_MAGIC && h.size == FPSIMD_SIZE)
		memcpy(rec + REC_HEAD_SIZE, fe + FE_FPSR, FPSIMD_SIZE - REC_HEAD_SIZE);
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
 * rt_sigreturn: a signal arrived before the site's svc, which runs again
 * once it is handled, with the registers, FP/SIMD state and flags the
 * entry found (read back from where it has saved them so far).
 */
bool arch_fast_adopt_dispatch(ucontext_t *uc, unsigned long stash)
{
	unsigned long ip = uc->uc_mcontext.pc, saved[2];
	unsigned char *fe = sud_fast_entry;
	mcontext_t *m = &uc->uc_mcontext;
	bool in_entry = ip - (unsigned long)sud_fast_dispatch <
			(unsigned long)(sud_fast_dispatch_end - sud_fast_dispatch);
	bool in_commit = ip - (unsigned long)sud_fast_commit <
			 (unsigned long)sud_fast_commit_end - (unsigned long)sud_fast_commit;

	(void)stash;
	if (!in_entry && !in_commit && !fe_word(fe, FE_BUILDING))
		return false;
	if (in_entry && ip < (unsigned long)sud_fast_dispatch_saved) {
		/* the stub's save of x16 and x17 is still at sp */
		if (ip >= (unsigned long)sud_fast_dispatch_gprs_saved) {
			memcpy(m->regs, fe, 31 * 8);
			m->pstate = (m->pstate & ~PSR_NZCV) | (fe_word(fe, FE_NZCV) & PSR_NZCV);
		}
		if (sud_copy_from_user(saved, (const void *)m->sp, sizeof(saved)))
			return false;
		m->regs[16] = saved[0];
		m->regs[17] = saved[1];
		m->sp += sizeof(saved);
	} else {
		memcpy(m->regs, fe, 31 * 8);
		m->sp = fe_word(fe, FE_SP);
		m->pstate = (m->pstate & ~PSR_NZCV) | (fe_word(fe, FE_NZCV) & PSR_NZCV);
		adopt_fpsimd(uc, fe);
		undo(fe);
		fe_set(fe, FE_BUILDING, 0);
	}
	m->pc = *(const unsigned long *)fe_word(fe, FE_SITE) - ARCH_SYSCALL_INSN_SIZE;
	return true;
}
