/*
 * decoder_vs_capstone.c - differential test of the instruction decoder's
 * lengths against Capstone on random byte strings, 16- and 32-bit mode.
 *
 * Half the strings are uniformly random, half start with legacy prefixes
 * and the 0F / 0F38 / 0F3A escapes, or with well-formed VEX, EVEX and XOP
 * prefixes, so every opcode map is reached (the run prints how many cases
 * each map got and how many of them decoded as valid). A case
 * agrees when both reject it or both accept it with the same length; a
 * disagreement fails the run unless capstone_known.c explains it.
 *
 * Where both agree on an integer instruction (the ones the translator
 * implements), the operands are compared too: registers and their sizes,
 * immediates and branch targets, memory base/index/scale/displacement,
 * segment and size, against Capstone's operand details. The few places
 * where Capstone follows another convention (or is wrong) are listed in
 * operand_known() with the manual's answer.
 *
 *   decoder_vs_capstone [-n CASES] [-s SEED] [-v]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/decoder/capstone_known.h"
#include "translator/disas.h"
#include "translator/x86/decode.h"

#define BUF_LEN 16
#define MAX_BUCKETS 4096

/* xorshift64* (Vigna): small, fast and the same on every host. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

static unsigned rng_below(unsigned n)
{
    return (unsigned)((rng_next() >> 32) % n);
}

static const uint8_t legacy_prefixes[] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65,
                                           0x66, 0x67, 0xf0, 0xf2, 0xf3 };

static void gen_case(uint8_t *buf, bool biased)
{
    for (int i = 0; i < BUF_LEN; i += 8) {
        uint64_t r = rng_next();
        for (int j = 0; j < 8; j++)
            buf[i + j] = (uint8_t)(r >> (8 * j));
    }
    if (!biased)
        return;
    unsigned n = 0;
    /* 0-3 prefixes, mostly the ones that select SSE forms */
    unsigned np = rng_below(4);
    for (unsigned i = 0; i < np; i++)
        buf[n++] = legacy_prefixes[rng_below(sizeof(legacy_prefixes))];
    switch (rng_below(10)) {
    case 0: case 1: case 2: case 3:
        buf[n++] = 0x0f;
        break;
    case 4:
        buf[n++] = 0x0f;
        buf[n++] = 0x38;
        break;
    case 5:
        buf[n++] = 0x0f;
        buf[n++] = 0x3a;
        break;
    case 6: /* VEX/EVEX/XOP/x87 escapes with a register-form second byte */
        buf[n++] = (const uint8_t[]){ 0xc4, 0xc5, 0x62, 0x8f, 0xd8, 0xd9, 0xdb, 0xdf }[rng_below(8)];
        buf[n] |= 0xc0;
        break;
    case 7: /* well-formed VEX/EVEX/XOP prefixes, so their maps get exercised */
        n = 0; /* no legacy prefix: it would make them #UD */
        switch (rng_below(3)) {
        case 0: /* C4: R X = 1, map 1-3; then W vvvv L pp */
            buf[n++] = 0xc4;
            buf[n] = (uint8_t)((buf[n] & 0x20) | 0xc0 | (1 + rng_below(3)));
            break;
        case 1: /* 62: R X = 1, R' = 1, map 1-3; P1 bit 2 = 1; P2 V' = 1 */
            buf[n++] = 0x62;
            buf[n] = (uint8_t)((buf[n] & 0x20) | 0xd0 | (1 + rng_below(3)));
            buf[n + 1] |= 0x04;
            buf[n + 2] |= 0x08;
            if (rng_below(2))
                buf[n + 2] &= 0x0f; /* plain: no z, 128-bit, no b */
            break;
        default: /* 8F: map 8-0Ah, pp = 0 */
            buf[n++] = 0x8f;
            buf[n] = (uint8_t)((buf[n] & 0xe0) | (8 + rng_below(3)));
            buf[n + 1] &= 0xfc;
            break;
        }
        break;
    default:
        break;
    }
}

struct bucket {
    uint32_t key;
    unsigned count;
    uint8_t example[BUF_LEN];
    int mode, ours, cs;
    char cs_text[128];
};

static struct bucket buckets[MAX_BUCKETS];
static unsigned n_buckets;

static void add_bucket(uint32_t key, const uint8_t *buf, int mode, int ours, int cs,
                       const char *text)
{
    for (unsigned i = 0; i < n_buckets; i++) {
        if (buckets[i].key == key) {
            buckets[i].count++;
            return;
        }
    }
    if (n_buckets == MAX_BUCKETS)
        return;
    struct bucket *b = &buckets[n_buckets++];
    b->key = key;
    b->count = 1;
    memcpy(b->example, buf, BUF_LEN);
    b->mode = mode;
    b->ours = ours;
    b->cs = cs;
    snprintf(b->cs_text, sizeof(b->cs_text), "%s", text);
}

static int cmp_bucket(const void *a, const void *b)
{
    const struct bucket *x = a, *y = b;
    return (int)y->count - (int)x->count;
}

/* UD0 (0F FF), UD1 (0F B9), UD2 (0F 0B): legacy-encoded, decoded in full. */
static bool is_ud_insn(const uint8_t *buf, const struct x86_insn *insn)
{
    unsigned i = 0;
    while (i < 14 && memchr(legacy_prefixes, buf[i], sizeof(legacy_prefixes)))
        i++;
    if (buf[i] != 0x0f || insn->map != 1)
        return false;
    return (insn->opcode == 0x0b && !insn->has_modrm) ||
           ((insn->opcode == 0xb9 || insn->opcode == 0xff) && insn->has_modrm);
}

/* Where each case's opcode lives, to show every map is exercised. */
enum { K_1B, K_0F, K_0F38, K_0F3A, K_X87, K_VEX, K_EVEX, K_XOP, K_COUNT };
static const char *const kind_names[K_COUNT] = {
    "one-byte", "0F", "0F38", "0F3A", "x87", "VEX", "EVEX", "XOP"
};

static unsigned case_kind(const uint8_t *buf, const struct x86_insn *insn)
{
    unsigned i = 0;
    while (i < 14 && memchr(legacy_prefixes, buf[i], sizeof(legacy_prefixes)))
        i++;
    uint8_t b = buf[i], m = buf[i + 1];
    if ((b == 0xc4 || b == 0xc5 || b == 0x62) && (m & 0xc0) == 0xc0)
        return b == 0x62 ? K_EVEX : K_VEX;
    if (b == 0x8f && (m & 0x1f) >= 8)
        return K_XOP;
    if (b >= 0xd8 && b <= 0xdf)
        return K_X87;
    if (b != 0x0f)
        return K_1B;
    return insn->map == 2 ? K_0F38 : insn->map == 3 ? K_0F3A : K_0F;
}

/* ---- operands of the integer instructions (the ones the translator
 * implements) against Capstone's operand details ---- */

/* Instructions whose operands Capstone lists in another convention:
 * string instructions (Capstone shows both memory operands, the decoder
 * describes them through insn->mem) and XLAT (no operand here). */
static bool operands_comparable(const struct x86_insn *insn)
{
    switch (insn->mnem) {
    case X86_INVALID: case X86_UNIMPL: case X86_FPU:
    case X86_MOVS: case X86_CMPS: case X86_STOS: case X86_LODS: case X86_SCAS:
    case X86_INS: case X86_OUTS: case X86_XLAT:
    case X86_NOP: case X86_PREFETCH: /* hint NOPs: Capstone adds a Gv */
        return false;
    default:
        return true;
    }
}

static uint64_t size_mask(unsigned size)
{
    return size >= 8 || size == 0 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/* Our operands in Capstone's shape. */
static int our_operands(const struct x86_insn *insn, struct disas_operand *d)
{
    int n = 0;
    for (int i = 0; i < insn->n_opnds; i++) {
        const struct x86_operand *o = &insn->op[i];
        struct disas_operand x = { .size = o->size, .reg = -1, .seg = -1, .base = -1,
                                   .index = -1 };
        switch (o->kind) {
        case OPND_REG: x.kind = 'r'; x.reg = (int8_t)o->reg; break;
        case OPND_SEG: x.kind = 's'; x.reg = (int8_t)o->reg; break;
        case OPND_CR: case OPND_DR: x.kind = 'x'; break;
        case OPND_IMM: case OPND_REL: x.kind = 'i'; x.imm = o->value; break;
        case OPND_FAR: /* Capstone: selector, offset */
            d[n++] = (struct disas_operand){ .kind = 'i', .size = 2, .imm = o->sel };
            x.kind = 'i';
            x.size = (uint8_t)(o->size - 2);
            x.imm = o->value;
            break;
        case OPND_MEM:
            x.kind = 'm';
            x.seg = insn->mem.seg;
            x.base = insn->mem.base;
            x.index = insn->mem.index;
            x.scale = (uint8_t)(1u << insn->mem.scale);
            x.disp = insn->mem.disp;
            break;
        default: x.kind = '?'; break;
        }
        d[n++] = x;
    }
    return n;
}

/* NULL if Capstone's operands agree with ours, else what differs. */
static const char *compare_operands(const struct x86_insn *insn, const struct disas_operand *cs,
                                    int n_cs)
{
    struct disas_operand ours[4];
    int n = our_operands(insn, ours);
    if (n != n_cs)
        return "operand count";
    for (int i = 0; i < n; i++) {
        const struct disas_operand *a = &ours[i], *b = &cs[i];
        if (a->kind != b->kind)
            return "operand kind";
        switch (a->kind) {
        case 'r':
            if (a->reg != b->reg || a->size != b->size)
                return "register";
            break;
        case 's':
            if (a->reg != b->reg)
                return "segment register";
            break;
        case 'i':
            if (((uint64_t)a->imm ^ (uint64_t)b->imm) & size_mask(a->size))
                return "immediate";
            break;
        case 'm':
            if (a->base != b->base || a->index != b->index)
                return "base/index";
            if (a->index >= 0 && a->scale != b->scale)
                return "scale";
            if (((uint64_t)a->disp ^ (uint64_t)b->disp) & size_mask(insn->addrsize))
                return "displacement";
            if (b->seg >= 0 && a->seg != b->seg)
                return "segment";
            if (a->size && b->size && a->size != b->size)
                return "memory size";
            break;
        default:
            break;
        }
    }
    return NULL;
}

/* Operand differences that are Capstone's conventions or errors, not the
 * decoder's; each names the manual's answer. Returns the class or NULL. */
static bool has_legacy_prefix(const uint8_t *buf, uint8_t p)
{
    for (unsigned i = 0; i < 14 && memchr(legacy_prefixes, buf[i], sizeof(legacy_prefixes)); i++)
        if (buf[i] == p)
            return true;
    return false;
}

/* Operand sizes agree except where ours are 16-bit (66 in 32-bit mode). */
static bool differs_only_in_size(const struct x86_insn *insn, const struct disas_operand *cs,
                                 int n_cs)
{
    struct disas_operand ours[4];
    int n = our_operands(insn, ours);
    if (n != n_cs)
        return false;
    for (int i = 0; i < n; i++) {
        if (ours[i].kind != cs[i].kind)
            return false;
        if (ours[i].kind == 'r' && ours[i].reg != cs[i].reg)
            return false;
    }
    return true;
}

static const char *operand_known(const struct x86_insn *insn, const struct disas_operand *cs,
                                 int n_cs, const char *why, int mode, const uint8_t *buf)
{
    /* 66 with F2/F3: Capstone keeps the 66 for the length but drops it from
     * the operand sizes (SDM Vol. 2A 2.1.1: F2/F3 do not change 66) */
    if (has_legacy_prefix(buf, 0x66) &&
        (has_legacy_prefix(buf, 0xf2) || has_legacy_prefix(buf, 0xf3)) &&
        (!strcmp(why, "register") || !strcmp(why, "memory size")) &&
        differs_only_in_size(insn, cs, n_cs))
        return "rep-66-operand-size";
    /* LAR/LSL r, r32/m16 (SDM): Capstone sizes the memory operand r32 */
    if ((insn->mnem == X86_LAR || insn->mnem == X86_LSL) && !strcmp(why, "memory size"))
        return "lar-lsl-m16";
    const struct x86_operand *o = insn->n_opnds ? &insn->op[0] : NULL;
    /* SDM Jcc/JMP/CALL/LOOP: the target is truncated to 16 bits only when
     * the operand size is 16; Capstone truncates by mode or address size. */
    if (!strcmp(why, "immediate") && o && o->kind == OPND_REL && n_cs == 1 &&
        (mode == 16 || insn->addrsize == 2) &&
        ((uint64_t)cs[0].imm & 0xffff) == (o->value & 0xffff))
        return "branch-target-truncation";
    /* AAM/AAD: Capstone omits the default base 10 (SDM D4 0A / D5 0A) */
    if ((insn->mnem == X86_AAM || insn->mnem == X86_AAD) && n_cs == 0 &&
        o->value == 10)
        return "aam-aad-base-10";
    /* MOV Sreg, r/m16 (8E): SDM gives a 16-bit source; Capstone names the
     * operand-size register */
    if (insn->mnem == X86_MOV && insn->op[0].kind == OPND_SEG && !strcmp(why, "register") &&
        n_cs == 2 && cs[1].reg == insn->op[1].reg)
        return "mov-sreg-register-width";
    /* far pointers m16:16/m16:32 and descriptor-table operands m16&32:
     * Capstone gives the memory operand another size */
    if (!strcmp(why, "memory size")) {
        switch (insn->mnem) {
        case X86_LES: case X86_LDS: case X86_LSS: case X86_LFS: case X86_LGS:
        case X86_CALLF: case X86_JMPF: case X86_SGDT: case X86_SIDT: case X86_LGDT:
        case X86_LIDT: case X86_BOUND:
            return "far-pointer-memory-size";
        default:
            break;
        }
    }
    return NULL;
}

static const char *const opnd_known_names[] = {
    "branch-target-truncation", "aam-aad-base-10", "mov-sreg-register-width",
    "far-pointer-memory-size", "rep-66-operand-size", "lar-lsl-m16",
};
#define N_OPND_KNOWN (sizeof(opnd_known_names) / sizeof(opnd_known_names[0]))
static unsigned long opnd_known_hits[N_OPND_KNOWN];

struct mode_stats {
    unsigned long opnd_compared, opnd_failed, opnd_known;
    unsigned long cases, agree_ok, agree_reject, known, failed;
    unsigned long kind_total[K_COUNT], kind_valid[K_COUNT];
};

static unsigned long known_hits[64];

static void run_mode(int mode, unsigned long n, struct mode_stats *st)
{
    uint8_t buf[BUF_LEN];
    char text[96];
    struct x86_insn insn;

    for (unsigned long i = 0; i < n; i++) {
        gen_case(buf, i & 1);
        enum x86_decode_status s = x86_decode_buf(&insn, mode, 0x1000, buf, BUF_LEN);
        int cs_len = disas_insn_text(buf, BUF_LEN, 0x1000, mode, text, sizeof(text));
        if (cs_len < 0)
            cs_len = 0;
        int ours = s == DECODE_OK ? insn.len : 0;
        /* UD0/UD1/UD2 are defined encodings that the decoder reports
         * invalid on purpose: compare their lengths. */
        if (s == DECODE_INVALID && is_ud_insn(buf, &insn))
            ours = insn.lock && !cs_len ? 0 : insn.len; /* LOCK UDn: #UD either way */
        st->cases++;
        unsigned kind = case_kind(buf, &insn);
        st->kind_total[kind]++;
        if (s == DECODE_OK)
            st->kind_valid[kind]++;
        if (ours == cs_len) {
            if (ours)
                st->agree_ok++;
            else
                st->agree_reject++;
            if (s == DECODE_OK && operands_comparable(&insn)) {
                struct disas_operand cso[8];
                int n_cs = disas_operands(buf, BUF_LEN, 0x1000, mode, cso, 8);
                const char *why = compare_operands(&insn, cso, n_cs < 8 ? n_cs : 8);
                st->opnd_compared++;
                const char *known = why ? operand_known(&insn, cso, n_cs, why, mode, buf) : NULL;
                if (known) {
                    st->opnd_known++;
                    for (unsigned k = 0; k < N_OPND_KNOWN; k++)
                        if (!strcmp(known, opnd_known_names[k]))
                            opnd_known_hits[k]++;
                } else if (why) {
                    st->opnd_failed++;
                    char what[128];
                    snprintf(what, sizeof(what), "%.30s: %.90s", why, text);
                    uint32_t key = 0x80000000u | (uint32_t)mode << 24 | (uint32_t)insn.map << 20 |
                                   (uint32_t)insn.opcode << 12 | (uint32_t)insn.reg << 8;
                    add_bucket(key, buf, mode, ours, cs_len, what);
                }
            }
            continue;
        }
        struct cs_case c = { buf, mode, &insn, s, cs_len, text };
        size_t k;
        for (k = 0; k < capstone_known_count; k++)
            if (capstone_known[k].match(&c))
                break;
        if (k < capstone_known_count) {
            st->known++;
            known_hits[k]++;
            continue;
        }
        st->failed++;
        uint32_t key = (uint32_t)mode << 24 | (uint32_t)insn.map << 20 |
                       (uint32_t)insn.opcode << 12 | (ours ? 1u : 0) << 1 | (cs_len ? 1u : 0);
        add_bucket(key, buf, mode, ours, cs_len, text);
    }
}

int main(int argc, char **argv)
{
    unsigned long n = 1000000;
    uint64_t seed = 0x6a657438365f6463ULL; /* "jet86_dc" */
    int verbose = 0;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n") && i + 1 < argc)
            n = strtoul(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "-s") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "-v"))
            verbose++;
        else {
            fprintf(stderr, "usage: %s [-n CASES] [-s SEED] [-v]\n", argv[0]);
            return 2;
        }
    }

    unsigned long total_pass = 0, total_fail = 0;
    for (int mode = 16; mode <= 32; mode += 16) {
        struct mode_stats st = { 0 };
        rng_state = seed ^ (uint64_t)mode;
        run_mode(mode, n, &st);
        printf("%d-bit: %lu cases: %lu same length, %lu both reject, "
               "%lu known Capstone errors, %lu failed\n",
               mode, st.cases, st.agree_ok, st.agree_reject, st.known, st.failed);
        printf("  operands of %lu integer instructions compared: %lu agree, %lu Capstone "
               "conventions, %lu differ\n",
               st.opnd_compared, st.opnd_compared - st.opnd_known - st.opnd_failed,
               st.opnd_known, st.opnd_failed);
        printf("  by map (cases/decoded valid):");
        for (unsigned k = 0; k < K_COUNT; k++)
            printf(" %s %lu/%lu", kind_names[k], st.kind_total[k], st.kind_valid[k]);
        printf("\n");
        total_pass += st.agree_ok + st.agree_reject + st.known;
        total_fail += st.failed + st.opnd_failed;
    }
    for (size_t k = 0; k < capstone_known_count; k++)
        if (known_hits[k] || verbose)
            printf("  known: %-28s %lu\n", capstone_known[k].name, known_hits[k]);

    for (unsigned k = 0; k < N_OPND_KNOWN; k++)
        if (opnd_known_hits[k] || verbose)
            printf("  known operand convention: %-24s %lu\n", opnd_known_names[k],
                   opnd_known_hits[k]);

    qsort(buckets, n_buckets, sizeof(buckets[0]), cmp_bucket);
    unsigned show = verbose ? n_buckets : (n_buckets < 40 ? n_buckets : 40);
    for (unsigned i = 0; i < show; i++) {
        const struct bucket *b = &buckets[i];
        printf("  FAIL x%-6u %d-bit ours=%d capstone=%d (%s):", b->count, b->mode,
               b->ours, b->cs, b->cs_text);
        for (int j = 0; j < BUF_LEN; j++)
            printf(" %02x", b->example[j]);
        printf("\n");
    }
    printf("decoder-vs-capstone: %lu passed, %lu failed\n", total_pass, total_fail);
    return total_fail ? 1 : 0;
}
