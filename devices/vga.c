/*
 * vga.c - the VGA's registers and its display memory as the host sees it
 * (devices/vga.h), after the IBM VGA technical reference:
 *
 * Host memory access. The graphics controller's memory map field (GR06
 * bits 2-3) decodes 128 KiB at A0000h, 64 KiB at A0000h, 32 KiB at B0000h
 * or 32 KiB at B8000h; addresses outside it are not the VGA's (reads give
 * FFh). A decoded offset picks planes and a plane address:
 *   chain 4 (SR04 bit 3)       plane = A & 3, plane address A & ~3: each
 *                              plane keeps every fourth byte (mode 13h)
 *   odd/even (SR04 bit 2 = 0)  even addresses planes 0 and 2, odd ones
 *                              planes 1 and 3; plane address A & ~1 (with
 *                              GR06 bit 1, bit 0 comes from A16 instead)
 *   sequential                 the map mask (writes) or read map select
 *                              (reads) picks planes; plane address A
 * Every read loads the four latches from the plane address; read mode 0
 * returns the selected plane's byte, read mode 1 the colour compare.
 * Writes go through write modes 0-3: data rotate, set/reset, the logical
 * function with the latches, and the bit mask, into the planes the map
 * mask enables.
 *
 * Registers. Misc output bit 0 moves the CRT controller and input status
 * 1 between 3Bxh and 3Dxh; the other set reads FFh and ignores writes.
 * CRTC registers 0-7 are write-protected by CR11 bit 7 (but for CR07 bit
 * 4). The attribute controller's index/data flip-flop is reset by reading
 * input status 1. The DAC has its read and write indexes and the
 * three-byte sub-index. Input status 1 reports vertical retrace and
 * display-disabled from the virtual clock and the CRTC's timing, so
 * guests that wait for retrace make progress, deterministically under
 * -icount.
 */
#include "devices/vga.h"
#include "devices/vga_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"


/* ---- display memory ---- */

uint8_t *vga_plane(struct vga_state *s, int p)
{
    s->gen++; /* the caller may write through the pointer */
    return s->vram + (size_t)(p & 3) * VGA_PLANE_SIZE;
}

/* The window offset (from A0000h) as an offset in the decoded range, or
 * -1 when the memory map does not decode it. */
static int32_t vga_decode(const struct vga_state *s, uint32_t off)
{
    static const uint32_t base[4] = { 0, 0, 0x10000, 0x18000 };
    static const uint32_t size[4] = { 0x20000, 0x10000, 0x8000, 0x8000 };
    int map = (s->gr[6] >> 2) & 3;
    if (off < base[map] || off >= base[map] + size[map])
        return -1;
    return (int32_t)(off - base[map]);
}

/* The plane address of decoded offset a, for odd/even addressing. */
static uint32_t vga_oddeven_addr(const struct vga_state *s, uint32_t a)
{
    uint32_t bit0 = (s->gr[6] & 0x02) ? (a >> 16) & 1 : 0;
    return ((a & ~1u) | bit0) & (VGA_PLANE_SIZE - 1);
}

static void vga_load_latch(struct vga_state *s, uint32_t addr)
{
    s->latch = (uint32_t)s->vram[addr] |
               (uint32_t)s->vram[VGA_PLANE_SIZE + addr] << 8 |
               (uint32_t)s->vram[2 * VGA_PLANE_SIZE + addr] << 16 |
               (uint32_t)s->vram[3 * VGA_PLANE_SIZE + addr] << 24;
}

static uint8_t vga_mem_readb(struct vga_state *s, uint32_t off)
{
    int32_t d = vga_decode(s, off);
    if (d < 0)
        return 0xff;
    uint32_t a = (uint32_t)d, addr;
    int plane;
    if (s->seq[4] & 0x08) {
        plane = a & 3;
        addr = a & ~3u & (VGA_PLANE_SIZE - 1);
    } else if (!(s->seq[4] & 0x04)) {
        plane = (s->gr[4] & 2) | (a & 1);
        addr = vga_oddeven_addr(s, a);
    } else {
        plane = s->gr[4] & 3;
        addr = a & (VGA_PLANE_SIZE - 1);
    }
    vga_load_latch(s, addr);
    if (!(s->gr[5] & 0x08))
        return (uint8_t)(s->latch >> (8 * plane));
    /* Read mode 1: a bit is 1 where every plane the colour don't care
     * register selects matches the colour compare register. */
    uint8_t diff = 0;
    for (int p = 0; p < 4; p++) {
        if (!(s->gr[7] & (1 << p)))
            continue;
        uint8_t want = (s->gr[2] & (1 << p)) ? 0xff : 0x00;
        diff |= (uint8_t)(s->latch >> (8 * p)) ^ want;
    }
    return (uint8_t)~diff;
}

static uint8_t vga_alu(uint8_t func, uint8_t data, uint8_t latch)
{
    switch (func) {
    case 1: return data & latch;
    case 2: return data | latch;
    case 3: return data ^ latch;
    default: return data;
    }
}

static void vga_mem_writeb(struct vga_state *s, uint32_t off, uint8_t v)
{
    int32_t d = vga_decode(s, off);
    if (d < 0)
        return;
    s->gen++;
    uint32_t a = (uint32_t)d, addr;
    uint8_t planes = s->seq[2] & 0x0f;
    if (s->seq[4] & 0x08) {
        planes &= (uint8_t)(1u << (a & 3));
        addr = a & ~3u & (VGA_PLANE_SIZE - 1);
    } else if (!(s->seq[4] & 0x04)) {
        planes &= (a & 1) ? 0x0a : 0x05;
        addr = vga_oddeven_addr(s, a);
    } else {
        addr = a & (VGA_PLANE_SIZE - 1);
    }

    uint8_t rot = (uint8_t)((v >> (s->gr[3] & 7)) | (v << (8 - (s->gr[3] & 7))));
    uint8_t func = (s->gr[3] >> 3) & 3;
    uint8_t mask = s->gr[8];
    for (int p = 0; p < 4; p++) {
        if (!(planes & (1 << p)))
            continue;
        uint8_t latch = (uint8_t)(s->latch >> (8 * p));
        uint8_t sr = (s->gr[0] & (1 << p)) ? 0xff : 0x00;
        uint8_t data, m = mask;
        switch (s->gr[5] & 3) {
        case 0:
            data = (s->gr[1] & (1 << p)) ? sr : rot;
            data = vga_alu(func, data, latch);
            break;
        case 1:
            data = latch;
            m = 0xff;
            break;
        case 2:
            data = vga_alu(func, (v & (1 << p)) ? 0xff : 0x00, latch);
            break;
        default:
            m = mask & rot;
            data = vga_alu(func, sr, latch);
            break;
        }
        s->vram[(size_t)p * VGA_PLANE_SIZE + addr] =
            (uint8_t)((data & m) | (latch & ~m));
    }
}

/* With a VBE mode on, A0000h-AFFFFh shows the DISPI bank. */
static uint8_t *vga_vbe_bank(struct vga_state *s, uint64_t offset)
{
    if (!vga_dispi_enabled(s) || offset >= 0x10000)
        return NULL;
    return s->vbe_mem + ((size_t)s->dispi[VGA_DISPI_BANK] << 16) + offset;
}

static uint64_t vga_mem_read(void *opaque, struct mem_attrs attrs,
                             uint64_t offset, unsigned size)
{
    (void)attrs, (void)size;
    struct vga_state *s = opaque;
    if (vga_dispi_enabled(s)) {
        uint8_t *p = vga_vbe_bank(s, offset);
        return p ? *p : 0xff;
    }
    return vga_mem_readb(s, (uint32_t)offset);
}

static void vga_mem_write(void *opaque, struct mem_attrs attrs,
                          uint64_t offset, uint64_t value, unsigned size)
{
    (void)attrs, (void)size;
    struct vga_state *s = opaque;
    if (vga_dispi_enabled(s)) {
        uint8_t *p = vga_vbe_bank(s, offset);
        if (p) {
            *p = (uint8_t)value;
            s->gen++;
        }
        return;
    }
    vga_mem_writeb(s, (uint32_t)offset, (uint8_t)value);
}

static const struct mem_ops vga_mem_ops = {
    .read = vga_mem_read,
    .write = vga_mem_write,
    .min_size = 1,
    .max_size = 1,
};

/* ---- timing: input status 1 ---- */

uint32_t vga_crtc_vertical(const struct vga_state *s, int reg, int bit8,
                           int bit9)
{
    const uint8_t ov = s->crtc[7];
    return s->crtc[reg] | (uint32_t)((ov >> bit8) & 1) << 8 |
           (uint32_t)((ov >> bit9) & 1) << 9;
}

/* The duration of one scan line in ns (at least 1). */
static int64_t vga_line_ns(const struct vga_state *s)
{
    uint32_t htotal = s->crtc[0] + 5u;
    uint32_t dots = (s->seq[1] & 0x01) ? 8 : 9;
    uint64_t clock = (s->misc & 0x0c) == 0x04 ? 28322000 : 25175000;
    int64_t line_ns = (int64_t)((uint64_t)htotal * dots * 1000000000ull / clock);
    return line_ns > 0 ? line_ns : 1;
}

int64_t vga_frame_ns(const struct vga_state *s)
{
    return vga_line_ns(s) * (int64_t)(vga_crtc_vertical(s, 6, 0, 5) + 2);
}

/* Bits 0 (display disabled: blanking) and 3 (vertical retrace) now. */
static uint8_t vga_status1(struct vga_state *s)
{
    uint32_t vtotal = vga_crtc_vertical(s, 6, 0, 5) + 2;
    uint32_t vde = vga_crtc_vertical(s, 0x12, 1, 6) + 1;
    uint32_t vrs = vga_crtc_vertical(s, 0x10, 2, 7);
    uint32_t vre = s->crtc[0x11] & 0x0f;
    int64_t line_ns = vga_line_ns(s);
    int64_t now = s->clk ? vclock_now(s->clk) : 0;
    uint32_t line = (uint32_t)((now / line_ns) % vtotal);
    int64_t in_line = now % line_ns;
    /* The retrace ends when the line counter's low four bits equal the
     * end register. */
    uint32_t vr_len = (vre - vrs) & 0x0f;
    bool vretrace = line >= vrs && line < vrs + (vr_len ? vr_len : 16);
    bool hblank = in_line * 5 >= line_ns * 4; /* the last fifth */
    uint8_t v = 0;
    if (vretrace)
        v |= 0x08;
    if (vretrace || line >= vde || hblank)
        v |= 0x01;
    return v;
}

/* ---- ports ---- */

static bool vga_color(const struct vga_state *s)
{
    return s->misc & 0x01;
}

static void vga_crtc_write(struct vga_state *s, uint8_t v)
{
    uint8_t i = s->crtc_index & 0x1f;
    if (i > 0x18)
        return;
    if ((s->crtc[0x11] & 0x80) && i <= 7) {
        if (i == 7) /* only the line compare bit 8 stays writable */
            s->crtc[7] = (uint8_t)((s->crtc[7] & ~0x10) | (v & 0x10));
        return;
    }
    s->crtc[i] = v;
}

/* A DAC component keeps 6 bits, or 8 with the Bochs VBE interface's
 * 8-bit DAC on (devices/vga_dispi.c, ENABLE bit 5). */
static void vga_dac_write_data(struct vga_state *s, uint8_t v)
{
    bool dac8 = s->dispi[VGA_DISPI_ENABLE] & VGA_DISPI_8BIT_DAC;
    s->dac_latch[s->dac_sub++] = dac8 ? v : v & 0x3f;
    if (s->dac_sub == 3) {
        memcpy(s->dac[s->dac_write], s->dac_latch, 3);
        s->dac_write++;
        s->dac_sub = 0;
    }
}

static uint8_t vga_dac_read_data(struct vga_state *s)
{
    uint8_t v = s->dac[s->dac_read][s->dac_sub++];
    if (s->dac_sub == 3) {
        s->dac_read++;
        s->dac_sub = 0;
    }
    return v;
}

/* 3C0h-3CFh. */
static uint64_t vga_3c0_read(void *opaque, struct mem_attrs attrs,
                             uint64_t offset, unsigned size)
{
    struct vga_state *s = opaque;
    (void)attrs, (void)size;
    switch (offset) {
    case 0x0: return s->ar_index;
    case 0x1: return s->ar[s->ar_index & 0x1f];
    case 0x2: return 0x10; /* input status 0: switch sense */
    case 0x4: return s->seq_index;
    case 0x5: return s->seq[s->seq_index & 7];
    case 0x6: return s->dac_mask;
    case 0x7: return s->dac_state;
    case 0x8: return s->dac_write;
    case 0x9: return vga_dac_read_data(s);
    case 0xa: return s->feature;
    case 0xc: return s->misc;
    case 0xe: return s->gr_index;
    case 0xf: return s->gr[s->gr_index & 0x0f];
    default: return 0xff;
    }
}

static void vga_3c0_write(void *opaque, struct mem_attrs attrs,
                          uint64_t offset, uint64_t value, unsigned size)
{
    struct vga_state *s = opaque;
    uint8_t v = (uint8_t)value;
    (void)attrs, (void)size;
    s->gen++;
    switch (offset) {
    case 0x0:
        if (!s->ar_data)
            s->ar_index = v & 0x3f;
        else if ((s->ar_index & 0x1f) <= 0x14)
            s->ar[s->ar_index & 0x1f] = v;
        s->ar_data = !s->ar_data;
        break;
    case 0x2: s->misc = v; break;
    case 0x4: s->seq_index = v & 7; break;
    case 0x5:
        if (s->seq_index <= 4)
            s->seq[s->seq_index] = v;
        break;
    case 0x6: s->dac_mask = v; break;
    case 0x7:
        s->dac_read = v;
        s->dac_sub = 0;
        s->dac_state = 0x03;
        break;
    case 0x8:
        s->dac_write = v;
        s->dac_sub = 0;
        s->dac_state = 0x00;
        break;
    case 0x9: vga_dac_write_data(s, v); break;
    case 0xe: s->gr_index = v & 0x0f; break;
    case 0xf:
        if (s->gr_index <= 8)
            s->gr[s->gr_index] = v;
        break;
    default: break;
    }
}

/* 3B4h-3BBh (mono) and 3D4h-3DBh (colour): offset 0/1 index and data
 * (also at 2/3, 4/5 as the VGA decodes them), 6 input status 1 / feature
 * control. */
static uint64_t vga_crtc_read(struct vga_state *s, bool color, uint64_t offset)
{
    if (color != vga_color(s))
        return 0xff;
    if (offset == 6) {
        s->ar_data = false;
        return vga_status1(s);
    }
    if (offset & 1)
        return (s->crtc_index & 0x1f) <= 0x18 ? s->crtc[s->crtc_index & 0x1f]
                                              : 0xff;
    return s->crtc_index;
}

static void vga_crtc_port_write(struct vga_state *s, bool color,
                                uint64_t offset, uint8_t v)
{
    if (color != vga_color(s))
        return;
    s->gen++;
    if (offset == 6)
        s->feature = v;
    else if (offset & 1)
        vga_crtc_write(s, v);
    else
        s->crtc_index = v;
}

static uint64_t vga_3d4_read(void *opaque, struct mem_attrs attrs,
                             uint64_t offset, unsigned size)
{
    (void)attrs, (void)size;
    return vga_crtc_read(opaque, true, offset);
}

static void vga_3d4_write(void *opaque, struct mem_attrs attrs,
                          uint64_t offset, uint64_t value, unsigned size)
{
    (void)attrs, (void)size;
    vga_crtc_port_write(opaque, true, offset, (uint8_t)value);
}

static uint64_t vga_3b4_read(void *opaque, struct mem_attrs attrs,
                             uint64_t offset, unsigned size)
{
    (void)attrs, (void)size;
    return vga_crtc_read(opaque, false, offset);
}

static void vga_3b4_write(void *opaque, struct mem_attrs attrs,
                          uint64_t offset, uint64_t value, unsigned size)
{
    (void)attrs, (void)size;
    vga_crtc_port_write(opaque, false, offset, (uint8_t)value);
}

static const struct mem_ops vga_3c0_ops = {
    .read = vga_3c0_read, .write = vga_3c0_write, .min_size = 1, .max_size = 1,
};
static const struct mem_ops vga_3d4_ops = {
    .read = vga_3d4_read, .write = vga_3d4_write, .min_size = 1, .max_size = 1,
};
static const struct mem_ops vga_3b4_ops = {
    .read = vga_3b4_read, .write = vga_3b4_write, .min_size = 1, .max_size = 1,
};

/* A byte access to VGA port 3C0h-3DFh, as the PCI VGA's MMIO BAR shows
 * them (devices/vga_pci.c). */
uint8_t vga_port_read(struct vga_state *s, uint16_t port)
{
    if (port >= 0x3c0 && port < 0x3d0)
        return (uint8_t)vga_3c0_read(s, MEM_ATTRS_NONE, port - 0x3c0u, 1);
    if (port >= 0x3d4 && port < 0x3dc)
        return (uint8_t)vga_crtc_read(s, true, port - 0x3d4u);
    return 0xff;
}

void vga_port_write(struct vga_state *s, uint16_t port, uint8_t v)
{
    if (port >= 0x3c0 && port < 0x3d0)
        vga_3c0_write(s, MEM_ATTRS_NONE, port - 0x3c0u, v, 1);
    else if (port >= 0x3d4 && port < 0x3dc)
        vga_crtc_port_write(s, true, port - 0x3d4u, v);
}

/* ---- mode 3 ---- */

/* The registers of mode 3 (80x25 text, 720x400, 70 Hz) as the IBM VGA
 * BIOS programs them. */
static const uint8_t mode3_seq[5] = { 0x03, 0x00, 0x03, 0x00, 0x02 };
static const uint8_t mode3_crtc[25] = {
    0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00, 0x4f, 0x0d,
    0x0e, 0x00, 0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96,
    0xb9, 0xa3, 0xff,
};
static const uint8_t mode3_gr[9] = { 0x00, 0x00, 0x00, 0x00, 0x00,
                                     0x10, 0x0e, 0x00, 0xff };
static const uint8_t mode3_ar[21] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a,
    0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x0c, 0x00, 0x0f, 0x08, 0x00,
};

/* The DAC's first 64 entries: the EGA palette (bits 0-2 blue, green,
 * red at 2/3 intensity, bits 3-5 the same at 1/3); the rest black. */
static void vga_default_dac(struct vga_state *s)
{
    memset(s->dac, 0, sizeof(s->dac));
    for (int i = 0; i < 64; i++) {
        s->dac[i][0] = (uint8_t)(((i >> 2) & 1) * 0x2a + ((i >> 5) & 1) * 0x15);
        s->dac[i][1] = (uint8_t)(((i >> 1) & 1) * 0x2a + ((i >> 4) & 1) * 0x15);
        s->dac[i][2] = (uint8_t)((i & 1) * 0x2a + ((i >> 3) & 1) * 0x15);
    }
}

void vga_dev_reset(struct device *dev)
{
    struct vga_state *s = vga_from_device(dev);
    memset(s->vram, 0, 4 * (size_t)VGA_PLANE_SIZE);
    s->latch = 0;
    s->misc = 0x67;
    s->feature = 0;
    s->seq_index = s->gr_index = s->crtc_index = s->ar_index = 0;
    memset(s->seq, 0, sizeof(s->seq));
    memset(s->gr, 0, sizeof(s->gr));
    memset(s->crtc, 0, sizeof(s->crtc));
    memset(s->ar, 0, sizeof(s->ar));
    memcpy(s->seq, mode3_seq, sizeof(mode3_seq));
    memcpy(s->crtc, mode3_crtc, sizeof(mode3_crtc));
    memcpy(s->gr, mode3_gr, sizeof(mode3_gr));
    memcpy(s->ar, mode3_ar, sizeof(mode3_ar));
    s->ar_index = 0x20; /* palette address source: the screen is on */
    s->ar_data = false;
    s->dac_mask = 0xff;
    s->dac_read = s->dac_write = s->dac_sub = 0;
    s->dac_state = 0;
    vga_default_dac(s);
    vga_dispi_reset(s);
    s->gen++;
    /* An empty screen: blanks in light grey on black. */
    for (uint32_t a = 0; a < 0x8000; a += 2) {
        s->vram[a] = ' ';
        s->vram[VGA_PLANE_SIZE + a] = 0x07;
    }
}

/* ---- the alphanumeric screen ---- */

bool vga_text_geometry(struct vga_state *s, struct vga_text_geometry *g)
{
    if (s->gr[6] & 0x01)
        return false;
    g->cols = s->crtc[1] + 1;
    g->char_height = (s->crtc[9] & 0x1f) + 1;
    uint32_t lines = vga_crtc_vertical(s, 0x12, 1, 6) + 1;
    if (s->crtc[9] & 0x80)
        lines /= 2;
    g->rows = (int)(lines / (uint32_t)g->char_height);
    if (g->rows < 1)
        g->rows = 1;
    g->start = (uint32_t)s->crtc[0x0c] << 8 | s->crtc[0x0d];
    g->stride = (uint32_t)s->crtc[0x13] * 2;
    uint32_t cursor = (uint32_t)s->crtc[0x0e] << 8 | s->crtc[0x0f];
    int cstart = s->crtc[0x0a] & 0x1f, cend = s->crtc[0x0b] & 0x1f;
    g->cursor_on = !(s->crtc[0x0a] & 0x20) && cstart <= cend &&
                   cstart < g->char_height;
    g->cursor_row = g->cursor_col = -1;
    if (cursor >= g->start && g->stride) {
        uint32_t rel = cursor - g->start;
        if (rel / g->stride < (uint32_t)g->rows &&
            rel % g->stride < (uint32_t)g->cols) {
            g->cursor_row = (int)(rel / g->stride);
            g->cursor_col = (int)(rel % g->stride);
        }
    }
    return true;
}

void vga_text_cell(struct vga_state *s, const struct vga_text_geometry *g,
                   int row, int col, uint8_t *ch, uint8_t *attr)
{
    /* Word mode: character cell n is at plane address 2n. */
    uint32_t cell = g->start + (uint32_t)row * g->stride + (uint32_t)col;
    uint32_t addr = (cell * 2) & (VGA_PLANE_SIZE - 1);
    *ch = s->vram[addr];
    *attr = s->vram[VGA_PLANE_SIZE + addr];
}

/* Code page 437 as plain ASCII: box drawing as + - |, blocks as #. */
static char cp437_ascii(uint8_t c)
{
    if (c >= 0x20 && c < 0x7f)
        return (char)c;
    if (c == 0x00 || c == 0xff)
        return ' ';
    if (c == 0xb3 || c == 0xba)
        return '|';
    if (c == 0xc4 || c == 0xcd)
        return '-';
    if ((c >= 0xb0 && c <= 0xb2) || (c >= 0xdb && c <= 0xdf))
        return '#';
    if (c >= 0xb4 && c <= 0xda)
        return '+';
    return '.';
}

void vga_text_dump(struct vga_state *s, FILE *f)
{
    struct vga_text_geometry g;
    if (!vga_text_geometry(s, &g)) {
        fprintf(f, "(the VGA is in a graphics mode)\n");
        return;
    }
    char line[256 + 2];
    for (int r = 0; r < g.rows; r++) {
        int n = 0;
        for (int c = 0; c < g.cols && c < 256; c++) {
            uint8_t ch, attr;
            vga_text_cell(s, &g, r, c, &ch, &attr);
            line[n++] = cp437_ascii(ch);
        }
        while (n > 0 && line[n - 1] == ' ')
            n--;
        line[n++] = '\n';
        fwrite(line, 1, (size_t)n, f);
    }
}

/* ---- the device ---- */

void vga_state_init(struct vga_state *s, struct device_bus *bus)
{
    s->vram = xcalloc(4, VGA_PLANE_SIZE);
    s->clk = bus->clock;
    if (bus->mem)
        s->window = mem_add_mmio(bus->mem, "vga", VGA_WINDOW_BASE,
                                 VGA_WINDOW_SIZE, &vga_mem_ops, s);
    s->ports_3c0 = io_register(bus->io, "vga", 0x3c0, 16, &vga_3c0_ops, s);
    s->ports_3b4 = io_register(bus->io, "vga-mono", 0x3b4, 8, &vga_3b4_ops, s);
    s->ports_3d4 = io_register(bus->io, "vga-color", 0x3d4, 8, &vga_3d4_ops, s);
    vga_dispi_create(s, bus);
}

static struct device *vga_create(struct device_bus *bus, const uint64_t *prop)
{
    struct vga_state *s = xcalloc(1, sizeof(*s));
    (void)prop;
    vga_state_init(s, bus);
    return &s->dev;
}

void vga_state_destroy(struct vga_state *s)
{
    struct device *dev = &s->dev;
    if (s->window)
        mem_region_remove(s->window);
    io_unregister(dev->bus->io, s->ports_3c0);
    io_unregister(dev->bus->io, s->ports_3b4);
    io_unregister(dev->bus->io, s->ports_3d4);
    vga_render_free(s);
    vga_dispi_free(s);
    free(s->vram);
}

static void vga_dev_free(struct device *dev)
{
    struct vga_state *s = vga_from_device(dev);
    vga_state_destroy(s);
    free(s);
}

const struct device_class vga_device_class = {
    .name = "isa-vga",
    .desc = "an IBM VGA: 256 KiB in four planes, text and graphics registers",
    .create = vga_create,
    .reset = vga_dev_reset,
    .free = vga_dev_free,
};

struct vga_state *vga_from_device(struct device *dev)
{
    J_ASSERT(dev->cls == &vga_device_class ||
             dev->cls == &vga_pci_device_class);
    return DEVICE_STATE(struct vga_state, dev);
}
