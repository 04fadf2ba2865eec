/*
 * tb.h - translated blocks: the block cache, chaining and invalidation.
 *
 * A block (TB) is keyed by (physical pc, linear pc, cs_base, hflags, cflags).
 * Blocks are found through the per-CPU jump cache (by linear pc), then the
 * engine's hash by physical pc. Each block is linked into the list of every
 * physical page its guest code spans (at most two), so a write to a code
 * page invalidates exactly the blocks made from it. A chained jump from
 * block A slot n to block B is recorded in B's incoming list so that B's
 * invalidation unlinks A (A's slot goes back to its exit stub).
 *
 * All of it lives in one struct jit per machine (below): the block cache,
 * the translation scratch, the chosen backend and that backend's code
 * buffer, and the CPUs that run from it. Nothing here is process-wide, so
 * two machines in one process each translate and run their own code.
 */
#ifndef TRANSLATOR_TB_H
#define TRANSLATOR_TB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "translator/ir.h"
#include "translator/x86/cpu.h"

/*
 * The guest's side of finding the next block, the one interface through
 * which the block cache and every backend learn it (the guest model
 * defines tb_guest_key; x86: CS base, EIP, hflags in translator/x86/cpu.c).
 * A block's key is its linear pc (a vaddr), the code base and the mode
 * flags its translation depends on. The pc is base + offset, both 32-bit
 * values read at these offsets in the CPU state (for a wider field, the
 * offset of its low 32 bits on this host's byte order), their sum
 * wrapping at 4 GiB and zero-extended: the x86 model outside long mode.
 * (The base stays 32 bits in the key in every mode: x86's CS base is a
 * 32-bit value, and 64-bit code ignores it, SDM 3A 3.4.4; long mode will
 * add a 64-bit pc form here.) C code reads the key with tb_key_of();
 * native backends that inline the jump cache load the fields directly.
 */
struct tb_guest_key {
    uint32_t base_off;  /* the 32-bit base */
    uint32_t pc_off;    /* the 32-bit offset, added to the base */
    uint32_t flags_off; /* the 32-bit mode flags */
};
extern const struct tb_guest_key tb_guest_key;

static inline uint32_t tb_key_field(const struct cpu *cpu, uint32_t off)
{
    uint32_t v;
    memcpy(&v, (const char *)cpu + off, sizeof(v));
    return v;
}

static inline void tb_key_of(const struct cpu *cpu, vaddr *pc,
                             uint32_t *base, uint32_t *flags)
{
    *base = tb_key_field(cpu, tb_guest_key.base_off);
    *pc = (uint32_t)(*base + tb_key_field(cpu, tb_guest_key.pc_off));
    *flags = tb_key_field(cpu, tb_guest_key.flags_off);
}

/* tb->cflags */
#define CF_COUNT_MASK 0x00ffu /* max guest instructions, 0 = default */
#define CF_NOCACHE 0x0100u    /* one-shot block, freed after execution */
/* Translated for a CPU under -icount: the native backend compiles the
 * instruction budget check into its entry. Part of the block's key, so a
 * CPU finds only blocks made for its mode. Set by tb_find from the CPU. */
#define CF_ICOUNT 0x0200u

/* Exit codes returned with the last block by backend->exec:
 * (uintptr_t)tb | code. Blocks are at least 4-byte aligned. */
#define TB_EXIT_MASK 3u
#define TB_EXIT_JUMP0 0u     /* left through goto_tb slot 0, not yet chained */
#define TB_EXIT_JUMP1 1u     /* ... slot 1 */
#define TB_EXIT_NOCHAIN 2u   /* exit_tb / lookup_tb miss: no chaining */
#define TB_EXIT_REQUESTED 3u /* entry check failed (exit_request / icount):
                                the returned block did NOT execute */

/* Per guest instruction of a block, for precise state: recorded by the
 * translator (eip, cc_op) and the backend (end of its host code). */
struct tb_insn {
    uint64_t eip;
    uint32_t cc_op;
    uint32_t host_end; /* offset in tb->code just past the instruction */
};

struct tb_link {
    struct tb *from;
    int slot;
};

struct tb {
    vaddr pc;         /* linear address of the first instruction */
    uint32_t cs_base; /* 32 bits in every mode: see tb_guest_key */
    uint32_t flags;   /* hflags when translated */
    uint32_t cflags;
    uint64_t phys_pc;
    uint64_t page_addr[2]; /* physical pages of its code; [1] = -1 if one */
    uint32_t size;    /* guest bytes */
    uint16_t icount;  /* guest instructions */
    bool invalid;
    uint8_t tier;     /* the engine's tier that made it (TB_TIER_*) */
    /* A cheap-tier block that may be promoted: the runs it has left (> 0),
     * -1 once they are used up; 0: not counted (every other block). */
    int32_t runs_left;

    uint8_t *code;    /* backend code: host code or interpreter bytecode */
    uint32_t code_size;
    uintptr_t jmp_reset_offset[2];  /* backend data for unchaining */
    uintptr_t jmp_insn_offset[2];
    struct tb *jmp_dest[2];         /* chained successors, or NULL */
    struct tb_link *incoming;       /* blocks chained to this one */
    int n_incoming, cap_incoming;

    struct tb_insn *insns;          /* icount entries */

    struct tb *hash_next;           /* global hash chain */
    struct tb *page_next[2];        /* per-page lists */
};

/* Index of linear pc in cpu->jmp_cache (backends that inline the jump
 * cache use the same function; a hit also checks pc, cs_base and flags). */
static inline unsigned tb_jmp_cache_hash(vaddr pc)
{
    return (pc ^ (pc >> JMP_CACHE_BITS)) & (JMP_CACHE_SIZE - 1);
}

/* The bit of cpu->jc_pages for the linear page holding addr. */
static inline unsigned jc_page_index(vaddr addr)
{
    return (unsigned)(addr >> 12) & ((1u << JC_PAGE_BITS) - 1);
}

static inline void jc_mark_page(struct cpu *cpu, vaddr addr)
{
    unsigned i = jc_page_index(addr);
    cpu->jc_pages[i / 64] |= (uint64_t)1 << (i % 64);
}

static inline bool jc_page_marked(const struct cpu *cpu, vaddr addr)
{
    unsigned i = jc_page_index(addr);
    return (cpu->jc_pages[i / 64] >> (i % 64)) & 1;
}

static inline void jc_set(struct cpu *cpu, unsigned j, struct tb *t)
{
    struct jmp_cache_entry *e = &cpu->jmp_cache[j];
    /* the pages of its first and last byte (a block spans at most two) */
    jc_mark_page(cpu, t->pc);
    jc_mark_page(cpu, (t->pc + t->size - 1) & cpu->mmu.addr_mask);
    e->pc = t->pc;
    e->cs_base = t->cs_base;
    e->flags = t->flags;
    e->tb = t;
    e->code = t->code;
}

static inline void jc_clear(struct cpu *cpu, unsigned j)
{
    cpu->jmp_cache[j].flags = JC_EMPTY;
    cpu->jmp_cache[j].tb = NULL;
    cpu->jmp_cache[j].code = NULL;
}

static inline void jc_clear_all(struct cpu *cpu)
{
    for (unsigned j = 0; j < JMP_CACHE_SIZE; j++)
        jc_clear(cpu, j);
    memset(cpu->jc_pages, 0, sizeof(cpu->jc_pages));
}

/* The block the jump cache holds for this key at index j (that is,
 * tb_jmp_cache_hash(pc)), or NULL. */
static inline struct tb *jc_get(struct cpu *cpu, unsigned j, vaddr pc,
                                uint32_t cs_base, uint32_t flags)
{
    const struct jmp_cache_entry *e = &cpu->jmp_cache[j];
    if (e->pc == pc && e->cs_base == cs_base && e->flags == flags)
        return e->tb;
    return NULL;
}

/*
 * The translation engine of one machine. The board creates one with
 * jit_new, points every CPU's cpu->jit at it and calls tb_attach_cpu; the
 * CPUs attached must share one memory map (blocks are keyed by physical
 * address). Blocks, chains and the code buffer belong to the engine; the
 * jump cache, the interp frame and the running block belong to each CPU.
 * Invalidating a block clears it from every attached CPU's jump cache.
 */
struct backend;

/* How to build an engine (-accel tcg,backend=...,tb-size=...,split-wx=). */
struct jit_options {
    const struct backend *backend; /* NULL: the build's default */
    size_t code_buffer_size;       /* bytes; 0: JIT_DEFAULT_CODE_BUFFER */
    bool split_wx; /* native: map the code buffer twice, never W+X */
    FILE *perfmap; /* native: name each block here for Linux perf, or NULL */
};
#define JIT_DEFAULT_CODE_BUFFER (32u << 20)

#define TB_HASH_BITS 15
#define TB_HASH_SIZE (1u << TB_HASH_BITS)
#define TB_PAGE_HASH_BITS 12
#define TB_PAGE_HASH_SIZE (1u << TB_PAGE_HASH_BITS)

struct tb_page;

/*
 * An engine has one or two tiers, each a backend instance with its own
 * code buffer. TB_TIER_MAIN is the backend chosen for the machine. When
 * that is a native backend, TB_TIER_CHEAP is an interp instance that
 * makes the blocks of guests that rewrite their code: of every page hot
 * with self-modifying code (below), and of every page while at least one
 * in TB_SMC_GUEST_RATIO of the blocks recently translated was thrown
 * away by a guest store (counts halved every TB_SMC_DECAY_BLOCKS
 * translations, as the pages' counts). Such code runs a few times before
 * it is overwritten, and making bytecode costs a fraction of making host
 * code. A cheap-tier block counts its runs at its entry; after
 * TB_TIER_PROMOTE_RUNS the next entry through a chain leaves to the CPU
 * loop instead (the block has not run), whose tb_find drops the block
 * and has the main tier make it again, unless its page is still hot:
 * there it counts again, so a page the guest keeps rewriting never costs
 * native code generation and one that cools down gets native blocks.
 * Blocks of different tiers are never chained to each other; only
 * main-tier blocks enter the jump cache (native code jumps into an
 * entry's code without asking which tier made it). With interp as the
 * main backend there is one tier and nothing is counted; a guest that
 * does not rewrite its code never meets the cheap tier.
 */
#define TB_TIER_MAIN 0
#define TB_TIER_CHEAP 1
#define JIT_TIERS 2
#define TB_TIER_PROMOTE_RUNS 64
#define TB_SMC_GUEST_RATIO 4
#define TB_SMC_GUEST_MIN_BLOCKS 64
struct jit_tier {
    const struct backend *ops; /* NULL: no such tier */
    void *be;
    /* Its cached blocks in code-buffer order (tb_find_by_host_pc). */
    struct tb **all;
    int n_all, cap_all;
    uint64_t translated_count; /* blocks it translated, for -d stats */
};

/*
 * Pages whose code the guest keeps rewriting (issue: self-modifying code
 * must not thrash). Every guest store that invalidates blocks counts on
 * its page; a page with TB_SMC_HOT_STORES such stores is "hot", and blocks
 * that start on it are translated with at most TB_SMC_HOT_INSNS
 * instructions: a store then invalidates a few instructions' worth of
 * code instead of up to 256, and the code buffer does not fill with
 * blocks that run once. The counts halve every TB_SMC_DECAY_BLOCKS
 * translations, so a page that settles gets full blocks again. A small
 * direct-mapped table by page number: a collision only forgets a count.
 */
#define TB_SMC_PAGES 256
#define TB_SMC_HOT_STORES 8
#define TB_SMC_HOT_INSNS 8
#define TB_SMC_DECAY_BLOCKS 4096
struct tb_smc_page {
    uint64_t page;   /* physical page address + 1; 0: free */
    uint32_t stores; /* guest stores that invalidated its blocks */
    uint32_t epoch;  /* jit->smc_epoch when stores was last brought up to date */
};

struct jit {
    /* The code generator (backend.h) of the main tier and its instance:
     * the code buffer and the scratch of code generation (the same as
     * tier[TB_TIER_MAIN].ops and .be). */
    const struct backend *ops;
    void *be;
    struct jit_options opt;
    /* The tiers (above); tier[TB_TIER_CHEAP].ops is NULL when there is
     * one. */
    struct jit_tier tier[JIT_TIERS];

    /* The block cache: by key, by physical page (every cached block is
     * also in its tier's list in code-buffer order). */
    struct tb *hash[TB_HASH_SIZE];
    struct tb_page *pages[TB_PAGE_HASH_SIZE];
    /* A block being translated: freed if translation raised a fault. */
    struct tb *pending;

    /* The IR of the block being translated (with the optimizer's
     * scratch, ir.h). */
    struct ir_block ir;

    /* The CPUs whose jump caches hold this engine's blocks. */
    struct cpu **cpus;
    int n_cpus, cap_cpus;

    /* Incremented by every tb_flush: block pointers held across a call
     * that may translate are stale when it changed. */
    unsigned flush_count;
    uint64_t translated_count; /* blocks translated, for -d stats */
    uint64_t invalidated_count; /* blocks invalidated, for -d stats */

    /* Self-modifying code: the pages it is hot on (above). */
    struct tb_smc_page smc[TB_SMC_PAGES];
    uint32_t smc_epoch;
    uint64_t smc_small_blocks; /* blocks cut short on hot pages (-d stats) */
    uint64_t smc_age;      /* translations, promotions left out: the
                              clock of smc_epoch */
    /* Recent translations and blocks they lost to guest stores, halved
     * with each smc_epoch: is the guest rewriting its code (above)? */
    uint64_t smc_recent_blocks, smc_recent_inval;
    uint64_t tier_promoted; /* cheap-tier blocks made again by the main
                               tier after TB_TIER_PROMOTE_RUNS runs */
};

/* Is the physical page (page-aligned) hot with self-modifying code? */
bool tb_smc_page_hot(struct jit *jit, uint64_t page);

/* translator/tb.c */
struct jit *jit_new(const struct jit_options *opt);
/* Free every block and the code buffer. Detach the CPUs first. */
void jit_free(struct jit *jit);

/* Board wiring: add cpu to the engine cpu->jit (set it first; again is a
 * no-op), install the memory map's code_write hook (phys_write by loaders
 * and DMA invalidates blocks) and a listener that, on every change of the
 * map, flushes cpu's TLB and invalidates the blocks of the changed range
 * (and re-protects pages whose dirty bits were cleared); clear cpu's jump
 * cache. Call after cpu->mem is set. */
void tb_attach_cpu(struct cpu *cpu);
/* Undo tb_attach_cpu, and free what the backend kept for cpu. */
void tb_detach_cpu(struct cpu *cpu);

/* Find or translate the block at the CPU's current cs:eip. May raise #PF
 * (code fetch) through the normal exception path. */
struct tb *tb_find(struct cpu *cpu, uint32_t cflags);
/* Jump cache + hash lookup only: NULL on miss. */
struct tb *tb_lookup(struct cpu *cpu);
/* The same for lookup_tb in the code of block from: a block of from's
 * tier only (a backend runs only its own blocks), else NULL. */
struct tb *tb_lookup_from(struct cpu *cpu, const struct tb *from);
/* Run tb on cpu, following chains, until a block exits: the backend's
 * exec (backend.h), returning (uintptr_t)last_tb | TB_EXIT_*. */
uintptr_t tb_exec(struct cpu *cpu, struct tb *tb);
/* Chain from->slot to to (no-op if either is invalid, or if they are of
 * different tiers); both are blocks of cpu's engine. */
void tb_add_jump(struct cpu *cpu, struct tb *from, int slot, struct tb *to);
/* Invalidate every block with code in [paddr, paddr+len), in every jump
 * cache: a write from outside the guest's stores (loader, DMA) or a change
 * of the memory map. Guest stores come through the soft MMU's code_write
 * hook instead, which knows the block executing them. */
void tb_invalidate_phys_range(struct cpu *cpu, uint64_t paddr, uint64_t len);
/* Drop every block and reset the code buffer (when full, or on demand). */
void tb_flush(struct cpu *cpu);
/* Invalidate every cached block whose guest code covers linear address
 * addr (a breakpoint was set or removed there; debug.c). */
void tb_invalidate_linear(struct cpu *cpu, vaddr addr);
/* Is ra inside the code buffer of cpu's engine? */
bool tb_owns_host_pc(struct cpu *cpu, uintptr_t ra);
/* The block whose code contains host address ra (interp: bytecode). */
struct tb *tb_find_by_host_pc(struct cpu *cpu, uintptr_t ra);
/* Index of the guest instruction of tb executing at ra, or -1. */
int tb_find_insn(struct cpu *cpu, struct tb *tb, uintptr_t ra);
/* The block executing at host address ra (a helper's or slow path's
 * return address; 0: none known), for the SMC check. The native backend
 * does not store cpu->current_tb at each block entry (the CPU loop stores
 * the block it enters, which chains may have left): found from ra, or
 * current_tb when it holds ra (a one-shot block is in no list). The
 * interp stores current_tb at every block entry. Also updates
 * cpu->current_tb. */
struct tb *tb_running(struct cpu *cpu, uintptr_t ra);
/* Free a CF_NOCACHE block after it has run (the CPU loop does this). */
void tb_free_nocache(struct tb *tb);

/*
 * Self-modifying code. A guest store into a page holding translated code
 * (TLB_CODE in the write tag) reaches the soft MMU's code_write hook,
 * installed by tb_attach_cpu, before the store happens:
 *   1. the block executing the store is found from ra (tb_running);
 *   2. the blocks made from the bytes written are invalidated;
 *   3. if the executing block was among them and has more than one
 *      instruction, the store must not happen yet: the hook restores the
 *      state of the storing instruction, sets cpu->next_tb_cflags to
 *      1 | CF_NOCACHE and leaves through cpu_loop_exit; the CPU loop re-runs
 *      the instruction alone in a one-shot block, and the instruction
 *      after it is translated from the new bytes;
 *   4. otherwise the hook returns and the store is done (a one-instruction
 *      block is already past its fetch). tb_find honours next_tb_cflags once.
 * Writes outside guest execution (phys_write) reach
 * tb_invalidate_phys_range through the memory map's code_write hook.
 * cpu->current_tb is only a hint for finding the block at a host address
 * (the block the CPU loop or the interpreter last entered, or last found).
 */

#endif
