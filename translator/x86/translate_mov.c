/*
 * translate_mov.c - data movement: MOV and its extending forms, LEA,
 * exchanges, conditional moves and sets, the stack (PUSH/POP in every
 * form, PUSHA/POPA, PUSHF/POPF, ENTER/LEAVE), segment register loads, flag
 * moves, and the string instructions (through helper_string.c).
 */
#include <stddef.h>

#include "translator/x86/helpers.h"
#include "translator/x86/translate_internal.h"

static int opnd_ot(const struct dc *dc, int i)
{
    return size_ot(dc->insn->op[i].size);
}

static int sel_offset(int seg)
{
    return (int)(offsetof(struct cpu, seg) + seg * sizeof(struct segment) +
                 offsetof(struct segment, sel));
}

/* A segment register load (MOV/POP Sreg, LDS...). In protected mode it may
 * change hflags (SS.B, ADDSEG), so the block ends after the instruction.
 * MOV SS / POP SS also hold off interrupts for one instruction (SDM 2, MOV):
 * in real and virtual-8086 mode, where hflags stay, that instruction is
 * translated into this block; in protected mode it runs alone in the next
 * block (one instruction, uncached), made with the new hflags, which lifts
 * the shadow at its start (translate_block). */
static void gen_load_seg(struct dc *dc, int seg, ir_temp sel, bool shadow)
{
    ir_temp s = gen_ext(dc, 1, sel, false);
    gen_helper(dc, HELPER_load_seg, IR_TEMP_NONE, 2, dc_cst(dc, (uint32_t)seg),
               s, 0, 0);
    bool prot = dc->pe && !dc->vm;
    if (seg == SEG_SS && shadow) {
        ir_st_env(dc->b, T32, dc_cst(dc, INHIBIT_MOV_SS), CPU_OFF(inhibit_irq),
                  IR_MO_32);
        if (prot) {
            ir_st_env(dc->b, T32, dc_cst(dc, 1 | CF_NOCACHE),
                      CPU_OFF(next_tb_cflags), IR_MO_32);
            dc->end = DC_STOP;
        } else {
            dc->shadow = true;
        }
    } else if (prot) {
        dc->end = DC_STOP;
    }
}

static void gen_mov(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    const struct x86_operand *d = &insn->op[0], *s = &insn->op[1];
    if (d->kind == OPND_SEG) {
        if (d->reg == SEG_CS || d->reg >= SEG_COUNT) {
            gen_exception(dc, EXCP_UD);
            return;
        }
        ir_temp v = gen_load_opnd(dc, 1, s);
        gen_load_seg(dc, d->reg, v, true);
        return;
    }
    if (s->kind == OPND_SEG) {
        ir_temp v = dc_tmp(dc);
        ir_ld_env(dc->b, T32, v, sel_offset(s->reg), IR_MO_16);
        /* a register destination gets the selector zero-extended */
        gen_store_opnd(dc, d->kind == OPND_MEM ? 1 : opnd_ot(dc, 0), d, v);
        return;
    }
    int ot = opnd_ot(dc, 0);
    gen_store_opnd(dc, ot, d, gen_load_opnd(dc, ot, s));
}

static void gen_movx(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    int ot = opnd_ot(dc, 0), sot = opnd_ot(dc, 1);
    bool sign = insn->mnem == X86_MOVSX;
    ir_temp v;
    if (insn->op[1].kind == OPND_MEM) {
        /* the load itself extends to 32 bits */
        v = dc_tmp(dc);
        gen_mem_check(dc, 1u << sot, SEG_ACC_READ);
        ir_ld_guest(dc->b, T32, v, gen_mem_addr(dc),
                    (unsigned)sot | (sign ? IR_MEMOP_SIGN : 0u) | dc_mem(dc));
    } else {
        v = gen_ext(dc, sot, gen_get_reg(dc, sot, insn->op[1].reg), sign);
    }
    gen_set_reg(dc, ot, insn->op[0].reg, v);
}

static void gen_lea(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    if (insn->op[1].kind != OPND_MEM) {
        gen_exception(dc, EXCP_UD);
        return;
    }
    ir_temp ea = gen_ea(dc, &insn->mem, insn->addrsize, IR_TEMP_NONE);
    gen_set_reg(dc, opnd_ot(dc, 0), insn->op[0].reg, ea);
}

static void gen_xchg(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    int ot = opnd_ot(dc, 0);
    const struct x86_operand *p = &insn->op[0], *q = &insn->op[1];
    if (p->kind == OPND_MEM) {
        const struct x86_operand *t = p;
        p = q;
        q = t;
    }
    /* p is a register; q a register or memory */
    ir_temp vp = gen_load_opnd(dc, ot, p);
    ir_temp vq = gen_load_opnd(dc, ot, q);
    gen_store_opnd(dc, ot, q, vp);
    gen_store_opnd(dc, ot, p, vq);
}

static void gen_xlat(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    struct ir_block *b = dc->b;
    int seg = insn->seg_override >= 0 ? insn->seg_override : SEG_DS;
    ir_temp al = gen_get_reg(dc, 0, R_EAX), ea = dc_tmp(dc);
    ir_op2(b, IR_add, T32, ea, ir_global(IR_G_REG0 + R_EBX), al);
    if (insn->addrsize == 2)
        ea = gen_ext(dc, 1, ea, false);
    gen_seg_check(dc, seg, ea, 1, SEG_ACC_READ);
    ir_temp v = gen_ld(dc, 0, gen_add_seg(dc, seg, ea, false));
    gen_set_reg(dc, 0, R_EAX, v);
}

static void gen_cmovcc(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    int ot = opnd_ot(dc, 0);
    struct gen_cond c = gen_cc_cond(dc, insn->cc);
    ir_temp s = gen_load_opnd(dc, ot, &insn->op[1]);
    ir_temp d = gen_get_reg(dc, ot, insn->op[0].reg);
    ir_temp r = dc_tmp(dc);
    ir_movcond(dc->b, T32, c.c, r, c.a, c.x, s, d);
    gen_set_reg(dc, ot, insn->op[0].reg, r);
}

static void gen_setcc(struct dc *dc)
{
    struct gen_cond c = gen_cc_cond(dc, dc->insn->cc);
    ir_temp r = dc_tmp(dc);
    ir_setcond(dc->b, T32, c.c, r, c.a, c.x);
    gen_store_opnd(dc, 0, &dc->insn->op[0], r);
}

/* CMPXCHG: compare the accumulator with the destination (flags of CMP);
 * equal: destination = source, else accumulator = destination. The
 * destination is written in both cases (SDM 2, CMPXCHG). */
static void gen_cmpxchg(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    struct ir_block *b = dc->b;
    int ot = opnd_ot(dc, 0);
    ir_temp d = gen_load_opnd(dc, ot, &insn->op[0]);
    ir_temp s = gen_load_opnd(dc, ot, &insn->op[1]);
    ir_temp acc = gen_get_reg(dc, ot, R_EAX);
    ir_temp diff = dc_tmp(dc), nd = dc_tmp(dc), nacc = dc_tmp(dc);
    ir_op2(b, IR_sub, T32, diff, acc, d);
    ir_temp z = gen_ext(dc, ot, diff, false), zero = dc_cst(dc, 0);
    ir_movcond(b, T32, IR_COND_EQ, nd, z, zero, s, d);
    ir_movcond(b, T32, IR_COND_EQ, nacc, z, zero, acc, d);
    if (insn->op[0].kind == OPND_MEM) {
        gen_store_opnd(dc, ot, &insn->op[0], nd);
        gen_set_reg(dc, ot, R_EAX, nacc);
    } else {
        /* accumulator first: when the destination is EAX itself, equal
         * means it takes the source */
        gen_set_reg(dc, ot, R_EAX, nacc);
        gen_store_opnd(dc, ot, &insn->op[0], nd);
    }
    gen_set_cc(dc, CC_OP_SUBB + ot, diff, d, IR_TEMP_NONE);
}

static void gen_cmpxchg8b(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    struct ir_block *b = dc->b;
    if (insn->op[0].kind != OPND_MEM) {
        gen_exception(dc, EXCP_UD);
        return;
    }
    ir_temp addr = gen_mem_addr(dc);
    ir_temp m = dc_tmp64(dc);
    gen_mem_check(dc, 8, SEG_ACC_READ);
    ir_ld_guest(b, IR_I64, m, addr, IR_MO_64 | dc_mem(dc));
    ir_temp eax = dc_tmp64(dc), edx = dc_tmp64(dc), ebx = dc_tmp64(dc),
            ecx = dc_tmp64(dc), t = dc_tmp64(dc), cmp = dc_tmp64(dc),
            neu = dc_tmp64(dc), t2 = dc_tmp64(dc), nv = dc_tmp64(dc);
    ir_op1(b, IR_ext32u, IR_I64, eax, ir_global(IR_G_REG0 + R_EAX));
    ir_op1(b, IR_ext32u, IR_I64, edx, ir_global(IR_G_REG0 + R_EDX));
    ir_op1(b, IR_ext32u, IR_I64, ebx, ir_global(IR_G_REG0 + R_EBX));
    ir_op1(b, IR_ext32u, IR_I64, ecx, ir_global(IR_G_REG0 + R_ECX));
    ir_op2i(b, IR_shl, IR_I64, t, edx, 32);
    ir_op2(b, IR_or, IR_I64, cmp, t, eax);
    ir_op2i(b, IR_shl, IR_I64, t2, ecx, 32);
    ir_op2(b, IR_or, IR_I64, neu, t2, ebx);
    ir_movcond(b, IR_I64, IR_COND_EQ, nv, m, cmp, neu, m);
    ir_temp flags = gen_compute_eflags(dc);
    gen_check_mem_write(dc);
    gen_mem_check(dc, 8, SEG_ACC_WRITE);
    ir_st_guest(b, IR_I64, nv, addr, IR_MO_64 | dc_mem(dc));

    ir_temp zf = dc_tmp(dc), lo = dc_tmp(dc), hi64 = dc_tmp64(dc), hi = dc_tmp(dc);
    ir_setcond(b, IR_I64, IR_COND_EQ, zf, m, cmp);
    ir_mov(b, T32, lo, m);
    ir_op2i(b, IR_shr, IR_I64, hi64, m, 32);
    ir_mov(b, T32, hi, hi64);
    /* equal: EDX:EAX unchanged; else loaded from memory */
    ir_temp g_eax = ir_global(IR_G_REG0 + R_EAX), g_edx = ir_global(IR_G_REG0 + R_EDX);
    ir_movcond(b, T32, IR_COND_NE, g_eax, zf, dc_cst(dc, 0), g_eax, lo);
    ir_movcond(b, T32, IR_COND_NE, g_edx, zf, dc_cst(dc, 0), g_edx, hi);
    ir_temp nf = dc_tmp(dc);
    ir_deposit(b, T32, nf, flags, zf, 6, 1);
    gen_set_eflags_arith(dc, nf);
}

static void gen_xadd(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    int ot = opnd_ot(dc, 0);
    ir_temp d = gen_load_opnd(dc, ot, &insn->op[0]);
    ir_temp s = gen_get_reg(dc, ot, insn->op[1].reg);
    ir_temp r = dc_tmp(dc);
    ir_op2(dc->b, IR_add, T32, r, d, s);
    if (insn->op[0].kind == OPND_MEM) {
        gen_store_opnd(dc, ot, &insn->op[0], r);
        gen_set_reg(dc, ot, insn->op[1].reg, d);
    } else {
        gen_set_reg(dc, ot, insn->op[1].reg, d);
        gen_store_opnd(dc, ot, &insn->op[0], r);
    }
    gen_set_cc(dc, CC_OP_ADDB + ot, r, s, IR_TEMP_NONE);
}

static void gen_bswap(struct dc *dc)
{
    int reg = dc->insn->op[0].reg;
    if (dc->insn->opsize == 2) {
        /* undefined by the SDM; Intel processors clear the register */
        gen_set_reg(dc, 1, reg, dc_cst(dc, 0));
        return;
    }
    ir_temp r = dc_tmp(dc);
    ir_op1(dc->b, IR_bswap32, T32, r, ir_global(IR_G_REG0 + reg));
    gen_set_reg(dc, 2, reg, r);
}

/* ---- the stack ---- */

static void gen_push_insn(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    const struct x86_operand *o = &insn->op[0];
    int ot = gen_opsize_ot(dc);
    if (o->kind == OPND_SEG) {
        /* The selector is written as a word; the stack moves by the
         * operand size (SDM 2, PUSH). */
        ir_temp v = dc_tmp(dc);
        ir_ld_env(dc->b, T32, v, sel_offset(o->reg), IR_MO_16);
        ir_temp nsp = gen_sp_add(dc, gen_sp(dc), -(1 << ot));
        gen_st(dc, 1, gen_stack_addr(dc, nsp, ot, SEG_ACC_WRITE), v);
        gen_set_sp(dc, nsp);
        return;
    }
    ir_temp v = gen_load_opnd(dc, ot, o);
    gen_push(dc, ot, v);
}

static void gen_pop_insn(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    const struct x86_operand *o = &insn->op[0];
    int ot = gen_opsize_ot(dc);
    ir_temp nsp;
    ir_temp v = gen_pop_load(dc, ot, &nsp);
    switch (o->kind) {
    case OPND_REG:
        gen_set_sp(dc, nsp);
        gen_set_reg(dc, ot, o->reg, v); /* POP ESP: the loaded value wins */
        break;
    case OPND_MEM: {
        /* SDM 2, POP: an ESP base is the value after the pop. */
        ir_temp ea = gen_ea(dc, &insn->mem, insn->addrsize, nsp);
        ir_temp addr = gen_add_seg(dc, insn->mem.seg, ea, false);
        gen_check_mem_write(dc);
        gen_seg_check(dc, insn->mem.seg, ea, 1u << ot, SEG_ACC_WRITE);
        gen_st(dc, ot, addr, v);
        gen_set_sp(dc, nsp);
        break;
    }
    case OPND_SEG:
        if (o->reg == SEG_CS || o->reg >= SEG_COUNT) {
            gen_exception(dc, EXCP_UD);
            return;
        }
        gen_load_seg(dc, o->reg, v, true);
        gen_set_sp(dc, nsp);
        break;
    default:
        gen_exception(dc, EXCP_UD);
        break;
    }
}

static void gen_pusha(struct dc *dc)
{
    int ot = gen_opsize_ot(dc);
    int size = 1 << ot;
    ir_temp sp = gen_sp(dc);
    ir_temp old = gen_get_reg(dc, ot, R_ESP);
    for (int i = 0; i < 8; i++) {
        ir_temp v = i == R_ESP ? old : gen_get_reg(dc, ot, i);
        ir_temp a = gen_sp_add(dc, sp, -size * (i + 1));
        gen_st(dc, ot, gen_stack_addr(dc, a, ot, SEG_ACC_WRITE), v);
    }
    gen_set_sp(dc, gen_sp_add(dc, sp, -size * 8));
}

static void gen_popa(struct dc *dc)
{
    int ot = gen_opsize_ot(dc);
    int size = 1 << ot;
    ir_temp sp = gen_sp(dc);
    ir_temp v[8];
    for (int i = 0; i < 8; i++) {
        if (i == R_ESP)
            continue; /* skipped */
        ir_temp a = gen_sp_add(dc, sp, size * (7 - i));
        v[i] = gen_ld(dc, ot, gen_stack_addr(dc, a, ot, SEG_ACC_READ));
    }
    for (int i = 0; i < 8; i++)
        if (i != R_ESP)
            gen_set_reg(dc, ot, i, v[i]);
    gen_set_sp(dc, gen_sp_add(dc, sp, size * 8));
}

static void gen_pushf(struct dc *dc)
{
    int ot = gen_opsize_ot(dc);
    ir_temp v = dc_tmp(dc);
    gen_helper(dc, HELPER_read_eflags, v, 0, 0, 0, 0, 0);
    gen_push(dc, ot, v);
}

/* POPF may change IF and TF: the block ends after it. */
static void gen_popf(struct dc *dc)
{
    int ot = gen_opsize_ot(dc);
    ir_temp nsp;
    ir_temp v = gen_pop_load(dc, ot, &nsp);
    gen_helper(dc, HELPER_popf, IR_TEMP_NONE, 2, v, dc_cst(dc, 1u << ot), 0, 0);
    gen_cc_op_written(dc, CC_OP_EFLAGS);
    gen_set_sp(dc, nsp);
    dc->end = DC_STOP;
}

/* ENTER (SDM 2): push EBP, copy level-1 frame pointers, push the frame,
 * then EBP = frame and ESP = frame - size. All stores come first, and
 * before them the check of the final stack pointer: "#SS(0) If the new
 * value of the SP or ESP register is outside the stack segment limit",
 * with nothing written (an operand-sized write at the final ESP, the
 * lowest offset ENTER reaches; the stores are checked one by one too). */
static void gen_enter(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    int ot = gen_opsize_ot(dc);
    int size = 1 << ot;
    uint32_t alloc = insn->op[0].value & 0xffff;
    uint32_t level = (insn->n_opnds > 1 ? insn->op[1].value : 0) & 31;
    ir_temp sp = gen_sp(dc);
    uint32_t pushes = 1 + (level > 0 ? level : 0);
    ir_temp final = gen_sp_add(dc, sp, -(int32_t)(pushes * (uint32_t)size + alloc));
    gen_seg_check(dc, SEG_SS, final, (unsigned)size, SEG_ACC_WRITE);
    ir_temp nsp = gen_sp_add(dc, sp, -size);
    gen_st(dc, ot, gen_stack_addr(dc, nsp, ot, SEG_ACC_WRITE),
           gen_get_reg(dc, ot, R_EBP));
    ir_temp frame = nsp;
    if (level > 0) {
        ir_temp bp = gen_get_reg(dc, dc->ss32 ? 2 : 1, R_EBP);
        for (uint32_t i = 1; i < level; i++) {
            ir_temp a = gen_sp_add(dc, bp, -size * (int32_t)i);
            ir_temp v = gen_ld(dc, ot, gen_stack_addr(dc, a, ot, SEG_ACC_READ));
            nsp = gen_sp_add(dc, nsp, -size);
            gen_st(dc, ot, gen_stack_addr(dc, nsp, ot, SEG_ACC_WRITE), v);
        }
        nsp = gen_sp_add(dc, nsp, -size);
        gen_st(dc, ot, gen_stack_addr(dc, nsp, ot, SEG_ACC_WRITE), frame);
    }
    gen_set_reg(dc, ot, R_EBP, frame);
    gen_set_sp(dc, gen_sp_add(dc, nsp, -(int32_t)alloc));
}

static void gen_leave(struct dc *dc)
{
    int ot = gen_opsize_ot(dc);
    ir_temp bp = gen_get_reg(dc, dc->ss32 ? 2 : 1, R_EBP);
    ir_temp v = gen_ld(dc, ot, gen_stack_addr(dc, bp, ot, SEG_ACC_READ));
    gen_set_sp(dc, gen_sp_add(dc, bp, 1 << ot));
    gen_set_reg(dc, ot, R_EBP, v);
}

/* LDS LES LSS LFS LGS: offset then selector from memory. */
static void gen_lxs(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    static const int segs[] = { [X86_LES - X86_LES] = SEG_ES,
                                [X86_LDS - X86_LES] = SEG_DS,
                                [X86_LSS - X86_LES] = SEG_SS,
                                [X86_LFS - X86_LES] = SEG_FS,
                                [X86_LGS - X86_LES] = SEG_GS };
    if (insn->op[1].kind != OPND_MEM) {
        gen_exception(dc, EXCP_UD);
        return;
    }
    int ot = opnd_ot(dc, 0);
    ir_temp addr = gen_mem_addr(dc);
    gen_mem_check(dc, (1u << ot) + 2, SEG_ACC_READ);
    ir_temp off = gen_ld(dc, ot, addr);
    ir_temp a2 = dc_tmp(dc);
    ir_op2i(dc->b, IR_add, T32, a2, addr, 1u << ot);
    ir_temp sel = gen_ld(dc, 1, a2);
    gen_load_seg(dc, segs[insn->mnem - X86_LES], sel, false);
    gen_set_reg(dc, ot, insn->op[0].reg, off);
}

/* ---- flags ---- */

static void gen_flag_insn(struct dc *dc)
{
    struct ir_block *b = dc->b;
    int mnem = dc->insn->mnem;
    if (mnem == X86_CLD || mnem == X86_STD) {
        ir_temp e = dc_tmp(dc), n = dc_tmp(dc);
        ir_ld_env(b, T32, e, CPU_OFF(eflags), IR_MO_32);
        if (mnem == X86_CLD)
            ir_op2i(b, IR_and, T32, n, e, ~EFLAGS_DF);
        else
            ir_op2i(b, IR_or, T32, n, e, EFLAGS_DF);
        ir_st_env(b, T32, n, CPU_OFF(eflags), IR_MO_32);
        return;
    }
    ir_temp f = gen_compute_eflags(dc), n = dc_tmp(dc);
    switch (mnem) {
    case X86_CLC: ir_op2i(b, IR_and, T32, n, f, ~EFLAGS_CF); break;
    case X86_STC: ir_op2i(b, IR_or, T32, n, f, EFLAGS_CF); break;
    case X86_CMC: ir_op2i(b, IR_xor, T32, n, f, EFLAGS_CF); break;
    case X86_LAHF: {
        /* AH = SF ZF 0 AF 0 PF 1 CF */
        ir_temp t = dc_tmp(dc);
        ir_op2i(b, IR_and, T32, t, f, 0xd5);
        ir_op2i(b, IR_or, T32, n, t, EFLAGS_FIXED);
        gen_set_reg(dc, 0, 4, n);
        return;
    }
    default: { /* SAHF: SF ZF AF PF CF from AH, OF kept */
        ir_temp ah = gen_get_reg(dc, 0, 4), t1 = dc_tmp(dc), t2 = dc_tmp(dc);
        ir_op2i(b, IR_and, T32, t1, ah, 0xd5);
        ir_op2i(b, IR_and, T32, t2, f, EFLAGS_OF);
        ir_op2(b, IR_or, T32, n, t1, t2);
        break;
    }
    }
    gen_set_eflags_arith(dc, n);
}

/* ---- strings ---- */

static void gen_string(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    int mnem = insn->mnem;
    int ot = (insn->opcode & 1) ? gen_opsize_ot(dc) : 0;
    int seg = insn->seg_override >= 0 ? insn->seg_override : SEG_DS;
    int rep = insn->rep;
    int id;
    switch (mnem) {
    case X86_MOVS: id = HELPER_movs; break;
    case X86_STOS: id = HELPER_stos; break;
    case X86_LODS: id = HELPER_lods; break;
    case X86_SCAS: id = HELPER_scas; break;
    case X86_CMPS: id = HELPER_cmps; break;
    case X86_INS: id = HELPER_ins; break;
    default: id = HELPER_outs; break;
    }
    if (rep && mnem != X86_SCAS && mnem != X86_CMPS)
        rep = REP_F3;
    if ((mnem == X86_INS || mnem == X86_OUTS) && dc_io_checked(dc))
        gen_helper(dc, HELPER_check_io, IR_TEMP_NONE, 2,
                   gen_get_reg(dc, 1, R_EDX), dc_cst(dc, 1u << ot), 0, 0);
    uint32_t mode = STR_MODE(ot, insn->addrsize == 4, seg, rep);
    gen_helper(dc, id, IR_TEMP_NONE, 2, dc_cst(dc, mode), dc_cst(dc, dc->pc),
               0, 0);
    if (mnem == X86_SCAS || mnem == X86_CMPS)
        gen_cc_op_written(dc, rep ? CC_OP_DYNAMIC : CC_OP_SUBB + (uint32_t)ot);
}

bool translate_mov(struct dc *dc)
{
    switch (dc->insn->mnem) {
    case X86_MOV: gen_mov(dc); return true;
    case X86_MOVZX: case X86_MOVSX: gen_movx(dc); return true;
    case X86_LEA: gen_lea(dc); return true;
    case X86_XCHG: gen_xchg(dc); return true;
    case X86_XLAT: gen_xlat(dc); return true;
    case X86_CMOVCC: gen_cmovcc(dc); return true;
    case X86_SETCC: gen_setcc(dc); return true;
    case X86_CMPXCHG: gen_cmpxchg(dc); return true;
    case X86_CMPXCHG8B: gen_cmpxchg8b(dc); return true;
    case X86_XADD: gen_xadd(dc); return true;
    case X86_BSWAP: gen_bswap(dc); return true;
    case X86_PUSH: gen_push_insn(dc); return true;
    case X86_POP: gen_pop_insn(dc); return true;
    case X86_PUSHA: gen_pusha(dc); return true;
    case X86_POPA: gen_popa(dc); return true;
    case X86_PUSHF: gen_pushf(dc); return true;
    case X86_POPF: gen_popf(dc); return true;
    case X86_ENTER: gen_enter(dc); return true;
    case X86_LEAVE: gen_leave(dc); return true;
    case X86_LES: case X86_LDS: case X86_LSS: case X86_LFS: case X86_LGS:
        gen_lxs(dc);
        return true;
    case X86_CLC: case X86_STC: case X86_CMC: case X86_CLD: case X86_STD:
    case X86_LAHF: case X86_SAHF:
        gen_flag_insn(dc);
        return true;
    case X86_MOVS: case X86_STOS: case X86_LODS: case X86_SCAS: case X86_CMPS:
    case X86_INS: case X86_OUTS:
        gen_string(dc);
        return true;
    case X86_NOP: case X86_PAUSE: case X86_PREFETCH:
        return true;
    default:
        return false;
    }
}
