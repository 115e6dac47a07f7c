// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Code pages that other threads may be executing while they change. A
 * store into a page that another CPU executes is cross-modifying code,
 * which no architecture here makes safe without stopping that CPU, and an
 * int3-style breakpoint would deliver SIGTRAP to the application's threads.
 * So an executable page is never written: a copy is built in a private
 * page, made executable, and mremap() puts it at the page's address in one
 * step. A thread on another CPU fetches either from the old physical page,
 * whose bytes never change, or, once the TLB shootdown reached it, from the
 * new one (arch_code_sync() does what else the architecture needs).
 *
 * This runs in the SIGSYS handler of an application thread: raw syscalls,
 * no allocation, no libc locks, nothing big on the stack (scratch memory
 * is mapped), and every bad input is an -errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "code_page.h"
#include "arch-api.h"
#include "usercopy.h"

/* Linux 4.17; an older kernel ignores the flag and takes the address as a hint */
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif

/*
 * Probes on each side of the target: the distance doubles from one page,
 * so this bounds the search for any reach and any page size.
 */
#define NEAR_PROBES	64
/* Then places a region apart, this many on each side: riscv's 1 MiB holds 16 of 64 KiB. */
#define NEAR_STEPS	32

static unsigned long page_size(void)
{
	unsigned long page = getauxval(AT_PAGESZ);

	return page ? page : 4096;
}

/* [@at, @at + @size) as fresh read-write memory, only if nothing is mapped there: @at or -errno. */
static long map_exactly_at(unsigned long at, unsigned long size)
{
	long p = sud_sys6(SYS_mmap, at, size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (sud_is_error(p))
		return p;
	if ((unsigned long)p != at) {
		/* a kernel without MAP_FIXED_NOREPLACE found the place taken and chose another */
		sud_sys2(SYS_munmap, p, size);
		return -EEXIST;
	}
	return p;
}

/*
 * The free place nearest @target, [@lo, @hi] holding every byte, found by
 * probing at doubling distances above and below it: an address or -ENOMEM.
 * Doubling crosses a run of mappings (the libraries packed around libc)
 * in a few probes, which a page-by-page walk would not.
 */
static long probe_near(unsigned long target, unsigned long lo, unsigned long hi,
		       unsigned long size, unsigned long page)
{
	unsigned long target_page = target & ~(page - 1);

	for (int k = 0; k < NEAR_PROBES; k++) {
		unsigned long d = k ? page << (k - 1) : 0;
		/* above: the region starts d bytes past the target's page (at it, for d 0) */
		unsigned long up = target_page + (target == target_page ? 0 : page) + d;
		/* below: it ends d bytes before the target's page */
		unsigned long down_end = target_page - d;
		bool above_fits, below_fits;
		long p;

		if (k && d >> (k - 1) != page)
			break;	/* the distance no longer fits in an address */
		above_fits = up >= target_page && up + size - 1 >= up && up + size - 1 <= hi;
		below_fits = down_end <= target_page && down_end >= size &&
			     down_end - size >= lo && down_end - size >= page;
		/* each side, once past the reach (or the address space), stays past it */
		if (!above_fits && !below_fits)
			break;
		if (above_fits) {
			p = map_exactly_at(up, size);
			if (!sud_is_error(p))
				return p;
		}
		if (below_fits) {
			p = map_exactly_at(down_end - size, size);
			if (!sud_is_error(p))
				return p;
		}
	}
	/*
	 * A gap between two doubled distances (a static binary's text, grown
	 * past them on both sides): the places @size apart nearest the target,
	 * a bounded number on each side.
	 */
	for (unsigned long k = 1; k <= NEAR_STEPS; k++) {
		unsigned long d = k * size;
		unsigned long up = target_page + page + d;
		long p;

		if (d / size != k)
			break;
		if (up > target_page && up + size - 1 > up && up + size - 1 <= hi) {
			p = map_exactly_at(up, size);
			if (!sud_is_error(p))
				return p;
		}
		if (target_page >= d + size && target_page - d - size >= lo &&
		    target_page - d - size >= page) {
			p = map_exactly_at(target_page - d - size, size);
			if (!sud_is_error(p))
				return p;
		}
	}
	return -ENOMEM;
}

long sud_code_map_near(unsigned long target, unsigned long reach, unsigned long size,
		       unsigned long *out)
{
	unsigned long page = page_size();
	unsigned long lo = target >= reach ? target - reach : 0;
	unsigned long hi = target + reach >= target ? target + reach : ~0ul;
	long p, rc;

	if (!out || !size || size > ~0ul - page)
		return -EINVAL;
	size = (size + page - 1) & ~(page - 1);
	if (size - 1 > hi - lo)
		return -ENOMEM;
	p = probe_near(target, lo, hi, size, page);
	if (sud_is_error(p))
		return p;
	/* filled while it is writable and not executable: no thread runs it yet */
	for (uint32_t *w = (uint32_t *)p; w < (uint32_t *)(p + size); w++)
		*w = ARCH_CODE_FILL;
	rc = sud_sys3(SYS_mprotect, p, size, PROT_READ | PROT_EXEC);
	if (rc) {
		sud_sys2(SYS_munmap, p, size);
		return rc;
	}
	/* the address may have held other code before: fetch the fill, not that */
	arch_code_sync((unsigned long)p, size);
	*out = (unsigned long)p;
	return 0;
}

/* What /proc/self/maps says of one mapping: its range and its permissions. */
struct code_mapping {
	unsigned long start, end;
	char perms[4];		/* "r-xp" */
};

/*
 * A reader of /proc/self/maps, one character at a time, so that a line of
 * any length (a long path) split over any reads costs no line buffer.
 * Only the range and the permissions are read; a line whose start does
 * not parse is skipped.
 */
struct maps_parser {
	enum { MAPS_START, MAPS_END, MAPS_PERMS, MAPS_SKIP } field;
	int digits, perms_seen;
	struct code_mapping line;
};

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void maps_new_line(struct maps_parser *ps)
{
	ps->field = MAPS_START;
	ps->digits = ps->perms_seen = 0;
	ps->line.start = ps->line.end = 0;
}

/* Feed one character; true when it completes a line's range and permissions. */
static bool maps_feed(struct maps_parser *ps, char c)
{
	unsigned long *value = ps->field == MAPS_START ? &ps->line.start : &ps->line.end;
	int d;

	if (c == '\n') {
		maps_new_line(ps);
		return false;
	}
	switch (ps->field) {
	case MAPS_START:
	case MAPS_END:
		d = hex_digit(c);
		if (d >= 0 && ps->digits < 16) {
			*value = *value << 4 | (unsigned long)d;
			ps->digits++;
		} else if (ps->digits && c == (ps->field == MAPS_START ? '-' : ' ')) {
			ps->field = ps->field == MAPS_START ? MAPS_END : MAPS_PERMS;
			ps->digits = 0;
		} else {
			ps->field = MAPS_SKIP;
		}
		return false;
	case MAPS_PERMS:
		ps->line.perms[ps->perms_seen++] = c;
		if (ps->perms_seen < 4)
			return false;
		ps->field = MAPS_SKIP;
		return true;
	case MAPS_SKIP:
		break;
	}
	return false;
}

/* The kernel's PROCMAP_QUERY (6.11, linux/fs.h): one mapping, without reading them all. */
struct procmap_query {
	uint64_t size, query_flags, query_addr;
	uint64_t vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
	uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
	uint64_t vma_name_addr, build_id_addr;
};
#define PROCMAP_QUERY		_IOWR('f', 17, struct procmap_query)
#define PROCMAP_VMA_READABLE	0x1
#define PROCMAP_VMA_WRITABLE	0x2
#define PROCMAP_VMA_EXECUTABLE	0x4
#define PROCMAP_VMA_SHARED	0x8

/*
 * The mapping that holds @addr, asked of /proc/self/maps: 1 where the
 * kernel answers (0 in *@rc, or -EFAULT where none holds it), 0 where it
 * has no PROCMAP_QUERY. Reading the whole file costs about a microsecond a
 * mapping, twice per rewritten site, which a large program's startup felt.
 */
static bool query_mapping(long fd, unsigned long addr, struct code_mapping *m, long *rc)
{
	struct procmap_query q = { .size = sizeof(q), .query_addr = addr };
	long got = sud_sys3(SYS_ioctl, fd, PROCMAP_QUERY, &q);

	if (got == -ENOENT) {
		*rc = -EFAULT;
		return true;
	}
	if (got)
		return false;
	m->start = q.vma_start;
	m->end = q.vma_end;
	m->perms[0] = q.vma_flags & PROCMAP_VMA_READABLE ? 'r' : '-';
	m->perms[1] = q.vma_flags & PROCMAP_VMA_WRITABLE ? 'w' : '-';
	m->perms[2] = q.vma_flags & PROCMAP_VMA_EXECUTABLE ? 'x' : '-';
	m->perms[3] = q.vma_flags & PROCMAP_VMA_SHARED ? 's' : 'p';
	*rc = 0;
	return true;
}

/*
 * The mapping that holds @addr, from /proc/self/maps read through @buf
 * (@size bytes of scratch): 0, -EFAULT where none does, or the error of
 * reading the file.
 */
static long find_mapping(unsigned long addr, char *buf, unsigned long size,
			 struct code_mapping *m)
{
	struct maps_parser ps;
	long fd, got, rc = -EFAULT;

	fd = sud_sys4(SYS_openat, AT_FDCWD, "/proc/self/maps", O_RDONLY | O_CLOEXEC, 0);
	if (sud_is_error(fd))
		return fd;
	if (query_mapping(fd, addr, m, &rc))
		goto out;
	maps_new_line(&ps);
	for (;;) {
		got = sud_sys3(SYS_read, fd, buf, size);
		if (got == -EINTR)
			continue;
		if (got <= 0) {
			if (got < 0)
				rc = got;
			break;
		}
		for (long i = 0; i < got; i++) {
			if (maps_feed(&ps, buf[i]) && ps.line.start < ps.line.end &&
			    addr - ps.line.start < ps.line.end - ps.line.start) {
				*m = ps.line;
				rc = 0;
				goto out;
			}
		}
	}
out:
	sud_sys1(SYS_close, fd);
	return rc;
}

/*
 * Whether the page of @m may be swapped for a copy: -EACCES for a shared
 * mapping (its other mappers would no longer see the same bytes) or a
 * writable one (the application's own stores between the copy and the
 * swap would be lost, and it may be generating code there itself), and
 * for one that is not code; -EFAULT where the page cannot be read to
 * copy it (an execute-only mapping).
 */
static long check_swappable(const struct code_mapping *m)
{
	if (m->perms[3] != 'p' || m->perms[1] != '-' || m->perms[2] != 'x')
		return -EACCES;
	if (m->perms[0] != 'r')
		return -EFAULT;
	return 0;
}

/* The protection the copy takes from @m: the old page's read and execute bits. */
static long mapping_prot(const struct code_mapping *m)
{
	return (m->perms[0] == 'r' ? PROT_READ : 0) | (m->perms[2] == 'x' ? PROT_EXEC : 0);
}

/* Build @base's page, changed by @bytes at @offset, in @copy, and swap it in. */
static long swap_in_copy(unsigned long base, long copy, unsigned long page,
			 unsigned long offset, const void *bytes, unsigned long n)
{
	struct code_mapping m;
	long rc, at;

	rc = find_mapping(base, (char *)copy, page, &m);
	if (rc)
		return rc;
	rc = check_swappable(&m);
	if (rc)
		return rc;
	/* the maps text in the scratch page is overwritten: it was only read above */
	if (sud_copy_from_user((void *)copy, (const void *)base, page) ||
	    sud_copy_from_user((char *)copy + offset, bytes, n))
		return -EFAULT;
	rc = sud_sys3(SYS_mprotect, copy, page, mapping_prot(&m));
	if (rc)
		return rc;
	at = sud_sys5(SYS_mremap, copy, page, page, MREMAP_MAYMOVE | MREMAP_FIXED, base);
	if (sud_is_error(at))
		return at;
	return 0;
}

long sud_code_write(unsigned long addr, const void *bytes, unsigned long n)
{
	unsigned long page = page_size(), base = addr & ~(page - 1);
	long copy, rc;

	if (!n || n > page - (addr - base))
		return -EINVAL;
	copy = sud_sys6(SYS_mmap, 0, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sud_is_error(copy))
		return copy;
	rc = swap_in_copy(base, copy, page, addr - base, bytes, n);
	if (rc) {
		/* not moved: the page at @base is the one it was */
		sud_sys2(SYS_munmap, copy, page);
		return rc;
	}
	arch_code_sync(addr, n);
	return 0;
}
