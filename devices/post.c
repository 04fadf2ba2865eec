/*
 * post.c - port 0x80, where a PC BIOS writes its power-on self-test
 * progress codes (a POST card shows them). The port also serves as a
 * short I/O delay: operating systems write to it between accesses to
 * slow devices. Writes of any width are accepted and the low byte kept;
 * -d post logs each code. Reads return all ones, as the unclaimed port
 * of a PC bus (QEMU's pc answers the same).
 */
#include "devices/post.h"

#include <stdlib.h>

#include "base/util.h"

struct post_state {
    struct device dev;
    uint8_t code;
    struct io_region *port;
};

static uint64_t post_read(void *opaque, struct mem_attrs attrs,
                          uint64_t offset, unsigned size)
{
    (void)opaque, (void)attrs, (void)offset;
    return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

static void post_write(void *opaque, struct mem_attrs attrs, uint64_t offset,
                       uint64_t value, unsigned size)
{
    struct post_state *s = opaque;
    (void)attrs, (void)offset, (void)size;
    s->code = (uint8_t)value;
    if (log_enabled(LOG_POST))
        log_printf("post: %02x\n", s->code);
}

static const struct mem_ops post_ops = {
    .read = post_read,
    .write = post_write,
    .min_size = 1,
    .max_size = 4,
};

static void post_reset(struct device *dev)
{
    DEVICE_STATE(struct post_state, dev)->code = 0;
}

static struct device *post_create(struct device_bus *bus, const uint64_t *prop)
{
    struct post_state *s = xcalloc(1, sizeof(*s));
    (void)prop;
    s->port = io_register(bus->io, "isa-post", 0x80, 1, &post_ops, s);
    return &s->dev;
}

static void post_free(struct device *dev)
{
    struct post_state *s = DEVICE_STATE(struct post_state, dev);
    io_unregister(dev->bus->io, s->port);
    free(s);
}

const struct device_class post_device_class = {
    .name = "isa-post",
    .desc = "the POST code port 0x80 (-d post logs the codes)",
    .create = post_create,
    .reset = post_reset,
    .free = post_free,
};

uint8_t post_last_code(struct device *dev)
{
    J_ASSERT(dev->cls == &post_device_class);
    return DEVICE_STATE(struct post_state, dev)->code;
}
