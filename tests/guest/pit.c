/* pit: the 8254 seen through its ports without interrupts: channel 0's
 * counter read with the latch command counts down within its divisor, the
 * read-back command returns the programmed mode and access in the status
 * byte, lobyte-only access, and channel 2 (gated by port 0x61 bit 0) in
 * mode 0 raises its output (port 0x61 bit 5) when the count runs out.
 * Only facts that hold for any timing are printed. */
#include "rt/rt.h"

static uint16_t latch0(void)
{
    outb(0x43, 0x00); /* counter latch, channel 0 */
    uint8_t lo = inb(0x40);
    uint8_t hi = inb(0x40);
    return (uint16_t)(lo | hi << 8);
}

static void delay(void)
{
    for (volatile int i = 0; i < 2000; i++)
        ;
}

int main(void)
{
    /* channel 0, mode 2, divisor 0x8000 (IRQ0 stays masked) */
    outb(0x43, 0x34);
    outb(0x40, 0x00);
    outb(0x40, 0x80);
    delay();
    int in_range = 1, moved = 0;
    uint16_t prev = latch0();
    for (int i = 0; i < 50; i++) {
        delay();
        uint16_t now = latch0();
        if (now == 0 || now > 0x8000)
            in_range = 0;
        if (now != prev)
            moved = 1;
        prev = now;
    }
    rt_printf("channel 0 count stays within 1..8000: %s\n", in_range ? "yes" : "no");
    rt_printf("channel 0 count moves: %s\n", moved ? "yes" : "no");

    /* two latches close together: the second is lower unless it wrapped */
    int down = 0;
    for (int i = 0; i < 20; i++) {
        uint16_t a = latch0();
        delay();
        uint16_t b = latch0();
        if (b < a || a < 0x1000)
            down++;
    }
    rt_printf("channel 0 counts down: %s\n", down == 20 ? "yes" : "no");

    /* read-back: latch status of channel 0 (D7 D6 = 11, COUNT=1, STATUS=0) */
    outb(0x43, 0xe2);
    uint8_t st = inb(0x40);
    rt_printf("read-back status: access %u mode %u bcd %u\n", (st >> 4) & 3, (st >> 1) & 7, st & 1);

    /* channel 0 in mode 3, lobyte only: count within 1..256 */
    outb(0x43, 0x16);
    outb(0x40, 0x00); /* 0 means 256 */
    delay();
    outb(0x43, 0xe2);
    st = inb(0x40);
    rt_printf("mode 3 lobyte: access %u mode %u\n", (st >> 4) & 3, (st >> 1) & 7);

    /* channel 2, mode 0, gate on: OUT2 goes high at terminal count */
    outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate 2 on, speaker off */
    outb(0x43, 0xb0);                        /* channel 2, lo/hi, mode 0 */
    outb(0x42, 0x00);
    outb(0x42, 0x10);                        /* 0x1000 ticks: ~3.4 ms */
    int low_first = !(inb(0x61) & 0x20);
    int high = 0;
    for (int i = 0; i < 1000000 && !high; i++)
        high = inb(0x61) & 0x20;
    rt_printf("channel 2 mode 0: output low after the count is written: %s, then high: %s\n",
              low_first ? "yes" : "no", high ? "yes" : "no");
    outb(0x61, inb(0x61) & ~0x03);
    rt_puts("pit done\n");
    return 0;
}
