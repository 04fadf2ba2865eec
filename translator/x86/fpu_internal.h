/*
 * fpu_internal.h - what the x87 helper files share (helper_fpu.c,
 * helper_fpu_env.c, helper_fpu_trans.c): the context of one instruction
 * (its f80_env and the exceptions it raised so far), the register stack
 * with its stack faults, the memory operand, and the checks every x87
 * instruction makes first (#NM, a pending error).
 */
#ifndef TRANSLATOR_X86_FPU_INTERNAL_H
#define TRANSLATOR_X86_FPU_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/float80.h"
#include "translator/x86/cpu.h"
#include "translator/x86/fpu.h"

/* The helpers' `mode` argument for the memory forms (translate_fpu.c):
 *   bits 0-7   ModRM
 *   bits 8-10  the escape's low 3 bits (D8 -> 0 ... DF -> 7)
 *   bit  11    32-bit operand size (the environment's 14- or 28-byte form)
 *   bit  12    32-bit address size (else offsets wrap at 64 KiB)
 *   bits 13-15 segment (SEG_*) */
#define FPU_MODE_MODRM(m) ((m)&0xffu)
#define FPU_MODE_ESC(m) (((m) >> 8) & 7u)
#define FPU_MODE_OP32 0x800u
#define FPU_MODE_A32 0x1000u
#define FPU_MODE_SEG(m) (((m) >> 13) & 7u)
#define FPU_MODE(esc, modrm, op32, a32, seg)                                   \
    (((uint32_t)(esc)&7u) << 8 | (uint32_t)(modrm) |                           \
     ((op32) ? FPU_MODE_OP32 : 0u) | ((a32) ? FPU_MODE_A32 : 0u) |             \
     (uint32_t)(seg) << 13)

/* A memory operand: segment base + offset, the offset wrapping at 64 KiB
 * with a 16-bit address size. */
struct fpu_mem {
    vaddr base;
    uint32_t ea;
    bool a32;
    int seg; /* SEG_* */
    uintptr_t ra;
};
/* The segment check of a whole operand of size bytes (SEG_ACC_READ or
 * SEG_ACC_WRITE), made before any of it is accessed: #GP(0), or #SS(0)
 * through SS, for an offset outside the limit or a segment of the wrong
 * type (SDM 3A 5.3, 5.4; SDM vol. 2 FLD, FST, FSAVE...: "#GP(0) If a
 * memory operand effective address is outside the CS, DS, ES, FS, or GS
 * segment limit", "#SS(0) ... outside the SS segment limit"); then the
 * operand's pages, so that a #PF comes before any of it is touched. */
void fpu_mem_check(struct cpu *cpu, const struct fpu_mem *m, unsigned size,
                   int kind);
uint64_t fpu_ld(struct cpu *cpu, const struct fpu_mem *m, unsigned off,
                unsigned size);
void fpu_st(struct cpu *cpu, const struct fpu_mem *m, unsigned off, uint64_t v,
            unsigned size);
float80 fpu_ld80(struct cpu *cpu, const struct fpu_mem *m, unsigned off);
void fpu_st80(struct cpu *cpu, const struct fpu_mem *m, unsigned off,
              float80 v);

/* One instruction's arithmetic: the guest's control and status words in
 * an f80_env, and every exception raised so far (f80 operations report
 * only their own in env.raised). */
struct fpx {
    struct cpu *cpu;
    struct x87_state *f;
    struct f80_env e;
    unsigned raised;
};
void fpx_begin(struct fpx *x, struct cpu *cpu);
/* After each f80 operation: collect what it raised. */
static inline void fpx_acc(struct fpx *x) { x->raised |= x->e.raised; }
/* Raise exception bits (sticky flags too). */
static inline void fpx_raise(struct fpx *x, unsigned bits)
{
    x->e.sw |= (uint16_t)bits;
    x->raised |= bits;
}
/* The exceptions raised so far whose masks are clear. */
static inline unsigned fpx_unmasked(const struct fpx *x)
{
    return x->raised & ~x->e.cw & F80_EXC_MASK;
}
/* Must the destination stay unchanged (and no pop happen)? Unmasked IE,
 * DE, ZE; for memory destinations OE and UE as well (SDM vol. 1 8.5). */
static inline bool fpx_suppressed(const struct fpx *x, bool memory_dest)
{
    unsigned bad = F80_IE | F80_DE | F80_ZE;
    if (memory_dest)
        bad |= F80_OE | F80_UE;
    return (fpx_unmasked(x) & bad) != 0;
}
/* Write the status word back; an unmasked exception sets ES and B, and
 * the error is signalled at the next waiting instruction (SDM vol. 1
 * 8.7). */
void fpx_end(struct fpx *x);

/* The register stack. */
static inline bool fpu_empty(const struct x87_state *f, int i)
{
    return !(f->valid >> fpu_phys(f, i) & 1);
}
static inline float80 fpu_st_get(const struct x87_state *f, int i)
{
    return f->regs[fpu_phys(f, i)];
}
static inline void fpu_st_set(struct x87_state *f, int i, float80 v)
{
    int p = fpu_phys(f, i);
    f->regs[p] = v;
    f->valid |= (uint8_t)(1u << p);
}
static inline void fpu_pop(struct x87_state *f)
{
    f->valid &= (uint8_t) ~(1u << f->top);
    f->top = (f->top + 1) & 7;
}
static inline void fpu_push(struct x87_state *f, float80 v)
{
    f->top = (f->top - 1) & 7;
    fpu_st_set(f, 0, v);
}
/* Stack faults (SDM vol. 1 8.5.1.1): IE and SF, C1 = 1 for an overflow
 * (a push onto a full register), 0 for an underflow (an empty source).
 * They return whether the masked response goes on (IE masked). */
bool fpx_underflow(struct fpx *x);
bool fpx_overflow(struct fpx *x);
/* Push v, or handle the overflow: masked, the indefinite is pushed. */
void fpx_push(struct fpx *x, float80 v);

/* The checks at the start of an x87 instruction, in the SDM's order:
 * #NM (CR0.EM or CR0.TS, SDM 3A 2.5 Table 2-2), then for waiting
 * instructions a pending unmasked error (#MF with CR0.NE, else FERR# and
 * wait). Non-control instructions then record their pointers. */
enum {
    FPK_NOWAIT = 1,  /* FNINIT FNCLEX FNSTSW FNSTCW FNSTENV FNSAVE ... */
    FPK_CONTROL = 2, /* leaves FIP, FCS and FOP alone */
};
void fpu_prepare(struct cpu *cpu, unsigned kind, uint32_t eip, uint16_t fop,
                 uintptr_t ra);
/* Record FIP, FCS and FOP (fpu_prepare does it for non-control ones). */
void fpu_record(struct cpu *cpu, uint32_t eip, uint16_t fop);
void fpu_check_pending(struct cpu *cpu, uintptr_t ra);
/* ES and B from the flags and masks (after FLDCW, FLDENV, FRSTOR,
 * FXRSTOR); FERR# follows. */
void fpu_update_es(struct cpu *cpu);

/* helper_fpu_env.c: the control instructions of the memory forms (D9 /4-/7,
 * DD /4 /6 /7), and of the register forms (DB E0-E4). */
void fpu_env_mem(struct cpu *cpu, uint32_t mode, const struct fpu_mem *m);
void fpu_env_reg(struct cpu *cpu, unsigned modrm);
/* helper_fpu_trans.c: D9 E9-ED (the constants) and the transcendentals of
 * D9 F0-FF (F2XM1 FYL2X FPTAN FPATAN FYL2XP1 FSINCOS FSIN FCOS). */
void fpu_trans_reg(struct fpx *x, unsigned modrm);

#endif
