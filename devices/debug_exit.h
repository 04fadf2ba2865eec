/*
 * debug_exit.h - the isa-debug-exit device of QEMU: a write of value v to
 * its ports ends the emulator with exit status (v << 1) | 1.
 */
#ifndef DEVICES_DEBUG_EXIT_H
#define DEVICES_DEBUG_EXIT_H

#include <stdint.h>

#include "softmmu/memory.h"

struct debug_exit_state;

struct debug_exit_state *
debug_exit_init(struct io_map *io, uint16_t iobase, uint16_t iosize,
                void (*exit_fn)(void *opaque, int status), void *opaque);
void debug_exit_free(struct debug_exit_state *s);

#endif
