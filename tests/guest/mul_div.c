/* mul_div: MUL, IMUL in all its forms (one operand, two operands, three
 * operands with imm8 and imm16/32) at 8/16/32 bits, DIV and IDIV at
 * 8/16/32 bits, and #DE (divide by zero, quotient too large, INT_MIN / -1)
 * caught by a handler that checks the faulting EIP, prints the registers
 * left untouched and resumes after the instruction.  SDM 2A: after MUL and
 * IMUL only CF and OF are defined (SF ZF AF PF masked); after DIV/IDIV all
 * flags are undefined (not printed). */
#include "rt/ops.h"

#define MULDEF(name, insn, T, C)                                                             \
    static uint32_t name(uint32_t a32, uint32_t b32, uint32_t fi, uint32_t *hi, uint32_t *fo) \
    {                                                                                        \
        T a = (T)a32, b = (T)b32, d = 0;                                                     \
        uint32_t f;                                                                          \
        __asm__("pushl %[fi]\n\tpopfl\n\t" insn " %[b]\n\tpushfl\n\tpopl %[f]"               \
                : "+a"(a), "+d"(d), [f] "=&r"(f)                                             \
                : [b] C(b), [fi] "r"(fi)                                                     \
                : "cc");                                                                     \
        *fo = f;                                                                             \
        *hi = d;                                                                             \
        return a;                                                                            \
    }
/* byte forms: AX = AL * r/m8 */
#define MULDEF8(name, insn)                                                                  \
    static uint32_t name(uint32_t a32, uint32_t b32, uint32_t fi, uint32_t *hi, uint32_t *fo) \
    {                                                                                        \
        uint16_t a = (uint8_t)a32;                                                           \
        uint8_t b = (uint8_t)b32;                                                            \
        uint32_t f;                                                                          \
        __asm__("pushl %[fi]\n\tpopfl\n\t" insn " %[b]\n\tpushfl\n\tpopl %[f]"               \
                : "+a"(a), [f] "=&r"(f)                                                      \
                : [b] "q"(b), [fi] "r"(fi)                                                   \
                : "cc");                                                                     \
        *fo = f;                                                                             \
        *hi = 0;                                                                             \
        return a;                                                                            \
    }
MULDEF8(mul8, "mulb")
MULDEF(mul16, "mulw", uint16_t, "r")
MULDEF(mul32, "mull", uint32_t, "r")
MULDEF8(imul8, "imulb")
MULDEF(imul16, "imulw", uint16_t, "r")
MULDEF(imul32, "imull", uint32_t, "r")

OP2(imul2_16, "imulw", uint16_t, "r")
OP2(imul2_32, "imull", uint32_t, "r")

#define MUL_MASK (FL_CF | FL_OF)

typedef uint32_t (*mfn)(uint32_t, uint32_t, uint32_t, uint32_t *, uint32_t *);

static void run_mul(const char *name, mfn fn, int bits)
{
    uint32_t m = bits == 32 ? 0xffffffffu : (1u << bits) - 1, h = RT_HASH_INIT;
    for (unsigned i = 0; i < OPS_NVALS; i++)
        for (unsigned j = 0; j < OPS_NVALS; j++) {
            uint32_t hi, fo, lo = fn(ops_vals[i] & m, ops_vals[j] & m, ops_fin[j & 1], &hi, &fo);
            h = rt_hash(rt_hash(rt_hash(h, lo), hi), fo & MUL_MASK);
        }
    rt_printf("%s hash=%08x\n", name, h);
    static const uint32_t s[][2] = {{0x7f, 0x02}, {0x80, 0xff}, {0xff, 0xff}, {0x7fff, 0x7fff},
                                    {0x8000, 0xffff}, {0x10000, 0x10000}, {0xffffffff, 0xffffffff},
                                    {0x80000000, 0xffffffff}};
    for (unsigned k = 0; k < sizeof s / sizeof s[0]; k++) {
        uint32_t hi, fo, lo = fn(s[k][0] & m, s[k][1] & m, 0x2, &hi, &fo);
        rt_printf("  %s %x*%x -> hi=%x lo=%x ", name, s[k][0] & m, s[k][1] & m, hi, lo);
        rt_print_flags(fo, MUL_MASK);
        rt_putc('\n');
    }
}

static void run_imul2(void)
{
    uint32_t h16 = RT_HASH_INIT, h32 = RT_HASH_INIT;
    for (unsigned i = 0; i < OPS_NVALS; i++)
        for (unsigned j = 0; j < OPS_NVALS; j++) {
            uint32_t fo, r = imul2_16(ops_vals[i] & 0xffff, ops_vals[j] & 0xffff, 0x2, &fo);
            h16 = rt_hash(rt_hash(h16, r), fo & MUL_MASK);
            r = imul2_32(ops_vals[i], ops_vals[j], 0x2, &fo);
            h32 = rt_hash(rt_hash(h32, r), fo & MUL_MASK);
        }
    rt_printf("imul r16,r16 hash=%08x\nimul r32,r32 hash=%08x\n", h16, h32);

    uint32_t r, f, src = 0x12345;
    static uint32_t m32 = 0xfffffffdu;
    __asm__("imull $-3, %[s], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "=r"(r), [f] "=r"(f) : [s] "r"(src) : "cc");
    rt_printf("imul r32,r32,imm8 12345*-3 -> %x ", r);
    rt_print_flags(f, MUL_MASK);
    rt_putc('\n');
    __asm__("imull $0x10000, %[s], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "=r"(r), [f] "=r"(f) : [s] "r"(src) : "cc");
    rt_printf("imul r32,r32,imm32 12345*10000 -> %x ", r);
    rt_print_flags(f, MUL_MASK);
    rt_putc('\n');
    __asm__("imull $7, %[m], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "=r"(r), [f] "=r"(f) : [m] "m"(m32) : "cc");
    rt_printf("imul r32,m32,imm8 -3*7 -> %x ", r);
    rt_print_flags(f, MUL_MASK);
    rt_putc('\n');
    uint16_t r16, s16 = 0x4000;
    __asm__("imulw $2, %[s], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "=r"(r16), [f] "=r"(f) : [s] "r"(s16) : "cc");
    rt_printf("imul r16,r16,imm8 4000*2 -> %x ", r16);
    rt_print_flags(f, MUL_MASK);
    rt_putc('\n');
    __asm__("imulw $0x101, %[s], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "=r"(r16), [f] "=r"(f) : [s] "r"(s16) : "cc");
    rt_printf("imul r16,r16,imm16 4000*101 -> %x ", r16);
    rt_print_flags(f, MUL_MASK);
    rt_putc('\n');
    r = 3;
    __asm__("imull %[m], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=r"(f) : [m] "m"(m32) : "cc");
    rt_printf("imul r32,m32 3*-3 -> %x ", r);
    rt_print_flags(f, MUL_MASK);
    rt_putc('\n');
}

/* Division.  de_expect is the address of the dividing instruction, set by
 * the asm before it runs; the #DE handler checks EIP against it and resumes
 * at de_resume. */
volatile uint32_t de_expect, de_resume, de_count, de_quiet, de_bad_eip, de_byte;

static void de_handler(struct rt_frame *f)
{
    /* byte division uses AX only: EDX then holds whatever the compiler left */
    if (!de_quiet && de_byte)
        rt_printf("  #DE eip ok: %s, ax=%x\n", f->eip == de_expect ? "yes" : "no", f->eax & 0xffff);
    else if (!de_quiet)
        rt_printf("  #DE eip ok: %s, eax=%x edx=%x\n", f->eip == de_expect ? "yes" : "no", f->eax, f->edx);
    if (f->eip != de_expect)
        de_bad_eip++;
    de_count++;
    f->eip = de_resume;
}

#define DIVDEF(name, insn)                                                                   \
    static void name(uint32_t lo, uint32_t hi, uint32_t dv, uint32_t *q, uint32_t *r)        \
    {                                                                                        \
        __asm__ volatile("movl $1f, de_expect\n\tmovl $2f, de_resume\n"                      \
                         "1:\t" insn " %[dv]\n2:"                                           \
                         : "+a"(lo), "+d"(hi)                                                \
                         : [dv] "r"(dv)                                                      \
                         : "cc", "memory");                                                  \
        *q = lo;                                                                             \
        *r = hi;                                                                             \
    }
DIVDEF(div32, "divl")
DIVDEF(idiv32, "idivl")

#define DIVDEF16(name, insn)                                                                 \
    static void name(uint32_t lo, uint32_t hi, uint32_t dv, uint32_t *q, uint32_t *r)        \
    {                                                                                        \
        uint16_t d16 = (uint16_t)dv;                                                         \
        __asm__ volatile("movl $1f, de_expect\n\tmovl $2f, de_resume\n"                      \
                         "1:\t" insn " %[dv]\n2:"                                           \
                         : "+a"(lo), "+d"(hi)                                                \
                         : [dv] "r"(d16)                                                     \
                         : "cc", "memory");                                                  \
        *q = lo;                                                                             \
        *r = hi;                                                                             \
    }
DIVDEF16(div16, "divw")
DIVDEF16(idiv16, "idivw")

#define DIVDEF8(name, insn)                                                                  \
    static void name(uint32_t lo, uint32_t hi, uint32_t dv, uint32_t *q, uint32_t *r)        \
    {                                                                                        \
        uint8_t d8 = (uint8_t)dv;                                                            \
        (void)hi;                                                                            \
        __asm__ volatile("movl $1f, de_expect\n\tmovl $2f, de_resume\n"                      \
                         "1:\t" insn " %[dv]\n2:"                                           \
                         : "+a"(lo)                                                          \
                         : [dv] "q"(d8)                                                      \
                         : "cc", "memory");                                                  \
        *q = lo;                                                                             \
        *r = 0;                                                                              \
    }
DIVDEF8(div8, "divb")
DIVDEF8(idiv8, "idivb")

typedef void (*dfn)(uint32_t, uint32_t, uint32_t, uint32_t *, uint32_t *);

static void run_div(const char *name, dfn fn, int bits, int is_signed)
{
    uint32_t m = bits == 32 ? 0xffffffffu : (1u << bits) - 1, h = RT_HASH_INIT;
    uint32_t before = de_count;
    for (unsigned i = 0; i < OPS_NVALS; i++)
        for (unsigned j = 0; j < OPS_NVALS; j++) {
            uint32_t dv = ops_vals[j] & m, q, r, lo, hi;
            if (dv == 0)
                continue;
            /* unsigned: a high half below the divisor, so the quotient fits;
             * signed: the sign extension of the low half, so only
             * INT_MIN / -1 overflows (#DE, counted) */
            lo = ops_vals[i] & m;
            if (is_signed)
                hi = (lo >> (bits - 1)) ? m : 0;
            else
                hi = (ops_vals[(i + j) % OPS_NVALS] & m) % dv;
            if (bits == 8)
                lo = lo | (hi << 8);
            else if (bits == 16)
                lo |= 0x55550000u;
            fn(lo, hi, dv, &q, &r);
            h = rt_hash(rt_hash(h, q), r);
        }
    rt_printf("%s hash=%08x (#DE %u)\n", name, h, de_count - before);
}

int main(void)
{
    rt_set_handler(0, de_handler);
    run_mul("mul8", mul8, 8);
    run_mul("mul16", mul16, 16);
    run_mul("mul32", mul32, 32);
    run_mul("imul8", imul8, 8);
    run_mul("imul16", imul16, 16);
    run_mul("imul32", imul32, 32);
    run_imul2();

    uint32_t q, r;
    div32(100, 0, 7, &q, &r);
    rt_printf("div32 100/7 -> q=%u r=%u\n", q, r);
    div32(0xffffffffu, 0xfffffffeu, 0xffffffffu, &q, &r);
    rt_printf("div32 fffffffeffffffff/ffffffff -> q=%x r=%x\n", q, r);
    idiv32((uint32_t)-100, 0xffffffffu, 7, &q, &r);
    rt_printf("idiv32 -100/7 -> q=%d r=%d\n", q, r);
    idiv32(100, 0, (uint32_t)-7, &q, &r);
    rt_printf("idiv32 100/-7 -> q=%d r=%d\n", q, r);
    div16(0x1234ffff, 0x00000012, 0x1234, &q, &r);
    rt_printf("div16 12ffff/1234 -> ax=%x dx=%x\n", q, r);
    idiv16(0x0000fff0, 0x0000ffff, 3, &q, &r);
    rt_printf("idiv16 -16/3 -> ax=%x dx=%x\n", q, r);
    div8(0x0000fe12, 0, 0xff, &q, &r);
    rt_printf("div8 fe12/ff -> ax=%x\n", q);
    idiv8(0x0000ff81, 0, 0x02, &q, &r);
    rt_printf("idiv8 -127/2 -> ax=%x\n", q);

    rt_puts("divide errors:\n");
    div32(1, 0, 0, &q, &r);
    div32(0, 1, 1, &q, &r);
    idiv32(0x80000000u, 0xffffffffu, 0xffffffffu, &q, &r);
    div16(0x0000ffff, 0x0000ffff, 0xffff, &q, &r);
    idiv16(0x00008000, 0x0000ffff, 0xffff, &q, &r);
    de_byte = 1;
    div8(0x00001000, 0, 0x10, &q, &r);
    idiv8(0x00008000, 0, 0xff, &q, &r);
    div8(0x00000010, 0, 0, &q, &r);
    de_byte = 0;
    rt_printf("#DE count %u\n", de_count);

    de_quiet = 1;
    run_div("div8", div8, 8, 0);
    run_div("div16", div16, 16, 0);
    run_div("div32", div32, 32, 0);
    run_div("idiv8", idiv8, 8, 1);
    run_div("idiv16", idiv16, 16, 1);
    run_div("idiv32", idiv32, 32, 1);
    rt_printf("#DE with a wrong eip: %u\n", de_bad_eip);
    rt_puts("mul_div done\n");
    return 0;
}
