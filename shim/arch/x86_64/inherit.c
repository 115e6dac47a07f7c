// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * x86-64's per-thread controls that a child inherits (the contract:
 * ../arch-api.h): PR_SET_TSC (TIF_NOTSC, which fork copies and exec keeps)
 * and ARCH_SET_CPUID (TIF_NOCPUID, which fork copies and exec clears,
 * arch_setup_new_exec()). The thread that execs for the caller has them as
 * the caller has, and the kernel's exec does the rest. The GDT's TLS
 * entries, which 32-bit code sets with set_thread_area(): a clone copies
 * the creating thread's (copy_thread()), exec clears them (flush_thread()).
 */
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "arch-api.h"
#include "usercopy.h"

#define SUD_ARCH_GET_CPUID	0x1011
#define SUD_ARCH_SET_CPUID	0x1012

/*
 * The TLS entries are read and written by i386's get_thread_area() and
 * set_thread_area() (x86-64 has neither), through the int $0x80 window
 * with every signal blocked, on a buffer below 4 GiB: only once the process
 * has issued an i386 syscall, as no other code can set them, and a kernel
 * without IA32_EMULATION would fault int $0x80.
 */
#define I386_SET_THREAD_AREA	243
#define I386_GET_THREAD_AREA	244

bool sud_foreign_abi_used;

static long i386_thread_area(long nr, struct sud_tls_desc *low)
{
	struct sud_reissue_call c = { .nr = nr, .a = { (unsigned long)low }, .mask = ~0ull };

	return sud_tramp_foreign_reissue(&c);
}

static struct sud_tls_desc *low_buffer(void)
{
	long at = sud_sys6(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	return sud_is_error(at) ? NULL : (struct sud_tls_desc *)at;
}

static void tls_entries(struct sud_tls_desc *d, bool set)
{
	struct sud_tls_desc *low = low_buffer();

	for (int i = 0; low && i < ARCH_TLS_ENTRIES; i++) {
		low[i] = d[i];
		i386_thread_area(set ? I386_SET_THREAD_AREA : I386_GET_THREAD_AREA, &low[i]);
		d[i] = low[i];
	}
	if (low)
		sud_sys2(SYS_munmap, low, 4096);
}

void arch_inherit_capture(struct sud_arch_inherit *a, const struct sud_arch_thread *t)
{
	unsigned int tsc = 0;

	a->tsc = sud_sys2(SYS_prctl, PR_GET_TSC, &tsc) ? -1 : (int)tsc;
	a->cpuid = sud_sys2(SYS_arch_prctl, SUD_ARCH_GET_CPUID, 0);
	a->tls_read = __atomic_load_n(&sud_foreign_abi_used, __ATOMIC_RELAXED);
	for (int i = 0; i < ARCH_TLS_ENTRIES; i++)
		a->tls[i] = (struct sud_tls_desc){ .entry_number = ARCH_TLS_ENTRY_MIN + i };
	if (a->tls_read)
		tls_entries(a->tls, false);
	/* an i386 clone with CLONE_SETTLS: the child's entry is the one given */
	if (t && t->clone_tls_set)
		a->tls[t->clone_tls.entry_number - ARCH_TLS_ENTRY_MIN] = t->clone_tls;
}

long arch_foreign_clone_tls(struct sud_arch_thread *t, const void *udesc)
{
	struct sud_tls_desc *low;
	long rc;

	if (!udesc) {
		t->clone_tls_set = false;
		return 0;
	}
	low = low_buffer();
	if (!low)
		return -ENOMEM;
	rc = sud_copy_from_user(&low[0], udesc, sizeof(low[0])) ? -EFAULT : 0;
	/* the clone's do_set_thread_area() allocates no entry */
	if (!rc && low[0].entry_number == (uint32_t)-1)
		rc = -EINVAL;
	/* the kernel's own check of the descriptor, on this thread's entry, which is then put back */
	if (!rc) {
		low[1].entry_number = low[0].entry_number;
		rc = i386_thread_area(I386_GET_THREAD_AREA, &low[1]);
	}
	if (!rc)
		rc = i386_thread_area(I386_SET_THREAD_AREA, &low[0]);
	if (!rc) {
		i386_thread_area(I386_SET_THREAD_AREA, &low[1]);
		t->clone_tls = low[0];
		t->clone_tls_set = true;
	}
	sud_sys2(SYS_munmap, low, 4096);
	return rc;
}

static bool tls_differs(const struct sud_arch_inherit *have, const struct sud_arch_inherit *want,
			int i)
{
	return want->tls_read && memcmp(&have->tls[i], &want->tls[i], sizeof(want->tls[i]));
}

static bool differs(long have, long want)
{
	return want >= 0 && have != want;
}

bool arch_inherit_differ(const struct sud_arch_inherit *have, const struct sud_arch_inherit *want,
			 bool exec)
{
	bool tls = false;

	/* exec clears them */
	for (int i = 0; i < ARCH_TLS_ENTRIES && !exec; i++)
		tls |= tls_differs(have, want, i);
	return tls || differs(have->tsc, want->tsc) || differs(have->cpuid, want->cpuid);
}

void arch_inherit_apply(const struct sud_arch_inherit *have, const struct sud_arch_inherit *want)
{
	if (differs(have->tsc, want->tsc))
		sud_sys2(SYS_prctl, PR_SET_TSC, want->tsc);
	if (differs(have->cpuid, want->cpuid))
		sud_sys2(SYS_arch_prctl, SUD_ARCH_SET_CPUID, want->cpuid);
	for (int i = 0; i < ARCH_TLS_ENTRIES; i++) {
		if (tls_differs(have, want, i)) {
			struct sud_tls_desc d[ARCH_TLS_ENTRIES];

			memcpy(d, want->tls, sizeof(d));
			tls_entries(d, true);
			break;
		}
	}
}

void arch_inherit_prctl(struct sud_arch_thread *t, const unsigned long a[6], long ret)
{
	(void)t;
	(void)a;
	(void)ret;
}
