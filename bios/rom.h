/*
 * rom.h - the built-in BIOS ROM image: 64 KiB mapped at 0xF0000 and aliased
 * at the top of the 4 GiB space, holding the reset vector and the stub that
 * takes the CPU from real mode to a Multiboot or Linux kernel's entry.
 *
 * The host-side loader (multiboot.c, linux.c) tells the stub where to go by writing
 * struct boot_params at BOOT_PARAMS_ADDR in RAM before the CPU starts;
 * without a kernel the stub boots from a disk through INT 19h. The ROM
 * also holds one stub per BIOS service, trapping into bios/bios.c.
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

/* The BIOS services (bios/bios.h) trap into host C with OUT imm8, AL to
 * this port, from a stub in segment F000 in real mode. QEMU's pc machine
 * decodes nothing at 0xE6 (its debug ports are 0x80, 0xE9 and 0x402). */
#define BIOS_TRAP_PORT 0xe6u

/* Offsets in segment F000 of the service stubs (BIOS_STUB_SIZE bytes
 * each, in the order of enum bios_service), of the default handler of
 * every other vector (an IRET, where PC BIOSes keep theirs), of the halt
 * loop a failed boot ends in, and of the configuration table INT 15h
 * AH=C0h points at. */
#define BIOS_STUB_BASE 0xe800u
#define BIOS_STUB_SIZE 32u
#define BIOS_IRET_OFFSET 0xff53u
#define BIOS_HALT_OFFSET 0xe7f0u
#define BIOS_CONFIG_TABLE_OFFSET 0xe6f5u
#define BIOS_DPT_OFFSET 0xefc7u /* the diskette parameter table */

/* The video BIOS's data (bios/video.c): the three fonts of bios/font.h,
 * INT 10h AH=1Bh's static functionality table and AX=1130h's (empty)
 * alternate character table, at fixed offsets in segment F000, below the
 * code (F000:0000-9FFF stay free for other tables). INT 43h points at the
 * 8x8 font, INT 1Fh at its upper half (characters 80h-FFh). */
#define BIOS_FONT8X16_OFFSET 0xa000u /* 4096 bytes */
#define BIOS_FONT8X14_OFFSET 0xb000u /* 3584 bytes */
#define BIOS_FONT8X8_OFFSET 0xbe00u  /* 2048 bytes */
#define BIOS_VIDEO_STATIC_OFFSET 0xc600u /* 16 bytes */
#define BIOS_VIDEO_ALT_OFFSET 0xc610u    /* one 0 byte: no alternates */
/* VBE 4F0Ah's protected-mode table and its 32-bit code (bios/vbe.c). */
#define BIOS_VBE_PM_OFFSET 0xc620u /* at most 256 bytes */
#define BIOS_VBE_PM_MAX 256u

/* The message the BIOS prints when nothing boots (INT 18h), as SeaBIOS. */
#define BIOS_NO_BOOT_MSG "No bootable device.\r\n"

/* Fill rom[BIOS_ROM_SIZE] with the ROM image. */
void bios_rom_build(uint8_t *rom);

#endif
