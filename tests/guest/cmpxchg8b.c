/* cmpxchg8b: CMPXCHG8B m64 (SDM 2, CMPXCHG8B/CMPXCHG16B): EDX:EAX equal to
 * the memory operand stores ECX:EBX there and sets ZF; unequal loads the
 * operand into EDX:EAX, clears ZF and leaves memory as it was; CF, PF, AF,
 * SF and OF are unaffected either way (run with all of them set and all
 * clear).  With LOCK, and with a base + index address; a register operand
 * (ModRM mod 3) is #UD. */
#include "rt/rt.h"

static volatile uint32_t ud_seen, ud_eip;

static void on_ud(struct rt_frame *f)
{
    ud_seen++;
    ud_eip = f->eip;
    f->eip += 3; /* 0F C7 C8 */
}

static uint64_t mem[4] __attribute__((aligned(8)));

struct r {
    uint32_t eax, edx, fl;
};

static struct r cx8(uint64_t *m, uint32_t eax, uint32_t edx, uint32_t ebx, uint32_t ecx, uint32_t fi)
{
    struct r r;
    __asm__ volatile("pushl %[fi]\n\tpopfl\n\tcmpxchg8b %[m]\n\tpushfl\n\tpopl %[f]"
                     : "+a"(eax), "+d"(edx), [m] "+m"(*m), [f] "=&r"(r.fl)
                     : "b"(ebx), "c"(ecx), [fi] "r"(fi)
                     : "cc", "memory");
    r.eax = eax;
    r.edx = edx;
    return r;
}

static void show(const char *what, struct r r, const uint64_t *m)
{
    rt_printf("%s: edx:eax %08x:%08x mem %08x:%08x ", what, r.edx, r.eax, (uint32_t)(*m >> 32),
              (uint32_t)*m);
    rt_print_flags(r.fl, FL_ARITH);
    rt_putc('\n');
}

int main(void)
{
    rt_set_handler(6, on_ud);
    static const uint32_t fin[2] = {0x2, 0x2 | FL_ARITH};
    for (int k = 0; k < 2; k++) {
        rt_printf("flags in: ");
        rt_print_flags(fin[k], FL_ARITH);
        rt_putc('\n');
        mem[0] = 0x1122334455667788ull;
        show("equal", cx8(&mem[0], 0x55667788, 0x11223344, 0xdeadbeef, 0xcafef00d, fin[k]), &mem[0]);
        show("unequal low", cx8(&mem[0], 0xdeadbeee, 0xcafef00d, 1, 2, fin[k]), &mem[0]);
        show("unequal high", cx8(&mem[0], 0xdeadbeef, 0xcafef00c, 1, 2, fin[k]), &mem[0]);
        mem[1] = 0;
        show("zero, equal", cx8(&mem[1], 0, 0, 0, 0, fin[k]), &mem[1]);
    }

    /* LOCK and a base + index operand */
    mem[2] = 0x0123456789abcdefull;
    uint32_t eax = 0x89abcdef, edx = 0x01234567, fl, idx = 2;
    __asm__ volatile("lock cmpxchg8b (%[base],%[idx],8)\n\tpushfl\n\tpopl %[f]"
                     : "+a"(eax), "+d"(edx), [f] "=m"(fl)
                     : [base] "S"(mem), [idx] "D"(idx), "b"(0x33333333), "c"(0x44444444)
                     : "cc", "memory");
    rt_printf("lock, [base+idx*8]: zf %u mem %08x:%08x\n", (fl >> 6) & 1, (uint32_t)(mem[2] >> 32),
              (uint32_t)mem[2]);

    /* a register operand: 0F C7 /1 with mod 3 is not CMPXCHG8B */
    __asm__ volatile(".byte 0x0f, 0xc7, 0xc8\n\tl_cx8_reg:" ::: "memory");
    extern char l_cx8_reg[];
    rt_printf("register operand: #UD %u, at the instruction: %s\n", ud_seen,
              ud_eip == (uint32_t)l_cx8_reg - 3 ? "yes" : "no");
    rt_puts("cmpxchg8b done\n");
    return 0;
}
