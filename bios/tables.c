/*
 * tables.c - placement of the firmware's tables (bios/tables.h): the 64
 * KiB at the top of RAM below the MMIO hole, split into the part E820
 * calls ACPI and a reserved part, the entry points in the ROM's F000
 * segment, checksums, and the E820 map that reserves them, one list for
 * INT 15h, the Linux zero page and the Multiboot memory map.
 */
#include "bios/tables.h"

#include <string.h>

#include "base/util.h"
#include "bios/rom.h"
#include "softmmu/ldst.h"

#define EBDA_START 0x9fc00u
#define HIGH_RAM_START 0x100000u

const uint8_t pci_pirq_irqs[4] = { 10, 10, 11, 11 };

uint32_t tables_base(uint64_t ram_size)
{
    uint64_t top = ram_size < TABLES_MMIO_START ? ram_size : TABLES_MMIO_START;
    return (uint32_t)(top - TABLES_SIZE);
}

uint32_t pci_mem_window_start(uint64_t ram_size)
{
    uint64_t top = (ram_size + 0xfffffffull) & ~0xfffffffull; /* 256 MiB */
    return top > PCI_MEM_WINDOW_MIN ? (uint32_t)top : PCI_MEM_WINDOW_MIN;
}

int bios_e820_map(uint64_t ram_size, struct e820_entry *e)
{
    uint32_t tb = tables_base(ram_size);
    int n = 0;
    e[n++] = (struct e820_entry){ 0, EBDA_START, E820_RAM };
    e[n++] = (struct e820_entry){ EBDA_START, 0xa0000 - EBDA_START,
                                  E820_RESERVED };
    e[n++] = (struct e820_entry){ BIOS_ROM_BASE, BIOS_ROM_SIZE,
                                  E820_RESERVED };
    e[n++] = (struct e820_entry){ HIGH_RAM_START, tb - HIGH_RAM_START,
                                  E820_RAM };
    e[n++] = (struct e820_entry){ tb, TABLES_ACPI_SIZE, E820_ACPI };
    e[n++] = (struct e820_entry){ tb + TABLES_ACPI_SIZE,
                                  TABLES_SIZE - TABLES_ACPI_SIZE,
                                  E820_RESERVED };
    if (ram_size > TABLES_MMIO_START) /* not reached: -m stops at 3 GiB */
        e[n++] = (struct e820_entry){ TABLES_MMIO_START,
                                      ram_size - TABLES_MMIO_START,
                                      E820_RESERVED };
    e[n++] = (struct e820_entry){ BIOS_ROM_ALIAS, BIOS_ROM_SIZE,
                                  E820_RESERVED };
    return n;
}

uint8_t tables_checksum(const uint8_t *p, size_t n)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum = (uint8_t)(sum + p[i]);
    return (uint8_t)-sum;
}

uint32_t tables_put(struct tables *t, bool acpi, const void *p, size_t n,
                    unsigned align)
{
    uint32_t *next = acpi ? &t->acpi_next : &t->rsv_next;
    uint32_t end = acpi ? t->acpi_end : t->rsv_end;
    uint32_t at = (*next + align - 1) & ~(uint32_t)(align - 1);
    /* The tables are the board's, a few KiB: they always fit. */
    J_ASSERT(at <= end && n <= end - at);
    phys_write(t->b->mem, at, p, n);
    *next = at + (uint32_t)n;
    return at;
}

void tables_rom_put(struct bios *b, uint32_t off, const void *p, size_t n)
{
    if (b->rom && off <= BIOS_ROM_SIZE && n <= BIOS_ROM_SIZE - off)
        memcpy(b->rom + off, p, n);
}

void tables_acpi_header(uint8_t *p, const char *sig, uint32_t len,
                        uint8_t rev)
{
    memset(p, 0, ACPI_HEADER_SIZE);
    memcpy(p, sig, 4);
    stl_le_p(p + 4, len);
    p[8] = rev;
    memcpy(p + 10, "JET86 ", 6);   /* OEM ID */
    memcpy(p + 16, "JET86PC ", 8); /* OEM table ID */
    stl_le_p(p + 24, 1);           /* OEM revision */
    memcpy(p + 28, "JT86", 4);     /* creator ID */
    stl_le_p(p + 32, 1);           /* creator revision */
}

void tables_acpi_finish(uint8_t *p, uint32_t len)
{
    stl_le_p(p + 4, len);
    p[9] = 0;
    p[9] = tables_checksum(p, len);
}

void bios_tables_build(struct bios *b)
{
    uint32_t base = tables_base(b->ram_size);
    struct tables t = {
        .b = b,
        .acpi_next = base,
        .acpi_end = base + TABLES_ACPI_SIZE,
        .rsv_next = base + TABLES_ACPI_SIZE,
        .rsv_end = base + TABLES_SIZE,
    };
    static const uint8_t zeros[256];
    for (uint32_t a = base; a < base + TABLES_SIZE; a += sizeof(zeros))
        phys_write(b->mem, a, zeros, sizeof(zeros));
    acpi_build(&t);
    mptable_build(&t);
    smbios_build(&t);
}
