/*
 * sdl_display.c - the -display sdl window (frontend/sdl_display.h).
 *
 * Picture: an SDL renderer and a streaming texture the size of the VGA's
 * frame; SDL_RenderSetLogicalSize scales it to the window keeping its
 * aspect ratio (letterboxed). Only the rows vga_render() reports dirty are
 * uploaded.
 *
 * Keys: SDL scancodes are USB HID usages, physical key positions, mapped
 * to set 2 by frontend/keymap.c; a host key repeat is sent as another make
 * code (typematic). Ctrl-Alt-F (full screen), Ctrl-Alt-G (release the
 * mouse) and Ctrl-Alt-2 (monitor, not there yet) stay on the host.
 *
 * Mouse: a click in the window grabs it (relative mouse mode); then
 * motion, buttons and wheel go to the PS/2 mouse. Ctrl-Alt-G releases it.
 */
#include "frontend/sdl_display.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "frontend/machine.h"

#ifndef CONFIG_SDL

struct sdl_display *sdl_display_open(struct machine *m, bool full_screen,
                                     char *err, size_t errlen)
{
    (void)m;
    (void)full_screen;
    snprintf(err, errlen, "this jet86 was built without SDL");
    return NULL;
}

void sdl_display_free(struct sdl_display *d)
{
    (void)d;
}

#else

#include <SDL.h>

#include "devices/i8042.h"
#include "devices/ps2.h"
#include "devices/vga.h"
#include "frontend/keymap.h"

/* Virtual time between ticks: the display's refresh, about 60 Hz. */
#define SDL_TICK_NS (16666667)
/* Host time between two window updates (and between two title updates). */
#define SDL_FRAME_HOST_NS (15 * 1000 * 1000)
#define SDL_TITLE_HOST_NS (1000 * 1000 * 1000)

struct sdl_display {
    struct machine *m;
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *tex;
    int tex_w, tex_h;
    struct vtimer tick;
    struct vga_view view; /* the rows of the VGA's picture seen */
    int64_t last_frame_host;
    bool full_screen;
    bool grabbed;
    unsigned buttons;               /* PS2_BUTTON_* held */
    bool held[SDL_NUM_SCANCODES];   /* keys down as the guest knows them */
    bool hot[SDL_NUM_SCANCODES];    /* keys kept from the guest (hot keys) */
    /* MIPS and real-time share for the title */
    int64_t title_host, title_virt;
    uint64_t title_icount;
    char title[160];
};

static void sdl_set_title(struct sdl_display *d, double mips, double pct)
{
    snprintf(d->title, sizeof(d->title),
             "jet86 - %.0f MIPS, %.0f%% real time - %s%s", mips, pct,
             d->m->stop ? "paused" : "running",
             d->grabbed ? " - Press Ctrl-Alt-G to release the mouse" : "");
    SDL_SetWindowTitle(d->win, d->title);
}

static void sdl_update_title(struct sdl_display *d, bool force)
{
    int64_t host = host_clock_ns();
    int64_t dh = host - d->title_host;
    if (!force && dh < SDL_TITLE_HOST_NS)
        return;
    int64_t virt = vclock_now(&d->m->clock);
    uint64_t ic = d->m->cpu.icount;
    double mips = 0, pct = 0;
    if (dh > 0) {
        mips = (double)(ic - d->title_icount) * 1e3 / (double)dh;
        pct = (double)(virt - d->title_virt) * 100.0 / (double)dh;
    }
    if (!force || dh >= SDL_TITLE_HOST_NS) {
        d->title_host = host;
        d->title_virt = virt;
        d->title_icount = ic;
    }
    sdl_set_title(d, mips, pct);
}

static void sdl_grab(struct sdl_display *d, bool on)
{
    if (d->grabbed == on)
        return;
    if (SDL_SetRelativeMouseMode(on ? SDL_TRUE : SDL_FALSE) != 0 && on)
        return; /* no relative mode: stay ungrabbed */
    SDL_SetWindowGrab(d->win, on ? SDL_TRUE : SDL_FALSE);
    d->grabbed = on;
    if (!on && d->buttons) {
        d->buttons = 0;
        i8042_mouse(d->m->kbd, 0, 0, 0, 0);
    }
    sdl_update_title(d, true);
}

static void sdl_key(struct sdl_display *d, SDL_Scancode sc, bool down)
{
    if ((unsigned)sc >= SDL_NUM_SCANCODES)
        return;
    uint16_t code = keymap_usb_to_set2((unsigned)sc);
    if (!code)
        return;
    if (!down && !d->held[sc])
        return; /* its make code never went to the guest */
    d->held[sc] = down;
    i8042_key(d->m->kbd, code, down);
}

/* Every key the guest thinks is down goes up (focus lost, hot key). */
static void sdl_release_keys(struct sdl_display *d)
{
    for (int i = 0; i < SDL_NUM_SCANCODES; i++)
        if (d->held[i])
            sdl_key(d, (SDL_Scancode)i, false);
}

/* Ctrl-Alt-<key>: true when the key is a host hot key (and handled). */
static bool sdl_hot_key(struct sdl_display *d, const SDL_KeyboardEvent *k)
{
    SDL_Keymod mod = SDL_GetModState();
    if (!(mod & KMOD_CTRL) || !(mod & KMOD_ALT))
        return false;
    switch (k->keysym.scancode) {
    case SDL_SCANCODE_F:
        if (!k->repeat) {
            d->full_screen = !d->full_screen;
            SDL_SetWindowFullscreen(
                d->win, d->full_screen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
        }
        return true;
    case SDL_SCANCODE_G:
        if (!k->repeat)
            sdl_grab(d, false);
        return true;
    case SDL_SCANCODE_2:
        /* the monitor console is not part of this build yet */
        return true;
    default:
        return false;
    }
}

static unsigned sdl_button(Uint8 b)
{
    switch (b) {
    case SDL_BUTTON_LEFT: return PS2_BUTTON_LEFT;
    case SDL_BUTTON_RIGHT: return PS2_BUTTON_RIGHT;
    case SDL_BUTTON_MIDDLE: return PS2_BUTTON_MIDDLE;
    case SDL_BUTTON_X1: return PS2_BUTTON_4;
    case SDL_BUTTON_X2: return PS2_BUTTON_5;
    default: return 0;
    }
}

static void sdl_event(struct sdl_display *d, const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_QUIT:
        /* closing the window powers the machine off, as QEMU's does */
        machine_request_stop(d->m, 0);
        break;
    case SDL_KEYDOWN:
    case SDL_KEYUP: {
        SDL_Scancode sc = ev->key.keysym.scancode;
        if ((unsigned)sc >= SDL_NUM_SCANCODES)
            break;
        if (ev->type == SDL_KEYDOWN && sdl_hot_key(d, &ev->key)) {
            d->hot[sc] = true;
            break;
        }
        if (ev->type == SDL_KEYUP && d->hot[sc]) {
            d->hot[sc] = false;
            break;
        }
        sdl_key(d, sc, ev->type == SDL_KEYDOWN);
        break;
    }
    case SDL_MOUSEBUTTONDOWN:
        if (!d->grabbed) {
            sdl_grab(d, true); /* the grabbing click stays on the host */
            break;
        }
        d->buttons |= sdl_button(ev->button.button);
        i8042_mouse(d->m->kbd, 0, 0, 0, d->buttons);
        break;
    case SDL_MOUSEBUTTONUP:
        if (!d->grabbed)
            break;
        d->buttons &= ~sdl_button(ev->button.button);
        i8042_mouse(d->m->kbd, 0, 0, 0, d->buttons);
        break;
    case SDL_MOUSEMOTION:
        if (d->grabbed && (ev->motion.xrel || ev->motion.yrel))
            i8042_mouse(d->m->kbd, ev->motion.xrel, ev->motion.yrel, 0,
                        d->buttons);
        break;
    case SDL_MOUSEWHEEL:
        if (d->grabbed && ev->wheel.y) {
            int dz = ev->wheel.direction == SDL_MOUSEWHEEL_FLIPPED
                         ? ev->wheel.y
                         : -ev->wheel.y; /* SDL: up positive; PS/2: down */
            i8042_mouse(d->m->kbd, 0, 0, dz, d->buttons);
        }
        break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_FOCUS_LOST)
            sdl_release_keys(d);
        break;
    default: break;
    }
}

/* Show the VGA's frame: upload its dirty rows, scale, present. */
static void sdl_render(struct sdl_display *d)
{
    struct vga_frame f;
    memset(&f, 0, sizeof(f));
    vga_render_view(d->m->vga, (uint64_t)vclock_now(&d->m->clock), &d->view,
                    &f);
    if (f.width <= 0 || f.height <= 0 || !f.pixels)
        return;
    int y0 = f.dirty_y0, y1 = f.dirty_y1;
    if (!d->tex || f.width != d->tex_w || f.height != d->tex_h) {
        if (d->tex)
            SDL_DestroyTexture(d->tex);
        d->tex = SDL_CreateTexture(d->ren, SDL_PIXELFORMAT_RGB888,
                                   SDL_TEXTUREACCESS_STREAMING, f.width,
                                   f.height);
        if (!d->tex)
            return;
        d->tex_w = f.width;
        d->tex_h = f.height;
        SDL_RenderSetLogicalSize(d->ren, f.width, f.height);
        y0 = 0;
        y1 = f.height; /* a new texture: every row */
    }
    if (y0 < 0)
        y0 = 0;
    if (y1 > f.height)
        y1 = f.height;
    if (y0 < y1) {
        SDL_Rect r = { 0, y0, f.width, y1 - y0 };
        SDL_UpdateTexture(d->tex, &r, f.pixels + (size_t)y0 * (size_t)f.width,
                          f.width * 4);
    }
    SDL_SetRenderDrawColor(d->ren, 0, 0, 0, 255);
    SDL_RenderClear(d->ren);
    SDL_RenderCopy(d->ren, d->tex, NULL, NULL);
    SDL_RenderPresent(d->ren);
}

static void sdl_tick(void *opaque)
{
    struct sdl_display *d = opaque;
    SDL_Event ev;

    /* With -icount an idle CPU skips to the next deadline: wait for host
     * events here a little, so an idle guest does not spin the host. */
    if (d->m->cfg.icount && d->m->cpu.halted) {
        if (SDL_WaitEventTimeout(&ev, 10))
            sdl_event(d, &ev);
    }
    while (SDL_PollEvent(&ev))
        sdl_event(d, &ev);
    int64_t host = host_clock_ns();
    if (host - d->last_frame_host >= SDL_FRAME_HOST_NS) {
        d->last_frame_host = host;
        sdl_render(d);
        sdl_update_title(d, false);
    }
    vtimer_mod(&d->tick, vclock_now(&d->m->clock) + SDL_TICK_NS);
}

struct sdl_display *sdl_display_open(struct machine *m, bool full_screen,
                                     char *err, size_t errlen)
{
    if (!m->vga) {
        snprintf(err, errlen, "the machine has no VGA (-vga none)");
        return NULL;
    }
    /* Without an X or Wayland display SDL may still find a video driver
     * (KMS/DRM, offscreen) that shows nothing here; SDL_VIDEODRIVER set
     * by the user is taken as meant. */
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    const char *drv = getenv("SDL_VIDEODRIVER");
    if (!(x && *x) && !(wl && *wl) && !(drv && *drv)) {
        snprintf(err, errlen, "no usable display ($DISPLAY and "
                              "$WAYLAND_DISPLAY are unset)");
        return NULL;
    }
    /* keep the screen saver and Ctrl-C handling to the host's defaults */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "1");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        snprintf(err, errlen, "no usable display (SDL: %s)", SDL_GetError());
        return NULL;
    }
    struct sdl_display *d = xcalloc(1, sizeof(*d));
    d->m = m;
    d->full_screen = full_screen;
    d->win = SDL_CreateWindow(
        "jet86", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 720, 400,
        SDL_WINDOW_RESIZABLE |
            (full_screen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0));
    if (d->win)
        d->ren = SDL_CreateRenderer(d->win, -1, 0);
    if (!d->win || !d->ren) {
        snprintf(err, errlen, "cannot open a window (SDL: %s)",
                 SDL_GetError());
        if (d->win)
            SDL_DestroyWindow(d->win);
        free(d);
        SDL_Quit();
        return NULL;
    }
    d->title_host = host_clock_ns();
    d->title_virt = vclock_now(&m->clock);
    d->title_icount = m->cpu.icount;
    sdl_set_title(d, 0, 0);
    vtimer_init(&d->tick, &m->clock, sdl_tick, d);
    vtimer_mod(&d->tick, vclock_now(&m->clock) + SDL_TICK_NS);
    return d;
}

void sdl_display_free(struct sdl_display *d)
{
    if (!d)
        return;
    vtimer_del(&d->tick);
    if (d->grabbed)
        SDL_SetRelativeMouseMode(SDL_FALSE);
    if (d->tex)
        SDL_DestroyTexture(d->tex);
    SDL_DestroyRenderer(d->ren);
    SDL_DestroyWindow(d->win);
    SDL_Quit();
    free(d);
}

#endif
