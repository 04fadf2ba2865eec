/* diff_forms.c - the differential test's case table: every instruction
 * form it runs, how it is encoded, which constraints its operands obey
 * (special generators below), and beside each form the EFLAGS bits the
 * Intel SDM (volume 2, the instruction's "Flags Affected") calls undefined
 * — the only bits the comparison masks. Counts that decide definedness
 * (shifts) add their mask per case in the generator.
 */
#include "tests/diff/diff_gen.h"

#define SZAP (F_SF | F_ZF | F_AF | F_PF)

/* Shift and rotate count sources (form.arg). */
enum { CNT_1 = 1, CNT_CL, CNT_IMM };
/* String op repeat prefixes (form.arg). */
enum { REP_NONE, REP_F3, REP_F2 };
/* form.arg bit: 0x67 address-size prefix (LEA, LOOP, JECXZ). */
#define A_ADDR16 0x40u

static int32_t sext(uint32_t v, unsigned bits)
{
    return (int32_t)(v << (32 - bits)) >> (32 - bits);
}

/* A count whose low five bits (the masked count, SDM SAL/SHL and RCL
 * "Operation") fall in the interesting classes 0, 1, width-1, width,
 * width+1 or anywhere up to `maxc`, sometimes with bits above the mask. */
static uint32_t shift_count(struct gen *g, unsigned width, unsigned maxc)
{
    uint32_t c;

    switch (gen_rnd(g) & 7) {
    case 0: c = 0; break;
    case 1: c = 1; break;
    case 2: c = width - 1; break;
    case 3: c = width; break;
    case 4: c = width + 1; break;
    default: c = gen_below(g, maxc + 1); break;
    }
    c &= 31;
    if (c > maxc)
        c = maxc;
    if ((gen_rnd(g) & 3) == 0)
        c += 32 * (1 + gen_below(g, 7));
    return c;
}

/* SDM SAL/SAR/SHL/SHR: count 0 leaves the flags alone; otherwise AF is
 * undefined, OF is undefined unless the count is 1, and CF is undefined
 * for SHL/SHR when the count is >= the operand width.
 * SDM RCL/RCR/ROL/ROR: count 0 leaves the flags alone; OF is undefined
 * unless the masked count is 1; SF/ZF/AF/PF are never affected. */
static uint32_t shift_undef(unsigned op, unsigned width, unsigned c)
{
    if (c == 0)
        return 0;
    if (op < 4)
        return c == 1 ? 0 : F_OF;
    return F_AF | (c == 1 ? 0 : F_OF) | (op != 7 && c >= width ? F_CF : 0);
}

static void gen_shift(struct gen *g, const struct form *f)
{
    uint32_t cnt = f->arg == CNT_1 ? 1 : shift_count(g, f->size, 31);

    if (f->arg == CNT_CL) {
        gen_reg_set(g, R_ECX, 1, cnt);
        g->fixed |= 1u << R_ECX;
    }
    gen_head(g, f);
    gen_operands(g, f, 0);
    if (f->arg == CNT_IMM)
        gen_imm(g, cnt, 1);
    g->c->undef |= shift_undef(f->ext, f->size, cnt & 31);
    g->shift_cnt = (int)(cnt & 31);
}

/* SDM SHLD/SHRD: count 0 leaves the flags alone; otherwise AF is
 * undefined and OF unless the count is 1. A masked count above the
 * operand width leaves result and flags undefined, so 16-bit cases keep
 * the masked count <= 16. */
static void gen_shld(struct gen *g, const struct form *f)
{
    uint32_t cnt = shift_count(g, f->size, f->size == 16 ? 16 : 31), c = cnt & 31;

    if (f->arg == CNT_CL) {
        gen_reg_set(g, R_ECX, 1, cnt);
        g->fixed |= 1u << R_ECX;
    }
    gen_head(g, f);
    gen_operands(g, f, 0);
    if (f->arg == CNT_IMM)
        gen_imm(g, cnt, 1);
    if (c)
        g->c->undef |= F_AF | (c == 1 ? 0 : F_OF);
    g->shift_cnt = (int)c;
}

/* DIV/IDIV: the dividend is built as quotient * divisor + remainder with
 * the quotient in range, so the case cannot #DE; one case in 16 takes
 * random operands (a zero divisor one time in four) and then the #DE
 * outcome, if any, is what is compared. The divisor is never AL/AH or
 * EAX/EDX, which hold the dividend, nor ESP (a #DE pushes its frame
 * there). */
static void gen_div(struct gen *g, const struct form *f)
{
    unsigned n = f->size, bytes = n / 8;
    uint32_t m = gen_mask(bytes), d, lo, hi, r;
    uint8_t excl = bytes == 1 ? (1u << 0 | 1u << 4) : (1u << 0 | 1u << 2 | 1u << R_ESP);
    struct eop e;

    g->fixed |= 1u << R_EAX | 1u << R_EDX;
    gen_head(g, f);
    e = gen_operands(g, f, excl);
    if ((gen_rnd(g) & 15) == 0) {
        d = (gen_rnd(g) & 3) == 0 ? 0 : gen_val(g) & m;
        lo = gen_val(g) & m;
        hi = gen_val(g) & m;
    } else if (f->ext == 6) {
        uint32_t q = gen_val(g) & m;
        uint64_t dd;
        d = gen_val(g) & m;
        if (d == 0)
            d = 1 + (gen_rnd(g) & 0xf);
        r = gen_rnd(g) % d;
        dd = (uint64_t)q * d + r;
        lo = (uint32_t)dd & m;
        hi = (uint32_t)(dd >> n) & m;
    } else {
        int32_t sd, sq;
        int64_t prod, dd, sr;
        uint32_t ad;
        d = gen_val(g) & m;
        if (d == 0)
            d = 1 + (gen_rnd(g) & 0xf);
        sd = sext(d, n);
        sq = sext(gen_val(g) & m, n);
        ad = sd < 0 ? 0u - (uint32_t)sd : (uint32_t)sd;
        r = gen_rnd(g) % ad;
        prod = (int64_t)sq * sd;
        sr = prod < 0 ? -(int64_t)r : prod > 0 ? (int64_t)r : (gen_rnd(g) & 1) ? (int64_t)r : -(int64_t)r;
        dd = prod + sr;
        lo = (uint32_t)dd & m;
        hi = (uint32_t)((uint64_t)dd >> n) & m;
    }
    gen_e_set(g, &e, bytes, d);
    if (bytes == 1) {
        gen_reg_set(g, R_EAX, 2, hi << 8 | lo);
    } else {
        gen_reg_set(g, R_EAX, bytes, lo);
        gen_reg_set(g, R_EDX, bytes, hi);
    }
}

/* BT/BTS/BTR/BTC Ev,Gv: with a memory operand the register is a signed
 * bit offset that may reach outside the operand (SDM BT "bit string");
 * it is kept in -256..255 around the middle of the data area. */
static void gen_bt(struct gen *g, const struct form *f)
{
    unsigned bytes = f->size / 8, gr;

    gen_head(g, f);
    if (gen_rnd(g) & 1) {
        g->greg = gen_rnd(g) & 7;
        gen_modrm(g, g->greg, bytes, E_REG, 0);
        return;
    }
    do
        gr = gen_rnd(g) & 7;
    while (gr == R_ESP);
    gen_reg_set(g, gr, bytes, gen_below(g, 512) - 256);
    g->fixed |= (uint8_t)(1u << gr);
    g->force_addr = DIFF_DATA + 64;
    gen_modrm(g, gr, bytes, E_MEM, 0);
    g->force_addr = 0;
}

/* BSF/BSR: a zero source leaves the destination undefined (SDM BSF:
 * "the content of the destination operand is undefined"); one case in
 * four has a zero source and then the destination is not compared. The
 * source register is never ESP, which must keep pointing at the stack. */
static void gen_bsf(struct gen *g, const struct form *f)
{
    struct eop e;

    gen_head(g, f);
    e = gen_operands(g, f, 1u << R_ESP);
    if ((gen_rnd(g) & 3) == 0) {
        gen_e_set(g, &e, f->size / 8, 0);
        g->c->undef_regs |= (uint8_t)(1u << g->greg);
    }
}

/* CMPXCHG: half the cases have the accumulator equal to the destination. */
static void gen_cmpxchg(struct gen *g, const struct form *f)
{
    unsigned bytes = f->size / 8;
    struct eop e;

    g->fixed |= 1u << R_EAX;
    gen_head(g, f);
    e = gen_operands(g, f, 0);
    if (gen_rnd(g) & 1)
        gen_reg_set(g, R_EAX, bytes, gen_e_get(g, &e, bytes));
}

/* CMPXCHG8B m64: half the cases have EDX:EAX equal to memory. */
static void gen_cmpxchg8b(struct gen *g, const struct form *f)
{
    struct eop e;

    g->fixed |= 0x0f;
    gen_head(g, f);
    e = gen_operands(g, f, 0);
    if (gen_rnd(g) & 1) {
        gen_mem_set(g, e.addr, 4, g->c->in.r[R_EAX]);
        gen_mem_set(g, e.addr + 4, 4, g->c->in.r[R_EDX]);
    }
}

/* LEA with any addressing form (16-bit ones with 0x67); nothing is
 * accessed, so every register keeps its random value. One case in 32 has
 * a register operand (mod 3), which is #UD (SDM LEA). */
static void gen_lea(struct gen *g, const struct form *f)
{
    unsigned mod = gen_below(g, 3), rm = gen_rnd(g) & 7, dispb = 0, reg;
    int a16 = (f->arg & A_ADDR16) != 0;

    if ((gen_rnd(g) & 31) == 0)
        mod = 3;
    if (a16)
        gen_prefix(g, 0x67);
    if ((gen_rnd(g) & 3) == 0)
        gen_prefix(g, 0x3e);
    gen_head(g, f);
    reg = gen_rnd(g) & 7;
    if (g->noesp && reg == R_ESP)
        reg = R_EBP;
    gen_emit(g, (uint8_t)(mod << 6 | reg << 3 | rm));
    if (a16) {
        dispb = mod == 1 ? 1 : mod == 2 ? 2 : (mod == 0 && rm == 6) ? 2 : 0;
    } else {
        dispb = mod == 1 ? 1 : mod == 2 ? 4 : (mod == 0 && rm == 5) ? 4 : 0;
        if (rm == 4 && mod != 3) {
            uint8_t sib = (uint8_t)gen_rnd(g);
            gen_emit(g, sib);
            if (mod == 0 && (sib & 7) == 5)
                dispb = 4;
        }
    }
    gen_imm(g, gen_val(g), dispb);
}

/* POPF: the popped image has random arithmetic flags, DF and ID (both
 * sides let POPF toggle ID); IF, TF, NT, AC, IOPL stay clear. */
static void gen_popf(struct gen *g, const struct form *f)
{
    uint32_t v = (gen_rnd(g) & (F_ARITH | F_DF)) | 0x2 | ((gen_rnd(g) & 1) ? F_ID : 0);

    gen_head(g, f);
    gen_mem_set(g, g->c->in.r[R_ESP], f->size / 8, v);
}

/* PUSHF: the pushed image holds IF (1 natively at CPL 3, 0 in the guest)
 * and other environment bits; the runner compares only F_COMPARED bits
 * (and bit 1) of the pushed bytes. */
static void gen_pushf(struct gen *g, const struct form *f)
{
    gen_head(g, f);
    g->c->pushf_bytes = (uint8_t)(f->size / 8);
}

/* ENTER imm16, imm8: EBP points into the stack area, because a nesting
 * level above 0 copies frame pointers from below it; the level is
 * taken modulo 32 (SDM ENTER), so levels 32+k are tried too. The frame
 * size stays below 0x800 so that the new ESP stays in the scratch stack
 * page: the host CPU probes the new stack top (#PF natively otherwise). */
static void gen_enter(struct gen *g, const struct form *f)
{
    uint32_t level = gen_below(g, 4);

    if ((gen_rnd(g) & 3) == 0)
        level += 32 * (1 + gen_below(g, 7));
    gen_head(g, f);
    gen_imm(g, gen_rnd(g) & 3 ? gen_rnd(g) & 0x3f : gen_val(g) & 0x7ff, 2);
    gen_imm(g, level, 1);
    gen_reg_put(g, R_EBP, DIFF_STACK + 64 + gen_below(g, 32));
    g->c->deep_stack = 1;
}

/* LEAVE: EBP points into the stack area. */
static void gen_leave(struct gen *g, const struct form *f)
{
    gen_head(g, f);
    gen_reg_put(g, R_EBP, DIFF_STACK + 8 + gen_below(g, DIFF_STACK_SIZE - 16));
}

/* CALL rel32 0: pushes the address of the next instruction. */
static void gen_call(struct gen *g, const struct form *f)
{
    gen_head(g, f);
    gen_imm(g, 0, 4);
}

/* RET / RET imm16: the stack holds the address of the jump back. */
static void gen_ret(struct gen *g, const struct form *f)
{
    gen_std(g, f);
    g->ret_slot = 1;
}

/* Jcc/JMP/LOOPcc/JECXZ over a MOV reg, imm32: whether the branch was taken
 * shows as that register's value. ECX takes small values for LOOP. */
static void gen_branch(struct gen *g, const struct form *f)
{
    unsigned r;
    uint8_t op = f->op[f->nop - 1];

    if (f->arg & A_ADDR16)
        gen_prefix(g, 0x67);
    if (op >= 0xe0 && op <= 0xe3) {
        static const uint32_t cx[8] = { 0, 1, 2, 0x10000, 0x10001, 0xffff, 0xffffffff, 3 };
        uint32_t v = gen_rnd(g);
        gen_reg_put(g, R_ECX, (v & 8) ? cx[v & 7] : gen_val(g));
    }
    gen_head(g, f);
    gen_imm(g, 5 + g->code16, (f->nop == 2 || op == 0xe9) ? 4 : 1);
    do
        r = gen_rnd(g) & 7;
    while (r == R_ESP);
    if (g->code16)
        gen_emit(g, 0x66); /* MOV r32, imm32 in 16-bit code */
    gen_emit(g, (uint8_t)(0xb8 + r));
    gen_imm(g, gen_val(g), 4);
}

/* String instructions on the data area: ESI/EDI in its middle, small
 * counts for REP (0..7 elements, DF either way, so the accesses stay in
 * the area). For CMPS/SCAS, equal runs of random length make REPE/REPNE
 * stop at different places. REPNE is used only with CMPS/SCAS, where
 * the SDM defines it. */
static void gen_str(struct gen *g, const struct form *f)
{
    unsigned bytes = f->size / 8, k, i;
    uint8_t op = f->op[0];
    int32_t step = (g->c->in.eflags & F_DF) ? -(int32_t)bytes : (int32_t)bytes;
    uint32_t si = DIFF_DATA + 32 + gen_below(g, 64 - bytes);
    uint32_t di = DIFF_DATA + 32 + gen_below(g, 64 - bytes);

    if (f->arg == REP_F3)
        gen_prefix(g, 0xf3);
    if (f->arg == REP_F2)
        gen_prefix(g, 0xf2);
    if ((op == 0xa4 || op == 0xa5 || op == 0xa6 || op == 0xa7 || op == 0xac || op == 0xad) &&
        (gen_rnd(g) & 3) == 0)
        gen_prefix(g, (gen_rnd(g) & 1) ? 0x26 : 0x36);
    gen_head(g, f);
    gen_reg_put(g, R_ESI, si);
    gen_reg_put(g, R_EDI, di);
    if (f->arg != REP_NONE)
        gen_reg_put(g, R_ECX, gen_below(g, 8));
    if (op == 0xa6 || op == 0xa7 || op == 0xae || op == 0xaf) {
        k = gen_below(g, 9);
        for (i = 0; i < 8; i++) {
            uint32_t src = op >= 0xae ? gen_reg_get(g, R_EAX, bytes)
                                      : gen_mem_get(g, si + (uint32_t)(step * (int32_t)i), bytes);
            int eq = f->arg == REP_F2 ? i == k : i < k;
            if (eq && (gen_rnd(g) & 7))
                gen_mem_set(g, di + (uint32_t)(step * (int32_t)i), bytes, src);
        }
    }
}

/* AAM/AAD imm8: base 10 half the time; AAM 0 (#DE) one case in 16. */
static void gen_aam(struct gen *g, const struct form *f)
{
    uint32_t v = gen_rnd(g);

    gen_head(g, f);
    if (f->op[0] == 0xd4 && (v & 15) == 0)
        gen_imm(g, 0, 1);
    else
        gen_imm(g, (v & 16) ? 10 : gen_val(g), 1);
}

/* MOV AL/AX/EAX <-> moffs32: an absolute address in the data area. */
static void gen_moffs(struct gen *g, const struct form *f)
{
    unsigned bytes = f->size / 8;
    uint32_t a = DIFF_DATA + gen_below(g, DIFF_DATA_SIZE - bytes + 1);

    if ((gen_rnd(g) & 3) == 0)
        gen_prefix(g, 0x26);
    gen_head(g, f);
    gen_imm(g, a, 4);
}

/* A random register other than ESP (which must keep pointing at the
 * stack area). */
static unsigned pair_reg(struct gen *g)
{
    unsigned r;

    do
        r = gen_rnd(g) & 7;
    while (r == R_ESP);
    return r;
}

/* BOUND Gv, Ma: a signed pair of bounds in memory and an index inside
 * them, at an edge or anywhere (outside: #BR, vector 5, a fault). Memory
 * operands only: 62 with mod 11 is EVEX on a CPU with AVX-512. */
static void gen_bound(struct gen *g, const struct form *f)
{
    unsigned bytes = f->size / 8;
    uint32_t m = gen_mask(bytes), lo, hi, v, span;
    struct eop e;

    gen_head(g, f);
    g->greg = pair_reg(g);
    g->fixed |= (uint8_t)(1u << g->greg);
    e = gen_modrm(g, g->greg, 2 * bytes, E_MEM, 0);
    lo = gen_val(g) & m;
    hi = gen_val(g) & m;
    if (sext(lo, f->size) > sext(hi, f->size) && (gen_rnd(g) & 3)) {
        v = lo;
        lo = hi;
        hi = v;
    }
    span = (hi - lo) & m;
    switch (gen_rnd(g) & 3) {
    case 0: v = lo; break;
    case 1: v = hi; break;
    case 2: v = span == m ? gen_rnd(g) : lo + gen_below(g, span + 1); break;
    default: v = gen_val(g); break;
    }
    gen_reg_set(g, g->greg, bytes, v);
    gen_mem_set(g, e.addr, bytes, lo);
    gen_mem_set(g, e.addr + bytes, bytes, hi);
}

/* PUSH Sreg: the pushed selector differs between the environments; the
 * runner masks it (pushsel_bytes). */
static void gen_pushseg(struct gen *g, const struct form *f)
{
    gen_head(g, f);
    g->c->pushsel_bytes = (uint8_t)(f->size / 8);
}

/* POP Sreg: the word at ESP becomes the current DS at run time
 * (sel_stack), a selector both sides can load. */
static void gen_popseg(struct gen *g, const struct form *f)
{
    gen_head(g, f);
    g->c->sel_stack = 1;
}

/* LDS/LES/LSS/LFS/LGS Gv, Mp: a random offset and, after it, the current
 * DS as the selector (sel_at). Memory operands only: C4/C5 with mod 11
 * are VEX prefixes. */
static void gen_lxs(struct gen *g, const struct form *f)
{
    unsigned bytes = f->size / 8;
    struct eop e;

    gen_head(g, f);
    g->greg = pair_reg(g);
    g->force_addr = DIFF_DATA + gen_below(g, DIFF_DATA_SIZE - bytes - 2 + 1);
    e = gen_modrm(g, g->greg, bytes + 2, E_MEM, 0);
    g->force_addr = 0;
    gen_mem_set(g, e.addr, bytes, gen_val(g));
    g->c->sel_at = (uint8_t)(e.addr + bytes - DIFF_DATA + 1);
}

/* Flag producer + consumer pairs in one block: the lazy-flags and
 * flag-liveness paths of a translator are only exercised when a flag
 * result is read by the next instruction rather than at the block's end.
 * The producer is any form of the table (not the branches, which end the
 * block, nor BSF/BSR, whose undefined destination the consumer could
 * read); the consumer reads only flags the producer left defined, and
 * never writes ESP. */
enum { PAIR_SETCC, PAIR_CMOV, PAIR_JCC, PAIR_ADC, PAIR_LAHF, PAIR_RCL, PAIR_INC, PAIR_SHL0 };

static void gen_pair(struct gen *g, const struct form *f);

/* The flags condition code cc reads (SDM 1 B.1), indexed by cc >> 1. */
static const uint32_t cc_reads[8] = {
    F_OF, F_CF, F_ZF, F_CF | F_ZF, F_SF, F_PF, F_SF | F_OF, F_SF | F_OF | F_ZF,
};

static void gen_pair(struct gen *g, const struct form *f)
{
    const struct form *p;
    struct diff_case *c = g->c;
    unsigned cc = 0, tries;

    do
        p = &diff_forms[gen_below(g, diff_nforms)];
    while (p->gen == gen_pair || p->gen == gen_branch || p->gen == gen_ret || p->gen == gen_call ||
           p->gen == gen_bsf);
    c->undef = p->undef;
    c->qemu_skip |= p->qemu_skip;
    (p->gen ? p->gen : gen_std)(g, p);

    if (f->arg == PAIR_SETCC || f->arg == PAIR_CMOV || f->arg == PAIR_JCC) {
        for (tries = 0; tries < 16; tries++) {
            cc = gen_rnd(g) & 15;
            if (!(cc_reads[cc >> 1] & c->undef))
                break;
        }
        if (tries == 16)
            return;
    }
    if ((f->arg == PAIR_ADC || f->arg == PAIR_RCL) && (c->undef & F_CF))
        return;
    if (f->arg == PAIR_LAHF && (c->undef & (F_SF | F_ZF | F_AF | F_PF | F_CF)))
        return;
    switch (f->arg) {
    case PAIR_SETCC:
        gen_emit(g, 0x0f);
        gen_emit(g, (uint8_t)(0x90 + cc));
        gen_emit(g, (uint8_t)(0xc0 | (gen_rnd(g) & 7)));
        break;
    case PAIR_CMOV:
        gen_emit(g, 0x0f);
        gen_emit(g, (uint8_t)(0x40 + cc));
        gen_emit(g, (uint8_t)(0xc0 | pair_reg(g) << 3 | (gen_rnd(g) & 7)));
        break;
    case PAIR_JCC:
        gen_emit(g, (uint8_t)(0x70 + cc));
        gen_emit(g, 5);
        gen_emit(g, (uint8_t)(0xb8 + pair_reg(g)));
        gen_imm(g, gen_val(g), 4);
        break;
    case PAIR_ADC: /* ADC or SBB r/m32, r32: reads CF, defines all six */
        gen_emit(g, (gen_rnd(g) & 1) ? 0x11 : 0x19);
        gen_emit(g, (uint8_t)(0xc0 | (gen_rnd(g) & 7) << 3 | pair_reg(g)));
        c->undef = 0;
        break;
    case PAIR_LAHF:
        gen_emit(g, 0x9f);
        break;
    case PAIR_RCL: /* RCL or RCR r32, 1: reads CF, defines CF and OF */
        gen_emit(g, 0xd1);
        gen_emit(g, (uint8_t)(((gen_rnd(g) & 1) ? 0xd0 : 0xd8) | pair_reg(g)));
        c->undef &= ~(F_CF | F_OF);
        break;
    case PAIR_INC: /* INC r32: defines all but CF, which it keeps */
        gen_emit(g, (uint8_t)(0x40 + pair_reg(g)));
        c->undef &= F_CF;
        break;
    default: /* SHL r32, 0: changes nothing, flags included */
        gen_emit(g, 0xc1);
        gen_emit(g, (uint8_t)(0xe0 | pair_reg(g)));
        gen_emit(g, 0);
        break;
    }
}

#define PAIRS(k, nm)                                                                    \
    { .name = nm, .size = 32, .gen = gen_pair, .arg = k },                              \
    { .name = nm, .size = 32, .gen = gen_pair, .arg = k },                              \
    { .name = nm, .size = 32, .gen = gen_pair, .arg = k },                              \
    { .name = nm, .size = 32, .gen = gen_pair, .arg = k }

#define OP1(a) .op = { a }, .nop = 1
#define OP2(a, b) .op = { a, b }, .nop = 2
#define EG .modrm = MR_G
#define EX(n) .modrm = MR_EXT, .ext = (n)
#define OPR .modrm = MR_OPREG
#define U(x) .undef = (x)
#define SZ3(nm, op8, opv, ...)                          \
    { .name = nm "/8", .size = 8, op8, __VA_ARGS__ },   \
    { .name = nm "/16", .size = 16, opv, __VA_ARGS__ }, \
    { .name = nm "/32", .size = 32, opv, __VA_ARGS__ }
#define SZV(nm, opv, ...)                               \
    { .name = nm "/16", .size = 16, opv, __VA_ARGS__ }, \
    { .name = nm "/32", .size = 32, opv, __VA_ARGS__ }

/* The eight ALU ops in all their encodings. */
#define ALU(k, nm, u)                                                               \
    SZ3(nm " E,G", OP1(8 * k), OP1(8 * k + 1), EG, U(u)),                           \
    SZ3(nm " G,E", OP1(8 * k + 2), OP1(8 * k + 3), EG, U(u)),                       \
    SZ3(nm " acc,imm", OP1(8 * k + 4), OP1(8 * k + 5), .imm = IMM_Z, U(u)),         \
    SZ3(nm " E,imm", OP1(0x80), OP1(0x81), EX(k), .imm = IMM_Z, U(u)),              \
    SZV(nm " Ev,Ib", OP1(0x83), EX(k), .imm = IMM_8, U(u)),                         \
    { .name = nm " Eb,Ib(82)/8", .size = 8, OP1(0x82), EX(k), .imm = IMM_8, U(u) }

/* Shifts and rotates: by 1, by CL, by imm8 (undefined flags per count,
 * see shift_undef). */
#define SHIFT(k, nm)                                                                  \
    SZ3(nm " E,1", OP1(0xd0), OP1(0xd1), EX(k), .gen = gen_shift, .arg = CNT_1),      \
    SZ3(nm " E,CL", OP1(0xd2), OP1(0xd3), EX(k), .gen = gen_shift, .arg = CNT_CL),    \
    SZ3(nm " E,imm8", OP1(0xc0), OP1(0xc1), EX(k), .gen = gen_shift, .arg = CNT_IMM)

#define CC16(mac) mac(0), mac(1), mac(2), mac(3), mac(4), mac(5), mac(6), mac(7), \
    mac(8), mac(9), mac(10), mac(11), mac(12), mac(13), mac(14), mac(15)
#define JCC8(cc) { .name = "jcc rel8", .size = 32, OP1(0x70 + cc), .gen = gen_branch }
#define JCC32(cc) { .name = "jcc rel32", .size = 32, OP2(0x0f, 0x80 + cc), .gen = gen_branch }
#define SETCC(cc) { .name = "setcc E", .size = 8, OP2(0x0f, 0x90 + cc), EX(0) }
#define CMOVCC(cc) SZV("cmovcc G,E", OP2(0x0f, 0x40 + cc), EG)

#define STR(nm, o8, ov, rep) SZ3(nm, OP1(o8), OP1(ov), .gen = gen_str, .arg = rep)

const struct form diff_forms[] = {
    /* ADD ADC SUB SBB CMP: all six flags defined. AND OR XOR: SDM "The OF
     * and CF flags are cleared; the SF, ZF, and PF flags are set according
     * to the result. The state of the AF flag is undefined." */
    ALU(0, "add", 0),
    ALU(1, "or", F_AF),
    ALU(2, "adc", 0),
    ALU(3, "sbb", 0),
    ALU(4, "and", F_AF),
    ALU(5, "sub", 0),
    ALU(6, "xor", F_AF),
    ALU(7, "cmp", 0),
    /* TEST: as AND, AF undefined. */
    SZ3("test E,G", OP1(0x84), OP1(0x85), EG, U(F_AF)),
    SZ3("test acc,imm", OP1(0xa8), OP1(0xa9), .imm = IMM_Z, U(F_AF)),
    SZ3("test E,imm", OP1(0xf6), OP1(0xf7), EX(0), .imm = IMM_Z, U(F_AF)),
    /* INC DEC NEG: all defined (INC/DEC leave CF alone). NOT: no flags. */
    SZ3("inc E", OP1(0xfe), OP1(0xff), EX(0)),
    SZ3("dec E", OP1(0xfe), OP1(0xff), EX(1)),
    SZV("inc r", OP1(0x40), OPR),
    SZV("dec r", OP1(0x48), OPR),
    SZ3("not E", OP1(0xf6), OP1(0xf7), EX(2)),
    SZ3("neg E", OP1(0xf6), OP1(0xf7), EX(3)),
    /* Shifts and rotates (per-count masks in shift_undef). */
    SHIFT(0, "rol"),
    SHIFT(1, "ror"),
    SHIFT(2, "rcl"),
    SHIFT(3, "rcr"),
    SHIFT(4, "shl"),
    SHIFT(5, "shr"),
    SHIFT(7, "sar"),
    /* SHLD/SHRD (per-count masks in gen_shld). */
    SZV("shld E,G,imm8", OP2(0x0f, 0xa4), EG, .gen = gen_shld, .arg = CNT_IMM),
    SZV("shld E,G,CL", OP2(0x0f, 0xa5), EG, .gen = gen_shld, .arg = CNT_CL),
    SZV("shrd E,G,imm8", OP2(0x0f, 0xac), EG, .gen = gen_shld, .arg = CNT_IMM),
    SZV("shrd E,G,CL", OP2(0x0f, 0xad), EG, .gen = gen_shld, .arg = CNT_CL),
    /* MUL and IMUL: SDM "The SF, ZF, AF, and PF flags are undefined." */
    SZ3("mul E", OP1(0xf6), OP1(0xf7), EX(4), U(SZAP)),
    SZ3("imul E", OP1(0xf6), OP1(0xf7), EX(5), U(SZAP)),
    SZV("imul G,E", OP2(0x0f, 0xaf), EG, U(SZAP)),
    SZV("imul G,E,imm8", OP1(0x6b), EG, .imm = IMM_8, U(SZAP)),
    SZV("imul G,E,imm", OP1(0x69), EG, .imm = IMM_Z, U(SZAP)),
    /* DIV IDIV: SDM "The CF, OF, SF, ZF, AF, and PF flags are undefined." */
    SZ3("div E", OP1(0xf6), OP1(0xf7), EX(6), .gen = gen_div, U(F_ARITH)),
    SZ3("idiv E", OP1(0xf6), OP1(0xf7), EX(7), .gen = gen_div, U(F_ARITH)),
    /* Moves and exchanges: no flags. */
    SZ3("mov E,G", OP1(0x88), OP1(0x89), EG),
    SZ3("mov G,E", OP1(0x8a), OP1(0x8b), EG),
    SZ3("mov E,imm", OP1(0xc6), OP1(0xc7), EX(0), .imm = IMM_Z),
    { .name = "mov r,imm/8", .size = 8, OP1(0xb0), OPR, .imm = IMM_Z },
    SZV("mov r,imm", OP1(0xb8), OPR, .imm = IMM_Z),
    SZ3("mov acc,moffs", OP1(0xa0), OP1(0xa1), .gen = gen_moffs),
    SZ3("mov moffs,acc", OP1(0xa2), OP1(0xa3), .gen = gen_moffs),
    SZV("movzx G,Eb", OP2(0x0f, 0xb6), EG, .esize = 1),
    { .name = "movzx Gd,Ew/32", .size = 32, OP2(0x0f, 0xb7), EG, .esize = 2 },
    SZV("movsx G,Eb", OP2(0x0f, 0xbe), EG, .esize = 1),
    { .name = "movsx Gd,Ew/32", .size = 32, OP2(0x0f, 0xbf), EG, .esize = 2 },
    SZV("lea G,M", OP1(0x8d), .gen = gen_lea),
    SZV("lea G,M a16", OP1(0x8d), .gen = gen_lea, .arg = A_ADDR16),
    SZ3("xchg E,G", OP1(0x86), OP1(0x87), EG),
    SZV("xchg acc,r", OP1(0x90), OPR),
    /* CMPXCHG, XADD: flags as CMP / ADD, all defined. CMPXCHG8B: ZF only. */
    SZ3("cmpxchg E,G", OP2(0x0f, 0xb0), OP2(0x0f, 0xb1), EG, .gen = gen_cmpxchg),
    { .name = "cmpxchg8b M/32", .size = 32, OP2(0x0f, 0xc7), EX(1), .emode = E_MEM, .esize = 8,
      .gen = gen_cmpxchg8b },
    SZ3("xadd E,G", OP2(0x0f, 0xc0), OP2(0x0f, 0xc1), EG),
    /* BSWAP: 32-bit only (SDM: with a 16-bit register the result is undefined). */
    { .name = "bswap r/32", .size = 32, OP2(0x0f, 0xc8), OPR },
    /* PUSH and POP in every form (no flags). */
    SZV("push r", OP1(0x50), OPR),
    SZV("pop r", OP1(0x58), OPR),
    SZV("push imm8", OP1(0x6a), .imm = IMM_8),
    SZV("push imm", OP1(0x68), .imm = IMM_Z),
    SZV("push E", OP1(0xff), EX(6)),
    SZV("pop E", OP1(0x8f), EX(0)),
    SZV("pusha", OP1(0x60)),
    SZV("popa", OP1(0x61)),
    SZV("pushf", OP1(0x9c), .gen = gen_pushf),
    SZV("popf", OP1(0x9d), .gen = gen_popf),
    SZV("enter", OP1(0xc8), .gen = gen_enter),
    SZV("leave", OP1(0xc9), .gen = gen_leave),
    { .name = "call rel32", .size = 32, OP1(0xe8), .gen = gen_call },
    { .name = "ret", .size = 32, OP1(0xc3), .gen = gen_ret },
    /* QEMU 7.2 sign-extends RET's imm16 (ESP += 4 - 0x52 for imm16 0xffae);
     * the SDM zero-extends it, as the host CPU does: skipped with ref=qemu. */
    { .name = "ret imm16", .size = 32, OP1(0xc2), .imm = IMM_16, .gen = gen_ret, .qemu_skip = 1 },
    /* Conditional and other branches, observable through a skipped MOV. */
    CC16(JCC8),
    CC16(JCC32),
    { .name = "jmp rel8", .size = 32, OP1(0xeb), .gen = gen_branch },
    { .name = "jmp rel32", .size = 32, OP1(0xe9), .gen = gen_branch },
    { .name = "loopne", .size = 32, OP1(0xe0), .gen = gen_branch },
    { .name = "loope", .size = 32, OP1(0xe1), .gen = gen_branch },
    { .name = "loop", .size = 32, OP1(0xe2), .gen = gen_branch },
    { .name = "jecxz", .size = 32, OP1(0xe3), .gen = gen_branch },
    { .name = "loopne a16", .size = 32, OP1(0xe0), .gen = gen_branch, .arg = A_ADDR16 },
    { .name = "loope a16", .size = 32, OP1(0xe1), .gen = gen_branch, .arg = A_ADDR16 },
    { .name = "loop a16", .size = 32, OP1(0xe2), .gen = gen_branch, .arg = A_ADDR16 },
    { .name = "jcxz a16", .size = 32, OP1(0xe3), .gen = gen_branch, .arg = A_ADDR16 },
    CC16(SETCC),
    CC16(CMOVCC),
    /* String instructions; SCAS/CMPS flags as CMP, all defined. */
    STR("movs", 0xa4, 0xa5, REP_NONE),
    STR("rep movs", 0xa4, 0xa5, REP_F3),
    STR("stos", 0xaa, 0xab, REP_NONE),
    STR("rep stos", 0xaa, 0xab, REP_F3),
    STR("lods", 0xac, 0xad, REP_NONE),
    STR("rep lods", 0xac, 0xad, REP_F3),
    STR("scas", 0xae, 0xaf, REP_NONE),
    STR("repe scas", 0xae, 0xaf, REP_F3),
    STR("repne scas", 0xae, 0xaf, REP_F2),
    STR("cmps", 0xa6, 0xa7, REP_NONE),
    STR("repe cmps", 0xa6, 0xa7, REP_F3),
    STR("repne cmps", 0xa6, 0xa7, REP_F2),
    /* Flag instructions. */
    { .name = "clc", .size = 32, OP1(0xf8) },
    { .name = "stc", .size = 32, OP1(0xf9) },
    { .name = "cmc", .size = 32, OP1(0xf5) },
    { .name = "cld", .size = 32, OP1(0xfc) },
    { .name = "std", .size = 32, OP1(0xfd) },
    { .name = "lahf", .size = 32, OP1(0x9f) },
    { .name = "sahf", .size = 32, OP1(0x9e) },
    /* Sign extensions. */
    SZV("cbw/cwde", OP1(0x98)),
    SZV("cwd/cdq", OP1(0x99)),
    /* Bit tests: SDM BT "The CF flag contains the value of the selected
     * bit. The ZF flag is unaffected. The OF, SF, AF, and PF flags are
     * undefined." */
    SZV("bt E,G", OP2(0x0f, 0xa3), .gen = gen_bt, U(F_OF | F_SF | F_AF | F_PF)),
    SZV("bts E,G", OP2(0x0f, 0xab), .gen = gen_bt, U(F_OF | F_SF | F_AF | F_PF)),
    SZV("btr E,G", OP2(0x0f, 0xb3), .gen = gen_bt, U(F_OF | F_SF | F_AF | F_PF)),
    SZV("btc E,G", OP2(0x0f, 0xbb), .gen = gen_bt, U(F_OF | F_SF | F_AF | F_PF)),
    SZV("bt E,imm8", OP2(0x0f, 0xba), EX(4), .imm = IMM_8, U(F_OF | F_SF | F_AF | F_PF)),
    SZV("bts E,imm8", OP2(0x0f, 0xba), EX(5), .imm = IMM_8, U(F_OF | F_SF | F_AF | F_PF)),
    SZV("btr E,imm8", OP2(0x0f, 0xba), EX(6), .imm = IMM_8, U(F_OF | F_SF | F_AF | F_PF)),
    SZV("btc E,imm8", OP2(0x0f, 0xba), EX(7), .imm = IMM_8, U(F_OF | F_SF | F_AF | F_PF)),
    /* BSF/BSR: SDM "The ZF flag is set to 1 if the source operand is 0;
     * otherwise, ZF is cleared. The CF, OF, SF, AF, and PF flags are
     * undefined." */
    SZV("bsf G,E", OP2(0x0f, 0xbc), EG, .gen = gen_bsf, U(F_CF | F_OF | F_SF | F_AF | F_PF)),
    SZV("bsr G,E", OP2(0x0f, 0xbd), EG, .gen = gen_bsf, U(F_CF | F_OF | F_SF | F_AF | F_PF)),
    /* Decimal adjust. SDM DAA/DAS: "The OF flag is undefined."
     * AAA/AAS: "The OF, SF, ZF, and PF flags are undefined."
     * AAM/AAD: "The OF, AF, and CF flags are undefined." */
    { .name = "daa", .size = 32, OP1(0x27), U(F_OF) },
    { .name = "das", .size = 32, OP1(0x2f), U(F_OF) },
    { .name = "aaa", .size = 32, OP1(0x37), U(F_OF | F_SF | F_ZF | F_PF) },
    { .name = "aas", .size = 32, OP1(0x3f), U(F_OF | F_SF | F_ZF | F_PF) },
    { .name = "aam imm8", .size = 32, OP1(0xd4), .gen = gen_aam, U(F_OF | F_AF | F_CF) },
    { .name = "aad imm8", .size = 32, OP1(0xd5), .gen = gen_aam, U(F_OF | F_AF | F_CF) },
    /* Producer + consumer pairs (see gen_pair); undefined flags are the
     * producer's, less those the consumer defines. */
    PAIRS(PAIR_SETCC, "pair: X; setcc"),
    PAIRS(PAIR_CMOV, "pair: X; cmovcc"),
    PAIRS(PAIR_JCC, "pair: X; jcc"),
    PAIRS(PAIR_ADC, "pair: X; adc/sbb"),
    PAIRS(PAIR_LAHF, "pair: X; lahf"),
    PAIRS(PAIR_RCL, "pair: X; rcl/rcr 1"),
    PAIRS(PAIR_INC, "pair: X; inc"),
    PAIRS(PAIR_SHL0, "pair: X; shl 0"),
    /* Forms of 32-bit mode that 64-bit mode does not have (checked live
     * where the host runs 32-bit code, else against a recording).
     * BOUND: no flags. INTO: #OF (a trap) when OF=1. SALC (undocumented,
     * AL = CF ? FF : 00): no flags. ARPL: ZF only. Segment register pushes
     * and pops, LDS and its kin: no flags. */
    SZV("bound G,M", OP1(0x62), .gen = gen_bound),
    { .name = "into", .size = 32, OP1(0xce) },
    { .name = "salc", .size = 32, OP1(0xd6) },
    { .name = "arpl Ew,Gw", .size = 32, .esize = 2, OP1(0x63), EG },
    SZV("push es", OP1(0x06), .gen = gen_pushseg),
    SZV("push cs", OP1(0x0e), .gen = gen_pushseg),
    SZV("push ss", OP1(0x16), .gen = gen_pushseg),
    SZV("push ds", OP1(0x1e), .gen = gen_pushseg),
    SZV("push fs", OP2(0x0f, 0xa0), .gen = gen_pushseg),
    SZV("push gs", OP2(0x0f, 0xa8), .gen = gen_pushseg),
    SZV("pop es", OP1(0x07), .gen = gen_popseg),
    SZV("pop ss", OP1(0x17), .gen = gen_popseg),
    SZV("pop ds", OP1(0x1f), .gen = gen_popseg),
    SZV("pop fs", OP2(0x0f, 0xa1), .gen = gen_popseg),
    SZV("pop gs", OP2(0x0f, 0xa9), .gen = gen_popseg),
    SZV("les G,Mp", OP1(0xc4), .gen = gen_lxs),
    SZV("lds G,Mp", OP1(0xc5), .gen = gen_lxs),
    SZV("lss G,Mp", OP2(0x0f, 0xb2), .gen = gen_lxs),
    SZV("lfs G,Mp", OP2(0x0f, 0xb4), .gen = gen_lxs),
    SZV("lgs G,Mp", OP2(0x0f, 0xb5), .gen = gen_lxs),
    /* NOP forms: 90, 66 90, PAUSE (F3 90), 0F 1F /0 (nothing accessed). */
    { .name = "nop", .size = 32, OP1(0x90) },
    { .name = "nop/16", .size = 16, OP1(0x90) },
    { .name = "pause", .size = 32, OP2(0xf3, 0x90) },
    SZV("nop E", OP2(0x0f, 0x1f), EX(0)),
};

const unsigned diff_nforms = sizeof(diff_forms) / sizeof(diff_forms[0]);

/* Which forms a sequence (diff_seq.c) may contain: not those whose result
 * is masked or placed at run time relative to where the case ends (PUSHF,
 * PUSH Sreg: bytes at the final ESP; POP Sreg, LDS..: a selector placed
 * before the run, which an earlier instruction could overwrite; RET: the
 * return address at the initial ESP), nor BSF/BSR (an undefined
 * destination that later instructions would read), nor the pairs (already
 * two instructions). POPF only first (its image sits at the initial ESP;
 * any other image could set TF or AC), ENTER once (each may move ESP down
 * by 2 KiB). */
int diff_form_seq_use(const struct form *f)
{
    if (f->gen == gen_pushf || f->gen == gen_pushseg || f->gen == gen_popseg ||
        f->gen == gen_lxs || f->gen == gen_ret || f->gen == gen_bsf || f->gen == gen_pair)
        return SEQ_NO;
    if (f->gen == gen_popf)
        return SEQ_FIRST;
    if (f->gen == gen_enter)
        return SEQ_ONCE;
    return SEQ_YES;
}

/* The flags an instruction reads and those it may modify, by the first
 * word of the form's name (SDM 2, each instruction's "Flags Affected" and
 * "Operation"; SDM 1 B.1 for condition codes). A form not listed reads
 * every arithmetic flag and modifies none: both err on the safe side
 * (a sequence then never lets it read an undefined flag, and an undefined
 * flag stays masked across it). Shifts and rotates modify flags only with
 * a nonzero masked count. */
#define SZAPC (F_SF | F_ZF | F_AF | F_PF | F_CF)
enum { W_SHIFT = 1, W_ROT };
static const struct flag_use {
    const char *word;
    uint32_t reads, writes;
    uint8_t counted; /* W_SHIFT: all six when the count is nonzero; W_ROT: CF OF */
} flag_uses[] = {
    { "add", 0, F_ARITH, 0 }, { "or", 0, F_ARITH, 0 }, { "adc", F_CF, F_ARITH, 0 },
    { "sbb", F_CF, F_ARITH, 0 }, { "and", 0, F_ARITH, 0 }, { "sub", 0, F_ARITH, 0 },
    { "xor", 0, F_ARITH, 0 }, { "cmp", 0, F_ARITH, 0 }, { "test", 0, F_ARITH, 0 },
    { "inc", 0, F_ARITH & ~F_CF, 0 }, { "dec", 0, F_ARITH & ~F_CF, 0 },
    { "neg", 0, F_ARITH, 0 }, { "not", 0, 0, 0 },
    { "rol", 0, 0, W_ROT }, { "ror", 0, 0, W_ROT }, { "rcl", F_CF, 0, W_ROT },
    { "rcr", F_CF, 0, W_ROT }, { "shl", 0, 0, W_SHIFT }, { "shr", 0, 0, W_SHIFT },
    { "sar", 0, 0, W_SHIFT }, { "shld", 0, 0, W_SHIFT }, { "shrd", 0, 0, W_SHIFT },
    { "mul", 0, F_ARITH, 0 }, { "imul", 0, F_ARITH, 0 }, { "div", 0, F_ARITH, 0 },
    { "idiv", 0, F_ARITH, 0 },
    { "mov", 0, 0, 0 }, { "movzx", 0, 0, 0 }, { "movsx", 0, 0, 0 }, { "lea", 0, 0, 0 },
    { "xchg", 0, 0, 0 }, { "cmpxchg", 0, F_ARITH, 0 }, { "cmpxchg8b", 0, F_ZF, 0 },
    { "xadd", 0, F_ARITH, 0 }, { "bswap", 0, 0, 0 },
    { "push", 0, 0, 0 }, { "pop", 0, 0, 0 }, { "pusha", 0, 0, 0 }, { "popa", 0, 0, 0 },
    { "popf", 0, F_ARITH | F_DF, 0 }, { "enter", 0, 0, 0 }, { "leave", 0, 0, 0 },
    { "call", 0, 0, 0 }, { "jmp", 0, 0, 0 }, { "loopne", F_ZF, 0, 0 },
    { "loope", F_ZF, 0, 0 }, { "loop", 0, 0, 0 }, { "jecxz", 0, 0, 0 }, { "jcxz", 0, 0, 0 },
    /* String ops: SCAS/CMPS define all six; with REP and ECX 0 nothing. */
    { "movs", 0, 0, 0 }, { "stos", 0, 0, 0 }, { "lods", 0, 0, 0 }, { "rep", 0, 0, 0 },
    { "scas", 0, F_ARITH, 0 }, { "cmps", 0, F_ARITH, 0 }, { "repe", 0, 0, 0 },
    { "repne", 0, 0, 0 },
    { "clc", 0, F_CF, 0 }, { "stc", 0, F_CF, 0 }, { "cmc", F_CF, F_CF, 0 },
    { "cld", 0, F_DF, 0 }, { "std", 0, F_DF, 0 }, { "lahf", SZAPC, 0, 0 },
    { "sahf", 0, SZAPC, 0 }, { "cbw", 0, 0, 0 }, { "cwd", 0, 0, 0 },
    { "bt", 0, F_CF, 0 }, { "bts", 0, F_CF, 0 }, { "btr", 0, F_CF, 0 }, { "btc", 0, F_CF, 0 },
    /* DAA/DAS read AF and CF; AAA/AAS read AF (SDM "Operation"). */
    { "daa", F_AF | F_CF, SZAPC, 0 }, { "das", F_AF | F_CF, SZAPC, 0 },
    { "aaa", F_AF, F_AF | F_CF, 0 }, { "aas", F_AF, F_AF | F_CF, 0 },
    { "aam", 0, F_SF | F_ZF | F_PF, 0 }, { "aad", 0, F_SF | F_ZF | F_PF, 0 },
    { "bound", 0, 0, 0 }, { "into", F_OF, 0, 0 }, { "salc", F_CF, 0, 0 },
    { "arpl", 0, F_ZF, 0 }, { "nop", 0, 0, 0 }, { "pause", 0, 0, 0 },
};

static const struct flag_use *flag_use_find(const struct form *f)
{
    unsigned i, k;

    for (i = 0; i < sizeof(flag_uses) / sizeof(flag_uses[0]); i++) {
        const char *w = flag_uses[i].word;
        for (k = 0; w[k] && f->name[k] == w[k]; k++)
            ;
        if (!w[k] && (f->name[k] == ' ' || f->name[k] == '/' || f->name[k] == 0))
            return &flag_uses[i];
    }
    return 0;
}

/* The names are looked up once per form (sequences ask for every draw). */
static const struct flag_use *flag_use_of(const struct form *f)
{
    static const struct flag_use *cache[sizeof(diff_forms) / sizeof(diff_forms[0])];
    static uint8_t known[sizeof(diff_forms) / sizeof(diff_forms[0])];
    unsigned i = (unsigned)(f - diff_forms);

    if (!known[i]) {
        cache[i] = flag_use_find(f);
        known[i] = 1;
    }
    return cache[i];
}

uint32_t diff_form_reads(const struct form *f)
{
    const struct flag_use *u = flag_use_of(f);

    /* Jcc, SETcc, CMOVcc: the condition in the opcode's low nibble. */
    if (f->gen == gen_branch && (f->op[f->nop - 1] & 0xf0) != 0xe0 && f->op[0] != 0xeb &&
        f->op[0] != 0xe9)
        return cc_reads[(f->op[f->nop - 1] & 15) >> 1];
    if (f->nop == 2 && f->op[0] == 0x0f && ((f->op[1] & 0xf0) == 0x90 || (f->op[1] & 0xf0) == 0x40))
        return cc_reads[(f->op[1] & 15) >> 1];
    return u ? u->reads : F_ARITH;
}

uint32_t diff_form_writes(const struct form *f, int shift_cnt)
{
    const struct flag_use *u = flag_use_of(f);

    if (!u)
        return 0;
    if (u->counted)
        return shift_cnt <= 0 ? 0 : u->counted == W_ROT ? F_CF | F_OF : F_ARITH;
    return u->writes;
}
