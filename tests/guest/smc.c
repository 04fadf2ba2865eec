/* smc: self-modifying code.  A store changes an instruction later in the
 * same straight-line run, the very next instruction, an opcode; a hot
 * chained function is patched after many calls; a loop patches its own
 * body; code is copied over a buffer with REP MOVSB and rerun; a store
 * rewrites an instruction already executed in the running block; a store
 * spans two instructions.  On real hardware every store takes effect for
 * the next instruction fetched (SDM 3A 11.6). */
#include "rt/rt.h"

uint32_t smc_later(void);
uint32_t smc_next(void);
uint32_t smc_opcode(void);
void smc_reset(void);
uint32_t smc_hot(void);
extern uint8_t smc_hot_imm[];
uint32_t smc_loop(void);
uint32_t smc_copy(void);
uint32_t smc_behind(void);
uint32_t smc_span(void);

int main(void)
{
    for (int pass = 1; pass <= 2; pass++) {
        rt_printf("pass %d\n", pass);
        rt_printf("later in block: %x\n", smc_later());
        rt_printf("next insn: %x\n", smc_next());
        rt_printf("opcode inc->dec: %x\n", smc_opcode());
        rt_printf("loop patching itself: %u\n", smc_loop());
        rt_printf("copy and run: %x\n", smc_copy());
        rt_printf("already executed insn: %x\n", smc_behind());
        rt_printf("store across two insns: %x\n", smc_span());
        smc_reset();
    }

    uint32_t sum = 0;
    for (int i = 0; i < 1000; i++)
        sum += smc_hot();
    rt_printf("hot function before: sum %u\n", sum);
    for (uint32_t v = 2; v <= 4; v++) {
        smc_hot_imm[0] = (uint8_t)v;
        sum = 0;
        for (int i = 0; i < 1000; i++)
            sum += smc_hot();
        rt_printf("hot function patched to %u: sum %u\n", v, sum);
    }
    rt_puts("smc done\n");
    return 0;
}
