/* paging_ad: when and where the processor sets the accessed and dirty
 * flags (SDM 3A 4.8), with 32-bit paging and with PAE paging. A is set in
 * every entry the walk uses, D only in the entry that maps the page (a
 * PTE, or a PDE with PS) and only on a write, never in a PDE that points
 * to a page table. A read through a clean translation, then a write,
 * walks again to set D. A fetch sets A only.
 *
 * After a #PF: the entry that maps the page gets neither flag, since the
 * access did not happen; a PDE that led to the page table was used to
 * translate the address and is accessed whether the PTE is present,
 * sets a reserved bit or denies the access ("whenever the processor uses
 * a paging-structure entry as part of linear-address translation, it
 * sets the accessed flag", 4.8; Intel processors set the PDE's A and
 * leave the PTE's A and D alone on not-present and protection faults).
 * A large page's PDE is the entry that maps it: nothing on a fault.
 *
 * QEMU 7.2's TCG agrees on every flag. It departs from the SDM in one
 * error code: a reserved bit in a present PTE gives RSVD with P=1 (4.7:
 * P is 0 only when some entry used was not present), QEMU reports 08.
 * paging_ad.qemu-expected holds its output.
 *
 * Bochs (paging_ad.bochs-expected) leaves a PDE's accessed bit clear when
 * the walk then faults at the PTE or on the PDE's own permissions; the SDM
 * (3A 4.8: the processor sets A in every paging-structure entry it uses
 * for a translation) and QEMU set it, as jet86 does.
 */
#include "rt/paging.h"

#define PD 0x300000u
#define TPT 0x303000u   /* page table of the test area, PDE 2 */
#define FRAME 0x380000u /* the frames of the test pages (also 1:1) */
#define TEST 0x800000u  /* 0x800000: user RW, 0x801000: user read-only,
                           0x802000: supervisor RW */
#define BIG 0xc00000u   /* PDE 3: a 4 MiB page at 4 MiB, user read-only */
#define PDPT 0x310000u  /* the same with PAE */

static uint32_t *dir;
static uint64_t *pae_dir;
static int pae;

static volatile int u_r;
static volatile uint32_t u_addr;
static void user_rd(void) { u_r = probe_rd(u_addr); }
static void user_wr(void) { u_r = probe_wr(u_addr, 1); }

/* Clean slate: PDEs and PTEs of the test area without A and D. */
static void reset(void)
{
    if (pae) {
        uint64_t *pt = (uint64_t *)TPT;
        pae_dir[TEST >> 21] = TPT | PG_P | PG_RW | PG_US;
        pae_dir[BIG >> 21] = 0x400000 | PG_P | PG_US | PG_PS;
        pt[0] = FRAME | PG_P | PG_RW | PG_US;
        pt[1] = (FRAME + 0x1000) | PG_P | PG_US;
        pt[2] = (FRAME + 0x2000) | PG_P | PG_RW;
        pt[3] = 0;
        wr_cr3(PDPT);
    } else {
        uint32_t *pt = (uint32_t *)TPT;
        dir[TEST >> 22] = TPT | PG_P | PG_RW | PG_US;
        dir[BIG >> 22] = 0x400000 | PG_P | PG_US | PG_PS;
        pt[0] = FRAME | PG_P | PG_RW | PG_US;
        pt[1] = (FRAME + 0x1000) | PG_P | PG_US;
        pt[2] = (FRAME + 0x2000) | PG_P | PG_RW;
        pt[3] = 0;
        wr_cr3(PD);
    }
}

static uint32_t pde_of(uint32_t a)
{
    return pae ? (uint32_t)pae_dir[a >> 21] : dir[a >> 22];
}

static uint32_t pte_of(uint32_t a)
{
    return pae ? (uint32_t)((uint64_t *)TPT)[(a >> 12) & 0x1ff] : ((uint32_t *)TPT)[(a >> 12) & 0x3ff];
}

static void flags(const char *name, uint32_t e)
{
    rt_printf(" %s=%c%c", name, e & PG_A ? 'A' : '-', e & PG_D ? 'D' : '-');
}

static void show(const char *what, int r, uint32_t a)
{
    rt_printf("%s:", what);
    print_probe("access", r);
    flags("pde", pde_of(a));
    if (a < BIG)
        flags("pte", pte_of(a));
    rt_printf("\n");
}

static int user(void (*fn)(void), uint32_t a)
{
    u_addr = a;
    pg_user_call(fn);
    return u_r;
}

static void run(void)
{
    reset();
    show("read", probe_rd(TEST), TEST);
    reset();
    show("write", probe_wr(TEST, 1), TEST);
    reset();
    probe_rd(TEST);
    show("read then write", probe_wr(TEST, 1), TEST);
    reset();
    show("fetch", probe_ex(TEST + 0x10), TEST);
    reset();
    show("user read", user(user_rd, TEST), TEST);
    reset();
    show("supervisor write to read-only, WP=0", probe_wr(TEST + 0x1000, 1), TEST + 0x1000);

    /* faults: the PTE is left alone, the PDE was used */
    reset();
    show("pte not present", probe_rd(TEST + 0x3000), TEST + 0x3000);
    reset();
    show("user write to read-only", user(user_wr, TEST + 0x1000), TEST + 0x1000);
    reset();
    show("user read of supervisor page", user(user_rd, TEST + 0x2000), TEST + 0x2000);

    /* rights denied by the PDE itself: it was still used to reach the PTE */
    reset();
    if (pae)
        pae_dir[TEST >> 21] &= ~(uint64_t)PG_US;
    else
        dir[TEST >> 22] &= ~PG_US;
    wr_cr3(pae ? PDPT : PD);
    show("user read, supervisor PDE", user(user_rd, TEST), TEST);
    reset();
    if (pae)
        pae_dir[TEST >> 21] &= ~(uint64_t)PG_RW;
    else
        dir[TEST >> 22] &= ~PG_RW;
    wr_cr3(pae ? PDPT : PD);
    show("user write, read-only PDE", user(user_wr, TEST), TEST);

    if (pae) {
        /* bit 40 is reserved with MAXPHYADDR 36: RSVD | P */
        reset();
        ((uint64_t *)TPT)[3] = (FRAME + 0x3000) | PG_P | PG_RW | (1ull << 40);
        show("pte reserved bit", probe_rd(TEST + 0x3000), TEST + 0x3000);
    }

    /* a large page: its PDE maps it, gets A and D, and nothing on a fault */
    reset();
    show("large read", probe_rd(BIG + 0x1234), BIG);
    reset();
    show("large write", probe_wr(BIG + 0x1234, 1), BIG);
    reset();
    show("large user write to read-only", user(user_wr, BIG + 0x1234), BIG);
}

int main(void)
{
    pg_init();
    dir = pg_build32(PD);
    memset((void *)TPT, 0, 4096);
    memset((void *)FRAME, 0, 0x3000);
    *(volatile uint16_t *)(FRAME + 0x10) = 0xe1ff; /* jmp *%ecx */

    rt_printf("32-bit paging\n");
    wr_cr4(CR4_PSE);
    wr_cr3(PD);
    wr_cr0(rd_cr0() | CR0_PG);
    run();
    wr_cr0(rd_cr0() & ~CR0_PG);

    rt_printf("PAE paging\n");
    pae = 1;
    pae_dir = pg_build_pae(PDPT);
    wr_cr4(CR4_PAE);
    wr_cr3(PDPT);
    wr_cr0(rd_cr0() | CR0_PG);
    run();
    wr_cr0(rd_cr0() & ~CR0_PG);

    rt_printf("cr2 mismatches: %u\n", pg_cr2_bad);
    return 0;
}
