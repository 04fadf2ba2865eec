/* msr: RDMSR and WRMSR of the MSRs a P6 with SEP, MTRR and PAT has (SDM 4,
 * chapter 2; SDM 3A 10.4.4, 11.11, 11.12): their power-on values, values
 * written and read back, and #GP(0) for a write that sets a reserved bit
 * or names a reserved memory type (PAT types 2 and 3, MTRR types 2, 3
 * and 7), for a write to the read-only IA32_MTRRCAP and for an MSR that
 * does not exist.  IA32_TIME_STAMP_COUNTER: a value written is where the
 * counter goes on from.
 *
 * QEMU's TCG departs from the SDM here: it ignores writes to MSRs it does
 * not know and reads them as 0, accepts any value in IA32_PAT, the MTRRs
 * and IA32_MTRR_DEF_TYPE, and ignores a write to IA32_MTRRCAP, all
 * without #GP, and a value written to the TSC does not reach RDMSR or
 * RDTSC, and IA32_MTRR_DEF_TYPE comes out of reset as 0xc06 (MTRRs on,
 * write-back), where the SDM (3A 11.11.5) says reset clears E, which
 * disables the MTRRs; msr.qemu-expected has its output.  Bochs confirms
 * the #GP cases (tests/firmware/sysinsn_rom).  Its default CPU model has no
 * MTRRs (IA32_MTRRCAP reads 0): msr.qemuargs gives it them, as jet86's. */
#include "rt/rt.h"

static volatile uint32_t faults, seen_vec, seen_err;

static void on_fault(struct rt_frame *f)
{
    seen_vec = f->vec;
    seen_err = f->err;
    faults++;
    f->eip += 2; /* RDMSR and WRMSR are 0F 32 and 0F 30 */
}

/* "#GP(err)" or "" for the last RDMSR/WRMSR, and clears the count. */
static const char *fault_text(void)
{
    static char buf[16];
    if (!faults)
        return "";
    faults = 0;
    if (seen_vec != 13)
        return "unexpected vector";
    buf[0] = 0;
    const char *p = "#GP(";
    int n = 0;
    while (*p)
        buf[n++] = *p++;
    buf[n++] = (char)('0' + (seen_err & 7));
    buf[n++] = ')';
    buf[n] = 0;
    return buf;
}

static uint64_t rdmsr(uint32_t idx)
{
    uint32_t lo = 0, hi = 0;
    __asm__ volatile("rdmsr" : "+a"(lo), "+d"(hi) : "c"(idx) : "memory");
    return (uint64_t)hi << 32 | lo;
}

static void wrmsr(uint32_t idx, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(idx), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static void show_read(uint32_t idx)
{
    uint64_t v = rdmsr(idx);
    const char *f = fault_text();
    if (*f)
        rt_printf("rdmsr %x: %s\n", idx, f);
    else
        rt_printf("rdmsr %x: %08x%08x\n", idx, (uint32_t)(v >> 32), (uint32_t)v);
}

/* Write v, then read back: "ok, reads X" or the fault of the write. */
static void show_write(uint32_t idx, uint64_t v)
{
    wrmsr(idx, v);
    const char *f = fault_text();
    rt_printf("wrmsr %x %08x%08x: ", idx, (uint32_t)(v >> 32), (uint32_t)v);
    if (*f) {
        rt_printf("%s\n", f);
        return;
    }
    uint64_t r = rdmsr(idx);
    f = fault_text();
    if (*f)
        rt_printf("ok, read %s\n", f);
    else
        rt_printf("ok, reads %08x%08x\n", (uint32_t)(r >> 32), (uint32_t)r);
}

int main(void)
{
    rt_set_handler(13, on_fault);
    rt_set_handler(6, on_fault);

    rt_puts("power-on values\n");
    static const uint32_t at_reset[] = {0x1b, 0xfe, 0x174, 0x175, 0x176, 0x277, 0x2ff};
    for (unsigned i = 0; i < sizeof at_reset / sizeof at_reset[0]; i++)
        show_read(at_reset[i]);

    rt_puts("IA32_APIC_BASE: base and enable are writable\n");
    show_write(0x1b, 0xfee00900u);
    show_write(0x1b, 0xfec00900u);
    show_write(0x1b, 0xfee00900u);

    rt_puts("IA32_SYSENTER_CS/ESP/EIP\n");
    show_write(0x174, 0x0008);
    show_write(0x175, 0x00123450);
    show_write(0x176, 0xc0001000u);

    rt_puts("IA32_PAT: types 0 1 4 5 6 7 valid, 2 3 reserved\n");
    show_write(0x277, 0x0001040506070607ull);
    show_write(0x277, 0x0007040600070402ull);
    show_write(0x277, 0x0007040603070406ull);
    show_write(0x277, 0x0007040600070416ull);
    show_write(0x277, 0x0007040600070406ull);

    rt_puts("variable-range MTRRs\n");
    show_write(0x200, 0x00100006);
    show_write(0x201, 0xfff00800u);
    show_write(0x20e, 0xfe000000u);
    show_write(0x20f, 0xff000800u);
    show_write(0x200, 0x00100007);
    show_write(0x202, 0x00100002);
    show_write(0x202, 0x00100106);
    show_write(0x203, 0xfff00801u);

    rt_puts("fixed-range MTRRs\n");
    static const uint32_t fixed[] = {0x250, 0x258, 0x259, 0x268, 0x269, 0x26a, 0x26b, 0x26c, 0x26d, 0x26e, 0x26f};
    static const uint8_t types[] = {0, 1, 4, 5, 6}; /* UC WC WT WP WB */
    for (unsigned i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        uint64_t v = 0;
        for (unsigned j = 0; j < 8; j++)
            v |= (uint64_t)types[(i + j) % 5] << (8 * j);
        show_write(fixed[i], v);
    }
    show_write(0x250, 0x0606060606060603ull);
    show_write(0x26f, 0x0706060606060606ull);

    rt_puts("IA32_MTRR_DEF_TYPE: type, FE (10), E (11)\n");
    show_write(0x2ff, 0x00000c06);
    show_write(0x2ff, 0x00000007);
    show_write(0x2ff, 0x00001006);
    show_write(0x2ff, 0x00000000);

    rt_puts("IA32_MTRRCAP is read-only\n");
    show_write(0xfe, 0x508);

    rt_puts("MSRs that do not exist\n");
    show_read(0x12345);
    show_write(0x12345, 0);
    show_read(0x210);
    show_read(0x2fe);

    /* the TSC goes on from a value written: 2^32 + a little */
    wrmsr(0x10, 0x100000000ull);
    uint64_t t = rdmsr(0x10);
    rt_printf("tsc after writing 2^32: %s%s\n", (t >> 32) == 1 && (uint32_t)t < 0x100000u ? "2^32 + a little" : "other",
              fault_text());
    rt_puts("msr done\n");
    return 0;
}
