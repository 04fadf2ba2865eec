/*
 * float80_trig.c - FSIN, FCOS, FSINCOS and FPTAN (SDM vol. 2, one
 * section each). The operand, |a| < 2^63, is reduced exactly by the
 * x87's own pi/2: pi rounded to 66 bits (SDM vol. 1 8.3.8), so that for
 * large operands, and near multiples of pi, the results follow that pi
 * as the hardware's do, not the true one. The reduced argument's sine and
 * cosine come from their series in the wide format (float80_wide.h) and
 * are rounded once to 64 bits by RC.
 */
#include "base/float80.h"

#include "base/float80_impl.h"
#include "base/float80_trans_impl.h"
#include "base/float80_wide.h"

/* pi rounded to 66 bits is PI66 * 2^-64, so the x87's pi/2 is
 * PI66 * 2^-65: binary 11 then PI66_LO. */
#define PI66_HI 3ULL
#define PI66_LO 0x243f6a8885a308d3ULL

/* The operand as k * pi66/2 + r with |r| <= pi66/4: quadrant k mod 4. */
struct reduced {
    struct f80w r;
    unsigned quadrant;
};

/* (hi:lo) >= (PI66_HI:PI66_LO) */
static bool ge_pi66(uint64_t hi, uint64_t lo)
{
    return hi > PI66_HI || (hi == PI66_HI && lo >= PI66_LO);
}

/* |a| = q * pi66/2 + R * 2^-65 exactly, for a finite non-zero a with
 * |a| < 2^63, then q rounded to nearest. */
static struct reduced reduce(float80 a)
{
    struct f80w x = f80w_abs(f80w_from_f80(a));
    struct reduced red = { x, 0 };

    /* |a| <= pi/4 needs nothing: pi66/4 is C90FDAA22168C234 then 11. */
    if (x.exp < -1 || (x.exp == -1 && x.hi <= 0xc90fdaa22168c234ULL))
        return red;
    /* |a| / 2^-65 = sig * 2^(exp + 2), at most 128 bits; divide it by
     * PI66 one bit at a time (restoring division). */
    uint64_t dhi = 0, dlo = x.hi;
    f80i_shl128(&dhi, &dlo, x.exp + 2);
    uint64_t rhi = 0, rlo = 0, q = 0;
    for (int i = 127; i >= 0; i--) {
        uint64_t bit = i >= 64 ? (dhi >> (i - 64)) & 1 : (dlo >> i) & 1;
        rhi = (rhi << 1) | (rlo >> 63);
        rlo = (rlo << 1) | bit;
        q <<= 1;
        if (ge_pi66(rhi, rlo)) {
            rhi = rhi - PI66_HI - (rlo < PI66_LO);
            rlo -= PI66_LO;
            q |= 1;
        }
    }
    /* Nearest multiple: R > PI66 / 2 (never a tie: PI66 is odd). */
    bool up = rhi > 1 || (rhi == 1 && rlo > (PI66_LO >> 1) + (1ULL << 63));
    if (up) {
        rhi = PI66_HI - rhi - (PI66_LO < rlo);
        rlo = PI66_LO - rlo;
        q++;
    }
    red.r = f80w_make(up, 127 - 65, rhi, rlo);
    red.quadrant = (unsigned)(q & 3);
    return red;
}

/*
 * sin(r) = r (1 - A) and cos(r) = 1 - B, |r| <= pi/4, with
 *   A = r^2/(2*3) (1 - r^2/(4*5) (1 - ...)),
 *   B = r^2/(1*2) (1 - r^2/(3*4) (1 - ...)).
 * Keeping A and B apart keeps the results' side of a nearby representable
 * number right when r is tiny (sin r just below r, tan r just above),
 * where the rounding step must see which side the value is on.
 */
static struct f80w sin_cos_tail(struct f80w r2, bool cosine)
{
    struct f80w p = F80W_ONE;
    int n = f80t_series_terms(r2, 17), c = cosine ? 1 : 0;

    for (int k = n; k >= 1; k--) {
        uint32_t d = (uint32_t)((2 * k - c) * (2 * k + 1 - c));
        struct f80w t = f80w_div_small(f80w_mul(r2, p), d);
        p = k == 1 ? t : f80w_sub(F80W_ONE, t);
    }
    return p;
}

/* sin(r) or cos(r) from the tails. */
static struct f80w sin_of(struct f80w r, struct f80w a)
{
    return f80w_sub(r, f80w_mul(r, a));
}
static struct f80w cos_of(struct f80w b) { return f80w_sub(F80W_ONE, b); }

/* tan(r) = r (1 - A) / (1 - B) = r + r (B - A) / (1 - B): B - A is
 * r^2/3 + ..., well conditioned (no cancellation of leading digits). */
static struct f80w tan_of(struct f80w r, struct f80w a, struct f80w b)
{
    struct f80w q = f80w_div(f80w_sub(b, a), cos_of(b));
    return f80w_add(r, f80w_mul(r, q));
}

/* The common front: NaNs, unsupported formats and infinities (invalid),
 * zeros, the range check (C2) and denormals. Returns 0 to go on, 1 when
 * *res is final, -1 out of range. */
static int trig_front(struct f80_env *env, float80 a, float80 *res)
{
    f80i_begin(env, true);
    env->sw &= ~F80_C2;
    if (f80t_nan_or_unsupported(env, a, 0, res))
        return 1;
    enum f80_class ca = f80_classify(a);
    if (ca == F80_CLASS_INF) {
        *res = f80i_invalid(env);
        return 1;
    }
    if (f80_exp(a) >= F80_BIAS + 63) {
        /* SDM vol. 2 FSIN: |a| >= 2^63 sets C2 and changes nothing. */
        env->sw |= F80_C2;
        return -1;
    }
    if (ca == F80_CLASS_ZERO) {
        *res = a;
        return 1;
    }
    if (f80t_denormal_stops(env, a, 0)) {
        *res = a;
        return 1;
    }
    return 0;
}

/* sin(a), cos(a) and tan(a) from the reduced operand, signs applied
 * (sin and tan are odd, cos even). Only the ones asked for (non-NULL). */
static void trig_of(float80 a, struct f80w *s, struct f80w *c, struct f80w *t)
{
    struct reduced red = reduce(a);
    struct f80w r = red.r, r2 = f80w_mul(r, r);
    struct f80w ta = sin_cos_tail(r2, false), tb = sin_cos_tail(r2, true);
    struct f80w sr = sin_of(r, ta), cr = cos_of(tb);
    bool odd = red.quadrant & 1, neg = red.quadrant & 2;

    /* Quadrants 0..3: sin = sin r, cos r, -sin r, -cos r;
     *                 cos = cos r, -sin r, -cos r, sin r;
     *                 tan = tan r, -1/tan r (period pi). */
    if (s) {
        *s = odd ? cr : sr;
        if (neg != f80_sign(a))
            *s = f80w_neg(*s);
    }
    if (c) {
        *c = odd ? f80w_neg(sr) : cr;
        if (neg)
            *c = f80w_neg(*c);
    }
    if (t) {
        *t = odd ? f80w_neg(f80w_div(cr, sr)) : tan_of(r, ta, tb);
        if (f80_sign(a))
            *t = f80w_neg(*t);
    }
}

bool f80_sin(struct f80_env *env, float80 a, float80 *res)
{
    int front = trig_front(env, a, res);
    struct f80w s;

    if (front)
        return front > 0;
    trig_of(a, &s, 0, 0);
    *res = f80w_round(env, s, true);
    return true;
}

bool f80_cos(struct f80_env *env, float80 a, float80 *res)
{
    int front = trig_front(env, a, res);
    struct f80w c;

    if (front) {
        if (front > 0 && f80_classify(a) == F80_CLASS_ZERO)
            *res = F80_ONE; /* cos(+-0) = +1 exactly */
        return front > 0;
    }
    trig_of(a, 0, &c, 0);
    *res = f80w_round(env, c, true);
    return true;
}

bool f80_sincos(struct f80_env *env, float80 a, float80 *s, float80 *c)
{
    int front = trig_front(env, a, s);
    struct f80w sw, cw;

    if (front) {
        *c = *s;
        if (front > 0 && f80_classify(a) == F80_CLASS_ZERO)
            *c = F80_ONE;
        return front > 0;
    }
    trig_of(a, &sw, &cw, 0);
    /* C1 tells the sine's rounding (observed on the x87: the cosine's
     * direction is lost); both raise PE, the sine may raise UE. */
    *c = f80w_round(env, cw, true);
    env->sw &= ~F80_C1;
    *s = f80w_round(env, sw, true);
    return true;
}

bool f80_tan(struct f80_env *env, float80 a, float80 *res)
{
    int front = trig_front(env, a, res);
    struct f80w t;

    if (front)
        return front > 0;
    trig_of(a, 0, 0, &t);
    *res = f80w_round(env, t, true);
    return true;
}
