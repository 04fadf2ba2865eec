/*
 * x86_table.h - the opcode table that drives decode.c: one entry per opcode
 * (one-byte, 0F, 0F38, 0F3A maps), per ModRM.reg for the groups, per
 * mandatory prefix where SSE forms differ, written with the operand codes of
 * the Intel SDM Vol. 2 Appendix A (Eb, Gv, Iz, Jb, ...).
 */
#ifndef TRANSLATOR_X86_TABLE_H
#define TRANSLATOR_X86_TABLE_H

#include <stdint.h>

#include "translator/x86/decode.h"

/*
 * Operand codes (SDM Vol. 2 A.2.1/A.2.2). The letter is the addressing
 * method, the suffix the size: b byte, w word, d dword, v 16/32 by operand
 * size, z 16/32 immediate, p far pointer. A few additions:
 *   Ibs   Ib sign-extended to the operand size (83, 6A, 6B)
 *   Zb/Zv register in the low 3 bits of the opcode (40-5F, 90-BF, 0F C8)
 *   MwRv  Mw when memory, Rv when register (MOV from Sreg, SLDT, STR, SMSW)
 *   W/V/U/N  SSE or MMX register operand from ModRM.rm / ModRM.reg; U is
 *         register-only; the decoder only needs them for length/validity
 *   sES..sGS  a fixed segment register; I_1 the constant 1 of D0-D3
 */
enum x86_ocode {
    OC_NONE = 0,
    Eb, Ew, Ed, Ev, MwRv,
    Gb, Gw, Gd, Gv,
    M, Mb, Mw, Md, Mq, Mp, Ma, Ms, Mt,
    Rd, Rv,
    Ib, Ibs, Iw, Iz,
    Jb, Jz, Ap, Ob, Ov,
    Xb, Xv, Xz, Yb, Yv, Yz,
    Sw, Cd, Dd,
    Zb, Zv,
    AL, CL, DX, eAX, I_1,
    sES, sCS, sSS, sDS, sFS, sGS,
    W, V, U,
    OC_COUNT
};

/* Entry kinds beyond enum x86_mnem. */
enum {
    X86_T_PREFIX = X86_MNEM_COUNT + 1, /* legacy prefix byte */
    X86_T_GROUP,   /* ModRM.reg selects in x86_groups[sub] */
    X86_T_SSE,     /* mandatory prefix selects in x86_sse_0f[sub] */
    X86_T_RM,      /* ModRM.rm selects in x86_rm_tables[sub] (mod == 3) */
    X86_T_0F,      /* two-byte escape */
    X86_T_0F38,    /* three-byte escape 0F 38 */
    X86_T_0F3A,    /* three-byte escape 0F 3A */
    X86_T_3DNOW,   /* 0F 0F: ModRM, then an opcode byte as the suffix */
};

enum {
    F_LOCK = 1 << 0,  /* LOCK allowed (with a memory destination) */
    F_CC = 1 << 1,    /* insn->cc = low nibble of the opcode */
    F_MODRM = 1 << 2, /* has a ModRM byte no operand code shows */
    F_IGNMOD = 1 << 3, /* ModRM.mod is ignored: always a register (MOV CR/DR) */
};

/* Mandatory prefix of an SSE form (SDM Vol. 2 2.1.2). */
enum { PFX_NP = 0, PFX_66 = 1, PFX_F3 = 2, PFX_F2 = 3 };
enum { P_NP = 1 << PFX_NP, P_66 = 1 << PFX_66, P_F3 = 1 << PFX_F3, P_F2 = 1 << PFX_F2 };

struct x86_opcode {
    uint16_t mnem;   /* enum x86_mnem or X86_T_* */
    uint8_t opnd[3]; /* enum x86_ocode, destination first */
    uint8_t flags;   /* F_* */
    uint8_t pfx;     /* nonzero: SSE form valid only with these P_* */
    uint8_t sub;     /* X86_T_GROUP/SSE/RM: index of the sub-table */
};

enum x86_group {
    GRP_NONE, GRP1, GRP1A, GRP2, GRP3B, GRP3V, GRP4, GRP5, GRP6, GRP7, GRP8,
    GRP9, GRP11B, GRP11V, GRP12, GRP13, GRP14, GRP15, GRP16, GRP_PREFETCH,
    GRP_PADLOCK6, GRP_PADLOCK7, GRP_COUNT
};

extern const struct x86_opcode x86_map_1b[256];
extern const struct x86_opcode x86_map_0f[256];
extern const struct x86_opcode x86_map_0f38[256];
extern const struct x86_opcode x86_map_0f3a[256];
/* [group][mod == 3][ModRM.reg] */
extern const struct x86_opcode x86_groups[GRP_COUNT][2][8];

/* Sub-tables by mandatory prefix, outside the 0F map. */
enum x86_sse_sub {
    SS_NONE, SS_0FC7_M6, SS_0FC7_R7, SS_0FAE_M6, SS_0FAE_M7, SS_0F38_F0,
    SS_0F38_F1, SS_0F38_F6, SS_COUNT
};
/* [0F opcode][mandatory prefix PFX_*] for X86_T_SSE entries of the 0F map */
extern const struct x86_opcode x86_sse_0f[256][4];
/* [enum x86_sse_sub][PFX_*] for X86_T_SSE entries elsewhere */
extern const struct x86_opcode x86_sse_sub[SS_COUNT][4];

/* Register forms (mod == 3) selected by ModRM.rm. */
enum x86_rm_sub {
    RM_NONE, RM_0F01_0, RM_0F01_1, RM_0F01_2, RM_0F01_3, RM_0F01_5, RM_0F01_7,
    RM_0FAE_5, RM_0FAE_6, RM_0FAE_7, RM_C6_7, RM_C7_7, RM_RM0, RM_COUNT
};
/* [enum x86_rm_sub][ModRM.rm] */
extern const struct x86_opcode x86_rm_tables[RM_COUNT][8];

/* VEX-encoded forms: [map 0F/0F38/0F3A][opcode][pp as PFX_*]. */
enum {
    VEX_OK = 1 << 0, /* defined */
    VL0 = 1 << 1,    /* VEX.L must be 0 */
    VL1 = 1 << 2,    /* VEX.L must be 1 */
    VW0 = 1 << 3,    /* VEX.W must be 0 (unused: see x86_table.c) */
    VW1 = 1 << 4,    /* VEX.W must be 1 */
    VMEM = 1 << 5,   /* memory operand only */
    VREG = 1 << 6,   /* register operand only */
    VNOV = 1 << 7,   /* no VEX.vvvv operand */
};
struct x86_vex_form {
    uint8_t flags;   /* VEX_OK | VL0 ... */
    uint8_t regmask; /* allowed ModRM.reg values (groups), 0 = any */
};
extern const struct x86_vex_form x86_vex_0f[256][4];
extern const struct x86_vex_form x86_vex_0f38[256][4];
extern const struct x86_vex_form x86_vex_0f3a[256][4];

/* EVEX-encoded forms: [map 0F/0F38/0F3A][opcode][pp as PFX_*]. */
enum {
    EVEX_OK = 1 << 0,
    EW0 = 1 << 1,     /* EVEX.W = 0 allowed */
    EW1 = 1 << 2,     /* EVEX.W = 1 allowed */
    EMEM = 1 << 3,    /* memory operand only */
    EREG = 1 << 4,    /* register operand only */
    ELIG = 1 << 5,    /* scalar: EVEX.L'L ignored */
    EL128 = 1 << 6,   /* 128-bit only */
    ENOT128 = 1 << 7, /* 256/512-bit only */
    E512 = 1 << 8,    /* 512-bit only */
    ENOV = 1 << 9,    /* no EVEX.vvvv operand */
    ENOMASK = 1 << 10, /* no masking: EVEX.aaa and z must be 0 */
    ESTORE = 1 << 11, /* ModRM.rm is the destination: no {z} with memory */
};
struct x86_evex_form {
    uint16_t flags;
    uint8_t regmask; /* allowed ModRM.reg values (groups), 0 = any */
};
extern const struct x86_evex_form x86_evex_0f[256][4];
extern const struct x86_evex_form x86_evex_0f38[256][4];
extern const struct x86_evex_form x86_evex_0f3a[256][4];
/* EVEX.b: may this form broadcast a memory element (m32bcst/m64bcst), and
 * does it take embedded rounding or SAE in its register form? */
int x86_evex_bcast(unsigned map, uint8_t op, unsigned pp);
int x86_evex_sae(unsigned map, uint8_t op, unsigned pp);
/* ... and, of those, the ones with embedded rounding, where L'L is the
 * rounding mode (SDM Vol. 2A Table 2-36); the others take {sae} only with
 * their 512-bit (or scalar) form. */
int x86_evex_er(unsigned map, uint8_t op, unsigned pp);

/* XOP-encoded forms (AMD APM Vol. 6 Appendix A; TBM and LWP in Vol. 3):
 * the ModRM.reg values defined for opcode op of XOP map 8, 9 or 0Ah. */
uint8_t x86_xop_regmask(unsigned map, uint8_t op);
/* ... and whether it has no XOP.vvvv operand (vvvv must then be 1111b). */
int x86_xop_no_vvvv(unsigned map, uint8_t op);
/* ... and whether it has a 256-bit form (XOP.L = 1). */
int x86_xop_256(unsigned map, uint8_t op);

/* x87 (D8-DF): is this escape form defined? (SDM Vol. 2 A.5) */
int x86_fpu_valid(uint8_t esc, uint8_t modrm);
/* 3DNow! suffix opcode byte defined? (AMD 3DNow! Technology Manual) */
int x86_3dnow_valid(uint8_t suffix);

#endif
