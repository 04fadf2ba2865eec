/*
 * acpi.h - the ACPI tables of the built-in BIOS (bios/acpi.c,
 * acpi_dsdt.c): RSDP, RSDT, FADT, FACS, DSDT, and the MADT and HPET
 * tables when the board has the devices they describe.
 */
#ifndef BIOS_ACPI_H
#define BIOS_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bios/aml.h"

struct acpi_board {
    uint64_t ram_size;
    bool lapic, ioapic, hpet;
};

/* FADT (ACPI 1.0 layout, revision 1) and RSDP sizes. */
#define ACPI_FADT_SIZE 116
#define ACPI_FACS_SIZE 64
#define ACPI_RSDP_SIZE 20

/* The DSDT's AML body (without the table header) into a. */
size_t acpi_dsdt_build(struct aml *a, const struct acpi_board *board);
/* The MADT into buf (at least 256 bytes); returns its length, 0 when the
 * board has no local APIC and IOAPIC. */
uint32_t acpi_madt_build(uint8_t *buf, const struct acpi_board *board);
/* The HPET table (56 bytes) into buf. */
uint32_t acpi_hpet_build(uint8_t *buf);
/* The FADT pointing at the FACS and DSDT. */
void acpi_fadt_build(uint8_t *buf, uint32_t facs, uint32_t dsdt);

#endif
