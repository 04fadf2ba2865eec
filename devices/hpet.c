/*
 * hpet.c - the HPET (IA-PC HPET specification 1.0a), 1 KiB of 64-bit
 * registers at 0xFED00000, the configuration QEMU's pc has:
 *
 *   000 capabilities: 63:32 period 10,000,000 fs (10 ns, 100 MHz),
 *       31:16 vendor 8086h, 15 legacy replacement capable, 13 64-bit
 *       counter, 12:8 timers - 1 (2), 7:0 revision 01h
 *   010 configuration: 0 ENABLE_CNF (the counter runs, interrupts may
 *       be raised), 1 LEG_RT_CNF (legacy replacement route)
 *   020 interrupt status: bit n, timer n's level interrupt is active;
 *       writing 1 clears it (and drops the line)
 *   0F0 main counter (writable while the counter is halted)
 *   100 + 20h n  timer n configuration and capabilities:
 *       63:32 route capability (bit r: IOAPIC pin r allowed; 4: pin 2
 *       only, as QEMU's pc gives), 15 FSB capable (0), 13:9 route,
 *       8 32MODE_CNF, 6 VAL_SET_CNF, 5 64-bit capable (1), 4 periodic
 *       capable (1), 3 TYPE_CNF periodic, 2 INT_ENB_CNF, 1 INT_TYPE_CNF
 *       (1 level)
 *   108 + 20h n  comparator
 *
 * Nothing counts in the background: the counter is worked out from the
 * virtual clock (its value at the last enable and the time since), and
 * each timer has one vtimer at its next match. At a match a periodic
 * timer adds its period to the comparator (the accumulator: the next
 * match is a period after the previous match, not after the interrupt);
 * a comparator write in periodic mode sets only the period unless
 * VAL_SET_CNF was set first, which lets it set the comparator too. In
 * 32-bit mode the comparator and the match use the counter's low 32 bits
 * and the comparator's upper half reads 0.
 *
 * An edge-triggered timer pulses its line at a match; a level-triggered
 * one sets its status bit and holds the line until the bit is cleared.
 * Neither happens unless INT_ENB_CNF and ENABLE_CNF are set.
 */
#include "devices/hpet.h"

#include <stdlib.h>

#include "base/util.h"

#define HPET_PERIOD_FS 10000000ull /* 10 ns */
#define HPET_HZ 100000000ll
#define HPET_CAP                                                           \
    ((HPET_PERIOD_FS << 32) | (0x8086ull << 16) | (1ull << 15) |           \
     (1ull << 13) | ((uint64_t)(HPET_NUM_TIMERS - 1) << 8) | 0x01)
#define HPET_ROUTE_CAP 0x00000004ull

#define CFG_ENABLE 1ull
#define CFG_LEGACY 2ull

#define TN_LEVEL (1ull << 1)
#define TN_INT_ENB (1ull << 2)
#define TN_PERIODIC (1ull << 3)
#define TN_PERIODIC_CAP (1ull << 4)
#define TN_SIZE_CAP (1ull << 5)
#define TN_VAL_SET (1ull << 6)
#define TN_32BIT (1ull << 8)
#define TN_ROUTE_SHIFT 9
#define TN_ROUTE_MASK (0x1full << TN_ROUTE_SHIFT)
#define TN_WRITABLE (TN_LEVEL | TN_INT_ENB | TN_PERIODIC | TN_VAL_SET |       \
                     TN_32BIT | TN_ROUTE_MASK)
#define TN_FIXED (TN_PERIODIC_CAP | TN_SIZE_CAP | (HPET_ROUTE_CAP << 32))

#define HPET_MAX_ROUTES 32

struct hpet_timer {
    struct hpet_state *hpet;
    int n;
    uint64_t config, cmp, period;
    struct vtimer vt;
    int line; /* the level this timer drives, for edge pulses and status */
};

struct hpet_state {
    struct device dev;
    struct mem_region *mmio;
    uint64_t config, isr;
    uint64_t counter;    /* the counter at counter_ns (or while halted) */
    int64_t counter_ns;
    struct hpet_timer t[HPET_NUM_TIMERS];
    struct irq pit_in, rtc_in;
    int pit_level, rtc_level;
    struct irq *route[HPET_MAX_ROUTES];
};

static bool hpet_enabled(const struct hpet_state *s)
{
    return (s->config & CFG_ENABLE) != 0;
}

static struct vclock *hpet_clock(struct hpet_state *s)
{
    return s->dev.bus->clock;
}

static uint64_t counter_now(struct hpet_state *s)
{
    if (!hpet_enabled(s))
        return s->counter;
    int64_t dt = vclock_now(hpet_clock(s)) - s->counter_ns;
    return s->counter + (uint64_t)ns_to_ticks(dt, HPET_HZ);
}

/* ---- the legacy switch and the routes ---- */

static struct irq *isa_line(struct hpet_state *s, int n)
{
    return &s->dev.bus->isa_irq[n].in;
}

static bool legacy(const struct hpet_state *s)
{
    return (s->config & CFG_LEGACY) != 0;
}

/* Where timer n's interrupt goes now. */
static struct irq *timer_out(struct hpet_state *s, int n)
{
    if (legacy(s) && n < 2)
        return isa_line(s, n == 0 ? 0 : 8);
    int r = (int)((s->t[n].config & TN_ROUTE_MASK) >> TN_ROUTE_SHIFT);
    return s->route[r];
}

static void set_timer_line(struct hpet_state *s, int n, int level)
{
    s->t[n].line = level;
    irq_set(timer_out(s, n), level);
}

static void hpet_pit_handler(void *opaque, int n, int level)
{
    struct hpet_state *s = opaque;
    (void)n;
    s->pit_level = level;
    if (!legacy(s))
        irq_set(isa_line(s, 0), level);
}

static void hpet_rtc_handler(void *opaque, int n, int level)
{
    struct hpet_state *s = opaque;
    (void)n;
    s->rtc_level = level;
    if (!legacy(s))
        irq_set(isa_line(s, 8), level);
}

/* ---- timers ---- */

static uint64_t cmp_mask(const struct hpet_timer *t)
{
    return (t->config & TN_32BIT) ? 0xffffffffull : ~0ull;
}

static void timer_arm(struct hpet_timer *t)
{
    struct hpet_state *s = t->hpet;
    if (!hpet_enabled(s)) {
        vtimer_del(&t->vt);
        return;
    }
    uint64_t mask = cmp_mask(t);
    uint64_t now = counter_now(s);
    uint64_t diff = (t->cmp - now) & mask;
    if (diff == 0)
        diff = mask == ~0ull ? ~0ull : mask + 1; /* the next wrap */
    if (diff > (uint64_t)INT64_MAX / 20) {
        vtimer_del(&t->vt); /* beyond any run */
        return;
    }
    /* The instant the counter reaches now + diff. */
    int64_t ns = s->counter_ns +
                 ticks_to_ns((int64_t)(now - s->counter) + (int64_t)diff,
                             HPET_HZ);
    vtimer_mod(&t->vt, ns);
}

static void timer_interrupt(struct hpet_timer *t)
{
    struct hpet_state *s = t->hpet;
    if (!(t->config & TN_INT_ENB) || !hpet_enabled(s))
        return;
    if (t->config & TN_LEVEL) {
        s->isr |= 1ull << t->n;
        set_timer_line(s, t->n, 1);
    } else {
        set_timer_line(s, t->n, 1);
        set_timer_line(s, t->n, 0);
    }
}

static void timer_expired(void *opaque)
{
    struct hpet_timer *t = opaque;
    struct hpet_state *s = t->hpet;
    uint64_t mask = cmp_mask(t);
    uint64_t now = counter_now(s);
    if (((now - t->cmp) & mask) > (mask >> 1))
        goto rearm; /* not reached yet (the clock ran late once) */
    timer_interrupt(t);
    if ((t->config & TN_PERIODIC) && t->period) {
        /* the accumulator: the next match a period after this one */
        uint64_t p = t->period & mask;
        do
            t->cmp = (t->cmp + p) & mask;
        while (((now - t->cmp) & mask) <= (mask >> 1) && p);
    }
rearm:
    timer_arm(t);
}

static void arm_all(struct hpet_state *s)
{
    for (int n = 0; n < HPET_NUM_TIMERS; n++)
        timer_arm(&s->t[n]);
}

/* ---- registers ---- */

uint64_t hpet_read_reg(struct hpet_state *s, uint32_t off)
{
    switch (off) {
    case 0x000: return HPET_CAP;
    case 0x010: return s->config;
    case 0x020: return s->isr;
    case 0x0f0: return counter_now(s);
    default: break;
    }
    if (off >= 0x100 && off < 0x100 + 0x20 * HPET_NUM_TIMERS) {
        struct hpet_timer *t = &s->t[(off - 0x100) / 0x20];
        switch (off & 0x1f) {
        case 0x00: return t->config | TN_FIXED;
        case 0x08: return t->cmp & cmp_mask(t);
        default: return 0; /* FSB route: no FSB delivery */
        }
    }
    return 0;
}

/* mask: the bits of the 64-bit register the access writes. */
static void hpet_write(struct hpet_state *s, uint32_t off, uint64_t v,
                       uint64_t mask)
{
    uint64_t old = hpet_read_reg(s, off);
    uint64_t nv = (old & ~mask) | (v & mask);

    switch (off) {
    case 0x010: {
        uint64_t was = s->config;
        if (!hpet_enabled(s) && (nv & CFG_ENABLE)) {
            s->counter_ns = vclock_now(hpet_clock(s));
        } else if (hpet_enabled(s) && !(nv & CFG_ENABLE)) {
            s->counter = counter_now(s);
        }
        /* timers driving a line move with the route */
        for (int n = 0; n < 2; n++)
            if (s->t[n].line && ((was ^ nv) & CFG_LEGACY))
                set_timer_line(s, n, 0);
        s->config = nv & (CFG_ENABLE | CFG_LEGACY);
        if ((was ^ nv) & CFG_LEGACY) {
            irq_set(isa_line(s, 0), legacy(s) ? s->t[0].line : s->pit_level);
            irq_set(isa_line(s, 8), legacy(s) ? s->t[1].line : s->rtc_level);
        }
        for (int n = 0; n < HPET_NUM_TIMERS; n++)
            if (s->isr & (1ull << n))
                set_timer_line(s, n, 1);
        arm_all(s);
        return;
    }
    case 0x020:
        for (int n = 0; n < HPET_NUM_TIMERS; n++) {
            if ((v & mask & s->isr) & (1ull << n)) {
                s->isr &= ~(1ull << n);
                set_timer_line(s, n, 0);
            }
        }
        return;
    case 0x0f0:
        /* software halts the counter before writing it (2.3.5) */
        if (!hpet_enabled(s)) {
            s->counter = nv;
            arm_all(s);
        }
        return;
    default:
        break;
    }
    if (off < 0x100 || off >= 0x100 + 0x20 * HPET_NUM_TIMERS)
        return;
    struct hpet_timer *t = &s->t[(off - 0x100) / 0x20];
    switch (off & 0x1f) {
    case 0x00: {
        uint64_t c = nv & TN_WRITABLE;
        /* a route the capability does not allow is not taken */
        int r = (int)((c & TN_ROUTE_MASK) >> TN_ROUTE_SHIFT);
        if (!((HPET_ROUTE_CAP >> r) & 1))
            c = (c & ~TN_ROUTE_MASK) | (t->config & TN_ROUTE_MASK);
        if (t->line && ((c ^ t->config) & (TN_ROUTE_MASK | TN_LEVEL)))
            set_timer_line(s, t->n, 0);
        t->config = c;
        if (!(c & TN_LEVEL) || !(c & TN_INT_ENB)) {
            if (s->isr & (1ull << t->n)) {
                s->isr &= ~(1ull << t->n);
                set_timer_line(s, t->n, 0);
            }
        }
        if (c & TN_32BIT) {
            t->cmp &= 0xffffffffull;
            t->period &= 0xffffffffull;
        }
        timer_arm(t);
        return;
    }
    case 0x08: {
        uint64_t val = nv & cmp_mask(t);
        if (!(t->config & TN_PERIODIC) || (t->config & TN_VAL_SET))
            t->cmp = (t->cmp & ~mask) | (val & mask);
        if (t->config & TN_PERIODIC)
            t->period = (t->period & ~mask) | (val & mask);
        t->config &= ~TN_VAL_SET;
        timer_arm(t);
        return;
    }
    default:
        return;
    }
}

void hpet_write_reg(struct hpet_state *s, uint32_t off, uint64_t v)
{
    hpet_write(s, off, v, ~0ull);
}

/* 32- and 64-bit accesses; a 32-bit one reaches half of a register. */
static uint64_t hpet_mmio_read(void *opaque, struct mem_attrs attrs,
                               uint64_t offset, unsigned size)
{
    struct hpet_state *s = opaque;
    (void)attrs;
    uint64_t v = hpet_read_reg(s, (uint32_t)offset & ~7u);
    if (size == 8)
        return v;
    return (v >> ((offset & 4) * 8)) & 0xffffffffull;
}

static void hpet_mmio_write(void *opaque, struct mem_attrs attrs,
                            uint64_t offset, uint64_t value, unsigned size)
{
    struct hpet_state *s = opaque;
    (void)attrs;
    if (size == 8) {
        hpet_write(s, (uint32_t)offset & ~7u, value, ~0ull);
        return;
    }
    unsigned shift = (offset & 4) * 8;
    hpet_write(s, (uint32_t)offset & ~7u, (value & 0xffffffffull) << shift,
               0xffffffffull << shift);
}

static const struct mem_ops hpet_mmio_ops = {
    .read = hpet_mmio_read,
    .write = hpet_mmio_write,
    .min_size = 4,
    .max_size = 8,
};

struct irq *hpet_pit_in(struct hpet_state *s) { return &s->pit_in; }
struct irq *hpet_rtc_in(struct hpet_state *s) { return &s->rtc_in; }

void hpet_connect_routes(struct hpet_state *s, struct irq **out, int n_out)
{
    for (int r = 0; r < HPET_MAX_ROUTES; r++)
        s->route[r] = r < n_out ? out[r] : NULL;
}

struct hpet_state *hpet_from_device(struct device *dev)
{
    J_ASSERT(dev && dev->cls == &hpet_device_class);
    return DEVICE_STATE(struct hpet_state, dev);
}

static void hpet_reset(struct device *dev)
{
    struct hpet_state *s = DEVICE_STATE(struct hpet_state, dev);
    bool was_legacy = legacy(s);
    for (int n = 0; n < HPET_NUM_TIMERS; n++) {
        struct hpet_timer *t = &s->t[n];
        vtimer_del(&t->vt);
        if (t->line)
            set_timer_line(s, n, 0);
        t->config = 0;
        t->cmp = ~0ull;
        t->period = 0;
    }
    s->config = 0;
    s->isr = 0;
    s->counter = 0;
    s->counter_ns = 0;
    if (was_legacy) {
        irq_set(isa_line(s, 0), s->pit_level);
        irq_set(isa_line(s, 8), s->rtc_level);
    }
}

static struct device *hpet_create(struct device_bus *bus,
                                  const uint64_t *prop)
{
    struct hpet_state *s = xcalloc(1, sizeof(*s));
    (void)prop;
    s->mmio = mem_add_mmio(bus->mem, "hpet", HPET_DEFAULT_BASE, 0x400,
                           &hpet_mmio_ops, s);
    for (int n = 0; n < HPET_NUM_TIMERS; n++) {
        s->t[n].hpet = s;
        s->t[n].n = n;
        vtimer_init(&s->t[n].vt, bus->clock, timer_expired, &s->t[n]);
    }
    irq_init(&s->pit_in, hpet_pit_handler, s, 0);
    irq_init(&s->rtc_in, hpet_rtc_handler, s, 8);
    return &s->dev;
}

static void hpet_free(struct device *dev)
{
    struct hpet_state *s = DEVICE_STATE(struct hpet_state, dev);
    for (int n = 0; n < HPET_NUM_TIMERS; n++)
        vtimer_del(&s->t[n].vt);
    mem_region_remove(s->mmio);
    free(s);
}

const struct device_class hpet_device_class = {
    .name = "hpet",
    .desc = "the HPET (0xFED00000): 3 timers, 100 MHz, legacy replacement",
    .create = hpet_create,
    .reset = hpet_reset,
    .free = hpet_free,
};
