/* diff_mode64.c - decides whether a case's 32-bit code behaves the same
 * in 64-bit mode, and if so re-encodes it for the 64-bit native harness.
 *
 * Built into all three programs (the guest, the 32-bit and the 64-bit
 * native harness): the answer depends only on the case's bytes, so every
 * side splits the cases into the same two classes and hashes them apart.
 *
 * An instruction runs "the same" in 64-bit mode when, with operand sizes
 * 8/16/32 and the upper halves of the 64-bit registers zero, it computes
 * the same low 32 bits of every register, the same EFLAGS and the same
 * memory as in 32-bit mode (SDM 1 3.2.1, 2 2.2.1). The re-encoding:
 *   - INC/DEC r (40-4F are REX prefixes in 64-bit mode) become FF /0, /1
 *     with a register ModRM (SDM 2 "INC": "not encodable in 64-bit mode");
 *   - a memory operand gets the address-size prefix 0x67, so that the
 *     address is computed in 32 bits and wraps as in 32-bit mode; [disp32]
 *     (ModRM mod 00 r/m 101) would be RIP-relative in 64-bit mode and is
 *     re-encoded as SIB with no base and no index (SDM 2 2.2.1.6);
 *   - string instructions, MOV moffs, LOOPcc and JECXZ get 0x67 as well,
 *     so that they use ESI/EDI/ECX and a 4-byte moffs;
 *   - relative branches get their displacement recomputed for the new
 *     instruction lengths.
 * Everything else that the table generates is either identical in 64-bit
 * mode or does not exist there and keeps the case in the 32-bit-only
 * class: BCD adjusts, PUSHA/POPA, BOUND, INTO, SALC, ARPL, LDS/LES, pushes
 * and pops of 32-bit values and of segment registers, CALL/RET/ENTER, the
 * 0x82 alias of 0x80, 16-bit addressing (0x67 in 32-bit code), and a CS
 * override (ignored in 64-bit mode; a write through CS faults in 32-bit
 * mode). Opcodes not listed here are 32-bit-only too, so a new form is
 * never run in 64-bit mode by accident.
 */
#include "tests/diff/diff_mode64.h"

/* What the one-byte opcode is, for the forms the table generates. */
enum {
    K_BAD,    /* does not exist or not the same in 64-bit mode */
    K_PLAIN,  /* no operands beyond the immediate */
    K_MODRM,  /* ModRM (+ SIB, displacement) */
    K_INCDEC, /* 40-4F */
    K_STACK16, /* push/pop: the same with 0x66 only */
    K_STACK16_MODRM,
    K_STRING, /* needs 0x67 for ESI/EDI/ECX */
    K_MOFFS,  /* needs 0x67 for a 4-byte moffs */
    K_REL8,
    K_REL32,
    K_LOOP,   /* rel8 with 0x67 for ECX */
};
/* Immediate: none, 1 byte, 2 bytes, 2 or 4 by operand size. */
enum { I_0, I_8, I_16, I_Z };

struct opinfo {
    uint8_t kind, imm;
};

static struct opinfo one_byte(uint8_t b)
{
    struct opinfo o = { K_BAD, I_0 };

    if (b < 0x40) {
        switch (b & 7) {
        case 0: case 1: case 2: case 3: o.kind = K_MODRM; break;
        case 4: o.kind = K_PLAIN; o.imm = I_8; break;
        case 5: o.kind = K_PLAIN; o.imm = I_Z; break;
        default: break; /* segment push/pop, prefixes, BCD adjusts */
        }
        return o;
    }
    if (b < 0x50) {
        o.kind = K_INCDEC;
        return o;
    }
    if (b < 0x60) {
        o.kind = K_STACK16;
        return o;
    }
    if (b >= 0x70 && b <= 0x7f) {
        o.kind = K_REL8;
        return o;
    }
    if (b >= 0x91 && b <= 0x97) { /* XCHG eAX, r */
        o.kind = K_PLAIN;
        return o;
    }
    if (b >= 0xb0 && b <= 0xbf) {
        o.kind = K_PLAIN;
        o.imm = b < 0xb8 ? I_8 : I_Z;
        return o;
    }
    switch (b) {
    case 0x68: o.kind = K_STACK16; o.imm = I_Z; break;
    case 0x6a: o.kind = K_STACK16; o.imm = I_8; break;
    case 0x69: o.kind = K_MODRM; o.imm = I_Z; break;
    case 0x6b: o.kind = K_MODRM; o.imm = I_8; break;
    case 0x80: case 0x83: case 0xc0: case 0xc1: case 0xc6:
        o.kind = K_MODRM; o.imm = I_8; break;
    case 0x81: case 0xc7: o.kind = K_MODRM; o.imm = I_Z; break;
    case 0x84: case 0x85: case 0x86: case 0x87: case 0x88: case 0x89: case 0x8a:
    case 0x8b: case 0x8d: case 0xd0: case 0xd1: case 0xd2: case 0xd3: case 0xfe:
        o.kind = K_MODRM; break;
    case 0x8f: o.kind = K_STACK16_MODRM; break;
    case 0x90: case 0x98: case 0x99: case 0x9e: case 0x9f: case 0xf5: case 0xf8:
    case 0xf9: case 0xfc: case 0xfd:
        o.kind = K_PLAIN; break;
    case 0x9c: case 0x9d: case 0xc9: o.kind = K_STACK16; break;
    case 0xa0: case 0xa1: case 0xa2: case 0xa3: o.kind = K_MOFFS; break;
    case 0xa4: case 0xa5: case 0xa6: case 0xa7: case 0xaa: case 0xab: case 0xac:
    case 0xad: case 0xae: case 0xaf:
        o.kind = K_STRING; break;
    case 0xa8: o.kind = K_PLAIN; o.imm = I_8; break;
    case 0xa9: o.kind = K_PLAIN; o.imm = I_Z; break;
    case 0xe0: case 0xe1: case 0xe2: case 0xe3: o.kind = K_LOOP; break;
    case 0xe9: o.kind = K_REL32; break;
    case 0xeb: o.kind = K_REL8; break;
    case 0xf6: case 0xf7: o.kind = K_MODRM; break; /* TEST's immediate below */
    case 0xff: o.kind = K_MODRM; break;             /* /2-/6 checked below */
    default: break;
    }
    return o;
}

static struct opinfo two_byte(uint8_t b)
{
    struct opinfo o = { K_BAD, I_0 };

    if ((b >= 0x40 && b <= 0x4f) || (b >= 0x90 && b <= 0x9f)) {
        o.kind = K_MODRM;
        return o;
    }
    if (b >= 0x80 && b <= 0x8f) {
        o.kind = K_REL32;
        return o;
    }
    if (b >= 0xc8) {
        o.kind = K_PLAIN; /* BSWAP r32 */
        return o;
    }
    switch (b) {
    case 0x1f: case 0xa3: case 0xa5: case 0xab: case 0xad: case 0xaf: case 0xb0:
    case 0xb1: case 0xb3: case 0xb6: case 0xb7: case 0xbb: case 0xbc: case 0xbd:
    case 0xbe: case 0xbf: case 0xc0: case 0xc1: case 0xc7:
        o.kind = K_MODRM; break;
    case 0xa4: case 0xac: case 0xba: o.kind = K_MODRM; o.imm = I_8; break;
    default: break;
    }
    return o;
}

/* One relative branch of the re-encoded code, patched at the end. */
struct branch {
    unsigned at64;   /* offset of the displacement in the output */
    unsigned size;   /* 1 or 4 */
    unsigned end64;  /* end of the instruction in the output */
    unsigned target; /* target offset in the 32-bit code */
};

static void put(struct diff_code64 *o, uint8_t b)
{
    o->code[o->len++] = b;
}

const char *diff_to64(const uint8_t *code, unsigned len, struct diff_code64 *o)
{
    struct branch br[DIFF64_MAX_INSNS];
    unsigned nbr = 0, p = 0, i;

    o->len = 0;
    o->ninsn = 0;
    while (p < len) {
        uint8_t pfx[8], b;
        unsigned npfx = 0, opsize16 = 0, mem = 0, k, imm = 0;
        struct opinfo info;
        int twobyte = 0;
        unsigned start64;

        if (o->ninsn >= DIFF64_MAX_INSNS - 1)
            return "too many instructions";
        o->off32[o->ninsn] = (uint16_t)p;
        for (;;) {
            if (p >= len)
                return "truncated";
            b = code[p];
            if (b == 0x66)
                opsize16 = 1;
            else if (b == 0x67)
                return "16-bit addressing";
            else if (b == 0x2e)
                return "CS override";
            else if (b == 0x64 || b == 0x65)
                return "FS/GS override";
            else if (b != 0x26 && b != 0x36 && b != 0x3e && b != 0xf0 && b != 0xf2 &&
                     b != 0xf3)
                break;
            if (npfx == sizeof(pfx))
                return "too many prefixes";
            pfx[npfx++] = b;
            p++;
        }
        p++;
        if (b == 0x0f) {
            if (p >= len)
                return "truncated";
            b = code[p++];
            twobyte = 1;
            info = two_byte(b);
        } else {
            info = one_byte(b);
        }
        switch (info.kind) {
        case K_BAD:
            return "not in 64-bit mode";
        case K_STACK16:
        case K_STACK16_MODRM:
            /* 64-bit mode has no 32-bit push or pop (SDM 2 PUSH: "operand
             * size 32 ... not encodable in 64-bit mode"); 16-bit ones move
             * ESP (RSP) by 2 as in 32-bit mode. */
            if (!opsize16)
                return "32-bit stack operation";
            break;
        case K_REL8:
        case K_REL32:
        case K_LOOP:
            if (opsize16)
                return "16-bit branch";
            break;
        default:
            break;
        }

        /* The ModRM byte, its SIB and displacement (32-bit addressing). */
        {
            uint8_t body[16];
            unsigned nb = 0, modrm_at = 0;
            int has_modrm = info.kind == K_MODRM || info.kind == K_STACK16_MODRM;

            if (has_modrm) {
                uint8_t m, mod, rm, reg;
                if (p >= len)
                    return "truncated";
                m = code[p++];
                mod = m >> 6;
                reg = (m >> 3) & 7;
                rm = m & 7;
                if (!twobyte && b == 0xff && reg >= 2 && reg != 6)
                    return "not in 64-bit mode"; /* CALL/JMP near/far E */
                if (!twobyte && b == 0xff && reg == 6 && !opsize16)
                    return "32-bit stack operation";
                if (twobyte && b == 0xc7 && reg != 1)
                    return "not in 64-bit mode";
                modrm_at = nb;
                body[nb++] = m;
                if (mod != 3) {
                    unsigned disp = mod == 1 ? 1 : mod == 2 ? 4 : 0;
                    mem = 1;
                    if (rm == 4) {
                        if (p >= len)
                            return "truncated";
                        if (mod == 0 && (code[p] & 7) == 5)
                            disp = 4;
                        body[nb++] = code[p++];
                    } else if (mod == 0 && rm == 5) {
                        /* [disp32] -> SIB: no index (100), no base (101). */
                        body[modrm_at] = (uint8_t)(reg << 3 | 4);
                        body[nb++] = 0x25;
                        disp = 4;
                    }
                    if (p + disp > len)
                        return "truncated";
                    for (k = 0; k < disp; k++)
                        body[nb++] = code[p++];
                }
                if (!twobyte && (b == 0xf6 || b == 0xf7) && reg < 2)
                    info.imm = b == 0xf6 ? I_8 : I_Z;
            }
            switch (info.imm) {
            case I_8: imm = 1; break;
            case I_16: imm = 2; break;
            case I_Z: imm = opsize16 ? 2 : 4; break;
            default: break;
            }
            if (info.kind == K_MOFFS)
                imm = 4;
            if (info.kind == K_REL8 || info.kind == K_LOOP)
                imm = 1;
            if (info.kind == K_REL32)
                imm = 4;
            if (p + imm > len)
                return "truncated";

            /* Emit: [0x67] prefixes opcode [ModRM...] [imm]. */
            start64 = o->len;
            o->off64[o->ninsn] = (uint16_t)start64;
            if (mem || info.kind == K_STRING || info.kind == K_MOFFS || info.kind == K_LOOP)
                put(o, 0x67);
            for (k = 0; k < npfx; k++)
                put(o, pfx[k]);
            if (info.kind == K_INCDEC) {
                put(o, 0xff);
                put(o, (uint8_t)((b < 0x48 ? 0xc0 : 0xc8) | (b & 7)));
            } else {
                if (twobyte)
                    put(o, 0x0f);
                put(o, b);
            }
            for (k = 0; k < nb; k++)
                put(o, body[k]);
            if (info.kind == K_REL8 || info.kind == K_LOOP || info.kind == K_REL32) {
                int32_t d = 0;
                for (k = 0; k < imm; k++)
                    d |= (int32_t)((uint32_t)code[p + k] << (8 * k));
                if (imm == 1)
                    d = (int8_t)d;
                if (nbr == DIFF64_MAX_INSNS)
                    return "too many branches";
                br[nbr].at64 = o->len;
                br[nbr].size = imm;
                br[nbr].end64 = o->len + imm;
                br[nbr].target = (unsigned)((int32_t)(p + imm) + d);
                nbr++;
            }
            for (k = 0; k < imm; k++)
                put(o, code[p++]);
        }
        o->ninsn++;
        if (o->len > sizeof(o->code) - 8)
            return "too long";
    }
    o->off32[o->ninsn] = (uint16_t)p;
    o->off64[o->ninsn] = (uint16_t)o->len;

    /* Branch targets: an instruction boundary of the case, or its end
     * (the jump back to the executor). */
    for (i = 0; i < nbr; i++) {
        unsigned j;
        int32_t d;
        for (j = 0; j <= o->ninsn && o->off32[j] != br[i].target; j++)
            ;
        if (j > o->ninsn)
            return "branch into an instruction";
        d = (int32_t)o->off64[j] - (int32_t)br[i].end64;
        if (br[i].size == 1 && (d < -128 || d > 127))
            return "branch out of range";
        for (j = 0; j < br[i].size; j++)
            o->code[br[i].at64 + j] = (uint8_t)((uint32_t)d >> (8 * j));
    }
    return 0;
}

unsigned diff_off64_to32(const struct diff_code64 *o, unsigned off64)
{
    unsigned i;

    for (i = 0; i <= o->ninsn; i++)
        if (o->off64[i] == off64)
            return o->off32[i];
    return 0x80000000u | off64; /* not at an instruction boundary */
}
