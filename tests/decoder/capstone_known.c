/*
 * capstone_known.c - Capstone 4 decoding errors that decoder_vs_capstone
 * tolerates. Each entry recognizes one class of byte strings on which
 * Capstone 4.0.2 and the decoder disagree, and says with the manual
 * reference why the decoder's answer is the right one. A class is matched
 * narrowly: the opcode (and ModRM form) involved, and, where possible, a
 * re-check that the disagreement disappears once the cause is removed.
 */
#include "tests/decoder/capstone_known.h"

#include <string.h>

#include "translator/disas.h"

static bool is_legacy_prefix(uint8_t b)
{
    switch (b) {
    case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
    case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
        return true;
    default:
        return false;
    }
}

static unsigned n_prefixes(const uint8_t *b)
{
    unsigned i = 0;
    while (i < 15 && is_legacy_prefix(b[i]))
        i++;
    return i;
}

static bool has_prefix(const uint8_t *b, uint8_t p)
{
    unsigned n = n_prefixes(b);
    return memchr(b, p, n) != NULL;
}

/* Legacy-encoded (not VEX/XOP) instruction of the 0F map with this opcode? */
static bool is_0f(const struct cs_case *c, uint8_t op)
{
    unsigned n = n_prefixes(c->bytes);
    return n < 14 && c->bytes[n] == 0x0f && c->insn->map == 1 && c->insn->opcode == op;
}

static bool ours_ok(const struct cs_case *c)
{
    return c->st == DECODE_OK;
}

/* Do we agree with Capstone's length once the prefixes in `drop` are
 * replaced by DS overrides (same length, no other meaning)? */
static bool agrees_without(const struct cs_case *c, const char *drop)
{
    uint8_t b[16];
    unsigned n = n_prefixes(c->bytes);
    bool changed = false;
    memcpy(b, c->bytes, 16);
    for (unsigned i = 0; i < n; i++) {
        if (strchr(drop, (char)b[i])) {
            b[i] = 0x3e;
            changed = true;
        }
    }
    struct x86_insn insn;
    return changed && x86_decode_buf(&insn, c->mode, 0x1000, b, 16) == DECODE_OK &&
           insn.len == c->cs_len;
}

/* 1. LOCK on an instruction that does not allow it. */
static bool m_lock(const struct cs_case *c)
{
    return c->st == DECODE_INVALID && c->cs_len && agrees_without(c, "\xf0");
}

/* 2. MOV to/from CR1, CR5, CR6, CR7. */
static bool m_mov_cr(const struct cs_case *c)
{
    unsigned reg = c->insn->reg;
    return c->st == DECODE_INVALID && c->cs_len == c->insn->len &&
           (is_0f(c, 0x20) || is_0f(c, 0x22)) && (reg == 1 || reg >= 5);
}

/* 3. MOV CS, r/m16. */
static bool m_mov_cs(const struct cs_case *c)
{
    unsigned n = n_prefixes(c->bytes);
    return c->st == DECODE_INVALID && c->cs_len == c->insn->len && c->insn->map == 0 &&
           c->bytes[n] == 0x8e && c->insn->reg == 1;
}

/* 4. UD1 has a ModRM byte. */
static bool m_ud1(const struct cs_case *c)
{
    return is_0f(c, 0xb9) && c->insn->has_modrm &&
           (c->cs_len == 0 || c->cs_len < c->insn->len);
}

/* 5. UD0 has a ModRM byte. */
static bool m_ud0(const struct cs_case *c)
{
    return is_0f(c, 0xff) && c->insn->has_modrm &&
           (c->cs_len == 0 || c->cs_len < c->insn->len);
}

/* 6. Register forms of the hint NOPs 0F 18, 0F 1A-1F. */
static bool m_hint_nop(const struct cs_case *c)
{
    uint8_t op = c->insn->opcode;
    return ours_ok(c) && c->cs_len == 0 && c->insn->map == 1 && c->insn->mod == 3 &&
           (is_0f(c, op) && (op == 0x18 || (op >= 0x1a && op <= 0x1f)));
}

/* 7. Memory forms of 0F 0D (PREFETCH, PREFETCHW, PREFETCHWT1). */
static bool m_prefetch_0d(const struct cs_case *c)
{
    return ours_ok(c) && c->cs_len == 0 && is_0f(c, 0x0d) && c->insn->mod != 3;
}

/* 8. A mandatory prefix (66/F2/F3) that is not the last prefix. */
static bool m_mandatory_adjacent(const struct cs_case *c)
{
    unsigned n = n_prefixes(c->bytes);
    if (n < 2 || c->insn->map == 0)
        return false;
    /* Our mandatory prefix: the last F2/F3, else 66. Move it to the end. */
    int pos = -1;
    for (unsigned i = 0; i < n; i++)
        if (c->bytes[i] == 0xf2 || c->bytes[i] == 0xf3)
            pos = (int)i;
    if (pos < 0)
        for (unsigned i = 0; i < n; i++)
            if (c->bytes[i] == 0x66)
                pos = (int)i;
    if (pos < 0 || pos == (int)n - 1)
        return false;
    uint8_t b[16];
    memcpy(b, c->bytes, 16);
    uint8_t p = b[pos];
    memmove(b + pos, b + pos + 1, n - 1 - (unsigned)pos);
    b[n - 1] = p;
    int ours = c->st == DECODE_OK ? c->insn->len : 0;
    int cs = disas_length(b, 16, 0x1000, c->mode);
    return (cs < 0 ? 0 : cs) == ours;
}

/* 9. SSE2/SSE3/SSSE3/SSE4/AES/POPCNT forms with a mandatory prefix in 16-bit mode. */
static bool m_sse_16bit(const struct cs_case *c)
{
    if (c->mode != 16 || !ours_ok(c) || c->cs_len != 0 || c->insn->map == 0)
        return false;
    if (c->insn->mnem != X86_UNIMPL && c->insn->mnem != X86_POPCNT)
        return false;
    unsigned n = n_prefixes(c->bytes);
    if (n == 0 || c->bytes[n] != 0x0f)
        return false;
    return has_prefix(c->bytes, 0x66) || has_prefix(c->bytes, 0xf2) ||
           has_prefix(c->bytes, 0xf3);
}

/* 10. Instructions Capstone 4 does not know: RDPKRU/WRPKRU (0F 01 EE/EF),
 * MONITORX/MWAITX/CLZERO (0F 01 FA/FB/FC). */
static bool m_unknown_0f01(const struct cs_case *c)
{
    uint8_t m = c->insn->modrm;
    return ours_ok(c) && c->cs_len == 0 && is_0f(c, 0x01) &&
           (m == 0xee || m == 0xef || m == 0xfa || m == 0xfb || m == 0xfc);
}

/* 11. SWAPGS outside 64-bit mode. */
static bool m_swapgs(const struct cs_case *c)
{
    return c->st == DECODE_INVALID && c->cs_len == c->insn->len && is_0f(c, 0x01) &&
           c->insn->modrm == 0xf8;
}

/* 12. 66/F2/F3/LOCK before a VEX/XOP/EVEX prefix. */
static bool m_prefix_vex(const struct cs_case *c)
{
    unsigned n = n_prefixes(c->bytes);
    uint8_t b = c->bytes[n];
    if (c->st != DECODE_INVALID || !c->cs_len ||
        (b != 0xc4 && b != 0xc5 && b != 0x62 && b != 0x8f))
        return false;
    return agrees_without(c, "\x66\xf2\xf3\xf0");
}

/* 13. 0F 0F /r 0E: not a 3DNow! suffix. */
static bool m_3dnow_0e(const struct cs_case *c)
{
    return c->st == DECODE_INVALID && c->cs_len == c->insn->len && is_0f(c, 0x0f) &&
           c->bytes[c->insn->len - 1] == 0x0e;
}

/* 14. MOV moffs (A0-A3) with 66 and F2/F3. */
static bool m_moffs_rep(const struct cs_case *c)
{
    unsigned n = n_prefixes(c->bytes);
    if (!ours_ok(c) || c->cs_len || c->insn->map != 0 || c->bytes[n] < 0xa0 ||
        c->bytes[n] > 0xa3 || !has_prefix(c->bytes, 0x66))
        return false;
    /* Capstone accepts the same bytes without the F2/F3 */
    uint8_t b[16];
    memcpy(b, c->bytes, 16);
    for (unsigned i = 0; i < n; i++)
        if (b[i] == 0xf2 || b[i] == 0xf3)
            b[i] = 0x3e;
    return disas_length(b, 16, 0x1000, c->mode) == c->insn->len;
}

/* 15. 16-bit mode, F2/66 0F 78/79 (SSE4a INSERTQ/EXTRQ): Capstone decodes
 * VMREAD/VMWRITE (as if the prefix were absent). */
static bool m_sse4a_16bit(const struct cs_case *c)
{
    return c->mode == 16 && (is_0f(c, 0x78) || is_0f(c, 0x79)) &&
           (has_prefix(c->bytes, 0xf2) || has_prefix(c->bytes, 0x66)) &&
           strncmp(c->cs_text, "vm", 2) == 0;
}

/* 16. AVX-512 opmask instructions Capstone 4 lacks: the W1 forms
 * (KANDD/KANDQ ..., KMOVD/KMOVQ) and KUNPCKWD/KUNPCKDQ (NP 0F 4B). */
static bool m_kmask(const struct cs_case *c)
{
    unsigned n = n_prefixes(c->bytes);
    const uint8_t *v = c->bytes + n;
    if (!ours_ok(c) || c->cs_len || c->insn->map != 1 || (v[0] != 0xc4 && v[0] != 0xc5))
        return false;
    uint8_t op = c->insn->opcode;
    bool kop = (op >= 0x41 && op <= 0x4b) || (op >= 0x90 && op <= 0x99);
    bool w1 = v[0] == 0xc4 && (v[2] & 0x80);
    unsigned pp = v[0] == 0xc4 ? v[2] & 3 : v[1] & 3;
    return kop && (w1 || (op == 0x4b && pp == 0));
}

/* 17. F2 (BND) or F3 before a near branch with 66: Capstone drops the 66. */
static bool m_bnd_66(const struct cs_case *c)
{
    unsigned n = n_prefixes(c->bytes);
    uint8_t op = c->bytes[n];
    return ours_ok(c) && c->insn->map == 0 &&
           (has_prefix(c->bytes, 0xf2) || has_prefix(c->bytes, 0xf3)) &&
           has_prefix(c->bytes, 0x66) && c->cs_len == c->insn->len + 2 &&
           (op == 0xe8 || op == 0xe9 || (op >= 0x70 && op <= 0x7f) || op == 0xc2 ||
            op == 0xc3 || op == 0xeb);
}

const struct cs_known capstone_known[] = {
    { "lock-not-lockable",
      "Capstone accepts LOCK on some instructions that cannot take it (ADD r, r/m; "
      "NOP; x87; MOV CR). SDM Vol. 2A 'LOCK': #UD unless the instruction is one "
      "listed there with a memory destination.",
      m_lock },
    { "mov-cr-reserved",
      "Capstone decodes MOV to/from CR1, CR5, CR6, CR7. SDM Vol. 2B 'MOV - Move "
      "to/from Control Registers': #UD if an attempt is made to access CR1, CR5, "
      "CR6 or CR7.",
      m_mov_cr },
    { "mov-to-cs",
      "Capstone decodes 8E /1 (MOV CS, r/m16). SDM Vol. 2B 'MOV': #UD if an "
      "attempt is made to load the CS register.",
      m_mov_cs },
    { "ud1-modrm",
      "Capstone decodes 0F B9 without a ModRM byte. SDM Vol. 2B 'UD': "
      "0F B9 /r UD1 r32, r/m32.",
      m_ud1 },
    { "ud0-modrm",
      "Capstone rejects 0F FF or decodes it without ModRM. SDM Vol. 2B 'UD': "
      "0F FF /r UD0 r32, r/m32.",
      m_ud0 },
    { "hint-nop-register",
      "Capstone rejects the register forms of 0F 18 and 0F 1A-1F. SDM Vol. 2B "
      "'NOP' (0F 1F /0 NOP r/m32) and Table A-3: 0F 18-1F are NOP Ev.",
      m_hint_nop },
    { "prefetch-0f0d",
      "Capstone rejects 0F 0D with a memory operand. SDM Vol. 2B 'PREFETCHW' "
      "(0F 0D /1) and 'PREFETCHWT1' (0F 0D /2); AMD APM Vol. 3 'PREFETCH' "
      "(0F 0D /0, /3-/7 reserved aliases).",
      m_prefetch_0d },
    { "mandatory-prefix-position",
      "Capstone takes 66/F2/F3 as a mandatory prefix only when it is the last "
      "prefix. SDM Vol. 2A 2.1.1: prefixes may come in any order; the same "
      "bytes with that prefix moved last decode alike in Capstone.",
      m_mandatory_adjacent },
    { "sse-16bit",
      "Capstone rejects some SSE2/SSE3/SSSE3/SSE4/AES/POPCNT forms with a "
      "mandatory prefix in 16-bit mode. SDM Vol. 2: each lists 'Real-Address "
      "Mode Exceptions' like protected mode; they are valid in 16-bit code.",
      m_sse_16bit },
    { "unknown-0f01",
      "Capstone 4 does not know RDPKRU/WRPKRU (SDM Vol. 2B, 0F 01 EE/EF) nor "
      "MONITORX/MWAITX/CLZERO (AMD APM Vol. 3, 0F 01 FA/FB/FC).",
      m_unknown_0f01 },
    { "prefix-before-vex",
      "Capstone accepts 66/F2/F3 (and sometimes LOCK) before a VEX/XOP/EVEX "
      "prefix. SDM Vol. 2A 2.3.2: any VEX-encoded instruction with a LOCK, 66H, "
      "F2H, F3H or REX prefix preceding VEX is #UD (2.6 likewise for EVEX).",
      m_prefix_vex },
    { "3dnow-suffix-0e",
      "Capstone decodes 0F 0F /r 0E as FEMMS. FEMMS is 0F 0E; 0E is not a "
      "3DNow! suffix (AMD 3DNow! Technology Manual, Table 10).",
      m_3dnow_0e },
    { "moffs-66-rep",
      "Capstone rejects MOV AL/eAX <-> moffs (A0-A3) carrying both 66 and "
      "F2/F3, though it accepts each alone. SDM Vol. 2A 2.1.1: F2/F3 on a "
      "non-string instruction is ignored; A0-A3 take 66 as operand size.",
      m_moffs_rep },
    { "sse4a-16bit",
      "In 16-bit mode Capstone decodes F2/66 0F 78/79 as VMREAD/VMWRITE. AMD "
      "APM Vol. 4 EXTRQ/INSERTQ: 66 0F 78 /0 ib ib, F2 0F 78 /r ib ib, "
      "66/F2 0F 79 /r, valid in every mode.",
      m_sse4a_16bit },
    { "kmask-avx512bw",
      "Capstone 4 lacks the AVX512BW opmask forms: VEX.W1 KANDD/KANDQ, KORD/"
      "KORQ, KMOVD/KMOVQ ... and KUNPCKWD/KUNPCKDQ (NP 0F 4B). SDM Vol. 2 "
      "KANDW/KANDB/KANDQ/KANDD, KUNPCKBW/KUNPCKWD/KUNPCKDQ.",
      m_kmask },
    { "bnd-66-branch",
      "With an F2 (BND) or F3 prefix Capstone ignores 66 on near CALL/JMP/Jcc "
      "and reads a rel32. SDM Vol. 2A 'CALL': in 32-bit mode 66 selects "
      "E8 cw (rel16); MPX (SDM Vol. 1 17.5) does not change the operand size.",
      m_bnd_66 },
    { "swapgs-32bit",
      "Capstone decodes SWAPGS in 16/32-bit mode. SDM Vol. 2B 'SWAPGS': #UD "
      "if not in 64-bit mode.",
      m_swapgs },
};
const size_t capstone_known_count = sizeof(capstone_known) / sizeof(capstone_known[0]);
