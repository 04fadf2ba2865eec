/*
 * test_vga.c - unit tests of the VGA (devices/vga.c): the text screen as
 * the CRTC lays it out (start address, offset, cursor) and its dump as
 * text, the memory map field, and the DAC's auto-increment.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "devices/vga.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"
#include "tests/unit/vga_fixture.h"

static void put_text(int row, int col, const char *t, uint8_t attr)
{
    uint32_t a = 0xb8000 + (uint32_t)(row * 80 + col) * 2;
    for (; *t; t++, a += 2) {
        poke(a, (uint8_t)*t);
        poke(a + 1, attr);
    }
}

static char *dump(void)
{
    static char buf[8192];
    FILE *f = fmemopen(buf, sizeof(buf), "w");
    ck_assert_ptr_nonnull(f);
    vga_text_dump(vga, f);
    fclose(f);
    return buf;
}

START_TEST(test_text_geometry_mode3)
{
    struct vga_text_geometry g;
    ck_assert(vga_text_geometry(vga, &g));
    ck_assert_int_eq(g.cols, 80);
    ck_assert_int_eq(g.rows, 25);
    ck_assert_int_eq(g.char_height, 16);
    ck_assert_int_eq(g.stride, 80);
    ck_assert(g.cursor_on);
    ck_assert_int_eq(g.cursor_row, 0);
    ck_assert_int_eq(g.cursor_col, 0);
}
END_TEST

START_TEST(test_text_dump)
{
    put_text(0, 0, "Hello, VGA", 0x07);
    put_text(24, 70, "last row", 0x1e);
    poke(0xb8000 + 160 + 0, 0xc9); /* a box corner */
    poke(0xb8000 + 160 + 2, 0xcd);
    poke(0xb8000 + 160 + 4, 0xba);
    char *d = dump();
    char *line2 = strchr(d, '\n') + 1;
    ck_assert(strncmp(d, "Hello, VGA\n", 11) == 0);
    ck_assert(strncmp(line2, "+-|\n", 4) == 0);
    int lines = 0;
    for (char *p = d; *p; p++)
        lines += *p == '\n';
    ck_assert_int_eq(lines, 25);
    ck_assert_ptr_nonnull(strstr(d, "                                                                      last row\n"));
    struct vga_text_geometry g;
    uint8_t ch, attr;
    ck_assert(vga_text_geometry(vga, &g));
    vga_text_cell(vga, &g, 24, 70, &ch, &attr);
    ck_assert_int_eq(ch, 'l');
    ck_assert_int_eq(attr, 0x1e);
}
END_TEST

START_TEST(test_start_address_and_cursor)
{
    put_text(0, 0, "row zero", 0x07);
    put_text(1, 0, "row one", 0x07);
    crtc_set(0x0c, 0);
    crtc_set(0x0d, 80); /* scrolled by one row */
    crtc_set(0x0e, 0);
    crtc_set(0x0f, 80 + 5);
    char *d = dump();
    ck_assert(strncmp(d, "row one\n", 8) == 0);
    struct vga_text_geometry g;
    ck_assert(vga_text_geometry(vga, &g));
    ck_assert_int_eq(g.cursor_row, 0);
    ck_assert_int_eq(g.cursor_col, 5);
    crtc_set(0x0a, 0x20); /* cursor off */
    ck_assert(vga_text_geometry(vga, &g));
    ck_assert(!g.cursor_on);
    /* 40 columns: the offset register halves the stride. */
    crtc_set(0x0d, 0);
    crtc_set(0x13, 0x14);
    crtc_set(0x01, 39); /* write-protected by CR11 bit 7 */
    ck_assert(vga_text_geometry(vga, &g));
    ck_assert_int_eq(g.cols, 80);
    crtc_set(0x11, 0x0e);
    crtc_set(0x01, 39);
    ck_assert(vga_text_geometry(vga, &g));
    ck_assert_int_eq(g.cols, 40);
    ck_assert_int_eq(g.stride, 40);
    d = dump();
    ck_assert(strncmp(d, "row zero\n", 9) == 0);
}
END_TEST

START_TEST(test_graphics_mode_dump)
{
    outb(0x3ce, 6);
    outb(0x3cf, 0x05);
    ck_assert_str_eq(dump(), "(the VGA is in a graphics mode)\n");
}
END_TEST

START_TEST(test_memory_map)
{
    put_text(0, 0, "A", 0x07);
    ck_assert_int_eq(peek(0xb8000), 'A');
    outb(0x3ce, 6);
    outb(0x3cf, 0x02); /* A0000h 128 KiB: B8000h is plane address 8000h */
    ck_assert_int_eq(peek(0xa0000), 'A');
    outb(0x3cf, 0x0a); /* B0000h 32 KiB */
    ck_assert_int_eq(peek(0xb8000), 0xff);
    ck_assert_int_eq(peek(0xb0000), 'A');
    poke(0xb8000, 'Z'); /* not decoded: dropped */
    ck_assert_int_eq(peek(0xb0000), 'A');
}
END_TEST

START_TEST(test_dac)
{
    outb(0x3c8, 0xff);
    outb(0x3c9, 1);
    outb(0x3c9, 2);
    outb(0x3c9, 0x43); /* 6 bits kept */
    outb(0x3c9, 4);    /* index wrapped to 0 */
    outb(0x3c9, 5);
    outb(0x3c9, 6);
    ck_assert_int_eq(inb(0x3c8), 0x01);
    outb(0x3c7, 0xff);
    ck_assert_int_eq(inb(0x3c7), 0x03);
    ck_assert_int_eq(inb(0x3c9), 1);
    ck_assert_int_eq(inb(0x3c9), 2);
    ck_assert_int_eq(inb(0x3c9), 3);
    ck_assert_int_eq(inb(0x3c9), 4);
}
END_TEST

START_TEST(test_mono_ports)
{
    /* With misc bit 0 clear the CRTC moves to 3B4h. */
    outb(0x3c2, 0x66);
    ck_assert_int_eq(inb(0x3d5), 0xff);
    outb(0x3b4, 0x13);
    ck_assert_int_eq(inb(0x3b5), 0x28);
    outb(0x3c2, 0x67);
    outb(0x3d4, 0x13);
    ck_assert_int_eq(inb(0x3d5), 0x28);
}
END_TEST

static Suite *vga_suite(void)
{
    Suite *s = suite_create("vga");
    TCase *tc = tcase_create("vga");
    tcase_add_checked_fixture(tc, vga_fixture_setup, vga_fixture_teardown);
    tcase_add_test(tc, test_text_geometry_mode3);
    tcase_add_test(tc, test_text_dump);
    tcase_add_test(tc, test_start_address_and_cursor);
    tcase_add_test(tc, test_graphics_mode_dump);
    tcase_add_test(tc, test_memory_map);
    tcase_add_test(tc, test_dac);
    tcase_add_test(tc, test_mono_ports);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(vga_suite)
