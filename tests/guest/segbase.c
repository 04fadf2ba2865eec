/* segbase: 32-bit protected-mode segments whose base is not 0 (SDM 3A
 * 3.4): DS and ES bases applied to plain, SIB and string accesses (MOVS
 * reads DS, writes ES), SS base applied to PUSH/POP and to EBP-based
 * addresses, a 16-bit stack segment (B=0: SP wraps, ESP's upper half kept),
 * and code running with a CS base: near CALL/RET within it,
 * an exception whose frame holds the offset EIP and the selector, IRET
 * back into it, RETF out. */
#include "rt/rt.h"

void segbase_ds_es(void);
void segbase_ss(void);
void segbase_cs(void);
void segbase_ss16(void);
extern uint8_t segbase_code[], segbase_code_end[];
extern uint32_t ss_results[3], cs_results[2], ss16_results[3];

static volatile uint32_t ud_eip, ud_cs;

static void ud(struct rt_frame *f)
{
    ud_eip = f->eip;
    ud_cs = f->cs & 0xffff;
    f->eip += 2;
}

static uint32_t rd(uint32_t a)
{
    return *(volatile uint32_t *)a;
}

int main(void)
{
    rt_gdt_set(9, 0x600000, 0xfffff, 0x92, 0xc);
    rt_gdt_set(10, 0x610000, 0xfffff, 0x92, 0xc);
    rt_gdt_set(11, 0x620000, 0xfffff, 0x92, 0xc);
    rt_gdt_set(12, 0x630000, 0xfffff, 0x9a, 0xc);
    rt_gdt_set(13, 0x640000, 0xffff, 0x92, 0x0);
    rt_gdt_reload();
    memset((void *)0x600000, 0, 0x60000);

    segbase_ds_es();
    rt_printf("ds base: %x %x\n", rd(0x600010), rd(0x600014));
    rt_printf("movs ds->es: %x %x, stos es: %x %x %x\n", rd(0x610020), rd(0x610024), rd(0x610030), rd(0x610034),
              rd(0x610038));
    rt_printf("lods ds, mov es: %x, sib ds -> es: %x\n", rd(0x610040), rd(0x610050));
    /* where a wrong segment would have put them: ES:0x10, DS:0x20, DS:0x30 */
    rt_printf("other segment untouched: %x %x %x\n", rd(0x610010), rd(0x600020), rd(0x600030));

    segbase_ss();
    rt_printf("ss base: pushed at %x %x %x, popped %x %x %x\n", rd(0x620ffc), rd(0x620ff8), rd(0x620ff4),
              ss_results[0], ss_results[1], ss_results[2]);

    segbase_ss16();
    rt_printf("16-bit stack: esp after push %x, after pop %x, value %x, stored at base+fffc: %x\n",
              ss16_results[0], ss16_results[1], ss16_results[2], rd(0x64fffc));

    memcpy((void *)0x630000, segbase_code, (size_t)(segbase_code_end - segbase_code));
    rt_set_handler(6, ud);
    segbase_cs();
    rt_printf("cs base: call/pop offset %x, eax %x, #UD at offset %x with cs %x\n", cs_results[1], cs_results[0],
              ud_eip, ud_cs);
    rt_puts("segbase done\n");
    return 0;
}
