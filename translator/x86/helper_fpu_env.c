/*
 * helper_fpu_env.c - the x87's control side: FNINIT, FNCLEX, FLDCW,
 * FNSTCW, FNSTSW, FLDENV, FNSTENV, FRSTOR, FNSAVE, FXSAVE, FXRSTOR, FWAIT;
 * the tag word; and the checks every x87 instruction makes first: #NM
 * (CR0.EM, CR0.TS, CR0.MP; SDM 3A 2.5, Table 2-2) and a pending unmasked
 * error, which is #MF with CR0.NE = 1 and otherwise the FERR# output that
 * a PC wires to IRQ 13 (SDM vol. 1 8.7 and Appendix D).
 */
#include <string.h>

#include "translator/x86/cpu_access.h"
#include "translator/x86/fpu_internal.h"
#include "translator/x86/helpers.h"

void fpu_init(struct x87_state *f)
{
    f->cw = F80_CW_DEFAULT;
    f->sw = 0;
    f->top = 0;
    f->valid = 0;
    f->fop = 0;
    f->fip = f->fdp = 0;
    f->fcs = f->fds = 0;
}

void fpu_reset(struct x87_state *f)
{
    memset(f, 0, sizeof(*f)); /* R0-R7 +0.0, TOP 0, SW 0, pointers 0 */
    f->cw = FPU_CW_RESET;
    f->valid = 0xff; /* tag word 5555: every register holds a zero */
    f->mxcsr = FPU_MXCSR_DEFAULT;
}

/* SDM vol. 1 8.1.7 (and FXSAVE's Table 3-55): zero, valid (a normal
 * finite number), special (NaN, infinity, denormal, unsupported). */
unsigned fpu_tag_of(const struct x87_state *f, int phys)
{
    if (!(f->valid >> phys & 1))
        return FPU_TAG_EMPTY;
    float80 v = f->regs[phys];
    unsigned e = f80_exp(v);
    if (e == 0)
        return v.mant == 0 ? FPU_TAG_ZERO : FPU_TAG_SPECIAL;
    if (e == F80_EXP_MAX || !(v.mant & F80_J))
        return FPU_TAG_SPECIAL;
    return FPU_TAG_VALID;
}

uint16_t fpu_get_tag(const struct x87_state *f)
{
    uint16_t t = 0;
    for (int p = 0; p < 8; p++)
        t |= (uint16_t)(fpu_tag_of(f, p) << (2 * p));
    return t;
}

void fpu_set_tag(struct x87_state *f, uint16_t tag)
{
    f->valid = 0;
    for (int p = 0; p < 8; p++)
        if ((tag >> (2 * p) & 3) != FPU_TAG_EMPTY)
            f->valid |= (uint8_t)(1u << p);
}

void fpu_set_sw(struct x87_state *f, uint16_t sw)
{
    f->top = (sw >> FPU_SW_TOP_SHIFT) & 7;
    f->sw = sw & (uint16_t)~FPU_SW_TOP;
}

/* ---- error signalling ---- */

static void fpu_set_ferr(struct cpu *cpu, bool level)
{
    struct x87_state *f = &cpu->fpu;
    if (f->ferr == level)
        return;
    f->ferr = level;
    if (!level)
        f->ignne = false; /* the PC's IGNNE# latch follows FERR# down */
    if (cpu->ferr)
        cpu->ferr(cpu->ferr_opaque, level);
}

void cpu_fpu_set_ignne(struct cpu *cpu, bool level) { cpu->fpu.ignne = level; }

void fpu_update_es(struct cpu *cpu)
{
    struct x87_state *f = &cpu->fpu;
    if (f->sw & ~f->cw & F80_EXC_MASK)
        f->sw |= F80_ES | FPU_SW_B;
    else
        f->sw &= (uint16_t) ~(F80_ES | FPU_SW_B);
    if (!(f->sw & F80_ES))
        fpu_set_ferr(cpu, false);
}

/* At a waiting instruction with ES set (SDM vol. 1 8.7; D.2.1): #MF when
 * CR0.NE = 1. Otherwise the x87 asserts FERR# and freezes before the
 * instruction until the board asserts IGNNE# (a PC: the IRQ 13 handler's
 * write to port F0h) or the error is cleared: the CPU waits here like HLT,
 * with EIP on the instruction, so an interrupt handler returns to it. */
void fpu_check_pending(struct cpu *cpu, uintptr_t ra)
{
    struct x87_state *f = &cpu->fpu;
    if (!(f->sw & F80_ES))
        return;
    if (cpu->cr[0] & CR0_NE)
        raise_exception(cpu, EXCP_MF, ra);
    fpu_set_ferr(cpu, true);
    if (f->ignne || !cpu->ferr)
        return;
    cpu_restore_state(cpu, ra);
    cpu->halted = 1;
    cpu_loop_exit(cpu);
}

void fpu_prepare(struct cpu *cpu, unsigned kind, uint32_t eip, uint16_t fop,
                 uintptr_t ra)
{
    if (cpu->cr[0] & (CR0_EM | CR0_TS))
        raise_exception(cpu, EXCP_NM, ra);
    if (!(kind & FPK_NOWAIT))
        fpu_check_pending(cpu, ra);
    if (!(kind & FPK_CONTROL))
        fpu_record(cpu, eip, fop);
}

void fpu_record(struct cpu *cpu, uint32_t eip, uint16_t fop)
{
    cpu->fpu.fip = eip;
    cpu->fpu.fcs = cpu->seg[SEG_CS].sel;
    cpu->fpu.fop = fop;
}

/* WAIT/FWAIT (9B): #NM only when CR0.TS and CR0.MP are both set (Table
 * 2-2), then the pending error. */
void helper_fwait(struct cpu *cpu)
{
    uintptr_t ra = GETPC();
    if ((cpu->cr[0] & (CR0_TS | CR0_MP)) == (CR0_TS | CR0_MP))
        raise_exception(cpu, EXCP_NM, ra);
    fpu_check_pending(cpu, ra);
}

/* DB E0-E4: FNENI, FNDISI and FNSETPM are no-ops on every x87 since the
 * 387; FNCLEX; FNINIT. */
void fpu_env_reg(struct cpu *cpu, unsigned modrm)
{
    struct x87_state *f = &cpu->fpu;
    if (modrm == 0xe2)
        f->sw &= (uint16_t) ~(F80_EXC_MASK | F80_SF | F80_ES | FPU_SW_B);
    else if (modrm == 0xe3)
        fpu_init(f);
    else
        return;
    fpu_update_es(cpu);
}

/* ---- the environment (SDM vol. 1 8.1.10, Figures 8-9 to 8-12) ---- */

static bool fpu_real_layout(const struct cpu *cpu)
{
    return !(cpu->cr[0] & CR0_PE) || (cpu->eflags & EFLAGS_VM);
}

/* The 14- or 28-byte environment; returns its size. The 32-bit form's
 * reserved high words read as FFFF, as the hardware stores them. In real
 * and virtual-8086 mode the pointers are 20/32-bit linear addresses split
 * around the opcode. */
static unsigned fpu_store_env(struct cpu *cpu, const struct fpu_mem *m,
                              bool op32)
{
    struct x87_state *f = &cpu->fpu;
    uint32_t w[7];
    uint16_t sw = fpu_get_sw(f), tag = fpu_get_tag(f);
    if (fpu_real_layout(cpu)) {
        uint32_t ip = f->fip + ((uint32_t)f->fcs << 4);
        uint32_t dp = f->fdp + ((uint32_t)f->fds << 4);
        w[3] = ip & 0xffff;
        w[4] = (ip >> 16) << 12 | (f->fop & 0x7ffu);
        w[5] = dp & 0xffff;
        w[6] = (dp >> 16) << 12;
    } else {
        w[3] = f->fip;
        w[4] = f->fcs | (uint32_t)(f->fop & 0x7ffu) << 16;
        w[5] = f->fdp;
        w[6] = f->fds;
    }
    w[0] = f->cw;
    w[1] = sw;
    w[2] = tag;
    if (op32) {
        w[0] |= 0xffff0000u;
        w[1] |= 0xffff0000u;
        w[2] |= 0xffff0000u;
        if (!fpu_real_layout(cpu))
            w[6] |= 0xffff0000u;
        fpu_st(cpu, m, 24, w[6], 4); /* the far end first */
        for (unsigned i = 0; i < 6; i++)
            fpu_st(cpu, m, 4 * i, w[i], 4);
        return 28;
    }
    if (!fpu_real_layout(cpu))
        w[4] &= 0xffff; /* the 16-bit protected form has no opcode */
    fpu_st(cpu, m, 12, w[6], 2);
    for (unsigned i = 0; i < 6; i++)
        fpu_st(cpu, m, 2 * i, w[i], 2);
    return 14;
}

struct fpu_env_image {
    uint16_t cw, sw, tag;
    uint32_t fip, fdp;
    uint16_t fcs, fds, fop;
};

static unsigned fpu_read_env(struct cpu *cpu, const struct fpu_mem *m,
                             bool op32, struct fpu_env_image *img)
{
    unsigned sz = op32 ? 4 : 2;
    uint32_t w[7];
    for (unsigned i = 0; i < 7; i++)
        w[i] = (uint32_t)fpu_ld(cpu, m, sz * i, sz);
    img->cw = (uint16_t)w[0];
    img->sw = (uint16_t)w[1];
    img->tag = (uint16_t)w[2];
    if (fpu_real_layout(cpu)) {
        img->fip = (w[3] & 0xffff) | (w[4] >> 12) << 16;
        img->fdp = (w[5] & 0xffff) | (w[6] >> 12) << 16;
        img->fop = w[4] & 0x7ff;
        img->fcs = img->fds = 0;
    } else {
        img->fip = w[3];
        img->fcs = (uint16_t)w[4];
        img->fop = op32 ? (w[4] >> 16) & 0x7ff : 0;
        img->fdp = w[5];
        img->fds = (uint16_t)w[6];
    }
    return 7 * sz;
}

static void fpu_load_env(struct cpu *cpu, const struct fpu_env_image *img)
{
    struct x87_state *f = &cpu->fpu;
    fpu_set_cw(f, img->cw);
    fpu_set_sw(f, img->sw);
    fpu_set_tag(f, img->tag);
    f->fip = img->fip;
    f->fcs = img->fcs;
    f->fdp = img->fdp;
    f->fds = img->fds;
    f->fop = img->fop;
    fpu_update_es(cpu);
}

/* D9 /4-/7 and DD /4 /6 /7. */
void fpu_env_mem(struct cpu *cpu, uint32_t mode, const struct fpu_mem *m)
{
    struct x87_state *f = &cpu->fpu;
    bool op32 = (mode & FPU_MODE_OP32) != 0;
    unsigned reg = (FPU_MODE_MODRM(mode) >> 3) & 7;
    struct fpu_env_image img;
    float80 regs[8];

    switch (FPU_MODE_ESC(mode) << 3 | reg) {
    case 1 << 3 | 4: /* FLDENV */
        fpu_read_env(cpu, m, op32, &img);
        fpu_load_env(cpu, &img);
        return;
    case 1 << 3 | 5: /* FLDCW */
        fpu_set_cw(f, (uint16_t)fpu_ld(cpu, m, 0, 2));
        fpu_update_es(cpu);
        return;
    case 1 << 3 | 6: /* FNSTENV: then every exception is masked */
        fpu_store_env(cpu, m, op32);
        f->cw |= F80_EXC_MASK;
        return;
    case 1 << 3 | 7: /* FNSTCW */ fpu_st(cpu, m, 0, f->cw, 2); return;
    case 5 << 3 | 4: { /* FRSTOR: everything read before anything changes */
        unsigned off = fpu_read_env(cpu, m, op32, &img);
        for (int i = 0; i < 8; i++)
            regs[i] = fpu_ld80(cpu, m, off + 10 * (unsigned)i);
        fpu_load_env(cpu, &img);
        for (int i = 0; i < 8; i++)
            f->regs[fpu_phys(f, i)] = regs[i];
        return;
    }
    case 5 << 3 | 6: { /* FNSAVE: ST(0) first; then FNINIT */
        unsigned off = op32 ? 28 : 14;
        fpu_st80(cpu, m, off + 70, fpu_st_get(f, 7));
        fpu_store_env(cpu, m, op32);
        for (int i = 0; i < 7; i++)
            fpu_st80(cpu, m, off + 10 * (unsigned)i, fpu_st_get(f, i));
        fpu_init(f);
        fpu_update_es(cpu);
        return;
    }
    default: /* DD /7 FNSTSW m16 */ fpu_st(cpu, m, 0, fpu_get_sw(f), 2); return;
    }
}

/* ---- FXSAVE / FXRSTOR (SDM vol. 2 FXSAVE, Tables 3-53 and 3-55) ---- */

/* FXSAVE and FXRSTOR's operand, after their checks (SDM vol. 2 FXSAVE):
 * #NM with CR0.EM or CR0.TS; #GP(0) for an area not 16-byte aligned; the
 * segment check of all 512 bytes. */
static struct fpu_mem fxsave_operand(struct cpu *cpu, uint32_t mode,
                                     uint32_t ea, int kind, uintptr_t ra)
{
    unsigned seg = FPU_MODE_SEG(mode);
    struct fpu_mem m = { .base = cpu->seg[seg].base,
                         .ea = ea,
                         .a32 = (mode & FPU_MODE_A32) != 0,
                         .seg = (int)seg,
                         .ra = ra };
    if (!m.a32)
        m.ea &= 0xffff;
    if (cpu->cr[0] & (CR0_EM | CR0_TS))
        raise_exception(cpu, EXCP_NM, ra);
    if ((m.base + m.ea) & 15)
        raise_exception_err(cpu, EXCP_GP, 0, ra);
    fpu_mem_check(cpu, &m, 512, kind);
    return m;
}

/* The 32-bit layout: FCW FSW FTW(abridged) FOP FIP FCS FDP FDS MXCSR
 * MXCSR_MASK, then ST(0)..ST(7) in 16-byte slots from byte 32. The SSE
 * part (MXCSR, XMM) only with CR4.OSFXSR; this CPU has no XMM registers,
 * so their area is left as it was. */
void helper_fxsave(struct cpu *cpu, uint32_t mode, uint32_t ea)
{
    uintptr_t ra = GETPC();
    struct x87_state *f = &cpu->fpu;
    struct fpu_mem m = fxsave_operand(cpu, mode, ea, SEG_ACC_WRITE, ra);
    fpu_st(cpu, &m, 32 + 16 * 7 + 15, 0, 1); /* the far end first */
    fpu_st(cpu, &m, 0, f->cw, 2);
    fpu_st(cpu, &m, 2, fpu_get_sw(f), 2);
    fpu_st(cpu, &m, 4, f->valid, 1); /* bit i: R(i), not ST(i) */
    fpu_st(cpu, &m, 5, 0, 1);
    fpu_st(cpu, &m, 6, f->fop & 0x7ffu, 2);
    fpu_st(cpu, &m, 8, f->fip, 4);
    fpu_st(cpu, &m, 12, f->fcs, 4);
    fpu_st(cpu, &m, 16, f->fdp, 4);
    fpu_st(cpu, &m, 20, f->fds, 4);
    if (cpu->cr[4] & CR4_OSFXSR) {
        fpu_st(cpu, &m, 24, f->mxcsr, 4);
        fpu_st(cpu, &m, 28, FPU_MXCSR_MASK, 4);
    }
    for (int i = 0; i < 8; i++) {
        unsigned off = 32 + 16 * (unsigned)i;
        fpu_st80(cpu, &m, off, fpu_st_get(f, i));
        fpu_st(cpu, &m, off + 10, 0, 2);
        fpu_st(cpu, &m, off + 12, 0, 4);
    }
}

void helper_fxrstor(struct cpu *cpu, uint32_t mode, uint32_t ea)
{
    uintptr_t ra = GETPC();
    struct x87_state *f = &cpu->fpu;
    struct fpu_mem m = fxsave_operand(cpu, mode, ea, SEG_ACC_READ, ra);
    float80 regs[8];
    uint16_t cw = (uint16_t)fpu_ld(cpu, &m, 0, 2);
    uint16_t sw = (uint16_t)fpu_ld(cpu, &m, 2, 2);
    uint8_t ftw = (uint8_t)fpu_ld(cpu, &m, 4, 1);
    uint16_t fop = (uint16_t)fpu_ld(cpu, &m, 6, 2);
    uint32_t fip = (uint32_t)fpu_ld(cpu, &m, 8, 4);
    uint16_t fcs = (uint16_t)fpu_ld(cpu, &m, 12, 2);
    uint32_t fdp = (uint32_t)fpu_ld(cpu, &m, 16, 4);
    uint16_t fds = (uint16_t)fpu_ld(cpu, &m, 20, 2);
    uint32_t mxcsr = (uint32_t)fpu_ld(cpu, &m, 24, 4);
    for (int i = 0; i < 8; i++)
        regs[i] = fpu_ld80(cpu, &m, 32 + 16 * (unsigned)i);
    if (cpu->cr[4] & CR4_OSFXSR) {
        if (mxcsr & ~FPU_MXCSR_MASK)
            raise_exception_err(cpu, EXCP_GP, 0, ra);
        f->mxcsr = mxcsr;
    }
    fpu_set_cw(f, cw);
    fpu_set_sw(f, sw);
    f->valid = ftw;
    f->fop = fop & 0x7ff;
    f->fip = fip;
    f->fcs = fcs;
    f->fdp = fdp;
    f->fds = fds;
    for (int i = 0; i < 8; i++)
        f->regs[fpu_phys(f, i)] = regs[i];
    fpu_update_es(cpu);
}
