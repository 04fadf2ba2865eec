/*
 * pit.c - the Intel 8254 interval timer: three 16-bit down counters clocked
 * at 1.193182 MHz, counting in binary or BCD in modes 0-5, with counter
 * latch and read-back commands; plus port 0x61 (channel 2 gate, speaker
 * enable, refresh toggle, channel 2 output).
 *
 * Nothing counts in the background. A channel remembers the PIT tick at
 * which its count was loaded; its counter and output at any tick are
 * computed from the virtual clock (8254 data sheet, mode descriptions).
 * Channel 0's output feeds IRQ0: each change of it is a vtimer armed at
 * the exact virtual time of that change, so the PIC sees every edge at the
 * right instruction in -icount mode.
 *
 * A count written while mode 2 runs takes effect at the end of the current
 * period, in mode 3 at the end of the current half period (data sheet).
 * The one-CLK load delay of the data sheet is not modelled: counting
 * starts at the tick of the write.
 */
#include "devices/pit.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/util.h"

#define PIT_NEVER INT64_MAX
/* Output edges later than this behind the clock (host mode after a long
 * host stall) are dropped instead of replayed one by one. */
#define PIT_MAX_LAG_TICKS (PIT_FREQ / 10)

struct pit_state;

struct pit_channel {
    struct pit_state *pit;
    int index;

    uint8_t control; /* control word bits 5..0 as written (status byte) */
    uint8_t mode;    /* 0..5 (6, 7 alias 2, 3) */
    uint8_t rw;      /* 1: LSB, 2: MSB, 3: LSB then MSB */
    bool bcd;

    bool counting;       /* a count was written (modes 1/5: armed) */
    bool triggered;      /* modes 1/5: a gate edge started the count */
    uint32_t count;      /* active initial count, 1..65536 (0 written = max) */
    uint32_t reload;     /* last count written */
    int64_t load_tick;   /* PIT tick at which `count` was loaded */
    int64_t switch_tick; /* modes 2/3: `reload` replaces `count` here */
    bool switch_low;     /* mode 3: ... starting with its low half */
    bool paused;         /* gate low: counting suspended */
    int64_t paused_tick;
    bool null_count;
    int gate;

    bool write_msb_next;
    uint8_t write_lsb;
    bool read_msb_next;

    bool count_latched;
    bool latch_msb_next;
    uint16_t latch;
    bool status_latched;
    uint8_t status;

    /* Channel 0 only: IRQ0 edge timer. */
    struct vtimer timer;
    int64_t event_tick;
    int out_level;
};

struct pit_state {
    struct device dev;
    struct pit_channel ch[3];
    struct vclock *clk;
    struct irq *irq0;
    uint8_t port61; /* bits 0..3 as written */
    struct io_region *ports[2]; /* 0x40-0x43, 0x61 */
};

static int64_t pit_now_tick(struct pit_state *s)
{
    return ns_to_ticks(vclock_now(s->clk), PIT_FREQ);
}

/* Counter modulus: 16 bits binary, four decades BCD. */
static uint32_t pit_modulus(const struct pit_channel *c)
{
    return c->bcd ? 10000 : 65536;
}

static void pit_commit(struct pit_channel *c, int64_t t)
{
    if (c->switch_tick != PIT_NEVER && t >= c->switch_tick) {
        c->count = c->reload;
        /* After a high half the new count continues with a low half: as
         * if its own high half had just ended. */
        c->load_tick =
            c->switch_tick - (c->switch_low ? (int64_t)(c->count + 1) / 2 : 0);
        c->switch_tick = PIT_NEVER;
        c->null_count = false;
    }
}

/* Ticks counted since the load, not counting time with the gate low. */
static int64_t pit_elapsed(const struct pit_channel *c, int64_t t)
{
    return (c->paused ? c->paused_tick : t) - c->load_tick;
}

static int pit_out_at(const struct pit_channel *c, int64_t t)
{
    if (!c->counting)
        return c->mode == 0 ? 0 : 1;
    int64_t n = c->count, d = pit_elapsed(c, t);
    switch (c->mode) {
    case 0: /* interrupt on terminal count: low until the count expires */
        return d >= n;
    case 1: /* one-shot: low from the trigger until the count expires */
        return !c->triggered || d >= n;
    case 2: /* rate generator: low for the one clock before each reload */
        if (c->paused || n < 2)
            return 1;
        return d % n != n - 1;
    case 3: /* square wave: high for ceil(n/2), low for floor(n/2) */
        if (c->paused || n < 2)
            return 1;
        return d % n < (n + 1) / 2;
    case 4: /* software strobe: low for one clock when the count expires */
        return d != n;
    default: /* 5: hardware strobe */ return !c->triggered || d != n;
    }
}

/* First tick after t at which the output differs from its value at t. */
static int64_t pit_next_change(const struct pit_channel *c, int64_t t)
{
    if (!c->counting || c->paused)
        return PIT_NEVER;
    int64_t n = c->count, d = pit_elapsed(c, t), r;
    switch (c->mode) {
    case 0: return d < n ? c->load_tick + n : PIT_NEVER;
    case 1: return c->triggered && d < n ? c->load_tick + n : PIT_NEVER;
    case 2:
        if (n < 2)
            return PIT_NEVER;
        r = d % n;
        return r < n - 1 ? t + (n - 1 - r) : t + 1;
    case 3:
        if (n < 2)
            return PIT_NEVER;
        r = d % n;
        return r < (n + 1) / 2 ? t + ((n + 1) / 2 - r) : t + (n - r);
    default: /* 4, 5 */
        if (c->mode == 5 && !c->triggered)
            return PIT_NEVER;
        if (d < n)
            return c->load_tick + n;
        return d == n ? t + 1 : PIT_NEVER;
    }
}

/* The counting element's value at t, in binary. */
static uint32_t pit_value_at(const struct pit_channel *c, int64_t t)
{
    int64_t m = pit_modulus(c), n = c->count, d, r, h;
    if (!c->counting || ((c->mode == 1 || c->mode == 5) && !c->triggered))
        return (uint32_t)(c->reload % m);
    d = pit_elapsed(c, t);
    switch (c->mode) {
    case 2:
        if (n < 2)
            return (uint32_t)(n % m);
        return (uint32_t)((n - d % n) % m);
    case 3:
        if (n < 2)
            return (uint32_t)(n % m);
        /* Decrements by two; an odd count first loses one in the high
         * half and three in the low half (data sheet, mode 3). */
        r = d % n;
        h = (n + 1) / 2;
        if (!(n & 1))
            return (uint32_t)((r < h ? n - 2 * r : n - 2 * (r - h)) % m);
        if (r < h)
            return (uint32_t)((r == 0 ? n : n + 1 - 2 * r) % m);
        r -= h;
        return (uint32_t)((r == 0 ? n : n - 1 - 2 * r) % m);
    default: /* 0, 1, 4, 5: keep counting down and wrap after zero */
        return (uint32_t)((((n - d) % m) + m) % m);
    }
}

static uint16_t pit_to_bcd(uint32_t v)
{
    return (uint16_t)((v % 10) | (v / 10 % 10) << 4 | (v / 100 % 10) << 8 |
                      (v / 1000 % 10) << 12);
}

static uint32_t pit_from_bcd(uint16_t v)
{
    return (v & 0xf) + ((v >> 4) & 0xf) * 10 + ((v >> 8) & 0xf) * 100 +
           ((v >> 12) & 0xf) * 1000;
}

static uint16_t pit_read_value(const struct pit_channel *c, int64_t t)
{
    uint32_t v = pit_value_at(c, t);
    return c->bcd ? pit_to_bcd(v) : (uint16_t)v;
}

/* Channel 0: raise or lower IRQ0 to the output at t, then arm the timer
 * for the next change after t. */
static void pit_irq_sync(struct pit_channel *c, int64_t t)
{
    struct pit_state *s = c->pit;
    int out = pit_out_at(c, t);
    if (out != c->out_level) {
        c->out_level = out;
        irq_set(s->irq0, out);
    }
    int64_t e = pit_next_change(c, t);
    if (c->switch_tick != PIT_NEVER && c->switch_tick > t && c->switch_tick < e)
        e = c->switch_tick;
    c->event_tick = e;
    if (e == PIT_NEVER)
        vtimer_del(&c->timer);
    else
        vtimer_mod(&c->timer, ticks_to_ns(e, PIT_FREQ));
}

/* Emit every channel 0 edge due at or before `now`, in order. */
static void pit_catch_up(struct pit_channel *c, int64_t now)
{
    while (c->event_tick <= now) {
        int64_t t = c->event_tick;
        if (t < now - PIT_MAX_LAG_TICKS)
            t = now;
        pit_commit(c, t);
        pit_irq_sync(c, t);
    }
}

static void pit_timer_cb(void *opaque)
{
    struct pit_channel *c = opaque;
    pit_catch_up(c, pit_now_tick(c->pit));
}

/* Bring a channel to `now` before a register access changes or reads it. */
static int64_t pit_sync(struct pit_channel *c)
{
    int64_t now = pit_now_tick(c->pit);
    if (c->index == 0)
        pit_catch_up(c, now);
    pit_commit(c, now);
    return now;
}

static void pit_changed(struct pit_channel *c, int64_t now)
{
    if (c->index == 0)
        pit_irq_sync(c, now);
}

static void pit_write_control(struct pit_state *s, uint8_t v)
{
    int sc = v >> 6;
    if (sc == 3) {
        /* Read-back: bit 5 clear latches counts, bit 4 clear latches
         * status; bits 1..3 select counters 0..2. */
        for (int i = 0; i < 3; i++) {
            struct pit_channel *c = &s->ch[i];
            if (!(v & (2u << i)))
                continue;
            int64_t now = pit_sync(c);
            if (!(v & 0x20) && !c->count_latched) {
                c->latch = pit_read_value(c, now);
                c->count_latched = true;
                c->latch_msb_next = false;
            }
            if (!(v & 0x10) && !c->status_latched) {
                c->status = (uint8_t)(pit_out_at(c, now) << 7 |
                                      c->null_count << 6 | c->control);
                c->status_latched = true;
            }
        }
        return;
    }
    struct pit_channel *c = &s->ch[sc];
    int64_t now = pit_sync(c);
    int rw = (v >> 4) & 3;
    if (rw == 0) {
        /* Counter latch: a second latch before the read is ignored. */
        if (!c->count_latched) {
            c->latch = pit_read_value(c, now);
            c->count_latched = true;
            c->latch_msb_next = false;
        }
        return;
    }
    c->control = v & 0x3f;
    c->rw = (uint8_t)rw;
    c->mode = (v >> 1) & 7;
    if (c->mode > 5)
        c->mode -= 4;
    c->bcd = v & 1;
    c->counting = false;
    c->triggered = false;
    c->paused = false;
    c->switch_tick = PIT_NEVER;
    c->null_count = true;
    c->write_msb_next = false;
    c->read_msb_next = false;
    c->count_latched = false;
    c->status_latched = false;
    pit_changed(c, now);
}

/* A complete initial count was written at tick now. */
static void pit_load(struct pit_channel *c, uint32_t value, int64_t now)
{
    uint32_t n = c->bcd ? pit_from_bcd((uint16_t)value) : value;
    if (n == 0)
        n = pit_modulus(c);
    c->reload = n;
    switch (c->mode) {
    case 1:
    case 5:
        /* Armed; the count is loaded by the next gate trigger. */
        if (!c->counting)
            c->count = n;
        c->counting = true;
        c->null_count = false;
        break;
    case 2:
    case 3:
        if (c->counting && !c->paused) {
            /* The running period (mode 3: half period) completes first. */
            if (c->switch_tick == PIT_NEVER) {
                int64_t n0 = c->count, d = pit_elapsed(c, now);
                int64_t start = c->load_tick + d - d % n0;
                c->switch_low = c->mode == 3 && d % n0 < (n0 + 1) / 2;
                c->switch_tick = start + (c->switch_low ? (n0 + 1) / 2 : n0);
            }
            break;
        }
        c->count = n;
        c->load_tick = now;
        c->counting = true;
        c->paused = !c->gate;
        c->paused_tick = now;
        c->null_count = false;
        break;
    default: /* 0, 4: (re)start now; a low gate holds the count */
        c->count = n;
        c->load_tick = now;
        c->counting = true;
        c->paused = !c->gate;
        c->paused_tick = now;
        c->null_count = false;
        break;
    }
}

static void pit_write_counter(struct pit_channel *c, uint8_t v)
{
    int64_t now = pit_sync(c);
    switch (c->rw) {
    case 1: pit_load(c, v, now); break;
    case 2: pit_load(c, (uint32_t)v << 8, now); break;
    default:
        if (!c->write_msb_next) {
            c->write_lsb = v;
            c->write_msb_next = true;
            /* Mode 0: the first byte stops the count and drops OUT. */
            if (c->mode == 0)
                c->counting = false;
            break;
        }
        c->write_msb_next = false;
        pit_load(c, c->write_lsb | (uint32_t)v << 8, now);
        break;
    }
    pit_changed(c, now);
}

static uint8_t pit_read_counter(struct pit_channel *c)
{
    int64_t now = pit_sync(c);
    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    uint16_t v;
    bool msb;
    if (c->count_latched) {
        v = c->latch;
        if (c->rw == 3) {
            msb = c->latch_msb_next;
            c->latch_msb_next = !msb;
            if (msb)
                c->count_latched = false;
        } else {
            msb = c->rw == 2;
            c->count_latched = false;
        }
    } else {
        v = pit_read_value(c, now);
        if (c->rw == 3) {
            msb = c->read_msb_next;
            c->read_msb_next = !msb;
        } else {
            msb = c->rw == 2;
        }
    }
    return msb ? (uint8_t)(v >> 8) : (uint8_t)v;
}

void pit_set_gate(struct pit_state *s, int ch, int level)
{
    struct pit_channel *c = &s->ch[ch];
    level = level != 0;
    if (level == c->gate)
        return;
    int64_t now = pit_sync(c);
    c->gate = level;
    if (c->counting) {
        switch (c->mode) {
        case 0:
        case 4: /* gate low suspends counting */
            if (!level) {
                c->paused = true;
                c->paused_tick = now;
            } else if (c->paused) {
                c->load_tick += now - c->paused_tick;
                c->paused = false;
            }
            break;
        case 1:
        case 5: /* rising edge (re)triggers with the last written count */
            if (level) {
                c->count = c->reload;
                c->load_tick = now;
                c->triggered = true;
            }
            break;
        default: /* 2, 3: low stops with OUT high, rising edge reloads */
            if (!level) {
                c->paused = true;
                c->paused_tick = now;
                c->switch_tick = PIT_NEVER;
            } else {
                c->count = c->reload;
                c->load_tick = now;
                c->paused = false;
                c->null_count = false;
            }
            break;
        }
    }
    pit_changed(c, now);
}

int pit_get_out(struct pit_state *s, int ch)
{
    struct pit_channel *c = &s->ch[ch];
    int64_t now = pit_sync(c);
    return pit_out_at(c, now);
}

static uint64_t pit_io_read(void *opaque, struct mem_attrs attrs,
                            uint64_t offset, unsigned size)
{
    struct pit_state *s = opaque;
    (void)attrs;
    (void)size;
    if (offset == 3)
        return 0xff; /* the control register is write-only */
    return pit_read_counter(&s->ch[offset]);
}

static void pit_io_write(void *opaque, struct mem_attrs attrs,
                         uint64_t offset, uint64_t value, unsigned size)
{
    struct pit_state *s = opaque;
    (void)attrs;
    (void)size;
    if (offset == 3)
        pit_write_control(s, (uint8_t)value);
    else
        pit_write_counter(&s->ch[offset], (uint8_t)value);
}

static const struct mem_ops pit_ops = {
    .read = pit_io_read,
    .write = pit_io_write,
    .min_size = 1,
    .max_size = 1,
};

/*
 * Port 0x61 (system control port B):
 *   bit 0 channel 2 gate        bit 4 refresh request toggle (read)
 *   bit 1 speaker data enable   bit 5 channel 2 output (read)
 *   bits 2, 3 parity/IOCHK enables, kept as written; bits 6, 7 read 0.
 */
static uint64_t pit_port61_read(void *opaque, struct mem_attrs attrs,
                                uint64_t offset, unsigned size)
{
    struct pit_state *s = opaque;
    (void)attrs;
    (void)offset;
    (void)size;
    /* DRAM refresh toggles every 15.085 us; from the virtual clock. */
    int refresh = (int)((vclock_now(s->clk) / 15085) & 1);
    return (s->port61 & 0x0f) | refresh << 4 | pit_get_out(s, 2) << 5;
}

static void pit_port61_write(void *opaque, struct mem_attrs attrs,
                             uint64_t offset, uint64_t value, unsigned size)
{
    struct pit_state *s = opaque;
    (void)attrs;
    (void)offset;
    (void)size;
    s->port61 = (uint8_t)value & 0x0f;
    pit_set_gate(s, 2, value & 1);
}

static const struct mem_ops pit_port61_ops = {
    .read = pit_port61_read,
    .write = pit_port61_write,
    .min_size = 1,
    .max_size = 1,
};

void pit_reset(struct pit_state *s)
{
    for (int i = 0; i < 3; i++) {
        struct pit_channel *c = &s->ch[i];
        if (i == 0)
            vtimer_del(&c->timer);
        c->control = 0x36; /* mode 3, LSB then MSB, binary */
        c->mode = 3;
        c->rw = 3;
        c->bcd = false;
        c->counting = false;
        c->triggered = false;
        c->count = c->reload = 65536;
        c->load_tick = 0;
        c->switch_tick = PIT_NEVER;
        c->paused = false;
        c->null_count = true;
        /* Channels 0 and 1 have their gates tied high on the PC. */
        c->gate = i != 2;
        c->write_msb_next = c->read_msb_next = false;
        c->count_latched = c->status_latched = false;
        c->latch_msb_next = false;
        c->event_tick = PIT_NEVER;
    }
    s->port61 = 0;
    s->ch[0].out_level = 1;
    irq_set(s->irq0, 1);
}

void pit_connect_irq0(struct pit_state *s, struct irq *irq0)
{
    s->irq0 = irq0;
    irq_set(irq0, s->ch[0].out_level);
}

static struct device *pit_create(struct device_bus *bus, const uint64_t *prop)
{
    struct pit_state *s = xcalloc(1, sizeof(*s));
    (void)prop;
    s->clk = bus->clock;
    s->irq0 = isa_irq(bus, 0);
    for (int i = 0; i < 3; i++) {
        s->ch[i].pit = s;
        s->ch[i].index = i;
    }
    vtimer_init(&s->ch[0].timer, s->clk, pit_timer_cb, &s->ch[0]);
    s->ports[0] = io_register(bus->io, "isa-pit", 0x40, 4, &pit_ops, s);
    s->ports[1] = io_register(bus->io, "isa-pit", 0x61, 1, &pit_port61_ops, s);
    return &s->dev;
}

static void pit_dev_reset(struct device *dev)
{
    pit_reset(pit_from_device(dev));
}

static void pit_dev_free(struct device *dev)
{
    struct pit_state *s = pit_from_device(dev);
    vtimer_del(&s->ch[0].timer);
    io_unregister(dev->bus->io, s->ports[0]);
    io_unregister(dev->bus->io, s->ports[1]);
    free(s);
}

const struct device_class pit_device_class = {
    .name = "isa-pit",
    .desc = "the 8254 interval timer with port 0x61",
    .create = pit_create,
    .reset = pit_dev_reset,
    .free = pit_dev_free,
};

struct pit_state *pit_from_device(struct device *dev)
{
    J_ASSERT(dev->cls == &pit_device_class);
    return DEVICE_STATE(struct pit_state, dev);
}
