/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Symbols of the vDSO (shim/vdso.c). */
#ifndef SUDCOMPAT_VDSO_H
#define SUDCOMPAT_VDSO_H

/* The address of @name (of @version, when not NULL), or 0. */
unsigned long sud_vdso_symbol(const char *name, const char *version);

#endif
