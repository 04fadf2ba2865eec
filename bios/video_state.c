/*
 * video_state.c - saving and restoring the VGA's state in a caller's
 * buffer, for INT 10h AH=1Ch and VBE 4F04h (bios/vbe.c adds the Bochs VBE
 * registers as its state bit 3). The buffer's layout is the BIOS's own
 * (callers only keep it and hand it back); a state the mask asks for
 * takes a section, in bit order:
 *
 *   bit 0  the controller's registers, 64 bytes: misc output, the
 *          sequencer, CRTC and graphics controller indexes, a reserved
 *          byte, SR00-04, CR00-18, AR00-14, GR00-08
 *   bit 1  the BIOS data, 64 bytes: BDA 449h-466h, 484h-48Ah, the INT 1Fh
 *          and INT 43h vectors
 *   bit 2  the DAC, 772 bytes: the PEL mask, the read/write state (3C7h),
 *          the write index, a reserved byte, 256 red, green, blue entries
 *
 * All through the ports, as the VGA BIOS reaches the hardware.
 */
#include "bios/video.h"

#define HW_SIZE 64u
#define BDA_SIZE 64u
#define DAC_SIZE 772u

/* The BDA's video fields that a saved state holds. */
#define BDA_VIDEO_A 0x449u
#define BDA_VIDEO_A_LEN 0x1eu /* 449h-466h */
#define BDA_VIDEO_B 0x484u
#define BDA_VIDEO_B_LEN 0x07u /* 484h-48Ah */

unsigned video_state_size(unsigned mask)
{
    return ((mask & VIDEO_STATE_HW) ? HW_SIZE : 0) +
           ((mask & VIDEO_STATE_BDA) ? BDA_SIZE : 0) +
           ((mask & VIDEO_STATE_DAC) ? DAC_SIZE : 0);
}

static uint8_t indexed_read(struct bios *b, uint16_t port, uint8_t i)
{
    bios_outb(b, port, i);
    return bios_inb(b, (uint16_t)(port + 1));
}

static void indexed_write(struct bios *b, uint16_t port, uint8_t i, uint8_t v)
{
    bios_outb(b, port, i);
    bios_outb(b, (uint16_t)(port + 1), v);
}

static uint16_t crtc_port(struct bios *b)
{
    return (bios_inb(b, 0x3cc) & 1) ? 0x3d4 : 0x3b4;
}

static void save_hw(struct bios *b, uint32_t p)
{
    uint16_t crtc = crtc_port(b);
    bios_wb(b, p, bios_inb(b, 0x3cc));
    bios_wb(b, p + 1, bios_inb(b, 0x3c4));
    bios_wb(b, p + 2, bios_inb(b, crtc));
    bios_wb(b, p + 3, bios_inb(b, 0x3ce));
    bios_wb(b, p + 4, 0);
    for (uint8_t i = 0; i < 5; i++)
        bios_wb(b, p + 5 + i, indexed_read(b, 0x3c4, i));
    for (uint8_t i = 0; i < 25; i++)
        bios_wb(b, p + 10 + i, indexed_read(b, crtc, i));
    for (uint8_t i = 0; i < 21; i++)
        bios_wb(b, p + 35 + i, video_ar_read(b, i));
    for (uint8_t i = 0; i < 9; i++)
        bios_wb(b, p + 56 + i, indexed_read(b, 0x3ce, i));
    /* indexes restored: the reads above moved them */
    bios_outb(b, 0x3c4, bios_rb(b, p + 1));
    bios_outb(b, crtc, bios_rb(b, p + 2));
    bios_outb(b, 0x3ce, bios_rb(b, p + 3));
}

static void restore_hw(struct bios *b, uint32_t p)
{
    bios_outb(b, 0x3c2, bios_rb(b, p));
    uint16_t crtc = crtc_port(b);
    /* The sequencer held in reset while the clocking changes. */
    indexed_write(b, 0x3c4, 0, 0x01);
    for (uint8_t i = 1; i < 5; i++)
        indexed_write(b, 0x3c4, i, bios_rb(b, p + 5 + i));
    indexed_write(b, 0x3c4, 0, bios_rb(b, p + 5));
    /* CR11 bit 7 write-protects CR00-07: open it first, CR11 last. */
    indexed_write(b, crtc, 0x11, bios_rb(b, p + 10 + 0x11) & 0x7f);
    for (uint8_t i = 0; i < 25; i++)
        if (i != 0x11)
            indexed_write(b, crtc, i, bios_rb(b, p + 10 + i));
    indexed_write(b, crtc, 0x11, bios_rb(b, p + 10 + 0x11));
    for (uint8_t i = 0; i < 21; i++)
        video_ar_write(b, i, bios_rb(b, p + 35 + i));
    for (uint8_t i = 0; i < 9; i++)
        indexed_write(b, 0x3ce, i, bios_rb(b, p + 56 + i));
    bios_outb(b, 0x3c4, bios_rb(b, p + 1));
    bios_outb(b, crtc, bios_rb(b, p + 2));
    bios_outb(b, 0x3ce, bios_rb(b, p + 3));
}

static void copy_bda(struct bios *b, uint32_t p, bool save)
{
    static const struct {
        uint32_t addr, len;
    } parts[] = {
        { BDA_VIDEO_A, BDA_VIDEO_A_LEN },
        { BDA_VIDEO_B, BDA_VIDEO_B_LEN },
        { 0x1f * 4, 4 }, /* INT 1Fh: the graphics font's upper half */
        { 0x43 * 4, 4 }, /* INT 43h: the graphics font */
    };
    for (unsigned k = 0; k < sizeof(parts) / sizeof(parts[0]); k++)
        for (uint32_t i = 0; i < parts[k].len; i++, p++) {
            if (save)
                bios_wb(b, p, bios_rb(b, parts[k].addr + i));
            else
                bios_wb(b, parts[k].addr + i, bios_rb(b, p));
        }
}

static void save_dac(struct bios *b, uint32_t p)
{
    bios_wb(b, p, bios_inb(b, 0x3c6));
    bios_wb(b, p + 1, bios_inb(b, 0x3c7) & 0x03);
    bios_wb(b, p + 2, bios_inb(b, 0x3c8));
    bios_wb(b, p + 3, 0);
    bios_outb(b, 0x3c7, 0);
    for (unsigned i = 0; i < 768; i++)
        bios_wb(b, p + 4 + i, bios_inb(b, 0x3c9));
    bios_outb(b, 0x3c8, bios_rb(b, p + 2));
}

static void restore_dac(struct bios *b, uint32_t p)
{
    bios_outb(b, 0x3c6, bios_rb(b, p));
    bios_outb(b, 0x3c8, 0);
    for (unsigned i = 0; i < 768; i++)
        bios_outb(b, 0x3c9, bios_rb(b, p + 4 + i));
    /* The state: reading (3C7h written last) or writing (3C8h). */
    if (bios_rb(b, p + 1) == 0x03)
        bios_outb(b, 0x3c7, bios_rb(b, p + 2));
    else
        bios_outb(b, 0x3c8, bios_rb(b, p + 2));
}

uint32_t video_state_save(struct bios *b, unsigned mask, uint32_t p)
{
    if (mask & VIDEO_STATE_HW) {
        save_hw(b, p);
        p += HW_SIZE;
    }
    if (mask & VIDEO_STATE_BDA) {
        copy_bda(b, p, true);
        p += BDA_SIZE;
    }
    if (mask & VIDEO_STATE_DAC) {
        save_dac(b, p);
        p += DAC_SIZE;
    }
    return p;
}

uint32_t video_state_restore(struct bios *b, unsigned mask, uint32_t p)
{
    if (mask & VIDEO_STATE_HW) {
        restore_hw(b, p);
        p += HW_SIZE;
    }
    if (mask & VIDEO_STATE_BDA) {
        copy_bda(b, p, false);
        p += BDA_SIZE;
    }
    if (mask & VIDEO_STATE_DAC) {
        restore_dac(b, p);
        p += DAC_SIZE;
    }
    return p;
}
