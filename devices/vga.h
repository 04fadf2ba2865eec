/*
 * vga.h - an IBM VGA: 256 KiB of display memory in four planes, its
 * registers (misc output, sequencer, CRT controller, graphics controller,
 * attribute controller, DAC) at ports 0x3B4-0x3DA, and the host memory
 * window at 0xA0000-0xBFFFF decoded as the graphics controller's memory
 * map field says.
 *
 * The device keeps the state a display needs: vga_text_dump() renders an
 * alphanumeric screen as text (the characters of planes 0 and 1 under the
 * CRTC's start address, offset, character height and cursor), which
 * headless runs and tests use; vga_render() draws the picture a display
 * shows, in pixels.
 */
#ifndef DEVICES_VGA_H
#define DEVICES_VGA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "devices/device.h"

#define VGA_PLANE_SIZE 0x10000u
#define VGA_WINDOW_BASE 0xa0000u
#define VGA_WINDOW_SIZE 0x20000u

/* The Bochs VBE extensions ("DISPI", as Bochs and QEMU's std VGA have
 * them): 16-bit index and data ports, 16 MiB of video memory shown
 * through the A0000h window in 64 KiB banks and as a linear
 * framebuffer. */
#define VGA_DISPI_INDEX_PORT 0x1ce
#define VGA_DISPI_DATA_PORT 0x1cf
#define VGA_VBE_LFB_BASE 0xe0000000u
#define VGA_VBE_MEM_SIZE (16u << 20)
#define VGA_VBE_MAX_XRES 1920
#define VGA_VBE_MAX_YRES 1200

enum {
    VGA_DISPI_ID, VGA_DISPI_XRES, VGA_DISPI_YRES, VGA_DISPI_BPP,
    VGA_DISPI_ENABLE, VGA_DISPI_BANK, VGA_DISPI_VIRT_WIDTH,
    VGA_DISPI_VIRT_HEIGHT, VGA_DISPI_X_OFFSET, VGA_DISPI_Y_OFFSET,
    VGA_DISPI_VIDEO_MEMORY_64K, VGA_DISPI_NREGS
};
#define VGA_DISPI_ID0 0xb0c0
#define VGA_DISPI_ID5 0xb0c5
/* VGA_DISPI_ENABLE bits */
#define VGA_DISPI_ENABLED 0x01
#define VGA_DISPI_GETCAPS 0x02
#define VGA_DISPI_8BIT_DAC 0x20
#define VGA_DISPI_LFB_ENABLED 0x40
#define VGA_DISPI_NOCLEARMEM 0x80

struct vga_state;

/* "isa-vga": no properties. Resets to the state a VGA BIOS leaves after
 * setting mode 3 (80x25 colour text, 9x16 cells), with an empty screen
 * and no font loaded (a font is the BIOS's to load into plane 2). */
extern const struct device_class vga_device_class;
/* "VGA": the same VGA as QEMU's std VGA, a PCI function
 * (devices/vga_pci.c, vga_pci.h). vga_from_device takes either. */
extern const struct device_class vga_pci_device_class;
struct vga_state *vga_from_device(struct device *dev);

/* Display memory, plane p (0-3), VGA_PLANE_SIZE bytes. */
uint8_t *vga_plane(struct vga_state *s, int p);

/* The alphanumeric screen's geometry as the registers program it; false
 * in a graphics mode. */
struct vga_text_geometry {
    int cols, rows;       /* characters */
    int char_height;      /* scan lines per row */
    uint32_t start;       /* CRTC start address (character cells) */
    uint32_t stride;      /* character cells from one row to the next */
    bool cursor_on;
    int cursor_row, cursor_col; /* -1 when off screen */
};
bool vga_text_geometry(struct vga_state *s, struct vga_text_geometry *g);

/* The character and attribute at (row, col) of the alphanumeric screen. */
void vga_text_cell(struct vga_state *s, const struct vga_text_geometry *g,
                   int row, int col, uint8_t *ch, uint8_t *attr);

/* Write the alphanumeric screen to f as text, one line per row, trailing
 * blanks dropped, code page 437 characters outside printable ASCII as
 * '.', or a line saying the VGA is in a graphics mode. */
void vga_text_dump(struct vga_state *s, FILE *f);

/* The picture (devices/vga_render.c). */
struct vga_frame {
    int width, height;       /* pixels; 0 x 0 when the display is off */
    const uint32_t *pixels;  /* width * height, rows top to bottom,
                                0x00RRGGBB; valid until the next call */
    int dirty_y0, dirty_y1;  /* rows changed since the view's previous
                                call (y1 exclusive; y0 == y1: none) */
};
/* One consumer of the picture (the window, a screendump): the last
 * picture it saw, so the rows changed since are reported to it whoever
 * else renders meanwhile. Zeroed: the first call reports every row. */
struct vga_view {
    uint64_t seen;
};
/* Draws what the VGA shows now (text, graphics or VBE) into its own
 * buffer; `now` is the virtual time in ns (cursor and text blink). The
 * dirty rows are those changed since v's previous call. */
void vga_render_view(struct vga_state *s, uint64_t now, struct vga_view *v,
                     struct vga_frame *f);
/* vga_render_view with the device's own view, for a single consumer. */
void vga_render(struct vga_state *s, uint64_t now, struct vga_frame *f);
/* Every view's next call reports every row dirty (a forced redraw). */
void vga_render_invalidate(struct vga_state *s);

#endif
