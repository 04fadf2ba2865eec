/* stack: PUSH/POP in every form (r32, imm8, imm32, m32, 16-bit, ESP
 * itself, POP into an ESP-relative operand), PUSHAD/POPAD and PUSHA/POPA,
 * PUSHF/POPF at 32 and 16 bits, PUSH/POP of segment registers, and ENTER
 * with nesting levels 0, 1 and 3 with LEAVE.  The instructions run in
 * stack.asm; this file prints what they observed. */
#include "rt/rt.h"

void stack_run(uint32_t *out);

static const char *const what[] = {
    "push r,imm8,imm32,m32: esp delta", "pop m32 value", "pop imm32 value", "pop imm8 value",
    "pop m32 dest", "16-bit pushes: esp delta", "pop r16", "pop m16",
    "push esp pushes old esp (diff)", "pop esp", "pop [esp]", "popad esi",
    "popad ecx", "esp after pushad/popad", "pushaw: esp delta", "pushaw bx slot",
    "popaw eax", "popfd/pushfd", "popfw/pushfw", "push sregs: esp delta",
    "push cs", "push ss", "push es / pop fs", "pop gs (16-bit)",
    "enter 16,0: esp delta", "enter 16,0: ebp", "leave: esp", "leave: ebp",
    "enter 8,3: esp delta", "enter 8,3: display 1", "enter 8,3: display 2", "enter 8,3: frame ptr",
    "leave: esp", "enter 4,1: frame ptr", "enter 4,1: esp delta", "enter 0,0: esp-ebp",
    "esp at end", "push m16, push imm8 (16-bit)", "pop r32 (8F /0)",
};

int main(void)
{
    uint32_t out[64];
    memset(out, 0xee, sizeof out);
    stack_run(out);
    for (unsigned i = 0; i < sizeof what / sizeof what[0]; i++)
        rt_printf("%u %s: %x\n", i, what[i], out[i]);
    rt_puts("stack done\n");
    return 0;
}
