/* diff_host.c - the native side of the differential test: a Linux i386
 * process (gcc -m32) that maps the scratch area at its fixed address and
 * turns the signals of a faulting case into the same record the guest's
 * exception handler makes (the vector from the kernel's trap number). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "tests/diff/diff.h"

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
