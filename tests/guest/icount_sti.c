/* icount_sti: timer interrupts that fall due in the shadow of STI (SDM 2
 * STI: interrupts are recognized after the instruction that follows it).
 * The PIT interrupts every 59 PIT clocks; the program spends its time in
 * a loop of STI; NOP; CLI, so under -icount the CPU loop's deadline
 * (where it asks for a block of exactly the instructions left) often
 * falls between the STI and the NOP. jet86 once took the NOP into such a
 * block anyway, made it one instruction longer than the budget, never
 * entered it and asked for it again for ever. Every interrupt must come
 * after a NOP, none between the STI and its NOP, until 200 ticks. */
#include "rt/rt.h"

#define TICKS 200

static volatile uint32_t ticks, in_shadow;
extern char sti_insn[], nop_insn[], cli_insn[];

static void on_timer(struct rt_frame *f)
{
    ticks++;
    if (f->eip == (uint32_t)nop_insn)
        in_shadow++; /* between STI and NOP: the shadow was not honoured */
    else if (f->eip != (uint32_t)cli_insn)
        rt_printf("tick at an unexpected place (offset %d from the STI)\n",
                  (int)(f->eip - (uint32_t)sti_insn));
    rt_pic_eoi(0);
}

int main(void)
{
    rt_set_handler(0x20, on_timer);
    rt_pic_unmask(0);
    outb(0x43, 0x34); /* channel 0, mode 2, divisor 59 (about 49 us) */
    outb(0x40, 59);
    outb(0x40, 0);
    uint32_t loops = 0;
    while (ticks < TICKS) {
        __asm__ volatile(".globl sti_insn, nop_insn, cli_insn\n"
                         "sti_insn: sti\n"
                         "nop_insn: nop\n"
                         "cli_insn: cli\n" ::: "memory");
        loops++;
    }
    rt_pic_mask(0);
    rt_printf("%u timer interrupts, all after the NOP: %s\n", (uint32_t)TICKS,
              in_shadow ? "no" : "yes");
    rt_printf("loop ran: %s\n", loops > TICKS ? "yes" : "no");
    return 0;
}
