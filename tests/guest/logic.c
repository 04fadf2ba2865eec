/* logic: AND OR XOR TEST NOT at 8, 16 and 32 bits.  AF is undefined after
 * AND/OR/XOR/TEST (SDM 2A/2B) and is masked; OF and CF must be cleared and
 * SF ZF PF follow the result.  NOT changes no flag: all six are compared. */
#include "rt/ops.h"

OP2(and8, "andb", uint8_t, "q")
OP2(and16, "andw", uint16_t, "r")
OP2(and32, "andl", uint32_t, "r")
OP2(or8, "orb", uint8_t, "q")
OP2(or16, "orw", uint16_t, "r")
OP2(or32, "orl", uint32_t, "r")
OP2(xor8, "xorb", uint8_t, "q")
OP2(xor16, "xorw", uint16_t, "r")
OP2(xor32, "xorl", uint32_t, "r")
OP2(test8, "testb", uint8_t, "q")
OP2(test16, "testw", uint16_t, "r")
OP2(test32, "testl", uint32_t, "r")
OP1(not8, "notb", uint8_t, "q")
OP1(not16, "notw", uint16_t, "r")
OP1(not32, "notl", uint32_t, "r")

#define LOGIC_MASK (FL_ARITH & ~FL_AF)

#define RUN2(fn, bits, m)                                                                    \
    do {                                                                                     \
        uint32_t h = RT_HASH_INIT;                                                           \
        for (unsigned i = 0; i < OPS_NVALS; i++)                                             \
            for (unsigned j = 0; j < OPS_NVALS; j++)                                         \
                for (int k = 0; k < 2; k++) {                                                \
                    uint32_t fo, r = fn(ops_vals[i] & (m), ops_vals[j] & (m), ops_fin[k], &fo); \
                    h = rt_hash(rt_hash(h, r & (m)), fo & LOGIC_MASK);                       \
                }                                                                            \
        rt_printf(#fn " hash=%08x\n", h);                                                    \
        for (unsigned s = 0; s < 6; s++) {                                                   \
            uint32_t a = ops_vals[s * 3 + 1] & (m), b = ops_vals[19 - s * 2] & (m), fo;      \
            uint32_t r = fn(a, b, ops_fin[s & 1], &fo);                                      \
            rt_printf("  " #fn " %x,%x -> %x ", a, b, r & (m));                              \
            rt_print_flags(fo, LOGIC_MASK);                                                  \
            rt_putc('\n');                                                                   \
        }                                                                                    \
    } while (0)

#define RUN1(fn, bits, m)                                                                    \
    do {                                                                                     \
        uint32_t h = RT_HASH_INIT;                                                           \
        for (unsigned i = 0; i < OPS_NVALS; i++)                                             \
            for (int k = 0; k < 2; k++) {                                                    \
                uint32_t fo, r = fn(ops_vals[i] & (m), ops_fin[k], &fo);                     \
                h = rt_hash(rt_hash(h, r & (m)), fo & FL_ARITH);                             \
            }                                                                                \
        rt_printf(#fn " hash=%08x\n", h);                                                    \
        uint32_t fo, r = fn(0x12345678 & (m), ops_fin[1], &fo);                              \
        rt_printf("  " #fn " %x -> %x ", 0x12345678 & (m), r & (m));                         \
        rt_print_flags(fo, FL_ARITH);                                                        \
        rt_putc('\n');                                                                       \
    } while (0)

static uint32_t mem32 = 0xf0f0f0f0;
static uint8_t mem8 = 0x81;

int main(void)
{
    RUN2(and8, 8, 0xffu);
    RUN2(and16, 16, 0xffffu);
    RUN2(and32, 32, 0xffffffffu);
    RUN2(or8, 8, 0xffu);
    RUN2(or16, 16, 0xffffu);
    RUN2(or32, 32, 0xffffffffu);
    RUN2(xor8, 8, 0xffu);
    RUN2(xor16, 16, 0xffffu);
    RUN2(xor32, 32, 0xffffffffu);
    RUN2(test8, 8, 0xffu);
    RUN2(test16, 16, 0xffffu);
    RUN2(test32, 32, 0xffffffffu);
    RUN1(not8, 8, 0xffu);
    RUN1(not16, 16, 0xffffu);
    RUN1(not32, 32, 0xffffffffu);

    /* memory and immediate encodings */
    uint32_t f, a;
    __asm__ volatile("stc\n\tandl $0xff00ff00, %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem32), [f] "=r"(f) : : "cc");
    rt_printf("and m32,imm32 -> %x ", mem32);
    rt_print_flags(f, LOGIC_MASK);
    rt_putc('\n');
    __asm__ volatile("orb $0x7e, %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem8), [f] "=r"(f) : : "cc");
    rt_printf("or m8,imm8 -> %x ", mem8);
    rt_print_flags(f, LOGIC_MASK);
    rt_putc('\n');
    __asm__ volatile("testb $0x80, %[m]\n\tpushfl\n\tpopl %[f]" : [f] "=r"(f) : [m] "m"(mem8) : "cc");
    rt_printf("test m8,imm8 -> ");
    rt_print_flags(f, LOGIC_MASK);
    rt_putc('\n');
    a = 0x1234;
    __asm__ volatile(".byte 0xa8, 0x34\n\tpushfl\n\tpopl %[f]" : [f] "=r"(f) : "a"(a) : "cc");
    rt_printf("test al,imm8(a8) -> ");
    rt_print_flags(f, LOGIC_MASK);
    rt_putc('\n');
    a = 0x80001234;
    __asm__ volatile(".byte 0xa9, 0x00, 0x00, 0x00, 0x80\n\tpushfl\n\tpopl %[f]" : [f] "=r"(f) : "a"(a) : "cc");
    rt_printf("test eax,imm32(a9) -> ");
    rt_print_flags(f, LOGIC_MASK);
    rt_putc('\n');
    a = 0xffff00ff;
    __asm__ volatile(".byte 0x34, 0xff\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=r"(f) : : "cc");
    rt_printf("xor al,imm8(34) -> %x ", a);
    rt_print_flags(f, LOGIC_MASK);
    rt_putc('\n');
    a = 0x00000000;
    __asm__ volatile(".byte 0x66, 0x0d, 0x00, 0x80\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=r"(f) : : "cc");
    rt_printf("or ax,imm16(66 0d) -> %x ", a);
    rt_print_flags(f, LOGIC_MASK);
    rt_putc('\n');
    a = 0xdeadbeef;
    __asm__ volatile("xorl %%eax, %%eax\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=r"(f) : : "cc");
    rt_printf("xor eax,eax -> %x ", a);
    rt_print_flags(f, LOGIC_MASK);
    rt_putc('\n');
    mem32 = 0x0000ffff;
    __asm__ volatile("notl %[m]\n\tpushfl\n\tpopl %[f]" : [m] "+m"(mem32), [f] "=r"(f) : : "cc");
    rt_printf("not m32 -> %x\n", mem32);
    rt_puts("logic done\n");
    return 0;
}
