/*
 * test_bios.c - unit tests of the BIOS services in host C (bios/bios.c,
 * post.c, services.c, int13.c): what the POST leaves in the IVT, the BDA
 * and the EBDA, and the trap as the ROM's stubs make it (the service
 * number, the caller's BP and the interrupt frame on the stack): results
 * in the registers and in the frame's FLAGS, the caller's BP kept, the
 * wait status, INT 15h E820 walking the map, INT 13h reading a sector
 * from an image and refusing what it should, INT 18h's frame rewrite.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/block.h"
#include "bios/bios.h"
#include "bios/rom.h"
#include "softmmu/ldst.h"
#include "tests/unit/unit.h"

#define RAM_SIZE (2u << 20)
#define STACK 0x7000u

static struct memory_map map;
static struct io_map io;
static uint8_t *ram;
static struct bios bios;

static void setup(void)
{
    memory_map_init(&map);
    io_map_init(&io);
    ram = calloc(1, RAM_SIZE);
    mem_add_ram(&map, "ram", 0, RAM_SIZE, ram);
    bios_init(&bios, &map, &io, RAM_SIZE);
    bios_post(&bios);
}

static void teardown(void)
{
    memory_map_destroy(&map);
    io_map_destroy(&io);
    free(ram);
}

/* A trap of service svc with the stack as the stub leaves it; the
 * caller's BP 0x1234 and FLAGS 0x0202 (IF). Returns the status. */
static int trap(enum bios_service svc, struct bios_regs *r)
{
    r->ss = 0;
    r->esp = STACK;
    r->ebp = 0xabcd0000u | 1; /* the live BP: the stub's, overwritten */
    stw_le_p(ram + STACK, (uint16_t)svc);
    stw_le_p(ram + STACK + 2, 0x1234);
    stw_le_p(ram + STACK + 4, 0x0100); /* IP */
    stw_le_p(ram + STACK + 6, 0x2000); /* CS */
    stw_le_p(ram + STACK + 8, 0x0202); /* FLAGS */
    bios_trap(&bios, r);
    ck_assert_uint_eq(lduw_le_p(ram + STACK + 2), 0x1234);
    ck_assert_uint_eq(r->ebp >> 16, 0xabcd);
    return (uint16_t)r->ebp;
}

static uint16_t frame_flags(void)
{
    return lduw_le_p(ram + STACK + 8);
}

START_TEST(test_post)
{
    /* IVT: services at their stubs, the rest at the IRET */
    ck_assert_uint_eq(lduw_le_p(ram + 0x13 * 4),
                      BIOS_STUB_BASE + BIOS_SVC_INT13 * BIOS_STUB_SIZE);
    ck_assert_uint_eq(lduw_le_p(ram + 0x13 * 4 + 2), 0xf000);
    ck_assert_uint_eq(lduw_le_p(ram + 0x08 * 4),
                      BIOS_STUB_BASE + BIOS_SVC_IRQ0 * BIOS_STUB_SIZE);
    ck_assert_uint_eq(lduw_le_p(ram + 0x75 * 4),
                      BIOS_STUB_BASE + BIOS_SVC_IRQ_SLAVE * BIOS_STUB_SIZE);
    ck_assert_uint_eq(lduw_le_p(ram + 0x00 * 4), BIOS_IRET_OFFSET);
    ck_assert_uint_eq(lduw_le_p(ram + 0x1c * 4), BIOS_IRET_OFFSET);
    ck_assert_uint_eq(lduw_le_p(ram + 0x1e * 4), BIOS_DPT_OFFSET);
    /* BDA: memory, EBDA, no COM port answering, x87 + 80x25 colour */
    ck_assert_uint_eq(lduw_le_p(ram + 0x413), 639);
    ck_assert_uint_eq(lduw_le_p(ram + 0x40e), 0x9fc0);
    ck_assert_uint_eq(lduw_le_p(ram + 0x400), 0);
    ck_assert_uint_eq(lduw_le_p(ram + 0x410), 0x0022);
    ck_assert_uint_eq(ram[0x449], 3);
    ck_assert_uint_eq(lduw_le_p(ram + 0x41a), 0x1e);
    ck_assert_uint_eq(lduw_le_p(ram + 0x41c), 0x1e);
    /* EBDA: its size in KiB */
    ck_assert_uint_eq(lduw_le_p(ram + 0x9fc00), 1);
}
END_TEST

/* The 8042 the POST programs: a stand-in that records what reaches its
 * two ports (status 0x14: system flag, input buffer empty). */
static uint8_t kbc_cmd, kbc_data;
static int kbc_writes;

static uint64_t kbc_read(void *opaque, struct mem_attrs attrs,
                         uint64_t offset, unsigned size)
{
    (void)opaque, (void)attrs, (void)size;
    return offset == 4 ? 0x14 : 0x00;
}

static void kbc_write(void *opaque, struct mem_attrs attrs, uint64_t offset,
                      uint64_t value, unsigned size)
{
    (void)opaque, (void)attrs, (void)size;
    if (offset == 4) {
        kbc_cmd = (uint8_t)value;
    } else if (kbc_cmd == 0x60) {
        kbc_data = (uint8_t)value;
        kbc_writes++;
    }
}

static const struct mem_ops kbc_ops = { .read = kbc_read, .write = kbc_write };

/* The command byte PC BIOSes leave: keyboard interrupt, system flag and
 * set 2 to set 1 translation on (INT 09h reads set 1). */
START_TEST(test_post_kbc)
{
    struct io_region *r = io_register(&io, "kbc", 0x60, 5, &kbc_ops, NULL);
    kbc_writes = 0;
    bios_post(&bios);
    ck_assert_int_eq(kbc_writes, 1);
    ck_assert_uint_eq(kbc_data, 0x45);
    io_unregister(&io, r);
}
END_TEST

START_TEST(test_int12_int11)
{
    struct bios_regs r = { .eax = 0xffff1200u };
    ck_assert_int_eq(trap(BIOS_SVC_INT12, &r), BIOS_STATUS_DONE);
    ck_assert_uint_eq(r.eax, 0xffff0000u | 639);
    r = (struct bios_regs){ 0 };
    trap(BIOS_SVC_INT11, &r);
    ck_assert_uint_eq(r.eax, 0x0022);
}
END_TEST

START_TEST(test_e820)
{
    struct bios_regs r = { 0 };
    uint64_t ram_total = 0;
    int n = 0;
    do {
        r.eax = 0xe820;
        r.edx = 0x534d4150;
        r.ecx = 24;
        r.es = 0x100;
        r.edi = 0x10;
        trap(BIOS_SVC_INT15, &r);
        ck_assert_uint_eq(frame_flags() & BIOS_FLAG_CF, 0);
        ck_assert_uint_eq(r.eax, 0x534d4150);
        ck_assert_uint_eq(r.ecx, 20);
        uint8_t *e = ram + 0x1010;
        if (ldl_le_p(e + 16) == E820_RAM)
            ram_total += ldq_le_p(e + 8);
        n++;
    } while (r.ebx != 0 && n < 20);
    ck_assert_int_eq(n, 7); /* + the ACPI and the other tables */
    ck_assert_uint_eq(ram_total, 0x9fc00 + (RAM_SIZE - 0x110000));
    /* past the end: CF */
    r.eax = 0xe820;
    r.edx = 0x534d4150;
    r.ebx = 7;
    r.ecx = 20;
    trap(BIOS_SVC_INT15, &r);
    ck_assert_uint_eq(frame_flags() & BIOS_FLAG_CF, BIOS_FLAG_CF);
}
END_TEST

START_TEST(test_int16_wait_and_keys)
{
    struct bios_regs r = { .eax = 0x0000 };
    ck_assert_int_eq(trap(BIOS_SVC_INT16, &r), BIOS_STATUS_WAIT);
    r.eax = 0x0100;
    ck_assert_int_eq(trap(BIOS_SVC_INT16, &r), BIOS_STATUS_DONE);
    ck_assert_uint_eq(frame_flags() & BIOS_FLAG_ZF, BIOS_FLAG_ZF);
    r.eax = 0x0500;
    r.ecx = 0x1e61;
    trap(BIOS_SVC_INT16, &r);
    ck_assert_uint_eq(r.eax & 0xff, 0);
    r.eax = 0x0100;
    trap(BIOS_SVC_INT16, &r);
    ck_assert_uint_eq(frame_flags() & BIOS_FLAG_ZF, 0);
    ck_assert_uint_eq(r.eax & 0xffff, 0x1e61);
    r.eax = 0x0000;
    ck_assert_int_eq(trap(BIOS_SVC_INT16, &r), BIOS_STATUS_DONE);
    ck_assert_uint_eq(r.eax & 0xffff, 0x1e61);
}
END_TEST

START_TEST(test_int13_read)
{
    char path[] = "/tmp/test_bios.XXXXXX";
    int fd = mkstemp(path);
    uint8_t sec[512];
    for (int i = 0; i < 2048; i++) {
        memset(sec, i & 0xff, sizeof(sec));
        ck_assert_int_eq(write(fd, sec, sizeof(sec)), 512);
    }
    close(fd);
    char err[256];
    const char *why;
    struct block *blk = block_open(path, false, true, err, sizeof(err));
    ck_assert_ptr_nonnull(blk);
    ck_assert(disk_drive_init(&bios.drives[0], blk, DISK_HD, 0x80, &why));
    bios.n_drives = 1;
    bios_post(&bios); /* the BDA's hard disk count */

    /* AH=02h: 2 sectors at C0 H1 S1 = LBA 63 to 0800:0000 */
    struct bios_regs r = { .eax = 0x0202, .ecx = 0x0001, .edx = 0x0180,
                           .es = 0x800, .ebx = 0 };
    trap(BIOS_SVC_INT13, &r);
    ck_assert_uint_eq(frame_flags() & BIOS_FLAG_CF, 0);
    ck_assert_uint_eq(r.eax & 0xffff, 0x0002);
    ck_assert_uint_eq(ram[0x8000], 63);
    ck_assert_uint_eq(ram[0x8000 + 511], 63);
    ck_assert_uint_eq(ram[0x8000 + 512], 64);
    /* a sector 0: an error, in AH and CF and then AH=01h */
    r = (struct bios_regs){ .eax = 0x0201, .ecx = 0x0000, .edx = 0x0080 };
    trap(BIOS_SVC_INT13, &r);
    ck_assert_uint_eq(frame_flags() & BIOS_FLAG_CF, BIOS_FLAG_CF);
    ck_assert_uint_eq((r.eax >> 8) & 0xff, 0x04);
    r = (struct bios_regs){ .eax = 0x0100, .edx = 0x0080 };
    trap(BIOS_SVC_INT13, &r);
    ck_assert_uint_eq((r.eax >> 8) & 0xff, 0x04);
    /* no drive 81h */
    r = (struct bios_regs){ .eax = 0x0201, .ecx = 1, .edx = 0x0081 };
    trap(BIOS_SVC_INT13, &r);
    ck_assert_uint_eq(frame_flags() & BIOS_FLAG_CF, BIOS_FLAG_CF);
    /* AH=08h: 2 cylinders (2048 / 1008), the last kept back */
    r = (struct bios_regs){ .eax = 0x0800, .edx = 0x0080 };
    trap(BIOS_SVC_INT13, &r);
    ck_assert_uint_eq(r.ecx & 0xffff, 0x003f);
    ck_assert_uint_eq(r.edx & 0xffff, 0x0f01);

    block_close(blk);
    bios.n_drives = 0;
    unlink(path);
}
END_TEST

START_TEST(test_int18_frame)
{
    struct bios_regs r = { 0 };
    trap(BIOS_SVC_INT18, &r);
    ck_assert_uint_eq(lduw_le_p(ram + STACK + 4), BIOS_HALT_OFFSET);
    ck_assert_uint_eq(lduw_le_p(ram + STACK + 6), 0xf000);
    ck_assert_uint_eq(frame_flags() & BIOS_FLAG_IF, 0);
}
END_TEST

START_TEST(test_unknown_service)
{
    struct bios_regs r = { .eax = 0x1234 };
    ck_assert_int_eq(trap((enum bios_service)200, &r), BIOS_STATUS_DONE);
    ck_assert_uint_eq(r.eax, 0x1234);
    ck_assert_uint_eq(frame_flags(), 0x0202);
}
END_TEST

static Suite *bios_suite(void)
{
    Suite *s = suite_create("bios");
    TCase *tc = tcase_create("services");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_post);
    tcase_add_test(tc, test_post_kbc);
    tcase_add_test(tc, test_int12_int11);
    tcase_add_test(tc, test_e820);
    tcase_add_test(tc, test_int16_wait_and_keys);
    tcase_add_test(tc, test_int13_read);
    tcase_add_test(tc, test_int18_frame);
    tcase_add_test(tc, test_unknown_service);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(bios_suite)
