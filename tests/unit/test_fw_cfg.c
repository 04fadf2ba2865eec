/*
 * test_fw_cfg.c - unit tests of the fw_cfg device (devices/fw_cfg.c): the
 * selector and data ports, the file directory, the DMA interface (read,
 * skip, select, a refused write, the error bit, a buffer in ROM) and the
 * PC's items (frontend/pc_fw_cfg.c), on memory and I/O maps of their own.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "devices/fw_cfg.h"
#include "frontend/pc_fw_cfg.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"

#define RAM_SIZE 0x200000u
#define ROM_BASE 0xf0000u /* a ROM over the RAM's top 64 KiB */
#define DESC 0x1000u      /* the DMA access structure */
#define BUF 0x2000u       /* its buffer */

static struct memory_map mem;
static struct io_map *io;
static struct device_bus bus;
static uint8_t *ram, rom[0x10000];
static struct fw_cfg_state *fw;

static void setup(void)
{
    memory_map_init(&mem);
    io = calloc(1, sizeof(*io));
    io_map_init(io);
    ram = calloc(1, RAM_SIZE);
    mem_add_ram(&mem, "ram", 0, RAM_SIZE, ram);
    memset(rom, 0xee, sizeof(rom));
    struct mem_region *r = mem_add_rom(&mem, "rom", ROM_BASE, sizeof(rom), rom);
    mem_region_set_priority(r, 1);
    device_bus_init(&bus, &mem, io, NULL);
    fw = fw_cfg_from_device(device_create_str(&bus, "fw_cfg"));
}

static void teardown(void)
{
    device_bus_destroy(&bus);
    io_map_destroy(io);
    free(io);
    memory_map_destroy(&mem);
    free(ram);
}

static void select_key(uint16_t key)
{
    io_write(io, MEM_ATTRS_NONE, 0x510, key, 2);
}

static uint8_t data(void)
{
    return (uint8_t)io_read(io, MEM_ATTRS_NONE, 0x511, 1);
}

static void read_data(void *buf, size_t n)
{
    uint8_t *b = buf;
    for (size_t i = 0; i < n; i++)
        b[i] = data();
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Start a DMA transfer described at desc as the guest does: the address
 * big-endian, high dword to 0x514, low dword to 0x518 (byte-swapped
 * values in little-endian OUTs). */
static void dma_kick(uint64_t desc)
{
    io_write(io, MEM_ATTRS_NONE, 0x514,
             __builtin_bswap32((uint32_t)(desc >> 32)), 4);
    io_write(io, MEM_ATTRS_NONE, 0x518, __builtin_bswap32((uint32_t)desc), 4);
}

/* Describe a transfer at desc_addr and run it; returns the control word
 * the device stored back. */
static uint32_t dma_at(uint64_t desc_addr, uint32_t control, uint32_t length,
                       uint64_t addr)
{
    uint8_t d[16];
    put_be32(d, control);
    put_be32(d + 4, length);
    put_be32(d + 8, (uint32_t)(addr >> 32));
    put_be32(d + 12, (uint32_t)addr);
    phys_write(&mem, desc_addr, d, sizeof(d));
    dma_kick(desc_addr);
    phys_read(&mem, desc_addr, d, 4);
    return be32(d);
}

static uint32_t dma(uint32_t control, uint32_t length, uint64_t addr)
{
    return dma_at(DESC, control, length, addr);
}

START_TEST(test_signature_and_id)
{
    char sig[5] = { 0 };
    select_key(FW_CFG_SIGNATURE);
    read_data(sig, 4);
    ck_assert_str_eq(sig, "QEMU");
    ck_assert_int_eq(data(), 0); /* past the end: 0 */

    uint8_t id[4];
    select_key(FW_CFG_ID);
    read_data(id, 4);
    ck_assert_uint_eq(id[0], FW_CFG_ID_TRADITIONAL | FW_CFG_ID_DMA);
    ck_assert_uint_eq(id[1] | id[2] | id[3], 0);

    /* selecting again starts over; an unknown key reads 0 */
    select_key(FW_CFG_SIGNATURE);
    ck_assert_int_eq(data(), 'Q');
    ck_assert_int_eq(data(), 'E');
    select_key(FW_CFG_SIGNATURE);
    ck_assert_int_eq(data(), 'Q');
    select_key(0x1234);
    ck_assert_int_eq(data(), 0);
    /* the write-mode bit selects the same item; data writes are ignored */
    select_key(0x4000 | FW_CFG_SIGNATURE);
    io_write(io, MEM_ATTRS_NONE, 0x511, 'X', 1);
    ck_assert_int_eq(data(), 'Q');

    /* the DMA register reads "QEMU CFG" */
    ck_assert_uint_eq(io_read(io, MEM_ATTRS_NONE, 0x514, 4), 0x554d4551u);
    ck_assert_uint_eq(io_read(io, MEM_ATTRS_NONE, 0x518, 4), 0x47464320u);
}
END_TEST

START_TEST(test_numbered_items)
{
    fw_cfg_add_i64(fw, FW_CFG_RAM_SIZE, 0x123456789aull);
    fw_cfg_add_i16(fw, FW_CFG_NB_CPUS, 3);
    uint8_t b[8];
    select_key(FW_CFG_RAM_SIZE);
    read_data(b, 8);
    ck_assert_uint_eq(b[0], 0x9a);
    ck_assert_uint_eq(b[4], 0x12);
    ck_assert_uint_eq(b[5], 0);
    select_key(FW_CFG_NB_CPUS);
    read_data(b, 3);
    ck_assert_uint_eq(b[0], 3);
    ck_assert_uint_eq(b[1], 0);
    ck_assert_uint_eq(b[2], 0);
    /* replaced, not added */
    fw_cfg_add_i16(fw, FW_CFG_NB_CPUS, 4);
    select_key(FW_CFG_NB_CPUS);
    ck_assert_uint_eq(data(), 4);
}
END_TEST

START_TEST(test_file_directory)
{
    ck_assert_int_eq(fw_cfg_add_file(fw, "etc/zz", "zz", 2), 0x20);
    ck_assert_int_eq(fw_cfg_add_file(fw, "bootorder", "abc", 4), 0x21);
    ck_assert_int_eq(fw_cfg_add_file(fw, "etc/e820", "0123456789", 10),
                     0x22);
    /* a name given again replaces the data, keeps the key */
    ck_assert_int_eq(fw_cfg_add_file(fw, "etc/zz", "zzz", 3), 0x20);
    char longname[80];
    memset(longname, 'a', sizeof(longname) - 1);
    longname[79] = 0;
    ck_assert_int_eq(fw_cfg_add_file(fw, longname, "x", 1), -1);

    uint8_t dir[4 + 3 * 64];
    select_key(FW_CFG_FILE_DIR);
    read_data(dir, sizeof(dir));
    ck_assert_uint_eq(be32(dir), 3);
    /* sorted by name; big-endian size and key */
    const char *names[] = { "bootorder", "etc/e820", "etc/zz" };
    const uint32_t sizes[] = { 4, 10, 3 };
    const uint16_t keys[] = { 0x21, 0x22, 0x20 };
    for (int i = 0; i < 3; i++) {
        const uint8_t *e = dir + 4 + 64 * i;
        ck_assert_uint_eq(be32(e), sizes[i]);
        ck_assert_uint_eq((unsigned)(e[4] << 8 | e[5]), keys[i]);
        ck_assert_uint_eq((unsigned)(e[6] | e[7]), 0);
        ck_assert_str_eq((const char *)e + 8, names[i]);
    }
    char z[4] = { 0 };
    select_key(0x20);
    read_data(z, 3);
    ck_assert_str_eq(z, "zzz");
}
END_TEST

START_TEST(test_dma_read_skip_select)
{
    fw_cfg_add_file(fw, "etc/test", "abcdefgh", 8);
    memset(ram + BUF, 0x55, 32);

    /* select and read 3 bytes */
    ck_assert_uint_eq(dma(0x20u << 16 | FW_CFG_DMA_CTL_SELECT |
                              FW_CFG_DMA_CTL_READ,
                          3, BUF),
                      0);
    ck_assert_mem_eq(ram + BUF, "abc", 3);
    ck_assert_uint_eq(ram[BUF + 3], 0x55);
    /* skip 2, then read on: "fgh" and zeros past the end */
    ck_assert_uint_eq(dma(FW_CFG_DMA_CTL_SKIP, 2, 0), 0);
    ck_assert_uint_eq(dma(FW_CFG_DMA_CTL_READ, 6, BUF + 8), 0);
    ck_assert_mem_eq(ram + BUF + 8, "fgh\0\0\0", 6);
    ck_assert_uint_eq(ram[BUF + 14], 0x55);
    /* the port reads on from the same offset: at the end */
    ck_assert_uint_eq(data(), 0);
    /* select alone: offset back to 0, the port reads the item */
    ck_assert_uint_eq(dma(0x20u << 16 | FW_CFG_DMA_CTL_SELECT, 0, 0), 0);
    ck_assert_uint_eq(data(), 'a');
    /* the port's offset moves the DMA's too */
    ck_assert_uint_eq(dma(FW_CFG_DMA_CTL_READ, 1, BUF + 16), 0);
    ck_assert_uint_eq(ram[BUF + 16], 'b');
    /* the signature through DMA */
    ck_assert_uint_eq(dma(FW_CFG_SIGNATURE << 16 | FW_CFG_DMA_CTL_SELECT |
                              FW_CFG_DMA_CTL_READ,
                          4, BUF + 20),
                      0);
    ck_assert_mem_eq(ram + BUF + 20, "QEMU", 4);
}
END_TEST

START_TEST(test_dma_errors)
{
    fw_cfg_add_file(fw, "etc/test", "abcdefgh", 8);
    /* no item is writable: the error bit, the item unchanged */
    memcpy(ram + BUF, "XXXX", 4);
    ck_assert_uint_eq(dma(0x20u << 16 | FW_CFG_DMA_CTL_SELECT |
                              FW_CFG_DMA_CTL_WRITE,
                          4, BUF),
                      FW_CFG_DMA_CTL_ERROR);
    select_key(0x20);
    ck_assert_uint_eq(data(), 'a');

    /* a read into ROM: dropped, the error bit set */
    ck_assert_uint_eq(dma(0x20u << 16 | FW_CFG_DMA_CTL_SELECT |
                              FW_CFG_DMA_CTL_READ,
                          8, ROM_BASE + 0x100),
                      FW_CFG_DMA_CTL_ERROR);
    ck_assert_uint_eq(rom[0x100], 0xee);
    ck_assert_uint_eq(rom[0x107], 0xee);
    ck_assert_uint_eq(ram[ROM_BASE + 0x100], 0); /* nor the RAM below it */

    /* a buffer straddling RAM and a hole: the RAM part written */
    ck_assert_uint_eq(dma(0x20u << 16 | FW_CFG_DMA_CTL_SELECT |
                              FW_CFG_DMA_CTL_READ,
                          8, RAM_SIZE - 4),
                      FW_CFG_DMA_CTL_ERROR);
    ck_assert_mem_eq(ram + RAM_SIZE - 4, "abcd", 4);
    /* a buffer wrapping around the address space is refused */
    ck_assert_uint_eq(dma(FW_CFG_DMA_CTL_READ, 0x100, ~(uint64_t)0 - 0x10),
                      FW_CFG_DMA_CTL_ERROR);
    /* a huge length into a hole: error, no crash */
    ck_assert_uint_eq(dma(FW_CFG_DMA_CTL_READ, 0xffffffffu, 0x100000000ull),
                      FW_CFG_DMA_CTL_ERROR);
    /* a skip past the end stops there */
    ck_assert_uint_eq(dma(0x20u << 16 | FW_CFG_DMA_CTL_SELECT |
                              FW_CFG_DMA_CTL_SKIP,
                          0xffffffffu, 0),
                      0);
    ck_assert_uint_eq(data(), 0);

    /* a descriptor in ROM: the transfer runs, the control word cannot be
     * stored back (the ROM keeps its bytes) */
    select_key(0);
    memset(ram + BUF, 0, 8);
    uint8_t d[16] = { 0 };
    put_be32(d, 0x20u << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ);
    put_be32(d + 4, 2);
    put_be32(d + 12, BUF);
    memcpy(rom + 0x200, d, sizeof(d));
    dma_kick(ROM_BASE + 0x200);
    ck_assert_mem_eq(ram + BUF, "ab", 2);
    ck_assert_mem_eq(rom + 0x200, d, sizeof(d));
}
END_TEST

START_TEST(test_reset)
{
    select_key(FW_CFG_SIGNATURE);
    ck_assert_uint_eq(data(), 'Q');
    device_bus_reset(&bus);
    /* selector 0 (the signature) from its start */
    ck_assert_uint_eq(data(), 'Q');
    ck_assert_uint_eq(data(), 'E');
}
END_TEST

START_TEST(test_pc_items)
{
    struct machine_config cfg = { .ram_size = 64u << 20, .nographic = true };
    strcpy(cfg.boot_order, "dcdc"); /* letters again add nothing */
    /* units 0 (disk) and 2 (CD) */
    pc_fw_cfg_init(fw, &cfg, 0x5, 0x4, NULL);
    uint8_t b[64];
    select_key(FW_CFG_RAM_SIZE);
    read_data(b, 8);
    ck_assert_uint_eq(b[3], 0x04);
    ck_assert_uint_eq(b[0] | b[1] | b[2] | b[4], 0);
    select_key(FW_CFG_MAX_CPUS);
    ck_assert_uint_eq(data(), 1);

    /* the directory's files, by name */
    uint8_t dir[4 + 8 * 64];
    select_key(FW_CFG_FILE_DIR);
    read_data(dir, sizeof(dir));
    uint32_t n = be32(dir);
    ck_assert_uint_le(n, 8);
    int e820 = -1, order = -1;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = dir + 4 + 64 * i;
        if (!strcmp((const char *)e + 8, "etc/e820")) {
            ck_assert_uint_eq(be32(e), 20);
            e820 = e[4] << 8 | e[5];
        }
        if (!strcmp((const char *)e + 8, "bootorder"))
            order = e[4] << 8 | e[5];
    }
    ck_assert_int_ge(e820, 0x20);
    ck_assert_int_ge(order, 0x20);
    /* one RAM entry: 0, 64 MiB, type 1 */
    select_key((uint16_t)e820);
    read_data(b, 20);
    static const uint8_t want[20] = { 0, 0, 0, 0, 0, 0, 0, 0,
                                      0, 0, 0, 4, 0, 0, 0, 0, 1, 0, 0, 0 };
    ck_assert_mem_eq(b, want, 20);
    /* -boot dc: the CD, then the disk */
    char text[128] = { 0 };
    select_key((uint16_t)order);
    read_data(text, sizeof(text) - 1);
    ck_assert_str_eq(text, "/pci@i0cf8/ide@1,1/drive@1/disk@0\n"
                           "/pci@i0cf8/ide@1,1/drive@0/disk@0\n");
}
END_TEST

static Suite *fw_cfg_suite(void)
{
    Suite *s = suite_create("fw_cfg");
    TCase *tc = tcase_create("fw_cfg");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_signature_and_id);
    tcase_add_test(tc, test_numbered_items);
    tcase_add_test(tc, test_file_directory);
    tcase_add_test(tc, test_dma_read_skip_select);
    tcase_add_test(tc, test_dma_errors);
    tcase_add_test(tc, test_reset);
    tcase_add_test(tc, test_pc_items);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(fw_cfg_suite)
