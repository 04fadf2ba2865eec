/* debugregs: the debug exception #DB (SDM 3A 17.2-17.3). Single step with
 * EFLAGS.TF (a trap after each instruction that began with TF set, EIP of
 * the next one, DR6.BS), held one instruction more by MOV SS (SDM 3A
 * 6.8.3) but not by STI; an instruction breakpoint in DR0 (a fault: EIP on the
 * instruction, DR6.B0, RF pushed as it was, resumed by setting RF in the
 * saved EFLAGS); data breakpoints in DR1 (writes) and DR3 (reads and
 * writes, 2 bytes), traps after the access with DR6.B1/B3; general detect
 * (DR7.GD: a MOV DR faults with DR6.BD and the handler runs with GD
 * clear); DR4/DR5 as aliases of DR6/DR7, and #UD with CR4.DE, which
 * also enables I/O breakpoints (DR2 on port 0x80: a trap after the OUT,
 * DR6.B2); RF pushed set by a fault (#UD).
 *
 * QEMU's TCG departs from the SDM in three points, so this program has a
 * debugregs.qemu-expected: it takes no single-step trap after STI (SDM 3A
 * 6.8.3 names MOV SS and POP SS as the instructions that hold off debug
 * exceptions for one instruction; STI holds off maskable interrupts
 * only, SDM 2 STI); it pushes RF clear for #UD (SDM 3A 17.3.1.1:
 * "for any fault-class exception except a debug exception generated in
 * response to an instruction breakpoint, the value pushed for RF is 1"),
 * and it has no general detect (SDM 3A 17.2.4: with GD set, a MOV to or
 * from any debug register raises #DB with BD set, and the processor
 * clears GD on entry to the handler), so its MOV DR0 runs. */
#include "rt/rt.h"

#define FL_RF 0x10000u

static volatile uint32_t n_db, db_eip[8], db_dr6[8], db_dr7, db_rf, last_vec, last_rf;
static volatile uint32_t resume_rf; /* set RF in the saved EFLAGS */
static volatile uint32_t skip_len = 2; /* of a faulting instruction */

static inline uint32_t get_dr6(void) { uint32_t v; __asm__ volatile("mov %%dr6, %0" : "=r"(v)); return v; }
static inline uint32_t get_dr7(void) { uint32_t v; __asm__ volatile("mov %%dr7, %0" : "=r"(v)); return v; }
static inline void set_dr6(uint32_t v) { __asm__ volatile("mov %0, %%dr6" : : "r"(v)); }
static inline void set_dr7(uint32_t v) { __asm__ volatile("mov %0, %%dr7" : : "r"(v)); }

static void db_handler(struct rt_frame *f)
{
    if (n_db < 8) {
        db_eip[n_db] = f->eip;
        db_dr6[n_db] = get_dr6();
    }
    db_dr7 = get_dr7();
    db_rf = (f->eflags & FL_RF) != 0;
    n_db++;
    set_dr6(0xffff0ff0u);
    if (resume_rf)
        f->eflags |= FL_RF;
}

static void other_handler(struct rt_frame *f)
{
    last_vec = f->vec;
    last_rf = (f->eflags & FL_RF) != 0;
    f->eip += skip_len;
}

static void reset_db(void)
{
    n_db = 0;
    for (int i = 0; i < 8; i++)
        db_eip[i] = db_dr6[i] = 0;
}

#define EIP_IS(i, label) (db_eip[i] == (uint32_t)(label) ? "ok" : "WRONG")

extern char s1[], s2[], s3[], s4[], s5[], s6[], m1[], m2[], m3[], bpfn[], w1[], w2[], w3[], w4[], w5[], gd1[], io2[], t1[], t2[], t3[];
static volatile uint32_t wvar[4];

static void __attribute__((noinline, used)) bp_target(void)
{
    __asm__ volatile(".globl bpfn\nbpfn: nop" ::: "memory");
}

int main(void)
{
    for (int v = 0; v < 32; v++)
        rt_set_handler(v, other_handler);
    rt_set_handler(1, db_handler);

    rt_printf("DR6 %x DR7 %x at start\n", get_dr6(), get_dr7());

    /* Single step: POPF that sets TF does not trap, the instructions after
     * it do, and so does the POPF that clears TF. */
    reset_db();
    __asm__ volatile("pushfl\n\torl $0x100, (%%esp)\n\tpopfl\n"
                     "s1: nop\n"
                     "s2: movl $5, %%eax\n"
                     "s3: pushfl\n"
                     "s4: andl $~0x100, (%%esp)\n"
                     "s5: popfl\n"
                     "s6: nop\n"
                     ::: "eax", "cc", "memory");
    rt_printf("single step: %u traps, eips %s %s %s %s %s, DR6 %x\n", n_db, EIP_IS(0, s2), EIP_IS(1, s3),
              EIP_IS(2, s4), EIP_IS(3, s5), EIP_IS(4, s6), db_dr6[0]);

    /* MOV SS holds the single-step trap until after the next instruction. */
    reset_db();
    __asm__ volatile("movw %%ss, %%ax\n\t"
                     "pushfl\n\torl $0x100, (%%esp)\n\tpopfl\n"
                     "m1: movw %%ax, %%ss\n"
                     "m2: nop\n"
                     "m3: pushfl\n\tandl $~0x100, (%%esp)\n\tpopfl\n"
                     ::: "eax", "cc", "memory");
    rt_printf("mov ss: first trap eip %s (after the nop, none after mov ss), then %s, %u traps\n",
              EIP_IS(0, m3), n_db >= 2 && db_eip[1] == (uint32_t)m3 + 1 ? "ok" : "WRONG", n_db);

    /* STI holds off interrupts for one instruction, not the single step:
     * a trap after the STI and one after the instruction in its shadow. */
    reset_db();
    __asm__ volatile("pushfl\n\torl $0x100, (%%esp)\n\tpopfl\n"
                     "sti\n"
                     "t1: nop\n"
                     "t2: cli\n"
                     "t3: pushfl\n\tandl $~0x100, (%%esp)\n\tpopfl\n"
                     ::: "cc", "memory");
    rt_printf("sti: %u traps, at %s %s %s\n", n_db, EIP_IS(0, t1), EIP_IS(1, t2), EIP_IS(2, t3));
    for (unsigned i = 0; i < n_db && i < 8; i++)
        rt_printf("  %x\n", db_eip[i] - (uint32_t)t1);

    /* Instruction breakpoint in DR0: a fault before the instruction. */
    reset_db();
    resume_rf = 1;
    __asm__ volatile("mov %0, %%dr0" : : "r"(bpfn));
    set_dr7(0x00000401u); /* L0, R/W0 = 00 (execute), LEN0 = 00 */
    bp_target();
    rt_printf("instruction breakpoint: %u hit, eip %s, DR6 %x, RF pushed %u\n", n_db, EIP_IS(0, bpfn), db_dr6[0],
              db_rf);
    bp_target();
    rt_printf("again: %u hits\n", n_db);
    set_dr7(0x400);
    bp_target();
    rt_printf("disabled: %u hits\n", n_db);
    resume_rf = 0;

    /* Data breakpoints: DR1 on writes of 4 bytes, DR3 on reads and writes
     * of 2 bytes at wvar[2]+2: traps, EIP after the access. */
    reset_db();
    __asm__ volatile("mov %0, %%dr1" : : "r"(&wvar[0]));
    __asm__ volatile("mov %0, %%dr3" : : "r"((char *)&wvar[2] + 2));
    set_dr7(0x400 | (1u << 2) | (1u << 6) | (0xdu << 20) | (0x7u << 28));
    uint32_t tmp;
    __asm__ volatile("movl (%2), %0\n"            /* read of DR1's: nothing */
                     "w1: movl $7, (%2)\n"        /* write: trap */
                     "w2: movb $1, 3(%2)\n"       /* a byte of it: trap */
                     "w3: movl 8(%2), %1\n"       /* read of DR3's: trap */
                     "w4: nop\n"
                     "movb $2, 8(%2)\n"           /* outside DR3's bytes */
                     "w5: nop\n"
                     : "=&r"(tmp), "=&r"(tmp) : "r"(wvar) : "memory");
    rt_printf("data breakpoints: %u traps, eips %s %s %s, DR6 %x %x %x\n", n_db, EIP_IS(0, w2), EIP_IS(1, w3),
              EIP_IS(2, w4), db_dr6[0], db_dr6[1], db_dr6[2]);
    set_dr7(0x400);
    wvar[0] = 9;
    rt_printf("after disabling: %u traps, value %u\n", n_db, wvar[0]);

    /* DR4/DR5 alias DR6/DR7 while CR4.DE is clear. */
    uint32_t d4, d5;
    __asm__ volatile("mov %%dr4, %0\n\tmov %%dr5, %1" : "=r"(d4), "=r"(d5));
    rt_printf("DR4 %x DR5 %x\n", d4, d5);

    /* General detect: a MOV DR with DR7.GD faults before it runs. */
    reset_db();
    set_dr7(0x400 | 0x2000);
    uint32_t v0;
    __asm__ volatile("gd1: mov %%dr0, %0" : "=r"(v0));
    rt_printf("general detect: %u trap, eip %s, DR6 %x, DR7 in handler %x\n", n_db, EIP_IS(0, gd1), db_dr6[0],
              db_dr7);

    /* CR4.DE: an I/O breakpoint in DR2 (R/W2 = 10) traps after the OUT;
     * DR4 is no longer an alias: #UD. */
    reset_db();
    uint32_t cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | 8));
    __asm__ volatile("mov %0, %%dr2" : : "r"(0x80));
    set_dr7(0x400 | (1u << 4) | (0x2u << 24));
    __asm__ volatile("movb $0, %%al\n\t"
                     "outb %%al, $0x81\n"
                     "io1: outb %%al, $0x80\n"
                     "io2: nop" ::: "eax", "memory");
    set_dr7(0x400);
    rt_printf("I/O breakpoint: %u trap, eip %s, DR6 %x\n", n_db, EIP_IS(0, io2), db_dr6[0]);
    last_vec = 0;
    skip_len = 3;
    __asm__ volatile("mov %%dr4, %0" : "=r"(d4));
    skip_len = 2;
    rt_printf("DR4 with CR4.DE: vector %u\n", last_vec);
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4));

    /* A fault pushes RF set. */
    __asm__ volatile("ud2" ::: "memory");
    rt_printf("#UD: vector %u, RF pushed %u\n", last_vec, last_rf);

    rt_puts("debugregs done\n");
    return 0;
}
