/*
 * dma8237.h - the PC/AT's two 8237A DMA controllers and their page
 * registers: channels 0-3 (bytes) at ports 0x00-0x0F, channels 4-7
 * (words) at 0xC0-0xDF, channel 4 the cascade of the first controller;
 * page registers at 0x81-0x8F (0x80 is the POST port).
 *
 * A device moves data with dma_transfer(): the channel's mode decides the
 * direction (write: device to memory; read: memory to device; verify:
 * nothing moves, the counts run), its address, count, increment or
 * decrement, terminal count and auto-initialization are those the guest
 * programmed. Memory is reached through the physical memory map.
 */
#ifndef DEVICES_DMA8237_H
#define DEVICES_DMA8237_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/device.h"

struct dma_state;

/* "isa-dma": the two controllers and the page registers. */
extern const struct device_class dma_device_class;
struct dma_state *dma_from_device(struct device *dev);

/* The transfer type of a channel's mode register (bits 3-2). */
enum dma_type {
    DMA_VERIFY = 0,
    DMA_WRITE = 1, /* I/O device to memory */
    DMA_READ = 2,  /* memory to I/O device */
    DMA_ILLEGAL = 3,
};

/* The channel (0-7) is unmasked, so that a device's DREQ would be served. */
bool dma_channel_enabled(struct dma_state *s, int ch);
/* Its transfer type. */
enum dma_type dma_channel_type(struct dma_state *s, int ch);

/* Move up to len bytes on channel ch (0-7) between buf and memory, in the
 * direction the channel's mode says (verify: buf untouched, nothing
 * written). Stops at terminal count, where the status register's TC bit
 * is set and the channel auto-initializes or masks itself. Returns the
 * bytes moved (counted, for verify): 0 when the channel is masked, or
 * out of range. A 16-bit channel moves whole words (len rounded down).
 * *tc, if not NULL, tells whether terminal count was reached. Memory
 * writes that hit ROM or nothing are dropped. */
uint32_t dma_transfer(struct dma_state *s, int ch, uint8_t *buf, uint32_t len,
                      bool *tc);

#endif
