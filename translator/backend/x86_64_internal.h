/*
 * x86_64_internal.h - what the files of the native backend share: the
 * state of one block's generation (struct gen), the register allocator
 * (x86_64_regs.c) and the guest memory accesses (x86_64_mem.c). See
 * x86_64.c for the design.
 */
#ifndef TRANSLATOR_BACKEND_X86_64_INTERNAL_H
#define TRANSLATOR_BACKEND_X86_64_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "translator/backend.h"
#include "translator/backend/x86_64_enc.h"
#include "translator/ir.h"

#define FRAME_SLOTS 512
#define SAVE_AREA (FRAME_SLOTS * 8)
/* slots + a 16-register save area; with the 6 pushes and the return
 * address this keeps RSP 16-byte aligned inside blocks. */
#define FRAME_SIZE (SAVE_AREA + 16 * 8 + 8)

#define CALLER_SAVED_MASK                                                      \
    (1u << X64_RSI | 1u << X64_RDI | 1u << X64_R8 | 1u << X64_R9 |             \
     1u << X64_R10)
/* ---- generation state ---- */

struct tstate {
    int8_t reg;    /* host register or -1 */
    bool dirty;    /* global: register newer than env */
    bool in_slot;  /* local: its stack slot holds the value */
    int16_t slot;  /* local: slot index or -1 */
};

struct slow_stub {
    size_t jcc_field;   /* rel32 of the jne into the stub */
    uintptr_t back;     /* where the stub returns (also its ra) */
    bool store;
    unsigned size;
    bool sign, w64;
    int mmu;
    int val_reg;        /* store: register of the value, or -1 */
    uint64_t val_imm;   /* store: constant value */
    int out_reg;        /* load: destination */
    uint16_t save_mask; /* caller-saved registers live across the call */
    int n_sync;
    struct { int reg; int32_t off; } sync[IR_NB_GLOBALS];
};

struct gen {
    struct x64_buf b;
    struct ir_block *ir;
    struct tb *tb;
    uintptr_t tramp_epilogue; /* the way back to the CPU loop */
    struct tstate *ts;
    int n_ts_cap;
    int reg_owner[16]; /* temp or -1 */
    uint16_t locked;   /* registers in use by the current op */
    uint8_t slot_used[FRAME_SLOTS];
    /* labels and their forward references */
    size_t *label_pos;
    struct { size_t field; int label; } *fixups;
    int n_fixups, cap_fixups;
    struct slow_stub *stubs;
    int n_stubs, cap_stubs;
    int insn_idx;
    size_t block_start;
    size_t entry_exit[2]; /* jcc fields of the entry check's exit */
    int n_entry_exit;
    bool failed;
};

static inline bool is_global(struct gen *g, ir_temp t)
{
    return g->ir->temps[t].kind == IR_TEMP_GLOBAL;
}

static inline bool is_const(struct gen *g, ir_temp t)
{
    return g->ir->temps[t].kind == IR_TEMP_CONST;
}

static inline uint64_t const_val(struct gen *g, ir_temp t)
{
    return g->ir->temps[t].value;
}

static inline int32_t env_off(struct gen *g, ir_temp t)
{
    return g->ir->temps[t].env_offset;
}

static inline int32_t slot_off(int slot) { return slot * 8; }

/* x86_64_regs.c: the register allocator. */
void unbind(struct gen *g, int r);
void reg_bind(struct gen *g, ir_temp t, int r);
void sync_global(struct gen *g, ir_temp t);
int alloc_slot(struct gen *g);
void spill_reg(struct gen *g, int r);
int alloc_reg(struct gen *g, uint16_t avoid);
void load_value(struct gen *g, ir_temp t, int r);
int in_reg(struct gen *g, ir_temp t);
bool imm_ok(struct gen *g, ir_temp t, enum ir_type ty, int32_t *imm);
int out_reg(struct gen *g, ir_temp t, int prefer_reg, bool prefer_ok);
void set_out(struct gen *g, ir_temp t, int r);
bool input_reusable(struct gen *g, const struct ir_op *op, int k, ir_temp out);
void release_dead(struct gen *g, const struct ir_op *op);
void flush_all(struct gen *g);
void sync_all_globals(struct gen *g);
void leave_block(struct gen *g);

/* x86_64_mem.c: guest loads and stores through the inline soft TLB. */
void gen_ld_guest(struct gen *g, const struct ir_op *op);
void gen_st_guest(struct gen *g, const struct ir_op *op);
void gen_stubs(struct gen *g);
void call_abs(struct x64_buf *b, const void *fn);

#endif
