/* ide: the PIIX IDE channels with an ATA disk on the primary master
 * (-hda: 4 MiB, markers "MBR0" in sector 0, "S100" in 100, "LAST" in
 * 8191) and an ATAPI CD-ROM on the secondary master (-cdrom: 64 blocks,
 * "CD001" at block 16), both made by tests/guest/build.mk; the disk under
 * -snapshot, so the writes here leave the image as it was.
 *
 * ATA: the signature after a soft reset, IDENTIFY DEVICE (geometry,
 * capacity, LBA48), READ SECTORS in LBA28, CHS and LBA48 (EXT), WRITE
 * SECTORS read back, SET MULTIPLE and READ MULTIPLE, an out-of-range
 * read (IDNF), the interrupt on IRQ 14 and nIEN; bus-master DMA through
 * the PIIX's BAR4 (READ DMA, WRITE DMA). ATAPI: IDENTIFY DEVICE aborted
 * with the packet signature, IDENTIFY PACKET DEVICE, TEST UNIT READY,
 * INQUIRY, READ CAPACITY, READ(10) in one chunk and in byte-count-limit
 * chunks, READ TOC, an unknown command and REQUEST SENSE.
 *
 * A read past the last sector ends with IDNF in the error register, as
 * ATA/ATAPI-6 (READ SECTORS, error outputs) gives it; QEMU answers ABRT
 * instead, which the standard allows only where IDNF is not set
 * (ide.qemu-expected). Run as a ROM image under QEMU (no SeaBIOS before
 * it), QEMU's soft reset leaves status 00 and cylinder FFFF in the
 * signature (ide.rom-qemu-expected); ATA-6 9.2 gives 50 and 0000. */
#include "rt/rt.h"

#define PRI 0x1f0
#define PRI_CTL 0x3f6
#define SEC 0x170
#define SEC_CTL 0x376

static uint16_t sector[2048];

static void delay400(int ctl)
{
    for (int i = 0; i < 4; i++)
        (void)inb(ctl);
}

/* ATA-6 9.2: after clearing SRST the host waits at least 2 ms before it
 * reads the status. Timed by the 8254's channel 2 in mode 0 (2387 ticks
 * of 1.193182 MHz), gated through port 0x61, its output read in bit 5:
 * QEMU performs the reset on its main thread, so a guest that looks
 * sooner sees a state that depends on host thread timing. */
static void wait_2ms(void)
{
    outb(0x61, (inb(0x61) & ~0x03) | 0x01); /* gate on, speaker off */
    outb(0x43, 0xb0);                       /* channel 2, lo/hi, mode 0 */
    outb(0x42, 2387 & 0xff);
    outb(0x42, 2387 >> 8);
    for (long i = 0; i < 100000000 && !(inb(0x61) & 0x20); i++)
        ;
    outb(0x61, inb(0x61) & ~0x03);
}

static int wait_idle(int base)
{
    for (long i = 0; i < 1000000; i++) {
        int s = inb(base + 7);
        if (!(s & 0x80))
            return s;
    }
    return -1;
}

static void select_dev(int base, int ctl, int dev)
{
    outb(base + 6, 0xa0 | dev << 4);
    delay400(ctl);
}

static void lba28(int base, uint32_t lba, int count)
{
    outb(base + 2, count);
    outb(base + 3, lba);
    outb(base + 4, lba >> 8);
    outb(base + 5, lba >> 16);
    outb(base + 6, 0xe0 | ((lba >> 24) & 0x0f));
}

/* PIO data in: n sectors of 256 words into buf; the status after. */
static int pio_in(int base, uint16_t *buf, int n)
{
    int s = 0;
    for (int k = 0; k < n; k++) {
        s = wait_idle(base);
        if (!(s & 0x08))
            return s;
        for (int i = 0; i < 256; i++)
            buf[k * 256 + i] = inw(base);
    }
    return wait_idle(base);
}

static void show4(const char *what, const uint16_t *buf)
{
    const uint8_t *b = (const uint8_t *)buf;
    rt_printf("%s: %c%c%c%c\n", what, b[0], b[1], b[2], b[3]);
}

static volatile int irq14;
static void on_irq14(struct rt_frame *f)
{
    (void)f;
    irq14++;
    outb(0x20, 0x20);
}

static uint32_t pci_read(int dev, int fn, int reg)
{
    outl(0xcf8, 0x80000000u | dev << 11 | fn << 8 | reg);
    return inl(0xcfc);
}

static void pci_write(int dev, int fn, int reg, uint32_t v)
{
    outl(0xcf8, 0x80000000u | dev << 11 | fn << 8 | reg);
    outl(0xcfc, v);
}

static void ata(void)
{
    /* Soft reset: the ATA signature. */
    outb(PRI_CTL, 0x06);
    delay400(PRI_CTL);
    outb(PRI_CTL, 0x02);
    wait_2ms();
    int s = wait_idle(PRI);
    select_dev(PRI, PRI_CTL, 0); /* a reset selects device 0 (ATA-6 9.2) */
    s = wait_idle(PRI);
    rt_printf("after reset: status %02x error %02x count %02x lba %02x "
              "cyl %02x%02x\n",
              s & 0xf9, inb(PRI + 1), inb(PRI + 2), inb(PRI + 3),
              inb(PRI + 5), inb(PRI + 4));

    select_dev(PRI, PRI_CTL, 0);
    outb(PRI + 7, 0xec);
    s = pio_in(PRI, sector, 1);
    rt_printf("identify: status %02x, CHS %u/%u/%u, LBA28 %u, LBA48 %s %u, "
              "LBA %s DMA %s\n",
              s & 0xf9, sector[1], sector[3], sector[6],
              sector[60] | (uint32_t)sector[61] << 16,
              (sector[83] & 0x400) ? "yes" : "no",
              sector[100] | (uint32_t)sector[101] << 16,
              (sector[49] & 0x200) ? "yes" : "no",
              (sector[49] & 0x100) ? "yes" : "no");

    lba28(PRI, 0, 1);
    outb(PRI + 7, 0x20);
    s = pio_in(PRI, sector, 1);
    show4("LBA 0", sector);

    /* CHS: LBA 100 = cylinder 0, head 1, sector 38 on 16 x 63. */
    outb(PRI + 2, 1);
    outb(PRI + 3, 38);
    outb(PRI + 4, 0);
    outb(PRI + 5, 0);
    outb(PRI + 6, 0xa0 | 1);
    outb(PRI + 7, 0x20);
    pio_in(PRI, sector, 1);
    show4("CHS 0/1/38", sector);

    /* LBA48: sector 8191, each register written twice (high byte first);
     * HOB reads the byte written first. */
    outb(PRI + 3, 0x12); outb(PRI + 3, 0x34);
    outb(PRI_CTL, 0x82);
    int hob = inb(PRI + 3);
    outb(PRI_CTL, 0x02);
    rt_printf("HOB: %02x, without: %02x\n", hob, inb(PRI + 3));
    outb(PRI + 2, 0); outb(PRI + 2, 1);
    outb(PRI + 3, 0); outb(PRI + 3, 0xff);
    outb(PRI + 4, 0); outb(PRI + 4, 0x1f);
    outb(PRI + 5, 0); outb(PRI + 5, 0);
    outb(PRI + 6, 0xe0);
    outb(PRI + 7, 0x24);
    s = pio_in(PRI, sector, 1);
    show4("LBA48 8191", sector);

    /* Write then read back. */
    for (int i = 0; i < 256; i++)
        sector[i] = (uint16_t)(0x5700 + i);
    lba28(PRI, 5, 1);
    outb(PRI + 7, 0x30);
    s = wait_idle(PRI);
    for (int i = 0; i < 256; i++)
        outw(PRI, sector[i]);
    s = wait_idle(PRI);
    rt_printf("write: status %02x\n", s & 0xf9);
    for (int i = 0; i < 256; i++)
        sector[i] = 0;
    lba28(PRI, 5, 1);
    outb(PRI + 7, 0x20);
    pio_in(PRI, sector, 1);
    rt_printf("read back: %04x %04x\n", sector[0], sector[255]);

    /* READ MULTIPLE, 4 sectors a block: 8 sectors from 98 in 2 blocks. */
    outb(PRI + 2, 4);
    outb(PRI + 7, 0xc6);
    s = wait_idle(PRI);
    rt_printf("set multiple 4: status %02x\n", s & 0xf9);
    lba28(PRI, 98, 8);
    outb(PRI + 7, 0xc4);
    int blocks = 0;
    for (;;) {
        s = wait_idle(PRI);
        if (!(s & 0x08))
            break;
        for (int i = 0; i < 4 * 256; i++)
            sector[i] = inw(PRI);
        if (blocks++ == 0)
            show4("multiple, third sector", sector + 2 * 256);
    }
    rt_printf("multiple: %d blocks, status %02x\n", blocks, s & 0xf9);

    /* Beyond the end. */
    lba28(PRI, 8192, 1);
    outb(PRI + 7, 0x20);
    s = wait_idle(PRI);
    rt_printf("read past the end: status %02x error %02x\n", s & 0xf9,
              inb(PRI + 1));

    /* The interrupt: once per command, cleared by reading status; nIEN
     * masks it. */
    rt_set_handler(0x2e, on_irq14);
    rt_pic_unmask(2);
    rt_pic_unmask(14);
    outb(PRI_CTL, 0x00);
    rt_sti();
    lba28(PRI, 0, 1);
    outb(PRI + 7, 0x20);
    for (int i = 0; i < 100000 && !irq14; i++)
        ;
    pio_in(PRI, sector, 1);
    int after_read = irq14;
    outb(PRI_CTL, 0x02);
    lba28(PRI, 0, 1);
    outb(PRI + 7, 0x20);
    for (int i = 0; i < 100000; i++)
        ;
    pio_in(PRI, sector, 1);
    __asm__ volatile("cli");
    rt_printf("IRQ 14: %d with nIEN clear, %d more with it set\n", after_read,
              irq14 - after_read);
    rt_pic_mask(14);
}

static void dma(void)
{
    uint32_t id = pci_read(1, 1, 0);
    rt_printf("00:01.1: %04x:%04x\n", id & 0xffff, id >> 16);
    pci_write(1, 1, 0x20, 0xc041);
    pci_write(1, 1, 0x04, pci_read(1, 1, 0x04) | 0x05);
    int bm = (int)(pci_read(1, 1, 0x20) & 0xfffc);
    volatile uint32_t *prd = (uint32_t *)0x80000;
    uint8_t *buf = (uint8_t *)0x90000;
    prd[0] = 0x90000;
    prd[1] = 0x80000000u | 1024;
    outl(bm + 4, 0x80000);
    outb(bm + 2, 0x06); /* clear interrupt and error */
    outb(PRI_CTL, 0x00); /* INTRQ on (IRQ 14 stays masked at the PIC) */

    for (int i = 0; i < 1024; i++)
        buf[i] = 0;
    outb(bm, 0x08); /* to memory */
    lba28(PRI, 99, 2);
    outb(PRI + 7, 0xc8);
    outb(bm, 0x09);
    for (long i = 0; i < 1000000 && !(inb(bm + 2) & 0x04); i++)
        ;
    int bs = inb(bm + 2);
    int s = wait_idle(PRI);
    outb(bm, 0x00);
    rt_printf("READ DMA: status %02x, bus master %02x, second sector %c%c%c%c\n",
              s & 0xf9, bs & 0x07, buf[512], buf[513], buf[514], buf[515]);
    outb(bm + 2, 0x06);

    for (int i = 0; i < 1024; i++)
        buf[i] = (uint8_t)(i * 7);
    outb(bm, 0x00); /* from memory */
    lba28(PRI, 200, 2);
    outb(PRI + 7, 0xca);
    outb(bm, 0x01);
    for (long i = 0; i < 1000000 && !(inb(bm + 2) & 0x04); i++)
        ;
    bs = inb(bm + 2);
    s = wait_idle(PRI);
    outb(bm, 0x00);
    outb(bm + 2, 0x06);
    lba28(PRI, 201, 1);
    outb(PRI + 7, 0x20);
    pio_in(PRI, sector, 1);
    const uint8_t *b = (const uint8_t *)sector;
    rt_printf("WRITE DMA: status %02x, bus master %02x, read back %02x %02x\n",
              s & 0xf9, bs & 0x07, b[0], b[511]);
    outb(PRI_CTL, 0x02);
}

/* A packet command: the 12 bytes, then data in chunks of at most limit
 * bytes into buf. Returns the final status; *n bytes, *chunks chunks. */
static int packet(const uint8_t *cdb, int limit, uint8_t *buf, int *n,
                  int *chunks)
{
    outb(SEC + 1, 0);
    outb(SEC + 4, limit);
    outb(SEC + 5, limit >> 8);
    outb(SEC + 7, 0xa0);
    int s = wait_idle(SEC);
    if (!(s & 0x08))
        return s | 0x100;
    for (int i = 0; i < 6; i++)
        outw(SEC, cdb[2 * i] | cdb[2 * i + 1] << 8);
    *n = 0;
    *chunks = 0;
    for (;;) {
        s = wait_idle(SEC);
        if (!(s & 0x08))
            return s;
        int len = inb(SEC + 4) | inb(SEC + 5) << 8;
        for (int i = 0; i < len; i += 2) {
            uint16_t w = inw(SEC);
            buf[*n] = (uint8_t)w;
            buf[*n + 1] = (uint8_t)(w >> 8);
            *n += 2;
        }
        (*chunks)++;
    }
}

static void atapi(void)
{
    uint8_t *buf = (uint8_t *)sector;
    int n, chunks, s;

    select_dev(SEC, SEC_CTL, 0);
    outb(SEC + 7, 0xec);
    s = wait_idle(SEC);
    rt_printf("ATAPI identify device: status %02x error %02x signature "
              "%02x%02x\n",
              s & 0xf9, inb(SEC + 1), inb(SEC + 5), inb(SEC + 4));
    outb(SEC + 7, 0xa1);
    s = pio_in(SEC, sector, 1);
    rt_printf("identify packet device: word 0 %04x\n", sector[0]);

    static const uint8_t tur[12] = { 0x00 };
    for (int i = 0; i < 4; i++) {
        s = packet(tur, 0, buf, &n, &chunks);
        if (!(s & 0x01))
            break;
    }
    rt_printf("test unit ready: status %02x reason %02x\n", s & 0xf9,
              inb(SEC + 2) & 3);

    static const uint8_t inq[12] = { 0x12, 0, 0, 0, 36 };
    s = packet(inq, 36, buf, &n, &chunks);
    rt_printf("inquiry: %d bytes, type %02x removable %02x\n", n, buf[0],
              buf[1]);

    static const uint8_t cap[12] = { 0x25 };
    s = packet(cap, 8, buf, &n, &chunks);
    rt_printf("read capacity: last %u block %u\n",
              buf[0] << 24 | buf[1] << 16 | buf[2] << 8 | buf[3],
              buf[4] << 24 | buf[5] << 16 | buf[6] << 8 | buf[7]);

    static const uint8_t rd1[12] = { 0x28, 0, 0, 0, 0, 16, 0, 0, 1 };
    s = packet(rd1, 2048, buf, &n, &chunks);
    rt_printf("read(10) block 16: status %02x, %d bytes in %d chunk(s): "
              "%c%c%c%c%c\n",
              s & 0xf9, n, chunks, buf[0], buf[1], buf[2], buf[3], buf[4]);
    static const uint8_t rd2[12] = { 0x28, 0, 0, 0, 0, 15, 0, 0, 2 };
    s = packet(rd2, 1024, buf, &n, &chunks);
    rt_printf("read(10) blocks 15-16 by 1024: %d bytes in %d chunks: %c%c%c%c%c\n",
              n, chunks, buf[2048], buf[2049], buf[2050], buf[2051], buf[2052]);

    static const uint8_t toc[12] = { 0x43, 0, 0, 0, 0, 0, 0, 0, 20 };
    s = packet(toc, 20, buf, &n, &chunks);
    rt_printf("read toc: %d bytes, tracks %u-%u, lead-out %u\n", n, buf[2],
              buf[3], buf[16] << 24 | buf[17] << 16 | buf[18] << 8 | buf[19]);

    static const uint8_t bad[12] = { 0xff };
    s = packet(bad, 0, buf, &n, &chunks);
    int err = inb(SEC + 1);
    static const uint8_t sense[12] = { 0x03, 0, 0, 0, 18 };
    packet(sense, 18, buf, &n, &chunks);
    rt_printf("unknown command: status %02x error %02x; sense key %x asc %02x\n",
              s & 0xf9, err, buf[2] & 0x0f, buf[12]);
}

int main(void)
{
    ata();
    dma();
    atapi();
    return 0;
}
