/*
 * test_i8042.c - unit tests of the keyboard controller (devices/i8042.c)
 * and the PS/2 keyboard and mouse behind it (devices/ps2.c), driven
 * through the I/O port map: controller commands, keyboard and mouse
 * commands, keys in set 2 and translated to set 1, mouse packets (the
 * wheel and five-button protocols included), the IRQ 1 / IRQ 12 lines
 * and the reset and A20 outputs.
 */
#include <check.h>
#include <stdlib.h>

#include "base/clock.h"
#include "devices/i8042.h"
#include "devices/ps2.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"

static struct io_map *io;
static struct vclock clk;
static uint64_t insns;
static struct device_bus bus;
static struct i8042_state *kbc;
static struct irq irq1, irq12;
static int level[16], rises[16];
static int resets, a20_calls;
static bool a20;

static void irq_handler(void *opaque, int n, int lv)
{
    (void)opaque;
    if (lv && !level[n])
        rises[n]++;
    level[n] = lv;
}

static void on_reset(void *opaque)
{
    (void)opaque;
    resets++;
}

static void on_a20(void *opaque, bool on)
{
    (void)opaque;
    a20 = on;
    a20_calls++;
}

static void outb(uint16_t port, uint8_t v)
{
    io_write(io, MEM_ATTRS_NONE, port, v, 1);
}
static uint8_t inb(uint16_t port)
{
    return (uint8_t)io_read(io, MEM_ATTRS_NONE, port, 1);
}

static void setup(void)
{
    io = calloc(1, sizeof(*io));
    io_map_init(io);
    insns = 0;
    vclock_init(&clk, true, 0, &insns);
    for (int i = 0; i < 16; i++)
        level[i] = rises[i] = 0;
    resets = a20_calls = 0;
    a20 = true;
    irq_init(&irq1, irq_handler, NULL, 1);
    irq_init(&irq12, irq_handler, NULL, 12);
    device_bus_init(&bus, NULL, io, &clk);
    irq_fanout_add(&bus.isa_irq[1], &irq1);
    irq_fanout_add(&bus.isa_irq[12], &irq12);
    kbc = i8042_from_device(device_create_str(&bus, "i8042"));
    i8042_connect(kbc, on_reset, on_a20, NULL);
}

static void teardown(void)
{
    device_bus_destroy(&bus);
    free(io);
}

/* The next byte the controller holds, or -1 when its buffer is empty. */
static int next(void)
{
    if (!(inb(0x64) & 0x01))
        return -1;
    return inb(0x60);
}

static void command(uint8_t cmd) { outb(0x64, cmd); }
static void command_data(uint8_t cmd, uint8_t data)
{
    outb(0x64, cmd);
    outb(0x60, data);
}

START_TEST(test_reset_state)
{
    ck_assert_int_eq(inb(0x64), 0x10);
    ck_assert_int_eq(next(), -1);
    command(0x20);
    ck_assert_int_eq(inb(0x64) & 0x09, 0x09); /* OBF, A2: after a command */
    ck_assert_int_eq(next(), 0x00);
    ck_assert_int_eq(level[1], 0);
}
END_TEST

START_TEST(test_controller_commands)
{
    command(0xaa);
    ck_assert_int_eq(next(), 0x55);
    ck_assert_int_eq(inb(0x64) & 0x04, 0x04); /* SYS after the self test */
    command(0xab);
    ck_assert_int_eq(next(), 0x00);
    command(0xa9);
    ck_assert_int_eq(next(), 0x00);
    command_data(0x60, 0x47);
    ck_assert_int_eq(inb(0x64) & 0x08, 0x00); /* A2 clear after data */
    command(0x20);
    ck_assert_int_eq(next(), 0x47);
    command_data(0x65, 0x99); /* controller RAM byte 5 */
    command(0x25);
    ck_assert_int_eq(next(), 0x99);
    command(0xa7);
    command(0x20);
    ck_assert_int_eq(next(), 0x67);
    command(0xa8);
    command(0xad);
    command(0x20);
    ck_assert_int_eq(next(), 0x57);
    command(0xae);
    command(0x20);
    ck_assert_int_eq(next(), 0x47);
    /* Data port read with nothing buffered: the last byte again. */
    ck_assert_int_eq(inb(0x60), 0x47);
    ck_assert_int_eq(inb(0x64) & 0x01, 0);
}
END_TEST

START_TEST(test_output_port_a20_reset)
{
    command(0xd0);
    ck_assert_int_eq(next() & 0x03, 0x03);
    command_data(0xd1, 0x01); /* A20 off, reset line high */
    ck_assert_int_eq(a20, false);
    ck_assert_int_eq(resets, 0);
    command(0xd0);
    ck_assert_int_eq(next() & 0x03, 0x01);
    command(0xdf);
    ck_assert_int_eq(a20, true);
    command(0xdd);
    ck_assert_int_eq(a20, false);
    ck_assert_int_eq(a20_calls, 3);
    command(0xfe); /* pulse the reset line */
    ck_assert_int_eq(resets, 1);
    command(0xff); /* pulse nothing */
    ck_assert_int_eq(resets, 1);
    command_data(0xd1, 0x02);
    ck_assert_int_eq(resets, 2);
}
END_TEST

START_TEST(test_keyboard_commands)
{
    outb(0x60, 0xff); /* reset */
    ck_assert_int_eq(next(), PS2_ACK);
    ck_assert_int_eq(next(), PS2_BAT_OK);
    ck_assert_int_eq(next(), -1);
    outb(0x60, 0xf2);
    ck_assert_int_eq(next(), PS2_ACK);
    ck_assert_int_eq(next(), 0xab);
    ck_assert_int_eq(next(), 0x83);
    outb(0x60, 0xee);
    ck_assert_int_eq(next(), 0xee);
    outb(0x60, 0xed);
    ck_assert_int_eq(next(), PS2_ACK);
    outb(0x60, 0x07);
    ck_assert_int_eq(next(), PS2_ACK);
    outb(0x60, 0xf0);
    ck_assert_int_eq(next(), PS2_ACK);
    outb(0x60, 0x00);
    ck_assert_int_eq(next(), PS2_ACK);
    ck_assert_int_eq(next(), 0x02);
    outb(0x60, 0x12); /* no such command */
    ck_assert_int_eq(next(), PS2_RESEND);
    /* With translation the identify answer's 83 reads as 41. */
    command_data(0x60, 0x40);
    outb(0x60, 0xf2);
    ck_assert_int_eq(next(), PS2_ACK);
    ck_assert_int_eq(next(), 0xab);
    ck_assert_int_eq(next(), 0x41);
}
END_TEST

START_TEST(test_keys_set2_and_translated)
{
    i8042_key(kbc, 0x1c, true); /* A */
    i8042_key(kbc, 0x1c, false);
    i8042_key(kbc, 0xe075, true); /* cursor up */
    i8042_key(kbc, 0xe075, false);
    static const int set2[] = { 0x1c, 0xf0, 0x1c, 0xe0, 0x75, 0xe0, 0xf0, 0x75 };
    for (unsigned i = 0; i < sizeof(set2) / sizeof(set2[0]); i++)
        ck_assert_int_eq(next(), set2[i]);
    ck_assert_int_eq(next(), -1);

    command_data(0x60, 0x40); /* translate */
    i8042_key(kbc, 0x1c, true);
    i8042_key(kbc, 0x1c, false);
    i8042_key(kbc, 0xe075, false);
    i8042_key(kbc, PS2_KEY_PAUSE, true);
    i8042_key(kbc, PS2_KEY_PRINT, true);
    static const int set1[] = { 0x1e, 0x9e, 0xe0, 0xc8,
                                0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5,
                                0xe0, 0x2a, 0xe0, 0x37 };
    for (unsigned i = 0; i < sizeof(set1) / sizeof(set1[0]); i++)
        ck_assert_int_eq(next(), set1[i]);
    ck_assert_int_eq(next(), -1);

    /* The keyboard itself in set 1, translation off. */
    command_data(0x60, 0x00);
    outb(0x60, 0xf0);
    outb(0x60, 0x01);
    ck_assert_int_eq(next(), PS2_ACK);
    ck_assert_int_eq(next(), PS2_ACK);
    i8042_key(kbc, 0x76, true); /* Esc */
    i8042_key(kbc, 0x76, false);
    ck_assert_int_eq(next(), 0x01);
    ck_assert_int_eq(next(), 0x81);
}
END_TEST

START_TEST(test_scanning_disabled)
{
    outb(0x60, 0xf5);
    ck_assert_int_eq(next(), PS2_ACK);
    i8042_key(kbc, 0x1c, true);
    ck_assert_int_eq(next(), -1);
    outb(0x60, 0xf4);
    ck_assert_int_eq(next(), PS2_ACK);
    i8042_key(kbc, 0x1c, true);
    ck_assert_int_eq(next(), 0x1c);
    /* Interface disabled by the controller: bytes wait. */
    command(0xad);
    i8042_key(kbc, 0x1b, true);
    ck_assert_int_eq(next(), -1);
    command(0xae);
    ck_assert_int_eq(next(), 0x1b);
}
END_TEST

START_TEST(test_irq_lines)
{
    command_data(0x60, 0x03); /* both interrupts */
    i8042_key(kbc, 0x1c, true);
    i8042_key(kbc, 0x1c, false);
    ck_assert_int_eq(level[1], 1);
    ck_assert_int_eq(rises[1], 1);
    ck_assert_int_eq(inb(0x60), 0x1c);
    /* The next byte raises the line again: an edge per byte. */
    ck_assert_int_eq(level[1], 1);
    ck_assert_int_eq(rises[1], 2);
    ck_assert_int_eq(inb(0x60), 0xf0);
    ck_assert_int_eq(inb(0x60), 0x1c);
    ck_assert_int_eq(level[1], 0);
    ck_assert_int_eq(rises[1], 3);
    command_data(0xd3, 0x42); /* as if from the mouse */
    ck_assert_int_eq(level[12], 1);
    ck_assert_int_eq(level[1], 0);
    ck_assert_int_eq(inb(0x64) & 0x21, 0x21);
    ck_assert_int_eq(inb(0x60), 0x42);
    ck_assert_int_eq(level[12], 0);
    command_data(0xd2, 0x43);
    ck_assert_int_eq(level[1], 1);
    ck_assert_int_eq(inb(0x64) & 0x21, 0x01);
    command(0xd0);
    ck_assert_int_eq(inb(0x60) & 0x30, 0x10);
}
END_TEST

static void mouse(uint8_t b) { command_data(0xd4, b); }

START_TEST(test_mouse_commands_and_packets)
{
    mouse(0xff);
    ck_assert_int_eq(next(), PS2_ACK);
    ck_assert_int_eq(next(), PS2_BAT_OK);
    ck_assert_int_eq(next(), 0x00);
    mouse(0xf2);
    ck_assert_int_eq(next(), PS2_ACK);
    ck_assert_int_eq(next(), 0x00);
    /* Motion while reporting is off is not reported. */
    i8042_mouse(kbc, 5, 5, 0, 0);
    ck_assert_int_eq(next(), -1);
    mouse(0xf4);
    ck_assert_int_eq(next(), PS2_ACK);
    i8042_mouse(kbc, 10, 3, 0, PS2_BUTTON_LEFT);
    ck_assert_int_eq(next(), 0x29); /* left, bit 3, Y negative (down) */
    ck_assert_int_eq(next(), 10);
    ck_assert_int_eq(next(), 0xfd);
    ck_assert_int_eq(next(), -1);
    /* A large motion is split into packets of at most 255. */
    i8042_mouse(kbc, 300, 0, 0, 0);
    ck_assert_int_eq(next(), 0x08);
    ck_assert_int_eq(next(), 255);
    ck_assert_int_eq(next(), 0);
    ck_assert_int_eq(next(), 0x08);
    ck_assert_int_eq(next(), 45);
    ck_assert_int_eq(next(), 0);
    /* The wheel knock: 200, 100, 80 makes ID 3 and 4-byte packets. */
    static const uint8_t knock[] = { 200, 100, 80 };
    for (int i = 0; i < 3; i++) {
        mouse(0xf3);
        ck_assert_int_eq(next(), PS2_ACK);
        mouse(knock[i]);
        ck_assert_int_eq(next(), PS2_ACK);
    }
    mouse(0xf2);
    ck_assert_int_eq(next(), PS2_ACK);
    ck_assert_int_eq(next(), 3);
    i8042_mouse(kbc, -2, 0, 1, 0);
    ck_assert_int_eq(next(), 0x18);
    ck_assert_int_eq(next(), 0xfe);
    ck_assert_int_eq(next(), 0);
    ck_assert_int_eq(next(), 1);
    /* Status: stream, reporting, 1:1; resolution 2; rate 80. */
    mouse(0xe9);
    ck_assert_int_eq(next(), PS2_ACK);
    ck_assert_int_eq(next(), 0x20);
    ck_assert_int_eq(next(), 2);
    ck_assert_int_eq(next(), 80);
    /* Remote mode: motion waits for a read-data command. */
    mouse(0xf0);
    ck_assert_int_eq(next(), PS2_ACK);
    i8042_mouse(kbc, 1, 0, 0, 0);
    ck_assert_int_eq(next(), -1);
    mouse(0xeb);
    ck_assert_int_eq(next(), PS2_ACK);
    ck_assert_int_eq(next(), 0x08);
    ck_assert_int_eq(next(), 1);
    ck_assert_int_eq(next(), 0);
    ck_assert_int_eq(next(), 0);
    /* Wrap mode echoes until EC. */
    mouse(0xee);
    ck_assert_int_eq(next(), PS2_ACK);
    mouse(0x12);
    ck_assert_int_eq(next(), 0x12);
    mouse(0xec);
    ck_assert_int_eq(next(), PS2_ACK);
    mouse(0x12);
    ck_assert_int_eq(next(), PS2_RESEND);
    /* With the mouse interface disabled its bytes wait. */
    command(0xa7);
    mouse(0xf2);
    ck_assert_int_eq(next(), -1);
    command(0xa8);
    ck_assert_int_eq(next(), PS2_ACK);
    ck_assert_int_eq(next(), 3);
}
END_TEST

/* Sample rates sent to the mouse, each acknowledged. */
static void mouse_rates(const uint8_t *rates, int n)
{
    for (int i = 0; i < n; i++) {
        mouse(0xf3);
        ck_assert_int_eq(next(), PS2_ACK);
        mouse(rates[i]);
        ck_assert_int_eq(next(), PS2_ACK);
    }
}

static int mouse_id(void)
{
    mouse(0xf2);
    ck_assert_int_eq(next(), PS2_ACK);
    return next();
}

/* The IntelliMouse Explorer (ID 4): reached from the wheel mouse only;
 * its fourth byte holds Z in 4 bits (two's complement, a turn up is -1)
 * and buttons 4 and 5 in bits 4 and 5. */
START_TEST(test_mouse_explorer)
{
    static const uint8_t wheel[] = { 200, 100, 80 }, five[] = { 200, 200, 80 };
    mouse(0xf4);
    ck_assert_int_eq(next(), PS2_ACK);
    mouse_rates(five, 3);
    ck_assert_int_eq(mouse_id(), 0); /* the wheel's knock comes first */
    mouse_rates(wheel, 3);
    ck_assert_int_eq(mouse_id(), 3);
    mouse_rates(five, 3);
    ck_assert_int_eq(mouse_id(), 4);
    i8042_mouse(kbc, 0, 0, -1, PS2_BUTTON_4);
    ck_assert_int_eq(next(), 0x08);
    ck_assert_int_eq(next(), 0);
    ck_assert_int_eq(next(), 0);
    ck_assert_int_eq(next(), 0x1f);
    ck_assert_int_eq(next(), -1);
    i8042_mouse(kbc, 0, 0, 0, PS2_BUTTON_5 | PS2_BUTTON_MIDDLE);
    ck_assert_int_eq(next(), 0x0c);
    ck_assert_int_eq(next(), 0);
    ck_assert_int_eq(next(), 0);
    ck_assert_int_eq(next(), 0x20);
    i8042_mouse(kbc, 0, 0, 0, 0);
    ck_assert_int_eq(next(), 0x08);
    ck_assert_int_eq(next(), 0);
    ck_assert_int_eq(next(), 0);
    ck_assert_int_eq(next(), 0x00);
    /* ten steps down: as much as 4 bits hold (7), then the rest */
    i8042_mouse(kbc, 0, 0, 10, 0);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(next(), i ? 0 : 0x08);
    ck_assert_int_eq(next(), 0x07);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(next(), i ? 0 : 0x08);
    ck_assert_int_eq(next(), 0x03);
    ck_assert_int_eq(next(), -1);
    /* a reset makes it a standard mouse again: 3-byte packets */
    mouse(0xff);
    ck_assert_int_eq(next(), PS2_ACK);
    ck_assert_int_eq(next(), PS2_BAT_OK);
    ck_assert_int_eq(next(), 0x00);
    ck_assert_int_eq(mouse_id(), 0);
}
END_TEST

START_TEST(test_board_reset)
{
    command_data(0x60, 0x43);
    i8042_key(kbc, 0x1c, true);
    device_bus_reset(&bus);
    ck_assert_int_eq(next(), -1);
    command(0x20);
    ck_assert_int_eq(next(), 0x00);
    ck_assert_int_eq(level[1], 0);
}
END_TEST

static Suite *i8042_suite(void)
{
    Suite *s = suite_create("i8042");
    TCase *tc = tcase_create("controller");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_state);
    tcase_add_test(tc, test_controller_commands);
    tcase_add_test(tc, test_output_port_a20_reset);
    tcase_add_test(tc, test_keyboard_commands);
    tcase_add_test(tc, test_keys_set2_and_translated);
    tcase_add_test(tc, test_scanning_disabled);
    tcase_add_test(tc, test_irq_lines);
    tcase_add_test(tc, test_mouse_commands_and_packets);
    tcase_add_test(tc, test_mouse_explorer);
    tcase_add_test(tc, test_board_reset);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(i8042_suite)
