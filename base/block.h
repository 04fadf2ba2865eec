/*
 * block.h - the block layer: a disk image file seen as an array of bytes
 * that devices (IDE, floppy controller) and the firmware (INT 13h) read
 * and write. It lives in base/, the bottom layer, because it knows
 * nothing of the guest: both devices/ and bios/ sit on it.
 *
 * Images are raw (format=raw, the only one). Writes go through to the
 * file with pwrite, so a write the guest saw complete is in the file
 * even if jet86 is killed; block_close (and block_flush) fsync. With
 * snapshot (-snapshot) the file is opened read-only and writes land in
 * an in-memory overlay of 512-byte sectors that dies with the process.
 * A read-only image (readonly=on, CD-ROM) refuses writes.
 */
#ifndef BASE_BLOCK_H
#define BASE_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BLOCK_OVERLAY_SECTOR 512u

struct block_overlay;

struct block {
    char *path;
    int fd;
    uint64_t size;      /* bytes, fixed at open */
    bool readonly;      /* refuses writes */
    bool snapshot;      /* writes go to the overlay, never the file */
    struct block_overlay *overlay;
};

/* Open path. readonly: O_RDONLY, writes refused; snapshot: O_RDONLY and
 * writes kept in memory. On an error, a message naming the file (and the
 * OS reason) in err, and NULL. */
struct block *block_open(const char *path, bool readonly, bool snapshot,
                         char *err, size_t errlen);
/* Read or write len bytes at offset. 0, or -1 when the range is outside
 * the image, the image refuses writes, or the host I/O failed. */
int block_read(struct block *b, uint64_t offset, void *buf, size_t len);
int block_write(struct block *b, uint64_t offset, const void *buf,
                size_t len);
/* fsync the file (nothing for read-only and snapshot images). */
void block_flush(struct block *b);
/* Flush and close; NULL is fine. */
void block_close(struct block *b);

/* Every image open, for an exit path that must flush them all (a signal,
 * an exit() from the middle of a run): flushes each. */
void block_flush_all(void);

#endif
