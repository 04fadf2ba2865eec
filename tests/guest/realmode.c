/* realmode: the Multiboot entry is 32-bit protected mode; this program
 * drops to real mode through a 16-bit code segment and CR0.PE=0, runs
 * 16-bit code there (realmode.asm prints its own results), and comes back
 * to protected mode twice, checking that 32-bit code and interrupts through
 * our IDT still work afterwards. */
#include "rt/rt.h"

void realmode_run(void);

static volatile uint32_t int_seen;

static void int50(struct rt_frame *f)
{
    (void)f;
    int_seen++;
}

int main(void)
{
    rt_gdt_set(3, 0x8000, 0xffff, 0x9a, 0x0);
    rt_gdt_set(4, 0x8000, 0xffff, 0x92, 0x0);
    rt_gdt_reload();
    rt_set_handler(0x50, int50);
    rt_pit_set_hz(1000);
    rt_pic_unmask(0); /* taken only in real mode, where IF is set */
    for (int i = 1; i <= 2; i++) {
        realmode_run();
        __asm__ volatile("int $0x50" ::: "memory");
        uint16_t cs, ds;
        __asm__ volatile("movw %%cs, %0\n\tmovw %%ds, %1" : "=r"(cs), "=r"(ds));
        rt_printf("back in protected mode (%d): cs=%x ds=%x, idt works: %s\n", i, cs, ds,
                  int_seen == (uint32_t)i ? "yes" : "no");
    }
    rt_pic_mask(0);
    rt_puts("realmode done\n");
    return 0;
}
