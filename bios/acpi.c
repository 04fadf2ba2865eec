/*
 * acpi.c - the ACPI tables (ACPI 6.4 chapter 5; the 1.0b layouts where
 * they differ), placed by bios/tables.c:
 *
 *   RSDP (F000:0100, revision 0) -> RSDT -> FADT -> FACS, DSDT
 *                                        -> MADT (local APIC and IOAPIC)
 *                                        -> HPET (the HPET)
 *
 * Revision 0 (ACPI 1.0: RSDT only, 32-bit pointers): every ACPI OS
 * reads it, from Windows 98/2000/XP to Linux, while an RSDP of revision
 * 2 sends an OS to the XSDT and the FADT's 64-bit fields, which some of
 * the Windows 2000/XP era read wrongly, and a 32-bit PC has no use for
 * 64-bit table addresses. SeaBIOS gives QEMU's pc the same. The FADT is
 * likewise the 116-byte ACPI 1.0 one (revision 1).
 *
 * The FADT's fixed hardware is the PIIX4's power management function
 * (devices/piix4_pm.c) at the base bios/pci_init.c gives it: PM1a_EVT
 * (PMSTS, PMEN) at +0, PM1a_CNT at +4, the PM timer (24 bits) at +8; the
 * SCI is ISA IRQ 9; SMI_CMD is the APM control port 0xB2, where
 * ACPI_ENABLE/ACPI_DISABLE set and clear SCI_EN.
 */
#include "bios/acpi.h"

#include <string.h>

#include "bios/tables.h"
#include "softmmu/ldst.h"

/* FADT flags (5.2.9, table 5.10). */
#define FADT_WBINVD (1u << 0)
#define FADT_PROC_C1 (1u << 2)
#define FADT_SLP_BUTTON (1u << 5)
#define FADT_RTC_S4 (1u << 7)

void acpi_fadt_build(uint8_t *p, uint32_t facs, uint32_t dsdt)
{
    memset(p, 0, ACPI_FADT_SIZE);
    tables_acpi_header(p, "FACP", ACPI_FADT_SIZE, 1);
    stl_le_p(p + 36, facs);
    stl_le_p(p + 40, dsdt);
    p[44] = 0; /* INT_MODEL (1.0): dual 8259 */
    stw_le_p(p + 46, ACPI_SCI_IRQ);
    stl_le_p(p + 48, APM_CNT_PORT);
    p[52] = ACPI_ENABLE_CMD;
    p[53] = ACPI_DISABLE_CMD;
    stl_le_p(p + 56, PIIX4_PM_BASE);     /* PM1a_EVT_BLK */
    stl_le_p(p + 64, PIIX4_PM_BASE + 4); /* PM1a_CNT_BLK */
    stl_le_p(p + 76, PIIX4_PM_BASE + 8); /* PM_TMR_BLK */
    p[88] = 4;                           /* PM1_EVT_LEN */
    p[89] = 2;                           /* PM1_CNT_LEN */
    p[91] = 4;                           /* PM_TMR_LEN */
    stw_le_p(p + 96, 0x0fff);  /* P_LVL2_LAT > 100: no C2 */
    stw_le_p(p + 98, 0x0fff);  /* P_LVL3_LAT > 1000: no C3 */
    p[108] = 0x32;             /* CENTURY: the CMOS byte */
    stl_le_p(p + 112, FADT_WBINVD | FADT_PROC_C1 | FADT_SLP_BUTTON |
                          FADT_RTC_S4);
    tables_acpi_finish(p, ACPI_FADT_SIZE);
}

/* MADT (5.2.12): the local APIC address and PCAT_COMPAT, then one
 * processor (APIC ID 0), the IOAPIC (ID 1, GSI base 0), the interrupt
 * source overrides of a PC (IRQ0 on pin 2; the SCI and the PCI lines
 * level, active high) and the NMI on LINT1 of every processor. */
uint32_t acpi_madt_build(uint8_t *p, const struct acpi_board *board)
{
    static const struct {
        uint8_t irq;
        uint32_t gsi;
        uint16_t flags; /* bits 1-0 polarity, 3-2 trigger (01: high/edge) */
    } isos[] = {
        { 0, 2, 0x0000 },  { 5, 5, 0x000d },   { 9, 9, 0x000d },
        { 10, 10, 0x000d }, { 11, 11, 0x000d },
    };
    uint32_t n = 44;

    if (!board->lapic || !board->ioapic)
        return 0;
    memset(p, 0, 256);
    stl_le_p(p + 36, LAPIC_ADDR);
    stl_le_p(p + 40, 1); /* PCAT_COMPAT: the 8259s are there too */
    /* processor local APIC: type 0, length 8, UID 0, APIC ID 0, enabled */
    p[n] = 0, p[n + 1] = 8, p[n + 2] = 0, p[n + 3] = 0;
    stl_le_p(p + n + 4, 1);
    n += 8;
    /* I/O APIC: type 1, length 12 */
    p[n] = 1, p[n + 1] = 12, p[n + 2] = IOAPIC_ID;
    stl_le_p(p + n + 4, IOAPIC_ADDR);
    stl_le_p(p + n + 8, 0);
    n += 12;
    for (unsigned i = 0; i < sizeof(isos) / sizeof(isos[0]); i++) {
        /* interrupt source override: type 2, length 10, bus 0 (ISA) */
        p[n] = 2, p[n + 1] = 10, p[n + 2] = 0, p[n + 3] = isos[i].irq;
        stl_le_p(p + n + 4, isos[i].gsi);
        stw_le_p(p + n + 8, isos[i].flags);
        n += 10;
    }
    /* local APIC NMI: type 4, length 6, every processor (FFh), flags 0
     * (conforms), LINT1 */
    p[n] = 4, p[n + 1] = 6, p[n + 2] = 0xff;
    stw_le_p(p + n + 3, 0);
    p[n + 5] = 1;
    n += 6;
    uint8_t hdr[ACPI_HEADER_SIZE];
    tables_acpi_header(hdr, "APIC", n, 1);
    memcpy(p, hdr, ACPI_HEADER_SIZE);
    tables_acpi_finish(p, n);
    return n;
}

/* HPET description table (IA-PC HPET specification 1.0a, 3.2.4): the
 * event timer block ID as the block's capability register gives it
 * (vendor 8086h, legacy replacement capable, 64-bit counter, three
 * comparators, revision 1: QEMU's HPET), its base as a generic address
 * (system memory), HPET number 0, minimum tick 128, no page protection. */
uint32_t acpi_hpet_build(uint8_t *p)
{
    memset(p, 0, 56);
    tables_acpi_header(p, "HPET", 56, 1);
    stl_le_p(p + 36, 0x8086a201u);
    p[40] = 0; /* address space: system memory */
    p[41] = 64;
    stq_le_p(p + 44, HPET_ADDR);
    p[52] = 0;
    stw_le_p(p + 53, 128);
    p[55] = 0;
    tables_acpi_finish(p, 56);
    return 56;
}

void acpi_build(struct tables *t)
{
    struct bios *b = t->b;
    struct acpi_board board = {
        .ram_size = b->ram_size,
        .lapic = b->lapic,
        .ioapic = b->ioapic,
        .hpet = b->hpet,
    };
    uint32_t entries[4];
    int n = 0;

    /* FACS (5.2.10): 64-byte aligned, outside the reclaimable part. */
    uint8_t facs[ACPI_FACS_SIZE] = { 'F', 'A', 'C', 'S' };
    stl_le_p(facs + 4, ACPI_FACS_SIZE);
    uint32_t facs_addr = tables_put(t, false, facs, sizeof(facs), 64);

    struct aml a;
    aml_init(&a);
    aml_bytes(&a, (uint8_t[ACPI_HEADER_SIZE]){ 0 }, ACPI_HEADER_SIZE);
    acpi_dsdt_build(&a, &board);
    /* Revision 1: AML integers are 32 bits (5.2.11.1). */
    tables_acpi_header(a.data, "DSDT", (uint32_t)a.len, 1);
    tables_acpi_finish(a.data, (uint32_t)a.len);
    uint32_t dsdt_addr = tables_put(t, true, a.data, a.len, 16);
    aml_free(&a);

    uint8_t buf[256];
    acpi_fadt_build(buf, facs_addr, dsdt_addr);
    entries[n++] = tables_put(t, true, buf, ACPI_FADT_SIZE, 16);
    uint32_t len = acpi_madt_build(buf, &board);
    if (len)
        entries[n++] = tables_put(t, true, buf, len, 16);
    if (b->hpet) {
        len = acpi_hpet_build(buf);
        entries[n++] = tables_put(t, true, buf, len, 16);
    }

    uint32_t rsdt_len = ACPI_HEADER_SIZE + 4 * (uint32_t)n;
    tables_acpi_header(buf, "RSDT", rsdt_len, 1);
    for (int i = 0; i < n; i++)
        stl_le_p(buf + ACPI_HEADER_SIZE + 4 * i, entries[i]);
    tables_acpi_finish(buf, rsdt_len);
    uint32_t rsdt_addr = tables_put(t, true, buf, rsdt_len, 16);

    /* RSDP (5.2.5.3), revision 0: signature, checksum of its 20 bytes,
     * OEM ID, revision, RSDT address. */
    uint8_t rsdp[ACPI_RSDP_SIZE];
    memcpy(rsdp, "RSD PTR ", 8);
    rsdp[8] = 0;
    memcpy(rsdp + 9, "JET86 ", 6);
    rsdp[15] = 0;
    stl_le_p(rsdp + 16, rsdt_addr);
    rsdp[8] = tables_checksum(rsdp, sizeof(rsdp));
    tables_rom_put(b, TABLES_RSDP_OFFSET, rsdp, sizeof(rsdp));
}
