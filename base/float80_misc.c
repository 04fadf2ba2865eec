/*
 * float80_misc.c - the x87 operations that are exact or round to 64 bits
 * whatever the precision control says: FPREM, FPREM1, FRNDINT, FSCALE and
 * FXTRACT (SDM vol. 2, one section each).
 */
#include "base/float80.h"

#include "base/float80_impl.h"

uint64_t f80i_round_int(uint64_t sig, int32_t exp, unsigned rc, bool sign,
                        bool *inexact, bool *up)
{
    uint64_t hi = sig, lo = 0;
    bool carry;

    /* Bring the binary point between hi and lo. */
    f80i_shr128_jam(&hi, &lo, exp < -64 ? 128 : 63 - exp);
    return f80i_round_bits(hi, lo, 0, rc, sign, inexact, up, &carry);
}

/* Front of the one-result operations: an unsupported format is invalid,
 * NaNs propagate. True when *r is final. */
static bool nan_or_unsupported(struct f80_env *env, float80 a, float80 b,
                               bool binary, float80 *r)
{
    enum f80_class ca = f80_classify(a);
    enum f80_class cb = binary ? f80_classify(b) : F80_CLASS_ZERO;

    if (ca == F80_CLASS_UNSUPPORTED || cb == F80_CLASS_UNSUPPORTED) {
        *r = f80i_invalid(env);
        return true;
    }
    if (f80i_is_nan_class(ca) || f80i_is_nan_class(cb)) {
        *r = f80i_propagate_nan(env, a, binary ? &b : 0);
        return true;
    }
    return false;
}

static bool denormal_operand(struct f80_env *env, float80 a, float80 b,
                             bool binary)
{
    bool den = f80_classify(a) == F80_CLASS_DENORMAL ||
               (binary && f80_classify(b) == F80_CLASS_DENORMAL);
    return den && f80i_denormal(env);
}

/*
 * FPREM and FPREM1 (SDM vol. 2). With D = exponent(a) - exponent(b):
 * D < 64 computes the true remainder a - q*b, q the quotient truncated
 * (FPREM) or rounded to nearest-even (FPREM1), and reports q's low three
 * bits. D >= 64 only reduces a by b * 2^(D-N) times a truncated quotient,
 * N "implementation-dependent between 32 and 63": the x87 takes
 * N = 32 + D mod 32, so the partial remainder's exponent falls below a
 * multiple of 32 above b's. C2 = 1 then and C0, C3, C1 are cleared.
 */
static float80 partial_remainder(struct f80_env *env, float80 a, float80 b,
                                 bool ieee)
{
    float80 r;

    f80i_begin(env, true);
    env->sw &= ~(F80_C0 | F80_C2 | F80_C3);
    if (nan_or_unsupported(env, a, b, true, &r))
        return r;
    enum f80_class ca = f80_classify(a), cb = f80_classify(b);
    if (ca == F80_CLASS_INF || cb == F80_CLASS_ZERO)
        return f80i_invalid(env);
    if (denormal_operand(env, a, b, true))
        return a;
    if (ca == F80_CLASS_ZERO)
        return a;

    struct f80i_unpacked x = f80i_unpack(a), y = f80i_unpack(b);
    if (cb == F80_CLASS_INF) /* a itself, through the rounding step */
        return f80i_round_pack(env, x.sign, x.exp, x.sig, 0, F80_PC_64);
    int32_t d = x.exp - y.exp, n = d, scale = y.exp;
    uint64_t rem = x.sig, q = 0;
    bool partial = d >= 64, flip = false;

    if (partial) {
        n = 32 + d % 32;
        scale = y.exp + d - n;
    }
    if (d < 0) {
        /* |a| < |b|: q = 0, except for FPREM1 when |b|/2 < |a| (only
         * possible for D = -1), where q = 1 and a - b is the smaller. */
        if (!ieee || d < -1 || x.sig <= y.sig)
            return f80i_round_pack(env, x.sign, x.exp, x.sig, 0, F80_PC_64);
        q = 1;
        rem = y.sig - (x.sig - y.sig); /* 2|b| - |a|, in units of a */
        scale = x.exp;
        flip = true;
    } else {
        /* Restoring division, one quotient bit a step, n + 1 bits. */
        bool top = false;
        for (int32_t i = 0; i <= n; i++) {
            q <<= 1;
            if (top || rem >= y.sig) {
                rem -= y.sig;
                q |= 1;
            }
            if (i < n) {
                top = rem >> 63;
                rem <<= 1;
            }
        }
        /* FPREM1: round the quotient to nearest, ties to even. */
        if (ieee && !partial &&
            (rem > y.sig - rem || (rem == y.sig - rem && (q & 1)))) {
            q++;
            rem = y.sig - rem;
            flip = true;
        }
    }
    if (rem == 0)
        r = f80i_zero(x.sign); /* SDM: a zero takes the dividend's sign */
    else
        r = f80i_round_pack(env, x.sign != flip, scale, rem, 0, F80_PC_64);
    env->sw &= ~F80_C1;
    if (partial) {
        env->sw |= F80_C2;
    } else {
        env->sw |=
            (q & 4 ? F80_C0 : 0) | (q & 2 ? F80_C3 : 0) | (q & 1 ? F80_C1 : 0);
    }
    return r;
}

float80 f80_prem(struct f80_env *env, float80 a, float80 b)
{
    return partial_remainder(env, a, b, false);
}

float80 f80_prem1(struct f80_env *env, float80 a, float80 b)
{
    return partial_remainder(env, a, b, true);
}

float80 f80_rndint(struct f80_env *env, float80 a)
{
    float80 r;

    f80i_begin(env, true);
    if (nan_or_unsupported(env, a, a, false, &r))
        return r;
    enum f80_class ca = f80_classify(a);
    if (ca == F80_CLASS_INF || ca == F80_CLASS_ZERO)
        return a;
    if (denormal_operand(env, a, a, false))
        return a;
    struct f80i_unpacked x = f80i_unpack(a);
    if (x.exp >= 63)
        return a; /* no fraction bits */

    bool inexact, up;
    uint64_t v =
        f80i_round_int(x.sig, x.exp, f80_rc(env), x.sign, &inexact, &up);
    if (inexact) {
        f80i_raise(env, F80_PE);
        if (up)
            env->sw |= F80_C1;
    }
    if (v == 0)
        return f80i_zero(x.sign);
    int lz = f80i_clz64(v);
    return f80i_pack(x.sign, (unsigned)(F80_BIAS + 63 - lz), v << lz);
}

/* FSCALE's scale, trunc(b), clamped far beyond any exponent range (so
 * the sums below stay in int32_t and still overflow or underflow). */
static int32_t scale_of(float80 b)
{
    struct f80i_unpacked y = f80i_unpack(b);
    int32_t n;

    if (y.sig == 0 || y.exp < 0)
        return 0;
    n = y.exp > 20 ? 1 << 21 : (int32_t)(y.sig >> (63 - y.exp));
    return y.sign ? -n : n;
}

float80 f80_scale(struct f80_env *env, float80 a, float80 b)
{
    float80 r;

    f80i_begin(env, true);
    if (nan_or_unsupported(env, a, b, true, &r))
        return r;
    enum f80_class ca = f80_classify(a), cb = f80_classify(b);
    bool sa = f80_sign(a);
    if (cb == F80_CLASS_INF) {
        /* SDM vol. 2 FSCALE, Table 3-41: inf * 2^-inf and 0 * 2^+inf are
         * invalid; otherwise 2^-inf gives a signed 0, 2^+inf a signed
         * infinity. */
        bool down = f80_sign(b);
        if (down ? ca == F80_CLASS_INF : ca == F80_CLASS_ZERO)
            return f80i_invalid(env);
        if (denormal_operand(env, a, b, true))
            return a;
        if (ca == F80_CLASS_INF || ca == F80_CLASS_ZERO)
            return a;
        return down ? f80i_zero(sa) : f80i_inf(sa);
    }
    if (denormal_operand(env, a, b, true))
        return a;
    if (ca == F80_CLASS_INF || ca == F80_CLASS_ZERO)
        return a;
    struct f80i_unpacked x = f80i_unpack(a);
    return f80i_round_pack(env, sa, x.exp + scale_of(b), x.sig, 0, F80_PC_64);
}

void f80_xtract(struct f80_env *env, float80 a, float80 *exp, float80 *sig)
{
    enum f80_class ca = f80_classify(a);

    f80i_begin(env, true);
    if (ca == F80_CLASS_UNSUPPORTED) {
        *exp = *sig = f80i_invalid(env);
        return;
    }
    if (f80i_is_nan_class(ca)) {
        *exp = *sig = f80i_propagate_nan(env, a, 0);
        return;
    }
    if (ca == F80_CLASS_ZERO) {
        /* SDM vol. 2 FXTRACT: ZE; masked, ST(1) = -inf, ST(0) = the 0. */
        f80i_raise(env, F80_ZE);
        *exp = f80i_inf(true);
        *sig = a;
        return;
    }
    if (ca == F80_CLASS_INF) {
        *exp = f80i_inf(false);
        *sig = a;
        return;
    }
    if (denormal_operand(env, a, a, false)) {
        *exp = *sig = a;
        return;
    }
    struct f80i_unpacked x = f80i_unpack(a);
    *exp = f80_from_i64(x.exp);
    *sig = f80i_pack(x.sign, F80_BIAS, x.sig);
}
