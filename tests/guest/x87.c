/* x87: the FPU through guest code. Arithmetic in every operand form (m32,
 * m64, m16int, m32int, registers, the popping and reversed forms),
 * FPREM/FPREM1's quotient bits, FSCALE, FXTRACT, FRNDINT; the
 * transcendentals where their result is exact, and the constants in every
 * rounding mode; compares through
 * FNSTSW AX/SAHF and FCOMI/FUCOMI; FCMOVcc on every condition; loads and
 * stores of every format (m32, m64, m80, m16/m32/m64 integers, packed
 * BCD with its indefinite); FISTTP, an SSE3 instruction this P6 lacks,
 * is #UD with nothing changed (SDM vol. 2 FISTTP: #UD if
 * CPUID.01H:ECX.SSE3[bit 0] = 0); FXAM of each class; the control word's
 * precision and rounding; masked exceptions and their responses; stack
 * overflow and underflow (SF, C1, the indefinite); the FSAVE, FSTENV,
 * FLDENV, FRSTOR and FXSAVE/FXRSTOR images. The values are printed in
 * hex: 80-bit results as sign-exponent:significand, status words whole.
 * (Built without -mgeneral-regs-only: the x87 is used through asm only.)
 *
 * QEMU's x87 departs from the SDM here (x87.qemu-expected is its output;
 * x87.expected follows the SDM, and the host x87 agrees on each point in
 * tests/unit/test_fpu_diff.c): it leaves C1 clear after a result rounded
 * up (SDM vol. 1 8.1.3.1, Table 8-10 "rounded up"), raises no #D for a
 * denormal operand (8.5.2), leaves C0 C3 C1 out of FPREM1's quotient bits
 * (FPREM1 in vol. 2), detects no stack overflow or underflow (8.5.1.1:
 * IE and SF, C1, the indefinite), does not record FOP for FSTENV (8.1.9)
 * nor store it in the FXSAVE image (FXSAVE in vol. 2, bytes 6-7),
 * ignores the tag word FLDENV loads, and computes FSIN and FCOS of
 * operands of 2^63 and above, which the SDM leaves unchanged with C2 = 1
 * (FSIN, FCOS in vol. 2); and it executes FISTTP without SSE3 (x87.qemuargs
 * takes SSE3 away from its CPUID, so that only this line differs).
 *
 * Bochs (x87.bochs-expected) sets PE on FYL2X's exact 3*log2(8) = 9, which
 * is representable exactly: PE is for a result that is not (SDM vol. 1
 * 4.9.1.6, FYL2X in vol. 2: #P "value cannot be represented exactly"). */
#include "rt/rt.h"

struct f80 {
    uint32_t lo, hi;
    uint16_t se;
} __attribute__((packed));

static uint16_t cw_now = 0x037f;

static void show(const char *name, const struct f80 *r, uint16_t sw)
{
    rt_printf("%s: %04x:%08x%08x sw %04x\n", name, r->se, r->hi, r->lo, sw);
}

/* fninit; fldcw cw; `code`; fnstsw; fstp m80 (ST(0) printed); fninit.
 * RUN masks C0 C2 C3, which the SDM leaves undefined after arithmetic;
 * RUN_CC prints them (FPREM, FPREM1). */
#define RUN(name, code, ...) RUN_MASK(name, 0xbaff, code, __VA_ARGS__)
#define RUN_CC(name, code, ...) RUN_MASK(name, 0xffff, code, __VA_ARGS__)
#define RUN_MASK(name, mask, code, ...)                                        \
    do {                                                                       \
        uint16_t sw_;                                                          \
        struct f80 r_;                                                         \
        __asm__ volatile("fninit\n\tfldcw %[cwv]\n\t" code "\n\t"              \
                         "fnstsw %[sw]\n\tfstpt %[r]\n\tfninit"                \
                         : [sw] "=m"(sw_), [r] "=m"(r_)                        \
                         : [cwv] "m"(cw_now), ##__VA_ARGS__                     \
                         : "memory", "eax", "cc");                             \
        show(name, &r_, sw_ & (mask));                                         \
    } while (0)

static const int32_t i1 = 1, i2 = 2, i3 = 3, i10 = 10, im7 = -7;
static const int16_t s3 = 3, s5 = -5;
static const uint32_t f1_5 = 0x3fc00000u, fsnan = 0x7f800001u;
static const uint64_t d0_1 = 0x3fb999999999999aull, d1e300 = 0x7e37e43c8800759cull;
static const struct f80 tiny = { 0, 0x80000000u, 0x0001 }; /* 2^-16382 */
static const struct f80 denorm = { 1, 0, 0x0000 };
static const struct f80 unnormal = { 0, 0x40000000u, 0x3fff };
static const struct f80 qnan = { 0, 0xc0001234u, 0x7fff };
static const struct f80 pinf = { 0, 0x80000000u, 0x7fff };

static void arithmetic(void)
{
    rt_printf("-- arithmetic\n");
    RUN("1/3", "fildl %[a]\n\tfidivl %[b]", [a] "m"(i1), [b] "m"(i3));
    RUN("1.5f+10", "fildl %[a]\n\tfadds %[b]", [a] "m"(i10), [b] "m"(f1_5));
    RUN("10-0.1d", "fildl %[a]\n\tfsubl %[b]", [a] "m"(i10), [b] "m"(d0_1));
    RUN("0.1d-10 (fsubr m64)", "fildl %[a]\n\tfsubrl %[b]", [a] "m"(i10), [b] "m"(d0_1));
    RUN("10*-5 (fimul m16)", "fildl %[a]\n\tfimuls %[b]", [a] "m"(i10), [b] "m"(s5));
    RUN("3/10 (fidivr m16)", "fildl %[a]\n\tfidivrs %[b]", [a] "m"(i10), [b] "m"(s3));
    RUN("-7+10 (fiadd m32)", "fildl %[a]\n\tfiaddl %[b]", [a] "m"(im7), [b] "m"(i10));
    RUN("10-3 (fisub m32)", "fildl %[a]\n\tfisubl %[b]", [a] "m"(i10), [b] "m"(i3));
    RUN("3-10 (fisubr m32)", "fildl %[a]\n\tfisubrl %[b]", [a] "m"(i10), [b] "m"(i3));
    /* register forms by their encodings (Intel operand order) */
    RUN("fsub st0,st1 = 10-3", "fildl %[b]\n\tfildl %[a]\n\t.byte 0xd8,0xe1",
        [a] "m"(i10), [b] "m"(i3));
    RUN("fsubr st0,st1 = 3-10", "fildl %[b]\n\tfildl %[a]\n\t.byte 0xd8,0xe9",
        [a] "m"(i10), [b] "m"(i3));
    RUN("fsub st1,st0 = 3-10", "fildl %[b]\n\tfildl %[a]\n\t.byte 0xdc,0xe9\n\tfstp %%st(0)",
        [a] "m"(i10), [b] "m"(i3));
    RUN("fsubr st1,st0 = 10-3", "fildl %[b]\n\tfildl %[a]\n\t.byte 0xdc,0xe1\n\tfstp %%st(0)",
        [a] "m"(i10), [b] "m"(i3));
    RUN("fsubp st1 = 3-10", "fildl %[b]\n\tfildl %[a]\n\t.byte 0xde,0xe9",
        [a] "m"(i10), [b] "m"(i3));
    RUN("fsubrp st1 = 10-3", "fildl %[b]\n\tfildl %[a]\n\t.byte 0xde,0xe1",
        [a] "m"(i10), [b] "m"(i3));
    RUN("fdivp st1 = 3/10", "fildl %[b]\n\tfildl %[a]\n\t.byte 0xde,0xf9",
        [a] "m"(i10), [b] "m"(i3));
    RUN("fdivrp st1 = 10/3", "fildl %[b]\n\tfildl %[a]\n\t.byte 0xde,0xf1",
        [a] "m"(i10), [b] "m"(i3));
    RUN("faddp, fmulp", "fildl %[a]\n\tfildl %[b]\n\tfildl %[b]\n\t.byte 0xde,0xc1\n\t.byte 0xde,0xc9",
        [a] "m"(i10), [b] "m"(i3));
    RUN("fsqrt 2", "fildl %[a]\n\tfsqrt", [a] "m"(i2));
    RUN("fsqrt -2 (IE)", "fildl %[a]\n\tfchs\n\tfsqrt", [a] "m"(i2));
    RUN("fabs fchs", "fildl %[a]\n\tfabs\n\tfchs", [a] "m"(im7));
    RUN("1/0 (ZE)", "fldz\n\tfld1\n\t.byte 0xd8,0xf1", "m"(cw_now));
    RUN("0/0 (IE)", "fldz\n\tfldz\n\t.byte 0xd8,0xf1", "m"(cw_now));
    RUN("1e300^3 (in range in 80 bits)", "fldl %[a]\n\tfmull %[a]\n\tfmull %[a]", [a] "m"(d1e300));
    RUN("tiny/10 (UE)", "fldt %[a]\n\tfidivl %[b]", [a] "m"(tiny), [b] "m"(i10));
    RUN("denormal+1 (DE)", "fld1\n\tfldt %[a]\n\t.byte 0xd8,0xc1", [a] "m"(denorm));
    RUN("snan m32 + 1 (IE)", "fld1\n\tfadds %[a]", [a] "m"(fsnan));
    RUN("qnan + 1", "fld1\n\tfldt %[a]\n\t.byte 0xd8,0xc1", [a] "m"(qnan));
    RUN("unnormal + 1 (IE)", "fld1\n\tfldt %[a]\n\t.byte 0xd8,0xc1", [a] "m"(unnormal));
    RUN("inf - inf (IE)", "fldt %[a]\n\tfldt %[a]\n\t.byte 0xd8,0xe1", [a] "m"(pinf));
    RUN_CC("fprem 10,3", "fildl %[b]\n\tfildl %[a]\n\tfprem", [a] "m"(i10), [b] "m"(i3));
    RUN_CC("fprem -7,3", "fildl %[b]\n\tfildl %[a]\n\tfprem", [a] "m"(im7), [b] "m"(i3));
    RUN_CC("fprem1 10,3", "fildl %[b]\n\tfildl %[a]\n\tfprem1", [a] "m"(i10), [b] "m"(i3));
    RUN_CC("fprem1 -7,3", "fildl %[b]\n\tfildl %[a]\n\tfprem1", [a] "m"(im7), [b] "m"(i3));
    RUN("fscale 3*2^10", "fildl %[b]\n\tfildl %[a]\n\tfscale", [a] "m"(i3), [b] "m"(i10));
    RUN("fxtract 10: sig", "fildl %[a]\n\tfxtract", [a] "m"(i10));
    RUN("fxtract 10: exp", "fildl %[a]\n\tfxtract\n\tfstp %%st(0)", [a] "m"(i10));
    RUN("frndint 10/3", "fildl %[a]\n\tfidivl %[b]\n\tfrndint", [a] "m"(i10), [b] "m"(i3));
    RUN("fld1 fldz", "fld1\n\tfldz\n\tfaddp", "m"(cw_now));
    RUN("fxch", "fld1\n\tfldz\n\tfxch\n\tfstp %%st(0)", "m"(cw_now));
    RUN("fld st(1), fst st(2)", "fildl %[a]\n\tfldz\n\tfld1\n\tfld %%st(2)\n\tfst %%st(2)\n\tfstp %%st(0)\n\tfstp %%st(0)",
        [a] "m"(i10));
    RUN("fincstp/fdecstp", "fld1\n\tfincstp\n\tfdecstp", "m"(cw_now));
    RUN("ffree st0 then fld1", "fldz\n\tffree %%st(0)\n\tfld1", "m"(cw_now));
}

/* The transcendentals where the result is exact or a constant (QEMU
 * computes the others in host double precision), and the constants in
 * each rounding mode. */
static void transcendentals(void)
{
    static const int32_t i8 = 8, im1 = -1;
    static const struct f80 big = { 0, 0x80000000u, 0x403e }; /* 2^63 */
    static const char *const rcn[] = { "near", "down", "up", "zero" };
    rt_printf("-- transcendentals\n");
    RUN("fyl2x 3*log2(8)", "fildl %[y]\n\tfildl %[x]\n\tfyl2x", [x] "m"(i8), [y] "m"(i3));
    RUN("fyl2x log2(1)", "fildl %[y]\n\tfld1\n\tfyl2x", [y] "m"(i3));
    RUN("fyl2x log2(0) (ZE)", "fld1\n\tfldz\n\tfyl2x", "m"(cw_now));
    RUN("fyl2x log2(-1) (IE)", "fld1\n\tfildl %[x]\n\tfyl2x", [x] "m"(im1));
    RUN("fyl2xp1 0", "fld1\n\tfldz\n\tfyl2xp1", "m"(cw_now));
    RUN("f2xm1 0", "fldz\n\tf2xm1", "m"(cw_now));
    RUN("fsin 0", "fldz\n\tfsin", "m"(cw_now));
    RUN("fcos 0", "fldz\n\tfcos", "m"(cw_now));
    RUN("fptan 0: pushes 1", "fldz\n\tfptan", "m"(cw_now));
    RUN("fptan 0: tan", "fldz\n\tfptan\n\tfstp %%st(0)", "m"(cw_now));
    RUN("fsincos 0: cos", "fldz\n\tfsincos", "m"(cw_now));
    RUN("fsincos 0: sin", "fldz\n\tfsincos\n\tfstp %%st(0)", "m"(cw_now));
    RUN_CC("fsin 2^63: C2, unchanged", "fldt %[a]\n\tfsin", [a] "m"(big));
    RUN_CC("fcos 2^63: C2, unchanged", "fldt %[a]\n\tfcos", [a] "m"(big));
    RUN("fpatan(0, 1)", "fldz\n\tfld1\n\tfpatan", "m"(cw_now));
    RUN("fsin empty (IE SF)", "fsin", "m"(cw_now));
    for (int r = 0; r < 4; r++) {
        cw_now = (uint16_t)(0x037f | r << 10);
        rt_printf("rc %s\n", rcn[r]);
        RUN("  fldpi", "fldpi", "m"(cw_now));
        RUN("  fldl2e", "fldl2e", "m"(cw_now));
        RUN("  fldl2t", "fldl2t", "m"(cw_now));
        RUN("  fldlg2", "fldlg2", "m"(cw_now));
        RUN("  fldln2", "fldln2", "m"(cw_now));
    }
    cw_now = 0x037f;
}

static void precision_rounding(void)
{
    static const uint16_t pcs[] = { 0x007f, 0x027f, 0x037f };
    static const char *const pcn[] = { "pc24", "pc53", "pc64" };
    static const char *const rcn[] = { "near", "down", "up", "zero" };
    static const int32_t i25 = 25, im25 = -25;
    rt_printf("-- precision and rounding\n");
    for (int p = 0; p < 3; p++) {
        cw_now = pcs[p];
        RUN(pcn[p], "fildl %[a]\n\tfidivl %[b]", [a] "m"(i1), [b] "m"(i3));
    }
    for (int r = 0; r < 4; r++) {
        char name[24] = "2/3 rc ";
        for (int k = 0; rcn[r][k]; k++)
            name[7 + k] = rcn[r][k];
        cw_now = (uint16_t)(0x037f | r << 10);
        RUN(name, "fildl %[a]\n\tfidivl %[b]", [a] "m"(i2), [b] "m"(i3));
        RUN("  -2/3", "fildl %[a]\n\tfchs\n\tfidivl %[b]", [a] "m"(i2), [b] "m"(i3));
        RUN("  frndint 2.5", "fildl %[a]\n\tfidivl %[b]\n\tfrndint", [a] "m"(i25), [b] "m"(i10));
        RUN("  frndint -2.5", "fildl %[a]\n\tfidivl %[b]\n\tfrndint", [a] "m"(im25), [b] "m"(i10));
        int32_t out[2];
        uint16_t sw;
        __asm__ volatile("fninit\n\tfldcw %[cw]\n\t"
                         "fildl %[a]\n\tfidivl %[b]\n\tfistpl %[o0]\n\t"
                         "fildl %[m]\n\tfidivl %[b]\n\tfistpl %[o1]\n\t"
                         "fnstsw %[sw]\n\tfninit"
                         : [o0] "=m"(out[0]), [o1] "=m"(out[1]), [sw] "=m"(sw)
                         : [cw] "m"(cw_now), [a] "m"(i25), [m] "m"(im25), [b] "m"(i10)
                         : "memory");
        rt_printf("  fist 2.5 -2.5: %d %d sw %04x\n", out[0], out[1], sw);
    }
    cw_now = 0x037f;
}

/* FNSTSW AX; SAHF: C0 -> CF, C2 -> PF, C3 -> ZF. */
static uint32_t com_flags(void) { return rt_eflags() & (FL_CF | FL_PF | FL_ZF); }

static void compares(void)
{
    static const int32_t one = 1, two = 2;
    uint32_t fl;
    uint16_t sw;
    rt_printf("-- compares\n");
#define COM(name, code, ...)                                                   \
    __asm__ volatile("fninit\n\t" code "\n\tfnstsw %%ax\n\tmovw %%ax, %[sw]\n\t" \
                     "sahf\n\tfninit"                                          \
                     : [sw] "=m"(sw)                                           \
                     : __VA_ARGS__                                             \
                     : "memory", "eax", "cc");                                 \
    fl = com_flags();                                                          \
    rt_printf("%s: sw %04x sahf ", name, sw);                                  \
    rt_print_flags(fl, FL_CF | FL_PF | FL_ZF);                                 \
    rt_printf("\n")
    COM("fcom 1,2", "fildl %[b]\n\tfildl %[a]\n\tfcom %%st(1)", [a] "m"(one), [b] "m"(two));
    COM("fcom 2,1", "fildl %[b]\n\tfildl %[a]\n\tfcom %%st(1)", [a] "m"(two), [b] "m"(one));
    COM("fcom 1,1", "fildl %[b]\n\tfildl %[a]\n\tfcom %%st(1)", [a] "m"(one), [b] "m"(one));
    COM("fcom qnan (IE)", "fldt %[b]\n\tfildl %[a]\n\tfcom %%st(1)", [a] "m"(one), [b] "m"(qnan));
    COM("fucom qnan", "fldt %[b]\n\tfildl %[a]\n\tfucom %%st(1)", [a] "m"(one), [b] "m"(qnan));
    COM("fcomp m32 1.5", "fildl %[a]\n\tfcomps %[b]", [a] "m"(one), [b] "m"(f1_5));
    COM("fcom m64 0.1", "fildl %[a]\n\tfcoml %[b]", [a] "m"(one), [b] "m"(d0_1));
    COM("ficom m16 3", "fildl %[a]\n\tficoms %[b]", [a] "m"(i3), [b] "m"(s3));
    COM("ficomp m32 -7", "fildl %[a]\n\tficompl %[b]", [a] "m"(i3), [b] "m"(im7));
    COM("fcompp", "fildl %[b]\n\tfildl %[a]\n\tfcompp", [a] "m"(one), [b] "m"(two));
    COM("fucompp", "fildl %[b]\n\tfildl %[a]\n\tfucompp", [a] "m"(two), [b] "m"(one));
    COM("ftst -7", "fildl %[a]\n\tftst", [a] "m"(im7));
    COM("ftst 0", "fldz\n\tftst", "m"(one));
#undef COM
#define COMI(name, insn, a_, b_)                                               \
    __asm__ volatile("fninit\n\tfildl %[b]\n\tfildl %[a]\n\t" insn "\n\t"     \
                     "fnstsw %[sw]\n\tfninit"                                  \
                     : [sw] "=m"(sw)                                           \
                     : [a] "m"(a_), [b] "m"(b_)                                \
                     : "memory", "cc");                                        \
    fl = rt_eflags();                                                          \
    rt_printf("%s: sw %04x flags ", name, sw);                                 \
    rt_print_flags(fl, FL_ARITH);                                              \
    rt_printf("\n")
    COMI("fcomi 1,2", "fcomi %%st(1), %%st", one, two);
    COMI("fcomi 2,1", "fcomi %%st(1), %%st", two, one);
    COMI("fcomi 1,1", "fcomi %%st(1), %%st", one, one);
    COMI("fucomi 1,2", "fucomi %%st(1), %%st", one, two);
    COMI("fcomip 2,1", "fcomip %%st(1), %%st", two, one);
    COMI("fucomip 1,1", "fucomip %%st(1), %%st", one, one);
#undef COMI
    __asm__ volatile("fninit\n\tfldt %[n]\n\tfld1\n\tfucomi %%st(1), %%st\n\t"
                     "fnstsw %[sw]\n\tfninit"
                     : [sw] "=m"(sw) : [n] "m"(qnan) : "memory", "cc");
    fl = rt_eflags();
    rt_printf("fucomi qnan: sw %04x flags ", sw);
    rt_print_flags(fl, FL_ARITH);
    rt_printf("\n");
}

/* FCMOVcc ST(0), ST(1) with ST(0) = 1, ST(1) = 7, under each flag set:
 * 7 where the condition holds. */
#define FCMOV(name, bytes)                                                     \
    do {                                                                       \
        rt_printf("%s:", name);                                                \
        for (int s_ = 0; s_ < 4; s_++) {                                       \
            int32_t got_;                                                      \
            uint32_t f_ = flagsets[s_] | 2;                                    \
            __asm__ volatile("fninit\n\tfildl %[seven]\n\tfld1\n\t"            \
                             "pushl %[f]\n\tpopfl\n\t.byte " bytes "\n\t"       \
                             "fistpl %[got]\n\tfninit"                          \
                             : [got] "=m"(got_)                                \
                             : [seven] "m"(seven), [f] "r"(f_)                 \
                             : "memory", "cc");                                \
            rt_printf(" %d", got_);                                            \
        }                                                                      \
        rt_printf("\n");                                                       \
    } while (0)

static void fcmov(void)
{
    static const uint32_t flagsets[4] = { 0, FL_CF, FL_ZF, FL_PF };
    static const int32_t seven = 7;
    rt_printf("-- fcmovcc (flags none, CF, ZF, PF)\n");
    FCMOV("fcmovb", "0xda,0xc1");
    FCMOV("fcmove", "0xda,0xc9");
    FCMOV("fcmovbe", "0xda,0xd1");
    FCMOV("fcmovu", "0xda,0xd9");
    FCMOV("fcmovnb", "0xdb,0xc1");
    FCMOV("fcmovne", "0xdb,0xc9");
    FCMOV("fcmovnbe", "0xdb,0xd1");
    FCMOV("fcmovnu", "0xdb,0xd9");
}

static void dump(const char *name, const void *p, unsigned n, uint16_t sw)
{
    const uint8_t *b = p;
    rt_printf("%s:", name);
    for (unsigned i = 0; i < n; i++)
        rt_printf(" %02x", b[i]);
    rt_printf(" sw %04x\n", sw);
}

/* Store ST(0) = `load` through `store` into a buffer of n bytes
 * (pre-filled with 0xee) and print it. */
#define STORE(name, load, store, n, ...)                                       \
    do {                                                                       \
        uint8_t buf_[16];                                                      \
        uint16_t sw_;                                                          \
        memset(buf_, 0xee, sizeof(buf_));                                      \
        __asm__ volatile("fninit\n\tfldcw %[cwv]\n\t" load "\n\t" store       \
                         " %[o]\n\tfnstsw %[sw]\n\tfninit"                      \
                         : [o] "=m"(buf_), [sw] "=m"(sw_)                      \
                         : [cwv] "m"(cw_now), ##__VA_ARGS__                     \
                         : "memory");                                          \
        dump(name, buf_, n, sw_);                                              \
    } while (0)

static void formats(void)
{
    static const uint64_t d_third = 0x3fd5555555555555ull;
    static const uint32_t f_max = 0x7f7fffffu, f_den = 0x00000001u;
    static const int16_t w = -12345;
    static const int64_t q = -1234567890123456789ll;
    static const int32_t big = 2000000000, i100k = 100000;
    static const uint8_t bcd[10] = { 0x89, 0x67, 0x45, 0x23, 0x01, 0, 0, 0, 0, 0x80 };
    static const uint8_t bcd_max[10] = { 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0 };
    rt_printf("-- loads and stores\n");
    STORE("fld m32 1.5 -> fstp m80", "flds %[a]", "fstpt", 10, [a] "m"(f1_5));
    STORE("fld m32 max -> m80", "flds %[a]", "fstpt", 10, [a] "m"(f_max));
    STORE("fld m32 denormal -> m80", "flds %[a]", "fstpt", 10, [a] "m"(f_den));
    STORE("fld m32 snan -> m80", "flds %[a]", "fstpt", 10, [a] "m"(fsnan));
    STORE("fld m64 1/3 -> m32", "fldl %[a]", "fstps", 4, [a] "m"(d_third));
    STORE("fld m64 1/3 -> m64", "fldl %[a]", "fstpl", 8, [a] "m"(d_third));
    STORE("fst m64 keeps st0", "fldl %[a]\n\tfstl %[o]\n\tfldz\n\tfaddp", "fstpl", 8,
          [a] "m"(d_third));
    STORE("1/3 -> m32", "fildl %[a]\n\tfidivl %[b]", "fstps", 4, [a] "m"(i1), [b] "m"(i3));
    STORE("1/3 -> m64", "fildl %[a]\n\tfidivl %[b]", "fstpl", 8, [a] "m"(i1), [b] "m"(i3));
    STORE("1e300^2 -> m64 (OE)", "fldl %[a]\n\tfmull %[a]", "fstpl", 8, [a] "m"(d1e300));
    STORE("tiny -> m32 (UE)", "fldt %[a]", "fstps", 4, [a] "m"(tiny));
    STORE("qnan -> m32", "fldt %[a]", "fstps", 4, [a] "m"(qnan));
    STORE("fild m16 -> fistp m16", "filds %[a]", "fistps", 2, [a] "m"(w));
    STORE("fild m64 -> fistp m64", "fildll %[a]", "fistpll", 8, [a] "m"(q));
    STORE("fild m64 -> fstp m80", "fildll %[a]", "fstpt", 10, [a] "m"(q));
    STORE("2e9 -> fistp m16 (IE)", "fildl %[a]", "fistps", 2, [a] "m"(big));
    STORE("2e9 -> fist m32", "fildl %[a]\n\tfistl %[o]\n\tfldz\n\tfaddp", "fistpl", 4,
          [a] "m"(big));
    STORE("10/3 -> fistp m32", "fildl %[a]\n\tfidivl %[b]", "fistpl", 4, [a] "m"(i10), [b] "m"(i3));
    STORE("fbld -> fstp m80", "fbld %[a]", "fstpt", 10, [a] "m"(bcd));
    STORE("fbld -> fbstp", "fbld %[a]", "fbstp", 10, [a] "m"(bcd));
    STORE("fbld max -> fbstp", "fbld %[a]", "fbstp", 10, [a] "m"(bcd_max));
    STORE("100000/3 -> fbstp", "fildl %[a]\n\tfidivl %[b]", "fbstp", 10, [a] "m"(i100k), [b] "m"(i3));
    STORE("1e300 -> fbstp (IE)", "fldl %[a]", "fbstp", 10, [a] "m"(d1e300));
    STORE("empty -> fstp m64 (IE)", "", "fstpl", 8, "m"(i1));
    STORE("empty -> fistp m32 (IE)", "", "fistpl", 4, "m"(i1));
    STORE("empty -> fbstp (IE)", "", "fbstp", 10, "m"(i1));
}

/* FISTTP m16/m32/m64 (DF /1, DB /1, DD /1): #UD on a CPU without SSE3
 * (CPUID.01H:ECX.SSE3 = 0, checked first), before anything of the
 * instruction happens: the stack, the status word and the memory operand
 * stay as they were. The handler resumes after the instruction. */
static volatile uint32_t ud_vec, ud_eip, ud_resume;

static void ud_handler(struct rt_frame *f)
{
    ud_vec = f->vec;
    ud_eip = f->eip;
    f->eip = ud_resume;
}

#define FISTTP_UD(name, insn)                                                  \
    do {                                                                       \
        uint8_t buf_[8];                                                       \
        uint16_t sw_;                                                          \
        struct f80 r_;                                                         \
        uint32_t at_;                                                          \
        memset(buf_, 0xee, sizeof(buf_));                                      \
        ud_vec = 0xff;                                                         \
        __asm__ volatile("movl $1f, %[res]\n\tfninit\n\tfld1\n\t"           \
                         "movl $2f, %[at]\n"                                  \
                         "2:\t" insn " %[o]\n"                                  \
                         "1:\tfnstsw %[sw]\n\tfstpt %[r]\n\tfninit"            \
                         : [o] "=m"(buf_), [sw] "=m"(sw_), [r] "=m"(r_),      \
                           [res] "=m"(ud_resume), [at] "=&r"(at_)              \
                         :                                                     \
                         : "memory");                                          \
        rt_printf("%s: vector %u at %s, st0 %04x:%08x%08x sw %04x\n", name,   \
                  ud_vec, ud_eip == at_ ? "it" : "WRONG", r_.se, r_.hi, r_.lo, \
                  sw_);                                                        \
        dump("  its operand", buf_, sizeof(buf_), sw_);                        \
    } while (0)

static void fisttp(void)
{
    rt_printf("-- fisttp (SSE3): #UD\n");
    rt_set_handler(6, ud_handler);
    FISTTP_UD("fisttp m16", "fisttps");
    FISTTP_UD("fisttp m32", "fisttpl");
    FISTTP_UD("fisttp m64", "fisttpll");
    rt_set_handler(6, 0);
}

static void fxam(void)
{
    static const struct f80 pden = { 5, 0, 0x0000 }, nzero = { 0, 0, 0x8000 };
    static const struct f80 ninf = { 0, 0x80000000u, 0xffff };
    static const struct f80 snan = { 1, 0x80000000u, 0x7fff };
    static const struct f80 pseudo_den = { 0, 0x80000000u, 0x0000 };
    uint16_t sw;
    rt_printf("-- fxam (C3 C2 C1 C0)\n");
#define XAM(name, load, ...)                                                   \
    __asm__ volatile("fninit\n\t" load "\n\tfxam\n\tfnstsw %[sw]\n\tfninit"   \
                     : [sw] "=m"(sw) : __VA_ARGS__ : "memory");               \
    rt_printf("%s: %04x\n", name, sw & 0x4700)
    XAM("+normal", "fld1", "m"(sw));
    XAM("-normal", "fildl %[a]", [a] "m"(im7));
    XAM("-zero", "fldt %[a]", [a] "m"(nzero));
    XAM("+denormal", "fldt %[a]", [a] "m"(pden));
    XAM("pseudo-denormal", "fldt %[a]", [a] "m"(pseudo_den));
    XAM("-inf", "fldt %[a]", [a] "m"(ninf));
    XAM("qnan", "fldt %[a]", [a] "m"(qnan));
    XAM("snan", "fldt %[a]", [a] "m"(snan));
    XAM("unnormal", "fldt %[a]", [a] "m"(unnormal));
    XAM("empty", "fld1\n\tfstp %%st(0)", "m"(sw));
#undef XAM
}

static void stack_faults(void)
{
    rt_printf("-- stack overflow and underflow\n");
    RUN("9th push (IE SF C1=1)",
        "fld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfldz", "m"(cw_now));
    RUN("fadd with empty st1 (IE SF C1=0)", "fld1\n\t.byte 0xd8,0xc1", "m"(cw_now));
    RUN("fxch with empty st1", "fld1\n\tfxch %%st(1)", "m"(cw_now));
    uint16_t sw, tag_env[14];
    __asm__ volatile("fninit\n\tfld1\n\tfstp %%st(0)\n\tfstp %%st(0)\n\tfnstsw %[sw]\n\t"
                     "fnstenv %[env]\n\tfninit"
                     : [sw] "=m"(sw), [env] "=m"(tag_env) : : "memory");
    rt_printf("fstp of empty: sw %04x tag %04x\n", sw, tag_env[4]);
    /* unmasked IE: nothing pushed, ES and B set */
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\t"
                     "fld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\tfld1\n\t"
                     "fldz\n\tfnstsw %[sw]\n\tfnstenv %[env]\n\tfninit"
                     : [sw] "=m"(sw), [env] "=m"(tag_env)
                     : [cw] "m"((uint16_t){ 0x037e }) : "memory");
    rt_printf("unmasked overflow: sw %04x tag %04x\n", sw, tag_env[4]);
}

/* FNSTENV/FNSAVE images: CW SW TW, and the registers; FIP and FDP as
 * offsets from their instruction and operand, FOP. */
static uint8_t env_area[512] __attribute__((aligned(16)));

static void images(void)
{
    uint32_t *e32 = (uint32_t *)env_area;
    uint16_t *e16 = (uint16_t *)env_area;
    static const int32_t operand = 42;
    uint32_t fip_label, fdp_expect = (uint32_t)(uintptr_t)&operand;
    rt_printf("-- images\n");
    memset(env_area, 0xee, sizeof(env_area));
    __asm__ volatile("fninit\n\tfld1\n\tfldz\n"
                     "1:\tfiaddl %[op]\n\t"
                     "movl $1b, %[lab]\n\t"
                     "fnstenv %[env]\n\tfninit"
                     : [env] "=m"(env_area), [lab] "=m"(fip_label)
                     : [op] "m"(operand) : "memory");
    rt_printf("fnstenv 32: cw %04x sw %04x tw %04x fop %03x fip ok %u fdp ok %u\n",
              e32[0] & 0xffff, e32[1] & 0xffff, e32[2] & 0xffff, (e32[4] >> 16) & 0x7ff,
              e32[3] == fip_label, e32[5] == fdp_expect);
    memset(env_area, 0xee, sizeof(env_area));
    __asm__ volatile("fninit\n\tfld1\n\tfldz\n\tfldl %[d]\n\t"
                     "data16 fnstenv %[env]\n\tfninit"
                     : [env] "=m"(env_area) : [d] "m"(d1e300) : "memory");
    rt_printf("fnstenv 16: cw %04x sw %04x tw %04x\n", e16[0], e16[1], e16[2]);

    /* FNSAVE: environment then ST(0)..ST(7); FNINIT after */
    memset(env_area, 0xee, sizeof(env_area));
    uint16_t sw_after, cw_after;
    __asm__ volatile("fninit\n\tfildl %[a]\n\tfld1\n\tfldz\n\tfnsave %[img]\n\t"
                     "fnstsw %[sw]\n\tfnstcw %[cw]\n\tfninit"
                     : [img] "=m"(env_area), [sw] "=m"(sw_after), [cw] "=m"(cw_after)
                     : [a] "m"(im7) : "memory");
    rt_printf("fnsave: cw %04x sw %04x tw %04x; after: sw %04x cw %04x\n", e32[0] & 0xffff,
              e32[1] & 0xffff, e32[2] & 0xffff, sw_after, cw_after);
    for (int i = 0; i < 3; i++) {
        const uint8_t *r = env_area + 28 + 10 * i;
        rt_printf("  st%d: %02x%02x:%02x%02x%02x%02x%02x%02x%02x%02x\n", i, r[9], r[8], r[7],
                  r[6], r[5], r[4], r[3], r[2], r[1], r[0]);
    }
    /* FRSTOR the image with TOP moved to 5, RC changed and a tag word that
     * only says which registers are empty (R6 and R7 hold 1 and -7; R5 =
     * ST(0) is loaded but empty); FNSTENV computes the tags from contents */
    e32[1] = (e32[1] & ~0x3800u) | 0x2800u; /* TOP 5 */
    e32[0] = 0x0f7f;                        /* RC zero */
    e32[2] = 0xffff0000u | 0x0fff;          /* R6, R7 not empty */
    env_area[28 + 8] = 0x00, env_area[28 + 9] = 0x40; /* ST(0) = R5: 2^1 * 0.x */
    __asm__ volatile("frstor %[img]\n\tfnstenv %[env2]\n\t"
                     "fnstsw %%ax\n\tfninit"
                     : [env2] "=m"(env_area[256]) : [img] "m"(env_area) : "memory", "eax");
    const uint32_t *f2 = (const uint32_t *)(env_area + 256);
    rt_printf("frstor -> fnstenv: cw %04x sw %04x tw %04x\n", f2[0] & 0xffff, f2[1] & 0xffff,
              f2[2] & 0xffff);

    /* FLDENV: a new control word, TOP and tags; registers unchanged */
    uint32_t env[7] = { 0x037f, 0x1000 | 0x0001, 0xfff3, 0, 0, 0, 0 };
    uint16_t sw;
    int32_t got;
    __asm__ volatile("fninit\n\tfildl %[a]\n\tfldenv %[env]\n\tfnstsw %[sw]\n\t"
                     "fistpl %[got]\n\tfninit"
                     : [sw] "=m"(sw), [got] "=m"(got) : [env] "m"(env), [a] "m"(im7)
                     : "memory");
    rt_printf("fldenv TOP 2, R2 empty: sw %04x, st0 reads %d\n", sw, got);
    env[1] = 0x3800;          /* TOP 7 */
    env[2] = 0x3fff;          /* R7 not empty */
    __asm__ volatile("fninit\n\tfildl %[a]\n\tfldenv %[env]\n\tfnstsw %[sw]\n\t"
                     "fistpl %[got]\n\tfninit"
                     : [sw] "=m"(sw), [got] "=m"(got) : [env] "m"(env), [a] "m"(im7)
                     : "memory");
    rt_printf("fldenv TOP 7, R7 valid: sw %04x, st0 reads %d\n", sw, got);
}

static void fxsave_image(void)
{
    rt_printf("-- fxsave\n");
    uint32_t cr4;
    __asm__ volatile("movl %%cr4, %0\n\torl $0x200, %0\n\tmovl %0, %%cr4" : "=r"(cr4));
    memset(env_area, 0xee, sizeof(env_area));
    __asm__ volatile("fninit\n\tfildl %[a]\n\tfld1\n\tfldz\n\tfxsave %[img]\n\tfninit"
                     : [img] "=m"(env_area) : [a] "m"(im7) : "memory");
    uint16_t *w = (uint16_t *)env_area;
    rt_printf("fcw %04x fsw %04x ftw %02x fop %03x mxcsr %08x\n", w[0], w[1], env_area[4],
              w[3], *(uint32_t *)(env_area + 24));
    for (int i = 0; i < 3; i++) {
        const uint8_t *r = env_area + 32 + 16 * i;
        rt_printf("  st%d: %02x%02x:%02x%02x%02x%02x%02x%02x%02x%02x\n", i, r[9], r[8], r[7],
                  r[6], r[5], r[4], r[3], r[2], r[1], r[0]);
    }
    /* FXRSTOR with ST(0) = R5 replaced: 2 */
    env_area[32 + 8] = 0x00, env_area[32 + 9] = 0x40;
    env_area[32 + 7] = 0x80;
    env_area[32 + 0] = env_area[32 + 1] = env_area[32 + 2] = env_area[32 + 3] = 0;
    env_area[32 + 4] = env_area[32 + 5] = env_area[32 + 6] = 0;
    int32_t got[3];
    uint16_t sw;
    __asm__ volatile("fninit\n\tfxrstor %[img]\n\tfnstsw %[sw]\n\tfistpl %[g0]\n\t"
                     "fistpl %[g1]\n\tfistpl %[g2]\n\tfninit"
                     : [sw] "=m"(sw), [g0] "=m"(got[0]), [g1] "=m"(got[1]), [g2] "=m"(got[2])
                     : [img] "m"(env_area) : "memory");
    rt_printf("fxrstor: sw %04x st %d %d %d\n", sw, got[0], got[1], got[2]);
    uint8_t unaligned_ok = ((uintptr_t)env_area & 15) == 0;
    rt_printf("area aligned: %u\n", unaligned_ok);
}

int main(void)
{
    uint32_t a = 1, b, c, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
    rt_printf("cpuid.1 edx: fpu %u fxsr %u, ecx: sse3 %u\n", d & 1,
              (d >> 24) & 1, c & 1);
    arithmetic();
    transcendentals();
    precision_rounding();
    compares();
    fcmov();
    formats();
    fisttp();
    fxam();
    stack_faults();
    images();
    fxsave_image();
    rt_printf("x87 done\n");
    return 0;
}
