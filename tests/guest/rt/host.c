/* A Linux user-space stand-in for the guest runtime, so that the guest
 * programs that use only unprivileged instructions can also run natively on
 * the x86 build machine (hostcheck.sh): printing goes to stdout and #DE
 * (SIGFPE) reaches the program's vector 0 handler with a struct rt_frame
 * built from the signal context; IRQ0 from the PIT becomes SIGALRM from an
 * interval timer (at most every 100 us) delivered to vector 0x20.
 * It builds as a 32-bit program and, for a host that runs no 32-bit code,
 * as a 64-bit one: the frame then holds the low halves of the registers,
 * and hostcheck.sh links the program below 4 GiB, so that EIP as a 32-bit
 * value still names the code. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>

#include "rt/rt.h"

uint32_t rt_mb_magic, rt_mb_info;
static rt_handler host_handlers[256];

/* The signal context's registers: EAX.. in a 32-bit program, RAX.. in a
 * 64-bit one (REG_EFL in both). */
#ifdef __x86_64__
#define HOST_REG(name) REG_R##name
#else
#define HOST_REG(name) REG_E##name
#endif
static uint32_t host_rand_state = 0x12345678u;

void rt_putc(char c) { putchar(c); }
void rt_puts(const char *s) { fputs(s, stdout); }
void rt_vprintf(const char *fmt, va_list ap) { vprintf(fmt, ap); }

void rt_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

void rt_print_flags(uint32_t fl, uint32_t mask)
{
    static const char names[] = "CPAZSO";
    static const uint32_t bits[] = {FL_CF, FL_PF, FL_AF, FL_ZF, FL_SF, FL_OF};
    for (int i = 0; i < 6; i++)
        putchar(!(mask & bits[i]) ? '.' : (fl & bits[i]) ? names[i] : '-');
}

_Noreturn void rt_exit(int code)
{
    fflush(stdout);
    exit(code);
}

void rt_srand(uint32_t seed)
{
    host_rand_state = seed;
}

static uint32_t host_pit_hz = 18;

void rt_pit_set_hz(uint32_t hz)
{
    host_pit_hz = hz;
}

static void host_timer(int on)
{
    uint32_t us = 1000000u / host_pit_hz;
    struct itimerval it = {{0, 0}, {0, 0}};
    if (on) {
        it.it_interval.tv_usec = us < 100 ? 100 : us;
        it.it_value = it.it_interval;
    }
    setitimer(ITIMER_REAL, &it, NULL);
}

void rt_pic_unmask(int irq)
{
    if (irq == 0)
        host_timer(1);
}

void rt_pic_mask(int irq)
{
    if (irq == 0)
        host_timer(0);
}

void rt_pic_eoi(int irq)
{
    (void)irq;
}

uint32_t rt_rand(void)
{
    uint32_t x = host_rand_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    host_rand_state = x;
    return x;
}

static struct rt_frame host_frame(const greg_t *g, uint32_t vec)
{
    return (struct rt_frame){
        .edi = (uint32_t)g[HOST_REG(DI)], .esi = (uint32_t)g[HOST_REG(SI)], .ebp = (uint32_t)g[HOST_REG(BP)],
        .ebx = (uint32_t)g[HOST_REG(BX)], .edx = (uint32_t)g[HOST_REG(DX)], .ecx = (uint32_t)g[HOST_REG(CX)],
        .eax = (uint32_t)g[HOST_REG(AX)], .vec = vec, .eip = (uint32_t)g[HOST_REG(IP)],
        .eflags = (uint32_t)g[REG_EFL],
    };
}

static void host_sigfpe(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    greg_t *g = ((ucontext_t *)ctx)->uc_mcontext.gregs;
    struct rt_frame f = host_frame(g, 0);
    if (!host_handlers[0]) {
        printf("unexpected vector 0 eip=%x\n", f.eip);
        rt_exit(3);
    }
    host_handlers[0](&f);
    /* the handler moves EIP by a few bytes or to a label of the program,
     * all below 4 GiB */
    g[HOST_REG(IP)] = (greg_t)f.eip;
    g[HOST_REG(AX)] = (greg_t)f.eax;
    g[HOST_REG(DX)] = (greg_t)f.edx;
}

static void host_sigalrm(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    struct rt_frame f = host_frame(((ucontext_t *)ctx)->uc_mcontext.gregs, 0x20);
    if (host_handlers[0x20])
        host_handlers[0x20](&f);
}

void rt_set_handler(int vec, rt_handler h)
{
    host_handlers[vec & 0xff] = h;
    if (vec == 0x20) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = host_sigalrm;
        sa.sa_flags = SA_SIGINFO | SA_RESTART;
        sigaction(SIGALRM, &sa, NULL);
    }
    if (vec == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = host_sigfpe;
        sa.sa_flags = SA_SIGINFO | SA_NODEFER;
        sigaction(SIGFPE, &sa, NULL);
    }
}

int guest_main(void);

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    /* the free RAM the programs use at fixed addresses (3 MiB to 128 MiB,
     * below where the Linux executable is loaded) */
    if (mmap((void *)0x300000, 0x8000000 - 0x300000, PROT_READ | PROT_WRITE | PROT_EXEC,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED) {
        perror("mmap 0x300000");
        return 2;
    }
    return guest_main();
}
