// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Which of dl_iterate_phdr()'s objects is the vDSO (shim/vdso.c), the one
 * the fast path never rewrites: exactly one, the kernel's image, and never
 * an object mapped near it, as ld.so often is (a nearness test once left
 * all of ld.so's syscalls on the trap path). Arch-generic.
 */
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

#include "tap.h"
#include "vdso.h"

struct census {
	int objects, vdsos, named_vdso, near;
	unsigned long vdso;
	const char *name;
};

static int count(struct dl_phdr_info *info, size_t size, void *data)
{
	struct census *c = data;
	unsigned long phdr = (unsigned long)info->dlpi_phdr;

	(void)size;
	c->objects++;
	if (!sud_vdso_is_object(info)) {
		/* within 1 MiB of the vDSO, above or below: the case a nearness test gets wrong */
		c->near += phdr - c->vdso + (1ul << 20) < (2ul << 20);
		return 0;
	}
	c->vdsos++;
	c->name = info->dlpi_name;
	c->named_vdso += strstr(info->dlpi_name, "vdso") != NULL;
	return 0;
}

int main(void)
{
	struct census c = { .vdso = getauxval(AT_SYSINFO_EHDR) };

	tap_plan(2);
	dl_iterate_phdr(count, &c);
	if (!c.vdso) {
		tap_ok(c.vdsos == 0, "no vDSO (QEMU-user): none of %d objects is taken for it", c.objects);
		tap_skip("no vDSO (QEMU-user)", "the vDSO's entry is the one named after it");
		return tap_done();
	}
	tap_ok(c.vdsos == 1, "one of %d objects is the vDSO (%d taken for it; %d others within 1 MiB)",
	       c.objects, c.vdsos, c.near);
	tap_ok(c.vdsos == 1 && c.named_vdso == 1, "it is the one named after it (%s)",
	       c.name ? c.name : "none");
	return tap_done();
}
