/*
 * test_memory.c - unit tests of the physical memory map and the I/O port
 * map (softmmu/memory.c): region lookup, RAM/ROM/MMIO/unassigned accesses,
 * MMIO width splitting and widening, phys_read/phys_write across regions,
 * the code-page write hook; regions that stay put when others come and
 * go, priorities, enabling, moving, removing, aliases (a PAM-style shadow
 * of a ROM, a bank-switched window), the listeners and transactions, dirty
 * logging; port dispatch, refused overlaps and unregistering, and the
 * accessing CPU handed to callbacks.
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
static struct mem_region *ram0, *rom, *mmio, *ram1;

/* RAM 0-64K, ROM at 0x20000 (4K), MMIO at 0x30000 (64 bytes), RAM at
 * 0x40000 (64K), unassigned elsewhere. */
static void setup(void)
{
    memory_map_init(&map);
    memset(&dev, 0, sizeof(dev));
    dev_ops = rec_ops(1, 4);
    for (unsigned i = 0; i < sizeof(rom_bytes); i++)
        rom_bytes[i] = (uint8_t)(i * 7);
    ram0 = mem_add_ram(&map, "ram0", 0, 0x10000, NULL);
    mmio = mem_add_mmio(&map, "dev", 0x30000, 64, &dev_ops, &dev);
    rom = mem_add_rom(&map, "rom", 0x20000, sizeof(rom_bytes), rom_bytes);
    ram1 = mem_add_ram(&map, "ram1", 0x40000, 0x10000, NULL);
}

static void teardown(void) { memory_map_destroy(&map); }

static const char *name_at(uint64_t paddr)
{
    struct mem_region *r = mem_find(&map, paddr);
    return r ? r->name : "(none)";
}

static uint64_t rd(uint64_t paddr, unsigned size)
{
    const struct mem_section *s = mem_lookup(&map, paddr);
    ck_assert_ptr_nonnull(s);
    return mem_section_read(s, MEM_ATTRS_NONE, paddr, size);
}

static void wr(uint64_t paddr, uint64_t v, unsigned size)
{
    const struct mem_section *s = mem_lookup(&map, paddr);
    ck_assert_ptr_nonnull(s);
    mem_section_write(s, MEM_ATTRS_NONE, paddr, v, size);
}

START_TEST(test_find)
{
    ck_assert_int_eq(map.n_regions, 4);
    /* the sections are sorted by base whatever the order of adding */
    ck_assert_int_eq(map.n_sections, 4);
    for (int i = 1; i < map.n_sections; i++)
        ck_assert_uint_lt(map.sections[i - 1].base, map.sections[i].base);
    ck_assert_str_eq(name_at(0), "ram0");
    ck_assert_str_eq(name_at(0xffff), "ram0");
    ck_assert_ptr_null(mem_find(&map, 0x10000));
    ck_assert_ptr_null(mem_lookup(&map, 0x10000));
    ck_assert_str_eq(name_at(0x20fff), "rom");
    ck_assert_ptr_null(mem_find(&map, 0x21000));
    ck_assert_str_eq(name_at(0x3003f), "dev");
    ck_assert_ptr_null(mem_find(&map, 0x30040));
    ck_assert_str_eq(name_at(0x4ffff), "ram1");
    ck_assert_ptr_null(mem_find(&map, 0x50000));
    ck_assert_ptr_null(mem_find(&map, 0xffffffffull));
    ck_assert_uint_gt(map.generation, 0);
    /* the section of a region without overlaps is the region */
    const struct mem_section *s = mem_lookup(&map, 0x40010);
    ck_assert_uint_eq(s->base, 0x40000);
    ck_assert_uint_eq(s->size, 0x10000);
    ck_assert_uint_eq(s->offset, 0);
    ck_assert_ptr_eq(s->mr, ram1);
    ck_assert_ptr_eq(s->host, ram1->host);
    ck_assert_int_eq(s->kind, MEM_RAM);
}
END_TEST

START_TEST(test_bad_range)
{
    quiet();
    mem_add_ram(&map, "wraps", 0xfffffffffffff000ull, 0x2000, NULL);
}
END_TEST

START_TEST(test_ram_rom_access)
{
    wr(0x100, 0x1122334455667788ull, 8);
    ck_assert_uint_eq(rd(0x100, 8), 0x1122334455667788ull);
    ck_assert_uint_eq(rd(0x101, 2), 0x6677);
    /* little-endian bytes whatever the host */
    ck_assert_uint_eq(ram0->host[0x100], 0x88);
    ck_assert_uint_eq(ram0->host[0x107], 0x11);

    /* a CPU write to ROM is ignored, ROM reads its bytes */
    wr(0x20010, 0xdeadbeef, 4);
    ck_assert_uint_eq(rom_bytes[0x10], (uint8_t)(0x10 * 7));
    ck_assert_uint_eq(rd(0x20010, 1), (uint8_t)(0x10 * 7));
}
END_TEST

START_TEST(test_mmio_split)
{
    /* the device takes bytes only: a dword becomes four byte accesses */
    dev_ops = rec_ops(1, 1);
    wr(0x30004, 0xa1b2c3d4, 4);
    ck_assert_int_eq(dev.n, 4);
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(dev.log[i].kind, 'w');
        ck_assert_uint_eq(dev.log[i].off, 4u + (unsigned)i);
        ck_assert_uint_eq(dev.log[i].size, 1);
    }
    ck_assert_uint_eq(dev.log[0].val, 0xd4);
    ck_assert_uint_eq(dev.log[3].val, 0xa1);
    dev.n = 0;
    ck_assert_uint_eq(rd(0x30004, 4), 0xa1b2c3d4);
    ck_assert_int_eq(dev.n, 4);

    /* max 2: a qword is four word accesses */
    dev_ops = rec_ops(1, 2);
    dev.n = 0;
    ck_assert_uint_eq(rd(0x30000, 8), ((uint64_t)0xa1b2c3d4 << 32));
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
    dev.regs[8] = 0x11;
    dev.regs[9] = 0x22;
    dev.regs[10] = 0x33;
    dev.regs[11] = 0x44;
    ck_assert_uint_eq(rd(0x3000a, 1), 0x33);
    ck_assert_int_eq(dev.n, 1);
    ck_assert_uint_eq(dev.log[0].off, 8);
    ck_assert_uint_eq(dev.log[0].size, 4);
    dev.n = 0;
    wr(0x30009, 0xee, 1);
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
    wr(0x30000, 0x0102030405060708ull, 8);
    ck_assert_int_eq(dev.n, 2);
    ck_assert_uint_eq(dev.log[0].size, 4);
    ck_assert_uint_eq(dev.log[0].val, 0x05060708);
    ck_assert_uint_eq(dev.log[1].val, 0x01020304);
}
END_TEST

START_TEST(test_mmio_knows_the_cpu)
{
    int cpu0, cpu1; /* stand-ins: softmmu never looks into them */
    const struct mem_section *s = mem_lookup(&map, 0x30000);
    mem_section_write(s, (struct mem_attrs){ .cpu = &cpu0 }, 0x30000, 1, 4);
    mem_section_read(s, (struct mem_attrs){ .cpu = &cpu1 }, 0x30000, 4);
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
    /* from a hole into a region */
    phys_read(&map, 0x1fff0, out, 0x20);
    for (int i = 0; i < 0x10; i++)
        ck_assert_uint_eq(out[i], 0xff);
    ck_assert_mem_eq(out + 0x10, rom_bytes, 0x10);

    /* loaders may write ROM */
    phys_write(&map, 0x20100, buf, 4);
    ck_assert_mem_eq(rom_bytes + 0x100, buf, 4);

    /* MMIO through phys_*: byte accesses */
    phys_write(&map, 0x30000, buf, 3);
    ck_assert_int_eq(dev.n, 3);
    phys_read(&map, 0x30000, out, 3);
    ck_assert_mem_eq(out, buf, 3);

    /* host pointer only for a range inside one RAM/ROM section */
    ck_assert_ptr_nonnull(phys_host_ptr(&map, 0xfff0, 0x10));
    ck_assert_ptr_null(phys_host_ptr(&map, 0xfff0, 0x11));
    ck_assert_ptr_null(phys_host_ptr(&map, 0x30000, 1));
    ck_assert_ptr_null(phys_host_ptr(&map, 0x60000, 1));
    ck_assert_ptr_eq(phys_host_ptr(&map, 0x20000, 16), rom_bytes);
}
END_TEST

/* A bus master cannot write ROM: phys_dma_write drops those bytes (and
 * the hole's), writes RAM and MMIO as phys_write does. */
START_TEST(test_phys_dma_write)
{
    uint8_t buf[0x20], rom_before[0x20], out[0x10];
    for (unsigned i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(0x40 + i);
    memcpy(rom_before, rom_bytes + 0xf0, sizeof(rom_before));

    /* RAM then the hole: the 0x10 bytes of the hole are dropped */
    ck_assert_uint_eq(phys_dma_write(&map, 0xfff0, buf, 0x20), 0x10);
    phys_read(&map, 0xfff0, out, 0x10);
    ck_assert_mem_eq(out, buf, 0x10);
    /* ROM: untouched */
    ck_assert_uint_eq(phys_dma_write(&map, 0x200f0, buf, 0x20), 0x20);
    ck_assert_mem_eq(rom_bytes + 0xf0, rom_before, sizeof(rom_before));
    /* MMIO still sees the cycles */
    int n = dev.n;
    ck_assert_uint_eq(phys_dma_write(&map, 0x30000, buf, 2), 0);
    ck_assert_int_eq(dev.n, n + 2);
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

    /* a region added higher up grows the array */
    mem_add_ram(&map, "far", 0x800000, 0x1000, NULL);
    ck_assert_uint_ge(map.code_pages_n, 0x801);
}
END_TEST

/* ---- regions that come, go, overlap and alias ---- */

START_TEST(test_stable_pointers)
{
    /* Adding regions below a region (which used to shift an array of
     * regions under the pointers handed out) leaves every pointer valid. */
    struct mem_region *low[8];
    for (int i = 0; i < 8; i++)
        low[i] = mem_add_ram(&map, "low", 0x100000 + 0x1000 * (uint64_t)(8 - i),
                             0x1000, NULL);
    ck_assert_str_eq(ram1->name, "ram1");
    ck_assert_uint_eq(ram1->base, 0x40000);
    ck_assert_str_eq(mmio->name, "dev");
    for (int i = 0; i < 8; i++) {
        ck_assert_uint_eq(low[i]->base, 0x100000 + 0x1000 * (uint64_t)(8 - i));
        ck_assert_ptr_eq(mem_find(&map, low[i]->base), low[i]);
    }
    /* and removing some */
    mem_region_remove(low[3]);
    mem_region_remove(ram0);
    ck_assert_ptr_eq(mem_find(&map, 0x40000), ram1);
    ck_assert_ptr_eq(mem_find(&map, low[4]->base), low[4]);
    ck_assert_ptr_null(mem_find(&map, 0x105000));
    ck_assert_ptr_null(mem_find(&map, 0));
    ck_assert_int_eq(map.n_regions, 3 + 7);
}
END_TEST

START_TEST(test_priority)
{
    /* A device over RAM at priority 1 wins where it is; RAM shows around
     * it, its section continuing the RAM at the right offset. */
    struct mem_region *hi =
        mem_add_mmio(&map, "hi", 0x8000, 0x1000, &dev_ops, &dev);
    ck_assert_ptr_eq(mem_find(&map, 0x8000), hi); /* later wins a tie */
    mem_region_set_priority(hi, 1);
    ck_assert_ptr_eq(mem_find(&map, 0x7fff), ram0);
    ck_assert_ptr_eq(mem_find(&map, 0x8000), hi);
    ck_assert_ptr_eq(mem_find(&map, 0x8fff), hi);
    const struct mem_section *s = mem_lookup(&map, 0x9000);
    ck_assert_ptr_eq(s->mr, ram0);
    ck_assert_uint_eq(s->base, 0x9000);
    ck_assert_uint_eq(s->offset, 0x9000);
    ck_assert_ptr_eq(s->host, ram0->host + 0x9000);
    ck_assert_int_eq(map.n_sections, 4 + 2);
    /* offsets passed to the device are relative to its own base */
    wr(0x8010, 0x55, 1);
    ck_assert_uint_eq(dev.log[dev.n - 1].off, 0x10);

    /* a region added later at a lower priority stays hidden */
    struct mem_region *lo = mem_add_ram(&map, "lo", 0x8000, 0x2000, NULL);
    mem_region_set_priority(lo, -1);
    ck_assert_ptr_eq(mem_find(&map, 0x8000), hi);
    ck_assert_ptr_eq(mem_find(&map, 0x9000), ram0);
    /* raised above everything, it shows */
    mem_region_set_priority(lo, 5);
    ck_assert_ptr_eq(mem_find(&map, 0x8000), lo);
    ck_assert_ptr_eq(mem_find(&map, 0x9fff), lo);
    ck_assert_ptr_eq(mem_find(&map, 0xa000), ram0);
    /* ... and the map keeps them in order of precedence */
    for (int i = 1; i < map.n_regions; i++)
        ck_assert_int_ge(map.regions[i - 1]->priority,
                         map.regions[i]->priority);
}
END_TEST

START_TEST(test_enable_move_remove)
{
    struct mem_region *win =
        mem_add_mmio(&map, "win", 0x4000, 0x1000, &dev_ops, &dev);
    mem_region_set_priority(win, 1);
    ck_assert_ptr_eq(mem_find(&map, 0x4000), win);
    mem_region_set_enabled(win, false);
    ck_assert_ptr_eq(mem_find(&map, 0x4000), ram0);
    ck_assert_int_eq(map.n_sections, 4);
    mem_region_set_enabled(win, true);
    ck_assert_ptr_eq(mem_find(&map, 0x4000), win);

    /* moved out of RAM into the hole above it (a PCI BAR written) */
    mem_region_move(win, 0x12000);
    ck_assert_ptr_eq(mem_find(&map, 0x4000), ram0);
    ck_assert_ptr_eq(mem_find(&map, 0x12000), win);
    ck_assert_ptr_null(mem_find(&map, 0x11fff));
    wr(0x12008, 0x77, 1);
    ck_assert_uint_eq(dev.log[dev.n - 1].off, 8);

    /* a disabled region can move: it shows up there once enabled */
    mem_region_set_enabled(win, false);
    mem_region_move(win, 0x14000);
    ck_assert_ptr_null(mem_find(&map, 0x14000));
    mem_region_set_enabled(win, true);
    ck_assert_ptr_eq(mem_find(&map, 0x14000), win);

    mem_region_remove(win);
    ck_assert_ptr_null(mem_find(&map, 0x14000));
    mem_region_remove(rom);
    ck_assert_ptr_null(mem_find(&map, 0x20000));
    ck_assert_int_eq(map.n_regions, 3);
}
END_TEST

START_TEST(test_alias)
{
    /* ram1's bytes 0x2000.. seen at 0x60000 */
    ram1->host[0x2010] = 0xab;
    struct mem_region *a =
        mem_add_alias(&map, "a", 0x60000, 0x1000, ram1, 0x2000);
    ck_assert_ptr_eq(mem_find(&map, 0x60000), a);
    const struct mem_section *s = mem_lookup(&map, 0x60000);
    ck_assert_ptr_eq(s->mr, ram1);
    ck_assert_ptr_eq(s->top, a);
    ck_assert_uint_eq(s->offset, 0x2000);
    ck_assert_int_eq(s->kind, MEM_RAM);
    ck_assert_uint_eq(rd(0x60010, 1), 0xab);
    wr(0x60020, 0xcd, 1);
    ck_assert_uint_eq(ram1->host[0x2020], 0xcd);
    ck_assert_ptr_eq(phys_host_ptr(&map, 0x60000, 0x1000), ram1->host + 0x2000);

    /* an alias of an alias adds the offsets */
    struct mem_region *aa = mem_add_alias(&map, "aa", 0x70000, 0x100, a, 0x10);
    ck_assert_uint_eq(rd(0x70000, 1), 0xab);
    ck_assert_ptr_eq(mem_lookup(&map, 0x70000)->mr, ram1);

    /* an alias shows its target even where the target is hidden or off */
    mem_region_set_enabled(ram1, false);
    ck_assert_ptr_null(mem_find(&map, 0x40000));
    ck_assert_uint_eq(rd(0x60010, 1), 0xab);

    /* read-only: writes ignored, as ROM; the alias of it too */
    mem_region_set_readonly(a, true);
    ck_assert_int_eq(mem_lookup(&map, 0x60000)->kind, MEM_ROM);
    ck_assert_int_eq(mem_lookup(&map, 0x70000)->kind, MEM_ROM);
    wr(0x60010, 0x11, 1);
    ck_assert_uint_eq(ram1->host[0x2010], 0xab);
    mem_region_set_readonly(a, false);
    ck_assert_int_eq(mem_lookup(&map, 0x70000)->kind, MEM_RAM);

    /* bank switching: the same window, another offset */
    ram1->host[0x5010] = 0x5a;
    mem_alias_set_offset(a, 0x5000);
    ck_assert_uint_eq(rd(0x60010, 1), 0x5a);
    ck_assert_uint_eq(rd(0x70000, 1), 0x5a);

    /* an alias of a device: offsets are the device's */
    struct mem_region *da = mem_add_alias(&map, "da", 0x80000, 0x10, mmio, 0x20);
    wr(0x80004, 0x99, 1);
    ck_assert_uint_eq(dev.log[dev.n - 1].off, 0x24);
    ck_assert_int_eq(mem_lookup(&map, 0x80000)->kind, MEM_MMIO);

    /* an alias of ROM is ROM */
    mem_add_alias(&map, "ra", 0x90000, 0x1000, rom, 0);
    ck_assert_int_eq(mem_lookup(&map, 0x90000)->kind, MEM_ROM);
    ck_assert_uint_eq(rd(0x90003, 1), (uint8_t)(3 * 7));

    /* targets lose their aliases before they can go */
    mem_region_remove(aa);
    mem_region_remove(a);
    mem_region_remove(da);
    mem_region_remove(ram1);
    mem_region_remove(mmio);
}
END_TEST

START_TEST(test_alias_outside_target)
{
    quiet();
    mem_add_alias(&map, "bad", 0x60000, 0x2000, rom, 0);
}
END_TEST

START_TEST(test_remove_aliased)
{
    quiet();
    mem_add_alias(&map, "a", 0x60000, 0x1000, ram1, 0);
    mem_region_remove(ram1);
}
END_TEST

/* PAM-style shadowing (440FX, 82441FX data sheet 3.2.18): a BIOS ROM at
 * 0xF0000 over RAM. "Read DRAM, write ROM" shows a read-only alias of the
 * RAM underneath; "read and write DRAM" makes it writable; "off" disables
 * it and the ROM is back. */
START_TEST(test_pam_shadow)
{
    uint8_t *bios = calloc(1, 0x10000);
    bios[0xfff0] = 0xea;
    memory_map_begin(&map);
    struct mem_region *ram = mem_add_ram(&map, "ram", 0x100000 - 0x40000,
                                         0x40000, NULL); /* C0000-FFFFF */
    struct mem_region *rom64 =
        mem_add_rom(&map, "bios", 0xf0000, 0x10000, bios);
    mem_region_set_priority(rom64, 1);
    struct mem_region *shadow =
        mem_add_alias(&map, "pam-f0000", 0xf0000, 0x10000, ram, 0x30000);
    mem_region_set_priority(shadow, 2);
    mem_region_set_enabled(shadow, false);
    memory_map_commit(&map);

    ck_assert_ptr_eq(mem_find(&map, 0xffff0), rom64);
    ck_assert_ptr_eq(mem_find(&map, 0xc0000), ram);
    /* the BIOS copies itself to RAM (write DRAM: here phys_write to the
     * RAM region directly), then reads from DRAM */
    memcpy(ram->host + 0x30000, bios, 0x10000);
    ram->host[0x3fff0] = 0xeb;
    mem_region_set_readonly(shadow, true);
    mem_region_set_enabled(shadow, true);
    ck_assert_uint_eq(rd(0xffff0, 1), 0xeb);
    wr(0xffff0, 0x00, 1); /* read-only: ignored */
    ck_assert_uint_eq(rd(0xffff0, 1), 0xeb);
    mem_region_set_readonly(shadow, false);
    wr(0xffff0, 0x90, 1);
    ck_assert_uint_eq(ram->host[0x3fff0], 0x90);
    mem_region_set_enabled(shadow, false);
    ck_assert_uint_eq(rd(0xffff0, 1), 0xea);
    free(bios);
}
END_TEST

/* ---- listeners ---- */

struct change {
    uint64_t base, size;
};
static struct change changes[16], protects[16];
static int n_changes, n_protects;

static void on_change(void *opaque, uint64_t base, uint64_t size)
{
    ck_assert_ptr_eq(opaque, &map);
    if (n_changes < 16)
        changes[n_changes] = (struct change){ base, size };
    n_changes++;
}

static void on_protect(void *opaque, uint64_t base, uint64_t size)
{
    ck_assert_ptr_eq(opaque, &map);
    if (n_protects < 16)
        protects[n_protects] = (struct change){ base, size };
    n_protects++;
}

static const struct mem_listener_ops listener = {
    .map_changed = on_change,
    .writes_protected = on_protect,
};

START_TEST(test_listener)
{
    memory_map_add_listener(&map, &listener, &map);
    n_changes = 0;
    unsigned gen = map.generation;

    struct mem_region *r = mem_add_ram(&map, "r", 0x60000, 0x1000, NULL);
    ck_assert_int_eq(n_changes, 1);
    ck_assert_uint_eq(changes[0].base, 0x60000);
    ck_assert_uint_eq(changes[0].size, 0x1000);
    ck_assert_uint_eq(map.generation, gen + 1);

    /* a move covers where it was and where it goes */
    mem_region_move(r, 0x62000);
    ck_assert_int_eq(n_changes, 2);
    ck_assert_uint_eq(changes[1].base, 0x60000);
    ck_assert_uint_eq(changes[1].size, 0x3000);

    /* nothing changes: nobody is told */
    mem_region_set_enabled(r, true);
    mem_region_set_priority(r, 0);
    ck_assert_int_eq(n_changes, 2);
    /* nothing visible changes: neither */
    struct mem_region *under = mem_add_ram(&map, "under", 0x62000, 0x800, NULL);
    ck_assert_int_eq(n_changes, 3); /* it shows (added later) */
    mem_region_set_priority(under, -1);
    ck_assert_int_eq(n_changes, 4); /* hidden now */
    mem_region_set_enabled(under, false);
    mem_region_set_enabled(under, true);
    ck_assert_int_eq(n_changes, 4);
    ck_assert_uint_eq(map.generation, gen + 4);

    /* a transaction: one call, the union of the ranges */
    memory_map_begin(&map);
    mem_region_set_enabled(r, false);
    memory_map_begin(&map); /* nests */
    mem_add_mmio(&map, "m", 0x68000, 0x100, &dev_ops, &dev);
    memory_map_commit(&map);
    ck_assert_int_eq(n_changes, 4);
    /* not visible yet */
    ck_assert_ptr_eq(mem_find(&map, 0x62000), r);
    memory_map_commit(&map);
    ck_assert_int_eq(n_changes, 5);
    ck_assert_uint_eq(changes[4].base, 0x62000);
    ck_assert_uint_eq(changes[4].size, 0x68100 - 0x62000);
    ck_assert_ptr_null(mem_find(&map, 0x62800));

    /* removing */
    mem_region_remove(r);
    ck_assert_int_eq(n_changes, 5); /* it was disabled: nothing to see */
    mem_region_remove(under);
    ck_assert_int_eq(n_changes, 6);

    /* a changed alias offset is a change where the alias is */
    struct mem_region *a = mem_add_alias(&map, "a", 0x70000, 0x100, ram1, 0);
    mem_alias_set_offset(a, 0x100);
    ck_assert_int_eq(n_changes, 8);
    ck_assert_uint_eq(changes[7].base, 0x70000);
    ck_assert_uint_eq(changes[7].size, 0x100);

    memory_map_remove_listener(&map, &listener, &map);
    mem_add_ram(&map, "quiet", 0x90000, 0x1000, NULL);
    ck_assert_int_eq(n_changes, 8);
}
END_TEST

/* ---- dirty logging ---- */

START_TEST(test_dirty_log)
{
    uint64_t bits[2];
    /* ram1 is a 16-page framebuffer */
    mem_region_set_dirty_log(ram1, true);
    memory_map_add_listener(&map, &listener, &map);
    n_protects = 0;

    /* logging starts with every page dirty */
    ck_assert_uint_eq(mem_region_get_and_clear_dirty(ram1, 0, 0x10000, bits),
                      16);
    ck_assert_uint_eq(bits[0], 0xffff);
    /* clearing tells where writes must come back to the slow path */
    ck_assert_int_eq(n_protects, 1);
    ck_assert_uint_eq(protects[0].base, 0x40000);
    ck_assert_uint_eq(protects[0].size, 0x10000);
    ck_assert_uint_eq(mem_region_get_and_clear_dirty(ram1, 0, 0x10000, bits),
                      0);
    ck_assert_uint_eq(bits[0], 0);
    ck_assert_int_eq(n_protects, 1); /* nothing cleared, nothing to say */

    const struct mem_section *s = mem_lookup(&map, 0x40000);
    ck_assert(mem_section_page_logged(s, 0x43000));
    ck_assert(!mem_section_page_logged(mem_lookup(&map, 0), 0)); /* ram0 */

    /* every way of writing sets the bits: a section write, phys_write (a
     * loader or DMA, across a page boundary), and what the TLB slow path
     * reports */
    wr(0x43004, 0x12345678, 4);
    ck_assert(!mem_section_page_logged(s, 0x43000));
    uint8_t buf[8] = { 0 };
    phys_write(&map, 0x45ffc, buf, 8);
    mem_note_write(&map, 0x4a000, 1);
    /* a read does not */
    rd(0x4c000, 4);
    ck_assert_uint_eq(
        mem_region_get_and_clear_dirty(ram1, 0x3000, 0x8000, bits), 4);
    ck_assert_uint_eq(bits[0], 0x01 | 0x04 | 0x08 | 0x80); /* 3, 5, 6, 10 */
    ck_assert_int_eq(n_protects, 2);
    ck_assert_uint_eq(protects[1].base, 0x43000);
    ck_assert_uint_eq(protects[1].size, 0x8000);

    /* writes through an alias mark the target's pages; the alias's range
     * is protected too */
    mem_add_alias(&map, "fb-window", 0x80000, 0x2000, ram1, 0x8000);
    wr(0x81000, 1, 1);
    ck_assert_uint_eq(mem_region_get_and_clear_dirty(ram1, 0, 0x10000, NULL),
                      1);
    ck_assert_int_eq(n_protects, 4);
    ck_assert_uint_eq(protects[2].base, 0x49000);
    ck_assert_uint_eq(protects[2].size, 0x1000);
    ck_assert_uint_eq(protects[3].base, 0x81000);
    ck_assert_uint_eq(protects[3].size, 0x1000);
    ck_assert_uint_eq(mem_region_get_and_clear_dirty(ram1, 0x9000, 1, bits), 0);

    /* off: nothing logged any more */
    mem_region_set_dirty_log(ram1, false);
    ck_assert_ptr_null(ram1->dirty);
    s = mem_lookup(&map, 0x43000); /* the map changed since */
    ck_assert(!mem_section_page_logged(s, 0x43000));
    wr(0x43004, 1, 4);
    memory_map_remove_listener(&map, &listener, &map);
}
END_TEST

START_TEST(test_dirty_log_needs_ram)
{
    quiet();
    mem_region_set_dirty_log(rom, true);
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
    tcase_add_test(tc, test_phys_dma_write);
    tcase_add_test(tc, test_code_pages);
    tcase_add_test(tc, test_stable_pointers);
    tcase_add_test(tc, test_priority);
    tcase_add_test(tc, test_enable_move_remove);
    tcase_add_test(tc, test_alias);
    tcase_add_test(tc, test_pam_shadow);
    tcase_add_test(tc, test_listener);
    tcase_add_test(tc, test_dirty_log);
    if (can_fork) {
        tcase_add_exit_test(tc, test_bad_range, 1);
        tcase_add_exit_test(tc, test_alias_outside_target, 1);
        tcase_add_exit_test(tc, test_remove_aliased, 1);
        tcase_add_exit_test(tc, test_dirty_log_needs_ram, 1);
    }
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
