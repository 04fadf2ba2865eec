/*
 * test_ir.c - unit tests of the IR builders (translator/ir.c): globals,
 * constant de-duplication, labels, the trivial simplifications the typed
 * builders apply as they go, helper calls (pointers into the CPU state
 * among their arguments) and the -d op dump.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "translator/x86/cpu.h"
#include "translator/ir.h"
#include "tests/unit/unit.h"

static struct ir_block b;

static void setup(void) { ir_block_init(&b); }
static void teardown(void) { ir_block_free(&b); }

static const struct ir_op *last_op(void)
{
    ck_assert_int_gt(b.n_ops, 0);
    return &b.ops[b.n_ops - 1];
}

/* The value a movi writes (its constant argument is a const temp). */
static uint64_t movi_value(const struct ir_op *op)
{
    ck_assert_int_eq(op->opc, IR_movi);
    return b.temps[op->args[1]].value;
}

START_TEST(test_globals)
{
    ck_assert_int_eq(b.n_globals, IR_NB_GLOBALS);
    ck_assert_int_eq(b.n_temps, IR_NB_GLOBALS);
    ck_assert_str_eq(b.temps[IR_G_REG0 + R_EAX].name, "eax");
    ck_assert_str_eq(b.temps[IR_G_REG0 + R_EDI].name, "edi");
    ck_assert_str_eq(b.temps[IR_G_REG0 + 15].name, "r15");
    ck_assert_str_eq(b.temps[IR_G_EIP].name, "eip");
    ck_assert_str_eq(b.temps[IR_G_CC_OP].name, "cc_op");
    for (int i = 0; i < CPU_NB_REGS; i++)
        ck_assert_int_eq(b.temps[IR_G_REG0 + i].env_offset, CPU_OFF_REG(i));
    ck_assert_int_eq(b.temps[IR_G_EIP].env_offset, CPU_OFF(eip));
    ck_assert_int_eq(b.temps[IR_G_CC_DST].env_offset, CPU_OFF(cc_dst));
    ck_assert_int_eq(b.temps[IR_G_CC_SRC].env_offset, CPU_OFF(cc_src));
    ck_assert_int_eq(b.temps[IR_G_CC_SRC2].env_offset, CPU_OFF(cc_src2));
    ck_assert_int_eq(b.temps[IR_G_CC_OP].env_offset, CPU_OFF(cc_op));
    for (int g = 0; g < IR_NB_GLOBALS; g++) {
        ck_assert_int_eq(b.temps[g].kind, IR_TEMP_GLOBAL);
        ck_assert_int_eq(b.temps[g].type, IR_I64);
    }
}
END_TEST

START_TEST(test_temps_consts_labels)
{
    ir_temp t = ir_new_temp(&b, IR_I32);
    ck_assert_uint_eq(t, IR_NB_GLOBALS);
    ck_assert_int_eq(b.temps[t].kind, IR_TEMP_LOCAL);

    ir_temp c1 = ir_const(&b, IR_I32, 5);
    ir_temp c2 = ir_const(&b, IR_I32, 5);
    ir_temp c3 = ir_const(&b, IR_I64, 5);
    ir_temp c4 = ir_const(&b, IR_I32, 0x100000005ull); /* truncated */
    ck_assert_uint_eq(c1, c2);
    ck_assert_uint_ne(c1, c3);
    ck_assert_uint_eq(c4, c1);
    ck_assert(ir_is_const(&b, c1));
    ck_assert(!ir_is_const(&b, t));
    ck_assert_uint_eq(b.temps[c3].value, 5);

    ck_assert_int_eq(ir_new_label(&b), 0);
    ck_assert_int_eq(ir_new_label(&b), 1);
    ck_assert_int_eq(b.n_labels, 2);

    ir_insn_start(&b, 0x1000, 0);
    ir_insn_start(&b, 0x1002, 0);

    ir_block_reset(&b);
    ck_assert_int_eq(b.n_ops, 0);
    ck_assert_int_eq(b.n_temps, IR_NB_GLOBALS);
    ck_assert_int_eq(b.n_labels, 0);
    ck_assert_str_eq(b.temps[IR_G_EIP].name, "eip");
}
END_TEST

START_TEST(test_simplify_identities)
{
    ir_temp x = ir_global(R_EAX), d = ir_new_temp(&b, IR_I32);
    static const enum ir_opc zero_is_mov[] = { IR_add, IR_sub, IR_or, IR_xor,
                                               IR_shl, IR_shr, IR_sar };
    for (unsigned i = 0; i < sizeof(zero_is_mov) / sizeof(zero_is_mov[0]);
         i++) {
        for (int t = IR_I32; t <= IR_I64; t++) {
            ir_op2i(&b, zero_is_mov[i], (enum ir_type)t, d, x, 0);
            ck_assert_int_eq(last_op()->opc, IR_mov);
            ck_assert_int_eq(last_op()->type, t);
            ck_assert_uint_eq(last_op()->args[1], x);
        }
    }
    ir_op2i(&b, IR_and, IR_I32, d, x, 0);
    ck_assert_uint_eq(movi_value(last_op()), 0);
    ir_op2i(&b, IR_and, IR_I32, d, x, 0xffffffffu);
    ck_assert_int_eq(last_op()->opc, IR_mov);
    ir_op2i(&b, IR_and, IR_I64, d, x, ~(uint64_t)0);
    ck_assert_int_eq(last_op()->opc, IR_mov);
    ir_op2i(&b, IR_and, IR_I64, d, x, 0xffffffffu); /* not all ones at 64 */
    ck_assert_int_eq(last_op()->opc, IR_and);
    ir_op2i(&b, IR_mul, IR_I64, d, x, 1);
    ck_assert_int_eq(last_op()->opc, IR_mov);
    ir_op2i(&b, IR_add, IR_I32, d, x, 7);
    ck_assert_int_eq(last_op()->opc, IR_add);

    /* A 64-bit mov onto itself is nothing; a 32-bit one zero-extends. */
    int n = b.n_ops;
    ir_mov(&b, IR_I64, x, x);
    ck_assert_int_eq(b.n_ops, n);
    ir_mov(&b, IR_I32, x, x);
    ck_assert_int_eq(b.n_ops, n + 1);

    /* Constants go second in commutative ops. */
    ir_op2(&b, IR_add, IR_I32, d, ir_const(&b, IR_I32, 9), x);
    ck_assert_int_eq(last_op()->opc, IR_add);
    ck_assert_uint_eq(last_op()->args[1], x);
    ck_assert(ir_is_const(&b, last_op()->args[2]));
}
END_TEST

START_TEST(test_fold_consts)
{
    ir_temp d = ir_new_temp(&b, IR_I64);
    ir_temp c2 = ir_const(&b, IR_I32, 2), c3 = ir_const(&b, IR_I32, 3);

    ir_op2(&b, IR_add, IR_I32, d, c2, c3);
    ck_assert_uint_eq(movi_value(last_op()), 5);
    ir_op2(&b, IR_sub, IR_I32, d, c2, c3);
    ck_assert_uint_eq(movi_value(last_op()), 0xffffffffu);
    ir_op2(&b, IR_sub, IR_I64, d, ir_const(&b, IR_I64, 2),
           ir_const(&b, IR_I64, 3));
    ck_assert_uint_eq(movi_value(last_op()), ~(uint64_t)0);
    ir_op2(&b, IR_shl, IR_I32, d, c3, ir_const(&b, IR_I32, 33)); /* mod 32 */
    ck_assert_uint_eq(movi_value(last_op()), 6);
    ir_op2(&b, IR_sar, IR_I32, d, ir_const(&b, IR_I32, 0x80000000u), c3);
    ck_assert_uint_eq(movi_value(last_op()), 0xf0000000u);
    ir_op2(&b, IR_rotl, IR_I32, d, ir_const(&b, IR_I32, 0x80000001u),
           ir_const(&b, IR_I32, 1));
    ck_assert_uint_eq(movi_value(last_op()), 3);
    ir_op1(&b, IR_neg, IR_I32, d, c2);
    ck_assert_uint_eq(movi_value(last_op()), 0xfffffffeu);
    ir_op1(&b, IR_ext8s, IR_I64, d, ir_const(&b, IR_I64, 0x80));
    ck_assert_uint_eq(movi_value(last_op()), 0xffffffffffffff80ull);
    ir_op1(&b, IR_bswap32, IR_I32, d, ir_const(&b, IR_I32, 0x11223344));
    ck_assert_uint_eq(movi_value(last_op()), 0x44332211);
    ir_extract(&b, IR_I32, d, ir_const(&b, IR_I32, 0xabcd), 4, 8);
    ck_assert_uint_eq(movi_value(last_op()), 0xbc);
    ir_sextract(&b, IR_I32, d, ir_const(&b, IR_I32, 0x80), 0, 8);
    ck_assert_uint_eq(movi_value(last_op()), 0xffffff80u);
    ir_deposit(&b, IR_I32, d, ir_const(&b, IR_I32, 0x12345678),
               ir_const(&b, IR_I32, 0xab), 8, 8);
    ck_assert_uint_eq(movi_value(last_op()), 0x1234ab78);
    ir_setcond(&b, IR_I32, IR_COND_LT, d, ir_const(&b, IR_I32, 0xffffffffu),
               c2); /* -1 < 2 signed */
    ck_assert_uint_eq(movi_value(last_op()), 1);
    ir_setcond(&b, IR_I32, IR_COND_LTU, d, ir_const(&b, IR_I32, 0xffffffffu),
               c2);
    ck_assert_uint_eq(movi_value(last_op()), 0);

    /* A decided branch becomes br, or nothing. */
    int l = ir_new_label(&b), n = b.n_ops;
    ir_brcond(&b, IR_I32, IR_COND_EQ, c2, c3, l);
    ck_assert_int_eq(b.n_ops, n);
    ir_brcond(&b, IR_I32, IR_COND_NE, c2, c3, l);
    ck_assert_int_eq(last_op()->opc, IR_br);
    ck_assert_uint_eq(last_op()->args[0], (uint32_t)l);
}
END_TEST

START_TEST(test_operand_layout)
{
    ir_temp a = ir_new_temp(&b, IR_I32), v = ir_new_temp(&b, IR_I32);
    ir_ld_guest(&b, IR_I32, v, a, IR_MO_16 | IR_MEMOP_SIGN);
    const struct ir_op *op = last_op();
    ck_assert_int_eq(op->n_out, 1);
    ck_assert_int_eq(op->n_in, 1);
    ck_assert_uint_eq(op->args[0], v);
    ck_assert_uint_eq(op->args[1], a);
    ck_assert_uint_eq(op->args[2], IR_MO_16 | IR_MEMOP_SIGN);

    ir_st_guest(&b, IR_I32, v, a, IR_MO_32 | (1 << IR_MEMOP_MMU_SHIFT));
    op = last_op();
    ck_assert_int_eq(op->n_out, 0);
    ck_assert_uint_eq(op->args[0], a); /* in0 = address */
    ck_assert_uint_eq(op->args[1], v); /* in1 = value */
    ck_assert_uint_eq(op->args[2] >> IR_MEMOP_MMU_SHIFT, 1);

    ir_st_env(&b, IR_I32, v, CPU_OFF(inhibit_irq), IR_MO_32);
    op = last_op();
    ck_assert_uint_eq(op->args[1], (uint32_t)CPU_OFF(inhibit_irq));
}
END_TEST

START_TEST(test_call)
{
    ir_temp in[4] = { ir_global(R_EAX), ir_global(R_ECX), ir_global(R_EDX),
                      ir_global(R_EBX) };
    ir_temp out = ir_new_temp(&b, IR_I32);

    ck_assert_int_eq(helper_table[HELPER_cc_compute_all].n_args, 4);
    ck_assert_int_eq(helper_table[HELPER_cpuid].n_args, 0); /* H_VOID alone */
    ck_assert_int_eq(helper_table[HELPER_out].n_args, 3);
    ck_assert_int_eq(helper_table[HELPER_in].ret, H_I32);
    ck_assert_str_eq(helper_table[HELPER_load_seg].name, "load_seg");
    ck_assert_ptr_nonnull(helper_table[HELPER_load_seg].fn);

    ir_call(&b, HELPER_cc_compute_all, out, 4, in);
    const struct ir_op *op = last_op();
    ck_assert_int_eq(op->opc, IR_call);
    ck_assert_int_eq(op->n_out, 1);
    ck_assert_int_eq(op->n_in, 4);
    ck_assert_uint_eq(op->args[0], out);
    ck_assert_uint_eq(op->args[4], in[3]);
    ck_assert_uint_eq(op->args[5], HELPER_cc_compute_all);

    ir_call(&b, HELPER_cpuid, IR_TEMP_NONE, 0, NULL);
    op = last_op();
    ck_assert_int_eq(op->n_out, 0);
    ck_assert_int_eq(op->n_in, 0);
    ck_assert_uint_eq(op->args[0], HELPER_cpuid);

    /* A value-returning helper whose result is unused. */
    ir_call(&b, HELPER_in, IR_TEMP_NONE, 2, in);
    ck_assert_int_eq(last_op()->n_out, 0);

    /* Pointers into the CPU state: constant offsets among the inputs. */
    const struct helper_info *h = &helper_table[HELPER_abi_probe];
    ck_assert_int_eq(h->n_args, 5);
    ck_assert_int_eq(h->args[0], H_ENV_PTR);
    ck_assert_int_eq(h->args[3], H_ENV_PTR);
    ck_assert(helper_has_env_ptr(h));
    ck_assert(!helper_has_env_ptr(&helper_table[HELPER_cc_compute_all]));
    ir_temp p = ir_env_offset(&b, CPU_OFF(dr[0]));
    ck_assert(ir_is_const(&b, p));
    ck_assert_uint_eq(b.temps[p].value, CPU_OFF(dr[0]));
    ir_call(&b, HELPER_abi_probe, IR_TEMP_NONE, 5,
            (ir_temp[]){ p, in[0], in[1], ir_env_offset(&b, CPU_OFF(dr[4])),
                         in[2] });
    op = last_op();
    ck_assert_int_eq(op->n_in, 5);
    ck_assert_uint_eq(op->args[0], p);
    ck_assert_uint_eq(op->args[5], HELPER_abi_probe);
}
END_TEST

START_TEST(test_dump)
{
    ir_temp t = ir_new_temp(&b, IR_I32), r = ir_new_temp(&b, IR_I64);
    int l = ir_new_label(&b);
    ir_insn_start(&b, 0x1234, 3);
    ir_op2i(&b, IR_add, IR_I32, t, ir_global(R_EBX), 0x10);
    ir_brcond(&b, IR_I32, IR_COND_GEU, t, ir_global(R_ECX), l);
    ir_call(&b, HELPER_cpuid, IR_TEMP_NONE, 0, NULL);
    ir_call(&b, HELPER_abi_probe, r, 5,
            (ir_temp[]){ ir_env_offset(&b, 0x1a0), ir_global(R_EAX),
                         ir_global(R_EDX), ir_env_offset(&b, 0x1b0),
                         ir_global(R_ECX) });
    ir_set_label(&b, l);
    ir_exit_tb(&b, 2);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ir_dump(&b, f);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "00001234"));
    ck_assert_ptr_nonnull(strstr(buf, "add_i32 t0, ebx, $0x10"));
    ck_assert_ptr_nonnull(strstr(buf, "brcond_i32 t0, ecx, geu, L0"));
    ck_assert_ptr_nonnull(strstr(buf, "call cpuid"));
    ck_assert_ptr_nonnull(
        strstr(buf, "call abi_probe t1, <- &env+0x1a0, eax, edx, &env+0x1b0, ecx"));
    ck_assert_ptr_nonnull(strstr(buf, "L0:"));
    ck_assert_ptr_nonnull(strstr(buf, "exit_tb"));
    free(buf);
}
END_TEST

static Suite *ir_suite(void)
{
    Suite *s = suite_create("ir");
    TCase *tc = tcase_create("builders");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_globals);
    tcase_add_test(tc, test_temps_consts_labels);
    tcase_add_test(tc, test_simplify_identities);
    tcase_add_test(tc, test_fold_consts);
    tcase_add_test(tc, test_operand_layout);
    tcase_add_test(tc, test_call);
    tcase_add_test(tc, test_dump);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(ir_suite)
