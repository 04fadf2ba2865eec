/*
 * linux_video.c - "vga=" for a kernel loaded without its real-mode setup
 * (bios/linux_video.h). What the setup code (arch/x86/boot/video.c,
 * video-vga.c, video-vesa.c) does with the setup header's vid_mode, done
 * here through the BIOS's own INT 10h services:
 *
 *   normal (FFFFh), ask (FFFDh), 0000h and 0100h+3  80x25 text, as the
 *        POST left it (ask: the menu's timeout keeps the current mode;
 *        there is no one to answer it on a -kernel boot)
 *   ext (FFFEh)  80x50: the 8x8 font, as INT 10h AX=1112h loads it
 *   0300h-03FFh  VESA mode + 200h (vga=0x318: mode 118h; the setup
 *        code's IDs for the VESA modes 100h-1FFh its probe lists), set with
 *        its linear framebuffer (4F02h, BX bit 14) when 4F01h says it is
 *        a graphics mode with one; screen_info then says VIDEO_TYPE_VLFB
 *        with the mode's geometry, colour fields and framebuffer, which
 *        is what vesafb (and sysfb) read
 *   anything else: the text mode stays (the setup code would say "You
 *        passed an undefined mode number." and ask)
 *
 * screen_info (include/uapi/linux/screen_info.h) offsets in the zero page:
 *   0Eh orig_video_lines  0Fh orig_video_isVGA  10h orig_video_points
 *   12h lfb_width  14h lfb_height  16h lfb_depth  18h lfb_base (u32)
 *   1Ch lfb_size (64 KiB units)  24h lfb_linelength
 *   26h-2Dh red, green, blue, reserved size and position
 *   2Eh vesapm_seg  30h vesapm_off  32h pages  34h vesa_attributes
 *   36h capabilities (u32)
 */
#include "bios/linux_video.h"

#include "bios/linux.h"
#include "bios/video.h"

#define SI_LINES 0x0e
#define SI_ISVGA 0x0f
#define SI_POINTS 0x10
#define SI_LFB_WIDTH 0x12
#define SI_LFB_HEIGHT 0x14
#define SI_LFB_DEPTH 0x16
#define SI_LFB_BASE 0x18
#define SI_LFB_SIZE 0x1c
#define SI_LFB_LINELENGTH 0x24
#define SI_RED_SIZE 0x26 /* 8 bytes: sizes and positions */
#define SI_PAGES 0x32
#define SI_VESA_ATTRIBUTES 0x34
#define SI_CAPABILITIES 0x36
#define VIDEO_TYPE_VLFB 0x23

/* 4F00h and 4F01h write their answers into guest memory: this scratch
 * page, free below the kernel (the setup code's own area) while the
 * loader runs, and cleared after. */
#define SCRATCH 0x12000u
#define SCRATCH_SIZE 0x400u

/* Mode attributes (VBE 3.0, 4F01h): supported, colour, graphics, LFB. */
#define ATTR_NEEDED (0x01 | 0x08 | 0x10 | 0x80)

static uint16_t vbe_call(struct bios *b, uint16_t ax, uint16_t bx, uint16_t cx)
{
    struct bios_regs r = { 0 };
    r.eax = ax;
    r.ebx = bx;
    r.ecx = cx;
    r.es = (uint16_t)(SCRATCH >> 4);
    r.edi = 0;
    video_vbe(b, &r);
    return BIOS_AX(&r);
}

/* A VESA mode with its framebuffer, into screen_info; false when the VGA
 * has no such mode. */
static bool set_vesa(struct bios *b, uint32_t zp, uint16_t mode)
{
    /* "VBE2" asks for the VBE 2.0 controller information. */
    bios_wl(b, SCRATCH, 0x32454256u);
    if (vbe_call(b, 0x4f00, 0, 0) != 0x004f)
        return false;
    uint16_t total_64k = bios_rw(b, SCRATCH + 18);
    uint32_t caps = bios_rl(b, SCRATCH + 10);
    if (vbe_call(b, 0x4f01, 0, mode) != 0x004f)
        return false;
    uint32_t mi = SCRATCH;
    uint16_t attr = bios_rw(b, mi + 0);
    if ((attr & ATTR_NEEDED) != ATTR_NEEDED || bios_rb(b, mi + 25) < 8)
        return false;
    /* Read the mode's fields before the set (the scratch is reused). */
    uint16_t pitch = bios_rw(b, mi + 16);
    uint16_t w = bios_rw(b, mi + 18), h = bios_rw(b, mi + 20);
    uint8_t bpp = bios_rb(b, mi + 25), pages = bios_rb(b, mi + 29);
    uint8_t fields[8];
    for (int i = 0; i < 8; i++)
        fields[i] = bios_rb(b, mi + 31 + (uint32_t)i);
    uint32_t base = bios_rl(b, mi + 40);
    if (vbe_call(b, 0x4f02, (uint16_t)(0x4000 | mode), 0) != 0x004f)
        return false;
    bios_wb(b, zp + SI_ISVGA, VIDEO_TYPE_VLFB);
    bios_ww(b, zp + SI_VESA_ATTRIBUTES, attr);
    bios_ww(b, zp + SI_LFB_LINELENGTH, pitch);
    bios_ww(b, zp + SI_LFB_WIDTH, w);
    bios_ww(b, zp + SI_LFB_HEIGHT, h);
    bios_ww(b, zp + SI_LFB_DEPTH, bpp);
    bios_ww(b, zp + SI_PAGES, pages);
    bios_wl(b, zp + SI_LFB_BASE, base);
    for (int i = 0; i < 8; i++)
        bios_wb(b, zp + SI_RED_SIZE + (uint32_t)i, fields[i]);
    bios_wl(b, zp + SI_LFB_SIZE, total_64k);
    bios_wl(b, zp + SI_CAPABILITIES, caps);
    return true;
}

uint16_t linux_video(struct bios *b, uint32_t zero_page, uint16_t vid_mode)
{
    uint16_t on = LINUX_VID_NORMAL;
    if (vid_mode == LINUX_VID_EXT) {
        video_load_font(b, video_font(8), 0, 256, 8, 0);
        video_set_char_height(b, 8);
        bios_wb(b, zero_page + SI_LINES, 50);
        bios_ww(b, zero_page + SI_POINTS, 8);
        on = LINUX_VID_EXT;
    } else if (vid_mode >= 0x0300 && vid_mode <= 0x03ff) {
        for (uint32_t a = 0; a < SCRATCH_SIZE; a += 4)
            bios_wl(b, SCRATCH + a, 0);
        if (set_vesa(b, zero_page, (uint16_t)(vid_mode - 0x200)))
            on = vid_mode;
        for (uint32_t a = 0; a < SCRATCH_SIZE; a += 4)
            bios_wl(b, SCRATCH + a, 0);
    }
    bios_ww(b, zero_page + LINUX_HDR_VID_MODE, on);
    return on;
}
