/*
 * firmware.c - reading an external firmware image (bios/firmware.h).
 */
#include "bios/firmware.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/util.h"

int firmware_load(const char *path, uint8_t **data, size_t *size, char *err,
                  size_t errlen)
{
    FILE *f = fopen(path, "rb");
    struct stat st;

    if (!f) {
        snprintf(err, errlen, "-bios %s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "-bios %s: not a regular file", path);
        fclose(f);
        return -1;
    }
    if (st.st_size < (off_t)FIRMWARE_MIN_SIZE ||
        st.st_size > (off_t)FIRMWARE_MAX_SIZE ||
        st.st_size % (off_t)FIRMWARE_MIN_SIZE != 0) {
        snprintf(err, errlen,
                 "-bios %s: %lld bytes; a firmware image is a whole number "
                 "of 64 KiB blocks, 64 KiB to 2 MiB",
                 path, (long long)st.st_size);
        fclose(f);
        return -1;
    }
    size_t n = (size_t)st.st_size;
    uint8_t *buf = xmalloc(n);
    if (fread(buf, 1, n, f) != n) {
        snprintf(err, errlen, "-bios %s: %s", path,
                 ferror(f) ? strerror(errno) : "file shrank while read");
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    *data = buf;
    *size = n;
    return 0;
}
