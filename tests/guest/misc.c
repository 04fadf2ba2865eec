/* misc: CBW CWDE CWD CDQ, LAHF SAHF, CLC STC CMC, CLD STD, CLI STI (IF seen
 * through PUSHF), XLAT, every NOP form (90, 66 90, F3 90 PAUSE, the 0F 1F /0
 * multi-byte NOPs of 3 to 11 bytes, 0F 19..0F 1E hint NOPs, XCHG EAX,EAX)
 * and segment prefixes: FS and GS with non-zero bases from our own GDT, and
 * the CS/DS/ES/SS overrides on the flat segments.  No undefined flags. */
#include "rt/rt.h"

static uint8_t table[256];
static uint32_t target[4] = {0x11111111u, 0x22222222u, 0x33333333u, 0x44444444u};

int main(void)
{
    uint32_t a, d, f;

    a = 0x12345680u;
    __asm__(".byte 0x66, 0x98" : "+a"(a)); /* cbw */
    rt_printf("cbw 80 -> %x\n", a);
    a = 0x1234007fu;
    __asm__(".byte 0x66, 0x98" : "+a"(a));
    rt_printf("cbw 7f -> %x\n", a);
    a = 0x12348000u;
    __asm__("cwtl" : "+a"(a)); /* cwde */
    rt_printf("cwde 8000 -> %x\n", a);
    a = 0x00008000u;
    d = 0x12345678u;
    __asm__("cwtd" : "+a"(a), "+d"(d)); /* cwd */
    rt_printf("cwd 8000 -> dx:ax %x:%x\n", d, a);
    a = 0x80000000u;
    __asm__("cltd" : "+a"(a), "=d"(d)); /* cdq */
    rt_printf("cdq 80000000 -> %x:%x\n", d, a);
    a = 0x7fffffffu;
    __asm__("cltd" : "+a"(a), "=d"(d));
    rt_printf("cdq 7fffffff -> %x:%x\n", d, a);

    /* LAHF: AH = SF ZF 0 AF 0 PF 1 CF; SAHF loads those five flags */
    a = 0;
    __asm__("pushl $0x8d7\n\tpopfl\n\tlahf" : "+a"(a));
    rt_printf("lahf all set -> ah=%x\n", (a >> 8) & 0xff);
    __asm__("pushl $0x802\n\tpopfl\n\tlahf" : "+a"(a));
    rt_printf("lahf only OF -> ah=%x\n", (a >> 8) & 0xff);
    a = 0xd500;
    __asm__("pushl $0x802\n\tpopfl\n\tsahf\n\tpushfl\n\tpopl %0" : "=r"(f) : "a"(a) : "cc");
    rt_printf("sahf d5 -> ");
    rt_print_flags(f, FL_ARITH);
    rt_printf(" bit1=%u\n", (f >> 1) & 1);
    a = 0x2a00;
    __asm__("pushl $0x8d7\n\tpopfl\n\tsahf\n\tpushfl\n\tpopl %0" : "=r"(f) : "a"(a) : "cc");
    rt_printf("sahf 2a -> ");
    rt_print_flags(f, FL_ARITH);
    rt_putc('\n');

    __asm__("stc\n\tpushfl\n\tpopl %0" : "=r"(f) : : "cc");
    rt_printf("stc cf=%u\n", f & 1);
    __asm__("stc\n\tcmc\n\tpushfl\n\tpopl %0" : "=r"(f) : : "cc");
    rt_printf("stc;cmc cf=%u\n", f & 1);
    __asm__("clc\n\tcmc\n\tpushfl\n\tpopl %0" : "=r"(f) : : "cc");
    rt_printf("clc;cmc cf=%u\n", f & 1);
    __asm__("clc\n\tpushfl\n\tpopl %0" : "=r"(f) : : "cc");
    rt_printf("clc cf=%u\n", f & 1);
    __asm__("std\n\tpushfl\n\tpopl %0\n\tcld" : "=r"(f));
    rt_printf("std df=%u\n", (f >> 10) & 1);
    __asm__("cld\n\tpushfl\n\tpopl %0" : "=r"(f));
    rt_printf("cld df=%u\n", (f >> 10) & 1);
    __asm__("sti\n\tpushfl\n\tpopl %0\n\tcli" : "=r"(f));
    rt_printf("sti if=%u\n", (f >> 9) & 1);
    __asm__("cli\n\tpushfl\n\tpopl %0" : "=r"(f));
    rt_printf("cli if=%u\n", (f >> 9) & 1);

    for (int i = 0; i < 256; i++)
        table[i] = (uint8_t)(255 - i * 3);
    a = 0xabcdef10u;
    __asm__("xlat" : "+a"(a) : "b"(table));
    rt_printf("xlat [10] -> %x\n", a);
    a = 0x000000ffu;
    __asm__("xlatb %%ds:(%%ebx)" : "+a"(a) : "b"(table));
    rt_printf("xlat [ff] -> %x\n", a);

    /* NOP forms: registers and flags must pass through unchanged */
    a = 0x600df00du;
    __asm__ volatile("pushl $0x8d7\n\tpopfl\n\t"
                     ".byte 0x90\n\t"
                     ".byte 0x66, 0x90\n\t"
                     ".byte 0xf3, 0x90\n\t"
                     ".byte 0x0f, 0x1f, 0x00\n\t"
                     ".byte 0x0f, 0x1f, 0x40, 0x00\n\t"
                     ".byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n\t"
                     ".byte 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00\n\t"
                     ".byte 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00\n\t"
                     ".byte 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00\n\t"
                     ".byte 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00\n\t"
                     ".byte 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00\n\t"
                     ".byte 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00\n\t"
                     ".byte 0x0f, 0x1f, 0xc0\n\t"      /* 0F 1F /0 with a register operand */
                     ".byte 0x0f, 0x19, 0x00\n\t"      /* hint NOPs 0F 19 and 0F 1C..1E */
                     ".byte 0x0f, 0x1c, 0x40, 0x00\n\t"
                     ".byte 0x0f, 0x1d, 0xc8\n\t"
                     ".byte 0x0f, 0x1e, 0x00\n\t"
                     ".byte 0x87, 0xc0\n\t"            /* xchg eax, eax (87 /r) */
                     "pushfl\n\tpopl %1"
                     : "+a"(a), "=r"(f)
                     :
                     : "cc", "memory");
    rt_printf("nops: eax=%x flags ", a);
    rt_print_flags(f, FL_ARITH);
    rt_putc('\n');

    /* FS and GS with bases: fs:[4] is target[2], gs:[-4] is target[0] */
    rt_gdt_set(5, (uint32_t)&target[1], 0xfffff, 0x92, 0xc);
    rt_gdt_set(6, (uint32_t)&target[1], 0xfffff, 0x92, 0xc);
    rt_gdt_reload();
    uint32_t v1, v2, v3;
    __asm__ volatile("movw %[fs], %%fs\n\t"
                     "movl %%fs:4, %0\n\t"
                     "movw %[gs], %%gs\n\t"
                     "movl $0xfffffffc, %%eax\n\t"
                     "movl %%gs:(%%eax), %1\n\t"
                     "movl $0xabcdabcd, %%gs:8\n\t"
                     "movl %%fs:8, %2"
                     : "=&r"(v1), "=&r"(v2), "=&r"(v3)
                     : [fs] "r"((uint16_t)SEL_FS), [gs] "r"((uint16_t)SEL_GS)
                     : "eax", "memory");
    rt_printf("fs:[4]=%x gs:[-4]=%x fs:[8] after gs store=%x target[3]=%x\n", v1, v2, v3, target[3]);
    /* change the FS base and reload: the new base applies */
    rt_gdt_set(5, (uint32_t)&target[0], 0xfffff, 0x92, 0xc);
    __asm__ volatile("movw %[fs], %%fs\n\tmovl %%fs:0, %0" : "=r"(v1) : [fs] "r"((uint16_t)SEL_FS) : "memory");
    rt_printf("reloaded fs:[0]=%x\n", v1);
    uint16_t sel;
    __asm__ volatile("movw %%fs, %0" : "=r"(sel));
    rt_printf("mov r16,fs -> %x\n", sel);
    __asm__ volatile("movw %[z], %%fs\n\tmovw %[z], %%gs" : : [z] "r"((uint16_t)SEL_DATA32));

    /* overrides on flat segments */
    __asm__ volatile("movl %%cs:(%1), %0" : "=r"(v1) : "r"(&target[0]));
    __asm__ volatile("movl %%ss:4(%1), %0" : "=r"(v2) : "r"(&target[0]));
    __asm__ volatile("movl %%es:8(%1), %0" : "=r"(v3) : "r"(&target[0]));
    rt_printf("cs:%x ss:%x es:%x\n", v1, v2, v3);
    __asm__ volatile(".byte 0x3e\n\tmovl $0x5555aaaa, (%0)" : : "r"(&target[0]) : "memory");
    rt_printf("ds: store -> %x\n", target[0]);
    rt_puts("misc done\n");
    return 0;
}
