/*
 * piix3.c - the Intel 82371SB PIIX3 (PIIX3 data sheet, order 290550),
 * functions 0 and 1, with the IDs QEMU's pc gives them:
 *
 *   01.0  PCI-to-ISA bridge: 8086:7000 rev 00, class 060100, header type
 *         80h (multi-function). PIRQRC[A:D] at 0x60-0x63 (2.2.10): bits
 *         3-0 the ISA IRQ, bit 7 routing disabled; 80h at reset, IRQ
 *         numbers 0-2, 8 and 13 reserved (the value is stored as written,
 *         piix3_pirq_route reports it). The reset control register at
 *         I/O 0xCF9 (2.3.3): a write setting bit 2 (RCPU) resets the
 *         system (bit 1, SRST, hard or soft: both a board reset here).
 *         Other registers keep their reset values and take writes as
 *         stored bytes (XBCS 0x4E, TOM 0x69, MBIRQ0 0x70, ...); nothing
 *         here decodes them. The ELCR at 0x4D0/0x4D1 is the PIC's
 *         (devices/pic.c).
 *   01.1  IDE interface: 8086:7010 rev 00, class 010180 (IDE, legacy
 *         mode on both channels, bus-master capable), header type 0.
 *         BAR4 (2.4.7, BMIBA): 16 bytes of I/O, the bus-master registers
 *         of the primary (0-7) and secondary (8-15) channel: BMICOM
 *         (bits 0 and 3), BMISTA (bits 1 and 2 cleared by writing 1,
 *         bits 5-6 kept, bit 0 read-only) and BMIDTP (a dword, bits 31-2).
 *         IDETIM 0x40-0x43 and SIDETIM 0x44 are stored. No drives and no
 *         DMA yet: starting a transfer changes nothing but BMICOM.
 *
 * PCI interrupts: a function's INTx# reaches PIRQ (device + pin - 1) mod 4
 * (pci_set_irq), a wired-OR line; each ISA IRQ named by a PIRQRC register
 * is driven with the OR of the PIRQ lines routed to it, and lowered when
 * a route moves away (data sheet 2.2.10). The ISA device that may also
 * drive such a line is not ORed in: the board routes PCI interrupts to
 * free lines, as a BIOS does.
 */
#include "devices/piix3.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "devices/ide.h"
#include "devices/pci.h"

#define PIIX3_PIRQRC 0x60
#define PIIX3_RC_RCPU 0x04

struct piix3_state {
    struct device dev;
    struct pci_function isa, ide;
    struct irq pirq_in[PCI_NUM_PIRQS]; /* the bus's PIRQ lines end here */
    uint8_t pirq_level;                /* bit n: PIRQn is asserted */
    struct irq *pirq_out[PCI_NUM_PIRQS]; /* also to the IOAPIC, if wired */
    uint16_t isa_driven;               /* bit n: ISA IRQ n driven high */
    uint8_t rc;           /* reset control, 0xCF9 */
    uint8_t bm[16];       /* bus-master registers: BMICOM, BMISTA, BMIDTP */
    struct ide_state *ide_dev; /* the channels behind them, once connected */
};

/* ---- 01.1: bus-master registers ---- */

static uint64_t piix3_bm_read(void *opaque, struct mem_attrs attrs,
                              uint64_t offset, unsigned size)
{
    struct piix3_state *s = opaque;
    uint64_t v = 0;
    (void)attrs;
    if (s->ide_dev)
        return ide_bm_read(s->ide_dev, (unsigned)offset, size);
    for (unsigned i = 0; i < size && offset + i < 16; i++)
        v |= (uint64_t)s->bm[offset + i] << (8 * i);
    return v;
}

static void piix3_bm_write_byte(struct piix3_state *s, unsigned at, uint8_t v)
{
    switch (at & 7) {
    case 0: /* BMICOM: start/stop, read/write control */
        s->bm[at] = v & 0x09;
        break;
    case 2: /* BMISTA: error and interrupt are write-1-to-clear */
        s->bm[at] = (uint8_t)((s->bm[at] & 0x01) | (v & 0x60) |
                              (s->bm[at] & 0x06 & ~v));
        break;
    case 4: /* BMIDTP: dword aligned */
        s->bm[at] = v & 0xfc;
        break;
    case 5:
    case 6:
    case 7:
        s->bm[at] = v;
        break;
    default:
        break;
    }
}

static void piix3_bm_write(void *opaque, struct mem_attrs attrs,
                           uint64_t offset, uint64_t value, unsigned size)
{
    struct piix3_state *s = opaque;
    (void)attrs;
    if (s->ide_dev) {
        ide_bm_write(s->ide_dev, (unsigned)offset, (uint32_t)value, size);
        return;
    }
    for (unsigned i = 0; i < size && offset + i < 16; i++)
        piix3_bm_write_byte(s, (unsigned)offset + i,
                            (uint8_t)(value >> (8 * i)));
}

static const struct mem_ops piix3_bm_ops = {
    .read = piix3_bm_read,
    .write = piix3_bm_write,
    .min_size = 1,
    .max_size = 4,
};

/* ---- 01.0: the reset control register ---- */

static void piix3_port_write(void *opaque, unsigned offset, uint8_t value)
{
    struct piix3_state *s = opaque;
    struct device_bus *bus = s->dev.bus;
    if (offset != 1)
        return;
    bool start = (value & PIIX3_RC_RCPU) && !(s->rc & PIIX3_RC_RCPU);
    s->rc = value & 0x06; /* bits 1-2 read back */
    if (start && bus->reset)
        bus->reset(bus->board, "reset control register 0xCF9");
}

static uint8_t piix3_port_read(void *opaque, unsigned offset)
{
    struct piix3_state *s = opaque;
    return offset == 1 ? s->rc : 0xff;
}

int piix3_pirq_route(struct piix3_state *s, int n)
{
    J_ASSERT(n >= 0 && n < 4);
    uint8_t r = s->isa.config[PIIX3_PIRQRC + n];
    return (r & 0x80) ? -1 : r & 15;
}

/* Drive each ISA line with the OR of the PIRQ lines routed to it (the
 * reserved IRQs 0-2, 8 and 13 take none); a line no PIRQ reaches any
 * more is lowered. */
static void piix3_route_update(struct piix3_state *s)
{
    uint16_t want = 0;
    for (int n = 0; n < PCI_NUM_PIRQS; n++) {
        int r = piix3_pirq_route(s, n);
        if (r < 0 || r <= 2 || r == 8 || r == 13)
            continue;
        if (s->pirq_level & (1u << n))
            want |= (uint16_t)(1u << r);
    }
    for (int i = 0; i < ISA_NUM_IRQS; i++) {
        uint16_t bit = (uint16_t)(1u << i);
        if ((want ^ s->isa_driven) & bit)
            irq_set(isa_irq(s->dev.bus, i), (want & bit) != 0);
    }
    s->isa_driven = want;
}

static void piix3_pirq_handler(void *opaque, int n, int level)
{
    struct piix3_state *s = opaque;
    s->pirq_level = (uint8_t)(level ? s->pirq_level | 1u << n
                                    : s->pirq_level & ~(1u << n));
    piix3_route_update(s);
    irq_set(s->pirq_out[n], level);
}

void piix3_connect_pirq_out(struct piix3_state *s, int n, struct irq *out)
{
    J_ASSERT(n >= 0 && n < PCI_NUM_PIRQS);
    s->pirq_out[n] = out;
    irq_set(out, (s->pirq_level >> n) & 1);
}

static void piix3_isa_config_written(struct pci_function *f, unsigned offset,
                                     unsigned size)
{
    if (offset < PIIX3_PIRQRC + 4 && offset + size > PIIX3_PIRQRC)
        piix3_route_update(f->opaque);
}

static void piix3_reset(struct device *dev)
{
    struct piix3_state *s = piix3_from_device(dev);
    struct pci_function *f = &s->isa;

    pci_function_init(f, "piix3", 0x8086, 0x7000, 0x00, 0x060100,
                      PCI_HEADER_MULTI);
    pci_set_word(f->config + PCI_COMMAND, 0x0007);
    pci_set_word(f->config + PCI_STATUS, 0x0200);
    f->config[0x4c] = 0x4d; /* IORT */
    f->config[0x4e] = 0x03; /* XBCS */
    f->config[0x69] = 0x02; /* TOM */
    f->config[0x70] = 0x80; /* MBIRQ0 */
    f->config[0x76] = 0x0c; /* MBDMA */
    f->config[0x77] = 0x0c;
    f->config[0x78] = 0x02; /* PCSC */
    f->config[0xa0] = 0x08; /* SMICNTL */
    f->config[0xa8] = 0x0f; /* SMIREQ */
    memset(f->config + PIIX3_PIRQRC, 0x80, 4);
    memset(f->wmask + PIIX3_PIRQRC, 0x8f, 4);
    f->config_written = piix3_isa_config_written;
    f->opaque = s;
    f->wmask[0x4c] = f->wmask[0x4e] = f->wmask[0x69] = 0xff;
    f->wmask[0x70] = f->wmask[0x76] = f->wmask[0x77] = 0xff;
    f->wmask[0x78] = f->wmask[0xa0] = f->wmask[0xa8] = 0xff;
    s->rc = 0;

    struct pci_function *g = &s->ide;
    pci_function_init(g, "piix3-ide", 0x8086, 0x7010, 0x00, 0x010180, 0x00);
    pci_set_word(g->config + PCI_STATUS, 0x0280);
    memset(g->wmask + 0x40, 0xff, 5); /* IDETIM, SIDETIM */
    pci_register_bar(g, 4, 16, true, &piix3_bm_ops, s);
    pci_update_bars(g);
    memset(s->bm, 0, sizeof(s->bm));
    piix3_route_update(s);
}

static struct device *piix3_create(struct device_bus *bus,
                                   const uint64_t *prop)
{
    struct piix3_state *s = xcalloc(1, sizeof(*s));
    (void)prop;
    if (!bus->pci)
        fatal("piix3: no PCI bus (create i440fx first)");
    pci_bus_add(bus->pci, &s->isa, PCI_DEVFN(1, 0));
    pci_bus_add(bus->pci, &s->ide, PCI_DEVFN(1, 1));
    bus->pci->port_write = piix3_port_write;
    bus->pci->port_read = piix3_port_read;
    bus->pci->port_opaque = s;
    for (int n = 0; n < PCI_NUM_PIRQS; n++) {
        irq_init(&s->pirq_in[n], piix3_pirq_handler, s, n);
        irq_or_connect(&bus->pci->pirq[n], &s->pirq_in[n]);
    }
    return &s->dev;
}

static void piix3_free(struct device *dev)
{
    struct piix3_state *s = piix3_from_device(dev);
    struct pci_bus *pci = dev->bus->pci;
    if (pci && pci->port_opaque == s) {
        pci->port_write = NULL;
        pci->port_read = NULL;
        pci->port_opaque = NULL;
        for (int n = 0; n < PCI_NUM_PIRQS; n++)
            pci->pirq[n].out = NULL;
    }
    pci_bus_remove(&s->ide);
    pci_bus_remove(&s->isa);
    free(s);
}

const struct device_class piix3_device_class = {
    .name = "piix3",
    .desc = "the PIIX3 ISA bridge (PCI 01.0) and IDE function (01.1)",
    .create = piix3_create,
    .reset = piix3_reset,
    .free = piix3_free,
};

struct piix3_state *piix3_from_device(struct device *dev)
{
    J_ASSERT(dev->cls == &piix3_device_class);
    return DEVICE_STATE(struct piix3_state, dev);
}

void piix3_connect_ide(struct piix3_state *s, struct ide_state *ide)
{
    s->ide_dev = ide;
}
