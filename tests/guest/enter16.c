/* enter16: ENTER with a 32-bit operand size on a 16-bit stack segment
 * (see enter16.asm for the SDM's rules and where QEMU departs from them):
 * EBP and ESP after ENTER 8,0 / 4,1 / 4,2 with SP near the bottom of the
 * segment, and what was stored at the top of its 64 KiB. */
#include "rt/rt.h"

void enter16_run(uint32_t esp, uint32_t which, uint32_t *out);

#define STK 0x640000u

static uint32_t rd(uint32_t off)
{
    return *(volatile uint32_t *)(STK + off);
}

int main(void)
{
    uint32_t out[2];
    rt_gdt_set(9, STK, 0xfffff, 0x93, 0x0);
    rt_gdt_reload();
    memset((void *)STK, 0, 0x20000);
    *(volatile uint32_t *)(STK + 0xffec) = 0xaaaa1111; /* [BP - 4] */

    enter16_run(0x00000002, 0, out);
    rt_printf("enter 8,0 at sp 2: ebp %x esp %x, pushed ebp %x\n", out[0], out[1], rd(0xfffe));
    memset((void *)(STK + 0xff00), 0, 0x200);
    *(volatile uint32_t *)(STK + 0xffec) = 0xaaaa1111;
    enter16_run(0x00000006, 1, out);
    rt_printf("enter 4,1 at sp 6: ebp %x esp %x, pushed ebp %x frame %x\n", out[0], out[1], rd(0x0002),
              rd(0xfffe));
    memset((void *)(STK + 0xff00), 0, 0x200);
    *(volatile uint32_t *)(STK + 0xffec) = 0xaaaa1111;
    enter16_run(0x00001000, 2, out);
    rt_printf("enter 4,2 at sp 1000: ebp %x esp %x, pushed ebp %x, copied %x, frame %x\n", out[0], out[1],
              rd(0x0ffc), rd(0x0ff8), rd(0x0ff4));
    rt_puts("enter16 done\n");
    return 0;
}
