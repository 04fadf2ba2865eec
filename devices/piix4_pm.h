/*
 * piix4_pm.h - the power management function of the Intel 82371AB PIIX4,
 * PCI 01.3 as QEMU's pc places it beside the PIIX3: the ACPI PM timer,
 * PM1a event and control registers, and soft-off through SUS_EN.
 */
#ifndef DEVICES_PIIX4_PM_H
#define DEVICES_PIIX4_PM_H

#include "devices/device.h"

/* The ACPI PM timer's rate (ACPI 6.4, 4.8.3.3). */
#define PM_TIMER_FREQ 3579545

/* The APM control and status ports (APMC, APMS) and the values written
 * to APMC that switch ACPI mode (SCI_EN) on and off. */
#define PIIX4_APM_PORT 0xb2
#define PIIX4_ACPI_ENABLE 0xf1
#define PIIX4_ACPI_DISABLE 0xf0

/* "piix4-pm": PCI 01.3 on bus->pci (after "i440fx"), SCI on ISA IRQ 9. */
extern const struct device_class piix4_pm_device_class;

/* The power button pressed (the fixed-feature button, ACPI 6.4 4.8.2.2.1.1):
 * PWRBTN_STS is set, and with PWRBTN_EN an SCI is raised. dev is the
 * "piix4-pm" device. */
void piix4_pm_power_button(struct device *dev);

#endif
