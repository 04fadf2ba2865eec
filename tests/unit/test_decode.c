/*
 * test_decode.c - unit tests of the x86 decoder (translator/decode.c) on
 * hand-written encodings: prefixes, 16/32-bit addressing, immediates,
 * branch targets, groups, invalid forms and the 15-byte limit; and the
 * Capstone wrappers of translator/disas.c.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "translator/x86/cpu.h"
#include "translator/x86/decode.h"
#include "translator/disas.h"

static struct x86_insn insn;

/* Decode the given bytes (the rest of a 16-byte buffer is zero). */
static enum x86_decode_status dec_at(int mode, uint32_t pc, unsigned n, ...)
{
    uint8_t buf[32] = { 0 };
    va_list ap;
    va_start(ap, n);
    for (unsigned i = 0; i < n; i++)
        buf[i] = (uint8_t)va_arg(ap, int);
    va_end(ap);
    return x86_decode_buf(&insn, mode, pc, buf, sizeof(buf));
}

#define DEC32(...) dec_at(32, 0x1000, __VA_ARGS__)
#define DEC16(...) dec_at(16, 0x100, __VA_ARGS__)

static void check_mem(int seg, int base, int index, int scale, int32_t disp)
{
    ck_assert_int_eq(insn.mem.seg, seg);
    ck_assert_int_eq(insn.mem.base, base);
    ck_assert_int_eq(insn.mem.index, index);
    ck_assert_int_eq(insn.mem.scale, scale);
    ck_assert_int_eq(insn.mem.disp, disp);
}

static void check_op(int i, int kind, int size, int reg)
{
    ck_assert_int_eq(insn.op[i].kind, kind);
    ck_assert_int_eq(insn.op[i].size, size);
    if (kind == OPND_REG || kind == OPND_SEG || kind == OPND_CR)
        ck_assert_int_eq(insn.op[i].reg, reg);
}

START_TEST(test_basic_alu)
{
    /* add eax, ebx */
    ck_assert_int_eq(DEC32(2, 0x01, 0xd8), DECODE_OK);
    ck_assert_int_eq(insn.len, 2);
    ck_assert_int_eq(insn.mnem, X86_ADD);
    ck_assert_int_eq(insn.n_opnds, 2);
    check_op(0, OPND_REG, 4, R_EAX);
    check_op(1, OPND_REG, 4, R_EBX);
    /* add al, ah (byte registers 4-7 are AH..BH) */
    ck_assert_int_eq(DEC32(2, 0x02, 0xc4), DECODE_OK);
    check_op(0, OPND_REG, 1, 0);
    check_op(1, OPND_REG, 1, 4);
    /* cmp eax, imm32 */
    ck_assert_int_eq(DEC32(5, 0x3d, 0x78, 0x56, 0x34, 0x12), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_CMP);
    ck_assert_int_eq(insn.len, 5);
    ck_assert_uint_eq(insn.op[1].value, 0x12345678);
    /* 16-bit mode: the same opcode takes an imm16 */
    ck_assert_int_eq(DEC16(3, 0x3d, 0x34, 0x12), DECODE_OK);
    ck_assert_int_eq(insn.len, 3);
    check_op(0, OPND_REG, 2, R_EAX);
    ck_assert_uint_eq(insn.op[1].value, 0x1234);
}
END_TEST

START_TEST(test_prefixes)
{
    /* 66 flips the operand size: add ax, imm16 in 32-bit mode */
    ck_assert_int_eq(DEC32(4, 0x66, 0x05, 0x34, 0x12), DECODE_OK);
    ck_assert_int_eq(insn.len, 4);
    ck_assert_int_eq(insn.opsize, 2);
    ck_assert_int_eq(insn.addrsize, 4);
    /* ... and to 32 bits in 16-bit mode */
    ck_assert_int_eq(DEC16(6, 0x66, 0x05, 1, 2, 3, 4), DECODE_OK);
    ck_assert_int_eq(insn.len, 6);
    ck_assert_int_eq(insn.opsize, 4);
    /* 67: 16-bit addressing in 32-bit mode, mov eax, [bx+si] */
    ck_assert_int_eq(DEC32(3, 0x67, 0x8b, 0x00), DECODE_OK);
    ck_assert_int_eq(insn.addrsize, 2);
    check_mem(SEG_DS, R_EBX, R_ESI, 0, 0);
    /* the last segment override wins: es cs fs mov eax, [eax] */
    ck_assert_int_eq(DEC32(5, 0x26, 0x2e, 0x64, 0x8b, 0x00), DECODE_OK);
    ck_assert_int_eq(insn.seg_override, SEG_FS);
    check_mem(SEG_FS, R_EAX, -1, 0, 0);
    /* rep movsb; repne scasd; the last of F2/F3 wins */
    ck_assert_int_eq(DEC32(2, 0xf3, 0xa4), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_MOVS);
    ck_assert_int_eq(insn.rep, REP_F3);
    ck_assert_int_eq(DEC32(3, 0xf3, 0xf2, 0xaf), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_SCAS);
    ck_assert_int_eq(insn.rep, REP_F2);
    /* lock add [eax], ecx */
    ck_assert_int_eq(DEC32(3, 0xf0, 0x01, 0x08), DECODE_OK);
    ck_assert(insn.lock);
    ck_assert_int_eq(insn.mnem, X86_ADD);
    /* pause = F3 90, plain 90 is nop */
    ck_assert_int_eq(DEC32(2, 0xf3, 0x90), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_PAUSE);
    ck_assert_int_eq(DEC32(1, 0x90), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_NOP);
}
END_TEST

START_TEST(test_addr16)
{
    /* mov ax, [bx+si] */
    ck_assert_int_eq(DEC16(2, 0x8b, 0x00), DECODE_OK);
    ck_assert_int_eq(insn.len, 2);
    check_mem(SEG_DS, R_EBX, R_ESI, 0, 0);
    /* [bp+di]: SS */
    ck_assert_int_eq(DEC16(2, 0x8b, 0x03), DECODE_OK);
    check_mem(SEG_SS, R_EBP, R_EDI, 0, 0);
    /* [si], [di], [bx]: a lone register is a base */
    ck_assert_int_eq(DEC16(2, 0x8b, 0x04), DECODE_OK);
    check_mem(SEG_DS, R_ESI, -1, 0, 0);
    ck_assert_int_eq(DEC16(2, 0x8b, 0x05), DECODE_OK);
    check_mem(SEG_DS, R_EDI, -1, 0, 0);
    ck_assert_int_eq(DEC16(2, 0x8b, 0x07), DECODE_OK);
    check_mem(SEG_DS, R_EBX, -1, 0, 0);
    /* mod 0 rm 6: [disp16], DS */
    ck_assert_int_eq(DEC16(4, 0x8b, 0x06, 0x34, 0x12), DECODE_OK);
    ck_assert_int_eq(insn.len, 4);
    check_mem(SEG_DS, -1, -1, 0, 0x1234);
    /* [bp+disp8], sign-extended, SS */
    ck_assert_int_eq(DEC16(3, 0x8b, 0x46, 0xfe), DECODE_OK);
    ck_assert_int_eq(insn.len, 3);
    check_mem(SEG_SS, R_EBP, -1, 0, -2);
    /* [bx+si+disp16] */
    ck_assert_int_eq(DEC16(4, 0x8b, 0x80, 0x00, 0x80), DECODE_OK);
    ck_assert_int_eq(insn.len, 4);
    check_mem(SEG_DS, R_EBX, R_ESI, 0, -0x8000);
    /* es: [bp+0] overrides the SS default */
    ck_assert_int_eq(DEC16(4, 0x26, 0x8b, 0x46, 0x00), DECODE_OK);
    check_mem(SEG_ES, R_EBP, -1, 0, 0);
    /* register form has no memory operand */
    ck_assert_int_eq(DEC16(2, 0x8b, 0xc1), DECODE_OK);
    check_op(1, OPND_REG, 2, R_ECX);
}
END_TEST

START_TEST(test_addr32)
{
    /* mov eax, [ecx] */
    ck_assert_int_eq(DEC32(2, 0x8b, 0x01), DECODE_OK);
    check_mem(SEG_DS, R_ECX, -1, 0, 0);
    check_op(1, OPND_MEM, 4, 0);
    /* [esp]: SIB, SS */
    ck_assert_int_eq(DEC32(3, 0x8b, 0x04, 0x24), DECODE_OK);
    ck_assert_int_eq(insn.len, 3);
    check_mem(SEG_SS, R_ESP, -1, 0, 0);
    /* [ebp+disp8]: SS */
    ck_assert_int_eq(DEC32(3, 0x8b, 0x45, 0x08), DECODE_OK);
    check_mem(SEG_SS, R_EBP, -1, 0, 8);
    /* mod 0 rm 5: [disp32] */
    ck_assert_int_eq(DEC32(6, 0x8b, 0x05, 0x78, 0x56, 0x34, 0x12), DECODE_OK);
    ck_assert_int_eq(insn.len, 6);
    check_mem(SEG_DS, -1, -1, 0, 0x12345678);
    /* [eax+ecx*4+disp8] */
    ck_assert_int_eq(DEC32(4, 0x8b, 0x44, 0x88, 0xf0), DECODE_OK);
    ck_assert_int_eq(insn.len, 4);
    check_mem(SEG_DS, R_EAX, R_ECX, 2, -16);
    /* SIB base 5 with mod 0: [index*8 + disp32], no base */
    ck_assert_int_eq(DEC32(7, 0x8b, 0x04, 0xf5, 0x00, 0x10, 0x00, 0x00), DECODE_OK);
    ck_assert_int_eq(insn.len, 7);
    check_mem(SEG_DS, -1, R_ESI, 3, 0x1000);
    /* SIB index 4 = none: [ebx] through a SIB */
    ck_assert_int_eq(DEC32(3, 0x8b, 0x04, 0x23), DECODE_OK);
    check_mem(SEG_DS, R_EBX, -1, 0, 0);
    /* [ebp+disp32] with SIB, SS */
    ck_assert_int_eq(DEC32(7, 0x8b, 0x84, 0x25, 1, 0, 0, 0), DECODE_OK);
    ck_assert_int_eq(insn.len, 7);
    check_mem(SEG_SS, R_EBP, -1, 0, 1);
    /* lea eax, [esp+8]: no access, size 0 */
    ck_assert_int_eq(DEC32(4, 0x8d, 0x44, 0x24, 0x08), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_LEA);
    check_op(1, OPND_MEM, 0, 0);
    check_mem(SEG_SS, R_ESP, -1, 0, 8);
    /* moffs: mov eax, [0x12345678]; with 67 in 16-bit mode a 32-bit offset */
    ck_assert_int_eq(DEC32(5, 0xa1, 0x78, 0x56, 0x34, 0x12), DECODE_OK);
    ck_assert_int_eq(insn.len, 5);
    check_mem(SEG_DS, -1, -1, 0, 0x12345678);
    ck_assert_int_eq(DEC16(6, 0x67, 0xa0, 1, 0, 0, 0), DECODE_OK);
    ck_assert_int_eq(insn.len, 6);
}
END_TEST

START_TEST(test_immediates)
{
    /* 83 /0 ib sign-extends to the operand size */
    ck_assert_int_eq(DEC32(3, 0x83, 0xc0, 0xff), DECODE_OK);
    check_op(1, OPND_IMM, 4, 0);
    ck_assert_uint_eq(insn.op[1].value, 0xffffffff);
    ck_assert_int_eq(DEC16(3, 0x83, 0xc0, 0x80), DECODE_OK);
    check_op(1, OPND_IMM, 2, 0);
    ck_assert_uint_eq(insn.op[1].value, 0xff80);
    /* 80 /0 ib stays a byte */
    ck_assert_int_eq(DEC32(3, 0x80, 0xc0, 0x80), DECODE_OK);
    check_op(1, OPND_IMM, 1, 0);
    ck_assert_uint_eq(insn.op[1].value, 0x80);
    /* push imm8 sign-extended, push imm32 */
    ck_assert_int_eq(DEC32(2, 0x6a, 0xfe), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_PUSH);
    ck_assert_uint_eq(insn.op[0].value, 0xfffffffe);
    ck_assert_int_eq(DEC32(5, 0x68, 1, 2, 3, 4), DECODE_OK);
    ck_assert_uint_eq(insn.op[0].value, 0x04030201);
    /* imul eax, [ecx], imm8 / imm32 */
    ck_assert_int_eq(DEC32(3, 0x6b, 0x01, 0x85), DECODE_OK);
    ck_assert_int_eq(insn.n_opnds, 3);
    ck_assert_uint_eq(insn.op[2].value, 0xffffff85);
    ck_assert_int_eq(DEC32(6, 0x69, 0x01, 1, 0, 0, 0), DECODE_OK);
    ck_assert_int_eq(insn.len, 6);
    /* mov r, imm: B0+r ib, B8+r id; 66 in 32-bit mode gives iw */
    ck_assert_int_eq(DEC32(2, 0xb4, 0x12), DECODE_OK);
    check_op(0, OPND_REG, 1, 4);
    ck_assert_int_eq(DEC32(4, 0x66, 0xbf, 0x34, 0x12), DECODE_OK);
    ck_assert_int_eq(insn.len, 4);
    check_op(0, OPND_REG, 2, R_EDI);
    ck_assert_uint_eq(insn.op[1].value, 0x1234);
    /* mov dword [eax+disp32], imm32: disp before the immediate */
    ck_assert_int_eq(DEC32(10, 0xc7, 0x80, 1, 0, 0, 0, 0x78, 0x56, 0x34, 0x12), DECODE_OK);
    ck_assert_int_eq(insn.len, 10);
    ck_assert_int_eq(insn.mem.disp, 1);
    ck_assert_uint_eq(insn.op[1].value, 0x12345678);
    /* enter iw, ib; ret iw; int ib */
    ck_assert_int_eq(DEC32(4, 0xc8, 0x10, 0x00, 0x01), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_ENTER);
    ck_assert_int_eq(insn.len, 4);
    ck_assert_uint_eq(insn.op[0].value, 0x10);
    ck_assert_uint_eq(insn.op[1].value, 1);
    ck_assert_int_eq(DEC32(3, 0xc2, 0x08, 0x00), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_RET);
    ck_assert_uint_eq(insn.op[0].value, 8);
    ck_assert_int_eq(DEC32(2, 0xcd, 0x80), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_INT);
    ck_assert_uint_eq(insn.op[0].value, 0x80);
    /* shifts: D1 by 1, D3 by CL, C1 by imm8 */
    ck_assert_int_eq(DEC32(2, 0xd1, 0xe0), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_SHL);
    check_op(1, OPND_IMM, 1, 0);
    ck_assert_uint_eq(insn.op[1].value, 1);
    ck_assert_int_eq(DEC32(2, 0xd3, 0xf8), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_SAR);
    check_op(1, OPND_REG, 1, R_ECX);
    ck_assert_int_eq(DEC32(3, 0xc1, 0xe8, 0x05), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_SHR);
    ck_assert_uint_eq(insn.op[1].value, 5);
}
END_TEST

START_TEST(test_branches)
{
    /* call rel32: target = next eip + disp */
    ck_assert_int_eq(dec_at(32, 0x1000, 5, 0xe8, 0x10, 0, 0, 0), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_CALL);
    check_op(0, OPND_REL, 4, 0);
    ck_assert_uint_eq(insn.op[0].value, 0x1015);
    /* jmp short backwards */
    ck_assert_int_eq(dec_at(32, 0x1000, 2, 0xeb, 0xfe), DECODE_OK);
    ck_assert_uint_eq(insn.op[0].value, 0x1000);
    /* jz rel8 sets cc 4; jg rel32 (0F 8F) cc 15 */
    ck_assert_int_eq(dec_at(32, 0x1000, 2, 0x74, 0x02), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_JCC);
    ck_assert_int_eq(insn.cc, 4);
    ck_assert_uint_eq(insn.op[0].value, 0x1004);
    ck_assert_int_eq(dec_at(32, 0x1000, 6, 0x0f, 0x8f, 0, 1, 0, 0), DECODE_OK);
    ck_assert_int_eq(insn.cc, 15);
    ck_assert_int_eq(insn.len, 6);
    ck_assert_uint_eq(insn.op[0].value, 0x1106);
    /* 16-bit: targets wrap at 64 KiB */
    ck_assert_int_eq(dec_at(16, 0xfffe, 2, 0xeb, 0x00), DECODE_OK);
    ck_assert_uint_eq(insn.op[0].value, 0x0000);
    ck_assert_int_eq(dec_at(16, 0x0010, 3, 0xe9, 0x00, 0x80), DECODE_OK);
    ck_assert_int_eq(insn.len, 3);
    ck_assert_uint_eq(insn.op[0].value, 0x8013);
    ck_assert_int_eq(dec_at(16, 0x0100, 4, 0x0f, 0x84, 0xfc, 0xff), DECODE_OK);
    ck_assert_int_eq(insn.len, 4);
    ck_assert_uint_eq(insn.op[0].value, 0x0100);
    /* 66 call in 32-bit mode: rel16, target truncated to 16 bits */
    ck_assert_int_eq(dec_at(32, 0x12345, 4, 0x66, 0xe8, 0x00, 0x10), DECODE_OK);
    ck_assert_int_eq(insn.len, 4);
    ck_assert_uint_eq(insn.op[0].value, (0x12349 + 0x1000) & 0xffff);
    /* loop / jecxz */
    ck_assert_int_eq(dec_at(32, 0x1000, 2, 0xe2, 0xfe), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_LOOP);
    ck_assert_int_eq(dec_at(32, 0x1000, 3, 0x67, 0xe3, 0x00), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_JCXZ);
    ck_assert_int_eq(insn.addrsize, 2);
    /* far: jmp ptr16:32, call ptr16:16 */
    ck_assert_int_eq(DEC32(7, 0xea, 0x78, 0x56, 0x34, 0x12, 0x08, 0x00), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_JMPF);
    check_op(0, OPND_FAR, 6, 0);
    ck_assert_uint_eq(insn.op[0].value, 0x12345678);
    ck_assert_uint_eq(insn.op[0].sel, 8);
    ck_assert_int_eq(DEC16(5, 0x9a, 0x34, 0x12, 0x00, 0xf0), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_CALLF);
    ck_assert_int_eq(insn.len, 5);
    ck_assert_uint_eq(insn.op[0].value, 0x1234);
    ck_assert_uint_eq(insn.op[0].sel, 0xf000);
    /* setcc and cmovcc carry their condition */
    ck_assert_int_eq(DEC32(3, 0x0f, 0x92, 0xc0), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_SETCC);
    ck_assert_int_eq(insn.cc, 2);
    ck_assert_int_eq(DEC32(3, 0x0f, 0x4f, 0xc1), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_CMOVCC);
    ck_assert_int_eq(insn.cc, 15);
}
END_TEST

START_TEST(test_groups)
{
    static const struct {
        uint8_t b[4];
        unsigned n, len;
        int mnem;
    } t[] = {
        { { 0x80, 0xf9, 0x05 }, 3, 3, X86_CMP },
        { { 0x81, 0xe3, 0xff }, 3, 6, X86_AND },
        { { 0x83, 0xd0, 0x01 }, 3, 3, X86_ADC },
        { { 0xc0, 0xc8, 0x03 }, 3, 3, X86_ROR },
        { { 0xd0, 0xd0 }, 2, 2, X86_RCL },
        { { 0xd2, 0xd8 }, 2, 2, X86_RCR },
        { { 0xd1, 0xf0 }, 2, 2, X86_SAL },
        { { 0xf6, 0xc3, 0x01 }, 3, 3, X86_TEST },
        { { 0xf7, 0xc3, 0x01 }, 3, 6, X86_TEST },
        { { 0xf7, 0xd8 }, 2, 2, X86_NEG },
        { { 0xf7, 0xd0 }, 2, 2, X86_NOT },
        { { 0xf7, 0xe1 }, 2, 2, X86_MUL },
        { { 0xf7, 0xe9 }, 2, 2, X86_IMUL },
        { { 0xf7, 0xf1 }, 2, 2, X86_DIV },
        { { 0xf6, 0xf9 }, 2, 2, X86_IDIV },
        { { 0xfe, 0xc8 }, 2, 2, X86_DEC },
        { { 0xff, 0xc0 }, 2, 2, X86_INC },
        { { 0xff, 0xd0 }, 2, 2, X86_CALL },
        { { 0xff, 0x18 }, 2, 2, X86_CALLF },
        { { 0xff, 0xe0 }, 2, 2, X86_JMP },
        { { 0xff, 0x28 }, 2, 2, X86_JMPF },
        { { 0xff, 0x30 }, 2, 2, X86_PUSH },
        { { 0x8f, 0xc0 }, 2, 2, X86_POP },
        { { 0xc6, 0x00, 0x01 }, 3, 3, X86_MOV },
        { { 0x0f, 0xba, 0xe0, 0x03 }, 4, 4, X86_BT },
        { { 0x0f, 0xba, 0xf8, 0x03 }, 4, 4, X86_BTC },
        { { 0x0f, 0x01, 0x10 }, 3, 3, X86_LGDT },
        { { 0x0f, 0x01, 0x18 }, 3, 3, X86_LIDT },
        { { 0x0f, 0x01, 0x38 }, 3, 3, X86_INVLPG },
        { { 0x0f, 0x01, 0xe0 }, 3, 3, X86_SMSW },
        { { 0x0f, 0x01, 0xf0 }, 3, 3, X86_LMSW },
        { { 0x0f, 0x00, 0xc8 }, 3, 3, X86_STR },
        { { 0x0f, 0x00, 0x18 }, 3, 3, X86_LTR },
        { { 0x0f, 0xc7, 0x0f }, 3, 3, X86_CMPXCHG8B },
        { { 0x0f, 0x1f, 0x00 }, 3, 3, X86_NOP },
        { { 0x0f, 0x18, 0x08 }, 3, 3, X86_PREFETCH },
    };
    for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        enum x86_decode_status s = x86_decode_buf(&insn, 32, 0, t[i].b, t[i].n);
        ck_assert_msg(s == DECODE_OK, "case %u: status %d", i, s);
        ck_assert_msg(insn.len == t[i].len, "case %u: len %u", i, insn.len);
        ck_assert_msg(insn.mnem == t[i].mnem, "case %u: %s", i, x86_mnem_name(insn.mnem));
    }
    /* group members take the operands of their opcode */
    ck_assert_int_eq(DEC32(3, 0x80, 0x38, 0x05), DECODE_OK);
    check_op(0, OPND_MEM, 1, 0);
    check_op(1, OPND_IMM, 1, 0);
    /* far indirect operand: m16:32 */
    ck_assert_int_eq(DEC32(2, 0xff, 0x18), DECODE_OK);
    check_op(0, OPND_MEM, 6, 0);
    /* segment registers: MOV Sreg, r/m16; MOV r/m16, Sreg writes a whole
     * register of the operand size */
    ck_assert_int_eq(DEC32(2, 0x8e, 0xd8), DECODE_OK);
    check_op(0, OPND_SEG, 2, SEG_DS);
    check_op(1, OPND_REG, 2, R_EAX);
    ck_assert_int_eq(DEC32(2, 0x8c, 0xd8), DECODE_OK);
    check_op(0, OPND_REG, 4, R_EAX);
    ck_assert_int_eq(DEC32(2, 0x8c, 0x18), DECODE_OK);
    check_op(0, OPND_MEM, 2, 0);
    /* xchg eax, ecx (91); lar eax, r32/m16 */
    ck_assert_int_eq(DEC32(1, 0x91), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_XCHG);
    check_op(0, OPND_REG, 4, R_EAX);
    check_op(1, OPND_REG, 4, R_ECX);
    ck_assert_int_eq(DEC32(3, 0x0f, 0x02, 0xc1), DECODE_OK);
    check_op(1, OPND_REG, 4, R_ECX);
    ck_assert_int_eq(DEC32(3, 0x0f, 0x03, 0x01), DECODE_OK);
    check_op(1, OPND_MEM, 2, 0);
    /* far pointers and descriptor-table operands */
    ck_assert_int_eq(DEC16(2, 0xc5, 0x07), DECODE_OK);
    check_op(1, OPND_MEM, 4, 0);
    ck_assert_int_eq(DEC32(3, 0x0f, 0xb2, 0x00), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_LSS);
    check_op(1, OPND_MEM, 6, 0);
    ck_assert_int_eq(DEC32(3, 0x0f, 0x01, 0x10), DECODE_OK);
    check_op(0, OPND_MEM, 6, 0);
    ck_assert_int_eq(DEC32(2, 0x62, 0x00), DECODE_OK);
    check_op(1, OPND_MEM, 8, 0);
    ck_assert_int_eq(DEC32(1, 0x0f), DECODE_OK); /* 0F 00 00: sldt [eax] */
    ck_assert_int_eq(insn.mnem, X86_SLDT);
    ck_assert_int_eq(DEC32(2, 0x0f, 0xa1), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_POP);
    check_op(0, OPND_SEG, 2, SEG_FS);
    /* mov cr0, eax; mov eax, dr7 */
    ck_assert_int_eq(DEC32(3, 0x0f, 0x22, 0xc0), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_MOV_CR);
    check_op(0, OPND_CR, 4, 0);
    check_op(1, OPND_REG, 4, R_EAX);
    ck_assert_int_eq(DEC32(3, 0x0f, 0x21, 0xf8), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_MOV_DR);
    /* movzx/movsx sizes */
    ck_assert_int_eq(DEC32(3, 0x0f, 0xb6, 0xc1), DECODE_OK);
    check_op(0, OPND_REG, 4, R_EAX);
    check_op(1, OPND_REG, 1, R_ECX);
    ck_assert_int_eq(DEC32(3, 0x0f, 0xbf, 0xc1), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_MOVSX);
    check_op(1, OPND_REG, 2, R_ECX);
    /* shld with imm8 and CL */
    ck_assert_int_eq(DEC32(4, 0x0f, 0xa4, 0xd0, 0x04), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_SHLD);
    ck_assert_int_eq(insn.n_opnds, 3);
    ck_assert_int_eq(DEC32(3, 0x0f, 0xad, 0xd0), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_SHRD);
    check_op(2, OPND_REG, 1, R_ECX);
    /* bswap, xadd, cmpxchg, cpuid, rdtsc */
    ck_assert_int_eq(DEC32(2, 0x0f, 0xcb), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_BSWAP);
    check_op(0, OPND_REG, 4, R_EBX);
    ck_assert_int_eq(DEC32(4, 0xf0, 0x0f, 0xc1, 0x01), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_XADD);
    ck_assert_int_eq(DEC32(3, 0x0f, 0xb1, 0xd1), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_CMPXCHG);
    ck_assert_int_eq(DEC32(2, 0x0f, 0xa2), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_CPUID);
    ck_assert_int_eq(DEC32(2, 0x0f, 0x31), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_RDTSC);
    /* popcnt / tzcnt need F3, which is then no REP */
    ck_assert_int_eq(DEC32(4, 0xf3, 0x0f, 0xbc, 0xc1), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_TZCNT);
    ck_assert_int_eq(insn.rep, REP_NONE);
    ck_assert_int_eq(DEC32(3, 0x0f, 0xbc, 0xc1), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_BSF);
}
END_TEST

START_TEST(test_strings)
{
    /* cs movsd: source cs:[esi], destination es:[edi] */
    ck_assert_int_eq(DEC32(2, 0x2e, 0xa5), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_MOVS);
    check_op(0, OPND_MEM, 4, 0);
    ck_assert_int_eq(insn.op[0].reg, R_EDI);
    ck_assert_int_eq(insn.op[1].reg, R_ESI);
    check_mem(SEG_CS, R_ESI, -1, 0, 0);
    /* stosb: es:[edi], the override does not apply */
    ck_assert_int_eq(DEC32(2, 0x64, 0xaa), DECODE_OK);
    check_mem(SEG_ES, R_EDI, -1, 0, 0);
    /* ins / outs with DX */
    ck_assert_int_eq(DEC16(1, 0x6d), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_INS);
    check_op(1, OPND_REG, 2, R_EDX);
    ck_assert_int_eq(DEC32(1, 0x6e), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_OUTS);
}
END_TEST

START_TEST(test_invalid)
{
    /* lea with a register operand */
    ck_assert_int_eq(DEC32(2, 0x8d, 0xc0), DECODE_INVALID);
    ck_assert_int_eq(insn.mnem, X86_INVALID);
    /* lss/lfs with a register, lgdt's register slot 0F 01 D3 */
    ck_assert_int_eq(DEC32(3, 0x0f, 0xb2, 0xc0), DECODE_INVALID);
    ck_assert_int_eq(DEC32(3, 0x0f, 0xb4, 0xc0), DECODE_INVALID);
    ck_assert_int_eq(DEC32(3, 0x0f, 0x01, 0xd3), DECODE_INVALID);
    /* les/lds with a register in 16-bit mode are VEX: with 66 they are #UD */
    ck_assert_int_eq(DEC16(3, 0x66, 0xc4, 0xc0), DECODE_INVALID);
    /* but with memory they are LES/LDS */
    ck_assert_int_eq(DEC16(2, 0xc4, 0x07), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_LES);
    check_op(1, OPND_MEM, 4, 0);
    /* call far / jmp far with a register, ff /7 */
    ck_assert_int_eq(DEC32(2, 0xff, 0xd8), DECODE_INVALID);
    ck_assert_int_eq(DEC32(2, 0xff, 0xe8), DECODE_INVALID);
    ck_assert_int_eq(DEC32(2, 0xff, 0x38), DECODE_INVALID);
    ck_assert_int_eq(DEC32(2, 0xfe, 0x10), DECODE_INVALID);
    /* LOCK: not on mov, not with a register destination, not on cmp */
    ck_assert_int_eq(DEC32(3, 0xf0, 0x89, 0x00), DECODE_INVALID);
    ck_assert_int_eq(DEC32(3, 0xf0, 0x01, 0xc0), DECODE_INVALID);
    ck_assert_int_eq(DEC32(3, 0xf0, 0x39, 0x00), DECODE_INVALID);
    ck_assert_int_eq(DEC32(2, 0xf0, 0x90), DECODE_INVALID);
    ck_assert_int_eq(DEC32(3, 0xf0, 0x87, 0x00), DECODE_OK); /* xchg */
    ck_assert_int_eq(DEC32(4, 0xf0, 0x0f, 0xab, 0x00), DECODE_OK); /* bts */
    ck_assert_int_eq(DEC32(4, 0xf0, 0x0f, 0xa3, 0x00), DECODE_INVALID); /* bt */
    /* UD2 decodes in full and is invalid */
    ck_assert_int_eq(DEC32(2, 0x0f, 0x0b), DECODE_INVALID);
    ck_assert_int_eq(insn.mnem, X86_INVALID);
    ck_assert_int_eq(insn.len, 2);
    /* undefined opcodes */
    ck_assert_int_eq(DEC32(2, 0x0f, 0x04), DECODE_INVALID);
    ck_assert_int_eq(DEC32(2, 0x0f, 0x24), DECODE_INVALID);
    ck_assert_int_eq(DEC32(3, 0x0f, 0x38, 0xff), DECODE_INVALID);
    ck_assert_int_eq(DEC32(2, 0xd9, 0xd1), DECODE_INVALID);
    /* mov to cs, mov from a seg register beyond gs, mov cr1 */
    ck_assert_int_eq(DEC32(2, 0x8e, 0xc8), DECODE_INVALID);
    ck_assert_int_eq(DEC32(2, 0x8c, 0xf0), DECODE_INVALID);
    ck_assert_int_eq(DEC32(3, 0x0f, 0x20, 0xc8), DECODE_INVALID);
    /* 0F BA /0-/3 */
    ck_assert_int_eq(DEC32(4, 0x0f, 0xba, 0xc0, 0x01), DECODE_INVALID);
}
END_TEST

START_TEST(test_too_long)
{
    uint8_t buf[32];
    /* 14 prefixes + nop = 15 bytes: fine */
    memset(buf, 0x66, sizeof(buf));
    buf[14] = 0x90;
    ck_assert_int_eq(x86_decode_buf(&insn, 32, 0, buf, sizeof(buf)), DECODE_OK);
    ck_assert_int_eq(insn.len, 15);
    /* 15 prefixes + nop = 16 bytes */
    buf[14] = 0x66;
    buf[15] = 0x90;
    ck_assert_int_eq(x86_decode_buf(&insn, 32, 0, buf, sizeof(buf)), DECODE_TOO_LONG);
    ck_assert_int_eq(insn.len, 15);
    /* 6 prefixes + add [eax+disp32], imm32 (10 bytes) = 16 */
    memset(buf, 0x2e, 6);
    memcpy(buf + 6, (const uint8_t[]){ 0x81, 0x80, 0, 0, 0, 0, 1, 2, 3, 4 }, 10);
    ck_assert_int_eq(x86_decode_buf(&insn, 32, 0, buf, 16), DECODE_TOO_LONG);
    /* 5 prefixes: exactly 15 */
    ck_assert_int_eq(x86_decode_buf(&insn, 32, 0, buf + 1, 15), DECODE_OK);
    ck_assert_int_eq(insn.len, 15);
}
END_TEST

/* The fetch callback is called at most 15 times, in order. */
static unsigned fetch_calls, fetch_last;
static uint8_t fetch_66(void *opaque, unsigned i)
{
    (void)opaque;
    ck_assert_uint_eq(i, fetch_calls);
    fetch_calls++;
    fetch_last = i;
    return 0x66;
}

START_TEST(test_fetch_limit)
{
    ck_assert_int_eq(x86_decode(&insn, 32, 0, fetch_66, NULL), DECODE_TOO_LONG);
    ck_assert_uint_eq(fetch_calls, 15);
    ck_assert_uint_eq(fetch_last, 14);
}
END_TEST

START_TEST(test_unimplemented_lengths)
{
    /* x87: fld1; fld qword [disp32]; fstp st(1) */
    ck_assert_int_eq(DEC32(2, 0xd9, 0xe8), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_FPU);
    ck_assert_int_eq(insn.len, 2);
    ck_assert_int_eq(DEC32(6, 0xdd, 0x05, 1, 2, 3, 4), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_FPU);
    ck_assert_int_eq(insn.len, 6);
    check_op(0, OPND_MEM, 0, 0);
    /* SSE: addps xmm0, [eax]; 66 0F 3A 0F palignr with imm8; movd */
    ck_assert_int_eq(DEC32(3, 0x0f, 0x58, 0x00), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_UNIMPL);
    ck_assert_int_eq(insn.len, 3);
    ck_assert_int_eq(DEC32(6, 0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x08), DECODE_OK);
    ck_assert_int_eq(insn.len, 6);
    ck_assert_int_eq(insn.map, 3);
    /* pshufd has an imm8, psrldq is 66-only */
    ck_assert_int_eq(DEC32(5, 0x66, 0x0f, 0x70, 0xc1, 0x1b), DECODE_OK);
    ck_assert_int_eq(insn.len, 5);
    ck_assert_int_eq(DEC32(5, 0x66, 0x0f, 0x73, 0xd9, 0x04), DECODE_OK);
    ck_assert_int_eq(DEC32(4, 0x0f, 0x73, 0xd9, 0x04), DECODE_INVALID);
    /* 3DNow! pfmul mm0, mm1 */
    ck_assert_int_eq(DEC32(4, 0x0f, 0x0f, 0xc1, 0xb4), DECODE_OK);
    ck_assert_int_eq(insn.len, 4);
    /* VEX in 32-bit mode (C5 with mod 3): vzeroupper, vaddps */
    ck_assert_int_eq(DEC32(3, 0xc5, 0xf8, 0x77), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_UNIMPL);
    ck_assert_int_eq(insn.len, 3);
    ck_assert_int_eq(DEC32(4, 0xc5, 0xf4, 0x58, 0xc2), DECODE_OK);
    ck_assert_int_eq(insn.len, 4);
    /* C4 with memory is LES; 62 with memory is BOUND; 8F /0 is POP */
    ck_assert_int_eq(DEC32(2, 0xc4, 0x00), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_LES);
    ck_assert_int_eq(DEC32(2, 0x62, 0x00), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_BOUND);
    ck_assert_int_eq(DEC32(2, 0x8f, 0x00), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_POP);
    /* EVEX: vaddps zmm0, zmm1, zmm2 */
    ck_assert_int_eq(DEC32(6, 0x62, 0xf1, 0x74, 0x48, 0x58, 0xc2), DECODE_OK);
    ck_assert_int_eq(insn.len, 6);
    /* XOP: vprotb xmm0, xmm1, imm8 (map 8) */
    ck_assert_int_eq(DEC32(5, 0x8f, 0xe8, 0x78, 0xc0, 0xc1), DECODE_OK);
    ck_assert_int_eq(insn.len, 6);
}
END_TEST

START_TEST(test_mandatory_prefixes)
{
    /* F3 0F 58 addss; F2 0F 58 addsd; 66 0F 58 addpd: all valid, F3 is no REP */
    ck_assert_int_eq(DEC32(4, 0xf3, 0x0f, 0x58, 0xc1), DECODE_OK);
    ck_assert_int_eq(insn.rep, REP_NONE);
    ck_assert_int_eq(DEC32(4, 0xf2, 0x0f, 0x58, 0xc1), DECODE_OK);
    ck_assert_int_eq(DEC32(4, 0x66, 0x0f, 0x58, 0xc1), DECODE_OK);
    /* a prefix that selects no form is ignored: F3 0F 54 is andps */
    ck_assert_int_eq(DEC32(4, 0xf3, 0x0f, 0x54, 0xc1), DECODE_OK);
    ck_assert_int_eq(insn.len, 4);
    /* ... but not when there is no unprefixed form: F3 0F 6C */
    ck_assert_int_eq(DEC32(4, 0x66, 0x0f, 0x6c, 0xc1), DECODE_OK);
    ck_assert_int_eq(DEC32(4, 0xf3, 0x0f, 0x6c, 0xc1), DECODE_INVALID);
    /* F2/F3 take precedence over 66 wherever they stand, the last of them
     * wins: F2 66 0F E6 is cvtpd2dq, F3 F2 0F 7C haddps, F2 F3 0F 7C none */
    ck_assert_int_eq(DEC32(5, 0xf2, 0x66, 0x0f, 0xe6, 0xc1), DECODE_OK);
    ck_assert_int_eq(DEC32(5, 0xf3, 0xf2, 0x0f, 0x7c, 0xc1), DECODE_OK);
    ck_assert_int_eq(DEC32(5, 0xf2, 0xf3, 0x0f, 0x7c, 0xc1), DECODE_INVALID);
    /* memory-only forms: movntps with a register is invalid */
    ck_assert_int_eq(DEC32(3, 0x0f, 0x2b, 0x00), DECODE_OK);
    ck_assert_int_eq(DEC32(3, 0x0f, 0x2b, 0xc0), DECODE_INVALID);
    /* popcnt needs F3; 0F 38 F1 is movbe, with F2 crc32 */
    ck_assert_int_eq(DEC32(4, 0xf3, 0x0f, 0xb8, 0xc1), DECODE_OK);
    ck_assert_int_eq(insn.mnem, X86_POPCNT);
    ck_assert_int_eq(DEC32(3, 0x0f, 0xb8, 0xc1), DECODE_INVALID);
    ck_assert_int_eq(DEC32(4, 0x0f, 0x38, 0xf1, 0x00), DECODE_OK);
    ck_assert_int_eq(DEC32(4, 0x0f, 0x38, 0xf1, 0xc0), DECODE_INVALID);
    ck_assert_int_eq(DEC32(5, 0xf2, 0x0f, 0x38, 0xf1, 0xc0), DECODE_OK);
}
END_TEST

START_TEST(test_vex_evex_rules)
{
    /* VEX after 66/F2/F3/LOCK is #UD */
    ck_assert_int_eq(DEC32(4, 0xf3, 0xc5, 0xf8, 0x77), DECODE_INVALID);
    ck_assert_int_eq(DEC32(4, 0xf0, 0xc5, 0xf8, 0x77), DECODE_INVALID);
    /* vsqrtps has no vvvv operand: vvvv must be 1111b */
    ck_assert_int_eq(DEC32(4, 0xc5, 0xf8, 0x51, 0xc1), DECODE_OK);
    ck_assert_int_eq(DEC32(4, 0xc5, 0xf0, 0x51, 0xc1), DECODE_INVALID);
    /* vmovd is 128-bit only: VEX.L = 1 is invalid */
    ck_assert_int_eq(DEC32(4, 0xc5, 0xf9, 0x6e, 0xc1), DECODE_OK);
    ck_assert_int_eq(DEC32(4, 0xc5, 0xfd, 0x6e, 0xc1), DECODE_INVALID);
    /* C4 with map 4 is undefined */
    ck_assert_int_eq(DEC32(5, 0xc4, 0xe4, 0x78, 0x00, 0xc0), DECODE_INVALID);
    /* gathers need a SIB byte */
    ck_assert_int_eq(DEC32(6, 0xc4, 0xe2, 0x79, 0x92, 0x04, 0x08), DECODE_OK);
    ck_assert_int_eq(insn.len, 6);
    ck_assert_int_eq(DEC32(5, 0xc4, 0xe2, 0x79, 0x92, 0x00), DECODE_INVALID);
    /* EVEX: P1 bit 2 must be 1; V' = 0 and z without a mask are #UD */
    ck_assert_int_eq(DEC32(6, 0x62, 0xf1, 0x74, 0x48, 0x58, 0xc2), DECODE_OK);
    ck_assert_int_eq(DEC32(6, 0x62, 0xf1, 0x70, 0x48, 0x58, 0xc2), DECODE_INVALID);
    ck_assert_int_eq(DEC32(6, 0x62, 0xf1, 0x74, 0x40, 0x58, 0xc2), DECODE_INVALID);
    ck_assert_int_eq(DEC32(6, 0x62, 0xf1, 0x74, 0xc8, 0x58, 0xc2), DECODE_INVALID);
    ck_assert_int_eq(DEC32(6, 0x62, 0xf1, 0x74, 0xc9, 0x58, 0xc2), DECODE_OK);
    /* L'L = 11b is reserved, except as a rounding mode with registers */
    ck_assert_int_eq(DEC32(6, 0x62, 0xf1, 0x74, 0x68, 0x58, 0x02), DECODE_INVALID);
    ck_assert_int_eq(DEC32(6, 0x62, 0xf1, 0x74, 0x78, 0x58, 0xc2), DECODE_OK);
    /* broadcast: vaddps can, vpaddb cannot */
    ck_assert_int_eq(DEC32(6, 0x62, 0xf1, 0x74, 0x58, 0x58, 0x02), DECODE_OK);
    ck_assert_int_eq(DEC32(6, 0x62, 0xf1, 0x75, 0x58, 0xfc, 0x02), DECODE_INVALID);
    /* EVEX disp8 is still one byte on the wire (disp8*N only scales it) */
    ck_assert_int_eq(DEC32(7, 0x62, 0xf1, 0x74, 0x48, 0x58, 0x42, 0x01), DECODE_OK);
    ck_assert_int_eq(insn.len, 7);
    /* XOP: vpcmov is the only map-8 form with a 256-bit length here; pp = 0 */
    ck_assert_int_eq(DEC32(6, 0x8f, 0xe8, 0x7c, 0xa2, 0xc1, 0x20), DECODE_OK);
    ck_assert_int_eq(DEC32(6, 0x8f, 0xe8, 0x7d, 0xa2, 0xc1, 0x20), DECODE_INVALID);
    /* map 0Ah BEXTR has an imm32 */
    ck_assert_int_eq(DEC32(9, 0x8f, 0xea, 0x78, 0x10, 0xc1, 1, 2, 3, 4), DECODE_OK);
    ck_assert_int_eq(insn.len, 9);
}
END_TEST

START_TEST(test_mnem_names)
{
    for (int m = 0; m < X86_MNEM_COUNT; m++)
        ck_assert_msg(strcmp(x86_mnem_name(m), "(?)") != 0, "mnemonic %d has no name", m);
    ck_assert_str_eq(x86_mnem_name(X86_ADD), "add");
    ck_assert_str_eq(x86_mnem_name(-1), "(?)");
    ck_assert_str_eq(x86_mnem_name(X86_MNEM_COUNT), "(?)");
}
END_TEST

START_TEST(test_disas)
{
    static const uint8_t code32[] = { 0x55, 0x89, 0xe5, 0xe8, 0x00, 0x00, 0x00, 0x00, 0xc3 };
    static const uint8_t code16[] = { 0xb8, 0x34, 0x12, 0xcd, 0x10 };
    char *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&out, &size);
    ck_assert_ptr_nonnull(f);
    disas_guest(f, code32, sizeof(code32), 0x100000, 32);
    disas_guest(f, code16, sizeof(code16), 0x7c00, 16);
    fclose(f);
    ck_assert_str_eq(out, "0x00100000:  55                       push ebp\n"
                          "0x00100001:  89 e5                    mov ebp, esp\n"
                          "0x00100003:  e8 00 00 00 00           call 0x100008\n"
                          "0x00100008:  c3                       ret\n"
                          "0x00007c00:  b8 34 12                 mov ax, 0x1234\n"
                          "0x00007c03:  cd 10                    int 0x10\n");
    free(out);
    /* lengths: Capstone's, and -1 where it rejects (0F 04 is undefined) */
    ck_assert_int_eq(disas_length(code32 + 3, 6, 0, 32), 5);
    ck_assert_int_eq(disas_length((const uint8_t[]){ 0x66, 0xe8, 0, 0 }, 4, 0, 32), 4);
    ck_assert_int_eq(disas_length((const uint8_t[]){ 0x0f, 0x04 }, 2, 0, 32), -1);
    char text[64];
    ck_assert_int_eq(disas_insn_text(code16, 3, 0, 16, text, sizeof(text)), 3);
    ck_assert_str_eq(text, "mov ax, 0x1234");
    /* bytes Capstone rejects are shown one at a time */
    out = NULL;
    f = open_memstream(&out, &size);
    disas_guest(f, (const uint8_t[]){ 0x0f, 0x04 }, 2, 0, 32);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(out, ".byte 0x0f"));
    ck_assert_ptr_nonnull(strstr(out, "0x00000001:"));
    free(out);
}
END_TEST

static Suite *decode_suite(void)
{
    Suite *s = suite_create("decode");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_basic_alu);
    tcase_add_test(tc, test_prefixes);
    tcase_add_test(tc, test_addr16);
    tcase_add_test(tc, test_addr32);
    tcase_add_test(tc, test_immediates);
    tcase_add_test(tc, test_branches);
    tcase_add_test(tc, test_groups);
    tcase_add_test(tc, test_strings);
    tcase_add_test(tc, test_invalid);
    tcase_add_test(tc, test_too_long);
    tcase_add_test(tc, test_fetch_limit);
    tcase_add_test(tc, test_unimplemented_lengths);
    tcase_add_test(tc, test_mandatory_prefixes);
    tcase_add_test(tc, test_vex_evex_rules);
    tcase_add_test(tc, test_mnem_names);
    tcase_add_test(tc, test_disas);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(decode_suite)
