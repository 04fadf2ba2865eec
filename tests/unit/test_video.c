/*
 * test_video.c - unit tests of the video BIOS (bios/video.c,
 * video_modes.c) on a real VGA device (devices/vga.c) in RAM below
 * 640 KiB: the registers, BDA and plane 2 font the POST leaves for mode
 * 3, mode sets of graphics modes and their pixels, scrolling, teletype
 * at the bottom right corner, write string with attributes, the font
 * pointers of AX=1130h, fonts loaded with AH=11h, the palette and DAC
 * calls, pages and the information calls, characters and scrolling in
 * graphics modes; and guest values out of range (modes, windows,
 * counts, random registers) doing nothing harmful.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "bios/bios.h"
#include "bios/font.h"
#include "bios/rom.h"
#include "devices/vga.h"
#include "softmmu/ldst.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"
#include "tests/unit/vga_fixture.h"

static uint8_t crtc(int i)
{
    outb(0x3d4, (uint8_t)i);
    return inb(0x3d5);
}
static uint8_t seq(int i)
{
    outb(0x3c4, (uint8_t)i);
    return inb(0x3c5);
}
static uint8_t gr(int i)
{
    outb(0x3ce, (uint8_t)i);
    return inb(0x3cf);
}
static uint8_t ar(int i)
{
    inb(0x3da);
    outb(0x3c0, (uint8_t)i);
    uint8_t v = inb(0x3c1);
    inb(0x3da);
    outb(0x3c0, 0x20);
    return v;
}

static void setup(void)
{
    vga_fixture_setup();
    vga_fixture_add_bios();
}

static struct bios_regs int10(uint32_t ax, uint32_t bx, uint32_t cx,
                              uint32_t dx)
{
    struct bios_regs r = { .eax = ax, .ebx = bx, .ecx = cx, .edx = dx };
    ck_assert_int_eq(bios_int10(&bios, &r), BIOS_STATUS_DONE);
    return r;
}

/* The character and attribute at (row, col) of page 0 of mode 3. */
static uint16_t cell(int row, int col)
{
    uint32_t a = (uint32_t)(row * 80 + col) * 2;
    return (uint16_t)(vga_plane(vga, 0)[a] | vga_plane(vga, 1)[a] << 8);
}

static void text_at(int row, int col, const char *want, uint8_t attr)
{
    for (int i = 0; want[i]; i++)
        ck_assert_uint_eq(cell(row, col + i),
                          (uint8_t)want[i] | (unsigned)attr << 8);
}

START_TEST(test_post_mode3_registers)
{
    static const uint8_t want_crtc[25] = {
        0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00,
        0x4f, 0x0d, 0x0e, 0x00, 0x00, 0x00, 0x00, 0x9c, 0x8e,
        0x8f, 0x28, 0x1f, 0x96, 0xb9, 0xa3, 0xff,
    };
    static const uint8_t want_ar[21] = {
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a,
        0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x0c, 0x00, 0x0f, 0x08, 0x00,
    };
    static const uint8_t want_gr[9] = { 0, 0, 0, 0, 0, 0x10, 0x0e, 0, 0xff };
    ck_assert_uint_eq(inb(0x3cc), 0x67);
    ck_assert_uint_eq(seq(1), 0x00);
    ck_assert_uint_eq(seq(2), 0x03);
    ck_assert_uint_eq(seq(3), 0x00);
    ck_assert_uint_eq(seq(4), 0x02);
    for (int i = 0; i < 25; i++)
        ck_assert_msg(crtc(i) == want_crtc[i], "CR%02X = %02x", i, crtc(i));
    for (int i = 0; i < 9; i++)
        ck_assert_msg(gr(i) == want_gr[i], "GR%02X = %02x", i, gr(i));
    for (int i = 0; i < 21; i++)
        ck_assert_msg(ar(i) == want_ar[i], "AR%02X = %02x", i, ar(i));
    /* the DAC: EGA colour 14h (brown) and 3Fh (white) */
    outb(0x3c7, 0x14);
    ck_assert_uint_eq(inb(0x3c9), 0x2a);
    ck_assert_uint_eq(inb(0x3c9), 0x15);
    ck_assert_uint_eq(inb(0x3c9), 0x00);
    outb(0x3c7, 0x3f);
    ck_assert_uint_eq(inb(0x3c9), 0x3f);
    /* the screen blank, grey on black */
    ck_assert_uint_eq(cell(0, 0), 0x0720);
    ck_assert_uint_eq(cell(24, 79), 0x0720);
}
END_TEST

START_TEST(test_post_bda_font_vectors)
{
    ck_assert_uint_eq(ram[0x449], 3);
    ck_assert_uint_eq(lduw_le_p(ram + 0x44a), 80);
    ck_assert_uint_eq(lduw_le_p(ram + 0x44c), 0x1000);
    ck_assert_uint_eq(lduw_le_p(ram + 0x44e), 0);
    ck_assert_uint_eq(lduw_le_p(ram + 0x450), 0);
    ck_assert_uint_eq(lduw_le_p(ram + 0x460), 0x0607);
    ck_assert_uint_eq(ram[0x462], 0);
    ck_assert_uint_eq(lduw_le_p(ram + 0x463), 0x3d4);
    ck_assert_uint_eq(ram[0x465], 0x29);
    ck_assert_uint_eq(ram[0x466], 0x30);
    ck_assert_uint_eq(ram[0x484], 24);
    ck_assert_uint_eq(lduw_le_p(ram + 0x485), 16);
    ck_assert_uint_eq(ram[0x487], 0x60);
    ck_assert_uint_eq(ram[0x488], 0xf9);
    ck_assert_uint_eq(ram[0x489], 0x51);
    ck_assert_uint_eq(ram[0x48a], 0x08);
    /* plane 2: the 8x16 font in 32-byte cells of block 0 */
    const uint8_t *p2 = vga_plane(vga, 2);
    ck_assert_mem_eq(p2 + 'A' * 32, bios_font_8x16 + 'A' * 16, 16);
    for (int i = 16; i < 32; i++)
        ck_assert_uint_eq(p2['A' * 32 + i], 0);
    /* an A: a crossbar wider than the top, two legs at the bottom */
    const uint8_t *a = bios_font_8x16 + 'A' * 16;
    int bar = -1;
    for (int i = 0; i < 16; i++)
        if (__builtin_popcount(a[i]) >= 5)
            bar = i;
    ck_assert_int_gt(bar, 3);
    ck_assert_int_lt(bar, 12);
    /* INT 43h the 8x8 font, INT 1Fh its upper half */
    ck_assert_uint_eq(lduw_le_p(ram + 0x43 * 4), BIOS_FONT8X8_OFFSET);
    ck_assert_uint_eq(lduw_le_p(ram + 0x43 * 4 + 2), 0xf000);
    ck_assert_uint_eq(lduw_le_p(ram + 0x1f * 4), BIOS_FONT8X8_OFFSET + 0x400);
    ck_assert_uint_eq(lduw_le_p(ram + 0x1f * 4 + 2), 0xf000);
}
END_TEST

START_TEST(test_mode_sets_and_pixels)
{
    struct bios_regs r = int10(0x0013, 0, 0, 0);
    ck_assert_uint_eq(r.eax & 0xff, 0x20);
    ck_assert_uint_eq(inb(0x3cc), 0x63);
    ck_assert_uint_eq(seq(4), 0x0e);
    ck_assert_uint_eq(gr(5), 0x40);
    ck_assert_uint_eq(gr(6), 0x05);
    ck_assert_uint_eq(crtc(0x09), 0x41);
    ck_assert_uint_eq(crtc(0x14), 0x40);
    ck_assert_uint_eq(crtc(0x17), 0xa3);
    ck_assert_uint_eq(ar(0x10), 0x41);
    ck_assert_uint_eq(ram[0x449], 0x13);
    struct vga_text_geometry g;
    ck_assert(!vga_text_geometry(vga, &g));
    /* the planes cleared: the font is gone */
    ck_assert_uint_eq(vga_plane(vga, 2)['A' * 32 + 4], 0);
    /* chain 4: pixel (10, 5) is byte 1610, plane 1610 & 3 = 2 */
    int10(0x0c2a, 0, 10, 5);
    ck_assert_uint_eq(vga_plane(vga, 2)[1608], 0x2a);
    r = int10(0x0d00, 0, 10, 5);
    ck_assert_uint_eq(r.eax & 0xff, 0x2a);
    ck_assert_uint_eq(int10(0x0f00, 0, 0, 0).eax & 0xffff, 0x2813);

    /* 12h: a bit per plane; pixel (9, 2) in byte 161, mask 40h */
    int10(0x0012, 0, 0, 0);
    ck_assert_uint_eq(inb(0x3cc), 0xe3);
    ck_assert_uint_eq(crtc(0x06), 0x0b);
    ck_assert_uint_eq(crtc(0x12), 0xdf);
    int10(0x0c0b, 0, 9, 2);
    ck_assert_uint_eq(vga_plane(vga, 0)[161], 0x40);
    ck_assert_uint_eq(vga_plane(vga, 1)[161], 0x40);
    ck_assert_uint_eq(vga_plane(vga, 2)[161], 0x00);
    ck_assert_uint_eq(vga_plane(vga, 3)[161], 0x40);
    ck_assert_uint_eq(int10(0x0d00, 0, 9, 2).eax & 0xff, 0x0b);
    ck_assert_uint_eq(int10(0x0d00, 0, 8, 2).eax & 0xff, 0x00);
    /* XOR (AL bit 7) */
    int10(0x0c83, 0, 9, 2);
    ck_assert_uint_eq(int10(0x0d00, 0, 9, 2).eax & 0xff, 0x08);

    /* 04h: CGA 2 bits a pixel, odd lines 2000h up */
    int10(0x0004, 0, 0, 0);
    ck_assert_uint_eq(ram[0x449], 4);
    ck_assert_uint_eq(gr(5), 0x30);
    int10(0x0c02, 0, 5, 3);
    ck_assert_uint_eq(int10(0x0d00, 0, 5, 3).eax & 0xff, 2);
    ck_assert_uint_eq(int10(0x0d00, 0, 4, 3).eax & 0xff, 0);
    /* out of the screen: nothing written, 0 read */
    int10(0x0c03, 0, 320, 0);
    int10(0x0c03, 0, 0xffff, 0xffff);
    ck_assert_uint_eq(int10(0x0d00, 0, 320, 0).eax & 0xff, 0);

    /* back to text: an unknown mode changes nothing */
    int10(0x0003, 0, 0, 0);
    int10(0x007f, 0, 0, 0);
    ck_assert_uint_eq(ram[0x449], 3);
    ck_assert(vga_text_geometry(vga, &g));
    ck_assert_int_eq(g.cols, 80);
    ck_assert_int_eq(g.rows, 25);
    ck_assert_mem_eq(vga_plane(vga, 2) + 'A' * 32, bios_font_8x16 + 'A' * 16,
                     16);
    /* mode 1: 40 columns */
    int10(0x0001, 0, 0, 0);
    ck_assert(vga_text_geometry(vga, &g));
    ck_assert_int_eq(g.cols, 40);
    ck_assert_uint_eq(lduw_le_p(ram + 0x44a), 40);
    ck_assert_uint_eq(lduw_le_p(ram + 0x44c), 0x800);
}
END_TEST

START_TEST(test_scroll)
{
    char line[16];
    struct bios_regs r;
    for (int i = 0; i < 25; i++) {
        int n = snprintf(line, sizeof(line), "row %d", i);
        memcpy(ram + 0x1000, line, (size_t)n);
        r = (struct bios_regs){ .eax = 0x1300,
                                .ebx = 0x0007,
                                .ecx = (uint32_t)n,
                                .edx = (uint32_t)(i << 8),
                                .es = 0x100 };
        bios_int10(&bios, &r);
    }
    text_at(24, 0, "row 24", 0x07);
    /* up by 2 over the whole screen, new lines in 1Eh */
    int10(0x0602, 0x1e00, 0x0000, 0x184f);
    text_at(0, 0, "row 2", 0x07);
    text_at(22, 0, "row 24", 0x07);
    ck_assert_uint_eq(cell(23, 0), 0x1e20);
    ck_assert_uint_eq(cell(24, 79), 0x1e20);
    /* down by 1 in the window (5,2)-(7,4) */
    int10(0x0701, 0x7000, 0x0502, 0x0704);
    ck_assert_uint_eq(cell(5, 2), 0x7020);
    text_at(6, 2, "w 7", 0x07);
    text_at(7, 2, "w 8", 0x07);
    text_at(8, 2, "w 10", 0x07);
    text_at(5, 0, "ro", 0x07);
    /* AL=0 blanks the window; a window past the screen is clipped */
    int10(0x0600, 0x4f00, 0x1400, 0xffff);
    ck_assert_uint_eq(cell(20, 0), 0x4f20);
    ck_assert_uint_eq(cell(24, 79), 0x4f20);
    text_at(19, 0, "row 21", 0x07);
    /* an empty window (top below bottom) does nothing */
    int10(0x0601, 0x1100, 0x0a00, 0x054f);
    text_at(10, 0, "row 12", 0x07);
}
END_TEST

START_TEST(test_teletype_bottom_right)
{
    int10(0x0200, 0, 0, 0x184f);
    ck_assert_uint_eq(crtc(0x0e) << 8 | crtc(0x0f), 24 * 80 + 79);
    int10(0x0941, 0x0017, 1, 0); /* 'A' in 17h, no cursor move */
    ck_assert_uint_eq(cell(24, 79), 0x1741);
    ck_assert_uint_eq(lduw_le_p(ram + 0x450), 0x184f);
    int10(0x0e58, 0, 0, 0); /* 'X' keeps the cell's attribute, wraps */
    ck_assert_uint_eq(cell(23, 79), 0x1758);
    ck_assert_uint_eq(cell(24, 79), 0x0720);
    ck_assert_uint_eq(lduw_le_p(ram + 0x450), 0x1800);
    ck_assert_uint_eq(crtc(0x0e) << 8 | crtc(0x0f), 24 * 80);
    /* BEL does not move, BS goes back, CR to column 0, LF at the bottom
     * scrolls */
    int10(0x0e61, 0, 0, 0);
    int10(0x0e62, 0, 0, 0);
    int10(0x0e07, 0, 0, 0);
    ck_assert_uint_eq(lduw_le_p(ram + 0x450), 0x1802);
    int10(0x0e08, 0, 0, 0);
    ck_assert_uint_eq(lduw_le_p(ram + 0x450), 0x1801);
    int10(0x0e0d, 0, 0, 0);
    int10(0x0e0a, 0, 0, 0);
    ck_assert_uint_eq(lduw_le_p(ram + 0x450), 0x1800);
    text_at(23, 0, "ab", 0x07);
    ck_assert_uint_eq(cell(22, 79), 0x1758);
    /* AH=08h reads back */
    int10(0x0200, 0, 0, 0x164f);
    ck_assert_uint_eq(int10(0x0800, 0, 0, 0).eax & 0xffff, 0x1758);
    /* AH=0Ah: the character only, CX times, clipped at the end */
    int10(0x0200, 0, 0, 0x184e);
    int10(0x0a2a, 0, 0xffff, 0);
    ck_assert_uint_eq(cell(24, 78), 0x072a);
    ck_assert_uint_eq(cell(24, 79), 0x072a);
}
END_TEST

START_TEST(test_write_string_attrs)
{
    static const uint8_t s[] = { 'H', 0x1f, 'i', 0x4e, '!', 0x2a };
    memcpy(ram + 0x2010, s, sizeof(s));
    int10(0x0200, 0, 0, 0x0101);
    /* AL=3: pairs, the cursor moves */
    struct bios_regs r = { .eax = 0x1303,
                           .ebx = 0,
                           .ecx = 3,
                           .edx = 0x0205,
                           .es = 0x200,
                           .ebp = 0x10 };
    bios_int10(&bios, &r);
    ck_assert_uint_eq(cell(2, 5), 0x1f48);
    ck_assert_uint_eq(cell(2, 6), 0x4e69);
    ck_assert_uint_eq(cell(2, 7), 0x2a21);
    ck_assert_uint_eq(lduw_le_p(ram + 0x450), 0x0208);
    /* AL=0: characters in BL, the cursor stays */
    memcpy(ram + 0x2100, "ok\r\nnext", 8);
    r = (struct bios_regs){ .eax = 0x1300,
                            .ebx = 0x0071,
                            .ecx = 8,
                            .edx = 0x0a4e,
                            .es = 0x200,
                            .ebp = 0x100 };
    bios_int10(&bios, &r);
    ck_assert_uint_eq(cell(10, 78), 0x716f);
    ck_assert_uint_eq(cell(10, 79), 0x716b);
    /* 'k' in the last column wrapped to row 11, CR LF went to row 12 */
    ck_assert_uint_eq(cell(11, 0), 0x0720);
    text_at(12, 0, "next", 0x71);
    ck_assert_uint_eq(lduw_le_p(ram + 0x450), 0x0208);
    /* AL=2: pairs, the cursor stays; page 1's own cursor */
    r = (struct bios_regs){ .eax = 0x1302,
                            .ebx = 0x0100,
                            .ecx = 2,
                            .edx = 0x0000,
                            .es = 0x200,
                            .ebp = 0x10 };
    bios_int10(&bios, &r);
    ck_assert_uint_eq(vga_plane(vga, 0)[0x1000], 'H');
    ck_assert_uint_eq(vga_plane(vga, 1)[0x1002], 0x4e);
    ck_assert_uint_eq(lduw_le_p(ram + 0x452), 0);
    ck_assert_uint_eq(cell(0, 0), 0x0720);
}
END_TEST

START_TEST(test_font_info_and_loading)
{
    struct bios_regs r = int10(0x1130, 0x0600, 0, 0);
    ck_assert_uint_eq(r.es, 0xf000);
    ck_assert_uint_eq(r.ebp & 0xffff, BIOS_FONT8X16_OFFSET);
    ck_assert_uint_eq(r.ecx & 0xffff, 16);
    ck_assert_uint_eq(r.edx & 0xff, 24);
    r = int10(0x1130, 0x0300, 0, 0);
    ck_assert_uint_eq(r.ebp & 0xffff, BIOS_FONT8X8_OFFSET);
    r = int10(0x1130, 0x0400, 0, 0);
    ck_assert_uint_eq(r.ebp & 0xffff, BIOS_FONT8X8_OFFSET + 0x400);
    r = int10(0x1130, 0x0200, 0, 0);
    ck_assert_uint_eq(r.ebp & 0xffff, BIOS_FONT8X14_OFFSET);
    r = int10(0x1130, 0x0100, 0, 0);
    ck_assert_uint_eq(r.es, 0xf000);
    ck_assert_uint_eq(r.ebp & 0xffff, BIOS_FONT8X8_OFFSET);
    /* the ROM holds the fonts where the pointers say */
    ck_assert_mem_eq(rom + BIOS_FONT8X16_OFFSET, bios_font_8x16, 4096);
    ck_assert_mem_eq(rom + BIOS_FONT8X14_OFFSET, bios_font_8x14, 14 * 256);
    ck_assert_mem_eq(rom + BIOS_FONT8X8_OFFSET, bios_font_8x8, 2048);

    /* AX=1112h: the 8x8 font, 50 rows */
    int10(0x1112, 0, 0, 0);
    ck_assert_uint_eq(crtc(0x09) & 0x1f, 7);
    ck_assert_uint_eq(ram[0x484], 49);
    ck_assert_uint_eq(ram[0x485], 8);
    struct vga_text_geometry g;
    ck_assert(vga_text_geometry(vga, &g));
    ck_assert_int_eq(g.rows, 50);
    ck_assert_mem_eq(vga_plane(vga, 2) + 'A' * 32, bios_font_8x8 + 'A' * 8, 8);
    ck_assert_uint_eq(int10(0x1130, 0, 0, 0).ecx & 0xffff, 8);
    /* AX=1100h: a user glyph for 'A' from ES:BP into block 1 */
    for (int i = 0; i < 16; i++)
        ram[0x3000 + i] = (uint8_t)(0xa0 + i);
    r = (struct bios_regs){ .eax = 0x1100,
                            .ebx = 0x1001,
                            .ecx = 1,
                            .edx = 'A',
                            .es = 0x300,
                            .ebp = 0 };
    bios_int10(&bios, &r);
    ck_assert_uint_eq(vga_plane(vga, 2)[0x4000 + 'A' * 32], 0xa0);
    ck_assert_uint_eq(vga_plane(vga, 2)[0x4000 + 'A' * 32 + 15], 0xaf);
    /* a count past the last character stops at FFh */
    r.ecx = 0xffff;
    r.edx = 0xff;
    bios_int10(&bios, &r);
    /* AX=1103h: SR03 */
    int10(0x1103, 0x0005, 0, 0);
    ck_assert_uint_eq(seq(3), 0x05);
    /* 350 scan lines: the next mode 3 has 8x14 characters */
    ck_assert_uint_eq(int10(0x1201, 0x0030, 0, 0).eax & 0xff, 0x12);
    int10(0x0003, 0, 0, 0);
    ck_assert_uint_eq(crtc(0x09), 0x4d);
    ck_assert_uint_eq(ram[0x485], 14);
    ck_assert_uint_eq(inb(0x3cc), 0xa7);
    ck_assert(vga_text_geometry(vga, &g));
    ck_assert_int_eq(g.rows, 25);
    ck_assert_mem_eq(vga_plane(vga, 2) + 'A' * 32, bios_font_8x14 + 'A' * 14,
                     14);
}
END_TEST

START_TEST(test_palette_dac)
{
    int10(0x1010, 0x0005, 0x2010, 0x3f00); /* DAC 5 = 3F 20 10 */
    struct bios_regs r = int10(0x1015, 0x0005, 0, 0);
    ck_assert_uint_eq(r.edx >> 8 & 0xff, 0x3f);
    ck_assert_uint_eq(r.ecx >> 8 & 0xff, 0x20);
    ck_assert_uint_eq(r.ecx & 0xff, 0x10);
    int10(0x1000, 0x3a01, 0, 0);
    ck_assert_uint_eq(ar(1), 0x3a);
    ck_assert_uint_eq(int10(0x1007, 0x0001, 0, 0).ebx >> 8 & 0xff, 0x3a);
    int10(0x1001, 0x0900, 0, 0);
    ck_assert_uint_eq(int10(0x1008, 0, 0, 0).ebx >> 8 & 0xff, 0x09);
    int10(0x1003, 0x0000, 0, 0); /* intensity instead of blinking */
    ck_assert_uint_eq(ar(0x10) & 0x08, 0);
    int10(0x1003, 0x0001, 0, 0);
    ck_assert_uint_eq(ar(0x10) & 0x08, 0x08);
    /* all 17 palette registers from ES:DX and back */
    for (int i = 0; i < 17; i++)
        ram[0x4000 + i] = (uint8_t)(0x20 + i);
    struct bios_regs w = { .eax = 0x1002, .edx = 0, .es = 0x400 };
    bios_int10(&bios, &w);
    ck_assert_uint_eq(ar(15), 0x2f);
    ck_assert_uint_eq(ar(0x11), 0x30);
    w = (struct bios_regs){ .eax = 0x1009, .edx = 0x100, .es = 0x400 };
    bios_int10(&bios, &w);
    ck_assert_mem_eq(ram + 0x4100, ram + 0x4000, 17);
    /* a block of DAC registers, written, read back, summed to grays */
    for (int i = 0; i < 6; i++)
        ram[0x5000 + i] = (uint8_t)(i * 10);
    w = (struct bios_regs){
        .eax = 0x1012, .ebx = 0x80, .ecx = 2, .edx = 0, .es = 0x500
    };
    bios_int10(&bios, &w);
    w = (struct bios_regs){
        .eax = 0x1017, .ebx = 0x80, .ecx = 2, .edx = 0x10, .es = 0x500
    };
    bios_int10(&bios, &w);
    ck_assert_mem_eq(ram + 0x5010, ram + 0x5000, 6);
    int10(0x101b, 0x0080, 0x0001, 0);
    r = int10(0x1015, 0x0080, 0, 0);
    ck_assert_uint_eq(r.edx >> 8 & 0xff, (59 * 10 + 11 * 20 + 50) / 100);
    ck_assert_uint_eq(r.ecx >> 8 & 0xff, r.edx >> 8 & 0xff);
    ck_assert_uint_eq(r.ecx & 0xff, r.edx >> 8 & 0xff);
    /* a block past entry FFh stops there */
    int10(0x1017, 0x00ff, 0xffff, 0);
    /* AX=101Ah: paging mode 0, page 0 */
    ck_assert_uint_eq(int10(0x101a, 0xffff, 0, 0).ebx & 0xffff, 0);
}
END_TEST

START_TEST(test_pages_and_info)
{
    ck_assert_uint_eq(int10(0x0f00, 0, 0, 0).eax & 0xffff, 0x5003);
    /* page 1: start address 800h cells, its own cursor */
    int10(0x0200, 0x0100, 0, 0x0203);
    int10(0x0501, 0, 0, 0);
    ck_assert_uint_eq(ram[0x462], 1);
    ck_assert_uint_eq(lduw_le_p(ram + 0x44e), 0x1000);
    ck_assert_uint_eq(crtc(0x0c) << 8 | crtc(0x0d), 0x800);
    ck_assert_uint_eq(crtc(0x0e) << 8 | crtc(0x0f), 0x800 + 2 * 80 + 3);
    ck_assert_uint_eq(int10(0x0f00, 0, 0, 0).ebx >> 8 & 0xff, 1);
    int10(0x0509, 0, 0, 0); /* no page 9 */
    ck_assert_uint_eq(ram[0x462], 1);
    int10(0x0500, 0, 0, 0);
    /* cursor shape: emulated onto 16-line characters */
    int10(0x0100, 0, 0x0607, 0);
    ck_assert_uint_eq(crtc(0x0a), 0x0d);
    ck_assert_uint_eq(crtc(0x0b), 0x0e);
    ck_assert_uint_eq(int10(0x0300, 0, 0, 0).ecx & 0xffff, 0x0607);
    int10(0x0100, 0, 0x2000, 0);
    ck_assert_uint_eq(crtc(0x0a) & 0x20, 0x20);
    /* display combination, EGA information, VBE */
    struct bios_regs r = int10(0x1a00, 0, 0, 0);
    ck_assert_uint_eq(r.eax & 0xff, 0x1a);
    ck_assert_uint_eq(r.ebx & 0xffff, 0x0008);
    r = int10(0x1200, 0xff10, 0xffff, 0);
    ck_assert_uint_eq(r.ebx & 0xffff, 0x0003);
    ck_assert_uint_eq(r.ecx & 0xffff, 0x0009);
    ck_assert_uint_eq(int10(0x4f01, 0, 0x1ff, 0).eax & 0xffff, 0x014f);
    /* AH=1Bh: the state at ES:DI, the static table in the ROM */
    r = (struct bios_regs){ .eax = 0x1b00, .ebx = 0, .es = 0x600, .edi = 0 };
    bios_int10(&bios, &r);
    ck_assert_uint_eq(r.eax & 0xff, 0x1b);
    ck_assert_uint_eq(ldl_le_p(ram + 0x6000),
                      0xf0000000u | BIOS_VIDEO_STATIC_OFFSET);
    ck_assert_uint_eq(ram[0x6004], 3);
    ck_assert_uint_eq(lduw_le_p(ram + 0x6005), 80);
    ck_assert_uint_eq(ram[0x6022], 25);
    ck_assert_uint_eq(lduw_le_p(ram + 0x6023), 16);
    ck_assert_uint_eq(ram[0x6025], 0x08);
    ck_assert_uint_eq(lduw_le_p(ram + 0x6027), 16);
    ck_assert_uint_eq(ram[0x602a], 2);
    /* CGA colour select in mode 4: palette 1, bright */
    int10(0x0004, 0, 0, 0);
    int10(0x0b00, 0x0011, 0, 0);
    int10(0x0b00, 0x0101, 0, 0);
    ck_assert_uint_eq(ram[0x466], 0x31);
    ck_assert_uint_eq(ar(1), 0x13);
    ck_assert_uint_eq(ar(3), 0x17);
}
END_TEST

/* The byte of plane p at line y, byte x of a 640-pixel planar mode. */
static uint8_t planar(int p, int y, int x)
{
    return vga_plane(vga, p)[y * 80 + x];
}

START_TEST(test_graphics_text_and_scroll)
{
    /* 12h: INT 43h at the 8x16 font; 'A' in colour 0Eh at (1, 2) */
    int10(0x0012, 0, 0, 0);
    ck_assert_uint_eq(lduw_le_p(ram + 0x43 * 4), BIOS_FONT8X16_OFFSET);
    int10(0x0200, 0, 0, 0x0102);
    int10(0x0941, 0x000e, 1, 0);
    const uint8_t *a = bios_font_8x16 + 'A' * 16;
    for (int y = 0; y < 16; y++) {
        ck_assert_uint_eq(planar(0, 16 + y, 2), 0);
        ck_assert_uint_eq(planar(1, 16 + y, 2), a[y]);
        ck_assert_uint_eq(planar(2, 16 + y, 2), a[y]);
        ck_assert_uint_eq(planar(3, 16 + y, 2), a[y]);
    }
    ck_assert_uint_eq(int10(0x0d00, 0, 2 * 8 + 1, 16 + 7).eax & 0xff,
                      (a[7] & 0x40) ? 0x0e : 0);
    /* XOR the same glyph in 0Eh: blank again */
    int10(0x0941, 0x008e, 1, 0);
    for (int y = 0; y < 16; y++)
        ck_assert_uint_eq(planar(1, 16 + y, 2), 0);
    int10(0x0941, 0x0009, 1, 0);
    /* scroll up one row: the glyph moves to row 0, row 29 blank in 4 */
    int10(0x0601, 0x0400, 0x0000, 0x1d4f);
    for (int y = 0; y < 16; y++) {
        ck_assert_uint_eq(planar(0, y, 2), a[y]);
        ck_assert_uint_eq(planar(3, y, 2), a[y]);
        ck_assert_uint_eq(planar(1, 16 + y, 2), 0);
        ck_assert_uint_eq(planar(2, 29 * 16 + y, 79), 0xff);
        ck_assert_uint_eq(planar(0, 29 * 16 + y, 79), 0x00);
    }
    /* teletype in graphics: colour BL, the cursor moves */
    int10(0x0200, 0, 0, 0x0500);
    int10(0x0e41, 0x0001, 0, 0);
    ck_assert_uint_eq(lduw_le_p(ram + 0x450), 0x0501);
    ck_assert_uint_eq(planar(0, 5 * 16 + 7, 0), a[7]);
    ck_assert_uint_eq(planar(1, 5 * 16 + 7, 0), 0);
    /* AH=08h finds the glyph by its shape; a blank cell matches the
     * first blank glyph, 00h */
    int10(0x0200, 0, 0, 0x0500);
    ck_assert_uint_eq(int10(0x0800, 0, 0, 0).eax & 0xffff, 0x0041);
    int10(0x0200, 0, 0, 0x0510);
    ck_assert_uint_eq(int10(0x0800, 0, 0, 0).eax & 0xffff, 0x0000);

    /* 13h: INT 43h at the 8x8 font, a byte a pixel */
    int10(0x0013, 0, 0, 0);
    ck_assert_uint_eq(lduw_le_p(ram + 0x43 * 4), BIOS_FONT8X8_OFFSET);
    int10(0x0200, 0, 0, 0x0000);
    int10(0x0a41, 0x000f, 1, 0);
    ck_assert_uint_eq(int10(0x0800, 0, 0, 0).eax & 0xffff, 0x0041);
    const uint8_t *a8 = bios_font_8x8 + 'A' * 8;
    for (int x = 0; x < 8; x++)
        ck_assert_uint_eq(int10(0x0d00, 0, (uint32_t)x, 2).eax & 0xff,
                          (a8[2] & (0x80 >> x)) ? 0x0f : 0);
    int10(0x0701, 0x0000, 0x0000, 0x1827); /* down one row */
    for (int x = 0; x < 8; x++)
        ck_assert_uint_eq(int10(0x0d00, 0, (uint32_t)x, 8 + 2).eax & 0xff,
                          (a8[2] & (0x80 >> x)) ? 0x0f : 0);
    ck_assert_uint_eq(int10(0x0d00, 0, 1, 2).eax & 0xff, 0);
}
END_TEST

/* 3000 random calls with random registers (fixed seed; counts of the
 * character writes kept under 400h so the run stays short): every one
 * returns without a crash or a hang (under ASan/UBSan: no access out of
 * bounds), and the services still work afterwards. */
START_TEST(test_random_calls)
{
    static const uint8_t funcs[] = { 0x00, 0x01, 0x02, 0x03, 0x05, 0x06,
                                     0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
                                     0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12,
                                     0x13, 0x1a, 0x1b, 0x1c, 0x4f, 0xff };
    uint32_t seed = 12345;
    for (int i = 0; i < 3000; i++) {
        uint32_t v[6];
        for (int k = 0; k < 6; k++) {
            seed = seed * 1103515245u + 12345u;
            v[k] = seed >> 8;
        }
        uint8_t ah = funcs[v[0] % sizeof(funcs)];
        struct bios_regs r = {
            .eax = (uint32_t)ah << 8 | (v[1] & 0xff),
            .ebx = v[2] & 0xffff,
            .ecx = ah == 0x13 || ah == 0x09 || ah == 0x0a ? v[3] & 0x3ff
                                                          : v[3] & 0xffff,
            .edx = v[4] & 0xffff,
            .ebp = v[5] & 0xffff,
            .edi = v[5] >> 8 & 0xffff,
            .es = (uint16_t)(0x1000 + (v[1] >> 8) % 0x8000),
        };
        if (ah == 0x00 && (r.eax & 0x7f) > 0x13)
            r.eax = 0x0003;
        bios_int10(&bios, &r);
    }
    /* the machine still works: mode 3, a string, read back */
    int10(0x0003, 0, 0, 0);
    int10(0x0e4f, 0, 0, 0);
    int10(0x0200, 0, 0, 0);
    ck_assert_uint_eq(int10(0x0800, 0, 0, 0).eax & 0xffff, 0x074f);
}
END_TEST

static struct bios_regs vbe(uint32_t ax, uint32_t bx, uint32_t cx,
                            uint32_t dx, uint16_t es, uint32_t di)
{
    struct bios_regs r = { .eax = ax, .ebx = bx, .ecx = cx, .edx = dx,
                           .es = es, .edi = di };
    ck_assert_int_eq(bios_int10(&bios, &r), BIOS_STATUS_DONE);
    return r;
}

/* VBE 2.0 (bios/vbe.c): the controller and mode information, a mode
 * set on the Bochs VBE interface and drawn by the VGA, the other calls
 * and what they refuse. */
START_TEST(test_vbe)
{
    uint8_t *buf = ram + 0x7000;
    memcpy(buf, "VBE2", 4);
    struct bios_regs r = vbe(0x4f00, 0, 0, 0, 0x700, 0);
    ck_assert_uint_eq(r.eax & 0xffff, 0x004f);
    ck_assert(memcmp(buf, "VESA", 4) == 0);
    ck_assert_uint_eq(lduw_le_p(buf + 4), 0x0200);
    ck_assert_uint_eq(lduw_le_p(buf + 18), 256);
    uint32_t list = lduw_le_p(buf + 16) * 16u + lduw_le_p(buf + 14);
    ck_assert_uint_ge(list, 0x7000u + 34);
    ck_assert_uint_lt(list, 0x7000u + 256);
    int n = 0;
    bool has_141 = false, has_110 = false;
    for (uint32_t p = list; lduw_le_p(ram + p) != 0xffff && n < 100; p += 2, n++) {
        has_141 |= lduw_le_p(ram + p) == 0x141;
        has_110 |= lduw_le_p(ram + p) == 0x110;
    }
    ck_assert_int_eq(n, 28);
    ck_assert(has_141);
    ck_assert(has_110); /* 640x480 in 15 bpp */
    uint32_t oem = lduw_le_p(buf + 8) * 16u + lduw_le_p(buf + 6);
    ck_assert_uint_ge(oem, 0x7000u + 256);
    ck_assert_str_eq((char *)ram + oem, "jet86 VBE");

    r = vbe(0x4f01, 0, 0x141, 0, 0x700, 0x200);
    ck_assert_uint_eq(r.eax & 0xffff, 0x004f);
    uint8_t *mi = ram + 0x7200;
    ck_assert_uint_eq(lduw_le_p(mi) & 0x99, 0x99); /* supported, LFB */
    ck_assert_uint_eq(lduw_le_p(mi + 16), 3200);
    ck_assert_uint_eq(lduw_le_p(mi + 18), 800);
    ck_assert_uint_eq(lduw_le_p(mi + 20), 600);
    ck_assert_uint_eq(mi[25], 32);
    ck_assert_uint_eq(mi[27], 6);
    ck_assert_uint_eq(mi[32], 16); /* red at bit 16 */
    ck_assert_uint_eq(ldl_le_p(mi + 40), 0xe0000000u);

    r = vbe(0x4f02, 0x4141, 0, 0, 0, 0);
    ck_assert_uint_eq(r.eax & 0xffff, 0x004f);
    r = vbe(0x4f03, 0, 0, 0, 0, 0);
    ck_assert_uint_eq(r.ebx & 0xffff, 0x4141);
    struct vga_frame f;
    vga_render(vga, 0, &f);
    ck_assert_int_eq(f.width, 800);
    ck_assert_int_eq(f.height, 600);
    /* Drawn through the framebuffer. */
    const struct mem_section *sec = mem_lookup(mem, 0xe0000000u + 3200 + 8);
    ck_assert_ptr_nonnull(sec);
    mem_section_write(sec, MEM_ATTRS_NONE, 0xe0000000u + 3200 + 8, 0x00ff8000, 4);
    vga_render(vga, 0, &f);
    ck_assert_uint_eq(f.pixels[800 + 2], 0xff8000u);

    r = vbe(0x4f05, 0x0000, 0, 3, 0, 0);
    ck_assert_uint_eq(r.eax & 0xffff, 0x004f);
    r = vbe(0x4f05, 0x0100, 0, 0, 0, 0);
    ck_assert_uint_eq(r.edx & 0xffff, 3);
    ck_assert_uint_eq(vbe(0x4f05, 0x0000, 0, 256, 0, 0).eax & 0xffff, 0x014f);
    r = vbe(0x4f06, 0x0000, 1024, 0, 0, 0);
    ck_assert_uint_eq(r.eax & 0xffff, 0x004f);
    ck_assert_uint_eq(r.ebx & 0xffff, 4096);
    ck_assert_uint_eq(r.ecx & 0xffff, 1024);
    ck_assert_uint_eq(r.edx & 0xffff, 4096);
    r = vbe(0x4f07, 0x0000, 10, 20, 0, 0);
    ck_assert_uint_eq(r.eax & 0xffff, 0x004f);
    r = vbe(0x4f07, 0x0001, 0, 0, 0, 0);
    ck_assert_uint_eq(r.ecx & 0xffff, 10);
    ck_assert_uint_eq(r.edx & 0xffff, 20);
    /* VBE 3.0's byte address: line 3 (1024 x 4 bytes), pixel 5. */
    r = vbe(0x4f07, 0x0002, 3 * 4096 + 5 * 4, 0, 0, 0);
    ck_assert_uint_eq(r.eax & 0xffff, 0x004f);
    r = vbe(0x4f07, 0x0001, 0, 0, 0, 0);
    ck_assert_uint_eq(r.ecx & 0xffff, 5);
    ck_assert_uint_eq(r.edx & 0xffff, 3);
    r = vbe(0x4f07, 0x0004, 0, 0, 0, 0);
    ck_assert_uint_eq(r.eax & 0xffff, 0x004f);
    ck_assert_uint_ne(r.ecx & 0xffff, 0);
    ck_assert_uint_eq(vbe(0x4f07, 0x0003, 0, 0, 0, 0).eax & 0xffff, 0x014f);
    vbe(0x4f07, 0x0000, 10, 20, 0, 0);
    /* No DAC width in a direct colour mode (AH=03h). */
    r = vbe(0x4f08, 0x0800, 0, 0, 0, 0);
    ck_assert_uint_eq(r.eax & 0xffff, 0x034f);
    /* 4F09h: entry 5 as blue, green, red, pad. */
    ram[0x7300] = 0x01; ram[0x7301] = 0x02; ram[0x7302] = 0x03;
    r = vbe(0x4f09, 0x0000, 1, 5, 0x700, 0x300);
    ck_assert_uint_eq(r.eax & 0xffff, 0x004f);
    outb(0x3c7, 5);
    ck_assert_uint_eq(inb(0x3c9), 3);
    ck_assert_uint_eq(inb(0x3c9), 2);
    ck_assert_uint_eq(inb(0x3c9), 1);
    ck_assert_uint_eq(vbe(0x4f09, 0, 2, 255, 0x700, 0x300).eax & 0xffff, 0x014f);
    ck_assert_uint_eq(vbe(0x4f04, 0, 0, 3, 0, 0).eax & 0xffff, 0x014f);
    ck_assert_uint_eq(vbe(0x4f0a, 1, 0, 0, 0, 0).eax & 0xffff, 0x014f);
    ck_assert_uint_eq(vbe(0x4f02, 0x0199, 0, 0, 0, 0).eax & 0xffff, 0x014f);
    /* A VGA mode turns VBE off. */
    int10(0x0003, 0, 0, 0);
    vga_render(vga, 0, &f);
    ck_assert_int_eq(f.width, 720);
    ck_assert_uint_eq(vbe(0x4f03, 0, 0, 0, 0, 0).ebx & 0xffff, 3);
}
END_TEST

/* VBE 4F08h/4F09h with the 8-bit DAC: the DISPI's ENABLE bit 5, 8-bit
 * entries in and out, the renderer's colours; back to 6 bits. */
START_TEST(test_vbe_dac8)
{
    struct bios_regs r = vbe(0x4f02, 0x4105, 0, 0, 0, 0);
    ck_assert_uint_eq(r.eax & 0xffff, 0x004f);
    r = vbe(0x4f08, 0x0001, 0, 0, 0, 0);
    ck_assert_uint_eq((r.ebx >> 8) & 0xff, 6);
    r = vbe(0x4f08, 0x0800, 0, 0, 0, 0);
    ck_assert_uint_eq(r.eax & 0xffff, 0x004f);
    ck_assert_uint_eq((r.ebx >> 8) & 0xff, 8);
    outw(0x1ce, 4);
    ck_assert_uint_eq(inw(0x1cf) & 0x21, 0x21);
    ram[0x7300] = 0xff; /* blue */
    ram[0x7301] = 0x80; /* green */
    ram[0x7302] = 0x41; /* red */
    ck_assert_uint_eq(vbe(0x4f09, 0x0080, 1, 5, 0x700, 0x300).eax & 0xffff,
                      0x004f);
    outb(0x3c7, 5);
    ck_assert_uint_eq(inb(0x3c9), 0x41);
    ck_assert_uint_eq(inb(0x3c9), 0x80);
    ck_assert_uint_eq(inb(0x3c9), 0xff);
    memset(ram + 0x7400, 0, 8);
    ck_assert_uint_eq(vbe(0x4f09, 0x0001, 1, 5, 0x700, 0x400).eax & 0xffff,
                      0x004f);
    ck_assert_uint_eq(ldl_le_p(ram + 0x7400), 0x004180ffu);
    /* Pixel 0 in colour 5: the DAC's 8 bits as they are. */
    const struct mem_section *sec = mem_lookup(mem, 0xe0000000u);
    mem_section_write(sec, MEM_ATTRS_NONE, 0xe0000000u, 5, 1);
    struct vga_frame f;
    vga_render(vga, 0, &f);
    ck_assert_uint_eq(f.pixels[0], 0x4180ffu);
    /* No secondary palette. */
    ck_assert_uint_eq(vbe(0x4f09, 0x0002, 1, 5, 0x700, 0x300).eax & 0xffff,
                      0x024f);
    /* 6 bits: a width under 8 is 6; the stored entry's low 6 bits show. */
    r = vbe(0x4f08, 0x0700, 0, 0, 0, 0);
    ck_assert_uint_eq((r.ebx >> 8) & 0xff, 6);
    outw(0x1ce, 4);
    ck_assert_uint_eq(inw(0x1cf) & 0x20, 0);
    vga_render(vga, 0, &f);
    ck_assert_uint_eq(f.pixels[0], 0x0400ffu);
    /* A mode set goes back to 6 bits. */
    vbe(0x4f08, 0x0800, 0, 0, 0, 0);
    vbe(0x4f02, 0x4105, 0, 0, 0, 0);
    ck_assert_uint_eq((vbe(0x4f08, 0x0001, 0, 0, 0, 0).ebx >> 8) & 0xff, 6);
}
END_TEST

/* VBE 15 bpp: mode 110h's information (5:5:5) and its picture. */
START_TEST(test_vbe_15bpp)
{
    struct bios_regs r = vbe(0x4f01, 0, 0x110, 0, 0x700, 0x200);
    ck_assert_uint_eq(r.eax & 0xffff, 0x004f);
    const uint8_t *mi = ram + 0x7200;
    ck_assert_uint_eq(lduw_le_p(mi + 16), 1280);
    ck_assert_uint_eq(mi[25], 15);
    ck_assert_uint_eq(mi[27], 6);
    static const uint8_t want[8] = { 5, 10, 5, 5, 5, 0, 1, 15 };
    ck_assert(memcmp(mi + 31, want, 8) == 0);
    ck_assert_uint_eq(vbe(0x4f02, 0x4110, 0, 0, 0, 0).eax & 0xffff, 0x004f);
    const struct mem_section *sec = mem_lookup(mem, 0xe0000000u);
    mem_section_write(sec, MEM_ATTRS_NONE, 0xe0000000u, 0x7c00, 2);
    struct vga_frame f;
    vga_render(vga, 0, &f);
    ck_assert_int_eq(f.width, 640);
    ck_assert_uint_eq(f.pixels[0], 0xff0000u);
}
END_TEST

/* VBE 4F04h: the buffer's size for every state, then a VBE mode, its
 * panning, 8-bit DAC and an entry saved, mode 3 set, and all restored. */
START_TEST(test_vbe_save_restore)
{
    /* 64 + 64 + 772 + 32 bytes: 15 blocks; the VGA's alone 900 bytes. */
    ck_assert_uint_eq(vbe(0x4f04, 0, 0x000f, 0, 0, 0).ebx & 0xffff, 15);
    ck_assert_uint_eq(vbe(0x4f04, 0, 0x0007, 0, 0, 0).ebx & 0xffff, 15);
    ck_assert_uint_eq(vbe(0x4f04, 0, 0x0001, 0, 0, 0).ebx & 0xffff, 1);
    ck_assert_uint_eq(vbe(0x4f04, 0, 0x0008, 0, 0, 0).ebx & 0xffff, 1);
    vbe(0x4f02, 0x4103, 0, 0, 0, 0);
    vbe(0x4f06, 0x0000, 1024, 0, 0, 0);
    vbe(0x4f07, 0x0000, 16, 8, 0, 0);
    vbe(0x4f08, 0x0800, 0, 0, 0, 0);
    ram[0x7300] = 0x11; ram[0x7301] = 0x22; ram[0x7302] = 0xee;
    vbe(0x4f09, 0x0000, 1, 7, 0x700, 0x300);
    struct bios_regs r = vbe(0x4f04, 0x0000, 0x000f, 1, 0x800, 0);
    ck_assert_uint_eq(r.eax & 0xffff, 0x004f);
    int10(0x0003, 0, 0, 0);
    ck_assert_uint_eq(vbe(0x4f03, 0, 0, 0, 0, 0).ebx & 0xffff, 3);
    r = vbe(0x4f04, 0x0000, 0x000f, 2, 0x800, 0);
    ck_assert_uint_eq(r.eax & 0xffff, 0x004f);
    ck_assert_uint_eq(vbe(0x4f03, 0, 0, 0, 0, 0).ebx & 0xffff, 0x4103);
    r = vbe(0x4f06, 0x0001, 0, 0, 0, 0);
    ck_assert_uint_eq(r.ecx & 0xffff, 1024);
    r = vbe(0x4f07, 0x0001, 0, 0, 0, 0);
    ck_assert_uint_eq(r.ecx & 0xffff, 16);
    ck_assert_uint_eq(r.edx & 0xffff, 8);
    ck_assert_uint_eq((vbe(0x4f08, 0x0001, 0, 0, 0, 0).ebx >> 8) & 0xff, 8);
    outb(0x3c7, 7);
    ck_assert_uint_eq(inb(0x3c9), 0xee);
    ck_assert_uint_eq(inb(0x3c9), 0x22);
    ck_assert_uint_eq(inb(0x3c9), 0x11);
    /* The BDA's mode and the VGA registers of mode 3 came back too with
     * their own states. */
    int10(0x0013, 0, 0, 0);
    r = vbe(0x4f04, 0x0000, 0x0003, 1, 0x800, 0);
    int10(0x0003, 0, 0, 0);
    vbe(0x4f04, 0x0000, 0x0003, 2, 0x800, 0);
    ck_assert_uint_eq(ram[0x449], 0x13);
    ck_assert_uint_eq(crtc(0x09), 0x41); /* mode 13h's double scan */
    ck_assert_uint_eq(vbe(0x4f04, 0x0000, 0x000f, 3, 0x800, 0).eax & 0xffff,
                      0x014f);
}
END_TEST

/* INT 10h AH=1Ch: the VGA's states; mode 13h's registers and DAC back
 * over mode 3. */
START_TEST(test_save_restore_1c)
{
    struct bios_regs r = int10(0x1c00, 0, 7, 0);
    ck_assert_uint_eq(r.eax & 0xff, 0x1c);
    ck_assert_uint_eq(r.ebx & 0xffff, 15);
    int10(0x0013, 0, 0, 0);
    outb(0x3c8, 200);
    outb(0x3c9, 1);
    outb(0x3c9, 2);
    outb(0x3c9, 3);
    r = (struct bios_regs){ .eax = 0x1c01, .ebx = 0, .ecx = 7, .es = 0x800 };
    ck_assert_int_eq(bios_int10(&bios, &r), BIOS_STATUS_DONE);
    ck_assert_uint_eq(r.eax & 0xff, 0x1c);
    int10(0x0003, 0, 0, 0);
    ck_assert_uint_eq(crtc(0x09), 0x4f);
    r = (struct bios_regs){ .eax = 0x1c02, .ebx = 0, .ecx = 7, .es = 0x800 };
    ck_assert_int_eq(bios_int10(&bios, &r), BIOS_STATUS_DONE);
    ck_assert_uint_eq(crtc(0x09), 0x41);
    ck_assert_uint_eq(ram[0x449], 0x13);
    outb(0x3c7, 200);
    ck_assert_uint_eq(inb(0x3c9), 1);
    ck_assert_uint_eq(inb(0x3c9), 2);
    ck_assert_uint_eq(inb(0x3c9), 3);
    struct vga_frame f;
    vga_render(vga, 0, &f);
    ck_assert_int_eq(f.width, 320);
    ck_assert_int_eq(f.height, 200);
}
END_TEST

/* VBE 4F0Ah: the table in the ROM: the three routines' offsets inside
 * it, the port list (1CEh, 1CFh, no memory), each routine ending with
 * RET. */
START_TEST(test_vbe_pm_interface)
{
    struct bios_regs r = vbe(0x4f0a, 0, 0, 0, 0, 0);
    ck_assert_uint_eq(r.eax & 0xffff, 0x004f);
    ck_assert_uint_eq(r.es, 0xf000);
    unsigned off = r.edi & 0xffff, len = r.ecx & 0xffff;
    ck_assert_uint_eq(off, BIOS_VBE_PM_OFFSET);
    ck_assert_uint_gt(len, 16);
    ck_assert_uint_le(len, BIOS_VBE_PM_MAX);
    const uint8_t *t = rom + off;
    static const uint8_t ports[8] = { 0xce, 0x01, 0xcf, 0x01,
                                      0xff, 0xff, 0xff, 0xff };
    ck_assert_uint_eq(lduw_le_p(t + 6), 8);
    ck_assert(memcmp(t + 8, ports, 8) == 0);
    unsigned f5 = lduw_le_p(t), f7 = lduw_le_p(t + 2), f9 = lduw_le_p(t + 4);
    ck_assert_uint_eq(f5, 16);
    ck_assert(f5 < f7 && f7 < f9 && f9 < len);
    ck_assert_uint_eq(t[f7 - 1], 0xc3);
    ck_assert_uint_eq(t[f9 - 1], 0xc3);
    ck_assert_uint_eq(t[len - 1], 0xc3);
}
END_TEST

static Suite *video_suite(void)
{
    Suite *s = suite_create("video");
    TCase *tc = tcase_create("video");
    tcase_add_checked_fixture(tc, setup, vga_fixture_teardown);
    tcase_add_test(tc, test_post_mode3_registers);
    tcase_add_test(tc, test_post_bda_font_vectors);
    tcase_add_test(tc, test_mode_sets_and_pixels);
    tcase_add_test(tc, test_scroll);
    tcase_add_test(tc, test_teletype_bottom_right);
    tcase_add_test(tc, test_write_string_attrs);
    tcase_add_test(tc, test_font_info_and_loading);
    tcase_add_test(tc, test_palette_dac);
    tcase_add_test(tc, test_pages_and_info);
    tcase_add_test(tc, test_graphics_text_and_scroll);
    tcase_add_test(tc, test_random_calls);
    tcase_add_test(tc, test_vbe);
    tcase_add_test(tc, test_vbe_dac8);
    tcase_add_test(tc, test_vbe_15bpp);
    tcase_add_test(tc, test_vbe_save_restore);
    tcase_add_test(tc, test_vbe_pm_interface);
    tcase_add_test(tc, test_save_restore_1c);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(video_suite)
