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

/* One operand as Capstone decodes it, in the decoder's numbering: general
 * registers 0-7 (EAX..EDI; with size 1, 4-7 are AH..BH), segment registers
 * in Sreg order (ES CS SS DS FS GS = 0-5), -1 where absent. */
struct disas_operand {
    char kind;     /* 'r' general register, 's' segment register, 'i' immediate,
                      'm' memory, 'x' any other register */
    uint8_t size;  /* bytes, 0 if Capstone gives none */
    int8_t reg;    /* 'r', 's' */
    int64_t imm;   /* 'i' */
    int8_t seg, base, index; /* 'm': seg is -1 when Capstone shows no override */
    uint8_t scale; /* 'm': 1, 2, 4, 8 */
    int64_t disp;  /* 'm' */
};

/* The operands of the guest instruction at code as Capstone decodes them
 * (for the decoder's tests). Returns their number (at most max are
 * stored), or -1 if Capstone rejects the instruction. */
int disas_operands(const uint8_t *code, size_t len, uint32_t addr, int mode,
                   struct disas_operand *ops, int max);

#endif
