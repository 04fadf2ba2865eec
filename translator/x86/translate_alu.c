/*
 * translate_alu.c - arithmetic, logic, shifts and rotates, multiply and
 * divide, bit tests and scans, BCD adjust and sign extension: x86_insn ->
 * IR with lazy flags (flags.h says what each CC_OP keeps).
 */
#include "translator/x86/translate_internal.h"

static int opnd_ot(const struct dc *dc, int i)
{
    return size_ot(dc->insn->op[i].size);
}

/* ADD OR ADC SBB AND SUB XOR CMP TEST */
static void gen_arith(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    struct ir_block *b = dc->b;
    int ot = opnd_ot(dc, 0);
    int mnem = insn->mnem;
    ir_temp cin = IR_TEMP_NONE;

    if (mnem == X86_ADC || mnem == X86_SBB)
        cin = gen_compute_cf(dc);
    ir_temp a = gen_load_opnd(dc, ot, &insn->op[0]);
    ir_temp x = gen_load_opnd(dc, ot, &insn->op[1]);
    ir_temp r = dc_tmp(dc);
    uint32_t op;

    switch (mnem) {
    case X86_ADD:
        ir_op2(b, IR_add, T32, r, a, x);
        op = CC_OP_ADDB;
        break;
    case X86_ADC: {
        ir_temp t = dc_tmp(dc);
        ir_op2(b, IR_add, T32, t, a, x);
        ir_op2(b, IR_add, T32, r, t, cin);
        op = CC_OP_ADCB;
        break;
    }
    case X86_SUB:
    case X86_CMP:
        ir_op2(b, IR_sub, T32, r, a, x);
        op = CC_OP_SUBB;
        break;
    case X86_SBB: {
        ir_temp t = dc_tmp(dc);
        ir_op2(b, IR_sub, T32, t, a, x);
        ir_op2(b, IR_sub, T32, r, t, cin);
        op = CC_OP_SBBB;
        break;
    }
    case X86_AND:
    case X86_TEST:
        ir_op2(b, IR_and, T32, r, a, x);
        op = CC_OP_LOGICB;
        break;
    case X86_OR:
        ir_op2(b, IR_or, T32, r, a, x);
        op = CC_OP_LOGICB;
        break;
    default: /* X86_XOR */
        ir_op2(b, IR_xor, T32, r, a, x);
        op = CC_OP_LOGICB;
        break;
    }
    if (mnem != X86_CMP && mnem != X86_TEST)
        gen_store_opnd(dc, ot, &insn->op[0], r);
    if (op == CC_OP_LOGICB)
        gen_set_cc(dc, op + ot, r, IR_TEMP_NONE, IR_TEMP_NONE);
    else
        gen_set_cc(dc, op + ot, r, x, cin);
    if (op == CC_OP_SUBB)
        gen_note_cmp(dc, a, x);
}

/* INC / DEC keep CF: it is computed from the old state first. */
static void gen_incdec(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    int ot = opnd_ot(dc, 0);
    bool inc = insn->mnem == X86_INC;
    ir_temp cf = gen_compute_cf(dc);
    ir_temp a = gen_load_opnd(dc, ot, &insn->op[0]);
    ir_temp r = dc_tmp(dc);
    ir_op2i(dc->b, inc ? IR_add : IR_sub, T32, r, a, 1);
    gen_store_opnd(dc, ot, &insn->op[0], r);
    gen_set_cc(dc, (inc ? CC_OP_INCB : CC_OP_DECB) + ot, r, cf, IR_TEMP_NONE);
}

static void gen_negnot(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    int ot = opnd_ot(dc, 0);
    ir_temp a = gen_load_opnd(dc, ot, &insn->op[0]);
    ir_temp r = dc_tmp(dc);
    if (insn->mnem == X86_NOT) {
        ir_op1(dc->b, IR_not, T32, r, a);
        gen_store_opnd(dc, ot, &insn->op[0], r);
        return;
    }
    /* NEG is SUB from 0: CF = (a != 0), OF for the most negative value. */
    ir_op1(dc->b, IR_neg, T32, r, a);
    gen_store_opnd(dc, ot, &insn->op[0], r);
    gen_set_cc(dc, CC_OP_SUBB + ot, r, a, IR_TEMP_NONE);
}

/* ---- multiply and divide ---- */

/* cc_src for IMUL: non-zero when the product does not fit the low half. */
static ir_temp gen_imul_overflow(struct dc *dc, int ot, ir_temp lo, ir_temp hi)
{
    ir_temp t = dc_tmp(dc);
    if (ot == 2) {
        ir_temp s = dc_tmp(dc);
        ir_op2i(dc->b, IR_sar, T32, s, lo, 31);
        ir_op2(dc->b, IR_sub, T32, t, hi, s);
    } else {
        ir_op2(dc->b, IR_sub, T32, t, lo, gen_ext(dc, ot, lo, true));
    }
    return t;
}

static void gen_mul1(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    struct ir_block *b = dc->b;
    int ot = opnd_ot(dc, 0);
    bool sign = insn->mnem == X86_IMUL;
    ir_temp s = gen_load_opnd(dc, ot, &insn->op[0]);
    ir_temp acc = gen_get_reg(dc, ot, R_EAX);
    ir_temp lo = dc_tmp(dc), hi = dc_tmp(dc), cc = hi;

    if (ot == 2) {
        ir_mul2(b, sign ? IR_muls2 : IR_mulu2, T32, lo, hi, acc, s);
        gen_set_reg(dc, 2, R_EAX, lo);
        gen_set_reg(dc, 2, R_EDX, hi);
        if (sign)
            cc = gen_imul_overflow(dc, 2, lo, hi);
    } else {
        /* 8x8 and 16x16 products fit 32 bits */
        ir_op2(b, IR_mul, T32, lo, gen_ext(dc, ot, acc, sign),
               gen_ext(dc, ot, s, sign));
        ir_op2i(b, IR_shr, T32, hi, lo, 8u << ot);
        if (ot == 0) {
            gen_set_reg(dc, 1, R_EAX, lo);
        } else {
            gen_set_reg(dc, 1, R_EAX, lo);
            gen_set_reg(dc, 1, R_EDX, hi);
        }
        if (sign)
            cc = gen_imul_overflow(dc, ot, lo, IR_TEMP_NONE);
        else
            cc = gen_ext(dc, ot, hi, false);
    }
    gen_set_cc(dc, CC_OP_MULB + ot, lo, cc, IR_TEMP_NONE);
}

/* IMUL r, r/m and IMUL r, r/m, imm */
static void gen_imul_n(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    int ot = opnd_ot(dc, 0);
    const struct x86_operand *pa = &insn->op[insn->n_opnds == 3 ? 1 : 0];
    const struct x86_operand *px = &insn->op[insn->n_opnds == 3 ? 2 : 1];
    ir_temp a = gen_load_opnd(dc, ot, pa);
    ir_temp x = gen_load_opnd(dc, ot, px);
    ir_temp lo = dc_tmp(dc), cc;
    if (ot == 2) {
        ir_temp hi = dc_tmp(dc);
        ir_mul2(dc->b, IR_muls2, T32, lo, hi, a, x);
        cc = gen_imul_overflow(dc, 2, lo, hi);
    } else {
        ir_op2(dc->b, IR_mul, T32, lo, gen_ext(dc, ot, a, true),
               gen_ext(dc, ot, x, true));
        cc = gen_imul_overflow(dc, ot, lo, IR_TEMP_NONE);
    }
    gen_set_reg(dc, ot, insn->op[0].reg, lo);
    gen_set_cc(dc, CC_OP_MULB + ot, lo, cc, IR_TEMP_NONE);
}

/* DIV / IDIV: helpers (they raise #DE); the flags are undefined and keep
 * their lazy state. */
static void gen_div(struct dc *dc)
{
    int ot = opnd_ot(dc, 0);
    ir_temp s = gen_load_opnd(dc, ot, &dc->insn->op[0]);
    int id = (dc->insn->mnem == X86_DIV ? HELPER_div8 : HELPER_idiv8) + ot;
    gen_helper(dc, id, IR_TEMP_NONE, 1, s, 0, 0, 0);
}

/* ---- shifts and rotates ---- */

/* The count of a shift/rotate, masked to 5 bits (SDM 2, SAL/SAR/SHL/SHR).
 * *is_const tells whether it is known now (then *value holds it). */
static ir_temp gen_shift_count(struct dc *dc, const struct x86_operand *o,
                               bool *is_const, uint32_t *value)
{
    if (!o || o->kind == OPND_IMM) {
        *is_const = true;
        *value = o ? (o->value & 0x1f) : 1;
        return dc_cst(dc, *value);
    }
    ir_temp c = dc_tmp(dc);
    ir_op2i(dc->b, IR_and, T32, c, ir_global(IR_G_REG0 + R_ECX), 0x1f);
    *is_const = false;
    *value = 0;
    return c;
}

/* Flags of a shift whose count is only known at run time: a count of 0
 * leaves the lazy state as it was. */
static void gen_shift_cc(struct dc *dc, bool is_const, ir_temp count,
                         uint32_t op, ir_temp dst, ir_temp src)
{
    struct ir_block *b = dc->b;
    if (is_const) {
        gen_set_cc(dc, op, dst, src, IR_TEMP_NONE);
        return;
    }
    ir_temp zero = dc_cst(dc, 0);
    ir_temp old_op = dc->cc_op == CC_OP_DYNAMIC ? ir_global(IR_G_CC_OP)
                                                : dc_cst(dc, dc->cc_op);
    ir_temp gd = ir_global(IR_G_CC_DST), gs = ir_global(IR_G_CC_SRC);
    ir_movcond(b, T32, IR_COND_EQ, gd, count, zero, gd, dst);
    ir_movcond(b, T32, IR_COND_EQ, gs, count, zero, gs, src);
    ir_movcond(b, T32, IR_COND_EQ, ir_global(IR_G_CC_OP), count, zero, old_op,
               dc_cst(dc, op));
    gen_set_cc_op(dc, CC_OP_DYNAMIC);
}

/* A count of 0 changes neither the operand nor the flags, but a memory
 * operand is still read and written back, with its faults (a CS override
 * store raises #GP, as on hardware). */
static void gen_count0_touch(struct dc *dc, int ot)
{
    const struct x86_operand *d = &dc->insn->op[0];
    if (d->kind == OPND_MEM)
        gen_store_opnd(dc, ot, d, gen_load_opnd(dc, ot, d));
}

static ir_temp gen_count_minus1(struct dc *dc, ir_temp count)
{
    if (ir_is_const(dc->b, count))
        return dc_cst(dc, (uint32_t)dc->b->temps[count].value - 1);
    ir_temp t = dc_tmp(dc);
    ir_op2i(dc->b, IR_sub, T32, t, count, 1);
    return t;
}

/* SHL SAL SHR SAR */
static void gen_shift(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    struct ir_block *b = dc->b;
    int ot = opnd_ot(dc, 0);
    bool is_const;
    uint32_t cval;
    ir_temp count = gen_shift_count(dc, insn->n_opnds > 1 ? &insn->op[1] : NULL,
                                    &is_const, &cval);
    if (is_const && cval == 0) {
        gen_count0_touch(dc, ot);
        return;
    }

    ir_temp a = gen_load_opnd(dc, ot, &insn->op[0]);
    ir_temp r = dc_tmp(dc), t = dc_tmp(dc);
    ir_temp c1 = gen_count_minus1(dc, count);
    uint32_t op;
    if (insn->mnem == X86_SHL || insn->mnem == X86_SAL) {
        ir_op2(b, IR_shl, T32, r, a, count);
        ir_op2(b, IR_shl, T32, t, a, c1);
        op = CC_OP_SHLB + ot;
    } else if (insn->mnem == X86_SHR) {
        ir_op2(b, IR_shr, T32, r, a, count);
        ir_op2(b, IR_shr, T32, t, a, c1);
        op = CC_OP_SARB + ot;
    } else {
        ir_temp sa = gen_ext(dc, ot, a, true);
        ir_op2(b, IR_sar, T32, r, sa, count);
        ir_op2(b, IR_sar, T32, t, sa, c1);
        op = CC_OP_SARB + ot;
    }
    gen_store_opnd(dc, ot, &insn->op[0], r);
    gen_shift_cc(dc, is_const, count, op, r, t);
}

/* ROL ROR: only CF and OF change (SDM 2, RCL/RCR/ROL/ROR), so the other
 * flags are materialized. 8- and 16-bit values are replicated across 32
 * bits so a 32-bit rotate gives the narrow rotate in the low bits. */
static void gen_rotate(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    struct ir_block *b = dc->b;
    int ot = opnd_ot(dc, 0);
    unsigned bits = 8u << ot;
    bool left = insn->mnem == X86_ROL;
    bool is_const;
    uint32_t cval;
    ir_temp count = gen_shift_count(dc, insn->n_opnds > 1 ? &insn->op[1] : NULL,
                                    &is_const, &cval);
    if (is_const && cval == 0) {
        gen_count0_touch(dc, ot);
        return;
    }

    ir_temp flags = gen_compute_eflags(dc);
    ir_temp a = gen_load_opnd(dc, ot, &insn->op[0]);
    ir_temp x = a;
    if (ot < 2) {
        x = dc_tmp(dc);
        ir_op2i(b, IR_mul, T32, x, a, ot == 0 ? 0x01010101u : 0x00010001u);
    }
    ir_temp r = dc_tmp(dc);
    ir_op2(b, left ? IR_rotl : IR_rotr, T32, r, x, count);
    gen_store_opnd(dc, ot, &insn->op[0], r);

    ir_temp cf = dc_tmp(dc), msb = dc_tmp(dc), of = dc_tmp(dc);
    ir_extract(b, T32, msb, r, bits - 1, 1);
    if (left) {
        ir_op2i(b, IR_and, T32, cf, r, 1);
        ir_op2(b, IR_xor, T32, of, msb, cf);
    } else {
        ir_temp nx = dc_tmp(dc);
        ir_mov(b, T32, cf, msb);
        ir_extract(b, T32, nx, r, bits - 2, 1);
        ir_op2(b, IR_xor, T32, of, msb, nx);
    }
    ir_temp nf = dc_tmp(dc), t1 = dc_tmp(dc), t2 = dc_tmp(dc);
    ir_op2i(b, IR_and, T32, t1, flags, ~(EFLAGS_CF | EFLAGS_OF));
    ir_op2(b, IR_or, T32, t2, t1, cf);
    ir_deposit(b, T32, nf, t2, of, 11, 1);
    if (!is_const) {
        ir_temp sel = dc_tmp(dc);
        ir_movcond(b, T32, IR_COND_EQ, sel, count, dc_cst(dc, 0), flags, nf);
        nf = sel;
    }
    gen_set_eflags_arith(dc, nf);
}

/* RCL RCR through helpers (they leave CC_OP_EFLAGS). A memory operand is
 * written back unchanged first, so the only store that can fault comes
 * before the helper changes the flags. */
static void gen_rotate_carry(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    int ot = opnd_ot(dc, 0);
    ir_temp count;
    if (insn->n_opnds < 2)
        count = dc_cst(dc, 1);
    else if (insn->op[1].kind == OPND_IMM)
        count = dc_cst(dc, insn->op[1].value & 0x1f);
    else
        count = ir_global(IR_G_REG0 + R_ECX);
    ir_temp a = gen_load_opnd(dc, ot, &insn->op[0]);
    if (insn->op[0].kind == OPND_MEM)
        gen_store_opnd(dc, ot, &insn->op[0], a);
    ir_temp r = dc_tmp(dc);
    gen_helper(dc, insn->mnem == X86_RCL ? HELPER_rcl : HELPER_rcr, r, 3, a,
               count, dc_cst(dc, (uint32_t)ot), 0);
    gen_cc_op_written(dc, CC_OP_EFLAGS);
    gen_store_opnd(dc, ot, &insn->op[0], r);
}

static ir_temp to64(struct dc *dc, ir_temp t)
{
    ir_temp u = dc_tmp64(dc);
    ir_op1(dc->b, IR_ext32u, IR_I64, u, t);
    return u;
}

static ir_temp to32(struct dc *dc, ir_temp t)
{
    ir_temp u = dc_tmp(dc);
    ir_mov(dc->b, T32, u, t);
    return u;
}

/* SHLD / SHRD on a 64-bit concatenation. The 16-bit forms shift the 48-bit
 * pattern dest:src:dest, which is what Intel processors produce for counts
 * above 16. */
static void gen_shxd(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    struct ir_block *b = dc->b;
    int ot = opnd_ot(dc, 0);
    bool left = insn->mnem == X86_SHLD;
    bool is_const;
    uint32_t cval;
    ir_temp count = gen_shift_count(dc, &insn->op[2], &is_const, &cval);
    if (is_const && cval == 0) {
        gen_count0_touch(dc, ot);
        return;
    }

    ir_temp a = gen_load_opnd(dc, ot, &insn->op[0]);
    ir_temp s = gen_load_opnd(dc, ot, &insn->op[1]);
    ir_temp a64 = to64(dc, a), s64 = to64(dc, s);
    ir_temp v = dc_tmp64(dc), t = dc_tmp64(dc);
    if (ot == 2) {
        ir_op2i(b, IR_shl, IR_I64, t, left ? a64 : s64, 32);
        ir_op2(b, IR_or, IR_I64, v, t, left ? s64 : a64);
    } else {
        ir_temp t2 = dc_tmp64(dc), t3 = dc_tmp64(dc);
        ir_op2i(b, IR_shl, IR_I64, t, a64, 32);
        ir_op2i(b, IR_shl, IR_I64, t2, s64, 16);
        ir_op2(b, IR_or, IR_I64, t3, t, t2);
        ir_op2(b, IR_or, IR_I64, v, t3, a64);
    }
    ir_temp c64 = to64(dc, count), c164 = to64(dc, gen_count_minus1(dc, count));
    ir_temp r64 = dc_tmp64(dc), q64 = dc_tmp64(dc);
    ir_op2(b, left ? IR_shl : IR_shr, IR_I64, r64, v, c64);
    ir_op2(b, left ? IR_shl : IR_shr, IR_I64, q64, v, c164);
    if (left) {
        ir_temp r2 = dc_tmp64(dc), q2 = dc_tmp64(dc);
        ir_op2i(b, IR_shr, IR_I64, r2, r64, 32);
        ir_op2i(b, IR_shr, IR_I64, q2, q64, 32);
        r64 = r2;
        q64 = q2;
    }
    ir_temp r = to32(dc, r64), q = to32(dc, q64);
    gen_store_opnd(dc, ot, &insn->op[0], r);
    gen_shift_cc(dc, is_const, count, (left ? CC_OP_SHLB : CC_OP_SARB) + ot,
                 r, q);
}

/* ---- bit tests and scans ---- */

/* BT BTS BTR BTC: CF = the bit; ZF keeps its value, and the other flags
 * too (deterministic choice for those the SDM leaves undefined). */
static void gen_bt(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    struct ir_block *b = dc->b;
    int ot = opnd_ot(dc, 0);
    unsigned bits = 8u << ot;
    const struct x86_operand *d = &insn->op[0], *o = &insn->op[1];
    ir_temp off = gen_load_opnd(dc, ot, o);
    ir_temp addr = IR_TEMP_NONE, ea = IR_TEMP_NONE, a;

    if (d->kind == OPND_MEM && o->kind == OPND_REG) {
        /* SDM 2, BT: a register offset addresses memory as a bit string
         * starting at the operand (signed offset). */
        ir_temp so = gen_ext(dc, ot, off, true), w = dc_tmp(dc), bo = dc_tmp(dc);
        ir_op2i(b, IR_sar, T32, w, so, 3 + ot);
        ir_op2i(b, IR_shl, T32, bo, w, ot);
        addr = dc_tmp(dc);
        ir_op2(b, IR_add, T32, addr, gen_mem_addr(dc), bo);
        ea = dc_tmp(dc);
        ir_op2(b, IR_add, T32, ea, gen_mem_ea(dc), bo);
        gen_seg_check(dc, insn->mem.seg, ea, 1u << ot, SEG_ACC_READ);
        a = gen_ld(dc, ot, addr);
    } else {
        a = gen_load_opnd(dc, ot, d);
    }
    ir_temp bit = dc_tmp(dc), sh = dc_tmp(dc), cf = dc_tmp(dc);
    ir_op2i(b, IR_and, T32, bit, off, bits - 1);
    ir_op2(b, IR_shr, T32, sh, a, bit);
    ir_op2i(b, IR_and, T32, cf, sh, 1);
    ir_temp flags = gen_compute_eflags(dc);

    if (insn->mnem != X86_BT) {
        ir_temp m = dc_tmp(dc), r = dc_tmp(dc);
        ir_op2(b, IR_shl, T32, m, dc_cst(dc, 1), bit);
        if (insn->mnem == X86_BTS) {
            ir_op2(b, IR_or, T32, r, a, m);
        } else if (insn->mnem == X86_BTR) {
            ir_temp nm = dc_tmp(dc);
            ir_op1(b, IR_not, T32, nm, m);
            ir_op2(b, IR_and, T32, r, a, nm);
        } else {
            ir_op2(b, IR_xor, T32, r, a, m);
        }
        if (addr != IR_TEMP_NONE) {
            gen_check_mem_write(dc);
            gen_seg_check(dc, insn->mem.seg, ea, 1u << ot, SEG_ACC_WRITE);
            gen_st(dc, ot, addr, r);
        } else {
            gen_store_opnd(dc, ot, d, r);
        }
    }
    ir_temp nf = dc_tmp(dc);
    ir_deposit(b, T32, nf, flags, cf, 0, 1);
    gen_set_eflags_arith(dc, nf);
}

/* BSF BSR (and TZCNT / LZCNT, which execute as BSF / BSR on processors
 * without BMI1/LZCNT, as the CPUID we report). ZF = (source == 0); a zero
 * source leaves the destination unchanged. */
static void gen_bsf(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    int ot = opnd_ot(dc, 0);
    bool fwd = insn->mnem == X86_BSF || insn->mnem == X86_TZCNT;
    ir_temp s = gen_load_opnd(dc, ot, &insn->op[1]);
    ir_temp old = gen_get_reg(dc, ot, insn->op[0].reg);
    ir_temp r = dc_tmp(dc);
    ir_temp in[2] = { s, old };
    ir_call(dc->b, fwd ? HELPER_bsf : HELPER_bsr, r, 2, in);
    gen_set_reg(dc, ot, insn->op[0].reg, r);
    gen_set_cc(dc, CC_OP_LOGICB + ot, s, IR_TEMP_NONE, IR_TEMP_NONE);
}

/* ---- sign extension, BCD ---- */

static void gen_cbw_cwd(struct dc *dc)
{
    struct ir_block *b = dc->b;
    int ot = gen_opsize_ot(dc);
    if (dc->insn->mnem == X86_CBW) {
        /* CBW: AX = sext(AL); CWDE: EAX = sext(AX) */
        ir_temp v = gen_get_reg(dc, ot - 1, R_EAX);
        gen_set_reg(dc, ot, R_EAX, gen_ext(dc, ot - 1, v, true));
    } else {
        /* CWD: DX = sign of AX; CDQ: EDX = sign of EAX */
        ir_temp v = gen_ext(dc, ot, gen_get_reg(dc, ot, R_EAX), true);
        ir_temp s = dc_tmp(dc);
        ir_op2i(b, IR_sar, T32, s, v, 31);
        gen_set_reg(dc, ot, R_EDX, s);
    }
}

static void gen_bcd(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    int id;
    switch (insn->mnem) {
    case X86_DAA: id = HELPER_daa; break;
    case X86_DAS: id = HELPER_das; break;
    case X86_AAA: id = HELPER_aaa; break;
    case X86_AAS: id = HELPER_aas; break;
    case X86_AAM: id = HELPER_aam; break;
    default: id = HELPER_aad; break;
    }
    if (id == HELPER_aam || id == HELPER_aad) {
        uint32_t imm = insn->n_opnds ? insn->op[0].value & 0xff : 10;
        gen_helper(dc, id, IR_TEMP_NONE, 1, dc_cst(dc, imm), 0, 0, 0);
    } else {
        gen_helper(dc, id, IR_TEMP_NONE, 0, 0, 0, 0, 0);
    }
    gen_cc_op_written(dc, CC_OP_EFLAGS);
}

/* SALC (undocumented D6): AL = CF ? 0xff : 0 */
static void gen_salc(struct dc *dc)
{
    ir_temp cf = gen_compute_cf(dc), t = dc_tmp(dc);
    ir_op1(dc->b, IR_neg, T32, t, cf);
    gen_set_reg(dc, 0, R_EAX, t);
}

bool translate_alu(struct dc *dc)
{
    switch (dc->insn->mnem) {
    case X86_ADD: case X86_OR: case X86_ADC: case X86_SBB: case X86_AND:
    case X86_SUB: case X86_XOR: case X86_CMP: case X86_TEST:
        gen_arith(dc);
        return true;
    case X86_INC: case X86_DEC:
        gen_incdec(dc);
        return true;
    case X86_NEG: case X86_NOT:
        gen_negnot(dc);
        return true;
    case X86_MUL:
        gen_mul1(dc);
        return true;
    case X86_IMUL:
        if (dc->insn->n_opnds == 1)
            gen_mul1(dc);
        else
            gen_imul_n(dc);
        return true;
    case X86_DIV: case X86_IDIV:
        gen_div(dc);
        return true;
    case X86_SHL: case X86_SAL: case X86_SHR: case X86_SAR:
        gen_shift(dc);
        return true;
    case X86_ROL: case X86_ROR:
        gen_rotate(dc);
        return true;
    case X86_RCL: case X86_RCR:
        gen_rotate_carry(dc);
        return true;
    case X86_SHLD: case X86_SHRD:
        gen_shxd(dc);
        return true;
    case X86_BT: case X86_BTS: case X86_BTR: case X86_BTC:
        gen_bt(dc);
        return true;
    case X86_BSF: case X86_BSR: case X86_TZCNT: case X86_LZCNT:
        gen_bsf(dc);
        return true;
    case X86_CBW: case X86_CWD:
        gen_cbw_cwd(dc);
        return true;
    case X86_DAA: case X86_DAS: case X86_AAA: case X86_AAS: case X86_AAM:
    case X86_AAD:
        gen_bcd(dc);
        return true;
    case X86_SALC:
        gen_salc(dc);
        return true;
    default:
        return false;
    }
}
