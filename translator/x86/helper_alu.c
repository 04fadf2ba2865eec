/*
 * helper_alu.c - arithmetic that translated code leaves to C: division with
 * #DE, BCD adjustment, bit scans, rotates through carry, and the EFLAGS
 * instructions with privilege rules (PUSHF, POPF, CLI, STI).
 */
#include "translator/x86/cpu.h"
#include "translator/x86/flags.h"
#include "translator/x86/helpers.h"

static uint32_t reg32(struct cpu *cpu, int r) { return (uint32_t)cpu->regs[r]; }

static void set_reg16(struct cpu *cpu, int r, uint32_t v)
{
    cpu->regs[r] = (reg32(cpu, r) & 0xffff0000u) | (v & 0xffff);
}

static uint32_t arith_flags(struct cpu *cpu)
{
    return cc_compute_all((uint32_t)cpu->cc_op, (uint32_t)cpu->cc_dst,
                          (uint32_t)cpu->cc_src, (uint32_t)cpu->cc_src2);
}

static void set_arith_flags(struct cpu *cpu, uint32_t flags)
{
    cpu->cc_src = flags & EFLAGS_ARITH;
    cpu->cc_dst = 0;
    cpu->cc_src2 = 0;
    cpu->cc_op = CC_OP_EFLAGS;
}

/* ZF SF PF of an 8-bit result, as EFLAGS bits. */
static uint32_t szp8(uint32_t v)
{
    return cc_compute_all(CC_OP_LOGICB, v & 0xff, 0, 0);
}

/* ---- DIV / IDIV (SDM 2, DIV and IDIV: #DE on a zero divisor or a
 * quotient too large for the destination). The arithmetic flags are
 * undefined: they keep their lazy state. ---- */

void helper_div8(struct cpu *cpu, uint32_t divisor)
{
    uint32_t d = divisor & 0xff;
    uint32_t n = reg32(cpu, R_EAX) & 0xffff;
    if (d == 0 || n / d > 0xff)
        raise_exception(cpu, EXCP_DE, GETPC());
    set_reg16(cpu, R_EAX, ((n % d) << 8) | (n / d));
}

void helper_div16(struct cpu *cpu, uint32_t divisor)
{
    uint32_t d = divisor & 0xffff;
    uint32_t n = ((reg32(cpu, R_EDX) & 0xffff) << 16) |
                 (reg32(cpu, R_EAX) & 0xffff);
    if (d == 0 || n / d > 0xffff)
        raise_exception(cpu, EXCP_DE, GETPC());
    set_reg16(cpu, R_EAX, n / d);
    set_reg16(cpu, R_EDX, n % d);
}

void helper_div32(struct cpu *cpu, uint32_t divisor)
{
    uint64_t n = ((uint64_t)reg32(cpu, R_EDX) << 32) | reg32(cpu, R_EAX);
    if (divisor == 0 || n / divisor > 0xffffffffu)
        raise_exception(cpu, EXCP_DE, GETPC());
    cpu->regs[R_EAX] = (uint32_t)(n / divisor);
    cpu->regs[R_EDX] = (uint32_t)(n % divisor);
}

void helper_idiv8(struct cpu *cpu, uint32_t divisor)
{
    int32_t d = (int8_t)divisor;
    int32_t n = (int16_t)reg32(cpu, R_EAX);
    if (d == 0)
        raise_exception(cpu, EXCP_DE, GETPC());
    int32_t q = n / d, r = n % d;
    if (q < -128 || q > 127)
        raise_exception(cpu, EXCP_DE, GETPC());
    set_reg16(cpu, R_EAX, (((uint32_t)r & 0xff) << 8) | ((uint32_t)q & 0xff));
}

void helper_idiv16(struct cpu *cpu, uint32_t divisor)
{
    int32_t d = (int16_t)divisor;
    int32_t n = (int32_t)(((reg32(cpu, R_EDX) & 0xffff) << 16) |
                          (reg32(cpu, R_EAX) & 0xffff));
    if (d == 0 || (n == INT32_MIN && d == -1))
        raise_exception(cpu, EXCP_DE, GETPC());
    int32_t q = n / d, r = n % d;
    if (q < -32768 || q > 32767)
        raise_exception(cpu, EXCP_DE, GETPC());
    set_reg16(cpu, R_EAX, (uint32_t)q);
    set_reg16(cpu, R_EDX, (uint32_t)r);
}

void helper_idiv32(struct cpu *cpu, uint32_t divisor)
{
    int64_t d = (int32_t)divisor;
    int64_t n = (int64_t)(((uint64_t)reg32(cpu, R_EDX) << 32) |
                          reg32(cpu, R_EAX));
    if (d == 0 || (n == INT64_MIN && d == -1))
        raise_exception(cpu, EXCP_DE, GETPC());
    int64_t q = n / d, r = n % d;
    if (q < INT32_MIN || q > INT32_MAX)
        raise_exception(cpu, EXCP_DE, GETPC());
    cpu->regs[R_EAX] = (uint32_t)q;
    cpu->regs[R_EDX] = (uint32_t)r;
}

/* ---- BCD adjust (SDM 2, DAA DAS AAA AAS AAM AAD). Undefined flags are
 * computed from the result (SF ZF PF) and cleared (OF): deterministic. ---- */

static void set_al(struct cpu *cpu, uint32_t al)
{
    cpu->regs[R_EAX] = (reg32(cpu, R_EAX) & 0xffffff00u) | (al & 0xff);
}

void helper_daa(struct cpu *cpu)
{
    uint32_t fl = arith_flags(cpu);
    uint32_t al = reg32(cpu, R_EAX) & 0xff, old_al = al;
    bool old_cf = fl & EFLAGS_CF, cf = false, af = false;
    if ((al & 0xf) > 9 || (fl & EFLAGS_AF)) {
        cf = old_cf || al + 6 > 0xff;
        al = (al + 6) & 0xff;
        af = true;
    }
    if (old_al > 0x99 || old_cf) {
        al = (al + 0x60) & 0xff;
        cf = true;
    } else {
        cf = false;
    }
    set_al(cpu, al);
    set_arith_flags(cpu, szp8(al) | (cf ? EFLAGS_CF : 0) |
                             (af ? EFLAGS_AF : 0));
}

void helper_das(struct cpu *cpu)
{
    uint32_t fl = arith_flags(cpu);
    uint32_t al = reg32(cpu, R_EAX) & 0xff, old_al = al;
    bool old_cf = fl & EFLAGS_CF, cf = false, af = false;
    if ((al & 0xf) > 9 || (fl & EFLAGS_AF)) {
        cf = old_cf || al < 6;
        al = (al - 6) & 0xff;
        af = true;
    }
    if (old_al > 0x99 || old_cf) {
        al = (al - 0x60) & 0xff;
        cf = true;
    }
    set_al(cpu, al);
    set_arith_flags(cpu, szp8(al) | (cf ? EFLAGS_CF : 0) |
                             (af ? EFLAGS_AF : 0));
}

void helper_aaa(struct cpu *cpu)
{
    uint32_t fl = arith_flags(cpu);
    uint32_t ax = reg32(cpu, R_EAX) & 0xffff;
    uint32_t adj = 0;
    if ((ax & 0xf) > 9 || (fl & EFLAGS_AF)) {
        ax = (ax + 0x106) & 0xffff;
        adj = EFLAGS_AF | EFLAGS_CF;
    }
    ax &= 0xff0f;
    set_reg16(cpu, R_EAX, ax);
    set_arith_flags(cpu, szp8(ax) | adj);
}

void helper_aas(struct cpu *cpu)
{
    uint32_t fl = arith_flags(cpu);
    uint32_t ax = reg32(cpu, R_EAX) & 0xffff;
    uint32_t adj = 0;
    if ((ax & 0xf) > 9 || (fl & EFLAGS_AF)) {
        uint32_t al = (ax - 6) & 0xff;
        uint32_t ah = ((ax >> 8) - 1 - ((ax & 0xff) < 6)) & 0xff;
        ax = (ah << 8) | al;
        adj = EFLAGS_AF | EFLAGS_CF;
    }
    ax &= 0xff0f;
    set_reg16(cpu, R_EAX, ax);
    set_arith_flags(cpu, szp8(ax) | adj);
}

void helper_aam(struct cpu *cpu, uint32_t imm)
{
    uint32_t base = imm & 0xff;
    if (base == 0)
        raise_exception(cpu, EXCP_DE, GETPC());
    uint32_t al = reg32(cpu, R_EAX) & 0xff;
    uint32_t ax = ((al / base) << 8) | (al % base);
    set_reg16(cpu, R_EAX, ax);
    set_arith_flags(cpu, szp8(ax));
}

void helper_aad(struct cpu *cpu, uint32_t imm)
{
    uint32_t ax = reg32(cpu, R_EAX);
    uint32_t al = ((ax & 0xff) + ((ax >> 8) & 0xff) * (imm & 0xff)) & 0xff;
    set_reg16(cpu, R_EAX, al);
    set_arith_flags(cpu, szp8(al));
}

/* ---- BSF / BSR: a zero source leaves the destination unchanged (as real
 * processors do). The translator sets ZF from the source. ---- */

uint32_t helper_bsf(struct cpu *cpu, uint32_t src, uint32_t old)
{
    (void)cpu;
    return src ? (uint32_t)__builtin_ctz(src) : old;
}

uint32_t helper_bsr(struct cpu *cpu, uint32_t src, uint32_t old)
{
    (void)cpu;
    return src ? 31u - (uint32_t)__builtin_clz(src) : old;
}

/* ---- RCL / RCR (SDM 2, RCL/RCR/ROL/ROR): the operand and CF rotate as
 * one (bits + 1)-bit quantity; 8- and 16-bit counts are taken mod 9 / 17
 * after masking to 5 bits. A masked count of 0 changes no flag. ---- */

static uint32_t rotate_carry(struct cpu *cpu, uint32_t value, uint32_t count,
                             uint32_t ot, bool left)
{
    uint32_t fl = arith_flags(cpu);
    unsigned bits = 8u << ot;
    uint64_t vmask = bits == 32 ? 0xffffffffull : (1ull << bits) - 1;
    uint32_t c5 = count & 0x1f;
    value &= (uint32_t)vmask;
    if (c5 == 0) {
        set_arith_flags(cpu, fl);
        return value;
    }
    unsigned c = ot == 0 ? c5 % 9 : ot == 1 ? c5 % 17 : c5;
    uint64_t wmask = (vmask << 1) | 1;
    uint64_t x = value | ((uint64_t)(fl & EFLAGS_CF) << bits);
    if (c) {
        if (left)
            x = ((x << c) | (x >> (bits + 1 - c))) & wmask;
        else
            x = ((x >> c) | (x << (bits + 1 - c))) & wmask;
    }
    uint32_t res = (uint32_t)(x & vmask);
    uint32_t cf = (uint32_t)(x >> bits) & 1;
    uint32_t msb = (res >> (bits - 1)) & 1;
    /* OF: defined for a count of 1 only (SDM 2, RCL/RCR: undefined for
     * larger counts). Processors compute the count-1 expression from the
     * result for every count, and so does jet86, on every backend (this
     * helper): confirmed on the host CPU by tests/guest/rotc_of. */
    uint32_t of = left ? (msb ^ cf) : (msb ^ ((res >> (bits - 2)) & 1));
    fl &= ~(EFLAGS_CF | EFLAGS_OF);
    fl |= (cf ? EFLAGS_CF : 0) | (of ? EFLAGS_OF : 0);
    set_arith_flags(cpu, fl);
    return res;
}

uint32_t helper_rcl(struct cpu *cpu, uint32_t value, uint32_t count,
                    uint32_t ot)
{
    return rotate_carry(cpu, value, count, ot, true);
}

uint32_t helper_rcr(struct cpu *cpu, uint32_t value, uint32_t count,
                    uint32_t ot)
{
    return rotate_carry(cpu, value, count, ot, false);
}

/* ---- EFLAGS instructions ---- */

static uint32_t iopl(const struct cpu *cpu)
{
    return (cpu->eflags & EFLAGS_IOPL) >> 12;
}

static uint32_t cpl(const struct cpu *cpu)
{
    return cpu->hflags & HF_CPL_MASK;
}

/* SDM 2, PUSHF: the image has VM and RF clear; virtual-8086 mode with
 * IOPL < 3 (and no VME) faults. */
uint32_t helper_read_eflags(struct cpu *cpu)
{
    if ((cpu->hflags & HF_VM) && iopl(cpu) < 3)
        raise_exception_err(cpu, EXCP_GP, 0, GETPC());
    return cpu_get_eflags(cpu) & ~(EFLAGS_VM | EFLAGS_RF);
}

/* SDM 2, POPF: which bits change depends on the mode, CPL and IOPL. VM,
 * VIP and VIF never change; RF is cleared. */
void helper_popf(struct cpu *cpu, uint32_t value, uint32_t opsize)
{
    uint32_t mask = EFLAGS_ARITH | EFLAGS_TF | EFLAGS_IF | EFLAGS_DF |
                    EFLAGS_IOPL | EFLAGS_NT | EFLAGS_AC | EFLAGS_ID |
                    EFLAGS_RF;
    if (cpu->hflags & HF_VM) {
        if (iopl(cpu) < 3)
            raise_exception_err(cpu, EXCP_GP, 0, GETPC());
        mask &= ~EFLAGS_IOPL;
    } else if (cpu->hflags & HF_PE) {
        if (cpl(cpu) > 0)
            mask &= ~EFLAGS_IOPL;
        if (cpl(cpu) > iopl(cpu))
            mask &= ~EFLAGS_IF;
    }
    if (opsize == 2)
        mask &= 0xffff;
    cpu_set_eflags(cpu, value & ~EFLAGS_RF, mask);
}

/* SDM 2, CLI/STI: allowed when CPL <= IOPL (always in real mode);
 * virtual-8086 mode needs IOPL 3 (VME is not implemented). */
static void check_if_privilege(struct cpu *cpu, uintptr_t ra)
{
    if (!(cpu->hflags & HF_PE))
        return;
    if ((cpu->hflags & HF_VM) ? iopl(cpu) < 3 : cpl(cpu) > iopl(cpu))
        raise_exception_err(cpu, EXCP_GP, 0, ra);
}

void helper_cli(struct cpu *cpu)
{
    check_if_privilege(cpu, GETPC());
    cpu->eflags &= ~EFLAGS_IF;
}

/* STI delays interrupt recognition until after the next instruction when
 * it sets IF (SDM 2, STI): the translator ends the block after that
 * instruction and clears inhibit_irq there. */
void helper_sti(struct cpu *cpu)
{
    check_if_privilege(cpu, GETPC());
    if (!(cpu->eflags & EFLAGS_IF))
        cpu->inhibit_irq = INHIBIT_STI;
    cpu->eflags |= EFLAGS_IF;
}
