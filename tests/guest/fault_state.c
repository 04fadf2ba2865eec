/* fault_state: a fault in the middle of a straight-line block (#DE, #GP
 * and #NP from segment loads, #UD, and #DE in the third pass of a loop)
 * must leave the state exactly as after the previous instruction: every
 * register, the arithmetic flags, stores done before it, and EIP of the
 * faulting instruction.  The handler prints the frame and resumes after
 * the block.  SDM 3A 6.5: faults report the faulting instruction. */
#include "rt/rt.h"

volatile uint32_t fs_expect, fs_resume, fs_esp;
extern uint32_t fs_mem[4];
uint32_t fault_de(void);
uint32_t fault_gp(void);
uint32_t fault_np(void);
uint32_t fault_xo(void);
uint32_t fault_ud(void);
uint32_t fault_loop(void);

static void handler(struct rt_frame *f)
{
    /* same privilege: the interrupted ESP is just above the EFLAGS slot */
    uint32_t esp = (uint32_t)&f->eflags + 4;
    rt_printf("  vector %u err %x eip ok %s\n", f->vec, f->err, f->eip == fs_expect ? "yes" : "no");
    rt_printf("  eax=%x ebx=%x ecx=%x edx=%x\n", f->eax, f->ebx, f->ecx, f->edx);
    rt_printf("  esi=%x edi=%x ebp=%x esp-block=%d\n", f->esi, f->edi, f->ebp, (int32_t)(esp - fs_esp));
    rt_printf("  ds=%x es=%x fs=%x gs=%x cs=%x flags ", f->ds & 0xffff, f->es & 0xffff, f->fs & 0xffff,
              f->gs & 0xffff, f->cs & 0xffff);
    rt_print_flags(f->eflags, FL_ARITH);
    rt_printf(" if=%u df=%u\n", (f->eflags >> 9) & 1, (f->eflags >> 10) & 1);
    rt_printf("  mem %x %x %x %x\n", fs_mem[0], fs_mem[1], fs_mem[2], fs_mem[3]);
    f->eip = fs_resume;
}

int main(void)
{
    rt_set_handler(0, handler);
    rt_set_handler(6, handler);
    rt_set_handler(11, handler);
    rt_set_handler(13, handler);
    rt_puts("#DE mid-block:\n");
    fault_de();
    rt_puts("#GP selector past the GDT limit:\n");
    fault_gp();
    rt_puts("#NP not-present segment:\n");
    fault_np();
    rt_puts("#GP execute-only segment into FS:\n");
    fault_xo();
    rt_puts("#UD mid-block:\n");
    fault_ud();
    rt_puts("#DE in the third loop pass:\n");
    rt_printf("  result %u\n", fault_loop());
    /* the faulting loads must not have changed the segment registers */
    uint16_t ds, es, fs;
    __asm__ volatile("movw %%ds, %0\n\tmovw %%es, %1\n\tmovw %%fs, %2" : "=r"(ds), "=r"(es), "=r"(fs));
    rt_printf("segments after: ds=%x es=%x fs=%x\n", ds, es, fs);
    rt_puts("fault_state done\n");
    return 0;
}
