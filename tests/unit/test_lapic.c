/*
 * test_lapic.c - unit tests of the local APIC (devices/lapic.c) on a
 * memory map and a virtual clock in icount mode (1 ns per instruction)
 * advanced by hand: priorities (PPR, TPR class masking, acknowledge into
 * ISR, EOI highest first, the spurious vector), LINT0 as virtual wire
 * and pass-through when globally disabled, IA32_APIC_BASE moving and
 * unmapping the registers, the timer counting down (one-shot, periodic,
 * divider), the EOI of a level-triggered vector, and NMI delivery.
 */
#include <check.h>
#include <stdlib.h>

#include "base/clock.h"
#include "devices/lapic.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"

static struct memory_map *mem;
static struct vclock clk;
static uint64_t insns;
static struct device_bus bus;
static struct lapic_state *apic;
static struct irq intr;
static int intr_level, nmis, ext_acks, eois[8], n_eois;
static struct irq pic_out; /* stands in for the 8259A's INTR */

static void intr_handler(void *o, int n, int level)
{
    (void)o, (void)n;
    intr_level = level;
}
static void on_nmi(void *o) { (void)o; nmis++; }
static int on_ext_ack(void *o) { (void)o; ext_acks++; return 0x08; }
static void on_eoi(void *o, int v)
{
    (void)o;
    if (n_eois < 8)
        eois[n_eois++] = v;
}

static void setup(void)
{
    mem = calloc(1, sizeof(*mem));
    memory_map_init(mem);
    insns = 0;
    vclock_init(&clk, true, 0, &insns);
    device_bus_init(&bus, mem, NULL, &clk);
    apic = lapic_from_device(device_create_str(&bus, "lapic"));
    irq_init(&intr, intr_handler, NULL, 0);
    intr_level = nmis = ext_acks = n_eois = 0;
    lapic_connect_cpu(apic, &intr, on_nmi, NULL, on_ext_ack, NULL);
    lapic_connect_eoi(apic, on_eoi, NULL);
    pic_out = *lapic_lint(apic, 0);
}

static void teardown(void)
{
    device_bus_destroy(&bus);
    memory_map_destroy(mem);
    free(mem);
}

static uint32_t rd(uint32_t off)
{
    const struct mem_section *s = mem_lookup(mem, 0xfee00000u + off);
    ck_assert_ptr_nonnull(s);
    return (uint32_t)mem_section_read(s, MEM_ATTRS_NONE, 0xfee00000u + off, 4);
}
static void wr(uint32_t off, uint32_t v)
{
    const struct mem_section *s = mem_lookup(mem, 0xfee00000u + off);
    ck_assert_ptr_nonnull(s);
    mem_section_write(s, MEM_ATTRS_NONE, 0xfee00000u + off, v, 4);
}

static void sw_enable(void) { wr(0xf0, 0x1ff); }
static void self_ipi(int v) { wr(0x300, 0x40000u | (uint32_t)v); }

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

START_TEST(test_reset_state)
{
    ck_assert_uint_eq(rd(0x30), 0x00050014u);
    ck_assert_uint_eq(rd(0x20), 0);
    ck_assert_uint_eq(rd(0xf0), 0xff);
    ck_assert_uint_eq(rd(0xe0), 0xffffffffu);
    for (uint32_t off = 0x320; off <= 0x370; off += 0x10)
        ck_assert_uint_eq(rd(off), 0x10000);
    /* software disabled: the masks cannot be cleared */
    wr(0x350, 0x700);
    ck_assert_uint_eq(rd(0x350), 0x10700);
    sw_enable();
    wr(0x350, 0x700);
    ck_assert_uint_eq(rd(0x350), 0x700);
    /* disabling again masks every entry */
    wr(0xf0, 0xff);
    ck_assert_uint_eq(rd(0x350), 0x10700);
}
END_TEST

START_TEST(test_priority_and_ack)
{
    sw_enable();
    self_ipi(0x41);
    ck_assert_int_eq(intr_level, 1);
    ck_assert_uint_eq(rd(0x200 + 0x20), 1u << 1); /* IRR bit 0x41 */
    ck_assert_int_eq(lapic_intr_ack(apic), 0x41);
    ck_assert_int_eq(intr_level, 0);
    ck_assert_uint_eq(rd(0x120), 1u << 1);        /* ISR bit 0x41 */
    ck_assert_uint_eq(rd(0xa0), 0x40);            /* PPR: ISR class */
    /* same class is held off by the one in service, a higher one not */
    self_ipi(0x45);
    ck_assert_int_eq(intr_level, 0);
    self_ipi(0x51);
    ck_assert_int_eq(intr_level, 1);
    ck_assert_int_eq(lapic_intr_ack(apic), 0x51);
    /* EOI ends the highest in service first */
    wr(0xb0, 0);
    ck_assert_uint_eq(rd(0x120), 1u << 1);
    ck_assert_int_eq(intr_level, 0); /* 0x45 still below PPR 0x40's class */
    wr(0xb0, 0);
    ck_assert_int_eq(intr_level, 1);
    ck_assert_int_eq(lapic_intr_ack(apic), 0x45);
    wr(0xb0, 0);
    ck_assert_int_eq(n_eois, 0); /* edge vectors: no EOI message */
}
END_TEST

START_TEST(test_tpr_masks_by_class)
{
    sw_enable();
    wr(0x80, 0x50);
    ck_assert_uint_eq(rd(0xa0), 0x50);
    self_ipi(0x5f);
    ck_assert_int_eq(intr_level, 0);
    /* nothing deliverable: the acknowledge gets the spurious vector and
     * sets no ISR bit */
    ck_assert_int_eq(lapic_intr_ack(apic), 0xff);
    ck_assert_uint_eq(rd(0x120), 0);
    wr(0x80, 0x4f);
    ck_assert_int_eq(intr_level, 1);
    wr(0x80, 0x50);
    ck_assert_int_eq(intr_level, 0);
    wr(0xf0, 0x1e7);
    ck_assert_int_eq(lapic_intr_ack(apic), 0xe7);
    wr(0x80, 0);
    ck_assert_int_eq(lapic_intr_ack(apic), 0x5f);
}
END_TEST

START_TEST(test_lint0_virtual_wire_and_disable)
{
    /* software disabled, LINT0 masked: the 8259A's INTR does not pass */
    irq_raise(&pic_out);
    ck_assert_int_eq(intr_level, 0);
    sw_enable();
    wr(0x350, 0x8700); /* ExtINT */
    ck_assert_int_eq(intr_level, 1);
    ck_assert_int_eq(lapic_intr_ack(apic), 0x08);
    ck_assert_int_eq(ext_acks, 1);
    irq_lower(&pic_out);
    ck_assert_int_eq(intr_level, 0);
    /* globally disabled: LINT0 is INTR, no registers are mapped */
    lapic_set_base(apic, 0xfee00000u);
    ck_assert_ptr_null(mem_lookup(mem, 0xfee00030u));
    irq_raise(&pic_out);
    ck_assert_int_eq(intr_level, 1);
    ck_assert_int_eq(lapic_intr_ack(apic), 0x08);
    irq_lower(&pic_out);
    ck_assert_int_eq(intr_level, 0);
    /* enabled again at another base: the registers move, reset */
    lapic_set_base(apic, 0xfef00000u | LAPIC_BASE_ENABLE);
    ck_assert_ptr_null(mem_lookup(mem, 0xfee00030u));
    const struct mem_section *s = mem_lookup(mem, 0xfef00030u);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(mem_section_read(s, MEM_ATTRS_NONE, 0xfef000f0u, 4), 0xff);
    /* the highest page a 36-bit physical address reaches */
    lapic_set_base(apic, 0xffffff000ull | LAPIC_BASE_ENABLE);
    ck_assert_ptr_nonnull(mem_lookup(mem, 0xffffff030ull));
    ck_assert_ptr_null(mem_lookup(mem, 0xfef00030u));
}
END_TEST

START_TEST(test_lint1_nmi)
{
    sw_enable();
    wr(0x360, 0x400);
    irq_raise(lapic_lint(apic, 1));
    ck_assert_int_eq(nmis, 1);
    irq_raise(lapic_lint(apic, 1)); /* no new edge */
    ck_assert_int_eq(nmis, 1);
    irq_lower(lapic_lint(apic, 1));
    irq_raise(lapic_lint(apic, 1));
    ck_assert_int_eq(nmis, 2);
    /* an NMI IPI to self */
    wr(0x300, 0x40400);
    ck_assert_int_eq(nmis, 3);
}
END_TEST

START_TEST(test_timer_one_shot)
{
    sw_enable();
    wr(0x3e0, 0xb); /* divide by 1 */
    wr(0x320, 0x30);
    wr(0x380, 1000);
    run_to(400);
    ck_assert_uint_eq(rd(0x390), 600);
    ck_assert_int_eq(intr_level, 0);
    run_to(999);
    ck_assert_uint_eq(rd(0x390), 1);
    ck_assert_int_eq(intr_level, 0);
    run_to(1000);
    ck_assert_int_eq(intr_level, 1);
    ck_assert_uint_eq(rd(0x390), 0);
    ck_assert_int_eq(lapic_intr_ack(apic), 0x30);
    wr(0xb0, 0);
    run_to(5000);
    ck_assert_int_eq(intr_level, 0);
    ck_assert_uint_eq(rd(0x390), 0);
}
END_TEST

START_TEST(test_timer_periodic_divider)
{
    sw_enable();
    wr(0x3e0, 0x1); /* divide by 4 */
    wr(0x320, 0x20031);
    wr(0x380, 100); /* 400 ns a period */
    run_to(100);
    ck_assert_uint_eq(rd(0x390), 75);
    int fired = 0;
    for (int64_t t = 400; t <= 4000; t += 400) {
        run_to(t - 1);
        ck_assert_int_eq(intr_level, 0);
        run_to(t);
        ck_assert_int_eq(intr_level, 1);
        ck_assert_int_eq(lapic_intr_ack(apic), 0x31);
        wr(0xb0, 0);
        fired++;
        ck_assert_uint_eq(rd(0x390), 100); /* reloaded */
    }
    ck_assert_int_eq(fired, 10);
    /* masked: no interrupt, still counting */
    wr(0x320, 0x30031);
    run_to(4500);
    ck_assert_int_eq(intr_level, 0);
    ck_assert_uint_eq(rd(0x390), 75);
}
END_TEST

START_TEST(test_level_eoi_and_message)
{
    sw_enable();
    lapic_deliver(apic, 0, false, LAPIC_DM_FIXED, 0x61, true);
    lapic_deliver(apic, 3, false, LAPIC_DM_FIXED, 0x62, false); /* not us */
    ck_assert_uint_eq(rd(0x180 + 0x30), 1u << 1); /* TMR bit 0x61 */
    ck_assert_int_eq(lapic_intr_ack(apic), 0x61);
    ck_assert_int_eq(intr_level, 0);
    wr(0xb0, 0);
    ck_assert_int_eq(n_eois, 1);
    ck_assert_int_eq(eois[0], 0x61);
    /* logical, flat model */
    wr(0xd0, 0x02000000);
    lapic_deliver(apic, 0x01, true, LAPIC_DM_FIXED, 0x70, false);
    ck_assert_int_eq(intr_level, 0);
    lapic_deliver(apic, 0x03, true, LAPIC_DM_FIXED, 0x70, false);
    ck_assert_int_eq(intr_level, 1);
}
END_TEST

START_TEST(test_esr)
{
    sw_enable();
    wr(0x370, 0x3e); /* error vector */
    self_ipi(0x03);
    ck_assert_uint_eq(rd(0x280), 0);
    wr(0x280, 0);
    ck_assert_uint_eq(rd(0x280), 0x60);
    ck_assert_int_eq(lapic_intr_ack(apic), 0x3e);
    wr(0xb0, 0);
    wr(0x280, 0);
    ck_assert_uint_eq(rd(0x280), 0);
    /* a reserved register */
    wr(0x3f0, 1);
    wr(0x280, 0);
    ck_assert_uint_eq(rd(0x280), 0x80);
}
END_TEST

static Suite *lapic_suite(void)
{
    Suite *s = suite_create("lapic");
    TCase *tc = tcase_create("lapic");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_state);
    tcase_add_test(tc, test_priority_and_ack);
    tcase_add_test(tc, test_tpr_masks_by_class);
    tcase_add_test(tc, test_lint0_virtual_wire_and_disable);
    tcase_add_test(tc, test_lint1_nmi);
    tcase_add_test(tc, test_timer_one_shot);
    tcase_add_test(tc, test_timer_periodic_divider);
    tcase_add_test(tc, test_level_eoi_and_message);
    tcase_add_test(tc, test_esr);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(lapic_suite)
