/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fault-tolerant access to application memory (shim/usercopy.c): 0, or -EFAULT. */
#ifndef SUDCOMPAT_USERCOPY_H
#define SUDCOMPAT_USERCOPY_H

int sud_copy_from_user(void *dst, const void *src, unsigned long n);
int sud_copy_to_user(void *dst, const void *src, unsigned long n);

#endif
