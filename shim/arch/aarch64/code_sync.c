// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * arm64: the new page's bytes were stored through another address, and
 * instruction fetch is not coherent with data stores. The kernel cleans a
 * page to the point of unification when it first maps it executable, but
 * that is its own policy, not an ABI: clean the range's data cache lines
 * and invalidate its instruction cache lines here, to the inner shareable
 * domain, so that every CPU fetches the new code, then an isb for this one
 * (__builtin___clear_cache: dc cvau and ic ivau by line, each pass completed
 * by a dsb ish, either left out where CTR_EL0 says it is not needed). EL0
 * may do this on a page it can only read and execute (SCTLR_EL1.UCI).
 */
#include "arch-api.h"

void arch_code_sync(unsigned long addr, unsigned long n)
{
	__builtin___clear_cache((char *)addr, (char *)(addr + n));
}
