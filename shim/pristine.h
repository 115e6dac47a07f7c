/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pristine helper thread (shim/pristine.c), through which children and new images start clean. */
#ifndef SUDCOMPAT_PRISTINE_H
#define SUDCOMPAT_PRISTINE_H

#include <ucontext.h>

/* Once per process, before its first filter: 0 or a negative errno. */
int sud_pristine_start(void);
/* clone, clone3, fork, vfork, execve or execveat of an armed thread, issued by the helper. */
long sud_pristine_lifecycle(int nr, const unsigned long a[6], ucontext_t *uc);
/* A trap has come: the vfork area of the thread's last vfork, if any, is no longer in use. */
void sud_pristine_release_idle(void);

#endif
