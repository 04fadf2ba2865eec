/* hpet: the HPET at 0xFED00000 (IA-PC HPET 1.0a) as QEMU's pc has it:
 * the capabilities (100 MHz, 3 timers, 64-bit, legacy capable, vendor
 * 8086h), timer capabilities and route capability, a halted counter that
 * runs once enabled at a tenth of the TSC's rate (-icount shift=0: both
 * from virtual nanoseconds), 32-bit mode, the route field refusing a pin
 * the capability lacks, legacy replacement (timer 0 on IRQ0 instead of
 * the PIT: periodic, its comparator the accumulator of periods; timer 1
 * one-shot on IRQ8), and timer 2 level-triggered through IOAPIC pin 2
 * with its interrupt status bit cleared by writing 1.
 *
 * QEMU 7.2 (hpet.qemu-expected) differs in three lines: in 32-bit mode
 * it keeps the comparator's upper half as written (the specification's
 * 32-bit timer has none: jet86 reads it 0); it takes a route its
 * capability register does not allow (2.3.9.2.2: "the value read back
 * will not match what is written"); and it delivers each legacy timer 0
 * interrupt twice (two IRQ0s 55 ns apart every period), so its five
 * interrupts span two and a half periods. Bochs 2.7
 * (hpet.bochs-expected) gives every timer the route capability 00FFFFFFh
 * (any IOAPIC pin), so it takes route 5. */
#include "rt/apic.h"
#include "rt/rt.h"

static uint32_t hpet_rd(uint32_t off) { return mmio_rd(HPET_BASE + off); }
static void hpet_wr(uint32_t off, uint32_t v) { mmio_wr(HPET_BASE + off, v); }
static uint32_t tcfg(int n) { return 0x100 + 0x20 * n; }
static uint32_t tcmp(int n) { return 0x108 + 0x20 * n; }

static volatile uint32_t irq0s, irq8s, lvl, sts_in;
static volatile uint64_t when[8];

static void on_irq0(struct rt_frame *f)
{
    (void)f;
    if (irq0s < 8)
        when[irq0s] = apic_rdtsc();
    irq0s++;
    rt_pic_eoi(0);
}
static void on_irq8(struct rt_frame *f)
{
    (void)f;
    irq8s++;
    rt_pic_eoi(8);
}
static void on_level(struct rt_frame *f)
{
    (void)f;
    lvl++;
    sts_in = hpet_rd(0x20);
    hpet_wr(0x20, 1u << 2); /* the line drops */
    lapic_eoi();
}

static void on_spurious(struct rt_frame *f) { (void)f; }

static void spin(int n)
{
    for (volatile int i = 0; i < n; i++)
        ;
}

int main(void)
{
    rt_printf("capabilities %08x %08x\n", hpet_rd(4), hpet_rd(0));
    rt_printf("config %08x status %08x\n", hpet_rd(0x10), hpet_rd(0x20));
    for (int n = 0; n < 3; n++)
        rt_printf("timer %d: config %08x %08x comparator %08x %08x\n", n,
                  hpet_rd(tcfg(n) + 4), hpet_rd(tcfg(n)), hpet_rd(tcmp(n) + 4),
                  hpet_rd(tcmp(n)));
    uint32_t c0 = hpet_rd(0xf0);
    spin(1000);
    rt_printf("halted counter %u, still %u\n", c0, hpet_rd(0xf0) == c0);

    hpet_wr(0x10, 1);
    uint64_t t0 = apic_rdtsc();
    uint32_t a = hpet_rd(0xf0);
    spin(20000);
    uint32_t b = hpet_rd(0xf0);
    uint64_t t1 = apic_rdtsc();
    uint64_t ticks = b - a, ns = t1 - t0;
    rt_printf("enabled: counter runs %u, at a tenth of the TSC's rate: %s\n", b > a,
              ticks * 10 <= ns + 20 && ticks * 10 + 40 >= ns ? "yes" : "no");

    /* 32-bit mode: the comparator's upper half reads 0 */
    hpet_wr(tcfg(0), 1u << 8);
    hpet_wr(tcmp(0), 0x12345678);
    hpet_wr(tcmp(0) + 4, 0xffffffffu);
    rt_printf("32-bit timer 0: comparator %08x %08x\n", hpet_rd(tcmp(0) + 4), hpet_rd(tcmp(0)));
    hpet_wr(tcfg(0), 0);
    /* route 5 is not in the capability (pin 2 only) */
    hpet_wr(tcfg(2), 5u << 9);
    rt_printf("route 5 written: route %u\n", (hpet_rd(tcfg(2)) >> 9) & 0x1f);
    hpet_wr(tcfg(2), 2u << 9);
    rt_printf("route 2 written: route %u\n", (hpet_rd(tcfg(2)) >> 9) & 0x1f);

    /* Legacy replacement: the PIT no longer reaches IRQ0. */
    rt_pic_init();
    rt_set_handler(0x20, on_irq0);
    rt_set_handler(0x28, on_irq8);
    rt_set_handler(0x27, on_spurious); /* the 8259A's IRQ7 (QEMU) */
    rt_pit_set_hz(20000);
    rt_pic_unmask(0);
    rt_pic_unmask(2);
    rt_pic_unmask(8);
    hpet_wr(0x10, 3);
    rt_sti();
    spin(200000);
    rt_cli();
    rt_printf("legacy, timer 0 off: irq0 %u\n", irq0s);

    /* Timer 0 periodic on IRQ0, 10000 ticks (100 us) a period. */
    uint32_t now = hpet_rd(0xf0);
    /* VAL_SET lets one write set the comparator (and the period) */
    hpet_wr(tcfg(0), (1u << 2) | (1u << 3) | (1u << 6));
    hpet_wr(tcmp(0) + 4, 0);
    hpet_wr(tcfg(0), (1u << 2) | (1u << 3) | (1u << 6));
    hpet_wr(tcmp(0), now + 10000);
    hpet_wr(tcmp(0), 10000);        /* without it, only the period */
    uint32_t first = now + 10000;
    rt_sti();
    while (irq0s < 5)
        __asm__ volatile("nop");
    rt_cli();
    hpet_wr(tcfg(0), 0);
    uint32_t cmp = hpet_rd(tcmp(0));
    rt_printf("timer 0 periodic: 5 irq0, spaced ~100000 ns: %s, comparator advanced by whole periods: %s\n",
              when[4] - when[0] >= 399000 && when[4] - when[0] <= 401000 ? "yes" : "no",
              (cmp - first) % 10000 == 0 && cmp - first >= 40000 ? "yes" : "no");

    /* Timer 1 one-shot on IRQ8. */
    now = hpet_rd(0xf0);
    hpet_wr(tcmp(1) + 4, 0);
    hpet_wr(tcmp(1), now + 5000);
    hpet_wr(tcfg(1), 1u << 2);
    rt_sti();
    while (!irq8s)
        __asm__ volatile("nop");
    spin(100000);
    rt_cli();
    hpet_wr(tcfg(1), 0);
    rt_printf("timer 1 one-shot: irq8 %u\n", irq8s);
    hpet_wr(0x10, 1);               /* legacy off */

    /* Timer 2, level-triggered, through IOAPIC pin 2. */
    rt_pic_mask(0);
    rt_pic_mask(2);
    rt_pic_mask(8);
    /* The PIT's IRQ0 also drives pin 2 (QEMU's pc wiring): mode 0 keeps
     * its output low for the 55 ms of a count of 65535. */
    outb(0x43, 0x30);
    outb(0x40, 0xff);
    outb(0x40, 0xff);
    rt_set_handler(0x50, on_level);
    ioapic_wr(0x10 + 5, 0);
    ioapic_wr(0x10 + 4, 0x8000 | 0x50);
    now = hpet_rd(0xf0);
    hpet_wr(tcmp(2) + 4, 0);
    hpet_wr(tcmp(2), now + 3000);
    hpet_wr(tcfg(2), (2u << 9) | (1u << 2) | (1u << 1));
    rt_sti();
    while (!lvl)
        __asm__ volatile("nop");
    spin(100000);
    rt_cli();
    rt_printf("timer 2 level via ioapic pin 2: %u interrupts, status in handler %x, after %x\n",
              lvl, sts_in & 7, hpet_rd(0x20) & 7);
    hpet_wr(tcfg(2), 0);
    ioapic_wr(0x10 + 4, 0x10000);
    hpet_wr(0x10, 0);
    rt_puts("hpet done\n");
    return 0;
}
