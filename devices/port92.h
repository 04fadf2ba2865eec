/*
 * port92.h - System Control Port A (port 0x92) of PS/2 and later PCs:
 * bit 1 the fast A20 gate, bit 0 the fast reset. The gate and the reset
 * are the board's: the device asks for them through the bus services.
 */
#ifndef DEVICES_PORT92_H
#define DEVICES_PORT92_H

#include "devices/device.h"

/* "port92": port 0x92. */
extern const struct device_class port92_device_class;

#endif
