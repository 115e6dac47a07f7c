/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The seccomp filters an armed thread installs (shim/app_filters.c): the
 * kernel gives them to the tasks the thread creates, but those are the
 * helper thread's, which does not have them; the library installs them
 * there before the new task runs any code of the application's.
 */
#ifndef SUDCOMPAT_APP_FILTERS_H
#define SUDCOMPAT_APP_FILTERS_H

#include <stdbool.h>
#include <linux/filter.h>

/* One filter, immutable once recorded, with the ones installed before it. */
struct sud_app_filter {
	const struct sud_app_filter *older;
	unsigned long map_size;
	unsigned int flags;		/* SECCOMP_FILTER_FLAG_*: the ones a child can be given */
	bool reproducible;		/* false for a listener's: the child would need the same fd */
	unsigned short len;
	struct sock_filter insns[];
};

/* Record @prog, installed with @flags after @older; NULL where no memory could be had. */
const struct sud_app_filter *sud_app_filter_add(const struct sud_app_filter *older,
						unsigned int flags, const struct sock_fprog *prog);
/* Install @newest and every older one, oldest first, on this thread: 0 or a negative errno. */
long sud_app_filters_install(const struct sud_app_filter *newest);

#endif
