/* excp_codes: the exceptions with an error code, their error codes (SDM 3A
 * 6.13: selector index, TI, IDT and EXT bits) and their return addresses
 * (faults: EIP of the faulting instruction), and the double fault (SDM 3A
 * 6.15, table 6-5):
 *   #NP(sel) loading DS with a not-present segment, #SS(sel) loading SS
 *   with one, #TS(sel) jumping to a TSS whose limit is below 0x67,
 *   #GP(0) for CLI at CPL 3,
 *   #AC(0) for misaligned word and doubleword accesses at CPL 3 with
 *   CR0.AM and EFLAGS.AC (none with AM clear, none at CPL 0, none for a
 *   byte or an aligned access),
 *   #PF with its error code (P, W/R, U/S) and CR2: a not-present page read
 *   and written, a read-only page written with CR0.WP,
 *   #DF(0) for a contributory exception during the delivery of another
 *   (#GP, then #NP from its not-present gate) and for one during a page
 *   fault's (#PF, then #NP); a benign exception (#UD) whose gate is not
 *   present is followed serially by #NP with error code vector * 8 + 3
 *   (IDT and EXT set).
 * #DE, #BP, #OF, #BR, #UD and INT n are in exceptions.c, #DB in debugregs.c.
 *
 * QEMU's TCG departs from the SDM twice, so this program has an
 * excp_codes.qemu-expected: it has no alignment checking (no #AC: SDM 3A
 * 6.15, interrupt 17: CR0.AM, EFLAGS.AC and CPL 3 enable it), and it
 * leaves the EXT bit clear in the error code of the #NP raised while
 * delivering #UD (0x32; SDM 3A 6.13: EXT is set when the exception
 * occurred during the delivery of an earlier exception: 0x33). */
#include "rt/rt.h"

#define XC_TSS_SMALL 0x48
#define XC_UCODE 0x53 /* GDT 10, RPL 3 */
#define XC_UDATA 0x5b /* GDT 11, RPL 3 */
#define XC_TSS 0x60

static volatile uint32_t seen_vec, seen_err, seen_eip, seen_cpl, seen_cr2, n_faults, n_ac;
static volatile uint32_t ac_eip[4];
static volatile uint32_t df_resume, in_user, ac_err;
volatile uint32_t saved_esp;

static uint32_t tss[26] __attribute__((aligned(16)));
static uint8_t ring0_stack[4096] __attribute__((aligned(16)));
uint8_t user_stack[4096] __attribute__((aligned(16)));
static uint32_t pd[1024] __attribute__((aligned(4096)));
static uint32_t pt[1024] __attribute__((aligned(4096)));
uint8_t ac_buf[16] __attribute__((aligned(16)));

/* Fault address -> where to resume. */
extern char f_np[], r_np[], f_ss[], r_ss[], f_ts[], r_ts[], f_gp[], f_ac1[], r_ac1[], f_ac2[], r_ac2[],
    f_ac3[], r_ac3[], f_pf1[], r_pf1[], f_pf2[], r_pf2[], f_pf3[], r_pf3[], f_ud[], r_ud[],
    f_df1[], r_df1[], f_df2[], r_df2[], user_entry[], user_back[];
static const struct {
    char *at, *resume;
} fixups[] = {
    {f_np, r_np},   {f_ss, r_ss},   {f_ts, r_ts},   {f_ac1, r_ac1}, {f_ac2, r_ac2},
    {f_ac3, r_ac3}, {f_pf1, r_pf1}, {f_pf2, r_pf2}, {f_pf3, r_pf3}, {f_ud, r_ud},
};

static void handler(struct rt_frame *f)
{
    uint32_t cr2;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    seen_vec = f->vec;
    seen_err = f->err;
    seen_eip = f->eip;
    seen_cpl = f->cs & 3;
    seen_cr2 = cr2;
    n_faults++;
    if (f->vec == 17 && n_ac < 4) {
        ac_eip[n_ac++] = f->eip;
        ac_err |= f->err;
    }
    if (f->vec == 11 && f->err == 6 * 8 + 3)
        rt_set_gate_present(6, 1); /* the serial #NP of the #UD below */
    if (f->vec == 13 && in_user && f->eip == (uint32_t)f_gp) {
        /* CLI at CPL 3 ends the user part: back to CPL 0 on this stack
         * (user_back reloads the kernel stack). */
        f->eip = (uint32_t)user_back;
        f->cs = SEL_CODE32;
        in_user = 0;
        return;
    }
    for (unsigned i = 0; i < sizeof fixups / sizeof fixups[0]; i++) {
        if (f->eip == (uint32_t)fixups[i].at) {
            f->eip = (uint32_t)fixups[i].resume;
            return;
        }
    }
    rt_printf("no fixup for vector %u at %x\n", f->vec, f->eip);
    rt_exit(3);
}

static void df_handler(struct rt_frame *f)
{
    /* SDM 3A 6.15 interrupt 8: the saved CS:EIP is undefined; resume at a
     * known place. */
    seen_vec = f->vec;
    seen_err = f->err;
    n_faults++;
    rt_set_gate_present(13, 1);
    rt_set_gate_present(14, 1);
    f->eip = df_resume;
}

#define AT(label) (seen_eip == (uint32_t)(label) ? "ok" : "WRONG")

/* Runs user_entry at CPL 3 (with EFLAGS.AC) until its CLI faults. */
static void run_user(void)
{
    in_user = 1;
    __asm__ volatile("pushal\n\t"
                     "movl %%esp, saved_esp\n\t"
                     "pushl $0x5b\n\t"
                     "pushl $user_stack + 4096\n\t"
                     "pushfl\n\t"
                     "orl $0x40000, (%%esp)\n\t"
                     "pushl $0x53\n\t"
                     "pushl $user_entry\n\t"
                     "iret\n"
                     "user_entry:\n\t"
                     "movw $0x5b, %%ax\n\t"
                     "movw %%ax, %%ds\n\t"
                     "movw %%ax, %%es\n\t"
                     "movl $ac_buf + 1, %%eax\n"
                     "f_ac1: movl (%%eax), %%ebx\n"   /* doubleword at +1 */
                     "r_ac1: movb (%%eax), %%bl\n"    /* a byte: never */
                     "f_ac2: movw %%bx, 2(%%eax)\n"   /* word at +3 */
                     "r_ac2: movl 3(%%eax), %%ebx\n"  /* aligned (+4) */
                     "leal -1(%%esp), %%esp\n"        /* ESP misaligned */
                     "f_ac3: pushl %%eax\n"           /* a stack doubleword */
                     "r_ac3: leal 1(%%esp), %%esp\n"
                     "f_gp: cli\n"
                     "user_back:\n\t"
                     "movl saved_esp, %%esp\n\t"
                     "popal\n\t"
                     "movw $0x10, %%ax\n\t"
                     "movw %%ax, %%ds\n\t"
                     "movw %%ax, %%es\n\t"
                     ::: "eax", "memory");
}

int main(void)
{
    for (int v = 0; v < 32; v++)
        rt_set_handler(v, handler);
    rt_set_handler(8, df_handler);

    /* #NP and #SS: the selector, TI = 0, EXT = 0. */
    __asm__ volatile("movw $0x38, %%ax\n"
                     "f_np: movw %%ax, %%ds\n"
                     "r_np:\n" ::: "eax", "memory");
    rt_printf("mov ds, not present: vector %u err %x eip %s\n", seen_vec, seen_err, AT(f_np));
    __asm__ volatile("movw $0x38, %%ax\n"
                     "f_ss: movw %%ax, %%ss\n"
                     "r_ss:\n" ::: "eax", "memory");
    rt_printf("mov ss, not present: vector %u err %x eip %s\n", seen_vec, seen_err, AT(f_ss));

    /* #TS: a 32-bit available TSS with a limit below 0x67. */
    rt_gdt_set(9, (uint32_t)tss, 0x20, 0x89, 0);
    __asm__ volatile("f_ts: ljmp $0x48, $0\n"
                     "r_ts:\n" ::: "memory");
    rt_printf("jmp to a short TSS: vector %u err %x eip %s\n", seen_vec, seen_err, AT(f_ts));

    /* CPL 3: user code and data, and a TSS for the way back in. */
    rt_gdt_set(10, 0, 0xfffff, 0xfa, 0xc);
    rt_gdt_set(11, 0, 0xfffff, 0xf2, 0xc);
    tss[1] = (uint32_t)(ring0_stack + sizeof ring0_stack);
    tss[2] = SEL_DATA32;
    rt_gdt_set(12, (uint32_t)tss, 0x67, 0x89, 0);
    __asm__ volatile("ltr %w0" : : "r"(XC_TSS));

    /* EFLAGS.AC at CPL 3 but CR0.AM clear: no #AC. */
    n_faults = n_ac = 0;
    run_user();
    rt_printf("CPL 3, AM clear: %u faults, last vector %u err %x cpl %u eip %s\n", n_faults, seen_vec, seen_err,
              seen_cpl, AT(f_gp));

    /* CR0.AM set: #AC(0) for the misaligned doubleword, word and push. */
    uint32_t cr0;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | (1u << 18)));
    n_faults = n_ac = ac_err = 0;
    run_user();
    rt_printf("CPL 3, AM set: %u faults, %u #AC err %x, eips %s %s %s\n", n_faults, n_ac, ac_err,
              n_ac > 0 && ac_eip[0] == (uint32_t)f_ac1 ? "ok" : "WRONG",
              n_ac > 1 && ac_eip[1] == (uint32_t)f_ac2 ? "ok" : "WRONG",
              n_ac > 2 && ac_eip[2] == (uint32_t)f_ac3 ? "ok" : "WRONG");

    /* At CPL 0 with AM and AC: no check. */
    n_faults = 0;
    uint32_t v;
    __asm__ volatile("pushfl\n\torl $0x40000, (%%esp)\n\tpopfl\n\t"
                     "movl ac_buf + 1, %0\n\t"
                     "pushfl\n\tandl $~0x40000, (%%esp)\n\tpopfl"
                     : "=r"(v) : : "cc", "memory");
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
    rt_printf("CPL 0, AM and AC set: %u faults\n", n_faults);

    /* Paging: identity map of the first 4 MiB; 0x300000 not present,
     * 0x301000 read-only. */
    for (int i = 0; i < 1024; i++)
        pt[i] = (uint32_t)i * 4096 | 7; /* P, R/W, U/S */
    pt[0x300] = 0;
    pt[0x301] = 0x301000 | 5; /* read-only */
    pd[0] = (uint32_t)pt | 7;
    __asm__ volatile("mov %0, %%cr3\n\t"
                     "mov %%cr0, %%eax\n\t"
                     "orl $0x80010000, %%eax\n\t" /* PG, WP */
                     "mov %%eax, %%cr0\n\t"
                     "jmp 1f\n1:" : : "r"(pd) : "eax", "memory");
    __asm__ volatile("f_pf1: movl 0x300004, %%eax\nr_pf1:" ::: "eax", "memory");
    rt_printf("read, not present: vector %u err %x cr2 %x eip %s\n", seen_vec, seen_err, seen_cr2, AT(f_pf1));
    __asm__ volatile("f_pf2: movl $1, 0x300008\nr_pf2:" ::: "memory");
    rt_printf("write, not present: vector %u err %x cr2 %x eip %s\n", seen_vec, seen_err, seen_cr2, AT(f_pf2));
    __asm__ volatile("f_pf3: movb $1, 0x30100c\nr_pf3:" ::: "memory");
    rt_printf("write, read-only with WP: vector %u err %x cr2 %x eip %s\n", seen_vec, seen_err, seen_cr2,
              AT(f_pf3));

    /* #DF: #GP whose gate is not present raises #NP during its delivery
     * (both contributory). */
    rt_set_gate_present(13, 0);
    __asm__ volatile("movl $r_df1, df_resume\n\t"
                     "movw $0x1234, %%ax\n"
                     "f_df1: movw %%ax, %%ds\n"
                     "r_df1:\n\t"
                     "movw $0x10, %%ax\n\t"
                     "movw %%ax, %%ds" ::: "eax", "memory");
    rt_printf("#GP then #NP: vector %u err %x\n", seen_vec, seen_err);

    /* #DF: a page fault, then #NP from its gate. */
    rt_set_gate_present(14, 0);
    __asm__ volatile("movl $r_df2, df_resume\n"
                     "f_df2: movl 0x300000, %%eax\n"
                     "r_df2:" ::: "eax", "memory");
    rt_printf("#PF then #NP: vector %u err %x\n", seen_vec, seen_err);

    /* Benign first: #UD, then #NP from its gate, delivered serially; the
     * #NP's EIP is the UD2's. */
    rt_set_gate_present(6, 0);
    __asm__ volatile("f_ud: ud2\nr_ud:" ::: "memory");
    rt_printf("#UD then #NP: vector %u err %x eip %s\n", seen_vec, seen_err, AT(f_ud));

    __asm__ volatile("mov %%cr0, %%eax\n\t"
                     "andl $0x7fffffff, %%eax\n\t"
                     "mov %%eax, %%cr0\n\t"
                     "jmp 1f\n1:" ::: "eax", "memory");
    rt_puts("excp_codes done\n");
    return 0;
}
