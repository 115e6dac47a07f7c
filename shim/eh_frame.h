/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The function around a code address, from its object's .eh_frame_hdr
 * (shim/eh_frame.c): the bounds of the FDE that covers it. Async-signal-safe:
 * plain loads from the mapped object, no allocation, no locks.
 */
#ifndef SUDCOMPAT_EH_FRAME_H
#define SUDCOMPAT_EH_FRAME_H

/*
 * @eh_frame_hdr: the run-time address of a loaded object's .eh_frame_hdr
 * (PT_GNU_EH_FRAME: dlpi_addr + p_vaddr). 0 with [*start, *end) the FDE's
 * range when start <= @pc < end; -ENOENT when no FDE covers @pc; -EINVAL
 * when the header, its table, the FDE or its CIE contradict themselves or
 * each other; -ENOTSUP for encodings this reader does not decode (and for a
 * header without a search table).
 */
int sud_fde_bounds(unsigned long eh_frame_hdr, unsigned long pc, unsigned long *start,
		   unsigned long *end);

/*
 * The same, reading nothing outside [@readable_start, @readable_end): the
 * object's segment that holds .eh_frame_hdr and .eh_frame, so that a table
 * entry or record pointing elsewhere is -EINVAL rather than a fault.
 */
int sud_fde_bounds_in(unsigned long eh_frame_hdr, unsigned long readable_start,
		      unsigned long readable_end, unsigned long pc, unsigned long *start,
		      unsigned long *end);

#endif
