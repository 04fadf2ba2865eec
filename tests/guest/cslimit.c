/* cslimit: the CS limit on instruction fetch and on branch targets (SDM 3A
 * 5.3: an instruction any byte of which lies beyond the limit faults
 * #GP(0) before it executes; SDM 2, JMP/Jcc/CALL/RET/LOOP: a target beyond
 * the limit is #GP(0) at the branch, with nothing of it done). Code in
 * cslimit.asm's blob runs through 32-bit code segments based at 0x600000
 * with limits 0xfff, 0x1001 and 0xfffff, which share their translated
 * blocks (same base, same mode): each line prints the vector, the faulting
 * EIP (an offset in the segment) and, for CALL, RET and LOOP, whether ESP
 * and ECX kept their values; "ok" and EAX when the code returned.
 * QEMU's TCG checks the CS limit only in far transfers: a near branch
 * beyond the limit and code running off its end go on there, so it has
 * its own output in cslimit.qemu-expected; cslimit.expected follows the
 * SDM.
 *
 * Bochs (cslimit.bochs-expected) lets an instruction whose bytes cross the
 * CS limit run and faults at the next one (EIP 1002); the SDM (3A 5.3) has
 * the fetch of bytes beyond the limit fault, EIP on the instruction (ffd).
 */
#include "rt/rt.h"

void cs_run(uint32_t offset, uint32_t sel);
extern char cs_resume[], cs_blob[], cs_blob_end[];
extern uint32_t after_eax, after_ecx;

static volatile uint32_t f_vec, f_eip, f_err, f_ecx, f_esp, faults;

static void on_fault(struct rt_frame *f)
{
    f_vec = f->vec;
    f_err = f->err;
    f_eip = f->eip;
    f_ecx = f->ecx;
    /* same privilege: the interrupted ESP is just above the frame */
    f_esp = (uint32_t)&f->eflags + 4;
    faults++;
    f->eip = (uint32_t)cs_resume;
    f->cs = 0x08;
}

#define SEG_A 0x48 /* limit 0xfff */
#define SEG_B 0x50 /* limit 0x1001 */
#define SEG_C 0x58 /* limit 0xfffff */

static void run(const char *what, uint32_t off, uint32_t sel, int show_esp)
{
    uint32_t before = faults;
    cs_run(off, sel);
    if (faults == before) {
        rt_printf("%s: ok, eax %x\n", what, after_eax);
        return;
    }
    rt_printf("%s: vector %u err %x at %x", what, f_vec, f_err, f_eip);
    if (show_esp == 1)
        rt_printf(", esp kept: %s", f_esp == f_ecx ? "yes" : "no");
    if (show_esp == 2)
        rt_printf(", ecx %x", f_ecx);
    rt_printf("\n");
}

int main(void)
{
    rt_gdt_set(9, 0x600000, 0xfff, 0x9b, 0x4);
    rt_gdt_set(10, 0x600000, 0x1001, 0x9b, 0x4);
    rt_gdt_set(11, 0x600000, 0xfffff, 0x9b, 0x4);
    rt_gdt_reload();
    memcpy((void *)0x600000, cs_blob, (size_t)(cs_blob_end - cs_blob));
    rt_set_handler(13, on_fault);
    rt_set_handler(6, on_fault);

    run("jmp to 0x1100, limit 0xfff", 0x000, SEG_A, 0);
    run("jmp to 0x1100, limit 0xfffff", 0x000, SEG_C, 0);
    run("jz taken to 0x1100", 0x020, SEG_A, 0);
    run("jnz not taken to 0x1100", 0x040, SEG_A, 0);
    run("call to 0x1110", 0x060, SEG_A, 1);
    run("ret to 0x1100", 0x080, SEG_A, 1);
    run("jmp ecx to 0x1100", 0x0a0, SEG_A, 0);
    run("loop to 0x1004", 0xf80, SEG_A, 2);
    run("loop to 0x1004, limit 0xfffff", 0xf80, SEG_C, 0);
    run("jmp to 0xfff, limit 0xfff", 0x0e0, SEG_A, 0);
    run("o16 jmp cx (0x10130)", 0x120, SEG_A, 0);
    /* the same blocks under three limits, the largest first */
    run("mov across 0x1000, limit 0xfffff", 0xff8, SEG_C, 0);
    run("mov across 0x1000, limit 0xfff", 0xff8, SEG_A, 0);
    run("mov across 0x1000, limit 0x1001", 0xff8, SEG_B, 0);
    run("mov across 0x1000, limit 0xfffff", 0xff8, SEG_C, 0);
    run("mov across 0x1000, limit 0xfff", 0xff8, SEG_A, 0);
    rt_puts("cslimit done\n");
    return 0;
}
