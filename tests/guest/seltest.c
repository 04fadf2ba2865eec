/* seltest: LAR, LSL, VERR, VERW and ARPL in protected mode (SDM 2, LAR,
 * LSL, VERR/VERW, ARPL).  An LDT holds one descriptor of every type (code
 * and data types 0-15, system types 0-15) at every DPL; each is tested
 * with RPL 0-3 at CPL 0 and with RPL 0 and 3 at CPL 3 (rt_user_call).
 * A line per descriptor: for each instruction the ZF of the six
 * CPL/RPL pairs (c0r0 c0r1 c0r2 c0r3 c3r0 c3r3), and for LAR and LSL the
 * 32-bit result at c0r0 ("-": ZF=0 left the destination alone).  Then:
 * null selectors, selectors past the GDT's and the LDT's limit, a null
 * LDTR, selector 4 (LDT entry 0, not null), not-present descriptors, a
 * page-granular limit, the 16-bit operand forms (the upper half kept),
 * memory operands, and ARPL on every pair of RPLs in a register and in
 * memory.  Descriptors have limit bits 19:16 clear, which LAR's 32-bit
 * result leaves undefined. */
#include "rt/rt.h"

#define LDT_SEL 0x48 /* GDT entry 9 */
#define N_TYPES 32  /* code/data 0-15 (S=1) then system 0-15 (S=0) */
#define FIRST 1     /* LDT entry of (type 0, DPL 0); entry 0 is data */
#define N_EXTRA 4
#define LDT_N (FIRST + N_TYPES * 4 + N_EXTRA)
#define EXTRA (FIRST + N_TYPES * 4)

static uint64_t ldt[LDT_N] __attribute__((aligned(8)));

enum { I_LAR, I_LSL, I_VERR, I_VERW, N_INSN };
#define N_COMBO 6
static uint8_t zf[LDT_N][N_COMBO][N_INSN];
static uint32_t lar_val[LDT_N], lsl_val[LDT_N];

/* access = P DPL S type; flags = G D/B L AVL (SDM 3A 3.4.5) */
static uint64_t desc(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
    return (limit & 0xffffu) | ((uint64_t)(base & 0xffffffu) << 16) | ((uint64_t)access << 40) |
           ((uint64_t)((limit >> 16) & 0xf) << 48) | ((uint64_t)(flags & 0xf) << 52) |
           ((uint64_t)(base >> 24) << 56);
}

static int lar(uint32_t sel, uint32_t *v)
{
    uint8_t z;
    __asm__ volatile("lar %2, %0\n\tsetz %1" : "+r"(*v), "=q"(z) : "r"(sel) : "cc");
    return z;
}

static int lsl(uint32_t sel, uint32_t *v)
{
    uint8_t z;
    __asm__ volatile("lsl %2, %0\n\tsetz %1" : "+r"(*v), "=q"(z) : "r"(sel) : "cc");
    return z;
}

static int verr(uint32_t sel)
{
    uint8_t z;
    __asm__ volatile("verr %w1\n\tsetz %0" : "=q"(z) : "r"(sel) : "cc");
    return z;
}

static int verw(uint32_t sel)
{
    uint8_t z;
    __asm__ volatile("verw %w1\n\tsetz %0" : "=q"(z) : "r"(sel) : "cc");
    return z;
}

static void test_sel(int idx, int combo, uint32_t rpl)
{
    uint32_t sel = (uint32_t)idx * 8 + 4 + rpl, v = 0xdeadbeef;
    zf[idx][combo][I_LAR] = (uint8_t)lar(sel, &v);
    if (combo == 0)
        lar_val[idx] = v;
    v = 0xdeadbeef;
    zf[idx][combo][I_LSL] = (uint8_t)lsl(sel, &v);
    if (combo == 0)
        lsl_val[idx] = v;
    zf[idx][combo][I_VERR] = (uint8_t)verr(sel);
    zf[idx][combo][I_VERW] = (uint8_t)verw(sel);
}

static void at_cpl3(void)
{
    for (int i = 0; i < LDT_N; i++) {
        test_sel(i, 4, 0);
        test_sel(i, 5, 3);
    }
}

static void show_zf(int idx, int insn)
{
    for (int c = 0; c < N_COMBO; c++)
        rt_putc(zf[idx][c][insn] ? '1' : '0');
}

static void show_val(int idx, int insn, uint32_t v)
{
    if (zf[idx][0][insn])
        rt_printf(" %08x", v);
    else
        rt_printf(" %s", v == 0xdeadbeef ? "-" : "CHANGED");
}

static void show(int idx, const char *name)
{
    rt_printf("%s: lar ", name);
    show_zf(idx, I_LAR);
    show_val(idx, I_LAR, lar_val[idx]);
    rt_puts(" lsl ");
    show_zf(idx, I_LSL);
    show_val(idx, I_LSL, lsl_val[idx]);
    rt_puts(" verr ");
    show_zf(idx, I_VERR);
    rt_puts(" verw ");
    show_zf(idx, I_VERW);
    rt_putc('\n');
}

/* The four results of one selector at CPL 0 as "lar lsl verr verw" ZFs. */
static void show_one(const char *what, uint32_t sel)
{
    uint32_t v = 0;
    rt_printf("%s (%x): zf %u%u%u%u\n", what, sel, lar(sel, &v), lsl(sel, &v), verr(sel), verw(sel));
}

static volatile uint32_t arpl_faults, arpl_err;

/* #GP of "cs arpl %cx, (%edx)" (2e 63 0a, 3 bytes): note it and go on
 * with the pushf after it. */
static void arpl_gp(struct rt_frame *f)
{
    arpl_faults++;
    arpl_err = f->err;
    f->eip += 3;
}

static void arpl_tests(void)
{
    rt_puts("arpl dest,src -> result zf:");
    for (uint32_t d = 0; d < 4; d++)
        for (uint32_t s = 0; s < 4; s++) {
            uint16_t dst = (uint16_t)(0x1230 | d), src = (uint16_t)(0x4560 | s);
            uint8_t z;
            __asm__ volatile("arpl %w2, %w0\n\tsetz %1" : "+r"(dst), "=q"(z) : "r"(src) : "cc");
            rt_printf(" %x,%x->%x%u", d, s, dst & 0xffff, z);
        }
    rt_putc('\n');
    rt_puts("arpl to memory:");
    for (uint32_t s = 0; s < 4; s++) {
        volatile uint16_t m = 0x7771;
        uint8_t z;
        __asm__ volatile("arpl %w2, %0\n\tsetz %1" : "+m"(m), "=q"(z) : "r"(s) : "cc", "memory");
        rt_printf(" src rpl %u -> %x zf %u", s, m, z);
    }
    rt_putc('\n');
    /* Through a CS override (a code segment, never writable; CMP leaves
     * CF and SF set and ZF clear before, and ARPL changes only ZF). Silicon writes the word only when its RPL rises, so an
     * ARPL that leaves it alone does not fault (the differential test's
     * host CPU agrees); one that would change it raises #GP(0) with the
     * word and ZF as they were (SDM 3A 5.4). QEMU's TCG takes no write
     * check through CS and writes (seltest.qemu-expected); Bochs takes
     * the write check before it compares, and faults in all four
     * (seltest.bochs-expected). The SDM's ARPL operation writes DEST only
     * in its IF branch, as the host CPU does. */
    arpl_faults = 0;
    rt_set_handler(13, arpl_gp);
    for (uint32_t s = 0; s < 4; s++) {
        volatile uint16_t m = 0x7771;
        uint32_t fl;
        __asm__ volatile("cmp %%esp, %%ecx\n\t"
                         "cs arpl %%cx, (%%edx)\n\t"
                         "pushfl\n\tpopl %0"
                         : "=r"(fl) : "c"(s), "d"(&m) : "cc", "memory");
        rt_printf("arpl cs: src rpl %u -> %x zf %u cf %u sf %u gp %u err %x\n",
                  s, m, (fl >> 6) & 1, fl & 1, (fl >> 7) & 1, arpl_faults,
                  arpl_err);
        arpl_faults = 0;
    }
    rt_set_handler(13, 0);
    /* ARPL's register form writes only the low 16 bits */
    uint32_t big = 0xabcd0010;
    __asm__ volatile("arpl %w1, %w0" : "+r"(big) : "r"(3) : "cc");
    rt_printf("arpl keeps the upper half: %x\n", big);
}

static void operand_forms(void)
{
    uint32_t sel = (uint32_t)(FIRST + 3 * 4 + 3) * 8 + 4; /* data type 3, DPL 3 */
    uint32_t v = 0x55550000;
    uint8_t z;
    __asm__ volatile("larw %w2, %w0\n\tsetz %1" : "+r"(v), "=q"(z) : "r"(sel) : "cc");
    rt_printf("larw: %x zf %u\n", v, z);
    v = 0x55550000;
    __asm__ volatile("lslw %w2, %w0\n\tsetz %1" : "+r"(v), "=q"(z) : "r"(sel) : "cc");
    rt_printf("lslw: %x zf %u\n", v, z);
    v = 0x55551234;
    __asm__ volatile("larw %w2, %w0\n\tsetz %1" : "+r"(v), "=q"(z) : "r"(0u) : "cc");
    rt_printf("larw null: %x zf %u\n", v, z);
    volatile uint16_t m = (uint16_t)sel;
    v = 0;
    __asm__ volatile("lar %2, %0\n\tsetz %1" : "+r"(v), "=q"(z) : "m"(m) : "cc");
    rt_printf("lar from memory: %x zf %u\n", v, z);
    v = 0;
    __asm__ volatile("lsl %2, %0\n\tsetz %1" : "+r"(v), "=q"(z) : "m"(m) : "cc");
    rt_printf("lsl from memory: %x zf %u\n", v, z);
    __asm__ volatile("verr %1\n\tsetz %0" : "=q"(z) : "m"(m) : "cc");
    rt_printf("verr from memory: zf %u\n", z);
    __asm__ volatile("verw %1\n\tsetz %0" : "=q"(z) : "m"(m) : "cc");
    rt_printf("verw from memory: zf %u\n", z);
    /* only ZF changes: the other flags as they were */
    uint32_t fl;
    __asm__ volatile("pushl %[fi]\n\tpopfl\n\tverr %w[s]\n\tpushfl\n\tpopl %[f]"
                     : [f] "=r"(fl)
                     : [fi] "r"(0x2 | FL_CF | FL_PF | FL_AF | FL_SF | FL_OF), [s] "r"(sel)
                     : "cc");
    rt_puts("flags after verr (ZF=1): ");
    rt_print_flags(fl, FL_ARITH);
    rt_putc('\n');
}

int main(void)
{
    static const char *const sys_names[16] = {
        "reserved 0", "tss16", "ldt", "tss16 busy", "call gate16", "task gate", "int gate16", "trap gate16",
        "reserved 8", "tss32", "reserved a", "tss32 busy", "call gate32", "reserved d", "int gate32", "trap gate32"};

    ldt[0] = desc(0, 0xffff, 0x92, 0x4);
    for (int t = 0; t < N_TYPES; t++)
        for (int d = 0; d < 4; d++) {
            int s = t < 16;
            uint8_t access = (uint8_t)(0x80 | d << 5 | (s ? 0x10 : 0) | (t & 15));
            ldt[FIRST + t * 4 + d] = desc(0x10000 * (uint32_t)t, 0x0abcd, access, s ? 0x5 : 0x1);
        }
    ldt[EXTRA + 0] = desc(0, 0x00012, 0xf3, 0xc); /* G=1: 0x12fff */
    ldt[EXTRA + 1] = desc(0, 0x0ffff, 0x73, 0x4); /* data, not present */
    ldt[EXTRA + 2] = desc(0, 0x0ffff, 0x7b, 0x4); /* code, not present */
    ldt[EXTRA + 3] = desc(0, 0x00fff, 0x69, 0x0); /* tss32, not present */
    rt_gdt_set(LDT_SEL / 8, (uint32_t)ldt, sizeof ldt - 1, 0x82, 0x0);
    __asm__ volatile("lldt %w0" : : "r"(LDT_SEL) : "memory");

    for (int i = 0; i < LDT_N; i++)
        for (uint32_t r = 0; r < 4; r++)
            test_sel(i, (int)r, r);
    rt_user_call(at_cpl3);

    rt_puts("zf per c0r0 c0r1 c0r2 c0r3 c3r0 c3r3\n");
    char name[40];
    for (int t = 0; t < N_TYPES; t++)
        for (int d = 0; d < 4; d++) {
            const char *tn = t < 16 ? (t & 8 ? "code" : "data") : sys_names[t - 16];
            int n = 0;
            for (const char *p = tn; *p; p++)
                name[n++] = *p;
            if (t < 16) {
                name[n++] = ' ';
                name[n++] = "0123456789abcdef"[t & 15];
            }
            name[n++] = ' ';
            name[n++] = 'd';
            name[n++] = (char)('0' + d);
            name[n] = 0;
            show(FIRST + t * 4 + d, name);
        }
    show(EXTRA + 0, "data G=1");
    show(EXTRA + 1, "data P=0");
    show(EXTRA + 2, "code P=0");
    show(EXTRA + 3, "tss32 P=0");
    show(0, "ldt entry 0");

    for (uint32_t s = 0; s < 4; s++)
        show_one("null selector", s);
    show_one("past the gdt limit", RT_GDT_ENTRIES * 8);
    show_one("past the ldt limit", LDT_N * 8 + 4);
    show_one("gdt flat code", SEL_CODE32);
    show_one("gdt ldt descriptor", LDT_SEL);
    __asm__ volatile("lldt %w0" : : "r"(0) : "memory");
    show_one("null ldtr, ldt entry 0", 4);
    __asm__ volatile("lldt %w0" : : "r"(LDT_SEL) : "memory");
    show_one("ldt reloaded, entry 0", 4);

    operand_forms();
    arpl_tests();
    rt_puts("seltest done\n");
    return 0;
}
