/* Macros that build one-instruction test functions for the guest programs:
 * each loads EFLAGS, runs one instruction on register operands and returns
 * the result and the EFLAGS after it. */
#ifndef GUEST_OPS_H
#define GUEST_OPS_H

#include "rt/rt.h"

/* Two operands: d = d OP s.  C is the operand constraint ("q" for bytes). */
#define OP2(name, insn, T, C)                                                             \
    static T name(T d, T s, uint32_t fi, uint32_t *fo)                                    \
    {                                                                                     \
        uint32_t f;                                                                       \
        __asm__("pushl %[fi]\n\tpopfl\n\t" insn " %[s], %[d]\n\tpushfl\n\tpopl %[f]"      \
                : [d] "+" C(d), [f] "=&r"(f)                                              \
                : [s] C(s), [fi] "r"(fi)                                                  \
                : "cc");                                                                  \
        *fo = f;                                                                          \
        return d;                                                                         \
    }

/* One operand: d = OP d. */
#define OP1(name, insn, T, C)                                                             \
    static T name(T d, uint32_t fi, uint32_t *fo)                                         \
    {                                                                                     \
        uint32_t f;                                                                       \
        __asm__("pushl %[fi]\n\tpopfl\n\t" insn " %[d]\n\tpushfl\n\tpopl %[f]"            \
                : [d] "+" C(d), [f] "=&r"(f)                                              \
                : [fi] "r"(fi)                                                            \
                : "cc");                                                                  \
        *fo = f;                                                                          \
        return d;                                                                         \
    }

/* Shift by CL: d = d OP cl. */
#define OPCL(name, insn, T, C)                                                            \
    static T name(T d, uint8_t cnt, uint32_t fi, uint32_t *fo)                            \
    {                                                                                     \
        uint32_t f;                                                                       \
        __asm__("pushl %[fi]\n\tpopfl\n\t" insn " %%cl, %[d]\n\tpushfl\n\tpopl %[f]"      \
                : [d] "+" C(d), [f] "=&r"(f)                                              \
                : "c"(cnt), [fi] "r"(fi)                                                  \
                : "cc");                                                                  \
        *fo = f;                                                                          \
        return d;                                                                         \
    }

/* Shift by an immediate: d = d OP imm (imm is a compile-time constant). */
#define OPIMM(name, insn, T, C, imm)                                                      \
    static T name(T d, uint32_t fi, uint32_t *fo)                                         \
    {                                                                                     \
        uint32_t f;                                                                       \
        __asm__("pushl %[fi]\n\tpopfl\n\t" insn " $" #imm ", %[d]\n\tpushfl\n\tpopl %[f]" \
                : [d] "+" C(d), [f] "=&r"(f)                                              \
                : [fi] "r"(fi)                                                            \
                : "cc");                                                                  \
        *fo = f;                                                                          \
        return d;                                                                         \
    }

/* Interesting operand values: limits of each size and their neighbours. */
static const uint32_t ops_vals[] = {
    0x00000000, 0x00000001, 0x00000002, 0x0000007f, 0x00000080, 0x000000ff, 0x00000100,
    0x00007fff, 0x00008000, 0x0000ffff, 0x00010000, 0x7fffffff, 0x80000000, 0x80000001,
    0xfffffffe, 0xffffffff, 0x12345678, 0x9abcdef0, 0x0f0f0f0f, 0xa5a55a5a,
};
#define OPS_NVALS (sizeof ops_vals / sizeof ops_vals[0])
/* Input EFLAGS: all arithmetic flags clear, then all set. */
static const uint32_t ops_fin[2] = {0x2, 0x2 | FL_ARITH};

#endif
