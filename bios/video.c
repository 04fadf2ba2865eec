/*
 * video.c - INT 10h, the video services, for a machine without a video
 * adapter yet: the text-mode state lives in the BDA (mode 3, 80x25, the
 * cursor of each page) and text output (teletype, write string) goes to
 * COM1, as SeaBIOS's serial console mirrors it under -nographic. Once a
 * VGA exists the same calls will also write its text buffer at 0xB8000.
 * Functions from the IBM PC/AT technical reference and Ralf Brown's
 * interrupt list (INT 10h).
 */
#include "bios/bios.h"

#define BDA_VIDEO_MODE 0x449u
#define BDA_VIDEO_COLS 0x44au
#define BDA_CURSOR_POS 0x450u /* 8 pages: column, row */
#define BDA_CURSOR_SHAPE 0x460u
#define BDA_ACTIVE_PAGE 0x462u
#define BDA_VIDEO_ROWS 0x484u

static uint16_t cursor_get(struct bios *b, unsigned page)
{
    return bios_rw(b, BDA_CURSOR_POS + 2 * (page & 7));
}

static void cursor_set(struct bios *b, unsigned page, uint8_t row,
                       uint8_t col)
{
    bios_ww(b, BDA_CURSOR_POS + 2 * (page & 7),
            (uint16_t)(((unsigned)row << 8) | col));
}

/* Teletype output of one character on page: the console gets it, the
 * cursor moves as on the screen (CR, LF, BS, BEL; wrap and scroll at
 * 80x25). */
static void teletype(struct bios *b, unsigned page, uint8_t c)
{
    uint16_t pos = cursor_get(b, page);
    unsigned row = pos >> 8, col = pos & 0xff;
    unsigned cols = bios_rw(b, BDA_VIDEO_COLS);
    unsigned rows = bios_rb(b, BDA_VIDEO_ROWS) + 1u;

    bios_putc(b, (char)c);
    switch (c) {
    case '\r': col = 0; break;
    case '\n': row++; break;
    case '\b':
        if (col)
            col--;
        break;
    case 7: break;
    default:
        if (++col >= cols) {
            col = 0;
            row++;
        }
    }
    if (row >= rows)
        row = rows - 1;
    cursor_set(b, page, (uint8_t)row, (uint8_t)col);
}

/* AH=13h: write the string at ES:BP, CX characters, at row DH column DL
 * of page BH; AL bit 1: characters and attributes alternate; bit 0: the
 * cursor stays after the string. */
static void write_string(struct bios *b, struct bios_regs *r)
{
    unsigned page = BIOS_BH(r);
    uint16_t saved = cursor_get(b, page);
    uint32_t p = bios_lin(r->es, (uint16_t)r->ebp);
    unsigned step = (BIOS_AL(r) & 2) ? 2 : 1;

    cursor_set(b, page, BIOS_DH(r), BIOS_DL(r));
    for (unsigned i = 0; i < BIOS_CX(r); i++, p += step)
        teletype(b, page, bios_rb(b, p));
    if (!(BIOS_AL(r) & 1))
        bios_ww(b, BDA_CURSOR_POS + 2 * (page & 7), saved);
}

int bios_int10(struct bios *b, struct bios_regs *r)
{
    switch (BIOS_AH(r)) {
    case 0x00: /* set mode: the text modes keep 80 columns here */
        bios_wb(b, BDA_VIDEO_MODE, BIOS_AL(r) & 0x7f);
        for (unsigned pg = 0; pg < 8; pg++)
            cursor_set(b, pg, 0, 0);
        bios_wb(b, BDA_ACTIVE_PAGE, 0);
        break;
    case 0x01: bios_ww(b, BDA_CURSOR_SHAPE, BIOS_CX(r)); break;
    case 0x02: cursor_set(b, BIOS_BH(r), BIOS_DH(r), BIOS_DL(r)); break;
    case 0x03:
        bios_set_dx(r, cursor_get(b, BIOS_BH(r)));
        bios_set_cx(r, bios_rw(b, BDA_CURSOR_SHAPE));
        break;
    case 0x05: bios_wb(b, BDA_ACTIVE_PAGE, BIOS_AL(r) & 7); break;
    case 0x08: /* read character and attribute: the screen is blank */
        bios_set_ax(r, 0x0720);
        break;
    case 0x0e: teletype(b, bios_rb(b, BDA_ACTIVE_PAGE), BIOS_AL(r)); break;
    case 0x0f:
        bios_set_al(r, bios_rb(b, BDA_VIDEO_MODE));
        bios_set_ah(r, (uint8_t)bios_rw(b, BDA_VIDEO_COLS));
        bios_set_bh(r, bios_rb(b, BDA_ACTIVE_PAGE));
        break;
    case 0x13: write_string(b, r); break;
    default:
        /* scrolling, attributes, palettes, fonts: nothing to draw on
         * (AH=06h/07h/09h/0Ah/0Bh/10h/11h/12h return unchanged) */
        break;
    }
    return BIOS_STATUS_DONE;
}
