/*
 * float80.c - the core of the x87 arithmetic: classification, the rounding
 * step every result goes through (precision control, rounding control,
 * overflow, underflow, the unmasked bias adjustment), NaN propagation, and
 * the five operations precision control applies to: add, sub, mul, div and
 * sqrt. Compare and FXAM are here too. The other operations are in
 * float80_misc.c, the conversions in float80_conv.c.
 */
#include "base/float80.h"

#include "base/float80_impl.h"

const struct f80i_format f80i_fmt_f32 = { 24, -126, 127 };
const struct f80i_format f80i_fmt_f64 = { 53, -1022, 1023 };

/* SDM vol. 1 8.1.5.2: precision control narrows the significand only; the
 * register's 15-bit exponent range stays. PC = 01 is reserved; the x87
 * rounds to 64 bits there, and so do we. */
struct f80i_format f80i_fmt_reg(unsigned pc)
{
    int prec = pc == F80_PC_24 ? 24 : pc == F80_PC_53 ? 53 : 64;
    return (struct f80i_format){ prec, 1 - F80_BIAS, F80_BIAS };
}

enum f80_class f80_classify(float80 a)
{
    unsigned exp = f80_exp(a);
    bool j = (a.mant & F80_J) != 0;

    if (exp == 0) {
        if (a.mant == 0)
            return F80_CLASS_ZERO;
        return F80_CLASS_DENORMAL;
    }
    if (!j)
        return F80_CLASS_UNSUPPORTED;
    if (exp < F80_EXP_MAX)
        return F80_CLASS_NORMAL;
    if ((a.mant << 1) == 0)
        return F80_CLASS_INF;
    return (a.mant & F80_QUIET) ? F80_CLASS_QNAN : F80_CLASS_SNAN;
}

struct f80i_unpacked f80i_unpack(float80 a)
{
    struct f80i_unpacked u = { f80_sign(a), 0, a.mant };
    unsigned exp = f80_exp(a);

    if (a.mant == 0)
        return u;
    /* A (pseudo-)denormal has the weight of exponent 1 (SDM vol. 1
     * 8.2.2); normalize it, letting the exponent go below the range. */
    if (exp == 0)
        exp = 1;
    int lz = f80i_clz64(a.mant);
    u.sig <<= lz;
    u.exp = (int32_t)exp - F80_BIAS - lz;
    return u;
}

uint64_t f80i_round_bits(uint64_t hi, uint64_t lo, int keep, unsigned rc,
                         bool sign, bool *inexact, bool *up, bool *carry)
{
    uint64_t half, rest, unit = 1ULL << keep;
    bool lsb = (hi >> keep) & 1, guard, sticky;

    if (keep == 0) {
        half = lo >> 63;
        rest = lo << 1;
        guard = half != 0;
        sticky = rest != 0;
    } else {
        uint64_t disc = hi & (unit - 1);
        guard = (disc >> (keep - 1)) & 1;
        sticky = (disc & ((unit >> 1) - 1)) != 0 || lo != 0;
        hi &= ~(unit - 1);
    }
    *inexact = guard || sticky;
    switch (rc) {
    case F80_RC_NEAREST: *up = guard && (sticky || lsb); break;
    case F80_RC_DOWN: *up = *inexact && sign; break;
    case F80_RC_UP: *up = *inexact && !sign; break;
    default: *up = false; break;
    }
    *carry = false;
    if (*up) {
        hi += unit;
        if (hi == 0) {
            hi = F80_J;
            *carry = true;
        }
    }
    return hi;
}

/* SDM vol. 1 4.9.1.5: the x87 detects tininess after rounding: the result
 * rounded to the precision with an unbounded exponent is below the format's
 * smallest normal. Only a value one binade below can round up out of it. */
static bool is_tiny(int32_t exp, uint64_t hi, uint64_t lo,
                    struct f80i_format fmt, unsigned rc, bool sign)
{
    bool inexact, up, carry;

    if (exp >= fmt.emin)
        return false;
    if (exp < fmt.emin - 1)
        return true;
    f80i_round_bits(hi, lo, 64 - fmt.prec, rc, sign, &inexact, &up, &carry);
    return !carry;
}

struct f80i_rounded f80i_round(struct f80_env *env, bool sign, int32_t exp,
                               uint64_t hi, uint64_t lo, struct f80i_format fmt,
                               bool reg_dest)
{
    struct f80i_rounded r = { F80I_FINITE, sign, exp, 0 };
    unsigned rc = f80_rc(env);
    bool inexact, up, carry, tiny;

    if (hi == 0 && lo == 0) {
        r.exp = fmt.emin;
        return r;
    }
    if (hi == 0) {
        hi = lo;
        lo = 0;
        exp -= 64;
    }
    int lz = f80i_clz64(hi);
    f80i_shl128(&hi, &lo, lz);
    exp -= lz;

    tiny = is_tiny(exp, hi, lo, fmt, rc, sign);
    if (tiny && !(env->cw & F80_UE)) {
        /* Unmasked underflow: tininess alone raises UE, exact or not
         * (SDM vol. 1 8.5.5). A register receives the result scaled up by
         * 2^24576; a memory destination nothing. */
        f80i_raise(env, F80_UE);
        if (!reg_dest) {
            r.kind = F80I_SUPPRESS;
            return r;
        }
        exp += F80_BIAS_ADJUST;
        if (exp < fmt.emin) {
            /* Too small even when biased: a signed zero (8.5.5). */
            f80i_raise(env, F80_PE);
            r.exp = fmt.emin;
            return r;
        }
        tiny = false;
    }
    if (tiny) {
        /* Masked: denormalize. The rounding below then happens at the same
         * bit of the format's significand as for a normal number. */
        f80i_shr128_jam(&hi, &lo, fmt.emin - exp);
        exp = fmt.emin;
    }

    hi =
        f80i_round_bits(hi, lo, 64 - fmt.prec, rc, sign, &inexact, &up, &carry);
    if (carry)
        exp++;

    if (exp > fmt.emax) {
        if (!(env->cw & F80_OE)) {
            f80i_raise(env, F80_OE);
            if (!reg_dest) {
                r.kind = F80I_SUPPRESS;
                return r;
            }
            exp -= F80_BIAS_ADJUST;
            if (exp > fmt.emax) {
                /* Massive overflow: a signed infinity (8.5.4). */
                f80i_raise(env, F80_PE);
                env->sw |= F80_C1;
                r.kind = F80I_INF;
                return r;
            }
        } else {
            /* Masked response, SDM vol. 1 Table 4-10: infinity when RC
             * rounds away from zero in the result's direction, else the
             * largest finite number of the precision. */
            f80i_raise(env, F80_OE | F80_PE);
            bool to_inf = rc == F80_RC_NEAREST || (rc == F80_RC_UP && !sign) ||
                          (rc == F80_RC_DOWN && sign);
            if (to_inf) {
                env->sw |= F80_C1;
                r.kind = F80I_INF;
                return r;
            }
            env->sw &= ~F80_C1;
            r.exp = fmt.emax;
            r.sig = ~0ULL << (64 - fmt.prec);
            return r;
        }
    }
    if (inexact) {
        f80i_raise(env, tiny ? F80_PE | F80_UE : F80_PE);
        if (up)
            env->sw |= F80_C1;
    }
    r.exp = exp;
    r.sig = hi;
    return r;
}

float80 f80i_round_pack(struct f80_env *env, bool sign, int32_t exp,
                        uint64_t hi, uint64_t lo, unsigned pc)
{
    struct f80i_rounded r =
        f80i_round(env, sign, exp, hi, lo, f80i_fmt_reg(pc), true);

    if (r.kind == F80I_INF)
        return f80i_inf(sign);
    if (!(r.sig & F80_J))
        return f80i_pack(sign, 0, r.sig); /* denormal or zero */
    return f80i_pack(sign, (unsigned)(r.exp + F80_BIAS), r.sig);
}

float80 f80i_propagate_nan(struct f80_env *env, float80 a, const float80 *b)
{
    enum f80_class ca = f80_classify(a);
    enum f80_class cb = b ? f80_classify(*b) : F80_CLASS_ZERO;
    float80 r;

    if (ca == F80_CLASS_SNAN || cb == F80_CLASS_SNAN)
        f80i_raise(env, F80_IE);
    if (!f80i_is_nan_class(cb)) {
        r = a;
    } else if (!f80i_is_nan_class(ca)) {
        r = *b;
    } else if (ca != cb) {
        /* Table 4-7: an SNaN and a QNaN give the QNaN. */
        r = ca == F80_CLASS_QNAN ? a : *b;
    } else {
        /* Two of a kind: the larger significand; of two equal ones the
         * x87 returns the positive NaN (observed; Table 4-7 is silent). */
        bool take_b = b->mant > a.mant || (b->mant == a.mant && !f80_sign(*b));
        r = take_b ? *b : a;
    }
    r.mant |= F80_QUIET;
    return r;
}

/*
 * The common front of the arithmetic operations (SDM vol. 1 8.5 and
 * 4.9.2, exception priority): an unsupported format is invalid; NaNs
 * propagate; then the operation's own invalid cases; then a denormal
 * operand raises DE. Returns true when *result is final.
 */
static bool special_operands(struct f80_env *env, float80 a, float80 b,
                             bool binary, float80 *result)
{
    enum f80_class ca = f80_classify(a);
    enum f80_class cb = binary ? f80_classify(b) : F80_CLASS_ZERO;

    if (ca == F80_CLASS_UNSUPPORTED || cb == F80_CLASS_UNSUPPORTED) {
        *result = f80i_invalid(env);
        return true;
    }
    if (f80i_is_nan_class(ca) || f80i_is_nan_class(cb)) {
        *result = f80i_propagate_nan(env, a, binary ? &b : 0);
        return true;
    }
    return false;
}

/* Raise DE for denormal operands; true when an unmasked DE stops. */
static bool check_denormals(struct f80_env *env, float80 a, float80 b,
                            bool binary)
{
    bool den = f80_classify(a) == F80_CLASS_DENORMAL ||
               (binary && f80_classify(b) == F80_CLASS_DENORMAL);
    return den && f80i_denormal(env);
}

/* a + b for finite operands, with b's sign already flipped by sub. */
static float80 add_finite(struct f80_env *env, float80 a, float80 b)
{
    struct f80i_unpacked x = f80i_unpack(a), y = f80i_unpack(b);
    unsigned rc = f80_rc(env), pc = f80_pc(env);
    uint64_t hi, lo = 0;

    if (x.sig == 0 && y.sig == 0) {
        /* SDM vol. 1 4.8.3.1: the sum of zeros of opposite signs is +0,
         * -0 when rounding down. */
        bool sign = x.sign == y.sign ? x.sign : rc == F80_RC_DOWN;
        return f80i_zero(sign);
    }
    if (y.sig == 0)
        return f80i_round_pack(env, x.sign, x.exp, x.sig, 0, pc);
    if (x.sig == 0)
        return f80i_round_pack(env, y.sign, y.exp, y.sig, 0, pc);

    /* Make x the larger magnitude. */
    if (y.exp > x.exp || (y.exp == x.exp && y.sig > x.sig)) {
        struct f80i_unpacked t = x;
        x = y;
        y = t;
    }
    uint64_t yhi = y.sig, ylo = 0;
    f80i_shr128_jam(&yhi, &ylo, x.exp - y.exp);

    if (x.sign == y.sign) {
        lo = ylo;
        hi = x.sig + yhi;
        int32_t exp = x.exp;
        if (hi < x.sig) {
            /* Carry out of bit 63: shift the 65-bit sum right once. */
            lo = (lo >> 1) | (hi << 63) | (lo & 1);
            hi = (hi >> 1) | F80_J;
            exp++;
        }
        return f80i_round_pack(env, x.sign, exp, hi, lo, pc);
    }
    lo = 0 - ylo;
    hi = x.sig - yhi - (ylo != 0);
    if (hi == 0 && lo == 0)
        return f80i_zero(rc == F80_RC_DOWN);
    return f80i_round_pack(env, x.sign, x.exp, hi, lo, pc);
}

static float80 add_sub(struct f80_env *env, float80 a, float80 b, bool sub)
{
    float80 r;

    f80i_begin(env, true);
    if (special_operands(env, a, b, true, &r))
        return r;
    if (sub)
        b.se ^= F80_SIGN;
    enum f80_class ca = f80_classify(a), cb = f80_classify(b);
    if (ca == F80_CLASS_INF || cb == F80_CLASS_INF) {
        if (ca == F80_CLASS_INF && cb == F80_CLASS_INF &&
            f80_sign(a) != f80_sign(b))
            return f80i_invalid(env); /* inf - inf */
        if (check_denormals(env, a, b, true))
            return a;
        return ca == F80_CLASS_INF ? a : b;
    }
    if (check_denormals(env, a, b, true))
        return a;
    return add_finite(env, a, b);
}

float80 f80_add(struct f80_env *env, float80 a, float80 b)
{
    return add_sub(env, a, b, false);
}

float80 f80_sub(struct f80_env *env, float80 a, float80 b)
{
    return add_sub(env, a, b, true);
}

float80 f80_mul(struct f80_env *env, float80 a, float80 b)
{
    float80 r;

    f80i_begin(env, true);
    if (special_operands(env, a, b, true, &r))
        return r;
    enum f80_class ca = f80_classify(a), cb = f80_classify(b);
    bool sign = f80_sign(a) != f80_sign(b);
    if (ca == F80_CLASS_INF || cb == F80_CLASS_INF) {
        if (ca == F80_CLASS_ZERO || cb == F80_CLASS_ZERO)
            return f80i_invalid(env); /* 0 * inf */
        if (check_denormals(env, a, b, true))
            return a;
        return f80i_inf(sign);
    }
    if (check_denormals(env, a, b, true))
        return a;
    if (ca == F80_CLASS_ZERO || cb == F80_CLASS_ZERO)
        return f80i_zero(sign);

    struct f80i_unpacked x = f80i_unpack(a), y = f80i_unpack(b);
    uint64_t hi, lo;
    f80i_mul64(x.sig, y.sig, &hi, &lo);
    /* The product of two [1, 2) significands is in [1, 4): its bit 127
     * has weight 2^1. */
    return f80i_round_pack(env, sign, x.exp + y.exp + 1, hi, lo, f80_pc(env));
}

float80 f80_div(struct f80_env *env, float80 a, float80 b)
{
    float80 r;

    f80i_begin(env, true);
    if (special_operands(env, a, b, true, &r))
        return r;
    enum f80_class ca = f80_classify(a), cb = f80_classify(b);
    bool sign = f80_sign(a) != f80_sign(b);
    if (ca == F80_CLASS_INF) {
        if (cb == F80_CLASS_INF)
            return f80i_invalid(env); /* inf / inf */
        if (check_denormals(env, a, b, true))
            return a;
        return f80i_inf(sign);
    }
    if (cb == F80_CLASS_INF) {
        if (check_denormals(env, a, b, true))
            return a;
        return f80i_zero(sign);
    }
    if (cb == F80_CLASS_ZERO) {
        if (ca == F80_CLASS_ZERO)
            return f80i_invalid(env); /* 0 / 0 */
        /* SDM vol. 1 8.5.3: a finite non-zero / 0 raises ZE; masked, the
         * result is an infinity signed as the quotient. ZE outranks DE
         * (4.9.2), so a denormal dividend raises ZE alone. */
        f80i_raise(env, F80_ZE);
        return f80i_inf(sign);
    }
    if (check_denormals(env, a, b, true))
        return a;
    if (ca == F80_CLASS_ZERO)
        return f80i_zero(sign);

    struct f80i_unpacked x = f80i_unpack(a), y = f80i_unpack(b);
    int32_t exp = x.exp - y.exp;
    uint64_t rem = x.sig, q = 0;
    bool rem_top = false; /* bit 64 of the running remainder */

    if (rem < y.sig) {
        rem_top = rem >> 63;
        rem <<= 1;
        exp--;
    }
    /* Restoring division, one quotient bit a step: 64 bits and a guard
     * bit; the remainder left over is the sticky bit. */
    for (int i = 0; i < 65; i++) {
        q <<= 1;
        if (rem_top || rem >= y.sig) {
            rem -= y.sig;
            q |= 1;
        }
        if (i == 63) {
            r.mant = q; /* the 64 significand bits */
            q = 0;
        }
        rem_top = rem >> 63;
        rem <<= 1;
    }
    uint64_t lo = (q << 63) | (rem != 0 || rem_top);
    return f80i_round_pack(env, sign, exp, r.mant, lo, f80_pc(env));
}

/* floor(sqrt(hi:lo)) for a radicand below 2^128, and the remainder
 * radicand - root^2 (which is at most 2 * root, so 65 bits: *rem_top). */
static uint64_t isqrt128(uint64_t hi, uint64_t lo, uint64_t *rem, bool *rem_top)
{
    uint64_t root = 0;

    for (int bit = 63; bit >= 0; bit--) {
        uint64_t t = root | (1ULL << bit), sh, sl;
        f80i_mul64(t, t, &sh, &sl);
        if (sh < hi || (sh == hi && sl <= lo))
            root = t;
    }
    uint64_t sh, sl;
    f80i_mul64(root, root, &sh, &sl);
    *rem = lo - sl;
    *rem_top = (hi - sh - (lo < sl)) != 0;
    return root;
}

float80 f80_sqrt(struct f80_env *env, float80 a)
{
    float80 r;

    f80i_begin(env, true);
    if (special_operands(env, a, a, false, &r))
        return r;
    enum f80_class ca = f80_classify(a);
    if (ca == F80_CLASS_ZERO)
        return a; /* sqrt(-0) = -0 */
    if (f80_sign(a))
        return f80i_invalid(env);
    if (ca == F80_CLASS_INF)
        return a;
    if (check_denormals(env, a, a, false))
        return a;

    struct f80i_unpacked x = f80i_unpack(a);
    /* With an even exponent e, sqrt(sig * 2^(e-63)) = sqrt(sig * 2^63) *
     * 2^(e/2 - 63): the root of a 127- or 128-bit radicand is a 64-bit
     * significand with its top bit set. */
    uint64_t hi = x.sig >> 1, lo = x.sig << 63;
    if (x.exp & 1) {
        hi = x.sig;
        lo = 0;
    }
    int32_t exp = (x.exp - (x.exp & 1)) / 2;
    uint64_t rem;
    bool rem_top;
    uint64_t root = isqrt128(hi, lo, &rem, &rem_top);
    /* The next bit is 1 when rem > root (sqrt(N) >= root + 1/2 means
     * N >= root^2 + root + 1/4); the root is never exactly halfway. */
    bool guard = rem_top || rem > root;
    uint64_t sticky_lo = ((uint64_t)guard << 63) | (rem != 0 || rem_top);
    return f80i_round_pack(env, false, exp, root, sticky_lo, f80_pc(env));
}

enum f80_relation f80_compare(struct f80_env *env, float80 a, float80 b,
                              bool quiet)
{
    enum f80_class ca = f80_classify(a), cb = f80_classify(b);
    enum f80_relation rel;

    f80i_begin(env, true);
    env->sw &= ~(F80_C0 | F80_C2 | F80_C3);
    if (ca == F80_CLASS_UNSUPPORTED || cb == F80_CLASS_UNSUPPORTED ||
        f80i_is_nan_class(ca) || f80i_is_nan_class(cb)) {
        /* SDM vol. 2 FCOM/FUCOM: FUCOM raises IE for SNaN operands only,
         * FCOM for any NaN; both for the unsupported formats. */
        if (!quiet || ca == F80_CLASS_SNAN || cb == F80_CLASS_SNAN ||
            ca == F80_CLASS_UNSUPPORTED || cb == F80_CLASS_UNSUPPORTED)
            f80i_raise(env, F80_IE);
        env->sw |= F80_C0 | F80_C2 | F80_C3;
        return F80_UNORDERED;
    }
    /* The x87 sets the condition codes even when an unmasked DE is
     * pending (observed; the SDM leaves it open). */
    check_denormals(env, a, b, true);

    struct f80i_unpacked x = f80i_unpack(a), y = f80i_unpack(b);
    if (ca == F80_CLASS_INF)
        x.exp = INT32_MAX;
    if (cb == F80_CLASS_INF)
        y.exp = INT32_MAX;
    if (x.sig == 0 && y.sig == 0) {
        rel = F80_EQUAL; /* +0 == -0 */
    } else if (x.sign != y.sign) {
        rel = x.sig == 0 ? (y.sign ? F80_GREATER : F80_LESS)
              : x.sign   ? F80_LESS
                         : F80_GREATER;
    } else if (x.exp == y.exp && x.sig == y.sig) {
        rel = F80_EQUAL;
    } else {
        bool mag_less = x.sig == 0 ||
                        (y.sig != 0 &&
                         (x.exp < y.exp || (x.exp == y.exp && x.sig < y.sig)));
        rel = mag_less != x.sign ? F80_LESS : F80_GREATER;
    }
    if (rel == F80_LESS)
        env->sw |= F80_C0;
    else if (rel == F80_EQUAL)
        env->sw |= F80_C3;
    return rel;
}

void f80_xam(struct f80_env *env, float80 a, bool empty)
{
    static const uint16_t cc[] = {
        [F80_CLASS_ZERO] = F80_C3,   [F80_CLASS_DENORMAL] = F80_C3 | F80_C2,
        [F80_CLASS_NORMAL] = F80_C2, [F80_CLASS_INF] = F80_C2 | F80_C0,
        [F80_CLASS_QNAN] = F80_C0,   [F80_CLASS_SNAN] = F80_C0,
        [F80_CLASS_UNSUPPORTED] = 0,
    };

    env->raised = 0;
    env->sw &= ~F80_CC_MASK;
    if (f80_sign(a))
        env->sw |= F80_C1;
    env->sw |= empty ? F80_C3 | F80_C0 : cc[f80_classify(a)];
}
