/*
 * debug_exit.h - the isa-debug-exit device of QEMU: a write of value v to
 * its ports ends the emulator with exit status (v << 1) | 1.
 */
#ifndef DEVICES_DEBUG_EXIT_H
#define DEVICES_DEBUG_EXIT_H

#include "devices/device.h"

/* "isa-debug-exit": iobase (default 0x501), iosize (default 2), as QEMU.
 * It asks the board to end the run through the bus's exit service. */
extern const struct device_class debug_exit_device_class;

#endif
