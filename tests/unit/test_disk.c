/*
 * test_disk.c - unit tests of the BIOS's drive geometry (bios/disk.c):
 * every floppy format by image size, sizes that are no floppy, the
 * translated hard disk geometry (16 heads up to 504 MiB, then 255, the
 * 1024-cylinder cap) and CHS to LBA at the edges of the geometry; CD
 * images refused when empty or shorter than their ISO 9660 volume.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/block.h"
#include "bios/disk.h"
#include "tests/unit/unit.h"

START_TEST(test_floppy_formats)
{
    static const struct {
        uint32_t kib, c, h, s, type;
    } f[] = {
        { 160, 40, 1, 8, 1 },   { 180, 40, 1, 9, 1 },
        { 320, 40, 2, 8, 1 },   { 360, 40, 2, 9, 1 },
        { 720, 80, 2, 9, 3 },   { 1200, 80, 2, 15, 2 },
        { 1440, 80, 2, 18, 4 }, { 2880, 80, 2, 36, 5 },
    };
    for (unsigned i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        struct disk_geometry g;
        uint8_t type;
        ck_assert(disk_floppy_geometry((uint64_t)f[i].kib * 1024, &g, &type));
        ck_assert_uint_eq(g.cylinders, f[i].c);
        ck_assert_uint_eq(g.heads, f[i].h);
        ck_assert_uint_eq(g.sectors, f[i].s);
        ck_assert_uint_eq(type, f[i].type);
        /* the sizes agree with the geometry */
        ck_assert_uint_eq((uint64_t)g.cylinders * g.heads * g.sectors * 512,
                          (uint64_t)f[i].kib * 1024);
    }
    struct disk_geometry g;
    uint8_t type;
    ck_assert(!disk_floppy_geometry(1474560 + 512, &g, &type));
    ck_assert(!disk_floppy_geometry(0, &g, &type));
    ck_assert(!disk_floppy_geometry(100 * 1024 * 1024, &g, &type));
}
END_TEST

START_TEST(test_hd_geometry)
{
    struct disk_geometry g;
    disk_hd_geometry(4032, &g); /* 2 MiB: 4 cylinders */
    ck_assert_uint_eq(g.cylinders, 4);
    ck_assert_uint_eq(g.heads, 16);
    ck_assert_uint_eq(g.sectors, 63);
    disk_hd_geometry(1024 * 16 * 63, &g); /* 504 MiB: still 16 heads */
    ck_assert_uint_eq(g.cylinders, 1024);
    ck_assert_uint_eq(g.heads, 16);
    disk_hd_geometry(1024 * 16 * 63 + 1008, &g); /* one more: 255 heads */
    ck_assert_uint_eq(g.heads, 255);
    ck_assert_uint_eq(g.cylinders, (1024u * 16 * 63 + 1008) / (255 * 63));
    disk_hd_geometry(100ull << 21, &g); /* 100 GiB: capped */
    ck_assert_uint_eq(g.cylinders, 1024);
    ck_assert_uint_eq(g.heads, 255);
    disk_hd_geometry(1, &g); /* smaller than a cylinder: one */
    ck_assert_uint_eq(g.cylinders, 1);
}
END_TEST

START_TEST(test_chs_to_lba)
{
    struct disk_geometry g = { .cylinders = 80, .heads = 2, .sectors = 18 };
    uint64_t lba;
    ck_assert(disk_chs_to_lba(&g, 0, 0, 1, &lba));
    ck_assert_uint_eq(lba, 0);
    ck_assert(disk_chs_to_lba(&g, 0, 1, 2, &lba));
    ck_assert_uint_eq(lba, 19);
    ck_assert(disk_chs_to_lba(&g, 79, 1, 18, &lba));
    ck_assert_uint_eq(lba, 2879);
    ck_assert(!disk_chs_to_lba(&g, 0, 0, 0, &lba));  /* sectors from 1 */
    ck_assert(!disk_chs_to_lba(&g, 0, 0, 19, &lba)); /* past the track */
    ck_assert(!disk_chs_to_lba(&g, 0, 2, 1, &lba));  /* no head 2 */
    ck_assert(!disk_chs_to_lba(&g, 80, 0, 1, &lba)); /* no cylinder 80 */
    struct disk_geometry h = { .cylinders = 1024, .heads = 255, .sectors = 63 };
    ck_assert(disk_chs_to_lba(&h, 1023, 254, 63, &lba));
    ck_assert_uint_eq(lba, 1024ull * 255 * 63 - 1);
}
END_TEST

/* A CD image file of `blocks` 2048-byte blocks; with a primary volume
 * descriptor at block 16 claiming `volume` blocks when volume > 0. */
static const char *cd_file(uint32_t blocks, uint32_t volume)
{
    static char path[] = "/tmp/jet86-test-cdXXXXXX";
    strcpy(path, "/tmp/jet86-test-cdXXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    static uint8_t blk[2048];
    for (uint32_t i = 0; i < blocks; i++) {
        memset(blk, 0, sizeof(blk));
        if (i == 16 && volume) {
            blk[0] = 1;
            memcpy(blk + 1, "CD001", 5);
            for (int k = 0; k < 4; k++) {
                blk[80 + k] = (uint8_t)(volume >> (8 * k));     /* LE */
                blk[87 - k] = (uint8_t)(volume >> (8 * k));     /* BE */
            }
        }
        ck_assert_int_eq(write(fd, blk, sizeof(blk)), (int)sizeof(blk));
    }
    close(fd);
    return path;
}

static bool cd_init(uint32_t blocks, uint32_t volume, const char **why)
{
    char err[256];
    const char *path = cd_file(blocks, volume);
    struct block *blk = block_open(path, true, false, err, sizeof(err));
    ck_assert_msg(blk != NULL, "%s", err);
    unlink(path);
    struct bios_drive d;
    *why = NULL;
    bool ok = disk_drive_init(&d, blk, DISK_CDROM, 0xe0, why);
    block_close(blk);
    return ok;
}

START_TEST(test_cd_images)
{
    const char *why;
    ck_assert(!cd_init(0, 0, &why));
    ck_assert_ptr_nonnull(strstr(why, "empty"));
    /* a whole ISO, and one with room to spare */
    ck_assert(cd_init(40, 40, &why));
    ck_assert(cd_init(50, 40, &why));
    /* cut off: the volume says 40 blocks, the file has 30 */
    ck_assert(!cd_init(30, 40, &why));
    ck_assert_str_eq(why, "truncated ISO 9660 image: its volume has 40 "
                          "blocks of 2048 bytes, the file holds 30");
    /* no descriptor: a raw data CD is not checked */
    ck_assert(cd_init(30, 0, &why));
    ck_assert(cd_init(3, 0, &why));
}
END_TEST

static Suite *disk_suite(void)
{
    Suite *s = suite_create("disk");
    TCase *tc = tcase_create("geometry");
    tcase_add_test(tc, test_floppy_formats);
    tcase_add_test(tc, test_hd_geometry);
    tcase_add_test(tc, test_chs_to_lba);
    tcase_add_test(tc, test_cd_images);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(disk_suite)
