/*
 * pic.h - the two cascaded Intel 8259A programmable interrupt controllers
 * of the PC (master at ports 0x20-0x21, slave at 0xA0-0xA1 on the master's
 * IRQ2) with the edge/level control registers (ELCR) at 0x4D0-0x4D1.
 *
 * Devices raise lines 0-15 through pic_get_irq(); the pair drives one
 * output (the CPU's INTR pin, pic_connect_intr()). The CPU acknowledges with
 * pic_intr_ack(), which returns the vector to deliver.
 */
#ifndef DEVICES_PIC_H
#define DEVICES_PIC_H

#include "devices/device.h"
#include "devices/irq.h"

struct pic_state;

/* "isa-pic": no properties; the board connects the ISA lines to
 * pic_get_irq() and the output with pic_connect_intr(). */
extern const struct device_class pic_device_class;
struct pic_state *pic_from_device(struct device *dev);
/* The INTR output (the CPU's pin); driven at once to its present level. */
void pic_connect_intr(struct pic_state *s, struct irq *intr_out);
/* Power-on/reset state of both chips (uninitialized, all lines edge). */
void pic_reset(struct pic_state *s);
/* The input line 0-15 (8-15 are the slave's). */
struct irq *pic_get_irq(struct pic_state *s, int line);
/* INTA cycle: the vector of the highest-priority request (IRQ7 / IRQ15
 * spurious vector when the request went away). opaque is the pic_state. */
int pic_intr_ack(void *opaque);
/* Level of the INTR output right now (for the board and tests). */
int pic_intr_level(struct pic_state *s);

#endif
