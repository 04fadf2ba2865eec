/*
 * decode.h - x86 instruction decoder: guest bytes -> struct x86_insn.
 *
 * The decoder only decodes: it fills a plain struct and never emits code.
 * One opcode table (x86_table.c), written with the manual's operand codes
 * (Eb, Ev, Gv, Ib, Iz, Jb, ...), drives both decoding and the translator's
 * dispatch (by insn->mnem). It knows the length of every instruction of the
 * 16- and 32-bit ISA, including those the translator does not implement
 * (MMX, SSE, VEX...), which come back with mnem X86_UNIMPL.
 */
#ifndef TRANSLATOR_DECODE_H
#define TRANSLATOR_DECODE_H

#include <stdbool.h>
#include <stdint.h>

enum x86_mnem {
    X86_INVALID = 0, /* undefined opcode: #UD */
    X86_UNIMPL,      /* valid encoding the translator does not handle: #UD */
    /* arithmetic and logic */
    X86_ADD, X86_OR, X86_ADC, X86_SBB, X86_AND, X86_SUB, X86_XOR, X86_CMP,
    X86_TEST, X86_INC, X86_DEC, X86_NEG, X86_NOT,
    X86_MUL, X86_IMUL, X86_DIV, X86_IDIV,
    X86_ROL, X86_ROR, X86_RCL, X86_RCR, X86_SHL, X86_SHR, X86_SAL, X86_SAR,
    X86_SHLD, X86_SHRD,
    X86_DAA, X86_DAS, X86_AAA, X86_AAS, X86_AAM, X86_AAD, X86_SALC,
    X86_CBW,  /* CBW / CWDE by operand size */
    X86_CWD,  /* CWD / CDQ */
    X86_BT, X86_BTS, X86_BTR, X86_BTC, X86_BSF, X86_BSR,
    X86_POPCNT, X86_TZCNT, X86_LZCNT,
    /* data movement */
    X86_MOV, X86_MOVZX, X86_MOVSX, X86_LEA, X86_XCHG, X86_XLAT,
    X86_CMPXCHG, X86_CMPXCHG8B, X86_XADD, X86_BSWAP, X86_CMOVCC, X86_SETCC,
    X86_PUSH, X86_POP, X86_PUSHA, X86_POPA, X86_PUSHF, X86_POPF,
    X86_LAHF, X86_SAHF, X86_ENTER, X86_LEAVE,
    X86_LES, X86_LDS, X86_LSS, X86_LFS, X86_LGS,
    /* control transfer */
    X86_JMP, X86_JMPF, X86_JCC, X86_CALL, X86_CALLF, X86_RET, X86_RETF,
    X86_LOOP, X86_LOOPE, X86_LOOPNE, X86_JCXZ,
    X86_INT, X86_INT3, X86_INTO, X86_INT1, X86_IRET, X86_BOUND,
    /* strings (insn->rep says REP/REPE/REPNE) */
    X86_MOVS, X86_CMPS, X86_STOS, X86_LODS, X86_SCAS, X86_INS, X86_OUTS,
    /* flags and misc */
    X86_CLC, X86_STC, X86_CMC, X86_CLD, X86_STD, X86_CLI, X86_STI,
    X86_NOP, X86_PAUSE, X86_HLT, X86_WAIT, X86_CPUID, X86_RDTSC, X86_RDMSR,
    X86_WRMSR, X86_RDPMC, X86_UD2, X86_UD1, X86_UD0, X86_IN, X86_OUT,
    X86_PREFETCH, /* hint NOPs: prefetch*, 0F 18-1F reserved NOPs */
    /* system */
    X86_SGDT, X86_SIDT, X86_LGDT, X86_LIDT, X86_SMSW, X86_LMSW, X86_INVLPG,
    X86_SLDT, X86_STR, X86_LLDT, X86_LTR, X86_VERR, X86_VERW, X86_LAR,
    X86_LSL, X86_CLTS, X86_INVD, X86_WBINVD, X86_MOV_CR, X86_MOV_DR,
    X86_ARPL, X86_SYSENTER, X86_SYSEXIT, X86_RSM,
    X86_FPU, /* x87 escape D8-DF: insn->opcode and ModRM say which */
    X86_FXSAVE, X86_FXRSTOR,
    X86_MNEM_COUNT
};

enum x86_opnd_kind {
    OPND_NONE,
    OPND_REG,  /* general register: reg 0-7; size 1 with reg 4-7 is AH..BH */
    OPND_MEM,  /* memory: insn->mem */
    OPND_IMM,  /* immediate: value (sign- or zero-extended to size) */
    OPND_SEG,  /* segment register: reg = SEG_* */
    OPND_CR,   /* control register: reg */
    OPND_DR,   /* debug register: reg */
    OPND_REL,  /* branch target: value = eip of the next insn + displacement,
                  truncated to the operand size */
    OPND_FAR,  /* ptr16:16 / ptr16:32: value = offset, sel = selector */
};

struct x86_operand {
    uint8_t kind;
    uint8_t size; /* bytes: 1, 2, 4, 6 (m16:32), 8 */
    uint8_t reg;
    uint16_t sel;
    uint64_t value; /* immediate or branch target, truncated to size */
};

/* Effective address: seg:[base + index*scale + disp] (16-bit forms map to
 * base/index too: [bx+si] is base=BX index=SI scale=0). */
struct x86_mem {
    int8_t seg;   /* effective segment (override applied), SEG_* */
    int8_t base;  /* register or -1 */
    int8_t index; /* register or -1 */
    uint8_t scale; /* log2: 0..3 */
    int32_t disp;
};

enum { REP_NONE = 0, REP_F3 = 1 /* REP / REPE */, REP_F2 = 2 /* REPNE */ };

struct x86_insn {
    uint64_t pc;       /* eip of the first byte */
    uint8_t len;       /* bytes, 1..15 */
    uint16_t mnem;     /* enum x86_mnem */
    uint8_t cc;        /* condition for JCC/SETCC/CMOVCC (low nibble of opcode) */
    uint8_t map;       /* 0: one-byte, 1: 0F, 2: 0F38, 3: 0F3A */
    uint8_t opcode;    /* last opcode byte */
    uint8_t opsize;    /* 2 or 4 after 66h */
    uint8_t addrsize;  /* 2 or 4 after 67h */
    int8_t seg_override; /* SEG_* or -1 */
    uint8_t rep;       /* REP_* */
    bool lock;
    bool has_modrm;
    uint8_t modrm, mod, reg, rm; /* reg/rm raw 3-bit fields */
    struct x86_mem mem;          /* valid when an operand is OPND_MEM */
    uint8_t n_opnds;
    struct x86_operand op[3];    /* in Intel order: destination first */
};

enum x86_decode_status {
    DECODE_OK = 0,
    DECODE_INVALID,  /* undefined opcode or bad ModRM form: #UD */
    DECODE_TOO_LONG, /* more than 15 bytes: #GP(0) */
};

/* Fetch the byte at offset i from the start of the instruction. The
 * translator's version reads through the TLB and may raise #PF (longjmp);
 * it is called at most 15 times, in order. */
typedef uint8_t (*x86_fetch_fn)(void *opaque, unsigned i);

/* mode: 16 or 32 (the code segment's default size). On DECODE_INVALID,
 * insn->len is the length consumed so far. */
enum x86_decode_status x86_decode(struct x86_insn *insn, int mode, uint64_t pc,
                                  x86_fetch_fn fetch, void *opaque);
/* Convenience for tests: decode from a buffer (bytes past avail read 0). */
enum x86_decode_status x86_decode_buf(struct x86_insn *insn, int mode,
                                      uint64_t pc, const uint8_t *buf,
                                      unsigned avail);

const char *x86_mnem_name(int mnem);

#endif
