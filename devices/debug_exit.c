/*
 * debug_exit.c - QEMU's isa-debug-exit: a write of value v to any of its
 * ports, at any width up to iosize, ends the emulation with exit status
 * (v << 1) | 1, so a guest test can report success or failure to the host.
 */
#include "devices/debug_exit.h"

#include <stdlib.h>

#include "base/util.h"

struct debug_exit_state {
    void (*exit_fn)(void *opaque, int status);
    void *opaque;
};

static uint64_t debug_exit_read(void *opaque, uint64_t offset, unsigned size)
{
    (void)opaque;
    (void)offset;
    (void)size;
    return 0;
}

static void debug_exit_write(void *opaque, uint64_t offset, uint64_t value,
                             unsigned size)
{
    struct debug_exit_state *s = opaque;
    (void)offset;
    (void)size;
    s->exit_fn(s->opaque, (int)(((uint32_t)value << 1) | 1));
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

struct debug_exit_state *
debug_exit_init(struct io_map *io, uint16_t iobase, uint16_t iosize,
                void (*exit_fn)(void *opaque, int status), void *opaque)
{
    struct debug_exit_state *s = xcalloc(1, sizeof(*s));
    s->exit_fn = exit_fn;
    s->opaque = opaque;
    if (iosize == 0)
        iosize = 1;
    unsigned count = iosize;
    if (count > 0x10000u - iobase)
        count = 0x10000u - iobase;
    /* The widest access the device takes is its size (QEMU: iosize). */
    const struct mem_ops *ops = iosize >= 4   ? &debug_exit_ops_dword
                                : iosize >= 2 ? &debug_exit_ops_word
                                              : &debug_exit_ops_byte;
    io_register(io, iobase, count, ops, s);
    return s;
}

void debug_exit_free(struct debug_exit_state *s) { free(s); }
