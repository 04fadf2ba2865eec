/* shld_shrd: SHLD and SHRD at 16 and 32 bits, by CL and by imm8, counts 0,
 * 1, width and above.  SDM 2B: the count is masked to 5 bits; a count of 0
 * changes nothing; AF is undefined; OF is undefined unless the count is 1;
 * for a 16-bit operand a count above 16 leaves the result and the flags
 * undefined, so those cases are not compared. */
#include "rt/ops.h"

#define DEF3(name, insn, T)                                                                      \
    static uint32_t name(uint32_t d32, uint32_t s32, uint8_t cnt, uint32_t fi, uint32_t *fo)    \
    {                                                                                            \
        T d = (T)d32, s = (T)s32;                                                                \
        uint32_t f;                                                                              \
        __asm__("pushl %[fi]\n\tpopfl\n\t" insn " %%cl, %[s], %[d]\n\tpushfl\n\tpopl %[f]"       \
                : [d] "+r"(d), [f] "=&r"(f)                                                      \
                : [s] "r"(s), "c"(cnt), [fi] "r"(fi)                                             \
                : "cc");                                                                         \
        *fo = f;                                                                                 \
        return d;                                                                                \
    }

DEF3(shld16, "shldw", uint16_t)
DEF3(shld32, "shldl", uint32_t)
DEF3(shrd16, "shrdw", uint16_t)
DEF3(shrd32, "shrdl", uint32_t)

static const uint8_t counts[] = {0, 1, 2, 4, 8, 15, 16, 17, 24, 31, 32, 33, 255};

/* Returns 0 when the result itself is undefined. */
static uint32_t defined_mask(unsigned cnt, int bits)
{
    unsigned c = cnt & 31;
    if (c == 0)
        return FL_ARITH;
    if (c > (unsigned)bits)
        return 0;
    return c == 1 ? FL_ARITH & ~FL_AF : FL_ARITH & ~(FL_AF | FL_OF);
}

typedef uint32_t (*fn3)(uint32_t, uint32_t, uint8_t, uint32_t, uint32_t *);

static void run(const char *name, fn3 fn, int bits)
{
    uint32_t m = bits == 32 ? 0xffffffffu : 0xffffu, h = RT_HASH_INIT;
    for (unsigned i = 0; i < OPS_NVALS; i++)
        for (unsigned j = 0; j < OPS_NVALS; j += 3)
            for (unsigned c = 0; c < sizeof counts; c++)
                for (int k = 0; k < 2; k++) {
                    uint32_t dm = defined_mask(counts[c], bits), fo;
                    if (!dm)
                        continue;
                    uint32_t r = fn(ops_vals[i], ops_vals[j], counts[c], ops_fin[k], &fo);
                    h = rt_hash(rt_hash(h, r & m), fo & dm);
                }
    rt_printf("%s hash=%08x\n", name, h);
    for (unsigned c = 0; c < sizeof counts; c++) {
        uint32_t dm = defined_mask(counts[c], bits), fo;
        if (!dm)
            continue;
        uint32_t r = fn(0x9abcdef0u, 0x13572468u, counts[c], ops_fin[c & 1], &fo);
        rt_printf("  %s 9abcdef0,13572468,%u -> %x ", name, counts[c], r & m);
        rt_print_flags(fo, dm);
        rt_putc('\n');
    }
}

static uint32_t mem32 = 0x80000001u;

int main(void)
{
    run("shld16", shld16, 16);
    run("shld32", shld32, 32);
    run("shrd16", shrd16, 16);
    run("shrd32", shrd32, 32);

    /* immediate counts and a memory destination */
    uint32_t f, d = 0x12345678u, s = 0xabcdef01u;
    __asm__("shldl $8, %[s], %[d]\n\tpushfl\n\tpopl %[f]" : [d] "+r"(d), [f] "=r"(f) : [s] "r"(s) : "cc");
    rt_printf("shld r32,r32,8 -> %x ", d);
    rt_print_flags(f, FL_ARITH & ~(FL_AF | FL_OF));
    rt_putc('\n');
    __asm__("shrdl $1, %[s], %[d]\n\tpushfl\n\tpopl %[f]" : [d] "+r"(d), [f] "=r"(f) : [s] "r"(s) : "cc");
    rt_printf("shrd r32,r32,1 -> %x ", d);
    rt_print_flags(f, FL_ARITH & ~FL_AF);
    rt_putc('\n');
    uint16_t d16 = 0x8001, s16 = 0x00ff;
    __asm__("shrdw $4, %[s], %[d]\n\tpushfl\n\tpopl %[f]" : [d] "+r"(d16), [f] "=r"(f) : [s] "r"(s16) : "cc");
    rt_printf("shrd r16,r16,4 -> %x ", d16);
    rt_print_flags(f, FL_ARITH & ~(FL_AF | FL_OF));
    rt_putc('\n');
    __asm__ volatile("shldl $31, %[s], %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem32), [f] "=r"(f) : [s] "r"(s) : "cc");
    rt_printf("shld m32,r32,31 -> %x ", mem32);
    rt_print_flags(f, FL_ARITH & ~(FL_AF | FL_OF));
    rt_putc('\n');
    uint8_t c = 12;
    __asm__ volatile("shrdl %%cl, %[s], %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem32), [f] "=r"(f) : [s] "r"(s), "c"(c) : "cc");
    rt_printf("shrd m32,r32,cl=12 -> %x ", mem32);
    rt_print_flags(f, FL_ARITH & ~(FL_AF | FL_OF));
    rt_putc('\n');
    rt_puts("shld_shrd done\n");
    return 0;
}
