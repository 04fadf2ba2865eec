/*
 * translate.c - the block loop (decode, emit, decide where the block ends),
 * dispatch by mnemonic to translate_{alu,mov,ctl}.c, and the emitters every
 * group shares: registers, effective and linear addresses, guest memory, the
 * stack, lazy-flag bookkeeping and condition codes.
 */
#include "translator/x86/translate.h"

#include <stddef.h>

#include "base/util.h"
#include "translator/x86/cpu_access.h"
#include "translator/disas.h"
#include "translator/x86/translate_internal.h"

/* ---- registers ---- */

ir_temp gen_get_reg(struct dc *dc, int ot, int reg)
{
    ir_temp t = dc_tmp(dc);
    if (ot == 0) {
        if (reg < 4)
            ir_extract(dc->b, T32, t, ir_global(IR_G_REG0 + reg), 0, 8);
        else
            ir_extract(dc->b, T32, t, ir_global(IR_G_REG0 + reg - 4), 8, 8);
    } else if (ot == 1) {
        ir_extract(dc->b, T32, t, ir_global(IR_G_REG0 + reg), 0, 16);
    } else {
        ir_mov(dc->b, T32, t, ir_global(IR_G_REG0 + reg));
    }
    return t;
}

/* An 8- or 16-bit write leaves the rest of the 64-bit register alone, so
 * the deposit is 64 bits wide; a 32-bit write zero-extends (SDM 1, 3.4.1.1,
 * as in 64-bit mode), which a T32 op does. */
void gen_set_reg(struct dc *dc, int ot, int reg, ir_temp v)
{
    if (ot == 0) {
        int r = reg < 4 ? reg : reg - 4;
        ir_temp g = ir_global(IR_G_REG0 + r);
        ir_deposit(dc->b, T64, g, g, v, reg < 4 ? 0 : 8, 8);
    } else if (ot == 1) {
        ir_temp g = ir_global(IR_G_REG0 + reg);
        ir_deposit(dc->b, T64, g, g, v, 0, 16);
    } else {
        ir_mov(dc->b, T32, ir_global(IR_G_REG0 + reg), v);
    }
}

ir_temp gen_ext(struct dc *dc, int ot, ir_temp v, bool sign)
{
    if (ot >= 2)
        return v;
    ir_temp t = dc_tmp(dc);
    enum ir_opc opc = ot == 0 ? (sign ? IR_ext8s : IR_ext8u)
                              : (sign ? IR_ext16s : IR_ext16u);
    ir_op1(dc->b, opc, T32, t, v);
    return t;
}

int gen_opsize_ot(const struct dc *dc)
{
    return dc->insn->opsize == 2 ? 1 : 2;
}

/* ---- addresses ---- */

ir_temp gen_seg_base(struct dc *dc, int seg)
{
    ir_temp t = dc_addr_tmp(dc);
    /* Outside long mode a base has bits 63:32 clear: its low half. */
    ir_ld_env(dc->b, dc->tl, t, CPU_OFF_LO32(seg[seg].base), IR_MO_32);
    return t;
}

/* Linear address of seg:ea. The base is added in real and VM86 mode, for
 * FS/GS/CS, and for DS/ES/SS only when one of them is not flat. */
ir_temp gen_add_seg(struct dc *dc, int seg, ir_temp ea, bool always)
{
    bool need = always || !dc->pe || dc->vm || dc->addseg || seg == SEG_FS ||
                seg == SEG_GS || seg == SEG_CS;
    if (!need)
        return ea;
    ir_temp t = dc_addr_tmp(dc);
    ir_op2(dc->b, IR_add, dc->tl, t, ea, gen_seg_base(dc, seg));
    return t;
}

/* Effective address (offset in the segment). esp_value, when not
 * IR_TEMP_NONE, stands for ESP as a base (POP m uses ESP after the pop). */
ir_temp gen_ea(struct dc *dc, const struct x86_mem *m, int addrsize,
               ir_temp esp_value)
{
    struct ir_block *b = dc->b;
    enum ir_type tl = dc->tl;
    ir_temp sum = IR_TEMP_NONE;
    if (m->base >= 0) {
        sum = dc_addr_tmp(dc);
        if (m->base == R_ESP && esp_value != IR_TEMP_NONE)
            ir_mov(b, tl, sum, esp_value);
        else
            ir_mov(b, tl, sum, ir_global(IR_G_REG0 + m->base));
    }
    if (m->index >= 0) {
        ir_temp idx = dc_addr_tmp(dc);
        ir_op2i(b, IR_shl, tl, idx, ir_global(IR_G_REG0 + m->index),
                m->scale);
        if (sum == IR_TEMP_NONE) {
            sum = idx;
        } else {
            ir_temp t = dc_addr_tmp(dc);
            ir_op2(b, IR_add, tl, t, sum, idx);
            sum = t;
        }
    }
    uint32_t disp = (uint32_t)m->disp;
    if (sum == IR_TEMP_NONE)
        return ir_const(b, tl, addrsize == 2 ? disp & 0xffff : disp);
    ir_temp t = dc_addr_tmp(dc);
    ir_op2i(b, IR_add, tl, t, sum, disp);
    if (addrsize == 2) {
        ir_temp u = dc_addr_tmp(dc);
        ir_op1(b, IR_ext16u, tl, u, t);
        t = u;
    }
    return t;
}

ir_temp gen_mem_addr(struct dc *dc)
{
    if (dc->a0 == IR_TEMP_NONE) {
        dc->ea0 = gen_ea(dc, &dc->insn->mem, dc->insn->addrsize,
                         IR_TEMP_NONE);
        dc->a0 = gen_add_seg(dc, dc->insn->mem.seg, dc->ea0, false);
    }
    return dc->a0;
}

ir_temp gen_mem_ea(struct dc *dc)
{
    gen_mem_addr(dc);
    return dc->ea0;
}

/* ---- segment checks (SDM 3A 5.3 limits, 5.4 types) ---- */

/*
 * Raise #GP(0) (#SS(0) through SS) unless the size bytes at offset ea of
 * segment seg may be accessed for kind (SEG_ACC_READ / SEG_ACC_WRITE):
 * lo <= ea and ea + size - 1 <= hi, with the ranges of cpu->seg_lo/seg_hi
 * and the end computed in 64 bits so that it cannot wrap. Nothing is
 * emitted for a flat segment (hflags without HF_SEGCHK(seg)). The fault
 * path calls the raise helper directly: the instruction's state is
 * restored from the side table, cc_op included.
 */
void gen_seg_check(struct dc *dc, int seg, ir_temp ea, unsigned size,
                   int kind)
{
    if (!(dc->hflags & HF_SEGCHK(seg)))
        return;
    struct ir_block *b = dc->b;
    int fail = ir_new_label(b), ok = ir_new_label(b);
    ir_temp hi = dc_tmp64(dc), end = dc_tmp64(dc), lo = dc_tmp(dc);
    ir_ld_env(b, T64, hi, CPU_OFF(seg_hi[kind][seg]), IR_MO_32);
    ir_op1(b, IR_ext32u, T64, end, ea);
    if (size > 1) {
        ir_temp e = dc_tmp64(dc);
        ir_op2i(b, IR_add, T64, e, end, size - 1);
        end = e;
    }
    ir_brcond(b, T64, IR_COND_GTU, end, hi, fail);
    ir_ld_env(b, T32, lo, CPU_OFF(seg_lo[kind][seg]), IR_MO_32);
    ir_brcond(b, T32, IR_COND_GEU, ea, lo, ok);
    ir_set_label(b, fail);
    ir_temp in[4] = { dc_cst(dc, seg == SEG_SS ? EXCP_SS : EXCP_GP),
                      dc_cst(dc, 0), IR_TEMP_NONE, IR_TEMP_NONE };
    ir_call(b, HELPER_raise_exception_err, IR_TEMP_NONE, 2, in);
    ir_set_label(b, ok);
}

/* The memory operand: size bytes at its offset. */
void gen_mem_check(struct dc *dc, unsigned size, int kind)
{
    gen_seg_check(dc, dc->insn->mem.seg, gen_mem_ea(dc), size, kind);
}

/* A branch to eip beyond CS.limit faults #GP(0) at the branch, before
 * anything of it is done (SDM 2, JMP: "IF tempEIP is not within code
 * segment limit THEN #GP(0)"). Only for blocks whose CS is not flat. */
void gen_cs_target_check(struct dc *dc, ir_temp eip)
{
    if (!(dc->hflags & HF_SEGCHK(SEG_CS)))
        return;
    struct ir_block *b = dc->b;
    int ok = ir_new_label(b);
    ir_temp limit = dc_tmp(dc);
    ir_ld_env(b, T32, limit, CPU_OFF(seg[SEG_CS].limit), IR_MO_32);
    ir_brcond(b, T32, IR_COND_LEU, eip, limit, ok);
    ir_temp in[4] = { dc_cst(dc, EXCP_GP), dc_cst(dc, 0), IR_TEMP_NONE,
                      IR_TEMP_NONE };
    ir_call(b, HELPER_raise_exception_err, IR_TEMP_NONE, 2, in);
    ir_set_label(b, ok);
}

/* ---- guest memory ---- */

/* Alignment checking (HF_AC: CR0.AM, EFLAGS.AC, CPL 3) costs a helper call
 * before each access of 2 bytes or more, in those blocks only. */
static void gen_check_align(struct dc *dc, int ot, ir_temp addr)
{
    if ((dc->hflags & HF_AC) && ot > 0)
        gen_helper(dc, HELPER_check_align, IR_TEMP_NONE, 2, addr,
                   dc_cst(dc, (1u << ot) - 1), 0, 0);
}

ir_temp gen_ld(struct dc *dc, int ot, ir_temp addr)
{
    gen_check_align(dc, ot, addr);
    ir_temp t = dc_tmp(dc);
    ir_ld_guest(dc->b, T32, t, addr, (unsigned)ot | dc_mem(dc));
    return t;
}

void gen_st(struct dc *dc, int ot, ir_temp addr, ir_temp v)
{
    gen_check_align(dc, ot, addr);
    ir_st_guest(dc->b, T32, v, addr, (unsigned)ot | dc_mem(dc));
}

ir_temp gen_load_opnd(struct dc *dc, int ot, const struct x86_operand *o)
{
    switch (o->kind) {
    case OPND_REG:
        return gen_get_reg(dc, ot, o->reg);
    case OPND_MEM:
        gen_mem_check(dc, 1u << ot, SEG_ACC_READ);
        return gen_ld(dc, ot, gen_mem_addr(dc));
    case OPND_IMM:
    case OPND_REL:
        return dc_cst(dc, o->value & ot_mask(ot));
    default:
        J_ASSERT(0);
        return IR_TEMP_NONE;
    }
}

/* In protected mode CS always holds a code segment, which is never
 * writable (SDM 3A 5.4): a store through a CS override raises #GP(0)
 * whatever its limit. The other checks of a store are gen_mem_check's. */
void gen_check_mem_write(struct dc *dc)
{
    if (dc->pe && !dc->vm && dc->insn->mem.seg == SEG_CS)
        gen_helper(dc, HELPER_raise_exception_err, IR_TEMP_NONE, 2,
                   dc_cst(dc, EXCP_GP), dc_cst(dc, 0), 0, 0);
}

void gen_store_opnd(struct dc *dc, int ot, const struct x86_operand *o,
                    ir_temp v)
{
    if (o->kind == OPND_REG) {
        gen_set_reg(dc, ot, o->reg, v);
    } else if (o->kind == OPND_MEM) {
        gen_check_mem_write(dc);
        gen_mem_check(dc, 1u << ot, SEG_ACC_WRITE);
        gen_st(dc, ot, gen_mem_addr(dc), v);
    } else {
        J_ASSERT(0);
    }
}

/* ---- the stack (SS, with ESP or SP by SS.B) ---- */

ir_temp gen_sp(struct dc *dc)
{
    return gen_get_reg(dc, dc->ss32 ? 2 : 1, R_ESP);
}

/* The linear address of ot-sized stack data at offset sp, checked
 * against SS for kind (#SS(0) beyond its limit). */
ir_temp gen_stack_addr(struct dc *dc, ir_temp sp, int ot, int kind)
{
    gen_seg_check(dc, SEG_SS, sp, 1u << ot, kind);
    return gen_add_seg(dc, SEG_SS, sp, false);
}

ir_temp gen_sp_add(struct dc *dc, ir_temp sp, int32_t delta)
{
    ir_temp t = dc_tmp(dc);
    ir_op2i(dc->b, IR_add, T32, t, sp, (uint32_t)delta);
    return dc->ss32 ? t : gen_ext(dc, 1, t, false);
}

void gen_set_sp(struct dc *dc, ir_temp sp)
{
    gen_set_reg(dc, dc->ss32 ? 2 : 1, R_ESP, sp);
}

/* Store first, then move ESP: a faulting push leaves ESP unchanged. */
void gen_push(struct dc *dc, int ot, ir_temp v)
{
    ir_temp nsp = gen_sp_add(dc, gen_sp(dc), -(1 << ot));
    gen_st(dc, ot, gen_stack_addr(dc, nsp, ot, SEG_ACC_WRITE), v);
    gen_set_sp(dc, nsp);
}

/* Load the top of the stack; the caller writes *new_sp once nothing else
 * can fault. */
ir_temp gen_pop_load(struct dc *dc, int ot, ir_temp *new_sp)
{
    ir_temp sp = gen_sp(dc);
    ir_temp v = gen_ld(dc, ot, gen_stack_addr(dc, sp, ot, SEG_ACC_READ));
    *new_sp = gen_sp_add(dc, sp, 1 << ot);
    return v;
}

/* ---- lazy flags ---- */

void gen_update_cc_op(struct dc *dc)
{
    if (dc->cc_op_dirty) {
        ir_movi(dc->b, T32, ir_global(IR_G_CC_OP), dc->cc_op);
        dc->cc_op_dirty = false;
    }
}

/* A helper just wrote the global cc_op: it is op from now on. */
void gen_cc_op_written(struct dc *dc, uint32_t op)
{
    dc->cmp_valid = false;
    dc->cc_op = op;
    dc->cc_op_dirty = false;
}

/* CC_OP_DYNAMIC means the global was just written by the caller. */
void gen_set_cc_op(struct dc *dc, uint32_t op)
{
    dc->cmp_valid = false;
    if (op == CC_OP_DYNAMIC) {
        dc->cc_op = op;
        dc->cc_op_dirty = false;
    } else if (dc->cc_op != op) {
        dc->cc_op = op;
        dc->cc_op_dirty = true;
    }
}

void gen_set_cc(struct dc *dc, uint32_t op, ir_temp dst, ir_temp src,
                ir_temp src2)
{
    if (dst != IR_TEMP_NONE)
        ir_mov(dc->b, T32, ir_global(IR_G_CC_DST), dst);
    if (src != IR_TEMP_NONE)
        ir_mov(dc->b, T32, ir_global(IR_G_CC_SRC), src);
    if (src2 != IR_TEMP_NONE)
        ir_mov(dc->b, T32, ir_global(IR_G_CC_SRC2), src2);
    gen_set_cc_op(dc, op);
}

static ir_temp gen_cc_op_value(struct dc *dc)
{
    if (dc->cc_op == CC_OP_DYNAMIC)
        return ir_global(IR_G_CC_OP);
    return dc_cst(dc, dc->cc_op);
}

/* The six arithmetic flags, in their EFLAGS positions. */
ir_temp gen_compute_eflags(struct dc *dc)
{
    ir_temp t = dc_tmp(dc);
    if (dc->cc_op == CC_OP_EFLAGS) {
        ir_mov(dc->b, T32, t, ir_global(IR_G_CC_SRC));
        return t;
    }
    ir_temp in[4] = { gen_cc_op_value(dc), ir_global(IR_G_CC_DST),
                      ir_global(IR_G_CC_SRC), ir_global(IR_G_CC_SRC2) };
    ir_call(dc->b, HELPER_cc_compute_all, t, 4, in);
    return t;
}

void gen_set_eflags_arith(struct dc *dc, ir_temp flags)
{
    ir_mov(dc->b, T32, ir_global(IR_G_CC_SRC), flags);
    gen_set_cc_op(dc, CC_OP_EFLAGS);
}

enum cc_kind { CCK_ADD, CCK_ADC, CCK_SUB, CCK_SBB, CCK_LOGIC, CCK_INC,
               CCK_DEC, CCK_SHL, CCK_SAR, CCK_MUL, CCK_OTHER };

static enum cc_kind cc_kind(uint32_t op)
{
    if (op == CC_OP_EFLAGS || op >= CC_OP_NB)
        return CCK_OTHER;
    return (enum cc_kind)((op - 1) / 3);
}

/* The lazy state just set is a SUB of a and b (zero-extended temps that
 * stay valid for the rest of the block). */
void gen_note_cmp(struct dc *dc, ir_temp a, ir_temp b)
{
    dc->cmp_valid = true;
    dc->cmp_a = a;
    dc->cmp_b = b;
}

/* The second operand of a SUB-family state, zero-extended. */
static ir_temp gen_sub_second(struct dc *dc, int ot)
{
    if (dc->cmp_valid)
        return dc->cmp_b;
    return gen_ext(dc, ot, ir_global(IR_G_CC_SRC), false);
}

/* dst + src of a SUB-family state: its first operand, zero-extended. */
static ir_temp gen_sub_first(struct dc *dc, int ot)
{
    if (dc->cmp_valid)
        return dc->cmp_a;
    ir_temp t = dc_tmp(dc);
    ir_op2(dc->b, IR_add, T32, t, ir_global(IR_G_CC_DST),
           ir_global(IR_G_CC_SRC));
    return gen_ext(dc, ot, t, false);
}

/* CF as 0/1. */
ir_temp gen_compute_cf(struct dc *dc)
{
    struct ir_block *b = dc->b;
    ir_temp t = dc_tmp(dc);
    uint32_t op = dc->cc_op;
    int ot = cc_op_size(op);
    switch (cc_kind(op)) {
    case CCK_ADD:
        ir_setcond(b, T32, IR_COND_LTU, t,
                   gen_ext(dc, ot, ir_global(IR_G_CC_DST), false),
                   gen_ext(dc, ot, ir_global(IR_G_CC_SRC), false));
        return t;
    case CCK_SUB:
        ir_setcond(b, T32, IR_COND_LTU, t, gen_sub_first(dc, ot),
                   gen_sub_second(dc, ot));
        return t;
    case CCK_LOGIC:
        ir_movi(b, T32, t, 0);
        return t;
    case CCK_INC:
    case CCK_DEC:
        ir_op2i(b, IR_and, T32, t, ir_global(IR_G_CC_SRC), 1);
        return t;
    case CCK_SHL:
        ir_extract(b, T32, t, ir_global(IR_G_CC_SRC), (8u << ot) - 1, 1);
        return t;
    case CCK_SAR:
        ir_op2i(b, IR_and, T32, t, ir_global(IR_G_CC_SRC), 1);
        return t;
    case CCK_MUL:
        ir_setcond(b, T32, IR_COND_NE, t, ir_global(IR_G_CC_SRC),
                   dc_cst(dc, 0));
        return t;
    default:
        break;
    }
    if (op == CC_OP_EFLAGS) {
        ir_op2i(b, IR_and, T32, t, ir_global(IR_G_CC_SRC), 1);
        return t;
    }
    ir_temp in[4] = { gen_cc_op_value(dc), ir_global(IR_G_CC_DST),
                      ir_global(IR_G_CC_SRC), ir_global(IR_G_CC_SRC2) };
    ir_call(b, HELPER_cc_compute_c, t, 4, in);
    return t;
}

static enum ir_cond cond_invert(enum ir_cond c)
{
    switch (c) {
    case IR_COND_EQ: return IR_COND_NE;
    case IR_COND_NE: return IR_COND_EQ;
    case IR_COND_LT: return IR_COND_GE;
    case IR_COND_GE: return IR_COND_LT;
    case IR_COND_LE: return IR_COND_GT;
    case IR_COND_GT: return IR_COND_LE;
    case IR_COND_LTU: return IR_COND_GEU;
    case IR_COND_GEU: return IR_COND_LTU;
    case IR_COND_LEU: return IR_COND_GTU;
    case IR_COND_GTU: return IR_COND_LEU;
    case IR_COND_ALWAYS: return IR_COND_NEVER;
    default: return IR_COND_ALWAYS;
    }
}

/* Condition codes (SDM 2, appendix B.1): cc>>1 selects O B Z BE S P L LE,
 * bit 0 negates. The common static cc_ops are evaluated inline. */
enum { CCB_O, CCB_B, CCB_Z, CCB_BE, CCB_S, CCB_P, CCB_L, CCB_LE };

static bool gen_cc_inline(struct dc *dc, int base, struct gen_cond *r)
{
    uint32_t op = dc->cc_op;
    enum cc_kind k = cc_kind(op);
    int ot = cc_op_size(op);
    ir_temp zero = dc_cst(dc, 0);
    ir_temp dst = ir_global(IR_G_CC_DST);

    if (k == CCK_OTHER)
        return false;
    switch (base) {
    case CCB_Z: /* every sized cc_op computes ZF from dst */
        *r = (struct gen_cond){ IR_COND_EQ, gen_ext(dc, ot, dst, false), zero };
        return true;
    case CCB_S:
        *r = (struct gen_cond){ IR_COND_LT, gen_ext(dc, ot, dst, true), zero };
        return true;
    case CCB_B:
        if (k == CCK_SUB) {
            *r = (struct gen_cond){ IR_COND_LTU, gen_sub_first(dc, ot),
                                    gen_sub_second(dc, ot) };
            return true;
        }
        if (k == CCK_ADD || k == CCK_LOGIC || k == CCK_INC || k == CCK_DEC ||
            k == CCK_SHL || k == CCK_SAR || k == CCK_MUL) {
            *r = (struct gen_cond){ IR_COND_NE, gen_compute_cf(dc), zero };
            return true;
        }
        return false;
    case CCB_BE:
        if (k == CCK_SUB) {
            *r = (struct gen_cond){ IR_COND_LEU, gen_sub_first(dc, ot),
                                    gen_sub_second(dc, ot) };
            return true;
        }
        if (k == CCK_LOGIC) {
            *r = (struct gen_cond){ IR_COND_EQ, gen_ext(dc, ot, dst, false), zero };
            return true;
        }
        return false;
    case CCB_L:
    case CCB_LE: {
        enum ir_cond c = base == CCB_L ? IR_COND_LT : IR_COND_LE;
        if (k == CCK_SUB) {
            *r = (struct gen_cond){ c, gen_ext(dc, ot, gen_sub_first(dc, ot), true),
                                    gen_ext(dc, ot, gen_sub_second(dc, ot), true) };
            return true;
        }
        if (k == CCK_LOGIC) {
            *r = (struct gen_cond){ c, gen_ext(dc, ot, dst, true), zero };
            return true;
        }
        return false;
    }
    case CCB_O:
        if (k == CCK_LOGIC) {
            *r = (struct gen_cond){ IR_COND_NEVER, zero, zero };
            return true;
        }
        return false;
    default:
        return false;
    }
}

struct gen_cond gen_cc_cond(struct dc *dc, int cc)
{
    struct ir_block *b = dc->b;
    struct gen_cond r;
    int base = (cc >> 1) & 7;

    if (!gen_cc_inline(dc, base, &r)) {
        ir_temp f = gen_compute_eflags(dc);
        ir_temp t = dc_tmp(dc);
        static const uint32_t masks[6] = {
            EFLAGS_OF, EFLAGS_CF, EFLAGS_ZF, EFLAGS_CF | EFLAGS_ZF,
            EFLAGS_SF, EFLAGS_PF,
        };
        if (base < CCB_L) {
            ir_op2i(b, IR_and, T32, t, f, masks[base]);
        } else {
            /* SF (bit 7) xor OF (bit 11 moved to 7), or'ed with ZF for LE */
            ir_temp s = dc_tmp(dc), x = dc_tmp(dc);
            ir_op2i(b, IR_shr, T32, s, f, 4);
            ir_op2(b, IR_xor, T32, x, s, f);
            ir_op2i(b, IR_and, T32, t, x, EFLAGS_SF);
            if (base == CCB_LE) {
                ir_temp z = dc_tmp(dc), u = dc_tmp(dc);
                ir_op2i(b, IR_and, T32, z, f, EFLAGS_ZF);
                ir_op2(b, IR_or, T32, u, t, z);
                t = u;
            }
        }
        r = (struct gen_cond){ IR_COND_NE, t, dc_cst(dc, 0) };
    }
    if (cc & 1)
        r.c = cond_invert(r.c);
    return r;
}

/* ---- helper calls and block exits ---- */

/* Helpers may read the lazy flags or raise: cc_op must be current. */
void gen_helper(struct dc *dc, int id, ir_temp out, int n, ir_temp a0,
                ir_temp a1, ir_temp a2, ir_temp a3)
{
    ir_temp in[4] = { a0, a1, a2, a3 };
    gen_update_cc_op(dc);
    ir_call(dc->b, id, out, n, in);
}

void gen_exception(struct dc *dc, int vec)
{
    gen_helper(dc, HELPER_raise_exception, IR_TEMP_NONE, 1,
               dc_cst(dc, (uint32_t)vec), 0, 0, 0);
    /* Not reached at run time; keeps the block well formed. */
    ir_movi(dc->b, T32, ir_global(IR_G_EIP), dc->pc);
    ir_exit_tb(dc->b, TB_EXIT_NOCHAIN);
    dc->end = DC_DONE;
}

void gen_exception_err(struct dc *dc, int vec, uint32_t err)
{
    gen_helper(dc, HELPER_raise_exception_err, IR_TEMP_NONE, 2,
               dc_cst(dc, (uint32_t)vec), dc_cst(dc, err), 0, 0);
    ir_movi(dc->b, T32, ir_global(IR_G_EIP), dc->pc);
    ir_exit_tb(dc->b, TB_EXIT_NOCHAIN);
    dc->end = DC_DONE;
}

/*
 * A chained jump reaches its block without a lookup, so under paging it
 * may only lead to the block's own first page, whose mapping (frame, U/S,
 * execute-disable) is the one this block was found under. A direct jump
 * to another page looks its block up in the jump cache, which every TLB
 * flush empties, so the new page's current mapping is always the one
 * checked. Without paging linear pages map to themselves: chain freely.
 */
void gen_jmp_direct(struct dc *dc, uint32_t eip, int slot)
{
    uint32_t lin = dc->cs_base + eip;

    gen_update_cc_op(dc);
    ir_movi(dc->b, T32, ir_global(IR_G_EIP), eip);
    if (!(dc->hflags & HF_PG) ||
        !((lin ^ (uint32_t)dc->tb->pc) & (uint32_t)PAGE_MASK))
        ir_goto_tb(dc->b, slot);
    else if (log_enabled(LOG_NOCHAIN))
        ir_exit_tb(dc->b, TB_EXIT_NOCHAIN);
    else
        ir_lookup_tb(dc->b);
}

void gen_jmp_indirect(struct dc *dc, ir_temp eip)
{
    gen_update_cc_op(dc);
    ir_mov(dc->b, T32, ir_global(IR_G_EIP), eip);
    /* Single-stepping, every block returns to the CPU loop (its #DB). */
    if (log_enabled(LOG_NOCHAIN) || (dc->hflags & HF_TF))
        ir_exit_tb(dc->b, TB_EXIT_NOCHAIN);
    else
        ir_lookup_tb(dc->b);
    dc->end = DC_DONE;
}

void gen_end_nochain(struct dc *dc, ir_temp eip)
{
    gen_update_cc_op(dc);
    ir_mov(dc->b, T32, ir_global(IR_G_EIP), eip);
    ir_exit_tb(dc->b, TB_EXIT_NOCHAIN);
    dc->end = DC_DONE;
}

/* ---- the block loop ---- */

/* Fetch of one instruction's bytes. With CS checked (HF_SEGCHK(SEG_CS)),
 * a byte beyond CS.limit is not read (it might not even be mapped): the
 * fetch notes it and decoding goes on with zeros. */
struct fetch_ctx {
    struct cpu *cpu;
    uint32_t lin;
    uint32_t pc;       /* offset of the instruction in CS */
    bool check;        /* CS is not flat */
    bool beyond;       /* a byte beyond CS.limit was asked for */
};

static uint8_t translate_fetch(void *opaque, unsigned i)
{
    struct fetch_ctx *f = opaque;
    if (f->check && (uint64_t)f->pc + i > f->cpu->seg[SEG_CS].limit) {
        f->beyond = true;
        return 0;
    }
    return cpu_ld_code(f->cpu, f->lin + i);
}

/*
 * The CS limit of a cached block (SDM 3A 5.3: an instruction any byte of
 * which lies beyond CS.limit faults #GP(0) before it executes). A block is
 * found again by (pc, CS base, hflags), which leave the limit out, so a
 * block of a CS that is not flat starts with a check that the limit still
 * covers every byte the block may hold: the rest of its page, or, when the
 * limit at translation falls inside the page, up to that limit (the block
 * ends before an instruction that crosses it: translate_block), or the end
 * of a first instruction that crosses into the next page. So a block on
 * the page that holds the limit runs whole while the limit stays; when
 * the limit shrank since, the helper runs the code instead as
 * one-instruction one-shot blocks, which are translated with the current
 * limit and fault exactly at the instruction that crosses it.
 */
static void gen_cs_limit_entry(struct dc *dc, uint32_t lin, uint32_t len)
{
    uint32_t last = dc->pc + (PAGE_SIZE - (lin & (PAGE_SIZE - 1))) - 1;
    uint32_t limit_now = (uint32_t)dc->cpu->seg[SEG_CS].limit;
    if (limit_now < last)
        last = limit_now;
    if (len > 0 && dc->pc + len - 1 > last)
        last = dc->pc + len - 1;
    struct ir_block *b = dc->b;
    int ok = ir_new_label(b);
    ir_temp limit = dc_tmp(dc);
    ir_ld_env(b, T32, limit, CPU_OFF(seg[SEG_CS].limit), IR_MO_32);
    ir_brcond(b, T32, IR_COND_GEU, limit, dc_cst(dc, last), ok);
    ir_temp none[4] = { IR_TEMP_NONE, IR_TEMP_NONE, IR_TEMP_NONE,
                        IR_TEMP_NONE };
    ir_call(b, HELPER_cs_limit_stale, IR_TEMP_NONE, 0, none);
    ir_set_label(b, ok);
}

/* An instruction with bytes beyond CS.limit: in a one-shot block, made
 * for the limit of now, it faults #GP(0); a cached block ends before it
 * (translate_block: its entry check sends a limit this low to the
 * one-shot path), or, as its first instruction, always takes that path. */
static void gen_cs_limit_beyond(struct dc *dc)
{
    if (dc->tb->cflags & CF_NOCACHE)
        gen_helper(dc, HELPER_raise_exception_err, IR_TEMP_NONE, 2,
                   dc_cst(dc, EXCP_GP), dc_cst(dc, 0), 0, 0);
    else
        gen_helper(dc, HELPER_cs_limit_stale, IR_TEMP_NONE, 0, 0, 0, 0, 0);
    ir_movi(dc->b, T32, ir_global(IR_G_EIP), dc->pc);
    ir_exit_tb(dc->b, TB_EXIT_NOCHAIN);
    dc->end = DC_DONE;
}

static void translate_insn(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    switch (insn->mnem) {
    case X86_INVALID:
    case X86_UNIMPL:
        gen_exception(dc, EXCP_UD);
        return;
    default:
        break;
    }
    if (translate_alu(dc) || translate_mov(dc) || translate_ctl(dc) ||
        translate_fpu(dc))
        return;
    gen_exception(dc, EXCP_UD);
}

void translate_block(struct cpu *cpu, struct tb *tb, struct ir_block *ir)
{
    struct dc dc = { 0 };
    struct x86_insn insn;
    unsigned max_insns = tb->cflags & CF_COUNT_MASK;

    if (max_insns == 0 || max_insns > TRANSLATE_MAX_INSNS)
        max_insns = TRANSLATE_MAX_INSNS;
    /* TF: one instruction a block, then the CPU loop raises the single-step
     * #DB (SDM 3A 17.3.1.4); the MOV SS shadow still adds the next one. */
    if (tb->flags & HF_TF)
        max_insns = 1;
    if (!tb->insns)
        tb->insns = xcalloc(TRANSLATE_MAX_INSNS + 1, sizeof(*tb->insns));

    dc.cpu = cpu;
    dc.tb = tb;
    dc.b = ir;
    dc.insn = &insn;
    dc.cs_base = tb->cs_base;
    dc.hflags = tb->flags;
    dc.code32 = (tb->flags & HF_CS32) != 0;
    dc.ss32 = (tb->flags & HF_SS32) != 0;
    dc.pe = (tb->flags & HF_PE) != 0;
    dc.tl = IR_I32; /* addresses: 32 bits (long mode will make it IR_I64) */
    dc.vm = (tb->flags & HF_VM) != 0;
    dc.addseg = (tb->flags & HF_ADDSEG) != 0;
    dc.cpl = (int)(tb->flags & HF_CPL_MASK);
    dc.iopl = (int)((tb->flags & HF_IOPL_MASK) >> HF_IOPL_SHIFT);
    dc.mmu = (dc.cpl == 3 ? 1u : 0u) << IR_MEMOP_MMU_SHIFT;
    /* Blocks start with cc_op unknown: it is whatever the global holds. */
    dc.cc_op = CC_OP_DYNAMIC;
    dc.pc = tb->pc - tb->cs_base;
    bool cs_check = (tb->flags & HF_SEGCHK(SEG_CS)) != 0;

    unsigned n = 0;
    for (;;) {
        uint32_t lin = dc.cs_base + dc.pc;
        struct fetch_ctx f = { .cpu = cpu, .lin = lin, .pc = dc.pc,
                               .check = cs_check };

        enum x86_decode_status st =
            x86_decode(&insn, dc.code32 ? 32 : 16, dc.pc, translate_fetch, &f);
        if (insn.len == 0)
            insn.len = 1;
        if (f.beyond) {
            bool nocache = (tb->cflags & CF_NOCACHE) != 0;
            if (n > 0 && !nocache) {
                /* a cached block ends before it (gen_cs_limit_beyond) */
                gen_jmp_direct(&dc, dc.pc, 0);
                break;
            }
            /* only the bytes within the limit belong to the block */
            insn.len = dc.pc > cpu->seg[SEG_CS].limit
                           ? 0
                           : cpu->seg[SEG_CS].limit - dc.pc + 1;
        }

        ir_insn_start(ir, dc.pc, dc.cc_op);
        tb->insns[n].eip = dc.pc;
        tb->insns[n].cc_op = dc.cc_op;
        n++;

        if (n == 1 && cs_check && !(tb->cflags & CF_NOCACHE))
            gen_cs_limit_entry(&dc, lin, f.beyond ? 0 : insn.len);
        dc.next_pc = dc.pc + insn.len;
        if (!dc.code32)
            dc.next_pc &= 0xffff;
        /* Only the first instruction, or the one in the shadow of an STI
         * that ends a page, may cross into a second page; the block ends
         * after it (see below), so it never reaches further. */
        if (insn.len > 0 &&
            ((lin ^ (lin + insn.len - 1)) & (uint32_t)PAGE_MASK) &&
            tb->page_addr[1] == (uint64_t)-1)
            tb->page_addr[1] = cpu_code_paddr(cpu, lin + insn.len - 1, 0) &
                               PAGE_MASK;
        dc.a0 = IR_TEMP_NONE;
        dc.end = DC_NEXT;
        /* The instruction after STI / MOV SS runs with interrupts held off
         * (SDM 2, STI). They are only recognized between blocks, and this
         * instruction ends the block, so the shadow can be lifted now; done
         * first so that an instruction ending the block itself (STI; HLT)
         * leaves it lifted too. */
        bool in_shadow = dc.shadow;
        /* A one-instruction uncached block may run the instruction after a
         * protected-mode MOV SS / POP SS (gen_load_seg), and a block made
         * with TF the one after STI: lift the shadow. */
        if (n == 1 && (((tb->cflags & CF_NOCACHE) &&
                        (tb->cflags & CF_COUNT_MASK) == 1) ||
                       (tb->flags & HF_TF)))
            ir_st_env(ir, T32, dc_cst(&dc, 0), CPU_OFF(inhibit_irq), IR_MO_32);
        /* An instruction breakpoint (debug.c): #DB before it runs, except
         * for the first instruction of a block made with RF set. */
        if (cpu->debug.n_bp && !(n == 1 && (tb->flags & HF_RF)) &&
            debug_breakpoint_at(cpu, lin))
            gen_helper(&dc, HELPER_debug_bp, IR_TEMP_NONE, 1, dc_cst(&dc, dc.pc),
                       0, 0, 0);
        if (in_shadow) {
            ir_st_env(ir, T32, dc_cst(&dc, 0), CPU_OFF(inhibit_irq), IR_MO_32);
            dc.shadow = false;
        }

        if (f.beyond) {
            gen_cs_limit_beyond(&dc);
        } else if (st == DECODE_TOO_LONG) {
            gen_helper(&dc, HELPER_raise_exception_err, IR_TEMP_NONE, 2,
                       dc_cst(&dc, EXCP_GP), dc_cst(&dc, 0), 0, 0);
            ir_movi(ir, T32, ir_global(IR_G_EIP), dc.pc);
            ir_exit_tb(ir, TB_EXIT_NOCHAIN);
            dc.end = DC_DONE;
        } else if (st == DECODE_INVALID) {
            gen_exception(&dc, EXCP_UD);
        } else {
            translate_insn(&dc);
        }

        uint32_t end_pc = dc.next_pc;
        tb->size = (dc.cs_base + dc.pc + insn.len) - tb->pc;

        if (dc.end == DC_DONE)
            break;
        if ((dc.end == DC_STOP && !dc.shadow) || (in_shadow && !dc.shadow)) {
            gen_end_nochain(&dc, dc_cst(&dc, end_pc));
            break;
        }
        dc.pc = end_pc;
        if (dc.shadow && n < max_insns)
            continue; /* the shadowed instruction goes into this block */
        if (dc.shadow && max_insns < TRANSLATE_MAX_INSNS) {
            /* A block held to max_insns (an -icount deadline) ends here:
             * the shadowed instruction runs alone in the next block, which
             * lifts the shadow after it, as after a protected-mode MOV SS.
             * Taking it in would make the block longer than the budget the
             * CPU loop asked for, and it would never be entered. */
            ir_st_env(ir, T32, dc_cst(&dc, 1 | CF_NOCACHE),
                      CPU_OFF(next_tb_cflags), IR_MO_32);
            gen_end_nochain(&dc, dc_cst(&dc, dc.pc));
            break;
        }
        if (dc.shadow) {
            /* a run of STIs longer than a block: drop the shadow */
            ir_st_env(ir, T32, dc_cst(&dc, 0), CPU_OFF(inhibit_irq), IR_MO_32);
            gen_end_nochain(&dc, dc_cst(&dc, dc.pc));
            break;
        }
        /* The next instruction must lie whole on the block's first page:
         * stop on the next page (the previous instruction ended exactly at
         * a page boundary, or crossed it) and when fewer bytes than the
         * longest instruction are left, so that stores into any page the
         * block was made from, other than the one page_addr[1] names for a
         * crossing instruction, find the block. */
        uint32_t next_lin = dc.cs_base + dc.pc;
        if (n >= max_insns || ((next_lin ^ tb->pc) & (uint32_t)PAGE_MASK) ||
            PAGE_SIZE - (next_lin & (PAGE_SIZE - 1)) < 15) {
            gen_jmp_direct(&dc, dc.pc, 0);
            break;
        }
    }
    tb->icount = (uint16_t)n;
}

/* -d in_asm: the block's guest instructions through Capstone, re-read from
 * guest memory (the code was just fetched for translation, so the TLB
 * maps it). */
void translate_log_in_asm(struct cpu *cpu, struct tb *tb)
{
    uint8_t code[PAGE_SIZE + 16];
    size_t len = tb->size < sizeof(code) ? tb->size : sizeof(code);
    for (size_t i = 0; i < len; i++)
        code[i] = cpu_ld_code(cpu, tb->pc + (uint32_t)i);
    log_printf("IN: [cs_base %08x flags %04x] %u insns\n", tb->cs_base,
               tb->flags, tb->icount);
    disas_guest(log_file, code, len, tb->pc, (tb->flags & HF_CS32) ? 32 : 16);
    log_printf("\n");
}
