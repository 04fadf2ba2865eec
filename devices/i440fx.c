/*
 * i440fx.c - the Intel 82441FX PMC (440FX chipset), PCI 00.0: vendor
 * 8086, device 1237, revision 02, class 060000 (host bridge), header
 * type 0, as QEMU's pc shows it. It owns PCI bus 0 (devices/pci.c).
 *
 * PAM registers (82441FX data sheet, 3.2.18 "PAM"), 0x59-0x5F, one
 * nibble a segment: 0x59 bits 7-4 the 64 KiB BIOS area 0xF0000-0xFFFFF
 * (bits 3-0 reserved), then 0x5A-0x5F low and high nibbles for the 16 KiB
 * segments 0xC0000, 0xC4000 ... 0xEC000. In each nibble bit 0 (RE) sends
 * reads to DRAM and bit 1 (WE) writes:
 *
 *   00  reads and writes go to the bus (the ROM, or nothing)
 *   01  reads from DRAM, writes to the bus (a ROM shadowed, write-locked)
 *   10  reads from the bus, writes to DRAM (copying a ROM onto itself)
 *   11  DRAM
 *
 * Each segment has a RAM region of the board's RAM at the same address,
 * above the ROM: off for 00, read-only for 01 (CPU writes are dropped;
 * the bus has no taker for them), read/write for 11; and for 10 an MMIO
 * region that reads the ROM the board named (i440fx_set_rom) and writes
 * the RAM. Code fetched from a segment in mode 10 therefore runs through
 * the MMIO path. Changes go through the memory map, whose listeners drop
 * the TLB entries and translated code of the segment.
 *
 * Not modelled: SMRAM (0x72), DRAM row boundaries and timing registers
 * (stored as written where the mask allows), the PCI arbiter.
 */
#include "devices/i440fx.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define PAM0 0x59
#define PAM_SEGMENTS 13

struct i440fx_state;

struct pam_segment {
    struct i440fx_state *s;
    uint32_t base, size;
    uint8_t mode; /* RE | WE << 1 */
    struct mem_region *ram; /* modes 01 and 11 */
    struct mem_region *wo;  /* mode 10 */
};

struct i440fx_state {
    struct device dev;
    struct pci_bus pci;
    struct pci_function host;
    uint8_t *ram;
    uint32_t rom_base, rom_size;
    const uint8_t *rom;
    struct pam_segment seg[PAM_SEGMENTS];
};

/* Segment i: 0 the BIOS area, 1-12 the 16 KiB ones from 0xC0000. */
static unsigned pam_nibble(const struct i440fx_state *s, int i)
{
    if (i == 0)
        return s->host.config[PAM0] >> 4;
    uint8_t r = s->host.config[PAM0 + 1 + (i - 1) / 2];
    return ((i - 1) & 1) ? r >> 4 : r & 15;
}

/* Mode 10: reads from the ROM beneath (all ones where there is none),
 * writes to the RAM. */
static uint64_t pam_wo_read(void *opaque, struct mem_attrs attrs,
                            uint64_t offset, unsigned size)
{
    struct pam_segment *g = opaque;
    struct i440fx_state *s = g->s;
    uint64_t v = 0;
    (void)attrs;
    for (unsigned i = 0; i < size; i++) {
        uint64_t a = g->base + offset + i;
        uint8_t b = 0xff;
        if (s->rom && a >= s->rom_base && a - s->rom_base < s->rom_size)
            b = s->rom[a - s->rom_base];
        v |= (uint64_t)b << (8 * i);
    }
    return v;
}

static void pam_wo_write(void *opaque, struct mem_attrs attrs, uint64_t offset,
                         uint64_t value, unsigned size)
{
    struct pam_segment *g = opaque;
    (void)attrs;
    for (unsigned i = 0; i < size; i++)
        g->s->ram[g->base + offset + i] = (uint8_t)(value >> (8 * i));
}

static const struct mem_ops pam_wo_ops = {
    .read = pam_wo_read,
    .write = pam_wo_write,
    .min_size = 1,
    .max_size = 8,
};

static void pam_apply(struct i440fx_state *s, int i)
{
    struct pam_segment *g = &s->seg[i];
    unsigned mode = pam_nibble(s, i) & 3;
    if (!g->ram || mode == g->mode)
        return;
    g->mode = (uint8_t)mode;
    mem_region_set_enabled(g->ram, mode == 1 || mode == 3);
    mem_region_set_readonly(g->ram, mode == 1);
    mem_region_set_enabled(g->wo, mode == 2);
}

static void pam_apply_all(struct i440fx_state *s)
{
    memory_map_begin(s->pci.mem);
    for (int i = 0; i < PAM_SEGMENTS; i++)
        pam_apply(s, i);
    memory_map_commit(s->pci.mem);
}

static void i440fx_config_written(struct pci_function *f, unsigned offset,
                                  unsigned size)
{
    struct i440fx_state *s = f->opaque;
    if (offset + size > PAM0 && offset < PAM0 + 7)
        pam_apply_all(s);
}

void i440fx_set_ram(struct i440fx_state *s, uint8_t *ram)
{
    J_ASSERT(!s->ram);
    s->ram = ram;
    for (int i = 0; i < PAM_SEGMENTS; i++) {
        struct pam_segment *g = &s->seg[i];
        g->s = s;
        g->base = i == 0 ? 0xf0000 : 0xc0000 + 0x4000 * (uint32_t)(i - 1);
        g->size = i == 0 ? 0x10000 : 0x4000;
        g->ram = mem_add_ram(s->pci.mem, "pam-ram", g->base, g->size,
                             ram + g->base);
        g->wo = mem_add_mmio(s->pci.mem, "pam-write-only", g->base, g->size,
                             &pam_wo_ops, g);
        mem_region_set_priority(g->ram, 2);
        mem_region_set_priority(g->wo, 2);
        mem_region_set_enabled(g->ram, false);
        mem_region_set_enabled(g->wo, false);
        g->mode = 0;
    }
    pam_apply_all(s);
}

void i440fx_set_rom(struct i440fx_state *s, uint32_t base, uint32_t size,
                    const uint8_t *host)
{
    s->rom_base = base;
    s->rom_size = size;
    s->rom = host;
}

static void i440fx_reset(struct device *dev)
{
    struct i440fx_state *s = i440fx_from_device(dev);
    struct pci_function *f = &s->host;
    pci_function_init(f, "i440fx", 0x8086, 0x1237, 0x02, 0x060000, 0x00);
    /* Status: medium DEVSEL timing (data sheet reset value 0280h). */
    pci_set_word(f->config + PCI_STATUS, 0x0280);
    pci_set_word(f->config + PCI_COMMAND, 0x0006);
    f->wmask[PAM0] = 0xf0;
    memset(f->wmask + PAM0 + 1, 0xff, 6);
    f->config_written = i440fx_config_written;
    f->opaque = s;
    pam_apply_all(s);
}

static struct device *i440fx_create(struct device_bus *bus,
                                    const uint64_t *prop)
{
    struct i440fx_state *s = xcalloc(1, sizeof(*s));
    (void)prop;
    J_ASSERT(!bus->pci);
    pci_bus_init(&s->pci, bus->mem, bus->io);
    pci_bus_add(&s->pci, &s->host, PCI_DEVFN(0, 0));
    bus->pci = &s->pci;
    return &s->dev;
}

static void i440fx_free(struct device *dev)
{
    struct i440fx_state *s = i440fx_from_device(dev);
    for (int i = 0; i < PAM_SEGMENTS; i++) {
        if (s->seg[i].ram)
            mem_region_remove(s->seg[i].ram);
        if (s->seg[i].wo)
            mem_region_remove(s->seg[i].wo);
    }
    pci_bus_remove(&s->host);
    pci_bus_destroy(&s->pci);
    if (dev->bus->pci == &s->pci)
        dev->bus->pci = NULL;
    free(s);
}

const struct device_class i440fx_device_class = {
    .name = "i440fx",
    .desc = "the 440FX host bridge (PCI 00.0), PCI bus 0, PAM shadowing",
    .create = i440fx_create,
    .reset = i440fx_reset,
    .free = i440fx_free,
};

struct i440fx_state *i440fx_from_device(struct device *dev)
{
    J_ASSERT(dev->cls == &i440fx_device_class);
    return DEVICE_STATE(struct i440fx_state, dev);
}
