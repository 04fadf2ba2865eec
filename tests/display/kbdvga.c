/*
 * kbdvga.c - the guest of tests/display/run.sh: draws a known picture in
 * VGA text mode (mode 3, as the BIOS leaves it) and reports what the
 * keyboard controller receives on COM1, polling port 64h:
 *   "K xx"  a byte from the keyboard (scan code set 2: translation off)
 *   "M xx"  a byte from the mouse (stream mode, reporting enabled)
 * It ends (isa-debug-exit 0) after Escape's break code F0 76.
 *
 * With "wheel" in its command line (-append wheel) it first switches the
 * mouse to the IntelliMouse protocol as wheel drivers do: sample rates
 * 200, 100, 80, then Get Device ID, printed as "mouse id xx" (03h: a
 * wheel mouse, whose packets are 4 bytes, the fourth the wheel's Z).
 * With "explorer" it goes on with rates 200, 200, 80 to the IntelliMouse
 * Explorer protocol (ID 04h: the fourth byte has Z in its low 4 bits,
 * buttons 4 and 5 in bits 4 and 5).
 *
 * The screen: row 0 "jet86 display test" in white on blue, rows 10-14
 * columns 10-29 full blocks (DBh) in yellow on blue, row 24 blue, the
 * rest blank. Rows 0 and 24 are blue across the whole width, so that the
 * picture's edges show against the black bars of a scaled window.
 */
#include <stdbool.h>

#include "rt/rt.h"

static volatile uint16_t *const text = (volatile uint16_t *)0xb8000;

static void kbc_wait_write(void)
{
    for (int i = 0; i < 100000 && (inb(0x64) & 0x02); i++)
        ;
}

static uint8_t kbc_read(void)
{
    for (int i = 0; i < 1000000; i++)
        if (inb(0x64) & 0x01)
            return inb(0x60);
    return 0xff;
}

static void kbc_cmd(uint8_t c)
{
    kbc_wait_write();
    outb(0x64, c);
}

static void kbc_data(uint8_t d)
{
    kbc_wait_write();
    outb(0x60, d);
}

/* A byte to the mouse; its answer (FAh: acknowledged). */
static uint8_t mouse_cmd(uint8_t b)
{
    kbc_cmd(0xd4);
    kbc_data(b);
    return kbc_read();
}

struct mbi {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
};

/* Whether the Multiboot command line (flags bit 2) holds the word. */
static bool cmdline_has(const char *word)
{
    const struct mbi *m = (const struct mbi *)rt_mb_info;
    if (!(m->flags & 4) || !m->cmdline)
        return false;
    for (const char *p = (const char *)m->cmdline; *p; p++) {
        if (p != (const char *)m->cmdline && p[-1] != ' ')
            continue;
        int i = 0;
        while (word[i] && p[i] == word[i])
            i++;
        if (!word[i] && (p[i] == ' ' || !p[i]))
            return true;
    }
    return false;
}

int main(void)
{
    static const char title[] = "jet86 display test";

    for (int i = 0; i < 80 * 25; i++)
        text[i] = 0x0720;
    for (int i = 0; i < 80; i++) {
        text[i] = 0x1f20;
        text[24 * 80 + i] = 0x1f20;
    }
    for (int i = 0; title[i]; i++)
        text[i] = (uint16_t)(0x1f00 | (uint8_t)title[i]);
    for (int r = 10; r < 15; r++)
        for (int c = 10; c < 30; c++)
            text[r * 80 + c] = 0x1edb;

    /* Command byte: no IRQs, no translation (set 2 as the keyboard sends
     * it), both ports enabled. */
    kbc_cmd(0x20);
    uint8_t cb = kbc_read();
    cb &= (uint8_t)~(0x01 | 0x02 | 0x40 | 0x10 | 0x20);
    kbc_cmd(0x60);
    kbc_data(cb);
    kbc_cmd(0xa8); /* enable the mouse port */
    bool explorer = cmdline_has("explorer");
    if (cmdline_has("wheel") || explorer) {
        static const uint8_t knock[] = { 200, 100, 80, 200, 200, 80 };
        for (int i = 0; i < (explorer ? 6 : 3); i++) {
            mouse_cmd(0xf3);
            mouse_cmd(knock[i]);
        }
        uint8_t ack = mouse_cmd(0xf2);
        rt_printf("mouse id ack %02x id %02x\n", ack, kbc_read());
    }
    rt_printf("mouse ack %02x\n", mouse_cmd(0xf4)); /* enable reporting */
    rt_printf("ready\n");

    uint8_t prev = 0;
    for (;;) {
        uint8_t st = inb(0x64);
        if (!(st & 0x01))
            continue;
        uint8_t b = inb(0x60);
        if (st & 0x20) {
            rt_printf("M %02x\n", b);
            continue;
        }
        rt_printf("K %02x\n", b);
        if (prev == 0xf0 && b == 0x76)
            break;
        prev = b;
    }
    rt_printf("done\n");
    rt_exit(0);
}
