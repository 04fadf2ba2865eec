/*
 * disk.h - the BIOS's view of a drive: its kind, INT 13h number and the
 * geometry INT 13h reports, computed from the image size as PC BIOSes
 * do (floppies by their standard formats, hard disks with a translated
 * geometry of 16 or 255 heads and 63 sectors per track), and the CHS to
 * LBA arithmetic. Pure functions of the numbers, unit-tested in
 * tests/unit/test_disk.c.
 */
#ifndef BIOS_DISK_H
#define BIOS_DISK_H

#include <stdbool.h>
#include <stdint.h>

#include "base/block.h"

#define BIOS_MAX_DRIVES 8
#define DISK_SECTOR 512u
#define CD_SECTOR 2048u

enum disk_kind { DISK_FLOPPY, DISK_HD, DISK_CDROM };

struct disk_geometry {
    uint32_t cylinders, heads, sectors; /* sectors per track */
};

struct bios_drive {
    struct block *blk;
    enum disk_kind kind;
    uint8_t number;         /* INT 13h DL: 0x00.. floppies, 0x80.. disks,
                               0xE0 the El Torito CD */
    uint8_t floppy_type;    /* CMOS drive type (4: 1.44M) for AH=08h */
    uint8_t status;         /* last INT 13h status (AH=01h) */
    struct disk_geometry geo;
    uint64_t sectors;       /* in the drive's sector size */
    uint32_t sector_size;   /* 512, 2048 for a CD */
    uint8_t unit;           /* IDE 0-3 (primary master...) or floppy 0-1 */
};

/* The floppy format of an image of size bytes (160K to 2.88M); false if
 * the size is none of them. type: the CMOS drive type it needs. */
bool disk_floppy_geometry(uint64_t size, struct disk_geometry *g,
                          uint8_t *type);
/* A hard disk's geometry as INT 13h AH=08h reports it: 63 sectors per
 * track, 16 heads while the cylinders fit 1024, else 255 (LBA-assisted
 * translation), cylinders capped at 1024. */
void disk_hd_geometry(uint64_t sectors, struct disk_geometry *g);
/* CHS (sector from 1) to LBA; false when outside the geometry. */
bool disk_chs_to_lba(const struct disk_geometry *g, uint32_t c, uint32_t h,
                     uint32_t s, uint64_t *lba);

/* Set up drive d over blk as kind with number; the geometry from the
 * image size. false (and a reason in err) if the size does not fit. */
bool disk_drive_init(struct bios_drive *d, struct block *blk,
                     enum disk_kind kind, uint8_t number, const char **err);

#endif
