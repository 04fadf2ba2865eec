/*
 * int13.c - INT 13h, the disk services, over the drives' block images
 * (bios/bios.h, bios/disk.h): CHS functions 00h-08h, 15h, the EDD 3.0
 * extensions 41h-48h (Phoenix "BIOS Enhanced Disk Drive Specification"
 * 3.0) and the El Torito status call 4Bh ("El Torito" Bootable CD-ROM
 * Format Specification 1.0, section 5).
 */
#include "bios/bios.h"

#include <string.h>

#include "bios/rom.h"
#include "softmmu/ldst.h"

/* AH status codes. */
enum {
    DISK_OK = 0x00,
    DISK_BAD_COMMAND = 0x01,
    DISK_WRITE_PROTECTED = 0x03,
    DISK_NOT_FOUND = 0x04,
};

#define BDA_HD_COUNT 0x475u

static struct bios_drive *find_drive(struct bios *b, uint8_t number)
{
    for (int i = 0; i < b->n_drives; i++)
        if (b->drives[i].number == number)
            return &b->drives[i];
    return NULL;
}

static int count_kind(struct bios *b, enum disk_kind k)
{
    int n = 0;
    for (int i = 0; i < b->n_drives; i++)
        n += b->drives[i].kind == k;
    return n;
}

/* Move count sectors between the image at lba and guest memory at addr;
 * returns how many were moved. */
static uint32_t transfer(struct bios *b, struct bios_drive *d, uint64_t lba,
                         uint32_t count, uint64_t addr, bool write)
{
    uint8_t buf[CD_SECTOR];
    uint32_t ss = d->sector_size;
    for (uint32_t i = 0; i < count; i++, addr += ss) {
        if (lba >= d->sectors || i >= d->sectors - lba)
            return i; /* past the end (without wrapping a huge LBA) */
        uint64_t off = (lba + i) * ss;
        if (write) {
            phys_read(b->mem, addr, buf, ss);
            if (block_write(d->blk, off, buf, ss) != 0)
                return i;
        } else {
            if (block_read(d->blk, off, buf, ss) != 0)
                return i;
            phys_write(b->mem, addr, buf, ss);
        }
    }
    return count;
}

static void finish(struct bios_drive *d, struct bios_regs *r, uint8_t st)
{
    if (d)
        d->status = st;
    bios_set_ah(r, st);
    bios_set_cf(r, st != DISK_OK);
}

/* AH=02h/03h/04h: AL sectors at cylinder CH + CL[7:6] << 8, head DH,
 * sector CL[5:0], to or from ES:BX. */
static uint8_t chs_rw(struct bios *b, struct bios_drive *d,
                      struct bios_regs *r, int op)
{
    uint32_t c = BIOS_CH(r) | ((uint32_t)(BIOS_CL(r) & 0xc0) << 2);
    uint32_t s = BIOS_CL(r) & 0x3f;
    uint32_t count = BIOS_AL(r);
    uint64_t lba;

    if (d->kind == DISK_CDROM || count == 0 || count > 128)
        return DISK_BAD_COMMAND;
    if (!disk_chs_to_lba(&d->geo, c, BIOS_DH(r), s, &lba))
        return DISK_NOT_FOUND;
    if (op == 3 && d->blk->readonly)
        return DISK_WRITE_PROTECTED;
    uint32_t done = count;
    if (op == 4)
        done = lba + count <= d->sectors ? count
                                         : (uint32_t)(d->sectors - lba);
    else
        done = transfer(b, d, lba, count,
                        bios_lin(r->es, BIOS_BX(r)), op == 3);
    bios_set_al(r, (uint8_t)done);
    return done == count ? DISK_OK : DISK_NOT_FOUND;
}

/* The cylinders AH=08h and AH=15h report: a hard disk's last cylinder
 * is kept back, as the PC/AT BIOS kept it for diagnostics and SeaBIOS
 * still does (a one-cylinder disk keeps it). */
static uint32_t reported_cylinders(const struct bios_drive *d)
{
    uint32_t c = d->geo.cylinders;
    return d->kind == DISK_HD && c > 1 ? c - 1 : c;
}

/* AH=08h: the geometry, maxima counted from 0. */
static uint8_t params(struct bios *b, struct bios_drive *d,
                      struct bios_regs *r)
{
    if (d->kind == DISK_CDROM)
        return DISK_BAD_COMMAND;
    uint32_t maxc = reported_cylinders(d) - 1;
    bios_set_ch(r, (uint8_t)maxc);
    bios_set_cl(r, (uint8_t)(d->geo.sectors | ((maxc >> 2) & 0xc0)));
    bios_set_dh(r, (uint8_t)(d->geo.heads - 1));
    bios_set_al(r, 0);
    if (d->kind == DISK_FLOPPY) {
        bios_set_bl(r, d->floppy_type);
        bios_set_dl(r, (uint8_t)count_kind(b, DISK_FLOPPY));
        r->es = 0xf000;
        bios_set_di(r, BIOS_DPT_OFFSET);
    } else {
        bios_set_dl(r, bios_rb(b, BDA_HD_COUNT));
    }
    return DISK_OK;
}

/* AH=42h/43h/44h: the disk address packet at DS:SI (EDD 3.0 table 1):
 * size, reserved, block count (word), buffer offset:segment, LBA (qword),
 * and from size 0x18 a 64-bit flat buffer used when the far one is
 * FFFF:FFFF. */
static uint8_t ext_rw(struct bios *b, struct bios_drive *d,
                      struct bios_regs *r, int op)
{
    uint32_t pkt = bios_lin(r->ds, BIOS_SI(r));
    uint8_t size = bios_rb(b, pkt);
    uint32_t count = bios_rw(b, pkt + 2);
    uint32_t far = bios_rl(b, pkt + 4);
    uint64_t lba = bios_rl(b, pkt + 8) | ((uint64_t)bios_rl(b, pkt + 12) << 32);
    uint64_t addr = bios_lin((uint16_t)(far >> 16), (uint16_t)far);

    if (size < 0x10)
        return DISK_BAD_COMMAND;
    if (far == 0xffffffffu && size >= 0x18)
        addr = bios_rl(b, pkt + 16) | ((uint64_t)bios_rl(b, pkt + 20) << 32);
    if (op == 0x43 && d->blk->readonly)
        return DISK_WRITE_PROTECTED;
    uint32_t done;
    if (op == 0x44)
        done = lba >= d->sectors ? 0
               : lba + count <= d->sectors ? count
                                           : (uint32_t)(d->sectors - lba);
    else
        done = transfer(b, d, lba, count, addr, op == 0x43);
    bios_ww(b, pkt + 2, (uint16_t)done);
    return done == count ? DISK_OK : DISK_NOT_FOUND;
}

/* AH=48h: the result buffer at DS:SI (EDD 3.0 table 6): its size, info
 * flags, geometry, sector count and size; from 0x1E bytes the DPTE
 * pointer, none (FFFF:FFFF). */
static uint8_t ext_params(struct bios *b, struct bios_drive *d,
                          struct bios_regs *r)
{
    uint32_t p = bios_lin(r->ds, BIOS_SI(r));
    uint16_t size = bios_rw(b, p);
    if (size < 0x1a)
        return DISK_BAD_COMMAND;
    size = size >= 0x1e ? 0x1e : 0x1a;
    bool cd = d->kind == DISK_CDROM;
    bios_ww(b, p, size);
    /* bit 1: the geometry is valid; a CD: removable (2), change line
     * (4), lockable (5), 0x74 as BIOSes report it */
    bios_ww(b, p + 2, cd ? 0x0074 : 0x0002);
    bios_wl(b, p + 4, cd ? 0xffffffffu : d->geo.cylinders);
    bios_wl(b, p + 8, cd ? 0xffffffffu : d->geo.heads);
    bios_wl(b, p + 12, cd ? 0xffffffffu : d->geo.sectors);
    bios_wl(b, p + 16, (uint32_t)d->sectors);
    bios_wl(b, p + 20, (uint32_t)(d->sectors >> 32));
    bios_ww(b, p + 24, (uint16_t)d->sector_size);
    if (size >= 0x1e)
        bios_wl(b, p + 26, 0xffffffffu);
    return DISK_OK;
}

/* AX=4B01h: the El Torito specification packet (table 13) into DS:SI,
 * for the no-emulation boot drive. AL=00h would end an emulation; there
 * is none to end, and the same packet is returned. */
static uint8_t cd_status(struct bios *b, struct bios_drive *d,
                         struct bios_regs *r)
{
    uint32_t p = bios_lin(r->ds, BIOS_SI(r));
    if (d->kind != DISK_CDROM)
        return DISK_BAD_COMMAND;
    bios_wb(b, p, 0x13);
    bios_wb(b, p + 1, 0x00); /* no emulation */
    bios_wb(b, p + 2, d->number);
    bios_wb(b, p + 3, 0); /* controller */
    bios_wl(b, p + 4, b->cd_boot_lba);
    bios_ww(b, p + 8, 0); /* device specification */
    bios_ww(b, p + 10, 0);
    bios_ww(b, p + 12, b->cd_load_seg);
    bios_ww(b, p + 14, b->cd_load_count);
    bios_wb(b, p + 16, 0);
    bios_wb(b, p + 17, 0);
    bios_wb(b, p + 18, 0);
    return DISK_OK;
}

int bios_int13(struct bios *b, struct bios_regs *r)
{
    uint8_t fn = BIOS_AH(r);
    struct bios_drive *d = find_drive(b, BIOS_DL(r));
    uint8_t st = DISK_OK;

    if (!d) {
        /* AH=15h on an absent drive: "no such drive" in AH, no error */
        if (fn == 0x15) {
            bios_set_ah(r, 0);
            bios_set_cf(r, false);
        } else {
            finish(NULL, r, DISK_BAD_COMMAND); /* as SeaBIOS */
        }
        return BIOS_STATUS_DONE;
    }
    switch (fn) {
    case 0x00: break;
    case 0x01:
        st = d->status;
        bios_set_ah(r, st);
        bios_set_cf(r, st != DISK_OK);
        return BIOS_STATUS_DONE; /* the status itself is not changed */
    case 0x02:
    case 0x03:
    case 0x04: st = chs_rw(b, d, r, fn); break;
    case 0x08: st = params(b, d, r); break;
    case 0x15:
        if (d->kind == DISK_HD) {
            uint32_t n =
                reported_cylinders(d) * d->geo.heads * d->geo.sectors;
            bios_set_cx(r, (uint16_t)(n >> 16));
            bios_set_dx(r, (uint16_t)n);
        }
        d->status = DISK_OK;
        /* 3: fixed disk; 1: diskette without change line, as SeaBIOS
         * reports a floppy; 2: removable with change line (the CD) */
        bios_set_ah(r, d->kind == DISK_HD ? 3 : d->kind == DISK_FLOPPY ? 1 : 2);
        bios_set_cf(r, false);
        return BIOS_STATUS_DONE;
    case 0x41:
        if (BIOS_BX(r) != 0x55aa || d->kind == DISK_FLOPPY) {
            st = DISK_BAD_COMMAND;
            break;
        }
        bios_set_bx(r, 0xaa55);
        bios_set_cx(r, 0x0007); /* packet access, locking, EDD */
        d->status = DISK_OK;
        bios_set_ah(r, 0x30);   /* EDD 3.0 */
        bios_set_cf(r, false);
        return BIOS_STATUS_DONE;
    case 0x42:
    case 0x43:
    case 0x44:
        st = d->kind == DISK_FLOPPY ? DISK_BAD_COMMAND : ext_rw(b, d, r, fn);
        break;
    case 0x47: break; /* extended seek */
    case 0x48:
        st = d->kind == DISK_FLOPPY ? DISK_BAD_COMMAND : ext_params(b, d, r);
        break;
    case 0x4b: st = cd_status(b, d, r); break;
    default: st = DISK_BAD_COMMAND; break;
    }
    finish(d, r, st);
    return BIOS_STATUS_DONE;
}
