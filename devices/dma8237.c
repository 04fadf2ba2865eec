/*
 * dma8237.c - the two 8237A DMA controllers of the PC/AT (Intel 8237A
 * data sheet; IBM PC/AT Technical Reference, "DMA Controller"; the PIIX3
 * data sheet's DMA registers, which keep the same map).
 *
 * Registers of one controller (index 0-15; the first at ports 0x00-0x0F,
 * the second at 0xC0 + 2 * index, A0 ignored):
 *
 *   0-7   channel n's address (2n) and count (2n+1): two byte accesses
 *         each, low then high, chosen by the byte-pointer flip-flop;
 *         a write sets the base and the current register, a read gives
 *         the current one
 *   8     read: status (bits 3-0 TC reached, cleared by the read; 7-4
 *         requests pending); write: command (bit 2 disables the controller)
 *   9     write: request register (bits 1-0 channel, bit 2 set/clear)
 *   10    write: single mask bit (bits 1-0 channel, bit 2 set/clear)
 *   11    write: mode (bits 1-0 channel; 3-2 verify/write/read; 4 auto-
 *         initialize; 5 address decrement; 7-6 demand/single/block/cascade)
 *   12    write: clear the byte-pointer flip-flop
 *   13    read: temporary register; write: master clear (command, status,
 *         request, temporary and flip-flop cleared, every channel masked)
 *   14    write: clear all mask bits
 *   15    write: all mask bits (bits 3-0); read: the mask (PIIX, QEMU)
 *
 * Page registers (74LS612 on the AT): 0x87 ch0, 0x83 ch1, 0x81 ch2,
 * 0x82 ch3, 0x8F ch4 (refresh on the AT; unused), 0x8B ch5, 0x89 ch6,
 * 0x8A ch7; the other ports of 0x81-0x8F are scratch bytes read back.
 *
 * Channels 4-7 move 16-bit words: their address register holds a word
 * address (A16-A1), the page register's bits 7-1 give A23-A17, and the
 * count counts words; so a transfer stays within a 128 KiB block. On
 * channels 0-3 it stays within 64 KiB: the address register wraps, the
 * page register does not count (the AT's behaviour).
 *
 * Terminal count: the count register runs from N-1 down; the transfer
 * that takes it past 0 is the last. At TC the channel's status bit is set
 * and, unless auto-initialize is on, its mask bit (8237A data sheet,
 * "Mask Register"); with auto-initialize the current address and count
 * are reloaded from the base ones.
 */
#include "devices/dma8237.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define MODE_TYPE(m) (((m) >> 2) & 3)
#define MODE_AUTOINIT 0x10
#define MODE_DECREMENT 0x20
#define CMD_DISABLE 0x04

struct dma_ctrl {
    uint16_t base_addr[4], base_count[4];
    uint16_t cur_addr[4], cur_count[4];
    uint8_t mode[4];
    uint8_t command, status, request, mask, temp;
    bool flipflop; /* false: the next byte is the low one */
};

struct dma_state {
    struct device dev;
    struct dma_ctrl ctrl[2];
    uint8_t page[16]; /* ports 0x80-0x8F; [0] unused (POST port) */
    struct io_region *ports[3];
};

/* The page register port of each channel (offset from 0x80). */
static const uint8_t page_port[8] = { 7, 3, 1, 2, 0xf, 0xb, 9, 0xa };

struct dma_state *dma_from_device(struct device *dev)
{
    J_ASSERT(dev->cls == &dma_device_class);
    return DEVICE_STATE(struct dma_state, dev);
}

static void ctrl_master_clear(struct dma_ctrl *c)
{
    c->command = 0;
    c->status = 0;
    c->request = 0;
    c->temp = 0;
    c->flipflop = false;
    c->mask = 0x0f;
}

static uint8_t ctrl_read(struct dma_ctrl *c, unsigned reg)
{
    if (reg < 8) {
        unsigned ch = reg >> 1;
        uint16_t v = (reg & 1) ? c->cur_count[ch] : c->cur_addr[ch];
        uint8_t b = c->flipflop ? (uint8_t)(v >> 8) : (uint8_t)v;
        c->flipflop = !c->flipflop;
        return b;
    }
    switch (reg) {
    case 8: {
        uint8_t st = (uint8_t)(c->status | (c->request & 0x0f) << 4);
        c->status &= 0xf0; /* reading clears the TC bits */
        return st;
    }
    case 13: return c->temp;
    case 15: return c->mask;
    default: return 0xff;
    }
}

static void ctrl_write(struct dma_ctrl *c, unsigned reg, uint8_t v)
{
    if (reg < 8) {
        unsigned ch = reg >> 1;
        uint16_t *base = (reg & 1) ? &c->base_count[ch] : &c->base_addr[ch];
        uint16_t *cur = (reg & 1) ? &c->cur_count[ch] : &c->cur_addr[ch];
        if (c->flipflop)
            *base = (uint16_t)((*base & 0x00ff) | v << 8);
        else
            *base = (uint16_t)((*base & 0xff00) | v);
        *cur = *base;
        c->flipflop = !c->flipflop;
        return;
    }
    unsigned ch = v & 3;
    switch (reg) {
    case 8: c->command = v; break;
    case 9:
        if (v & 4)
            c->request |= (uint8_t)(1u << ch);
        else
            c->request &= (uint8_t) ~(1u << ch);
        break;
    case 10:
        if (v & 4)
            c->mask |= (uint8_t)(1u << ch);
        else
            c->mask &= (uint8_t) ~(1u << ch);
        break;
    case 11: c->mode[ch] = v; break;
    case 12: c->flipflop = false; break;
    case 13: ctrl_master_clear(c); break;
    case 14: c->mask = 0; break;
    case 15: c->mask = v & 0x0f; break;
    }
}

static uint64_t dma1_read(void *opaque, struct mem_attrs attrs, uint64_t offset,
                          unsigned size)
{
    struct dma_state *s = opaque;
    (void)attrs, (void)size;
    return ctrl_read(&s->ctrl[0], (unsigned)offset & 15);
}

static void dma1_write(void *opaque, struct mem_attrs attrs, uint64_t offset,
                       uint64_t value, unsigned size)
{
    struct dma_state *s = opaque;
    (void)attrs, (void)size;
    ctrl_write(&s->ctrl[0], (unsigned)offset & 15, (uint8_t)value);
}

static uint64_t dma2_read(void *opaque, struct mem_attrs attrs, uint64_t offset,
                          unsigned size)
{
    struct dma_state *s = opaque;
    (void)attrs, (void)size;
    return ctrl_read(&s->ctrl[1], ((unsigned)offset >> 1) & 15);
}

static void dma2_write(void *opaque, struct mem_attrs attrs, uint64_t offset,
                       uint64_t value, unsigned size)
{
    struct dma_state *s = opaque;
    (void)attrs, (void)size;
    ctrl_write(&s->ctrl[1], ((unsigned)offset >> 1) & 15, (uint8_t)value);
}

static uint64_t page_read(void *opaque, struct mem_attrs attrs, uint64_t offset,
                          unsigned size)
{
    struct dma_state *s = opaque;
    (void)attrs, (void)size;
    return s->page[(offset + 1) & 15];
}

static void page_write(void *opaque, struct mem_attrs attrs, uint64_t offset,
                       uint64_t value, unsigned size)
{
    struct dma_state *s = opaque;
    (void)attrs, (void)size;
    s->page[(offset + 1) & 15] = (uint8_t)value;
}

static const struct mem_ops dma1_ops = {
    .read = dma1_read,
    .write = dma1_write,
    .min_size = 1,
    .max_size = 1,
};
static const struct mem_ops dma2_ops = {
    .read = dma2_read,
    .write = dma2_write,
    .min_size = 1,
    .max_size = 1,
};
static const struct mem_ops page_ops = {
    .read = page_read,
    .write = page_write,
    .min_size = 1,
    .max_size = 1,
};

bool dma_channel_enabled(struct dma_state *s, int ch)
{
    if (ch < 0 || ch > 7)
        return false;
    struct dma_ctrl *c = &s->ctrl[ch >> 2];
    return !(c->command & CMD_DISABLE) && !(c->mask & (1u << (ch & 3)));
}

enum dma_type dma_channel_type(struct dma_state *s, int ch)
{
    if (ch < 0 || ch > 7)
        return DMA_ILLEGAL;
    return (enum dma_type)MODE_TYPE(s->ctrl[ch >> 2].mode[ch & 3]);
}

/* One byte to memory as a bus master writes it: ROM and unassigned
 * addresses drop it (phys_dma_write). */
static void dma_mem_write(struct memory_map *map, uint64_t paddr, uint8_t v)
{
    phys_dma_write(map, paddr, &v, 1);
}

static uint8_t dma_mem_read(struct memory_map *map, uint64_t paddr)
{
    uint8_t v;
    phys_read(map, paddr, &v, 1);
    return v;
}

uint32_t dma_transfer(struct dma_state *s, int ch, uint8_t *buf, uint32_t len,
                      bool *tc)
{
    if (tc)
        *tc = false;
    if (!dma_channel_enabled(s, ch))
        return 0;
    struct dma_ctrl *c = &s->ctrl[ch >> 2];
    unsigned n = (unsigned)ch & 3;
    bool word = ch >= 4;
    unsigned unit = word ? 2 : 1;
    uint8_t mode = c->mode[n];
    unsigned type = MODE_TYPE(mode);
    struct memory_map *map = s->dev.bus->mem;
    uint8_t page = s->page[page_port[ch]];
    uint32_t done = 0;

    if (type == DMA_ILLEGAL)
        return 0;
    while (done + unit <= len) {
        uint64_t paddr = word ? ((uint64_t)(page & 0xfe) << 16) |
                                    ((uint64_t)c->cur_addr[n] << 1)
                              : ((uint64_t)page << 16) | c->cur_addr[n];
        for (unsigned i = 0; i < unit; i++) {
            if (type == DMA_WRITE && map)
                dma_mem_write(map, paddr + i, buf[done + i]);
            else if (type == DMA_READ)
                buf[done + i] = map ? dma_mem_read(map, paddr + i) : 0xff;
        }
        done += unit;
        if (mode & MODE_DECREMENT)
            c->cur_addr[n]--;
        else
            c->cur_addr[n]++;
        if (c->cur_count[n]-- == 0) {
            /* Terminal count. */
            c->status |= (uint8_t)(1u << n);
            c->request &= (uint8_t) ~(1u << n);
            if (tc)
                *tc = true;
            if (mode & MODE_AUTOINIT) {
                c->cur_addr[n] = c->base_addr[n];
                c->cur_count[n] = c->base_count[n];
            } else {
                c->mask |= (uint8_t)(1u << n);
            }
            break;
        }
    }
    return done;
}

static void dma_reset(struct device *dev)
{
    struct dma_state *s = DEVICE_STATE(struct dma_state, dev);
    for (int i = 0; i < 2; i++) {
        memset(&s->ctrl[i], 0, sizeof(s->ctrl[i]));
        ctrl_master_clear(&s->ctrl[i]);
    }
    memset(s->page, 0, sizeof(s->page));
}

static struct device *dma_create(struct device_bus *bus, const uint64_t *prop)
{
    struct dma_state *s = xcalloc(1, sizeof(*s));
    (void)prop;
    s->ports[0] = io_register(bus->io, "isa-dma", 0x00, 16, &dma1_ops, s);
    s->ports[1] = io_register(bus->io, "isa-dma", 0xc0, 32, &dma2_ops, s);
    s->ports[2] = io_register(bus->io, "isa-dma", 0x81, 15, &page_ops, s);
    return &s->dev;
}

static void dma_free(struct device *dev)
{
    struct dma_state *s = DEVICE_STATE(struct dma_state, dev);
    for (int i = 0; i < 3; i++)
        io_unregister(dev->bus->io, s->ports[i]);
    free(s);
}

const struct device_class dma_device_class = {
    .name = "isa-dma",
    .desc = "the PC/AT's two 8237A DMA controllers and page registers",
    .create = dma_create,
    .reset = dma_reset,
    .free = dma_free,
};
