/* memaccess: guest memory accesses at every alignment around a page
 * boundary, where a soft TLB must split or take its slow path: 16- and
 * 32-bit loads and stores, read-modify-write instructions (ADD, XCHG,
 * XADD, CMPXCHG, INC, NOT, SHL, BTS), CMPXCHG8B, MOVS/STOS/LODS/CMPS
 * across the boundary in both directions, PUSH/POP with a stack that
 * straddles it, and a byte-granular fill checked against a reference.
 * The buffer is free RAM at a fixed address (0x900000). */
#include "rt/rt.h"

#define BUF 0x900000u
#define PAGE 0x1000u
#define EDGE (BUF + 2 * PAGE) /* a page boundary with pages on both sides */

static uint8_t *const mem = (uint8_t *)BUF;

static void fill(void)
{
    for (uint32_t i = 0; i < 4 * PAGE; i++)
        mem[i] = (uint8_t)(i * 13 + 7);
}

static uint32_t hash_mem(void)
{
    uint32_t h = RT_HASH_INIT;
    for (uint32_t i = 0; i < 4 * PAGE; i += 4)
        h = rt_hash(h, mem[i] | mem[i + 1] << 8 | mem[i + 2] << 16 | (uint32_t)mem[i + 3] << 24);
    return h;
}

int main(void)
{
    uint32_t h, f;

    /* loads at EDGE-7 .. EDGE+3 */
    fill();
    h = RT_HASH_INIT;
    for (uint32_t a = EDGE - 7; a <= EDGE + 3; a++) {
        uint32_t v32, v16, s16;
        __asm__ volatile("movl (%1), %0" : "=r"(v32) : "r"(a) : "memory");
        __asm__ volatile("movzwl (%1), %0" : "=r"(v16) : "r"(a) : "memory");
        __asm__ volatile("movswl (%1), %0" : "=r"(s16) : "r"(a) : "memory");
        h = rt_hash(rt_hash(rt_hash(h, v32), v16), s16);
        if (a >= EDGE - 3 && a <= EDGE)
            rt_printf("load at edge%d: %08x %04x\n", (int)(a - EDGE), v32, v16);
    }
    rt_printf("loads hash=%08x\n", h);

    /* stores at every alignment */
    fill();
    for (uint32_t a = EDGE - 7; a <= EDGE + 3; a++) {
        __asm__ volatile("movl %1, (%0)" : : "r"(a), "r"(0x11223344u * (a & 15)) : "memory");
        __asm__ volatile("movw %w1, 8(%0)" : : "r"(a), "r"(0xa5a5u ^ a) : "memory");
    }
    rt_printf("stores hash=%08x\n", hash_mem());

    /* read-modify-write across the boundary */
    fill();
    for (uint32_t a = EDGE - 3; a <= EDGE - 1; a++) {
        uint32_t x = 0x01020304u, y = 0xdeadbeefu, acc;
        __asm__ volatile("addl %2, (%1)\n\tpushfl\n\tpopl %0" : "=r"(f) : "r"(a), "r"(x) : "memory", "cc");
        rt_printf("add [edge%d] ", (int)(a - EDGE));
        rt_print_flags(f, FL_ARITH);
        __asm__ volatile("xchgl %0, (%1)" : "+r"(y) : "r"(a) : "memory");
        rt_printf(" xchg old %08x", y);
        x = 5;
        __asm__ volatile("lock xaddl %0, (%1)" : "+r"(x) : "r"(a) : "memory", "cc");
        rt_printf(" xadd old %08x", x);
        acc = x + 5;
        __asm__ volatile("lock cmpxchgl %3, (%2)\n\tpushfl\n\tpopl %0"
                         : "=r"(f), "+a"(acc)
                         : "r"(a), "r"(0x77777777u)
                         : "memory", "cc");
        rt_printf(" cmpxchg zf=%u", (f >> 6) & 1);
        __asm__ volatile("incw (%0)\n\tnotl 4(%0)\n\tshll $3, -4(%0)\n\tbtsl $9, (%0)" : : "r"(a) : "memory", "cc");
        rt_printf(" now %08x\n", *(volatile uint32_t *)a);
    }
    for (uint32_t a = EDGE - 7; a <= EDGE - 1; a += 3) {
        uint32_t lo = *(volatile uint32_t *)a, hi = *(volatile uint32_t *)(a + 4);
        __asm__ volatile("lock cmpxchg8b (%4)\n\tpushfl\n\tpopl %0"
                         : "=r"(f), "+a"(lo), "+d"(hi)
                         : "b"(0x55555555u + a), "r"(a), "c"(0xaaaaaaaau)
                         : "memory", "cc");
        rt_printf("cmpxchg8b [edge%d] zf=%u\n", (int)(a - EDGE), (f >> 6) & 1);
    }
    rt_printf("rmw hash=%08x\n", hash_mem());

    /* string instructions across the boundary, both directions */
    fill();
    {
        uint32_t si = EDGE - 37, di = EDGE + PAGE - 21, cx = 50;
        __asm__ volatile("cld\n\trep movsb" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
        si = EDGE + 30;
        di = EDGE - PAGE + 11;
        cx = 17;
        __asm__ volatile("std\n\trep movsl\n\tcld" : "+S"(si), "+D"(di), "+c"(cx) : : "memory");
        di = EDGE - 5;
        cx = 5;
        __asm__ volatile("cld\n\trep stosw" : "+D"(di), "+c"(cx) : "a"(0xbeef) : "memory");
        si = EDGE - 2;
        uint32_t v;
        __asm__ volatile("cld\n\tlodsl" : "=a"(v), "+S"(si) : : "memory");
        rt_printf("lodsd at edge-2: %08x\n", v);
        memcpy((void *)(EDGE + PAGE - 40), (void *)(EDGE - 40), 80);
        si = EDGE - 40;
        di = EDGE + PAGE - 40;
        cx = 80;
        __asm__ volatile("cld\n\trepe cmpsb\n\tpushfl\n\tpopl %3" : "+S"(si), "+D"(di), "+c"(cx), "=r"(f) : : "memory", "cc");
        rt_printf("repe cmpsb over 80 equal bytes: ecx=%u zf=%u\n", cx, (f >> 6) & 1);
    }
    rt_printf("strings hash=%08x\n", hash_mem());

    /* a stack straddling the boundary: ESP = EDGE + 2, then pushes (32-bit
     * pushes: not in hostcheck.sh's 64-bit build) */
#ifndef __x86_64__
    fill();
    {
        uint32_t out[4];
        __asm__ volatile("movl %%esp, %%ebx\n\t"
                         "movl %1, %%esp\n\t"
                         "pushl $0x12345678\n\t"  /* writes EDGE-2 .. EDGE+1 */
                         "pushw $0x2222\n\t"
                         "pushl $0x87654321\n\t"
                         "popl %%eax\n\tmovl %%eax, 0(%0)\n\t"
                         "popw %%ax\n\tmovzwl %%ax, %%eax\n\tmovl %%eax, 4(%0)\n\t"
                         "popl %%eax\n\tmovl %%eax, 8(%0)\n\t"
                         "movl %%esp, %%eax\n\tmovl %%eax, 12(%0)\n\t"
                         "movl %%ebx, %%esp"
                         :
                         : "r"(out), "i"(EDGE + 2)
                         : "eax", "ebx", "memory");
        rt_printf("stack across the edge: %08x %04x %08x esp-edge=%d\n", out[0], out[1], out[2],
                  (int)(out[3] - EDGE));
    }
    rt_printf("stack hash=%08x\n", hash_mem());
#endif

    /* byte-granular fill by random-width stores, against a C reference */
    static uint8_t ref[4 * PAGE];
    fill();
    memcpy(ref, mem, sizeof ref);
    for (int i = 0; i < 5000; i++) {
        uint32_t off = 2 * PAGE - 64 + (rt_rand() % 128), v = rt_rand();
        switch (rt_rand() % 3) {
        case 0:
            __asm__ volatile("movb %b1, (%0)" : : "r"(BUF + off), "q"(v) : "memory");
            ref[off] = (uint8_t)v;
            break;
        case 1:
            __asm__ volatile("movw %w1, (%0)" : : "r"(BUF + off), "r"(v) : "memory");
            ref[off] = (uint8_t)v;
            ref[off + 1] = (uint8_t)(v >> 8);
            break;
        default:
            __asm__ volatile("movl %1, (%0)" : : "r"(BUF + off), "r"(v) : "memory");
            for (int k = 0; k < 4; k++)
                ref[off + k] = (uint8_t)(v >> (8 * k));
            break;
        }
    }
    rt_printf("random stores match the reference: %s\n", memcmp(ref, mem, sizeof ref) ? "no" : "yes");
    rt_puts("memaccess done\n");
    return 0;
}
