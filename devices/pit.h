/*
 * pit.h - the Intel 8254 programmable interval timer (ports 0x40-0x43) and
 * the channel 2 gate/output bits of port 0x61 (the PC speaker control).
 *
 * Counting follows the virtual clock at 1.193182 MHz; channel 0's output
 * drives irq0, and each change of that output is a vtimer at the exact
 * virtual time it happens.
 */
#ifndef DEVICES_PIT_H
#define DEVICES_PIT_H

#include "devices/device.h"

#define PIT_FREQ 1193182

struct pit_state;

/* "isa-pit": ports 0x40-0x43 and 0x61, ISA IRQ 0, the bus's clock. */
extern const struct device_class pit_device_class;
struct pit_state *pit_from_device(struct device *dev);
/* Channel 0's output drives irq0 from now on instead of ISA line 0 (the
 * board puts the HPET's legacy replacement switch between them), driven
 * at once to its present level. */
void pit_connect_irq0(struct pit_state *s, struct irq *irq0);
void pit_reset(struct pit_state *s);
/* Output pin of channel ch (0-2) at the current virtual time. */
int pit_get_out(struct pit_state *s, int ch);
/* Gate input of channel ch (channel 2's is also port 0x61 bit 0). */
void pit_set_gate(struct pit_state *s, int ch, int level);

#endif
