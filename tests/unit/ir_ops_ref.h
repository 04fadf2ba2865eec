/*
 * ir_ops_ref.h - the reference semantics of the IR ops for
 * tests/unit/test_ir_ops.c: each op computed in plain C on w-bit values,
 * independently of the optimizer's evaluator (translator/ir_eval.h), so
 * that a backend is checked against something that is not itself.
 * Included by that one test only.
 */
#ifndef TESTS_UNIT_IR_OPS_REF_H
#define TESTS_UNIT_IR_OPS_REF_H

#include <stdbool.h>
#include <stdint.h>

#include "translator/ir.h"

/* ---- the reference: each op in plain C, on w-bit values ---- */

static uint64_t mask_of(unsigned w)
{
    return w == 64 ? ~(uint64_t)0 : ((uint64_t)1 << w) - 1;
}

static unsigned width_of(enum ir_type t) { return t == IR_I64 ? 64 : 32; }

static uint64_t bit(uint64_t v, unsigned i) { return (v >> i) & 1; }

/* v (w bits) as a signed number. */
static int64_t signed_of(unsigned w, uint64_t v)
{
    if (w < 64 && bit(v, w - 1))
        return (int64_t)(v | ~mask_of(w));
    return (int64_t)v;
}

static bool ref_cond(enum ir_cond c, unsigned w, uint64_t a, uint64_t x)
{
    int64_t sa = signed_of(w, a), sx = signed_of(w, x);
    switch (c) {
    case IR_COND_EQ: return a == x;
    case IR_COND_NE: return a != x;
    case IR_COND_LT: return sa < sx;
    case IR_COND_GE: return sa >= sx;
    case IR_COND_LE: return sa <= sx;
    case IR_COND_GT: return sa > sx;
    case IR_COND_LTU: return a < x;
    case IR_COND_GEU: return a >= x;
    case IR_COND_LEU: return a <= x;
    case IR_COND_GTU: return a > x;
    case IR_COND_ALWAYS: return true;
    case IR_COND_NEVER: return false;
    }
    ck_abort_msg("condition %d", (int)c);
    return false;
}

/* Bits [pos, pos+len) of v, at bit 0. */
static uint64_t field_of(uint64_t v, unsigned pos, unsigned len)
{
    uint64_t f = 0;
    for (unsigned i = 0; i < len; i++)
        f |= bit(v, pos + i) << i;
    return f;
}

static uint64_t rotl1(unsigned w, uint64_t v)
{
    return ((v << 1) | bit(v, w - 1)) & mask_of(w);
}

static uint64_t rotr1(unsigned w, uint64_t v)
{
    return (v >> 1) | (bit(v, 0) << (w - 1));
}

/* 64 x 64 -> 128 unsigned, from 32-bit halves. */
static void mul_64x64(uint64_t a, uint64_t x, uint64_t *lo, uint64_t *hi)
{
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, x0 = (uint32_t)x, x1 = x >> 32;
    uint64_t p00 = a0 * x0, p01 = a0 * x1, p10 = a1 * x0, p11 = a1 * x1;
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    *lo = (uint32_t)p00 | (mid << 32);
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/*
 * out[] = op(in[]) with constants k[], at width w: in[] holds the low w bits
 * of each input (an I32 op reads only those); the caller keeps the low w
 * bits of each output (an I32 op writes its result zero-extended).
 */
/* in[] has at least two entries (the second is read, unused, by unary ops). */
static void ref_value(enum ir_opc opc, unsigned w, const uint64_t *in,
                      const uint32_t *k, uint64_t *out)
{
    uint64_t a = in[0], x = in[1];
    unsigned n = (unsigned)(x & (w - 1));

    switch (opc) {
    case IR_mov: out[0] = a; return;
    case IR_add: out[0] = a + x; return;
    case IR_sub: out[0] = a - x; return;
    case IR_mul: out[0] = a * x; return;
    case IR_and: out[0] = a & x; return;
    case IR_or: out[0] = a | x; return;
    case IR_xor: out[0] = a ^ x; return;
    case IR_shl: out[0] = a << n; return;
    case IR_shr: out[0] = a >> n; return;
    case IR_sar:
        /* the sign copied into the n bits shifted in */
        out[0] = a >> n;
        if (bit(a, w - 1))
            out[0] |= mask_of(w) & ~(mask_of(w) >> n);
        return;
    case IR_rotl:
        out[0] = a;
        for (unsigned i = 0; i < n; i++)
            out[0] = rotl1(w, out[0]);
        return;
    case IR_rotr:
        out[0] = a;
        for (unsigned i = 0; i < n; i++)
            out[0] = rotr1(w, out[0]);
        return;
    case IR_mulu2:
    case IR_muls2:
        if (w == 32) {
            uint64_t p = opc == IR_mulu2
                             ? a * x
                             : (uint64_t)(signed_of(32, a) * signed_of(32, x));
            out[0] = (uint32_t)p;
            out[1] = p >> 32;
        } else {
            mul_64x64(a, x, &out[0], &out[1]);
            /* signed: subtract what the sign bits weighed unsigned */
            if (opc == IR_muls2) {
                if (bit(a, 63))
                    out[1] -= x;
                if (bit(x, 63))
                    out[1] -= a;
            }
        }
        return;
    case IR_neg: out[0] = 0 - a; return;
    case IR_not: out[0] = ~a; return;
    case IR_ext8s: out[0] = (uint64_t)signed_of(8, a & 0xff); return;
    case IR_ext8u: out[0] = a & 0xff; return;
    case IR_ext16s: out[0] = (uint64_t)signed_of(16, a & 0xffff); return;
    case IR_ext16u: out[0] = a & 0xffff; return;
    case IR_ext32s: out[0] = (uint64_t)signed_of(32, a & 0xffffffff); return;
    case IR_ext32u: out[0] = a & 0xffffffff; return;
    case IR_bswap32:
        out[0] = ((a & 0xff) << 24) | (((a >> 8) & 0xff) << 16) |
                 (((a >> 16) & 0xff) << 8) | ((a >> 24) & 0xff);
        return;
    case IR_extract: out[0] = field_of(a, k[0], k[1]); return;
    case IR_sextract:
        out[0] = (uint64_t)signed_of(k[1], field_of(a, k[0], k[1]));
        return;
    case IR_deposit:
        out[0] = a;
        for (unsigned i = 0; i < k[1]; i++)
            out[0] = (out[0] & ~((uint64_t)1 << (k[0] + i))) |
                     (bit(x, i) << (k[0] + i));
        return;
    case IR_setcond: out[0] = ref_cond((enum ir_cond)k[0], w, a, x); return;
    case IR_movcond:
        out[0] = ref_cond((enum ir_cond)k[0], w, a, x) ? in[2] : in[3];
        return;
    default: break;
    }
    ck_abort_msg("no reference for %s", ir_opdefs[opc].name);
}

#endif
