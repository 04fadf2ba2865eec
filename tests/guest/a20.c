/* a20: the fast A20 gate of port 0x92 (bit 1). With the gate off,
 * physical address bit 20 is forced to 0, so 0x170000 reaches the memory
 * at 0x070000, for data and for code; with it on again, each address is
 * its own. The program lives at 1 MiB, which the gate would move, so the
 * part that runs with the gate off is copied below 1 MiB (0x8000) and
 * uses no stack. Code at 0x170100 is run with the gate on first, so a
 * translation of it exists (and is chained to) when the gate is turned
 * off: the code that runs must be the one at 0x070100; the same through
 * a direct jump at 0x8100 that ran with the gate on, so that a block
 * chained under the old gate would go wrong. The keyboard controller's
 * output port (bit 1) is the gate's second source. Port 0x80, the
 * POST port, takes writes of every width. */
#include "rt/rt.h"

#define LOW_STUB 0x8000u
#define LOW_MEM 0x070000u
#define HIGH_MEM 0x170000u

/* ecx: address; edx: value to store there; returns (eax) what was read
 * there first; all with the gate off, which it turns on again. */
static const uint8_t data_stub[] = {
    0xe4, 0x92,             /* in al, 0x92 */
    0x24, 0xfd,             /* and al, ~2 */
    0xe6, 0x92,             /* out 0x92, al */
    0x8b, 0x19,             /* mov ebx, [ecx] */
    0x89, 0x11,             /* mov [ecx], edx */
    0xe4, 0x92,             /* in al, 0x92 */
    0x88, 0xc6,             /* mov dh, al (port 0x92 with the gate off) */
    0x0c, 0x02,             /* or al, 2 */
    0xe6, 0x92,             /* out 0x92, al */
    0x89, 0xd8,             /* mov eax, ebx */
    0xc3,                   /* ret */
};

/* ecx: code to jump to (it comes back with jmp ebx, eax its answer);
 * with the gate off. */
static const uint8_t code_stub[] = {
    0xe4, 0x92, 0x24, 0xfd, 0xe6, 0x92, /* gate off */
    0xbb, 0, 0, 0, 0,                   /* mov ebx, back (patched) */
    0xff, 0xe1,                         /* jmp ecx */
    /* back: */
    0x89, 0xc2,                         /* mov edx, eax */
    0xe4, 0x92, 0x0c, 0x02, 0xe6, 0x92, /* gate on */
    0x89, 0xd0,                         /* mov eax, edx */
    0xc3,                               /* ret */
};
#define CODE_STUB_BACK 13

/* ecx: address. The gate off through port 0x92 and the keyboard
 * controller's output port (command D1h, data 01h: reset line high, A20
 * low), a read (eax), the gate on through the keyboard controller alone
 * (data 03h), a read (esi), port 0x92 on again. Both sources are off
 * for the first read and the controller's is on for the second, so a
 * gate that ORs them and one where the last write decides agree. */
static const uint8_t kbc_stub[] = {
    0xe4, 0x92, 0x24, 0xfd, 0xe6, 0x92,       /* port 0x92: gate off */
    0xb0, 0xd1, 0xe6, 0x64, 0xb0, 0x01, 0xe6, 0x60, /* 8042: gate off */
    0x8b, 0x19,                               /* mov ebx, [ecx] */
    0xb0, 0xd1, 0xe6, 0x64, 0xb0, 0x03, 0xe6, 0x60, /* 8042: gate on */
    0x8b, 0x31,                               /* mov esi, [ecx] */
    0xe4, 0x92, 0x0c, 0x02, 0xe6, 0x92,       /* port 0x92: gate on */
    0x89, 0xd8,                               /* mov eax, ebx */
    0xc3,                                     /* ret */
};

/* mov eax, n; jmp ebx */
static void put_answer(uint32_t at, uint8_t n)
{
    uint8_t *p = (uint8_t *)at;
    const uint8_t code[] = { 0xb8, n, 0, 0, 0, 0xff, 0xe3 };
    memcpy(p, code, sizeof(code));
}

static uint32_t run_answer(uint32_t at)
{
    uint32_t r;
    __asm__ volatile("movl $1f, %%ebx\n\tjmp *%1\n1:"
                     : "=a"(r)
                     : "c"(at)
                     : "ebx", "memory");
    return r;
}

int main(void)
{
    volatile uint32_t *low = (uint32_t *)LOW_MEM, *high = (uint32_t *)HIGH_MEM;
    rt_printf("port 0x92 at start: A20 bit %u\n", (inb(0x92) >> 1) & 1);

    outb(0x80, 0x12);
    outw(0x80, 0x3456);
    outl(0x80, 0x789abcde);
    rt_puts("port 0x80 takes writes\n");

    *low = 0xaaaa5555u;
    *high = 0x12345678u;
    rt_printf("gate on: %08x at 0x070000, %08x at 0x170000\n", *low, *high);

    memcpy((void *)LOW_STUB, data_stub, sizeof(data_stub));
    uint32_t got, port;
    __asm__ volatile("call *%2"
                     : "=a"(got), "=d"(port)
                     : "r"(LOW_STUB), "c"(HIGH_MEM), "d"(0xcafef00du)
                     : "ebx", "memory");
    rt_printf("gate off: 0x170000 read %08x, port 0x92 A20 bit %u\n", got,
              (port >> 9) & 1);
    rt_printf("after the store through 0x170000: %08x at 0x070000, %08x at "
              "0x170000\n",
              *low, *high);

    put_answer(LOW_MEM + 0x100, 1);
    put_answer(HIGH_MEM + 0x100, 2);
    rt_printf("gate on: code at 0x170100 answers %u\n",
              run_answer(HIGH_MEM + 0x100));
    memcpy((void *)LOW_STUB, code_stub, sizeof(code_stub));
    uint32_t back = LOW_STUB + CODE_STUB_BACK;
    memcpy((void *)(LOW_STUB + 7), &back, 4);
    uint32_t ans;
    __asm__ volatile("call *%1"
                     : "=a"(ans)
                     : "r"(LOW_STUB), "c"(HIGH_MEM + 0x100)
                     : "ebx", "edx", "memory");
    rt_printf("gate off: code at 0x170100 answers %u\n", ans);
    rt_printf("gate on again: code at 0x170100 answers %u\n",
              run_answer(HIGH_MEM + 0x100));

    /* A direct jump below 1 MiB to 0x170100, run (and chained) with the
     * gate on, then reached with the gate off. */
    uint8_t *jmp = (uint8_t *)(LOW_STUB + 0x100);
    int32_t rel = (int32_t)(HIGH_MEM + 0x100 - (LOW_STUB + 0x100 + 5));
    jmp[0] = 0xe9;
    memcpy(jmp + 1, &rel, 4);
    run_answer(LOW_STUB + 0x100);
    rt_printf("gate on: a direct jump to 0x170100 reaches the code that "
              "answers %u\n",
              run_answer(LOW_STUB + 0x100));
    __asm__ volatile("call *%1"
                     : "=a"(ans)
                     : "r"(LOW_STUB), "c"(LOW_STUB + 0x100)
                     : "ebx", "edx", "memory");
    rt_printf("gate off: the same jump reaches the code that answers %u\n",
              ans);

    /* The keyboard controller's output port drives the gate too. */
    uint32_t own;
    memcpy((void *)LOW_STUB, kbc_stub, sizeof(kbc_stub));
    __asm__ volatile("call *%2"
                     : "=a"(got), "=S"(own)
                     : "r"(LOW_STUB), "c"(HIGH_MEM)
                     : "ebx", "memory");
    rt_printf("8042 gate off: 0x170000 read %08x; on: %08x\n", got, own);
    outb(0x64, 0xd0);
    while (!(inb(0x64) & 1))
        ;
    rt_printf("8042 output port A20 bit %u\n", (inb(0x60) >> 1) & 1);
    rt_printf("port 0x92 at the end: A20 bit %u\n", (inb(0x92) >> 1) & 1);
    rt_puts("a20 done\n");
    return 0;
}
