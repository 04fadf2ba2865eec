/* paging_tlb: what invalidates a translation (SDM 3A 4.10.4), seen by
 * changing a PTE in memory behind the TLB's back and reading again. A
 * read gives the old frame's value while the old translation is cached,
 * the new one's after it was invalidated.
 *
 * - INVLPG invalidates one page: another page changed the same way keeps
 *   its old translation; INVLPG of any address in a 4 MiB page
 *   invalidates all of it.
 * - MOV to CR3 invalidates every translation except those of global pages
 *   (PTE.G with CR4.PGE: 4.10.2.4); INVLPG invalidates a global page;
 *   clearing CR4.PGE invalidates everything; G means nothing without
 *   CR4.PGE.
 * - Enabling paging anew (CR0.PG 1 -> 0 -> 1) starts from an empty TLB.
 *
 * A processor may drop any cached translation at any time, so an old
 * value is what a TLB that kept the entry shows; jet86's keeps it until
 * invalidated, as QEMU's does for non-global pages. QEMU 7.2's TCG does
 * not keep global pages across a MOV to CR3 (it flushes them with the
 * others): paging_tlb.qemu-expected holds its output, "new" on the two
 * lines that read a global page after a MOV to CR3.
 *
 * The test pages lie where nothing else the program touches (its code at
 * 1 MiB, its stack and data, the page tables at 3 MiB) shares their index
 * in a direct-mapped TLB of 256 entries (page number mod 256), so that
 * they stay cached in the smallest TLB an emulator may have.
 */
#include "rt/paging.h"

#define PD 0x300000u
#define TPT 0x303000u   /* page table of the test area, PDE 2 */
#define FRAME 0x380000u /* old frame: reads 0x01d; new frame: 0x2e3 */
#define TEST 0x8a0000u  /* and TEST + 0x1000 */
#define BIG 0xc00000u   /* PDE 3: a 4 MiB page, read at BIG + 0xb0000.. */

static uint32_t *dir, *pt;

static void set_pte(uint32_t lin, uint32_t frame, uint32_t flags)
{
    pt[(lin >> 12) & 0x3ff] = frame | PG_P | PG_RW | PG_A | PG_D | flags;
}

static void show(const char *what, uint32_t lin)
{
    uint32_t v = *(volatile uint32_t *)lin;
    rt_printf(" %s=%s", what, v == 0x01d ? "old" : v == 0x2e3 ? "new" : "?");
}

int main(void)
{
    pg_init();
    dir = pg_build32(PD);
    pt = (uint32_t *)TPT;
    memset(pt, 0, 4096);
    dir[TEST >> 22] = TPT | PG_P | PG_RW | PG_A;
    *(volatile uint32_t *)FRAME = 0x01d;
    *(volatile uint32_t *)(FRAME + 0x1000) = 0x2e3;
    *(volatile uint32_t *)0x4b0000 = 0x01d;
    *(volatile uint32_t *)0x4b1000 = 0x01d;
    *(volatile uint32_t *)0x8b0000 = 0x2e3;
    *(volatile uint32_t *)0x8b1000 = 0x2e3;

    wr_cr4(CR4_PSE | CR4_PGE);
    wr_cr3(PD);
    wr_cr0(rd_cr0() | CR0_PG);

    /* INVLPG of one 4 KiB page */
    set_pte(TEST, FRAME, 0);
    set_pte(TEST + 0x1000, FRAME, 0);
    wr_cr3(PD);
    show("warm a", TEST);
    show("b", TEST + 0x1000);
    set_pte(TEST, FRAME + 0x1000, 0);
    set_pte(TEST + 0x1000, FRAME + 0x1000, 0);
    rt_printf("\nchanged both PTEs, INVLPG a:");
    invlpg(TEST);
    show("a", TEST);
    show("b", TEST + 0x1000);
    rt_printf("\nMOV CR3:");
    wr_cr3(PD);
    show("a", TEST);
    show("b", TEST + 0x1000);
    rt_printf("\n");

    /* a 4 MiB page: INVLPG anywhere in it drops all of it */
    dir[BIG >> 22] = 0x400000 | PG_P | PG_RW | PG_A | PG_D | PG_PS;
    wr_cr3(PD);
    show("4 MiB page: warm first", BIG + 0xb0000);
    show("second", BIG + 0xb1000);
    dir[BIG >> 22] = 0x800000 | PG_P | PG_RW | PG_A | PG_D | PG_PS;
    rt_printf("\nchanged the PDE, INVLPG of its last page:");
    invlpg(BIG + 0x3ff000);
    show("first", BIG + 0xb0000);
    show("second", BIG + 0xb1000);
    rt_printf("\n");

    /* global pages */
    set_pte(TEST, FRAME, PG_G);
    set_pte(TEST + 0x1000, FRAME, 0);
    wr_cr3(PD);
    show("global: warm g", TEST);
    show("n", TEST + 0x1000);
    set_pte(TEST, FRAME + 0x1000, PG_G);
    set_pte(TEST + 0x1000, FRAME + 0x1000, 0);
    rt_printf("\nchanged both PTEs, MOV CR3:");
    wr_cr3(PD);
    show("g", TEST);
    show("n", TEST + 0x1000);
    rt_printf("\nINVLPG g:");
    invlpg(TEST);
    show("g", TEST);
    rt_printf("\n");

    set_pte(TEST, FRAME, PG_G);
    invlpg(TEST);
    show("global again: warm g", TEST);
    set_pte(TEST, FRAME + 0x1000, PG_G);
    rt_printf("\nchanged, MOV CR3 twice:");
    wr_cr3(PD);
    wr_cr3(PD);
    show("g", TEST);
    rt_printf("\nCR4.PGE cleared:");
    wr_cr4(CR4_PSE);
    show("g", TEST);
    rt_printf("\n");

    /* G without CR4.PGE: an ordinary page */
    set_pte(TEST, FRAME, PG_G);
    wr_cr3(PD);
    show("G without PGE: warm g", TEST);
    set_pte(TEST, FRAME + 0x1000, PG_G);
    rt_printf("\nchanged, MOV CR3:");
    wr_cr3(PD);
    show("g", TEST);
    rt_printf("\n");

    /* paging off and on again */
    wr_cr4(CR4_PSE | CR4_PGE);
    set_pte(TEST, FRAME, PG_G);
    wr_cr3(PD);
    show("paging off and on: warm g", TEST);
    set_pte(TEST, FRAME + 0x1000, PG_G);
    wr_cr0(rd_cr0() & ~CR0_PG);
    wr_cr0(rd_cr0() | CR0_PG);
    rt_printf("\nafter:");
    show("g", TEST);
    rt_printf("\n");

    wr_cr0(rd_cr0() & ~CR0_PG);
    return 0;
}
