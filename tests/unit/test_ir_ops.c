/*
 * test_ir_ops.c - every op of translator/ir_ops.h run on every backend of
 * the build (backend_list: interp, and x86_64 where configured), with the
 * results checked against values worked out here in plain C, never with
 * translator/ir_eval.h (the optimizer's own evaluator, which the
 * interpreter also uses).
 *
 * op_tests[] has an entry per op; an op without one fails its test, and so
 * does an entry that never gets its op to a backend. Blocks are built as
 * the translator builds them and run twice on each backend: optimized as
 * tb.c does (ir_optimize), with the inputs taken from the CPU state so that
 * nothing can be folded away, and unoptimized (liveness only), which keeps
 * every op as built, constant operands included, for the backends'
 * immediate forms. Values are the edges: 0, 1, -1, the sign bits, and the
 * 32-bit ones with and without high bits set (an I32 op must ignore them).
 */
#include <check.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "translator/x86/cpu_access.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"
#include "translator/backend.h"
#include "translator/ir.h"
#include "translator/tb.h"
#include "translator/x86/cpu.h"
#include "translator/x86/flags.h"
#include "translator/x86/helpers.h"
#include "translator/x86/translate.h"

#define RAM_SIZE (1u << 20)

static struct memory_map map;
static struct cpu *cpu;
static uint8_t *ram;
static struct ir_block b;

/* What is under test: the backend (its instance: the engine
 * engines[i] of the CPU, cpu->jit), the op, and the pass (optimized or
 * not); ctx names the block for failure messages. */
static const struct backend *be;
static struct jit *engines[8];
static enum ir_opc op_under_test;
static bool optimize;
static int n_seen; /* blocks that reached be holding the op */
static char ctx[160];

#define G(r) ir_global(IR_G_REG0 + (r))
/* Registers 0-7 carry inputs and outputs in globals; in the "locals"
 * shape, the value of register r is loaded from (or stored to) the cell of
 * register 8 + r instead. */
#define LOCAL_CELL(r) (8 + (r))

#define FAIL(msg)                                                              \
    ck_abort_msg("%s on %s (%s), %s: %s", ir_opdefs[op_under_test].name,       \
                 be->name, optimize ? "optimized" : "as built", ctx, msg)
#define CHECK_EQ(got, want, what)                                              \
    do {                                                                       \
        uint64_t got_ = (got), want_ = (want);                                 \
        if (got_ != want_)                                                     \
            ck_abort_msg(                                                      \
                "%s on %s (%s), %s: %s = %#" PRIx64 ", want %#" PRIx64,        \
                ir_opdefs[op_under_test].name, be->name,                       \
                optimize ? "optimized" : "as built", ctx, what, got_, want_);  \
    } while (0)

static void setup(void)
{
    memory_map_init(&map);
    ram = mem_add_ram(&map, "ram", 0, RAM_SIZE, NULL)->host;
    cpu = calloc(1, sizeof(*cpu));
    cpu->mmu.mem = &map;
    cpu_init(cpu);
    cpu_reset(cpu);
    /* Code and data at linear = physical, in RAM. */
    cpu_load_seg_real(cpu, SEG_CS, 0);
    cpu_tlb_flush(cpu);
    cpu->exception_index = -1;
    for (unsigned i = 0; i < backend_count && !engines[i]; i++)
        engines[i] = jit_new(&(struct jit_options){
            .backend = backend_list[i], .code_buffer_size = 1u << 20 });
    ir_block_init(&b);
}

static void teardown(void)
{
    ir_block_free(&b);
    free(cpu->interp_frame);
    free(cpu);
    memory_map_destroy(&map);
}

/* ---- making and running blocks ---- */

static struct tb *tbs[8];
static int n_tbs;

static bool block_has(enum ir_opc opc)
{
    for (int i = 0; i < b.n_ops; i++)
        if (b.ops[i].opc == opc)
            return true;
    return false;
}

/* What a block holds of the op under test, once optimized. */
enum holds {
    KEEPS_OP, /* the op: its inputs are not constants */
    MAY_FOLD, /* the op, or what the optimizer folded it into */
    OTHER,    /* a block the test needs besides (not checked) */
};

/*
 * Finish the block being built: optimize it as the translator does (or only
 * compute liveness, which the backends need), count it if the op under test
 * is still there, and generate it on the backend. Unoptimized blocks keep
 * the op whatever its inputs.
 */
static struct tb *gen_block(enum holds holds)
{
    if (optimize)
        ir_optimize(&b);
    else
        ir_liveness(&b);
    if (block_has(op_under_test))
        n_seen++;
    else if (holds == KEEPS_OP || (holds == MAY_FOLD && !optimize))
        FAIL("the op is not in the block");

    struct tb *tb = calloc(1, sizeof(*tb));
    tb->insns = calloc(TRANSLATE_MAX_INSNS, sizeof(*tb->insns));
    tb->page_addr[1] = (uint64_t)-1;
    for (int i = 0; i < b.n_ops; i++)
        if (b.ops[i].opc == IR_insn_start) {
            tb->insns[tb->icount].eip = b.ops[i].args[0];
            tb->insns[tb->icount].cc_op = b.ops[i].args[2];
            tb->icount++;
        }
    ck_assert(be->gen(cpu->jit->be, &b, tb));
    ir_block_reset(&b);
    ck_assert_int_lt(n_tbs, (int)(sizeof(tbs) / sizeof(tbs[0])));
    tbs[n_tbs++] = tb;
    return tb;
}

/* Forget every block made (the backend's code buffer too). */
static void free_blocks(void)
{
    for (int i = 0; i < n_tbs; i++) {
        free(tbs[i]->insns);
        free(tbs[i]);
    }
    n_tbs = 0;
    be->reset(cpu->jit->be);
}

/* Run a block that ends with exit_tb(NOCHAIN). */
static void run_block(struct tb *tb)
{
    cpu->exit_request = 0;
    uintptr_t r = be->exec(cpu->jit->be, cpu, tb);
    CHECK_EQ(r, (uintptr_t)tb | TB_EXIT_NOCHAIN, "exit");
}

static const uint64_t vals[] = {
    0,
    1,
    2,
    7,
    31,
    32,
    33,
    63,
    64,
    0x7f,
    0x80,
    0xff,
    0x7fff,
    0x8000,
    0xffff,
    0x7fffffff,
    0x80000000,
    0xfffffffe,
    0xffffffff,
    0x100000000,
    0xffffffff80000000,
    0x123456789abcdef0,
    0x7fffffffffffffff,
    0x8000000000000000,
    0xfffffffffffffffe,
    0xffffffffffffffff,
};
#define N_VALS (sizeof(vals) / sizeof(vals[0]))

/* Constant operands (one block each). */
static const uint64_t cvals[] = {
    0,
    1,
    31,
    32,
    63,
    0x80,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    0x100000000,
    0x8000000000000000,
    0xffffffffffffffff,
    0xfffffffe00000003,
};
#define N_CVALS (sizeof(cvals) / sizeof(cvals[0]))

/* A register value no op under test writes: the check that an op wrote
 * nothing but its outputs. */
static uint64_t canary(int r)
{
    return 0x5a5a000000000000ull | ((uint64_t)r << 40) | 0xc0de;
}

static void fill_canaries(void)
{
    for (int r = 0; r < CPU_NB_REGS; r++)
        cpu->regs[r] = canary(r);
}

#include "tests/unit/ir_ops_ref.h"

/* ---- value ops: outputs computed from inputs ---- */

/* Where a value op's operands are: inputs in global registers (or, with
 * in_local, loaded into locals from the cells of other registers), or
 * constants; outputs in global registers, or locals stored to cells. */
struct shape {
    const char *name;
    int in_reg[4];    /* register of each input (its value), or -1 */
    uint64_t cval[4]; /* the constant of an input with in_reg -1 */
    int out_reg[2];   /* register each output ends in */
    bool in_local, out_local;
    enum holds holds;
};

static struct tb *build_value_block(enum ir_opc opc, enum ir_type t,
                                    const uint32_t *k, const struct shape *s)
{
    const struct ir_opdef *d = &ir_opdefs[opc];
    uint32_t args[IR_MAX_ARGS];
    int n = 0;
    ir_temp outs[2];

    ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
    for (int i = 0; i < d->n_out; i++)
        outs[i] = s->out_local ? ir_new_temp(&b, t) : G(s->out_reg[i]);
    for (int i = 0; i < d->n_out; i++)
        args[n++] = outs[i];
    for (int i = 0; i < d->n_in; i++) {
        if (s->in_reg[i] < 0) {
            args[n++] = ir_const(&b, t, s->cval[i]);
        } else if (s->in_local) {
            /* all 64 bits: an I32 op reads the low half of any temp */
            ir_temp l = ir_new_temp(&b, IR_I64);
            ir_ld_env(&b, IR_I64, l, CPU_OFF_REG(LOCAL_CELL(s->in_reg[i])),
                      IR_MO_64);
            args[n++] = l;
        } else {
            args[n++] = G(s->in_reg[i]);
        }
    }
    for (int i = 0; i < d->n_const; i++)
        args[n++] = k[i];
    ir_emit(&b, opc, t, args);
    if (s->out_local)
        for (int i = 0; i < d->n_out; i++)
            ir_st_env(&b, IR_I64, outs[i],
                      CPU_OFF_REG(LOCAL_CELL(s->out_reg[i])), IR_MO_64);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    return gen_block(s->holds);
}

/* Run the block of shape s on every combination of input values: the
 * first two inputs over vals[] (only those in registers), the others from
 * values picked by those two. */
static void run_value_block(enum ir_opc opc, enum ir_type t, const uint32_t *k,
                            const struct shape *s, struct tb *tb)
{
    const struct ir_opdef *d = &ir_opdefs[opc];
    unsigned w = width_of(t);
    unsigned ni = s->in_reg[0] >= 0 ? N_VALS : 1;
    unsigned nj = d->n_in > 1 && s->in_reg[1] >= 0 ? N_VALS : 1;

    for (unsigned i = 0; i < ni; i++)
        for (unsigned j = 0; j < nj; j++) {
            uint64_t pick[4] = { vals[i], vals[j], vals[(i * 7 + j) % N_VALS],
                                 vals[(i + j * 5 + 3) % N_VALS] };
            fill_canaries();
            /* Inputs by register, in order: an input sharing another's
             * register has that register's value. */
            for (int p = 0; p < d->n_in; p++)
                if (s->in_reg[p] >= 0) {
                    int r =
                        s->in_local ? LOCAL_CELL(s->in_reg[p]) : s->in_reg[p];
                    cpu->regs[r] = pick[p];
                }
            uint64_t in[4] = { 0 }, want[2] = { 0 };
            for (int p = 0; p < d->n_in; p++) {
                uint64_t v;
                if (s->in_reg[p] < 0)
                    v = s->cval[p];
                else
                    v = cpu->regs[s->in_local ? LOCAL_CELL(s->in_reg[p])
                                              : s->in_reg[p]];
                in[p] = v & mask_of(w);
            }
            ref_value(opc, w, in, k, want);
            uint64_t before[CPU_NB_REGS];
            memcpy(before, cpu->regs, sizeof(before));

            run_block(tb);

            char what[96];
            bool is_out[CPU_NB_REGS] = { false };
            for (int o = 0; o < d->n_out; o++) {
                int r =
                    s->out_local ? LOCAL_CELL(s->out_reg[o]) : s->out_reg[o];
                is_out[r] = true;
                snprintf(what, sizeof(what),
                         "output %d of (%#" PRIx64 ", %#" PRIx64 ", %#" PRIx64
                         ", %#" PRIx64 ")",
                         o, in[0], in[1], in[2], in[3]);
                CHECK_EQ(cpu->regs[r], want[o] & mask_of(w), what);
            }
            for (int r = 0; r < CPU_NB_REGS; r++)
                if (!is_out[r]) {
                    snprintf(what, sizeof(what), "register %d (not written)",
                             r);
                    CHECK_EQ(cpu->regs[r], before[r], what);
                }
        }
}

static void value_case(enum ir_opc opc, enum ir_type t, const uint32_t *k,
                       const struct shape *s)
{
    snprintf(ctx, sizeof(ctx), "%s, %s, consts %u %u",
             t == IR_I64 ? "i64" : "i32", s->name, k[0], k[1]);
    struct tb *tb = build_value_block(opc, t, k, s);
    run_value_block(opc, t, k, s, tb);
    free_blocks();
}

/* Constant-argument sets of the ops that have them. */
static const uint32_t conds[][2] = {
    { IR_COND_EQ },  { IR_COND_NE },  { IR_COND_LT },     { IR_COND_GE },
    { IR_COND_LE },  { IR_COND_GT },  { IR_COND_LTU },    { IR_COND_GEU },
    { IR_COND_LEU }, { IR_COND_GTU }, { IR_COND_ALWAYS }, { IR_COND_NEVER },
};
/* pos, len (those with pos + len beyond the type's width are skipped) */
static const uint32_t fields[][2] = {
    { 0, 1 },   { 0, 8 },  { 0, 16 }, { 0, 31 }, { 0, 32 },  { 1, 31 },
    { 4, 8 },   { 8, 8 },  { 8, 16 }, { 12, 4 }, { 16, 16 }, { 24, 8 },
    { 31, 1 },  { 30, 4 }, { 0, 63 }, { 0, 64 }, { 1, 63 },  { 32, 32 },
    { 40, 16 }, { 56, 8 }, { 63, 1 },
};
static const uint32_t no_consts[1][2];

/* The test of an op, and for value ops what run_value needs. */
struct op_test {
    void (*run)(enum ir_opc opc);
    uint8_t types;               /* TY_32 | TY_64 */
    const uint32_t (*consts)[2]; /* sets of constant arguments */
    unsigned n_consts;
};
#define TY_32 1
#define TY_64 2
static const struct op_test op_tests[IR_NB_OPS];

/*
 * A value op in every shape: inputs and outputs in globals; in locals;
 * the output in place of an input; both inputs the same temp; and each
 * input a constant, for each constant of cvals[].
 */
static void run_value(enum ir_opc opc)
{
    const struct op_test *ot = &op_tests[opc];
    const struct ir_opdef *d = &ir_opdefs[opc];
    const uint32_t(*ks)[2] = ot->consts ? ot->consts : no_consts;
    unsigned n_ks = ot->consts ? ot->n_consts : 1;

    for (int ty = IR_I32; ty <= IR_I64; ty++) {
        if (!(ot->types & (ty == IR_I32 ? TY_32 : TY_64)))
            continue;
        enum ir_type t = (enum ir_type)ty;
        for (unsigned ki = 0; ki < n_ks; ki++) {
            const uint32_t *k = ks[ki];
            if ((opc == IR_extract || opc == IR_sextract ||
                 opc == IR_deposit) &&
                k[0] + k[1] > width_of(t))
                continue;
            struct shape s = { .name = "globals",
                               .in_reg = { R_EAX, R_EDX, R_ESI, R_EDI },
                               .out_reg = { R_ECX, R_EBX },
                               .holds = KEEPS_OP };
            value_case(opc, t, k, &s);

            /* A move between locals (or an extract of all the bits) is
             * copy-propagated away, and one in place deleted; the other
             * ops stay. */
            bool copy = opc == IR_mov ||
                        (opc == IR_extract && k[0] == 0 && k[1] == width_of(t));
            enum holds copy_holds = copy ? MAY_FOLD : KEEPS_OP;
            s.name = "locals";
            s.in_local = s.out_local = true;
            s.holds = copy_holds;
            value_case(opc, t, k, &s);
            s.in_local = s.out_local = false;

            s.name = "output in place of input 0";
            s.out_reg[0] = R_EAX;
            value_case(opc, t, k, &s);
            s.holds = KEEPS_OP;
            if (d->n_in > 1) {
                s.name = "output in place of input 1";
                s.out_reg[0] = R_EDX;
                value_case(opc, t, k, &s);

                /* sub x, x and the like may fold */
                s.name = "inputs 0 and 1 the same temp";
                s.out_reg[0] = R_ECX;
                s.in_reg[1] = R_EAX;
                s.holds = MAY_FOLD;
                value_case(opc, t, k, &s);
                s.in_reg[1] = R_EDX;
                s.holds = KEEPS_OP;
            }
            s.out_reg[0] = R_ECX;

            /* A constant input: folded, or simplified (add x, 0), only
             * by the optimizer. */
            s.holds = MAY_FOLD;
            for (int p = 0; p < d->n_in; p++) {
                int saved = s.in_reg[p];
                s.in_reg[p] = -1;
                for (unsigned c = 0; c < N_CVALS; c++) {
                    s.cval[p] = cvals[c];
                    char name[64];
                    snprintf(name, sizeof(name), "input %d = $%#" PRIx64, p,
                             cvals[c]);
                    s.name = name;
                    value_case(opc, t, k, &s);
                }
                s.in_reg[p] = saved;
            }
        }
    }
}

/* ---- movi ---- */

static void run_movi(enum ir_opc opc)
{
    (void)opc;
    for (int ty = IR_I32; ty <= IR_I64; ty++) {
        enum ir_type t = (enum ir_type)ty;
        for (unsigned i = 0; i < N_VALS; i++) {
            snprintf(ctx, sizeof(ctx),
                     "%s, $%#" PRIx64 " to a global and a local",
                     t == IR_I64 ? "i64" : "i32", vals[i]);
            ir_temp l = ir_new_temp(&b, t);
            ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
            ir_movi(&b, t, G(R_ECX), vals[i]);
            ir_movi(&b, t, l, ~vals[i]);
            ir_st_env(&b, IR_I64, l, CPU_OFF_REG(12), IR_MO_64);
            ir_exit_tb(&b, TB_EXIT_NOCHAIN);
            struct tb *tb = gen_block(KEEPS_OP);
            fill_canaries();
            run_block(tb);
            uint64_t m = mask_of(width_of(t));
            CHECK_EQ(cpu->regs[R_ECX], vals[i] & m, "global");
            CHECK_EQ(cpu->regs[12], ~vals[i] & m, "local");
            CHECK_EQ(cpu->regs[R_EAX], canary(R_EAX), "eax (not written)");
            free_blocks();
        }
    }
}

/* ---- CPU state: ld_env / st_env ---- */

/* A 32-byte area of struct cpu that nothing in these blocks uses. */
#define SCRATCH_OFF CPU_OFF(dr)
#define SCRATCH_SIZE 32
_Static_assert(sizeof(((struct cpu *)0)->dr) == SCRATCH_SIZE, "scratch");

static void fill_scratch(uint8_t seed)
{
    uint8_t *p = (uint8_t *)cpu + SCRATCH_OFF;
    for (int i = 0; i < SCRATCH_SIZE; i++)
        p[i] = (uint8_t)(seed + i * 0x35);
}

/* The value of `size` bytes at p as struct cpu holds them (host order). */
static uint64_t host_load(const void *p, unsigned size, bool sign)
{
    switch (size) {
    case 1: {
        uint8_t v;
        memcpy(&v, p, 1);
        return sign ? (uint64_t)(int64_t)(int8_t)v : v;
    }
    case 2: {
        uint16_t v;
        memcpy(&v, p, 2);
        return sign ? (uint64_t)(int64_t)(int16_t)v : v;
    }
    case 4: {
        uint32_t v;
        memcpy(&v, p, 4);
        return sign ? (uint64_t)(int64_t)(int32_t)v : v;
    }
    default: {
        uint64_t v;
        memcpy(&v, p, 8);
        return v;
    }
    }
}

static void host_store(void *p, unsigned size, uint64_t v)
{
    uint8_t v8 = (uint8_t)v;
    uint16_t v16 = (uint16_t)v;
    uint32_t v32 = (uint32_t)v;
    switch (size) {
    case 1: memcpy(p, &v8, 1); break;
    case 2: memcpy(p, &v16, 2); break;
    case 4: memcpy(p, &v32, 4); break;
    default: memcpy(p, &v, 8); break;
    }
}

static const unsigned env_offsets[] = { 0, 1, 3, 4, 8, 16, 24 };

static void run_ld_env(enum ir_opc opc)
{
    (void)opc;
    for (int ty = IR_I32; ty <= IR_I64; ty++) {
        enum ir_type t = (enum ir_type)ty;
        uint64_t m = mask_of(width_of(t));
        for (unsigned memop = 0; memop < 8; memop++) {
            unsigned size = 1u << (memop & IR_MEMOP_SIZE_MASK);
            bool sign = memop & IR_MEMOP_SIGN;
            if (size * 8 > width_of(t))
                continue;
            for (unsigned oi = 0; oi < sizeof(env_offsets) / sizeof(unsigned);
                 oi++) {
                unsigned off = env_offsets[oi];
                if (off + size > SCRATCH_SIZE)
                    continue;
                snprintf(ctx, sizeof(ctx), "%s, %s%u at scratch+%u",
                         t == IR_I64 ? "i64" : "i32", sign ? "s" : "u",
                         size * 8, off);
                ir_temp l = ir_new_temp(&b, t);
                ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
                ir_ld_env(&b, t, G(R_ECX), SCRATCH_OFF + (int)off, memop);
                ir_ld_env(&b, t, l, SCRATCH_OFF + (int)off, memop);
                ir_st_env(&b, IR_I64, l, CPU_OFF_REG(12), IR_MO_64);
                ir_exit_tb(&b, TB_EXIT_NOCHAIN);
                struct tb *tb = gen_block(KEEPS_OP);
                for (int seed = 0; seed < 0x100; seed += 0x7f) {
                    fill_scratch((uint8_t)seed);
                    fill_canaries();
                    uint64_t want =
                        host_load((uint8_t *)cpu + SCRATCH_OFF + off, size,
                                  sign) &
                        m;
                    run_block(tb);
                    CHECK_EQ(cpu->regs[R_ECX], want, "to a global");
                    CHECK_EQ(cpu->regs[12], want, "to a local");
                }
                free_blocks();
            }
        }
    }

    /* The cell of a global just written in the block: ld_env sees the
     * new value (the native backend keeps it in a register). */
    snprintf(ctx, sizeof(ctx), "the cell of a global written before");
    ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
    ir_op2i(&b, IR_add, IR_I64, G(R_EAX), G(R_EDX), 1);
    ir_ld_env(&b, IR_I64, G(R_ECX), CPU_OFF_REG(R_EAX), IR_MO_64);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    struct tb *tb = gen_block(KEEPS_OP);
    fill_canaries();
    run_block(tb);
    CHECK_EQ(cpu->regs[R_EAX], canary(R_EDX) + 1, "eax");
    CHECK_EQ(cpu->regs[R_ECX], canary(R_EDX) + 1, "ecx");
    free_blocks();
}

static void run_st_env(enum ir_opc opc)
{
    (void)opc;
    static const char *const kinds[] = { "a global", "a local", "a constant" };
    for (int ty = IR_I32; ty <= IR_I64; ty++) {
        enum ir_type t = (enum ir_type)ty;
        for (unsigned memop = 0; memop < 4; memop++) {
            unsigned size = 1u << memop;
            if (size * 8 > width_of(t))
                continue;
            for (unsigned oi = 0; oi < sizeof(env_offsets) / sizeof(unsigned);
                 oi++) {
                unsigned off = env_offsets[oi];
                if (off + size > SCRATCH_SIZE)
                    continue;
                for (int kind = 0; kind < 3; kind++)
                    for (unsigned i = 0; i < N_VALS; i++) {
                        if (kind < 2 && i > 0)
                            break; /* one block, run on every value */
                        snprintf(ctx, sizeof(ctx),
                                 "%s, u%u at scratch+%u from %s",
                                 t == IR_I64 ? "i64" : "i32", size * 8, off,
                                 kinds[kind]);
                        ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
                        ir_temp v = G(R_EAX);
                        if (kind == 1) {
                            v = ir_new_temp(&b, IR_I64);
                            ir_ld_env(&b, IR_I64, v, CPU_OFF_REG(8), IR_MO_64);
                        } else if (kind == 2) {
                            v = ir_const(&b, t, vals[i]);
                        }
                        ir_st_env(&b, t, v, SCRATCH_OFF + (int)off, memop);
                        ir_exit_tb(&b, TB_EXIT_NOCHAIN);
                        struct tb *tb = gen_block(KEEPS_OP);
                        for (unsigned j = 0; j < N_VALS; j++) {
                            if (kind == 2 && j > 0)
                                break;
                            uint64_t val = kind == 2 ? vals[i] : vals[j];
                            fill_scratch(0x11);
                            fill_canaries();
                            cpu->regs[R_EAX] = cpu->regs[8] = val;
                            uint8_t want[SCRATCH_SIZE];
                            memcpy(want, (uint8_t *)cpu + SCRATCH_OFF,
                                   SCRATCH_SIZE);
                            host_store(want + off, size,
                                       val & mask_of(width_of(t)));
                            run_block(tb);
                            for (int p = 0; p < SCRATCH_SIZE; p += 8) {
                                char what[64];
                                snprintf(what, sizeof(what),
                                         "value %#" PRIx64 ", scratch+%d..%d",
                                         val, p, p + 7);
                                CHECK_EQ(
                                    host_load((uint8_t *)cpu + SCRATCH_OFF + p,
                                              8, false),
                                    host_load(want + p, 8, false), what);
                            }
                        }
                        free_blocks();
                    }
            }
        }
    }

    /* The cell of a global: the global has the stored value after it,
     * also when it was just written (the native backend held it in a
     * register that must not be written back over the store). */
    snprintf(ctx, sizeof(ctx), "the cell of a global written before");
    ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
    ir_op2i(&b, IR_add, IR_I64, G(R_ECX), G(R_EAX), 1);
    ir_st_env(&b, IR_I64, G(R_EDX), CPU_OFF_REG(R_ECX), IR_MO_64);
    ir_op2i(&b, IR_add, IR_I64, G(R_EBX), G(R_ECX), 1);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    struct tb *tb = gen_block(KEEPS_OP);
    fill_canaries();
    run_block(tb);
    CHECK_EQ(cpu->regs[R_ECX], canary(R_EDX), "ecx");
    CHECK_EQ(cpu->regs[R_EBX], canary(R_EDX) + 1, "ebx");
    free_blocks();
}

/* ---- guest memory: ld_guest / st_guest ---- */

/* Addresses: aligned (the TLB fast path once filled), misaligned, and
 * across a page boundary (always the slow path for wide accesses). */
static const uint32_t guest_addrs[] = { 0x2000, 0x2ff8, 0x3001, 0x3ffe,
                                        0x4ffd };

static uint64_t ram_load(uint32_t addr, unsigned size, bool sign)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)ram[addr + i] << (8 * i); /* guest: little-endian */
    return sign ? (uint64_t)signed_of(size * 8, v) : v;
}

static void fill_ram(uint32_t addr, uint8_t seed)
{
    for (int i = -8; i < 16; i++)
        ram[addr + i] = (uint8_t)(seed + i * 0x4b);
}

/* How the address reaches the access: a global, a constant, or a global
 * plus a displacement in a local that dies at the access (the form the
 * interpreter fuses into one op). */
enum { ADDR_GLOBAL, ADDR_CONST, ADDR_DISP, ADDR_KINDS };
static const char *const addr_kinds[] = { "global", "constant",
                                          "global + displacement" };

/* Address width: AW_32, AW_32_HIGH (32-bit, garbage in the register's
 * high half, which the access ignores), AW_64 (IR_MEMOP_ADDR64, linear
 * 0x1_0000_0000 + addr, which wide_translate maps to addr; anything that
 * drops the high half lands on addr ^ 0x8000 instead). */
enum { AW_32, AW_32_HIGH, AW_64, AW_KINDS };
#define AW_HIGH 0x100000000ull

static hwaddr wide_translate(void *owner, vaddr a, int access, int mmu,
                             uintptr_t ra, unsigned *prot)
{
    (void)owner, (void)access, (void)mmu, (void)ra;
    *prot = TLB_PROT_WRITE | TLB_PROT_EXEC;
    return a >= AW_HIGH ? a - AW_HIGH : a ^ 0x8000;
}

static void set_width(int aw)
{
    cpu_mmu_init(cpu);
    if (aw == AW_64) {
        cpu->mmu.translate = wide_translate;
        cpu->mmu.addr_mask = ~(vaddr)0;
    }
    cpu_tlb_flush(cpu);
}

static ir_temp guest_addr(int kind, uint32_t addr, int aw)
{
    enum ir_type at = aw == AW_64 ? IR_I64 : IR_I32;
    switch (kind) {
    case ADDR_CONST: return ir_const(&b, at, (aw == AW_64 ? AW_HIGH : 0) + addr);
    case ADDR_DISP: {
        ir_temp t = ir_new_temp(&b, at);
        ir_op2i(&b, IR_add, at, t, G(R_EAX), 0x40);
        return t;
    }
    default: return G(R_EAX);
    }
}

static uint64_t addr_reg_for(int kind, uint32_t addr, int aw)
{
    return (aw != AW_32 ? AW_HIGH : 0) + (kind == ADDR_DISP ? addr - 0x40 : addr);
}

static void run_ld_guest(enum ir_opc opc)
{
    (void)opc;
    for (int ty = IR_I32; ty <= IR_I64; ty++) {
        enum ir_type t = (enum ir_type)ty;
        uint64_t m = mask_of(width_of(t));
        for (unsigned memop = 0; memop < 8; memop++) {
            unsigned size = 1u << (memop & IR_MEMOP_SIZE_MASK);
            bool sign = memop & IR_MEMOP_SIGN;
            if (size * 8 > width_of(t))
                continue;
            for (unsigned ai = 0; ai < sizeof(guest_addrs) / sizeof(uint32_t);
                 ai++)
                for (int k = 0; k < ADDR_KINDS * AW_KINDS; k++) {
                    int kind = k % ADDR_KINDS, aw = k / ADDR_KINDS;
                    uint32_t addr = guest_addrs[ai];
                    snprintf(ctx, sizeof(ctx), "%s, %s%u at %#x (%s, width %d)",
                             t == IR_I64 ? "i64" : "i32", sign ? "s" : "u",
                             size * 8, addr, addr_kinds[kind], aw);
                    set_width(aw);
                    ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
                    ir_ld_guest(&b, t, G(R_ECX), guest_addr(kind, addr, aw),
                                memop | (aw == AW_64 ? IR_MEMOP_ADDR64 : 0));
                    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
                    struct tb *tb = gen_block(KEEPS_OP);
                    /* twice: the first fills the TLB entry */
                    for (int seed = 0; seed < 0x100; seed += 0x81) {
                        fill_ram(addr, (uint8_t)seed);
                        fill_canaries();
                        cpu->regs[R_EAX] = addr_reg_for(kind, addr, aw);
                        run_block(tb);
                        CHECK_EQ(cpu->regs[R_ECX],
                                 ram_load(addr, size, sign) & m, "loaded");
                    }
                    free_blocks();
                }
        }
    }
    set_width(AW_32);
}

static void run_st_guest(enum ir_opc opc)
{
    (void)opc;
    for (int ty = IR_I32; ty <= IR_I64; ty++) {
        enum ir_type t = (enum ir_type)ty;
        for (unsigned memop = 0; memop < 4; memop++) {
            unsigned size = 1u << memop;
            if (size * 8 > width_of(t))
                continue;
            for (unsigned ai = 0; ai < sizeof(guest_addrs) / sizeof(uint32_t);
                 ai++)
                for (int k = 0; k < ADDR_KINDS * AW_KINDS * 2; k++) {
                        int kind = k % ADDR_KINDS, vconst = k / ADDR_KINDS % 2;
                        int aw = k / ADDR_KINDS / 2;
                        uint32_t addr = guest_addrs[ai];
                        uint64_t cv = 0x8877665544332211ull;
                        snprintf(
                            ctx, sizeof(ctx),
                            "%s, u%u at %#x (%s, width %d), %s value",
                            t == IR_I64 ? "i64" : "i32", size * 8, addr,
                            addr_kinds[kind], aw, vconst ? "constant" : "global");
                        set_width(aw);
                        ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
                        ir_st_guest(&b, t,
                                    vconst ? ir_const(&b, t, cv) : G(R_EDX),
                                    guest_addr(kind, addr, aw),
                                    memop | (aw == AW_64 ? IR_MEMOP_ADDR64 : 0));
                        ir_exit_tb(&b, TB_EXIT_NOCHAIN);
                        struct tb *tb = gen_block(KEEPS_OP);
                        for (unsigned j = 0; j < N_VALS; j += 5) {
                            uint64_t val = vconst ? cv : vals[j];
                            fill_ram(addr, 0x3c);
                            uint8_t want[24];
                            memcpy(want, ram + addr - 8, sizeof(want));
                            for (unsigned i = 0; i < size; i++)
                                want[8 + i] = (uint8_t)(val >> (8 * i));
                            fill_canaries();
                            cpu->regs[R_EAX] = addr_reg_for(kind, addr, aw);
                            cpu->regs[R_EDX] = val;
                            run_block(tb);
                            for (int i = 0; i < 24; i++) {
                                char what[64];
                                snprintf(what, sizeof(what),
                                         "value %#" PRIx64 ", byte at %#x", val,
                                         addr - 8 + i);
                                CHECK_EQ(ram[addr - 8 + i], want[i], what);
                            }
                        }
                        free_blocks();
                    }
        }
    }
    set_width(AW_32);
}

/* ---- helper calls ---- */

/* The probe's view of one call: x at p, y and z at q, the offsets. */
static void check_probe(uint64_t got, unsigned p, unsigned q, uint64_t x,
                        uint32_t y, uint32_t z)
{
    const uint8_t *s = (const uint8_t *)cpu;
    CHECK_EQ(got, (uint64_t)(SCRATCH_OFF + q) << 32 | (SCRATCH_OFF + p),
             "the pointers received");
    CHECK_EQ(host_load(s + SCRATCH_OFF + p, 8, false), x, "the I64 argument");
    CHECK_EQ(host_load(s + SCRATCH_OFF + q, 4, false), y, "the first I32");
    CHECK_EQ(host_load(s + SCRATCH_OFF + q + 4, 4, false), z,
             "the second I32");
}

/*
 * Every argument type, H_ENV_PTR among them, and a 64-bit result, through
 * the ABI probe (helpers.def): arguments from globals, the result to a
 * global; from a local and constants, the result to a local; and the
 * result unused, where the call must stay for what it writes through its
 * pointers.
 */
static void run_call_abi_probe(void)
{
    enum { P1 = 0, Q1 = 16, P2 = 8, Q2 = 24 };

    snprintf(ctx, sizeof(ctx), "abi_probe: globals");
    ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
    ir_call(&b, HELPER_abi_probe, G(R_ECX), 5,
            (ir_temp[]){ ir_env_offset(&b, SCRATCH_OFF + P1), G(R_EAX),
                         G(R_EDX), ir_env_offset(&b, SCRATCH_OFF + Q1),
                         G(R_ESI) });
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    struct tb *tb = gen_block(KEEPS_OP);
    for (unsigned i = 0; i < N_VALS; i++) {
        fill_canaries();
        fill_scratch(0);
        cpu->regs[R_EAX] = vals[i];
        cpu->regs[R_EDX] = vals[(i + 5) % N_VALS];
        cpu->regs[R_ESI] = vals[(i + 11) % N_VALS];
        run_block(tb);
        check_probe(cpu->regs[R_ECX], P1, Q1, vals[i],
                    (uint32_t)vals[(i + 5) % N_VALS],
                    (uint32_t)vals[(i + 11) % N_VALS]);
    }
    free_blocks();

    snprintf(ctx, sizeof(ctx), "abi_probe: a local and constants");
    ir_temp l = ir_new_temp(&b, IR_I64), r = ir_new_temp(&b, IR_I64);
    ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
    ir_ld_env(&b, IR_I64, l, CPU_OFF_REG(8), IR_MO_64);
    ir_call(&b, HELPER_abi_probe, r, 5,
            (ir_temp[]){ ir_env_offset(&b, SCRATCH_OFF + P2), l,
                         ir_const(&b, IR_I32, 0x89abcdef),
                         ir_env_offset(&b, SCRATCH_OFF + Q2), l });
    ir_st_env(&b, IR_I64, r, CPU_OFF_REG(12), IR_MO_64);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    tb = gen_block(KEEPS_OP);
    for (unsigned i = 0; i < N_VALS; i++) {
        fill_canaries();
        fill_scratch(0);
        cpu->regs[8] = vals[i];
        run_block(tb);
        check_probe(cpu->regs[12], P2, Q2, vals[i], 0x89abcdef,
                    (uint32_t)vals[i]);
    }
    free_blocks();

    snprintf(ctx, sizeof(ctx), "abi_probe: the result unused");
    r = ir_new_temp(&b, IR_I64);
    ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
    ir_call(&b, HELPER_abi_probe, r, 5,
            (ir_temp[]){ ir_env_offset(&b, SCRATCH_OFF + P1), G(R_EAX),
                         G(R_EDX), ir_env_offset(&b, SCRATCH_OFF + Q1),
                         G(R_EDX) });
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    tb = gen_block(KEEPS_OP);
    fill_canaries();
    fill_scratch(0);
    run_block(tb);
    check_probe((uint64_t)(SCRATCH_OFF + Q1) << 32 | (SCRATCH_OFF + P1), P1,
                Q1, canary(R_EAX), (uint32_t)canary(R_EDX),
                (uint32_t)canary(R_EDX));
    free_blocks();
}

static void run_call(enum ir_opc opc)
{
    (void)opc;

    /* A pure helper with 32-bit arguments and result (the interpreter
     * calls those directly): inputs from globals, a local, a constant;
     * the result to a global and to a local. */
    snprintf(ctx, sizeof(ctx), "bsf: globals, a local and a constant");
    ir_temp l = ir_new_temp(&b, IR_I64), r = ir_new_temp(&b, IR_I32);
    ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
    ir_call(&b, HELPER_bsf, G(R_ECX), 2, (ir_temp[]){ G(R_EAX), G(R_EDX) });
    ir_ld_env(&b, IR_I64, l, CPU_OFF_REG(8), IR_MO_64);
    ir_call(&b, HELPER_bsf, r, 2,
            (ir_temp[]){ l, ir_const(&b, IR_I32, 0x1234) });
    ir_st_env(&b, IR_I64, r, CPU_OFF_REG(12), IR_MO_64);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    struct tb *tb = gen_block(KEEPS_OP);
    for (unsigned i = 0; i < N_VALS; i++) {
        fill_canaries();
        cpu->regs[R_EAX] = cpu->regs[8] = vals[i];
        cpu->regs[R_EDX] = vals[N_VALS - 1 - i];
        uint32_t src = (uint32_t)vals[i], lowest = 0;
        while (src && !((src >> lowest) & 1))
            lowest++;
        run_block(tb);
        CHECK_EQ(cpu->regs[R_ECX],
                 src ? lowest : (uint32_t)vals[N_VALS - 1 - i], "to a global");
        CHECK_EQ(cpu->regs[12], src ? lowest : 0x1234, "to a local");
    }
    free_blocks();

    /* Through the general path: a helper without arguments that reads
     * and writes globals (CPUID): EAX set just before it must reach it,
     * its results must be seen by the ops after it. */
    snprintf(ctx, sizeof(ctx), "cpuid: globals around the call");
    ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
    ir_movi(&b, IR_I32, G(R_EAX), 0);
    ir_movi(&b, IR_I32, G(R_ECX), 0);
    ir_movi(&b, IR_I64, G(R_EBX), 0x1111);
    ir_call(&b, HELPER_cpuid, IR_TEMP_NONE, 0, NULL);
    ir_mov(&b, IR_I64, G(R_ESI), G(R_EBX));
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    tb = gen_block(KEEPS_OP);
    fill_canaries();
    run_block(tb);
    uint64_t got[4] = { cpu->regs[R_EAX], cpu->regs[R_EBX], cpu->regs[R_ECX],
                        cpu->regs[R_EDX] };
    CHECK_EQ(cpu->regs[R_ESI], got[1], "esi = ebx after the call");
    fill_canaries();
    cpu->regs[R_EAX] = cpu->regs[R_ECX] = 0;
    helper_cpuid(cpu);
    CHECK_EQ(got[0], cpu->regs[R_EAX], "eax");
    CHECK_EQ(got[1], cpu->regs[R_EBX], "ebx");
    CHECK_EQ(got[2], cpu->regs[R_ECX], "ecx");
    CHECK_EQ(got[3], cpu->regs[R_EDX], "edx");
    free_blocks();

    /* A helper with a 32-bit result and no arguments that reads the lazy
     * flags the block has just written. */
    snprintf(ctx, sizeof(ctx), "read_eflags: lazy flags written before");
    ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
    ir_movi(&b, IR_I32, ir_global(IR_G_CC_OP), CC_OP_EFLAGS);
    ir_mov(&b, IR_I64, ir_global(IR_G_CC_SRC), G(R_EAX));
    ir_call(&b, HELPER_read_eflags, G(R_ECX), 0, NULL);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    tb = gen_block(KEEPS_OP);
    for (uint32_t f = 0; f < 0x1000; f += 0x111) {
        fill_canaries();
        cpu->regs[R_EAX] = f;
        run_block(tb);
        uint64_t v = cpu->regs[R_ECX];
        cpu->cc_op = CC_OP_EFLAGS;
        cpu->cc_src = f;
        CHECK_EQ(v, helper_read_eflags(cpu), "eflags");
    }
    free_blocks();

    run_call_abi_probe();
}

/* ---- control flow inside a block ---- */

/* ECX = cond(in0, in1) ? 1 : 0 through a branch over a movi, with a local
 * live across the branch and the label (EBX = EAX + 1 after them). */
static struct tb *build_branch_block(enum ir_type t, enum ir_cond c, ir_temp a,
                                     ir_temp x, enum holds holds)
{
    int l = ir_new_label(&b);
    ir_temp live = ir_new_temp(&b, IR_I64);
    ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
    ir_op2i(&b, IR_add, IR_I64, live, G(R_EAX), 1);
    ir_movi(&b, IR_I64, G(R_ECX), 1);
    ir_emit(&b, IR_brcond, t, (uint32_t[]){ a, x, (uint32_t)c, (uint32_t)l });
    ir_movi(&b, IR_I64, G(R_ECX), 0);
    ir_set_label(&b, l);
    ir_mov(&b, IR_I64, G(R_EBX), live);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    return gen_block(holds);
}

static void run_brcond(enum ir_opc opc)
{
    (void)opc;
    for (int ty = IR_I32; ty <= IR_I64; ty++) {
        enum ir_type t = (enum ir_type)ty;
        unsigned w = width_of(t);
        for (unsigned ci = 0; ci < sizeof(conds) / sizeof(conds[0]); ci++) {
            enum ir_cond c = (enum ir_cond)conds[ci][0];
            /* shapes: globals; the same global twice; a constant second
             * and a constant first operand */
            for (int shape = 0; shape < 2 + 2 * (int)N_CVALS; shape++) {
                int cpos = shape < 2 ? -1 : (shape - 2) / (int)N_CVALS;
                uint64_t cv = shape < 2 ? 0 : cvals[(shape - 2) % N_CVALS];
                ir_temp a = G(R_EAX), x = shape == 1 ? G(R_EAX) : G(R_EDX);
                if (cpos == 0)
                    a = ir_const(&b, t, cv);
                if (cpos == 1)
                    x = ir_const(&b, t, cv);
                snprintf(ctx, sizeof(ctx), "%s, cond %d, %s",
                         t == IR_I64 ? "i64" : "i32", (int)c,
                         shape == 0   ? "globals"
                         : shape == 1 ? "the same global twice"
                         : cpos == 0  ? "constant first operand"
                                      : "constant second operand");
                struct tb *tb = build_branch_block(
                    t, c, a, x, shape == 0 ? KEEPS_OP : MAY_FOLD);
                unsigned nj = cpos == 1 ? 1 : N_VALS;
                for (unsigned i = 0; i < N_VALS; i++)
                    for (unsigned j = 0; j < nj; j++) {
                        fill_canaries();
                        cpu->regs[R_EAX] = vals[i];
                        cpu->regs[R_EDX] = vals[j];
                        if (cpos == 0)
                            cpu->regs[R_EAX] = vals[(i + j) % N_VALS];
                        uint64_t va = cpos == 0 ? cv : cpu->regs[R_EAX];
                        uint64_t vx = cpos == 1    ? cv
                                      : shape == 1 ? cpu->regs[R_EAX]
                                                   : cpu->regs[R_EDX];
                        uint64_t eax = cpu->regs[R_EAX];
                        bool want =
                            ref_cond(c, w, va & mask_of(w), vx & mask_of(w));
                        run_block(tb);
                        char what[80];
                        snprintf(what, sizeof(what),
                                 "taken for (%#" PRIx64 ", %#" PRIx64 ")", va,
                                 vx);
                        CHECK_EQ(cpu->regs[R_ECX], want, what);
                        CHECK_EQ(cpu->regs[R_EBX], eax + 1,
                                 "local live across the branch");
                    }
                free_blocks();
            }
        }
    }

    /* A backward brcond: a loop counting EAX down to 0. */
    snprintf(ctx, sizeof(ctx), "a loop");
    int top = ir_new_label(&b);
    ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
    ir_set_label(&b, top);
    ir_op2i(&b, IR_sub, IR_I32, G(R_EAX), G(R_EAX), 1);
    ir_op2i(&b, IR_add, IR_I64, G(R_EBX), G(R_EBX), 3);
    ir_brcond(&b, IR_I32, IR_COND_NE, G(R_EAX), ir_const(&b, IR_I32, 0), top);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    struct tb *tb = gen_block(KEEPS_OP);
    fill_canaries();
    cpu->regs[R_EAX] = 100;
    cpu->regs[R_EBX] = 0;
    run_block(tb);
    CHECK_EQ(cpu->regs[R_EAX], 0, "eax");
    CHECK_EQ(cpu->regs[R_EBX], 300, "ebx");
    free_blocks();
}

static void run_br(enum ir_opc opc)
{
    (void)opc;
    /* forward: over a movi */
    snprintf(ctx, sizeof(ctx), "forward");
    int l = ir_new_label(&b);
    ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
    ir_movi(&b, IR_I64, G(R_ECX), 1);
    ir_br(&b, l);
    ir_movi(&b, IR_I64, G(R_ECX), 2);
    ir_set_label(&b, l);
    ir_op2i(&b, IR_add, IR_I64, G(R_EBX), G(R_ECX), 10);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    struct tb *tb = gen_block(KEEPS_OP);
    fill_canaries();
    run_block(tb);
    CHECK_EQ(cpu->regs[R_ECX], 1, "ecx");
    CHECK_EQ(cpu->regs[R_EBX], 11, "ebx");
    free_blocks();

    /* backward: a loop closed by br, left by a forward brcond */
    snprintf(ctx, sizeof(ctx), "backward");
    int top = ir_new_label(&b), out = ir_new_label(&b);
    ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
    ir_set_label(&b, top);
    ir_brcond(&b, IR_I32, IR_COND_EQ, G(R_EAX), ir_const(&b, IR_I32, 0), out);
    ir_op2i(&b, IR_sub, IR_I32, G(R_EAX), G(R_EAX), 1);
    ir_op2i(&b, IR_add, IR_I64, G(R_EBX), G(R_EBX), 2);
    ir_br(&b, top);
    ir_set_label(&b, out);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    tb = gen_block(KEEPS_OP);
    fill_canaries();
    cpu->regs[R_EAX] = 37;
    cpu->regs[R_EBX] = 5;
    run_block(tb);
    CHECK_EQ(cpu->regs[R_EAX], 0, "eax");
    CHECK_EQ(cpu->regs[R_EBX], 5 + 74, "ebx");
    free_blocks();
}

static void run_set_label(enum ir_opc opc)
{
    (void)opc;
    /* A join: a local set differently on two paths, read after the label
     * (a register allocator must find it in the same place on both). */
    snprintf(ctx, sizeof(ctx), "a local joined from two paths");
    int other = ir_new_label(&b), join = ir_new_label(&b);
    ir_temp v = ir_new_temp(&b, IR_I64);
    ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
    ir_brcond(&b, IR_I64, IR_COND_EQ, G(R_EAX), G(R_EDX), other);
    ir_op2i(&b, IR_add, IR_I64, v, G(R_EAX), 5);
    ir_br(&b, join);
    ir_set_label(&b, other);
    ir_op2i(&b, IR_add, IR_I64, v, G(R_EDX), 7);
    ir_set_label(&b, join);
    ir_mov(&b, IR_I64, G(R_ECX), v);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    struct tb *tb = gen_block(KEEPS_OP);
    for (unsigned i = 0; i < N_VALS; i++)
        for (unsigned j = 0; j < N_VALS; j += 3) {
            fill_canaries();
            cpu->regs[R_EAX] = vals[i];
            cpu->regs[R_EDX] = vals[j % 2 ? i : j];
            uint64_t want = cpu->regs[R_EAX] == cpu->regs[R_EDX]
                                ? cpu->regs[R_EDX] + 7
                                : cpu->regs[R_EAX] + 5;
            run_block(tb);
            CHECK_EQ(cpu->regs[R_ECX], want, "ecx");
        }
    free_blocks();

    /* A label reached only by falling through, globals in registers on
     * both sides of it. */
    snprintf(ctx, sizeof(ctx), "fall-through only");
    int l = ir_new_label(&b);
    ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
    ir_op2i(&b, IR_add, IR_I64, G(R_ECX), G(R_EAX), 1);
    ir_set_label(&b, l);
    ir_op2i(&b, IR_add, IR_I64, G(R_ECX), G(R_ECX), 1);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    tb = gen_block(KEEPS_OP);
    fill_canaries();
    run_block(tb);
    CHECK_EQ(cpu->regs[R_ECX], canary(R_EAX) + 2, "ecx");
    free_blocks();
}

/* ---- instruction boundaries and block exits ---- */

static void run_insn_start(enum ir_opc opc)
{
    (void)opc;
    /* Three instructions; the second raises #GP(0x18) through a helper:
     * the state is that of its start (its eip, its static cc_op, the
     * first one's results, nothing of the third). */
    snprintf(ctx, sizeof(ctx), "a fault in the second of three");
    ir_insn_start(&b, 0x100, CC_OP_SUBL);
    ir_op2i(&b, IR_add, IR_I32, G(R_EAX), G(R_EAX), 1);
    ir_insn_start(&b, 0x105, CC_OP_ADDB);
    ir_movi(&b, IR_I32, G(R_ECX), 2);
    ir_call(&b, HELPER_raise_exception_err, IR_TEMP_NONE, 2,
            (ir_temp[]){ ir_const(&b, IR_I32, EXCP_GP),
                         ir_const(&b, IR_I32, 0x18) });
    ir_insn_start(&b, 0x10a, CC_OP_DYNAMIC);
    ir_movi(&b, IR_I32, G(R_EDX), 3);
    ir_movi(&b, IR_I32, ir_global(IR_G_EIP), 0x10f);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    struct tb *tb = gen_block(KEEPS_OP);
    CHECK_EQ(tb->icount, 3, "instructions");
    CHECK_EQ(tb->insns[0].host_end < tb->insns[1].host_end, 1,
             "host_end order");
    CHECK_EQ(tb->insns[1].host_end < tb->insns[2].host_end, 1,
             "host_end order");

    fill_canaries();
    cpu->eip = 0x100;
    cpu->cc_op = 77;
    cpu->exception_index = -1;
    cpu->fault_depth = 0;
    cpu->current_tb = tb; /* as the CPU loop does */
    volatile int caught = 0;
    if (sigsetjmp(cpu->jmp_env, 0) == 0)
        be->exec(cpu->jit->be, cpu, tb);
    else
        caught = 1;
    CHECK_EQ(caught, 1, "raised");
    CHECK_EQ((uint64_t)cpu->exception_index, EXCP_GP, "vector");
    CHECK_EQ((uint64_t)cpu->error_code, 0x18, "error code");
    CHECK_EQ(cpu->eip, 0x105, "eip");
    CHECK_EQ(cpu->cc_op, CC_OP_ADDB, "cc_op");
    CHECK_EQ(cpu->regs[R_EAX], (uint32_t)(canary(R_EAX) + 1), "eax (done)");
    CHECK_EQ(cpu->regs[R_ECX], 2, "ecx (done)");
    CHECK_EQ(cpu->regs[R_EDX], canary(R_EDX), "edx (not reached)");
    free_blocks();
}

static void run_exit_tb(enum ir_opc opc)
{
    (void)opc;
    for (unsigned v = 0; v <= TB_EXIT_MASK; v++) {
        snprintf(ctx, sizeof(ctx), "exit value %u", v);
        ir_insn_start(&b, 0x100, CC_OP_DYNAMIC);
        ir_op2(&b, IR_add, IR_I64, G(R_ECX), G(R_EAX), G(R_EDX));
        ir_exit_tb(&b, (int)v);
        struct tb *tb = gen_block(KEEPS_OP);
        fill_canaries();
        uintptr_t r = be->exec(cpu->jit->be, cpu, tb);
        CHECK_EQ(r, (uintptr_t)tb | v, "returned");
        CHECK_EQ(cpu->regs[R_ECX], canary(R_EAX) + canary(R_EDX),
                 "ecx written back");
        free_blocks();
    }
}

static void run_goto_tb(enum ir_opc opc)
{
    (void)opc;
    snprintf(ctx, sizeof(ctx), "two blocks, chained and unchained");
    /* A: EAX += 1; EIP = 0x2000; goto_tb 0.  B: EBX += 1; goto_tb 1. */
    ir_insn_start(&b, 0x1000, CC_OP_DYNAMIC);
    ir_op2i(&b, IR_add, IR_I64, G(R_EAX), G(R_EAX), 1);
    ir_movi(&b, IR_I64, ir_global(IR_G_EIP), 0x2000);
    ir_goto_tb(&b, 0);
    struct tb *ta = gen_block(KEEPS_OP);
    ir_insn_start(&b, 0x2000, CC_OP_DYNAMIC);
    ir_op2i(&b, IR_add, IR_I64, G(R_EBX), G(R_EBX), 1);
    ir_movi(&b, IR_I64, ir_global(IR_G_EIP), 0x3000);
    ir_goto_tb(&b, 1);
    struct tb *tbb = gen_block(KEEPS_OP);

    fill_canaries();
    cpu->exit_request = 0;
    cpu->eip = 0;
    CHECK_EQ(be->exec(cpu->jit->be, cpu, ta), (uintptr_t)ta | TB_EXIT_JUMP0, "A unchained");
    CHECK_EQ(cpu->eip, 0x2000, "eip stored on the way out");
    CHECK_EQ(be->exec(cpu->jit->be, cpu, tbb), (uintptr_t)tbb | TB_EXIT_JUMP1, "B unchained");
    CHECK_EQ(cpu->eip, 0x3000, "eip stored on the way out");

    be->set_jump(cpu->jit->be, ta, 0, tbb);
    CHECK_EQ(be->exec(cpu->jit->be, cpu, ta), (uintptr_t)tbb | TB_EXIT_JUMP1, "A -> B");
    CHECK_EQ(cpu->regs[R_EAX], canary(R_EAX) + 2, "eax");
    CHECK_EQ(cpu->regs[R_EBX], canary(R_EBX) + 2, "ebx");
    CHECK_EQ(cpu->eip, 0x3000, "eip");

    /* B -> A too: a loop, left at an entry check (exit_request). */
    be->set_jump(cpu->jit->be, tbb, 1, ta);
    cpu->exit_request = 1;
    CHECK_EQ(be->exec(cpu->jit->be, cpu, ta), (uintptr_t)ta | TB_EXIT_REQUESTED,
             "entry check");
    CHECK_EQ(cpu->regs[R_EAX], canary(R_EAX) + 2, "eax (A did not run)");
    cpu->exit_request = 0;

    be->set_jump(cpu->jit->be, ta, 0, NULL);
    be->set_jump(cpu->jit->be, tbb, 1, NULL);
    CHECK_EQ(be->exec(cpu->jit->be, cpu, ta), (uintptr_t)ta | TB_EXIT_JUMP0, "A unchained");
    CHECK_EQ(cpu->regs[R_EAX], canary(R_EAX) + 3, "eax");
    CHECK_EQ(cpu->regs[R_EBX], canary(R_EBX) + 2, "ebx");
    free_blocks();
}

static void run_lookup_tb(enum ir_opc opc)
{
    (void)opc;
    snprintf(ctx, sizeof(ctx), "indirect branch: jump-cache hit and miss");
    /* A: EIP = EAX; lookup_tb.  B (at 0x3000): EBX += 1; exit. */
    ir_insn_start(&b, 0x1000, CC_OP_DYNAMIC);
    ir_mov(&b, IR_I32, ir_global(IR_G_EIP), G(R_EAX));
    ir_lookup_tb(&b);
    struct tb *ta = gen_block(KEEPS_OP);
    ir_insn_start(&b, 0x3000, CC_OP_DYNAMIC);
    ir_op2i(&b, IR_add, IR_I64, G(R_EBX), G(R_EBX), 1);
    ir_exit_tb(&b, TB_EXIT_NOCHAIN);
    struct tb *tbb = gen_block(OTHER);

    vaddr pc;
    uint32_t base, flags;
    cpu->eip = 0x3000;
    tb_key_of(cpu, &pc, &base, &flags);
    tbb->pc = pc;
    tbb->cs_base = base;
    tbb->flags = flags;
    jc_clear_all(cpu);
    jc_set(cpu, tb_jmp_cache_hash(pc), tbb);

    fill_canaries();
    cpu->regs[R_EAX] = 0x3000;
    CHECK_EQ(be->exec(cpu->jit->be, cpu, ta), (uintptr_t)tbb | TB_EXIT_NOCHAIN, "hit");
    CHECK_EQ(cpu->eip, 0x3000, "eip");
    CHECK_EQ(cpu->regs[R_EBX], canary(R_EBX) + 1, "ebx (B ran)");

    /* Another pc: no block anywhere, back to the loop with EIP set. */
    cpu->regs[R_EAX] = 0x4000;
    CHECK_EQ(be->exec(cpu->jit->be, cpu, ta), (uintptr_t)ta | TB_EXIT_NOCHAIN, "miss");
    CHECK_EQ(cpu->eip, 0x4000, "eip");
    CHECK_EQ(cpu->regs[R_EBX], canary(R_EBX) + 1, "ebx (B did not run)");
    jc_clear_all(cpu);
    free_blocks();
}

/* ---- the table: one entry per op of ir_ops.h ---- */

#define VALUE(types_)                                                          \
    {                                                                          \
        run_value, types_, NULL, 0                                             \
    }
#define VALUE_K(types_, ks)                                                    \
    {                                                                          \
        run_value, types_, ks, sizeof(ks) / sizeof(ks[0])                      \
    }

static const struct op_test op_tests[IR_NB_OPS] = {
    [IR_mov] = VALUE(TY_32 | TY_64),
    [IR_movi] = { run_movi },
    [IR_add] = VALUE(TY_32 | TY_64),
    [IR_sub] = VALUE(TY_32 | TY_64),
    [IR_mul] = VALUE(TY_32 | TY_64),
    [IR_mulu2] = VALUE(TY_32 | TY_64),
    [IR_muls2] = VALUE(TY_32 | TY_64),
    [IR_and] = VALUE(TY_32 | TY_64),
    [IR_or] = VALUE(TY_32 | TY_64),
    [IR_xor] = VALUE(TY_32 | TY_64),
    [IR_shl] = VALUE(TY_32 | TY_64),
    [IR_shr] = VALUE(TY_32 | TY_64),
    [IR_sar] = VALUE(TY_32 | TY_64),
    [IR_rotl] = VALUE(TY_32 | TY_64),
    [IR_rotr] = VALUE(TY_32 | TY_64),
    [IR_neg] = VALUE(TY_32 | TY_64),
    [IR_not] = VALUE(TY_32 | TY_64),
    [IR_ext8s] = VALUE(TY_32 | TY_64),
    [IR_ext8u] = VALUE(TY_32 | TY_64),
    [IR_ext16s] = VALUE(TY_32 | TY_64),
    [IR_ext16u] = VALUE(TY_32 | TY_64),
    [IR_ext32s] = VALUE(TY_64), /* I64 only */
    [IR_ext32u] = VALUE(TY_64),
    [IR_bswap32] = VALUE(TY_32 | TY_64),
    [IR_extract] = VALUE_K(TY_32 | TY_64, fields),
    [IR_sextract] = VALUE_K(TY_32 | TY_64, fields),
    [IR_deposit] = VALUE_K(TY_32 | TY_64, fields),
    [IR_setcond] = VALUE_K(TY_32 | TY_64, conds),
    [IR_movcond] = VALUE_K(TY_32 | TY_64, conds),
    [IR_ld_env] = { run_ld_env },
    [IR_st_env] = { run_st_env },
    [IR_ld_guest] = { run_ld_guest },
    [IR_st_guest] = { run_st_guest },
    [IR_call] = { run_call },
    [IR_set_label] = { run_set_label },
    [IR_br] = { run_br },
    [IR_brcond] = { run_brcond },
    [IR_insn_start] = { run_insn_start },
    [IR_goto_tb] = { run_goto_tb },
    [IR_exit_tb] = { run_exit_tb },
    [IR_lookup_tb] = { run_lookup_tb },
};

/* One test per op (the loop index is the op): on every backend, both
 * passes. */
START_TEST(test_op)
{
    enum ir_opc opc = (enum ir_opc)_i;
    const struct op_test *ot = &op_tests[opc];
    op_under_test = opc;
    ck_assert_msg(ot->run, "IR op %s has no test in op_tests[]",
                  ir_opdefs[opc].name);
    for (unsigned i = 0; i < backend_count; i++) {
        be = backend_list[i];
        cpu->jit = engines[i];
        for (int pass = 0; pass < 2; pass++) {
            optimize = pass == 0;
            n_seen = 0;
            ot->run(opc);
            ck_assert_msg(n_seen > 0, "%s on %s (%s): no block held the op",
                          ir_opdefs[opc].name, be->name,
                          optimize ? "optimized" : "as built");
        }
    }
}
END_TEST

/* The references themselves, on values worked out by hand. */
START_TEST(test_reference)
{
    uint64_t o[2];
    ref_value(IR_sar, 32, (uint64_t[]){ 0x80000000, 31 }, NULL, o);
    ck_assert_uint_eq(o[0], 0xffffffff);
    ref_value(IR_sar, 64, (uint64_t[]){ 0x4000000000000000, 62 }, NULL, o);
    ck_assert_uint_eq(o[0], 1);
    ref_value(IR_rotl, 32, (uint64_t[]){ 0x80000001, 1 }, NULL, o);
    ck_assert_uint_eq(o[0], 3);
    ref_value(IR_rotr, 64, (uint64_t[]){ 1, 65 }, NULL, o);
    ck_assert_uint_eq(o[0], 0x8000000000000000);
    ref_value(IR_mulu2, 64, (uint64_t[]){ ~0ull, ~0ull }, NULL, o);
    ck_assert_uint_eq(o[0], 1);
    ck_assert_uint_eq(o[1], 0xfffffffffffffffe);
    ref_value(IR_muls2, 64, (uint64_t[]){ ~0ull, ~0ull }, NULL, o);
    ck_assert_uint_eq(o[0], 1);
    ck_assert_uint_eq(o[1], 0);
    ref_value(IR_muls2, 64, (uint64_t[]){ 0x8000000000000000, 2 }, NULL, o);
    ck_assert_uint_eq(o[0], 0);
    ck_assert_uint_eq(o[1], ~0ull);
    ref_value(IR_muls2, 32, (uint64_t[]){ 0xffffffff, 2 }, NULL, o);
    ck_assert_uint_eq(o[0], 0xfffffffe);
    ck_assert_uint_eq(o[1] & 0xffffffff, 0xffffffff);
    ref_value(IR_sextract, 64, (uint64_t[]){ 0xabcd, 0 }, (uint32_t[]){ 8, 8 },
              o);
    ck_assert_uint_eq(o[0], 0xffffffffffffffab);
    ref_value(IR_deposit, 32, (uint64_t[]){ 0xffff0000abcd, 0x12345 },
              (uint32_t[]){ 8, 8 }, o);
    ck_assert_uint_eq(o[0] & 0xffffffff, 0x45cd);
    ref_value(IR_bswap32, 64, (uint64_t[]){ 0x11223344, 0 }, NULL, o);
    ck_assert_uint_eq(o[0], 0x44332211);
    ck_assert(ref_cond(IR_COND_LT, 32, 0xffffffff, 0));
    ck_assert(!ref_cond(IR_COND_LTU, 32, 0xffffffff, 0));
    ck_assert(!ref_cond(IR_COND_LT, 64, 0xffffffff, 0));
}
END_TEST

static Suite *ir_ops_suite(void)
{
    Suite *s = suite_create("ir_ops");
    TCase *tc = tcase_create("ir_ops");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_reference);
    tcase_add_loop_test(tc, test_op, 0, IR_NB_OPS);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(ir_ops_suite)
