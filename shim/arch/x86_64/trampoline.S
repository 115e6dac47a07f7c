/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * x86-64: the range the emulation's filter exempts, and nothing else.
 * The library issues its own syscalls from here; the stubs whose syscalls
 * the filter must see as the application's are in outside.S.
 */
#include "arch-asm.h"
#include "fastpath-layout.h"

SUD_TRAMPOLINE_BEGIN

	sud_syscall_func sud_tramp_syscall

/* The application's syscalls, re-issued, the only place with its signal mask (reissue-call.h). */
	sud_window_func sud_tramp_reissue, sud_tramp_reissue_open, sud_tramp_reissue_ret, \
		sud_tramp_reissue_close

/*
 * The SA_RESTORER of the library's SIGSYS action, as glibc's __restore_rt:
 * the bytes that unwinders recognise (mov $15, %rax; syscall), and unwind
 * info that reads the interrupted context from the kernel's rt_sigframe. A
 * handler returns here with sp at the frame's struct ucontext, pretcode
 * popped; every register is at its uc_mcontext.gregs slot, the CFA is the
 * interrupted rsp. The FDE starts at a nop before the symbol: an unwinder
 * looks up a return address minus one, which must land here, not in
 * sud_tramp_syscall.
 */
#define UC_GREG(i)	(40+8*(i))	/* uc_flags, uc_link, uc_stack; then gregs[] */
	.cfi_startproc
	.cfi_signal_frame
	sud_cfi_cfa_at 7, UC_GREG(15)		/* rsp: REG_RSP */
	sud_cfi_reg_at 0, 7, UC_GREG(13)	/* rax: REG_RAX */
	sud_cfi_reg_at 1, 7, UC_GREG(12)	/* rdx */
	sud_cfi_reg_at 2, 7, UC_GREG(14)	/* rcx */
	sud_cfi_reg_at 3, 7, UC_GREG(11)	/* rbx */
	sud_cfi_reg_at 4, 7, UC_GREG(9)		/* rsi */
	sud_cfi_reg_at 5, 7, UC_GREG(8)		/* rdi */
	sud_cfi_reg_at 6, 7, UC_GREG(10)	/* rbp */
	sud_cfi_reg_at 8, 7, UC_GREG(0)		/* r8..r15: REG_R8..REG_R15 */
	sud_cfi_reg_at 9, 7, UC_GREG(1)
	sud_cfi_reg_at 10, 7, UC_GREG(2)
	sud_cfi_reg_at 11, 7, UC_GREG(3)
	sud_cfi_reg_at 12, 7, UC_GREG(4)
	sud_cfi_reg_at 13, 7, UC_GREG(5)
	sud_cfi_reg_at 14, 7, UC_GREG(6)
	sud_cfi_reg_at 15, 7, UC_GREG(7)
	sud_cfi_reg_at 16, 7, UC_GREG(16)	/* the return address column: REG_RIP */
	nop
SUD_FUNC(sud_tramp_restorer)
	restorer_body
	ud2
	.cfi_endproc
SUD_ENDFUNC(sud_tramp_restorer)

/*
 * void sud_tramp_sigreturn_at(unsigned long sp): rt_sigreturn of the frame
 * a restorer at @sp would return. Its unwind info, which says there is no
 * caller, lets the fast path prove its site where a copy of the trampoline
 * is another SUD client's (tools/trace).
 */
	.cfi_startproc
SUD_FUNC(sud_tramp_sigreturn_at)
	.cfi_undefined rip
	mov	%rdi, %rsp
	mov	$__NR_rt_sigreturn, %eax
	syscall
	ud2
SUD_ENDFUNC(sud_tramp_sigreturn_at)
	.cfi_endproc

/*
 * A trapped syscall issued again in the application's own context
 * (sigframe.c's arch_reissue_in_place()): the library's rt_sigreturn
 * enters here with every register and the stack the application's, and
 * the syscall returns to the site through sud_in_place_ret (TLS), with
 * rcx the site's return address, as the site's own syscall leaves it.
 */
#ifndef SUD_TRAMPOLINE_WITHOUT_FAST_SLOTS	/* the library's own, not tools/trace's copy */
SUD_FUNC(sud_tramp_in_place)
	syscall
SUD_SYMBOL(sud_tramp_in_place_ret)
	mov	sud_in_place_ret@gottpoff(%rip), %rcx
	mov	%fs:(%rcx), %rcx
	jmp	*%rcx
SUD_SYMBOL(sud_tramp_in_place_end)
SUD_ENDFUNC(sud_tramp_in_place)
#endif

/* The same for the foreign ABI's syscalls. */
	sud_window_func sud_tramp_foreign_reissue, sud_tramp_foreign_open, sud_tramp_foreign_ret, \
		sud_tramp_foreign_close, window_load_foreign, foreign_insn

/*
 * The fast path's pass-through (shim/fastpath.c): slot k issues the
 * syscall of rewritten site k from the exempt range and returns to the
 * site's next instruction, with rcx as the site's own syscall leaves it
 * and r11 from this one. One slot per site, so that nothing outside the
 * slot says where to return: a restart runs the slot again, and a
 * handler that interrupts it (whose context fastpath.c moves to the site)
 * leaves nothing behind.
 */
#ifndef SUD_TRAMPOLINE_WITHOUT_FAST_SLOTS	/* tools/trace links its own copy, without */
	.p2align 4
SUD_SYMBOL(sud_fast_slots)
	.set	slot, 0
	.rept	ARCH_FAST_SLOTS
	syscall
	mov	sud_fast_ret+8*slot(%rip), %rcx
	jmp	*%rcx
	.p2align 4, 0xcc
	.set	slot, slot+1
	.endr
SUD_SYMBOL(sud_fast_slots_end)

/*
 * The user-space dispatch (fast_dispatch.c), entered from a site's stub
 * at BLOCK: rax the number, the application's rcx in sud_self.fast_stash,
 * every other register, the flags and the stack the application's. The
 * red zone stays untouched: the flags pass through the stack below it.
 * Where the thread's blocked set is known (FE_MASK_KNOWN), nothing is
 * blocked and no syscall is issued unless the handler's mask differs;
 * otherwise every signal is blocked while the frame is built. A signal
 * that lands before sud_fast_dispatch_commit (in the build's C code too,
 * FE_BUILDING), or from sud_fast_dispatch_entered on, is taken for one at
 * the site's syscall; in between, for one at the handler's entry
 * (arch_fast_adopt_dispatch()).
 * r13 holds sud_fast_entry's address.
 */
#define FE_GREG(i)	(8*(i))
	.macro fe_regs op, base
	\op	%r8, FE_GREG(0), \base
	\op	%r9, FE_GREG(1), \base
	\op	%r10, FE_GREG(2), \base
	\op	%r11, FE_GREG(3), \base
	\op	%r12, FE_GREG(4), \base
	\op	%r13, FE_GREG(5), \base
	\op	%r14, FE_GREG(6), \base
	\op	%r15, FE_GREG(7), \base
	\op	%rdi, FE_GREG(8), \base
	\op	%rsi, FE_GREG(9), \base
	\op	%rbp, FE_GREG(10), \base
	\op	%rbx, FE_GREG(11), \base
	\op	%rdx, FE_GREG(12), \base
	\op	%rax, FE_GREG(13), \base
	.endm
	.macro fe_store reg, at, base
	mov	\reg, %fs:\at(\base)
	.endm
	.macro fe_load reg, at, base
	mov	\at(\base), \reg
	.endm
	/* rt_sigprocmask(@how, @set, NULL or r13 + @old) */
	.macro fe_sigprocmask how, set, old
	mov	$__NR_rt_sigprocmask, %eax
	mov	$\how, %edi
	lea	\set, %rsi
	.if \old
	lea	\old(%r13), %rdx
	.else
	xor	%edx, %edx
	.endif
	mov	$8, %r10d
	syscall
	.endm
	/* edx:eax, the features of the kernel's signal frames' XSAVE images */
	.macro fe_xfeatures
	mov	sud_fast_xsave+8(%rip), %eax
	mov	sud_fast_xsave+12(%rip), %edx
	.endm

	.p2align 4
SUD_FUNC(sud_fast_dispatch)
	mov	sud_fast_entry@gottpoff(%rip), %rcx
	mov	%rsp, %fs:FE_RSP(%rcx)
	fe_regs fe_store, %rcx
	movq	$0, %fs:FE_XSAVED(%rcx)
	movq	$0, %fs:FE_BUILT(%rcx)
	movq	$0, %fs:FE_BUILDING(%rcx)
SUD_SYMBOL(sud_fast_dispatch_saved)
	lea	-128(%rsp), %rsp
	pushfq
	popq	%fs:FE_EFL(%rcx)
	lea	128(%rsp), %rsp
SUD_SYMBOL(sud_fast_dispatch_flags_saved)
	cld				/* as the kernel's entry: C copies forwards */
	mov	%fs:0, %r13
	add	%rcx, %r13
	xor	%eax, %eax
	mov	%rax, FE_BLOCKED(%r13)
	cmp	%rax, FE_MASK_KNOWN(%r13)
	je	6f
	mov	FE_REAL_MASK(%r13), %rax
	mov	%rax, FE_OLDMASK(%r13)
	jmp	7f
6:	fe_sigprocmask 0, sud_fast_all_signals(%rip), FE_OLDMASK
	movq	$1, FE_BLOCKED(%r13)
7:	mov	FE_SITE(%r13), %rax
	mov	(%rax), %rax
	mov	%rax, FE_RIP(%r13)
	/*
	 * The frame goes where get_sigframe() puts it: below the red zone of
	 * the stack in use, or at the top of the alternate stack for an
	 * SA_ONSTACK action when the sp below the red zone is not on it. On
	 * an alternate stack, it must leave the build's C code room there;
	 * otherwise (the kernel's overflow SIGSEGV too), the trap path. A
	 * frame the entry moves to the alternate stack is built from below
	 * the red zone of the stack in use, which a signal that lands in the
	 * build finds as at the site's syscall.
	 */
	cmpq	$0, FE_SS_KNOWN(%r13)
	jne	4f
	mov	$__NR_sigaltstack, %eax
	xor	%edi, %edi
	lea	FE_SS(%r13), %rsi
	syscall
	test	%rax, %rax
	jnz	3f
	testl	$0x80000000, FE_SS+8(%r13)	/* SS_AUTODISARM: the trap path */
	jnz	3f
	movq	$1, FE_SS_KNOWN(%r13)
4:	xor	%ecx, %ecx			/* 0 the stack in use, 1 nested, 2 entering */
	mov	FE_RSP(%r13), %rdi
	mov	%rdi, %rax
	sub	FE_SS(%r13), %rax		/* the kernel's __on_sig_stack(sp) */
	jbe	5f
	cmp	FE_SS_SIZE(%r13), %rax
	ja	5f
	mov	$1, %ecx
5:	sub	$128, %rdi
	movzbl	sud_sigsys_onstack(%rip), %eax
	mov	%rax, FE_ONSTACK(%r13)
	test	%eax, %eax
	jz	10f
	cmpq	$0, FE_SS_SIZE(%r13)		/* sas_ss_flags(sp): SS_DISABLE */
	je	10f
	mov	%rdi, %rax
	sub	FE_SS(%r13), %rax
	jbe	11f
	cmp	FE_SS_SIZE(%r13), %rax
	jbe	10f				/* SS_ONSTACK: stays */
11:	cmp	$1, %ecx			/* the top, under nested frames: the trap path */
	je	3f
	mov	FE_SS(%r13), %rdi
	add	FE_SS_SIZE(%r13), %rdi
	mov	$2, %ecx
10:	mov	%rcx, FE_SWITCHES(%r13)
	shrq	$1, FE_SWITCHES(%r13)
	sub	sud_fast_xsave(%rip), %rdi
	and	$-64, %rdi
	mov	%rdi, FE_FX(%r13)
	/* the build's stack, in rsi until it is in force: rsp moves once, to one stack */
	lea	-(440+64)(%rdi), %rsi
	and	$-16, %rsi
	test	%ecx, %ecx
	jz	12f
	mov	%rdi, %rax
	sub	FE_SS(%r13), %rax
	jbe	3f
	cmp	$(440+64+FE_BUILD_STACK), %rax
	jbe	3f
	cmp	$2, %ecx
	jne	12f
	/* entering: the build's C code below the red zone of the stack in use, clear of the frame */
	mov	FE_SS(%r13), %rdx
	add	FE_SS_SIZE(%r13), %rdx
	mov	FE_RSP(%r13), %rsi
	lea	-128(%rsi), %rsi
	mov	%rsi, %rax
	sub	%rdx, %rax			/* how far below the alternate stack's top lies */
	jbe	13f				/* above: not on it, so all of it */
	cmp	$(FE_BUILD_STACK+16), %rax
	jb	3f
13:	and	$-16, %rsi
12:	mov	%rsi, %rsp
	mov	FE_FX(%r13), %rdi
	xor	%eax, %eax
	.irp	at, 0, 8, 16, 24, 32, 40, 48, 56
	mov	%rax, 512+\at(%rdi)
	.endr
	fe_xfeatures
	xsave64	(%rdi)
	movq	$1, FE_XSAVED(%r13)
	movq	$1, FE_BUILDING(%r13)
	mov	%r13, %rdi
	call	sud_fast_dispatch_build
	movq	$0, FE_BUILDING(%r13)
	test	%eax, %eax
	jz	1f
	cmp	$2, %eax
	je	2f
	/* the handler starts with the initial FPU state, PKRU as it is */
	fe_xfeatures
	and	$~0x200, %eax
	lea	sud_fast_init_fpu(%rip), %rdi
	xrstor64 (%rdi)
	/*
	 * A signal must find the stack the context it is given stands on:
	 * moving to the handler's frame is the commit where the mask stays,
	 * and where it changes on the way to the alternate stack, both
	 * happen with every signal blocked.
	 */
	mov	FE_SETMASK(%r13), %rax
	cmp	FE_OLDMASK(%r13), %rax
	jne	8f
	cmpq	$0, FE_BLOCKED(%r13)
	jne	8f
	mov	FE_FRAME(%r13), %rsp
SUD_SYMBOL(sud_fast_dispatch_switched)
	jmp	sud_fast_dispatch_commit
SUD_SYMBOL(sud_fast_dispatch_switched_end)
8:	cmpq	$0, FE_BLOCKED(%r13)
	jne	9f
	cmpq	$0, FE_SWITCHES(%r13)
	je	9f
	fe_sigprocmask 0, sud_fast_all_signals(%rip), 0
9:	mov	FE_FRAME(%r13), %rsp
	fe_sigprocmask 2, FE_SETMASK(%r13), 0
SUD_SYMBOL(sud_fast_dispatch_commit)
	mov	FE_SETMASK(%r13), %rax
	mov	%rax, FE_REAL_MASK(%r13)
	movq	$1, FE_MASK_KNOWN(%r13)
	mov	%r13, %rcx
	fe_regs fe_load, %rcx
	mov	FE_EFL(%rcx), %r11
	mov	FE_INFO(%rcx), %rsi
	mov	FE_UC(%rcx), %rdx
	mov	$31, %edi		/* SIGSYS */
	mov	$0, %eax
	pushq	FE_HFLAGS(%rcx)
	popfq
	pushq	FE_HANDLER(%rcx)
	mov	FE_RIP(%rcx), %rcx
	ret
SUD_SYMBOL(sud_fast_dispatch_entered)
	/* an exempt restorer's rt_sigreturn, emulated with every signal blocked: the frame restores the FPU state */
2:	cmpq	$0, FE_BLOCKED(%r13)
	jne	9f
	movq	$0, FE_MASK_KNOWN(%r13)
	fe_sigprocmask 0, sud_fast_all_signals(%rip), 0
9:	mov	FE_RSP(%r13), %rdi
	call	sud_fast_sigreturn_at
	ud2
	/* the trap path after all: the FPU state, the mask and the registers, at the site's syscall */
1:	fe_xfeatures
	mov	FE_FX(%r13), %rdi
	xrstor64 (%rdi)
3:	cmpq	$0, FE_BLOCKED(%r13)
	je	sud_fast_dispatch_fallback
	fe_sigprocmask 2, FE_OLDMASK(%r13), 0
SUD_SYMBOL(sud_fast_dispatch_fallback)
	mov	%r13, %rcx
	fe_regs fe_load, %rcx
	mov	FE_RSP(%rcx), %rsp
	lea	-128(%rsp), %rsp
	pushq	FE_EFL(%rcx)
	popfq
	lea	128(%rsp), %rsp
	mov	FE_RIP(%rcx), %rcx
	lea	-2(%rcx), %rcx
	jmp	*%rcx
SUD_SYMBOL(sud_fast_dispatch_end)
SUD_ENDFUNC(sud_fast_dispatch)

/*
 * A restorer's rt_sigreturn at ALLOW, from its stub (fastpath.c): rsp at
 * the application's frame, as the site's syscall would find it. The
 * emulation (sud_fast_sigreturn_at()) runs with the handler's mask, as the
 * instruction before the restorer's syscall does; a signal that lands in
 * it is one at the restorer's syscall, and what it changed is undone
 * (arch_fast_adopt_dispatch()). sud_fast_sigreturn_commit(sp) ends it:
 * from sud_fast_sigreturn_last on, with FE_SR_SP clear, the rt_sigreturn.
 */
SUD_FUNC(sud_fast_sigreturn)
	cld
	mov	sud_fast_entry@gottpoff(%rip), %rcx
	movq	$0, %fs:FE_SR_CHANGED(%rcx)
	mov	%rsp, %fs:FE_SR_SP(%rcx)
SUD_SYMBOL(sud_fast_sigreturn_marked)
	mov	%rsp, %rdi
	and	$-16, %rsp
	call	sud_fast_sigreturn_at
	ud2
SUD_ENDFUNC(sud_fast_sigreturn)

SUD_FUNC(sud_fast_sigreturn_commit)
	mov	%rdi, %rsp
	mov	sud_fast_entry@gottpoff(%rip), %rcx
	movq	$0, %fs:FE_SR_SP(%rcx)
SUD_SYMBOL(sud_fast_sigreturn_last)
	mov	$__NR_rt_sigreturn, %eax
	syscall
SUD_SYMBOL(sud_fast_sigreturn_end)
	ud2
SUD_ENDFUNC(sud_fast_sigreturn_commit)

/*
 * A rewritten restorer's return without the kernel (sud_fast_sigreturn_at()
 * decides): the FPU state from the frame's image, the flags as the kernel's
 * rt_sigreturn sets them (its FIX_EFLAGS from the frame, the rest as they
 * are), then every register from FE_RET_GREGS; rip last, by a `ret $128`
 * from below the red zone of the sp it returns to, which it leaves as it
 * was. A signal that lands here is one after the rt_sigreturn
 * (arch_fast_adopt_dispatch()), and must be delivered on the stack of that
 * context: where the frame is on another one (FE_RET_SWITCH), the return
 * moves to it first, and one that lands before is one at the restorer's
 * syscall. On the same stack, the frame's FPU image is read from below it,
 * where no signal's frame can overwrite it.
 */
SUD_FUNC(sud_fast_return)
	mov	sud_fast_entry@gottpoff(%rip), %rcx
	add	%fs:0, %rcx
	cmpq	$0, FE_RET_SWITCH(%rcx)
	je	1f
	mov	FE_RET_GREGS+FE_GREG(15)(%rcx), %rsi
	lea	-144(%rsi), %rsp
1:
SUD_SYMBOL(sud_fast_return_switched)
	movq	$0, FE_SR_SP(%rcx)
	mov	FE_RET_FX(%rcx), %rsi
	fe_xfeatures
	xrstor64 (%rsi)
SUD_SYMBOL(sud_fast_return_restored)
	pushfq
	pop	%rax
	and	$~FE_FIX_EFLAGS, %rax
	lea	FE_RET_GREGS(%rcx), %rcx
	mov	FE_GREG(17)(%rcx), %rdx
	and	$FE_FIX_EFLAGS, %rdx
	or	%rdx, %rax
	mov	FE_GREG(15)(%rcx), %rsp
	lea	-144(%rsp), %rsp
	mov	%rax, (%rsp)
	mov	FE_GREG(16)(%rcx), %rax
	mov	%rax, 8(%rsp)
	popfq
	fe_regs fe_load, %rcx
	mov	FE_GREG(14)(%rcx), %rcx
	ret	$128
SUD_SYMBOL(sud_fast_return_end)
SUD_ENDFUNC(sud_fast_return)
#endif

SUD_TRAMPOLINE_END

#ifndef SUD_TRAMPOLINE_WITHOUT_FAST_SLOTS
/* Where slot k returns to: written once, before its site is rewritten. */
	.bss
	.p2align 3
SUD_SYMBOL(sud_fast_ret)
	.zero	8*ARCH_FAST_SLOTS
	.size	sud_fast_ret, 8*ARCH_FAST_SLOTS
	.previous
#endif

SUD_OBJECT_END
