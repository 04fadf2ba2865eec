/*
 * float80.h - x87 80-bit extended-precision arithmetic in integer code.
 *
 * The x87 model (translator/x86) computes every guest floating-point result
 * here, so a guest sees the same bits and the same status word on any host:
 * no host `long double`, no host FPU, only 64-bit integer arithmetic.
 *
 * Register format (SDM vol. 1 4.2.2, Figure 4-3):
 *
 *    79  78       64 63 62                                     0
 *   +---+-----------+--+----------------------------------------+
 *   | S | exponent  |J |              fraction                  |
 *   +---+-----------+--+----------------------------------------+
 *        se (16 bits)        mant (64 bits, J = explicit integer bit)
 *
 * Operand classes (SDM vol. 1 8.2.2, Table 8-3):
 *   exponent 0,      J=0: zero (fraction 0) or denormal
 *   exponent 0,      J=1: pseudo-denormal (read as exponent 1; #D)
 *   exponent 1..7FFE J=0: unnormal           (unsupported: #IA)
 *   exponent 7FFF,   J=0: pseudo-inf/-NaN    (unsupported: #IA)
 *   exponent 7FFF,   J=1: infinity (fraction 0), SNaN (bit 62 clear) or
 *                         QNaN (bit 62 set)
 *
 * Every operation takes a struct f80_env: the guest's control word (masks,
 * precision control, rounding control) and its status word. It ORs the
 * exceptions it raises into sw (sticky, as the x87's IE..PE bits are) and
 * also reports them alone in `raised`. Condition codes are written only by
 * the operations that define them (see each function).
 *
 * Masked exceptions get the x87's masked response built in (indefinite,
 * signed infinity, denormal result ...). An unmasked exception is pending
 * when f80_unmasked(env) is non-zero; the caller then sets ES/B and raises
 * #MF at the next waiting instruction (SDM vol. 1 8.7). What happened to
 * the result depends on the exception (SDM vol. 1 8.5):
 *   IE, DE, ZE   the instruction must not write its destination (and must
 *                not pop): f80_result_suppressed(env) says so. After an
 *                unmasked #D the operation stops, raising nothing more
 *                (except compares: the x87 still sets C3 C2 C0).
 *   OE, UE       register destination: the returned value is the rounded
 *                result with its exponent biased by -/+24576 (8.5.4, 8.5.5),
 *                to be stored. Memory destination (f80_to_f32/f64/int):
 *                nothing may be stored; f80_result_suppressed() is true.
 *   PE           the rounded result is stored as usual.
 */
#ifndef BASE_FLOAT80_H
#define BASE_FLOAT80_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    uint64_t mant; /* significand, bit 63 = explicit integer bit J */
    uint16_t se;   /* bit 15 sign, bits 14-0 biased exponent (bias 16383) */
} float80;

#define F80_BIAS 16383
#define F80_EXP_MAX 0x7fff
#define F80_SIGN 0x8000
#define F80_J (1ULL << 63)
#define F80_QUIET (1ULL << 62)

/* Exponent adjustment of the unmasked OE/UE response (SDM vol. 1 8.5.4). */
#define F80_BIAS_ADJUST 24576

/* Control word (SDM vol. 1 8.1.5, Figure 8-6):
 *   bits 0-5   exception masks IM DM ZM OM UM PM (same bits as the flags)
 *   bits 8-9   precision control: 00 24-bit, 10 53-bit, 11 64-bit
 *   bits 10-11 rounding control: 00 nearest-even, 01 down, 10 up, 11 zero */
#define F80_CW_PC_SHIFT 8
#define F80_CW_RC_SHIFT 10
enum { F80_PC_24 = 0, F80_PC_53 = 2, F80_PC_64 = 3 };
enum { F80_RC_NEAREST = 0, F80_RC_DOWN = 1, F80_RC_UP = 2, F80_RC_ZERO = 3 };
#define F80_CW_DEFAULT 0x037f /* FNINIT: all masked, 64-bit, nearest */

/* Status word bits (SDM vol. 1 8.1.3, Figure 8-4). */
#define F80_IE 0x0001 /* invalid operation */
#define F80_DE 0x0002 /* denormal operand */
#define F80_ZE 0x0004 /* zero divide */
#define F80_OE 0x0008 /* overflow */
#define F80_UE 0x0010 /* underflow */
#define F80_PE 0x0020 /* precision (inexact) */
#define F80_SF 0x0040 /* stack fault (set by the FPU model, not here) */
#define F80_ES 0x0080 /* error summary */
#define F80_C0 0x0100
#define F80_C1 0x0200
#define F80_C2 0x0400
#define F80_C3 0x4000
#define F80_EXC_MASK 0x003f
#define F80_CC_MASK (F80_C0 | F80_C1 | F80_C2 | F80_C3)

struct f80_env {
    uint16_t cw;     /* in: the control word */
    uint16_t sw;     /* in/out: the status word */
    uint16_t raised; /* out: exception bits raised by the last operation */
};

static inline unsigned f80_pc(const struct f80_env *e)
{
    return (e->cw >> F80_CW_PC_SHIFT) & 3;
}
static inline unsigned f80_rc(const struct f80_env *e)
{
    return (e->cw >> F80_CW_RC_SHIFT) & 3;
}
/* The exceptions of the last operation whose masks are clear. */
static inline unsigned f80_unmasked(const struct f80_env *e)
{
    return e->raised & ~e->cw & F80_EXC_MASK;
}

/* Constants. */
#define F80_MAKE(se_, mant_) ((float80){ .mant = (mant_), .se = (se_) })
/* The real indefinite, the masked response to an invalid operation. */
#define F80_INDEFINITE F80_MAKE(0xffff, 0xc000000000000000ULL)
#define F80_ZERO F80_MAKE(0, 0)
#define F80_ONE F80_MAKE(0x3fff, F80_J)

/* Classification (SDM vol. 1 8.2.2; FXAM's classes). */
enum f80_class {
    F80_CLASS_ZERO,
    F80_CLASS_DENORMAL, /* including pseudo-denormals */
    F80_CLASS_NORMAL,
    F80_CLASS_INF,
    F80_CLASS_QNAN,
    F80_CLASS_SNAN,
    F80_CLASS_UNSUPPORTED, /* unnormal, pseudo-infinity, pseudo-NaN */
};
enum f80_class f80_classify(float80 a);
static inline bool f80_sign(float80 a) { return a.se >> 15; }
static inline unsigned f80_exp(float80 a) { return a.se & F80_EXP_MAX; }
static inline bool f80_is_nan(float80 a)
{
    enum f80_class c = f80_classify(a);
    return c == F80_CLASS_QNAN || c == F80_CLASS_SNAN;
}
static inline bool f80_eq_bits(float80 a, float80 b)
{
    return a.mant == b.mant && a.se == b.se;
}

/* Arithmetic: rounded to the precision control (PC) and the rounding
 * control (RC) of env->cw (SDM vol. 1 8.1.5.2: PC applies to exactly these
 * five and their integer/memory forms). C1 = 1 when the result was rounded
 * up in magnitude, else 0. The SUBR/DIVR forms are these with swapped
 * operands. */
float80 f80_add(struct f80_env *env, float80 a, float80 b);
float80 f80_sub(struct f80_env *env, float80 a, float80 b);
float80 f80_mul(struct f80_env *env, float80 a, float80 b);
float80 f80_div(struct f80_env *env, float80 a, float80 b);
float80 f80_sqrt(struct f80_env *env, float80 a);

/* FPREM (truncating quotient) and FPREM1 (IEEE, nearest quotient) of
 * a = ST(0) by b = ST(1). Complete: C2 = 0 and C0, C3, C1 = quotient bits
 * 2, 1, 0. Partial (exponent difference >= 64): C2 = 1. Exact; RC and PC
 * do not apply. */
float80 f80_prem(struct f80_env *env, float80 a, float80 b);
float80 f80_prem1(struct f80_env *env, float80 a, float80 b);

/* FRNDINT: a rounded to an integer by RC (not PC). C1 = rounded up. */
float80 f80_rndint(struct f80_env *env, float80 a);
/* FSCALE: a * 2^trunc(b), rounded to 64 bits by RC. C1 = rounded up. */
float80 f80_scale(struct f80_env *env, float80 a, float80 b);
/* FXTRACT: a = *sig * 2^*exp with 1 <= |*sig| < 2. ST(1) receives *exp,
 * ST(0) *sig. C1 = 0. */
void f80_xtract(struct f80_env *env, float80 a, float80 *exp, float80 *sig);

/* Compare a = ST(0) with b (FCOM, FUCOM, FTST with b = +0, FCOMI ...).
 * quiet: the FUCOM forms, IE only for SNaNs (and unsupported formats);
 * otherwise any NaN raises IE. Sets C3 C2 C0 (000 >, 001 <, 100 =,
 * 111 unordered) and clears C1. FCOMI's ZF PF CF are C3 C2 C0. */
enum f80_relation { F80_GREATER, F80_LESS, F80_EQUAL, F80_UNORDERED };
enum f80_relation f80_compare(struct f80_env *env, float80 a, float80 b,
                              bool quiet);

/* FXAM: sets C3 C2 C0 to the class (000 unsupported, 001 NaN, 010 normal,
 * 011 infinity, 100 zero, 101 empty, 110 denormal) and C1 to the sign.
 * empty: the register's tag says empty. Raises nothing. */
void f80_xam(struct f80_env *env, float80 a, bool empty);

/* FCHS, FABS: sign only, no exceptions even for NaNs. */
static inline float80 f80_chs(float80 a)
{
    a.se ^= F80_SIGN;
    return a;
}
static inline float80 f80_abs(float80 a)
{
    a.se &= ~F80_SIGN;
    return a;
}

/* Conversions (float80_conv.c). Loads are exact and raise nothing but
 * IE for an SNaN and DE for a denormal source (FLD m32/m64). Stores round
 * by RC (not PC); C1 = rounded up. The store forms are memory
 * destinations: on an unmasked OE/UE/IE nothing may be stored. */
float80 f80_from_i64(int64_t v); /* FILD m16/m32/m64: exact */
int16_t f80_to_i16(struct f80_env *env, float80 a, bool truncate);
int32_t f80_to_i32(struct f80_env *env, float80 a, bool truncate);
int64_t f80_to_i64(struct f80_env *env, float80 a, bool truncate);
/* (truncate: FISTTP, rounds toward zero whatever RC says.) */
float80 f80_from_f32(struct f80_env *env, uint32_t bits);
float80 f80_from_f64(struct f80_env *env, uint64_t bits);
uint32_t f80_to_f32(struct f80_env *env, float80 a);
uint64_t f80_to_f64(struct f80_env *env, float80 a);
/* Packed BCD (SDM vol. 1 4.7, Figure 4-10): 18 digits in bytes 0-8, two a
 * byte with the less significant digit in the low nibble; the sign in bit
 * 7 of byte 9. FBLD is exact; FBSTP rounds by RC and stores the packed BCD
 * indefinite (FF FF C0 00 ... from byte 9 down) on IE. */
float80 f80_from_bcd(const uint8_t bcd[10]);
void f80_to_bcd(struct f80_env *env, float80 a, uint8_t bcd[10]);

/*
 * Transcendentals and constants (float80_trans.c, float80_trig.c; the
 * series run in a 128-bit format, float80_wide.c). Precision control does
 * not apply; the result is rounded to 64 bits by RC and C1 = 1 when it was
 * rounded up in magnitude (SDM vol. 1 8.3.10, 8.1.5.2). Results are
 * correctly rounded but for values within about 2^-50 ulp of a rounding
 * boundary (the x87 itself is within 1 ulp, SDM vol. 1 8.3.10).
 */

/* The constants of FLDPI, FLDL2E, FLDL2T, FLDLG2 and FLDLN2. */
enum f80_constant {
    F80_CONST_PI,
    F80_CONST_L2E,
    F80_CONST_L2T,
    F80_CONST_LG2,
    F80_CONST_LN2
};
/* FLDPI etc.: the x87's 66-bit internal constant rounded to 64 bits by RC
 * (SDM vol. 1 8.3.8). Raises nothing and clears C1: for these C1 is only
 * the stack overflow indicator (SDM vol. 2 FLD1/FLDL2T/...), which the
 * FPU model sets. */
float80 f80_const(struct f80_env *env, enum f80_constant which);
/* F2XM1: 2^a - 1 for -1 <= a <= 1 (SDM vol. 2 F2XM1). Outside that range
 * the result is undefined; the x87 returns a itself, inexact, and so does
 * this. */
float80 f80_f2xm1(struct f80_env *env, float80 a);
/* FYL2X: y * log2(x), y = ST(1), x = ST(0) (SDM vol. 2, Table 3-48). */
float80 f80_yl2x(struct f80_env *env, float80 x, float80 y);
/* FYL2XP1: y * log2(x + 1), y = ST(1), x = ST(0), for
 * |x| < 1 - sqrt(2)/2 (Table 3-49); beyond, what the x87 does (see
 * float80_trans.c). */
float80 f80_yl2xp1(struct f80_env *env, float80 x, float80 y);
/* FPTAN: false when |a| >= 2^63 (C2 = 1, C1 = 0, nothing changes); else
 * C2 = 0 and *res = tan(a). The caller then pushes 1.0, except when *res
 * is a NaN (a NaN operand, or the masked response to an invalid one):
 * the x87 pushes that NaN a second time (observed). */
bool f80_tan(struct f80_env *env, float80 a, float80 *res);
/* FPATAN: atan2(y = ST(1), x = ST(0)) with the special cases of SDM
 * vol. 2 FPATAN, Table 3-29 (no exception for 0/0 or inf/inf). */
float80 f80_atan(struct f80_env *env, float80 y, float80 x);
/* FSIN: false when |a| >= 2^63 (C2 = 1, C1 = 0, nothing changes); else
 * C2 = 0 and *res = sin(a). The argument is reduced with the x87's 66-bit
 * pi, as the hardware does. */
bool f80_sin(struct f80_env *env, float80 a, float80 *res);
/* FCOS: as f80_sin, *res = cos(a). */
bool f80_cos(struct f80_env *env, float80 a, float80 *res);
/* FSINCOS: as f80_sin, *s = sin(a) and *c = cos(a) (the caller replaces
 * ST(0) by s and pushes c; for a NaN result both are that NaN). C1 tells
 * the sine's rounding, as on the x87; PE is raised for either. */
bool f80_sincos(struct f80_env *env, float80 a, float80 *s, float80 *c);

/* True when the destination must be left unchanged (see the top of this
 * file): an unmasked IE, DE or ZE, or for the memory-destination stores
 * an unmasked OE or UE as well. */
static inline bool f80_result_suppressed(const struct f80_env *e,
                                         bool memory_dest)
{
    unsigned bad = F80_IE | F80_DE | F80_ZE;
    if (memory_dest)
        bad |= F80_OE | F80_UE;
    return (f80_unmasked(e) & bad) != 0;
}

#endif
