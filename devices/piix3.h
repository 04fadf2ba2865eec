/*
 * piix3.h - the Intel 82371SB PIIX3 PCI-to-ISA bridge as QEMU's pc has
 * it: function 01.0, the ISA bridge (PIRQ routing registers, the reset
 * control register at 0xCF9), and function 01.1, the IDE controller's
 * PCI side (its bus-master registers at BAR4; the drives come later).
 */
#ifndef DEVICES_PIIX3_H
#define DEVICES_PIIX3_H

#include "devices/device.h"

/* "piix3": PCI 01.0 and 01.1 on bus->pci (after "i440fx"). */
extern const struct device_class piix3_device_class;
struct piix3_state;
struct piix3_state *piix3_from_device(struct device *dev);
/* The ISA IRQ PIRQ line n (0-3, PIRQA-D) is routed to, or -1 when its
 * routing is disabled (PIRQRC bit 7). */
int piix3_pirq_route(struct piix3_state *s, int n);
/* PIRQ line n (0-3) also drives out, whatever its routing (QEMU's pc
 * wires PIRQA-D to IOAPIC pins 16-19 so). */
struct irq;
void piix3_connect_pirq_out(struct piix3_state *s, int n, struct irq *out);

/* The IDE channels whose bus masters BAR4's registers are (until
 * connected, the registers only hold their values). */
struct ide_state;
void piix3_connect_ide(struct piix3_state *s, struct ide_state *ide);

#endif
