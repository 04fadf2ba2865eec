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
#include "translator/x86/x86_table.h"

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

static bool m_lock(const struct cs_case *c);

/* Is case c explained by an entry other than `self`? For byte strings with
 * two independent Capstone errors. */
static bool known_other(const struct cs_case *c, bool (*self)(const struct cs_case *))
{
    for (size_t k = 0; k < capstone_known_count; k++)
        if (capstone_known[k].match != self && capstone_known[k].match(c))
            return true;
    return false;
}

/* 1. LOCK on an instruction that does not allow it. */
static bool m_lock(const struct cs_case *c)
{
    if (c->st != DECODE_INVALID || !c->cs_len || !has_prefix(c->bytes, 0xf0))
        return false;
    if (agrees_without(c, "\xf0"))
        return true;
    /* without the LOCK we disagree for another known reason */
    uint8_t b[16];
    unsigned n = n_prefixes(c->bytes);
    memcpy(b, c->bytes, 16);
    for (unsigned i = 0; i < n; i++)
        if (b[i] == 0xf0)
            b[i] = 0x3e;
    struct x86_insn insn;
    enum x86_decode_status st = x86_decode_buf(&insn, c->mode, 0x1000, b, 16);
    char text[96];
    int cs = disas_insn_text(b, 16, 0x1000, c->mode, text, sizeof(text));
    struct cs_case c2 = { b, c->mode, &insn, st, cs < 0 ? 0 : cs, text };
    return st == DECODE_OK && c2.cs_len == c->cs_len && insn.len != c2.cs_len &&
           known_other(&c2, m_lock);
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

/* Copy the case's bytes to b with our mandatory prefix (the last F2/F3,
 * else 66) moved to the end of the prefixes; false if it already is. */
static bool mandatory_last(const uint8_t *bytes, uint8_t *b)
{
    unsigned n = n_prefixes(bytes);
    int pos = -1;
    memcpy(b, bytes, 16);
    for (unsigned i = 0; i < n; i++)
        if (bytes[i] == 0xf2 || bytes[i] == 0xf3)
            pos = (int)i;
    if (pos < 0)
        for (unsigned i = 0; i < n; i++)
            if (bytes[i] == 0x66)
                pos = (int)i;
    if (pos < 0 || pos == (int)n - 1)
        return false;
    uint8_t p = b[pos];
    memmove(b + pos, b + pos + 1, n - 1 - (unsigned)pos);
    b[n - 1] = p;
    return true;
}

/* 8. A mandatory prefix (66/F2/F3) that is not the last prefix. */
static bool m_mandatory_adjacent(const struct cs_case *c)
{
    uint8_t b[16];
    if (c->insn->map == 0 || !mandatory_last(c->bytes, b))
        return false;
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
    if (!has_prefix(c->bytes, 0x66) && !has_prefix(c->bytes, 0xf2) &&
        !has_prefix(c->bytes, 0xf3))
        return false;
    /* Capstone knows the instruction: it accepts the bytes in 32-bit mode
     * (with the mandatory prefix last, see entry 8) */
    uint8_t b[16];
    if (!mandatory_last(c->bytes, b))
        memcpy(b, c->bytes, 16);
    struct x86_insn insn;
    return x86_decode_buf(&insn, 32, 0x1000, b, 16) == DECODE_OK &&
           insn.mnem == c->insn->mnem && disas_length(b, 16, 0x1000, 32) > 0;
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
 * (KANDD/KANDQ ..., KMOVD/KMOVQ), KUNPCKWD/KUNPCKDQ (NP 0F 4B), KTEST. */
static bool m_kmask(const struct cs_case *c)
{
    unsigned n = n_prefixes(c->bytes);
    const uint8_t *v = c->bytes + n;
    if (!ours_ok(c) || c->cs_len || (v[0] != 0xc4 && v[0] != 0xc5))
        return false;
    uint8_t op = c->insn->opcode;
    /* KSHIFTRD/Q (0F3A 31), KSHIFTLD/Q (0F3A 33) */
    if (c->insn->map == 3)
        return op == 0x31 || op == 0x33;
    if (c->insn->map != 1)
        return false;
    bool kop = (op >= 0x41 && op <= 0x4b) || (op >= 0x90 && op <= 0x99);
    bool w1 = v[0] == 0xc4 && (v[2] & 0x80);
    unsigned pp = v[0] == 0xc4 ? v[2] & 3 : v[1] & 3;
    return kop && (w1 || (op == 0x4b && pp == 0) || op == 0x99 || op == 0x4a ||
                   ((op == 0x92 || op == 0x93) && pp == 3));
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

/* The EVEX prefix of the case, or NULL: bytes 62 P0 P1 P2 opcode ModRM. */
static const uint8_t *evex_of(const struct cs_case *c)
{
    unsigned n = n_prefixes(c->bytes);
    const uint8_t *e = c->bytes + n;
    if (n > 10 || e[0] != 0x62 || (e[1] & 0xc0) != 0xc0 || (e[1] & 3) == 0)
        return NULL;
    return e;
}

/* Capstone's length for the case with EVEX.L'L replaced by ll. */
static int cs_len_with_ll(const struct cs_case *c, const uint8_t *e, unsigned ll)
{
    uint8_t b[16];
    memcpy(b, c->bytes, 16);
    b[(e - c->bytes) + 3] = (uint8_t)((e[3] & ~0x60) | (ll << 5));
    int len = disas_length(b, 16, 0x1000, c->mode);
    return len < 0 ? 0 : len;
}

/* 18. EVEX.L'L = 11b (reserved) outside embedded rounding. */
static bool m_evex_ll3(const struct cs_case *c)
{
    const uint8_t *e = evex_of(c);
    bool rounding = e && (e[3] & 0x10) && (e[5] >> 6) == 3;
    return e && c->st == DECODE_INVALID && c->cs_len == c->insn->len &&
           ((e[3] >> 5) & 3) == 3 && !rounding && cs_len_with_ll(c, e, 2) == c->cs_len;
}

/* 19. Scalar EVEX forms (EVEX.LLIG) with L'L != 0. */
static bool m_evex_scalar_lig(const struct cs_case *c)
{
    const uint8_t *e = evex_of(c);
    if (!e || !ours_ok(c) || c->cs_len)
        return false;
    static const struct x86_evex_form (*const maps[4])[4] = {
        NULL, x86_evex_0f, x86_evex_0f38, x86_evex_0f3a
    };
    const struct x86_evex_form *f = &maps[e[1] & 3][e[4]][e[2] & 3];
    return (f->flags & ELIG) && cs_len_with_ll(c, e, 0) == c->insn->len;
}

/* 20. Embedded rounding (EVEX.b = 1, register operands, an {er} form). */
static bool m_evex_rounding(const struct cs_case *c)
{
    const uint8_t *e = evex_of(c);
    if (!e || !ours_ok(c) || !(e[3] & 0x10) || (e[5] >> 6) != 3 ||
        !x86_evex_er(e[1] & 3, e[4], e[2] & 3))
        return false;
    int ours = c->insn->len;
    if (c->cs_len == ours + 1) /* Capstone reads one byte too many */
        return true;
    if (c->cs_len)
        return false;
    int ll2 = cs_len_with_ll(c, e, 2);
    if (ll2 == ours || ll2 == ours + 1)
        return true;
    /* Capstone rejects rounding on this form: it takes it without EVEX.b */
    uint8_t b[16];
    memcpy(b, c->bytes, 16);
    b[(e - c->bytes) + 3] &= (uint8_t)~0x10;
    return disas_length(b, 16, 0x1000, c->mode) == ours;
}

/* 22. EVEX.V' = 0 (#UD outside 64-bit mode) or EVEX.z = 1 with no opmask. */
static bool m_evex_vprime_z(const struct cs_case *c)
{
    const uint8_t *e = evex_of(c);
    if (!e || c->st != DECODE_INVALID || !c->cs_len)
        return false;
    if ((e[3] & 0x08) && !((e[3] & 0x80) && !(e[3] & 7)))
        return false;
    /* with V' = 1 and z = 0 we agree with Capstone's length */
    uint8_t b[16];
    memcpy(b, c->bytes, 16);
    b[(e - c->bytes) + 3] = (uint8_t)((e[3] | 0x08) & 0x7f);
    struct x86_insn insn;
    return x86_decode_buf(&insn, c->mode, 0x1000, b, 16) == DECODE_OK &&
           insn.len == c->cs_len;
}

/* 23. EVEX.W1 encodings of WIG forms (e.g. VPSHUFB), and R' = 1 forms. */
static bool m_evex_wig(const struct cs_case *c)
{
    const uint8_t *e = evex_of(c);
    if (!e || !ours_ok(c) || c->cs_len)
        return false;
    static const struct x86_evex_form (*const maps[4])[4] = {
        NULL, x86_evex_0f, x86_evex_0f38, x86_evex_0f3a
    };
    const struct x86_evex_form *f = &maps[e[1] & 3][e[4]][e[2] & 3];
    uint8_t b[16];
    memcpy(b, c->bytes, 16);
    size_t at = (size_t)(e - c->bytes);
    if ((e[2] & 0x80) && (f->flags & EW0) && (f->flags & EW1)) {
        b[at + 2] &= 0x7f;
        if (disas_length(b, 16, 0x1000, c->mode) == c->insn->len)
            return true;
    }
    return false;
}

/* 24. EVEX.R' = 0 with a vector register in ModRM.reg. */
static bool m_evex_rprime(const struct cs_case *c)
{
    const uint8_t *e = evex_of(c);
    if (!e || !ours_ok(c) || c->cs_len || (e[1] & 0x10))
        return false;
    uint8_t b[16];
    memcpy(b, c->bytes, 16);
    b[(e - c->bytes) + 1] |= 0x10;
    return disas_length(b, 16, 0x1000, c->mode) == c->insn->len;
}

/* 21. AVX-512 variants missing from Capstone 4's tables: it rejects an
 * EVEX form we accept, and accepts the same instruction, with our length,
 * once masking ({k}: aaa = 0), zeroing ({z}: z = 0) and the vector length
 * (L'L) are normalized. */
static bool m_evex_variants(const struct cs_case *c)
{
    const uint8_t *e = evex_of(c);
    if (!e || !ours_ok(c) || c->cs_len)
        return false;
    size_t at = (size_t)(e - c->bytes) + 3;
    for (unsigned ll = 0; ll < 3; ll++) {
        for (unsigned mask = 0; mask < 4; mask++) {
            uint8_t b[16];
            memcpy(b, c->bytes, 16);
            uint8_t p = (uint8_t)((e[3] & ~0x60) | (ll << 5));
            if (mask & 1)
                p &= (uint8_t)~0x07; /* no opmask */
            if (mask & 2)
                p &= 0x7f; /* merging */
            b[at] = p;
            if (disas_length(b, 16, 0x1000, c->mode) == c->insn->len)
                return true;
        }
    }
    return false;
}

/* 25. EVEX instructions Capstone 4 lacks altogether: it rejects even the
 * plainest encoding of the form (no masking, no broadcast or rounding, a
 * vector length the form allows, register or [ecx] operand). */
static bool m_evex_missing(const struct cs_case *c)
{
    const uint8_t *e = evex_of(c);
    if (!e || !ours_ok(c) || c->cs_len)
        return false;
    static const struct x86_evex_form (*const maps[4])[4] = {
        NULL, x86_evex_0f, x86_evex_0f38, x86_evex_0f3a
    };
    unsigned map = e[1] & 3, pp = e[2] & 3;
    const struct x86_evex_form *f = &maps[map][e[4]][pp];
    unsigned ll = (f->flags & (EL128 | ELIG)) ? 0 : (f->flags & ENOT128) ? 1 : 2;
    unsigned reg = (e[5] >> 3) & 7; /* the case's ModRM.reg (group member) */
    uint8_t b[16] = { 0x62, (uint8_t)(0xf0 | map),
                      (uint8_t)((e[2] & 0x80) | ((f->flags & ENOV) ? 0x78 : 0x50) | 4 | pp),
                      (uint8_t)((ll << 5) | 0x08), e[4],
                      (uint8_t)(((e[5] >> 6) != 3 ? 0x01 : 0xc1) | (reg << 3)) };
    return disas_length(b, 16, 0x1000, c->mode) < 0;
}

/* 30. VEX instructions Capstone 4 lacks altogether (VBROADCASTI128, ...),
 * tested the same way as 25. */
static bool m_vex_missing(const struct cs_case *c)
{
    unsigned n = n_prefixes(c->bytes);
    const uint8_t *v = c->bytes + n;
    if (!ours_ok(c) || c->cs_len || n > 10 || v[0] != 0xc4 || (v[1] & 0xc0) != 0xc0)
        return false;
    static const struct x86_vex_form (*const maps[4])[4] = {
        NULL, x86_vex_0f, x86_vex_0f38, x86_vex_0f3a
    };
    unsigned map = v[1] & 0x1f, pp = v[2] & 3;
    if (map < 1 || map > 3)
        return false;
    const struct x86_vex_form *f = &maps[map][v[3]][pp];
    unsigned reg = (v[4] >> 3) & 7;
    uint8_t b[16] = { 0xc4, (uint8_t)(0xe0 | map),
                      (uint8_t)((v[2] & 0x80) | ((f->flags & VNOV) ? 0x78 : 0x50) |
                                ((f->flags & VL1) ? 4 : 0) | pp),
                      v[3], (uint8_t)(((v[4] >> 6) != 3 ? 0x01 : 0xc1) | (reg << 3)) };
    return disas_length(b, 16, 0x1000, c->mode) < 0;
}

/* 31. AMD LWP (XOP map 9 12 /0 /1, map 0Ah 12 /0 /1): unknown to Capstone 4. */
static bool m_xop_lwp(const struct cs_case *c)
{
    unsigned n = n_prefixes(c->bytes);
    return ours_ok(c) && !c->cs_len && c->bytes[n] == 0x8f && c->insn->opcode == 0x12 &&
           (c->insn->map == 9 || c->insn->map == 0xa);
}

/* 26. Gathers (VEX/EVEX 0F38 90-93), scatters (EVEX 0F38 A0-A3) and their
 * prefetches (EVEX 0F38 C6/C7) without a SIB byte. */
static bool m_vsib(const struct cs_case *c)
{
    unsigned n = n_prefixes(c->bytes);
    uint8_t v = c->bytes[n];
    uint8_t op = c->insn->opcode;
    return c->st == DECODE_INVALID && c->cs_len && (v == 0xc4 || v == 0x62) &&
           c->insn->map == 2 &&
           ((op >= 0x90 && op <= 0x93) ||
            (v == 0x62 && ((op >= 0xa0 && op <= 0xa3) || op == 0xc6 || op == 0xc7))) &&
           (c->insn->rm != 4 || c->insn->addrsize != 4);
}

/* 27. XOP BEXTR (map 0Ah, 10) in 16-bit mode or after 66: Capstone reads
 * an imm16. */
static bool m_xop_bextr16(const struct cs_case *c)
{
    unsigned n = n_prefixes(c->bytes);
    if (c->bytes[n] != 0x8f || c->insn->map != 0xa || c->insn->opcode != 0x10)
        return false;
    if (c->mode == 16 && ours_ok(c))
        return c->cs_len == c->insn->len - 2;
    /* 66/F2/F3/LOCK before XOP is #UD (entry prefix-before-vex); Capstone
     * decodes on, with a 66 or in 16-bit mode reading an imm16 */
    bool prefixed = has_prefix(c->bytes, 0x66) || has_prefix(c->bytes, 0xf2) ||
                    has_prefix(c->bytes, 0xf3) || has_prefix(c->bytes, 0xf0);
    if (!prefixed || (!has_prefix(c->bytes, 0x66) && c->mode != 16))
        return false;
    if (c->st == DECODE_INVALID)
        return c->cs_len == c->insn->len - 2;
    /* with the imm32 the instruction passes 15 bytes (#GP); Capstone's
     * shorter reading still fits */
    return c->st == DECODE_TOO_LONG && c->cs_len + 2 > 15;
}

/* The EVEX form table entry of an EVEX case. */
static const struct x86_evex_form *evex_form(const uint8_t *e)
{
    static const struct x86_evex_form (*const maps[4])[4] = {
        NULL, x86_evex_0f, x86_evex_0f38, x86_evex_0f3a
    };
    return &maps[e[1] & 3][e[4]][e[2] & 3];
}

/* 28. EVEX encodings that are #UD which Capstone decodes: legacy prefixes
 * before 62, EVEX.V' = 0, z without an opmask, L'L = 11b, an EVEX.W the
 * form does not have. With those fixed we agree with Capstone's length. */
static bool m_evex_ud_accepted(const struct cs_case *c)
{
    unsigned n = n_prefixes(c->bytes);
    const uint8_t *e = c->bytes + n;
    if (c->st != DECODE_INVALID || !c->cs_len || n > 10 || e[0] != 0x62 ||
        (e[1] & 0xc0) != 0xc0 || (e[1] & 3) == 0)
        return false;
    uint8_t b[16];
    memcpy(b, c->bytes, 16);
    for (unsigned i = 0; i < n; i++)
        if (b[i] == 0x66 || b[i] == 0xf2 || b[i] == 0xf3 || b[i] == 0xf0)
            b[i] = 0x3e;
    uint8_t *p = b + n;
    p[3] |= 0x08;                       /* V' = 1 */
    if (!(p[3] & 7))
        p[3] &= 0x7f;                   /* no zeroing without a mask */
    bool rounding = (p[3] & 0x10) && (p[5] >> 6) == 3;
    /* L'L = 11b is reserved unless it is a rounding mode: with {sae} only
     * (no embedded rounding) it stays a vector length (Table 2-36) */
    if (((p[3] >> 5) & 3) == 3 && (!rounding || !x86_evex_er(p[1] & 3, p[4], p[2] & 3)))
        p[3] = (uint8_t)((p[3] & ~0x60) | 0x40);
    const struct x86_evex_form *f = evex_form(p);
    bool w_flipped = false;
    if ((f->flags & EVEX_OK) && !(f->flags & ((p[2] & 0x80) ? EW1 : EW0))) {
        p[2] ^= 0x80;                   /* the W the form has */
        w_flipped = true;
    }
    bool scalar_mem = (p[1] & 3) == 1 && (p[4] == 0x10 || p[4] == 0x11) &&
                      (p[2] & 3) >= PFX_F3 && (p[5] >> 6) != 3;
    if ((f->flags & ENOV) || scalar_mem)
        p[2] |= 0x78;                   /* vvvv = 1111b */
    if (f->flags & ENOMASK)
        p[3] &= (uint8_t)~0x87;         /* no mask, no zeroing */
    if (f->flags & ESTORE)
        p[3] &= 0x7f;                   /* no zeroing into memory */
    if (!rounding && !(f->flags & ELIG)) { /* a vector length the form has */
        unsigned ll = (p[3] >> 5) & 3;
        if ((f->flags & EL128) && ll)
            ll = 0;
        else if ((f->flags & ENOT128) && !ll)
            ll = 1;
        else if (f->flags & E512)
            ll = 2;
        p[3] = (uint8_t)((p[3] & ~0x60) | (ll << 5));
    }
    struct x86_insn insn;
    if (x86_decode_buf(&insn, c->mode, 0x1000, b, 16) != DECODE_OK)
        return false;
    /* with embedded rounding, or the W1 encoding of a W0-only scalar form,
     * Capstone also reads one byte too many */
    return insn.len == c->cs_len || ((rounding || w_flipped) && insn.len + 1 == c->cs_len);
}

/* 29. Defined EVEX forms Capstone rejects but accepts once one or more of
 * masking, zeroing, broadcast, vector length, R' and a WIG form's W are
 * normalized (gaps in its AVX-512 tables). */
static bool m_evex_rejected_variant(const struct cs_case *c)
{
    const uint8_t *e = evex_of(c);
    if (!e || !ours_ok(c) || c->cs_len)
        return false;
    const struct x86_evex_form *f = evex_form(e);
    size_t at = (size_t)(e - c->bytes);
    /* the vector length is only moved to the form's base length: 512-bit,
     * or 128 for the 128-bit-only and scalar forms */
    unsigned base_ll = (f->flags & (EL128 | ELIG)) ? 0 : 2;
    for (unsigned v = 0; v < 128; v += 2) {
        uint8_t b[16];
        memcpy(b, c->bytes, 16);
        uint8_t *p = b + at;
        if (v & 2)
            p[3] = (uint8_t)((p[3] & ~0x60) | (base_ll << 5));
        if (v & 4)
            p[3] &= (uint8_t)~7;
        if (v & 8)
            p[3] &= 0x7f;
        if (v & 16)
            p[3] &= (uint8_t)~0x10;
        if (v & 32)
            p[1] |= 0x10;
        if ((v & 64) && (f->flags & EW0) && (f->flags & EW1))
            p[2] ^= 0x80;
        int len = disas_length(b, 16, 0x1000, c->mode);
        if (len == c->insn->len || (len == c->insn->len + 1 && (e[3] & 0x10)))
            return true;
    }
    return false;
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
      "KORQ, KMOVD/KMOVQ ..., KMOVD r32/k (F2 0F 92/93), KUNPCKWD/KUNPCKDQ "
      "(NP 0F 4B), KADDW/B (0F 4A), KTESTW/B/Q/D (0F 99) and KSHIFTRD/Q, "
      "KSHIFTLD/Q (0F3A 31/33). SDM Vol. 2 KANDW/KANDB/KANDQ/KANDD, KMOVW/B/"
      "Q/D, KUNPCKBW/WD/DQ, KADDW/B/Q/D, KTESTW/B/Q/D, KSHIFTLW/B/Q/D.",
      m_kmask },
    { "bnd-66-branch",
      "With an F2 (BND) or F3 prefix Capstone ignores 66 on near CALL/JMP/Jcc "
      "and reads a rel32. SDM Vol. 2A 'CALL': in 32-bit mode 66 selects "
      "E8 cw (rel16); MPX (SDM Vol. 1 17.5) does not change the operand size.",
      m_bnd_66 },
    { "evex-ll-reserved",
      "Capstone decodes EVEX.L'L = 11b as a 512-bit form. SDM Vol. 2A 2.6.10 "
      "(Table 2-39, EVEX.L'L): 11b is reserved, #UD, except as a rounding "
      "mode with EVEX.b and register operands.",
      m_evex_ll3 },
    { "evex-scalar-lig",
      "Capstone rejects scalar EVEX forms unless EVEX.L'L = 00b. SDM Vol. 2: "
      "they are EVEX.LLIG (e.g. 'EVEX.LLIG.F2.0F.W1 58 /r VADDSD'), L'L is "
      "ignored.",
      m_evex_scalar_lig },
    { "evex-rounding",
      "Embedded rounding (EVEX.b = 1, register operands): Capstone accepts "
      "only L'L = 10b, rejects some forms outright, and reads one byte too "
      "many. SDM Vol. 2A 2.6.8 and Table 2-36: L'L is then the rounding "
      "control (RN, RD, RU, RZ), all four valid; the instruction has no "
      "extra byte.",
      m_evex_rounding },
    { "evex-missing-variants",
      "Capstone 4's AVX-512 tables lack the masked ({k}), zero-masking ({z}) "
      "or AVX512VL 128/256-bit variants of some instructions (it accepts the "
      "same bytes once EVEX.aaa/z/L'L are normalized). SDM Vol. 2A 2.6.1 and "
      "the AVX-512 instruction pages: these forms are all defined.",
      m_evex_variants },
    { "evex-vprime-z",
      "Capstone accepts EVEX.V' = 0 in 16/32-bit mode and EVEX.z = 1 with "
      "EVEX.aaa = 000. SDM Vol. 2A 2.6.11.3, Table 2-39: V' = 0 is #UD in "
      "non-64-bit modes; Table 2-40: zeroing-masking without an opmask is #UD.",
      m_evex_vprime_z },
    { "evex-wig-w1",
      "Capstone rejects the EVEX.W1 encoding of WIG forms (e.g. 'EVEX.128.66."
      "0F38.WIG 00 /r VPSHUFB'); SDM Vol. 2: WIG means W is ignored.",
      m_evex_wig },
    { "evex-rprime",
      "Capstone rejects some forms with EVEX.R' = 0 that it accepts with "
      "R' = 1. SDM Vol. 2A Table 2-39: with a vector register in ModRM.reg, "
      "R' = 0 is no #UD in any mode.",
      m_evex_rprime },
    { "evex-missing-instructions",
      "Capstone 4.0.2 lacks some AVX-512 instructions in every form (e.g. "
      "EVEX VPROLVD 0F38 15, VFMADDSUB132PS 0F38 96, VPSHUFB 0F38 00, the "
      "scalar FMAs 0F38 99-9F, VPRORD 0F 72 /0): it rejects even their plainest "
      "encoding. Each form is listed with its SDM Vol. 2 name in x86_table.c.",
      m_evex_missing },
    { "vsib-without-sib",
      "Capstone decodes VEX/EVEX gathers, scatters and gather/scatter "
      "prefetches without a SIB byte (or "
      "with 16-bit addressing). SDM Vol. 2 VGATHERDPS/VPGATHERDD...: #UD if "
      "ModRM.rm != 100b or the address size is 16 bits (VSIB needs a SIB).",
      m_vsib },
    { "xop-bextr-imm16",
      "In 16-bit mode, or after a 66 prefix (itself #UD before XOP, AMD APM "
      "Vol. 6 1.1), Capstone reads the XOP BEXTR immediate as 16 bits. AMD "
      "APM Vol. 3 BEXTR (immediate form): 8F RXB.0A 0.1111.0.00 10 /r id, "
      "always a 32-bit immediate.",
      m_xop_bextr16 },
    { "evex-ud-accepted",
      "Capstone decodes EVEX encodings that are #UD: legacy 66/F2/F3/LOCK "
      "before 62 (SDM Vol. 2A 2.6, as 2.3.2 for VEX), EVEX.V' = 0 outside "
      "64-bit mode (Table 2-39), z = 1 with aaa = 000 (Table 2-40), L'L = 11b "
      "(Table 2-36), vvvv != 1111b in a form without a vvvv operand (Table "
      "2-39; VMOVSS/VMOVSD with memory included), masking on a form without "
      "it or zeroing with a memory destination (Table 2-40), a vector length "
      "the form lacks (e.g. 128-bit-only VMOVLHPS), or an EVEX.W "
      "the form does not define (e.g. 'EVEX.512.0F.W0 29 /r VMOVAPS' only; "
      "for W1 scalar arithmetic Capstone even reads a stray byte).",
      m_evex_ud_accepted },
    { "evex-rejected-variant",
      "Capstone 4's AVX-512 tables lack variants of defined forms: with {k}, "
      "{z}, {1toN} broadcast, AVX512VL 128/256-bit length, EVEX.R' = 0, or "
      "the W1 encoding of a WIG form; it accepts the same bytes with those "
      "normalized. SDM Vol. 2A 2.6 and the AVX-512 instruction pages define "
      "them all.",
      m_evex_rejected_variant },
    { "vex-missing-instructions",
      "Capstone 4.0.2 lacks some VEX instructions in every form, e.g. "
      "'VEX.256.66.0F38.W0 5A /r VBROADCASTI128' (SDM Vol. 2C); it rejects "
      "even their plainest encoding.",
      m_vex_missing },
    { "xop-lwp",
      "Capstone 4 does not know AMD's lightweight profiling instructions: "
      "LLWPCB/SLWPCB (8F RXB.09 12 /0 /1) and LWPINS/LWPVAL (8F RXB.0A 12 "
      "/0 /1 id), AMD APM Vol. 3.",
      m_xop_lwp },
    { "swapgs-32bit",
      "Capstone decodes SWAPGS in 16/32-bit mode. SDM Vol. 2B 'SWAPGS': #UD "
      "if not in 64-bit mode.",
      m_swapgs },
};
const size_t capstone_known_count = sizeof(capstone_known) / sizeof(capstone_known[0]);
