/*
 * keymap.h - host keys to the PS/2 keyboard's scan code set 2 codes, as
 * devices/ps2.h names keys (0x00xx, 0xE0xx, PS2_KEY_PRINT, PS2_KEY_PAUSE).
 *
 * Host keys are USB HID keyboard usages (usage page 07h), which is also
 * how SDL numbers its physical keys (SDL_Scancode): a key is where it is
 * on the keyboard, so the guest sees a US layout whatever the host's
 * layout is. No SDL here, so the table is built and tested without it.
 */
#ifndef FRONTEND_KEYMAP_H
#define FRONTEND_KEYMAP_H

#include <stdbool.h>
#include <stdint.h>

/* Usages the table covers: 0 to KEYMAP_USAGE_MAX - 1. */
#define KEYMAP_USAGE_MAX 0xe8

/* The set 2 code of HID usage u, or 0 for a usage no PC key has. */
uint16_t keymap_usb_to_set2(unsigned u);

/* The key that types ASCII character c on a US keyboard (set 2 code) and
 * whether Shift goes with it: printable characters, space, \n (Enter)
 * and \t (Tab). false for any other character. */
bool keymap_ascii_to_set2(char c, uint16_t *code, bool *shift);

/* Set 2 codes of the keys a paste uses besides those above. */
#define KEYMAP_SET2_LSHIFT 0x12

#endif
