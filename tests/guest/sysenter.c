/* sysenter: SYSENTER and SYSEXIT (SDM 2, SYSENTER/SYSEXIT; SDM 3A 5.8.7):
 * from ring 3 to the ring-0 entry of IA32_SYSENTER_EIP/ESP, with CS =
 * IA32_SYSENTER_CS (RPL cleared) and SS = CS + 8, IF cleared, and back to
 * ring 3 with CS = IA32_SYSENTER_CS + 16 and SS = + 24 (RPL 3), ESP = ECX
 * and EIP = EDX; #GP(0) for SYSENTER and SYSEXIT with IA32_SYSENTER_CS 0
 * and for SYSEXIT at CPL 3.  With them, what CPL 3 may not do: RDPMC
 * without CR4.PCE, INVD, WBINVD, RDMSR, WRMSR (#GP(0)), and RDPMC with
 * CR4.PCE of counter 0 (allowed) and of a counter the P6 does not have
 * (#GP(0)).
 *
 * QEMU's TCG does not implement RDPMC: it raises #UD wherever the SDM
 * allows it or says #GP for the counter number, hence sysenter.qemu-expected
 * (those two lines differ).  Bochs allows RDPMC of counter 0 too
 * (tests/firmware/sysinsn_rom); that a P6 has counters 0 and 1 only is
 * in the SDM (3B, the P6 family's performance monitoring: PerfCtr0 and
 * PerfCtr1; SDM 2, RDPMC).
 *
 * Bochs (sysenter.bochs-expected) allows RDPMC of counter 2: its CPU
 * models more than the two counters of a P6, for which the SDM (2, RDPMC)
 * makes ECX > 1 #GP(0).
 */
#include "rt/rt.h"

#define MSR_SYSENTER_CS 0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176
/* GDT entries 9..12 for IA32_SYSENTER_CS = 0x48: ring-0 code and data,
 * ring-3 code and data, in the order SYSENTER and SYSEXIT assume. */
#define SEL_SE 0x48

extern volatile uint32_t se_u_cs, se_u_ss, se_k_cs, se_k_ss, se_k_esp, se_k_eflags;
extern volatile uint32_t se_b_cs, se_b_ss, se_b_esp, se_b_eflags, se_user_esp;
void se_user(void);
void se_kernel(void);

static uint8_t kstack[4096] __attribute__((aligned(16)));
static volatile uint32_t seen_vec, seen_err, seen_cpl, faults;

/* #UD and #GP: note them and step over the 2-byte instruction. */
static void on_fault(struct rt_frame *f)
{
    seen_vec = f->vec;
    seen_err = f->err;
    seen_cpl = f->cs & 3;
    faults++;
    f->eip += 2;
}

static void report(const char *what)
{
    if (!faults)
        rt_printf("%s: no fault\n", what);
    else if (seen_vec == 13)
        rt_printf("%s: #GP(%x) at CPL %u\n", what, seen_err, seen_cpl);
    else
        rt_printf("%s: vector %u at CPL %u\n", what, seen_vec, seen_cpl);
    faults = 0;
}

static void wrmsr(uint32_t idx, uint32_t v)
{
    __asm__ volatile("wrmsr" : : "c"(idx), "a"(v), "d"(0) : "memory");
}

static void cr4_set_pce(int on)
{
    uint32_t cr4;
    __asm__ volatile("movl %%cr4, %0" : "=r"(cr4));
    cr4 = on ? cr4 | 0x100 : cr4 & ~0x100u;
    __asm__ volatile("movl %0, %%cr4" : : "r"(cr4) : "memory");
}

static void u_sysexit(void) { __asm__ volatile("sysexit" ::: "memory"); }
static void u_sysenter(void) { __asm__ volatile("sysenter" ::: "memory"); }
static void u_rdpmc0(void) { __asm__ volatile("rdpmc" : : "c"(0) : "eax", "edx", "memory"); }
static void u_rdpmc2(void) { __asm__ volatile("rdpmc" : : "c"(2) : "eax", "edx", "memory"); }
static void u_invd(void) { __asm__ volatile("invd" ::: "memory"); }
static void u_wbinvd(void) { __asm__ volatile("wbinvd" ::: "memory"); }
static void u_rdmsr(void) { __asm__ volatile("rdmsr" : : "c"(MSR_SYSENTER_CS) : "eax", "edx", "memory"); }
static void u_wrmsr(void) { __asm__ volatile("wrmsr" : : "c"(MSR_SYSENTER_CS), "a"(0), "d"(0) : "memory"); }

int main(void)
{
    rt_set_handler(6, on_fault);
    rt_set_handler(13, on_fault);
    rt_gdt_set(9, 0, 0xfffff, 0x9a, 0xc);
    rt_gdt_set(10, 0, 0xfffff, 0x92, 0xc);
    rt_gdt_set(11, 0, 0xfffff, 0xfa, 0xc);
    rt_gdt_set(12, 0, 0xfffff, 0xf2, 0xc);

    /* IA32_SYSENTER_CS = 0 (its reset value): #GP(0) both ways */
    wrmsr(MSR_SYSENTER_CS, 0);
    __asm__ volatile("sysenter" ::: "memory");
    report("sysenter at CPL 0, SYSENTER_CS 0");
    __asm__ volatile("sysexit" ::: "memory");
    report("sysexit at CPL 0, SYSENTER_CS 0");
    rt_user_call(u_sysenter);
    report("sysenter at CPL 3, SYSENTER_CS 0");

    /* ring 3 -> SYSENTER -> ring 0 -> SYSEXIT -> ring 3 */
    wrmsr(MSR_SYSENTER_CS, SEL_SE);
    wrmsr(MSR_SYSENTER_ESP, (uint32_t)(kstack + sizeof kstack));
    wrmsr(MSR_SYSENTER_EIP, (uint32_t)se_kernel);
    rt_user_call(se_user);
    rt_printf("user:      cs %x ss %x\n", se_u_cs & 0xffff, se_u_ss & 0xffff);
    rt_printf("sysenter:  cs %x ss %x esp = SYSENTER_ESP: %s, IF %u\n", se_k_cs & 0xffff,
              se_k_ss & 0xffff, se_k_esp == (uint32_t)(kstack + sizeof kstack) ? "yes" : "no",
              (se_k_eflags >> 9) & 1);
    rt_printf("sysexit:   cs %x ss %x esp = ECX: %s, IF %u, IOPL %u\n", se_b_cs & 0xffff,
              se_b_ss & 0xffff, se_b_esp == se_user_esp ? "yes" : "no", (se_b_eflags >> 9) & 1,
              (se_b_eflags >> 12) & 3);
    report("round trip");

    rt_user_call(u_sysexit);
    report("sysexit at CPL 3");

    /* RDPMC: CPL 3 needs CR4.PCE (SDM 2, RDPMC); a P6 has counters 0, 1 */
    rt_user_call(u_rdpmc0);
    report("rdpmc 0 at CPL 3, PCE 0");
    cr4_set_pce(1);
    rt_user_call(u_rdpmc0);
    report("rdpmc 0 at CPL 3, PCE 1");
    rt_user_call(u_rdpmc2);
    report("rdpmc 2 at CPL 3, PCE 1");
    cr4_set_pce(0);

    /* cache control and MSRs are CPL 0 only */
    __asm__ volatile("invd; wbinvd" ::: "memory");
    report("invd, wbinvd at CPL 0");
    rt_user_call(u_invd);
    report("invd at CPL 3");
    rt_user_call(u_wbinvd);
    report("wbinvd at CPL 3");
    rt_user_call(u_rdmsr);
    report("rdmsr at CPL 3");
    rt_user_call(u_wrmsr);
    report("wrmsr at CPL 3");
    rt_puts("sysenter done\n");
    return 0;
}
