/*
 * rom.h - the built-in BIOS ROM image: 64 KiB mapped at 0xF0000 and aliased
 * at the top of the 4 GiB space, holding the reset vector and the stub that
 * takes the CPU from real mode to a Multiboot or Linux kernel's entry.
 *
 * The host-side loader (multiboot.c, linux.c) tells the stub where to go by
 * writing struct boot_params at BOOT_PARAMS_ADDR in RAM before the CPU starts.
 */
#ifndef BIOS_ROM_H
#define BIOS_ROM_H

#include <stdint.h>

#define BIOS_ROM_SIZE 0x10000u
#define BIOS_ROM_BASE 0x000f0000u  /* F000:0000, the classic BIOS segment */
#define BIOS_ROM_ALIAS 0xffff0000u /* holds the reset vector 0xFFFFFFF0 */

/* Real-mode offset (in segment F000) of the reset stub; the reset vector at
 * F000:FFF0 far-jumps here as PC BIOSes do. */
#define BIOS_ENTRY_OFFSET 0xe05bu

/* In conventional memory just above the BIOS data area (0x400-0x4FF). */
#define BOOT_PARAMS_ADDR 0x600u
#define BOOT_PARAMS_MAGIC 0x4236384au       /* "J86B": a Multiboot kernel */
#define BOOT_PARAMS_LINUX_MAGIC 0x4c36384au /* "J86L": a Linux kernel */
/* "J86D": the ROM has booted the kernel (it writes this before the jump),
 * so finding it at the reset vector means the guest jumped there (Linux's
 * BIOS reboot method): a reboot request, the ROM resets the machine. */
#define BOOT_PARAMS_DONE_MAGIC 0x4436384au
#define MULTIBOOT_BOOT_EAX 0x2badb002u

/* Layout at BOOT_PARAMS_ADDR, three little-endian dwords. */
#define BOOT_PARAMS_OFF_MAGIC 0     /* which kernel is loaded, if any */
#define BOOT_PARAMS_OFF_ENTRY 4     /* physical entry point */
#define BOOT_PARAMS_OFF_MBI 8       /* physical address of the Multiboot info */
#define BOOT_PARAMS_OFF_ZERO_PAGE 8 /* Linux: struct boot_params (ESI) */
#define BOOT_PARAMS_SIZE 12

/* The message the ROM prints on COM1 when no kernel was loaded. */
#define BIOS_NO_BOOT_MSG "jet86: no bootable device\r\n"

/* Fill rom[BIOS_ROM_SIZE] with the ROM image. */
void bios_rom_build(uint8_t *rom);

#endif
