/* diff_gen.c - the differential test's case generator: turns (seed, case
 * number) into one instruction with random operands, random initial
 * registers, flags and memory, obeying the form's constraints (divisors
 * that cannot fault unless the case means to, string counts that stay in
 * the buffer, addresses inside the scratch areas). The forms themselves and
 * their undefined-flag masks are the table in diff_forms.c.
 * Built twice: natively (gcc -m32) and freestanding for the guest, so it
 * uses 32-bit arithmetic only (no libgcc 64-bit division).
 */
#include "tests/diff/diff_gen.h"

/* xorshift64* (Vigna): small, fast, and identical on both builds. */
uint32_t gen_rnd(struct gen *g)
{
    g->s ^= g->s >> 12;
    g->s ^= g->s << 25;
    g->s ^= g->s >> 27;
    return (uint32_t)((g->s * 0x2545F4914F6CDD1DULL) >> 32);
}

uint32_t gen_below(struct gen *g, uint32_t n)
{
    return gen_rnd(g) % n;
}

/* Operand values: a mix of boundary values (per byte and whole), small
 * positive and negative numbers and uniform noise, so that carries,
 * overflows and sign changes happen often. */
uint32_t gen_val(struct gen *g)
{
    static const uint32_t edge[16] = {
        0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff,
        0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
        0xfffffffe, 0x80000001,
    };
    static const uint8_t edge8[8] = { 0, 1, 0x7f, 0x80, 0xff, 0x0f, 0x99, 0xfe };
    uint32_t r = gen_rnd(g);
    uint32_t v = 0;
    unsigned i;

    switch (r & 7) {
    case 0:
        return gen_rnd(g) & 0xff;
    case 1:
        return edge[(r >> 3) & 15];
    case 2:
        for (i = 0; i < 4; i++)
            v |= (uint32_t)((r >> (8 + 3 * i)) & 1 ? edge8[(r >> (9 + 3 * i)) & 7]
                                                  : gen_rnd(g) & 0xff) << (8 * i);
        return v;
    case 3:
        return -(gen_rnd(g) & 0xff);
    default:
        return gen_rnd(g);
    }
}

void gen_emit(struct gen *g, uint8_t b)
{
    g->body[g->nbody++] = b;
}

void gen_imm(struct gen *g, uint32_t v, unsigned bytes)
{
    unsigned i;

    for (i = 0; i < bytes; i++)
        gen_emit(g, (uint8_t)(v >> (8 * i)));
}

void gen_prefix(struct gen *g, uint8_t b)
{
    g->pfx[g->npfx++] = b;
}

uint32_t gen_mask(unsigned bytes)
{
    return bytes >= 4 ? 0xffffffffu : (1u << (8 * bytes)) - 1;
}

/* Register parts: 8-bit numbers 4..7 are AH, CH, DH, BH. */
uint32_t gen_reg_get(struct gen *g, unsigned r, unsigned bytes)
{
    if (bytes == 1)
        return r < 4 ? g->c->in.r[r] & 0xff : (g->c->in.r[r - 4] >> 8) & 0xff;
    return g->c->in.r[r] & gen_mask(bytes);
}

void gen_reg_set(struct gen *g, unsigned r, unsigned bytes, uint32_t v)
{
    if (bytes == 1 && r >= 4) {
        g->c->in.r[r - 4] = (g->c->in.r[r - 4] & ~0xff00u) | (v & 0xff) << 8;
        g->set |= (uint8_t)(1u << (r - 4));
        return;
    }
    g->c->in.r[r] = (g->c->in.r[r] & ~gen_mask(bytes)) | (v & gen_mask(bytes));
    g->set |= (uint8_t)(1u << r);
}

void gen_reg_put(struct gen *g, unsigned r, uint32_t v)
{
    g->c->in.r[r] = v;
    g->set |= (uint8_t)(1u << r);
}

static uint8_t *gen_mem_ptr(struct gen *g, uint32_t addr)
{
    if (addr >= DIFF_DATA && addr < DIFF_DATA + DIFF_DATA_SIZE)
        return &g->c->data[addr - DIFF_DATA];
    if (addr >= DIFF_STACK && addr < DIFF_STACK + DIFF_STACK_SIZE)
        return &g->c->stack[addr - DIFF_STACK];
    return 0;
}

void gen_mem_set(struct gen *g, uint32_t addr, unsigned bytes, uint32_t v)
{
    unsigned i;

    for (i = 0; i < bytes; i++) {
        uint8_t *p = gen_mem_ptr(g, addr + i);
        if (p)
            *p = (uint8_t)(v >> (8 * (i & 3)));
    }
}

uint32_t gen_mem_get(struct gen *g, uint32_t addr, unsigned bytes)
{
    uint32_t v = 0;
    unsigned i;

    for (i = 0; i < bytes && i < 4; i++) {
        uint8_t *p = gen_mem_ptr(g, addr + i);
        v |= (uint32_t)(p ? *p : 0) << (8 * i);
    }
    return v;
}

uint32_t gen_e_get(struct gen *g, const struct eop *e, unsigned bytes)
{
    return e->mem ? gen_mem_get(g, e->addr, bytes) : gen_reg_get(g, e->reg, bytes);
}

void gen_e_set(struct gen *g, const struct eop *e, unsigned bytes, uint32_t v)
{
    if (e->mem)
        gen_mem_set(g, e->addr, bytes, v);
    else
        gen_reg_set(g, e->reg, bytes, v);
}

/* A random register among `allowed`; -1 when there is none. */
static int gen_pick(struct gen *g, uint8_t allowed)
{
    unsigned n = 0, k, r;

    for (r = 0; r < 8; r++)
        n += allowed >> r & 1;
    if (n == 0)
        return -1;
    k = gen_below(g, n);
    for (r = 0; r < 8; r++)
        if ((allowed >> r & 1) && k-- == 0)
            break;
    return (int)r;
}

/* A memory operand (32-bit addressing) for an access of `bytes` at a
 * random place in the data area (or near ESP in the stack area), through a
 * random addressing form: absolute, base, base+disp8/32, SIB with index and
 * scale, index only, or ESP-based. The registers it uses get the values
 * that make the address come out right and become fixed. */
static void gen_mem_operand(struct gen *g, unsigned regf, unsigned bytes, struct eop *e)
{
    uint8_t free = (uint8_t)~(g->fixed | 1u << R_ESP);
    uint32_t target, disp, idxv;
    int base, index;
    unsigned kind = gen_rnd(g) & 7, scale;

    e->mem = 1;
    if (bytes > 8)
        bytes = 8;
    if (g->force_addr) {
        target = g->force_addr;
        if (kind == 7)
            kind = 1;
    } else if (kind == 7 && !g->later) {
        uint32_t esp = g->c->in.r[R_ESP];
        target = DIFF_STACK + 8 + gen_below(g, DIFF_STACK_SIZE - 16 - bytes);
        gen_emit(g, (uint8_t)(0x44 | regf << 3));
        gen_emit(g, 0x24);
        gen_emit(g, (uint8_t)(target - esp));
        e->addr = target;
        return;
    } else {
        target = DIFF_DATA + gen_below(g, DIFF_DATA_SIZE - bytes + 1);
        if (kind == 7)
            kind = 1;
    }
    e->addr = target;
    base = gen_pick(g, free);
    index = gen_pick(g, (uint8_t)(free & ~(base >= 0 ? 1u << base : 0)));
    if (base < 0)
        kind = 0;
    if (index < 0 && (kind == 4 || kind == 5 || kind == 6))
        kind = 2;
    if (kind == 1 && base == R_EBP)
        kind = 2;
    switch (kind) {
    case 0: /* [disp32] */
        gen_emit(g, (uint8_t)(0x05 | regf << 3));
        gen_imm(g, target, 4);
        break;
    case 1: /* [base] */
        gen_emit(g, (uint8_t)(regf << 3 | (unsigned)base));
        gen_reg_put(g, (unsigned)base, target);
        break;
    case 2: /* [base+disp8] */
        disp = (uint32_t)(int32_t)(int8_t)gen_rnd(g);
        gen_emit(g, (uint8_t)(0x40 | regf << 3 | (unsigned)base));
        gen_emit(g, (uint8_t)disp);
        gen_reg_put(g, (unsigned)base, target - disp);
        break;
    case 3: /* [base+disp32] */
        disp = gen_val(g);
        gen_emit(g, (uint8_t)(0x80 | regf << 3 | (unsigned)base));
        gen_imm(g, disp, 4);
        gen_reg_put(g, (unsigned)base, target - disp);
        break;
    case 4:
    case 5: /* [base+index*scale+disp8] */
        scale = gen_rnd(g) & 3;
        idxv = gen_val(g);
        disp = (uint32_t)(int32_t)(int8_t)gen_rnd(g);
        gen_emit(g, (uint8_t)(0x44 | regf << 3));
        gen_emit(g, (uint8_t)(scale << 6 | (unsigned)index << 3 | (unsigned)base));
        gen_emit(g, (uint8_t)disp);
        gen_reg_put(g, (unsigned)index, idxv);
        gen_reg_put(g, (unsigned)base, target - disp - (idxv << scale));
        break;
    default: /* [index*scale+disp32] */
        scale = gen_rnd(g) & 3;
        idxv = gen_val(g);
        gen_emit(g, (uint8_t)(0x04 | regf << 3));
        gen_emit(g, (uint8_t)(scale << 6 | (unsigned)index << 3 | 5));
        gen_imm(g, target - (idxv << scale), 4);
        gen_reg_put(g, (unsigned)index, idxv);
        break;
    }
    if (base >= 0 && kind != 0 && kind != 6)
        g->fixed |= (uint8_t)(1u << base);
    if (index >= 0 && kind >= 4)
        g->fixed |= (uint8_t)(1u << index);
    if (gen_rnd(g) & 1)
        gen_mem_set(g, target, bytes, gen_val(g));
}

/* A memory operand with 16-bit addressing (prefix 0x67, SDM 2 Table 2-1)
 * at a random place in the data area, reached through FS, whose segment
 * starts at DIFF_AREA (diff.h): [BX/BP + SI/DI], [SI], [DI], [BX], [BP]
 * with no, an 8-bit or a 16-bit displacement, or [disp16]. The registers
 * get low halves that make the 16-bit sum come out right (it wraps at
 * 64 KiB) and random upper halves, which the address must ignore. */
static void gen_mem16(struct gen *g, unsigned regf, unsigned bytes, struct eop *e)
{
    static const int8_t base_of[8] = { R_EBX, R_EBX, R_EBP, R_EBP, -1, -1, R_EBP, R_EBX };
    static const int8_t index_of[8] = { R_ESI, R_EDI, R_ESI, R_EDI, R_ESI, R_EDI, -1, -1 };
    unsigned rm = gen_rnd(g) & 7, mod = gen_below(g, 3), dispb;
    uint32_t target, sum, disp, idxv;
    int b = base_of[rm], x = index_of[rm];

    if (bytes > 8)
        bytes = 8;
    if ((b >= 0 && (g->fixed >> b & 1)) || (x >= 0 && (g->fixed >> x & 1)))
        mod = 0, rm = 6;
    if (mod == 0 && rm == 6)
        b = x = -1;
    target = DIFF_DATA + gen_below(g, DIFF_DATA_SIZE - bytes + 1);
    e->mem = 1;
    e->addr = target;
    gen_prefix(g, 0x67);
    gen_prefix(g, 0x64);
    gen_emit(g, (uint8_t)(mod << 6 | regf << 3 | rm));
    dispb = mod == 1 ? 1 : mod == 2 || (mod == 0 && rm == 6) ? 2 : 0;
    disp = dispb == 1 ? (uint32_t)(int32_t)(int8_t)gen_rnd(g) : dispb == 2 ? gen_rnd(g) : 0;
    sum = target - DIFF_AREA - disp;
    if (b < 0 && x < 0) {
        disp = target - DIFF_AREA;
    } else if (b >= 0 && x >= 0) {
        idxv = gen_val(g);
        gen_reg_set(g, (unsigned)x, 2, idxv);
        gen_reg_set(g, (unsigned)b, 2, sum - idxv);
    } else {
        gen_reg_set(g, (unsigned)(b >= 0 ? b : x), 2, sum);
    }
    gen_imm(g, disp, dispb);
    if (b >= 0)
        g->fixed |= (uint8_t)(1u << b);
    if (x >= 0)
        g->fixed |= (uint8_t)(1u << x);
    if (gen_rnd(g) & 1)
        gen_mem_set(g, target, bytes, gen_val(g));
}

/* LOCK on one ModRM case in 32: allowed only on the read-modify-write
 * instructions with a memory destination, #UD otherwise (SDM LOCK); both
 * outcomes are compared. QEMU 7.2 gets LOCK wrong both ways — it aborts
 * ("tcg fatal error") on some forms with a register operand (lock bts
 * eax, imm8: f0 0f ba e8 a5) and raises no #UD for LOCK on a memory
 * operand of an instruction that is not lockable (lock rol byte [m], imm8)
 * — so every LOCK case is skipped with ref=qemu. */
static void gen_lock(struct gen *g)
{
    if ((gen_rnd(g) & 31) == 0) {
        gen_prefix(g, 0xf0);
        g->c->qemu_skip = 1;
    }
}

/* ModRM with reg field `regf` and an r/m operand of `bytes`: a register
 * (not in `excl`) or memory, as `mode` allows. A memory operand may get a
 * DS/ES/SS segment override (all flat, on both sides); one in 16 uses
 * 16-bit addressing instead (not at a forced address, which may need
 * 32-bit offsets from it). */
struct eop gen_modrm(struct gen *g, unsigned regf, unsigned bytes, int mode, uint8_t excl)
{
    struct eop e = { 0, 0, 0 };

    if (g->noesp && bytes != 1)
        excl |= 1u << R_ESP;
    if (mode == E_REG || (mode == E_ANY && (gen_rnd(g) & 1))) {
        int rm = gen_pick(g, (uint8_t)~excl);
        e.reg = (unsigned)rm;
        gen_emit(g, (uint8_t)(0xc0 | regf << 3 | (unsigned)rm));
        gen_lock(g);
        return e;
    }
    if (!g->force_addr && (gen_rnd(g) & 15) == 0) {
        gen_mem16(g, regf, bytes, &e);
        gen_lock(g);
        return e;
    }
    if ((gen_rnd(g) & 3) == 0) {
        static const uint8_t seg[3] = { 0x26, 0x36, 0x3e };
        gen_prefix(g, seg[gen_below(g, 3)]);
    }
    gen_mem_operand(g, regf, bytes, &e);
    gen_lock(g);
    return e;
}

/* The standard shape: [66] opcode [ModRM...] [imm]. */
void gen_head(struct gen *g, const struct form *f)
{
    unsigned i;

    if (f->size == 16)
        gen_prefix(g, 0x66);
    for (i = 0; i < f->nop; i++)
        gen_emit(g, f->op[i]);
}

unsigned gen_ebytes(const struct form *f)
{
    return f->esize ? f->esize : f->size / 8u;
}

/* The register operand of MR_G / MR_OPREG: any, but in a sequence not ESP
 * (number 4 is AH in 8-bit forms), which must keep pointing at the stack
 * for the instructions that follow. */
static unsigned gen_greg(struct gen *g, const struct form *f)
{
    unsigned r;

    do
        r = gen_rnd(g) & 7;
    while (g->noesp && r == R_ESP && f->size != 8);
    return r;
}

struct eop gen_operands(struct gen *g, const struct form *f, uint8_t excl)
{
    struct eop e = { 0, 0, 0 };

    switch (f->modrm) {
    case MR_EXT:
        e = gen_modrm(g, f->ext, gen_ebytes(f), f->emode, excl);
        break;
    case MR_G:
        g->greg = gen_greg(g, f);
        e = gen_modrm(g, g->greg, gen_ebytes(f), f->emode, excl);
        break;
    case MR_OPREG:
        g->greg = gen_greg(g, f);
        g->body[g->nbody - 1] = (uint8_t)(g->body[g->nbody - 1] + g->greg);
        break;
    default:
        break;
    }
    return e;
}

void gen_immediate(struct gen *g, const struct form *f)
{
    switch (f->imm) {
    case IMM_8:
        gen_imm(g, gen_val(g), 1);
        break;
    case IMM_Z:
        gen_imm(g, gen_val(g), f->size == 8 ? 1 : f->size / 8u);
        break;
    case IMM_16:
        gen_imm(g, gen_val(g), 2);
        break;
    default:
        break;
    }
}

void gen_std(struct gen *g, const struct form *f)
{
    gen_head(g, f);
    gen_operands(g, f, 0);
    gen_immediate(g, f);
}

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/* The generator's stream of case idx of the run with this seed. */
uint64_t gen_stream(uint64_t seed, uint32_t idx)
{
    return splitmix64(seed ^ splitmix64(idx)) | 1;
}

/* A fresh generator for case c on the given stream. */
void gen_start(struct gen *g, struct diff_case *c, uint64_t stream)
{
    g->c = c;
    g->s = stream;
    g->npfx = g->nbody = 0;
    g->fixed = 0;
    g->force_addr = 0;
    g->greg = 0;
    g->ret_slot = 0;
    g->noesp = 0;
    g->later = 0;
    g->set = 0;
    g->code16 = 0;
    g->shift_cnt = -1;
    c->undef = 0;
    c->undef_regs = 0;
    c->pushf_bytes = 0;
    c->pushsel_bytes = 0;
    c->sel_at = 0;
    c->sel_stack = 0;
    c->qemu_skip = 0;
    c->deep_stack = 0;
    c->npoints = 0;
    c->nforms = 0;
}

/* Random initial registers, flags and memory. */
void gen_init_state(struct gen *g)
{
    struct diff_case *c = g->c;
    unsigned i;
    uint32_t w;

    for (i = 0; i < 8; i++)
        c->in.r[i] = gen_val(g);
    /* ESP stays inside the compared stack area with room for PUSHA/POPA. */
    c->in.r[R_ESP] = DIFF_STACK + 48 + gen_below(g, 32);
    /* Random arithmetic flags and DF; bit 1 is always set; IF, TF, AC,
     * NT and ID stay clear (the guest runs with interrupts off). */
    c->in.eflags = (gen_rnd(g) & (F_ARITH | F_DF)) | 0x2;
    /* Memory noise from a cheap xorshift32 seeded by the case's stream,
     * stored a word at a time (both builds are x86): this runs once a case
     * in the guest too, so it is kept short. */
    w = gen_rnd(g) | 1;
    for (i = 0; i < DIFF_DATA_SIZE; i += 4) {
        w ^= w << 13;
        w ^= w >> 17;
        w ^= w << 5;
        __builtin_memcpy(&c->data[i], &w, 4);
    }
    for (i = 0; i < DIFF_STACK_SIZE; i += 4) {
        w ^= w << 13;
        w ^= w >> 17;
        w ^= w << 5;
        __builtin_memcpy(&c->stack[i], &w, 4);
    }
}

/* One instruction of form f into the generator's prefix and body buffers
 * (emptied first); its undefined flags land in c->undef. */
void gen_insn(struct gen *g, const struct form *f)
{
    g->npfx = g->nbody = 0;
    g->fixed = 0;
    g->force_addr = 0;
    g->greg = 0;
    g->set = 0;
    g->shift_cnt = -1;
    g->c->undef = f->undef;
    g->c->qemu_skip |= f->qemu_skip;
    (f->gen ? f->gen : gen_std)(g, f);
}

/* The instruction's bytes into out (returns their number): in 16-bit code
 * the size prefixes flipped, a segment
 * override where there is none, one case in 16 (ignored without a memory
 * operand, flat with one, and CS makes a write #GP on both sides, SDM 3A
 * 5.5: code segments are not writable; QEMU 7.2 does not check that, so
 * CS-override cases are skipped with ref=qemu; two prefixes of one group
 * are not generated, the SDM leaves their effect unspecified), and the
 * prefixes in random order: the decoder must accept any order. */
/* Remove prefix b if the instruction has it, else add it. */
static void gen_flip_prefix(struct gen *g, uint8_t b)
{
    unsigned i;

    for (i = 0; i < g->npfx && g->pfx[i] != b; i++)
        ;
    if (i == g->npfx) {
        gen_prefix(g, b);
        return;
    }
    for (; i + 1 < g->npfx; i++)
        g->pfx[i] = g->pfx[i + 1];
    g->npfx--;
}

unsigned gen_finish(struct gen *g, uint8_t *out)
{
    unsigned i, n = 0;

    /* In 16-bit code the operand- and address-size prefixes select what
     * their absence selects in 32-bit code (SDM 3A 21.1, 2 2.1.1), so
     * flipping both gives the instruction the sizes it was generated
     * for, now through the 16-bit defaults of the decoder. */
    if (g->code16) {
        gen_flip_prefix(g, 0x66);
        gen_flip_prefix(g, 0x67);
    }

    for (i = 0; i < g->npfx; i++)
        if (g->pfx[i] == 0x26 || g->pfx[i] == 0x2e || g->pfx[i] == 0x36 || g->pfx[i] == 0x3e ||
            g->pfx[i] == 0x64)
            break;
    if (i == g->npfx && (gen_rnd(g) & 15) == 0) {
        static const uint8_t seg[4] = { 0x26, 0x2e, 0x36, 0x3e };
        uint8_t p = seg[gen_rnd(g) & 3];
        gen_prefix(g, p);
        if (p == 0x2e)
            g->c->qemu_skip = 1;
    }
    for (i = g->npfx; i > 1; i--) {
        unsigned j = gen_below(g, i);
        uint8_t t = g->pfx[i - 1];
        g->pfx[i - 1] = g->pfx[j];
        g->pfx[j] = t;
    }
    for (i = 0; i < g->npfx; i++)
        out[n++] = g->pfx[i];
    for (i = 0; i < g->nbody; i++)
        out[n++] = g->body[i];
    return n;
}

void diff_gen_case(uint64_t seed, uint32_t idx, struct diff_case *c)
{
    const struct form *f = &diff_forms[idx % diff_nforms];
    struct gen g;

    gen_start(&g, c, gen_stream(seed, idx));
    c->name = f->name;
    gen_init_state(&g);
    gen_insn(&g, f);
    c->len = gen_finish(&g, c->code);
    /* RET returns to the jump back that follows the instruction. */
    if (g.ret_slot)
        gen_mem_set(&g, c->in.r[R_ESP], 4, DIFF_CODE + c->len);
}

unsigned diff_form_count(void)
{
    return diff_nforms;
}
