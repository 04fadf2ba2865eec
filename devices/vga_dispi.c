/*
 * vga_dispi.c - the Bochs VBE extensions of the VGA ("DISPI"), as the
 * Bochs and QEMU std VGA document them:
 *
 *   port 1CEh  index (16 bits), port 1CFh (and 1D0h) data (16 bits)
 *   0 ID           reads the interface version; a write of B0C0h-B0C5h
 *                  selects it (guests probe by writing and reading back)
 *   1 XRES, 2 YRES, 3 BPP (8, 15, 16, 24, 32)
 *                  writable while the interface is disabled; with
 *                  ENABLE's GETCAPS bit they read the maxima instead
 *   4 ENABLE       bit 0 on, 1 GETCAPS, 5 8-bit DAC, 6 LFB, 7 don't
 *                  clear the memory when turning on
 *   5 BANK         which 64 KiB of video memory A0000h shows
 *   6 VIRT_WIDTH, 7 VIRT_HEIGHT   the virtual screen (pixels); the height
 *                  is what the memory holds at that width
 *   8 X_OFFSET, 9 Y_OFFSET        the display start in the virtual screen
 *   10 VIDEO_MEMORY_64K           the memory size in 64 KiB units
 *
 * The video memory (16 MiB) is RAM at VGA_VBE_LFB_BASE with dirty logging
 * (the renderer redraws only the rows of written pages). Turning the
 * interface on with a bad size or depth fixes them as the documentation
 * implies: depth 8 unless valid, width a multiple of 8 within the
 * maximum, and nothing bigger than the memory.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "devices/vga.h"
#include "devices/vga_int.h"
#include "softmmu/memory.h"

bool vga_dispi_enabled(const struct vga_state *s)
{
    return s->dispi[VGA_DISPI_ENABLE] & VGA_DISPI_ENABLED;
}

unsigned vga_dispi_bytes_pp(const struct vga_state *s)
{
    return (s->dispi[VGA_DISPI_BPP] + 7u) / 8u;
}

static bool valid_bpp(unsigned bpp)
{
    return bpp == 8 || bpp == 15 || bpp == 16 || bpp == 24 || bpp == 32;
}

/* The virtual screen from VIRT_WIDTH; the offsets kept inside it. */
static void dispi_virtual(struct vga_state *s)
{
    uint16_t *r = s->dispi;
    unsigned bpp = vga_dispi_bytes_pp(s);
    if (r[VGA_DISPI_VIRT_WIDTH] < r[VGA_DISPI_XRES])
        r[VGA_DISPI_VIRT_WIDTH] = r[VGA_DISPI_XRES];
    uint32_t line = (uint32_t)r[VGA_DISPI_VIRT_WIDTH] * bpp;
    if (line * r[VGA_DISPI_YRES] > VGA_VBE_MEM_SIZE) {
        r[VGA_DISPI_VIRT_WIDTH] = r[VGA_DISPI_XRES];
        line = (uint32_t)r[VGA_DISPI_XRES] * bpp;
    }
    uint32_t vh = line ? VGA_VBE_MEM_SIZE / line : 0;
    r[VGA_DISPI_VIRT_HEIGHT] = (uint16_t)(vh > 0xffff ? 0xffff : vh);
    s->vbe_line = line;
    if (r[VGA_DISPI_X_OFFSET] > r[VGA_DISPI_VIRT_WIDTH] - r[VGA_DISPI_XRES])
        r[VGA_DISPI_X_OFFSET] =
            (uint16_t)(r[VGA_DISPI_VIRT_WIDTH] - r[VGA_DISPI_XRES]);
    if (r[VGA_DISPI_Y_OFFSET] > r[VGA_DISPI_VIRT_HEIGHT] - r[VGA_DISPI_YRES])
        r[VGA_DISPI_Y_OFFSET] =
            (uint16_t)(r[VGA_DISPI_VIRT_HEIGHT] - r[VGA_DISPI_YRES]);
}

static void dispi_enable(struct vga_state *s, uint16_t v)
{
    uint16_t *r = s->dispi;
    bool was_on = vga_dispi_enabled(s);
    r[VGA_DISPI_ENABLE] =
        v & (VGA_DISPI_ENABLED | VGA_DISPI_GETCAPS | VGA_DISPI_8BIT_DAC |
             VGA_DISPI_LFB_ENABLED | VGA_DISPI_NOCLEARMEM);
    if (!(v & VGA_DISPI_ENABLED) || was_on)
        return;
    if (!valid_bpp(r[VGA_DISPI_BPP]))
        r[VGA_DISPI_BPP] = 8;
    r[VGA_DISPI_XRES] &= (uint16_t)~7u;
    if (r[VGA_DISPI_XRES] == 0)
        r[VGA_DISPI_XRES] = 8;
    if (r[VGA_DISPI_XRES] > VGA_VBE_MAX_XRES)
        r[VGA_DISPI_XRES] = VGA_VBE_MAX_XRES;
    if (r[VGA_DISPI_YRES] == 0)
        r[VGA_DISPI_YRES] = 1;
    if (r[VGA_DISPI_YRES] > VGA_VBE_MAX_YRES)
        r[VGA_DISPI_YRES] = VGA_VBE_MAX_YRES;
    r[VGA_DISPI_VIRT_WIDTH] = r[VGA_DISPI_XRES];
    r[VGA_DISPI_X_OFFSET] = r[VGA_DISPI_Y_OFFSET] = 0;
    r[VGA_DISPI_BANK] = 0;
    dispi_virtual(s);
    if (!(v & VGA_DISPI_NOCLEARMEM))
        memset(s->vbe_mem, 0, (size_t)s->vbe_line * r[VGA_DISPI_YRES]);
}

static uint16_t dispi_read(struct vga_state *s)
{
    const uint16_t *r = s->dispi;
    bool caps = r[VGA_DISPI_ENABLE] & VGA_DISPI_GETCAPS;
    switch (s->dispi_index) {
    case VGA_DISPI_XRES: return caps ? VGA_VBE_MAX_XRES : r[VGA_DISPI_XRES];
    case VGA_DISPI_YRES: return caps ? VGA_VBE_MAX_YRES : r[VGA_DISPI_YRES];
    case VGA_DISPI_BPP: return caps ? 32 : r[VGA_DISPI_BPP];
    case VGA_DISPI_VIDEO_MEMORY_64K: return VGA_VBE_MEM_SIZE >> 16;
    default: return s->dispi_index < VGA_DISPI_NREGS ? r[s->dispi_index] : 0;
    }
}

static void dispi_write(struct vga_state *s, uint16_t v)
{
    uint16_t *r = s->dispi;
    bool on = vga_dispi_enabled(s);
    switch (s->dispi_index) {
    case VGA_DISPI_ID:
        if (v >= VGA_DISPI_ID0 && v <= VGA_DISPI_ID5)
            r[VGA_DISPI_ID] = v;
        break;
    case VGA_DISPI_XRES:
    case VGA_DISPI_YRES:
    case VGA_DISPI_BPP:
        if (!on)
            r[s->dispi_index] = v;
        break;
    case VGA_DISPI_ENABLE: dispi_enable(s, v); break;
    case VGA_DISPI_BANK:
        if (v < VGA_VBE_MEM_SIZE >> 16)
            r[VGA_DISPI_BANK] = v;
        break;
    case VGA_DISPI_VIRT_WIDTH:
    case VGA_DISPI_X_OFFSET:
    case VGA_DISPI_Y_OFFSET:
        r[s->dispi_index] = v;
        if (on)
            dispi_virtual(s);
        break;
    default: break;
    }
}

/* 1CEh index, 1CFh-1D0h data; a byte access reaches the low byte. */
static uint64_t dispi_port_read(void *opaque, struct mem_attrs attrs,
                                uint64_t offset, unsigned size)
{
    struct vga_state *s = opaque;
    (void)attrs, (void)size;
    return offset == 0 ? s->dispi_index : dispi_read(s);
}

static void dispi_port_write(void *opaque, struct mem_attrs attrs,
                             uint64_t offset, uint64_t value, unsigned size)
{
    struct vga_state *s = opaque;
    (void)attrs, (void)size;
    s->gen++;
    if (offset == 0)
        s->dispi_index = (uint16_t)value;
    else
        dispi_write(s, (uint16_t)value);
}

uint16_t vga_dispi_mmio_read(struct vga_state *s, uint16_t index)
{
    s->dispi_index = index;
    return dispi_read(s);
}

void vga_dispi_mmio_write(struct vga_state *s, uint16_t index, uint16_t v)
{
    s->gen++;
    s->dispi_index = index;
    dispi_write(s, v);
}

static const struct mem_ops dispi_ops = {
    .read = dispi_port_read,
    .write = dispi_port_write,
    .min_size = 1,
    .max_size = 2,
};

void vga_dispi_create(struct vga_state *s, struct device_bus *bus)
{
    s->vbe_mem = xcalloc(1, VGA_VBE_MEM_SIZE);
    s->ports_dispi = io_register(bus->io, "vga-dispi", VGA_DISPI_INDEX_PORT, 3,
                                 &dispi_ops, s);
    if (bus->mem) {
        s->lfb = mem_add_ram(bus->mem, "vga-lfb", VGA_VBE_LFB_BASE,
                             VGA_VBE_MEM_SIZE, s->vbe_mem);
        mem_region_set_dirty_log(s->lfb, true);
    }
}

void vga_dispi_reset(struct vga_state *s)
{
    memset(s->dispi, 0, sizeof(s->dispi));
    s->dispi[VGA_DISPI_ID] = VGA_DISPI_ID5;
    s->dispi_index = 0;
    s->vbe_line = 0;
}

void vga_dispi_free(struct vga_state *s)
{
    if (s->lfb)
        mem_region_remove(s->lfb);
    io_unregister(s->dev.bus->io, s->ports_dispi);
    free(s->vbe_mem);
}
