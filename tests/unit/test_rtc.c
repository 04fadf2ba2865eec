/*
 * test_rtc.c - unit tests of the MC146818 RTC and CMOS (devices/rtc.c) on
 * a virtual clock in icount mode (1 ns per instruction) advanced by hand:
 * the calendar, the time registers in BCD/binary and 12/24-hour modes,
 * SET, UIP, the periodic, alarm and update interrupts on IRQ 8 at their
 * exact times, the NVRAM checksum and the NMI mask bit.
 */
#include <check.h>
#include <stdlib.h>

#include "base/clock.h"
#include "devices/rtc.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"

static struct io_map *io;
static struct vclock clk;
static uint64_t insns;
static struct device_bus bus;
static struct device *dev;
static struct rtc_state *rtc;
static struct irq irq8;
static int irq_level, irq_rises;
static int64_t last_rise_ns;

static void irq8_handler(void *opaque, int n, int level)
{
    (void)opaque, (void)n;
    if (level && !irq_level) {
        irq_rises++;
        last_rise_ns = vclock_now(&clk);
    }
    irq_level = level;
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

static uint8_t rd(uint8_t reg)
{
    io_write(io, MEM_ATTRS_NONE, 0x70, reg, 1);
    return (uint8_t)io_read(io, MEM_ATTRS_NONE, 0x71, 1);
}

static void wr(uint8_t reg, uint8_t v)
{
    io_write(io, MEM_ATTRS_NONE, 0x70, reg, 1);
    io_write(io, MEM_ATTRS_NONE, 0x71, v, 1);
}

static void setup(void)
{
    io = calloc(1, sizeof(*io));
    io_map_init(io);
    insns = 0;
    vclock_init(&clk, true, 0, &insns);
    irq_init(&irq8, irq8_handler, NULL, 8);
    irq_level = irq_rises = 0;
    device_bus_init(&bus, NULL, io, &clk);
    irq_fanout_add(&bus.isa_irq[8], &irq8);
    dev = device_create_str(&bus, "mc146818rtc");
    rtc = rtc_from_device(dev);
    /* 2026-12-05 10:20:30 at virtual time 0 */
    rtc_set_base(rtc, rtc_days_from_civil(2026, 12, 5) * 86400 + 37230);
}

static void teardown(void)
{
    device_bus_destroy(&bus);
    io_map_destroy(io);
    free(io);
}

START_TEST(test_calendar)
{
    ck_assert_int_eq(rtc_days_from_civil(1970, 1, 1), 0);
    ck_assert_int_eq(rtc_days_from_civil(2000, 3, 1), 11017);
    ck_assert_int_eq(rtc_days_from_civil(1969, 12, 31), -1);
    for (int64_t d = -800000; d < 800000; d += 37) {
        int64_t y;
        unsigned m, dd;
        rtc_civil_from_days(d, &y, &m, &dd);
        ck_assert_int_eq(rtc_days_from_civil(y, m, dd), d);
    }
    int64_t y;
    unsigned m, d;
    rtc_civil_from_days(rtc_days_from_civil(2024, 2, 28) + 1, &y, &m, &d);
    ck_assert(y == 2024 && m == 2 && d == 29);
    rtc_civil_from_days(rtc_days_from_civil(2100, 2, 28) + 1, &y, &m, &d);
    ck_assert(y == 2100 && m == 3 && d == 1);
}
END_TEST

START_TEST(test_time_registers)
{
    /* BCD, 24 h at power-on */
    ck_assert_int_eq(rd(RTC_HOURS), 0x10);
    ck_assert_int_eq(rd(RTC_MINUTES), 0x20);
    ck_assert_int_eq(rd(RTC_SECONDS), 0x30);
    ck_assert_int_eq(rd(RTC_DAY_OF_WEEK), 7); /* Saturday */
    ck_assert_int_eq(rd(RTC_DAY_OF_MONTH), 0x05);
    ck_assert_int_eq(rd(RTC_MONTH), 0x12);
    ck_assert_int_eq(rd(RTC_YEAR), 0x26);
    ck_assert_int_eq(rd(RTC_CENTURY), 0x20);
    run_to(NS_PER_SEC * 90);
    ck_assert_int_eq(rd(RTC_MINUTES), 0x22);
    ck_assert_int_eq(rd(RTC_SECONDS), 0x00);
    /* binary, 12 h: 10 AM */
    wr(RTC_REG_B, RTC_B_DM);
    ck_assert_int_eq(rd(RTC_HOURS), 10);
    ck_assert_int_eq(rd(RTC_MINUTES), 22);
    /* 12 h binary: 23:xx is 11 PM */
    wr(RTC_HOURS, 0x80 | 11);
    ck_assert_int_eq(rd(RTC_HOURS), 0x80 | 11);
    wr(RTC_REG_B, RTC_B_DM | RTC_B_24H);
    ck_assert_int_eq(rd(RTC_HOURS), 23);
    ck_assert_int_eq(rtc_get_time(rtc) % 86400, 23 * 3600 + 22 * 60);
}
END_TEST

START_TEST(test_set_freezes)
{
    wr(RTC_REG_B, RTC_B_SET | RTC_B_24H | RTC_B_UIE);
    ck_assert_int_eq(rd(RTC_REG_B) & RTC_B_UIE, 0); /* SET clears UIE */
    run_to(NS_PER_SEC * 5);
    ck_assert_int_eq(rd(RTC_SECONDS), 0x30);
    ck_assert_int_eq(rd(RTC_REG_A) & RTC_A_UIP, 0);
    wr(RTC_SECONDS, 0x58);
    wr(RTC_REG_B, RTC_B_24H);
    /* the first update a second after SET is cleared */
    run_to(NS_PER_SEC * 6 - 1);
    ck_assert_int_eq(rd(RTC_SECONDS), 0x58);
    ck_assert_int_eq(rd(RTC_REG_A) & RTC_A_UIP, RTC_A_UIP);
    run_to(NS_PER_SEC * 6);
    ck_assert_int_eq(rd(RTC_SECONDS), 0x59);
    ck_assert_int_eq(rd(RTC_REG_A) & RTC_A_UIP, 0);
    ck_assert_int_eq(rd(RTC_REG_C), RTC_C_UF | RTC_C_PF); /* no IRQF */
    ck_assert_int_eq(rd(RTC_REG_C), 0);
}
END_TEST

START_TEST(test_periodic_irq)
{
    rd(RTC_REG_C);
    wr(RTC_REG_A, RTC_A_DV_32K | 0x0f); /* 2 Hz: every 16384 periods */
    run_to(1000);
    ck_assert_int_eq(irq_rises, 0);
    wr(RTC_REG_B, RTC_B_24H | RTC_B_PIE);
    ck_assert_int_eq(rd(RTC_REG_C), 0);
    run_to(NS_PER_SEC / 2 - 1);
    ck_assert_int_eq(irq_rises, 0);
    run_to(NS_PER_SEC);
    ck_assert_int_eq(irq_rises, 1);
    /* edges keep the divider's phase from power-on */
    ck_assert_int_eq(last_rise_ns, NS_PER_SEC / 2);
    ck_assert_int_eq(rd(RTC_REG_C), RTC_C_IRQF | RTC_C_PF | RTC_C_UF);
    ck_assert_int_eq(irq_level, 0);
    run_to(NS_PER_SEC + NS_PER_SEC / 2);
    ck_assert_int_eq(irq_rises, 2);
    /* 1024 Hz over one second: 1024 edges, each acknowledged */
    wr(RTC_REG_A, RTC_A_DV_32K | 0x06);
    rd(RTC_REG_C);
    int before = irq_rises;
    int64_t t0 = vclock_now(&clk);
    while (vclock_now(&clk) < t0 + NS_PER_SEC) {
        run_to(vclock_next_deadline(&clk));
        rd(RTC_REG_C);
    }
    ck_assert_int_ge(irq_rises - before, 1024);
    ck_assert_int_le(irq_rises - before, 1025);
}
END_TEST

START_TEST(test_alarm)
{
    wr(RTC_REG_A, RTC_A_DV_32K); /* no periodic rate */
    wr(RTC_SECONDS_ALARM, 0x33);
    wr(RTC_MINUTES_ALARM, 0x20);
    wr(RTC_HOURS_ALARM, 0xc0); /* any hour */
    rd(RTC_REG_C);
    wr(RTC_REG_B, RTC_B_24H | RTC_B_AIE);
    run_to(NS_PER_SEC * 10);
    ck_assert_int_eq(irq_rises, 1);
    ck_assert_int_eq(last_rise_ns, NS_PER_SEC * 3); /* 10:20:33 */
    ck_assert_int_eq(rd(RTC_REG_C), RTC_C_IRQF | RTC_C_AF | RTC_C_UF);
    /* flags without their enable: no interrupt; any minute now */
    wr(RTC_REG_B, RTC_B_24H);
    wr(RTC_MINUTES_ALARM, 0xc0);
    run_to(NS_PER_SEC * 70);
    ck_assert_int_eq(irq_rises, 1);
    ck_assert_int_eq(rd(RTC_REG_C), RTC_C_AF | RTC_C_UF);
    /* a reset clears the enables and flags, keeps the time */
    wr(RTC_REG_B, RTC_B_24H | RTC_B_UIE);
    run_to(NS_PER_SEC * 71);
    ck_assert_int_eq(irq_level, 1);
    device_reset(dev);
    ck_assert_int_eq(irq_level, 0);
    ck_assert_int_eq(rd(RTC_REG_B), RTC_B_24H);
    ck_assert_int_eq(rd(RTC_MINUTES), 0x21);
}
END_TEST

START_TEST(test_nvram)
{
    rtc_cmos_set(rtc, 0x15, 0x80);
    rtc_cmos_set(rtc, 0x16, 0x02);
    ck_assert_int_eq(rd(0x2e) << 8 | rd(0x2f), 0x82);
    wr(0x40, 0x5a);
    ck_assert_int_eq(rtc_cmos_get(rtc, 0x40), 0x5a);
    ck_assert(!rtc_nmi_masked(rtc));
    io_write(io, MEM_ATTRS_NONE, 0x70, 0x80 | 0x40, 1);
    ck_assert(rtc_nmi_masked(rtc));
    ck_assert_int_eq(io_read(io, MEM_ATTRS_NONE, 0x71, 1), 0x5a);
    ck_assert_int_eq(rd(RTC_REG_D), RTC_D_VRT);
    wr(RTC_REG_D, 0);
    ck_assert_int_eq(rd(RTC_REG_D), RTC_D_VRT);
}
END_TEST

static Suite *rtc_suite(void)
{
    Suite *s = suite_create("rtc");
    TCase *tc = tcase_create("rtc");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_calendar);
    tcase_add_test(tc, test_time_registers);
    tcase_add_test(tc, test_set_freezes);
    tcase_add_test(tc, test_periodic_irq);
    tcase_add_test(tc, test_alarm);
    tcase_add_test(tc, test_nvram);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(rtc_suite)
