/*
 * test_interp.c - unit tests of the interpreter backend
 * (translator/backend/interp.c): IR built by hand is turned into bytecode
 * and run on a CPU with 1 MiB of RAM. Every op at both types (checked
 * against literal values and against translator/ir_eval.h on many
 * operands), guest memory through the TLB fast and slow paths, helper
 * calls through libffi, precise state when a helper raises, chaining and
 * unchaining, the block-entry check and find_insn.
 */
#include <check.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "translator/x86/cpu_access.h"
#include "softmmu/memory.h"
#include "translator/backend.h"
#include "translator/x86/cpu.h"
#include "translator/x86/flags.h"
#include "translator/x86/helpers.h"
#include "translator/ir.h"
#include "translator/ir_eval.h"
#include "translator/x86/sys.h"
#include "translator/tb.h"
#include "translator/x86/translate.h"
#include "tests/unit/unit.h"

#define RAM_SIZE (1u << 20)

static struct memory_map map;
static struct cpu *cpu;
static uint8_t *ram;
static struct ir_block b;
static struct jit *jit; /* an engine on the interp: its instance is jit->be */
static struct tb *made[64];
static int n_made;

#define EAX ir_global(IR_G_REG0 + R_EAX)
#define ECX ir_global(IR_G_REG0 + R_ECX)
#define EDX ir_global(IR_G_REG0 + R_EDX)
#define EBX ir_global(IR_G_REG0 + R_EBX)

static void setup(void)
{
    memory_map_init(&map);
    ram = mem_add_ram(&map, "ram", 0, RAM_SIZE, NULL)->host;
    cpu = calloc(1, sizeof(*cpu));
    cpu->mmu.mem = &map;
    cpu_init(cpu);
    cpu_reset(cpu);
    cpu_tlb_flush(cpu);
    struct jit_options opt = { .backend = &backend_interp,
                               .code_buffer_size = 1u << 20 };
    jit = jit_new(&opt);
    cpu->jit = jit;
    ir_block_init(&b);
    n_made = 0;
}

static void teardown(void)
{
    for (int i = 0; i < n_made; i++) {
        free(made[i]->insns);
        free(made[i]->incoming);
        free(made[i]);
    }
    ir_block_free(&b);
    tb_detach_cpu(cpu);
    jit_free(jit);
    free(cpu);
    memory_map_destroy(&map);
}

/* Generate the current IR into a new block (insns[] from insn_start, as the
 * translator fills them) and start a fresh IR block. */
static struct tb *make_tb(void)
{
    struct tb *tb = calloc(1, sizeof(*tb));
    tb->insns = calloc(TRANSLATE_MAX_INSNS, sizeof(*tb->insns));
    tb->page_addr[1] = (uint64_t)-1;
    for (int i = 0; i < b.n_ops; i++)
        if (b.ops[i].opc == IR_insn_start) {
            tb->insns[tb->icount].eip = b.ops[i].args[0];
            tb->insns[tb->icount].cc_op = b.ops[i].args[2];
            tb->icount++;
        }
    ck_assert(backend_interp.gen(jit->be, &b, tb));
    ck_assert_int_lt(n_made, 64);
    made[n_made++] = tb;
    ir_block_reset(&b);
    return tb;
}

/* Forget the last block made (tests that make thousands). */
static void drop_tb(struct tb *tb)
{
    ck_assert_ptr_eq(made[n_made - 1], tb);
    free(tb->insns);
    free(tb);
    n_made--;
    backend_interp.reset(jit->be);
}

static uintptr_t run(struct tb *tb)
{
    return backend_interp.exec(jit->be, cpu, tb);
}

/* One block computing ECX = op(EAX, EDX) with both inputs globals, and one
 * with the second input a constant and the result through a local. */
static uint64_t run_op2(enum ir_opc opc, enum ir_type t, uint64_t x,
                        uint64_t y, bool const_y)
{
    ir_insn_start(&b, 0, CC_OP_DYNAMIC);
    if (const_y) {
        ir_temp l = ir_new_temp(&b, t);
        ir_emit(&b, opc, t,
                (uint32_t[]){ l, EAX, ir_const(&b, t, y) });
        ir_mov(&b, IR_I64, ECX, l);
    } else {
        ir_emit(&b, opc, t, (uint32_t[]){ ECX, EAX, EDX });
    }
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    struct tb *tb = make_tb();
    cpu->regs[R_EAX] = x;
    cpu->regs[R_EDX] = y;
    cpu->regs[R_ECX] = 0x5555;
    uintptr_t r = run(tb);
    ck_assert_uint_eq(r, (uintptr_t)tb | TB_EXIT_NOCHAIN);
    uint64_t v = cpu->regs[R_ECX];
    drop_tb(tb);
    return v;
}

static const uint64_t vals[] = {
    0, 1, 2, 31, 32, 33, 63, 64, 0x7f, 0x80, 0xff, 0x7fff, 0x8000,
    0x7fffffff, 0x80000000u, 0xffffffffu, 0x100000000ull,
    0x123456789abcdef0ull, 0x8000000000000000ull, ~(uint64_t)0,
    0xfffffffe00000003ull,
};
#define N_VALS (sizeof(vals) / sizeof(vals[0]))

START_TEST(test_op2_literal)
{
    ck_assert_uint_eq(run_op2(IR_add, IR_I32, 0xffffffffu, 1, false), 0);
    ck_assert_uint_eq(run_op2(IR_add, IR_I64, 0xffffffffu, 1, false),
                      0x100000000ull);
    ck_assert_uint_eq(run_op2(IR_sub, IR_I32, 0, 1, true), 0xffffffffu);
    ck_assert_uint_eq(run_op2(IR_mul, IR_I32, 0x10000, 0x10001, false),
                      0x10000);
    ck_assert_uint_eq(run_op2(IR_and, IR_I32, 0xffffffff00000001ull, 3, false),
                      1);
    ck_assert_uint_eq(run_op2(IR_or, IR_I32, 0xffffffff00000000ull, 3, true),
                      3);
    ck_assert_uint_eq(run_op2(IR_xor, IR_I64, 0xf0f0, 0xffff, false), 0x0f0f);
    ck_assert_uint_eq(run_op2(IR_shl, IR_I32, 1, 33, false), 2);
    ck_assert_uint_eq(run_op2(IR_shl, IR_I64, 1, 33, false), 0x200000000ull);
    ck_assert_uint_eq(run_op2(IR_shr, IR_I32, 0xffffffff80000000ull, 31, true),
                      1);
    ck_assert_uint_eq(run_op2(IR_sar, IR_I32, 0x80000000u, 31, false),
                      0xffffffffu);
    ck_assert_uint_eq(run_op2(IR_sar, IR_I64, 0x8000000000000000ull, 63, false),
                      ~(uint64_t)0);
    ck_assert_uint_eq(run_op2(IR_rotl, IR_I32, 0x80000001u, 1, false), 3);
    ck_assert_uint_eq(run_op2(IR_rotr, IR_I32, 3, 1, true), 0x80000001u);
    ck_assert_uint_eq(run_op2(IR_rotr, IR_I64, 1, 1, false),
                      0x8000000000000000ull);
    ck_assert_uint_eq(run_op2(IR_rotl, IR_I64, 0x8000000000000001ull, 0, false),
                      0x8000000000000001ull);
}
END_TEST

START_TEST(test_op2_all)
{
    static const enum ir_opc ops[] = { IR_add, IR_sub, IR_mul, IR_and,
                                       IR_or,  IR_xor, IR_shl, IR_shr,
                                       IR_sar, IR_rotl, IR_rotr };
    for (unsigned o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
        for (int t = IR_I32; t <= IR_I64; t++)
            for (unsigned i = 0; i < N_VALS; i++)
                for (unsigned j = 0; j < N_VALS; j++) {
                    uint64_t want;
                    ck_assert(ir_eval_op2(ops[o], (enum ir_type)t, vals[i],
                                          vals[j], &want));
                    bool c = (i + j) & 1;
                    uint64_t got = run_op2(ops[o], (enum ir_type)t, vals[i],
                                           vals[j], c);
                    if (got != want)
                        ck_abort_msg("%s_%s(%#llx, %#llx): %#llx, want %#llx",
                                     ir_opdefs[ops[o]].name,
                                     t ? "i64" : "i32",
                                     (unsigned long long)vals[i],
                                     (unsigned long long)vals[j],
                                     (unsigned long long)got,
                                     (unsigned long long)want);
                }
}
END_TEST

START_TEST(test_op1_all)
{
    static const enum ir_opc ops[] = { IR_mov, IR_neg, IR_not, IR_ext8s,
                                       IR_ext8u, IR_ext16s, IR_ext16u,
                                       IR_ext32s, IR_ext32u, IR_bswap32 };
    for (unsigned o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
        for (int t = IR_I32; t <= IR_I64; t++) {
            if ((ops[o] == IR_ext32s || ops[o] == IR_ext32u) && t == IR_I32)
                continue;
            for (unsigned i = 0; i < N_VALS; i++) {
                ir_insn_start(&b, 0, CC_OP_DYNAMIC);
                ir_emit(&b, ops[o], (enum ir_type)t,
                        (uint32_t[]){ ECX, EAX });
                ir_exit_tb(&b, TB_EXIT_NOCHAIN);
                struct tb *tb = make_tb();
                cpu->regs[R_EAX] = vals[i];
                run(tb);
                uint64_t want;
                ck_assert(ir_eval_op1(ops[o], (enum ir_type)t, vals[i], &want));
                ck_assert_uint_eq(cpu->regs[R_ECX], want);
                drop_tb(tb);
            }
        }
    /* Literal spot checks of the reference itself. */
    uint64_t v;
    ir_eval_op1(IR_ext8s, IR_I32, 0x1280, &v);
    ck_assert_uint_eq(v, 0xffffff80u);
    ir_eval_op1(IR_ext16s, IR_I64, 0x8000, &v);
    ck_assert_uint_eq(v, 0xffffffffffff8000ull);
    ir_eval_op1(IR_neg, IR_I32, 1, &v);
    ck_assert_uint_eq(v, 0xffffffffu);
    ir_eval_op1(IR_bswap32, IR_I64, 0xaa11223344ull, &v);
    ck_assert_uint_eq(v, 0x44332211u);
}
END_TEST

START_TEST(test_mul2_fields)
{
    for (int t = IR_I32; t <= IR_I64; t++)
        for (int sgn = 0; sgn < 2; sgn++)
            for (unsigned i = 0; i < N_VALS; i += 2)
                for (unsigned j = 1; j < N_VALS; j += 3) {
                    ir_insn_start(&b, 0, CC_OP_DYNAMIC);
                    ir_mul2(&b, sgn ? IR_muls2 : IR_mulu2, (enum ir_type)t,
                            ECX, EBX, EAX, EDX);
                    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
                    struct tb *tb = make_tb();
                    cpu->regs[R_EAX] = vals[i];
                    cpu->regs[R_EDX] = vals[j];
                    run(tb);
                    uint64_t lo, hi;
                    ir_eval_mul2(sgn, (enum ir_type)t, vals[i], vals[j], &lo,
                                 &hi);
                    ck_assert_uint_eq(cpu->regs[R_ECX], lo);
                    ck_assert_uint_eq(cpu->regs[R_EBX], hi);
                    drop_tb(tb);
                }
    uint64_t lo, hi;
    ir_eval_mul2(true, IR_I32, 0xffffffffu, 2, &lo, &hi);
    ck_assert_uint_eq(lo, 0xfffffffeu);
    ck_assert_uint_eq(hi, 0xffffffffu);
    ir_eval_mul2(false, IR_I32, 0xffffffffu, 2, &lo, &hi);
    ck_assert_uint_eq(hi, 1);

    /* extract / sextract / deposit */
    ir_insn_start(&b, 0, CC_OP_DYNAMIC);
    ir_extract(&b, IR_I32, ECX, EAX, 4, 8);
    ir_sextract(&b, IR_I32, EBX, EAX, 8, 8);
    ir_sextract(&b, IR_I64, EDX, EAX, 12, 4);
    ir_deposit(&b, IR_I32, ir_global(IR_G_REG0 + R_ESI), EAX,
               ir_global(IR_G_REG0 + R_EDI), 8, 8);
    ir_deposit(&b, IR_I64, ir_global(IR_G_REG0 + 8), EAX,
               ir_global(IR_G_REG0 + R_EDI), 32, 16);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    struct tb *tb = make_tb();
    cpu->regs[R_EAX] = 0xffffffff0000abcdull;
    cpu->regs[R_EDI] = 0x12345;
    run(tb);
    ck_assert_uint_eq(cpu->regs[R_ECX], 0xbc);
    ck_assert_uint_eq(cpu->regs[R_EBX], 0xffffffabu);
    ck_assert_uint_eq(cpu->regs[R_EDX], 0xfffffffffffffffaull);
    ck_assert_uint_eq(cpu->regs[R_ESI], 0x000045cdu);
    ck_assert_uint_eq(cpu->regs[8], 0xffff23450000abcdull);
}
END_TEST

START_TEST(test_conditions)
{
    for (int t = IR_I32; t <= IR_I64; t++)
        for (int c = IR_COND_EQ; c <= IR_COND_NEVER; c++) {
            for (unsigned i = 0; i < N_VALS; i += 3)
                for (unsigned j = 0; j < N_VALS; j += 2) {
                    int l = ir_new_label(&b);
                    ir_insn_start(&b, 0, CC_OP_DYNAMIC);
                    ir_emit(&b, IR_setcond, (enum ir_type)t,
                            (uint32_t[]){ ECX, EAX, EDX, (uint32_t)c });
                    ir_emit(&b, IR_movcond, (enum ir_type)t,
                            (uint32_t[]){ EBX, EAX, EDX,
                                          ir_global(IR_G_REG0 + R_ESI),
                                          ir_global(IR_G_REG0 + R_EDI),
                                          (uint32_t)c });
                    ir_movi(&b, IR_I64, ir_global(IR_G_REG0 + 8), 0);
                    ir_emit(&b, IR_brcond, (enum ir_type)t,
                            (uint32_t[]){ EAX, EDX, (uint32_t)c, (uint32_t)l });
                    ir_movi(&b, IR_I64, ir_global(IR_G_REG0 + 8), 1);
                    ir_set_label(&b, l);
                    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
                    struct tb *tb = make_tb();
                    cpu->regs[R_EAX] = vals[i];
                    cpu->regs[R_EDX] = vals[j];
                    cpu->regs[R_ESI] = 0x1111111122222222ull;
                    cpu->regs[R_EDI] = 0x3333333344444444ull;
                    run(tb);
                    bool want = ir_eval_cond((enum ir_cond)c, (enum ir_type)t,
                                             vals[i], vals[j]);
                    ck_assert_uint_eq(cpu->regs[R_ECX], want);
                    ck_assert_uint_eq(cpu->regs[8], !want);
                    uint64_t mv = want ? cpu->regs[R_ESI] : cpu->regs[R_EDI];
                    ck_assert_uint_eq(cpu->regs[R_EBX],
                                      ir_eval_trunc((enum ir_type)t, mv));
                    drop_tb(tb);
                }
        }
    /* Reference spot checks: signed vs unsigned at 32 bits. */
    ck_assert(ir_eval_cond(IR_COND_LT, IR_I32, 0xffffffffu, 0));
    ck_assert(!ir_eval_cond(IR_COND_LTU, IR_I32, 0xffffffffu, 0));
    ck_assert(!ir_eval_cond(IR_COND_LT, IR_I64, 0xffffffffu, 0));
    ck_assert(ir_eval_cond(IR_COND_EQ, IR_I32, 0x100000005ull, 5));
}
END_TEST

START_TEST(test_env_access)
{
    cpu->eflags = 0x00000246;
    cpu->seg[SEG_CS].sel = 0x8018;
    cpu->error_code = -5;
    cpu->icount_mode = true;
    ir_insn_start(&b, 0, CC_OP_DYNAMIC);
    ir_ld_env(&b, IR_I32, ECX, CPU_OFF(eflags), IR_MO_32);
    ir_ld_env(&b, IR_I32, EDX, CPU_OFF(seg[SEG_CS].sel), IR_MO_16);
    ir_ld_env(&b, IR_I32, EBX, CPU_OFF(seg[SEG_CS].sel),
              IR_MO_16 | IR_MEMOP_SIGN);
    ir_ld_env(&b, IR_I64, ir_global(IR_G_REG0 + R_ESI), CPU_OFF(error_code),
              IR_MO_32 | IR_MEMOP_SIGN);
    ir_ld_env(&b, IR_I32, ir_global(IR_G_REG0 + R_EDI), CPU_OFF(icount_mode),
              IR_MO_8);
    ir_ld_env(&b, IR_I64, ir_global(IR_G_REG0 + 8), CPU_OFF(icount),
              IR_MO_64);
    ir_st_env(&b, IR_I32, EAX, CPU_OFF(inhibit_irq), IR_MO_32);
    ir_st_env(&b, IR_I32, EAX, CPU_OFF(seg[SEG_DS].sel), IR_MO_16);
    ir_st_env(&b, IR_I64, EAX, CPU_OFF(tsc_offset), IR_MO_64);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    struct tb *tb = make_tb();
    cpu->regs[R_EAX] = 0x1122334455667788ull;
    cpu->icount = 777;
    cpu->icount_budget = 1000;
    run(tb);
    ck_assert_uint_eq(cpu->regs[R_ECX], 0x246);
    ck_assert_uint_eq(cpu->regs[R_EDX], 0x8018);
    ck_assert_uint_eq(cpu->regs[R_EBX], 0xffff8018u);
    ck_assert_uint_eq(cpu->regs[R_ESI], 0xfffffffffffffffbull);
    ck_assert_uint_eq(cpu->regs[R_EDI], 1);
    ck_assert_uint_eq(cpu->regs[8], 778); /* charged at block entry */
    ck_assert_int_eq(cpu->inhibit_irq, 0x55667788);
    ck_assert_uint_eq(cpu->seg[SEG_DS].sel, 0x7788);
    ck_assert_uint_eq(cpu->tsc_offset, 0x1122334455667788ull);
}
END_TEST

START_TEST(test_guest_memory)
{
    /* Stores and loads of every size and sign; 0x2ffe crosses a page and
     * 0x3001 is misaligned (both through the slow path), the others are
     * fast once the TLB entry is filled. */
    static const uint32_t addrs[] = { 0x2000, 0x2000, 0x3001, 0x2ffe };
    for (unsigned k = 0; k < sizeof(addrs) / sizeof(addrs[0]); k++) {
        uint32_t a = addrs[k];
        ir_insn_start(&b, 0, CC_OP_DYNAMIC);
        ir_st_guest(&b, IR_I32, EDX, EAX, IR_MO_32);
        ir_ld_guest(&b, IR_I32, ECX, EAX, IR_MO_8);
        ir_ld_guest(&b, IR_I32, EBX, EAX, IR_MO_8 | IR_MEMOP_SIGN);
        ir_ld_guest(&b, IR_I64, ir_global(IR_G_REG0 + R_ESI), EAX,
                    IR_MO_16 | IR_MEMOP_SIGN);
        ir_ld_guest(&b, IR_I64, ir_global(IR_G_REG0 + R_EDI), EAX,
                    IR_MO_32 | IR_MEMOP_SIGN);
        ir_ld_guest(&b, IR_I32, ir_global(IR_G_REG0 + 8), EAX, IR_MO_16);
        ir_exit_tb(&b, TB_EXIT_NOCHAIN);
        struct tb *tb = make_tb();
        cpu->regs[R_EAX] = a;
        cpu->regs[R_EDX] = 0x8081ff81u;
        run(tb);
        ck_assert_uint_eq(ram[a], 0x81);
        ck_assert_uint_eq(ram[a + 1], 0xff);
        ck_assert_uint_eq(ram[a + 2], 0x81);
        ck_assert_uint_eq(ram[a + 3], 0x80);
        ck_assert_uint_eq(cpu->regs[R_ECX], 0x81);
        ck_assert_uint_eq(cpu->regs[R_EBX], 0xffffff81u);
        ck_assert_uint_eq(cpu->regs[R_ESI], 0xffffffffffffff81ull);
        ck_assert_uint_eq(cpu->regs[R_EDI], 0xffffffff8081ff81ull);
        ck_assert_uint_eq(cpu->regs[8], 0xff81);
    }
    /* 64-bit, and an address with high bits (only the low 32 count). */
    ir_insn_start(&b, 0, CC_OP_DYNAMIC);
    ir_st_guest(&b, IR_I64, EDX, EAX, IR_MO_64);
    ir_ld_guest(&b, IR_I64, ECX, EAX, IR_MO_64);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    struct tb *tb = make_tb();
    cpu->regs[R_EAX] = 0x700000000ull | 0x4000;
    cpu->regs[R_EDX] = 0x0102030405060708ull;
    run(tb);
    ck_assert_uint_eq(ram[0x4000], 0x08);
    ck_assert_uint_eq(ram[0x4007], 0x01);
    ck_assert_uint_eq(cpu->regs[R_ECX], 0x0102030405060708ull);
}
END_TEST

START_TEST(test_fused_displacement_access)
{
    /* add t, base, $disp; ld/st [t] with t dying there: one op each, as
     * the dump shows, with the same results. */
    ir_temp t = ir_new_temp(&b, IR_I32), u = ir_new_temp(&b, IR_I32);
    ir_insn_start(&b, 0, CC_OP_DYNAMIC);
    ir_op2i(&b, IR_add, IR_I32, t, EAX, 0x10);
    ir_st_guest(&b, IR_I32, EDX, t, IR_MO_16);
    ir_op2i(&b, IR_add, IR_I32, u, EAX, 0xfffffff0u); /* -16 */
    ir_ld_guest(&b, IR_I64, ECX, u, IR_MO_8 | IR_MEMOP_SIGN);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    ir_liveness(&b);
    struct tb *tb = make_tb();
    ram[0x5000 - 16] = 0x80;
    cpu->regs[R_EAX] = 0x5000;
    cpu->regs[R_EDX] = 0x1234abcd;
    run(tb);
    ck_assert_uint_eq(ram[0x5010], 0xcd);
    ck_assert_uint_eq(ram[0x5011], 0xab);
    ck_assert_uint_eq(ram[0x5012], 0);
    ck_assert_uint_eq(cpu->regs[R_ECX], 0xffffffffffffff80ull);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    backend_interp.dump(jit->be, tb, f);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "STGD_16"));
    ck_assert_ptr_nonnull(strstr(buf, "LDGD_S8_64"));
    ck_assert_ptr_null(strstr(buf, "ADDI32"));
    free(buf);
}
END_TEST

START_TEST(test_helper_calls)
{
    ir_temp in[4] = { EAX, ECX, EDX, EBX };
    ir_temp r = ir_new_temp(&b, IR_I32);
    ir_insn_start(&b, 0, CC_OP_DYNAMIC);
    ir_call(&b, HELPER_cc_compute_all, r, 4, in);
    ir_mov(&b, IR_I32, ir_global(IR_G_REG0 + R_ESI), r);
    ir_call(&b, HELPER_bsr, ir_global(IR_G_REG0 + R_EDI), 2,
            (ir_temp[]){ EDX, EAX });
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    struct tb *tb = make_tb();
    for (uint32_t op = CC_OP_ADDB; op < CC_OP_NB; op += 4) {
        cpu->regs[R_EAX] = op;
        cpu->regs[R_ECX] = 0x80;
        cpu->regs[R_EDX] = 0xffff0001u;
        cpu->regs[R_EBX] = 1;
        run(tb);
        ck_assert_uint_eq(cpu->regs[R_ESI],
                          cc_compute_all(op, 0x80, 0xffff0001u, 1));
        ck_assert_uint_eq(cpu->regs[R_EDI], 31);
    }

    /* Through libffi: a helper with three arguments and a result that
     * also changes the lazy flags (rcl), compared with a direct call. */
    ir_insn_start(&b, 0, CC_OP_DYNAMIC);
    ir_call(&b, HELPER_rcl, ir_global(IR_G_REG0 + R_ESI), 3,
            (ir_temp[]){ EAX, ECX, ir_const(&b, IR_I32, 2) });
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    tb = make_tb();
    for (uint32_t cnt = 0; cnt < 34; cnt += 3) {
        cpu->cc_op = CC_OP_EFLAGS;
        cpu->cc_src = EFLAGS_CF;
        cpu->regs[R_EAX] = 0x80000001u;
        cpu->regs[R_ECX] = cnt;
        run(tb);
        uint64_t got_v = cpu->regs[R_ESI], got_src = cpu->cc_src;
        cpu->cc_op = CC_OP_EFLAGS;
        cpu->cc_src = EFLAGS_CF;
        ck_assert_uint_eq(got_v, helper_rcl(cpu, 0x80000001u, cnt, 2));
        ck_assert_uint_eq(got_src, cpu->cc_src);
    }

    /* A helper without arguments (H_VOID placeholder). */
    ir_insn_start(&b, 0, CC_OP_DYNAMIC);
    ir_call(&b, HELPER_cpuid, IR_TEMP_NONE, 0, NULL);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    tb = make_tb();
    cpu->regs[R_EAX] = 0;
    cpu->regs[R_ECX] = 0;
    run(tb);
    uint64_t got[4] = { cpu->regs[R_EAX], cpu->regs[R_EBX], cpu->regs[R_ECX],
                        cpu->regs[R_EDX] };
    cpu->regs[R_EAX] = 0;
    cpu->regs[R_ECX] = 0;
    helper_cpuid(cpu);
    ck_assert_uint_eq(got[0], cpu->regs[R_EAX]);
    ck_assert_uint_eq(got[1], cpu->regs[R_EBX]);
    ck_assert_uint_eq(got[2], cpu->regs[R_ECX]);
    ck_assert_uint_eq(got[3], cpu->regs[R_EDX]);
    ck_assert_uint_ne(got[1], 0);

    /* Pointers into the CPU state (H_ENV_PTR): the dump shows them as
     * env+offset (test_ir_ops.c runs them on every backend). */
    ir_insn_start(&b, 0, CC_OP_DYNAMIC);
    ir_call(&b, HELPER_abi_probe, ECX, 5,
            (ir_temp[]){ ir_env_offset(&b, CPU_OFF(dr[0])), EAX, EDX,
                         ir_env_offset(&b, CPU_OFF(dr[2])), EBX });
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    tb = make_tb();
    cpu->regs[R_EAX] = 0x1122334455667788ull;
    run(tb);
    ck_assert_uint_eq(cpu->regs[R_ECX],
                      (uint64_t)CPU_OFF(dr[2]) << 32 | CPU_OFF(dr[0]));
    uint64_t stored;
    memcpy(&stored, cpu->dr, sizeof(stored));
    ck_assert_uint_eq(stored, 0x1122334455667788ull);
    char *buf = NULL, want[64];
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    backend_interp.dump(jit->be, tb, f);
    fclose(f);
    snprintf(want, sizeof(want), "abi_probe env%+d &env%+d env%+d",
             CPU_OFF_REG(R_ECX), CPU_OFF(dr[0]), CPU_OFF_REG(R_EAX));
    ck_assert_ptr_nonnull(strstr(buf, want));
    free(buf);
}
END_TEST

/* Three instructions; the second raises #GP(0x18) through a helper. */
static struct tb *make_faulting_tb(void)
{
    ir_insn_start(&b, 0x100, CC_OP_SUBL);
    ir_movi(&b, IR_I32, EAX, 1);
    ir_insn_start(&b, 0x105, CC_OP_DYNAMIC);
    ir_movi(&b, IR_I32, ECX, 2);
    ir_call(&b, HELPER_raise_exception_err, IR_TEMP_NONE, 2,
            (ir_temp[]){ ir_const(&b, IR_I32, EXCP_GP),
                         ir_const(&b, IR_I32, 0x18) });
    ir_insn_start(&b, 0x10a, CC_OP_ADDL);
    ir_movi(&b, IR_I32, EDX, 3);
    ir_movi(&b, IR_I32, ir_global(IR_G_EIP), 0x10f);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    return make_tb();
}

START_TEST(test_precise_fault)
{
    struct tb *tb = make_faulting_tb();
    ck_assert_int_eq(tb->icount, 3);
    cpu->eip = 0x100;
    cpu->cc_op = 77;
    cpu->icount_mode = true;
    cpu->icount = 0;
    cpu->icount_budget = 100;
    cpu->regs[R_EDX] = 0;
    cpu->exception_index = -1;
    volatile int caught = 0;
    if (sigsetjmp(cpu->jmp_env, 0) == 0)
        run(tb);
    else
        caught = 1;
    ck_assert_int_eq(caught, 1);
    ck_assert_int_eq(cpu->exception_index, EXCP_GP);
    ck_assert_int_eq(cpu->error_code, 0x18);
    ck_assert(cpu->exception_has_error);
    ck_assert_uint_eq(cpu->eip, 0x105);   /* the faulting instruction */
    ck_assert_uint_eq(cpu->cc_op, 77);    /* dynamic: left as it was */
    ck_assert_uint_eq(cpu->regs[R_EAX], 1); /* done before it */
    ck_assert_uint_eq(cpu->regs[R_ECX], 2);
    ck_assert_uint_eq(cpu->regs[R_EDX], 0); /* not reached */
    ck_assert_uint_eq(cpu->icount, 1);    /* only the first completed */
    ck_assert_int_eq(cpu->icount_budget, 99);
    ck_assert_uint_eq(cpu->interp_pc, 0);
    ck_assert_ptr_null(cpu->current_tb);
}
END_TEST

START_TEST(test_find_insn)
{
    struct tb *tb = make_faulting_tb();
    ck_assert_uint_lt(tb->insns[0].host_end, tb->insns[1].host_end);
    ck_assert_uint_lt(tb->insns[1].host_end, tb->insns[2].host_end);
    ck_assert_uint_eq(tb->insns[2].host_end, tb->code_size);
    uintptr_t c = (uintptr_t)tb->code;
    ck_assert_int_eq(backend_interp.find_insn(jit->be, tb, c), 0);
    ck_assert_int_eq(backend_interp.find_insn(jit->be, tb, c + tb->insns[0].host_end - 1),
                     0);
    ck_assert_int_eq(backend_interp.find_insn(jit->be, tb, c + tb->insns[0].host_end), 1);
    ck_assert_int_eq(backend_interp.find_insn(jit->be, tb, c + tb->insns[1].host_end), 2);
    ck_assert_int_eq(backend_interp.find_insn(jit->be, tb, c + tb->code_size), -1);
    ck_assert_int_eq(backend_interp.find_insn(jit->be, tb, c - 1), -1);
    ck_assert(backend_interp.owns(jit->be, c));
    ck_assert(!backend_interp.owns(jit->be, (uintptr_t)&b));

    /* cpu_restore_state from a bytecode position (as a slow path passes). */
    cpu->eip = 0;
    cpu->cc_op = 9;
    cpu->icount_mode = false;
    cpu->current_tb = tb;
    cpu_restore_state(cpu, c + tb->insns[1].host_end + 4);
    ck_assert_uint_eq(cpu->eip, 0x10a);
    ck_assert_uint_eq(cpu->cc_op, CC_OP_ADDL);
    cpu->current_tb = tb;
    cpu_restore_state(cpu, c);
    ck_assert_uint_eq(cpu->eip, 0x100);
    ck_assert_uint_eq(cpu->cc_op, CC_OP_SUBL);
    cpu->eip = 0x55;
    cpu_restore_state(cpu, 0); /* already precise */
    ck_assert_uint_eq(cpu->eip, 0x55);
}
END_TEST

START_TEST(test_chaining_and_entry_check)
{
    /* A: eax += 1; goto_tb 0.  B: ebx += 1; goto_tb 1 (back to A). */
    ir_insn_start(&b, 0x10, CC_OP_DYNAMIC);
    ir_op2i(&b, IR_add, IR_I32, EAX, EAX, 1);
    ir_goto_tb(&b, 0);
    struct tb *ta = make_tb();
    ir_insn_start(&b, 0x20, CC_OP_DYNAMIC);
    ir_insn_start(&b, 0x21, CC_OP_DYNAMIC);
    ir_op2i(&b, IR_add, IR_I32, EBX, EBX, 1);
    ir_goto_tb(&b, 1);
    struct tb *tbb = make_tb();
    ck_assert_int_eq(tbb->icount, 2);

    cpu->regs[R_EAX] = cpu->regs[R_EBX] = 0;
    ck_assert_uint_eq(run(ta), (uintptr_t)ta | TB_EXIT_JUMP0);
    ck_assert_uint_eq(run(tbb), (uintptr_t)tbb | TB_EXIT_JUMP1);

    /* Chain B -> A only: A then B then exit from B's slot... */
    backend_interp.set_jump(jit->be, ta, 0, tbb);
    ck_assert_uint_eq(run(ta), (uintptr_t)tbb | TB_EXIT_JUMP1);
    ck_assert_uint_eq(cpu->regs[R_EAX], 2);
    ck_assert_uint_eq(cpu->regs[R_EBX], 2);

    /* ... and both ways: an endless loop, broken by the icount budget. */
    backend_interp.set_jump(jit->be, tbb, 1, ta);
    cpu->icount_mode = true;
    cpu->icount = 0;
    cpu->icount_budget = 10; /* A B A B A B A (10), then B does not fit */
    uintptr_t r = run(ta);
    ck_assert_uint_eq(r, (uintptr_t)tbb | TB_EXIT_REQUESTED);
    ck_assert_uint_eq(cpu->icount, 10);
    ck_assert_int_eq(cpu->icount_budget, 0);
    ck_assert_uint_eq(cpu->regs[R_EAX], 6);
    ck_assert_uint_eq(cpu->regs[R_EBX], 5);

    /* exit_request: the first entry already fails, nothing runs. */
    cpu->icount_mode = false;
    cpu->exit_request = 1;
    ck_assert_uint_eq(run(ta), (uintptr_t)ta | TB_EXIT_REQUESTED);
    ck_assert_uint_eq(cpu->regs[R_EAX], 6);
    cpu->exit_request = 0;

    /* Unchain A: back to its exit. */
    backend_interp.set_jump(jit->be, ta, 0, NULL);
    ck_assert_uint_eq(run(ta), (uintptr_t)ta | TB_EXIT_JUMP0);
    ck_assert_uint_eq(cpu->regs[R_EAX], 7);
    ck_assert_uint_eq(cpu->regs[R_EBX], 5);
}
END_TEST

START_TEST(test_full_buffer_and_dump)
{
    /* A buffer too small for the block: gen says so. */
    struct jit_options small_opt = { .code_buffer_size = 256 };
    void *small = backend_interp.init(&small_opt);
    ir_insn_start(&b, 0, CC_OP_DYNAMIC);
    for (int i = 0; i < 64; i++)
        ir_op2i(&b, IR_add, IR_I32, EAX, EAX, (uint64_t)i + 1);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    struct tb tb;
    memset(&tb, 0, sizeof(tb));
    struct tb_insn insns[1];
    tb.insns = insns;
    tb.icount = 1;
    ck_assert(!backend_interp.gen(small, &b, &tb));
    backend_interp.fini(small);
    ck_assert(backend_interp.gen(jit->be, &b, &tb));

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    backend_interp.dump(jit->be, &tb, f);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "ENTRY"));
    ck_assert_ptr_nonnull(strstr(buf, "ADDI32"));
    ck_assert_ptr_nonnull(strstr(buf, "EXIT_TB"));
    ck_assert_ptr_null(strstr(buf, "???"));
    free(buf);
    cpu->regs[R_EAX] = 0;
    run(&tb);
    ck_assert_uint_eq(cpu->regs[R_EAX], 64 * 65 / 2);
}
END_TEST

static Suite *interp_suite(void)
{
    Suite *s = suite_create("interp");
    TCase *tc = tcase_create("interp");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_op2_literal);
    tcase_add_test(tc, test_op2_all);
    tcase_add_test(tc, test_op1_all);
    tcase_add_test(tc, test_mul2_fields);
    tcase_add_test(tc, test_conditions);
    tcase_add_test(tc, test_env_access);
    tcase_add_test(tc, test_guest_memory);
    tcase_add_test(tc, test_fused_displacement_access);
    tcase_add_test(tc, test_helper_calls);
    tcase_add_test(tc, test_precise_fault);
    tcase_add_test(tc, test_find_insn);
    tcase_add_test(tc, test_chaining_and_entry_check);
    tcase_add_test(tc, test_full_buffer_and_dump);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(interp_suite)
