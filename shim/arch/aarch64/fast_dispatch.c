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
#include "rules.h"
#include "signal_state.h"
#include "signal_syscalls.h"
#include "state.h"
#include "usercopy.h"
#include "sudcompat.h"

/* The entry's windows (trampoline.S) */
extern char sud_fast_dispatch_saved[], sud_fast_dispatch_blocked[], sud_fast_dispatch_unblocked[],
	sud_fast_dispatch_end[];

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
	(void)ss;	/* its flags are altstack.c's; the entry asks for the stack itself */
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

/*
 * From the entry, every signal blocked: 0 for the site's own syscall (the
 * entry puts everything back), otherwise it does not return: the handler
 * runs, or the emulation's rt_sigreturn.
 */
int sud_fast_dispatch_build(unsigned long *entry)
{
	unsigned char *fe = (unsigned char *)entry;
	struct sud_thread *self = &sud_self;
	unsigned long ret = fe_word(fe, FE_PC), sp = fe_word(fe, FE_SP), flags, frame;
	long nr = (long)fe_word(fe, FE_X(8));
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
		sud_rt_sigreturn_at(sp, recent_frame(sp));
	if (!learnt.known || self->cfg.mode == SUD_MODE_OFF || sud_ip_exempt(&self->cfg, ret) ||
	    !sud_sigsys_user_dispatch(fe_word(fe, FE_OLDMASK), &e, &flags, &sigsys_blocked) ||
	    sud_sys2(SYS_sigaltstack, NULL, &ss))
		return 0;
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
	recent_frames[recent_next++ % RECENT_FRAMES] = frame;
	__atomic_add_fetch(&dispatched, 1, __ATOMIC_RELAXED);
	sud_sigsys_user_dispatched(sigsys_blocked);
	arch_enter_handler_on(info, uc, &e, &uc->uc_stack);
}

/*
 * Before the rt_sigprocmask that blocks every signal, and on the way back
 * to the site's syscall after it unblocked them: a signal there arrived
 * before the site's svc, which runs again once it is handled.
 */
bool arch_fast_adopt_dispatch(ucontext_t *uc, unsigned long stash)
{
	unsigned long ip = uc->uc_mcontext.pc, cell, saved[2];
	const unsigned char *fe = sud_fast_entry;
	mcontext_t *m = &uc->uc_mcontext;

	(void)stash;
	if (ip >= (unsigned long)sud_fast_dispatch_unblocked &&
	    ip < (unsigned long)sud_fast_dispatch_end) {
		memcpy(m->regs, fe, 31 * 8);
		m->sp = fe_word(fe, FE_SP);
		m->pstate = (m->pstate & ~PSR_NZCV) | (fe_word(fe, FE_NZCV) & PSR_NZCV);
	} else if (ip >= (unsigned long)sud_fast_dispatch &&
		   ip < (unsigned long)sud_fast_dispatch_blocked) {
		if (ip >= (unsigned long)sud_fast_dispatch_saved) {
			memcpy(m->regs, fe, 4 * 8);
			m->regs[8] = fe_word(fe, FE_X(8));
		}
		if (sud_copy_from_user(saved, (const void *)m->sp, sizeof(saved)))
			return false;
		m->regs[16] = saved[0];
		m->regs[17] = saved[1];
		m->sp += sizeof(saved);
	} else {
		return false;
	}
	cell = fe_word(fe, FE_SITE);
	m->pc = *(const unsigned long *)cell - ARCH_SYSCALL_INSN_SIZE;
	return true;
}
