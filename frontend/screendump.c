/*
 * screendump.c - the guest's screen to a file: a PNG of the picture the
 * display shows, or the text screen as text.
 */
#include "frontend/screendump.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/vga.h"
#include "frontend/machine.h"

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && !strcmp(s + n - k, suffix);
}

int screendump_png(const char *path, int width, int height,
                   const uint32_t *pixels, char *err, size_t size)
{
    if (width <= 0 || height <= 0 || width > 16384 || height > 16384) {
        snprintf(err, size, "%s: no picture to write (%dx%d)", path, width,
                 height);
        return -1;
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, size, "%s: %s", path, strerror(errno));
        return -1;
    }
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    /* volatile: kept across libpng's longjmp */
    uint8_t *volatile row = malloc((size_t)width * 3);
    if (!png || !info || !row || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        fclose(f);
        snprintf(err, size, "%s: cannot write the PNG", path);
        return -1;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < height; y++) {
        const uint32_t *src = pixels + (size_t)y * (size_t)width;
        for (int x = 0; x < width; x++) {
            row[3 * x] = (uint8_t)(src[x] >> 16);
            row[3 * x + 1] = (uint8_t)(src[x] >> 8);
            row[3 * x + 2] = (uint8_t)src[x];
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    if (fclose(f) != 0) {
        snprintf(err, size, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int screendump_txt(struct machine *m, const char *path, char *err,
                          size_t size)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, size, "%s: %s", path, strerror(errno));
        return -1;
    }
    vga_text_dump(m->vga, f);
    if (fclose(f) != 0) {
        snprintf(err, size, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int screendump(struct machine *m, const char *path, char *err, size_t size)
{
    if (!m->vga) {
        snprintf(err, size, "this machine has no display");
        return -1;
    }
    if (has_suffix(path, ".txt"))
        return screendump_txt(m, path, err, size);
    if (has_suffix(path, ".png")) {
        /* a view of its own: the window's dirty rows stay the window's */
        struct vga_view view = { 0 };
        struct vga_frame f;
        vga_render_view(m->vga, (uint64_t)vclock_now(&m->clock), &view, &f);
        return screendump_png(path, f.width, f.height, f.pixels, err, size);
    }
    snprintf(err, size, "%s: the name must end in .png or .txt", path);
    return -1;
}
