/*
 * seg.c - segmentation: descriptor fetch and checks, segment register
 * loads, far JMP/CALL/RET and IRET (SDM 3A chapters 3 and 5; SDM 2
 * pseudocode of each instruction). Interrupt delivery is in interrupt.c.
 *
 * Helpers validate everything before changing any state, so a fault in the
 * middle (a bad selector, a #PF on the stack) leaves the guest exactly as
 * before the instruction. Privilege changes through call gates, interrupt
 * gates and far returns are done with the stack switch through the TSS;
 * task switches (task gates, TSS selectors, IRET with NT) are in task.c.
 */
#include <stdbool.h>
#include <stdint.h>

#include "base/util.h"
#include "translator/x86/cpu_access.h"
#include "translator/x86/cpu.h"
#include "translator/x86/helpers.h"
#include "translator/x86/seg_internal.h"
#include "translator/x86/sys.h"
#include "translator/tb.h"

static int cur_cpl(const struct cpu *cpu)
{
    return (int)(cpu->hflags & HF_CPL_MASK);
}

static bool prot_mode(const struct cpu *cpu)
{
    return (cpu->cr[0] & CR0_PE) && !(cpu->eflags & EFLAGS_VM);
}

static int mmu_for_cpl(int cpl) { return cpl == 3 ? 1 : 0; }

_Noreturn void seg_fault(struct cpu *cpu, int vec, uint32_t err, uintptr_t ra)
{
    raise_exception_err(cpu, vec, (int)(err & 0xffff), ra);
}

bool desc_fetch(struct cpu *cpu, uint32_t sel, struct desc *d, uintptr_t ra)
{
    uint32_t base, limit;
    if (sel & 4) {
        if (!(cpu->ldt.attr & SEG_ATTR_P))
            return false;
        base = cpu->ldt.base;
        limit = cpu->ldt.limit;
    } else {
        base = cpu->gdt.base;
        limit = cpu->gdt.limit;
    }
    uint32_t index = sel & 0xfff8u;
    if (index + 7 > limit)
        return false;
    d->addr = base + index;
    d->lo = (uint32_t)cpu_ld(cpu, d->addr, 4, 0, ra);
    d->hi = (uint32_t)cpu_ld(cpu, d->addr + 4, 4, 0, ra);
    return true;
}

/* SDM 3A 3.4.5.1: the processor sets the accessed bit on a load. */
void desc_set_accessed(struct cpu *cpu, struct desc *d, uintptr_t ra)
{
    if (!(d->hi & (T_ACCESSED << 8))) {
        d->hi |= T_ACCESSED << 8;
        cpu_st(cpu, d->addr + 5, (d->hi >> 8) & 0xff, 1, 0, ra);
    }
}

void seg_fill(struct segment *s, uint32_t sel, const struct desc *d)
{
    s->sel = (uint16_t)sel;
    s->base = desc_base(d);
    s->limit = desc_limit(d);
    s->attr = (uint16_t)((d->hi >> 8) & 0xf0ff);
}

void seg_set_null(struct segment *s, uint32_t sel)
{
    s->sel = (uint16_t)sel;
    s->base = 0;
    s->limit = 0;
    s->attr = 0;
}

/* ---- segment register loads ---- */

static void load_seg_prot(struct cpu *cpu, int seg, uint32_t sel, uintptr_t ra)
{
    int cpl = cur_cpl(cpu), rpl = (int)(sel & 3);
    struct desc d;

    if ((sel & 0xfffc) == 0) {
        /* SDM 2, MOV: a null selector in SS is #GP(0); in DS, ES, FS, GS
         * it loads, and a later use of the register faults. */
        if (seg == SEG_SS)
            seg_fault(cpu, EXCP_GP, 0, ra);
        seg_set_null(&cpu->seg[seg], sel);
        cpu_update_hflags(cpu);
        return;
    }
    if (!desc_fetch(cpu, sel, &d, ra))
        seg_fault(cpu, EXCP_GP, sel & 0xfffc, ra);
    uint32_t type = D_TYPE(d.hi);
    int dpl = D_DPL(d.hi);
    if (!(d.hi & D_S))
        seg_fault(cpu, EXCP_GP, sel & 0xfffc, ra);
    if (seg == SEG_SS) {
        /* A writable data segment at exactly CPL. */
        if (rpl != cpl || (type & T_CODE) || !(type & T_WRITABLE) || dpl != cpl)
            seg_fault(cpu, EXCP_GP, sel & 0xfffc, ra);
        if (!(d.hi & D_P))
            seg_fault(cpu, EXCP_SS, sel & 0xfffc, ra);
    } else {
        /* Data, or readable code; privilege checked unless conforming. */
        if ((type & (T_CODE | T_READABLE)) == T_CODE)
            seg_fault(cpu, EXCP_GP, sel & 0xfffc, ra);
        if ((type & (T_CODE | T_CONFORM)) != (T_CODE | T_CONFORM) &&
            (rpl > dpl || cpl > dpl))
            seg_fault(cpu, EXCP_GP, sel & 0xfffc, ra);
        if (!(d.hi & D_P))
            seg_fault(cpu, EXCP_NP, sel & 0xfffc, ra);
    }
    desc_set_accessed(cpu, &d, ra);
    seg_fill(&cpu->seg[seg], sel, &d);
    cpu_update_hflags(cpu);
}

void helper_load_seg(struct cpu *cpu, uint32_t seg, uint32_t sel)
{
    uintptr_t ra = GETPC();
    J_ASSERT(seg < SEG_COUNT);
    sel &= 0xffff;
    if (!prot_mode(cpu)) {
        cpu_load_seg_real(cpu, (int)seg, (uint16_t)sel);
        return;
    }
    /* CS changes only through far transfers (MOV CS is #UD). */
    J_ASSERT(seg != SEG_CS);
    load_seg_prot(cpu, (int)seg, sel, ra);
}

/* A cached block whose CS limit check failed at its entry (translate.c,
 * gen_cs_limit_entry): run from its first instruction in one-instruction
 * one-shot blocks, translated with the limit of now. */
void helper_cs_limit_stale(struct cpu *cpu)
{
    cpu_restore_state(cpu, GETPC());
    cpu->next_tb_cflags = 1 | CF_NOCACHE;
    cpu_loop_exit(cpu);
}

/* Load CS from a checked code descriptor, at privilege level cpl. */
void load_cs(struct cpu *cpu, uint32_t sel, struct desc *d, int cpl,
             uintptr_t ra)
{
    desc_set_accessed(cpu, d, ra);
    seg_fill(&cpu->seg[SEG_CS], (sel & 0xfffc) | (uint32_t)cpl, d);
    cpu_update_hflags(cpu);
}

/* ---- the stack, with the SS size rules (SDM 1 6.2.3) ---- */

/* Valid offsets of a data segment: [0, limit] expanding up, (limit, 64 KiB
 * or 4 GiB) expanding down (SDM 3A 3.4.5.1). */
static void stack_set_limits(struct stack *k, uint32_t limit, uint32_t type,
                             bool big)
{
    bool expdown = !(type & T_CODE) && (type & T_EXPDOWN);
    k->lo = expdown ? limit + 1 : 0;
    k->hi = expdown ? (big ? 0xffffffffu : 0xffffu) : limit;
}

void stack_cur(struct cpu *cpu, struct stack *k)
{
    const struct segment *ss = &cpu->seg[SEG_SS];
    k->base = ss->base;
    k->sp = (uint32_t)cpu->regs[R_ESP];
    k->mask = (cpu->hflags & HF_SS32) ? 0xffffffffu : 0xffffu;
    k->mmu = cpu_mmu_index(cpu);
    /* Every mode checks the limit (real mode the cached one, which an
     * "unreal" SS may have set: SDM 3A 20.1.1; SDM 2 INT n, Real-Address
     * Mode Exceptions: "#SS If pushing the return address, flags, or error
     * code onto the stack exceeds the bounds of the stack segment"); SP
     * wraps at 64 KiB on a 16-bit stack first, by the mask. */
    k->check = true;
    k->err = 0;
    stack_set_limits(k, ss->limit, SEG_ATTR_TYPE(ss->attr),
                     (ss->attr & SEG_ATTR_DB) != 0);
}

static void stack_check(struct cpu *cpu, const struct stack *k, unsigned size,
                        uintptr_t ra)
{
    if (!k->check)
        return;
    uint32_t off = k->sp & k->mask, end = off + size - 1;
    if (end < off || off < k->lo || end > k->hi)
        seg_fault(cpu, EXCP_SS, k->err, ra);
}

void stack_push(struct cpu *cpu, struct stack *k, uint32_t v, unsigned size,
                uintptr_t ra)
{
    k->sp -= size;
    stack_check(cpu, k, size, ra);
    cpu_st(cpu, k->base + (k->sp & k->mask), v, size, k->mmu, ra);
}

uint32_t stack_pop(struct cpu *cpu, struct stack *k, unsigned size,
                   uintptr_t ra)
{
    stack_check(cpu, k, size, ra);
    uint32_t v =
        (uint32_t)cpu_ld(cpu, k->base + (k->sp & k->mask), size, k->mmu, ra);
    k->sp += size;
    return v;
}

/* Write back ESP; a 16-bit stack keeps ESP's upper half. */
void stack_commit(struct cpu *cpu, const struct stack *k)
{
    uint32_t esp = (uint32_t)cpu->regs[R_ESP];
    cpu->regs[R_ESP] = (esp & ~k->mask) | (k->sp & k->mask);
}

static bool opsize32(uint32_t opsize) { return opsize == 4 || opsize == 32; }

/* ---- privilege-level changes: the TSS stacks and their checks ---- */

/* SS:ESP for privilege level dpl from the current TSS (SDM 3A 7.2.1 and
 * 7.6: 32-bit TSS at 4 + 8*dpl, 16-bit TSS at 2 + 4*dpl). */
void tss_stack(struct cpu *cpu, int dpl, uint32_t *ss, uint32_t *esp, int ext,
               uintptr_t ra)
{
    int type = SEG_ATTR_TYPE(cpu->tr.attr);
    bool tss32 = (type & 8) != 0;
    uint32_t off = tss32 ? 4 + 8 * (uint32_t)dpl : 2 + 4 * (uint32_t)dpl;
    uint32_t len = tss32 ? 8 : 4;
    if (!(cpu->tr.attr & SEG_ATTR_P) || off + len - 1 > cpu->tr.limit)
        seg_fault(cpu, EXCP_TS, (cpu->tr.sel & 0xfffc) | ext, ra);
    if (tss32) {
        *esp = (uint32_t)cpu_ld(cpu, cpu->tr.base + off, 4, 0, ra);
        *ss = (uint32_t)cpu_ld(cpu, cpu->tr.base + off + 4, 2, 0, ra);
    } else {
        *esp = (uint32_t)cpu_ld(cpu, cpu->tr.base + off, 2, 0, ra);
        *ss = (uint32_t)cpu_ld(cpu, cpu->tr.base + off + 2, 2, 0, ra);
    }
}

/* Check the inner stack segment from the TSS (SDM 2, CALL and INT:
 * #TS for a bad selector or descriptor, #SS when not present). */
void check_inner_ss(struct cpu *cpu, uint32_t ss, int dpl, struct desc *d,
                    int ext, uintptr_t ra)
{
    if ((ss & 0xfffc) == 0)
        seg_fault(cpu, EXCP_TS, (uint32_t)ext, ra);
    if (!desc_fetch(cpu, ss, d, ra))
        seg_fault(cpu, EXCP_TS, (ss & 0xfffc) | ext, ra);
    uint32_t type = D_TYPE(d->hi);
    if ((int)(ss & 3) != dpl || D_DPL(d->hi) != dpl || !(d->hi & D_S) ||
        (type & T_CODE) || !(type & T_WRITABLE))
        seg_fault(cpu, EXCP_TS, (ss & 0xfffc) | ext, ra);
    if (!(d->hi & D_P))
        seg_fault(cpu, EXCP_SS, (ss & 0xfffc) | ext, ra);
}

/* Check the outer stack segment popped by RET/IRET (SDM 2, RET). */
static void check_outer_ss(struct cpu *cpu, uint32_t ss, int rpl,
                           struct desc *d, uintptr_t ra)
{
    if ((ss & 0xfffc) == 0)
        seg_fault(cpu, EXCP_GP, 0, ra);
    if (!desc_fetch(cpu, ss, d, ra))
        seg_fault(cpu, EXCP_GP, ss & 0xfffc, ra);
    uint32_t type = D_TYPE(d->hi);
    if ((int)(ss & 3) != rpl || D_DPL(d->hi) != rpl || !(d->hi & D_S) ||
        (type & T_CODE) || !(type & T_WRITABLE))
        seg_fault(cpu, EXCP_GP, ss & 0xfffc, ra);
    if (!(d->hi & D_P))
        seg_fault(cpu, EXCP_SS, ss & 0xfffc, ra);
}

struct stack stack_of(uint32_t base, uint32_t sp, const struct desc *d, int cpl,
                      uint32_t err)
{
    bool big = (d->hi & (SEG_ATTR_DB << 8)) != 0;
    struct stack k = {
        .base = base,
        .sp = sp,
        .mask = big ? 0xffffffffu : 0xffffu,
        .mmu = mmu_for_cpl(cpl),
        .check = true,
        .err = err & 0xffff,
    };
    stack_set_limits(&k, desc_limit(d), D_TYPE(d->hi), big);
    return k;
}

/* After a return to an outer level, data segment registers the new CPL
 * may not use become null (SDM 2, RET: "FOR each of ES, FS, GS, DS"). */
static void invalidate_inner_segs(struct cpu *cpu, int cpl)
{
    static const int segs[4] = { SEG_ES, SEG_DS, SEG_FS, SEG_GS };
    for (int i = 0; i < 4; i++) {
        struct segment *s = &cpu->seg[segs[i]];
        uint32_t type = SEG_ATTR_TYPE(s->attr);
        bool data_or_nc = !(type & T_CODE) || !(type & T_CONFORM);
        if ((s->sel & 0xfffc) == 0 ||
            (data_or_nc && (int)SEG_ATTR_DPL(s->attr) < cpl))
            seg_set_null(s, 0);
    }
}

/* Real and virtual-8086 mode far transfers keep CS's cached limit
 * (64 KiB after reset): a 32-bit offset beyond it is #GP(0). */
static void real_check_eip(struct cpu *cpu, uint32_t eip, uintptr_t ra)
{
    if (eip > cpu->seg[SEG_CS].limit)
        seg_fault(cpu, EXCP_GP, 0, ra);
}

/* ---- far JMP and CALL ---- */

/* The checks of SDM 2 JMP/CALL for a direct code segment target. */
static void check_direct_code(struct cpu *cpu, uint32_t sel,
                              const struct desc *d, uintptr_t ra)
{
    int cpl = cur_cpl(cpu), dpl = D_DPL(d->hi), rpl = (int)(sel & 3);
    if (desc_is_conforming(d)) {
        if (dpl > cpl)
            seg_fault(cpu, EXCP_GP, sel & 0xfffc, ra);
    } else if (rpl > cpl || dpl != cpl) {
        seg_fault(cpu, EXCP_GP, sel & 0xfffc, ra);
    }
    if (!(d->hi & D_P))
        seg_fault(cpu, EXCP_NP, sel & 0xfffc, ra);
}

/* A call gate: checks of the gate and of its target code segment. */
struct gate_target {
    uint32_t sel, offset;
    struct desc cs;
    bool gate32;
    int params;
};

static void check_call_gate(struct cpu *cpu, uint32_t sel, const struct desc *g,
                            struct gate_target *t, uintptr_t ra)
{
    int cpl = cur_cpl(cpu), rpl = (int)(sel & 3);
    if (D_DPL(g->hi) < cpl || D_DPL(g->hi) < rpl)
        seg_fault(cpu, EXCP_GP, sel & 0xfffc, ra);
    if (!(g->hi & D_P))
        seg_fault(cpu, EXCP_NP, sel & 0xfffc, ra);
    t->gate32 = D_TYPE(g->hi) == SYS_CALL32;
    t->sel = g->lo >> 16;
    t->offset = (g->lo & 0xffff) | (t->gate32 ? (g->hi & 0xffff0000u) : 0);
    t->params = (int)(g->hi & 0x1f);
    if ((t->sel & 0xfffc) == 0)
        seg_fault(cpu, EXCP_GP, 0, ra);
    if (!desc_fetch(cpu, t->sel, &t->cs, ra) || !desc_is_code(&t->cs) ||
        D_DPL(t->cs.hi) > cpl)
        seg_fault(cpu, EXCP_GP, t->sel & 0xfffc, ra);
    if (!(t->cs.hi & D_P))
        seg_fault(cpu, EXCP_NP, t->sel & 0xfffc, ra);
}

/* JMP/CALL to a TSS descriptor or through a task gate (SDM 2, JMP and
 * CALL: TASK-GATE and TASK-STATE-SEGMENT). */
static void far_task_switch(struct cpu *cpu, uint32_t sel, struct desc *d,
                            enum task_source src, uint32_t next_eip,
                            uintptr_t ra)
{
    int cpl = cur_cpl(cpu), rpl = (int)(sel & 3);
    if (D_DPL(d->hi) < cpl || D_DPL(d->hi) < rpl)
        seg_fault(cpu, EXCP_GP, sel & 0xfffc, ra);
    if (D_TYPE(d->hi) == SYS_TASK) {
        if (!(d->hi & D_P))
            seg_fault(cpu, EXCP_NP, sel & 0xfffc, ra);
        sel = d->lo >> 16;
        if ((sel & 4) || !desc_fetch(cpu, sel, d, ra) || (d->hi & D_S))
            seg_fault(cpu, EXCP_GP, sel & 0xfffc, ra);
    }
    /* An available TSS; task_switch checks presence and limit. */
    if (D_TYPE(d->hi) != SYS_TSS16 && D_TYPE(d->hi) != SYS_TSS32)
        seg_fault(cpu, EXCP_GP, sel & 0xfffc, ra);
    task_switch(cpu, sel, d, src, next_eip, false, 0, ra);
}

void helper_ljmp(struct cpu *cpu, uint32_t sel, uint32_t offset,
                 uint32_t next_eip)
{
    uintptr_t ra = GETPC();
    struct desc d;
    int cpl = cur_cpl(cpu);
    sel &= 0xffff;

    if (!prot_mode(cpu)) {
        real_check_eip(cpu, offset, ra);
        cpu->eip = offset;
        cpu_load_seg_real(cpu, SEG_CS, (uint16_t)sel);
        return;
    }
    if ((sel & 0xfffc) == 0)
        seg_fault(cpu, EXCP_GP, 0, ra);
    if (!desc_fetch(cpu, sel, &d, ra))
        seg_fault(cpu, EXCP_GP, sel & 0xfffc, ra);

    if (d.hi & D_S) {
        if (!desc_is_code(&d))
            seg_fault(cpu, EXCP_GP, sel & 0xfffc, ra);
        check_direct_code(cpu, sel, &d, ra);
        if (offset > desc_limit(&d))
            seg_fault(cpu, EXCP_GP, 0, ra);
        load_cs(cpu, sel, &d, cpl, ra);
        cpu->eip = offset;
        return;
    }
    switch (D_TYPE(d.hi)) {
    case SYS_CALL16:
    case SYS_CALL32: {
        struct gate_target t;
        check_call_gate(cpu, sel, &d, &t, ra);
        /* JMP never changes privilege: the target must be at CPL
         * (non-conforming) or at or above it (conforming). */
        if (!desc_is_conforming(&t.cs) && D_DPL(t.cs.hi) != cpl)
            seg_fault(cpu, EXCP_GP, t.sel & 0xfffc, ra);
        if (t.offset > desc_limit(&t.cs))
            seg_fault(cpu, EXCP_GP, 0, ra);
        load_cs(cpu, t.sel, &t.cs, cpl, ra);
        cpu->eip = t.offset;
        return;
    }
    case SYS_TSS16:
    case SYS_TSS32:
    case SYS_TASK:
        far_task_switch(cpu, sel, &d, TASK_JMP, next_eip, ra);
        return;
    default: seg_fault(cpu, EXCP_GP, sel & 0xfffc, ra);
    }
}

/* CALL through a call gate to a more privileged non-conforming segment:
 * switch to the TSS stack of that level, copy the parameters (SDM 3A
 * 5.8.5, figure 5-13). */
static void call_gate_inner(struct cpu *cpu, struct gate_target *t,
                            uint32_t next_eip, uintptr_t ra)
{
    int dpl = D_DPL(t->cs.hi);
    unsigned size = t->gate32 ? 4 : 2;
    uint32_t ss, esp;
    struct desc ssd;

    tss_stack(cpu, dpl, &ss, &esp, 0, ra);
    check_inner_ss(cpu, ss, dpl, &ssd, 0, ra);
    if (t->offset > desc_limit(&t->cs))
        seg_fault(cpu, EXCP_GP, 0, ra);

    struct stack old;
    stack_cur(cpu, &old);
    struct stack k = stack_of(desc_base(&ssd), esp, &ssd, dpl, ss & 0xfffc);
    stack_push(cpu, &k, cpu->seg[SEG_SS].sel, size, ra);
    stack_push(cpu, &k, (uint32_t)cpu->regs[R_ESP], size, ra);
    for (int i = t->params - 1; i >= 0; i--) {
        uint32_t a = old.base + ((old.sp + (uint32_t)i * size) & old.mask);
        uint32_t v = (uint32_t)cpu_ld(cpu, a, size, old.mmu, ra);
        stack_push(cpu, &k, v, size, ra);
    }
    stack_push(cpu, &k, cpu->seg[SEG_CS].sel, size, ra);
    stack_push(cpu, &k, next_eip, size, ra);

    /* Accessed bits first: they are stores that may fault. */
    desc_set_accessed(cpu, &ssd, ra);
    desc_set_accessed(cpu, &t->cs, ra);
    seg_fill(&cpu->seg[SEG_SS], ss, &ssd);
    cpu->regs[R_ESP] = 0;
    stack_commit(cpu, &k);
    load_cs(cpu, t->sel, &t->cs, dpl, ra);
    cpu->eip = t->offset;
}

void helper_lcall(struct cpu *cpu, uint32_t sel, uint32_t offset,
                  uint32_t opsize, uint32_t next_eip)
{
    uintptr_t ra = GETPC();
    unsigned size = opsize32(opsize) ? 4 : 2;
    struct stack k;
    struct desc d;
    int cpl = cur_cpl(cpu);
    sel &= 0xffff;

    if (!prot_mode(cpu)) {
        real_check_eip(cpu, offset, ra);
        stack_cur(cpu, &k);
        stack_push(cpu, &k, cpu->seg[SEG_CS].sel, size, ra);
        stack_push(cpu, &k, next_eip, size, ra);
        stack_commit(cpu, &k);
        cpu->eip = offset;
        cpu_load_seg_real(cpu, SEG_CS, (uint16_t)sel);
        return;
    }
    if ((sel & 0xfffc) == 0)
        seg_fault(cpu, EXCP_GP, 0, ra);
    if (!desc_fetch(cpu, sel, &d, ra))
        seg_fault(cpu, EXCP_GP, sel & 0xfffc, ra);

    if (d.hi & D_S) {
        if (!desc_is_code(&d))
            seg_fault(cpu, EXCP_GP, sel & 0xfffc, ra);
        check_direct_code(cpu, sel, &d, ra);
        if (offset > desc_limit(&d))
            seg_fault(cpu, EXCP_GP, 0, ra);
        stack_cur(cpu, &k);
        stack_push(cpu, &k, cpu->seg[SEG_CS].sel, size, ra);
        stack_push(cpu, &k, next_eip, size, ra);
        desc_set_accessed(cpu, &d, ra);
        stack_commit(cpu, &k);
        load_cs(cpu, sel, &d, cpl, ra);
        cpu->eip = offset;
        return;
    }
    switch (D_TYPE(d.hi)) {
    case SYS_CALL16:
    case SYS_CALL32: {
        struct gate_target t;
        check_call_gate(cpu, sel, &d, &t, ra);
        if (!desc_is_conforming(&t.cs) && D_DPL(t.cs.hi) < cpl) {
            call_gate_inner(cpu, &t, next_eip, ra);
            return;
        }
        /* Same privilege: the gate's size sets the push size. */
        size = t.gate32 ? 4 : 2;
        if (t.offset > desc_limit(&t.cs))
            seg_fault(cpu, EXCP_GP, 0, ra);
        stack_cur(cpu, &k);
        stack_push(cpu, &k, cpu->seg[SEG_CS].sel, size, ra);
        stack_push(cpu, &k, next_eip, size, ra);
        desc_set_accessed(cpu, &t.cs, ra);
        stack_commit(cpu, &k);
        load_cs(cpu, t.sel, &t.cs, cpl, ra);
        cpu->eip = t.offset;
        return;
    }
    case SYS_TSS16:
    case SYS_TSS32:
    case SYS_TASK:
        far_task_switch(cpu, sel, &d, TASK_CALL, next_eip, ra);
        return;
    default: seg_fault(cpu, EXCP_GP, sel & 0xfffc, ra);
    }
}

/* ---- far RET and IRET ---- */

/* The code segment checks of a protected-mode return (SDM 2, RET and
 * IRET): returns the descriptor of the popped CS. */
static void check_return_cs(struct cpu *cpu, uint32_t cs, struct desc *d,
                            uintptr_t ra)
{
    int cpl = cur_cpl(cpu), rpl = (int)(cs & 3);
    if ((cs & 0xfffc) == 0)
        seg_fault(cpu, EXCP_GP, 0, ra);
    if (!desc_fetch(cpu, cs, d, ra) || !desc_is_code(d) || rpl < cpl)
        seg_fault(cpu, EXCP_GP, cs & 0xfffc, ra);
    if (desc_is_conforming(d) ? D_DPL(d->hi) > rpl : D_DPL(d->hi) != rpl)
        seg_fault(cpu, EXCP_GP, cs & 0xfffc, ra);
    if (!(d->hi & D_P))
        seg_fault(cpu, EXCP_NP, cs & 0xfffc, ra);
}

/* Protected-mode return to cs:eip whose frame rest (SS:ESP for an outer
 * level) is at k. imm: bytes of parameters to release (RET imm16). */
static void return_prot(struct cpu *cpu, struct stack *k, uint32_t cs,
                        uint32_t eip, unsigned size, uint32_t imm, uintptr_t ra)
{
    struct desc d;
    int cpl = cur_cpl(cpu), rpl = (int)(cs & 3);
    check_return_cs(cpu, cs, &d, ra);
    if (rpl == cpl) {
        if (eip > desc_limit(&d))
            seg_fault(cpu, EXCP_GP, 0, ra);
        k->sp += imm;
        desc_set_accessed(cpu, &d, ra);
        stack_commit(cpu, k);
        load_cs(cpu, cs, &d, cpl, ra);
        cpu->eip = eip;
        return;
    }
    /* To an outer level: the caller's SS:ESP follow the parameters. */
    k->sp += imm;
    uint32_t esp = stack_pop(cpu, k, size, ra);
    uint32_t ss = stack_pop(cpu, k, size, ra) & 0xffff;
    struct desc ssd;
    check_outer_ss(cpu, ss, rpl, &ssd, ra);
    if (eip > desc_limit(&d))
        seg_fault(cpu, EXCP_GP, 0, ra);

    desc_set_accessed(cpu, &ssd, ra);
    load_cs(cpu, cs, &d, rpl, ra);
    seg_fill(&cpu->seg[SEG_SS], ss, &ssd);
    /* A 16-bit outer stack gets SP only: ESP's upper half keeps the
     * inner value, as on hardware (the reason for Linux's "espfix"). */
    struct stack nk = stack_of(desc_base(&ssd), esp + imm, &ssd, rpl, 0);
    stack_commit(cpu, &nk);
    cpu->eip = eip;
    invalidate_inner_segs(cpu, rpl);
    cpu_update_hflags(cpu);
}

void helper_lret(struct cpu *cpu, uint32_t opsize, uint32_t imm)
{
    uintptr_t ra = GETPC();
    unsigned size = opsize32(opsize) ? 4 : 2;
    struct stack k;
    stack_cur(cpu, &k);
    uint32_t eip = stack_pop(cpu, &k, size, ra);
    uint32_t cs = stack_pop(cpu, &k, size, ra) & 0xffff;

    if (!prot_mode(cpu)) {
        real_check_eip(cpu, eip, ra);
        k.sp += imm;
        stack_commit(cpu, &k);
        cpu->eip = eip;
        cpu_load_seg_real(cpu, SEG_CS, (uint16_t)cs);
        return;
    }
    return_prot(cpu, &k, cs, eip, size, imm, ra);
}

/* The EFLAGS bits an IRET or POPF at privilege level cpl may change (SDM
 * 2, IRET: IF needs CPL <= IOPL, IOPL needs CPL 0; VIF/VIP only with a
 * 32-bit operand and CPL 0). VM is handled by the callers. */
static uint32_t iret_flag_mask(struct cpu *cpu, int cpl, unsigned size)
{
    uint32_t mask = EFLAGS_ARITH | EFLAGS_TF | EFLAGS_DF | EFLAGS_NT |
                    EFLAGS_RF | EFLAGS_AC | EFLAGS_ID;
    int iopl = (int)((cpu->eflags & EFLAGS_IOPL) >> 12);
    if (cpl <= iopl)
        mask |= EFLAGS_IF;
    if (cpl == 0) {
        mask |= EFLAGS_IOPL;
        if (size == 4)
            mask |= EFLAGS_VIF | EFLAGS_VIP;
    }
    return size == 4 ? mask : mask & 0xffff;
}

/* IRET from ring 0 to a virtual-8086 task (SDM 2, IRET
 * RETURN-TO-VIRTUAL-8086-MODE). */
static void iret_to_vm86(struct cpu *cpu, struct stack *k, uint32_t eip,
                         uint32_t cs, uint32_t eflags, uintptr_t ra)
{
    uint32_t esp = stack_pop(cpu, k, 4, ra);
    uint32_t ss = stack_pop(cpu, k, 4, ra) & 0xffff;
    uint32_t es = stack_pop(cpu, k, 4, ra) & 0xffff;
    uint32_t ds = stack_pop(cpu, k, 4, ra) & 0xffff;
    uint32_t fs = stack_pop(cpu, k, 4, ra) & 0xffff;
    uint32_t gs = stack_pop(cpu, k, 4, ra) & 0xffff;

    cpu_set_eflags(cpu, eflags, 0xffffffffu);
    cpu_load_seg_real(cpu, SEG_CS, (uint16_t)cs);
    cpu_load_seg_real(cpu, SEG_SS, (uint16_t)ss);
    cpu_load_seg_real(cpu, SEG_ES, (uint16_t)es);
    cpu_load_seg_real(cpu, SEG_DS, (uint16_t)ds);
    cpu_load_seg_real(cpu, SEG_FS, (uint16_t)fs);
    cpu_load_seg_real(cpu, SEG_GS, (uint16_t)gs);
    cpu->regs[R_ESP] = esp;
    cpu->eip = eip & 0xffff;
    cpu_update_hflags(cpu);
}

void helper_iret(struct cpu *cpu, uint32_t opsize, uint32_t next_eip)
{
    uintptr_t ra = GETPC();
    unsigned size = opsize32(opsize) ? 4 : 2;
    struct stack k;

    /* SDM 3A 6.7.1: NMIs are held off from the delivery of one until the
     * next IRET. */
    cpu->nmi_blocked = false;

    if ((cpu->cr[0] & CR0_PE) && (cpu->eflags & EFLAGS_VM)) {
        /* SDM 2, IRET in virtual-8086 mode: only with IOPL 3, and it
         * cannot change IOPL or leave the mode. */
        if ((cpu->eflags & EFLAGS_IOPL) != EFLAGS_IOPL)
            seg_fault(cpu, EXCP_GP, 0, ra);
    }
    if (!prot_mode(cpu)) {
        stack_cur(cpu, &k);
        uint32_t eip = stack_pop(cpu, &k, size, ra);
        uint32_t cs = stack_pop(cpu, &k, size, ra) & 0xffff;
        uint32_t fl = stack_pop(cpu, &k, size, ra);
        real_check_eip(cpu, eip, ra);
        uint32_t mask = EFLAGS_ARITH | EFLAGS_TF | EFLAGS_IF | EFLAGS_DF |
                        EFLAGS_IOPL | EFLAGS_NT | EFLAGS_RF | EFLAGS_AC |
                        EFLAGS_ID;
        if (cpu->eflags & EFLAGS_VM)
            mask &= ~EFLAGS_IOPL;
        if (size == 2)
            mask &= 0xffff;
        stack_commit(cpu, &k);
        cpu_set_eflags(cpu, fl, mask);
        cpu->eip = size == 2 ? eip & 0xffff : eip;
        cpu_load_seg_real(cpu, SEG_CS, (uint16_t)cs);
        return;
    }

    if (cpu->eflags & EFLAGS_NT) {
        /* Return to the task in the previous-task link (SDM 2, IRET
         * TASK-RETURN): a busy TSS in the GDT, else #TS(link). */
        struct desc d;
        uint32_t link = (uint32_t)cpu_ld(cpu, cpu->tr.base, 2, 0, ra);
        if ((link & 4) || !desc_fetch(cpu, link, &d, ra) || (d.hi & D_S) ||
            (D_TYPE(d.hi) != SYS_TSS16_BUSY && D_TYPE(d.hi) != SYS_TSS32_BUSY))
            seg_fault(cpu, EXCP_TS, link & 0xfffc, ra);
        task_switch(cpu, link, &d, TASK_IRET, next_eip, false, 0, ra);
        return;
    }

    int cpl = cur_cpl(cpu);
    stack_cur(cpu, &k);
    uint32_t eip = stack_pop(cpu, &k, size, ra);
    uint32_t cs = stack_pop(cpu, &k, size, ra) & 0xffff;
    uint32_t fl = stack_pop(cpu, &k, size, ra);
    if (size == 4 && (fl & EFLAGS_VM) && cpl == 0) {
        iret_to_vm86(cpu, &k, eip, cs, fl, ra);
        return;
    }
    uint32_t mask = iret_flag_mask(cpu, cpl, size);
    return_prot(cpu, &k, cs, eip, size, 0, ra);
    cpu_set_eflags(cpu, fl, mask);
}
