/* x87_reset: the x87 as the processor's RESET left it, read before any
 * FNINIT (neither the built-in BIOS, the Multiboot hand-off nor the ROM
 * build's reset stub initializes it). SDM 3A 9.1.1, Table 9-1, for power-up
 * and RESET: control word 0040H (every exception unmasked, single
 * precision, round to nearest), status word 0, tag word 5555H (R0-R7 hold
 * +0.0), instruction and operand pointers and the opcode 0; and 9.2: this
 * differs from FNINIT's state (037FH, 0, FFFFH), which the program then
 * shows for comparison. The first x87 instructions are the non-waiting
 * FNSTCW, FNSTSW and FNSTENV, then FNSAVE for the registers (which runs
 * FNINIT afterwards, SDM vol. 2 FSAVE).
 *
 * QEMU (x87_reset.qemu-expected) starts its x87 as FNINIT leaves it, CW
 * 037F and every register empty (tag word FFFF), instead of Table 9-1's
 * power-up state. */
#include "rt/rt.h"

static void show_env(const char *when, const uint16_t *env)
{
    rt_printf("%s: fstenv cw %04x sw %04x tw %04x fip %04x%04x fcs %04x "
              "fop %03x fdp %04x%04x fds %04x\n",
              when, env[0], env[2], env[4], env[7], env[6], env[8],
              env[9] & 0x7ff, env[11], env[10], env[12]);
}

int main(void)
{
    uint16_t cw, sw, env[14], save[54];

    __asm__ volatile("fnstcw %0" : "=m"(cw));
    __asm__ volatile("fnstsw %0" : "=m"(sw));
    rt_printf("after reset: fnstcw %04x fnstsw %04x\n", cw, sw);
    __asm__ volatile("fnstenv %0" : "=m"(env) : : "memory");
    show_env("after reset", env);
    __asm__ volatile("fnsave %0" : "=m"(save) : : "memory");
    for (int r = 0; r < 8; r++) {
        const uint16_t *x = &save[14 + 5 * r];
        rt_printf("  st%d %04x:%04x%04x%04x%04x\n", r, x[4], x[3], x[2], x[1],
                  x[0]);
    }
    /* FNSAVE ran FNINIT */
    __asm__ volatile("fnstenv %0" : "=m"(env) : : "memory");
    show_env("after fnsave", env);
    rt_printf("x87_reset done\n");
    return 0;
}
