/*
 * test_float80_diff.h - the x87 side of test_float80's differential part:
 * each function runs one instruction on the host's own x87 (all state
 * from FNINIT, the given control word) and returns the status word, read
 * with FNSTSW right after the instruction and before any store that could
 * change C1. FNCLEX then keeps an unmasked exception from trapping at the
 * next waiting instruction. Only for x86 hosts.
 */
#ifndef TESTS_UNIT_TEST_FLOAT80_DIFF_H
#define TESTS_UNIT_TEST_FLOAT80_DIFF_H

#if defined(__x86_64__) || defined(__i386__)

#include <stdint.h>

#include "base/float80.h"

/* Ten bytes of packed BCD, as FBLD and FBSTP see them. */
struct bcd10 {
    uint8_t b[10];
};

#define X87_CLOBBERS                                                           \
    "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)"

/* ST(0) = a, ST(1) = b; `insn`; *r = ST(0). */
#define HOST_BINARY(name, insn)                                                \
    static uint16_t host_##name(uint16_t cw, const float80 *a,                 \
                                const float80 *b, float80 *r)                  \
    {                                                                          \
        uint16_t sw;                                                           \
        __asm__ volatile("fninit\n\tfldcw %[cw]\n\t"                           \
                         "fldt %[b]\n\tfldt %[a]\n\t" insn "\n\t"              \
                         "fnstsw %[sw]\n\tfnclex\n\tfstpt %[r]\n\tfninit"      \
                         : [sw] "=m"(sw), [r] "=m"(*r)                         \
                         : [a] "m"(*a), [b] "m"(*b), [cw] "m"(cw)              \
                         : X87_CLOBBERS);                                      \
        return sw;                                                             \
    }

HOST_BINARY(add, "fadd %%st(1), %%st")
HOST_BINARY(sub, "fsub %%st(1), %%st")
HOST_BINARY(mul, "fmul %%st(1), %%st")
HOST_BINARY(div, "fdiv %%st(1), %%st")
HOST_BINARY(prem, "fprem")
HOST_BINARY(prem1, "fprem1")
HOST_BINARY(scale, "fscale")
HOST_BINARY(com, "fcom %%st(1)")
HOST_BINARY(ucom, "fucom %%st(1)")
HOST_BINARY(sqrt, "fsqrt")
HOST_BINARY(rndint, "frndint")
HOST_BINARY(xam, "fxam")

static uint16_t host_xtract(uint16_t cw, const float80 *a, float80 *exp,
                            float80 *sig)
{
    uint16_t sw;
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[a]\n\tfxtract\n\t"
                     "fnstsw %[sw]\n\tfnclex\n\tfstpt %[s]\n\tfstpt %[e]\n\t"
                     "fninit"
                     : [sw] "=m"(sw), [s] "=m"(*sig), [e] "=m"(*exp)
                     : [a] "m"(*a), [cw] "m"(cw)
                     : X87_CLOBBERS);
    return sw;
}

/* Stores of ST(0) = a to memory. */
#define HOST_STORE(name, type, insn)                                           \
    static uint16_t host_##name(uint16_t cw, const float80 *a, type *r)        \
    {                                                                          \
        uint16_t sw;                                                           \
        __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[a]\n\t" insn         \
                         " %[r]\n\tfnstsw %[sw]\n\tfninit"                     \
                         : [sw] "=m"(sw), [r] "+m"(*r)                         \
                         : [a] "m"(*a), [cw] "m"(cw)                           \
                         : X87_CLOBBERS);                                      \
        return sw;                                                             \
    }

HOST_STORE(fist16, int16_t, "fistps")
HOST_STORE(fist32, int32_t, "fistpl")
HOST_STORE(fist64, int64_t, "fistpll")
HOST_STORE(fisttp64, int64_t, "fisttpll")
HOST_STORE(fst32, uint32_t, "fstps")
HOST_STORE(fst64, uint64_t, "fstpl")
HOST_STORE(fbstp, struct bcd10, "fbstp")

/* Loads of memory into ST(0), stored back as 80 bits. */
#define HOST_LOAD(name, type, insn)                                            \
    static uint16_t host_##name(uint16_t cw, const type *a, float80 *r)        \
    {                                                                          \
        uint16_t sw;                                                           \
        __asm__ volatile("fninit\n\tfldcw %[cw]\n\t" insn " %[a]\n\t"          \
                         "fnstsw %[sw]\n\tfnclex\n\tfstpt %[r]\n\tfninit"      \
                         : [sw] "=m"(sw), [r] "=m"(*r)                         \
                         : [a] "m"(*a), [cw] "m"(cw)                           \
                         : X87_CLOBBERS);                                      \
        return sw;                                                             \
    }

HOST_LOAD(fld32, uint32_t, "flds")
HOST_LOAD(fld64, uint64_t, "fldl")
HOST_LOAD(fild64, int64_t, "fildll")
HOST_LOAD(fbld, struct bcd10, "fbld")

#endif
#endif
