/*
 * screendump.h - the guest's screen to a file: FILE.png is the picture
 * the display shows (libpng), FILE.txt the alphanumeric screen as text
 * (vga_text_dump). Used by the monitor's screendump command.
 */
#ifndef FRONTEND_SCREENDUMP_H
#define FRONTEND_SCREENDUMP_H

#include <stddef.h>
#include <stdint.h>

struct machine;

/* Write m's screen to path, by its suffix (.png or .txt). 0, or -1 with
 * the reason in err. */
int screendump(struct machine *m, const char *path, char *err, size_t size);

/* width x height pixels 0x00RRGGBB, row after row, as an 8-bit RGB PNG.
 * 0, or -1 with the reason in err. */
int screendump_png(const char *path, int width, int height,
                   const uint32_t *pixels, char *err, size_t size);

#endif
