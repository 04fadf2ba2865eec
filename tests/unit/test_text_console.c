/*
 * test_text_console.c - unit tests of the window's monitor console
 * (frontend/text_console.c): output, wrapping and scrolling, the line
 * being typed, and its pixels against the BIOS font.
 */
#include <check.h>
#include <string.h>

#include "bios/font.h"
#include "frontend/text_console.h"
#include "tests/unit/unit.h"

static void wr(struct text_console *tc, const char *s)
{
    text_console_write(tc, s, strlen(s));
}

START_TEST(test_output_wrap_scroll)
{
    struct text_console *tc = text_console_new(10, 3);
    wr(tc, "ab\ncd");
    ck_assert_uint_eq(text_console_char(tc, 0, 0), 'a');
    ck_assert_uint_eq(text_console_char(tc, 1, 1), 'd');
    wr(tc, "\r\t|");
    ck_assert_uint_eq(text_console_char(tc, 1, 8), '|');
    wr(tc, "xyz"); /* wraps after column 9 */
    ck_assert_uint_eq(text_console_char(tc, 1, 9), 'x');
    ck_assert_uint_eq(text_console_char(tc, 2, 0), 'y');
    wr(tc, "\nlast"); /* scrolls: row 0 is the old row 1 */
    ck_assert_uint_eq(text_console_char(tc, 0, 8),
                      '|'); /* the tab's blanks over cd */
    ck_assert_uint_eq(text_console_char(tc, 0, 1), ' ');
    ck_assert_uint_eq(text_console_char(tc, 1, 0), 'y');
    ck_assert_uint_eq(text_console_char(tc, 2, 3), 't');
    text_console_free(tc);
}
END_TEST

START_TEST(test_line_editing)
{
    struct text_console *tc = text_console_new(4, 3);
    char buf[64];
    wr(tc, "> ");
    ck_assert(!text_console_backspace(tc)); /* not into the prompt */
    text_console_type(tc, 's');
    text_console_type(tc, 't');
    text_console_type(tc, 'x'); /* wraps to row 1 */
    ck_assert_uint_eq(text_console_char(tc, 1, 0), 'x');
    ck_assert(text_console_backspace(tc));
    ck_assert_uint_eq(text_console_char(tc, 1, 0), 0);
    ck_assert(text_console_backspace(tc)); /* back over the wrap */
    ck_assert_uint_eq(text_console_char(tc, 0, 3), 0);
    text_console_type(tc, 'o');
    text_console_type(tc, '\n'); /* control characters are not typed */
    text_console_enter(tc, buf, sizeof(buf));
    ck_assert_str_eq(buf, "so");
    text_console_enter(tc, buf, sizeof(buf));
    ck_assert_str_eq(buf, "");
    text_console_free(tc);
}
END_TEST

START_TEST(test_pixels)
{
    struct text_console *tc = text_console_new(80, 25);
    int w, h, y0, y1;
    const uint32_t *px = text_console_render(tc, &w, &h, &y0, &y1);
    ck_assert_int_eq(w, 720);
    ck_assert_int_eq(h, 400);
    ck_assert_int_eq(y0, 0);
    ck_assert_int_eq(y1, 400);
    wr(tc, "\nE");
    px = text_console_render(tc, &w, &h, &y0, &y1);
    ck_assert_int_eq(y0, 0); /* the cursor left row 0 */
    ck_assert_int_eq(y1, 32);
    for (int y = 0; y < 16; y++) {
        uint8_t bits = bios_font_8x16['E' * 16 + y];
        for (int x = 0; x < 9; x++) {
            uint32_t want = x < 8 && (bits & (0x80 >> x)) ? TEXT_CONSOLE_FG
                                                          : TEXT_CONSOLE_BG;
            ck_assert_uint_eq(px[(16 + y) * 720 + x], want);
        }
    }
    /* the cursor: the last two scan lines of the next cell */
    ck_assert_uint_eq(px[30 * 720 + 9], TEXT_CONSOLE_FG);
    ck_assert_uint_eq(px[29 * 720 + 9], TEXT_CONSOLE_BG);
    px = text_console_render(tc, &w, &h, &y0, &y1);
    ck_assert_int_eq(y0, y1);
    text_console_free(tc);
}
END_TEST

static Suite *text_console_suite(void)
{
    Suite *s = suite_create("text_console");
    TCase *tc = tcase_create("console");
    tcase_add_test(tc, test_output_wrap_scroll);
    tcase_add_test(tc, test_line_editing);
    tcase_add_test(tc, test_pixels);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(text_console_suite)
