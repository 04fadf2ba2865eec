/*
 * pc_cmos.c - the PC/AT CMOS layout the board writes into the RTC's RAM
 * (IBM PC/AT Technical Reference, "CMOS RAM address map", and the bytes
 * later BIOSes added), as QEMU's pc machine fills it and SeaBIOS reads it:
 *
 *   0x10       floppy drive types (high nibble A:, low B:; 0 none)
 *   0x12       fixed disk types (0 none)
 *   0x14       equipment byte: bit 0 floppies present, bits 7-6 their
 *              count - 1, bit 1 math coprocessor, bit 2 PS/2 mouse,
 *              bits 5-4 display (00: EGA/VGA, its own BIOS)
 *   0x15-0x16  base memory in KiB (640)
 *   0x17-0x18  extended memory above 1 MiB in KiB, at most 65535
 *   0x30-0x31  the same, as the POST found it
 *   0x32       century (BCD; the RTC keeps it)
 *   0x34-0x35  memory from 16 MiB up to 4 GiB, in 64 KiB units
 *   0x38       bits 7-4 third boot device, bit 0 set: skip the floppy
 *              boot signature check
 *   0x3D       bits 3-0 first boot device, 7-4 second (1 floppy, 2 hard
 *              disk, 3 CD-ROM, 4 network)
 *   0x5B-0x5D  memory above 4 GiB in 64 KiB units (24 bits)
 *   0x5F       CPUs - 1
 *
 * Bytes 0x10-0x2D are summed into the checksum at 0x2E-0x2F
 * (rtc_cmos_set keeps it).
 */
#include "frontend/pc_cmos.h"

#include <string.h>
#include <time.h>

#define KIB 1024ull
#define MIB (1024ull * KIB)
#define GIB (1024ull * MIB)

int64_t pc_cmos_rtc_base(const struct machine_config *cfg)
{
    if (cfg->rtc_base == RTC_BASE_DATE)
        return cfg->rtc_date;
    /* -icount: the same start every run (2000-01-01 00:00:00). */
    if (cfg->icount)
        return 946684800;
    time_t now = time(NULL);
    if (cfg->rtc_base == RTC_BASE_LOCALTIME) {
        struct tm tm;
        localtime_r(&now, &tm);
        return (int64_t)now + tm.tm_gmtoff;
    }
    return (int64_t)now;
}

static void cmos_set16(struct rtc_state *rtc, unsigned index, uint64_t v)
{
    rtc_cmos_set(rtc, index, (uint8_t)v);
    rtc_cmos_set(rtc, index + 1, (uint8_t)(v >> 8));
}

/* 1 floppy, 2 hard disk, 3 CD-ROM, 4 network, 0 none. */
static unsigned boot_code(char c)
{
    switch (c) {
    case 'a':
    case 'b': return 1;
    case 'c': return 2;
    case 'd': return 3;
    case 'n': return 4;
    default: return 0;
    }
}

void pc_cmos_init(struct rtc_state *rtc, const struct machine_config *cfg,
                  const char *boot)
{
    uint64_t below = cfg->ram_size < 4 * GIB ? cfg->ram_size : 4 * GIB;
    uint64_t above = cfg->ram_size - below;
    uint64_t ext = below / KIB - 1024;
    uint64_t high = below > 16 * MIB ? (below - 16 * MIB) / (64 * KIB) : 0;
    uint64_t over = above / (64 * KIB);

    rtc_cmos_set(rtc, 0x10, 0x00); /* no floppy drives */
    rtc_cmos_set(rtc, 0x12, 0x00); /* no fixed disks */
    rtc_cmos_set(rtc, 0x14, 0x02 | 0x04); /* FPU, PS/2 mouse, VGA */
    cmos_set16(rtc, 0x15, 640);
    cmos_set16(rtc, 0x17, ext > 0xffff ? 0xffff : ext);
    cmos_set16(rtc, 0x30, ext > 0xffff ? 0xffff : ext);
    cmos_set16(rtc, 0x34, high > 0xffff ? 0xffff : high);
    rtc_cmos_set(rtc, 0x5b, (uint8_t)over);
    rtc_cmos_set(rtc, 0x5c, (uint8_t)(over >> 8));
    rtc_cmos_set(rtc, 0x5d, (uint8_t)(over >> 16));
    rtc_cmos_set(rtc, 0x5f, 0); /* one CPU */

    size_t n = strlen(boot);
    unsigned b0 = n > 0 ? boot_code(boot[0]) : 0;
    unsigned b1 = n > 1 ? boot_code(boot[1]) : 0;
    unsigned b2 = n > 2 ? boot_code(boot[2]) : 0;
    rtc_cmos_set(rtc, 0x3d, (uint8_t)(b1 << 4 | b0));
    /* Bit 0 clear: check the floppy boot signature (QEMU's default). */
    rtc_cmos_set(rtc, 0x38, (uint8_t)(b2 << 4));
}

void pc_cmos_set_floppies(struct rtc_state *rtc, uint8_t a, uint8_t b)
{
    unsigned n = (a != 0) + (b != 0);
    uint8_t equip = (uint8_t)(rtc_cmos_get(rtc, 0x14) & 0x3e);
    if (n)
        equip |= (uint8_t)(0x01 | (n - 1) << 6);
    rtc_cmos_set(rtc, 0x10, (uint8_t)((a & 0x0f) << 4 | (b & 0x0f)));
    rtc_cmos_set(rtc, 0x14, equip);
}
