/*
 * vga_render.c - the picture the VGA shows (devices/vga.h vga_render),
 * after the IBM VGA technical reference.
 *
 * The frame is the picture at the resolution the guest means, not the
 * monitor's: a halved dot clock (SR01 bit 3) and double scanning (CR09
 * bit 7) are undone, so mode 1 is 360x400, mode 13h 320x200.
 *
 * Alphanumeric modes (GR06 bit 0 clear): the CRTC's start address, offset
 * (CR13, in words) and maximum scan line (CR09) lay out character cells
 * of 9 or 8 dots (SR01 bit 0). Plane 0 holds the character, plane 1 the
 * attribute; the glyph is in plane 2, 32 bytes a character, in the font
 * the character map select (SR03) names for attribute bit 3:
 *   map n (0-7) starts at plane 2 offset (n & 3) * 16K + (n >> 2) * 8K
 *   map A = SR03 bits 5,3,2 (attribute bit 3 set), map B = bits 4,1,0.
 * The ninth dot repeats the eighth for characters C0h-DFh when AR10 bit 2
 * (line graphics) is set, else it is background. With AR10 bit 3 the
 * attribute's bit 7 blinks the foreground (every 16 frames) instead of
 * giving 16 background colours. The cursor (CR0A/CR0B scan lines, CR0E/
 * CR0F address, CR0A bit 5 off) blinks every 8 frames in the foreground
 * colour, over all 9 dots of a 9-dot cell.
 *
 * Colours: a 4-bit colour passes the colour plane enable (AR12), the
 * attribute palette (AR00-0F), AR14's colour select (bits 7-6, and 5-4
 * with AR10 bit 7), the PEL mask (3C6h), and the DAC's 6-bit components
 * (8-bit with the Bochs VBE interface's 8-bit DAC on).
 *
 * Nothing is drawn again while no register or display memory write came
 * (vga_state.gen) and the blink phase is the same; rows are compared
 * with the previous picture to report the dirty range.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "devices/vga.h"
#include "devices/vga_int.h"
#include "softmmu/ldst.h"
#include "softmmu/memory.h"

#define VGA_MAX_WIDTH 2400 /* >= VGA_VBE_MAX_XRES */
#define VGA_MAX_HEIGHT 2048

static uint32_t dac_rgb(const struct vga_state *s, uint8_t index)
{
    const uint8_t *c = s->dac[index & s->dac_mask];
    if (s->dispi[VGA_DISPI_ENABLE] & VGA_DISPI_8BIT_DAC)
        return (uint32_t)c[0] << 16 | (uint32_t)c[1] << 8 | c[2];
    /* Written with the 8-bit DAC on, a component may hold 8 bits: the
     * 6-bit DAC uses the low 6. */
    uint32_t r = c[0] & 0x3fu, g = c[1] & 0x3fu, b = c[2] & 0x3fu;
    r = r << 2 | r >> 4;
    g = g << 2 | g >> 4;
    b = b << 2 | b >> 4;
    return r << 16 | g << 8 | b;
}

/* A 4-bit colour through the attribute controller to the DAC. */
static uint32_t attr_rgb(const struct vga_state *s, uint8_t colour)
{
    uint8_t v = s->ar[colour & s->ar[0x12] & 0x0f] & 0x3f;
    if (s->ar[0x10] & 0x80)
        v = (uint8_t)((v & 0x0f) | (s->ar[0x14] & 0x03) << 4);
    v = (uint8_t)(v | (s->ar[0x14] & 0x0c) << 4);
    return dac_rgb(s, v);
}

/* Plane 2 offset of character map n. */
static uint32_t font_base(int n)
{
    return (uint32_t)(n & 3) * 0x4000 + (uint32_t)(n >> 2) * 0x2000;
}

enum vga_kind { VGA_TEXT, VGA_PLANAR, VGA_CGA4, VGA_256 };

struct vga_layout {
    enum vga_kind kind;
    bool text;
    int width, height;
    int cell_w, cell_h; /* text: dots and scan lines a character */
    int chars;          /* character clocks a line */
    int row_lines;      /* graphics: frame lines a character row */
    int phys_per_line;  /* scan lines (of the CRTC) a frame line */
};

static void text_line(struct vga_state *s, const struct vga_layout *l,
                      const struct vga_text_geometry *g, int y, int phase,
                      uint32_t *out)
{
    int row = y / l->cell_h, scan = y % l->cell_h;
    uint8_t sr3 = s->seq[3];
    int map_a = (sr3 >> 5 & 1) << 2 | (sr3 >> 2 & 3);
    int map_b = (sr3 >> 4 & 1) << 2 | (sr3 & 3);
    bool blink_on = phase & 2;  /* characters: 16 frames on, 16 off */
    bool cursor_on = phase & 1; /* the cursor: 8 frames on, 8 off */
    int cstart = s->crtc[0x0a] & 0x1f, cend = s->crtc[0x0b] & 0x1f;
    const uint8_t *font = s->vram + 2 * (size_t)VGA_PLANE_SIZE;
    for (int col = 0; col < g->cols; col++) {
        uint8_t ch, attr;
        vga_text_cell(s, g, row, col, &ch, &attr);
        int map = (attr & 0x08) ? map_a : map_b;
        uint32_t faddr =
            font_base(map) + (uint32_t)ch * 32 + (uint32_t)(scan & 31);
        uint8_t bits = font[faddr & (VGA_PLANE_SIZE - 1)];
        uint8_t fgc = attr & 0x0f, bgc = attr >> 4;
        if (s->ar[0x10] & 0x08) {
            bgc &= 7;
            if ((attr & 0x80) && !blink_on)
                bits = 0;
        }
        bool cursor = g->cursor_on && cursor_on && row == g->cursor_row &&
                      col == g->cursor_col && scan >= cstart && scan <= cend;
        if (cursor)
            bits = 0xff;
        uint32_t fg = attr_rgb(s, fgc), bg = attr_rgb(s, bgc);
        uint32_t *p = out + col * l->cell_w;
        for (int i = 0; i < 8; i++)
            p[i] = (bits & (0x80 >> i)) ? fg : bg;
        if (l->cell_w == 9) {
            /* The cursor takes the whole character clock, ninth dot
             * included (as QEMU and Bochs draw it). */
            bool dup = (s->ar[0x10] & 0x04) && ch >= 0xc0 && ch <= 0xdf;
            p[8] = (cursor || (dup && (bits & 1))) ? fg : bg;
        }
    }
}

/* The picture's size and kind; false when nothing is shown. */
static bool vga_layout(struct vga_state *s, struct vga_layout *l)
{
    memset(l, 0, sizeof(*l));
    int chars = s->crtc[1] + 1;
    uint32_t lines = vga_crtc_vertical(s, 0x12, 1, 6) + 1;
    if (s->crtc[9] & 0x80)
        lines /= 2;
    l->text = !(s->gr[6] & 0x01);
    if (l->text) {
        l->cell_w = (s->seq[1] & 0x01) ? 8 : 9;
        l->cell_h = (s->crtc[9] & 0x1f) + 1;
        l->width = chars * l->cell_w;
        l->height = (int)lines;
    } else {
        int spr = (s->crtc[9] & 0x1f) + 1;
        l->chars = chars;
        if (s->gr[5] & 0x40)
            l->kind = VGA_256;
        else if (s->gr[5] & 0x20)
            l->kind = VGA_CGA4;
        else
            l->kind = VGA_PLANAR;
        l->width = chars * (l->kind == VGA_256 ? 4 : 8);
        l->phys_per_line = (s->crtc[9] & 0x80) ? 2 : 1;
        if ((s->crtc[0x17] & 3) == 3) {
            /* Every scan line of a row reads the same memory: one frame
             * line a row (mode 13h's 400 lines are 200). */
            l->height = (int)lines / spr;
            l->row_lines = 1;
            l->phys_per_line *= spr;
        } else {
            l->height = (int)lines;
            l->row_lines = spr;
        }
    }
    if (l->width <= 0 || l->height <= 0 || l->width > VGA_MAX_WIDTH ||
        l->height > VGA_MAX_HEIGHT)
        return false;
    return true;
}

/* The blink phases at `now`: bit 0 the cursor shown (frames 0-7 of 16),
 * bit 1 blinking text shown (frames 0-15 of 32). */
static int blink_phase(const struct vga_state *s, uint64_t now)
{
    uint64_t frame = now / (uint64_t)vga_frame_ns(s);
    return (int)(~(frame >> 3) & 1) | (int)(~(frame >> 3) & 2);
}

static void ensure_fb(struct vga_render_state *r, int w, int h)
{
    size_t n = (size_t)w * (size_t)h;
    if (n > r->fb_cap) {
        free(r->fb);
        r->fb = xcalloc(n, sizeof(uint32_t));
        r->fb_cap = n;
    }
    if (!r->line)
        r->line = xcalloc(VGA_MAX_WIDTH, sizeof(uint32_t));
}

/* The plane address the CRTC's memory address counter c gives, with the
 * row scan counter's substitutions for CGA layouts (CR17 bits 0-1). */
static uint32_t crtc_address(const struct vga_state *s, uint32_t c, int scan)
{
    uint32_t a;
    c &= 0xffff;
    if (s->crtc[0x14] & 0x40)
        /* Doubleword. The VGA puts MA12-13 on A0-1; chain 4 here stores
         * host address A at plane address A & ~3 (devices/vga.c), which
         * the shift alone reads back. */
        a = c << 2;
    else if (s->crtc[0x17] & 0x40) /* byte */
        a = c;
    else /* word: MA13 or MA15 (CR17 bit 5) to A0 */
        a = (c << 1) | ((c >> ((s->crtc[0x17] & 0x20) ? 15 : 13)) & 1);
    if (!(s->crtc[0x17] & 0x01))
        a = (a & ~0x2000u) | (uint32_t)(scan & 1) << 13;
    if (!(s->crtc[0x17] & 0x02))
        a = (a & ~0x4000u) | (uint32_t)((scan >> 1) & 1) << 14;
    return a & (VGA_PLANE_SIZE - 1);
}

/* One frame line of a graphics mode. */
static void graphics_line(struct vga_state *s, const struct vga_layout *l,
                          int y, uint32_t *out)
{
    uint32_t start = (uint32_t)s->crtc[0x0c] << 8 | s->crtc[0x0d];
    uint32_t offset = (uint32_t)s->crtc[0x13] * 2;
    uint32_t lc = s->crtc[0x18] | (uint32_t)(s->crtc[7] & 0x10) << 4 |
                  (uint32_t)(s->crtc[9] & 0x40) << 3;
    /* Line compare: after scan line lc the address counter restarts at
     * 0 (a split screen), and with AR10 bit 5 the panning at 0. */
    uint32_t phys = (uint32_t)y * (uint32_t)l->phys_per_line;
    int pan = s->ar[0x13] & 7;
    if (phys > lc) {
        uint32_t first =
            (lc + (uint32_t)l->phys_per_line) / (uint32_t)l->phys_per_line;
        y = y - (int)first;
        if (y < 0)
            y = 0;
        start = 0;
        if (s->ar[0x10] & 0x20)
            pan = 0;
    }
    int row = y / l->row_lines, scan = y % l->row_lines;
    uint32_t c = start + (uint32_t)row * offset;
    const uint8_t *v = s->vram;
    const size_t P = VGA_PLANE_SIZE;
    int ppc = l->kind == VGA_256 ? 4 : 8; /* pixels a character clock */
    if (l->kind == VGA_256)
        pan >>= 1;
    int x = -pan;
    for (int k = 0; k <= l->chars && x < l->width; k++, c++) {
        uint32_t a = crtc_address(s, c, scan);
        uint8_t b0 = v[a], b1 = v[P + a], b2 = v[2 * P + a], b3 = v[3 * P + a];
        for (int i = 0; i < ppc; i++, x++) {
            if (x < 0 || x >= l->width)
                continue;
            uint32_t rgb;
            if (l->kind == VGA_256) {
                uint8_t b = i == 0 ? b0 : i == 1 ? b1 : i == 2 ? b2 : b3;
                rgb = dac_rgb(s, b);
            } else if (l->kind == VGA_CGA4) {
                /* Shift register interleave: planes 0 then 1 give bits
                 * 0-1 two at a time, planes 2 then 3 bits 2-3. */
                int sh = 6 - 2 * (i & 3);
                uint8_t lo = i < 4 ? b0 : b1, hi = i < 4 ? b2 : b3;
                rgb = attr_rgb(
                    s, (uint8_t)(((lo >> sh) & 3) | ((hi >> sh) & 3) << 2));
            } else {
                int sh = 7 - i;
                rgb = attr_rgb(
                    s,
                    (uint8_t)(((b0 >> sh) & 1) | ((b1 >> sh) & 1) << 1 |
                              ((b2 >> sh) & 1) << 2 | ((b3 >> sh) & 1) << 3));
            }
            out[x] = rgb;
        }
    }
}

static uint32_t expand5(uint32_t v) { return (v << 3) | (v >> 2); }

/* One row of a VBE mode from video memory offset off. */
static void vbe_line(struct vga_state *s, uint32_t off, int w, uint32_t *out)
{
    unsigned bpp = s->dispi[VGA_DISPI_BPP], n = vga_dispi_bytes_pp(s);
    const uint8_t *m = s->vbe_mem;
    for (int x = 0; x < w; x++, off += n) {
        if (off + n > VGA_VBE_MEM_SIZE) {
            out[x] = 0;
            continue;
        }
        uint32_t v;
        switch (bpp) {
        case 8: v = dac_rgb(s, m[off]); break;
        case 15:
            v = lduw_le_p(m + off);
            v = expand5((v >> 10) & 31) << 16 | expand5((v >> 5) & 31) << 8 |
                expand5(v & 31);
            break;
        case 16:
            v = lduw_le_p(m + off);
            v = expand5((v >> 11) & 31) << 16 |
                (((v >> 5) & 63) << 2 | ((v >> 9) & 3)) << 8 | expand5(v & 31);
            break;
        default: /* 24 and 32: blue, green, red (, unused) */
            v = (uint32_t)m[off + 2] << 16 | (uint32_t)m[off + 1] << 8 | m[off];
            break;
        }
        out[x] = v;
    }
}

/* A VBE mode: the rows of pages written through the linear framebuffer
 * since the last call (dirty logging), or every row after a register or
 * banked-window write. */
static void vbe_render(struct vga_state *s, struct vga_frame *f)
{
    struct vga_render_state *r = &s->render;
    int w = s->dispi[VGA_DISPI_XRES], h = s->dispi[VGA_DISPI_YRES];
    unsigned n = vga_dispi_bytes_pp(s);
    uint32_t line = s->vbe_line;
    uint32_t start =
        s->dispi[VGA_DISPI_Y_OFFSET] * line + s->dispi[VGA_DISPI_X_OFFSET] * n;
    bool full = !r->valid || r->fb_w != w || r->fb_h != h || r->gen != s->gen;
    bool resized = !r->valid || r->fb_w != w || r->fb_h != h;
    static const uint32_t pages = VGA_VBE_MEM_SIZE >> PAGE_BITS;
    uint64_t bitmap[(VGA_VBE_MEM_SIZE >> PAGE_BITS) / 64 + 1];
    uint32_t first_page = start >> PAGE_BITS;
    uint64_t span = (uint64_t)line * (uint64_t)(h - 1) + (uint64_t)w * n;
    if (start + span > VGA_VBE_MEM_SIZE)
        span = VGA_VBE_MEM_SIZE - start;
    f->width = w;
    f->height = h;
    if (s->lfb) {
        memset(bitmap, 0, sizeof(bitmap));
        uint64_t d = mem_region_get_and_clear_dirty(s->lfb, start, span,
                                                    full ? NULL : bitmap);
        if (!full && d == 0) {
            f->pixels = r->fb;
            return;
        }
    } else if (!full) {
        f->pixels = r->fb;
        return;
    }
    ensure_fb(r, w, h);
    r->fb_w = w;
    r->fb_h = h;
    f->pixels = r->fb;
    int y0 = h, y1 = 0;
    for (int y = 0; y < h; y++) {
        uint64_t off = (uint64_t)start + (uint64_t)y * line;
        if (off >= VGA_VBE_MEM_SIZE)
            off = VGA_VBE_MEM_SIZE; /* drawn black */
        if (!full) {
            uint32_t p0 = (uint32_t)(off >> PAGE_BITS) - first_page;
            uint32_t p1 = (uint32_t)((off + (uint64_t)w * n - 1) >> PAGE_BITS) -
                          first_page;
            bool dirty = false;
            for (uint32_t p = p0; p <= p1 && p < pages && !dirty; p++)
                dirty = (bitmap[p / 64] >> (p % 64)) & 1;
            if (!dirty)
                continue;
        }
        vbe_line(s, (uint32_t)off, w, r->line);
        uint32_t *dst = r->fb + (size_t)y * (size_t)w;
        if (resized || memcmp(dst, r->line, (size_t)w * sizeof(uint32_t))) {
            memcpy(dst, r->line, (size_t)w * sizeof(uint32_t));
            if (y < y0)
                y0 = y;
            y1 = y + 1;
        }
    }
    r->gen = s->gen;
    r->valid = true;
    if (y0 < y1) {
        f->dirty_y0 = y0;
        f->dirty_y1 = y1;
    }
}

/* Draw the picture into render.fb; f's dirty rows are those this call
 * changed. */
static void render_draw(struct vga_state *s, uint64_t now, struct vga_frame *f)
{
    struct vga_render_state *r = &s->render;
    struct vga_layout l;
    memset(f, 0, sizeof(*f));
    if (vga_dispi_enabled(s)) {
        vbe_render(s, f);
        return;
    }
    if (!vga_layout(s, &l)) {
        if (r->valid && (r->fb_w || r->fb_h))
            r->valid = false;
        r->fb_w = r->fb_h = 0;
        return;
    }
    int phase = l.text ? blink_phase(s, now) : 0;
    bool resized = !r->valid || r->fb_w != l.width || r->fb_h != l.height;
    f->width = l.width;
    f->height = l.height;
    if (!resized && r->gen == s->gen && r->blink_phase == phase) {
        f->pixels = r->fb;
        return;
    }
    ensure_fb(r, l.width, l.height);
    r->fb_w = l.width;
    r->fb_h = l.height;
    f->pixels = r->fb;

    struct vga_text_geometry g;
    bool blank = (s->seq[1] & 0x20) || !(s->ar_index & 0x20);
    if (l.text)
        vga_text_geometry(s, &g);
    int y0 = l.height, y1 = 0;
    for (int y = 0; y < l.height; y++) {
        uint32_t *line = r->line;
        if (blank)
            memset(line, 0, (size_t)l.width * sizeof(uint32_t));
        else if (l.text)
            text_line(s, &l, &g, y, phase, line);
        else
            graphics_line(s, &l, y, line);
        uint32_t *dst = r->fb + (size_t)y * (size_t)l.width;
        if (resized || memcmp(dst, line, (size_t)l.width * sizeof(uint32_t))) {
            memcpy(dst, line, (size_t)l.width * sizeof(uint32_t));
            if (y < y0)
                y0 = y;
            y1 = y + 1;
        }
    }
    r->gen = s->gen;
    r->blink_phase = phase;
    r->valid = true;
    if (y0 < y1) {
        f->dirty_y0 = y0;
        f->dirty_y1 = y1;
    }
}

/* The dirty rows per view: render.seq counts the draws that changed
 * something, row_seq[y] is the draw that last changed row y, and a view
 * is owed the rows changed after the draw it last saw. A resize or an
 * invalidation redraws every row, so every view gets them all. */
void vga_render_view(struct vga_state *s, uint64_t now, struct vga_view *v,
                     struct vga_frame *f)
{
    struct vga_render_state *r = &s->render;
    render_draw(s, now, f);
    /* vga_layout and the DISPI registers bound the height; kept in
     * row_seq's bounds here whatever they become */
    int h = f->height < VGA_MAX_HEIGHT ? f->height : VGA_MAX_HEIGHT;
    if (!f->pixels || h <= 0)
        return;
    if (!r->row_seq)
        r->row_seq = xcalloc(VGA_MAX_HEIGHT, sizeof(uint64_t));
    if (f->dirty_y0 < f->dirty_y1) {
        r->seq++;
        for (int y = f->dirty_y0; y < f->dirty_y1 && y < h; y++)
            r->row_seq[y] = r->seq;
    }
    int y0 = h, y1 = 0;
    for (int y = 0; y < h; y++)
        if (r->row_seq[y] > v->seen) {
            if (y < y0)
                y0 = y;
            y1 = y + 1;
        }
    v->seen = r->seq;
    f->dirty_y0 = y0 < y1 ? y0 : 0;
    f->dirty_y1 = y0 < y1 ? y1 : 0;
}

void vga_render(struct vga_state *s, uint64_t now, struct vga_frame *f)
{
    vga_render_view(s, now, &s->render.view, f);
}

void vga_render_invalidate(struct vga_state *s)
{
    s->render.valid = false;
}

void vga_render_free(struct vga_state *s)
{
    free(s->render.fb);
    free(s->render.line);
    free(s->render.row_seq);
    memset(&s->render, 0, sizeof(s->render));
}
