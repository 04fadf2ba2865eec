/*
 * test_translate.c - unit tests of the translator (translate*.c): where
 * blocks end and what they record for precise state, instruction sequences
 * run through the interp backend against results worked out from the SDM,
 * and, in builds with the native backend, random register-only sequences
 * that must leave the same state on both backends.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "translator/x86/cpu_access.h"
#include "tests/unit/unit.h"
#include "translator/backend.h"
#include "translator/x86/flags.h"
#include "translator/x86/translate.h"

#define CODE_BASE 0x100000u

/* Guest code lives in host memory reached through a hand-made TLB entry
 * (execute only: the sequences below never touch guest data memory). */
static uint8_t code_page[2 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct ir_block tr_ir;
static bool tr_ready;
/* An engine per backend (backend_list order): tr_run runs a CPU on it. */
static struct jit *tr_jit[4];

static void tr_setup(void)
{
    if (tr_ready)
        return;
    ir_block_init(&tr_ir);
    for (unsigned i = 0; i < backend_count; i++)
        tr_jit[i] = jit_new(&(struct jit_options){
            .backend = backend_list[i], .code_buffer_size = 4u << 20 });
    tr_ready = true;
}

static struct jit *tr_engine(const struct backend *be)
{
    for (unsigned i = 0; i < backend_count; i++)
        if (backend_list[i] == be)
            return tr_jit[i];
    ck_abort_msg("no engine for backend %s", be->name);
    return NULL;
}

static struct cpu *tr_cpu(void)
{
    struct cpu *cpu = calloc(1, sizeof(*cpu));
    cpu_mmu_init(cpu); /* 32-bit linear addresses; the TLB is filled below */
    for (uint32_t i = 0; i < 2; i++) {
        uint32_t lin = CODE_BASE + i * PAGE_SIZE;
        for (int mmu = 0; mmu < NB_MMU_MODES; mmu++) {
            struct tlb_entry *e = tlb_entry(&cpu->mmu.tlb, mmu, lin);
            e->tag_read = e->tag_write = TLB_INVALID;
            e->tag_code = lin;
            cpu->mmu.tlb.paddr[mmu][tlb_index(lin)] = lin;
            e->addend = (uintptr_t)code_page - CODE_BASE;
        }
    }
    cpu->hflags = HF_PE | HF_CS32 | HF_SS32;
    cpu->eflags = EFLAGS_FIXED;
    cpu->cc_op = CC_OP_EFLAGS;
    cpu->eip = CODE_BASE;
    cpu->exception_index = -1;
    return cpu;
}

static struct tb *tr_translate(struct cpu *cpu, uint32_t eip, unsigned count)
{
    struct tb *tb = calloc(1, sizeof(*tb));
    tb->pc = eip;
    tb->flags = cpu->hflags;
    tb->cflags = count;
    tb->page_addr[0] = eip & PAGE_MASK;
    tb->page_addr[1] = (uint64_t)-1;
    tb->insns = calloc(TRANSLATE_MAX_INSNS, sizeof(*tb->insns));
    ir_block_reset(&tr_ir);
    translate_block(cpu, tb, &tr_ir);
    return tb;
}

static void tr_free(struct tb *tb)
{
    free(tb->insns);
    free(tb);
}

static void tr_free_cpu(struct cpu *cpu)
{
    free(cpu->interp_frame);
    free(cpu);
}

/* Translate `count` instructions at CODE_BASE and run them on be. */
static void tr_run(const struct backend *be, struct cpu *cpu, unsigned count)
{
    struct tb *tb = tr_translate(cpu, CODE_BASE, count);
    ir_optimize(&tr_ir);
    struct jit *jit = tr_engine(be);
    if (!be->gen(jit->be, &tr_ir, tb)) {
        be->reset(jit->be);
        ck_assert(be->gen(jit->be, &tr_ir, tb));
    }
    cpu->jit = jit; /* excp.c finds the faulting instruction through it */
    if (sigsetjmp(cpu->jmp_env, 0) == 0)
        be->exec(jit->be, cpu, tb);
    tr_free(tb);
}

static void tr_code(const uint8_t *bytes, size_t n)
{
    memset(code_page, 0x90, sizeof(code_page));
    if (n)
        memcpy(code_page, bytes, n);
}

/* ---- register width ---- */

/* An 8- or 16-bit register write leaves bits 63:8 or 63:16 alone (the
 * registers are 64 bits wide, for long mode); a 32-bit write zero-extends,
 * as in 64-bit mode. */
START_TEST(test_narrow_writes_keep_high_bits)
{
    static const uint8_t code[] = {
        0x66, 0xb8, 0x11, 0x11, /* mov ax, 0x1111 */
        0xb3, 0x99,             /* mov bl, 0x99 */
        0xb7, 0xaa,             /* mov bh, 0xaa */
        0x66, 0x42,             /* inc dx */
        0xb9, 1, 0, 0, 0,       /* mov ecx, 1 */
    };
    tr_setup();
    for (unsigned k = 0; k < backend_count; k++) {
        struct cpu *cpu = tr_cpu();
        tr_code(code, sizeof(code));
        cpu->regs[R_EAX] = 0xdeadbeef12345678ull;
        cpu->regs[R_EBX] = 0xcafe000055667788ull;
        cpu->regs[R_EDX] = 0x123456780000ffffull;
        cpu->regs[R_ECX] = ~0ull;
        tr_run(backend_list[k], cpu, 5);
        ck_assert_msg(cpu->regs[R_EAX] == 0xdeadbeef12341111ull, "%s: %016llx",
                      backend_list[k]->name,
                      (unsigned long long)cpu->regs[R_EAX]);
        ck_assert_uint_eq(cpu->regs[R_EBX], 0xcafe00005566aa99ull);
        ck_assert_uint_eq(cpu->regs[R_EDX], 0x1234567800000000ull);
        ck_assert_uint_eq(cpu->regs[R_ECX], 1);
        free(cpu);
    }
}
END_TEST

/* ---- where blocks end ---- */

START_TEST(test_block_ends_at_branch)
{
    tr_setup();
    static const uint8_t code[] = { 0x90, 0x01, 0xd8, 0xeb, 0x10, 0x90 };
    tr_code(code, sizeof(code));
    struct cpu *cpu = tr_cpu();
    struct tb *tb = tr_translate(cpu, CODE_BASE, 0);
    ck_assert_uint_eq(tb->icount, 3);
    ck_assert_uint_eq(tb->size, 5);
    ck_assert_uint_eq(tb->insns[0].eip, CODE_BASE);
    ck_assert_uint_eq(tb->insns[1].eip, CODE_BASE + 1);
    ck_assert_uint_eq(tb->insns[2].eip, CODE_BASE + 3);
    /* the static cc_op in force at each instruction, for precise state */
    ck_assert_uint_eq(tb->insns[1].cc_op, CC_OP_DYNAMIC);
    ck_assert_uint_eq(tb->insns[2].cc_op, CC_OP_ADDL);
    tr_free(tb);
    tr_free_cpu(cpu);
}
END_TEST

START_TEST(test_block_count_and_page_end)
{
    tr_setup();
    tr_code(NULL, 0);
    struct cpu *cpu = tr_cpu();
    struct tb *tb = tr_translate(cpu, CODE_BASE, 5);
    ck_assert_uint_eq(tb->icount, 5);
    tr_free(tb);
    /* No instruction after the first may start within 15 bytes of the
     * page end. */
    tb = tr_translate(cpu, CODE_BASE + PAGE_SIZE - 20, 0);
    ck_assert_uint_eq(tb->icount, 6);
    tr_free(tb);
    tr_free_cpu(cpu);
}
END_TEST

/* Run a translated block on be; returns EIP after it, and whether the CS
 * limit check at its entry sent it to the one-shot path (stale). */
static uint32_t tr_exec(const struct backend *be, struct cpu *cpu, struct tb *tb,
                        bool *stale)
{
    ir_optimize(&tr_ir);
    struct jit *jit = tr_engine(be);
    if (!be->gen(jit->be, &tr_ir, tb)) {
        be->reset(jit->be);
        ck_assert(be->gen(jit->be, &tr_ir, tb));
    }
    cpu->jit = jit;
    cpu->eip = tb->pc;
    cpu->next_tb_cflags = 0;
    if (sigsetjmp(cpu->jmp_env, 0) == 0)
        be->exec(jit->be, cpu, tb);
    *stale = cpu->next_tb_cflags == (1 | CF_NOCACHE);
    return (uint32_t)cpu->eip;
}

/* A cached block on the page that holds CS.limit holds the instructions
 * below the limit and, while the limit stays, runs whole; after the limit
 * shrank below its last byte, its entry check sends it to the one-shot
 * path, with EIP still on its first instruction. */
START_TEST(test_cs_limit_page_block)
{
    tr_setup();
    tr_code(NULL, 0); /* NOPs */
    for (unsigned i = 0; i < backend_count; i++) {
        struct cpu *cpu = tr_cpu();
        cpu->hflags |= HF_SEGCHK(SEG_CS);
        cpu->seg[SEG_CS].limit = CODE_BASE + 0x3f;
        struct tb *tb = tr_translate(cpu, CODE_BASE, 0);
        ck_assert_uint_eq(tb->icount, 0x40);
        bool stale;
        uint32_t eip = tr_exec(backend_list[i], cpu, tb, &stale);
        ck_assert_msg(!stale, "%s: the block took the one-shot path",
                      backend_list[i]->name);
        ck_assert_uint_eq(eip, CODE_BASE + 0x40);
        tr_free(tb);

        tb = tr_translate(cpu, CODE_BASE, 0);
        cpu->seg[SEG_CS].limit = CODE_BASE + 0x3e;
        eip = tr_exec(backend_list[i], cpu, tb, &stale);
        ck_assert(stale);
        ck_assert_uint_eq(eip, CODE_BASE);
        tr_free(tb);
        tr_free_cpu(cpu);
    }
}
END_TEST

/* STI: the block ends after the next instruction (interrupt shadow). */
START_TEST(test_sti_shadow)
{
    tr_setup();
    static const uint8_t code[] = { 0xfb, 0x90, 0x90, 0x90 };
    tr_code(code, sizeof(code));
    struct cpu *cpu = tr_cpu();
    struct tb *tb = tr_translate(cpu, CODE_BASE, 0);
    ck_assert_uint_eq(tb->icount, 2);
    tr_free(tb);
    /* ... but a block held to a count (an -icount budget) never holds
     * more: when the limit falls on the STI, the block ends there (the
     * shadowed instruction runs alone next, in a one-shot block) */
    tb = tr_translate(cpu, CODE_BASE, 1);
    ck_assert_uint_eq(tb->icount, 1);
    tr_free(tb);
    tb = tr_translate(cpu, CODE_BASE, 2);
    ck_assert_uint_eq(tb->icount, 2);
    tr_free(tb);

    /* An STI ending a page: the shadowed instruction crosses into the
     * next one, which the block then records as its second page. */
    static const uint8_t cross[] = { 0xfb, 0xb8, 1, 2, 3, 4 };
    memcpy(code_page + PAGE_SIZE - 2, cross, sizeof(cross));
    tb = tr_translate(cpu, CODE_BASE + PAGE_SIZE - 2, 0);
    ck_assert_uint_eq(tb->icount, 2);
    ck_assert_uint_eq(tb->size, 6);
    ck_assert_uint_eq(tb->page_addr[1], CODE_BASE + PAGE_SIZE);
    tr_free(tb);

    tr_run(&backend_interp, cpu, 0);
    ck_assert_uint_eq(cpu->eflags & EFLAGS_IF, EFLAGS_IF);
    ck_assert_int_eq(cpu->inhibit_irq, 0);
    ck_assert_uint_eq(cpu->eip, CODE_BASE + 2);
    tr_free_cpu(cpu);
}
END_TEST

/* ---- sequences against results from the SDM ---- */

struct seq_case {
    const char *what;
    uint8_t code[16];
    unsigned len, count;
    uint32_t in[8];
    uint32_t out[8];
    uint32_t eflags;      /* expected arithmetic flags */
    uint32_t flags_mask;  /* those compared */
    uint32_t eip;         /* expected eip - CODE_BASE */
};

#define ALL_FLAGS EFLAGS_ARITH
static const struct seq_case seq_cases[] = {
    { "add eax,-3 carries", { 0xb8, 5, 0, 0, 0, 0x83, 0xc0, 0xfd }, 8, 2,
      { 0 }, { 2 }, EFLAGS_CF | EFLAGS_AF, ALL_FLAGS, 8 },
    { "dec keeps CF, sets AF", { 0x31, 0xc0, 0x48 }, 3, 2,
      { 7 }, { 0xffffffff }, EFLAGS_SF | EFLAGS_PF | EFLAGS_AF, ALL_FLAGS, 3 },
    { "shl by cl masks the count", { 0xb1, 0x21, 0xd3, 0xe0 }, 4, 2,
      { 0x80000001 }, { 2, 0x21 }, EFLAGS_CF | EFLAGS_OF,
      ALL_FLAGS & ~EFLAGS_AF, 4 },
    { "shl by cl=0 keeps flags", { 0xb9, 0, 0, 0, 0, 0xf9, 0xd3, 0xe0 }, 8, 3,
      { 0x1234 }, { 0x1234 }, EFLAGS_CF, ALL_FLAGS, 8 },
    { "rol al,1", { 0xb0, 0x81, 0xd0, 0xc0 }, 4, 2,
      { 0x55555555 }, { 0x55555503 }, EFLAGS_CF | EFLAGS_OF, ALL_FLAGS, 4 },
    { "mul eax", { 0xb8, 0, 0, 1, 0, 0xf7, 0xe0 }, 7, 2,
      { 0 }, { 0, 0, 1 }, EFLAGS_CF | EFLAGS_OF, EFLAGS_CF | EFLAGS_OF, 7 },
    { "bsf of zero keeps dest", { 0x31, 0xc9, 0x0f, 0xbc, 0xc1 }, 5, 2,
      { 0x12345678, 5 }, { 0x12345678 }, EFLAGS_ZF, EFLAGS_ZF, 5 },
    { "sahf", { 0xb4, 0xd5, 0x9e }, 3, 2,
      { 0 }, { 0xd500 }, 0xd5, ALL_FLAGS, 3 },
    { "cmpxchg equal", { 0x0f, 0xb1, 0xcb }, 3, 1,
      { 5, 9, 0, 5 }, { 5, 9, 0, 9 }, EFLAGS_ZF | EFLAGS_PF, ALL_FLAGS, 3 },
    { "cmpxchg not equal", { 0x0f, 0xb1, 0xcb }, 3, 1,
      { 5, 9, 0, 7 }, { 7, 9, 0, 7 }, EFLAGS_CF | EFLAGS_SF | EFLAGS_AF,
      ALL_FLAGS, 3 },
    { "inc ax keeps the upper half", { 0x66, 0xb8, 0xff, 0xff, 0x66, 0x40 }, 6, 2,
      { 0x12340000 }, { 0x12340000 }, EFLAGS_ZF | EFLAGS_PF | EFLAGS_AF,
      ALL_FLAGS, 6 },
    { "ah..bh registers", { 0x88, 0xe7, 0x00, 0xf8 }, 4, 2,
      { 0x1100, 0, 0, 0x2200 }, { 0x1100 + 0x11, 0, 0, 0x1100 },
      EFLAGS_PF, ALL_FLAGS, 4 },
    { "jl taken after cmp", { 0x39, 0xd8, 0x7c, 0x02 }, 4, 0,
      { 1, 0, 0, 2 }, { 1, 0, 0, 2 }, EFLAGS_CF | EFLAGS_SF | EFLAGS_AF | EFLAGS_PF,
      ALL_FLAGS, 6 },
    { "jl not taken after cmp", { 0x39, 0xd8, 0x7c, 0x02 }, 4, 0,
      { 3, 0, 0, 2 }, { 3, 0, 0, 2 }, 0, ALL_FLAGS, 4 },
    { "loop counts ecx down", { 0xe2, 0xfe }, 2, 0,
      { 0, 2 }, { 0, 1 }, 0, 0, 0 },
    { "cbw cwde cdq", { 0xb0, 0x80, 0x66, 0x98, 0x98, 0x99 }, 6, 4,
      { 0 }, { 0xffffff80, 0, 0xffffffff }, 0, 0, 6 },
    { "adc after stc", { 0xf9, 0x11, 0xd8 }, 3, 2,
      { 0xffffffff, 0, 0, 0 }, { 0, 0, 0, 0 },
      EFLAGS_CF | EFLAGS_ZF | EFLAGS_PF | EFLAGS_AF, ALL_FLAGS, 3 },
};

/* Calls of helper id in the block just translated. */
static int tr_count_calls(int id)
{
    int n = 0;
    for (int i = 0; i < tr_ir.n_ops; i++) {
        const struct ir_op *op = &tr_ir.ops[i];
        if (op->opc == IR_call && (int)op->args[op->n_out + op->n_in] == id)
            n++;
    }
    return n;
}

/* Modes that add checks only to the blocks made in them: HF_AC (an
 * alignment check before each access of 2 bytes or more), HF_TF (one
 * instruction a block, STI included), and instruction breakpoints. */
START_TEST(test_mode_checks_only_in_their_blocks)
{
    tr_setup();
    /* mov eax, [ebx]; mov [ebx], al; sti; nop; nop */
    static const uint8_t code[] = { 0x8b, 0x03, 0x88, 0x03, 0xfb, 0x90, 0x90 };
    tr_code(code, sizeof(code));
    struct cpu *cpu = tr_cpu();
    struct tb *tb = tr_translate(cpu, CODE_BASE, 2);
    ck_assert_int_eq(tr_count_calls(HELPER_check_align), 0);
    tr_free(tb);
    cpu->hflags |= HF_AC | 3;
    tb = tr_translate(cpu, CODE_BASE, 2);
    ck_assert_int_eq(tr_count_calls(HELPER_check_align), 1); /* not the byte */
    tr_free(tb);
    cpu->hflags &= ~(HF_AC | 3u);

    cpu->hflags |= HF_TF;
    tb = tr_translate(cpu, CODE_BASE, 0);
    ck_assert_uint_eq(tb->icount, 1);
    tr_free(tb);
    tb = tr_translate(cpu, CODE_BASE + 4, 0);
    ck_assert_uint_eq(tb->icount, 1); /* STI: no shadowed second one */
    tr_free(tb);
    cpu->hflags &= ~HF_TF;

    /* A breakpoint at the second instruction; none in the first block
     * made with RF when it is at the first. */
    cpu->debug.bp[0] = (struct debug_breakpoint){ .addr = CODE_BASE + 2,
                                                  .owner = DEBUG_OWNER_GUEST };
    cpu->debug.n_bp = 1;
    tb = tr_translate(cpu, CODE_BASE, 2);
    ck_assert_int_eq(tr_count_calls(HELPER_debug_bp), 1);
    ck_assert_uint_eq(tb->icount, 2);
    tr_free(tb);
    cpu->hflags |= HF_RF;
    tb = tr_translate(cpu, CODE_BASE + 2, 1);
    ck_assert_int_eq(tr_count_calls(HELPER_debug_bp), 0);
    tr_free(tb);
    tr_free_cpu(cpu);
}
END_TEST

START_TEST(test_sequences)
{
    const struct seq_case *c = &seq_cases[_i];
    tr_setup();
    tr_code(c->code, c->len);
    struct cpu *cpu = tr_cpu();
    for (int r = 0; r < 8; r++)
        cpu->regs[r] = c->in[r];
    tr_run(&backend_interp, cpu, c->count);
    for (int r = 0; r < 8; r++)
        ck_assert_msg((uint32_t)cpu->regs[r] == c->out[r],
                      "%s: reg %d = %08x, expected %08x", c->what, r,
                      (uint32_t)cpu->regs[r], c->out[r]);
    uint32_t fl = cpu_get_eflags(cpu);
    ck_assert_msg((fl & c->flags_mask) == (c->eflags & c->flags_mask),
                  "%s: eflags %08x, expected %08x (mask %08x)", c->what, fl,
                  c->eflags, c->flags_mask);
    ck_assert_msg((uint32_t)cpu->eip == CODE_BASE + c->eip,
                  "%s: eip %08x", c->what, (uint32_t)cpu->eip);
    tr_free_cpu(cpu);
}
END_TEST

/* SMSW is not privileged (no CR4.UMIP): at CPL 3 it stores CR0, while
 * MOV from CR0 there raises #GP. */
START_TEST(test_smsw_at_cpl3)
{
    static const uint8_t smsw_eax[] = { 0x0f, 0x01, 0xe0 };
    tr_setup();
    tr_code(smsw_eax, sizeof(smsw_eax));
    struct cpu *cpu = tr_cpu();
    cpu->hflags |= 3;
    cpu->cr[0] = CR0_PE | CR0_ET | CR0_NE;
    cpu->regs[R_EAX] = 0xdeadbeef;
    tr_run(&backend_interp, cpu, 1);
    ck_assert_int_eq(cpu->exception_index, -1);
    ck_assert_uint_eq((uint32_t)cpu->regs[R_EAX], CR0_PE | CR0_ET | CR0_NE);
    ck_assert_uint_eq((uint32_t)cpu->eip, CODE_BASE + 3);
    tr_free_cpu(cpu);
}
END_TEST

/* ---- I/O permission and IOPL, decided at translation time ---- */

/* Calls to `helper_id` in the one-instruction block of `bytes` made with
 * these hflags. */
static int tr_calls_in(const uint8_t *bytes, size_t n, uint32_t hflags,
                       int helper_id)
{
    tr_code(bytes, n);
    struct cpu *cpu = tr_cpu();
    cpu->hflags = hflags;
    struct tb *tb = tr_translate(cpu, CODE_BASE, 1);
    int calls = tr_count_calls(helper_id);
    tr_free(tb);
    tr_free_cpu(cpu);
    return calls;
}

#define IOPL_HF(n) ((uint32_t)(n) << HF_IOPL_SHIFT)

/* IN/OUT/INS/OUTS check the TSS bitmap only in virtual-8086 mode and at
 * CPL > IOPL (SDM 1 19.5): a ring-0 or IOPL-3 block has no check at all. */
START_TEST(test_io_check_only_when_needed)
{
    static const uint8_t in_al[] = { 0xe4, 0x60 };   /* IN AL, 60h */
    static const uint8_t out_dx[] = { 0xee };        /* OUT DX, AL */
    static const uint8_t insb[] = { 0x6c };          /* INSB */
    static const uint8_t outsd[] = { 0xf3, 0x6f };   /* REP OUTSD */
    const uint32_t pm = HF_PE | HF_CS32 | HF_SS32;
    const uint32_t vm = HF_PE | HF_VM | HF_ADDSEG | 3;
    static const struct {
        uint32_t hflags;
        int calls;
    } cases[] = {
        { HF_ADDSEG, 0 },                 /* real mode */
        { pm | 0 | IOPL_HF(0), 0 },       /* ring 0 */
        { pm | 1 | IOPL_HF(1), 0 },       /* CPL = IOPL */
        { pm | 3 | IOPL_HF(3), 0 },
        { pm | 3 | IOPL_HF(0), 1 },       /* CPL > IOPL */
        { pm | 2 | IOPL_HF(1), 1 },
        { vm | IOPL_HF(3), 1 },           /* V86: always, whatever IOPL */
        { vm | IOPL_HF(0), 1 },
    };
    tr_setup();
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint32_t hf = cases[i].hflags;
        int want = cases[i].calls;
        ck_assert_int_eq(tr_calls_in(in_al, sizeof(in_al), hf, HELPER_check_io), want);
        ck_assert_int_eq(tr_calls_in(out_dx, sizeof(out_dx), hf, HELPER_check_io), want);
        ck_assert_int_eq(tr_calls_in(insb, sizeof(insb), hf, HELPER_check_io), want);
        ck_assert_int_eq(tr_calls_in(outsd, sizeof(outsd), hf, HELPER_check_io), want);
    }
}
END_TEST

/* INT n in virtual-8086 mode with IOPL < 3 is #GP(0) (SDM 2, INT n);
 * INT3 and INTO are not IOPL-sensitive. */
START_TEST(test_v86_int_n_iopl)
{
    static const uint8_t int21[] = { 0xcd, 0x21 };
    static const uint8_t int3[] = { 0xcc };
    const uint32_t vm = HF_PE | HF_VM | HF_ADDSEG | 3;
    tr_setup();
    ck_assert_int_eq(tr_calls_in(int21, 2, vm | IOPL_HF(0), HELPER_raise_interrupt), 0);
    ck_assert_int_eq(tr_calls_in(int21, 2, vm | IOPL_HF(0), HELPER_raise_exception_err), 1);
    ck_assert_int_eq(tr_calls_in(int21, 2, vm | IOPL_HF(2), HELPER_raise_exception_err), 1);
    ck_assert_int_eq(tr_calls_in(int21, 2, vm | IOPL_HF(3), HELPER_raise_interrupt), 1);
    ck_assert_int_eq(tr_calls_in(int3, 1, vm | IOPL_HF(0), HELPER_raise_interrupt), 1);
    ck_assert_int_eq(tr_calls_in(int21, 2, HF_PE | HF_CS32 | 3, HELPER_raise_interrupt), 1);

    /* Run: EIP stays on the INT, #GP with error code 0. */
    tr_code(int21, 2);
    struct cpu *cpu = tr_cpu();
    cpu->hflags = vm | IOPL_HF(1);
    cpu->eflags = EFLAGS_FIXED | EFLAGS_VM | 0x1000;
    tr_run(&backend_interp, cpu, 1);
    ck_assert_int_eq(cpu->exception_index, EXCP_GP);
    ck_assert_int_eq(cpu->error_code, 0);
    ck_assert_uint_eq((uint32_t)cpu->eip, CODE_BASE);
    tr_free_cpu(cpu);
}
END_TEST

/* ---- the same IR on every backend ---- */

#ifdef CONFIG_BACKEND_X86_64
static uint64_t rnd_state = 0x6a657438366a6574ull;
static uint32_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return (uint32_t)rnd_state;
}

/* One random register-only instruction (mod = 3, no memory operand). */
static uint8_t *gen_insn(uint8_t *p)
{
    static const uint8_t alu[] = {
        0x00, 0x01, 0x02, 0x03, 0x08, 0x09, 0x10, 0x11, 0x12, 0x13, 0x18,
        0x19, 0x1a, 0x1b, 0x20, 0x21, 0x28, 0x29, 0x2a, 0x2b, 0x30, 0x31,
        0x38, 0x39, 0x3a, 0x3b, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
    };
    static const uint8_t one[] = { 0x98, 0x99, 0x9e, 0x9f, 0xf5, 0xf8,
                                   0xf9, 0x27, 0x2f, 0x37, 0x3f, 0xd6 };
    bool o16 = (rnd() & 3) == 0;
    unsigned isz = o16 ? 2 : 4;
    uint8_t modrm = (uint8_t)(0xc0 | (rnd() & 0x3f));
    if (o16)
        *p++ = 0x66;
    switch (rnd() % 16) {
    case 0: case 1:
        *p++ = alu[rnd() % sizeof(alu)];
        *p++ = modrm;
        break;
    case 2:
        *p++ = 0x81;
        *p++ = modrm;
        for (unsigned i = 0; i < isz; i++)
            *p++ = (uint8_t)rnd();
        break;
    case 3:
        *p++ = 0x83;
        *p++ = modrm;
        *p++ = (uint8_t)rnd();
        break;
    case 4:
        *p++ = (uint8_t)(0x40 + rnd() % 16);
        break;
    case 5: /* NOT NEG MUL IMUL */
        *p++ = (uint8_t)(0xf6 + (rnd() & 1));
        *p++ = (uint8_t)(0xc0 | ((2 + rnd() % 4) << 3) | (rnd() & 7));
        break;
    case 6:
        *p++ = (uint8_t)(0xc0 + (rnd() & 1));
        *p++ = modrm;
        *p++ = (uint8_t)(rnd() % 40);
        break;
    case 7:
        *p++ = (uint8_t)(0xd0 + rnd() % 4);
        *p++ = modrm;
        break;
    case 8: { /* SHLD/SHRD by imm8 or CL */
        static const uint8_t sh[] = { 0xa4, 0xa5, 0xac, 0xad };
        uint8_t o = sh[rnd() % 4];
        *p++ = 0x0f;
        *p++ = o;
        *p++ = modrm;
        if (!(o & 1))
            *p++ = (uint8_t)(rnd() % 40);
        break;
    }
    case 9: /* SETcc, CMOVcc */
        *p++ = 0x0f;
        *p++ = (uint8_t)((rnd() & 1 ? 0x90 : 0x40) + rnd() % 16);
        *p++ = modrm;
        break;
    case 10: { /* BT BTS BTR BTC BSF BSR MOVZX MOVSX IMUL XADD CMPXCHG */
        static const uint8_t ops[] = { 0xa3, 0xab, 0xb3, 0xbb, 0xbc, 0xbd,
                                       0xb6, 0xb7, 0xbe, 0xbf, 0xaf, 0xc0,
                                       0xc1, 0xb0, 0xb1 };
        *p++ = 0x0f;
        *p++ = ops[rnd() % sizeof(ops)];
        *p++ = modrm;
        break;
    }
    case 11:
        *p++ = one[rnd() % sizeof(one)];
        break;
    case 12: /* IMUL r, r/m, imm8 */
        *p++ = 0x6b;
        *p++ = modrm;
        *p++ = (uint8_t)rnd();
        break;
    case 13: /* CMP then a condition consumer */
        *p++ = 0x39;
        *p++ = modrm;
        *p++ = 0x0f;
        *p++ = (uint8_t)(0x40 + rnd() % 16);
        *p++ = (uint8_t)(0xc0 | (rnd() & 0x3f));
        break;
    case 14: /* BT r/m, imm8 family */
        *p++ = 0x0f;
        *p++ = 0xba;
        *p++ = (uint8_t)(0xc0 | ((4 + rnd() % 4) << 3) | (rnd() & 7));
        *p++ = (uint8_t)rnd();
        break;
    default: /* RCL/RCR through a helper */
        *p++ = 0xd3;
        *p++ = (uint8_t)(0xd0 | (rnd() & 0xf));
        break;
    }
    return p;
}

START_TEST(test_backends_agree)
{
    tr_setup();
    for (int it = 0; it < 20000; it++) {
        memset(code_page, 0x90, sizeof(code_page));
        uint8_t *p = code_page;
        unsigned n = 1 + rnd() % 12;
        for (unsigned i = 0; i < n; i++)
            p = gen_insn(p);
        *p = 0xf4;

        struct cpu *a = tr_cpu(), *x = tr_cpu();
        for (int r = 0; r < 8; r++)
            a->regs[r] = x->regs[r] = rnd() & (rnd() & 1 ? 0xffffffffu : 0x800000ffu);
        if (rnd() & 1) {
            a->cc_op = x->cc_op = CC_OP_SUBB + rnd() % 3;
            a->cc_dst = x->cc_dst = rnd();
        }
        a->cc_src = x->cc_src = rnd() & EFLAGS_ARITH;
        tr_run(&backend_interp, a, n);
        tr_run(&backend_x86_64, x, n);
        for (int r = 0; r < 8; r++)
            ck_assert_msg(a->regs[r] == x->regs[r],
                          "case %d: reg %d interp %08x x86_64 %08x", it, r,
                          (uint32_t)a->regs[r], (uint32_t)x->regs[r]);
        ck_assert_uint_eq(cpu_get_eflags(a), cpu_get_eflags(x));
        ck_assert_uint_eq(a->eip, x->eip);
        tr_free_cpu(a);
        tr_free_cpu(x);
    }
}
END_TEST
#endif

static Suite *translate_suite(void)
{
    Suite *s = suite_create("translate");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_block_ends_at_branch);
    tcase_add_test(tc, test_narrow_writes_keep_high_bits);
    tcase_add_test(tc, test_block_count_and_page_end);
    tcase_add_test(tc, test_cs_limit_page_block);
    tcase_add_test(tc, test_mode_checks_only_in_their_blocks);
    tcase_add_test(tc, test_sti_shadow);
    tcase_add_test(tc, test_smsw_at_cpl3);
    tcase_add_test(tc, test_io_check_only_when_needed);
    tcase_add_test(tc, test_v86_int_n_iopl);
    tcase_add_loop_test(tc, test_sequences, 0,
                        (int)(sizeof(seq_cases) / sizeof(seq_cases[0])));
#ifdef CONFIG_BACKEND_X86_64
    tcase_add_test(tc, test_backends_agree);
#endif
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(translate_suite)
