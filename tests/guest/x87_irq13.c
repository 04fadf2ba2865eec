/* x87_irq13: the x87's error in MS-DOS compatibility mode, CR0.NE = 0
 * (SDM vol. 1 8.7 and Appendix D.2): an unmasked exception (a zero
 * divide) sets ES; at the next waiting instruction (FWAIT) the FPU
 * asserts FERR# and the processor freezes before it. A PC wires FERR#
 * through a latch to IRQ 13 (vector 0x2d after rt_pic_init): the handler
 * runs with the FWAIT as its return address, writes port F0h (clears the
 * latch; IGNNE#) and clears the error with FNCLEX, and the FWAIT then
 * completes. No #MF; one interrupt per error; none without one; an FWAIT
 * in the shadow of STI freezes and is where the interrupt returns. QEMU
 * cannot run this program (x87_irq13.noqemu). */
#include "rt/rt.h"

static volatile uint32_t irq13_count, irq13_sw, irq13_eip, mf_count;

static void irq13_handler(struct rt_frame *f)
{
    uint16_t sw;
    outb(0xf0, 0);
    __asm__ volatile("fnstsw %0\n\tfnclex" : "=m"(sw));
    irq13_count++;
    irq13_sw = sw;
    irq13_eip = f->eip;
    rt_pic_eoi(13);
}

static void mf_handler(struct rt_frame *f)
{
    (void)f;
    __asm__ volatile("fnclex");
    mf_count++;
}

static const uint16_t cw_unmask_ze = 0x037b;

/* 1 / 0 unmasked (FDIV ST(0), ST(1)), then FWAIT; returns its address. */
static uint32_t zero_divide_then_fwait(void)
{
    uint32_t at;
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldz\n\tfld1\n\t.byte 0xd8,0xf1\n\t"
                     "movl $1f, %[at]\n"
                     "1:\tfwait\n\t"
                     : [at] "=m"(at)
                     : [cw] "m"(cw_unmask_ze)
                     : "memory");
    return at;
}

int main(void)
{
    uint32_t cr0, at;
    __asm__ volatile("movl %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("movl %0, %%cr0" : : "r"(cr0 & ~0x20u));
    rt_set_handler(16, mf_handler);
    rt_set_handler(0x2d, irq13_handler);
    rt_pic_unmask(2);
    rt_pic_unmask(13);

    rt_sti();
    at = zero_divide_then_fwait();
    rt_cli();
    rt_printf("irq13 %u, returned to the fwait %u, sw in handler %04x, #MF %u\n",
              irq13_count, irq13_eip == at, irq13_sw, mf_count);
    uint16_t sw;
    __asm__ volatile("fnstsw %0\n\tfninit" : "=m"(sw));
    rt_printf("after: sw %04x\n", sw);

    rt_sti();
    zero_divide_then_fwait();
    rt_cli();
    rt_printf("a second error: irq13 %u\n", irq13_count);

    rt_sti();
    __asm__ volatile("fninit\n\tfld1\n\tfwait\n\tfninit");
    for (volatile int i = 0; i < 100; i++)
        ;
    rt_cli();
    rt_printf("no error, no interrupt: irq13 %u\n", irq13_count);

    /* the error with IF = 0; STI; FWAIT: the FWAIT (in the STI's shadow)
     * freezes, and the interrupt is taken from it */
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldz\n\tfld1\n\t.byte 0xd8,0xf1\n\t"
                     "sti\n\tfwait\n\tcli"
                     : : [cw] "m"(cw_unmask_ze) : "memory");
    rt_printf("sti; fwait: irq13 %u, #MF %u\n", irq13_count, mf_count);
    rt_printf("x87_irq13 done\n");
    return 0;
}
