/*
 * test_memory.c - unit tests of the physical memory map and the I/O port
 * map (softmmu/memory.c): region lookup, RAM/ROM/MMIO/unassigned accesses,
 * MMIO width splitting and widening, phys_read/phys_write across regions,
 * the code-page write hook; port dispatch, refused overlaps and
 * unregistering; and the accessing CPU handed to callbacks.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "softmmu/memory.h"
#include "tests/unit/unit.h"

/* ---- a recording MMIO device ---- */

#define LOG_MAX 32
struct rec_dev {
    unsigned min, max;
    int n;
    struct {
        char kind;
        uint64_t off;
        uint64_t val;
        unsigned size;
        void *cpu;
    } log[LOG_MAX];
    uint8_t regs[64]; /* byte-addressed register file */
};

static uint64_t rec_read(void *opaque, struct mem_attrs attrs, uint64_t off,
                         unsigned size)
{
    struct rec_dev *d = opaque;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)d->regs[(off + i) % sizeof(d->regs)] << (8 * i);
    if (d->n < LOG_MAX)
        d->log[d->n++] = (typeof(d->log[0])){ 'r', off, v, size, attrs.cpu };
    return v;
}

static void rec_write(void *opaque, struct mem_attrs attrs, uint64_t off,
                      uint64_t val, unsigned size)
{
    struct rec_dev *d = opaque;
    for (unsigned i = 0; i < size; i++)
        d->regs[(off + i) % sizeof(d->regs)] = (uint8_t)(val >> (8 * i));
    if (d->n < LOG_MAX)
        d->log[d->n++] = (typeof(d->log[0])){ 'w', off, val, size, attrs.cpu };
}

static struct mem_ops rec_ops(unsigned min, unsigned max)
{
    return (struct mem_ops){
        .read = rec_read, .write = rec_write, .min_size = min, .max_size = max
    };
}

/* Tests of fatal errors run in a child that exits: keep its message off
 * the test log. */
static void quiet(void)
{
    if (!freopen("/dev/null", "w", stderr))
        ck_abort_msg("cannot silence stderr");
}

static struct memory_map map;
static struct rec_dev dev;
static struct mem_ops dev_ops;
static uint8_t rom_bytes[0x1000];

/* RAM 0-64K, ROM at 0x20000 (4K), MMIO at 0x30000 (64 bytes), RAM at
 * 0x40000 (64K), unassigned elsewhere. */
static void setup(void)
{
    memory_map_init(&map);
    memset(&dev, 0, sizeof(dev));
    dev_ops = rec_ops(1, 4);
    for (unsigned i = 0; i < sizeof(rom_bytes); i++)
        rom_bytes[i] = (uint8_t)(i * 7);
    mem_add_ram(&map, "ram0", 0, 0x10000, NULL);
    mem_add_mmio(&map, "dev", 0x30000, 64, &dev_ops, &dev);
    mem_add_rom(&map, "rom", 0x20000, sizeof(rom_bytes), rom_bytes);
    mem_add_ram(&map, "ram1", 0x40000, 0x10000, NULL);
}

static void teardown(void) { memory_map_destroy(&map); }

START_TEST(test_find)
{
    dev_ops = rec_ops(1, 4);
    ck_assert_int_eq(map.n_regions, 4);
    /* sorted by base whatever the order of adding */
    for (int i = 1; i < map.n_regions; i++)
        ck_assert_uint_lt(map.regions[i - 1].base, map.regions[i].base);
    ck_assert_str_eq(mem_find(&map, 0)->name, "ram0");
    ck_assert_str_eq(mem_find(&map, 0xffff)->name, "ram0");
    ck_assert_ptr_null(mem_find(&map, 0x10000));
    ck_assert_str_eq(mem_find(&map, 0x20fff)->name, "rom");
    ck_assert_ptr_null(mem_find(&map, 0x21000));
    ck_assert_str_eq(mem_find(&map, 0x3003f)->name, "dev");
    ck_assert_ptr_null(mem_find(&map, 0x30040));
    ck_assert_str_eq(mem_find(&map, 0x4ffff)->name, "ram1");
    ck_assert_ptr_null(mem_find(&map, 0x50000));
    ck_assert_ptr_null(mem_find(&map, 0xffffffffull));
    ck_assert_uint_gt(map.generation, 0);
}
END_TEST

START_TEST(test_ram_rom_access)
{
    struct mem_region *r = mem_find(&map, 0x100);
    mem_region_write(r, MEM_ATTRS_NONE, 0x100, 0x1122334455667788ull, 8);
    ck_assert_uint_eq(mem_region_read(r, MEM_ATTRS_NONE, 0x100, 8),
                      0x1122334455667788ull);
    ck_assert_uint_eq(mem_region_read(r, MEM_ATTRS_NONE, 0x101, 2), 0x6677);
    /* little-endian bytes whatever the host */
    ck_assert_uint_eq(r->host[0x100], 0x88);
    ck_assert_uint_eq(r->host[0x107], 0x11);

    /* a CPU write to ROM is ignored, ROM reads its bytes */
    struct mem_region *rom = mem_find(&map, 0x20010);
    mem_region_write(rom, MEM_ATTRS_NONE, 0x20010, 0xdeadbeef, 4);
    ck_assert_uint_eq(rom_bytes[0x10], (uint8_t)(0x10 * 7));
    ck_assert_uint_eq(mem_region_read(rom, MEM_ATTRS_NONE, 0x20010, 1),
                      (uint8_t)(0x10 * 7));
}
END_TEST

START_TEST(test_mmio_split)
{
    /* the device takes bytes only: a dword becomes four byte accesses */
    dev_ops = rec_ops(1, 1);
    struct mem_region *r = mem_find(&map, 0x30000);
    mem_region_write(r, MEM_ATTRS_NONE, 0x30004, 0xa1b2c3d4, 4);
    ck_assert_int_eq(dev.n, 4);
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(dev.log[i].kind, 'w');
        ck_assert_uint_eq(dev.log[i].off, 4u + (unsigned)i);
        ck_assert_uint_eq(dev.log[i].size, 1);
    }
    ck_assert_uint_eq(dev.log[0].val, 0xd4);
    ck_assert_uint_eq(dev.log[3].val, 0xa1);
    dev.n = 0;
    ck_assert_uint_eq(mem_region_read(r, MEM_ATTRS_NONE, 0x30004, 4),
                      0xa1b2c3d4);
    ck_assert_int_eq(dev.n, 4);

    /* max 2: a qword is four word accesses */
    dev_ops = rec_ops(1, 2);
    dev.n = 0;
    ck_assert_uint_eq(mem_region_read(r, MEM_ATTRS_NONE, 0x30000, 8),
                      ((uint64_t)0xa1b2c3d4 << 32));
    ck_assert_int_eq(dev.n, 4);
    ck_assert_uint_eq(dev.log[2].off, 4);
    ck_assert_uint_eq(dev.log[2].size, 2);
}
END_TEST

START_TEST(test_mmio_widen)
{
    /* the device takes dwords only: a byte read reads the dword around it
     * and extracts the byte; a byte write merges into it */
    dev_ops = rec_ops(4, 4);
    struct mem_region *r = mem_find(&map, 0x30000);
    dev.regs[8] = 0x11;
    dev.regs[9] = 0x22;
    dev.regs[10] = 0x33;
    dev.regs[11] = 0x44;
    ck_assert_uint_eq(mem_region_read(r, MEM_ATTRS_NONE, 0x3000a, 1), 0x33);
    ck_assert_int_eq(dev.n, 1);
    ck_assert_uint_eq(dev.log[0].off, 8);
    ck_assert_uint_eq(dev.log[0].size, 4);
    dev.n = 0;
    mem_region_write(r, MEM_ATTRS_NONE, 0x30009, 0xee, 1);
    ck_assert_int_eq(dev.n, 2); /* read, then the merged write */
    ck_assert_int_eq(dev.log[1].kind, 'w');
    ck_assert_uint_eq(dev.log[1].off, 8);
    ck_assert_uint_eq(dev.log[1].val, 0x4433ee11);
    ck_assert_uint_eq(dev.log[1].size, 4);
}
END_TEST

START_TEST(test_mmio_default_widths)
{
    /* 0/0 means 1..4 */
    dev_ops = (struct mem_ops){ .read = rec_read, .write = rec_write };
    struct mem_region *r = mem_find(&map, 0x30000);
    mem_region_write(r, MEM_ATTRS_NONE, 0x30000, 0x0102030405060708ull, 8);
    ck_assert_int_eq(dev.n, 2);
    ck_assert_uint_eq(dev.log[0].size, 4);
    ck_assert_uint_eq(dev.log[0].val, 0x05060708);
    ck_assert_uint_eq(dev.log[1].val, 0x01020304);
}
END_TEST

START_TEST(test_mmio_knows_the_cpu)
{
    int cpu0, cpu1; /* stand-ins: softmmu never looks into them */
    dev_ops = rec_ops(1, 4);
    struct mem_region *r = mem_find(&map, 0x30000);
    mem_region_write(r, (struct mem_attrs){ .cpu = &cpu0 }, 0x30000, 1, 4);
    mem_region_read(r, (struct mem_attrs){ .cpu = &cpu1 }, 0x30000, 4);
    ck_assert_ptr_eq(dev.log[0].cpu, &cpu0);
    ck_assert_ptr_eq(dev.log[1].cpu, &cpu1);
    /* loaders and DMA are no CPU */
    uint8_t b = 0;
    phys_write(&map, 0x30000, &b, 1);
    ck_assert_ptr_null(dev.log[dev.n - 1].cpu);
}
END_TEST

START_TEST(test_phys_rw)
{
    dev_ops = rec_ops(1, 4);
    uint8_t buf[0x40], out[0x40];
    for (unsigned i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(0x80 + i);

    /* across the end of ram0 into the hole: the hole swallows writes and
     * reads as 0xff */
    phys_write(&map, 0xfff0, buf, 0x20);
    phys_read(&map, 0xfff0, out, 0x20);
    ck_assert_mem_eq(out, buf, 0x10);
    for (int i = 0x10; i < 0x20; i++)
        ck_assert_uint_eq(out[i], 0xff);

    /* loaders may write ROM */
    phys_write(&map, 0x20100, buf, 4);
    ck_assert_mem_eq(rom_bytes + 0x100, buf, 4);

    /* MMIO through phys_*: byte accesses */
    phys_write(&map, 0x30000, buf, 3);
    ck_assert_int_eq(dev.n, 3);
    phys_read(&map, 0x30000, out, 3);
    ck_assert_mem_eq(out, buf, 3);

    /* host pointer only for a range inside one RAM/ROM region */
    ck_assert_ptr_nonnull(phys_host_ptr(&map, 0xfff0, 0x10));
    ck_assert_ptr_null(phys_host_ptr(&map, 0xfff0, 0x11));
    ck_assert_ptr_null(phys_host_ptr(&map, 0x30000, 1));
    ck_assert_ptr_null(phys_host_ptr(&map, 0x60000, 1));
    ck_assert_ptr_eq(phys_host_ptr(&map, 0x20000, 16), rom_bytes);
}
END_TEST

/* ---- the code-page hook ---- */

static int hook_calls;
static uint64_t hook_paddr[8];
static unsigned hook_len[8];

static void code_hook(void *opaque, uint64_t paddr, unsigned len)
{
    ck_assert_ptr_eq(opaque, &map);
    if (hook_calls < 8) {
        hook_paddr[hook_calls] = paddr;
        hook_len[hook_calls] = len;
    }
    hook_calls++;
}

START_TEST(test_code_pages)
{
    uint8_t buf[0x2000];
    memset(buf, 0x90, sizeof(buf));
    hook_calls = 0;
    map.code_write = code_hook;
    map.code_write_opaque = &map;

    /* the array covers every RAM/ROM page */
    ck_assert_uint_ge(map.code_pages_n, 0x50);
    ck_assert(!mem_page_has_code(&map, 0x1000));
    mem_mark_code_page(&map, 0x1234);
    ck_assert(mem_page_has_code(&map, 0x1000));
    ck_assert(mem_page_has_code(&map, 0x1fff));
    ck_assert(!mem_page_has_code(&map, 0x2000));
    /* out of range: ignored, never a crash */
    mem_mark_code_page(&map, 0xfffff000ull);
    ck_assert(!mem_page_has_code(&map, 0xfffff000ull));

    /* a write to an unmarked page does not call the hook */
    phys_write(&map, 0x3000, buf, 16);
    ck_assert_int_eq(hook_calls, 0);
    /* a write spanning pages 0, 1 and 2 reports only the marked page's part */
    phys_write(&map, 0xff0, buf, 0x1020);
    ck_assert_int_eq(hook_calls, 1);
    ck_assert_uint_eq(hook_paddr[0], 0x1000);
    ck_assert_uint_eq(hook_len[0], 0x1000);

    mem_unmark_code_page(&map, 0x1000);
    ck_assert(!mem_page_has_code(&map, 0x1000));
    phys_write(&map, 0x1000, buf, 4);
    ck_assert_int_eq(hook_calls, 1);
}
END_TEST

/* ---- I/O ports ---- */

static struct io_map io;

static void io_setup(void)
{
    setup();
    io_map_init(&io);
}

static void io_teardown(void)
{
    io_map_destroy(&io);
    teardown();
}

START_TEST(test_io_ports)
{
    dev_ops = rec_ops(1, 1);
    struct io_region *r = io_register(&io, "dev", 0x3f8, 8, &dev_ops, &dev);
    ck_assert_str_eq(r->name, "dev");
    ck_assert_uint_eq(r->base, 0x3f8);
    ck_assert_uint_eq(r->count, 8);

    /* unclaimed: all ones, writes vanish */
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0x80, 1), 0xff);
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0x80, 2), 0xffff);
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0x80, 4), 0xffffffffu);
    io_write(&io, MEM_ATTRS_NONE, 0x80, 0x12, 1);

    /* byte device: offsets relative to the base, words split */
    io_write(&io, MEM_ATTRS_NONE, 0x3f9, 0xbeef, 2);
    ck_assert_int_eq(dev.n, 2);
    ck_assert_uint_eq(dev.log[0].off, 1);
    ck_assert_uint_eq(dev.log[0].val, 0xef);
    ck_assert_uint_eq(dev.log[1].off, 2);
    ck_assert_uint_eq(dev.log[1].val, 0xbe);
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0x3f9, 2), 0xbeef);

    /* a dword at the last port spans into unclaimed ports */
    dev.regs[7] = 0x5a;
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0x3ff, 4), 0xffffff5a);
    /* ... and one starting in unclaimed ports reaches the device */
    dev.regs[0] = 0xa5;
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0x3f6, 4), 0xefa5ffff);
    /* ... and one with unclaimed ends around a claimed port */
    io_register(&io, "one", 0x81, 1, &dev_ops, &dev);
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0x80, 4), 0xffffa5ff);
    /* at the top of the space: wraps byte-wise, never out of bounds */
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0xffff, 4), 0xffffffffu);
    io_write(&io, MEM_ATTRS_NONE, 0xfffe, 0x12345678, 4);
}
END_TEST

START_TEST(test_io_wide_device)
{
    dev_ops = rec_ops(1, 4);
    io_register(&io, "dev", 0xcf8, 4, &dev_ops, &dev);
    io_write(&io, MEM_ATTRS_NONE, 0xcf8, 0x80001234, 4);
    ck_assert_int_eq(dev.n, 1);
    ck_assert_uint_eq(dev.log[0].size, 4);
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0xcfa, 2), 0x8000);
    /* a dword across two devices: each byte to the owner of its port */
    struct rec_dev other = { 0 };
    static struct mem_ops other_ops;
    other_ops = rec_ops(1, 4);
    other.regs[0] = 0x77;
    io_register(&io, "other", 0xcfc, 1, &other_ops, &other);
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0xcfa, 4), 0xff778000);
    ck_assert_int_eq(other.n, 1);
    ck_assert_uint_eq(other.log[0].off, 0);
}
END_TEST

START_TEST(test_io_conflict_and_unregister)
{
    static struct mem_ops other_ops;
    struct rec_dev other = { 0 };
    other_ops = rec_ops(1, 1);
    struct io_region *com1 = io_register(&io, "serial", 0x3f8, 8, &dev_ops, &dev);

    /* what the command line asks before claiming user-given ports */
    ck_assert_ptr_eq(io_find_conflict(&io, 0x3f8, 8), com1);
    ck_assert_ptr_eq(io_find_conflict(&io, 0x3f0, 9), com1);
    ck_assert_ptr_eq(io_find_conflict(&io, 0x3ff, 1), com1);
    ck_assert_ptr_null(io_find_conflict(&io, 0x3f0, 8));
    ck_assert_ptr_null(io_find_conflict(&io, 0x400, 8));
    ck_assert_ptr_null(io_find_conflict(&io, 0xfff0, 0x10));

    /* unregistered: the ports are free, unclaimed, and can be taken */
    io_unregister(&io, com1);
    ck_assert_ptr_null(io_find_conflict(&io, 0, 0x10000));
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0x3f8, 1), 0xff);
    ck_assert_int_eq(dev.n, 0);
    io_register(&io, "other", 0x3f8, 8, &other_ops, &other);
    io_write(&io, MEM_ATTRS_NONE, 0x3fa, 1, 1);
    ck_assert_int_eq(other.n, 1);
    ck_assert_uint_eq(other.log[0].off, 2);
}
END_TEST

START_TEST(test_io_overlap_is_fatal)
{
    quiet();
    io_register(&io, "pic-master", 0x20, 2, &dev_ops, &dev);
    io_register(&io, "isa-debug-exit", 0x20, 2, &dev_ops, &dev);
}
END_TEST

START_TEST(test_io_out_of_space_is_fatal)
{
    quiet();
    io_register(&io, "big", 0xfff0, 0x20, &dev_ops, &dev);
}
END_TEST

START_TEST(test_io_knows_the_cpu)
{
    int cpu0;
    io_register(&io, "dev", 0x60, 4, &dev_ops, &dev);
    io_write(&io, (struct mem_attrs){ .cpu = &cpu0 }, 0x60, 1, 1);
    io_read(&io, (struct mem_attrs){ .cpu = &cpu0 }, 0x61, 2);
    ck_assert_int_eq(dev.n, 2);
    ck_assert_ptr_eq(dev.log[0].cpu, &cpu0);
    ck_assert_ptr_eq(dev.log[1].cpu, &cpu0);
}
END_TEST

static Suite *memory_suite(void)
{
    /* Fatal errors are tested as exits, which need Check's fork mode (a
     * cross build under qemu-user runs without it). */
    const char *fork_env = getenv("CK_FORK");
    bool can_fork = !fork_env || strcmp(fork_env, "no") != 0;

    Suite *s = suite_create("memory");
    TCase *tc = tcase_create("map");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_find);
    tcase_add_test(tc, test_ram_rom_access);
    tcase_add_test(tc, test_mmio_split);
    tcase_add_test(tc, test_mmio_widen);
    tcase_add_test(tc, test_mmio_default_widths);
    tcase_add_test(tc, test_mmio_knows_the_cpu);
    tcase_add_test(tc, test_phys_rw);
    tcase_add_test(tc, test_code_pages);
    suite_add_tcase(s, tc);

    TCase *ti = tcase_create("io");
    tcase_add_checked_fixture(ti, io_setup, io_teardown);
    tcase_add_test(ti, test_io_ports);
    tcase_add_test(ti, test_io_wide_device);
    tcase_add_test(ti, test_io_conflict_and_unregister);
    tcase_add_test(ti, test_io_knows_the_cpu);
    if (can_fork) {
        tcase_add_exit_test(ti, test_io_overlap_is_fatal, 1);
        tcase_add_exit_test(ti, test_io_out_of_space_is_fatal, 1);
    }
    suite_add_tcase(s, ti);
    return s;
}

UNIT_MAIN(memory_suite)
