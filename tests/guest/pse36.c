/* pse36: this CPU has no PSE-36 (SDM 3A 4.1.4, 4.3). CPUID.1:EDX reports
 * PSE (bit 3) and PAT (bit 16) but not PSE-36 (bit 17), and the board has
 * no physical memory above 4 GiB for its address bits to reach. So with
 * 32-bit paging and CR4.PSE, bits 21:13 of a 4 MiB PDE are reserved ("If
 * the PSE-36 mechanism is not supported, bits 21:13 are reserved", SDM 3A
 * 4.3): a read through such a PDE is #PF with RSVD and P (error code 9,
 * 4.7), whichever of those bits is set; bit 12 is PAT, not reserved, and
 * maps the page as without it.
 *
 * QEMU's qemu32 CPU does not claim PSE-36 either, but its TCG reserves
 * only bit 21 and drops bits 20:13 (the reads reach physical address 4
 * MiB + 0x1234 with its top bits cut: 0), and reports a reserved bit with
 * P clear (error code 8; see paging_pae.c): pse36.qemu-expected. Bochs's
 * default CPU model claims PSE-36 (pse36.bochs-expected): there bits 20:13
 * are physical address bits 39:32, and its reads of the unassigned memory
 * above 4 GiB give all ones. */
#include "rt/paging.h"

#define PD 0x300000u
#define BIG 0xc00000u   /* PDE 3: a 4 MiB page */
#define FRAME 0x400000u /* its frame: 4 MiB (identity-mapped by PDE 1 too) */

static void try_bits(const char *what, uint32_t bits)
{
    uint32_t *dir = (uint32_t *)PD;
    dir[BIG >> 22] = FRAME | bits | PG_P | PG_RW | PG_A | PG_D | PG_PS;
    invlpg(BIG + 0x1234);
    int r = probe_rd(BIG + 0x1234);
    rt_printf("4 MiB PDE with %s:", what);
    print_probe("read", r);
    if (r < 0)
        rt_printf(" value %x", pg_rd(BIG + 0x1234));
    rt_printf("\n");
}

int main(void)
{
    uint32_t r[4];
    cpuid(1, r);
    rt_printf("cpuid.1 edx: pse %u pat %u pse36 %u\n", (r[3] >> 3) & 1, (r[3] >> 16) & 1,
              (r[3] >> 17) & 1);

    pg_init();
    pg_build32(PD);
    *(volatile uint32_t *)(FRAME + 0x1234) = 0x36363636;
    wr_cr4(CR4_PSE);
    wr_cr3(PD);
    wr_cr0(rd_cr0() | CR0_PG);

    try_bits("no extra bit", 0);
    try_bits("bit 12 (PAT)", 1u << 12);
    try_bits("bit 13", 1u << 13);
    try_bits("bit 16", 1u << 16);
    try_bits("bit 17", 1u << 17);
    try_bits("bit 20", 1u << 20);
    try_bits("bit 21", 1u << 21);
    rt_printf("pse36 done\n");
    return 0;
}
