/*
 * test_linux.c - unit tests of the Linux boot protocol loader
 * (bios/linux.c): bzImages built in memory and written to temporary files,
 * loaded into a memory map laid out like the board's; checks the kernel's
 * place, the zero page (the setup header copied, the loader's fields, the
 * E820 map, no VGA), the command line, the initrd's place under
 * initrd_addr_max and the top of RAM, the boot parameters for the ROM
 * stub, and the errors.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bios/linux.h"
#include "bios/rom.h"
#include "softmmu/ldst.h"
#include "tests/unit/unit.h"

#define RAM_SIZE (8u << 20)
#define SETUP_SECTS 2
#define KERNEL_OFF ((SETUP_SECTS + 1) * 512)
#define KERNEL_LEN 0x200u

static struct memory_map map;
static uint8_t *ram;
static char dir[] = "/tmp/test_linux.XXXXXX";
static char err[512];
static char path[256], initrd_path[256];
static uint8_t image[KERNEL_OFF + KERNEL_LEN];

static void setup(void)
{
    memory_map_init(&map);
    ram = malloc(RAM_SIZE);
    memset(ram, 0xaa, RAM_SIZE);
    mem_add_ram(&map, "low", 0, 0xa0000, ram);
    mem_add_ram(&map, "high", 0x100000, RAM_SIZE - 0x100000, ram + 0x100000);
    strcpy(dir, "/tmp/test_linux.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/bzImage", dir);
    snprintf(initrd_path, sizeof(initrd_path), "%s/initrd", dir);
    err[0] = 0;
}

static void teardown(void)
{
    char cmd[128];
    memory_map_destroy(&map);
    free(ram);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* A bzImage of protocol `version`: setup header, kernel bytes 0..255. */
static void make_image(uint16_t version, uint32_t initrd_max)
{
    memset(image, 0, sizeof(image));
    image[LINUX_HDR_SETUP_SECTS] = SETUP_SECTS;
    stl_le_p(image + LINUX_HDR_SYSSIZE, KERNEL_LEN / 16);
    stw_le_p(image + LINUX_HDR_BOOT_FLAG, 0xaa55);
    image[LINUX_HDR_JUMP] = 0xeb;
    image[LINUX_HDR_JUMP + 1] = 0x66; /* header up to 0x268 */
    memcpy(image + LINUX_HDR_MAGIC, "HdrS", 4);
    stw_le_p(image + LINUX_HDR_VERSION, version);
    image[LINUX_HDR_LOADFLAGS] = LINUX_LOADED_HIGH | LINUX_KEEP_SEGMENTS;
    stl_le_p(image + LINUX_HDR_CODE32_START, 0x100000);
    stl_le_p(image + LINUX_HDR_INITRD_ADDR_MAX, initrd_max);
    stl_le_p(image + LINUX_HDR_CMDLINE_SIZE, 64);
    image[0x267] = 0x5a; /* the header's last byte */
    for (unsigned i = 0; i < KERNEL_LEN; i++)
        image[KERNEL_OFF + i] = (uint8_t)i;
}

static void write_file(const char *p, const void *data, size_t len)
{
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

static int load(const char *append, const char *initrd, size_t image_len,
                struct linux_result *res)
{
    struct linux_args args = {
        .kernel = path,
        .append = append,
        .initrd = initrd,
        .ram_size = RAM_SIZE,
    };
    write_file(path, image, image_len);
    return linux_load(&map, &args, res, err, sizeof(err));
}

START_TEST(test_zero_page)
{
    struct linux_result res;
    static uint8_t rd[10000];
    memset(rd, 0x77, sizeof(rd));
    write_file(initrd_path, rd, sizeof(rd));
    make_image(0x020f, 0x7fffffff);
    ck_assert_int_eq(load("console=ttyS0", initrd_path, sizeof(image), &res),
                     0);
    /* kernel at 1 MiB */
    ck_assert_int_eq(memcmp(ram + 0x100000, image + KERNEL_OFF, KERNEL_LEN), 0);
    ck_assert_uint_eq(res.entry, 0x100000);
    ck_assert_uint_eq(res.zero_page, LINUX_ZERO_PAGE_ADDR);
    uint8_t *zp = ram + LINUX_ZERO_PAGE_ADDR;
    /* the header copied (up to its last byte), the rest zero */
    ck_assert_uint_eq(zp[0x267], 0x5a);
    ck_assert_uint_eq(zp[0x268], 0);
    ck_assert_uint_eq(zp[0], 0);
    ck_assert_int_eq(memcmp(zp + LINUX_HDR_MAGIC, "HdrS", 4), 0);
    ck_assert_uint_eq(zp[LINUX_HDR_TYPE_OF_LOADER], 0xff);
    ck_assert_uint_eq(zp[LINUX_HDR_LOADFLAGS], LINUX_LOADED_HIGH);
    ck_assert_uint_eq(zp[LINUX_BP_ORIG_VIDEO_ISVGA], 1);
    ck_assert_uint_eq(zp[LINUX_BP_ORIG_VIDEO_MODE], 3);
    ck_assert_uint_eq(zp[LINUX_BP_ORIG_VIDEO_COLS], 80);
    ck_assert_uint_eq(zp[LINUX_BP_ORIG_VIDEO_LINES], 25);
    ck_assert_uint_eq(lduw_le_p(zp + LINUX_BP_ORIG_VIDEO_POINTS), 16);
    ck_assert_uint_eq(lduw_le_p(zp + LINUX_BP_ORIG_VIDEO_EGA_BX) & 0xff, 3);
    ck_assert_uint_eq(ldl_le_p(zp + LINUX_BP_ALT_MEM_K), 7 * 1024);
    ck_assert_uint_eq(ldl_le_p(zp + LINUX_HDR_CMD_LINE_PTR),
                      LINUX_CMDLINE_ADDR);
    ck_assert_str_eq((char *)ram + LINUX_CMDLINE_ADDR, "console=ttyS0");
    /* the initrd: page-aligned at the top of RAM, below the BIOS's
     * tables in its last 64 KiB */
    uint32_t start = ldl_le_p(zp + LINUX_HDR_RAMDISK_IMAGE);
    ck_assert_uint_eq(start, (RAM_SIZE - 0x10000 - sizeof(rd)) & ~0xfffu);
    ck_assert_uint_eq(ldl_le_p(zp + LINUX_HDR_RAMDISK_SIZE), sizeof(rd));
    ck_assert_int_eq(memcmp(ram + start, rd, sizeof(rd)), 0);
    /* E820: low RAM, EBDA, ROM, high RAM, ACPI tables, other tables, ROM
     * alias */
    ck_assert_uint_eq(zp[LINUX_BP_E820_ENTRIES], 7);
    const uint8_t *e = zp + LINUX_BP_E820_TABLE;
    ck_assert_uint_eq(ldq_le_p(e + 8), 0x9fc00);
    ck_assert_uint_eq(ldl_le_p(e + 16), 1);
    ck_assert_uint_eq(ldq_le_p(e + 20), 0x9fc00);
    ck_assert_uint_eq(ldl_le_p(e + 36), 2);
    ck_assert_uint_eq(ldq_le_p(e + 40), 0xf0000);
    ck_assert_uint_eq(ldq_le_p(e + 60), 0x100000);
    ck_assert_uint_eq(ldq_le_p(e + 68), RAM_SIZE - 0x110000);
    ck_assert_uint_eq(ldl_le_p(e + 76), 1);
    ck_assert_uint_eq(ldq_le_p(e + 80), RAM_SIZE - 0x10000);
    ck_assert_uint_eq(ldq_le_p(e + 88), 0xc000);
    ck_assert_uint_eq(ldl_le_p(e + 96), 3);
    ck_assert_uint_eq(ldq_le_p(e + 100), RAM_SIZE - 0x4000);
    ck_assert_uint_eq(ldl_le_p(e + 116), 2);
    ck_assert_uint_eq(ldq_le_p(e + 120), 0xffff0000u);
    /* the ROM's hand-off */
    ck_assert_uint_eq(ldl_le_p(ram + BOOT_PARAMS_ADDR),
                      BOOT_PARAMS_LINUX_MAGIC);
    ck_assert_uint_eq(ldl_le_p(ram + BOOT_PARAMS_ADDR + 4), 0x100000);
    ck_assert_uint_eq(ldl_le_p(ram + BOOT_PARAMS_ADDR + 8),
                      LINUX_ZERO_PAGE_ADDR);
}
END_TEST

START_TEST(test_initrd_addr_max)
{
    struct linux_result res;
    static uint8_t rd[5000];
    write_file(initrd_path, rd, sizeof(rd));
    make_image(0x020f, 0x3fffff); /* initrd below 4 MiB */
    ck_assert_int_eq(load(NULL, initrd_path, sizeof(image), &res), 0);
    ck_assert_uint_eq(res.initrd_start, (0x400000 - sizeof(rd)) & ~0xfffu);
    ck_assert_str_eq((char *)ram + LINUX_CMDLINE_ADDR, "");
}
END_TEST

START_TEST(test_not_linux)
{
    struct linux_result res;
    make_image(0x020f, 0x7fffffff);
    memcpy(image + LINUX_HDR_MAGIC, "HdrX", 4);
    ck_assert_int_eq(load(NULL, NULL, sizeof(image), &res), 1);
    ck_assert_uint_eq(ram[BOOT_PARAMS_ADDR], 0xaa); /* nothing written */
}
END_TEST

START_TEST(test_errors)
{
    struct linux_result res;
    static uint8_t rd[0x300000];
    make_image(0x020f, 0x7fffffff);
    ck_assert_int_eq(load(NULL, NULL, sizeof(image) - 16, &res), -1);
    ck_assert_ptr_nonnull(strstr(err, "truncated bzImage"));
    ck_assert_ptr_nonnull(strstr(err, path));
    make_image(0x0201, 0x7fffffff);
    ck_assert_int_eq(load(NULL, NULL, sizeof(image), &res), -1);
    ck_assert_ptr_nonnull(strstr(err, "2.01 is older than 2.02"));
    make_image(0x020f, 0x7fffffff);
    image[LINUX_HDR_LOADFLAGS] = 0;
    ck_assert_int_eq(load(NULL, NULL, sizeof(image), &res), -1);
    ck_assert_ptr_nonnull(strstr(err, "zImage"));
    /* the command line is longer than cmdline_size */
    make_image(0x020f, 0x7fffffff);
    char longcmd[100];
    memset(longcmd, 'x', 99);
    longcmd[99] = 0;
    ck_assert_int_eq(load(longcmd, NULL, sizeof(image), &res), -1);
    ck_assert_ptr_nonnull(strstr(err, "longer than the 64"));
    /* an initrd that fits in RAM but not under initrd_addr_max */
    write_file(initrd_path, rd, sizeof(rd));
    make_image(0x020f, 0x3fffff);
    ck_assert_int_eq(load(NULL, initrd_path, sizeof(image), &res), -1);
    ck_assert_ptr_nonnull(strstr(err, "does not fit"));
    ck_assert_ptr_nonnull(strstr(err, initrd_path));
}
END_TEST

/* vga= as a boot loader reads it into vid_mode (svga.rst's IDs). */
START_TEST(test_vga_mode)
{
    ck_assert_uint_eq(linux_vga_mode(NULL), LINUX_VID_NORMAL);
    ck_assert_uint_eq(linux_vga_mode("console=ttyS0"), LINUX_VID_NORMAL);
    ck_assert_uint_eq(linux_vga_mode("vga=0x318"), 0x318);
    ck_assert_uint_eq(linux_vga_mode("quiet vga=791 ro"), 791);
    ck_assert_uint_eq(linux_vga_mode("vga=normal"), LINUX_VID_NORMAL);
    ck_assert_uint_eq(linux_vga_mode("a vga=ext"), LINUX_VID_EXT);
    ck_assert_uint_eq(linux_vga_mode("vga=ask"), LINUX_VID_ASK);
    /* the first vga= word only; part of another word is not one */
    ck_assert_uint_eq(linux_vga_mode("xvga=1 vga=0x317 vga=0x318"), 0x317);
    /* not a mode: the setup code would ask */
    ck_assert_uint_eq(linux_vga_mode("vga=big"), LINUX_VID_ASK);
    ck_assert_uint_eq(linux_vga_mode("vga=0x318x"), LINUX_VID_ASK);
    ck_assert_uint_eq(linux_vga_mode("vga=0x10000"), LINUX_VID_ASK);
}
END_TEST

static Suite *linux_suite(void)
{
    Suite *s = suite_create("linux");
    TCase *tc = tcase_create("load");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_zero_page);
    tcase_add_test(tc, test_initrd_addr_max);
    tcase_add_test(tc, test_not_linux);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_vga_mode);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(linux_suite)
