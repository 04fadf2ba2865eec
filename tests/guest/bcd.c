/* bcd: DAA DAS AAA AAS AAM AAD over every AL value with each AF/CF input
 * (and several AH values), folded into one hash per instruction, plus
 * samples, AAM/AAD with a non-decimal base and AAM 0 raising #DE.
 * Undefined flags masked per SDM 2A: DAA/DAS OF; AAA/AAS OF SF ZF PF;
 * AAM/AAD OF AF CF. */
#include "rt/rt.h"

#define BCD(name, insn)                                                            \
    static uint32_t name(uint32_t ax, uint32_t fi, uint32_t *fo)                   \
    {                                                                              \
        uint32_t f;                                                                \
        __asm__("pushl %[fi]\n\tpopfl\n\t" insn "\n\tpushfl\n\tpopl %[f]"          \
                : "+a"(ax), [f] "=&r"(f)                                           \
                : [fi] "r"(fi)                                                     \
                : "cc");                                                           \
        *fo = f;                                                                   \
        return ax;                                                                 \
    }
BCD(do_daa, "daa")
BCD(do_das, "das")
BCD(do_aaa, "aaa")
BCD(do_aas, "aas")
BCD(do_aam, "aam")
BCD(do_aad, "aad")
BCD(do_aam16, ".byte 0xd4, 0x10")
BCD(do_aad16, ".byte 0xd5, 0x10")
BCD(do_aam7, ".byte 0xd4, 0x07")
BCD(do_aad3, ".byte 0xd5, 0x03")

typedef uint32_t (*bfn)(uint32_t, uint32_t, uint32_t *);

static void run(const char *name, bfn fn, uint32_t mask)
{
    static const uint32_t fins[4] = {0x2, 0x2 | FL_AF, 0x2 | FL_CF, 0x2 | FL_AF | FL_CF};
    static const uint32_t ahs[3] = {0x00, 0x7f, 0xff};
    uint32_t h = RT_HASH_INIT;
    for (int a = 0; a < 3; a++)
        for (uint32_t al = 0; al < 256; al++)
            for (int k = 0; k < 4; k++) {
                uint32_t fo, ax = 0xabcd0000u | (ahs[a] << 8) | al;
                uint32_t r = fn(ax, fins[k] | (al & 1 ? FL_ZF | FL_SF : 0), &fo);
                h = rt_hash(rt_hash(h, r), fo & mask);
            }
    rt_printf("%s hash=%08x\n", name, h);
    static const uint32_t s[] = {0x0009, 0x000a, 0x0099, 0x009a, 0x00f0, 0x0105, 0xff0f, 0x0710};
    for (unsigned i = 0; i < sizeof s / sizeof s[0]; i++)
        for (int k = 0; k < 4; k += 3) {
            uint32_t fo, r = fn(s[i], fins[k], &fo);
            rt_printf("  %s ax=%04x af=cf=%u -> %04x ", name, s[i], k ? 1 : 0, r & 0xffff);
            rt_print_flags(fo, mask);
            rt_putc('\n');
        }
}

static volatile uint32_t de_seen;

static void de_handler(struct rt_frame *f)
{
    de_seen = f->eax & 0xffff;
    f->eip += 2; /* aam 0 is two bytes */
}

int main(void)
{
    run("daa", do_daa, FL_ARITH & ~FL_OF);
    run("das", do_das, FL_ARITH & ~FL_OF);
    run("aaa", do_aaa, FL_AF | FL_CF);
    run("aas", do_aas, FL_AF | FL_CF);
    run("aam", do_aam, FL_SF | FL_ZF | FL_PF);
    run("aad", do_aad, FL_SF | FL_ZF | FL_PF);
    run("aam16", do_aam16, FL_SF | FL_ZF | FL_PF);
    run("aad16", do_aad16, FL_SF | FL_ZF | FL_PF);
    run("aam7", do_aam7, FL_SF | FL_ZF | FL_PF);
    run("aad3", do_aad3, FL_SF | FL_ZF | FL_PF);

    rt_set_handler(0, de_handler);
    uint32_t ax = 0x1234;
    __asm__ volatile(".byte 0xd4, 0x00" : "+a"(ax) : : "cc");
    rt_printf("aam 0: #DE with ax=%x, ax after=%x\n", de_seen, ax & 0xffff);
    rt_puts("bcd done\n");
    return 0;
}
