// SPDX-License-Identifier: LGPL-2.1-or-later
/* The SUD rules that do not depend on the backend: argument checks and the allowed range. */
#include <errno.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#include "rules.h"
#include "arch-api.h"
#include "sudcompat.h"

int sud_config_validate(unsigned long op, unsigned long offset, unsigned long len,
			char *selector, struct sud_config *out)
{
	switch (op) {
	case PR_SYS_DISPATCH_OFF:
		if (offset || len || selector)
			return -EINVAL;
		break;
	case PR_SYS_DISPATCH_EXCLUSIVE_ON:
		/* offset 0 with any length is valid: (0, 0) allows nothing, (0, -1) everything */
		if (offset && offset + len <= offset)
			return -EINVAL;
		break;
	case PR_SYS_DISPATCH_INCLUSIVE_ON:
		if (len == 0 || offset + len <= offset)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (selector && arch_untagged_addr((unsigned long)selector) > sud_selector_max())
		return -EFAULT;

	out->mode = (enum sud_mode)op;
	out->offset = offset;
	out->len = len;
	out->selector = selector;
	return 0;
}

bool sud_ip_exempt(const struct sud_config *cfg, unsigned long ip)
{
	bool inside = ip - cfg->offset < cfg->len;

	switch (cfg->mode) {
	case SUD_MODE_EXCLUSIVE:
		return inside;
	case SUD_MODE_INCLUSIVE:
		return !inside;
	default:
		return true;
	}
}

/*
 * The kernel's TASK_SIZE_MAX, which depends on the paging mode. The stack
 * sits at the top of the user half, so the smallest candidate above it is
 * the one in force.
 */
static unsigned long task_size_max(void)
{
	static const unsigned long sizes[] = ARCH_TASK_SIZES;
	unsigned long here = (unsigned long)__builtin_frame_address(0);
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (here < sizes[i])
			return sizes[i];
	return sizes[sizeof(sizes) / sizeof(sizes[0]) - 1];
}

/* The running kernel's release as SUD_KVER(major, minor); 0 if uname fails or does not parse. */
static unsigned int kernel_version(void)
{
	struct utsname u;
	unsigned int v[2] = { 0, 0 };
	const char *p;

	if (sud_sys1(SYS_uname, &u))
		return 0;
	p = u.release;
	for (int i = 0; i < 2; i++, p++) {
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			v[i] = v[i] * 10 + (unsigned int)(*p++ - '0');
		if (i == 0 && *p != '.')
			return 0;
	}
	return SUD_KVER(v[0], v[1]);
}

unsigned long sud_selector_max_for(unsigned long task_size, unsigned int kver)
{
	return arch_selector_max(task_size, kver);
}

/*
 * access_ok(selector, 1) of the running kernel, whose rule changed with
 * the release (arch_selector_max()); the release is taken from uname once.
 */
unsigned long sud_selector_max(void)
{
	static unsigned long max;

	if (!max)
		max = sud_selector_max_for(task_size_max(), kernel_version());
	return max;
}
