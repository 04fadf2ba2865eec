/* unreal: segment limits in real mode, and "unreal" mode (a 4 GiB limit
 * loaded in protected mode kept in real mode, SDM 3A 20.1.1). unreal.asm
 * runs the tests in real mode; this prints, per test, "ok" or the vector
 * (13 #GP, 12 #SS; real mode pushes no error code) and the offset of the
 * faulting instruction in the blob, then the values read and written
 * through the 4 GiB FS.
 * QEMU's TCG checks no segment limit in real mode: the accesses beyond
 * 64 KiB go through, the JMP past the CS limit runs on and the
 * instruction at 0xfffe wraps IP (unreal.qemu-expected); unreal.expected
 * follows the SDM. */
#include "rt/rt.h"

void unreal_run(void);
extern char rm_start[], rm_results[], rm_values[];

#define RM_BASE 0x8000u

int main(void)
{
    static const char *const names[] = {
        "ds byte at 0xffff",      "ds word at 0xffff",   "ds byte at esi 0x10000",
        "ss word at 0xffff",      "ss dword at ebp 0xfffe", "fs (4 GiB) at 3 MiB",
        "fs reloaded in real mode", "gs (64 KiB) at 3 MiB", "jmp dword to 0x10000",
        "mov ax, imm16 at 0xfffe",
    };
    rt_gdt_set(9, RM_BASE, 0xffff, 0x9a, 0x0);
    rt_gdt_set(10, RM_BASE, 0xffff, 0x92, 0x0);
    rt_gdt_set(11, 0, 0xfffff, 0x92, 0x8);
    rt_gdt_reload();
    *(volatile uint32_t *)0x300000 = 0x12345678;
    *(volatile uint32_t *)0x300004 = 0;

    unreal_run();

    volatile uint16_t *res = (volatile uint16_t *)(RM_BASE + (uint32_t)(rm_results - rm_start));
    volatile uint32_t *val = (volatile uint32_t *)(RM_BASE + (uint32_t)(rm_values - rm_start));
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        uint16_t vec = res[2 * i], ip = res[2 * i + 1];
        if (vec == 0)
            rt_printf("%s: ok\n", names[i]);
        else if (vec == 0xfffe)
            rt_printf("%s: ran at 0x10000\n", names[i]);
        else if (vec == 0xffff)
            rt_printf("%s: ip wrapped to 0\n", names[i]);
        else
            rt_printf("%s: vector %u at %x\n", names[i], vec, ip);
    }
    rt_printf("read through fs: %x, reread after reload: %x, at 0x300004: %x\n", val[0], val[1],
              *(volatile uint32_t *)0x300004);
    rt_puts("unreal done\n");
    return 0;
}
