/*
 * test_ioapic.c - unit tests of the 82093AA IOAPIC (devices/ioapic.c):
 * IOREGSEL/IOWIN through the memory map, the ID, version and reset
 * entries, edge pins (a message per rising edge, none while masked),
 * level pins with Remote IRR (one message until the EOI, sent again
 * after it while the pin stays asserted), polarity, and unmasking an
 * asserted level pin.
 */
#include <check.h>
#include <stdlib.h>

#include "devices/ioapic.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"

static struct memory_map *mem;
static struct device_bus bus;
static struct ioapic_state *io;

static struct msg {
    uint8_t dest;
    bool logical;
    int mode, vector;
    bool level;
} msgs[32];
static int n_msgs;

static void deliver(void *o, uint8_t dest, bool logical, int mode, int vector,
                    bool level)
{
    (void)o;
    if (n_msgs < 32)
        msgs[n_msgs] = (struct msg){ dest, logical, mode, vector, level };
    n_msgs++;
}

static void setup(void)
{
    mem = calloc(1, sizeof(*mem));
    memory_map_init(mem);
    device_bus_init(&bus, mem, NULL, NULL);
    io = ioapic_from_device(device_create_str(&bus, "ioapic"));
    ioapic_connect(io, deliver, NULL);
    n_msgs = 0;
}

static void teardown(void)
{
    device_bus_destroy(&bus);
    memory_map_destroy(mem);
    free(mem);
}

static void mmio_wr(uint32_t off, uint32_t v, unsigned size)
{
    const struct mem_section *s = mem_lookup(mem, 0xfec00000u + off);
    ck_assert_ptr_nonnull(s);
    mem_section_write(s, MEM_ATTRS_NONE, 0xfec00000u + off, v, size);
}
static uint32_t mmio_rd(uint32_t off)
{
    const struct mem_section *s = mem_lookup(mem, 0xfec00000u + off);
    ck_assert_ptr_nonnull(s);
    return (uint32_t)mem_section_read(s, MEM_ATTRS_NONE, 0xfec00000u + off, 4);
}
static uint32_t reg_rd(uint8_t i)
{
    mmio_wr(0, i, 1);
    return mmio_rd(0x10);
}
static void reg_wr(uint8_t i, uint32_t v)
{
    mmio_wr(0, i, 1);
    mmio_wr(0x10, v, 4);
}

START_TEST(test_registers)
{
    ck_assert_uint_eq(reg_rd(0x01), 0x00170011u);
    ck_assert_uint_eq(reg_rd(0x00), 0);
    reg_wr(0x00, 0x01000000u);
    ck_assert_uint_eq(reg_rd(0x00), 0x01000000u);
    ck_assert_uint_eq(reg_rd(0x02), 0x01000000u); /* arbitration ID */
    ck_assert_uint_eq(mmio_rd(0x00) & 0xff, 0x02); /* IOREGSEL reads back */
    for (int n = 0; n < 24; n++) {
        ck_assert_uint_eq(reg_rd((uint8_t)(0x10 + 2 * n)), 0x10000);
        ck_assert_uint_eq(reg_rd((uint8_t)(0x11 + 2 * n)), 0);
    }
    reg_wr(0x10, 0xffffffffu);
    reg_wr(0x11, 0xffffffffu);
    ck_assert_uint_eq(reg_rd(0x10), 0x1afff); /* status, Remote IRR RO */
    ck_assert_uint_eq(reg_rd(0x11), 0xff000000u);
    ck_assert_uint_eq(reg_rd(0x40), 0); /* beyond entry 23 */
}
END_TEST

START_TEST(test_edge_pin)
{
    reg_wr(0x10 + 2 * 2 + 1, 0x05000000u);
    reg_wr(0x10 + 2 * 2, 0x0830); /* fixed, logical, edge, vector 30 */
    irq_raise(ioapic_pin(io, 2));
    ck_assert_int_eq(n_msgs, 1);
    ck_assert_int_eq(msgs[0].vector, 0x30);
    ck_assert_int_eq(msgs[0].dest, 5);
    ck_assert(msgs[0].logical);
    ck_assert(!msgs[0].level);
    irq_raise(ioapic_pin(io, 2)); /* no edge */
    ck_assert_int_eq(n_msgs, 1);
    irq_lower(ioapic_pin(io, 2));
    irq_raise(ioapic_pin(io, 2));
    ck_assert_int_eq(n_msgs, 2);
    /* masked: the edge is lost */
    reg_wr(0x10 + 2 * 2, 0x10830);
    irq_lower(ioapic_pin(io, 2));
    irq_raise(ioapic_pin(io, 2));
    reg_wr(0x10 + 2 * 2, 0x0830);
    ck_assert_int_eq(n_msgs, 2);
}
END_TEST

START_TEST(test_level_remote_irr)
{
    reg_wr(0x10 + 2 * 9, 0x8041); /* level, active high, vector 41 */
    irq_raise(ioapic_pin(io, 9));
    ck_assert_int_eq(n_msgs, 1);
    ck_assert(msgs[0].level);
    ck_assert_uint_eq(reg_rd(0x10 + 2 * 9) & 0x4000, 0x4000);
    /* still asserted, Remote IRR set: nothing more */
    irq_raise(ioapic_pin(io, 9));
    ck_assert_int_eq(n_msgs, 1);
    /* an EOI for another vector changes nothing */
    ioapic_eoi(io, 0x42);
    ck_assert_int_eq(n_msgs, 1);
    /* EOI with the pin still high: sent again */
    ioapic_eoi(io, 0x41);
    ck_assert_int_eq(n_msgs, 2);
    ck_assert_uint_eq(reg_rd(0x10 + 2 * 9) & 0x4000, 0x4000);
    irq_lower(ioapic_pin(io, 9));
    ioapic_eoi(io, 0x41);
    ck_assert_int_eq(n_msgs, 2);
    ck_assert_uint_eq(reg_rd(0x10 + 2 * 9) & 0x4000, 0);
    /* masked while asserted, then unmasked: sent */
    reg_wr(0x10 + 2 * 9, 0x18041);
    irq_raise(ioapic_pin(io, 9));
    ck_assert_int_eq(n_msgs, 2);
    reg_wr(0x10 + 2 * 9, 0x8041);
    ck_assert_int_eq(n_msgs, 3);
}
END_TEST

START_TEST(test_polarity_low)
{
    reg_wr(0x10 + 2 * 16, 0xa051); /* level, active low */
    ck_assert_int_eq(n_msgs, 1);   /* the pin is low: asserted */
    ioapic_eoi(io, 0x51);
    ck_assert_int_eq(n_msgs, 2);
    irq_raise(ioapic_pin(io, 16));
    ioapic_eoi(io, 0x51);
    ck_assert_int_eq(n_msgs, 2);
    ck_assert_int_eq(msgs[0].mode, 0);
}
END_TEST

static Suite *ioapic_suite(void)
{
    Suite *s = suite_create("ioapic");
    TCase *tc = tcase_create("ioapic");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_registers);
    tcase_add_test(tc, test_edge_pin);
    tcase_add_test(tc, test_level_remote_irr);
    tcase_add_test(tc, test_polarity_low);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(ioapic_suite)
