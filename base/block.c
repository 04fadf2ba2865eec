/*
 * block.c - raw disk images with write-through and an optional in-memory
 * snapshot overlay (base/block.h).
 */
#include "base/block.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

/* The snapshot overlay: sectors written since open, in a hash table of
 * chains keyed by sector number. */
#define OVERLAY_BUCKETS 1024u

struct overlay_sector {
    uint64_t lba;
    struct overlay_sector *next;
    uint8_t data[BLOCK_OVERLAY_SECTOR];
};

struct block_overlay {
    struct overlay_sector *bucket[OVERLAY_BUCKETS];
};

/* Open images, for block_flush_all (few: a PC has at most six drives). */
#define BLOCK_MAX_OPEN 16
static struct block *open_images[BLOCK_MAX_OPEN];

static void registry_add(struct block *b)
{
    for (int i = 0; i < BLOCK_MAX_OPEN; i++)
        if (!open_images[i]) {
            open_images[i] = b;
            return;
        }
}

static void registry_remove(struct block *b)
{
    for (int i = 0; i < BLOCK_MAX_OPEN; i++)
        if (open_images[i] == b)
            open_images[i] = NULL;
}

struct block *block_open(const char *path, bool readonly, bool snapshot,
                         char *err, size_t errlen)
{
    int flags = (readonly || snapshot) ? O_RDONLY : O_RDWR;
    int fd = open(path, flags | O_CLOEXEC);
    struct stat st;

    if (fd < 0) {
        if (errno == EACCES && flags == O_RDWR)
            snprintf(err, errlen,
                     "%s: not writable (%s; add readonly=on or use "
                     "-snapshot)",
                     path, strerror(errno));
        else
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        close(fd);
        return NULL;
    }
    struct block *b = xcalloc(1, sizeof(*b));
    b->path = xstrdup(path);
    b->fd = fd;
    b->size = (uint64_t)st.st_size;
    b->readonly = readonly;
    b->snapshot = snapshot && !readonly;
    if (b->snapshot)
        b->overlay = xcalloc(1, sizeof(*b->overlay));
    registry_add(b);
    return b;
}

static struct overlay_sector *overlay_find(struct block_overlay *o,
                                           uint64_t lba)
{
    struct overlay_sector *s = o->bucket[lba % OVERLAY_BUCKETS];
    while (s && s->lba != lba)
        s = s->next;
    return s;
}

/* Host file read, whole length; bytes past the end of file read as zero
 * (a file may shrink under us). */
static int file_read(struct block *b, uint64_t offset, uint8_t *buf,
                     size_t len)
{
    while (len) {
        ssize_t n = pread(b->fd, buf, len, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0) {
            memset(buf, 0, len);
            return 0;
        }
        buf += n;
        offset += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

static bool in_range(const struct block *b, uint64_t offset, size_t len)
{
    return offset <= b->size && len <= b->size - offset;
}

int block_read(struct block *b, uint64_t offset, void *buf, size_t len)
{
    uint8_t *p = buf;
    if (!in_range(b, offset, len))
        return -1;
    if (!b->overlay)
        return file_read(b, offset, p, len);
    while (len) {
        uint64_t lba = offset / BLOCK_OVERLAY_SECTOR;
        size_t in = (size_t)(offset % BLOCK_OVERLAY_SECTOR);
        size_t n = BLOCK_OVERLAY_SECTOR - in;
        if (n > len)
            n = len;
        struct overlay_sector *s = overlay_find(b->overlay, lba);
        if (s)
            memcpy(p, s->data + in, n);
        else if (file_read(b, offset, p, n) != 0)
            return -1;
        p += n;
        offset += n;
        len -= n;
    }
    return 0;
}

static int overlay_write(struct block *b, uint64_t offset, const uint8_t *p,
                         size_t len)
{
    while (len) {
        uint64_t lba = offset / BLOCK_OVERLAY_SECTOR;
        size_t in = (size_t)(offset % BLOCK_OVERLAY_SECTOR);
        size_t n = BLOCK_OVERLAY_SECTOR - in;
        if (n > len)
            n = len;
        struct overlay_sector *s = overlay_find(b->overlay, lba);
        if (!s) {
            uint64_t base = lba * BLOCK_OVERLAY_SECTOR;
            size_t have = BLOCK_OVERLAY_SECTOR;
            s = xcalloc(1, sizeof(*s));
            if (base + have > b->size)
                have = (size_t)(b->size - base);
            if (file_read(b, base, s->data, have) != 0) {
                free(s);
                return -1;
            }
            s->lba = lba;
            s->next = b->overlay->bucket[lba % OVERLAY_BUCKETS];
            b->overlay->bucket[lba % OVERLAY_BUCKETS] = s;
        }
        memcpy(s->data + in, p, n);
        p += n;
        offset += n;
        len -= n;
    }
    return 0;
}

int block_write(struct block *b, uint64_t offset, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    if (b->readonly || !in_range(b, offset, len))
        return -1;
    if (b->overlay)
        return overlay_write(b, offset, p, len);
    while (len) {
        ssize_t n = pwrite(b->fd, p, len, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        offset += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

void block_flush(struct block *b)
{
    if (b && !b->readonly && !b->snapshot)
        fsync(b->fd);
}

void block_flush_all(void)
{
    for (int i = 0; i < BLOCK_MAX_OPEN; i++)
        block_flush(open_images[i]);
}

void block_close(struct block *b)
{
    if (!b)
        return;
    block_flush(b);
    registry_remove(b);
    close(b->fd);
    if (b->overlay) {
        for (unsigned i = 0; i < OVERLAY_BUCKETS; i++) {
            struct overlay_sector *s = b->overlay->bucket[i];
            while (s) {
                struct overlay_sector *next = s->next;
                free(s);
                s = next;
            }
        }
        free(b->overlay);
    }
    free(b->path);
    free(b);
}
