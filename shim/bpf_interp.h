/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A classic-BPF interpreter over struct seccomp_data, to run generated filters without a kernel. */
#ifndef SUDCOMPAT_BPF_INTERP_H
#define SUDCOMPAT_BPF_INTERP_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>

/* Returns the filter's verdict, or 0xffffffff for a program the kernel would refuse to run this way. */
uint32_t sud_bpf_run(const struct sock_fprog *prog, const struct seccomp_data *data);

#endif
