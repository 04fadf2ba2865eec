/*
 * vga_int.h - what devices/vga.c (registers, display memory) and
 * devices/vga_render.c (the picture) share. Not for other files.
 */
#ifndef DEVICES_VGA_INT_H
#define DEVICES_VGA_INT_H

#include "base/clock.h"
#include "devices/vga.h"

/* The last picture vga_render() drew and what it depended on. */
struct vga_render_state {
    uint32_t *fb; /* fb_w * fb_h */
    int fb_w, fb_h;
    size_t fb_cap;   /* pixels allocated */
    uint32_t *line;  /* one row being drawn */
    uint64_t gen;    /* vga_state.gen when fb was drawn */
    int blink_phase; /* the text blink and cursor phases drawn */
    bool valid;
    /* the dirty rows each view is owed (vga_render_view) */
    uint64_t seq;      /* draws that changed a row */
    uint64_t *row_seq; /* VGA_MAX_HEIGHT: the draw that last changed it */
    struct vga_view view; /* vga_render()'s */
};

struct vga_state {
    struct device dev;
    struct mem_region *window;
    struct io_region *ports_3c0, *ports_3b4, *ports_3d4;
    struct vclock *clk;

    uint8_t *vram; /* four planes of VGA_PLANE_SIZE */
    uint32_t latch;

    uint8_t misc, feature;
    uint8_t seq_index, seq[8];
    uint8_t gr_index, gr[16];
    uint8_t crtc_index, crtc[32];
    uint8_t ar_index, ar[32];
    bool ar_data; /* the flip-flop: the next 3C0h write is data */

    uint8_t dac_mask, dac_read, dac_write, dac_sub, dac_state;
    uint8_t dac_latch[3];
    uint8_t dac[256][3];

    /* The renderer (devices/vga_render.c): bumped on every write that may
     * change the picture, so an unchanged screen is not drawn again. */
    uint64_t gen;
    struct vga_render_state render;

    /* The Bochs VBE interface (devices/vga_dispi.c). */
    struct io_region *ports_dispi;
    struct mem_region *lfb;
    uint8_t *vbe_mem; /* VGA_VBE_MEM_SIZE */
    uint16_t dispi_index;
    uint16_t dispi[VGA_DISPI_NREGS];
    uint32_t vbe_line; /* bytes from one virtual line to the next */
};

/* Bits 8 and 9 of a vertical CRTC register from the overflow register. */
uint32_t vga_crtc_vertical(const struct vga_state *s, int reg, int bit8,
                           int bit9);

/* The duration of a frame in ns as the CRTC and clock select time it. */
int64_t vga_frame_ns(const struct vga_state *s);

void vga_render_free(struct vga_state *s);

/* The VGA's part of a device that embeds it (the PCI VGA, vga_pci.c):
 * init claims its ports and memory as isa-vga's create does, destroy
 * gives them back (the caller frees the state), reset is the class's. */
void vga_state_init(struct vga_state *s, struct device_bus *bus);
void vga_state_destroy(struct vga_state *s);
void vga_dev_reset(struct device *dev);
/* Byte accesses to ports 3C0h-3DFh (others read all ones). */
uint8_t vga_port_read(struct vga_state *s, uint16_t port);
void vga_port_write(struct vga_state *s, uint16_t port, uint8_t v);
/* DISPI register index through the MMIO BAR: the index port is set
 * first, as through ports 1CEh/1CFh. */
uint16_t vga_dispi_mmio_read(struct vga_state *s, uint16_t index);
void vga_dispi_mmio_write(struct vga_state *s, uint16_t index, uint16_t v);

void vga_dispi_create(struct vga_state *s, struct device_bus *bus);
void vga_dispi_reset(struct vga_state *s);
void vga_dispi_free(struct vga_state *s);
/* Is a VBE mode on (the picture and the A0000h window are DISPI's)? */
bool vga_dispi_enabled(const struct vga_state *s);
/* Bytes a pixel of the current VBE mode (1-4). */
unsigned vga_dispi_bytes_pp(const struct vga_state *s);

#endif
