/*
 * sdl_display.c - the -display sdl window (frontend/sdl_display.h).
 *
 * Picture: an SDL renderer and a streaming texture the size of the VGA's
 * frame; SDL_RenderSetLogicalSize scales it to the window keeping its
 * aspect ratio (letterboxed). Only the rows the window's view of the VGA
 * (vga_render_view) reports dirty are uploaded, once a display refresh:
 * a guest write to the VGA only marks it changed, the picture is drawn
 * by the tick below, never by the write.
 *
 * Two consoles, as QEMU's window has: Ctrl-Alt-1 the guest's display,
 * Ctrl-Alt-2 a monitor of its own (frontend/text_console.h drawn in a
 * second texture; typed text edits its line, Enter runs it, Backspace
 * takes back a character). It is there whether or not -monitor is given.
 *
 * Keys: SDL scancodes are USB HID usages, physical key positions, mapped
 * to set 2 by frontend/keymap.c; a host key repeat is sent as another make
 * code (typematic). Ctrl-Alt-F (full screen), Ctrl-Alt-G (release the
 * mouse), Ctrl-Alt-1/2 (the consoles) and Ctrl-Alt-V (paste) stay on the
 * host. Ctrl-Alt-V types the host clipboard's text into the guest as US
 * layout key presses, one key event at a time once the guest has read
 * the previous one's bytes (i8042_kbd_busy), so nothing overflows.
 *
 * Mouse: a click in the window grabs it (relative mouse mode); then
 * motion, buttons and wheel go to the PS/2 mouse. Ctrl-Alt-G releases it.
 *
 * Paused (the monitor's stop): machine_run calls sdl_idle instead of the
 * tick, which takes events, repaints what changed (the monitor console,
 * an exposed or resized window) and says "paused" in the title.
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
#include "frontend/monitor.h"
#include "frontend/text_console.h"

/* Virtual time between ticks: the display's refresh, about 60 Hz. */
#define SDL_TICK_NS (16666667)
/* Host time between two window updates (and between two title updates). */
#define SDL_FRAME_HOST_NS (15 * 1000 * 1000)
#define SDL_TITLE_HOST_NS (1000 * 1000 * 1000)
/* The monitor console: 80 x 25 cells of 9 x 16 (720 x 400, as mode 3). */
#define SDL_CON_COLS 80
#define SDL_CON_ROWS 25
/* Virtual time between two checks of a paste's next key event. */
#define SDL_PASTE_NS (1000 * 1000)
/* The longest clipboard text typed, in bytes. */
#define SDL_PASTE_MAX (64 * 1024)

struct sdl_display {
    struct machine *m;
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *tex;
    int tex_w, tex_h;
    struct vtimer tick;
    struct vga_view view; /* the rows of the VGA's picture seen */
    bool console;         /* Ctrl-Alt-2: the monitor console is shown */
    bool repaint;         /* present again (exposed, resized, switched) */
    SDL_Texture *con_tex; /* the monitor console's picture */
    int con_w, con_h;
    struct text_console *con;
    struct monitor *mon;
    /* Ctrl-Alt-V: key events still to send, (down << 16 | set 2 code) */
    uint32_t *paste;
    size_t paste_len, paste_pos;
    struct vtimer paste_timer;
    bool title_paused;    /* the title says paused */
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
    const char *hint = d->grabbed ? " - Press Ctrl-Alt-G to release the mouse"
                       : d->console ? " - monitor (Ctrl-Alt-1: the guest)"
                                    : "";
    d->title_paused = d->m->paused;
    snprintf(d->title, sizeof(d->title),
             "jet86 - %.0f MIPS, %.0f%% real time - %s%s", mips, pct,
             d->m->paused ? "paused" : "running", hint);
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


/* ---- Ctrl-Alt-V: the clipboard typed ---- */

static void sdl_paste_stop(struct sdl_display *d)
{
    vtimer_del(&d->paste_timer);
    free(d->paste);
    d->paste = NULL;
    d->paste_len = d->paste_pos = 0;
}

/* One key event each time the guest has read everything the keyboard
 * sent before: as fast as it reads, never more than it holds. */
static void sdl_paste_next(void *opaque)
{
    struct sdl_display *d = opaque;
    if (!i8042_kbd_busy(d->m->kbd)) {
        uint32_t ev = d->paste[d->paste_pos++];
        i8042_key(d->m->kbd, (uint16_t)ev, ev >> 16);
        if (d->paste_pos == d->paste_len) {
            sdl_paste_stop(d);
            return;
        }
    }
    vtimer_mod(&d->paste_timer, vclock_now(&d->m->clock) + SDL_PASTE_NS);
}

static void sdl_paste_add(struct sdl_display *d, size_t *n, uint16_t code,
                          bool down)
{
    d->paste[(*n)++] = (uint32_t)down << 16 | code;
}

static void sdl_paste(struct sdl_display *d)
{
    if (d->paste || !d->m->kbd || !SDL_HasClipboardText())
        return; /* one paste at a time */
    char *text = SDL_GetClipboardText();
    if (!text)
        return;
    size_t len = strnlen(text, SDL_PASTE_MAX);
    /* at most four events a character: Shift, the key, both released */
    d->paste = xmalloc(4 * len * sizeof(uint32_t) + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        uint16_t code;
        bool shift;
        /* CR LF and a lone CR are one Enter; what a US keyboard cannot
         * type (other control characters, non-ASCII) is left out */
        char c = text[i] == '\r' ? '\n' : text[i];
        if (text[i] == '\n' && i > 0 && text[i - 1] == '\r')
            continue;
        if (!keymap_ascii_to_set2(c, &code, &shift))
            continue;
        if (shift)
            sdl_paste_add(d, &n, KEYMAP_SET2_LSHIFT, true);
        sdl_paste_add(d, &n, code, true);
        sdl_paste_add(d, &n, code, false);
        if (shift)
            sdl_paste_add(d, &n, KEYMAP_SET2_LSHIFT, false);
    }
    SDL_free(text);
    if (!n) {
        sdl_paste_stop(d);
        return;
    }
    d->paste_len = n;
    d->paste_pos = 0;
    sdl_paste_next(d);
}

/* ---- the monitor console ---- */

static void sdl_con_output(void *opaque, const char *text, size_t len)
{
    struct sdl_display *d = opaque;
    text_console_write(d->con, text, len);
}

static void sdl_show_console(struct sdl_display *d, bool on)
{
    if (d->console == on)
        return;
    if (on) {
        /* the guest sees every key it holds go up, and loses the mouse */
        sdl_release_keys(d);
        sdl_grab(d, false);
        SDL_StartTextInput();
    } else {
        SDL_StopTextInput();
    }
    d->console = on;
    d->repaint = true;
    sdl_update_title(d, true);
}

static void sdl_con_key(struct sdl_display *d, const SDL_KeyboardEvent *k)
{
    char line[TEXT_CONSOLE_LINE_MAX + 1];
    switch (k->keysym.scancode) {
    case SDL_SCANCODE_RETURN:
    case SDL_SCANCODE_KP_ENTER:
        text_console_enter(d->con, line, sizeof(line));
        monitor_input(d->mon, line);
        monitor_prompt(d->mon);
        break;
    case SDL_SCANCODE_BACKSPACE: text_console_backspace(d->con); break;
    default: break;
    }
}

/* Ctrl-Alt-<key>: true when the key is a host hot key (and handled). */
static bool sdl_hot_key(struct sdl_display *d, const SDL_KeyboardEvent *k)
{
    /* the modifiers as they were at this key, not now: a tick takes
     * every event since the last one, releases included */
    Uint16 mod = k->keysym.mod;
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
    case SDL_SCANCODE_1:
        sdl_show_console(d, false);
        return true;
    case SDL_SCANCODE_2:
        sdl_show_console(d, true);
        return true;
    case SDL_SCANCODE_V:
        if (!k->repeat && !d->console) {
            /* the guest has Ctrl and Alt down: up they go first */
            sdl_release_keys(d);
            sdl_paste(d);
        }
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
        if (d->console) {
            if (ev->type == SDL_KEYDOWN)
                sdl_con_key(d, &ev->key);
            else
                sdl_key(d, sc, false); /* one held since before: up */
            break;
        }
        sdl_key(d, sc, ev->type == SDL_KEYDOWN);
        break;
    }
    case SDL_TEXTINPUT:
        if (d->console)
            for (const char *p = ev->text.text; *p; p++)
                text_console_type(d->con, *p);
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (d->console)
            break;
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
            /* SDL counts a turn up (away from the user) positive, negated
             * when it reports natural scrolling (flipped); an IntelliMouse
             * counts it -1 (Linux reports REL_WHEEL as minus the byte),
             * as QEMU's window sends it (tests/display/window.sh) */
            int dz = ev->wheel.direction == SDL_MOUSEWHEEL_FLIPPED
                         ? ev->wheel.y
                         : -ev->wheel.y;
            i8042_mouse(d->m->kbd, 0, 0, dz, d->buttons);
        }
        break;
    case SDL_WINDOWEVENT:
        switch (ev->window.event) {
        case SDL_WINDOWEVENT_FOCUS_LOST: sdl_release_keys(d); break;
        case SDL_WINDOWEVENT_EXPOSED:
        case SDL_WINDOWEVENT_SIZE_CHANGED:
        case SDL_WINDOWEVENT_RESIZED:
            d->repaint = true; /* the last frame again */
            break;
        default: break;
        }
        break;
    default: break;
    }
}

/* Rows y0..y1 of a w x h picture into *tex, made anew (all rows) when
 * missing or of another size. false when no texture can be had. */
static bool sdl_upload(struct sdl_display *d, SDL_Texture **tex, int *tw,
                       int *th, const uint32_t *pixels, int w, int h, int y0,
                       int y1)
{
    if (!*tex || w != *tw || h != *th) {
        if (*tex)
            SDL_DestroyTexture(*tex);
        *tex = SDL_CreateTexture(d->ren, SDL_PIXELFORMAT_RGB888,
                                 SDL_TEXTUREACCESS_STREAMING, w, h);
        if (!*tex)
            return false;
        *tw = w;
        *th = h;
        y0 = 0;
        y1 = h; /* a new texture: every row */
        d->repaint = true;
    }
    if (y0 < 0)
        y0 = 0;
    if (y1 > h)
        y1 = h;
    if (y0 < y1) {
        SDL_Rect r = { 0, y0, w, y1 - y0 };
        SDL_UpdateTexture(*tex, &r, pixels + (size_t)y0 * (size_t)w, w * 4);
        d->repaint = true;
    }
    return true;
}

/* Show the console in front: upload what changed, and when anything did
 * (or the window needs it) scale and present. */
static void sdl_render(struct sdl_display *d)
{
    SDL_Texture *tex;
    int w, h, y0, y1;
    if (d->console) {
        const uint32_t *px = text_console_render(d->con, &w, &h, &y0, &y1);
        if (!sdl_upload(d, &d->con_tex, &d->con_w, &d->con_h, px, w, h, y0,
                        y1))
            return;
        tex = d->con_tex;
    } else {
        struct vga_frame f;
        memset(&f, 0, sizeof(f));
        vga_render_view(d->m->vga, (uint64_t)vclock_now(&d->m->clock),
                        &d->view, &f);
        if (f.width <= 0 || f.height <= 0 || !f.pixels)
            return;
        if (!sdl_upload(d, &d->tex, &d->tex_w, &d->tex_h, f.pixels, f.width,
                        f.height, f.dirty_y0, f.dirty_y1))
            return;
        tex = d->tex;
        w = f.width;
        h = f.height;
    }
    if (!d->repaint)
        return;
    d->repaint = false;
    SDL_RenderSetLogicalSize(d->ren, w, h);
    SDL_SetRenderDrawColor(d->ren, 0, 0, 0, 255);
    SDL_RenderClear(d->ren);
    SDL_RenderCopy(d->ren, tex, NULL, NULL);
    SDL_RenderPresent(d->ren);
}

/* At most once a host refresh: the picture, and the title once a second
 * (or when paused or running changed). */
static void sdl_frame(struct sdl_display *d)
{
    int64_t host = host_clock_ns();
    if (host - d->last_frame_host < SDL_FRAME_HOST_NS)
        return;
    d->last_frame_host = host;
    sdl_render(d);
    sdl_update_title(d, d->title_paused != d->m->paused);
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
    sdl_frame(d);
    vtimer_mod(&d->tick, vclock_now(&d->m->clock) + SDL_TICK_NS);
}

/* The machine is paused: events and repaints go on (machine_run). */
static void sdl_idle(void *opaque, int wait_ms)
{
    struct sdl_display *d = opaque;
    SDL_Event ev;
    if (SDL_WaitEventTimeout(&ev, wait_ms > 0 ? wait_ms : 0))
        sdl_event(d, &ev);
    while (SDL_PollEvent(&ev))
        sdl_event(d, &ev);
    sdl_frame(d);
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
    /* Only the display the environment names: where that one cannot be
     * reached (a stale $DISPLAY), SDL would go on to a driver that draws
     * nowhere (offscreen) and the window would open unseen. */
    if (!(drv && *drv))
        SDL_SetHint(SDL_HINT_VIDEODRIVER, wl && *wl && x && *x ? "wayland,x11"
                                          : wl && *wl          ? "wayland"
                                                               : "x11");
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
    /* text input only while the monitor console takes it, so that an
     * input method never holds back the guest's keys */
    SDL_StopTextInput();
    d->con = text_console_new(SDL_CON_COLS, SDL_CON_ROWS);
    d->mon = monitor_new(m, sdl_con_output, d);
    static const char banner[] =
        "jet86 monitor - type 'help' for more information\n";
    text_console_write(d->con, banner, sizeof(banner) - 1);
    monitor_prompt(d->mon);
    d->title_host = host_clock_ns();
    d->title_virt = vclock_now(&m->clock);
    d->title_icount = m->cpu.icount;
    sdl_set_title(d, 0, 0);
    vtimer_init(&d->tick, &m->clock, sdl_tick, d);
    vtimer_init(&d->paste_timer, &m->clock, sdl_paste_next, d);
    vtimer_mod(&d->tick, vclock_now(&m->clock) + SDL_TICK_NS);
    machine_add_idle(m, sdl_idle, d);
    return d;
}

void sdl_display_free(struct sdl_display *d)
{
    if (!d)
        return;
    machine_remove_idle(d->m, sdl_idle, d);
    vtimer_del(&d->tick);
    sdl_paste_stop(d);
    monitor_free(d->mon);
    text_console_free(d->con);
    if (d->grabbed)
        SDL_SetRelativeMouseMode(SDL_FALSE);
    if (d->tex)
        SDL_DestroyTexture(d->tex);
    if (d->con_tex)
        SDL_DestroyTexture(d->con_tex);
    SDL_DestroyRenderer(d->ren);
    SDL_DestroyWindow(d->win);
    SDL_Quit();
    free(d);
}

#endif
