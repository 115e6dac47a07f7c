/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Symbols of the vDSO (shim/vdso.c). */
#ifndef SUDCOMPAT_VDSO_H
#define SUDCOMPAT_VDSO_H

#include <link.h>
#include <stdbool.h>

/* The address of @name (of @version, when not NULL), or 0. */
unsigned long sud_vdso_symbol(const char *name, const char *version);
/* Whether dl_iterate_phdr()'s @info is the vDSO's entry. */
bool sud_vdso_is_object(const struct dl_phdr_info *info);

#endif
