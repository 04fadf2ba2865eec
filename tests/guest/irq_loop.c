/* irq_loop: IRQ0 from the 8254 PIT through the remapped 8259A arriving in
 * hot chained loops: a loop polling a memory counter, and a register-only
 * loop (irq_loop.asm) that must be interrupted inside its body with its
 * registers intact; HLT waking on IRQ0; no delivery while IF=0, the pending
 * IRQ taken after the instruction in STI's shadow, and right after a POPF
 * that sets IF.  Iteration counts differ between
 * emulators, so only facts true on any correct one are printed. */
#include "rt/rt.h"

uint32_t irq_reg_loop(uint32_t count);
extern char irq_after_sti_nop[], irq_after_popf[];
extern uint8_t irq_loop_start[], irq_loop_end[];

static volatile uint32_t ticks, in_loop_hits, last_eip;
/* REP STOSD interrupted between iterations: EIP at the REP and
 * EDI + 4 * ECX == the end of the area (SDM 2B REP: restartable) */
static volatile uint32_t rep_eip, rep_end, rep_stops, rep_bad;
/* At the loop head the flags are those of "cmp ecx, edx" (the JNE taken):
 * recompute them from the saved registers and compare with the saved
 * EFLAGS, whose arithmetic bits must be materialized exactly there. */
static volatile uint32_t head_hits, head_bad;

static void timer(struct rt_frame *f)
{
    ticks++;
    last_eip = f->eip;
    if (f->eip == rep_eip) {
        rep_stops++;
        if (f->edi + 4 * f->ecx != rep_end || f->ecx == 0)
            rep_bad++;
    }
    if (f->eip >= (uint32_t)irq_loop_start && f->eip <= (uint32_t)irq_loop_end)
        in_loop_hits++;
    if (f->eip == (uint32_t)irq_loop_start && f->ecx != 0) {
        uint32_t fl;
        __asm__("cmpl %2, %1\n\tpushfl\n\tpopl %0" : "=r"(fl) : "r"(f->ecx), "r"(f->edx) : "cc");
        head_hits++;
        if ((fl ^ f->eflags) & FL_ARITH)
            head_bad++;
    }
    rt_pic_eoi(0);
}

static uint32_t reg_loop_reference(uint32_t count)
{
    uint32_t a = 0x12345678u;
    for (uint32_t c = 0; c < count; c++)
        a = ((a << 3) | (a >> 29)) + c;
    return a;
}

int main(void)
{
    rt_set_handler(0x20, timer);
    rt_pit_set_hz(10000);
    rt_pic_unmask(0);
    rt_sti();

    /* 1: hot loop polling memory */
    uint32_t iters = 0;
    while (ticks < 20)
        iters++;
    rt_printf("ticks=20 reached; loop interrupted: %s\n", iters > 0 ? "yes" : "no");

    /* 2: register-only loop, 1M iterations of 5 instructions: about 50 ticks */
    uint32_t t0 = ticks;
    uint32_t r = irq_reg_loop(1000000);
    uint32_t t1 = ticks;
    rt_printf("register loop: ticks during loop > 10: %s\n", t1 - t0 > 10 ? "yes" : "no");
    rt_printf("register loop: irq taken inside the loop body: %s\n", in_loop_hits > 10 ? "yes" : "no");
    rt_printf("register loop: checksum %s\n", r == reg_loop_reference(1000000) ? "ok" : "WRONG");
    rt_printf("register loop: saved EFLAGS wrong at the loop head: %u times\n", head_bad);

    /* 3: HLT waits for the next IRQ */
    uint32_t before = ticks;
    __asm__ volatile("hlt");
    rt_printf("hlt woke on irq0: %s\n", ticks == before + 1 ? "yes" : "no");

    /* 4: IF=0 holds the IRQ pending; STI delivers it after one instruction */
    rt_cli();
    before = ticks;
    volatile uint32_t spin = 0;
    for (int i = 0; i < 1000000; i++)
        spin++;
    uint32_t during = ticks;
    rt_printf("no tick while IF=0: %s\n", during == before ? "yes" : "no");
    /* SDM 3A 6.8.3: STI's interrupt shadow lets exactly one more
     * instruction run first, so the frame's EIP is after the first NOP */
    __asm__ volatile("sti\n\tnop\nirq_after_sti_nop:\n\tnop" ::: "memory");
    uint32_t sti_eip = last_eip, sti_ticks = ticks; /* before printing lets more ticks in */
    rt_printf("pending irq0 taken after sti: %s\n", sti_ticks > before ? "yes" : "no");
    rt_printf("  ...after the one instruction in sti's shadow: %s\n",
              sti_eip == (uint32_t)irq_after_sti_nop ? "yes" : "no");

    /* POPF that sets IF has no shadow: the pending IRQ comes right after it */
    rt_cli();
    before = ticks;
    for (int i = 0; i < 1000000; i++)
        spin++;
    __asm__ volatile("pushl $0x202\n\tpopfl\nirq_after_popf:\n\tnop\n\tnop" ::: "memory", "cc");
    uint32_t popf_eip = last_eip, popf_ticks = ticks;
    rt_printf("pending irq0 taken right after popf sets IF: %s\n",
              popf_ticks > before && popf_eip == (uint32_t)irq_after_popf ? "yes" : "no");

    /* 5: a 4 MiB REP STOSD with IRQ0 running: it completes, and any IRQ
     * taken inside it sees a consistent partial state */
    {
        uint32_t *area = (uint32_t *)0x800000, n = 1u << 20;
        uint32_t di = (uint32_t)area, cx = n;
        rep_end = di + 4 * n;
        __asm__ volatile("movl $1f, rep_eip\n\tcld\n1:\trep stosl"
                         : "+D"(di), "+c"(cx) : "a"(0x5a5a5a5au) : "memory");
        int whole = cx == 0 && di == rep_end;
        for (uint32_t i = 0; i < n; i += 4097)
            if (area[i] != 0x5a5a5a5au)
                whole = 0;
        /* whether IRQs land inside the REP depends on how an emulator
         * counts its iterations as instructions, so that is not printed */
        rt_printf("rep stosd 4 MiB with irqs on: complete %s, bad partial states %u\n", whole ? "yes" : "no",
                  rep_bad);
    }

    /* 6: keep going to a round number of ticks */
    while (ticks < 500)
        __asm__ volatile("hlt");
    rt_cli();
    rt_printf("ticks=%u reached\n", ticks);
    rt_puts("irq_loop done\n");
    return 0;
}
