/*
 * fdc.h - the PC's floppy disk controller, an Intel 82077AA in PC/AT
 * mode at ports 0x3F0-0x3F5 and 0x3F7 (0x3F6 is the IDE channel's), on
 * ISA IRQ 6 and DMA channel 2 (or non-DMA mode, chosen by SPECIFY), with
 * up to two drives over the block layer.
 */
#ifndef DEVICES_FDC_H
#define DEVICES_FDC_H

#include "base/block.h"
#include "devices/device.h"

struct fdc_state;
struct dma_state;

/* "isa-fdc": no properties. */
extern const struct device_class fdc_device_class;
struct fdc_state *fdc_from_device(struct device *dev);

/* The DMA controller and channel (2 on the PC) its DRQ goes to; without
 * one, DMA-mode transfers end with an overrun. */
void fdc_connect_dma(struct fdc_state *s, struct dma_state *dma, int channel);

/* Put a diskette in drive unit (0 or 1): an image of cylinders x heads x
 * sectors 512-byte sectors (its format, as bios/disk.c picks it from the
 * size). The block stays the caller's; a read-only block is a write-
 * protected diskette. */
void fdc_attach(struct fdc_state *s, int unit, struct block *blk,
                unsigned cylinders, unsigned heads, unsigned sectors);

#endif
