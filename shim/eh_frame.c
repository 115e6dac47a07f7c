// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The FDE around a code address, found as the unwinder finds it: the
 * .eh_frame_hdr search table (LSB 5.0, "Exception Frames"), then the FDE
 * and its CIE in .eh_frame, for pc_begin and pc_range.
 *
 * This runs in the SIGSYS handler, on tables of objects the application
 * mapped: no allocation, no locks, no libc call that could take either,
 * and every read inside a window that the data read before it declared.
 * A table or record that contradicts itself is -EINVAL, not a wild read.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eh_frame.h"

/* DW_EH_PE_*: a pointer's format (low nibble) and what it is relative to (bits 4-6). */
#define PE_ABSPTR 0x00
#define PE_ULEB128 0x01
#define PE_UDATA2 0x02
#define PE_UDATA4 0x03
#define PE_UDATA8 0x04
#define PE_SLEB128 0x09
#define PE_SDATA2 0x0a
#define PE_SDATA4 0x0b
#define PE_SDATA8 0x0c
#define PE_FORMAT_MASK 0x0f
#define PE_PCREL 0x10
#define PE_DATAREL 0x30
#define PE_ALIGNED 0x50
#define PE_RELATIVE_MASK 0x70
#define PE_INDIRECT 0x80
#define PE_OMIT 0xff

/* Sanity bounds: far above what any linker emits, far below a runaway read. */
#define MAX_TABLE_ENTRIES (1ul << 26)
#define MAX_RECORD_BYTES (1ul << 24)

/* What may be read at all: [lo, hi). */
struct readable {
	unsigned long lo, hi;
};

/* A window of the object [at, end): a read that would leave it fails instead. */
struct cursor {
	unsigned long at, end;
};

static bool window(struct cursor *c, const struct readable *r, unsigned long at,
		   unsigned long len)
{
	if (at < r->lo || at >= r->hi || len > r->hi - at)
		return false;
	c->at = at;
	c->end = at + len;
	return true;
}

/* A window of up to @len bytes at @at, short where the memory ends: for fields of variable size. */
static bool window_up_to(struct cursor *c, const struct readable *r, unsigned long at,
			 unsigned long len)
{
	if (at < r->lo || at >= r->hi)
		return false;
	c->at = at;
	c->end = len < r->hi - at ? at + len : r->hi;
	return true;
}

/* A window inside another, which needs no second check. */
static void subwindow(struct cursor *c, const struct cursor *outer, unsigned long len)
{
	c->at = outer->at;
	c->end = outer->at + len;
}

static bool take(struct cursor *c, void *dst, unsigned long n)
{
	if (c->end - c->at < n)
		return false;
	/* constant sizes only: the compiler makes these plain (unaligned) loads */
	__builtin_memcpy(dst, (const void *)c->at, n);
	c->at += n;
	return true;
}

static bool take_u8(struct cursor *c, uint8_t *v)
{
	return take(c, v, 1);
}

static bool take_u32(struct cursor *c, uint32_t *v)
{
	return take(c, v, 4);
}

static bool take_leb128(struct cursor *c, bool is_signed, uint64_t *v)
{
	uint64_t result = 0;
	unsigned int shift = 0;
	uint8_t byte;

	do {
		if (shift >= 64 || !take_u8(c, &byte))
			return false;
		result |= (uint64_t)(byte & 0x7f) << shift;
		shift += 7;
	} while (byte & 0x80);
	if (is_signed && shift < 64 && (byte & 0x40))
		result |= ~(uint64_t)0 << shift;
	*v = result;
	return true;
}

/* A value in pointer format @format (DW_EH_PE_ low nibble), sign-extended where signed. */
static int take_format(struct cursor *c, uint8_t format, uint64_t *v)
{
	uint16_t u16 = 0;
	uint32_t u32 = 0;
	uint64_t u64 = 0;
	bool ok;

	switch (format) {
	case PE_ABSPTR:
		/* the ABIs this library supports are all LP64: absptr is 8 bytes */
	case PE_UDATA8:
	case PE_SDATA8:
		ok = take(c, &u64, 8);
		*v = u64;
		break;
	case PE_UDATA2:
		ok = take(c, &u16, 2);
		*v = u16;
		break;
	case PE_SDATA2:
		ok = take(c, &u16, 2);
		*v = (uint64_t)(int64_t)(int16_t)u16;
		break;
	case PE_UDATA4:
		ok = take_u32(c, &u32);
		*v = u32;
		break;
	case PE_SDATA4:
		ok = take_u32(c, &u32);
		*v = (uint64_t)(int64_t)(int32_t)u32;
		break;
	case PE_ULEB128:
		ok = take_leb128(c, false, v);
		break;
	case PE_SLEB128:
		ok = take_leb128(c, true, v);
		break;
	default:
		return -ENOTSUP;
	}
	return ok ? 0 : -EINVAL;
}

/*
 * An encoded pointer at c->at. @datarel_base: what DW_EH_PE_datarel is
 * relative to, 0 where it has no defined meaning (in .eh_frame it is an
 * arch-specific data base that only the unwinder's caller knows).
 */
static int take_pointer(struct cursor *c, uint8_t enc, unsigned long datarel_base,
			unsigned long *out)
{
	unsigned long field = c->at;
	uint64_t v;
	int err;

	if (enc == PE_OMIT || (enc & PE_INDIRECT))
		return -ENOTSUP;
	err = take_format(c, enc & PE_FORMAT_MASK, &v);
	if (err)
		return err;
	switch (enc & PE_RELATIVE_MASK) {
	case PE_ABSPTR:
		break;
	case PE_PCREL:
		v += field;
		break;
	case PE_DATAREL:
		if (!datarel_base)
			return -ENOTSUP;
		v += datarel_base;
		break;
	default:
		return -ENOTSUP;
	}
	*out = (unsigned long)v;
	return 0;
}

/* Step over an encoded pointer whose value is not needed (a CIE's personality routine). */
static int skip_pointer(struct cursor *c, uint8_t enc)
{
	uint64_t ignored;

	if (enc == PE_OMIT)
		return -EINVAL;
	if ((enc & PE_RELATIVE_MASK) == PE_ALIGNED) {
		unsigned long pad = -c->at & (sizeof(void *) - 1);

		if (c->end - c->at < pad)
			return -EINVAL;
		c->at += pad;
	}
	return take_format(c, enc & PE_FORMAT_MASK, &ignored);
}

/* --- the .eh_frame_hdr search table --- */

struct search_table {
	struct readable mem;
	unsigned long hdr;       /* the header's own address: the table's datarel base */
	unsigned long eh_frame;  /* the start of .eh_frame: every CIE and FDE lies at or after it */
	unsigned long entries;   /* the first entry: { initial_location, fde_address } */
	unsigned long count;
	unsigned long field_bytes;
	uint8_t enc;
};

static int open_table(unsigned long hdr, struct search_table *t)
{
	struct cursor c;
	uint8_t version, frame_enc, count_enc;
	unsigned long count;
	int err;

	if (!hdr)
		return -EINVAL;
	/* four bytes, then two fields of at most 10 bytes (LEB128) */
	if (!window_up_to(&c, &t->mem, hdr, 4 + 10 + 10))
		return -EINVAL;
	if (!take_u8(&c, &version) || !take_u8(&c, &frame_enc) || !take_u8(&c, &count_enc) ||
	    !take_u8(&c, &t->enc))
		return -EINVAL;
	if (version != 1)
		return -EINVAL;
	t->hdr = hdr;
	err = take_pointer(&c, frame_enc, hdr, &t->eh_frame);
	if (err)
		return err;
	/* without the table the unwinder scans all of .eh_frame: not in a signal handler */
	if (count_enc == PE_OMIT || t->enc == PE_OMIT)
		return -ENOTSUP;
	err = take_pointer(&c, count_enc, hdr, &count);
	if (err)
		return err;
	/* a binary search needs entries of one size */
	switch (t->enc & PE_FORMAT_MASK) {
	case PE_UDATA4:
	case PE_SDATA4:
		t->field_bytes = 4;
		break;
	case PE_ABSPTR:
	case PE_UDATA8:
	case PE_SDATA8:
		t->field_bytes = 8;
		break;
	default:
		return -ENOTSUP;
	}
	if ((t->enc & PE_INDIRECT) ||
	    ((t->enc & PE_RELATIVE_MASK) != PE_ABSPTR && (t->enc & PE_RELATIVE_MASK) != PE_PCREL &&
	     (t->enc & PE_RELATIVE_MASK) != PE_DATAREL))
		return -ENOTSUP;
	if (!t->eh_frame || count > MAX_TABLE_ENTRIES)
		return -EINVAL;
	t->entries = c.at;
	t->count = count;
	/* the whole table must be readable: then so is every entry */
	if (count && !window(&c, &t->mem, t->entries, count * 2 * t->field_bytes))
		return -EINVAL;
	return 0;
}

static int table_entry(const struct search_table *t, unsigned long i, unsigned long *initial,
		       unsigned long *fde)
{
	struct cursor c;
	int err;

	if (!window(&c, &t->mem, t->entries + i * 2 * t->field_bytes, 2 * t->field_bytes))
		return -EINVAL;
	err = take_pointer(&c, t->enc, t->hdr, initial);
	if (!err && fde)
		err = take_pointer(&c, t->enc, t->hdr, fde);
	return err;
}

/* The last entry whose initial location is <= @pc, in *index; -ENOENT before the first. */
static int search(const struct search_table *t, unsigned long pc, unsigned long *index)
{
	unsigned long lo = 0, hi = t->count, initial;
	int err;

	if (!t->count)
		return -ENOENT;
	err = table_entry(t, 0, &initial, NULL);
	if (err)
		return err;
	if (initial > pc)
		return -ENOENT;
	/* initial(lo) <= pc, and hi is the end or initial(hi) > pc */
	while (hi - lo > 1) {
		unsigned long mid = lo + (hi - lo) / 2;

		err = table_entry(t, mid, &initial, NULL);
		if (err)
			return err;
		if (initial <= pc)
			lo = mid;
		else
			hi = mid;
	}
	*index = lo;
	return 0;
}

/* --- CIE and FDE records in .eh_frame --- */

/*
 * The record at @at: *body the window after its length, up to its end.
 * The 64-bit form (length 0xffffffff, then 8 bytes) keeps the 4-byte
 * CIE id and CIE pointer in .eh_frame (LSB), unlike .debug_frame.
 */
static int open_record(const struct readable *mem, unsigned long at, struct cursor *body)
{
	struct cursor c;
	uint32_t len32;
	uint64_t len;

	if (!window_up_to(&c, mem, at, 4 + 8) || !take_u32(&c, &len32))
		return -EINVAL;
	len = len32;
	if (len32 == 0xffffffff && !take(&c, &len, 8))
		return -EINVAL;
	/* 0 is the terminator; anything shorter than an id is no record */
	if (len < 4 || len > MAX_RECORD_BYTES || !window(body, mem, c.at, len))
		return -EINVAL;
	return 0;
}

/* The pointer encoding that the FDEs of the CIE at @cie use, which must end by @limit. */
static int cie_fde_encoding(const struct readable *mem, unsigned long cie, unsigned long limit,
			    uint8_t *fde_enc)
{
	struct cursor c, aug_data;
	unsigned long aug, aug_len = 0;
	uint32_t id;
	uint8_t version, byte, ra8;
	uint64_t value;
	bool have_r = false;
	int err;

	err = open_record(mem, cie, &c);
	if (err)
		return err;
	if (c.end > limit || !take_u32(&c, &id) || id != 0)
		return -EINVAL;
	if (!take_u8(&c, &version))
		return -EINVAL;
	if (version != 1 && version != 3)
		return -ENOTSUP;
	aug = c.at;
	for (;;) {
		if (!take_u8(&c, &byte))
			return -EINVAL;
		if (!byte)
			break;
		aug_len++;
	}
	/* code alignment, data alignment, return address register: read past */
	if (!take_leb128(&c, false, &value) || !take_leb128(&c, true, &value))
		return -EINVAL;
	if (version == 1 ? !take_u8(&c, &ra8) : !take_leb128(&c, false, &value))
		return -EINVAL;

	*fde_enc = PE_ABSPTR;
	if (!aug_len)
		return 0;
	/* only "z..." says how long its data is; GCC 2's "eh" and the like are not read */
	if (*(const char *)aug != 'z')
		return -ENOTSUP;
	if (!take_leb128(&c, false, &value) || value > c.end - c.at)
		return -EINVAL;
	subwindow(&aug_data, &c, value);
	for (unsigned long i = 1; i < aug_len; i++) {
		uint8_t enc;

		switch (((const char *)aug)[i]) {
		case 'P':
			if (!take_u8(&aug_data, &enc))
				return -EINVAL;
			err = skip_pointer(&aug_data, enc);
			if (err)
				return err;
			break;
		case 'L':
			if (!take_u8(&aug_data, &enc))
				return -EINVAL;
			break;
		case 'R':
			if (!take_u8(&aug_data, fde_enc))
				return -EINVAL;
			have_r = true;
			break;
		case 'S': /* a signal frame */
		case 'B': /* aarch64: pointer authentication with the B key */
		case 'G': /* aarch64: MTE-tagged stack frame */
			break;
		default:
			/* what follows an unknown letter cannot be found, but R may be known already */
			return have_r ? 0 : -ENOTSUP;
		}
	}
	return *fde_enc == PE_OMIT ? -EINVAL : 0;
}

/* pc_begin and pc_range of the FDE at @fde; its CIE must lie in .eh_frame before it. */
static int fde_range(const struct search_table *t, unsigned long fde, unsigned long *begin,
		     unsigned long *range)
{
	struct cursor c;
	unsigned long id_at;
	uint32_t cie_offset;
	uint8_t enc;
	uint64_t len;
	int err;

	if (fde < t->eh_frame)
		return -EINVAL;
	err = open_record(&t->mem, fde, &c);
	if (err)
		return err;
	id_at = c.at;
	if (!take_u32(&c, &cie_offset))
		return -EINVAL;
	/* 0 would make it a CIE; the CIE it names is before it and no earlier than .eh_frame */
	if (cie_offset == 0 || cie_offset > id_at - t->eh_frame || id_at - cie_offset >= fde)
		return -EINVAL;
	err = cie_fde_encoding(&t->mem, id_at - cie_offset, fde, &enc);
	if (err)
		return err;
	err = take_pointer(&c, enc, 0, begin);
	if (err)
		return err;
	/* pc_range is a length: the format only */
	err = take_format(&c, enc & PE_FORMAT_MASK, &len);
	if (err)
		return err;
	if (*begin + len < *begin)
		return -EINVAL;
	*range = len;
	return 0;
}

int sud_fde_bounds_in(unsigned long eh_frame_hdr, unsigned long readable_start,
		      unsigned long readable_end, unsigned long pc, unsigned long *start,
		      unsigned long *end)
{
	struct search_table t = { .mem = { readable_start, readable_end } };
	unsigned long i, initial, fde, begin, range;
	int err;

	if (readable_start >= readable_end)
		return -EINVAL;
	err = open_table(eh_frame_hdr, &t);
	if (!err)
		err = search(&t, pc, &i);
	if (!err)
		err = table_entry(&t, i, &initial, &fde);
	if (!err)
		err = fde_range(&t, fde, &begin, &range);
	if (err)
		return err;
	/* the table indexes FDEs by pc_begin: an entry that names another FDE is corrupt */
	if (begin != initial)
		return -EINVAL;
	if (pc - begin >= range)
		return -ENOENT;
	*start = begin;
	*end = begin + range;
	return 0;
}

int sud_fde_bounds(unsigned long eh_frame_hdr, unsigned long pc, unsigned long *start,
		   unsigned long *end)
{
	return sud_fde_bounds_in(eh_frame_hdr, 0, ~0ul, pc, start, end);
}
