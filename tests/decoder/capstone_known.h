/*
 * capstone_known.h - the written-down list of Capstone 4 decoding errors
 * that decoder_vs_capstone tolerates: each entry recognizes one class of
 * byte strings and says, with the manual reference, what the right answer is.
 */
#ifndef TESTS_DECODER_CAPSTONE_KNOWN_H
#define TESTS_DECODER_CAPSTONE_KNOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "translator/x86/decode.h"

/* One compared case: the bytes, the mode, our decode and Capstone's. */
struct cs_case {
    const uint8_t *bytes; /* 16 bytes */
    int mode;             /* 16 or 32 */
    const struct x86_insn *insn;
    enum x86_decode_status st;
    int cs_len;           /* 0: Capstone rejected */
    const char *cs_text;  /* Capstone's "mnemonic operands", "" if rejected */
};

struct cs_known {
    const char *name;
    const char *reason; /* why Capstone is wrong, with the manual reference */
    bool (*match)(const struct cs_case *c);
};

extern const struct cs_known capstone_known[];
extern const size_t capstone_known_count;

#endif
