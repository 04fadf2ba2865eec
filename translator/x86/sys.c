/*
 * sys.c - system instructions other than segmentation: descriptor table
 * registers (LGDT..LTR), selector tests (LAR, LSL, VERR, VERW, ARPL),
 * control and debug registers, CPUID, RDTSC, MSRs (the TSC and the
 * identification MSRs; the others are in msr.c), port I/O with the TSS
 * permission bitmap, HLT, and the helpers that raise exceptions.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/clock.h"
#include "base/util.h"
#include "translator/x86/cpu_access.h"
#include "translator/x86/cpu.h"
#include "translator/x86/helpers.h"
#include "translator/x86/sys.h"

/* CR4 bits jet86 accepts; others (MCE, OSXMMEXCPT...) are reserved here
 * because the features are not implemented, and setting them is #GP. */
#define CR4_SUPPORTED                                                          \
    (CR4_TSD | CR4_DE | CR4_PSE | CR4_PAE | CR4_PGE | CR4_PCE | CR4_OSFXSR)

#define MSR_IA32_TSC 0x010
#define MSR_IA32_PLATFORM_ID 0x017
#define MSR_IA32_BIOS_SIGN_ID 0x08b

/* CPUID: what jet86 implements, and nothing else. */
#define CPUID_VENDOR "GenuineIntel" /* 12 bytes: EBX, EDX, ECX */
#define CPUID_1_EDX_FPU (1u << 0)
#define CPUID_1_EDX_PSE (1u << 3)
#define CPUID_1_EDX_TSC (1u << 4)
#define CPUID_1_EDX_MSR (1u << 5)
#define CPUID_1_EDX_PAE (1u << 6)
#define CPUID_1_EDX_CX8 (1u << 8)
#define CPUID_1_EDX_APIC (1u << 9)
#define CPUID_1_EDX_SEP (1u << 11)
#define CPUID_1_EDX_MTRR (1u << 12)
#define CPUID_1_EDX_PGE (1u << 13)
#define CPUID_1_EDX_CMOV (1u << 15)
#define CPUID_1_EDX_PAT (1u << 16)
#define CPUID_1_EDX_FXSR (1u << 24)
#define CPUID_1_EDX                                                            \
    (CPUID_1_EDX_FPU | CPUID_1_EDX_PSE | CPUID_1_EDX_TSC | CPUID_1_EDX_MSR |   \
     CPUID_1_EDX_PAE | CPUID_1_EDX_CX8 | CPUID_1_EDX_SEP | CPUID_1_EDX_MTRR |  \
     CPUID_1_EDX_PGE | CPUID_1_EDX_CMOV | CPUID_1_EDX_PAT | CPUID_1_EDX_FXSR)
#define CPUID_EXT1_EDX_NX (1u << 20)
#define CPUID_BRAND "jet86 dynamic translation CPU"

static int cur_cpl(const struct cpu *cpu)
{
    return (int)(cpu->hflags & HF_CPL_MASK);
}

static bool prot_mode(const struct cpu *cpu)
{
    return (cpu->cr[0] & CR0_PE) && !(cpu->eflags & EFLAGS_VM);
}

static _Noreturn void gp0(struct cpu *cpu, uintptr_t ra)
{
    raise_exception_err(cpu, EXCP_GP, 0, ra);
}

/* Privileged instructions: CPL 0 only; virtual-8086 mode runs at CPL 3. */
static void check_cpl0(struct cpu *cpu, uintptr_t ra)
{
    if ((cpu->cr[0] & CR0_PE) && cur_cpl(cpu) != 0)
        gp0(cpu, ra);
}

/* LLDT, LTR, LAR, LSL, VERR, VERW, ARPL: #UD outside protected mode. */
static void check_prot_mode(struct cpu *cpu, uintptr_t ra)
{
    if (!prot_mode(cpu))
        raise_exception(cpu, EXCP_UD, ra);
}

static void set_zf(struct cpu *cpu, bool z)
{
    cpu_set_eflags(cpu, z ? EFLAGS_ZF : 0, EFLAGS_ZF);
}

/* ---- descriptor table registers ---- */

/* The m16&32 operand: limit word, then base dword; with a 16-bit operand
 * only 24 bits of base are loaded (SDM 2, LGDT/LIDT). */
static void load_dtable(struct cpu *cpu, struct dtable *t, uint32_t addr,
                        uint32_t opsize, uintptr_t ra)
{
    check_cpl0(cpu, ra);
    uint32_t limit = cpu_lduw(cpu, addr, ra);
    uint32_t base = cpu_ldl(cpu, addr + 2, ra);
    if (opsize != 4 && opsize != 32)
        base &= 0x00ffffffu;
    t->limit = limit;
    t->base = base;
}

/* SGDT/SIDT store the limit and a 32-bit base; with a 16-bit operand the
 * fourth base byte is stored as zero (386 and later). */
static void store_dtable(struct cpu *cpu, const struct dtable *t, uint32_t addr,
                         uint32_t opsize, uintptr_t ra)
{
    uint32_t base = t->base;
    if (opsize != 4 && opsize != 32)
        base &= 0x00ffffffu;
    cpu_stw(cpu, addr, t->limit & 0xffff, ra);
    cpu_stl(cpu, addr + 2, base, ra);
}

void helper_lgdt(struct cpu *cpu, uint32_t addr, uint32_t opsize)
{
    load_dtable(cpu, &cpu->gdt, addr, opsize, GETPC());
}

void helper_lidt(struct cpu *cpu, uint32_t addr, uint32_t opsize)
{
    load_dtable(cpu, &cpu->idt, addr, opsize, GETPC());
}

void helper_sgdt(struct cpu *cpu, uint32_t addr, uint32_t opsize)
{
    store_dtable(cpu, &cpu->gdt, addr, opsize, GETPC());
}

void helper_sidt(struct cpu *cpu, uint32_t addr, uint32_t opsize)
{
    store_dtable(cpu, &cpu->idt, addr, opsize, GETPC());
}

/* A GDT descriptor for LLDT/LTR: lo/hi dwords, linear address. */
static bool gdt_fetch(struct cpu *cpu, uint32_t sel, uint32_t *lo, uint32_t *hi,
                      uint32_t *addr, uintptr_t ra)
{
    uint32_t index = sel & 0xfff8u;
    if (index + 7 > cpu->gdt.limit)
        return false;
    *addr = cpu->gdt.base + index;
    *lo = cpu_ldl_kernel(cpu, *addr, ra);
    *hi = cpu_ldl_kernel(cpu, *addr + 4, ra);
    return true;
}

static void system_seg_fill(struct segment *s, uint32_t sel, uint32_t lo,
                            uint32_t hi)
{
    uint32_t limit = (lo & 0xffff) | (hi & 0x000f0000u);
    if (hi & 0x00800000u)
        limit = (limit << 12) | 0xfff;
    s->sel = (uint16_t)sel;
    s->base = (lo >> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000u);
    s->limit = limit;
    s->attr = (uint16_t)((hi >> 8) & 0xf0ff);
}

void helper_lldt(struct cpu *cpu, uint32_t sel)
{
    uintptr_t ra = GETPC();
    uint32_t lo, hi, addr;
    check_prot_mode(cpu, ra);
    check_cpl0(cpu, ra);
    sel &= 0xffff;
    if ((sel & 0xfffc) == 0) {
        /* A null LDT: later references through TI=1 fault. */
        cpu->ldt = (struct segment){ .sel = (uint16_t)sel };
        return;
    }
    if ((sel & 4) || !gdt_fetch(cpu, sel, &lo, &hi, &addr, ra))
        raise_exception_err(cpu, EXCP_GP, (int)(sel & 0xfffc), ra);
    if ((hi & 0x1000) || ((hi >> 8) & 0xf) != 0x2)
        raise_exception_err(cpu, EXCP_GP, (int)(sel & 0xfffc), ra);
    if (!(hi & 0x8000))
        raise_exception_err(cpu, EXCP_NP, (int)(sel & 0xfffc), ra);
    system_seg_fill(&cpu->ldt, sel, lo, hi);
}

void helper_ltr(struct cpu *cpu, uint32_t sel)
{
    uintptr_t ra = GETPC();
    uint32_t lo, hi, addr;
    check_prot_mode(cpu, ra);
    check_cpl0(cpu, ra);
    sel &= 0xffff;
    if ((sel & 0xfffc) == 0)
        gp0(cpu, ra);
    if ((sel & 4) || !gdt_fetch(cpu, sel, &lo, &hi, &addr, ra))
        raise_exception_err(cpu, EXCP_GP, (int)(sel & 0xfffc), ra);
    uint32_t type = (hi >> 8) & 0xf;
    /* An available 16- or 32-bit TSS. */
    if ((hi & 0x1000) || (type != 0x1 && type != 0x9))
        raise_exception_err(cpu, EXCP_GP, (int)(sel & 0xfffc), ra);
    if (!(hi & 0x8000))
        raise_exception_err(cpu, EXCP_NP, (int)(sel & 0xfffc), ra);
    /* SDM 2, LTR: the TSS is marked busy in the GDT. */
    hi |= 0x200;
    cpu_st(cpu, addr + 5, (hi >> 8) & 0xff, 1, 0, ra);
    system_seg_fill(&cpu->tr, sel, lo, hi);
}

/* ---- LAR, LSL, VERR, VERW, ARPL ---- */

/* Fetch sel's descriptor for a selector test: false when null, outside
 * its table, or not visible at CPL/RPL (privilege is not checked for
 * conforming code segments). */
static bool test_fetch(struct cpu *cpu, uint32_t sel, uint32_t *hi,
                       uint32_t *lo, uintptr_t ra)
{
    uint32_t base, limit;
    sel &= 0xffff;
    if ((sel & 0xfffc) == 0)
        return false;
    if (sel & 4) {
        if (!(cpu->ldt.attr & SEG_ATTR_P))
            return false;
        base = cpu->ldt.base;
        limit = cpu->ldt.limit;
    } else {
        base = cpu->gdt.base;
        limit = cpu->gdt.limit;
    }
    if ((sel & 0xfff8u) + 7 > limit)
        return false;
    *lo = cpu_ldl_kernel(cpu, base + (sel & 0xfff8u), ra);
    *hi = cpu_ldl_kernel(cpu, base + (sel & 0xfff8u) + 4, ra);
    int dpl = (int)((*hi >> 13) & 3);
    bool conforming_code = (*hi & 0x1000) && (*hi & 0x0c00) == 0x0c00;
    if (!conforming_code && (dpl < cur_cpl(cpu) || dpl < (int)(sel & 3)))
        return false;
    return true;
}

uint32_t helper_lar(struct cpu *cpu, uint32_t sel, uint32_t old)
{
    uintptr_t ra = GETPC();
    uint32_t lo, hi;
    check_prot_mode(cpu, ra);
    bool ok = test_fetch(cpu, sel, &hi, &lo, ra);
    if (ok && !(hi & 0x1000)) {
        /* System types LAR accepts (SDM 2, LAR table): TSSes, LDT,
         * call and task gates; not interrupt or trap gates. */
        switch ((hi >> 8) & 0xf) {
        case 0x1:
        case 0x2:
        case 0x3:
        case 0x4:
        case 0x5:
        case 0x9:
        case 0xb:
        case 0xc: break;
        default: ok = false;
        }
    }
    set_zf(cpu, ok);
    return ok ? hi & 0x00f0ff00u : old;
}

uint32_t helper_lsl(struct cpu *cpu, uint32_t sel, uint32_t old)
{
    uintptr_t ra = GETPC();
    uint32_t lo, hi;
    check_prot_mode(cpu, ra);
    bool ok = test_fetch(cpu, sel, &hi, &lo, ra);
    if (ok && !(hi & 0x1000)) {
        /* Only descriptors that have a limit: TSSes and the LDT. */
        switch ((hi >> 8) & 0xf) {
        case 0x1:
        case 0x2:
        case 0x3:
        case 0x9:
        case 0xb: break;
        default: ok = false;
        }
    }
    set_zf(cpu, ok);
    if (!ok)
        return old;
    uint32_t limit = (lo & 0xffff) | (hi & 0x000f0000u);
    if (hi & 0x00800000u)
        limit = (limit << 12) | 0xfff;
    return limit;
}

void helper_verr(struct cpu *cpu, uint32_t sel)
{
    uintptr_t ra = GETPC();
    uint32_t lo, hi;
    check_prot_mode(cpu, ra);
    bool ok = test_fetch(cpu, sel, &hi, &lo, ra) && (hi & 0x1000);
    /* Code must be readable; data is always readable. */
    if (ok && (hi & 0x0800) && !(hi & 0x0200))
        ok = false;
    set_zf(cpu, ok);
}

void helper_verw(struct cpu *cpu, uint32_t sel)
{
    uintptr_t ra = GETPC();
    uint32_t lo, hi;
    check_prot_mode(cpu, ra);
    bool ok = test_fetch(cpu, sel, &hi, &lo, ra) && (hi & 0x1000) &&
              !(hi & 0x0800) && (hi & 0x0200);
    set_zf(cpu, ok);
}

uint32_t helper_arpl(struct cpu *cpu, uint32_t dst, uint32_t src)
{
    check_prot_mode(cpu, GETPC());
    if ((dst & 3) < (src & 3)) {
        set_zf(cpu, true);
        return (dst & ~3u) | (src & 3);
    }
    set_zf(cpu, false);
    return dst;
}

/* ---- control and debug registers ---- */

uint32_t helper_read_cr(struct cpu *cpu, uint32_t reg)
{
    uintptr_t ra = GETPC();
    if (reg == 1 || reg > 4)
        raise_exception(cpu, EXCP_UD, ra);
    check_cpl0(cpu, ra);
    return cpu->cr[reg];
}

static void write_cr0(struct cpu *cpu, uint32_t value, uintptr_t ra)
{
    /* SDM 3A 2.5: PG needs PE, NW needs CD; ET is fixed to 1. */
    if (((value & CR0_PG) && !(value & CR0_PE)) ||
        ((value & CR0_NW) && !(value & CR0_CD)))
        gp0(cpu, ra);
    value |= CR0_ET;
    value &= CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | CR0_WP |
             CR0_AM | CR0_NW | CR0_CD | CR0_PG;
    uint32_t old = cpu->cr[0];
    cpu_paging_set_cr(cpu, value, cpu->cr[3], cpu->cr[4], false, ra);
    if ((old ^ value) & (CR0_PE | CR0_PG | CR0_AM))
        cpu_update_hflags(cpu);
}

void helper_write_cr(struct cpu *cpu, uint32_t reg, uint32_t value)
{
    uintptr_t ra = GETPC();
    if (reg == 1 || reg > 4)
        raise_exception(cpu, EXCP_UD, ra);
    check_cpl0(cpu, ra);
    switch (reg) {
    case 0: write_cr0(cpu, value, ra); break;
    case 2: cpu->cr[2] = value; break;
    case 3: cpu_paging_set_cr(cpu, cpu->cr[0], value, cpu->cr[4], true, ra); break;
    default:
        if (value & ~CR4_SUPPORTED)
            gp0(cpu, ra);
        uint64_t old4 = cpu->cr[4];
        cpu_paging_set_cr(cpu, cpu->cr[0], cpu->cr[3], value, false, ra);
        if ((old4 ^ value) & CR4_DE)
            debug_sync_dr7(cpu); /* I/O breakpoints come and go */
        break;
    }
}

/* DR4/DR5 alias DR6/DR7 unless CR4.DE makes them #UD (SDM 3A 17.2.2). */
static uint32_t dr_index(struct cpu *cpu, uint32_t reg, uintptr_t ra)
{
    if (reg > 7)
        raise_exception(cpu, EXCP_UD, ra);
    if (reg == 4 || reg == 5) {
        if (cpu->cr[4] & CR4_DE)
            raise_exception(cpu, EXCP_UD, ra);
        reg += 2;
    }
    return reg;
}

/* SDM 3A 17.2.4: with DR7.GD any MOV to or from a debug register raises
 * #DB (a fault) with DR6.BD; the handler is entered with GD clear. */
static void dr_general_detect(struct cpu *cpu, uintptr_t ra)
{
    if (cpu->dr[7] & DR7_GD) {
        cpu->dr[6] |= DR6_BD;
        raise_exception(cpu, EXCP_DB, ra);
    }
}

uint32_t helper_read_dr(struct cpu *cpu, uint32_t reg)
{
    uintptr_t ra = GETPC();
    reg = dr_index(cpu, reg, ra);
    check_cpl0(cpu, ra);
    dr_general_detect(cpu, ra);
    return cpu->dr[reg];
}

/* DR0-DR3 and DR7 arm the breakpoints of the debug facility (debug.c). */
void helper_write_dr(struct cpu *cpu, uint32_t reg, uint32_t value)
{
    uintptr_t ra = GETPC();
    reg = dr_index(cpu, reg, ra);
    check_cpl0(cpu, ra);
    dr_general_detect(cpu, ra);
    if (reg == 6)
        value = (value & 0x0000e00fu) | DR6_FIXED;
    else if (reg == 7)
        value = (value & 0xffff2bffu) | DR7_FIXED;
    cpu->dr[reg] = value;
    if (reg != 6)
        debug_sync_dr7(cpu);
}

void helper_lmsw(struct cpu *cpu, uint32_t value)
{
    uintptr_t ra = GETPC();
    check_cpl0(cpu, ra);
    /* Only PE, MP, EM, TS; LMSW can set PE but never clear it. */
    uint32_t cr0 = (cpu->cr[0] & ~0xeu) | (value & 0xfu);
    write_cr0(cpu, cr0, ra);
}

void helper_clts(struct cpu *cpu)
{
    check_cpl0(cpu, GETPC());
    cpu->cr[0] &= ~CR0_TS;
}

void helper_invlpg(struct cpu *cpu, uint32_t addr)
{
    check_cpl0(cpu, GETPC());
    cpu_tlb_flush_page(cpu, addr);
}

/* ---- CPUID, time stamp counter, MSRs ---- */

static uint32_t str_dword(const char *s)
{
    return (uint32_t)(uint8_t)s[0] | (uint32_t)(uint8_t)s[1] << 8 |
           (uint32_t)(uint8_t)s[2] << 16 | (uint32_t)(uint8_t)s[3] << 24;
}

/*
 * Leaves: 0 (max leaf 1, vendor), 1 (signature CPU_SIGNATURE, a P6, and
 * features: PSE, PAE and PGE, the paging of translator/x86/paging.c; TSC,
 * MSR, CX8, CMOV; SEP: SYSENTER/SYSEXIT (sysenter.c; the signature is past
 * the Pentium Pro models whose SEP bit the SDM says to ignore); MTRR and
 * PAT, whose MSRs msr.c keeps and checks, with no effect since no caches
 * are modelled; FPU, the x87 of helper_fpu*.c, and FXSR; APIC while
 * the board's local APIC is globally enabled; no VME, DE,
 * MCE, MCA, PSE-36 (no physical address above
 * 4 GiB exists; paging.c reserves those PDE bits), MMX or SSE),
 * 0x80000000 (max extended leaf), 0x80000001 (NX: EFER.NXE and PAE's execute-disable bit),
 * 0x80000002-0x80000004 (brand string). Other leaves return leaf 1's data,
 * as Intel CPUs return their highest basic leaf.
 */
void helper_cpuid(struct cpu *cpu)
{
    uint32_t leaf = (uint32_t)cpu->regs[R_EAX];
    uint32_t a = 0, b = 0, c = 0, d = 0;
    char brand[48];

    if (leaf >= 0x80000000u && leaf <= 0x80000004u) {
        if (leaf == 0x80000000u) {
            a = 0x80000004u;
        } else if (leaf == 0x80000001u) {
            d = CPUID_EXT1_EDX_NX;
        } else if (leaf >= 0x80000002u) {
            memset(brand, 0, sizeof(brand));
            memcpy(brand, CPUID_BRAND, sizeof(CPUID_BRAND) - 1);
            const char *p = brand + (leaf - 0x80000002u) * 16;
            a = str_dword(p);
            b = str_dword(p + 4);
            c = str_dword(p + 8);
            d = str_dword(p + 12);
        }
    } else if (leaf == 0) {
        a = 1;
        b = str_dword(CPUID_VENDOR);
        d = str_dword(CPUID_VENDOR + 4);
        c = str_dword(CPUID_VENDOR + 8);
    } else {
        a = CPU_SIGNATURE;
        d = CPUID_1_EDX;
        /* SDM 3A 10.4.3: the APIC flag follows IA32_APIC_BASE's global
         * enable; only a board with a local APIC wires apic_base_changed. */
        if (cpu->apic_base_changed && (cpu->msr.apic_base & (1u << 11)))
            d |= CPUID_1_EDX_APIC;
    }
    cpu->regs[R_EAX] = a;
    cpu->regs[R_EBX] = b;
    cpu->regs[R_ECX] = c;
    cpu->regs[R_EDX] = d;
}

/* SDM 3A 4.1.4: without CPUID leaf 0x80000008, MAXPHYADDR is 36 when
 * CPUID reports PAE and 32 otherwise. */
unsigned cpu_phys_addr_bits(void)
{
    return (CPUID_1_EDX & CPUID_1_EDX_PAE) ? 36 : 32;
}

/* Virtual nanoseconds at the instruction at ra (see cpu_io_begin). */
static uint64_t clock_at(struct cpu *cpu, uintptr_t ra)
{
    if (!cpu->clock)
        return 0;
    int64_t ahead = cpu_io_begin(cpu, ra);
    uint64_t t = (uint64_t)vclock_now(cpu->clock);
    cpu_io_end(cpu, ahead);
    return t;
}

/* The TSC counts virtual nanoseconds (a 1 GHz part): in -icount mode it
 * is a function of the instruction count, so it repeats run to run, and
 * two reads differ by the instructions from the first to the second
 * (2^shift ticks each), even within one block. */
static uint64_t tsc_now(struct cpu *cpu, uintptr_t ra)
{
    return clock_at(cpu, ra) + cpu->tsc_offset;
}

void helper_rdtsc(struct cpu *cpu)
{
    uintptr_t ra = GETPC();
    if ((cpu->cr[4] & CR4_TSD) && (cpu->cr[0] & CR0_PE) && cur_cpl(cpu) != 0)
        gp0(cpu, ra);
    uint64_t t = tsc_now(cpu, ra);
    cpu->regs[R_EAX] = (uint32_t)t;
    cpu->regs[R_EDX] = (uint32_t)(t >> 32);
}

void helper_rdmsr(struct cpu *cpu)
{
    uintptr_t ra = GETPC();
    check_cpl0(cpu, ra);
    uint64_t v;
    switch ((uint32_t)cpu->regs[R_ECX]) {
    case MSR_IA32_TSC: v = tsc_now(cpu, ra); break;
    case MSR_IA32_PLATFORM_ID:
    case MSR_IA32_BIOS_SIGN_ID: v = 0; break;
    case MSR_IA32_EFER: v = cpu->efer; break;
    default:
        if (!cpu_msr_read(cpu, (uint32_t)cpu->regs[R_ECX], &v))
            gp0(cpu, ra);
    }
    cpu->regs[R_EAX] = (uint32_t)v;
    cpu->regs[R_EDX] = (uint32_t)(v >> 32);
}

void helper_wrmsr(struct cpu *cpu)
{
    uintptr_t ra = GETPC();
    check_cpl0(cpu, ra);
    uint64_t v =
        (uint32_t)cpu->regs[R_EAX] | (uint64_t)(uint32_t)cpu->regs[R_EDX] << 32;
    switch ((uint32_t)cpu->regs[R_ECX]) {
    case MSR_IA32_TSC: cpu->tsc_offset = v - clock_at(cpu, ra); break;
    case MSR_IA32_BIOS_SIGN_ID:
        /* Writing triggers a microcode update check: nothing to do. */
        break;
    case MSR_IA32_EFER:
        /* Only NXE exists here (no SYSCALL, no long mode): setting any
         * other bit is #GP(0) (SDM 4 table 2-2). */
        if (v & ~(uint64_t)EFER_NXE)
            gp0(cpu, ra);
        cpu_set_efer(cpu, v);
        break;
    default:
        if (!cpu_msr_write(cpu, (uint32_t)cpu->regs[R_ECX], v))
            gp0(cpu, ra);
    }
}

/* Performance counters are not implemented: RDPMC is allowed (CPL 0 or
 * CR4.PCE) for counters 0 and 1, which read as zero. */
void helper_rdpmc(struct cpu *cpu)
{
    uintptr_t ra = GETPC();
    if ((cpu->cr[0] & CR0_PE) && cur_cpl(cpu) != 0 && !(cpu->cr[4] & CR4_PCE))
        gp0(cpu, ra);
    if ((uint32_t)cpu->regs[R_ECX] > 1)
        gp0(cpu, ra);
    cpu->regs[R_EAX] = 0;
    cpu->regs[R_EDX] = 0;
}

/* ---- port I/O ---- */

/* SDM 1 18.5.2: with CPL > IOPL (or in virtual-8086 mode) every port of
 * the access must be allowed by a zero bit in the 32-bit TSS's I/O
 * permission bitmap, else #GP(0). */
void helper_check_io(struct cpu *cpu, uint32_t port, uint32_t size)
{
    uintptr_t ra = GETPC();
    if (!(cpu->cr[0] & CR0_PE))
        return;
    int iopl = (int)((cpu->eflags & EFLAGS_IOPL) >> 12);
    if (!(cpu->eflags & EFLAGS_VM) && cur_cpl(cpu) <= iopl)
        return;
    int type = SEG_ATTR_TYPE(cpu->tr.attr);
    if (!(cpu->tr.attr & SEG_ATTR_P) || (type != 0x9 && type != 0xb) ||
        cpu->tr.limit < 103)
        gp0(cpu, ra);
    uint32_t map = cpu_ld(cpu, cpu->tr.base + 0x66, 2, 0, ra);
    uint32_t off = map + (port & 0xffff) / 8;
    if (off + 1 > cpu->tr.limit)
        gp0(cpu, ra);
    uint32_t bits = (uint32_t)cpu_ld(cpu, cpu->tr.base + off, 2, 0, ra);
    uint32_t want = ((1u << size) - 1) << (port & 7);
    if (bits & want)
        gp0(cpu, ra);
}

/* A device sees the virtual time of the instruction (cpu_io_begin), and
 * which CPU made the access (a local APIC needs it). */
uint32_t cpu_port_read(struct cpu *cpu, uint32_t port, uint32_t size,
                       uintptr_t ra)
{
    debug_check_io(cpu, port, size, ra); /* I/O breakpoints (debug.c) */
    int64_t ahead = cpu_io_begin(cpu, ra);
    uint32_t v =
        io_read(cpu->io, (struct mem_attrs){ .cpu = cpu }, (uint16_t)port, size);
    cpu_io_end(cpu, ahead);
    return v;
}

void cpu_port_write(struct cpu *cpu, uint32_t port, uint32_t value,
                    uint32_t size, uintptr_t ra)
{
    debug_check_io(cpu, port, size, ra);
    int64_t ahead = cpu_io_begin(cpu, ra);
    io_write(cpu->io, (struct mem_attrs){ .cpu = cpu }, (uint16_t)port, value,
             size);
    cpu_io_end(cpu, ahead);
}

uint32_t helper_in(struct cpu *cpu, uint32_t port, uint32_t size)
{
    return cpu_port_read(cpu, port, size, GETPC());
}

void helper_out(struct cpu *cpu, uint32_t port, uint32_t value, uint32_t size)
{
    cpu_port_write(cpu, port, value, size, GETPC());
}

/* ---- HLT and raising ---- */

void helper_hlt(struct cpu *cpu, uint32_t next_eip)
{
    check_cpl0(cpu, GETPC());
    cpu->eip = next_eip;
    cpu->halted = 1;
    cpu_loop_exit(cpu);
}

void helper_raise_exception(struct cpu *cpu, uint32_t vec)
{
    raise_exception(cpu, (int)vec, GETPC());
}

void helper_raise_exception_err(struct cpu *cpu, uint32_t vec, uint32_t err)
{
    raise_exception_err(cpu, (int)vec, (int)err, GETPC());
}

void helper_raise_interrupt(struct cpu *cpu, uint32_t vec, uint32_t next_eip)
{
    raise_interrupt(cpu, (int)vec, next_eip, GETPC());
}
