/*
 * pci_init.c - the POST's PCI set-up of bus 0, through configuration
 * mechanism #1, as SeaBIOS does it on QEMU's pc (and as the DSDT and the
 * MP table describe it, bios/tables.h):
 *   - the PIIX3's PIRQRC[A-D] (0x60-0x63) route PIRQA-D to ISA IRQ 10,
 *     10, 11, 11; the ELCR (0x4D0/0x4D1) makes those and the SCI (9)
 *     level-triggered;
 *   - each function's interrupt line (0x3C) is the IRQ of the PIRQ its
 *     pin reaches: pin P of device D on PIRQ (D + P - 1) mod 4;
 *   - BARs: I/O from 0xC000 up, memory from pci_mem_window_start up
 *     (above the VGA's linear framebuffer, VBE_LFB_BASE),
 *     each aligned to its size, then I/O and memory decoding (and bus
 *     mastering) enabled in the command register;
 *   - the PIIX4 PM function (8086:7113): PMBA = PIIX4_PM_BASE, PMREGMISC
 *     bit 0 (its I/O space on).
 */
#include "bios/tables.h"

/* Configuration space offsets and bits (PCI Local Bus 3.0, 6.1, 6.2). */
#define PCI_COMMAND 0x04
#define PCI_BAR0 0x10
#define PCI_NUM_BARS 6
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_HEADER_MULTI 0x80
#define PCI_COMMAND_IO 0x0001
#define PCI_COMMAND_MEMORY 0x0002
#define PCI_COMMAND_MASTER 0x0004

static uint32_t cfg_addr(int dev, int fn, int reg)
{
    return 0x80000000u | (uint32_t)dev << 11 | (uint32_t)fn << 8 |
           (uint32_t)(reg & 0xfc);
}

static uint32_t cfg_read(struct bios *b, int dev, int fn, int reg)
{
    bios_outl(b, 0xcf8, cfg_addr(dev, fn, reg));
    return bios_inl(b, 0xcfc);
}

static void cfg_write(struct bios *b, int dev, int fn, int reg, uint32_t v)
{
    bios_outl(b, 0xcf8, cfg_addr(dev, fn, reg));
    bios_outl(b, 0xcfc, v);
}

static void cfg_writeb(struct bios *b, int dev, int fn, int reg, uint8_t v)
{
    bios_outl(b, 0xcf8, cfg_addr(dev, fn, reg));
    bios_outb(b, (uint16_t)(0xcfc + (reg & 3)), v);
}

struct pci_alloc {
    uint32_t io, mem;
    uint32_t mem_end;
};

/* Size each BAR with the all-ones probe and give it the next aligned
 * place of its kind; a BAR that does not fit stays 0 (unmapped). */
static void assign_bars(struct bios *b, struct pci_alloc *al, int dev, int fn)
{
    for (int i = 0; i < PCI_NUM_BARS; i++) {
        int reg = PCI_BAR0 + 4 * i;
        uint32_t old = cfg_read(b, dev, fn, reg);
        cfg_write(b, dev, fn, reg, 0xffffffffu);
        uint32_t probe = cfg_read(b, dev, fn, reg);
        cfg_write(b, dev, fn, reg, old);
        if (probe == 0 || probe == 0xffffffffu)
            continue;
        bool io = probe & 1;
        uint32_t mask = io ? (probe | 0xffff0000u) & ~3u : probe & ~0xfu;
        uint32_t size = ~mask + 1;
        if (size == 0)
            continue;
        uint32_t *next = io ? &al->io : &al->mem;
        uint32_t end = io ? 0x10000u : al->mem_end;
        uint32_t at = (*next + size - 1) & ~(size - 1);
        if (at < *next || at > end || size > end - at)
            continue;
        *next = at + size;
        cfg_write(b, dev, fn, reg, at | (probe & (io ? 1u : 0xfu)));
        if (!io && (probe & 6) == 4 && i + 1 < PCI_NUM_BARS)
            cfg_write(b, dev, fn, reg + 4, 0), i++; /* 64-bit: high half */
    }
}

static void init_function(struct bios *b, struct pci_alloc *al, int dev,
                          int fn, uint32_t id)
{
    uint8_t pin = (uint8_t)(cfg_read(b, dev, fn, PCI_INTERRUPT_LINE) >> 8);
    if (pin >= 1 && pin <= 4)
        cfg_writeb(b, dev, fn, PCI_INTERRUPT_LINE,
                   pci_pirq_irqs[(dev + pin - 1) & 3]);
    if (id == 0x70008086u) { /* PIIX3 ISA bridge */
        for (int n = 0; n < 4; n++)
            cfg_writeb(b, dev, fn, 0x60 + n, pci_pirq_irqs[n]);
    }
    if (id == 0x71138086u) { /* PIIX4 power management */
        cfg_write(b, dev, fn, 0x40, PIIX4_PM_BASE | 1);
        cfg_writeb(b, dev, fn, 0x80, 0x01);
    }
    uint32_t class = cfg_read(b, dev, fn, 0x08) >> 16;
    if (class == 0x0600 || class == 0x0601)
        return; /* host and ISA bridges: no BARs */
    /* Decoding off while the BARs are sized (the all-ones probe must not
     * be decoded), on again once they are placed. */
    uint32_t cmd = cfg_read(b, dev, fn, PCI_COMMAND) & 0xffff;
    cmd &= ~(uint32_t)(PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
    bios_outl(b, 0xcf8, cfg_addr(dev, fn, PCI_COMMAND));
    io_write(b->io, (struct mem_attrs){ 0 }, 0xcfc, cmd, 2);
    assign_bars(b, al, dev, fn);
    cmd |= PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
    bios_outl(b, 0xcf8, cfg_addr(dev, fn, PCI_COMMAND));
    io_write(b->io, (struct mem_attrs){ 0 }, 0xcfc, cmd, 2);
}

void pci_init(struct bios *b)
{
    bios_outl(b, 0xcf8, 0x80000000u);
    if (bios_inl(b, 0xcf8) != 0x80000000u)
        return; /* no host bridge */
    struct pci_alloc al = {
        .io = PCI_IO_ALLOC_START,
        .mem = pci_mem_window_start(b->ram_size),
        .mem_end = TABLES_MMIO_START,
    };
    if (al.mem >= VBE_LFB_BASE && al.mem < VBE_LFB_BASE + VBE_LFB_SIZE)
        al.mem = VBE_LFB_BASE + VBE_LFB_SIZE;
    for (int dev = 0; dev < 32; dev++) {
        for (int fn = 0; fn < 8; fn++) {
            uint32_t id = cfg_read(b, dev, fn, 0);
            if ((id & 0xffff) == 0xffff) {
                if (fn == 0)
                    break;
                continue;
            }
            init_function(b, &al, dev, fn, id);
            if (fn == 0 &&
                !(cfg_read(b, dev, 0, 0x0c) & ((uint32_t)PCI_HEADER_MULTI << 16)))
                break;
        }
    }
    /* ELCR (the PIIX3's edge/level control, 0x4D0 master, 0x4D1 slave):
     * the PCI IRQs and the SCI level-triggered. */
    uint16_t elcr = 1u << ACPI_SCI_IRQ;
    for (int n = 0; n < 4; n++)
        elcr |= (uint16_t)(1u << pci_pirq_irqs[n]);
    bios_outb(b, 0x4d0, (uint8_t)elcr);
    bios_outb(b, 0x4d1, (uint8_t)(elcr >> 8));
}
