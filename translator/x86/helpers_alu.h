/*
 * helpers_alu.h - prototypes of the helpers listed in helpers_alu.def, and
 * the mode word the translator passes to the string helpers.
 */
#ifndef TRANSLATOR_HELPERS_ALU_H
#define TRANSLATOR_HELPERS_ALU_H

#include <stdint.h>

#include "translator/x86/cpu.h"

/* String helpers' mode argument:
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

uint32_t helper_cc_compute_all(struct cpu *cpu, uint32_t op, uint32_t dst,
                               uint32_t src, uint32_t src2);
uint32_t helper_cc_compute_c(struct cpu *cpu, uint32_t op, uint32_t dst,
                             uint32_t src, uint32_t src2);
void helper_div8(struct cpu *cpu, uint32_t divisor);
void helper_div16(struct cpu *cpu, uint32_t divisor);
void helper_div32(struct cpu *cpu, uint32_t divisor);
void helper_idiv8(struct cpu *cpu, uint32_t divisor);
void helper_idiv16(struct cpu *cpu, uint32_t divisor);
void helper_idiv32(struct cpu *cpu, uint32_t divisor);
void helper_daa(struct cpu *cpu);
void helper_das(struct cpu *cpu);
void helper_aaa(struct cpu *cpu);
void helper_aas(struct cpu *cpu);
void helper_aam(struct cpu *cpu, uint32_t imm);
void helper_aad(struct cpu *cpu, uint32_t imm);
uint32_t helper_bsf(struct cpu *cpu, uint32_t src, uint32_t old);
uint32_t helper_bsr(struct cpu *cpu, uint32_t src, uint32_t old);
uint32_t helper_rcl(struct cpu *cpu, uint32_t value, uint32_t count,
                    uint32_t ot);
uint32_t helper_rcr(struct cpu *cpu, uint32_t value, uint32_t count,
                    uint32_t ot);
uint32_t helper_read_eflags(struct cpu *cpu);
void helper_popf(struct cpu *cpu, uint32_t value, uint32_t opsize);
void helper_cli(struct cpu *cpu);
void helper_sti(struct cpu *cpu);
void helper_movs(struct cpu *cpu, uint32_t mode, uint32_t eip);
void helper_stos(struct cpu *cpu, uint32_t mode, uint32_t eip);
void helper_lods(struct cpu *cpu, uint32_t mode, uint32_t eip);
void helper_scas(struct cpu *cpu, uint32_t mode, uint32_t eip);
void helper_cmps(struct cpu *cpu, uint32_t mode, uint32_t eip);
void helper_ins(struct cpu *cpu, uint32_t mode, uint32_t eip);
void helper_outs(struct cpu *cpu, uint32_t mode, uint32_t eip);

#endif
