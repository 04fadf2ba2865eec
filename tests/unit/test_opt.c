/*
 * test_opt.c - unit tests of the optimizer (translator/opt.c): dead lazy
 * flag writes removed, writes kept where a fault or a helper may observe
 * them, constant and copy propagation with folding, knowledge forgotten at
 * labels and calls, and the dead_after bits.
 */
#include <check.h>
#include <stdlib.h>

#include "translator/x86/cpu.h"
#include "translator/ir.h"
#include "tests/unit/unit.h"

static struct ir_block b;

static void setup(void) { ir_block_init(&b); }
static void teardown(void) { ir_block_free(&b); }

#define G(g) ir_global(g)
#define EAX G(IR_G_REG0 + R_EAX)
#define ECX G(IR_G_REG0 + R_ECX)
#define EDX G(IR_G_REG0 + R_EDX)

/* Number of ops of opcode opc writing temp out (out == IR_TEMP_NONE: any). */
static int count_ops(enum ir_opc opc, ir_temp out)
{
    int n = 0;
    for (int i = 0; i < b.n_ops; i++)
        if (b.ops[i].opc == opc &&
            (out == IR_TEMP_NONE ||
             (b.ops[i].n_out > 0 && b.ops[i].args[0] == out)))
            n++;
    return n;
}

/* Writes to the lazy-flag globals, as an ALU instruction leaves them. */
static void flags_write(ir_temp res, uint32_t op)
{
    ir_mov(&b, IR_I32, G(IR_G_CC_DST), res);
    ir_movi(&b, IR_I32, G(IR_G_CC_SRC), 1);
    ir_movi(&b, IR_I32, G(IR_G_CC_OP), op);
}

static const struct ir_op *find_op(enum ir_opc opc)
{
    for (int i = 0; i < b.n_ops; i++)
        if (b.ops[i].opc == opc)
            return &b.ops[i];
    return NULL;
}

START_TEST(test_dead_flags_removed)
{
    /* add eax, 1; add eax, 1: the first flag update is overwritten
     * before any read and must go; the last stays (live at block end). */
    ir_insn_start(&b, 0x1000, 0);
    ir_op2i(&b, IR_add, IR_I32, EAX, EAX, 1);
    flags_write(EAX, 1);
    ir_insn_start(&b, 0x1003, 1);
    ir_op2i(&b, IR_add, IR_I32, EAX, EAX, 1);
    flags_write(EAX, 2);
    ir_movi(&b, IR_I32, G(IR_G_EIP), 0x1006);
    ir_exit_tb(&b, 2);
    ir_optimize(&b);

    ck_assert_int_eq(count_ops(IR_mov, G(IR_G_CC_DST)), 1);
    ck_assert_int_eq(count_ops(IR_movi, G(IR_G_CC_SRC)), 1);
    ck_assert_int_eq(count_ops(IR_movi, G(IR_G_CC_OP)), 1);
    ck_assert_int_eq(count_ops(IR_add, EAX), 2);
    ck_assert_int_eq(count_ops(IR_insn_start, IR_TEMP_NONE), 2);
    /* The surviving cc_op write is the second one. */
    for (int i = 0; i < b.n_ops; i++)
        if (b.ops[i].opc == IR_movi && b.ops[i].args[0] == G(IR_G_CC_OP))
            ck_assert_uint_eq(b.temps[b.ops[i].args[1]].value, 2);
}
END_TEST

START_TEST(test_write_before_ld_guest_kept)
{
    ir_temp v = ir_new_temp(&b, IR_I32);
    ir_insn_start(&b, 0x1000, 0);
    ir_op2i(&b, IR_add, IR_I32, EAX, EAX, 1);
    flags_write(EAX, 1);
    ir_insn_start(&b, 0x1003, 1);
    ir_ld_guest(&b, IR_I32, v, ECX, IR_MO_32); /* may fault: flags visible */
    ir_op2(&b, IR_add, IR_I32, EAX, EAX, v);
    flags_write(EAX, 2);
    ir_exit_tb(&b, 2);
    ir_optimize(&b);

    ck_assert_int_eq(count_ops(IR_mov, G(IR_G_CC_DST)), 2);
    ck_assert_int_eq(count_ops(IR_movi, G(IR_G_CC_OP)), 2);
    ck_assert_int_eq(count_ops(IR_ld_guest, IR_TEMP_NONE), 1);
}
END_TEST

START_TEST(test_calls_and_liveness)
{
    ir_temp in[4] = { EAX, ECX, EDX, EAX };
    ir_temp r = ir_new_temp(&b, IR_I32), u = ir_new_temp(&b, IR_I32);

    /* A pure helper neither reads globals nor raises: the flag write in
     * front of it is still dead. */
    flags_write(EAX, 1);
    ir_call(&b, HELPER_cc_compute_all, r, 4, in);
    ir_mov(&b, IR_I32, EDX, r);
    flags_write(ECX, 2);
    /* A helper with no flags may read every global: the write before it
     * is live. */
    flags_write(EAX, 3);
    ir_call(&b, HELPER_cpuid, IR_TEMP_NONE, 0, NULL);
    flags_write(EAX, 4);
    /* An unused result of a side-effect-free op is deleted, and so is a
     * call to a pure helper whose result nobody reads. */
    ir_op2i(&b, IR_add, IR_I32, u, EAX, 5);
    ir_call(&b, HELPER_bsf, r, 2, in);
    ir_exit_tb(&b, 2);
    ir_optimize(&b);

    ck_assert_int_eq(count_ops(IR_movi, G(IR_G_CC_OP)), 2);
    ck_assert_int_eq(count_ops(IR_call, IR_TEMP_NONE), 2);
    ck_assert_int_eq(count_ops(IR_add, u), 0);
    for (int i = 0; i < b.n_ops; i++)
        if (b.ops[i].opc == IR_movi && b.ops[i].args[0] == G(IR_G_CC_OP)) {
            uint64_t v = b.temps[b.ops[i].args[1]].value;
            ck_assert(v == 3 || v == 4);
        }
    /* The dead bsf call is gone; the last call left is cpuid. */
    const struct ir_op *last_call = NULL;
    for (int i = 0; i < b.n_ops; i++)
        if (b.ops[i].opc == IR_call)
            last_call = &b.ops[i];
    ck_assert_uint_eq(last_call->args[last_call->n_out + last_call->n_in],
                      HELPER_cpuid);
}
END_TEST

START_TEST(test_const_copy_propagation)
{
    ir_temp t = ir_new_temp(&b, IR_I32), u = ir_new_temp(&b, IR_I32);
    ir_temp w = ir_new_temp(&b, IR_I64);

    ir_movi(&b, IR_I32, t, 5);
    ir_op2i(&b, IR_add, IR_I32, u, t, 3); /* 8 */
    ir_op2(&b, IR_mul, IR_I32, ECX, u, u); /* 64: folded */
    ir_mov(&b, IR_I64, w, EAX);           /* copy of eax */
    ir_op2i(&b, IR_add, IR_I64, EDX, w, 1);
    ir_exit_tb(&b, 2);
    ir_optimize(&b);

    /* ecx = 64 directly; the temps are gone. */
    ck_assert_int_eq(count_ops(IR_movi, ECX), 1);
    for (int i = 0; i < b.n_ops; i++)
        if (b.ops[i].opc == IR_movi && b.ops[i].args[0] == ECX)
            ck_assert_uint_eq(b.temps[b.ops[i].args[1]].value, 64);
    ck_assert_int_eq(count_ops(IR_movi, t), 0);
    ck_assert_int_eq(count_ops(IR_add, u), 0);
    ck_assert_int_eq(count_ops(IR_mov, w), 0);
    const struct ir_op *add = find_op(IR_add);
    ck_assert_ptr_nonnull(add);
    ck_assert_uint_eq(add->args[0], EDX);
    ck_assert_uint_eq(add->args[1], EAX);
}
END_TEST

START_TEST(test_copy_invalidated_by_write)
{
    ir_temp w = ir_new_temp(&b, IR_I64);
    ir_mov(&b, IR_I64, w, EAX);
    ir_movi(&b, IR_I64, EAX, 7);         /* eax changes: w keeps the old */
    ir_op2i(&b, IR_add, IR_I64, EDX, w, 1);
    ir_exit_tb(&b, 2);
    ir_optimize(&b);
    const struct ir_op *add = find_op(IR_add);
    ck_assert_ptr_nonnull(add);
    ck_assert_uint_eq(add->args[1], w);
    ck_assert_int_eq(count_ops(IR_mov, w), 1);
}
END_TEST

START_TEST(test_zext_copy_not_used_as_64)
{
    /* w = zext32(eax) is not eax for a 64-bit reader. */
    ir_temp w = ir_new_temp(&b, IR_I32);
    ir_mov(&b, IR_I32, w, EAX);
    ir_op2i(&b, IR_add, IR_I64, EDX, w, 1);
    ir_op2i(&b, IR_add, IR_I32, ECX, w, 1);
    ir_exit_tb(&b, 2);
    ir_optimize(&b);
    for (int i = 0; i < b.n_ops; i++) {
        const struct ir_op *op = &b.ops[i];
        if (op->opc == IR_add && op->args[0] == EDX)
            ck_assert_uint_eq(op->args[1], w);
        if (op->opc == IR_add && op->args[0] == ECX)
            ck_assert_uint_eq(op->args[1], EAX);
    }
}
END_TEST

START_TEST(test_forget_at_label_and_call)
{
    ir_temp t = ir_new_temp(&b, IR_I32);
    int l = ir_new_label(&b);
    ir_movi(&b, IR_I32, t, 5);
    ir_brcond(&b, IR_I32, IR_COND_EQ, EAX, ECX, l);
    ir_movi(&b, IR_I32, t, 6);
    ir_set_label(&b, l);
    ir_op2i(&b, IR_add, IR_I32, EDX, t, 1); /* t is 5 or 6 here */
    /* A helper that writes globals makes known global values stale. */
    ir_movi(&b, IR_I32, EAX, 9);
    ir_call(&b, HELPER_cpuid, IR_TEMP_NONE, 0, NULL);
    ir_op2i(&b, IR_add, IR_I32, ECX, EAX, 1);
    ir_exit_tb(&b, 2);
    ir_optimize(&b);

    int adds = 0;
    for (int i = 0; i < b.n_ops; i++) {
        const struct ir_op *op = &b.ops[i];
        if (op->opc != IR_add)
            continue;
        adds++;
        if (op->args[0] == EDX)
            ck_assert_uint_eq(op->args[1], t);
        if (op->args[0] == ECX)
            ck_assert_uint_eq(op->args[1], EAX);
    }
    ck_assert_int_eq(adds, 2);
    /* Both writes of t live: one on each path to the label. */
    ck_assert_int_eq(count_ops(IR_movi, t), 2);
}
END_TEST

START_TEST(test_fold_branch_and_identities)
{
    ir_temp t = ir_new_temp(&b, IR_I32);
    int l = ir_new_label(&b), l2 = ir_new_label(&b);
    ir_movi(&b, IR_I32, t, 3);
    ir_brcond(&b, IR_I32, IR_COND_LTU, t, ir_const(&b, IR_I32, 2), l);
    ir_brcond(&b, IR_I32, IR_COND_GTU, t, ir_const(&b, IR_I32, 2), l2);
    ir_set_label(&b, l);
    ir_set_label(&b, l2);
    ir_op2(&b, IR_xor, IR_I32, EAX, ECX, ECX); /* 0 */
    ir_op2(&b, IR_sub, IR_I32, EDX, ECX, ECX); /* 0 */
    ir_op2(&b, IR_and, IR_I32, G(IR_G_REG0 + R_EBX), ECX, ECX);
    ir_exit_tb(&b, 2);
    ir_optimize(&b);

    ck_assert_int_eq(count_ops(IR_brcond, IR_TEMP_NONE), 0);
    ck_assert_int_eq(count_ops(IR_br, IR_TEMP_NONE), 1); /* the decided one */
    ck_assert_int_eq(count_ops(IR_movi, EAX), 1);
    ck_assert_int_eq(count_ops(IR_movi, EDX), 1);
    ck_assert_int_eq(count_ops(IR_mov, G(IR_G_REG0 + R_EBX)), 1);
}
END_TEST

START_TEST(test_dead_after)
{
    ir_temp t = ir_new_temp(&b, IR_I32), u = ir_new_temp(&b, IR_I32);
    ir_ld_guest(&b, IR_I32, t, EAX, IR_MO_32);
    ir_op2(&b, IR_add, IR_I32, u, t, ECX); /* t dies here */
    ir_st_guest(&b, IR_I32, u, EDX, IR_MO_32); /* u dies here */
    ir_exit_tb(&b, 2);
    ir_optimize(&b);

    ck_assert_int_eq(b.n_ops, 4);
    const struct ir_op *add = find_op(IR_add);
    ck_assert_uint_eq(add->dead_after, 1u << 1); /* t; ecx is a global */
    const struct ir_op *st = find_op(IR_st_guest);
    ck_assert_uint_eq(st->dead_after, 1u << 1);  /* value u */
    const struct ir_op *ld = find_op(IR_ld_guest);
    ck_assert_uint_eq(ld->dead_after, 0);
}
END_TEST

START_TEST(test_narrow_copies)
{
    /* An 8-bit store of ext8u(x) stores x; a 32-bit reader of ext8u(x)
     * still needs the extension. */
    ir_temp t = ir_new_temp(&b, IR_I32), u = ir_new_temp(&b, IR_I32);
    ir_op1(&b, IR_ext8u, IR_I32, t, EDX);
    ir_st_guest(&b, IR_I32, t, EAX, IR_MO_8);
    ir_extract(&b, IR_I32, u, ECX, 0, 16);
    ir_st_guest(&b, IR_I32, u, EAX, IR_MO_16);
    ir_op2(&b, IR_add, IR_I32, G(IR_G_REG0 + R_EBX), u, EAX);
    ir_exit_tb(&b, 2);
    ir_optimize(&b);

    const struct ir_op *st[2];
    int n = 0;
    for (int i = 0; i < b.n_ops; i++)
        if (b.ops[i].opc == IR_st_guest)
            st[n++] = &b.ops[i];
    ck_assert_int_eq(n, 2);
    ck_assert_uint_eq(st[0]->args[1], EDX);
    ck_assert_uint_eq(st[1]->args[1], ECX);
    ck_assert_int_eq(count_ops(IR_ext8u, IR_TEMP_NONE), 0); /* now dead */
    ck_assert_int_eq(count_ops(IR_extract, u), 1);          /* still read */
    const struct ir_op *add = find_op(IR_add);
    ck_assert_uint_eq(add->args[1], u);
}
END_TEST

START_TEST(test_fuse_moves)
{
    /* add t, eax, 1; mov eax, t; mov cc_dst, t -> add eax, eax, 1;
     * mov cc_dst, eax */
    ir_temp t = ir_new_temp(&b, IR_I32), u = ir_new_temp(&b, IR_I32);
    ir_op2i(&b, IR_add, IR_I32, t, EAX, 1);
    ir_mov(&b, IR_I32, EAX, t);
    ir_mov(&b, IR_I32, G(IR_G_CC_DST), t);
    /* Not fused: ecx changes before u's last read. */
    ir_op2i(&b, IR_sub, IR_I32, u, ECX, 1);
    ir_mov(&b, IR_I32, ECX, u);
    ir_movi(&b, IR_I32, ECX, 7);
    ir_st_guest(&b, IR_I32, u, EDX, IR_MO_32);
    ir_exit_tb(&b, 2);
    ir_optimize(&b);

    const struct ir_op *add = find_op(IR_add);
    ck_assert_uint_eq(add->args[0], EAX);
    ck_assert_uint_eq(add->args[1], EAX);
    ck_assert_int_eq(count_ops(IR_mov, EAX), 0);
    ck_assert_int_eq(count_ops(IR_mov, G(IR_G_CC_DST)), 1);
    for (int i = 0; i < b.n_ops; i++)
        if (b.ops[i].opc == IR_mov && b.ops[i].args[0] == G(IR_G_CC_DST))
            ck_assert_uint_eq(b.ops[i].args[1], EAX);
    const struct ir_op *sub = find_op(IR_sub);
    ck_assert_uint_eq(sub->args[0], u);
    const struct ir_op *st = find_op(IR_st_guest);
    ck_assert_uint_eq(st->args[1], u);
}
END_TEST

static Suite *opt_suite(void)
{
    Suite *s = suite_create("opt");
    TCase *tc = tcase_create("optimize");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_dead_flags_removed);
    tcase_add_test(tc, test_write_before_ld_guest_kept);
    tcase_add_test(tc, test_calls_and_liveness);
    tcase_add_test(tc, test_const_copy_propagation);
    tcase_add_test(tc, test_copy_invalidated_by_write);
    tcase_add_test(tc, test_zext_copy_not_used_as_64);
    tcase_add_test(tc, test_forget_at_label_and_call);
    tcase_add_test(tc, test_fold_branch_and_identities);
    tcase_add_test(tc, test_dead_after);
    tcase_add_test(tc, test_narrow_copies);
    tcase_add_test(tc, test_fuse_moves);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(opt_suite)
