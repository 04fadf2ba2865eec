/*
 * pngcheck.c - reads a PNG the monitor's screendump wrote (libpng) and
 * prints what tests/monitor/run.sh checks:
 *   size W H
 *   pixel X Y RRGGBB         for each X,Y given on the command line
 *   colours RRGGBB ...       the distinct colours (at most 16 listed)
 *   lit Y0-Y1 N              pixels that are not black in rows Y0..Y1
 *                            (-r Y0 Y1)
 * usage: pngcheck FILE [-r Y0 Y1] [X,Y ...]; exit 1 if FILE is not a PNG.
 */
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: pngcheck FILE [-r Y0 Y1] [X,Y ...]\n");
        return 2;
    }
    png_image img;
    memset(&img, 0, sizeof(img));
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, argv[1])) {
        fprintf(stderr, "pngcheck: %s: %s\n", argv[1], img.message);
        return 1;
    }
    img.format = PNG_FORMAT_RGB;
    uint8_t *px = malloc(PNG_IMAGE_SIZE(img));
    if (!px || !png_image_finish_read(&img, NULL, px, 0, NULL)) {
        fprintf(stderr, "pngcheck: %s: %s\n", argv[1], img.message);
        return 1;
    }
    int w = (int)img.width, h = (int)img.height;
    printf("size %d %d\n", w, h);
#define AT(x, y) \
    ((uint32_t)px[3 * ((size_t)(y) * w + (x))] << 16 | \
     (uint32_t)px[3 * ((size_t)(y) * w + (x)) + 1] << 8 | \
     px[3 * ((size_t)(y) * w + (x)) + 2])
    int y0 = -1, y1 = -1;
    for (int i = 2; i < argc; i++) {
        int x, y;
        if (!strcmp(argv[i], "-r") && i + 2 < argc) {
            y0 = atoi(argv[i + 1]);
            y1 = atoi(argv[i + 2]);
            i += 2;
        } else if (sscanf(argv[i], "%d,%d", &x, &y) == 2 && x >= 0 &&
                   x < w && y >= 0 && y < h) {
            printf("pixel %d %d %06x\n", x, y, AT(x, y));
        } else {
            printf("pixel %s outside\n", argv[i]);
        }
    }
    uint32_t seen[16];
    int n = 0;
    long lit = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t c = AT(x, y);
            if (c && y >= y0 && y <= y1)
                lit++;
            int k;
            for (k = 0; k < n && seen[k] != c; k++)
                ;
            if (k == n && n < 16)
                seen[n++] = c;
        }
    printf("colours");
    for (int k = 0; k < n; k++)
        printf(" %06x", seen[k]);
    printf("\n");
    if (y0 >= 0)
        printf("lit %d-%d %ld\n", y0, y1, lit);
    free(px);
    return 0;
}
