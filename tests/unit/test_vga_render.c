/*
 * test_vga_render.c - unit tests of the VGA's picture (devices/
 * vga_render.c): known screens rendered and checked pixel by pixel, and
 * the dirty rows reported between calls.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "devices/vga.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"

static struct memory_map *mem;
static struct io_map *io;
static struct vclock clk;
static uint64_t insns;
static struct device_bus bus;
static struct vga_state *vga;
static struct vga_frame fr;

/* The EGA palette as the default DAC gives it, 8 bits a component. */
#define BLACK 0x000000u
#define BLUE 0x0000aau
#define LIGHTGREY 0xaaaaaau
#define YELLOW 0xffff55u
#define WHITE 0xffffffu

static void outb(uint16_t port, uint8_t v)
{
    io_write(io, MEM_ATTRS_NONE, port, v, 1);
}
static uint8_t inb(uint16_t port)
{
    return (uint8_t)io_read(io, MEM_ATTRS_NONE, port, 1);
}
static void crtc_set(int i, uint8_t v)
{
    outb(0x3d4, (uint8_t)i);
    outb(0x3d5, v);
}
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

static void poke(uint32_t addr, uint8_t v)
{
    const struct mem_section *s = mem_lookup(mem, addr);
    ck_assert_ptr_nonnull(s);
    mem_section_write(s, MEM_ATTRS_NONE, addr, v, 1);
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
    uint32_t base = (uint32_t)(map & 3) * 0x4000 + (uint32_t)(map >> 2) * 0x2000;
    for (int i = 0; i < 32; i++)
        p2[base + (uint32_t)c * 32 + (uint32_t)i] = pattern[i % 4];
}

static uint32_t px(int x, int y)
{
    ck_assert_int_lt(x, fr.width);
    ck_assert_int_lt(y, fr.height);
    return fr.pixels[(size_t)y * (size_t)fr.width + (size_t)x];
}

static void render(uint64_t now)
{
    vga_render(vga, now, &fr);
}

static void setup(void)
{
    mem = calloc(1, sizeof(*mem));
    io = calloc(1, sizeof(*io));
    memory_map_init(mem);
    io_map_init(io);
    insns = 0;
    vclock_init(&clk, true, 0, &insns);
    device_bus_init(&bus, mem, io, &clk);
    vga = vga_from_device(device_create_str(&bus, "isa-vga"));
    memset(&fr, 0, sizeof(fr));
}

static void teardown(void)
{
    device_bus_destroy(&bus);
    memory_map_destroy(mem);
    free(mem);
    free(io);
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
}
END_TEST

START_TEST(test_text_palette_dac_and_mask)
{
    load_glyph(0, 'A', left_half);
    put_char(0, 0, 'A', 0x01);
    ar_set(0x01, 0x3f);           /* colour 1 -> DAC 3Fh */
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
    ck_assert_uint_eq(px(17, 0), BLACK);    /* others: background */
    ar_set(0x10, 0x08);                      /* line graphics off */
    render(0);
    ck_assert_uint_eq(px(8, 0), BLACK);
    seq_set(1, 0x01);                        /* 8-dot cells */
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
    crtc_set(0x0f, 1); /* the cursor at (0, 1) */
    int64_t frame = 1000000000 / 70; /* about 70 Hz */
    render(0);
    ck_assert_uint_eq(px(0, 0), YELLOW);
    ck_assert_uint_eq(px(5, 0), BLUE);     /* bit 7 is blink, not bright */
    ck_assert_uint_eq(px(9, 14), LIGHTGREY); /* cursor on, attr 07h */
    ck_assert_uint_eq(px(9, 13), BLACK);
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

static Suite *vga_render_suite(void)
{
    Suite *s = suite_create("vga_render");
    TCase *tc = tcase_create("text");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_text_mode3);
    tcase_add_test(tc, test_text_palette_dac_and_mask);
    tcase_add_test(tc, test_text_8dot_and_line_graphics);
    tcase_add_test(tc, test_text_char_map_select);
    tcase_add_test(tc, test_text_blink_and_cursor);
    tcase_add_test(tc, test_text_start_address_and_offset);
    tcase_add_test(tc, test_screen_off);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(vga_render_suite)
