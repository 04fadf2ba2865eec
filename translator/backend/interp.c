/*
 * interp.c - the portable backend: turns a block's optimized IR into a
 * compact bytecode and runs it with threaded dispatch; helpers are called
 * through libffi. Always built; the reference the native backend is tested
 * against.
 *
 * Code buffer: one contiguous allocation, filled linearly and reset whole
 * (tb_flush). A block's code is
 *
 *   [const pool: u64 ...][ENTRY tb][op][op]...
 *                        ^ tb->code
 *
 * An op is a stream of 32-bit words: the handler (offset of its label from
 * a base label in interp_run), then operands. A value operand is
 *   (signed byte offset << 2) | base
 * with base 0 = the temp frame, 1 = struct cpu (IR globals), 2 = the
 * block's entry (its const pool lies just before it). Branch targets are
 * word offsets from the entry; chained jumps hold the destination's offset
 * in the code buffer. Every slot is 64 bits; I32 ops zero-extend.
 *
 * Precise state: before a slow path or a helper call the op's position is
 * stored in cpu->interp_pc (and passed as ra to the slow paths);
 * find_insn maps it to the guest instruction through tb->insns[].host_end.
 *
 * Helpers are called through libffi (one prepared call interface per
 * helper), except the pure ones (HLP_PURE, 32-bit arguments: the lazy-flag
 * evaluators, bit scans), which are called directly by their exact type.
 * A pointer into the CPU state (H_ENV_PTR) is held in the stream as its
 * offset and passed as cpu + offset.
 */
#include <ffi.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "softmmu/access.h"
#include "translator/backend.h"
#include "translator/ir_eval.h"

/* name, operand words after the handler word (-1: variable, CALL) */
#define INTERP_CONDS(Y, T)                                                     \
    Y(EQ, T) Y(NE, T) Y(LT, T) Y(GE, T) Y(LE, T) Y(GT, T) Y(LTU, T) Y(GEU, T) \
    Y(LEU, T) Y(GTU, T)
#define INTERP_SETC(C, T) X(SETC_##C##_32, 3) X(SETC_##C##_64, 3)
#define INTERP_BRC(C, T) X(BRC_##C##_32, 3) X(BRC_##C##_64, 3)
#define INTERP_BRCI(C, T) X(BRCI_##C##_32, 3)
#define INTERP_OPS                                                             \
    X(ENTRY, 2) X(ENTRY_COUNTED, 2) X(MOV64, 2) X(MOV32, 2) X(SETI, 2)         \
    X(ADD32, 3) X(ADD64, 3) X(SUB32, 3) X(SUB64, 3) X(MUL32, 3) X(MUL64, 3)    \
    X(AND32, 3) X(AND64, 3) X(OR32, 3) X(OR64, 3) X(XOR32, 3) X(XOR64, 3)                                         \
    X(SHL32, 3) X(SHL64, 3) X(SHR32, 3) X(SHR64, 3) X(SAR32, 3) X(SAR64, 3)    \
    X(ROTL32, 3) X(ROTL64, 3) X(ROTR32, 3) X(ROTR64, 3)                        \
    X(ADDI32, 3) X(SUBI32, 3) X(ANDI32, 3) X(ORI32, 3) X(XORI32, 3)            \
    X(SHLI32, 3) X(SHRI32, 3) X(SARI32, 3)                                     \
    X(MULU2_32, 4) X(MULU2_64, 4) X(MULS2_32, 4) X(MULS2_64, 4)                \
    X(NEG32, 2) X(NEG64, 2) X(NOT32, 2) X(NOT64, 2)                            \
    X(EXT8S32, 2) X(EXT8S64, 2) X(EXT16S32, 2) X(EXT16S64, 2)                  \
    X(EXT8U, 2) X(EXT16U, 2) X(EXT32S, 2) X(EXT32U, 2) X(BSWAP32, 2)           \
    X(EXTRACT32, 4) X(EXTRACT64, 4) X(SEXTRACT32, 4) X(SEXTRACT64, 4)          \
    X(DEPOSIT32, 5) X(DEPOSIT64, 5)                                            \
    INTERP_CONDS(INTERP_SETC, 0)                                               \
    X(MOVCOND32, 6) X(MOVCOND64, 6)                                            \
    X(LDE_U8, 2) X(LDE_U16, 2) X(LDE_U32, 2) X(LDE_U64, 2)                     \
    X(LDE_S8_32, 2) X(LDE_S16_32, 2) X(LDE_S8_64, 2) X(LDE_S16_64, 2)          \
    X(LDE_S32_64, 2)                                                           \
    X(STE_8, 2) X(STE_16, 2) X(STE_32, 2) X(STE_64, 2)                         \
    X(LDG_U8, 3) X(LDG_U16, 3) X(LDG_U32, 3) X(LDG_U64, 3)                     \
    X(LDG_S8_32, 3) X(LDG_S16_32, 3) X(LDG_S8_64, 3) X(LDG_S16_64, 3)          \
    X(LDG_S32_64, 3)                                                           \
    X(STG_8, 3) X(STG_16, 3) X(STG_32, 3) X(STG_64, 3)                         \
    X(LDGD_U8, 4) X(LDGD_U16, 4) X(LDGD_U32, 4) X(LDGD_U64, 4)                 \
    X(LDGD_S8_32, 4) X(LDGD_S16_32, 4) X(LDGD_S8_64, 4) X(LDGD_S16_64, 4)      \
    X(LDGD_S32_64, 4)                                                          \
    X(STGD_8, 4) X(STGD_16, 4) X(STGD_32, 4) X(STGD_64, 4)                     \
    X(LDGW_U8, 3) X(LDGW_U16, 3) X(LDGW_U32, 3) X(LDGW_U64, 3)                 \
    X(LDGW_S8_32, 3) X(LDGW_S16_32, 3) X(LDGW_S8_64, 3) X(LDGW_S16_64, 3)      \
    X(LDGW_S32_64, 3)                                                          \
    X(STGW_8, 3) X(STGW_16, 3) X(STGW_32, 3) X(STGW_64, 3)                     \
    X(CALL, -1) X(CALL_PURE, -1)                                               \
    X(BR, 1)                                                                   \
    INTERP_CONDS(INTERP_BRC, 0)                                                \
    INTERP_CONDS(INTERP_BRCI, 0)                                               \
    X(GOTO_TB_EXIT, 2) X(GOTO_TB_CHAIN, 2) X(EXIT_TB, 1) X(LOOKUP_TB, 0)

enum interp_op {
#define X(name, words) IOP_##name,
    INTERP_OPS
#undef X
    IOP_COUNT
};

static const char *const interp_op_names[IOP_COUNT] = {
#define X(name, words) #name,
    INTERP_OPS
#undef X
};

static const int8_t interp_op_words[IOP_COUNT] = {
#define X(name, words) words,
    INTERP_OPS
#undef X
};

#define BC_BASE_FRAME 0u
#define BC_BASE_ENV 1u
#define BC_BASE_POOL 2u
#define BC_BASE_NONE 0xffffffffu

/* One instance (an engine's): the code buffer and the scratch of
 * generating one block. */
struct interp_state {
    uint8_t *buf;
    size_t buf_size;
    uint8_t *ptr;        /* next free byte */
    size_t frame_slots;  /* temps of the largest block generated */
    int32_t *pool_index; /* per temp: index in the const pool, or -1 */
    int pool_cap;
    uint32_t *label_pos; /* per label: word offset from the entry */
    int label_cap;
};

/*
 * Process-wide, and the only such state of the backend: both are derived
 * from constants (the handler labels of interp_run, the helper table),
 * built once by the first init and only read afterwards, so every instance
 * shares them.
 * Handler label offsets, published by interp_run(NULL, NULL, NULL); and
 * the libffi call interface of each helper.
 */
static const int32_t *interp_handler;
static ffi_cif interp_cif[HELPER_COUNT];
static ffi_type *interp_cif_args[HELPER_COUNT][HELPER_MAX_ARGS + 1];

/* ---- execution ---- */

/* Temps of every block live in the CPU's frame (blocks run one at a time
 * and their locals are dead at block end). */
static uintptr_t interp_run(struct interp_state *st, struct cpu *cpu,
                            struct tb *tb)
{
#define X(name, words) &&L_##name - &&L_ENTRY,
    static const int32_t handlers[IOP_COUNT] = { INTERP_OPS };
#undef X
    if (!cpu) {
        interp_handler = handlers;
        return 0;
    }

    const uint8_t *code_buf = st->buf;
    const uint32_t *pc = (const uint32_t *)tb->code;
    struct tb *cur = tb;
    uintptr_t ret;
    char *base[4];
    base[BC_BASE_FRAME] = (char *)cpu->interp_frame;
    base[BC_BASE_ENV] = (char *)cpu;
    base[BC_BASE_POOL] = (char *)pc;
    base[3] = NULL;

#define R(w) (*(uint64_t *)(base[(w) & 3] + ((int32_t)(w) >> 2)))
#define NEXT() goto *(&&L_ENTRY + (int32_t)pc[0])

    NEXT();

L_ENTRY: {
    struct tb *t = (struct tb *)(uintptr_t)((uint64_t)pc[1] |
                                            ((uint64_t)pc[2] << 32));
    /* Pending interrupts and the icount budget break chains here. */
    if (cpu->exit_request ||
        (cpu->icount_mode && cpu->icount_budget < (int64_t)t->icount)) {
        ret = (uintptr_t)t | TB_EXIT_REQUESTED;
        goto out;
    }
    if (cpu->icount_mode) {
        cpu->icount_budget -= t->icount;
        cpu->icount += t->icount;
    }
    cur = t;
    cpu->current_tb = t;
    base[BC_BASE_POOL] = (char *)pc;
    pc += 3;
    NEXT();
}

/* The entry of a block of a native engine's cheap tier that counts its
 * runs (tb.h): a block used up is left for the CPU loop to promote,
 * unless the loop entered it. */
L_ENTRY_COUNTED: {
    struct tb *t = (struct tb *)(uintptr_t)((uint64_t)pc[1] |
                                            ((uint64_t)pc[2] << 32));
    if (t->runs_left > 0) {
        if (--t->runs_left == 0)
            t->runs_left = -1;
    } else if (t->runs_left < 0 && t != tb) {
        ret = (uintptr_t)t | TB_EXIT_REQUESTED;
        goto out;
    }
    goto L_ENTRY;
}
L_MOV64: R(pc[1]) = R(pc[2]); pc += 3; NEXT();
L_MOV32: R(pc[1]) = (uint32_t)R(pc[2]); pc += 3; NEXT();
L_SETI: R(pc[1]) = pc[2]; pc += 3; NEXT();

#define BIN(name, expr)                                                        \
    L_##name: {                                                                \
        uint64_t a = R(pc[2]), b = R(pc[3]);                                   \
        R(pc[1]) = (expr);                                                     \
        pc += 4;                                                               \
        NEXT();                                                                \
    }
    BIN(ADD32, (uint32_t)(a + b))
    BIN(ADD64, a + b)
    BIN(SUB32, (uint32_t)(a - b))
    BIN(SUB64, a - b)
    BIN(MUL32, (uint32_t)(a * b))
    BIN(MUL64, a * b)
    BIN(AND32, (uint32_t)(a & b))
    BIN(AND64, a & b)
    BIN(OR32, (uint32_t)(a | b))
    BIN(XOR32, (uint32_t)(a ^ b))
    BIN(OR64, a | b)
    BIN(XOR64, a ^ b)
    BIN(SHL32, (uint32_t)((uint32_t)a << (b & 31)))
    BIN(SHL64, a << (b & 63))
    BIN(SHR32, (uint32_t)a >> (b & 31))
    BIN(SHR64, a >> (b & 63))
    BIN(SAR32, (uint32_t)((int32_t)(uint32_t)a >> (b & 31)))
    BIN(SAR64, (uint64_t)((int64_t)a >> (b & 63)))
    BIN(ROTL32, (b & 31) ? (uint32_t)(((uint32_t)a << (b & 31)) |
                                      ((uint32_t)a >> (32 - (b & 31))))
                         : (uint32_t)a)
    BIN(ROTL64, (b & 63) ? (a << (b & 63)) | (a >> (64 - (b & 63))) : a)
    BIN(ROTR32, (b & 31) ? (uint32_t)(((uint32_t)a >> (b & 31)) |
                                      ((uint32_t)a << (32 - (b & 31))))
                         : (uint32_t)a)
    BIN(ROTR64, (b & 63) ? (a >> (b & 63)) | (a << (64 - (b & 63))) : a)
#undef BIN

    /* 32-bit ops with a constant second operand held in the stream. */
#define BINI(name, expr)                                                       \
    L_##name: {                                                                \
        uint32_t a = (uint32_t)R(pc[2]), b = pc[3];                            \
        R(pc[1]) = (uint32_t)(expr);                                           \
        pc += 4;                                                               \
        NEXT();                                                                \
    }
    BINI(ADDI32, a + b)
    BINI(SUBI32, a - b)
    BINI(ANDI32, a & b)
    BINI(ORI32, a | b)
    BINI(XORI32, a ^ b)
    BINI(SHLI32, a << (b & 31))
    BINI(SHRI32, a >> (b & 31))
    BINI(SARI32, (int32_t)a >> (b & 31))
#undef BINI

#define MUL2(name, sgn, t)                                                     \
    L_##name: {                                                                \
        uint64_t lo, hi;                                                       \
        ir_eval_mul2(sgn, t, R(pc[3]), R(pc[4]), &lo, &hi);                    \
        R(pc[1]) = lo;                                                         \
        R(pc[2]) = hi;                                                         \
        pc += 5;                                                               \
        NEXT();                                                                \
    }
    MUL2(MULU2_32, false, IR_I32)
    MUL2(MULU2_64, false, IR_I64)
    MUL2(MULS2_32, true, IR_I32)
    MUL2(MULS2_64, true, IR_I64)
#undef MUL2

#define UN(name, expr)                                                         \
    L_##name: {                                                                \
        uint64_t a = R(pc[2]);                                                 \
        R(pc[1]) = (expr);                                                     \
        pc += 3;                                                               \
        NEXT();                                                                \
    }
    UN(NEG32, (uint32_t)-a)
    UN(NEG64, -a)
    UN(NOT32, (uint32_t)~a)
    UN(NOT64, ~a)
    UN(EXT8S32, (uint32_t)(int32_t)(int8_t)(uint8_t)a)
    UN(EXT8S64, (uint64_t)(int64_t)(int8_t)(uint8_t)a)
    UN(EXT16S32, (uint32_t)(int32_t)(int16_t)(uint16_t)a)
    UN(EXT16S64, (uint64_t)(int64_t)(int16_t)(uint16_t)a)
    UN(EXT8U, (uint8_t)a)
    UN(EXT16U, (uint16_t)a)
    UN(EXT32S, (uint64_t)(int64_t)(int32_t)(uint32_t)a)
    UN(EXT32U, (uint32_t)a)
    UN(BSWAP32, __builtin_bswap32((uint32_t)a))
#undef UN

L_EXTRACT32: R(pc[1]) = ir_eval_extract(IR_I32, R(pc[2]), pc[3], pc[4]);
    pc += 5; NEXT();
L_EXTRACT64: R(pc[1]) = ir_eval_extract(IR_I64, R(pc[2]), pc[3], pc[4]);
    pc += 5; NEXT();
L_SEXTRACT32: R(pc[1]) = ir_eval_sextract(IR_I32, R(pc[2]), pc[3], pc[4]);
    pc += 5; NEXT();
L_SEXTRACT64: R(pc[1]) = ir_eval_sextract(IR_I64, R(pc[2]), pc[3], pc[4]);
    pc += 5; NEXT();
L_DEPOSIT32:
    R(pc[1]) = ir_eval_deposit(IR_I32, R(pc[2]), R(pc[3]), pc[4], pc[5]);
    pc += 6; NEXT();
L_DEPOSIT64:
    R(pc[1]) = ir_eval_deposit(IR_I64, R(pc[2]), R(pc[3]), pc[4], pc[5]);
    pc += 6; NEXT();

#define CMP_EQ(t, a, b) ((u##t)(a) == (u##t)(b))
#define CMP_NE(t, a, b) ((u##t)(a) != (u##t)(b))
#define CMP_LT(t, a, b) ((s##t)(a) < (s##t)(b))
#define CMP_GE(t, a, b) ((s##t)(a) >= (s##t)(b))
#define CMP_LE(t, a, b) ((s##t)(a) <= (s##t)(b))
#define CMP_GT(t, a, b) ((s##t)(a) > (s##t)(b))
#define CMP_LTU(t, a, b) ((u##t)(a) < (u##t)(b))
#define CMP_GEU(t, a, b) ((u##t)(a) >= (u##t)(b))
#define CMP_LEU(t, a, b) ((u##t)(a) <= (u##t)(b))
#define CMP_GTU(t, a, b) ((u##t)(a) > (u##t)(b))
    typedef uint32_t u32;
    typedef uint64_t u64;
    typedef int32_t s32;
    typedef int64_t s64;
#define SETC(C, T)                                                             \
    L_SETC_##C##_32: R(pc[1]) = CMP_##C(32, R(pc[2]), R(pc[3]));               \
    pc += 4;                                                                   \
    NEXT();                                                                    \
    L_SETC_##C##_64: R(pc[1]) = CMP_##C(64, R(pc[2]), R(pc[3]));               \
    pc += 4;                                                                   \
    NEXT();
#define BRC(C, T)                                                              \
    L_BRC_##C##_32:                                                            \
    pc = CMP_##C(32, R(pc[1]), R(pc[2]))                                       \
             ? (const uint32_t *)base[BC_BASE_POOL] + pc[3]                       \
             : pc + 4;                                                         \
    NEXT();                                                                    \
    L_BRC_##C##_64:                                                            \
    pc = CMP_##C(64, R(pc[1]), R(pc[2]))                                       \
             ? (const uint32_t *)base[BC_BASE_POOL] + pc[3]                       \
             : pc + 4;                                                         \
    NEXT();
#define BRCI(C, T)                                                             \
    L_BRCI_##C##_32:                                                           \
    pc = CMP_##C(32, R(pc[1]), pc[2])                                          \
             ? (const uint32_t *)base[BC_BASE_POOL] + pc[3]                       \
             : pc + 4;                                                         \
    NEXT();
    INTERP_CONDS(SETC, 0)
    INTERP_CONDS(BRC, 0)
    INTERP_CONDS(BRCI, 0)
#undef SETC
#undef BRC
#undef BRCI

L_MOVCOND32:
    R(pc[1]) = (uint32_t)(ir_eval_cond((enum ir_cond)pc[6], IR_I32, R(pc[2]),
                                       R(pc[3]))
                              ? R(pc[4])
                              : R(pc[5]));
    pc += 7; NEXT();
L_MOVCOND64:
    R(pc[1]) = ir_eval_cond((enum ir_cond)pc[6], IR_I64, R(pc[2]), R(pc[3]))
                   ? R(pc[4])
                   : R(pc[5]);
    pc += 7; NEXT();

    /* struct cpu fields are host-endian: read them with their own width. */
#define LDE(name, ctype, expr)                                                 \
    L_##name: {                                                                \
        ctype v;                                                               \
        memcpy(&v, (char *)cpu + (int32_t)pc[2], sizeof(v));                   \
        R(pc[1]) = (expr);                                                     \
        pc += 3;                                                               \
        NEXT();                                                                \
    }
    LDE(LDE_U8, uint8_t, v)
    LDE(LDE_U16, uint16_t, v)
    LDE(LDE_U32, uint32_t, v)
    LDE(LDE_U64, uint64_t, v)
    LDE(LDE_S8_32, int8_t, (uint32_t)(int32_t)v)
    LDE(LDE_S16_32, int16_t, (uint32_t)(int32_t)v)
    LDE(LDE_S8_64, int8_t, (uint64_t)(int64_t)v)
    LDE(LDE_S16_64, int16_t, (uint64_t)(int64_t)v)
    LDE(LDE_S32_64, int32_t, (uint64_t)(int64_t)v)
#undef LDE
#define STE(name, ctype)                                                       \
    L_##name: {                                                                \
        ctype v = (ctype)R(pc[1]);                                             \
        memcpy((char *)cpu + (int32_t)pc[2], &v, sizeof(v));                   \
        pc += 3;                                                               \
        NEXT();                                                                \
    }
    STE(STE_8, uint8_t)
    STE(STE_16, uint16_t)
    STE(STE_32, uint32_t)
    STE(STE_64, uint64_t)
#undef STE

    /* Guest memory: the TLB compare-and-add inline, the slow path with
     * this op's position as the return address (precise faults). LDG and
     * STG take the low 32 bits of the address operand, LDGW and STGW all
     * 64 (IR_MEMOP_ADDR64); LDGD and STGD add a displacement to a 32-bit
     * base. */
#define LDG_BODY(name, size, expr, addr_expr, mmu_w, len)                     \
    L_##name: {                                                                \
        vaddr addr = (addr_expr);                                              \
        int mmu = (int)(mmu_w);                                \
        struct tlb_entry *e = tlb_entry(&cpu->mmu.tlb, mmu, addr);                 \
        uint64_t v;                                                            \
        if (likely(e->tag_read ==                                              \
                   (addr & (PAGE_MASK | ((size) - 1))))) {           \
            v = ld_le_p((void *)(e->addend + addr), size);                     \
        } else {                                                               \
            cpu->interp_pc = (uintptr_t)pc;                                    \
            v = tlb_load_slow(&cpu->mmu, addr, size, mmu, (uintptr_t)pc);            \
        }                                                                      \
        R(pc[1]) = (expr);                                                     \
        pc += (len);                                                           \
        NEXT();                                                                \
    }
    /* LDG d, addr, mmu */
#define LDG(name, size, expr)                                                  \
    LDG_BODY(name, size, expr, (uint32_t)R(pc[2]), pc[3], 4)
    /* LDGW d, addr, mmu (a 64-bit address) */
#define LDGW(name, size, expr)                                                 \
    LDG_BODY(name, size, expr, R(pc[2]), pc[3], 4)
    /* LDGD d, base, disp, mmu: the address is base + disp */
#define LDGD(name, size, expr)                                                 \
    LDG_BODY(name, size, expr, (uint32_t)R(pc[2]) + pc[3], pc[4], 5)
#define LDG_ALL(M)                                                             \
    M(M##_U8, 1, (uint8_t)v)                                                   \
    M(M##_U16, 2, (uint16_t)v)                                                 \
    M(M##_U32, 4, (uint32_t)v)                                                 \
    M(M##_U64, 8, v)                                                           \
    M(M##_S8_32, 1, (uint32_t)(int32_t)(int8_t)v)                              \
    M(M##_S16_32, 2, (uint32_t)(int32_t)(int16_t)v)                            \
    M(M##_S8_64, 1, (uint64_t)(int64_t)(int8_t)v)                              \
    M(M##_S16_64, 2, (uint64_t)(int64_t)(int16_t)v)                            \
    M(M##_S32_64, 4, (uint64_t)(int64_t)(int32_t)v)
    LDG_ALL(LDG)
    LDG_ALL(LDGD)
    LDG_ALL(LDGW)
#undef LDG_ALL
#undef LDGW
#undef LDGD
#undef LDG
#undef LDG_BODY
#define STG_BODY(name, size, addr_expr, val_w, mmu_w, len)                     \
    L_##name: {                                                                \
        vaddr addr = (addr_expr);                                              \
        uint64_t v = R(val_w);                                                 \
        int mmu = (int)(mmu_w);                                \
        struct tlb_entry *e = tlb_entry(&cpu->mmu.tlb, mmu, addr);                 \
        if (likely(e->tag_write ==                                             \
                   (addr & (PAGE_MASK | ((size) - 1))))) {           \
            st_le_p((void *)(e->addend + addr), v, size);                      \
        } else {                                                               \
            cpu->interp_pc = (uintptr_t)pc;                                    \
            tlb_store_slow(&cpu->mmu, addr, v, size, mmu, (uintptr_t)pc);            \
        }                                                                      \
        pc += (len);                                                           \
        NEXT();                                                                \
    }
    /* STG addr, value, mmu */
#define STG(name, size) STG_BODY(name, size, (uint32_t)R(pc[1]), pc[2], pc[3], 4)
    /* STGW addr, value, mmu (a 64-bit address) */
#define STGW(name, size) STG_BODY(name, size, R(pc[1]), pc[2], pc[3], 4)
    /* STGD base, disp, value, mmu */
#define STGD(name, size)                                                       \
    STG_BODY(name, size, (uint32_t)R(pc[1]) + pc[2], pc[3], pc[4], 5)
    STG(STG_8, 1)
    STG(STG_16, 2)
    STG(STG_32, 4)
    STG(STG_64, 8)
    STGD(STGD_8, 1)
    STGD(STGD_16, 2)
    STGD(STGD_32, 4)
    STGD(STGD_64, 8)
    STGW(STGW_8, 1)
    STGW(STGW_16, 2)
    STGW(STGW_32, 4)
    STGW(STGW_64, 8)
#undef STGW
#undef STGD
#undef STG
#undef STG_BODY

L_CALL: {
    uint32_t id = pc[1];
    const struct helper_info *h = &helper_table[id];
    void *av[HELPER_MAX_ARGS + 1];
    uint64_t v64[HELPER_MAX_ARGS];
    uint32_t v32[HELPER_MAX_ARGS];
    void *ptr[HELPER_MAX_ARGS];
    struct cpu *env = cpu;
    av[0] = &env;
    for (int k = 0; k < h->n_args; k++) {
        switch (h->args[k]) {
        case H_I32:
            v32[k] = (uint32_t)R(pc[3 + k]);
            av[k + 1] = &v32[k];
            break;
        case H_ENV_PTR:
            ptr[k] = (char *)cpu + pc[3 + k];
            av[k + 1] = &ptr[k];
            break;
        default:
            v64[k] = R(pc[3 + k]);
            av[k + 1] = &v64[k];
            break;
        }
    }
    cpu->interp_pc = (uintptr_t)pc;
    if (h->ret == H_I64) {
        uint64_t r = 0;
        ffi_call(&interp_cif[id], FFI_FN(h->fn), &r, av);
        if (pc[2] != BC_BASE_NONE)
            R(pc[2]) = r;
    } else {
        ffi_arg r = 0;
        ffi_call(&interp_cif[id], FFI_FN(h->fn), &r, av);
        if (pc[2] != BC_BASE_NONE)
            R(pc[2]) = (uint32_t)r;
    }
    pc += 3 + h->n_args;
    NEXT();
}

L_CALL_PURE: {
    /* A pure helper (HLP_PURE: a function of its 32-bit arguments only,
     * such as the lazy-flag evaluators) is called directly through a
     * pointer of its exact type; it cannot raise, so no interp_pc. */
    const struct helper_info *h = &helper_table[pc[1]];
    uint32_t v;
    switch (h->n_args) {
    case 1:
        v = ((uint32_t (*)(struct cpu *, uint32_t))h->fn)(
            cpu, (uint32_t)R(pc[3]));
        break;
    case 2:
        v = ((uint32_t (*)(struct cpu *, uint32_t, uint32_t))h->fn)(
            cpu, (uint32_t)R(pc[3]), (uint32_t)R(pc[4]));
        break;
    case 3:
        v = ((uint32_t (*)(struct cpu *, uint32_t, uint32_t, uint32_t))h->fn)(
            cpu, (uint32_t)R(pc[3]), (uint32_t)R(pc[4]), (uint32_t)R(pc[5]));
        break;
    default:
        v = ((uint32_t (*)(struct cpu *, uint32_t, uint32_t, uint32_t,
                           uint32_t))h->fn)(cpu, (uint32_t)R(pc[3]),
                                            (uint32_t)R(pc[4]),
                                            (uint32_t)R(pc[5]),
                                            (uint32_t)R(pc[6]));
        break;
    }
    if (pc[2] != BC_BASE_NONE)
        R(pc[2]) = v;
    pc += 3 + h->n_args;
    NEXT();
}

L_BR: pc = (const uint32_t *)base[BC_BASE_POOL] + pc[1]; NEXT();

L_GOTO_TB_EXIT:
    ret = (uintptr_t)cur | pc[1];
    goto out;
L_GOTO_TB_CHAIN:
    pc = (const uint32_t *)(code_buf + pc[2]);
    NEXT();
L_EXIT_TB:
    /* (Masked: also keeps this handler's code distinct from
     * GOTO_TB_EXIT's, so the compiler cannot merge the two labels and
     * the dump can tell them apart.) */
    ret = (uintptr_t)cur | (pc[1] & TB_EXIT_MASK);
    goto out;
L_LOOKUP_TB: {
    /* Indirect branch: cpu->eip is set; a jump-cache hit goes on into the
     * block (its entry checks exit_request), a miss asks the hash. */
    vaddr lpc;
    uint32_t cs_base, flags;
    tb_key_of(cpu, &lpc, &cs_base, &flags);
    struct tb *t = jc_get(cpu, tb_jmp_cache_hash(lpc), lpc, cs_base, flags);
    if (t && !t->invalid && t->tier == cur->tier) {
        pc = (const uint32_t *)t->code;
        NEXT();
    }
    /* (An engine's cheap tier: a block of the native tier is not ours.) */
    t = tb_lookup_from(cpu, cur);
    if (t) {
        pc = (const uint32_t *)t->code;
        NEXT();
    }
    ret = (uintptr_t)cur | TB_EXIT_NOCHAIN;
    goto out;
}

out:
    cpu->current_tb = NULL;
    cpu->interp_pc = 0;
    return ret;
#undef R
#undef NEXT
}

/* ---- code generation ---- */

struct interp_gen {
    uint32_t *p, *end; /* words */
    uint32_t *entry;
    bool full;
    int32_t *pool_index; /* per temp: index in the const pool, or -1 */
    int pool_n;
    const struct ir_block *ir;
    uint32_t *label_pos; /* word offset from entry, UINT32_MAX unset */
    struct { uint32_t *at; uint32_t label; } *fix;
    int n_fix, cap_fix;
    struct tb *tb;
    int insn; /* insn_start ops seen */
};

static void gen_word(struct interp_gen *g, uint32_t w)
{
    if (g->p >= g->end) {
        g->full = true;
        return;
    }
    *g->p++ = w;
}

static void bc_emit(struct interp_gen *g, enum interp_op op)
{
    gen_word(g, (uint32_t)interp_handler[op]);
}

static uint32_t gen_opnd(struct interp_gen *g, ir_temp t)
{
    const struct ir_temp_info *ti = &g->ir->temps[t];
    int32_t off;
    uint32_t base;

    switch (ti->kind) {
    case IR_TEMP_GLOBAL:
        off = ti->env_offset;
        base = BC_BASE_ENV;
        break;
    case IR_TEMP_CONST:
        off = (g->pool_index[t] - g->pool_n) * 8;
        base = BC_BASE_POOL;
        break;
    default:
        off = (int32_t)(t - (ir_temp)g->ir->n_globals) * 8;
        base = BC_BASE_FRAME;
        break;
    }
    return ((uint32_t)off << 2) | base;
}

static void gen_label_ref(struct interp_gen *g, uint32_t label)
{
    if (g->label_pos[label] != UINT32_MAX) {
        gen_word(g, g->label_pos[label]);
        return;
    }
    if (g->n_fix == g->cap_fix) {
        g->cap_fix = g->cap_fix ? g->cap_fix * 2 : 16;
        g->fix = xrealloc(g->fix, sizeof(*g->fix) * g->cap_fix);
    }
    g->fix[g->n_fix].at = g->p;
    g->fix[g->n_fix].label = label;
    g->n_fix++;
    gen_word(g, 0);
}

/* ld/st variants by memop and type. */
static enum interp_op gen_ld_variant(enum interp_op u8, unsigned memop,
                                     enum ir_type t)
{
    unsigned size = memop & IR_MEMOP_SIZE_MASK;
    /* order: U8 U16 U32 U64 S8_32 S16_32 S8_64 S16_64 S32_64 */
    if (!(memop & IR_MEMOP_SIGN) || size == IR_MO_64 ||
        (size == IR_MO_32 && t == IR_I32))
        return (enum interp_op)(u8 + size);
    if (t == IR_I32)
        return (enum interp_op)(u8 + 4 + size);
    return (enum interp_op)(u8 + 6 + size);
}

/* Pure helpers with 1 to 4 32-bit arguments and a 32-bit result are
 * called directly (the hot lazy-flag evaluators); all others go through
 * their libffi call interface. */
static bool interp_call_is_pure(uint32_t id)
{
    const struct helper_info *h = &helper_table[id];
    if ((h->flags & HLP_PURE) != HLP_PURE || h->ret != H_I32 ||
        h->n_args < 1 || h->n_args > 4)
        return false;
    for (int k = 0; k < h->n_args; k++)
        if (h->args[k] != H_I32)
            return false;
    return true;
}

/* Every op has its case and there is no default (see enum ir_opc). */
static void gen_one(struct interp_gen *g, const struct ir_op *op)
{
    const uint32_t *a = op->args;
    const uint32_t *c = a + op->n_out + op->n_in;
    bool i64 = op->type == IR_I64;
    enum ir_opc opc = (enum ir_opc)op->opc;

    switch (opc) {
    case IR_mov:
        bc_emit(g, i64 ? IOP_MOV64 : IOP_MOV32);
        gen_word(g, gen_opnd(g, a[0]));
        gen_word(g, gen_opnd(g, a[1]));
        break;
    case IR_movi:
        if (g->ir->temps[c[0]].value <= UINT32_MAX) {
            bc_emit(g, IOP_SETI);
            gen_word(g, gen_opnd(g, a[0]));
            gen_word(g, (uint32_t)g->ir->temps[c[0]].value);
            break;
        }
        bc_emit(g, IOP_MOV64);
        gen_word(g, gen_opnd(g, a[0]));
        gen_word(g, gen_opnd(g, c[0]));
        break;
    case IR_add: case IR_sub: case IR_mul: case IR_and: case IR_or:
    case IR_xor: case IR_shl: case IR_shr: case IR_sar: case IR_rotl:
    case IR_rotr: {
        enum interp_op o;
        switch (opc) {
        case IR_add: o = i64 ? IOP_ADD64 : IOP_ADD32; break;
        case IR_sub: o = i64 ? IOP_SUB64 : IOP_SUB32; break;
        case IR_mul: o = i64 ? IOP_MUL64 : IOP_MUL32; break;
        case IR_and: o = i64 ? IOP_AND64 : IOP_AND32; break;
        case IR_or: o = i64 ? IOP_OR64 : IOP_OR32; break;
        case IR_xor: o = i64 ? IOP_XOR64 : IOP_XOR32; break;
        case IR_shl: o = i64 ? IOP_SHL64 : IOP_SHL32; break;
        case IR_shr: o = i64 ? IOP_SHR64 : IOP_SHR32; break;
        case IR_sar: o = i64 ? IOP_SAR64 : IOP_SAR32; break;
        case IR_rotl: o = i64 ? IOP_ROTL64 : IOP_ROTL32; break;
        case IR_rotr: o = i64 ? IOP_ROTR64 : IOP_ROTR32; break;
        default: J_ASSERT(!"not a two-input op"); return;
        }
        if (!i64 && g->ir->temps[a[2]].kind == IR_TEMP_CONST) {
            enum interp_op oi = IOP_COUNT;
            switch (opc) {
            case IR_add: oi = IOP_ADDI32; break;
            case IR_sub: oi = IOP_SUBI32; break;
            case IR_and: oi = IOP_ANDI32; break;
            case IR_or: oi = IOP_ORI32; break;
            case IR_xor: oi = IOP_XORI32; break;
            case IR_shl: oi = IOP_SHLI32; break;
            case IR_shr: oi = IOP_SHRI32; break;
            case IR_sar: oi = IOP_SARI32; break;
            default: break;
            }
            if (oi != IOP_COUNT) {
                bc_emit(g, oi);
                gen_word(g, gen_opnd(g, a[0]));
                gen_word(g, gen_opnd(g, a[1]));
                gen_word(g, (uint32_t)g->ir->temps[a[2]].value);
                break;
            }
        }
        bc_emit(g, o);
        gen_word(g, gen_opnd(g, a[0]));
        gen_word(g, gen_opnd(g, a[1]));
        gen_word(g, gen_opnd(g, a[2]));
        break;
    }
    case IR_mulu2: case IR_muls2:
        bc_emit(g, op->opc == IR_mulu2 ? (i64 ? IOP_MULU2_64 : IOP_MULU2_32)
                                      : (i64 ? IOP_MULS2_64 : IOP_MULS2_32));
        for (int k = 0; k < 4; k++)
            gen_word(g, gen_opnd(g, a[k]));
        break;
    case IR_neg: case IR_not: case IR_ext8s: case IR_ext8u: case IR_ext16s:
    case IR_ext16u: case IR_ext32s: case IR_ext32u: case IR_bswap32: {
        enum interp_op o;
        switch (opc) {
        case IR_neg: o = i64 ? IOP_NEG64 : IOP_NEG32; break;
        case IR_not: o = i64 ? IOP_NOT64 : IOP_NOT32; break;
        case IR_ext8s: o = i64 ? IOP_EXT8S64 : IOP_EXT8S32; break;
        case IR_ext16s: o = i64 ? IOP_EXT16S64 : IOP_EXT16S32; break;
        case IR_ext8u: o = IOP_EXT8U; break;
        case IR_ext16u: o = IOP_EXT16U; break;
        case IR_ext32s: o = i64 ? IOP_EXT32S : IOP_EXT32U; break;
        case IR_ext32u: o = IOP_EXT32U; break;
        case IR_bswap32: o = IOP_BSWAP32; break;
        default: J_ASSERT(!"not a one-input op"); return;
        }
        bc_emit(g, o);
        gen_word(g, gen_opnd(g, a[0]));
        gen_word(g, gen_opnd(g, a[1]));
        break;
    }
    case IR_extract: case IR_sextract:
        bc_emit(g, op->opc == IR_extract ? (i64 ? IOP_EXTRACT64 : IOP_EXTRACT32)
                                        : (i64 ? IOP_SEXTRACT64
                                               : IOP_SEXTRACT32));
        gen_word(g, gen_opnd(g, a[0]));
        gen_word(g, gen_opnd(g, a[1]));
        gen_word(g, c[0]);
        gen_word(g, c[1]);
        break;
    case IR_deposit:
        bc_emit(g, i64 ? IOP_DEPOSIT64 : IOP_DEPOSIT32);
        gen_word(g, gen_opnd(g, a[0]));
        gen_word(g, gen_opnd(g, a[1]));
        gen_word(g, gen_opnd(g, a[2]));
        gen_word(g, c[0]);
        gen_word(g, c[1]);
        break;
    case IR_setcond:
        if (c[0] >= IR_COND_ALWAYS) {
            bc_emit(g, IOP_SETI);
            gen_word(g, gen_opnd(g, a[0]));
            gen_word(g, c[0] == IR_COND_ALWAYS);
            break;
        }
        bc_emit(g, (enum interp_op)(IOP_SETC_EQ_32 + 2 * c[0] + i64));
        gen_word(g, gen_opnd(g, a[0]));
        gen_word(g, gen_opnd(g, a[1]));
        gen_word(g, gen_opnd(g, a[2]));
        break;
    case IR_movcond:
        bc_emit(g, i64 ? IOP_MOVCOND64 : IOP_MOVCOND32);
        for (int k = 0; k < 5; k++)
            gen_word(g, gen_opnd(g, a[k]));
        gen_word(g, c[0]);
        break;
    case IR_ld_env:
        bc_emit(g, gen_ld_variant(IOP_LDE_U8, c[1], op->type));
        gen_word(g, gen_opnd(g, a[0]));
        gen_word(g, c[0]);
        break;
    case IR_st_env:
        bc_emit(g, (enum interp_op)(IOP_STE_8 + (c[1] & IR_MEMOP_SIZE_MASK)));
        gen_word(g, gen_opnd(g, a[0]));
        gen_word(g, c[0]);
        break;
    case IR_ld_guest:
        bc_emit(g, gen_ld_variant((c[0] & IR_MEMOP_ADDR64) ? IOP_LDGW_U8
                                                           : IOP_LDG_U8,
                                  c[0], op->type));
        gen_word(g, gen_opnd(g, a[0]));
        gen_word(g, gen_opnd(g, a[1]));
        gen_word(g, c[0] >> IR_MEMOP_MMU_SHIFT);
        break;
    case IR_st_guest:
        bc_emit(g, (enum interp_op)(((c[0] & IR_MEMOP_ADDR64) ? IOP_STGW_8
                                                              : IOP_STG_8) +
                                    (c[0] & IR_MEMOP_SIZE_MASK)));
        gen_word(g, gen_opnd(g, a[0]));
        gen_word(g, gen_opnd(g, a[1]));
        gen_word(g, c[0] >> IR_MEMOP_MMU_SHIFT);
        break;
    case IR_call: {
        const struct helper_info *h = &helper_table[c[0]];
        bc_emit(g, interp_call_is_pure(c[0]) ? IOP_CALL_PURE : IOP_CALL);
        gen_word(g, c[0]);
        gen_word(g, op->n_out ? gen_opnd(g, a[0]) : BC_BASE_NONE);
        /* a value operand per argument; the offset itself for a pointer
         * into env (H_ENV_PTR) */
        for (int k = 0; k < op->n_in; k++)
            gen_word(g, h->args[k] == H_ENV_PTR
                            ? (uint32_t)g->ir->temps[a[op->n_out + k]].value
                            : gen_opnd(g, a[op->n_out + k]));
        break;
    }
    case IR_set_label:
        g->label_pos[c[0]] = (uint32_t)(g->p - g->entry);
        break;
    case IR_br:
        bc_emit(g, IOP_BR);
        gen_label_ref(g, c[0]);
        break;
    case IR_brcond:
        if (c[0] == IR_COND_NEVER)
            break;
        if (c[0] == IR_COND_ALWAYS) {
            bc_emit(g, IOP_BR);
            gen_label_ref(g, c[1]);
            break;
        }
        if (!i64 && g->ir->temps[a[1]].kind == IR_TEMP_CONST) {
            bc_emit(g, (enum interp_op)(IOP_BRCI_EQ_32 + c[0]));
            gen_word(g, gen_opnd(g, a[0]));
            gen_word(g, (uint32_t)g->ir->temps[a[1]].value);
            gen_label_ref(g, c[1]);
            break;
        }
        bc_emit(g, (enum interp_op)(IOP_BRC_EQ_32 + 2 * c[0] + i64));
        gen_word(g, gen_opnd(g, a[0]));
        gen_word(g, gen_opnd(g, a[1]));
        gen_label_ref(g, c[1]);
        break;
    case IR_exit_tb:
        bc_emit(g, IOP_EXIT_TB);
        gen_word(g, c[0]);
        break;
    case IR_lookup_tb:
        bc_emit(g, IOP_LOOKUP_TB);
        break;
    case IR_insn_start:
        /* The previous instruction's code ends here (find_insn). */
        if (g->insn > 0 && g->insn <= g->tb->icount)
            g->tb->insns[g->insn - 1].host_end =
                (uint32_t)((uint8_t *)g->p - (uint8_t *)g->entry);
        g->insn++;
        break;
    case IR_goto_tb: {
        uint32_t slot = c[0] & 1;
        g->tb->jmp_insn_offset[slot] =
            (uintptr_t)((uint8_t *)g->p - (uint8_t *)g->entry);
        g->tb->jmp_reset_offset[slot] = g->tb->jmp_insn_offset[slot];
        bc_emit(g, IOP_GOTO_TB_EXIT);
        gen_word(g, slot);
        gen_word(g, 0); /* destination, once chained */
        break;
    }
    }
}

/*
 * "add t, base, $disp; ld/st_guest [t]" with t dying at the access becomes
 * one LDGD/STGD op that adds the displacement itself (x86 memory operands
 * are mostly base + displacement).
 */
static bool gen_fused_access(struct interp_gen *g, const struct ir_op *add,
                             const struct ir_op *acc)
{
    const struct ir_block *ir = g->ir;
    if (add->opc != IR_add || add->type != IR_I32 ||
        ir->temps[add->args[2]].kind != IR_TEMP_CONST ||
        ir->temps[add->args[0]].kind != IR_TEMP_LOCAL)
        return false;
    ir_temp t = add->args[0];
    uint32_t disp = (uint32_t)ir->temps[add->args[2]].value;

    /* (a 32-bit add: only for 32-bit addresses) */
    if (acc->opc == IR_ld_guest && acc->args[1] == t &&
        !(acc->args[2] & IR_MEMOP_ADDR64) && (acc->dead_after & (1u << 1))) {
        enum interp_op o = gen_ld_variant(IOP_LDG_U8, acc->args[2], acc->type);
        bc_emit(g, (enum interp_op)(o - IOP_LDG_U8 + IOP_LDGD_U8));
        gen_word(g, gen_opnd(g, acc->args[0]));
        gen_word(g, gen_opnd(g, add->args[1]));
        gen_word(g, disp);
        gen_word(g, acc->args[2] >> IR_MEMOP_MMU_SHIFT);
        return true;
    }
    if (acc->opc == IR_st_guest && acc->args[0] == t && acc->args[1] != t &&
        !(acc->args[2] & IR_MEMOP_ADDR64) && (acc->dead_after & 1u)) {
        bc_emit(g, (enum interp_op)(IOP_STGD_8 +
                                   (acc->args[2] & IR_MEMOP_SIZE_MASK)));
        gen_word(g, gen_opnd(g, add->args[1]));
        gen_word(g, disp);
        gen_word(g, gen_opnd(g, acc->args[1]));
        gen_word(g, acc->args[2] >> IR_MEMOP_MMU_SHIFT);
        return true;
    }
    return false;
}

static void interp_prep_cifs(void)
{
    for (int i = 0; i < HELPER_COUNT; i++) {
        const struct helper_info *h = &helper_table[i];
        ffi_type **args = interp_cif_args[i];
        args[0] = &ffi_type_pointer;
        for (int k = 0; k < h->n_args; k++)
            args[k + 1] = h->args[k] == H_I64       ? &ffi_type_uint64
                          : h->args[k] == H_ENV_PTR ? &ffi_type_pointer
                                                    : &ffi_type_uint32;
        ffi_type *ret = h->ret == H_I64   ? &ffi_type_uint64
                        : h->ret == H_I32 ? &ffi_type_uint32
                                          : &ffi_type_void;
        if (ffi_prep_cif(&interp_cif[i], FFI_DEFAULT_ABI, h->n_args + 1u, ret,
                         args) != FFI_OK)
            fatal("libffi: cannot prepare the call of helper %s", h->name);
    }
}

static void *interp_init(const struct jit_options *opt)
{
    struct interp_state *st = xcalloc(1, sizeof(*st));
    st->buf_size = opt->code_buffer_size;
    st->buf = xmalloc(st->buf_size);
    st->ptr = st->buf;
    if (!interp_handler) {
        interp_run(NULL, NULL, NULL);
        interp_prep_cifs();
    }
    return st;
}

static void interp_fini(void *be)
{
    struct interp_state *st = be;
    if (!st)
        return;
    free(st->buf);
    free(st->pool_index);
    free(st->label_pos);
    free(st);
}

static bool interp_gen(void *be, struct ir_block *ir, struct tb *tb)
{
    struct interp_state *st = be;
    struct interp_gen g = { 0 };

    /* Every CPU's frame will hold every local of the largest block. */
    size_t n_locals = (size_t)(ir->n_temps - ir->n_globals);
    if (n_locals > st->frame_slots)
        st->frame_slots = n_locals + 64;
    if (ir->n_temps > st->pool_cap) {
        st->pool_cap = ir->n_temps * 2;
        st->pool_index = xrealloc(st->pool_index,
                                  sizeof(int32_t) * (size_t)st->pool_cap);
    }
    if (ir->n_labels + 1 > st->label_cap) {
        st->label_cap = ir->n_labels * 2 + 1;
        st->label_pos = xrealloc(st->label_pos,
                                 sizeof(uint32_t) * (size_t)st->label_cap);
    }
    int32_t *pool_index = st->pool_index;
    uint32_t *label_pos = st->label_pos;

    /* Constant pool: every const temp some op reads. */
    for (int t = 0; t < ir->n_temps; t++)
        pool_index[t] = -1;
    for (int i = 0; i < ir->n_ops; i++) {
        const struct ir_op *op = &ir->ops[i];
        int n = op->n_out + op->n_in;
        if (op->opc == IR_movi)
            n++; /* its const temp follows the output */
        for (int k = 0; k < n; k++) {
            ir_temp t = op->args[k];
            if (ir->temps[t].kind == IR_TEMP_CONST && pool_index[t] < 0)
                pool_index[t] = g.pool_n++;
        }
    }
    for (int l = 0; l < ir->n_labels; l++)
        label_pos[l] = UINT32_MAX;

    uintptr_t start = ((uintptr_t)st->ptr + 7) & ~(uintptr_t)7;
    uint8_t *buf_end = st->buf + st->buf_size;
    if (start + (size_t)g.pool_n * 8 + 64 > (uintptr_t)buf_end)
        return false;
    uint64_t *pool = (uint64_t *)start;
    for (int t = 0; t < ir->n_temps; t++)
        if (pool_index[t] >= 0)
            pool[pool_index[t]] = ir->temps[t].value;

    g.ir = ir;
    g.pool_index = pool_index;
    g.label_pos = label_pos;
    g.entry = (uint32_t *)(pool + g.pool_n);
    g.p = g.entry;
    g.end = (uint32_t *)buf_end;

    uint64_t tbp = (uint64_t)(uintptr_t)tb;
    bc_emit(&g, tb->runs_left ? IOP_ENTRY_COUNTED : IOP_ENTRY);
    gen_word(&g, (uint32_t)tbp);
    gen_word(&g, (uint32_t)(tbp >> 32));

    g.tb = tb;
    tb->jmp_insn_offset[0] = tb->jmp_insn_offset[1] = UINTPTR_MAX;
    for (int i = 0; i < ir->n_ops && !g.full; i++) {
        const struct ir_op *op = &ir->ops[i];
        if (i + 1 < ir->n_ops && gen_fused_access(&g, op, op + 1))
            i++;
        else
            gen_one(&g, op);
    }
    if (g.full) {
        free(g.fix);
        return false;
    }
    for (int f = 0; f < g.n_fix; f++) {
        J_ASSERT(label_pos[g.fix[f].label] != UINT32_MAX);
        *g.fix[f].at = label_pos[g.fix[f].label];
    }
    free(g.fix);

    tb->code = (uint8_t *)g.entry;
    tb->code_size = (uint32_t)((uint8_t *)g.p - (uint8_t *)g.entry);
    if (g.insn > 0 && g.insn <= tb->icount)
        tb->insns[g.insn - 1].host_end = tb->code_size;
    st->ptr = (uint8_t *)g.p;
    tb->jmp_dest[0] = tb->jmp_dest[1] = NULL;
    return true;
}

static uintptr_t interp_exec(void *be, struct cpu *cpu, struct tb *tb)
{
    struct interp_state *st = be;
    /* Blocks that may run now were all generated before: a frame of the
     * engine's largest block holds the temps of any of them. */
    if (cpu->interp_frame_slots < st->frame_slots) {
        free(cpu->interp_frame);
        cpu->interp_frame = xcalloc(st->frame_slots, sizeof(uint64_t));
        cpu->interp_frame_slots = st->frame_slots;
    }
    return interp_run(st, cpu, tb);
}

static void interp_set_jump(void *be, struct tb *tb, int slot,
                            struct tb *dest)
{
    struct interp_state *st = be;
    if (tb->jmp_insn_offset[slot] == UINTPTR_MAX)
        return;
    uint32_t *p = (uint32_t *)(tb->code + tb->jmp_insn_offset[slot]);
    if (dest) {
        p[2] = (uint32_t)(dest->code - st->buf);
        p[0] = (uint32_t)interp_handler[IOP_GOTO_TB_CHAIN];
    } else {
        p[0] = (uint32_t)interp_handler[IOP_GOTO_TB_EXIT];
    }
}

static int interp_find_insn(void *be, struct tb *tb, uintptr_t ra)
{
    (void)be;
    if (ra < (uintptr_t)tb->code || ra >= (uintptr_t)tb->code + tb->code_size)
        return -1;
    uint32_t off = (uint32_t)(ra - (uintptr_t)tb->code);
    for (int i = 0; i < tb->icount; i++)
        if (off < tb->insns[i].host_end)
            return i;
    return -1;
}

static bool interp_owns(void *be, uintptr_t ra)
{
    struct interp_state *st = be;
    return ra >= (uintptr_t)st->buf && ra < (uintptr_t)st->buf + st->buf_size;
}

static void interp_reset(void *be)
{
    struct interp_state *st = be;
    st->ptr = st->buf;
}

static void interp_cpu_gone(void *be, struct cpu *cpu)
{
    (void)be;
    free(cpu->interp_frame);
    cpu->interp_frame = NULL;
    cpu->interp_frame_slots = 0;
}

static enum interp_op interp_decode(uint32_t w)
{
    for (int i = 0; i < IOP_COUNT; i++)
        if ((uint32_t)interp_handler[i] == w)
            return (enum interp_op)i;
    return IOP_COUNT;
}

static void interp_dump_opnd(FILE *f, uint32_t w)
{
    static const char *const bases[4] = { "fp", "env", "pool", "?" };
    fprintf(f, " %s%+d", bases[w & 3], (int32_t)w >> 2);
}

static void interp_dump(void *be, struct tb *tb, FILE *f)
{
    (void)be;
    const uint32_t *p = (const uint32_t *)tb->code;
    const uint32_t *end = (const uint32_t *)(tb->code + tb->code_size);
    int insn = 0;

    fprintf(f, "OUT: [size=%" PRIu32 "]\n", tb->code_size);
    while (p < end) {
        uint32_t off = (uint32_t)((const uint8_t *)p - tb->code);
        while (insn < tb->icount && off >= tb->insns[insn].host_end)
            insn++;
        enum interp_op op = interp_decode(p[0]);
        if (op == IOP_COUNT) {
            fprintf(f, "  %04" PRIx32 ": ??? %08" PRIx32 "\n", off, p[0]);
            break;
        }
        int n = interp_op_words[op];
        bool call = op == IOP_CALL || op == IOP_CALL_PURE;
        if (call)
            n = 2 + helper_table[p[1]].n_args;
        fprintf(f, "  %04" PRIx32 ": [%d] %-12s", off, insn,
                interp_op_names[op]);
        for (int k = 1; k <= n; k++) {
            bool value = !(op == IOP_ENTRY || op == IOP_ENTRY_COUNTED ||
                           op == IOP_BR ||
                           op == IOP_EXIT_TB || op == IOP_GOTO_TB_EXIT ||
                           op == IOP_GOTO_TB_CHAIN ||
                           (call && k == 1) ||
                           (call && k == 2 && p[k] == BC_BASE_NONE) ||
                           (op >= IOP_BRC_EQ_32 && op <= IOP_BRC_GTU_64 &&
                            k == 3) ||
                           (op == IOP_SETI && k == 2) ||
                           (op >= IOP_ADDI32 && op <= IOP_SARI32 && k == 3) ||
                           (op >= IOP_BRCI_EQ_32 && op <= IOP_BRCI_GTU_32 &&
                            k >= 2) ||
                           ((op >= IOP_LDE_U8 && op <= IOP_STE_64) && k == 2) ||
                           ((op >= IOP_LDG_U8 && op <= IOP_STG_64) && k == 3) ||
                           ((op >= IOP_LDGD_U8 && op <= IOP_LDGD_S32_64) &&
                            k >= 3) ||
                           ((op >= IOP_STGD_8 && op <= IOP_STGD_64) &&
                            (k == 2 || k == 4)) ||
                           ((op >= IOP_EXTRACT32 && op <= IOP_SEXTRACT64) &&
                            k >= 3) ||
                           ((op == IOP_DEPOSIT32 || op == IOP_DEPOSIT64) &&
                            k >= 4) ||
                           ((op == IOP_MOVCOND32 || op == IOP_MOVCOND64) &&
                            k == 6));
            if (call && k == 1)
                fprintf(f, " %s", helper_table[p[1]].name);
            else if (call && k == 2 && p[k] == BC_BASE_NONE)
                fputs(" -", f);
            else if (call && k >= 3 &&
                     helper_table[p[1]].args[k - 3] == H_ENV_PTR)
                fprintf(f, " &env%+" PRId32, (int32_t)p[k]);
            else if (value)
                interp_dump_opnd(f, p[k]);
            else
                fprintf(f, " $%" PRIu32, p[k]);
        }
        fputc('\n', f);
        p += 1 + n;
    }
}

const struct backend backend_interp = {
    .name = "interp",
    .init = interp_init,
    .fini = interp_fini,
    .gen = interp_gen,
    .exec = interp_exec,
    .set_jump = interp_set_jump,
    .find_insn = interp_find_insn,
    .owns = interp_owns,
    .reset = interp_reset,
    .cpu_gone = interp_cpu_gone,
    .dump = interp_dump,
};
