/* vga_pci: the std VGA as a PCI function (00:02.0, 1234:1111), as the
 * firmware leaves it: its configuration header dumped as lspci -x does
 * (the first 64 bytes, with the BARs where the firmware placed them: BAR0
 * the framebuffer at 0xFD000000, BAR2 the MMIO at 0xFEBF0000, the ROM BAR
 * at 0xFEBE0000, as SeaBIOS places them and jet86's BIOS copies), then
 * through the MMIO BAR: the DISPI ID at 0x500, a DISPI register written
 * there and read back through port 1CFh, a sequencer register written at
 * 0x404 (port 3C4h/3C5h) and read at the ports; then the framebuffer's
 * bytes follow BAR0 when the program moves it, and are gone with memory
 * decoding off.
 * Of the command register only the I/O and memory enables are printed:
 * SeaBIOS also sets SERR# enable (which jet86's functions hardwire to 0)
 * and leaves bus mastering off, which jet86's BIOS turns on.
 * vga_pci.qemu-expected: where nothing decodes (the old BAR0 address,
 * decoding off) a PC's master abort reads all ones; QEMU 7.2 reads 0. */
#include "rt/rt.h"

#define DEV 2

static uint32_t cfg_addr(int reg)
{
    return 0x80000000u | (uint32_t)DEV << 11 | (reg & 0xfc);
}
static uint32_t cfg_read32(int reg)
{
    outl(0xcf8, cfg_addr(reg));
    return inl(0xcfc);
}
static void cfg_write32(int reg, uint32_t v)
{
    outl(0xcf8, cfg_addr(reg));
    outl(0xcfc, v);
}

static volatile uint32_t *at32(uint32_t a) { return (volatile uint32_t *)a; }
static volatile uint16_t *at16(uint32_t a) { return (volatile uint16_t *)a; }
static volatile uint8_t *at8(uint32_t a) { return (volatile uint8_t *)a; }

int main(void)
{
    for (int reg = 0; reg < 0x40; reg += 16) {
        rt_printf("%02x:", reg);
        for (int i = 0; i < 16; i += 4) {
            uint32_t v = cfg_read32(reg + i);
            if (reg + i == 0x04)
                v &= 0xffff0003u;
            rt_printf(" %08x", v);
        }
        rt_printf("\n");
    }
    uint32_t fb = cfg_read32(0x10) & ~0xfu;
    uint32_t mmio = cfg_read32(0x18) & ~0xfu;
    rt_printf("framebuffer %08x mmio %08x\n", fb, mmio);

    rt_printf("mmio DISPI ID: %04x\n", *at16(mmio + 0x500));
    *at16(mmio + 0x502) = 800; /* XRES, the interface off */
    outw(0x1ce, 1);
    rt_printf("XRES written at 0x502, port 1CFh reads: %u\n", inw(0x1cf));
    rt_printf("mmio VIDEO_MEMORY_64K: %u\n", *at16(mmio + 0x514));
    outb(0x3c4, 2);
    uint8_t mask = inb(0x3c5);
    *at16(mmio + 0x404) = 0x0502; /* 3C4h index 2, 3C5h data 5 */
    outb(0x3c4, 2);
    rt_printf("map mask written at 0x404, port 3C5h reads: %02x\n", inb(0x3c5));
    outb(0x3c5, mask);
    rt_printf("mmio misc output (0x40c): %02x\n", *at8(mmio + 0x40c));

    *at32(fb) = 0x12345678u;
    *at32(fb + 0xfffffc) = 0x9abcdef0u;
    cfg_write32(0x10, 0xe1000000u);
    rt_printf("BAR0 moved: %08x\n", cfg_read32(0x10));
    rt_printf("at the new address: %08x %08x\n", *at32(0xe1000000u),
              *at32(0xe1fffffcu));
    rt_printf("at the old address: %08x\n", *at32(fb));
    uint32_t cmd = cfg_read32(0x04);
    cfg_write32(0x04, cmd & ~2u);
    rt_printf("memory decoding off: %08x\n", *at32(0xe1000000u));
    cfg_write32(0x04, cmd);
    cfg_write32(0x10, fb | 8);
    rt_printf("BAR0 back: %08x\n", *at32(fb));
    return 0;
}
