/*
 * debugcon.c - the debug console port (devices/debugcon.h): one byte-wide
 * I/O port; writes go to the board's sink, reads give 0xE9.
 */
#include "devices/debugcon.h"

#include <stdlib.h>

#include "base/util.h"

#define DEBUGCON_READBACK 0xe9u

struct debugcon_state {
    struct device dev;
    struct io_region *port;
    void (*out)(void *opaque, uint8_t byte);
    void *out_opaque;
};

static uint64_t debugcon_read(void *opaque, struct mem_attrs attrs,
                              uint64_t offset, unsigned size)
{
    (void)opaque, (void)attrs, (void)offset, (void)size;
    return DEBUGCON_READBACK;
}

/* A byte port: a wider OUT is split by the I/O map as on the ISA bus,
 * its low byte to this port and the next to the port after it. */
static void debugcon_write(void *opaque, struct mem_attrs attrs,
                           uint64_t offset, uint64_t value, unsigned size)
{
    struct debugcon_state *s = opaque;
    (void)attrs, (void)offset, (void)size;
    if (s->out)
        s->out(s->out_opaque, (uint8_t)value);
}

static const struct mem_ops debugcon_ops = {
    .read = debugcon_read,
    .write = debugcon_write,
    .min_size = 1,
    .max_size = 1,
};

enum { DEBUGCON_PROP_IOBASE, DEBUGCON_N_PROPS };

static const struct device_prop debugcon_props[DEBUGCON_N_PROPS] = {
    [DEBUGCON_PROP_IOBASE] = { "iobase", 0xe9, 0, 0xffff, true,
                               "a port number 0-0xffff" },
};

static struct device *debugcon_create(struct device_bus *bus,
                                      const uint64_t *prop)
{
    struct debugcon_state *s = xcalloc(1, sizeof(*s));
    s->port = io_register(bus->io, "isa-debugcon",
                          (uint32_t)prop[DEBUGCON_PROP_IOBASE], 1,
                          &debugcon_ops, s);
    return &s->dev;
}

static void debugcon_free(struct device *dev)
{
    struct debugcon_state *s = debugcon_from_device(dev);
    io_unregister(dev->bus->io, s->port);
    free(s);
}

struct debugcon_state *debugcon_from_device(struct device *dev)
{
    J_ASSERT(dev->cls == &debugcon_device_class);
    return DEVICE_STATE(struct debugcon_state, dev);
}

void debugcon_connect(struct debugcon_state *s,
                      void (*out)(void *opaque, uint8_t byte), void *opaque)
{
    s->out = out;
    s->out_opaque = opaque;
}

const struct device_class debugcon_device_class = {
    .name = "isa-debugcon",
    .desc = "debug console port: written bytes go to -debugcon's output",
    .user = false, /* its output is a host file: created by -debugcon */
    .props = debugcon_props,
    .n_props = DEBUGCON_N_PROPS,
    .create = debugcon_create,
    .free = debugcon_free,
};
