/*
 * test_clock.c - unit tests of the virtual clock and vtimers
 * (base/clock.c): icount time, ordering, the deadline hook, re-arming
 * from a callback, and the host-mode clock.
 */
#include <check.h>
#include <stdlib.h>

#include "base/clock.h"
#include "tests/unit/unit.h"

static struct vclock clk;
static uint64_t insns;
static char order[16];
static int n_order;
static int hook_calls;

static void record(void *opaque)
{
    if (n_order < (int)sizeof(order) - 1)
        order[n_order++] = *(const char *)opaque;
    order[n_order] = 0;
}

static void hook(void *opaque)
{
    (void)opaque;
    hook_calls++;
}

static void setup(void)
{
    insns = 0;
    vclock_init(&clk, true, 3, &insns); /* 8 ns per instruction */
    clk.deadline_changed = hook;
    n_order = 0;
    order[0] = 0;
    hook_calls = 0;
}

START_TEST(test_icount_now)
{
    ck_assert_int_eq(vclock_now(&clk), 0);
    insns = 1000;
    ck_assert_int_eq(vclock_now(&clk), 8000);
    ck_assert_int_eq(vclock_next_deadline(&clk), INT64_MAX);
    ck_assert_int_eq(vclock_insns_to_deadline(&clk), INT64_MAX);
}
END_TEST

START_TEST(test_sorted_and_fifo_on_ties)
{
    struct vtimer a, b, c, d;
    vtimer_init(&a, &clk, record, "a");
    vtimer_init(&b, &clk, record, "b");
    vtimer_init(&c, &clk, record, "c");
    vtimer_init(&d, &clk, record, "d");
    vtimer_mod(&a, 300);
    vtimer_mod(&b, 100);
    vtimer_mod(&c, 300);
    vtimer_mod(&d, 200);
    ck_assert_int_eq(vclock_next_deadline(&clk), 100);
    insns = 25; /* 200 ns */
    vclock_run_timers(&clk);
    ck_assert_str_eq(order, "bd");
    insns = 100;
    vclock_run_timers(&clk);
    ck_assert_str_eq(order, "bdac");
    ck_assert(!a.pending && !c.pending);
}
END_TEST

START_TEST(test_deadline_hook)
{
    struct vtimer a, b;
    vtimer_init(&a, &clk, record, "a");
    vtimer_init(&b, &clk, record, "b");
    vtimer_mod(&a, 500);
    ck_assert_int_eq(hook_calls, 1);
    vtimer_mod(&b, 700); /* later than the earliest: no call */
    ck_assert_int_eq(hook_calls, 1);
    vtimer_mod(&b, 400);
    ck_assert_int_eq(hook_calls, 2);
    vtimer_del(&b);
    ck_assert_int_eq(vclock_next_deadline(&clk), 500);
    vtimer_mod(&a, 900); /* moved later: no call */
    ck_assert_int_eq(hook_calls, 2);
}
END_TEST

START_TEST(test_insns_to_deadline)
{
    struct vtimer a;
    vtimer_init(&a, &clk, record, "a");
    insns = 10; /* 80 ns */
    vtimer_mod(&a, 100);
    /* 20 ns ahead at 8 ns an instruction: due after the 3rd. */
    ck_assert_int_eq(vclock_insns_to_deadline(&clk), 3);
    insns += 2;
    vclock_run_timers(&clk);
    ck_assert_int_eq(n_order, 0);
    insns += 1;
    vclock_run_timers(&clk);
    ck_assert_str_eq(order, "a");
    vtimer_mod(&a, 0); /* already due */
    ck_assert_int_eq(vclock_insns_to_deadline(&clk), 0);
}
END_TEST

static struct vtimer periodic;
static int fired;
static void periodic_cb(void *opaque)
{
    (void)opaque;
    fired++;
    vtimer_mod(&periodic, periodic.expire_ns + 1000);
}

START_TEST(test_rearm_in_callback)
{
    vtimer_init(&periodic, &clk, periodic_cb, NULL);
    vtimer_mod(&periodic, 1000);
    insns = 500; /* 4000 ns: four expiries fall due in one pass */
    vclock_run_timers(&clk);
    ck_assert_int_eq(fired, 4);
    ck_assert_int_eq(vclock_next_deadline(&clk), 5000);
    vtimer_del(&periodic);
    vtimer_del(&periodic); /* twice is harmless */
    ck_assert_int_eq(vclock_next_deadline(&clk), INT64_MAX);
}
END_TEST

START_TEST(test_host_mode)
{
    struct vclock h;
    vclock_init(&h, false, 0, NULL);
    int64_t t0 = vclock_now(&h);
    ck_assert(t0 >= 0);
    int64_t t1 = vclock_now(&h);
    ck_assert(t1 >= t0);
    ck_assert(host_clock_ns() > 0);
}
END_TEST

START_TEST(test_tick_conversions)
{
    /* Round trip of the PIT rate: a tick's ns maps back to the tick. */
    for (int64_t t = 0; t < 100000; t += 7)
        ck_assert_int_eq(ns_to_ticks(ticks_to_ns(t, 1193182), 1193182), t);
    ck_assert_int_eq(ns_to_ticks(NS_PER_SEC, 1193182), 1193182);
}
END_TEST

static Suite *timer_suite(void)
{
    Suite *s = suite_create("timer");
    TCase *tc = tcase_create("vclock");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_icount_now);
    tcase_add_test(tc, test_sorted_and_fifo_on_ties);
    tcase_add_test(tc, test_deadline_hook);
    tcase_add_test(tc, test_insns_to_deadline);
    tcase_add_test(tc, test_rearm_in_callback);
    tcase_add_test(tc, test_host_mode);
    tcase_add_test(tc, test_tick_conversions);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(timer_suite)
