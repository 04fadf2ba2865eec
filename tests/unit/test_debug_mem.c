/*
 * test_debug_mem.c - guest memory as a debugger sees it
 * (translator/x86/debug_mem.c), which the gdb stub uses: linear-to-physical
 * translation through 32-bit page tables (4 KiB and 4 MiB pages) and PAE
 * ones (from the PDPTE registers), as the tables stand, without setting
 * accessed or dirty bits and without faulting; memory read and written
 * across a page boundary into two unrelated frames.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "translator/x86/cpu_access.h"

#define RAM_SIZE 0x1000000u /* 16 MiB */

static struct memory_map map;
static struct cpu cpu;
static uint8_t *ram;

static void put32(uint32_t pa, uint32_t v) { memcpy(ram + pa, &v, 4); }
static void put64(uint32_t pa, uint64_t v) { memcpy(ram + pa, &v, 8); }
static uint32_t get32(uint32_t pa)
{
    uint32_t v;
    memcpy(&v, ram + pa, 4);
    return v;
}

static void setup(void)
{
    memory_map_init(&map);
    ram = calloc(1, RAM_SIZE);
    mem_add_ram(&map, "ram", 0, RAM_SIZE, ram);
    memset(&cpu, 0, sizeof(cpu));
    cpu.mmu.mem = &map;
    cpu.a20_mask = ~(hwaddr)0;
    cpu.cr[0] = CR0_PE;
}

static void teardown(void)
{
    memory_map_destroy(&map);
    free(ram);
}

START_TEST(test_no_paging)
{
    uint64_t pa = 0;
    ck_assert(cpu_debug_phys_addr(&cpu, 0x123456, &pa));
    ck_assert_uint_eq(pa, 0x123456);
    cpu.a20_mask = ~(hwaddr)0x100000;
    ck_assert(cpu_debug_phys_addr(&cpu, 0x123456, &pa));
    ck_assert_uint_eq(pa, 0x023456);
}
END_TEST

/* 32-bit paging: 0x40000000 -> frame 0x300000 (PT at 0x2000), the next
 * page -> frame 0x500000, 0x80000000 a 4 MiB page at 0xc00000, 0xc0000000
 * not present. */
static void build_32bit(void)
{
    put32(0x1000 + (0x40000000u >> 22) * 4, 0x2000 | 0x7);
    put32(0x2000 + 0 * 4, 0x300000 | 0x5); /* P U, not accessed */
    put32(0x2000 + 1 * 4, 0x500000 | 0x1);
    put32(0x1000 + (0x80000000u >> 22) * 4, 0xc00000 | 0x80 | 0x3);
    cpu.cr[3] = 0x1000;
    cpu.cr[4] = 0x10; /* PSE */
    cpu.cr[0] = CR0_PE | 0x80000000u;
}

START_TEST(test_32bit_walk)
{
    uint64_t pa = 0;
    build_32bit();
    ck_assert(cpu_debug_phys_addr(&cpu, 0x40000abc, &pa));
    ck_assert_uint_eq(pa, 0x300abc);
    ck_assert(cpu_debug_phys_addr(&cpu, 0x40001004, &pa));
    ck_assert_uint_eq(pa, 0x500004);
    ck_assert(cpu_debug_phys_addr(&cpu, 0x80123456, &pa));
    ck_assert_uint_eq(pa, 0xd23456);
    ck_assert(!cpu_debug_phys_addr(&cpu, 0xc0000000, &pa));
    ck_assert(!cpu_debug_phys_addr(&cpu, 0x40002000, &pa));
    /* no accessed bits written by a debugger's look */
    ck_assert_uint_eq(get32(0x2000), 0x300000 | 0x5);
    ck_assert_uint_eq(get32(0x1000 + (0x40000000u >> 22) * 4), 0x2000 | 0x7);
}
END_TEST

START_TEST(test_rw_across_pages)
{
    build_32bit();
    uint8_t out[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, in[8] = { 0 };
    ck_assert(cpu_debug_memory_rw(&cpu, 0x40000ffc, out, 8, true));
    ck_assert_uint_eq(ram[0x300ffc], 1);
    ck_assert_uint_eq(ram[0x300fff], 4);
    ck_assert_uint_eq(ram[0x500000], 5);
    ck_assert_uint_eq(ram[0x500003], 8);
    ck_assert(cpu_debug_memory_rw(&cpu, 0x40000ffc, in, 8, false));
    ck_assert_mem_eq(in, out, 8);
    /* the second page unmapped: an error, the first page's part done */
    ck_assert(!cpu_debug_memory_rw(&cpu, 0x40001ffe, out, 4, false));
}
END_TEST

/* PAE: PDPT at 0x4000; 0x40000000 (PDPT entry 1) -> PD 0x5000; entry 0
 * -> PT 0x6000 -> frame 0x700000; PD entry 1 a 2 MiB page at 0xe00000. */
START_TEST(test_pae_walk)
{
    uint64_t pa = 0;
    put64(0x4000 + 1 * 8, 0x5000 | 0x1);
    cpu.pdpte[1] = 0x5000 | 0x1; /* as MOV CR3 loads them */
    put64(0x5000 + 0 * 8, 0x6000 | 0x3);
    put64(0x6000 + 3 * 8, 0x700000 | 0x1 | (1ull << 63)); /* XD set */
    put64(0x5000 + 1 * 8, 0xe00000 | 0x80 | 0x1);
    cpu.cr[3] = 0x4000;
    cpu.cr[4] = 0x20; /* PAE */
    cpu.cr[0] = CR0_PE | 0x80000000u;
    ck_assert(cpu_debug_phys_addr(&cpu, 0x40003123, &pa));
    ck_assert_uint_eq(pa, 0x700123);
    ck_assert(cpu_debug_phys_addr(&cpu, 0x40212345, &pa));
    ck_assert_uint_eq(pa, 0xe12345);
    ck_assert(!cpu_debug_phys_addr(&cpu, 0x40004000, &pa));
    ck_assert(!cpu_debug_phys_addr(&cpu, 0x00000000, &pa)); /* PDPTE 0 absent */
}
END_TEST

static Suite *debug_mem_suite(void)
{
    Suite *s = suite_create("debug_mem");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_no_paging);
    tcase_add_test(tc, test_32bit_walk);
    tcase_add_test(tc, test_rw_across_pages);
    tcase_add_test(tc, test_pae_walk);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(debug_mem_suite)
