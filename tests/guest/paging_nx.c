/* paging_nx: execute-disable with PAE paging (SDM 3A 4.6.2) and
 * IA32_EFER.NXE. CPUID.80000001H:EDX.NX; EFER reads and writes (NXE is
 * its only bit on a CPU without SYSCALL or long mode: setting another is
 * #GP(0), SDM 4 table 2-2). With NXE, XD in a PTE or a PDE forbids
 * instruction fetches, at any CPL, and leaves loads and stores alone; the
 * #PF error code of every fetch fault then has I/D (4.7), not-present
 * ones too. Without NXE bit 63 is reserved: RSVD | P, and no I/D.
 *
 * Translated code must follow: code that ran from a page before it was
 * made execute-disable (and the TLB entry invalidated) faults after, both
 * when jumped to again through an indirect jump and when reached by a
 * direct jump from another page, after running often enough to be chained
 * to it; and a direct jump into a page whose PTE now names another frame
 * runs the new frame's code.
 *
 * QEMU needs -cpu qemu32,+nx (paging_nx.qemuargs). Its TCG departs from
 * the SDM twice: EFER bits it does not implement are ignored instead of
 * raising #GP, and a RSVD error code leaves P clear.
 * paging_nx.qemu-expected holds its output.
 *
 * Bochs (paging_nx.bochs-expected) accepts EFER.SCE (bit 0): its CPU
 * model has SYSCALL; jet86 claims no SYSCALL in CPUID, so setting the bit
 * is #GP(0) (SDM 4, IA32_EFER: reserved bits).
 */
#include "rt/paging.h"

#define PDPT 0x300000u
#define FRAME 0x380000u /* frames of the test pages (also 1:1) */
#define CODE 0x800000u  /* PT 4 (1:1 pages 8-10 MiB, PTEs at PDPT + 0x6000) */

static uint64_t *pt4;
static volatile uint32_t gp_count;
extern char l_wrmsr[];

static void on_gp(struct rt_frame *f)
{
    gp_count++;
    if (f->eip != (uint32_t)l_wrmsr) {
        rt_printf("unexpected #GP at %x\n", f->eip);
        rt_exit(3);
    }
    f->eip += 2;
}

static __attribute__((noinline)) void try_wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("l_wrmsr: wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

/* Map linear page lin (in 8-10 MiB) to frame with flags. */
static void map(uint32_t lin, uint32_t frame, uint64_t flags)
{
    pt4[(lin >> 12) & 0x1ff] = frame | PG_P | PG_A | PG_D | flags;
    invlpg(lin);
}

static volatile int u_r;
static volatile uint32_t u_addr;
static void user_ex(void) { u_r = probe_ex(u_addr); }

static void line(const char *what, uint32_t a, uint64_t flags)
{
    map(a, FRAME, flags);
    rt_printf("%s:", what);
    print_probe("read", probe_rd(a));
    print_probe("write", probe_wr(a + 0x100, 1));
    print_probe("fetch", probe_ex(a));
    u_addr = a;
    pg_user_call(user_ex);
    print_probe("user fetch", u_r);
    rt_printf("\n");
}

int main(void)
{
    uint32_t r[4];
    cpuid(0x80000000u, r);
    rt_printf("max extended leaf >= 0x80000001: %s\n", r[0] >= 0x80000001u ? "yes" : "no");
    cpuid(0x80000001u, r);
    rt_printf("cpuid nx: %s\n", (r[3] >> 20) & 1 ? "yes" : "no");

    pg_init();
    rt_set_handler(13, on_gp);
    uint64_t *dir = pg_build_pae(PDPT);
    pt4 = (uint64_t *)(PDPT + 0x6000);
    dir[4] = (PDPT + 0x6000) | PG_P | PG_RW | PG_US | PG_A;
    for (uint32_t i = 0; i < 512; i++)
        pt4[i] = (0x800000 + (i << 12)) | PG_P | PG_RW | PG_US | PG_A | PG_D;
    memset((void *)FRAME, 0, 0x3000);
    *(volatile uint16_t *)FRAME = 0xe1ff; /* jmp *%ecx */

    rt_printf("EFER %x\n", (uint32_t)rdmsr(MSR_EFER));
    wr_cr4(CR4_PAE);
    wr_cr3(PDPT);
    wr_cr0(rd_cr0() | CR0_PG);

    line("XD, NXE=0", CODE, PG_RW | PG_US | PG_XD);
    try_wrmsr(MSR_EFER, EFER_NXE);
    rt_printf("EFER after writing NXE: %x, #GP %u\n", (uint32_t)rdmsr(MSR_EFER), gp_count);
    line("no XD", CODE, PG_RW | PG_US);
    line("XD in the PTE", CODE, PG_RW | PG_US | PG_XD);
    line("XD, read-only supervisor page", CODE, PG_XD);
    dir[4] |= PG_XD;
    wr_cr3(PDPT);
    line("XD in the PDE", CODE, PG_RW | PG_US);
    dir[4] &= ~PG_XD;
    wr_cr3(PDPT);
    pt4[1] = 0;
    invlpg(CODE + 0x1000);
    rt_printf("fetch, not present:");
    print_probe("fetch", probe_ex(CODE + 0x1000));
    rt_printf("\n");

    /* Code that ran, then execute-disable. Page CODE+0x2000 holds
     * "mov $1, %eax; jmp *%ecx" (frame FRAME+0x1000) or "mov $2, %eax;
     * jmp *%ecx" (frame FRAME+0x2000); page CODE+0x3000 ends with a
     * direct jump into it. */
    uint8_t *f1 = (uint8_t *)(FRAME + 0x1000), *f2 = (uint8_t *)(FRAME + 0x2000);
    static const uint8_t body1[] = { 0xb8, 1, 0, 0, 0, 0xff, 0xe1 };
    static const uint8_t body2[] = { 0xb8, 2, 0, 0, 0, 0xff, 0xe1 };
    memcpy(f1, body1, sizeof body1);
    memcpy(f2, body2, sizeof body2);
    /* at CODE+0x3ff0 (frame FRAME+0x2ff0): jmp rel32 to CODE+0x2000 */
    uint8_t *j = (uint8_t *)(FRAME + 0x2ff0);
    j[0] = 0xe9;
    int32_t rel = (int32_t)(CODE + 0x2000) - (int32_t)(CODE + 0x3ff0 + 5);
    memcpy(j + 1, &rel, 4);
    map(CODE + 0x2000, FRAME + 0x1000, PG_RW | PG_US);
    map(CODE + 0x3000, FRAME + 0x2000, PG_RW | PG_US);
    uint32_t sum = 0;
    for (int i = 0; i < 50; i++) {
        sum += pg_ex(CODE + 0x2000);
        sum += pg_ex(CODE + 0x3ff0);
    }
    rt_printf("ran 100 times: eax sum %u\n", sum);
    map(CODE + 0x2000, FRAME + 0x2000, PG_RW | PG_US);
    rt_printf("remapped: direct jump gives %u, indirect %u\n", pg_ex(CODE + 0x3ff0), pg_ex(CODE + 0x2000));
    for (int i = 0; i < 50; i++)
        pg_ex(CODE + 0x3ff0);
    map(CODE + 0x2000, FRAME + 0x2000, PG_RW | PG_US | PG_XD);
    uint32_t n = pg_faults;
    pg_ex(CODE + 0x3ff0);
    rt_printf("made XD: direct jump: %s err %x cr2 CODE+%x;", pg_faults != n ? "#PF" : "no fault", pg_err,
              pg_cr2 - CODE);
    print_probe("indirect", probe_ex(CODE + 0x2000));
    rt_printf("\n");

    gp_count = 0;
    try_wrmsr(MSR_EFER, EFER_NXE | 1); /* SCE: no SYSCALL here */
    try_wrmsr(MSR_EFER, EFER_NXE | 0x100); /* LME: no long mode */
    try_wrmsr(MSR_EFER, EFER_NXE | (1ull << 32));
    rt_printf("EFER reserved bits: #GP %u, EFER %x\n", gp_count, (uint32_t)rdmsr(MSR_EFER));
    try_wrmsr(MSR_EFER, 0);
    line("XD, NXE cleared again", CODE, PG_RW | PG_US | PG_XD);

    wr_cr0(rd_cr0() & ~CR0_PG);
    rt_printf("cr2 mismatches: %u\n", pg_cr2_bad);
    return 0;
}
