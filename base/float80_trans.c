/*
 * float80_trans.c - the x87 constants (FLDPI, FLDL2E, FLDL2T, FLDLG2,
 * FLDLN2) and the exponential, logarithmic and arctangent instructions
 * (F2XM1, FYL2X, FYL2XP1, FPATAN). Each result is computed in the 128-bit
 * wide format (float80_wide.h) by a short series after an exact argument
 * reduction, then rounded once to 64 bits by RC: precision control does
 * not apply (SDM vol. 1 8.1.5.2), and the result is within 1 ulp (SDM
 * vol. 1 8.3.10), in practice correctly rounded. The sine family is in
 * float80_trig.c.
 */
#include "base/float80.h"

#include "base/float80_impl.h"
#include "base/float80_trans_impl.h"
#include "base/float80_wide.h"

/* ---- Shared front and the series ---- */

bool f80t_nan_or_unsupported(struct f80_env *env, float80 a, const float80 *b,
                             float80 *r)
{
    enum f80_class ca = f80_classify(a);
    enum f80_class cb = b ? f80_classify(*b) : F80_CLASS_ZERO;

    if (ca == F80_CLASS_UNSUPPORTED || cb == F80_CLASS_UNSUPPORTED) {
        *r = f80i_invalid(env);
        return true;
    }
    if (f80i_is_nan_class(ca) || f80i_is_nan_class(cb)) {
        *r = f80i_propagate_nan(env, a, b);
        return true;
    }
    return false;
}

bool f80t_denormal_stops(struct f80_env *env, float80 a, const float80 *b)
{
    bool den = f80_classify(a) == F80_CLASS_DENORMAL ||
               (b && f80_classify(*b) == F80_CLASS_DENORMAL);
    return den && f80i_denormal(env);
}

int f80t_series_terms(struct f80w x2, int max)
{
    /* x2 < 2^(exp + 1): the k-th term is below 2^(k (exp + 1)); stop once
     * that is below 2^-130. */
    int32_t per_term = -(x2.exp + 1);
    if (f80w_is_zero(x2) || per_term >= 130)
        return 1;
    if (per_term <= 0)
        return max;
    int n = 130 / per_term + 1;
    return n > max ? max : n;
}

struct f80w f80t_odd_series(struct f80w x, bool alternate)
{
    /* x (1 +- x^2/3 + x^4/5 +- ...): atanh(x) or, alternating, atan(x),
     * by Horner's rule from the last term. */
    struct f80w x2 = f80w_mul(x, x);
    int n = f80t_series_terms(x2, 40);
    struct f80w p = f80w_div_small(F80W_ONE, (uint32_t)(2 * n + 1));
    if (alternate)
        x2 = f80w_neg(x2);
    for (int k = n - 1; k >= 0; k--)
        p = f80w_add(f80w_mul(p, x2), f80w_div_small(F80W_ONE, 2 * k + 1));
    return f80w_mul(x, p);
}

/* ---- FLDPI, FLDL2E, FLDL2T, FLDLG2, FLDLN2 ---- */

/*
 * SDM vol. 1 8.3.8: the x87 holds each constant with 66 significant bits
 * and rounds it to 64 by RC. Where those 66 bits end in a tie (log10(2):
 * ...F798 then binary 10) the x87 still rounds up to nearest, as the true
 * value (bits 0011... follow) does: so the constant is kept as its first
 * 64 bits and the next bits, with the remainder beyond the 66th folded
 * into a sticky bit, and rounding gives the true value's rounding.
 */
static const struct {
    uint16_t se;
    uint64_t mant;
    uint64_t next; /* the bits after the 64th, from bit 63 down */
} constants[] = {
    [F80_CONST_PI] = { 0x4000, 0xc90fdaa22168c234ULL, 0xc4c6628b80dc1cd1ULL },
    [F80_CONST_L2E] = { 0x3fff, 0xb8aa3b295c17f0bbULL, 0xbe87fed0691d3e88ULL },
    [F80_CONST_L2T] = { 0x4000, 0xd49a784bcd1b8afeULL, 0x492bf6ff4dafdb4cULL },
    [F80_CONST_LG2] = { 0x3ffd, 0x9a209a84fbcff798ULL, 0x8f8959ac0b7c9178ULL },
    [F80_CONST_LN2] = { 0x3ffe, 0xb17217f7d1cf79abULL, 0xc9e3b39803f2f6afULL },
};

float80 f80_const(struct f80_env *env, enum f80_constant which)
{
    uint64_t next = constants[which].next;
    /* 66 bits and the sticky bit. */
    uint64_t lo = (next & (3ULL << 62)) | ((next << 2) != 0);
    bool inexact, up, carry;

    /* SDM vol. 2 FLD1/FLDL2T/...: no exception; C1 = 0 (the FPU model
     * sets it for a stack overflow), not the rounding direction. */
    f80i_begin(env, true);
    uint64_t m = f80i_round_bits(constants[which].mant, lo, 0, f80_rc(env),
                                 false, &inexact, &up, &carry);
    /* None of the five ends in 64 one bits, so no carry out. */
    return F80_MAKE(constants[which].se, m);
}

/* ---- F2XM1 ---- */

/* e^t - 1 for a wide t, accurate relative to the result: halve t until
 * |t| < 2^-8, sum the series, then double back with
 * e^2t - 1 = (e^t - 1) (e^t - 1 + 2). */
static struct f80w expm1_wide(struct f80w t)
{
    int halvings = t.exp + 9 > 0 ? t.exp + 9 : 0;
    struct f80w two = F80W(false, 1, F80_J, 0);

    t = f80w_scale(t, -halvings);
    int n = f80t_series_terms(t, 40);
    /* t (1 + t/2 (1 + t/3 (1 + ... (1 + t/n)))) */
    struct f80w p = F80W_ONE;
    for (int k = n; k >= 2; k--)
        p = f80w_add(F80W_ONE, f80w_div_small(f80w_mul(t, p), (uint32_t)k));
    struct f80w e = f80w_mul(t, p);
    for (int i = 0; i < halvings; i++)
        e = f80w_mul(e, f80w_add(e, two));
    return e;
}

/*
 * F2XM1 (SDM vol. 2): 2^a - 1 for -1 <= a <= 1; a zero is returned as
 * it is, +inf gives +inf and -inf gives -1 (exactly, no exception).
 * Outside [-1, 1] the SDM leaves the result undefined: the x87 returns
 * the operand itself, inexact, and so do we.
 */
float80 f80_f2xm1(struct f80_env *env, float80 a)
{
    float80 r;

    f80i_begin(env, true);
    if (f80t_nan_or_unsupported(env, a, 0, &r))
        return r;
    enum f80_class ca = f80_classify(a);
    if (ca == F80_CLASS_ZERO)
        return a;
    if (ca == F80_CLASS_INF)
        return f80_sign(a) ? f80i_pack(true, F80_BIAS, F80_J) : a;
    if (f80t_denormal_stops(env, a, 0))
        return a;
    struct f80w x = f80w_from_f80(a);
    if (x.exp >= 0 && !(x.exp == 0 && x.hi == F80_J)) {
        f80i_raise(env, F80_PE); /* |a| > 1: undefined, see above */
        return a;
    }
    /* 2^1 - 1 = 1 and 2^-1 - 1 = -1/2 are exact. */
    if (x.exp == 0)
        return x.sign ? f80i_pack(true, F80_BIAS - 1, F80_J) : a;
    return f80w_round(env, expm1_wide(f80w_mul(x, f80w_ln2)), true);
}

/* ---- FYL2X, FYL2XP1 ---- */

/* log2(x) for a wide x > 0: x = m 2^e with m in [sqrt(2)/2, sqrt(2)),
 * log2(x) = e + 2 atanh((m - 1) / (m + 1)) / ln 2. *exact: x is a power
 * of two, so the result is the integer e exactly. */
static struct f80w log2_wide(struct f80w x, bool *exact)
{
    int32_t e = x.exp;
    struct f80w m = x;

    m.exp = 0;
    if (m.hi > 0xb504f333f9de6484ULL) { /* m > sqrt(2) */
        m.exp = -1;
        e++;
    }
    *exact = m.hi == F80_J && m.lo == 0 && m.exp == 0;
    struct f80w ew = f80w_from_int(e);
    if (*exact)
        return ew;
    struct f80w s = f80w_div(f80w_sub(m, F80W_ONE), f80w_add(m, F80W_ONE));
    struct f80w l = f80w_mul(f80w_scale(f80t_odd_series(s, false), 1),
                             f80w_log2e);
    return f80w_add(ew, l);
}

/* log2(1 + x) for a wide x > -1, accurate relative to the result when x
 * is small: 2 atanh(x / (2 + x)) / ln 2. */
static struct f80w log2p1_wide(struct f80w x)
{
    struct f80w two = F80W(false, 1, F80_J, 0);
    bool exact;

    if (x.exp >= -2) /* |x| >= 1/4: 1 + x loses nothing that matters */
        return log2_wide(f80w_add(F80W_ONE, x), &exact);
    struct f80w s = f80w_div(x, f80w_add(two, x));
    return f80w_mul(f80w_scale(f80t_odd_series(s, false), 1), f80w_log2e);
}

/*
 * FYL2X (SDM vol. 2, Table 3-48): y * log2(x), y = ST(1), x = ST(0).
 * A negative x (not -0) is invalid; x = +-0 divides by zero (a signed
 * infinity opposite to y), or is invalid with y = 0; 0 * inf (x = 1 with
 * an infinite y, x = +inf with a zero y) is invalid.
 */
float80 f80_yl2x(struct f80_env *env, float80 x, float80 y)
{
    float80 r;

    f80i_begin(env, true);
    if (f80t_nan_or_unsupported(env, x, &y, &r))
        return r;
    enum f80_class cx = f80_classify(x), cy = f80_classify(y);
    bool sy = f80_sign(y);
    if (cx != F80_CLASS_ZERO && f80_sign(x))
        return f80i_invalid(env);
    if (cx == F80_CLASS_ZERO) {
        if (cy == F80_CLASS_ZERO)
            return f80i_invalid(env);
        /* ZE outranks DE (SDM vol. 1 4.9.2); an infinite y is no
         * division by zero. */
        if (cy != F80_CLASS_INF)
            f80i_raise(env, F80_ZE);
        return f80i_inf(!sy);
    }
    if (cx == F80_CLASS_INF) {
        if (cy == F80_CLASS_ZERO)
            return f80i_invalid(env);
        if (f80t_denormal_stops(env, y, 0))
            return y;
        return f80i_inf(sy);
    }
    struct f80w xw = f80w_from_f80(x);
    bool is_one = xw.exp == 0 && xw.hi == F80_J;
    bool below_one = xw.exp < 0;
    if (cy == F80_CLASS_INF && is_one)
        return f80i_invalid(env);
    if (f80t_denormal_stops(env, x, &y))
        return x;
    if (cy == F80_CLASS_INF)
        return f80i_inf(sy != below_one);
    if (cy == F80_CLASS_ZERO || is_one)
        return f80i_zero(sy != below_one);
    bool exact;
    struct f80w l = log2_wide(xw, &exact);
    return f80w_round(env, f80w_mul(f80w_from_f80(y), l), !exact);
}

/*
 * FYL2XP1 (SDM vol. 2, Table 3-49): y * log2(x + 1) for
 * |x| < 1 - sqrt(2)/2; +-0 gives a zero signed as the product, inf * 0 is
 * invalid. Outside the range the SDM leaves the result undefined; here,
 * as on the x87: y * log2(x + 1) for x > -1, x itself for x <= -1, a -inf
 * x is invalid and +inf gives y * inf.
 */
float80 f80_yl2xp1(struct f80_env *env, float80 x, float80 y)
{
    float80 r;

    f80i_begin(env, true);
    if (f80t_nan_or_unsupported(env, x, &y, &r))
        return r;
    enum f80_class cx = f80_classify(x), cy = f80_classify(y);
    bool sx = f80_sign(x), sy = f80_sign(y);
    if (cx == F80_CLASS_INF) {
        if (sx || cy == F80_CLASS_ZERO)
            return f80i_invalid(env);
        if (f80t_denormal_stops(env, y, 0))
            return y;
        return f80i_inf(sy);
    }
    if (cx == F80_CLASS_ZERO) {
        if (cy == F80_CLASS_INF)
            return f80i_invalid(env);
        if (f80t_denormal_stops(env, y, 0))
            return y;
        return f80i_zero(sx != sy);
    }
    struct f80w xw = f80w_from_f80(x);
    if (sx && xw.exp >= 0) {
        /* x <= -1: undefined; the x87 returns x itself, inexact, or
         * for a zero or infinite y that signed as the product (observed). */
        if (f80t_denormal_stops(env, y, 0))
            return x;
        if (cy == F80_CLASS_ZERO)
            return f80i_zero(sx != sy);
        if (cy == F80_CLASS_INF)
            return f80i_inf(sx != sy);
        f80i_raise(env, F80_PE);
        return x;
    }
    if (f80t_denormal_stops(env, x, &y))
        return x;
    if (cy == F80_CLASS_INF)
        return f80i_inf(sy != sx);
    if (cy == F80_CLASS_ZERO)
        return f80i_zero(sy != sx);
    struct f80w l = log2p1_wide(xw);
    return f80w_round(env, f80w_mul(f80w_from_f80(y), l), true);
}

/* ---- FPATAN ---- */

/* atan(j/8), j = 1..8, to 128 bits. */
static const struct f80w atan_eighths[9] = {
    F80W(false, 0, 0, 0),
    F80W(false, -4, 0xfeadd4d5617b6e32ULL, 0xc897989f3e888ef8ULL),
    F80W(false, -3, 0xfadbafc96406eb15ULL, 0x6dc79ef5f7a217e6ULL),
    F80W(false, -2, 0xb7b0ca0f26f78473ULL, 0x8aa32122dcfe4483ULL),
    F80W(false, -2, 0xed63382b0dda7b45ULL, 0x6fe445ecbc3a8d03ULL),
    F80W(false, -1, 0x8f005d5ef7f59f9bULL, 0x5c835e1665c43748ULL),
    F80W(false, -1, 0xa4bc7d1934f70924ULL, 0x19a87f2a457dac9fULL),
    F80W(false, -1, 0xb8053e2bc2319e73ULL, 0xcb2da55210a4443dULL),
    F80W(false, -1, 0xc90fdaa22168c234ULL, 0xc4c6628b80dc1cd1ULL),
};

/* atan(n / d) for 0 < n <= d: with c = j/8 the nearest eighth of n/d,
 * atan(n/d) = atan(c) + atan((n - c d) / (d + c n)), |that| < 1/15. */
static struct f80w atan_ratio(struct f80w n, struct f80w d)
{
    int32_t gap = d.exp - n.exp;
    unsigned j = 0;

    if (gap <= 4) {
        /* n/d to ~31 bits: enough to pick the nearest eighth. */
        uint64_t z = (n.hi >> (1 + gap)) / (d.hi >> 32); /* n/d * 2^31 */
        j = (unsigned)((z * 8 + (1ULL << 30)) >> 31);
    }
    if (j == 0)
        return f80t_odd_series(f80w_div(n, d), true);
    struct f80w c = f80w_from_int(j);
    c.exp -= 3;
    struct f80w t = f80w_div(f80w_sub(n, f80w_mul(c, d)),
                             f80w_add(d, f80w_mul(c, n)));
    return f80w_add(atan_eighths[j], f80t_odd_series(t, true));
}

/* FPATAN's special operands (SDM vol. 2 FPATAN, Table 3-29): zeros and
 * infinities give 0, pi/4, pi/2, 3pi/4 or pi signed as y, and raise
 * nothing, not even for 0/0 and inf/inf. */
static float80 atan_special(struct f80_env *env, float80 y, float80 x)
{
    enum f80_class cx = f80_classify(x), cy = f80_classify(y);
    bool sx = f80_sign(x), sy = f80_sign(y);
    struct f80w angle;

    if (cy == F80_CLASS_INF) {
        if (cx == F80_CLASS_INF) /* pi/4 or 3pi/4 */
            angle = f80w_scale(sx ? f80w_mul(f80w_pi, F80W(false, 1,
                                                           0xc000000000000000ULL,
                                                           0))
                                  : f80w_pi,
                               -2);
        else
            angle = f80w_pi_2;
    } else if (cx == F80_CLASS_INF || cy == F80_CLASS_ZERO) {
        /* y finite and x infinite, or y zero: 0 or pi. */
        if (!sx)
            return f80i_zero(sy);
        angle = f80w_pi;
    } else {
        angle = f80w_pi_2; /* y finite non-zero, x zero */
    }
    angle.sign = sy;
    return f80w_round(env, angle, true);
}

float80 f80_atan(struct f80_env *env, float80 y, float80 x)
{
    float80 r;

    f80i_begin(env, true);
    if (f80t_nan_or_unsupported(env, y, &x, &r))
        return r;
    enum f80_class cx = f80_classify(x), cy = f80_classify(y);
    if (f80t_denormal_stops(env, y, &x))
        return y;
    if (cx == F80_CLASS_INF || cy == F80_CLASS_INF || cx == F80_CLASS_ZERO ||
        cy == F80_CLASS_ZERO)
        return atan_special(env, y, x);

    struct f80w yw = f80w_abs(f80w_from_f80(y)), xw = f80w_abs(f80w_from_f80(x));
    bool swap = f80w_less_mag(xw, yw);
    struct f80w a = swap ? atan_ratio(xw, yw) : atan_ratio(yw, xw);
    if (swap)
        a = f80w_sub(f80w_pi_2, a); /* atan(y/x) = pi/2 - atan(x/y) */
    if (f80_sign(x))
        a = f80w_sub(f80w_pi, a);
    a.sign = f80_sign(y);
    return f80w_round(env, a, true);
}
