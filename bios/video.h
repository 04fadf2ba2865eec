/*
 * video.h - the video BIOS's parts shared by bios/video_modes.c (the
 * standard modes' register tables, setting a mode, loading fonts, the
 * POST of the VGA) and bios/video.c (INT 10h). Both reach the VGA only
 * through its ports and its memory window, as a VGA BIOS does.
 */
#ifndef BIOS_VIDEO_H
#define BIOS_VIDEO_H

#include <stdbool.h>
#include <stdint.h>

#include "bios/bios.h"

/* BDA video fields (IBM VGA technical reference, "BIOS Data Area"). */
#define BDA_VIDEO_MODE 0x449u
#define BDA_VIDEO_COLS 0x44au       /* word */
#define BDA_VIDEO_PAGE_SIZE 0x44cu  /* word, bytes */
#define BDA_VIDEO_PAGE_START 0x44eu /* word, bytes */
#define BDA_CURSOR_POS 0x450u       /* 8 pages: column, row */
#define BDA_CURSOR_SHAPE 0x460u     /* end line, start line */
#define BDA_ACTIVE_PAGE 0x462u
#define BDA_CRTC_PORT 0x463u    /* word */
#define BDA_MODE_CONTROL 0x465u /* the CGA's 3x8h value */
#define BDA_CGA_PALETTE 0x466u  /* the CGA's 3x9h value */
#define BDA_VIDEO_ROWS 0x484u   /* rows - 1 */
#define BDA_CHAR_HEIGHT 0x485u  /* word */
#define BDA_EGA_INFO 0x487u     /* bit 7 no clear, 0 no emulation */
#define BDA_EGA_SWITCHES 0x488u
#define BDA_VGA_FLAGS 0x489u /* bits 7,4 scan lines, 3 no palette */
#define BDA_DCC_INDEX 0x48au

/* The VGA's 64 KiB graphics window. */
#define VIDEO_WINDOW_A0000 0xa0000u

enum video_kind {
    VIDEO_TEXT,   /* alphanumeric, character + attribute words */
    VIDEO_CGA,    /* 04h-06h: CGA-compatible packed pixels at B8000h */
    VIDEO_PLANAR, /* 0Dh-12h: four planes, a bit a pixel a plane */
    VIDEO_LINEAR, /* 13h: a byte a pixel, chain 4 */
};

/* One standard mode: geometry and its VGA registers. */
struct video_mode {
    uint8_t mode;
    uint8_t kind;       /* enum video_kind */
    uint8_t bpp;        /* bits per pixel (graphics) */
    uint8_t cols, rows; /* characters */
    uint8_t char_height;
    uint16_t width, height; /* pixels (graphics) */
    uint16_t seg;           /* B800h, B000h or A000h */
    uint16_t page_size;     /* bytes */
    uint8_t mode_control;   /* BDA 465h */
    uint8_t misc;
    uint8_t seq[4]; /* SR01-SR04 */
    uint8_t crtc[25];
    uint8_t ar[20]; /* AR00-AR13 (AR14 is 0) */
    uint8_t gr[9];
};

/* The table entry of mode (0-7Fh), or NULL. */
const struct video_mode *video_mode_find(uint8_t mode);
/* The entry of the current mode (BDA 449h), mode 3's if that is none. */
const struct video_mode *video_mode_current(struct bios *b);

/* AH=00h: program the VGA and the BDA for mode m; clear the display
 * memory unless no_clear. */
void video_set_mode(struct bios *b, const struct video_mode *m, bool no_clear);
/* Copy count glyphs of height bytes from src (host memory) into
 * character block block (0-7) of plane 2, from character first. */
void video_load_font(struct bios *b, const uint8_t *src, unsigned first,
                     unsigned count, unsigned height, unsigned block);
/* The same, the glyphs read from guest memory at linear address src. */
void video_load_font_guest(struct bios *b, uint32_t src, unsigned first,
                           unsigned count, unsigned height, unsigned block);
/* After a font of height lines is loaded with AL=1xh: the character
 * height (CR09), rows and the cursor recomputed from the scan lines. */
void video_set_char_height(struct bios *b, unsigned height);
/* The scan lines of the next text mode set (AH=12h BL=30h): 200, 350
 * or 400. */
unsigned video_text_scan_lines(struct bios *b);
/* The ROM font of height 8, 14 or 16 (guest offset in F000). */
uint16_t video_font_offset(unsigned height);
const uint8_t *video_font(unsigned height);

/* Register access through the ports. */
void video_ar_write(struct bios *b, uint8_t index, uint8_t v);
uint8_t video_ar_read(struct bios *b, uint8_t index);
void video_crtc_write(struct bios *b, uint8_t index, uint8_t v);
uint8_t video_crtc_read(struct bios *b, uint8_t index);
void video_dac_write(struct bios *b, uint8_t index, const uint8_t rgb[3]);
void video_dac_read(struct bios *b, uint8_t index, uint8_t rgb[3]);
/* CRTC 0Ah/0Bh from a CGA cursor shape (CH start, CL end) with the
 * VGA's cursor emulation for characters taller than 8 lines. */
void video_set_cursor_shape(struct bios *b, uint16_t shape);

/* The POST of the video BIOS (bios/post.c calls it): mode 3 with the
 * 8x16 font, the BDA's video fields, INT 1Fh and INT 43h. */
void video_post(struct bios *b);

/* Saving and restoring the VGA's state (bios/video_state.c), for INT
 * 10h AH=1Ch and VBE 4F04h: the states mask's bits, the bytes they take,
 * and the save and restore at linear address p (each returns the address
 * after its sections). */
#define VIDEO_STATE_HW 0x01u  /* the controller's registers */
#define VIDEO_STATE_BDA 0x02u /* the BIOS data */
#define VIDEO_STATE_DAC 0x04u /* the DAC */
unsigned video_state_size(unsigned mask);
uint32_t video_state_save(struct bios *b, unsigned mask, uint32_t p);
uint32_t video_state_restore(struct bios *b, unsigned mask, uint32_t p);

/* VBE 2.0, INT 10h AH=4Fh (bios/vbe.c). */
void video_vbe(struct bios *b, struct bios_regs *r);
/* Turn a VBE mode off (before a VGA mode is set). */
void video_vbe_off(struct bios *b);
/* The protected-mode interface of 4F0Ah (32-bit code) into rom at
 * BIOS_VBE_PM_OFFSET (bios/rom.c builds it); returns its length. */
unsigned video_vbe_pm_build(uint8_t *rom);

#endif
