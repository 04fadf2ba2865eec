/*
 * drives.c - disk flags into drives for the BIOS (frontend/drives.h).
 *
 * Numbering as a PC BIOS does: floppies 00h/01h by index, hard disks
 * from 80h in IDE index order (hda, hdb...), the CD-ROM (the first IDE
 * drive with media=cdrom) 0E0h, the number El Torito boots it with.
 */
#include "frontend/drives.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/block.h"
#include "base/util.h"
#include "bios/bios.h"
#include "frontend/console.h"

static int set_error(char *err, size_t errlen, const char *fmt,
                     const char *what)
{
    snprintf(err, errlen, fmt, what);
    return -1;
}

static int drive_key(struct drive_config *d, const char *key,
                     const char *val, char *err, size_t errlen)
{
    if (!strcmp(key, "file")) {
        d->file = val;
    } else if (!strcmp(key, "format")) {
        if (strcmp(val, "raw") != 0)
            return set_error(err, errlen,
                             "format=%s: only raw images are supported",
                             val);
    } else if (!strcmp(key, "if")) {
        if (!strcmp(val, "ide"))
            d->iface = DRIVE_IF_IDE;
        else if (!strcmp(val, "floppy"))
            d->iface = DRIVE_IF_FLOPPY;
        else
            return set_error(err, errlen, "if=%s: expected ide or floppy",
                             val);
    } else if (!strcmp(key, "media")) {
        if (!strcmp(val, "disk"))
            d->cdrom = false;
        else if (!strcmp(val, "cdrom"))
            d->cdrom = true;
        else
            return set_error(err, errlen,
                             "media=%s: expected disk or cdrom", val);
    } else if (!strcmp(key, "index")) {
        char *end;
        long v = strtol(val, &end, 10);
        if (!*val || *end || v < 0 || v > 3)
            return set_error(err, errlen, "index=%s: expected 0 to 3", val);
        d->index = (int)v;
    } else if (!strcmp(key, "readonly")) {
        if (!strcmp(val, "on"))
            d->readonly = true;
        else if (!strcmp(val, "off"))
            d->readonly = false;
        else
            return set_error(err, errlen, "readonly=%s: expected on or off",
                             val);
    } else {
        return set_error(err, errlen,
                         "unknown key '%s' (file, format, if, media, index, "
                         "readonly)",
                         key);
    }
    return 0;
}

int drive_parse(const char *spec, struct drive_config *d, char *err,
                size_t errlen)
{
    char *copy = xstrdup(spec); /* kept: d->file points into it */
    d->iface = DRIVE_IF_IDE;
    d->index = -1;
    for (char *item = strtok(copy, ","); item; item = strtok(NULL, ",")) {
        char *eq = strchr(item, '=');
        if (!eq)
            return set_error(err, errlen, "'%s' is not KEY=VALUE", item);
        *eq = 0;
        if (drive_key(d, item, eq + 1, err, errlen) != 0)
            return -1;
    }
    if (!d->file)
        return set_error(err, errlen, "%s", "missing file=PATH");
    if (d->iface == DRIVE_IF_FLOPPY && d->index > 1)
        return set_error(err, errlen, "%s", "a floppy index is 0 or 1");
    if (d->iface == DRIVE_IF_FLOPPY && d->cdrom)
        return set_error(err, errlen, "%s", "media=cdrom needs if=ide");
    return 0;
}

int boot_order_parse(const char *spec, char *out, char *err, size_t errlen)
{
    const char *order = spec;
    if (!strncmp(spec, "order=", 6))
        order = spec + 6;
    size_t n = strcspn(order, ",");
    if (n == 0 || n > BIOS_BOOT_ORDER_MAX)
        return set_error(err, errlen, "%s", "expected 1 to 8 of a, c, d");
    for (size_t i = 0; i < n; i++) {
        if (order[i] != 'a' && order[i] != 'c' && order[i] != 'd') {
            char c[2] = { order[i], 0 };
            return set_error(err, errlen,
                             "boot device '%s' (a floppy, c disk, d CD-ROM)",
                             c);
        }
        out[i] = order[i];
    }
    out[n] = 0;
    return 0;
}

/* SIGTERM, SIGINT, SIGHUP, SIGQUIT: what was written is in the files
 * already (pwrite); fsync it to the disk, then die of the signal. */
static void drives_signal(int sig)
{
    block_flush_all();
    console_restore_tty();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Slots: IDE 0-3 and floppies 0-1 in index order, each given once. */
static void assign_indexes(const struct drive_config *cfg, int n, int *slot)
{
    bool used[2][4] = { { false } };
    for (int i = 0; i < n; i++)
        if (cfg[i].index >= 0) {
            bool *u = &used[cfg[i].iface][cfg[i].index];
            if (*u)
                fatal("%s %s: index %d of if=%s is taken", cfg[i].flag,
                      cfg[i].file, cfg[i].index,
                      cfg[i].iface == DRIVE_IF_IDE ? "ide" : "floppy");
            *u = true;
            slot[i] = cfg[i].index;
        }
    for (int i = 0; i < n; i++) {
        if (cfg[i].index >= 0)
            continue;
        int max = cfg[i].iface == DRIVE_IF_IDE ? 4 : 2;
        int k = 0;
        while (k < max && used[cfg[i].iface][k])
            k++;
        if (k == max)
            fatal("%s %s: no free %s slot", cfg[i].flag, cfg[i].file,
                  cfg[i].iface == DRIVE_IF_IDE ? "IDE" : "floppy");
        used[cfg[i].iface][k] = true;
        slot[i] = k;
    }
}

void drives_open(struct bios *b, const struct drive_config *cfg, int n,
                 bool snapshot)
{
    int slot[MACHINE_MAX_DRIVES];
    assign_indexes(cfg, n, slot);
    /* IDE in index order so that hard disk numbers follow hda, hdb... */
    uint8_t next_hd = 0x80;
    bool have_cd = false;
    for (int pass = 0; pass < 2; pass++) {
        for (int s = 0; s < 4; s++) {
            for (int i = 0; i < n; i++) {
                const struct drive_config *c = &cfg[i];
                bool ide = c->iface == DRIVE_IF_IDE;
                if (slot[i] != s || (pass == 0) != ide)
                    continue;
                char err[512];
                const char *why;
                bool ro = c->readonly || c->cdrom;
                struct block *blk =
                    block_open(c->file, ro, snapshot, err, sizeof(err));
                if (!blk)
                    fatal("%s: %s", c->flag, err);
                enum disk_kind kind = !ide      ? DISK_FLOPPY
                                      : c->cdrom ? DISK_CDROM
                                                 : DISK_HD;
                uint8_t num = kind == DISK_FLOPPY ? (uint8_t)s
                              : kind == DISK_CDROM ? 0xe0
                                                   : next_hd++;
                if (kind == DISK_CDROM && have_cd)
                    fatal("%s %s: only one CD-ROM drive is supported",
                          c->flag, c->file);
                have_cd |= kind == DISK_CDROM;
                struct bios_drive *d = &b->drives[b->n_drives];
                if (!disk_drive_init(d, blk, kind, num, &why))
                    fatal("%s %s: %s", c->flag, c->file, why);
                d->unit = (uint8_t)s;
                b->n_drives++;
            }
        }
    }
    static bool at_exit;
    if (n && !at_exit) {
        /* exit() from the middle of a run (Ctrl-A x, isa-debug-exit, a
         * fatal error) fsyncs too */
        atexit(block_flush_all);
        at_exit = true;
    }
    if (n) {
        signal(SIGTERM, drives_signal);
        signal(SIGINT, drives_signal);
        signal(SIGHUP, drives_signal);
        signal(SIGQUIT, drives_signal);
    }
}

void drives_close(struct bios *b)
{
    for (int i = 0; i < b->n_drives; i++) {
        block_close(b->drives[i].blk);
        b->drives[i].blk = NULL;
    }
    b->n_drives = 0;
}
