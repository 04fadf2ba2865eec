/* paging_pae: PAE paging (SDM 3A 4.4). CPUID.1:EDX.PAE; the three levels
 * (a PDPTE for each GiB, page directories and tables of 64-bit entries)
 * with 4 KiB and 2 MiB pages, 2 MiB pages whatever CR4.PSE says; a
 * not-present PDPTE; reserved bits in a PDE and a PTE (bits 62:36 with
 * MAXPHYADDR 36, bits 20:13 of a 2 MiB PDE): RSVD with P (4.7).
 *
 * The PDPTEs are registers (4.4.1): loaded from the PDPT by MOV to CR3
 * and when paging is enabled with CR4.PAE, not read again by a walk, so a
 * change in memory is not seen until CR3 is loaded again (INVLPG and a
 * walk use the old value); loading a present PDPTE with a reserved bit
 * set is #GP(0), and the MOV changes nothing.
 *
 * MAXPHYADDR is 36: a PAE processor without CPUID leaf 0x80000008 has 36
 * physical address bits (4.1.4), so bit 35 of an entry is an address bit.
 *
 * QEMU 7.2's TCG departs from the SDM here: it has no PDPTE registers
 * (its walk reads the PDPT from memory, so it sees the change at once and
 * raises no #GP); a RSVD error code leaves P clear; and its qemu32 CPU
 * has 32 physical address bits (no PSE-36), so bit 35 is reserved there.
 * paging_pae.qemu-expected holds its output.
 */
#include "rt/paging.h"

#define PDPT 0x300000u  /* 32-byte aligned; PD 0 and its tables follow */
#define PDPT2 0x300100u /* a second PDPT in the same page, for CR3 loads */
#define PD1 0x308000u   /* page directory of GiB 1 */
#define PT1 0x309000u
#define FRAME 0x380000u /* frames of the test pages (also 1:1) */

static volatile uint32_t gp_count, gp_err;
extern char l_movcr3[], l_movcr0[];

static void on_gp(struct rt_frame *f)
{
    gp_count++;
    gp_err = f->err;
    if (f->eip == (uint32_t)l_movcr3 || f->eip == (uint32_t)l_movcr0)
        f->eip += 3;
    else {
        rt_printf("unexpected #GP at %x\n", f->eip);
        rt_exit(3);
    }
}

static __attribute__((noinline)) void mov_cr3(uint32_t v)
{
    __asm__ volatile("l_movcr3: mov %0, %%cr3" : : "a"(v) : "memory");
}

static __attribute__((noinline)) void mov_cr0(uint32_t v)
{
    __asm__ volatile("l_movcr0: mov %0, %%cr0" : : "a"(v) : "memory");
}

static void gp_report(const char *what)
{
    rt_printf("%s: %s", what, gp_count ? "#GP" : "no fault");
    if (gp_count)
        rt_printf("(%x)", gp_err);
    gp_count = 0;
}

static void rd(const char *what, uint32_t a)
{
    rt_printf("%s:", what);
    int r = probe_rd(a);
    print_probe("read", r);
    if (r < 0)
        rt_printf(" value %x", *(volatile uint32_t *)a);
    rt_printf("\n");
}

int main(void)
{
    uint32_t id[4];
    cpuid(1, id);
    rt_printf("cpuid pae: %s\n", (id[3] >> 6) & 1 ? "yes" : "no");

    pg_init();
    rt_set_handler(13, on_gp);
    pg_build_pae(PDPT);
    uint64_t *pdpt = (uint64_t *)PDPT, *pd1 = (uint64_t *)PD1, *pt1 = (uint64_t *)PT1;
    memset(pd1, 0, 8192);
    for (uint32_t i = 0; i < 4; i++)
        *(volatile uint32_t *)(FRAME + i * 0x1000) = 0xf00d0000 + i;
    *(volatile uint32_t *)(0x600000 + 0x1234) = 0xb16b16;
    /* GiB 1: 0x40000000 -> FRAME, 0x40001000 -> FRAME + 0x1000, a 2 MiB
     * page at 0x40200000 -> 6 MiB; GiB 3 shares the page directory. */
    pdpt[1] = PD1 | PG_P;
    pdpt[3] = PD1 | PG_P;
    pd1[0] = PT1 | PG_P | PG_RW | PG_US;
    pd1[1] = 0x600000 | PG_P | PG_RW | PG_US | PG_PS;
    pt1[0] = FRAME | PG_P | PG_RW | PG_US;
    pt1[1] = (FRAME + 0x1000) | PG_P | PG_RW | PG_US;

    wr_cr4(CR4_PAE);
    wr_cr3(PDPT);
    wr_cr0(rd_cr0() | CR0_PG);
    rd("GiB 1, 4 KiB page", 0x40000000);
    rd("GiB 1, second page", 0x40001000);
    rd("GiB 3, same directory", 0xc0001000);
    rd("2 MiB page", 0x40201234);
    rd("GiB 2, PDPTE not present", 0x80000000);
    rd("PDE not present", 0x40400000);

    pt1[2] = (FRAME + 0x2000) | PG_P | PG_RW | (1ull << 40);
    rd("PTE bit 40 (reserved)", 0x40002000);
    pd1[3] = PT1 | PG_P | PG_RW | (1ull << 36);
    rd("PDE bit 36 (reserved)", 0x40600000);
    pd1[4] = 0x800000 | PG_P | PG_RW | PG_PS | (1u << 13);
    rd("2 MiB PDE bit 13 (reserved)", 0x40800000);
    pt1[2] = (FRAME + 0x2000) | PG_P | PG_RW | (1ull << 35);
    invlpg(0x40002000);
    /* (beyond RAM: what a read returns there is not the point) */
    rt_printf("PTE bit 35 (address):");
    print_probe("read", probe_rd(0x40002000));
    rt_printf("\n");

    /* the PDPTE registers */
    pdpt[1] = 0;
    invlpg(0x40000000);
    rd("PDPTE cleared in memory, INVLPG", 0x40000000);
    wr_cr3(PDPT);
    rd("after MOV CR3", 0x40000000);

    uint64_t *pdpt2 = (uint64_t *)PDPT2;
    pdpt2[0] = pdpt[0];
    pdpt2[1] = PD1 | PG_P | 0x4; /* bit 2 is reserved in a PDPTE */
    mov_cr3(PDPT2);
    gp_report("MOV CR3, PDPTE bit 2");
    rt_printf(", CR3 %s\n", rd_cr3() == PDPT ? "unchanged" : "changed");
    pdpt2[1] = PD1 | PG_P | 0x100; /* bit 8 too */
    mov_cr3(PDPT2);
    gp_report("MOV CR3, PDPTE bit 8");
    rt_printf("\n");
    pdpt2[1] = 0xfffffffffffffffeull; /* not present: the rest is free */
    mov_cr3(PDPT2);
    gp_report("MOV CR3, not-present PDPTE with every other bit");
    rt_printf("\n");
    wr_cr3(PDPT);

    wr_cr0(rd_cr0() & ~CR0_PG);
    pdpt2[1] = PD1 | PG_P | 0x40;
    wr_cr3(PDPT2);
    mov_cr0(rd_cr0() | CR0_PG);
    gp_report("MOV CR0.PG=1, PDPTE bit 6");
    rt_printf(", paging %s\n", rd_cr0() & CR0_PG ? "on" : "off");
    wr_cr0(rd_cr0() & ~CR0_PG);

    rt_printf("cr2 mismatches: %u\n", pg_cr2_bad);
    return 0;
}
