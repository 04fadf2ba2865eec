/* diff_mode64.h - which cases behave the same in 64-bit mode, and their
 * re-encoding for the 64-bit native harness (diff_mode64.c). */
#ifndef DIFF_MODE64_H
#define DIFF_MODE64_H

#include <stdint.h>

#include "tests/diff/diff.h"

/* Instructions of a case: a sequence of DIFF_SEQ_MAX forms, each with its
 * setup MOVs and a branch's skipped MOV. */
#define DIFF64_MAX_INSNS 96

/* A case's code re-encoded for 64-bit mode, with the instruction
 * boundaries of both encodings (off32[i] <-> off64[i]; entry ninsn is the
 * end), so that a fault's EIP maps back to the 32-bit offset. */
struct diff_code64 {
    uint8_t code[2 * DIFF_CODE_MAX];
    unsigned len;
    unsigned ninsn;
    uint16_t off32[DIFF64_MAX_INSNS + 1];
    uint16_t off64[DIFF64_MAX_INSNS + 1];
};

/* Re-encode `len` bytes of 32-bit code: 0 when they run the same in
 * 64-bit mode (o filled), else the reason they do not. */
const char *diff_to64(const uint8_t *code, unsigned len, struct diff_code64 *o);

/* The 32-bit offset of the instruction that starts at off64 (bit 31 set
 * when off64 is not an instruction boundary). */
unsigned diff_off64_to32(const struct diff_code64 *o, unsigned off64);

#endif
