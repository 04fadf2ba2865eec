/*
 * test_disk.c - unit tests of the BIOS's drive geometry (bios/disk.c):
 * every floppy format by image size, sizes that are no floppy, the
 * translated hard disk geometry (16 heads up to 504 MiB, then 255, the
 * 1024-cylinder cap) and CHS to LBA at the edges of the geometry.
 */
#include <check.h>

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

static Suite *disk_suite(void)
{
    Suite *s = suite_create("disk");
    TCase *tc = tcase_create("geometry");
    tcase_add_test(tc, test_floppy_formats);
    tcase_add_test(tc, test_hd_geometry);
    tcase_add_test(tc, test_chs_to_lba);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(disk_suite)
