/*
 * video_modes.c - the video BIOS's modes (bios/video.h): the register
 * values of the standard VGA modes 00h-07h and 0Dh-13h, setting a mode
 * (VGA registers, display memory, DAC, font, BDA), loading character
 * sets into plane 2, and the POST that leaves mode 3 as a VGA BIOS does.
 * The register values are those of the IBM VGA technical reference's
 * video parameter table (the 400-line variants of the CGA modes); the
 * fonts are ours (bios/font.h).
 */
#include "bios/video.h"

#include <stddef.h>

#include "bios/font.h"
#include "bios/rom.h"

/* The tables keep the reference's rows of register values. */
/* clang-format off */
/* CRTC values shared by the modes. */
#define CRTC_TEXT40                                                         \
    { 0x2d, 0x27, 0x28, 0x90, 0x2b, 0xa0, 0xbf, 0x1f, 0x00, 0x4f, 0x0d,    \
      0x0e, 0x00, 0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x14, 0x1f, 0x96,    \
      0xb9, 0xa3, 0xff }
#define CRTC_TEXT80                                                         \
    { 0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00, 0x4f, 0x0d,    \
      0x0e, 0x00, 0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96,    \
      0xb9, 0xa3, 0xff }
#define CRTC_TEXT_MONO                                                      \
    { 0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00, 0x4f, 0x0d,    \
      0x0e, 0x00, 0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28, 0x0f, 0x96,    \
      0xb9, 0xa3, 0xff }
#define CRTC_350                                                            \
    { 0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0xbf, 0x1f, 0x00, 0x40, 0x00,    \
      0x00, 0x00, 0x00, 0x00, 0x00, 0x83, 0x85, 0x5d, 0x28, 0x0f, 0x63,    \
      0xba, 0xe3, 0xff }
#define AR_TEXT                                                             \
    { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a,    \
      0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x0c, 0x00, 0x0f, 0x08 }
#define AR_EGA16                                                            \
    { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11, 0x12,    \
      0x13, 0x14, 0x15, 0x16, 0x17, 0x01, 0x00, 0x0f, 0x00 }
#define AR_VGA16                                                            \
    { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a,    \
      0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x01, 0x00, 0x0f, 0x00 }
#define GR_TEXT { 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0e, 0x00, 0xff }
#define GR_PLANAR { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0f, 0xff }

static const struct video_mode modes[] = {
    { .mode = 0x00, .kind = VIDEO_TEXT, .cols = 40, .rows = 25,
      .char_height = 16, .seg = 0xb800, .page_size = 0x0800,
      .mode_control = 0x2c, .misc = 0x67, .seq = { 0x08, 0x03, 0x00, 0x02 },
      .crtc = CRTC_TEXT40, .ar = AR_TEXT, .gr = GR_TEXT },
    { .mode = 0x01, .kind = VIDEO_TEXT, .cols = 40, .rows = 25,
      .char_height = 16, .seg = 0xb800, .page_size = 0x0800,
      .mode_control = 0x28, .misc = 0x67, .seq = { 0x08, 0x03, 0x00, 0x02 },
      .crtc = CRTC_TEXT40, .ar = AR_TEXT, .gr = GR_TEXT },
    { .mode = 0x02, .kind = VIDEO_TEXT, .cols = 80, .rows = 25,
      .char_height = 16, .seg = 0xb800, .page_size = 0x1000,
      .mode_control = 0x2d, .misc = 0x67, .seq = { 0x00, 0x03, 0x00, 0x02 },
      .crtc = CRTC_TEXT80, .ar = AR_TEXT, .gr = GR_TEXT },
    { .mode = 0x03, .kind = VIDEO_TEXT, .cols = 80, .rows = 25,
      .char_height = 16, .seg = 0xb800, .page_size = 0x1000,
      .mode_control = 0x29, .misc = 0x67, .seq = { 0x00, 0x03, 0x00, 0x02 },
      .crtc = CRTC_TEXT80, .ar = AR_TEXT, .gr = GR_TEXT },
    { .mode = 0x04, .kind = VIDEO_CGA, .bpp = 2, .cols = 40, .rows = 25,
      .char_height = 8, .width = 320, .height = 200, .seg = 0xb800,
      .page_size = 0x4000, .mode_control = 0x2a, .misc = 0x63,
      .seq = { 0x09, 0x03, 0x00, 0x02 },
      .crtc = { 0x2d, 0x27, 0x28, 0x90, 0x2b, 0x80, 0xbf, 0x1f, 0x00, 0xc1,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x14,
                0x00, 0x96, 0xb9, 0xa2, 0xff },
      .ar = { 0x00, 0x13, 0x15, 0x17, 0x02, 0x04, 0x06, 0x07, 0x10, 0x11,
              0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x01, 0x00, 0x03, 0x00 },
      .gr = { 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x0f, 0x00, 0xff } },
    { .mode = 0x05, .kind = VIDEO_CGA, .bpp = 2, .cols = 40, .rows = 25,
      .char_height = 8, .width = 320, .height = 200, .seg = 0xb800,
      .page_size = 0x4000, .mode_control = 0x2e, .misc = 0x63,
      .seq = { 0x09, 0x03, 0x00, 0x02 },
      .crtc = { 0x2d, 0x27, 0x28, 0x90, 0x2b, 0x80, 0xbf, 0x1f, 0x00, 0xc1,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x14,
                0x00, 0x96, 0xb9, 0xa2, 0xff },
      .ar = { 0x00, 0x13, 0x15, 0x17, 0x02, 0x04, 0x06, 0x07, 0x10, 0x11,
              0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x01, 0x00, 0x03, 0x00 },
      .gr = { 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x0f, 0x00, 0xff } },
    { .mode = 0x06, .kind = VIDEO_CGA, .bpp = 1, .cols = 80, .rows = 25,
      .char_height = 8, .width = 640, .height = 200, .seg = 0xb800,
      .page_size = 0x4000, .mode_control = 0x1e, .misc = 0x63,
      .seq = { 0x01, 0x01, 0x00, 0x06 },
      .crtc = { 0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0xbf, 0x1f, 0x00, 0xc1,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28,
                0x00, 0x96, 0xb9, 0xc2, 0xff },
      .ar = { 0x00, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17,
              0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x01, 0x00, 0x01, 0x00 },
      .gr = { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x00, 0xff } },
    { .mode = 0x07, .kind = VIDEO_TEXT, .cols = 80, .rows = 25,
      .char_height = 16, .seg = 0xb000, .page_size = 0x1000,
      .mode_control = 0x29, .misc = 0x66, .seq = { 0x00, 0x03, 0x00, 0x02 },
      .crtc = CRTC_TEXT_MONO,
      .ar = { 0x00, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x10, 0x18,
              0x18, 0x18, 0x18, 0x18, 0x18, 0x18, 0x0e, 0x00, 0x0f, 0x08 },
      .gr = { 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0a, 0x00, 0xff } },
    { .mode = 0x0d, .kind = VIDEO_PLANAR, .bpp = 4, .cols = 40, .rows = 25,
      .char_height = 8, .width = 320, .height = 200, .seg = 0xa000,
      .page_size = 0x2000, .mode_control = 0x29, .misc = 0x63,
      .seq = { 0x09, 0x0f, 0x00, 0x06 },
      .crtc = { 0x2d, 0x27, 0x28, 0x90, 0x2b, 0x80, 0xbf, 0x1f, 0x00, 0xc0,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x14,
                0x00, 0x96, 0xb9, 0xe3, 0xff },
      .ar = AR_EGA16, .gr = GR_PLANAR },
    { .mode = 0x0e, .kind = VIDEO_PLANAR, .bpp = 4, .cols = 80, .rows = 25,
      .char_height = 8, .width = 640, .height = 200, .seg = 0xa000,
      .page_size = 0x4000, .mode_control = 0x29, .misc = 0x63,
      .seq = { 0x01, 0x0f, 0x00, 0x06 },
      .crtc = { 0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0xbf, 0x1f, 0x00, 0xc0,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28,
                0x00, 0x96, 0xb9, 0xe3, 0xff },
      .ar = AR_EGA16, .gr = GR_PLANAR },
    { .mode = 0x0f, .kind = VIDEO_PLANAR, .bpp = 1, .cols = 80, .rows = 25,
      .char_height = 14, .width = 640, .height = 350, .seg = 0xa000,
      .page_size = 0x8000, .mode_control = 0x29, .misc = 0xa2,
      .seq = { 0x01, 0x0f, 0x00, 0x06 }, .crtc = CRTC_350,
      .ar = { 0x00, 0x08, 0x00, 0x00, 0x18, 0x18, 0x00, 0x00, 0x00, 0x08,
              0x00, 0x00, 0x00, 0x18, 0x00, 0x00, 0x0b, 0x00, 0x05, 0x00 },
      .gr = { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x05, 0xff } },
    { .mode = 0x10, .kind = VIDEO_PLANAR, .bpp = 4, .cols = 80, .rows = 25,
      .char_height = 14, .width = 640, .height = 350, .seg = 0xa000,
      .page_size = 0x8000, .mode_control = 0x29, .misc = 0xa3,
      .seq = { 0x01, 0x0f, 0x00, 0x06 }, .crtc = CRTC_350,
      .ar = AR_VGA16, .gr = GR_PLANAR },
    { .mode = 0x11, .kind = VIDEO_PLANAR, .bpp = 1, .cols = 80, .rows = 30,
      .char_height = 16, .width = 640, .height = 480, .seg = 0xa000,
      .page_size = 0xa000, .mode_control = 0x29, .misc = 0xe3,
      .seq = { 0x01, 0x0f, 0x00, 0x06 },
      .crtc = { 0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0x0b, 0x3e, 0x00, 0x40,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xea, 0x8c, 0xdf, 0x28,
                0x00, 0xe7, 0x04, 0xc3, 0xff },
      .ar = { 0x00, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f,
              0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x01, 0x00, 0x0f, 0x00 },
      .gr = GR_PLANAR },
    { .mode = 0x12, .kind = VIDEO_PLANAR, .bpp = 4, .cols = 80, .rows = 30,
      .char_height = 16, .width = 640, .height = 480, .seg = 0xa000,
      .page_size = 0xa000, .mode_control = 0x29, .misc = 0xe3,
      .seq = { 0x01, 0x0f, 0x00, 0x06 },
      .crtc = { 0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0x0b, 0x3e, 0x00, 0x40,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xea, 0x8c, 0xdf, 0x28,
                0x00, 0xe7, 0x04, 0xe3, 0xff },
      .ar = AR_VGA16, .gr = GR_PLANAR },
    { .mode = 0x13, .kind = VIDEO_LINEAR, .bpp = 8, .cols = 40, .rows = 25,
      .char_height = 8, .width = 320, .height = 200, .seg = 0xa000,
      .page_size = 0xfa00, .mode_control = 0x29, .misc = 0x63,
      .seq = { 0x01, 0x0f, 0x00, 0x0e },
      .crtc = { 0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0xbf, 0x1f, 0x00, 0x41,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28,
                0x40, 0x96, 0xb9, 0xa3, 0xff },
      .ar = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
              0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x41, 0x00, 0x0f, 0x00 },
      .gr = { 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0f, 0xff } },
};

/* clang-format on */

const struct video_mode *video_mode_find(uint8_t mode)
{
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
        if (modes[i].mode == mode)
            return &modes[i];
    return NULL;
}

const struct video_mode *video_mode_current(struct bios *b)
{
    const struct video_mode *m = video_mode_find(bios_rb(b, BDA_VIDEO_MODE));
    return m ? m : video_mode_find(3);
}

/* ---- registers through the ports ---- */

static uint16_t crtc_port(struct bios *b)
{
    return (bios_inb(b, 0x3cc) & 1) ? 0x3d4 : 0x3b4;
}

/* Reading input status 1 resets the attribute controller's flip-flop. */
static void ar_reset_flipflop(struct bios *b)
{
    bios_inb(b, (uint16_t)(crtc_port(b) + 6));
}

void video_ar_write(struct bios *b, uint8_t index, uint8_t v)
{
    ar_reset_flipflop(b);
    bios_outb(b, 0x3c0, index & 0x1f);
    bios_outb(b, 0x3c0, v);
    bios_outb(b, 0x3c0, 0x20); /* palette address source: the screen on */
}

uint8_t video_ar_read(struct bios *b, uint8_t index)
{
    ar_reset_flipflop(b);
    bios_outb(b, 0x3c0, index & 0x1f);
    uint8_t v = bios_inb(b, 0x3c1);
    ar_reset_flipflop(b);
    bios_outb(b, 0x3c0, 0x20);
    return v;
}

void video_crtc_write(struct bios *b, uint8_t index, uint8_t v)
{
    uint16_t port = crtc_port(b);
    bios_outb(b, port, index);
    bios_outb(b, (uint16_t)(port + 1), v);
}

uint8_t video_crtc_read(struct bios *b, uint8_t index)
{
    uint16_t port = crtc_port(b);
    bios_outb(b, port, index);
    return bios_inb(b, (uint16_t)(port + 1));
}

static void seq_write(struct bios *b, uint8_t index, uint8_t v)
{
    bios_outb(b, 0x3c4, index);
    bios_outb(b, 0x3c5, v);
}

static uint8_t seq_read(struct bios *b, uint8_t index)
{
    bios_outb(b, 0x3c4, index);
    return bios_inb(b, 0x3c5);
}

static void gr_write(struct bios *b, uint8_t index, uint8_t v)
{
    bios_outb(b, 0x3ce, index);
    bios_outb(b, 0x3cf, v);
}

static uint8_t gr_read(struct bios *b, uint8_t index)
{
    bios_outb(b, 0x3ce, index);
    return bios_inb(b, 0x3cf);
}

/* With gray-scale summing on (BDA 489h bit 1) a colour becomes the gray
 * of the same luminance, 30% red, 59% green, 11% blue. */
void video_dac_write(struct bios *b, uint8_t index, const uint8_t rgb[3])
{
    uint8_t c[3] = { rgb[0] & 0x3f, rgb[1] & 0x3f, rgb[2] & 0x3f };
    if (bios_rb(b, BDA_VGA_FLAGS) & 0x02) {
        unsigned g = (30u * c[0] + 59u * c[1] + 11u * c[2] + 50) / 100;
        c[0] = c[1] = c[2] = (uint8_t)(g > 0x3f ? 0x3f : g);
    }
    bios_outb(b, 0x3c8, index);
    for (int i = 0; i < 3; i++)
        bios_outb(b, 0x3c9, c[i]);
}

void video_dac_read(struct bios *b, uint8_t index, uint8_t rgb[3])
{
    bios_outb(b, 0x3c7, index);
    for (int i = 0; i < 3; i++)
        rgb[i] = bios_inb(b, 0x3c9);
}

/* The default DAC contents: for the 16-colour and text modes the EGA's
 * 64 colours (bits 2/1/0 red/green/blue at 2/3, bits 5/4/3 at 1/3); for
 * the monochrome modes their grays (bit 3 2/3, bit 4 1/3); for mode 13h
 * the 16 CGA colours, 16 grays, then 216 hues (24 around the colour
 * wheel at three intensities and three saturations), then black. */
static void dac_default_rgb(const struct video_mode *m, unsigned i,
                            uint8_t rgb[3])
{
    if (m->mode == 0x07 || m->mode == 0x0f) {
        uint8_t g = (uint8_t)(((i >> 3) & 1) * 0x2a + ((i >> 4) & 1) * 0x15);
        rgb[0] = rgb[1] = rgb[2] = i < 64 ? g : 0;
        return;
    }
    if (m->kind != VIDEO_LINEAR) {
        rgb[0] = (uint8_t)(((i >> 2) & 1) * 0x2a + ((i >> 5) & 1) * 0x15);
        rgb[1] = (uint8_t)(((i >> 1) & 1) * 0x2a + ((i >> 4) & 1) * 0x15);
        rgb[2] = (uint8_t)((i & 1) * 0x2a + ((i >> 3) & 1) * 0x15);
        if (i >= 64)
            rgb[0] = rgb[1] = rgb[2] = 0;
        return;
    }
    if (i < 16) {
        uint8_t hi = (i & 8) ? 0x15 : 0;
        rgb[0] = (uint8_t)(((i >> 2) & 1) * 0x2a + hi);
        rgb[1] = (uint8_t)(((i >> 1) & 1) * 0x2a + hi);
        rgb[2] = (uint8_t)((i & 1) * 0x2a + hi);
        if (i == 6) /* brown, not dark yellow */
            rgb[1] = 0x15;
        return;
    }
    if (i < 32) {
        static const uint8_t gray[16] = { 0,  5,  8,  11, 14, 17, 20, 24,
                                          28, 32, 36, 40, 45, 50, 56, 63 };
        rgb[0] = rgb[1] = rgb[2] = gray[i - 16];
        return;
    }
    if (i >= 248) {
        rgb[0] = rgb[1] = rgb[2] = 0;
        return;
    }
    static const uint8_t top[3] = { 63, 28, 16 };
    static const uint8_t floor_pct[3] = { 0, 50, 72 }; /* saturation */
    unsigned group = (i - 32) / 24, hue = (i - 32) % 24;
    unsigned v = top[group / 3];
    unsigned lo = v * floor_pct[group % 3] / 100;
    /* blue -> magenta -> red -> yellow -> green -> cyan -> blue: in each
     * sixth of the wheel one component ramps, in four steps */
    unsigned seg = hue / 4, step = hue % 4;
    unsigned up = lo + (v - lo) * step / 4, down = v - (v - lo) * step / 4;
    unsigned r, g, bl;
    switch (seg) {
    case 0: r = up, g = lo, bl = v; break;
    case 1: r = v, g = lo, bl = down; break;
    case 2: r = v, g = up, bl = lo; break;
    case 3: r = down, g = v, bl = lo; break;
    case 4: r = lo, g = v, bl = up; break;
    default: r = lo, g = down, bl = v; break;
    }
    rgb[0] = (uint8_t)r, rgb[1] = (uint8_t)g, rgb[2] = (uint8_t)bl;
}

static void dac_load_default(struct bios *b, const struct video_mode *m)
{
    bios_outb(b, 0x3c6, 0xff);
    for (unsigned i = 0; i < 256; i++) {
        uint8_t rgb[3];
        dac_default_rgb(m, i, rgb);
        video_dac_write(b, (uint8_t)i, rgb);
    }
}

/* ---- fonts ---- */

uint16_t video_font_offset(unsigned height)
{
    switch (height) {
    case 8: return BIOS_FONT8X8_OFFSET;
    case 14: return BIOS_FONT8X14_OFFSET;
    default: return BIOS_FONT8X16_OFFSET;
    }
}

const uint8_t *video_font(unsigned height)
{
    switch (height) {
    case 8: return bios_font_8x8;
    case 14: return bios_font_8x14;
    default: return bios_font_8x16;
    }
}

/* Plane 2 as plain memory at A0000h (sequential addressing, plane 2
 * alone), and back to the text modes' odd/even setting. */
static void plane2_open(struct bios *b, uint8_t saved[5])
{
    saved[0] = seq_read(b, 2);
    saved[1] = seq_read(b, 4);
    saved[2] = gr_read(b, 4);
    saved[3] = gr_read(b, 5);
    saved[4] = gr_read(b, 6);
    seq_write(b, 0, 0x01);
    seq_write(b, 2, 0x04);
    seq_write(b, 4, 0x07);
    seq_write(b, 0, 0x03);
    gr_write(b, 4, 0x02);
    gr_write(b, 5, 0x00);
    gr_write(b, 6, 0x04);
}

static void plane2_close(struct bios *b, const uint8_t saved[5])
{
    seq_write(b, 0, 0x01);
    seq_write(b, 2, saved[0]);
    seq_write(b, 4, saved[1]);
    seq_write(b, 0, 0x03);
    gr_write(b, 4, saved[2]);
    gr_write(b, 5, saved[3]);
    gr_write(b, 6, saved[4]);
}

/* Character block n's offset in plane 2: blocks 0-3 at 16 KiB steps,
 * 4-7 8 KiB above them (SR03's character map select). */
static uint32_t font_block_base(unsigned block)
{
    return ((block & 3u) << 14) | ((block & 4u) << 11);
}

static void load_font(struct bios *b, const uint8_t *host, uint32_t guest,
                      unsigned first, unsigned count, unsigned height,
                      unsigned block)
{
    uint8_t saved[5];
    if (height > 32)
        height = 32;
    plane2_open(b, saved);
    uint32_t base = VIDEO_WINDOW_A0000 + font_block_base(block & 7);
    for (unsigned i = 0; i < count && first + i < 256; i++) {
        uint32_t dst = base + (first + i) * 32u;
        for (unsigned row = 0; row < 32; row++) {
            uint8_t v = 0;
            if (row < height)
                v = host ? host[i * height + row]
                         : bios_rb(b, (guest + i * height + row) & 0xfffff);
            bios_wb(b, dst + row, v);
        }
    }
    plane2_close(b, saved);
}

void video_load_font(struct bios *b, const uint8_t *src, unsigned first,
                     unsigned count, unsigned height, unsigned block)
{
    load_font(b, src, 0, first, count, height, block);
}

void video_load_font_guest(struct bios *b, uint32_t src, unsigned first,
                           unsigned count, unsigned height, unsigned block)
{
    load_font(b, NULL, src, first, count, height, block);
}

/* ---- cursor ---- */

/* Cursor emulation (IBM VGA technical reference, INT 10h AH=01h): a
 * shape given for 8-line CGA characters is moved to the same place in
 * taller ones: lines at the bottom stay at the bottom. */
void video_set_cursor_shape(struct bios *b, uint16_t shape)
{
    unsigned start = (shape >> 8) & 0x3f, end = shape & 0x1f;
    unsigned h = bios_rb(b, BDA_CHAR_HEIGHT);
    bios_ww(b, BDA_CURSOR_SHAPE, shape);
    if (!(start & 0x20) && !(bios_rb(b, BDA_EGA_INFO) & 0x01) && h > 8 &&
        start < 8 && end < 8) {
        if (start > 4)
            start += h - 9;
        if (end >= 4 || end < start)
            end += h - 9;
        if (end >= h)
            end = h - 1;
    }
    video_crtc_write(b, 0x0a, (uint8_t)start);
    video_crtc_write(b, 0x0b, (uint8_t)end);
}

/* ---- setting a mode ---- */

static void program_registers(struct bios *b, const struct video_mode *m,
                              const uint8_t crtc[25], uint8_t misc)
{
    seq_write(b, 0, 0x01); /* synchronous reset while the clock changes */
    for (int i = 0; i < 4; i++)
        seq_write(b, (uint8_t)(i + 1), m->seq[i]);
    bios_outb(b, 0x3c2, misc);
    seq_write(b, 0, 0x03);
    /* CR11 bit 7 protects CR00-CR07: clear it first */
    video_crtc_write(b, 0x11, crtc[0x11] & 0x7f);
    for (int i = 0; i < 25; i++)
        video_crtc_write(b, (uint8_t)i, crtc[i]);
    for (int i = 0; i < 9; i++)
        gr_write(b, (uint8_t)i, m->gr[i]);
    ar_reset_flipflop(b);
    for (int i = 0; i < 20; i++) {
        bios_outb(b, 0x3c0, (uint8_t)i);
        bios_outb(b, 0x3c0, m->ar[i]);
    }
    bios_outb(b, 0x3c0, 0x14);
    bios_outb(b, 0x3c0, 0x00);
    bios_outb(b, 0x3c0, 0x20);
    bios_outb(b, 0x3c6, 0xff);
}

/* Zero the four planes (write mode 0, all planes, sequential). */
static void clear_planes(struct bios *b)
{
    seq_write(b, 2, 0x0f);
    seq_write(b, 4, 0x06);
    gr_write(b, 1, 0x00);
    gr_write(b, 3, 0x00);
    gr_write(b, 5, 0x00);
    gr_write(b, 6, 0x05);
    gr_write(b, 8, 0xff);
    for (uint32_t a = 0; a < 0x10000; a++)
        bios_wb(b, VIDEO_WINDOW_A0000 + a, 0);
}

void video_set_char_height(struct bios *b, unsigned height)
{
    if (height < 1 || height > 32)
        return;
    uint8_t cr09 = video_crtc_read(b, 0x09);
    uint8_t cr07 = video_crtc_read(b, 0x07);
    unsigned vde = video_crtc_read(b, 0x12) | ((cr07 >> 1) & 1u) << 8 |
                   ((cr07 >> 6) & 1u) << 9;
    unsigned lines = vde + 1;
    if (cr09 & 0x80)
        lines /= 2;
    unsigned rows = lines / height;
    if (rows < 1)
        rows = 1;
    video_crtc_write(b, 0x09, (uint8_t)((cr09 & 0xe0) | (height - 1)));
    vde = rows * height * ((cr09 & 0x80) ? 2u : 1u) - 1;
    video_crtc_write(b, 0x12, (uint8_t)vde);
    video_crtc_write(b, 0x07,
                     (uint8_t)((cr07 & ~0x42u) | ((vde >> 8) & 1u) << 1 |
                               ((vde >> 9) & 1u) << 6));
    unsigned cols = bios_rw(b, BDA_VIDEO_COLS);
    bios_wb(b, BDA_VIDEO_ROWS, (uint8_t)(rows - 1));
    bios_ww(b, BDA_CHAR_HEIGHT, (uint16_t)height);
    bios_ww(b, BDA_VIDEO_PAGE_SIZE,
            (uint16_t)(((rows * cols * 2) + 0xff) & ~0xffu));
    unsigned end = height - 1, start = height > 2 ? height - 2 : 0;
    video_crtc_write(b, 0x0a, (uint8_t)start);
    video_crtc_write(b, 0x0b, (uint8_t)end);
}

/* The scan lines chosen with AH=12h BL=30h (BDA 489h bits 7 and 4):
 * 200, 350 or 400 for the next text mode. */
unsigned video_text_scan_lines(struct bios *b)
{
    uint8_t f = bios_rb(b, BDA_VGA_FLAGS);
    if (f & 0x80)
        return 200;
    return (f & 0x10) ? 400 : 350;
}

void video_set_mode(struct bios *b, const struct video_mode *m, bool no_clear)
{
    uint8_t crtc[25], misc = m->misc;
    unsigned char_height = m->char_height;
    video_vbe_off(b);
    for (int i = 0; i < 25; i++)
        crtc[i] = m->crtc[i];
    if (m->kind == VIDEO_TEXT) {
        unsigned lines = video_text_scan_lines(b);
        if (lines == 350) { /* 8x14 characters, 350-line timing */
            char_height = 14;
            misc = (uint8_t)((misc & 0x3f) | 0x80);
            static const uint8_t idx[] = { 0x09, 0x0a, 0x0b, 0x10,
                                           0x11, 0x12, 0x15, 0x16 };
            static const uint8_t val[] = { 0x4d, 0x0b, 0x0c, 0x83,
                                           0x85, 0x5d, 0x63, 0xba };
            for (unsigned i = 0; i < sizeof(idx); i++)
                crtc[idx[i]] = val[i];
            crtc[0x09] = 0x4d;
        } else if (lines == 200) { /* 8x8 characters, each line twice */
            char_height = 8;
            crtc[0x09] = 0xc7;
            crtc[0x0a] = 0x06;
            crtc[0x0b] = 0x07;
        }
    }

    bios_outb(b, 0x3c2, misc); /* the CRTC's port follows bit 0 */
    if (!no_clear)
        clear_planes(b);
    program_registers(b, m, crtc, misc);
    if (!(bios_rb(b, BDA_VGA_FLAGS) & 0x08))
        dac_load_default(b, m);

    if (m->kind == VIDEO_TEXT) {
        if (!no_clear) {
            uint32_t base = (uint32_t)m->seg << 4;
            for (uint32_t a = 0; a < 0x8000; a += 2)
                bios_ww(b, base + a, 0x0720);
        }
        video_load_font(b, video_font(char_height), 0, 256, char_height, 0);
        seq_write(b, 3, 0x00);
    }

    bios_wb(b, BDA_VIDEO_MODE, m->mode);
    bios_ww(b, BDA_VIDEO_COLS, m->cols);
    bios_ww(b, BDA_VIDEO_PAGE_SIZE, m->page_size);
    bios_ww(b, BDA_VIDEO_PAGE_START, 0);
    for (unsigned pg = 0; pg < 8; pg++)
        bios_ww(b, BDA_CURSOR_POS + 2 * pg, 0);
    bios_wb(b, BDA_ACTIVE_PAGE, 0);
    bios_ww(b, BDA_CRTC_PORT, (misc & 1) ? 0x3d4 : 0x3b4);
    bios_wb(b, BDA_MODE_CONTROL, m->mode_control);
    bios_wb(b, BDA_CGA_PALETTE, m->mode == 0x06 ? 0x3f : 0x30);
    bios_wb(b, BDA_VIDEO_ROWS, (uint8_t)(m->rows - 1));
    bios_ww(b, BDA_CHAR_HEIGHT, (uint16_t)char_height);
    uint8_t info = bios_rb(b, BDA_EGA_INFO);
    bios_wb(b, BDA_EGA_INFO, (uint8_t)((info & 0x7f) | (no_clear ? 0x80 : 0)));

    video_set_cursor_shape(b, m->kind == VIDEO_TEXT ? 0x0607 : 0x2000);
    video_crtc_write(b, 0x0e, 0);
    video_crtc_write(b, 0x0f, 0);

    /* INT 43h: the graphics characters of the mode's height */
    uint16_t font =
        video_font_offset(m->kind == VIDEO_TEXT ? 8 : m->char_height);
    bios_ww(b, 0x43 * 4, font);
    bios_ww(b, 0x43 * 4 + 2, 0xf000);
}

/* ---- POST ---- */

void video_post(struct bios *b)
{
    /* EGA info: 256 KiB, cursor emulation on, the VGA active; switches
     * 9 (a colour display, 80x25); VGA flags: 400 lines, default palette
     * loading on, display combination code entry 8 (VGA colour) */
    bios_wb(b, BDA_EGA_INFO, 0x60);
    bios_wb(b, BDA_EGA_SWITCHES, 0xf9);
    bios_wb(b, BDA_VGA_FLAGS, 0x51);
    bios_wb(b, BDA_DCC_INDEX, 0x08);
    video_set_mode(b, video_mode_find(3), false);
    /* INT 1Fh: the upper half (80h-FFh) of the 8x8 font */
    bios_ww(b, 0x1f * 4, (uint16_t)(BIOS_FONT8X8_OFFSET + 128 * 8));
    bios_ww(b, 0x1f * 4 + 2, 0xf000);
}
