/*
 * test_flags.c - unit tests of the lazy flags (translator/flags.c): every
 * CC_OP at every size against flags worked out by hand from the SDM, and
 * the EFLAGS accessors of cpu.c built on them.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "translator/x86/cpu.h"
#include "translator/x86/flags.h"
#include "tests/unit/unit.h"

#define CF EFLAGS_CF
#define PF EFLAGS_PF
#define AF EFLAGS_AF
#define ZF EFLAGS_ZF
#define SF EFLAGS_SF
#define OF EFLAGS_OF

struct flags_case {
    const char *what;
    uint32_t op, dst, src, src2;
    uint32_t flags;
};

static const struct flags_case cases[] = {
    /* ADD: dst = result, src = second operand */
    { "addb ff+01", CC_OP_ADDB, 0x100, 0x01, 0, CF | PF | AF | ZF },
    { "addb 7f+01", CC_OP_ADDB, 0x80, 0x01, 0, OF | SF | AF },
    { "addw 8000+8000", CC_OP_ADDW, 0x0000, 0x8000, 0, CF | OF | ZF | PF },
    { "addl ffffffff+ffffffff", CC_OP_ADDL, 0xfffffffe, 0xffffffff, 0,
      CF | SF | AF },
    { "addl 1+2", CC_OP_ADDL, 3, 2, 0, PF },
    /* ADC: src2 = carry in */
    { "adcb ff+00+1", CC_OP_ADCB, 0x00, 0x00, 1, CF | ZF | PF | AF },
    { "adcl 7fffffff+0+1", CC_OP_ADCL, 0x80000000, 0, 1, OF | SF | AF | PF },
    { "adcw ffff+ffff+1", CC_OP_ADCW, 0xffff, 0xffff, 1, CF | SF | AF | PF },
    /* SUB / CMP / NEG */
    { "subb 00-01", CC_OP_SUBB, 0xff, 0x01, 0, CF | SF | AF | PF },
    { "subb 80-01", CC_OP_SUBB, 0x7f, 0x01, 0, OF | AF },
    { "subw 1234-1234", CC_OP_SUBW, 0, 0x1234, 0, ZF | PF },
    { "subl 0-80000000", CC_OP_SUBL, 0x80000000, 0x80000000, 0,
      CF | OF | SF | PF },
    { "negb 80", CC_OP_SUBB, 0x80, 0x80, 0, CF | OF | SF },
    { "negl 0", CC_OP_SUBL, 0, 0, 0, ZF | PF },
    /* SBB: src2 = borrow in */
    { "sbbb 00-00-1", CC_OP_SBBB, 0xff, 0x00, 1, CF | SF | AF | PF },
    { "sbbw 5-5-1", CC_OP_SBBW, 0xffff, 0x0005, 1, CF | SF | AF | PF },
    { "sbbl 80000000-0-1", CC_OP_SBBL, 0x7fffffff, 0, 1, OF | AF | PF },
    /* LOGIC */
    { "logicb 0", CC_OP_LOGICB, 0x100, 0, 0, ZF | PF },
    { "logicw 8001", CC_OP_LOGICW, 0x8001, 0, 0, SF },
    { "logicl 3", CC_OP_LOGICL, 3, 0, 0, PF },
    /* INC / DEC: src = old CF */
    { "incb 7f", CC_OP_INCB, 0x80, 1, 0, OF | AF | SF | CF },
    { "incw ffff", CC_OP_INCW, 0x0000, 0, 0, ZF | PF | AF },
    { "incl 1", CC_OP_INCL, 2, 0, 0, 0 },
    { "decb 80", CC_OP_DECB, 0x7f, 0, 0, OF | AF },
    { "decl 0", CC_OP_DECL, 0xffffffff, 1, 0, CF | SF | AF | PF },
    { "decw 8001", CC_OP_DECW, 0x8000, 0, 0, SF | PF },
    /* SHL: src = operand << (count-1) */
    { "shlb 81,1", CC_OP_SHLB, 0x102, 0x81, 0, CF | OF },
    { "shll 40000000,1", CC_OP_SHLL, 0x80000000, 0x40000000, 0, OF | SF | PF },
    { "shlw c000,1", CC_OP_SHLW, 0x18000, 0xc000, 0, CF | SF | PF },
    { "shll 1,31", CC_OP_SHLL, 0x80000000, 0x40000000, 0, OF | SF | PF },
    /* SAR family: src = operand >> (count-1) */
    { "shrb 81,1", CC_OP_SARB, 0x40, 0x81, 0, CF | OF },
    { "sarb 81,1", CC_OP_SARB, 0xffffffc0, 0xffffff81, 0, CF | SF | PF },
    { "shrw 8000,16", CC_OP_SARW, 0, 1, 0, CF | ZF | PF },
    { "sarl 80000000,31", CC_OP_SARL, 0xffffffff, 0xffffffff, 0,
      CF | SF | PF },
    /* MUL: src = high half significant */
    { "mulb 10*10", CC_OP_MULB, 0x100, 1, 0, CF | OF | ZF | PF },
    { "mull 5", CC_OP_MULL, 5, 0, 0, PF },
    { "imulw -1", CC_OP_MULW, 0xffffffff, 0, 0, SF | PF },
    /* EFLAGS: src holds the flags */
    { "eflags", CC_OP_EFLAGS, 0x1234, 0x8d5 | EFLAGS_IF | EFLAGS_DF, 0,
      0x8d5 },
};

START_TEST(test_compute_all)
{
    const struct flags_case *c = &cases[_i];
    uint32_t got = cc_compute_all(c->op, c->dst, c->src, c->src2);
    ck_assert_msg(got == c->flags, "%s: flags %03x, expected %03x", c->what,
                  got, c->flags);
    uint32_t cf = cc_compute_c(c->op, c->dst, c->src, c->src2);
    ck_assert_msg(cf == (c->flags & CF), "%s: CF %u", c->what, cf);
}
END_TEST

START_TEST(test_op_size)
{
    ck_assert_int_eq(cc_op_size(CC_OP_ADDB), 0);
    ck_assert_int_eq(cc_op_size(CC_OP_SBBW), 1);
    ck_assert_int_eq(cc_op_size(CC_OP_MULL), 2);
    ck_assert_int_eq(cc_op_size(CC_OP_LOGICB + 2), 2);
    ck_assert_int_eq(cc_op_size(CC_OP_EFLAGS), 2);
}
END_TEST

/* Only the low bits of the operation size count in dst and src. */
START_TEST(test_upper_bits_ignored)
{
    ck_assert_uint_eq(cc_compute_all(CC_OP_ADDB, 0xabcd0000, 0x12345600, 0),
                      cc_compute_all(CC_OP_ADDB, 0, 0, 0));
    ck_assert_uint_eq(cc_compute_all(CC_OP_SUBW, 0x5555ffff, 0x99990001, 0),
                      cc_compute_all(CC_OP_SUBW, 0xffff, 1, 0));
}
END_TEST

START_TEST(test_cpu_eflags)
{
    struct cpu *cpu = calloc(1, sizeof(*cpu));
    cpu->eflags = EFLAGS_FIXED | EFLAGS_IF;
    cpu->cc_op = CC_OP_SUBB;
    cpu->cc_dst = 0xff; /* 0 - 1 */
    cpu->cc_src = 1;
    ck_assert_uint_eq(cpu_get_eflags(cpu),
                      EFLAGS_FIXED | EFLAGS_IF | CF | SF | AF | PF);

    /* Writing only CF and DF keeps the other lazily held flags. */
    cpu_set_eflags(cpu, EFLAGS_DF, CF | EFLAGS_DF);
    ck_assert_uint_eq(cpu->cc_op, CC_OP_EFLAGS);
    ck_assert_uint_eq(cpu_get_eflags(cpu),
                      EFLAGS_FIXED | EFLAGS_IF | EFLAGS_DF | SF | AF | PF);
    ck_assert_uint_eq(cpu->eflags & EFLAGS_ARITH, 0);

    /* Bit 1 always reads as 1, reserved bits as 0. */
    cpu_set_eflags(cpu, 0xffffffff, 0xffffffff);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & 0xffc0802au, 0x2);
    free(cpu);
}
END_TEST

static Suite *flags_suite(void)
{
    Suite *s = suite_create("flags");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_compute_all, 0,
                        (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(tc, test_op_size);
    tcase_add_test(tc, test_upper_bits_ignored);
    tcase_add_test(tc, test_cpu_eflags);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(flags_suite)
