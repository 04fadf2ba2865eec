/*
 * vga_pci.c - the VGA on the PCI bus, as QEMU's std VGA (vga_pci.h): the
 * VGA of devices/vga.c with its DISPI memory behind BAR0, an MMIO BAR
 * onto its registers and an expansion ROM BAR.
 *
 * The framebuffer stays the one RAM region vga_dispi.c made (dirty
 * logging and all): the BAR moves and enables it rather than making a new
 * one, so a guest that moves BAR0 sees the same pixels at the new
 * address and the renderer keeps its region. Its fixed ISA address
 * (0xE0000000) is dropped: the region is off until the BAR decodes.
 */
#include "devices/vga_pci.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "devices/vga.h"
#include "devices/vga_int.h"

struct vga_pci_state {
    struct vga_state vga; /* first: the device is the VGA's */
    struct pci_function fn;
    uint8_t *rom;      /* rom_size bytes, the image and zeros */
    uint32_t rom_size; /* a power of two; 0: no ROM BAR */
    struct mem_region *rom_r;
};

static struct vga_pci_state *vga_pci_of(struct device *dev)
{
    J_ASSERT(dev->cls == &vga_pci_device_class);
    return (struct vga_pci_state *)vga_from_device(dev);
}

/* ---- BAR2: the MMIO window onto the registers ---- */

static uint64_t vga_pci_mmio_read(void *opaque, struct mem_attrs attrs,
                                  uint64_t offset, unsigned size)
{
    struct vga_pci_state *s = opaque;
    (void)attrs;
    if (offset >= VGA_PCI_MMIO_VGA && offset < VGA_PCI_MMIO_VGA + 0x20) {
        uint16_t port = (uint16_t)(0x3c0 + offset - VGA_PCI_MMIO_VGA);
        uint64_t v = vga_port_read(&s->vga, port);
        if (size == 2)
            v |= (uint64_t)vga_port_read(&s->vga, (uint16_t)(port + 1)) << 8;
        return v;
    }
    if (offset >= VGA_PCI_MMIO_DISPI &&
        offset < VGA_PCI_MMIO_DISPI + 2 * VGA_DISPI_NREGS + 2) {
        unsigned rel = (unsigned)(offset - VGA_PCI_MMIO_DISPI);
        uint16_t v = vga_dispi_mmio_read(&s->vga, (uint16_t)(rel >> 1));
        /* A byte read gets its half of the word. */
        return size == 1 ? (uint8_t)(v >> (8 * (rel & 1))) : v;
    }
    return 0;
}

static void vga_pci_mmio_write(void *opaque, struct mem_attrs attrs,
                               uint64_t offset, uint64_t value, unsigned size)
{
    struct vga_pci_state *s = opaque;
    (void)attrs;
    if (offset >= VGA_PCI_MMIO_VGA && offset < VGA_PCI_MMIO_VGA + 0x20) {
        uint16_t port = (uint16_t)(0x3c0 + offset - VGA_PCI_MMIO_VGA);
        /* A word writes the low byte first: an index and its data in
         * one access, as to the ports. */
        vga_port_write(&s->vga, port, (uint8_t)value);
        if (size == 2)
            vga_port_write(&s->vga, (uint16_t)(port + 1),
                           (uint8_t)(value >> 8));
        return;
    }
    if (offset >= VGA_PCI_MMIO_DISPI &&
        offset < VGA_PCI_MMIO_DISPI + 2 * VGA_DISPI_NREGS + 2 && !(offset & 1))
        vga_dispi_mmio_write(&s->vga,
                             (uint16_t)((offset - VGA_PCI_MMIO_DISPI) >> 1),
                             (uint16_t)value);
}

static const struct mem_ops vga_pci_mmio_ops = {
    .read = vga_pci_mmio_read,
    .write = vga_pci_mmio_write,
    .min_size = 1,
    .max_size = 2,
};

/* ---- the function ---- */

static void vga_pci_reset(struct device *dev)
{
    struct vga_pci_state *s = vga_pci_of(dev);
    struct pci_function *f = &s->fn;
    vga_dev_reset(dev);
    pci_function_init(f, "VGA", VGA_PCI_VENDOR, VGA_PCI_DEVICE, 0x02, 0x030000,
                      0x00);
    if (s->vga.lfb)
        pci_register_bar_region(f, 0, VGA_VBE_MEM_SIZE, PCI_BAR_PREFETCH,
                                s->vga.lfb);
    pci_register_bar(f, 2, VGA_PCI_MMIO_SIZE, false, &vga_pci_mmio_ops, s);
    if (s->rom_r)
        pci_register_bar_region(f, PCI_ROM_SLOT, s->rom_size, 0, s->rom_r);
    f->opaque = s;
    pci_update_bars(f);
}

void vga_pci_set_rom(struct device *dev, const uint8_t *data, size_t len)
{
    struct vga_pci_state *s = vga_pci_of(dev);
    struct memory_map *mem = dev->bus->mem;
    if (!mem || len == 0 || len > (1u << 24))
        return;
    uint32_t size = VGA_PCI_ROM_SIZE;
    while (size < len)
        size <<= 1;
    struct mem_region *old = s->rom_r;
    uint8_t *old_rom = s->rom;
    s->rom = xcalloc(1, size);
    memcpy(s->rom, data, len);
    s->rom_size = size;
    s->rom_r = mem_add_rom(mem, "vga-rom", 0, size, s->rom);
    mem_region_set_enabled(s->rom_r, false);
    /* Unmaps the old region, which can then go. */
    pci_register_bar_region(&s->fn, PCI_ROM_SLOT, size, 0, s->rom_r);
    if (old)
        mem_region_remove(old);
    free(old_rom);
}

struct pci_function *vga_pci_function(struct device *dev)
{
    return &vga_pci_of(dev)->fn;
}

static struct device *vga_pci_create(struct device_bus *bus,
                                     const uint64_t *prop)
{
    (void)prop;
    if (!bus->pci)
        fatal("VGA: no PCI bus (create i440fx first)");
    struct vga_pci_state *s = xcalloc(1, sizeof(*s));
    vga_state_init(&s->vga, bus);
    if (s->vga.lfb)
        mem_region_set_enabled(s->vga.lfb, false);
    pci_bus_add(bus->pci, &s->fn, VGA_PCI_DEVFN);
    /* The ROM BAR is there without an image too, the size QEMU's
     * vgabios-stdvga.bin gives it, so that firmware places the BARs
     * alike either way; it holds zeros, which no one takes for a ROM
     * (no 55AAh signature). */
    if (bus->mem) {
        s->rom_size = VGA_PCI_ROM_SIZE;
        s->rom = xcalloc(1, s->rom_size);
        s->rom_r = mem_add_rom(bus->mem, "vga-rom", 0, s->rom_size, s->rom);
        mem_region_set_enabled(s->rom_r, false);
    }
    return &s->vga.dev;
}

static void vga_pci_free(struct device *dev)
{
    struct vga_pci_state *s = vga_pci_of(dev);
    pci_bus_remove(&s->fn);
    if (s->rom_r)
        mem_region_remove(s->rom_r);
    free(s->rom);
    vga_state_destroy(&s->vga);
    free(s);
}

const struct device_class vga_pci_device_class = {
    .name = "VGA",
    .desc = "the VGA as a PCI function (00:02.0, 1234:1111): VBE "
            "framebuffer at BAR0, registers at BAR2",
    .create = vga_pci_create,
    .reset = vga_pci_reset,
    .free = vga_pci_free,
};
