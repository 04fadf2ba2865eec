/*
 * ide.c - the IDE channels, the ATA command set and the PIIX bus-master
 * DMA engine (devices/ide.h), after the ATA/ATAPI-6 standard (T13 1410D)
 * and the PIIX3 data sheet (bus-master IDE, section 2.7).
 *
 * Every command completes at once (the image is read or written when the
 * command or the data asks for it), so a run is deterministic: a PIO
 * read has its first block ready with DRQ and the interrupt when the
 * command register is written; DMA moves everything when both the
 * command is given and the bus master is started, in either order.
 *
 * The task file registers are written to both devices of a channel (one
 * copy per channel here), and each keeps the previous byte of the
 * sector count and LBA registers for LBA48 (read back with HOB, bit 7
 * of device control). Status and error are per device. A channel with no
 * device reads 0; an absent slave's status reads 0.
 *
 * The interrupt is a level on ISA IRQ 14/15: pending from the moment a
 * device interrupts until the host reads the status register (not the
 * alternate status), masked by nIEN.
 */
#include "devices/ide_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "softmmu/ldst.h"

#define SECTOR 512u

/* ---- interrupts, completion ---- */

static void ide_update_irq(struct ide_channel *c)
{
    irq_set(c->irq, c->irq_pending && !(c->ctl & 0x02));
}

void ide_raise_irq(struct ide_channel *c)
{
    c->irq_pending = true;
    /* The bus master's interrupt bit follows INTRQ, which nIEN keeps the
     * device from driving. */
    if (!(c->ctl & 0x02))
        c->bm_status |= 0x04;
    ide_update_irq(c);
}

void ide_done(struct ide_drive *d, uint8_t error)
{
    d->xfer = XFER_NONE;
    d->status = error ? ST_DRDY | ST_ERR : ST_DRDY | ST_DSC;
    d->error = error;
    ide_raise_irq(d->ch);
}

/* ---- geometry and identification ---- */

void ide_id_string(uint16_t *w, int words, const char *str)
{
    size_t n = strlen(str);
    for (int i = 0; i < words; i++) {
        uint8_t hi = (size_t)(2 * i) < n ? (uint8_t)str[2 * i] : ' ';
        uint8_t lo = (size_t)(2 * i + 1) < n ? (uint8_t)str[2 * i + 1] : ' ';
        w[i] = (uint16_t)(hi << 8 | lo);
    }
}

void ide_id_checksum(uint16_t *w)
{
    uint8_t sum = 0xa5;
    for (int i = 0; i < 255; i++)
        sum = (uint8_t)(sum + (w[i] & 0xff) + (w[i] >> 8));
    w[255] = (uint16_t)((uint8_t)-sum << 8 | 0xa5);
}

/* Words 63 and 88: the DMA modes supported, and the one selected. */
uint16_t ide_mode_word(const struct ide_drive *d, uint8_t kind,
                       uint16_t supported)
{
    uint16_t sel = (d->xfer_mode & 0xf8) == kind
                       ? (uint16_t)(1u << (d->xfer_mode & 7)) : 0;
    return (uint16_t)(supported | sel << 8);
}

static void ide_identify_disk(struct ide_drive *d, uint16_t *w)
{
    uint64_t lba28 = d->sectors < 0x0fffffff ? d->sectors : 0x0fffffff;
    uint32_t cur = (uint32_t)d->cyls * d->cur_heads * d->cur_spt;
    memset(w, 0, 512);
    w[0] = 0x0040;        /* fixed device */
    w[1] = d->cyls;
    w[3] = d->heads;
    w[6] = d->spt;
    char serial[16];
    snprintf(serial, sizeof(serial), "JET86-HD-%d", ide_unit(d));
    ide_id_string(&w[10], 10, serial);
    w[20] = 3;
    w[21] = 512;
    ide_id_string(&w[23], 4, "1.0");
    ide_id_string(&w[27], 20, "JET86 HARDDISK");
    w[47] = 0x8010;       /* READ/WRITE MULTIPLE up to 16 sectors */
    w[49] = 0x0300;       /* LBA, DMA */
    w[50] = 0x4000;
    w[51] = 0x0200;       /* PIO timing mode 2 */
    w[53] = 0x0007;       /* words 54-58, 64-70 and 88 valid */
    w[54] = d->cyls;
    w[55] = d->cur_heads;
    w[56] = d->cur_spt;
    w[57] = (uint16_t)cur;
    w[58] = (uint16_t)(cur >> 16);
    w[59] = d->mult ? (uint16_t)(0x100 | d->mult) : 0;
    w[60] = (uint16_t)lba28;
    w[61] = (uint16_t)(lba28 >> 16);
    w[63] = ide_mode_word(d, 0x20, 0x07);
    w[64] = 0x0003;       /* PIO modes 3 and 4 */
    w[65] = w[66] = w[67] = w[68] = 120;
    w[80] = 0x007e;       /* ATA/ATAPI-1 to -6 */
    w[82] = 0x4000;
    w[83] = 0x7400;       /* LBA48, FLUSH CACHE and its EXT form */
    w[84] = 0x4000;
    w[85] = 0x4000;
    w[86] = 0x3400;
    w[87] = 0x4000;
    w[88] = ide_mode_word(d, 0x40, 0x3f);
    w[93] = 0x6000 | 0x4000 | 0x0001; /* 80-wire cable; reset result */
    w[100] = (uint16_t)d->sectors;
    w[101] = (uint16_t)(d->sectors >> 16);
    w[102] = (uint16_t)(d->sectors >> 32);
    w[103] = (uint16_t)(d->sectors >> 48);
    ide_id_checksum(w);
}

/* ---- addressing ---- */

/* The command's first sector and count from the task file; false (and
 * the command ended with IDNF) when CHS names no sector. */
static bool ide_address(struct ide_drive *d, bool lba48, uint64_t *lba,
                        uint32_t *count)
{
    struct ide_channel *c = d->ch;
    if (lba48) {
        *lba = (uint64_t)c->sector | (uint64_t)c->lcyl << 8 |
               (uint64_t)c->hcyl << 16 | (uint64_t)c->hob_sector << 24 |
               (uint64_t)c->hob_lcyl << 32 | (uint64_t)c->hob_hcyl << 40;
        *count = c->nsector | (uint32_t)c->hob_nsector << 8;
        if (*count == 0)
            *count = 65536;
        return true;
    }
    *count = c->nsector ? c->nsector : 256;
    if (c->select & 0x40) {
        *lba = c->sector | (uint32_t)c->lcyl << 8 | (uint32_t)c->hcyl << 16 |
               (uint32_t)(c->select & 0x0f) << 24;
        return true;
    }
    uint32_t cyl = c->lcyl | (uint32_t)c->hcyl << 8;
    uint32_t head = c->select & 0x0f, sec = c->sector;
    if (sec == 0 || sec > d->cur_spt || head >= d->cur_heads) {
        ide_done(d, ER_IDNF);
        return false;
    }
    *lba = ((uint64_t)cyl * d->cur_heads + head) * d->cur_spt + sec - 1;
    return true;
}

/* ---- the data port ---- */

/* Load the next part of a data-in transfer into buf. */
static uint32_t ide_refill(struct ide_drive *d)
{
    if (d->cdrom)
        return atapi_refill(d);
    uint64_t n = d->total < IDE_BUF_SIZE ? d->total : IDE_BUF_SIZE;
    if (n == 0)
        return 0;
    if (block_read(d->blk, d->lba * SECTOR, d->buf, (size_t)n) != 0) {
        ide_done(d, ER_UNC | ER_ABRT);
        return 0;
    }
    d->lba += n / SECTOR;
    d->total -= n;
    return (uint32_t)n;
}

/* Ready the next DRQ block of a PIO data-in transfer. */
static void ide_pio_in_chunk(struct ide_drive *d)
{
    if (d->pos == d->len) {
        uint32_t n = ide_refill(d);
        if (n == 0)
            return;
        d->pos = 0;
        d->len = n;
    }
    uint64_t left = (uint64_t)(d->len - d->pos) + d->total;
    d->chunk = left < d->chunk_size ? (uint32_t)left : d->chunk_size;
    d->xfer = XFER_PIO_IN;
    d->status = ST_DRDY | ST_DSC | ST_DRQ;
    if (d->cdrom) {
        d->ch->lcyl = (uint8_t)d->chunk;
        d->ch->hcyl = (uint8_t)(d->chunk >> 8);
        d->ch->nsector = IR_IO;
    }
    ide_raise_irq(d->ch);
}

void ide_start_in(struct ide_drive *d, uint32_t n, uint32_t chunk, bool dma)
{
    d->pos = 0;
    d->len = n;
    d->chunk_size = chunk ? chunk : SECTOR;
    if (dma) {
        d->xfer = XFER_DMA_IN;
        d->status = ST_DRDY | ST_DSC | ST_DRQ;
        ide_bm_kick(d->ch);
    } else {
        ide_pio_in_chunk(d);
    }
}

/* All data of a data-in transfer has gone to the host. */
static void ide_in_finished(struct ide_drive *d)
{
    if (d->cdrom) {
        atapi_done(d);
    } else if (d->xfer == XFER_DMA_IN) {
        ide_done(d, 0);
    } else {
        d->xfer = XFER_NONE;
        d->status = ST_DRDY | ST_DSC;
    }
}

static uint8_t ide_data_in_byte(struct ide_drive *d)
{
    if (d->xfer != XFER_PIO_IN || d->chunk == 0)
        return 0xff;
    if (d->pos == d->len) {
        uint32_t n = ide_refill(d);
        if (n == 0)
            return 0xff;
        d->pos = 0;
        d->len = n;
    }
    d->chunk--;
    return d->buf[d->pos++];
}

static uint32_t ide_data_read(struct ide_drive *d, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)ide_data_in_byte(d) << (8 * i);
    if (d->xfer == XFER_PIO_IN && d->chunk == 0) {
        if ((uint64_t)(d->len - d->pos) + d->total > 0)
            ide_pio_in_chunk(d);
        else
            ide_in_finished(d);
    }
    return v;
}

/* Write buf's len bytes to the image at the transfer's sector. */
static bool ide_flush_out(struct ide_drive *d)
{
    if (block_write(d->blk, d->lba * SECTOR, d->buf, d->len) != 0) {
        ide_done(d, d->blk->readonly ? ER_ABRT : (ER_UNC | ER_ABRT));
        return false;
    }
    d->lba += d->len / SECTOR;
    d->total -= d->len;
    return true;
}

/* Ready the next DRQ block of a PIO data-out transfer. */
static void ide_pio_out_chunk(struct ide_drive *d, bool irq)
{
    d->pos = 0;
    d->len = d->total < d->chunk_size ? (uint32_t)d->total : d->chunk_size;
    d->xfer = XFER_PIO_OUT;
    d->status = ST_DRDY | ST_DSC | ST_DRQ;
    if (irq)
        ide_raise_irq(d->ch);
}

static void ide_data_write(struct ide_drive *d, uint32_t v, unsigned size)
{
    for (unsigned i = 0; i < size; i++) {
        if ((d->xfer != XFER_PIO_OUT && d->xfer != XFER_PACKET) ||
            d->pos >= d->len)
            return;
        d->buf[d->pos++] = (uint8_t)(v >> (8 * i));
        if (d->pos < d->len)
            continue;
        if (d->xfer == XFER_PACKET) {
            d->xfer = XFER_NONE;
            atapi_packet(d);
            return;
        }
        if (!ide_flush_out(d))
            return;
        if (d->total)
            ide_pio_out_chunk(d, true);
        else
            ide_done(d, 0);
        return;
    }
}

/* ---- ATA commands ---- */

static void ide_set_signature(struct ide_drive *d)
{
    struct ide_channel *c = d->ch;
    c->nsector = 1;
    c->sector = 1;
    c->lcyl = d->cdrom ? 0x14 : 0x00;
    c->hcyl = d->cdrom ? 0xeb : 0x00;
    c->select &= 0xf0;
}

static void ide_rw(struct ide_drive *d, bool write, bool lba48, bool dma,
                   uint32_t block_sectors)
{
    uint64_t lba;
    uint32_t count;
    if (!ide_address(d, lba48, &lba, &count))
        return;
    if (lba + count > d->sectors || lba + count < lba) {
        ide_done(d, ER_IDNF);
        return;
    }
    d->lba = lba;
    d->total = (uint64_t)count * SECTOR;
    d->chunk_size = block_sectors * SECTOR;
    if (write) {
        if (dma) {
            d->pos = d->len = 0;
            d->xfer = XFER_DMA_OUT;
            d->status = ST_DRDY | ST_DSC | ST_DRQ;
            ide_bm_kick(d->ch);
        } else {
            ide_pio_out_chunk(d, false);
        }
    } else {
        ide_start_in(d, 0, block_sectors * SECTOR, dma);
    }
}

static void ide_set_features(struct ide_drive *d)
{
    struct ide_channel *c = d->ch;
    switch (c->feature) {
    case 0x03: { /* transfer mode */
        uint8_t mode = c->nsector;
        if ((mode & 0xf8) == 0x00 || (mode & 0xf8) == 0x08 ||
            ((mode & 0xf8) == 0x20 && (mode & 7) <= 2) ||
            ((mode & 0xf8) == 0x40 && (mode & 7) <= 5)) {
            d->xfer_mode = mode;
            ide_done(d, 0);
        } else {
            ide_done(d, ER_ABRT);
        }
        return;
    }
    case 0x02: case 0x82: /* write cache on/off */
    case 0x05: case 0x85: /* power management */
    case 0x55: case 0xaa: /* read look-ahead */
    case 0x66: case 0xcc: /* defaults at reset */
        ide_done(d, 0);
        return;
    default:
        ide_done(d, ER_ABRT);
        return;
    }
}

static void ide_read_native_max(struct ide_drive *d, bool lba48)
{
    struct ide_channel *c = d->ch;
    uint64_t max = d->sectors ? d->sectors - 1 : 0;
    if (!lba48 && max > 0x0fffffff)
        max = 0x0fffffff;
    c->sector = (uint8_t)max;
    c->lcyl = (uint8_t)(max >> 8);
    c->hcyl = (uint8_t)(max >> 16);
    if (lba48) {
        c->hob_sector = (uint8_t)(max >> 24);
        c->hob_lcyl = (uint8_t)(max >> 32);
        c->hob_hcyl = (uint8_t)(max >> 40);
    } else {
        c->select = (uint8_t)((c->select & 0xf0) | ((max >> 24) & 0x0f));
    }
    ide_done(d, 0);
}

static void ide_reset_drive(struct ide_drive *d)
{
    d->xfer = XFER_NONE;
    d->pos = d->len = 0;
    d->total = 0;
    d->error = 0x01; /* diagnostic: no error */
    d->mult = 0;
    d->cur_heads = d->heads;
    d->cur_spt = d->spt;
    if (d->cdrom) {
        d->status = 0;
        atapi_reset(d);
    } else {
        d->status = d->blk ? ST_DRDY | ST_DSC : 0;
    }
}

/* IDENTIFY's words into the transfer buffer, little-endian on any host
 * (the buffer has no 16-bit alignment). */
static void ide_id_store(struct ide_drive *d, const uint16_t *w)
{
    for (int i = 0; i < 256; i++)
        stw_le_p(d->buf + 2 * i, w[i]);
}

/* Commands an ATAPI device takes; the rest abort (IDENTIFY DEVICE with
 * the packet signature in the task file, so the host knows). */
static void ide_atapi_command(struct ide_drive *d, uint8_t cmd)
{
    uint16_t id[256];
    switch (cmd) {
    case 0xa0: /* PACKET */
        d->ch->nsector = IR_COD;
        d->pos = 0;
        d->len = 12;
        d->xfer = XFER_PACKET;
        d->status = ST_DRDY | ST_DRQ;
        return;
    case 0xa1: /* IDENTIFY PACKET DEVICE */
        atapi_identify(d, id);
        ide_id_store(d, id);
        d->total = 0;
        ide_start_in(d, 512, 512, false);
        return;
    case 0x08: /* DEVICE RESET: no interrupt */
        ide_reset_drive(d);
        ide_set_signature(d);
        return;
    case 0xef: ide_set_features(d); return;
    case 0xe0: case 0xe1: case 0xe2: case 0xe3:
        ide_done(d, 0);
        return;
    case 0xe5: d->ch->nsector = 0xff; ide_done(d, 0); return;
    case 0xec:
        ide_set_signature(d);
        ide_done(d, ER_ABRT);
        return;
    default:
        ide_done(d, ER_ABRT);
        return;
    }
}

static void ide_command(struct ide_channel *c, uint8_t cmd)
{
    struct ide_drive *d = &c->drive[c->cur];
    uint16_t id[256];

    if (cmd == 0x90) { /* EXECUTE DEVICE DIAGNOSTIC: both devices */
        for (int i = 0; i < 2; i++)
            if (c->drive[i].blk)
                ide_reset_drive(&c->drive[i]);
        c->cur = 0;
        if (c->drive[0].blk) {
            ide_set_signature(&c->drive[0]);
            c->drive[0].error = 0x01;
            ide_raise_irq(c);
        }
        return;
    }
    if (!d->blk)
        return;
    d->cmd = cmd;
    d->error = 0;
    if (d->cdrom) {
        ide_atapi_command(d, cmd);
        return;
    }
    switch (cmd) {
    case 0x20: case 0x21: ide_rw(d, false, false, false, 1); break;
    case 0x24: ide_rw(d, false, true, false, 1); break;
    case 0x30: case 0x31: ide_rw(d, true, false, false, 1); break;
    case 0x34: ide_rw(d, true, true, false, 1); break;
    case 0xc4: case 0x29: case 0xc5: case 0x39:
        if (!d->mult) {
            ide_done(d, ER_ABRT);
            break;
        }
        ide_rw(d, cmd == 0xc5 || cmd == 0x39, cmd == 0x29 || cmd == 0x39,
               false, d->mult);
        break;
    case 0xc8: case 0xc9: ide_rw(d, false, false, true, 1); break;
    case 0x25: ide_rw(d, false, true, true, 1); break;
    case 0xca: case 0xcb: ide_rw(d, true, false, true, 1); break;
    case 0x35: ide_rw(d, true, true, true, 1); break;
    case 0x40: case 0x41: case 0x42: { /* READ VERIFY */
        uint64_t lba;
        uint32_t count;
        if (!ide_address(d, cmd == 0x42, &lba, &count))
            break;
        ide_done(d, lba + count > d->sectors ? (ER_IDNF) : 0);
        break;
    }
    case 0xc6: { /* SET MULTIPLE MODE */
        uint8_t n = c->nsector;
        if (n == 0 || (n <= 16 && (n & (n - 1)) == 0)) {
            d->mult = n;
            ide_done(d, 0);
        } else {
            ide_done(d, ER_ABRT);
        }
        break;
    }
    case 0xec: /* IDENTIFY DEVICE */
        ide_identify_disk(d, id);
        ide_id_store(d, id);
        d->total = 0;
        ide_start_in(d, 512, 512, false);
        break;
    case 0x91: /* INITIALIZE DEVICE PARAMETERS */
        if (c->nsector == 0) {
            ide_done(d, ER_ABRT);
            break;
        }
        d->cur_heads = (uint16_t)((c->select & 0x0f) + 1);
        d->cur_spt = c->nsector;
        ide_done(d, 0);
        break;
    case 0xef: ide_set_features(d); break;
    case 0xe7: case 0xea: /* FLUSH CACHE (EXT) */
        block_flush(d->blk);
        ide_done(d, 0);
        break;
    case 0x70: /* SEEK */
    case 0xe0: case 0xe1: case 0xe2: case 0xe3: /* standby, idle */
        ide_done(d, 0);
        break;
    case 0xe5: /* CHECK POWER MODE: active */
        c->nsector = 0xff;
        ide_done(d, 0);
        break;
    case 0xf8: ide_read_native_max(d, false); break;
    case 0x27: ide_read_native_max(d, true); break;
    default:
        if (cmd >= 0x10 && cmd <= 0x1f) { /* RECALIBRATE */
            ide_done(d, 0);
            break;
        }
        ide_done(d, ER_ABRT);
        break;
    }
}

/* ---- ports ---- */

static bool ide_channel_empty(const struct ide_channel *c)
{
    return !c->drive[0].blk && !c->drive[1].blk;
}

static uint8_t ide_status(struct ide_channel *c)
{
    if (ide_channel_empty(c) || !c->drive[c->cur].blk)
        return 0;
    return c->drive[c->cur].status;
}

static uint64_t ide_cmd_read(void *opaque, struct mem_attrs attrs,
                             uint64_t offset, unsigned size)
{
    struct ide_channel *c = opaque;
    struct ide_drive *d = &c->drive[c->cur];
    bool hob = c->ctl & 0x80;
    (void)attrs;
    if (offset == 0)
        return d->blk ? ide_data_read(d, size) : 0xffffffffu >> (32 - 8 * size);
    if (ide_channel_empty(c))
        return 0;
    switch (offset) {
    case 1: return d->blk ? d->error : 0;
    case 2: return hob ? c->hob_nsector : c->nsector;
    case 3: return hob ? c->hob_sector : c->sector;
    case 4: return hob ? c->hob_lcyl : c->lcyl;
    case 5: return hob ? c->hob_hcyl : c->hcyl;
    case 6: return c->select;
    default:
        c->irq_pending = false;
        ide_update_irq(c);
        return ide_status(c);
    }
}

static void ide_cmd_write(void *opaque, struct mem_attrs attrs,
                          uint64_t offset, uint64_t value, unsigned size)
{
    struct ide_channel *c = opaque;
    uint8_t v = (uint8_t)value;
    (void)attrs;
    if (offset == 0) {
        struct ide_drive *d = &c->drive[c->cur];
        if (d->blk)
            ide_data_write(d, (uint32_t)value, size);
        return;
    }
    if (offset < 7)
        c->ctl &= 0x7f; /* a task file write clears HOB */
    switch (offset) {
    case 1: c->hob_feature = c->feature; c->feature = v; break;
    case 2: c->hob_nsector = c->nsector; c->nsector = v; break;
    case 3: c->hob_sector = c->sector; c->sector = v; break;
    case 4: c->hob_lcyl = c->lcyl; c->lcyl = v; break;
    case 5: c->hob_hcyl = c->hcyl; c->hcyl = v; break;
    case 6:
        c->select = v | 0xa0;
        c->cur = (v >> 4) & 1;
        break;
    default:
        ide_command(c, v);
        break;
    }
}

static uint64_t ide_ctl_read(void *opaque, struct mem_attrs attrs,
                             uint64_t offset, unsigned size)
{
    (void)attrs, (void)offset, (void)size;
    return ide_status(opaque); /* alternate status: no interrupt change */
}

static void ide_ctl_write(void *opaque, struct mem_attrs attrs,
                          uint64_t offset, uint64_t value, unsigned size)
{
    struct ide_channel *c = opaque;
    uint8_t old = c->ctl, v = (uint8_t)value;
    (void)attrs, (void)offset, (void)size;
    c->ctl = v;
    if ((v & 0x04) && !(old & 0x04)) { /* SRST set: both devices busy */
        for (int i = 0; i < 2; i++)
            if (c->drive[i].blk) {
                c->drive[i].xfer = XFER_NONE;
                c->drive[i].status = ST_BSY;
            }
    } else if (!(v & 0x04) && (old & 0x04)) { /* SRST cleared */
        for (int i = 0; i < 2; i++)
            if (c->drive[i].blk)
                ide_reset_drive(&c->drive[i]);
        c->cur = 0;
        c->select = 0xa0;
        if (c->drive[0].blk)
            ide_set_signature(&c->drive[0]);
        c->irq_pending = false;
    }
    ide_update_irq(c);
}

static const struct mem_ops ide_cmd_ops = {
    .read = ide_cmd_read, .write = ide_cmd_write, .min_size = 1, .max_size = 4,
};
static const struct mem_ops ide_ctl_ops = {
    .read = ide_ctl_read, .write = ide_ctl_write, .min_size = 1, .max_size = 1,
};

/* ---- bus-master DMA ---- */

/* Move the data of the transfer d waits for through the PRD table.
 * Returns true when the table ended (an entry with EOT done). */
static bool ide_dma_run(struct ide_channel *c, struct ide_drive *d)
{
    struct memory_map *mem = c->ide->mem;
    uint32_t prd = c->bm_prd;
    for (int guard = 0; guard < 65536; guard++) {
        uint8_t e[8];
        phys_read(mem, prd, e, 8);
        uint32_t addr = (uint32_t)e[0] | (uint32_t)e[1] << 8 |
                        (uint32_t)e[2] << 16 | (uint32_t)e[3] << 24;
        uint32_t cnt = (uint32_t)e[4] | (uint32_t)e[5] << 8;
        bool eot = e[7] & 0x80;
        addr &= ~1u;
        if (cnt == 0)
            cnt = 0x10000;
        while (cnt && (d->xfer == XFER_DMA_IN || d->xfer == XFER_DMA_OUT)) {
            if (d->xfer == XFER_DMA_IN) {
                if (d->pos == d->len) {
                    uint32_t n = ide_refill(d);
                    if (n == 0) {
                        if (d->xfer == XFER_DMA_IN)
                            ide_in_finished(d);
                        break;
                    }
                    d->pos = 0;
                    d->len = n;
                }
                uint32_t n = d->len - d->pos < cnt ? d->len - d->pos : cnt;
                phys_dma_write(mem, addr, d->buf + d->pos, n);
                d->pos += n;
                addr += n;
                cnt -= n;
                if (d->pos == d->len && d->total == 0)
                    ide_in_finished(d);
            } else {
                if (d->len == 0)
                    d->len = d->total < IDE_BUF_SIZE ? (uint32_t)d->total
                                                     : IDE_BUF_SIZE;
                uint32_t n = d->len - d->pos < cnt ? d->len - d->pos : cnt;
                phys_read(mem, addr, d->buf + d->pos, n);
                d->pos += n;
                addr += n;
                cnt -= n;
                if (d->pos == d->len) {
                    if (!ide_flush_out(d))
                        break;
                    d->pos = d->len = 0;
                    if (d->total == 0)
                        ide_done(d, 0);
                }
            }
        }
        if (eot)
            return true;
        if (d->xfer != XFER_DMA_IN && d->xfer != XFER_DMA_OUT)
            return false;
        prd += 8;
    }
    return true;
}

void ide_bm_kick(struct ide_channel *c)
{
    struct ide_drive *d = &c->drive[c->cur];
    if (!(c->bm_cmd & 0x01) || !d->blk)
        return;
    bool to_mem = c->bm_cmd & 0x08;
    if (!((d->xfer == XFER_DMA_IN && to_mem) ||
          (d->xfer == XFER_DMA_OUT && !to_mem)))
        return;
    c->bm_status |= 0x01;
    bool table_ended = ide_dma_run(c, d);
    /* The active bit drops when the table ran out; a transfer that ended
     * first leaves it set (the PRDs described more than was moved). */
    if (table_ended)
        c->bm_status &= (uint8_t)~0x01;
}

uint32_t ide_bm_read(struct ide_state *s, unsigned offset, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        unsigned at = (offset + i) & 15;
        struct ide_channel *c = &s->ch[at >> 3];
        uint8_t b;
        switch (at & 7) {
        case 0: b = c->bm_cmd; break;
        case 2: b = c->bm_status; break;
        case 4: case 5: case 6: case 7:
            b = (uint8_t)(c->bm_prd >> (8 * ((at & 7) - 4)));
            break;
        default: b = 0; break;
        }
        v |= (uint32_t)b << (8 * i);
    }
    return v;
}

void ide_bm_write(struct ide_state *s, unsigned offset, uint32_t value,
                  unsigned size)
{
    for (unsigned i = 0; i < size; i++) {
        unsigned at = (offset + i) & 15;
        struct ide_channel *c = &s->ch[at >> 3];
        uint8_t b = (uint8_t)(value >> (8 * i));
        switch (at & 7) {
        case 0: {
            bool start = (b & 0x01) && !(c->bm_cmd & 0x01);
            c->bm_cmd = b & 0x09;
            if (!(b & 0x01))
                c->bm_status &= (uint8_t)~0x01; /* stop */
            if (start)
                ide_bm_kick(c);
            break;
        }
        case 2: /* error and interrupt: write 1 to clear; 5-6 kept */
            c->bm_status = (uint8_t)((c->bm_status & 0x01) | (b & 0x60) |
                                     (c->bm_status & 0x06 & ~b));
            break;
        case 4: case 5: case 6: case 7: {
            int sh = 8 * (int)((at & 7) - 4);
            c->bm_prd = (c->bm_prd & ~(0xffu << sh)) | (uint32_t)b << sh;
            c->bm_prd &= ~3u;
            break;
        }
        default: break;
        }
    }
}

/* ---- the device ---- */

void ide_attach(struct ide_state *s, int unit, struct block *blk, bool cdrom)
{
    J_ASSERT(unit >= 0 && unit < 4);
    struct ide_drive *d = &s->ch[unit >> 1].drive[unit & 1];
    d->blk = blk;
    d->cdrom = cdrom;
    if (cdrom) {
        d->sectors = blk->size / ATAPI_BLOCK;
        d->cyls = d->heads = d->spt = 0;
    } else {
        d->sectors = blk->size / SECTOR;
        d->heads = 16;
        d->spt = 63;
        uint64_t cyls = d->sectors / (16 * 63);
        d->cyls = (uint16_t)(cyls > 16383 ? 16383 : cyls ? cyls : 1);
    }
    ide_reset_drive(d);
    if (unit & 1)
        return;
    ide_set_signature(d);
}

static void ide_dev_reset(struct device *dev)
{
    struct ide_state *s = ide_from_device(dev);
    for (int i = 0; i < 2; i++) {
        struct ide_channel *c = &s->ch[i];
        c->feature = c->nsector = c->sector = c->lcyl = c->hcyl = 0;
        c->hob_feature = c->hob_nsector = c->hob_sector = 0;
        c->hob_lcyl = c->hob_hcyl = 0;
        c->select = 0xa0;
        c->cur = 0;
        c->ctl = 0;
        c->irq_pending = false;
        c->bm_cmd = c->bm_status = 0;
        c->bm_prd = 0;
        for (int j = 0; j < 2; j++)
            if (c->drive[j].blk) {
                c->drive[j].xfer_mode = 0;
                ide_reset_drive(&c->drive[j]);
            }
        if (c->drive[0].blk)
            ide_set_signature(&c->drive[0]);
        ide_update_irq(c);
    }
}

static struct device *ide_create(struct device_bus *bus, const uint64_t *prop)
{
    static const uint16_t base[2] = { 0x1f0, 0x170 };
    static const uint16_t ctl[2] = { 0x3f6, 0x376 };
    static const int irq[2] = { 14, 15 };
    struct ide_state *s = xcalloc(1, sizeof(*s));
    (void)prop;
    s->mem = bus->mem;
    for (int i = 0; i < 2; i++) {
        struct ide_channel *c = &s->ch[i];
        c->ide = s;
        c->drive[0].ch = c->drive[1].ch = c;
        c->irq = isa_irq(bus, irq[i]);
        c->cmd_ports = io_register(bus->io, "ide", base[i], 8, &ide_cmd_ops, c);
        c->ctl_port = io_register(bus->io, "ide-ctl", ctl[i], 1, &ide_ctl_ops, c);
    }
    return &s->dev;
}

static void ide_dev_free(struct device *dev)
{
    struct ide_state *s = ide_from_device(dev);
    for (int i = 0; i < 2; i++) {
        io_unregister(dev->bus->io, s->ch[i].cmd_ports);
        io_unregister(dev->bus->io, s->ch[i].ctl_port);
    }
    free(s);
}

const struct device_class ide_device_class = {
    .name = "ide",
    .desc = "the PIIX's two IDE channels (ATA disks, ATAPI CD-ROMs) and "
            "bus-master DMA",
    .create = ide_create,
    .reset = ide_dev_reset,
    .free = ide_dev_free,
};

struct ide_state *ide_from_device(struct device *dev)
{
    J_ASSERT(dev->cls == &ide_device_class);
    return DEVICE_STATE(struct ide_state, dev);
}
