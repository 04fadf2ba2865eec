/*
 * pngdiff.c - compares two PNGs pixel for pixel (libpng), for
 * tests/boot/gfxterm.sh: a screendump against its reference. Prints
 * "same WxH", or what differs: the sizes, or how many pixels and the
 * first of them (x, y, got, want).
 * usage: pngdiff GOT.png WANT.png; exit 0 same, 1 different, 2 unreadable.
 */
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The picture in file as RGB bytes, or NULL (the reason printed). */
static uint8_t *load(const char *file, png_image *img)
{
    memset(img, 0, sizeof(*img));
    img->version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(img, file)) {
        fprintf(stderr, "pngdiff: %s: %s\n", file, img->message);
        return NULL;
    }
    img->format = PNG_FORMAT_RGB;
    uint8_t *px = malloc(PNG_IMAGE_SIZE(*img));
    if (!px || !png_image_finish_read(img, NULL, px, 0, NULL)) {
        fprintf(stderr, "pngdiff: %s: %s\n", file, img->message);
        free(px);
        return NULL;
    }
    return px;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: pngdiff GOT.png WANT.png\n");
        return 2;
    }
    png_image a, b;
    uint8_t *pa = load(argv[1], &a);
    uint8_t *pb = pa ? load(argv[2], &b) : NULL;
    if (!pa || !pb) {
        free(pa);
        return 2;
    }
    int rc = 0;
    if (a.width != b.width || a.height != b.height) {
        printf("size %ux%u, want %ux%u\n", a.width, a.height, b.width,
               b.height);
        rc = 1;
    } else {
        size_t n = (size_t)a.width * a.height, diff = 0, first = 0;
        for (size_t i = 0; i < n; i++)
            if (memcmp(pa + 3 * i, pb + 3 * i, 3) != 0 && diff++ == 0)
                first = i;
        if (diff) {
            const uint8_t *g = pa + 3 * first, *w = pb + 3 * first;
            printf("%zu pixels differ, the first at %zu,%zu: "
                   "%02x%02x%02x, want %02x%02x%02x\n",
                   diff, first % a.width, first / a.width, g[0], g[1], g[2],
                   w[0], w[1], w[2]);
            rc = 1;
        } else {
            printf("same %ux%u\n", a.width, a.height);
        }
    }
    free(pa);
    free(pb);
    return rc;
}
