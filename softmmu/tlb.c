/*
 * tlb.c - the soft TLB's slow half: filling an entry from the guest
 * model's translation and the memory map, flushes, and the slow paths of
 * loads, stores and code fetches (misaligned and page-crossing accesses,
 * MMIO, ROM, logged RAM, and stores into pages that hold translated code).
 *
 * An entry caches one 4 KiB linear page for one MMU mode: a tag per access
 * kind (read, write, code) and the host addend. A tag equals the linear
 * page when the fast path may use the addend; otherwise it carries
 * TLB_INVALID (not allowed or not cached: refill), TLB_MMIO (go through the
 * memory map), TLB_CODE (a write must invalidate translated code) or
 * TLB_NOTDIRTY (a write must set dirty bits of a logged RAM region) or
 * TLB_WATCH (a watchpoint is on the page: loads and stores ask the watch
 * hook first), always with TLB_FORCE_SLOW so that no fast-path compare can
 * match it. Beside each entry the TLB keeps the physical page and the
 * protection the translate hook reported (TLB_PROT_*): a page without EXEC
 * gets no code tag, and the flushes read GLOBAL (kept by
 * tlb_flush_nonglobal) and LARGE (the pieces INVLPG of a large page drops).
 */
#include "softmmu/access.h"

#include <string.h>

#include "base/util.h"

#define TAG_INVALID (TLB_INVALID | TLB_FORCE_SLOW)
#define TAG_FLAGS                                                              \
    (TLB_MMIO | TLB_CODE | TLB_NOTDIRTY | TLB_WATCH | TLB_FORCE_SLOW)

static inline vaddr page_of(vaddr addr)
{
    return addr & PAGE_MASK;
}

/* Does this tag hold a translation (possibly flagged) of page? */
static inline bool tag_hit(vaddr tag, vaddr page)
{
    return (tag & (PAGE_MASK | TLB_INVALID)) == page;
}

/* The physical page of entry e (kept beside the entries: tlb.h). */
static hwaddr *entry_paddr(struct soft_mmu *m, const struct tlb_entry *e)
{
    size_t i = (size_t)(e - &m->tlb.e[0][0]);
    return &m->tlb.paddr[0][0] + i;
}

static vaddr *entry_tag(struct tlb_entry *e, int access)
{
    return access == ACC_WRITE  ? &e->tag_write
           : access == ACC_CODE ? &e->tag_code
                                : &e->tag_read;
}

static void tlb_invalidate_entry(struct tlb_entry *e)
{
    e->tag_read = e->tag_write = e->tag_code = TAG_INVALID;
}

/* Drop the entries whose prot has none of the bits in keep, then tell the
 * layer above. */
static void tlb_flush_keeping(struct soft_mmu *m, unsigned keep)
{
    for (int i = 0; i < NB_MMU_MODES; i++) {
        for (unsigned j = 0; j < TLB_SIZE; j++) {
            if (m->tlb.prot[i][j] & keep)
                continue;
            struct tlb_entry *e = &m->tlb.e[i][j];
            tlb_invalidate_entry(e);
            e->addend = 0;
            m->tlb.paddr[i][j] = 0;
            m->tlb.prot[i][j] = 0;
        }
    }
    if (m->flushed)
        m->flushed(m->owner, 0, 0);
}

void tlb_flush(struct soft_mmu *m)
{
    tlb_flush_keeping(m, 0);
}

void tlb_flush_nonglobal(struct soft_mmu *m)
{
    tlb_flush_keeping(m, TLB_PROT_GLOBAL);
}

/* Does entry e hold a translation of a page in the block (mask) ? */
static bool entry_in(const struct tlb_entry *e, vaddr mask, vaddr block)
{
    vaddr tags[3] = { e->tag_read, e->tag_write, e->tag_code };
    for (int k = 0; k < 3; k++)
        if (!(tags[k] & TLB_INVALID) && (tags[k] & mask) == block)
            return true;
    return false;
}

void tlb_flush_page(struct soft_mmu *m, vaddr addr, uint64_t size)
{
    /* Entries are 4 KiB pieces: a large page may be held as several, and
     * its mapping may already have changed, so drop every piece; a piece
     * of a 4 KiB page elsewhere in the block stays. */
    vaddr page = page_of(addr);
    vaddr mask = ~(size - 1) & PAGE_MASK;
    vaddr block = addr & mask;

    for (int i = 0; i < NB_MMU_MODES; i++) {
        struct tlb_entry *e = tlb_entry(&m->tlb, i, addr);
        if (entry_in(e, PAGE_MASK, page))
            tlb_invalidate_entry(e);
        if (mask == PAGE_MASK)
            continue;
        for (unsigned j = 0; j < TLB_SIZE; j++) {
            e = &m->tlb.e[i][j];
            if ((m->tlb.prot[i][j] & TLB_PROT_LARGE) &&
                entry_in(e, mask, block))
                tlb_invalidate_entry(e);
        }
    }
    if (m->flushed)
        m->flushed(m->owner, block, size);
}

void tlb_protect_code_page(struct soft_mmu *m, hwaddr paddr)
{
    hwaddr ppage = paddr & PAGE_MASK;

    for (int i = 0; i < NB_MMU_MODES; i++) {
        for (unsigned j = 0; j < TLB_SIZE; j++) {
            struct tlb_entry *e = &m->tlb.e[i][j];
            if (!(e->tag_write & TLB_INVALID) && m->tlb.paddr[i][j] == ppage)
                e->tag_write |= TLB_CODE | TLB_FORCE_SLOW;
        }
    }
}

void tlb_protect_writes(struct soft_mmu *m, hwaddr paddr, uint64_t len)
{
    hwaddr first = paddr & PAGE_MASK, end = paddr + len;

    for (int i = 0; i < NB_MMU_MODES; i++) {
        for (unsigned j = 0; j < TLB_SIZE; j++) {
            struct tlb_entry *e = &m->tlb.e[i][j];
            if (!(e->tag_write & (TLB_INVALID | TLB_MMIO)) &&
                m->tlb.paddr[i][j] >= first && m->tlb.paddr[i][j] < end)
                e->tag_write |= TLB_NOTDIRTY | TLB_FORCE_SLOW;
        }
    }
}

void tlb_fill(struct soft_mmu *m, vaddr addr, int access, int mmu,
              uintptr_t ra)
{
    vaddr page = page_of(addr);
    struct tlb_entry *e = tlb_entry(&m->tlb, mmu, addr);
    unsigned prot = TLB_PROT_WRITE | TLB_PROT_EXEC;
    hwaddr paddr = m->translate(m->owner, addr, access, mmu, ra, &prot);
    bool write_ok = prot & TLB_PROT_WRITE;

    hwaddr ppage = paddr & PAGE_MASK;
    const struct mem_section *s = mem_lookup(m->mem, ppage);
    bool whole =
        s && s->kind != MEM_MMIO && ppage - s->base + PAGE_SIZE <= s->size;

    *entry_paddr(m, e) = ppage;
    m->tlb.prot[mmu][tlb_index(addr)] = (uint8_t)prot;
    if (whole) {
        e->addend = (uintptr_t)(s->host + (ppage - s->base)) - page;
        e->tag_read = page;
        e->tag_code = page;
        if (!write_ok) {
            e->tag_write = page | TAG_INVALID;
        } else if (s->kind == MEM_ROM) {
            e->tag_write = page | TLB_MMIO | TLB_FORCE_SLOW;
        } else {
            vaddr flags = 0;
            if (mem_page_has_code(m->mem, ppage))
                flags |= TLB_CODE;
            if (mem_section_page_logged(s, ppage))
                flags |= TLB_NOTDIRTY;
            e->tag_write = page | flags | (flags ? TLB_FORCE_SLOW : 0);
        }
    } else {
        /* A device, a hole, or a page only partly backed by RAM/ROM: every
         * access goes through the memory map. */
        e->addend = 0;
        e->tag_read = page | TLB_MMIO | TLB_FORCE_SLOW;
        e->tag_code = page | TLB_MMIO | TLB_FORCE_SLOW;
        e->tag_write =
            write_ok ? page | TLB_MMIO | TLB_FORCE_SLOW : page | TAG_INVALID;
    }
    /* A page the guest may not execute: a fetch asks the hook again,
     * which raises the guest's fault. */
    if (!(prot & TLB_PROT_EXEC))
        e->tag_code = page | TAG_INVALID;
    if (m->watching && m->watch_page && m->watch_page(m->owner, page)) {
        e->tag_read |= TLB_WATCH | TLB_FORCE_SLOW;
        if (!(e->tag_write & TLB_INVALID))
            e->tag_write |= TLB_WATCH | TLB_FORCE_SLOW;
    }
}

/* The entry for addr with a usable tag for access: fills it (and may
 * raise #PF) when missing. */
static struct tlb_entry *tlb_probe(struct soft_mmu *m, vaddr addr, int access,
                                   int mmu, uintptr_t ra)
{
    struct tlb_entry *e = tlb_entry(&m->tlb, mmu, addr);
    if (!tag_hit(*entry_tag(e, access), page_of(addr))) {
        tlb_fill(m, addr, access, mmu, ra);
        /* A fill that did not fault grants the access it was asked for
         * (a write fill sets the dirty bit), so the tag now matches. */
        J_ASSERT(tag_hit(*entry_tag(e, access), page_of(addr)));
    }
    return e;
}

/* ---- physical accesses of the slow path (device, hole, ROM write) ---- */

/* Device callbacks learn which CPU made the access. */
static struct mem_attrs access_attrs(struct soft_mmu *m)
{
    return (struct mem_attrs){ .cpu = m->owner };
}

/* A device reached here sees the virtual time of the instruction at ra
 * (the io_begin hook). */
static int64_t io_begin(struct soft_mmu *m, uintptr_t ra)
{
    return m->io_begin ? m->io_begin(m->owner, ra) : 0;
}

static void io_end(struct soft_mmu *m, int64_t token)
{
    if (m->io_end)
        m->io_end(m->owner, token);
}

static uint64_t slow_phys_read(struct soft_mmu *m, hwaddr paddr, unsigned size,
                               uintptr_t ra)
{
    const struct mem_section *s = mem_lookup(m->mem, paddr);
    int64_t token = io_begin(m, ra);
    uint64_t v = 0;

    if (s && paddr - s->base + size <= s->size) {
        v = mem_section_read(s, access_attrs(m), paddr, size);
    } else {
        /* partly outside the section, or a hole: one byte at a time */
        for (unsigned i = 0; i < size; i++) {
            const struct mem_section *sb = mem_lookup(m->mem, paddr + i);
            uint64_t b =
                sb ? mem_section_read(sb, access_attrs(m), paddr + i, 1) : 0xff;
            v |= b << (i * 8);
        }
    }
    io_end(m, token);
    return v;
}

static void slow_phys_write(struct soft_mmu *m, hwaddr paddr, uint64_t val,
                            unsigned size, uintptr_t ra)
{
    const struct mem_section *s = mem_lookup(m->mem, paddr);
    int64_t token = io_begin(m, ra);

    if (s && paddr - s->base + size <= s->size) {
        /* ROM ignores it */
        mem_section_write(s, access_attrs(m), paddr, val, size);
    } else {
        for (unsigned i = 0; i < size; i++) {
            const struct mem_section *sb = mem_lookup(m->mem, paddr + i);
            if (sb)
                mem_section_write(sb, access_attrs(m), paddr + i,
                                  (val >> (i * 8)) & 0xff, 1);
        }
    }
    io_end(m, token);
}

/* ---- loads ---- */

/* size bytes (1..8, any alignment) inside one page. */
static uint64_t load_in_page(struct soft_mmu *m, vaddr addr, unsigned size,
                             int mmu, uintptr_t ra)
{
    struct tlb_entry *e = tlb_probe(m, addr, ACC_READ, mmu, ra);

    if ((e->tag_read & TLB_WATCH) && m->watch_access)
        m->watch_access(m->owner, addr, size, ACC_READ, ra);
    if (e->tag_read & TLB_MMIO)
        return slow_phys_read(m, *entry_paddr(m, e) | (addr & (PAGE_SIZE - 1)),
                              size, ra);
    uint8_t *p = (uint8_t *)(e->addend + addr);
    switch (size) {
    case 1:
    case 2:
    case 4:
    case 8: return ld_le_p(p, size);
    default: {
        uint64_t v = 0;
        for (unsigned i = 0; i < size; i++)
            v |= (uint64_t)p[i] << (i * 8);
        return v;
    }
    }
}

uint64_t tlb_load_slow(struct soft_mmu *m, vaddr addr, unsigned size, int mmu,
                       uintptr_t ra)
{
    unsigned first = PAGE_SIZE - (addr & (PAGE_SIZE - 1));

    if (size <= first)
        return load_in_page(m, addr, size, mmu, ra);
    /* Crossing into the next page: the low part (and its fault) first. */
    uint64_t lo = load_in_page(m, addr, first, mmu, ra);
    uint64_t hi =
        load_in_page(m, (addr + first) & m->addr_mask, size - first, mmu, ra);
    return lo | (hi << (first * 8));
}

uint8_t tlb_load_code_slow(struct soft_mmu *m, vaddr addr, int mmu,
                           uintptr_t ra)
{
    struct tlb_entry *e = tlb_probe(m, addr, ACC_CODE, mmu, ra);

    if (e->tag_code & TLB_MMIO)
        return (uint8_t)slow_phys_read(
            m, *entry_paddr(m, e) | (addr & (PAGE_SIZE - 1)), 1, ra);
    return ldub_p((void *)(e->addend + addr));
}

hwaddr tlb_code_paddr(struct soft_mmu *m, vaddr addr, int mmu,
                        uintptr_t ra)
{
    struct tlb_entry *e = tlb_probe(m, addr, ACC_CODE, mmu, ra);
    return *entry_paddr(m, e) | (addr & (PAGE_SIZE - 1));
}

/* ---- stores ---- */

/*
 * A store to a page that holds translated code: before it happens, the
 * code_write hook invalidates the blocks made from the bytes written (and
 * leaves without returning when the running block is among them and must
 * re-run this store alone: translator/tb.h).
 */
static void store_code_check(struct soft_mmu *m, struct tlb_entry *e,
                             vaddr addr, unsigned len, uintptr_t ra)
{
    hwaddr paddr = *entry_paddr(m, e) | (addr & (PAGE_SIZE - 1));
    bool code = e->tag_write & TLB_CODE;

    /* Through the memory map (a page only partly backed by RAM, a device,
     * ROM) only a byte that lands in RAM can change code: a ROM write is
     * ignored, even on a page code was translated from. */
    if (e->tag_write & TLB_MMIO) {
        const struct mem_section *s = mem_lookup(m->mem, paddr);
        code = mem_page_has_code(m->mem, paddr) && s && s->kind == MEM_RAM;
    }

    if (!code || !m->code_write)
        return;
    m->code_write(m->owner, paddr, len, ra);
    /* Once no block is left on the page, writes may take the fast path. */
    if (!mem_page_has_code(m->mem, paddr) && (e->tag_write & TLB_CODE)) {
        e->tag_write &= ~TLB_CODE;
        if (!(e->tag_write &
              (TLB_MMIO | TLB_INVALID | TLB_NOTDIRTY | TLB_WATCH)))
            e->tag_write &= ~TLB_FORCE_SLOW;
    }
}

/* A store to a watched page: the watch hook sees it before it happens. */
static void store_watch_check(struct soft_mmu *m, struct tlb_entry *e,
                              vaddr addr, unsigned len, uintptr_t ra)
{
    if ((e->tag_write & TLB_WATCH) && m->watch_access)
        m->watch_access(m->owner, addr, len, ACC_WRITE, ra);
}

/* A store to logged RAM went to host memory: set its dirty bits; once the
 * whole page is dirty, writes may take the fast path again. */
static void store_note_dirty(struct soft_mmu *m, struct tlb_entry *e,
                             vaddr addr, unsigned size)
{
    hwaddr paddr = *entry_paddr(m, e) | (addr & (PAGE_SIZE - 1));
    mem_note_write(m->mem, paddr, size);
    const struct mem_section *s = mem_lookup(m->mem, *entry_paddr(m, e));
    if (!s || !mem_section_page_logged(s, *entry_paddr(m, e))) {
        e->tag_write &= ~TLB_NOTDIRTY;
        if (!(e->tag_write & (TLB_MMIO | TLB_INVALID | TLB_CODE | TLB_WATCH)))
            e->tag_write &= ~TLB_FORCE_SLOW;
    }
}

static void store_in_page(struct soft_mmu *m, struct tlb_entry *e, vaddr addr,
                          uint64_t val, unsigned size, uintptr_t ra)
{
    if (e->tag_write & TLB_MMIO) {
        slow_phys_write(m, *entry_paddr(m, e) | (addr & (PAGE_SIZE - 1)), val,
                        size, ra);
        return;
    }
    uint8_t *p = (uint8_t *)(e->addend + addr);
    switch (size) {
    case 1:
    case 2:
    case 4:
    case 8: st_le_p(p, val, size); break;
    default:
        for (unsigned i = 0; i < size; i++)
            p[i] = (uint8_t)(val >> (i * 8));
        break;
    }
    if (e->tag_write & TLB_NOTDIRTY)
        store_note_dirty(m, e, addr, size);
}

void tlb_store_slow(struct soft_mmu *m, vaddr addr, uint64_t val, unsigned size,
                    int mmu, uintptr_t ra)
{
    unsigned first = PAGE_SIZE - (addr & (PAGE_SIZE - 1));

    if (size <= first) {
        struct tlb_entry *e = tlb_probe(m, addr, ACC_WRITE, mmu, ra);
        store_watch_check(m, e, addr, size, ra);
        store_code_check(m, e, addr, size, ra);
        /* invalidation may have changed the TLB: take the entry again */
        e = tlb_probe(m, addr, ACC_WRITE, mmu, ra);
        store_in_page(m, e, addr, val, size, ra);
        return;
    }

    /* Crossing: both pages must be writable before either is written, so a
     * #PF on the second page leaves memory untouched (precise fault). */
    vaddr addr2 = (addr + first) & m->addr_mask;
    unsigned second = size - first;
    struct tlb_entry *e1 = tlb_probe(m, addr, ACC_WRITE, mmu, ra);
    struct tlb_entry *e2 = tlb_probe(m, addr2, ACC_WRITE, mmu, ra);
    store_watch_check(m, e1, addr, first, ra);
    store_watch_check(m, e2, addr2, second, ra);
    store_code_check(m, e1, addr, first, ra);
    store_code_check(m, e2, addr2, second, ra);
    /* Invalidation may have touched the TLB: take the entries again. */
    e1 = tlb_probe(m, addr, ACC_WRITE, mmu, ra);
    e2 = tlb_probe(m, addr2, ACC_WRITE, mmu, ra);
    store_in_page(m, e1, addr, val, first, ra);
    store_in_page(m, e2, addr2, val >> (first * 8), second, ra);
}
