/*
 * boot.c - INT 19h, the bootstrap loader (bios/bios.h): tries the boot
 * devices in -boot order (a: the first floppy, c: the first hard disk,
 * d: the CD-ROM) and starts the first that boots, as PC BIOSes do:
 *   - a floppy or a hard disk: its first sector loaded at 0000:7C00, the
 *     signature 0xAA55 at its end checked, DL = the drive;
 *   - a CD: El Torito no-emulation boot ("El Torito" Bootable CD-ROM
 *     Format Specification 1.0): the boot record volume descriptor at
 *     sector 17 points at the boot catalog, whose initial entry gives the
 *     load segment (0: 07C0h), the count of 512-byte sectors and the
 *     image's first 2048-byte sector; DL = 0xE0.
 * Nothing bootable: INT 18h's message ("No bootable device.").
 */
#include "bios/bios.h"

#include <string.h>

#include "bios/rom.h"
#include "softmmu/ldst.h"

#define BOOT_ADDR 0x7c00u
#define ELTORITO_BRVD_LBA 17

static struct bios_drive *first_of(struct bios *b, enum disk_kind k)
{
    for (int i = 0; i < b->n_drives; i++)
        if (b->drives[i].kind == k)
            return &b->drives[i];
    return NULL;
}

static bool boot_sector(struct bios *b, struct bios_drive *d)
{
    uint8_t sec[DISK_SECTOR];
    if (block_read(d->blk, 0, sec, sizeof(sec)) != 0)
        return false;
    if (sec[510] != 0x55 || sec[511] != 0xaa) {
        bios_puts(b, "Boot failed: not a bootable disk\r\n");
        return false;
    }
    phys_write(b->mem, BOOT_ADDR, sec, sizeof(sec));
    return true;
}

/* The boot catalog's validation entry: header 1, key 55h AAh, and the
 * 16 words summing to zero (section 2.1). */
static bool catalog_valid(const uint8_t *e)
{
    uint16_t sum = 0;
    for (int i = 0; i < 32; i += 2)
        sum = (uint16_t)(sum + lduw_le_p(e + i));
    return e[0] == 1 && e[30] == 0x55 && e[31] == 0xaa && sum == 0;
}

static bool boot_cd(struct bios *b, struct bios_drive *d, uint16_t *ip,
                    uint16_t *cs)
{
    static const char brvd_id[] = "\0CD001\1EL TORITO SPECIFICATION";
    uint8_t sec[CD_SECTOR];

    if (block_read(d->blk, (uint64_t)ELTORITO_BRVD_LBA * CD_SECTOR, sec,
                   sizeof(sec)) != 0 ||
        memcmp(sec, brvd_id, sizeof(brvd_id) - 1) != 0) {
        bios_puts(b, "Boot failed: could not read from CDROM\r\n");
        return false;
    }
    uint32_t catalog = ldl_le_p(sec + 0x47);
    if (block_read(d->blk, (uint64_t)catalog * CD_SECTOR, sec, sizeof(sec)) !=
            0 ||
        !catalog_valid(sec) || sec[32] != 0x88 || sec[33] != 0) {
        bios_puts(b, "Boot failed: no bootable no-emulation image on "
                     "CDROM\r\n");
        return false;
    }
    uint16_t seg = lduw_le_p(sec + 34);
    uint16_t count = lduw_le_p(sec + 38);
    uint32_t lba = ldl_le_p(sec + 40);
    if (seg == 0)
        seg = BOOT_ADDR >> 4;
    uint64_t bytes = (uint64_t)count * DISK_SECTOR;
    uint64_t at = (uint64_t)lba * CD_SECTOR;
    if (at > d->blk->size || bytes > d->blk->size - at ||
        ((uint64_t)seg << 4) + bytes > 0xa0000) {
        bios_puts(b, "Boot failed: bad El Torito boot image\r\n");
        return false;
    }
    for (uint64_t done = 0; done < bytes; done += CD_SECTOR) {
        uint64_t n = bytes - done < CD_SECTOR ? bytes - done : CD_SECTOR;
        if (block_read(d->blk, at + done, sec, (size_t)n) != 0)
            return false;
        phys_write(b->mem, ((uint64_t)seg << 4) + done, sec, n);
    }
    b->cd_boot_lba = lba;
    b->cd_load_seg = seg;
    b->cd_load_count = count;
    *cs = seg == (BOOT_ADDR >> 4) ? 0 : seg;
    *ip = seg == (BOOT_ADDR >> 4) ? (uint16_t)BOOT_ADDR : 0;
    return true;
}

bool bios_boot(struct bios *b, struct bios_regs *r, uint16_t *ip,
               uint16_t *cs)
{
    for (const char *o = b->boot_order; *o; o++) {
        struct bios_drive *d =
            first_of(b, *o == 'a' ? DISK_FLOPPY
                        : *o == 'c' ? DISK_HD
                                    : DISK_CDROM);
        if (!d)
            continue;
        bool ok;
        if (d->kind == DISK_CDROM) {
            ok = boot_cd(b, d, ip, cs);
        } else {
            ok = boot_sector(b, d);
            *ip = BOOT_ADDR;
            *cs = 0;
        }
        if (ok) {
            bios_set_dl(r, d->number);
            return true;
        }
    }
    bios_puts(b, BIOS_NO_BOOT_MSG);
    return false;
}
