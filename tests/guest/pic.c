/* pic: the 8259A pair through the CPU: IMR reads back on master and slave,
 * IRR (OCW3 read register command) shows requests held while IF=0, ISR
 * shows the IRQ in service inside its handler, two pending IRQs (IRQ0 from
 * the PIT, IRQ4 from the UART's THRE) are delivered in priority order, and
 * a specific EOI (OCW2 0x60|n) ends the right one.
 *
 * Bochs 2.7 (pic.bochs-expected) delivers IRQ4 first: IRQ4 is unmasked
 * and requested before IRQ0 arrives, and Bochs chooses the vector when it
 * raises INTR, not again when IRQ0 comes in before the acknowledge (with
 * both requests present before the unmask it delivers IRQ0 first). The
 * 8259A data sheet resolves priority at the first INTA pulse, which sets
 * the ISR bit of the highest-priority request in the IRR then: IRQ0, as
 * QEMU and jet86 do (pic.expected). */
#include "rt/rt.h"

static volatile uint32_t order[8], norder, isr_in0, isr_in4;

static uint8_t read_irr(void) { outb(0x20, 0x0a); return inb(0x20); }
static uint8_t read_isr(void) { outb(0x20, 0x0b); return inb(0x20); }

static void irq0(struct rt_frame *f)
{
    (void)f;
    if (norder < 8)
        order[norder++] = 0;
    isr_in0 = read_isr();
    rt_pic_mask(0); /* once is enough */
    outb(0x20, 0x60); /* specific EOI, IRQ0 */
}

static void irq4(struct rt_frame *f)
{
    (void)f;
    if (norder < 8)
        order[norder++] = 4;
    isr_in4 = read_isr();
    (void)inb(0x3fa);      /* IIR read clears the THRE interrupt */
    outb(0x3f9, 0x00);
    outb(0x20, 0x64); /* specific EOI, IRQ4 */
}

int main(void)
{
    outb(0x21, 0xa5);
    outb(0xa1, 0x5a);
    rt_printf("imr read back: master %02x slave %02x\n", inb(0x21), inb(0xa1));
    outb(0x21, 0xfb);
    outb(0xa1, 0xff);

    rt_set_handler(0x20, irq0);
    rt_set_handler(0x24, irq4);
    rt_pit_set_hz(1000);
    while (!(inb(0x3fd) & 0x40))
        ;
    outb(0x3fc, 0x0b);          /* OUT2 on */
    outb(0x3f9, 0x02);          /* THRE interrupt: pending at once */
    rt_pic_unmask(0);
    rt_pic_unmask(4);
    /* IF=0: wait until the timer has raised IRQ0 too */
    int tries = 0;
    while ((read_irr() & 0x11) != 0x11 && tries < 10000000)
        tries++;
    rt_printf("irr with IF=0: irq0 %u irq4 %u, isr %02x\n", read_irr() & 1, (read_irr() >> 4) & 1, read_isr());
    rt_sti();
    for (volatile int i = 0; i < 1000; i++)
        ;
    rt_cli();
    rt_pic_mask(4);
    rt_printf("delivered: %u irqs, first irq%u then irq%u\n", norder, order[0], order[1]);
    rt_printf("isr inside irq0 handler %02x, inside irq4 handler %02x, after %02x\n", isr_in0, isr_in4, read_isr());
    rt_puts("pic done\n");
    return 0;
}
