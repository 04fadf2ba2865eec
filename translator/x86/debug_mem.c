/*
 * debug_mem.c - guest memory as an external debugger (the gdb stub) sees
 * it: linear addresses translated through the guest's page tables as they
 * stand, without the side effects of a guest access (no accessed or dirty
 * bits, no #PF), and read or written a page at a time.
 */
#include <string.h>

#include "base/util.h"
#include "softmmu/memory.h"
#include "translator/x86/cpu.h"

#define PTE_P 1u
#define PDE_PS 0x80u

uint64_t cpu_debug_pc(const struct cpu *cpu)
{
    return (uint32_t)(cpu->seg[SEG_CS].base + (uint32_t)cpu->eip);
}

static uint64_t debug_ld(struct cpu *cpu, uint64_t paddr, unsigned size)
{
    uint8_t buf[8] = { 0 };
    phys_read(cpu->mmu.mem, paddr & cpu->a20_mask, buf, size);
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)buf[i] << (8 * i);
    return v;
}
/* The walk of SDM 3A 4.3 (32-bit paging, PSE) and 4.4 (PAE, from the
 * PDPTE registers loaded with CR3), checking only the present bits: a
 * debugger reads what the supervisor could. */
bool cpu_debug_phys_addr(struct cpu *cpu, uint64_t lin, uint64_t *paddr)
{
    uint32_t addr = (uint32_t)lin;
    if (!(cpu->cr[0] & CR0_PG)) {
        *paddr = addr & cpu->a20_mask;
        return true;
    }
    if (cpu->cr[4] & CR4_PAE) {
        const uint64_t frame = 0x000ffffffffff000ull;
        uint64_t pdpte = cpu->pdpte[(addr >> 30) & 3];
        if (!(pdpte & PTE_P))
            return false;
        uint64_t pde = debug_ld(cpu, (pdpte & frame) +
                                         ((addr >> 21) & 511) * 8, 8);
        if (!(pde & PTE_P))
            return false;
        if (pde & PDE_PS) {
            *paddr = (pde & frame & ~0x1fffffull) | (addr & 0x1fffff);
            return true;
        }
        uint64_t pte = debug_ld(cpu, (pde & frame) +
                                         ((addr >> 12) & 511) * 8, 8);
        if (!(pte & PTE_P))
            return false;
        *paddr = (pte & frame) | (addr & 0xfff);
        return true;
    }
    uint32_t pde = (uint32_t)debug_ld(cpu, (cpu->cr[3] & 0xfffff000u) +
                                               (addr >> 22) * 4, 4);
    if (!(pde & PTE_P))
        return false;
    if ((pde & PDE_PS) && (cpu->cr[4] & CR4_PSE)) {
        /* bits 20:13 of a 4 MiB PDE are bits 39:32 of the frame */
        uint64_t hi = (uint64_t)((pde >> 13) & 0xff) << 32;
        *paddr = hi | (pde & 0xffc00000u) | (addr & 0x3fffff);
        return true;
    }
    uint32_t pte = (uint32_t)debug_ld(cpu, (pde & 0xfffff000u) +
                                               ((addr >> 12) & 1023) * 4, 4);
    if (!(pte & PTE_P))
        return false;
    *paddr = (pte & 0xfffff000u) | (addr & 0xfff);
    return true;
}

bool cpu_debug_memory_rw(struct cpu *cpu, uint64_t lin, void *buf,
                         size_t len, bool write)
{
    uint8_t *p = buf;
    while (len) {
        uint64_t pa;
        size_t n = PAGE_SIZE - (lin & (PAGE_SIZE - 1));
        if (n > len)
            n = len;
        if (!cpu_debug_phys_addr(cpu, lin, &pa))
            return false;
        if (write)
            phys_write(cpu->mmu.mem, pa, p, n);
        else
            phys_read(cpu->mmu.mem, pa, p, n);
        lin = (uint32_t)(lin + n);
        p += n;
        len -= n;
    }
    return true;
}
