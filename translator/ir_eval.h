/*
 * ir_eval.h - the meaning of each pure IR op on constant operands, in one
 * place: the builders and the optimizer fold with it, and the unit tests
 * check the backends against it. Values are uint64_t; an I32 op reads the
 * low 32 bits of its inputs and returns its result zero-extended.
 */
#ifndef TRANSLATOR_IR_EVAL_H
#define TRANSLATOR_IR_EVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "translator/ir.h"

static inline uint64_t ir_eval_trunc(enum ir_type t, uint64_t v)
{
    return t == IR_I32 ? (uint32_t)v : v;
}

/* Sign-extend a value of type t to 64 bits (for signed compares). */
static inline int64_t ir_eval_sext(enum ir_type t, uint64_t v)
{
    return t == IR_I32 ? (int64_t)(int32_t)(uint32_t)v : (int64_t)v;
}

static inline bool ir_eval_cond(enum ir_cond c, enum ir_type t, uint64_t a,
                                uint64_t b)
{
    uint64_t ua = ir_eval_trunc(t, a), ub = ir_eval_trunc(t, b);
    int64_t sa = ir_eval_sext(t, a), sb = ir_eval_sext(t, b);

    switch (c) {
    case IR_COND_EQ: return ua == ub;
    case IR_COND_NE: return ua != ub;
    case IR_COND_LT: return sa < sb;
    case IR_COND_GE: return sa >= sb;
    case IR_COND_LE: return sa <= sb;
    case IR_COND_GT: return sa > sb;
    case IR_COND_LTU: return ua < ub;
    case IR_COND_GEU: return ua >= ub;
    case IR_COND_LEU: return ua <= ub;
    case IR_COND_GTU: return ua > ub;
    case IR_COND_ALWAYS: return true;
    case IR_COND_NEVER: return false;
    }
    return false;
}

/* Two-input ops (add .. rotr). Returns false for any other opcode. */
static inline bool ir_eval_op2(enum ir_opc opc, enum ir_type t, uint64_t a,
                               uint64_t b, uint64_t *out)
{
    unsigned w = t == IR_I32 ? 32 : 64;
    unsigned n = (unsigned)(b & (w - 1));
    uint64_t ua = ir_eval_trunc(t, a), r;

    switch (opc) {
    case IR_add: r = a + b; break;
    case IR_sub: r = a - b; break;
    case IR_mul: r = a * b; break;
    case IR_and: r = a & b; break;
    case IR_or: r = a | b; break;
    case IR_xor: r = a ^ b; break;
    case IR_shl: r = ua << n; break;
    case IR_shr: r = ua >> n; break;
    case IR_sar: r = (uint64_t)(ir_eval_sext(t, a) >> n); break;
    case IR_rotl: r = n ? (ua << n) | (ua >> (w - n)) : ua; break;
    case IR_rotr: r = n ? (ua >> n) | (ua << (w - n)) : ua; break;
    default: return false;
    }
    *out = ir_eval_trunc(t, r);
    return true;
}

/* One-input ops (neg .. bswap32). Returns false for any other opcode. */
static inline bool ir_eval_op1(enum ir_opc opc, enum ir_type t, uint64_t a,
                               uint64_t *out)
{
    uint64_t r;

    switch (opc) {
    case IR_mov: r = a; break;
    case IR_neg: r = -a; break;
    case IR_not: r = ~a; break;
    case IR_ext8s: r = (uint64_t)(int64_t)(int8_t)(uint8_t)a; break;
    case IR_ext8u: r = (uint8_t)a; break;
    case IR_ext16s: r = (uint64_t)(int64_t)(int16_t)(uint16_t)a; break;
    case IR_ext16u: r = (uint16_t)a; break;
    case IR_ext32s: r = (uint64_t)(int64_t)(int32_t)(uint32_t)a; break;
    case IR_ext32u: r = (uint32_t)a; break;
    case IR_bswap32: r = __builtin_bswap32((uint32_t)a); break;
    default: return false;
    }
    *out = ir_eval_trunc(t, r);
    return true;
}

static inline uint64_t ir_eval_field_mask(unsigned len)
{
    return len >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << len) - 1;
}

static inline uint64_t ir_eval_extract(enum ir_type t, uint64_t a,
                                       unsigned pos, unsigned len)
{
    return ir_eval_trunc(t, (a >> pos) & ir_eval_field_mask(len));
}

static inline uint64_t ir_eval_sextract(enum ir_type t, uint64_t a,
                                        unsigned pos, unsigned len)
{
    uint64_t f = (a >> pos) & ir_eval_field_mask(len);
    if (len < 64 && (f >> (len - 1)) & 1)
        f |= ~ir_eval_field_mask(len);
    return ir_eval_trunc(t, f);
}

static inline uint64_t ir_eval_deposit(enum ir_type t, uint64_t a, uint64_t v,
                                       unsigned pos, unsigned len)
{
    uint64_t m = ir_eval_field_mask(len) << pos;
    return ir_eval_trunc(t, (a & ~m) | ((v << pos) & m));
}

/* Double-width multiply: *lo, *hi halves of a * b at width t. */
static inline void ir_eval_mul2(bool is_signed, enum ir_type t, uint64_t a,
                                uint64_t b, uint64_t *lo, uint64_t *hi)
{
    if (t == IR_I32) {
        uint64_t p = is_signed ? (uint64_t)((int64_t)(int32_t)(uint32_t)a *
                                            (int64_t)(int32_t)(uint32_t)b)
                               : (uint64_t)(uint32_t)a * (uint32_t)b;
        *lo = (uint32_t)p;
        *hi = (uint32_t)(p >> 32);
    } else if (is_signed) {
        __int128 p = (__int128)(int64_t)a * (int64_t)b;
        *lo = (uint64_t)p;
        *hi = (uint64_t)((unsigned __int128)p >> 64);
    } else {
        unsigned __int128 p = (unsigned __int128)a * b;
        *lo = (uint64_t)p;
        *hi = (uint64_t)(p >> 64);
    }
}

#endif
