/* x87_ferr: how the x87 reports errors, and its absence (SDM vol. 1 8.7;
 * SDM 3A 2.5 Table 2-2).
 * - CR0.NE = 1: an unmasked exception (a zero divide) sets ES and B and
 *   leaves the destination alone; the #MF (vector 16) comes at the next
 *   waiting instruction, here FWAIT, with EIP on it; the non-waiting
 *   FNSTSW before it does not fault; the handler's FNCLEX lets the FWAIT
 *   complete on its return. (QEMU delivers a pending error only at FWAIT,
 *   not at the next waiting x87 instruction: FWAIT is what both do alike.)
 * - #NM (vector 7): CR0.TS makes an x87 instruction and FXSAVE fault;
 *   WAIT faults under TS only with CR0.MP; CR0.EM makes x87 instructions
 *   fault but not WAIT. The handlers clear the bit and return to the
 *   instruction, which then runs.
 * CR0.NE = 0 (FERR# and IRQ 13) is x87_irq13's. */
#include "rt/rt.h"

static volatile uint32_t mf_count, mf_eip, mf_sw, nm_count;
static volatile uint32_t nm_eip, nm_fix;

static void mf_handler(struct rt_frame *f)
{
    uint16_t sw;
    __asm__ volatile("fnstsw %0\n\tfnclex" : "=m"(sw));
    mf_count++;
    mf_eip = f->eip;
    mf_sw = sw;
}

static uint32_t read_cr0(void)
{
    uint32_t v;
    __asm__ volatile("movl %%cr0, %0" : "=r"(v));
    return v;
}
static void write_cr0(uint32_t v) { __asm__ volatile("movl %0, %%cr0" : : "r"(v) : "memory"); }

static void nm_handler(struct rt_frame *f)
{
    nm_count++;
    nm_eip = f->eip;
    write_cr0(read_cr0() & ~nm_fix);
}

static const uint16_t cw_unmask_ze = 0x037b;

/* An unmasked zero divide (FDIV ST(0), ST(1): 1 / 0), then a waiting
 * instruction: returns the address of the FWAIT. */
static uint32_t zero_divide_then_fwait(uint16_t *sw_before)
{
    uint32_t at;
    __asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldz\n\tfld1\n\t.byte 0xd8,0xf1\n\t"
                     "fnstsw %[sw]\n\t"
                     "movl $1f, %[at]\n"
                     "1:\tfwait\n\t"
                     "nop\n\tnop\n\tnop\n\tnop\n\t"
                     : [sw] "=m"(*sw_before), [at] "=m"(at)
                     : [cw] "m"(cw_unmask_ze)
                     : "memory");
    return at;
}

int main(void)
{
    uint16_t sw;
    uint32_t at;

    rt_set_handler(16, mf_handler);
    rt_set_handler(7, nm_handler);

    rt_printf("-- #MF with CR0.NE=1\n");
    write_cr0(read_cr0() | 0x20);
    at = zero_divide_then_fwait(&sw);
    rt_printf("sw before fwait %04x; #MF %u, at the fwait %u, sw in handler %04x\n", sw,
              mf_count, mf_eip == at, mf_sw);
    __asm__ volatile("fnstsw %0\n\tfninit" : "=m"(sw));
    rt_printf("after: sw %04x\n", sw);

    rt_printf("-- #NM\n");
    uint32_t cr0 = read_cr0() & ~0xeu; /* MP EM TS clear */
    int32_t v = 0;
    /* TS: x87 instruction */
    nm_fix = 0x8;
    write_cr0(cr0 | 0x8);
    __asm__ volatile("movl $1f, %[at]\n1:\tfninit\n\tfld1\n\tfistpl %[v]"
                     : [at] "=m"(at), [v] "=m"(v) : : "memory");
    rt_printf("TS: fninit #NM %u at it %u, then ran: %d\n", nm_count, nm_eip == at, v);
    /* TS without MP: WAIT runs */
    write_cr0(cr0 | 0x8);
    __asm__ volatile("fwait");
    rt_printf("TS, MP=0: wait #NM %u\n", nm_count);
    /* TS with MP: WAIT faults */
    write_cr0(cr0 | 0xa);
    nm_fix = 0x8;
    __asm__ volatile("movl $1f, %[at]\n1:\tfwait" : [at] "=m"(at) : : "memory");
    rt_printf("TS, MP=1: wait #NM %u at it %u\n", nm_count, nm_eip == at);
    /* EM: x87 faults, WAIT does not */
    write_cr0(cr0 | 0x4);
    __asm__ volatile("fwait");
    rt_printf("EM: wait #NM %u\n", nm_count);
    nm_fix = 0x4;
    __asm__ volatile("movl $1f, %[at]\n1:\tfld1\n\tfistpl %[v]"
                     : [at] "=m"(at), [v] "=m"(v) : : "memory");
    rt_printf("EM: fld1 #NM %u at it %u, then ran: %d\n", nm_count, nm_eip == at, v);
    /* TS: FXSAVE */
    static uint8_t area[512] __attribute__((aligned(16)));
    nm_fix = 0x8;
    write_cr0(cr0 | 0x8);
    __asm__ volatile("fxsave %0" : "=m"(area) : : "memory");
    rt_printf("TS: fxsave #NM %u\n", nm_count);
    write_cr0(cr0);
    rt_printf("x87_ferr done\n");
    return 0;
}
