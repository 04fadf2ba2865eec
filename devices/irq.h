/*
 * irq.h - interrupt lines. A device drives a line by setting the level of a
 * struct irq it was given; whoever is at the other end (a PIC input, the
 * CPU's INTR pin) registered the handler. Devices never call into the PIC
 * or the CPU directly.
 *
 * A struct irq is an input: one handler, one opaque, one pin number, so
 * irq_set() is a single indirect call. Two small combinators, themselves
 * built of struct irq inputs, wire more than one end together:
 *
 *   fan-out    one driver, several sinks: the ISA IRQ lines reach the PIC
 *              and (later) the IOAPIC. The driver sets irq_fanout.in.
 *
 *      device --> [fanout.in] --+--> PIC input n
 *                               +--> IOAPIC input n
 *
 *   wired-OR   several drivers, one line whose level is the OR of theirs:
 *              PCI INTx, where any device pulling the line asserts it.
 *              Each driver gets an input of its own (irq_or_input()).
 *
 *      dev A --> [or.in[0]] --+
 *      dev B --> [or.in[1]] --+--(OR)--> out
 *
 * Both are plain structs the board embeds where it likes; a wired-OR line
 * can feed a fan-out (a PCI link to the PIC and the IOAPIC).
 */
#ifndef DEVICES_IRQ_H
#define DEVICES_IRQ_H

#include <stdint.h>

struct irq {
    void (*handler)(void *opaque, int n, int level);
    void *opaque;
    int n;
};

static inline void irq_init(struct irq *irq, void (*handler)(void *, int, int),
                            void *opaque, int n)
{
    irq->handler = handler;
    irq->opaque = opaque;
    irq->n = n;
}

/* Drive the line to level (0 or 1). A NULL or unconnected line is a wire
 * to nowhere: the level is dropped. */
static inline void irq_set(struct irq *irq, int level)
{
    if (irq && irq->handler)
        irq->handler(irq->opaque, irq->n, level);
}
static inline void irq_raise(struct irq *irq) { irq_set(irq, 1); }
static inline void irq_lower(struct irq *irq) { irq_set(irq, 0); }

/* ---- fan-out: one driver, several sinks ---- */

#define IRQ_FANOUT_MAX 4

struct irq_fanout {
    struct irq in; /* what the driver sets */
    struct irq *sink[IRQ_FANOUT_MAX];
    int n_sinks;
    int level; /* the level last driven */
};

/* No sinks, level 0. */
void irq_fanout_init(struct irq_fanout *f);
/* Add a sink; it is driven at once to the line's level if that is high,
 * so a sink connected after the driver raised the line sees it. */
void irq_fanout_add(struct irq_fanout *f, struct irq *sink);

/* ---- wired-OR: several drivers, one line ---- */

#define IRQ_OR_MAX 32

struct irq_or {
    struct irq in[IRQ_OR_MAX]; /* one per driver, handed out in order */
    int n_inputs;
    uint32_t asserted; /* bit i: in[i] is driven high */
    int level;         /* the OR, as last driven to out */
    struct irq *out;
};

/* No drivers, level 0, driving out (may be NULL and set later with
 * irq_or_connect()). */
void irq_or_init(struct irq_or *w, struct irq *out);
/* A new driver's input (IRQ_OR_MAX at most). */
struct irq *irq_or_input(struct irq_or *w);
/* Drive out from now on, starting with the line's present level. */
void irq_or_connect(struct irq_or *w, struct irq *out);

#endif
