/* control: CALL (rel32, register, memory), RET and RET imm16, JMP through
 * a register and through memory (a jump table), all 16 Jcc conditions with
 * short and near encodings, SETcc and CMOVcc for every condition over a set
 * of flag patterns, LOOP LOOPE LOOPNE and JECXZ. */
#include "rt/rt.h"

/* The 16 conditions evaluated by Jcc (short), Jcc (near), SETcc and CMOVcc
 * for one EFLAGS value; returns a 16-bit mask per form. */
#define COND(cc, bit)                                                                          \
    __asm__ volatile("pushl %[f]\n\tpopfl\n\tj" #cc " 1f\n\tjmp 2f\n1:\torl $(1<<" #bit "), %[m1]\n2:" \
                     : [m1] "+r"(m1) : [f] "r"(fl) : "cc");                                    \
    __asm__ volatile("pushl %[f]\n\tpopfl\n\t.byte 0x0f, 0x80+" #bit "\n\t.long 3f-1f\n1:\tjmp 4f\n\t.fill 130, 1, 0x90\n3:\torl $(1<<" #bit "), %[m2]\n4:" \
                     : [m2] "+r"(m2) : [f] "r"(fl) : "cc");                                    \
    __asm__ volatile("pushl %[f]\n\tpopfl\n\tset" #cc " %b[t]\n\tmovzbl %b[t], %[t]\n\tshll $" #bit ", %[t]\n\torl %[t], %[m3]" \
                     : [m3] "+r"(m3), [t] "=&q"(t) : [f] "r"(fl) : "cc");                      \
    __asm__ volatile("pushl %[f]\n\tpopfl\n\tmovl $0, %[t]\n\tcmov" #cc "l %[one], %[t]\n\tshll $" #bit ", %[t]\n\torl %[t], %[m4]" \
                     : [m4] "+r"(m4), [t] "=&r"(t) : [f] "r"(fl), [one] "r"(1u) : "cc");

static void conds(uint32_t fl)
{
    uint32_t m1 = 0, m2 = 0, m3 = 0, m4 = 0, t;
    COND(o, 0) COND(no, 1) COND(b, 2) COND(ae, 3) COND(e, 4) COND(ne, 5) COND(be, 6) COND(a, 7)
    COND(s, 8) COND(ns, 9) COND(p, 10) COND(np, 11) COND(l, 12) COND(ge, 13) COND(le, 14) COND(g, 15)
    rt_printf("flags ");
    rt_print_flags(fl, FL_ARITH);
    rt_printf(": jcc8 %04x jcc32 %04x setcc %04x cmovcc %04x\n", m1, m2, m3, m4);
}

static int __attribute__((noinline)) add3(int a, int b, int c)
{
    return a + b * 2 + c * 3;
}

static uint32_t targets_hit;
int (*gfp)(int, int, int);
/* jump targets are pointer-sized, for hostcheck.sh's 64-bit build */
extern char jt0[], jt1[], jt2[], jr0[], jr1[];
uintptr_t jtab[3] = {(uintptr_t)jt0, (uintptr_t)jt1, (uintptr_t)jt2};
static uintptr_t jrtab[2] = {(uintptr_t)jr0, (uintptr_t)jr1};

/* callee-pops function: RET 8 removes two stacked arguments (32-bit calling
 * convention: not in hostcheck.sh's 64-bit build) */
#ifndef __x86_64__
extern int __attribute__((stdcall)) ret_imm(int a, int b);
__asm__(".pushsection .text\nret_imm:\n\tmovl 4(%esp), %eax\n\tsubl 8(%esp), %eax\n\tret $8\n.popsection\n");
#endif

int main(void)
{
    /* each flag alone, none, and the patterns that split signed conditions */
    static const uint32_t pats[] = {0x2, 0x2 | FL_CF, 0x2 | FL_PF, 0x2 | FL_ZF, 0x2 | FL_SF, 0x2 | FL_OF,
                                    0x2 | FL_SF | FL_OF, 0x2 | FL_ZF | FL_SF, 0x2 | FL_CF | FL_ZF, 0x2 | FL_ARITH};
    for (unsigned i = 0; i < sizeof pats / sizeof pats[0]; i++)
        conds(pats[i]);

    /* CALL through a register and through memory, arguments on the stack */
#ifndef __x86_64__
    int (*volatile fp)(int, int, int) = add3;
    int r1 = fp(1, 2, 3);
    int r2;
    gfp = fp;
    __asm__ volatile("pushl $3\n\tpushl $2\n\tpushl $1\n\tcall *gfp\n\taddl $12, %%esp"
                     : "=a"(r2) : : "ecx", "edx", "memory");
    rt_printf("call reg %d, call [mem] %d\n", r1, r2);
    int r3 = ret_imm(10, 3);
    uint32_t esp_diff;
    __asm__ volatile("movl %%esp, %%ebx\n\tpushl $5\n\tpushl $9\n\tcall ret_imm\n\tsubl %%esp, %%ebx"
                     : "=b"(esp_diff) : : "eax", "ecx", "edx", "memory");
    rt_printf("ret imm16: %d, esp restored: %s\n", r3, esp_diff == 0 ? "yes" : "no");
#endif

    /* JMP through a table in memory and through a register */
    for (uint32_t i = 0; i < 3; i++) {
        __asm__ volatile("jmp *jtab(,%1,%c2)\n"
                         "jt0:\taddl $1, %0\n\tjmp jt_end\n"
                         "jt1:\taddl $10, %0\n\tjmp jt_end\n"
                         "jt2:\taddl $100, %0\n"
                         "jt_end:"
                         : "+r"(targets_hit) : "r"((uintptr_t)i), "i"(sizeof jtab[0]) : "memory");
        uintptr_t tgt = jrtab[i & 1];
        __asm__ volatile("jmp *%1\n"
                         "jr0:\taddl $1000, %0\n\tjmp jr_end\n"
                         "jr1:\taddl $2000, %0\n"
                         "jr_end:"
                         : "+r"(targets_hit) : "r"(tgt) : "memory");
    }
    rt_printf("jump table sum %u\n", targets_hit);

    /* LOOP family */
    uint32_t cnt = 5, n = 0;
    __asm__ volatile("1:\tincl %1\n\tloop 1b" : "+c"(cnt), "+r"(n));
    rt_printf("loop: n=%u ecx=%u\n", n, cnt);
    cnt = 10;
    n = 0;
    __asm__ volatile("1:\tincl %1\n\tcmpl $3, %1\n\tloopne 1b" : "+c"(cnt), "+r"(n) : : "cc");
    rt_printf("loopne until n==3: n=%u ecx=%u\n", n, cnt);
    cnt = 10;
    n = 0;
    __asm__ volatile("1:\tincl %1\n\tcmpl $1, %1\n\tloope 1b" : "+c"(cnt), "+r"(n) : : "cc");
    rt_printf("loope while n==1: n=%u ecx=%u\n", n, cnt);
    cnt = 0;
    n = 0;
    __asm__ volatile("jecxz 1f\n\tmovl $1, %1\n1:" : "+c"(cnt), "+r"(n));
    rt_printf("jecxz ecx=0 taken: %s\n", n == 0 ? "yes" : "no");
    cnt = 0x10000;
    __asm__ volatile("jecxz 1f\n\tmovl $1, %1\n1:" : "+c"(cnt), "+r"(n));
    rt_printf("jecxz ecx=10000 taken: %s\n", n == 0 ? "yes" : "no");
    cnt = 0;
    n = 0;
    __asm__ volatile("1:\tincl %1\n\tcmpl $70000, %1\n\tje 2f\n\tloop 1b\n2:" : "+c"(cnt), "+r"(n) : : "cc");
    rt_printf("loop from ecx=0 wraps: n=%u ecx=%x\n", n, cnt);

    /* recursion through CALL/RET */
    uint32_t depth = 0;
    int (*volatile f3)(int, int, int) = add3;
    for (int i = 0; i < 1000; i++)
        depth += (uint32_t)f3(i, 1, 1);
    rt_printf("1000 indirect calls: %u\n", depth);
    rt_puts("control done\n");
    return 0;
}
