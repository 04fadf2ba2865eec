/* dma: the PC/AT's two 8237A DMA controllers (ports 0x00-0x0F, 0xC0-0xDF)
 * and their page registers (0x81-0x8F).
 *
 * Address and count registers read back through the byte-pointer
 * flip-flop (an odd number of accesses leaves it on the high byte; port
 * 0x0C clears it), on both controllers; page registers read back; then a
 * transfer the floppy controller does on channel 2 (floppy.args: the
 * 1.44M diskette of the floppy program, "S000" in sector 0): the current
 * address and count after it, the status register's TC bit for channel
 * 2 (cleared by reading it), and the same with auto-initialize, where
 * the registers are back at their base values after TC.
 *
 * QEMU's 8237 does not reload the current address and count at TC in
 * auto-initialize mode (dma.qemu-expected: address 0200, count ffff);
 * the 8237A data sheet ("Autoinitialize") restores them from the base
 * registers after EOP. */
#include "rt/rt.h"

#define DOR 0x3f2
#define MSR 0x3f4
#define FIFO 0x3f5
#define DIR 0x3f7

#define BUF 0x330000u

static void fdc_out(uint8_t v)
{
    for (long i = 0; i < 1000000; i++) {
        if ((inb(MSR) & 0xc0) == 0x80) {
            outb(FIFO, v);
            return;
        }
    }
    rt_printf("timeout writing %02x\n", v);
}

static int fdc_result(uint8_t *r, int max)
{
    int n = 0;
    for (long i = 0; i < 10000000 && n < max; i++) {
        uint8_t m = inb(MSR);
        if ((m & 0xd0) == 0xd0)
            r[n++] = inb(FIFO);
        else if (n && (m & 0xd0) == 0x80)
            break;
    }
    return n;
}

static unsigned rd16(uint16_t port)
{
    unsigned lo = inb(port);
    return lo | (unsigned)inb(port) << 8;
}

/* The FDC reads sector 1 of cylinder 0 head 0 (EOT 1) into BUF by DMA;
 * its ST0 and ST1. */
static void fdc_read_sector(uint8_t *r)
{
    fdc_out(0x66);
    fdc_out(0x00);
    fdc_out(0);
    fdc_out(0);
    fdc_out(1);
    fdc_out(2);
    fdc_out(1);
    fdc_out(0x1b);
    fdc_out(0xff);
    fdc_result(r, 7);
}

static void program2(uint8_t mode, uint16_t count)
{
    outb(0x0a, 0x06);
    outb(0x0c, 0);
    outb(0x0b, mode);
    outb(0x04, BUF & 0xff);
    outb(0x04, (BUF >> 8) & 0xff);
    outb(0x81, (BUF >> 16) & 0xff);
    outb(0x05, (count - 1) & 0xff);
    outb(0x05, (count - 1) >> 8);
    outb(0x0a, 0x02);
}

int main(void)
{
    uint8_t r[8];

    /* Channel 1: address 0x1234, count 0x5678. */
    outb(0x0c, 0);
    outb(0x02, 0x34);
    outb(0x02, 0x12);
    outb(0x03, 0x78);
    outb(0x03, 0x56);
    outb(0x0c, 0);
    unsigned a1 = rd16(0x02);
    rt_printf("ch1 address %04x count %04x\n", a1, rd16(0x03));
    /* One read leaves the flip-flop on the high byte. */
    outb(0x0c, 0);
    (void)inb(0x02);
    unsigned hi = inb(0x02);
    outb(0x0c, 0);
    unsigned lo = inb(0x02);
    rt_printf("ch1 after one read: %02x, after clearing: %02x\n", hi, lo);
    outb(0x0c, 0);

    /* Channel 6 on the second controller: registers at 0xC8/0xCA. */
    outb(0xd8, 0);
    outb(0xc8, 0xcd);
    outb(0xc8, 0xab);
    outb(0xca, 0x10);
    outb(0xca, 0x00);
    outb(0xd8, 0);
    unsigned a6 = rd16(0xc8);
    rt_printf("ch6 address %04x count %04x\n", a6, rd16(0xca));

    /* Page registers: channel 2 (0x81), 3 (0x82), 1 (0x83), 7 (0x8A). */
    outb(0x81, 0x12);
    outb(0x82, 0x34);
    outb(0x83, 0x56);
    outb(0x8a, 0x78);
    unsigned p81 = inb(0x81), p82 = inb(0x82), p83 = inb(0x83);
    rt_printf("pages %02x %02x %02x %02x\n", p81, p82, p83, inb(0x8a));

    /* The FDC out of reset, its four interrupts sensed, 1.44M rate, DMA
     * mode, the head on cylinder 0. */
    outb(DOR, 0x00);
    outb(DOR, 0x1c);
    for (int i = 0; i < 4; i++) {
        fdc_out(0x08);
        fdc_result(r, 2);
    }
    outb(DIR, 0x00);
    fdc_out(0x03);
    fdc_out(0xdf);
    fdc_out(0x02);
    fdc_out(0x07);
    fdc_out(0x00);
    fdc_out(0x08);
    fdc_result(r, 2);

    /* A 512-byte read: TC on channel 2; current address past the
     * buffer, count 0xFFFF. */
    (void)inb(0x08);
    program2(0x46, 512);
    fdc_read_sector(r);
    const uint8_t *b = (const uint8_t *)BUF;
    rt_printf("read: %s, st1 %02x, data %c%c%c%c\n",
              (r[0] & 0xc0) ? "error" : "normal end", r[1], b[0], b[1], b[2],
              b[3]);
    outb(0x0c, 0);
    unsigned addr = rd16(0x04);
    rt_printf("ch2 address %04x count %04x\n", addr, rd16(0x05));
    unsigned st = inb(0x08) & 0x0f;
    unsigned again = inb(0x08) & 0x0f;
    rt_printf("status %02x, again %02x\n", st, again);

    /* Auto-initialize: after TC the registers hold their base values. */
    program2(0x56, 512);
    fdc_read_sector(r);
    outb(0x0c, 0);
    addr = rd16(0x04);
    unsigned count = rd16(0x05);
    st = inb(0x08) & 0x0f;
    rt_printf("autoinit: %s, ch2 address %04x count %04x, status %02x\n",
              (r[0] & 0xc0) ? "error" : "normal end", addr, count, st);
    return 0;
}
