/*
 * conread.c - reads the text of the window's monitor console back from a
 * screenshot (PNG, libpng): each 9x16 cell of the picture is matched dot
 * for dot against the glyphs of the font the console draws with
 * (bios/font.h, 8x16), any non-black pixel being a dot. Prints one line
 * per row of cells, trailing blanks dropped; a cell no glyph matches (the
 * cursor's) is '#'.
 * usage: conread FILE [COLS ROWS]  (default 80 25); exit 1 on a bad PNG.
 */
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bios/font.h"

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 4) {
        fprintf(stderr, "usage: conread FILE [COLS ROWS]\n");
        return 2;
    }
    int cols = argc == 4 ? atoi(argv[2]) : 80;
    int rows = argc == 4 ? atoi(argv[3]) : 25;
    png_image img;
    memset(&img, 0, sizeof(img));
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, argv[1])) {
        fprintf(stderr, "conread: %s: %s\n", argv[1], img.message);
        return 1;
    }
    img.format = PNG_FORMAT_RGB;
    uint8_t *px = malloc(PNG_IMAGE_SIZE(img));
    if (!px || !png_image_finish_read(&img, NULL, px, 0, NULL)) {
        fprintf(stderr, "conread: %s: %s\n", argv[1], img.message);
        return 1;
    }
    int w = (int)img.width, h = (int)img.height;
    if (w < cols * 9 || h < rows * 16) {
        fprintf(stderr, "conread: %s: %dx%d is smaller than %dx%d cells\n",
                argv[1], w, h, cols, rows);
        return 1;
    }
    char *line = malloc((size_t)cols + 1);
    for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
            uint8_t g[16];
            for (int y = 0; y < 16; y++) {
                g[y] = 0;
                for (int x = 0; x < 8; x++) {
                    const uint8_t *p =
                        px + 3 * ((size_t)(r * 16 + y) * (size_t)w +
                                  (size_t)(c * 9 + x));
                    if (p[0] | p[1] | p[2])
                        g[y] |= (uint8_t)(0x80 >> x);
                }
            }
            char ch = '#';
            for (int k = 0x20; k < 0x7f; k++)
                if (!memcmp(g, bios_font_8x16 + k * 16, 16)) {
                    ch = (char)k;
                    break;
                }
            line[c] = ch;
        }
        int n = cols;
        while (n > 0 && line[n - 1] == ' ')
            n--;
        line[n] = 0;
        printf("%s\n", line);
    }
    free(line);
    free(px);
    return 0;
}
