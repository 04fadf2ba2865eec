/*
 * kbdvga.c - the guest of tests/display/run.sh: draws a known picture in
 * VGA text mode (mode 3, as the BIOS leaves it) and reports what the
 * keyboard controller receives on COM1, polling port 64h:
 *   "K xx"  a byte from the keyboard (scan code set 2: translation off)
 *   "M xx"  a byte from the mouse (stream mode, reporting enabled)
 * It ends (isa-debug-exit 0) after Escape's break code F0 76.
 *
 * The screen: row 0 "jet86 display test" in white on blue, rows 10-14
 * columns 10-29 full blocks (DBh) in yellow on blue, the rest blank.
 */
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

int main(void)
{
    static const char title[] = "jet86 display test";

    for (int i = 0; i < 80 * 25; i++)
        text[i] = 0x0720;
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
    kbc_cmd(0xd4); /* to the mouse: enable reporting */
    kbc_data(0xf4);
    rt_printf("mouse ack %02x\n", kbc_read());
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
