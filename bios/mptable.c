/*
 * mptable.c - the MultiProcessor Specification 1.4 tables (Intel, order
 * 242016-006), only when the board has an IOAPIC: the floating pointer
 * structure at F000:0120 (4.1) and the configuration table (4.2) in the
 * reserved table area:
 *
 *   processor (APIC ID 0, bootstrap), buses 0 PCI and 1 ISA, the IOAPIC
 *   (ID 1), I/O interrupt assignments: ISA IRQ n on pin n (IRQ0 on pin
 *   2; IRQ 9, the SCI, and the PCI lines 5, 10 and 11 level active high,
 *   as in the MADT), each PCI function's pin on
 *   the pin of the ISA IRQ its PIRQ line is routed to (level, active
 *   high, as the PIIX3 drives it); local interrupts: ExtINT on LINT0,
 *   NMI on LINT1.
 * Without an IOAPIC the floating pointer's place in the ROM stays erased
 * (0xFF), so no OS finds one.
 */
#include <string.h>

#include "bios/tables.h"
#include "softmmu/ldst.h"

#define MP_BUS_PCI 0
#define MP_BUS_ISA 1
#define MP_MAX 2048

struct mp_buf {
    uint8_t b[MP_MAX];
    uint32_t n;
    uint16_t count;
};

static uint8_t *mp_entry(struct mp_buf *m, uint32_t len)
{
    if (m->n + len > MP_MAX)
        return NULL;
    uint8_t *p = m->b + m->n;
    memset(p, 0, len);
    m->n += len;
    m->count++;
    return p;
}

static void mp_intr(struct mp_buf *m, uint8_t type, uint8_t kind,
                    uint16_t flags, uint8_t bus, uint8_t irq, uint8_t dst,
                    uint8_t pin)
{
    uint8_t *p = mp_entry(m, 8);
    if (!p)
        return;
    p[0] = type; /* 3: I/O interrupt, 4: local interrupt */
    p[1] = kind; /* 0 INT, 1 NMI, 3 ExtINT */
    stw_le_p(p + 2, flags);
    p[4] = bus;
    p[5] = irq;
    p[6] = dst;
    p[7] = pin;
}

static uint32_t pci_cfg_read(struct bios *b, int dev, int fn, int reg)
{
    bios_outl(b, 0xcf8, 0x80000000u | (uint32_t)dev << 11 |
                            (uint32_t)fn << 8 | (uint32_t)(reg & 0xfc));
    return bios_inl(b, 0xcfc);
}

void mptable_build(struct tables *t)
{
    struct bios *b = t->b;
    static const uint8_t erased[16] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                        0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                        0xff, 0xff, 0xff, 0xff };
    if (!b->ioapic || !b->lapic) {
        tables_rom_put(b, TABLES_MPFP_OFFSET, erased, sizeof(erased));
        return;
    }
    static struct mp_buf m;
    memset(&m, 0, sizeof(m));
    m.n = 44; /* the header, filled last */

    uint8_t *p = mp_entry(&m, 20); /* processor */
    p[0] = 0;
    p[1] = 0;    /* local APIC ID */
    p[2] = 0x14; /* local APIC version (integrated) */
    p[3] = 0x03; /* enabled, bootstrap processor */
    stl_le_p(p + 4, 0x0600); /* signature: family 6 */
    stl_le_p(p + 8, 0x0201); /* features: FPU, APIC */
    p = mp_entry(&m, 8);
    p[0] = 1, p[1] = MP_BUS_PCI;
    memcpy(p + 2, "PCI   ", 6);
    p = mp_entry(&m, 8);
    p[0] = 1, p[1] = MP_BUS_ISA;
    memcpy(p + 2, "ISA   ", 6);
    p = mp_entry(&m, 8); /* I/O APIC: ID, version, enabled, address */
    p[0] = 2, p[1] = IOAPIC_ID, p[2] = 0x11, p[3] = 1;
    stl_le_p(p + 4, IOAPIC_ADDR);

    for (int irq = 0; irq < 16; irq++) {
        if (irq == 2)
            continue; /* the cascade: IRQ0 takes pin 2 */
        /* the SCI and the lines PCI interrupts are routed to are level,
         * active high, as the MADT's overrides say; the rest conform
         * to ISA (edge, high) */
        bool level = irq == ACPI_SCI_IRQ || irq == 5 || irq == 10 || irq == 11;
        uint16_t flags = level ? 0x000d : 0x0000;
        mp_intr(&m, 3, 0, flags, MP_BUS_ISA, (uint8_t)irq, IOAPIC_ID,
                (uint8_t)(irq == 0 ? 2 : irq));
    }
    bool pci = false;
    bios_outl(b, 0xcf8, 0x80000000u);
    pci = bios_inl(b, 0xcf8) == 0x80000000u;
    for (int dev = 0; pci && dev < 32; dev++) {
        uint8_t pins = 0; /* the pins any function of the slot uses */
        for (int fn = 0; fn < 8; fn++) {
            uint32_t id = pci_cfg_read(b, dev, fn, 0);
            if ((id & 0xffff) == 0xffff) {
                if (fn == 0)
                    break;
                continue;
            }
            uint8_t pin = (uint8_t)(pci_cfg_read(b, dev, fn, 0x3c) >> 8);
            if (pin >= 1 && pin <= 4)
                pins |= (uint8_t)(1u << (pin - 1));
            if (fn == 0 && !(pci_cfg_read(b, dev, 0, 0x0c) & 0x00800000u))
                break; /* single-function device */
        }
        for (int pin = 0; pin < 4; pin++)
            if (pins & (1u << pin))
                mp_intr(&m, 3, 0, 0x000d, MP_BUS_PCI,
                        (uint8_t)(dev << 2 | pin), IOAPIC_ID,
                        pci_pirq_irqs[(dev + pin) & 3]);
    }
    mp_intr(&m, 4, 3, 0, MP_BUS_ISA, 0, 0xff, 0); /* ExtINT on LINT0 */
    mp_intr(&m, 4, 1, 0, MP_BUS_ISA, 0, 0xff, 1); /* NMI on LINT1 */

    /* header (4.2.1) */
    p = m.b;
    memcpy(p, "PCMP", 4);
    stw_le_p(p + 4, (uint16_t)m.n);
    p[6] = 4; /* spec revision 1.4 */
    memcpy(p + 8, "JET86   ", 8);
    memcpy(p + 16, "JET86 PC    ", 12);
    stw_le_p(p + 34, m.count);
    stl_le_p(p + 36, LAPIC_ADDR);
    p[7] = tables_checksum(p, m.n);
    uint32_t cfg = tables_put(t, false, m.b, m.n, 16);

    uint8_t fp[16] = { '_', 'M', 'P', '_' };
    stl_le_p(fp + 4, cfg);
    fp[8] = 1;  /* length in 16-byte paragraphs */
    fp[9] = 4;  /* spec revision 1.4 */
    fp[11] = 0; /* feature byte 1: a configuration table is present */
    fp[12] = 0; /* feature byte 2: IMCR absent, virtual wire mode */
    fp[10] = tables_checksum(fp, sizeof(fp));
    tables_rom_put(b, TABLES_MPFP_OFFSET, fp, sizeof(fp));
}
