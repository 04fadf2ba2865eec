/* rtc: the MC146818 RTC and the PC's CMOS layout through ports 0x70/0x71.
 * The board's NVRAM bytes (memory sizes for -m 64, equipment, boot
 * order, century) and their checksum at 0x2E/0x2F; the time from -rtc
 * base= (read between updates, UIP clear); the clock stopped with SET
 * and restarted from written registers: the update from 1999-12-31
 * 23:59:59 to 2000-01-01 (century and day of week follow), the same in
 * 12-hour binary mode (11:59:59 PM -> 12:00:00 AM); UF and AF in
 * register C without interrupts, cleared by reading it; the periodic
 * interrupt on IRQ 8 at 1024 Hz counted over 100 ms of PIT ticks.
 * -icount shift=10 (about a million instructions a virtual second) keeps
 * the waits for updates short; the firmware's time before the program
 * (QEMU's SeaBIOS) is why only the date, the hour and a range of
 * minutes are printed for the start time. PF is set at every periodic
 * edge whatever PIE says (data sheet), QEMU only with PIE: register C is
 * printed without it.
 *
 * rtc.qemu-expected: QEMU's pc has a floppy controller with a drive by
 * default (0x10 = 0x50, equipment bit 0), jet86 no floppy yet; and QEMU
 * leaves the checksum at 0x2E/0x2F zero (SeaBIOS does not read it),
 * where the PC/AT layout sums 0x10-0x2D there. The alarm part changes
 * register B's data mode with SET clear before setting SET: QEMU read
 * the time written after a mode change made in the SET write wrong. */
#include "rt/rt.h"

static uint8_t cmos(uint8_t i)
{
    outb(0x70, i);
    return inb(0x71);
}

static void cmos_set(uint8_t i, uint8_t v)
{
    outb(0x70, i);
    outb(0x71, v);
}

/* Wait until no update is in progress: the time registers are stable
 * for at least 244 us (data sheet: UIP). */
static void wait_uip(void)
{
    while (cmos(0x0a) & 0x80)
        ;
}

static unsigned bcd(uint8_t v) { return (v >> 4) * 10 + (v & 15); }

/* Wait for an update (UF), polling register C; what else C held. */
static uint8_t wait_update(void)
{
    uint8_t c, all = 0;
    for (int i = 0; i < 4000000; i++) {
        c = cmos(0x0c);
        all |= c;
        if (c & 0x10)
            return all;
    }
    rt_puts("no update\n");
    return all;
}

static volatile unsigned rtc_ticks, pit_ticks;

static void rtc_irq(struct rt_frame *f)
{
    (void)f;
    if (cmos(0x0c) & 0x40)
        rtc_ticks++;
    rt_pic_eoi(8);
}

static void pit_irq(struct rt_frame *f)
{
    (void)f;
    pit_ticks++;
    rt_pic_eoi(0);
}

static void layout(void)
{
    rt_printf("base memory %u KiB\n", cmos(0x15) | cmos(0x16) << 8);
    rt_printf("extended memory %u KiB (0x30: %u KiB)\n",
              cmos(0x17) | cmos(0x18) << 8, cmos(0x30) | cmos(0x31) << 8);
    rt_printf("memory above 16 MiB: %u x 64 KiB, above 4 GiB %u\n",
              cmos(0x34) | cmos(0x35) << 8,
              cmos(0x5b) | cmos(0x5c) << 8 | cmos(0x5d) << 16);
    rt_printf("floppy types %02x disk types %02x equipment %02x\n",
              cmos(0x10), cmos(0x12), cmos(0x14));
    rt_printf("boot order 3d=%02x 38=%02x cpus-1 %u\n", cmos(0x3d), cmos(0x38),
              cmos(0x5f));
    unsigned sum = 0;
    for (uint8_t i = 0x10; i <= 0x2d; i++)
        sum += cmos(i);
    rt_printf("checksum matches: %s\n",
              sum == (unsigned)(cmos(0x2e) << 8 | cmos(0x2f)) ? "yes" : "no");
    rt_printf("register A %02x B %02x D %02x\n", cmos(0x0a) & 0x7f, cmos(0x0b),
              cmos(0x0d));
}

static void start_time(void)
{
    wait_uip();
    uint8_t s = cmos(0), m = cmos(2), h = cmos(4), wd = cmos(6), d = cmos(7),
            mo = cmos(8), y = cmos(9), c = cmos(0x32);
    rt_printf("date %02x%02x-%02x-%02x weekday %u hour %02x\n", c, y, mo, d,
              wd, h);
    unsigned secs = bcd(m) * 60 + bcd(s);
    rt_printf("within a minute of 10:20:30: %s\n",
              secs >= 20 * 60 + 30 && secs < 21 * 60 + 30 ? "yes" : "no");
}

static void rollover(void)
{
    cmos_set(0x0b, 0x82); /* SET, BCD, 24 h */
    cmos_set(0x00, 0x59);
    cmos_set(0x02, 0x59);
    cmos_set(0x04, 0x23);
    cmos_set(0x06, 0x06); /* Friday */
    cmos_set(0x07, 0x31);
    cmos_set(0x08, 0x12);
    cmos_set(0x09, 0x99);
    cmos_set(0x32, 0x19);
    rt_printf("with SET the time stands: %02x\n", cmos(0x00));
    cmos(0x0c);
    cmos_set(0x0b, 0x02);
    wait_update();
    wait_uip();
    rt_printf("after 1999-12-31 23:59:59: %02x%02x-%02x-%02x %02x:%02x:%02x "
              "weekday %u\n",
              cmos(0x32), cmos(9), cmos(8), cmos(7), cmos(4), cmos(2), cmos(0),
              cmos(6));
}

static void twelve_hour(void)
{
    cmos_set(0x0b, 0x84); /* SET, binary, 12 h */
    cmos_set(0x00, 59);
    cmos_set(0x02, 59);
    cmos_set(0x04, 0x80 | 11); /* 11 PM */
    cmos_set(0x07, 28);
    cmos_set(0x08, 2);
    cmos_set(0x09, 24);
    cmos_set(0x32, 20);
    cmos(0x0c);
    cmos_set(0x0b, 0x04);
    wait_update();
    wait_uip();
    rt_printf("12 h binary after 2024-02-28 11:59:59 PM: %u-%u %02x:%u:%u\n",
              cmos(8), cmos(7), cmos(4), cmos(2), cmos(0));
    wait_update();
    wait_uip();
    rt_printf("one update later: %02x:%u:%u\n", cmos(4), cmos(2), cmos(0));
}

static void alarm(void)
{
    cmos_set(0x0b, 0x02); /* back to BCD, 24 h, then SET */
    cmos_set(0x0b, 0x82);
    cmos_set(0x00, 0x00);
    cmos_set(0x02, 0x30);
    cmos_set(0x04, 0x08);
    cmos_set(0x01, 0x02); /* alarm 08:30:02 */
    cmos_set(0x03, 0x30);
    cmos_set(0x05, 0x08);
    cmos(0x0c);
    cmos_set(0x0b, 0x02);
    uint8_t c1 = wait_update() & 0x30;
    uint8_t c2 = wait_update() & 0x30;
    rt_printf("updates to 08:30:01 and :02: C flags %02x %02x\n", c1, c2);
    rt_printf("register C after reading it: %02x\n", cmos(0x0c) & 0x30);
    cmos_set(0x05, 0xc0); /* any hour, minute: every second at :xx:03 */
    cmos_set(0x03, 0xc0);
    cmos_set(0x01, 0xc0);
    rt_printf("don't-care alarm: C flags %02x\n", wait_update() & 0x30);
}

static void periodic(void)
{
    rt_pic_init();
    rt_set_handler(0x20, pit_irq);
    rt_set_handler(0x28, rtc_irq);
    rt_pit_set_hz(1000);
    cmos_set(0x0a, 0x26);  /* 32 kHz time base, 1024 Hz */
    cmos(0x0c);
    rt_pic_unmask(0);
    rt_pic_unmask(2);
    rt_pic_unmask(8);
    rt_sti();
    unsigned start = pit_ticks;
    while (pit_ticks == start)
        ;
    rtc_ticks = 0;
    cmos_set(0x0b, 0x42); /* PIE */
    start = pit_ticks;
    while (pit_ticks - start < 100)
        ;
    cmos_set(0x0b, 0x02);
    rt_cli();
    unsigned n = rtc_ticks;
    rt_printf("periodic interrupts in 100 ms at 1024 Hz: 100-105: %s\n",
              n >= 100 && n <= 105 ? "yes" : "no");
    rt_pic_mask(8);
    rt_pic_mask(0);
}

int main(void)
{
    layout();
    start_time();
    rollover();
    twelve_hour();
    alarm();
    periodic();
    rt_puts("rtc done\n");
    return 0;
}
