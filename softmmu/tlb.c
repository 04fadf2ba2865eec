/*
 * tlb.c - the soft TLB's slow half: the 32-bit page walk that fills an
 * entry (or raises #PF), and the slow paths of loads, stores and code
 * fetches (misaligned and page-crossing accesses, MMIO, ROM, and stores
 * into pages that hold translated code).
 *
 * An entry caches one 4 KiB linear page for one MMU mode: a tag per access
 * kind (read, write, code) and the host addend. A tag equals the linear
 * page when the fast path may use the addend; otherwise it carries
 * TLB_INVALID (not allowed or not cached: refill), TLB_MMIO (go through the
 * memory map), TLB_CODE (a write must invalidate translated code) or
 * TLB_NOTDIRTY (a write must set dirty bits of a logged RAM region), always
 * with TLB_FORCE_SLOW so that no fast-path compare can match it.
 */
#include "softmmu/access.h"

#include <string.h>

#include "base/util.h"
#include "translator/tb.h"

/* CR4 bits used by the walk (SDM 3A 2.5). */
#define CR4_PSE 0x00000010u

/* Page-directory and page-table entry bits (SDM 3A 4.3, tables 4-4..4-6). */
#define PTE_P 0x001u
#define PTE_RW 0x002u
#define PTE_US 0x004u
#define PTE_A 0x020u
#define PTE_D 0x040u
#define PDE_PS 0x080u
/* In a 4 MiB PDE, bit 21 is reserved whatever MAXPHYADDR is (table 4-4). */
#define PDE4M_RSVD 0x00200000u

/* #PF error code (SDM 3A 4.7). */
#define PFERR_P 0x01 /* protection violation (else: not present) */
#define PFERR_W 0x02 /* the access was a write */
#define PFERR_U 0x04 /* the access was in user mode */
#define PFERR_RSVD 0x08

#define TAG_INVALID (TLB_INVALID | TLB_FORCE_SLOW)
#define TAG_FLAGS (TLB_MMIO | TLB_CODE | TLB_NOTDIRTY | TLB_FORCE_SLOW)

static inline uint32_t page_of(uint32_t addr)
{
    return addr & (uint32_t)PAGE_MASK;
}

/* Does this tag hold a translation (possibly flagged) of page? */
static inline bool tag_hit(uint32_t tag, uint32_t page)
{
    return (tag & ((uint32_t)PAGE_MASK | TLB_INVALID)) == page;
}

static uint32_t *entry_tag(struct tlb_entry *e, int access)
{
    return access == ACC_WRITE  ? &e->tag_write
           : access == ACC_CODE ? &e->tag_code
                                : &e->tag_read;
}

void tlb_flush(struct cpu *cpu)
{
    for (int m = 0; m < NB_MMU_MODES; m++) {
        for (unsigned i = 0; i < TLB_SIZE; i++) {
            struct tlb_entry *e = &cpu->tlb.e[m][i];
            e->tag_read = e->tag_write = e->tag_code = TAG_INVALID;
            e->paddr_page = 0;
            e->addend = 0;
        }
    }
    /* The jump cache is keyed by linear pc: a new address space (CR3, CR0
     * write) may map those addresses to other code. */
    memset(cpu->jmp_cache, 0, sizeof(cpu->jmp_cache));
}

static void tlb_invalidate_entry(struct tlb_entry *e)
{
    e->tag_read = e->tag_write = e->tag_code = TAG_INVALID;
}

void tlb_flush_page(struct cpu *cpu, uint32_t addr)
{
    uint32_t page = page_of(addr);

    /* INVLPG of an address inside a 4 MiB page drops the whole page (SDM
     * 3A 4.10.4.1). Entries are 4 KiB pieces and the PDE may already have
     * changed, so with CR4.PSE drop every piece of that 4 MiB range. */
    uint32_t mask = (cpu->cr[4] & CR4_PSE) ? 0xffc00000u : (uint32_t)PAGE_MASK;
    for (int m = 0; m < NB_MMU_MODES; m++) {
        for (unsigned i = 0; i < TLB_SIZE; i++) {
            struct tlb_entry *e = &cpu->tlb.e[m][i];
            uint32_t tags[3] = { e->tag_read, e->tag_write, e->tag_code };
            for (int k = 0; k < 3; k++) {
                if (!(tags[k] & TLB_INVALID) &&
                    (tags[k] & mask) == (page & mask)) {
                    tlb_invalidate_entry(e);
                    break;
                }
            }
        }
    }
    memset(cpu->jmp_cache, 0, sizeof(cpu->jmp_cache));
}

void tlb_protect_code_page(struct cpu *cpu, uint64_t paddr)
{
    uint32_t ppage = (uint32_t)(paddr & PAGE_MASK);

    for (int m = 0; m < NB_MMU_MODES; m++) {
        for (unsigned i = 0; i < TLB_SIZE; i++) {
            struct tlb_entry *e = &cpu->tlb.e[m][i];
            if (!(e->tag_write & TLB_INVALID) && e->paddr_page == ppage)
                e->tag_write |= TLB_CODE | TLB_FORCE_SLOW;
        }
    }
}

void tlb_protect_writes(struct cpu *cpu, uint64_t paddr, uint64_t len)
{
    uint64_t first = paddr & PAGE_MASK, end = paddr + len;

    for (int m = 0; m < NB_MMU_MODES; m++) {
        for (unsigned i = 0; i < TLB_SIZE; i++) {
            struct tlb_entry *e = &cpu->tlb.e[m][i];
            if (!(e->tag_write & (TLB_INVALID | TLB_MMIO)) &&
                e->paddr_page >= first && e->paddr_page < end)
                e->tag_write |= TLB_NOTDIRTY | TLB_FORCE_SLOW;
        }
    }
}

/* ---- the page walk ---- */

static uint32_t pt_read(struct cpu *cpu, uint32_t paddr)
{
    uint8_t *p = phys_host_ptr(cpu->mem, paddr, 4);
    uint8_t buf[4];

    if (p)
        return ldl_le_p(p);
    phys_read(cpu->mem, paddr, buf, 4);
    return ldl_le_p(buf);
}

/* Set bits in a paging entry if they are not set yet. The processor does
 * this with a locked read-modify-write (SDM 3A 4.8). */
static void pt_set_bits(struct cpu *cpu, uint32_t paddr, uint32_t old,
                        uint32_t bits)
{
    if ((old & bits) != bits) {
        uint8_t buf[4];
        stl_le_p(buf, old | bits);
        phys_write(cpu->mem, paddr, buf, 4);
    }
}

static _Noreturn void page_fault(struct cpu *cpu, uint32_t addr, int err,
                                 uintptr_t ra)
{
    cpu->cr[2] = addr;
    raise_exception_err(cpu, EXCP_PF, err, ra);
}

/*
 * Translate addr with 32-bit paging (SDM 3A 4.3) for one access. Returns
 * the physical address and whether a write through this translation may
 * go straight to memory (writable and already dirty), or raises #PF.
 */
static uint32_t page_walk(struct cpu *cpu, uint32_t addr, int access, int mmu,
                          uintptr_t ra, bool *write_ok)
{
    bool user = mmu == 1;
    bool is_write = access == ACC_WRITE;
    int err = (is_write ? PFERR_W : 0) | (user ? PFERR_U : 0);
    uint32_t a20 = cpu->a20_mask;

    uint32_t pde_addr =
        ((cpu->cr[3] & 0xfffff000u) | ((addr >> 20) & 0xffc)) & a20;
    uint32_t pde = pt_read(cpu, pde_addr);
    if (!(pde & PTE_P))
        page_fault(cpu, addr, err, ra);

    bool large = (pde & PDE_PS) && (cpu->cr[4] & CR4_PSE);
    uint32_t pte_addr = 0, pte, paddr;
    uint32_t rights; /* effective R/W and U/S: AND over both levels (4.6) */
    if (large) {
        /* SDM 3A 4.7: reserved bits are checked only in present entries,
         * so RSVD always comes with P (QEMU 7.2's TCG leaves P clear). */
        if (pde & PDE4M_RSVD)
            page_fault(cpu, addr, err | PFERR_P | PFERR_RSVD, ra);
        pte = pde;
        rights = pde;
        paddr = (pde & 0xffc00000u) | (addr & 0x003fffffu);
    } else {
        pte_addr = ((pde & 0xfffff000u) | ((addr >> 10) & 0xffc)) & a20;
        pte = pt_read(cpu, pte_addr);
        if (!(pte & PTE_P))
            page_fault(cpu, addr, err, ra);
        rights = pde & pte;
        paddr = (pte & 0xfffff000u) | (addr & 0xfffu);
    }

    /* SDM 3A 4.6.1: user accesses need U/S=1 everywhere, user writes also
     * R/W=1; supervisor writes need R/W=1 only when CR0.WP is set. */
    bool writable;
    if (user) {
        if (!(rights & PTE_US))
            page_fault(cpu, addr, err | PFERR_P, ra);
        writable = (rights & PTE_RW) != 0;
    } else {
        writable = (rights & PTE_RW) || !(cpu->cr[0] & CR0_WP);
    }
    if (is_write && !writable)
        page_fault(cpu, addr, err | PFERR_P, ra);

    /* Accessed in every entry used, dirty in the one mapping the page. */
    pt_set_bits(cpu, pde_addr, pde, PTE_A);
    if (large) {
        if (is_write) {
            pte = pde | PTE_A;
            pt_set_bits(cpu, pde_addr, pte, PTE_D);
            pte |= PTE_D;
        }
    } else {
        pt_set_bits(cpu, pte_addr, pte, PTE_A | (is_write ? PTE_D : 0));
        if (is_write)
            pte |= PTE_D;
    }
    /* Until the page is dirty a write must come back here to set D. */
    *write_ok = writable && (pte & PTE_D);
    return paddr & a20;
}

void tlb_fill(struct cpu *cpu, uint32_t addr, int access, int mmu, uintptr_t ra)
{
    uint32_t page = page_of(addr);
    struct tlb_entry *e = tlb_entry(&cpu->tlb, mmu, addr);
    bool write_ok = true;
    uint32_t paddr;

    if (cpu->cr[0] & CR0_PG)
        paddr = page_walk(cpu, addr, access, mmu, ra, &write_ok);
    else
        paddr = addr & cpu->a20_mask;

    uint32_t ppage = (uint32_t)(paddr & PAGE_MASK);
    const struct mem_section *s = mem_lookup(cpu->mem, ppage);
    bool whole =
        s && s->kind != MEM_MMIO && ppage - s->base + PAGE_SIZE <= s->size;

    e->paddr_page = ppage;
    if (whole) {
        e->addend = (uintptr_t)(s->host + (ppage - s->base)) - page;
        e->tag_read = page;
        e->tag_code = page;
        if (!write_ok) {
            e->tag_write = page | TAG_INVALID;
        } else if (s->kind == MEM_ROM) {
            e->tag_write = page | TLB_MMIO | TLB_FORCE_SLOW;
        } else {
            uint32_t flags = 0;
            if (mem_page_has_code(cpu->mem, ppage))
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
}

/* The entry for addr with a usable tag for access: fills it (and may
 * raise #PF) when missing. */
static struct tlb_entry *tlb_probe(struct cpu *cpu, uint32_t addr, int access,
                                   int mmu, uintptr_t ra)
{
    struct tlb_entry *e = tlb_entry(&cpu->tlb, mmu, addr);
    if (!tag_hit(*entry_tag(e, access), page_of(addr))) {
        tlb_fill(cpu, addr, access, mmu, ra);
        /* A fill that did not fault grants the access it was asked for
         * (a write fill sets the dirty bit), so the tag now matches. */
        J_ASSERT(tag_hit(*entry_tag(e, access), page_of(addr)));
    }
    return e;
}

/* ---- physical accesses of the slow path (device, hole, ROM write) ---- */

/* Device callbacks learn which CPU made the access. */
static struct mem_attrs cpu_attrs(struct cpu *cpu)
{
    return (struct mem_attrs){ .cpu = cpu };
}

/* A device reached here sees the virtual time of the instruction at ra
 * (cpu_io_begin). */
static uint64_t slow_phys_read(struct cpu *cpu, uint32_t paddr, unsigned size,
                               uintptr_t ra)
{
    const struct mem_section *s = mem_lookup(cpu->mem, paddr);
    int64_t ahead = cpu_io_begin(cpu, ra);
    uint64_t v = 0;

    if (s && paddr - s->base + size <= s->size) {
        v = mem_section_read(s, cpu_attrs(cpu), paddr, size);
    } else {
        /* partly outside the section, or a hole: one byte at a time */
        for (unsigned i = 0; i < size; i++) {
            const struct mem_section *sb = mem_lookup(cpu->mem, paddr + i);
            uint64_t b =
                sb ? mem_section_read(sb, cpu_attrs(cpu), paddr + i, 1) : 0xff;
            v |= b << (i * 8);
        }
    }
    cpu_io_end(cpu, ahead);
    return v;
}

static void slow_phys_write(struct cpu *cpu, uint32_t paddr, uint64_t val,
                            unsigned size, uintptr_t ra)
{
    const struct mem_section *s = mem_lookup(cpu->mem, paddr);
    int64_t ahead = cpu_io_begin(cpu, ra);

    if (s && paddr - s->base + size <= s->size) {
        /* ROM ignores it */
        mem_section_write(s, cpu_attrs(cpu), paddr, val, size);
    } else {
        for (unsigned i = 0; i < size; i++) {
            const struct mem_section *sb = mem_lookup(cpu->mem, paddr + i);
            if (sb)
                mem_section_write(sb, cpu_attrs(cpu), paddr + i,
                                  (val >> (i * 8)) & 0xff, 1);
        }
    }
    cpu_io_end(cpu, ahead);
}

/* ---- loads ---- */

/* size bytes (1..8, any alignment) inside one page. */
static uint64_t load_in_page(struct cpu *cpu, uint32_t addr, unsigned size,
                             int mmu, uintptr_t ra)
{
    struct tlb_entry *e = tlb_probe(cpu, addr, ACC_READ, mmu, ra);

    if (e->tag_read & TLB_MMIO)
        return slow_phys_read(cpu, e->paddr_page | (addr & (PAGE_SIZE - 1)),
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

uint64_t tlb_load_slow(struct cpu *cpu, uint32_t addr, unsigned size, int mmu,
                       uintptr_t ra)
{
    unsigned first = PAGE_SIZE - (addr & (PAGE_SIZE - 1));

    if (size <= first)
        return load_in_page(cpu, addr, size, mmu, ra);
    /* Crossing into the next page: the low part (and its fault) first. */
    uint64_t lo = load_in_page(cpu, addr, first, mmu, ra);
    uint64_t hi = load_in_page(cpu, addr + first, size - first, mmu, ra);
    return lo | (hi << (first * 8));
}

uint8_t tlb_load_code_slow(struct cpu *cpu, uint32_t addr, int mmu,
                           uintptr_t ra)
{
    struct tlb_entry *e = tlb_probe(cpu, addr, ACC_CODE, mmu, ra);

    if (e->tag_code & TLB_MMIO)
        return (uint8_t)slow_phys_read(
            cpu, e->paddr_page | (addr & (PAGE_SIZE - 1)), 1, ra);
    return ldub_p((void *)(e->addend + addr));
}

uint64_t tlb_code_paddr(struct cpu *cpu, uint32_t addr, uintptr_t ra)
{
    struct tlb_entry *e =
        tlb_probe(cpu, addr, ACC_CODE, cpu_mmu_index(cpu), ra);
    return e->paddr_page | (addr & (PAGE_SIZE - 1));
}

/* ---- stores ---- */

/*
 * A store to a page that holds translated code: invalidate the blocks made
 * from the bytes written. If the running block is among them and has more
 * instructions after this one, they are stale: undo nothing (the store has
 * not happened), restore the state of this instruction and re-run it alone
 * in an uncached one-instruction block, so the new bytes take effect
 * before the next instruction (translator/tb.h).
 */
static void store_code_check(struct cpu *cpu, struct tlb_entry *e,
                             uint32_t addr, unsigned len, uintptr_t ra)
{
    uint32_t paddr = e->paddr_page | (addr & (PAGE_SIZE - 1));
    bool code = e->tag_write & TLB_CODE;

    /* Through the memory map (a page only partly backed by RAM, a device,
     * ROM) only a byte that lands in RAM can change code: a ROM write is
     * ignored, even on a page code was translated from. */
    if (e->tag_write & TLB_MMIO) {
        const struct mem_section *s = mem_lookup(cpu->mem, paddr);
        code = mem_page_has_code(cpu->mem, paddr) && s && s->kind == MEM_RAM;
    }

    if (!code)
        return;
    /* (also sets cpu->current_tb, which tb_invalidate_phys_range reads) */
    struct tb *running = tb_running(cpu, ra);
    if (tb_invalidate_phys_range(cpu, paddr, len) && running &&
        running->icount > 1) {
        cpu_restore_state(cpu, ra);
        cpu->next_tb_cflags = 1 | CF_NOCACHE;
        cpu_loop_exit(cpu);
    }
    /* Once no block is left on the page, writes may take the fast path. */
    if (!mem_page_has_code(cpu->mem, paddr) && (e->tag_write & TLB_CODE)) {
        e->tag_write &= ~TLB_CODE;
        if (!(e->tag_write & (TLB_MMIO | TLB_INVALID | TLB_NOTDIRTY)))
            e->tag_write &= ~TLB_FORCE_SLOW;
    }
}

/* A store to logged RAM went to host memory: set its dirty bits; once the
 * whole page is dirty, writes may take the fast path again. */
static void store_note_dirty(struct cpu *cpu, struct tlb_entry *e,
                             uint32_t addr, unsigned size)
{
    uint32_t paddr = e->paddr_page | (addr & (PAGE_SIZE - 1));
    mem_note_write(cpu->mem, paddr, size);
    const struct mem_section *s = mem_lookup(cpu->mem, e->paddr_page);
    if (!s || !mem_section_page_logged(s, e->paddr_page)) {
        e->tag_write &= ~TLB_NOTDIRTY;
        if (!(e->tag_write & (TLB_MMIO | TLB_INVALID | TLB_CODE)))
            e->tag_write &= ~TLB_FORCE_SLOW;
    }
}

static void store_in_page(struct cpu *cpu, struct tlb_entry *e, uint32_t addr,
                          uint64_t val, unsigned size, uintptr_t ra)
{
    if (e->tag_write & TLB_MMIO) {
        slow_phys_write(cpu, e->paddr_page | (addr & (PAGE_SIZE - 1)), val,
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
        store_note_dirty(cpu, e, addr, size);
}

void tlb_store_slow(struct cpu *cpu, uint32_t addr, uint64_t val, unsigned size,
                    int mmu, uintptr_t ra)
{
    unsigned first = PAGE_SIZE - (addr & (PAGE_SIZE - 1));

    if (size <= first) {
        struct tlb_entry *e = tlb_probe(cpu, addr, ACC_WRITE, mmu, ra);
        store_code_check(cpu, e, addr, size, ra);
        /* invalidation may have changed the TLB: take the entry again */
        e = tlb_probe(cpu, addr, ACC_WRITE, mmu, ra);
        store_in_page(cpu, e, addr, val, size, ra);
        return;
    }

    /* Crossing: both pages must be writable before either is written, so a
     * #PF on the second page leaves memory untouched (precise fault). */
    uint32_t addr2 = addr + first;
    unsigned second = size - first;
    struct tlb_entry *e1 = tlb_probe(cpu, addr, ACC_WRITE, mmu, ra);
    struct tlb_entry *e2 = tlb_probe(cpu, addr2, ACC_WRITE, mmu, ra);
    store_code_check(cpu, e1, addr, first, ra);
    store_code_check(cpu, e2, addr2, second, ra);
    /* Invalidation may have touched the TLB: take the entries again. */
    e1 = tlb_probe(cpu, addr, ACC_WRITE, mmu, ra);
    e2 = tlb_probe(cpu, addr2, ACC_WRITE, mmu, ra);
    store_in_page(cpu, e1, addr, val, first, ra);
    store_in_page(cpu, e2, addr2, val >> (first * 8), second, ra);
}
