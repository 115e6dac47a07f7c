// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * riscv64 syscall sites: ecall, the number in a7. ecall has no
 * compressed form, and were the four bytes before the ip the upper half
 * of one instruction (0x0073) and a compressed one, that would be
 * 0x0000, the defined illegal instruction: they are an ecall.
 */
#include "arch-api.h"

#define SYSCALL_WORD	0x00000073u
#define SYSCALL_ALIGN	2
#define SYSCALL_NR(uc)	((uc)->uc_mcontext.__gregs[REG_A0 + 7])
#include "syscall-word.h"
