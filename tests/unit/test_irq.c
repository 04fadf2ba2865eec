/*
 * test_irq.c - unit tests of the interrupt lines (devices/irq.h): a plain
 * input, a fan-out to several sinks, a wired-OR of several drivers, and
 * the two combined as a PCI link reaches the PIC and the IOAPIC.
 */
#include <check.h>

#include "devices/irq.h"
#include "tests/unit/unit.h"

/* A sink that records what it was driven to. */
struct probe {
    struct irq in;
    int level;
    int sets;  /* irq_set calls */
    int rises; /* 0 -> 1 changes */
    int last_n;
};

static void probe_handler(void *opaque, int n, int level)
{
    struct probe *p = opaque;
    if (level && !p->level)
        p->rises++;
    p->level = level;
    p->sets++;
    p->last_n = n;
}

static void probe_init(struct probe *p, int n)
{
    *p = (struct probe){ 0 };
    irq_init(&p->in, probe_handler, p, n);
}

START_TEST(test_plain_line)
{
    struct probe p;
    probe_init(&p, 7);
    irq_raise(&p.in);
    ck_assert_int_eq(p.level, 1);
    ck_assert_int_eq(p.last_n, 7);
    irq_lower(&p.in);
    ck_assert_int_eq(p.level, 0);
    ck_assert_int_eq(p.sets, 2);
    /* A line to nowhere drops the level. */
    struct irq none = { 0 };
    irq_set(&none, 1);
    irq_set(NULL, 1);
}
END_TEST

START_TEST(test_fanout_drives_every_sink)
{
    struct irq_fanout f;
    struct probe pic, ioapic;
    probe_init(&pic, 4);
    probe_init(&ioapic, 4);
    irq_fanout_init(&f);
    irq_fanout_add(&f, &pic.in);
    irq_fanout_add(&f, &ioapic.in);

    irq_raise(&f.in);
    ck_assert_int_eq(pic.level, 1);
    ck_assert_int_eq(ioapic.level, 1);
    irq_lower(&f.in);
    ck_assert_int_eq(pic.level, 0);
    ck_assert_int_eq(ioapic.level, 0);
    ck_assert_int_eq(pic.rises, 1);
    ck_assert_int_eq(ioapic.rises, 1);
    /* Each sink keeps its own pin number. */
    ck_assert_int_eq(pic.last_n, 4);
    /* Every set is passed on, repeats included: a sink sees exactly what
     * it would see wired to the driver alone. */
    irq_lower(&f.in);
    ck_assert_int_eq(pic.sets, 3);
    ck_assert_int_eq(ioapic.sets, 3);
}
END_TEST

START_TEST(test_fanout_late_sink_sees_level)
{
    struct irq_fanout f;
    struct probe early, late, late_low;
    probe_init(&early, 0);
    probe_init(&late, 0);
    probe_init(&late_low, 0);
    irq_fanout_init(&f);
    irq_fanout_add(&f, &early.in);
    irq_raise(&f.in);
    /* A sink connected while the line is high is driven high at once. */
    irq_fanout_add(&f, &late.in);
    ck_assert_int_eq(late.level, 1);
    ck_assert_int_eq(late.sets, 1);
    irq_lower(&f.in);
    /* ... and one connected while it is low is left alone. */
    irq_fanout_add(&f, &late_low.in);
    ck_assert_int_eq(late_low.sets, 0);
    irq_raise(&f.in);
    ck_assert_int_eq(early.rises, 2);
    ck_assert_int_eq(late.rises, 2);
    ck_assert_int_eq(late_low.rises, 1);
}
END_TEST

START_TEST(test_fanout_without_sinks)
{
    struct irq_fanout f;
    irq_fanout_init(&f);
    irq_raise(&f.in);
    ck_assert_int_eq(f.level, 1);
}
END_TEST

START_TEST(test_wired_or)
{
    struct probe out;
    struct irq_or w;
    probe_init(&out, 11);
    irq_or_init(&w, &out.in);
    struct irq *a = irq_or_input(&w);
    struct irq *b = irq_or_input(&w);
    struct irq *c = irq_or_input(&w);

    irq_raise(a);
    ck_assert_int_eq(out.level, 1);
    ck_assert_int_eq(out.last_n, 11);
    /* A second driver asserting changes nothing at the far end. */
    irq_raise(b);
    ck_assert_int_eq(out.sets, 1);
    /* The line stays up while any driver holds it. */
    irq_lower(a);
    ck_assert_int_eq(out.level, 1);
    ck_assert_int_eq(out.sets, 1);
    /* A pulse of one driver under another's assertion is no edge. */
    irq_raise(c);
    irq_lower(c);
    ck_assert_int_eq(out.sets, 1);
    irq_lower(b);
    ck_assert_int_eq(out.level, 0);
    ck_assert_int_eq(out.sets, 2);
    /* A driver releasing a line it never asserted: nothing. */
    irq_lower(c);
    ck_assert_int_eq(out.sets, 2);
    irq_raise(c);
    ck_assert_int_eq(out.level, 1);
    ck_assert_int_eq(out.rises, 2);
}
END_TEST

START_TEST(test_wired_or_all_inputs)
{
    struct probe out;
    struct irq_or w;
    struct irq *in[IRQ_OR_MAX];
    probe_init(&out, 0);
    irq_or_init(&w, &out.in);
    for (int i = 0; i < IRQ_OR_MAX; i++)
        in[i] = irq_or_input(&w);
    /* The last input (bit 31) counts like the first. */
    irq_raise(in[IRQ_OR_MAX - 1]);
    ck_assert_int_eq(out.level, 1);
    irq_raise(in[0]);
    irq_lower(in[IRQ_OR_MAX - 1]);
    ck_assert_int_eq(out.level, 1);
    irq_lower(in[0]);
    ck_assert_int_eq(out.level, 0);
    ck_assert_int_eq(out.sets, 2);
}
END_TEST

START_TEST(test_wired_or_connected_late)
{
    struct probe out;
    struct irq_or w;
    probe_init(&out, 0);
    irq_or_init(&w, NULL);
    struct irq *a = irq_or_input(&w);
    irq_raise(a); /* no output yet: kept, not lost */
    irq_or_connect(&w, &out.in);
    ck_assert_int_eq(out.level, 1);
    irq_lower(a);
    ck_assert_int_eq(out.level, 0);
}
END_TEST

START_TEST(test_pci_link_to_pic_and_ioapic)
{
    /* Two PCI functions share INTA#; the link's level reaches both
     * interrupt controllers. */
    struct probe pic, ioapic;
    struct irq_fanout route;
    struct irq_or inta;
    probe_init(&pic, 11);
    probe_init(&ioapic, 19);
    irq_fanout_init(&route);
    irq_fanout_add(&route, &pic.in);
    irq_fanout_add(&route, &ioapic.in);
    irq_or_init(&inta, &route.in);
    struct irq *nic = irq_or_input(&inta);
    struct irq *disk = irq_or_input(&inta);

    irq_raise(nic);
    irq_raise(disk);
    ck_assert_int_eq(pic.level, 1);
    ck_assert_int_eq(ioapic.level, 1);
    ck_assert_int_eq(ioapic.last_n, 19);
    irq_lower(nic);
    ck_assert_int_eq(pic.level, 1);
    irq_lower(disk);
    ck_assert_int_eq(pic.level, 0);
    ck_assert_int_eq(ioapic.level, 0);
    ck_assert_int_eq(pic.rises, 1);
    ck_assert_int_eq(ioapic.rises, 1);
}
END_TEST

static Suite *irq_suite(void)
{
    Suite *s = suite_create("irq");
    TCase *tc = tcase_create("lines");
    tcase_add_test(tc, test_plain_line);
    tcase_add_test(tc, test_fanout_drives_every_sink);
    tcase_add_test(tc, test_fanout_late_sink_sees_level);
    tcase_add_test(tc, test_fanout_without_sinks);
    tcase_add_test(tc, test_wired_or);
    tcase_add_test(tc, test_wired_or_all_inputs);
    tcase_add_test(tc, test_wired_or_connected_late);
    tcase_add_test(tc, test_pci_link_to_pic_and_ioapic);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(irq_suite)
