/* diff_seq.c - the differential test's sequence generator: a case of 1 to
 * DIFF_SEQ_MAX instructions drawn from the form table (diff_forms.c), so
 * that results flow from one instruction into the next through registers,
 * flags and memory, in one translated block.
 *
 * Every form's generator constrains the initial state it is given (a
 * memory operand's base and index, a shift count in CL, a dividend, string
 * pointers and counts). In a sequence that state is what the earlier
 * instructions leave, which the generator cannot know; so each instruction
 * after the first is preceded by MOV r32, imm32 (flags untouched) for every
 * register its generator set (gen->set: all register writes of the
 * generators go through gen_reg_set and gen_reg_put), and only those: the
 * other registers carry the earlier instructions' results. Nothing is
 * computed from the unknown state (gen->later: no ESP-relative address,
 * which is computed from the initial ESP). In a sequence no instruction
 * but the stack operations writes ESP (diff_gen.c, gen->noesp), ENTER
 * appears once and POPF only first, so the stack stays in the scratch
 * stack page.
 *
 * Undefined flags follow the last writer (SDM 2 "Flags Affected"): a flag
 * is undefined after an instruction that leaves it undefined, and stays so
 * until one that defines it; an instruction that reads a flag undefined at
 * that point is redrawn (its result would be undefined too). The state at
 * every point where a fault may stop the sequence is kept, so a faulting
 * case is masked as the flags stand at the fault.
 *
 * In 16-bit code (code16) every instruction has its size prefixes
 * flipped (diff_gen.c, gen_finish) and the setup MOVs get 0x66.
 *
 * Even-numbered sequences use only instructions that run the same in
 * 64-bit mode (diff_mode64.c), so that on a host without 32-bit code half
 * the sequences are still checked against the CPU; odd ones take any form.
 */
#include "tests/diff/diff_gen.h"
#include "tests/diff/diff_mode64.h"

static const char *const seq_names[DIFF_SEQ_MAX] = {
    "seq/1", "seq/2", "seq/3", "seq/4", "seq/5", "seq/6", "seq/7", "seq/8",
};

/* Room for one more instruction (up to 40 bytes) with its setup MOVs (up
 * to 8 of 6 bytes) before the jump back. */
#define SEQ_ROOM (DIFF_CODE_MAX - 104)

struct seq_insn {
    uint8_t code[40];
    unsigned len;
    struct diff_regs regs; /* c->in after the generator */
    uint8_t nset;          /* mask of the registers it constrained */
    uint32_t undef;        /* flags it leaves undefined */
    int shift_cnt;
};

static void seq_gen_one(struct gen *g, const struct form *f, struct seq_insn *in)
{
    g->noesp = 1;
    gen_insn(g, f);
    in->len = gen_finish(g, in->code);
    in->regs = g->c->in;
    in->undef = g->c->undef;
    in->shift_cnt = g->shift_cnt;
}

/* Draw one instruction for position pos that reads no flag in `undef`;
 * 0 when none was found in a few tries. After the first position, c->in
 * is left as it was and in->nset says which registers need a setup MOV
 * (to their value in in->regs). */
static const struct form *seq_draw(struct gen *g, unsigned pos, uint32_t undef, int mode64,
                                   int enter_used, struct seq_insn *in)
{
    struct diff_case *c = g->c;
    unsigned tries;

    for (tries = 0; tries < 32; tries++) {
        const struct form *f = &diff_forms[gen_below(g, diff_nforms)];
        int use = diff_form_seq_use(f);
        struct diff_regs before = c->in;
        uint8_t qskip = c->qemu_skip;
        struct diff_code64 c64;

        if (use == SEQ_NO || (use == SEQ_FIRST && pos) || (use == SEQ_ONCE && enter_used))
            continue;
        if (diff_form_reads(f) & undef)
            continue;
        g->later = pos != 0;
        seq_gen_one(g, f, in);
        in->nset = pos ? g->set : 0;
        if (pos)
            c->in = before;
        if (mode64 && diff_to64(in->code, in->len, &c64)) {
            c->in = before;
            c->qemu_skip = qskip;
            continue;
        }
        return f;
    }
    return 0;
}

static void seq_point(struct diff_case *c, unsigned off, uint32_t undef)
{
    c->point_off[c->npoints] = (uint8_t)off;
    c->point_undef[c->npoints] = undef;
    c->npoints++;
}

void diff_gen_seq(uint64_t seed, uint32_t idx, int code16, struct diff_case *c)
{
    struct gen g;
    struct seq_insn in;
    unsigned k, j, r, n = 0, i;
    uint32_t undef = 0;
    int mode64 = !(idx & 1) && !code16, enter_used = 0;

    gen_start(&g, c, gen_stream(seed ^ (code16 ? 0x7365713136000000ULL : 0x7365710000000000ULL), idx));
    g.code16 = (uint8_t)code16;
    gen_init_state(&g);
    k = 1 + gen_below(&g, DIFF_SEQ_MAX);
    for (j = 0; j < k && n < SEQ_ROOM; j++) {
        const struct form *f = seq_draw(&g, j, undef, mode64, enter_used, &in);
        if (!f)
            break;
        if (diff_form_seq_use(f) == SEQ_ONCE)
            enter_used = 1;
        seq_point(c, n, undef);
        for (r = 0; r < 8; r++) {
            if (!(in.nset >> r & 1))
                continue;
            if (code16)
                c->code[n++] = 0x66;
            c->code[n++] = (uint8_t)(0xb8 + r);
            for (i = 0; i < 4; i++)
                c->code[n++] = (uint8_t)(in.regs.r[r] >> (8 * i));
        }
        seq_point(c, n, undef);
        for (i = 0; i < in.len; i++)
            c->code[n++] = in.code[i];
        /* The last writer decides: modified flags take this instruction's
         * state (undefined or not), the others keep theirs. */
        undef = (undef & ~diff_form_writes(f, in.shift_cnt)) | in.undef;
        c->forms[c->nforms++] = f->name;
    }
    seq_point(c, n, undef);
    c->len = n;
    c->undef = undef;
    c->name = seq_names[(c->nforms ? c->nforms : 1) - 1];
}
