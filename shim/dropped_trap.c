// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A standard signal does not queue: the kernel drops a trap's SIGSYS when
 * a thread-directed SIGSYS is pending already (legacy_queue() in
 * force_sig_info_to_task()). The syscall is skipped, its registers rolled
 * back, and the other SIGSYS arrives just after the syscall instruction,
 * as if it had completed. That is also where a SIGSYS sent while the
 * library worked arrives, as the library's rt_sigreturn completes: the
 * context the library returned to, every register as the frame had it,
 * tells the two apart. Any other signal's handler, or a second signal,
 * makes the record stale.
 */
#include <string.h>

#include "dropped_trap.h"
#include "state.h"
#include "usercopy.h"
#include "arch-api.h"

void sud_return_to_application(unsigned long sp, const ucontext_t *uc)
{
	sud_note_return(sp, uc);
	sud_tramp_sigreturn_at(sp);
}

void sud_note_return(unsigned long sp, const ucontext_t *uc)
{
	struct sud_thread *self = &sud_self;
	ucontext_t probe;
	const size_t at = (size_t)((char *)ARCH_UC_GREGS(&probe) - (char *)&probe);
	const char *frame_uc = (const char *)sp + ARCH_SIGRETURN_UC_OFFSET;

	if (uc) {
		memcpy(self->returned_gregs, ARCH_UC_GREGS(uc), sizeof(self->returned_gregs));
		self->returned_valid = true;
	} else {
		/* an unreadable frame makes rt_sigreturn fail as it should */
		self->returned_valid = !sud_copy_from_user(self->returned_gregs, frame_uc + at,
							   sizeof(self->returned_gregs));
	}
}

void sud_forget_return(void)
{
	sud_self.returned_valid = false;
}

bool sud_returned_to(const ucontext_t *uc)
{
	struct sud_thread *self = &sud_self;
	bool same = self->returned_valid &&
		    !memcmp(self->returned_gregs, ARCH_UC_GREGS(uc), sizeof(self->returned_gregs));

	self->returned_valid = false;
	return same;
}
