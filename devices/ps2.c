/*
 * ps2.c - the PS/2 keyboard and mouse (devices/ps2.h): their command sets
 * as the IBM PS/2 Technical Reference and the MF2 keyboard documents give
 * them, their output queues, and scan code set 2 to set 1 conversion.
 *
 * Not modelled: typematic repeat (a held key sends its make code once;
 * the host's own repeat, if any, arrives as further key-down events), scan
 * code set 3 (asking for it is acknowledged and the keyboard stays in its
 * set), and the timing of the serial line (a byte is there at once).
 */
#include "devices/ps2.h"

#include <string.h>

/* ---- queues ---- */

void ps2_queue_clear(struct ps2_queue *q)
{
    q->head = 0;
    q->count = 0;
}

bool ps2_queue_empty(const struct ps2_queue *q)
{
    return q->count == 0;
}

static int ps2_queue_room(const struct ps2_queue *q)
{
    return PS2_QUEUE_SIZE - q->count;
}

/* A byte in the queue; when full, the byte is lost (the device's own
 * buffer overran). */
static void ps2_queue_push(struct ps2_queue *q, uint8_t b)
{
    if (q->count == PS2_QUEUE_SIZE)
        return;
    q->data[(q->head + q->count) % PS2_QUEUE_SIZE] = b;
    q->count++;
}

uint8_t ps2_queue_pop(struct ps2_queue *q)
{
    if (q->count == 0)
        return 0;
    uint8_t b = q->data[q->head];
    q->head = (q->head + 1) % PS2_QUEUE_SIZE;
    q->count--;
    return b;
}

/* ---- scan codes ---- */

/* The 8042's translation table, set 2 -> set 1, for bytes 00-7F; of
 * the bytes above, 83 (F7) and 84 (Alt+SysRq) are translated and the rest
 * (prefixes, command answers) pass unchanged. */
static const uint8_t xlate[0x80] = {
    0xff, 0x43, 0x41, 0x3f, 0x3d, 0x3b, 0x3c, 0x58, /* 00 */
    0x64, 0x44, 0x42, 0x40, 0x3e, 0x0f, 0x29, 0x59,
    0x65, 0x38, 0x2a, 0x70, 0x1d, 0x10, 0x02, 0x5a, /* 10 */
    0x66, 0x71, 0x2c, 0x1f, 0x1e, 0x11, 0x03, 0x5b,
    0x67, 0x2e, 0x2d, 0x20, 0x12, 0x05, 0x04, 0x5c, /* 20 */
    0x68, 0x39, 0x2f, 0x21, 0x14, 0x13, 0x06, 0x5d,
    0x69, 0x31, 0x30, 0x23, 0x22, 0x15, 0x07, 0x5e, /* 30 */
    0x6a, 0x72, 0x32, 0x24, 0x16, 0x08, 0x09, 0x5f,
    0x6b, 0x33, 0x25, 0x17, 0x18, 0x0b, 0x0a, 0x60, /* 40 */
    0x6c, 0x34, 0x35, 0x26, 0x27, 0x19, 0x0c, 0x61,
    0x6d, 0x73, 0x28, 0x74, 0x1a, 0x0d, 0x62, 0x6e, /* 50 */
    0x3a, 0x36, 0x1c, 0x1b, 0x75, 0x2b, 0x63, 0x76,
    0x55, 0x56, 0x77, 0x78, 0x79, 0x7a, 0x0e, 0x7b, /* 60 */
    0x7c, 0x4f, 0x7d, 0x4b, 0x47, 0x7e, 0x7f, 0x6f,
    0x52, 0x53, 0x50, 0x4c, 0x4d, 0x48, 0x01, 0x45, /* 70 */
    0x57, 0x4e, 0x51, 0x4a, 0x37, 0x49, 0x46, 0x54,
};

uint8_t ps2_set2_to_set1(uint8_t code)
{
    if (code < 0x80)
        return xlate[code];
    if (code == 0x83)
        return 0x41;
    if (code == 0x84)
        return 0x54;
    return code;
}

/* ---- keyboard ---- */

static void kbd_send(struct ps2_kbd *k, uint8_t b)
{
    k->last = b;
    ps2_queue_push(&k->q, b);
}

/* The defaults F5 and F6 restore (and reset). */
static void kbd_defaults(struct ps2_kbd *k)
{
    k->typematic = 0x2b; /* 10.9 characters/s after 500 ms */
    k->set = 2;
}

void ps2_kbd_reset(struct ps2_kbd *k)
{
    ps2_queue_clear(&k->q);
    k->pending = 0;
    k->leds = 0;
    k->scanning = true;
    kbd_defaults(k);
}

/* The parameter byte of a two-byte command. */
static void kbd_param(struct ps2_kbd *k, uint8_t cmd, uint8_t b)
{
    switch (cmd) {
    case 0xed: /* set LEDs */
        k->leds = b & 7;
        kbd_send(k, PS2_ACK);
        break;
    case 0xf0: /* scan code set: 0 asks, 1-3 set */
        kbd_send(k, PS2_ACK);
        if (b == 0)
            kbd_send(k, (uint8_t)k->set);
        else if (b == 1 || b == 2)
            k->set = b;
        break;
    case 0xf3: /* typematic rate and delay */
        k->typematic = b & 0x7f;
        kbd_send(k, PS2_ACK);
        break;
    }
}

void ps2_kbd_write(struct ps2_kbd *k, uint8_t b)
{
    if (k->pending) {
        uint8_t cmd = k->pending;
        k->pending = 0;
        /* A command byte in place of the parameter starts a new command
         * (the keyboard checks for ED's parameter range). */
        if (!(cmd == 0xed && b >= 0xed)) {
            kbd_param(k, cmd, b);
            return;
        }
    }
    switch (b) {
    case 0xed: case 0xf0: case 0xf3:
        kbd_send(k, PS2_ACK);
        k->pending = b;
        break;
    case 0xee: /* echo */
        kbd_send(k, 0xee);
        break;
    case 0xf2: /* identify: an MF2 keyboard */
        kbd_send(k, PS2_ACK);
        kbd_send(k, 0xab);
        kbd_send(k, 0x83);
        break;
    case 0xf4: /* enable scanning; the output buffer is cleared */
        ps2_queue_clear(&k->q);
        k->scanning = true;
        kbd_send(k, PS2_ACK);
        break;
    case 0xf5: /* disable scanning, defaults */
        ps2_queue_clear(&k->q);
        k->scanning = false;
        kbd_defaults(k);
        kbd_send(k, PS2_ACK);
        break;
    case 0xf6: /* defaults */
        ps2_queue_clear(&k->q);
        kbd_defaults(k);
        kbd_send(k, PS2_ACK);
        break;
    case 0xf7: case 0xf8: case 0xf9: case 0xfa:
    case 0xfb: case 0xfc: case 0xfd: /* set 3 key types: accepted */
        kbd_send(k, PS2_ACK);
        break;
    case 0xfe: /* resend the last byte */
        ps2_queue_push(&k->q, k->last);
        break;
    case 0xff: /* reset: acknowledge, then the self test result */
        ps2_queue_clear(&k->q);
        kbd_send(k, PS2_ACK);
        k->pending = 0;
        k->leds = 0;
        k->scanning = true;
        kbd_defaults(k);
        kbd_send(k, PS2_BAT_OK);
        break;
    default:
        kbd_send(k, PS2_RESEND);
        break;
    }
}

/* One byte of a set 2 sequence, sent in the keyboard's set: in set 1 a
 * break prefix F0 folds into the next code's bit 7. */
static void kbd_emit(struct ps2_kbd *k, uint8_t b, bool *brk)
{
    if (k->set == 2) {
        kbd_send(k, b);
        return;
    }
    if (b == 0xf0) {
        *brk = true;
        return;
    }
    if (b == 0xe0 || b == 0xe1) {
        kbd_send(k, b);
        return;
    }
    kbd_send(k, (uint8_t)(ps2_set2_to_set1(b) | (*brk ? 0x80 : 0)));
    *brk = false;
}

void ps2_kbd_key(struct ps2_kbd *k, uint16_t key, bool down)
{
    static const uint8_t print_make[] = { 0xe0, 0x12, 0xe0, 0x7c };
    static const uint8_t print_break[] = { 0xe0, 0xf0, 0x7c, 0xe0, 0xf0, 0x12 };
    static const uint8_t pause_make[] = { 0xe1, 0x14, 0x77, 0xe1,
                                          0xf0, 0x14, 0xf0, 0x77 };
    uint8_t seq[8];
    size_t n = 0;

    if (!k->scanning)
        return;
    if (key == PS2_KEY_PRINT) {
        n = down ? sizeof(print_make) : sizeof(print_break);
        memcpy(seq, down ? print_make : print_break, n);
    } else if (key == PS2_KEY_PAUSE) {
        if (!down) /* Pause has no break code */
            return;
        n = sizeof(pause_make);
        memcpy(seq, pause_make, n);
    } else {
        if (key >> 8 == 0xe0)
            seq[n++] = 0xe0;
        if (!down)
            seq[n++] = 0xf0;
        seq[n++] = (uint8_t)key;
    }
    if (ps2_queue_room(&k->q) < (int)n)
        return; /* a whole sequence or nothing */
    bool brk = false;
    for (size_t i = 0; i < n; i++)
        kbd_emit(k, seq[i], &brk);
}

/* ---- mouse ---- */

static void mouse_send(struct ps2_mouse *m, uint8_t b)
{
    m->last = b;
    ps2_queue_push(&m->q, b);
}

static void mouse_defaults(struct ps2_mouse *m)
{
    m->rate = 100;
    m->resolution = 2; /* 4 counts/mm */
    m->scale21 = false;
    m->reporting = false;
    m->dx = m->dy = m->dz = 0;
}

void ps2_mouse_reset(struct ps2_mouse *m)
{
    ps2_queue_clear(&m->q);
    m->pending = 0;
    m->remote = false;
    m->wrap = false;
    m->id = 0;
    memset(m->rates, 0, sizeof(m->rates));
    m->buttons = 0;
    mouse_defaults(m);
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* 2:1 scaling (stream mode only): the PS/2 reference's table. */
static int mouse_scale(const struct ps2_mouse *m, int v)
{
    static const int scaled[6] = { 0, 1, 1, 3, 6, 9 };
    if (!m->scale21 || m->remote)
        return v;
    int a = v < 0 ? -v : v;
    int s = a <= 5 ? scaled[a] : 2 * a;
    return v < 0 ? -s : s;
}

/* One movement packet from the motion owed (as much as fits in a
 * packet's 9-bit counters and the wheel byte), which it then owes less. */
static void mouse_packet(struct ps2_mouse *m)
{
    int dx = clamp(m->dx, -256, 255), dy = clamp(m->dy, -256, 255);
    int dz = m->id == 4 ? clamp(m->dz, -8, 7) : clamp(m->dz, -128, 127);
    m->dx -= dx;
    m->dy -= dy;
    m->dz -= dz;
    int sx = mouse_scale(m, dx), sy = mouse_scale(m, dy);
    bool ox = sx < -256 || sx > 255, oy = sy < -256 || sy > 255;
    sx = clamp(sx, -256, 255);
    sy = clamp(sy, -256, 255);
    uint8_t b0 = 0x08 | (m->buttons & (PS2_BUTTON_LEFT | PS2_BUTTON_RIGHT)) |
                 ((m->buttons & PS2_BUTTON_MIDDLE) ? 0x04 : 0) |
                 (sx < 0 ? 0x10 : 0) | (sy < 0 ? 0x20 : 0) |
                 (ox ? 0x40 : 0) | (oy ? 0x80 : 0);
    mouse_send(m, b0);
    mouse_send(m, (uint8_t)sx);
    mouse_send(m, (uint8_t)sy);
    if (m->id == 3)
        mouse_send(m, (uint8_t)dz);
    else if (m->id == 4)
        mouse_send(m, (uint8_t)((dz & 0x0f) |
                                ((m->buttons & PS2_BUTTON_4) ? 0x10 : 0) |
                                ((m->buttons & PS2_BUTTON_5) ? 0x20 : 0)));
}

static int mouse_packet_size(const struct ps2_mouse *m)
{
    return m->id ? 4 : 3;
}

void ps2_mouse_flush(struct ps2_mouse *m)
{
    if (!m->reporting || m->remote || m->wrap)
        return;
    while ((m->dx || m->dy || m->dz) &&
           ps2_queue_room(&m->q) >= mouse_packet_size(m))
        mouse_packet(m);
}

void ps2_mouse_event(struct ps2_mouse *m, int dx, int dy, int dz,
                     unsigned buttons)
{
    bool changed = buttons != m->buttons;
    m->buttons = buttons;
    m->dx = clamp(m->dx + dx, -65536, 65535);
    m->dy = clamp(m->dy - dy, -65536, 65535); /* the mouse counts up */
    m->dz = clamp(m->dz + dz, -256, 255);
    if (!m->reporting || m->remote || m->wrap)
        return;
    if (changed && !(m->dx || m->dy || m->dz) &&
        ps2_queue_room(&m->q) >= mouse_packet_size(m)) {
        mouse_packet(m); /* a button alone is a packet too */
        return;
    }
    ps2_mouse_flush(m);
}

/* The ID a sequence of sample rates knocks into: 200, 100, 80 makes a
 * standard mouse a wheel mouse (ID 3); 200, 200, 80 makes a wheel mouse
 * a five-button one (ID 4). */
static void mouse_note_rate(struct ps2_mouse *m, uint8_t rate)
{
    m->rates[0] = m->rates[1];
    m->rates[1] = m->rates[2];
    m->rates[2] = rate;
    if (m->rates[0] == 200 && m->rates[1] == 100 && m->rates[2] == 80 &&
        m->id == 0)
        m->id = 3;
    else if (m->rates[0] == 200 && m->rates[1] == 200 && m->rates[2] == 80 &&
             m->id == 3)
        m->id = 4;
}

static void mouse_param(struct ps2_mouse *m, uint8_t cmd, uint8_t b)
{
    if (cmd == 0xf3) {
        m->rate = b;
        mouse_note_rate(m, b);
    } else { /* E8 */
        m->resolution = b & 3;
    }
    mouse_send(m, PS2_ACK);
}

void ps2_mouse_write(struct ps2_mouse *m, uint8_t b)
{
    if (m->pending) {
        uint8_t cmd = m->pending;
        m->pending = 0;
        mouse_param(m, cmd, b);
        return;
    }
    if (m->wrap && b != 0xec && b != 0xff) {
        mouse_send(m, b); /* wrap mode echoes */
        return;
    }
    switch (b) {
    case 0xe6: /* scaling 1:1 */
        m->scale21 = false;
        mouse_send(m, PS2_ACK);
        break;
    case 0xe7:
        m->scale21 = true;
        mouse_send(m, PS2_ACK);
        break;
    case 0xe8: case 0xf3:
        mouse_send(m, PS2_ACK);
        m->pending = b;
        break;
    case 0xe9: /* status: mode bits and buttons, resolution, rate */
        mouse_send(m, PS2_ACK);
        mouse_send(m, (uint8_t)((m->remote ? 0x40 : 0) |
                                (m->reporting ? 0x20 : 0) |
                                (m->scale21 ? 0x10 : 0) |
                                ((m->buttons & PS2_BUTTON_LEFT) ? 0x04 : 0) |
                                ((m->buttons & PS2_BUTTON_MIDDLE) ? 0x02 : 0) |
                                ((m->buttons & PS2_BUTTON_RIGHT) ? 0x01 : 0)));
        mouse_send(m, m->resolution);
        mouse_send(m, m->rate);
        break;
    case 0xea: /* stream mode */
        m->remote = false;
        m->dx = m->dy = m->dz = 0;
        mouse_send(m, PS2_ACK);
        break;
    case 0xeb: /* read data (remote mode): a packet even without motion */
        mouse_send(m, PS2_ACK);
        mouse_packet(m);
        break;
    case 0xec: /* reset wrap mode */
        m->wrap = false;
        mouse_send(m, PS2_ACK);
        break;
    case 0xee:
        m->wrap = true;
        m->dx = m->dy = m->dz = 0;
        mouse_send(m, PS2_ACK);
        break;
    case 0xf0: /* remote mode */
        m->remote = true;
        m->dx = m->dy = m->dz = 0;
        mouse_send(m, PS2_ACK);
        break;
    case 0xf2: /* identify */
        mouse_send(m, PS2_ACK);
        mouse_send(m, m->id);
        break;
    case 0xf4:
        m->reporting = true;
        m->dx = m->dy = m->dz = 0;
        mouse_send(m, PS2_ACK);
        break;
    case 0xf5:
        m->reporting = false;
        mouse_send(m, PS2_ACK);
        break;
    case 0xf6:
        mouse_defaults(m);
        mouse_send(m, PS2_ACK);
        break;
    case 0xfe:
        ps2_queue_push(&m->q, m->last);
        break;
    case 0xff:
        ps2_queue_clear(&m->q);
        mouse_send(m, PS2_ACK);
        m->pending = 0;
        m->remote = false;
        m->wrap = false;
        m->id = 0;
        memset(m->rates, 0, sizeof(m->rates));
        mouse_defaults(m);
        mouse_send(m, PS2_BAT_OK);
        mouse_send(m, 0x00);
        break;
    default:
        mouse_send(m, PS2_RESEND);
        break;
    }
}
