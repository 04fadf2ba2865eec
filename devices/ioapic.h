/*
 * ioapic.h - the Intel 82093AA I/O APIC: 24 interrupt input pins, each
 * turned into an interrupt message for the local APICs by its
 * redirection table entry.
 *
 *   ISA lines (IRQ0 -> pin 2, others n -> n) --+
 *   PCI PIRQA-D -> pins 16-19 -----------------+--> [ IOAPIC ] --> message
 *                                                   (ioapic_connect)
 *   local APIC EOI of a level vector --> ioapic_eoi (Remote IRR)
 */
#ifndef DEVICES_IOAPIC_H
#define DEVICES_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/device.h"
#include "devices/irq.h"

#define IOAPIC_DEFAULT_BASE 0xfec00000u
#define IOAPIC_NUM_PINS 24

struct ioapic_state;

/* "ioapic": created by the board only; no properties. */
extern const struct device_class ioapic_device_class;
struct ioapic_state *ioapic_from_device(struct device *dev);

/* Where messages go: deliver(opaque, destination, logical destination
 * mode, delivery mode (lapic.h's enum lapic_delivery), vector,
 * level-triggered). */
void ioapic_connect(struct ioapic_state *s,
                    void (*deliver)(void *opaque, uint8_t dest, bool logical,
                                    int mode, int vector, bool level),
                    void *opaque);
/* Input pin n (0-23). */
struct irq *ioapic_pin(struct ioapic_state *s, int n);
/* A local APIC's EOI for vector: clears Remote IRR of the level-triggered
 * entries with that vector (and delivers again a pin still asserted). */
void ioapic_eoi(struct ioapic_state *s, int vector);

/* For tests: IOREGSEL/IOWIN register access. */
uint32_t ioapic_read_reg(struct ioapic_state *s, uint8_t index);
void ioapic_write_reg(struct ioapic_state *s, uint8_t index, uint32_t value);

#endif
