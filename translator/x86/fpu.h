/*
 * fpu.h - the x87 FPU's guest-visible state (struct x87_state, part of
 * struct cpu) and the accessors the helpers, the board and the tests use.
 *
 * The arithmetic is base/float80.h; this is the machine around it: the
 * register stack, the tag, control and status words, the last-instruction
 * pointers, and the error signalling (#MF, or FERR# to the board).
 *
 * Status word (SDM vol. 1 8.1.3, Figure 8-4):
 *
 *    15 14 13-11 10  9  8  7  6  5  4  3  2  1  0
 *   +--+--+-----+--+--+--+--+--+--+--+--+--+--+--+
 *   |B |C3| TOP |C2|C1|C0|ES|SF|PE|UE|OE|ZE|DE|IE|
 *   +--+--+-----+--+--+--+--+--+--+--+--+--+--+--+
 *
 * `sw` keeps every bit but TOP, which lives in `top`: fpu_get_sw() puts
 * them together. The tag word (SDM vol. 1 8.1.7) is kept abridged, one
 * bit per physical register, 1 = not empty (FXSAVE's form); the full
 * two-bit tags (valid, zero, special) are computed from the registers'
 * contents when FSTENV/FSAVE store them, and a loaded tag word only says
 * which registers are empty, as the hardware does.
 */
#ifndef TRANSLATOR_X86_FPU_H
#define TRANSLATOR_X86_FPU_H

#include <stdbool.h>
#include <stdint.h>

#include "base/float80.h"

#define FPU_SW_TOP_SHIFT 11
#define FPU_SW_TOP (7u << FPU_SW_TOP_SHIFT)
#define FPU_SW_B 0x8000u
/* Two-bit tags (SDM vol. 1 Figure 8-7). */
enum {
    FPU_TAG_VALID = 0,
    FPU_TAG_ZERO = 1,
    FPU_TAG_SPECIAL = 2,
    FPU_TAG_EMPTY = 3
};

struct x87_state {
    float80 regs[8]; /* physical registers R0..R7; ST(i) is R((top+i)&7) */
    uint16_t cw;     /* control word */
    uint16_t sw;     /* status word, TOP bits clear */
    uint8_t top;
    uint8_t valid; /* abridged tag: bit i set = R(i) is not empty */
    uint16_t fop; /* last non-control opcode: 11 bits, (esc & 7) << 8 | ModRM */
    uint32_t fip, fdp; /* last instruction and operand offsets */
    uint16_t fcs, fds; /* ... and their selectors */
    uint32_t mxcsr;    /* FXSAVE/FXRSTOR's SSE control word (no SSE unit) */
    bool ferr;         /* the FERR# output is asserted (CR0.NE = 0) */
    bool ignne;        /* the board's IGNNE#: a pending error is ignored */
};

#define FPU_MXCSR_DEFAULT 0x1f80u
#define FPU_MXCSR_MASK 0x0000ffbfu /* writable MXCSR bits (no DAZ) */

/* FNINIT (SDM vol. 1 8.1.11 Table 8-9): CW 037F, SW 0, every tag empty,
 * pointers and opcode 0. Registers keep their contents. */
void fpu_init(struct x87_state *f);
/* Power-on and RESET (SDM 3A 9.1.1, Table 9-1; 9.2: "different from the
 * state ... following the execution of an FINIT or FNINIT"): CW 0040
 * (every exception unmasked, single precision, round to nearest), SW 0,
 * tag word 5555 (R0-R7 hold +0.0, tagged zero), pointers and opcode 0;
 * MXCSR 1F80. INIT would leave the x87 alone; this board has no INIT. */
#define FPU_CW_RESET 0x0040u
void fpu_reset(struct x87_state *f);

static inline int fpu_phys(const struct x87_state *f, int i)
{
    return (f->top + i) & 7;
}
static inline uint16_t fpu_get_sw(const struct x87_state *f)
{
    return (uint16_t)((f->sw & ~FPU_SW_TOP) | (f->top << FPU_SW_TOP_SHIFT));
}
/* The two-bit tag of a physical register, from its contents. */
unsigned fpu_tag_of(const struct x87_state *f, int phys);
/* The full tag word (FSTENV, FSAVE). */
uint16_t fpu_get_tag(const struct x87_state *f);
/* Loads of the words: the tag word says only which registers are empty
 * (11); the status word sets TOP; both as FLDENV does. */
void fpu_set_tag(struct x87_state *f, uint16_t tag);
/* A control word as loaded: bits 13-15 read 0 and bit 6 reads 1 (the
 * host x87 and SDM vol. 1 Figure 8-6's reserved bits); bit 12, the 287's
 * infinity control, is kept but means nothing. */
static inline void fpu_set_cw(struct x87_state *f, uint16_t cw)
{
    f->cw = (uint16_t)((cw & 0x1f3f) | 0x40);
}
void fpu_set_sw(struct x87_state *f, uint16_t sw);

#endif
