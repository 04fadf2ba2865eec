/*
 * helper_fpu.c - the x87 instructions that compute: arithmetic, compares,
 * loads and stores of every memory format, the register-stack operations
 * (FLD/FST ST(i), FXCH, FFREE, FINCSTP ...), FCMOVcc and FCOMI; and the
 * two helpers translated code calls for an x87 escape (D8-DF), one for
 * the register forms and one for the memory forms, which dispatch on the
 * opcode (SDM vol. 2 A.5, Tables ).
 *
 * Every result comes from base/float80.h; this file adds the machine: the
 * stack faults, which operand is the destination, popping, the masked and
 * unmasked responses (SDM vol. 1 8.5), and that memory is read before and
 * written before anything of the FPU changes, so a page fault leaves the
 * instruction restartable.
 */
#include "softmmu/access.h"
#include "translator/x86/cpu_access.h"
#include "translator/x86/fpu_internal.h"
#include "translator/x86/helpers.h"

/* ---- memory operands ---- */

static vaddr fpu_addr(const struct fpu_mem *m, unsigned off)
{
    uint32_t ea = m->ea + off;
    if (!m->a32)
        ea &= 0xffff;
    return m->base + ea;
}

void fpu_mem_check(struct cpu *cpu, const struct fpu_mem *m, unsigned size,
                   int kind)
{
    if (!cpu_seg_ok(cpu, m->seg, kind, m->ea, size))
        cpu_seg_fault(cpu, m->seg, m->ra);
    /* Then every page of the operand, in address order, before a byte of
     * it is read or written: the #PF (CR2 the first byte on the page that
     * faults) comes with nothing stored and the FPU untouched, as for an
     * access the processor makes whole. Pages the TLB holds for this
     * access cost a compare each. */
    int mmu = cpu_mmu_index(cpu);
    int acc = kind == SEG_ACC_WRITE ? ACC_WRITE : ACC_READ;
    for (unsigned off = 0; off < size;) {
        vaddr lin = cpu_lin(cpu, fpu_addr(m, off));
        struct tlb_entry *e = tlb_entry(&cpu->mmu.tlb, mmu, lin);
        vaddr tag = acc == ACC_WRITE ? e->tag_write : e->tag_read;
        if (tag != (lin & PAGE_MASK))
            tlb_fill(&cpu->mmu, lin, acc, mmu, m->ra);
        /* on to the next page, or to offset 0 where a 16-bit one wraps */
        unsigned step = PAGE_SIZE - (unsigned)(lin & ~PAGE_MASK);
        if (!m->a32 && 0x10000 - ((m->ea + off) & 0xffff) < step)
            step = 0x10000 - ((m->ea + off) & 0xffff);
        off += step;
    }
}

uint64_t fpu_ld(struct cpu *cpu, const struct fpu_mem *m, unsigned off,
                unsigned size)
{
    return cpu_ld(cpu, fpu_addr(m, off), size, cpu_mmu_index(cpu), m->ra);
}

void fpu_st(struct cpu *cpu, const struct fpu_mem *m, unsigned off, uint64_t v,
            unsigned size)
{
    cpu_st(cpu, fpu_addr(m, off), v, size, cpu_mmu_index(cpu), m->ra);
}

float80 fpu_ld80(struct cpu *cpu, const struct fpu_mem *m, unsigned off)
{
    uint64_t mant = fpu_ld(cpu, m, off, 8);
    uint16_t se = (uint16_t)fpu_ld(cpu, m, off + 8, 2);
    return F80_MAKE(se, mant);
}

/* The far end first: an operand whose last bytes lie on a page that
 * faults stores nothing. */
void fpu_st80(struct cpu *cpu, const struct fpu_mem *m, unsigned off, float80 v)
{
    fpu_st(cpu, m, off + 8, v.se, 2);
    fpu_st(cpu, m, off, v.mant, 8);
}

/* ---- one instruction's context, stack faults ---- */

void fpx_begin(struct fpx *x, struct cpu *cpu)
{
    x->cpu = cpu;
    x->f = &cpu->fpu;
    x->e = (struct f80_env){ .cw = cpu->fpu.cw, .sw = cpu->fpu.sw };
    x->raised = 0;
}

void fpx_end(struct fpx *x)
{
    x->f->sw = x->e.sw;
    if (fpx_unmasked(x))
        x->f->sw |= F80_ES | FPU_SW_B;
}

bool fpx_underflow(struct fpx *x)
{
    x->e.sw &= (uint16_t)~F80_C1;
    fpx_raise(x, F80_IE | F80_SF);
    return (x->e.cw & F80_IE) != 0;
}

bool fpx_overflow(struct fpx *x)
{
    x->e.sw |= F80_C1;
    fpx_raise(x, F80_IE | F80_SF);
    return (x->e.cw & F80_IE) != 0;
}

void fpx_push(struct fpx *x, float80 v)
{
    if (!fpu_empty(x->f, 7)) {
        if (!fpx_overflow(x))
            return;
        v = F80_INDEFINITE;
    }
    fpu_push(x->f, v);
}

/* The result of an operation on ST(i) and ST(j) (j < 0: one operand):
 * on an empty operand the underflow's masked response is the indefinite,
 * *ok = false when nothing may be written. */
static bool fpx_need(struct fpx *x, int i, int j)
{
    if (fpu_empty(x->f, i) || (j >= 0 && fpu_empty(x->f, j)))
        return false;
    return true;
}

/* ---- arithmetic ---- */

/* op as ModRM.reg of D8: 0 add, 1 mul, 4 sub, 5 subr, 6 div, 7 divr;
 * a is the destination's value. */
static float80 fpx_arith_op(struct fpx *x, unsigned op, float80 a, float80 b)
{
    float80 r;
    switch (op) {
    case 0: r = f80_add(&x->e, a, b); break;
    case 1: r = f80_mul(&x->e, a, b); break;
    case 4: r = f80_sub(&x->e, a, b); break;
    case 5: r = f80_sub(&x->e, b, a); break;
    case 6: r = f80_div(&x->e, a, b); break;
    default: r = f80_div(&x->e, b, a); break;
    }
    fpx_acc(x);
    return r;
}

/* ST(dst) = ST(dst) op ST(src), popping after with pop. */
static void fpx_arith_reg(struct fpx *x, unsigned op, int dst, int src,
                          bool pop)
{
    float80 r;
    if (!fpx_need(x, dst, src)) {
        if (!fpx_underflow(x))
            return;
        r = F80_INDEFINITE;
    } else {
        r = fpx_arith_op(x, op, fpu_st_get(x->f, dst), fpu_st_get(x->f, src));
        if (fpx_suppressed(x, false))
            return;
    }
    fpu_st_set(x->f, dst, r);
    if (pop)
        fpu_pop(x->f);
}

/* A memory operand of D8/DC (real) or DA/DE (integer), as a float80. An
 * SNaN stays signalling, so the operation raises IE and picks the NaN
 * from both significands as with a register; the conversion's DE (a
 * denormal single or double) yields to what the x87 ranks above it (SDM
 * vol. 1 4.9.2): an invalid or NaN ST(0). Returns false when an unmasked
 * DE stops the instruction (C1 = 0, as the host x87 leaves it). */
static bool fpx_mem_operand(struct fpx *x, unsigned esc, unsigned reg,
                            const struct fpu_mem *m, float80 *out)
{
    struct cpu *cpu = x->cpu;
    struct f80_env ce = { .cw = F80_CW_DEFAULT, .sw = 0 };
    switch (esc) {
    case 0: *out = f80_from_f32(&ce, (uint32_t)fpu_ld(cpu, m, 0, 4)); break;
    case 4: *out = f80_from_f64(&ce, fpu_ld(cpu, m, 0, 8)); break;
    case 2: *out = f80_from_i64((int32_t)fpu_ld(cpu, m, 0, 4)); return true;
    default: *out = f80_from_i64((int16_t)fpu_ld(cpu, m, 0, 2)); return true;
    }
    unsigned r = ce.raised;
    if ((r & F80_IE) && f80_is_nan(*out)) {
        out->mant &= ~F80_QUIET;
        r &= ~(unsigned)F80_IE;
    }
    if ((r & F80_DE) && !fpu_empty(x->f, 0)) {
        enum f80_class c = f80_classify(fpu_st_get(x->f, 0));
        /* ZE outranks DE too: FDIVR m by a zero ST(0) */
        if (c == F80_CLASS_QNAN || c == F80_CLASS_SNAN ||
            c == F80_CLASS_UNSUPPORTED || (reg == 7 && c == F80_CLASS_ZERO))
            r &= ~(unsigned)F80_DE;
    }
    if (r)
        fpx_raise(x, r);
    if (!fpx_suppressed(x, false))
        return true;
    x->e.sw &= (uint16_t)~F80_C1;
    return false;
}

/* ---- compares ---- */

/* FCOM/FUCOM of ST(0) with b; pops times after. */
static void fpx_com(struct fpx *x, float80 b, bool b_empty, bool quiet,
                    int pops)
{
    if (fpu_empty(x->f, 0) || b_empty) {
        /* unordered, even when the #IS is unmasked (then no pop) */
        bool masked = fpx_underflow(x);
        x->e.sw |= F80_C3 | F80_C2 | F80_C0;
        if (!masked)
            return;
    } else {
        f80_compare(&x->e, fpu_st_get(x->f, 0), b, quiet);
        fpx_acc(x);
        if (fpx_suppressed(x, false))
            return;
    }
    while (pops-- > 0)
        fpu_pop(x->f);
}

/* FCOMI/FUCOMI(P) ST(0), ST(i) (SDM vol. 2 FCOMI): ZF PF CF are what
 * C3 C2 C0 would be, OF SF AF are cleared; C1 = 0, C0 C2 C3 unchanged.
 * Under an unmasked #IA (a NaN, an unsupported format) ZF PF CF stay as
 * they were (SDM: "set only if the exception is masked") and nothing is
 * popped. A stack underflow and an unmasked #D, on which the SDM is
 * silent, set them as the host x87 does (underflow: unordered, even
 * unmasked; #D: the comparison, without the pop). (The AMD host keeps C1
 * and sets ZF PF CF under an unmasked #IA too: the SDM decides,
 * test_fpu_diff.c accepts and counts those cases.) */
static void fpx_comi(struct fpx *x, int i, bool quiet, bool pop)
{
    uint16_t cc = x->e.sw & (F80_C0 | F80_C2 | F80_C3);
    uint32_t fl;
    if (!fpx_need(x, 0, i)) {
        bool masked = fpx_underflow(x);
        cpu_set_eflags(x->cpu, EFLAGS_ZF | EFLAGS_PF | EFLAGS_CF, EFLAGS_ARITH);
        if (masked && pop)
            fpu_pop(x->f);
        return;
    }
    enum f80_relation rel =
        f80_compare(&x->e, fpu_st_get(x->f, 0), fpu_st_get(x->f, i), quiet);
    fpx_acc(x);
    x->e.sw = (uint16_t)((x->e.sw & ~F80_CC_MASK) | cc);
    if (fpx_unmasked(x) & F80_IE) {
        cpu_set_eflags(x->cpu, 0, EFLAGS_OF | EFLAGS_SF | EFLAGS_AF);
        return;
    }
    fl = rel == F80_LESS      ? EFLAGS_CF
         : rel == F80_EQUAL   ? EFLAGS_ZF
         : rel == F80_GREATER ? 0
                              : EFLAGS_ZF | EFLAGS_PF | EFLAGS_CF;
    cpu_set_eflags(x->cpu, fl, EFLAGS_ARITH);
    /* an unmasked #D: the flags are set (the host x87), no pop */
    if (pop && !fpx_suppressed(x, false))
        fpu_pop(x->f);
}

/* ---- one-operand operations on ST(0) ---- */

static void fpx_unary(struct fpx *x, unsigned modrm)
{
    struct x87_state *f = x->f;
    float80 r;
    if (fpu_empty(f, 0)) {
        if (modrm == 0xe5) { /* FXAM of an empty register: no fault */
            f80_xam(&x->e, fpu_st_get(f, 0), true);
            return;
        }
        bool masked = fpx_underflow(x);
        if (modrm == 0xe4) { /* FTST: unordered, even unmasked */
            x->e.sw |= F80_C3 | F80_C2 | F80_C0;
            return;
        }
        if (masked)
            fpu_st_set(f, 0, F80_INDEFINITE);
        return;
    }
    float80 a = fpu_st_get(f, 0);
    switch (modrm) {
    case 0xe0:
        r = f80_chs(a);
        x->e.sw &= (uint16_t)~F80_C1;
        break;
    case 0xe1:
        r = f80_abs(a);
        x->e.sw &= (uint16_t)~F80_C1;
        break;
    case 0xe4:
        f80_compare(&x->e, a, F80_ZERO, false);
        fpx_acc(x);
        return;
    case 0xe5: f80_xam(&x->e, a, false); return;
    case 0xfa: r = f80_sqrt(&x->e, a); break;
    default: r = f80_rndint(&x->e, a); break; /* 0xfc */
    }
    fpx_acc(x);
    if (!fpx_suppressed(x, false))
        fpu_st_set(f, 0, r);
}

/* FPREM FPREM1 FSCALE: ST(0) = f(ST(0), ST(1)). */
static void fpx_binary01(struct fpx *x, unsigned modrm)
{
    float80 r;
    if (!fpx_need(x, 0, 1)) {
        if (modrm != 0xfd) /* FPREM(1): not partial */
            x->e.sw &= (uint16_t)~F80_C2;
        if (!fpx_underflow(x))
            return;
        r = F80_INDEFINITE;
    } else {
        float80 a = fpu_st_get(x->f, 0), b = fpu_st_get(x->f, 1);
        uint16_t cc = x->e.sw & (F80_C0 | F80_C3);
        if (modrm == 0xf8)
            r = f80_prem(&x->e, a, b);
        else if (modrm == 0xf5)
            r = f80_prem1(&x->e, a, b);
        else
            r = f80_scale(&x->e, a, b);
        fpx_acc(x);
        /* no remainder computed (a NaN, an invalid operand, an unmasked
         * #D): the host x87 clears C1 and C2 and keeps C0 C3 */
        if (modrm != 0xfd && (f80_is_nan(r) || fpx_suppressed(x, false)))
            x->e.sw =
                (uint16_t)((x->e.sw & ~(F80_C0 | F80_C1 | F80_C3 | F80_C2)) |
                           cc);
        if (fpx_suppressed(x, false))
            return;
    }
    fpu_st_set(x->f, 0, r);
}

/* FXTRACT: ST(0) = exponent, then push the significand. */
static void fpx_xtract(struct fpx *x)
{
    struct x87_state *f = x->f;
    float80 e, s;
    if (fpu_empty(f, 0)) {
        if (!fpx_underflow(x))
            return;
        e = s = F80_INDEFINITE;
    } else if (!fpu_empty(f, 7)) {
        if (!fpx_overflow(x))
            return;
        e = s = F80_INDEFINITE;
    } else {
        f80_xtract(&x->e, fpu_st_get(f, 0), &e, &s);
        fpx_acc(x);
        if (fpx_suppressed(x, false))
            return;
    }
    fpu_st_set(f, 0, e);
    fpu_push(f, s);
}

/* ---- register moves ---- */

static void fpx_fld_st(struct fpx *x, int i)
{
    /* an empty source is the underflow, whether ST(7) is free or not */
    float80 v = fpu_st_get(x->f, i);
    if (fpu_empty(x->f, i)) {
        if (!fpx_underflow(x))
            return;
        fpu_push(x->f, F80_INDEFINITE);
        return;
    }
    if (!fpu_empty(x->f, 7)) {
        fpx_push(x, v); /* overflow */
        return;
    }
    x->e.sw &= (uint16_t)~F80_C1;
    fpu_push(x->f, v);
}

static void fpx_fst_st(struct fpx *x, int i, bool pop)
{
    float80 v = fpu_st_get(x->f, 0);
    if (fpu_empty(x->f, 0)) {
        if (!fpx_underflow(x))
            return;
        v = F80_INDEFINITE;
    } else {
        x->e.sw &= (uint16_t)~F80_C1;
    }
    fpu_st_set(x->f, i, v);
    if (pop)
        fpu_pop(x->f);
}

/* D9 D8+i, an alias of FSTP ST(i) the SDM leaves blank: the host x87
 * makes no stack fault for an empty ST(0), it only pops (C1 = 0). */
static void fpx_fstp1(struct fpx *x, int i)
{
    if (fpu_empty(x->f, 0)) {
        x->e.sw &= (uint16_t)~F80_C1;
        fpu_pop(x->f);
        return;
    }
    fpx_fst_st(x, i, true);
}

static void fpx_fxch(struct fpx *x, int i)
{
    struct x87_state *f = x->f;
    float80 a = fpu_st_get(f, 0), b = fpu_st_get(f, i);
    if (fpu_empty(f, 0) || fpu_empty(f, i)) {
        if (!fpx_underflow(x))
            return;
        if (fpu_empty(f, 0))
            a = F80_INDEFINITE;
        if (fpu_empty(f, i))
            b = F80_INDEFINITE;
    } else {
        x->e.sw &= (uint16_t)~F80_C1;
    }
    fpu_st_set(f, 0, b);
    fpu_st_set(f, i, a);
}

/* FCMOVcc (SDM vol. 2 FCMOVcc): DA C0 B, C8 E, D0 BE, D8 U; DB the
 * negations. The condition is read from EFLAGS. C1 changes only on a
 * stack underflow. */
static void fpx_fcmov(struct fpx *x, unsigned esc, unsigned modrm)
{
    uint32_t fl = cpu_get_eflags(x->cpu);
    bool c;
    switch ((modrm >> 3) & 3) {
    case 0: c = fl & EFLAGS_CF; break;
    case 1: c = fl & EFLAGS_ZF; break;
    case 2: c = fl & (EFLAGS_CF | EFLAGS_ZF); break;
    default: c = fl & EFLAGS_PF; break;
    }
    if (esc == 3)
        c = !c;
    int i = modrm & 7;
    if (!fpx_need(x, 0, i)) {
        /* the masked response writes the indefinite, condition or not */
        if (fpx_underflow(x))
            fpu_st_set(x->f, 0, F80_INDEFINITE);
        return;
    }
    if (c)
        fpu_st_set(x->f, 0, fpu_st_get(x->f, i));
}

/* ---- the register forms ---- */

static void fpx_d9_reg(struct fpx *x, unsigned modrm)
{
    struct x87_state *f = x->f;
    int i = modrm & 7;
    switch (modrm & 0xf8) {
    case 0xc0: fpx_fld_st(x, i); return;
    case 0xc8: fpx_fxch(x, i); return;
    case 0xd0: return; /* FNOP */
    case 0xd8: fpx_fstp1(x, i); return;
    default: break;
    }
    switch (modrm) {
    case 0xe0:
    case 0xe1:
    case 0xe4:
    case 0xe5:
    case 0xfa:
    case 0xfc: fpx_unary(x, modrm); return;
    case 0xe8:
        x->e.sw &= (uint16_t)~F80_C1;
        fpx_push(x, F80_ONE);
        return;
    case 0xee:
        x->e.sw &= (uint16_t)~F80_C1;
        fpx_push(x, F80_ZERO);
        return;
    case 0xf4: fpx_xtract(x); return;
    case 0xf5:
    case 0xf8:
    case 0xfd: fpx_binary01(x, modrm); return;
    case 0xf6: /* FDECSTP */
        f->top = (f->top - 1) & 7;
        x->e.sw &= (uint16_t)~F80_C1;
        return;
    case 0xf7: /* FINCSTP */
        f->top = (f->top + 1) & 7;
        x->e.sw &= (uint16_t)~F80_C1;
        return;
    default: /* the constants and the transcendentals */
        fpu_trans_reg(x, modrm);
        return;
    }
}

static void fpx_reg(struct fpx *x, unsigned esc, unsigned modrm)
{
    struct x87_state *f = x->f;
    unsigned reg = (modrm >> 3) & 7;
    int i = modrm & 7;
    switch (esc) {
    case 0: /* D8: ST(0) = ST(0) op ST(i); FCOM FCOMP */
        if (reg == 2 || reg == 3)
            fpx_com(x, fpu_st_get(f, i), fpu_empty(f, i), false, reg - 2);
        else
            fpx_arith_reg(x, reg, 0, i, false);
        return;
    case 1: fpx_d9_reg(x, modrm); return;
    case 2:
        if (modrm == 0xe9) /* FUCOMPP */
            fpx_com(x, fpu_st_get(f, 1), fpu_empty(f, 1), true, 2);
        else
            fpx_fcmov(x, esc, modrm);
        return;
    case 3: /* FCMOVNcc; FUCOMI, FCOMI (E0-E4 are helper_fpu_env.c's) */
        if (reg < 4)
            fpx_fcmov(x, esc, modrm);
        else
            fpx_comi(x, i, reg == 5, false);
        return;
    case 4: /* DC: ST(i) = ST(i) op ST(0), SUB/SUBR and DIV/DIVR swapped;
               D0-DF the FCOM2/FCOMP3 aliases */
        if (reg == 2 || reg == 3)
            fpx_com(x, fpu_st_get(f, i), fpu_empty(f, i), false, reg - 2);
        else
            fpx_arith_reg(x, reg >= 4 ? reg ^ 1 : reg, i, 0, false);
        return;
    case 5: /* FFREE, FXCH4, FST, FSTP, FUCOM, FUCOMP */
        switch (reg) {
        case 0: /* FFREE: C1 = 0 on the host x87 */
            f->valid &= (uint8_t) ~(1u << fpu_phys(f, i));
            x->e.sw &= (uint16_t)~F80_C1;
            return;
        case 1: fpx_fxch(x, i); return;
        case 2: fpx_fst_st(x, i, false); return;
        case 3: fpx_fst_st(x, i, true); return;
        default:
            fpx_com(x, fpu_st_get(f, i), fpu_empty(f, i), true, reg - 4);
            return;
        }
    case 6: /* DE: the popping forms; FCOMP5, FCOMPP */
        if (reg == 2)
            fpx_com(x, fpu_st_get(f, i), fpu_empty(f, i), false, 1);
        else if (reg == 3)
            fpx_com(x, fpu_st_get(f, 1), fpu_empty(f, 1), false, 2);
        else
            fpx_arith_reg(x, reg >= 4 ? reg ^ 1 : reg, i, 0, true);
        return;
    default: /* DF: FFREEP, FXCH7, FSTP8/9, FUCOMIP, FCOMIP */
        switch (reg) {
        case 0: /* FFREEP */
            f->valid &= (uint8_t) ~(1u << fpu_phys(f, i));
            fpu_pop(f);
            x->e.sw &= (uint16_t)~F80_C1;
            return;
        case 1: fpx_fxch(x, i); return;
        case 2:
        case 3: fpx_fst_st(x, i, true); return;
        default: fpx_comi(x, i, reg == 5, true); return;
        }
    }
}

/* Register forms: mode = esc << 8 | ModRM (FPU_MODE without the memory
 * bits). */
void helper_fpu_reg(struct cpu *cpu, uint32_t mode, uint32_t eip)
{
    uintptr_t ra = GETPC();
    unsigned esc = FPU_MODE_ESC(mode), modrm = FPU_MODE_MODRM(mode);
    bool env = esc == 3 && modrm >= 0xe0 && modrm <= 0xe4;
    bool fnstsw = esc == 7 && modrm == 0xe0;

    fpu_prepare(cpu, env || fnstsw ? FPK_NOWAIT | FPK_CONTROL : 0, eip,
                (uint16_t)(mode & 0x7ff), ra);
    if (env) {
        fpu_env_reg(cpu, modrm);
        return;
    }
    if (fnstsw) { /* FNSTSW AX */
        cpu->regs[R_EAX] =
            (cpu->regs[R_EAX] & ~0xffffull) | fpu_get_sw(&cpu->fpu);
        return;
    }
    struct fpx x;
    fpx_begin(&x, cpu);
    fpx_reg(&x, esc, modrm);
    fpx_end(&x);
}

/* ---- the memory forms ---- */

/* FLD m32/m64/m80, FILD m16/m32/m64, FBLD. */
static void fpx_load(struct fpx *x, float80 v, unsigned raised)
{
    if (!fpu_empty(x->f, 7)) {
        fpx_push(x, v);
        return;
    }
    x->e.sw &= (uint16_t)~F80_C1;
    if (raised)
        fpx_raise(x, raised);
    /* an unmasked IE (SNaN) or DE (a denormal single or double) stops
     * the load: "TOP and source operands remain unchanged" (SDM vol. 1
     * 8.5.1, 8.5.2; the AMD host pushes the denormal all the same) */
    if (fpx_suppressed(x, false))
        return;
    fpu_push(x->f, v);
}

static void fpx_load_mem(struct fpx *x, unsigned esc, unsigned reg,
                         const struct fpu_mem *m)
{
    struct cpu *cpu = x->cpu;
    struct f80_env ce = { .cw = F80_CW_DEFAULT, .sw = 0 };
    uint8_t bcd[10];
    float80 v;
    switch (esc << 3 | reg) {
    case 1 << 3 | 0:
        v = f80_from_f32(&ce, (uint32_t)fpu_ld(cpu, m, 0, 4));
        break;
    case 5 << 3 | 0: v = f80_from_f64(&ce, fpu_ld(cpu, m, 0, 8)); break;
    case 3 << 3 | 5: v = fpu_ld80(cpu, m, 0); break;
    case 3 << 3 | 0: v = f80_from_i64((int32_t)fpu_ld(cpu, m, 0, 4)); break;
    case 7 << 3 | 0: v = f80_from_i64((int16_t)fpu_ld(cpu, m, 0, 2)); break;
    case 7 << 3 | 5: v = f80_from_i64((int64_t)fpu_ld(cpu, m, 0, 8)); break;
    default: /* DF /4 FBLD */
        for (unsigned k = 0; k < 10; k++)
            bcd[k] = (uint8_t)fpu_ld(cpu, m, k, 1);
        v = f80_from_bcd(bcd);
        break;
    }
    fpx_load(x, v, ce.raised);
}

/* The masked response to storing an empty ST(0): the format's indefinite,
 * which the conversion of the real indefinite gives without a flag. */
static void fpx_store_mem(struct fpx *x, unsigned esc, unsigned reg,
                          const struct fpu_mem *m)
{
    struct cpu *cpu = x->cpu;
    bool pop = reg != 2;
    float80 a = fpu_st_get(x->f, 0);
    struct f80_env *e = &x->e;
    struct f80_env quiet = { .cw = F80_CW_DEFAULT, .sw = 0 };
    uint8_t bcd[10];
    uint64_t v;
    unsigned size;

    if (fpu_empty(x->f, 0)) {
        if (!fpx_underflow(x))
            return;
        a = F80_INDEFINITE;
        e = &quiet;
    }
    switch (esc << 3 | reg) {
    case 1 << 3 | 2:
    case 1 << 3 | 3:
        v = f80_to_f32(e, a);
        size = 4;
        break;
    case 5 << 3 | 2:
    case 5 << 3 | 3:
        v = f80_to_f64(e, a);
        size = 8;
        break;
    case 3 << 3 | 2:
    case 3 << 3 | 3:
        v = (uint32_t)f80_to_i32(e, a, false);
        size = 4;
        break;
    case 7 << 3 | 2:
    case 7 << 3 | 3:
        v = (uint16_t)f80_to_i16(e, a, false);
        size = 2;
        break;
    case 7 << 3 | 7:
        v = (uint64_t)f80_to_i64(e, a, false);
        size = 8;
        break;
    case 3 << 3 | 7: /* FSTP m80: no conversion, no exception */
        x->e.sw &= (uint16_t)~F80_C1;
        fpu_st80(cpu, m, 0, a);
        fpu_pop(x->f);
        return;
    default: /* DF /6 FBSTP (FISTTP, DB DD DF /1, is #UD: translate_fpu.c) */
        f80_to_bcd(e, a, bcd);
        if (e == &x->e)
            fpx_acc(x);
        if (fpx_suppressed(x, true))
            return;
        fpu_st(cpu, m, 9, bcd[9], 1); /* the far end first */
        for (unsigned k = 0; k < 9; k++)
            fpu_st(cpu, m, k, bcd[k], 1);
        fpu_pop(x->f);
        return;
    }
    if (e == &x->e)
        fpx_acc(x);
    if (fpx_suppressed(x, true))
        return;
    fpu_st(cpu, m, 0, v, size);
    if (pop)
        fpu_pop(x->f);
}

/* D8 DA DC DE: ST(0) = ST(0) op m, or a compare with m. */
static void fpx_arith_mem(struct fpx *x, unsigned esc, unsigned reg,
                          const struct fpu_mem *m)
{
    float80 b;
    if (fpu_empty(x->f, 0)) {
        fpu_ld(x->cpu, m, 0,
               esc == 4   ? 8
               : esc == 6 ? 2
                          : 4); /* faults first */
        if (reg == 2 || reg == 3) {
            fpx_com(x, F80_ZERO, true, false, reg - 2);
            return;
        }
        if (fpx_underflow(x))
            fpu_st_set(x->f, 0, F80_INDEFINITE);
        return;
    }
    bool go = fpx_mem_operand(x, esc, reg, m, &b);
    if (reg == 2 || reg == 3) { /* compares go on under an unmasked #D */
        fpx_com(x, b, false, false, reg - 2);
        return;
    }
    if (!go)
        return;
    float80 r = fpx_arith_op(x, reg, fpu_st_get(x->f, 0), b);
    if (!fpx_suppressed(x, false))
        fpu_st_set(x->f, 0, r);
}

static bool fpu_mem_is_control(unsigned esc, unsigned reg)
{
    return (esc == 1 && reg >= 4) || (esc == 5 && (reg == 4 || reg >= 6));
}

/* The size of the memory operand of escape esc, ModRM.reg reg (SDM vol. 2
 * A.5.1, Tables ), and whether it is written (*write). */
static unsigned fpu_mem_size(unsigned esc, unsigned reg, bool op32,
                             bool *write)
{
    static const uint8_t size[8][8] = {
        { 4, 4, 4, 4, 4, 4, 4, 4 },   /* D8: m32real */
        { 4, 0, 4, 4, 0, 2, 0, 2 },   /* D9: FLD FST FSTP m32, env, CW */
        { 4, 4, 4, 4, 4, 4, 4, 4 },   /* DA: m32int */
        { 4, 0, 4, 4, 0, 10, 0, 10 }, /* DB: FILD FIST FISTP m32, m80 */
        { 8, 8, 8, 8, 8, 8, 8, 8 },   /* DC: m64real */
        { 8, 0, 8, 8, 0, 0, 0, 2 },   /* DD: m64, FRSTOR FNSAVE, FNSTSW */
        { 2, 2, 2, 2, 2, 2, 2, 2 },   /* DE: m16int */
        { 2, 0, 2, 2, 10, 8, 10, 8 }, /* DF: m16int, FBLD FILD FBSTP FISTP */
    };
    *write = (esc & 1) && (reg == 2 || reg == 3 || reg == 6 || reg == 7);
    if (esc == 1 && (reg == 4 || reg == 6)) /* FLDENV FNSTENV */
        return op32 ? 28 : 14;
    if (esc == 5 && (reg == 4 || reg == 6)) /* FRSTOR FNSAVE */
        return op32 ? 108 : 94;
    return size[esc][reg];
}

/* Memory forms: mode is FPU_MODE(...), ea the operand's offset in its
 * segment. */
void helper_fpu_mem(struct cpu *cpu, uint32_t mode, uint32_t eip, uint32_t ea)
{
    uintptr_t ra = GETPC();
    unsigned esc = FPU_MODE_ESC(mode), modrm = FPU_MODE_MODRM(mode);
    unsigned reg = (modrm >> 3) & 7;
    unsigned seg = FPU_MODE_SEG(mode);
    struct fpu_mem m = { .base = cpu->seg[seg].base,
                         .ea = ea,
                         .a32 = (mode & FPU_MODE_A32) != 0,
                         .seg = (int)seg,
                         .ra = ra };
    bool write;
    unsigned size = fpu_mem_size(esc, reg, (mode & FPU_MODE_OP32) != 0, &write);
    if (!m.a32)
        m.ea &= 0xffff;

    if (fpu_mem_is_control(esc, reg)) {
        /* FLDENV FLDCW FRSTOR wait; FNSTENV FNSTCW FNSAVE FNSTSW do not */
        bool nowait = reg >= 6 || (esc == 5 && reg == 7);
        fpu_prepare(cpu, FPK_CONTROL | (nowait ? FPK_NOWAIT : 0), eip, 0, ra);
        fpu_mem_check(cpu, &m, size, write ? SEG_ACC_WRITE : SEG_ACC_READ);
        fpu_env_mem(cpu, mode, &m);
        return;
    }
    /* #NM and a pending error come before the operand's faults (SDM 3A
     * 6.9, Table 6-2), which leave the pointers as they were */
    fpu_prepare(cpu, FPK_CONTROL, eip, 0, ra);
    fpu_mem_check(cpu, &m, size, write ? SEG_ACC_WRITE : SEG_ACC_READ);
    fpu_record(cpu, eip, (uint16_t)(mode & 0x7ff));
    cpu->fpu.fdp = m.ea;
    cpu->fpu.fds = cpu->seg[seg].sel;

    struct fpx x;
    fpx_begin(&x, cpu);
    if (!(esc & 1)) {
        fpx_arith_mem(&x, esc, reg, &m);
    } else if (reg == 0 || (esc == 3 && reg == 5) ||
               (esc == 7 && (reg == 4 || reg == 5))) {
        fpx_load_mem(&x, esc, reg, &m);
    } else {
        fpx_store_mem(&x, esc, reg, &m);
    }
    fpx_end(&x);
}
