/*
 * uart.c - a 16550A UART (NS PC16550D data sheet): the eight registers with
 * the DLAB divisor latch, 16-byte receive FIFO with trigger levels and the
 * character timeout, the interrupt identification priorities, modem status
 * with loopback.
 *
 * Transmission is instantaneous: a THR write hands the byte to the tx
 * callback (or, in loopback, to the receiver) at once. The THRE interrupt
 * follows the data sheet's rules with that timing: a THR write clears it,
 * the holding register is empty again right away, so it is raised again
 * (the interrupt line drops and rises, an edge the PIC sees); reading IIR
 * while it is the reported source, or clearing IER.ETBEI, clears it;
 * setting ETBEI with the THR empty raises it. THRE and TEMT therefore
 * always read as 1. The receive timeout is a vtimer of four character
 * times at the programmed rate, so it is deterministic under -icount.
 *
 * The interrupt output is not gated by MCR.OUT2 (as QEMU, whose behaviour
 * the guest tests are checked against).
 */
#include "devices/uart.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/util.h"

#define UART_FIFO_SIZE 16
#define UART_CLOCK_HZ 1843200 /* the PC's 1.8432 MHz crystal */

/* IER */
#define IER_RDA 0x01
#define IER_THRE 0x02
#define IER_RLS 0x04
#define IER_MS 0x08
/* IIR */
#define IIR_NONE 0x01
#define IIR_MS 0x00
#define IIR_THRE 0x02
#define IIR_RDA 0x04
#define IIR_RLS 0x06
#define IIR_TIMEOUT 0x0c
#define IIR_FIFO 0xc0
/* LCR */
#define LCR_DLAB 0x80
/* MCR */
#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
/* LSR */
#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_PE 0x04
#define LSR_FE 0x08
#define LSR_BI 0x10
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define LSR_ERRORS (LSR_OE | LSR_PE | LSR_FE | LSR_BI)
/* MSR: deltas in 3..0, lines in 7..4 */
#define MSR_DCTS 0x01
#define MSR_DDSR 0x02
#define MSR_TERI 0x04
#define MSR_DDCD 0x08
#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80

struct uart_state {
    struct device dev;
    struct io_region *ports;
    uint8_t ier, lcr, mcr, scr;
    uint8_t dll, dlm;
    uint8_t lsr_errors; /* OE/PE/FE/BI, cleared by reading LSR */
    uint8_t msr;
    bool fifo_enabled;
    int rx_trigger; /* 1, 4, 8 or 14 */

    uint8_t rx[UART_FIFO_SIZE];
    int rx_head, rx_count;

    bool thr_ipending;
    bool timeout_ipending;
    int irq_level;

    struct irq *irq;
    struct vclock *clk;
    struct vtimer timeout_timer;
    void (*tx)(void *opaque, uint8_t byte);
    void *tx_opaque;
};

static int uart_rx_capacity(const struct uart_state *s)
{
    return s->fifo_enabled ? UART_FIFO_SIZE : 1;
}

static uint8_t uart_iir(const struct uart_state *s)
{
    uint8_t id;
    if ((s->ier & IER_RLS) && (s->lsr_errors & LSR_ERRORS))
        id = IIR_RLS;
    else if ((s->ier & IER_RDA) &&
             s->rx_count >= (s->fifo_enabled ? s->rx_trigger : 1))
        id = IIR_RDA;
    else if ((s->ier & IER_RDA) && s->timeout_ipending)
        id = IIR_TIMEOUT;
    else if ((s->ier & IER_THRE) && s->thr_ipending)
        id = IIR_THRE;
    else if ((s->ier & IER_MS) && (s->msr & 0x0f))
        id = IIR_MS;
    else
        id = IIR_NONE;
    return id | (s->fifo_enabled ? IIR_FIFO : 0);
}

static void uart_update_irq(struct uart_state *s)
{
    int level = !(uart_iir(s) & IIR_NONE);
    if (level != s->irq_level) {
        s->irq_level = level;
        irq_set(s->irq, level);
    }
}

/* Nanoseconds to send one character at the programmed format and rate. */
static int64_t uart_char_ns(const struct uart_state *s)
{
    unsigned divisor = s->dll | s->dlm << 8;
    if (divisor == 0)
        divisor = 0x10000;
    int bits = 1 + 5 + (s->lcr & 3) + ((s->lcr & 0x08) ? 1 : 0) +
               ((s->lcr & 0x04) ? 2 : 1);
    return (int64_t)bits * divisor * 16 * NS_PER_SEC / UART_CLOCK_HZ;
}

/* FIFO mode: the timeout indication comes four character times after the
 * last byte went into or out of a non-empty receive FIFO. */
static void uart_arm_timeout(struct uart_state *s)
{
    s->timeout_ipending = false;
    if (s->fifo_enabled && s->rx_count > 0)
        vtimer_mod(&s->timeout_timer, vclock_now(s->clk) + 4 * uart_char_ns(s));
    else
        vtimer_del(&s->timeout_timer);
}

static void uart_timeout_cb(void *opaque)
{
    struct uart_state *s = opaque;
    if (s->fifo_enabled && s->rx_count > 0) {
        s->timeout_ipending = true;
        uart_update_irq(s);
    }
}

static void uart_rx_clear(struct uart_state *s)
{
    s->rx_head = 0;
    s->rx_count = 0;
    s->timeout_ipending = false;
    vtimer_del(&s->timeout_timer);
}

/* A character arrives in the receiver. */
static void uart_rx_push(struct uart_state *s, uint8_t byte)
{
    if (s->rx_count == uart_rx_capacity(s)) {
        s->lsr_errors |= LSR_OE;
        /* Without FIFO the new character destroys the unread one; with it
         * the character in the shift register is lost (data sheet). */
        if (!s->fifo_enabled)
            s->rx[s->rx_head] = byte;
    } else {
        s->rx[(s->rx_head + s->rx_count) % UART_FIFO_SIZE] = byte;
        s->rx_count++;
    }
    uart_arm_timeout(s);
}

static uint8_t uart_rx_pop(struct uart_state *s)
{
    if (s->rx_count == 0)
        return s->rx[s->rx_head];
    uint8_t byte = s->rx[s->rx_head];
    s->rx_head = (s->rx_head + 1) % UART_FIFO_SIZE;
    s->rx_count--;
    uart_arm_timeout(s);
    return byte;
}

/* The modem status inputs: in loopback MCR drives them (DTR->DSR,
 * RTS->CTS, OUT1->RI, OUT2->DCD); otherwise a connected terminal. */
static void uart_update_msr(struct uart_state *s)
{
    uint8_t in;
    if (s->mcr & MCR_LOOP) {
        in = ((s->mcr & MCR_RTS) ? MSR_CTS : 0) |
             ((s->mcr & MCR_DTR) ? MSR_DSR : 0) |
             ((s->mcr & MCR_OUT1) ? MSR_RI : 0) |
             ((s->mcr & MCR_OUT2) ? MSR_DCD : 0);
    } else {
        in = MSR_CTS | MSR_DSR | MSR_DCD;
    }
    uint8_t old = s->msr & 0xf0, delta = 0;
    uint8_t changed = old ^ in;
    if (changed & MSR_CTS)
        delta |= MSR_DCTS;
    if (changed & MSR_DSR)
        delta |= MSR_DDSR;
    if ((old & MSR_RI) && !(in & MSR_RI)) /* trailing edge of RI */
        delta |= MSR_TERI;
    if (changed & MSR_DCD)
        delta |= MSR_DDCD;
    s->msr = in | (s->msr & 0x0f) | delta;
}

static void uart_write_thr(struct uart_state *s, uint8_t byte)
{
    s->thr_ipending = false;
    uart_update_irq(s);
    if (s->mcr & MCR_LOOP)
        uart_rx_push(s, byte);
    else if (s->tx)
        s->tx(s->tx_opaque, byte);
    /* The holding register is empty again. */
    s->thr_ipending = true;
    uart_update_irq(s);
}

static void uart_write_fcr(struct uart_state *s, uint8_t v)
{
    bool enable = v & 0x01;
    if (enable != s->fifo_enabled) {
        uart_rx_clear(s);
        s->fifo_enabled = enable;
    }
    if (enable) {
        /* FCR bits other than bit 0 only take effect with it set. */
        if (v & 0x02)
            uart_rx_clear(s);
        static const int trigger[4] = { 1, 4, 8, 14 };
        s->rx_trigger = trigger[v >> 6];
    }
}

static uint64_t uart_read(void *opaque, struct mem_attrs attrs,
                          uint64_t offset, unsigned size)
{
    struct uart_state *s = opaque;
    uint8_t v;
    (void)attrs;
    (void)size;
    switch (offset) {
    case 0:
        if (s->lcr & LCR_DLAB)
            return s->dll;
        v = uart_rx_pop(s);
        break;
    case 1: return (s->lcr & LCR_DLAB) ? s->dlm : s->ier;
    case 2:
        v = uart_iir(s);
        /* Reading IIR when THRE is the reported source clears it. */
        if ((v & 0x0f) == IIR_THRE)
            s->thr_ipending = false;
        break;
    case 3: return s->lcr;
    case 4: return s->mcr;
    case 5:
        v = (s->rx_count ? LSR_DR : 0) | LSR_THRE | LSR_TEMT | s->lsr_errors;
        s->lsr_errors = 0;
        break;
    case 6:
        v = s->msr;
        s->msr &= 0xf0;
        break;
    default: return s->scr;
    }
    uart_update_irq(s);
    return v;
}

static void uart_write(void *opaque, struct mem_attrs attrs,
                       uint64_t offset, uint64_t value, unsigned size)
{
    struct uart_state *s = opaque;
    uint8_t v = (uint8_t)value;
    (void)attrs;
    (void)size;
    switch (offset) {
    case 0:
        if (s->lcr & LCR_DLAB)
            s->dll = v;
        else
            uart_write_thr(s, v);
        return;
    case 1:
        if (s->lcr & LCR_DLAB) {
            s->dlm = v;
            return;
        }
        /* Enabling ETBEI while the THR is empty raises THRE at once. */
        if ((v & IER_THRE) && !(s->ier & IER_THRE))
            s->thr_ipending = true;
        s->ier = v & 0x0f;
        break;
    case 2: uart_write_fcr(s, v); break;
    case 3: s->lcr = v; return;
    case 4:
        s->mcr = v & 0x1f;
        uart_update_msr(s);
        break;
    case 5: /* LSR: factory test only */
    case 6: /* MSR: read-only */ return;
    default: s->scr = v; return;
    }
    uart_update_irq(s);
}

static const struct mem_ops uart_ops = {
    .read = uart_read,
    .write = uart_write,
    .min_size = 1,
    .max_size = 1,
};

void uart_receive(struct uart_state *s, const uint8_t *buf, size_t len)
{
    /* In loopback the serial input is disconnected from the receiver. */
    if (s->mcr & MCR_LOOP)
        return;
    for (size_t i = 0; i < len; i++)
        uart_rx_push(s, buf[i]);
    uart_update_irq(s);
}

size_t uart_can_receive(struct uart_state *s)
{
    if (s->mcr & MCR_LOOP)
        return 0;
    return (size_t)(uart_rx_capacity(s) - s->rx_count);
}

void uart_reset(struct uart_state *s)
{
    /* Master reset (data sheet table): the divisor latch keeps its value. */
    s->ier = 0;
    s->lcr = 0;
    s->mcr = 0;
    s->lsr_errors = 0;
    s->msr = 0;
    s->fifo_enabled = false;
    s->rx_trigger = 1;
    uart_rx_clear(s);
    s->thr_ipending = false;
    uart_update_msr(s);
    s->msr &= 0xf0;
    uart_update_irq(s);
}

void uart_connect_tx(struct uart_state *s,
                     void (*tx)(void *opaque, uint8_t byte), void *opaque)
{
    s->tx = tx;
    s->tx_opaque = opaque;
}

enum { UART_PROP_IOBASE, UART_PROP_IRQ, UART_N_PROPS };

static const struct device_prop uart_props[UART_N_PROPS] = {
    [UART_PROP_IOBASE] = { "iobase", 0x3f8, 0, 0xfff8, true,
                           "a port number 0-0xfff8" },
    [UART_PROP_IRQ] = { "irq", 4, 0, ISA_NUM_IRQS - 1, false, "0-15" },
};

static struct device *uart_create(struct device_bus *bus, const uint64_t *prop)
{
    struct uart_state *s = xcalloc(1, sizeof(*s));
    s->irq = isa_irq(bus, (int)prop[UART_PROP_IRQ]);
    s->clk = bus->clock;
    s->dll = 12; /* 9600 baud until the guest programs the divisor */
    vtimer_init(&s->timeout_timer, s->clk, uart_timeout_cb, s);
    s->ports = io_register(bus->io, "isa-serial",
                           (uint32_t)prop[UART_PROP_IOBASE], 8, &uart_ops, s);
    return &s->dev;
}

static void uart_dev_reset(struct device *dev)
{
    uart_reset(uart_from_device(dev));
}

static void uart_dev_free(struct device *dev)
{
    struct uart_state *s = uart_from_device(dev);
    vtimer_del(&s->timeout_timer);
    io_unregister(dev->bus->io, s->ports);
    free(s);
}

const struct device_class uart_device_class = {
    .name = "isa-serial",
    .desc = "a 16550A UART",
    .props = uart_props,
    .n_props = UART_N_PROPS,
    .create = uart_create,
    .reset = uart_dev_reset,
    .free = uart_dev_free,
};

struct uart_state *uart_from_device(struct device *dev)
{
    J_ASSERT(dev->cls == &uart_device_class);
    return DEVICE_STATE(struct uart_state, dev);
}
