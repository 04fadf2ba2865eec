/* ioapic: the 82093AA I/O APIC through IOREGSEL/IOWIN: the version
 * register (24 entries), the ID register's writable bits, a redirection
 * entry's reset value and writable bits (delivery status and Remote IRR
 * read-only), the PIT's IRQ0 delivered through pin 2 as an edge with the
 * 8259A masked (and stopped by the entry's mask), and the RTC's IRQ8 as
 * a level on pin 8: Remote IRR set while the vector is in service, the
 * interrupt sent again after an EOI while the line stays high, and
 * Remote IRR clear once the line has dropped (register C read) and the
 * vector has had its EOI.
 *
 * QEMU (ioapic.qemu-expected) shows version 20h, the later ICH IOAPIC
 * with an EOI register, where the 82093AA is 11h; and it keeps the
 * reserved bits 55:17 of a redirection entry as written, which the
 * data sheet reserves (jet86 reads them as 0). Bochs
 * (ioapic.bochs-expected) keeps 8 ID bits, where the 82093AA has 4
 * (27:24), and the reserved entry bits as QEMU does. */
#include "rt/apic.h"
#include "rt/rt.h"

#define PIT_VEC 0x30
#define RTC_VEC 0x31

static volatile uint32_t pit_count, rtc_count, rte_in[4];

static void on_pit(struct rt_frame *f)
{
    (void)f;
    pit_count++;
    lapic_eoi();
}

static uint8_t cmos_read(uint8_t r)
{
    outb(0x70, r);
    return inb(0x71);
}
static void cmos_write(uint8_t r, uint8_t v)
{
    outb(0x70, r);
    outb(0x71, v);
}

static void on_rtc(struct rt_frame *f)
{
    (void)f;
    uint32_t n = rtc_count++;
    if (n < 4)
        rte_in[n] = ioapic_rd(0x10 + 2 * 8);
    if (n >= 1) {
        cmos_write(0x0b, cmos_read(0x0b) & ~0x40); /* PIE off */
        (void)cmos_read(0x0c);                    /* the line drops */
    }
    lapic_eoi(); /* the first time the line is still high: sent again */
}

static void wait(int n)
{
    for (volatile int i = 0; i < n; i++)
        ;
}

int main(void)
{
    rt_printf("version %08x\n", ioapic_rd(0x01));
    uint32_t id = ioapic_rd(0x00);
    ioapic_wr(0x00, 0xffffffffu);
    rt_printf("id after all ones: %08x\n", ioapic_rd(0x00));
    ioapic_wr(0x00, id);
    rt_printf("entry 5 at reset: %08x %08x\n", ioapic_rd(0x10 + 11), ioapic_rd(0x10 + 10));
    ioapic_wr(0x10 + 10, 0xffffffffu);
    ioapic_wr(0x10 + 11, 0xffffffffu);
    rt_printf("entry 5 after all ones: %08x %08x\n", ioapic_rd(0x10 + 11), ioapic_rd(0x10 + 10));
    ioapic_wr(0x10 + 10, 0x10000);
    ioapic_wr(0x10 + 11, 0);
    rt_printf("entry 23 at reset: %08x\n", ioapic_rd(0x10 + 46));

    /* The PIT on pin 2, the 8259A masked. */
    rt_pic_init();
    rt_set_handler(PIT_VEC, on_pit);
    rt_pit_set_hz(1000);
    ioapic_wr(0x10 + 5, 0);              /* destination: APIC ID 0 */
    ioapic_wr(0x10 + 4, PIT_VEC);        /* fixed, physical, edge, high */
    rt_sti();
    while (pit_count < 3)
        __asm__ volatile("nop");
    ioapic_wr(0x10 + 4, 0x10000 | PIT_VEC);
    uint32_t at_mask = pit_count;
    wait(2000000);
    rt_cli();
    rt_printf("pit through pin 2: %u interrupts, after the mask %u more\n",
              at_mask >= 3 ? 3 : at_mask, pit_count - at_mask);

    /* The RTC's periodic interrupt on pin 8, level-triggered. */
    rt_set_handler(RTC_VEC, on_rtc);
    (void)cmos_read(0x0c);
    ioapic_wr(0x10 + 17, 0);
    ioapic_wr(0x10 + 16, 0x8000 | RTC_VEC); /* level, active high */
    cmos_write(0x0a, 0x26);                 /* 1024 Hz */
    cmos_write(0x0b, cmos_read(0x0b) | 0x40);
    rt_sti();
    while (rtc_count < 2)
        __asm__ volatile("nop");
    wait(10000);
    rt_cli();
    rt_printf("rtc through pin 8 (level): %u interrupts\n", rtc_count);
    rt_printf("  remote irr in the 1st handler %u, in the 2nd %u, after the last eoi %u\n",
              (rte_in[0] >> 14) & 1, (rte_in[1] >> 14) & 1,
              (ioapic_rd(0x10 + 16) >> 14) & 1);
    ioapic_wr(0x10 + 16, 0x10000);
    rt_puts("ioapic done\n");
    return 0;
}
