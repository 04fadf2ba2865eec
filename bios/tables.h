/*
 * tables.h - where the firmware's tables live (bios/tables.c) and the one
 * E820 map of the board that INT 15h, the Linux zero page and the
 * Multiboot memory map all give.
 *
 *   tables_base(ram) = min(RAM top, 0xFEC00000) - 64 KiB:
 *     +0x0000  ACPI tables: RSDT, FADT, DSDT, MADT, HPET   E820 type 3
 *     +0xC000  FACS, the MP configuration table, the SMBIOS
 *              structure table                              E820 type 2
 *   ROM, segment F000 (the 16-byte aligned places OSes scan):
 *     F000:0100  RSDP   F000:0120  MP floating pointer
 *     F000:0140  SMBIOS entry point
 */
#ifndef BIOS_TABLES_H
#define BIOS_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bios/bios.h"

#define TABLES_SIZE 0x10000u
#define TABLES_ACPI_SIZE 0xc000u /* the part E820 calls ACPI (type 3) */
#define TABLES_MMIO_START 0xfec00000u /* IOAPIC, HPET, LAPIC above */

#define TABLES_RSDP_OFFSET 0x0100u /* offsets in the ROM (segment F000) */
#define TABLES_MPFP_OFFSET 0x0120u
#define TABLES_SMBIOS_EP_OFFSET 0x0140u

/* PCI resources the POST assigns and the DSDT's _CRS describes. */
#define PCI_IO_WINDOW_START 0x0d00u
#define PCI_IO_ALLOC_START 0xc000u
#define PCI_MEM_WINDOW_MIN 0xe0000000u
/* The linear framebuffer of an ISA VGA (the Bochs VBE interface's, at
 * QEMU's isa-vga address); the PCI VGA's is where its BAR0 is. */
#define VBE_LFB_BASE 0xe0000000u
#define VBE_LFB_SIZE (16u << 20)
#define PIIX4_PM_BASE 0x0600u /* PMBA, as SeaBIOS sets it on QEMU's pc */
#define ACPI_SCI_IRQ 9
#define APM_CNT_PORT 0xb2u       /* SMI_CMD */
#define ACPI_ENABLE_CMD 0xf1u    /* written to SMI_CMD: SCI_EN on */
#define ACPI_DISABLE_CMD 0xf0u   /* ... and off */
#define IOAPIC_ADDR 0xfec00000u
#define HPET_ADDR 0xfed00000u
#define LAPIC_ADDR 0xfee00000u
#define IOAPIC_ID 1

/* The ISA IRQ each PCI interrupt line PIRQA-D is routed to. */
extern const uint8_t pci_pirq_irqs[4];

/* The first byte of the table area for ram_size bytes of RAM. */
uint32_t tables_base(uint64_t ram_size);
/* The bottom of the PCI memory window: above RAM, 0xE0000000 at least. */
uint32_t pci_mem_window_start(uint64_t ram_size);
/* The board's E820 map into e[BIOS_E820_MAX]; returns the count. */
int bios_e820_map(uint64_t ram_size, struct e820_entry *e);

/* The byte that makes the sum of p[0..n) and itself zero. */
uint8_t tables_checksum(const uint8_t *p, size_t n);

/* Placement while the POST builds the tables. */
struct tables {
    struct bios *b;
    uint32_t acpi_next, acpi_end; /* E820 type 3 part */
    uint32_t rsv_next, rsv_end;   /* reserved part */
};
/* Copy n bytes into the ACPI (acpi) or reserved part, aligned; returns
 * the guest address (the parts are sized for the board's tables). */
uint32_t tables_put(struct tables *t, bool acpi, const void *p, size_t n,
                    unsigned align);
/* Copy into the ROM image at off (nothing without a built-in ROM). */
void tables_rom_put(struct bios *b, uint32_t off, const void *p, size_t n);

/* A standard ACPI table header (ACPI 6.4, 5.2.6) for a table of len
 * bytes at p; the checksum is set by tables_acpi_finish. */
#define ACPI_HEADER_SIZE 36
void tables_acpi_header(uint8_t *p, const char *sig, uint32_t len,
                        uint8_t rev);
void tables_acpi_finish(uint8_t *p, uint32_t len);

/* The builders (bios/acpi.c, mptable.c, smbios.c, pci_init.c). */
void acpi_build(struct tables *t);
void mptable_build(struct tables *t);
void smbios_build(struct tables *t);
void pci_init(struct bios *b);
/* The VBE linear framebuffer's address: the PCI VGA's BAR0 (QEMU's std
 * VGA, 1234:1111 at 00:02.0), else the ISA VGA's VBE_LFB_BASE. */
uint32_t vbe_lfb_base(struct bios *b);
/* Every table and entry point, at every POST. */
void bios_tables_build(struct bios *b);

#endif
