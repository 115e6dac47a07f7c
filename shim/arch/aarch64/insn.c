// SPDX-License-Identifier: LGPL-2.1-or-later
/* arm64 syscall sites: svc #0, the number in x8. */
#include "arch-api.h"

#define SYSCALL_WORD	0xd4000001u
#define SYSCALL_ALIGN	4
#define SYSCALL_NR(uc)	((uc)->uc_mcontext.regs[8])
#include "syscall-word.h"
