/*
 * acpi_dsdt.c - the DSDT's definition blocks, written with the AML encoder
 * (bios/aml.h), describing what the POST left in the PC (ACPI 6.4):
 *
 *   \_S5      soft off: SLP_TYP 0, the PIIX4's soft-off type (82371AB data
 *             sheet, PMCNTRL SUS_TYP), which devices/piix4_pm.c honours
 *   \_SB.PCI0 the host bridge (PNP0A03): _CRS with bus 0-255, the
 *             configuration ports, the I/O below and above them and the
 *             memory windows (VGA, and from pci_mem_window_start to the
 *             IOAPIC) where bios/pci_init.c assigns BARs; _PRT: pin P of
 *             slot S on link (S + P) mod 4, the PIIX3 swizzle
 *   \_SB.PCI0.ISA  the PIIX3 (01.0): a PCI_Config region over PIRQRC
 *             0x60-0x63 (PRQA-PRQD) and the ISA devices: RTC, keyboard,
 *             mouse, COM1, floppy controller
 *   \_SB.LNKA-LNKD  PCI interrupt links (PNP0C0F): _STA, _PRS (5, 10,
 *             11), _CRS (the route register's IRQ), _SRS (writes it),
 *             _DIS (sets bit 7, routing off)
 *   \_SB.HPET the HPET (PNP0103) when the board has one
 */
#include "bios/acpi.h"

#include <stdio.h>

#include "bios/aml.h"
#include "bios/tables.h"

/* Level, active high, shared: how the PIIX3 drives an ISA line from a
 * PIRQ (and what QEMU's pc tables say). */
#define LINK_IRQ_FLAGS 0x08

static void name_eisaid(struct aml *a, const char *name, const char *id)
{
    aml_name(a, name);
    aml_eisaid(a, id);
}

static void name_integer(struct aml *a, const char *name, uint64_t v)
{
    aml_name(a, name);
    aml_integer(a, v);
}

static void name_resources(struct aml *a, const char *name,
                           const struct aml_res *r)
{
    aml_name(a, name);
    aml_resource_template(a, r);
}

/* And(field, mask, NullName) */
static void and_mask(struct aml *a, const char *field, uint32_t mask)
{
    aml_byte(a, AML_AND);
    aml_name_string(a, field);
    aml_integer(a, mask);
    aml_byte(a, AML_NULL_NAME);
}

static void link_device(struct aml *a, int n)
{
    char name[8], field[32];
    static const uint32_t choices[] = { 5, 10, 11 };
    uint32_t none = 0;
    struct aml_res r = { .n = 0 };

    snprintf(name, sizeof(name), "LNK%c", 'A' + n);
    snprintf(field, sizeof(field), "\\_SB.PCI0.ISA.PRQ%c", 'A' + n);
    aml_device_begin(a, name);
    name_eisaid(a, "_HID", "PNP0C0F");
    name_integer(a, "_UID", (uint64_t)n + 1);
    aml_res_ext_irq(&r, LINK_IRQ_FLAGS, choices, 3);
    name_resources(a, "_PRS", &r);

    /* _STA: 0Bh (present, enabled, functioning) unless bit 7 says the
     * route is off: 09h. */
    aml_method_begin(a, "_STA", 0, false);
    aml_if_begin(a);
    and_mask(a, field, 0x80);
    aml_byte(a, AML_RETURN);
    aml_integer(a, 0x09);
    aml_end(a);
    aml_byte(a, AML_RETURN);
    aml_integer(a, 0x0b);
    aml_end(a);

    /* _DIS: Or(PRQx, 0x80, PRQx) */
    aml_method_begin(a, "_DIS", 0, false);
    aml_byte(a, AML_OR);
    aml_name_string(a, field);
    aml_integer(a, 0x80);
    aml_name_string(a, field);
    aml_end(a);

    /* _CRS: the template with the routed IRQ (0 while off). */
    aml_method_begin(a, "_CRS", 0, true);
    r.n = 0;
    aml_res_ext_irq(&r, LINK_IRQ_FLAGS, &none, 1);
    name_resources(a, "BUFF", &r);
    aml_byte(a, AML_CREATE_DWORD_FIELD);
    aml_name_string(a, "BUFF");
    aml_integer(a, 5); /* the first interrupt number */
    aml_name_string(a, "IRQV");
    aml_if_begin(a);
    aml_byte(a, AML_LNOT);
    and_mask(a, field, 0x80);
    aml_byte(a, AML_STORE);
    and_mask(a, field, 0x0f);
    aml_name_string(a, "IRQV");
    aml_end(a);
    aml_byte(a, AML_RETURN);
    aml_name_string(a, "BUFF");
    aml_end(a);

    /* _SRS(Arg0): the interrupt number of the template into PRQx (bit
     * 7 clear: routing on). */
    aml_method_begin(a, "_SRS", 1, true);
    aml_byte(a, AML_CREATE_DWORD_FIELD);
    aml_byte(a, AML_ARG0);
    aml_integer(a, 5);
    aml_name_string(a, "IRQV");
    aml_byte(a, AML_STORE);
    aml_name_string(a, "IRQV");
    aml_name_string(a, field);
    aml_end(a);

    aml_end(a);
}

static void isa_device(struct aml *a, const char *name, const char *hid,
                       int uid, const struct aml_res *r)
{
    aml_device_begin(a, name);
    name_eisaid(a, "_HID", hid);
    if (uid >= 0)
        name_integer(a, "_UID", (uint64_t)uid);
    name_resources(a, "_CRS", r);
    aml_end(a);
}

static void isa_bridge(struct aml *a)
{
    struct aml_res r;

    aml_device_begin(a, "ISA");
    name_integer(a, "_ADR", 0x00010000); /* device 1, function 0 */
    aml_opregion(a, "PIRQ", AML_SPACE_PCI_CONFIG, 0x60, 4);
    aml_field_begin(a, "PIRQ", AML_FIELD_BYTE_ACC | AML_FIELD_PRESERVE);
    aml_field_unit(a, "PRQA", 8);
    aml_field_unit(a, "PRQB", 8);
    aml_field_unit(a, "PRQC", 8);
    aml_field_unit(a, "PRQD", 8);
    aml_end(a);

    r.n = 0;
    aml_res_io(&r, 0x70, 0x70, 1, 8);
    aml_res_irq_noflags(&r, 1u << 8);
    isa_device(a, "RTC", "PNP0B00", -1, &r);
    r.n = 0;
    aml_res_io(&r, 0x60, 0x60, 1, 1);
    aml_res_io(&r, 0x64, 0x64, 1, 1);
    aml_res_irq_noflags(&r, 1u << 1);
    isa_device(a, "KBD", "PNP0303", -1, &r);
    r.n = 0;
    aml_res_irq_noflags(&r, 1u << 12);
    isa_device(a, "MOU", "PNP0F13", -1, &r);
    r.n = 0;
    aml_res_io(&r, 0x3f8, 0x3f8, 1, 8);
    aml_res_irq_noflags(&r, 1u << 4);
    isa_device(a, "COM1", "PNP0501", 1, &r);
    r.n = 0;
    aml_res_io(&r, 0x3f2, 0x3f2, 1, 4);
    aml_res_io(&r, 0x3f7, 0x3f7, 1, 1);
    aml_res_irq_noflags(&r, 1u << 6);
    aml_res_dma(&r, 1u << 2, 0x00);
    isa_device(a, "FDC", "PNP0700", -1, &r);
    aml_end(a);
}

static void pci_host(struct aml *a, uint64_t ram_size)
{
    struct aml_res r = { .n = 0 };

    aml_device_begin(a, "PCI0");
    name_eisaid(a, "_HID", "PNP0A03");
    name_integer(a, "_ADR", 0);
    name_integer(a, "_UID", 0);
    aml_res_word_bus(&r, 0, 0xff);
    aml_res_io(&r, 0xcf8, 0xcf8, 1, 8);
    aml_res_word_io(&r, 0x0000, 0x0cf7);
    aml_res_word_io(&r, PCI_IO_WINDOW_START, 0xffff);
    aml_res_dword_mem(&r, 0x000a0000, 0x000bffff);
    aml_res_dword_mem(&r, pci_mem_window_start(ram_size),
                      TABLES_MMIO_START - 1);
    name_resources(a, "_CRS", &r);

    /* _PRT: Package { Package { 0xSSSSFFFF, pin, link, 0 } ... } */
    aml_name(a, "_PRT");
    aml_package_begin(a, 128);
    for (int slot = 0; slot < 32; slot++) {
        for (int pin = 0; pin < 4; pin++) {
            char link[16];
            snprintf(link, sizeof(link), "\\_SB.LNK%c",
                     'A' + ((slot + pin) & 3));
            aml_package_begin(a, 4);
            aml_integer(a, ((uint32_t)slot << 16) | 0xffff);
            aml_integer(a, (uint64_t)pin);
            aml_name_string(a, link);
            aml_integer(a, 0);
            aml_end(a);
        }
    }
    aml_end(a);

    isa_bridge(a);
    aml_end(a);
}

size_t acpi_dsdt_build(struct aml *a, const struct acpi_board *board)
{
    /* \_S5: SLP_TYPa, SLP_TYPb, two reserved. */
    aml_name(a, "\\_S5");
    aml_package_begin(a, 4);
    for (int i = 0; i < 4; i++)
        aml_integer(a, 0);
    aml_end(a);

    aml_scope_begin(a, "\\_SB");
    pci_host(a, board->ram_size);
    for (int n = 0; n < 4; n++)
        link_device(a, n);
    if (board->hpet) {
        struct aml_res r = { .n = 0 };
        aml_device_begin(a, "HPET");
        name_eisaid(a, "_HID", "PNP0103");
        name_integer(a, "_UID", 0);
        aml_res_mem32_fixed(&r, false, HPET_ADDR, 0x400);
        name_resources(a, "_CRS", &r);
        aml_end(a);
    }
    aml_end(a);
    return a->len;
}
