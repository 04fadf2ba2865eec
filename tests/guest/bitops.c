/* bitops: BT BTS BTR BTC with register and immediate offsets on registers
 * (offset taken modulo the width) and on memory (a register offset reaches
 * any bit of a bit string, negative and large offsets included; 16-bit
 * forms too), BSF and BSR including a zero source.  SDM 2A: BTx define CF
 * and leave ZF unchanged (OF SF AF PF undefined, masked); BSF/BSR define
 * only ZF, and the destination is undefined for a zero source (not printed). */
#include "rt/rt.h"

#define BT_MASK (FL_CF | FL_ZF)

static uint32_t bits[16];

static void dump(void)
{
    uint32_t h = RT_HASH_INIT;
    for (int i = 0; i < 16; i++)
        h = rt_hash(h, bits[i]);
    rt_printf(" mem hash=%08x\n", h);
}

#define BT_REG(insn, v, off, fin)                                                          \
    do {                                                                                  \
        uint32_t d = (v), f;                                                              \
        __asm__("pushl %[fi]\n\tpopfl\n\t" insn " %[o], %[d]\n\tpushfl\n\tpopl %[f]"      \
                : [d] "+r"(d), [f] "=&r"(f)                                               \
                : [o] "r"(off), [fi] "r"(fin)                                              \
                : "cc");                                                                  \
        rt_printf(insn " r,%d: %x -> %x ", (int)(off), (uint32_t)(v), d);                 \
        rt_print_flags(f, BT_MASK);                                                       \
        rt_putc('\n');                                                                    \
    } while (0)

#define BT_MEM(insn, off, fin)                                                             \
    do {                                                                                  \
        uint32_t f;                                                                       \
        __asm__ volatile("pushl %[fi]\n\tpopfl\n\t" insn " %[o], (%[b])\n\tpushfl\n\tpopl %[f]" \
                         : [f] "=&r"(f)                                                   \
                         : [o] "r"(off), [b] "r"(&bits[8]), [fi] "r"(fin)                  \
                         : "cc", "memory");                                               \
        rt_printf(insn " [bits+32],%d: ", (int)(off));                                    \
        rt_print_flags(f, BT_MASK);                                                       \
        dump();                                                                           \
    } while (0)

#define BSX(insn, v, fin)                                                                  \
    do {                                                                                  \
        uint32_t d = 0x5a5a5a5au, f, s = (v);                                             \
        __asm__("pushl %[fi]\n\tpopfl\n\t" insn " %[s], %[d]\n\tpushfl\n\tpopl %[f]"      \
                : [d] "+r"(d), [f] "=&r"(f)                                               \
                : [s] "r"(s), [fi] "r"(fin)                                                \
                : "cc");                                                                  \
        rt_printf(insn " %x -> ", s);                                                     \
        if (s)                                                                            \
            rt_printf("%x ", d);                                                          \
        else                                                                              \
            rt_printf("(undefined) ");                                                    \
        rt_print_flags(f, FL_ZF);                                                         \
        rt_putc('\n');                                                                    \
    } while (0)

int main(void)
{
    for (int i = 0; i < 16; i++)
        bits[i] = 0x11111111u * (uint32_t)i;
    const uint32_t z = 0x2 | FL_ZF, nz = 0x2 | FL_CF;

    BT_REG("btl", 0x80000001u, 0, nz);
    BT_REG("btl", 0x80000001u, 31, z);
    BT_REG("btl", 0x80000001u, 33, z);
    BT_REG("btsl", 0x00000000u, 5, z);
    BT_REG("btsl", 0x00000020u, 37, nz);
    BT_REG("btrl", 0xffffffffu, 16, z);
    BT_REG("btrl", 0xffffffffu, -1, nz);
    BT_REG("btcl", 0x0000ffffu, 15, z);
    BT_REG("btcl", 0x0000ffffu, 16, nz);
    {
        uint16_t d = 0x8001, f;
        uint16_t o = 15 + 16;
        __asm__("btcw %[o], %[d]\n\tpushfl\n\tpopl %k[f]" : [d] "+r"(d), [f] "=r"(f) : [o] "r"(o) : "cc");
        rt_printf("btcw r16,31: -> %x cf=%u\n", d, f & 1);
    }
    {
        uint32_t d = 0x10, f;
        __asm__("btsl $36, %[d]\n\tpushfl\n\tpopl %[f]" : [d] "+r"(d), [f] "=r"(f) : : "cc");
        rt_printf("bts r32,imm 36: -> %x cf=%u\n", d, f & 1);
        __asm__("btl $4, %[d]\n\tpushfl\n\tpopl %[f]" : [f] "=r"(f) : [d] "r"(d) : "cc");
        rt_printf("bt r32,imm 4: cf=%u\n", f & 1);
    }

    BT_MEM("btl", 0, z);
    BT_MEM("btl", 36, z);
    BT_MEM("btsl", 100, nz);
    BT_MEM("btsl", -1, z);
    BT_MEM("btrl", -200, z);
    BT_MEM("btrl", 255, nz);
    BT_MEM("btcl", -256, z);
    BT_MEM("btcl", 7, nz);
    {
        uint32_t f;
        __asm__ volatile("btsl $39, %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(bits[1]), [f] "=r"(f) : : "cc");
        rt_printf("bts m32,imm 39 (mod 32): cf=%u bits[1]=%x bits[2]=%x\n", f & 1, bits[1], bits[2]);
        __asm__ volatile("btrw $17, %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(bits[3]), [f] "=r"(f) : : "cc");
        rt_printf("btr m16,imm 17 (mod 16): cf=%u bits[3]=%x\n", f & 1, bits[3]);
        uint16_t o = 0xfff0; /* -16 as a signed 16-bit offset */
        __asm__ volatile("btcw %[o], (%[b])\n\tpushfl\n\tpopl %[f]"
                         : [f] "=r"(f)
                         : [o] "r"(o), [b] "r"(&bits[8]) : "cc", "memory");
        rt_printf("btc m16,r16 -16: cf=%u bits[7]=%x\n", f & 1, bits[7]);
    }

    BSX("bsfl", 0x00000001u, z);
    BSX("bsfl", 0x80000000u, z);
    BSX("bsfl", 0x00f00000u, z);
    BSX("bsfl", 0x00000000u, 0x2);
    BSX("bsrl", 0x00000001u, z);
    BSX("bsrl", 0x80000000u, z);
    BSX("bsrl", 0x00f00000u, z);
    BSX("bsrl", 0x00000000u, 0x2);
    {
        uint16_t d = 0x7777, s = 0x0300, f;
        __asm__("bsfw %[s], %[d]\n\tpushfl\n\tpopl %k[f]" : [d] "+r"(d), [f] "=r"(f) : [s] "r"(s) : "cc");
        rt_printf("bsfw 300 -> %x zf=%u\n", d, (f >> 6) & 1);
        __asm__("bsrw %[s], %[d]\n\tpushfl\n\tpopl %k[f]" : [d] "+r"(d), [f] "=r"(f) : [s] "r"(s) : "cc");
        rt_printf("bsrw 300 -> %x zf=%u\n", d, (f >> 6) & 1);
        uint32_t r;
        __asm__("bsfl %[m], %[r]" : [r] "=r"(r) : [m] "m"(bits[8]) : "cc");
        rt_printf("bsf r32,m32 %x -> %u\n", bits[8], r);
    }
    uint32_t h = RT_HASH_INIT;
    for (int i = 0; i < 64; i++) {
        uint32_t v = rt_rand() >> (i % 31), f1, f2, r1 = 0, r2 = 0;
        __asm__("bsfl %2, %0\n\tpushfl\n\tpopl %1" : "+r"(r1), "=r"(f1) : "r"(v) : "cc");
        __asm__("bsrl %2, %0\n\tpushfl\n\tpopl %1" : "+r"(r2), "=r"(f2) : "r"(v) : "cc");
        h = rt_hash(rt_hash(h, v ? r1 : 0), v ? r2 : 0);
        h = rt_hash(rt_hash(h, f1 & FL_ZF), f2 & FL_ZF);
    }
    rt_printf("bsf/bsr random hash=%08x\n", h);
    rt_puts("bitops done\n");
    return 0;
}
