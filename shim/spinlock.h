/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one lock of the library, for its rare paths (the first arm, the
 * SIGSYS action): async-signal-safe, and it yields rather than spins, so
 * a holder that was preempted gets the CPU back.
 */
#ifndef SUDCOMPAT_SPINLOCK_H
#define SUDCOMPAT_SPINLOCK_H

#include <sys/syscall.h>

#include "arch-api.h"

static inline void sud_spin_lock(int *lock)
{
	while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE))
		sud_sys0(SYS_sched_yield);
}

static inline void sud_spin_unlock(int *lock)
{
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

#endif
