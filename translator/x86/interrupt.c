/*
 * interrupt.c - delivery of interrupts and exceptions, do_interrupt():
 * through the IVT in real mode, through the interrupt, trap and task gates
 * of the IDT in protected mode, with the stack switch through the TSS to a
 * more privileged level and the entry from virtual-8086 mode (SDM 3A 6.12,
 * 20.1.4 and 20.3; SDM 2, INT n pseudocode for the checks and error codes).
 *
 * All checks and pushes come before any state changes, so a fault during
 * delivery (which the CPU loop turns into #DF or a triple fault) leaves the
 * interrupted state intact.
 */
#include <stdbool.h>
#include <stdint.h>

#include "base/util.h"
#include "translator/x86/cpu_access.h"
#include "translator/x86/cpu.h"
#include "translator/x86/seg_internal.h"
#include "translator/x86/sys.h"

static int cur_cpl(const struct cpu *cpu)
{
    return (int)(cpu->hflags & HF_CPL_MASK);
}

static void log_interrupt(struct cpu *cpu, int vec, bool is_int, int err,
                          bool has_err, uint32_t next_eip)
{
    log_printf("int: v=%02x e=%04x i=%d cpl=%d IP=%04x:%08x pc=%08x "
               "SP=%04x:%08x EAX=%08x EFL=%08x\n",
               vec, has_err ? (unsigned)err & 0xffff : 0, is_int, cur_cpl(cpu),
               cpu->seg[SEG_CS].sel, (uint32_t)cpu->eip,
               (uint32_t)(cpu->seg[SEG_CS].base + cpu->eip), cpu->seg[SEG_SS].sel,
               (uint32_t)cpu->regs[R_ESP], (uint32_t)cpu->regs[R_EAX],
               cpu_get_eflags(cpu));
    if (is_int)
        log_printf("     software interrupt, returns to %08x\n", next_eip);
}

/* Real mode: through the IVT at IDTR.base (SDM 3A 20.1.4). */
static void interrupt_real(struct cpu *cpu, int vec, uint32_t ret_eip)
{
    uint32_t entry = (uint32_t)vec * 4;
    if (entry + 3 > cpu->idt.limit)
        seg_fault(cpu, EXCP_GP, (uint32_t)vec * 8 + 2, 0);
    uint32_t vector = (uint32_t)cpu_ld(cpu, cpu->idt.base + entry, 4, 0, 0);
    struct stack k;
    stack_cur(cpu, &k);
    stack_push(cpu, &k, cpu_get_eflags(cpu), 2, 0);
    stack_push(cpu, &k, cpu->seg[SEG_CS].sel, 2, 0);
    stack_push(cpu, &k, ret_eip & 0xffff, 2, 0);
    stack_commit(cpu, &k);
    cpu_set_eflags(cpu, 0, EFLAGS_IF | EFLAGS_TF | EFLAGS_AC | EFLAGS_RF);
    cpu->eip = vector & 0xffff;
    cpu_load_seg_real(cpu, SEG_CS, (uint16_t)(vector >> 16));
}

/* Protected mode: through an interrupt or trap gate of the IDT (SDM 3A
 * 6.12.1, and SDM 2 INT n pseudocode for the checks and error codes). */
static void interrupt_prot(struct cpu *cpu, int vec, bool is_int, int err,
                           bool has_err, uint32_t ret_eip)
{
    bool from_vm86 = (cpu->eflags & EFLAGS_VM) != 0;
    int cpl = cur_cpl(cpu);
    int ext = is_int ? 0 : 1;
    uint32_t idt_err = (uint32_t)vec * 8 + 2 + (uint32_t)ext;

    if ((uint32_t)vec * 8 + 7 > cpu->idt.limit)
        seg_fault(cpu, EXCP_GP, idt_err, 0);
    uint32_t addr = cpu->idt.base + (uint32_t)vec * 8;
    struct desc g = {
        .lo = (uint32_t)cpu_ld(cpu, addr, 4, 0, 0),
        .hi = (uint32_t)cpu_ld(cpu, addr + 4, 4, 0, 0),
        .addr = addr,
    };
    int type = (int)D_TYPE(g.hi);
    if (g.hi & D_S)
        seg_fault(cpu, EXCP_GP, idt_err, 0);
    switch (type) {
    case SYS_INT16:
    case SYS_TRAP16:
    case SYS_INT32:
    case SYS_TRAP32:
    case SYS_TASK: break;
    default: seg_fault(cpu, EXCP_GP, idt_err, 0);
    }
    /* Software interrupts may only use gates at or below their CPL. */
    if (is_int && D_DPL(g.hi) < cpl)
        seg_fault(cpu, EXCP_GP, (uint32_t)vec * 8 + 2, 0);
    if (!(g.hi & D_P))
        seg_fault(cpu, EXCP_NP, idt_err, 0);

    if (type == SYS_TASK) {
        /* SDM 2, INT n TASK-GATE: an available TSS in the GDT. */
        uint32_t tsel = g.lo >> 16;
        uint32_t terr = (tsel & 0xfffc) | (uint32_t)ext;
        struct desc t;
        if ((tsel & 4) || !desc_fetch(cpu, tsel, &t, 0) || (t.hi & D_S) ||
            (D_TYPE(t.hi) != SYS_TSS16 && D_TYPE(t.hi) != SYS_TSS32))
            seg_fault(cpu, EXCP_GP, terr, 0);
        if (!(t.hi & D_P))
            seg_fault(cpu, EXCP_NP, terr, 0);
        task_switch(cpu, tsel, &t, TASK_INT, ret_eip, has_err, err, 0);
        return;
    }

    bool gate32 = (type & 8) != 0;
    uint32_t sel = g.lo >> 16;
    uint32_t offset = (g.lo & 0xffff) | (gate32 ? (g.hi & 0xffff0000u) : 0);
    struct desc cs;
    if ((sel & 0xfffc) == 0)
        seg_fault(cpu, EXCP_GP, (uint32_t)ext, 0);
    if (!desc_fetch(cpu, sel, &cs, 0) || !desc_is_code(&cs) ||
        D_DPL(cs.hi) > cpl)
        seg_fault(cpu, EXCP_GP, (sel & 0xfffc) | (uint32_t)ext, 0);
    if (!(cs.hi & D_P))
        seg_fault(cpu, EXCP_NP, (sel & 0xfffc) | (uint32_t)ext, 0);

    int dpl = D_DPL(cs.hi);
    unsigned size = gate32 ? 4 : 2;
    uint32_t eflags = cpu_get_eflags(cpu);
    /* SDM 3A 17.3.1.1: a fault pushes RF set, so the faulting instruction
     * does not hit its own instruction breakpoint when it is restarted. */
    if (cpu->excp_push_rf)
        eflags |= EFLAGS_RF;
    struct stack k;
    struct desc ssd;
    uint32_t new_ss = 0;
    int new_cpl;

    if (!desc_is_conforming(&cs) && dpl < cpl) {
        /* Inter-privilege: the handler's stack comes from the TSS. From
         * virtual-8086 mode only to ring 0 (SDM 2, INT n). */
        if (from_vm86 && dpl != 0)
            seg_fault(cpu, EXCP_GP, (sel & 0xfffc) | (uint32_t)ext, 0);
        uint32_t esp;
        tss_stack(cpu, dpl, &new_ss, &esp, ext, 0);
        check_inner_ss(cpu, new_ss, dpl, &ssd, ext, 0);
        if (offset > desc_limit(&cs))
            seg_fault(cpu, EXCP_GP, (uint32_t)ext, 0);
        k = stack_of(desc_base(&ssd), esp, &ssd, dpl,
                     (new_ss & 0xfffc) | (uint32_t)ext);
        if (from_vm86) {
            /* SDM 3A 20.3.1.1: the VM86 segment registers are saved
             * and then cleared; 16 bits each through a 16-bit gate, 32
             * through a 32-bit one (SDM 2, INT n,
             * INTERRUPT-FROM-VIRTUAL-8086-MODE). */
            stack_push(cpu, &k, cpu->seg[SEG_GS].sel, size, 0);
            stack_push(cpu, &k, cpu->seg[SEG_FS].sel, size, 0);
            stack_push(cpu, &k, cpu->seg[SEG_DS].sel, size, 0);
            stack_push(cpu, &k, cpu->seg[SEG_ES].sel, size, 0);
        }
        stack_push(cpu, &k, cpu->seg[SEG_SS].sel, size, 0);
        stack_push(cpu, &k, (uint32_t)cpu->regs[R_ESP], size, 0);
        new_cpl = dpl;
    } else {
        /* Same privilege (a conforming handler runs at CPL); never from
         * virtual-8086 mode (SDM 2, INT n). */
        if (from_vm86)
            seg_fault(cpu, EXCP_GP, (sel & 0xfffc) | (uint32_t)ext, 0);
        if (offset > desc_limit(&cs))
            seg_fault(cpu, EXCP_GP, (uint32_t)ext, 0);
        stack_cur(cpu, &k);
        k.err = (uint32_t)ext; /* SDM 2, INT n: #SS(EXT) */
        new_cpl = cpl;
    }
    stack_push(cpu, &k, eflags, size, 0);
    stack_push(cpu, &k, cpu->seg[SEG_CS].sel, size, 0);
    stack_push(cpu, &k, ret_eip, size, 0);
    if (has_err)
        stack_push(cpu, &k, (uint32_t)err, size, 0);

    /* Everything is checked and pushed: commit (the accessed bits first,
     * they are stores that may fault). */
    desc_set_accessed(cpu, &cs, 0);
    if (new_cpl != cpl) {
        desc_set_accessed(cpu, &ssd, 0);
        seg_fill(&cpu->seg[SEG_SS], new_ss, &ssd);
        cpu->regs[R_ESP] = 0;
    }
    stack_commit(cpu, &k);
    if (from_vm86) {
        seg_set_null(&cpu->seg[SEG_ES], 0);
        seg_set_null(&cpu->seg[SEG_DS], 0);
        seg_set_null(&cpu->seg[SEG_FS], 0);
        seg_set_null(&cpu->seg[SEG_GS], 0);
    }
    /* SDM 3A 6.12.1.2: TF, VM, RF, NT are cleared; an interrupt gate
     * also clears IF, a trap gate leaves it. */
    uint32_t clear = EFLAGS_TF | EFLAGS_VM | EFLAGS_RF | EFLAGS_NT;
    if (!(type & 1))
        clear |= EFLAGS_IF;
    cpu_set_eflags(cpu, 0, clear);
    load_cs(cpu, sel, &cs, new_cpl, 0);
    cpu->eip = offset;
}

void do_interrupt(struct cpu *cpu, int vec, bool is_int, int err, bool has_err,
                  uint32_t next_eip)
{
    uint32_t ret_eip = is_int ? next_eip : (uint32_t)cpu->eip;
    if (log_enabled(LOG_INT))
        log_interrupt(cpu, vec, is_int, err, has_err, next_eip);
    if (cpu->cr[0] & CR0_PE)
        interrupt_prot(cpu, vec, is_int, err, has_err, ret_eip);
    else
        interrupt_real(cpu, vec, ret_eip);
    /* SDM 3A 17.2.4: the debug handler is entered with DR7.GD clear, so
     * that it may use the debug registers itself. */
    if (vec == EXCP_DB && !is_int)
        cpu->dr[7] &= ~DR7_GD;
    cpu->halted = 0;
}
