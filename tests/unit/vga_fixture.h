/*
 * vga_fixture.h - the machine of the VGA unit tests (test_vga.c,
 * test_vga_view.c, test_vga_render.c, test_video.c): a device bus on
 * memory and I/O maps of its own with an icount clock and an isa-vga on
 * it, with RAM below 640 KiB and the built-in BIOS after its POST where a
 * test wants them; and the port and memory accesses those tests share.
 * Every test program is one file that includes this header once: the
 * machine is that file's state, made and dropped around each test by
 * tcase_add_checked_fixture.
 */
#ifndef TESTS_UNIT_VGA_FIXTURE_H
#define TESTS_UNIT_VGA_FIXTURE_H

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/clock.h"
#include "bios/bios.h"
#include "bios/rom.h"
#include "devices/device.h"
#include "devices/vga.h"
#include "softmmu/memory.h"

#define VGA_FIXTURE_RAM_SIZE 0xa0000u

static struct memory_map *mem;
static struct io_map *io;
static struct vclock clk;
static uint64_t insns;
static struct device_bus bus;
static struct vga_state *vga;
/* With vga_fixture_add_bios() only. */
static uint8_t *ram, *rom;
static struct bios bios;

/* The bus and the VGA, the VGA reset (mode 3 registers, no BIOS). */
static inline void vga_fixture_setup(void)
{
    mem = calloc(1, sizeof(*mem));
    io = calloc(1, sizeof(*io));
    memory_map_init(mem);
    io_map_init(io);
    insns = 0;
    vclock_init(&clk, true, 0, &insns);
    device_bus_init(&bus, mem, io, &clk);
    vga = vga_from_device(device_create_str(&bus, "isa-vga"));
}

/* After vga_fixture_setup(): RAM at 0, the BIOS ROM, the BIOS's POST
 * (which sets mode 3 through its video BIOS). */
static inline void vga_fixture_add_bios(void)
{
    ram = calloc(1, VGA_FIXTURE_RAM_SIZE);
    mem_add_ram(mem, "ram", 0, VGA_FIXTURE_RAM_SIZE, ram);
    rom = malloc(BIOS_ROM_SIZE);
    bios_rom_build(rom);
    mem_add_rom(mem, "rom", BIOS_ROM_BASE, BIOS_ROM_SIZE, rom);
    bios_init(&bios, mem, io, 2u << 20);
    bios_post(&bios);
}

static inline void vga_fixture_teardown(void)
{
    device_bus_destroy(&bus);
    memory_map_destroy(mem);
    free(mem);
    free(io);
    free(ram);
    free(rom);
    ram = rom = NULL;
}

static inline void outb(uint16_t port, uint8_t v)
{
    io_write(io, MEM_ATTRS_NONE, port, v, 1);
}
static inline uint8_t inb(uint16_t port)
{
    return (uint8_t)io_read(io, MEM_ATTRS_NONE, port, 1);
}
static inline void outw(uint16_t port, uint16_t v)
{
    io_write(io, MEM_ATTRS_NONE, port, v, 2);
}
static inline uint16_t inw(uint16_t port)
{
    return (uint16_t)io_read(io, MEM_ATTRS_NONE, port, 2);
}
static inline void crtc_set(int i, uint8_t v)
{
    outb(0x3d4, (uint8_t)i);
    outb(0x3d5, v);
}

/* A CPU store of SIZE bytes at ADDR (mapped: the test fails if not). */
static inline void poke_sized(uint32_t addr, uint64_t v, unsigned size)
{
    const struct mem_section *s = mem_lookup(mem, addr);
    ck_assert_ptr_nonnull(s);
    mem_section_write(s, MEM_ATTRS_NONE, addr, v, size);
}
static inline void poke(uint32_t addr, uint8_t v) { poke_sized(addr, v, 1); }
static inline uint8_t peek(uint32_t addr)
{
    const struct mem_section *s = mem_lookup(mem, addr);
    ck_assert_ptr_nonnull(s);
    return (uint8_t)mem_section_read(s, MEM_ATTRS_NONE, addr, 1);
}

#endif
