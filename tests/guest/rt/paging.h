/* Helpers for the paging test programs (paging_*.c): control registers,
 * MSRs, page tables of both formats in free RAM, probes that load, store
 * or fetch at an address and report the #PF they raised (error code and
 * whether CR2 named the address), and running a function at CPL 3 (a
 * TSS for the way back into ring 0, user segments, INT 0x81 to return).
 * Everything the programs run, at any CPL, is mapped user-accessible.
 * Included by one program each: the asm below is defined once. */
#ifndef GUEST_RT_PAGING_H
#define GUEST_RT_PAGING_H

#include "rt/rt.h"

/* Entry bits (SDM 3A 4.3, 4.4.2). */
#define PG_P 0x001u
#define PG_RW 0x002u
#define PG_US 0x004u
#define PG_A 0x020u
#define PG_D 0x040u
#define PG_PS 0x080u
#define PG_G 0x100u
#define PG_XD (1ull << 63)

#define CR0_WP 0x00010000u
#define CR0_PG 0x80000000u
#define CR4_PSE 0x010u
#define CR4_PAE 0x020u
#define CR4_PGE 0x080u
#define MSR_EFER 0xc0000080u
#define EFER_NXE 0x800u

/* User selectors (GDT entries 9 and 10, DPL 3) and the TSS (entry 11). */
#define PG_SEL_UCODE 0x4b
#define PG_SEL_UDATA 0x53
#define PG_SEL_TSS 0x58
#define VEC_USER_EXIT 0x81

static inline uint32_t rd_cr0(void) { uint32_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint32_t rd_cr2(void) { uint32_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint32_t rd_cr3(void) { uint32_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint32_t rd_cr4(void) { uint32_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void wr_cr0(uint32_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void wr_cr3(uint32_t v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void wr_cr4(uint32_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }
static inline void invlpg(uint32_t a) { __asm__ volatile("invlpg (%0)" : : "r"(a) : "memory"); }
static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}
static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return lo | (uint64_t)hi << 32;
}
static inline void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

/* ---- probes ---- */

/* pg_rd / pg_wr: one 2-byte load or store at addr (the #PF handler skips
 * it); pg_ex: jumps to addr, where the program put code that ends with
 * `jmp *%ecx` (ff e1), which comes back (the handler returns to ECX on a
 * fetch fault); returns what that code left in EAX. */
uint32_t pg_rd(uint32_t addr);
void pg_wr(uint32_t addr, uint32_t v);
uint32_t pg_ex(uint32_t addr);
extern char pg_rd_insn[], pg_wr_insn[];
__asm__(".text\n"
        ".globl pg_rd, pg_wr, pg_ex, pg_rd_insn, pg_wr_insn\n"
        "pg_rd: mov 4(%esp), %eax\n"
        "pg_rd_insn: mov (%eax), %eax\n"
        "  ret\n"
        "pg_wr: mov 4(%esp), %eax\n"
        "  mov 8(%esp), %edx\n"
        "pg_wr_insn: mov %edx, (%eax)\n"
        "  ret\n"
        "pg_ex: mov 4(%esp), %eax\n"
        "  push %ecx\n"
        "  lea 1f, %ecx\n"
        "  jmp *%eax\n"
        "1: pop %ecx\n"
        "  ret\n");

static volatile uint32_t pg_faults, pg_err, pg_cr2, pg_cr2_bad;

static void pg_on_pf(struct rt_frame *f)
{
    pg_faults++;
    pg_err = f->err;
    pg_cr2 = rd_cr2();
    if (f->eip == (uint32_t)pg_rd_insn || f->eip == (uint32_t)pg_wr_insn) {
        f->eip += 2;
    } else if (f->eip == pg_cr2) {
        f->eip = f->ecx; /* a fetch: back to pg_ex */
    } else {
        rt_printf("unexpected #PF err %x eip %x cr2 %x\n", f->err, f->eip, pg_cr2);
        rt_exit(3);
    }
}

/* -1: no fault; else the #PF error code (and CR2 checked against addr). */
static inline int pg_result(uint32_t before, uint32_t addr)
{
    if (pg_faults == before)
        return -1;
    if (pg_cr2 != addr)
        pg_cr2_bad++;
    return (int)pg_err;
}
static inline int probe_rd(uint32_t addr)
{
    uint32_t n = pg_faults;
    pg_rd(addr);
    return pg_result(n, addr);
}
static inline int probe_wr(uint32_t addr, uint32_t v)
{
    uint32_t n = pg_faults;
    pg_wr(addr, v);
    return pg_result(n, addr);
}
static inline int probe_ex(uint32_t addr)
{
    uint32_t n = pg_faults;
    pg_ex(addr);
    return pg_result(n, addr);
}

/* "ok" or the error code, as the programs print a probe's result. */
static inline void print_probe(const char *what, int r)
{
    if (r < 0)
        rt_printf(" %s=ok", what);
    else
        rt_printf(" %s=pf%02x", what, (unsigned)r);
}

/* ---- CPL 3 ---- */

struct pg_tss {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    uint32_t regs[8], segs[6], ldt;
    uint16_t trap, iomap;
};
static struct pg_tss pg_tss __attribute__((aligned(16)));
static uint8_t pg_kstack[8192] __attribute__((aligned(16)));
uint8_t pg_ustack[8192] __attribute__((aligned(16)));
uint32_t pg_kernel_esp;

/* void pg_user_call(void (*fn)(void)): runs fn at CPL 3 on pg_ustack and
 * returns once it has (fn ends with a plain return; INT 0x81, a DPL 3
 * gate, brings the CPU back to ring 0, where the saved stack resumes). */
void pg_user_call(void (*fn)(void));
void pg_user_exit(void);
__asm__(".text\n"
        ".globl pg_user_call, pg_user_exit\n"
        "pg_user_call:\n"
        "  push %ebp\n"
        "  push %ebx\n"
        "  push %esi\n"
        "  push %edi\n"
        "  mov %esp, pg_kernel_esp\n"
        "  mov 20(%esp), %eax\n"
        "  push $0x53\n"
        "  push $pg_ustack + 8192\n"
        "  pushf\n"
        "  push $0x4b\n"
        "  push $2f\n"
        "  mov $0x53, %cx\n"
        "  mov %cx, %ds\n"
        "  mov %cx, %es\n"
        "  mov %cx, %fs\n"
        "  mov %cx, %gs\n"
        "  iret\n"
        "2: call *%eax\n"
        "  int $0x81\n"
        "pg_user_exit:\n"
        "  mov $0x10, %cx\n"
        "  mov %cx, %ds\n"
        "  mov %cx, %es\n"
        "  mov %cx, %fs\n"
        "  mov %cx, %gs\n"
        "  mov pg_kernel_esp, %esp\n"
        "  pop %edi\n"
        "  pop %esi\n"
        "  pop %ebx\n"
        "  pop %ebp\n"
        "  ret\n");

/* User segments, the TSS (ring-0 stack for interrupts from CPL 3), the
 * DPL-3 gate of INT 0x81 and the #PF handler. */
static inline void pg_init(void)
{
    rt_gdt_set(9, 0, 0xfffff, 0xfa, 0xc);
    rt_gdt_set(10, 0, 0xfffff, 0xf2, 0xc);
    pg_tss.ss0 = 0x10;
    pg_tss.esp0 = (uint32_t)(pg_kstack + sizeof pg_kstack);
    pg_tss.iomap = sizeof pg_tss;
    rt_gdt_set(11, (uint32_t)&pg_tss, sizeof pg_tss - 1, 0x89, 0x0);
    rt_gdt_reload();
    __asm__ volatile("ltr %w0" : : "r"(PG_SEL_TSS));

    struct __attribute__((packed)) { uint16_t limit; uint32_t base; } idtr;
    __asm__ volatile("sidt %0" : "=m"(idtr));
    uint64_t *idt = (uint64_t *)idtr.base;
    uint32_t off = (uint32_t)pg_user_exit;
    idt[VEC_USER_EXIT] = (off & 0xffffu) | ((uint64_t)0x08 << 16) | ((uint64_t)0xee << 40) |
                         ((uint64_t)(off >> 16) << 48);
    rt_set_handler(14, pg_on_pf);
}

/* ---- page tables ---- */

/* 32-bit paging: page directory at pd, identity 4 KiB pages for 0-8 MiB
 * (page tables at pd + 4 KiB, + 8 KiB), user, writable, accessed and
 * dirty, so that the walks of the program's own accesses write nothing. */
static inline uint32_t *pg_build32(uint32_t pd)
{
    uint32_t *dir = (uint32_t *)pd;
    memset(dir, 0, 3 * 4096);
    for (uint32_t t = 0; t < 2; t++) {
        uint32_t *pt = (uint32_t *)(pd + 4096 * (t + 1));
        dir[t] = (pd + 4096 * (t + 1)) | PG_P | PG_RW | PG_US | PG_A;
        for (uint32_t i = 0; i < 1024; i++)
            pt[i] = ((t << 22) + (i << 12)) | PG_P | PG_RW | PG_US | PG_A | PG_D;
    }
    return dir;
}

/* PAE paging: the PDPT at pdpt (32-byte aligned) with one present entry
 * for 0-1 GiB, its page directory at pdpt + 4 KiB, identity 4 KiB pages
 * for 0-8 MiB (four page tables after it), as for pg_build32. */
static inline uint64_t *pg_build_pae(uint32_t pdpt)
{
    uint64_t *dpt = (uint64_t *)pdpt;
    uint64_t *dir = (uint64_t *)(pdpt + 4096);
    memset(dpt, 0, 6 * 4096);
    dpt[0] = (pdpt + 4096) | PG_P;
    for (uint32_t t = 0; t < 4; t++) {
        uint64_t *pt = (uint64_t *)(pdpt + 4096 * (t + 2));
        dir[t] = (pdpt + 4096 * (t + 2)) | PG_P | PG_RW | PG_US | PG_A;
        for (uint32_t i = 0; i < 512; i++)
            pt[i] = ((t << 21) + (i << 12)) | PG_P | PG_RW | PG_US | PG_A | PG_D;
    }
    return dir;
}

#endif
