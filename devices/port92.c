/*
 * port92.c - System Control Port A at port 0x92 (IBM PS/2 Hardware
 * Interface Technical Reference; the PIIX3 data sheet, "Port 92h"):
 *
 *   bit 1  ALT_A20_GATE: 1 lets physical address bit 20 through, 0 forces
 *          it to 0 (the 8086 wrap at 1 MiB)
 *   bit 0  ALT_RESET: a write that takes it from 0 to 1 resets the CPU
 *          (the "fast reset"); it reads back as written
 *   bits 7-2  kept as written (bit 3 is a password lock on some boards)
 *
 * A20 is on at reset, the state QEMU's pc starts in and the one a
 * Multiboot kernel is entered with; a PC/AT BIOS would also leave it on
 * before loading an operating system. The board applies the gate (bus
 * set_a20: the CPU's address mask, the TLB and translated code) and the
 * reset (bus reset).
 */
#include "devices/port92.h"

#include <stdlib.h>

#include "base/util.h"

#define PORT92_RESET 0x01
#define PORT92_A20 0x02

struct port92_state {
    struct device dev;
    uint8_t value;
    struct io_region *port;
};

static void port92_apply_a20(struct port92_state *s)
{
    struct device_bus *bus = s->dev.bus;
    if (bus->set_a20)
        bus->set_a20(bus->board, (s->value & PORT92_A20) != 0);
}

static uint64_t port92_read(void *opaque, struct mem_attrs attrs,
                            uint64_t offset, unsigned size)
{
    struct port92_state *s = opaque;
    (void)attrs, (void)offset, (void)size;
    return s->value;
}

static void port92_write(void *opaque, struct mem_attrs attrs, uint64_t offset,
                         uint64_t value, unsigned size)
{
    struct port92_state *s = opaque;
    struct device_bus *bus = s->dev.bus;
    uint8_t old = s->value;
    (void)attrs, (void)offset, (void)size;
    s->value = (uint8_t)value;
    if ((old ^ s->value) & PORT92_A20)
        port92_apply_a20(s);
    if (!(old & PORT92_RESET) && (s->value & PORT92_RESET) && bus->reset)
        bus->reset(bus->board, "port 0x92 fast reset");
}

static const struct mem_ops port92_ops = {
    .read = port92_read,
    .write = port92_write,
    .min_size = 1,
    .max_size = 1,
};

static void port92_reset(struct device *dev)
{
    struct port92_state *s = DEVICE_STATE(struct port92_state, dev);
    s->value = PORT92_A20;
    port92_apply_a20(s);
}

static struct device *port92_create(struct device_bus *bus,
                                    const uint64_t *prop)
{
    struct port92_state *s = xcalloc(1, sizeof(*s));
    (void)prop;
    s->port = io_register(bus->io, "port92", 0x92, 1, &port92_ops, s);
    return &s->dev;
}

static void port92_free(struct device *dev)
{
    struct port92_state *s = DEVICE_STATE(struct port92_state, dev);
    io_unregister(dev->bus->io, s->port);
    free(s);
}

const struct device_class port92_device_class = {
    .name = "port92",
    .desc = "System Control Port A (0x92): fast A20 gate and fast reset",
    .create = port92_create,
    .reset = port92_reset,
    .free = port92_free,
};
