// SPDX-License-Identifier: LGPL-2.1-or-later
/* The SUD rules that do not depend on the backend: argument checks and the allowed range. */
#include <errno.h>
#include <stddef.h>

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
	if (selector && arch_untagged_addr((unsigned long)selector) >= sud_user_address_limit())
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
 * access_ok(selector, 1) in the kernel: the byte must lie below TASK_SIZE,
 * which depends on the paging mode. The stack sits at the top of the user
 * half, so the smallest candidate above it is the one in force.
 */
unsigned long sud_user_address_limit(void)
{
	static const unsigned long sizes[] = ARCH_TASK_SIZES;
	static unsigned long limit;
	unsigned long here = (unsigned long)__builtin_frame_address(0);
	size_t i;

	if (limit)
		return limit;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (here < sizes[i]) {
			limit = sizes[i];
			break;
		}
	}
	if (!limit)
		limit = sizes[sizeof(sizes) / sizeof(sizes[0]) - 1];
	return limit;
}
