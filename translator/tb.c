/*
 * tb.c - the translated block cache of one engine (struct jit, tb.h):
 * lookup (the CPU's jump cache, then the engine's hash by physical pc),
 * translation of missing blocks, chaining between blocks, invalidation by
 * physical range (self-modifying code) and the whole-cache flush. Every
 * function reaches its engine through cpu->jit; there is no file state.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "translator/x86/cpu_access.h"
#include "translator/backend.h"
#include "translator/ir.h"
#include "translator/tb.h"
#include "translator/x86/translate.h"

/* Blocks made from one physical page, and which of its bytes they cover:
 * a store that touches none of them (data beside code, the usual case
 * under self-modifying code) is dismissed without walking the list. The
 * bits are set as blocks are added; removing a block only marks them
 * stale (blocks may overlap), and the next store that needs them rebuilds
 * them from the list. */
struct tb_page {
    uint64_t page;
    struct tb *first;
    struct tb_page *next;
    bool bits_stale;
    uint64_t code_bits[PAGE_SIZE / 64];
};

/* ---- hashing ---- */

static unsigned tb_hash_of(uint64_t phys_pc, vaddr pc, uint32_t flags)
{
    uint64_t h = (phys_pc ^ ((uint64_t)pc << 20) ^ ((uint64_t)flags << 48)) *
                 0x9e3779b97f4a7c15ull;
    return (unsigned)(h >> (64 - TB_HASH_BITS));
}

static unsigned tb_jmp_index(vaddr pc)
{
    return tb_jmp_cache_hash(pc);
}

static unsigned tb_page_index(uint64_t page)
{
    return (unsigned)(((page >> PAGE_BITS) * 0x9e3779b97f4a7c15ull) >>
                      (64 - TB_PAGE_HASH_BITS));
}

static struct tb_page *tb_page_find(struct jit *jit, uint64_t page,
                                    bool create)
{
    struct tb_page **pp = &jit->pages[tb_page_index(page)];
    for (struct tb_page *p = *pp; p; p = p->next)
        if (p->page == page)
            return p;
    if (!create)
        return NULL;
    struct tb_page *p = xcalloc(1, sizeof(*p));
    p->page = page;
    p->next = *pp;
    *pp = p;
    return p;
}

static void tb_page_remove_desc(struct jit *jit, struct tb_page *pd)
{
    struct tb_page **pp = &jit->pages[tb_page_index(pd->page)];
    while (*pp != pd)
        pp = &(*pp)->next;
    *pp = pd->next;
    free(pd);
}

/* ---- set-up ---- */

struct jit *jit_new(const struct jit_options *opt)
{
    struct jit *jit = xcalloc(1, sizeof(*jit));
    if (opt)
        jit->opt = *opt;
    if (!jit->opt.backend) /* configure's choice (config.h) */
        jit->opt.backend = backend_find(CONFIG_DEFAULT_BACKEND);
    if (!jit->opt.backend)
        jit->opt.backend = backend_list[0];
    if (!jit->opt.code_buffer_size)
        jit->opt.code_buffer_size = JIT_DEFAULT_CODE_BUFFER;
    jit->ops = jit->opt.backend;
    jit->be = jit->ops->init(&jit->opt);
    jit->tier[TB_TIER_MAIN].ops = jit->ops;
    jit->tier[TB_TIER_MAIN].be = jit->be;
    if (jit->ops != &backend_interp) {
        /* A native main tier: bytecode for pages hot with SMC (tb.h). */
        jit->tier[TB_TIER_CHEAP].ops = &backend_interp;
        jit->tier[TB_TIER_CHEAP].be = backend_interp.init(&jit->opt);
    }
    ir_block_init(&jit->ir);
    return jit;
}

/* The tier that made tb. */
static struct jit_tier *tb_tier(struct jit *jit, const struct tb *tb)
{
    return &jit->tier[tb->tier];
}

static void tb_free(struct tb *tb);
static void tb_discard(struct cpu *cpu, struct tb *t);

/* Drop every block and page descriptor (the code stays in the buffer). */
static void tb_drop_all(struct jit *jit, struct memory_map *mem)
{
    for (unsigned i = 0; i < TB_PAGE_HASH_SIZE; i++) {
        struct tb_page *p = jit->pages[i];
        while (p) {
            struct tb_page *next = p->next;
            if (mem)
                mem_unmark_code_page(mem, p->page);
            free(p);
            p = next;
        }
        jit->pages[i] = NULL;
    }
    for (int k = 0; k < JIT_TIERS; k++) {
        struct jit_tier *tr = &jit->tier[k];
        for (int i = 0; i < tr->n_all; i++)
            tb_free(tr->all[i]);
        tr->n_all = 0;
    }
    memset(jit->hash, 0, sizeof(jit->hash));
}

void jit_free(struct jit *jit)
{
    if (!jit)
        return;
    J_ASSERT(jit->n_cpus == 0);
    tb_drop_all(jit, NULL);
    if (jit->pending)
        tb_free(jit->pending);
    free(jit->cpus);
    ir_block_free(&jit->ir);
    for (int k = 0; k < JIT_TIERS; k++) {
        free(jit->tier[k].all);
        if (jit->tier[k].ops)
            jit->tier[k].ops->fini(jit->tier[k].be);
    }
    free(jit);
}

static bool tb_invalidate_range(struct cpu *cpu, uint64_t paddr, uint64_t len,
                                struct tb *running);

/* A write from outside guest execution (phys_write by a loader or DMA). */
static void tb_code_write_hook(void *opaque, uint64_t paddr, unsigned len)
{
    tb_invalidate_phys_range(opaque, paddr, len);
}

/* ---- self-modifying code heat (tb.h) ---- */

static struct tb_smc_page *tb_smc_slot(struct jit *jit, uint64_t page)
{
    uint64_t n = page >> PAGE_BITS;
    return &jit->smc[(n ^ (n >> 8)) & (TB_SMC_PAGES - 1)];
}

/* The page's store count, decayed to the current epoch; NULL if the slot
 * holds another page. */
static struct tb_smc_page *tb_smc_get(struct jit *jit, uint64_t page)
{
    struct tb_smc_page *e = tb_smc_slot(jit, page);
    if (e->page != page + 1)
        return NULL;
    uint32_t age = jit->smc_epoch - e->epoch;
    e->stores = age >= 32 ? 0 : e->stores >> age;
    e->epoch = jit->smc_epoch;
    return e;
}

static void tb_smc_note_store(struct jit *jit, uint64_t page)
{
    struct tb_smc_page *e = tb_smc_get(jit, page);
    if (!e) {
        e = tb_smc_slot(jit, page);
        e->page = page + 1;
        e->stores = 0;
        e->epoch = jit->smc_epoch;
    }
    if (e->stores < UINT32_MAX)
        e->stores++;
}

bool tb_smc_page_hot(struct jit *jit, uint64_t page)
{
    struct tb_smc_page *e = tb_smc_get(jit, page);
    return e && e->stores >= TB_SMC_HOT_STORES;
}

/*
 * The soft MMU's code_write hook: a guest store of len bytes at paddr is
 * about to reach a page holding translated code. Invalidate the blocks
 * made from those bytes. If the block executing the store is among them
 * and has instructions after this one, they are stale: the store must not
 * happen yet; restore the state of the storing instruction and re-run it
 * alone in a one-shot block, so the new bytes take effect before the next
 * instruction (the contract at the end of tb.h).
 */
static void tb_guest_code_write(void *owner, uint64_t paddr, unsigned len,
                                uintptr_t ra)
{
    struct cpu *cpu = owner;
    struct tb *running = tb_running(cpu, ra);
    uint64_t before = cpu->jit->invalidated_count;
    bool hit = tb_invalidate_range(cpu, paddr, len, running);

    if (cpu->jit->invalidated_count != before) {
        cpu->jit->smc_recent_inval += cpu->jit->invalidated_count - before;
        tb_smc_note_store(cpu->jit, paddr & PAGE_MASK);
        if (((paddr + len - 1) & PAGE_MASK) != (paddr & PAGE_MASK))
            tb_smc_note_store(cpu->jit, (paddr + len - 1) & PAGE_MASK);
    }
    if (hit && running && running->icount > 1) {
        cpu_restore_state(cpu, ra);
        cpu->next_tb_cflags = 1 | CF_NOCACHE;
        cpu_loop_exit(cpu);
    }
}

/* The soft MMU's flushed hook: the jump cache is keyed by linear pc, and
 * a new address space (CR3, CR0 write, INVLPG) may map those addresses to
 * other code. After INVLPG only the blocks with code in the range flushed
 * may (a block may run into a second page: its bytes are [pc, pc+size)). */
static void tb_mmu_flushed(void *owner, vaddr addr, uint64_t len)
{
    struct cpu *cpu = owner;

    if (len == 0) {
        jc_clear_all(cpu);
        return;
    }
    /* INVLPG of a page no block in the jump cache touches (the common
     * case: the kernel remapping data) needs no scan of the jump cache.
     * For up to a 4 MiB page, look at the marks of its 4 KiB pieces. */
    if (len <= ((uint64_t)1 << 22)) {
        vaddr first = addr & ~(vaddr)4095, mask = cpu->mmu.addr_mask;
        uint64_t pages = ((addr & 4095) + len + 4095) >> 12;
        bool marked = false;
        for (uint64_t i = 0; i < pages && !marked; i++)
            marked = jc_page_marked(cpu, (first + i * 4096) & mask);
        if (!marked)
            return;
    }
    /* A block spans at most two pages and the range at least one page:
     * they meet if its first or last byte is in the range (the last one
     * wrapped as linear addresses wrap). */
    for (unsigned j = 0; j < JMP_CACHE_SIZE; j++) {
        const struct tb *t = cpu->jmp_cache[j].tb;
        if (!t)
            continue;
        vaddr last = (t->pc + t->size - 1) & cpu->mmu.addr_mask;
        if (t->pc - addr < len || last - addr < len)
            jc_clear(cpu, j);
    }
}

/* The memory map changed in [paddr, paddr+len): the CPU's TLB entries may
 * point at memory no longer there, and blocks translated from that range
 * may have come from what it showed before. Called from a device callback
 * in the middle of a block, the block runs on (invalid blocks are not
 * freed before a flush): the change is seen by data accesses at once and
 * by code from the next block on. */
static void tb_map_changed(void *opaque, uint64_t paddr, uint64_t len)
{
    struct cpu *cpu = opaque;
    cpu_tlb_flush(cpu);
    tb_invalidate_phys_range(cpu, paddr, len);
}

static void tb_writes_protected(void *opaque, uint64_t paddr, uint64_t len)
{
    tlb_protect_writes(&((struct cpu *)opaque)->mmu, paddr, len);
}

static const struct mem_listener_ops tb_mem_listener = {
    .map_changed = tb_map_changed,
    .writes_protected = tb_writes_protected,
};

void tb_attach_cpu(struct cpu *cpu)
{
    struct jit *jit = cpu->jit;
    J_ASSERT(jit);
    bool known = false;
    for (int i = 0; i < jit->n_cpus; i++)
        known |= jit->cpus[i] == cpu;
    if (!known) {
        /* One physical address space: blocks are keyed by it. */
        J_ASSERT(jit->n_cpus == 0 || jit->cpus[0]->mmu.mem == cpu->mmu.mem);
        if (jit->n_cpus == jit->cap_cpus) {
            jit->cap_cpus = jit->cap_cpus ? jit->cap_cpus * 2 : 4;
            jit->cpus = xrealloc(jit->cpus,
                                 sizeof(*jit->cpus) * (size_t)jit->cap_cpus);
        }
        jit->cpus[jit->n_cpus++] = cpu;
    }
    cpu->mmu.code_write = tb_guest_code_write;
    cpu->mmu.flushed = tb_mmu_flushed;
    if (cpu->mmu.mem) {
        cpu->mmu.mem->code_write = tb_code_write_hook;
        cpu->mmu.mem->code_write_opaque = cpu;
        memory_map_remove_listener(cpu->mmu.mem, &tb_mem_listener, cpu);
        memory_map_add_listener(cpu->mmu.mem, &tb_mem_listener, cpu);
    }
    jc_clear_all(cpu);
}

void tb_detach_cpu(struct cpu *cpu)
{
    struct jit *jit = cpu->jit;
    if (!jit)
        return;
    for (int i = 0; i < jit->n_cpus; i++)
        if (jit->cpus[i] == cpu) {
            jit->cpus[i] = jit->cpus[--jit->n_cpus];
            break;
        }
    if (cpu->mmu.mem) {
        memory_map_remove_listener(cpu->mmu.mem, &tb_mem_listener, cpu);
        if (cpu->mmu.mem->code_write_opaque == cpu) {
            /* Loader writes still invalidate through another CPU. */
            cpu->mmu.mem->code_write = jit->n_cpus ? tb_code_write_hook : NULL;
            cpu->mmu.mem->code_write_opaque = jit->n_cpus ? jit->cpus[0] : NULL;
        }
    }
    cpu->mmu.code_write = NULL;
    cpu->mmu.flushed = NULL;
    jc_clear_all(cpu);
    for (int k = 0; k < JIT_TIERS; k++)
        if (jit->tier[k].ops)
            jit->tier[k].ops->cpu_gone(jit->tier[k].be, cpu);
}

static void tb_free(struct tb *tb)
{
    free(tb->incoming);
    free(tb->insns);
    free(tb);
}

void tb_free_nocache(struct tb *tb)
{
    if (tb && (tb->cflags & CF_NOCACHE))
        tb_free(tb);
}

/* ---- lookup ---- */

static bool tb_second_page_ok(struct cpu *cpu, const struct tb *tb)
{
    if (tb->page_addr[1] == (uint64_t)-1)
        return true;
    uint32_t next = (tb->pc & (uint32_t)PAGE_MASK) + PAGE_SIZE;
    return (cpu_code_paddr(cpu, next, 0) & PAGE_MASK) == tb->page_addr[1];
}

/* The cflags of a cached block this CPU may run. */
static uint32_t tb_cpu_cflags(const struct cpu *cpu)
{
    return cpu->icount_mode ? CF_ICOUNT : 0;
}

static struct tb *tb_hash_lookup(struct cpu *cpu, uint64_t phys_pc,
                                 vaddr pc, uint32_t cs_base,
                                 uint32_t flags)
{
    /* Any instruction count: a block cut short on a hot page (tb.h) is
     * as good as a full one. */
    uint32_t cflags = tb_cpu_cflags(cpu);
    for (struct tb *t = cpu->jit->hash[tb_hash_of(phys_pc, pc, flags)]; t;
         t = t->hash_next)
        if (t->phys_pc == phys_pc && t->pc == pc && t->cs_base == cs_base &&
            t->flags == flags && (t->cflags & ~CF_COUNT_MASK) == cflags &&
            tb_second_page_ok(cpu, t))
            return t;
    return NULL;
}

struct tb *tb_lookup(struct cpu *cpu)
{
    vaddr pc;
    uint32_t cs_base, flags;
    tb_key_of(cpu, &pc, &cs_base, &flags);
    unsigned j = tb_jmp_index(pc);
    struct tb *t = jc_get(cpu, j, pc, cs_base, flags);

    if (t && !t->invalid)
        return t;
    uint64_t phys_pc = cpu_code_paddr(cpu, pc, 0);
    t = tb_hash_lookup(cpu, phys_pc, pc, cs_base, flags);
    if (t && t->tier == TB_TIER_MAIN)
        jc_set(cpu, j, t);
    return t;
}

struct tb *tb_lookup_from(struct cpu *cpu, const struct tb *from)
{
    struct tb *t = tb_lookup(cpu);
    return t && t->tier == from->tier ? t : NULL;
}

uintptr_t tb_exec(struct cpu *cpu, struct tb *tb)
{
    struct jit_tier *tr = tb_tier(cpu->jit, tb);
    return tr->ops->exec(tr->be, cpu, tb);
}

/* The tier whose code buffer holds host address ra, or NULL. */
static struct jit_tier *tb_tier_at(struct jit *jit, uintptr_t ra)
{
    for (int k = 0; jit && k < JIT_TIERS; k++)
        if (jit->tier[k].ops && jit->tier[k].ops->owns(jit->tier[k].be, ra))
            return &jit->tier[k];
    return NULL;
}

bool tb_owns_host_pc(struct cpu *cpu, uintptr_t ra)
{
    return tb_tier_at(cpu->jit, ra) != NULL;
}

struct tb *tb_find_by_host_pc(struct cpu *cpu, uintptr_t ra)
{
    struct jit_tier *tr = tb_tier_at(cpu->jit, ra);
    int lo = 0, hi = tr ? tr->n_all - 1 : -1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        struct tb *t = tr->all[mid];
        if (ra < (uintptr_t)t->code)
            hi = mid - 1;
        else if (ra >= (uintptr_t)t->code + t->code_size)
            lo = mid + 1;
        else
            return t;
    }
    return NULL;
}

int tb_find_insn(struct cpu *cpu, struct tb *tb, uintptr_t ra)
{
    struct jit_tier *tr = tb_tier(cpu->jit, tb);
    return tr->ops->find_insn(tr->be, tb, ra);
}

struct tb *tb_running(struct cpu *cpu, uintptr_t ra)
{
    struct tb *t = cpu->current_tb;
    if (ra && tb_owns_host_pc(cpu, ra)) {
        if (!t || ra < (uintptr_t)t->code ||
            ra >= (uintptr_t)t->code + t->code_size)
            t = tb_find_by_host_pc(cpu, ra);
        cpu->current_tb = t;
    }
    return t;
}

/* ---- translation ---- */

/* The first block on a page: stores to it must now take the slow path,
 * on every CPU of the engine. */
static void tb_protect_page(struct cpu *cpu, uint64_t page)
{
    struct jit *jit = cpu->jit;
    if (!cpu->mmu.mem)
        return;
    mem_mark_code_page(cpu->mmu.mem, page);
    tlb_protect_code_page(&cpu->mmu, page);
    for (int i = 0; i < jit->n_cpus; i++)
        if (jit->cpus[i] != cpu)
            tlb_protect_code_page(&jit->cpus[i]->mmu, page);
}

/* The bytes [*lo, *hi) of page n of tb that hold its code. */
static void tb_page_span(const struct tb *tb, int n, unsigned *lo,
                         unsigned *hi)
{
    unsigned off = tb->phys_pc & (PAGE_SIZE - 1);
    unsigned first = PAGE_SIZE - off;
    if (first > tb->size)
        first = tb->size;
    if (n == 0) {
        *lo = off;
        *hi = off + (first ? first : 1);
    } else {
        *lo = 0;
        *hi = tb->size - first;
    }
}

static void tb_page_set_bits(struct tb_page *pd, const struct tb *tb, int n)
{
    unsigned lo, hi;
    tb_page_span(tb, n, &lo, &hi);
    for (unsigned i = lo; i < hi; i++)
        pd->code_bits[i / 64] |= 1ull << (i % 64);
}

static void tb_page_rebuild_bits(struct tb_page *pd)
{
    memset(pd->code_bits, 0, sizeof(pd->code_bits));
    for (struct tb *t = pd->first; t;) {
        int k = t->page_addr[0] == pd->page ? 0 : 1;
        tb_page_set_bits(pd, t, k);
        t = t->page_next[k];
    }
    pd->bits_stale = false;
}

/* Does any block of the page cover a byte of [lo, hi) (page offsets)? */
static bool tb_page_has_code(struct tb_page *pd, unsigned lo, unsigned hi)
{
    if (pd->bits_stale)
        tb_page_rebuild_bits(pd);
    for (unsigned i = lo; i < hi; i++)
        if (pd->code_bits[i / 64] & (1ull << (i % 64)))
            return true;
    return false;
}

static void tb_link_page(struct tb *tb, int n, struct cpu *cpu)
{
    uint64_t page = tb->page_addr[n];
    struct tb_page *pd = tb_page_find(cpu->jit, page, true);
    bool was_empty = pd->first == NULL;
    tb->page_next[n] = pd->first;
    pd->first = tb;
    if (!pd->bits_stale)
        tb_page_set_bits(pd, tb, n);
    if (was_empty)
        tb_protect_page(cpu, page);
}

static void tb_mark_pages_nocache(struct tb *tb, struct cpu *cpu)
{
    /* A one-shot block is in no list, but its pages must still send
     * stores to the slow path so a store into it is seen. */
    for (int n = 0; n < 2; n++) {
        if (tb->page_addr[n] == (uint64_t)-1 || !cpu->mmu.mem)
            continue;
        if (!mem_page_has_code(cpu->mmu.mem, tb->page_addr[n]))
            tb_protect_page(cpu, tb->page_addr[n]);
    }
}

static void tb_insert(struct tb *tb, struct cpu *cpu)
{
    struct jit *jit = cpu->jit;
    unsigned h = tb_hash_of(tb->phys_pc, tb->pc, tb->flags);
    tb->hash_next = jit->hash[h];
    jit->hash[h] = tb;
    tb_link_page(tb, 0, cpu);
    if (tb->page_addr[1] != (uint64_t)-1)
        tb_link_page(tb, 1, cpu);
    struct jit_tier *tr = tb_tier(jit, tb);
    if (tr->n_all == tr->cap_all) {
        tr->cap_all = tr->cap_all ? tr->cap_all * 2 : 1024;
        tr->all = xrealloc(tr->all, sizeof(*tr->all) * (size_t)tr->cap_all);
    }
    tr->all[tr->n_all++] = tb;
    if (tb->tier == TB_TIER_MAIN)
        jc_set(cpu, tb_jmp_index(tb->pc), tb);
}

/* Which tier makes a block (tb.h): the cheap one, where there is one,
 * on a page hot with self-modifying code or while the guest rewrites its
 * code at large; the main one otherwise, and for a block promoted after
 * TB_TIER_PROMOTE_RUNS runs (promote). */
static void tb_choose_tier(struct jit *jit, struct tb *tb, bool promote)
{
    if (!jit->tier[TB_TIER_CHEAP].ops || promote)
        return;
    bool rewriting = jit->smc_recent_blocks >= TB_SMC_GUEST_MIN_BLOCKS &&
                     jit->smc_recent_inval * TB_SMC_GUEST_RATIO >=
                         jit->smc_recent_blocks;
    if (!rewriting && !tb_smc_page_hot(jit, tb->page_addr[0]))
        return;
    tb->tier = TB_TIER_CHEAP;
    /* A one-shot block runs once: never promoted. */
    if (!(tb->cflags & CF_NOCACHE))
        tb->runs_left = TB_TIER_PROMOTE_RUNS;
}

static struct tb *tb_translate(struct cpu *cpu, vaddr pc, uint32_t cs_base,
                               uint32_t flags, uint32_t cflags,
                               uint64_t phys_pc, bool promote)
{
    struct jit *jit = cpu->jit;
    struct ir_block *ir = &jit->ir;
    if (jit->pending) {
        tb_free(jit->pending);
        jit->pending = NULL;
    }
    struct tb *tb = xcalloc(1, sizeof(*tb));
    tb->pc = pc;
    tb->cs_base = cs_base;
    tb->flags = flags;
    tb->cflags = cflags | tb_cpu_cflags(cpu);
    tb->phys_pc = phys_pc;
    tb->page_addr[0] = phys_pc & PAGE_MASK;
    tb->page_addr[1] = (uint64_t)-1;
    tb->insns = xcalloc(TRANSLATE_MAX_INSNS, sizeof(*tb->insns));
    jit->pending = tb;

    /* (A promotion makes again a block that was made: it does not age
     * the SMC counts, so they age as on an engine of one tier.) */
    jit->translated_count++;
    if (!promote) {
        jit->smc_recent_blocks++;
        if (++jit->smc_age % TB_SMC_DECAY_BLOCKS == 0) {
            jit->smc_epoch++;
            jit->smc_recent_blocks /= 2;
            jit->smc_recent_inval /= 2;
        }
    }
    if (!(cflags & (CF_NOCACHE | CF_COUNT_MASK)) &&
        tb_smc_page_hot(jit, phys_pc & PAGE_MASK)) {
        tb->cflags |= TB_SMC_HOT_INSNS;
        jit->smc_small_blocks++;
    }
    tb_choose_tier(jit, tb, promote);
    struct jit_tier *tr = tb_tier(jit, tb);
    tr->translated_count++;
    ir_block_reset(ir);
    translate_block(cpu, tb, ir);
    jit->pending = NULL;
    /* Keep only the entries used (most blocks are a few instructions). */
    tb->insns = xrealloc(tb->insns, sizeof(*tb->insns) *
                                        (tb->icount ? tb->icount : 1));

    if (log_enabled(LOG_IN_ASM))
        translate_log_in_asm(cpu, tb);
    if (log_enabled(LOG_OP)) {
        log_printf("OP: %08" PRIx64 "\n", pc);
        ir_dump(ir, log_file);
    }
    ir_optimize(ir);
    if (log_enabled(LOG_OP_OPT)) {
        log_printf("OP after optimization: %08" PRIx64 "\n", pc);
        ir_dump(ir, log_file);
    }
    if (!tr->ops->gen(tr->be, ir, tb)) {
        /* Code buffer full: start again with an empty cache. */
        tb_flush(cpu);
        if (!tr->ops->gen(tr->be, ir, tb))
            fatal("translated block at %08" PRIx64
                  " does not fit in an empty code buffer",
                  pc);
    }
    if (log_enabled(LOG_OUT_ASM))
        tr->ops->dump(tr->be, tb, log_file);

    if (cflags & CF_NOCACHE)
        tb_mark_pages_nocache(tb, cpu);
    else
        tb_insert(tb, cpu);
    return tb;
}

/* A cheap-tier block has run TB_TIER_PROMOTE_RUNS times: drop it, to be
 * made again by the main tier (true), unless its page is hot with
 * self-modifying code, where it counts its runs again (false). */
static bool tb_promote(struct cpu *cpu, struct tb *t)
{
    if (tb_smc_page_hot(cpu->jit, t->page_addr[0])) {
        t->runs_left = TB_TIER_PROMOTE_RUNS;
        return false;
    }
    tb_discard(cpu, t);
    cpu->jit->invalidated_count--; /* not a guest write's doing */
    cpu->jit->tier_promoted++;
    return true;
}

struct tb *tb_find(struct cpu *cpu, uint32_t cflags)
{
    if (cpu->next_tb_cflags) {
        cflags = cpu->next_tb_cflags;
        cpu->next_tb_cflags = 0;
    }
    bool promote = false;
    if (!(cflags & CF_NOCACHE)) {
        struct tb *t = tb_lookup(cpu);
        if (t && t->runs_left < 0)
            promote = tb_promote(cpu, t);
        if (t && !promote)
            return t;
    }
    vaddr pc;
    uint32_t cs_base, flags;
    tb_key_of(cpu, &pc, &cs_base, &flags);
    uint64_t phys_pc = cpu_code_paddr(cpu, pc, 0);
    return tb_translate(cpu, pc, cs_base, flags, cflags, phys_pc, promote);
}

/* ---- chaining ---- */

void tb_add_jump(struct cpu *cpu, struct tb *from, int slot, struct tb *to)
{
    if (!from || !to || from->invalid || to->invalid ||
        (from->cflags & CF_NOCACHE) || (to->cflags & CF_NOCACHE) ||
        from->jmp_dest[slot] || from->tier != to->tier)
        return;
    struct jit_tier *tr = tb_tier(cpu->jit, from);
    tr->ops->set_jump(tr->be, from, slot, to);
    from->jmp_dest[slot] = to;
    if (to->n_incoming == to->cap_incoming) {
        to->cap_incoming = to->cap_incoming ? to->cap_incoming * 2 : 4;
        to->incoming = xrealloc(to->incoming,
                                sizeof(*to->incoming) * to->cap_incoming);
    }
    to->incoming[to->n_incoming].from = from;
    to->incoming[to->n_incoming].slot = slot;
    to->n_incoming++;
}

static void tb_remove_incoming(struct tb *to, struct tb *from, int slot)
{
    for (int i = 0; i < to->n_incoming; i++)
        if (to->incoming[i].from == from && to->incoming[i].slot == slot) {
            to->incoming[i] = to->incoming[--to->n_incoming];
            return;
        }
}

/* ---- invalidation ---- */

static void tb_unlink_page(struct jit *jit, struct tb *tb, int n)
{
    struct tb_page *pd = tb_page_find(jit, tb->page_addr[n], false);
    if (!pd)
        return;
    struct tb **pp = &pd->first;
    while (*pp) {
        struct tb *t = *pp;
        int k = t->page_addr[0] == pd->page ? 0 : 1;
        if (t == tb) {
            *pp = t->page_next[k];
            pd->bits_stale = true;
            return;
        }
        pp = &t->page_next[k];
    }
}

static void tb_invalidate(struct jit *jit, struct tb *tb)
{
    tb->invalid = true;
    jit->invalidated_count++;

    struct tb **hp = &jit->hash[tb_hash_of(tb->phys_pc, tb->pc, tb->flags)];
    while (*hp && *hp != tb)
        hp = &(*hp)->hash_next;
    if (*hp)
        *hp = tb->hash_next;

    /* Out of every jump cache that holds it: a CPU that probes its cache
     * inline must not jump into a stale block. */
    unsigned j = tb_jmp_index(tb->pc);
    for (int i = 0; i < jit->n_cpus; i++)
        if (jit->cpus[i]->jmp_cache[j].tb == tb)
            jc_clear(jit->cpus[i], j);

    /* Blocks jumping here go back to their exits. */
    for (int i = 0; i < tb->n_incoming; i++) {
        struct tb *from = tb->incoming[i].from;
        int slot = tb->incoming[i].slot;
        tb_tier(jit, from)->ops->set_jump(tb_tier(jit, from)->be, from,
                                          slot, NULL);
        from->jmp_dest[slot] = NULL;
    }
    tb->n_incoming = 0;
    for (int s = 0; s < 2; s++)
        if (tb->jmp_dest[s]) {
            tb_remove_incoming(tb->jmp_dest[s], tb, s);
            tb_tier(jit, tb)->ops->set_jump(tb_tier(jit, tb)->be, tb, s,
                                            NULL);
            tb->jmp_dest[s] = NULL;
        }
}

/* Forget a page's descriptor once its last block is gone, so stores to it
 * take the fast path again. */
static void tb_page_release(struct cpu *cpu, uint64_t page)
{
    struct tb_page *pd = tb_page_find(cpu->jit, page, false);
    if (pd && !pd->first) {
        if (cpu->mmu.mem)
            mem_unmark_code_page(cpu->mmu.mem, page);
        tb_page_remove_desc(cpu->jit, pd);
    }
}

/* Does tb's guest code intersect [start, end) (physical)? */
static bool tb_overlaps(const struct tb *tb, uint64_t start, uint64_t end)
{
    uint32_t first = PAGE_SIZE - (tb->pc & (PAGE_SIZE - 1));
    if (first > tb->size)
        first = tb->size;
    uint64_t a = tb->phys_pc, b = tb->phys_pc + (first ? first : 1);
    if (a < end && start < b)
        return true;
    if (tb->page_addr[1] != (uint64_t)-1 && tb->size > first) {
        a = tb->page_addr[1];
        b = a + (tb->size - first);
        if (a < end && start < b)
            return true;
    }
    return false;
}

/* Invalidate the blocks of one page whose code intersects [paddr, end).
 * Returns true if running was among them. */
static bool tb_invalidate_page(struct cpu *cpu, uint64_t page, uint64_t paddr,
                               uint64_t end, struct tb *running)
{
    struct tb_page *pd = tb_page_find(cpu->jit, page, false);
    bool hit = false;

    if (!pd) {
        /* Marked only for a one-shot block: unmark once it is gone. */
        if (cpu->mmu.mem && mem_page_has_code(cpu->mmu.mem, page) &&
            !(running && (running->cflags & CF_NOCACHE) &&
              (running->page_addr[0] == page ||
               running->page_addr[1] == page)))
            mem_unmark_code_page(cpu->mmu.mem, page);
        return false;
    }
    uint64_t lo = paddr > page ? paddr - page : 0;
    uint64_t hi = end - page < PAGE_SIZE ? end - page : PAGE_SIZE;
    if (!tb_page_has_code(pd, (unsigned)lo, (unsigned)hi))
        return false;

    /* Unlink the overlapping blocks from this page as the walk passes
     * them, from their other page (if any) afterwards. */
    struct tb *gone = NULL;
    struct tb **pp = &pd->first;
    while (*pp) {
        struct tb *t = *pp;
        int k = t->page_addr[0] == page ? 0 : 1;
        if (!tb_overlaps(t, paddr, end)) {
            pp = &t->page_next[k];
            continue;
        }
        *pp = t->page_next[k];
        pd->bits_stale = true;
        if (t == running)
            hit = true;
        tb_invalidate(cpu->jit, t);
        t->page_next[k] = gone; /* the blocks gone, linked through k */
        gone = t;
    }
    while (gone) {
        struct tb *t = gone;
        int k = t->page_addr[0] == page ? 0 : 1;
        gone = t->page_next[k];
        t->page_next[k] = NULL;
        int other = 1 - k;
        if (t->page_addr[other] != (uint64_t)-1) {
            tb_unlink_page(cpu->jit, t, other);
            tb_page_release(cpu, t->page_addr[other]);
        }
    }
    tb_page_release(cpu, page);
    return hit;
}

/* Invalidate the blocks with code in [paddr, paddr+len); true if running
 * (the block executing the write, or NULL) was among them. */
static bool tb_invalidate_range(struct cpu *cpu, uint64_t paddr, uint64_t len,
                                struct tb *running)
{
    if (!cpu || !cpu->jit)
        return false;
    struct jit *jit = cpu->jit;
    uint64_t end = paddr + (len ? len : 1);
    uint64_t first = paddr & PAGE_MASK;
    bool hit = false;

    if (running && (running->cflags & CF_NOCACHE) &&
        tb_overlaps(running, paddr, end))
        hit = true;

    if (((end - 1 - first) >> PAGE_BITS) < TB_PAGE_HASH_SIZE) {
        for (uint64_t page = first; page < end; page += PAGE_SIZE)
            hit |= tb_invalidate_page(cpu, page, paddr, end, running);
        return hit;
    }
    /* A range of more pages than the page hash has buckets (a change of
     * the memory map may span gigabytes): visit only the pages that have
     * blocks. */
    uint64_t *pages = NULL;
    size_t n = 0, cap = 0;
    for (unsigned i = 0; i < TB_PAGE_HASH_SIZE; i++) {
        for (struct tb_page *p = jit->pages[i]; p; p = p->next) {
            if (p->page < first || p->page >= end)
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                pages = xrealloc(pages, sizeof(*pages) * cap);
            }
            pages[n++] = p->page;
        }
    }
    for (size_t i = 0; i < n; i++)
        hit |= tb_invalidate_page(cpu, pages[i], paddr, end, running);
    free(pages);
    return hit;
}

void tb_invalidate_phys_range(struct cpu *cpu, uint64_t paddr, uint64_t len)
{
    tb_invalidate_range(cpu, paddr, len, NULL);
}

/* Invalidate one cached block and take it off its pages. */
static void tb_discard(struct cpu *cpu, struct tb *t)
{
    tb_invalidate(cpu->jit, t);
    for (int n = 0; n < 2; n++) {
        if (t->page_addr[n] == (uint64_t)-1)
            continue;
        tb_unlink_page(cpu->jit, t, n);
        tb_page_release(cpu, t->page_addr[n]);
    }
}

void tb_invalidate_linear(struct cpu *cpu, vaddr addr)
{
    if (!cpu || !cpu->jit)
        return;
    struct jit *jit = cpu->jit;
    for (int k = 0; k < JIT_TIERS; k++)
        for (int i = 0; i < jit->tier[k].n_all; i++) {
            struct tb *t = jit->tier[k].all[i];
            if (t->invalid || addr < t->pc ||
                addr >= t->pc + (t->size ? t->size : 1))
                continue;
            tb_discard(cpu, t);
        }
}

void tb_flush(struct cpu *cpu)
{
    struct jit *jit = cpu->jit;
    tb_drop_all(jit, cpu->mmu.mem);
    jc_clear_all(cpu);
    for (int i = 0; i < jit->n_cpus; i++)
        jc_clear_all(jit->cpus[i]);
    for (int k = 0; k < JIT_TIERS; k++)
        if (jit->tier[k].ops)
            jit->tier[k].ops->reset(jit->tier[k].be);
    jit->flush_count++;
}
