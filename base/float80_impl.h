/*
 * float80_impl.h - the pieces shared by float80.c, float80_misc.c and
 * float80_conv.c: 128-bit integer helpers made of two uint64_t, operands
 * unpacked to (sign, exponent, normalized significand), the common rounding
 * step and the special-operand rules. Not for use outside base/float80*.c.
 */
#ifndef BASE_FLOAT80_IMPL_H
#define BASE_FLOAT80_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/float80.h"

/* Number of leading zero bits; x != 0. */
static inline int f80i_clz64(uint64_t x) { return __builtin_clzll(x); }

/* 64 x 64 -> 128-bit product from 32-bit pieces (portable, no __int128). */
static inline void f80i_mul64(uint64_t a, uint64_t b, uint64_t *hi,
                              uint64_t *lo)
{
    uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
    *lo = (mid << 32) | (uint32_t)ll;
    *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/* (hi:lo) >>= n, OR-ing every bit shifted out into bit 0 ("jamming") so
 * that rounding still sees that the value was inexact. */
static inline void f80i_shr128_jam(uint64_t *hi, uint64_t *lo, int32_t n)
{
    if (n <= 0)
        return;
    if (n >= 128) {
        *lo = (*hi | *lo) != 0;
        *hi = 0;
    } else if (n >= 64) {
        uint64_t lost = *lo | (n > 64 ? *hi << (128 - n) : 0);
        *lo = (n == 64 ? *hi : *hi >> (n - 64)) | (lost != 0);
        *hi = 0;
    } else {
        uint64_t lost = *lo << (64 - n);
        *lo = (*lo >> n) | (*hi << (64 - n)) | (lost != 0);
        *hi >>= n;
    }
}

/* (hi:lo) <<= n, 0 <= n < 128. */
static inline void f80i_shl128(uint64_t *hi, uint64_t *lo, int n)
{
    if (n == 0)
        return;
    if (n >= 64) {
        *hi = *lo << (n - 64);
        *lo = 0;
    } else {
        *hi = (*hi << n) | (*lo >> (64 - n));
        *lo <<= n;
    }
}

/* An operand with its exponent unbounded: value = sig * 2^(exp - 63),
 * sig's bit 63 set for every non-zero finite value. */
struct f80i_unpacked {
    bool sign;
    int32_t exp; /* unbiased */
    uint64_t sig;
};

/* Unpack a zero, denormal, pseudo-denormal or normal (not the others). */
struct f80i_unpacked f80i_unpack(float80 a);

/* A destination format for the rounding step: precision in bits and the
 * unbiased exponent range of its normal numbers. */
struct f80i_format {
    int prec;
    int32_t emin, emax;
};
extern const struct f80i_format f80i_fmt_f32, f80i_fmt_f64;
/* The register format at the given precision control. */
struct f80i_format f80i_fmt_reg(unsigned pc);

/* The outcome of rounding: sig has its leading bit at 63 and exp is in
 * [emin, emax] for a normal result; a denormal result has exp == emin and
 * bit 63 clear; kind tells the other outcomes. */
enum f80i_kind {
    F80I_FINITE,   /* normal, denormal or zero (sig == 0) */
    F80I_INF,      /* masked overflow to infinity */
    F80I_SUPPRESS, /* unmasked OE/UE on a memory destination */
};
struct f80i_rounded {
    enum f80i_kind kind;
    bool sign;
    int32_t exp;
    uint64_t sig;
};

/* Round (hi:lo) at bit `keep` of hi (the lowest bit kept) by rc for a
 * value of the given sign. Returns hi rounded, the discarded bits cleared;
 * *inexact: bits were discarded; *up: the magnitude was incremented;
 * *carry: the increment overflowed bit 63 (hi is then 2^63). */
uint64_t f80i_round_bits(uint64_t hi, uint64_t lo, int keep, unsigned rc,
                         bool sign, bool *inexact, bool *up, bool *carry);

/* Round sig * 2^(exp - 63) to an integer by rc; exp < 63 (so the result
 * fits). */
uint64_t f80i_round_int(uint64_t sig, int32_t exp, unsigned rc, bool sign,
                        bool *inexact, bool *up);

/* Round the exact value (-1)^sign * (hi + lo / 2^64) * 2^(exp - 63) into
 * fmt by env's RC, raising PE/UE/OE and setting C1 as the x87 does.
 * reg_dest: the destination is a register, so unmasked OE/UE deliver the
 * bias-adjusted result. */
struct f80i_rounded f80i_round(struct f80_env *env, bool sign, int32_t exp,
                               uint64_t hi, uint64_t lo, struct f80i_format fmt,
                               bool reg_dest);
/* The same, packed into the register format. */
float80 f80i_round_pack(struct f80_env *env, bool sign, int32_t exp,
                        uint64_t hi, uint64_t lo, unsigned pc);

static inline float80 f80i_pack(bool sign, unsigned exp, uint64_t mant)
{
    return F80_MAKE((uint16_t)((sign ? F80_SIGN : 0) | exp), mant);
}
static inline float80 f80i_inf(bool sign)
{
    return f80i_pack(sign, F80_EXP_MAX, F80_J);
}
static inline float80 f80i_zero(bool sign) { return f80i_pack(sign, 0, 0); }

/* Start an operation: nothing raised yet; C1 cleared when the operation
 * defines it. */
static inline void f80i_begin(struct f80_env *env, bool clear_c1)
{
    env->raised = 0;
    if (clear_c1)
        env->sw &= ~F80_C1;
}
static inline void f80i_raise(struct f80_env *env, unsigned flags)
{
    env->raised |= flags;
    env->sw |= flags;
}
/* Raise IE; the masked response is the indefinite. */
static inline float80 f80i_invalid(struct f80_env *env)
{
    f80i_raise(env, F80_IE);
    return F80_INDEFINITE;
}
/* Raise DE; true when it is unmasked, so the operation must stop
 * (SDM vol. 1 8.5.2: the operands are left unchanged). */
static inline bool f80i_denormal(struct f80_env *env)
{
    f80i_raise(env, F80_DE);
    return !(env->cw & F80_DE);
}

static inline bool f80i_is_nan_class(enum f80_class c)
{
    return c == F80_CLASS_QNAN || c == F80_CLASS_SNAN;
}
/* The NaN result of an operation with at least one NaN operand (a alone
 * when b is NULL), quieted, with IE raised for an SNaN (SDM vol. 1
 * 4.8.3.5, Table 4-7). */
float80 f80i_propagate_nan(struct f80_env *env, float80 a, const float80 *b);

#endif
