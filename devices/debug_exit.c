/*
 * debug_exit.c - QEMU's isa-debug-exit: a write of value v to any of its
 * ports, at any width up to iosize, ends the emulation with exit status
 * (v << 1) | 1, so a guest test can report success or failure to the host.
 */
#include "devices/debug_exit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/util.h"

struct debug_exit_state {
    struct device dev;
    struct io_region *ports;
};

static uint64_t debug_exit_read(void *opaque, struct mem_attrs attrs,
                                uint64_t offset, unsigned size)
{
    (void)attrs;
    (void)opaque;
    (void)offset;
    (void)size;
    return 0;
}

static void debug_exit_write(void *opaque, struct mem_attrs attrs,
                             uint64_t offset, uint64_t value, unsigned size)
{
    struct debug_exit_state *s = opaque;
    struct device_bus *bus = s->dev.bus;
    (void)attrs;
    (void)offset;
    (void)size;
    if (bus->exit)
        bus->exit(bus->board, (int)(((uint32_t)value << 1) | 1));
}

static const struct mem_ops debug_exit_ops_byte = {
    .read = debug_exit_read,
    .write = debug_exit_write,
    .min_size = 1,
    .max_size = 1,
};
static const struct mem_ops debug_exit_ops_word = {
    .read = debug_exit_read,
    .write = debug_exit_write,
    .min_size = 1,
    .max_size = 2,
};
static const struct mem_ops debug_exit_ops_dword = {
    .read = debug_exit_read,
    .write = debug_exit_write,
    .min_size = 1,
    .max_size = 4,
};

enum { DEBUG_EXIT_PROP_IOBASE, DEBUG_EXIT_PROP_IOSIZE, DEBUG_EXIT_N_PROPS };

static const struct device_prop debug_exit_props[DEBUG_EXIT_N_PROPS] = {
    [DEBUG_EXIT_PROP_IOBASE] = { "iobase", 0x501, 0, 0xffff, true,
                                 "a port number 0-0xffff" },
    [DEBUG_EXIT_PROP_IOSIZE] = { "iosize", 2, 1, 0x10000, false, "1-0x10000" },
};

static int debug_exit_check(const uint64_t *prop, char *err, size_t errlen)
{
    uint64_t iobase = prop[DEBUG_EXIT_PROP_IOBASE];
    uint64_t iosize = prop[DEBUG_EXIT_PROP_IOSIZE];
    if (iobase + iosize > 0x10000) {
        snprintf(err, errlen, "ports 0x%" PRIx64 "+%" PRIu64 " run past 0xffff",
                 iobase, iosize);
        return -1;
    }
    return 0;
}

static struct device *debug_exit_create(struct device_bus *bus,
                                        const uint64_t *prop)
{
    struct debug_exit_state *s = xcalloc(1, sizeof(*s));
    uint64_t iobase = prop[DEBUG_EXIT_PROP_IOBASE];
    uint64_t iosize = prop[DEBUG_EXIT_PROP_IOSIZE];
    /* The widest access the device takes is its size (QEMU: iosize). */
    const struct mem_ops *ops = iosize >= 4   ? &debug_exit_ops_dword
                                : iosize >= 2 ? &debug_exit_ops_word
                                              : &debug_exit_ops_byte;
    s->ports = io_register(bus->io, "isa-debug-exit", (uint32_t)iobase,
                           (unsigned)iosize, ops, s);
    return &s->dev;
}

static void debug_exit_free(struct device *dev)
{
    struct debug_exit_state *s = DEVICE_STATE(struct debug_exit_state, dev);
    io_unregister(dev->bus->io, s->ports);
    free(s);
}

const struct device_class debug_exit_device_class = {
    .name = "isa-debug-exit",
    .desc = "a write of V exits with status (V<<1)|1",
    .user = true,
    .props = debug_exit_props,
    .n_props = DEBUG_EXIT_N_PROPS,
    .check = debug_exit_check,
    .create = debug_exit_create,
    .free = debug_exit_free,
};
