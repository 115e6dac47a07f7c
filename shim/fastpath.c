// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The fast path. After its third trap from a site, the site's code jumps
 * to a stub of the library's near it (arch-fastpath.h), which reads the
 * thread's selector and either passes the syscall through from a slot in
 * the exempt trampoline (ALLOW, or a thread that disarmed), or falls back
 * on the site's own syscall instruction, which traps as before (BLOCK,
 * any other value, no selector, a thread that never armed: with no filter
 * that syscall simply runs). So the trap path keeps every rule of SUD that
 * the stub does not decide, and a stub never needs to know the range.
 *
 * Code pages are never written while executable: code_page.c swaps in a
 * changed copy. Only objects that the dynamic linker knows are rewritten
 * by default, and only at sites a decode from their function's start (its
 * FDE) proves; the vDSO never. Patching happens in the trapping thread's
 * SIGSYS handler, inside dl_iterate_phdr() so that the object cannot be
 * unloaded meanwhile, under a lock that is only ever tried: a thread that
 * finds it taken leaves the site for its next trap (a holder may wait for
 * the loader's lock, which the other thread may hold).
 */
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>

#include "fastpath.h"
#include "code_page.h"
#include "eh_frame.h"
#include "rules.h"
#include "usercopy.h"
#include "vdso.h"
#include "altstack.h"
#include "arch-fastpath.h"

static enum sudcompat_fastpath mode;
static bool mode_read;
static unsigned long rewritten, refused, traps, seen;

/* getenv() takes no lock and allocates nothing; a fork child keeps its parent's mode. */
void sud_fastpath_init(void)
{
	const char *env = getenv("SUDCOMPAT_FASTPATH");

	if (mode_read)
		return;
	if (!ARCH_HAS_FASTPATH || (env && !strcmp(env, "off")))
		mode = SUDCOMPAT_FASTPATH_OFF;
	else if (env && !strcmp(env, "all"))
		mode = SUDCOMPAT_FASTPATH_ALL;
	else
		mode = SUDCOMPAT_FASTPATH_ELF;
	mode_read = true;
}

int sud_fastpath_select(enum sudcompat_fastpath want)
{
	if (want != SUDCOMPAT_FASTPATH_OFF && want != SUDCOMPAT_FASTPATH_ELF &&
	    want != SUDCOMPAT_FASTPATH_ALL)
		return EINVAL;
	if (!ARCH_HAS_FASTPATH && want != SUDCOMPAT_FASTPATH_OFF)
		return ENOTSUP;
	mode = want;
	mode_read = true;
	return 0;
}

enum sudcompat_fastpath sud_fastpath_mode(void)
{
	sud_fastpath_init();
	return mode;
}

void sud_fastpath_counts(unsigned long *n_seen, unsigned long *n_rewritten,
			 unsigned long *n_refused, unsigned long *n_traps, unsigned long *n_dispatches)
{
#if ARCH_HAS_FASTPATH
	*n_dispatches = arch_fast_dispatched();
#else
	*n_dispatches = 0;
#endif
	*n_seen = __atomic_load_n(&seen, __ATOMIC_RELAXED);
	*n_rewritten = __atomic_load_n(&rewritten, __ATOMIC_RELAXED);
	*n_refused = __atomic_load_n(&refused, __ATOMIC_RELAXED);
	*n_traps = __atomic_load_n(&traps, __ATOMIC_RELAXED);
}

/* Always SYSCALL_DISPATCH_FILTER_ALLOW: what a disarmed thread's stubs read. */
static const char allow_all;

void sud_fastpath_thread_changed(struct sud_thread *self)
{
	const char *selector = NULL;
	char byte;

	if (self->cfg.mode == SUD_MODE_OFF)
		selector = &allow_all;
	else if (self->cfg.selector && !sud_copy_from_user(&byte, self->cfg.selector, 1))
		selector = self->cfg.selector;
	/* NULL: the trap path decides, and kills for a selector that cannot be read */
	self->fast_selector = selector;
}

#if ARCH_HAS_FASTPATH

#define REGION_SIZE	(64ul << 10)
#define STUBS_PER_REGION (REGION_SIZE / ARCH_FAST_STUB_SIZE)
#define MAX_REGIONS	(ARCH_FAST_SLOTS / STUBS_PER_REGION + 16)
#define SITES		(2 * ARCH_FAST_SLOTS)	/* a power of two */

/* Where stubs go: regions near the code they serve, filled in order. */
static struct stub_region {
	unsigned long base;
	unsigned long used;	/* stubs */
} regions[MAX_REGIONS];
static int n_regions;
static int n_slots;
/*
 * The sites that trapped, with how often, under the lock; tried once they
 * reach SITE_TRAPS: a site that traps once or twice, as most do only at
 * a program's start, is not worth a rewrite (tens of microseconds, a page
 * of memory, and two more mappings).
 */
#define SITE_TRAPS	3
static struct site {
	unsigned long ret;
	unsigned int traps;	/* SITE_TRAPS: tried */
} sites[SITES];

static unsigned long site_hash(unsigned long ret)
{
	return (ret * 0x9e3779b97f4a7c15ul) >> 40;
}

/* Without the lock: a stale answer only defers the site to a later trap. */
static bool site_tried(unsigned long ret)
{
	for (unsigned long i = site_hash(ret), n = 0; n < SITES; i++, n++) {
		const struct site *at = &sites[i % SITES];
		unsigned long r = __atomic_load_n(&at->ret, __ATOMIC_ACQUIRE);

		if (r == ret)
			return __atomic_load_n(&at->traps, __ATOMIC_ACQUIRE) >= SITE_TRAPS;
		if (!r)
			return false;
	}
	return true;
}

/* Under the lock: count a trap of @ret; true when the site is to be tried now. */
static bool site_count(unsigned long ret)
{
	for (unsigned long i = site_hash(ret), n = 0; n < SITES; i++, n++) {
		struct site *at = &sites[i % SITES];

		if (!at->ret) {
			at->traps = 0;
			__atomic_store_n(&at->ret, ret, __ATOMIC_RELEASE);
			__atomic_add_fetch(&seen, 1, __ATOMIC_RELAXED);
		}
		if (at->ret != ret)
			continue;
		if (at->traps >= SITE_TRAPS)
			return false;
		__atomic_store_n(&at->traps, at->traps + 1, __ATOMIC_RELEASE);
		return at->traps == SITE_TRAPS;
	}
	return false;
}

static bool fast_sigreturn(int nr)
{
	return ARCH_FAST_SIGRETURN && nr == sud_proc.nr[SUD_SYS_rt_sigreturn];
}

static unsigned long fast_sigreturn_entry(void)
{
#if ARCH_FAST_SIGRETURN
	return (unsigned long)sud_fast_sigreturn;
#else
	return 0;
#endif
}

static bool near(unsigned long a, unsigned long b)
{
	return (a > b ? a - b : b - a) < ARCH_FAST_REACH;
}

/* A region with a free stub within reach of @site, or NULL. */
static struct stub_region *region_for(unsigned long site)
{
	unsigned long base;

	for (int i = 0; i < n_regions; i++)
		if (regions[i].used < STUBS_PER_REGION && near(regions[i].base, site) &&
		    near(regions[i].base + REGION_SIZE, site))
			return &regions[i];
	if (n_regions == MAX_REGIONS ||
	    sud_code_map_near(site, ARCH_FAST_REACH - REGION_SIZE, REGION_SIZE, &base))
		return NULL;
	regions[n_regions].base = base;
	regions[n_regions].used = 0;
	return &regions[n_regions++];
}

static struct sud_fast_tls tls_offsets(void)
{
	unsigned long tp = arch_thread_pointer();
	struct sud_fast_tls tls = {
		.selector = (long)((unsigned long)&sud_self.fast_selector - tp),
		.stash = (long)((unsigned long)&sud_self.fast_stash - tp),
		.site = ARCH_FAST_DISPATCH ? (long)((unsigned long)arch_fast_site_cell() - tp) : 0,
	};

	return tls;
}

/*
 * Under the lock: the stub first, its slot's return before it, the site
 * last, so that a thread that takes the new site finds all it needs. A
 * restorer's rt_sigreturn passes through the emulation's, not a slot;
 * the other special syscalls through the site's own instruction.
 */
static bool rewrite(const struct arch_fast_site *site)
{
	bool restorer = fast_sigreturn(site->nr);
	/* signal state and lifecycle keep the trap path at ALLOW; only their dispatch is fast */
	bool trap_at_allow = ARCH_FAST_DISPATCH && sud_special_of(site->nr) >= 0 && !restorer;
	/* a slot of its own to pass through, or to fall back on where the site's svc is gone */
	bool slotted = ARCH_FAST_TRAPS || (!restorer && !trap_at_allow);
	unsigned char stub_code[ARCH_FAST_STUB_SIZE], jump[16];
	struct sud_fast_tls tls = tls_offsets();
	unsigned long stub, slot = 0, allow;
	struct stub_region *r;

	if (n_slots == ARCH_FAST_SLOTS || site->len > sizeof(jump) || !arch_fast_can_dispatch())
		return false;
	r = region_for(site->patch);
	if (!r)
		return false;
	stub = r->base + r->used * ARCH_FAST_STUB_SIZE;
	if (slotted)
		slot = (unsigned long)sud_fast_slots + (unsigned long)n_slots * ARCH_FAST_SLOT_SIZE;
	allow = restorer ? fast_sigreturn_entry() : trap_at_allow ? 0 : slot;
	if (!arch_fast_stub(stub_code, stub, site, allow, slot, &tls) ||
	    !arch_fast_jump(jump, site, stub))
		return false;
	if (slotted) {
		sud_fast_ret[n_slots] = site->ret;
#if ARCH_FAST_TRAPS
		sud_fast_back[n_slots] = arch_fast_stub_back(stub);
#endif
	}
	if (sud_code_write(stub, stub_code, sizeof(stub_code)))
		return false;
	n_slots += slotted;
	r->used++;
	return !sud_code_write(site->patch, jump, site->len);
}

/*
 * The vDSO's signal trampoline, where the kernel returns every handler
 * without SA_RESTORER: with ARCH_FAST_SIGRETURN its rt_sigreturn is
 * rewritten too, though nothing else of the vDSO is. Its symbol bounds it,
 * and it is never unloaded (a static executable's dl_iterate_phdr() may
 * not even list the vDSO).
 */
static bool vdso_sigreturn(unsigned long ret, int nr, unsigned long *code,
			   unsigned long *code_end)
{
	if (!fast_sigreturn(nr) || ret - sud_proc.sigreturn_start >=
	    sud_proc.sigreturn_end - sud_proc.sigreturn_start)
		return false;
	*code = sud_proc.sigreturn_start;
	*code_end = sud_proc.sigreturn_end;
	return true;
}

struct search {
	unsigned long ret;
	int nr;
	bool in_object;
	bool done;
};

/* The object whose text holds the site, if any: rewritten here, where it stays mapped. */
static int search_object(struct dl_phdr_info *info, size_t size, void *data)
{
	struct search *s = data;
	unsigned long insn = s->ret - ARCH_SYSCALL_INSN_SIZE, eh_frame_hdr = 0;
	unsigned long text = 0, text_end = 0, unwind = 0, unwind_end = 0;
	unsigned long code, code_end;
	struct arch_fast_site site;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		unsigned long start = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && (ph->p_flags & PF_R) &&
		    insn - start < ph->p_memsz) {
			text = start;
			text_end = start + ph->p_memsz;
		}
		if (ph->p_type == PT_GNU_EH_FRAME)
			eh_frame_hdr = start;
	}
	if (!text)
		return 0;
	s->in_object = true;
	/* .eh_frame_hdr and .eh_frame: the readable segment that holds the header */
	for (int i = 0; eh_frame_hdr && i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		unsigned long start = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_R) &&
		    eh_frame_hdr - start < ph->p_memsz) {
			unwind = start;
			unwind_end = start + ph->p_memsz;
		}
	}
	if (!sud_vdso_is_object(info) && unwind &&
	    !sud_fde_bounds_in(eh_frame_hdr, unwind, unwind_end, insn, &code, &code_end) &&
	    code >= text && code_end <= text_end &&
	    arch_fast_site(s->ret, s->nr, code, code_end, &site))
		s->done = rewrite(&site);
	return 1;
}

/* below: the handlers' tails, which the user-space dispatch enters them through */
static void add_handler_tail(void);

void sud_fastpath_trapped(int nr, unsigned long ret, const ucontext_t *uc)
{
	struct search s = { .ret = ret, .nr = nr };
	struct arch_fast_site site;

	__atomic_add_fetch(&traps, 1, __ATOMIC_RELAXED);
	arch_fast_learn(uc);
	/*
	 * An exempt site would read the selector, but for a restorer's
	 * rt_sigreturn, which the architecture's entries emulate as the trap
	 * path does, exempt or not (a tracer's restorer in its allowed range
	 * returns at BLOCK). Without a fast dispatch, a special syscall's site
	 * would gain nothing: it keeps the trap path at ALLOW.
	 */
	if (!mode_read || mode == SUDCOMPAT_FASTPATH_OFF || site_tried(ret) ||
	    (!ARCH_FAST_DISPATCH && sud_special_of(nr) >= 0 && !fast_sigreturn(nr)) ||
	    (sud_ip_exempt(&sud_self.cfg, ret) && !fast_sigreturn(nr)))
		return;
	if (__atomic_exchange_n(&sud_proc.fastpath_lock, 1, __ATOMIC_ACQUIRE))
		return;
	if (site_count(ret)) {
		unsigned long code, code_end;

		if (vdso_sigreturn(ret, nr, &code, &code_end)) {
			s.in_object = true;
			s.done = arch_fast_site(ret, nr, code, code_end, &site) && rewrite(&site);
		} else {
			dl_iterate_phdr(search_object, &s);
		}
		if (!s.in_object && mode == SUDCOMPAT_FASTPATH_ALL &&
		    arch_fast_site(ret, nr, 0, 0, &site))
			s.done = rewrite(&site);
		__atomic_add_fetch(s.done ? &rewritten : &refused, 1, __ATOMIC_RELAXED);
		/* the site may dispatch from now on */
		if (s.done)
			add_handler_tail();
	}
	__atomic_store_n(&sud_proc.fastpath_lock, 0, __ATOMIC_RELEASE);
}

/* The fallback slots' window: the same layout as the slots', one per site. */
static unsigned long trap_window(unsigned long *end)
{
#if ARCH_FAST_TRAPS
	*end = (unsigned long)sud_fast_traps_end;
	return (unsigned long)sud_fast_traps;
#else
	*end = 0;
	return 0;
#endif
}

void sud_fastpath_trap_window(unsigned long *start, unsigned long *end)
{
	*start = trap_window(end);
}

void sud_fastpath_trap_site(siginfo_t *info, ucontext_t *uc)
{
	unsigned long call = (unsigned long)info->si_call_addr, end, fb = trap_window(&end);
	unsigned long k, slot, ip = arch_uc_ip(uc);

	if (call - 1 - fb >= end - fb)
		return;
	k = (call - 1 - fb) / ARCH_FAST_SLOT_SIZE;
	slot = fb + k * ARCH_FAST_SLOT_SIZE;
	/*
	 * Past the syscall, or back on it where a restart code made the kernel
	 * rewind: the slot issued it with the application's registers and sp,
	 * so only the place moves to the site's.
	 */
	if (ip - slot < ARCH_FAST_SLOT_SIZE)
		arch_fast_adopt_slot(uc, ip - slot, sud_fast_ret[k], sud_self.fast_stash);
	info->si_call_addr = (void *)sud_fast_ret[k];
}

static const struct stub_region *region_of(unsigned long ip)
{
	int n = __atomic_load_n(&n_regions, __ATOMIC_ACQUIRE);

	for (int i = 0; i < n; i++)
		if (ip - regions[i].base < REGION_SIZE)
			return &regions[i];
	return NULL;
}

enum sud_fast_landing sud_fastpath_adopt(ucontext_t *uc, bool fault)
{
	unsigned long ip = arch_uc_ip(uc), stash = sud_self.fast_stash;
	unsigned long slots = (unsigned long)sud_fast_slots, fb_end, fb = trap_window(&fb_end);
	const struct stub_region *r;
	const unsigned char *stub;
	unsigned long offset, ret;

	if (arch_fast_adopt_dispatch(uc, stash))
		return SUD_FAST_ADOPTED;
	/* a fallback slot, where a thread without the filter issues the site's syscall */
	if (ip - fb < fb_end - fb)
		slots = fb;
	if (ip - slots < (unsigned long)(sud_fast_slots_end - sud_fast_slots)) {
		unsigned long k = (ip - slots) / ARCH_FAST_SLOT_SIZE;

		arch_fast_adopt_slot(uc, (ip - slots) % ARCH_FAST_SLOT_SIZE, sud_fast_ret[k], stash);
		return SUD_FAST_ADOPTED;
	}
	r = region_of(ip);
	if (!r)
		return SUD_FAST_ELSEWHERE;
	offset = (ip - r->base) % ARCH_FAST_STUB_SIZE;
	stub = (const unsigned char *)(ip - offset);
	ret = arch_fast_stub_ret(stub);
	if (!fault || offset != ARCH_FAST_STUB_READ) {
		arch_fast_adopt_stub(uc, stub, offset, stash);
		return SUD_FAST_ADOPTED;
	}
	if (sud_self.cfg.mode == SUD_MODE_OFF || !sud_ip_exempt(&sud_self.cfg, ret)) {
		arch_fast_adopt_stub(uc, stub, offset, stash);
		return SUD_FAST_SELECTOR_FAULT;
	}
	arch_fast_adopt_fallback(uc, stub, stash);
	return SUD_FAST_FAULT_EXEMPT;
}

void sud_fastpath_signal_arrived(const ucontext_t *uc)
{
	sud_altstack_flags_arrived(&uc->uc_stack);
	arch_fast_signal_arrived(uc);
}

void sud_fastpath_altstack_set(const stack_t *ss)
{
	sud_altstack_flags_set(ss->ss_flags);
	arch_fast_altstack_set(ss);
}

#else

void sud_fastpath_signal_arrived(const ucontext_t *uc)
{
	(void)uc;
}

void sud_fastpath_altstack_set(const stack_t *ss)
{
	(void)ss;
}

void sud_fastpath_trap_window(unsigned long *start, unsigned long *end)
{
	*start = 0;
	*end = 0;
}

void sud_fastpath_trap_site(siginfo_t *info, ucontext_t *uc)
{
	(void)info;
	(void)uc;
}

void sud_fastpath_trapped(int nr, unsigned long ret, const ucontext_t *uc)
{
	(void)nr;
	(void)ret;
	(void)uc;
}

enum sud_fast_landing sud_fastpath_adopt(ucontext_t *uc, bool fault)
{
	(void)uc;
	(void)fault;
	return SUD_FAST_ELSEWHERE;
}

#endif

#if ARCH_HAS_FASTPATH && ARCH_FAST_TRAPS
/*
 * The SIGSYS handlers a dispatch enters without the kernel, each through
 * a stub near it that is only a tail (arch_fast_handler_stub()): a direct
 * branch, where an indirect one would need a register that the handler
 * must find as the application left it. Written under the lock, read
 * without it.
 */
#define HANDLER_TAILS	8
static struct {
	unsigned long handler, tail;
} handler_tails[HANDLER_TAILS];
static int n_handler_tails;

unsigned long sud_fastpath_handler_tail(unsigned long handler)
{
	int n = __atomic_load_n(&n_handler_tails, __ATOMIC_ACQUIRE);

	for (int i = 0; i < n; i++)
		if (handler_tails[i].handler == handler)
			return handler_tails[i].tail;
	return 0;
}

static unsigned long sigsys_handler;

/* Under the lock: a tail for the SIGSYS handler in force, if it has none. */
static void add_handler_tail(void)
{
	unsigned long handler = __atomic_load_n(&sigsys_handler, __ATOMIC_RELAXED), stub;
	unsigned char code[ARCH_FAST_STUB_SIZE];
	int n = n_handler_tails;
	struct stub_region *r;

	if (!handler || n == HANDLER_TAILS || sud_fastpath_handler_tail(handler))
		return;
	r = region_for(handler);
	if (!r)
		return;
	stub = r->base + r->used * ARCH_FAST_STUB_SIZE;
	if (!arch_fast_handler_stub(code, stub, handler) || sud_code_write(stub, code, sizeof(code)))
		return;
	r->used++;
	handler_tails[n].handler = handler;
	handler_tails[n].tail = arch_fast_stub_back(stub);
	__atomic_store_n(&n_handler_tails, n + 1, __ATOMIC_RELEASE);
}

void sud_fastpath_handler_set(void *handler)
{
	__atomic_store_n(&sigsys_handler, (unsigned long)handler, __ATOMIC_RELAXED);
	if (!__atomic_load_n(&rewritten, __ATOMIC_RELAXED) ||
	    __atomic_exchange_n(&sud_proc.fastpath_lock, 1, __ATOMIC_ACQUIRE))
		return;
	add_handler_tail();
	__atomic_store_n(&sud_proc.fastpath_lock, 0, __ATOMIC_RELEASE);
}
#else
void sud_fastpath_handler_set(void *handler)
{
	(void)handler;
}

unsigned long sud_fastpath_handler_tail(unsigned long handler)
{
	(void)handler;
	return 0;
}

static void add_handler_tail(void)
{
}
#endif
