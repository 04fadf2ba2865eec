/*
 * rtc.h - the Motorola MC146818 real-time clock and its CMOS RAM: index
 * port 0x70 (bit 7: the board's NMI mask), data port 0x71, 128 bytes of
 * which 0x00-0x0D are the clock (time, alarm, registers A-D) and the rest
 * battery-backed NVRAM that the board fills with the PC/AT layout
 * (frontend/pc_cmos.c). Interrupts (periodic, alarm, update-ended) on ISA
 * IRQ 8; time from the virtual clock.
 */
#ifndef DEVICES_RTC_H
#define DEVICES_RTC_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/device.h"

#define RTC_CMOS_SIZE 128

/* Clock registers (MC146818A data sheet, "Address map"). */
#define RTC_SECONDS 0x00
#define RTC_SECONDS_ALARM 0x01
#define RTC_MINUTES 0x02
#define RTC_MINUTES_ALARM 0x03
#define RTC_HOURS 0x04
#define RTC_HOURS_ALARM 0x05
#define RTC_DAY_OF_WEEK 0x06
#define RTC_DAY_OF_MONTH 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_REG_A 0x0a
#define RTC_REG_B 0x0b
#define RTC_REG_C 0x0c
#define RTC_REG_D 0x0d

/* Register A: UIP, divider (DV2-0), rate select (RS3-0). */
#define RTC_A_UIP 0x80
#define RTC_A_DV_MASK 0x70
#define RTC_A_DV_32K 0x20 /* the 32.768 kHz time base, running */
#define RTC_A_RS_MASK 0x0f
/* Register B. */
#define RTC_B_SET 0x80
#define RTC_B_PIE 0x40
#define RTC_B_AIE 0x20
#define RTC_B_UIE 0x10
#define RTC_B_SQWE 0x08
#define RTC_B_DM 0x04    /* 1: binary, 0: BCD */
#define RTC_B_24H 0x02   /* 1: 24-hour, 0: 12-hour with bit 7 = PM */
#define RTC_B_DSE 0x01
/* Register C (read-only, cleared by reading). */
#define RTC_C_IRQF 0x80
#define RTC_C_PF 0x40
#define RTC_C_AF 0x20
#define RTC_C_UF 0x10
/* Register D. */
#define RTC_D_VRT 0x80

/* The PC/AT century byte (IBM AT Technical Reference), BCD. */
#define RTC_CENTURY 0x32

struct rtc_state;

/* "mc146818rtc": ports 0x70-0x71, ISA IRQ 8, the bus's clock. Its time
 * starts at the base set with rtc_set_base (default 2000-01-01 00:00:00). */
extern const struct device_class rtc_device_class;
struct rtc_state *rtc_from_device(struct device *dev);
/* The IRQ output drives irq from now on instead of ISA line 8 (the board
 * puts the HPET's legacy replacement switch between them), driven at
 * once to its present level. */
void rtc_connect_irq(struct rtc_state *s, struct irq *irq);
void rtc_reset(struct rtc_state *s);

/* The date and time (seconds since 1970-01-01 00:00:00, as the clock
 * registers show it: UTC or local time, the board's choice) at virtual
 * time 0 of the clock. Also sets the century byte. */
void rtc_set_base(struct rtc_state *s, int64_t seconds);
/* The time the registers show now, in the same seconds. */
int64_t rtc_get_time(struct rtc_state *s);

/* NVRAM bytes for the board and firmware (index 0-127). A set within
 * 0x10-0x2D updates the checksum at 0x2E (high) and 0x2F (low). */
void rtc_cmos_set(struct rtc_state *s, unsigned index, uint8_t value);
uint8_t rtc_cmos_get(struct rtc_state *s, unsigned index);
/* Bit 7 of the last write to port 0x70: NMI disabled. */
bool rtc_nmi_masked(struct rtc_state *s);

/* Seconds since 1970-01-01 of a civil date and time, and back (proleptic
 * Gregorian calendar). */
int64_t rtc_days_from_civil(int64_t y, unsigned m, unsigned d);
void rtc_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

#endif
