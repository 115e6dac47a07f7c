// SPDX-License-Identifier: LGPL-2.1-or-later
/* Find a symbol of the vDSO: where the kernel's own sigreturn trampoline is. */
#include <elf.h>
#include <link.h>
#include <stdbool.h>
#include <string.h>
#include <sys/auxv.h>

#include "vdso.h"

static const ElfW(Dyn) *dynamic_of(const ElfW(Ehdr) *eh, ElfW(Addr) *bias)
{
	const ElfW(Phdr) *ph = (const void *)((const char *)eh + eh->e_phoff);
	const ElfW(Dyn) *dyn = NULL;

	*bias = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !*bias)
			*bias = (ElfW(Addr))eh + ph[i].p_offset - ph[i].p_vaddr;
		else if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const void *)((const char *)eh + ph[i].p_offset);
	}
	return dyn;
}

static bool version_matches(const ElfW(Verdef) *vd, const char *strtab, ElfW(Versym) ver,
			    const char *version)
{
	if (!vd || !version)
		return true;
	for (;;) {
		if (!(vd->vd_flags & VER_FLG_BASE) && (vd->vd_ndx & 0x7fff) == (ver & 0x7fff)) {
			const ElfW(Verdaux) *aux = (const void *)((const char *)vd + vd->vd_aux);

			return strcmp(strtab + aux->vda_name, version) == 0;
		}
		if (!vd->vd_next)
			return false;
		vd = (const void *)((const char *)vd + vd->vd_next);
	}
}

unsigned long sud_vdso_symbol(const char *name, const char *version)
{
	const ElfW(Ehdr) *eh = (const void *)getauxval(AT_SYSINFO_EHDR);
	const ElfW(Sym) *symtab = NULL;
	const ElfW(Word) *hash = NULL;
	const ElfW(Versym) *versym = NULL;
	const ElfW(Verdef) *verdef = NULL;
	const char *strtab = NULL;
	ElfW(Addr) bias;
	const ElfW(Dyn) *d;

	if (!eh || !name)
		return 0;
	for (d = dynamic_of(eh, &bias); d && d->d_tag != DT_NULL; d++) {
		const void *p = (const void *)(d->d_un.d_ptr + bias);

		switch (d->d_tag) {
		case DT_SYMTAB: symtab = p; break;
		case DT_STRTAB: strtab = p; break;
		case DT_HASH: hash = p; break;
		case DT_VERSYM: versym = p; break;
		case DT_VERDEF: verdef = p; break;
		}
	}
	if (!symtab || !strtab || !hash)
		return 0;
	for (ElfW(Word) i = 0; i < hash[1]; i++) {
		const ElfW(Sym) *s = &symtab[i];

		if (!s->st_shndx || strcmp(strtab + s->st_name, name))
			continue;
		if (versym && !version_matches(verdef, strtab, versym[i], version))
			continue;
		return s->st_value + bias;
	}
	return 0;
}

/*
 * The vDSO's entry names the program headers that its ELF header, where
 * the kernel mapped it, points to: an exact match, since other objects
 * (ld.so, often) are mapped a few pages from it.
 */
bool sud_vdso_is_object(const struct dl_phdr_info *info)
{
	const ElfW(Ehdr) *eh = (const void *)getauxval(AT_SYSINFO_EHDR);

	return eh && (const void *)info->dlpi_phdr == (const void *)((const char *)eh + eh->e_phoff);
}
