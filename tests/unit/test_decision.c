// SPDX-License-Identifier: LGPL-2.1-or-later
/* The prctl's argument rules and the allowed-range rule, against the kernel's. */
#include <errno.h>
#include <stdio.h>

#include "rules.h"
#include "sudcompat.h"
#include "tap.h"

int main(void)
{
	unsigned long top = sud_selector_max();
	static char byte;
	struct {
		unsigned long op, offset, len;
		char *selector;
		int err;
		const char *what;
	} args[] = {
		{ 0, 0, 0, NULL, 0, "OFF with nothing" },
		{ 0, 1, 0, NULL, -EINVAL, "OFF with an offset" },
		{ 0, 0, 1, NULL, -EINVAL, "OFF with a length" },
		{ 0, 0, 0, &byte, -EINVAL, "OFF with a selector" },
		{ 1, 0, 0, NULL, 0, "ON (0, 0)" },
		{ 1, 0, ~0ul, NULL, 0, "ON (0, -1)" },
		{ 1, 0x1000, 0x1000, &byte, 0, "ON with a range and selector" },
		{ 1, 0x1000, 0, NULL, -EINVAL, "ON, offset with no length" },
		{ 1, 5, ~0ul, NULL, -EINVAL, "ON, range wraps" },
		{ 1, ~0ul - 15, 0x10, NULL, -EINVAL, "ON, range ends at 2^64" },
		{ 1, 0, 0, (char *)(top + 1), -EFAULT, "ON, selector just above the bound" },
		{ 1, 0, 0, (char *)~0ul, -EFAULT, "ON, kernel selector" },
		{ 1, 0, 0, (char *)top, 0, "ON, selector at the bound" },
		{ 1, 0, 0, (char *)(top - 4096), 0, "ON, selector a page below the bound" },
		{ 2, 0x1000, 0x1000, NULL, 0, "INCLUSIVE_ON with a range" },
		{ 2, 0, 0x1000, NULL, 0, "INCLUSIVE_ON from 0" },
		{ 2, 0x1000, 0, NULL, -EINVAL, "INCLUSIVE_ON, no length" },
		{ 2, ~0ul - 5, 0x10, NULL, -EINVAL, "INCLUSIVE_ON, range wraps" },
		{ 3, 0, 0, NULL, -EINVAL, "unknown op 3" },
		{ ~0ul, 0, 0, NULL, -EINVAL, "unknown op -1" },
	};
	struct {
		enum sud_mode mode;
		unsigned long offset, len, ip;
		bool exempt;
	} ranges[] = {
		{ SUD_MODE_EXCLUSIVE, 0x1000, 0x10, 0x0fff, false },
		{ SUD_MODE_EXCLUSIVE, 0x1000, 0x10, 0x1000, true },
		{ SUD_MODE_EXCLUSIVE, 0x1000, 0x10, 0x100f, true },
		{ SUD_MODE_EXCLUSIVE, 0x1000, 0x10, 0x1010, false },
		{ SUD_MODE_EXCLUSIVE, 0, 0, 0, false },
		{ SUD_MODE_EXCLUSIVE, 0, ~0ul, ~0ul - 1, true },
		{ SUD_MODE_EXCLUSIVE, 0, ~0ul, ~0ul, false },
		{ SUD_MODE_INCLUSIVE, 0x1000, 0x10, 0x1000, false },
		{ SUD_MODE_INCLUSIVE, 0x1000, 0x10, 0x1010, true },
		{ SUD_MODE_INCLUSIVE, 0x1000, 0x10, 0x0fff, true },
		{ SUD_MODE_OFF, 0, 0, 0x1234, true },
	};
	int na = sizeof(args) / sizeof(args[0]), nr = sizeof(ranges) / sizeof(ranges[0]);

	tap_plan(na + nr + 2);
	/* 6.1's access_ok() is asm-generic's on every architecture; an unknown release is the newest */
	tap_ok(sud_selector_max_for(1ul << 47, (6u << 16) | 1) == (1ul << 47) - 1,
	       "a 6.1 kernel accepts selectors below TASK_SIZE_MAX");
	tap_ok(sud_selector_max_for(1ul << 47, 0) >= (1ul << 47) - 1,
	       "an unknown release accepts at least what 6.1 does");
	for (int i = 0; i < na; i++) {
		struct sud_config cfg;
		int rc = sud_config_validate(args[i].op, args[i].offset, args[i].len,
					     args[i].selector, &cfg);

		tap_ok(rc == args[i].err, "%s: %d (want %d)", args[i].what, rc, args[i].err);
	}
	for (int i = 0; i < nr; i++) {
		struct sud_config cfg = {
			.mode = ranges[i].mode, .offset = ranges[i].offset, .len = ranges[i].len,
		};

		tap_ok(sud_ip_exempt(&cfg, ranges[i].ip) == ranges[i].exempt,
		       "mode %d [%#lx, +%#lx): ip %#lx %s", ranges[i].mode, ranges[i].offset,
		       ranges[i].len, ranges[i].ip, ranges[i].exempt ? "exempt" : "dispatched");
	}
	return tap_done();
}
