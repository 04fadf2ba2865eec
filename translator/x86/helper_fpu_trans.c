/*
 * helper_fpu_trans.c - the x87's transcendental instructions and its
 * constants (D9 E9-ED, D9 F0-F3, F9, FB, FE, FF): F2XM1, FYL2X, FYL2XP1,
 * FPTAN, FPATAN, FSIN, FCOS, FSINCOS, FLDL2T, FLDL2E, FLDPI, FLDLG2,
 * FLDLN2. The results come from base/float80_trans.c (see FLOAT80.md for
 * their accuracy); this file adds the stack: which registers they read,
 * replace, push or pop, the stack faults and the masked responses.
 */
#include "translator/x86/fpu_internal.h"

/* FLDL2T FLDL2E FLDPI FLDLG2 FLDLN2 (D9 E9-ED, SDM vol. 2 FLD1...). */
static void fpx_const(struct fpx *x, unsigned modrm)
{
    static const enum f80_constant which[] = {
        F80_CONST_L2T, F80_CONST_L2E, F80_CONST_PI,
        F80_CONST_LG2, F80_CONST_LN2,
    };
    float80 v = f80_const(&x->e, which[modrm - 0xe9]);
    fpx_acc(x);
    x->e.sw &= (uint16_t)~F80_C1;
    fpx_push(x, v);
}

/* F2XM1, FSIN, FCOS: ST(0) = f(ST(0)); FSIN and FCOS leave everything but
 * C2 = 1 alone for |ST(0)| >= 2^63. */
static void fpx_trans_unary(struct fpx *x, unsigned modrm)
{
    float80 r;
    if (fpu_empty(x->f, 0)) {
        if (modrm != 0xf0)
            x->e.sw &= (uint16_t)~F80_C2;
        if (fpx_underflow(x))
            fpu_st_set(x->f, 0, F80_INDEFINITE);
        return;
    }
    float80 a = fpu_st_get(x->f, 0);
    bool in_range = true;
    switch (modrm) {
    case 0xf0: r = f80_f2xm1(&x->e, a); break;
    case 0xfe: in_range = f80_sin(&x->e, a, &r); break;
    default: in_range = f80_cos(&x->e, a, &r); break; /* 0xff */
    }
    fpx_acc(x);
    if (!in_range || fpx_suppressed(x, false))
        return;
    fpu_st_set(x->f, 0, r);
}

/* FYL2X, FYL2XP1, FPATAN: ST(1) = f(ST(0), ST(1)), then pop. */
static void fpx_trans_binary(struct fpx *x, unsigned modrm)
{
    float80 r;
    if (fpu_empty(x->f, 0) || fpu_empty(x->f, 1)) {
        if (!fpx_underflow(x))
            return;
        r = F80_INDEFINITE;
    } else {
        float80 a = fpu_st_get(x->f, 0), b = fpu_st_get(x->f, 1);
        switch (modrm) {
        case 0xf1: r = f80_yl2x(&x->e, a, b); break;
        case 0xf9: r = f80_yl2xp1(&x->e, a, b); break;
        default: r = f80_atan(&x->e, b, a); break; /* 0xf3 */
        }
        fpx_acc(x);
        if (fpx_suppressed(x, false))
            return;
    }
    fpu_st_set(x->f, 1, r);
    fpu_pop(x->f);
}

/* FPTAN (ST(0) = tan, push 1.0) and FSINCOS (ST(0) = sin, push cos). A
 * stack fault's masked response is the indefinite in both places. */
static void fpx_trans_push(struct fpx *x, unsigned modrm)
{
    struct x87_state *f = x->f;
    float80 r, pushed;
    if (fpu_empty(f, 0) || !fpu_empty(f, 7)) {
        bool masked = fpu_empty(f, 0) ? fpx_underflow(x) : fpx_overflow(x);
        x->e.sw &= (uint16_t)~F80_C2;
        if (!masked)
            return;
        fpu_st_set(f, 0, F80_INDEFINITE);
        fpu_push(f, F80_INDEFINITE);
        return;
    }
    float80 a = fpu_st_get(f, 0);
    bool in_range;
    if (modrm == 0xf2) {
        in_range = f80_tan(&x->e, a, &r);
        /* a NaN result is pushed again (float80.h) */
        pushed = f80_is_nan(r) ? r : F80_ONE;
    } else {
        in_range = f80_sincos(&x->e, a, &r, &pushed);
    }
    fpx_acc(x);
    if (!in_range || fpx_suppressed(x, false))
        return;
    fpu_st_set(f, 0, r);
    fpu_push(f, pushed);
}

void fpu_trans_reg(struct fpx *x, unsigned modrm)
{
    switch (modrm) {
    case 0xe9:
    case 0xea:
    case 0xeb:
    case 0xec:
    case 0xed: fpx_const(x, modrm); return;
    case 0xf0:
    case 0xfe:
    case 0xff: fpx_trans_unary(x, modrm); return;
    case 0xf1:
    case 0xf3:
    case 0xf9: fpx_trans_binary(x, modrm); return;
    default: /* 0xf2 FPTAN, 0xfb FSINCOS */ fpx_trans_push(x, modrm); return;
    }
}
