/*
 * float80_wide.c - arithmetic on the transcendentals' wide format (sign,
 * unbounded exponent, 128-bit significand; see float80_wide.h): add,
 * multiply, divide, and the final rounding into the register format.
 * Results truncate; the transcendentals keep far more bits than the 64
 * they deliver.
 */
#include "base/float80_wide.h"

/* Constants to 128 bits, rounded to nearest. */
const struct f80w f80w_pi =
    F80W(false, 1, 0xc90fdaa22168c234ULL, 0xc4c6628b80dc1cd1ULL);
const struct f80w f80w_pi_2 =
    F80W(false, 0, 0xc90fdaa22168c234ULL, 0xc4c6628b80dc1cd1ULL);
const struct f80w f80w_ln2 =
    F80W(false, -1, 0xb17217f7d1cf79abULL, 0xc9e3b39803f2f6afULL);
const struct f80w f80w_log2e =
    F80W(false, 0, 0xb8aa3b295c17f0bbULL, 0xbe87fed0691d3e89ULL);

struct f80w f80w_make(bool sign, int32_t exp, uint64_t hi, uint64_t lo)
{
    if (hi == 0) {
        if (lo == 0)
            return F80W(sign, 0, 0, 0);
        hi = lo;
        lo = 0;
        exp -= 64;
    }
    int lz = f80i_clz64(hi);
    f80i_shl128(&hi, &lo, lz);
    return F80W(sign, exp - lz, hi, lo);
}

struct f80w f80w_from_f80(float80 a)
{
    struct f80i_unpacked u = f80i_unpack(a);
    return F80W(u.sign, u.exp, u.sig, 0);
}

struct f80w f80w_from_int(int64_t v)
{
    bool sign = v < 0;
    uint64_t mag = sign ? 0 - (uint64_t)v : (uint64_t)v;
    return f80w_make(sign, 127, 0, mag);
}

bool f80w_less_mag(struct f80w a, struct f80w b)
{
    if (f80w_is_zero(a) || f80w_is_zero(b))
        return !f80w_is_zero(b) && f80w_is_zero(a);
    if (a.exp != b.exp)
        return a.exp < b.exp;
    return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo);
}

struct f80w f80w_add(struct f80w a, struct f80w b)
{
    if (f80w_is_zero(b))
        return a;
    if (f80w_is_zero(a))
        return b;
    if (f80w_less_mag(a, b)) {
        struct f80w t = a;
        a = b;
        b = t;
    }
    /* |a| >= |b|: align b to a's exponent. */
    uint64_t bhi = b.hi, blo = b.lo;
    int64_t d = (int64_t)a.exp - b.exp;
    f80i_shr128_jam(&bhi, &blo, d > 200 ? 200 : (int32_t)d);
    if (a.sign == b.sign) {
        uint64_t lo = a.lo + blo;
        uint64_t hi = a.hi + bhi + (lo < a.lo);
        if (hi < a.hi) {
            /* Carry out of bit 127: shift the 129-bit sum right once. */
            lo = (lo >> 1) | (hi << 63);
            hi = (hi >> 1) | F80_J;
            return F80W(a.sign, a.exp + 1, hi, lo);
        }
        return F80W(a.sign, a.exp, hi, lo);
    }
    uint64_t lo = a.lo - blo;
    uint64_t hi = a.hi - bhi - (a.lo < blo);
    return f80w_make(a.sign, a.exp, hi, lo);
}

struct f80w f80w_sub(struct f80w a, struct f80w b)
{
    return f80w_add(a, f80w_neg(b));
}

struct f80w f80w_mul(struct f80w a, struct f80w b)
{
    bool sign = a.sign != b.sign;
    if (f80w_is_zero(a) || f80w_is_zero(b))
        return F80W(sign, 0, 0, 0);

    /* The top 128 bits of the 256-bit product; the partial products
     * below bit 64 contribute only their carries (dropped: truncation). */
    uint64_t hh_h, hh_l, hl_h, hl_l, lh_h, lh_l, ll_h, ll_l;
    f80i_mul64(a.hi, b.hi, &hh_h, &hh_l);
    f80i_mul64(a.hi, b.lo, &hl_h, &hl_l);
    f80i_mul64(a.lo, b.hi, &lh_h, &lh_l);
    f80i_mul64(a.lo, b.lo, &ll_h, &ll_l);
    (void)ll_l;
    /* Column of bits 64..127 of the product. */
    uint64_t c1 = hh_l, carry = 0;
    uint64_t mid = hl_l + lh_l;
    uint64_t mid_carry = mid < hl_l;
    mid += ll_h;
    mid_carry += mid < ll_h;
    (void)mid;
    /* Column of bits 128..191. */
    uint64_t c2 = c1 + hl_h;
    carry += c2 < c1;
    c1 = c2 + lh_h;
    carry += c1 < c2;
    c2 = c1 + mid_carry;
    carry += c2 < c1;
    uint64_t top = hh_h + carry;
    /* Product of two [1, 2) significands in [1, 4): bit 255 weighs 2^1. */
    int32_t exp = a.exp + b.exp + 1;
    uint64_t lo = c2;
    if (!(top & F80_J)) {
        top = (top << 1) | (lo >> 63);
        lo = (lo << 1) | (mid >> 63);
        exp--;
    }
    return F80W(sign, exp, top, lo);
}

struct f80w f80w_div(struct f80w a, struct f80w b)
{
    bool sign = a.sign != b.sign;
    if (f80w_is_zero(a))
        return F80W(sign, 0, 0, 0);

    int32_t exp = a.exp - b.exp;
    uint64_t rh = a.hi, rl = a.lo, qh = 0, ql = 0;
    bool top = false; /* bit 128 of the running remainder */
    if (rh < b.hi || (rh == b.hi && rl < b.lo)) {
        top = true; /* the remainder doubled: bit 127 moves to bit 128 */
        rh = (rh << 1) | (rl >> 63);
        rl <<= 1;
        exp--;
    }
    /* Restoring division, one quotient bit a step. */
    for (int i = 0; i < 128; i++) {
        qh = (qh << 1) | (ql >> 63);
        ql <<= 1;
        if (top || rh > b.hi || (rh == b.hi && rl >= b.lo)) {
            uint64_t borrow = rl < b.lo;
            rl -= b.lo;
            rh = rh - b.hi - borrow;
            ql |= 1;
        }
        top = rh >> 63;
        rh = (rh << 1) | (rl >> 63);
        rl <<= 1;
    }
    return F80W(sign, exp, qh, ql);
}

struct f80w f80w_div_small(struct f80w a, uint32_t n)
{
    /* Long division of hi:lo:0 in 32-bit digits by n: a 160-bit quotient
     * whose top 128 bits start within its first 32. */
    uint32_t digits[5] = { (uint32_t)(a.hi >> 32), (uint32_t)a.hi,
                           (uint32_t)(a.lo >> 32), (uint32_t)a.lo, 0 };
    uint64_t rem = 0, q[5];

    if (f80w_is_zero(a))
        return a;
    for (int i = 0; i < 5; i++) {
        uint64_t cur = (rem << 32) | digits[i];
        q[i] = cur / n;
        rem = cur % n;
    }
    uint64_t hi = (q[0] << 32) | q[1], mid = (q[2] << 32) | q[3];
    uint64_t low = q[4] << 32;
    /* a / n = (hi:mid:low) * 2^(a.exp - 127 - 64); hi >= 2^63 / n, so
     * at most 32 leading zeros to shift out. */
    int lz = f80i_clz64(hi);
    if (lz) {
        hi = (hi << lz) | (mid >> (64 - lz));
        mid = (mid << lz) | (low >> (64 - lz));
    }
    return F80W(a.sign, a.exp - lz, hi, mid);
}

float80 f80w_round(struct f80_env *env, struct f80w a, bool inexact)
{
    return f80i_round_pack(env, a.sign, a.exp, a.hi, a.lo | inexact,
                           F80_PC_64);
}
