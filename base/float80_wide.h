/*
 * float80_wide.h - the wide internal format of the x87 transcendentals
 * (float80_trans.c, float80_trig.c): a sign, an unbounded exponent and a
 * 128-bit significand, in 64-bit integer arithmetic only. Its operations
 * truncate, so each loses at most a few units of 2^-127 relative, far
 * below the 2^-64 of the final rounding. Not for use outside base/.
 */
#ifndef BASE_FLOAT80_WIDE_H
#define BASE_FLOAT80_WIDE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/float80_impl.h"

/* value = (-1)^sign * (hi:lo) * 2^(exp - 127); hi's bit 63 is set unless
 * the value is zero (hi = lo = 0). The same convention as f80i_round's
 * (exp, hi, lo). */
struct f80w {
    bool sign;
    int32_t exp;
    uint64_t hi, lo;
};

#define F80W(sign_, exp_, hi_, lo_)                                            \
    ((struct f80w){ .sign = (sign_), .exp = (exp_), .hi = (hi_), .lo = (lo_) })
#define F80W_ONE F80W(false, 0, F80_J, 0)

/* Constants rounded to 128 bits: pi, pi/2, ln 2, log2(e). */
extern const struct f80w f80w_pi, f80w_pi_2, f80w_ln2, f80w_log2e;

static inline bool f80w_is_zero(struct f80w a) { return (a.hi | a.lo) == 0; }
static inline struct f80w f80w_neg(struct f80w a)
{
    a.sign = !a.sign;
    return a;
}
static inline struct f80w f80w_abs(struct f80w a)
{
    a.sign = false;
    return a;
}
/* a * 2^n. */
static inline struct f80w f80w_scale(struct f80w a, int32_t n)
{
    a.exp += n;
    return a;
}

/* A zero, denormal or normal float80 operand, exactly. */
struct f80w f80w_from_f80(float80 a);
/* (hi:lo) * 2^(exp - 127), normalized (any value of hi:lo). */
struct f80w f80w_make(bool sign, int32_t exp, uint64_t hi, uint64_t lo);
/* An integer, exactly. */
struct f80w f80w_from_int(int64_t v);

struct f80w f80w_add(struct f80w a, struct f80w b);
struct f80w f80w_sub(struct f80w a, struct f80w b);
struct f80w f80w_mul(struct f80w a, struct f80w b);
/* a / b for b != 0. */
struct f80w f80w_div(struct f80w a, struct f80w b);
/* a / n for 0 < n < 2^32. */
struct f80w f80w_div_small(struct f80w a, uint32_t n);
/* |a| < |b| (magnitudes only). */
bool f80w_less_mag(struct f80w a, struct f80w b);

/* Round a to the register format at 64 bits by env's RC (PE, UE, OE and
 * C1 as every result). inexact: a is an approximation of an irrational
 * value, so the result is inexact even if the 128 bits happen to fit. */
float80 f80w_round(struct f80_env *env, struct f80w a, bool inexact);

#endif
