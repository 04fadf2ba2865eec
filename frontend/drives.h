/*
 * drives.h - the disk flags (-hda..-hdd, -cdrom, -fda/-fdb, -drive,
 * -boot, -snapshot) into drive configurations, and opening them for the
 * BIOS (bios/disk.h) over the block layer (base/block.h).
 */
#ifndef FRONTEND_DRIVES_H
#define FRONTEND_DRIVES_H

#include <stdbool.h>
#include <stddef.h>

#define MACHINE_MAX_DRIVES 8

enum drive_if { DRIVE_IF_IDE, DRIVE_IF_FLOPPY };

struct drive_config {
    const char *flag;  /* "-hda", "-drive", ...: for messages */
    const char *file;
    enum drive_if iface;
    bool cdrom;        /* media=cdrom */
    int index;         /* IDE 0-3 (hda-hdd), floppy 0-1; -1: the next free */
    bool readonly;
};

struct bios;

/* -drive SPEC: file=PATH,format=raw,if=ide|floppy,media=disk|cdrom,
 * index=N,readonly=on|off. On an error a message (without the flag) in
 * err and non-zero. */
int drive_parse(const char *spec, struct drive_config *d, char *err,
                size_t errlen);
/* -boot a|c|d|order=LETTERS[,...]: the order into out (at most 8
 * letters); non-zero on an error. */
int boot_order_parse(const char *spec, char *out, char *err, size_t errlen);

/* Open every drive (snapshot: writes in memory) into b's drive list;
 * errors name the flag and the file and exit. Installs the signal
 * handlers that fsync the images before the process dies. */
void drives_open(struct bios *b, const struct drive_config *cfg, int n,
                 bool snapshot);
/* fsync and close the drives' images. */
void drives_close(struct bios *b);

#endif
