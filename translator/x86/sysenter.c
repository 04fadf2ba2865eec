/*
 * sysenter.c - SYSENTER and SYSEXIT (SDM 2, SYSENTER and SYSEXIT; SDM 3A
 * 5.8.7): the fast call from any ring to ring 0 and the return to ring 3.
 * Neither reads a descriptor: CS and SS become flat 4 GiB segments whose
 * selectors come from IA32_SYSENTER_CS (msr.c), and ESP and EIP come from
 * IA32_SYSENTER_ESP/EIP on the way in, from ECX and EDX on the way out.
 * Nothing is pushed; the block ends after either (CPL and mode change).
 */
#include <stdbool.h>
#include <stdint.h>

#include "translator/x86/cpu.h"
#include "translator/x86/helpers.h"

/* A flat segment: base 0, limit 4 GiB (G = 1), 32-bit (D/B = 1), present,
 * accessed, of DPL dpl: execute/read code (type 11) or read/write data
 * (type 3). */
static void load_flat(struct cpu *cpu, int seg, uint32_t sel, int dpl,
                      bool code)
{
    struct segment *s = &cpu->seg[seg];
    s->sel = (uint16_t)sel;
    s->base = 0;
    s->limit = 0xffffffffu;
    s->attr = (uint16_t)(SEG_ATTR_G | SEG_ATTR_DB | SEG_ATTR_P |
                         (unsigned)dpl << 5 | SEG_ATTR_S | (code ? 0xb : 0x3));
}

/* IA32_SYSENTER_CS[15:2] = 0: there is no ring-0 code segment to go to. */
static bool sysenter_cs_null(const struct cpu *cpu)
{
    return (cpu->msr.sysenter_cs & 0xfffc) == 0;
}

/* From any CPL of protected or virtual-8086 mode to CPL 0; #GP(0) in
 * real mode or with no CS. VM, IF and RF are cleared. */
void helper_sysenter(struct cpu *cpu)
{
    uintptr_t ra = GETPC();
    if (!(cpu->cr[0] & CR0_PE) || sysenter_cs_null(cpu))
        raise_exception_err(cpu, EXCP_GP, 0, ra);
    uint32_t cs = cpu->msr.sysenter_cs & 0xfffc;
    cpu_set_eflags(cpu, 0, EFLAGS_VM | EFLAGS_IF | EFLAGS_RF);
    load_flat(cpu, SEG_CS, cs, 0, true);
    load_flat(cpu, SEG_SS, cs + 8, 0, false);
    cpu->regs[R_ESP] = cpu->msr.sysenter_esp;
    cpu->eip = cpu->msr.sysenter_eip;
    cpu_update_hflags(cpu);
}

/* From CPL 0 to CPL 3: CS = IA32_SYSENTER_CS + 16, SS = + 24, both with
 * RPL 3; ESP = ECX, EIP = EDX. #GP(0) in real mode, at CPL > 0 (which
 * includes virtual-8086 mode) or with no CS. */
void helper_sysexit(struct cpu *cpu)
{
    uintptr_t ra = GETPC();
    if (!(cpu->cr[0] & CR0_PE) || (cpu->hflags & HF_CPL_MASK) != 0 ||
        sysenter_cs_null(cpu))
        raise_exception_err(cpu, EXCP_GP, 0, ra);
    uint32_t cs = cpu->msr.sysenter_cs;
    load_flat(cpu, SEG_CS, ((cs + 16) & 0xfffc) | 3, 3, true);
    load_flat(cpu, SEG_SS, ((cs + 24) & 0xfffc) | 3, 3, false);
    cpu->regs[R_ESP] = (uint32_t)cpu->regs[R_ECX];
    cpu->eip = (uint32_t)cpu->regs[R_EDX];
    cpu_update_hflags(cpu);
}
