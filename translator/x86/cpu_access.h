/*
 * cpu_access.h - guest memory access by linear address for the x86 model:
 * the MMU mode of a privilege level, and the load/store forms the helpers
 * use (at the current privilege level, or as the supervisor for
 * descriptor tables, the IDT and the TSS). They go through the CPU's soft
 * MMU (softmmu/access.h); a fault is raised by the page walk
 * (translator/x86/paging.c) with ra, the helper's host return address.
 */
#ifndef TRANSLATOR_X86_CPU_ACCESS_H
#define TRANSLATOR_X86_CPU_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "softmmu/access.h"
#include "translator/x86/cpu.h"

/* MMU modes (TLB indexes): SDM 3A, 5.5, CPL 3 is user, 0-2 supervisor. */
#define MMU_SUPERVISOR 0
#define MMU_USER 1

static inline int cpu_mmu_index(const struct cpu *cpu)
{
    return (cpu->hflags & HF_CPL_MASK) == 3 ? MMU_USER : MMU_SUPERVISOR;
}

/* A linear address as the CPU's width wraps it: helpers compute
 * base + offset in 64 bits, and outside long mode that sum wraps at 4 GiB
 * (the same page must have one tag, whatever sum reached it). */
static inline vaddr cpu_lin(const struct cpu *cpu, vaddr addr)
{
    return addr & cpu->mmu.addr_mask;
}

/* #AC for the helpers' accesses at CPL 3 (SDM 3A 6.15, interrupt 17):
 * words, doublewords and quadwords, only while HF_AC. The supervisor
 * forms (descriptor tables, TSS, IDT) are never checked. */
static inline void cpu_check_align(struct cpu *cpu, vaddr addr,
                                   unsigned size, int mmu, uintptr_t ra)
{
    if (__builtin_expect((cpu->hflags & HF_AC) != 0, 0) && mmu == MMU_USER &&
        (size == 2 || size == 4 || size == 8) && (addr & (size - 1)))
        raise_exception_err(cpu, EXCP_AC, 0, ra);
}

static inline uint64_t cpu_ld(struct cpu *cpu, vaddr addr, unsigned size,
                              int mmu, uintptr_t ra)
{
    cpu_check_align(cpu, addr, size, mmu, ra);
    return mmu_ld(&cpu->mmu, cpu_lin(cpu, addr), size, mmu, ra);
}

static inline void cpu_st(struct cpu *cpu, vaddr addr, uint64_t val,
                          unsigned size, int mmu, uintptr_t ra)
{
    cpu_check_align(cpu, addr, size, mmu, ra);
    mmu_st(&cpu->mmu, cpu_lin(cpu, addr), val, size, mmu, ra);
}

static inline uint8_t cpu_ld_code(struct cpu *cpu, vaddr addr)
{
    return mmu_ld_code(&cpu->mmu, cpu_lin(cpu, addr), cpu_mmu_index(cpu));
}

/* Physical address of the code at linear addr at the current privilege
 * level (block lookup); may raise #PF. */
static inline hwaddr cpu_code_paddr(struct cpu *cpu, vaddr addr, uintptr_t ra)
{
    return tlb_code_paddr(&cpu->mmu, cpu_lin(cpu, addr), cpu_mmu_index(cpu),
                          ra);
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
#define cpu_ldl_kernel(c, a, ra) \
    ((uint32_t)cpu_ld((c), (a), 4, MMU_SUPERVISOR, (ra)))
#define cpu_stl_kernel(c, a, v, ra) \
    cpu_st((c), (a), (v), 4, MMU_SUPERVISOR, (ra))

/* translator/x86/paging.c: install the x86 hooks (page walk, device time)
 * in the CPU's soft MMU; TLB flushes in x86 terms. */
void cpu_mmu_init(struct cpu *cpu);
/* Every translation is stale. */
void cpu_tlb_flush(struct cpu *cpu);
/* The A20 gate: enabled lets physical address bit 20 through, disabled
 * forces it to 0 (the wrap at 1 MiB); a change flushes the TLB. Blocks
 * already translated, and chained, under the old gate are the caller's
 * to drop (tb_invalidate_phys_range). */
void cpu_set_a20(struct cpu *cpu, bool enabled);
/* INVLPG: the page holding addr, the whole large page if one maps it. */
void cpu_tlb_flush_page(struct cpu *cpu, vaddr addr);
/* Install new CR0, CR3 and CR4 values (cr3_write: a MOV to CR3 or a task
 * switch loaded CR3): loads the PDPTEs when PAE paging needs them, raising
 * #GP(0) at ra before changing anything if they are invalid, and flushes
 * what the change makes stale (all, or all but global pages). */
void cpu_paging_set_cr(struct cpu *cpu, uint32_t cr0, uint32_t cr3,
                       uint32_t cr4, bool cr3_write, uintptr_t ra);
/* WRMSR IA32_EFER (the value already checked). */
void cpu_set_efer(struct cpu *cpu, uint64_t efer);

#endif
