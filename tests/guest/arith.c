/* arith: ADD ADC SUB SBB CMP NEG INC DEC at 8, 16 and 32 bits with every
 * arithmetic flag (all six are defined for these instructions, SDM 2A/2B),
 * over operand pairs from the limits of each size and both input CF values.
 * One hash line per operation and size, plus sample lines; then the
 * memory-destination and immediate encodings. */
#include "rt/ops.h"

OP2(add8, "addb", uint8_t, "q")
OP2(add16, "addw", uint16_t, "r")
OP2(add32, "addl", uint32_t, "r")
OP2(adc8, "adcb", uint8_t, "q")
OP2(adc16, "adcw", uint16_t, "r")
OP2(adc32, "adcl", uint32_t, "r")
OP2(sub8, "subb", uint8_t, "q")
OP2(sub16, "subw", uint16_t, "r")
OP2(sub32, "subl", uint32_t, "r")
OP2(sbb8, "sbbb", uint8_t, "q")
OP2(sbb16, "sbbw", uint16_t, "r")
OP2(sbb32, "sbbl", uint32_t, "r")
OP2(cmp8, "cmpb", uint8_t, "q")
OP2(cmp16, "cmpw", uint16_t, "r")
OP2(cmp32, "cmpl", uint32_t, "r")
OP1(neg8, "negb", uint8_t, "q")
OP1(neg16, "negw", uint16_t, "r")
OP1(neg32, "negl", uint32_t, "r")
OP1(inc8, "incb", uint8_t, "q")
OP1(inc16, "incw", uint16_t, "r")
OP1(inc32, "incl", uint32_t, "r")
OP1(dec8, "decb", uint8_t, "q")
OP1(dec16, "decw", uint16_t, "r")
OP1(dec32, "decl", uint32_t, "r")

typedef uint32_t (*bin_fn)(uint32_t d, uint32_t s, uint32_t fi, uint32_t *fo);
typedef uint32_t (*un_fn)(uint32_t d, uint32_t fi, uint32_t *fo);

#define WRAP2(n)                                                                   \
    static uint32_t w_##n(uint32_t d, uint32_t s, uint32_t fi, uint32_t *fo)       \
    {                                                                              \
        return n(d, s, fi, fo);                                                    \
    }
#define WRAP1(n)                                                                   \
    static uint32_t w_##n(uint32_t d, uint32_t fi, uint32_t *fo)                   \
    {                                                                              \
        return n(d, fi, fo);                                                       \
    }
WRAP2(add8) WRAP2(add16) WRAP2(add32) WRAP2(adc8) WRAP2(adc16) WRAP2(adc32)
WRAP2(sub8) WRAP2(sub16) WRAP2(sub32) WRAP2(sbb8) WRAP2(sbb16) WRAP2(sbb32)
WRAP2(cmp8) WRAP2(cmp16) WRAP2(cmp32)
WRAP1(neg8) WRAP1(neg16) WRAP1(neg32) WRAP1(inc8) WRAP1(inc16) WRAP1(inc32)
WRAP1(dec8) WRAP1(dec16) WRAP1(dec32)

static const struct {
    const char *name;
    bin_fn fn;
    int bits;
} bins[] = {
    {"add", w_add8, 8}, {"add", w_add16, 16}, {"add", w_add32, 32},
    {"adc", w_adc8, 8}, {"adc", w_adc16, 16}, {"adc", w_adc32, 32},
    {"sub", w_sub8, 8}, {"sub", w_sub16, 16}, {"sub", w_sub32, 32},
    {"sbb", w_sbb8, 8}, {"sbb", w_sbb16, 16}, {"sbb", w_sbb32, 32},
    {"cmp", w_cmp8, 8}, {"cmp", w_cmp16, 16}, {"cmp", w_cmp32, 32},
};

static const struct {
    const char *name;
    un_fn fn;
    int bits;
} uns[] = {
    {"neg", w_neg8, 8}, {"neg", w_neg16, 16}, {"neg", w_neg32, 32},
    {"inc", w_inc8, 8}, {"inc", w_inc16, 16}, {"inc", w_inc32, 32},
    {"dec", w_dec8, 8}, {"dec", w_dec16, 16}, {"dec", w_dec32, 32},
};

static uint32_t mask_of(int bits)
{
    return bits == 32 ? 0xffffffffu : (1u << bits) - 1;
}

/* Operand pairs printed one per line for every operation. */
static const uint32_t samples[][2] = {
    {0x7f, 0x01}, {0x80, 0xff}, {0xff, 0x01}, {0x7fff, 0x0001}, {0x8000, 0x8000},
    {0x7fffffff, 0x00000001}, {0x80000000, 0x00000001}, {0x00000000, 0xffffffff},
};

static void test_bins(void)
{
    for (unsigned o = 0; o < sizeof bins / sizeof bins[0]; o++) {
        uint32_t m = mask_of(bins[o].bits), h = RT_HASH_INIT;
        for (unsigned i = 0; i < OPS_NVALS; i++)
            for (unsigned j = 0; j < OPS_NVALS; j++)
                for (int k = 0; k < 2; k++) {
                    uint32_t fo, r = bins[o].fn(ops_vals[i] & m, ops_vals[j] & m, ops_fin[k], &fo);
                    h = rt_hash(h, r & m);
                    h = rt_hash(h, fo & FL_ARITH);
                }
        rt_printf("%s%u hash=%08x\n", bins[o].name, bins[o].bits, h);
        for (unsigned s = 0; s < sizeof samples / sizeof samples[0]; s++)
            for (int k = 0; k < 2; k++) {
                uint32_t fo, a = samples[s][0] & m, b = samples[s][1] & m;
                uint32_t r = bins[o].fn(a, b, ops_fin[k], &fo);
                rt_printf("  %s%u %x,%x cf=%u -> %x ", bins[o].name, bins[o].bits, a, b, k, r & m);
                rt_print_flags(fo, FL_ARITH);
                rt_putc('\n');
            }
    }
}

static void test_uns(void)
{
    for (unsigned o = 0; o < sizeof uns / sizeof uns[0]; o++) {
        uint32_t m = mask_of(uns[o].bits), h = RT_HASH_INIT;
        for (unsigned i = 0; i < OPS_NVALS; i++)
            for (int k = 0; k < 2; k++) {
                uint32_t fo, r = uns[o].fn(ops_vals[i] & m, ops_fin[k], &fo);
                h = rt_hash(h, r & m);
                h = rt_hash(h, fo & FL_ARITH);
            }
        rt_printf("%s%u hash=%08x\n", uns[o].name, uns[o].bits, h);
        static const uint32_t us[] = {0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0x7fffffff, 0x80000000, 0xffffffff};
        for (unsigned s = 0; s < sizeof us / sizeof us[0]; s++) {
            uint32_t fo, a = us[s] & m;
            uint32_t r = uns[o].fn(a, ops_fin[1], &fo);
            rt_printf("  %s%u %x -> %x ", uns[o].name, uns[o].bits, a, r & m);
            rt_print_flags(fo, FL_ARITH);
            rt_putc('\n');
        }
    }
}

/* Memory destinations and the immediate encodings (04/05, 80/81/83, 66 05). */
static uint32_t mem32;
static uint16_t mem16;
static uint8_t mem8;

static void show(const char *what, uint32_t v, uint32_t f)
{
    rt_printf("%s -> %x ", what, v);
    rt_print_flags(f, FL_ARITH);
    rt_putc('\n');
}

static void test_forms(void)
{
    uint32_t f, a;

    mem32 = 0xfffffff0;
    __asm__ volatile("addl $0x20, %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem32), [f] "=r"(f) : : "cc");
    show("add m32,imm8(83)", mem32, f);
    mem32 = 0x7ffffff0;
    __asm__ volatile("addl $0x12345, %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem32), [f] "=r"(f) : : "cc");
    show("add m32,imm32(81)", mem32, f);
    mem16 = 0x7ff0;
    __asm__ volatile("subw $-0x20, %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem16), [f] "=r"(f) : : "cc");
    show("sub m16,imm8(66 83)", mem16, f);
    mem8 = 0x80;
    __asm__ volatile("stc\n\tsbbb $1, %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem8), [f] "=r"(f) : : "cc");
    show("sbb m8,imm8(80)", mem8, f);
    a = 0xffffffff;
    __asm__ volatile("addl $1, %%eax\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=r"(f) : : "cc");
    show("add eax,imm(05/83)", a, f);
    a = 0x1234ffff;
    __asm__ volatile(".byte 0x66, 0x05, 0x01, 0x00\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=r"(f) : : "cc");
    show("add ax,imm16(66 05)", a, f);
    a = 0x123456ff;
    __asm__ volatile(".byte 0x04, 0x01\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=r"(f) : : "cc");
    show("add al,imm8(04)", a, f);
    a = 0x12340000;
    __asm__ volatile(".byte 0x2c, 0x01\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=r"(f) : : "cc");
    show("sub al,imm8(2c)", a, f);
    a = 0x0000ff00;
    __asm__ volatile(".byte 0x80, 0xc4, 0x01\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=r"(f) : : "cc");
    show("add ah,imm8(80 c4)", a, f);
    mem32 = 5;
    a = 7;
    __asm__ volatile("cmpl %[m], %[a]\n\tpushfl\n\tpopl %[f]" : [f] "=r"(f) : [m] "m"(mem32), [a] "r"(a) : "cc");
    show("cmp r32,m32 7,5", a, f);
    mem32 = 0x80000000;
    __asm__ volatile("negl %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem32), [f] "=r"(f) : : "cc");
    show("neg m32 80000000", mem32, f);
    mem8 = 0x7f;
    __asm__ volatile("stc\n\tincb %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem8), [f] "=r"(f) : : "cc");
    show("inc m8 7f (cf kept)", mem8, f);
    mem16 = 0x8000;
    __asm__ volatile("clc\n\tdecw %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem16), [f] "=r"(f) : : "cc");
    show("dec m16 8000", mem16, f);
    mem32 = 0xffffffff;
    a = 1;
    __asm__ volatile("stc\n\tadcl %[a], %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem32), [f] "=r"(f) : [a] "r"(a) : "cc");
    show("adc m32,r32 ffffffff+1+1", mem32, f);
    /* INC/DEC one-byte forms 40+r / 48+r and their 66 variants (REX
     * prefixes in 64-bit mode: not in hostcheck.sh's 64-bit build) */
#ifndef __x86_64__
    a = 0x0001ffff;
    __asm__ volatile(".byte 0x66, 0x40\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=r"(f) : : "cc");
    show("inc ax(66 40) 1ffff", a, f);
    a = 0;
    __asm__ volatile(".byte 0x48\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=r"(f) : : "cc");
    show("dec eax(48) 0", a, f);
#endif
}

int main(void)
{
    test_bins();
    test_uns();
    test_forms();
    rt_puts("arith done\n");
    return 0;
}
