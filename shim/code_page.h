/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Code pages that other threads may be executing (shim/code_page.c): new
 * regions near a site, and rewrites that never store to an executable
 * page. Both run in a signal handler: raw syscalls, no allocation, 0 or
 * -errno, never a crash on a bad address.
 */
#ifndef SUDCOMPAT_CODE_PAGE_H
#define SUDCOMPAT_CODE_PAGE_H

/*
 * Map @size bytes (whole pages) of private anonymous memory, readable and
 * executable, every byte of which lies in [@target - @reach, @target +
 * @reach], filled with ARCH_CODE_FILL; its address in *@out. -ENOMEM when
 * no free place within reach was found in a bounded number of tries.
 */
long sud_code_map_near(unsigned long target, unsigned long reach, unsigned long size,
		       unsigned long *out);

/*
 * Make [@addr, @addr + @n), which lies in one page (-EINVAL otherwise, and
 * for @n 0), hold @bytes: the kernel maps a changed copy of the page in
 * its place in one step, so that another thread executes either the old
 * bytes or the new ones, never a mix. The page must be a private mapping,
 * readable and executable and not writable (-EACCES; -EFAULT where nothing
 * is mapped or it cannot be read). The copy is private anonymous memory
 * from then on, with the old page's protection. On failure the page is as
 * it was. Writes to one page must not race each other: the later swap
 * would drop the earlier one's bytes.
 */
long sud_code_write(unsigned long addr, const void *bytes, unsigned long n);

#endif
