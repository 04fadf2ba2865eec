/*
 * pngcheck.c - reads a PNG the monitor's screendump wrote (libpng) and
 * prints what tests/monitor/run.sh checks:
 *   size W H
 *   pixel X Y RRGGBB         for each X,Y given on the command line
 *   colours RRGGBB ...       the distinct colours (at most 16 listed)
 *   lit Y0-Y1 N              pixels that are not black in rows Y0..Y1
 *                            (-r Y0 Y1)
 * usage: pngcheck FILE [-r Y0 Y1] [X,Y ...]; exit 1 if FILE is not a PNG.
 *
 * Compare mode (tests/display/screenref.sh): pngcheck -c GOT REF compares
 * GOT pixel for pixel with the reference REF and prints one line,
 *   same WxH                                            (exit 0)
 *   differ N of WxH pixels, first X,Y: got RRGGBB want RRGGBB  (exit 1)
 *   size WxH, reference W2xH2                           (exit 1)
 * REF may be an integer multiple of GOT's size in each direction: QEMU
 * draws a 256-colour VGA mode 640 dots wide and shows each scan-doubled
 * row twice, where jet86's frame has the mode's own 320xN pixels. Then
 * GOT pixel (X,Y) stands for the block of REF pixels (X*SX..X*SX+SX-1,
 * Y*SY..) and differs when any of them differs (the first one is shown
 * as "want"). Exit 2 when a file cannot be read.
 */
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct image {
    int w, h;
    uint8_t *px; /* RGB, rows top to bottom */
};

static int load(const char *path, struct image *im)
{
    png_image img;
    memset(&img, 0, sizeof(img));
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path)) {
        fprintf(stderr, "pngcheck: %s: %s\n", path, img.message);
        return -1;
    }
    img.format = PNG_FORMAT_RGB;
    im->px = malloc(PNG_IMAGE_SIZE(img));
    if (!im->px || !png_image_finish_read(&img, NULL, im->px, 0, NULL)) {
        fprintf(stderr, "pngcheck: %s: %s\n", path, img.message);
        free(im->px);
        return -1;
    }
    im->w = (int)img.width;
    im->h = (int)img.height;
    return 0;
}

static uint32_t at(const struct image *im, int x, int y)
{
    const uint8_t *p = im->px + 3 * ((size_t)y * (size_t)im->w + (size_t)x);
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static int compare(const char *got_path, const char *ref_path)
{
    struct image got, ref;
    if (load(got_path, &got) != 0)
        return 2;
    if (load(ref_path, &ref) != 0) {
        free(got.px);
        return 2;
    }
    int rc = 0;
    if (ref.w % got.w || ref.h % got.h) {
        printf("size %dx%d, reference %dx%d\n", got.w, got.h, ref.w, ref.h);
        rc = 1;
    } else {
        int sx = ref.w / got.w, sy = ref.h / got.h;
        long n = 0;
        int fx = -1, fy = -1;
        uint32_t fgot = 0, fwant = 0;
        for (int y = 0; y < got.h; y++)
            for (int x = 0; x < got.w; x++) {
                uint32_t c = at(&got, x, y);
                for (int k = 0; k < sx * sy; k++) {
                    uint32_t r = at(&ref, x * sx + k % sx, y * sy + k / sx);
                    if (r == c)
                        continue;
                    if (n++ == 0) {
                        fx = x;
                        fy = y;
                        fgot = c;
                        fwant = r;
                    }
                    break;
                }
            }
        if (n) {
            printf("differ %ld of %dx%d pixels, first %d,%d: got %06x want "
                   "%06x\n",
                   n, got.w, got.h, fx, fy, fgot, fwant);
            rc = 1;
        } else {
            printf("same %dx%d\n", got.w, got.h);
        }
    }
    free(got.px);
    free(ref.px);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "-c"))
        return compare(argv[2], argv[3]);
    if (argc < 2 || !strcmp(argv[1], "-c")) {
        fprintf(stderr, "usage: pngcheck FILE [-r Y0 Y1] [X,Y ...]\n"
                        "       pngcheck -c GOT REF\n");
        return 2;
    }
    struct image im;
    if (load(argv[1], &im) != 0)
        return 1;
    int w = im.w, h = im.h;
    printf("size %d %d\n", w, h);
    int y0 = -1, y1 = -1;
    for (int i = 2; i < argc; i++) {
        int x, y;
        if (!strcmp(argv[i], "-r") && i + 2 < argc) {
            y0 = atoi(argv[i + 1]);
            y1 = atoi(argv[i + 2]);
            i += 2;
        } else if (sscanf(argv[i], "%d,%d", &x, &y) == 2 && x >= 0 && x < w &&
                   y >= 0 && y < h) {
            printf("pixel %d %d %06x\n", x, y, at(&im, x, y));
        } else {
            printf("pixel %s outside\n", argv[i]);
        }
    }
    uint32_t seen[16];
    int n = 0;
    long lit = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t c = at(&im, x, y);
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
    free(im.px);
    return 0;
}
