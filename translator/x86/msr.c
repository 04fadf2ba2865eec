/*
 * msr.c - the model-specific registers that hold state, as RDMSR and
 * WRMSR see them: IA32_APIC_BASE, the SYSENTER MSRs, the MTRRs and
 * IA32_PAT, with their power-on values and the #GP(0) for reserved bits
 * and invalid memory types (SDM 4, chapter 2; SDM 3A 10.4.4, 11.11,
 * 11.12). sys.c's helper_rdmsr and helper_wrmsr handle the time stamp
 * counter and the identification MSRs and come here for the rest.
 *
 * None of these change how memory behaves: jet86 models no caches, so the
 * memory types of the MTRRs and the PAT are stored and checked but every
 * access goes to RAM or to its device as it would with write-back (or
 * uncached) memory. IA32_APIC_BASE is kept here; each write is passed to
 * the board's local APIC (cpu->apic_base_changed, devices/lapic.c), which
 * maps, moves or unmaps its registers.
 */
#include <stdbool.h>
#include <stdint.h>

#include "translator/x86/cpu.h"
#include "translator/x86/sys.h"

#define MSR_IA32_APIC_BASE 0x01b
#define MSR_IA32_MTRRCAP 0x0fe
#define MSR_IA32_SYSENTER_CS 0x174
#define MSR_IA32_SYSENTER_ESP 0x175
#define MSR_IA32_SYSENTER_EIP 0x176
#define MSR_IA32_MTRR_PHYSBASE0 0x200 /* base n at 0x200 + 2n, mask n + 1 */
#define MSR_IA32_MTRR_PHYSMASK7 0x20f
#define MSR_IA32_MTRR_FIX64K_00000 0x250
#define MSR_IA32_MTRR_FIX16K_80000 0x258
#define MSR_IA32_MTRR_FIX16K_A0000 0x259
#define MSR_IA32_MTRR_FIX4K_C0000 0x268 /* .. 0x26f: FIX4K_F8000 */
#define MSR_IA32_MTRR_FIX4K_F8000 0x26f
#define MSR_IA32_PAT 0x277
#define MSR_IA32_MTRR_DEF_TYPE 0x2ff

/*
 * IA32_APIC_BASE (SDM 3A 10.4.4, figure 10-5):
 *
 *   MAXPHYADDR-1 .. 12 | 11 | 10 9 | 8   | 7 .. 0
 *   APIC base          | EN | res. | BSP | reserved
 *
 * This CPU is the bootstrap processor: BSP reads as 1 and a write does
 * not change it.
 */
#define APIC_BASE_BSP (1ull << 8)
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_RESET (0xfee00000ull | APIC_BASE_ENABLE | APIC_BASE_BSP)

/* IA32_MTRRCAP (SDM 3A 11.11.1): 8 variable ranges (VCNT), the fixed
 * ranges (FIX, bit 8) and write combining (WC, bit 10); no SMRR. */
#define MTRRCAP_VALUE (8ull | (1ull << 8) | (1ull << 10))

/* IA32_MTRR_DEF_TYPE (SDM 3A 11.11.2.1): type 7..0, FE 10, E 11. */
#define MTRR_DEF_TYPE_BITS 0xcffull
/* IA32_MTRR_PHYSBASEn: type 7..0; IA32_MTRR_PHYSMASKn: V (valid) 11;
 * both hold address bits MAXPHYADDR-1..12 (SDM 3A 11.11.2.3). */
#define MTRR_PHYSBASE_LOW_BITS 0x0ffull
#define MTRR_PHYSMASK_LOW_BITS 0x800ull

/* IA32_PAT power-on value (SDM 3A 11.12.4, table 11-12): entries 0..7 are
 * WB, WT, UC-, UC, WB, WT, UC-, UC. */
#define PAT_RESET 0x0007040600070406ull

/* Memory types of the MTRRs (SDM 3A table 11-8): UC 0, WC 1, WT 4, WP 5,
 * WB 6; 2, 3 and 7..0xff are reserved. */
static bool mtrr_type_valid(uint64_t type)
{
    return type == 0 || type == 1 || type == 4 || type == 5 || type == 6;
}

/* The PAT's memory types (SDM 3A table 11-10) add UC- (7); 2, 3 and
 * 8..0xff are reserved. */
static bool pat_type_valid(uint64_t type)
{
    return type <= 7 && type != 2 && type != 3;
}

/* Address bits above MAXPHYADDR are reserved in the MSRs that hold a
 * physical address. */
static uint64_t phys_addr_mask(void)
{
    return ((1ull << cpu_phys_addr_bits()) - 1) & ~0xfffull;
}

/* Every byte of v a valid memory type: the fixed-range MTRRs hold eight
 * (SDM 3A 11.11.2.2), the PAT eight entries in bytes (11.12.2). */
static bool bytes_valid(uint64_t v, bool (*valid)(uint64_t))
{
    for (int i = 0; i < 8; i++)
        if (!valid((v >> (8 * i)) & 0xff))
            return false;
    return true;
}

/* Index into msr.mtrr_fixed of a fixed-range MTRR, or -1. */
static int mtrr_fixed_index(uint32_t idx)
{
    if (idx == MSR_IA32_MTRR_FIX64K_00000)
        return 0;
    if (idx == MSR_IA32_MTRR_FIX16K_80000 || idx == MSR_IA32_MTRR_FIX16K_A0000)
        return 1 + (int)(idx - MSR_IA32_MTRR_FIX16K_80000);
    if (idx >= MSR_IA32_MTRR_FIX4K_C0000 && idx <= MSR_IA32_MTRR_FIX4K_F8000)
        return 3 + (int)(idx - MSR_IA32_MTRR_FIX4K_C0000);
    return -1;
}

/* A variable-range MTRR: the physical base (even index) or mask (odd). */
static bool mtrr_var_valid(uint32_t idx, uint64_t v)
{
    bool mask = (idx - MSR_IA32_MTRR_PHYSBASE0) & 1;
    uint64_t low = mask ? MTRR_PHYSMASK_LOW_BITS : MTRR_PHYSBASE_LOW_BITS;
    if (v & ~(phys_addr_mask() | low))
        return false;
    return mask || mtrr_type_valid(v & 0xff);
}

void cpu_msr_reset(struct cpu *cpu)
{
    /* SDM 3A table 9-1: the MTRRs are disabled (IA32_MTRR_DEF_TYPE = 0)
     * and the ranges are zero here; the SYSENTER MSRs are zero. */
    cpu->msr = (struct cpu_msrs){
        .apic_base = APIC_BASE_RESET,
        .pat = PAT_RESET,
    };
}

bool cpu_msr_read(struct cpu *cpu, uint32_t idx, uint64_t *v)
{
    struct cpu_msrs *m = &cpu->msr;
    int fixed = mtrr_fixed_index(idx);
    if (fixed >= 0) {
        *v = m->mtrr_fixed[fixed];
        return true;
    }
    if (idx >= MSR_IA32_MTRR_PHYSBASE0 && idx <= MSR_IA32_MTRR_PHYSMASK7) {
        *v = m->mtrr_var[idx - MSR_IA32_MTRR_PHYSBASE0];
        return true;
    }
    switch (idx) {
    case MSR_IA32_APIC_BASE: *v = m->apic_base; return true;
    case MSR_IA32_MTRRCAP: *v = MTRRCAP_VALUE; return true;
    case MSR_IA32_SYSENTER_CS: *v = m->sysenter_cs; return true;
    case MSR_IA32_SYSENTER_ESP: *v = m->sysenter_esp; return true;
    case MSR_IA32_SYSENTER_EIP: *v = m->sysenter_eip; return true;
    case MSR_IA32_MTRR_DEF_TYPE: *v = m->mtrr_def_type; return true;
    case MSR_IA32_PAT: *v = m->pat; return true;
    default: return false;
    }
}

bool cpu_msr_write(struct cpu *cpu, uint32_t idx, uint64_t v)
{
    struct cpu_msrs *m = &cpu->msr;
    int fixed = mtrr_fixed_index(idx);
    if (fixed >= 0) {
        if (!bytes_valid(v, mtrr_type_valid))
            return false;
        m->mtrr_fixed[fixed] = v;
        return true;
    }
    if (idx >= MSR_IA32_MTRR_PHYSBASE0 && idx <= MSR_IA32_MTRR_PHYSMASK7) {
        if (!mtrr_var_valid(idx, v))
            return false;
        m->mtrr_var[idx - MSR_IA32_MTRR_PHYSBASE0] = v;
        return true;
    }
    switch (idx) {
    case MSR_IA32_APIC_BASE:
        if (v & ~(phys_addr_mask() | APIC_BASE_ENABLE | APIC_BASE_BSP))
            return false;
        m->apic_base = (v & ~APIC_BASE_BSP) | (m->apic_base & APIC_BASE_BSP);
        if (cpu->apic_base_changed)
            cpu->apic_base_changed(cpu->apic_opaque, m->apic_base);
        return true;
    /* Without Intel 64 the SYSENTER MSRs hold a selector and two 32-bit
     * offsets; higher bits are dropped. */
    case MSR_IA32_SYSENTER_CS: m->sysenter_cs = (uint16_t)v; return true;
    case MSR_IA32_SYSENTER_ESP: m->sysenter_esp = (uint32_t)v; return true;
    case MSR_IA32_SYSENTER_EIP: m->sysenter_eip = (uint32_t)v; return true;
    case MSR_IA32_MTRR_DEF_TYPE:
        if ((v & ~MTRR_DEF_TYPE_BITS) || !mtrr_type_valid(v & 0xff))
            return false;
        m->mtrr_def_type = v;
        return true;
    case MSR_IA32_PAT:
        if (!bytes_valid(v, pat_type_valid))
            return false;
        m->pat = v;
        return true;
    default: return false; /* IA32_MTRRCAP is read-only; the rest unknown */
    }
}
