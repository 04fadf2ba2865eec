/* randring3: pseudo-random bytes run as 32-bit code at CPL 3, for
 * tests/backends/check.sh (the same final state on every backend) and for
 * the sanitizer build (no host crash, no report, whatever ring 3 does).
 *
 * Command line (-append): "seed=S ticks=T". The PIT interrupts every
 * 119 PIT clocks (99,733 ns: as many guest instructions under
 * -icount shift=0); the T-th interrupt ends the run with a report.
 *
 * Confinement (SDM 3A 5.5-5.6, 4.6, 6.12; 18.5 for IOPL):
 * - Paging with CR0.WP: the kernel (image, GDT, IDT, TSS, page tables) is
 *   identity-mapped with supervisor 4 MiB pages; ring 3 sees only the
 *   user window at 0x40000000 (USER_* below), whose one supervisor page
 *   and one read-only page it cannot write.
 * - IOPL 0 and a TSS without an I/O bitmap: IN, OUT, INS, OUTS, CLI, STI
 *   raise #GP at CPL 3, as do HLT, LGDT, MOV CRn, RDMSR/WRMSR, RDPMC
 *   (CR4.PCE = 0); POPF and IRET at CPL 3 cannot change IOPL or IF, so the
 *   timer always comes. SYSENTER's MSRs are zero (SYSENTER raises #GP).
 * - Only the flat ring-3 code and data descriptors have DPL 3; the TSS
 *   has DPL 0; there is no LDT and no call gate.
 * - Every IDT vector has a handler; the gates of INT3, INTO and INT 0x80
 *   have DPL 3, the others DPL 0, so INT n to them raises #GP.
 * - The x87 is left enabled (CR0.EM = 0, TS = 0, NE = 1): random x87
 *   code runs; an unmasked x87 error raises #MF, whose handler clears it
 *   (FNCLEX). CR0.AM = 1: a misaligned access with EFLAGS.AC set raises
 *   #AC. SSE is off (CR4.OSFXSR = 0): its instructions raise #UD.
 *
 * Every event from ring 3 is counted per vector and repaired before the
 * IRET back: the data segment registers get the user selector again,
 * ESP outside the user stack goes back into it, EFLAGS loses IOPL, NT
 * and RF and gets IF; after a fault (the return address is the faulting
 * instruction) EIP moves to a pseudo-random byte of the code pages, TF
 * and AC are cleared, and sometimes one register gets an address in the
 * user window. Each timer tick refills one code page with new bytes (the
 * random code also writes into them: self-modifying code). The report:
 * the counts per vector, a checksum of the interrupted registers, one of
 * the x87 state (FNSAVE), whether the GDT, IDT, TSS and page tables are
 * as they were on entry to ring 3, and a checksum of the user pages. */
#include "rt/rt.h"

#define USER_BASE 0x40000000u
#define USER_PHYS 0x00800000u /* free RAM behind the user window */
#define CODE_PAGES 4          /* pages 0-3: code, user read/write */
#define PAGE_RO 4             /* user, read-only */
#define PAGE_DATA 5           /* 5 and 6: user read/write */
#define PAGE_HOLE 7           /* not present */
#define PAGE_STACK 8          /* user read/write */
#define PAGE_SUPER 9          /* present, supervisor only */
#define USER_PAGES 10
#define PAGE_SIZE 4096u
#define STACK_TOP (USER_BASE + (PAGE_STACK + 1) * PAGE_SIZE)

#define VEC_MF 16      /* x87 floating-point error */
#define VEC_TIMER 0x20 /* IRQ0 after rt_pic_init */
#define VEC_USER_INT 0x80

/* CR0 (SDM 3A 2.5) and CR4 bits, page entry bits (SDM 3A 4.3). */
#define CR0_PE 0x00000001u
#define CR0_MP 0x00000002u
#define CR0_ET 0x00000010u
#define CR0_NE 0x00000020u
#define CR0_WP 0x00010000u
#define CR0_AM 0x00040000u
#define CR0_PG 0x80000000u
#define CR4_PSE 0x00000010u
#define PG_P 0x001u
#define PG_RW 0x002u
#define PG_US 0x004u
#define PG_A 0x020u
#define PG_D 0x040u
#define PG_PS 0x080u
#define FL_IOPL 0x3000u
#define FL_NT 0x4000u
#define FL_RF 0x10000u
#define FL_AC 0x40000u

/* What the CPU pushes on top of struct rt_frame when it leaves CPL 3. */
struct user_frame {
    struct rt_frame f;
    uint32_t esp, ss;
};

/* A 32-bit TSS (SDM 3A 7.2.1); the I/O map base past the limit: no map. */
struct tss {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    uint32_t regs[8], segs[6], ldt;
    uint16_t trap, iomap;
};

static struct tss tss __attribute__((aligned(16)));
static uint32_t page_dir[1024] __attribute__((aligned(4096)));
static uint32_t user_pt[1024] __attribute__((aligned(4096)));
static uint8_t kstack[16384] __attribute__((aligned(16)));
static uint32_t counts[256];
static uint32_t ticks, ticks_wanted, seed;
static uint32_t tables_hash; /* GDT, IDT, TSS and page tables on entry */

static uint8_t *user_page(int n)
{
    return (uint8_t *)(USER_PHYS + (uint32_t)n * PAGE_SIZE);
}

static void fill_random(uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i += 4) {
        uint32_t r = rt_rand();
        memcpy(p + i, &r, 4);
    }
}

/* ---- the command line ---- */

static uint32_t arg_value(const char *cl, const char *key, uint32_t dflt)
{
    for (const char *p = cl; p && *p; p++) {
        const char *k = key, *q = p;
        while (*k && *q == *k)
            k++, q++;
        if (*k || (p != cl && p[-1] != ' '))
            continue;
        uint32_t v = 0;
        while (*q >= '0' && *q <= '9')
            v = v * 10 + (uint32_t)(*q++ - '0');
        return v;
    }
    return dflt;
}

static void parse_args(void)
{
    /* Multiboot information (Multiboot 0.6.96 3.3): flags bit 2, cmdline at +16 */
    const uint32_t *mbi = (const uint32_t *)rt_mb_info;
    const char *cl = (mbi[0] & 4) ? (const char *)mbi[4] : "";
    seed = arg_value(cl, "seed=", 1);
    ticks_wanted = arg_value(cl, "ticks=", 20);
    if (seed == 0)
        seed = 1;
    if (ticks_wanted == 0)
        ticks_wanted = 1;
}

/* ---- the report ---- */

static uint32_t hash_bytes(uint32_t h, const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i += 4) {
        uint32_t v;
        memcpy(&v, p + i, 4);
        h = rt_hash(h, v);
    }
    return h;
}

struct __attribute__((packed)) dtr {
    uint16_t limit;
    uint32_t base;
};

/* What ring 3 must never change: the descriptor tables, the TSS and the
 * page tables (their accessed and dirty bits are set beforehand). */
static uint32_t hash_tables(void)
{
    struct dtr gdtr, idtr;
    __asm__ volatile("sgdt %0\n\tsidt %1" : "=m"(gdtr), "=m"(idtr));
    uint32_t h = hash_bytes(RT_HASH_INIT, (const uint8_t *)gdtr.base, (gdtr.limit + 1u) & ~3u);
    h = hash_bytes(h, (const uint8_t *)idtr.base, (idtr.limit + 1u) & ~3u);
    h = hash_bytes(h, (const uint8_t *)&tss, sizeof tss & ~3u);
    h = hash_bytes(h, (const uint8_t *)page_dir, sizeof page_dir);
    return hash_bytes(h, (const uint8_t *)user_pt, sizeof user_pt);
}

static _Noreturn void report(struct user_frame *u)
{
    struct rt_frame *f = &u->f;
    uint8_t fpu[108];
    uint32_t total = 0;

    __asm__ volatile("fnsave %0" : "=m"(fpu));
    rt_printf("randring3 seed=%u ticks=%u\n", seed, ticks);
    for (int v = 0; v < 256; v++) {
        if (!counts[v])
            continue;
        total += counts[v];
        rt_printf("vector %02x: %u\n", (uint32_t)v, counts[v]);
    }
    rt_printf("events: %u\n", total);
    uint32_t regs[] = {f->eax, f->ecx, f->edx, f->ebx, u->esp, f->ebp, f->esi, f->edi, f->eip, f->eflags};
    rt_printf("registers: %08x (eip %08x eflags %08x)\n", hash_bytes(RT_HASH_INIT, (uint8_t *)regs, sizeof regs),
              f->eip, f->eflags);
    rt_printf("x87: %08x\n", hash_bytes(RT_HASH_INIT, fpu, sizeof fpu));
    rt_printf("kernel tables unchanged: %s\n", hash_tables() == tables_hash ? "yes" : "NO");
    rt_printf("memory: %08x\n", hash_bytes(RT_HASH_INIT, user_page(0), USER_PAGES * PAGE_SIZE));
    rt_exit(0);
}

/* ---- events from ring 3 ---- */

/* Faults report the address of the faulting instruction (SDM 3A 6.5);
 * #DB (single step: DR7 is clear), #BP, #OF, INT 0x80 and the timer
 * report the next one. */
static int is_fault(uint32_t vec)
{
    return vec != 1 && vec != 3 && vec != 4 && vec != VEC_TIMER && vec != VEC_USER_INT;
}

static uint32_t user_addr(void)
{
    return USER_BASE + rt_rand() % (USER_PAGES * PAGE_SIZE);
}

static void repair_after_fault(struct user_frame *u)
{
    struct rt_frame *f = &u->f;
    f->eip = USER_BASE + rt_rand() % (CODE_PAGES * PAGE_SIZE);
    f->eflags &= ~(FL_TF | FL_AC);
    uint32_t r = rt_rand();
    if ((r & 3) == 0) {
        uint32_t *gpr[] = {&f->eax, &f->ecx, &f->edx, &f->ebx, &f->ebp, &f->esi, &f->edi};
        *gpr[(r >> 2) % 7] = user_addr();
    }
}

static void on_event(struct rt_frame *f)
{
    struct user_frame *u = (struct user_frame *)f;
    if ((f->cs & 3) != 3) {
        rt_printf("event %x in ring 0 at eip %x err %x\n", f->vec, f->eip, f->err);
        rt_exit(3);
    }
    counts[f->vec & 0xff]++;
    if (f->vec == VEC_TIMER) {
        rt_pic_eoi(0);
        if (++ticks >= ticks_wanted)
            report(u);
        fill_random(user_page((int)(ticks % CODE_PAGES)), PAGE_SIZE);
    } else if (f->vec == VEC_MF) {
        __asm__ volatile("fnclex");
    }
    if (is_fault(f->vec))
        repair_after_fault(u);
    f->ds = f->es = f->fs = f->gs = SEL_UDATA;
    f->cs = SEL_UCODE;
    u->ss = SEL_UDATA;
    if (u->esp < USER_BASE + PAGE_STACK * PAGE_SIZE + 64 || u->esp > STACK_TOP)
        u->esp = STACK_TOP - 4 * (rt_rand() % 256);
    f->eflags = (f->eflags & ~(FL_IOPL | FL_NT | FL_RF)) | FL_IF;
}

/* ---- set-up ---- */

static void set_gate_dpl(int vec, uint32_t dpl)
{
    struct dtr idtr;
    __asm__ volatile("sidt %0" : "=m"(idtr));
    uint64_t *gate = (uint64_t *)idtr.base + vec;
    *gate = (*gate & ~(3ull << 45)) | ((uint64_t)dpl << 45);
}

static void setup_paging(void)
{
    /* the kernel: 0-16 MiB identity, supervisor, 4 MiB pages */
    for (uint32_t i = 0; i < 4; i++)
        page_dir[i] = (i << 22) | PG_PS | PG_D | PG_A | PG_RW | PG_P;
    for (int n = 0; n < USER_PAGES; n++) {
        uint32_t e = (USER_PHYS + (uint32_t)n * PAGE_SIZE) | PG_D | PG_A | PG_P | PG_US | PG_RW;
        if (n == PAGE_RO)
            e &= ~PG_RW;
        if (n == PAGE_SUPER)
            e &= ~PG_US;
        if (n == PAGE_HOLE)
            e = 0;
        user_pt[n] = e;
    }
    page_dir[USER_BASE >> 22] = (uint32_t)user_pt | PG_A | PG_US | PG_RW | PG_P;
    uint32_t cr4, cr0;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_PSE));
    __asm__ volatile("mov %0, %%cr3" : : "r"(page_dir) : "memory");
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 = (cr0 & ~(0xcu)) | CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_PG;
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
}

static void setup_cpl3(void)
{
    rt_gdt_set(SEL_TSS >> 3, (uint32_t)&tss, sizeof tss - 1, 0x89, 0x0);
    /* accessed bits set, as is the TSS's busy bit after LTR, so that the
     * processor has nothing to write there (SDM 3A 3.4.5.1, 4.8) and the
     * tables stay as hash_tables() found them */
    rt_gdt_set(SEL_UCODE >> 3, 0, 0xfffff, 0xfb, 0xc);
    rt_gdt_set(SEL_UDATA >> 3, 0, 0xfffff, 0xf3, 0xc);
    rt_gdt_reload();
    tss.esp0 = (uint32_t)(kstack + sizeof kstack);
    tss.ss0 = SEL_DATA32;
    tss.iomap = sizeof tss;
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS) : "memory");
    /* SYSENTER_CS, _ESP, _EIP (SDM 3A 5.8.7): SYSENTER raises #GP */
    for (uint32_t msr = 0x174; msr <= 0x176; msr++)
        __asm__ volatile("wrmsr" : : "c"(msr), "a"(0), "d"(0));
    for (int v = 0; v < 256; v++) {
        rt_set_handler(v, on_event);
        rt_set_gate(v, 0);
    }
    set_gate_dpl(3, 3);
    set_gate_dpl(4, 3);
    set_gate_dpl(VEC_USER_INT, 3);
}

static _Noreturn void enter_user(void)
{
    uint32_t gpr[7];
    for (int i = 0; i < 7; i++)
        gpr[i] = user_addr();
    __asm__ volatile("fninit");
    /* IRET to ring 3 (SDM 3A 6.12.1 in reverse) with IF set, IOPL 0 */
    __asm__ volatile("mov %[ds], %%ds\n\t"
                     "mov %[ds], %%es\n\t"
                     "mov %[ds], %%fs\n\t"
                     "mov %[ds], %%gs\n\t"
                     "push %[ss]\n\t"
                     "push %[esp]\n\t"
                     "push %[fl]\n\t"
                     "push %[cs]\n\t"
                     "push %[eip]\n\t"
                     "mov 0(%[g]), %%eax\n\t"
                     "mov 4(%[g]), %%ecx\n\t"
                     "mov 8(%[g]), %%edx\n\t"
                     "mov 12(%[g]), %%ebx\n\t"
                     "mov 16(%[g]), %%ebp\n\t"
                     "mov 24(%[g]), %%edi\n\t"
                     "mov 20(%[g]), %%esi\n\t"
                     "iretl"
                     :
                     : [ds] "r"(SEL_UDATA), [ss] "i"(SEL_UDATA), [esp] "i"(STACK_TOP - 64),
                       [fl] "i"(FL_IF | 2), [cs] "i"(SEL_UCODE), [eip] "i"(USER_BASE), [g] "S"(gpr)
                     : "memory");
    __builtin_unreachable();
}

int main(void)
{
    parse_args();
    rt_srand(seed * 2654435761u | 1);
    for (int n = 0; n < USER_PAGES; n++)
        fill_random(user_page(n), PAGE_SIZE);
    setup_paging();
    setup_cpl3();
    tables_hash = hash_tables();
    rt_pic_unmask(0);
    outb(0x43, 0x34); /* PIT channel 0, mode 2, divisor 119 (about 100 us) */
    outb(0x40, 119);
    outb(0x40, 0);
    enter_user();
}
