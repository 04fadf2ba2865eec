/* invlpg: INVLPG's exceptions and its operand (SDM vol. 2 INVLPG).
 * - The operand is only an address: INVLPG computes segment base +
 *   offset and invalidates that page. Its exceptions are #GP(0) at CPL > 0
 *   and #UD for a register operand or a LOCK prefix; it lists no segment
 *   limit or type fault (the operand is not accessed). Seen by changing
 *   two PTEs behind the TLB's back, as paging_tlb does: INVLPG through ES
 *   (base TEST - 0x10000, byte-granular limit 0xfff) of offset 0x10000,
 *   far beyond the limit, and through an expand-down segment of an offset
 *   below its limit, both raise nothing and make page a read its new
 *   frame while page b keeps the old one.
 * - 0F 01 F8 (ModRM mod 3, reg 7) and LOCK INVLPG are #UD.
 * - INVLPG at CPL 3 is #GP(0), and the page stays cached.
 * A processor may drop a cached translation at any time: "old" is what a
 * TLB that kept it shows (see paging_tlb.c), as jet86, QEMU and Bochs do.
 * Bochs gives this output; QEMU's TCG runs LOCK INVLPG as INVLPG
 * (invlpg.qemu-expected), where the SDM says #UD ("If the LOCK prefix is
 * used"; SDM vol. 2 2.1.1: LOCK with an instruction not listed is #UD).
 */
#include "rt/paging.h"

#define PD 0x300000u
#define TPT 0x303000u   /* page table of the test area, PDE 2 */
#define FRAME 0x380000u /* old frame: reads 0x01d; new frame: 0x2e3 */
#define TEST 0x8a0000u  /* page a; page b is TEST + 0x1000 */
#define SEL_LOW 0x60    /* base TEST - 0x10000, limit 0xfff */
#define SEL_DOWN 0x68   /* base TEST - 0x10000, expand-down, limit 0x1ffff */

static uint32_t *pt;
static volatile uint32_t fault_vec, fault_err, faults, resume;

static void on_fault(struct rt_frame *f)
{
    fault_vec = f->vec;
    fault_err = f->err;
    faults++;
    f->eip = resume;
}

static void set_pte(uint32_t lin, uint32_t frame)
{
    pt[(lin >> 12) & 0x3ff] = frame | PG_P | PG_RW | PG_US | PG_A | PG_D;
}

static const char *seen(uint32_t lin)
{
    uint32_t v = *(volatile uint32_t *)lin;
    return v == 0x01d ? "old" : v == 0x2e3 ? "new" : "?";
}

/* Both pages on the old frame and cached, then both PTEs changed. */
static void warm(void)
{
    set_pte(TEST, FRAME);
    set_pte(TEST + 0x1000, FRAME);
    wr_cr3(PD);
    (void)seen(TEST);
    (void)seen(TEST + 0x1000);
    set_pte(TEST, FRAME + 0x1000);
    set_pte(TEST + 0x1000, FRAME + 0x1000);
}

static void report(const char *what, uint32_t before)
{
    if (faults == before)
        rt_printf("%s: no fault", what);
    else
        rt_printf("%s: vector %u err %x", what, fault_vec, fault_err);
    rt_printf(", a=%s b=%s\n", seen(TEST), seen(TEST + 0x1000));
}

/* INVLPG through ES = sel of offset off. */
static void invlpg_es(uint16_t sel, uint32_t off)
{
    __asm__ volatile("movl $1f, %[res]\n\t"
                     "mov %w[s], %%es\n\t"
                     "invlpg %%es:(%[o])\n"
                     "1:\tmov %w[flat], %%es"
                     : [res] "=m"(resume)
                     : [s] "r"(sel), [o] "r"(off), [flat] "r"(0x10)
                     : "memory");
}

static void user_invlpg(void)
{
    __asm__ volatile("movl $1f, %[res]\n\t"
                     "invlpg (%[a])\n"
                     "1:"
                     : [res] "=m"(resume)
                     : [a] "r"(TEST)
                     : "memory");
}

int main(void)
{
    pg_init();
    rt_set_handler(6, on_fault);
    rt_set_handler(13, on_fault);
    rt_gdt_set(SEL_LOW / 8, TEST - 0x10000, 0xfff, 0x93, 0x4);
    rt_gdt_set(SEL_DOWN / 8, TEST - 0x10000, 0x1ffff, 0x97, 0x4);
    rt_gdt_reload();
    uint32_t *dir = pg_build32(PD);
    pt = (uint32_t *)TPT;
    memset(pt, 0, 4096);
    dir[TEST >> 22] = TPT | PG_P | PG_RW | PG_US | PG_A;
    *(volatile uint32_t *)FRAME = 0x01d;
    *(volatile uint32_t *)(FRAME + 0x1000) = 0x2e3;
    wr_cr3(PD);
    wr_cr0(rd_cr0() | CR0_PG);

    uint32_t n;
    warm();
    n = faults;
    invlpg_es(SEL_LOW, 0x10000);
    report("invlpg es:0x10000, beyond es.limit 0xfff", n);

    warm();
    n = faults;
    invlpg_es(SEL_DOWN, 0x10000);
    report("invlpg es:0x10000, expand-down es.limit 0x1ffff", n);

    warm();
    n = faults;
    __asm__ volatile("movl $1f, %[res]\n\t"
                     ".byte 0x0f, 0x01, 0xf8\n" /* mod 3, reg 7, rm 0 */
                     "1:"
                     : [res] "=m"(resume)
                     :
                     : "memory");
    report("0f 01 f8 (register operand)", n);

    warm();
    n = faults;
    __asm__ volatile("movl $1f, %[res]\n\t"
                     ".byte 0xf0\n\tinvlpg (%[a])\n" /* LOCK */
                     "1:"
                     : [res] "=m"(resume)
                     : [a] "r"(TEST)
                     : "memory");
    report("lock invlpg", n);

    warm();
    n = faults;
    pg_user_call(user_invlpg);
    report("invlpg at cpl 3", n);

    rt_printf("invlpg done\n");
    return 0;
}
