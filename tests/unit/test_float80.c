/*
 * test_float80.c - unit tests of the x87 arithmetic (base/float80*.c).
 *
 * Part 1, on every host: vectors whose expected bits were worked out by
 * hand from the SDM's rules (NaN propagation, the indefinite, denormals,
 * each rounding mode, precision control, the unmasked OE/UE bias, BCD,
 * integer indefinite, FPREM's quotient bits).
 *
 * Part 2, on x86 hosts only: a differential test against the host's own
 * x87, bit for bit in the result and the status word, over random operands
 * drawn class by class (see gen_f80) under every rounding and precision
 * control. F80_DIFF_CASES sets the number of cases (default 1,200,000);
 * F80_DIFF_SEED the generator's seed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/float80.h"
#include "tests/unit/test_float80_diff.h"
#include "tests/unit/unit.h"

#define CW_MASKED(pc, rc) ((uint16_t)(0x7f | (pc) << 8 | (rc) << 10))

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

/* ---- Part 1: vectors from the SDM's rules ---- */

#define F(se, m) F80_MAKE(se, m)
#define ONE F(0x3fff, F80_J)
#define TWO F(0x4000, F80_J)
#define INF F(0x7fff, F80_J)
#define MAXF F(0x7ffe, ~0ULL) /* largest finite */
#define MINN F(0x0001, F80_J) /* smallest normal, 2^-16382 */
#define QNAN(m) F(0x7fff, 0xc000000000000000ULL | (m))
#define SNAN(m) F(0x7fff, F80_J | (m)) /* m != 0, bit 62 clear */

static struct f80_env env_rc(unsigned pc, unsigned rc)
{
    return env_of(CW_MASKED(pc, rc));
}

/* SDM vol. 1 4.8.3.7 and 8.5.1.2: the invalid operations give the real
 * indefinite FFFF:C000000000000000 (masked), and so does an unsupported
 * format (8.2.2: unnormals, pseudo-infinities, pseudo-NaNs). */
START_TEST(test_indefinite)
{
    struct f80_env env = env_of(F80_CW_DEFAULT);
    const float80 ind = F80_INDEFINITE;
    float80 unnormal = F(0x3fff, 0x4000000000000000ULL);
    float80 pseudo_inf = F(0x7fff, 0);

    ck_assert_f80(f80_sub(&env, INF, INF), ind.se, ind.mant);
    ck_assert_uint_eq(env.sw, F80_IE);
    ck_assert_uint_eq(f80_unmasked(&env), 0);
    ck_assert_f80(f80_mul(&env, F80_ZERO, f80_chs(INF)), 0xffff, ind.mant);
    ck_assert_f80(f80_div(&env, F80_ZERO, f80_chs(F80_ZERO)), 0xffff, ind.mant);
    ck_assert_f80(f80_div(&env, INF, INF), 0xffff, ind.mant);
    ck_assert_f80(f80_sqrt(&env, f80_chs(ONE)), 0xffff, ind.mant);
    env.sw = 0;
    ck_assert_f80(f80_add(&env, unnormal, ONE), 0xffff, ind.mant);
    ck_assert_uint_eq(env.sw, F80_IE);
    ck_assert_f80(f80_mul(&env, pseudo_inf, ONE), 0xffff, ind.mant);
    ck_assert_int_eq(f80_classify(unnormal), F80_CLASS_UNSUPPORTED);
    ck_assert_int_eq(f80_classify(pseudo_inf), F80_CLASS_UNSUPPORTED);
    /* Unmasked: IE is pending and the destination must stay. */
    env = env_of(F80_CW_DEFAULT & ~F80_IE);
    f80_sub(&env, INF, INF);
    ck_assert_uint_eq(f80_unmasked(&env), F80_IE);
    ck_assert(f80_result_suppressed(&env, false));
}
END_TEST

/* SDM vol. 1 4.8.3.5, Table 4-7 (x87 column). */
START_TEST(test_nan_propagation)
{
    struct f80_env env = env_of(F80_CW_DEFAULT);

    /* A QNaN passes through unchanged and raises nothing. */
    ck_assert_f80(f80_add(&env, ONE, QNAN(5)), 0x7fff, 0xc000000000000005);
    ck_assert_uint_eq(env.sw, 0);
    /* An SNaN is quieted (bit 62 set) and raises IE. */
    ck_assert_f80(f80_mul(&env, f80_chs(SNAN(5)), ONE), 0xffff,
                  0xc000000000000005);
    ck_assert_uint_eq(env.sw, F80_IE);
    /* SNaN and QNaN: the QNaN, even with the smaller significand. */
    env.sw = 0;
    ck_assert_f80(f80_sub(&env, SNAN(0x3000000000000000), QNAN(1)), 0x7fff,
                  0xc000000000000001);
    ck_assert_uint_eq(env.sw, F80_IE);
    /* Two QNaNs, two SNaNs: the larger significand (quieted). */
    ck_assert_f80(f80_div(&env, QNAN(1), f80_chs(QNAN(2))), 0xffff,
                  0xc000000000000002);
    ck_assert_f80(f80_add(&env, SNAN(7), SNAN(6)), 0x7fff, 0xc000000000000007);
    /* Equal significands: the positive one. */
    ck_assert_f80(f80_add(&env, f80_chs(QNAN(3)), QNAN(3)), 0x7fff,
                  0xc000000000000003);
    /* NaN beats an invalid combination and a zero divisor. */
    env.sw = 0;
    ck_assert_f80(f80_div(&env, QNAN(9), F80_ZERO), 0x7fff, 0xc000000000000009);
    ck_assert_uint_eq(env.sw, 0);
}
END_TEST

/* SDM vol. 1 4.8.3.2 and 8.5.2: DE for denormal operands, masked results
 * computed from the true value; pseudo-denormals weigh as exponent 1. */
START_TEST(test_denormals)
{
    struct f80_env env = env_of(F80_CW_DEFAULT);
    float80 tiny = F(0x0000, 1); /* 2^-16445 */

    ck_assert_f80(f80_add(&env, tiny, F80_ZERO), 0x0000, 1);
    ck_assert_uint_eq(env.sw, F80_DE);
    env.sw = 0;
    /* The pseudo-denormal 0000:8000... is 2^-16382; results normalize. */
    ck_assert_f80(f80_add(&env, F(0x0000, F80_J), F80_ZERO), 0x0001, F80_J);
    ck_assert_uint_eq(env.sw, F80_DE);
    env.sw = 0;
    /* 2^-16445 * 2^64 = 2^-16381. */
    ck_assert_f80(f80_mul(&env, tiny, F(0x403f, F80_J)), 0x0002, F80_J);
    ck_assert_uint_eq(env.sw, F80_DE);
    /* Tiny but exact: no UE (4.9.1.5, masked). */
    env.sw = 0;
    ck_assert_f80(f80_div(&env, MINN, F(0x4001, F80_J)), 0x0000,
                  0x2000000000000000ULL);
    ck_assert_uint_eq(env.sw, 0);
    /* Tiny and inexact: UE and PE; 2^-16382 / 3 = 2^63 / 3 units of
     * 2^-16445 = 2AAA...AAA.AA..h units, rounded up to ...AB. */
    ck_assert_f80(f80_div(&env, MINN, F(0x4000, 0xc000000000000000ULL)), 0x0000,
                  0x2aaaaaaaaaaaaaabULL);
    ck_assert_uint_eq(env.sw, F80_UE | F80_PE | F80_C1);
    /* Unmasked DE: the operation stops with DE alone. */
    env = env_of(F80_CW_DEFAULT & ~F80_DE);
    f80_div(&env, tiny, F(0x4000, 0xc000000000000000ULL));
    ck_assert_uint_eq(env.sw, F80_DE);
    ck_assert(f80_result_suppressed(&env, false));
    /* ZE outranks DE (4.9.2): denormal / 0 raises ZE alone. */
    env = env_of(F80_CW_DEFAULT);
    ck_assert_f80(f80_div(&env, f80_chs(tiny), F80_ZERO), 0xffff, F80_J);
    ck_assert_uint_eq(env.sw, F80_ZE);
}
END_TEST

/* SDM vol. 1 4.8.4, Table 4-8: 1 + 2^-64 lies halfway between 1 and the
 * next double extended number 1 + 2^-63. C1 reports a round up. */
START_TEST(test_rounding_modes)
{
    float80 half_ulp = F(0x3fff - 64, F80_J);
    float80 more = F(0x3fff - 64, 0xc000000000000000ULL); /* 1.5 * 2^-64 */
    struct f80_env env;

    env = env_rc(F80_PC_64, F80_RC_NEAREST);
    ck_assert_f80(f80_add(&env, ONE, half_ulp), 0x3fff, F80_J); /* even */
    ck_assert_uint_eq(env.sw, F80_PE);
    ck_assert_f80(f80_add(&env, ONE, more), 0x3fff, F80_J | 1);
    ck_assert_uint_eq(env.sw, F80_PE | F80_C1);
    env = env_rc(F80_PC_64, F80_RC_UP);
    ck_assert_f80(f80_add(&env, ONE, half_ulp), 0x3fff, F80_J | 1);
    ck_assert_uint_eq(env.sw, F80_PE | F80_C1);
    ck_assert_f80(f80_sub(&env, f80_chs(ONE), half_ulp), 0xbfff, F80_J);
    ck_assert_uint_eq(env.sw, F80_PE); /* C1 cleared: not rounded up */
    env = env_rc(F80_PC_64, F80_RC_DOWN);
    ck_assert_f80(f80_sub(&env, f80_chs(ONE), half_ulp), 0xbfff, F80_J | 1);
    ck_assert_uint_eq(env.sw, F80_PE | F80_C1);
    env = env_rc(F80_PC_64, F80_RC_ZERO);
    ck_assert_f80(f80_add(&env, ONE, more), 0x3fff, F80_J);
    /* FSQRT(2) = 1.6A09E667F3BCC908B2FB...h: the bits after the 64th
     * start 0101..., so nearest rounds down. */
    env = env_rc(F80_PC_64, F80_RC_NEAREST);
    ck_assert_f80(f80_sqrt(&env, TWO), 0x3fff, 0xb504f333f9de6484ULL);
    ck_assert_uint_eq(env.sw, F80_PE);
    env = env_rc(F80_PC_64, F80_RC_UP);
    ck_assert_f80(f80_sqrt(&env, TWO), 0x3fff, 0xb504f333f9de6485ULL);
}
END_TEST

/* SDM vol. 1 8.1.5.2: PC rounds the significand of add/sub/mul/div/sqrt
 * to 24 or 53 bits; the exponent keeps its 15-bit range. */
START_TEST(test_precision_control)
{
    struct f80_env env = env_rc(F80_PC_24, F80_RC_NEAREST);
    float80 x = F(0x3fff, F80_J | 1ULL << 39); /* 1 + 2^-24 */

    ck_assert_f80(f80_add(&env, x, F80_ZERO), 0x3fff, F80_J); /* tie */
    ck_assert_uint_eq(env.sw, F80_PE);
    ck_assert_f80(f80_add(&env, x, F(0x3fff - 40, F80_J)), 0x3fff,
                  F80_J | 1ULL << 40);
    ck_assert_uint_eq(env.sw, F80_PE | F80_C1);
    /* Not for FRNDINT, FSCALE and the other operations. */
    env.sw = 0;
    ck_assert_f80(f80_scale(&env, x, F80_ZERO), 0x3fff, F80_J | 1ULL << 39);
    ck_assert_uint_eq(env.sw, 0);
    env = env_rc(F80_PC_53, F80_RC_UP);
    ck_assert_f80(f80_mul(&env, F(0x3fff, F80_J | 1), ONE), 0x3fff,
                  F80_J | 1ULL << 11);
    ck_assert_uint_eq(env.sw, F80_PE | F80_C1);
    /* Masked overflow toward zero: the largest 24-bit-precision number. */
    env = env_rc(F80_PC_24, F80_RC_ZERO);
    ck_assert_f80(f80_mul(&env, MAXF, TWO), 0x7ffe, 0xffffff0000000000ULL);
    ck_assert_uint_eq(env.sw, F80_OE | F80_PE);
}
END_TEST

/* SDM vol. 1 4.8.3.1: exact zero sums are +0 except when rounding down. */
START_TEST(test_signed_zeros)
{
    struct f80_env env = env_rc(F80_PC_64, F80_RC_NEAREST);
    float80 nz = f80_chs(F80_ZERO);

    ck_assert_f80(f80_sub(&env, ONE, ONE), 0x0000, 0);
    ck_assert_f80(f80_add(&env, nz, nz), 0x8000, 0);
    ck_assert_f80(f80_add(&env, F80_ZERO, nz), 0x0000, 0);
    ck_assert_f80(f80_sqrt(&env, nz), 0x8000, 0);
    ck_assert_f80(f80_mul(&env, nz, ONE), 0x8000, 0);
    env = env_rc(F80_PC_64, F80_RC_DOWN);
    ck_assert_f80(f80_sub(&env, ONE, ONE), 0x8000, 0);
    ck_assert_f80(f80_add(&env, F80_ZERO, nz), 0x8000, 0);
    ck_assert_uint_eq(env.sw, 0);
}
END_TEST

/* SDM vol. 1 Table 4-10 (masked) and 8.5.4/8.5.5 (unmasked, register
 * destination: the exponent biased by -/+24576 = 0x6000). */
START_TEST(test_overflow_underflow)
{
    struct f80_env env = env_rc(F80_PC_64, F80_RC_NEAREST);

    ck_assert_f80(f80_mul(&env, MAXF, TWO), 0x7fff, F80_J);
    ck_assert_uint_eq(env.sw, F80_OE | F80_PE | F80_C1);
    env = env_rc(F80_PC_64, F80_RC_DOWN);
    ck_assert_f80(f80_mul(&env, MAXF, TWO), 0x7ffe, ~0ULL);
    ck_assert_f80(f80_mul(&env, f80_chs(MAXF), TWO), 0xffff, F80_J);
    /* Unmasked OE: 2^16384 delivered as 2^(16384 - 24576). */
    env = env_of(F80_CW_DEFAULT & ~F80_OE);
    ck_assert_f80(f80_mul(&env, F(0x7ffe, F80_J), TWO), 0x7fff - 0x6000, F80_J);
    ck_assert_uint_eq(env.sw, F80_OE);
    ck_assert_uint_eq(f80_unmasked(&env), F80_OE);
    ck_assert(!f80_result_suppressed(&env, false));
    /* Unmasked UE: tiny raises UE even when exact; 2^-16384 delivered as
     * 2^(-16384 + 24576), biased exponent 0x5fff. */
    env = env_of(F80_CW_DEFAULT & ~F80_UE);
    ck_assert_f80(f80_div(&env, MINN, F(0x4001, F80_J)), 0x5fff, F80_J);
    ck_assert_uint_eq(env.sw, F80_UE);
    /* Masked, the same quotient is an exact denormal. */
    env = env_of(F80_CW_DEFAULT);
    ck_assert_f80(f80_div(&env, MINN, F(0x4001, F80_J)), 0x0000,
                  0x2000000000000000ULL);
    ck_assert_uint_eq(env.sw, 0);
    /* Tininess after rounding (4.9.1.5): (1 - 2^-33) * (1 + 2^-33) *
     * 2^-16382 = (1 - 2^-66) * 2^-16382 rounds (64 bits, unbounded
     * exponent) up to 2^-16382: not tiny, so PE alone. */
    env = env_of(F80_CW_DEFAULT);
    ck_assert_f80(f80_mul(&env, F(0x3ffe, 0xffffffff80000000ULL),
                          F(0x0001, F80_J | 1ULL << 30)),
                  0x0001, F80_J);
    ck_assert_uint_eq(env.sw, F80_PE | F80_C1);
}
END_TEST

/* SDM vol. 2 FIST/FISTP/FISTTP: round by RC; out of range, NaN or
 * infinity is invalid and stores the integer indefinite 100...0b. */
START_TEST(test_integers)
{
    struct f80_env env = env_rc(F80_PC_64, F80_RC_NEAREST);
    float80 two_half = F(0x4000, 0xa000000000000000ULL);   /* 2.5 */
    float80 three_half = F(0x4000, 0xe000000000000000ULL); /* 3.5 */

    ck_assert_int_eq(f80_to_i16(&env, two_half, false), 2);
    ck_assert_uint_eq(env.sw, F80_PE);
    ck_assert_int_eq(f80_to_i32(&env, three_half, false), 4);
    ck_assert_uint_eq(env.sw, F80_PE | F80_C1);
    ck_assert_int_eq(f80_to_i64(&env, three_half, true), 3);
    env = env_rc(F80_PC_64, F80_RC_DOWN);
    ck_assert_int_eq(f80_to_i16(&env, f80_chs(two_half), false), -3);
    env = env_rc(F80_PC_64, F80_RC_NEAREST);
    env.sw = 0;
    ck_assert_int_eq(f80_to_i16(&env, F(0x400e, F80_J), false), -32768);
    ck_assert_uint_eq(env.sw, F80_IE); /* +32768 is out of range */
    env.sw = 0;
    ck_assert_int_eq(f80_to_i16(&env, F(0xc00e, F80_J), false), -32768);
    ck_assert_uint_eq(env.sw, 0);
    ck_assert_int_eq(f80_to_i32(&env, QNAN(0), false), INT32_MIN);
    ck_assert_int_eq(f80_to_i64(&env, f80_chs(INF), false), INT64_MIN);
    ck_assert_int_eq(f80_to_i64(&env, F(0xc03e, F80_J), false), INT64_MIN);
    ck_assert_f80(f80_from_i64(INT64_MIN), 0xc03e, F80_J);
    ck_assert_f80(f80_from_i64(-5), 0xc001, 0xa000000000000000ULL);
    ck_assert_f80(f80_from_i64(0), 0x0000, 0);
    /* FRNDINT: 2.5 -> 2 to nearest even, 3 up. */
    ck_assert_f80(f80_rndint(&env, two_half), 0x4000, F80_J);
    env = env_rc(F80_PC_24, F80_RC_UP);
    ck_assert_f80(f80_rndint(&env, two_half), 0x4000, 0xc000000000000000);
    ck_assert_uint_eq(env.sw, F80_PE | F80_C1);
}
END_TEST

/* FLD/FST m32/m64 (SDM vol. 2): loads exact (SNaN quieted with IE,
 * denormals normalized with DE); stores round by RC into the format's
 * range, NaNs keep their top fraction bits. */
START_TEST(test_float_formats)
{
    struct f80_env env = env_rc(F80_PC_64, F80_RC_NEAREST);

    ck_assert_f80(f80_from_f32(&env, 0x7f800001), 0x7fff,
                  0xc000010000000000ULL);
    ck_assert_uint_eq(env.sw, F80_IE);
    env.sw = 0;
    ck_assert_f80(f80_from_f32(&env, 0x00000001), 0x3fff - 149, F80_J);
    ck_assert_uint_eq(env.sw, F80_DE);
    ck_assert_f80(f80_from_f64(&env, 0xbff8000000000000ULL), 0xbfff,
                  0xc000000000000000ULL); /* -1.5 */
    env.sw = 0;
    ck_assert_uint_eq(f80_to_f32(&env, F(0x3fff, F80_J | 1ULL << 39)),
                      0x3f800000); /* 1 + 2^-24: a tie, to even */
    ck_assert_uint_eq(env.sw, F80_PE);
    env.sw = 0;
    /* 2^-150 ties between 0 and the least denormal: 0, tiny, inexact. */
    ck_assert_uint_eq(f80_to_f32(&env, F(0x3fff - 150, F80_J)), 0);
    ck_assert_uint_eq(env.sw, F80_UE | F80_PE);
    /* 1.5 * 2^-149 ties between 1 and 2 denormal units: 2. */
    ck_assert_uint_eq(f80_to_f32(&env, F(0x3fff - 149, 0xc000000000000000)), 2);
    ck_assert_uint_eq(env.sw, F80_UE | F80_PE | F80_C1);
    env.sw = 0;
    ck_assert_uint_eq(f80_to_f64(&env, F(0x3fff + 1024, F80_J)),
                      0x7ff0000000000000ULL);
    ck_assert_uint_eq(env.sw, F80_OE | F80_PE | F80_C1);
    ck_assert_uint_eq(f80_to_f32(&env, QNAN(1)), 0x7fc00000);
    ck_assert_uint_eq(f80_to_f32(&env, F(0x3fff, 0)), 0xffc00000);
    /* Unmasked OE on a memory destination: nothing is stored. */
    env = env_of(F80_CW_DEFAULT & ~F80_OE);
    f80_to_f32(&env, F(0x3fff + 128, F80_J));
    ck_assert_uint_eq(env.sw, F80_OE);
    ck_assert(f80_result_suppressed(&env, true));
}
END_TEST

/* FBLD/FBSTP (SDM vol. 1 4.7, vol. 2). */
START_TEST(test_bcd)
{
    struct f80_env env = env_rc(F80_PC_64, F80_RC_NEAREST);
    uint8_t b[10], nines[10];

    f80_to_bcd(&env, F(0xc009, 0x9a40000000000000ULL), b); /* -1234 */
    ck_assert(b[0] == 0x34 && b[1] == 0x12 && b[2] == 0 && b[9] == 0x80);
    ck_assert_uint_eq(env.sw, 0);
    f80_to_bcd(&env, F(0x4000, 0xa000000000000000ULL), b); /* 2.5 -> 2 */
    ck_assert(b[0] == 0x02 && b[9] == 0);
    ck_assert_uint_eq(env.sw, F80_PE);
    /* 10^18 = 0DE0B6B3A7640000h has 19 digits: the BCD indefinite. */
    f80_to_bcd(&env, F(0x403a, 0xde0b6b3a76400000ULL), b);
    ck_assert(b[9] == 0xff && b[8] == 0xff && b[7] == 0xc0 && b[0] == 0);
    ck_assert_uint_eq(env.sw, F80_PE | F80_IE);
    /* 18 nines = 0DE0B6B3A763FFFFh. */
    for (int i = 0; i < 9; i++)
        nines[i] = 0x99;
    nines[9] = 0x80;
    ck_assert_f80(f80_from_bcd(nines), 0xc03a, 0xde0b6b3a763ffff0ULL);
    memset(b, 0, sizeof(b));
    b[9] = 0x80;
    ck_assert_f80(f80_from_bcd(b), 0x8000, 0); /* -0 */
}
END_TEST

/* FPREM/FPREM1 (SDM vol. 2): C0, C3, C1 = quotient bits 2, 1, 0. */
START_TEST(test_remainder)
{
    struct f80_env env = env_rc(F80_PC_64, F80_RC_NEAREST);
    float80 seven = F(0x4001, 0xe000000000000000ULL);

    /* 7 = 3 * 2 + 1: q = 011b. */
    ck_assert_f80(f80_prem(&env, seven, TWO), 0x3fff, F80_J);
    ck_assert_uint_eq(env.sw, F80_C3 | F80_C1);
    /* FPREM1: 7 / 2 = 3.5 rounds to 4 (even): 7 - 8 = -1, q = 100b. */
    ck_assert_f80(f80_prem1(&env, seven, TWO), 0xbfff, F80_J);
    ck_assert_uint_eq(env.sw, F80_C0);
    /* The remainder takes the dividend's sign; a zero one too. */
    ck_assert_f80(f80_prem(&env, f80_chs(seven), TWO), 0xbfff, F80_J);
    ck_assert_f80(f80_prem(&env, f80_chs(TWO), ONE), 0x8000, 0);
    /* Exponent difference 100 >= 64: partial, C2 = 1, reduced by
     * 2^(D - N) with N = 32 + D mod 32 = 36: to below 2^65 (2^64 * 2). */
    float80 big = F(0x3fff + 100, F80_J);
    float80 part = f80_prem(&env, big, F(0x3fff, 0xc000000000000000ULL));
    ck_assert_uint_eq(env.sw, F80_C2);
    ck_assert_int_le(f80_exp(part), 0x3fff + 64);
    ck_assert_int_gt(f80_exp(part), 0x3fff + 32);
    /* Division by zero and an infinite dividend are invalid. */
    ck_assert_f80(f80_prem(&env, ONE, F80_ZERO), 0xffff, 0xc000000000000000ULL);
    ck_assert_uint_eq(env.sw & F80_EXC_MASK, F80_IE);
}
END_TEST

/* FCOM/FUCOM and FXAM condition codes (SDM vol. 2). */
START_TEST(test_compare_xam)
{
    struct f80_env env = env_of(F80_CW_DEFAULT);

    ck_assert_int_eq(f80_compare(&env, F80_ZERO, f80_chs(F80_ZERO), false),
                     F80_EQUAL);
    ck_assert_uint_eq(env.sw, F80_C3);
    ck_assert_int_eq(f80_compare(&env, f80_chs(ONE), ONE, false), F80_LESS);
    ck_assert_uint_eq(env.sw, F80_C0);
    ck_assert_int_eq(f80_compare(&env, INF, MAXF, false), F80_GREATER);
    ck_assert_uint_eq(env.sw, 0);
    ck_assert_int_eq(f80_compare(&env, QNAN(0), ONE, true), F80_UNORDERED);
    ck_assert_uint_eq(env.sw, F80_C3 | F80_C2 | F80_C0); /* no IE */
    ck_assert_int_eq(f80_compare(&env, QNAN(0), ONE, false), F80_UNORDERED);
    ck_assert_uint_eq(env.sw, F80_C3 | F80_C2 | F80_C0 | F80_IE);
    env.sw = 0;
    f80_compare(&env, SNAN(1), ONE, true);
    ck_assert_uint_eq(env.sw, F80_C3 | F80_C2 | F80_C0 | F80_IE);
    env.sw = 0;
    f80_compare(&env, F(0x0000, 1), F80_ZERO, true);
    ck_assert_uint_eq(env.sw, F80_DE); /* greater: 000 */

    f80_xam(&env, F(0x3fff, 1), false); /* unnormal */
    ck_assert_uint_eq(env.sw & F80_CC_MASK, 0);
    f80_xam(&env, F(0x8000, F80_J), false); /* -pseudo-denormal */
    ck_assert_uint_eq(env.sw & F80_CC_MASK, F80_C3 | F80_C2 | F80_C1);
    f80_xam(&env, f80_chs(INF), false);
    ck_assert_uint_eq(env.sw & F80_CC_MASK, F80_C2 | F80_C1 | F80_C0);
    f80_xam(&env, SNAN(1), false);
    ck_assert_uint_eq(env.sw & F80_CC_MASK, F80_C0);
    f80_xam(&env, ONE, true);
    ck_assert_uint_eq(env.sw & F80_CC_MASK, F80_C3 | F80_C0);
}
END_TEST

/* FSCALE and FXTRACT (SDM vol. 2). */
START_TEST(test_scale_xtract)
{
    struct f80_env env = env_of(F80_CW_DEFAULT);
    float80 e, s;

    /* 2^trunc(3.75) = 8. */
    ck_assert_f80(f80_scale(&env, ONE, F(0x4000, 0xf000000000000000ULL)),
                  0x4002, F80_J);
    ck_assert_f80(f80_scale(&env, ONE, f80_chs(INF)), 0x0000, 0);
    ck_assert_f80(f80_scale(&env, F80_ZERO, INF), 0xffff,
                  0xc000000000000000ULL);
    /* 10 = 1.25 * 2^3. */
    env.sw = 0;
    f80_xtract(&env, F(0x4002, 0xa000000000000000ULL), &e, &s);
    ck_assert_f80(e, 0x4000, 0xc000000000000000ULL);
    ck_assert_f80(s, 0x3fff, 0xa000000000000000ULL);
    ck_assert_uint_eq(env.sw, 0);
    /* FXTRACT of -0: ZE, exponent -inf, significand -0. */
    f80_xtract(&env, f80_chs(F80_ZERO), &e, &s);
    ck_assert_f80(e, 0xffff, F80_J);
    ck_assert_f80(s, 0x8000, 0);
    ck_assert_uint_eq(env.sw, F80_ZE);
}
END_TEST

static void add_vector_tests(TCase *tc)
{
    tcase_add_test(tc, test_indefinite);
    tcase_add_test(tc, test_nan_propagation);
    tcase_add_test(tc, test_denormals);
    tcase_add_test(tc, test_rounding_modes);
    tcase_add_test(tc, test_precision_control);
    tcase_add_test(tc, test_signed_zeros);
    tcase_add_test(tc, test_overflow_underflow);
    tcase_add_test(tc, test_integers);
    tcase_add_test(tc, test_float_formats);
    tcase_add_test(tc, test_bcd);
    tcase_add_test(tc, test_remainder);
    tcase_add_test(tc, test_compare_xam);
    tcase_add_test(tc, test_scale_xtract);
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

/* Significand bit patterns that stress rounding: random, trailing zeros
 * (exact results), a lone bit after zeros (halfway points once shifted),
 * runs of ones (carries). */
static uint64_t gen_bits(struct rng *r)
{
    int k = (int)below(r, 64);
    switch (below(r, 7)) {
    case 0:
    case 1: return rnd(r);
    case 2: return rnd(r) & (~0ULL << k);
    case 3: return (rnd(r) & (~0ULL << k << 1)) | (1ULL << k);
    case 4: return ~0ULL << k;
    case 5: return ~0ULL >> k;
    default: return (1ULL << 63) | (1ULL << k) | below(r, 4);
    }
}

/* An operand of a class drawn at random; normal ones have an exponent
 * within +-64 of `hint` (clamped) or near the ends of the range. */
static float80 gen_f80(struct rng *r, int hint)
{
    uint16_t sign = below(r, 2) ? F80_SIGN : 0;
    uint64_t m = gen_bits(r);
    unsigned c = below(r, 100);
    int exp;

    if (c < 4)
        return F80_MAKE(sign, 0);
    if (c < 10)
        return F80_MAKE(sign, (m >> below(r, 64)) & ~F80_J);
    if (c < 12)
        return F80_MAKE(sign, m | F80_J); /* pseudo-denormal */
    if (c < 14)
        return F80_MAKE(sign | (1 + below(r, 0x7ffe)), m & ~F80_J);
    if (c < 16)
        return F80_MAKE(sign | 0x7fff, F80_J);
    if (c < 19)
        return F80_MAKE(sign | 0x7fff, m | F80_J | F80_QUIET);
    if (c < 22)
        return F80_MAKE(sign | 0x7fff,
                        ((m & ~F80_QUIET) | F80_J) | (m & F80_QUIET ? 0 : 1));
    if (c < 24)
        return F80_MAKE(sign | 0x7fff, m & ~F80_J); /* pseudo-inf/NaN */
    if (c < 30)
        exp = 0x7ffe - (int)below(r, 70);
    else if (c < 36)
        exp = 1 + (int)below(r, 70);
    else if (c < 44)
        exp = 1 + (int)below(r, 0x7ffe);
    else
        exp = hint + (int)below(r, 129) - 64;
    if (exp < 1)
        exp = 1;
    if (exp > 0x7ffe)
        exp = 0x7ffe;
    return F80_MAKE(sign | (uint16_t)exp, m | F80_J);
}

static uint16_t gen_cw(struct rng *r)
{
    /* PC = 1 is reserved; the x87 rounds to 64 bits there too. */
    static const unsigned pcs[] = { F80_PC_24, F80_PC_53, F80_PC_64, 1 };
    unsigned masks = F80_EXC_MASK, m = below(r, 16);

    if (m >= 12 && m < 14)
        masks &= ~(rnd(r) & (F80_OE | F80_UE | F80_PE));
    else if (m >= 14)
        masks &= ~(unsigned)rnd(r);
    return (uint16_t)(0x40 | masks | pcs[below(r, 4)] << F80_CW_PC_SHIFT |
                      below(r, 4) << F80_CW_RC_SHIFT);
}

enum diff_op {
    D_ADD,
    D_SUB,
    D_MUL,
    D_DIV,
    D_SQRT,
    D_PREM,
    D_PREM1,
    D_RNDINT,
    D_SCALE,
    D_COM,
    D_UCOM,
    D_XAM,
    D_XTRACT,
    D_FIST16,
    D_FIST32,
    D_FIST64,
    D_FISTTP64,
    D_FST32,
    D_FST64,
    D_FLD32,
    D_FLD64,
    D_FILD,
    D_FBSTP,
    D_FBLD,
    D_COUNT
};
static const char *const diff_names[D_COUNT] = {
    "add",     "sub",    "mul",    "div",    "sqrt",     "prem",
    "prem1",   "rndint", "scale",  "fcom",   "fucom",    "fxam",
    "fxtract", "fist16", "fist32", "fist64", "fisttp64", "fst32",
    "fst64",   "fld32",  "fld64",  "fild64", "fbstp",    "fbld",
};
/* Share of the cases, in parts of 64. */
static const unsigned diff_weight[D_COUNT] = {
    6, 6, 6, 6, 3, 4, 4, 3, 3, 2, 2, 1, 1, 2, 2, 2, 1, 2, 2, 1, 1, 1, 2, 1,
};

struct diff_stats {
    unsigned long cases[D_COUNT], mismatches;
};

static void report(struct diff_stats *st, enum diff_op op, uint16_t cw,
                   const float80 *a, const float80 *b, const char *what,
                   unsigned long long host, unsigned long long lib,
                   uint16_t host_sw, uint16_t lib_sw)
{
    if (++st->mismatches > 40)
        return;
    printf("float80 diff: %s cw=%04x a=%04x:%016llx", diff_names[op], cw, a->se,
           (unsigned long long)a->mant);
    if (b)
        printf(" b=%04x:%016llx", b->se, (unsigned long long)b->mant);
    printf(" %s: host %llx sw %04x, lib %llx sw %04x\n", what, host, host_sw,
           lib, lib_sw);
}

/* Compare a float80 result and the status bits in `mask`. */
static void check_f80(struct diff_stats *st, enum diff_op op, uint16_t cw,
                      const float80 *a, const float80 *b, float80 host,
                      uint16_t host_sw, float80 lib, const struct f80_env *env,
                      uint16_t mask, bool mem)
{
    bool skip = f80_result_suppressed(env, mem);
    if ((host_sw & mask) != (env->sw & mask) ||
        (!skip && !f80_eq_bits(host, lib)))
        report(st, op, cw, a, b, "result se:mant",
               (unsigned long long)host.se << 48 ^ host.mant,
               (unsigned long long)lib.se << 48 ^ lib.mant, host_sw, env->sw);
}

static void check_int(struct diff_stats *st, enum diff_op op, uint16_t cw,
                      const float80 *a, uint64_t host, uint16_t host_sw,
                      uint64_t lib, const struct f80_env *env, uint16_t mask)
{
    bool skip = f80_result_suppressed(env, true);
    if ((host_sw & mask) != (env->sw & mask) || (!skip && host != lib))
        report(st, op, cw, a, 0, "stored", host, lib, host_sw, env->sw);
}

/* A hint exponent for b that puts a op b near the ends of the range. */
static int edge_hint(struct rng *r, enum diff_op op, const float80 *a)
{
    int ea = f80_exp(*a), slack = (int)below(r, 7) - 3;
    bool hi = below(r, 2);

    switch (op) {
    case D_MUL: return (hi ? 0x7ffe : 1) + 0x3fff - ea + slack;
    case D_DIV: return ea + 0x3fff - (hi ? 0x7ffe : 1) + slack;
    case D_PREM:
    case D_PREM1: return ea - (int)below(r, 140) + 4;
    default: return ea + slack;
    }
}

static float80 gen_scale(struct rng *r)
{
    if (below(r, 8) == 0)
        return gen_f80(r, 0x3fff);
    /* Mostly integers of up to 21 bits, a few with a fraction. */
    int int_bits = (int)below(r, 21) - (below(r, 8) == 0); /* -1 .. 20 */
    uint16_t exp = (uint16_t)(0x3fff + int_bits);
    uint64_t ints = int_bits < 0 ? 0 : ~0ULL << (63 - int_bits);
    uint64_t m = F80_J | (below(r, 4) == 0 ? rnd(r) : 0) | (rnd(r) & ints);
    return F80_MAKE((below(r, 2) ? F80_SIGN : 0) | exp, m);
}

static uint32_t gen_f32(struct rng *r)
{
    uint32_t sign = (uint32_t)below(r, 2) << 31, m = (uint32_t)rnd(r);
    switch (below(r, 8)) {
    case 0: return sign;
    case 1: return sign | (m & 0x7fffff >> below(r, 23));
    case 2: return sign | 0x7f800000;
    case 3: return sign | 0x7f800000 | (m & 0x7fffff) | 1;
    default: return m;
    }
}

static uint64_t gen_f64(struct rng *r)
{
    uint64_t sign = (uint64_t)below(r, 2) << 63, m = rnd(r);
    uint64_t frac = (1ULL << 52) - 1, inf = 0x7ffULL << 52;
    switch (below(r, 8)) {
    case 0: return sign;
    case 1: return sign | ((m & frac) >> below(r, 52));
    case 2: return sign | inf;
    case 3: return sign | inf | (m & frac) | 1;
    default: return m;
    }
}

static struct bcd10 gen_bcd(struct rng *r)
{
    struct bcd10 b;
    unsigned digits = below(r, 19);

    memset(&b, 0, sizeof(b));
    for (unsigned i = 0; i < digits; i++)
        b.b[i / 2] |= (uint8_t)(below(r, 10) << (i % 2 * 4));
    b.b[9] = below(r, 2) ? 0x80 : 0;
    return b;
}

static uint64_t bcd_bits(const struct bcd10 *b)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b->b[i];
    return v ^ (uint64_t)b->b[8] << 56 ^ (uint64_t)b->b[9] << 48;
}

#define ARITH_SW (F80_EXC_MASK | F80_C1)
#define ALL_SW (F80_EXC_MASK | F80_CC_MASK)

static void run_case(struct diff_stats *st, enum diff_op op, struct rng *r)
{
    uint16_t cw = gen_cw(r), hsw;
    struct f80_env env = env_of(cw);
    float80 a = gen_f80(r, 0x3fff + (int)below(r, 200) - 100), b, h, l;

    b = gen_f80(r, below(r, 2) ? edge_hint(r, op, &a) : 0x3fff);
    if (below(r, 16) == 0) /* x - x, two NaNs with one significand ... */
        b = below(r, 2) ? a : f80_chs(a);
    switch (op) {
    case D_ADD:
        hsw = host_add(cw, &a, &b, &h);
        l = f80_add(&env, a, b);
        break;
    case D_SUB:
        hsw = host_sub(cw, &a, &b, &h);
        l = f80_sub(&env, a, b);
        break;
    case D_MUL:
        hsw = host_mul(cw, &a, &b, &h);
        l = f80_mul(&env, a, b);
        break;
    case D_DIV:
        hsw = host_div(cw, &a, &b, &h);
        l = f80_div(&env, a, b);
        break;
    case D_SQRT:
        hsw = host_sqrt(cw, &a, &b, &h);
        l = f80_sqrt(&env, a);
        check_f80(st, op, cw, &a, 0, h, hsw, l, &env, ARITH_SW, false);
        return;
    case D_PREM:
        hsw = host_prem(cw, &a, &b, &h);
        l = f80_prem(&env, a, b);
        check_f80(st, op, cw, &a, &b, h, hsw, l, &env, ALL_SW, false);
        return;
    case D_PREM1:
        hsw = host_prem1(cw, &a, &b, &h);
        l = f80_prem1(&env, a, b);
        check_f80(st, op, cw, &a, &b, h, hsw, l, &env, ALL_SW, false);
        return;
    case D_RNDINT:
        hsw = host_rndint(cw, &a, &b, &h);
        l = f80_rndint(&env, a);
        check_f80(st, op, cw, &a, 0, h, hsw, l, &env, ARITH_SW, false);
        return;
    case D_SCALE:
        b = gen_scale(r);
        hsw = host_scale(cw, &a, &b, &h);
        l = f80_scale(&env, a, b);
        break;
    case D_COM:
    case D_UCOM:
        if (below(r, 4) == 0)
            b = a;
        hsw =
            op == D_COM ? host_com(cw, &a, &b, &h) : host_ucom(cw, &a, &b, &h);
        f80_compare(&env, a, b, op == D_UCOM);
        check_f80(st, op, cw, &a, &b, a, hsw, a, &env, ALL_SW, false);
        return;
    case D_XAM:
        hsw = host_xam(cw, &a, &b, &h);
        f80_xam(&env, a, false);
        check_f80(st, op, cw, &a, 0, a, hsw, a, &env, ALL_SW, false);
        return;
    case D_XTRACT: {
        float80 he, le;
        hsw = host_xtract(cw, &a, &he, &h);
        f80_xtract(&env, a, &le, &l);
        check_f80(st, op, cw, &a, 0, h, hsw, l, &env, ARITH_SW, false);
        check_f80(st, op, cw, &a, 0, he, hsw, le, &env, ARITH_SW, false);
        return;
    }
    case D_FIST16:
    case D_FIST32:
    case D_FIST64:
    case D_FISTTP64: {
        int64_t hv = 0x5a5a, lv;
        a = gen_f80(r, 0x3fff + (int)below(r, 70) - 3);
        if (op == D_FIST16) {
            int16_t v = 0x5a5a;
            hsw = host_fist16(cw, &a, &v);
            hv = v;
            lv = f80_to_i16(&env, a, false);
        } else if (op == D_FIST32) {
            int32_t v = 0x5a5a;
            hsw = host_fist32(cw, &a, &v);
            hv = v;
            lv = f80_to_i32(&env, a, false);
        } else if (op == D_FIST64) {
            hsw = host_fist64(cw, &a, &hv);
            lv = f80_to_i64(&env, a, false);
        } else {
            hsw = host_fisttp64(cw, &a, &hv);
            lv = f80_to_i64(&env, a, true);
        }
        check_int(st, op, cw, &a, (uint64_t)hv, hsw, (uint64_t)lv, &env,
                  ARITH_SW);
        return;
    }
    case D_FST32: {
        uint32_t hv = 0x5a5a;
        a = gen_f80(r, 0x3fff + (int)below(r, 300) - 150);
        if (below(r, 2))
            a.se = (a.se & F80_SIGN) |
                   (uint16_t)(0x3fff - 126 + (int)below(r, 60) - 40);
        hsw = host_fst32(cw, &a, &hv);
        check_int(st, op, cw, &a, hv, hsw, f80_to_f32(&env, a), &env, ARITH_SW);
        return;
    }
    case D_FST64: {
        uint64_t hv = 0x5a5a;
        a = gen_f80(r, 0x3fff + (int)below(r, 2200) - 1100);
        if (below(r, 2))
            a.se = (a.se & F80_SIGN) |
                   (uint16_t)(0x3fff - 1022 + (int)below(r, 90) - 70);
        hsw = host_fst64(cw, &a, &hv);
        check_int(st, op, cw, &a, hv, hsw, f80_to_f64(&env, a), &env, ARITH_SW);
        return;
    }
    case D_FLD32: {
        uint32_t v = gen_f32(r);
        hsw = host_fld32(cw, &v, &h);
        l = f80_from_f32(&env, v);
        a = F80_MAKE(0, v);
        check_f80(st, op, cw, &a, 0, h, hsw, l, &env, ARITH_SW, false);
        return;
    }
    case D_FLD64: {
        uint64_t v = gen_f64(r);
        hsw = host_fld64(cw, &v, &h);
        l = f80_from_f64(&env, v);
        a = F80_MAKE(0, v);
        check_f80(st, op, cw, &a, 0, h, hsw, l, &env, ARITH_SW, false);
        return;
    }
    case D_FILD: {
        int64_t v = (int64_t)(rnd(r) >> below(r, 64));
        if (below(r, 2))
            v = -v;
        hsw = host_fild64(cw, &v, &h);
        l = f80_from_i64(v);
        a = F80_MAKE(0, (uint64_t)v);
        check_f80(st, op, cw, &a, 0, h, hsw, l, &env, ARITH_SW, false);
        return;
    }
    case D_FBSTP: {
        struct bcd10 hv, lv;
        memset(&hv, 0x5a, sizeof(hv));
        a = gen_f80(r, 0x3fff + (int)below(r, 66) - 3);
        hsw = host_fbstp(cw, &a, &hv);
        f80_to_bcd(&env, a, lv.b);
        check_int(st, op, cw, &a, bcd_bits(&hv), hsw, bcd_bits(&lv), &env,
                  ARITH_SW);
        return;
    }
    case D_FBLD: {
        struct bcd10 v = gen_bcd(r);
        hsw = host_fbld(cw, &v, &h);
        l = f80_from_bcd(v.b);
        a = F80_MAKE(0, bcd_bits(&v));
        check_f80(st, op, cw, &a, 0, h, hsw, l, &env, ARITH_SW, false);
        return;
    }
    default: return;
    }
    check_f80(st, op, cw, &a, &b, h, hsw, l, &env, ARITH_SW, false);
}

START_TEST(test_differential)
{
    const char *n_env = getenv("F80_DIFF_CASES");
    const char *seed_env = getenv("F80_DIFF_SEED");
    unsigned long n = n_env ? strtoul(n_env, 0, 0) : 1200000;
    struct rng r = { seed_env ? strtoull(seed_env, 0, 0) : 0x80871987ULL };
    struct diff_stats st;
    unsigned table[64], k = 0;

    memset(&st, 0, sizeof(st));
    for (int op = 0; op < D_COUNT; op++)
        for (unsigned w = 0; w < diff_weight[op]; w++)
            table[k++] = (unsigned)op;
    ck_assert_uint_eq(k, 64);
    for (unsigned long i = 0; i < n; i++) {
        enum diff_op op = (enum diff_op)table[below(&r, 64)];
        st.cases[op]++;
        run_case(&st, op, &r);
    }
    printf("float80 diff: %lu cases against the host x87 (seed %#llx):", n,
           (unsigned long long)(seed_env ? strtoull(seed_env, 0, 0)
                                         : 0x80871987ULL));
    for (int op = 0; op < D_COUNT; op++)
        printf(" %s %lu", diff_names[op], st.cases[op]);
    printf("; %lu mismatches\n", st.mismatches);
    ck_assert_uint_eq(st.mismatches, 0);
}
END_TEST

#else

START_TEST(test_differential)
{
    printf("float80: differential test skipped: the host has no x87\n");
}
END_TEST

#endif

static Suite *float80_suite(void)
{
    Suite *s = suite_create("float80");
    TCase *tc = tcase_create("vectors");
    add_vector_tests(tc);
    suite_add_tcase(s, tc);
    TCase *diff = tcase_create("differential");
    tcase_set_timeout(diff, 120);
    tcase_add_test(diff, test_differential);
    suite_add_tcase(s, diff);
    return s;
}

UNIT_MAIN(float80_suite)
