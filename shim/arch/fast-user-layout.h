/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The part of sud_fast_entry[] (TLS) that shim/fast_user_dispatch.c and
 * the entries of the architectures that use it (ARCH_FAST_TRAPS) share,
 * for the assembler and for C: from the architecture's FE_BUILDING on,
 * after its save of the application's registers and FP state, which is
 * FE_CONTEXT_BYTES long from FE_X(0).
 */
#ifndef SUDCOMPAT_FAST_USER_LAYOUT_H
#define SUDCOMPAT_FAST_USER_LAYOUT_H

#if !defined(FE_BUILDING) || !defined(FE_CONTEXT_BYTES)
#error "the architecture's fastpath-layout.h defines FE_BUILDING and FE_CONTEXT_BYTES first"
#endif

/* the thread's real blocked set, where the library knows it without asking the kernel */
#define FE_MASK_KNOWN	(FE_BUILDING + 8)	/* nonzero: FE_REAL_MASK is it */
#define FE_REAL_MASK	(FE_BUILDING + 16)
/* what a signal that lands before the commit's rt_sigreturn undoes */
#define FE_UNDO		(FE_BUILDING + 24)
#define FE_UNDO_MASK	(FE_BUILDING + 32)	/* a returning frame's uc_sigmask as it was */
#define FE_UNDO_SIGSYS	(FE_BUILDING + 40)	/* the virtual SIGSYS bit as it was */
/*
 * The context a handler's return goes back to without the kernel
 * (sud_fast_return), laid out as the entry's save; its FE_SITE is the
 * stub's tail it returns through.
 */
#define FE_RET		(FE_BUILDING + 48)
#define FE_BYTES	(FE_RET + FE_CONTEXT_BYTES)

#endif
