/*
 * translate_ctl.c - control transfer (JMP CALL RET Jcc LOOP JCXZ, the far
 * forms, INT/IRET), interrupt flag and HLT, port I/O, and the system
 * instructions, which call the helpers of helpers_sys.def.
 */
#include <stddef.h>

#include "translator/x86/translate_internal.h"

static int opnd_ot(const struct dc *dc, int i)
{
    return size_ot(dc->insn->op[i].size);
}

/* A helper that sets cpu->eip itself (far transfers, INT, IRET) and the
 * end of the block after it. */
static void gen_helper_exit(struct dc *dc, int id, int n, ir_temp a0,
                            ir_temp a1, ir_temp a2, ir_temp a3)
{
    gen_helper(dc, id, IR_TEMP_NONE, n, a0, a1, a2, a3);
    ir_exit_tb(dc->b, TB_EXIT_NOCHAIN);
    dc->end = DC_DONE;
}

static ir_temp gen_mask_eip(struct dc *dc, ir_temp t)
{
    return dc->insn->opsize == 2 ? gen_ext(dc, 1, t, false) : t;
}

/* Reads the far pointer m16:16 / m16:32 of operand i: offset, selector. */
static void gen_far_ptr(struct dc *dc, int i, ir_temp *off, ir_temp *sel)
{
    const struct x86_operand *o = &dc->insn->op[i];
    if (o->kind == OPND_FAR) {
        *off = dc_cst(dc, o->value);
        *sel = dc_cst(dc, o->sel);
        return;
    }
    int ot = gen_opsize_ot(dc);
    ir_temp addr = gen_mem_addr(dc);
    gen_mem_check(dc, (1u << ot) + 2, SEG_ACC_READ);
    *off = gen_ld(dc, ot, addr);
    ir_temp a2 = dc_tmp(dc);
    ir_op2i(dc->b, IR_add, T32, a2, addr, 1u << ot);
    *sel = gen_ld(dc, 1, a2);
}

static void gen_jmp(struct dc *dc)
{
    const struct x86_operand *o = &dc->insn->op[0];
    if (o->kind == OPND_REL) {
        gen_cs_target_check(dc, dc_cst(dc, o->value));
        gen_jmp_direct(dc, o->value, 0);
        dc->end = DC_DONE;
        return;
    }
    ir_temp t = gen_mask_eip(dc, gen_load_opnd(dc, gen_opsize_ot(dc), o));
    gen_cs_target_check(dc, t);
    gen_jmp_indirect(dc, t);
}

/* The target is read and checked against CS.limit before the return
 * address is pushed (SDM 2, CALL), and ESP moves only after the push
 * succeeded. */
static void gen_call(struct dc *dc)
{
    const struct x86_operand *o = &dc->insn->op[0];
    int ot = gen_opsize_ot(dc);
    if (o->kind == OPND_REL) {
        gen_cs_target_check(dc, dc_cst(dc, o->value));
        gen_push(dc, ot, dc_cst(dc, dc->next_pc));
        gen_jmp_direct(dc, o->value, 0);
        dc->end = DC_DONE;
        return;
    }
    ir_temp t = gen_mask_eip(dc, gen_load_opnd(dc, ot, o));
    gen_cs_target_check(dc, t);
    gen_push(dc, ot, dc_cst(dc, dc->next_pc));
    gen_jmp_indirect(dc, t);
}

static void gen_ret(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    int ot = gen_opsize_ot(dc);
    ir_temp nsp;
    ir_temp t = gen_pop_load(dc, ot, &nsp);
    gen_cs_target_check(dc, t);
    if (insn->n_opnds > 0 && insn->op[0].kind == OPND_IMM)
        nsp = gen_sp_add(dc, nsp, (int32_t)(insn->op[0].value & 0xffff));
    gen_set_sp(dc, nsp);
    gen_jmp_indirect(dc, t);
}

static void gen_far(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    ir_temp next = dc_cst(dc, dc->next_pc);
    if (insn->mnem == X86_RETF) {
        uint32_t imm = insn->n_opnds > 0 ? insn->op[0].value & 0xffff : 0;
        gen_helper_exit(dc, HELPER_lret, 2, dc_cst(dc, insn->opsize),
                        dc_cst(dc, imm), 0, 0);
        return;
    }
    if (insn->op[0].kind == OPND_REG) {
        gen_exception(dc, EXCP_UD);
        return;
    }
    ir_temp off, sel;
    gen_far_ptr(dc, 0, &off, &sel);
    if (insn->mnem == X86_JMPF)
        gen_helper_exit(dc, HELPER_ljmp, 3, sel, off, next, 0);
    else
        gen_helper_exit(dc, HELPER_lcall, 4, sel, off,
                        dc_cst(dc, insn->opsize), next);
}

/* Two-way exit: taken -> slot 0, fall-through -> slot 1. check: the
 * taken path checks the target against CS.limit (the caller did not). */
static void gen_branch(struct dc *dc, struct gen_cond c, uint32_t target,
                       bool check)
{
    gen_update_cc_op(dc);
    dc->end = DC_DONE;
    if (c.c == IR_COND_ALWAYS) {
        if (check)
            gen_cs_target_check(dc, dc_cst(dc, target));
        gen_jmp_direct(dc, target, 0);
        return;
    }
    if (c.c == IR_COND_NEVER) {
        gen_jmp_direct(dc, dc->next_pc, 1);
        return;
    }
    int taken = ir_new_label(dc->b);
    ir_brcond(dc->b, T32, c.c, c.a, c.x, taken);
    gen_jmp_direct(dc, dc->next_pc, 1);
    ir_set_label(dc->b, taken);
    /* only a taken branch checks its target (SDM 2, Jcc) */
    if (check)
        gen_cs_target_check(dc, dc_cst(dc, target));
    gen_jmp_direct(dc, target, 0);
}

static void gen_jcc(struct dc *dc)
{
    gen_branch(dc, gen_cc_cond(dc, dc->insn->cc), dc->insn->op[0].value,
               true);
}

/* LOOP LOOPE LOOPNE JCXZ: CX or ECX by the address size. A LOOP whose
 * branch would fault on CS.limit leaves ECX as it was: the check comes
 * before the count is written. */
static void gen_loop(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    struct ir_block *b = dc->b;
    int aot = insn->addrsize == 2 ? 1 : 2;
    ir_temp zero = dc_cst(dc, 0);
    ir_temp cx = gen_get_reg(dc, aot, R_ECX);
    struct gen_cond c;
    if (insn->mnem == X86_JCXZ) {
        c = (struct gen_cond){ IR_COND_EQ, cx, zero };
    } else {
        ir_temp n = dc_tmp(dc);
        ir_op2i(b, IR_sub, T32, n, cx, 1);
        ir_temp nm = gen_ext(dc, aot, n, false);
        if (insn->mnem == X86_LOOP) {
            c = (struct gen_cond){ IR_COND_NE, nm, zero };
        } else {
            struct gen_cond z = gen_cc_cond(dc, insn->mnem == X86_LOOPE ? 4 : 5);
            ir_temp t1 = dc_tmp(dc), t2 = dc_tmp(dc), t = dc_tmp(dc);
            ir_setcond(b, T32, IR_COND_NE, t1, nm, zero);
            ir_setcond(b, T32, z.c, t2, z.a, z.x);
            ir_op2(b, IR_and, T32, t, t1, t2);
            c = (struct gen_cond){ IR_COND_NE, t, zero };
        }
        if (dc->hflags & HF_SEGCHK(SEG_CS)) {
            gen_update_cc_op(dc);
            int taken = ir_new_label(b), join = ir_new_label(b);
            ir_brcond(b, T32, c.c, c.a, c.x, taken);
            ir_br(b, join);
            ir_set_label(b, taken);
            gen_cs_target_check(dc, dc_cst(dc, insn->op[0].value));
            ir_set_label(b, join);
        }
        gen_set_reg(dc, aot, R_ECX, n);
        gen_branch(dc, c, insn->op[0].value, false);
        return;
    }
    gen_branch(dc, c, insn->op[0].value, true);
}

static void gen_int(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    ir_temp next = dc_cst(dc, dc->next_pc);
    switch (insn->mnem) {
    case X86_INT:
        /* SDM 2, INT n: in virtual-8086 mode (without VME) only with
         * IOPL 3, else #GP(0) to the monitor. INT3 (CC) and INTO are not
         * IOPL-sensitive; they go through the gate like INT n. */
        if (dc->vm && dc->iopl < 3) {
            gen_exception_err(dc, EXCP_GP, 0);
            return;
        }
        gen_helper_exit(dc, HELPER_raise_interrupt, 2,
                        dc_cst(dc, insn->op[0].value & 0xff), next, 0, 0);
        return;
    case X86_INT3:
        gen_helper_exit(dc, HELPER_raise_interrupt, 2, dc_cst(dc, EXCP_BP),
                        next, 0, 0);
        return;
    case X86_INT1:
        gen_helper_exit(dc, HELPER_raise_interrupt, 2, dc_cst(dc, EXCP_DB),
                        next, 0, 0);
        return;
    case X86_INTO: {
        /* traps only when OF is set; otherwise the block goes on */
        struct gen_cond c = gen_cc_cond(dc, 1); /* NO */
        gen_update_cc_op(dc);
        int skip = ir_new_label(dc->b);
        ir_brcond(dc->b, T32, c.c, c.a, c.x, skip);
        gen_helper(dc, HELPER_raise_interrupt, IR_TEMP_NONE, 2,
                   dc_cst(dc, EXCP_OF), next, 0, 0);
        ir_set_label(dc->b, skip);
        return;
    }
    default: /* IRET */
        gen_helper_exit(dc, HELPER_iret, 2, dc_cst(dc, insn->opsize), next,
                        0, 0);
        return;
    }
}

/* BOUND: #BR when the signed index is outside [lower, upper]. */
static void gen_bound(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    struct ir_block *b = dc->b;
    if (insn->op[1].kind != OPND_MEM) {
        gen_exception(dc, EXCP_UD);
        return;
    }
    int ot = opnd_ot(dc, 0);
    ir_temp addr = gen_mem_addr(dc);
    gen_mem_check(dc, 2u << ot, SEG_ACC_READ);
    ir_temp lo = gen_ext(dc, ot, gen_ld(dc, ot, addr), true);
    ir_temp a2 = dc_tmp(dc);
    ir_op2i(b, IR_add, T32, a2, addr, 1u << ot);
    ir_temp hi = gen_ext(dc, ot, gen_ld(dc, ot, a2), true);
    ir_temp idx = gen_ext(dc, ot, gen_get_reg(dc, ot, insn->op[0].reg), true);
    ir_temp c1 = dc_tmp(dc), c2 = dc_tmp(dc), c = dc_tmp(dc);
    ir_setcond(b, T32, IR_COND_LT, c1, idx, lo);
    ir_setcond(b, T32, IR_COND_GT, c2, idx, hi);
    ir_op2(b, IR_or, T32, c, c1, c2);
    gen_update_cc_op(dc);
    int ok = ir_new_label(b);
    ir_brcond(b, T32, IR_COND_EQ, c, dc_cst(dc, 0), ok);
    gen_helper(dc, HELPER_raise_exception, IR_TEMP_NONE, 1,
               dc_cst(dc, EXCP_BR), 0, 0, 0);
    ir_set_label(b, ok);
}

/* Privileged instructions outside ring 0 (and in VM86) raise #GP(0). */
static bool gen_check_cpl0(struct dc *dc)
{
    if (dc->pe && (dc->cpl > 0 || dc->vm)) {
        gen_exception_err(dc, EXCP_GP, 0);
        return false;
    }
    return true;
}

static void gen_io(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    bool in = insn->mnem == X86_IN;
    const struct x86_operand *acc = &insn->op[in ? 0 : 1];
    const struct x86_operand *port = &insn->op[in ? 1 : 0];
    int ot = size_ot(acc->size);
    ir_temp p = port->kind == OPND_IMM ? dc_cst(dc, port->value & 0xff)
                                       : gen_get_reg(dc, 1, R_EDX);
    ir_temp size = dc_cst(dc, 1u << ot);
    if (dc_io_checked(dc))
        gen_helper(dc, HELPER_check_io, IR_TEMP_NONE, 2, p, size, 0, 0);
    if (in) {
        ir_temp v = dc_tmp(dc);
        gen_helper(dc, HELPER_in, v, 2, p, size, 0, 0);
        gen_set_reg(dc, ot, R_EAX, v);
    } else {
        gen_helper(dc, HELPER_out, IR_TEMP_NONE, 3, p,
                   gen_get_reg(dc, ot, R_EAX), size, 0);
    }
}

static int seg_sel_offset(bool ldt)
{
    return ldt ? (int)(offsetof(struct cpu, ldt) + offsetof(struct segment, sel))
               : (int)(offsetof(struct cpu, tr) + offsetof(struct segment, sel));
}

/* Stores a 16-bit system value: a register gets it zero-extended. */
static void gen_store_word(struct dc *dc, ir_temp v)
{
    const struct x86_operand *d = &dc->insn->op[0];
    gen_store_opnd(dc, d->kind == OPND_MEM ? 1 : size_ot(d->size), d, v);
}

static bool gen_system(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    struct ir_block *b = dc->b;
    ir_temp none = IR_TEMP_NONE;
    switch (insn->mnem) {
    case X86_CLI:
        gen_helper(dc, HELPER_cli, none, 0, 0, 0, 0, 0);
        return true;
    case X86_STI:
        gen_helper(dc, HELPER_sti, none, 0, 0, 0, 0, 0);
        /* Single-stepping, STI is a block of its own: its #DB comes right
         * after it (the shadow holds off interrupts, not debug traps), and
         * the next block lifts the shadow at its start. */
        if (dc->hflags & HF_TF)
            dc->end = DC_STOP;
        else
            dc->shadow = true;
        return true;
    case X86_HLT:
        if (!gen_check_cpl0(dc))
            return true;
        gen_helper_exit(dc, HELPER_hlt, 1, dc_cst(dc, dc->next_pc), 0, 0, 0);
        return true;
    case X86_CPUID:
        gen_helper(dc, HELPER_cpuid, none, 0, 0, 0, 0, 0);
        return true;
    case X86_RDTSC:
        gen_helper(dc, HELPER_rdtsc, none, 0, 0, 0, 0, 0);
        return true;
    case X86_RDMSR:
        gen_helper(dc, HELPER_rdmsr, none, 0, 0, 0, 0, 0);
        return true;
    case X86_WRMSR:
        gen_helper(dc, HELPER_wrmsr, none, 0, 0, 0, 0, 0);
        dc->end = DC_STOP;
        return true;
    case X86_RDPMC:
        gen_helper(dc, HELPER_rdpmc, none, 0, 0, 0, 0, 0);
        return true;
    case X86_SYSENTER:
        gen_helper_exit(dc, HELPER_sysenter, 0, 0, 0, 0, 0);
        return true;
    case X86_SYSEXIT:
        gen_helper_exit(dc, HELPER_sysexit, 0, 0, 0, 0, 0);
        return true;
    case X86_IN:
    case X86_OUT:
        gen_io(dc);
        return true;
    case X86_LGDT:
    case X86_LIDT:
    case X86_SGDT:
    case X86_SIDT: {
        if (insn->op[0].kind != OPND_MEM) {
            gen_exception(dc, EXCP_UD);
            return true;
        }
        int id = insn->mnem == X86_LGDT   ? HELPER_lgdt
                 : insn->mnem == X86_LIDT ? HELPER_lidt
                 : insn->mnem == X86_SGDT ? HELPER_sgdt
                                          : HELPER_sidt;
        /* m16&32: six bytes, read or (SGDT/SIDT) written */
        gen_mem_check(dc, 6, id == HELPER_sgdt || id == HELPER_sidt
                                 ? SEG_ACC_WRITE : SEG_ACC_READ);
        gen_helper(dc, id, none, 2, gen_mem_addr(dc), dc_cst(dc, insn->opsize),
                   0, 0);
        if (id == HELPER_lgdt || id == HELPER_lidt)
            dc->end = DC_STOP;
        return true;
    }
    case X86_SMSW: {
        /* Allowed at every CPL (no UMIP): read CR0 itself, not through
         * read_cr, which faults at CPL > 0 for MOV from CR0. */
        ir_temp v = dc_tmp(dc);
        ir_ld_env(b, T32, v, CPU_OFF_LO32(cr[0]), IR_MO_32);
        gen_store_word(dc, v);
        return true;
    }
    case X86_LMSW:
        gen_helper(dc, HELPER_lmsw, none, 1,
                   gen_load_opnd(dc, 1, &insn->op[0]), 0, 0, 0);
        dc->end = DC_STOP;
        return true;
    case X86_INVLPG:
        if (insn->op[0].kind != OPND_MEM) {
            gen_exception(dc, EXCP_UD);
            return true;
        }
        gen_helper(dc, HELPER_invlpg, none, 1, gen_mem_addr(dc), 0, 0, 0);
        dc->end = DC_STOP;
        return true;
    case X86_SLDT:
    case X86_STR: {
        if (!dc->pe || dc->vm) {
            gen_exception(dc, EXCP_UD);
            return true;
        }
        ir_temp v = dc_tmp(dc);
        ir_ld_env(b, T32, v, seg_sel_offset(insn->mnem == X86_SLDT), IR_MO_16);
        gen_store_word(dc, v);
        return true;
    }
    case X86_LLDT:
    case X86_LTR:
        gen_helper(dc, insn->mnem == X86_LLDT ? HELPER_lldt : HELPER_ltr, none,
                   1, gen_load_opnd(dc, 1, &insn->op[0]), 0, 0, 0);
        dc->end = DC_STOP;
        return true;
    case X86_VERR:
    case X86_VERW:
        gen_helper(dc, insn->mnem == X86_VERR ? HELPER_verr : HELPER_verw,
                   none, 1, gen_load_opnd(dc, 1, &insn->op[0]), 0, 0, 0);
        gen_cc_op_written(dc, CC_OP_DYNAMIC);
        return true;
    case X86_LAR:
    case X86_LSL: {
        int ot = opnd_ot(dc, 0);
        ir_temp v = dc_tmp(dc);
        gen_helper(dc, insn->mnem == X86_LAR ? HELPER_lar : HELPER_lsl, v, 2,
                   gen_load_opnd(dc, 1, &insn->op[1]),
                   gen_get_reg(dc, ot, insn->op[0].reg), 0, 0);
        gen_cc_op_written(dc, CC_OP_DYNAMIC);
        gen_set_reg(dc, ot, insn->op[0].reg, v);
        return true;
    }
    case X86_ARPL: {
        if (!dc->pe || dc->vm) {
            gen_exception(dc, EXCP_UD);
            return true;
        }
        ir_temp d = gen_load_opnd(dc, 1, &insn->op[0]);
        ir_temp s = gen_load_opnd(dc, 1, &insn->op[1]);
        ir_temp v = dc_tmp(dc);
        if (insn->op[0].kind == OPND_MEM) {
            /* The processor writes the word only when its RPL rises: an
             * ARPL that leaves it as it is takes no write checks (a CS
             * override or a read-only page does not fault). The store comes
             * before ZF so that a faulting one leaves the flags alone. */
            struct ir_block *b = dc->b;
            int same = ir_new_label(b);
            /* cc_op in its global on both paths: a helper call on the
             * store's path would sync it there only */
            gen_update_cc_op(dc);
            ir_temp dr = dc_tmp(dc), sr = dc_tmp(dc), hi = dc_tmp(dc);
            ir_temp nv = dc_tmp(dc);
            ir_op2i(b, IR_and, T32, dr, d, 3);
            ir_op2i(b, IR_and, T32, sr, s, 3);
            ir_brcond(b, T32, IR_COND_GEU, dr, sr, same);
            ir_op2i(b, IR_and, T32, hi, d, ~3u & 0xffff);
            ir_op2(b, IR_or, T32, nv, hi, sr);
            gen_store_opnd(dc, 1, &insn->op[0], nv);
            ir_set_label(b, same);
            gen_helper(dc, HELPER_arpl, v, 2, d, s, 0, 0);
            gen_cc_op_written(dc, CC_OP_DYNAMIC);
            return true;
        }
        gen_helper(dc, HELPER_arpl, v, 2, d, s, 0, 0);
        gen_cc_op_written(dc, CC_OP_DYNAMIC);
        gen_store_opnd(dc, 1, &insn->op[0], v);
        return true;
    }
    case X86_CLTS:
        gen_helper(dc, HELPER_clts, none, 0, 0, 0, 0, 0);
        dc->end = DC_STOP;
        return true;
    case X86_INVD:
    case X86_WBINVD:
        gen_check_cpl0(dc);
        return true;
    case X86_MOV_CR:
    case X86_MOV_DR: {
        bool cr = insn->mnem == X86_MOV_CR;
        int ctl_kind = cr ? OPND_CR : OPND_DR;
        if (insn->op[0].kind == ctl_kind) {
            ir_temp v = gen_get_reg(dc, 2, insn->op[1].reg);
            gen_helper(dc, cr ? HELPER_write_cr : HELPER_write_dr, none, 2,
                       dc_cst(dc, insn->op[0].reg), v, 0, 0);
            dc->end = DC_STOP;
        } else {
            ir_temp v = dc_tmp(dc);
            gen_helper(dc, cr ? HELPER_read_cr : HELPER_read_dr, v, 1,
                       dc_cst(dc, insn->op[1].reg), 0, 0, 0);
            gen_set_reg(dc, 2, insn->op[0].reg, v);
        }
        return true;
    }
    case X86_UD0:
    case X86_UD1:
    case X86_UD2:
    case X86_RSM:
    case X86_POPCNT:
        gen_exception(dc, EXCP_UD);
        return true;
    default:
        return false;
    }
}

bool translate_ctl(struct dc *dc)
{
    switch (dc->insn->mnem) {
    case X86_JMP: gen_jmp(dc); return true;
    case X86_CALL: gen_call(dc); return true;
    case X86_RET: gen_ret(dc); return true;
    case X86_JMPF: case X86_CALLF: case X86_RETF: gen_far(dc); return true;
    case X86_JCC: gen_jcc(dc); return true;
    case X86_LOOP: case X86_LOOPE: case X86_LOOPNE: case X86_JCXZ:
        gen_loop(dc);
        return true;
    case X86_INT: case X86_INT3: case X86_INT1: case X86_INTO: case X86_IRET:
        gen_int(dc);
        return true;
    case X86_BOUND: gen_bound(dc); return true;
    default: return gen_system(dc);
    }
}
