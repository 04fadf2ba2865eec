/*
 * screenref.c - the guest of tests/display/screenref.sh: four screens,
 * each drawn by programming the VGA's registers directly (no BIOS call),
 * so that jet86 and QEMU 7.2 (-vga std) show the same picture, which the
 * harness takes with the monitor's screendump and compares pixel for
 * pixel with QEMU's (tests/display/screenref/, made by screenref-qemu.sh):
 *   1 text   80x25 text, 8-dot characters (640x400), two fonts of its own
 *            loaded into plane 2 (character map select: attribute bit 3
 *            picks the second), its own attribute palette, colour select
 *            and DAC colours, every foreground and background colour
 *            (blink off: AR10 bit 3), a cursor on scan lines 3-12, rows
 *            of 82 characters (CR13) shown from row 1, column 1 (start
 *            address);
 *   2 text9  the same with 9-dot characters (720x400) and line graphics
 *            on (AR10 bit 2): the ninth dot of characters C0h-DFh
 *            repeats the eighth, of the others it is background;
 *   3 13h    320x200, 256 colours, its own DAC palette, chain 4;
 *   4 modex  320x240, 256 colours, unchained (chain 4 off, byte mode,
 *            480 lines, each row scanned twice), drawn through the map
 *            mask, shown from a second page (start address 4B00h), and
 *            below scan line 399 (line compare) the first page;
 *   5 vbe    640x480x32 through the Bochs DISPI ports and the linear
 *            framebuffer (the PCI VGA 1234:1111's BAR 0, or 0xE0000000
 *            on an ISA VGA), a virtual screen 800 pixels wide shown from
 *            (16, 8).
 * After each screen it prints "step N NAME ready" on COM1 and polls the
 * keyboard controller until a key is pressed (the harness's sendkey), so
 * that the guest keeps running meanwhile (the cursor blinks in virtual
 * time); after the last it prints "done" and exits (isa-debug-exit 0).
 *
 * Colours: the DAC holds 6 bits a component; jet86 widens v to 8 bits as
 * v << 2 | v >> 4 (0 and 63 give 0 and 255, evenly spaced), QEMU as
 * v << 2 | (v & 1) * 3. The VGA defines only the 6-bit value (its
 * analogue output), so both are right; the palettes here use only the
 * components on which the two agree: even values 0-14 and odd 49-63.
 *
 * The ninth dot: the IBM VGA repeats the eighth for characters C0h-DFh
 * with line graphics on; QEMU does so for B0h-DFh. The fonts leave the
 * eighth dot of B0h-BFh clear, where the two then agree.
 */
#include <stdbool.h>

#include "rt/rt.h"

/* ---- registers ---- */

static void seq(uint8_t i, uint8_t v)
{
    outb(0x3c4, i);
    outb(0x3c5, v);
}

static void crtc(uint8_t i, uint8_t v)
{
    outb(0x3d4, i);
    outb(0x3d5, v);
}

static void gc(uint8_t i, uint8_t v)
{
    outb(0x3ce, i);
    outb(0x3cf, v);
}

/* Attribute controller: 3DAh resets the flip-flop to "index"; the index's
 * bit 5 (palette address source) set again at the end shows the screen. */
static void attr(uint8_t i, uint8_t v)
{
    (void)inb(0x3da);
    outb(0x3c0, i);
    outb(0x3c0, v);
}

static void attr_done(void)
{
    (void)inb(0x3da);
    outb(0x3c0, 0x20);
}

/* The whole register set of a mode: misc, SR01-04, CR00-18, GR00-08,
 * AR10-14 (the palette registers are set apart). */
struct vga_regs {
    uint8_t misc;
    uint8_t seq[4];
    uint8_t crtc[25];
    uint8_t gc[9];
    uint8_t attr[5];
};

static void set_regs(const struct vga_regs *r)
{
    seq(0x00, 0x01); /* synchronous reset while the clocks change */
    outb(0x3c2, r->misc);
    for (int i = 0; i < 4; i++)
        seq((uint8_t)(i + 1), r->seq[i]);
    seq(0x00, 0x03);
    crtc(0x11, 0x00); /* unprotect CR00-07 */
    for (int i = 0; i < 25; i++)
        crtc((uint8_t)i, r->crtc[i]);
    for (int i = 0; i < 9; i++)
        gc((uint8_t)i, r->gc[i]);
    for (int i = 0; i < 5; i++)
        attr((uint8_t)(0x10 + i), r->attr[i]);
}

/* 80x25 text, 8-dot characters on the 25 MHz clock, 16 scan lines a
 * row, 82 characters from one row to the next (CR13 = 41), shown from
 * row 1, column 1 (start address 83 = 53h), the cursor on scan lines
 * 3-12 at row 13, column 41 of memory (83 + 12 * 82 + 40 = 453h), row
 * 12, column 40 of the screen; odd/even at B8000h. AR10 04h: blink off (bit 3),
 * so attribute bit 7 is the background's intensity; AR14 04h: colour select
 * bits 7-6 = 01, the palette registers give DAC entries 40h-7Fh. */
static const struct vga_regs mode_text = {
    0x63,
    { 0x01, 0x03, 0x04, 0x02 },
    { 0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00,
      0x4f, 0x03, 0x0c, 0x00, 0x53, 0x04, 0x53, 0x9c, 0x0e,
      0x8f, 0x29, 0x1f, 0x96, 0xb9, 0xa3, 0xff },
    { 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0e, 0x00, 0xff },
    { 0x04, 0x00, 0x0f, 0x00, 0x04 },
};

/* Mode 13h: 320x200, 256 colours, chain 4, doubleword addressing, every
 * row scanned twice (CR09 = 41h). */
static const struct vga_regs mode_13h = {
    0x63,
    { 0x01, 0x0f, 0x00, 0x0e },
    { 0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0xbf, 0x1f, 0x00,
      0x41, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9c, 0x0e,
      0x8f, 0x28, 0x40, 0x96, 0xb9, 0xa3, 0xff },
    { 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0f, 0xff },
    { 0x41, 0x00, 0x0f, 0x00, 0x00 },
};

/* The DAC components both renderers widen alike (see the top). */
static const uint8_t level[16] = { 0,  2,  4,  6,  8,  10, 12, 14,
                                   49, 51, 53, 55, 57, 59, 61, 63 };

/* Entry i of the text screen's palette and of the 256-colour one. */
static void text_colour(int i, uint8_t rgb[3])
{
    rgb[0] = level[(i * 7 + 1) & 15];
    rgb[1] = level[(i >> 2 ^ i * 3) & 15];
    rgb[2] = level[(i * 5 + (i >> 4)) & 15];
}

static void vga256_colour(int i, uint8_t rgb[3])
{
    rgb[0] = level[i & 15];
    rgb[1] = level[i >> 4];
    rgb[2] = level[(i ^ i >> 4 ^ 9) & 15];
}

static void set_dac(void (*colour)(int, uint8_t[3]))
{
    outb(0x3c6, 0xff);
    outb(0x3c8, 0);
    for (int i = 0; i < 256; i++) {
        uint8_t rgb[3];
        colour(i, rgb);
        for (int k = 0; k < 3; k++)
            outb(0x3c9, rgb[k]);
    }
}

/* ---- the keyboard: the harness's go-ahead ---- */

static void drain_keyboard(void)
{
    while (inb(0x64) & 1)
        (void)inb(0x60);
}

/* Until a key's make code: set 1 (translated) break codes have bit 7
 * set, set 2's follow F0h. */
static void wait_key(void)
{
    bool brk = false;
    for (;;) {
        if (!(inb(0x64) & 1))
            continue;
        uint8_t b = inb(0x60);
        if (b == 0xf0)
            brk = true;
        else if (brk || (b & 0x80))
            brk = false;
        else
            return;
    }
}

static void step(int n, const char *name)
{
    rt_printf("step %d %s ready\n", n, name);
    wait_key();
}

/* ---- 1: text ---- */

/* Glyph row r (0-15) of character c in the two fonts: map 0 (attribute
 * bit 3 clear) an asymmetric pattern from c's bits, map 1 a frame with
 * c's low nibble as a bar of its own. Rows 16-31 stay blank. */
static uint8_t glyph0(int c, int r)
{
    uint8_t b = (uint8_t)(c << (r & 7) | c >> (8 - (r & 7)));
    if (r >= 8)
        b = (uint8_t)~b;
    return (uint8_t)(b & (0xff << (r % 3)));
}

static uint8_t glyph1(int c, int r)
{
    if (r == 0 || r == 15)
        return 0xff;
    if (r == 1 || r == 14)
        return 0x81;
    return (uint8_t)(0x81 | ((c >> (r & 3)) & 1 ? 0x3c : 0x00) |
                     (r - 2 == (c & 15) % 12 ? 0x7e : 0x00));
}

/* B0h-BFh without the eighth dot (see the top). */
static uint8_t glyph(int map, int c, int r)
{
    uint8_t b = map ? glyph1(c, r) : glyph0(c, r);
    return c >= 0xb0 && c <= 0xbf ? (uint8_t)(b & 0xfe) : b;
}

static void draw_text(void)
{
    set_regs(&mode_text);
    /* the attribute palette: 4-bit colour i -> 6 bits, distinct */
    for (int i = 0; i < 16; i++)
        attr((uint8_t)i, (uint8_t)((i * 11 + 5) & 0x3f));
    attr_done();
    set_dac(text_colour);

    /* The fonts, written to plane 2 alone, sequentially: map 0 at 0,
     * map 1 at 16 KiB (SR03 = 04h: map A = 1, map B = 0). */
    volatile uint8_t *win = (volatile uint8_t *)0xa0000;
    seq(0x02, 0x04);
    seq(0x04, 0x06);
    gc(0x04, 0x02);
    gc(0x05, 0x00);
    gc(0x06, 0x04);
    for (int c = 0; c < 256; c++)
        for (int r = 0; r < 32; r++) {
            win[c * 32 + r] = r < 16 ? glyph(0, c, r) : 0;
            win[0x4000 + c * 32 + r] = r < 16 ? glyph(1, c, r) : 0;
        }
    seq(0x02, 0x03);
    seq(0x04, 0x02);
    gc(0x04, 0x00);
    gc(0x05, 0x10);
    gc(0x06, 0x0e);

    /* 27 rows of 82: every character and every attribute; the cursor's
     * cell is blank, colour 6 on colour 1, in the first font. */
    volatile uint16_t *text = (volatile uint16_t *)0xb8000;
    for (int r = 0; r < 27; r++)
        for (int c = 0; c < 82; c++) {
            uint8_t ch = (uint8_t)(r * 80 + c);
            uint8_t at = (uint8_t)(r * 13 + c * 7);
            text[r * 82 + c] = (uint16_t)(at << 8 | ch);
        }
    text[13 * 82 + 41] = 0x1600;
}

/* The same screen in 9-dot characters on the 28 MHz clock, line
 * graphics on. */
static void text9(void)
{
    seq(0x00, 0x01);
    outb(0x3c2, 0x67);
    seq(0x01, 0x00);
    seq(0x00, 0x03);
    attr(0x10, 0x04);
    attr(0x13, 0x08); /* no panning: 8 is a shift of 0 in 9-dot text */
    attr_done();
}

/* ---- 2: mode 13h ---- */

/* 16x16 blocks of 20x12 showing every colour, a gradient in the eight
 * rows below, a diagonal line of colour FFh. */
static uint8_t pattern_13h(int x, int y)
{
    if (y >= 192)
        return (uint8_t)(x * 256 / 320 + (y - 192) * 3);
    if (x == y || x == 319 - y)
        return 0xff;
    return (uint8_t)(y / 12 * 16 + x / 20);
}

static void draw_13h(void)
{
    set_regs(&mode_13h);
    for (int i = 0; i < 16; i++)
        attr((uint8_t)i, (uint8_t)i);
    attr_done();
    set_dac(vga256_colour);
    volatile uint8_t *fb = (volatile uint8_t *)0xa0000;
    for (int y = 0; y < 200; y++)
        for (int x = 0; x < 320; x++)
            fb[y * 320 + x] = pattern_13h(x, y);
}

/* ---- 3: mode X ---- */

#define X_PAGE 0x4b00 /* 320 * 240 / 4: the second page */

static uint8_t pattern_x(int x, int y)
{
    int dx = x - 160, dy = y - 120;
    if (dx * dx + dy * dy < 90 * 90)
        return (uint8_t)((dx * dx + dy * dy) / 32 + 16);
    return (uint8_t)(x / 4 * 3 + y);
}

static void draw_x(void)
{
    /* From mode 13h: chain 4 off, byte addressing, then 480 lines at
     * 60 Hz (the 25 MHz clock, negative syncs) of which CR09's two scan
     * lines a row make 240. Line compare 399 (18Fh: CR18 8Fh, bit 8 in
     * CR07 bit 4, bit 9 in CR09 bit 6 clear): from scan line 400, row
     * 200, the picture starts again at address 0. */
    seq(0x04, 0x06);
    crtc(0x14, 0x00);
    crtc(0x17, 0xe3);
    seq(0x00, 0x01);
    outb(0x3c2, 0xe3);
    seq(0x00, 0x03);
    crtc(0x11, 0x2c);
    static const uint8_t t[][2] = { { 0x06, 0x0d }, { 0x07, 0x3e },
                                    { 0x10, 0xea }, { 0x11, 0xac },
                                    { 0x12, 0xdf }, { 0x15, 0xe7 },
                                    { 0x16, 0x06 }, { 0x18, 0x8f },
                                    { 0x09, 0x01 } };
    for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        crtc(t[i][0], t[i][1]);

    /* Every plane at once: the first page stripes, the second a
     * background of 4-pixel bars. */
    volatile uint8_t *fb = (volatile uint8_t *)0xa0000;
    seq(0x02, 0x0f);
    for (int i = 0; i < X_PAGE; i++)
        fb[i] = (uint8_t)(i / 80 % 5 * 40 + 0x11);
    for (int i = 0; i < X_PAGE; i++)
        fb[X_PAGE + i] = (uint8_t)(i % 80 + (i / 80) / 8 * 8);
    /* One plane at a time: the pattern's pixels x with x % 4 == p. */
    for (int p = 0; p < 4; p++) {
        seq(0x02, (uint8_t)(1 << p));
        for (int y = 16; y < 224; y++)
            for (int x = 32 + p; x < 288; x += 4)
                fb[X_PAGE + y * 80 + x / 4] = pattern_x(x, y);
    }
    crtc(0x0c, X_PAGE >> 8);
    crtc(0x0d, X_PAGE & 0xff);
}

/* ---- 4: VBE ---- */

enum {
    DISPI_XRES = 1,
    DISPI_YRES,
    DISPI_BPP,
    DISPI_ENABLE,
    DISPI_BANK,
    DISPI_VIRT_WIDTH,
    DISPI_VIRT_HEIGHT,
    DISPI_X_OFFSET,
    DISPI_Y_OFFSET
};
#define VIRT_W 800
#define VIRT_H 500

static void dispi(int i, uint16_t v)
{
    outw(0x1ce, (uint16_t)i);
    outw(0x1cf, v);
}

/* The linear framebuffer: BAR 0 of the PCI VGA (1234:1111) on bus 0, as
 * the firmware assigned it, or the ISA VGA's fixed address. */
static volatile uint32_t *find_lfb(void)
{
    for (uint32_t dev = 0; dev < 32; dev++) {
        outl(0xcf8, 0x80000000u | dev << 11);
        if (inl(0xcfc) == 0x11111234u) {
            outl(0xcf8, 0x80000000u | dev << 11 | 0x10);
            return (volatile uint32_t *)(inl(0xcfc) & ~0xfu);
        }
    }
    return (volatile uint32_t *)0xe0000000u;
}

static uint32_t pattern_vbe(int x, int y)
{
    if (x == 0 || y == 0 || x == 639 || y == 479)
        return 0xffffff;
    uint32_t r = (uint32_t)(x * 255 / 639), g = (uint32_t)(y * 255 / 479);
    uint32_t b = ((x >> 5) ^ (y >> 5)) & 1 ? 0xff : 0x40;
    /* the fourth byte is not shown */
    return 0xa5000000u | r << 16 | g << 8 | b;
}

static void draw_vbe(void)
{
    volatile uint32_t *lfb = find_lfb();
    dispi(DISPI_ENABLE, 0);
    dispi(DISPI_XRES, 640);
    dispi(DISPI_YRES, 480);
    dispi(DISPI_BPP, 32);
    dispi(DISPI_ENABLE, 0x41); /* enabled, linear framebuffer */
    dispi(DISPI_VIRT_WIDTH, VIRT_W);
    dispi(DISPI_X_OFFSET, 16);
    dispi(DISPI_Y_OFFSET, 8);
    /* red outside the part shown */
    for (int i = 0; i < VIRT_W * VIRT_H; i++)
        lfb[i] = 0xff0000;
    for (int y = 0; y < 480; y++)
        for (int x = 0; x < 640; x++)
            lfb[(y + 8) * VIRT_W + x + 16] = pattern_vbe(x, y);
}

int main(void)
{
    drain_keyboard();
    draw_text();
    step(1, "text");
    text9();
    step(2, "text9");
    draw_13h();
    step(3, "13h");
    draw_x();
    step(4, "modex");
    draw_vbe();
    step(5, "vbe");
    rt_printf("done\n");
    return 0;
}
