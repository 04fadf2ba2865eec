/*
 * tlb.h - the soft TLB: guest linear address -> host pointer.
 *
 * An entry is {tag per access kind, host addend}. A tag is the page-aligned
 * linear address; its low bits (below the page size) carry flags that send
 * the access to the slow path:
 *
 *   bit 0  TLB_INVALID   no translation cached
 *   bit 1  TLB_MMIO      page is a device region (or unassigned)
 *   bit 2  TLB_CODE      write tag only: page holds translated code (SMC)
 *   bit 3  TLB_NOTDIRTY  write tag only: RAM with dirty logging whose
 *                        dirty bits the next write must set
 *   bit 4  TLB_WATCH     read and write tags: a watchpoint lies on the
 *                        page; the watch hook sees each access first
 *
 * Tags are 64-bit linear addresses (a 32-bit guest's have bits 63:32 clear).
 * Fast path (in generated code, the interpreter, and mmu_ld / mmu_st in
 * access.h):  e = &tlb[mmu][(addr >> 12) & (TLB_SIZE-1)];
 *   if ((addr & (PAGE_MASK | (size - 1))) == e->tag_read)   host = addr + e->addend
 * A misaligned access never matches (its low bits are non-zero) and so goes
 * to the slow path, which also handles page-crossing accesses.
 *
 * Separate entries per MMU mode (the guest model decides what a mode is;
 * x86: supervisor and user). softmmu knows nothing of the guest's paging:
 * a miss asks the owner's translate hook (the x86 page walk lives in
 * translator/x86/paging.c) for the physical address and the page's
 * protection (TLB_PROT_*), then fills the entry from the memory map.
 */
#ifndef SOFTMMU_TLB_H
#define SOFTMMU_TLB_H

#include <stdbool.h>
#include <stdint.h>

#include "base/addr.h"
#include "softmmu/ldst.h"
#include "softmmu/memory.h"

#define TLB_BITS 8
#define TLB_SIZE (1u << TLB_BITS)
#define NB_MMU_MODES 2 /* 0: supervisor (CPL 0-2), 1: user (CPL 3) */

#define TLB_INVALID 1u
#define TLB_MMIO 2u
#define TLB_CODE 4u
#define TLB_NOTDIRTY 8u
#define TLB_WATCH 0x10u
/* Set (by tlb.c) in every tag that carries one of the flags above. The
 * fast-path compare keeps up to three low address bits of a misaligned
 * access, which could otherwise equal a flag (e.g. a 4-byte access at
 * page+2 against page|TLB_MMIO); bit 11 never survives that mask, so a
 * flagged tag can never match. */
#define TLB_FORCE_SLOW 0x800u

/* What the translate hook reports about a page (struct tlb.prot):
 *   TLB_PROT_WRITE   writes may go straight to memory (the guest allows
 *                    them and has nothing to record first, e.g. x86's
 *                    dirty bit is already set)
 *   TLB_PROT_EXEC    instructions may be fetched from it
 *   TLB_PROT_GLOBAL  survives tlb_flush_nonglobal (x86 global pages)
 *   TLB_PROT_LARGE   a 4 KiB piece of a larger page: tlb_flush_page of
 *                    any address in that page drops it */
#define TLB_PROT_WRITE 1u
#define TLB_PROT_EXEC 2u
#define TLB_PROT_GLOBAL 4u
#define TLB_PROT_LARGE 8u

/* Access kinds. */
enum { ACC_READ = 0, ACC_WRITE = 1, ACC_CODE = 2 };

/* The part of an entry the fast path reads: 32 bytes, so the native
 * backend scales the index with one shift. */
struct tlb_entry {
    vaddr tag_read;
    vaddr tag_write;
    vaddr tag_code;
    uintptr_t addend;    /* host pointer = addend + linear address */
    /* to 32 bytes on hosts with 32-bit pointers */
    uint8_t pad[32 - 3 * sizeof(vaddr) - sizeof(uintptr_t)];
};

/* e[][]: what the fast path compares; paddr[][]: the physical page of the
 * same entry, which only the slow path reads (MMIO, code pages, dirty
 * logging), and prot[][] its TLB_PROT_* bits, which only flushes read,
 * kept apart so the entries stay small. */
struct tlb {
    struct tlb_entry e[NB_MMU_MODES][TLB_SIZE];
    hwaddr paddr[NB_MMU_MODES][TLB_SIZE];
    uint8_t prot[NB_MMU_MODES][TLB_SIZE];
};

static inline unsigned tlb_index(vaddr addr)
{
    return (unsigned)(addr >> PAGE_BITS) & (TLB_SIZE - 1);
}

static inline struct tlb_entry *tlb_entry(struct tlb *tlb, int mmu, vaddr addr)
{
    return &tlb->e[mmu][tlb_index(addr)];
}

/*
 * One CPU's soft MMU: its TLB, the memory map it reaches, and the hooks by
 * which the layers above take part. softmmu calls them and never looks
 * into `owner` (the CPU, also handed to devices as mem_attrs.cpu).
 *
 * Set by the guest model (translator/x86):
 *   translate  the page walk for one access: returns the physical address
 *              and the page's protection in *prot (TLB_PROT_*: WRITE only
 *              when a write may go straight to memory, e.g. not until the
 *              dirty bit is set); raises the guest's fault instead of
 *              returning when the access is not allowed. access is ACC_*,
 *              ra as for the slow paths.
 *   io_begin / io_end  bracket a device access from guest code, so the
 *              device sees the virtual time of the instruction at ra (the
 *              token io_begin returns goes to io_end). May be NULL.
 * Set by the block cache (translator/tb.c):
 *   code_write before a store of len bytes at paddr reaches a page that
 *              holds translated code: invalidates the blocks made from
 *              those bytes; may leave through the guest model's exit (the
 *              running block is among them) instead of returning, and then
 *              the store has not happened. May be NULL.
 *   flushed    after every flush of TLB entries, with the linear range
 *              flushed (len 0: everything): what was derived from
 *              linear addresses (the jump cache) is stale. May be NULL.
 * Set by the guest model's debug facility (translator/x86/debug.c), used
 * only while `watching` is true, so that without watchpoints a fill costs
 * nothing more:
 *   watch_page does the linear page hold a watchpoint? (at fill time)
 *   watch_access  before each load or store of size bytes at addr on such
 *              a page (access ACC_READ or ACC_WRITE); may leave without
 *              returning (the access has then not happened).
 */
struct soft_mmu {
    struct tlb tlb;
    struct memory_map *mem;
    void *owner;
    /* Linear addresses wrap at this mask (the guest's: 4 GiB for a 32-bit
     * x86): the second page of a crossing access. */
    vaddr addr_mask;
    hwaddr (*translate)(void *owner, vaddr addr, int access, int mmu,
                        uintptr_t ra, unsigned *prot);
    int64_t (*io_begin)(void *owner, uintptr_t ra);
    void (*io_end)(void *owner, int64_t token);
    void (*code_write)(void *owner, hwaddr paddr, unsigned len,
                       uintptr_t ra);
    void (*flushed)(void *owner, vaddr addr, uint64_t len);
    bool watching;
    bool (*watch_page)(void *owner, vaddr page);
    void (*watch_access)(void *owner, vaddr addr, unsigned size, int access,
                         uintptr_t ra);
};

#endif
