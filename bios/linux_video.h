/*
 * linux_video.h - the video mode a Linux kernel's "vga=" asks for, set
 * for a kernel loaded by bios/linux.c, which skips the kernel's real-mode
 * setup code (arch/x86/boot/video*.c) that would set it.
 */
#ifndef BIOS_LINUX_VIDEO_H
#define BIOS_LINUX_VIDEO_H

#include <stdint.h>

#include "bios/bios.h"

/* Set the mode vid_mode (svga.rst's IDs: LINUX_VID_NORMAL, _EXT, _ASK,
 * 0x0300-0x03FF a VESA mode + 0x200) through the BIOS's video services
 * and describe it in the screen_info of the zero page at zero_page, as
 * the setup code does; a mode the VGA lacks leaves the 80x25 text mode
 * linux_load described. Returns the ID of the mode now on. */
uint16_t linux_video(struct bios *b, uint32_t zero_page, uint16_t vid_mode);

#endif
