/* io: port I/O — IN/OUT with immediate and DX ports at 8/16/32 bits on the
 * UART scratch register (0x3FF) and POST port 0x80, INSB/OUTSB with and
 * without REP (forwards and with DF=1) through the scratch register, and
 * the UART line status register after the transmitter drains. */
#include "rt/rt.h"

#define SCR 0x3ff

int main(void)
{
    outb(SCR, 0x5a);
    rt_printf("out dx scr 5a, in -> %x\n", inb(SCR));
    uint8_t v;
    __asm__ volatile("movb $0xa5, %%al\n\toutb %%al, $0x80\n\tmovw $0x3ff, %%dx\n\tmovb $0x3c, %%al\n\toutb %%al, %%dx\n\tinb %%dx, %%al"
                     : "=a"(v) : : "edx");
    rt_printf("out 80 imm, out/in scr -> %x\n", v);
    outb(0x80, 0x12);
    rt_printf("out 80 done\n");

    /* the scratch register keeps the last byte written */
    static const uint8_t src[8] = {1, 2, 3, 4, 0x55, 0x66, 0x77, 0x88};
    uint8_t dst[8];
    uint32_t si = (uint32_t)src, cx = 4;
    __asm__ volatile("cld\n\trep outsb" : "+S"(si), "+c"(cx) : "d"(SCR) : "memory");
    rt_printf("rep outsb 4: scr=%x esi+%u ecx=%u\n", inb(SCR), si - (uint32_t)src, cx);
    si = (uint32_t)&src[7];
    __asm__ volatile("std\n\toutsb\n\tcld" : "+S"(si) : "d"(SCR) : "memory");
    rt_printf("outsb std: scr=%x esi%d\n", inb(SCR), (int32_t)(si - (uint32_t)&src[7]));
    memset(dst, 0, sizeof dst);
    outb(SCR, 0x99);
    uint32_t di = (uint32_t)dst;
    cx = 3;
    __asm__ volatile("cld\n\trep insb" : "+D"(di), "+c"(cx) : "d"(SCR) : "memory");
    rt_printf("rep insb 3: %x %x %x %x edi+%u\n", dst[0], dst[1], dst[2], dst[3], di - (uint32_t)dst);
    outb(SCR, 0x42);
    di = (uint32_t)&dst[6];
    __asm__ volatile("std\n\tinsb\n\tcld" : "+D"(di) : "d"(SCR) : "memory");
    rt_printf("insb std: %x edi%d\n", dst[6], (int32_t)(di - (uint32_t)&dst[6]));

    /* 16- and 32-bit accesses to port 0x80 and the UART's byte registers */
    outw(0x80, 0x1234);
    outl(0x80, 0x12345678u);
    outb(SCR, 0x77);
    rt_printf("inb scr after wide writes to 0x80: %x\n", inb(SCR));

    /* line status: THRE and TEMT set once idle; LCR reads back */
    while (!(inb(0x3fd) & 0x40))
        ;
    rt_printf("lsr idle: %x lcr: %x\n", inb(0x3fd) & 0x60, inb(0x3fb));
    rt_puts("io done\n");
    return 0;
}
