/*
 * access.h - guest memory access by linear address, for C helpers and the
 * interpreter backend. The fast path is the inline TLB compare-and-add; a
 * miss, MMIO, a code page or a misaligned access takes the slow path in
 * tlb.c, which may raise a guest #PF/#GP (ra: host return address of the
 * calling helper, for precise state; see cpu_restore_state).
 */
#ifndef SOFTMMU_ACCESS_H
#define SOFTMMU_ACCESS_H

#include <stdint.h>

#include "softmmu/ldst.h"
#include "softmmu/tlb.h"
#include "translator/x86/cpu.h"

/* MMU mode of the current privilege level (SDM 3A, 5.5: CPL 3 is user). */
static inline int cpu_mmu_index(const struct cpu *cpu)
{
    return (cpu->hflags & HF_CPL_MASK) == 3 ? 1 : 0;
}

/* Slow paths (tlb.c). size is 1, 2, 4 or 8. */
uint64_t tlb_load_slow(struct cpu *cpu, uint32_t addr, unsigned size, int mmu,
                       uintptr_t ra);
void tlb_store_slow(struct cpu *cpu, uint32_t addr, uint64_t val, unsigned size,
                    int mmu, uintptr_t ra);
/* Fill the TLB entry for addr/access (page walk when CR0.PG); raises #PF. */
void tlb_fill(struct cpu *cpu, uint32_t addr, int access, int mmu, uintptr_t ra);
/* Physical address of the code at linear addr (for block lookup); fills the
 * TLB and may raise #PF. Marks nothing. */
uint64_t tlb_code_paddr(struct cpu *cpu, uint32_t addr, uintptr_t ra);
void tlb_flush(struct cpu *cpu);
void tlb_flush_page(struct cpu *cpu, uint32_t addr);
/* Drop the TLB_CODE-free write fast path for a physical page that just
 * became a code page (called by mem_mark_code_page's user). */
void tlb_protect_code_page(struct cpu *cpu, uint64_t paddr);
/* Send writes to [paddr, paddr+len) (physical) back to the slow path,
 * where they set dirty bits again (a mem_listener's writes_protected). */
void tlb_protect_writes(struct cpu *cpu, uint64_t paddr, uint64_t len);

static inline uint64_t cpu_ld(struct cpu *cpu, uint32_t addr, unsigned size,
                              int mmu, uintptr_t ra)
{
    struct tlb_entry *e = tlb_entry(&cpu->tlb, mmu, addr);
    if (e->tag_read == (addr & ((uint32_t)PAGE_MASK | (size - 1))))
        return ld_le_p((void *)(e->addend + addr), size);
    return tlb_load_slow(cpu, addr, size, mmu, ra);
}

static inline void cpu_st(struct cpu *cpu, uint32_t addr, uint64_t val,
                          unsigned size, int mmu, uintptr_t ra)
{
    struct tlb_entry *e = tlb_entry(&cpu->tlb, mmu, addr);
    if (e->tag_write == (addr & ((uint32_t)PAGE_MASK | (size - 1))))
        st_le_p((void *)(e->addend + addr), val, size);
    else
        tlb_store_slow(cpu, addr, val, size, mmu, ra);
}

/* Instruction fetch (execute permission, tag_code). */
uint8_t tlb_load_code_slow(struct cpu *cpu, uint32_t addr, int mmu, uintptr_t ra);
static inline uint8_t cpu_ld_code(struct cpu *cpu, uint32_t addr)
{
    int mmu = cpu_mmu_index(cpu);
    struct tlb_entry *e = tlb_entry(&cpu->tlb, mmu, addr);
    if (e->tag_code == (addr & (uint32_t)PAGE_MASK))
        return ldub_p((void *)(e->addend + addr));
    return tlb_load_code_slow(cpu, addr, mmu, 0);
}

/* Convenience forms at the current privilege level. */
#define cpu_ldub(c, a, ra) ((uint8_t)cpu_ld((c), (a), 1, cpu_mmu_index(c), (ra)))
#define cpu_lduw(c, a, ra) ((uint16_t)cpu_ld((c), (a), 2, cpu_mmu_index(c), (ra)))
#define cpu_ldl(c, a, ra) ((uint32_t)cpu_ld((c), (a), 4, cpu_mmu_index(c), (ra)))
#define cpu_ldq(c, a, ra) (cpu_ld((c), (a), 8, cpu_mmu_index(c), (ra)))
#define cpu_stb(c, a, v, ra) cpu_st((c), (a), (v), 1, cpu_mmu_index(c), (ra))
#define cpu_stw(c, a, v, ra) cpu_st((c), (a), (v), 2, cpu_mmu_index(c), (ra))
#define cpu_stl(c, a, v, ra) cpu_st((c), (a), (v), 4, cpu_mmu_index(c), (ra))
#define cpu_stq(c, a, v, ra) cpu_st((c), (a), (v), 8, cpu_mmu_index(c), (ra))
/* Supervisor-level access regardless of CPL (descriptor tables, IDT, TSS). */
#define cpu_ldl_kernel(c, a, ra) ((uint32_t)cpu_ld((c), (a), 4, 0, (ra)))
#define cpu_stl_kernel(c, a, v, ra) cpu_st((c), (a), (v), 4, 0, (ra))

#endif
