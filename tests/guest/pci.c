/* pci: the PC's PCI side through configuration mechanism #1 (0xCF8 and
 * 0xCFC-0xCFF). A scan of bus 0 prints each function's IDs, class,
 * revision, header type and interrupt pin, and the size of each BAR
 * (written with all ones while decoding is off, then restored); the
 * PIIX3's PIRQ route register and an interrupt line take writes; the
 * PIIX3 IDE bus-master registers are reached at a BAR4 the program
 * assigns and vanish when I/O decoding is turned off. The i440FX PAM
 * registers: a segment set to DRAM reads back what was written, set to
 * read-only DRAM drops writes, set to the bus reads the ROM, set to
 * write-only writes DRAM that reads back once the segment is DRAM again.
 * The PIIX4 PM timer at a PMBA the program chooses counts 3 ticks per PIT
 * tick (3.579545 MHz against 1.193182 MHz). Then an ACPI soft-off
 * (PM1a_CNT SUS_TYP 0, SUS_EN) ends the run with exit status 0
 * (pci.status).
 *
 * Only what the firmware leaves alone is printed: QEMU's SeaBIOS has
 * assigned BARs and the PM base, and shadowed the BIOS (PAM) before the
 * program runs; each is saved and restored or set by the program.
 * pci.qemuargs: QEMU's pc also has a NIC (00.3) by default, which jet86
 * does not have: -net none (the std VGA at 00.2 both have).
 * pci.qemu-expected: in PAM mode 10 (write-only) the 82441FX data sheet
 * (3.2.18) sends reads to PCI, where the ROM answers; under QEMU 7.2
 * they do not return the ROM's bytes. pci.rom-qemu-expected: in the ROM
 * build (a 64 KiB image, nothing at 0xE4000) a segment set to the bus
 * reads all ones on the data sheet's PC (a master abort); QEMU 7.2 lets
 * its RAM below show through there. */
#include "rt/rt.h"

static uint32_t cfg_addr(int dev, int fn, int reg)
{
    return 0x80000000u | (uint32_t)dev << 11 | (uint32_t)fn << 8 | (reg & 0xfc);
}

static uint32_t cfg_read32(int dev, int fn, int reg)
{
    outl(0xcf8, cfg_addr(dev, fn, reg));
    return inl(0xcfc);
}

static uint8_t cfg_read8(int dev, int fn, int reg)
{
    outl(0xcf8, cfg_addr(dev, fn, reg));
    return inb(0xcfc + (reg & 3));
}

static uint16_t cfg_read16(int dev, int fn, int reg)
{
    outl(0xcf8, cfg_addr(dev, fn, reg));
    return inw(0xcfc + (reg & 2));
}

static void cfg_write32(int dev, int fn, int reg, uint32_t v)
{
    outl(0xcf8, cfg_addr(dev, fn, reg));
    outl(0xcfc, v);
}

static void cfg_write16(int dev, int fn, int reg, uint16_t v)
{
    outl(0xcf8, cfg_addr(dev, fn, reg));
    outw(0xcfc + (reg & 2), v);
}

static void cfg_write8(int dev, int fn, int reg, uint8_t v)
{
    outl(0xcf8, cfg_addr(dev, fn, reg));
    outb(0xcfc + (reg & 3), v);
}

static void print_bars(int dev, int fn)
{
    uint16_t cmd = cfg_read16(dev, fn, 0x04);
    cfg_write16(dev, fn, 0x04, cmd & ~3);
    for (int i = 0; i < 6; i++) {
        int reg = 0x10 + 4 * i;
        uint32_t old = cfg_read32(dev, fn, reg);
        cfg_write32(dev, fn, reg, 0xffffffffu);
        uint32_t v = cfg_read32(dev, fn, reg);
        cfg_write32(dev, fn, reg, old);
        if (v == 0)
            continue;
        int io = v & 1;
        uint32_t size = ~(v & (io ? ~3u : ~15u)) + 1;
        if (io)
            size &= 0xffff;
        rt_printf("  BAR%d %s, %u bytes\n", i, io ? "I/O" : "memory", size);
    }
    cfg_write16(dev, fn, 0x04, cmd);
}

static void scan(void)
{
    for (int dev = 0; dev < 32; dev++) {
        for (int fn = 0; fn < 8; fn++) {
            uint32_t id = cfg_read32(dev, fn, 0);
            if ((id & 0xffff) == 0xffff) {
                if (fn == 0)
                    break;
                continue;
            }
            uint32_t cr = cfg_read32(dev, fn, 0x08);
            uint8_t ht = cfg_read8(dev, fn, 0x0e);
            rt_printf("00:%02x.%d %04x:%04x class %06x rev %02x header %02x "
                      "pin %u\n",
                      dev, fn, id & 0xffff, id >> 16, cr >> 8, cr & 0xff, ht,
                      cfg_read8(dev, fn, 0x3d));
            if ((ht & 0x7f) == 0)
                print_bars(dev, fn);
            if (fn == 0 && !(ht & 0x80))
                break;
        }
    }
    rt_printf("absent function reads %08x\n", cfg_read32(5, 0, 0));
    outl(0xcf8, 0x80000000u);
    rt_printf("address register reads back: %08x\n", inl(0xcf8));
}

static void registers(void)
{
    uint8_t old = cfg_read8(1, 0, 0x61);
    cfg_write8(1, 0, 0x61, 0x0b);
    rt_printf("PIRQB route written 0b: %02x\n", cfg_read8(1, 0, 0x61));
    cfg_write8(1, 0, 0x61, old);
    old = cfg_read8(1, 3, 0x3c);
    cfg_write8(1, 3, 0x3c, 0x0a);
    rt_printf("01.3 interrupt line written 0a: %02x\n", cfg_read8(1, 3, 0x3c));
    cfg_write8(1, 3, 0x3c, old);
    rt_printf("vendor ID written: %04x\n",
              (cfg_write16(0, 0, 0, 0x1234), cfg_read16(0, 0, 0)));

    /* IDE bus-master registers at 0xd000 */
    uint32_t bar = cfg_read32(1, 1, 0x20);
    uint16_t cmd = cfg_read16(1, 1, 0x04);
    cfg_write32(1, 1, 0x20, 0xd000);
    cfg_write16(1, 1, 0x04, cmd | 1);
    outl(0xd004, 0x12345677u);
    outb(0xd002, 0x60);
    rt_printf("bus master: PRD pointer %08x, status %02x\n", inl(0xd004),
              inb(0xd002));
    outb(0xd002, 0x00);
    cfg_write16(1, 1, 0x04, cmd & ~1);
    rt_printf("with I/O decoding off: %08x\n", inl(0xd004));
    cfg_write32(1, 1, 0x20, bar);
    cfg_write16(1, 1, 0x04, cmd);
}

/* PAM register and nibble of a segment. */
static void pam_set(int reg, int high, uint8_t mode)
{
    uint8_t v = cfg_read8(0, 0, reg);
    v = high ? (uint8_t)((v & 0x0f) | mode << 4) : (uint8_t)((v & 0xf0) | mode);
    cfg_write8(0, 0, reg, v);
}

static void pam_segment(const char *name, uint32_t addr, int reg, int high)
{
    volatile uint32_t *p = (volatile uint32_t *)addr;
    uint8_t orig = cfg_read8(0, 0, reg);
    pam_set(reg, high, 3);
    uint32_t saved = *p;
    *p = 0x5a5aa5a5u;
    rt_printf("%s DRAM: reads back %08x\n", name, *p);
    pam_set(reg, high, 1);
    *p = 0x11111111u;
    rt_printf("%s read-only DRAM: after a write %08x\n", name, *p);
    pam_set(reg, high, 0);
    uint32_t rom = *p;
    rt_printf("%s to the bus: reads the ROM, not the DRAM: %s\n", name,
              rom != 0x5a5aa5a5u ? "yes" : "no");
    pam_set(reg, high, 2);
    *p = 0x22222222u;
    rt_printf("%s write-only: reads the ROM still: %s\n", name,
              *p == rom ? "yes" : "no");
    pam_set(reg, high, 3);
    rt_printf("%s DRAM again: %08x\n", name, *p);
    *p = saved;
    cfg_write8(0, 0, reg, orig);
}

static uint16_t pit2(void)
{
    outb(0x43, 0x80); /* latch channel 2 */
    uint8_t lo = inb(0x42);
    return (uint16_t)(lo | inb(0x42) << 8);
}

#define PMBA 0xb000

static void pm(void)
{
    cfg_write32(1, 3, 0x40, PMBA | 1);
    cfg_write8(1, 3, 0x80, 1);
    rt_printf("PMBA %08x PMREGMISC %02x\n", cfg_read32(1, 3, 0x40),
              cfg_read8(1, 3, 0x80));
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);
    outb(0x43, 0xb0); /* channel 2, mode 0 */
    outb(0x42, 0xff);
    outb(0x42, 0xff);
    uint32_t t0 = inl(PMBA + 8);
    uint16_t p0 = pit2();
    for (volatile int i = 0; i < 200000; i++)
        ;
    uint32_t t1 = inl(PMBA + 8);
    uint16_t p1 = pit2();
    uint32_t dt = (t1 - t0) & 0xffffff, dp = (uint16_t)(p0 - p1);
    rt_printf("PM timer 24 bits: %s, advances: %s\n",
              (t0 | t1) < 0x1000000 ? "yes" : "no", dt ? "yes" : "no");
    rt_printf("PM ticks per PIT tick x100 within 297-303: %s\n",
              dt * 100 >= dp * 297 && dt * 100 <= dp * 303 ? "yes" : "no");
    outw(PMBA + 4, 0x0001);
    rt_printf("PM1a_CNT SCI_EN: %04x\n", inw(PMBA + 4) & 1);
    outw(PMBA + 4, 0x0000);
}

int main(void)
{
    scan();
    registers();
    pam_segment("F0000", 0xf8000, 0x59, 1);
    pam_segment("E4000", 0xe4000, 0x5e, 1);
    pm();
    rt_puts("powering off\n");
    outw(PMBA + 4, 0x2000); /* SUS_TYP 0 (soft off), SUS_EN */
    /* QEMU powers off at its next main-loop turn, a few instructions
     * later: wait for it without printing. */
    for (volatile int i = 0; i < 20000000; i++)
        ;
    rt_puts("still running\n");
    return 0;
}
