/* uart: the 16550A COM1 registers through the CPU: the divisor latch (DLAB)
 * reads back, IIR with and without FIFOs, loopback mode (MCR bit 4) that
 * returns transmitted bytes in RBR with LSR.DR, MSR mirroring MCR in
 * loopback, and the THRE interrupt on IRQ4 through the PIC (vector 0x24)
 * with IIR reporting it.  Output is printed only with the UART restored. */
#include "rt/rt.h"

#define COM1 0x3f8

static volatile uint32_t irq4_count, irq4_iir;

static void irq4(struct rt_frame *f)
{
    (void)f;
    irq4_count++;
    irq4_iir = inb(COM1 + 2);
    outb(COM1 + 1, 0x00); /* THRE interrupt off: reading IIR cleared it */
    rt_pic_eoi(4);
}

static void drain(void)
{
    while (!(inb(COM1 + 5) & 0x40))
        ;
}

int main(void)
{
    uint8_t dll, dlm, lcr, iir_fifo, iir_nofifo;
    drain();
    outb(COM1 + 3, 0x83); /* DLAB on */
    outb(COM1 + 0, 0x0c); /* 9600 baud */
    outb(COM1 + 1, 0x00);
    dll = inb(COM1 + 0);
    dlm = inb(COM1 + 1);
    outb(COM1 + 0, 0x01); /* back to 115200 */
    outb(COM1 + 3, 0x03);
    lcr = inb(COM1 + 3);
    rt_printf("divisor latch reads back %02x %02x, lcr %02x\n", dll, dlm, lcr);

    iir_fifo = inb(COM1 + 2);
    outb(COM1 + 2, 0x00);
    iir_nofifo = inb(COM1 + 2);
    outb(COM1 + 2, 0x07);
    rt_printf("iir with fifos %02x, without %02x\n", iir_fifo, iir_nofifo);

    /* loopback: nothing leaves the port while we test */
    drain();
    outb(COM1 + 4, 0x10 | 0x0b); /* LOOP, OUT2, RTS, DTR */
    uint8_t msr = inb(COM1 + 6);
    uint8_t got[4], lsr_before = inb(COM1 + 5), dr_after;
    for (int i = 0; i < 4; i++) {
        outb(COM1, (uint8_t)(0x41 + i));
        while (!(inb(COM1 + 5) & 0x01))
            ;
        got[i] = inb(COM1);
    }
    dr_after = inb(COM1 + 5) & 0x01;
    outb(COM1 + 4, 0x10 | 0x04); /* LOOP with only OUT1 */
    uint8_t msr2 = inb(COM1 + 6);
    outb(COM1 + 4, 0x03);        /* loopback off: DTR RTS */
    rt_printf("loopback: msr high nibble %x then %x, dr before %u, got %c%c%c%c, dr after %u\n",
              msr >> 4, msr2 >> 4, lsr_before & 1, got[0], got[1], got[2], got[3], dr_after);

    /* THRE interrupt on IRQ4 */
    drain();
    rt_set_handler(0x24, irq4);
    outb(COM1 + 4, 0x0b); /* OUT2 gates the IRQ line on PCs */
    rt_pic_unmask(4);
    rt_sti();
    outb(COM1 + 1, 0x02); /* ETBEI: THR is empty, so the interrupt is pending now */
    for (volatile int i = 0; i < 10000 && !irq4_count; i++)
        ;
    rt_cli();
    rt_pic_mask(4);
    rt_printf("thre interrupt on irq4: %s, iir %02x\n", irq4_count == 1 ? "yes" : "no", irq4_iir & 0x0f);
    rt_puts("uart done\n");
    return 0;
}
