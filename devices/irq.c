/*
 * irq.c - the fan-out and wired-OR interrupt line combinators of irq.h.
 *
 * A fan-out passes every level it is given to all its sinks, unchanged and
 * unfiltered: a sink sees exactly what it would see wired to the driver
 * alone (the PIC's edge detector depends on it). A wired-OR line drives
 * its output only when the OR of its drivers changes, as a real shared
 * open-drain line does: one driver's pulse while another holds the line
 * asserted is no edge at the far end.
 */
#include "devices/irq.h"

#include "base/util.h"

static void irq_fanout_handler(void *opaque, int n, int level)
{
    struct irq_fanout *f = opaque;
    (void)n;
    f->level = level;
    for (int i = 0; i < f->n_sinks; i++)
        irq_set(f->sink[i], level);
}

void irq_fanout_init(struct irq_fanout *f)
{
    irq_init(&f->in, irq_fanout_handler, f, 0);
    f->n_sinks = 0;
    f->level = 0;
}

void irq_fanout_add(struct irq_fanout *f, struct irq *sink)
{
    J_ASSERT(f->n_sinks < IRQ_FANOUT_MAX);
    f->sink[f->n_sinks++] = sink;
    if (f->level)
        irq_set(sink, f->level);
}

static void irq_or_handler(void *opaque, int n, int level)
{
    struct irq_or *w = opaque;
    uint32_t bit = (uint32_t)1 << n;
    if (level)
        w->asserted |= bit;
    else
        w->asserted &= ~bit;
    int any = w->asserted != 0;
    if (any != w->level) {
        w->level = any;
        irq_set(w->out, any);
    }
}

void irq_or_init(struct irq_or *w, struct irq *out)
{
    w->n_inputs = 0;
    w->asserted = 0;
    w->level = 0;
    w->out = out;
}

struct irq *irq_or_input(struct irq_or *w)
{
    J_ASSERT(w->n_inputs < IRQ_OR_MAX);
    struct irq *in = &w->in[w->n_inputs];
    irq_init(in, irq_or_handler, w, w->n_inputs);
    w->n_inputs++;
    return in;
}

void irq_or_connect(struct irq_or *w, struct irq *out)
{
    w->out = out;
    if (w->level)
        irq_set(out, w->level);
}
