/*
 * test_multiboot.c - unit tests of the Multiboot v1 loader (bios/multiboot.c):
 * ELF32 and a.out-kludge kernels built in memory and written to temporary
 * files, loaded into a memory map laid out like the board's; checks the
 * loaded bytes, the zeroed bss, the entry point, the information block,
 * the memory map, the modules, the boot parameters for the ROM stub, and
 * every error the loader reports.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bios/multiboot.h"
#include "bios/rom.h"
#include "softmmu/ldst.h"
#include "tests/unit/unit.h"

#define RAM_SIZE (8u << 20)

static struct memory_map map;
static uint8_t *ram;
static char dir[] = "/tmp/test_multiboot.XXXXXX";
static char err[512];

static void setup(void)
{
    memory_map_init(&map);
    ram = malloc(RAM_SIZE);
    memset(ram, 0xaa, RAM_SIZE); /* the loader must zero what it claims */
    mem_add_ram(&map, "low", 0, 0xa0000, ram);
    mem_add_ram(&map, "high", 0x100000, RAM_SIZE - 0x100000, ram + 0x100000);
    strcpy(dir, "/tmp/test_multiboot.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
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

/* ---- building images ---- */

struct image {
    uint8_t b[16384];
    size_t len;
};

static void put32(struct image *im, size_t off, uint32_t v)
{
    stl_le_p(im->b + off, v);
    if (off + 4 > im->len)
        im->len = off + 4;
}

static void put16(struct image *im, size_t off, uint16_t v)
{
    stw_le_p(im->b + off, v);
    if (off + 2 > im->len)
        im->len = off + 2;
}

static void mb_header(struct image *im, size_t off, uint32_t flags)
{
    put32(im, off, MULTIBOOT_HEADER_MAGIC);
    put32(im, off + 4, flags);
    put32(im, off + 8, 0u - MULTIBOOT_HEADER_MAGIC - flags);
}

/* An ELF32 i386 executable with one PT_LOAD covering the whole file
 * (code at offset 0x100), the Multiboot header at offset 0x80. */
static void elf_image(struct image *im, uint32_t vaddr, uint32_t paddr,
                      uint32_t entry, uint32_t memsz_extra)
{
    memset(im, 0, sizeof(*im));
    memcpy(im->b, "\177ELF", 4);
    im->b[4] = 1; /* ELFCLASS32 */
    im->b[5] = 1; /* little-endian */
    im->b[6] = 1;
    put16(im, 16, 2); /* ET_EXEC */
    put16(im, 18, 3); /* EM_386 */
    put32(im, 20, 1);
    put32(im, 24, entry);
    put32(im, 28, 52); /* e_phoff */
    put16(im, 40, 52);
    put16(im, 42, 32);
    put16(im, 44, 1);
    mb_header(im, 0x80, 0x3);
    for (int i = 0; i < 0x100; i++)
        im->b[0x100 + i] = (uint8_t)i;
    im->len = 0x200;
    put32(im, 52, 1); /* PT_LOAD */
    put32(im, 56, 0); /* p_offset */
    put32(im, 60, vaddr);
    put32(im, 64, paddr);
    put32(im, 68, 0x200); /* p_filesz */
    put32(im, 72, 0x200 + memsz_extra);
    put32(im, 76, 7);
    put32(im, 80, 0x1000);
}

static char *write_file(const char *name, const void *data, size_t len)
{
    static char paths[4][256];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, 256, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
    return p;
}

static int load(const char *kernel, const char *append, const char *mods,
                struct multiboot_result *res)
{
    struct multiboot_args a = { .kernel = kernel,
                                .append = append,
                                .modules = mods,
                                .ram_size = RAM_SIZE };
    return multiboot_load(&map, &a, res, err, sizeof(err));
}

static uint32_t rd32(uint32_t paddr) { return ldl_le_p(ram + paddr); }

/* ---- loading ---- */

START_TEST(test_elf)
{
    struct image im;
    struct multiboot_result res;
    elf_image(&im, 0x100000, 0x100000, 0x100100, 0x300);
    char *path = write_file("k.elf", im.b, im.len);

    ck_assert_int_eq(load(path, "console=ttyS0 x=1", NULL, &res), 0);
    ck_assert_uint_eq(res.entry, 0x100100);
    ck_assert_uint_eq(res.kernel_start, 0x100000);
    ck_assert_uint_eq(res.kernel_end, 0x100500);
    ck_assert_mem_eq(ram + 0x100000, im.b, 0x200);
    for (uint32_t a = 0x100200; a < 0x100500; a++)
        ck_assert_uint_eq(ram[a], 0); /* bss */
    ck_assert_uint_eq(ram[0x100500], 0xaa);

    /* the ROM stub's parameters */
    ck_assert_uint_eq(rd32(BOOT_PARAMS_ADDR + BOOT_PARAMS_OFF_MAGIC),
                      BOOT_PARAMS_MAGIC);
    ck_assert_uint_eq(rd32(BOOT_PARAMS_ADDR + BOOT_PARAMS_OFF_ENTRY), 0x100100);
    ck_assert_uint_eq(rd32(BOOT_PARAMS_ADDR + BOOT_PARAMS_OFF_MBI),
                      MULTIBOOT_INFO_ADDR);

    /* the information block (Multiboot 0.6.96, 3.3) */
    uint32_t mbi = res.mbi;
    ck_assert_uint_eq(mbi, MULTIBOOT_INFO_ADDR);
    ck_assert_uint_eq(rd32(mbi), MBI_MEM | MBI_BOOTDEV | MBI_CMDLINE |
                                     MBI_MODS | MBI_MMAP | MBI_LOADER_NAME);
    ck_assert_uint_eq(rd32(mbi + 4), 639);
    /* mem_upper: up to the BIOS's tables in the last 64 KiB */
    ck_assert_uint_eq(rd32(mbi + 8), (RAM_SIZE - 0x10000 - 0x100000) / 1024);
    char want[300];
    snprintf(want, sizeof(want), "%s console=ttyS0 x=1", path);
    ck_assert_str_eq((char *)ram + rd32(mbi + 16), want);
    ck_assert_uint_eq(rd32(mbi + 20), 0);
    ck_assert_str_eq((char *)ram + rd32(mbi + 64), "jet86");
    /* the strings live on the first page after the kernel */
    ck_assert_uint_eq(rd32(mbi + 16), 0x101000);

    /* the memory map */
    uint32_t len = rd32(mbi + 44), mm = rd32(mbi + 48);
    ck_assert_uint_eq(mm, MULTIBOOT_MMAP_ADDR);
    ck_assert_uint_eq(len, 7 * 24);
    static const struct {
        uint64_t base, len;
        uint32_t type;
    } want_map[] = {
        { 0, 0x9fc00, 1 },           { 0x9fc00, 0x400, 2 },
        { 0xf0000, 0x10000, 2 },     { 0x100000, RAM_SIZE - 0x110000, 1 },
        { RAM_SIZE - 0x10000, 0xc000, 3 }, /* the ACPI tables */
        { RAM_SIZE - 0x4000, 0x4000, 2 },  /* FACS, MP, SMBIOS */
        { 0xffff0000u, 0x10000, 2 },
    };
    for (int i = 0; i < 7; i++) {
        uint32_t e = mm + 24 * (uint32_t)i;
        ck_assert_uint_eq(rd32(e), 20);
        ck_assert_uint_eq(ldq_le_p(ram + e + 4), want_map[i].base);
        ck_assert_uint_eq(ldq_le_p(ram + e + 12), want_map[i].len);
        ck_assert_uint_eq(rd32(e + 20), want_map[i].type);
    }
}
END_TEST

START_TEST(test_elf_no_append)
{
    struct image im;
    struct multiboot_result res;
    elf_image(&im, 0x100000, 0x100000, 0x100100, 0);
    char *path = write_file("k.elf", im.b, im.len);
    ck_assert_int_eq(load(path, NULL, NULL, &res), 0);
    char want[300];
    snprintf(want, sizeof(want), "%s ", path); /* as QEMU passes it */
    ck_assert_str_eq((char *)ram + rd32(res.mbi + 16), want);
}
END_TEST

START_TEST(test_elf_virtual_entry)
{
    /* a higher-half kernel: linked at 0xC0100000, loaded at 1 MiB */
    struct image im;
    struct multiboot_result res;
    elf_image(&im, 0xc0100000u, 0x100000, 0xc0100110u, 0);
    ck_assert_int_eq(load(write_file("hh.elf", im.b, im.len), NULL, NULL, &res),
                     0);
    ck_assert_uint_eq(res.entry, 0x100110);
    ck_assert_mem_eq(ram + 0x100000, im.b, 0x200);
}
END_TEST

START_TEST(test_aout_kludge)
{
    struct image im;
    struct multiboot_result res;
    memset(&im, 0, sizeof(im));
    /* the header at file offset 8 describes an image loaded at 0x200000 */
    mb_header(&im, 8, 0x00010003);
    put32(&im, 20, 0x200008); /* header_addr */
    put32(&im, 24, 0x200000); /* load_addr */
    put32(&im, 28, 0x200100); /* load_end_addr */
    put32(&im, 32, 0x200180); /* bss_end_addr */
    put32(&im, 36, 0x200040); /* entry_addr */
    for (int i = 0x40; i < 0x140; i++)
        im.b[i] = (uint8_t)(i * 3);
    im.len = 0x140; /* bytes past load_end_addr are not loaded */
    ck_assert_int_eq(load(write_file("k.bin", im.b, im.len), NULL, NULL, &res),
                     0);
    ck_assert_uint_eq(res.entry, 0x200040);
    ck_assert_mem_eq(ram + 0x200000, im.b, 0x100);
    for (uint32_t a = 0x200100; a < 0x200180; a++)
        ck_assert_uint_eq(ram[a], 0);
    ck_assert_uint_eq(ram[0x200180], 0xaa);

    /* load_end_addr 0: the rest of the file */
    put32(&im, 28, 0);
    put32(&im, 32, 0);
    ck_assert_int_eq(load(write_file("k2.bin", im.b, im.len), NULL, NULL, &res),
                     0);
    ck_assert_mem_eq(ram + 0x200000, im.b, 0x140);
    ck_assert_uint_eq(res.kernel_end, 0x200140);
}
END_TEST

START_TEST(test_modules)
{
    struct image im;
    struct multiboot_result res;
    elf_image(&im, 0x100000, 0x100000, 0x100100, 0);
    char *k = write_file("k.elf", im.b, im.len);
    char *m1 = write_file("m1", "first module", 12);
    char *m2 = write_file("m,2", "second", 6);
    char spec[700], m2esc[300];
    /* a comma in a file name is written ",," */
    size_t j = 0;
    for (const char *p = m2; *p; p++) {
        m2esc[j++] = *p;
        if (*p == ',')
            m2esc[j++] = ',';
    }
    m2esc[j] = 0;
    snprintf(spec, sizeof(spec), "%s arg1 arg2,%s", m1, m2esc);
    ck_assert_int_eq(load(k, NULL, spec, &res), 0);

    uint32_t mbi = res.mbi;
    ck_assert_uint_eq(rd32(mbi + 20), 2);
    uint32_t list = rd32(mbi + 24);
    ck_assert_uint_eq(list, 0x101000);
    uint32_t s1 = rd32(list), e1 = rd32(list + 4);
    uint32_t s2 = rd32(list + 16), e2 = rd32(list + 20);
    ck_assert_uint_eq(s1 % 4096, 0);
    ck_assert_uint_eq(s2 % 4096, 0);
    ck_assert_uint_gt(s1, list);
    ck_assert_uint_ge(s2, e1);
    ck_assert_uint_eq(e1 - s1, 12);
    ck_assert_uint_eq(e2 - s2, 6);
    ck_assert_mem_eq(ram + s1, "first module", 12);
    ck_assert_mem_eq(ram + s2, "second", 6);
    char want[300];
    snprintf(want, sizeof(want), "%s arg1 arg2", m1);
    ck_assert_str_eq((char *)ram + rd32(list + 8), want);
    ck_assert_str_eq((char *)ram + rd32(list + 24), m2);
    ck_assert_uint_eq(rd32(list + 12), 0);
}
END_TEST

/* ---- errors: one clear line naming the file ---- */

static void expect_error(const char *path, const char *mods, const char *text)
{
    struct multiboot_result res;
    ck_assert_int_eq(load(path, NULL, mods, &res), -1);
    ck_assert_msg(strstr(err, text) != NULL, "error '%s' lacks '%s'", err,
                  text);
    ck_assert_ptr_null(strchr(err, '\n'));
}

START_TEST(test_errors_header)
{
    struct image im;
    memset(&im, 0, sizeof(im));
    im.len = 9000;
    expect_error(write_file("zero", im.b, im.len), NULL,
                 "not a Multiboot kernel");
    /* a header past the first 8 KiB is not looked at */
    mb_header(&im, 8192, 0x10003);
    expect_error(write_file("late", im.b, im.len), NULL,
                 "not a Multiboot kernel");
    /* a misaligned header neither */
    memset(&im, 0, sizeof(im));
    im.len = 64;
    mb_header(&im, 2, 3);
    expect_error(write_file("odd", im.b, im.len), NULL,
                 "not a Multiboot kernel");
    memset(&im, 0, sizeof(im));
    put32(&im, 0, MULTIBOOT_HEADER_MAGIC);
    put32(&im, 4, 3);
    put32(&im, 8, 0);
    im.len = 64;
    expect_error(write_file("sum", im.b, im.len), NULL,
                 "bad Multiboot header checksum");
    expect_error(write_file("empty", im.b, 0), NULL, "not a Multiboot kernel");
    char missing[300];
    snprintf(missing, sizeof(missing), "%s/nope", dir);
    expect_error(missing, NULL, "/nope: No such file or directory");
    expect_error(dir, NULL, "is a directory");
}
END_TEST

START_TEST(test_errors_elf)
{
    struct image im;
    elf_image(&im, 0x100000, 0x100000, 0x100100, 0);
    im.b[4] = 2;
    expect_error(write_file("e64", im.b, im.len), NULL, "64-bit ELF");
    elf_image(&im, 0x100000, 0x100000, 0x100100, 0);
    put16(&im, 18, 62);
    expect_error(write_file("x86_64", im.b, im.len), NULL,
                 "ELF machine 62 is not i386");
    elf_image(&im, 0x100000, 0x100000, 0x100100, 0);
    put16(&im, 16, 3);
    expect_error(write_file("dyn", im.b, im.len), NULL, "not an executable");
    elf_image(&im, 0x100000, 0x100000, 0x100100, 0);
    im.b[5] = 2;
    expect_error(write_file("be", im.b, im.len), NULL, "big-endian");
    elf_image(&im, 0x100000, 0x100000, 0x100100, 0);
    put32(&im, 28, 0x10000); /* program headers past the end */
    expect_error(write_file("ph", im.b, im.len), NULL,
                 "bad ELF program header table");
    elf_image(&im, 0x100000, 0x100000, 0x100100, 0);
    put32(&im, 56, 0x1000); /* segment data past the end */
    expect_error(write_file("seg", im.b, im.len), NULL, "outside the file");
    elf_image(&im, 0x100000, 0x100000, 0x100100, 0);
    put32(&im, 52, 4); /* no PT_LOAD */
    expect_error(write_file("noload", im.b, im.len), NULL,
                 "no loadable segment");
    elf_image(&im, 0x100000, 0x100000, 0x900000, 0);
    expect_error(write_file("entry", im.b, im.len), NULL,
                 "entry point 0x900000");
    /* outside RAM: above its end, in the 640K-1M hole, wrapping 4 GiB */
    elf_image(&im, 0x7fffc00, 0x7fffc00, 0x7fffd00, 0);
    expect_error(write_file("high", im.b, im.len), NULL, "outside RAM");
    elf_image(&im, 0xa0000, 0xa0000, 0xa0100, 0);
    expect_error(write_file("hole", im.b, im.len), NULL, "outside RAM");
    elf_image(&im, 0xffffff00u, 0xffffff00u, 0xffffff10u, 0);
    expect_error(write_file("wrap", im.b, im.len), NULL, "outside RAM");
    elf_image(&im, 0x100, 0x100, 0x110, 0); /* over the loader's own area */
    expect_error(write_file("low", im.b, im.len), NULL, "outside RAM");
}
END_TEST

START_TEST(test_errors_aout_and_modules)
{
    struct image im;
    memset(&im, 0, sizeof(im));
    mb_header(&im, 0, 0x00010000);
    put32(&im, 12, 0x200000);
    put32(&im, 16, 0x200010); /* load_addr above header_addr */
    put32(&im, 28, 0x200010);
    im.len = 64;
    expect_error(write_file("a1", im.b, im.len), NULL, "bad a.out kludge");
    put32(&im, 16, 0x200000);
    put32(&im, 20, 0x300000); /* load_end_addr past the file */
    expect_error(write_file("a2", im.b, im.len), NULL,
                 "beyond the end of the file");
    put32(&im, 20, 0);
    put32(&im, 28, 0x300000); /* entry outside the image */
    expect_error(write_file("a3", im.b, im.len), NULL,
                 "entry_addr 0x300000 outside");
    im.len = 20; /* header cut short */
    expect_error(write_file("a4", im.b, im.len), NULL,
                 "truncated Multiboot header");

    elf_image(&im, 0x100000, 0x100000, 0x100100, 0);
    char *k = write_file("k.elf", im.b, im.len);
    char mods[300];
    snprintf(mods, sizeof(mods), "%s/nomod arg", dir);
    expect_error(k, mods, "-initrd ");
    expect_error(k, mods, "/nomod': No such file or directory");
    /* an entry without a file name is named by its place in the list */
    expect_error(k, "", "-initrd \"\": module 1 has an empty file name");
    expect_error(k, ",x", "-initrd ,x: module 1 has an empty file name");
    snprintf(mods, sizeof(mods), "%s,", k);
    expect_error(k, mods, ",: module 2 has an empty file name");
    /* spaces before a name are part of it, and show in the message */
    expect_error(k, " x", "-initrd \" x\": module 1 ' x': No such file");
}
END_TEST

static Suite *multiboot_suite(void)
{
    Suite *s = suite_create("multiboot");
    TCase *tc = tcase_create("loader");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_elf);
    tcase_add_test(tc, test_elf_no_append);
    tcase_add_test(tc, test_elf_virtual_entry);
    tcase_add_test(tc, test_aout_kludge);
    tcase_add_test(tc, test_modules);
    tcase_add_test(tc, test_errors_header);
    tcase_add_test(tc, test_errors_elf);
    tcase_add_test(tc, test_errors_aout_and_modules);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(multiboot_suite)
