/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sandboxes an armed thread enters (shim/app_filters.c): its seccomp
 * filters and its Landlock domains. The kernel gives them to the tasks the
 * thread creates, but those are the helper thread's, which does not have
 * them; the library installs them there, in the same order, before the new
 * task runs any code of the application's.
 */
#ifndef SUDCOMPAT_APP_FILTERS_H
#define SUDCOMPAT_APP_FILTERS_H

#include <stdbool.h>
#include <linux/filter.h>

enum sud_app_kind {
	SUD_APP_SECCOMP,	/* seccomp(SECCOMP_SET_MODE_FILTER), prctl(PR_SET_SECCOMP) */
	SUD_APP_LANDLOCK,	/* landlock_restrict_self() */
};

/* One filter or domain, with the ones entered before it; immutable once recorded but for @changed. */
struct sud_app_filter {
	const struct sud_app_filter *older;
	unsigned long map_size;
	enum sud_app_kind kind;
	unsigned int flags;		/* SECCOMP_FILTER_FLAG_*, LANDLOCK_RESTRICT_SELF_*: the ones a child can be given */
	bool reproducible;		/* false for a listener's: the child would need the same fd */
	/* SUD_APP_LANDLOCK */
	int ruleset_fd;			/* the library's duplicate (close-on-exec), -1 for none */
	int changed;			/* a rule went in after landlock_restrict_self(): less in a replay */
	struct sud_app_filter *next_landlock;	/* every recorded domain of the process */
	/* SUD_APP_SECCOMP */
	unsigned short len;
	struct sock_filter insns[];
};

/* Record @prog, installed with @flags after @older; NULL where no memory could be had. */
const struct sud_app_filter *sud_app_filter_add(const struct sud_app_filter *older,
						unsigned int flags, const struct sock_fprog *prog);
/* Record landlock_restrict_self(@ruleset_fd, @flags) after @older: the library's dup of the fd, or -1. */
const struct sud_app_filter *sud_app_landlock_add(const struct sud_app_filter *older,
						  int ruleset_fd, unsigned int flags);
/* landlock_add_rule() on @fd succeeded: a recorded domain of that ruleset can no longer be replayed. */
void sud_app_landlock_rule_added(int fd);
/* Whether every one of @newest and the older ones can be given to a new task. */
bool sud_app_filters_reproducible(const struct sud_app_filter *newest);
/* Install @newest and every older one, oldest first, on this thread: 0 or a negative errno. */
long sud_app_filters_install(const struct sud_app_filter *newest);

#endif
