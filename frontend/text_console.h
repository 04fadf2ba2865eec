/*
 * text_console.h - a text console drawn in pixels: a grid of character
 * cells the monitor writes into (scrolling up when output passes the last
 * row), with a line being edited at its end, rendered with the BIOS's
 * 8x16 font in 9x16 cells, light grey on black, the cursor an underline.
 * The window shows one as its monitor console (Ctrl-Alt-2). No SDL here:
 * the window feeds it characters and takes its pixels.
 */
#ifndef FRONTEND_TEXT_CONSOLE_H
#define FRONTEND_TEXT_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TEXT_CONSOLE_CELL_W 9
#define TEXT_CONSOLE_CELL_H 16
#define TEXT_CONSOLE_FG 0xaaaaaau
#define TEXT_CONSOLE_BG 0x000000u
/* The longest line typed (as the monitor takes, frontend/monitor.c). */
#define TEXT_CONSOLE_LINE_MAX 1023

struct text_console;

/* cols x rows cells (at least 1 x 1, at most 256 x 128). */
struct text_console *text_console_new(int cols, int rows);
void text_console_free(struct text_console *tc);

/* Output: printable characters (code page 437 above 7Eh) at the cursor,
 * wrapping at the last column; \n starts a new line, \r returns to
 * column 0, \b moves back one column, \t to the next multiple of 8. */
void text_console_write(struct text_console *tc, const char *text, size_t len);

/* The line being typed: a character added (shown at the cursor), the last
 * one removed (false when the line is empty), and Enter: the line into
 * buf (NUL-terminated, size bytes), the cursor to a new line. */
void text_console_type(struct text_console *tc, char c);
bool text_console_backspace(struct text_console *tc);
void text_console_enter(struct text_console *tc, char *buf, size_t size);

/* The character at (row, col), 0 for a cell never written. */
uint8_t text_console_char(const struct text_console *tc, int row, int col);

/* The picture (0x00RRGGBB, cols * 9 by rows * 16): the rows of pixels
 * that changed since the previous call in *y0..*y1 (y1 exclusive; equal
 * when none; all of them the first time). */
const uint32_t *text_console_render(struct text_console *tc, int *width,
                                    int *height, int *y0, int *y1);

#endif
