/*
 * pci.c - PCI bus 0 and its configuration spaces (pci.h).
 *
 * Configuration mechanism #1 (PCI 3.0, 3.2.2.3.2): a dword write to port
 * 0xCF8 latches an address (bit 31 enable, bus 23:16, device 15:11,
 * function 10:8, register 7:2); 0xCFC-0xCFF then read and write that
 * dword of the function's space, in bytes, words or the dword. Only
 * bus 0 exists; an absent function, or the enable bit clear, reads all
 * ones and ignores writes. Byte and word accesses to 0xCF8-0xCFB do not
 * touch the address register: they belong to the board (PIIX3's reset
 * control register at 0xCF9).
 *
 * BARs (PCI 3.0, 6.2.5.1): the address bits below the size read as 0,
 * so writing all ones and reading back gives the size; bit 0 says I/O.
 * A BAR is mapped at its address while the command register's I/O or
 * memory enable is set, and unmapped (or moved) when it is cleared or
 * the BAR is written. An address of 0 is taken as unassigned. The
 * expansion ROM BAR (PCI 3.0, 6.2.5.2) decodes while both the memory
 * enable and its own enable bit are set.
 */
#include "devices/pci.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

void pci_function_init(struct pci_function *f, const char *name,
                       uint16_t vendor, uint16_t device, uint8_t revision,
                       uint32_t class_code, uint8_t header_type)
{
    memset(f->config, 0, sizeof(f->config));
    memset(f->wmask, 0, sizeof(f->wmask));
    f->name = name;
    pci_set_word(f->config + PCI_VENDOR_ID, vendor);
    pci_set_word(f->config + PCI_DEVICE_ID, device);
    f->config[PCI_REVISION] = revision;
    f->config[PCI_CLASS_PROG] = (uint8_t)class_code;
    f->config[PCI_CLASS_PROG + 1] = (uint8_t)(class_code >> 8);
    f->config[PCI_CLASS_PROG + 2] = (uint8_t)(class_code >> 16);
    f->config[PCI_HEADER_TYPE] = header_type;
    /* QEMU's subsystem IDs (Red Hat/Qumranet 1AF4, QEMU 1100) on every
     * type 0 header: SeaBIOS recognises the board by the host bridge's. */
    if ((header_type & 0x7f) == 0) {
        pci_set_word(f->config + PCI_SUBSYS_VENDOR, 0x1af4);
        pci_set_word(f->config + PCI_SUBSYS_ID, 0x1100);
    }
    pci_set_word(f->wmask + PCI_COMMAND,
                 PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
                     PCI_COMMAND_INTX_DISABLE);
    if (f->intx)
        irq_set(f->intx, 0);
    f->intx_level = 0;
    f->wmask[PCI_INTERRUPT_LINE] = 0xff;
}

static void pci_config_ports_write(void *opaque, struct mem_attrs attrs,
                                   uint64_t offset, uint64_t value,
                                   unsigned size);

static struct pci_function *pci_addressed(struct pci_bus *bus)
{
    uint32_t a = bus->config_address;
    if (!(a & 0x80000000u) || ((a >> 16) & 0xff) != 0)
        return NULL;
    return bus->fn[(a >> 8) & 0xff];
}

static uint64_t pci_data_read(void *opaque, struct mem_attrs attrs,
                              uint64_t offset, unsigned size)
{
    struct pci_bus *bus = opaque;
    (void)attrs;
    struct pci_function *f = pci_addressed(bus);
    if (!f)
        return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
    return pci_config_read(f, (bus->config_address & 0xfc) + (unsigned)offset,
                           size);
}

static void pci_data_write(void *opaque, struct mem_attrs attrs,
                           uint64_t offset, uint64_t value, unsigned size)
{
    struct pci_bus *bus = opaque;
    (void)attrs;
    struct pci_function *f = pci_addressed(bus);
    if (f)
        pci_config_write(f, (bus->config_address & 0xfc) + (unsigned)offset,
                         (uint32_t)value, size);
}

static const struct mem_ops pci_data_ops = {
    .read = pci_data_read,
    .write = pci_data_write,
    .min_size = 1,
    .max_size = 4,
};

static uint64_t pci_address_read(void *opaque, struct mem_attrs attrs,
                                 uint64_t offset, unsigned size)
{
    struct pci_bus *bus = opaque;
    (void)attrs;
    if (offset == 0 && size == 4)
        return bus->config_address;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)(bus->port_read
                            ? bus->port_read(bus->port_opaque,
                                             (unsigned)offset + i)
                            : 0xff)
             << (8 * i);
    return v;
}

static const struct mem_ops pci_address_ops = {
    .read = pci_address_read,
    .write = pci_config_ports_write,
    .min_size = 1,
    .max_size = 4,
};

static void pci_config_ports_write(void *opaque, struct mem_attrs attrs,
                                   uint64_t offset, uint64_t value,
                                   unsigned size)
{
    struct pci_bus *bus = opaque;
    (void)attrs;
    if (offset == 0 && size == 4) {
        bus->config_address = (uint32_t)value & 0x80fffffcu;
        return;
    }
    for (unsigned i = 0; i < size && bus->port_write; i++)
        bus->port_write(bus->port_opaque, (unsigned)offset + i,
                        (uint8_t)(value >> (8 * i)));
}

void pci_bus_init(struct pci_bus *bus, struct memory_map *mem,
                  struct io_map *io)
{
    memset(bus, 0, sizeof(*bus));
    bus->mem = mem;
    bus->io = io;
    for (int i = 0; i < PCI_NUM_PIRQS; i++)
        irq_or_init(&bus->pirq[i], NULL);
    bus->ports[0] =
        io_register(io, "pci-config-address", 0xcf8, 4, &pci_address_ops, bus);
    bus->ports[1] =
        io_register(io, "pci-config-data", 0xcfc, 4, &pci_data_ops, bus);
}

void pci_bus_destroy(struct pci_bus *bus)
{
    for (int i = 0; i < 2; i++)
        if (bus->ports[i])
            io_unregister(bus->io, bus->ports[i]);
    bus->ports[0] = bus->ports[1] = NULL;
}

void pci_bus_add(struct pci_bus *bus, struct pci_function *f, int devfn)
{
    J_ASSERT(devfn >= 0 && devfn < 256);
    if (bus->fn[devfn])
        fatal("PCI %02x.%x: taken by %s, wanted by %s", devfn >> 3, devfn & 7,
              bus->fn[devfn]->name, f->name);
    f->bus = bus;
    f->devfn = devfn;
    bus->fn[devfn] = f;
}

static void pci_unmap_bar(struct pci_function *f, struct pci_bar *b)
{
    if (!b->mapped)
        return;
    if (b->io)
        io_unregister(f->bus->io, b->io_r);
    else if (b->own)
        mem_region_set_enabled(b->own, false);
    else
        mem_region_remove(b->mem_r);
    b->io_r = NULL;
    b->mem_r = NULL;
    b->mapped = false;
}

void pci_bus_remove(struct pci_function *f)
{
    if (!f->bus)
        return;
    if (f->intx)
        irq_set(f->intx, 0);
    for (int i = 0; i < PCI_NUM_REGIONS; i++)
        pci_unmap_bar(f, &f->bar[i]);
    f->bus->fn[f->devfn] = NULL;
    f->bus = NULL;
}

void pci_register_bar(struct pci_function *f, int n, uint32_t size, bool io,
                      const struct mem_ops *ops, void *opaque)
{
    J_ASSERT(n >= 0 && n < PCI_NUM_BARS);
    J_ASSERT(size >= (io ? 4u : 16u) && (size & (size - 1)) == 0);
    struct pci_bar *b = &f->bar[n];
    b->size = size;
    b->io = io;
    b->ops = ops;
    b->opaque = opaque;
    b->own = NULL;
    unsigned at = PCI_BAR0 + 4 * (unsigned)n;
    pci_set_long(f->config + at, io ? 1 : 0);
    pci_set_long(f->wmask + at, ~(size - 1));
}

static unsigned pci_bar_offset(int n)
{
    return n == PCI_ROM_SLOT ? PCI_ROM_ADDRESS : PCI_BAR0 + 4 * (unsigned)n;
}

void pci_register_bar_region(struct pci_function *f, int n, uint32_t size,
                             uint32_t flags, struct mem_region *r)
{
    J_ASSERT(n >= 0 && n < PCI_NUM_REGIONS);
    J_ASSERT(size >= (n == PCI_ROM_SLOT ? 2048u : 16u) &&
             (size & (size - 1)) == 0 && r && r->size <= size);
    struct pci_bar *b = &f->bar[n];
    if (b->mapped && b->own != r)
        pci_unmap_bar(f, b);
    b->size = size;
    b->io = false;
    b->ops = NULL;
    b->opaque = NULL;
    b->own = r;
    unsigned at = pci_bar_offset(n);
    if (n == PCI_ROM_SLOT) {
        pci_set_long(f->config + at, 0);
        pci_set_long(f->wmask + at, ~(size - 1) | PCI_ROM_ENABLE);
    } else {
        pci_set_long(f->config + at, flags & PCI_BAR_PREFETCH);
        pci_set_long(f->wmask + at, ~(size - 1));
    }
}

/* The address BAR n decodes now, or 0 for none. */
static uint32_t pci_bar_decoded(const struct pci_function *f, int n)
{
    const struct pci_bar *b = &f->bar[n];
    uint16_t cmd = pci_get_word(f->config + PCI_COMMAND);
    if (!b->size || !(cmd & (b->io ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY)))
        return 0;
    uint32_t reg = pci_get_long(f->config + pci_bar_offset(n));
    if (n == PCI_ROM_SLOT && !(reg & PCI_ROM_ENABLE))
        return 0;
    uint32_t addr = reg & ~(b->size - 1);
    /* An I/O BAR decodes 16 address bits; one past the end is none. */
    if (b->io && (addr == 0 || addr + b->size > 0x10000))
        return 0;
    if (!b->io && (addr == 0 || addr + (uint64_t)b->size > (1ull << 32)))
        return 0;
    return addr;
}

void pci_update_bars(struct pci_function *f)
{
    for (int n = 0; n < PCI_NUM_REGIONS; n++) {
        struct pci_bar *b = &f->bar[n];
        uint32_t addr = pci_bar_decoded(f, n);
        if (b->mapped && b->addr == addr)
            continue;
        pci_unmap_bar(f, b);
        if (!addr || !f->bus)
            continue;
        if (b->io) {
            /* A BAR placed over ports another device owns, or past the
             * 64 KiB port space (the all-ones sizing probe with decoding
             * on), is a guest mistake: it stays unmapped rather than end
             * the run. */
            if (addr > 0xffff || b->size > 0x10000 - addr ||
                io_find_conflict(f->bus->io, addr, b->size))
                continue;
            b->io_r = io_register(f->bus->io, f->name, addr, b->size, b->ops,
                                  b->opaque);
        } else if (b->own) {
            memory_map_begin(f->bus->mem);
            mem_region_move(b->own, addr);
            mem_region_set_priority(b->own, 1);
            mem_region_set_enabled(b->own, true);
            memory_map_commit(f->bus->mem);
        } else {
            b->mem_r = mem_add_mmio(f->bus->mem, f->name, addr, b->size,
                                    b->ops, b->opaque);
            mem_region_set_priority(b->mem_r, 1);
        }
        b->addr = addr;
        b->mapped = true;
    }
}

uint32_t pci_config_read(struct pci_function *f, unsigned offset,
                         unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size && offset + i < 256; i++)
        v |= (uint32_t)f->config[offset + i] << (8 * i);
    return v;
}

void pci_config_write(struct pci_function *f, unsigned offset, uint32_t value,
                      unsigned size)
{
    for (unsigned i = 0; i < size && offset + i < 256; i++) {
        uint8_t m = f->wmask[offset + i], b = (uint8_t)(value >> (8 * i));
        f->config[offset + i] = (uint8_t)((f->config[offset + i] & ~m) | (b & m));
    }
    if ((offset < PCI_BAR0 + 4 * PCI_NUM_BARS && offset + size > PCI_COMMAND) ||
        (offset < PCI_ROM_ADDRESS + 4 && offset + size > PCI_ROM_ADDRESS))
        pci_update_bars(f);
    if (offset <= PCI_COMMAND + 1 && offset + size > PCI_COMMAND + 1)
        pci_set_irq(f, f->intx_level); /* interrupt disable changed? */
    if (f->config_written)
        f->config_written(f, offset, size);
}

/* PCI 3.0, 6.2.2 and 6.2.3: interrupt disable (command bit 10) and
 * interrupt status (status bit 3). */
void pci_set_irq(struct pci_function *f, int level)
{
    int pin = f->config[PCI_INTERRUPT_PIN];
    f->intx_level = level != 0;
    uint16_t st = pci_get_word(f->config + PCI_STATUS);
    pci_set_word(f->config + PCI_STATUS,
                 (uint16_t)(f->intx_level ? st | PCI_STATUS_INTERRUPT
                                          : st & ~PCI_STATUS_INTERRUPT));
    if (!f->bus || pin < 1 || pin > 4)
        return;
    uint16_t cmd = pci_get_word(f->config + PCI_COMMAND);
    int out = f->intx_level && !(cmd & PCI_COMMAND_INTX_DISABLE);
    if (!f->intx) {
        if (!out)
            return;
        f->intx = irq_or_input(&f->bus->pirq[pci_pirq_of(f->devfn >> 3, pin)]);
    }
    irq_set(f->intx, out);
}
