/*
 * fdc.c - the Intel 82077AA floppy disk controller in PC/AT mode (Intel
 * 82077AA data sheet, 290166; registers in section 2, commands in 5-8),
 * as the PC wires it: base 0x3F0, IRQ 6, DMA channel 2.
 *
 *   0x3F0  SRA (read): PS/2 status A: 7 INT pending, 6 nDRV2 (second
 *          drive absent), 4 nTRK0, 3 head, 1 write protect
 *   0x3F1  SRB (read): PS/2 status B: 7-6 ones, 5 drive select 0,
 *          1-0 motor enables of drives 1 and 0
 *   0x3F2  DOR: 1-0 drive select, 2 nRESET (0 holds the controller in
 *          reset), 3 DMA gate (gates INT and DRQ), 7-4 motor enables
 *   0x3F3  TDR: 1-0 tape drive select
 *   0x3F4  MSR (read): 7 RQM, 6 DIO (1: to the host), 5 NON-DMA
 *          execution, 4 command busy, 3-0 drive seeking;
 *          DSR (write): 7 software reset, 6 power down, 1-0 data rate
 *   0x3F5  FIFO: command bytes in, execution data (non-DMA), results out
 *   0x3F7  DIR (read): 7 disk change of the selected drive;
 *          CCR (write): 1-0 data rate
 *
 * Every command completes when its last byte is written, as the IDE
 * disks do: a seek has arrived, a DMA transfer has moved all its bytes,
 * and the interrupt is raised at once; so runs are deterministic. In
 * non-DMA mode the execution phase is the host's: it reads or writes the
 * data bytes through the FIFO (RQM and NON-DMA set, INT active while
 * data is wanted), and the read or write ends at EOT with the "end of
 * cylinder" error, as on the chip (a PC has no TC in non-DMA mode).
 *
 * The image must match the data rate (DSR/CCR) its format needs: 500
 * kb/s for 1.2M and 1.44M, 1 Mb/s for 2.88M, 250 kb/s for the others;
 * another rate finds no address marks (ST1 MA). A READ or WRITE whose
 * cylinder is not the one under the head (the 82077AA seeks for it only
 * with CONFIGURE's EIS) finds no sector: ST1 ND, ST2 WC.
 *
 * At power-on the controller is as a BIOS leaves it: out of reset with
 * DMA and interrupts enabled (DOR 0x0C), no interrupt pending; the
 * diskettes report a disk change until the first step pulse.
 */
#include "devices/fdc.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "devices/dma8237.h"

#define FDC_BASE 0x3f0
#define FDC_IRQ 6
#define FDC_SECTOR 512u
#define FDC_DRIVES 2
#define FDC_VERSION_82077AA 0x90

/* DOR */
#define DOR_SEL 0x03
#define DOR_NRESET 0x04
#define DOR_DMA 0x08
/* MSR */
#define MSR_RQM 0x80
#define MSR_DIO 0x40
#define MSR_NDMA 0x20
#define MSR_CB 0x10
/* ST0 */
#define ST0_NORMAL 0x00
#define ST0_ABNORMAL 0x40
#define ST0_INVALID 0x80
#define ST0_POLL 0xc0
#define ST0_SE 0x20
#define ST0_EC 0x10
/* ST1 */
#define ST1_EN 0x80
#define ST1_OR 0x10
#define ST1_ND 0x04
#define ST1_NW 0x02
#define ST1_MA 0x01
/* ST2 */
#define ST2_WC 0x10
#define ST2_BC 0x02
/* ST3 */
#define ST3_WP 0x40
#define ST3_T0 0x10
#define ST3_ONES 0x28
/* CONFIGURE byte 3 */
#define CFG_EIS 0x40
#define CFG_EFIFO 0x20
#define CFG_POLL 0x10 /* 1: polling disabled */

enum fdc_phase { PH_COMMAND, PH_EXEC_IN, PH_EXEC_OUT, PH_RESULT };
enum fdc_op { OP_NONE, OP_READ, OP_WRITE, OP_FORMAT };

struct fdc_drive {
    struct block *blk;
    unsigned cylinders, heads, sectors;
    uint8_t rate;  /* the data rate its format needs (DSR encoding) */
    uint8_t pcn;   /* present cylinder number (the controller's) */
    uint8_t track; /* where the head is (stops at the last track) */
    uint8_t head;
    uint8_t sect; /* the sector READ ID finds next */
    bool changed; /* the disk change line */
};

struct fdc_state {
    struct device dev;
    struct irq *irq;
    struct dma_state *dma;
    int dma_channel;
    struct io_region *ports[2];
    struct fdc_drive drive[FDC_DRIVES];

    uint8_t dor, tdr, rate;
    bool in_reset;
    enum fdc_phase phase;
    uint8_t cmd[9];
    unsigned cmd_len, cmd_pos;
    uint8_t res[10];
    unsigned res_len, res_pos;

    /* Interrupt sources: a result phase, non-DMA data wanted, the seek
     * ends of each drive (their ST0), the four polls after a reset. */
    bool result_int, data_int;
    uint8_t seek_int;
    uint8_t seek_st0[4];
    unsigned reset_polls;
    int irq_level;

    /* SPECIFY, CONFIGURE, LOCK, PERPENDICULAR MODE */
    uint8_t spec1, spec2; /* SRT/HUT, HLT/ND */
    uint8_t config, pretrk;
    bool lock;
    uint8_t perp;         /* D3-D0 << 2 | GAP << 1 | WGATE */
    uint8_t pcn_extra[2]; /* drives 2 and 3 (none attached) */
    uint8_t last_eot;

    /* The transfer in progress (non-DMA execution phase). */
    enum fdc_op op;
    unsigned ds, hds;   /* drive, physical head */
    uint8_t c, h, r, n; /* the ID the next sector must have */
    uint8_t eot;
    bool mt;
    unsigned fmt_left; /* FORMAT: sectors still to come */
    uint8_t fmt_fill;
    uint8_t buf[FDC_SECTOR];
    unsigned buf_pos, buf_len;
};

struct fdc_state *fdc_from_device(struct device *dev)
{
    J_ASSERT(dev->cls == &fdc_device_class);
    return DEVICE_STATE(struct fdc_state, dev);
}

/* ---- interrupts ---- */

static void fdc_update_irq(struct fdc_state *s)
{
    bool pending =
        s->result_int || s->data_int || s->seek_int || s->reset_polls;
    int level = pending && (s->dor & DOR_DMA) && !s->in_reset;
    if (level != s->irq_level) {
        s->irq_level = level;
        irq_set(s->irq, level);
    }
}

static bool fdc_int_pending(const struct fdc_state *s)
{
    return s->result_int || s->data_int || s->seek_int || s->reset_polls;
}

/* ---- phases ---- */

static void fdc_to_command(struct fdc_state *s)
{
    s->phase = PH_COMMAND;
    s->cmd_pos = 0;
    s->cmd_len = 0;
    s->op = OP_NONE;
    s->data_int = false;
}

/* A result phase of n bytes from res; raise: with an interrupt. */
static void fdc_to_result(struct fdc_state *s, unsigned n, bool raise)
{
    s->phase = PH_RESULT;
    s->res_len = n;
    s->res_pos = 0;
    s->op = OP_NONE;
    if (s->data_int) {
        /* Non-DMA: INT falls after the last data byte, and rises again
         * for the result. */
        s->data_int = false;
        fdc_update_irq(s);
    }
    if (raise)
        s->result_int = true;
    fdc_update_irq(s);
}

static void fdc_reset_controller(struct fdc_state *s)
{
    fdc_to_command(s);
    s->res_len = s->res_pos = 0;
    s->result_int = false;
    s->seek_int = 0;
    s->reset_polls = 0;
    if (!s->lock) {
        s->config = CFG_EFIFO;
        s->pretrk = 0;
    }
    s->perp &= 0x3c; /* GAP and WGATE cleared, the drive bits kept */
}

/* The end of a reset: with polling enabled, the four drives' "ready
 * changed" interrupts that SENSE INTERRUPT STATUS reads one by one. */
static void fdc_leave_reset(struct fdc_state *s)
{
    s->in_reset = false;
    if (!(s->config & CFG_POLL))
        s->reset_polls = 4;
    fdc_update_irq(s);
}

/* ---- the media ---- */

static struct fdc_drive *fdc_media(struct fdc_state *s, unsigned ds)
{
    if (ds >= FDC_DRIVES || !s->drive[ds].blk)
        return NULL;
    return &s->drive[ds];
}

/* Move drive ds's heads to cylinder c: a step pulse clears the disk
 * change line when a diskette is in. */
static void fdc_seek_to(struct fdc_state *s, unsigned ds, uint8_t c)
{
    if (ds >= FDC_DRIVES) {
        s->pcn_extra[ds & 1] = c;
        return;
    }
    struct fdc_drive *d = &s->drive[ds];
    unsigned last = d->cylinders ? d->cylinders - 1 : 79;
    uint8_t t = c > last ? (uint8_t)last : c;
    if (c != d->pcn && d->blk)
        d->changed = false;
    d->pcn = c;
    d->track = t;
    d->sect = 1;
}

static uint8_t fdc_pcn(const struct fdc_state *s, unsigned ds)
{
    return ds < FDC_DRIVES ? s->drive[ds].pcn : s->pcn_extra[ds & 1];
}

static void fdc_seek_done(struct fdc_state *s, unsigned ds, uint8_t st0)
{
    s->seek_int |= (uint8_t)(1u << ds);
    s->seek_st0[ds] = st0;
    fdc_to_command(s);
    fdc_update_irq(s);
}

/* The image offset of sector r (from 1) of the track under head hds. */
static uint64_t fdc_offset(const struct fdc_drive *d, unsigned hds, uint8_t r)
{
    return (((uint64_t)d->track * d->heads + hds) * d->sectors + (r - 1u)) *
           FDC_SECTOR;
}

/* The block offset of the sector with ID (c, h, r, n) under drive d's
 * head hds, or a reason it is not found (ST1 in *st1, ST2 in *st2). */
static bool fdc_find_sector(struct fdc_state *s, struct fdc_drive *d, uint8_t c,
                            uint8_t h, uint8_t r, uint8_t n, uint64_t *offset,
                            uint8_t *st1, uint8_t *st2)
{
    *st1 = 0;
    *st2 = 0;
    if (!d || d->rate != s->rate || s->hds >= d->heads) {
        *st1 = ST1_MA;
        return false;
    }
    if (c != d->track) {
        *st1 = ST1_ND;
        *st2 = c == 0xff ? ST2_BC | ST2_WC : ST2_WC;
        return false;
    }
    if (h != s->hds || n != 2 || r == 0 || r > d->sectors) {
        *st1 = ST1_ND;
        return false;
    }
    *offset = fdc_offset(d, s->hds, r);
    return true;
}

/* The ID after the sector just done; false at the end of the track (the
 * cylinder, multi-track: the second side, already counted). */
static bool fdc_next_sector(struct fdc_state *s)
{
    struct fdc_drive *d = fdc_media(s, s->ds);
    if (d)
        d->sect = (uint8_t)(s->r % d->sectors + 1);
    if (s->r != s->eot) {
        s->r++;
        return true;
    }
    s->r = 1;
    if (s->mt && s->hds == 0) {
        s->hds = 1;
        s->h ^= 1;
        return d && d->heads > 1;
    }
    if (s->mt) {
        s->hds = 0;
        s->h ^= 1;
    }
    s->c++;
    return false;
}

/* The seven result bytes of a transfer command. */
static void fdc_transfer_result(struct fdc_state *s, uint8_t st0, uint8_t st1,
                                uint8_t st2)
{
    s->res[0] = (uint8_t)(st0 | s->hds << 2 | s->ds);
    s->res[1] = st1;
    s->res[2] = st2;
    s->res[3] = s->c;
    s->res[4] = s->h;
    s->res[5] = s->r;
    s->res[6] = s->n;
    fdc_to_result(s, 7, true);
}

static bool fdc_dma_mode(const struct fdc_state *s) { return !(s->spec2 & 1); }

/* Move n bytes of buf over the DMA channel; false (an overrun) when the
 * channel does not take them all and did not reach terminal count. */
static bool fdc_dma(struct fdc_state *s, uint8_t *buf, unsigned n, bool *tc)
{
    *tc = false;
    if (!s->dma || !(s->dor & DOR_DMA))
        return false;
    uint32_t moved = dma_transfer(s->dma, s->dma_channel, buf, n, tc);
    /* A write ended by TC within a sector pads it with zeros. */
    if (*tc && moved < n && s->op == OP_WRITE)
        memset(buf + moved, 0, n - moved);
    return moved == n || *tc;
}

/* ---- READ DATA, WRITE DATA ---- */

static void fdc_rw_sector_end(struct fdc_state *s);
static void fdc_format_id(struct fdc_state *s);

/* Load the next sector of a read into buf (or, for a write, check it
 * exists); false when the transfer ended (result phase entered). */
static bool fdc_rw_sector_begin(struct fdc_state *s)
{
    struct fdc_drive *d = fdc_media(s, s->ds);
    uint64_t off;
    uint8_t st1, st2;
    if (!fdc_find_sector(s, d, s->c, s->h, s->r, s->n, &off, &st1, &st2)) {
        fdc_transfer_result(s, ST0_ABNORMAL, st1, st2);
        return false;
    }
    if (s->op == OP_READ && block_read(d->blk, off, s->buf, FDC_SECTOR)) {
        fdc_transfer_result(s, ST0_ABNORMAL, ST1_ND, 0);
        return false;
    }
    s->buf_pos = 0;
    s->buf_len = FDC_SECTOR;
    return true;
}

static void fdc_rw_dma(struct fdc_state *s)
{
    for (;;) {
        if (!fdc_rw_sector_begin(s))
            return;
        bool tc;
        bool ok = fdc_dma(s, s->buf, FDC_SECTOR, &tc);
        if (!ok) {
            fdc_transfer_result(s, ST0_ABNORMAL, ST1_OR, 0);
            return;
        }
        if (s->op == OP_WRITE) {
            fdc_rw_sector_end(s);
            if (s->phase == PH_RESULT)
                return;
        }
        bool more = fdc_next_sector(s);
        if (tc) {
            fdc_transfer_result(s, ST0_NORMAL, 0, 0);
            return;
        }
        if (!more) {
            fdc_transfer_result(s, ST0_ABNORMAL, ST1_EN, 0);
            return;
        }
    }
}

/* A write's sector is complete in buf: into the image. */
static void fdc_rw_sector_end(struct fdc_state *s)
{
    struct fdc_drive *d = fdc_media(s, s->ds);
    uint64_t off;
    uint8_t st1, st2;
    if (!fdc_find_sector(s, d, s->c, s->h, s->r, s->n, &off, &st1, &st2)) {
        fdc_transfer_result(s, ST0_ABNORMAL, st1, st2);
        return;
    }
    if (block_write(d->blk, off, s->buf, FDC_SECTOR))
        fdc_transfer_result(s, ST0_ABNORMAL, ST1_NW, 0);
}

static void fdc_cmd_rw(struct fdc_state *s, enum fdc_op op)
{
    s->op = op;
    s->mt = (s->cmd[0] & 0x80) != 0;
    s->ds = s->cmd[1] & 3;
    s->hds = (s->cmd[1] >> 2) & 1;
    s->c = s->cmd[2];
    s->h = s->cmd[3];
    s->r = s->cmd[4];
    s->n = s->cmd[5];
    s->eot = s->cmd[6];
    s->last_eot = s->eot;
    struct fdc_drive *d = fdc_media(s, s->ds);
    if (d && (s->config & CFG_EIS) && d->pcn != s->c)
        fdc_seek_to(s, s->ds, s->c);
    if (op == OP_WRITE && d && d->blk->readonly) {
        fdc_transfer_result(s, ST0_ABNORMAL, ST1_NW, 0);
        return;
    }
    if (fdc_dma_mode(s)) {
        fdc_rw_dma(s);
        return;
    }
    if (!fdc_rw_sector_begin(s))
        return;
    s->phase = op == OP_READ ? PH_EXEC_OUT : PH_EXEC_IN;
    s->data_int = true;
    fdc_update_irq(s);
}

/* Non-DMA: a byte of the execution phase has gone to or come from the
 * host. */
static void fdc_exec_byte_done(struct fdc_state *s)
{
    if (++s->buf_pos < s->buf_len)
        return;
    if (s->op == OP_FORMAT) {
        fdc_format_id(s);
        return;
    }
    if (s->op == OP_WRITE) {
        fdc_rw_sector_end(s);
        if (s->phase == PH_RESULT)
            return;
    }
    if (!fdc_next_sector(s)) {
        /* No TC in non-DMA mode: the transfer runs to EOT. */
        fdc_transfer_result(s, ST0_ABNORMAL, ST1_EN, 0);
        return;
    }
    fdc_rw_sector_begin(s);
}

/* ---- FORMAT TRACK ---- */

/* One sector's ID (C, H, R, N in buf) has arrived: write the sector
 * with the fill byte; the next ID, or the result. */
static void fdc_format_id(struct fdc_state *s)
{
    struct fdc_drive *d = fdc_media(s, s->ds);
    s->c = s->buf[0];
    s->h = s->buf[1];
    s->r = s->buf[2];
    s->n = s->buf[3];
    /* The sector is laid down with the ID given, on the track under the
     * head: one the image can hold is written with the fill byte. */
    if (d && s->c == d->track && s->n == 2 && s->r >= 1 && s->r <= d->sectors) {
        uint8_t fill[FDC_SECTOR];
        memset(fill, s->fmt_fill, sizeof(fill));
        if (block_write(d->blk, fdc_offset(d, s->hds, s->r), fill,
                        FDC_SECTOR)) {
            fdc_transfer_result(s, ST0_ABNORMAL, ST1_NW, 0);
            return;
        }
    }
    if (--s->fmt_left == 0) {
        fdc_transfer_result(s, ST0_NORMAL, 0, 0);
        return;
    }
    s->buf_pos = 0;
    s->buf_len = 4;
}

static void fdc_cmd_format(struct fdc_state *s)
{
    s->op = OP_FORMAT;
    s->mt = false;
    s->ds = s->cmd[1] & 3;
    s->hds = (s->cmd[1] >> 2) & 1;
    struct fdc_drive *d = fdc_media(s, s->ds);
    s->c = d ? d->pcn : fdc_pcn(s, s->ds);
    s->h = (uint8_t)s->hds;
    s->r = 1;
    s->n = s->cmd[2];
    s->fmt_left = s->cmd[3];
    s->fmt_fill = s->cmd[5];
    s->last_eot = s->cmd[3];
    if (!d || d->rate != s->rate || s->hds >= d->heads) {
        fdc_transfer_result(s, ST0_ABNORMAL, ST1_MA, 0);
        return;
    }
    if (d->blk->readonly) {
        fdc_transfer_result(s, ST0_ABNORMAL, ST1_NW, 0);
        return;
    }
    if (s->fmt_left == 0) {
        fdc_transfer_result(s, ST0_NORMAL, 0, 0);
        return;
    }
    s->buf_pos = 0;
    s->buf_len = 4;
    if (!fdc_dma_mode(s)) {
        s->phase = PH_EXEC_IN;
        s->data_int = true;
        fdc_update_irq(s);
        return;
    }
    while (s->op == OP_FORMAT) {
        bool tc;
        if (!fdc_dma(s, s->buf, 4, &tc)) {
            fdc_transfer_result(s, ST0_ABNORMAL, ST1_OR, 0);
            return;
        }
        fdc_format_id(s);
        if (tc && s->op == OP_FORMAT) {
            fdc_transfer_result(s, ST0_NORMAL, 0, 0);
            return;
        }
    }
}

/* ---- the other commands ---- */

static void fdc_cmd_read_id(struct fdc_state *s)
{
    s->ds = s->cmd[1] & 3;
    s->hds = (s->cmd[1] >> 2) & 1;
    struct fdc_drive *d = fdc_media(s, s->ds);
    s->c = fdc_pcn(s, s->ds);
    s->h = (uint8_t)s->hds;
    s->r = 1;
    s->n = 2;
    if (!d || d->rate != s->rate || s->hds >= d->heads) {
        fdc_transfer_result(s, ST0_ABNORMAL, ST1_MA, 0);
        return;
    }
    /* The ID of the next sector to pass under the head. */
    s->c = d->track;
    s->r = d->sect;
    fdc_transfer_result(s, ST0_NORMAL, 0, 0);
}

static void fdc_cmd_sense_int(struct fdc_state *s)
{
    if (s->reset_polls) {
        unsigned ds = 4 - s->reset_polls--;
        s->res[0] = (uint8_t)(ST0_POLL | ds);
        s->res[1] = fdc_pcn(s, ds);
        s->result_int = false;
        fdc_to_result(s, 2, false);
        return;
    }
    for (unsigned ds = 0; ds < 4; ds++) {
        if (s->seek_int & (1u << ds)) {
            s->seek_int &= (uint8_t) ~(1u << ds);
            s->res[0] = s->seek_st0[ds];
            s->res[1] = fdc_pcn(s, ds);
            s->result_int = false;
            fdc_to_result(s, 2, false);
            return;
        }
    }
    s->res[0] = ST0_INVALID;
    fdc_to_result(s, 1, false);
}

static void fdc_cmd_seek(struct fdc_state *s)
{
    unsigned ds = s->cmd[1] & 3;
    unsigned hds = (s->cmd[1] >> 2) & 1;
    uint8_t target = s->cmd[2];
    if (s->cmd[0] & 0x80) {
        /* RELATIVE SEEK: DIR (bit 6) 1 steps in, 0 out; the cylinder
         * number wraps as the 8-bit PCN does. */
        uint8_t pcn = fdc_pcn(s, ds);
        target = (s->cmd[0] & 0x40) ? (uint8_t)(pcn + s->cmd[2])
                                    : (uint8_t)(pcn - s->cmd[2]);
    }
    fdc_seek_to(s, ds, target);
    if (ds < FDC_DRIVES)
        s->drive[ds].head = (uint8_t)hds;
    fdc_seek_done(s, ds, (uint8_t)(ST0_SE | hds << 2 | ds));
}

static void fdc_cmd_recalibrate(struct fdc_state *s)
{
    unsigned ds = s->cmd[1] & 3;
    uint8_t st0 = (uint8_t)(ST0_SE | ds);
    /* Where no drive answers TRK0 the 82077AA gives up after 79 steps:
     * equipment check. */
    if (!fdc_media(s, ds))
        st0 |= ST0_ABNORMAL | ST0_EC;
    fdc_seek_to(s, ds, 0);
    fdc_seek_done(s, ds, st0);
}

static void fdc_cmd_sense_drive(struct fdc_state *s)
{
    unsigned ds = s->cmd[1] & 3;
    unsigned hds = (s->cmd[1] >> 2) & 1;
    struct fdc_drive *d = fdc_media(s, ds);
    uint8_t st3 = (uint8_t)(ST3_ONES | hds << 2 | ds);
    if (d && d->blk->readonly)
        st3 |= ST3_WP;
    if (fdc_pcn(s, ds) == 0)
        st3 |= ST3_T0;
    s->res[0] = st3;
    fdc_to_result(s, 1, false);
}

static void fdc_cmd_dumpreg(struct fdc_state *s)
{
    s->res[0] = s->drive[0].pcn;
    s->res[1] = s->drive[1].pcn;
    s->res[2] = s->pcn_extra[0];
    s->res[3] = s->pcn_extra[1];
    s->res[4] = s->spec1;
    s->res[5] = s->spec2;
    s->res[6] = s->last_eot;
    s->res[7] = (uint8_t)((s->lock ? 0x80 : 0) | s->perp);
    s->res[8] = s->config;
    s->res[9] = s->pretrk;
    fdc_to_result(s, 10, false);
}

/* The command's length from its first byte; 0: invalid. */
static unsigned fdc_cmd_length(uint8_t b)
{
    if ((b & 0x1f) == 0x06)
        return 9; /* READ DATA (MT, MFM, SK) */
    if ((b & 0x3f) == 0x05)
        return 9; /* WRITE DATA (MT, MFM) */
    if ((b & 0xbf) == 0x0a)
        return 2; /* READ ID (MFM) */
    if ((b & 0xbf) == 0x0d)
        return 6; /* FORMAT TRACK (MFM) */
    switch (b) {
    case 0x03: return 3; /* SPECIFY */
    case 0x04: return 2; /* SENSE DRIVE STATUS */
    case 0x07: return 2; /* RECALIBRATE */
    case 0x08: return 1; /* SENSE INTERRUPT STATUS */
    case 0x0e: return 1; /* DUMPREG */
    case 0x0f:
    case 0x8f:
    case 0xcf: return 3; /* SEEK, RELATIVE SEEK */
    case 0x10: return 1; /* VERSION */
    case 0x12: return 2; /* PERPENDICULAR MODE */
    case 0x13: return 4; /* CONFIGURE */
    case 0x14:
    case 0x94: return 1; /* LOCK */
    default: return 0;
    }
}

static void fdc_execute(struct fdc_state *s)
{
    uint8_t b = s->cmd[0];
    if ((b & 0x1f) == 0x06) {
        fdc_cmd_rw(s, OP_READ);
        return;
    }
    if ((b & 0x3f) == 0x05) {
        fdc_cmd_rw(s, OP_WRITE);
        return;
    }
    if ((b & 0xbf) == 0x0a) {
        fdc_cmd_read_id(s);
        return;
    }
    if ((b & 0xbf) == 0x0d) {
        fdc_cmd_format(s);
        return;
    }
    switch (b) {
    case 0x03:
        s->spec1 = s->cmd[1];
        s->spec2 = s->cmd[2];
        fdc_to_command(s);
        break;
    case 0x04: fdc_cmd_sense_drive(s); break;
    case 0x07: fdc_cmd_recalibrate(s); break;
    case 0x08: fdc_cmd_sense_int(s); break;
    case 0x0e: fdc_cmd_dumpreg(s); break;
    case 0x0f:
    case 0x8f:
    case 0xcf: fdc_cmd_seek(s); break;
    case 0x10:
        s->res[0] = FDC_VERSION_82077AA;
        fdc_to_result(s, 1, false);
        break;
    case 0x12:
        if (s->cmd[1] & 0x80)
            s->perp = (uint8_t)(s->cmd[1] & 0x3f);
        else
            s->perp = (uint8_t)((s->perp & 0x3c) | (s->cmd[1] & 0x03));
        fdc_to_command(s);
        break;
    case 0x13:
        s->config = s->cmd[2] & 0x7f;
        s->pretrk = s->cmd[3];
        fdc_to_command(s);
        break;
    case 0x14:
    case 0x94:
        s->lock = (b & 0x80) != 0;
        s->res[0] = s->lock ? 0x10 : 0x00;
        fdc_to_result(s, 1, false);
        break;
    }
}

/* ---- the FIFO ---- */

static void fdc_fifo_write(struct fdc_state *s, uint8_t v)
{
    switch (s->phase) {
    case PH_COMMAND:
        if (s->cmd_pos == 0) {
            unsigned len = fdc_cmd_length(v);
            /* A new command ends the previous one's result interrupt. */
            s->result_int = false;
            fdc_update_irq(s);
            if (len == 0) {
                s->res[0] = ST0_INVALID;
                fdc_to_result(s, 1, false);
                return;
            }
            s->cmd_len = len;
        }
        if (s->cmd_pos < sizeof(s->cmd))
            s->cmd[s->cmd_pos] = v;
        if (++s->cmd_pos >= s->cmd_len)
            fdc_execute(s);
        break;
    case PH_EXEC_IN:
        if (s->buf_pos < sizeof(s->buf))
            s->buf[s->buf_pos] = v;
        fdc_exec_byte_done(s);
        break;
    default:
        /* Written while the controller talks: ignored. */
        break;
    }
}

static uint8_t fdc_fifo_read(struct fdc_state *s)
{
    switch (s->phase) {
    case PH_RESULT: {
        uint8_t v = s->res[s->res_pos < sizeof(s->res) ? s->res_pos : 0];
        if (s->res_pos == 0 && s->result_int) {
            s->result_int = false;
            fdc_update_irq(s);
        }
        if (++s->res_pos >= s->res_len)
            fdc_to_command(s);
        return v;
    }
    case PH_EXEC_OUT: {
        uint8_t v = s->buf[s->buf_pos < sizeof(s->buf) ? s->buf_pos : 0];
        fdc_exec_byte_done(s);
        return v;
    }
    default: return 0xff;
    }
}

static uint8_t fdc_msr(const struct fdc_state *s)
{
    if (s->in_reset)
        return 0;
    switch (s->phase) {
    case PH_COMMAND: return (uint8_t)(MSR_RQM | (s->cmd_pos ? MSR_CB : 0));
    case PH_EXEC_IN: return MSR_RQM | MSR_NDMA | MSR_CB;
    case PH_EXEC_OUT: return MSR_RQM | MSR_DIO | MSR_NDMA | MSR_CB;
    case PH_RESULT: return MSR_RQM | MSR_DIO | MSR_CB;
    }
    return MSR_RQM;
}

/* ---- the ports ---- */

static uint64_t fdc_read(void *opaque, struct mem_attrs attrs, uint64_t offset,
                         unsigned size)
{
    struct fdc_state *s = opaque;
    unsigned sel = s->dor & DOR_SEL;
    struct fdc_drive *d = sel < FDC_DRIVES ? &s->drive[sel] : NULL;
    (void)attrs, (void)size;
    switch (offset) {
    case 0: { /* SRA */
        uint8_t v = 0;
        if (s->irq_level || (fdc_int_pending(s) && !s->in_reset))
            v |= 0x80;
        if (!s->drive[1].blk)
            v |= 0x40;
        if (!d || d->pcn != 0)
            v |= 0x10;
        if (d && d->head)
            v |= 0x08;
        if (d && d->blk && d->blk->readonly)
            v |= 0x02;
        return v;
    }
    case 1: /* SRB */
        return (uint8_t)(0xc0 | ((s->dor & 1) ? 0x20 : 0) |
                         ((s->dor >> 4) & 0x03));
    case 2: return s->dor;
    case 3: return s->tdr & 3;
    case 4: return fdc_msr(s);
    case 5: return fdc_fifo_read(s);
    default: return 0xff;
    }
}

static void fdc_write(void *opaque, struct mem_attrs attrs, uint64_t offset,
                      uint64_t value, unsigned size)
{
    struct fdc_state *s = opaque;
    uint8_t v = (uint8_t)value;
    (void)attrs, (void)size;
    switch (offset) {
    case 2: { /* DOR */
        uint8_t old = s->dor;
        s->dor = v;
        if (!(v & DOR_NRESET)) {
            if (!s->in_reset) {
                s->in_reset = true;
                fdc_reset_controller(s);
            }
        } else if (!(old & DOR_NRESET) || s->in_reset) {
            fdc_leave_reset(s);
        }
        fdc_update_irq(s);
        break;
    }
    case 3: s->tdr = v & 3; break;
    case 4: /* DSR */
        s->rate = v & 3;
        if (v & 0x80) {
            /* Software reset; the bit clears itself. */
            s->in_reset = true;
            fdc_reset_controller(s);
            if (s->dor & DOR_NRESET)
                fdc_leave_reset(s);
        }
        fdc_update_irq(s);
        break;
    case 5:
        if (!s->in_reset)
            fdc_fifo_write(s, v);
        break;
    default: break;
    }
}

/* 0x3F7: DIR (read), CCR (write). */
static uint64_t fdc_dir_read(void *opaque, struct mem_attrs attrs,
                             uint64_t offset, unsigned size)
{
    struct fdc_state *s = opaque;
    unsigned sel = s->dor & DOR_SEL;
    (void)attrs, (void)offset, (void)size;
    return sel < FDC_DRIVES && s->drive[sel].changed ? 0x80 : 0x00;
}

static void fdc_ccr_write(void *opaque, struct mem_attrs attrs, uint64_t offset,
                          uint64_t value, unsigned size)
{
    struct fdc_state *s = opaque;
    (void)attrs, (void)offset, (void)size;
    s->rate = value & 3;
}

static const struct mem_ops fdc_ops = {
    .read = fdc_read,
    .write = fdc_write,
    .min_size = 1,
    .max_size = 1,
};
static const struct mem_ops fdc_dir_ops = {
    .read = fdc_dir_read,
    .write = fdc_ccr_write,
    .min_size = 1,
    .max_size = 1,
};

/* ---- the board's side ---- */

void fdc_connect_dma(struct fdc_state *s, struct dma_state *dma, int channel)
{
    s->dma = dma;
    s->dma_channel = channel;
}

void fdc_attach(struct fdc_state *s, int unit, struct block *blk,
                unsigned cylinders, unsigned heads, unsigned sectors)
{
    J_ASSERT(unit >= 0 && unit < FDC_DRIVES);
    struct fdc_drive *d = &s->drive[unit];
    d->blk = blk;
    d->cylinders = cylinders;
    d->heads = heads;
    d->sectors = sectors ? sectors : 1;
    /* DSR rates: 0 500 kb/s, 1 300, 2 250, 3 1 Mb/s. */
    d->rate = sectors >= 36 ? 3 : sectors >= 15 ? 0 : 2;
    d->changed = blk != NULL;
}

static void fdc_reset(struct device *dev)
{
    struct fdc_state *s = DEVICE_STATE(struct fdc_state, dev);
    s->lock = false;
    s->in_reset = false;
    fdc_reset_controller(s);
    s->dor = DOR_NRESET | DOR_DMA;
    s->tdr = 0;
    s->rate = 2; /* 250 kb/s */
    s->spec1 = s->spec2 = 0;
    s->perp = 0;
    s->last_eot = 0;
    s->pcn_extra[0] = s->pcn_extra[1] = 0;
    for (int i = 0; i < FDC_DRIVES; i++) {
        struct fdc_drive *d = &s->drive[i];
        d->pcn = d->track = d->head = 0;
        d->sect = 1;
        d->changed = d->blk != NULL;
    }
    fdc_update_irq(s);
}

static struct device *fdc_create(struct device_bus *bus, const uint64_t *prop)
{
    struct fdc_state *s = xcalloc(1, sizeof(*s));
    (void)prop;
    s->irq = isa_irq(bus, FDC_IRQ);
    s->dma_channel = 2;
    s->ports[0] = io_register(bus->io, "isa-fdc", FDC_BASE, 6, &fdc_ops, s);
    s->ports[1] =
        io_register(bus->io, "isa-fdc", FDC_BASE + 7, 1, &fdc_dir_ops, s);
    return &s->dev;
}

static void fdc_free(struct device *dev)
{
    struct fdc_state *s = DEVICE_STATE(struct fdc_state, dev);
    io_unregister(dev->bus->io, s->ports[0]);
    io_unregister(dev->bus->io, s->ports[1]);
    free(s);
}

const struct device_class fdc_device_class = {
    .name = "isa-fdc",
    .desc = "the 82077AA floppy disk controller (0x3F0, IRQ 6, DMA 2)",
    .create = fdc_create,
    .reset = fdc_reset,
    .free = fdc_free,
};
