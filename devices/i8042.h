/*
 * i8042.h - the PC/AT keyboard controller (an Intel 8042 running the
 * keyboard BIOS) with a PS/2 keyboard on its first port and a PS/2 mouse
 * on its auxiliary port: ports 0x60 (data) and 0x64 (status, command),
 * IRQ 1 (keyboard) and IRQ 12 (mouse), the system reset line and the A20
 * gate on its output port.
 *
 * Host input enters through i8042_key() and i8042_mouse() at an
 * instruction boundary (devices/ps2.h says how keys are named).
 */
#ifndef DEVICES_I8042_H
#define DEVICES_I8042_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/device.h"

struct i8042_state;

/* "i8042": no properties; ports 0x60 and 0x64, ISA IRQs 1 and 12. */
extern const struct device_class i8042_device_class;
struct i8042_state *i8042_from_device(struct device *dev);

/* The output port's lines the board wires: reset (pulsed low by command
 * FEh or an output port write with bit 0 clear) and the A20 gate (bit 1).
 * Until connected they go nowhere. */
void i8042_connect(struct i8042_state *s, void (*reset)(void *opaque),
                   void (*set_a20)(void *opaque, bool on), void *opaque);

/* A key down or up (set 2 make code, devices/ps2.h). */
void i8042_key(struct i8042_state *s, uint16_t key, bool down);
/* Keyboard bytes the guest has not read yet (queued, or in the output
 * buffer): a host front end typing many keys waits for false between
 * them, so the keyboard's queue never overflows. */
bool i8042_kbd_busy(const struct i8042_state *s);
/* Mouse motion (dy down is positive), wheel and buttons held. */
void i8042_mouse(struct i8042_state *s, int dx, int dy, int dz,
                 unsigned buttons);

#endif
