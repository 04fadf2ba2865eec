/*
 * translate_internal.h - the translation context shared by the
 * translate*.c files, and the small emitters they all use (registers,
 * effective addresses, guest memory, the stack, lazy flags, conditions).
 */
#ifndef TRANSLATOR_TRANSLATE_INTERNAL_H
#define TRANSLATOR_TRANSLATE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "translator/x86/cpu.h"
#include "translator/x86/decode.h"
#include "translator/x86/flags.h"
#include "translator/ir.h"
#include "translator/tb.h"

/* How the current instruction ends the block. */
enum dc_end {
    DC_NEXT = 0,   /* go on with the next instruction */
    DC_DONE,       /* the instruction emitted its own block exit */
    DC_STOP,       /* end after it: eip = next, exit_tb(NOCHAIN) */
};

struct dc {
    struct cpu *cpu;
    struct tb *tb;
    struct ir_block *b;
    const struct x86_insn *insn;

    uint32_t cs_base;
    uint32_t hflags;
    uint32_t pc;      /* eip of the current instruction */
    uint32_t next_pc; /* eip of the following one */
    bool code32, ss32, pe, vm, addseg;
    int cpl;
    int iopl;         /* EFLAGS.IOPL in protected mode (hflags) */
    unsigned mmu;     /* memop bits for guest accesses */

    uint32_t cc_op;   /* static cc_op, or CC_OP_DYNAMIC */
    bool cc_op_dirty; /* cc_op differs from the global */
    /* When the lazy state is a SUB set by this block: its operands, so that
     * conditions compare them directly. */
    bool cmp_valid;
    ir_temp cmp_a, cmp_b;

    enum dc_end end;
    bool shadow;      /* STI / MOV SS: end after the next instruction */
    ir_temp a0;       /* linear address of the memory operand, or NONE */
    ir_temp ea0;      /* its offset in the segment (with a0) */
    /* The IR type of addresses (effective and linear) in this block: the
     * guest's address width, 32 bits outside long mode. An address is
     * never "a T32 value": it is built with dc->tl and dc_addr_tmp(). */
    enum ir_type tl;
};

/* T32, T64: operand data of 32 and 64 bits. */
#define T32 IR_I32
#define T64 IR_I64
static inline ir_temp dc_cst(struct dc *dc, uint32_t v)
{
    return ir_const(dc->b, IR_I32, v);
}
static inline ir_temp dc_tmp(struct dc *dc) { return ir_new_temp(dc->b, IR_I32); }
static inline ir_temp dc_tmp64(struct dc *dc) { return ir_new_temp(dc->b, IR_I64); }
static inline ir_temp dc_addr_tmp(struct dc *dc) { return ir_new_temp(dc->b, dc->tl); }
/* The memop bits of every guest access of this block: MMU mode and
 * address width (with the access size or'ed in by the caller). */
static inline unsigned dc_mem(const struct dc *dc)
{
    return dc->mmu | (dc->tl == IR_I64 ? IR_MEMOP_ADDR64 : 0u);
}

/* log2 of an operand size in bytes (1, 2, 4 -> 0, 1, 2). */
static inline int size_ot(unsigned size) { return size == 1 ? 0 : size == 2 ? 1 : 2; }
static inline uint32_t ot_mask(int ot)
{
    return ot == 0 ? 0xffu : ot == 1 ? 0xffffu : 0xffffffffu;
}

/* translate.c: emitters */
ir_temp gen_get_reg(struct dc *dc, int ot, int reg);
void gen_set_reg(struct dc *dc, int ot, int reg, ir_temp v);
ir_temp gen_ext(struct dc *dc, int ot, ir_temp v, bool sign);
ir_temp gen_seg_base(struct dc *dc, int seg);
ir_temp gen_add_seg(struct dc *dc, int seg, ir_temp ea, bool always);
ir_temp gen_ea(struct dc *dc, const struct x86_mem *m, int addrsize,
               ir_temp esp_value);
ir_temp gen_mem_addr(struct dc *dc);
ir_temp gen_mem_ea(struct dc *dc);
void gen_seg_check(struct dc *dc, int seg, ir_temp ea, unsigned size,
                   int kind);
void gen_mem_check(struct dc *dc, unsigned size, int kind);
void gen_cs_target_check(struct dc *dc, ir_temp eip);
ir_temp gen_ld(struct dc *dc, int ot, ir_temp addr);
void gen_st(struct dc *dc, int ot, ir_temp addr, ir_temp v);
ir_temp gen_load_opnd(struct dc *dc, int ot, const struct x86_operand *o);
void gen_check_mem_write(struct dc *dc);
void gen_store_opnd(struct dc *dc, int ot, const struct x86_operand *o,
                    ir_temp v);
ir_temp gen_sp(struct dc *dc);
ir_temp gen_stack_addr(struct dc *dc, ir_temp sp, int ot, int kind);
void gen_set_sp(struct dc *dc, ir_temp sp);
ir_temp gen_sp_add(struct dc *dc, ir_temp sp, int32_t delta);
void gen_push(struct dc *dc, int ot, ir_temp v);
ir_temp gen_pop_load(struct dc *dc, int ot, ir_temp *new_sp);
void gen_update_cc_op(struct dc *dc);
void gen_set_cc_op(struct dc *dc, uint32_t op);
void gen_cc_op_written(struct dc *dc, uint32_t op);
void gen_note_cmp(struct dc *dc, ir_temp a, ir_temp b);
void gen_set_cc(struct dc *dc, uint32_t op, ir_temp dst, ir_temp src,
                ir_temp src2);
ir_temp gen_compute_eflags(struct dc *dc);
ir_temp gen_compute_cf(struct dc *dc);
void gen_set_eflags_arith(struct dc *dc, ir_temp flags);
struct gen_cond { enum ir_cond c; ir_temp a, x; };
struct gen_cond gen_cc_cond(struct dc *dc, int cc);
void gen_helper(struct dc *dc, int id, ir_temp out, int n,
                ir_temp a0, ir_temp a1, ir_temp a2, ir_temp a3);
void gen_exception(struct dc *dc, int vec);
void gen_exception_err(struct dc *dc, int vec, uint32_t err);

/* IN, OUT, INS and OUTS consult the TSS I/O permission bitmap in
 * virtual-8086 mode and at CPL > IOPL (SDM 1 19.5, SDM 3A 20.2.8.1); a
 * ring-0 or IOPL-3 block has no check at all. */
static inline bool dc_io_checked(const struct dc *dc)
{
    return dc->pe && (dc->vm || dc->cpl > dc->iopl);
}

void gen_jmp_direct(struct dc *dc, uint32_t eip, int slot);
void gen_jmp_indirect(struct dc *dc, ir_temp eip);
void gen_end_nochain(struct dc *dc, ir_temp eip);
int gen_opsize_ot(const struct dc *dc);

/* Instruction groups: each returns false when the mnemonic is not theirs. */
bool translate_alu(struct dc *dc);
bool translate_mov(struct dc *dc);
bool translate_ctl(struct dc *dc);
bool translate_fpu(struct dc *dc);

#endif
