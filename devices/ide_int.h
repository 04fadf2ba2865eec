/*
 * ide_int.h - what devices/ide.c (the channels, ATA, bus-master DMA) and
 * devices/ide_atapi.c (the ATAPI packet commands) share. Not for other
 * files.
 */
#ifndef DEVICES_IDE_INT_H
#define DEVICES_IDE_INT_H

#include "devices/ide.h"

/* Status */
#define ST_ERR 0x01
#define ST_DRQ 0x08
#define ST_DSC 0x10
#define ST_DF 0x20
#define ST_DRDY 0x40
#define ST_BSY 0x80
/* Error */
#define ER_ABRT 0x04
#define ER_IDNF 0x10
#define ER_UNC 0x40
/* ATAPI interrupt reason (the sector count register) */
#define IR_COD 0x01
#define IR_IO 0x02

#define ATAPI_BLOCK 2048u
/* The transfer buffer: the most sectors one PIO block or one ATAPI
 * refill takes (READ MULTIPLE up to 128 sectors). */
#define IDE_BUF_SIZE (128u * 512u)

enum ide_xfer {
    XFER_NONE,
    XFER_PIO_IN,  /* the host reads the data port */
    XFER_PIO_OUT, /* the host writes the data port */
    XFER_PACKET,  /* ATAPI: the 12 command bytes */
    XFER_DMA_IN,  /* waiting for the bus master: to memory */
    XFER_DMA_OUT, /* from memory */
};

struct ide_channel;

struct ide_drive {
    struct ide_channel *ch;
    struct block *blk; /* NULL: no device */
    bool cdrom;
    uint64_t sectors;  /* 512-byte sectors (disk) or 2048-byte blocks */
    uint16_t cyls, heads, spt;         /* default geometry */
    uint16_t cur_heads, cur_spt;       /* INITIALIZE DEVICE PARAMETERS */
    uint8_t mult;                      /* SET MULTIPLE: sectors per block */
    uint8_t xfer_mode;                 /* SET FEATURES 03h: mode selected */
    uint8_t status, error;

    /* The transfer in progress. The data moves through buf: bytes
     * [pos, len) are what the host reads next (in) or the room it
     * writes (out). total: bytes of the command left beyond buf;
     * chunk: bytes of the current DRQ block left. */
    enum ide_xfer xfer;
    uint8_t cmd;
    uint8_t buf[IDE_BUF_SIZE];
    uint32_t pos, len;
    uint64_t total;
    uint32_t chunk, chunk_size;
    uint64_t lba;      /* next sector (disk) or block (CD) of the image */
    bool lba48;

    /* ATAPI */
    uint16_t byte_limit;
    uint8_t sense_key, asc, ascq;
    bool unit_attention;
};

struct ide_channel {
    struct ide_state *ide;
    struct ide_drive drive[2];
    int cur;
    /* The task file, written to both devices. hob_*: the previous value
     * of each (LBA48's high-order bytes). */
    uint8_t feature, nsector, sector, lcyl, hcyl, select;
    uint8_t hob_feature, hob_nsector, hob_sector, hob_lcyl, hob_hcyl;
    uint8_t ctl;
    bool irq_pending;
    struct irq *irq;
    struct io_region *cmd_ports, *ctl_port;
    /* Bus master */
    uint8_t bm_cmd, bm_status;
    uint32_t bm_prd;
};

struct ide_state {
    struct device dev;
    struct memory_map *mem;
    struct ide_channel ch[2];
};

void ide_raise_irq(struct ide_channel *c);
/* End the command: status DRDY|DSC, or DRDY|ERR with error when it is
 * non-zero; the interrupt. */
void ide_done(struct ide_drive *d, uint8_t error);
/* Begin a data-in transfer of n bytes from d->buf (PIO, or DMA when dma),
 * in chunks of chunk bytes. */
void ide_start_in(struct ide_drive *d, uint32_t n, uint32_t chunk, bool dma);
/* The bus master runs the transfer d waits for, if it is started. */
void ide_bm_kick(struct ide_channel *c);

/* ATAPI (ide_atapi.c) */
void atapi_reset(struct ide_drive *d);
void atapi_identify(struct ide_drive *d, uint16_t *w);
/* The 12 bytes of a packet are in d->buf: run it. */
void atapi_packet(struct ide_drive *d);
/* A data-in transfer of d's emptied buf: the next blocks of a READ into
 * buf. Returns the bytes loaded (0 at the end or on an error, when it
 * has ended the command). */
uint32_t atapi_refill(struct ide_drive *d);
/* The ATAPI command's data transfer finished. */
void atapi_done(struct ide_drive *d);

/* The unit number 0-3 of a drive. */
static inline int ide_unit(const struct ide_drive *d)
{
    return (int)(d->ch - d->ch->ide->ch) * 2 + (int)(d - d->ch->drive);
}

/* Little-endian words of IDENTIFY: ASCII strings swapped per word. */
void ide_id_string(uint16_t *w, int words, const char *str);
/* Word 255: signature A5h and the checksum of words 0-254. */
void ide_id_checksum(uint16_t *w);
/* Words 63 (kind 20h, multiword DMA) and 88 (40h, Ultra DMA): the modes
 * supported, and the one SET FEATURES selected. */
uint16_t ide_mode_word(const struct ide_drive *d, uint8_t kind,
                       uint16_t supported);

#endif
