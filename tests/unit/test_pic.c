/*
 * test_pic.c - unit tests of the 8259A pair (devices/pic.c), driven
 * through the I/O port map as a guest would.
 */
#include <check.h>
#include <stdlib.h>

#include "devices/pic.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"

static struct io_map *io;
static struct device_bus bus;
static struct pic_state *pic;
static struct irq intr;
static int intr_level;
static int intr_changes;

static void intr_handler(void *opaque, int n, int level)
{
    (void)opaque;
    (void)n;
    if (level != intr_level)
        intr_changes++;
    intr_level = level;
}

static void outb(uint16_t port, uint8_t v)
{
    io_write(io, MEM_ATTRS_NONE, port, v, 1);
}
static uint8_t inb(uint16_t port)
{
    return (uint8_t)io_read(io, MEM_ATTRS_NONE, port, 1);
}

static void line(int n, int level) { irq_set(pic_get_irq(pic, n), level); }

/* The BIOS/Linux sequence: edge, cascade, ICW4 8086 mode. */
static void init_pair(uint8_t mbase, uint8_t sbase, uint8_t icw4)
{
    outb(0x20, 0x11);
    outb(0x21, mbase);
    outb(0x21, 0x04);
    outb(0x21, icw4);
    outb(0xa0, 0x11);
    outb(0xa1, sbase);
    outb(0xa1, 0x02);
    outb(0xa1, icw4);
    outb(0x21, 0x00);
    outb(0xa1, 0x00);
}

static uint8_t read_isr(uint16_t cmd)
{
    outb(cmd, 0x0b);
    uint8_t v = inb(cmd);
    outb(cmd, 0x0a);
    return v;
}

static void setup(void)
{
    io = calloc(1, sizeof(*io));
    io_map_init(io);
    intr_level = 0;
    intr_changes = 0;
    irq_init(&intr, intr_handler, NULL, 0);
    device_bus_init(&bus, NULL, io, NULL);
    pic = pic_from_device(device_create_str(&bus, "isa-pic"));
    pic_connect_intr(pic, &intr);
    init_pair(0x20, 0x28, 0x01);
}

static void teardown(void)
{
    device_bus_destroy(&bus);
    free(io);
}

START_TEST(test_basic_ack_eoi)
{
    ck_assert_int_eq(intr_level, 0);
    line(0, 1);
    ck_assert_int_eq(intr_level, 1);
    ck_assert_int_eq(inb(0x20) & 1, 1); /* IRR after init is selected */
    ck_assert_int_eq(pic_intr_ack(pic), 0x20);
    ck_assert_int_eq(intr_level, 0);
    ck_assert_int_eq(read_isr(0x20), 0x01);
    ck_assert_int_eq(inb(0x20) & 1, 0); /* edge request consumed */
    outb(0x20, 0x20);                   /* non-specific EOI */
    ck_assert_int_eq(read_isr(0x20), 0x00);
    /* Still high, edge-triggered: no new request without a new edge. */
    ck_assert_int_eq(intr_level, 0);
    line(0, 0);
    line(0, 1);
    ck_assert_int_eq(intr_level, 1);
}
END_TEST

START_TEST(test_edge_latched)
{
    /* A pulse shorter than the CPU's reaction is not lost. */
    line(0, 1);
    line(0, 0);
    ck_assert_int_eq(intr_level, 1);
    ck_assert_int_eq(pic_intr_ack(pic), 0x20);
}
END_TEST

START_TEST(test_mask)
{
    outb(0x21, 0x02);
    ck_assert_int_eq(inb(0x21), 0x02);
    line(1, 1);
    ck_assert_int_eq(intr_level, 0);
    ck_assert_int_eq(inb(0x20) & 2, 2); /* requested, masked */
    outb(0x21, 0x00);
    ck_assert_int_eq(intr_level, 1);
    ck_assert_int_eq(pic_intr_ack(pic), 0x21);
}
END_TEST

START_TEST(test_priority_nesting)
{
    line(3, 1);
    line(1, 1);
    ck_assert_int_eq(pic_intr_ack(pic), 0x21);
    /* IRQ3 is below IRQ1 in service: held off. */
    ck_assert_int_eq(intr_level, 0);
    /* IRQ0 is above: nests. */
    line(0, 1);
    ck_assert_int_eq(intr_level, 1);
    ck_assert_int_eq(pic_intr_ack(pic), 0x20);
    ck_assert_int_eq(read_isr(0x20), 0x03);
    outb(0x20, 0x20); /* EOI clears IRQ0, the highest in service */
    ck_assert_int_eq(read_isr(0x20), 0x02);
    ck_assert_int_eq(intr_level, 0);
    outb(0x20, 0x20);
    ck_assert_int_eq(intr_level, 1);
    ck_assert_int_eq(pic_intr_ack(pic), 0x23);
    outb(0x20, 0x63); /* specific EOI for IR3 */
    ck_assert_int_eq(read_isr(0x20), 0x00);
}
END_TEST

START_TEST(test_cascade)
{
    line(10, 1);
    ck_assert_int_eq(intr_level, 1);
    ck_assert_int_eq(pic_intr_ack(pic), 0x2a);
    ck_assert_int_eq(read_isr(0x20), 0x04);
    ck_assert_int_eq(read_isr(0xa0), 0x04);
    /* A lower master line waits behind IR2 in service... */
    line(5, 1);
    ck_assert_int_eq(intr_level, 0);
    /* ...and so does another slave line while the master's IR2 is in
     * service (fully nested mode). */
    line(8, 1);
    ck_assert_int_eq(intr_level, 0);
    outb(0xa0, 0x20);
    outb(0x20, 0x20);
    ck_assert_int_eq(intr_level, 1);
    ck_assert_int_eq(pic_intr_ack(pic), 0x28);
    outb(0xa0, 0x20);
    outb(0x20, 0x20);
    ck_assert_int_eq(pic_intr_ack(pic), 0x25);
}
END_TEST

START_TEST(test_slave_mask)
{
    outb(0xa1, 0x04);
    line(10, 1);
    ck_assert_int_eq(intr_level, 0);
    outb(0xa1, 0x00);
    ck_assert_int_eq(intr_level, 1);
    outb(0x21, 0x04); /* masking the cascade input blocks the slave */
    ck_assert_int_eq(intr_level, 0);
}
END_TEST

START_TEST(test_spurious)
{
    /* INTA with nothing requested: IRQ7's vector, nothing in service. */
    ck_assert_int_eq(pic_intr_ack(pic), 0x27);
    ck_assert_int_eq(read_isr(0x20), 0x00);
    /* Request withdrawn (masked) between INTR and INTA. */
    line(4, 1);
    ck_assert_int_eq(intr_level, 1);
    outb(0x21, 0x10);
    ck_assert_int_eq(pic_intr_ack(pic), 0x27);
    ck_assert_int_eq(read_isr(0x20), 0x00);
}
END_TEST

START_TEST(test_level_elcr)
{
    outb(0x4d1, 0x04 | 0x01); /* IRQ10 level; IRQ8's bit is reserved */
    ck_assert_int_eq(inb(0x4d1), 0x04);
    outb(0x4d0, 0xff);
    ck_assert_int_eq(inb(0x4d0), 0xf8);
    outb(0x4d0, 0x00);
    line(10, 1);
    ck_assert_int_eq(pic_intr_ack(pic), 0x2a);
    outb(0xa0, 0x20);
    outb(0x20, 0x20);
    /* Still asserted: requests again after EOI. */
    ck_assert_int_eq(intr_level, 1);
    line(10, 0);
    ck_assert_int_eq(intr_level, 0);
    /* Level removed before INTA: nothing is left to acknowledge, the
     * master answers with its IRQ7 (spurious) vector. */
    ck_assert_int_eq(pic_intr_ack(pic), 0x27);
}
END_TEST

START_TEST(test_ltim)
{
    outb(0x20, 0x19); /* ICW1 with LTIM */
    outb(0x21, 0x40);
    outb(0x21, 0x04);
    outb(0x21, 0x01);
    line(6, 1);
    ck_assert_int_eq(pic_intr_ack(pic), 0x46);
    outb(0x20, 0x20);
    ck_assert_int_eq(intr_level, 1);
    ck_assert_int_eq(pic_intr_ack(pic), 0x46);
}
END_TEST

START_TEST(test_auto_eoi)
{
    init_pair(0x08, 0x70, 0x03);
    line(1, 1);
    ck_assert_int_eq(pic_intr_ack(pic), 0x09);
    ck_assert_int_eq(read_isr(0x20), 0x00);
    line(3, 1);
    ck_assert_int_eq(intr_level, 1);
    ck_assert_int_eq(pic_intr_ack(pic), 0x0b);
}
END_TEST

START_TEST(test_rotation)
{
    /* Set priority: IR4 lowest, so IR5 is now the highest. */
    outb(0x20, 0xc4);
    line(1, 1);
    line(6, 1);
    ck_assert_int_eq(pic_intr_ack(pic), 0x26);
    /* Rotate on non-specific EOI: IR6 becomes lowest, IR7 highest. */
    outb(0x20, 0xa0);
    line(7, 1);
    ck_assert_int_eq(pic_intr_ack(pic), 0x27);
    outb(0x20, 0xe7); /* rotate on specific EOI of IR7 */
    ck_assert_int_eq(pic_intr_ack(pic), 0x21);
}
END_TEST

START_TEST(test_poll)
{
    outb(0x20, 0x0c);
    ck_assert_int_eq(inb(0x20), 0x00); /* nothing */
    line(3, 1);
    outb(0x20, 0x0c);
    ck_assert_int_eq(inb(0x20), 0x83);
    ck_assert_int_eq(read_isr(0x20), 0x08);
    /* The poll is one read only. */
    ck_assert_int_eq(inb(0x20), 0x00);
}
END_TEST

START_TEST(test_special_mask)
{
    line(1, 1);
    ck_assert_int_eq(pic_intr_ack(pic), 0x21);
    line(5, 1);
    ck_assert_int_eq(intr_level, 0);
    /* SMM + mask IR1: IR1 in service no longer holds off IR5. */
    outb(0x20, 0x68);
    outb(0x21, 0x02);
    ck_assert_int_eq(intr_level, 1);
    ck_assert_int_eq(pic_intr_ack(pic), 0x25);
    outb(0x20, 0x48); /* SMM off */
    ck_assert_int_eq(read_isr(0x20), 0x22);
}
END_TEST

START_TEST(test_uninitialized_is_quiet)
{
    /* Before its ICWs a chip requests nothing; ICW1 drops the edge seen
     * meanwhile, so only a new edge interrupts afterwards. */
    pic_reset(pic);
    line(0, 1);
    ck_assert_int_eq(intr_level, 0);
    init_pair(0x20, 0x28, 0x01);
    ck_assert_int_eq(intr_level, 0);
    line(0, 0);
    line(0, 1);
    ck_assert_int_eq(intr_level, 1);
    ck_assert_int_eq(pic_intr_ack(pic), 0x20);
    /* During a new ICW sequence the chip is quiet too. */
    outb(0x20, 0x20);
    line(1, 1);
    ck_assert_int_eq(intr_level, 1);
    outb(0x20, 0x11);
    ck_assert_int_eq(intr_level, 0);
}
END_TEST

START_TEST(test_two_instances)
{
    struct io_map *io2 = calloc(1, sizeof(*io2));
    struct device_bus bus2;
    io_map_init(io2);
    device_bus_init(&bus2, NULL, io2, NULL);
    struct pic_state *p2 = pic_from_device(device_create_str(&bus2, "isa-pic"));
    io_write(io2, MEM_ATTRS_NONE, 0x20, 0x11, 1);
    io_write(io2, MEM_ATTRS_NONE, 0x21, 0x50, 1);
    io_write(io2, MEM_ATTRS_NONE, 0x21, 0x04, 1);
    io_write(io2, MEM_ATTRS_NONE, 0x21, 0x01, 1);
    irq_raise(pic_get_irq(p2, 1));
    ck_assert_int_eq(pic_intr_level(p2), 1);
    ck_assert_int_eq(intr_level, 0);
    ck_assert_int_eq(pic_intr_ack(p2), 0x51);
    ck_assert_int_eq(pic_intr_ack(pic), 0x27);
    device_bus_destroy(&bus2);
    free(io2);
}
END_TEST

static Suite *pic_suite(void)
{
    Suite *s = suite_create("pic");
    TCase *tc = tcase_create("8259a");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_basic_ack_eoi);
    tcase_add_test(tc, test_edge_latched);
    tcase_add_test(tc, test_mask);
    tcase_add_test(tc, test_priority_nesting);
    tcase_add_test(tc, test_cascade);
    tcase_add_test(tc, test_slave_mask);
    tcase_add_test(tc, test_spurious);
    tcase_add_test(tc, test_level_elcr);
    tcase_add_test(tc, test_ltim);
    tcase_add_test(tc, test_auto_eoi);
    tcase_add_test(tc, test_rotation);
    tcase_add_test(tc, test_poll);
    tcase_add_test(tc, test_special_mask);
    tcase_add_test(tc, test_uninitialized_is_quiet);
    tcase_add_test(tc, test_two_instances);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(pic_suite)
