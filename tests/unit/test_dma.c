/*
 * test_dma.c - unit tests of the 8237A pair (devices/dma8237.c): the
 * registers through the I/O port map (flip-flop, status, masks, master
 * clear, page registers) and transfers into a memory map (terminal
 * count, auto-initialize, decrement, 16-bit channels, ROM left alone).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "devices/dma8237.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"

#define RAM_SIZE 0x40000
#define ROM_BASE 0x80000

static struct memory_map mem;
static struct io_map io;
static struct device_bus bus;
static struct dma_state *dma;
static uint8_t *ram;
static uint8_t rom[0x1000];

static void outb(uint16_t port, uint8_t v)
{
    io_write(&io, MEM_ATTRS_NONE, port, v, 1);
}
static uint8_t inb(uint16_t port)
{
    return (uint8_t)io_read(&io, MEM_ATTRS_NONE, port, 1);
}

static void setup(void)
{
    memory_map_init(&mem);
    io_map_init(&io);
    ram = calloc(1, RAM_SIZE);
    memset(rom, 0x5a, sizeof(rom));
    mem_add_ram(&mem, "ram", 0, RAM_SIZE, ram);
    mem_add_rom(&mem, "rom", ROM_BASE, sizeof(rom), rom);
    device_bus_init(&bus, &mem, &io, NULL);
    dma = dma_from_device(device_create_str(&bus, "isa-dma"));
}

static void teardown(void)
{
    device_bus_destroy(&bus);
    memory_map_destroy(&mem);
    io_map_destroy(&io);
    free(ram);
}

/* Channel 0-3: address, count (low then high), page, mode; unmasked. */
static void program8(int ch, uint32_t addr, uint16_t count, uint8_t mode)
{
    static const uint16_t page[4] = { 0x87, 0x83, 0x81, 0x82 };
    outb(0x0a, (uint8_t)(4 | ch));
    outb(0x0c, 0);
    outb((uint16_t)(ch * 2), (uint8_t)addr);
    outb((uint16_t)(ch * 2), (uint8_t)(addr >> 8));
    outb(page[ch], (uint8_t)(addr >> 16));
    outb((uint16_t)(ch * 2 + 1), (uint8_t)count);
    outb((uint16_t)(ch * 2 + 1), (uint8_t)(count >> 8));
    outb(0x0b, (uint8_t)(mode | ch));
    outb(0x0a, (uint8_t)ch);
}

START_TEST(test_flipflop_readback)
{
    outb(0x0c, 0);
    outb(0x04, 0x34);
    outb(0x04, 0x12);
    outb(0x05, 0xff);
    outb(0x05, 0x01);
    outb(0x0c, 0);
    ck_assert_int_eq(inb(0x04), 0x34);
    ck_assert_int_eq(inb(0x04), 0x12);
    ck_assert_int_eq(inb(0x05), 0xff);
    ck_assert_int_eq(inb(0x05), 0x01);
    /* An odd number of accesses leaves the flip-flop on the high byte. */
    ck_assert_int_eq(inb(0x04), 0x34);
    ck_assert_int_eq(inb(0x05), 0x01);
    outb(0x0c, 0);
    ck_assert_int_eq(inb(0x05), 0xff);
    /* Page registers are read back; the unused ones are scratch. */
    outb(0x81, 0x0a);
    outb(0x84, 0x77);
    ck_assert_int_eq(inb(0x81), 0x0a);
    ck_assert_int_eq(inb(0x84), 0x77);
    /* The second controller: word registers at even ports from 0xC0. */
    outb(0xd8, 0);
    outb(0xc4, 0x78);
    outb(0xc4, 0x56);
    outb(0xd8, 0);
    ck_assert_int_eq(inb(0xc4), 0x78);
    ck_assert_int_eq(inb(0xc4), 0x56);
}
END_TEST

START_TEST(test_masks_request_master_clear)
{
    /* Power-on: master clear, all masked. */
    ck_assert_int_eq(inb(0x0f) & 0x0f, 0x0f);
    ck_assert(!dma_channel_enabled(dma, 2));
    outb(0x0a, 0x02);
    ck_assert_int_eq(inb(0x0f) & 0x0f, 0x0b);
    ck_assert(dma_channel_enabled(dma, 2));
    outb(0x0f, 0x05);
    ck_assert_int_eq(inb(0x0f) & 0x0f, 0x05);
    outb(0x0e, 0);
    ck_assert_int_eq(inb(0x0f) & 0x0f, 0x00);
    /* Command bit 2 disables the controller. */
    outb(0x08, 0x04);
    ck_assert(!dma_channel_enabled(dma, 2));
    outb(0x08, 0x00);
    /* A software request shows in the status's high nibble. */
    outb(0x09, 0x04 | 3);
    ck_assert_int_eq(inb(0x08), 0x80);
    outb(0x09, 3);
    ck_assert_int_eq(inb(0x08), 0x00);
    /* Master clear: flip-flop reset, all masked, requests gone. */
    outb(0x09, 0x04 | 1);
    outb(0x00, 0x11);
    outb(0x0d, 0);
    ck_assert_int_eq(inb(0x0f) & 0x0f, 0x0f);
    ck_assert_int_eq(inb(0x08), 0x00);
    ck_assert_int_eq(inb(0x0d), 0x00);
    outb(0x00, 0x22);
    outb(0x00, 0x33);
    ck_assert_int_eq(inb(0x00), 0x22);
}
END_TEST

START_TEST(test_transfer_write_tc)
{
    uint8_t buf[64];
    bool tc;
    for (int i = 0; i < 64; i++)
        buf[i] = (uint8_t)(i + 1);
    /* Channel 2, write (device to memory), single mode, 16 bytes. */
    program8(2, 0x12340, 15, 0x44);
    ck_assert_uint_eq(dma_transfer(dma, 2, buf, 10, &tc), 10);
    ck_assert(!tc);
    ck_assert_int_eq(inb(0x08) & 0x0f, 0x00);
    ck_assert_uint_eq(dma_transfer(dma, 2, buf + 10, 54, &tc), 6);
    ck_assert(tc);
    ck_assert_int_eq(memcmp(ram + 0x12340, buf, 16), 0);
    ck_assert_int_eq(ram[0x12350], 0);
    /* TC bit set, cleared by the read; the channel masked itself. */
    ck_assert_int_eq(inb(0x08) & 0x0f, 0x04);
    ck_assert_int_eq(inb(0x08) & 0x0f, 0x00);
    ck_assert_int_eq(inb(0x0f) & 0x04, 0x04);
    ck_assert_uint_eq(dma_transfer(dma, 2, buf, 1, &tc), 0);
    /* Current address 0x2350, count 0xFFFF. */
    outb(0x0c, 0);
    ck_assert_int_eq(inb(0x04), 0x50);
    ck_assert_int_eq(inb(0x04), 0x23);
    ck_assert_int_eq(inb(0x05), 0xff);
    ck_assert_int_eq(inb(0x05), 0xff);
}
END_TEST

START_TEST(test_transfer_read_autoinit)
{
    uint8_t buf[8];
    bool tc;
    memcpy(ram + 0x1000, "ABCDEFGH", 8);
    /* Channel 1, read (memory to device), auto-initialize, 4 bytes. */
    program8(1, 0x1000, 3, 0x58);
    ck_assert_uint_eq(dma_transfer(dma, 1, buf, 8, &tc), 4);
    ck_assert(tc);
    ck_assert_int_eq(memcmp(buf, "ABCD", 4), 0);
    /* Reloaded and still unmasked: the same four bytes again. */
    ck_assert(dma_channel_enabled(dma, 1));
    memset(buf, 0, sizeof(buf));
    ck_assert_uint_eq(dma_transfer(dma, 1, buf, 2, &tc), 2);
    ck_assert(!tc);
    ck_assert_int_eq(memcmp(buf, "AB", 2), 0);
    ck_assert_int_eq(inb(0x08) & 0x0f, 0x02);
}
END_TEST

START_TEST(test_decrement_verify_rom)
{
    uint8_t buf[4] = { 1, 2, 3, 4 };
    bool tc;
    /* Decrement: bytes go to 0x2003, 0x2002, ... */
    program8(3, 0x2003, 3, 0x64);
    ck_assert_uint_eq(dma_transfer(dma, 3, buf, 4, &tc), 4);
    ck_assert(tc);
    ck_assert_int_eq(ram[0x2003], 1);
    ck_assert_int_eq(ram[0x2000], 4);
    /* Verify: counts run, memory untouched. */
    program8(0, 0x3000, 3, 0x40);
    ck_assert_uint_eq(dma_transfer(dma, 0, buf, 4, &tc), 4);
    ck_assert(tc);
    ck_assert_int_eq(ram[0x3000], 0);
    /* Into ROM and into nothing: dropped, the transfer still counts. */
    program8(2, ROM_BASE, 3, 0x44);
    ck_assert_uint_eq(dma_transfer(dma, 2, buf, 4, &tc), 4);
    ck_assert_int_eq(rom[0], 0x5a);
    program8(2, 0xf00000, 3, 0x44);
    ck_assert_uint_eq(dma_transfer(dma, 2, buf, 4, &tc), 4);
    /* Bad channel numbers move nothing. */
    ck_assert_uint_eq(dma_transfer(dma, 8, buf, 4, &tc), 0);
    ck_assert_uint_eq(dma_transfer(dma, -1, buf, 4, &tc), 0);
}
END_TEST

START_TEST(test_word_channel)
{
    uint8_t buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    bool tc;
    /* Channel 5: word address 0x0800 in page 0x03 -> 0x21000 (page bit 0
     * is not used), 2 words. */
    outb(0xd4, 1);
    outb(0xd8, 0);
    outb(0xc4, 0x00);
    outb(0xc4, 0x08);
    outb(0x8b, 0x03);
    outb(0xc6, 1);
    outb(0xc6, 0);
    outb(0xd6, 0x44 | 1);
    outb(0xd4, 1);
    ck_assert_uint_eq(dma_transfer(dma, 5, buf, 7, &tc), 4);
    ck_assert(tc);
    ck_assert_int_eq(memcmp(ram + 0x21000, buf, 4), 0);
    ck_assert_int_eq(ram[0x21004], 0);
    ck_assert_int_eq(inb(0xd0) & 0x0f, 0x02);
}
END_TEST

static Suite *dma_suite(void)
{
    Suite *s = suite_create("dma8237");
    TCase *tc = tcase_create("dma");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_flipflop_readback);
    tcase_add_test(tc, test_masks_request_master_clear);
    tcase_add_test(tc, test_transfer_write_tc);
    tcase_add_test(tc, test_transfer_read_autoinit);
    tcase_add_test(tc, test_decrement_verify_rom);
    tcase_add_test(tc, test_word_channel);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(dma_suite)
