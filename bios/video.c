/*
 * video.c - INT 10h, the video BIOS's services, on the VGA (devices/vga.c)
 * through its ports and memory window, as the IBM VGA technical reference
 * and Ralf Brown's interrupt list describe them: modes (bios/video_modes.c),
 * the cursor, pages, scrolling, characters and pixels, palettes and the
 * DAC, character generator, alternate select, write string, display
 * combination and state information; VBE (AH=4Fh) in bios/vbe.c.
 *
 * Text output of teletype (AH=0Eh) and write string (AH=13h) is also
 * mirrored on COM1, as SeaBIOS's serial console does under -nographic.
 * Every guest-given page, position, count and address is clamped to the
 * mode's screen or wrapped to the real-mode megabyte.
 */
#include "bios/video.h"

#include "bios/rom.h"

/* ---- geometry ---- */

static unsigned cols_of(struct bios *b)
{
    unsigned c = bios_rw(b, BDA_VIDEO_COLS);
    return c ? (c > 255 ? 255 : c) : 80;
}

static unsigned rows_of(struct bios *b)
{
    return bios_rb(b, BDA_VIDEO_ROWS) + 1u;
}

static uint16_t cursor_get(struct bios *b, unsigned page)
{
    return bios_rw(b, BDA_CURSOR_POS + 2 * (page & 7));
}

/* The CRTC's cursor follows the active page's. */
static void cursor_set(struct bios *b, unsigned page, unsigned row,
                       unsigned col)
{
    page &= 7;
    bios_ww(b, BDA_CURSOR_POS + 2 * page,
            (uint16_t)((row & 0xff) << 8 | (col & 0xff)));
    if (page != bios_rb(b, BDA_ACTIVE_PAGE))
        return;
    const struct video_mode *m = video_mode_current(b);
    if (m->kind != VIDEO_TEXT)
        return;
    uint32_t cell =
        (bios_rw(b, BDA_VIDEO_PAGE_START) / 2u) + row * cols_of(b) + col;
    video_crtc_write(b, 0x0e, (uint8_t)(cell >> 8));
    video_crtc_write(b, 0x0f, (uint8_t)cell);
}

/* Address of the text cell (row, col) of page. */
static uint32_t text_addr(struct bios *b, const struct video_mode *m,
                          unsigned page, unsigned row, unsigned col)
{
    uint32_t off = (page & 7) * (uint32_t)bios_rw(b, BDA_VIDEO_PAGE_SIZE) +
                   (row * cols_of(b) + col) * 2u;
    return ((uint32_t)m->seg << 4) + (off & 0x7fff);
}

/* ---- pixels ---- */

static void gr_write(struct bios *b, uint8_t index, uint8_t v)
{
    bios_outb(b, 0x3ce, index);
    bios_outb(b, 0x3cf, v);
}

/* The end of the mode's part of the memory window. */
static uint32_t window_end(const struct video_mode *m)
{
    return ((uint32_t)m->seg << 4) +
           (m->kind == VIDEO_CGA ? 0x8000u : 0x10000u);
}

/* Offset of pixel (x, y) of page in the mode's memory, and the bit
 * position or plane in its byte. */
static void put_pixel(struct bios *b, const struct video_mode *m, unsigned page,
                      unsigned x, unsigned y, uint8_t color)
{
    if (x >= m->width || y >= m->height)
        return;
    uint32_t seg = (uint32_t)m->seg << 4;
    bool xor = color & 0x80;
    switch (m->kind) {
    case VIDEO_CGA: {
        unsigned ppb = 8 / m->bpp; /* pixels a byte */
        uint32_t a =
            seg + (y & 1) * 0x2000u + (y >> 1) * (m->width / ppb) + x / ppb;
        unsigned shift = (ppb - 1 - x % ppb) * m->bpp;
        uint8_t mask = (uint8_t)(((1u << m->bpp) - 1) << shift);
        uint8_t bits = (uint8_t)((color << shift) & mask);
        uint8_t v = bios_rb(b, a);
        v = xor? (uint8_t)(v ^ bits) : (uint8_t)((v & ~mask) | bits);
        bios_wb(b, a, v);
        break;
    }
    case VIDEO_PLANAR: {
        uint32_t a = seg + (page & 7) * (uint32_t)m->page_size +
                     y * (m->width / 8u) + x / 8;
        if (a >= seg + 0x10000)
            return;
        /* write mode 2: the colour's bits go to the four planes under
         * the bit mask; the read loads the latches */
        gr_write(b, 5, 0x02);
        gr_write(b, 8, (uint8_t)(0x80 >> (x & 7)));
        gr_write(b, 3, xor? 0x18 : 0x00);
        bios_rb(b, a);
        bios_wb(b, a, color & 0x0f);
        gr_write(b, 3, 0x00);
        gr_write(b, 8, 0xff);
        gr_write(b, 5, 0x00);
        break;
    }
    case VIDEO_LINEAR: {
        uint32_t a = seg + y * 320u + x;
        bios_wb(b, a, xor? (uint8_t)(bios_rb(b, a) ^ color) : color);
        break;
    }
    default: break;
    }
}

static uint8_t get_pixel(struct bios *b, const struct video_mode *m,
                         unsigned page, unsigned x, unsigned y)
{
    if (x >= m->width || y >= m->height)
        return 0;
    uint32_t seg = (uint32_t)m->seg << 4;
    switch (m->kind) {
    case VIDEO_CGA: {
        unsigned ppb = 8 / m->bpp;
        uint32_t a =
            seg + (y & 1) * 0x2000u + (y >> 1) * (m->width / ppb) + x / ppb;
        unsigned shift = (ppb - 1 - x % ppb) * m->bpp;
        return (uint8_t)((bios_rb(b, a) >> shift) & ((1u << m->bpp) - 1));
    }
    case VIDEO_PLANAR: {
        uint32_t a = seg + (page & 7) * (uint32_t)m->page_size +
                     y * (m->width / 8u) + x / 8;
        if (a >= seg + 0x10000)
            return 0;
        uint8_t c = 0;
        for (uint8_t p = 0; p < 4; p++) {
            gr_write(b, 4, p);
            if (bios_rb(b, a) & (0x80 >> (x & 7)))
                c |= (uint8_t)(1u << p);
        }
        gr_write(b, 4, 0);
        return c;
    }
    case VIDEO_LINEAR: return bios_rb(b, seg + y * 320u + x);
    default: return 0;
    }
}

/* A character in a graphics mode: the glyph of INT 43h's font (INT 1Fh
 * for 80h-FFh in the 8-line modes) in colour, the rest in 0 (or left
 * alone when the colour XORs). */
static void put_char_graphics(struct bios *b, const struct video_mode *m,
                              unsigned page, unsigned row, unsigned col,
                              uint8_t ch, uint8_t color)
{
    unsigned h = m->char_height;
    uint32_t glyph;
    if (h == 8 && ch >= 0x80)
        glyph = bios_lin(bios_rw(b, 0x1f * 4 + 2), bios_rw(b, 0x1f * 4)) +
                (ch - 0x80u) * 8u;
    else
        glyph =
            bios_lin(bios_rw(b, 0x43 * 4 + 2), bios_rw(b, 0x43 * 4)) + ch * h;
    if (m->kind == VIDEO_PLANAR) {
        /* a line at a time: set/reset writes the colour under the glyph's
         * bits (XOR: the colour into them) and 0 under the others */
        gr_write(b, 1, 0x0f);
        gr_write(b, 3, (color & 0x80) ? 0x18 : 0x00);
        for (unsigned y = 0; y < h; y++) {
            uint8_t bits = bios_rb(b, (glyph + y) & 0xfffff);
            uint32_t a = ((uint32_t)m->seg << 4) +
                         (page & 7) * (uint32_t)m->page_size +
                         (row * h + y) * (m->width / 8u) + col;
            if (a >= window_end(m) || col >= m->width / 8u)
                break;
            gr_write(b, 0, color & 0x0f);
            gr_write(b, 8, bits);
            bios_rb(b, a);
            bios_wb(b, a, 0);
            if (!(color & 0x80)) {
                gr_write(b, 0, 0x00);
                gr_write(b, 8, (uint8_t)~bits);
                bios_rb(b, a); /* the latches: the glyph just written */
                bios_wb(b, a, 0);
            }
        }
        gr_write(b, 0, 0x00);
        gr_write(b, 1, 0x00);
        gr_write(b, 3, 0x00);
        gr_write(b, 8, 0xff);
        return;
    }
    for (unsigned y = 0; y < h; y++) {
        uint8_t bits = bios_rb(b, (glyph + y) & 0xfffff);
        for (unsigned x = 0; x < 8; x++) {
            bool on = bits & (0x80 >> x);
            if (color & 0x80) {
                if (on)
                    put_pixel(b, m, page, col * 8 + x, row * h + y, color);
            } else {
                put_pixel(b, m, page, col * 8 + x, row * h + y, on ? color : 0);
            }
        }
    }
}

/* ---- characters ---- */

static void put_cell(struct bios *b, const struct video_mode *m, unsigned page,
                     unsigned row, unsigned col, uint8_t ch, uint8_t attr,
                     bool with_attr)
{
    if (row >= rows_of(b) || col >= cols_of(b))
        return;
    if (m->kind == VIDEO_TEXT) {
        uint32_t a = text_addr(b, m, page, row, col);
        bios_wb(b, a, ch);
        if (with_attr)
            bios_wb(b, a + 1, attr);
    } else {
        put_char_graphics(b, m, page, row, col, ch, attr);
    }
}

/* Address of the first byte of pixel line y of page in a graphics mode
 * (CGA modes: even lines at B8000h, odd ones 2000h up), and the bytes a
 * character cell spans in a line. */
static uint32_t line_addr(const struct video_mode *m, unsigned page, unsigned y)
{
    uint32_t seg = (uint32_t)m->seg << 4;
    switch (m->kind) {
    case VIDEO_CGA:
        return seg + (y & 1) * 0x2000u + (y >> 1) * (m->width * m->bpp / 8u);
    case VIDEO_PLANAR:
        return seg + (page & 7) * (uint32_t)m->page_size + y * (m->width / 8u);
    default: return seg + y * (uint32_t)m->width;
    }
}

static unsigned cell_bytes(const struct video_mode *m)
{
    return m->kind == VIDEO_PLANAR ? 1 : m->bpp;
}

/* One character cell of a graphics mode scrolled: its pixel lines
 * copied from character row src (planar modes: the latches carry all
 * four planes, write mode 1) or blanked in colour. */
static void scroll_cell_graphics(struct bios *b, const struct video_mode *m,
                                 unsigned page, unsigned src, unsigned dst,
                                 unsigned col, bool blank, uint8_t color)
{
    unsigned h = m->char_height, cw = cell_bytes(m);
    uint8_t fill = color;
    if (m->kind == VIDEO_CGA)
        fill = m->bpp == 2 ? (uint8_t)((color & 3) * 0x55)
                           : (uint8_t)((color & 1) ? 0xff : 0);
    if (m->kind == VIDEO_PLANAR) {
        if (blank) { /* set/reset of all planes: the colour everywhere */
            gr_write(b, 5, 0x00);
            gr_write(b, 0, color & 0x0f);
            gr_write(b, 1, 0x0f);
            gr_write(b, 8, 0xff);
        } else {
            gr_write(b, 5, 0x01);
        }
    }
    for (unsigned y = 0; y < h; y++) {
        uint32_t d = line_addr(m, page, dst * h + y) + col * cw;
        uint32_t sa = line_addr(m, page, src * h + y) + col * cw;
        for (unsigned i = 0; i < cw; i++) {
            if (d + i >= window_end(m) || sa + i >= window_end(m))
                return;
            if (blank) {
                bios_wb(b, d + i, fill);
            } else {
                uint8_t v = bios_rb(b, sa + i);
                bios_wb(b, d + i, v);
            }
        }
    }
}

/* Scroll the window (top, left)-(bottom, right) of the active page up
 * (or down) by n lines, n = 0 or more than its height blanks it; the new
 * lines get attr (text) or colour attr (graphics). */
static void scroll(struct bios *b, unsigned n, uint8_t attr, unsigned top,
                   unsigned left, unsigned bottom, unsigned right, bool up)
{
    const struct video_mode *m = video_mode_current(b);
    unsigned rows = rows_of(b), cols = cols_of(b);
    unsigned page = bios_rb(b, BDA_ACTIVE_PAGE);
    if (bottom >= rows)
        bottom = rows - 1;
    if (right >= cols)
        right = cols - 1;
    if (top > bottom || left > right)
        return;
    unsigned height = bottom - top + 1;
    if (n == 0 || n > height)
        n = height;
    for (unsigned i = 0; i < height; i++) {
        unsigned dst = up ? top + i : bottom - i;
        bool blank = i + n >= height;
        unsigned src = up ? dst + n : dst - n;
        for (unsigned c = left; c <= right; c++) {
            if (m->kind == VIDEO_TEXT) {
                uint32_t d = text_addr(b, m, page, dst, c);
                if (blank) {
                    bios_wb(b, d, ' ');
                    bios_wb(b, d + 1, attr);
                } else {
                    uint32_t s = text_addr(b, m, page, src, c);
                    bios_wb(b, d, bios_rb(b, s));
                    bios_wb(b, d + 1, bios_rb(b, s + 1));
                }
                continue;
            }
            scroll_cell_graphics(b, m, page, src, dst, c, blank, attr);
        }
    }
    if (m->kind == VIDEO_PLANAR) {
        gr_write(b, 0, 0x00);
        gr_write(b, 1, 0x00);
        gr_write(b, 5, 0x00);
    }
}

/* Teletype output of c on page: BEL, BS, CR and LF act, the rest is
 * written with the cell's attribute (text) or colour (graphics), the
 * cursor advances, wraps and at the bottom the page scrolls up by one
 * line in the attribute of the cell the cursor is on. The console (COM1)
 * gets every character, as before the VGA existed. */
static void teletype(struct bios *b, unsigned page, uint8_t c, uint8_t color,
                     bool with_attr)
{
    const struct video_mode *m = video_mode_current(b);
    uint16_t pos = cursor_get(b, page);
    unsigned row = pos >> 8, col = pos & 0xff;
    unsigned cols = cols_of(b), rows = rows_of(b);

    bios_putc(b, (char)c);
    switch (c) {
    case 7: break; /* BEL: no speaker here */
    case '\b':
        if (col)
            col--;
        break;
    case '\r': col = 0; break;
    case '\n': row++; break;
    default:
        put_cell(b, m, page, row, col, c, color,
                 with_attr || m->kind != VIDEO_TEXT);
        if (++col >= cols) {
            col = 0;
            row++;
        }
    }
    if (row >= rows) {
        row = rows - 1;
        uint8_t attr = 0;
        if (m->kind == VIDEO_TEXT)
            attr = bios_rb(b, text_addr(b, m, page, row, col < cols ? col : 0) +
                                  1);
        if (page == bios_rb(b, BDA_ACTIVE_PAGE))
            scroll(b, 1, attr, 0, 0, rows - 1, cols - 1, true);
    }
    cursor_set(b, page, row, col);
}

/* AH=13h: CX characters at ES:BP written at row DH column DL of page BH;
 * AL bit 1: characters and attributes alternate, else every character
 * in attribute BL; AL bit 0: the cursor stays after the string. BEL, BS,
 * CR and LF act as in teletype. */
static void write_string(struct bios *b, struct bios_regs *r)
{
    unsigned page = BIOS_BH(r) & 7;
    uint16_t saved = cursor_get(b, page);
    uint32_t p = bios_lin(r->es, (uint16_t)r->ebp);
    bool attrs = BIOS_AL(r) & 2;

    cursor_set(b, page, BIOS_DH(r), BIOS_DL(r));
    for (unsigned i = 0; i < BIOS_CX(r); i++) {
        uint8_t c = bios_rb(b, p & 0xfffff);
        uint8_t attr = attrs ? bios_rb(b, (p + 1) & 0xfffff) : BIOS_BL(r);
        p += attrs ? 2 : 1;
        teletype(b, page, c, attr, true);
    }
    if (!(BIOS_AL(r) & 1)) {
        cursor_set(b, page, saved >> 8, saved & 0xff);
    }
}

/* AH=09h/0Ah: CX copies of AL at the cursor of page BH, the cursor not
 * moving; AH=09h also writes attribute (colour) BL. */
static void write_chars(struct bios *b, struct bios_regs *r, bool with_attr)
{
    const struct video_mode *m = video_mode_current(b);
    unsigned page = BIOS_BH(r) & 7;
    uint16_t pos = cursor_get(b, page);
    unsigned row = pos >> 8, col = pos & 0xff;
    unsigned cols = cols_of(b), rows = rows_of(b);
    uint8_t color = BIOS_BL(r); /* graphics: AH=0Ah takes BL's colour too */
    for (unsigned i = 0; i < BIOS_CX(r) && row < rows; i++) {
        put_cell(b, m, page, row, col, BIOS_AL(r), color,
                 with_attr || m->kind != VIDEO_TEXT);
        if (++col >= cols) {
            col = 0;
            row++;
        }
    }
}

/* In a graphics mode the character is found by its shape: the cell's
 * lit pixels (any colour) compared with INT 43h's glyphs (INT 1Fh's for
 * 80h-FFh in the 8-line modes); AL=0 when none matches, AH=0. */
static uint8_t match_glyph(struct bios *b, const struct video_mode *m,
                           unsigned page, unsigned row, unsigned col)
{
    unsigned h = m->char_height;
    uint8_t cellbits[16] = { 0 };
    for (unsigned y = 0; y < h && y < 16; y++)
        for (unsigned x = 0; x < 8; x++)
            if (get_pixel(b, m, page, col * 8 + x, row * h + y))
                cellbits[y] |= (uint8_t)(0x80 >> x);
    uint32_t lo = bios_lin(bios_rw(b, 0x43 * 4 + 2), bios_rw(b, 0x43 * 4));
    uint32_t hi = bios_lin(bios_rw(b, 0x1f * 4 + 2), bios_rw(b, 0x1f * 4));
    for (unsigned c = 0; c < 256; c++) {
        uint32_t g = (h == 8 && c >= 0x80) ? hi + (c - 0x80) * 8u : lo + c * h;
        unsigned y = 0;
        while (y < h && y < 16 && bios_rb(b, (g + y) & 0xfffff) == cellbits[y])
            y++;
        if (y == h || y == 16)
            return (uint8_t)c;
    }
    return 0;
}

static void read_char(struct bios *b, struct bios_regs *r)
{
    const struct video_mode *m = video_mode_current(b);
    unsigned page = BIOS_BH(r) & 7;
    uint16_t pos = cursor_get(b, page);
    unsigned row = pos >> 8, col = pos & 0xff;
    if (row >= rows_of(b) || col >= cols_of(b)) {
        bios_set_ax(r, 0);
        return;
    }
    if (m->kind != VIDEO_TEXT) {
        bios_set_ax(r, match_glyph(b, m, page, row, col));
        return;
    }
    bios_set_ax(r, bios_rw(b, text_addr(b, m, page, row, col)));
}

/* AH=05h: the active page: the CRTC's start address and cursor. */
static void set_page(struct bios *b, uint8_t page)
{
    const struct video_mode *m = video_mode_current(b);
    unsigned pages = m->kind == VIDEO_TEXT     ? (m->cols == 40 ? 8 : 8)
                     : m->kind == VIDEO_PLANAR ? 0x10000u / m->page_size
                                               : 1;
    if (page >= pages)
        return;
    uint16_t start = (uint16_t)(page * m->page_size);
    bios_wb(b, BDA_ACTIVE_PAGE, page);
    bios_ww(b, BDA_VIDEO_PAGE_START, start);
    uint16_t crtc = m->kind == VIDEO_TEXT ? start / 2 : start;
    video_crtc_write(b, 0x0c, (uint8_t)(crtc >> 8));
    video_crtc_write(b, 0x0d, (uint8_t)crtc);
    uint16_t pos = cursor_get(b, page);
    cursor_set(b, page, pos >> 8, pos & 0xff);
}

/* ---- AH=0Bh: the CGA's colour select ---- */

static void cga_palette(struct bios *b, struct bios_regs *r)
{
    const struct video_mode *m = video_mode_current(b);
    uint8_t pal = bios_rb(b, BDA_CGA_PALETTE);
    if (BIOS_BH(r) == 0) {
        /* background (graphics) / border (text): colour 0-15 */
        pal = (uint8_t)((pal & 0xe0) | (BIOS_BL(r) & 0x1f));
        uint8_t c =
            (uint8_t)((BIOS_BL(r) & 7) | ((BIOS_BL(r) & 0x10) ? 0x10 : 0));
        if (m->kind == VIDEO_TEXT) {
            video_ar_write(b, 0x11, c);
        } else {
            video_ar_write(b, 0x00, c);
            video_ar_write(b, 0x11, c);
        }
    } else if (BIOS_BH(r) == 1) {
        pal = (uint8_t)((pal & ~0x20) | ((BIOS_BL(r) & 1) << 5));
    } else {
        return;
    }
    bios_wb(b, BDA_CGA_PALETTE, pal);
    if (m->kind == VIDEO_CGA && m->bpp == 2) {
        /* palette 0: green, red, brown; 1: cyan, magenta, white; the
         * intensity bit 4 of the background picks their bright forms */
        uint8_t base = (pal & 0x20) ? 3 : 2, hi = (pal & 0x10) ? 0x10 : 0;
        for (uint8_t i = 1; i < 4; i++)
            video_ar_write(b, i, (uint8_t)((base + 2 * (i - 1)) | hi));
    }
}

/* ---- AH=10h: palette registers and the DAC ---- */

static void palette(struct bios *b, struct bios_regs *r)
{
    uint32_t tbl = bios_lin(r->es, BIOS_DX(r));
    uint8_t rgb[3];
    switch (BIOS_AL(r)) {
    case 0x00:
        if (BIOS_BL(r) <= 0x14)
            video_ar_write(b, BIOS_BL(r), BIOS_BH(r));
        break;
    case 0x01: video_ar_write(b, 0x11, BIOS_BH(r)); break;
    case 0x02:
        for (uint8_t i = 0; i < 16; i++)
            video_ar_write(b, i, bios_rb(b, (tbl + i) & 0xfffff));
        video_ar_write(b, 0x11, bios_rb(b, (tbl + 16) & 0xfffff));
        break;
    case 0x03: { /* BL 0: intensity, 1: blinking (AR10 bit 3) */
        uint8_t v = video_ar_read(b, 0x10);
        v = (uint8_t)(BIOS_BL(r) ? v | 0x08 : v & ~0x08);
        video_ar_write(b, 0x10, v);
        break;
    }
    case 0x07:
        if (BIOS_BL(r) <= 0x14)
            bios_set_bh(r, video_ar_read(b, BIOS_BL(r)));
        break;
    case 0x08: bios_set_bh(r, video_ar_read(b, 0x11)); break;
    case 0x09:
        for (uint8_t i = 0; i < 16; i++)
            bios_wb(b, (tbl + i) & 0xfffff, video_ar_read(b, i));
        bios_wb(b, (tbl + 16) & 0xfffff, video_ar_read(b, 0x11));
        break;
    case 0x10:
        rgb[0] = BIOS_DH(r), rgb[1] = BIOS_CH(r), rgb[2] = BIOS_CL(r);
        video_dac_write(b, BIOS_BL(r), rgb);
        break;
    case 0x12:
        for (unsigned i = 0; i < BIOS_CX(r) && BIOS_BX(r) + i < 256; i++) {
            for (int k = 0; k < 3; k++)
                rgb[k] = bios_rb(b, (tbl + 3 * i + (unsigned)k) & 0xfffff);
            video_dac_write(b, (uint8_t)(BIOS_BX(r) + i), rgb);
        }
        break;
    case 0x13: { /* colour page: BL 0 paging mode (AR10 bit 7), 1 page */
        uint8_t v = video_ar_read(b, 0x10);
        if (BIOS_BL(r) == 0) {
            video_ar_write(b, 0x10,
                           (uint8_t)((v & 0x7f) | (BIOS_BH(r) & 1) << 7));
        } else if (BIOS_BL(r) == 1) {
            uint8_t page = (v & 0x80) ? (uint8_t)((BIOS_BH(r) & 0x0f))
                                      : (uint8_t)((BIOS_BH(r) & 3) << 2);
            video_ar_write(b, 0x14, page);
        }
        break;
    }
    case 0x15:
        video_dac_read(b, BIOS_BL(r), rgb);
        bios_set_dh(r, rgb[0]);
        bios_set_ch(r, rgb[1]);
        bios_set_cl(r, rgb[2]);
        break;
    case 0x17:
        for (unsigned i = 0; i < BIOS_CX(r) && BIOS_BX(r) + i < 256; i++) {
            video_dac_read(b, (uint8_t)(BIOS_BX(r) + i), rgb);
            for (int k = 0; k < 3; k++)
                bios_wb(b, (tbl + 3 * i + (unsigned)k) & 0xfffff, rgb[k]);
        }
        break;
    case 0x1a: {
        uint8_t v = video_ar_read(b, 0x10);
        uint8_t page = video_ar_read(b, 0x14) & 0x0f;
        bios_set_bl(r, v >> 7);
        bios_set_bh(r, (v & 0x80) ? page : (uint8_t)(page >> 2));
        break;
    }
    case 0x1b: { /* sum to grays */
        uint8_t flags = bios_rb(b, BDA_VGA_FLAGS);
        bios_wb(b, BDA_VGA_FLAGS, flags | 0x02);
        for (unsigned i = 0; i < BIOS_CX(r) && BIOS_BX(r) + i < 256; i++) {
            video_dac_read(b, (uint8_t)(BIOS_BX(r) + i), rgb);
            video_dac_write(b, (uint8_t)(BIOS_BX(r) + i), rgb);
        }
        bios_wb(b, BDA_VGA_FLAGS, flags);
        break;
    }
    default: break;
    }
}

/* ---- AH=11h: the character generator ---- */

static void set_vector(struct bios *b, unsigned vec, uint16_t seg, uint16_t off)
{
    bios_ww(b, vec * 4, off);
    bios_ww(b, vec * 4 + 2, seg);
}

/* AX=1130h: BH selects the pointer returned in ES:BP; CX the character
 * height, DL the rows - 1. */
static void font_info(struct bios *b, struct bios_regs *r)
{
    uint16_t seg = 0xf000, off;
    switch (BIOS_BH(r)) {
    case 0:
        off = bios_rw(b, 0x1f * 4);
        seg = bios_rw(b, 0x1f * 4 + 2);
        break;
    case 1:
        off = bios_rw(b, 0x43 * 4);
        seg = bios_rw(b, 0x43 * 4 + 2);
        break;
    case 2: off = BIOS_FONT8X14_OFFSET; break;
    case 3: off = BIOS_FONT8X8_OFFSET; break;
    case 4: off = BIOS_FONT8X8_OFFSET + 128 * 8; break;
    case 6: off = BIOS_FONT8X16_OFFSET; break;
    case 5: /* the 9-dot alternates: none, an empty table */
    case 7: off = BIOS_VIDEO_ALT_OFFSET; break;
    default: return;
    }
    r->es = seg;
    r->ebp = (r->ebp & 0xffff0000u) | off;
    bios_set_cx(r, bios_rw(b, BDA_CHAR_HEIGHT));
    bios_set_dl(r, bios_rb(b, BDA_VIDEO_ROWS));
}

/* AL=2xh: the rows of a graphics mode, BL 0: DL, 1: 14, 2: 25, 3: 43. */
static void graphics_rows(struct bios *b, struct bios_regs *r, unsigned height)
{
    static const uint8_t rows[4] = { 0, 14, 25, 43 };
    unsigned n = BIOS_BL(r) == 0  ? BIOS_DL(r)
                 : BIOS_BL(r) < 4 ? rows[BIOS_BL(r)]
                                  : 25;
    if (n == 0)
        n = 25;
    bios_wb(b, BDA_VIDEO_ROWS, (uint8_t)(n - 1));
    bios_ww(b, BDA_CHAR_HEIGHT, (uint16_t)height);
}

static void char_generator(struct bios *b, struct bios_regs *r)
{
    uint8_t al = BIOS_AL(r);
    unsigned block = BIOS_BL(r) & 7;
    switch (al) {
    case 0x00:
    case 0x10: {
        unsigned h = BIOS_BH(r) ? BIOS_BH(r) : 16;
        video_load_font_guest(b, bios_lin(r->es, (uint16_t)r->ebp),
                              BIOS_DX(r) & 0xff, BIOS_CX(r), h, block);
        if (al == 0x10)
            video_set_char_height(b, h);
        break;
    }
    case 0x01:
    case 0x11:
    case 0x02:
    case 0x12:
    case 0x04:
    case 0x14: {
        unsigned h = (al & 0x0f) == 1 ? 14 : (al & 0x0f) == 2 ? 8 : 16;
        video_load_font(b, video_font(h), 0, 256, h, block);
        if (al & 0x10)
            video_set_char_height(b, h);
        break;
    }
    case 0x03: /* character map select */
        bios_outb(b, 0x3c4, 0x03);
        bios_outb(b, 0x3c5, BIOS_BL(r));
        break;
    case 0x20: set_vector(b, 0x1f, r->es, (uint16_t)r->ebp); break;
    case 0x21:
        set_vector(b, 0x43, r->es, (uint16_t)r->ebp);
        graphics_rows(b, r, BIOS_CX(r) ? BIOS_CX(r) : 8);
        break;
    case 0x22:
    case 0x23:
    case 0x24: {
        unsigned h = al == 0x22 ? 14 : al == 0x23 ? 8 : 16;
        set_vector(b, 0x43, 0xf000, video_font_offset(h));
        graphics_rows(b, r, h);
        break;
    }
    case 0x30: font_info(b, r); break;
    default: break;
    }
}

/* ---- AH=12h: alternate select ---- */

static void alternate_select(struct bios *b, struct bios_regs *r)
{
    uint8_t flags = bios_rb(b, BDA_VGA_FLAGS);
    switch (BIOS_BL(r)) {
    case 0x10: /* EGA information: colour, 256 KiB, switches */
        bios_set_bh(r, (bios_rw(b, BDA_CRTC_PORT) == 0x3b4) ? 1 : 0);
        bios_set_bl(r, 3);
        bios_set_ch(r, 0);
        bios_set_cl(r, bios_rb(b, BDA_EGA_SWITCHES) & 0x0f);
        return;
    case 0x20: return; /* alternate print screen: none */
    case 0x30: /* scan lines of the next text mode: AL 0/1/2 = 200/350/400 */
        if (BIOS_AL(r) > 2) {
            bios_set_al(r, 0);
            return;
        }
        flags &= (uint8_t)~0x90;
        flags |= BIOS_AL(r) == 0 ? 0x80 : BIOS_AL(r) == 2 ? 0x10 : 0;
        bios_wb(b, BDA_VGA_FLAGS, flags);
        break;
    case 0x31: /* default palette loading at mode set: AL 0 on, 1 off */
        bios_wb(b, BDA_VGA_FLAGS,
                (uint8_t)(BIOS_AL(r) & 1 ? flags | 0x08 : flags & ~0x08));
        break;
    case 0x32: /* video addressing: misc output bit 1 (RAM enable) */
        bios_outb(b, 0x3c2,
                  (uint8_t)(BIOS_AL(r) & 1 ? bios_inb(b, 0x3cc) & ~0x02
                                           : bios_inb(b, 0x3cc) | 0x02));
        break;
    case 0x33: /* gray-scale summing: AL 0 on, 1 off */
        bios_wb(b, BDA_VGA_FLAGS,
                (uint8_t)(BIOS_AL(r) & 1 ? flags & ~0x02 : flags | 0x02));
        break;
    case 0x34: { /* cursor emulation: AL 0 on, 1 off */
        uint8_t info = bios_rb(b, BDA_EGA_INFO);
        bios_wb(b, BDA_EGA_INFO,
                (uint8_t)(BIOS_AL(r) & 1 ? info | 0x01 : info & ~0x01));
        break;
    }
    case 0x35: break; /* display switch: one adapter */
    case 0x36: {      /* video refresh: AL 0 on, 1 off (SR01 bit 5) */
        bios_outb(b, 0x3c4, 0x01);
        uint8_t v = bios_inb(b, 0x3c5);
        bios_outb(b, 0x3c5, (uint8_t)(BIOS_AL(r) & 1 ? v | 0x20 : v & ~0x20));
        break;
    }
    default: return;
    }
    bios_set_al(r, 0x12);
}

/* ---- AH=1Bh: functionality and state ---- */

/* AH=1Ch: AL=00h the buffer's size for the states CX (bits 0-2) in BX
 * (64-byte blocks), 01h save them at ES:BX, 02h restore them
 * (bios/video_state.c); AL=1Ch when supported. */
static void save_restore_state(struct bios *b, struct bios_regs *r)
{
    unsigned mask = BIOS_CX(r) & 0x07;
    uint32_t p = bios_lin(r->es, BIOS_BX(r));
    switch (BIOS_AL(r)) {
    case 0x00:
        bios_set_bx(r, (uint16_t)((video_state_size(mask) + 63) / 64));
        break;
    case 0x01: video_state_save(b, mask, p); break;
    case 0x02: video_state_restore(b, mask, p); break;
    default: return;
    }
    bios_set_al(r, 0x1c);
}

static void state_info(struct bios *b, struct bios_regs *r)
{
    if (BIOS_BX(r) != 0)
        return;
    const struct video_mode *m = video_mode_current(b);
    uint32_t p = bios_lin(r->es, BIOS_DI(r));
    uint8_t s[64] = { 0 };
    s[0] = (uint8_t)BIOS_VIDEO_STATIC_OFFSET;
    s[1] = (uint8_t)(BIOS_VIDEO_STATIC_OFFSET >> 8);
    s[2] = 0x00;
    s[3] = 0xf0;
    for (unsigned i = 0; i < 0x1e; i++)
        s[4 + i] = bios_rb(b, BDA_VIDEO_MODE + i); /* 449h-466h */
    s[0x22] = (uint8_t)rows_of(b);
    s[0x23] = bios_rb(b, BDA_CHAR_HEIGHT);
    s[0x24] = bios_rb(b, BDA_CHAR_HEIGHT + 1);
    s[0x25] = 0x08; /* active display: VGA colour */
    s[0x26] = 0x00;
    unsigned colors = m->kind == VIDEO_LINEAR ? 256
                      : m->bpp                ? 1u << m->bpp
                      : m->mode == 7          ? 0
                                              : 16;
    s[0x27] = (uint8_t)colors;
    s[0x28] = (uint8_t)(colors >> 8);
    s[0x29] = m->kind == VIDEO_TEXT ? 8 : (uint8_t)(0x10000u / m->page_size);
    unsigned lines =
        m->kind == VIDEO_TEXT ? video_text_scan_lines(b) : m->height;
    s[0x2a] = lines <= 200 ? 0 : lines <= 350 ? 1 : lines <= 400 ? 2 : 3;
    bios_outb(b, 0x3c4, 0x03);
    uint8_t map = bios_inb(b, 0x3c5);
    s[0x2b] = (uint8_t)((map & 3) | ((map >> 2) & 4));
    s[0x2c] = (uint8_t)(((map >> 2) & 3) | ((map >> 3) & 4));
    uint8_t flags = bios_rb(b, BDA_VGA_FLAGS);
    s[0x2d] = (uint8_t)((flags & 0x0f) | 0x00);
    s[0x31] = 3; /* 256 KiB */
    s[0x32] = 0;
    for (unsigned i = 0; i < 64; i++)
        bios_wb(b, (p + i) & 0xfffff, s[i]);
    bios_set_al(r, 0x1b);
}

int bios_int10(struct bios *b, struct bios_regs *r)
{
    switch (BIOS_AH(r)) {
    case 0x00: {
        const struct video_mode *m = video_mode_find(BIOS_AL(r) & 0x7f);
        if (m)
            video_set_mode(b, m, BIOS_AL(r) & 0x80);
        /* the mode flag in AL (Ralf Brown's list: Phoenix and AMI
         * BIOSes): 30h for modes 0-5 and 7, 3Fh for 6, 20h above 7 */
        if (m)
            bios_set_al(r, m->mode == 6 ? 0x3f : m->mode <= 7 ? 0x30 : 0x20);
        break;
    }
    case 0x01: video_set_cursor_shape(b, BIOS_CX(r)); break;
    case 0x02: cursor_set(b, BIOS_BH(r), BIOS_DH(r), BIOS_DL(r)); break;
    case 0x03:
        bios_set_dx(r, cursor_get(b, BIOS_BH(r)));
        bios_set_cx(r, bios_rw(b, BDA_CURSOR_SHAPE));
        break;
    case 0x05: set_page(b, BIOS_AL(r)); break;
    case 0x06:
    case 0x07:
        scroll(b, BIOS_AL(r), BIOS_BH(r), BIOS_CH(r), BIOS_CL(r), BIOS_DH(r),
               BIOS_DL(r), BIOS_AH(r) == 0x06);
        break;
    case 0x08: read_char(b, r); break;
    case 0x09: write_chars(b, r, true); break;
    case 0x0a: write_chars(b, r, false); break;
    case 0x0b: cga_palette(b, r); break;
    case 0x0c: {
        const struct video_mode *m = video_mode_current(b);
        put_pixel(b, m, BIOS_BH(r), BIOS_CX(r), BIOS_DX(r), BIOS_AL(r));
        break;
    }
    case 0x0d: {
        const struct video_mode *m = video_mode_current(b);
        bios_set_al(r, get_pixel(b, m, BIOS_BH(r), BIOS_CX(r), BIOS_DX(r)));
        break;
    }
    case 0x0e: {
        unsigned page = bios_rb(b, BDA_ACTIVE_PAGE);
        teletype(b, page, BIOS_AL(r), BIOS_BL(r), false);
        break;
    }
    case 0x0f:
        bios_set_al(r, (uint8_t)(bios_rb(b, BDA_VIDEO_MODE) |
                                 (bios_rb(b, BDA_EGA_INFO) & 0x80)));
        bios_set_ah(r, (uint8_t)cols_of(b));
        bios_set_bh(r, bios_rb(b, BDA_ACTIVE_PAGE));
        break;
    case 0x10: palette(b, r); break;
    case 0x11: char_generator(b, r); break;
    case 0x12: alternate_select(b, r); break;
    case 0x13: write_string(b, r); break;
    case 0x1a: /* display combination: VGA with a colour display */
        if (BIOS_AL(r) == 0) {
            bios_set_bx(r, 0x0008);
            bios_set_al(r, 0x1a);
        } else if (BIOS_AL(r) == 1) {
            bios_set_al(r, 0x1a);
        }
        break;
    case 0x1b: state_info(b, r); break;
    case 0x1c: save_restore_state(b, r); break;
    case 0x4f: video_vbe(b, r); break;
    default: break;
    }
    return BIOS_STATUS_DONE;
}
