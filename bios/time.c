/*
 * time.c - INT 1Ah: the tick count the IRQ0 handler keeps in the BDA,
 * the RTC's time and date through CMOS ports 0x70/0x71, and the PCI BIOS
 * (AH=B1h) over configuration mechanism #1 at 0xCF8/0xCFC (PCI BIOS
 * Specification 2.1, section 3). bios/bios.h.
 */
#include "bios/bios.h"

#define BDA_TICKS 0x46cu
#define BDA_MIDNIGHT 0x470u

#define PCI_SIGNATURE 0x20494350u /* "PCI " */
#define PCI_SUCCESSFUL 0x00
#define PCI_FUNC_NOT_SUPPORTED 0x81
#define PCI_DEVICE_NOT_FOUND 0x86
#define PCI_BAD_REGISTER 0x87

/* ---- RTC (MC146818: registers 0 seconds, 2 minutes, 4 hours, 7 day,
 * 8 month, 9 year, 0x0A status A (bit 7: update in progress), 0x0B status
 * B (bit 0: daylight saving), 0x32 century) ---- */

static uint8_t cmos_read(struct bios *b, uint8_t reg)
{
    bios_outb(b, 0x70, reg);
    return bios_inb(b, 0x71);
}

static void cmos_write(struct bios *b, uint8_t reg, uint8_t v)
{
    bios_outb(b, 0x70, reg);
    bios_outb(b, 0x71, v);
}

/* An update in progress, or no RTC at all (the port reads 0xFF): CF. */
static bool rtc_busy(struct bios *b)
{
    return (cmos_read(b, 0x0a) & 0x80) != 0;
}

/* ---- PCI configuration mechanism #1 ---- */

static uint32_t pci_addr(uint16_t bdf, uint16_t reg)
{
    return 0x80000000u | ((uint32_t)bdf << 8) | (reg & 0xfc);
}

static uint32_t pci_read(struct bios *b, uint16_t bdf, uint16_t reg)
{
    bios_outl(b, 0xcf8, pci_addr(bdf, reg));
    return bios_inl(b, 0xcfc);
}

static void pci_write(struct bios *b, uint16_t bdf, uint16_t reg, uint32_t v,
                      unsigned size)
{
    uint32_t shift = (reg & 3) * 8;
    uint32_t mask = size == 4 ? 0xffffffffu : ((1u << (size * 8)) - 1) << shift;
    uint32_t old = size == 4 ? 0 : pci_read(b, bdf, reg);
    bios_outl(b, 0xcf8, pci_addr(bdf, reg));
    bios_outl(b, 0xcfc, (old & ~mask) | ((v << shift) & mask));
}

static bool pci_present(struct bios *b)
{
    bios_outl(b, 0xcf8, 0x80000000u);
    return bios_inl(b, 0xcf8) == 0x80000000u;
}

/* B102h (find device: CX device, DX vendor) and B103h (find class: ECX
 * class code) on bus 0, the SI-th match into BX. */
static void pci_find(struct bios *b, struct bios_regs *r, bool by_class)
{
    unsigned index = BIOS_SI(r);
    for (unsigned bdf = 0; bdf < 256; bdf++) {
        uint32_t id = pci_read(b, (uint16_t)bdf, 0);
        if ((id & 0xffff) == 0xffff)
            continue;
        bool match = by_class
                         ? (pci_read(b, (uint16_t)bdf, 8) >> 8) ==
                               (r->ecx & 0xffffff)
                         : id == (((uint32_t)BIOS_CX(r) << 16) | BIOS_DX(r));
        if (match && index-- == 0) {
            bios_set_bx(r, (uint16_t)bdf);
            bios_set_ah(r, PCI_SUCCESSFUL);
            return;
        }
    }
    bios_set_ah(r, PCI_DEVICE_NOT_FOUND);
}

static void pci_bios(struct bios *b, struct bios_regs *r)
{
    uint16_t bdf = BIOS_BX(r), reg = BIOS_DI(r);
    unsigned al = BIOS_AL(r);
    unsigned size = (al == 0x08 || al == 0x0b)   ? 1
                    : (al == 0x09 || al == 0x0c) ? 2
                                                 : 4;

    if (!pci_present(b)) {
        bios_set_ah(r, PCI_FUNC_NOT_SUPPORTED);
        bios_set_cf(r, true);
        return;
    }
    if (al >= 0x08 && al <= 0x0d && (reg > 0xff || (reg & (size - 1)))) {
        bios_set_ah(r, PCI_BAD_REGISTER);
        bios_set_cf(r, true);
        return;
    }
    bios_set_ah(r, PCI_SUCCESSFUL);
    switch (al) {
    case 0x01: /* installation check */
        bios_set_al(r, 0x01); /* configuration mechanism #1 */
        bios_set_bx(r, 0x0210);
        bios_set_cl(r, 0); /* last bus */
        r->edx = PCI_SIGNATURE;
        r->edi = 0;
        break;
    case 0x02: pci_find(b, r, false); break;
    case 0x03: pci_find(b, r, true); break;
    case 0x08:
    case 0x09:
    case 0x0a: {
        uint32_t v = pci_read(b, bdf, reg) >> ((reg & 3) * 8);
        if (size == 1)
            bios_set_cl(r, (uint8_t)v);
        else if (size == 2)
            bios_set_cx(r, (uint16_t)v);
        else
            r->ecx = v;
        break;
    }
    case 0x0b:
    case 0x0c:
    case 0x0d: pci_write(b, bdf, reg, r->ecx, size); break;
    default: bios_set_ah(r, PCI_FUNC_NOT_SUPPORTED); break;
    }
    bios_set_cf(r, BIOS_AH(r) != PCI_SUCCESSFUL);
}

int bios_int1a(struct bios *b, struct bios_regs *r)
{
    switch (BIOS_AH(r)) {
    case 0x00: {
        uint32_t t = bios_rl(b, 0x46c);
        bios_set_cx(r, (uint16_t)(t >> 16));
        bios_set_dx(r, (uint16_t)t);
        bios_set_al(r, bios_rb(b, BDA_MIDNIGHT));
        bios_wb(b, BDA_MIDNIGHT, 0);
        break;
    }
    case 0x01:
        bios_wl(b, BDA_TICKS, ((uint32_t)BIOS_CX(r) << 16) | BIOS_DX(r));
        bios_wb(b, BDA_MIDNIGHT, 0);
        break;
    case 0x02:
        if (rtc_busy(b)) {
            bios_set_cf(r, true);
            break;
        }
        bios_set_ch(r, cmos_read(b, 4));
        bios_set_cl(r, cmos_read(b, 2));
        bios_set_dh(r, cmos_read(b, 0));
        bios_set_dl(r, cmos_read(b, 0x0b) & 1);
        bios_set_cf(r, false);
        break;
    case 0x03:
        cmos_write(b, 4, BIOS_CH(r));
        cmos_write(b, 2, BIOS_CL(r));
        cmos_write(b, 0, BIOS_DH(r));
        bios_set_cf(r, false);
        break;
    case 0x04:
        if (rtc_busy(b)) {
            bios_set_cf(r, true);
            break;
        }
        bios_set_ch(r, cmos_read(b, 0x32));
        bios_set_cl(r, cmos_read(b, 9));
        bios_set_dh(r, cmos_read(b, 8));
        bios_set_dl(r, cmos_read(b, 7));
        bios_set_cf(r, false);
        break;
    case 0x05:
        cmos_write(b, 0x32, BIOS_CH(r));
        cmos_write(b, 9, BIOS_CL(r));
        cmos_write(b, 8, BIOS_DH(r));
        cmos_write(b, 7, BIOS_DL(r));
        bios_set_cf(r, false);
        break;
    case 0xb1: pci_bios(b, r); break;
    default: bios_set_cf(r, true); break;
    }
    return BIOS_STATUS_DONE;
}
