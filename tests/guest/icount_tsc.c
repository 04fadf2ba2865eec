/* icount_tsc: under -icount shift=0 (1 ns per instruction, the TSC counting
 * nanoseconds) two RDTSCs differ by the number of instructions from the
 * first to the second, even inside one block: each reads the virtual time
 * of its own instruction, not that of its block's entry or end.  The
 * functions are in icount_tsc.asm; each returns the difference. */
#include "rt/rt.h"

uint64_t tsc_back_to_back(void);
uint64_t tsc_nops(void);
uint64_t tsc_alu(void);
uint64_t tsc_mem(void);
uint64_t tsc_io(void);
uint64_t tsc_long(void);

static void show(const char *what, uint64_t d)
{
    if (d >> 32)
        rt_printf("%s: over 2^32 ticks\n", what);
    else
        rt_printf("%s: %u ticks\n", what, (uint32_t)d);
}

int main(void)
{
    /* Each twice: the first call translates, the second runs the cached
     * (possibly chained) block. */
    for (int pass = 0; pass < 2; pass++) {
        rt_printf("pass %d\n", pass + 1);
        show("rdtsc, 2 mov, rdtsc", tsc_back_to_back());
        show("rdtsc, 2 mov, 100 nop, rdtsc", tsc_nops());
        show("rdtsc, 2 mov, 41 alu, rdtsc", tsc_alu());
        show("rdtsc, 2 mov, 50 mem, rdtsc", tsc_mem());
        show("rdtsc, 2 mov, 3 in, 1 mov, rdtsc", tsc_io());
        show("rdtsc, 2 mov, 300 nop, rdtsc", tsc_long());
    }
    rt_puts("icount_tsc done\n");
    return 0;
}
