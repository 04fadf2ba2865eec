/* x87_seglimit: x87 memory operands get the segment checks of every data
 * access (SDM 3A 5.3 limit checking, 5.4 type checking; SDM vol. 2 FLD,
 * FSTP, FSAVE, FRSTOR, FLDENV, FSTENV, FXSAVE: "#GP(0) If a memory operand
 * effective address is outside the CS, DS, ES, FS, or GS segment limit",
 * "#SS(0) If a memory operand effective address is outside the SS segment
 * limit", "#GP(0) If the destination is located in a non-writable
 * segment"). The whole operand is checked before any of it is touched: a
 * faulting instruction leaves the FPU (control word, status word with
 * TOP, tag word) and the memory as they were.
 *
 * ES is a 32-bit data segment at 0x500000 whose byte-granular limit 0x107
 * cuts the operands: an m80 at 0xfe ends on the limit, at 0xff it crosses
 * it; the 108-byte FSAVE image fits at 0x9c, not at 0x9d (the 94-byte
 * 16-bit form: 0xaa and 0xab); the 28-byte environment at 0xec and 0xed.
 * A read-only segment takes loads, not stores; a 0x210-byte segment takes
 * a 512-byte FXSAVE area at 0x10, not at 0x20; SS with its limit at
 * 0xbfffff faults an m80 that crosses it with #SS(0).
 *
 * QEMU's TCG checks no data segment limits nor types (seglimit.c says the
 * same): x87_seglimit.qemu-expected holds its output, where every access
 * passes. Bochs (x87_seglimit.bochs-expected) raises the same faults but
 * checks piece by piece: a store (FSTP m80, FBSTP, FNSAVE, FNSTENV) writes
 * the parts inside the limit before it faults, and FRSTOR and FXRSTOR load
 * the control and status words first, where a fault restores "the machine
 * state to the state prior to the beginning of execution of the faulting
 * instruction" (SDM 3A 6.5); and its FXSAVE checks only the bytes it
 * writes, not the 512-byte operand (SDM vol. 2 FXSAVE: m512byte). */
#include "rt/rt.h"

#define BUF ((volatile uint8_t *)0x500000)
#define BUF_SIZE 0x210
#define SEL_LIM 0x48 /* limit 0x107, read/write */
#define SEL_RO 0x50  /* limit 0x107, read-only */
#define SEL_FX 0x58  /* limit 0x20f, read/write */
#define SEL_SS 0x60  /* base 0, limit 0xbfffff, read/write */
#define SEL_FLAT 0x10

static volatile uint32_t fault_vec, fault_err, faulted, resume;

static void on_fault(struct rt_frame *f)
{
    fault_vec = f->vec;
    fault_err = f->err;
    faulted = 1;
    f->eip = resume;
}

/* The FPU after FNINIT; FLD1 (one register in use, TOP 7): load ES (or SS)
 * with sel, run insn, put the flat selector back, then read the FPU's
 * control, status and tag words with FNSTENV. */
#define CASE(name, sel, insn)                                                  \
    do {                                                                       \
        uint16_t env_[14];                                                     \
        for (unsigned i_ = 0; i_ < BUF_SIZE; i_++)                             \
            BUF[i_] = 0xee;                                                    \
        faulted = 0;                                                           \
        __asm__ volatile("movl $1f, %[res]\n\t"                                \
                         "fninit\n\tfld1\n\t"                                  \
                         "movw %[s], %%ax\n\t" insn "\n"                       \
                         "1:\tmovw %[flat], %%ax\n\t"                          \
                         "movw %%ax, %%es\n\tmovw %%ax, %%ss\n\t"              \
                         "fnstenv %[env]\n\tfninit"                            \
                         : [res] "=m"(resume), [env] "=m"(env_)                \
                         : [s] "i"(sel), [flat] "i"(SEL_FLAT)                  \
                         : "eax", "memory");                                   \
        report(name, env_);                                                    \
    } while (0)
#define VIA_ES(i) "movw %%ax, %%es\n\t" i
#define VIA_SS(i) "movw %%ax, %%ss\n\t" i

static void report(const char *name, const uint16_t *env)
{
    unsigned touched = 0;
    for (unsigned i = 0; i < BUF_SIZE; i++)
        touched += BUF[i] != 0xee;
    if (faulted)
        rt_printf("%s: vector %u err %x", name, fault_vec, fault_err);
    else
        rt_printf("%s: ok", name);
    rt_printf(", cw %04x sw %04x tw %04x, memory %s\n", env[0], env[2], env[4],
              touched ? "written" : "untouched");
}

int main(void)
{
    for (int v = 0; v < 32; v++)
        rt_set_handler(v, on_fault);
    rt_gdt_set(SEL_LIM / 8, 0x500000, 0x107, 0x93, 0x4);
    rt_gdt_set(SEL_RO / 8, 0x500000, 0x107, 0x91, 0x4);
    rt_gdt_set(SEL_FX / 8, 0x500000, 0x20f, 0x93, 0x4);
    rt_gdt_set(SEL_SS / 8, 0, 0xbff, 0x93, 0xc);
    rt_gdt_reload();

    rt_printf("-- m80 against the limit\n");
    CASE("fld m80 at 0xfe", SEL_LIM, VIA_ES("fldt %%es:0xfe"));
    CASE("fld m80 at 0xff", SEL_LIM, VIA_ES("fldt %%es:0xff"));
    CASE("fstp m80 at 0xfe", SEL_LIM, VIA_ES("fstpt %%es:0xfe"));
    CASE("fstp m80 at 0xff", SEL_LIM, VIA_ES("fstpt %%es:0xff"));
    CASE("fbld at 0xff", SEL_LIM, VIA_ES("fbld %%es:0xff"));
    CASE("fbstp at 0xff", SEL_LIM, VIA_ES("fbstp %%es:0xff"));
    CASE("fld m64 at 0x100", SEL_LIM, VIA_ES("fldl %%es:0x100"));
    CASE("fld m64 at 0x101", SEL_LIM, VIA_ES("fldl %%es:0x101"));
    CASE("fistp m32 at 0x105", SEL_LIM, VIA_ES("fistpl %%es:0x105"));
    CASE("fiadd m16 at 0x107", SEL_LIM, VIA_ES("fiadds %%es:0x107"));

    rt_printf("-- environment and state images\n");
    CASE("fnsave (108) at 0x9c", SEL_LIM, VIA_ES("fnsave %%es:0x9c"));
    CASE("fnsave (108) at 0x9d", SEL_LIM, VIA_ES("fnsave %%es:0x9d"));
    CASE("frstor (108) at 0x9d", SEL_LIM, VIA_ES("frstor %%es:0x9d"));
    CASE("fnsave (94) at 0xaa", SEL_LIM, VIA_ES("data16 fnsave %%es:0xaa"));
    CASE("fnsave (94) at 0xab", SEL_LIM, VIA_ES("data16 fnsave %%es:0xab"));
    CASE("fnstenv (28) at 0xec", SEL_LIM, VIA_ES("fnstenv %%es:0xec"));
    CASE("fnstenv (28) at 0xed", SEL_LIM, VIA_ES("fnstenv %%es:0xed"));
    CASE("fldenv (28) at 0xed", SEL_LIM, VIA_ES("fldenv %%es:0xed"));
    CASE("fnstcw at 0x107", SEL_LIM, VIA_ES("fnstcw %%es:0x107"));
    CASE("fldcw at 0x107", SEL_LIM, VIA_ES("fldcw %%es:0x107"));
    CASE("fnstsw at 0x106", SEL_LIM, VIA_ES("fnstsw %%es:0x106"));
    CASE("fxsave at 0x10", SEL_FX, VIA_ES("fxsave %%es:0x10"));
    CASE("fxsave at 0x20", SEL_FX, VIA_ES("fxsave %%es:0x20"));
    CASE("fxrstor at 0x20", SEL_FX, VIA_ES("fxrstor %%es:0x20"));

    rt_printf("-- read-only segment\n");
    CASE("fld m32 read-only", SEL_RO, VIA_ES("flds %%es:0"));
    CASE("fst m32 read-only", SEL_RO, VIA_ES("fsts %%es:0"));
    CASE("fnstcw read-only", SEL_RO, VIA_ES("fnstcw %%es:0"));

    rt_printf("-- through SS\n");
    CASE("fld m80 ss:0xbffff6", SEL_SS, VIA_SS("fldt %%ss:0xbffff6"));
    CASE("fld m80 ss:0xbffffa", SEL_SS, VIA_SS("fldt %%ss:0xbffffa"));
    CASE("fstp m64 ss:0xbffffc", SEL_SS, VIA_SS("fstpl %%ss:0xbffffc"));
    rt_printf("x87_seglimit done\n");
    return 0;
}
