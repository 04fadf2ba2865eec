/*
 * test_x86_64_enc.c - the native backend's encoder checked against
 * Capstone: every instruction form, over every register (so each REX bit
 * and each ModRM/SIB special case: RSP/R12 bases need a SIB, RBP/R13 bases
 * need a displacement, SPL..DIL need a REX prefix) is encoded, decoded by
 * Capstone, and the text compared with what was asked for.
 */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "tests/unit/unit.h"
#include "translator/backend/x86_64_enc.h"

static const char *const r64[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp",
                                     "rsi", "rdi", "r8",  "r9",  "r10", "r11",
                                     "r12", "r13", "r14", "r15" };
static const char *const r32[16] = { "eax",  "ecx",  "edx",  "ebx",
                                     "esp",  "ebp",  "esi",  "edi",
                                     "r8d",  "r9d",  "r10d", "r11d",
                                     "r12d", "r13d", "r14d", "r15d" };
static const char *const r16[16] = { "ax",   "cx",   "dx",   "bx",
                                     "sp",   "bp",   "si",   "di",
                                     "r8w",  "r9w",  "r10w", "r11w",
                                     "r12w", "r13w", "r14w", "r15w" };
static const char *const r8[16] = { "al",   "cl",   "dl",   "bl",
                                    "spl",  "bpl",  "sil",  "dil",
                                    "r8b",  "r9b",  "r10b", "r11b",
                                    "r12b", "r13b", "r14b", "r15b" };

static uint8_t code[256];
static struct x64_buf buf;
static csh cs;
static int n_checked;

static void reset(void)
{
    buf.rw = code;
    buf.rx = 0x10000;
    buf.pos = 0;
    buf.cap = sizeof(code);
    buf.overflow = false;
}

/* Capstone's number style: decimal below 10, else hex. */
static void num(char *s, size_t n, uint64_t v)
{
    if (v < 10)
        snprintf(s, n, "%" PRIu64, v);
    else
        snprintf(s, n, "0x%" PRIx64, v);
}

/* A sign-extended immediate: Capstone prints negative ones as -N. */
static void snum(char *s, size_t n, int64_t v)
{
    if (v < 0) {
        s[0] = '-';
        num(s + 1, n - 1, (uint64_t)-v);
    } else {
        num(s, n, (uint64_t)v);
    }
}

/* "[base + index*scale + disp]" as Capstone prints it (no "*1"). */
static void mem(char *s, size_t n, const char *size, int base, int index,
                int shift, int32_t disp)
{
    char d[32] = "";
    if (disp > 0) {
        char t[24];
        num(t, sizeof(t), (uint64_t)disp);
        snprintf(d, sizeof(d), " + %s", t);
    } else if (disp < 0) {
        char t[24];
        num(t, sizeof(t), (uint64_t)-(int64_t)disp);
        snprintf(d, sizeof(d), " - %s", t);
    }
    if (index >= 0 && shift)
        snprintf(s, n, "%s ptr [%s + %s*%d%s]", size, r64[base], r64[index],
                 1 << shift, d);
    else if (index >= 0)
        snprintf(s, n, "%s ptr [%s + %s%s]", size, r64[base], r64[index], d);
    else
        snprintf(s, n, "%s ptr [%s%s]", size, r64[base], d);
}

/* Decode the buffer: exactly one instruction, the whole buffer, and its
 * text equal to want. */
static void expect(const char *want)
{
    cs_insn *insn;
    ck_assert(!buf.overflow);
    size_t count = cs_disasm(cs, code, buf.pos, buf.rx, 1, &insn);
    ck_assert_msg(count == 1, "capstone rejects the encoding of '%s'", want);
    char got[256];
    if (insn[0].op_str[0])
        snprintf(got, sizeof(got), "%s %s", insn[0].mnemonic, insn[0].op_str);
    else
        snprintf(got, sizeof(got), "%s", insn[0].mnemonic);
    ck_assert_msg(insn[0].size == buf.pos, "'%s': %zu bytes encoded, %u decoded",
                  want, buf.pos, insn[0].size);
    ck_assert_msg(!strcmp(got, want), "wanted '%s', capstone says '%s'", want,
                  got);
    cs_free(insn, count);
    n_checked++;
}

static void setup(void)
{
    ck_assert(cs_open(CS_ARCH_X86, CS_MODE_64, &cs) == CS_ERR_OK);
    n_checked = 0;
}

static void teardown(void) { cs_close(&cs); }

START_TEST(test_mov_rr_ri)
{
    char want[96];
    for (int d = 0; d < 16; d++) {
        for (int s = 0; s < 16; s++) {
            reset();
            x64_mov_rr(&buf, true, d, s);
            snprintf(want, sizeof(want), "mov %s, %s", r64[d], r64[s]);
            expect(want);
            reset();
            x64_mov_rr(&buf, false, d, s);
            snprintf(want, sizeof(want), "mov %s, %s", r32[d], r32[s]);
            expect(want);
        }
        static const uint64_t imms[] = { 0, 7, 0x12345678, 0xffffffffu };
        for (size_t i = 0; i < 4; i++) {
            char n[24];
            reset();
            x64_mov_ri(&buf, d, imms[i]);
            num(n, sizeof(n), imms[i]);
            snprintf(want, sizeof(want), "mov %s, %s", r32[d], n);
            expect(want);
        }
        reset();
        x64_mov_ri(&buf, d, (uint64_t)-2);
        snprintf(want, sizeof(want), "mov %s, -2", r64[d]);
        expect(want);
        reset();
        x64_mov_ri(&buf, d, 0x123456789abcull);
        snprintf(want, sizeof(want), "movabs %s, 0x123456789abc", r64[d]);
        expect(want);
    }
}
END_TEST

START_TEST(test_load_store)
{
    static const int32_t disps[] = { 0, 8, -8, 0x7f, 0x80, -0x81, 0x1000 };
    static const char *const sz[] = { NULL, "byte", "word", NULL, "dword",
                                      NULL, NULL, NULL, "qword" };
    char want[128], m[96];
    for (int base = 0; base < 16; base++) {
        for (size_t di = 0; di < ARRAY_SIZE(disps); di++) {
            int32_t disp = disps[di];
            int reg = (base + 3) & 15;
            for (unsigned size = 1; size <= 8; size *= 2) {
                mem(m, sizeof(m), sz[size], base, -1, 0, disp);
                /* zero-extending loads */
                reset();
                x64_load(&buf, reg, base, X64_NO_REG, 0, disp, size, false,
                         false);
                if (size == 1 || size == 2)
                    snprintf(want, sizeof(want), "movzx %s, %s", r32[reg], m);
                else
                    snprintf(want, sizeof(want), "mov %s, %s",
                             size == 8 ? r64[reg] : r32[reg], m);
                expect(want);
                /* sign-extending loads to 64 bits */
                if (size < 8) {
                    reset();
                    x64_load(&buf, reg, base, X64_NO_REG, 0, disp, size, true,
                             true);
                    snprintf(want, sizeof(want), "%s %s, %s",
                             size == 4 ? "movsxd" : "movsx", r64[reg], m);
                    expect(want);
                }
                /* stores */
                const char *src = size == 1   ? r8[reg]
                                  : size == 2 ? r16[reg]
                                  : size == 4 ? r32[reg]
                                              : r64[reg];
                reset();
                x64_store(&buf, reg, base, X64_NO_REG, 0, disp, size);
                snprintf(want, sizeof(want), "mov %s, %s", m, src);
                expect(want);
            }
            /* indexed forms, every index but RSP, every scale */
            for (int index = 0; index < 16; index++) {
                if (index == X64_RSP)
                    continue;
                int shift = index & 3;
                reset();
                x64_load(&buf, reg, base, index, shift, disp, 8, false, true);
                mem(m, sizeof(m), "qword", base, index, shift, disp);
                snprintf(want, sizeof(want), "mov %s, %s", r64[reg], m);
                expect(want);
            }
        }
    }
}
END_TEST

START_TEST(test_arith)
{
    static const struct { enum x64_arith op; const char *name; } ops[] = {
        { ARITH_ADD, "add" }, { ARITH_OR, "or" },   { ARITH_AND, "and" },
        { ARITH_SUB, "sub" }, { ARITH_XOR, "xor" }, { ARITH_CMP, "cmp" },
    };
    static const int32_t imms[] = { 1, -1, 0x7f, 0x80, -0x80, 0x12345 };
    char want[128], n[24];
    for (size_t o = 0; o < ARRAY_SIZE(ops); o++) {
        for (int d = 0; d < 16; d++) {
            int s = (d * 7 + 3) & 15;
            for (int w64 = 0; w64 < 2; w64++) {
                const char *const *r = w64 ? r64 : r32;
                reset();
                x64_arith_rr(&buf, ops[o].op, w64, d, s);
                snprintf(want, sizeof(want), "%s %s, %s", ops[o].name, r[d],
                         r[s]);
                expect(want);
                for (size_t i = 0; i < ARRAY_SIZE(imms); i++) {
                    reset();
                    x64_arith_ri(&buf, ops[o].op, w64, d, imms[i]);
                    /* Capstone prints the immediate of a logical op
                     * unsigned at the operand size, of add/sub/cmp
                     * signed. */
                    if (ops[o].op == ARITH_OR || ops[o].op == ARITH_AND ||
                        ops[o].op == ARITH_XOR)
                        num(n, sizeof(n),
                            w64 ? (uint64_t)(int64_t)imms[i]
                                : (uint32_t)imms[i]);
                    else
                        snum(n, sizeof(n), imms[i]);
                    snprintf(want, sizeof(want), "%s %s, %s", ops[o].name,
                             r[d], n);
                    expect(want);
                }
            }
            char m[96];
            reset();
            x64_arith_rm(&buf, ops[o].op, false, d, X64_RBP, s == 4 ? 5 : s, 3,
                         0x8288);
            mem(m, sizeof(m), "dword", X64_RBP, s == 4 ? 5 : s, 3, 0x8288);
            snprintf(want, sizeof(want), "%s %s, %s", ops[o].name, r32[d], m);
            expect(want);
        }
        char m[96];
        reset();
        x64_arith_mi(&buf, ops[o].op, true, X64_RBP, 0x180, 5);
        mem(m, sizeof(m), "qword", X64_RBP, -1, 0, 0x180);
        snprintf(want, sizeof(want), "%s %s, 5", ops[o].name, m);
        expect(want);
        /* 32-bit, every immediate width (the TLB tag compare of a constant
         * address: cmp dword [rbp + disp32], imm32) */
        for (size_t i = 0; i < ARRAY_SIZE(imms); i++) {
            reset();
            x64_arith_mi(&buf, ops[o].op, false, X64_RBP, 0x82b8, imms[i]);
            mem(m, sizeof(m), "dword", X64_RBP, -1, 0, 0x82b8);
            if (ops[o].op == ARITH_OR || ops[o].op == ARITH_AND ||
                ops[o].op == ARITH_XOR)
                num(n, sizeof(n), (uint32_t)imms[i]);
            else
                snum(n, sizeof(n), imms[i]);
            snprintf(want, sizeof(want), "%s %s, %s", ops[o].name, m, n);
            expect(want);
        }
        /* 64-bit register, memory with an unscaled index or none (the
         * TLB: add r11, [rbp + rcx + addend]) */
        for (int d = 0; d < 16; d++) {
            int x = (d + 3) & 15;
            if (x == 4)
                x = 1;
            reset();
            x64_arith_rm(&buf, ops[o].op, true, d, X64_RBP, x, 0, 0x82c0);
            mem(m, sizeof(m), "qword", X64_RBP, x, 0, 0x82c0);
            snprintf(want, sizeof(want), "%s %s, %s", ops[o].name, r64[d], m);
            expect(want);
            reset();
            x64_arith_rm(&buf, ops[o].op, true, d, X64_RBP, X64_NO_REG, 0,
                         0x82c0);
            mem(m, sizeof(m), "qword", X64_RBP, -1, 0, 0x82c0);
            snprintf(want, sizeof(want), "%s %s, %s", ops[o].name, r64[d], m);
            expect(want);
        }
    }
}
END_TEST

START_TEST(test_unary_shift_mul)
{
    static const struct { enum x64_shift op; const char *name; } sh[] = {
        { SHIFT_ROL, "rol" }, { SHIFT_ROR, "ror" }, { SHIFT_SHL, "shl" },
        { SHIFT_SHR, "shr" }, { SHIFT_SAR, "sar" },
    };
    char want[128];
    for (int d = 0; d < 16; d++) {
        int s = (d + 5) & 15;
        for (int w64 = 0; w64 < 2; w64++) {
            const char *const *r = w64 ? r64 : r32;
            for (size_t i = 0; i < ARRAY_SIZE(sh); i++) {
                reset();
                x64_shift_ri(&buf, sh[i].op, w64, d, 1);
                snprintf(want, sizeof(want), "%s %s, 1", sh[i].name, r[d]);
                expect(want);
                reset();
                x64_shift_ri(&buf, sh[i].op, w64, d, 12);
                snprintf(want, sizeof(want), "%s %s, 0xc", sh[i].name, r[d]);
                expect(want);
                reset();
                x64_shift_cl(&buf, sh[i].op, w64, d);
                snprintf(want, sizeof(want), "%s %s, cl", sh[i].name, r[d]);
                expect(want);
            }
            reset();
            x64_neg(&buf, w64, d);
            snprintf(want, sizeof(want), "neg %s", r[d]);
            expect(want);
            reset();
            x64_not(&buf, w64, d);
            snprintf(want, sizeof(want), "not %s", r[d]);
            expect(want);
            reset();
            x64_imul_rr(&buf, w64, d, s);
            snprintf(want, sizeof(want), "imul %s, %s", r[d], r[s]);
            expect(want);
            reset();
            x64_mul1(&buf, false, w64, d);
            snprintf(want, sizeof(want), "mul %s", r[d]);
            expect(want);
            reset();
            x64_mul1(&buf, true, w64, d);
            snprintf(want, sizeof(want), "imul %s", r[d]);
            expect(want);
            reset();
            x64_test_rr(&buf, w64, d, s);
            snprintf(want, sizeof(want), "test %s, %s", r[d], r[s]);
            expect(want);
            reset();
            x64_cmov(&buf, X64_CC_L, w64, d, s);
            snprintf(want, sizeof(want), "cmovl %s, %s", r[d], r[s]);
            expect(want);
            reset();
            x64_movsx(&buf, w64, d, s, 1);
            snprintf(want, sizeof(want), "movsx %s, %s", r[d], r8[s]);
            expect(want);
            reset();
            x64_movsx(&buf, w64, d, s, 2);
            snprintf(want, sizeof(want), "movsx %s, %s", r[d], r16[s]);
            expect(want);
        }
        reset();
        x64_movsx(&buf, true, d, s, 4);
        snprintf(want, sizeof(want), "movsxd %s, %s", r64[d], r32[s]);
        expect(want);
        reset();
        x64_movzx(&buf, d, s, 1);
        snprintf(want, sizeof(want), "movzx %s, %s", r32[d], r8[s]);
        expect(want);
        reset();
        x64_movzx(&buf, d, s, 2);
        snprintf(want, sizeof(want), "movzx %s, %s", r32[d], r16[s]);
        expect(want);
        reset();
        x64_bswap32(&buf, d);
        snprintf(want, sizeof(want), "bswap %s", r32[d]);
        expect(want);
        reset();
        x64_setcc(&buf, X64_CC_A, d);
        snprintf(want, sizeof(want), "seta %s", r8[d]);
        expect(want);
        reset();
        x64_lea(&buf, true, d, s == 4 ? 3 : s, d == 4 ? 1 : d, 1, 16);
        char m[96];
        mem(m, sizeof(m), "", s == 4 ? 3 : s, d == 4 ? 1 : d, 1, 16);
        /* lea operands print without a size: drop the " ptr" */
        snprintf(want, sizeof(want), "lea %s, %s", r64[d], m + 5);
        expect(want);
    }
}
END_TEST

START_TEST(test_control_flow)
{
    char want[96];
    static const char *const cc[16] = { "jo", "jno", "jb", "jae", "je", "jne",
                                        "jbe", "ja", "js", "jns", "jp", "jnp",
                                        "jl", "jge", "jle", "jg" };
    for (int c = 0; c < 16; c++) {
        reset();
        x64_jcc_rel32(&buf, (enum x64_cc)c, 0x12345);
        snprintf(want, sizeof(want), "%s 0x12345", cc[c]);
        expect(want);
    }
    reset();
    size_t f = x64_jmp_rel32(&buf, 0x10000);
    expect("jmp 0x10000");
    x64_patch_rel32(&buf, f, 0x20000);
    expect("jmp 0x20000");
    for (int r = 0; r < 16; r++) {
        reset();
        x64_call_r(&buf, r);
        snprintf(want, sizeof(want), "call %s", r64[r]);
        expect(want);
        reset();
        x64_jmp_r(&buf, r);
        snprintf(want, sizeof(want), "jmp %s", r64[r]);
        expect(want);
        reset();
        x64_push(&buf, r);
        snprintf(want, sizeof(want), "push %s", r64[r]);
        expect(want);
        reset();
        x64_pop(&buf, r);
        snprintf(want, sizeof(want), "pop %s", r64[r]);
        expect(want);
        reset();
        x64_lea_rip(&buf, r, 0x10100);
        snprintf(want, sizeof(want), "lea %s, [rip + 0xf9]", r64[r]);
        expect(want);
    }
    reset();
    x64_jmp_m(&buf, X64_RCX, 0x30);
    expect("jmp qword ptr [rcx + 0x30]");
    reset();
    x64_ret(&buf);
    expect("ret");
    reset();
    x64_store_imm32(&buf, X64_RBP, 0x40, 4, 7);
    expect("mov dword ptr [rbp + 0x40], 7");
}
END_TEST

static Suite *x86_64_enc_suite(void)
{
    Suite *s = suite_create("x86_64_enc");
    TCase *tc = tcase_create("encode");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_mov_rr_ri);
    tcase_add_test(tc, test_load_store);
    tcase_add_test(tc, test_arith);
    tcase_add_test(tc, test_unary_shift_mul);
    tcase_add_test(tc, test_control_flow);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(x86_64_enc_suite)
