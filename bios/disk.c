/*
 * disk.c - drive geometry and CHS arithmetic for INT 13h (bios/disk.h).
 */
#include "bios/disk.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The PC floppy formats (IBM PC/AT and PS/2 technical references):
 * size, tracks, heads, sectors per track, CMOS drive type. */
static const struct {
    uint32_t kib;
    uint8_t cyl, heads, spt, type;
} floppy_formats[] = {
    { 160, 40, 1, 8, 1 },  { 180, 40, 1, 9, 1 },  { 320, 40, 2, 8, 1 },
    { 360, 40, 2, 9, 1 },  { 720, 80, 2, 9, 3 },  { 1200, 80, 2, 15, 2 },
    { 1440, 80, 2, 18, 4 }, { 2880, 80, 2, 36, 5 },
};

bool disk_floppy_geometry(uint64_t size, struct disk_geometry *g,
                          uint8_t *type)
{
    for (unsigned i = 0; i < sizeof(floppy_formats) / sizeof(floppy_formats[0]);
         i++) {
        if (size == (uint64_t)floppy_formats[i].kib * 1024) {
            g->cylinders = floppy_formats[i].cyl;
            g->heads = floppy_formats[i].heads;
            g->sectors = floppy_formats[i].spt;
            *type = floppy_formats[i].type;
            return true;
        }
    }
    return false;
}

void disk_hd_geometry(uint64_t sectors, struct disk_geometry *g)
{
    g->sectors = 63;
    g->heads = 16;
    uint64_t cyl = sectors / (16 * 63);
    if (cyl > 1024) {
        g->heads = 255;
        cyl = sectors / (255 * 63);
    }
    if (cyl > 1024)
        cyl = 1024;
    if (cyl == 0)
        cyl = 1;
    g->cylinders = (uint32_t)cyl;
}

bool disk_chs_to_lba(const struct disk_geometry *g, uint32_t c, uint32_t h,
                     uint32_t s, uint64_t *lba)
{
    if (s == 0 || s > g->sectors || h >= g->heads || c >= g->cylinders)
        return false;
    *lba = ((uint64_t)c * g->heads + h) * g->sectors + (s - 1);
    return true;
}

/* An ISO 9660 image (its primary volume descriptor at block 16: type 1,
 * "CD001") names its own size in blocks (the volume space size, both-
 * endian at byte 80, ECMA-119 8.4.8): a file shorter than that was cut
 * off in a copy or a download, and a guest would read zeros or errors
 * where its boot loader and kernel should be. Images without the
 * descriptor (raw data CDs) are not checked. */
static bool cd_check_iso9660(const struct bios_drive *d, const char **err)
{
    static char msg[160];
    uint8_t pvd[96];

    if (d->sectors <= 16 ||
        block_read(d->blk, 16 * CD_SECTOR, pvd, sizeof(pvd)) != 0)
        return true;
    if (pvd[0] != 1 || memcmp(pvd + 1, "CD001", 5) != 0)
        return true;
    uint32_t blocks = (uint32_t)pvd[80] | (uint32_t)pvd[81] << 8 |
                      (uint32_t)pvd[82] << 16 | (uint32_t)pvd[83] << 24;
    if (blocks <= d->sectors)
        return true;
    snprintf(msg, sizeof(msg),
             "truncated ISO 9660 image: its volume has %" PRIu32
             " blocks of 2048 bytes, the file holds %" PRIu64,
             blocks, d->sectors);
    *err = msg;
    return false;
}

bool disk_drive_init(struct bios_drive *d, struct block *blk,
                     enum disk_kind kind, uint8_t number, const char **err)
{
    memset(d, 0, sizeof(*d));
    d->blk = blk;
    d->kind = kind;
    d->number = number;
    d->sector_size = kind == DISK_CDROM ? CD_SECTOR : DISK_SECTOR;
    d->sectors = blk->size / d->sector_size;
    switch (kind) {
    case DISK_FLOPPY:
        if (!disk_floppy_geometry(blk->size, &d->geo, &d->floppy_type)) {
            *err = "not a floppy image size (160K, 180K, 320K, 360K, 720K, "
                   "1.2M, 1.44M or 2.88M)";
            return false;
        }
        break;
    case DISK_HD:
        if (d->sectors == 0) {
            *err = "smaller than one 512-byte sector";
            return false;
        }
        disk_hd_geometry(d->sectors, &d->geo);
        break;
    case DISK_CDROM:
        if (d->sectors == 0) {
            *err = "empty: a CD image holds at least one 2048-byte block";
            return false;
        }
        if (!cd_check_iso9660(d, err))
            return false;
        break;
    }
    return true;
}
