/*
 * smbios.c - the SMBIOS tables (DMTF DSP0134 2.4): the 2.x entry point
 * "_SM_" at F000:0140 and the structure table in the reserved table area:
 *
 *   type 0 BIOS, 1 system, 3 enclosure, 4 processor, 16 physical memory
 *   array, 17 memory device (one, all of RAM), 19 memory array mapped
 *   address, 32 system boot information, 127 end of table.
 * Each structure is its formatted part, then its strings, each ending
 * with a NUL, and one more NUL (two when there are no strings).
 */
#include <string.h>

#include "bios/tables.h"
#include "softmmu/ldst.h"

#define SMBIOS_MAX 2048

struct smbios_buf {
    uint8_t b[SMBIOS_MAX];
    uint32_t n;
    uint16_t count, handle;
    uint16_t max_size;
};

/* One structure: the formatted part (its first 4 bytes, type, length and
 * handle, are set here) and its strings (NULL-terminated list). */
static void smbios_add(struct smbios_buf *s, uint8_t *f, uint8_t len,
                       const char *const *strings)
{
    uint32_t start = s->n, need = len + 2;
    for (int i = 0; strings && strings[i]; i++)
        need += (uint32_t)strlen(strings[i]) + 1;
    if (s->n + need > SMBIOS_MAX)
        return;
    f[1] = len;
    stw_le_p(f + 2, s->handle++);
    memcpy(s->b + s->n, f, len);
    s->n += len;
    int n = 0;
    for (; strings && strings[n]; n++) {
        size_t l = strlen(strings[n]) + 1;
        memcpy(s->b + s->n, strings[n], l);
        s->n += (uint32_t)l;
    }
    if (n == 0)
        s->b[s->n++] = 0;
    s->b[s->n++] = 0;
    s->count++;
    if (s->n - start > s->max_size)
        s->max_size = (uint16_t)(s->n - start);
}

void smbios_build(struct tables *t)
{
    struct bios *b = t->b;
    static struct smbios_buf s;
    uint8_t f[64];
    uint64_t ram_kib = b->ram_size >> 10;

    memset(&s, 0, sizeof(s));

    /* type 0: vendor 1, version 2, segment F000, date 3, 64 KiB ROM,
     * characteristics: ISA (bit 4), PCI (7), selectable boot (16), EDD
     * (19); extension byte 1: ACPI; byte 2: targeted content
     * distribution. */
    memset(f, 0, sizeof(f));
    f[0] = 0;
    f[4] = 1, f[5] = 2;
    stw_le_p(f + 6, 0xf000);
    f[8] = 3;
    f[9] = 0; /* (n + 1) * 64 KiB */
    stq_le_p(f + 10, (1u << 4) | (1u << 7) | (1u << 16) | (1u << 19));
    f[18] = 0x01; /* ACPI supported */
    f[19] = 0x04; /* targeted content distribution */
    f[20] = 1, f[21] = 0;       /* BIOS release 1.0 */
    f[22] = 0xff, f[23] = 0xff; /* no embedded controller firmware */
    smbios_add(&s, f, 0x18,
               (const char *const[]){ "jet86", "jet86 BIOS", "11/26/2026",
                                      NULL });

    /* type 1 (2.4 length, with SKU and family): manufacturer, product,
     * version, no serial; UUID zero (not set), wake-up type power switch
     * (6). */
    memset(f, 0, sizeof(f));
    f[0] = 1;
    f[4] = 1, f[5] = 2, f[6] = 3, f[7] = 0;
    f[24] = 6;
    smbios_add(&s, f, 0x1b,
               (const char *const[]){ "jet86", "Standard PC (i440FX + PIIX)",
                                      "1.0", NULL });

    /* type 3: manufacturer, type 1 (other), states safe (3), security
     * unknown (2). */
    memset(f, 0, sizeof(f));
    f[0] = 3;
    f[4] = 1, f[5] = 0x01;
    f[9] = 3, f[10] = 3, f[11] = 3, f[12] = 2;
    smbios_add(&s, f, 0x15, (const char *const[]){ "jet86", NULL });

    /* type 4: socket 1, central processor (3), family other (1),
     * manufacturer 2, status: populated, enabled (41h), upgrade other,
     * no cache handles (FFFFh). */
    memset(f, 0, sizeof(f));
    f[0] = 4;
    f[4] = 1, f[5] = 3, f[6] = 1, f[7] = 2;
    stl_le_p(f + 8, 0x0600); /* processor ID: the CPUID signature */
    stw_le_p(f + 20, 2000);  /* max speed, MHz */
    stw_le_p(f + 22, 2000);  /* current speed */
    f[24] = 0x41;
    f[25] = 0x01;
    stw_le_p(f + 26, 0xffff);
    stw_le_p(f + 28, 0xffff);
    stw_le_p(f + 30, 0xffff);
    smbios_add(&s, f, 0x23, (const char *const[]){ "CPU 0", "jet86", NULL });

    /* type 16: system board (3), system memory (3), no ECC (3), maximum
     * capacity in KiB, no error information (FFFEh), one device. */
    uint16_t array = s.handle;
    memset(f, 0, sizeof(f));
    f[0] = 16;
    f[4] = 3, f[5] = 3, f[6] = 3;
    stl_le_p(f + 7, (uint32_t)ram_kib);
    stw_le_p(f + 11, 0xfffe);
    stw_le_p(f + 13, 1);
    smbios_add(&s, f, 0x0f, NULL);

    /* type 17: in array 16, size in MiB, DIMM (9), locator "DIMM 0", RAM
     * (7), type detail other (2). */
    memset(f, 0, sizeof(f));
    f[0] = 17;
    stw_le_p(f + 4, array);
    stw_le_p(f + 6, 0xfffe);
    stw_le_p(f + 8, 0xffff);
    stw_le_p(f + 10, 0xffff);
    stw_le_p(f + 12, (uint16_t)(b->ram_size >> 20));
    f[14] = 0x09;
    f[16] = 1; /* device locator: string 1 */
    f[18] = 0x07;
    stw_le_p(f + 19, 0x0002);
    smbios_add(&s, f, 0x1b, (const char *const[]){ "DIMM 0", NULL });

    /* type 19: RAM from 0 to its end in KiB, in array 16, one device
     * wide. */
    memset(f, 0, sizeof(f));
    f[0] = 19;
    stl_le_p(f + 4, 0);
    stl_le_p(f + 8, (uint32_t)(ram_kib - 1));
    stw_le_p(f + 12, array);
    f[14] = 1;
    smbios_add(&s, f, 0x0f, NULL);

    /* type 32: six reserved bytes, status 0 (no errors). */
    memset(f, 0, sizeof(f));
    f[0] = 32;
    smbios_add(&s, f, 0x0b, NULL);

    memset(f, 0, sizeof(f));
    f[0] = 127;
    smbios_add(&s, f, 4, NULL);

    uint32_t table = tables_put(t, false, s.b, s.n, 16);

    /* The entry point (DSP0134 2.4, 3.1.2), 31 bytes: anchor, checksum,
     * length, version 2.4, largest structure, revision 0, formatted area,
     * "_DMI_", intermediate checksum, table length and address, count,
     * BCD revision. */
    uint8_t ep[31] = { '_', 'S', 'M', '_' };
    ep[5] = 31;
    ep[6] = 2, ep[7] = 4;
    stw_le_p(ep + 8, s.max_size);
    memcpy(ep + 16, "_DMI_", 5);
    stw_le_p(ep + 22, (uint16_t)s.n);
    stl_le_p(ep + 24, table);
    stw_le_p(ep + 28, s.count);
    ep[30] = 0x24;
    ep[21] = tables_checksum(ep + 16, 15);
    ep[4] = tables_checksum(ep, 31);
    tables_rom_put(b, TABLES_SMBIOS_EP_OFFSET, ep, sizeof(ep));
}
