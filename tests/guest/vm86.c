/* vm86: virtual-8086 mode under a ring-0 monitor, and the TSS I/O
 * permission bitmap (SDM 3A 20.2-20.3, SDM 1 19.5, SDM 2 INT n, IRET,
 * IN, OUT, INS, OUTS, CLI, STI, PUSHF, POPF).
 *
 * The monitor is this program at ring 0: a 32-bit TSS (ring-0 stack and
 * an I/O bitmap) and IDT gates to ring-0 handlers, which print every event
 * and skip the instruction that caused a #GP.  vm86.asm enters the
 * sessions by IRET (VM set in the popped EFLAGS) and runs their code.
 *
 * - I/O in virtual-8086 mode is checked against the bitmap only, whatever
 *   IOPL: allowed and denied ports, accesses whose ports lie in two bitmap
 *   bytes, INS and OUTS (REP too);
 * - with IOPL < 3, CLI STI PUSHF POPF INT n IRET are #GP(0) to the
 *   monitor; INT3 and INTO are not IOPL-sensitive and reach their gates
 *   (DPL 3); a #DE is delivered to ring 0 with the virtual-8086 segment
 *   registers saved on the ring-0 stack and the data segment registers
 *   null on entry (SDM 3A 20.3.1.1);
 * - with IOPL 3 they run: PUSHFD's image (VM and RF clear), POPFD that
 *   cannot change IOPL, INT n through a 32-bit interrupt gate to a ring-0
 *   handler whose IRET returns to virtual-8086 mode, a 16-bit IRET; a gate
 *   of DPL 0 is #GP(vector*8+2), a gate to a code segment of DPL 3 or 1
 *   is #GP(selector);
 * - the bitmap's end: the limit of the TSS, which must hold the byte after
 *   the port's byte too (the processor reads two), and a bitmap base
 *   beyond the limit;
 * - CPL 3 protected mode: CPL > IOPL consults the bitmap (IOPL 0 and 1),
 *   IOPL 3 does not; the same ring-3 code runs with IOPL 3 first and
 *   IOPL 0 afterwards, so a translation made for one must not serve the
 *   other;
 * - ring 0 is never checked: this program prints on COM1 (port 0x3f8,
 *   denied by the bitmap) throughout.
 *
 * Where QEMU's TCG departs from the SDM (vm86.qemu-expected): INT 43h, a
 * gate of DPL 3 to a non-conforming code segment of DPL 1. SDM 2, INT n
 * (TRAP-OR-INTERRUPT-GATE): with VM = 1 and a code segment of DPL < CPL,
 * "IF new code-segment DPL != 0 THEN #GP(error_code(new code-segment
 * selector,0,EXT))", before the TSS is read for a stack. QEMU has no such
 * check and reads SS1 from the TSS for the ring-1 stack; it is null here,
 * so QEMU raises #TS(0) instead of #GP(0060h).
 */
#include "rt/rt.h"

#define FL_IOPL3 0x3000u
#define FL_NT 0x4000u
#define FL_RF 0x10000u
#define FL_VM 0x20000u

#define V86_TSS 0x48      /* GDT entry 9 */
#define SEL_CODE3 0x50    /* entry 10: flat code, DPL 3 */
#define SEL_DATA3 0x58    /* entry 11: flat data, DPL 3 */
#define SEL_CODE1 0x60    /* entry 12: flat code, DPL 1 */

#define TSS_ADDR 0x300000u
#define MAP_OFF 0x68u     /* I/O map base, just after the 104-byte TSS */
#define MAP_BYTES 8192u   /* 65536 ports, then a byte of ones */
#define TSS_LIMIT (MAP_OFF + MAP_BYTES)

#define V86_BASE 0x10000u /* CS 0x1000 */
#define V86_DS 0x20000u
#define V86_ES 0x21000u

void vm86_run(uint32_t ip, uint32_t eflags);
void ring3_run(void (*fn)(void), uint32_t eflags);
void session_end(void);
void r3_io(void);
extern uint8_t r3_res[4];
extern uint8_t v86_start[], v86_end[], v86_io[], v86_sens0[], v86_sens3[], v86_in_a1[];
extern uint32_t rt_isr_entries[256];

static uint8_t ring0_stack[8192] __attribute__((aligned(16)));
static uint32_t session_origin; /* linear address where the session began */

static uint8_t *tss(void)
{
    return (uint8_t *)TSS_ADDR;
}

static void wr16(uint32_t a, uint16_t v)
{
    *(volatile uint16_t *)a = v;
}

static void wr32(uint32_t a, uint32_t v)
{
    *(volatile uint32_t *)a = v;
}

/* (Re)load TR with the TSS descriptor of the given limit: the descriptor
 * is made available (type 9) again, LTR marks it busy (SDM 3A 7.2.4). */
static void load_tss(uint32_t limit)
{
    rt_gdt_set(V86_TSS >> 3, TSS_ADDR, limit, 0x89, 0x0);
    __asm__ volatile("ltr %w0" : : "r"(V86_TSS) : "memory");
}

static void port_allow(uint16_t port)
{
    tss()[MAP_OFF + port / 8] &= (uint8_t)~(1u << (port & 7));
}

/* An IDT gate: access = P DPL 0 type (0xee: 32-bit interrupt gate, DPL 3). */
static void set_gate(int vec, uint16_t sel, uint8_t access)
{
    struct __attribute__((packed)) {
        uint16_t limit;
        uint32_t base;
    } idtr;
    __asm__ volatile("sidt %0" : "=m"(idtr));
    uint32_t off = rt_isr_entries[vec];
    uint32_t g = idtr.base + (uint32_t)vec * 8;
    wr32(g, (off & 0xffff) | (uint32_t)sel << 16);
    wr32(g + 4, (off & 0xffff0000u) | (uint32_t)access << 8);
}

/* The instruction at the frame's CS:EIP (virtual-8086 or flat ring 3). */
static const uint8_t *frame_code(const struct rt_frame *f)
{
    if (f->eflags & FL_VM)
        return (const uint8_t *)((f->cs & 0xffff) * 16 + (f->eip & 0xffff));
    return (const uint8_t *)f->eip;
}

/* Length of the few instructions the sessions fault on. */
static uint32_t insn_len(const uint8_t *p)
{
    uint32_t n = 0;
    while (p[n] == 0x66 || p[n] == 0x67 || p[n] == 0xf3)
        n++;
    switch (p[n]) {
    case 0xcd: case 0xe4: case 0xe5: case 0xe6: case 0xe7: case 0xf6:
        return n + 2;
    default:
        return n + 1;
    }
}

/* The virtual-8086 part of a ring-0 frame: ESP SS ES DS FS GS above
 * EFLAGS (SDM 3A Figure 20-2); and the data segment registers at entry,
 * which the processor loaded with null. */
static void print_v86_frame(const struct rt_frame *f)
{
    const uint32_t *x = &f->eflags + 1;
    uint16_t ss;
    __asm__ volatile("movw %%ss, %0" : "=r"(ss));
    rt_printf("    frame: cs %x eflags.vm %u sp %x ss %x es %x ds %x fs %x gs %x\n", f->cs & 0xffff,
              (f->eflags & FL_VM) ? 1 : 0, x[0] & 0xffff, x[1] & 0xffff, x[2] & 0xffff, x[3] & 0xffff,
              x[4] & 0xffff, x[5] & 0xffff);
    rt_printf("    at entry: ds %x es %x fs %x gs %x, ss %x, on the TSS stack: %s\n", f->ds & 0xffff,
              f->es & 0xffff, f->fs & 0xffff, f->gs & 0xffff, ss,
              (uint32_t)f >= (uint32_t)ring0_stack && (uint32_t)f < (uint32_t)ring0_stack + sizeof ring0_stack
                  ? "yes"
                  : "no");
}

static void print_event(const char *what, const struct rt_frame *f, const uint8_t *p, uint32_t len)
{
    uint32_t lin = (f->eflags & FL_VM) ? (f->cs & 0xffff) * 16 + (f->eip & 0xffff) : f->eip;
    rt_printf("  %s at +%x:", what, lin - session_origin);
    for (uint32_t i = 0; i < len; i++)
        rt_printf(" %02x", p[i]);
    rt_putc('\n');
}

/* #GP, and #TS where QEMU raises it (see the top): print the event with
 * its error code and skip the instruction; HLT ends the session. */
static void on_gp(struct rt_frame *f)
{
    if (!(f->eflags & FL_VM) && (f->cs & 3) != 3) {
        rt_printf("#%u at ring 0: err %x eip %x\n", f->vec, f->err, f->eip);
        rt_exit(3);
    }
    const uint8_t *p = frame_code(f);
    if (p[0] == 0xf4) {
        /* HLT ends the session: IRET to session_end at ring 0. */
        f->eip = (uint32_t)session_end;
        f->cs = SEL_CODE32;
        f->eflags = 0x2;
        f->ds = f->es = f->fs = f->gs = SEL_DATA32;
        return;
    }
    uint32_t len = insn_len(p);
    char what[12] = "#GP(0000)";
    if (f->vec == 10)
        what[1] = 'T', what[2] = 'S';
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 4; i++)
        what[4 + i] = hex[(f->err >> (12 - 4 * i)) & 0xf];
    print_event(what, f, p, len);
    f->eip += len;
}

static int frames_shown;

/* INT3, INTO and INT 40h (traps: EIP is after the instruction), #DE (a
 * fault: skip the DIV). */
static void on_trap(struct rt_frame *f)
{
    static const char *const names[] = {[0] = "#DE", [3] = "#BP", [4] = "#OF"};
    const char *name = f->vec < 5 ? names[f->vec] : "INT 40h";
    const uint8_t *p = frame_code(f);
    if (f->vec == 0) {
        print_event(name, f, p, 2);
        f->eip += 2;
    } else {
        rt_printf("  %s, returns to +%x\n", name,
                  ((f->cs & 0xffff) * 16 + (f->eip & 0xffff)) - session_origin);
    }
    if (f->vec == 0 || f->vec == 0x40 || !frames_shown++)
        print_v86_frame(f);
    if (f->vec == 0x40)
        f->eax = (f->eax & 0xffff0000u) | 0x4040;
}

static void v86(uint8_t *entry, uint32_t iopl)
{
    uint32_t ip = (uint32_t)(entry - v86_start);
    session_origin = V86_BASE + ip;
    vm86_run(ip, FL_VM | iopl | 0x2);
}

static void ring3(const char *title, uint32_t iopl)
{
    rt_printf("%s\n", title);
    session_origin = (uint32_t)r3_io;
    memset(r3_res, 0, sizeof r3_res);
    ring3_run(r3_io, iopl | 0x2);
    rt_printf("  in al, 21h gave %x; insb stored %x %x\n", r3_res[0], r3_res[1], r3_res[2]);
}

static uint8_t rd8(uint32_t a)
{
    return *(volatile uint8_t *)a;
}

static uint16_t rd16(uint32_t a)
{
    return *(volatile uint16_t *)a;
}

static uint32_t rd32(uint32_t a)
{
    return *(volatile uint32_t *)a;
}

static void print_fl(const char *name, uint32_t fl)
{
    rt_printf(" %s %x (iopl %u if %u vm %u rf %u)", name, fl, (fl >> 12) & 3, (fl & FL_IF) ? 1 : 0,
              (fl & FL_VM) ? 1 : 0, (fl & FL_RF) ? 1 : 0);
}

int main(void)
{
    /* Ring-3 and ring-1 code and data; the TSS with every port denied but
     * 0x87 0x88 0x8f 0xa1. */
    rt_gdt_set(SEL_CODE3 >> 3, 0, 0xfffff, 0xfa, 0xc);
    rt_gdt_set(SEL_DATA3 >> 3, 0, 0xfffff, 0xf2, 0xc);
    rt_gdt_set(SEL_CODE1 >> 3, 0, 0xfffff, 0xba, 0xc);
    memset(tss(), 0, MAP_OFF);
    memset(tss() + MAP_OFF, 0xff, MAP_BYTES + 1);
    wr32(TSS_ADDR + 4, (uint32_t)ring0_stack + sizeof ring0_stack); /* ESP0 */
    wr32(TSS_ADDR + 8, SEL_DATA32);                                  /* SS0 */
    wr16(TSS_ADDR + 0x66, MAP_OFF);
    port_allow(0x87);
    port_allow(0x88);
    port_allow(0x8f);
    port_allow(0xa1);
    rt_gdt_reload();
    load_tss(TSS_LIMIT);

    rt_set_handler(13, on_gp);
    rt_set_handler(10, on_gp);
    rt_set_handler(0, on_trap);
    rt_set_handler(3, on_trap);
    rt_set_handler(4, on_trap);
    rt_set_handler(0x40, on_trap);
    set_gate(3, SEL_CODE32, 0xee);
    set_gate(4, SEL_CODE32, 0xee);
    set_gate(0x40, SEL_CODE32, 0xee);
    set_gate(0x42, SEL_CODE3, 0xee);
    set_gate(0x43, SEL_CODE1, 0xee);

    memcpy((void *)V86_BASE, v86_start, (size_t)(v86_end - v86_start));
    memset((void *)V86_DS, 0, 0x100);
    memset((void *)V86_ES, 0, 0x100);
    wr16(V86_DS + 0x20, 0x5aa5); /* what OUTSB sends */

    for (uint32_t iopl = 0; iopl <= FL_IOPL3; iopl += FL_IOPL3) {
        rt_printf("== v86 I/O, IOPL %u\n", iopl >> 12);
        v86(v86_io, iopl);
        rt_printf("  in al, a1h: %x, in al, dx: %x, insb: %x %x, rep outsb left cx %x\n", rd8(V86_DS),
                  rd8(V86_DS + 1), rd8(V86_ES), rd8(V86_ES + 1), rd16(V86_DS + 2));
        memset((void *)V86_DS, 0, 0x10);
        memset((void *)V86_ES, 0, 0x10);
    }

    rt_printf("== v86 IOPL-sensitive instructions, IOPL 0\n");
    v86(v86_sens0, 0);
    rt_printf("== v86 IOPL-sensitive instructions, IOPL 3\n");
    v86(v86_sens3, FL_IOPL3);
    rt_printf(" ");
    print_fl("after cli", rd32(V86_DS + 4));
    rt_printf("\n ");
    print_fl("after sti", rd32(V86_DS + 8));
    rt_printf("\n ");
    print_fl("after popfd 46h", rd32(V86_DS + 0xc));
    rt_printf("\n  int 40h returned ax %x, es %x ds %x fs %x gs %x; iret ran: %u\n", rd16(V86_DS + 0x10),
              rd16(V86_DS + 0x12), rd16(V86_DS + 0x14), rd16(V86_DS + 0x16), rd16(V86_DS + 0x18),
              rd8(V86_DS + 0x1a));

    /* Port 0xa1 is in map byte 0x14 (TSS offset 0x7c); the processor
     * reads that byte and the next (0x7d). */
    rt_printf("== bitmap end: in al, a1h with the TSS limit at\n");
    static const uint32_t limits[] = {TSS_LIMIT, MAP_OFF + 0x15, MAP_OFF + 0x14, MAP_OFF + 0x13};
    for (unsigned i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        load_tss(limits[i]);
        rt_printf("limit %x\n", limits[i]);
        v86(v86_in_a1, 0);
    }
    load_tss(TSS_LIMIT);
    wr16(TSS_ADDR + 0x66, TSS_LIMIT + 1);
    rt_printf("map base %x beyond the limit\n", TSS_LIMIT + 1);
    v86(v86_in_a1, FL_IOPL3);
    wr16(TSS_ADDR + 0x66, MAP_OFF);

    /* The same ring-3 code at IOPL 3 (no bitmap), 0 and 1 (bitmap). */
    ring3("== ring 3, IOPL 3", FL_IOPL3);
    ring3("== ring 3, IOPL 0", 0);
    ring3("== ring 3, IOPL 1", 0x1000);
    ring3("== ring 3, IOPL 3 again", FL_IOPL3);

    rt_puts("vm86 done\n");
    return 0;
}
