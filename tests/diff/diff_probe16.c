/* diff_probe16.c - does this host's kernel let a 64-bit Linux process run
 * 16-bit code? It installs a 16-bit code segment in the process's LDT
 * (modify_ldt) over a page holding MOV AX, 1234h; INC AX; O32 RETF, and
 * far-calls it from a trampoline in that page (below 4 GiB, with a stack
 * there, as the 16-bit code sees only the low halves of RIP and RSP).
 * Kernels without IA-32 emulation may accept the descriptor and still
 * fault the far call (#GP on the selector). run.sh prints the answer next
 * to the count of 16-bit cases (tests/diff/README.md).
 *
 * usage: diff-probe16   prints "host runs 16-bit code segments: yes|no (why)"
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define PAGE 0x500000u

/* struct user_desc of asm/ldt.h. */
struct probe_desc {
    unsigned int entry_number, base_addr, limit;
    unsigned int seg_32bit : 1, contents : 2, read_exec_only : 1, limit_in_pages : 1,
        seg_not_present : 1, useable : 1;
};

static void fault(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    char buf[160];
    int n;

    (void)si;
    n = snprintf(buf, sizeof(buf),
                 "host runs 16-bit code segments: no (signal %d, trap %lld, error code %#llx "
                 "on the far call)\n",
                 sig, (long long)uc->uc_mcontext.gregs[REG_TRAPNO],
                 (unsigned long long)uc->uc_mcontext.gregs[REG_ERR]);
    if (write(1, buf, (size_t)n) < 0)
        _exit(2);
    _exit(1);
}

int main(void)
{
    /* MOV AX, 1234h; INC AX; O32 RETF (back to the 64-bit CS). */
    static const uint8_t code16[] = { 0xb8, 0x34, 0x12, 0x40, 0x66, 0xcb };
    /* MOV [PAGE+F00h], RSP; MOV ESP, PAGE+E00h; CALL FAR [PAGE+F10h];
     * MOV RSP, [PAGE+F00h]; RET. */
    static const uint8_t tramp[] = {
        0x48, 0x89, 0x24, 0x25, 0x00, 0x0f, 0x50, 0x00, 0xbc, 0x00, 0x0e, 0x50, 0x00,
        0xff, 0x1c, 0x25, 0x10, 0x0f, 0x50, 0x00, 0x48, 0x8b, 0x24, 0x25, 0x00, 0x0f,
        0x50, 0x00, 0xc3,
    };
    static char altstack[65536];
    struct probe_desc d;
    struct sigaction sa;
    stack_t ss;
    uint8_t *p;
    uint32_t (*fn)(void);
    uint32_t ax;

    p = mmap((void *)(uintptr_t)PAGE, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != (uint8_t *)(uintptr_t)PAGE) {
        printf("host runs 16-bit code segments: unknown (no page at %#x)\n", PAGE);
        return 1;
    }
    memset(&d, 0, sizeof(d));
    d.entry_number = 1;
    d.base_addr = PAGE;
    d.limit = 0xffff;
    d.contents = 2; /* code */
    d.useable = 1;
    if (syscall(SYS_modify_ldt, 1, &d, sizeof(d)) != 0) {
        printf("host runs 16-bit code segments: no (modify_ldt refused)\n");
        return 1;
    }
    memcpy(p, code16, sizeof(code16));
    memcpy(p + 0x200, tramp, sizeof(tramp));
    memset(p + 0xf10, 0, 4);    /* offset 0 */
    p[0xf14] = 0x0f;            /* selector: LDT entry 1, RPL 3 */
    p[0xf15] = 0;
    ss.ss_sp = altstack;
    ss.ss_size = sizeof(altstack);
    ss.ss_flags = 0;
    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    fn = (uint32_t(*)(void))(uintptr_t)(PAGE + 0x200);
    ax = fn() & 0xffff;
    if (ax != 0x1235) {
        printf("host runs 16-bit code segments: no (wrong result %#x)\n", ax);
        return 1;
    }
    printf("host runs 16-bit code segments: yes\n");
    return 0;
}
