/*
 * test_uart.c - unit tests of the 16550A (devices/uart.c) and of
 * isa-debug-exit (devices/debug_exit.c), driven through the I/O port map on
 * a virtual clock in icount mode.
 */
#include <check.h>
#include <stdlib.h>

#include "devices/debug_exit.h"
#include "base/clock.h"
#include "devices/uart.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"

#define COM1 0x3f8
#define RBR (COM1 + 0)
#define THR (COM1 + 0)
#define IER (COM1 + 1)
#define IIR (COM1 + 2)
#define FCR (COM1 + 2)
#define LCR (COM1 + 3)
#define MCR (COM1 + 4)
#define LSR (COM1 + 5)
#define MSR (COM1 + 6)
#define SCR (COM1 + 7)

static struct io_map *io;
static struct vclock clk;
static uint64_t insns;
static struct device_bus bus;
static struct uart_state *uart;
static struct irq irq4;
static int irq_level, irq_rises;
static uint8_t sent[64];
static int n_sent;

static void irq_handler(void *opaque, int n, int level)
{
    (void)opaque;
    (void)n;
    if (level && !irq_level)
        irq_rises++;
    irq_level = level;
}

static void tx(void *opaque, uint8_t byte)
{
    (void)opaque;
    if (n_sent < (int)sizeof(sent))
        sent[n_sent++] = byte;
}

static void outb(uint16_t port, uint8_t v)
{
    io_write(io, MEM_ATTRS_NONE, port, v, 1);
}
static uint8_t inb(uint16_t port)
{
    return (uint8_t)io_read(io, MEM_ATTRS_NONE, port, 1);
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

static void setup(void)
{
    io = calloc(1, sizeof(*io));
    io_map_init(io);
    insns = 0;
    vclock_init(&clk, true, 0, &insns);
    irq_level = 0;
    irq_rises = 0;
    n_sent = 0;
    irq_init(&irq4, irq_handler, NULL, 4);
    device_bus_init(&bus, NULL, io, &clk);
    irq_fanout_add(&bus.isa_irq[4], &irq4);
    uart = uart_from_device(
        device_create_str(&bus, "isa-serial,iobase=0x3f8,irq=4"));
    uart_connect_tx(uart, tx, NULL);
}

static void teardown(void)
{
    device_bus_destroy(&bus);
    free(io);
}

START_TEST(test_reset_state)
{
    ck_assert_int_eq(inb(IIR), 0x01);
    ck_assert_int_eq(inb(LSR), 0x60);
    ck_assert_int_eq(inb(IER), 0x00);
    ck_assert_int_eq(inb(MSR) & 0xf0, 0xb0);
    ck_assert_int_eq(irq_level, 0);
}
END_TEST

START_TEST(test_transmit)
{
    outb(THR, 'h');
    outb(THR, 'i');
    ck_assert_int_eq(n_sent, 2);
    ck_assert_int_eq(sent[0], 'h');
    ck_assert_int_eq(sent[1], 'i');
    ck_assert_int_eq(inb(LSR) & 0x60, 0x60);
}
END_TEST

START_TEST(test_divisor_latch)
{
    outb(LCR, 0x83);
    outb(COM1 + 0, 0x01);
    outb(COM1 + 1, 0x02);
    ck_assert_int_eq(inb(COM1 + 0), 0x01);
    ck_assert_int_eq(inb(COM1 + 1), 0x02);
    outb(LCR, 0x03);
    ck_assert_int_eq(inb(LCR), 0x03);
    /* With DLAB clear the same ports are THR and IER again. */
    ck_assert_int_eq(inb(IER), 0x00);
    outb(THR, 'x');
    ck_assert_int_eq(n_sent, 1);
    outb(LCR, 0x83);
    ck_assert_int_eq(inb(COM1 + 0), 0x01);
    ck_assert_int_eq(n_sent, 1);
    outb(SCR, 0x5a);
    ck_assert_int_eq(inb(SCR), 0x5a);
}
END_TEST

START_TEST(test_loopback)
{
    outb(FCR, 0x07);
    outb(MCR, 0x10 | 0x02 | 0x01); /* loop, RTS, DTR */
    /* MSR mirrors MCR: CTS from RTS, DSR from DTR, no RI, no DCD. */
    ck_assert_int_eq(inb(MSR) & 0xf0, 0x30);
    outb(THR, 0x41);
    outb(THR, 0x42);
    ck_assert_int_eq(n_sent, 0); /* nothing leaves the chip */
    ck_assert_int_eq(inb(LSR) & 0x01, 1);
    ck_assert_int_eq(inb(RBR), 0x41);
    ck_assert_int_eq(inb(RBR), 0x42);
    ck_assert_int_eq(inb(LSR) & 0x01, 0);
    /* Outside input is disconnected while looping back. */
    ck_assert_int_eq(uart_can_receive(uart), 0);
    uart_receive(uart, (const uint8_t *)"z", 1);
    ck_assert_int_eq(inb(LSR) & 0x01, 0);
    outb(MCR, 0x00);
    outb(THR, 0x43);
    ck_assert_int_eq(n_sent, 1);
}
END_TEST

START_TEST(test_fifo_and_overrun)
{
    outb(FCR, 0x07);
    ck_assert_int_eq(inb(IIR) & 0xc0, 0xc0);
    ck_assert_int_eq(uart_can_receive(uart), 16);
    uint8_t buf[20];
    for (int i = 0; i < 20; i++)
        buf[i] = (uint8_t)('a' + i);
    uart_receive(uart, buf, 20);
    ck_assert_int_eq(uart_can_receive(uart), 0);
    ck_assert_int_eq(inb(LSR) & 0x03, 0x03); /* DR, OE */
    ck_assert_int_eq(inb(LSR) & 0x03, 0x01); /* OE clears on read */
    for (int i = 0; i < 16; i++)
        ck_assert_int_eq(inb(RBR), 'a' + i); /* the excess was lost */
    ck_assert_int_eq(inb(LSR) & 0x01, 0);
}
END_TEST

START_TEST(test_no_fifo_overrun)
{
    ck_assert_int_eq(uart_can_receive(uart), 1);
    uart_receive(uart, (const uint8_t *)"pq", 2);
    /* 16450 behaviour: the new character replaces the unread one. */
    ck_assert_int_eq(inb(LSR) & 0x03, 0x03);
    ck_assert_int_eq(inb(RBR), 'q');
}
END_TEST

START_TEST(test_thre_interrupt)
{
    outb(IER, 0x02);
    /* Enabling ETBEI with the THR empty interrupts at once. */
    ck_assert_int_eq(irq_level, 1);
    ck_assert_int_eq(inb(IIR), 0x02);
    /* Reading IIR with THRE reported clears it. */
    ck_assert_int_eq(irq_level, 0);
    ck_assert_int_eq(inb(IIR), 0x01);
    /* Each THR write: the line drops and rises again (a new edge). */
    int rises = irq_rises;
    outb(THR, '1');
    ck_assert_int_eq(irq_level, 1);
    outb(THR, '2');
    ck_assert_int_eq(irq_rises, rises + 2);
    outb(IER, 0x00);
    ck_assert_int_eq(irq_level, 0);
}
END_TEST

START_TEST(test_iir_priorities)
{
    outb(FCR, 0x01); /* FIFO, trigger level 1 */
    outb(IER, 0x0f);
    outb(MCR, 0x10); /* loopback: CTS, DSR, DCD drop */
    ck_assert_int_eq(inb(MSR), 0x0b);
    outb(MCR, 0x11); /* DTR -> DSR: a modem status change */
    outb(THR, 'a');  /* data ready (and THRE) */
    /* Fill past the FIFO to get a line status error. */
    for (int i = 0; i < 16; i++)
        outb(THR, (uint8_t)i);
    ck_assert_int_eq(inb(IIR), 0xc6); /* receiver line status */
    ck_assert_int_eq(inb(LSR) & 0x02, 0x02);
    ck_assert_int_eq(inb(IIR), 0xc4); /* received data available */
    for (int i = 0; i < 16; i++)
        inb(RBR);
    ck_assert_int_eq(inb(IIR), 0xc2); /* THR empty, cleared by reading */
    ck_assert_int_eq(inb(IIR), 0xc0); /* modem status */
    ck_assert_int_eq(inb(MSR) & 0x0f, 0x02);
    ck_assert_int_eq(inb(IIR), 0xc1);
    ck_assert_int_eq(irq_level, 0);
}
END_TEST

START_TEST(test_trigger_level_and_timeout)
{
    /* 115200 8N1: one character is 10 bits = 86805 ns. */
    outb(LCR, 0x83);
    outb(COM1 + 0, 1);
    outb(COM1 + 1, 0);
    outb(LCR, 0x03);
    outb(FCR, 0x41); /* FIFO, trigger 4 */
    outb(IER, 0x01);
    uart_receive(uart, (const uint8_t *)"abc", 3);
    ck_assert_int_eq(irq_level, 0); /* below the trigger level */
    uart_receive(uart, (const uint8_t *)"d", 1);
    ck_assert_int_eq(irq_level, 1);
    ck_assert_int_eq(inb(IIR), 0xc4);
    inb(RBR);
    ck_assert_int_eq(irq_level, 0); /* 3 left, below 4 */
    int64_t char_ns = 10LL * 16 * NS_PER_SEC / 1843200;
    int64_t t0 = vclock_now(&clk);
    run_to(t0 + 4 * char_ns - 1);
    ck_assert_int_eq(irq_level, 0);
    run_to(t0 + 4 * char_ns);
    ck_assert_int_eq(irq_level, 1);
    ck_assert_int_eq(inb(IIR), 0xcc); /* character timeout */
    ck_assert_int_eq(inb(RBR), 'b');
    ck_assert_int_eq(irq_level, 0); /* reading restarts the timeout */
    inb(RBR);
    inb(RBR);
    run_to(vclock_now(&clk) + 100 * char_ns);
    ck_assert_int_eq(irq_level, 0); /* empty FIFO: no timeout */
}
END_TEST

START_TEST(test_fifo_disable_clears)
{
    outb(FCR, 0x01);
    uart_receive(uart, (const uint8_t *)"xyz", 3);
    outb(FCR, 0x00);
    ck_assert_int_eq(inb(LSR) & 0x01, 0);
    ck_assert_int_eq(inb(IIR) & 0xc0, 0x00);
    outb(FCR, 0x01);
    uart_receive(uart, (const uint8_t *)"xyz", 3);
    outb(FCR, 0x03); /* reset the receive FIFO */
    ck_assert_int_eq(inb(LSR) & 0x01, 0);
}
END_TEST

START_TEST(test_modem_status_loopback)
{
    outb(MCR, 0x10 | 0x04); /* loop + OUT1 -> RI */
    inb(MSR);
    outb(MCR, 0x10); /* RI falls: trailing edge */
    ck_assert_int_eq(inb(MSR), 0x04);
    outb(MCR, 0x10 | 0x08); /* OUT2 -> DCD */
    ck_assert_int_eq(inb(MSR), 0x88);
    ck_assert_int_eq(inb(MSR), 0x80);
}
END_TEST

static int exit_status = -1;
static void on_exit_fn(void *board, int status)
{
    ck_assert_ptr_eq(board, &exit_status);
    exit_status = status;
}

START_TEST(test_debug_exit)
{
    struct io_map *io2 = calloc(1, sizeof(*io2));
    struct device_bus bus2;
    io_map_init(io2);
    device_bus_init(&bus2, NULL, io2, NULL);
    bus2.board = &exit_status;
    bus2.exit = on_exit_fn;
    device_create_str(&bus2, "isa-debug-exit,iobase=0xf4,iosize=4");
    io_write(io2, MEM_ATTRS_NONE, 0xf4, 0x00, 1);
    ck_assert_int_eq(exit_status, 1);
    io_write(io2, MEM_ATTRS_NONE, 0xf4, 0x10, 1);
    ck_assert_int_eq(exit_status, 0x21);
    io_write(io2, MEM_ATTRS_NONE, 0xf4, 0x1234, 2);
    ck_assert_int_eq(exit_status, 0x2469);
    exit_status = -1;
    io_write(io2, MEM_ATTRS_NONE, 0xf6, 0x02, 1); /* any port of the range */
    ck_assert_int_eq(exit_status, 5);
    device_bus_destroy(&bus2);
    free(io2);
}
END_TEST

static Suite *uart_suite(void)
{
    Suite *s = suite_create("uart");
    TCase *tc = tcase_create("16550a");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_state);
    tcase_add_test(tc, test_transmit);
    tcase_add_test(tc, test_divisor_latch);
    tcase_add_test(tc, test_loopback);
    tcase_add_test(tc, test_fifo_and_overrun);
    tcase_add_test(tc, test_no_fifo_overrun);
    tcase_add_test(tc, test_thre_interrupt);
    tcase_add_test(tc, test_iir_priorities);
    tcase_add_test(tc, test_trigger_level_and_timeout);
    tcase_add_test(tc, test_fifo_disable_clears);
    tcase_add_test(tc, test_modem_status_loopback);
    suite_add_tcase(s, tc);
    TCase *tc2 = tcase_create("debug_exit");
    tcase_add_test(tc2, test_debug_exit);
    suite_add_tcase(s, tc2);
    return s;
}

UNIT_MAIN(uart_suite)
