// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * x86-64: the signal frames the library builds (a child's first, a
 * handler's entry) and a trapped syscall's return into its re-issue in the
 * application's own context.
 */
#include <stddef.h>
#include <string.h>
#include <asm/prctl.h>
#include <sys/syscall.h>

#include "arch-api.h"

#ifndef FP_XSTATE_MAGIC1
#define FP_XSTATE_MAGIC1	0x46505853u
#endif
#define FXSAVE_SIZE		512
#define SW_BYTES_OFFSET		464	/* struct _fpx_sw_bytes inside the fxsave area */
#define SIGINFO_SIZE		128
/* The kernel's struct ucontext ends with a 64-bit sigset: glibc's layout up to there. */
#define KERNEL_UCONTEXT_SIZE	(offsetof(ucontext_t, uc_sigmask) + sizeof(uint64_t))

/* trampoline.S's unwind info for sud_tramp_restorer reads gregs[] of the kernel's ucontext at these places. */
_Static_assert(offsetof(ucontext_t, uc_mcontext.gregs) == 40, "UC_GREG in trampoline.S");
_Static_assert(REG_R8 == 0 && REG_R15 == 7 && REG_RDI == 8 && REG_RSI == 9 && REG_RBP == 10 &&
	       REG_RBX == 11 && REG_RDX == 12 && REG_RAX == 13 && REG_RCX == 14 &&
	       REG_RSP == 15 && REG_RIP == 16, "the gregs[] slots in trampoline.S");

static size_t fpstate_size(const void *fp)
{
	uint32_t magic1, extended;

	if (!fp)
		return 0;
	memcpy(&magic1, (const char *)fp + SW_BYTES_OFFSET, sizeof(magic1));
	memcpy(&extended, (const char *)fp + SW_BYTES_OFFSET + 4, sizeof(extended));
	return magic1 == FP_XSTATE_MAGIC1 ? extended : FXSAVE_SIZE;
}

/*
 * [fpstate, 64-byte aligned][pretcode][struct ucontext][siginfo]: rt_sigreturn
 * reads the frame at sp - 8, as if a restorer had popped pretcode.
 */
unsigned long arch_build_sigframe(void *buf, unsigned long size, const struct sud_resume *r)
{
	const ucontext_t *uc = r->uc;
	uintptr_t fp = ((uintptr_t)buf + 63) & ~(uintptr_t)63;
	size_t fpsize = fpstate_size(uc->uc_mcontext.fpregs);
	uintptr_t frame = (fp + fpsize + 15) & ~(uintptr_t)15;
	ucontext_t *nuc = (ucontext_t *)(frame + 8);

	if (frame + 8 + KERNEL_UCONTEXT_SIZE + SIGINFO_SIZE > (uintptr_t)buf + size)
		return 0;
	memcpy((void *)fp, uc->uc_mcontext.fpregs, fpsize);
	memset((void *)frame, 0, 8 + KERNEL_UCONTEXT_SIZE + SIGINFO_SIZE);
	memcpy(nuc, uc, KERNEL_UCONTEXT_SIZE);
	nuc->uc_mcontext.fpregs = fpsize ? (void *)fp : NULL;
	nuc->uc_mcontext.gregs[REG_RAX] = r->ret;
	if (r->sp)
		nuc->uc_mcontext.gregs[REG_RSP] = (greg_t)r->sp;
	sud_resume_signal_state(nuc, r);
	return frame + 8;
}

void arch_set_thread_pointer(unsigned long tp)
{
	sud_sys2(SYS_arch_prctl, ARCH_SET_FS, tp);
}

#define X86_EFLAGS_TF		0x00000100
#define X86_EFLAGS_DF		0x00000400
#define X86_EFLAGS_RF		0x00010000

/*
 * As __setup_rt_frame() and handle_signal(): pretcode is the restorer, the
 * arguments are the signal, the frame's siginfo and ucontext (for every
 * handler), rax 0, DF, RF and TF clear. The entry frame has no fpstate, so
 * rt_sigreturn gives the handler the initial FPU state, as the kernel's
 * fpu__clear_user_states() does; the interrupted state stays in the frame.
 */
void arch_enter_handler(siginfo_t *info, ucontext_t *uc, const struct sud_handler_entry *e)
{
	struct {
		uint64_t pretcode;
		ucontext_t uc;
	} __attribute__((aligned(16))) entry;
	greg_t *g = entry.uc.uc_mcontext.gregs;

	memcpy(&entry.uc, uc, KERNEL_UCONTEXT_SIZE);
	g[REG_RDI] = e->sig;
	g[REG_RSI] = (greg_t)info;
	g[REG_RDX] = (greg_t)uc;
	g[REG_RAX] = 0;
	g[REG_RSP] = (greg_t)((char *)uc - 8);
	g[REG_RIP] = (greg_t)e->handler;
	g[REG_EFL] &= ~(greg_t)(X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_RF);
	entry.uc.uc_mcontext.fpregs = NULL;
	/* rt_sigreturn restores the alternate stack: the one in force now */
	sud_sys2(SYS_sigaltstack, NULL, &entry.uc.uc_stack);
	sud_uc_set_mask(&entry.uc, e->mask);
	memcpy((char *)uc - 8, &e->restorer, sizeof(e->restorer));
	sud_tramp_sigreturn_at((unsigned long)&entry.uc);
}

void arch_uc_adopt(ucontext_t *uc, const ucontext_t *app, bool restart)
{
	greg_t ax = uc->uc_mcontext.gregs[REG_RAX];
	fpregset_t fp = uc->uc_mcontext.fpregs;

	memcpy(uc->uc_mcontext.gregs, app->uc_mcontext.gregs, sizeof(uc->uc_mcontext.gregs));
	if (fp && app->uc_mcontext.fpregs)
		memcpy(fp, app->uc_mcontext.fpregs, fpstate_size(app->uc_mcontext.fpregs));
	/* the result, or for a restart the number (orig_ax, or __NR_restart_syscall) */
	uc->uc_mcontext.gregs[REG_RAX] = ax;
	if (restart)
		uc->uc_mcontext.gregs[REG_RIP] -= ARCH_SYSCALL_INSN_SIZE;
}

bool arch_uc_save(ucontext_t *dst, void *space, size_t size, const ucontext_t *src)
{
	size_t fpsize = fpstate_size(src->uc_mcontext.fpregs);

	if (fpsize > size)
		return false;
	memcpy(dst, src, KERNEL_UCONTEXT_SIZE);
	if (fpsize)
		memcpy(space, src->uc_mcontext.fpregs, fpsize);
	dst->uc_mcontext.fpregs = fpsize ? space : NULL;
	return true;
}

/* Where sud_tramp_in_place returns to: the site's, until the syscall has returned there. */
__thread unsigned long sud_in_place_ret __attribute__((tls_model("initial-exec")));
extern char sud_tramp_in_place[], sud_tramp_in_place_ret[], sud_tramp_in_place_end[];

void arch_reissue_in_place(ucontext_t *uc, int nr)
{
	greg_t *g = uc->uc_mcontext.gregs;

	sud_in_place_ret = (unsigned long)g[REG_RIP];
	g[REG_RAX] = nr;
	g[REG_RIP] = (greg_t)sud_tramp_in_place;
}

/*
 * A signal there stands at the site: on its syscall where that has not
 * run, or where the kernel set it up to run again; after it otherwise.
 * Nothing of it is left for the site to come back to, so a handler that
 * issues one of its own overwrites nothing still wanted.
 */
bool arch_adopt_in_place(ucontext_t *uc)
{
	greg_t *g = uc->uc_mcontext.gregs;
	unsigned long ip = (unsigned long)g[REG_RIP];

	if (ip < (unsigned long)sud_tramp_in_place || ip >= (unsigned long)sud_tramp_in_place_end)
		return false;
	g[REG_RCX] = (greg_t)sud_in_place_ret;
	g[REG_RIP] = (greg_t)(ip == (unsigned long)sud_tramp_in_place ?
			      sud_in_place_ret - ARCH_SYSCALL_INSN_SIZE : sud_in_place_ret);
	return true;
}
