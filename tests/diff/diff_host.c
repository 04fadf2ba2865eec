/* diff_host.c - the native side of the differential test: a Linux
 * process that maps the scratch area at its fixed address and turns the
 * signals of a faulting case into the same record the guest's exception
 * handler makes (the vector from the kernel's trap number). Built twice:
 * x86-64 (diff-native64: runs the cases that behave the same in 64-bit
 * mode, on any x86-64 host) and i386 (diff-native32: every case, on a
 * host whose kernel runs 32-bit programs). The 64-bit build is a PIE, so
 * nothing of it lies below 4 GiB but the scratch area. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#if !defined(__x86_64__)
#include <unistd.h>
#endif

#include "tests/diff/diff.h"

/* No 16-bit code segment: the kernel refuses one without IA-32 emulation,
 * and the harness does not try (diff.h). */
uint16_t diff_code16_sel;

#if defined(__x86_64__)
uint16_t diff_area_sel; /* unused: FS is never used in 64-bit mode */
#else
uint16_t diff_area_sel;

/* The argument of modify_ldt(2) (struct user_desc of the kernel's
 * asm/ldt.h, which a multilib build may lack) and its i386 syscall number. */
struct diff_user_desc {
    unsigned int entry_number;
    unsigned int base_addr;
    unsigned int limit;
    unsigned int seg_32bit : 1;
    unsigned int contents : 2;
    unsigned int read_exec_only : 1;
    unsigned int limit_in_pages : 1;
    unsigned int seg_not_present : 1;
    unsigned int useable : 1;
};
#define DIFF_SYS_MODIFY_LDT 123

/* LDT entry 0: data, base DIFF_AREA, limit 0xffff bytes, 32-bit; its
 * selector is 0x07 (index 0, TI, RPL 3). */
static int diff_host_area_segment(void)
{
    struct diff_user_desc d;

    memset(&d, 0, sizeof(d));
    d.entry_number = 0;
    d.base_addr = DIFF_AREA;
    d.limit = 0xffff;
    d.seg_32bit = 1;
    d.useable = 1;
    if (syscall(DIFF_SYS_MODIFY_LDT, 1, &d, sizeof(d)) != 0) {
        perror("diff: modify_ldt (the scratch area's segment for 16-bit addressing)");
        return -1;
    }
    diff_area_sel = 0x07;
    return 0;
}
#endif

void diff_putc(char c)
{
    putchar(c);
}

void diff_flush(void)
{
    fflush(stdout);
}

/* The case's registers at the fault; execution resumes in the executor,
 * which restores the host stack. */
static void diff_host_fault(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    greg_t *gr = uc->uc_mcontext.gregs;

    (void)sig;
    (void)si;
    diff_fault.vector = (uint32_t)gr[REG_TRAPNO];
#if defined(__x86_64__)
    diff_fault.eip = (uint32_t)gr[REG_RIP];
    diff_fault.regs.r[R_EAX] = (uint32_t)gr[REG_RAX];
    diff_fault.regs.r[R_ECX] = (uint32_t)gr[REG_RCX];
    diff_fault.regs.r[R_EDX] = (uint32_t)gr[REG_RDX];
    diff_fault.regs.r[R_EBX] = (uint32_t)gr[REG_RBX];
    diff_fault.regs.r[R_ESP] = (uint32_t)gr[REG_RSP];
    diff_fault.regs.r[R_EBP] = (uint32_t)gr[REG_RBP];
    diff_fault.regs.r[R_ESI] = (uint32_t)gr[REG_RSI];
    diff_fault.regs.r[R_EDI] = (uint32_t)gr[REG_RDI];
    diff_fault.regs.eflags = (uint32_t)gr[REG_EFL];
    gr[REG_RIP] = (greg_t)(uintptr_t)diff_exec_resume_fault;
#else
    diff_fault.eip = (uint32_t)gr[REG_EIP];
    diff_fault.regs.r[R_EAX] = (uint32_t)gr[REG_EAX];
    diff_fault.regs.r[R_ECX] = (uint32_t)gr[REG_ECX];
    diff_fault.regs.r[R_EDX] = (uint32_t)gr[REG_EDX];
    diff_fault.regs.r[R_EBX] = (uint32_t)gr[REG_EBX];
    diff_fault.regs.r[R_ESP] = (uint32_t)gr[REG_UESP];
    diff_fault.regs.r[R_EBP] = (uint32_t)gr[REG_EBP];
    diff_fault.regs.r[R_ESI] = (uint32_t)gr[REG_ESI];
    diff_fault.regs.r[R_EDI] = (uint32_t)gr[REG_EDI];
    diff_fault.regs.eflags = (uint32_t)gr[REG_EFL];
    gr[REG_EIP] = (greg_t)(uintptr_t)diff_exec_resume_fault;
#endif
}

int main(int argc, char **argv)
{
    static char altstack[65536];
    static const int sigs[] = { SIGSEGV, SIGILL, SIGFPE, SIGBUS, SIGTRAP };
    stack_t ss;
    struct sigaction sa;
    size_t len = 1;
    char *cmd;
    unsigned i;
    void *p;

#if defined(__x86_64__)
    /* LAHF/SAHF exist in 64-bit mode only where CPUID 80000001h:ECX[0]
     * says so (SDM 2 LAHF); every x86-64 CPU since 2006 has them. */
    {
        unsigned a, b, c, d;
        __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000001u), "c"(0));
        if (!(c & 1)) {
            fprintf(stderr, "diff: this CPU has no LAHF/SAHF in 64-bit mode\n");
            return 1;
        }
    }
#endif
    p = mmap((void *)DIFF_AREA, DIFF_AREA_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED) {
        perror("diff: cannot map the scratch area at 0x400000");
        return 1;
    }
    if (p != (void *)DIFF_AREA) {
        fprintf(stderr, "diff: the scratch area was placed at %p, not 0x400000\n", p);
        return 1;
    }
#if !defined(__x86_64__)
    if (diff_host_area_segment() != 0)
        return 1;
#endif
    ss.ss_sp = altstack;
    ss.ss_size = sizeof(altstack);
    ss.ss_flags = 0;
    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = diff_host_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaction(sigs[i], &sa, NULL);

    for (i = 1; i < (unsigned)argc; i++)
        len += strlen(argv[i]) + 1;
    cmd = calloc(len, 1);
    if (!cmd)
        return 1;
    for (i = 1; i < (unsigned)argc; i++) {
        strcat(cmd, argv[i]);
        strcat(cmd, " ");
    }
    return diff_main(cmd);
}
