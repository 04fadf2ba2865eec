/* exceptions: delivery through 32-bit interrupt and trap gates of our IDT
 * and IRET back: #DE, #UD, #GP from a bad segment load (error code),
 * INT n with vectors 0x40 and 0xff, INT3 (a trap: EIP after the CC byte),
 * INTO with OF=1 and OF=0, BOUND inside and outside the bounds, IF cleared
 * by an interrupt gate and kept by a trap gate, EFLAGS and registers
 * restored by IRET, a handler that changes the saved EAX, an exception
 * raised inside a handler (nested delivery), INT n through a not-present
 * gate (#NP) and past the IDT limit (#GP), with IDT-format error codes.
 * SDM 3A 6.12 and 6.15. */
#include "rt/rt.h"

static volatile uint32_t seen_vec, seen_err, seen_eip, seen_if, seen_count, skip;

static volatile uint32_t nested_ud, nested_depth;

static void handler(struct rt_frame *f);

/* INT 0x43: raises #UD inside the handler; the #UD is delivered on top of
 * this frame and returns into it. */
static void handler43(struct rt_frame *f)
{
    (void)f;
    nested_depth = 1;
    skip = 2;
    __asm__ volatile("ud2" ::: "memory");
    skip = 0;
    nested_depth = 0;
}

static void handler(struct rt_frame *f)
{
    if (f->vec == 6 && nested_depth)
        nested_ud++;
    uint32_t fl = rt_eflags();
    seen_vec = f->vec;
    seen_err = f->err;
    seen_eip = f->eip;
    seen_if = (fl >> 9) & 1;
    seen_count++;
    f->eip += skip;
    if (f->vec == 0x41)
        f->eax = 0xc0ffee;
}

#define REPORT(what, expect_label)                                                              \
    rt_printf("%s: vector %u err %x eip %s if-in-handler %u\n", what, seen_vec, seen_err,         \
              seen_eip == (uint32_t)(expect_label) ? "ok" : "WRONG", seen_if)

extern char l_de[], l_ud[], l_gp[], l_int40[], l_int3_after[], l_into[], l_bound[], l_intff[], l_np[], l_lim[];
static int32_t bounds[2] = {10, 20};

int main(void)
{
    for (int v = 0; v < 256; v++)
        rt_set_handler(v, handler);
    rt_set_handler(0x20, 0); /* nothing should arrive from the PIC */

    uint32_t a = 1, d = 0, c = 0;
    skip = 2;
    __asm__ volatile("l_de: divl %2" : "+a"(a), "+d"(d) : "r"(c) : "memory");
    REPORT("#DE", l_de);
    __asm__ volatile("l_ud: ud2" ::: "memory");
    REPORT("#UD", l_ud);
    skip = 2;
    __asm__ volatile("movw $0x1234, %%ax\n\tl_gp: movw %%ax, %%ds" ::: "eax", "memory");
    REPORT("#GP", l_gp);

    /* INT n is a trap-like event: EIP saved is after the instruction */
    skip = 0;
    __asm__ volatile("int $0x40\n\tl_int40:" ::: "memory");
    REPORT("int 0x40", l_int40);
    __asm__ volatile("int $0xff\n\tl_intff:" ::: "memory");
    REPORT("int 0xff", l_intff);
    __asm__ volatile("int3\n\tl_int3_after:" ::: "memory");
    REPORT("int3", l_int3_after);

    /* INTO raises #OF (4) only when OF=1 */
    seen_count = 0;
    __asm__ volatile("movl $0x7fffffff, %%eax\n\tincl %%eax\n\tinto\n\tl_into:" ::: "eax", "cc", "memory");
    REPORT("into OF=1", l_into);
    __asm__ volatile("xorl %%eax, %%eax\n\tinto" ::: "eax", "cc", "memory");
    rt_printf("into OF=0: handler calls %u (1 expected)\n", seen_count);

    /* BOUND: #BR (5) is a fault: EIP at the BOUND; skip its 6 bytes */
    seen_count = 0;
    int32_t idx = 15;
    __asm__ volatile("boundl %0, %1" : : "r"(idx), "m"(bounds) : "memory");
    rt_printf("bound inside: handler calls %u\n", seen_count);
    idx = 21;
    skip = 6;
    __asm__ volatile("l_bound: boundl %%eax, bounds" : : "a"(idx) : "memory");
    REPORT("bound outside", l_bound);
    skip = 0;

    /* interrupt gate clears IF, trap gate keeps it; IRET restores IF */
    rt_sti();
    __asm__ volatile("int $0x40" ::: "memory");
    rt_printf("interrupt gate: IF in handler %u, after iret %u\n", seen_if, (rt_eflags() >> 9) & 1);
    rt_set_gate(0x40, 1);
    __asm__ volatile("int $0x40" ::: "memory");
    rt_printf("trap gate: IF in handler %u, after iret %u\n", seen_if, (rt_eflags() >> 9) & 1);
    rt_cli();

    /* IRET restores the arithmetic flags and DF; the handler's EAX change shows */
    uint32_t f, r = 5;
    __asm__ volatile("pushl $0x4d7\n\tpopfl\n\tint $0x41\n\tpushfl\n\tpopl %0\n\tcld"
                     : "=r"(f), "+a"(r) : : "cc", "memory");
    rt_printf("int 0x41: eax set by handler %x, flags after iret ", r);
    rt_print_flags(f, FL_ARITH);
    rt_printf(" df=%u\n", (f >> 10) & 1);

    /* registers survive a round trip */
    uint32_t b = 0xb1, s = 0x51, di = 0xd1;
    c = 0xc1;
    d = 0xd2;
    __asm__ volatile("int $0x42" : "+b"(b), "+c"(c), "+d"(d), "+S"(s), "+D"(di) : : "memory");
    rt_printf("registers after int: %x %x %x %x %x\n", b, c, d, s, di);

    /* nested: an exception inside an interrupt handler */
    rt_set_handler(0x43, handler43);
    uint32_t esp0, esp1;
    __asm__ volatile("movl %%esp, %0\n\tint $0x43\n\tmovl %%esp, %1" : "=r"(esp0), "=r"(esp1) : : "memory");
    rt_printf("#UD inside the int 0x43 handler: %s, esp restored: %s\n", nested_ud == 1 ? "yes" : "no",
              esp0 == esp1 ? "yes" : "no");

    /* INT n to a not-present gate: #NP, error code = vector * 8 + 2 (IDT) */
    rt_set_gate_present(0x44, 0);
    skip = 2; /* a fault: EIP is the INT itself */
    __asm__ volatile("l_np: int $0x44" ::: "memory");
    rt_printf("int 0x44, gate not present: vector %u err %x eip %s\n", seen_vec, seen_err,
              seen_eip == (uint32_t)l_np ? "ok" : "WRONG");
    rt_set_gate_present(0x44, 1);

    /* INT n past the IDT limit: #GP(vector * 8 + 2) */
    rt_idt_limit(0x50 * 8 - 1);
    skip = 2;
    __asm__ volatile("l_lim: int $0x60" ::: "memory");
    rt_idt_limit(256 * 8 - 1);
    rt_printf("int 0x60 past the IDT limit: vector %u err %x eip %s\n", seen_vec, seen_err,
              seen_eip == (uint32_t)l_lim ? "ok" : "WRONG");
    skip = 0;
    rt_puts("exceptions done\n");
    return 0;
}
