/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The assembler's side of the architecture contract, for every
 * trampoline.S and for outside.S. An architecture's asm.h provides:
 *
 *   syscall_args        macro: the C arguments (nr, a0..a5) into the syscall's registers,
 *                       the seventh C argument into the sixth syscall argument register
 *   ARCH_SYSCALL_INSN   the syscall instruction
 *   clone_return_or_enter_child
 *                       macro, after sud_arch_clone's syscall: the parent returns its
 *                       result, the child calls sud_child_entry(child) with no frame to return to
 *   ARCH_FOREIGN_AUDIT_ARCH, foreign_syscall_body RET_LABEL
 *                       only where the architecture has a foreign syscall ABI
 *                       (ARCH_HAS_FOREIGN_ABI): its si_arch, and the body of a function
 *                       issuing its syscall from the C arguments (nr, a0..a5)
 *   masked_handler_body HOOK
 *                       macro, the body of sud_masked_handler: entered as a signal handler,
 *                       call HOOK(sig, info, uc) and jump to the handler it returns with the
 *                       registers and stack of the entry
 *   ARCH_HAS_RESTORER_BODY, restorer_body
 *                       only where the kernel takes SA_RESTORER (ARCH_HAS_SA_RESTORER):
 *                       the instructions of a restorer, rt_sigreturn with sp as the handler left it
 *   window_enter, window_leave, window_setmask SET, OLD, window_load, window_store_result
 *                       macros, the pieces of sud_window_func below: keep its argument, a
 *                       struct sud_reissue_call (reissue-call.h), in a register the kernel
 *                       and the callee keep, with CFI (enter), and return its result field
 *                       (leave); the registers of rt_sigprocmask(SIG_SETMASK, c + SET,
 *                       OLD < 0 ? NULL : c + OLD, 8); the syscall's registers from the
 *                       struct; its return register into the result field
 *   window_load_foreign, foreign_insn
 *                       only with ARCH_HAS_FOREIGN_ABI: the same loader and the instruction
 *                       for the foreign ABI's syscall
 *   ARCH_FUNC_ENTRY     what every function starts with (default: nothing)
 *   ARCH_ASM_NOTES      what every object carries besides the stack note (default: nothing)
 *
 * Only directives that every ELF assembler takes appear here.
 */
#ifndef SUDCOMPAT_ARCH_ASM_H
#define SUDCOMPAT_ARCH_ASM_H

#include "reissue-call.h"
#include "asm.h"

#ifndef ARCH_FUNC_ENTRY
#define ARCH_FUNC_ENTRY
#endif
#ifndef ARCH_ASM_NOTES
#define ARCH_ASM_NOTES
#endif

/* A symbol of the library: global for its other objects, hidden from everyone else. */
#define SUD_SYMBOL(name)	.globl name; .hidden name; name:
#define SUD_FUNC(name)		.globl name; .hidden name; .type name, %function; name:
#define SUD_ENDFUNC(name)	.size name, .-name

/* The range the filter exempts: every syscall instruction between the two runs untrapped. */
#define SUD_TRAMPOLINE_BEGIN						\
	.section .text.sudcompat_trampoline,"ax",%progbits;		\
	.p2align 4;							\
	SUD_SYMBOL(sud_trampoline_start)
#define SUD_TRAMPOLINE_END	SUD_SYMBOL(sud_trampoline_end)

/* Every object ends with this: no executable stack wanted. */
#define SUD_OBJECT_END		ARCH_ASM_NOTES; .section .note.GNU-stack,"",%progbits

/*
 * For architectures whose syscall takes its arguments in the registers of
 * the C arguments after the first, and its number in a register of its
 * own: move each argument down by one register, with instruction @mv.
 */
	.macro sud_shift_args mv, nr, r0, r1, r2, r3, r4, r5, r6
	\mv	\nr, \r0
	\mv	\r0, \r1
	\mv	\r1, \r2
	\mv	\r2, \r3
	\mv	\r3, \r4
	\mv	\r4, \r5
	\mv	\r5, \r6
	.endm

/*
 * Unwind info for a restorer, whose frame is the kernel's signal frame: the
 * locations are DWARF expressions on the stack pointer at the restorer's
 * entry (gas has no directive for them). @base is a DWARF register number
 * below 32, @off a byte offset from 0 to 8191 (one or two bytes of SLEB128).
 */
	.macro sud_cfi_sleb off
	.if \off < 64
	.cfi_escape \off
	.else
	.cfi_escape (\off & 0x7f) | 0x80, \off >> 7
	.endif
	.endm

/* DW_CFA_def_cfa_expression: the CFA is the word at @off from register @base. */
	.macro sud_cfi_cfa_at base, off
	.if \off < 64
	.cfi_escape 0x0f, 3, 0x70 + \base	/* DW_OP_breg<base> */
	.else
	.cfi_escape 0x0f, 4, 0x70 + \base
	.endif
	sud_cfi_sleb \off
	.cfi_escape 0x06			/* DW_OP_deref */
	.endm

/* DW_CFA_expression: register @reg was saved at @off from register @base. */
	.macro sud_cfi_reg_at reg, base, off
	.if \off < 64
	.cfi_escape 0x10, \reg, 2, 0x70 + \base
	.else
	.cfi_escape 0x10, \reg, 3, 0x70 + \base
	.endif
	sud_cfi_sleb \off
	.endm

/* long name(long nr, long a0, ..., long a5): the syscall, its result returned as -errno or value. */
	.macro sud_syscall_func name, ret_label
SUD_FUNC(\name)
	.cfi_startproc
	ARCH_FUNC_ENTRY
	syscall_args
	ARCH_SYSCALL_INSN
	.ifnb \ret_label
SUD_SYMBOL(\ret_label)
	.endif
	ret
	.cfi_endproc
SUD_ENDFUNC(\name)
	.endm

/*
 * long name(struct sud_reissue_call *c): the syscall of @c, with c->mask
 * as the real signal mask while it runs and the mask before put back after
 * it. @open is the first address after the mask opens, @ret the address
 * after the syscall, @close the instruction that shuts the mask again: a
 * signal can reach the thread only in [@open, @close] (reissue-call.h).
 */
	.macro sud_window_func name, open, ret, close, loader=window_load, insn=ARCH_SYSCALL_INSN
SUD_FUNC(\name)
	.cfi_startproc
	ARCH_FUNC_ENTRY
	window_enter
	window_setmask SUD_CALL_MASK, SUD_CALL_SAVED
	ARCH_SYSCALL_INSN
SUD_SYMBOL(\open)
	\loader
	\insn
SUD_SYMBOL(\ret)
	window_store_result
	window_setmask SUD_CALL_SAVED, -1
SUD_SYMBOL(\close)
	ARCH_SYSCALL_INSN
	window_leave
	.cfi_endproc
SUD_ENDFUNC(\name)
	.endm

#endif
