/* selrm: LAR, LSL, VERR, VERW and ARPL (register and memory forms) raise
 * #UD in real-address mode and in virtual-8086 mode (SDM 2, each
 * instruction's "Real-Address Mode Exceptions" and "Virtual-8086 Mode
 * Exceptions"); selrm.asm runs them there.  In protected mode the same
 * code at CPL 0 raises nothing. */
#include "rt/rt.h"

#define RM_BASE 0x8000

extern char rm_start[], ud_len[], ud_count[], v86_entry[];
void selrm_copy(void);
void selrm_real(void);


static uint32_t blob(const char *label)
{
    return RM_BASE + (uint32_t)(label - rm_start);
}

/* #UD from virtual-8086 mode: step over the instruction, count it. */
static void on_ud(struct rt_frame *f)
{
    f->eip += *(volatile uint8_t *)blob(ud_len);
    (*(volatile uint16_t *)blob(ud_count))++;
}

static void on_other(struct rt_frame *f)
{
    rt_printf("unexpected vector %u at %x:%x\n", f->vec, f->cs, f->eip);
    rt_exit(3);
}

int main(void)
{
    rt_gdt_set(3, RM_BASE, 0xffff, 0x9a, 0x0);
    rt_gdt_set(4, RM_BASE, 0xffff, 0x92, 0x0);
    rt_gdt_reload();
    rt_set_handler(6, on_ud);
    rt_set_handler(13, on_other);
    selrm_copy();

    volatile uint16_t *n = (volatile uint16_t *)blob(ud_count);
    *n = 0;
    selrm_real();
    rt_printf("real mode: %u of 6 raised #UD\n", *n);

    *n = 0;
    rt_v86_call(RM_BASE >> 4, (uint16_t)blob(v86_entry) - RM_BASE);
    rt_printf("virtual-8086 mode: %u of 6 raised #UD\n", *n);

    /* protected mode, CPL 0: the same instructions are recognized */
    *n = 0;
    uint32_t v = 0, sel = SEL_CODE32;
    uint16_t a = 0x10, m = 0x10;
    __asm__ volatile("lar %1, %0\n\tlsl %1, %0\n\tverr %w1\n\tverw %w1\n\tarpl %w1, %w2\n\tarpl %w1, %3"
                     : "+r"(v)
                     : "r"(sel), "r"(a), "m"(m)
                     : "cc", "memory");
    rt_printf("protected mode: %u raised #UD\n", *n);
    rt_puts("selrm done\n");
    return 0;
}
