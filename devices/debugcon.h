/*
 * debugcon.h - the debug console port of Bochs and QEMU ("isa-debugcon",
 * port 0xE9 by default): every byte the guest writes goes out unchanged,
 * with no UART to program, so firmware can print from its first
 * instruction. A read returns the readback value 0xE9, by which guests
 * detect the port (Bochs's port_e9_hack, QEMU's readback default).
 */
#ifndef DEVICES_DEBUGCON_H
#define DEVICES_DEBUGCON_H

#include <stdint.h>

#include "devices/device.h"

struct debugcon_state;

/* "isa-debugcon": iobase (default 0xe9). The board creates it for
 * -debugcon and connects its output. */
extern const struct device_class debugcon_device_class;
struct debugcon_state *debugcon_from_device(struct device *dev);
/* Where written bytes go (until set: nowhere). */
void debugcon_connect(struct debugcon_state *s,
                      void (*out)(void *opaque, uint8_t byte), void *opaque);

#endif
