/* shifts: SHL SHR SAR ROL ROR RCL RCR at 8, 16 and 32 bits, by CL with
 * counts 0, 1, width and above (the count is masked to 5 bits), and by
 * immediates (D0/D1 by one, C0/C1 by imm8).  Flags masked only where
 * SDM 2B says undefined:
 *   shifts: AF when count != 0; OF when count != 1; CF for SHL/SHR when
 *           count >= width;
 *   rotates: OF when the masked count != 1 (SF ZF AF PF are unaffected and
 *           are compared); a masked count of 0 changes no flag. */
#include "rt/ops.h"

#define DEF(op)                                 \
    OPCL(op##8, #op "b", uint8_t, "q")          \
    OPCL(op##16, #op "w", uint16_t, "r")        \
    OPCL(op##32, #op "l", uint32_t, "r")        \
    static uint32_t w_##op##8(uint32_t d, uint8_t c, uint32_t fi, uint32_t *fo) { return op##8(d, c, fi, fo); }   \
    static uint32_t w_##op##16(uint32_t d, uint8_t c, uint32_t fi, uint32_t *fo) { return op##16(d, c, fi, fo); } \
    static uint32_t w_##op##32(uint32_t d, uint8_t c, uint32_t fi, uint32_t *fo) { return op##32(d, c, fi, fo); }

DEF(shl) DEF(shr) DEF(sar) DEF(rol) DEF(ror) DEF(rcl) DEF(rcr)

typedef uint32_t (*sh_fn)(uint32_t d, uint8_t c, uint32_t fi, uint32_t *fo);

enum { K_SHL, K_SHR, K_SAR, K_ROT };

static const struct {
    const char *name;
    sh_fn fn[3];
    int kind;
} ops[] = {
    {"shl", {w_shl8, w_shl16, w_shl32}, K_SHL}, {"shr", {w_shr8, w_shr16, w_shr32}, K_SHR},
    {"sar", {w_sar8, w_sar16, w_sar32}, K_SAR}, {"rol", {w_rol8, w_rol16, w_rol32}, K_ROT},
    {"ror", {w_ror8, w_ror16, w_ror32}, K_ROT}, {"rcl", {w_rcl8, w_rcl16, w_rcl32}, K_ROT},
    {"rcr", {w_rcr8, w_rcr16, w_rcr32}, K_ROT},
};

static const uint8_t counts[] = {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 64, 255};

static uint32_t defined_mask(int kind, unsigned cnt, int bits)
{
    unsigned c = cnt & 31;
    uint32_t m = FL_ARITH;
    if (c == 0)
        return m;
    if (kind == K_ROT)
        return c == 1 ? m : m & ~FL_OF;
    m &= ~FL_AF;
    if (c != 1)
        m &= ~FL_OF;
    if ((kind == K_SHL || kind == K_SHR) && c >= (unsigned)bits)
        m &= ~FL_CF;
    return m;
}

static void test_cl(void)
{
    static const int widths[3] = {8, 16, 32};
    for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++)
        for (int w = 0; w < 3; w++) {
            int bits = widths[w];
            uint32_t m = bits == 32 ? 0xffffffffu : (1u << bits) - 1, h = RT_HASH_INIT;
            for (unsigned i = 0; i < OPS_NVALS; i++)
                for (unsigned c = 0; c < sizeof counts; c++)
                    for (int k = 0; k < 2; k++) {
                        uint32_t fo, r = ops[o].fn[w](ops_vals[i] & m, counts[c], ops_fin[k], &fo);
                        h = rt_hash(rt_hash(h, r & m), fo & defined_mask(ops[o].kind, counts[c], bits));
                    }
            rt_printf("%s%u cl hash=%08x\n", ops[o].name, bits, h);
            static const uint8_t sc[] = {0, 1, 4, 8, 9, 16, 17, 31, 32};
            for (unsigned c = 0; c < sizeof sc; c++) {
                uint32_t fo, v = 0x8a5c3e71u & m;
                uint32_t r = ops[o].fn[w](v, sc[c], ops_fin[c & 1], &fo);
                rt_printf("  %s%u %x,%u -> %x ", ops[o].name, bits, v, sc[c], r & m);
                rt_print_flags(fo, defined_mask(ops[o].kind, sc[c], bits));
                rt_putc('\n');
            }
        }
}

/* Immediate counts: by one (D0/D1 encodings) and by imm8 (C0/C1). */
OPIMM(shl32_1, "shll", uint32_t, "r", 1)
OPIMM(shr16_1, "shrw", uint16_t, "r", 1)
OPIMM(sar8_1, "sarb", uint8_t, "q", 1)
OPIMM(rol32_1, "roll", uint32_t, "r", 1)
OPIMM(ror8_1, "rorb", uint8_t, "q", 1)
OPIMM(rcl16_1, "rclw", uint16_t, "r", 1)
OPIMM(rcr32_1, "rcrl", uint32_t, "r", 1)
OPIMM(shl8_5, "shlb", uint8_t, "q", 5)
OPIMM(shr32_31, "shrl", uint32_t, "r", 31)
OPIMM(sar16_15, "sarw", uint16_t, "r", 15)
OPIMM(rol16_12, "rolw", uint16_t, "r", 12)
OPIMM(ror32_0, "rorl", uint32_t, "r", 0)
OPIMM(rcl8_9, "rclb", uint8_t, "q", 9)
OPIMM(rcr16_3, "rcrw", uint16_t, "r", 3)
OPIMM(sar32_40, "sarl", uint32_t, "r", 40)

#define SHOW_IMM(fn, v, fi, mask)                                   \
    do {                                                            \
        uint32_t fo, r = fn(v, fi, &fo);                            \
        rt_printf(#fn " %x -> %x ", (uint32_t)(v), (uint32_t)r);    \
        rt_print_flags(fo, mask);                                   \
        rt_putc('\n');                                              \
    } while (0)

static void test_imm(void)
{
    const uint32_t no_af_of = FL_ARITH & ~(FL_AF | FL_OF);
    SHOW_IMM(shl32_1, 0x80000001u, 0x2, FL_ARITH & ~FL_AF);
    SHOW_IMM(shl32_1, 0x40000000u, 0x2, FL_ARITH & ~FL_AF);
    SHOW_IMM(shr16_1, 0x8001, 0x2, FL_ARITH & ~FL_AF);
    SHOW_IMM(sar8_1, 0x81, 0x2, FL_ARITH & ~FL_AF);
    SHOW_IMM(rol32_1, 0x80000000u, 0x2, FL_ARITH);
    SHOW_IMM(rol32_1, 0x40000000u, 0x2 | FL_ARITH, FL_ARITH);
    SHOW_IMM(ror8_1, 0x01, 0x2, FL_ARITH);
    SHOW_IMM(rcl16_1, 0x8000, 0x2 | FL_CF, FL_ARITH);
    SHOW_IMM(rcr32_1, 0x00000001u, 0x2 | FL_CF, FL_ARITH);
    SHOW_IMM(shl8_5, 0x1f, 0x2, no_af_of);
    SHOW_IMM(shr32_31, 0x80000000u, 0x2, no_af_of);
    SHOW_IMM(sar16_15, 0x8000, 0x2, no_af_of);
    SHOW_IMM(rol16_12, 0x1234, 0x2, FL_ARITH & ~FL_OF);
    SHOW_IMM(ror32_0, 0x1234, 0x2 | FL_ARITH, FL_ARITH);
    SHOW_IMM(rcl8_9, 0x5a, 0x2 | FL_CF, FL_ARITH & ~FL_OF);
    SHOW_IMM(rcr16_3, 0x0007, 0x2, FL_ARITH & ~FL_OF);
    SHOW_IMM(sar32_40, 0x80000000u, 0x2, no_af_of);
}

static uint32_t mem32 = 0x80000001u;
static uint16_t mem16 = 0x4001;

static void test_mem(void)
{
    uint32_t f;
    uint8_t c = 4;
    __asm__ volatile("shll %%cl, %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem32), [f] "=r"(f) : "c"(c) : "cc");
    rt_printf("shl m32,cl 4 -> %x ", mem32);
    rt_print_flags(f, FL_ARITH & ~(FL_AF | FL_OF));
    rt_putc('\n');
    __asm__ volatile("rorw $1, %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem16), [f] "=r"(f) : : "cc");
    rt_printf("ror m16,1 -> %x ", mem16);
    rt_print_flags(f, FL_CF | FL_OF); /* the others keep unknown earlier values */
    rt_putc('\n');
    __asm__ volatile("sarl $3, %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem32), [f] "=r"(f) : : "cc");
    rt_printf("sar m32,3 -> %x ", mem32);
    rt_print_flags(f, FL_ARITH & ~(FL_AF | FL_OF));
    rt_putc('\n');
}

int main(void)
{
    test_cl();
    test_imm();
    test_mem();
    rt_puts("shifts done\n");
    return 0;
}
