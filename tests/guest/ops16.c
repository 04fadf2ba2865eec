/* ops16: 16-bit operand size (66) and 16-bit address size (67) in 32-bit
 * protected mode: arithmetic that keeps the upper register halves, the
 * 16-bit addressing forms ([BX+SI], [BX+DI+d8], [BP+SI] on SS, wrap at
 * 64 KiB, LEA, moffs16), LODSW/REP STOSW with 16-bit SI/DI/CX.  The code
 * is in ops16.asm; this file prints what it stored. */
#include "rt/rt.h"

void ops16_run(uint32_t *out);

int main(void)
{
    static const char *const what[] = {
        "add ax,1", "neg bx", "imul cx,cx,4000", "div bx: eax", "div bx: edx",
        "[bx+si]", "[bx+di+4]", "[bp+si] ax", "mov ax,[disp]", "[bx+si] wrap",
        "lea ax wrap", "a16 moffs al", "a16 lodsw", "si after", "di after rep stosw",
        "stored", "flags sub ax",
    };
    uint32_t out[32];
    memset(out, 0xee, sizeof out);
    ops16_run(out);
    for (unsigned i = 0; i < sizeof what / sizeof what[0]; i++)
        rt_printf("%s: %x\n", what[i], out[i]);
    rt_puts("ops16 done\n");
    return 0;
}
