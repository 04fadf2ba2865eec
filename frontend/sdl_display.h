/*
 * sdl_display.h - the -display sdl window: the VGA's picture scaled to the
 * window (aspect kept, letterboxed), the host keyboard and mouse as the
 * PS/2 keyboard and mouse, closing the window as a power-off request.
 *
 * It lives on the virtual clock as a periodic vtimer (about 60 Hz): each
 * tick takes the host's events and, at most once per host refresh, shows
 * the rows the VGA says changed. Built only when ./configure found SDL2
 * (CONFIG_SDL).
 */
#ifndef FRONTEND_SDL_DISPLAY_H
#define FRONTEND_SDL_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>

struct machine;
struct sdl_display;

/* Open the window for m (its VGA and keyboard controller). NULL with a
 * message in err when no display can be used (no $DISPLAY, no video
 * driver) or SDL was not built in. */
struct sdl_display *sdl_display_open(struct machine *m, bool full_screen,
                                     char *err, size_t errlen);
void sdl_display_free(struct sdl_display *d);

#endif
