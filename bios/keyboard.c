/*
 * keyboard.c - the keyboard's BIOS: the IRQ1 handler (INT 09h) that turns
 * scan code set 1 (the 8042 translates the keyboard's set 2) into the
 * BDA's shift flags and the scan code/ASCII words of its buffer, and
 * INT 16h that reads them, as the IBM PC/AT technical reference and Ralf
 * Brown's interrupt list describe them (US layout):
 *
 *   - the 101/102-key keyboard's E0-prefixed keys: the grey arrows,
 *     Home/End/PgUp/PgDn/Ins/Del (ASCII E0h, so a program can tell them
 *     from the keypad's), right Ctrl and Alt, keypad Enter and /; the
 *     fake shifts that come around them (E0 2A, E0 36) are dropped
 *   - Shift, Ctrl and Alt variants of every key (the "keyboard
 *     translation table"), Caps Lock on the letters, Num Lock on the
 *     keypad, Alt + keypad digits typing a character code
 *   - F1-F12
 *   - INT 16h AH=00h/01h give the keys as an 84-key keyboard's: E0h ASCII
 *     becomes 0, keypad Enter and / their 84-key scan codes; AH=10h/11h
 *     give them as stored
 *
 * BDA 417h/418h: the shift flags; 419h: the Alt-keypad number; 496h: the
 * E0/E1 prefix state, right Ctrl/Alt and "101-key keyboard".
 */
#include "bios/bios.h"

#define BDA 0x400u
#define BDA_KBD_FLAGS 0x417u
#define BDA_KBD_FLAGS2 0x418u
#define BDA_KBD_ALTNUM 0x419u
#define BDA_KBD_HEAD 0x41au
#define BDA_KBD_TAIL 0x41cu
#define BDA_KBD_START 0x480u
#define BDA_KBD_END 0x482u
#define BDA_KBD_STATUS 0x496u

/* 417h */
#define KF_RSHIFT 0x01
#define KF_LSHIFT 0x02
#define KF_CTRL 0x04
#define KF_ALT 0x08
#define KF_SCROLL 0x10
#define KF_NUM 0x20
#define KF_CAPS 0x40
#define KF_INSERT 0x80
/* 418h: the keys held */
#define KF2_LCTRL 0x01
#define KF2_LALT 0x02
#define KF2_SCROLL 0x10
#define KF2_NUM 0x20
#define KF2_CAPS 0x40
#define KF2_INSERT 0x80
/* 496h */
#define KS_E1 0x01
#define KS_E0 0x02
#define KS_RCTRL 0x04
#define KS_RALT 0x08
#define KS_101 0x10

/* ---- the buffer ---- */

static bool kbd_get(struct bios *b, uint16_t *key, bool remove)
{
    uint16_t head = bios_rw(b, BDA_KBD_HEAD);
    if (head == bios_rw(b, BDA_KBD_TAIL))
        return false;
    *key = bios_rw(b, BDA + head);
    if (remove) {
        head += 2;
        if (head >= bios_rw(b, BDA_KBD_END))
            head = bios_rw(b, BDA_KBD_START);
        bios_ww(b, BDA_KBD_HEAD, head);
    }
    return true;
}

static bool kbd_put(struct bios *b, uint16_t key)
{
    uint16_t tail = bios_rw(b, BDA_KBD_TAIL);
    uint16_t next = (uint16_t)(tail + 2);
    if (next >= bios_rw(b, BDA_KBD_END))
        next = bios_rw(b, BDA_KBD_START);
    if (next == bios_rw(b, BDA_KBD_HEAD))
        return false; /* full */
    bios_ww(b, BDA + tail, key);
    bios_ww(b, BDA_KBD_TAIL, next);
    return true;
}

/* ---- INT 16h ---- */

/* A key as AH=00h/01h return it: the grey keys' E0h ASCII becomes 0,
 * keypad Enter and / get the 84-key keyboard's scan codes. Keys an
 * 84-key keyboard lacks (F11, Ctrl + grey arrows) come through as they
 * are, as SeaBIOS and the Bochs BIOS give them. */
static uint16_t key_84(uint16_t key)
{
    uint8_t scan = (uint8_t)(key >> 8), ascii = (uint8_t)key;
    if (scan == 0xe0) /* keypad Enter and / */
        return (uint16_t)((ascii == '/' ? 0x35 : 0x1c) << 8 | ascii);
    if (ascii == 0xe0 || ascii == 0xf0)
        return (uint16_t)(scan << 8);
    return key;
}

int bios_int16(struct bios *b, struct bios_regs *r)
{
    uint16_t key;
    switch (BIOS_AH(r)) {
    case 0x00:
    case 0x10:
        if (!kbd_get(b, &key, true))
            return BIOS_STATUS_WAIT;
        bios_set_ax(r, BIOS_AH(r) == 0x00 ? key_84(key) : key);
        break;
    case 0x01:
    case 0x11:
        if (kbd_get(b, &key, false)) {
            bios_set_ax(r, BIOS_AH(r) == 0x01 ? key_84(key) : key);
            bios_set_zf(r, false);
        } else {
            bios_set_zf(r, true);
        }
        break;
    case 0x02: bios_set_al(r, bios_rb(b, BDA_KBD_FLAGS)); break;
    case 0x12: {
        /* AH: 0 left Ctrl, 1 left Alt, 2 right Ctrl, 3 right Alt,
         * 4-6 Scroll/Num/Caps Lock held, 7 SysRq held. */
        uint8_t f2 = bios_rb(b, BDA_KBD_FLAGS2);
        uint8_t st = bios_rb(b, BDA_KBD_STATUS);
        uint8_t ah = (uint8_t)((f2 & (KF2_LCTRL | KF2_LALT)) |
                               (st & (KS_RCTRL | KS_RALT)) |
                               (f2 & (KF2_SCROLL | KF2_NUM | KF2_CAPS)) |
                               ((f2 & 0x04) << 5));
        bios_set_al(r, bios_rb(b, BDA_KBD_FLAGS));
        bios_set_ah(r, ah);
        break;
    }
    case 0x05: bios_set_al(r, kbd_put(b, BIOS_CX(r)) ? 0 : 1); break;
    default: break;
    }
    return BIOS_STATUS_DONE;
}

/* ---- IRQ1 ---- */

/* Scan code set 1 make codes 01h-39h to ASCII, unshifted and shifted. */
static const char keys_plain[] = "\0\0331234567890-=\b\tqwertyuiop[]\r\0"
                                 "asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
static const char keys_shift[] = "\0\033!@#$%^&*()_+\b\tQWERTYUIOP{}\r\0"
                                 "ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 ";

/* Ctrl + the keys 01h-39h: the word stored, 0 for none. */
static const uint16_t keys_ctrl[0x3a] = {
    [0x01] = 0x011b, [0x03] = 0x0300, [0x07] = 0x071e, [0x0c] = 0x0c1f,
    [0x0e] = 0x0e7f, [0x0f] = 0x9400, [0x1a] = 0x1a1b, [0x1b] = 0x1b1d,
    [0x1c] = 0x1c0a, [0x2b] = 0x2b1c, [0x37] = 0x9600, [0x39] = 0x3920,
};

/* The keypad 47h-53h: with Num Lock (xor Shift) its digits, else the
 * cursor keys (scan code, ASCII 0); - and + the same either way. Its
 * Ctrl variants. */
static const char keypad_digits[] = "789-456+1230.";
static const uint8_t keypad_ctrl[13] = { 0x77, 0x8d, 0x84, 0x8e, 0x73,
                                         0x8f, 0x74, 0x90, 0x75, 0x91,
                                         0x76, 0x92, 0x93 };
/* The grey cursor keys' Alt variants (Home 47h .. Del 53h; 0 no key). */
static const uint8_t grey_alt[13] = { 0x97, 0x98, 0x99, 0,    0x9b, 0,   0x9d,
                                      0,    0x9f, 0xa0, 0xa1, 0xa2, 0xa3 };

static bool is_letter(uint8_t code)
{
    return (code >= 0x10 && code <= 0x19) || (code >= 0x1e && code <= 0x26) ||
           (code >= 0x2c && code <= 0x32);
}

/* The word for make code code (E0-prefixed if grey), 0 for none. */
static uint16_t translate(uint8_t code, bool grey, uint8_t flags)
{
    bool shift = flags & (KF_LSHIFT | KF_RSHIFT);
    bool ctrl = flags & KF_CTRL, alt = flags & KF_ALT;

    if (code >= 0x3b && code <= 0x44) { /* F1-F10 */
        uint8_t base = alt ? 0x68 : ctrl ? 0x5e : shift ? 0x54 : 0x3b;
        return (uint16_t)((base + code - 0x3b) << 8);
    }
    if (code == 0x57 || code == 0x58) { /* F11, F12 */
        uint8_t base = alt ? 0x8b : ctrl ? 0x89 : shift ? 0x87 : 0x85;
        return (uint16_t)((base + code - 0x57) << 8);
    }
    if (grey) {
        if (code == 0x1c) /* keypad Enter */
            return alt ? 0xa600 : ctrl ? 0xe00a : 0xe00d;
        if (code == 0x35) /* keypad / */
            return alt ? 0xa400 : ctrl ? 0x9500 : 0xe02f;
        if (code < 0x47 || code > 0x53 || code == 0x4a || code == 0x4c ||
            code == 0x4e)
            return 0;
        unsigned i = code - 0x47u;
        if (alt)
            return (uint16_t)(grey_alt[i] << 8);
        return (uint16_t)((ctrl ? keypad_ctrl[i] : code) << 8 | 0xe0);
    }
    if (code >= 0x47 && code <= 0x53) { /* the keypad */
        unsigned i = code - 0x47u;
        if (alt)
            return code == 0x4a || code == 0x4e ? (uint16_t)(code << 8) : 0;
        if (ctrl)
            return (uint16_t)(keypad_ctrl[i] << 8);
        bool digits = !!(flags & KF_NUM) != shift;
        if (code == 0x4a || code == 0x4e || digits)
            return (uint16_t)(code << 8 | (uint8_t)keypad_digits[i]);
        return (uint16_t)(code << 8);
    }
    if (code >= sizeof(keys_plain) - 1)
        return 0;
    if (alt) {
        /* Alt + a character key: its scan code (the number row 78h-83h),
         * ASCII 0; Esc, Backspace, Enter, [ ] ; ' ` \ , . / and keypad *
         * are 101-key extras (ASCII 0); Tab A500h; Space is Space. */
        if (code >= 0x02 && code <= 0x0d)
            return (uint16_t)((code + 0x76) << 8);
        if (code == 0x0f)
            return 0xa500;
        if (code == 0x39)
            return 0x3920;
        if (code == 0x01 || code == 0x0e || code == 0x1c || code == 0x1a ||
            code == 0x1b || code == 0x27 || code == 0x28 || code == 0x29 ||
            code == 0x2b || code == 0x33 || code == 0x34 || code == 0x35 ||
            code == 0x37 || is_letter(code))
            return (uint16_t)(code << 8);
        return 0;
    }
    if (ctrl) {
        if (is_letter(code))
            return (uint16_t)(code << 8 | ((uint8_t)keys_plain[code] - 0x60));
        return keys_ctrl[code];
    }
    uint8_t c = (uint8_t)(shift ? keys_shift[code] : keys_plain[code]);
    if (is_letter(code) && (flags & KF_CAPS))
        c ^= 0x20; /* Caps Lock inverts the case of letters only */
    if (code == 0x0f && shift)
        return 0x0f00; /* back tab */
    return c ? (uint16_t)(code << 8 | c) : 0;
}

/* Shift, Ctrl, Alt and the locks: true if code was one of them. */
static bool shift_key(struct bios *b, uint8_t code, bool grey, bool up)
{
    uint8_t f = bios_rb(b, BDA_KBD_FLAGS), f2 = bios_rb(b, BDA_KBD_FLAGS2);
    uint8_t st = bios_rb(b, BDA_KBD_STATUS);
    switch (code) {
    case 0x2a:
    case 0x36: {
        if (grey)
            return true; /* the fake shifts around grey keys */
        uint8_t bit = code == 0x2a ? KF_LSHIFT : KF_RSHIFT;
        f = up ? (uint8_t)(f & ~bit) : (uint8_t)(f | bit);
        break;
    }
    case 0x1d:
    case 0x38: {
        uint8_t left = code == 0x1d ? KF2_LCTRL : KF2_LALT;
        uint8_t right = code == 0x1d ? KS_RCTRL : KS_RALT;
        if (grey)
            st = up ? (uint8_t)(st & ~right) : (uint8_t)(st | right);
        else
            f2 = up ? (uint8_t)(f2 & ~left) : (uint8_t)(f2 | left);
        bool held = (f2 & left) || (st & right);
        uint8_t bit = code == 0x1d ? KF_CTRL : KF_ALT;
        f = held ? (uint8_t)(f | bit) : (uint8_t)(f & ~bit);
        if (code == 0x38 && !held) {
            /* Alt released: the code typed on the keypad, if any. */
            uint8_t n = bios_rb(b, BDA_KBD_ALTNUM);
            if (n)
                kbd_put(b, n);
            bios_wb(b, BDA_KBD_ALTNUM, 0);
        }
        break;
    }
    case 0x3a:
    case 0x45:
    case 0x46: {
        if (grey)
            return false;
        uint8_t lock = code == 0x3a   ? KF_CAPS
                       : code == 0x45 ? KF_NUM
                                      : KF_SCROLL;
        uint8_t held = code == 0x3a   ? KF2_CAPS
                       : code == 0x45 ? KF2_NUM
                                      : KF2_SCROLL;
        if (up) {
            f2 &= (uint8_t)~held;
        } else if (!(f2 & held)) { /* toggles once per press */
            f2 |= held;
            f ^= lock;
        }
        break;
    }
    default: return false;
    }
    bios_wb(b, BDA_KBD_FLAGS, f);
    bios_wb(b, BDA_KBD_FLAGS2, f2);
    bios_wb(b, BDA_KBD_STATUS, st);
    return true;
}

/* One scan code byte. */
static void key_byte(struct bios *b, uint8_t sc)
{
    uint8_t st = bios_rb(b, BDA_KBD_STATUS);
    if (sc == 0xe0 || sc == 0xe1) {
        st = (uint8_t)((st & ~(KS_E0 | KS_E1)) | KS_101 |
                       (sc == 0xe0 ? KS_E0 : KS_E1));
        bios_wb(b, BDA_KBD_STATUS, st);
        return;
    }
    bool grey = st & KS_E0;
    if (st & KS_E1) {
        /* Pause: E1 1D 45 E1 9D C5; nothing stored. */
        if ((sc & 0x7f) == 0x1d)
            return; /* the 1D of the sequence, the E1 kept */
        bios_wb(b, BDA_KBD_STATUS, st & ~(KS_E0 | KS_E1));
        return;
    }
    bios_wb(b, BDA_KBD_STATUS, st & ~KS_E0);
    uint8_t code = sc & 0x7f;
    bool up = sc & 0x80;
    if (shift_key(b, code, grey, up))
        return;
    uint8_t f = bios_rb(b, BDA_KBD_FLAGS), f2 = bios_rb(b, BDA_KBD_FLAGS2);
    if (code == 0x52) { /* Insert: held state; toggles unless it types 0 */
        if (up) {
            bios_wb(b, BDA_KBD_FLAGS2, f2 & ~KF2_INSERT);
            return;
        }
        bool digit = !grey && !!(f & KF_NUM) != !!(f & (KF_LSHIFT | KF_RSHIFT));
        if (!(f2 & KF2_INSERT) && !digit && !(f & (KF_CTRL | KF_ALT)))
            bios_wb(b, BDA_KBD_FLAGS, f ^ KF_INSERT);
        bios_wb(b, BDA_KBD_FLAGS2, f2 | KF2_INSERT);
    }
    if (up)
        return;
    if (!grey && (f & KF_ALT) && !(f & KF_CTRL) && code >= 0x47 &&
        code <= 0x53 && keypad_digits[code - 0x47] >= '0' &&
        keypad_digits[code - 0x47] <= '9') {
        /* Alt + keypad digits: the decimal code, stored at Alt's release. */
        uint8_t n = bios_rb(b, BDA_KBD_ALTNUM);
        bios_wb(b, BDA_KBD_ALTNUM,
                (uint8_t)(n * 10 + (keypad_digits[code - 0x47] - '0')));
        return;
    }
    uint16_t key = translate(code, grey, f);
    if (key)
        kbd_put(b, key);
}

/* IRQ1: one scan code from the 8042's output buffer (port 0x60). With no
 * controller the port reads 0xFF and nothing is stored. */
void bios_irq1(struct bios *b)
{
    uint8_t sc = bios_inb(b, 0x60);
    if (sc != 0xff && sc != 0x00)
        key_byte(b, sc);
    bios_outb(b, 0x20, 0x20);
}
