/*
 * pc_cmos.h - the board's CMOS NVRAM: the PC/AT layout the firmware
 * reads (memory sizes, drives, equipment, boot order), written into the
 * RTC's RAM at power-on, and the RTC's start time from -rtc.
 */
#ifndef FRONTEND_PC_CMOS_H
#define FRONTEND_PC_CMOS_H

#include "devices/rtc.h"
#include "frontend/machine.h"

/* The RTC's start time for cfg (-rtc base=, and -icount's fixed base). */
int64_t pc_cmos_rtc_base(const struct machine_config *cfg);
/* Fill the NVRAM bytes of the layout; boot is QEMU's -boot order string
 * ("cad": disk, floppy, CD-ROM). */
void pc_cmos_init(struct rtc_state *rtc, const struct machine_config *cfg,
                  const char *boot);
/* The floppy drive types of A: and B: (CMOS types: 1 360K, 2 1.2M,
 * 3 720K, 4 1.44M, 5 2.88M; 0 none) into 0x10 and the equipment byte. */
void pc_cmos_set_floppies(struct rtc_state *rtc, uint8_t a, uint8_t b);

#endif
