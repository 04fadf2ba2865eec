/*
 * ps2.h - the two devices at the far end of a PS/2 port: an MF2 keyboard
 * and a mouse (standard, IntelliMouse wheel, IntelliMouse Explorer five
 * buttons). Each is a command interpreter with an output queue; the
 * keyboard controller (devices/i8042.c) writes the bytes the guest sends
 * and takes the bytes they answer with, one at a time.
 *
 * Host input enters here at an instruction boundary (the board's event
 * queue): ps2_kbd_key() for a key going down or up, ps2_mouse_event()
 * for motion, wheel and buttons. Keys are named by their scan code set 2
 * make code, so a host front end maps its key symbols to set 2 once and
 * the guest sees a US layout whatever the host's is:
 *
 *   0x00xx  a one-byte key (0x1C: A)
 *   0xE0xx  an extended key (0xE075: cursor up, 0xE011: right Alt)
 *   PS2_KEY_PRINT, PS2_KEY_PAUSE  the two keys whose codes are sequences
 */
#ifndef DEVICES_PS2_H
#define DEVICES_PS2_H

#include <stdbool.h>
#include <stdint.h>

#define PS2_QUEUE_SIZE 256

#define PS2_ACK 0xfa
#define PS2_RESEND 0xfe
#define PS2_BAT_OK 0xaa

#define PS2_KEY_PRINT 0xe07c
#define PS2_KEY_PAUSE 0xe177

struct ps2_queue {
    uint8_t data[PS2_QUEUE_SIZE];
    int head, count;
};

/* Mouse buttons, as ps2_mouse_event() takes them. */
#define PS2_BUTTON_LEFT 0x01
#define PS2_BUTTON_RIGHT 0x02
#define PS2_BUTTON_MIDDLE 0x04
#define PS2_BUTTON_4 0x08
#define PS2_BUTTON_5 0x10

struct ps2_kbd {
    struct ps2_queue q;
    uint8_t pending;   /* a command waiting for its parameter byte, or 0 */
    uint8_t last;      /* the last byte sent, for RESEND (0xFE) */
    bool scanning;     /* enabled (F4) and not disabled (F5) */
    int set;           /* scan code set, 1 or 2 */
    uint8_t leds;      /* ED: bit 0 Scroll, 1 Num, 2 Caps Lock */
    uint8_t typematic; /* F3: rate and delay */
};

struct ps2_mouse {
    struct ps2_queue q;
    uint8_t pending;
    uint8_t last;
    bool reporting;  /* F4 */
    bool remote;     /* F0 remote mode (else stream) */
    bool wrap;       /* EE wrap (echo) mode */
    bool scale21;    /* E7 scaling 2:1 */
    uint8_t resolution; /* E8: 0-3 = 1, 2, 4, 8 counts/mm */
    uint8_t rate;       /* F3: samples/s */
    uint8_t id;         /* 0 standard, 3 wheel, 4 five buttons */
    uint8_t rates[3];   /* the last three F3 rates: the ID knock sequences */
    unsigned buttons;
    int dx, dy, dz;     /* motion not yet reported (dy: up is positive) */
};

void ps2_queue_clear(struct ps2_queue *q);
bool ps2_queue_empty(const struct ps2_queue *q);
uint8_t ps2_queue_pop(struct ps2_queue *q);

/* Power-on state, with the queue empty: the self-test result a device
 * sends at power-on is what the firmware reads and discards before any
 * guest runs, so it is not modelled (a reset command, FF, sends it). */
void ps2_kbd_reset(struct ps2_kbd *k);
/* A byte from the host (the controller's port 0x60 write). */
void ps2_kbd_write(struct ps2_kbd *k, uint8_t b);
/* A key went down (down) or up. Ignored while scanning is disabled. */
void ps2_kbd_key(struct ps2_kbd *k, uint16_t key, bool down);

void ps2_mouse_reset(struct ps2_mouse *m);
void ps2_mouse_write(struct ps2_mouse *m, uint8_t b);
/* Motion in mickeys (dx right, dy down, as screens count), wheel steps
 * (dz, down is positive) and the buttons now held (PS2_BUTTON_*). */
void ps2_mouse_event(struct ps2_mouse *m, int dx, int dy, int dz,
                     unsigned buttons);
/* Report motion still owed while the queue has room (the controller
 * calls it when it has taken bytes). */
void ps2_mouse_flush(struct ps2_mouse *m);

/* A byte from the keyboard as the 8042 translates it with its command
 * byte's bit 6 set: a set 2 code becomes its set 1 code. */
uint8_t ps2_set2_to_set1(uint8_t code);

#endif
