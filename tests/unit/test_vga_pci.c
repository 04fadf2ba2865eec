/*
 * test_vga_pci.c - unit tests of the PCI VGA (devices/vga_pci.c, and the
 * memory and ROM BARs of devices/pci.c it uses): its configuration space,
 * BAR sizing with the prefetchable bit, the framebuffer following BAR0
 * when it moves and leaving when memory decoding is off, the MMIO BAR's
 * VGA ports and DISPI registers, and the expansion ROM BAR, on maps of
 * its own behind an i440FX host bridge.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "devices/pci.h"
#include "devices/vga.h"
#include "devices/vga_pci.h"
#include "softmmu/memory.h"
#include "tests/unit/pci_cfg.h"
#include "tests/unit/unit.h"

static struct memory_map mem;
static struct io_map *io;
static struct vclock clk;
static uint64_t insns;
static struct device_bus bus;
static struct device *vga_dev;

#define DEVFN VGA_PCI_DEVFN

static uint32_t in(uint16_t port, unsigned size)
{
    return (uint32_t)io_read(io, MEM_ATTRS_NONE, port, size);
}
static void out(uint16_t port, uint32_t v, unsigned size)
{
    io_write(io, MEM_ATTRS_NONE, port, v, size);
}
static uint32_t cfg_read(int reg, unsigned size)
{
    return pci_cfg_read(io, DEVFN, reg, size);
}
static void cfg_write(int reg, uint32_t v, unsigned size)
{
    pci_cfg_write(io, DEVFN, reg, v, size);
}
/* A CPU access: unassigned addresses read all ones. */
static uint32_t rd(uint64_t a, unsigned size)
{
    const struct mem_section *s = mem_lookup(&mem, a);
    if (!s)
        return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
    return (uint32_t)mem_section_read(s, MEM_ATTRS_NONE, a, size);
}
static void wr(uint64_t a, uint32_t v, unsigned size)
{
    const struct mem_section *s = mem_lookup(&mem, a);
    if (s)
        mem_section_write(s, MEM_ATTRS_NONE, a, v, size);
}

static void setup(void)
{
    memory_map_init(&mem);
    io = calloc(1, sizeof(*io));
    io_map_init(io);
    insns = 0;
    vclock_init(&clk, true, 0, &insns);
    device_bus_init(&bus, &mem, io, &clk);
    device_create_str(&bus, "i440fx");
    vga_dev = device_create_str(&bus, "VGA");
}

static void teardown(void)
{
    device_bus_destroy(&bus);
    memory_map_destroy(&mem);
    io_map_destroy(io);
    free(io);
}

/* BAR0 at 0xFD000000, BAR2 at 0xFEBF0000, memory decoding on: as SeaBIOS
 * leaves it. */
static void place(void)
{
    cfg_write(0x10, 0xfd000000u, 4);
    cfg_write(0x18, 0xfebf0000u, 4);
    cfg_write(0x04, PCI_COMMAND_MEMORY, 2);
}

START_TEST(test_config_space)
{
    ck_assert_uint_eq(cfg_read(0x00, 4), 0x11111234u);
    ck_assert_uint_eq(cfg_read(0x08, 4), 0x03000002u); /* class, rev 2 */
    ck_assert_uint_eq(cfg_read(0x0e, 1), 0x00);
    ck_assert_uint_eq(cfg_read(0x2c, 4), 0x11001af4u);
    ck_assert_uint_eq(cfg_read(0x3d, 1), 0); /* no interrupt pin */
    ck_assert_uint_eq(cfg_read(0x04, 2), 0);
    /* BAR0 prefetchable 32-bit memory, BAR2 memory, the others none */
    ck_assert_uint_eq(cfg_read(0x10, 4), 0x08);
    ck_assert_uint_eq(cfg_read(0x18, 4), 0x00);
    for (int reg = 0x10; reg < 0x28; reg += 4) {
        cfg_write(reg, 0xffffffffu, 4);
        uint32_t want = reg == 0x10   ? 0xff000008u
                        : reg == 0x18 ? 0xfffff000u
                                      : 0;
        ck_assert_uint_eq(cfg_read(reg, 4), want);
    }
    /* the ROM BAR: 64 KiB, its enable bit writable */
    cfg_write(0x30, 0xffffffffu, 4);
    ck_assert_uint_eq(cfg_read(0x30, 4), 0xffff0001u);
    /* the device ID is read-only */
    cfg_write(0x00, 0, 4);
    ck_assert_uint_eq(cfg_read(0x00, 4), 0x11111234u);
}
END_TEST

START_TEST(test_lfb_follows_bar0)
{
    /* no fixed ISA address: nothing at 0xE0000000 */
    ck_assert_uint_eq(rd(0xe0000000u, 4), 0xffffffffu);
    place();
    wr(0xfd000000u, 0x12345678u, 4);
    wr(0xfd000000u + 0xfffffc, 0xcafef00du, 4);
    ck_assert_uint_eq(rd(0xfd000000u, 4), 0x12345678u);
    /* memory decoding off: gone; on again: the same bytes */
    cfg_write(0x04, 0, 2);
    ck_assert_uint_eq(rd(0xfd000000u, 4), 0xffffffffu);
    cfg_write(0x04, PCI_COMMAND_MEMORY, 2);
    ck_assert_uint_eq(rd(0xfd000000u, 4), 0x12345678u);
    /* moved: the framebuffer's bytes at the new address only */
    cfg_write(0x10, 0xe1000000u, 4);
    ck_assert_uint_eq(cfg_read(0x10, 4), 0xe1000008u);
    ck_assert_uint_eq(rd(0xe1000000u, 4), 0x12345678u);
    ck_assert_uint_eq(rd(0xe1fffffcu, 4), 0xcafef00du);
    ck_assert_uint_eq(rd(0xfd000000u, 4), 0xffffffffu);
    /* a write at the new address is the picture's: the renderer sees it
     * in a VBE mode (DISPI through the ports) */
    out(0x1ce, 1, 2), out(0x1cf, 8, 2);    /* XRES */
    out(0x1ce, 2, 2), out(0x1cf, 2, 2);    /* YRES */
    out(0x1ce, 3, 2), out(0x1cf, 32, 2);   /* BPP */
    out(0x1ce, 4, 2), out(0x1cf, 0x41, 2); /* ENABLE | LFB */
    wr(0xe1000000u, 0x00abcdefu, 4);
    struct vga_frame f;
    vga_render(vga_from_device(vga_dev), 0, &f);
    ck_assert_int_eq(f.width, 8);
    ck_assert_int_eq(f.height, 2);
    ck_assert_uint_eq(f.pixels[0], 0x00abcdefu);
}
END_TEST

START_TEST(test_mmio_bar)
{
    place();
    const uint32_t m = 0xfebf0000u;
    /* DISPI: register n at 0x500 + 2n */
    ck_assert_uint_eq(rd(m + 0x500, 2), VGA_DISPI_ID5);
    wr(m + 0x502, 640, 2); /* XRES */
    wr(m + 0x504, 480, 2); /* YRES */
    wr(m + 0x506, 16, 2);  /* BPP */
    out(0x1ce, 1, 2);
    ck_assert_uint_eq(in(0x1cf, 2), 640);
    out(0x1ce, 3, 2);
    ck_assert_uint_eq(in(0x1cf, 2), 16);
    ck_assert_uint_eq(rd(m + 0x504, 2), 480);
    ck_assert_uint_eq(rd(m + 0x514, 2), VGA_VBE_MEM_SIZE >> 16);
    /* VGA ports 3C0h-3DFh at 0x400: a word writes index then data */
    wr(m + 0x404, 0x0f02, 2); /* sequencer map mask */
    out(0x3c4, 2, 1);
    ck_assert_uint_eq(in(0x3c5, 1), 0x0f);
    out(0x3d4, 0x0e, 1);
    out(0x3d5, 0x12, 1);
    wr(m + 0x414, 0x0e, 1); /* 3D4h */
    ck_assert_uint_eq(rd(m + 0x415, 1), 0x12);
    ck_assert_uint_eq(rd(m + 0x40c, 1), 0x67); /* misc output (3CCh) */
    /* elsewhere: zeros (no EDID) */
    ck_assert_uint_eq(rd(m, 4), 0);
    /* memory decoding off: the BAR is gone */
    cfg_write(0x04, 0, 2);
    ck_assert_uint_eq(rd(m + 0x500, 2), 0xffff);
}
END_TEST

START_TEST(test_rom_bar)
{
    static const uint8_t image[] = { 0x55, 0xaa, 0x40, 0xcb };
    vga_pci_set_rom(vga_dev, image, sizeof(image));
    place();
    cfg_write(0x30, 0xfebe0000u, 4);
    /* the address alone: not decoded until its enable bit */
    ck_assert_uint_eq(rd(0xfebe0000u, 2), 0xffff);
    cfg_write(0x30, 0xfebe0001u, 4);
    ck_assert_uint_eq(rd(0xfebe0000u, 4), 0xcb40aa55u);
    ck_assert_uint_eq(rd(0xfebeffffu, 1), 0x00);
    /* read-only */
    wr(0xfebe0000u, 0, 4);
    ck_assert_uint_eq(rd(0xfebe0000u, 2), 0xaa55);
    /* the command register's memory enable gates it too */
    cfg_write(0x04, 0, 2);
    ck_assert_uint_eq(rd(0xfebe0000u, 2), 0xffff);
    /* a reset keeps the image, the BAR unassigned */
    device_bus_reset(&bus);
    ck_assert_uint_eq(cfg_read(0x30, 4), 0);
    cfg_write(0x30, 0xfebe0001u, 4);
    cfg_write(0x04, PCI_COMMAND_MEMORY, 2);
    ck_assert_uint_eq(rd(0xfebe0000u, 2), 0xaa55);
}
END_TEST

START_TEST(test_reset_unmaps)
{
    place();
    ck_assert_uint_eq(rd(0xfebf0500u, 2), VGA_DISPI_ID5);
    device_bus_reset(&bus);
    ck_assert_uint_eq(cfg_read(0x10, 4), 0x08);
    ck_assert_uint_eq(cfg_read(0x04, 2), 0);
    ck_assert_uint_eq(rd(0xfd000000u, 4), 0xffffffffu);
    ck_assert_uint_eq(rd(0xfebf0500u, 2), 0xffff);
}
END_TEST

static Suite *vga_pci_suite(void)
{
    Suite *s = suite_create("vga_pci");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_config_space);
    tcase_add_test(tc, test_lfb_follows_bar0);
    tcase_add_test(tc, test_mmio_bar);
    tcase_add_test(tc, test_rom_bar);
    tcase_add_test(tc, test_reset_unmaps);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(vga_pci_suite)
