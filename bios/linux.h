/*
 * linux.h - the Linux/x86 boot protocol loader (Documentation/x86/boot.rst,
 * the 32-bit boot protocol): puts a bzImage's protected-mode kernel, its
 * zero page (struct boot_params), command line and initrd into guest RAM
 * and leaves the boot parameters for the ROM stub (rom.h), which enters
 * the kernel at code32_start with ESI = the zero page.
 */
#ifndef BIOS_LINUX_H
#define BIOS_LINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "softmmu/memory.h"

/* Where the loader puts its structures (conventional memory, which Linux
 * keeps reserved: it never hands the first 1 MiB to its allocator). */
#define LINUX_ZERO_PAGE_ADDR 0x10000u
#define LINUX_CMDLINE_ADDR 0x11000u
/* Bytes at LINUX_CMDLINE_ADDR for the command line, NUL included. */
#define LINUX_CMDLINE_MAX 4096u
#define LINUX_KERNEL_ADDR 0x100000u /* the protected-mode kernel */

/* The setup header (boot.rst, "The Real-Mode Kernel Header"): offsets in
 * the file and in the zero page, which holds a copy of it. */
#define LINUX_HDR_START 0x1f1u /* setup_sects: the header's first byte */
#define LINUX_HDR_SETUP_SECTS 0x1f1u
#define LINUX_HDR_SYSSIZE 0x1f4u
#define LINUX_HDR_VID_MODE 0x1fau /* u16: "vga=" (linux_vga_mode) */
#define LINUX_HDR_BOOT_FLAG 0x1feu /* 0xAA55 */
#define LINUX_HDR_JUMP 0x200u      /* its 2nd byte sizes the header */
#define LINUX_HDR_MAGIC 0x202u     /* "HdrS" */
#define LINUX_HDR_VERSION 0x206u
#define LINUX_HDR_TYPE_OF_LOADER 0x210u
#define LINUX_HDR_LOADFLAGS 0x211u
#define LINUX_HDR_CODE32_START 0x214u
#define LINUX_HDR_RAMDISK_IMAGE 0x218u
#define LINUX_HDR_RAMDISK_SIZE 0x21cu
#define LINUX_HDR_HEAP_END_PTR 0x224u
#define LINUX_HDR_CMD_LINE_PTR 0x228u
#define LINUX_HDR_INITRD_ADDR_MAX 0x22cu
#define LINUX_HDR_RELOCATABLE 0x234u
#define LINUX_HDR_CMDLINE_SIZE 0x238u
#define LINUX_HDR_PREF_ADDRESS 0x258u /* u64, protocol 2.10 */
#define LINUX_HDR_INIT_SIZE 0x260u    /* u32, protocol 2.10 */

/* loadflags bits. */
#define LINUX_LOADED_HIGH 0x01u /* protected-mode code at 0x100000 */
#define LINUX_KEEP_SEGMENTS 0x40u
#define LINUX_CAN_USE_HEAP 0x80u

/* struct boot_params fields outside the setup header. */
#define LINUX_BP_EXT_MEM_K 0x002u        /* screen_info.ext_mem_k, u16 */
/* screen_info (include/uapi/linux/screen_info.h) */
#define LINUX_BP_ORIG_X 0x000u
#define LINUX_BP_ORIG_Y 0x001u
#define LINUX_BP_ORIG_VIDEO_MODE 0x006u
#define LINUX_BP_ORIG_VIDEO_COLS 0x007u
#define LINUX_BP_ORIG_VIDEO_EGA_BX 0x00au /* u16: INT 10h AH=12h BL=10h */
#define LINUX_BP_ORIG_VIDEO_LINES 0x00eu
#define LINUX_BP_ORIG_VIDEO_ISVGA 0x00fu /* 1: VGA colour text */
#define LINUX_BP_ORIG_VIDEO_POINTS 0x010u /* u16: character height */
#define LINUX_BP_ALT_MEM_K 0x1e0u
#define LINUX_BP_E820_ENTRIES 0x1e8u
#define LINUX_BP_E820_TABLE 0x2d0u /* 20-byte entries */
#define LINUX_ZERO_PAGE_SIZE 4096u

struct linux_args {
    const char *kernel; /* path of the bzImage */
    const char *append; /* -append, or NULL */
    const char *initrd; /* -initrd FILE, or NULL */
    uint64_t ram_size;  /* RAM is [0, 0xA0000) and [1 MiB, ram_size) */
};

struct linux_result {
    uint32_t entry;     /* code32_start */
    uint32_t zero_page; /* ESI at entry */
    uint32_t kernel_end;
    uint32_t initrd_start, initrd_size;
    uint16_t version; /* boot protocol, 0x020f = 2.15 */
    uint16_t vid_mode; /* the "vga=" video mode ID asked for */
};

/* Video mode IDs (Documentation/admin-guide/svga.rst), as "vga=" gives
 * them in the setup header's vid_mode. */
#define LINUX_VID_NORMAL 0xffffu /* 80x25 */
#define LINUX_VID_EXT 0xfffeu    /* 80x50 (8x8 font) */
#define LINUX_VID_ASK 0xfffdu    /* the mode menu */
/* The ID "vga=" of the command line asks for (normal, ext, ask or a
 * number in C syntax), as a boot loader reads it: the first vga= word;
 * LINUX_VID_NORMAL without one. */
uint16_t linux_vga_mode(const char *cmdline);

/* Load the bzImage args->kernel and write the boot parameters. Returns 0;
 * 1 when the file has no Linux setup header ("HdrS" at 0x202: not a Linux
 * kernel, nothing written); or -1 with a one-line reason in err naming the
 * file. */
int linux_load(struct memory_map *mem, const struct linux_args *args,
               struct linux_result *res, char *err, size_t errlen);

#endif
