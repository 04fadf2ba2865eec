/*
 * test_device.c - unit tests of the device shape and registry
 * (devices/device.c, devices/registry.c): parsing "name,prop=value",
 * creating devices on a bus, walking the bus to reset and free them, two
 * buses with the same devices staying independent, ports given back when
 * a device goes, and a device refused the ports another one owns.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/debugcon.h"
#include "devices/device.h"
#include "devices/i8042.h"
#include "devices/pic.h"
#include "devices/uart.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"

static char err[256];

/* ---- a class of the test's own, to watch the hooks ---- */

enum { PROBE_PROP_ID, PROBE_N_PROPS };

static const struct device_prop probe_props[PROBE_N_PROPS] = {
    [PROBE_PROP_ID] = { "id", 0, 0, 100, false, "0-100" },
};

struct probe_state {
    struct device dev;
    int id;
};

/* The order hooks ran in, as ids: reset r<id>, free f<id>. */
static char trace[64];

static void trace_add(char what, int id)
{
    size_t n = strlen(trace);
    if (n + 2 < sizeof(trace)) {
        trace[n] = what;
        trace[n + 1] = (char)('0' + id);
        trace[n + 2] = 0;
    }
}

static struct device *probe_create(struct device_bus *bus, const uint64_t *prop)
{
    struct probe_state *s = calloc(1, sizeof(*s));
    (void)bus;
    s->id = (int)prop[PROBE_PROP_ID];
    return &s->dev;
}

static void probe_reset(struct device *dev)
{
    trace_add('r', DEVICE_STATE(struct probe_state, dev)->id);
}

static void probe_free(struct device *dev)
{
    struct probe_state *s = DEVICE_STATE(struct probe_state, dev);
    trace_add('f', s->id);
    free(s);
}

static const struct device_class probe_class = {
    .name = "probe",
    .desc = "a test device",
    .props = probe_props,
    .n_props = PROBE_N_PROPS,
    .create = probe_create,
    .reset = probe_reset,
    .free = probe_free,
};

static struct device *probe_add(struct device_bus *bus, int id)
{
    struct device_spec spec = { .cls = &probe_class, .prop = { (uint64_t)id } };
    return device_create(bus, &spec);
}

/* ---- parsing ---- */

START_TEST(test_parse_defaults_and_values)
{
    struct device_spec spec;
    ck_assert_int_eq(
        device_spec_parse(&spec, "isa-debug-exit", true, err, sizeof(err)), 0);
    ck_assert_str_eq(spec.cls->name, "isa-debug-exit");
    ck_assert_uint_eq(spec.prop[0], 0x501); /* QEMU's defaults */
    ck_assert_uint_eq(spec.prop[1], 2);
    ck_assert_int_eq(device_spec_parse(&spec,
                                       "isa-debug-exit,iosize=4,iobase=0xf4",
                                       true, err, sizeof(err)),
                     0);
    ck_assert_uint_eq(spec.prop[0], 0xf4);
    ck_assert_uint_eq(spec.prop[1], 4);
    /* Board devices parse when the board asks. */
    ck_assert_int_eq(device_spec_parse(&spec, "isa-serial,irq=3,iobase=0x2f8",
                                       false, err, sizeof(err)),
                     0);
    ck_assert_ptr_eq(spec.cls, &uart_device_class);
    ck_assert_uint_eq(spec.prop[0], 0x2f8);
    ck_assert_uint_eq(spec.prop[1], 3);
}
END_TEST

START_TEST(test_parse_errors)
{
    struct device_spec spec;
    ck_assert_int_ne(device_spec_parse(&spec, "nosuch", true, err, sizeof(err)),
                     0);
    ck_assert_str_eq(err,
                     "unknown device 'nosuch' (available: isa-debug-exit)");
    ck_assert_int_ne(device_spec_parse(&spec, "", true, err, sizeof(err)), 0);
    ck_assert_str_eq(err, "unknown device '' (available: isa-debug-exit)");
    /* The board's own devices are not for -device. */
    ck_assert_int_ne(
        device_spec_parse(&spec, "isa-pic", true, err, sizeof(err)), 0);
    ck_assert_ptr_nonnull(strstr(err, "part of the board"));
    ck_assert_int_ne(device_spec_parse(&spec, "isa-debug-exit,iobase=zz", true,
                                       err, sizeof(err)),
                     0);
    ck_assert_str_eq(err, "iobase must be a port number 0-0xffff");
    ck_assert_int_ne(device_spec_parse(&spec, "isa-debug-exit,iobase=0x10000",
                                       true, err, sizeof(err)),
                     0);
    ck_assert_int_ne(device_spec_parse(&spec, "isa-debug-exit,iobase=-1", true,
                                       err, sizeof(err)),
                     0);
    ck_assert_int_ne(device_spec_parse(&spec, "isa-debug-exit,iosize=0", true,
                                       err, sizeof(err)),
                     0);
    ck_assert_str_eq(err, "iosize must be 1-0x10000");
    ck_assert_int_ne(device_spec_parse(&spec, "isa-debug-exit,colour=red", true,
                                       err, sizeof(err)),
                     0);
    ck_assert_str_eq(err,
                     "unknown property 'colour' of isa-debug-exit (iobase, "
                     "iosize)");
    ck_assert_int_ne(device_spec_parse(&spec, "isa-debug-exit,iobase", true,
                                       err, sizeof(err)),
                     0);
    ck_assert_str_eq(err, "iobase needs a value (iobase=N)");
    /* The class's own check of the values together. */
    ck_assert_int_ne(device_spec_parse(&spec,
                                       "isa-debug-exit,iobase=0xfffe,iosize=4",
                                       true, err, sizeof(err)),
                     0);
    ck_assert_str_eq(err, "ports 0xfffe+4 run past 0xffff");
    ck_assert_int_ne(
        device_spec_parse(&spec, "isa-pic,x=1", false, err, sizeof(err)), 0);
    ck_assert_str_eq(err, "isa-pic has no properties (got 'x')");
}
END_TEST

START_TEST(test_registry_names)
{
    /* Every class is found by its name, names are unique, and every class
     * has the hooks the bus calls. */
    int n = 0;
    for (size_t i = 0; device_classes[i]; i++, n++) {
        const struct device_class *c = device_classes[i];
        ck_assert_ptr_eq(device_class_find(c->name), c);
        ck_assert_ptr_nonnull(c->create);
        ck_assert_ptr_nonnull(c->free);
        ck_assert_int_le(c->n_props, DEVICE_MAX_PROPS);
        /* Snapshots do not exist yet. */
        ck_assert_ptr_null(c->save);
        ck_assert_ptr_null(c->load);
    }
    ck_assert_int_ge(n, 13);
    ck_assert_ptr_eq(device_class_find("isa-pic"), &pic_device_class);
    ck_assert_ptr_eq(device_class_find("i8042"), &i8042_device_class);
    ck_assert_ptr_null(device_class_find("isa"));
}
END_TEST

START_TEST(test_help_lists_user_devices)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    device_print_help(f);
    fclose(f);
    ck_assert_str_eq(buf,
                     "Available devices:\n"
                     "isa-debug-exit  iobase=N (default 0x501), iosize=N "
                     "(default 2): a write of V exits with status (V<<1)|1\n");
    free(buf);
}
END_TEST

/* ---- the debug console ---- */

static char dc_buf[16];
static int dc_n;

static void dc_out(void *opaque, uint8_t byte)
{
    ck_assert_ptr_eq(opaque, dc_buf);
    if (dc_n < (int)sizeof(dc_buf) - 1)
        dc_buf[dc_n++] = (char)byte;
}

START_TEST(test_debugcon)
{
    struct io_map io;
    struct device_bus bus;
    io_map_init(&io);
    device_bus_init(&bus, NULL, &io, NULL);
    struct debugcon_state *d =
        debugcon_from_device(device_create_str(&bus, "isa-debugcon"));
    dc_n = 0;
    io_write(&io, MEM_ATTRS_NONE, 0xe9, 'a', 1); /* nowhere yet */
    debugcon_connect(d, dc_out, dc_buf);
    io_write(&io, MEM_ATTRS_NONE, 0xe9, 'h', 1);
    /* a 16-bit OUT: its low byte here, the high one to port 0xEA */
    io_write(&io, MEM_ATTRS_NONE, 0xe9, 0x6a69, 2);
    dc_buf[dc_n] = 0;
    ck_assert_str_eq(dc_buf, "hi");
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0xe9, 1), 0xe9);
    /* a board device: -device cannot create it */
    struct device_spec spec;
    char err[128];
    ck_assert_int_ne(device_spec_parse(&spec, "isa-debugcon", true, err,
                                       sizeof(err)),
                     0);
    device_bus_destroy(&bus);
    io_map_destroy(&io);
}
END_TEST

/* ---- the bus ---- */

START_TEST(test_bus_walks_in_order)
{
    struct device_bus bus;
    device_bus_init(&bus, NULL, NULL, NULL);
    trace[0] = 0;
    /* device_create resets each device as it comes. */
    struct device *a = probe_add(&bus, 1);
    probe_add(&bus, 2);
    struct device *c = probe_add(&bus, 3);
    ck_assert_str_eq(trace, "r1r2r3");
    ck_assert_ptr_eq(a->bus, &bus);
    ck_assert_ptr_eq(a->cls, &probe_class);
    trace[0] = 0;
    device_bus_reset(&bus);
    ck_assert_str_eq(trace, "r1r2r3");
    /* Taking one off the list, first, middle or last. */
    trace[0] = 0;
    device_destroy(c);
    device_destroy(a);
    ck_assert_str_eq(trace, "f3f1");
    struct device *d = probe_add(&bus, 4);
    ck_assert_ptr_eq(bus.first->next, d);
    ck_assert_ptr_eq(bus.last, d);
    trace[0] = 0;
    device_bus_reset(&bus);
    ck_assert_str_eq(trace, "r2r4");
    /* Freed newest first. */
    trace[0] = 0;
    device_bus_destroy(&bus);
    ck_assert_str_eq(trace, "f4f2");
    ck_assert_ptr_null(bus.first);
    ck_assert_ptr_null(bus.last);
}
END_TEST

/* One PC's worth of devices on its own bus and port map. */
struct board {
    struct io_map io;
    struct device_bus bus;
    struct pic_state *pic;
    struct uart_state *com1;
    struct irq intr;
    int intr_level;
    struct irq ioapic4; /* a second sink on ISA line 4 */
    int ioapic4_level;
};

static void board_intr(void *opaque, int n, int level)
{
    (void)n;
    ((struct board *)opaque)->intr_level = level;
}

static void board_ioapic4(void *opaque, int n, int level)
{
    ck_assert_int_eq(n, 4);
    ((struct board *)opaque)->ioapic4_level = level;
}

static void board_init(struct board *b)
{
    static const uint8_t icw[] = { 0x11, 0x20, 0x04, 0x01 };
    io_map_init(&b->io);
    device_bus_init(&b->bus, NULL, &b->io, NULL);
    b->pic = pic_from_device(device_create_str(&b->bus, "isa-pic"));
    irq_init(&b->intr, board_intr, b, 0);
    pic_connect_intr(b->pic, &b->intr);
    for (int i = 0; i < ISA_NUM_IRQS; i++)
        irq_fanout_add(&b->bus.isa_irq[i], pic_get_irq(b->pic, i));
    irq_init(&b->ioapic4, board_ioapic4, b, 4);
    irq_fanout_add(&b->bus.isa_irq[4], &b->ioapic4);
    b->com1 = uart_from_device(device_create_str(&b->bus, "isa-serial"));
    io_write(&b->io, MEM_ATTRS_NONE, 0x20, icw[0], 1);
    for (int i = 1; i < 4; i++)
        io_write(&b->io, MEM_ATTRS_NONE, 0x21, icw[i], 1);
    io_write(&b->io, MEM_ATTRS_NONE, 0x21, 0x00, 1);
}

START_TEST(test_isa_line_fans_out)
{
    struct board *b = calloc(1, sizeof(*b));
    board_init(b);
    /* THRE interrupt enabled with the THR empty: COM1 raises IRQ4, which
     * reaches the PIC (and INTR) and the second sink alike. */
    io_write(&b->io, MEM_ATTRS_NONE, 0x3f9, 0x02, 1);
    ck_assert_int_eq(b->ioapic4_level, 1);
    ck_assert_int_eq(b->intr_level, 1);
    ck_assert_int_eq(pic_intr_ack(b->pic), 0x24);
    io_write(&b->io, MEM_ATTRS_NONE, 0x3f9, 0x00, 1);
    ck_assert_int_eq(b->ioapic4_level, 0);
    /* A board reset walks every device: COM1's IER is cleared again. */
    io_write(&b->io, MEM_ATTRS_NONE, 0x3f9, 0x02, 1);
    ck_assert_int_eq(b->ioapic4_level, 1);
    device_bus_reset(&b->bus);
    ck_assert_int_eq(b->ioapic4_level, 0);
    ck_assert_int_eq(io_read(&b->io, MEM_ATTRS_NONE, 0x3f9, 1), 0);
    device_bus_destroy(&b->bus);
    free(b);
}
END_TEST

START_TEST(test_two_boards)
{
    /* The same devices on two buses are two machines: nothing shared. */
    struct board *a = calloc(1, sizeof(*a));
    struct board *b = calloc(1, sizeof(*b));
    board_init(a);
    board_init(b);
    /* COM1's scratch register */
    io_write(&a->io, MEM_ATTRS_NONE, 0x3ff, 0x5a, 1);
    io_write(&b->io, MEM_ATTRS_NONE, 0x3ff, 0xa5, 1);
    ck_assert_int_eq(io_read(&a->io, MEM_ATTRS_NONE, 0x3ff, 1), 0x5a);
    ck_assert_int_eq(io_read(&b->io, MEM_ATTRS_NONE, 0x3ff, 1), 0xa5);
    io_write(&a->io, MEM_ATTRS_NONE, 0x3f9, 0x02, 1);
    ck_assert_int_eq(a->intr_level, 1);
    ck_assert_int_eq(b->intr_level, 0);
    ck_assert_int_eq(b->ioapic4_level, 0);
    irq_raise(isa_irq(&b->bus, 1));
    ck_assert_int_eq(pic_intr_ack(b->pic), 0x21);
    ck_assert_int_eq(pic_intr_ack(a->pic), 0x24);
    device_bus_destroy(&a->bus);
    device_bus_destroy(&b->bus);
    free(a);
    free(b);
}
END_TEST

START_TEST(test_ports_given_back)
{
    struct board *b = calloc(1, sizeof(*b));
    board_init(b);
    struct device *dx =
        device_create_str(&b->bus, "isa-debug-exit,iobase=0x3f0,iosize=8");
    ck_assert_str_eq(io_find_conflict(&b->io, 0x3f8, 8)->name, "isa-serial");
    ck_assert_str_eq(io_find_conflict(&b->io, 0x20, 1)->name, "isa-pic");
    ck_assert_str_eq(io_find_conflict(&b->io, 0x3f7, 1)->name,
                     "isa-debug-exit");
    /* destroyed, it frees its ports: another device may take them */
    device_destroy(dx);
    ck_assert_ptr_null(io_find_conflict(&b->io, 0x3f0, 8));
    ck_assert_uint_eq(io_read(&b->io, MEM_ATTRS_NONE, 0x3f0, 1), 0xff);
    device_create_str(&b->bus, "isa-debug-exit,iobase=0x3f4,iosize=4");
    device_bus_destroy(&b->bus);
    ck_assert_ptr_null(io_find_conflict(&b->io, 0, 0x10000));
    free(b);
}
END_TEST

/* A -device on COM1's ports: the board names the flag as the claimant,
 * and the refusal ends the run (status 1). */
START_TEST(test_port_clash_is_fatal)
{
    struct board *b = calloc(1, sizeof(*b));
    board_init(b);
    if (!freopen("/dev/null", "w", stderr))
        ck_abort_msg("cannot silence stderr");
    b->io.claimant = "-device isa-debug-exit,iobase=0x3f8,iosize=8";
    device_create_str(&b->bus, "isa-debug-exit,iobase=0x3f8,iosize=8");
}
END_TEST

static Suite *device_suite(void)
{
    Suite *s = suite_create("device");
    TCase *tc = tcase_create("registry");
    tcase_add_test(tc, test_parse_defaults_and_values);
    tcase_add_test(tc, test_parse_errors);
    tcase_add_test(tc, test_registry_names);
    tcase_add_test(tc, test_help_lists_user_devices);
    suite_add_tcase(s, tc);
    TCase *tc2 = tcase_create("bus");
    tcase_add_test(tc2, test_bus_walks_in_order);
    tcase_add_test(tc2, test_isa_line_fans_out);
    tcase_add_test(tc2, test_two_boards);
    tcase_add_test(tc2, test_ports_given_back);
    tcase_add_test(tc2, test_debugcon);
    /* an exit needs Check's fork mode (not in a cross build) */
    const char *fork_env = getenv("CK_FORK");
    if (!fork_env || strcmp(fork_env, "no") != 0)
        tcase_add_exit_test(tc2, test_port_clash_is_fatal, 1);
    suite_add_tcase(s, tc2);
    return s;
}

UNIT_MAIN(device_suite)
