/*
 * access.h - guest memory access by linear address through a soft MMU, for
 * C helpers and the interpreter backend. The fast path is the inline TLB
 * compare-and-add; a miss, MMIO, a code page or a misaligned access takes
 * the slow path in tlb.c, which may raise the guest's fault through the
 * translate hook (ra: host return address of the calling helper, so the
 * guest model can make the faulting state precise).
 *
 * mmu is the MMU mode (an index into the TLB), chosen by the guest model;
 * translator/x86/cpu_access.h has the x86 forms (cpu_ldl, cpu_stw, ...).
 */
#ifndef SOFTMMU_ACCESS_H
#define SOFTMMU_ACCESS_H

#include <stdint.h>

#include "softmmu/ldst.h"
#include "softmmu/tlb.h"

/* Slow paths (tlb.c). size is 1, 2, 4 or 8. */
uint64_t tlb_load_slow(struct soft_mmu *m, vaddr addr, unsigned size,
                       int mmu, uintptr_t ra);
void tlb_store_slow(struct soft_mmu *m, vaddr addr, uint64_t val,
                    unsigned size, int mmu, uintptr_t ra);
uint8_t tlb_load_code_slow(struct soft_mmu *m, vaddr addr, int mmu,
                           uintptr_t ra);
/* Fill the TLB entry for addr/access through the translate hook (which
 * may raise the guest's fault). */
void tlb_fill(struct soft_mmu *m, vaddr addr, int access, int mmu,
              uintptr_t ra);
/* Physical address of the code at linear addr (for block lookup); fills
 * the TLB and may fault. Marks nothing. */
hwaddr tlb_code_paddr(struct soft_mmu *m, vaddr addr, int mmu,
                        uintptr_t ra);
/* Drop every entry. */
void tlb_flush(struct soft_mmu *m);
/* Drop every entry but those of global pages (TLB_PROT_GLOBAL). */
void tlb_flush_nonglobal(struct soft_mmu *m);
/* Drop the entries of the page holding addr and, in the naturally aligned
 * block of `size` bytes around it (a power of two, at least a page: the
 * largest page the guest may map there), the pieces of large pages
 * (TLB_PROT_LARGE), which the TLB holds as separate 4 KiB entries. */
void tlb_flush_page(struct soft_mmu *m, vaddr addr, uint64_t size);
/* Drop the TLB_CODE-free write fast path for a physical page that just
 * became a code page (called by mem_mark_code_page's user). */
void tlb_protect_code_page(struct soft_mmu *m, hwaddr paddr);
/* Send writes to [paddr, paddr+len) (physical) back to the slow path,
 * where they set dirty bits again (a mem_listener's writes_protected). */
void tlb_protect_writes(struct soft_mmu *m, hwaddr paddr, uint64_t len);

static inline uint64_t mmu_ld(struct soft_mmu *m, vaddr addr,
                              unsigned size, int mmu, uintptr_t ra)
{
    struct tlb_entry *e = tlb_entry(&m->tlb, mmu, addr);
    if (e->tag_read == (addr & (PAGE_MASK | (size - 1))))
        return ld_le_p((void *)(e->addend + addr), size);
    return tlb_load_slow(m, addr, size, mmu, ra);
}

static inline void mmu_st(struct soft_mmu *m, vaddr addr, uint64_t val,
                          unsigned size, int mmu, uintptr_t ra)
{
    struct tlb_entry *e = tlb_entry(&m->tlb, mmu, addr);
    if (e->tag_write == (addr & (PAGE_MASK | (size - 1))))
        st_le_p((void *)(e->addend + addr), val, size);
    else
        tlb_store_slow(m, addr, val, size, mmu, ra);
}

/* Instruction fetch (execute permission, tag_code). */
static inline uint8_t mmu_ld_code(struct soft_mmu *m, vaddr addr, int mmu)
{
    struct tlb_entry *e = tlb_entry(&m->tlb, mmu, addr);
    if (e->tag_code == (addr & PAGE_MASK))
        return ldub_p((void *)(e->addend + addr));
    return tlb_load_code_slow(m, addr, mmu, 0);
}

#endif
