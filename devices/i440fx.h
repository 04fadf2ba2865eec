/*
 * i440fx.h - the Intel 82441FX PCI and memory controller (PMC) of the
 * 440FX chipset, QEMU's pc host bridge: PCI 00.0 (8086:1237), owner of
 * PCI bus 0 and its configuration ports 0xCF8/0xCFC, and of the PAM
 * registers that shadow 0xC0000-0xFFFFF in RAM.
 */
#ifndef DEVICES_I440FX_H
#define DEVICES_I440FX_H

#include <stdint.h>

#include "devices/device.h"
#include "devices/pci.h"

struct i440fx_state;

/* "i440fx": makes PCI bus 0 (bus->pci) with the host bridge at 00.0.
 * Create it before any PCI device. */
extern const struct device_class i440fx_device_class;
struct i440fx_state *i440fx_from_device(struct device *dev);

/* The shadow RAM: host memory of physical 0 (it must hold 0xC0000-
 * 0xFFFFF). The PAM regions are made here, all off (reads and writes go
 * to ROM and the bus) until the PAM registers say otherwise. */
void i440fx_set_ram(struct i440fx_state *s, uint8_t *ram);
/* The ROM showing at [base, base + size) below 1 MiB (host memory of
 * base), read through a PAM segment set to write-only. */
void i440fx_set_rom(struct i440fx_state *s, uint32_t base, uint32_t size,
                    const uint8_t *host);

#endif
