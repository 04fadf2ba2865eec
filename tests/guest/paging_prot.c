/* paging_prot: page-level protection with 32-bit paging (SDM 3A 4.6) and
 * the #PF error code and CR2 (4.7). For each of the 16 combinations of
 * R/W and U/S in a PDE and a PTE: loads, stores and instruction fetches
 * at CPL 3 and CPL 0, stores at CPL 0 with CR0.WP clear and set. The
 * rights are the AND of both levels; a user access needs U/S=1, a user
 * store R/W=1; a supervisor store needs R/W=1 only with CR0.WP; fetches
 * need what loads need (no execute-disable without PAE, so the error code
 * has no I/D bit). Then not-present entries at each level, for each kind
 * of access: P=0 in the error code, W/R and U/S as the access was. CR2
 * must name the faulting address every time. */
#include "rt/paging.h"

#define PD 0x300000u
#define TPT 0x303000u    /* page table of the test area */
#define FRAME 0x380000u  /* the test page's frame (also mapped 1:1) */
#define TEST 0x800000u   /* the test page: PDE 2, PTE 0 */

static uint32_t *dir;
static volatile int u_rd, u_wr, u_ex;

static void user_probes(void)
{
    u_rd = probe_rd(TEST + 0x200);
    u_wr = probe_wr(TEST + 0x104, 0x11);
    u_ex = probe_ex(TEST);
}

static void map(uint32_t pde, uint32_t pte)
{
    dir[TEST >> 22] = pde;
    ((uint32_t *)TPT)[0] = pte;
    wr_cr3(PD);
}

static void combo(uint32_t pde_bits, uint32_t pte_bits)
{
    map(TPT | PG_P | PG_A | pde_bits, FRAME | PG_P | PG_A | PG_D | pte_bits);
    rt_printf("pde %s%s pte %s%s:", pde_bits & PG_RW ? "W" : "R", pde_bits & PG_US ? "U" : "S",
              pte_bits & PG_RW ? "W" : "R", pte_bits & PG_US ? "U" : "S");
    pg_user_call(user_probes);
    print_probe("ur", u_rd);
    print_probe("uw", u_wr);
    print_probe("ux", u_ex);
    print_probe("sr", probe_rd(TEST + 0x208));
    print_probe("sw", probe_wr(TEST + 0x108, 0x22));
    print_probe("sx", probe_ex(TEST));
    wr_cr0(rd_cr0() | CR0_WP);
    print_probe("sw+wp", probe_wr(TEST + 0x10c, 0x33));
    wr_cr0(rd_cr0() & ~CR0_WP);
    rt_printf("\n");
}

static void not_present(const char *what, uint32_t pde, uint32_t pte)
{
    map(pde, pte);
    rt_printf("%s:", what);
    pg_user_call(user_probes);
    print_probe("ur", u_rd);
    print_probe("uw", u_wr);
    print_probe("ux", u_ex);
    print_probe("sr", probe_rd(TEST + 0x208));
    print_probe("sw", probe_wr(TEST + 0x108, 0x22));
    print_probe("sx", probe_ex(TEST));
    rt_printf("\n");
}

int main(void)
{
    pg_init();
    dir = pg_build32(PD);
    memset((void *)TPT, 0, 4096);
    memset((void *)FRAME, 0, 4096);
    *(volatile uint16_t *)FRAME = 0xe1ff; /* jmp *%ecx */
    wr_cr3(PD);
    wr_cr0(rd_cr0() | CR0_PG);

    for (uint32_t pde = 0; pde < 4; pde++)
        for (uint32_t pte = 0; pte < 4; pte++)
            combo((pde & 1 ? PG_RW : 0) | (pde & 2 ? PG_US : 0),
                  (pte & 1 ? PG_RW : 0) | (pte & 2 ? PG_US : 0));
    rt_printf("stores that went through: %x %x %x\n", *(volatile uint32_t *)(FRAME + 0x104),
              *(volatile uint32_t *)(FRAME + 0x108), *(volatile uint32_t *)(FRAME + 0x10c));

    not_present("pde not present", TPT | PG_RW | PG_US, FRAME | PG_P | PG_RW | PG_US);
    not_present("pte not present", TPT | PG_P | PG_RW | PG_US, FRAME | PG_RW | PG_US);
    /* a not-present entry's other bits mean nothing: no RSVD, no P */
    not_present("pte not present, other bits set", TPT | PG_P | PG_RW | PG_US, 0xfffffffeu);

    rt_printf("cr2 mismatches: %u\n", pg_cr2_bad);
    return 0;
}
