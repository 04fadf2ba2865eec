/*
 * hpet.h - the High Precision Event Timer (IA-PC HPET specification 1.0a)
 * at 0xFED00000 as QEMU's pc has it: a 64-bit main counter at 100 MHz
 * and three comparators.
 *
 *   PIT channel 0 --> pit_in --+                      +--> ISA line 0
 *   RTC IRQ       --> rtc_in --+--> [ HPET legacy  ] -+--> ISA line 8
 *                                   [ replacement  ]  +--> IOAPIC pins
 *
 * While legacy replacement is off, the PIT's and the RTC's outputs pass
 * to ISA lines 0 and 8; while it is on, timer 0 drives ISA line 0 (the
 * 8259A's IRQ0 and IOAPIC pin 2) and timer 1 ISA line 8, and the PIT
 * and the RTC reach nothing. Otherwise a timer drives the IOAPIC pin its
 * route field names.
 */
#ifndef DEVICES_HPET_H
#define DEVICES_HPET_H

#include "devices/device.h"
#include "devices/irq.h"

#define HPET_DEFAULT_BASE 0xfed00000u
#define HPET_NUM_TIMERS 3

struct hpet_state;

/* "hpet": created by the board only; no properties. */
extern const struct device_class hpet_device_class;
struct hpet_state *hpet_from_device(struct device *dev);

/* The inputs the PIT's channel 0 and the RTC's IRQ output drive. */
struct irq *hpet_pit_in(struct hpet_state *s);
struct irq *hpet_rtc_in(struct hpet_state *s);
/* Outside legacy replacement, route value n (0-31) drives out[n] (the
 * IOAPIC's pins; NULL or beyond n_out: nowhere). */
void hpet_connect_routes(struct hpet_state *s, struct irq **out, int n_out);

/* For tests: a 64-bit register at offset, as a guest sees it. */
uint64_t hpet_read_reg(struct hpet_state *s, uint32_t offset);
void hpet_write_reg(struct hpet_state *s, uint32_t offset, uint64_t value);

#endif
