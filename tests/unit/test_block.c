/*
 * test_block.c - unit tests of the block layer (base/block.c): reads and
 * writes through to the file (a write is in the file as soon as
 * block_write returns), ranges outside the image refused, read-only
 * images refusing writes, the -snapshot overlay (writes seen by later
 * reads, the file untouched, partial sectors merged with the file's
 * bytes) and the open errors naming the file.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/block.h"
#include "tests/unit/unit.h"

#define IMG_SIZE (64 * 1024)

static char path[] = "/tmp/test_block.XXXXXX";
static char err[512];

/* A file of IMG_SIZE bytes, byte i = i * 7. */
static void setup(void)
{
    strcpy(path, "/tmp/test_block.XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    uint8_t *buf = malloc(IMG_SIZE);
    for (int i = 0; i < IMG_SIZE; i++)
        buf[i] = (uint8_t)(i * 7);
    ck_assert_int_eq(write(fd, buf, IMG_SIZE), IMG_SIZE);
    free(buf);
    close(fd);
}

static void teardown(void)
{
    unlink(path);
}

/* What the file holds at off, read without the block layer. */
static void file_bytes(uint64_t off, void *buf, size_t n)
{
    int fd = open(path, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(pread(fd, buf, n, (off_t)off), (ssize_t)n);
    close(fd);
}

START_TEST(test_read_write_through)
{
    struct block *b = block_open(path, false, false, err, sizeof(err));
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(b->size, IMG_SIZE);
    uint8_t buf[600];
    ck_assert_int_eq(block_read(b, 1000, buf, sizeof(buf)), 0);
    for (int i = 0; i < 600; i++)
        ck_assert_uint_eq(buf[i], (uint8_t)((1000 + i) * 7));
    memset(buf, 0xab, sizeof(buf));
    ck_assert_int_eq(block_write(b, 700, buf, sizeof(buf)), 0);
    /* in the file now, before any flush or close */
    uint8_t got[600];
    file_bytes(700, got, sizeof(got));
    ck_assert_mem_eq(got, buf, sizeof(buf));
    block_close(b);
}
END_TEST

START_TEST(test_ranges)
{
    struct block *b = block_open(path, false, false, err, sizeof(err));
    uint8_t buf[512];
    ck_assert_int_eq(block_read(b, IMG_SIZE - 512, buf, 512), 0);
    ck_assert_int_eq(block_read(b, IMG_SIZE - 511, buf, 512), -1);
    ck_assert_int_eq(block_read(b, (uint64_t)-512, buf, 512), -1);
    ck_assert_int_eq(block_write(b, IMG_SIZE, buf, 1), -1);
    ck_assert_int_eq(block_read(b, IMG_SIZE, buf, 0), 0);
    block_close(b);
}
END_TEST

START_TEST(test_readonly)
{
    struct block *b = block_open(path, true, false, err, sizeof(err));
    ck_assert_ptr_nonnull(b);
    uint8_t buf[16] = { 1 };
    ck_assert_int_eq(block_write(b, 0, buf, sizeof(buf)), -1);
    uint8_t got[16];
    file_bytes(0, got, sizeof(got));
    ck_assert_uint_eq(got[1], 7);
    block_close(b);
}
END_TEST

START_TEST(test_snapshot)
{
    struct block *b = block_open(path, false, true, err, sizeof(err));
    ck_assert_ptr_nonnull(b);
    uint8_t buf[1000], got[1200];
    memset(buf, 0x5a, sizeof(buf));
    /* 1000 bytes from 300: parts of sectors 0 and 2, all of sector 1 */
    ck_assert_int_eq(block_write(b, 300, buf, sizeof(buf)), 0);
    ck_assert_int_eq(block_read(b, 200, got, sizeof(got)), 0);
    for (int i = 0; i < 1200; i++) {
        int off = 200 + i;
        uint8_t want = (off >= 300 && off < 1300) ? 0x5a : (uint8_t)(off * 7);
        ck_assert_uint_eq(got[i], want);
    }
    /* the file is untouched */
    file_bytes(200, got, sizeof(got));
    for (int i = 0; i < 1200; i++)
        ck_assert_uint_eq(got[i], (uint8_t)((200 + i) * 7));
    block_close(b);
}
END_TEST

START_TEST(test_open_errors)
{
    ck_assert_ptr_null(
        block_open("/nonexistent/x.img", false, false, err, sizeof(err)));
    ck_assert_str_eq(err, "/nonexistent/x.img: No such file or directory");
    ck_assert_ptr_null(block_open("/tmp", true, false, err, sizeof(err)));
    ck_assert_str_eq(err, "/tmp: not a regular file");
}
END_TEST

static Suite *block_suite(void)
{
    Suite *s = suite_create("block");
    TCase *tc = tcase_create("block");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_read_write_through);
    tcase_add_test(tc, test_ranges);
    tcase_add_test(tc, test_readonly);
    tcase_add_test(tc, test_snapshot);
    tcase_add_test(tc, test_open_errors);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(block_suite)
