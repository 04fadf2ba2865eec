/*
 * vbe.c - VESA BIOS Extensions 2.0 (INT 10h AH=4Fh) on the VGA's Bochs
 * VBE interface (devices/vga_dispi.c), reached through its ports
 * 1CEh/1CFh and the framebuffer where the VGA's BAR0 puts it (vbe_lfb_base), after the VBE 2.0 and
 * 3.0 specifications:
 *
 *   4F00h controller information: "VESA" 2.0, 16 MiB, the OEM strings
 *         and the mode list in the caller's buffer (the list in the
 *         reserved area, the strings in the OEM data area when the
 *         caller asked for "VBE2", else after the list)
 *   4F01h mode information: packed pixel (8 bpp) or direct colour, the
 *         64 KiB window at A000h, PhysBasePtr the linear framebuffer
 *   4F02h set a mode (bit 14 the framebuffer, bit 15 no clear; below
 *         100h the VGA's modes), 4F03h the current mode
 *   4F04h save/restore state: the VGA's (bios/video_state.c, bits 0-2)
 *         and the Bochs VBE registers (bit 3), in 64-byte blocks
 *   4F05h the window's bank, 4F06h the scan line length, 4F07h the
 *         display start, 4F08h the DAC width (6 or 8 bits: the DISPI
 *         interface's 8-bit DAC), 4F09h the palette (blue, green, red, pad
 *         entries, in the DAC's width)
 *   4F0Ah the protected-mode interface: a table in the ROM at
 *         F000:BIOS_VBE_PM_OFFSET with 32-bit code for 4F05h, 4F07h and
 *         4F09h
 * Other functions leave AX alone (AL != 4Fh: not supported). A failed
 * call returns AX=014Fh; guest-given modes, counts and positions are
 * checked against the mode table and the 16 MiB.
 */
#include "bios/rom.h"
#include "bios/tables.h"
#include "bios/video.h"

#include <string.h>

#define DISPI_INDEX 0x1ce
#define DISPI_DATA 0x1cf
enum {
    D_ID,
    D_XRES,
    D_YRES,
    D_BPP,
    D_ENABLE,
    D_BANK,
    D_VIRT_WIDTH,
    D_VIRT_HEIGHT,
    D_X_OFFSET,
    D_Y_OFFSET,
    D_MEMORY_64K
};
#define D_ENABLED 0x01
#define D_8BIT_DAC 0x20
#define D_LFB 0x40
#define D_NOCLEAR 0x80

#define VBE_OK 0x004f
#define VBE_FAILED 0x014f
#define VBE_MEM_SIZE VBE_LFB_SIZE

struct vbe_mode {
    uint16_t mode;
    uint16_t width, height;
    uint8_t bpp;
};

/* VESA's numbers where VBE 1.2 has them (100h-11Bh but the 4-bit planar
 * and 1600x1200 ones); 32 bpp and 1920x1080 own. */
static const struct vbe_mode vbe_modes[] = {
    { 0x100, 640, 400, 8 },    { 0x10d, 320, 200, 15 },
    { 0x10e, 320, 200, 16 },   { 0x10f, 320, 200, 24 },
    { 0x110, 640, 480, 15 },   { 0x113, 800, 600, 15 },
    { 0x116, 1024, 768, 15 },  { 0x119, 1280, 1024, 15 },
    { 0x101, 640, 480, 8 },    { 0x111, 640, 480, 16 },
    { 0x112, 640, 480, 24 },   { 0x140, 640, 480, 32 },
    { 0x103, 800, 600, 8 },    { 0x114, 800, 600, 16 },
    { 0x115, 800, 600, 24 },   { 0x141, 800, 600, 32 },
    { 0x105, 1024, 768, 8 },   { 0x117, 1024, 768, 16 },
    { 0x118, 1024, 768, 24 },  { 0x142, 1024, 768, 32 },
    { 0x107, 1280, 1024, 8 },  { 0x11a, 1280, 1024, 16 },
    { 0x11b, 1280, 1024, 24 }, { 0x143, 1280, 1024, 32 },
    { 0x150, 1920, 1080, 8 },  { 0x151, 1920, 1080, 16 },
    { 0x152, 1920, 1080, 24 }, { 0x153, 1920, 1080, 32 },
};
#define N_VBE_MODES (sizeof(vbe_modes) / sizeof(vbe_modes[0]))

static void dispi_set(struct bios *b, int index, uint16_t v)
{
    bios_outw(b, DISPI_INDEX, (uint16_t)index);
    bios_outw(b, DISPI_DATA, v);
}

static uint16_t dispi_get(struct bios *b, int index)
{
    bios_outw(b, DISPI_INDEX, (uint16_t)index);
    return bios_inw(b, DISPI_DATA);
}

/* Is the interface there (an ID of B0C0h-B0CFh)? */
static bool dispi_present(struct bios *b)
{
    return (dispi_get(b, D_ID) & 0xfff0) == 0xb0c0;
}

static const struct vbe_mode *mode_find(uint16_t mode)
{
    for (unsigned i = 0; i < N_VBE_MODES; i++)
        if (vbe_modes[i].mode == (mode & 0x1ff))
            return &vbe_modes[i];
    return NULL;
}

static unsigned bytes_pp(unsigned bpp) { return (bpp + 7) / 8; }

/* The VBE mode on now, or NULL. */
static const struct vbe_mode *mode_current(struct bios *b)
{
    if (!(dispi_get(b, D_ENABLE) & D_ENABLED))
        return NULL;
    uint16_t w = dispi_get(b, D_XRES), h = dispi_get(b, D_YRES);
    uint16_t bpp = dispi_get(b, D_BPP);
    for (unsigned i = 0; i < N_VBE_MODES; i++)
        if (vbe_modes[i].width == w && vbe_modes[i].height == h &&
            vbe_modes[i].bpp == bpp)
            return &vbe_modes[i];
    return NULL;
}

void video_vbe_off(struct bios *b)
{
    if (dispi_present(b))
        dispi_set(b, D_ENABLE, 0);
}

/* Write string s (with its NUL) at addr; returns the next address. */
static uint32_t put_string(struct bios *b, uint32_t addr, const char *s)
{
    do
        bios_wb(b, addr++, (uint8_t)*s);
    while (*s++);
    return addr;
}

static void controller_info(struct bios *b, struct bios_regs *r)
{
    uint16_t seg = r->es, off = BIOS_DI(r);
    uint32_t buf = bios_lin(seg, off);
    bool vbe2 = bios_rl(b, buf) == 0x32454256u; /* "VBE2" */
    unsigned size = vbe2 ? 512 : 256;
    for (unsigned i = 0; i < size; i++)
        bios_wb(b, buf + i, 0);
    bios_wl(b, buf, 0x41534556u); /* "VESA" */
    bios_ww(b, buf + 4, 0x0200);
    bios_wl(b, buf + 10, 1); /* capabilities: the DAC switches to 8 bits */
    bios_ww(b, buf + 18, VBE_MEM_SIZE >> 16); /* 64 KiB blocks */
    /* The mode list in the reserved area (offset 34). */
    uint16_t list = (uint16_t)(off + 34);
    for (unsigned i = 0; i < N_VBE_MODES; i++)
        bios_ww(b, buf + 34 + 2 * i, vbe_modes[i].mode);
    bios_ww(b, buf + 34 + 2 * N_VBE_MODES, 0xffff);
    bios_ww(b, buf + 14, list);
    bios_ww(b, buf + 16, seg);
    /* The strings: in the OEM data area (VBE 2.0), else after the list. */
    uint16_t s_off =
        vbe2 ? (uint16_t)(off + 256) : (uint16_t)(list + 2 * N_VBE_MODES + 2);
    static const char *const strings[4] = { "jet86 VBE", "jet86",
                                            "jet86 Bochs VBE adapter", "1.0" };
    static const unsigned ptr_at[4] = { 6, 22, 26, 30 };
    for (int i = 0; i < 4; i++) {
        if (i > 0 && !vbe2)
            break; /* VBE 1.x has only the OEM string */
        bios_ww(b, buf + ptr_at[i], s_off);
        bios_ww(b, buf + ptr_at[i] + 2, seg);
        uint32_t end = put_string(b, bios_lin(seg, s_off), strings[i]);
        s_off = (uint16_t)(s_off + (end - bios_lin(seg, s_off)));
    }
    if (vbe2)
        bios_ww(b, buf + 20, 0x0100); /* OEM software revision */
    bios_set_ax(r, VBE_OK);
}

static void mode_info(struct bios *b, struct bios_regs *r)
{
    const struct vbe_mode *m = mode_find(BIOS_CX(r));
    if (!m) {
        bios_set_ax(r, VBE_FAILED);
        return;
    }
    uint32_t p = bios_lin(r->es, BIOS_DI(r));
    unsigned bpl = m->width * bytes_pp(m->bpp);
    unsigned pages = VBE_MEM_SIZE / (bpl * m->height);
    for (unsigned i = 0; i < 256; i++)
        bios_wb(b, p + i, 0);
    /* Supported, extended information, colour, graphics, not VGA
     * compatible, a linear framebuffer. */
    bios_ww(b, p + 0, 0x00bb);
    bios_wb(b, p + 2, 0x07); /* window A: there, readable, writable */
    bios_ww(b, p + 4, 64);   /* granularity, KiB */
    bios_ww(b, p + 6, 64);   /* size, KiB */
    bios_ww(b, p + 8, 0xa000);
    bios_ww(b, p + 16, (uint16_t)bpl);
    bios_ww(b, p + 18, m->width);
    bios_ww(b, p + 20, m->height);
    bios_wb(b, p + 22, 8);
    bios_wb(b, p + 23, 16);
    bios_wb(b, p + 24, 1); /* planes */
    bios_wb(b, p + 25, m->bpp);
    bios_wb(b, p + 26, 1);                   /* banks */
    bios_wb(b, p + 27, m->bpp == 8 ? 4 : 6); /* packed pixel, direct */
    bios_wb(b, p + 29, (uint8_t)(pages > 256 ? 255 : pages - 1));
    bios_wb(b, p + 30, 1);
    /* Direct colour: red, green, blue, reserved sizes and positions. */
    static const uint8_t fields[5][8] = {
        { 0 },
        { 5, 11, 6, 5, 5, 0, 0, 0 },  /* 16 */
        { 8, 16, 8, 8, 8, 0, 0, 0 },  /* 24 */
        { 8, 16, 8, 8, 8, 0, 8, 24 }, /* 32 */
        { 5, 10, 5, 5, 5, 0, 1, 15 }, /* 15 */
    };
    int f = m->bpp == 16   ? 1
            : m->bpp == 24 ? 2
            : m->bpp == 32 ? 3
            : m->bpp == 15 ? 4
                           : 0;
    for (int i = 0; i < 8; i++)
        bios_wb(b, p + 31 + (uint32_t)i, fields[f][i]);
    bios_wl(b, p + 40, vbe_lfb_base(b));
    /* VBE 3.0: the framebuffer's scan line length and colour fields. */
    bios_ww(b, p + 50, (uint16_t)bpl);
    bios_wb(b, p + 52, (uint8_t)(pages > 256 ? 255 : pages - 1));
    bios_wb(b, p + 53, (uint8_t)(pages > 256 ? 255 : pages - 1));
    for (int i = 0; i < 8; i++)
        bios_wb(b, p + 54 + (uint32_t)i, fields[f][i]);
    bios_set_ax(r, VBE_OK);
}

static void set_mode(struct bios *b, struct bios_regs *r)
{
    uint16_t bx = BIOS_BX(r);
    bool no_clear = bx & 0x8000, lfb = bx & 0x4000;
    if ((bx & 0x1ff) < 0x100) {
        const struct video_mode *vm = video_mode_find((uint8_t)(bx & 0x7f));
        if (!vm || lfb) {
            bios_set_ax(r, VBE_FAILED);
            return;
        }
        video_set_mode(b, vm, no_clear);
        bios_set_ax(r, VBE_OK);
        return;
    }
    const struct vbe_mode *m = mode_find(bx);
    if (!m || !dispi_present(b)) {
        bios_set_ax(r, VBE_FAILED);
        return;
    }
    dispi_set(b, D_ENABLE, 0);
    dispi_set(b, D_XRES, m->width);
    dispi_set(b, D_YRES, m->height);
    dispi_set(b, D_BPP, m->bpp);
    dispi_set(
        b, D_ENABLE,
        (uint16_t)(D_ENABLED | (lfb ? D_LFB : 0) | (no_clear ? D_NOCLEAR : 0)));
    bios_set_ax(r, VBE_OK);
}

static void bank(struct bios *b, struct bios_regs *r)
{
    if (BIOS_BL(r) != 0 || BIOS_BH(r) > 1) { /* window A only */
        bios_set_ax(r, VBE_FAILED);
        return;
    }
    if (BIOS_BH(r) == 1) {
        bios_set_dx(r, dispi_get(b, D_BANK));
    } else {
        if (BIOS_DX(r) >= VBE_MEM_SIZE >> 16) {
            bios_set_ax(r, VBE_FAILED);
            return;
        }
        dispi_set(b, D_BANK, BIOS_DX(r));
    }
    bios_set_ax(r, VBE_OK);
}

static void scan_line(struct bios *b, struct bios_regs *r,
                      const struct vbe_mode *m)
{
    unsigned n = bytes_pp(m->bpp);
    unsigned max_px = (unsigned)(VBE_MEM_SIZE / m->height / n);
    if (max_px > 0xffff / n)
        max_px = 0xffff / n; /* the byte count must fit BX */
    switch (BIOS_BL(r)) {
    case 0: /* set in pixels */
    case 2: /* set in bytes */ {
        unsigned px = BIOS_BL(r) == 0 ? BIOS_CX(r) : BIOS_CX(r) / n;
        if (px > max_px) {
            bios_set_ax(r, 0x024f); /* invalid in the current mode */
            return;
        }
        dispi_set(b, D_VIRT_WIDTH, (uint16_t)px);
        break;
    }
    case 1: break;
    case 3:
        bios_set_bx(r, (uint16_t)(max_px * n));
        bios_set_cx(r, (uint16_t)max_px);
        bios_set_ax(r, VBE_OK);
        return;
    default: bios_set_ax(r, VBE_FAILED); return;
    }
    uint16_t vw = dispi_get(b, D_VIRT_WIDTH);
    bios_set_bx(r, (uint16_t)(vw * n));
    bios_set_cx(r, vw);
    bios_set_dx(r, dispi_get(b, D_VIRT_HEIGHT));
    bios_set_ax(r, VBE_OK);
}

/* 4F07h: 00h/80h set (pixel CX, line DX), 01h get; VBE 3.0's 02h/82h
 * schedule the start as a byte address (ECX) and 04h tells whether the
 * scheduled start is shown (CX != 0: always, the change is immediate).
 * 80h/82h wait for the retrace: the call completes between two guest
 * instructions, which no frame splits. No stereo (03h, 05h, 06h). */
static void display_start(struct bios *b, struct bios_regs *r,
                          const struct vbe_mode *m)
{
    switch (BIOS_BL(r)) {
    case 0x00:
    case 0x80:
        dispi_set(b, D_X_OFFSET, BIOS_CX(r));
        dispi_set(b, D_Y_OFFSET, BIOS_DX(r));
        break;
    case 0x02:
    case 0x82: {
        uint32_t line = (uint32_t)dispi_get(b, D_VIRT_WIDTH) * bytes_pp(m->bpp);
        if (line == 0 || r->ecx / line > 0xffff) {
            bios_set_ax(r, VBE_FAILED);
            return;
        }
        dispi_set(b, D_X_OFFSET, (uint16_t)(r->ecx % line / bytes_pp(m->bpp)));
        dispi_set(b, D_Y_OFFSET, (uint16_t)(r->ecx / line));
        break;
    }
    case 0x04: bios_set_cx(r, 1); break;
    case 0x01:
        bios_set_bh(r, 0);
        bios_set_cx(r, dispi_get(b, D_X_OFFSET));
        bios_set_dx(r, dispi_get(b, D_Y_OFFSET));
        break;
    default: bios_set_ax(r, VBE_FAILED); return;
    }
    bios_set_ax(r, VBE_OK);
}

static bool dac8_on(struct bios *b)
{
    return dispi_present(b) && (dispi_get(b, D_ENABLE) & D_8BIT_DAC);
}

/* 4F09h: entries of blue, green, red, alignment, 6 or 8 bits each as the
 * DAC is. 80h (during the vertical retrace) is 00h: the call completes
 * between two guest instructions, so no frame shows half a palette. No
 * secondary palette (02h, 03h: AH=02h). */
static void palette(struct bios *b, struct bios_regs *r)
{
    unsigned first = BIOS_DX(r), count = BIOS_CX(r);
    uint8_t bl = BIOS_BL(r);
    if (bl == 0x02 || bl == 0x03) {
        bios_set_ax(r, 0x024f);
        return;
    }
    if (first > 256 || count > 256 - first ||
        (bl != 0x00 && bl != 0x80 && bl != 0x01)) {
        bios_set_ax(r, VBE_FAILED);
        return;
    }
    uint8_t mask = dac8_on(b) ? 0xff : 0x3f;
    uint32_t p = bios_lin(r->es, BIOS_DI(r));
    for (unsigned i = 0; i < count; i++, p += 4) {
        uint8_t idx = (uint8_t)(first + i);
        if (bl == 0x01) {
            bios_outb(b, 0x3c7, idx);
            uint8_t red = bios_inb(b, 0x3c9), green = bios_inb(b, 0x3c9);
            uint8_t blue = bios_inb(b, 0x3c9);
            bios_wb(b, p, blue);
            bios_wb(b, p + 1, green);
            bios_wb(b, p + 2, red);
            bios_wb(b, p + 3, 0);
        } else {
            bios_outb(b, 0x3c8, idx);
            bios_outb(b, 0x3c9, bios_rb(b, p + 2) & mask);
            bios_outb(b, 0x3c9, bios_rb(b, p + 1) & mask);
            bios_outb(b, 0x3c9, bios_rb(b, p) & mask);
        }
    }
    bios_set_ax(r, VBE_OK);
}

/* 4F08h: 8 bits for BH >= 8, else 6 (the next lower width the DAC
 * has); a mode set goes back to 6. Not in direct colour modes (AH=03h). */
static void dac_width(struct bios *b, struct bios_regs *r)
{
    const struct vbe_mode *cur = mode_current(b);
    if (BIOS_BL(r) > 1 || !dispi_present(b)) {
        bios_set_ax(r, VBE_FAILED);
        return;
    }
    if (BIOS_BL(r) == 0) {
        if (cur && cur->bpp > 8) {
            bios_set_ax(r, 0x034f);
            return;
        }
        uint16_t en = dispi_get(b, D_ENABLE) & (uint16_t)~D_8BIT_DAC;
        dispi_set(b, D_ENABLE,
                  (uint16_t)(en | (BIOS_BH(r) >= 8 ? D_8BIT_DAC : 0)));
    }
    bios_set_bh(r, dac8_on(b) ? 8 : 6);
    bios_set_ax(r, VBE_OK);
}

/* 4F04h state bit 3: the DISPI registers, 32 bytes (XRES-Y_OFFSET as
 * words from offset 2, the index at 0). */
#define SVGA_STATE_SIZE 32u
#define VBE_STATE_SVGA 0x08u

static void save_restore(struct bios *b, struct bios_regs *r)
{
    unsigned mask = BIOS_CX(r) & 0x0f;
    unsigned vga = mask & (VIDEO_STATE_HW | VIDEO_STATE_BDA | VIDEO_STATE_DAC);
    uint32_t p = bios_lin(r->es, BIOS_BX(r));
    switch (BIOS_DL(r)) {
    case 0x00: {
        unsigned size = video_state_size(vga) +
                        ((mask & VBE_STATE_SVGA) ? SVGA_STATE_SIZE : 0);
        bios_set_bx(r, (uint16_t)((size + 63) / 64));
        break;
    }
    case 0x01:
        if (mask & VBE_STATE_SVGA) {
            bool there = dispi_present(b);
            bios_ww(b, p, there ? bios_inw(b, DISPI_INDEX) : 0);
            for (int i = D_XRES; i <= D_Y_OFFSET; i++)
                bios_ww(b, p + 2u * (unsigned)i, there ? dispi_get(b, i) : 0);
            if (there)
                bios_outw(b, DISPI_INDEX, bios_rw(b, p));
            p += SVGA_STATE_SIZE;
        }
        video_state_save(b, vga, p);
        break;
    case 0x02:
        /* The DISPI registers first: the DAC's width decides how the DAC
         * entries are taken. */
        if (mask & VBE_STATE_SVGA) {
            if (dispi_present(b)) {
                uint16_t en = bios_rw(b, p + 2u * D_ENABLE);
                dispi_set(b, D_ENABLE, 0);
                dispi_set(b, D_XRES, bios_rw(b, p + 2u * D_XRES));
                dispi_set(b, D_YRES, bios_rw(b, p + 2u * D_YRES));
                dispi_set(b, D_BPP, bios_rw(b, p + 2u * D_BPP));
                dispi_set(b, D_ENABLE,
                          (uint16_t)(en | ((en & D_ENABLED) ? D_NOCLEAR : 0)));
                dispi_set(b, D_BANK, bios_rw(b, p + 2u * D_BANK));
                dispi_set(b, D_VIRT_WIDTH, bios_rw(b, p + 2u * D_VIRT_WIDTH));
                dispi_set(b, D_X_OFFSET, bios_rw(b, p + 2u * D_X_OFFSET));
                dispi_set(b, D_Y_OFFSET, bios_rw(b, p + 2u * D_Y_OFFSET));
                bios_outw(b, DISPI_INDEX, bios_rw(b, p));
            }
            p += SVGA_STATE_SIZE;
        }
        video_state_restore(b, vga, p);
        break;
    default: bios_set_ax(r, VBE_FAILED); return;
    }
    bios_set_ax(r, VBE_OK);
}

/*
 * 4F0Ah's table (VBE 2.0 "Return VBE Protected Mode Interface"): the
 * offsets of the code for 4F05h, 4F07h and 4F09h and of the list of
 * ports, the list (1CEh, 1CFh; no memory), then the code, for a 32-bit
 * code segment, each routine ending with a near RET and AX=004Fh:
 *   set window     DX = the bank (window A)
 *   display start  CX:DX = bits 0-15:16-31 of the display start address
 *                  in units of 4 bytes (as VBE 3.0 describes it); the
 *                  DISPI's X/Y offsets from the line length and depth
 *   palette        CX entries from DX, ES:EDI blue, green, red, pad
 * keeping every register but EAX.
 */
static const uint8_t pm_set_window[] = {
    0x52,                   /* push edx */
    0x66, 0xb8, 0x05, 0x00, /* mov ax, 5 (BANK) */
    0x66, 0xba, 0xce, 0x01, /* mov dx, 1ceh */
    0x66, 0xef,             /* out dx, ax */
    0x5a,                   /* pop edx */
    0x52,                   /* push edx */
    0x89, 0xd0,             /* mov eax, edx */
    0x66, 0xba, 0xcf, 0x01, /* mov dx, 1cfh */
    0x66, 0xef,             /* out dx, ax */
    0x5a,                   /* pop edx */
    0x66, 0xb8, 0x4f, 0x00, /* mov ax, 004fh */
    0xc3,                   /* ret */
};
static const uint8_t pm_display_start[] = {
    0x53, 0x51, 0x52, 0x57, /* push ebx, ecx, edx, edi */
    0x0f, 0xb7, 0xc9,       /* movzx ecx, cx */
    0xc1, 0xe2, 0x10,       /* shl edx, 16 */
    0x09, 0xd1,             /* or ecx, edx */
    0xc1, 0xe1, 0x02,       /* shl ecx, 2: bytes */
    0x66, 0xba, 0xce, 0x01, /* mov dx, 1ceh */
    0x66, 0xb8, 0x03, 0x00, /* mov ax, 3 (BPP) */
    0x66, 0xef,             /* out dx, ax */
    0x42,                   /* inc edx */
    0x66, 0xed,             /* in ax, dx */
    0x0f, 0xb7, 0xd8,       /* movzx ebx, ax */
    0x83, 0xc3, 0x07,       /* add ebx, 7 */
    0xc1, 0xeb, 0x03,       /* shr ebx, 3: bytes a pixel */
    0x4a,                   /* dec edx */
    0x66, 0xb8, 0x06, 0x00, /* mov ax, 6 (VIRT_WIDTH) */
    0x66, 0xef,             /* out dx, ax */
    0x42,                   /* inc edx */
    0x66, 0xed,             /* in ax, dx */
    0x0f, 0xb7, 0xc0,       /* movzx eax, ax */
    0x0f, 0xaf, 0xc3,       /* imul eax, ebx: bytes a line */
    0x89, 0xc7,             /* mov edi, eax */
    0x85, 0xff,             /* test edi, edi */
    0x74, 0x2b,             /* jz done (no mode) */
    0x89, 0xc8,             /* mov eax, ecx */
    0x31, 0xd2,             /* xor edx, edx */
    0xf7, 0xf7,             /* div edi */
    0x89, 0xc1,             /* mov ecx, eax: the line */
    0x89, 0xd0,             /* mov eax, edx */
    0x31, 0xd2,             /* xor edx, edx */
    0xf7, 0xf3,             /* div ebx */
    0x89, 0xc3,             /* mov ebx, eax: the pixel */
    0x66, 0xba, 0xce, 0x01, /* mov dx, 1ceh */
    0x66, 0xb8, 0x08, 0x00, /* mov ax, 8 (X_OFFSET) */
    0x66, 0xef,             /* out dx, ax */
    0x42,                   /* inc edx */
    0x89, 0xd8,             /* mov eax, ebx */
    0x66, 0xef,             /* out dx, ax */
    0x4a,                   /* dec edx */
    0x66, 0xb8, 0x09, 0x00, /* mov ax, 9 (Y_OFFSET) */
    0x66, 0xef,             /* out dx, ax */
    0x42,                   /* inc edx */
    0x89, 0xc8,             /* mov eax, ecx */
    0x66, 0xef,             /* out dx, ax */
    0x5f, 0x5a, 0x59, 0x5b, /* done: pop edi, edx, ecx, ebx */
    0x66, 0xb8, 0x4f, 0x00, /* mov ax, 004fh */
    0xc3,                   /* ret */
};
static const uint8_t pm_palette[] = {
    0x51, 0x52, 0x57,       /* push ecx, edx, edi */
    0x89, 0xd0,             /* mov eax, edx */
    0x66, 0xba, 0xc8, 0x03, /* mov dx, 3c8h */
    0xee,                   /* out dx, al: the first entry */
    0x42,                   /* inc edx: 3c9h */
    0x0f, 0xb7, 0xc9,       /* movzx ecx, cx */
    0xe3, 0x13,             /* jecxz done */
    0x26, 0x8a, 0x47, 0x02, /* next: mov al, es:[edi+2] (red) */
    0xee,                   /* out dx, al */
    0x26, 0x8a, 0x47, 0x01, /* mov al, es:[edi+1] (green) */
    0xee,                   /* out dx, al */
    0x26, 0x8a, 0x07,       /* mov al, es:[edi] (blue) */
    0xee,                   /* out dx, al */
    0x83, 0xc7, 0x04,       /* add edi, 4 */
    0xe2, 0xed,             /* loop next */
    0x5f, 0x5a, 0x59,       /* done: pop edi, edx, ecx */
    0x66, 0xb8, 0x4f, 0x00, /* mov ax, 004fh */
    0xc3,                   /* ret */
};

/* The table, its port list and the three routines. */
static unsigned pm_table_len(void)
{
    return 8 + 8 + sizeof(pm_set_window) + sizeof(pm_display_start) +
           sizeof(pm_palette);
}
_Static_assert(8 + 8 + sizeof(pm_set_window) + sizeof(pm_display_start) +
                       sizeof(pm_palette) <=
                   BIOS_VBE_PM_MAX,
               "the protected-mode table fits its place in the ROM");

unsigned video_vbe_pm_build(uint8_t *rom)
{
    static const uint8_t ports[] = { 0xce, 0x01, 0xcf, 0x01,
                                     0xff, 0xff, 0xff, 0xff };
    uint8_t *t = rom + BIOS_VBE_PM_OFFSET;
    unsigned pos = 8;
    memcpy(t + pos, ports, sizeof(ports));
    t[6] = (uint8_t)pos;
    t[7] = 0;
    pos += sizeof(ports);
    const uint8_t *code[3] = { pm_set_window, pm_display_start, pm_palette };
    const unsigned len[3] = { sizeof(pm_set_window), sizeof(pm_display_start),
                              sizeof(pm_palette) };
    for (int i = 0; i < 3; i++) {
        t[2 * i] = (uint8_t)pos;
        t[2 * i + 1] = (uint8_t)(pos >> 8);
        memcpy(t + pos, code[i], len[i]);
        pos += len[i];
    }
    return pos;
}

void video_vbe(struct bios *b, struct bios_regs *r)
{
    const struct vbe_mode *cur;
    switch (BIOS_AL(r)) {
    case 0x00: controller_info(b, r); break;
    case 0x01: mode_info(b, r); break;
    case 0x02: set_mode(b, r); break;
    case 0x03:
        cur = mode_current(b);
        if (cur)
            bios_set_bx(
                r, (uint16_t)(cur->mode |
                              ((dispi_get(b, D_ENABLE) & D_LFB) ? 0x4000 : 0)));
        else
            bios_set_bx(r, bios_rb(b, BDA_VIDEO_MODE));
        bios_set_ax(r, VBE_OK);
        break;
    case 0x04: save_restore(b, r); break;
    case 0x05: bank(b, r); break;
    case 0x06:
        cur = mode_current(b);
        if (cur)
            scan_line(b, r, cur);
        else
            bios_set_ax(r, VBE_FAILED);
        break;
    case 0x07:
        cur = mode_current(b);
        if (cur)
            display_start(b, r, cur);
        else
            bios_set_ax(r, VBE_FAILED);
        break;
    case 0x08: dac_width(b, r); break;
    case 0x09: palette(b, r); break;
    case 0x0a:
        if (BIOS_BL(r) != 0) {
            bios_set_ax(r, VBE_FAILED);
            break;
        }
        r->es = 0xf000;
        bios_set_di(r, BIOS_VBE_PM_OFFSET);
        bios_set_cx(r, (uint16_t)pm_table_len());
        bios_set_ax(r, VBE_OK);
        break;
    default: break;
    }
}
