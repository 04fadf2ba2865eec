/*
 * firmware.h - an external firmware image (-bios FILE): a raw ROM that the
 * board maps at the top of the 4 GiB space, its last 128 KiB (or all of a
 * 64 KiB image) also below 1 MiB at 0xE0000-0xFFFFF, as a PC's chipset
 * decodes the BIOS ROM; the CPU starts at F000:FFF0 in the image's own code.
 */
#ifndef BIOS_FIRMWARE_H
#define BIOS_FIRMWARE_H

#include <stddef.h>
#include <stdint.h>

#define FIRMWARE_MIN_SIZE 0x10000u   /* 64 KiB */
#define FIRMWARE_MAX_SIZE 0x200000u  /* 2 MiB */
#define FIRMWARE_LOW_SIZE 0x20000u   /* the part shown below 1 MiB */
#define FIRMWARE_LOW_END 0x100000u

/* Read the image at path: a whole number of 64 KiB blocks, 64 KiB to
 * 2 MiB. On success *data (malloc'ed) and *size; on an error, a message
 * naming the file in err and non-zero. */
int firmware_load(const char *path, uint8_t **data, size_t *size, char *err,
                  size_t errlen);

#endif
