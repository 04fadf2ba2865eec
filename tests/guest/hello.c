/* hello: the smallest guest program — prints one line on COM1 and exits
 * through isa-debug-exit.  Tests the Multiboot entry, serial output and exit. */
#include "rt/rt.h"

int main(void)
{
    rt_printf("hello from a multiboot guest (magic %x)\n", rt_mb_magic);
    return 0;
}
