/*
 * ide.h - the PC's two IDE channels as the PIIX3's IDE function drives
 * them in compatibility mode: primary at 0x1F0-0x1F7/0x3F6 on IRQ 14,
 * secondary at 0x170-0x177/0x376 on IRQ 15, each with a master and a
 * slave that are ATA disks or ATAPI CD-ROMs over the block layer; and
 * the bus-master DMA engine the PIIX's BAR4 registers control.
 *
 * ATA: PIO (READ/WRITE SECTORS, MULTIPLE, their EXT forms with LBA48),
 * DMA (READ/WRITE DMA and EXT), IDENTIFY DEVICE with the words Linux
 * checks, CHS and LBA addressing, SET FEATURES, flushes, power commands.
 * ATAPI: the PACKET protocol (PIO with the byte count limit, or DMA) with
 * the MMC commands a CD-ROM driver or a BIOS uses (devices/ide_atapi.c).
 */
#ifndef DEVICES_IDE_H
#define DEVICES_IDE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/block.h"
#include "devices/device.h"

struct ide_state;

/* "ide": no properties; the two channels at their ISA ports and IRQs. */
extern const struct device_class ide_device_class;
struct ide_state *ide_from_device(struct device *dev);

/* Put an image on unit 0-3 (primary master, primary slave, secondary
 * master, secondary slave): a disk, or a CD-ROM (2048-byte blocks). The
 * block stays the caller's. */
void ide_attach(struct ide_state *s, int unit, struct block *blk, bool cdrom);

/* The bus-master registers (PIIX BMIBA, 16 bytes: primary at 0-7,
 * secondary at 8-15): BMICOM, BMISTA, BMIDTP. */
uint32_t ide_bm_read(struct ide_state *s, unsigned offset, unsigned size);
void ide_bm_write(struct ide_state *s, unsigned offset, uint32_t value,
                  unsigned size);

#endif
