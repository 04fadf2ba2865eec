/*
 * test_float80_trans.c - unit tests of the x87 transcendentals and
 * constants (base/float80_trans.c, base/float80_trig.c).
 *
 * Part 1, on every host: exact values. The constants under each rounding
 * control, the special operands of each instruction's table in SDM vol. 2,
 * exact results (log2 of a power of two, 2^1 - 1) and a few finite
 * results whose correctly rounded bits were worked out to 500 bits with
 * the x87's 66-bit pi where the instruction reduces by it.
 *
 * Part 2, on x86 hosts only: a differential test against the host's own
 * x87 over random and edge operands under every rounding control. The
 * special results (NaNs, infinities, zeros), IE, ZE, DE and C2 must agree
 * exactly; finite results within 1 ulp (SDM vol. 1 8.3.10: the x87 itself
 * is only that accurate), PE, UE, OE exactly, C1 when the results agree.
 * It prints how many results were bit-equal and how many 1 ulp apart.
 * F80_TRANS_CASES sets the cases per function (default 200,000),
 * F80_TRANS_SEED the generator's seed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/float80.h"
#include "tests/unit/test_float80_trans_diff.h"
#include "tests/unit/unit.h"

#define CW_RC(rc) ((uint16_t)(0x037f | (rc) << 10))

static struct f80_env env_of(uint16_t cw)
{
    return (struct f80_env){ .cw = cw, .sw = 0, .raised = 0 };
}

#define ck_assert_f80(got, se_, mant_)                                         \
    do {                                                                       \
        float80 got_ = (got);                                                  \
        ck_assert_msg(got_.se == (se_) && got_.mant == (uint64_t)(mant_),      \
                      "got %04x:%016llx, expected %04x:%016llx", got_.se,      \
                      (unsigned long long)got_.mant, (unsigned)(se_),          \
                      (unsigned long long)(mant_));                            \
    } while (0)

#define F(se, m) F80_MAKE(se, m)
#define ONE F(0x3fff, F80_J)
#define INF F(0x7fff, F80_J)
#define QNAN(m) F(0x7fff, 0xc000000000000000ULL | (m))
#define SNAN(m) F(0x7fff, F80_J | (m))
#define IND_SE 0xffff
#define IND_M 0xc000000000000000ULL

/* ---- Part 1: exact values ---- */

/* SDM vol. 1 8.3.8: each constant rounded to 64 bits by RC. Nearest
 * rounds pi, log2(e) and ln 2 up; log10(2) too (its 66 bits end in a tie,
 * but the true value is above it); log2(10) down. No exception, C1 = 0
 * (SDM vol. 2 FLDPI: C1 is the stack overflow indicator). */
START_TEST(test_constants)
{
    static const struct {
        enum f80_constant c;
        uint16_t se;
        uint64_t down, up; /* truncated, rounded up */
        bool nearest_up;
    } k[] = {
        { F80_CONST_PI, 0x4000, 0xc90fdaa22168c234, 0xc90fdaa22168c235, true },
        { F80_CONST_L2E, 0x3fff, 0xb8aa3b295c17f0bb, 0xb8aa3b295c17f0bc, true },
        { F80_CONST_L2T, 0x4000, 0xd49a784bcd1b8afe, 0xd49a784bcd1b8aff,
          false },
        { F80_CONST_LG2, 0x3ffd, 0x9a209a84fbcff798, 0x9a209a84fbcff799, true },
        { F80_CONST_LN2, 0x3ffe, 0xb17217f7d1cf79ab, 0xb17217f7d1cf79ac, true },
    };
    for (unsigned i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
        for (unsigned rc = 0; rc < 4; rc++) {
            struct f80_env env = env_of(CW_RC(rc));
            env.sw = F80_C1;
            bool up = rc == F80_RC_UP || (rc == F80_RC_NEAREST && k[i].nearest_up);
            ck_assert_f80(f80_const(&env, k[i].c), k[i].se,
                          up ? k[i].up : k[i].down);
            ck_assert_uint_eq(env.sw, 0);
            ck_assert_uint_eq(env.raised, 0);
        }
    }
}
END_TEST

/* FSIN, FCOS, FSINCOS, FPTAN (SDM vol. 2): zeros keep their sign (cos
 * gives +1), infinities are invalid, NaNs propagate, |a| >= 2^63 sets C2
 * and leaves everything alone. */
START_TEST(test_trig_special)
{
    struct f80_env env = env_of(F80_CW_DEFAULT);
    float80 r = ONE, s, c;

    ck_assert(f80_sin(&env, f80_chs(F80_ZERO), &r));
    ck_assert_f80(r, 0x8000, 0);
    ck_assert(f80_cos(&env, f80_chs(F80_ZERO), &r));
    ck_assert_f80(r, 0x3fff, F80_J);
    ck_assert(f80_tan(&env, F80_ZERO, &r));
    ck_assert_f80(r, 0, 0);
    ck_assert(f80_sincos(&env, f80_chs(F80_ZERO), &s, &c));
    ck_assert_f80(s, 0x8000, 0);
    ck_assert_f80(c, 0x3fff, F80_J);
    ck_assert_uint_eq(env.sw, 0);

    ck_assert(f80_sin(&env, f80_chs(INF), &r));
    ck_assert_f80(r, IND_SE, IND_M);
    ck_assert_uint_eq(env.sw, F80_IE);
    env.sw = F80_C2;
    ck_assert(f80_cos(&env, SNAN(1), &r));
    ck_assert_f80(r, 0x7fff, 0xc000000000000001);
    ck_assert_uint_eq(env.sw, F80_IE); /* C2 cleared */

    /* 2^63: out of range. */
    env = env_of(F80_CW_DEFAULT);
    env.sw = F80_C1;
    r = ONE;
    ck_assert(!f80_tan(&env, F(0xc03e, F80_J), &r));
    ck_assert_f80(r, 0x3fff, F80_J);
    ck_assert_uint_eq(env.sw, F80_C2);
    ck_assert(!f80_sincos(&env, F(0x403e, ~0ULL), &s, &c));
    ck_assert_uint_eq(env.sw, F80_C2);
    /* Just below: in range, C2 = 0. */
    ck_assert(f80_sin(&env, F(0x403d, ~0ULL), &r));
    ck_assert_uint_eq(env.sw & F80_C2, 0);

    /* A denormal: DE; sin(d) rounds to d (from below: C1), UE and PE. */
    env = env_of(F80_CW_DEFAULT);
    ck_assert(f80_sin(&env, F(0, 5), &r));
    ck_assert_f80(r, 0, 5);
    ck_assert_uint_eq(env.sw, F80_DE | F80_UE | F80_PE | F80_C1);
    /* Unmasked DE: stop, the destination stays. */
    env = env_of(F80_CW_DEFAULT & ~F80_DE);
    f80_cos(&env, F(0, 5), &r);
    ck_assert_uint_eq(env.sw, F80_DE);
    ck_assert(f80_result_suppressed(&env, false));
}
END_TEST

/* Finite results, correctly rounded (to nearest unless said). */
START_TEST(test_trig_values)
{
    struct f80_env env = env_of(F80_CW_DEFAULT);
    float80 r, s, c;
    float80 one_e18 = F(0x403a, 0xde0b6b3a76400000); /* 10^18 */
    float80 pi_double = F(0x4000, 0xc90fdaa22168c000); /* (double)pi */

    f80_sin(&env, ONE, &r);
    ck_assert_f80(r, 0x3ffe, 0xd76aa47848677021);
    f80_cos(&env, ONE, &r);
    ck_assert_f80(r, 0x3ffe, 0x8a51407da8345c92);
    f80_tan(&env, ONE, &r);
    ck_assert_f80(r, 0x3fff, 0xc75922e5f71d2dc5);
    ck_assert_uint_eq(env.sw & F80_C2, 0);
    /* SDM vol. 1 8.3.8: reduced by the 66-bit pi, sin((double)pi) is
     * pi66 - (double)pi = 1.2246063538e-16, not 1.2246467991e-16. */
    f80_sin(&env, pi_double, &r);
    ck_assert_f80(r, 0x3fca, 0x8d30000000000000);
    f80_sincos(&env, one_e18, &s, &c);
    ck_assert_f80(s, 0xbffe, 0xfe293239d98b5dc4);
    ck_assert_f80(c, 0x3ffb, 0xf50b31631bcfd88c);
    f80_tan(&env, one_e18, &r);
    ck_assert_f80(r, 0xc002, 0x84c32e183a850c22);
    /* sin(-2^-40) = -2^-40 + 2^-121 / 3: toward zero it is the next
     * number up, ...FFFF, nearest -2^-40 (rounded up: C1). */
    env = env_of(CW_RC(F80_RC_ZERO));
    f80_sin(&env, F(0xbfd7, F80_J), &r);
    ck_assert_f80(r, 0xbfd6, ~0ULL);
    ck_assert_uint_eq(env.sw, F80_PE);
    env = env_of(F80_CW_DEFAULT);
    f80_sin(&env, F(0xbfd7, F80_J), &r);
    ck_assert_f80(r, 0xbfd7, F80_J);
    ck_assert_uint_eq(env.sw, F80_PE | F80_C1);
}
END_TEST

/* F2XM1 (SDM vol. 2): 2^a - 1. */
START_TEST(test_f2xm1)
{
    struct f80_env env = env_of(F80_CW_DEFAULT);

    ck_assert_f80(f80_f2xm1(&env, f80_chs(F80_ZERO)), 0x8000, 0);
    ck_assert_f80(f80_f2xm1(&env, ONE), 0x3fff, F80_J); /* exact */
    ck_assert_f80(f80_f2xm1(&env, f80_chs(ONE)), 0xbffe, F80_J);
    ck_assert_f80(f80_f2xm1(&env, INF), 0x7fff, F80_J);
    ck_assert_f80(f80_f2xm1(&env, f80_chs(INF)), 0xbfff, F80_J);
    ck_assert_uint_eq(env.sw, 0);
    ck_assert_f80(f80_f2xm1(&env, F(0x3ffe, F80_J)), 0x3ffd,
                  0xd413cccfe7799211); /* sqrt(2) - 1 */
    ck_assert_f80(f80_f2xm1(&env, F(0xbffd, F80_J)), 0xbffc,
                  0xa2ec0cd4a58a542f); /* 2^-0.25 - 1 */
    ck_assert_uint_eq(env.sw, F80_PE);
    /* Outside [-1, 1] (undefined): the operand, inexact, as the x87. */
    env.sw = 0;
    ck_assert_f80(f80_f2xm1(&env, F(0x4000, F80_J)), 0x4000, F80_J);
    ck_assert_uint_eq(env.sw, F80_PE);
    ck_assert_f80(f80_f2xm1(&env, SNAN(3)), 0x7fff, 0xc000000000000003);
    ck_assert_uint_eq(env.sw, F80_PE | F80_IE);
}
END_TEST

/* FYL2X (SDM vol. 2, Table 3-48) and FYL2XP1 (Table 3-49). */
START_TEST(test_logarithms)
{
    struct f80_env env = env_of(F80_CW_DEFAULT);
    float80 eight = F(0x4002, F80_J), ten = F(0x4002, 0xa000000000000000);
    float80 two = F(0x4000, F80_J), three = F(0x4000, 0xc000000000000000);

    ck_assert_f80(f80_yl2x(&env, eight, ONE), 0x4000, 0xc000000000000000);
    ck_assert_uint_eq(env.sw, 0); /* log2(8) = 3 exactly */
    ck_assert_f80(f80_yl2x(&env, ONE, f80_chs(two)), 0x8000, 0);
    ck_assert_f80(f80_yl2x(&env, F(0x3ffe, F80_J), F80_ZERO), 0x8000, 0);
    ck_assert_uint_eq(env.sw, 0);
    ck_assert_f80(f80_yl2x(&env, ten, ONE), 0x4000, 0xd49a784bcd1b8afe);
    ck_assert_f80(f80_yl2x(&env, F(0x3fff, 0xc000000000000000), three), 0x3fff,
                  0xe0a02756f9c1cb6f); /* 3 log2(1.5), rounded down */
    ck_assert_uint_eq(env.sw, F80_PE);
    /* Zero divide: an infinity of y's opposite sign. */
    env.sw = 0;
    ck_assert_f80(f80_yl2x(&env, f80_chs(F80_ZERO), two), 0xffff, F80_J);
    ck_assert_uint_eq(env.sw, F80_ZE);
    /* Invalid: negative x, 0 * log2(0), inf * log2(1), 0 * log2(inf). */
    env.sw = 0;
    ck_assert_f80(f80_yl2x(&env, f80_chs(ONE), ONE), IND_SE, IND_M);
    ck_assert_f80(f80_yl2x(&env, F80_ZERO, F80_ZERO), IND_SE, IND_M);
    ck_assert_f80(f80_yl2x(&env, ONE, INF), IND_SE, IND_M);
    ck_assert_f80(f80_yl2x(&env, INF, F80_ZERO), IND_SE, IND_M);
    ck_assert_uint_eq(env.sw, F80_IE);
    env.sw = 0;
    ck_assert_f80(f80_yl2x(&env, F(0x3ffe, F80_J), f80_chs(INF)), 0x7fff,
                  F80_J);
    ck_assert_f80(f80_yl2x(&env, QNAN(7), INF), 0x7fff, 0xc000000000000007);
    ck_assert_uint_eq(env.sw, 0);

    ck_assert_f80(f80_yl2xp1(&env, f80_chs(F80_ZERO), two), 0x8000, 0);
    ck_assert_f80(f80_yl2xp1(&env, F(0x3feb, F80_J), ONE), 0x3feb,
                  0xb8aa35640a7c33ec); /* log2(1 + 2^-20), rounded up */
    ck_assert_uint_eq(env.sw, F80_PE | F80_C1);
    env.sw = 0;
    ck_assert_f80(f80_yl2xp1(&env, F80_ZERO, INF), IND_SE, IND_M);
    ck_assert_uint_eq(env.sw, F80_IE);
}
END_TEST

/* FPATAN (SDM vol. 2, Table 3-29): atan2(y, x). */
START_TEST(test_atan)
{
    struct f80_env env = env_of(F80_CW_DEFAULT);
    float80 two = F(0x4000, F80_J);

    ck_assert_f80(f80_atan(&env, F80_ZERO, ONE), 0, 0);
    ck_assert_f80(f80_atan(&env, f80_chs(F80_ZERO), INF), 0x8000, 0);
    ck_assert_uint_eq(env.sw, 0);
    ck_assert_f80(f80_atan(&env, ONE, ONE), 0x3ffe, 0xc90fdaa22168c235);
    ck_assert_f80(f80_atan(&env, ONE, f80_chs(two)), 0x4000,
                  0xab63739cbfad72cc);
    ck_assert_f80(f80_atan(&env, f80_chs(F80_ZERO), f80_chs(F80_ZERO)), 0xc000,
                  0xc90fdaa22168c235); /* -pi, no exception for 0/0 */
    ck_assert_f80(f80_atan(&env, INF, f80_chs(INF)), 0x4000,
                  0x96cbe3f9990e91a8); /* 3pi/4 */
    ck_assert_f80(f80_atan(&env, f80_chs(ONE), F80_ZERO), 0xbfff,
                  0xc90fdaa22168c235); /* -pi/2 */
    ck_assert_uint_eq(env.sw & F80_EXC_MASK, F80_PE);
    env = env_of(CW_RC(F80_RC_DOWN));
    ck_assert_f80(f80_atan(&env, F80_ZERO, f80_chs(ONE)), 0x4000,
                  0xc90fdaa22168c234);
    ck_assert_uint_eq(env.sw, F80_PE);
}
END_TEST

static void add_vector_tests(TCase *tc)
{
    tcase_add_test(tc, test_constants);
    tcase_add_test(tc, test_trig_special);
    tcase_add_test(tc, test_trig_values);
    tcase_add_test(tc, test_f2xm1);
    tcase_add_test(tc, test_logarithms);
    tcase_add_test(tc, test_atan);
}

/* ---- Part 2: differential test against the host x87 ---- */

#if defined(__x86_64__) || defined(__i386__)
struct rng {
    uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
    /* xorshift64* */
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545f4914f6cdd1dULL;
}

static unsigned below(struct rng *r, unsigned n)
{
    return (unsigned)(rnd(r) % n);
}

static uint16_t rsign(struct rng *r)
{
    return below(r, 2) ? F80_SIGN : 0;
}

/* Significand bit patterns: random, trailing zeros, a lone low bit, runs
 * of ones (next to powers of two). */
static uint64_t gen_bits(struct rng *r)
{
    int k = (int)below(r, 64);
    switch (below(r, 6)) {
    case 0:
    case 1:
    case 2: return rnd(r) | F80_J;
    case 3: return (rnd(r) & (~0ULL << k)) | F80_J;
    case 4: return ~0ULL << k;
    default: return F80_J | (1ULL << k) | below(r, 4);
    }
}

/* A special operand: zero, denormal, pseudo-denormal, infinity, QNaN,
 * SNaN, unnormal or pseudo-infinity. */
static float80 gen_special(struct rng *r)
{
    uint16_t s = rsign(r);
    uint64_t m = rnd(r);
    switch (below(r, 10)) {
    case 0:
    case 1: return F80_MAKE(s, 0);
    case 2:
    case 3: return F80_MAKE(s, (m >> below(r, 64)) & ~F80_J);
    case 4: return F80_MAKE(s, m | F80_J);
    case 5:
    case 6: return F80_MAKE(s | 0x7fff, F80_J);
    case 7: return F80_MAKE(s | 0x7fff, m | F80_J | F80_QUIET);
    case 8: return F80_MAKE(s | 0x7fff, ((m & ~F80_QUIET) | F80_J) | 1);
    default:
        return below(r, 2) ? F80_MAKE(s | (1 + below(r, 0x7ffe)), m & ~F80_J)
                           : F80_MAKE(s | 0x7fff, m & ~F80_J);
    }
}

/* A normal number with a biased exponent in [lo, hi]. */
static float80 gen_normal(struct rng *r, int lo, int hi, uint16_t sign)
{
    int e = lo + (int)below(r, (unsigned)(hi - lo + 1));
    return F80_MAKE(sign | (uint16_t)e, gen_bits(r));
}

static uint16_t gen_cw(struct rng *r)
{
    unsigned masks = F80_EXC_MASK, m = below(r, 8);
    if (m == 6)
        masks &= ~(rnd(r) & (F80_OE | F80_UE | F80_PE));
    else if (m == 7)
        masks &= ~(unsigned)rnd(r);
    return (uint16_t)(0x40 | masks | below(r, 4) << F80_CW_PC_SHIFT |
                      below(r, 4) << F80_CW_RC_SHIFT);
}

/* Near k * pi66/2, k up to 2^62: the host's k * (FLDPI / 2) perturbed by
 * a few units in the last place. */
static float80 gen_near_pi_multiple(struct rng *r)
{
    long double half_pi, v;
    uint64_t k = (rnd(r) >> below(r, 64)) | 1;
    __asm__("fldpi" : "=t"(half_pi));
    half_pi /= 2;
    v = (long double)k * half_pi;
    float80 f;
    memcpy(&f, &v, 10);
    f.mant += below(r, 9) - 4;
    f.mant |= F80_J;
    f.se |= rsign(r);
    return f;
}

static float80 gen_trig(struct rng *r)
{
    uint16_t s = rsign(r);
    switch (below(r, 10)) {
    case 0: return gen_special(r);
    case 1:
    case 2: return gen_near_pi_multiple(r);
    case 3: return gen_normal(r, 0x3fff + 56, 0x3fff + 66, s); /* 2^63 edge */
    case 4: return gen_normal(r, 1, 0x3fff - 60, s);           /* tiny */
    case 5:
    case 6: return gen_normal(r, 0x3fff - 4, 0x3fff + 3, s);
    default: return gen_normal(r, 0x3fff - 70, 0x3fff + 62, s);
    }
}

static float80 gen_f2xm1(struct rng *r)
{
    uint16_t s = rsign(r);
    switch (below(r, 16)) {
    case 0: return gen_special(r);
    case 1: return F80_MAKE(s | 0x3fff, F80_J); /* +-1 */
    case 2: return gen_normal(r, 0x3fff, 0x3fff + 20, s); /* undefined */
    case 3: return gen_normal(r, 1, 0x3fff - 80, s);
    default: return gen_normal(r, 0x3fff - 80, 0x3ffe, s);
    }
}

/* x of FYL2X: positive, anywhere, near 1, or a power of two. */
static float80 gen_log_x(struct rng *r)
{
    switch (below(r, 12)) {
    case 0: return gen_special(r);
    case 1: return F80_MAKE(1 + below(r, 0x7ffe), F80_J);
    case 2: return F80_MAKE(0x3fff, F80_J | (rnd(r) >> below(r, 64)));
    case 3: return F80_MAKE(0x3ffe, ~0ULL << below(r, 64));
    case 4: return F80_MAKE(0x3ffe, ~(rnd(r) >> below(r, 64)));
    case 5: return gen_normal(r, 1, 0x7ffe, below(r, 8) ? 0 : F80_SIGN);
    default: return gen_normal(r, 0x3fff - 100, 0x3fff + 100, 0);
    }
}

/* x of FYL2XP1: mostly |x| < 1 - sqrt(2)/2, some beyond. */
static float80 gen_logp1_x(struct rng *r)
{
    uint16_t s = rsign(r);
    switch (below(r, 13)) {
    case 12: return gen_normal(r, 0x3fff, 0x3fff + 80, F80_SIGN); /* <= -1 */
    case 0: return gen_special(r);
    case 1: return gen_normal(r, 1, 0x3fff - 80, s);
    case 2: return gen_normal(r, 0x3fff - 2, 0x3fff - 1, s); /* to 1 */
    case 3: return gen_normal(r, 0x3fff, 0x3fff + 80, 0);
    default: return gen_normal(r, 0x3fff - 80, 0x3fff - 3, s);
    }
}

/* y of FYL2X/FYL2XP1 and both operands of FPATAN. */
static float80 gen_y(struct rng *r)
{
    uint16_t s = rsign(r);
    switch (below(r, 10)) {
    case 0: return gen_special(r);
    case 1: return gen_normal(r, 0x7ffe - 20, 0x7ffe, s);
    case 2: return gen_normal(r, 1, 30, s);
    case 3: return gen_normal(r, 1, 0x7ffe, s);
    default: return gen_normal(r, 0x3fff - 100, 0x3fff + 100, s);
    }
}

enum trans_op {
    T_SIN,
    T_COS,
    T_SINCOS,
    T_TAN,
    T_F2XM1,
    T_YL2X,
    T_YL2XP1,
    T_ATAN,
    T_CONST,
    T_COUNT
};
static const char *const trans_names[T_COUNT] = {
    "fsin", "fcos", "fsincos", "fptan", "f2xm1",
    "fyl2x", "fyl2xp1", "fpatan", "fldconst",
};

struct trans_stats {
    unsigned long cases[T_COUNT], equal[T_COUNT], one_ulp[T_COUNT];
    unsigned long known[T_COUNT], c1_differs[T_COUNT], unchanged[T_COUNT];
    unsigned long mismatches;
};

/* The next float80 up in magnitude (finite, non-zero). */
static float80 next_up(float80 a)
{
    a.mant++;
    if (a.mant == 0) {
        a.mant = F80_J;
        a.se++;
    } else if ((a.se & F80_EXP_MAX) == 0 && a.mant == F80_J) {
        a.se++; /* the largest denormal steps to the smallest normal */
    }
    return a;
}

static bool finite_nonzero(float80 a)
{
    enum f80_class c = f80_classify(a);
    return c == F80_CLASS_NORMAL || c == F80_CLASS_DENORMAL;
}

static void report(struct trans_stats *st, enum trans_op op, uint16_t cw,
                   const float80 *a, const float80 *b, const char *what,
                   float80 host, uint16_t host_sw, float80 lib,
                   uint16_t lib_sw)
{
    if (++st->mismatches > 40)
        return;
    printf("float80 trans diff: %s cw=%04x a=%04x:%016llx", trans_names[op],
           cw, a->se, (unsigned long long)a->mant);
    if (b)
        printf(" b=%04x:%016llx", b->se, (unsigned long long)b->mant);
    printf(" %s: host %04x:%016llx sw %04x, lib %04x:%016llx sw %04x\n", what,
           host.se, (unsigned long long)host.mant, host_sw, lib.se,
           (unsigned long long)lib.mant, lib_sw);
}

/* F80_TRANS_SHOW=1 lists the accepted differences too. */
static void show(enum trans_op op, uint16_t cw, const float80 *a,
                 const float80 *b, const char *what, float80 host,
                 uint16_t host_sw, float80 lib, uint16_t lib_sw)
{
    static int on = -1;
    if (on < 0)
        on = getenv("F80_TRANS_SHOW") != 0;
    if (!on)
        return;
    printf("float80 trans: %s cw=%04x a=%04x:%016llx", trans_names[op], cw,
           a->se, (unsigned long long)a->mant);
    if (b)
        printf(" b=%04x:%016llx", b->se, (unsigned long long)b->mant);
    printf(" %s: host %04x:%016llx sw %04x, lib %04x:%016llx sw %04x\n", what,
           host.se, (unsigned long long)host.mant, host_sw, lib.se,
           (unsigned long long)lib.mant, lib_sw);
}

#define STRICT_SW (F80_IE | F80_ZE | F80_DE | F80_C2)
#define ROUND_SW (F80_PE | F80_UE | F80_OE)
/* The status word but for TOP, ES and B. */
#define SW_BITS (F80_EXC_MASK | F80_SF | F80_CC_MASK)

static bool within_one_ulp(float80 h, float80 l)
{
    return f80_eq_bits(h, l) ||
           (finite_nonzero(h) && finite_nonzero(l) &&
            f80_sign(h) == f80_sign(l) &&
            (f80_eq_bits(next_up(h), l) || f80_eq_bits(next_up(l), h)));
}

/*
 * Compare one result. IE, ZE, DE and C2 must agree; a suppressed result
 * (unmasked IE, DE, ZE) is not compared; NaNs, infinities and zeros must
 * be bit-equal, finite results within 1 ulp with PE, UE, OE equal, and C1
 * equal too when the results are, except where the host's own error puts
 * its unrounded value on the other side of the common result (counted).
 * known: an exact result on which the x87 raises PE (and rounds as if
 * inexact, so UE too when it is tiny): accepted within 1 ulp with PE, UE
 * and C1 different, and counted.
 */
static void compare(struct trans_stats *st, enum trans_op op, uint16_t cw,
                    const float80 *a, const float80 *b, float80 host,
                    uint16_t hsw, float80 lib, const struct f80_env *env,
                    bool known)
{
    uint16_t lsw = env->sw;
    const char *what = 0;

    if (known && within_one_ulp(host, lib) && (hsw & F80_PE) &&
        !(lsw & F80_PE) &&
        ((hsw ^ lsw) & SW_BITS & ~(F80_PE | F80_UE | F80_C1)) == 0) {
        st->known[op]++;
        return;
    }
    if ((hsw & STRICT_SW) != (lsw & STRICT_SW))
        what = "flags";
    else if ((lsw & F80_C2) && (hsw & F80_C1) != (lsw & F80_C1))
        what = "C1 out of range";
    else if (f80_result_suppressed(env, false) || (lsw & F80_C2)) {
        st->unchanged[op]++;
        return;
    }
    else if (f80_eq_bits(host, lib)) {
        if ((hsw & ROUND_SW) != (lsw & ROUND_SW))
            what = "PE/UE/OE";
        else if ((hsw & F80_C1) != (lsw & F80_C1) && finite_nonzero(lib)) {
            st->c1_differs[op]++;
            show(op, cw, a, b, "C1 only", host, hsw, lib, lsw);
        }
        else if ((hsw & F80_C1) != (lsw & F80_C1))
            what = "C1";
        else
            st->equal[op]++;
    } else if (within_one_ulp(host, lib)) {
        if ((hsw & ROUND_SW) != (lsw & ROUND_SW))
            what = "PE/UE/OE";
        else {
            st->one_ulp[op]++;
            show(op, cw, a, b, "1 ulp", host, hsw, lib, lsw);
        }
    } else {
        what = "result";
    }
    if (what)
        report(st, op, cw, a, b, what, host, hsw, lib, lsw);
}

/* A positive power of two, normal or denormal. */
static bool is_power_of_two(float80 x)
{
    return finite_nonzero(x) && (x.mant & (x.mant - 1)) == 0 && !f80_sign(x);
}

static void run_unary(struct trans_stats *st, enum trans_op op, struct rng *r)
{
    uint16_t cw = gen_cw(r), hsw;
    struct f80_env env = env_of(cw);
    float80 a = op == T_F2XM1 ? gen_f2xm1(r) : gen_trig(r);
    float80 h = F80_ZERO, h1 = F80_ZERO, l = a, l1 = a;
    bool in_range = true;

    switch (op) {
    case T_SIN:
        hsw = host_sin(cw, &a, &h);
        in_range = f80_sin(&env, a, &l);
        break;
    case T_COS:
        hsw = host_cos(cw, &a, &h);
        in_range = f80_cos(&env, a, &l);
        break;
    case T_TAN:
        hsw = host_tan(cw, &a, &h1, &h);
        in_range = f80_tan(&env, a, &l);
        /* The x87 pushes 1.0, or the NaN result again (observed). */
        l1 = f80_is_nan(l) ? l : F80_ONE;
        break;
    case T_SINCOS:
        hsw = host_sincos(cw, &a, &h1, &h); /* ST(0) = cos, ST(1) = sin */
        in_range = f80_sincos(&env, a, &l, &l1);
        break;
    default:
        hsw = host_f2xm1(cw, &a, &h);
        l = f80_f2xm1(&env, a);
        break;
    }
    if (!in_range) {
        /* Nothing changed: the host's ST(0) is still a. */
        h = op == T_TAN || op == T_SINCOS ? h1 : h;
        l = a;
    }
    bool known = op == T_F2XM1 && f80_exp(a) == F80_BIAS && a.mant == F80_J;
    compare(st, op, cw, &a, 0, h, hsw, l, &env, known);
    if (in_range && (op == T_TAN || op == T_SINCOS) &&
        !f80_result_suppressed(&env, false)) {
        /* FPTAN's pushed 1.0, FSINCOS's cosine: results only (C1 and PE
         * are the instruction's, compared above). */
        if (!within_one_ulp(h1, l1))
            report(st, op, cw, &a, 0, "second result", h1, hsw, l1, env.sw);
    }
}

static void run_binary(struct trans_stats *st, enum trans_op op, struct rng *r)
{
    uint16_t cw = gen_cw(r), hsw;
    struct f80_env env = env_of(cw);
    float80 x, y = gen_y(r), h, l;
    bool known = false;

    switch (op) {
    case T_YL2X:
        x = gen_log_x(r);
        hsw = host_yl2x(cw, &x, &y, &h);
        l = f80_yl2x(&env, x, y);
        known = is_power_of_two(x) && finite_nonzero(y);
        break;
    case T_YL2XP1:
        x = gen_logp1_x(r);
        hsw = host_yl2xp1(cw, &x, &y, &h);
        l = f80_yl2xp1(&env, x, y);
        break;
    default:
        x = gen_y(r);
        hsw = host_atan(cw, &x, &y, &h);
        l = f80_atan(&env, y, x);
        break;
    }
    compare(st, op, cw, &x, &y, h, hsw, l, &env, known);
}

static void run_const(struct trans_stats *st, struct rng *r)
{
    uint16_t cw = gen_cw(r), hsw;
    struct f80_env env = env_of(cw);
    enum f80_constant c = (enum f80_constant)below(r, 5);
    float80 h, l, dummy = F80_MAKE((uint16_t)c, 0);

    switch (c) {
    case F80_CONST_PI: hsw = host_ldpi(cw, &h); break;
    case F80_CONST_L2E: hsw = host_ldl2e(cw, &h); break;
    case F80_CONST_L2T: hsw = host_ldl2t(cw, &h); break;
    case F80_CONST_LG2: hsw = host_ldlg2(cw, &h); break;
    default: hsw = host_ldln2(cw, &h); break;
    }
    l = f80_const(&env, c);
    /* Exact agreement: the constants are rounded, not approximated. */
    if (!f80_eq_bits(h, l) || (hsw & SW_BITS) != (env.sw & SW_BITS))
        report(st, T_CONST, cw, &dummy, 0, "constant", h, hsw, l, env.sw);
    else
        st->equal[T_CONST]++;
}

START_TEST(test_differential)
{
    const char *n_env = getenv("F80_TRANS_CASES");
    const char *seed_env = getenv("F80_TRANS_SEED");
    unsigned long n = n_env ? strtoul(n_env, 0, 0) : 200000;
    unsigned long long seed =
        seed_env ? strtoull(seed_env, 0, 0) : 0x2f0e4c1d5a6b7981ULL;
    struct rng r = { seed };
    struct trans_stats st;

    memset(&st, 0, sizeof(st));
    for (unsigned long i = 0; i < n; i++) {
        for (int op = 0; op < T_COUNT; op++) {
            st.cases[op]++;
            if (op == T_CONST)
                run_const(&st, &r);
            else if (op >= T_YL2X)
                run_binary(&st, (enum trans_op)op, &r);
            else
                run_unary(&st, (enum trans_op)op, &r);
        }
    }
    printf("float80 trans diff: %lu cases a function against the host x87 "
           "(seed %#llx):\n",
           n, seed);
    for (int op = 0; op < T_COUNT; op++)
        printf("  %-8s %lu cases: %lu bit-equal, %lu bit-equal but for C1, "
               "%lu 1 ulp apart, %lu exact where the x87 raises PE, "
               "%lu unchanged (unmasked IE/DE/ZE or out of range)\n",
               trans_names[op], st.cases[op], st.equal[op],
               st.c1_differs[op], st.one_ulp[op], st.known[op],
               st.unchanged[op]);
    printf("  %lu mismatches\n", st.mismatches);
    ck_assert_uint_eq(st.mismatches, 0);
}
END_TEST
#else
START_TEST(test_differential)
{
    printf("float80 trans: the host has no x87: host comparison skipped, "
           "exact-value cases only\n");
}
END_TEST
#endif

static Suite *float80_trans_suite(void)
{
    Suite *s = suite_create("float80_trans");
    TCase *tc = tcase_create("vectors");
    add_vector_tests(tc);
    suite_add_tcase(s, tc);
    TCase *diff = tcase_create("differential");
    tcase_set_timeout(diff, 120);
    tcase_add_test(diff, test_differential);
    suite_add_tcase(s, diff);
    return s;
}

UNIT_MAIN(float80_trans_suite)
