/*
 * test_pit.c - unit tests of the 8254 (devices/pit.c) on a virtual clock in
 * icount mode (1 ns per instruction) advanced by hand, so every IRQ0 edge
 * has an exact expected time.
 */
#include <check.h>
#include <stdlib.h>

#include "devices/pic.h"
#include "devices/pit.h"
#include "base/clock.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"

static struct io_map *io;
static struct vclock clk;
static uint64_t insns;
static struct device_bus bus;
static struct device *pit_dev;
static struct pit_state *pit;
static struct irq irq0;

#define MAX_EDGES 64
static struct edge {
    int level;
    int64_t ns;
} edges[MAX_EDGES];
static int n_edges;

static void irq0_handler(void *opaque, int n, int level)
{
    (void)opaque;
    (void)n;
    if (n_edges < MAX_EDGES)
        edges[n_edges++] = (struct edge){ level, vclock_now(&clk) };
}

static void outb(uint16_t port, uint8_t v)
{
    io_write(io, MEM_ATTRS_NONE, port, v, 1);
}
static uint8_t inb(uint16_t port)
{
    return (uint8_t)io_read(io, MEM_ATTRS_NONE, port, 1);
}
/* A 16-bit count read as LSB then MSB (two reads in that order: C leaves
 * the order of the operands of | unspecified). */
static int inw_lsb_msb(uint16_t port)
{
    int lo = inb(port);
    int hi = inb(port);
    return lo | hi << 8;
}

/* Run the machine's clock to ns, firing each timer at its deadline as the
 * CPU loop does in icount mode. */
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

static int64_t tick_ns(int64_t tick) { return ticks_to_ns(tick, PIT_FREQ); }

static void setup(void)
{
    io = calloc(1, sizeof(*io));
    io_map_init(io);
    insns = 0;
    vclock_init(&clk, true, 0, &insns);
    irq_init(&irq0, irq0_handler, NULL, 0);
    device_bus_init(&bus, NULL, io, &clk);
    irq_fanout_add(&bus.isa_irq[0], &irq0);
    pit_dev = device_create_str(&bus, "isa-pit");
    pit = pit_from_device(pit_dev);
    n_edges = 0;
}

static void teardown(void)
{
    device_bus_destroy(&bus);
    free(io);
}

static void program(int ch, int mode, uint16_t count)
{
    outb(0x43, (uint8_t)(ch << 6 | 0x30 | mode << 1));
    outb(0x40 + ch, count & 0xff);
    outb(0x40 + ch, count >> 8);
}

START_TEST(test_mode2_period_exact)
{
    program(0, 2, 1193);
    n_edges = 0;
    run_to(tick_ns(3 * 1193) + 10);
    /* Low for the last clock of each period, high at the reload. */
    ck_assert_int_eq(n_edges, 6);
    for (int k = 0; k < 3; k++) {
        ck_assert_int_eq(edges[2 * k].level, 0);
        ck_assert_int_eq(edges[2 * k].ns, tick_ns(k * 1193 + 1192));
        ck_assert_int_eq(edges[2 * k + 1].level, 1);
        ck_assert_int_eq(edges[2 * k + 1].ns, tick_ns((k + 1) * 1193));
    }
}
END_TEST

START_TEST(test_mode2_started_later)
{
    run_to(123457);
    int64_t t0 = ns_to_ticks(123457, PIT_FREQ);
    program(0, 2, 100);
    n_edges = 0;
    run_to(tick_ns(t0 + 200));
    ck_assert_int_eq(n_edges, 4);
    ck_assert_int_eq(edges[0].ns, tick_ns(t0 + 99));
    ck_assert_int_eq(edges[1].ns, tick_ns(t0 + 100));
    ck_assert_int_eq(edges[3].ns, tick_ns(t0 + 200));
}
END_TEST

START_TEST(test_mode3_even_odd)
{
    program(0, 3, 100);
    n_edges = 0;
    run_to(tick_ns(200));
    ck_assert_int_eq(n_edges, 4);
    ck_assert_int_eq(edges[0].level, 0);
    ck_assert_int_eq(edges[0].ns, tick_ns(50));
    ck_assert_int_eq(edges[1].ns, tick_ns(100));
    ck_assert_int_eq(edges[2].ns, tick_ns(150));
    ck_assert_int_eq(edges[3].ns, tick_ns(200));

    /* Odd count: high (n+1)/2, low (n-1)/2. */
    int64_t t0 = ns_to_ticks(vclock_now(&clk), PIT_FREQ);
    program(0, 3, 101);
    n_edges = 0;
    run_to(tick_ns(t0 + 101));
    ck_assert_int_eq(n_edges, 2);
    ck_assert_int_eq(edges[0].ns, tick_ns(t0 + 51));
    ck_assert_int_eq(edges[1].ns, tick_ns(t0 + 101));
}
END_TEST

START_TEST(test_mode3_default_rate)
{
    /* Count 0 is 65536: the BIOS's 18.2 Hz. */
    program(0, 3, 0);
    n_edges = 0;
    run_to(NS_PER_SEC);
    int rising = 0;
    for (int i = 0; i < n_edges; i++)
        rising += edges[i].level;
    ck_assert_int_eq(rising, 18);
    ck_assert_int_eq(edges[1].ns, tick_ns(65536));
}
END_TEST

START_TEST(test_counter_latch)
{
    program(0, 2, 1000);
    run_to(tick_ns(300));
    outb(0x43, 0x00); /* latch counter 0 */
    run_to(tick_ns(450));
    outb(0x43, 0x00); /* ignored: the first latch is still unread */
    uint16_t v = inb(0x40);
    v |= inb(0x40) << 8;
    ck_assert_int_eq(v, 700);
    /* Live read after the latch was consumed. */
    v = inb(0x40);
    v |= inb(0x40) << 8;
    ck_assert_int_eq(v, 550);
}
END_TEST

START_TEST(test_read_back_status)
{
    outb(0x43, 0x34); /* ch0, LSB/MSB, mode 2, binary */
    outb(0x43, 0xe2); /* read-back status of counter 0 */
    /* OUT high, null count (no count written yet), control bits. */
    ck_assert_int_eq(inb(0x40), 0xc0 | 0x34);
    outb(0x40, 0x10);
    outb(0x40, 0x00);
    run_to(tick_ns(4));
    outb(0x43, 0xc2); /* count and status of counter 0 */
    ck_assert_int_eq(inb(0x40), 0x80 | 0x34); /* status first */
    ck_assert_int_eq(inb(0x40), 12);
    ck_assert_int_eq(inb(0x40), 0);
    /* Read-back of several counters; mode 0 output low. */
    outb(0x43, 0xb0); /* ch2, LSB/MSB, mode 0 */
    outb(0x43, 0xe8); /* status of counter 2 */
    ck_assert_int_eq(inb(0x42), 0x40 | 0x30);
}
END_TEST

START_TEST(test_lsb_msb_only)
{
    outb(0x43, 0x14); /* ch0, LSB only, mode 2 */
    outb(0x40, 200);
    run_to(tick_ns(50));
    ck_assert_int_eq(inb(0x40), 150);
    ck_assert_int_eq(inb(0x40), 150);
    outb(0x43, 0x24); /* MSB only, mode 2: count 0x0200 */
    outb(0x40, 0x02);
    int64_t t0 = ns_to_ticks(vclock_now(&clk), PIT_FREQ);
    run_to(tick_ns(t0 + 256));
    ck_assert_int_eq(inb(0x40), 0x01);
}
END_TEST

START_TEST(test_bcd)
{
    outb(0x43, 0x31); /* ch0, LSB/MSB, mode 0, BCD */
    outb(0x40, 0x00);
    outb(0x40, 0x10); /* 1000 decimal */
    run_to(tick_ns(250));
    ck_assert_int_eq(inb(0x40), 0x50);
    ck_assert_int_eq(inb(0x40), 0x07);
}
END_TEST

START_TEST(test_mode0_terminal_count)
{
    outb(0x43, 0x30);
    ck_assert_int_eq(n_edges, 1); /* OUT goes low on the control word */
    ck_assert_int_eq(edges[0].level, 0);
    outb(0x40, 0x20);
    run_to(tick_ns(10));
    outb(0x40, 0x00); /* count 32 from tick 10 */
    run_to(tick_ns(100));
    ck_assert_int_eq(n_edges, 2);
    ck_assert_int_eq(edges[1].level, 1);
    ck_assert_int_eq(edges[1].ns, tick_ns(42));
    /* It keeps counting down past zero and wraps. */
    ck_assert_int_eq(inw_lsb_msb(0x40), (65536 - 58) & 0xffff);
}
END_TEST

START_TEST(test_mode4_strobe)
{
    program(0, 4, 20);
    n_edges = 0;
    run_to(tick_ns(100));
    ck_assert_int_eq(n_edges, 2);
    ck_assert_int_eq(edges[0].level, 0);
    ck_assert_int_eq(edges[0].ns, tick_ns(20));
    ck_assert_int_eq(edges[1].ns, tick_ns(21));
}
END_TEST

START_TEST(test_new_count_at_period_end)
{
    program(0, 2, 100);
    run_to(tick_ns(30));
    outb(0x40, 50);
    outb(0x40, 0);
    n_edges = 0;
    run_to(tick_ns(200));
    /* The first period still lasts 100, then periods of 50. */
    ck_assert_int_eq(edges[0].ns, tick_ns(99));
    ck_assert_int_eq(edges[1].ns, tick_ns(100));
    ck_assert_int_eq(edges[2].ns, tick_ns(149));
    ck_assert_int_eq(edges[3].ns, tick_ns(150));
}
END_TEST

START_TEST(test_mode3_new_count_at_half_period)
{
    program(0, 3, 100);
    run_to(tick_ns(30));
    outb(0x40, 50);
    outb(0x40, 0);
    n_edges = 0;
    run_to(tick_ns(200));
    /* The high half of 100 ends at 50; the new count goes on with its low
     * half of 25, then periods of 50. */
    ck_assert_int_eq(edges[0].level, 0);
    ck_assert_int_eq(edges[0].ns, tick_ns(50));
    ck_assert_int_eq(edges[1].ns, tick_ns(75));
    ck_assert_int_eq(edges[2].ns, tick_ns(100));
    ck_assert_int_eq(edges[3].ns, tick_ns(125));
    /* Written in the low half: the low half completes first. */
    outb(0x40, 20);
    outb(0x40, 0);
    n_edges = 0;
    run_to(tick_ns(260));
    ck_assert_int_eq(edges[0].level, 1);
    ck_assert_int_eq(edges[0].ns, tick_ns(225));
    ck_assert_int_eq(edges[1].ns, tick_ns(235));
    ck_assert_int_eq(edges[2].ns, tick_ns(245));
}
END_TEST

START_TEST(test_mode1_retrigger_mode5_strobe)
{
    /* Mode 1: a second trigger restarts the one-shot. */
    program(2, 1, 40);
    outb(0x61, 0x01); /* trigger at tick 0 */
    run_to(tick_ns(30));
    outb(0x61, 0x00);
    outb(0x61, 0x01); /* retrigger at tick 30 */
    run_to(tick_ns(69));
    ck_assert_int_eq(pit_get_out(pit, 2), 0);
    run_to(tick_ns(70));
    ck_assert_int_eq(pit_get_out(pit, 2), 1);
    /* Mode 5: nothing until the gate rises, then one low clock at the
     * terminal count. */
    outb(0x61, 0x00);
    program(2, 5, 10);
    int64_t t0 = ns_to_ticks(vclock_now(&clk), PIT_FREQ);
    run_to(tick_ns(t0 + 50));
    ck_assert_int_eq(pit_get_out(pit, 2), 1);
    outb(0x61, 0x01); /* trigger at t0 + 50 */
    run_to(tick_ns(t0 + 59));
    ck_assert_int_eq(pit_get_out(pit, 2), 1);
    run_to(tick_ns(t0 + 60));
    ck_assert_int_eq(pit_get_out(pit, 2), 0);
    run_to(tick_ns(t0 + 61));
    ck_assert_int_eq(pit_get_out(pit, 2), 1);
}
END_TEST

START_TEST(test_read_back_two_counters)
{
    program(0, 2, 1000);
    program(1, 2, 500);
    run_to(tick_ns(100));
    outb(0x43, 0xd6); /* latch the counts of counters 0 and 1 */
    run_to(tick_ns(300));
    ck_assert_int_eq(inw_lsb_msb(0x40), 900);
    ck_assert_int_eq(inw_lsb_msb(0x41), 400);
    /* Mode 0 with the gate low holds the count (counter 2, port 0x61). */
    outb(0x61, 0x00);
    program(2, 0, 100);
    run_to(tick_ns(400));
    ck_assert_int_eq(inw_lsb_msb(0x42), 100);
    outb(0x61, 0x01);
    run_to(tick_ns(420));
    ck_assert_int_eq(inw_lsb_msb(0x42), 80);
}
END_TEST

static int64_t intr_rise_ns[8];
static int n_intr_rises, intr_now;
static void intr_handler(void *opaque, int n, int level)
{
    (void)opaque;
    (void)n;
    if (level && !intr_now && n_intr_rises < 8)
        intr_rise_ns[n_intr_rises++] = vclock_now(&clk);
    intr_now = level;
}

START_TEST(test_irq0_through_pic)
{
    /* The board's wiring: PIT channel 0 -> PIC line 0 -> INTR. */
    struct io_map *io2 = calloc(1, sizeof(*io2));
    struct device_bus bus2;
    io_map_init(io2);
    device_bus_init(&bus2, NULL, io2, &clk);
    struct irq intr;
    irq_init(&intr, intr_handler, NULL, 0);
    n_intr_rises = 0;
    intr_now = 0;
    struct pic_state *pic =
        pic_from_device(device_create_str(&bus2, "isa-pic"));
    pic_connect_intr(pic, &intr);
    for (int i = 0; i < ISA_NUM_IRQS; i++)
        irq_fanout_add(&bus2.isa_irq[i], pic_get_irq(pic, i));
    device_create_str(&bus2, "isa-pit");
    static const uint8_t icw[] = { 0x11, 0x20, 0x04, 0x01 };
    io_write(io2, MEM_ATTRS_NONE, 0x20, icw[0], 1);
    for (int i = 1; i < 4; i++)
        io_write(io2, MEM_ATTRS_NONE, 0x21, icw[i], 1);
    io_write(io2, MEM_ATTRS_NONE, 0x21, 0xfe, 1); /* only IRQ0 */
    io_write(io2, MEM_ATTRS_NONE, 0x43, 0x34, 1); /* mode 2, count 1000 */
    io_write(io2, MEM_ATTRS_NONE, 0x40, 1000 & 0xff, 1);
    io_write(io2, MEM_ATTRS_NONE, 0x40, 1000 >> 8, 1);
    run_to(tick_ns(2500));
    /* The one-clock low pulse ends at each reload: the request of 1000,
     * at its exact time; the one of 2000 merged with it, unacknowledged. */
    ck_assert_int_eq(n_intr_rises, 1);
    ck_assert_int_eq(intr_rise_ns[0], tick_ns(1000));
    ck_assert_int_eq(pic_intr_ack(pic), 0x20);
    io_write(io2, MEM_ATTRS_NONE, 0x20, 0x20, 1);
    ck_assert_int_eq(intr_now, 0);
    run_to(tick_ns(3000) - 1);
    ck_assert_int_eq(n_intr_rises, 1);
    run_to(tick_ns(3000));
    ck_assert_int_eq(n_intr_rises, 2);
    ck_assert_int_eq(intr_rise_ns[1], tick_ns(3000));
    /* Acknowledged in time, every period interrupts. */
    ck_assert_int_eq(pic_intr_ack(pic), 0x20);
    io_write(io2, MEM_ATTRS_NONE, 0x20, 0x20, 1);
    run_to(tick_ns(4000));
    ck_assert_int_eq(n_intr_rises, 3);
    ck_assert_int_eq(intr_rise_ns[2], tick_ns(4000));
    device_bus_destroy(&bus2);
    free(io2);
}
END_TEST

START_TEST(test_channel2_gate_port61)
{
    /* Mode 1 one-shot triggered through port 0x61 bit 0. */
    program(2, 1, 30);
    ck_assert_int_eq(inb(0x61) & 0x20, 0x20); /* armed, OUT high */
    run_to(tick_ns(5));
    outb(0x61, 0x01);
    ck_assert_int_eq(inb(0x61) & 0x21, 0x01); /* triggered: low */
    run_to(tick_ns(34));
    ck_assert_int_eq(inb(0x61) & 0x20, 0x00);
    run_to(tick_ns(35));
    ck_assert_int_eq(inb(0x61) & 0x20, 0x20);
    /* Mode 3 with the gate low holds OUT high; raising it reloads. */
    outb(0x61, 0x00);
    program(2, 3, 10);
    int64_t t0 = ns_to_ticks(vclock_now(&clk), PIT_FREQ);
    run_to(tick_ns(t0 + 7));
    ck_assert_int_eq(pit_get_out(pit, 2), 1);
    outb(0x61, 0x03);
    ck_assert_int_eq(inb(0x61) & 0x03, 0x03);
    run_to(tick_ns(t0 + 7 + 5));
    ck_assert_int_eq(pit_get_out(pit, 2), 0);
    /* Channel 2 never touches IRQ0. */
    ck_assert_int_eq(n_edges, 0);
}
END_TEST

START_TEST(test_late_timers_keep_every_edge)
{
    /* A coarse clock (2^10 ns per instruction) steps over the one-clock
     * low pulse of mode 2; both edges must still reach IRQ0. */
    vclock_init(&clk, true, 10, &insns);
    device_destroy(pit_dev);
    pit_dev = device_create_str(&bus, "isa-pit");
    pit = pit_from_device(pit_dev);
    program(0, 2, 5);
    n_edges = 0;
    for (int i = 0; i < 20; i++) {
        insns++;
        vclock_run_timers(&clk);
    }
    /* 20 * 1024 ns = 24.4 PIT clocks: OUT falls at 4, 9, 14, 19, 24 and
     * rises at 5, 10, 15, 20. */
    ck_assert_int_eq(n_edges, 9);
    for (int i = 0; i < 9; i++)
        ck_assert_int_eq(edges[i].level, i & 1);
}
END_TEST

static Suite *pit_suite(void)
{
    Suite *s = suite_create("pit");
    TCase *tc = tcase_create("8254");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_mode2_period_exact);
    tcase_add_test(tc, test_mode2_started_later);
    tcase_add_test(tc, test_mode3_even_odd);
    tcase_add_test(tc, test_mode3_default_rate);
    tcase_add_test(tc, test_counter_latch);
    tcase_add_test(tc, test_read_back_status);
    tcase_add_test(tc, test_lsb_msb_only);
    tcase_add_test(tc, test_bcd);
    tcase_add_test(tc, test_mode0_terminal_count);
    tcase_add_test(tc, test_mode4_strobe);
    tcase_add_test(tc, test_new_count_at_period_end);
    tcase_add_test(tc, test_mode3_new_count_at_half_period);
    tcase_add_test(tc, test_mode1_retrigger_mode5_strobe);
    tcase_add_test(tc, test_read_back_two_counters);
    tcase_add_test(tc, test_irq0_through_pic);
    tcase_add_test(tc, test_channel2_gate_port61);
    tcase_add_test(tc, test_late_timers_keep_every_edge);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(pit_suite)
