/* floppy: the 82077AA floppy controller at 0x3F0 with a 1.44M diskette
 * in drive A: (-fda under -snapshot, floppy.args; the image is made by
 * tests/guest/build.mk: "Sxxx" in sector xxx for LBAs 0, 1, 36, 52, 53,
 * 54 and 2879), its IRQ 6 and DMA channel 2.
 *
 * A reset through the DOR and the four polling interrupts SENSE
 * INTERRUPT STATUS reads after it, VERSION, SPECIFY, RECALIBRATE and
 * SEEK with their interrupts and the disk change bit they clear, READ
 * ID, READ DATA by DMA (multi-track across to head 1, ended by the DMA
 * controller's terminal count), READ DATA in non-DMA mode through the
 * FIFO (ending at EOT with "end of cylinder", ST1 EN, as a PC has no TC
 * in non-DMA mode), WRITE DATA then READ DATA of the same sector, SENSE
 * DRIVE STATUS, CONFIGURE, PERPENDICULAR MODE, LOCK, RELATIVE SEEK,
 * DUMPREG, an invalid command.
 *
 * QEMU departs from the 82077AA data sheet in non-DMA mode
 * (floppy.qemu-expected): its read ends normally (ST0 00, ST1 00) with
 * the command's own C/H/R where the chip, which never sees TC there,
 * runs to EOT and ends with ST0 40, ST1 80 (end of cylinder) and the
 * next cylinder's ID (C+1, R 1); and its INT stays high from the
 * execution phase into the result phase, one interrupt where the data
 * sheet drops INT after the last data byte and raises it again for the
 * result: one interrupt fewer in all. Its DUMPREG keeps only
 * SRT of SPECIFY's first byte (0d, not df), sets bit 0 of the second
 * when DMA is on (the data sheet's ND is set for non-DMA: 03, not 02),
 * and reports PERPENDICULAR MODE's GAP/WGATE bits as the drive bits
 * (90, where the data sheet's LOCK and D0 give 84). */
#include "rt/rt.h"

#define DOR 0x3f2
#define MSR 0x3f4
#define FIFO 0x3f5
#define DIR 0x3f7

#define BUF 0x310000u  /* DMA buffers: below 16 MiB, 64 KiB aligned */
#define BUF2 0x320000u

static volatile int irq6;
static void on_irq6(struct rt_frame *f)
{
    (void)f;
    irq6++;
    outb(0x20, 0x20);
}

static int wait_irq(int n)
{
    for (long i = 0; i < 20000000 && irq6 < n; i++)
        ;
    return irq6 >= n;
}

static int fdc_out(uint8_t v)
{
    for (long i = 0; i < 1000000; i++) {
        if ((inb(MSR) & 0xc0) == 0x80) {
            outb(FIFO, v);
            return 0;
        }
    }
    rt_printf("timeout writing %02x, MSR %02x\n", v, inb(MSR));
    return -1;
}

/* The result phase: bytes while RQM and DIO say so; how many. */
static int fdc_result(uint8_t *r, int max)
{
    int n = 0;
    for (long i = 0; i < 1000000 && n < max; i++) {
        uint8_t m = inb(MSR);
        if ((m & 0xd0) == 0xd0)
            r[n++] = inb(FIFO);
        else if ((m & 0xd0) == 0x80)
            break;
    }
    return n;
}

static void show(const char *what, const uint8_t *r, int n)
{
    rt_printf("%s:", what);
    for (int i = 0; i < n; i++)
        rt_printf(" %02x", r[i]);
    rt_printf("\n");
}

static void sense(const char *what)
{
    uint8_t r[4];
    fdc_out(0x08);
    show(what, r, fdc_result(r, 4));
}

/* DMA channel 2: count bytes at addr, mode 0x46 (write to memory) or
 * 0x4A (read from memory), single transfer. */
static void dma_setup(uint32_t addr, uint16_t count, uint8_t mode)
{
    outb(0x0a, 0x06);
    outb(0x0c, 0x00);
    outb(0x0b, mode);
    outb(0x04, addr & 0xff);
    outb(0x04, (addr >> 8) & 0xff);
    outb(0x81, (addr >> 16) & 0xff);
    outb(0x05, (count - 1) & 0xff);
    outb(0x05, (count - 1) >> 8);
    outb(0x0a, 0x02);
}

static void rw(uint8_t op, uint8_t c, uint8_t h, uint8_t r, uint8_t eot)
{
    fdc_out(op);
    fdc_out((uint8_t)(h << 2));
    fdc_out(c);
    fdc_out(h);
    fdc_out(r);
    fdc_out(2);
    fdc_out(eot);
    fdc_out(0x1b);
    fdc_out(0xff);
}

static void mark(const char *what, uint32_t addr)
{
    const uint8_t *p = (const uint8_t *)addr;
    rt_printf("%s: %c%c%c%c\n", what, p[0], p[1], p[2], p[3]);
}

int main(void)
{
    uint8_t r[16];

    rt_pic_init();
    rt_set_handler(0x26, on_irq6);
    rt_pic_unmask(6);
    rt_sti();

    /* Reset: DOR bit 2 low, then high with the DMA gate (IRQ enable). */
    outb(DOR, 0x00);
    int before = irq6;
    outb(DOR, 0x0c);
    rt_printf("reset: irq %s, MSR %02x\n", wait_irq(before + 1) ? "yes" : "no",
              inb(MSR));
    sense("sense 0");
    sense("sense 1");
    sense("sense 2");
    sense("sense 3");
    sense("sense none");

    fdc_out(0x10);
    show("version", r, fdc_result(r, 4));

    outb(DIR, 0x00); /* CCR: 500 kb/s, the 1.44M rate */
    fdc_out(0x03);
    fdc_out(0xdf);
    fdc_out(0x02); /* SPECIFY: DMA mode */
    outb(DOR, 0x1c); /* motor A on, drive 0 */
    rt_printf("DIR change before seeking: %d\n", inb(DIR) >> 7);

    before = irq6;
    fdc_out(0x07);
    fdc_out(0x00);
    rt_printf("recalibrate: irq %s\n", wait_irq(before + 1) ? "yes" : "no");
    sense("sense");

    before = irq6;
    fdc_out(0x0f);
    fdc_out(0x00);
    fdc_out(1);
    rt_printf("seek 1: irq %s\n", wait_irq(before + 1) ? "yes" : "no");
    sense("sense");
    rt_printf("DIR change after seeking: %d\n", inb(DIR) >> 7);

    fdc_out(0x04);
    fdc_out(0x00);
    show("sense drive", r, fdc_result(r, 4));

    /* READ DATA by DMA: C1 H0 R17 and on, multi-track; the DMA count
     * (three sectors) ends it on head 1's first sector. */
    dma_setup(BUF, 3 * 512, 0x46);
    before = irq6;
    rw(0xe6, 1, 0, 17, 18);
    rt_printf("read dma: irq %s\n", wait_irq(before + 1) ? "yes" : "no");
    show("result", r, fdc_result(r, 16));
    mark("sector 1", BUF);
    mark("sector 2", BUF + 512);
    mark("sector 3", BUF + 1024);
    rt_printf("dma status %02x\n", inb(0x08) & 0x0f);

    /* READ ID: the head is on cylinder 1. */
    before = irq6;
    fdc_out(0x4a);
    fdc_out(0x00);
    wait_irq(before + 1);
    fdc_result(r, 16);
    rt_printf("read id: st0 %02x st1 %02x st2 %02x C %02x H %02x N %02x\n",
              r[0], r[1], r[2], r[3], r[4], r[6]);

    /* WRITE DATA by DMA into C1 H0 R5 (LBA 40), then READ it back. */
    uint8_t *out = (uint8_t *)BUF2;
    for (int i = 0; i < 512; i++)
        out[i] = (uint8_t)(i * 3 + 1);
    dma_setup(BUF2, 512, 0x4a);
    before = irq6;
    rw(0xc5, 1, 0, 5, 18);
    rt_printf("write dma: irq %s\n", wait_irq(before + 1) ? "yes" : "no");
    show("result", r, fdc_result(r, 16));
    uint8_t *in = (uint8_t *)BUF;
    for (int i = 0; i < 512; i++)
        in[i] = 0;
    dma_setup(BUF, 512, 0x46);
    before = irq6;
    rw(0xe6, 1, 0, 5, 18);
    wait_irq(before + 1);
    show("read back", r, fdc_result(r, 16));
    int same = 1;
    for (int i = 0; i < 512; i++)
        same &= in[i] == out[i];
    rt_printf("read back %s\n", same ? "matches" : "differs");

    /* Non-DMA mode: C1 H0 R1 to EOT 1 through the FIFO. */
    fdc_out(0x03);
    fdc_out(0xdf);
    fdc_out(0x03);
    rw(0x46, 1, 0, 1, 1);
    uint8_t pio[512];
    int n = 0;
    uint8_t exec_msr = 0;
    for (long i = 0; i < 1000000 && n < 512; i++) {
        uint8_t m = inb(MSR);
        if ((m & 0xe0) == 0xe0) {
            if (!n)
                exec_msr = m;
            pio[n++] = inb(FIFO);
        }
    }
    rt_printf("pio read: %d bytes, MSR %02x: %c%c%c%c\n", n, exec_msr,
              pio[0], pio[1], pio[2], pio[3]);
    show("result", r, fdc_result(r, 16));
    fdc_out(0x03);
    fdc_out(0xdf);
    fdc_out(0x02);

    /* CONFIGURE (no implied seek, FIFO on, polling off, threshold 8;
     * precompensation from track 0x40), PERPENDICULAR MODE (drive 0),
     * LOCK, DUMPREG; relative seeks in and out. */
    fdc_out(0x13);
    fdc_out(0x00);
    fdc_out(0x17);
    fdc_out(0x40);
    fdc_out(0x12);
    fdc_out(0x84);
    fdc_out(0x94);
    show("lock", r, fdc_result(r, 16));
    before = irq6;
    fdc_out(0xcf);
    fdc_out(0x00);
    fdc_out(2);
    rt_printf("relative seek in 2: irq %s\n",
              wait_irq(before + 1) ? "yes" : "no");
    sense("sense");
    before = irq6;
    fdc_out(0x8f);
    fdc_out(0x00);
    fdc_out(1);
    rt_printf("relative seek out 1: irq %s\n",
              wait_irq(before + 1) ? "yes" : "no");
    sense("sense");
    fdc_out(0x0e);
    n = fdc_result(r, 16);
    /* Byte 6 (SC/EOT) is left out: the data sheet's last EOT, QEMU's
     * sectors per track. */
    r[6] = 0;
    show("dumpreg", r, n);
    fdc_out(0x14);
    show("unlock", r, fdc_result(r, 16));
    fdc_out(0x12);
    fdc_out(0x80);

    fdc_out(0x1f);
    show("invalid", r, fdc_result(r, 16));

    rt_cli();
    rt_printf("IRQ 6: %d\n", irq6);
    return 0;
}
