/* apic_timer: the local APIC timer (SDM 3A 10.5.4) at -icount shift=0,
 * where a TSC tick and an APIC timer input tick are both a nanosecond
 * of virtual time in jet86 and in QEMU: a one-shot count at divide 1
 * and at divide 16 (the interrupt comes when the count has run down;
 * the current count then stays 0), a masked one-shot that counts down
 * without an interrupt, a periodic count (five interrupts a period
 * apart, the count reloaded each time), masking a periodic timer, and a
 * zero initial count stopping it. Times are printed as "within" a
 * window: the instructions of the wait loop and the handler differ
 * between emulators by a few. The waits spin rather than HLT: QEMU's
 * -icount lets virtual time run at the host's pace while the CPU
 * sleeps, so a halted wait would not measure the count. */
#include "rt/apic.h"
#include "rt/rt.h"

#define VEC 0x48
static volatile uint32_t fired;
static volatile uint64_t when[8];

static void on_timer(struct rt_frame *f)
{
    (void)f;
    if (fired < 8)
        when[fired] = apic_rdtsc();
    fired++;
    lapic_eoi();
}

static int within(uint64_t v, uint64_t lo, uint64_t hi) { return v >= lo && v <= hi; }

/* One-shot of count at the divide configuration dcr, expected to take
 * ns nanoseconds. */
static void one_shot(uint32_t dcr, uint32_t count, uint64_t ns)
{
    fired = 0;
    lapic_wr(0x3e0, dcr);
    lapic_wr(0x320, VEC);
    uint64_t t0 = apic_rdtsc();
    lapic_wr(0x380, count);
    uint32_t c1 = lapic_rd(0x390);
    uint32_t c2 = lapic_rd(0x390);
    rt_sti();
    while (!fired)
        __asm__ volatile("nop");
    rt_cli();
    uint64_t dt = when[0] - t0;
    rt_printf("one-shot dcr %x count %u: counting down %u, fired %u, after ~%u ns: %s, current now %u\n",
              dcr, count, c1 <= count && c2 <= c1, fired, (uint32_t)ns,
              within(dt, ns, ns + ns / 50 + 2000) ? "yes" : "no", lapic_rd(0x390));
    for (volatile int i = 0; i < 2000; i++)
        ;
    rt_printf("  no second interrupt: %u\n", fired == 1);
}

int main(void)
{
    rt_set_handler(VEC, on_timer);
    rt_printf("divide %x initial %u current %u\n", lapic_rd(0x3e0), lapic_rd(0x380), lapic_rd(0x390));

    one_shot(0xb, 50000, 50000);  /* divide by 1 */
    one_shot(0x3, 10000, 160000); /* divide by 16 */
    one_shot(0x0, 10000, 20000);  /* divide by 2 */

    /* Masked: counts down, no interrupt. */
    fired = 0;
    lapic_wr(0x3e0, 0xb);
    lapic_wr(0x320, 0x10000 | VEC);
    lapic_wr(0x380, 3000);
    rt_sti();
    for (volatile int i = 0; i < 3000; i++)
        ;
    rt_cli();
    rt_printf("masked one-shot: fired %u, current %u\n", fired, lapic_rd(0x390));

    /* Periodic, 20000 ns a period. */
    fired = 0;
    lapic_wr(0x320, 0x20000 | VEC);
    uint64_t t0 = apic_rdtsc();
    lapic_wr(0x380, 20000);
    rt_sti();
    while (fired < 5)
        __asm__ volatile("nop");
    rt_cli();
    uint32_t cur = lapic_rd(0x390);
    rt_printf("periodic: 5 interrupts, first after ~20000 ns: %s, 1st to 5th ~80000 ns: %s, count reloaded (0 < current <= 20000): %s\n",
              within(when[0] - t0, 20000, 22000) ? "yes" : "no",
              within(when[4] - when[0], 79000, 81000) ? "yes" : "no",
              cur > 0 && cur <= 20000 ? "yes" : "no");
    /* Masking stops the interrupts, not the count. */
    lapic_wr(0x320, 0x30000 | VEC);
    uint32_t before = fired;
    rt_sti();
    for (volatile int i = 0; i < 20000; i++)
        ;
    rt_cli();
    uint32_t c1 = lapic_rd(0x390);
    uint32_t c2 = lapic_rd(0x390);
    rt_printf("masked periodic: new interrupts %u, still counting %u\n", fired - before, c1 != c2);
    /* A zero initial count stops the timer. */
    lapic_wr(0x320, 0x20000 | VEC);
    lapic_wr(0x380, 0);
    before = fired;
    rt_sti();
    for (volatile int i = 0; i < 20000; i++)
        ;
    rt_cli();
    rt_printf("initial 0: interrupts %u, current %u\n", fired - before, lapic_rd(0x390));
    rt_puts("apic_timer done\n");
    return 0;
}
