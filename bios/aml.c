/*
 * aml.c - the AML encoder (bios/aml.h). Encodings from ACPI 6.4 chapter
 * 20 (the grammar: PkgLength 20.2.4, NameString 20.2.2, integers
 * 20.2.3) and 6.4 (resource descriptors: small items 6.4.2, large items
 * 6.4.3). The encoder's own misuse (an unclosed or unbalanced construct)
 * is a J_ASSERT: the firmware's tables are fixed by the board.
 */
#include "bios/aml.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "softmmu/ldst.h"

void aml_init(struct aml *a)
{
    memset(a, 0, sizeof(*a));
}

void aml_free(struct aml *a)
{
    free(a->data);
    memset(a, 0, sizeof(*a));
}

static void reserve(struct aml *a, size_t n)
{
    if (a->len + n <= a->cap)
        return;
    size_t cap = a->cap ? a->cap : 256;
    while (cap < a->len + n)
        cap *= 2;
    a->data = xrealloc(a->data, cap);
    a->cap = cap;
}

void aml_byte(struct aml *a, uint8_t v)
{
    reserve(a, 1);
    a->data[a->len++] = v;
}

void aml_bytes(struct aml *a, const void *p, size_t n)
{
    reserve(a, n);
    memcpy(a->data + a->len, p, n);
    a->len += n;
}

/* One NameSeg: a lead character A-Z or _, then A-Z, 0-9 or _, padded
 * with '_' to four. */
static bool name_seg(const char *s, size_t n, uint8_t out[4])
{
    if (n == 0 || n > 4)
        return false;
    for (size_t i = 0; i < 4; i++) {
        char c = i < n ? s[i] : '_';
        bool ok = (c >= 'A' && c <= 'Z') || c == '_' ||
                  (i > 0 && c >= '0' && c <= '9');
        if (!ok)
            return false;
        out[i] = (uint8_t)c;
    }
    return true;
}

bool aml_name_string(struct aml *a, const char *path)
{
    uint8_t prefix[64], segs[4 * 32];
    size_t np = 0, ns = 0;
    const char *p = path;
    if (*p == '\\')
        prefix[np++] = '\\', p++;
    else
        while (*p == '^' && np < sizeof(prefix))
            prefix[np++] = '^', p++;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (ns == 32 || !name_seg(p, n, segs + 4 * ns))
            return false;
        ns++;
        p += n;
        if (*p == '.' && !*++p)
            return false;
    }
    aml_bytes(a, prefix, np);
    if (ns == 0) {
        aml_byte(a, 0x00); /* NullName */
    } else if (ns == 2) {
        aml_byte(a, 0x2e); /* DualNamePrefix */
    } else if (ns > 2) {
        aml_byte(a, 0x2f); /* MultiNamePrefix SegCount */
        aml_byte(a, (uint8_t)ns);
    }
    aml_bytes(a, segs, 4 * ns);
    return true;
}

static void name_or_die(struct aml *a, const char *name)
{
    J_ASSERT(aml_name_string(a, name));
}

void aml_integer(struct aml *a, uint64_t v)
{
    uint8_t b[8];
    stq_le_p(b, v);
    if (v == 0) {
        aml_byte(a, 0x00);
    } else if (v == 1) {
        aml_byte(a, 0x01);
    } else if (v <= 0xff) {
        aml_byte(a, 0x0a);
        aml_bytes(a, b, 1);
    } else if (v <= 0xffff) {
        aml_byte(a, 0x0b);
        aml_bytes(a, b, 2);
    } else if (v <= 0xffffffffu) {
        aml_byte(a, 0x0c);
        aml_bytes(a, b, 4);
    } else {
        aml_byte(a, 0x0e);
        aml_bytes(a, b, 8);
    }
}

void aml_string(struct aml *a, const char *s)
{
    aml_byte(a, 0x0d);
    aml_bytes(a, s, strlen(s) + 1);
}

/* Three letters of five bits (A = 1) and four hex digits, stored big-
 * endian: the bytes of "PNP0A03" are 41 D0 0A 03. */
uint32_t aml_eisaid_value(const char *id)
{
    uint32_t v = 0;
    for (int i = 0; i < 3; i++)
        v = (v << 5) | ((uint32_t)(id[i] - 0x40) & 0x1f);
    for (int i = 3; i < 7; i++) {
        char c = id[i];
        uint32_t d = c >= '0' && c <= '9' ? (uint32_t)(c - '0')
                                          : (uint32_t)(c - 'A' + 10);
        v = (v << 4) | (d & 0xf);
    }
    return ((v >> 24) & 0xff) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) |
           (v << 24);
}

void aml_eisaid(struct aml *a, const char *id)
{
    aml_integer(a, aml_eisaid_value(id));
}

void aml_name(struct aml *a, const char *name)
{
    aml_byte(a, 0x08);
    name_or_die(a, name);
}

void aml_opregion(struct aml *a, const char *name, uint8_t space,
                  uint32_t offset, uint32_t len)
{
    aml_byte(a, 0x5b);
    aml_byte(a, 0x80);
    name_or_die(a, name);
    aml_byte(a, space);
    aml_integer(a, offset);
    aml_integer(a, len);
}

/* The opcode is written; the PkgLength goes in at the current position
 * when aml_end closes the construct. */
static void open_pkg(struct aml *a)
{
    J_ASSERT(a->depth < AML_MAX_DEPTH);
    a->open[a->depth++] = a->len;
}

void aml_end(struct aml *a)
{
    J_ASSERT(a->depth > 0);
    size_t start = a->open[--a->depth];
    size_t body = a->len - start;
    uint8_t pl[4];
    int n;
    /* The length counts its own bytes: one byte holds up to 63, then the
     * low nibble in the lead byte and 8 bits in each following byte. */
    if (body + 1 <= 0x3f) {
        n = 1;
        pl[0] = (uint8_t)(body + 1);
    } else {
        n = body + 2 <= 0xfff ? 2 : body + 3 <= 0xfffff ? 3 : 4;
        size_t total = body + (size_t)n;
        J_ASSERT(total <= 0xfffffff);
        pl[0] = (uint8_t)(((n - 1) << 6) | (total & 0xf));
        for (int i = 1; i < n; i++)
            pl[i] = (uint8_t)(total >> (4 + 8 * (i - 1)));
    }
    reserve(a, (size_t)n);
    memmove(a->data + start + n, a->data + start, body);
    memcpy(a->data + start, pl, (size_t)n);
    a->len += (size_t)n;
}

void aml_scope_begin(struct aml *a, const char *name)
{
    aml_byte(a, 0x10);
    open_pkg(a);
    name_or_die(a, name);
}

void aml_device_begin(struct aml *a, const char *name)
{
    aml_byte(a, 0x5b);
    aml_byte(a, 0x82);
    open_pkg(a);
    name_or_die(a, name);
}

void aml_method_begin(struct aml *a, const char *name, int nargs,
                      bool serialized)
{
    J_ASSERT(nargs >= 0 && nargs <= 7);
    aml_byte(a, 0x14);
    open_pkg(a);
    name_or_die(a, name);
    aml_byte(a, (uint8_t)(nargs | (serialized ? 0x08 : 0)));
}

void aml_package_begin(struct aml *a, uint8_t n_elements)
{
    aml_byte(a, 0x12);
    open_pkg(a);
    aml_byte(a, n_elements);
}

void aml_if_begin(struct aml *a)
{
    aml_byte(a, 0xa0);
    open_pkg(a);
}

void aml_else_begin(struct aml *a)
{
    aml_byte(a, 0xa1);
    open_pkg(a);
}

void aml_field_begin(struct aml *a, const char *region, uint8_t flags)
{
    aml_byte(a, 0x5b);
    aml_byte(a, 0x81);
    open_pkg(a);
    name_or_die(a, region);
    aml_byte(a, flags);
}

/* A NamedField: NameSeg and its width in bits as a PkgLength; a NULL name
 * is a ReservedField (00, width) that skips bits. */
void aml_field_unit(struct aml *a, const char *name, uint32_t bits)
{
    uint8_t seg[4];
    if (name) {
        J_ASSERT(name_seg(name, strlen(name), seg));
        aml_bytes(a, seg, 4);
    } else {
        aml_byte(a, 0x00);
    }
    J_ASSERT(bits <= 0xfffffff);
    if (bits <= 0x3f) {
        aml_byte(a, (uint8_t)bits);
        return;
    }
    int n = bits <= 0xfff ? 2 : bits <= 0xfffff ? 3 : 4;
    aml_byte(a, (uint8_t)(((n - 1) << 6) | (bits & 0xf)));
    for (int i = 1; i < n; i++)
        aml_byte(a, (uint8_t)(bits >> (4 + 8 * (i - 1))));
}

void aml_buffer(struct aml *a, const void *p, size_t n)
{
    aml_byte(a, 0x11);
    open_pkg(a);
    aml_integer(a, n);
    aml_bytes(a, p, n);
    aml_end(a);
}

/* ---- resource descriptors ---- */

static uint8_t *res_grow(struct aml_res *r, size_t n)
{
    J_ASSERT(r->n + n <= sizeof(r->b) - 2); /* room for the end tag */
    uint8_t *p = r->b + r->n;
    r->n += n;
    return p;
}

/* I/O port descriptor (6.4.2.5): 16-bit decode. */
void aml_res_io(struct aml_res *r, uint16_t min, uint16_t max, uint8_t align,
                uint8_t len)
{
    uint8_t *p = res_grow(r, 8);
    p[0] = 0x47;
    p[1] = 0x01;
    stw_le_p(p + 2, min);
    stw_le_p(p + 4, max);
    p[6] = align;
    p[7] = len;
}

/* IRQ descriptor without the information byte (6.4.2.1): edge, high. */
void aml_res_irq_noflags(struct aml_res *r, uint16_t mask)
{
    uint8_t *p = res_grow(r, 3);
    p[0] = 0x22;
    stw_le_p(p + 1, mask);
}

/* DMA descriptor (6.4.2.2). */
void aml_res_dma(struct aml_res *r, uint8_t mask, uint8_t flags)
{
    uint8_t *p = res_grow(r, 3);
    p[0] = 0x2a;
    p[1] = mask;
    p[2] = flags;
}

/* 32-bit fixed memory range descriptor (6.4.3.4). */
void aml_res_mem32_fixed(struct aml_res *r, bool writable, uint32_t base,
                         uint32_t len)
{
    uint8_t *p = res_grow(r, 12);
    p[0] = 0x86;
    stw_le_p(p + 1, 9);
    p[3] = writable ? 1 : 0;
    stl_le_p(p + 4, base);
    stl_le_p(p + 8, len);
}

/* Word address space descriptor (6.4.3.5.3): resource type, general
 * flags (bit 3 max fixed, 2 min fixed, 0 producer... here "MinFixed,
 * MaxFixed, PosDecode" of a bridge's window: 0x0C), type flags. */
static void word_space(struct aml_res *r, uint8_t type, uint8_t tflags,
                       uint16_t min, uint16_t max)
{
    uint8_t *p = res_grow(r, 16);
    p[0] = 0x88;
    stw_le_p(p + 1, 13);
    p[3] = type;
    p[4] = 0x0c;
    p[5] = tflags;
    stw_le_p(p + 6, 0);   /* granularity */
    stw_le_p(p + 8, min);
    stw_le_p(p + 10, max);
    stw_le_p(p + 12, 0);  /* translation offset */
    stw_le_p(p + 14, (uint16_t)(max - min + 1));
}

void aml_res_word_bus(struct aml_res *r, uint16_t min, uint16_t max)
{
    word_space(r, 2, 0, min, max);
}

/* I/O window: type flags 3, ISA and non-ISA ranges. */
void aml_res_word_io(struct aml_res *r, uint16_t min, uint16_t max)
{
    word_space(r, 1, 3, min, max);
}

/* DWord memory window (6.4.3.5.2): type flags 1, read-write,
 * non-cacheable. */
void aml_res_dword_mem(struct aml_res *r, uint32_t min, uint32_t max)
{
    uint8_t *p = res_grow(r, 26);
    p[0] = 0x87;
    stw_le_p(p + 1, 23);
    p[3] = 0;
    p[4] = 0x0c;
    p[5] = 0x01;
    stl_le_p(p + 6, 0);
    stl_le_p(p + 10, min);
    stl_le_p(p + 14, max);
    stl_le_p(p + 18, 0);
    stl_le_p(p + 22, max - min + 1);
}

/* Extended interrupt descriptor (6.4.3.6): consumer bit 0 set. */
void aml_res_ext_irq(struct aml_res *r, uint8_t flags, const uint32_t *irqs,
                     int n)
{
    J_ASSERT(n >= 1 && n <= 32);
    uint8_t *p = res_grow(r, 5 + 4 * (size_t)n);
    p[0] = 0x89;
    stw_le_p(p + 1, (uint16_t)(2 + 4 * n));
    p[3] = (uint8_t)(flags | 0x01);
    p[4] = (uint8_t)n;
    for (int i = 0; i < n; i++)
        stl_le_p(p + 5 + 4 * i, irqs[i]);
}

void aml_resource_template(struct aml *a, const struct aml_res *r)
{
    uint8_t b[sizeof(r->b)];
    memcpy(b, r->b, r->n);
    b[r->n] = 0x79; /* end tag; checksum 0: "the checksum is ignored" */
    b[r->n + 1] = 0;
    aml_buffer(a, b, r->n + 2);
}
