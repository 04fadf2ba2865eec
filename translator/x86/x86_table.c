/*
 * x86_table.c - the x86 opcode maps of the 16/32-bit ISA (SDM Vol. 2
 * Appendix A), as data: one-byte, 0F, 0F38 and 0F3A maps, the ModRM.reg
 * groups, the SSE forms selected by a mandatory prefix, and the x87 and
 * 3DNow! validity rules. decode.c walks these tables; nothing here decodes.
 */
#include "translator/x86/x86_table.h"

/* Short builders: an integer instruction, a valid-but-unimplemented form,
 * an SSE form allowed with the prefixes in mask m, an escape to a group. */
#define I(mn, ...) { X86_##mn, { __VA_ARGS__ }, 0, 0, 0 }
#define IF(mn, fl, ...) { X86_##mn, { __VA_ARGS__ }, fl, 0, 0 }
#define UN(...) { X86_UNIMPL, { __VA_ARGS__ }, 0, 0, 0 }
#define UNF(fl, ...) { X86_UNIMPL, { __VA_ARGS__ }, fl, 0, 0 }
#define SP(m, ...) { X86_UNIMPL, { __VA_ARGS__ }, 0, m, 0 }
#define GRP(g, ...) { X86_T_GROUP, { __VA_ARGS__ }, 0, 0, g }
#define SSE() { X86_T_SSE, { 0 }, 0, 0, 0 }
#define SSES(s) { X86_T_SSE, { 0 }, 0, 0, s }
#define RMT(s) { X86_T_RM, { 0 }, 0, 0, s }
#define PFX() { X86_T_PREFIX, { 0 }, 0, 0, 0 }
#define INV() { X86_INVALID, { 0 }, 0, 0, 0 }

/* The six forms of the classic ALU opcodes 00-3D (SDM Table A-2). */
#define ALU6(b, mn, lk)                                                        \
    [(b) + 0] = IF(mn, lk, Eb, Gb), [(b) + 1] = IF(mn, lk, Ev, Gv),            \
    [(b) + 2] = I(mn, Gb, Eb), [(b) + 3] = I(mn, Gv, Ev),                      \
    [(b) + 4] = I(mn, AL, Ib), [(b) + 5] = I(mn, eAX, Iz)

const struct x86_opcode x86_map_1b[256] = {
    ALU6(0x00, ADD, F_LOCK), [0x06] = I(PUSH, sES), [0x07] = I(POP, sES),
    ALU6(0x08, OR, F_LOCK), [0x0e] = I(PUSH, sCS), [0x0f] = { X86_T_0F, { 0 }, 0, 0, 0 },
    ALU6(0x10, ADC, F_LOCK), [0x16] = I(PUSH, sSS), [0x17] = I(POP, sSS),
    ALU6(0x18, SBB, F_LOCK), [0x1e] = I(PUSH, sDS), [0x1f] = I(POP, sDS),
    ALU6(0x20, AND, F_LOCK), [0x26] = PFX(), [0x27] = I(DAA),
    ALU6(0x28, SUB, F_LOCK), [0x2e] = PFX(), [0x2f] = I(DAS),
    ALU6(0x30, XOR, F_LOCK), [0x36] = PFX(), [0x37] = I(AAA),
    ALU6(0x38, CMP, 0), [0x3e] = PFX(), [0x3f] = I(AAS),
    [0x40 ... 0x47] = I(INC, Zv),
    [0x48 ... 0x4f] = I(DEC, Zv),
    [0x50 ... 0x57] = I(PUSH, Zv),
    [0x58 ... 0x5f] = I(POP, Zv),
    [0x60] = I(PUSHA), [0x61] = I(POPA), [0x62] = I(BOUND, Gv, Ma),
    [0x63] = I(ARPL, Ew, Gw),
    [0x64 ... 0x67] = PFX(),
    [0x68] = I(PUSH, Iz), [0x69] = I(IMUL, Gv, Ev, Iz),
    [0x6a] = I(PUSH, Ibs), [0x6b] = I(IMUL, Gv, Ev, Ibs),
    [0x6c] = I(INS, Yb, DX), [0x6d] = I(INS, Yz, DX),
    [0x6e] = I(OUTS, DX, Xb), [0x6f] = I(OUTS, DX, Xz),
    [0x70 ... 0x7f] = IF(JCC, F_CC, Jb),
    [0x80] = GRP(GRP1, Eb, Ib), [0x81] = GRP(GRP1, Ev, Iz),
    [0x82] = GRP(GRP1, Eb, Ib), [0x83] = GRP(GRP1, Ev, Ibs),
    [0x84] = I(TEST, Eb, Gb), [0x85] = I(TEST, Ev, Gv),
    [0x86] = IF(XCHG, F_LOCK, Eb, Gb), [0x87] = IF(XCHG, F_LOCK, Ev, Gv),
    [0x88] = I(MOV, Eb, Gb), [0x89] = I(MOV, Ev, Gv),
    [0x8a] = I(MOV, Gb, Eb), [0x8b] = I(MOV, Gv, Ev),
    [0x8c] = I(MOV, MwRv, Sw), [0x8d] = I(LEA, Gv, M),
    [0x8e] = I(MOV, Sw, Ew), [0x8f] = GRP(GRP1A),
    [0x90] = I(NOP),
    [0x91 ... 0x97] = I(XCHG, eAX, Zv),
    [0x98] = I(CBW), [0x99] = I(CWD), [0x9a] = I(CALLF, Ap), [0x9b] = I(WAIT),
    [0x9c] = I(PUSHF), [0x9d] = I(POPF), [0x9e] = I(SAHF), [0x9f] = I(LAHF),
    [0xa0] = I(MOV, AL, Ob), [0xa1] = I(MOV, eAX, Ov),
    [0xa2] = I(MOV, Ob, AL), [0xa3] = I(MOV, Ov, eAX),
    [0xa4] = I(MOVS, Yb, Xb), [0xa5] = I(MOVS, Yv, Xv),
    [0xa6] = I(CMPS, Xb, Yb), [0xa7] = I(CMPS, Xv, Yv),
    [0xa8] = I(TEST, AL, Ib), [0xa9] = I(TEST, eAX, Iz),
    [0xaa] = I(STOS, Yb, AL), [0xab] = I(STOS, Yv, eAX),
    [0xac] = I(LODS, AL, Xb), [0xad] = I(LODS, eAX, Xv),
    [0xae] = I(SCAS, AL, Yb), [0xaf] = I(SCAS, eAX, Yv),
    [0xb0 ... 0xb7] = I(MOV, Zb, Ib),
    [0xb8 ... 0xbf] = I(MOV, Zv, Iz),
    [0xc0] = GRP(GRP2, Eb, Ib), [0xc1] = GRP(GRP2, Ev, Ib),
    [0xc2] = I(RET, Iw), [0xc3] = I(RET),
    [0xc4] = I(LES, Gv, Mp), [0xc5] = I(LDS, Gv, Mp),
    [0xc6] = GRP(GRP11B), [0xc7] = GRP(GRP11V),
    [0xc8] = I(ENTER, Iw, Ib), [0xc9] = I(LEAVE),
    [0xca] = I(RETF, Iw), [0xcb] = I(RETF),
    [0xcc] = I(INT3), [0xcd] = I(INT, Ib), [0xce] = I(INTO), [0xcf] = I(IRET),
    [0xd0] = GRP(GRP2, Eb, I_1), [0xd1] = GRP(GRP2, Ev, I_1),
    [0xd2] = GRP(GRP2, Eb, CL), [0xd3] = GRP(GRP2, Ev, CL),
    [0xd4] = I(AAM, Ib), [0xd5] = I(AAD, Ib), [0xd6] = I(SALC), [0xd7] = I(XLAT),
    [0xd8 ... 0xdf] = { X86_FPU, { 0 }, F_MODRM, 0, 0 },
    [0xe0] = IF(LOOPNE, 0, Jb), [0xe1] = IF(LOOPE, 0, Jb),
    [0xe2] = IF(LOOP, 0, Jb), [0xe3] = IF(JCXZ, 0, Jb),
    [0xe4] = I(IN, AL, Ib), [0xe5] = I(IN, eAX, Ib),
    [0xe6] = I(OUT, Ib, AL), [0xe7] = I(OUT, Ib, eAX),
    [0xe8] = I(CALL, Jz), [0xe9] = I(JMP, Jz), [0xea] = I(JMPF, Ap),
    [0xeb] = I(JMP, Jb),
    [0xec] = I(IN, AL, DX), [0xed] = I(IN, eAX, DX),
    [0xee] = I(OUT, DX, AL), [0xef] = I(OUT, DX, eAX),
    [0xf0] = PFX(), [0xf1] = I(INT1), [0xf2] = PFX(), [0xf3] = PFX(),
    [0xf4] = I(HLT), [0xf5] = I(CMC),
    [0xf6] = GRP(GRP3B, Eb), [0xf7] = GRP(GRP3V, Ev),
    [0xf8] = I(CLC), [0xf9] = I(STC), [0xfa] = I(CLI), [0xfb] = I(STI),
    [0xfc] = I(CLD), [0xfd] = I(STD),
    [0xfe] = GRP(GRP4, Eb), [0xff] = GRP(GRP5),
};

const struct x86_opcode x86_map_0f[256] = {
    [0x00] = GRP(GRP6), [0x01] = GRP(GRP7),
    /* LAR/LSL r, r32/m16 (SDM): the register source has the operand size */
    [0x02] = I(LAR, Gv, MwRv), [0x03] = I(LSL, Gv, MwRv),
    [0x05] = UN(), /* SYSCALL (AMD, legacy mode) */
    [0x06] = I(CLTS), [0x07] = UN(), /* SYSRET */
    [0x08] = I(INVD), [0x09] = I(WBINVD),
    [0x0b] = I(UD2),
    [0x0d] = GRP(GRP_PREFETCH),
    [0x0e] = UN(), /* FEMMS */
    [0x0f] = { X86_T_3DNOW, { 0 }, 0, 0, 0 },
    [0x10 ... 0x17] = SSE(),
    [0x18] = GRP(GRP16),
    /* SDM Table A-3 note: 0F 19-1F are reserved NOPs, 0F 1F /0 the
     * documented multi-byte NOP. */
    [0x19 ... 0x1e] = I(PREFETCH, Ev),
    [0x1f] = I(NOP, Ev),
    /* SDM MOV CR/DR: "the two bits in the mod field are ignored" */
    [0x20] = IF(MOV_CR, F_IGNMOD, Rd, Cd), [0x21] = IF(MOV_DR, F_IGNMOD, Rd, Dd),
    [0x22] = IF(MOV_CR, F_IGNMOD, Cd, Rd), [0x23] = IF(MOV_DR, F_IGNMOD, Dd, Rd),
    [0x28 ... 0x2f] = SSE(),
    [0x30] = I(WRMSR), [0x31] = I(RDTSC), [0x32] = I(RDMSR), [0x33] = I(RDPMC),
    [0x34] = I(SYSENTER), [0x35] = I(SYSEXIT), [0x37] = UN(), /* GETSEC */
    [0x38] = { X86_T_0F38, { 0 }, 0, 0, 0 },
    [0x3a] = { X86_T_0F3A, { 0 }, 0, 0, 0 },
    [0x40 ... 0x4f] = IF(CMOVCC, F_CC, Gv, Ev),
    [0x50 ... 0x7f] = SSE(),
    [0x80 ... 0x8f] = IF(JCC, F_CC, Jz),
    /* SETcc: ModRM.reg is ignored (SDM Table A-3 lists no group) */
    [0x90 ... 0x9f] = IF(SETCC, F_CC, Eb),
    [0xa0] = I(PUSH, sFS), [0xa1] = I(POP, sFS), [0xa2] = I(CPUID),
    [0xa3] = I(BT, Ev, Gv),
    [0xa4] = I(SHLD, Ev, Gv, Ib), [0xa5] = I(SHLD, Ev, Gv, CL),
    [0xa6] = GRP(GRP_PADLOCK6), [0xa7] = GRP(GRP_PADLOCK7),
    [0xa8] = I(PUSH, sGS), [0xa9] = I(POP, sGS), [0xaa] = I(RSM),
    [0xab] = IF(BTS, F_LOCK, Ev, Gv),
    [0xac] = I(SHRD, Ev, Gv, Ib), [0xad] = I(SHRD, Ev, Gv, CL),
    [0xae] = GRP(GRP15), [0xaf] = I(IMUL, Gv, Ev),
    [0xb0] = IF(CMPXCHG, F_LOCK, Eb, Gb), [0xb1] = IF(CMPXCHG, F_LOCK, Ev, Gv),
    [0xb2] = I(LSS, Gv, Mp), [0xb3] = IF(BTR, F_LOCK, Ev, Gv),
    [0xb4] = I(LFS, Gv, Mp), [0xb5] = I(LGS, Gv, Mp),
    [0xb6] = I(MOVZX, Gv, Eb), [0xb7] = I(MOVZX, Gv, Ew),
    [0xb8] = SSE(), /* POPCNT (F3) */
    [0xb9] = I(UD1, Gv, Ev),
    [0xba] = GRP(GRP8, Ev, Ib), [0xbb] = IF(BTC, F_LOCK, Ev, Gv),
    [0xbc] = SSE(), [0xbd] = SSE(), /* BSF/TZCNT, BSR/LZCNT */
    [0xbe] = I(MOVSX, Gv, Eb), [0xbf] = I(MOVSX, Gv, Ew),
    [0xc0] = IF(XADD, F_LOCK, Eb, Gb), [0xc1] = IF(XADD, F_LOCK, Ev, Gv),
    [0xc2 ... 0xc6] = SSE(),
    [0xc7] = GRP(GRP9),
    [0xc8 ... 0xcf] = I(BSWAP, Zv),
    [0xd0 ... 0xfe] = SSE(),
    [0xff] = I(UD0, Gv, Ev),
};

/* Mandatory-prefix forms of the 0F map (SDM Tables ). */
#define PS4(...) { UN(__VA_ARGS__), UN(__VA_ARGS__), UN(__VA_ARGS__), UN(__VA_ARGS__) }
#define PS2(...) { [PFX_NP] = UN(__VA_ARGS__), [PFX_66] = UN(__VA_ARGS__) }
#define P66(...) { [PFX_66] = UN(__VA_ARGS__) }
#define LEG4(mn, ...) { I(mn, __VA_ARGS__), I(mn, __VA_ARGS__), I(mn, __VA_ARGS__), I(mn, __VA_ARGS__) }

const struct x86_opcode x86_sse_0f[256][4] = {
    [0x10] = PS4(V, W), [0x11] = PS4(W, V),
    [0x12] = { UN(V, W), UN(V, Mq), UN(V, W), UN(V, W) },
    [0x13] = PS2(Mq, V),
    [0x14] = PS2(V, W), [0x15] = PS2(V, W),
    [0x16] = { [PFX_NP] = UN(V, W), [PFX_66] = UN(V, Mq), [PFX_F3] = UN(V, W) },
    [0x17] = PS2(Mq, V),
    [0x28] = PS2(V, W), [0x29] = PS2(W, V),
    [0x2a] = { UN(V, W), UN(V, W), UN(V, Ed), UN(V, Ed) },
    [0x2b] = { UN(M, V), UN(M, V), UN(M, V), UN(M, V) },
    [0x2c] = { UN(V, W), UN(V, W), UN(Gd, W), UN(Gd, W) },
    [0x2d] = { UN(V, W), UN(V, W), UN(Gd, W), UN(Gd, W) },
    [0x2e] = PS2(V, W), [0x2f] = PS2(V, W),
    [0x50] = PS2(Gd, U),
    [0x51] = PS4(V, W),
    [0x52] = { [PFX_NP] = UN(V, W), [PFX_F3] = UN(V, W) },
    [0x53] = { [PFX_NP] = UN(V, W), [PFX_F3] = UN(V, W) },
    [0x54 ... 0x57] = PS2(V, W),
    [0x58 ... 0x5a] = PS4(V, W),
    [0x5b] = { UN(V, W), UN(V, W), UN(V, W) },
    [0x5c ... 0x5f] = PS4(V, W),
    [0x60 ... 0x6b] = PS2(V, W),
    [0x6c] = P66(V, W), [0x6d] = P66(V, W),
    [0x6e] = PS2(V, Ed),
    [0x6f] = { UN(V, W), UN(V, W), UN(V, W) },
    [0x70] = PS4(V, W, Ib),
    [0x71] = { [PFX_NP] = GRP(GRP12), [PFX_66] = GRP(GRP12) },
    [0x72] = { [PFX_NP] = GRP(GRP13), [PFX_66] = GRP(GRP13) },
    [0x73] = { [PFX_NP] = GRP(GRP14), [PFX_66] = GRP(GRP14) },
    [0x74 ... 0x76] = PS2(V, W),
    [0x77] = { [PFX_NP] = UN() }, /* EMMS */
    /* VMREAD/VMWRITE; 66/F2: SSE4a EXTRQ/INSERTQ (AMD APM Vol. 4) */
    [0x78] = { UN(Ed, Gd), UN(U, Ib, Ib), [PFX_F2] = UN(V, U, Iw) /* ib ib */ },
    [0x79] = { UN(Gd, Ed), UN(V, U), [PFX_F2] = UN(V, U) },
    [0x7c] = { [PFX_66] = UN(V, W), [PFX_F2] = UN(V, W) },
    [0x7d] = { [PFX_66] = UN(V, W), [PFX_F2] = UN(V, W) },
    [0x7e] = { UN(Ed, V), UN(Ed, V), UN(V, W) },
    [0x7f] = { UN(W, V), UN(W, V), UN(W, V) },
    [0xb8] = { [PFX_F3] = I(POPCNT, Gv, Ev) },
    [0xbc] = { I(BSF, Gv, Ev), I(BSF, Gv, Ev), I(TZCNT, Gv, Ev), I(BSF, Gv, Ev) },
    [0xbd] = { I(BSR, Gv, Ev), I(BSR, Gv, Ev), I(LZCNT, Gv, Ev), I(BSR, Gv, Ev) },
    [0xc2] = PS4(V, W, Ib),
    [0xc3] = { [PFX_NP] = UN(Md, Gd) }, /* MOVNTI */
    [0xc4] = PS2(V, Ed, Ib), [0xc5] = PS2(Gd, U, Ib), [0xc6] = PS2(V, W, Ib),
    [0xd0] = { [PFX_66] = UN(V, W), [PFX_F2] = UN(V, W) },
    [0xd1 ... 0xd5] = PS2(V, W),
    [0xd6] = { [PFX_66] = UN(W, V), [PFX_F3] = UN(V, U), [PFX_F2] = UN(V, U) },
    [0xd7] = PS2(Gd, U),
    [0xd8 ... 0xe5] = PS2(V, W),
    [0xe6] = { [PFX_66] = UN(V, W), [PFX_F3] = UN(V, W), [PFX_F2] = UN(V, W) },
    [0xe7] = PS2(M, V),
    [0xe8 ... 0xef] = PS2(V, W),
    [0xf0] = { [PFX_F2] = UN(V, M) }, /* LDDQU */
    [0xf1 ... 0xf6] = PS2(V, W),
    [0xf7] = PS2(V, U), /* MASKMOVQ / MASKMOVDQU */
    [0xf8 ... 0xfe] = PS2(V, W),
};

const struct x86_opcode x86_sse_sub[SS_COUNT][4] = {
    /* 0F C7 /6 memory: VMPTRLD, VMCLEAR (66), VMXON (F3) */
    [SS_0FC7_M6] = { UN(Mq), UN(Mq), UN(Mq) },
    /* 0F C7 /7 register: RDSEED; F3: RDPID */
    [SS_0FC7_R7] = { UN(Rv), UN(Rv), UN(Rd) },
    /* 0F AE /6 memory: XSAVEOPT; 66: CLWB */
    [SS_0FAE_M6] = { UN(M), UN(Mb) },
    /* 0F AE /7 memory: CLFLUSH; 66: CLFLUSHOPT */
    [SS_0FAE_M7] = { UN(Mb), UN(Mb) },
    /* 0F 38 F0/F1: MOVBE; F2: CRC32 (SDM Table A-4) */
    [SS_0F38_F0] = { UN(Gv, M), UN(Gv, M), [PFX_F2] = UN(Gd, Eb) },
    [SS_0F38_F1] = { UN(M, Gv), UN(M, Gv), [PFX_F2] = UN(Gd, Ev) },
    /* 0F 38 F6: 66 ADCX, F3 ADOX */
    [SS_0F38_F6] = { [PFX_66] = UN(Gd, Ed), [PFX_F3] = UN(Gd, Ed) },
};

/* 0F 38: SSSE3 (MMX form without prefix, XMM form with 66), SSE4.1/4.2,
 * AES, SHA, VMX INVEPT/INVVPID/INVPCID (SDM Table A-4). */
const struct x86_opcode x86_map_0f38[256] = {
    [0x00 ... 0x0b] = SP(P_NP | P_66, V, W),
    [0x10] = SP(P_66, V, W), [0x14] = SP(P_66, V, W), [0x15] = SP(P_66, V, W),
    [0x17] = SP(P_66, V, W),
    [0x1c ... 0x1e] = SP(P_NP | P_66, V, W),
    [0x20 ... 0x25] = SP(P_66, V, W),
    [0x28] = SP(P_66, V, W), [0x29] = SP(P_66, V, W),
    [0x2a] = SP(P_66, V, M), [0x2b] = SP(P_66, V, W),
    [0x30 ... 0x35] = SP(P_66, V, W),
    [0x37 ... 0x41] = SP(P_66, V, W),
    [0x80 ... 0x82] = SP(P_66, Gd, M),
    [0xc8 ... 0xcd] = SP(P_NP, V, W),
    [0xdb ... 0xdf] = SP(P_66, V, W),
    [0xf0] = SSES(SS_0F38_F0), [0xf1] = SSES(SS_0F38_F1),
    [0xf6] = SSES(SS_0F38_F6),
};

/* 0F 3A: every form has an imm8 (SDM Table A-5). */
const struct x86_opcode x86_map_0f3a[256] = {
    [0x08 ... 0x0e] = SP(P_66, V, W, Ib),
    [0x0f] = SP(P_NP | P_66, V, W, Ib),
    [0x14 ... 0x17] = SP(P_66, Ed, V, Ib),
    [0x20 ... 0x22] = SP(P_66, V, Ed, Ib),
    [0x40 ... 0x42] = SP(P_66, V, W, Ib),
    [0x44] = SP(P_66, V, W, Ib),
    [0x60 ... 0x63] = SP(P_66, V, W, Ib),
    [0xcc] = SP(P_NP, V, W, Ib),
    [0xdf] = SP(P_66, V, W, Ib),
};

/* Groups (SDM Table A-6), [mod == 3][reg]. A member without operands takes
 * the operands of the opcode that led to the group. */
#define SAME(...) { { __VA_ARGS__ }, { __VA_ARGS__ } }

const struct x86_opcode x86_groups[GRP_COUNT][2][8] = {
    [GRP1] = SAME(IF(ADD, F_LOCK), IF(OR, F_LOCK), IF(ADC, F_LOCK),
                  IF(SBB, F_LOCK), IF(AND, F_LOCK), IF(SUB, F_LOCK),
                  IF(XOR, F_LOCK), I(CMP)),
    [GRP1A] = SAME(I(POP, Ev)),
    /* /6 is SAL in AMD APM Vol. 3 Table A-7 (Intel leaves it blank); every
     * processor executes it as SHL. */
    [GRP2] = SAME(I(ROL), I(ROR), I(RCL), I(RCR), I(SHL), I(SHR), I(SAL), I(SAR)),
    /* /1 is TEST in AMD APM Vol. 3 Table A-7 */
    [GRP3B] = SAME(I(TEST, Eb, Ib), I(TEST, Eb, Ib), IF(NOT, F_LOCK),
                   IF(NEG, F_LOCK), I(MUL), I(IMUL), I(DIV), I(IDIV)),
    [GRP3V] = SAME(I(TEST, Ev, Iz), I(TEST, Ev, Iz), IF(NOT, F_LOCK),
                   IF(NEG, F_LOCK), I(MUL), I(IMUL), I(DIV), I(IDIV)),
    [GRP4] = SAME(IF(INC, F_LOCK), IF(DEC, F_LOCK)),
    [GRP5] = SAME(IF(INC, F_LOCK, Ev), IF(DEC, F_LOCK, Ev), I(CALL, Ev),
                  I(CALLF, Mp), I(JMP, Ev), I(JMPF, Mp), I(PUSH, Ev)),
    [GRP6] = SAME(I(SLDT, MwRv), I(STR, MwRv), I(LLDT, Ew), I(LTR, Ew),
                  I(VERR, Ew), I(VERW, Ew)),
    [GRP7] = {
        { I(SGDT, Ms), I(SIDT, Ms), I(LGDT, Ms), I(LIDT, Ms), I(SMSW, MwRv),
          INV(), I(LMSW, Ew), I(INVLPG, Mb) },
        { RMT(RM_0F01_0), RMT(RM_0F01_1), RMT(RM_0F01_2), RMT(RM_0F01_3),
          I(SMSW, MwRv), RMT(RM_0F01_5), I(LMSW, Ew), RMT(RM_0F01_7) },
    },
    [GRP8] = SAME(INV(), INV(), INV(), INV(), I(BT), IF(BTS, F_LOCK),
                  IF(BTR, F_LOCK), IF(BTC, F_LOCK)),
    [GRP9] = {
        { [1] = IF(CMPXCHG8B, F_LOCK, Mq), [3] = UN(M), [4] = UN(M), [5] = UN(M),
          [6] = SSES(SS_0FC7_M6), [7] = { X86_UNIMPL, { Mq }, 0, P_NP, 0 } },
        { [6] = UN(Rv), /* RDRAND */ [7] = SSES(SS_0FC7_R7) },
    },
    [GRP11B] = { { I(MOV, Eb, Ib) }, { I(MOV, Eb, Ib), [7] = RMT(RM_C6_7) } },
    [GRP11V] = { { I(MOV, Ev, Iz) }, { I(MOV, Ev, Iz), [7] = RMT(RM_C7_7) } },
    /* MMX/SSE shifts by immediate, register forms only */
    [GRP12] = { { INV() }, { [2] = UN(U, Ib), [4] = UN(U, Ib), [6] = UN(U, Ib) } },
    [GRP13] = { { INV() }, { [2] = UN(U, Ib), [4] = UN(U, Ib), [6] = UN(U, Ib) } },
    [GRP14] = { { INV() },
                { [2] = UN(U, Ib), [3] = { X86_UNIMPL, { U, Ib }, 0, P_66, 0 },
                  [6] = UN(U, Ib), [7] = { X86_UNIMPL, { U, Ib }, 0, P_66, 0 } } },
    [GRP15] = {
        { I(FXSAVE, M), I(FXRSTOR, M), UN(Md), UN(Md), UN(M), UN(M), SSES(SS_0FAE_M6),
          SSES(SS_0FAE_M7) },
        /* LFENCE, MFENCE, SFENCE: 0F AE E8/F0/F8 (SDM instruction pages) */
        { [5] = RMT(RM_0FAE_5), [6] = RMT(RM_0FAE_6), [7] = RMT(RM_0FAE_7) },
    },
    /* 0F 18: PREFETCHNTA/T0/T1/T2; /4-/7 and register forms are hint NOPs */
    [GRP16] = { { I(PREFETCH, Mb), I(PREFETCH, Mb), I(PREFETCH, Mb), I(PREFETCH, Mb),
                  I(PREFETCH, Ev), I(PREFETCH, Ev), I(PREFETCH, Ev), I(PREFETCH, Ev) },
                { [0 ... 7] = I(PREFETCH, Ev) } },
    /* 0F 0D: PREFETCH (AMD) PREFETCHW PREFETCHWT1, /3-/7 aliases of PREFETCH
     * (AMD APM Vol. 3 PREFETCH); register forms are #UD */
    [GRP_PREFETCH] = { { [0 ... 7] = I(PREFETCH, Mb) }, { [0 ... 7] = INV() } },
    /* VIA PadLock (VIA PadLock Programming Guide): 0F A6 C0/C8/D0 MONTMUL
     * XSHA1 XSHA256, 0F A7 C0-E8 XSTORE XCRYPTECB/CBC/CTR/CFB/OFB */
    [GRP_PADLOCK6] = { { INV() }, { [0 ... 2] = RMT(RM_RM0) } },
    [GRP_PADLOCK7] = { { INV() }, { [0 ... 5] = RMT(RM_RM0) } },
};

/* Register forms selected by ModRM.rm (SDM Table A-6, 0F 01 and C6/C7 11B). */
const struct x86_opcode x86_rm_tables[RM_COUNT][8] = {
    /* VMCALL VMLAUNCH VMRESUME VMXOFF */
    [RM_0F01_0] = { [1 ... 4] = UN() },
    /* MONITOR MWAIT CLAC STAC, ENCLS */
    [RM_0F01_1] = { [0 ... 3] = UN(), [7] = UN() },
    /* XGETBV XSETBV, VMFUNC XEND XTEST ENCLU */
    [RM_0F01_2] = { [0 ... 1] = UN(), [4 ... 7] = UN() },
    /* AMD SVM: VMRUN VMMCALL VMLOAD VMSAVE STGI CLGI SKINIT INVLPGA */
    [RM_0F01_3] = { [0 ... 7] = UN() },
    /* RDPKRU WRPKRU */
    [RM_0F01_5] = { [6 ... 7] = UN() },
    /* SWAPGS is 64-bit only; RDTSCP, MONITORX, MWAITX, CLZERO */
    [RM_0F01_7] = { [1 ... 4] = UN() },
    [RM_0FAE_5] = { [0] = { X86_UNIMPL, { 0 }, 0, P_NP, 0 } },
    [RM_0FAE_6] = { [0] = { X86_UNIMPL, { 0 }, 0, P_NP, 0 } },
    [RM_0FAE_7] = { [0] = { X86_UNIMPL, { 0 }, 0, P_NP, 0 } },
    [RM_C6_7] = { [0] = UN(Ib) }, /* XABORT */
    [RM_C7_7] = { [0] = UN(Jz) }, /* XBEGIN */
    [RM_RM0] = { [0] = UN() },
};

/* x87 escapes (SDM Vol. 2 A.5, Tables ): memory forms are all
 * defined except D9 /1, DB /4, DB /6, DD /5. Register forms per table,
 * plus the aliases every x87 since the 387 executes though the SDM leaves
 * them blank: FSTP1 (D9 D8+i), FNENI/FNDISI/FNSETPM no-ops (DB E0/E1/E4),
 * FCOM2/FCOMP3 (DC D0-DF), FXCH4 (DD C8+i), FCOMP5 (DE D0+i), FFREEP
 * (DF C0+i, AMD APM Vol. 5), FXCH7 (DF C8+i), FSTP8/FSTP9 (DF D0-DF). */
int x86_fpu_valid(uint8_t esc, uint8_t modrm)
{
    unsigned reg = (modrm >> 3) & 7;
    if (modrm < 0xc0) {
        switch (esc) {
        case 0xd9: return reg != 1;
        case 0xdb: return reg != 4 && reg != 6;
        case 0xdd: return reg != 5;
        default: return 1;
        }
    }
    switch (esc) {
    case 0xd8: case 0xdc:
        return 1;
    case 0xd9: /* FNOP, FCHS FABS FTST FXAM, FLD1..FLDZ, F0-FF */
        if (modrm >= 0xd1 && modrm <= 0xd7)
            return 0;
        return modrm != 0xe2 && modrm != 0xe3 && modrm != 0xe6 && modrm != 0xe7 &&
               modrm != 0xef;
    case 0xda: /* FCMOVcc, FUCOMPP */
        return modrm < 0xe0 || modrm == 0xe9;
    case 0xdb: /* FCMOVNcc, FNENI FNDISI FCLEX FINIT FNSETPM, FUCOMI, FCOMI */
        return modrm <= 0xe4 || (modrm >= 0xe8 && modrm < 0xf8);
    case 0xdd: /* FFREE, FXCH4, FST, FSTP, FUCOM, FUCOMP */
        return reg <= 5;
    case 0xde: /* FCOMPP is DE D9 alone */
        return reg != 3 || modrm == 0xd9;
    case 0xdf: /* FNSTSW AX, FUCOMIP, FCOMIP */
        return reg <= 3 || modrm == 0xe0 || reg == 5 || reg == 6;
    }
    return 0;
}

/* AMD 3DNow! Technology Manual, Table 10 (and the DSP extensions). */
int x86_3dnow_valid(uint8_t s)
{
    switch (s) {
    case 0x0c: case 0x0d: case 0x1c: case 0x1d: case 0x8a: case 0x8e:
    case 0x90: case 0x94: case 0x96: case 0x97: case 0x9a: case 0x9e:
    case 0xa0: case 0xa4: case 0xa6: case 0xa7: case 0xaa: case 0xae:
    case 0xb0: case 0xb4: case 0xb6: case 0xb7: case 0xbb: case 0xbf:
        return 1;
    default:
        return 0;
    }
}

/*
 * VEX-encoded forms (SDM Vol. 2 2.3 and each instruction's opcode column:
 * AVX, AVX2, FMA, F16C, BMI1/BMI2; AMD APM Vol. 4 for FMA4): which
 * [map][opcode][pp] exist and the VEX.L / VEX.W / ModRM forms they allow.
 * VEX.W of the W0 forms is not checked: outside 64-bit mode the decoder
 * takes it as ignored, as Capstone does.
 */
#define VX(fl) { VEX_OK | (fl), 0 }
#define VXG(fl, regs) { VEX_OK | (fl), regs }
#define V66(fl) { [PFX_66] = VX(fl) }
#define VPS2(fl) { [PFX_NP] = VX(fl), [PFX_66] = VX(fl) }
#define VALL(fl) { VX(fl), VX(fl), VX(fl), VX(fl) }

const struct x86_vex_form x86_vex_0f[256][4] = {
    [0x10] = { VX(VNOV), VX(VNOV), VX(0), VX(0) }, /* VMOVUPS VMOVUPD VMOVSS VMOVSD */
    [0x11] = { VX(VNOV), VX(VNOV), VX(0), VX(0) }, /* (stores) */
    /* VMOVLPS/HLPS VMOVLPD VMOVSLDUP VMOVDDUP */
    [0x12] = { VX(VL0), VX(VL0 | VMEM), VX(VNOV), VX(VNOV) },
    [0x13] = VPS2(VL0 | VMEM | VNOV), /* VMOVLPS VMOVLPD store */
    [0x14] = VPS2(0), [0x15] = VPS2(0), /* VUNPCKLPS/PD VUNPCKHPS/PD */
    [0x16] = { VX(VL0), VX(VL0 | VMEM), VX(VNOV) }, /* VMOVHPS/LHPS VMOVHPD VMOVSHDUP */
    [0x17] = VPS2(VL0 | VMEM | VNOV), /* VMOVHPS VMOVHPD store */
    [0x28] = VPS2(VNOV), [0x29] = VPS2(VNOV), /* VMOVAPS VMOVAPD */
    [0x2a] = { [PFX_F3] = VX(0), [PFX_F2] = VX(0) }, /* VCVTSI2SS VCVTSI2SD */
    [0x2b] = VPS2(VMEM | VNOV), /* VMOVNTPS VMOVNTPD */
    [0x2c] = { [PFX_F3] = VX(VNOV), [PFX_F2] = VX(VNOV) }, /* VCVTTSS2SI VCVTTSD2SI */
    [0x2d] = { [PFX_F3] = VX(VNOV), [PFX_F2] = VX(VNOV) }, /* VCVTSS2SI VCVTSD2SI */
    [0x2e] = VPS2(VNOV), [0x2f] = VPS2(VNOV), /* VUCOMISS/SD VCOMISS/SD */
    /* AVX-512 opmask instructions, VEX-encoded (SDM Vol. 2 KANDW ... KXORW) */
    [0x41 ... 0x42] = VPS2(VL1 | VREG), [0x44] = VPS2(VL0 | VREG | VNOV),
    [0x45 ... 0x47] = VPS2(VL1 | VREG), [0x4a] = VPS2(VL1 | VREG),
    [0x4b] = VPS2(VL1 | VREG),
    [0x90] = VPS2(VL0 | VNOV), [0x91] = VPS2(VL0 | VMEM | VNOV),
    [0x92] = { [PFX_NP] = VX(VL0 | VREG | VNOV), [PFX_66] = VX(VL0 | VREG | VNOV),
               [PFX_F2] = VX(VL0 | VREG | VNOV) },
    [0x93] = { [PFX_NP] = VX(VL0 | VREG | VNOV), [PFX_66] = VX(VL0 | VREG | VNOV),
               [PFX_F2] = VX(VL0 | VREG | VNOV) },
    [0x98 ... 0x99] = VPS2(VL0 | VREG | VNOV),
    [0x50] = VPS2(VREG | VNOV), /* VMOVMSKPS VMOVMSKPD */
    [0x51] = { VX(VNOV), VX(VNOV), VX(0), VX(0) }, /* VSQRTPS/PD/SS/SD */
    [0x52] = { [PFX_NP] = VX(VNOV), [PFX_F3] = VX(0) }, /* VRSQRTPS VRSQRTSS */
    [0x53] = { [PFX_NP] = VX(VNOV), [PFX_F3] = VX(0) }, /* VRCPPS VRCPSS */
    [0x54 ... 0x57] = VPS2(0), /* VANDPS VANDNPS VORPS VXORPS (PD) */
    [0x58 ... 0x59] = VALL(0), /* VADD* VMUL* */
    [0x5a] = { VX(VNOV), VX(VNOV), VX(0), VX(0) }, /* VCVTPS2PD VCVTPD2PS VCVTSS2SD VCVTSD2SS */
    [0x5b] = { VX(VNOV), VX(VNOV), VX(VNOV) }, /* VCVTDQ2PS VCVTPS2DQ VCVTTPS2DQ */
    [0x5c ... 0x5f] = VALL(0), /* VSUB* VMIN* VDIV* VMAX* */
    [0x60 ... 0x6d] = V66(0), /* VPUNPCKL*, VPACK*, VPCMPGT*, VPUNPCKH* */
    [0x6e] = V66(VL0 | VNOV), /* VMOVD */
    [0x6f] = { [PFX_66] = VX(VNOV), [PFX_F3] = VX(VNOV) }, /* VMOVDQA VMOVDQU */
    /* VPSHUFD/HW/LW */
    [0x70] = { [PFX_66] = VX(VNOV), [PFX_F3] = VX(VNOV), [PFX_F2] = VX(VNOV) },
    [0x71] = { [PFX_66] = VXG(VREG, 0x54) }, /* /2 /4 /6 */
    [0x72] = { [PFX_66] = VXG(VREG, 0x54) }, /* VPSRLD VPSRAD VPSLLD imm */
    [0x73] = { [PFX_66] = VXG(VREG, 0xcc) }, /* /2 /3 /6 /7 */
    [0x74 ... 0x76] = V66(0), /* VPCMPEQB/W/D */
    [0x77] = { [PFX_NP] = VX(VNOV) }, /* VZEROUPPER / VZEROALL */
    [0x7c] = { [PFX_66] = VX(0), [PFX_F2] = VX(0) }, /* VHADDPD VHADDPS */
    [0x7d] = { [PFX_66] = VX(0), [PFX_F2] = VX(0) }, /* VHSUBPD VHSUBPS */
    [0x7e] = { [PFX_66] = VX(VL0 | VNOV), [PFX_F3] = VX(VL0 | VNOV) }, /* VMOVD store, VMOVQ */
    [0x7f] = { [PFX_66] = VX(VNOV), [PFX_F3] = VX(VNOV) }, /* VMOVDQA VMOVDQU store */
    [0xae] = { [PFX_NP] = VXG(VL0 | VMEM | VNOV, 0x0c) }, /* VLDMXCSR VSTMXCSR */
    [0xc2] = VALL(0), /* VCMPPS/PD/SS/SD */
    [0xc4] = V66(VL0), [0xc5] = V66(VL0 | VREG | VNOV), /* VPINSRW VPEXTRW */
    [0xc6] = VPS2(0), /* VSHUFPS VSHUFPD */
    [0xd0] = { [PFX_66] = VX(0), [PFX_F2] = VX(0) }, /* VADDSUBPD VADDSUBPS */
    [0xd1 ... 0xd5] = V66(0), /* VPSRLW/D/Q VPADDQ VPMULLW */
    [0xd6] = V66(VL0 | VNOV), /* VMOVQ store */
    [0xd7] = V66(VREG | VNOV), /* VPMOVMSKB */
    [0xd8 ... 0xe5] = V66(0), /* VPSUBUS* .. VPMULHW */
    /* VCVTTPD2DQ VCVTDQ2PD VCVTPD2DQ */
    [0xe6] = { [PFX_66] = VX(VNOV), [PFX_F3] = VX(VNOV), [PFX_F2] = VX(VNOV) },
    [0xe7] = V66(VMEM | VNOV), /* VMOVNTDQ */
    [0xe8 ... 0xef] = V66(0), /* VPSUBS* VPMINSW VPOR VPADDS* VPMAXSW VPXOR */
    [0xf0] = { [PFX_F2] = VX(VMEM | VNOV) }, /* VLDDQU */
    [0xf1 ... 0xf6] = V66(0), /* VPSLLW/D/Q VPMULUDQ VPMADDWD VPSADBW */
    [0xf7] = V66(VL0 | VREG | VNOV), /* VMASKMOVDQU */
    [0xf8 ... 0xfe] = V66(0), /* VPSUB* VPADD* */
};

const struct x86_vex_form x86_vex_0f38[256][4] = {
    [0x00 ... 0x0b] = V66(0), /* VPSHUFB VPHADD* VPMADDUBSW VPHSUB* VPSIGN* VPMULHRSW */
    [0x0c ... 0x0d] = V66(0), /* VPERMILPS VPERMILPD */
    [0x0e ... 0x0f] = V66(VNOV), /* VTESTPS VTESTPD */
    [0x13] = V66(VNOV), /* VCVTPH2PS */
    [0x16] = V66(VL1), /* VPERMPS */
    [0x17] = V66(VNOV), /* VPTEST */
    [0x18] = V66(VNOV), /* VBROADCASTSS */
    [0x19] = V66(VL1 | VNOV), /* VBROADCASTSD */
    [0x1a] = V66(VL1 | VMEM | VNOV), /* VBROADCASTF128 */
    [0x1c ... 0x1e] = V66(VNOV), /* VPABSB/W/D */
    [0x20 ... 0x25] = V66(VNOV), /* VPMOVSX* */
    [0x28 ... 0x29] = V66(0), /* VPMULDQ VPCMPEQQ */
    [0x2a] = V66(VMEM | VNOV), /* VMOVNTDQA */
    [0x2b] = V66(0), /* VPACKUSDW */
    [0x2c ... 0x2f] = V66(VMEM), /* VMASKMOVPS/PD */
    [0x30 ... 0x35] = V66(VNOV), /* VPMOVZX* */
    [0x36] = V66(VL1), /* VPERMD */
    [0x37 ... 0x40] = V66(0), /* VPCMPGTQ VPMIN* VPMAX* VPMULLD */
    [0x41] = V66(VL0 | VNOV), /* VPHMINPOSUW */
    [0x45] = V66(0), [0x46] = V66(0), [0x47] = V66(0), /* VPSRLVD/Q VPSRAVD VPSLLVD/Q */
    [0x58] = V66(VNOV), [0x59] = V66(VNOV), /* VPBROADCASTD VPBROADCASTQ */
    [0x5a] = V66(VL1 | VMEM | VNOV), /* VBROADCASTI128 */
    [0x78 ... 0x79] = V66(VNOV), /* VPBROADCASTB VPBROADCASTW */
    [0x8c] = V66(VMEM), [0x8e] = V66(VMEM), /* VPMASKMOVD/Q load, store */
    [0x90 ... 0x93] = V66(VMEM), /* gathers: VSIB, decode.c checks the SIB */
    [0x96 ... 0x9f] = V66(0), /* FMA 132 forms */
    [0xa6 ... 0xaf] = V66(0), /* FMA 213 forms */
    [0xb6 ... 0xbf] = V66(0), /* FMA 231 forms */
    [0xdb] = V66(VL0 | VNOV), /* VAESIMC */
    [0xdc ... 0xdf] = V66(VL0), /* VAESENC(LAST) VAESDEC(LAST) */
    [0xf2] = { [PFX_NP] = VX(VL0) },                 /* ANDN */
    [0xf3] = { [PFX_NP] = VXG(VL0, 0x0e) },          /* BLSR BLSMSK BLSI */
    [0xf5] = { [PFX_NP] = VX(VL0), [PFX_F3] = VX(VL0), [PFX_F2] = VX(VL0) },
    [0xf6] = { [PFX_F2] = VX(VL0) },                 /* MULX */
    [0xf7] = { VX(VL0), VX(VL0), VX(VL0), VX(VL0) }, /* BEXTR SHLX SARX SHRX */
};

const struct x86_vex_form x86_vex_0f3a[256][4] = {
    [0x00 ... 0x01] = V66(VW1 | VL1 | VNOV), /* VPERMQ VPERMPD */
    [0x02] = V66(0), /* VPBLENDD */
    [0x04 ... 0x05] = V66(VNOV), /* VPERMILPS VPERMILPD imm */
    [0x06] = V66(VL1), /* VPERM2F128 */
    [0x08 ... 0x09] = V66(VNOV), /* VROUNDPS VROUNDPD */
    [0x0a ... 0x0f] = V66(0), /* VROUNDSS/SD VBLENDPS/PD VPBLENDW VPALIGNR */
    [0x14 ... 0x17] = V66(VL0 | VNOV), /* VPEXTRB/W/D VEXTRACTPS */
    [0x18] = V66(VL1), [0x19] = V66(VL1 | VNOV), /* VINSERTF128 VEXTRACTF128 */
    [0x1d] = V66(VNOV), /* VCVTPS2PH */
    [0x20 ... 0x22] = V66(VL0), /* VPINSRB VINSERTPS VPINSRD */
    [0x38] = V66(VL1), [0x39] = V66(VL1 | VNOV), /* VINSERTI128 VEXTRACTI128 */
    /* VDPPS VDPPD VMPSADBW VPCLMULQDQ */
    [0x40] = V66(0), [0x41] = V66(VL0), [0x42] = V66(0), [0x44] = V66(VL0),
    [0x46] = V66(VL1), /* VPERM2I128 */
    [0x4a ... 0x4c] = V66(0), /* VBLENDVPS/PD VPBLENDVB */
    [0x48 ... 0x49] = V66(0), /* VPERMIL2PS/PD (AMD APM Vol. 4) */
    /* FMA4 (AMD APM Vol. 4) */
    [0x5c ... 0x5f] = V66(0), [0x68 ... 0x6f] = V66(0), [0x78 ... 0x7f] = V66(0),
    [0x60 ... 0x63] = V66(VL0 | VNOV), /* VPCMPESTRM/ESTRI/ISTRM/ISTRI */
    [0x30 ... 0x33] = V66(VL0 | VREG | VNOV), /* KSHIFTR/KSHIFTL */
    [0xdf] = V66(VL0 | VNOV), /* VAESKEYGENASSIST */
    [0xf0] = { [PFX_F2] = VX(VL0 | VNOV) }, /* RORX */
};

uint8_t x86_xop_regmask(unsigned map, uint8_t op)
{
    switch (map) {
    case 8: /* VPMAC*, VPCMOV, VPPERM, VPMADCS*, VPROT* imm, VPCOM* */
        switch (op) {
        case 0x85: case 0x86: case 0x87: case 0x8e: case 0x8f:
        case 0x95: case 0x96: case 0x97: case 0x9e: case 0x9f:
        case 0xa2: case 0xa3: case 0xa6: case 0xb6:
        case 0xc0: case 0xc1: case 0xc2: case 0xc3:
        case 0xcc: case 0xcd: case 0xce: case 0xcf:
        case 0xec: case 0xed: case 0xee: case 0xef:
            return 0xff;
        }
        return 0;
    case 9:
        switch (op) {
        case 0x01: return 0xfe; /* TBM: BLCFILL .. T1MSKC (/1-/7) */
        case 0x02: return 0x42; /* TBM: BLCMSK (/1), BLCI (/6) */
        case 0x12: return 0x03; /* LWP: LLWPCB (/0), SLWPCB (/1) */
        case 0x80: case 0x81: case 0x82: case 0x83: /* VFRCZ* */
        case 0x90: case 0x91: case 0x92: case 0x93: /* VPROT* */
        case 0x94: case 0x95: case 0x96: case 0x97: /* VPSHL* */
        case 0x98: case 0x99: case 0x9a: case 0x9b: /* VPSHA* */
        case 0xc1: case 0xc2: case 0xc3: case 0xc6: case 0xc7: case 0xcb:
        case 0xd1: case 0xd2: case 0xd3: case 0xd6: case 0xd7: case 0xdb:
        case 0xe1: case 0xe2: case 0xe3: /* VPHADD*, VPHSUB* */
            return 0xff;
        }
        return 0;
    case 0xa:
        if (op == 0x10) /* BEXTR imm32 */
            return 0xff;
        if (op == 0x12) /* LWPINS (/0), LWPVAL (/1) */
            return 0x03;
        return 0;
    }
    return 0;
}

int x86_xop_no_vvvv(unsigned map, uint8_t op)
{
    if (map == 8)
        return op >= 0xc0 && op <= 0xc3; /* VPROT* imm */
    if (map == 9)
        return (op >= 0x80 && op <= 0x83) || op >= 0xc1 || op == 0x12;
    return map == 0xa && op == 0x10;
}

int x86_xop_256(unsigned map, uint8_t op)
{
    /* VPCMOV, VFRCZPS, VFRCZPD */
    return (map == 8 && op == 0xa2) || (map == 9 && (op == 0x80 || op == 0x81));
}

/*
 * EVEX-encoded forms (SDM Vol. 2 2.6 and the AVX-512 F/CD/BW/DQ/VL/ER/PF/
 * IFMA/VBMI instruction pages): [map][opcode][pp], with the EVEX.W values
 * and vector lengths each allows.
 */
#define EF(fl) { EVEX_OK | (fl), 0 }
#define EFG(fl, regs) { EVEX_OK | (fl), regs }
#define E66(fl) { [PFX_66] = EF(fl) }
#define EPSPD(fl) { [PFX_NP] = EF(EW0 | (fl)), [PFX_66] = EF(EW1 | (fl)) }
#define EARITH { EF(EW0), EF(EW1), EF(EW0 | ELIG), EF(EW1 | ELIG) }
#define EWB (EW0 | EW1)

const struct x86_evex_form x86_evex_0f[256][4] = {
    /* VMOVUPS VMOVUPD VMOVSS VMOVSD */
    [0x10] = { EF(EW0 | ENOV), EF(EW1 | ENOV), EF(EW0 | ELIG), EF(EW1 | ELIG) },
    [0x11] = { EF(EW0 | ENOV | ESTORE), EF(EW1 | ENOV | ESTORE), EF(EW0 | ELIG | ESTORE),
               EF(EW1 | ELIG | ESTORE) },
    /* VMOVLPS/VMOVHLPS VMOVLPD VMOVSLDUP VMOVDDUP */
    [0x12] = { EF(EW0 | EL128 | ENOMASK), EF(EW1 | EL128 | EMEM | ENOMASK), EF(EW0 | ENOV),
               EF(EW1 | ENOV) },
    [0x13] = EPSPD(EL128 | EMEM | ENOV | ENOMASK),    /* VMOVLPS VMOVLPD store */
    [0x14] = EPSPD(0), [0x15] = EPSPD(0),             /* VUNPCKLPS/PD VUNPCKHPS/PD */
    /* VMOVHPS/VMOVLHPS VMOVHPD VMOVSHDUP */
    [0x16] = { EF(EW0 | EL128 | ENOMASK), EF(EW1 | EL128 | EMEM | ENOMASK), EF(EW0 | ENOV) },
    [0x17] = EPSPD(EL128 | EMEM | ENOV | ENOMASK),    /* VMOVHPS VMOVHPD store */
    [0x28] = EPSPD(ENOV), [0x29] = EPSPD(ENOV | ESTORE), /* VMOVAPS VMOVAPD */
    /* VCVTSI2SS/SD */
    [0x2a] = { [PFX_F3] = EF(EWB | ELIG | ENOMASK), [PFX_F2] = EF(EWB | ELIG | ENOMASK) },
    [0x2b] = EPSPD(EMEM | ENOV | ENOMASK),            /* VMOVNTPS VMOVNTPD */
    /* VCVTTSS2SI VCVTTSD2SI, VCVTSS2SI VCVTSD2SI */
    [0x2c ... 0x2d] = { [PFX_F3] = EF(EWB | ELIG | ENOV | ENOMASK),
                        [PFX_F2] = EF(EWB | ELIG | ENOV | ENOMASK) },
    /* VUCOMISS/SD VCOMISS/SD */
    [0x2e ... 0x2f] = { EF(EW0 | ELIG | ENOV | ENOMASK), EF(EW1 | ELIG | ENOV | ENOMASK) },
    /* VSQRTPS VSQRTPD VSQRTSS VSQRTSD */
    [0x51] = { EF(EW0 | ENOV), EF(EW1 | ENOV), EF(EW0 | ELIG), EF(EW1 | ELIG) },
    [0x54 ... 0x57] = EPSPD(0),                       /* VANDPS VANDNPS VORPS VXORPS (PD) */
    [0x58 ... 0x59] = EARITH,                         /* VADD* VMUL* */
    /* VCVTPS2PD VCVTPD2PS VCVTSS2SD VCVTSD2SS */
    [0x5a] = { EF(EW0 | ENOV), EF(EW1 | ENOV), EF(EW0 | ELIG), EF(EW1 | ELIG) },
    /* VCVTDQ2PS/VCVTQQ2PS VCVTPS2DQ VCVTTPS2DQ */
    [0x5b] = { EF(EWB | ENOV), EF(EW0 | ENOV), EF(EW0 | ENOV) },
    [0x5c ... 0x5f] = EARITH,                         /* VSUB* VMIN* VDIV* VMAX* */
    /* VPUNPCKLBW VPUNPCKLWD VPUNPCKLDQ VPACKSSWB VPCMPGTB/W/D VPACKUSWB,
     * VPUNPCKHBW VPUNPCKHWD VPUNPCKHDQ VPACKSSDW VPUNPCKLQDQ VPUNPCKHQDQ */
    [0x60 ... 0x61] = E66(EWB), [0x62] = E66(EW0), [0x63 ... 0x65] = E66(EWB),
    [0x66] = E66(EW0), [0x67 ... 0x69] = E66(EWB), [0x6a] = E66(EW0), [0x6b] = E66(EW0),
    [0x6c ... 0x6d] = E66(EW1),
    [0x6e] = E66(EWB | EL128 | ENOV | ENOMASK),       /* VMOVD */
    /* VMOVDQA32/64 VMOVDQU32/64 VMOVDQU8/16 */
    [0x6f] = { [PFX_66] = EF(EWB | ENOV), [PFX_F3] = EF(EWB | ENOV), [PFX_F2] = EF(EWB | ENOV) },
    /* VPSHUFD VPSHUFHW VPSHUFLW */
    [0x70] = { [PFX_66] = EF(EW0 | ENOV), [PFX_F3] = EF(EWB | ENOV), [PFX_F2] = EF(EWB | ENOV) },
    [0x71] = { [PFX_66] = EFG(EWB, 0x54) }, /* VPSRLW VPSRAW VPSLLW imm: /2 /4 /6 */
    /* VPRORD/Q VPROLD/Q VPSRLD VPSRAD/Q VPSLLD imm: /0 /1 /2 /4 /6 */
    [0x72] = { [PFX_66] = EFG(EWB, 0x57) },
    [0x73] = { [PFX_66] = EFG(EWB, 0xcc) }, /* VPSRLQ VPSRLDQ VPSLLQ VPSLLDQ: /2 /3 /6 /7 */
    [0x74 ... 0x75] = E66(EWB), [0x76] = E66(EW0),   /* VPCMPEQB/W/D */
    /* VCVTTPS2UDQ/PD2UDQ VCVTTPS2UQQ/PD2UQQ VCVTTSS2USI VCVTTSD2USI, and the
     * rounding forms (79) */
    [0x78 ... 0x79] = { EF(EWB | ENOV), EF(EWB | ENOV), EF(EWB | ELIG | ENOV | ENOMASK),
                        EF(EWB | ELIG | ENOV | ENOMASK) },
    /* VCVTTPS2QQ/PD2QQ VCVTUDQ2PD/UQQ2PD VCVTUDQ2PS/UQQ2PS */
    [0x7a] = { [PFX_66] = EF(EWB | ENOV), [PFX_F3] = EF(EWB | ENOV), [PFX_F2] = EF(EWB | ENOV) },
    /* VCVTPS2QQ/PD2QQ VCVTUSI2SS VCVTUSI2SD */
    [0x7b] = { [PFX_66] = EF(EWB | ENOV), [PFX_F3] = EF(EWB | ELIG | ENOMASK),
               [PFX_F2] = EF(EWB | ELIG | ENOMASK) },
    /* VMOVD store, VMOVQ */
    [0x7e] = { [PFX_66] = EF(EWB | EL128 | ENOV | ENOMASK),
               [PFX_F3] = EF(EW1 | EL128 | ENOV | ENOMASK) },
    /* VMOVDQA32/64 VMOVDQU32/64 VMOVDQU8/16 store */
    [0x7f] = { [PFX_66] = EF(EWB | ENOV | ESTORE), [PFX_F3] = EF(EWB | ENOV | ESTORE),
               [PFX_F2] = EF(EWB | ENOV | ESTORE) },
    /* VCMPPS VCMPPD VCMPSS VCMPSD */
    [0xc2] = { EF(EW0), EF(EW1), EF(EW0 | ELIG), EF(EW1 | ELIG) },
    [0xc4] = E66(EWB | EL128 | ENOMASK),              /* VPINSRW */
    [0xc5] = E66(EWB | EL128 | EREG | ENOV | ENOMASK), /* VPEXTRW */
    [0xc6] = EPSPD(0),                                /* VSHUFPS VSHUFPD */
    /* VPSRLW VPSRLD VPSRLQ VPADDQ VPMULLW, VMOVQ store */
    [0xd1] = E66(EWB), [0xd2] = E66(EW0), [0xd3] = E66(EW1), [0xd4] = E66(EW1),
    [0xd5] = E66(EWB), [0xd6] = E66(EW1 | EL128 | ENOV | ENOMASK),
    /* VPSUBUSB/W VPMINUB VPANDD/Q VPADDUSB/W VPMAXUB VPANDND/Q */
    [0xd8 ... 0xda] = E66(EWB), [0xdb] = E66(EWB), [0xdc ... 0xde] = E66(EWB),
    [0xdf] = E66(EWB),
    /* VPAVGB VPSRAW VPSRAD/Q VPAVGW VPMULHUW VPMULHW */
    [0xe0 ... 0xe5] = E66(EWB),
    /* VCVTTPD2DQ VCVTDQ2PD/QQ2PD VCVTPD2DQ */
    [0xe6] = { [PFX_66] = EF(EW1 | ENOV), [PFX_F3] = EF(EWB | ENOV), [PFX_F2] = EF(EW1 | ENOV) },
    [0xe7] = E66(EW0 | EMEM | ENOV | ENOMASK),        /* VMOVNTDQ */
    /* VPSUBSB/W VPMINSW VPORD/Q VPADDSB/W VPMAXSW VPXORD/Q */
    [0xe8 ... 0xef] = E66(EWB),
    /* VPSLLW VPSLLD VPSLLQ VPMULUDQ VPMADDWD VPSADBW */
    [0xf1] = E66(EWB), [0xf2] = E66(EW0), [0xf3] = E66(EW1), [0xf4] = E66(EW1),
    [0xf5 ... 0xf6] = E66(EWB),
    /* VPSUBB/W/D/Q VPADDB/W/D */
    [0xf8 ... 0xf9] = E66(EWB), [0xfa] = E66(EW0), [0xfb] = E66(EW1),
    [0xfc ... 0xfd] = E66(EWB), [0xfe] = E66(EW0),
};

const struct x86_evex_form x86_evex_0f38[256][4] = {
    [0x00] = E66(EWB), [0x04] = E66(EWB), [0x0b] = E66(EWB), /* VPSHUFB VPMADDUBSW VPMULHRSW */
    [0x0c] = E66(EW0), [0x0d] = E66(EW1),             /* VPERMILPS VPERMILPD */
    /* 66: VPSRLVW VPSRAVW VPSLLVW; F3: VPMOVUSWB VPMOVUSDB VPMOVUSQB */
    [0x10 ... 0x12] = { [PFX_66] = EF(EW1), [PFX_F3] = EF(EW0 | ENOV) },
    /* 66: VCVTPH2PS; F3: VPMOVUSDW */
    [0x13] = { [PFX_66] = EF(EW0 | ENOV), [PFX_F3] = EF(EW0 | ENOV) },
    /* 66: VPRORVD/Q VPROLVD/Q; F3: VPMOVUSQW VPMOVUSQD */
    [0x14 ... 0x15] = { [PFX_66] = EF(EWB), [PFX_F3] = EF(EW0 | ENOV) },
    [0x16] = E66(EWB | ENOT128),                      /* VPERMPS VPERMPD */
    [0x18] = E66(EW0 | ENOV),                         /* VBROADCASTSS */
    [0x19] = E66(EWB | ENOT128 | ENOV),               /* VBROADCASTF32X2 VBROADCASTSD */
    [0x1a] = E66(EWB | ENOT128 | EMEM | ENOV),        /* VBROADCASTF32X4 F64X2 */
    [0x1b] = E66(EWB | E512 | EMEM | ENOV),           /* VBROADCASTF32X8 F64X4 */
    [0x1c ... 0x1e] = E66(EWB | ENOV), [0x1f] = E66(EW1 | ENOV), /* VPABSB/W/D/Q */
    /* 66: VPMOVSXBW BD BQ WD WQ DQ; F3: VPMOVSWB SDB SQB SDW SQW SQD */
    [0x20 ... 0x25] = { [PFX_66] = EF(EWB | ENOV), [PFX_F3] = EF(EW0 | ENOV) },
    /* VPTESTMB/W/D/Q (66), VPTESTNMB/W/D/Q (F3) */
    [0x26 ... 0x27] = { [PFX_66] = EF(EWB), [PFX_F3] = EF(EWB) },
    /* 66: VPMULDQ VPCMPEQQ; F3: VPMOVM2B/W VPMOVB2M/W2M */
    [0x28] = { [PFX_66] = EF(EW1), [PFX_F3] = EF(EWB | EREG | ENOV | ENOMASK) },
    [0x29] = { [PFX_66] = EF(EW1), [PFX_F3] = EF(EWB | EREG | ENOV | ENOMASK) },
    /* 66: VMOVNTDQA; F3: VPBROADCASTMB2Q */
    [0x2a] = { [PFX_66] = EF(EW0 | EMEM | ENOV | ENOMASK),
               [PFX_F3] = EF(EW1 | EREG | ENOV | ENOMASK) },
    [0x2b] = E66(EW0),                                /* VPACKUSDW */
    [0x2c] = E66(EWB), [0x2d] = E66(EWB | ELIG),      /* VSCALEFPS/PD VSCALEFSS/SD */
    /* 66: VPMOVZXBW BD BQ WD WQ DQ; F3: VPMOVWB DB QB DW QW QD */
    [0x30 ... 0x35] = { [PFX_66] = EF(EWB | ENOV), [PFX_F3] = EF(EW0 | ENOV) },
    [0x36] = E66(EWB | ENOT128), [0x37] = E66(EW1),   /* VPERMD/Q VPCMPGTQ */
    /* 66: VPMINSB VPMINSD/Q; F3: VPMOVM2D/Q VPMOVD2M/Q2M */
    [0x38] = { [PFX_66] = EF(EWB), [PFX_F3] = EF(EWB | EREG | ENOV | ENOMASK) },
    [0x39] = { [PFX_66] = EF(EWB), [PFX_F3] = EF(EWB | EREG | ENOV | ENOMASK) },
    /* 66: VPMINUW; F3: VPBROADCASTMW2D */
    [0x3a] = { [PFX_66] = EF(EWB), [PFX_F3] = EF(EW0 | EREG | ENOV | ENOMASK) },
    /* VPMINUD/Q VPMAXSB VPMAXSD/Q VPMAXUW VPMAXUD/Q VPMULLD/Q */
    [0x3b ... 0x40] = E66(EWB),
    /* VGETEXPPS/PD VGETEXPSS/SD VPLZCNTD/Q */
    [0x42] = E66(EWB | ENOV), [0x43] = E66(EWB | ELIG), [0x44] = E66(EWB | ENOV),
    [0x45 ... 0x47] = E66(EWB),                       /* VPSRLVD/Q VPSRAVD/Q VPSLLVD/Q */
    /* VRCP14PS/PD VRCP14SS/SD VRSQRT14PS/PD VRSQRT14SS/SD */
    [0x4c] = E66(EWB | ENOV), [0x4d] = E66(EWB | ELIG),
    [0x4e] = E66(EWB | ENOV), [0x4f] = E66(EWB | ELIG),
    /* VPBROADCASTD, VBROADCASTI32X2/VPBROADCASTQ, VBROADCASTI32X4/I64X2,
     * VBROADCASTI32X8/I64X4 */
    [0x58] = E66(EW0 | ENOV), [0x59] = E66(EWB | ENOV),
    [0x5a] = E66(EWB | ENOT128 | EMEM | ENOV), [0x5b] = E66(EWB | E512 | EMEM | ENOV),
    [0x64 ... 0x66] = E66(EWB),                       /* VPBLENDMD/Q VBLENDMPS/PD VPBLENDMB/W */
    [0x75 ... 0x77] = E66(EWB),                       /* VPERMI2B/W VPERMI2D/Q VPERMI2PS/PD */
    [0x78 ... 0x79] = E66(EW0 | ENOV),                /* VPBROADCASTB VPBROADCASTW */
    /* VPBROADCASTB/W/D/Q from a general register */
    [0x7a ... 0x7b] = E66(EW0 | EREG | ENOV), [0x7c] = E66(EWB | EREG | ENOV),
    [0x7d ... 0x7f] = E66(EWB),                       /* VPERMT2B/W VPERMT2D/Q VPERMT2PS/PD */
    [0x83] = E66(EW1),                                /* VPMULTISHIFTQB */
    /* VEXPANDPS/PD VPEXPANDD/Q VCOMPRESSPS/PD VPCOMPRESSD/Q */
    [0x88 ... 0x89] = E66(EWB | ENOV), [0x8a ... 0x8b] = E66(EWB | ENOV | ESTORE),
    [0x8d] = E66(EWB),                                /* VPERMB VPERMW */
    /* VPGATHERDD/DQ VPGATHERQD/QQ VGATHERDPS/DPD VGATHERQPS/QPD */
    [0x90 ... 0x93] = E66(EWB | EMEM | ENOV),
    /* VFMADDSUB132 VFMSUBADD132 VFMADD132 (P/S) VFMSUB132 VFNMADD132 VFNMSUB132 */
    [0x96 ... 0x98] = E66(EWB), [0x99] = E66(EWB | ELIG), [0x9a] = E66(EWB),
    [0x9b] = E66(EWB | ELIG), [0x9c] = E66(EWB), [0x9d] = E66(EWB | ELIG),
    [0x9e] = E66(EWB), [0x9f] = E66(EWB | ELIG),
    /* VPSCATTERDD/DQ VPSCATTERQD/QQ VSCATTERDPS/DPD VSCATTERQPS/QPD */
    [0xa0 ... 0xa3] = E66(EWB | EMEM | ENOV | ESTORE),
    /* the same FMA set, 213 ordering */
    [0xa6 ... 0xa8] = E66(EWB), [0xa9] = E66(EWB | ELIG), [0xaa] = E66(EWB),
    [0xab] = E66(EWB | ELIG), [0xac] = E66(EWB), [0xad] = E66(EWB | ELIG),
    [0xae] = E66(EWB), [0xaf] = E66(EWB | ELIG),
    [0xb4 ... 0xb5] = E66(EW1),                       /* VPMADD52LUQ VPMADD52HUQ */
    /* the same FMA set, 231 ordering */
    [0xb6 ... 0xb8] = E66(EWB), [0xb9] = E66(EWB | ELIG), [0xba] = E66(EWB),
    [0xbb] = E66(EWB | ELIG), [0xbc] = E66(EWB), [0xbd] = E66(EWB | ELIG),
    [0xbe] = E66(EWB), [0xbf] = E66(EWB | ELIG),
    [0xc4] = E66(EWB | ENOV),                         /* VPCONFLICTD/Q */
    /* AVX512PF VGATHERPF0/1, VSCATTERPF0/1 (DPS/QPS/DPD/QPD): /1 /2 /5 /6 */
    [0xc6 ... 0xc7] = { [PFX_66] = EFG(EWB | E512 | EMEM | ENOV, 0x66) },
    [0xc8] = E66(EWB | E512 | ENOV),                  /* VEXP2PS/PD */
    /* VRCP28PS/PD VRCP28SS/SD VRSQRT28PS/PD VRSQRT28SS/SD */
    [0xca] = E66(EWB | E512 | ENOV), [0xcb] = E66(EWB | ELIG),
    [0xcc] = E66(EWB | E512 | ENOV), [0xcd] = E66(EWB | ELIG),
};

const struct x86_evex_form x86_evex_0f3a[256][4] = {
    [0x00 ... 0x01] = E66(EW1 | ENOT128 | ENOV),      /* VPERMQ VPERMPD imm */
    [0x03] = E66(EWB),                                /* VALIGND/Q */
    [0x04] = E66(EW0 | ENOV), [0x05] = E66(EW1 | ENOV), /* VPERMILPS VPERMILPD imm */
    /* VRNDSCALEPS VRNDSCALEPD VRNDSCALESS VRNDSCALESD */
    [0x08] = E66(EW0 | ENOV), [0x09] = E66(EW1 | ENOV),
    [0x0a] = E66(EW0 | ELIG), [0x0b] = E66(EW1 | ELIG),
    [0x0f] = E66(EWB),                                /* VPALIGNR */
    /* VPEXTRB VPEXTRW VPEXTRD/Q VEXTRACTPS */
    [0x14 ... 0x17] = E66(EWB | EL128 | ENOV | ENOMASK),
    [0x18] = E66(EWB | ENOT128),                      /* VINSERTF32X4 F64X2 */
    [0x19] = E66(EWB | ENOT128 | ENOV | ESTORE),      /* VEXTRACTF32X4 F64X2 */
    [0x1a] = E66(EWB | E512),                         /* VINSERTF32X8 F64X4 */
    [0x1b] = E66(EWB | E512 | ENOV | ESTORE),         /* VEXTRACTF32X8 F64X4 */
    [0x1d] = E66(EW0 | ENOV | ESTORE),                /* VCVTPS2PH */
    [0x1e ... 0x1f] = E66(EWB),                       /* VPCMPUD/Q VPCMPD/Q */
    /* VPINSRB VINSERTPS VPINSRD/Q */
    [0x20] = E66(EWB | EL128 | ENOMASK), [0x21] = E66(EW0 | EL128 | ENOMASK),
    [0x22] = E66(EWB | EL128 | ENOMASK),
    [0x23] = E66(EWB | ENOT128),                      /* VSHUFF32X4 F64X2 */
    [0x25] = E66(EWB),                                /* VPTERNLOGD/Q */
    [0x26] = E66(EWB | ENOV), [0x27] = E66(EWB | ELIG), /* VGETMANTPS/PD VGETMANTSS/SD */
    [0x38] = E66(EWB | ENOT128),                      /* VINSERTI32X4 I64X2 */
    [0x39] = E66(EWB | ENOT128 | ENOV | ESTORE),      /* VEXTRACTI32X4 I64X2 */
    [0x3a] = E66(EWB | E512),                         /* VINSERTI32X8 I64X4 */
    [0x3b] = E66(EWB | E512 | ENOV | ESTORE),         /* VEXTRACTI32X8 I64X4 */
    [0x3e ... 0x3f] = E66(EWB),                       /* VPCMPUB/W VPCMPB/W */
    [0x42] = E66(EW0),                                /* VDBPSADBW */
    [0x43] = E66(EWB | ENOT128),                      /* VSHUFI32X4 I64X2 */
    [0x50] = E66(EWB), [0x51] = E66(EWB | ELIG),      /* VRANGEPS/PD VRANGESS/SD */
    [0x54] = E66(EWB), [0x55] = E66(EWB | ELIG),      /* VFIXUPIMMPS/PD VFIXUPIMMSS/SD */
    [0x56] = E66(EWB | ENOV), [0x57] = E66(EWB | ELIG), /* VREDUCEPS/PD VREDUCESS/SD */
    [0x66] = E66(EWB | ENOV), [0x67] = E66(EWB | ELIG | ENOV), /* VFPCLASSPS/PD VFPCLASSSS/SD */
};

/* Forms with an m32bcst/m64bcst operand (SDM Vol. 2, AVX-512 pages). */
int x86_evex_bcast(unsigned map, uint8_t op, unsigned pp)
{
    bool packed = pp == PFX_NP || pp == PFX_66;
    switch (map) {
    case 1:
        switch (op) {
        case 0x14: case 0x15: case 0x54: case 0x55: case 0x56: case 0x57: case 0xc6:
        case 0x51: case 0x58: case 0x59: case 0x5a: case 0x5c: case 0x5d: case 0x5e:
        case 0x5f: case 0xc2: case 0x78: case 0x79:
            return packed;
        case 0x5b: case 0x7a: case 0xe6:
            return 1;
        case 0x7b:
            return pp == PFX_66;
        case 0x70:
            return pp == PFX_66;
        case 0x62: case 0x66: case 0x6a: case 0x6b: case 0x6c: case 0x6d: case 0x72:
        case 0x76: case 0xd4: case 0xdb: case 0xdf: case 0xeb: case 0xef: case 0xf4:
        case 0xfa: case 0xfb: case 0xfe:
            return pp == PFX_66;
        case 0x73: /* /2 /6 only: checked by the caller through ModRM.reg */
            return pp == PFX_66;
        }
        return 0;
    case 2:
        if (pp != PFX_66)
            return 0;
        switch (op) {
        case 0x0c: case 0x0d: case 0x14: case 0x15: case 0x16: case 0x1e: case 0x1f:
        case 0x27: case 0x28: case 0x29: case 0x2b: case 0x2c: case 0x36: case 0x37:
        case 0x39: case 0x3b: case 0x3d: case 0x3f: case 0x40: case 0x42: case 0x44:
        case 0x45: case 0x46: case 0x47: case 0x4c: case 0x4e: case 0x64: case 0x65:
        case 0x76: case 0x77: case 0x7e: case 0x7f: case 0x83: case 0x96: case 0x97:
        case 0x98: case 0x9a: case 0x9c: case 0x9e: case 0xa6: case 0xa7: case 0xa8:
        case 0xaa: case 0xac: case 0xae: case 0xb4: case 0xb5: case 0xb6: case 0xb7:
        case 0xb8: case 0xba: case 0xbc: case 0xbe: case 0xc4: case 0xc8: case 0xca:
        case 0xcc:
            return 1;
        }
        return 0;
    case 3:
        switch (op) {
        case 0x00: case 0x01: case 0x03: case 0x04: case 0x05: case 0x08: case 0x09:
        case 0x1e: case 0x1f: case 0x23: case 0x25: case 0x26: case 0x43: case 0x50:
        case 0x54: case 0x56: case 0x66:
            return pp == PFX_66;
        }
        return 0;
    }
    return 0;
}

/* Forms with embedded rounding ({er}) or suppress-all-exceptions ({sae}). */
int x86_evex_sae(unsigned map, uint8_t op, unsigned pp)
{
    switch (map) {
    case 1:
        switch (op) {
        case 0x2a: case 0x2c: case 0x2d: case 0x7b:
            return pp == PFX_F3 || pp == PFX_F2 || (op == 0x7b && pp == PFX_66);
        case 0x2e: case 0x2f: case 0x51: case 0x58: case 0x59: case 0x5a: case 0x5b:
        case 0x5c: case 0x5d: case 0x5e: case 0x5f: case 0x78: case 0x79: case 0x7a:
        case 0xc2: case 0xe6:
            return 1;
        }
        return 0;
    case 2:
        if (pp != PFX_66)
            return 0;
        switch (op) {
        case 0x13: case 0x2c: case 0x2d: case 0x42: case 0x43:
        case 0xc8: case 0xca: case 0xcb: case 0xcc: case 0xcd:
            return 1;
        }
        return (op >= 0x96 && op <= 0x9f) || (op >= 0xa6 && op <= 0xaf) ||
               (op >= 0xb6 && op <= 0xbf);
    case 3:
        if (pp != PFX_66)
            return 0;
        switch (op) {
        case 0x08: case 0x09: case 0x0a: case 0x0b: case 0x1d: case 0x26: case 0x27:
        case 0x50: case 0x51: case 0x54: case 0x55: case 0x56: case 0x57:
            return 1;
        }
        return 0;
    }
    return 0;
}

int x86_evex_er(unsigned map, uint8_t op, unsigned pp)
{
    switch (map) {
    case 1:
        switch (op) {
        case 0x2a: case 0x2d: case 0x51: case 0x58: case 0x59: case 0x5c: case 0x5e:
        case 0x79: case 0x7b:
            return 1;
        case 0x5a:
            return pp == PFX_66 || pp == PFX_F2;
        case 0x5b:
            return pp == PFX_NP || pp == PFX_66;
        case 0x7a: case 0xe6:
            return pp == PFX_F3 || pp == PFX_F2;
        }
        return 0;
    case 2:
        if (pp != PFX_66)
            return 0;
        return op == 0x2c || op == 0x2d || (op >= 0x96 && op <= 0x9f) ||
               (op >= 0xa6 && op <= 0xaf) || (op >= 0xb6 && op <= 0xbf);
    }
    return 0;
}
