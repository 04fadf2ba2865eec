/* icount_pit: under -icount shift=10 (icount_pit.args: 1024 ns per
 * instruction) the 8254 sees the virtual time of the instruction that
 * reads or writes it, even inside one block: two counter latches GAP
 * instructions apart differ by the PIT ticks in GAP * 1024 ns, and so does
 * a latch GAP instructions after the count was written.  Which tick
 * boundary falls where depends on the run's phase, so a difference of
 * floor(GAP * 1024 ns * 1.193182 MHz) or one more is right; reading the
 * time of the block's entry (or end) at both accesses gives 0.  The
 * functions are in icount_pit.asm. */
#include "rt/rt.h"

uint32_t pit_latch_gap10(void);
uint32_t pit_latch_gap100(void);
uint32_t pit_latch_gap200(void);
uint32_t pit_load_gap10(void);
uint32_t pit_load_gap100(void);
uint32_t pit_load_gap200(void);

#define PIT_HZ 1193182u
#define NS_PER_INSN 1024u

static void check(const char *what, uint32_t gap, uint32_t ticks)
{
    uint32_t lo = (uint32_t)((uint64_t)gap * NS_PER_INSN * PIT_HZ / 1000000000u);
    int ok = ticks == lo || ticks == lo + 1;
    rt_printf("%s %u instructions apart: %u or %u ticks: %s", what, gap, lo,
              lo + 1, ok ? "yes\n" : "no, ");
    if (!ok)
        rt_printf("%u\n", ticks);
}

int main(void)
{
    /* channel 0: mode 2, binary, count 65536 (IRQ0 stays masked) */
    outb(0x43, 0x34);
    outb(0x40, 0x00);
    outb(0x40, 0x00);
    /* Each twice: the first call translates, the second runs the cached
     * block. */
    for (int pass = 0; pass < 2; pass++) {
        check("latch, latch", 10, pit_latch_gap10());
        check("latch, latch", 100, pit_latch_gap100());
        check("latch, latch", 200, pit_latch_gap200());
        check("load, latch", 10, pit_load_gap10());
        check("load, latch", 100, pit_load_gap100());
        check("load, latch", 200, pit_load_gap200());
    }
    rt_puts("icount_pit done\n");
    return 0;
}
