/*
 * disas.h - disassembly through Capstone for logs and the monitor: guest
 * x86 code (16/32-bit) for -d in_asm, host code for -d out_asm, and the
 * length Capstone gives an instruction (for the decoder's tests).
 */
#ifndef TRANSLATOR_DISAS_H
#define TRANSLATOR_DISAS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Print code[0..len) as guest instructions, one a line:
 * "0x%08x:  bytes  mnemonic operands". mode: 16 or 32. Bytes Capstone
 * rejects are printed as ".byte 0x.." and skipped one at a time. */
void disas_guest(FILE *f, const uint8_t *code, size_t len, uint32_t addr, int mode);

/* Same for host code (x86-64 or aarch64, the architecture jet86 runs on). */
void disas_host(FILE *f, const uint8_t *code, size_t len, uint64_t addr);

/* Length of the guest instruction at code as Capstone decodes it, or -1 if
 * Capstone rejects it. */
int disas_length(const uint8_t *code, size_t len, uint32_t addr, int mode);

/* Like disas_length, and writes "mnemonic operands" into text (always
 * NUL-terminated; empty when rejected). */
int disas_insn_text(const uint8_t *code, size_t len, uint32_t addr, int mode,
                    char *text, size_t size);

#endif
