// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * riscv64: instruction fetch is coherent with stores only after a fence.i
 * on the hart that fetches, and a fence.i of our own would serve this hart
 * alone. riscv_flush_icache() with flags 0 has the kernel make every hart
 * that runs the process execute one (and the others before they run it
 * again). Its result is not checked: the page is in place already, and
 * the kernel has its own fence.i when it first maps a page executable; a
 * kernel or emulator without the syscall (ENOSYS: before 4.15, QEMU-user)
 * leaves nothing better to do.
 */
#include "arch-api.h"

/* asm/unistd.h: __NR_arch_specific_syscall + 15 */
#ifndef __NR_riscv_flush_icache
#define __NR_riscv_flush_icache	259
#endif

void arch_code_sync(unsigned long addr, unsigned long n)
{
	sud_sys3(__NR_riscv_flush_icache, addr, addr + n, 0);
}
