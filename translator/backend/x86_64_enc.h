/*
 * x86_64_enc.h - a small x86-64 instruction encoder for the native backend.
 *
 * Every instruction is an opcode constant with flag bits saying which
 * prefixes it needs (0F escape, REX.W, 66h, byte registers), and one of
 * three operand shapes: register/register, register/memory
 * [base + index*scale + disp32], or no ModRM. The REX prefix and the
 * ModRM/SIB bytes are composed from those in one place (x64_modrm_*), so
 * each instruction form is a line.
 *
 * Code is written through the writable view (rw) of the code buffer while
 * addresses (for rel32 branches and calls) are those of the executable view
 * (rx); the two are the same memory mapped twice, or one mapping where the
 * host allows writable+executable pages.
 */
#ifndef TRANSLATOR_BACKEND_X86_64_ENC_H
#define TRANSLATOR_BACKEND_X86_64_ENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum x64_reg {
    X64_RAX, X64_RCX, X64_RDX, X64_RBX, X64_RSP, X64_RBP, X64_RSI, X64_RDI,
    X64_R8, X64_R9, X64_R10, X64_R11, X64_R12, X64_R13, X64_R14, X64_R15,
};
#define X64_NO_REG (-1)

/* Condition codes (the low nibble of Jcc/SETcc/CMOVcc). */
enum x64_cc {
    X64_CC_O, X64_CC_NO, X64_CC_B, X64_CC_AE, X64_CC_E, X64_CC_NE, X64_CC_BE,
    X64_CC_A, X64_CC_S, X64_CC_NS, X64_CC_P, X64_CC_NP, X64_CC_L, X64_CC_GE,
    X64_CC_LE, X64_CC_G,
};

/* Opcode flags, above the opcode byte. */
#define P_0F 0x100      /* 0F escape */
#define P_REXW 0x200    /* 64-bit operand size */
#define P_DATA16 0x400  /* 66h: 16-bit operand size */
#define P_BYTE_R 0x800  /* reg field is a byte register (spl..dil need REX) */
#define P_BYTE_RM 0x1000 /* r/m field is a byte register */

/* Group-1 arithmetic (/digit of 81 and 83, and the row of the rr opcodes). */
enum x64_arith { ARITH_ADD = 0, ARITH_OR = 1, ARITH_AND = 4, ARITH_SUB = 5,
                 ARITH_XOR = 6, ARITH_CMP = 7 };
/* Group-2 shifts (/digit of C1, D1, D3). */
enum x64_shift { SHIFT_ROL = 0, SHIFT_ROR = 1, SHIFT_SHL = 4, SHIFT_SHR = 5,
                 SHIFT_SAR = 7 };

struct x64_buf {
    uint8_t *rw;     /* write here */
    uintptr_t rx;    /* ...this address executes it */
    size_t pos, cap;
    bool overflow;   /* ran past cap: the caller discards the block */
};

static inline uintptr_t x64_addr(const struct x64_buf *b)
{
    return b->rx + b->pos;
}

void x64_byte(struct x64_buf *b, uint8_t v);
void x64_u32(struct x64_buf *b, uint32_t v);
void x64_u64(struct x64_buf *b, uint64_t v);

/* Generic forms: opc = opcode byte | P_* flags. */
void x64_op(struct x64_buf *b, unsigned opc, int r, int rm_reg, int base,
            int index, int shift, int32_t disp);
void x64_rr(struct x64_buf *b, unsigned opc, int r, int rm);
void x64_rm(struct x64_buf *b, unsigned opc, int r, int base, int32_t disp);
void x64_rmi(struct x64_buf *b, unsigned opc, int r, int base, int index,
             int shift, int32_t disp);

/* Moves. w64: 64-bit operand size. */
void x64_mov_rr(struct x64_buf *b, bool w64, int d, int s);
/* Load an immediate without touching EFLAGS. */
void x64_mov_ri(struct x64_buf *b, int d, uint64_t imm);
/* Loads of size 1/2/4/8 bytes, zero- or sign-extended to 32 (w64 false) or
 * 64 bits; stores of size 1/2/4/8. */
void x64_load(struct x64_buf *b, int d, int base, int index, int shift,
              int32_t disp, unsigned size, bool sign, bool w64);
void x64_store(struct x64_buf *b, int s, int base, int index, int shift,
               int32_t disp, unsigned size);
void x64_store_imm32(struct x64_buf *b, int base, int32_t disp, unsigned size,
                     uint32_t imm); /* size 4: 32-bit; 8: sign-extended */
void x64_lea(struct x64_buf *b, bool w64, int d, int base, int index,
             int shift, int32_t disp);

/* Arithmetic. */
void x64_arith_rr(struct x64_buf *b, enum x64_arith op, bool w64, int d, int s);
void x64_arith_ri(struct x64_buf *b, enum x64_arith op, bool w64, int d,
                  int32_t imm);
void x64_arith_rm(struct x64_buf *b, enum x64_arith op, bool w64, int d,
                  int base, int index, int shift, int32_t disp);
void x64_arith_mi(struct x64_buf *b, enum x64_arith op, bool w64, int base,
                  int32_t disp, int32_t imm);
void x64_test_rr(struct x64_buf *b, bool w64, int a, int c);
void x64_shift_ri(struct x64_buf *b, enum x64_shift op, bool w64, int d,
                  unsigned count);
void x64_shift_cl(struct x64_buf *b, enum x64_shift op, bool w64, int d);
void x64_neg(struct x64_buf *b, bool w64, int d);
void x64_not(struct x64_buf *b, bool w64, int d);
void x64_imul_rr(struct x64_buf *b, bool w64, int d, int s);
void x64_mul1(struct x64_buf *b, bool sign, bool w64, int s); /* rdx:rax = rax * s */
void x64_movzx(struct x64_buf *b, int d, int s, unsigned size); /* size 1/2 -> 32 */
void x64_movsx(struct x64_buf *b, bool w64, int d, int s, unsigned size); /* 1/2/4 */
void x64_bswap32(struct x64_buf *b, int d);
void x64_setcc(struct x64_buf *b, enum x64_cc cc, int d);
void x64_cmov(struct x64_buf *b, enum x64_cc cc, bool w64, int d, int s);

/* Control flow. The rel32 forms return the buffer position of the rel32
 * field for later patching (x64_patch_rel32). */
size_t x64_jmp_rel32(struct x64_buf *b, uintptr_t target);
size_t x64_jcc_rel32(struct x64_buf *b, enum x64_cc cc, uintptr_t target);
void x64_patch_rel32(struct x64_buf *b, size_t field_pos, uintptr_t target);
void x64_call_r(struct x64_buf *b, int r);
void x64_jmp_r(struct x64_buf *b, int r);
void x64_jmp_m(struct x64_buf *b, int base, int32_t disp);
void x64_push(struct x64_buf *b, int r);
void x64_pop(struct x64_buf *b, int r);
void x64_ret(struct x64_buf *b);
/* lea r, [rip + (target - next)] */
void x64_lea_rip(struct x64_buf *b, int d, uintptr_t target);

#endif
