// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The FDE lookup of shim/eh_frame.c: on the objects of this process, found
 * through PT_GNU_EH_FRAME as the fast path finds them (libc's functions and
 * one of this test's own; a static build links with --eh-frame-hdr), and on a
 * synthetic .eh_frame_hdr and .eh_frame with the encodings no linker of ours
 * writes, then corrupted in every byte. Arch-generic.
 */
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eh_frame.h"
#include "tap.h"

/* --- the loaded object around an address --- */

struct object {
	unsigned long addr;          /* in: an address of the object */
	unsigned long eh_frame_hdr;  /* 0 without PT_GNU_EH_FRAME */
	unsigned long seg_lo, seg_hi; /* the PT_LOAD that holds the header */
	unsigned long first_load;    /* the lowest address of the object */
	const char *name;
};

static int object_around(struct dl_phdr_info *info, size_t size, void *data)
{
	struct object *o = data;
	bool inside = false;

	(void)size;
	o->eh_frame_hdr = 0;
	o->first_load = ~0ul;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		unsigned long at = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && o->addr - at < ph->p_memsz)
			inside = true;
		if (ph->p_type == PT_LOAD && at < o->first_load)
			o->first_load = at;
		if (ph->p_type == PT_GNU_EH_FRAME)
			o->eh_frame_hdr = at;
	}
	if (!inside)
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		unsigned long at = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && o->eh_frame_hdr - at < ph->p_memsz) {
			o->seg_lo = at;
			o->seg_hi = at + ph->p_memsz;
		}
	}
	o->name = info->dlpi_name && *info->dlpi_name ? info->dlpi_name : "the executable";
	return 1;
}

static bool find_object(unsigned long addr, struct object *o)
{
	memset(o, 0, sizeof(*o));
	o->addr = addr;
	return dl_iterate_phdr(object_around, o) == 1 && o->eh_frame_hdr;
}

/* --- functions looked up --- */

static __attribute__((noinline)) unsigned long local_function(unsigned long x)
{
	__asm__ volatile("" : "+r"(x));
	return x * 3 + 1;
}

static __attribute__((noinline)) unsigned long caller_pc(void)
{
	return (unsigned long)__builtin_extract_return_addr(__builtin_return_address(0));
}

/*
 * The FDE of the function at @fn: it covers @fn and @fn + 1, starts at
 * dladdr's symbol where the object exports one (else at @fn itself), and the
 * segment-bounded lookup agrees.
 */
static void check_function(const char *what, unsigned long fn)
{
	struct object o;
	unsigned long start = 0, end = 0, start2 = 0, end2 = 0, want;
	Dl_info di;
	int err, err2, err3;

	if (!find_object(fn, &o)) {
		tap_ok(false, "%s (%#lx): in an object with PT_GNU_EH_FRAME", what, fn);
		return;
	}
	if (!dladdr((void *)fn, &di) || !di.dli_saddr || !di.dli_sname)
		di.dli_sname = NULL, di.dli_saddr = (void *)fn;
	want = (unsigned long)di.dli_saddr;
	err = sud_fde_bounds(o.eh_frame_hdr, fn, &start, &end);
	err2 = sud_fde_bounds(o.eh_frame_hdr, fn + 1, &start2, &end2);
	if (!err && !err2 && (start2 != start || end2 != end))
		err2 = -EBADE;
	err3 = sud_fde_bounds_in(o.eh_frame_hdr, o.seg_lo, o.seg_hi, fn, &start2, &end2);
	if (!err && !err3 && (start2 != start || end2 != end))
		err3 = -EBADE;
	tap_ok(!err && !err2 && !err3 && start <= fn && fn < end && start == want,
	       "%s at %#lx in %s: FDE [%#lx, %#lx), symbol %s at %#lx (errors %d, %d, %d)", what,
	       fn, o.name, start, end, di.dli_sname ? di.dli_sname : "(none: its address)", want,
	       err, err2, err3);
}

static void check_process(void)
{
	void *memcpy_at = dlsym(RTLD_DEFAULT, "memcpy");
	struct object o;
	unsigned long start, end, pc = caller_pc();
	static long data_word = 1;
	int err;

	check_function("getpid", (unsigned long)getpid);
	/* an IFUNC: dlsym gives the implementation selected for this CPU */
	if (memcpy_at)
		check_function("memcpy", (unsigned long)memcpy_at);
	else
		tap_skip("no dlsym(RTLD_DEFAULT) in a static executable, and &memcpy is its IFUNC's PLT slot",
			 "memcpy");
	check_function("qsort", (unsigned long)qsort);
	check_function("a static function of the test", (unsigned long)local_function);
#if defined(__riscv)
	/* riscv64 GCC writes .eh_frame only with -fasynchronous-unwind-tables, which the library lacks */
	if (find_object((unsigned long)sud_fde_bounds, &o) &&
	    sud_fde_bounds(o.eh_frame_hdr, (unsigned long)sud_fde_bounds, &start, &end) == -ENOENT)
		tap_skip("riscv64 GCC emits no .eh_frame by default", "the library's own sud_fde_bounds");
	else
#endif
		check_function("the library's own sud_fde_bounds", (unsigned long)sud_fde_bounds);

	/* an address inside a function, not its start: a return address into this one */
	err = find_object(pc, &o) ? sud_fde_bounds(o.eh_frame_hdr, pc, &start, &end) : -ESRCH;
	tap_ok(!err && start < pc && pc < end, "a return address in the test's code (%#lx): FDE "
	       "[%#lx, %#lx) (%d)", pc, err ? 0 : start, err ? 0 : end, err);

	/* addresses that are no code */
	err = find_object((unsigned long)&data_word, &o)
		? sud_fde_bounds(o.eh_frame_hdr, (unsigned long)&data_word, &start, &end) : -ESRCH;
	tap_ok(err == -ENOENT, "a data address of the test (%p): -ENOENT (%d)", (void *)&data_word,
	       err);
	err = find_object((unsigned long)getpid, &o)
		? sud_fde_bounds(o.eh_frame_hdr, o.first_load, &start, &end) : -ESRCH;
	tap_ok(err == -ENOENT, "the ELF header of %s (%#lx): -ENOENT (%d)", o.name, o.first_load,
	       err);
	err = find_object((unsigned long)getpid, &o)
		? sud_fde_bounds(o.eh_frame_hdr, o.eh_frame_hdr, &start, &end) : -ESRCH;
	tap_ok(err == -ENOENT, "its .eh_frame_hdr itself (%#lx): -ENOENT (%d)", o.eh_frame_hdr,
	       err);

	/* corrupted copies of the real header: rejected before any table read */
	if (find_object((unsigned long)getpid, &o)) {
		unsigned char copy[64];
		unsigned long hdr = (unsigned long)copy;
		int version, enc, omitted;

		memcpy(copy, (const void *)o.eh_frame_hdr, 4);
		copy[0] = 2;
		version = sud_fde_bounds(hdr, (unsigned long)getpid, &start, &end);
		memcpy(copy, (const void *)o.eh_frame_hdr, 4);
		copy[3] = 0x09; /* sleb128: no binary search */
		enc = sud_fde_bounds(hdr, (unsigned long)getpid, &start, &end);
		memcpy(copy, (const void *)o.eh_frame_hdr, 4);
		copy[2] = 0xff; /* no fde_count, so no table */
		omitted = sud_fde_bounds(hdr, (unsigned long)getpid, &start, &end);
		tap_ok(version == -EINVAL && enc == -ENOTSUP && omitted == -ENOTSUP,
		       "copies of %s's header: version 2 %d, sleb128 table %d, no table %d", o.name,
		       version, enc, omitted);
	} else {
		tap_ok(false, "copies of libc's header");
	}
}

/* --- a synthetic .eh_frame_hdr and .eh_frame --- */

/*
 * The image: header and table (pcrel eh_frame_ptr, datarel table), a CIE
 * "zPLR" with its FDE (pcrel sdata4, an LSDA), and a CIE "zR" of version 3
 * in the 64-bit length form with its FDE (absptr udata8). The FDEs cover
 * [code + 0x10, + 0x50) and [code + 0x80, + 0xc0) of a buffer that is never run.
 */
static unsigned char code[0x100];
static unsigned char image[256] __attribute__((aligned(16)));

struct layout {
	size_t len, eh_frame, cie1, fde1, cie2, fde2, table;
};

static size_t pos;

static void put(const void *v, size_t n)
{
	memcpy(image + pos, v, n);
	pos += n;
}

static void put_u8(uint8_t v)
{
	put(&v, 1);
}

static void put_u32(uint32_t v)
{
	put(&v, 4);
}

static void put_u64(uint64_t v)
{
	put(&v, 8);
}

static void patch_u32(size_t at, uint32_t v)
{
	memcpy(image + at, &v, 4);
}

static uint32_t rel32(const void *to, size_t from)
{
	return (uint32_t)((unsigned long)to - (unsigned long)(image + from));
}

static void build(struct layout *l)
{
	static const char zplr[] = "zPLR", zr[] = "zR";

	memset(image, 0xcc, sizeof(image));
	pos = 0;
	put_u8(1), put_u8(0x1b), put_u8(0x03), put_u8(0x3b);
	put_u32(0); /* eh_frame_ptr, patched below */
	put_u32(2);
	l->table = pos;
	pos += 16;
	pos = l->eh_frame = 32;
	patch_u32(4, (uint32_t)(l->eh_frame - 4));

	l->cie1 = pos;
	put_u32(0), put_u32(0), put_u8(1), put(zplr, sizeof(zplr));
	put_u8(1), put_u8(0x78), put_u8(16); /* code 1, data -8, ra 16 */
	put_u8(1 + 4 + 1 + 1);
	put_u8(0x9b), put_u32(0x1234); /* personality: indirect pcrel sdata4, skipped */
	put_u8(0x1b), put_u8(0x1b);    /* LSDA and FDE pointers: pcrel sdata4 */
	put_u8(0), put_u8(0);          /* DW_CFA_nop */
	patch_u32(l->cie1, (uint32_t)(pos - l->cie1 - 4));

	l->fde1 = pos;
	put_u32(0), put_u32((uint32_t)(pos - l->cie1));
	put_u32(rel32(code + 0x10, pos)), put_u32(0x40);
	put_u8(4), put_u32(0); /* augmentation data: the LSDA pointer */
	put_u8(0), put_u8(0), put_u8(0);
	patch_u32(l->fde1, (uint32_t)(pos - l->fde1 - 4));

	l->cie2 = pos;
	put_u32(0xffffffff), put_u64(0), put_u32(0), put_u8(3), put(zr, sizeof(zr));
	put_u8(1), put_u8(0x78), put_u8(16); /* version 3: ra is a ULEB128 */
	put_u8(1), put_u8(0x04);             /* FDE pointers: absptr udata8 */
	put_u8(0);
	memcpy(image + l->cie2 + 4, &(uint64_t){ pos - l->cie2 - 12 }, 8);

	l->fde2 = pos;
	put_u32(0xffffffff), put_u64(0), put_u32((uint32_t)(pos - l->cie2));
	put_u64((unsigned long)code + 0x80), put_u64(0x40);
	put_u8(0);
	memcpy(image + l->fde2 + 4, &(uint64_t){ pos - l->fde2 - 12 }, 8);
	put_u32(0); /* the terminator */
	l->len = pos;

	patch_u32(l->table + 0, (uint32_t)(0x10 + (unsigned long)code - (unsigned long)image));
	patch_u32(l->table + 4, (uint32_t)l->fde1);
	patch_u32(l->table + 8, (uint32_t)(0x80 + (unsigned long)code - (unsigned long)image));
	patch_u32(l->table + 12, (uint32_t)l->fde2);
}

static int lookup(const struct layout *l, unsigned long offset, unsigned long *start,
		  unsigned long *end)
{
	return sud_fde_bounds_in((unsigned long)image, (unsigned long)image,
				 (unsigned long)image + l->len, (unsigned long)code + offset, start,
				 end);
}

struct corruption {
	const char *what;
	size_t *base;   /* an offset of struct layout, or NULL for the image's start */
	size_t at;
	uint64_t value;
	int size;       /* bytes written: 1, 4 or 8 */
	unsigned long pc;
	int want;
};

static void check_synthetic(void)
{
	struct layout l;
	unsigned long s = 0, e = 0, s2 = 0, e2 = 0;
	int in1, in2, gap, before, after, unbounded;

	build(&l);
	in1 = lookup(&l, 0x4f, &s, &e);
	tap_ok(!in1 && s == (unsigned long)code + 0x10 && e == (unsigned long)code + 0x50,
	       "zPLR CIE, pcrel sdata4 FDE: [code + %#lx, code + %#lx) (%d)",
	       s - (unsigned long)code, e - (unsigned long)code, in1);
	in2 = lookup(&l, 0x80, &s, &e);
	unbounded = sud_fde_bounds((unsigned long)image, (unsigned long)code + 0x80, &s2, &e2);
	tap_ok(!in2 && s == (unsigned long)code + 0x80 && e == (unsigned long)code + 0xc0 &&
	       !unbounded && s2 == s && e2 == e,
	       "64-bit length, version 3 zR CIE, udata8 FDE: [code + %#lx, code + %#lx) (%d, %d)",
	       s - (unsigned long)code, e - (unsigned long)code, in2, unbounded);
	gap = lookup(&l, 0x50, &s, &e);
	before = lookup(&l, 0x0f, &s, &e);
	after = lookup(&l, 0xc0, &s, &e);
	tap_ok(gap == -ENOENT && before == -ENOENT && after == -ENOENT,
	       "between, before and after the FDEs: -ENOENT (%d, %d, %d)", gap, before, after);

	{
		const struct corruption cases[] = {
			{ "header version 0", NULL, 0, 0, 1, 0x20, -EINVAL },
			{ "table_enc uleb128", NULL, 3, 0x01, 1, 0x20, -ENOTSUP },
			{ "table_enc indirect", NULL, 3, 0xbb, 1, 0x20, -ENOTSUP },
			{ "table_enc textrel", NULL, 3, 0x2b, 1, 0x20, -ENOTSUP },
			{ "eh_frame_ptr_enc of no format", NULL, 1, 0x0e, 1, 0x20, -ENOTSUP },
			{ "fde_count omitted", NULL, 2, 0xff, 1, 0x20, -ENOTSUP },
			{ "fde_count 2^31", NULL, 8, 0x80000000, 4, 0x20, -EINVAL },
			{ "fde_count past the image", NULL, 8, 100, 4, 0x20, -EINVAL },
			{ "a table entry outside the image", &l.table, 4, 0x10000, 4, 0x20, -EINVAL },
			{ "a table entry before .eh_frame", &l.table, 4, 8, 4, 0x20, -EINVAL },
			{ "a table entry naming the other FDE", &l.table, 4, (uint32_t)l.fde2, 4, 0x20, -EINVAL },
			{ "FDE length 0 (terminator)", &l.fde1, 0, 0, 4, 0x20, -EINVAL },
			{ "FDE length past the image", &l.fde1, 0, 0x1000, 4, 0x20, -EINVAL },
			{ "FDE length 2^31", &l.fde1, 0, 0x80000000, 4, 0x20, -EINVAL },
			{ "FDE length too short for its fields", &l.fde1, 0, 6, 4, 0x20, -EINVAL },
			{ "CIE pointer 0 (a CIE)", &l.fde1, 4, 0, 4, 0x20, -EINVAL },
			{ "CIE pointer into the FDE itself", &l.fde1, 4, 2, 4, 0x20, -EINVAL },
			{ "CIE pointer before .eh_frame", &l.fde1, 4, 0x40, 4, 0x20, -EINVAL },
			{ "CIE pointer at the middle of the CIE", &l.fde1, 4, 8, 4, 0x20, -EINVAL },
			{ "FDE pc_range wrapping", &l.fde2, 24, ~0ull, 8, 0x90, -EINVAL },
			{ "CIE id not 0", &l.cie1, 4, 1, 4, 0x20, -EINVAL },
			{ "CIE version 2", &l.cie1, 8, 2, 1, 0x20, -ENOTSUP },
			{ "CIE augmentation without z", &l.cie1, 9, 'x', 1, 0x20, -ENOTSUP },
			{ "CIE augmentation with an unknown letter before R", &l.cie1, 11, 'Q', 1, 0x20,
			  -ENOTSUP },
			{ "CIE augmentation string without its NUL", &l.cie1, 0, 8, 4, 0x20, -EINVAL },
			{ "CIE augmentation data past the CIE", &l.cie1, 17, 0x70, 1, 0x20, -EINVAL },
			{ "CIE personality encoding omit", &l.cie1, 18, 0xff, 1, 0x20, -EINVAL },
			{ "CIE FDE encoding aligned", &l.cie1, 24, 0x50, 1, 0x20, -ENOTSUP },
			{ "CIE FDE encoding datarel", &l.cie1, 24, 0x3b, 1, 0x20, -ENOTSUP },
			{ "CIE FDE encoding indirect", &l.cie1, 24, 0x9b, 1, 0x20, -ENOTSUP },
			{ "CIE FDE encoding omit", &l.cie1, 24, 0xff, 1, 0x20, -EINVAL },
			{ "CIE length past its FDE", &l.cie1, 0, 0x40, 4, 0x20, -EINVAL },
			{ "64-bit CIE length 2^32", &l.cie2, 8, 1, 4, 0x90, -EINVAL },
		};
		int wrong = 0;

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			const struct corruption *c = &cases[i];
			size_t at;
			int got;

			build(&l);
			at = (c->base ? *c->base : 0) + c->at;
			if (c->size == 1)
				image[at] = (uint8_t)c->value;
			else if (c->size == 4)
				patch_u32(at, (uint32_t)c->value);
			else
				memcpy(image + at, &c->value, 8);
			got = lookup(&l, c->pc, &s, &e);
			if (got != c->want) {
				tap_diag("%s: %d, want %d", c->what, got, c->want);
				wrong++;
			}
		}
		tap_ok(!wrong, "%zu corruptions of header, table, FDE and CIE: each its error",
		       sizeof(cases) / sizeof(cases[0]));
	}

	{
		/* every byte of the image, corrupted five ways: an answer, never a fault */
		static const unsigned long pcs[] = { 0x10, 0x4f, 0x80, 0xbf, 0x60 };
		static const uint8_t flips[] = { 0x01, 0x10, 0x80 };
		unsigned long tries = 0, found = 0, bad = 0;

		build(&l);
		for (size_t at = 0; at < l.len; at++) {
			for (int how = 0; how < 5; how++) {
				for (size_t k = 0; k < sizeof(pcs) / sizeof(pcs[0]); k++) {
					uint8_t was;
					int got;

					build(&l);
					was = image[at];
					image[at] = how == 0 ? 0 : how == 1 ? 0xff : was ^ flips[how - 2];
					got = lookup(&l, pcs[k], &s, &e);
					tries++;
					if (got == 0) {
						found++;
						if (!(s <= (unsigned long)code + pcs[k] &&
						      (unsigned long)code + pcs[k] < e))
							bad++;
					} else if (got != -EINVAL && got != -ENOTSUP && got != -ENOENT) {
						bad++;
					}
				}
			}
		}
		tap_ok(!bad, "%lu lookups in the image corrupted at each of its %zu bytes: %lu found, "
		       "none out of range, every error one of the three (%lu wrong)", tries, l.len,
		       found, bad);
	}
}

int main(void)
{
	tap_plan(15);
	check_process();
	check_synthetic();
	(void)local_function(1);
	return tap_done();
}
