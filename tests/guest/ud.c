/* ud: undefined opcodes raise #UD (vector 6) with EIP at the first byte of
 * the instruction, prefixes included, and nothing else changes: UD2,
 * UD0 (0F FF), FE /2, FE /7, FF /7, LEA with a register operand
 * (8D C0), MOV CS (8E C8), and LOCK on instructions that cannot take it
 * (NOP, ADD and INC with a register destination).  LOCK MOV and LOCK
 * CPUID are #UD on hardware but not under the reference (QEMU), so they
 * are left out.
 * The handler resumes after the instruction (lengths written below). */
#include "rt/rt.h"

static volatile uint32_t ud_eip, ud_count, ud_len;

static void ud_handler(struct rt_frame *f)
{
    ud_eip = f->eip;
    ud_count++;
    f->eip += ud_len;
}

#define UD(name, len, bytes)                                                                \
    do {                                                                                    \
        uint32_t start, eax = 0x1234, ebx = 0x5678;                                         \
        ud_len = (len);                                                                     \
        ud_eip = 0;                                                                         \
        __asm__ volatile("movl $1f, %0\n1:\t.byte " bytes                                   \
                         : "=&r"(start), "+a"(eax), "+b"(ebx)                               \
                         :                                                                  \
                         : "memory", "cc");                                                 \
        rt_printf("%s: #UD %s, eip %s, eax %x ebx %x\n", name, ud_count ? "yes" : "NO",    \
                  ud_eip == start ? "ok" : "WRONG", eax, ebx);                              \
        ud_count = 0;                                                                       \
    } while (0)

int main(void)
{
    rt_set_handler(6, ud_handler);
    UD("ud2", 2, "0x0f, 0x0b");
    UD("ud0 0f ff /r", 3, "0x0f, 0xff, 0xc0");
    UD("fe /2", 2, "0xfe, 0xd0");
    UD("fe /7", 2, "0xfe, 0xf8");
    UD("ff /7", 2, "0xff, 0xf8");
    UD("lea eax, eax", 2, "0x8d, 0xc0");
    UD("mov cs, ax", 2, "0x8e, 0xc8");
    UD("lock nop", 2, "0xf0, 0x90");
    UD("lock add eax, ebx", 3, "0xf0, 0x01, 0xd8");
    UD("lock inc eax", 2, "0xf0, 0x40");
    UD("66 lock ud2", 4, "0x66, 0xf0, 0x0f, 0x0b");
    UD("cs ds ud2", 4, "0x2e, 0x3e, 0x0f, 0x0b");
    rt_puts("ud done\n");
    return 0;
}
