/*
 * test_hpet.c - unit tests of the HPET (devices/hpet.c) on a virtual
 * clock in icount mode (1 ns per instruction) advanced by hand: the
 * capabilities, a counter that runs only while enabled (a tick per
 * 10 ns), a one-shot comparator, the periodic accumulator, level
 * interrupts and their status bit, 32-bit mode, and the legacy
 * replacement switch between the PIT/RTC and ISA lines 0 and 8.
 */
#include <check.h>
#include <stdlib.h>

#include "base/clock.h"
#include "devices/hpet.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"

static struct memory_map *mem;
static struct vclock clk;
static uint64_t insns;
static struct device_bus bus;
static struct hpet_state *hpet;

struct probe {
    struct irq in;
    int level, rises;
};
static struct probe line0, line8, pin2;
static struct irq *routes[24];

static void probe_handler(void *o, int n, int level)
{
    struct probe *p = o;
    (void)n;
    if (level && !p->level)
        p->rises++;
    p->level = level;
}
static void probe_init(struct probe *p)
{
    *p = (struct probe){ 0 };
    irq_init(&p->in, probe_handler, p, 0);
}

static void setup(void)
{
    mem = calloc(1, sizeof(*mem));
    memory_map_init(mem);
    insns = 0;
    vclock_init(&clk, true, 0, &insns);
    device_bus_init(&bus, mem, NULL, &clk);
    probe_init(&line0);
    probe_init(&line8);
    probe_init(&pin2);
    irq_fanout_add(&bus.isa_irq[0], &line0.in);
    irq_fanout_add(&bus.isa_irq[8], &line8.in);
    hpet = hpet_from_device(device_create_str(&bus, "hpet"));
    for (int i = 0; i < 24; i++)
        routes[i] = i == 2 ? &pin2.in : NULL;
    hpet_connect_routes(hpet, routes, 24);
}

static void teardown(void)
{
    device_bus_destroy(&bus);
    memory_map_destroy(mem);
    free(mem);
}

static void run_to(int64_t ns)
{
    while (vclock_next_deadline(&clk) <= ns) {
        int64_t d = vclock_next_deadline(&clk);
        if ((int64_t)insns < d)
            insns = (uint64_t)d;
        vclock_run_timers(&clk);
    }
    if ((int64_t)insns < ns)
        insns = (uint64_t)ns;
}

static uint32_t rd32(uint32_t off)
{
    const struct mem_section *s = mem_lookup(mem, 0xfed00000u + off);
    ck_assert_ptr_nonnull(s);
    return (uint32_t)mem_section_read(s, MEM_ATTRS_NONE, 0xfed00000u + off, 4);
}

#define T_CFG(n) (0x100u + 0x20u * (n))
#define T_CMP(n) (0x108u + 0x20u * (n))

START_TEST(test_capabilities)
{
    ck_assert_uint_eq(rd32(0), 0x8086a201u);
    ck_assert_uint_eq(rd32(4), 10000000u);
    ck_assert_uint_eq(hpet_read_reg(hpet, T_CFG(0)), 0x0000000400000030ull);
    ck_assert_uint_eq(hpet_read_reg(hpet, T_CMP(1)), ~0ull);
}
END_TEST

START_TEST(test_counter_runs_when_enabled)
{
    run_to(1000);
    ck_assert_uint_eq(hpet_read_reg(hpet, 0xf0), 0);
    hpet_write_reg(hpet, 0xf0, 500); /* halted: writable */
    hpet_write_reg(hpet, 0x10, 1);
    run_to(2000);
    ck_assert_uint_eq(hpet_read_reg(hpet, 0xf0), 600);
    hpet_write_reg(hpet, 0xf0, 0); /* running: ignored */
    ck_assert_uint_eq(hpet_read_reg(hpet, 0xf0), 600);
    hpet_write_reg(hpet, 0x10, 0);
    run_to(5000);
    ck_assert_uint_eq(hpet_read_reg(hpet, 0xf0), 600);
}
END_TEST

START_TEST(test_one_shot_edge)
{
    hpet_write_reg(hpet, T_CFG(2), (2u << 9) | (1u << 2));
    hpet_write_reg(hpet, T_CMP(2), 100);
    hpet_write_reg(hpet, 0x10, 1);
    run_to(999);
    ck_assert_int_eq(pin2.rises, 0);
    run_to(1000);
    ck_assert_int_eq(pin2.rises, 1);
    ck_assert_int_eq(pin2.level, 0); /* a pulse */
    ck_assert_uint_eq(hpet_read_reg(hpet, 0x20), 0);
    run_to(100000);
    ck_assert_int_eq(pin2.rises, 1);
    /* a route outside the capability is refused */
    hpet_write_reg(hpet, T_CFG(2), (7u << 9) | (1u << 2));
    ck_assert_uint_eq((hpet_read_reg(hpet, T_CFG(2)) >> 9) & 0x1f, 2);
}
END_TEST

START_TEST(test_periodic_accumulator)
{
    hpet_write_reg(hpet, T_CFG(2), (2u << 9) | (1u << 2) | (1u << 3) | (1u << 6));
    hpet_write_reg(hpet, T_CMP(2), 50);  /* VAL_SET: comparator and period */
    hpet_write_reg(hpet, T_CMP(2), 200); /* period only */
    ck_assert_uint_eq(hpet_read_reg(hpet, T_CMP(2)), 50);
    hpet_write_reg(hpet, 0x10, 1);
    run_to(500);
    ck_assert_int_eq(pin2.rises, 1);
    ck_assert_uint_eq(hpet_read_reg(hpet, T_CMP(2)), 250);
    run_to(2500);
    ck_assert_int_eq(pin2.rises, 2);
    ck_assert_uint_eq(hpet_read_reg(hpet, T_CMP(2)), 450);
    run_to(2500 + 10 * 2000);
    ck_assert_int_eq(pin2.rises, 12);
    ck_assert_uint_eq(hpet_read_reg(hpet, T_CMP(2)), 2450);
}
END_TEST

START_TEST(test_level_status)
{
    hpet_write_reg(hpet, T_CFG(2), (2u << 9) | (1u << 2) | (1u << 1));
    hpet_write_reg(hpet, T_CMP(2), 10);
    hpet_write_reg(hpet, 0x10, 1);
    run_to(100);
    ck_assert_int_eq(pin2.level, 1);
    ck_assert_uint_eq(hpet_read_reg(hpet, 0x20), 4);
    hpet_write_reg(hpet, 0x20, 1); /* another timer's bit: nothing */
    ck_assert_int_eq(pin2.level, 1);
    hpet_write_reg(hpet, 0x20, 4);
    ck_assert_int_eq(pin2.level, 0);
    ck_assert_uint_eq(hpet_read_reg(hpet, 0x20), 0);
}
END_TEST

START_TEST(test_32bit_mode)
{
    hpet_write_reg(hpet, T_CFG(2), (2u << 9) | (1u << 2) | (1u << 8));
    hpet_write_reg(hpet, T_CMP(2), 0x100000005ull);
    ck_assert_uint_eq(hpet_read_reg(hpet, T_CMP(2)), 5);
    hpet_write_reg(hpet, 0xf0, 0xfffffff0ull);
    hpet_write_reg(hpet, 0x10, 1);
    /* matches at the low 32 bits' 5: 21 ticks on */
    run_to(209);
    ck_assert_int_eq(pin2.rises, 0);
    run_to(210);
    ck_assert_int_eq(pin2.rises, 1);
    ck_assert_uint_eq(hpet_read_reg(hpet, 0xf0), 0x100000005ull);
}
END_TEST

START_TEST(test_legacy_replacement)
{
    irq_raise(hpet_pit_in(hpet));
    ck_assert_int_eq(line0.level, 1);
    irq_raise(hpet_rtc_in(hpet));
    ck_assert_int_eq(line8.level, 1);
    hpet_write_reg(hpet, T_CFG(0), 1u << 2);
    hpet_write_reg(hpet, T_CMP(0), 30);
    hpet_write_reg(hpet, T_CFG(1), (1u << 2) | (1u << 1));
    hpet_write_reg(hpet, T_CMP(1), 40);
    hpet_write_reg(hpet, 0x10, 3);
    /* the PIT and the RTC are cut off */
    ck_assert_int_eq(line0.level, 0);
    ck_assert_int_eq(line8.level, 0);
    irq_lower(hpet_pit_in(hpet));
    irq_raise(hpet_pit_in(hpet));
    ck_assert_int_eq(line0.rises, 1);
    run_to(300);
    ck_assert_int_eq(line0.rises, 2); /* timer 0 */
    ck_assert_int_eq(pin2.rises, 0);
    run_to(400);
    ck_assert_int_eq(line8.level, 1); /* timer 1, level */
    hpet_write_reg(hpet, 0x20, 2);
    ck_assert_int_eq(line8.level, 0);
    /* off again: the PIT's and the RTC's levels come back */
    hpet_write_reg(hpet, 0x10, 1);
    ck_assert_int_eq(line0.level, 1);
    ck_assert_int_eq(line8.level, 1);
}
END_TEST

static Suite *hpet_suite(void)
{
    Suite *s = suite_create("hpet");
    TCase *tc = tcase_create("hpet");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_capabilities);
    tcase_add_test(tc, test_counter_runs_when_enabled);
    tcase_add_test(tc, test_one_shot_edge);
    tcase_add_test(tc, test_periodic_accumulator);
    tcase_add_test(tc, test_level_status);
    tcase_add_test(tc, test_32bit_mode);
    tcase_add_test(tc, test_legacy_replacement);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(hpet_suite)
