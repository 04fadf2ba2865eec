/* vbe: the Bochs VBE extensions of the VGA ("DISPI", as Bochs and QEMU's
 * std VGA document them) programmed directly: the ID register's version
 * handshake, the memory size, GETCAPS, a 800x600x32 mode with the linear
 * framebuffer (the PCI std VGA's BAR0 where the firmware put it, else
 * an ISA VGA's 0xE0000000), the registers read back, the virtual
 * screen and display start, the banked window at A0000h showing the
 * same memory, the memory cleared (or not) when a mode is turned on, and
 * the VGA again after turning it off.
 *
 * QEMU's maximum resolution differs (16000x12000), so only the maximum
 * depth and "at least 1920x1080" are printed. */
#include "rt/rt.h"

static volatile uint32_t *LFB = (volatile uint32_t *)0xe0000000u;
#define WIN ((volatile uint32_t *)0xa0000u)

enum { ID, XRES, YRES, BPP, ENABLE, BANK, VIRT_W, VIRT_H, X_OFF, Y_OFF,
       MEM64K };

static void dispi(int i, uint16_t v)
{
    outw(0x1ce, (uint16_t)i);
    outw(0x1cf, v);
}
static uint16_t dispi_get(int i)
{
    outw(0x1ce, (uint16_t)i);
    return inw(0x1cf);
}

static void mode(int w, int h, int bpp, uint16_t flags)
{
    dispi(ENABLE, 0);
    dispi(XRES, (uint16_t)w);
    dispi(YRES, (uint16_t)h);
    dispi(BPP, (uint16_t)bpp);
    dispi(ENABLE, (uint16_t)(0x01 | flags));
}

/* The std VGA (1234:1111) at PCI 00:02.0: its BAR0; placed at
 * 0xE0000000 and decoded when no firmware did (the ROM build). */
static void find_lfb(void)
{
    outl(0xcf8, 0x80000000u | 2u << 11);
    if (inl(0xcfc) != 0x11111234u)
        return;
    outl(0xcf8, 0x80000000u | 2u << 11 | 0x10);
    uint32_t bar = inl(0xcfc) & ~0xfu;
    if (bar == 0) {
        outl(0xcfc, 0xe0000000u);
        outl(0xcf8, 0x80000000u | 2u << 11 | 0x04);
        outw(0xcfc, inw(0xcfc) | 2); /* memory decoding */
        bar = 0xe0000000u;
    }
    LFB = (volatile uint32_t *)bar;
}

int main(void)
{
    find_lfb();
    dispi(ID, 0xb0c4);
    rt_printf("id after writing b0c4: %x\n", dispi_get(ID));
    dispi(ID, 0xb0c5);
    rt_printf("id after writing b0c5: %x\n", dispi_get(ID));
    rt_printf("memory: %d x 64 KiB\n", dispi_get(MEM64K));

    dispi(ENABLE, 0x02); /* GETCAPS */
    uint16_t mx = dispi_get(XRES), my = dispi_get(YRES);
    rt_printf("caps: bpp %d, 1920x1080 fits %s\n", dispi_get(BPP),
              mx >= 1920 && my >= 1080 ? "yes" : "no");
    dispi(ENABLE, 0);

    mode(800, 600, 32, 0x40);
    rt_printf("mode: %dx%dx%d enable %x\n", dispi_get(XRES), dispi_get(YRES),
              dispi_get(BPP), dispi_get(ENABLE));
    rt_printf("virtual: %dx%d offset %d,%d bank %d\n", dispi_get(VIRT_W),
              dispi_get(VIRT_H), dispi_get(X_OFF), dispi_get(Y_OFF),
              dispi_get(BANK));

    /* The framebuffer and the banked window are the same memory. */
    LFB[0] = 0x00112233;
    LFB[0x10000 / 4 + 1] = 0x00445566;
    rt_printf("bank 0 window[0]: %x\n", WIN[0]);
    dispi(BANK, 1);
    rt_printf("bank %d window[1]: %x\n", dispi_get(BANK), WIN[1]);
    WIN[2] = 0x00778899;
    rt_printf("lfb after a window write: %x\n", LFB[0x10000 / 4 + 2]);

    dispi(VIRT_W, 1024);
    dispi(X_OFF, 100);
    dispi(Y_OFF, 50);
    rt_printf("virtual: %dx%d offset %d,%d\n", dispi_get(VIRT_W),
              dispi_get(VIRT_H), dispi_get(X_OFF), dispi_get(Y_OFF));

    /* Turned on again: cleared, unless bit 7 says not to. */
    LFB[10] = 0x00abcdef;
    mode(640, 480, 16, 0x40 | 0x80);
    rt_printf("no clear: %x\n", LFB[10]);
    mode(640, 480, 16, 0x40);
    rt_printf("clear: %x, virtual %dx%d\n", LFB[10], dispi_get(VIRT_W),
              dispi_get(VIRT_H));

    dispi(ENABLE, 0);
    rt_printf("off: enable %x\n", dispi_get(ENABLE));
    return 0;
}
