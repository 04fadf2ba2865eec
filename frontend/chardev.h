/*
 * chardev.h - QEMU's named character back ends on the command line:
 *
 *   -chardev stdio,id=ID | file,id=ID,path=PATH | null,id=ID
 *   -serial chardev:ID
 *   -device isa-debugcon[,iobase=N],chardev=ID
 *
 * A chardev is defined once and used by one front end (COM1 or a debug
 * console port), as in QEMU; the flags may come in any order, the uses
 * are resolved once the command line is read.
 */
#ifndef FRONTEND_CHARDEV_H
#define FRONTEND_CHARDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frontend/machine.h"

/* Parse -chardev's argument into c (strings point into arg's copy, which
 * is kept). On an error a message (without the flag) in err and
 * non-zero. */
int chardev_parse(const char *arg, struct chardev_config *c, char *err,
                  size_t errlen);

/* Is arg a -device isa-debugcon spec? */
bool chardev_is_debugcon_device(const char *arg);
/* Parse "isa-debugcon[,iobase=N][,chardev=ID]" into d (iobase default
 * 0xe9; chardev is required). On an error a message in err and non-zero. */
int chardev_parse_debugcon(const char *arg, struct debugcon_config *d,
                           char *err, size_t errlen);

/* Resolve the uses: -serial chardev:ID (cfg->serial_chardev) and each
 * debug console's chardev, into kinds and paths. Unknown ids, duplicate
 * ids and a chardev used twice are errors (message in err, non-zero). */
int chardev_resolve(struct machine_config *cfg, char *err, size_t errlen);

#endif
