/* movs: data movement — MOV (register, memory, immediate, moffs A0-A3),
 * MOVZX/MOVSX (8->16, 8->32, 16->32), LEA with every addressing form,
 * XCHG (register, memory, 90+r), XADD (flags as ADD), CMPXCHG at 8/16/32
 * (equal and not equal; flags as CMP), CMPXCHG8B and BSWAP.  All flags
 * printed are defined by SDM 2A/2B for these instructions. */
#include "rt/rt.h"

static uint32_t m32 = 0x11223344u;
static uint16_t m16 = 0x8899;
static uint8_t m8 = 0x80;
static uint32_t arr[8] = {0, 10, 20, 30, 40, 50, 60, 70};
static uint64_t m64 = 0x0123456789abcdefull;

static void pf(const char *s, uint32_t v, uint32_t f)
{
    rt_printf("%s -> %x ", s, v);
    rt_print_flags(f, FL_ARITH);
    rt_putc('\n');
}

int main(void)
{
    uint32_t a, b, c, f;

    /* MOV forms; in 64-bit mode A0-A3 take an 8-byte offset, so the moffs
     * forms are not in hostcheck.sh's 64-bit build */
#ifndef __x86_64__
    __asm__ volatile(".byte 0xa1\n\t.long m32" : "=a"(a));
    rt_printf("mov eax,moffs32 -> %x\n", a);
    a = 0x5566;
    __asm__ volatile(".byte 0x66, 0xa3\n\t.long m16" : : "a"(a) : "memory");
    rt_printf("mov moffs16,ax -> %x\n", m16);
    a = 0xffffffffu;
    __asm__ volatile(".byte 0xa0\n\t.long m8" : "+a"(a));
    rt_printf("mov al,moffs8 -> %x\n", a);
    a = 0x7f;
    __asm__ volatile(".byte 0xa2\n\t.long m8" : : "a"(a) : "memory");
    rt_printf("mov moffs8,al -> %x\n", m8);
#endif
    a = 0x12345678u;
    __asm__ volatile("movb %%ah, %%al" : "+a"(a));
    rt_printf("mov al,ah -> %x\n", a);
    b = 0xaabbccddu;
    __asm__ volatile("movw %%bx, %%ax" : "+a"(a) : "b"(b));
    rt_printf("mov ax,bx -> %x\n", a);
    __asm__ volatile("movl $0xdeadbeef, %[m]" : [m] "=m"(m32));
    rt_printf("mov m32,imm32 -> %x\n", m32);
    __asm__ volatile("movw $0x1234, %[m]" : [m] "=m"(m16));
    rt_printf("mov m16,imm16 -> %x\n", m16);
    __asm__ volatile("movb $0x56, %[m]" : [m] "=m"(m8));
    rt_printf("mov m8,imm8 -> %x\n", m8);
    c = 0x11111111u;
    __asm__ volatile("movb $0xab, %%ch" : "+c"(c));
    rt_printf("mov ch,imm8 -> %x\n", c);

    /* MOVZX / MOVSX */
    b = 0x000080f0u;
    __asm__("movzbl %%bl, %0" : "=r"(a) : "b"(b));
    rt_printf("movzx r32,r8 -> %x\n", a);
    __asm__("movsbl %%bl, %0" : "=r"(a) : "b"(b));
    rt_printf("movsx r32,r8 -> %x\n", a);
    __asm__("movzbl %%bh, %0" : "=r"(a) : "b"(b));
    rt_printf("movzx r32,bh -> %x\n", a);
    __asm__("movswl %%bx, %0" : "=r"(a) : "b"(b));
    rt_printf("movsx r32,r16 -> %x\n", a);
    __asm__("movzwl %%bx, %0" : "=r"(a) : "b"(0xffff8000u));
    rt_printf("movzx r32,r16 -> %x\n", a);
    a = 0xaaaaaaaau;
    __asm__("movsbw %%bl, %%ax" : "+a"(a) : "b"(b));
    rt_printf("movsx r16,r8 -> %x\n", a);
    a = 0xaaaaaaaau;
    __asm__("movzbw %%bl, %%ax" : "+a"(a) : "b"(b));
    rt_printf("movzx r16,r8 -> %x\n", a);
    __asm__("movsbl %[m], %0" : "=r"(a) : [m] "m"(m8));
    rt_printf("movsx r32,m8 -> %x\n", a);
    __asm__("movswl %[m], %0" : "=r"(a) : [m] "m"(m16));
    rt_printf("movsx r32,m16 -> %x\n", a);

    /* LEA: base, index*scale, displacement 8/32, no base, 16-bit dest */
    b = 0x1000;
    c = 0x20;
    __asm__("leal 8(%1,%2,4), %0" : "=r"(a) : "r"(b), "r"(c));
    rt_printf("lea [b+c*4+8] -> %x\n", a);
    __asm__("leal -0x100(%1,%2,8), %0" : "=r"(a) : "r"(b), "r"(c));
    rt_printf("lea [b+c*8-100] -> %x\n", a);
    __asm__("leal 0x12345678(,%1,2), %0" : "=r"(a) : "r"(c));
    rt_printf("lea [c*2+disp32] -> %x\n", a);
    __asm__("leal (%1,%1), %0" : "=r"(a) : "r"(c));
    rt_printf("lea [c+c] -> %x\n", a);
    __asm__("leal 0x7fffffff(%1), %0" : "=r"(a) : "r"(b));
    rt_printf("lea [b+7fffffff] wraps -> %x\n", a);
    __asm__("leal 0xfffff000(%1), %0" : "=r"(a) : "r"(b));
    rt_printf("lea [b-1000] -> %x\n", a);
    a = 0xffffffffu;
    __asm__("leaw 0x10(%1,%2,2), %%ax" : "+a"(a) : "r"(0x1fff0u), "r"(c));
    rt_printf("lea ax,[b+c*2+10] -> %x\n", a);
    uint32_t e;
    __asm__("movl %%esp, %%eax\n\tleal 4(%%esp), %0\n\tsubl %%eax, %0" : "=r"(e) : : "eax");
    rt_printf("lea [esp+4]-esp -> %x\n", e);
    __asm__("leal 8(%%ebp), %0\n\tsubl %%ebp, %0" : "=r"(e));
    rt_printf("lea [ebp+8]-ebp -> %x\n", e);

    /* array access through SIB (the index pointer-sized, as the base) */
    c = 5;
    __asm__("movl (%1,%2,4), %0" : "=r"(a) : "r"(arr), "r"((uintptr_t)c));
    rt_printf("mov r32,[arr+5*4] -> %u\n", a);
    __asm__ volatile("movl %1, -8(%2,%3,4)" : "=m"(arr) : "r"(99u), "r"(arr), "r"((uintptr_t)c) : "memory");
    rt_printf("mov [arr+5*4-8],99 -> arr[3]=%u\n", arr[3]);

    /* XCHG */
    a = 1;
    b = 2;
    __asm__("xchgl %0, %1" : "+r"(a), "+r"(b));
    rt_printf("xchg r32,r32 -> %x %x\n", a, b);
    a = 0xaaaa5555u;
    b = 0x12345678u;
    __asm__(".byte 0x93" : "+a"(a), "+b"(b)); /* xchg eax, ebx (90+r) */
    rt_printf("xchg eax,ebx(93) -> %x %x\n", a, b);
    __asm__(".byte 0x66, 0x93" : "+a"(a), "+b"(b));
    rt_printf("xchg ax,bx(66 93) -> %x %x\n", a, b);
    m32 = 0xcafef00du;
    a = 0x1;
    __asm__ volatile("xchgl %0, %1" : "+r"(a), "+m"(m32));
    rt_printf("xchg r32,m32 -> %x %x\n", a, m32);
    a = 0x12345678u;
    __asm__ volatile("xchgb %%al, %%ah" : "+a"(a));
    rt_printf("xchg al,ah -> %x\n", a);

    /* XADD: dest = dest + src, src = old dest; flags as ADD */
    a = 0x7fffffffu;
    b = 1;
    __asm__("xaddl %1, %0\n\tpushfl\n\tpopl %2" : "+r"(a), "+r"(b), "=r"(f) : : "cc");
    rt_printf("xadd r32 -> src=%x ", b);
    pf("dest", a, f);
    m8 = 0xff;
    b = 0x01;
    __asm__ volatile("xaddb %b1, %0\n\tpushfl\n\tpopl %2" : "+m"(m8), "+q"(b), "=r"(f) : : "cc");
    rt_printf("xadd m8 -> src=%x ", b);
    pf("dest", m8, f);
    m16 = 0x8000;
    b = 0x8000;
    __asm__ volatile("lock xaddw %w1, %0\n\tpushfl\n\tpopl %2" : "+m"(m16), "+r"(b), "=r"(f) : : "cc");
    rt_printf("lock xadd m16 -> src=%x ", b);
    pf("dest", m16, f);

    /* CMPXCHG: if acc == dest then dest = src else acc = dest */
    m32 = 100;
    a = 100;
    __asm__ volatile("cmpxchgl %2, %1\n\tpushfl\n\tpopl %0" : "=r"(f), "+m"(m32), "+r"(b), "+a"(a) : : "cc");
    rt_printf("cmpxchg m32 equal -> m=%x ", m32);
    pf("eax", a, f);
    a = 50;
    __asm__ volatile("lock cmpxchgl %2, %1\n\tpushfl\n\tpopl %0" : "=r"(f), "+m"(m32), "+r"(b), "+a"(a) : : "cc");
    rt_printf("lock cmpxchg m32 differ -> m=%x ", m32);
    pf("eax", a, f);
    a = 0xffff0080u;
    c = 0x7f;
    __asm__("cmpxchgb %b2, %b1\n\tpushfl\n\tpopl %0" : "=r"(f), "+q"(b), "+q"(c), "+a"(a) : : "cc");
    rt_printf("cmpxchg r8 differ -> r=%x ", b);
    pf("eax", a, f);
    b = 0x1234;
    a = 0x1234;
    c = 0xbeef;
    __asm__("cmpxchgw %w2, %w1\n\tpushfl\n\tpopl %0" : "=r"(f), "+r"(b), "+r"(c), "+a"(a) : : "cc");
    rt_printf("cmpxchg r16 equal -> r=%x ", b);
    pf("eax", a, f);

    /* CMPXCHG8B: EDX:EAX == m64 ? m64 = ECX:EBX, ZF=1 : EDX:EAX = m64, ZF=0 */
    uint32_t lo = 0x89abcdefu, hi = 0x01234567u;
    __asm__ volatile("cmpxchg8b %[m]\n\tpushfl\n\tpopl %[f]"
                     : [m] "+m"(m64), "+a"(lo), "+d"(hi), [f] "=r"(f)
                     : "b"(0x55555555u), "c"(0xaaaaaaaau)
                     : "cc");
    rt_printf("cmpxchg8b equal -> m=%x:%x zf=%u\n", (uint32_t)(m64 >> 32), (uint32_t)m64, (f >> 6) & 1);
    lo = 0;
    hi = 0;
    __asm__ volatile("lock cmpxchg8b %[m]\n\tpushfl\n\tpopl %[f]"
                     : [m] "+m"(m64), "+a"(lo), "+d"(hi), [f] "=r"(f)
                     : "b"(1u), "c"(2u)
                     : "cc");
    rt_printf("cmpxchg8b differ -> edx:eax=%x:%x zf=%u\n", hi, lo, (f >> 6) & 1);

    /* BSWAP on every register encoding used by the compiler */
    a = 0x12345678u;
    __asm__("bswap %0" : "+r"(a));
    rt_printf("bswap -> %x\n", a);
    b = 0x80ff0001u;
    __asm__("bswap %%ebx" : "+b"(b));
    rt_printf("bswap ebx -> %x\n", b);
    __asm__("bswap %%edi" : "+D"(b));
    rt_printf("bswap edi -> %x\n", b);
    rt_puts("movs done\n");
    return 0;
}
