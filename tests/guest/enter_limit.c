/* enter_limit: ENTER checks its final stack pointer against the SS limit
 * before it writes anything (SDM 2, ENTER, Protected Mode Exceptions:
 * "#SS(0) If the new value of the SP or ESP register is outside the stack
 * segment limit"); a fault leaves EBP, ESP and the stack as they were.
 * The stack segments have base 0 so that the fault's handler, on the same
 * stack, finds its frame at the address DS sees:
 * - 32-bit (B = 1) expand-down, limit 0x67efff (offsets from 0x67f000 up),
 *   ESP 0x680000: ENTER 0x1004,0 would end at 0x67eff8 (#SS), ENTER
 *   0xffc,0 ends at 0x67f000; with level 3 (EBP 0x680100; four pushes)
 *   ENTER 0xff4,3 would end at 0x67effc (#SS), ENTER 0xff0,3 at 0x67f000;
 * - 16-bit (B = 0) expand-down, limit 0x6fff (offsets 0x7000-0xffff), SP
 *   0x8000: ENTER 0x1000,0 with a 32-bit operand would end at 0x6ffc, with
 *   a 16-bit operand at 0x6ffe (#SS both), and ENTER 0xffe,0 (16-bit
 *   operand) ends at 0x7000;
 * - 32-bit expand-up with limit 0xfffff, ESP 0x1000: ENTER 0x1000,0 would
 *   wrap to 0xfffffffc, beyond the limit (#SS); ENTER 0xffc,0 ends at 0.
 * Each line: the fault (or ok), EBP and ESP after, and whether EBP was
 * pushed. Bochs agrees; QEMU's TCG does not check the final stack pointer
 * (enter_limit.qemu-expected: every ENTER completes). */
#include "rt/rt.h"

void enter_run(uint32_t ss, uint32_t esp, uint32_t ebp, uint32_t form, uint32_t *out);
extern char enter_resume[];

#define SEL_DOWN32 0x48
#define SEL_DOWN16 0x50
#define SEL_UP32 0x58

static volatile uint32_t fault_vec, fault_err, faulted;

static void on_fault(struct rt_frame *f)
{
    fault_vec = f->vec;
    fault_err = f->err;
    faulted = 1;
    f->eip = (uint32_t)enter_resume;
}

static void run(const char *name, uint32_t ss, uint32_t esp, uint32_t ebp, uint32_t form,
                unsigned push_size)
{
    uint32_t out[2];
    volatile uint8_t *slot = (volatile uint8_t *)(esp - push_size);
    for (unsigned i = 0; i < push_size; i++)
        slot[i] = 0xee;
    faulted = 0;
    enter_run(ss, esp, ebp, form, out);
    /* the fault's handler pushes on this stack too: its EFLAGS land in
     * the slot, so "no" there means ENTER did not push EBP */
    int pushed = 1;
    for (unsigned i = 0; i < push_size; i++)
        pushed &= slot[i] == (uint8_t)(ebp >> (8 * i));
    if (faulted)
        rt_printf("%s: vector %u err %x", name, fault_vec, fault_err);
    else
        rt_printf("%s: ok", name);
    rt_printf(", ebp %x esp %x, ebp pushed %s\n", out[0], out[1], pushed ? "yes" : "no");
}

int main(void)
{
    for (int v = 0; v < 32; v++)
        rt_set_handler(v, on_fault);
    rt_gdt_set(SEL_DOWN32 / 8, 0, 0x67e, 0x97, 0xc); /* G: 0x67efff */
    rt_gdt_set(SEL_DOWN16 / 8, 0, 0x6fff, 0x97, 0x0);
    rt_gdt_set(SEL_UP32 / 8, 0, 0xfffff, 0x93, 0x4);
    rt_gdt_reload();

    rt_printf("-- 32-bit expand-down stack\n");
    run("enter 0x1004,0", SEL_DOWN32, 0x680000, 0x680100, 0, 4);
    run("enter 0xffc,0", SEL_DOWN32, 0x680000, 0x680100, 1, 4);
    run("enter 0xff4,3", SEL_DOWN32, 0x680000, 0x680100, 2, 4);
    run("enter 0xff0,3", SEL_DOWN32, 0x680000, 0x680100, 3, 4);
    rt_printf("-- 16-bit expand-down stack\n");
    run("enter 0x1000,0 (32-bit)", SEL_DOWN16, 0x8000, 0x8100, 6, 4);
    run("enter 0x1000,0 (16-bit)", SEL_DOWN16, 0x8000, 0x8100, 4, 2);
    run("enter 0xffe,0 (16-bit)", SEL_DOWN16, 0x8000, 0x8100, 5, 2);
    rt_printf("-- 32-bit expand-up stack\n");
    run("enter 0x1000,0", SEL_UP32, 0x1000, 0x1100, 6, 4);
    run("enter 0xffc,0", SEL_UP32, 0x1000, 0x1100, 1, 4);
    rt_printf("enter_limit done\n");
    return 0;
}
