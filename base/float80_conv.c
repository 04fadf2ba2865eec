/*
 * float80_conv.c - x87 loads and stores of the other formats: integers
 * (FILD, FIST, FISTP, FISTTP), single and double precision (FLD, FST,
 * FSTP m32/m64) and packed BCD (FBLD, FBSTP). Loads are exact; stores
 * round by RC only (precision control does not apply, SDM vol. 1 8.1.5.2).
 * A store of a register denormal raises no DE: DE is for arithmetic
 * operands and for loads of the narrower formats (SDM vol. 1 8.5.2).
 */
#include "base/float80.h"

#include "base/float80_impl.h"

float80 f80_from_i64(int64_t v)
{
    bool sign = v < 0;
    uint64_t mag = sign ? 0 - (uint64_t)v : (uint64_t)v;

    if (mag == 0)
        return F80_ZERO; /* FILD of 0 is +0 */
    int lz = f80i_clz64(mag);
    return f80i_pack(sign, (unsigned)(F80_BIAS + 63 - lz), mag << lz);
}

/*
 * FIST/FISTP/FISTTP (SDM vol. 2): round by RC (FISTTP: toward zero).
 * NaNs, infinities, unsupported formats and values out of the
 * destination's range raise IE; the masked response stores the integer
 * indefinite, the most negative integer of the width.
 */
static int64_t to_int(struct f80_env *env, float80 a, int bits, bool truncate)
{
    int64_t indefinite = (int64_t)(~0ULL << (bits - 1));
    enum f80_class ca = f80_classify(a);

    f80i_begin(env, true);
    if (ca == F80_CLASS_ZERO)
        return 0;
    if (ca != F80_CLASS_NORMAL && ca != F80_CLASS_DENORMAL) {
        f80i_raise(env, F80_IE);
        return indefinite;
    }
    struct f80i_unpacked x = f80i_unpack(a);
    if (x.exp >= 63) {
        /* |a| >= 2^63: out of range even for 64 bits, except -2^63. */
        if (bits == 64 && x.sign && x.exp == 63 && x.sig == F80_J)
            return INT64_MIN;
        f80i_raise(env, F80_IE);
        return indefinite;
    }
    bool inexact, up;
    unsigned rc = truncate ? F80_RC_ZERO : f80_rc(env);
    uint64_t mag = f80i_round_int(x.sig, x.exp, rc, x.sign, &inexact, &up);
    uint64_t limit = (1ULL << (bits - 1)) - !x.sign;
    if (mag > limit) {
        f80i_raise(env, F80_IE);
        return indefinite;
    }
    if (inexact) {
        f80i_raise(env, F80_PE);
        if (up)
            env->sw |= F80_C1;
    }
    return x.sign ? (int64_t)(0 - mag) : (int64_t)mag;
}

int16_t f80_to_i16(struct f80_env *env, float80 a, bool truncate)
{
    return (int16_t)to_int(env, a, 16, truncate);
}

int32_t f80_to_i32(struct f80_env *env, float80 a, bool truncate)
{
    return (int32_t)to_int(env, a, 32, truncate);
}

int64_t f80_to_i64(struct f80_env *env, float80 a, bool truncate)
{
    return to_int(env, a, 64, truncate);
}

/* A binary interchange format: fraction width and exponent bias. */
struct ieee_format {
    int frac_bits;
    int32_t bias;
    unsigned exp_max; /* all ones */
    const struct f80i_format *round;
};
static const struct ieee_format ieee_f32 = { 23, 127, 0xff, &f80i_fmt_f32 };
static const struct ieee_format ieee_f64 = { 52, 1023, 0x7ff, &f80i_fmt_f64 };

/* FLD m32/m64 (SDM vol. 2 FLD): exact; an SNaN raises IE and loads
 * quieted, a denormal raises DE and loads normalized. */
static float80 from_ieee(struct f80_env *env, uint64_t bits,
                         const struct ieee_format *f)
{
    bool sign = bits >> (f->frac_bits + (f->exp_max == 0xff ? 8 : 11));
    unsigned exp = (bits >> f->frac_bits) & f->exp_max;
    uint64_t frac = bits & ((1ULL << f->frac_bits) - 1);
    uint64_t mant = frac << (63 - f->frac_bits);

    f80i_begin(env, false);
    if (exp == f->exp_max) {
        if (frac != 0 && !(mant & F80_QUIET)) {
            f80i_raise(env, F80_IE);
            mant |= F80_QUIET;
        }
        return f80i_pack(sign, F80_EXP_MAX, F80_J | mant);
    }
    if (exp == 0) {
        if (frac == 0)
            return f80i_zero(sign);
        f80i_raise(env, F80_DE);
        int lz = f80i_clz64(mant);
        return f80i_pack(sign, (unsigned)(F80_BIAS + 1 - f->bias - lz),
                         mant << lz);
    }
    return f80i_pack(sign, (unsigned)(F80_BIAS + (int32_t)exp - f->bias),
                     F80_J | mant);
}

float80 f80_from_f32(struct f80_env *env, uint32_t bits)
{
    return from_ieee(env, bits, &ieee_f32);
}

float80 f80_from_f64(struct f80_env *env, uint64_t bits)
{
    return from_ieee(env, bits, &ieee_f64);
}

/* FST m32/m64: round by RC into the narrower format; a NaN keeps its top
 * fraction bits, quieted (IE for an SNaN); an unsupported format stores
 * the format's indefinite (SDM vol. 1 4.8.3.7). */
static uint64_t to_ieee(struct f80_env *env, float80 a,
                        const struct ieee_format *f)
{
    enum f80_class ca = f80_classify(a);
    bool sign = f80_sign(a);
    int sign_shift = f->frac_bits + (f->exp_max == 0xff ? 8 : 11);
    uint64_t s = (uint64_t)sign << sign_shift;
    uint64_t inf = (uint64_t)f->exp_max << f->frac_bits;
    uint64_t quiet = 1ULL << (f->frac_bits - 1);

    f80i_begin(env, true);
    switch (ca) {
    case F80_CLASS_UNSUPPORTED:
        f80i_raise(env, F80_IE);
        return (1ULL << sign_shift) | inf | quiet;
    case F80_CLASS_SNAN:
        f80i_raise(env, F80_IE);
        /* fall through */
    case F80_CLASS_QNAN:
        return s | inf | quiet | ((a.mant & ~F80_J) >> (63 - f->frac_bits));
    case F80_CLASS_INF: return s | inf;
    case F80_CLASS_ZERO: return s;
    case F80_CLASS_DENORMAL:
    case F80_CLASS_NORMAL: break;
    }
    struct f80i_unpacked x = f80i_unpack(a);
    struct f80i_rounded r =
        f80i_round(env, sign, x.exp, x.sig, 0, *f->round, false);
    if (r.kind == F80I_SUPPRESS)
        return 0;
    if (r.kind == F80I_INF)
        return s | inf;
    if (!(r.sig & F80_J))
        return s | (r.sig >> (63 - f->frac_bits)); /* denormal or zero */
    return s | ((uint64_t)(r.exp + f->bias) << f->frac_bits) |
           ((r.sig & ~F80_J) >> (63 - f->frac_bits));
}

uint32_t f80_to_f32(struct f80_env *env, float80 a)
{
    return (uint32_t)to_ieee(env, a, &ieee_f32);
}

uint64_t f80_to_f64(struct f80_env *env, float80 a)
{
    return to_ieee(env, a, &ieee_f64);
}

float80 f80_from_bcd(const uint8_t bcd[10])
{
    uint64_t v = 0;

    /* Invalid digits (A-F) give an undefined result (SDM vol. 2 FBLD);
     * here they simply weigh as their value. */
    for (int i = 8; i >= 0; i--)
        v = v * 100 + (bcd[i] >> 4) * 10 + (bcd[i] & 15);
    float80 r = f80_from_i64((int64_t)v);
    if (bcd[9] & 0x80)
        r.se |= F80_SIGN; /* -0 loads as -0 */
    return r;
}

void f80_to_bcd(struct f80_env *env, float80 a, uint8_t bcd[10])
{
    static const uint64_t limit = 1000000000000000000ULL; /* 10^18 */
    enum f80_class ca = f80_classify(a);
    bool sign = f80_sign(a);
    uint64_t mag = 0;

    f80i_begin(env, true);
    for (int i = 0; i < 10; i++)
        bcd[i] = 0;
    if (ca == F80_CLASS_NORMAL || ca == F80_CLASS_DENORMAL) {
        struct f80i_unpacked x = f80i_unpack(a);
        bool inexact = false, up = false;
        if (x.exp < 63)
            mag =
                f80i_round_int(x.sig, x.exp, f80_rc(env), sign, &inexact, &up);
        if (x.exp >= 63 || mag >= limit) {
            ca = F80_CLASS_UNSUPPORTED; /* out of range: indefinite */
        } else if (inexact) {
            f80i_raise(env, F80_PE);
            if (up)
                env->sw |= F80_C1;
        }
    }
    if (ca != F80_CLASS_NORMAL && ca != F80_CLASS_DENORMAL &&
        ca != F80_CLASS_ZERO) {
        /* The packed BCD indefinite (SDM vol. 1 Table 4-4). */
        f80i_raise(env, F80_IE);
        bcd[9] = 0xff;
        bcd[8] = 0xff;
        bcd[7] = 0xc0;
        return;
    }
    for (int i = 0; i < 9; i++) {
        bcd[i] = (uint8_t)((mag % 10) | ((mag / 10 % 10) << 4));
        mag /= 100;
    }
    bcd[9] = sign ? 0x80 : 0;
}
