/*
 * irq.h - interrupt lines. A device holds a struct irq * and sets its level;
 * whoever is at the other end (the PIC, the CPU's INTR pin) registered the
 * handler. Devices never call into the PIC or the CPU directly.
 */
#ifndef DEVICES_IRQ_H
#define DEVICES_IRQ_H

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

static inline void irq_set(struct irq *irq, int level)
{
    if (irq && irq->handler)
        irq->handler(irq->opaque, irq->n, level);
}
static inline void irq_raise(struct irq *irq) { irq_set(irq, 1); }
static inline void irq_lower(struct irq *irq) { irq_set(irq, 0); }

#endif
