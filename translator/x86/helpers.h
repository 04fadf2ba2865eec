/*
 * helpers.h - the C prototype of every helper in helpers.def, made from
 * the list itself (HELPER_PROTO in translator/ir.h maps its type codes to
 * C types). Every file that defines or calls a helper includes this
 * header, so a definition that does not match its DEF_HELPER line fails
 * to compile, and translator/ files are built with -Wmissing-prototypes,
 * so a definition cannot skip the header. Also the encoding of the string
 * helpers' mode argument, which the translator builds.
 */
#ifndef TRANSLATOR_X86_HELPERS_H
#define TRANSLATOR_X86_HELPERS_H

#include <stdint.h>

#include "translator/ir.h"
#include "translator/x86/cpu.h"

/* The string helpers' mode argument:
 *   bits 0-1  ot: element size 1 << ot
 *   bit  2    32-bit address size (ESI/EDI/ECX, else SI/DI/CX)
 *   bits 4-6  segment of the source (DS or the override); ES is the
 *             destination
 *   bits 8-9  REP_NONE / REP_F3 / REP_F2 (decode.h) */
#define STR_MODE_OT(m) ((m) & 3)
#define STR_MODE_A32 0x4u
#define STR_MODE_SEG(m) (((m) >> 4) & 7)
#define STR_MODE_REP(m) (((m) >> 8) & 3)
#define STR_MODE(ot, a32, seg, rep)                                            \
    ((uint32_t)(ot) | ((a32) ? STR_MODE_A32 : 0) | ((uint32_t)(seg) << 4) |    \
     ((uint32_t)(rep) << 8))

#define DEF_HELPER(name, ret, flags, ...)                                      \
    HELPER_PROTO(struct cpu, name, ret, __VA_ARGS__);
#include "translator/x86/helpers.def"
#undef DEF_HELPER

#endif
