/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The SUD rules that do not depend on the backend (shim/rules.c): pure functions. */
#ifndef SUDCOMPAT_RULES_H
#define SUDCOMPAT_RULES_H

#include <stdbool.h>

enum sud_mode { SUD_MODE_OFF = 0, SUD_MODE_EXCLUSIVE = 1, SUD_MODE_INCLUSIVE = 2 };

struct sud_config {
	enum sud_mode mode;
	unsigned long offset, len;	/* as the application gave them */
	char *selector;
};

/* The prctl's checks, as the kernel makes them: 0 and @out filled in, or a negative errno. */
int sud_config_validate(unsigned long op, unsigned long offset, unsigned long len,
			char *selector, struct sud_config *out);
/* True when a syscall issued from @ip (the address after the instruction) bypasses dispatch. */
bool sud_ip_exempt(const struct sud_config *cfg, unsigned long ip);
/* The highest address the running kernel accepts for a selector: access_ok(selector, 1). */
unsigned long sud_selector_max(void);
/* The same for a kernel of release @kver (SUD_KVER(), 0 when unknown) whose TASK_SIZE_MAX is @task_size. */
unsigned long sud_selector_max_for(unsigned long task_size, unsigned int kver);

#endif
