/*
 * x86_64_enc.c - the x86-64 encoder (see x86_64_enc.h): REX, ModRM and SIB
 * composed from opcode flags in x64_op, and one small function per
 * instruction form the native backend emits.
 */
#include "translator/backend/x86_64_enc.h"

#include <string.h>

#include "base/util.h"

void x64_byte(struct x64_buf *b, uint8_t v)
{
    if (b->pos < b->cap)
        b->rw[b->pos] = v;
    else
        b->overflow = true;
    b->pos++;
}

void x64_u32(struct x64_buf *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        x64_byte(b, (uint8_t)(v >> (8 * i)));
}

void x64_u64(struct x64_buf *b, uint64_t v)
{
    x64_u32(b, (uint32_t)v);
    x64_u32(b, (uint32_t)(v >> 32));
}

static bool fits_s8(int32_t v) { return v >= -128 && v <= 127; }

/*
 * The one place prefixes, REX and ModRM/SIB are made:
 *   [66] [REX] [0F] opcode ModRM [SIB] [disp8/disp32]
 * Register form when rm_reg != X64_NO_REG, else memory form
 * [base + index << shift + disp]. r is a register or a /digit.
 */
void x64_op(struct x64_buf *b, unsigned opc, int r, int rm_reg, int base,
            int index, int shift, int32_t disp)
{
    unsigned rex = 0;
    bool need_rex = false;

    if (opc & P_REXW)
        rex |= 8;
    if (r >= 8)
        rex |= 4;
    if (rm_reg != X64_NO_REG) {
        if (rm_reg >= 8)
            rex |= 1;
        /* spl, bpl, sil, dil exist only with a REX prefix */
        if ((opc & P_BYTE_RM) && rm_reg >= 4 && rm_reg < 8)
            need_rex = true;
    } else {
        J_ASSERT(base != X64_NO_REG);
        J_ASSERT(index != X64_RSP);
        if (index != X64_NO_REG && index >= 8)
            rex |= 2;
        if (base >= 8)
            rex |= 1;
    }
    if ((opc & P_BYTE_R) && r >= 4 && r < 8)
        need_rex = true;

    if (opc & P_DATA16)
        x64_byte(b, 0x66);
    if (rex || need_rex)
        x64_byte(b, (uint8_t)(0x40 | rex));
    if (opc & P_0F)
        x64_byte(b, 0x0f);
    x64_byte(b, (uint8_t)opc);

    if (rm_reg != X64_NO_REG) {
        x64_byte(b, (uint8_t)(0xc0 | (r & 7) << 3 | (rm_reg & 7)));
        return;
    }

    int b7 = base & 7;
    unsigned mod;
    if (disp == 0 && b7 != X64_RBP)
        mod = 0;
    else if (fits_s8(disp))
        mod = 1;
    else
        mod = 2;

    if (index == X64_NO_REG && b7 != X64_RSP) {
        x64_byte(b, (uint8_t)(mod << 6 | (r & 7) << 3 | b7));
    } else {
        int i7 = index == X64_NO_REG ? 4 : (index & 7);
        x64_byte(b, (uint8_t)(mod << 6 | (r & 7) << 3 | 4));
        x64_byte(b, (uint8_t)(shift << 6 | i7 << 3 | b7));
    }
    if (mod == 1)
        x64_byte(b, (uint8_t)disp);
    else if (mod == 2)
        x64_u32(b, (uint32_t)disp);
}

void x64_rr(struct x64_buf *b, unsigned opc, int r, int rm)
{
    x64_op(b, opc, r, rm, X64_NO_REG, X64_NO_REG, 0, 0);
}

void x64_rm(struct x64_buf *b, unsigned opc, int r, int base, int32_t disp)
{
    x64_op(b, opc, r, X64_NO_REG, base, X64_NO_REG, 0, disp);
}

void x64_rmi(struct x64_buf *b, unsigned opc, int r, int base, int index,
             int shift, int32_t disp)
{
    x64_op(b, opc, r, X64_NO_REG, base, index, shift, disp);
}

static unsigned w(bool w64) { return w64 ? P_REXW : 0; }

/* ---- moves ---- */

void x64_mov_rr(struct x64_buf *b, bool w64, int d, int s)
{
    x64_rr(b, 0x8b | w(w64), d, s); /* mov r, r/m */
}

void x64_mov_ri(struct x64_buf *b, int d, uint64_t imm)
{
    if (imm <= UINT32_MAX) {
        /* B8+r id: zero-extends into the 64-bit register */
        if (d >= 8)
            x64_byte(b, 0x41);
        x64_byte(b, (uint8_t)(0xb8 + (d & 7)));
        x64_u32(b, (uint32_t)imm);
    } else if ((int64_t)imm == (int32_t)imm) {
        x64_rr(b, 0xc7 | P_REXW, 0, d); /* C7 /0: sign-extended imm32 */
        x64_u32(b, (uint32_t)imm);
    } else {
        x64_byte(b, (uint8_t)(0x48 | (d >= 8 ? 1 : 0)));
        x64_byte(b, (uint8_t)(0xb8 + (d & 7)));
        x64_u64(b, imm);
    }
}

void x64_load(struct x64_buf *b, int d, int base, int index, int shift,
              int32_t disp, unsigned size, bool sign, bool w64)
{
    switch (size) {
    case 1:
        x64_rmi(b, (sign ? 0xbe : 0xb6) | P_0F | (sign ? w(w64) : 0), d, base,
                index, shift, disp);
        break;
    case 2:
        x64_rmi(b, (sign ? 0xbf : 0xb7) | P_0F | (sign ? w(w64) : 0), d, base,
                index, shift, disp);
        break;
    case 4:
        if (sign && w64)
            x64_rmi(b, 0x63 | P_REXW, d, base, index, shift, disp); /* movsxd */
        else
            x64_rmi(b, 0x8b, d, base, index, shift, disp);
        break;
    default:
        x64_rmi(b, 0x8b | P_REXW, d, base, index, shift, disp);
        break;
    }
}

void x64_store(struct x64_buf *b, int s, int base, int index, int shift,
               int32_t disp, unsigned size)
{
    switch (size) {
    case 1: x64_rmi(b, 0x88 | P_BYTE_R, s, base, index, shift, disp); break;
    case 2: x64_rmi(b, 0x89 | P_DATA16, s, base, index, shift, disp); break;
    case 4: x64_rmi(b, 0x89, s, base, index, shift, disp); break;
    default: x64_rmi(b, 0x89 | P_REXW, s, base, index, shift, disp); break;
    }
}

void x64_store_imm32(struct x64_buf *b, int base, int32_t disp, unsigned size,
                     uint32_t imm)
{
    x64_rm(b, 0xc7 | (size == 8 ? P_REXW : 0), 0, base, disp);
    x64_u32(b, imm);
}

void x64_lea(struct x64_buf *b, bool w64, int d, int base, int index,
             int shift, int32_t disp)
{
    x64_rmi(b, 0x8d | w(w64), d, base, index, shift, disp);
}

/* ---- arithmetic ---- */

void x64_arith_rr(struct x64_buf *b, enum x64_arith op, bool w64, int d, int s)
{
    /* row op: 03 = add r, r/m; 0B or; 23 and; 2B sub; 33 xor; 3B cmp */
    x64_rr(b, (unsigned)(op << 3 | 3) | w(w64), d, s);
}

void x64_arith_ri(struct x64_buf *b, enum x64_arith op, bool w64, int d,
                  int32_t imm)
{
    if (fits_s8(imm)) {
        x64_rr(b, 0x83 | w(w64), op, d);
        x64_byte(b, (uint8_t)imm);
    } else {
        x64_rr(b, 0x81 | w(w64), op, d);
        x64_u32(b, (uint32_t)imm);
    }
}

void x64_arith_rm(struct x64_buf *b, enum x64_arith op, bool w64, int d,
                  int base, int index, int shift, int32_t disp)
{
    x64_rmi(b, (unsigned)(op << 3 | 3) | w(w64), d, base, index, shift, disp);
}

void x64_arith_mi(struct x64_buf *b, enum x64_arith op, bool w64, int base,
                  int32_t disp, int32_t imm)
{
    if (fits_s8(imm)) {
        x64_rm(b, 0x83 | w(w64), op, base, disp);
        x64_byte(b, (uint8_t)imm);
    } else {
        x64_rm(b, 0x81 | w(w64), op, base, disp);
        x64_u32(b, (uint32_t)imm);
    }
}

void x64_test_rr(struct x64_buf *b, bool w64, int a, int c)
{
    x64_rr(b, 0x85 | w(w64), c, a);
}

void x64_shift_ri(struct x64_buf *b, enum x64_shift op, bool w64, int d,
                  unsigned count)
{
    if (count == 1) {
        x64_rr(b, 0xd1 | w(w64), op, d);
    } else {
        x64_rr(b, 0xc1 | w(w64), op, d);
        x64_byte(b, (uint8_t)count);
    }
}

void x64_shift_cl(struct x64_buf *b, enum x64_shift op, bool w64, int d)
{
    x64_rr(b, 0xd3 | w(w64), op, d);
}

void x64_neg(struct x64_buf *b, bool w64, int d) { x64_rr(b, 0xf7 | w(w64), 3, d); }
void x64_not(struct x64_buf *b, bool w64, int d) { x64_rr(b, 0xf7 | w(w64), 2, d); }

void x64_imul_rr(struct x64_buf *b, bool w64, int d, int s)
{
    x64_rr(b, 0xaf | P_0F | w(w64), d, s);
}

void x64_mul1(struct x64_buf *b, bool sign, bool w64, int s)
{
    x64_rr(b, 0xf7 | w(w64), sign ? 5 : 4, s);
}

void x64_movzx(struct x64_buf *b, int d, int s, unsigned size)
{
    x64_rr(b, (size == 1 ? (0xb6 | P_BYTE_RM) : 0xb7) | P_0F, d, s);
}

void x64_movsx(struct x64_buf *b, bool w64, int d, int s, unsigned size)
{
    if (size == 4)
        x64_rr(b, 0x63 | P_REXW, d, s); /* movsxd: 64-bit destination only */
    else
        x64_rr(b, (size == 1 ? (0xbe | P_BYTE_RM) : 0xbf) | P_0F | w(w64), d, s);
}

void x64_bswap32(struct x64_buf *b, int d)
{
    if (d >= 8)
        x64_byte(b, 0x41);
    x64_byte(b, 0x0f);
    x64_byte(b, (uint8_t)(0xc8 + (d & 7)));
}

void x64_setcc(struct x64_buf *b, enum x64_cc cc, int d)
{
    x64_rr(b, (0x90 + cc) | P_0F | P_BYTE_RM, 0, d);
}

void x64_cmov(struct x64_buf *b, enum x64_cc cc, bool w64, int d, int s)
{
    x64_rr(b, (0x40 + cc) | P_0F | w(w64), d, s);
}

/* ---- control flow ---- */

static int32_t rel32_to(const struct x64_buf *b, size_t field_pos,
                        uintptr_t target)
{
    intptr_t rel = (intptr_t)target - (intptr_t)(b->rx + field_pos + 4);
    J_ASSERT(rel == (int32_t)rel);
    return (int32_t)rel;
}

size_t x64_jmp_rel32(struct x64_buf *b, uintptr_t target)
{
    x64_byte(b, 0xe9);
    size_t at = b->pos;
    x64_u32(b, (uint32_t)rel32_to(b, at, target));
    return at;
}

size_t x64_jcc_rel32(struct x64_buf *b, enum x64_cc cc, uintptr_t target)
{
    x64_byte(b, 0x0f);
    x64_byte(b, (uint8_t)(0x80 + cc));
    size_t at = b->pos;
    x64_u32(b, (uint32_t)rel32_to(b, at, target));
    return at;
}

void x64_patch_rel32(struct x64_buf *b, size_t field_pos, uintptr_t target)
{
    if (field_pos + 4 > b->cap)
        return;
    int32_t rel = rel32_to(b, field_pos, target);
    uint32_t v = (uint32_t)rel;
    memcpy(b->rw + field_pos, &v, 4); /* x86 host: little-endian */
}

void x64_call_r(struct x64_buf *b, int r) { x64_rr(b, 0xff, 2, r); }
void x64_jmp_r(struct x64_buf *b, int r) { x64_rr(b, 0xff, 4, r); }
void x64_jmp_m(struct x64_buf *b, int base, int32_t disp) { x64_rm(b, 0xff, 4, base, disp); }

void x64_push(struct x64_buf *b, int r)
{
    if (r >= 8)
        x64_byte(b, 0x41);
    x64_byte(b, (uint8_t)(0x50 + (r & 7)));
}

void x64_pop(struct x64_buf *b, int r)
{
    if (r >= 8)
        x64_byte(b, 0x41);
    x64_byte(b, (uint8_t)(0x58 + (r & 7)));
}

void x64_ret(struct x64_buf *b) { x64_byte(b, 0xc3); }

void x64_lea_rip(struct x64_buf *b, int d, uintptr_t target)
{
    /* REX.W 8D /r with mod=00 rm=101: [rip + disp32] */
    x64_byte(b, (uint8_t)(0x48 | (d >= 8 ? 4 : 0)));
    x64_byte(b, 0x8d);
    x64_byte(b, (uint8_t)((d & 7) << 3 | 5));
    size_t at = b->pos;
    x64_u32(b, (uint32_t)rel32_to(b, at, target));
}
