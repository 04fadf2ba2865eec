/*
 * lapic.h - the CPU's local APIC (Intel SDM vol. 3A chapter 10), between
 * the board's interrupt sources and the CPU's INTR and NMI inputs.
 *
 *   8259A INTR --> LINT0 --+                     +--> CPU INTR (level)
 *   (NMI)      --> LINT1 --+--> [ local APIC ] --+--> CPU NMI (edge)
 *   IOAPIC messages -------+    timer, ICR       +--> EOI of a level-
 *                                                     triggered vector
 *                                                     (to the IOAPIC)
 *
 * The CPU acknowledges with lapic_intr_ack() (its intr_ack hook): the
 * vector of the highest-priority deliverable request, the 8259A's vector
 * (through the acknowledge the board connected) for an ExtINT, or the
 * spurious vector. IA32_APIC_BASE lives in the CPU model; the board
 * passes every write of it to lapic_set_base(): with the global enable
 * clear the APIC maps no registers and LINT0 is the CPU's INTR as is.
 */
#ifndef DEVICES_LAPIC_H
#define DEVICES_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/device.h"
#include "devices/irq.h"

#define LAPIC_DEFAULT_BASE 0xfee00000u
/* IA32_APIC_BASE bits the APIC reads: the global enable, and the base */
#define LAPIC_BASE_ENABLE (1ull << 11)
/* the base: bits MAXPHYADDR-1:12 (the CPU model checks the width) */
#define LAPIC_BASE_ADDR_MASK (~0xfffull)

/* Delivery modes of an interrupt message (ICR, LVT, IOAPIC entry). */
enum lapic_delivery {
    LAPIC_DM_FIXED = 0,
    LAPIC_DM_LOWEST = 1,
    LAPIC_DM_SMI = 2,
    LAPIC_DM_NMI = 4,
    LAPIC_DM_INIT = 5,
    LAPIC_DM_STARTUP = 6,
    LAPIC_DM_EXTINT = 7,
};

/* Timer input clock: virtual nanoseconds, 1 GHz, before the divider (the
 * rate QEMU's local APIC counts at). */
#define LAPIC_TIMER_HZ 1000000000ll

struct lapic_state;

/* "lapic": created by the board only; no properties. */
extern const struct device_class lapic_device_class;
struct lapic_state *lapic_from_device(struct device *dev);

/* Outputs. intr: the CPU's INTR pin. nmi: an NMI for the CPU. ext_ack:
 * the 8259A's acknowledge (its vector) for ExtINT deliveries. */
void lapic_connect_cpu(struct lapic_state *s, struct irq *intr,
                       void (*nmi)(void *opaque), void *nmi_opaque,
                       int (*ext_ack)(void *opaque), void *ext_opaque);
/* eoi(opaque, vector): an EOI for a level-triggered vector (TMR set), as
 * the APIC broadcasts it to the IOAPICs. */
void lapic_connect_eoi(struct lapic_state *s,
                       void (*eoi)(void *opaque, int vector), void *opaque);
/* The LINT0 (0) and LINT1 (1) input pins. */
struct irq *lapic_lint(struct lapic_state *s, int n);

/* IA32_APIC_BASE was written (or reset): map, move or unmap. */
void lapic_set_base(struct lapic_state *s, uint64_t apic_base);
/* The CPU's INTA: the vector to deliver (opaque is the lapic_state). */
int lapic_intr_ack(void *opaque);

/* An interrupt message from the APIC bus (an IOAPIC, or an IPI):
 * accepted when dest names this APIC (physical: its ID or 0xFF; logical:
 * LDR/DFR), ignored otherwise. level: level-triggered (TMR). */
void lapic_deliver(struct lapic_state *s, uint8_t dest, bool logical,
                   enum lapic_delivery mode, int vector, bool level);

/* For tests and -d: register value at offset (0x000-0x3F0), as a guest
 * read sees it; PPR; the level of the INTR output. */
uint32_t lapic_read_reg(struct lapic_state *s, uint32_t offset);
void lapic_write_reg(struct lapic_state *s, uint32_t offset, uint32_t value);
int lapic_intr_level(struct lapic_state *s);

#endif
