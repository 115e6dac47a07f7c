// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * x86-64: nothing to do. The code only ever changes by the kernel mapping
 * a new page in place of the old one, never by a store to a page that is
 * being executed, so there is no cross-modifying code to serialize: what a
 * CPU fetched before the swap are the old page's bytes, which never
 * change, so it runs the old code whole. Instruction fetch is coherent
 * with memory on x86; what a CPU could still hold is the old translation,
 * and the mremap() that swapped the page removed it before returning: on
 * the calling CPU with INVLPG or a CR3 write, both serializing, and on
 * every other CPU that runs the process with the TLB shootdown, an
 * interrupt whose delivery and IRET serialize that CPU. A descheduled
 * thread refetches through the new translation when it runs again, after
 * the CR3 write of the switch to the process (or that CPU's shootdown).
 */
#include "arch-api.h"

void arch_code_sync(unsigned long addr, unsigned long n)
{
	(void)addr;
	(void)n;
}
