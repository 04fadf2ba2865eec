/*
 * decode.c - x86 instruction decoder for 16- and 32-bit code: prefixes,
 * opcode maps (through the tables of x86_table.c), ModRM/SIB/displacement,
 * immediates and branch targets into a struct x86_insn. It decodes only:
 * no code is emitted and no guest state is touched.
 */
#include "translator/x86/decode.h"

#include <string.h>

#include "translator/x86/cpu.h"
#include "translator/x86/x86_table.h"

/* SDM Vol. 2A 2.3.11: an instruction is at most 15 bytes (longer: #GP). */
#define X86_MAX_LEN 15

struct dctx {
    struct x86_insn *insn;
    x86_fetch_fn fetch;
    void *opaque;
    unsigned pos;
    bool too_long;
    bool has66;
    uint8_t last_rep; /* the last F2/F3 byte, 0 if none */
    bool invalid;
    bool modrm_read;
    int rel_op;       /* index of the OPND_REL operand, -1 if none */
    int32_t rel_disp;
};

static uint8_t get8(struct dctx *d)
{
    if (d->pos >= X86_MAX_LEN) {
        d->too_long = true;
        return 0;
    }
    return d->fetch(d->opaque, d->pos++);
}

static uint64_t get_imm(struct dctx *d, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)get8(d) << (8 * i);
    return v;
}

/* The low `size` bytes of v (values are 64-bit: an operand of 4 bytes or
 * less wraps at its own width). */
static uint64_t trunc_to(uint64_t v, unsigned size)
{
    return size >= 8 ? v : v & ((1ull << (8 * size)) - 1);
}

static uint64_t sext_to(uint64_t v, unsigned from, unsigned to)
{
    int64_t s = from == 1   ? (int8_t)v
                : from == 2 ? (int16_t)v
                : from == 4 ? (int32_t)v
                            : (int64_t)v;
    return trunc_to((uint64_t)s, to);
}

static void read_modrm(struct dctx *d)
{
    struct x86_insn *insn = d->insn;
    if (d->modrm_read)
        return;
    d->modrm_read = true;
    insn->has_modrm = true;
    insn->modrm = get8(d);
    insn->mod = insn->modrm >> 6;
    insn->reg = (insn->modrm >> 3) & 7;
    insn->rm = insn->modrm & 7;
}

/* 16-bit forms (SDM Vol. 2 Table 2-1): [bx|bp + si|di] are base + index,
 * a lone [si], [di], [bp], [bx] is a base; [bp] uses SS. */
static void decode_mem16(struct dctx *d)
{
    static const int8_t base16[8] = { R_EBX, R_EBX, R_EBP, R_EBP, R_ESI, R_EDI, R_EBP, R_EBX };
    static const int8_t index16[8] = { R_ESI, R_EDI, R_ESI, R_EDI, -1, -1, -1, -1 };
    struct x86_insn *insn = d->insn;
    struct x86_mem *m = &insn->mem;

    m->base = base16[insn->rm];
    m->index = index16[insn->rm];
    m->scale = 0;
    if (insn->mod == 0 && insn->rm == 6) {
        m->base = -1;
        m->disp = (int16_t)get_imm(d, 2);
    } else if (insn->mod == 1) {
        m->disp = (int8_t)get8(d);
    } else if (insn->mod == 2) {
        m->disp = (int16_t)get_imm(d, 2);
    }
    m->seg = m->base == R_EBP ? SEG_SS : SEG_DS;
}

/* 32-bit forms (SDM Vol. 2 Tables 2-2, 2-3): SIB, [disp32], ESP/EBP use SS. */
static void decode_mem32(struct dctx *d)
{
    struct x86_insn *insn = d->insn;
    struct x86_mem *m = &insn->mem;

    m->base = (int8_t)insn->rm;
    m->index = -1;
    m->scale = 0;
    if (insn->rm == 4) {
        uint8_t sib = get8(d);
        unsigned idx = (sib >> 3) & 7;
        m->scale = sib >> 6;
        m->index = idx == 4 ? -1 : (int8_t)idx;
        m->base = (int8_t)(sib & 7);
        if (m->base == R_EBP && insn->mod == 0)
            m->base = -1; /* [index*scale + disp32] */
    } else if (insn->rm == 5 && insn->mod == 0) {
        m->base = -1; /* [disp32] */
    }
    if (insn->mod == 1)
        m->disp = (int8_t)get8(d);
    else if (insn->mod == 2 || m->base == -1)
        m->disp = (int32_t)get_imm(d, 4);
    m->seg = (m->base == R_ESP || m->base == R_EBP) ? SEG_SS : SEG_DS;
}

static void decode_mem(struct dctx *d)
{
    struct x86_insn *insn = d->insn;
    if (insn->addrsize == 2)
        decode_mem16(d);
    else
        decode_mem32(d);
    if (insn->seg_override >= 0)
        insn->mem.seg = insn->seg_override;
}

static bool ocode_uses_modrm(uint8_t oc)
{
    switch (oc) {
    case Eb: case Ew: case Ed: case Ev: case MwRv:
    case Gb: case Gw: case Gd: case Gv:
    case M: case Mb: case Mw: case Md: case Mq: case Mp: case Ma: case Ms: case Mt:
    case Rd: case Rv: case Sw: case Cd: case Dd:
    case W: case V: case U:
        return true;
    default:
        return false;
    }
}

static bool ocode_mem_only(uint8_t oc)
{
    return oc >= M && oc <= Mt;
}

static bool ocode_reg_only(uint8_t oc)
{
    return oc == Rd || oc == Rv || oc == U;
}

/* The mandatory prefix of an SSE form: F2/F3 (the last one) before 66. */
static unsigned mandatory_prefix(const struct dctx *d)
{
    if (d->last_rep == 0xf3)
        return PFX_F3;
    if (d->last_rep == 0xf2)
        return PFX_F2;
    return d->has66 ? PFX_66 : PFX_NP;
}

static void set_reg(struct x86_operand *o, unsigned reg, unsigned size)
{
    o->kind = OPND_REG;
    o->reg = (uint8_t)reg;
    o->size = (uint8_t)size;
}

static void set_mem(struct x86_operand *o, unsigned size)
{
    o->kind = OPND_MEM;
    o->size = (uint8_t)size;
}

static void set_imm(struct x86_operand *o, uint64_t v, unsigned size)
{
    o->kind = OPND_IMM;
    o->size = (uint8_t)size;
    o->value = v;
}

/* The ModRM.rm operand: a register of `size` or memory of `msize`. */
static void decode_rm(struct dctx *d, struct x86_operand *o, unsigned size, unsigned msize)
{
    struct x86_insn *insn = d->insn;
    if (insn->mod == 3)
        set_reg(o, insn->rm, size);
    else
        set_mem(o, msize);
}

/* String operands: memory at seg:[(E)SI] (X, segment overridable) or
 * ES:[(E)DI] (Y). insn->mem describes the X operand when there is one,
 * else the Y operand; o->reg names the index register. */
static void decode_string(struct dctx *d, struct x86_operand *o, bool is_x, unsigned size)
{
    struct x86_insn *insn = d->insn;
    set_mem(o, size);
    o->reg = is_x ? R_ESI : R_EDI;
    if (is_x || insn->mem.base < 0) {
        insn->mem.seg = is_x ? (insn->seg_override >= 0 ? insn->seg_override : SEG_DS)
                             : SEG_ES;
        insn->mem.base = (int8_t)o->reg;
        insn->mem.index = -1;
        insn->mem.disp = 0;
    }
}

static void decode_operand(struct dctx *d, struct x86_operand *o, uint8_t oc, int idx)
{
    struct x86_insn *insn = d->insn;
    unsigned os = insn->opsize;

    switch (oc) {
    case Eb: decode_rm(d, o, 1, 1); break;
    case Ew: decode_rm(d, o, 2, 2); break;
    case Ed: decode_rm(d, o, 4, 4); break;
    case Ev: decode_rm(d, o, os, os); break;
    case MwRv: decode_rm(d, o, os, 2); break;
    case Gb: set_reg(o, insn->reg, 1); break;
    case Gw: set_reg(o, insn->reg, 2); break;
    case Gd: set_reg(o, insn->reg, 4); break;
    case Gv: set_reg(o, insn->reg, os); break;
    case M: set_mem(o, 0); break;
    case Mb: set_mem(o, 1); break;
    case Mw: set_mem(o, 2); break;
    case Md: set_mem(o, 4); break;
    case Mq: set_mem(o, 8); break;
    case Mp: set_mem(o, os + 2); break;
    case Ma: set_mem(o, 2 * os); break;
    case Ms: set_mem(o, 6); break;
    case Mt: set_mem(o, 10); break;
    case Rd: set_reg(o, insn->rm, 4); break;
    case Rv: set_reg(o, insn->rm, os); break;
    case Ib: set_imm(o, get8(d), 1); break;
    case Ibs: set_imm(o, sext_to(get8(d), 1, os), os); break;
    case Iw: set_imm(o, get_imm(d, 2), 2); break;
    case Iz: set_imm(o, get_imm(d, os), os); break;
    case Jb:
    case Jz:
        o->kind = OPND_REL;
        o->size = (uint8_t)os;
        d->rel_op = idx;
        d->rel_disp = oc == Jb ? (int8_t)get8(d)
                               : (int32_t)sext_to(get_imm(d, os), os, 4);
        break;
    case Ap:
        o->kind = OPND_FAR;
        o->size = (uint8_t)(os + 2);
        o->value = get_imm(d, os);
        o->sel = (uint16_t)get_imm(d, 2);
        break;
    case Ob:
    case Ov:
        /* moffs: an address-size offset, no ModRM (SDM MOV, A0-A3) */
        set_mem(o, oc == Ob ? 1 : os);
        insn->mem.base = -1;
        insn->mem.index = -1;
        insn->mem.scale = 0;
        insn->mem.disp = (int32_t)get_imm(d, insn->addrsize);
        insn->mem.seg = insn->seg_override >= 0 ? insn->seg_override : SEG_DS;
        break;
    case Xb: decode_string(d, o, true, 1); break;
    case Xv: decode_string(d, o, true, os); break;
    case Xz: decode_string(d, o, true, os); break;
    case Yb: decode_string(d, o, false, 1); break;
    case Yv: decode_string(d, o, false, os); break;
    case Yz: decode_string(d, o, false, os); break;
    case Sw:
        o->kind = OPND_SEG;
        o->size = 2;
        o->reg = insn->reg;
        break;
    case Cd:
        o->kind = OPND_CR;
        o->size = 4;
        o->reg = insn->reg;
        break;
    case Dd:
        o->kind = OPND_DR;
        o->size = 4;
        o->reg = insn->reg;
        break;
    case Zb: set_reg(o, insn->opcode & 7, 1); break;
    case Zv: set_reg(o, insn->opcode & 7, os); break;
    case AL: set_reg(o, R_EAX, 1); break;
    case CL: set_reg(o, R_ECX, 1); break;
    case DX: set_reg(o, R_EDX, 2); break;
    case eAX: set_reg(o, R_EAX, os); break;
    case I_1: set_imm(o, 1, 1); break;
    case sES: case sCS: case sSS: case sDS: case sFS: case sGS:
        o->kind = OPND_SEG;
        o->size = 2;
        o->reg = (uint8_t)(SEG_ES + (oc - sES));
        break;
    case W: decode_rm(d, o, 0, 0); break;
    case V: set_reg(o, insn->reg, 0); break;
    case U: set_reg(o, insn->rm, 0); break;
    default:
        break;
    }
}

/* VEX (C4/C5), EVEX (62) and XOP (8F) encoded instructions: the prefix
 * bytes, an opcode, ModRM (+SIB/disp) and an imm8 where the map says so.
 * Returns false if the instruction is undefined. */
static bool vex_has_imm8(unsigned map, uint8_t op)
{
    if (map == 3)
        return true;
    if (map == 1)
        return op == 0x70 || op == 0x71 || op == 0x72 || op == 0x73 ||
               op == 0xc2 || op == 0xc4 || op == 0xc5 || op == 0xc6;
    return false;
}

/* Is this VEX form defined (x86_vex_* tables)? */
static bool vex_form_ok(struct dctx *d, unsigned map, unsigned pp, unsigned l, unsigned w,
                        unsigned vvvv)
{
    static const struct x86_vex_form (*const maps[4])[4] = {
        NULL, x86_vex_0f, x86_vex_0f38, x86_vex_0f3a
    };
    struct x86_insn *insn = d->insn;
    const struct x86_vex_form *f = &maps[map][insn->opcode][pp];
    if (!(f->flags & VEX_OK))
        return false;
    if (((f->flags & VL0) && l) || ((f->flags & VL1) && !l))
        return false;
    if (((f->flags & VW0) && w) || ((f->flags & VW1) && !w))
        return false;
    if (!insn->has_modrm)
        return (vvvv & 7) == 0 || !(f->flags & VNOV);
    if (((f->flags & VMEM) && insn->mod == 3) || ((f->flags & VREG) && insn->mod != 3))
        return false;
    if (f->regmask && !(f->regmask & (1u << insn->reg)))
        return false;
    /* no register in vvvv: it must be 1111b (SDM Vol. 2 2.3.6); a memory
     * operand of a scalar move (VMOVSS/VMOVSD) has none either */
    bool nov = (f->flags & VNOV) ||
               (map == 1 && insn->mod != 3 && (insn->opcode == 0x10 || insn->opcode == 0x11) &&
                pp >= PFX_F3);
    if (nov && (vvvv & 7) != 0) /* vvvv[3] is ignored outside 64-bit mode */
        return false;
    /* gathers address memory through a vector index (VSIB): a SIB byte is
     * required, so no 16-bit addressing (SDM VGATHERDPS: #UD otherwise) */
    if (map == 2 && insn->opcode >= 0x90 && insn->opcode <= 0x93 &&
        (insn->rm != 4 || insn->addrsize != 4))
        return false;
    return true;
}

/* Is this EVEX form defined (x86_evex_* tables)? p2 = W vvvv 1 pp,
 * p3 = z L'L b V' aaa. */
static bool evex_form_ok(struct dctx *d, unsigned map, uint8_t p2, uint8_t p3)
{
    static const struct x86_evex_form (*const maps[4])[4] = {
        NULL, x86_evex_0f, x86_evex_0f38, x86_evex_0f3a
    };
    struct x86_insn *insn = d->insn;
    if (map == 0)
        return false;
    const struct x86_evex_form *f = &maps[map][insn->opcode][p2 & 3];
    unsigned ll = (p3 >> 5) & 3, w = p2 >> 7;
    bool rounding = (p3 & 0x10) && insn->mod == 3; /* EVEX.b with registers */
    if (!(f->flags & EVEX_OK) || !(f->flags & (w ? EW1 : EW0)))
        return false;
    /* EVEX.b: broadcast with memory, rounding/SAE with registers */
    if (p3 & 0x10) {
        if (insn->mod != 3 && (!x86_evex_bcast(map, insn->opcode, p2 & 3) ||
                               (map == 1 && insn->opcode == 0x73 && (insn->reg & 1))))
            return false;
        if (rounding && !x86_evex_sae(map, insn->opcode, p2 & 3))
            return false;
        /* {sae} without rounding: L'L stays the vector length, 512-bit */
        if (rounding && !x86_evex_er(map, insn->opcode, p2 & 3) && !(f->flags & ELIG) &&
            ll != 2)
            return false;
    }
    /* SDM Vol. 2A Table 2-39: EVEX.V' = 0 is #UD outside 64-bit mode;
     * Table 2-40: zeroing (z) needs an opmask (aaa != 0), forms without
     * masking take neither, a memory destination no zeroing, and gathers
     * and scatters need a mask (their completion mask) */
    unsigned aaa = p3 & 7;
    bool z = p3 & 0x80;
    bool nomask = (f->flags & ENOMASK) ||
                  (map == 1 && insn->opcode == 0x73 && (insn->reg == 3 || insn->reg == 7));
    bool vsib = map == 2 && ((insn->opcode >= 0x90 && insn->opcode <= 0x93) ||
                             (insn->opcode >= 0xa0 && insn->opcode <= 0xa3));
    if (!(p3 & 0x08) || (z && !aaa) || (nomask && (aaa || z)) ||
        (z && insn->mod != 3 && (f->flags & ESTORE)) || (vsib && (!aaa || z)))
        return false;
    /* a scalar move from/to memory has no vvvv operand */
    if (map == 1 && insn->mod != 3 && (insn->opcode == 0x10 || insn->opcode == 0x11) &&
        (p2 & 3) >= PFX_F3 && ((~p2 >> 3) & 15) != 0)
        return false;
    if (((f->flags & EMEM) && insn->mod == 3) || ((f->flags & EREG) && insn->mod != 3))
        return false;
    if (f->regmask && !(f->regmask & (1u << insn->reg)))
        return false;
    if (!(f->flags & ELIG) && !rounding) {
        if (ll == 3 || ((f->flags & EL128) && ll != 0) ||
            ((f->flags & ENOT128) && ll == 0) || ((f->flags & E512) && ll != 2))
            return false;
    }
    /* no vvvv operand: vvvv must be 1111b (Table 2-39) */
    if ((f->flags & ENOV) && ((~p2 >> 3) & 15) != 0)
        return false;
    /* gathers/scatters/prefetches address memory through a vector index */
    if (map == 2 && ((insn->opcode >= 0x90 && insn->opcode <= 0x93) ||
                     (insn->opcode >= 0xa0 && insn->opcode <= 0xa3) ||
                     insn->opcode == 0xc6 || insn->opcode == 0xc7) &&
        (insn->rm != 4 || insn->addrsize != 4))
        return false;
    return true;
}

/* The body of a VEX (or EVEX) instruction: opcode, ModRM (+SIB/disp), and
 * an imm8 where the map says so. */
static bool decode_vex_body(struct dctx *d, unsigned map)
{
    struct x86_insn *insn = d->insn;
    insn->map = (uint8_t)map;
    insn->opcode = get8(d);
    if (map == 1 && insn->opcode == 0x77)
        return true; /* VZEROUPPER / VZEROALL: no ModRM */
    read_modrm(d);
    if (insn->mod != 3)
        decode_mem(d);
    if (vex_has_imm8(map, insn->opcode))
        get8(d);
    return map >= 1 && map <= 3;
}

/* XOP (AMD APM Vol. 6 1.1): map 8 has an imm8, map A an imm32. */
static bool decode_xop_body(struct dctx *d, unsigned map)
{
    struct x86_insn *insn = d->insn;
    insn->opcode = get8(d);
    if (map < 8 || map > 0xa)
        return false;
    insn->map = (uint8_t)map;
    read_modrm(d);
    if (insn->mod != 3)
        decode_mem(d);
    if (map == 8)
        get8(d);
    else if (map == 0xa)
        get_imm(d, 4);
    uint8_t regs = x86_xop_regmask(map, insn->opcode);
    /* LLWPCB/SLWPCB take a register only */
    if (map == 9 && insn->opcode == 0x12 && insn->mod != 3)
        return false;
    return (regs & (1u << insn->reg)) != 0;
}

/* C4/C5/62/8F: VEX/EVEX/XOP or the legacy LES/LDS/BOUND/POP. Called with
 * the opcode byte consumed; returns true if it handled the instruction. */
static bool try_vex(struct dctx *d, uint8_t b)
{
    struct x86_insn *insn = d->insn;
    if (b != 0xc4 && b != 0xc5 && b != 0x62 && b != 0x8f)
        return false;
    read_modrm(d); /* the next byte: ModRM of the legacy form, or VEX byte 1 */
    uint8_t p1 = insn->modrm;
    bool is_vex;
    if (b == 0x8f)
        is_vex = (p1 & 0x1f) >= 8; /* XOP map_select >= 8; POP needs reg 0 */
    else
        /* outside 64-bit mode C4/C5/62 with ModRM.mod != 11b stay LES/LDS/
         * BOUND (SDM Vol. 2A 2.3.5, 2.6) */
        is_vex = insn->mod == 3;
    if (!is_vex)
        return false;

    /* A VEX/EVEX/XOP prefix after 66, F2, F3 or LOCK is #UD (SDM 2.3.2). */
    bool bad = d->has66 || d->last_rep || insn->lock;
    insn->has_modrm = false;
    d->modrm_read = false;
    insn->mnem = X86_UNIMPL;
    bool ok;
    if (b == 0xc5) {
        /* C5: R vvvv L pp, map 0F, W0 (SDM Vol. 2 Figure 2-9) */
        ok = decode_vex_body(d, 1) &&
             vex_form_ok(d, 1, p1 & 3, (p1 >> 2) & 1, 0, (~p1 >> 3) & 15);
    } else if (b == 0xc4) {
        /* C4: R X B mmmmm, then W vvvv L pp */
        uint8_t p2 = get8(d);
        unsigned map = p1 & 0x1f;
        ok = decode_vex_body(d, map) &&
             vex_form_ok(d, map, p2 & 3, (p2 >> 2) & 1, p2 >> 7, (~p2 >> 3) & 15);
    } else if (b == 0x62) {
        /* 62: R X B R' 0 0 mm, W vvvv 1 pp, z L'L b V' aaa (SDM 2.6.1) */
        uint8_t p2 = get8(d);
        uint8_t p3 = get8(d);
        ok = decode_vex_body(d, p1 & 3) && (p1 & 0x0c) == 0 && (p2 & 0x04) &&
             evex_form_ok(d, p1 & 3, p2, p3);
    } else {
        /* 8F: R X B mmmmm, W vvvv L pp; pp is 00 for every XOP form */
        uint8_t p2 = get8(d);
        unsigned map = p1 & 0x1f;
        ok = decode_xop_body(d, map) && (p2 & 3) == 0 &&
             (!x86_xop_no_vvvv(map, insn->opcode) || ((p2 >> 3) & 7) == 7) &&
             (!(p2 & 4) || x86_xop_256(map, insn->opcode));
    }
    if (bad || !ok)
        d->invalid = true;
    return true;
}

static bool check_operand_forms(struct dctx *d, const struct x86_opcode *e)
{
    struct x86_insn *insn = d->insn;
    for (int i = 0; i < 3; i++) {
        uint8_t oc = e->opnd[i];
        if (insn->mod == 3 && ocode_mem_only(oc))
            return false; /* e.g. LEA, LES, LGDT with a register */
        if (insn->mod != 3 && ocode_reg_only(oc) && !(e->flags & F_IGNMOD))
            return false;
        /* Only ES CS SS DS FS GS exist; MOV to CS is #UD (SDM MOV). */
        if (oc == Sw && (insn->reg > SEG_GS || (i == 0 && insn->reg == SEG_CS)))
            return false;
        /* CR1 and CR5-7 are reserved: #UD (SDM MOV CR) */
        if (oc == Cd && (insn->reg == 1 || insn->reg > 4))
            return false;
    }
    return true;
}

static enum x86_decode_status finish(struct dctx *d, enum x86_decode_status st)
{
    struct x86_insn *insn = d->insn;
    insn->len = (uint8_t)d->pos;
    if (d->too_long) {
        insn->len = X86_MAX_LEN;
        insn->mnem = X86_INVALID;
        return DECODE_TOO_LONG;
    }
    if (st != DECODE_OK || d->invalid) {
        insn->mnem = X86_INVALID;
        return DECODE_INVALID;
    }
    if (d->rel_op >= 0) {
        struct x86_operand *o = &insn->op[d->rel_op];
        o->value = trunc_to(insn->pc + insn->len + (uint64_t)(int64_t)d->rel_disp,
                            o->size);
    }
    return DECODE_OK;
}

/* Can entry e decode with this ModRM (reading it if e has one)? */
static bool entry_fits(struct dctx *d, const struct x86_opcode *e)
{
    struct x86_insn *insn = d->insn;
    if (e->mnem == X86_INVALID)
        return false;
    if (e->mnem == X86_T_GROUP)
        return true;
    for (int i = 0; i < 3; i++) {
        uint8_t oc = e->opnd[i];
        if (!ocode_uses_modrm(oc))
            continue;
        read_modrm(d);
        if (insn->mod == 3 ? ocode_mem_only(oc) : ocode_reg_only(oc))
            return false;
    }
    return true;
}

/* Walk escapes, groups and prefix-selected sub-tables to the final entry. */
static const struct x86_opcode *resolve(struct dctx *d, const struct x86_opcode *e,
                                        const struct x86_opcode **parent)
{
    struct x86_insn *insn = d->insn;
    *parent = NULL;
    for (;;) {
        switch (e->mnem) {
        case X86_T_SSE: {
            unsigned p = mandatory_prefix(d);
            const struct x86_opcode *forms =
                e->sub == SS_NONE ? x86_sse_0f[insn->opcode] : x86_sse_sub[e->sub];
            e = &forms[p];
            /* A prefix that selects no form (or no form with this ModRM) is
             * ignored and the unprefixed form runs: SDM Vol. 2 2.1.1 calls
             * such use reserved; processors ignore it. */
            if (p != PFX_NP && !entry_fits(d, e))
                e = &forms[PFX_NP];
            if (p == PFX_F2 || p == PFX_F3)
                insn->rep = REP_NONE;
            break;
        }
        case X86_T_GROUP:
            read_modrm(d);
            if (!*parent)
                *parent = e;
            e = &x86_groups[e->sub][insn->mod == 3][insn->reg];
            break;
        case X86_T_RM:
            e = &x86_rm_tables[e->sub][insn->rm];
            break;
        default:
            return e;
        }
    }
}

static enum x86_decode_status decode_fpu(struct dctx *d)
{
    struct x86_insn *insn = d->insn;
    read_modrm(d);
    if (insn->mod != 3) {
        decode_mem(d);
        set_mem(&insn->op[0], 0);
        insn->n_opnds = 1;
    }
    if (!x86_fpu_valid(insn->opcode, insn->modrm) || insn->lock)
        return finish(d, DECODE_INVALID);
    insn->mnem = X86_FPU;
    return finish(d, DECODE_OK);
}

static enum x86_decode_status decode_3dnow(struct dctx *d)
{
    struct x86_insn *insn = d->insn;
    read_modrm(d);
    if (insn->mod != 3)
        decode_mem(d);
    uint8_t suffix = get8(d);
    if (!x86_3dnow_valid(suffix) || insn->lock)
        return finish(d, DECODE_INVALID);
    insn->mnem = X86_UNIMPL;
    return finish(d, DECODE_OK);
}

enum x86_decode_status x86_decode(struct x86_insn *insn, int mode, uint64_t pc,
                                  x86_fetch_fn fetch, void *opaque)
{
    struct dctx d = { .insn = insn, .fetch = fetch, .opaque = opaque, .rel_op = -1 };
    bool has67 = false;
    uint8_t b;

    memset(insn, 0, sizeof(*insn));
    insn->pc = pc;
    insn->seg_override = -1;
    insn->mem.seg = -1;
    insn->mem.base = -1;
    insn->mem.index = -1;

    /* Legacy prefixes, any number and order (SDM Vol. 2 2.1.1); the last
     * segment override and the last of F2/F3 win. */
    for (;;) {
        b = get8(&d);
        if (d.too_long)
            return finish(&d, DECODE_TOO_LONG);
        switch (b) {
        case 0x26: insn->seg_override = SEG_ES; continue;
        case 0x2e: insn->seg_override = SEG_CS; continue;
        case 0x36: insn->seg_override = SEG_SS; continue;
        case 0x3e: insn->seg_override = SEG_DS; continue;
        case 0x64: insn->seg_override = SEG_FS; continue;
        case 0x65: insn->seg_override = SEG_GS; continue;
        case 0x66: d.has66 = true; continue;
        case 0x67: has67 = true; continue;
        case 0xf0: insn->lock = true; continue;
        case 0xf2: d.last_rep = b; insn->rep = REP_F2; continue;
        case 0xf3: d.last_rep = b; insn->rep = REP_F3; continue;
        default: break;
        }
        break;
    }
    insn->opsize = (uint8_t)((mode == 16) != d.has66 ? 2 : 4);
    insn->addrsize = (uint8_t)((mode == 16) != has67 ? 2 : 4);
    insn->opcode = b;

    if (try_vex(&d, b))
        return finish(&d, DECODE_OK);

    const struct x86_opcode *e = &x86_map_1b[b];
    if (e->mnem == X86_T_0F) {
        b = get8(&d);
        insn->map = 1;
        e = &x86_map_0f[b];
        if (e->mnem == X86_T_0F38 || e->mnem == X86_T_0F3A) {
            insn->map = e->mnem == X86_T_0F38 ? 2 : 3;
            const struct x86_opcode *m = insn->map == 2 ? x86_map_0f38 : x86_map_0f3a;
            b = get8(&d);
            e = &m[b];
        }
        insn->opcode = b;
        if (e->mnem == X86_T_3DNOW)
            return decode_3dnow(&d);
    } else if (e->mnem == X86_FPU) {
        return decode_fpu(&d);
    }
    if (d.too_long)
        return finish(&d, DECODE_TOO_LONG);

    const struct x86_opcode *parent;
    e = resolve(&d, e, &parent);
    if (e->mnem == X86_INVALID)
        return finish(&d, DECODE_INVALID);
    /* SSE forms: the prefix must select this form, or be ignorable when an
     * unprefixed form exists (see resolve). */
    if (e->pfx && !(e->pfx & ((1u << mandatory_prefix(&d)) | P_NP)))
        return finish(&d, DECODE_INVALID);

    const uint8_t *ops = e->opnd;
    if (parent && ops[0] == OC_NONE && (e->flags & F_MODRM) == 0)
        ops = parent->opnd;
    struct x86_opcode eff = *e;
    memcpy(eff.opnd, ops, sizeof(eff.opnd));

    bool need_modrm = d.modrm_read || (eff.flags & F_MODRM);
    for (int i = 0; i < 3; i++)
        need_modrm |= ocode_uses_modrm(eff.opnd[i]);
    if (need_modrm) {
        read_modrm(&d);
        if (eff.flags & F_IGNMOD)
            insn->mod = 3;
        if (insn->mod != 3)
            decode_mem(&d);
        if (!check_operand_forms(&d, &eff))
            d.invalid = true;
    }
    /* LOCK only on the listed instructions with a memory destination
     * (SDM Vol. 2 LOCK: otherwise #UD). */
    if (insn->lock && (!(eff.flags & F_LOCK) || !need_modrm || insn->mod == 3))
        d.invalid = true;

    insn->mnem = eff.mnem;
    if (eff.flags & F_CC)
        insn->cc = insn->opcode & 15;
    /* F3 90 is PAUSE (SDM PAUSE) */
    if (insn->map == 0 && insn->opcode == 0x90 && d.last_rep == 0xf3) {
        insn->mnem = X86_PAUSE;
        insn->rep = REP_NONE;
    }
    for (int i = 0; i < 3 && eff.opnd[i] != OC_NONE; i++) {
        decode_operand(&d, &insn->op[i], eff.opnd[i], i);
        insn->n_opnds = (uint8_t)(i + 1);
    }
    /* UD0/UD1/UD2 are defined to raise #UD: decoded in full, reported
     * invalid (SDM UD). */
    if (insn->mnem == X86_UD0 || insn->mnem == X86_UD1 || insn->mnem == X86_UD2)
        d.invalid = true;
    return finish(&d, DECODE_OK);
}

struct buf_src {
    const uint8_t *buf;
    unsigned avail;
};

static uint8_t buf_fetch(void *opaque, unsigned i)
{
    const struct buf_src *s = opaque;
    return i < s->avail ? s->buf[i] : 0;
}

enum x86_decode_status x86_decode_buf(struct x86_insn *insn, int mode,
                                      uint64_t pc, const uint8_t *buf,
                                      unsigned avail)
{
    struct buf_src s = { buf, avail };
    return x86_decode(insn, mode, pc, buf_fetch, &s);
}

static const char *const mnem_names[X86_MNEM_COUNT] = {
    [X86_INVALID] = "(bad)", [X86_UNIMPL] = "(unimpl)",
    [X86_ADD] = "add", [X86_OR] = "or", [X86_ADC] = "adc", [X86_SBB] = "sbb",
    [X86_AND] = "and", [X86_SUB] = "sub", [X86_XOR] = "xor", [X86_CMP] = "cmp",
    [X86_TEST] = "test", [X86_INC] = "inc", [X86_DEC] = "dec", [X86_NEG] = "neg",
    [X86_NOT] = "not", [X86_MUL] = "mul", [X86_IMUL] = "imul", [X86_DIV] = "div",
    [X86_IDIV] = "idiv", [X86_ROL] = "rol", [X86_ROR] = "ror", [X86_RCL] = "rcl",
    [X86_RCR] = "rcr", [X86_SHL] = "shl", [X86_SHR] = "shr", [X86_SAL] = "sal",
    [X86_SAR] = "sar", [X86_SHLD] = "shld", [X86_SHRD] = "shrd",
    [X86_DAA] = "daa", [X86_DAS] = "das", [X86_AAA] = "aaa", [X86_AAS] = "aas",
    [X86_AAM] = "aam", [X86_AAD] = "aad", [X86_SALC] = "salc",
    [X86_CBW] = "cbw", [X86_CWD] = "cwd",
    [X86_BT] = "bt", [X86_BTS] = "bts", [X86_BTR] = "btr", [X86_BTC] = "btc",
    [X86_BSF] = "bsf", [X86_BSR] = "bsr", [X86_POPCNT] = "popcnt",
    [X86_TZCNT] = "tzcnt", [X86_LZCNT] = "lzcnt",
    [X86_MOV] = "mov", [X86_MOVZX] = "movzx", [X86_MOVSX] = "movsx",
    [X86_LEA] = "lea", [X86_XCHG] = "xchg", [X86_XLAT] = "xlat",
    [X86_CMPXCHG] = "cmpxchg", [X86_CMPXCHG8B] = "cmpxchg8b", [X86_XADD] = "xadd",
    [X86_BSWAP] = "bswap", [X86_CMOVCC] = "cmovcc", [X86_SETCC] = "setcc",
    [X86_PUSH] = "push", [X86_POP] = "pop", [X86_PUSHA] = "pusha",
    [X86_POPA] = "popa", [X86_PUSHF] = "pushf", [X86_POPF] = "popf",
    [X86_LAHF] = "lahf", [X86_SAHF] = "sahf", [X86_ENTER] = "enter",
    [X86_LEAVE] = "leave", [X86_LES] = "les", [X86_LDS] = "lds", [X86_LSS] = "lss",
    [X86_LFS] = "lfs", [X86_LGS] = "lgs",
    [X86_JMP] = "jmp", [X86_JMPF] = "ljmp", [X86_JCC] = "jcc", [X86_CALL] = "call",
    [X86_CALLF] = "lcall", [X86_RET] = "ret", [X86_RETF] = "lret",
    [X86_LOOP] = "loop", [X86_LOOPE] = "loope", [X86_LOOPNE] = "loopne",
    [X86_JCXZ] = "jcxz", [X86_INT] = "int", [X86_INT3] = "int3",
    [X86_INTO] = "into", [X86_INT1] = "int1", [X86_IRET] = "iret",
    [X86_BOUND] = "bound",
    [X86_MOVS] = "movs", [X86_CMPS] = "cmps", [X86_STOS] = "stos",
    [X86_LODS] = "lods", [X86_SCAS] = "scas", [X86_INS] = "ins", [X86_OUTS] = "outs",
    [X86_CLC] = "clc", [X86_STC] = "stc", [X86_CMC] = "cmc", [X86_CLD] = "cld",
    [X86_STD] = "std", [X86_CLI] = "cli", [X86_STI] = "sti",
    [X86_NOP] = "nop", [X86_PAUSE] = "pause", [X86_HLT] = "hlt", [X86_WAIT] = "wait",
    [X86_CPUID] = "cpuid", [X86_RDTSC] = "rdtsc", [X86_RDMSR] = "rdmsr",
    [X86_WRMSR] = "wrmsr", [X86_RDPMC] = "rdpmc", [X86_UD2] = "ud2",
    [X86_UD1] = "ud1", [X86_UD0] = "ud0", [X86_IN] = "in", [X86_OUT] = "out",
    [X86_PREFETCH] = "prefetch",
    [X86_SGDT] = "sgdt", [X86_SIDT] = "sidt", [X86_LGDT] = "lgdt",
    [X86_LIDT] = "lidt", [X86_SMSW] = "smsw", [X86_LMSW] = "lmsw",
    [X86_INVLPG] = "invlpg", [X86_SLDT] = "sldt", [X86_STR] = "str",
    [X86_LLDT] = "lldt", [X86_LTR] = "ltr", [X86_VERR] = "verr",
    [X86_VERW] = "verw", [X86_LAR] = "lar", [X86_LSL] = "lsl",
    [X86_CLTS] = "clts", [X86_INVD] = "invd", [X86_WBINVD] = "wbinvd",
    [X86_MOV_CR] = "mov_cr", [X86_MOV_DR] = "mov_dr", [X86_ARPL] = "arpl",
    [X86_SYSENTER] = "sysenter", [X86_SYSEXIT] = "sysexit", [X86_RSM] = "rsm",
    [X86_FPU] = "(x87)", [X86_FXSAVE] = "fxsave", [X86_FXRSTOR] = "fxrstor",
};

const char *x86_mnem_name(int mnem)
{
    if (mnem < 0 || mnem >= X86_MNEM_COUNT || !mnem_names[mnem])
        return "(?)";
    return mnem_names[mnem];
}
