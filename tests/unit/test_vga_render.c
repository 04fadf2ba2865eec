/*
 * test_vga_render.c - unit tests of the VGA's picture (devices/
 * vga_render.c): known screens rendered and checked pixel by pixel, and
 * the dirty rows reported between calls.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "bios/bios.h"
#include "bios/rom.h"
#include "devices/vga.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"
#include "tests/unit/vga_fixture.h"

static struct vga_frame fr;

/* The EGA palette as the default DAC gives it, 8 bits a component. */
#define BLACK 0x000000u
#define BLUE 0x0000aau
#define LIGHTGREY 0xaaaaaau
#define YELLOW 0xffff55u
#define WHITE 0xffffffu

static void seq_set(int i, uint8_t v)
{
    outb(0x3c4, (uint8_t)i);
    outb(0x3c5, v);
}
static void ar_set(int i, uint8_t v)
{
    (void)inb(0x3da);
    outb(0x3c0, (uint8_t)(i | 0x20));
    outb(0x3c0, v);
}

static void put_char(int row, int col, uint8_t ch, uint8_t attr)
{
    uint32_t a = 0xb8000 + (uint32_t)(row * 80 + col) * 2;
    poke(a, ch);
    poke(a + 1, attr);
}

/* Glyph of character c in font map n: scan line i is pattern[i % 4]. */
static void load_glyph(int map, uint8_t c, const uint8_t pattern[4])
{
    uint8_t *p2 = vga_plane(vga, 2);
    uint32_t base =
        (uint32_t)(map & 3) * 0x4000 + (uint32_t)(map >> 2) * 0x2000;
    for (int i = 0; i < 32; i++)
        p2[base + (uint32_t)c * 32 + (uint32_t)i] = pattern[i % 4];
}

static uint32_t px(int x, int y)
{
    ck_assert_int_lt(x, fr.width);
    ck_assert_int_lt(y, fr.height);
    return fr.pixels[(size_t)y * (size_t)fr.width + (size_t)x];
}

static void render(uint64_t now) { vga_render(vga, now, &fr); }

static void setup(void)
{
    vga_fixture_setup();
    memset(&fr, 0, sizeof(fr));
}

/* With the built-in video BIOS, which sets the graphics modes. */
static void setup_bios(void)
{
    setup();
    vga_fixture_add_bios();
}

static const uint8_t left_half[4] = { 0xf0, 0xf0, 0xf0, 0xf0 };
static const uint8_t stripes[4] = { 0xff, 0x00, 0xff, 0x00 };
static const uint8_t right_dot[4] = { 0x01, 0x01, 0x01, 0x01 };

START_TEST(test_text_mode3)
{
    load_glyph(0, 'A', left_half);
    put_char(0, 0, 'A', 0x1e); /* yellow on blue */
    put_char(2, 3, 'A', 0x07);
    crtc_set(0x0e, 0x07); /* the cursor far away */
    crtc_set(0x0f, 0xd0);
    render(0);
    ck_assert_int_eq(fr.width, 720);
    ck_assert_int_eq(fr.height, 400);
    ck_assert_int_eq(fr.dirty_y0, 0);
    ck_assert_int_eq(fr.dirty_y1, 400);
    for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 4; x++)
            ck_assert_uint_eq(px(x, y), YELLOW);
        for (int x = 4; x < 9; x++)
            ck_assert_uint_eq(px(x, y), BLUE);
    }
    ck_assert_uint_eq(px(9, 0), BLACK); /* a blank cell */
    ck_assert_uint_eq(px(27, 32), LIGHTGREY);
    ck_assert_uint_eq(px(31, 47), BLACK);
    ck_assert_uint_eq(px(26, 32), BLACK);
    /* Nothing written: nothing dirty, the same picture. */
    render(1000);
    ck_assert_int_eq(fr.dirty_y0, fr.dirty_y1);
    ck_assert_uint_eq(px(0, 0), YELLOW);
    /* One character written: its 16 rows. */
    put_char(10, 10, 'A', 0x0f);
    render(2000);
    ck_assert_int_eq(fr.dirty_y0, 160);
    ck_assert_int_eq(fr.dirty_y1, 176);
    ck_assert_uint_eq(px(90, 165), WHITE);
    /* A caller that rendered out of turn (a screendump) took those rows:
     * after vga_render_invalidate the next call reports every row. */
    put_char(20, 0, 'A', 0x0f);
    render(3000);
    vga_render_invalidate(vga);
    render(4000);
    ck_assert_int_eq(fr.dirty_y0, 0);
    ck_assert_int_eq(fr.dirty_y1, 400);
    render(5000);
    ck_assert_int_eq(fr.dirty_y0, fr.dirty_y1);
}
END_TEST

START_TEST(test_text_palette_dac_and_mask)
{
    load_glyph(0, 'A', left_half);
    put_char(0, 0, 'A', 0x01);
    ar_set(0x01, 0x3f); /* colour 1 -> DAC 3Fh */
    outb(0x3c8, 0x3f);
    outb(0x3c9, 0x3f);
    outb(0x3c9, 0x20);
    outb(0x3c9, 0x01);
    render(0);
    ck_assert_uint_eq(px(0, 0), 0xff8204u);
    outb(0x3c6, 0x0f); /* the PEL mask: DAC 0Fh, EGA colour 0Fh */
    render(0);
    ck_assert_uint_eq(px(0, 0), 0xaaaaffu);
    ck_assert_int_eq(fr.dirty_y0, 0);
    ck_assert_int_eq(fr.dirty_y1, 16);
}
END_TEST

START_TEST(test_text_8dot_and_line_graphics)
{
    load_glyph(0, 0xc4, right_dot);
    load_glyph(0, 'x', right_dot);
    put_char(0, 0, 0xc4, 0x07);
    put_char(0, 1, 'x', 0x07);
    render(0);
    ck_assert_uint_eq(px(7, 0), LIGHTGREY);
    ck_assert_uint_eq(px(8, 0), LIGHTGREY); /* line graphics: repeated */
    ck_assert_uint_eq(px(16, 0), LIGHTGREY);
    ck_assert_uint_eq(px(17, 0), BLACK); /* others: background */
    ar_set(0x10, 0x08);                  /* line graphics off */
    render(0);
    ck_assert_uint_eq(px(8, 0), BLACK);
    seq_set(1, 0x01); /* 8-dot cells */
    render(0);
    ck_assert_int_eq(fr.width, 640);
    ck_assert_uint_eq(px(7, 0), LIGHTGREY);
    ck_assert_uint_eq(px(8, 0), BLACK);
    ck_assert_uint_eq(px(15, 0), LIGHTGREY);
}
END_TEST

START_TEST(test_text_char_map_select)
{
    load_glyph(0, 'A', left_half);
    load_glyph(5, 'A', stripes);
    put_char(0, 0, 'A', 0x07);
    put_char(0, 1, 'A', 0x0f); /* attribute bit 3 */
    seq_set(3, 0x24);          /* map A = 5, map B = 0 */
    render(0);
    ck_assert_uint_eq(px(0, 0), LIGHTGREY);
    ck_assert_uint_eq(px(5, 0), BLACK);
    ck_assert_uint_eq(px(9, 0), WHITE);
    ck_assert_uint_eq(px(14, 0), WHITE);
    ck_assert_uint_eq(px(9, 1), BLACK);
}
END_TEST

START_TEST(test_text_blink_and_cursor)
{
    load_glyph(0, 'A', left_half);
    put_char(0, 0, 'A', 0x9e); /* blinking yellow on blue */
    crtc_set(0x0a, 14);
    crtc_set(0x0b, 15);
    crtc_set(0x0e, 0);
    crtc_set(0x0f, 1);               /* the cursor at (0, 1) */
    int64_t frame = 1000000000 / 70; /* about 70 Hz */
    render(0);
    ck_assert_uint_eq(px(0, 0), YELLOW);
    ck_assert_uint_eq(px(5, 0), BLUE);       /* bit 7 is blink, not bright */
    ck_assert_uint_eq(px(9, 14), LIGHTGREY); /* cursor on, attr 07h */
    ck_assert_uint_eq(px(9, 13), BLACK);
    /* all nine dots, though ' ' is no line-graphics character */
    ck_assert_uint_eq(px(17, 14), LIGHTGREY);
    ck_assert_uint_eq(px(17, 13), BLACK);
    ck_assert_uint_eq(px(18, 14), BLACK);
    render((uint64_t)frame * 12); /* cursor off, characters on */
    ck_assert_uint_eq(px(9, 14), BLACK);
    ck_assert_uint_eq(px(0, 0), YELLOW);
    ck_assert_int_eq(fr.dirty_y0, 14);
    ck_assert_int_eq(fr.dirty_y1, 16);
    render((uint64_t)frame * 20); /* blinking characters off */
    ck_assert_uint_eq(px(0, 0), BLUE);
    ar_set(0x10, 0x04); /* blink off: bit 7 is background intensity */
    render((uint64_t)frame * 20);
    ck_assert_uint_eq(px(5, 0), 0x5555ffu);
    ck_assert_uint_eq(px(0, 0), YELLOW);
}
END_TEST

START_TEST(test_text_start_address_and_offset)
{
    load_glyph(0, 'A', left_half);
    put_char(1, 0, 'A', 0x07);
    crtc_set(0x0c, 0);
    crtc_set(0x0d, 80); /* one row down */
    render(0);
    ck_assert_uint_eq(px(0, 0), LIGHTGREY);
    ck_assert_uint_eq(px(0, 16), BLACK);
    crtc_set(0x0d, 0);
    crtc_set(0x13, 0x14); /* 40 words a row: cell 80 is row 2 */
    render(0);
    ck_assert_uint_eq(px(0, 32), LIGHTGREY);
}
END_TEST

START_TEST(test_screen_off)
{
    load_glyph(0, 'A', left_half);
    put_char(0, 0, 'A', 0x07);
    seq_set(1, 0x20); /* screen off, 9 dots */
    render(0);
    ck_assert_int_eq(fr.width, 720);
    ck_assert_uint_eq(px(0, 0), BLACK);
}
END_TEST

static void set_mode(uint8_t mode)
{
    struct bios_regs r = { .eax = mode };
    ck_assert_int_eq(bios_int10(&bios, &r), BIOS_STATUS_DONE);
}

static void dac_set(uint8_t i, uint8_t r, uint8_t g, uint8_t b)
{
    outb(0x3c8, i);
    outb(0x3c9, r);
    outb(0x3c9, g);
    outb(0x3c9, b);
}

START_TEST(test_mode13)
{
    set_mode(0x13);
    dac_set(0x42, 0x3f, 0x00, 0x10);
    dac_set(0x02, 0x00, 0x3f, 0x00);
    poke(0xa0000 + 5 * 320 + 7, 0x42);
    poke(0xa0000 + 199 * 320 + 319, 0x42);
    render(0);
    ck_assert_int_eq(fr.width, 320);
    ck_assert_int_eq(fr.height, 200);
    ck_assert_uint_eq(px(7, 5), 0xff0041u);
    ck_assert_uint_eq(px(6, 5), BLACK);
    ck_assert_uint_eq(px(8, 5), BLACK);
    ck_assert_uint_eq(px(7, 4), BLACK);
    ck_assert_uint_eq(px(319, 199), 0xff0041u);
    /* Dirty rows: one pixel written, its row. */
    poke(0xa0000 + 100 * 320 + 1, 0x42);
    render(0);
    ck_assert_int_eq(fr.dirty_y0, 100);
    ck_assert_int_eq(fr.dirty_y1, 101);
    render(0);
    ck_assert_int_eq(fr.dirty_y0, fr.dirty_y1);
    /* The PEL mask: 42h & 0Fh = 02h. */
    outb(0x3c6, 0x0f);
    render(0);
    ck_assert_uint_eq(px(7, 5), 0x00ff00u);
    outb(0x3c6, 0xff);
    /* The start address in doublewords: 80 is one line down. */
    crtc_set(0x0c, 0);
    crtc_set(0x0d, 80);
    render(0);
    ck_assert_uint_eq(px(7, 4), 0xff0041u);
    ck_assert_uint_eq(px(7, 5), BLACK);
}
END_TEST

START_TEST(test_mode_x)
{
    set_mode(0x13);
    dac_set(0x42, 0x3f, 0x3f, 0x3f);
    /* Unchained, byte mode, 480 lines of two scan lines a row. */
    seq_set(4, 0x06);
    crtc_set(0x14, 0x00);
    crtc_set(0x17, 0xe3);
    crtc_set(0x11, 0x2c); /* unprotect CR00-07 */
    crtc_set(0x06, 0x0d);
    crtc_set(0x07, 0x3e);
    crtc_set(0x09, 0x41);
    crtc_set(0x10, 0xea);
    crtc_set(0x11, 0xac);
    crtc_set(0x12, 0xdf);
    crtc_set(0x15, 0xe7);
    crtc_set(0x16, 0x06);
    /* Pixel (x, y) is plane x & 3 at address y * 80 + x / 4. */
    int x = 13, y = 230;
    seq_set(2, (uint8_t)(1 << (x & 3)));
    poke(0xa0000 + (uint32_t)(y * 80 + x / 4), 0x42);
    render(0);
    ck_assert_int_eq(fr.width, 320);
    ck_assert_int_eq(fr.height, 240);
    ck_assert_uint_eq(px(x, y), WHITE);
    ck_assert_uint_eq(px(x - 1, y), BLACK);
    ck_assert_uint_eq(px(x + 1, y), BLACK);
    ck_assert_uint_eq(px(x, y - 1), BLACK);
    /* Page flipping: the start address in bytes (second page at 19200). */
    seq_set(2, 0x0f);
    poke(0xa0000 + 19200 + 2, 0x42);
    crtc_set(0x0c, 19200 >> 8);
    crtc_set(0x0d, 19200 & 0xff);
    render(0);
    for (int i = 8; i < 12; i++)
        ck_assert_uint_eq(px(i, 0), WHITE);
    ck_assert_uint_eq(px(x, y), BLACK);
}
END_TEST

/* A 16-colour pixel: colour c at (x, y) of a planar mode `bpl` bytes a
 * line, through the map mask. */
static void planar_pixel(int bpl, int x, int y, uint8_t c)
{
    seq_set(2, c);
    poke(0xa0000 + (uint32_t)(y * bpl + x / 8), (uint8_t)(0x80 >> (x & 7)));
    seq_set(2, 0x0f);
}

START_TEST(test_mode12_and_split)
{
    set_mode(0x12);
    planar_pixel(80, 9, 3, 0x05);
    planar_pixel(80, 639, 479, 0x0e);
    render(0);
    ck_assert_int_eq(fr.width, 640);
    ck_assert_int_eq(fr.height, 480);
    ck_assert_uint_eq(px(9, 3), 0xaa00aau);
    ck_assert_uint_eq(px(8, 3), BLACK);
    ck_assert_uint_eq(px(10, 3), BLACK);
    ck_assert_uint_eq(px(639, 479), YELLOW);
    /* The colour plane enable drops plane 2: magenta becomes blue. */
    ar_set(0x12, 0x0b);
    render(0);
    ck_assert_uint_eq(px(9, 3), BLUE);
    ar_set(0x12, 0x0f);
    /* Pixel panning by 1 (AR13). */
    ar_set(0x13, 1);
    render(0);
    ck_assert_uint_eq(px(8, 3), 0xaa00aau);
    ar_set(0x13, 0);
    /* A split screen: start at line 100, line compare at 9; lines from
     * 10 on show memory from address 0. */
    crtc_set(0x0c, (100 * 80) >> 8);
    crtc_set(0x0d, (100 * 80) & 0xff);
    crtc_set(0x18, 9);
    crtc_set(0x11, 0x0c);
    crtc_set(0x07, 0x2e); /* CR07 bit 4 clear: line compare bit 8 */
    crtc_set(0x09, 0x00); /* bit 6 clear: bit 9 */
    planar_pixel(80, 20, 100, 0x0f);
    render(0);
    ck_assert_uint_eq(px(20, 0), WHITE);
    ck_assert_uint_eq(px(9, 3), BLACK);
    ck_assert_uint_eq(px(9, 13), 0xaa00aau);
}
END_TEST

START_TEST(test_mode0d)
{
    set_mode(0x0d);
    ar_set(9, 0x39); /* light blue (the mode's own palette says 11h) */
    planar_pixel(40, 319, 199, 0x09);
    planar_pixel(40, 0, 0, 0x04);
    render(0);
    ck_assert_int_eq(fr.width, 320);  /* dot clock / 2 undone */
    ck_assert_int_eq(fr.height, 200); /* double scanning undone */
    ck_assert_uint_eq(px(319, 199), 0x5555ffu);
    ck_assert_uint_eq(px(0, 0), 0xaa0000u);
    ck_assert_uint_eq(px(0, 1), BLACK);
}
END_TEST

/* CGA layouts: even lines at B8000h, odd at BA000h, 80 bytes a line. */
static uint32_t cga_addr(int y)
{
    return 0xb8000 + (uint32_t)(y / 2) * 80 + (uint32_t)(y & 1) * 0x2000;
}

START_TEST(test_mode04_cga4)
{
    set_mode(0x04);
    ar_set(1, 0x3f);
    ar_set(2, 0x04);
    ar_set(3, 0x01);
    poke(cga_addr(0), 0x1b);      /* pixels 0-3: 0, 1, 2, 3 */
    poke(cga_addr(1) + 79, 0xc0); /* pixel 316 of line 1: 3 */
    render(0);
    ck_assert_int_eq(fr.width, 320);
    ck_assert_int_eq(fr.height, 200);
    ck_assert_uint_eq(px(0, 0), BLACK);
    ck_assert_uint_eq(px(1, 0), WHITE);
    ck_assert_uint_eq(px(2, 0), 0xaa0000u);
    ck_assert_uint_eq(px(3, 0), BLUE);
    ck_assert_uint_eq(px(316, 1), BLUE);
    ck_assert_uint_eq(px(317, 1), BLACK);
    ck_assert_uint_eq(px(316, 0), BLACK);
}
END_TEST

START_TEST(test_mode06_cga2)
{
    set_mode(0x06);
    ar_set(1, 0x3f);
    poke(cga_addr(3) + 2, 0x81); /* pixels 16 and 23 of line 3 */
    render(0);
    ck_assert_int_eq(fr.width, 640);
    ck_assert_int_eq(fr.height, 200);
    ck_assert_uint_eq(px(16, 3), WHITE);
    ck_assert_uint_eq(px(23, 3), WHITE);
    ck_assert_uint_eq(px(17, 3), BLACK);
    ck_assert_uint_eq(px(16, 2), BLACK);
    ck_assert_uint_eq(px(16, 4), BLACK);
}
END_TEST

static void dispi(int index, uint16_t v)
{
    io_write(io, MEM_ATTRS_NONE, 0x1ce, (uint16_t)index, 2);
    io_write(io, MEM_ATTRS_NONE, 0x1cf, v, 2);
}
static uint16_t dispi_get(int index)
{
    io_write(io, MEM_ATTRS_NONE, 0x1ce, (uint16_t)index, 2);
    return (uint16_t)io_read(io, MEM_ATTRS_NONE, 0x1cf, 2);
}

static void vbe_mode(int w, int h, int bpp)
{
    dispi(VGA_DISPI_ENABLE, 0);
    dispi(VGA_DISPI_XRES, (uint16_t)w);
    dispi(VGA_DISPI_YRES, (uint16_t)h);
    dispi(VGA_DISPI_BPP, (uint16_t)bpp);
    dispi(VGA_DISPI_ENABLE, VGA_DISPI_ENABLED | VGA_DISPI_LFB_ENABLED);
}

static void lfb_write(uint32_t off, uint64_t v, unsigned size)
{
    const struct mem_section *sec = mem_lookup(mem, VGA_VBE_LFB_BASE + off);
    ck_assert_ptr_nonnull(sec);
    mem_section_write(sec, MEM_ATTRS_NONE, VGA_VBE_LFB_BASE + off, v, size);
}

START_TEST(test_vbe_32bpp_and_dirty_rows)
{
    vbe_mode(1024, 768, 32);
    ck_assert_uint_eq(dispi_get(VGA_DISPI_VIRT_WIDTH), 1024);
    ck_assert_uint_eq(dispi_get(VGA_DISPI_VIRT_HEIGHT), 4096);
    lfb_write((10 * 1024 + 20) * 4, 0x00123456, 4);
    lfb_write((767 * 1024 + 1023) * 4, 0x00ffffff, 4);
    render(0);
    ck_assert_int_eq(fr.width, 1024);
    ck_assert_int_eq(fr.height, 768);
    ck_assert_int_eq(fr.dirty_y0, 0);
    ck_assert_int_eq(fr.dirty_y1, 768);
    ck_assert_uint_eq(px(20, 10), 0x123456u);
    ck_assert_uint_eq(px(21, 10), BLACK);
    ck_assert_uint_eq(px(1023, 767), WHITE);
    render(0);
    ck_assert_int_eq(fr.dirty_y0, fr.dirty_y1);
    /* Two rows written through the linear framebuffer: those rows. */
    lfb_write((300 * 1024 + 5) * 4, 0x00ff0000, 4);
    lfb_write((302 * 1024 + 5) * 4, 0x0000ff00, 4);
    render(0);
    ck_assert_int_eq(fr.dirty_y0, 300);
    ck_assert_int_eq(fr.dirty_y1, 303);
    ck_assert_uint_eq(px(5, 300), 0xff0000u);
    ck_assert_uint_eq(px(5, 302), 0x00ff00u);
    /* The same value again: the page is dirty but no row changed. */
    lfb_write((302 * 1024 + 5) * 4, 0x0000ff00, 4);
    render(0);
    ck_assert_int_eq(fr.dirty_y0, fr.dirty_y1);
    /* The display start: Y_OFFSET 10, X_OFFSET 20. */
    dispi(VGA_DISPI_Y_OFFSET, 10);
    dispi(VGA_DISPI_X_OFFSET, 0); /* X beyond VIRT_WIDTH - XRES is 0 */
    render(0);
    ck_assert_uint_eq(px(20, 0), 0x123456u);
    dispi(VGA_DISPI_VIRT_WIDTH, 2048);
    ck_assert_uint_eq(dispi_get(VGA_DISPI_VIRT_HEIGHT), 2048);
    dispi(VGA_DISPI_X_OFFSET, 20);
    dispi(VGA_DISPI_Y_OFFSET, 5);
    lfb_write((5 * 2048 + 20) * 4, 0x00abcdef, 4);
    render(0);
    ck_assert_uint_eq(px(0, 0), 0xabcdefu);
}
END_TEST

START_TEST(test_vbe_depths_and_bank)
{
    vbe_mode(640, 480, 16);
    lfb_write(0, 0xf800, 2);       /* red */
    lfb_write(2, 0x07e0, 2);       /* green */
    lfb_write(640 * 2, 0x001f, 2); /* blue, line 1 */
    render(0);
    ck_assert_int_eq(fr.width, 640);
    ck_assert_uint_eq(px(0, 0), 0xff0000u);
    ck_assert_uint_eq(px(1, 0), 0x00ff00u);
    ck_assert_uint_eq(px(0, 1), 0x0000ffu);
    vbe_mode(800, 600, 15);
    lfb_write(0, 0x7c00, 2);
    render(0);
    ck_assert_int_eq(fr.width, 800);
    ck_assert_uint_eq(px(0, 0), 0xff0000u);
    ck_assert_uint_eq(px(1, 0), BLACK); /* cleared by the mode set */
    vbe_mode(640, 480, 24);
    /* Bank 1 through the A0000h window: pixel 21846 starts at 65538. */
    dispi(VGA_DISPI_BANK, 1);
    poke(0xa0002, 0x11);
    poke(0xa0003, 0x22);
    poke(0xa0004, 0x33);
    render(0);
    ck_assert_uint_eq(px(21846 % 640, 21846 / 640), 0x332211u);
    vbe_mode(320, 200, 8);
    dac_set(7, 0x3f, 0, 0);
    lfb_write(3, 7, 1);
    render(0);
    ck_assert_uint_eq(px(3, 0), 0xff0000u);
    /* Off again: the VGA's picture. */
    dispi(VGA_DISPI_ENABLE, 0);
    render(0);
    ck_assert_int_eq(fr.width, 720);
}
END_TEST

START_TEST(test_vbe_registers)
{
    ck_assert_uint_eq(dispi_get(VGA_DISPI_ID), 0xb0c5);
    dispi(VGA_DISPI_ID, 0xb0c2);
    ck_assert_uint_eq(dispi_get(VGA_DISPI_ID), 0xb0c2);
    dispi(VGA_DISPI_ID, 0x1234);
    ck_assert_uint_eq(dispi_get(VGA_DISPI_ID), 0xb0c2);
    ck_assert_uint_eq(dispi_get(VGA_DISPI_VIDEO_MEMORY_64K), 256);
    dispi(VGA_DISPI_ENABLE, VGA_DISPI_GETCAPS);
    ck_assert_uint_eq(dispi_get(VGA_DISPI_XRES), VGA_VBE_MAX_XRES);
    ck_assert_uint_eq(dispi_get(VGA_DISPI_BPP), 32);
    /* Too big: clipped; the width rounded down to 8 pixels. */
    dispi(VGA_DISPI_ENABLE, 0);
    dispi(VGA_DISPI_XRES, 5000);
    dispi(VGA_DISPI_YRES, 1080);
    dispi(VGA_DISPI_BPP, 33);
    dispi(VGA_DISPI_ENABLE, VGA_DISPI_ENABLED);
    ck_assert_uint_eq(dispi_get(VGA_DISPI_XRES), VGA_VBE_MAX_XRES);
    ck_assert_uint_eq(dispi_get(VGA_DISPI_BPP), 8);
    /* Locked while on. */
    dispi(VGA_DISPI_XRES, 640);
    ck_assert_uint_eq(dispi_get(VGA_DISPI_XRES), VGA_VBE_MAX_XRES);
    /* A bank past the memory is refused; the window then still works. */
    dispi(VGA_DISPI_BANK, 300);
    ck_assert_uint_eq(dispi_get(VGA_DISPI_BANK), 0);
    dispi(VGA_DISPI_BANK, 255);
    poke(0xaffff, 0x5a);
    ck_assert_uint_eq(peek(0xaffff), 0x5a);
    ck_assert_uint_eq(peek(0xb8000), 0xff);
    render(0);
    ck_assert_int_eq(fr.width, 1920);
    ck_assert_int_eq(fr.height, 1080);
}
END_TEST

static Suite *vga_render_suite(void)
{
    Suite *s = suite_create("vga_render");
    TCase *tc = tcase_create("text");
    tcase_add_checked_fixture(tc, setup, vga_fixture_teardown);
    tcase_add_test(tc, test_text_mode3);
    tcase_add_test(tc, test_text_palette_dac_and_mask);
    tcase_add_test(tc, test_text_8dot_and_line_graphics);
    tcase_add_test(tc, test_text_char_map_select);
    tcase_add_test(tc, test_text_blink_and_cursor);
    tcase_add_test(tc, test_text_start_address_and_offset);
    tcase_add_test(tc, test_screen_off);
    suite_add_tcase(s, tc);
    tc = tcase_create("graphics");
    tcase_add_checked_fixture(tc, setup_bios, vga_fixture_teardown);
    tcase_add_test(tc, test_mode13);
    tcase_add_test(tc, test_mode_x);
    tcase_add_test(tc, test_mode12_and_split);
    tcase_add_test(tc, test_mode0d);
    tcase_add_test(tc, test_mode04_cga4);
    tcase_add_test(tc, test_mode06_cga2);
    suite_add_tcase(s, tc);
    tc = tcase_create("vbe");
    tcase_add_checked_fixture(tc, setup, vga_fixture_teardown);
    tcase_add_test(tc, test_vbe_32bpp_and_dirty_rows);
    tcase_add_test(tc, test_vbe_depths_and_bank);
    tcase_add_test(tc, test_vbe_registers);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(vga_render_suite)
