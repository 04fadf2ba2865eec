/*
 * test_vga_view.c - unit tests of the dirty rows per consumer of the
 * VGA's picture (devices/vga.h vga_render_view): the window and a
 * screendump each keep a view, and the rows one of them takes are still
 * reported to the other.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "devices/vga.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"
#include "tests/unit/vga_fixture.h"

/* A character with a visible glyph (a full block) at (row, col). */
static void put_block(int row, int col, uint8_t attr)
{
    uint8_t *p2 = vga_plane(vga, 2);
    for (int i = 0; i < 16; i++)
        p2[0xdb * 32 + i] = 0xff;
    uint32_t a = 0xb8000 + (uint32_t)(row * 80 + col) * 2;
    poke(a, 0xdb);
    poke(a + 1, attr);
}

static void dispi(int index, uint16_t v)
{
    outw(0x1ce, (uint16_t)index);
    outw(0x1cf, v);
}

#define ASSERT_DIRTY(f, y0, y1)                                                \
    do {                                                                       \
        ck_assert_int_eq((f).dirty_y0, (y0));                                  \
        ck_assert_int_eq((f).dirty_y1, (y1));                                  \
    } while (0)
#define ASSERT_CLEAN(f) ck_assert_int_eq((f).dirty_y0, (f).dirty_y1)

START_TEST(test_views_text)
{
    struct vga_view win = { 0 }, dump = { 0 };
    struct vga_frame f;
    /* Each view's first call: every row. */
    vga_render_view(vga, 0, &win, &f);
    ck_assert_int_eq(f.width, 720);
    ck_assert_int_eq(f.height, 400);
    ASSERT_DIRTY(f, 0, 400);
    vga_render_view(vga, 0, &dump, &f);
    ASSERT_DIRTY(f, 0, 400);
    vga_render_view(vga, 0, &win, &f);
    ASSERT_CLEAN(f);
    /* Row 10 written; the screendump renders first, then the window:
     * both are told about rows 160-175. */
    put_block(10, 3, 0x0e);
    vga_render_view(vga, 1000, &dump, &f);
    ASSERT_DIRTY(f, 160, 176);
    vga_render_view(vga, 1000, &win, &f);
    ASSERT_DIRTY(f, 160, 176);
    ck_assert_uint_eq(f.pixels[165 * 720 + 30], 0xffff55u);
    /* Two changes, the window looking after each, the dump only at the
     * end: the dump is owed both, the window only the second. */
    put_block(2, 0, 0x0f);
    vga_render_view(vga, 2000, &win, &f);
    ASSERT_DIRTY(f, 32, 48);
    put_block(20, 0, 0x0f);
    vga_render_view(vga, 3000, &win, &f);
    ASSERT_DIRTY(f, 320, 336);
    vga_render_view(vga, 3000, &dump, &f);
    ASSERT_DIRTY(f, 32, 336);
    vga_render_view(vga, 3000, &dump, &f);
    ASSERT_CLEAN(f);
    vga_render_view(vga, 3000, &win, &f);
    ASSERT_CLEAN(f);
    /* vga_render() has a view of its own, apart from both. */
    put_block(24, 79, 0x0f);
    vga_render(vga, 4000, &f);
    ASSERT_DIRTY(f, 0, 400); /* its first call */
    vga_render_view(vga, 4000, &win, &f);
    ASSERT_DIRTY(f, 384, 400);
    /* A forced redraw reaches every view. */
    vga_render_invalidate(vga);
    vga_render_view(vga, 5000, &dump, &f);
    ASSERT_DIRTY(f, 0, 400);
    vga_render_view(vga, 5000, &win, &f);
    ASSERT_DIRTY(f, 0, 400);
    vga_render_view(vga, 5000, &win, &f);
    ASSERT_CLEAN(f);
}
END_TEST

START_TEST(test_views_resize_and_vbe)
{
    struct vga_view win = { 0 }, dump = { 0 };
    struct vga_frame f;
    vga_render_view(vga, 0, &win, &f);
    vga_render_view(vga, 0, &dump, &f);
    /* A VBE mode: a new size, every row to both. */
    dispi(VGA_DISPI_XRES, 640);
    dispi(VGA_DISPI_YRES, 480);
    dispi(VGA_DISPI_BPP, 32);
    dispi(VGA_DISPI_ENABLE, VGA_DISPI_ENABLED | VGA_DISPI_LFB_ENABLED);
    vga_render_view(vga, 0, &win, &f);
    ck_assert_int_eq(f.width, 640);
    ck_assert_int_eq(f.height, 480);
    ASSERT_DIRTY(f, 0, 480);
    /* A row through the linear framebuffer, whose dirty log the first
     * render clears: the second view still gets the row. */
    poke_sized(VGA_VBE_LFB_BASE + (100 * 640 + 7) * 4, 0x00ff0000, 4);
    vga_render_view(vga, 0, &win, &f);
    ASSERT_DIRTY(f, 100, 101);
    vga_render_view(vga, 0, &dump, &f);
    ASSERT_DIRTY(f, 0, 480); /* it has not seen the new mode yet */
    poke_sized(VGA_VBE_LFB_BASE + (200 * 640 + 7) * 4, 0x0000ff00, 4);
    vga_render_view(vga, 0, &dump, &f);
    ASSERT_DIRTY(f, 200, 201);
    ck_assert_uint_eq(f.pixels[200 * 640 + 7], 0x00ff00u);
    vga_render_view(vga, 0, &win, &f);
    ASSERT_DIRTY(f, 200, 201);
    /* Back to text: both get all 400 rows of the smaller picture. */
    dispi(VGA_DISPI_ENABLE, 0);
    vga_render_view(vga, 0, &dump, &f);
    ck_assert_int_eq(f.height, 400);
    ASSERT_DIRTY(f, 0, 400);
    vga_render_view(vga, 0, &win, &f);
    ASSERT_DIRTY(f, 0, 400);
}
END_TEST

static Suite *vga_view_suite(void)
{
    Suite *s = suite_create("vga_view");
    TCase *tc = tcase_create("views");
    tcase_add_checked_fixture(tc, vga_fixture_setup, vga_fixture_teardown);
    tcase_add_test(tc, test_views_text);
    tcase_add_test(tc, test_views_resize_and_vbe);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(vga_view_suite)
