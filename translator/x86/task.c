/*
 * task.c - hardware task switches (SDM 3A 7.3): JMP or CALL to a TSS or a
 * task gate, an interrupt or exception through a task gate, and IRET with
 * EFLAGS.NT back to the previous task. The old task's state is saved in its
 * TSS, the new task's is loaded from its TSS, busy bits, NT and the
 * previous-task link are maintained as the manual's steps say.
 *
 * Faults found before the switch are raised in the old task (ra restores
 * its state); faults while loading the new task's segments are raised
 * after the switch, in the new task's context, as on hardware.
 */
#include <stdbool.h>
#include <stdint.h>

#include "base/util.h"
#include "translator/x86/cpu_access.h"
#include "translator/x86/cpu.h"
#include "translator/x86/seg_internal.h"

/*
 * TSS layouts (SDM 3A figures 7-2 and 7-11), byte offsets:
 *   32-bit: link 0x00, CR3 0x1c, EIP 0x20, EFLAGS 0x24, EAX..EDI 0x28-0x44,
 *           ES CS SS DS FS GS 0x48-0x5c (every 4), LDT 0x60; limit >= 0x67
 *   16-bit: link 0x00, IP 0x0e, FLAGS 0x10, AX..DI 0x12-0x20,
 *           ES CS SS DS 0x22-0x28 (every 2), LDT 0x2a; limit >= 0x2b
 */
struct tss_layout {
    uint32_t eip, eflags, regs, segs, ldt, min_limit;
    unsigned width; /* bytes of a register field */
    unsigned seg_step;
    int n_segs; /* ES, CS, SS, DS (16-bit); also FS, GS (32-bit) */
};

static const struct tss_layout tss32_layout = {
    0x20, 0x24, 0x28, 0x48, 0x60, 0x67, 4, 4, 6,
};
static const struct tss_layout tss16_layout = {
    0x0e, 0x10, 0x12, 0x22, 0x2a, 0x2b, 2, 2, 4,
};

#define TSS32_CR3 0x1c
#define TSS32_TRAP 0x64 /* bit 0: T, debug trap on entry */

static const struct tss_layout *tss_layout_of(int type)
{
    return (type & 8) ? &tss32_layout : &tss16_layout;
}

struct task_state {
    uint32_t eip, eflags, cr3;
    uint32_t regs[8];
    uint32_t segs[SEG_COUNT];
    uint32_t ldt;
    bool trap;
};

static uint32_t tss_ld(struct cpu *cpu, uint32_t addr, unsigned size,
                       uintptr_t ra)
{
    return (uint32_t)cpu_ld(cpu, addr, size, 0, ra);
}

static void tss_st(struct cpu *cpu, uint32_t addr, uint32_t v, unsigned size,
                   uintptr_t ra)
{
    cpu_st(cpu, addr, v, size, 0, ra);
}

/* Flip the busy bit of the TSS descriptor of sel in the GDT. */
static void tss_set_busy(struct cpu *cpu, uint32_t sel, bool busy, uintptr_t ra)
{
    uint32_t addr = cpu->gdt.base + (sel & 0xfff8u) + 5;
    uint32_t b = tss_ld(cpu, addr, 1, ra);
    b = busy ? b | SYS_TSS_BUSY_BIT : b & ~(uint32_t)SYS_TSS_BUSY_BIT;
    tss_st(cpu, addr, b, 1, ra);
}

/* A segment register of the new task (SDM 3A 7.3 step 13, and the #TS
 * conditions listed under interrupt 10 in SDM 3A 6.15). */
static void task_load_seg(struct cpu *cpu, int seg, uint32_t sel, int cpl)
{
    struct desc d;
    int rpl = (int)(sel & 3);
    if ((sel & 0xfffc) == 0) {
        if (seg == SEG_CS || seg == SEG_SS)
            seg_fault(cpu, EXCP_TS, sel & 0xfffc, 0);
        seg_set_null(&cpu->seg[seg], sel);
        return;
    }
    if (!desc_fetch(cpu, sel, &d, 0) || !(d.hi & D_S))
        seg_fault(cpu, EXCP_TS, sel & 0xfffc, 0);
    uint32_t type = D_TYPE(d.hi);
    int dpl = D_DPL(d.hi);
    switch (seg) {
    case SEG_CS:
        if (!(type & T_CODE) || ((type & T_CONFORM) ? dpl > rpl : dpl != rpl))
            seg_fault(cpu, EXCP_TS, sel & 0xfffc, 0);
        if (!(d.hi & D_P))
            seg_fault(cpu, EXCP_NP, sel & 0xfffc, 0);
        break;
    case SEG_SS:
        if ((type & T_CODE) || !(type & T_WRITABLE) || rpl != cpl || dpl != cpl)
            seg_fault(cpu, EXCP_TS, sel & 0xfffc, 0);
        if (!(d.hi & D_P))
            seg_fault(cpu, EXCP_SS, sel & 0xfffc, 0);
        break;
    default:
        if ((type & (T_CODE | T_READABLE)) == T_CODE)
            seg_fault(cpu, EXCP_TS, sel & 0xfffc, 0);
        if ((type & (T_CODE | T_CONFORM)) != (T_CODE | T_CONFORM) &&
            (dpl < cpl || dpl < rpl))
            seg_fault(cpu, EXCP_TS, sel & 0xfffc, 0);
        if (!(d.hi & D_P))
            seg_fault(cpu, EXCP_NP, sel & 0xfffc, 0);
        break;
    }
    desc_set_accessed(cpu, &d, 0);
    seg_fill(&cpu->seg[seg], sel, &d);
}

static void task_load_ldt(struct cpu *cpu, uint32_t sel)
{
    struct desc d;
    if ((sel & 0xfffc) == 0) {
        cpu->ldt = (struct segment){ .sel = (uint16_t)sel };
        return;
    }
    if ((sel & 4) || !desc_fetch(cpu, sel, &d, 0) || (d.hi & D_S) ||
        D_TYPE(d.hi) != SYS_LDT || !(d.hi & D_P))
        seg_fault(cpu, EXCP_TS, sel & 0xfffc, 0);
    seg_fill(&cpu->ldt, sel, &d);
}

void task_switch(struct cpu *cpu, uint32_t sel, struct desc *d,
                 enum task_source src, uint32_t ret_eip, bool has_err, int err,
                 uintptr_t ra)
{
    int type = (int)D_TYPE(d->hi);
    const struct tss_layout *nl = tss_layout_of(type);
    uint32_t nbase = desc_base(d);
    bool busy = (type & SYS_TSS_BUSY_BIT) != 0;

    if (log_enabled(LOG_INT))
        log_printf("task switch (%s) from TSS %04x to TSS %04x\n",
                   src == TASK_JMP    ? "jmp"
                   : src == TASK_CALL ? "call"
                   : src == TASK_IRET ? "iret"
                                      : "int",
                   cpu->tr.sel, sel);

    /* Steps 3-4: the new TSS is present, large enough, and busy only for
     * a return by IRET. */
    if (!(d->hi & D_P))
        seg_fault(cpu, EXCP_NP, sel & 0xfffc, ra);
    if (desc_limit(d) < nl->min_limit)
        seg_fault(cpu, EXCP_TS, sel & 0xfffc, ra);
    if (src == TASK_IRET ? !busy : busy)
        seg_fault(cpu, src == TASK_IRET ? EXCP_TS : EXCP_GP, sel & 0xfffc, ra);
    const struct tss_layout *ol = tss_layout_of(SEG_ATTR_TYPE(cpu->tr.attr));
    uint32_t obase = cpu->tr.base;
    if (cpu->tr.limit < ol->min_limit)
        seg_fault(cpu, EXCP_TS, cpu->tr.sel & 0xfffc, ra);

    /* Read the new task's state before changing anything. */
    struct task_state ns = { 0 };
    ns.eip = tss_ld(cpu, nbase + nl->eip, nl->width, ra);
    ns.eflags = tss_ld(cpu, nbase + nl->eflags, nl->width, ra);
    for (int i = 0; i < 8; i++) {
        ns.regs[i] = tss_ld(cpu, nbase + nl->regs + (uint32_t)i * nl->width,
                            nl->width, ra);
        if (nl->width == 2) /* a 16-bit task keeps the upper halves */
            ns.regs[i] |= (uint32_t)cpu->regs[i] & 0xffff0000u;
    }
    for (int i = 0; i < nl->n_segs; i++)
        ns.segs[i] =
            tss_ld(cpu, nbase + nl->segs + (uint32_t)i * nl->seg_step, 2, ra);
    ns.ldt = tss_ld(cpu, nbase + nl->ldt, 2, ra);
    if (nl->width == 4)
        ns.cr3 = tss_ld(cpu, nbase + TSS32_CR3, 4, ra);
    if (nl->width == 4)
        ns.trap = tss_ld(cpu, nbase + TSS32_TRAP, 2, ra) & 1;

    /* Steps 6-9: save the old task (IRET clears NT in the saved image),
     * release its busy bit for JMP/IRET, link back for CALL/INT. */
    uint32_t old_eflags = cpu_get_eflags(cpu);
    if (src == TASK_IRET)
        old_eflags &= ~EFLAGS_NT;
    tss_st(cpu, obase + ol->eip, ret_eip, ol->width, ra);
    tss_st(cpu, obase + ol->eflags, old_eflags, ol->width, ra);
    for (int i = 0; i < 8; i++)
        tss_st(cpu, obase + ol->regs + (uint32_t)i * ol->width,
               (uint32_t)cpu->regs[i], ol->width, ra);
    for (int i = 0; i < ol->n_segs; i++)
        tss_st(cpu, obase + ol->segs + (uint32_t)i * ol->seg_step,
               cpu->seg[i].sel, 2, ra);
    if (src == TASK_JMP || src == TASK_IRET)
        tss_set_busy(cpu, cpu->tr.sel, false, ra);
    if (src == TASK_CALL || src == TASK_INT) {
        tss_st(cpu, nbase, cpu->tr.sel, 2, ra);
        ns.eflags |= EFLAGS_NT;
    }
    if (src != TASK_IRET) {
        tss_set_busy(cpu, sel, true, ra);
        d->hi |= SYS_TSS_BUSY_BIT << 8;
    }

    /* Steps 10-12: the switch itself. From here on faults belong to the
     * new task. */
    seg_fill(&cpu->tr, sel, d);
    cpu->cr[0] |= CR0_TS;
    if (nl->width == 4 && (cpu->cr[0] & CR0_PG))
        cpu_paging_set_cr(cpu, cpu->cr[0], ns.cr3, cpu->cr[4], true, ra);
    for (int i = 0; i < 8; i++)
        cpu->regs[i] = ns.regs[i];
    cpu->eip = ns.eip;
    if (nl->width == 2)
        ns.eflags &= 0xffff;
    cpu_set_eflags(cpu, ns.eflags, 0xffffffffu);
    /* Selectors first, with empty caches, so a fault below shows the new
     * task's selectors (SDM 3A 7.3, step 13). */
    for (int i = 0; i < SEG_COUNT; i++)
        seg_set_null(&cpu->seg[i], ns.segs[i]);

    task_load_ldt(cpu, ns.ldt);
    if (ns.eflags & EFLAGS_VM) {
        for (int i = 0; i < SEG_COUNT; i++)
            cpu_load_seg_real(cpu, i, (uint16_t)ns.segs[i]);
    } else {
        int cpl = (int)(ns.segs[SEG_CS] & 3);
        /* CS first: it sets the CPL the other checks use. */
        task_load_seg(cpu, SEG_CS, ns.segs[SEG_CS], cpl);
        cpu_update_hflags(cpu);
        task_load_seg(cpu, SEG_SS, ns.segs[SEG_SS], cpl);
        task_load_seg(cpu, SEG_ES, ns.segs[SEG_ES], cpl);
        task_load_seg(cpu, SEG_DS, ns.segs[SEG_DS], cpl);
        task_load_seg(cpu, SEG_FS, ns.segs[SEG_FS], cpl);
        task_load_seg(cpu, SEG_GS, ns.segs[SEG_GS], cpl);
    }
    cpu_update_hflags(cpu);

    /* An exception with an error code pushes it on the new task's stack. */
    if (src == TASK_INT && has_err) {
        unsigned size = nl->width;
        uint32_t mask = (cpu->hflags & HF_SS32) ? 0xffffffffu : 0xffffu;
        uint32_t esp = (uint32_t)cpu->regs[R_ESP] - size;
        cpu_st(cpu, cpu->seg[SEG_SS].base + (esp & mask), (uint32_t)err, size,
               cpu_mmu_index(cpu), 0);
        cpu->regs[R_ESP] = ((uint32_t)cpu->regs[R_ESP] & ~mask) | (esp & mask);
    }
    if (cpu->eip > cpu->seg[SEG_CS].limit)
        seg_fault(cpu, EXCP_GP, 0, 0);
    /* SDM 3A 17.3.1.5: a TSS with T set raises a debug trap once the
     * switch completes, before the new task's first instruction. */
    if (ns.trap) {
        cpu->dr[6] |= DR6_BT;
        /* Any event that led here has been delivered: the trap is not a
         * fault during its delivery (no #DF / triple fault pairing). */
        cpu->fault_depth = 0;
        raise_exception(cpu, EXCP_DB, 0);
    }
}
