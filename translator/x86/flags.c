/*
 * flags.c - materialize the arithmetic flags from the lazy state
 * (cc_op, cc_dst, cc_src, cc_src2); the encoding is documented in flags.h.
 * Definitions follow the SDM 2 operation sections of each instruction.
 */
#include "translator/x86/flags.h"

#include "translator/x86/cpu.h"
#include "translator/x86/helpers.h"

/* PF: set when the low byte of the result has an even number of 1 bits. */
static uint32_t cc_parity(uint32_t v)
{
    v &= 0xff;
    v ^= v >> 4;
    v ^= v >> 2;
    v ^= v >> 1;
    return (v & 1) ? 0 : EFLAGS_PF;
}

/* ZF, SF and PF of a result of `bits` bits. */
static uint32_t cc_szp(uint32_t r, int bits)
{
    uint32_t mask = bits == 32 ? 0xffffffffu : (1u << bits) - 1;
    uint32_t f = cc_parity(r);
    if ((r & mask) == 0)
        f |= EFLAGS_ZF;
    if ((r >> (bits - 1)) & 1)
        f |= EFLAGS_SF;
    return f;
}

static uint32_t cc_mask(int bits)
{
    return bits == 32 ? 0xffffffffu : (1u << bits) - 1;
}

uint32_t cc_compute_all(uint32_t op, uint32_t dst, uint32_t src, uint32_t src2)
{
    if (op == CC_OP_EFLAGS || op >= CC_OP_NB)
        return src & EFLAGS_ARITH;

    int bits = 8 << cc_op_size(op);
    uint32_t m = cc_mask(bits);
    uint32_t top = 1u << (bits - 1);
    uint32_t r = dst & m, b = src & m, a;
    uint32_t f = cc_szp(r, bits);

    switch (op) {
    case CC_OP_ADDB: case CC_OP_ADDW: case CC_OP_ADDL:
    case CC_OP_ADCB: case CC_OP_ADCW: case CC_OP_ADCL: {
        bool adc = op >= CC_OP_ADCB;
        uint32_t cin = adc ? (src2 & 1) : 0;
        a = (r - b - cin) & m;
        if (cin ? r <= a : r < a)
            f |= EFLAGS_CF;
        f |= (a ^ b ^ r) & EFLAGS_AF;
        if ((a ^ r) & (b ^ r) & top)
            f |= EFLAGS_OF;
        return f;
    }
    case CC_OP_SUBB: case CC_OP_SUBW: case CC_OP_SUBL:
    case CC_OP_SBBB: case CC_OP_SBBW: case CC_OP_SBBL: {
        bool sbb = op >= CC_OP_SBBB;
        uint32_t bin = sbb ? (src2 & 1) : 0;
        a = (r + b + bin) & m;
        if (bin ? a <= b : a < b)
            f |= EFLAGS_CF;
        f |= (a ^ b ^ r) & EFLAGS_AF;
        if ((a ^ b) & (a ^ r) & top)
            f |= EFLAGS_OF;
        return f;
    }
    case CC_OP_LOGICB: case CC_OP_LOGICW: case CC_OP_LOGICL:
        return f;
    case CC_OP_INCB: case CC_OP_INCW: case CC_OP_INCL:
        a = (r - 1) & m;
        f |= (a ^ 1 ^ r) & EFLAGS_AF;
        if (r == top)
            f |= EFLAGS_OF;
        return f | (src & 1 ? EFLAGS_CF : 0);
    case CC_OP_DECB: case CC_OP_DECW: case CC_OP_DECL:
        a = (r + 1) & m;
        f |= (a ^ 1 ^ r) & EFLAGS_AF;
        if (r == top - 1)
            f |= EFLAGS_OF;
        return f | (src & 1 ? EFLAGS_CF : 0);
    case CC_OP_SHLB: case CC_OP_SHLW: case CC_OP_SHLL:
        if (b & top)
            f |= EFLAGS_CF;
        if ((b ^ r) & top)
            f |= EFLAGS_OF;
        return f;
    case CC_OP_SARB: case CC_OP_SARW: case CC_OP_SARL:
        if (b & 1)
            f |= EFLAGS_CF;
        if ((b ^ r) & top)
            f |= EFLAGS_OF;
        return f;
    case CC_OP_MULB: case CC_OP_MULW: case CC_OP_MULL:
        if (src != 0)
            f |= EFLAGS_CF | EFLAGS_OF;
        return f;
    default:
        return src & EFLAGS_ARITH;
    }
}

uint32_t cc_compute_c(uint32_t op, uint32_t dst, uint32_t src, uint32_t src2)
{
    if (op == CC_OP_EFLAGS || op >= CC_OP_NB)
        return src & EFLAGS_CF;

    int bits = 8 << cc_op_size(op);
    uint32_t m = cc_mask(bits);
    uint32_t r = dst & m, b = src & m, a;

    switch (op) {
    case CC_OP_ADDB: case CC_OP_ADDW: case CC_OP_ADDL:
        return r < ((r - b) & m);
    case CC_OP_ADCB: case CC_OP_ADCW: case CC_OP_ADCL:
        a = (r - b - (src2 & 1)) & m;
        return (src2 & 1) ? r <= a : r < a;
    case CC_OP_SUBB: case CC_OP_SUBW: case CC_OP_SUBL:
        return ((r + b) & m) < b;
    case CC_OP_SBBB: case CC_OP_SBBW: case CC_OP_SBBL:
        a = (r + b + (src2 & 1)) & m;
        return (src2 & 1) ? a <= b : a < b;
    case CC_OP_LOGICB: case CC_OP_LOGICW: case CC_OP_LOGICL:
        return 0;
    case CC_OP_INCB: case CC_OP_INCW: case CC_OP_INCL:
    case CC_OP_DECB: case CC_OP_DECW: case CC_OP_DECL:
        return src & 1;
    case CC_OP_SHLB: case CC_OP_SHLW: case CC_OP_SHLL:
        return (b >> (bits - 1)) & 1;
    case CC_OP_SARB: case CC_OP_SARW: case CC_OP_SARL:
        return b & 1;
    case CC_OP_MULB: case CC_OP_MULW: case CC_OP_MULL:
        return src != 0;
    default:
        return src & EFLAGS_CF;
    }
}

/* The same, callable from translated code (helpers_alu.def). */
uint32_t helper_cc_compute_all(struct cpu *cpu, uint32_t op, uint32_t dst,
                               uint32_t src, uint32_t src2)
{
    (void)cpu;
    return cc_compute_all(op, dst, src, src2);
}

uint32_t helper_cc_compute_c(struct cpu *cpu, uint32_t op, uint32_t dst,
                             uint32_t src, uint32_t src2)
{
    (void)cpu;
    return cc_compute_c(op, dst, src, src2);
}
