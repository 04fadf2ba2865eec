/* postbios: the video state a PC BIOS's POST leaves before it boots the
 * kernel: the BIOS data area's video fields (449h-466h, 484h-48Ah), the
 * VGA's registers of mode 3 (misc output, sequencer, CRTC, graphics and
 * attribute controllers, DAC), the 8x16 font in plane 2 (the glyph of
 * 'A' shaped like an A: a narrow top, a crossbar, two legs), INT 43h
 * pointing at an 8x8 font and INT 1Fh at its upper half.
 *
 * Fields that depend on what the BIOS printed before the boot (the
 * cursor position and the CRTC's cursor location) are not shown.
 * postbios.expected holds what the IBM VGA technical reference says its
 * BIOS leaves (and jet86 does); QEMU's SeaBIOS VGA BIOS departs from it
 * in four places, kept in postbios.qemu-expected: BDA 465h and 466h
 * (the CGA mode and palette register values, 29h and 30h for mode 3)
 * stay 0; GR07 (colour don't care) is 0Fh, not 00h; the PEL mask at
 * 3C6h reads 0 under QEMU; and INT 43h points at its 8x16 font after
 * mode 3 (so the 8x8 checks fail and INT 1Fh is elsewhere) where IBM's
 * BIOS leaves the 8x8 font there for the graphics characters.
 * No BIOS runs in the ROM build (postbios.norom). */
#include "rt/rt.h"

/* Low physical memory (identity mapped); the address is hidden from the
 * compiler, which takes pages near 0 for null pointers. */
static volatile uint8_t *phys(uint32_t a)
{
    __asm__("" : "+r"(a));
    return (volatile uint8_t *)a;
}

static uint32_t phys32(uint32_t a)
{
    volatile uint8_t *p = phys(a);
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint8_t bda(uint32_t off)
{
    return *phys(0x400 + off);
}

static uint16_t bdaw(uint32_t off)
{
    return (uint16_t)(bda(off) | bda(off + 1) << 8);
}

static uint8_t idx_read(uint16_t port, uint8_t i)
{
    outb(port, i);
    return inb((uint16_t)(port + 1));
}

static uint8_t ar_read(uint8_t i)
{
    inb(0x3da);
    outb(0x3c0, i);
    uint8_t v = inb(0x3c1);
    inb(0x3da);
    outb(0x3c0, 0x20);
    return v;
}

/* Number of runs of set bits in a glyph row. */
static int runs(uint8_t row)
{
    int n = 0;
    for (int b = 7; b >= 0; b--)
        if ((row >> b & 1) && (b == 7 || !(row >> (b + 1) & 1)))
            n++;
    return n;
}

static int width(uint8_t row)
{
    int first = -1, last = -1;
    for (int b = 7; b >= 0; b--)
        if (row >> b & 1) {
            if (first < 0)
                first = 7 - b;
            last = 7 - b;
        }
    return first < 0 ? 0 : last - first + 1;
}

/* An A: its top row narrower than its widest, a full row (the crossbar)
 * below the top between rows of two runs (the legs), the bottom row two
 * runs. */
static void check_a(const char *what, const volatile uint8_t *g, int h)
{
    int top = -1, bottom = -1, widest = 0, bar = -1;
    for (int i = 0; i < h; i++) {
        if (!g[i])
            continue;
        if (top < 0)
            top = i;
        bottom = i;
        if (width(g[i]) > widest)
            widest = width(g[i]);
    }
    for (int i = top + 1; top >= 0 && i < bottom; i++)
        if (runs(g[i]) == 1 && width(g[i]) == widest && runs(g[i - 1]) == 2 &&
            runs(g[i + 1]) == 2)
            bar = i;
    rt_printf("%s A: top narrower %d, crossbar %d, legs %d\n", what,
              top >= 0 && width(g[top]) < widest, bar > top,
              bottom >= 0 && runs(g[bottom]) == 2);
}

int main(void)
{
    rt_printf("bda mode %x cols %x page size %x start %x shape %x page %x "
              "crtc %x\n",
              bda(0x49), bdaw(0x4a), bdaw(0x4c), bdaw(0x4e), bdaw(0x60),
              bda(0x62), bdaw(0x63));
    rt_printf("bda 465 %x 466 %x rows %x height %x 487 %x 488 %x 489 %x "
              "48a %x\n",
              bda(0x65), bda(0x66), bda(0x84), bdaw(0x85), bda(0x87),
              bda(0x88), bda(0x89), bda(0x8a));

    rt_printf("misc %x seq", inb(0x3cc));
    for (uint8_t i = 1; i <= 4; i++)
        rt_printf(" %x", idx_read(0x3c4, i));
    rt_printf("\ncrtc");
    for (uint8_t i = 0; i <= 0x18; i++)
        if (i != 0x0e && i != 0x0f)
            rt_printf(" %x", idx_read(0x3d4, i));
    rt_printf("\ngr");
    for (uint8_t i = 0; i <= 8; i++)
        rt_printf(" %x", idx_read(0x3ce, i));
    rt_printf("\nar");
    for (uint8_t i = 0; i <= 0x14; i++)
        rt_printf(" %x", ar_read(i));
    rt_printf("\ndac");
    static const uint8_t dac_idx[] = { 0x00, 0x01, 0x07, 0x14, 0x38, 0x3f };
    for (unsigned k = 0; k < sizeof(dac_idx); k++) {
        outb(0x3c7, dac_idx[k]);
        uint8_t r = inb(0x3c9), g = inb(0x3c9), b = inb(0x3c9);
        rt_printf(" %x:%x,%x,%x", dac_idx[k], r, g, b);
    }
    rt_printf(" mask %x\n", inb(0x3c6));

    /* plane 2 as memory at A0000h: sequential, read map 2, no odd/even */
    uint8_t sr2 = idx_read(0x3c4, 2), sr4 = idx_read(0x3c4, 4);
    uint8_t gr4 = idx_read(0x3ce, 4), gr5 = idx_read(0x3ce, 5),
            gr6 = idx_read(0x3ce, 6);
    outb(0x3c4, 4);
    outb(0x3c5, 0x06);
    outb(0x3ce, 4);
    outb(0x3cf, 0x02);
    outb(0x3ce, 5);
    outb(0x3cf, 0x00);
    outb(0x3ce, 6);
    outb(0x3cf, 0x04);
    uint8_t glyph[32];
    for (int i = 0; i < 32; i++)
        glyph[i] = *phys(0xa0000 + 'A' * 32 + i);
    int blank_space = 1, full_block = 1;
    for (int i = 0; i < 16; i++) {
        blank_space &= *phys(0xa0000 + ' ' * 32 + i) == 0;
        full_block &= *phys(0xa0000 + 0xdb * 32 + i) == 0xff;
    }
    outb(0x3c4, 2);
    outb(0x3c5, sr2);
    outb(0x3c4, 4);
    outb(0x3c5, sr4);
    outb(0x3ce, 4);
    outb(0x3cf, gr4);
    outb(0x3ce, 5);
    outb(0x3cf, gr5);
    outb(0x3ce, 6);
    outb(0x3cf, gr6);
    int rows = 0;
    for (int i = 0; i < 32; i++)
        if (glyph[i])
            rows = i + 1;
    rt_printf("plane 2: 'A' within %s16 rows, ' ' blank %d, DBh full %d\n",
              rows <= 16 ? "" : "more than ", blank_space, full_block);
    check_a("plane 2", glyph, 16);

    /* INT 43h: an 8x8 font where ' ' is blank, DBh a full block of 8
     * rows followed by DCh's upper half blank */
    uint32_t v43 = phys32(0x43 * 4);
    uint32_t v1f = phys32(0x1f * 4);
    const volatile uint8_t *f8 = phys((v43 >> 16) * 16 + (v43 & 0xffff));
    int f8_space = 1, f8_block = 1;
    for (int i = 0; i < 8; i++) {
        f8_space &= f8[' ' * 8 + i] == 0;
        f8_block &= f8[0xdb * 8 + i] == 0xff;
    }
    rt_printf("int 43h: ' ' blank %d, DBh full %d, DCh top blank %d\n",
              f8_space, f8_block, f8[0xdc * 8] == 0);
    check_a("int 43h", f8 + 'A' * 8, 8);
    uint32_t lin43 = (v43 >> 16) * 16 + (v43 & 0xffff);
    uint32_t lin1f = (v1f >> 16) * 16 + (v1f & 0xffff);
    rt_printf("int 1fh - int 43h: %x\n", lin1f - lin43);
    rt_puts("postbios done\n");
    return 0;
}
