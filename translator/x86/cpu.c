/*
 * cpu.c - the CPU state's life cycle: initialization, the power-on reset
 * state, the derived hflags, whole-EFLAGS access over the lazy flags, real
 * mode segment loads, the INTR pin, the register dump, and the key by
 * which the block cache finds the next block.
 */
#include "translator/x86/cpu.h"

#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "translator/x86/cpu_access.h"
#include "translator/x86/flags.h"
#include "translator/tb.h"

void cpu_init(struct cpu *cpu)
{
    /* Keep the board wiring, the engine and the block cache's hooks if
     * they were set before us. */
    struct jit *jit = cpu->jit;
    struct memory_map *mem = cpu->mmu.mem;
    void (*code_write)(void *, hwaddr, unsigned, uintptr_t) =
        cpu->mmu.code_write;
    void (*flushed)(void *, vaddr, uint64_t) = cpu->mmu.flushed;
    struct io_map *io = cpu->io;
    struct vclock *clock = cpu->clock;
    int (*intr_ack)(void *) = cpu->intr_ack;
    void *intr_opaque = cpu->intr_opaque;
    void (*on_shutdown)(void *, const char *) = cpu->on_shutdown;
    void *shutdown_opaque = cpu->shutdown_opaque;
    void (*ferr)(void *, int) = cpu->ferr;
    void *ferr_opaque = cpu->ferr_opaque;
    void (*apic_base_changed)(void *, uint64_t) = cpu->apic_base_changed;
    void *apic_opaque = cpu->apic_opaque;
    struct cpu_debugger dbg = cpu->dbg; /* a debugger stays attached */

    memset(cpu, 0, sizeof(*cpu));
    cpu->dbg = dbg;
    cpu->dbg.pending = false;
    cpu->jit = jit;
    cpu->mmu.mem = mem;
    cpu->mmu.code_write = code_write;
    cpu->mmu.flushed = flushed;
    cpu_mmu_init(cpu);
    debug_mmu_init(cpu);
    cpu->io = io;
    cpu->clock = clock;
    cpu->intr_ack = intr_ack;
    cpu->intr_opaque = intr_opaque;
    cpu->on_shutdown = on_shutdown;
    cpu->shutdown_opaque = shutdown_opaque;
    cpu->ferr = ferr;
    cpu->ferr_opaque = ferr_opaque;
    cpu->apic_base_changed = apic_base_changed;
    cpu->apic_opaque = apic_opaque;
    cpu->exception_index = -1;
    cpu->a20_mask = ~(hwaddr)0;
    cpu->eflags = EFLAGS_FIXED;
    cpu->cc_op = CC_OP_EFLAGS;
}

/* SDM 3A 9.1.1, table 9-1: processor state after power-up or RESET. */
void cpu_reset(struct cpu *cpu)
{
    memset(cpu->regs, 0, sizeof(cpu->regs));
    /* EDX holds the processor signature, as CPUID leaf 1 reports it. */
    cpu->regs[R_EDX] = CPU_SIGNATURE;
    cpu->eip = 0xfff0;
    cpu->cc_op = CC_OP_EFLAGS;
    cpu->cc_src = 0;
    cpu->cc_dst = 0;
    cpu->cc_src2 = 0;
    cpu->eflags = EFLAGS_FIXED;

    for (int i = 0; i < SEG_COUNT; i++) {
        cpu->seg[i].sel = 0;
        cpu->seg[i].base = 0;
        cpu->seg[i].limit = 0xffff;
        /* present, read/write data, accessed */
        cpu->seg[i].attr = SEG_ATTR_P | SEG_ATTR_S | 0x3;
    }
    cpu->seg[SEG_CS].sel = 0xf000;
    cpu->seg[SEG_CS].base = 0xffff0000u;
    /* present, execute/read code, accessed */
    cpu->seg[SEG_CS].attr = SEG_ATTR_P | SEG_ATTR_S | 0xb;

    cpu->ldt = (struct segment){ .base = 0, .limit = 0xffff, .sel = 0,
                                 .attr = SEG_ATTR_P | 0x2 };
    cpu->tr = (struct segment){ .base = 0, .limit = 0xffff, .sel = 0,
                                .attr = SEG_ATTR_P | 0x3 };
    cpu->gdt = (struct dtable){ .base = 0, .limit = 0xffff };
    cpu->idt = (struct dtable){ .base = 0, .limit = 0xffff };

    memset(cpu->cr, 0, sizeof(cpu->cr));
    cpu->cr[0] = CR0_CD | CR0_NW | CR0_ET;
    cpu->efer = 0;
    memset(cpu->pdpte, 0, sizeof(cpu->pdpte));
    memset(cpu->dr, 0, sizeof(cpu->dr));
    cpu->dr[6] = 0xffff0ff0u;
    cpu->dr[7] = 0x00000400u;

    cpu->a20_mask = ~(hwaddr)0;
    cpu->tsc_offset = 0;
    cpu_msr_reset(cpu);
    fpu_reset(&cpu->fpu);
    cpu->inhibit_irq = 0;
    cpu->nmi_blocked = false;
    cpu->excp_push_rf = false;
    cpu_breakpoint_remove_all(cpu, DEBUG_OWNER_GUEST);
    cpu_watchpoint_remove_all(cpu, DEBUG_OWNER_GUEST);
    cpu->debug.replay = false;
    cpu->debug.trap_dr6 = 0;
    cpu->halted = 0;
    cpu->interrupt_request &= ~CPU_INTERRUPT_NMI;
    cpu->exception_index = -1;
    cpu->error_code = 0;
    cpu->exception_has_error = false;
    cpu->exception_is_int = 0;
    cpu->fault_depth = 0;
    cpu->current_tb = NULL;
    cpu->next_tb_cflags = 0;
    jc_clear_all(cpu);

    cpu_update_hflags(cpu);
    cpu_tlb_flush(cpu);
}

/* The valid offsets of segment i for one access kind. */
struct seg_range {
    uint32_t lo, hi;
};
static const struct seg_range SEG_EMPTY = { 1, 0 };
static const struct seg_range SEG_FULL = { 0, 0xffffffffu };

/* Offsets inside the limit (SDM 3A 3.4.5.1, 5.3): [0, limit] expanding
 * up; expanding down, above the limit up to 0xffff (B = 0) or 0xffffffff
 * (B = 1). */
static struct seg_range seg_limit_range(const struct segment *s)
{
    uint32_t type = SEG_ATTR_TYPE(s->attr);
    bool expdown = (s->attr & SEG_ATTR_S) && !(type & 0x8) && (type & 0x4);
    if (!expdown)
        return (struct seg_range){ 0, s->limit };
    uint32_t top = (s->attr & SEG_ATTR_DB) ? 0xffffffffu : 0xffffu;
    if (s->limit >= top)
        return SEG_EMPTY;
    return (struct seg_range){ s->limit + 1, top };
}

/* Sets cpu->seg_lo/seg_hi of segment i and says whether it is flat (see
 * HF_SEGCHK). Real and virtual-8086 mode check the limit only; protected
 * mode also the type (SDM 3A 5.4: no writes to code or read-only data, no
 * reads of execute-only code) and the null or not-present cache that a
 * null selector load leaves (SDM 3A 5.4.1: using it is #GP(0)). */
static bool seg_update_ranges(struct cpu *cpu, int i, bool prot)
{
    const struct segment *s = &cpu->seg[i];
    struct seg_range rd = seg_limit_range(s), wr = rd;
    if (prot) {
        uint32_t type = SEG_ATTR_TYPE(s->attr);
        if (!(s->attr & SEG_ATTR_P) || !(s->attr & SEG_ATTR_S)) {
            rd = wr = SEG_EMPTY;
        } else if (type & 0x8) {
            wr = SEG_EMPTY;
            if (!(type & 0x2))
                rd = SEG_EMPTY;
        } else if (!(type & 0x2)) {
            wr = SEG_EMPTY;
        }
    }
    cpu->seg_lo[SEG_ACC_READ][i] = rd.lo;
    cpu->seg_hi[SEG_ACC_READ][i] = rd.hi;
    cpu->seg_lo[SEG_ACC_WRITE][i] = wr.lo;
    cpu->seg_hi[SEG_ACC_WRITE][i] = wr.hi;
    bool rd_full = rd.lo == SEG_FULL.lo && rd.hi == SEG_FULL.hi;
    bool wr_full = wr.lo == SEG_FULL.lo && wr.hi == SEG_FULL.hi;
    /* Stores through CS in protected mode fault without a check
     * (gen_check_mem_write): its reads decide. */
    return rd_full && (wr_full || (prot && i == SEG_CS));
}

_Noreturn void cpu_seg_fault(struct cpu *cpu, int seg, uintptr_t ra)
{
    raise_exception_err(cpu, seg == SEG_SS ? EXCP_SS : EXCP_GP, 0, ra);
}

void cpu_update_hflags(struct cpu *cpu)
{
    uint32_t hf = 0;
    bool pe = (cpu->cr[0] & CR0_PE) != 0;
    bool vm = pe && (cpu->eflags & EFLAGS_VM) != 0;

    if (pe) {
        hf |= HF_PE;
        /* SDM 3A 5.5: the CPL is the RPL of CS (3 in virtual-8086 mode). */
        hf |= vm ? 3 : (cpu->seg[SEG_CS].sel & HF_CPL_MASK);
        hf |= ((cpu->eflags & EFLAGS_IOPL) >> 12) << HF_IOPL_SHIFT;
    }
    if (vm)
        hf |= HF_VM;
    if (!vm && (cpu->seg[SEG_CS].attr & SEG_ATTR_DB))
        hf |= HF_CS32;
    if (!vm && (cpu->seg[SEG_SS].attr & SEG_ATTR_DB))
        hf |= HF_SS32;
    /* Real and virtual-8086 mode always add the base; protected mode only
     * when one of the "flat" segments is not. */
    if (cpu->cr[0] & CR0_PG)
        hf |= HF_PG;
    if (!pe || vm || cpu->seg[SEG_DS].base || cpu->seg[SEG_ES].base ||
        cpu->seg[SEG_SS].base)
        hf |= HF_ADDSEG;
    /* SDM 3A 17.3.1.4: a single step after each instruction. */
    if (cpu->eflags & EFLAGS_TF)
        hf |= HF_TF;
    /* SDM 3A 6.15, interrupt 17: alignment checks at CPL 3 only. */
    if ((cpu->cr[0] & CR0_AM) && (cpu->eflags & EFLAGS_AC) &&
        (hf & HF_CPL_MASK) == 3)
        hf |= HF_AC;
    /* RF matters only to instruction breakpoints: without any, the CPU
     * loop clears it before the next block (cpu_loop.c). */
    if ((cpu->eflags & EFLAGS_RF) && cpu->debug.n_bp)
        hf |= HF_RF;
    for (int i = 0; i < SEG_COUNT; i++)
        if (!seg_update_ranges(cpu, i, pe && !vm))
            hf |= HF_SEGCHK(i);
    cpu->hflags = hf;
}

uint32_t cpu_get_eflags(struct cpu *cpu)
{
    uint32_t op = (uint32_t)cpu->cc_op;
    return (cpu->eflags & ~EFLAGS_ARITH) | EFLAGS_FIXED |
           cc_compute_all(op, (uint32_t)cpu->cc_dst, (uint32_t)cpu->cc_src,
                          (uint32_t)cpu->cc_src2);
}

/* Bits software can never set: reserved bits, and VIF/VIP/AC/ID are kept
 * as written (a 486+ lets software toggle AC and ID). */
#define EFLAGS_WRITABLE                                                        \
    (EFLAGS_ARITH | EFLAGS_TF | EFLAGS_IF | EFLAGS_DF | EFLAGS_IOPL |          \
     EFLAGS_NT | EFLAGS_RF | EFLAGS_VM | EFLAGS_AC | EFLAGS_VIF |              \
     EFLAGS_VIP | EFLAGS_ID)

/* The key of the next block (translator/tb.h): the linear pc CS.base +
 * EIP, CS.base and hflags, which hold every mode bit a translation
 * depends on. EIP is 64 bits wide: its low half. */
const struct tb_guest_key tb_guest_key = {
    .base_off = CPU_OFF_LO32(seg[SEG_CS].base),
    .pc_off = CPU_OFF_LO32(eip),
    .flags_off = offsetof(struct cpu, hflags),
};

void cpu_set_eflags(struct cpu *cpu, uint32_t value, uint32_t mask)
{
    uint32_t full = cpu_get_eflags(cpu);
    mask &= EFLAGS_WRITABLE;
    full = (full & ~mask) | (value & mask);
    cpu->cc_src = full & EFLAGS_ARITH;
    cpu->cc_dst = 0;
    cpu->cc_src2 = 0;
    cpu->cc_op = CC_OP_EFLAGS;
    const uint32_t modal =
        EFLAGS_VM | EFLAGS_TF | EFLAGS_AC | EFLAGS_RF | EFLAGS_IOPL;
    uint32_t old = cpu->eflags & modal;
    cpu->eflags = (full & ~EFLAGS_ARITH) | EFLAGS_FIXED;
    if ((cpu->eflags & modal) != old)
        cpu_update_hflags(cpu);
}

void cpu_load_seg_real(struct cpu *cpu, int seg, uint16_t sel)
{
    struct segment *s = &cpu->seg[seg];
    s->sel = sel;
    s->base = (uint32_t)sel << 4;
    if (cpu->eflags & EFLAGS_VM) {
        /* SDM 3A 20.1.1: in virtual-8086 mode every segment is a 64 KiB
         * read/write segment at privilege level 3. */
        s->limit = 0xffff;
        s->attr = SEG_ATTR_P | SEG_ATTR_S | (3 << 5) | 0x3 |
                  (seg == SEG_CS ? 0x8 : 0);
    }
    /* Real mode keeps the cached limit and attributes (so "unreal" mode
     * limits set in protected mode survive). */
    cpu_update_hflags(cpu);
}

void cpu_set_intr(struct cpu *cpu, int level)
{
    if (level) {
        cpu->interrupt_request |= CPU_INTERRUPT_HARD;
        cpu->exit_request = 1;
    } else {
        cpu->interrupt_request &= ~CPU_INTERRUPT_HARD;
    }
}

void cpu_nmi(struct cpu *cpu)
{
    cpu->interrupt_request |= CPU_INTERRUPT_NMI;
    cpu->exit_request = 1;
}

static void cpu_dump_seg(FILE *f, const char *name, const struct segment *s)
{
    fprintf(f, "%-3s=%04x %08" PRIx64 " %08x %04x\n", name, s->sel, s->base,
            s->limit, s->attr);
}

void cpu_dump_state(struct cpu *cpu, FILE *f)
{
    static const char *const seg_names[SEG_COUNT] = { "ES", "CS", "SS",
                                                      "DS", "FS", "GS" };
    uint32_t fl = cpu_get_eflags(cpu);

    fprintf(f, "EAX=%08x EBX=%08x ECX=%08x EDX=%08x\n",
            (uint32_t)cpu->regs[R_EAX], (uint32_t)cpu->regs[R_EBX],
            (uint32_t)cpu->regs[R_ECX], (uint32_t)cpu->regs[R_EDX]);
    fprintf(f, "ESI=%08x EDI=%08x EBP=%08x ESP=%08x\n",
            (uint32_t)cpu->regs[R_ESI], (uint32_t)cpu->regs[R_EDI],
            (uint32_t)cpu->regs[R_EBP], (uint32_t)cpu->regs[R_ESP]);
    fprintf(f, "EIP=%08x EFL=%08x [%c%c%c%c%c%c%c] CPL=%u II=%d HLT=%d\n",
            (uint32_t)cpu->eip, fl, fl & EFLAGS_DF ? 'D' : '-',
            fl & EFLAGS_OF ? 'O' : '-', fl & EFLAGS_SF ? 'S' : '-',
            fl & EFLAGS_ZF ? 'Z' : '-', fl & EFLAGS_AF ? 'A' : '-',
            fl & EFLAGS_PF ? 'P' : '-', fl & EFLAGS_CF ? 'C' : '-',
            cpu->hflags & HF_CPL_MASK, cpu->inhibit_irq, cpu->halted);
    for (int i = 0; i < SEG_COUNT; i++)
        cpu_dump_seg(f, seg_names[i], &cpu->seg[i]);
    cpu_dump_seg(f, "LDT", &cpu->ldt);
    cpu_dump_seg(f, "TR", &cpu->tr);
    fprintf(f, "GDT=     %08" PRIx64 " %08x\n", cpu->gdt.base, cpu->gdt.limit);
    fprintf(f, "IDT=     %08" PRIx64 " %08x\n", cpu->idt.base, cpu->idt.limit);
    fprintf(f,
            "CR0=%08" PRIx64 " CR2=%08" PRIx64 " CR3=%08" PRIx64
            " CR4=%08" PRIx64 "\n",
            cpu->cr[0], cpu->cr[2], cpu->cr[3], cpu->cr[4]);
    fprintf(f, "DR6=%08x DR7=%08x EFER=%016" PRIx64 "\n", cpu->dr[6],
            cpu->dr[7], cpu->efer);
    if (cpu->cr[4] & CR4_PAE)
        fprintf(f,
                "PDPTE0=%016" PRIx64 " PDPTE1=%016" PRIx64
                " PDPTE2=%016" PRIx64 " PDPTE3=%016" PRIx64 "\n",
                cpu->pdpte[0], cpu->pdpte[1], cpu->pdpte[2], cpu->pdpte[3]);
    fprintf(f, "CCS=%08x CCD=%08x CCS2=%08x CCO=%u\n", (uint32_t)cpu->cc_src,
            (uint32_t)cpu->cc_dst, (uint32_t)cpu->cc_src2,
            (uint32_t)cpu->cc_op);
}
