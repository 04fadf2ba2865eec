/*
 * ide_atapi.c - an ATAPI CD-ROM on an IDE channel: IDENTIFY PACKET DEVICE
 * and the packet commands (SPC and MMC: T10's SCSI Primary Commands and
 * Multimedia Commands) a BIOS, an OS driver or a boot loader sends to a
 * read-only data disc of 2048-byte blocks with one track.
 *
 * A command with data answers through the transfer machinery of ide.c:
 * PIO in chunks of at most the byte count limit the host wrote to the
 * cylinder registers before PACKET (each chunk with DRQ, the interrupt
 * reason "data to host" and an interrupt), or DMA when the PACKET
 * command's feature bit 0 asked for it. The end is status DRDY, reason
 * "command, to host", and an interrupt. An error is CHECK CONDITION: the
 * sense key in the error register's high nibble, ERR in status, the
 * sense data kept for REQUEST SENSE.
 *
 * After a reset the first command other than INQUIRY, REQUEST SENSE and
 * GET EVENT STATUS NOTIFICATION reports UNIT ATTENTION (power on or
 * reset, 29h), as drives do.
 */
#include "devices/ide_int.h"

#include <stdio.h>
#include <string.h>

#define KEY_NONE 0x00
#define KEY_NOT_READY 0x02
#define KEY_ILLEGAL 0x05
#define KEY_UNIT_ATTENTION 0x06

#define ASC_INVALID_OPCODE 0x20
#define ASC_LBA_RANGE 0x21
#define ASC_INVALID_FIELD 0x24
#define ASC_RESET 0x29
#define ASC_NO_SAVE 0x39

static uint32_t be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}
static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v);
}

void atapi_reset(struct ide_drive *d)
{
    d->sense_key = KEY_NONE;
    d->asc = d->ascq = 0;
    d->unit_attention = true;
}

void atapi_identify(struct ide_drive *d, uint16_t *w)
{
    char serial[16];
    memset(w, 0, 512);
    w[0] = 0x85c0; /* ATAPI, CD-ROM, removable, DRQ within 50 us, 12 bytes */
    snprintf(serial, sizeof(serial), "JET86-CD-%d", ide_unit(d));
    ide_id_string(&w[10], 10, serial);
    ide_id_string(&w[23], 4, "1.0");
    ide_id_string(&w[27], 20, "JET86 CD-ROM");
    w[49] = 0x0300; /* LBA, DMA */
    w[53] = 0x0007;
    w[63] = ide_mode_word(d, 0x20, 0x07);
    w[64] = 0x0003;
    w[65] = w[66] = w[67] = w[68] = 180;
    w[71] = w[72] = 30;
    w[80] = 0x001e;
    w[82] = 0x4010; /* the PACKET feature set */
    w[85] = 0x4010;
    w[88] = ide_mode_word(d, 0x40, 0x3f);
    w[93] = 0x6000 | 0x4000 | 0x0001;
    ide_id_checksum(w);
}

void atapi_done(struct ide_drive *d)
{
    d->xfer = XFER_NONE;
    d->status = ST_DRDY | ST_DSC;
    d->error = 0;
    d->ch->nsector = IR_IO | IR_COD;
    ide_raise_irq(d->ch);
}

/* CHECK CONDITION with this sense. */
static void atapi_error(struct ide_drive *d, uint8_t key, uint8_t asc)
{
    d->sense_key = key;
    d->asc = asc;
    d->ascq = 0;
    d->xfer = XFER_NONE;
    d->status = ST_DRDY | ST_ERR;
    d->error = (uint8_t)(key << 4);
    d->ch->nsector = IR_IO | IR_COD;
    ide_raise_irq(d->ch);
}

/* The PIO chunk: the byte count limit, even, 0 meaning the most. */
static uint32_t atapi_limit(const struct ide_drive *d)
{
    uint32_t lim = d->byte_limit & ~1u;
    return lim ? lim : 0xfffe;
}

static bool atapi_dma(const struct ide_drive *d)
{
    return d->ch->feature & 0x01;
}

/* Send n bytes of data (at most alloc) from buf, then end. */
static void atapi_reply(struct ide_drive *d, uint32_t n, uint32_t alloc)
{
    if (n > alloc)
        n = alloc;
    if (n == 0) {
        atapi_done(d);
        return;
    }
    d->total = 0;
    ide_start_in(d, n, atapi_limit(d), atapi_dma(d));
}

uint32_t atapi_refill(struct ide_drive *d)
{
    uint64_t n = d->total < IDE_BUF_SIZE ? d->total : IDE_BUF_SIZE;
    if (n == 0)
        return 0;
    if (block_read(d->blk, d->lba * ATAPI_BLOCK, d->buf, (size_t)n) != 0) {
        atapi_error(d, 0x03, 0x11); /* medium error: unrecovered read */
        return 0;
    }
    d->lba += n / ATAPI_BLOCK;
    d->total -= n;
    return (uint32_t)n;
}

static void atapi_read(struct ide_drive *d, uint32_t lba, uint32_t count)
{
    if ((uint64_t)lba + count > d->sectors) {
        atapi_error(d, KEY_ILLEGAL, ASC_LBA_RANGE);
        return;
    }
    if (count == 0) {
        atapi_done(d);
        return;
    }
    d->lba = lba;
    d->total = (uint64_t)count * ATAPI_BLOCK;
    ide_start_in(d, 0, atapi_limit(d), atapi_dma(d));
}

static void lba_to_msf(uint8_t *p, uint32_t lba)
{
    lba += 150;
    p[0] = 0;
    p[1] = (uint8_t)(lba / (75 * 60));
    p[2] = (uint8_t)((lba / 75) % 60);
    p[3] = (uint8_t)(lba % 75);
}

static void toc_address(uint8_t *p, uint32_t lba, bool msf)
{
    if (msf)
        lba_to_msf(p, lba);
    else
        put32(p, lba);
}

static void atapi_read_toc(struct ide_drive *d, const uint8_t *cdb)
{
    uint8_t *b = d->buf;
    bool msf = cdb[1] & 0x02;
    uint32_t alloc = be16(cdb + 7);
    int format = cdb[2] & 0x0f;
    if (format == 0 && (cdb[9] >> 6))
        format = cdb[9] >> 6; /* the older place of the format */
    uint32_t n;
    memset(b, 0, 64);
    if (format == 0) {
        uint8_t start = cdb[6];
        if (start > 1 && start != 0xaa) {
            atapi_error(d, KEY_ILLEGAL, ASC_INVALID_FIELD);
            return;
        }
        b[2] = 1; /* first track */
        b[3] = 1; /* last track */
        n = 4;
        if (start <= 1) {
            b[n + 1] = 0x14; /* ADR 1, data track */
            b[n + 2] = 1;
            toc_address(b + n + 4, 0, msf);
            n += 8;
        }
        b[n + 1] = 0x14;
        b[n + 2] = 0xaa; /* lead-out */
        toc_address(b + n + 4, (uint32_t)d->sectors, msf);
        n += 8;
    } else if (format == 1) { /* session information */
        b[2] = 1;
        b[3] = 1;
        b[5] = 0x14;
        b[6] = 1;
        toc_address(b + 8, 0, msf);
        n = 12;
    } else {
        atapi_error(d, KEY_ILLEGAL, ASC_INVALID_FIELD);
        return;
    }
    put16(b, n - 2);
    atapi_reply(d, n, alloc);
}

/* Mode page 01h (error recovery) or 2Ah (capabilities) at p; its size,
 * or 0 for another page. */
static uint32_t atapi_mode_page(const struct ide_drive *d, int page, uint8_t *p)
{
    if (page == 0x01) {
        static const uint8_t err[8] = { 0x01, 0x06, 0x00, 0x05 };
        memcpy(p, err, sizeof(err));
        return sizeof(err);
    }
    if (page == 0x2a) {
        memset(p, 0, 20);
        p[0] = 0x2a;
        p[1] = 0x12;
        p[4] = 0x71; /* audio play, composite, digital ports, multisession */
        p[6] = 0x29; /* lock, eject, tray */
        put16(p + 8, 706);  /* 4x, KB/s */
        put16(p + 10, 2);   /* volume levels */
        put16(p + 12, 512); /* buffer, KB */
        put16(p + 14, 706);
        (void)d;
        return 20;
    }
    return 0;
}

static void atapi_mode_sense(struct ide_drive *d, const uint8_t *cdb, bool ten)
{
    uint8_t *b = d->buf;
    int page = cdb[2] & 0x3f, pc = cdb[2] >> 6;
    uint32_t alloc = ten ? be16(cdb + 7) : cdb[4];
    uint32_t hdr = ten ? 8 : 4, n = hdr;
    if (pc == 3) {
        atapi_error(d, KEY_ILLEGAL, ASC_NO_SAVE);
        return;
    }
    memset(b, 0, hdr);
    if (page == 0x3f) {
        n += atapi_mode_page(d, 0x01, b + n);
        n += atapi_mode_page(d, 0x2a, b + n);
    } else {
        uint32_t m = atapi_mode_page(d, page, b + n);
        if (m == 0) {
            atapi_error(d, KEY_ILLEGAL, ASC_INVALID_FIELD);
            return;
        }
        n += m;
    }
    if (ten) {
        put16(b, n - 2);
        b[2] = 0x01; /* 120 mm data disc */
    } else {
        b[0] = (uint8_t)(n - 1);
        b[1] = 0x01;
    }
    atapi_reply(d, n, alloc);
}

static void atapi_inquiry(struct ide_drive *d, const uint8_t *cdb)
{
    uint8_t *b = d->buf;
    if (cdb[1] & 0x01) { /* vital product data: none */
        atapi_error(d, KEY_ILLEGAL, ASC_INVALID_FIELD);
        return;
    }
    memset(b, 0, 36);
    b[0] = 0x05; /* CD/DVD device */
    b[1] = 0x80; /* removable */
    b[3] = 0x21; /* ATAPI, response format 1 */
    b[4] = 31;
    memcpy(b + 8, "JET86   ", 8);
    memcpy(b + 16, "CD-ROM          ", 16);
    memcpy(b + 32, "1.0 ", 4);
    atapi_reply(d, 36, be16(cdb + 3));
}

static void atapi_request_sense(struct ide_drive *d, const uint8_t *cdb)
{
    uint8_t *b = d->buf;
    memset(b, 0, 18);
    b[0] = 0x70; /* current error, fixed format */
    b[2] = d->sense_key;
    b[7] = 10;
    b[12] = d->asc;
    b[13] = d->ascq;
    d->sense_key = KEY_NONE;
    d->asc = d->ascq = 0;
    atapi_reply(d, 18, cdb[4]);
}

static void atapi_get_configuration(struct ide_drive *d, const uint8_t *cdb)
{
    uint8_t *b = d->buf;
    memset(b, 0, 32);
    put16(b + 6, 0x0008); /* current profile: CD-ROM */
    /* Feature 0000h, the profile list: CD-ROM, current. */
    b[10] = 0x03;
    b[11] = 4;
    put16(b + 12, 0x0008);
    b[14] = 0x01;
    /* Feature 0001h, core: ATAPI. */
    put16(b + 16, 0x0001);
    b[18] = 0x0b;
    b[19] = 8;
    put32(b + 20, 2);
    b[24] = 0x01;
    put32(b, 28 - 4);
    atapi_reply(d, 28, be16(cdb + 7));
}

static void atapi_event_status(struct ide_drive *d, const uint8_t *cdb)
{
    uint8_t *b = d->buf;
    if (!(cdb[1] & 0x01)) { /* only the polled form */
        atapi_error(d, KEY_ILLEGAL, ASC_INVALID_FIELD);
        return;
    }
    memset(b, 0, 8);
    b[3] = 0x10; /* supported: the media class */
    if (cdb[4] & 0x10) {
        put16(b, 6);
        b[2] = 0x04;
        b[5] = 0x02; /* media present */
        atapi_reply(d, 8, be16(cdb + 7));
    } else {
        put16(b, 2);
        b[2] = 0x80; /* no event available */
        atapi_reply(d, 4, be16(cdb + 7));
    }
}

static void atapi_disc_info(struct ide_drive *d, const uint8_t *cdb)
{
    uint8_t *b = d->buf;
    memset(b, 0, 34);
    put16(b, 32);
    b[2] = 0x0e; /* complete disc, complete last session */
    b[3] = 1;
    b[4] = 1;
    b[5] = 1;
    b[6] = 1;
    atapi_reply(d, 34, be16(cdb + 7));
}

void atapi_packet(struct ide_drive *d)
{
    uint8_t cdb[12];
    memcpy(cdb, d->buf, sizeof(cdb));
    d->byte_limit = (uint16_t)(d->ch->lcyl | d->ch->hcyl << 8);
    d->status = ST_DRDY;

    if (d->unit_attention && cdb[0] != 0x12 && cdb[0] != 0x03 &&
        cdb[0] != 0x4a) {
        d->unit_attention = false;
        atapi_error(d, KEY_UNIT_ATTENTION, ASC_RESET);
        return;
    }
    switch (cdb[0]) {
    case 0x00: /* TEST UNIT READY */
    case 0x1b: /* START STOP UNIT */
    case 0x1e: /* PREVENT ALLOW MEDIUM REMOVAL */
    case 0x2b: /* SEEK(10) */
    case 0x2f: /* VERIFY(10) */
    case 0xbb: /* SET CD SPEED */
        atapi_done(d);
        return;
    case 0x03: atapi_request_sense(d, cdb); return;
    case 0x12: atapi_inquiry(d, cdb); return;
    case 0x1a: atapi_mode_sense(d, cdb, false); return;
    case 0x5a: atapi_mode_sense(d, cdb, true); return;
    case 0x25: { /* READ CAPACITY */
        put32(d->buf, d->sectors ? (uint32_t)d->sectors - 1 : 0);
        put32(d->buf + 4, ATAPI_BLOCK);
        atapi_reply(d, 8, 8);
        return;
    }
    case 0x28: atapi_read(d, be32(cdb + 2), be16(cdb + 7)); return;
    case 0xa8: atapi_read(d, be32(cdb + 2), be32(cdb + 6)); return;
    case 0xbe: { /* READ CD: user data of data sectors only */
        uint32_t count = (uint32_t)cdb[6] << 16 | be16(cdb + 7);
        int type = (cdb[1] >> 2) & 7;
        if ((type != 0 && type != 2) || (cdb[9] != 0x10 && cdb[9] != 0)) {
            atapi_error(d, KEY_ILLEGAL, ASC_INVALID_FIELD);
            return;
        }
        atapi_read(d, be32(cdb + 2), cdb[9] ? count : 0);
        return;
    }
    case 0x43: atapi_read_toc(d, cdb); return;
    case 0x46: atapi_get_configuration(d, cdb); return;
    case 0x4a: atapi_event_status(d, cdb); return;
    case 0x51: atapi_disc_info(d, cdb); return;
    case 0xbd: /* MECHANISM STATUS: no changer */
        memset(d->buf, 0, 8);
        atapi_reply(d, 8, be16(cdb + 8));
        return;
    default:
        atapi_error(d, KEY_ILLEGAL, ASC_INVALID_OPCODE);
        return;
    }
}
