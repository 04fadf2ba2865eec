/* rm_stack: real-mode interrupt delivery pushes FLAGS, CS and IP through
 * SS with its limit (SDM 3A 20.1.4; SDM 2 INT n, Real-Address Mode
 * Exceptions: "#SS If pushing the return address, flags, or error code
 * onto the stack exceeds the bounds of the stack segment"). SP wraps at
 * 64 KiB on the way (a 16-bit stack):
 * - SS limit 0xffff, SP 0: the three words go to 0xfffe, 0xfffc, 0xfffa;
 *   the handler is entered with SP 0xfffa and IRET brings SP back to 0;
 * - SS limit 0xffff, SP 2: FLAGS at 0, CS and IP wrap to 0xfffe, 0xfffc;
 * - an "unreal" SS (limit 0x7fff loaded in protected mode and kept in real
 *   mode, SDM 3A 20.1.1) with SP 0x9000: the push of FLAGS at 0x8ffe is
 *   beyond the limit, #SS. Delivering that #SS pushes on the same stack
 *   and fails the same way: a contributory exception while delivering
 *   one is #DF, whose delivery fails too, and the processor shuts down
 *   (SDM 3A 6.15, interrupt 8, Table 6-5: a fault while delivering #DF).
 *   With -no-reboot the run ends there, after the line announcing it.
 * The pushed words are read back from memory (IP is that of the
 * instruction after INT 0x60, CS the blob's segment).
 *
 * QEMU's TCG checks no segment limit in real mode (unreal.c says so too):
 * its run goes on through the third case (rm_stack.qemu-expected). Bochs
 * prints the same first three lines and shuts down as the SDM says (its
 * log: "stackPrefetch(2): access [0x00008ffe] > SS.limit [0x00007fff]"
 * three times, then "3rd (12) exception with no resolution"), but then
 * resets and its debugger stops there, so romrun.sh cannot compare its
 * run (rm_stack.nobochs). */
#include "rt/rt.h"

void rm_stack_run(uint32_t ss_sel, uint32_t sp);
extern char rm_start[], rm_notes[], rm_int_ret[];

#define RM_BASE 0x8000u
#define RM_SEG 0x800u
#define SEL_RM_DATA 0x50
#define SEL_UNREAL 0x58

static uint16_t word_at(uint16_t off)
{
    return *(volatile uint16_t *)(RM_BASE + off);
}

static void run(const char *what, uint32_t ss_sel, uint16_t sp)
{
    rm_stack_run(ss_sel, sp);
    const volatile uint16_t *notes =
        (const volatile uint16_t *)(RM_BASE + (uint32_t)(rm_notes - rm_start));
    uint16_t in = notes[0], after = notes[1];
    uint16_t ip = (uint16_t)(rm_int_ret - rm_start);
    rt_printf("%s: handler sp %04x, after iret sp %04x; pushed ip %s cs %04x flags.if %u\n", what,
              in, after, word_at(in) == ip ? "ok" : "WRONG", word_at((uint16_t)(in + 2)),
              (word_at((uint16_t)(in + 4)) >> 9) & 1);
}

int main(void)
{
    rt_gdt_set(9, RM_BASE, 0xffff, 0x9a, 0x0);
    rt_gdt_set(10, RM_BASE, 0xffff, 0x92, 0x0);
    rt_gdt_set(11, RM_BASE, 0x7fff, 0x92, 0x0);
    rt_gdt_reload();

    run("ss limit ffff, sp 0000", SEL_RM_DATA, 0x0000);
    run("ss limit ffff, sp 0002", SEL_RM_DATA, 0x0002);
    rt_printf("ss limit 7fff (unreal), sp 9000: #SS, #DF, shutdown\n");
    run("ss limit 7fff (unreal), sp 9000: no fault", SEL_UNREAL, 0x9000);
    rt_printf("rm_stack done\n");
    return 0;
}
