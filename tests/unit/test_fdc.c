/*
 * test_fdc.c - unit tests of the 82077AA (devices/fdc.c) with the 8237A
 * (devices/dma8237.c): a 1.44M image whose every sector starts with its
 * LBA, driven through the I/O ports as a driver does. Reset and its four
 * sense interrupts, recalibrate and seeks, READ ID, READ DATA through
 * DMA channel 2 into a memory map (TC, multi-track, end of cylinder),
 * non-DMA reads and writes, WRITE DATA, a write-protected write, FORMAT
 * TRACK, the register commands and an invalid one; IRQ 6's edges.
 */
#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/block.h"
#include "devices/dma8237.h"
#include "devices/fdc.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"

#define RAM_SIZE 0x40000
#define SPT 18
#define IMG_SIZE (80 * 2 * SPT * 512)

#define DOR 0x3f2
#define MSR 0x3f4
#define FIFO 0x3f5
#define DIR 0x3f7

static struct memory_map mem;
static struct io_map io;
static struct device_bus bus;
static struct dma_state *dma;
static struct fdc_state *fdc;
static struct block *blk;
static uint8_t *ram;
static struct irq irq6;
static int irq_level, irq_rises;
static char path[] = "/tmp/test_fdc.XXXXXX";

static void irq_handler(void *opaque, int n, int level)
{
    (void)opaque, (void)n;
    if (level && !irq_level)
        irq_rises++;
    irq_level = level;
}

static void outb(uint16_t port, uint8_t v)
{
    io_write(&io, MEM_ATTRS_NONE, port, v, 1);
}
static uint8_t inb(uint16_t port)
{
    return (uint8_t)io_read(&io, MEM_ATTRS_NONE, port, 1);
}

static void make_image(void)
{
    strcpy(path, "/tmp/test_fdc.XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    uint8_t sec[512];
    for (unsigned lba = 0; lba < IMG_SIZE / 512; lba++) {
        memset(sec, 0, sizeof(sec));
        sec[0] = (uint8_t)lba;
        sec[1] = (uint8_t)(lba >> 8);
        sec[511] = 0xee;
        ck_assert_int_eq(write(fd, sec, sizeof(sec)), (int)sizeof(sec));
    }
    close(fd);
}

static void open_image(bool readonly)
{
    char err[256];
    blk = block_open(path, readonly, false, err, sizeof(err));
    ck_assert_ptr_nonnull(blk);
    fdc_attach(fdc, 0, blk, 80, 2, SPT);
}

static void setup(void)
{
    memory_map_init(&mem);
    io_map_init(&io);
    ram = calloc(1, RAM_SIZE);
    mem_add_ram(&mem, "ram", 0, RAM_SIZE, ram);
    device_bus_init(&bus, &mem, &io, NULL);
    irq_level = irq_rises = 0;
    irq_init(&irq6, irq_handler, NULL, 6);
    irq_fanout_add(&bus.isa_irq[6], &irq6);
    dma = dma_from_device(device_create_str(&bus, "isa-dma"));
    fdc = fdc_from_device(device_create_str(&bus, "isa-fdc"));
    fdc_connect_dma(fdc, dma, 2);
    make_image();
    open_image(false);
    outb(DIR, 0); /* CCR: 500 kb/s for 1.44M */
}

static void teardown(void)
{
    device_bus_destroy(&bus);
    block_close(blk);
    unlink(path);
    memory_map_destroy(&mem);
    io_map_destroy(&io);
    free(ram);
}

static void cmd(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        ck_assert_int_eq(inb(MSR) & 0xc0, 0x80);
        outb(FIFO, (uint8_t)va_arg(ap, int));
    }
    va_end(ap);
}

/* Read n result bytes (the MSR must say result phase for each). */
static void result(uint8_t *r, int n)
{
    for (int i = 0; i < n; i++) {
        ck_assert_int_eq(inb(MSR) & 0xd0, 0xd0);
        r[i] = inb(FIFO);
    }
    ck_assert_int_eq(inb(MSR), 0x80);
}

static void sense_int(uint8_t *st0, uint8_t *pcn)
{
    uint8_t r[2];
    cmd(1, 0x08);
    result(r, 2);
    *st0 = r[0];
    *pcn = r[1];
}

/* Channel 2 for a transfer of count bytes at addr; mode 0x46 device to
 * memory, 0x4A memory to device. */
static void dma_setup(uint32_t addr, uint16_t count, uint8_t mode)
{
    outb(0x0a, 0x06);
    outb(0x0c, 0);
    outb(0x0b, mode);
    outb(0x04, (uint8_t)addr);
    outb(0x04, (uint8_t)(addr >> 8));
    outb(0x81, (uint8_t)(addr >> 16));
    outb(0x05, (uint8_t)(count - 1));
    outb(0x05, (uint8_t)((count - 1) >> 8));
    outb(0x0a, 0x02);
}

static void seek(uint8_t c)
{
    uint8_t st0, pcn;
    cmd(3, 0x0f, 0x00, c);
    sense_int(&st0, &pcn);
    ck_assert_int_eq(st0, 0x20);
    ck_assert_int_eq(pcn, c);
}

START_TEST(test_reset_sense)
{
    uint8_t st0, pcn, r;
    ck_assert_int_eq(inb(DOR), 0x0c);
    ck_assert_int_eq(inb(MSR), 0x80);
    outb(DOR, 0x00);
    ck_assert_int_eq(inb(MSR), 0x00);
    ck_assert_int_eq(irq_level, 0);
    outb(DOR, 0x0c);
    ck_assert_int_eq(irq_level, 1);
    ck_assert_int_eq(irq_rises, 1);
    for (int i = 0; i < 4; i++) {
        sense_int(&st0, &pcn);
        ck_assert_int_eq(st0, 0xc0 | i);
        ck_assert_int_eq(pcn, 0);
    }
    ck_assert_int_eq(irq_level, 0);
    cmd(1, 0x08);
    result(&r, 1);
    ck_assert_int_eq(r, 0x80);
    /* DSR's software reset: the same four interrupts. */
    outb(MSR, 0x80);
    ck_assert_int_eq(irq_rises, 2);
    sense_int(&st0, &pcn);
    ck_assert_int_eq(st0, 0xc0);
    /* Without the DMA gate the interrupt stays pending, not signalled. */
    outb(DOR, 0x00);
    outb(DOR, 0x04);
    ck_assert_int_eq(irq_level, 0);
    ck_assert_int_eq(inb(0x3f0) & 0x80, 0x80);
    outb(DOR, 0x0c);
    ck_assert_int_eq(irq_level, 1);
}
END_TEST

START_TEST(test_registers)
{
    uint8_t r[10];
    cmd(1, 0x10);
    result(r, 1);
    ck_assert_int_eq(r[0], 0x90);
    cmd(3, 0x03, 0xaf, 0x02);
    cmd(4, 0x13, 0x00, 0x57, 0x05);
    cmd(2, 0x12, 0x87);
    cmd(1, 0x94);
    result(r, 1);
    ck_assert_int_eq(r[0], 0x10);
    seek(5);
    cmd(1, 0x0e);
    result(r, 10);
    ck_assert_int_eq(r[0], 5);
    ck_assert_int_eq(r[4], 0xaf);
    ck_assert_int_eq(r[5], 0x02);
    ck_assert_int_eq(r[7], 0x80 | 0x07);
    ck_assert_int_eq(r[8], 0x57);
    ck_assert_int_eq(r[9], 0x05);
    /* LOCK keeps CONFIGURE through a software reset; PERPENDICULAR
     * MODE loses GAP and WGATE. */
    outb(DOR, 0x08);
    outb(DOR, 0x0c);
    /* POLL set by CONFIGURE: no polling interrupts after the reset. */
    cmd(1, 0x08);
    result(r, 1);
    ck_assert_int_eq(r[0], 0x80);
    cmd(1, 0x0e);
    result(r, 10);
    ck_assert_int_eq(r[7], 0x80 | 0x04);
    ck_assert_int_eq(r[8], 0x57);
    cmd(1, 0x14);
    result(r, 1);
    ck_assert_int_eq(r[0], 0x00);
    /* An invalid command: 0x80, no interrupt. */
    int rises = irq_rises;
    cmd(1, 0x1f);
    result(r, 1);
    ck_assert_int_eq(r[0], 0x80);
    ck_assert_int_eq(irq_rises, rises);
    /* SENSE DRIVE STATUS: 0x28, T0 at cylinder 0, head, drive. */
    seek(0);
    cmd(2, 0x04, 0x04);
    result(r, 1);
    ck_assert_int_eq(r[0], 0x28 | 0x10 | 0x04);
    /* TDR keeps its two bits. */
    outb(0x3f3, 0xff);
    ck_assert_int_eq(inb(0x3f3), 0x03);
}
END_TEST

START_TEST(test_recalibrate_seek_dskchg)
{
    uint8_t st0, pcn;
    ck_assert_int_eq(inb(DIR) & 0x80, 0x80);
    cmd(2, 0x07, 0x00);
    ck_assert_int_eq(irq_level, 1);
    sense_int(&st0, &pcn);
    ck_assert_int_eq(st0, 0x20);
    ck_assert_int_eq(pcn, 0);
    ck_assert_int_eq(irq_level, 0);
    /* Recalibrate from cylinder 0 steps nothing: still changed. */
    ck_assert_int_eq(inb(DIR) & 0x80, 0x80);
    seek(10);
    ck_assert_int_eq(inb(DIR) & 0x80, 0x00);
    /* Relative seeks: out 3, in 7. */
    cmd(3, 0x8f, 0x00, 3);
    sense_int(&st0, &pcn);
    ck_assert_int_eq(pcn, 7);
    cmd(3, 0xcf, 0x00, 7);
    sense_int(&st0, &pcn);
    ck_assert_int_eq(pcn, 14);
    /* Drive 2 has nothing to answer TRK0: equipment check. */
    cmd(2, 0x07, 0x02);
    sense_int(&st0, &pcn);
    ck_assert_int_eq(st0, 0x72);
}
END_TEST

START_TEST(test_read_dma)
{
    uint8_t r[7];
    seek(1);
    /* READ ID at cylinder 1. */
    cmd(2, 0x4a, 0x00);
    result(r, 7);
    ck_assert_int_eq(r[0], 0x00);
    ck_assert_int_eq(r[3], 1);
    ck_assert_int_eq(r[6], 2);
    /* Three sectors C1 H0 R17.. by DMA: TC after the first of head 1
     * (multi-track). */
    dma_setup(0x10000, 3 * 512, 0x46);
    int rises = irq_rises;
    cmd(9, 0xe6, 0x00, 1, 0, 17, 2, 18, 0x1b, 0xff);
    ck_assert_int_eq(irq_rises, rises + 1);
    result(r, 7);
    ck_assert_int_eq(irq_level, 0);
    ck_assert_int_eq(r[0], 0x04); /* normal end on head 1 */
    ck_assert_int_eq(r[1], 0x00);
    ck_assert_int_eq(r[2], 0x00);
    ck_assert_int_eq(r[3], 1);
    ck_assert_int_eq(r[4], 1);
    ck_assert_int_eq(r[5], 2);
    ck_assert_int_eq(r[6], 2);
    /* LBAs 1*36+16, +17, 1*36+18 (head 1, sector 1). */
    ck_assert_int_eq(ram[0x10000], 52);
    ck_assert_int_eq(ram[0x10200], 53);
    ck_assert_int_eq(ram[0x10400], 54);
    ck_assert_int_eq(ram[0x105ff], 0xee);
    ck_assert_int_eq(inb(0x08) & 0x04, 0x04);
    /* Without MT, reading past EOT ends the cylinder: abnormal, EN. */
    dma_setup(0x20000, 4 * 512, 0x46);
    cmd(9, 0x66, 0x00, 1, 0, 17, 2, 18, 0x1b, 0xff);
    result(r, 7);
    ck_assert_int_eq(r[0], 0x40);
    ck_assert_int_eq(r[1], 0x80);
    ck_assert_int_eq(r[3], 2);
    ck_assert_int_eq(r[4], 0);
    ck_assert_int_eq(r[5], 1);
    /* The wrong cylinder: no data, wrong cylinder. */
    dma_setup(0x20000, 512, 0x46);
    cmd(9, 0x66, 0x00, 3, 0, 1, 2, 18, 0x1b, 0xff);
    result(r, 7);
    ck_assert_int_eq(r[0], 0x40);
    ck_assert_int_eq(r[1], 0x04);
    ck_assert_int_eq(r[2], 0x10);
    /* The wrong data rate: no address mark. */
    outb(DIR, 2);
    cmd(9, 0x66, 0x00, 1, 0, 1, 2, 18, 0x1b, 0xff);
    result(r, 7);
    ck_assert_int_eq(r[0], 0x40);
    ck_assert_int_eq(r[1], 0x01);
}
END_TEST

START_TEST(test_write_read_pio)
{
    uint8_t r[7];
    seek(2);
    cmd(3, 0x03, 0xdf, 0x03); /* non-DMA */
    /* WRITE DATA of sector C2 H0 R5, by the FIFO: ends at EOT (5). */
    cmd(9, 0x45, 0x00, 2, 0, 5, 2, 5, 0x1b, 0xff);
    ck_assert_int_eq(inb(MSR), 0xb0);
    ck_assert_int_eq(irq_level, 1);
    for (int i = 0; i < 512; i++)
        outb(FIFO, (uint8_t)(i * 7));
    result(r, 7);
    ck_assert_int_eq(r[0], 0x40);
    ck_assert_int_eq(r[1], 0x80);
    ck_assert_int_eq(r[3], 3);
    ck_assert_int_eq(r[5], 1);
    /* Read it back through the FIFO. */
    cmd(9, 0x46, 0x00, 2, 0, 5, 2, 5, 0x1b, 0xff);
    ck_assert_int_eq(inb(MSR), 0xf0);
    for (int i = 0; i < 512; i++)
        ck_assert_int_eq(inb(FIFO), (uint8_t)(i * 7));
    result(r, 7);
    ck_assert_int_eq(r[0], 0x40);
    ck_assert_int_eq(r[1], 0x80);
    /* And in the image: LBA 2*36+4. */
    uint8_t sec[512];
    ck_assert_int_eq(block_read(blk, 76 * 512, sec, 512), 0);
    ck_assert_int_eq(sec[1], 7);
}
END_TEST

START_TEST(test_write_dma_and_protect)
{
    uint8_t r[7], sec[512];
    for (int i = 0; i < 1024; i++)
        ram[0x3000 + i] = (uint8_t)(0xa0 ^ i);
    dma_setup(0x3000, 1024, 0x4a);
    cmd(9, 0xc5, 0x00, 0, 0, 1, 2, 18, 0x1b, 0xff);
    result(r, 7);
    ck_assert_int_eq(r[0], 0x00);
    ck_assert_int_eq(r[5], 3);
    ck_assert_int_eq(block_read(blk, 512, sec, 512), 0);
    ck_assert_int_eq(sec[0], (uint8_t)(0xa0 ^ 512));
    /* TC in the middle of a sector: the rest of it is written as zeros. */
    memset(ram + 0x3000, 0x77, 512);
    dma_setup(0x3000, 100, 0x4a);
    cmd(9, 0x45, 0x00, 0, 0, 4, 2, 18, 0x1b, 0xff);
    result(r, 7);
    ck_assert_int_eq(r[0], 0x00);
    ck_assert_int_eq(r[5], 5);
    ck_assert_int_eq(block_read(blk, 3 * 512, sec, 512), 0);
    ck_assert_int_eq(sec[99], 0x77);
    ck_assert_int_eq(sec[100], 0x00);
    ck_assert_int_eq(sec[511], 0x00);
    /* A read-only image: not writable, nothing written. */
    block_close(blk);
    open_image(true);
    dma_setup(0x3000, 512, 0x4a);
    cmd(9, 0xc5, 0x00, 0, 0, 3, 2, 18, 0x1b, 0xff);
    result(r, 7);
    ck_assert_int_eq(r[0], 0x40);
    ck_assert_int_eq(r[1], 0x02);
    ck_assert_int_eq(r[5], 3);
    ck_assert_int_eq(block_read(blk, 2 * 512, sec, 512), 0);
    ck_assert_int_eq(sec[0], 2);
    cmd(2, 0x04, 0x00);
    result(r, 1);
    ck_assert_int_eq(r[0] & 0x40, 0x40);
}
END_TEST

START_TEST(test_format)
{
    uint8_t r[7], sec[512];
    seek(4);
    /* IDs for 18 sectors of C4 H1. */
    for (int i = 0; i < SPT; i++) {
        ram[0x5000 + 4 * i] = 4;
        ram[0x5001 + 4 * i] = 1;
        ram[0x5002 + 4 * i] = (uint8_t)(i + 1);
        ram[0x5003 + 4 * i] = 2;
    }
    dma_setup(0x5000, 4 * SPT, 0x4a);
    cmd(6, 0x4d, 0x04, 2, SPT, 0x54, 0xf6);
    result(r, 7);
    ck_assert_int_eq(r[0], 0x04);
    ck_assert_int_eq(r[1], 0x00);
    ck_assert_int_eq(block_read(blk, (4 * 36 + 18 + 17) * 512, sec, 512), 0);
    ck_assert_int_eq(sec[0], 0xf6);
    ck_assert_int_eq(sec[511], 0xf6);
    ck_assert_int_eq(block_read(blk, (4 * 36 + 17) * 512, sec, 512), 0);
    ck_assert_int_eq(sec[0], (uint8_t)(4 * 36 + 17));
}
END_TEST

START_TEST(test_no_dma_overrun)
{
    uint8_t r[7];
    /* Channel 2 masked: the FDC's request is never served. */
    outb(0x0a, 0x06);
    cmd(9, 0x66, 0x00, 0, 0, 1, 2, 18, 0x1b, 0xff);
    result(r, 7);
    ck_assert_int_eq(r[0], 0x40);
    ck_assert_int_eq(r[1], 0x10);
    /* Garbage bytes in any phase never reach past the buffers. */
    for (int i = 0; i < 2000; i++)
        outb(FIFO, (uint8_t)(i * 13));
    for (int i = 0; i < 2000; i++)
        (void)inb(FIFO);
}
END_TEST

/* Random bytes to every DMA and FDC port, random reads between: the
 * emulator stays within its buffers, and the image keeps its size. */
START_TEST(test_random_ports)
{
    static const uint16_t ports[] = {
        0x00,  0x02,  0x04,  0x05,  0x08,  0x09,  0x0a,  0x0b,  0x0c,
        0x0d,  0x0e,  0x0f,  0x81,  0x82,  0x83,  0x87,  0x89,  0x8f,
        0xc4,  0xd0,  0xd4,  0xd6,  0x3f0, 0x3f1, 0x3f2, 0x3f3, 0x3f4,
        0x3f5, 0x3f5, 0x3f5, 0x3f5, 0x3f5, 0x3f5, 0x3f7,
    };
    uint32_t x = 12345;
    for (int i = 0; i < 400000; i++) {
        x = x * 1103515245u + 12345u;
        uint16_t port = ports[(x >> 16) % (sizeof(ports) / sizeof(ports[0]))];
        if (x & 0x100)
            (void)inb(port);
        else
            outb(port, (uint8_t)(x >> 24));
    }
    ck_assert_uint_eq(blk->size, IMG_SIZE);
}
END_TEST

static Suite *fdc_suite(void)
{
    Suite *s = suite_create("fdc");
    TCase *tc = tcase_create("fdc");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_sense);
    tcase_add_test(tc, test_registers);
    tcase_add_test(tc, test_recalibrate_seek_dskchg);
    tcase_add_test(tc, test_read_dma);
    tcase_add_test(tc, test_write_read_pio);
    tcase_add_test(tc, test_write_dma_and_protect);
    tcase_add_test(tc, test_format);
    tcase_add_test(tc, test_no_dma_overrun);
    tcase_add_test(tc, test_random_ports);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(fdc_suite)
