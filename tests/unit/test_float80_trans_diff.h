/*
 * test_float80_trans_diff.h - the x87 side of test_float80_trans's
 * differential part: each function runs one transcendental or constant
 * load on the host's own x87 (state from FNINIT, the given control word)
 * and returns the status word, read with FNSTSW right after the
 * instruction. FNCLEX and a fully masked control word then let the
 * results be stored without trapping. Only for x86 hosts.
 */
#ifndef TESTS_UNIT_TEST_FLOAT80_TRANS_DIFF_H
#define TESTS_UNIT_TEST_FLOAT80_TRANS_DIFF_H

#if defined(__x86_64__) || defined(__i386__)

#include <stdint.h>

#include "base/float80.h"

#define X87T_CLOBBERS                                                          \
    "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)"

static const uint16_t x87t_masked_cw = 0x037f;

/* ST(0) = a; `insn`; *r = ST(0). */
#define HOST_UNARY(name, insn)                                                 \
    static uint16_t host_##name(uint16_t cw, const float80 *a, float80 *r)     \
    {                                                                          \
        uint16_t sw;                                                           \
        __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[a]\n\t" insn "\n\t"  \
                         "fnstsw %[sw]\n\tfnclex\n\tfldcw %[m]\n\t"            \
                         "fstpt %[r]\n\tfninit"                                \
                         : [sw] "=m"(sw), [r] "=m"(*r)                         \
                         : [a] "m"(*a), [cw] "m"(cw), [m] "m"(x87t_masked_cw)  \
                         : X87T_CLOBBERS);                                     \
        return sw;                                                             \
    }

/* ST(0) = a; `insn` (which may push a second result); *r0 = ST(0),
 * *r1 = ST(1) (the first register below an empty one when nothing was
 * pushed: the caller ignores it then). */
#define HOST_UNARY2(name, insn)                                                \
    static uint16_t host_##name(uint16_t cw, const float80 *a, float80 *r0,    \
                                float80 *r1)                                   \
    {                                                                          \
        uint16_t sw;                                                           \
        __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[a]\n\t" insn "\n\t"  \
                         "fnstsw %[sw]\n\tfnclex\n\tfldcw %[m]\n\t"            \
                         "fstpt %[r0]\n\tfstpt %[r1]\n\tfninit"                \
                         : [sw] "=m"(sw), [r0] "=m"(*r0), [r1] "=m"(*r1)       \
                         : [a] "m"(*a), [cw] "m"(cw), [m] "m"(x87t_masked_cw)  \
                         : X87T_CLOBBERS);                                     \
        return sw;                                                             \
    }

/* ST(1) = y, ST(0) = x; `insn` (which pops); *r = ST(0). */
#define HOST_BINARY(name, insn)                                                \
    static uint16_t host_##name(uint16_t cw, const float80 *x,                 \
                                const float80 *y, float80 *r)                  \
    {                                                                          \
        uint16_t sw;                                                           \
        __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[y]\n\tfldt %[x]\n\t" \
                         insn "\n\tfnstsw %[sw]\n\tfnclex\n\tfldcw %[m]\n\t"   \
                         "fstpt %[r]\n\tfninit"                                \
                         : [sw] "=m"(sw), [r] "=m"(*r)                         \
                         : [x] "m"(*x), [y] "m"(*y), [cw] "m"(cw),             \
                           [m] "m"(x87t_masked_cw)                             \
                         : X87T_CLOBBERS);                                     \
        return sw;                                                             \
    }

/* A constant load; *r = ST(0). */
#define HOST_CONST(name, insn)                                                 \
    static uint16_t host_##name(uint16_t cw, float80 *r)                       \
    {                                                                          \
        uint16_t sw;                                                           \
        __asm__ volatile("fninit\n\tfldcw %[cw]\n\t" insn "\n\t"               \
                         "fnstsw %[sw]\n\tfstpt %[r]\n\tfninit"                \
                         : [sw] "=m"(sw), [r] "=m"(*r)                         \
                         : [cw] "m"(cw)                                        \
                         : X87T_CLOBBERS);                                     \
        return sw;                                                             \
    }

HOST_UNARY(f2xm1, "f2xm1")
HOST_UNARY(sin, "fsin")
HOST_UNARY(cos, "fcos")
HOST_UNARY2(tan, "fptan")
HOST_UNARY2(sincos, "fsincos")
HOST_BINARY(yl2x, "fyl2x")
HOST_BINARY(yl2xp1, "fyl2xp1")
HOST_BINARY(atan, "fpatan")
HOST_CONST(ldpi, "fldpi")
HOST_CONST(ldl2e, "fldl2e")
HOST_CONST(ldl2t, "fldl2t")
HOST_CONST(ldlg2, "fldlg2")
HOST_CONST(ldln2, "fldln2")

#endif
#endif
