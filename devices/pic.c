/*
 * pic.c - the PC's two cascaded Intel 8259A interrupt controllers and the
 * ELCR edge/level registers. Register behaviour follows the 8259A data
 * sheet: ICW1-ICW4 initialization, OCW1 mask, OCW2 EOI/rotation, OCW3
 * register select, poll and special mask mode.
 *
 * Edge-triggered requests are latched in IRR on a rising edge and stay
 * there until acknowledged, even if the line falls first (QEMU does the
 * same; it keeps a timer tick from being lost when the CPU is slow to take
 * it). Level-triggered requests (ELCR or ICW1.LTIM) follow the line. An
 * INTA with no request left returns the chip's IRQ7 vector without setting
 * ISR (the data sheet's spurious interrupt); for the slave, the master still
 * marks IRQ2 in service, so the handler must EOI the master.
 */
#include "devices/pic.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

struct pic_chip {
    uint8_t irr;         /* interrupt request register */
    uint8_t isr;         /* in-service register */
    uint8_t imr;         /* interrupt mask register (OCW1) */
    uint8_t line;        /* current input levels */
    uint8_t elcr;        /* 1: level-triggered input */
    uint8_t elcr_mask;   /* ELCR bits that exist on this chip */
    uint8_t vector_base; /* ICW2, T7-T3 */
    uint8_t icw3;
    uint8_t lowest;    /* IR with the lowest priority (rotation) */
    uint8_t init_step; /* 0: ready; 2, 3, 4: expecting that ICW */
    bool initialized;  /* an ICW1..ICW4 sequence has completed */
    bool icw4_needed;
    bool single;       /* ICW1.SNGL: no cascade */
    bool ltim;         /* ICW1.LTIM: all inputs level-triggered */
    bool auto_eoi;     /* ICW4.AEOI */
    bool rotate_aeoi;  /* OCW2 "rotate in automatic EOI mode" */
    bool sfnm;         /* ICW4.SFNM: special fully nested mode */
    bool special_mask; /* OCW3.SMM */
    bool read_isr;     /* OCW3.RIS: command port reads ISR */
    bool poll;         /* OCW3.P: next command port read is a poll */
    uint8_t icw4;
};

struct pic_state {
    struct device dev;
    struct pic_chip chip[2]; /* 0: master, 1: slave */
    struct irq lines[16];
    struct irq *intr_out;
    int intr_level;
    struct io_region *ports[3]; /* master, slave, ELCR */
};

/* Priority rank of IR n: 0 is the highest (after rotation). */
static int pic_rank(const struct pic_chip *c, int n)
{
    return (n - c->lowest - 1) & 7;
}

/* The IR of the highest-priority bit set in bits, or -1. */
static int pic_highest(const struct pic_chip *c, uint8_t bits)
{
    for (int r = 0; r < 8; r++) {
        int n = (c->lowest + 1 + r) & 7;
        if (bits & (1u << n))
            return n;
    }
    return -1;
}

/* The IR this chip would present now (an unmasked request of higher
 * priority than any in service), or -1. master: this chip has a slave on
 * IR2 (special fully nested mode lets the slave's IR2 through). */
static int pic_pending(const struct pic_chip *c, bool master)
{
    /* The data sheet leaves a chip undefined until it is initialized; it
     * requests nothing here, so a guest that never programs it (no BIOS
     * ran) does not get interrupts at vector 0. */
    if (!c->initialized)
        return -1;
    int req = pic_highest(c, c->irr & ~c->imr);
    if (req < 0)
        return -1;
    uint8_t in_service = c->isr;
    /* SMM: masked levels in service do not inhibit lower priorities. */
    if (c->special_mask)
        in_service &= ~c->imr;
    /* SFNM: a slave request of higher priority than the one the slave is
     * already serving must reach the CPU, so IR2 does not block itself. */
    if (master && c->sfnm && req == 2)
        in_service &= ~(1u << 2);
    int svc = pic_highest(c, in_service);
    if (svc >= 0 && pic_rank(c, svc) <= pic_rank(c, req))
        return -1;
    return req;
}

static bool pic_cascaded(const struct pic_state *s)
{
    return !s->chip[0].single;
}

/* Recompute the slave's output into master IR2 and the master's INTR. */
static void pic_update(struct pic_state *s)
{
    struct pic_chip *m = &s->chip[0], *sl = &s->chip[1];
    if (pic_cascaded(s)) {
        /* The slave's INT output is a level into IR2; treating IR2 as level
         * keeps further slave requests visible after an acknowledge. */
        if (pic_pending(sl, false) >= 0)
            m->irr |= 1u << 2;
        else
            m->irr &= ~(1u << 2);
    }
    int level = pic_pending(m, pic_cascaded(s)) >= 0;
    if (level != s->intr_level) {
        s->intr_level = level;
        irq_set(s->intr_out, level);
    }
}

static bool pic_is_level(const struct pic_chip *c, int n)
{
    return c->ltim || (c->elcr & (1u << n));
}

static void pic_set_line(void *opaque, int line, int level)
{
    struct pic_state *s = opaque;
    struct pic_chip *c = &s->chip[line >> 3];
    int n = line & 7;
    uint8_t bit = 1u << n;
    if (pic_is_level(c, n)) {
        if (level)
            c->irr |= bit;
        else
            c->irr &= ~bit;
    } else if (level && !(c->line & bit)) {
        c->irr |= bit;
    }
    if (level)
        c->line |= bit;
    else
        c->line &= ~bit;
    pic_update(s);
}

/* INTA on one chip for IR n: set ISR (unless auto-EOI), drop an edge
 * request from IRR. */
static void pic_ack_chip(struct pic_chip *c, int n)
{
    uint8_t bit = 1u << n;
    if (c->auto_eoi) {
        if (c->rotate_aeoi)
            c->lowest = n;
    } else {
        c->isr |= bit;
    }
    if (!pic_is_level(c, n))
        c->irr &= ~bit;
}

int pic_intr_ack(void *opaque)
{
    struct pic_state *s = opaque;
    struct pic_chip *m = &s->chip[0], *sl = &s->chip[1];
    int vector;
    int n = pic_pending(m, pic_cascaded(s));

    if (n < 0) {
        vector = m->vector_base | 7;
    } else if (n == 2 && pic_cascaded(s)) {
        int n2 = pic_pending(sl, false);
        pic_ack_chip(m, 2);
        if (n2 < 0) {
            vector = sl->vector_base | 7;
        } else {
            pic_ack_chip(sl, n2);
            vector = sl->vector_base | n2;
        }
    } else {
        pic_ack_chip(m, n);
        vector = m->vector_base | n;
    }
    pic_update(s);
    return vector;
}

/* OCW3 poll: the chip's highest request, acknowledged as by INTA. */
static uint8_t pic_poll(struct pic_state *s, struct pic_chip *c)
{
    bool master = c == &s->chip[0];
    int n = pic_pending(c, master && pic_cascaded(s));
    if (n < 0)
        return 0;
    pic_ack_chip(c, n);
    pic_update(s);
    return 0x80 | n;
}

/* End of interrupt on IR n, optionally making it the lowest priority. */
static void pic_eoi(struct pic_chip *c, int n, bool rotate)
{
    if (n < 0)
        return;
    c->isr &= ~(1u << n);
    if (rotate)
        c->lowest = n;
}

static void pic_chip_reset(struct pic_chip *c)
{
    uint8_t elcr = c->elcr, elcr_mask = c->elcr_mask, line = c->line;
    memset(c, 0, sizeof(*c));
    c->elcr = elcr;
    c->elcr_mask = elcr_mask;
    c->line = line;
    c->lowest = 7;
}

static void pic_write_command(struct pic_state *s, struct pic_chip *c,
                              uint8_t v)
{
    if (v & 0x10) {
        /* ICW1: start initialization. The data sheet: IMR cleared, IR7
         * lowest priority, special mask mode off, IRR selected for reading,
         * ICW4 functions zero if IC4 is 0, and edge detection reset so an
         * input must rise again to request. */
        uint8_t elcr = c->elcr, elcr_mask = c->elcr_mask, line = c->line;
        uint8_t base = c->vector_base;
        memset(c, 0, sizeof(*c));
        c->elcr = elcr;
        c->elcr_mask = elcr_mask;
        c->line = line;
        c->vector_base = base;
        c->lowest = 7;
        c->ltim = v & 0x08;
        c->single = v & 0x02;
        c->icw4_needed = v & 0x01;
        c->init_step = 2;
        /* Level inputs that are high request again at once. */
        for (int n = 0; n < 8; n++)
            if (pic_is_level(c, n) && (line & (1u << n)))
                c->irr |= 1u << n;
    } else if (v & 0x08) {
        /* OCW3 */
        if (v & 0x04)
            c->poll = true;
        if (v & 0x02)
            c->read_isr = v & 0x01;
        if (v & 0x40)
            c->special_mask = (v >> 5) & 1;
    } else {
        /* OCW2: R SL EOI bits 7..5, level in 2..0 */
        int level = v & 7;
        switch (v >> 5) {
        case 0: /* rotate in automatic EOI mode: clear */
            c->rotate_aeoi = false;
            break;
        case 4: /* rotate in automatic EOI mode: set */
            c->rotate_aeoi = true;
            break;
        case 1: /* non-specific EOI */
            pic_eoi(c, pic_highest(c, c->isr), false);
            break;
        case 5: /* rotate on non-specific EOI */
            pic_eoi(c, pic_highest(c, c->isr), true);
            break;
        case 3: /* specific EOI */ pic_eoi(c, level, false); break;
        case 7: /* rotate on specific EOI */ pic_eoi(c, level, true); break;
        case 6: /* set priority: level becomes the lowest */
            c->lowest = level;
            break;
        default: /* 2: no operation */ break;
        }
    }
    pic_update(s);
}

static void pic_write_data(struct pic_state *s, struct pic_chip *c, uint8_t v)
{
    switch (c->init_step) {
    case 2: /* ICW2: vector base (T7-T3 in x86 mode) */
        c->vector_base = v & 0xf8;
        if (!c->single)
            c->init_step = 3;
        else
            c->init_step = c->icw4_needed ? 4 : 0;
        c->initialized = c->init_step == 0;
        break;
    case 3: /* ICW3: cascade wiring, fixed by the board */
        c->icw3 = v;
        c->init_step = c->icw4_needed ? 4 : 0;
        c->initialized = c->init_step == 0;
        break;
    case 4: /* ICW4: uPM (8086 mode assumed), AEOI, buffered, SFNM */
        c->icw4 = v;
        c->auto_eoi = v & 0x02;
        c->sfnm = v & 0x10;
        c->init_step = 0;
        c->initialized = true;
        break;
    default: /* OCW1 */ c->imr = v; break;
    }
    pic_update(s);
}

static uint64_t pic_read(void *opaque, struct mem_attrs attrs,
                         uint64_t offset, unsigned size)
{
    struct pic_state *s = opaque;
    (void)attrs;
    (void)size;
    /* offset: 0x20, 0x21 map to 0, 1; the slave's ports use chip 1. */
    struct pic_chip *c = &s->chip[(offset >> 1) & 1];
    if (offset & 1)
        return c->imr;
    if (c->poll) {
        c->poll = false;
        return pic_poll(s, c);
    }
    return c->read_isr ? c->isr : c->irr;
}

static void pic_write(void *opaque, struct mem_attrs attrs,
                      uint64_t offset, uint64_t value, unsigned size)
{
    struct pic_state *s = opaque;
    (void)attrs;
    (void)size;
    struct pic_chip *c = &s->chip[(offset >> 1) & 1];
    if (offset & 1)
        pic_write_data(s, c, (uint8_t)value);
    else
        pic_write_command(s, c, (uint8_t)value);
}

/* The callbacks above take offsets 0-1 for the master and 2-3 for the
 * slave; the slave's registration adds 2 through its own wrapper. */
static const struct mem_ops pic_master_ops = {
    .read = pic_read,
    .write = pic_write,
    .min_size = 1,
    .max_size = 1,
};

static uint64_t pic_slave_read(void *opaque, struct mem_attrs attrs,
                               uint64_t offset, unsigned size)
{
    return pic_read(opaque, attrs, offset + 2, size);
}

static void pic_slave_write(void *opaque, struct mem_attrs attrs,
                            uint64_t offset, uint64_t value, unsigned size)
{
    pic_write(opaque, attrs, offset + 2, value, size);
}

static const struct mem_ops pic_slave_ops = {
    .read = pic_slave_read,
    .write = pic_slave_write,
    .min_size = 1,
    .max_size = 1,
};

/* ELCR (0x4D0 master, 0x4D1 slave): one bit per IRQ, 1 = level. IRQ0, 1,
 * 2, 8 and 13 are always edge (their bits are reserved). */
static uint64_t pic_elcr_read(void *opaque, struct mem_attrs attrs,
                              uint64_t offset, unsigned size)
{
    struct pic_state *s = opaque;
    (void)attrs;
    (void)size;
    return s->chip[offset & 1].elcr;
}

static void pic_elcr_write(void *opaque, struct mem_attrs attrs,
                           uint64_t offset, uint64_t value, unsigned size)
{
    struct pic_state *s = opaque;
    (void)attrs;
    (void)size;
    struct pic_chip *c = &s->chip[offset & 1];
    c->elcr = (uint8_t)value & c->elcr_mask;
    /* A line that became level-triggered requests while it is high; one
     * that became edge-triggered keeps what it has latched. */
    for (int n = 0; n < 8; n++) {
        if (pic_is_level(c, n)) {
            if (c->line & (1u << n))
                c->irr |= 1u << n;
            else
                c->irr &= ~(1u << n);
        }
    }
    pic_update(s);
}

static const struct mem_ops pic_elcr_ops = {
    .read = pic_elcr_read,
    .write = pic_elcr_write,
    .min_size = 1,
    .max_size = 1,
};

void pic_reset(struct pic_state *s)
{
    /* Input levels stay as the devices drive them. */
    for (int i = 0; i < 2; i++) {
        s->chip[i].elcr = 0;
        pic_chip_reset(&s->chip[i]);
    }
    s->chip[0].elcr_mask = 0xf8;
    s->chip[1].elcr_mask = 0xde;
    s->intr_level = 0;
    irq_set(s->intr_out, 0);
}

void pic_connect_intr(struct pic_state *s, struct irq *intr_out)
{
    s->intr_out = intr_out;
    irq_set(intr_out, s->intr_level);
}

static struct device *pic_create(struct device_bus *bus, const uint64_t *prop)
{
    struct pic_state *s = xcalloc(1, sizeof(*s));
    (void)prop;
    for (int i = 0; i < 16; i++)
        irq_init(&s->lines[i], pic_set_line, s, i);
    s->ports[0] = io_register(bus->io, "isa-pic", 0x20, 2, &pic_master_ops, s);
    s->ports[1] = io_register(bus->io, "isa-pic", 0xa0, 2, &pic_slave_ops, s);
    s->ports[2] = io_register(bus->io, "isa-pic", 0x4d0, 2, &pic_elcr_ops, s);
    return &s->dev;
}

static void pic_dev_reset(struct device *dev)
{
    pic_reset(pic_from_device(dev));
}

static void pic_dev_free(struct device *dev)
{
    struct pic_state *s = pic_from_device(dev);
    for (int i = 0; i < 3; i++)
        io_unregister(dev->bus->io, s->ports[i]);
    free(s);
}

const struct device_class pic_device_class = {
    .name = "isa-pic",
    .desc = "the 8259A master/slave pair with the ELCR",
    .create = pic_create,
    .reset = pic_dev_reset,
    .free = pic_dev_free,
};

struct pic_state *pic_from_device(struct device *dev)
{
    J_ASSERT(dev->cls == &pic_device_class);
    return DEVICE_STATE(struct pic_state, dev);
}

struct irq *pic_get_irq(struct pic_state *s, int line)
{
    J_ASSERT(line >= 0 && line < 16);
    return &s->lines[line];
}

int pic_intr_level(struct pic_state *s) { return s->intr_level; }
