/*
 * text_console.c - a character grid drawn with the BIOS font
 * (frontend/text_console.h).
 */
#include "frontend/text_console.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "bios/font.h"

struct text_console {
    int cols, rows;
    uint8_t *cells;       /* rows * cols characters */
    bool *row_dirty;      /* rows of cells to draw again */
    int x, y;             /* the cursor */
    int drawn_x, drawn_y; /* where the cursor was drawn */
    char line[TEXT_CONSOLE_LINE_MAX + 1];
    size_t line_len;
    uint32_t *fb;
    bool drawn; /* fb holds a picture */
};

struct text_console *text_console_new(int cols, int rows)
{
    if (cols < 1)
        cols = 1;
    if (cols > 256)
        cols = 256;
    if (rows < 1)
        rows = 1;
    if (rows > 128)
        rows = 128;
    struct text_console *tc = xcalloc(1, sizeof(*tc));
    tc->cols = cols;
    tc->rows = rows;
    tc->cells = xcalloc((size_t)cols * (size_t)rows, 1);
    tc->row_dirty = xcalloc((size_t)rows, sizeof(bool));
    tc->fb = xcalloc((size_t)cols * TEXT_CONSOLE_CELL_W * (size_t)rows *
                         TEXT_CONSOLE_CELL_H,
                     sizeof(uint32_t));
    return tc;
}

void text_console_free(struct text_console *tc)
{
    if (!tc)
        return;
    free(tc->cells);
    free(tc->row_dirty);
    free(tc->fb);
    free(tc);
}

static uint8_t *cell(struct text_console *tc, int row, int col)
{
    return tc->cells + (size_t)row * (size_t)tc->cols + (size_t)col;
}

/* The cursor onto a new line; at the bottom everything moves up one. */
static void newline(struct text_console *tc)
{
    tc->x = 0;
    if (tc->y < tc->rows - 1) {
        tc->y++;
        return;
    }
    memmove(tc->cells, tc->cells + tc->cols,
            (size_t)tc->cols * (size_t)(tc->rows - 1));
    memset(cell(tc, tc->rows - 1, 0), 0, (size_t)tc->cols);
    for (int r = 0; r < tc->rows; r++)
        tc->row_dirty[r] = true;
}

static void put(struct text_console *tc, uint8_t c)
{
    if (tc->x >= tc->cols)
        newline(tc); /* the line wraps when a character follows */
    *cell(tc, tc->y, tc->x) = c;
    tc->row_dirty[tc->y] = true;
    tc->x++;
}

void text_console_write(struct text_console *tc, const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)text[i];
        switch (c) {
        case '\n': newline(tc); break;
        case '\r': tc->x = 0; break;
        case '\b':
            if (tc->x > 0)
                tc->x--;
            break;
        case '\t':
            do
                put(tc, ' ');
            while (tc->x % 8 && tc->x < tc->cols);
            break;
        default:
            if (c >= 0x20 && c != 0x7f)
                put(tc, c);
            break;
        }
    }
}

void text_console_type(struct text_console *tc, char c)
{
    if ((uint8_t)c < 0x20 || c == 0x7f || tc->line_len >= TEXT_CONSOLE_LINE_MAX)
        return;
    tc->line[tc->line_len++] = c;
    put(tc, (uint8_t)c);
}

bool text_console_backspace(struct text_console *tc)
{
    if (!tc->line_len)
        return false;
    tc->line_len--;
    /* back over a wrap to the end of the line above */
    if (tc->x == 0 && tc->y > 0) {
        tc->y--;
        tc->x = tc->cols;
    }
    if (tc->x > 0)
        tc->x--;
    *cell(tc, tc->y, tc->x) = 0;
    tc->row_dirty[tc->y] = true;
    return true;
}

void text_console_enter(struct text_console *tc, char *buf, size_t size)
{
    size_t n = tc->line_len < size - 1 ? tc->line_len : size - 1;
    memcpy(buf, tc->line, n);
    buf[n] = 0;
    tc->line_len = 0;
    newline(tc);
}

uint8_t text_console_char(const struct text_console *tc, int row, int col)
{
    if (row < 0 || row >= tc->rows || col < 0 || col >= tc->cols)
        return 0;
    return tc->cells[(size_t)row * (size_t)tc->cols + (size_t)col];
}

static void draw_row(struct text_console *tc, int row)
{
    int w = tc->cols * TEXT_CONSOLE_CELL_W;
    for (int scan = 0; scan < TEXT_CONSOLE_CELL_H; scan++) {
        uint32_t *p =
            tc->fb + (size_t)(row * TEXT_CONSOLE_CELL_H + scan) * (size_t)w;
        for (int col = 0; col < tc->cols; col++, p += TEXT_CONSOLE_CELL_W) {
            uint8_t bits =
                bios_font_8x16[*cell(tc, row, col) * TEXT_CONSOLE_CELL_H +
                               scan];
            /* the cursor: the last two scan lines of its cell */
            if (row == tc->y && col == tc->x && scan >= TEXT_CONSOLE_CELL_H - 2)
                bits = 0xff;
            for (int i = 0; i < 8; i++)
                p[i] = (bits & (0x80 >> i)) ? TEXT_CONSOLE_FG : TEXT_CONSOLE_BG;
            p[8] = TEXT_CONSOLE_BG;
        }
    }
}

const uint32_t *text_console_render(struct text_console *tc, int *width,
                                    int *height, int *y0, int *y1)
{
    *width = tc->cols * TEXT_CONSOLE_CELL_W;
    *height = tc->rows * TEXT_CONSOLE_CELL_H;
    /* the cursor moved: the rows it left and it is on (a cursor past
     * the last column is not drawn until the line wraps) */
    if (tc->drawn_y != tc->y || tc->drawn_x != tc->x) {
        tc->row_dirty[tc->drawn_y] = true;
        tc->row_dirty[tc->y] = true;
    }
    int first = tc->rows, last = -1;
    for (int r = 0; r < tc->rows; r++) {
        if (!tc->drawn || tc->row_dirty[r]) {
            draw_row(tc, r);
            tc->row_dirty[r] = false;
            if (r < first)
                first = r;
            last = r;
        }
    }
    tc->drawn = true;
    tc->drawn_x = tc->x;
    tc->drawn_y = tc->y;
    *y0 = last < 0 ? 0 : first * TEXT_CONSOLE_CELL_H;
    *y1 = last < 0 ? 0 : (last + 1) * TEXT_CONSOLE_CELL_H;
    return tc->fb;
}
