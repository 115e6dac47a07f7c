/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ucontext accessors of a trapped syscall, written once on the
 * register locations that an arch.h names before it includes this:
 *
 *   ARCH_UC_IP(uc)       the ip, the address after the syscall instruction
 *   ARCH_UC_SP(uc)       the stack pointer
 *   ARCH_UC_ARG(uc, i)   argument register i of six, unless arch.h has its own arch_uc_args()
 *   ARCH_UC_RET(uc)      the result register
 *
 * arch.h includes it, so that the tools and tests that know only arch.h
 * have the accessors too.
 */
#ifndef SUDCOMPAT_ARCH_UCONTEXT_H
#define SUDCOMPAT_ARCH_UCONTEXT_H

#include <ucontext.h>

static inline unsigned long arch_uc_ip(const ucontext_t *uc)
{
	return (unsigned long)ARCH_UC_IP(uc);
}

static inline void arch_uc_set_ip(ucontext_t *uc, unsigned long ip)
{
	ARCH_UC_IP(uc) = ip;
}

static inline unsigned long arch_uc_sp(const ucontext_t *uc)
{
	return (unsigned long)ARCH_UC_SP(uc);
}

static inline void arch_uc_set_sp(ucontext_t *uc, unsigned long sp)
{
	ARCH_UC_SP(uc) = sp;
}

/* The syscall arguments, as the kernel read them (syscall_rollback() restored the first). */
#ifndef arch_uc_args
static inline void arch_uc_args(const ucontext_t *uc, unsigned long a[6])
{
	for (int i = 0; i < 6; i++)
		a[i] = (unsigned long)ARCH_UC_ARG(uc, i);
}
#endif

static inline long arch_uc_return(const ucontext_t *uc)
{
	return (long)ARCH_UC_RET(uc);
}

static inline void arch_uc_set_return(ucontext_t *uc, long ret)
{
	ARCH_UC_RET(uc) = ret;
}

#endif
