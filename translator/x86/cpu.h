/*
 * cpu.h - all guest-visible state of one x86 CPU, and the entry points that
 * raise guest exceptions.
 *
 * Generated code and the interpreter reach this struct through one pinned
 * pointer ("env"). Every field that IR ops name as a global is a uint64_t
 * cell: an IR op of 32-bit type writes its result zero-extended to 64 bits,
 * so a cell is read and written by value and the layout is the same on
 * little- and big-endian hosts.
 */
#ifndef TRANSLATOR_CPU_H
#define TRANSLATOR_CPU_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/addr.h"
#include "softmmu/memory.h"
#include "softmmu/tlb.h"
#include "translator/x86/debug.h"
#include "translator/x86/fpu.h"

#define CPU_NB_REGS 16
enum { R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI };
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_COUNT };

/* EFLAGS (SDM 1, 3.4.3) */
#define EFLAGS_CF 0x00000001u
#define EFLAGS_FIXED 0x00000002u /* bit 1 reads as 1 */
#define EFLAGS_PF 0x00000004u
#define EFLAGS_AF 0x00000010u
#define EFLAGS_ZF 0x00000040u
#define EFLAGS_SF 0x00000080u
#define EFLAGS_TF 0x00000100u
#define EFLAGS_IF 0x00000200u
#define EFLAGS_DF 0x00000400u
#define EFLAGS_OF 0x00000800u
#define EFLAGS_IOPL 0x00003000u
#define EFLAGS_NT 0x00004000u
#define EFLAGS_RF 0x00010000u
#define EFLAGS_VM 0x00020000u
#define EFLAGS_AC 0x00040000u
#define EFLAGS_VIF 0x00080000u
#define EFLAGS_VIP 0x00100000u
#define EFLAGS_ID 0x00200000u
/* The six flags kept lazily in cc_op/cc_dst/cc_src/cc_src2. */
#define EFLAGS_ARITH                                                           \
    (EFLAGS_CF | EFLAGS_PF | EFLAGS_AF | EFLAGS_ZF | EFLAGS_SF | EFLAGS_OF)

/* CR0 (SDM 3A, 2.5) */
#define CR0_PE 0x00000001u
#define CR0_MP 0x00000002u
#define CR0_EM 0x00000004u
#define CR0_TS 0x00000008u
#define CR0_ET 0x00000010u
#define CR0_NE 0x00000020u
#define CR0_WP 0x00010000u
#define CR0_AM 0x00040000u
#define CR0_NW 0x20000000u
#define CR0_CD 0x40000000u
#define CR0_PG 0x80000000u

/* CR4 (SDM 3A, 2.5) */
#define CR4_VME 0x001u
#define CR4_PVI 0x002u
#define CR4_TSD 0x004u
#define CR4_DE 0x008u
#define CR4_PSE 0x010u
#define CR4_PAE 0x020u
#define CR4_PGE 0x080u
#define CR4_PCE 0x100u

/* IA32_EFER (SDM 3A 2.2.1): of its bits a 32-bit CPU has only NXE. */
#define MSR_IA32_EFER 0xc0000080u
#define EFER_NXE 0x800u
/* CR4 bits the x87 model reads. */
#define CR4_OSFXSR 0x00000200u /* FXSAVE/FXRSTOR save MXCSR (SSE) */

/* Exception vectors (SDM 3A, 6.15) */
enum {
    EXCP_DE = 0, EXCP_DB = 1, EXCP_NMI = 2, EXCP_BP = 3, EXCP_OF = 4,
    EXCP_BR = 5, EXCP_UD = 6, EXCP_NM = 7, EXCP_DF = 8, EXCP_TS = 10,
    EXCP_NP = 11, EXCP_SS = 12, EXCP_GP = 13, EXCP_PF = 14, EXCP_MF = 16,
    EXCP_AC = 17, EXCP_MC = 18, EXCP_XM = 19,
};

/*
 * A segment register with its hidden descriptor cache (SDM 3A, 3.4.3).
 * attr holds descriptor bits 40..55 shifted down by 40:
 *
 *   15 14 13 12 | 11 10 9 8 | 7 | 6 5 | 4 | 3 2 1 0
 *    G  DB  L AVL| limit19:16| P | DPL | S | type
 *
 * (bits 11..8 are left zero: limit is kept expanded in `limit`).
 */
struct segment {
    vaddr base;     /* linear; a 32-bit guest's has bits 63:32 clear */
    uint32_t limit; /* expanded byte limit */
    uint16_t sel;
    uint16_t attr;
};
#define SEG_ATTR_TYPE(a) ((a) & 0xf)
#define SEG_ATTR_S 0x0010u
#define SEG_ATTR_DPL(a) (((a) >> 5) & 3)
#define SEG_ATTR_P 0x0080u
#define SEG_ATTR_DB 0x4000u
#define SEG_ATTR_G 0x8000u

/* Access kinds of cpu->seg_lo / seg_hi. */
enum { SEG_ACC_READ, SEG_ACC_WRITE };

struct dtable {
    vaddr base;
    uint32_t limit;
};

/*
 * The model-specific registers that hold state (translator/x86/msr.c;
 * SDM 4, chapter 2, and SDM 3A 11.11, 11.12, 10.4.4). The MTRRs and the
 * PAT are stored and checked but change nothing: jet86 models no caches,
 * so every memory type behaves as write-back RAM or as the device it maps.
 */
struct cpu_msrs {
    uint64_t apic_base;      /* IA32_APIC_BASE: base, enable, BSP */
    uint32_t sysenter_cs;    /* IA32_SYSENTER_CS: the ring-0 CS selector */
    uint32_t sysenter_esp;   /* IA32_SYSENTER_ESP, _EIP: the ring-0 entry */
    uint32_t sysenter_eip;
    uint64_t mtrr_var[16];   /* IA32_MTRR_PHYSBASE0, _PHYSMASK0, ... 7 */
    uint64_t mtrr_fixed[11]; /* FIX64K_00000, FIX16K_80000/A0000, FIX4K_* */
    uint64_t mtrr_def_type;  /* IA32_MTRR_DEF_TYPE */
    uint64_t pat;            /* IA32_PAT */
};

/*
 * hflags: the parts of the CPU mode that translated code depends on. They
 * are part of a block's key (with pc and cs_base); anything that changes
 * them (far jumps, mode switches, segment loads) ends the block and calls
 * cpu_update_hflags().
 */
#define HF_CPL_MASK 0x0003u
#define HF_CS32 0x0004u   /* CS.D: default operand and address size 32 */
#define HF_SS32 0x0008u   /* SS.B: stack pointer is ESP (else SP) */
#define HF_PE 0x0010u     /* CR0.PE */
#define HF_ADDSEG 0x0020u /* some of DS, ES, SS has a non-zero base */
#define HF_VM 0x0040u     /* virtual-8086 mode */
#define HF_PG 0x0080u     /* CR0.PG: a direct jump to another page looks
                             the block up again (translate.c) */
#define HF_TF 0x4000u     /* EFLAGS.TF: one instruction a block, #DB after */
#define HF_AC 0x8000u     /* CR0.AM, EFLAGS.AC and CPL 3: check alignment */
#define HF_RF 0x40000u    /* EFLAGS.RF with breakpoints set: the first
                             instruction skips its breakpoint check */
/* EFLAGS.IOPL in protected mode (0 in real mode): whether IN/OUT/INS/OUTS
 * need the TSS I/O permission bitmap check (CPL > IOPL, SDM 1 19.5.1) and
 * whether INT n in virtual-8086 mode is #GP(0) (IOPL < 3, SDM 3A 20.2.7)
 * is decided when the block is translated. IOPL changes only through
 * POPF, IRET and task switches, which end their block. */
#define HF_IOPL_SHIFT 16
#define HF_IOPL_MASK (3u << HF_IOPL_SHIFT)
/* HF_SEGCHK(seg): accesses through seg need limit and type checks (SDM 3A
 * 5.3, 5.4). Clear for a "flat" segment, whose offsets 0..4 GiB-1 are all
 * valid for reads and writes (for CS in protected mode: for reads; stores
 * through CS fault whatever the limit), so translated code checks nothing
 * there. For CS it also means instruction fetch and branch targets are
 * checked against CS.limit. Recomputed with the ranges below on every
 * segment load and mode change (cpu_update_hflags). */
#define HF_SEGCHK_SHIFT 8
#define HF_SEGCHK(seg) (1u << (HF_SEGCHK_SHIFT + (seg)))
#define HF_SEGCHK_ALL (0x3fu << HF_SEGCHK_SHIFT)

/* cpu->interrupt_request bits */
#define CPU_INTERRUPT_HARD 0x1 /* the PIC's INTR line is high */
#define CPU_INTERRUPT_NMI 0x2  /* an NMI is pending (cpu_nmi) */

/* cpu->inhibit_irq */
#define INHIBIT_STI 1
#define INHIBIT_MOV_SS 2

#define JMP_CACHE_BITS 12
#define JMP_CACHE_SIZE (1u << JMP_CACHE_BITS)
/* Bits of cpu->jc_pages, indexed by a linear page number's low bits. */
#define JC_PAGE_BITS 16

struct tb;
struct jit;
struct vclock;

/* One jump-cache entry: the key of the block (linear pc, cs_base, hflags)
 * beside the block and its code, so that a backend probing it inline
 * loads the code pointer from the entry itself. flags == JC_EMPTY: none
 * (hflags never has every bit set). See tb.h jc_set / jc_clear_all. */
struct jmp_cache_entry {
    vaddr pc;
    uint32_t cs_base, flags;
    struct tb *tb;
    const void *code;
};
#define JC_EMPTY 0xffffffffu

/*
 * An external debugger (the gdb stub, frontend/gdbstub.c) attached to a
 * CPU. The CPU loop calls stop() on an instruction boundary, with the
 * guest state precise, when one of the debugger's breakpoints or
 * watchpoints is reached (translator/x86/debug.h, DEBUG_OWNER_EXTERNAL),
 * after a single step, or when stop_request is set (the debugger's
 * interrupt); stop() returns when the debugger lets the CPU go on
 * (single-stepping or not). Without a debugger nothing of this costs
 * anything: the loop tests one pointer.
 */
struct cpu;
enum cpu_debug_event {
    CPU_DEBUG_START,      /* before the first instruction (-S) */
    CPU_DEBUG_INTERRUPT,  /* stop_request (gdb's Ctrl-C) */
    CPU_DEBUG_STEP,       /* one instruction done */
    CPU_DEBUG_BREAKPOINT, /* at a debugger breakpoint, not yet executed */
    CPU_DEBUG_WATCHPOINT, /* after an access to a debugger watchpoint
                             (debug.stop_addr, debug.stop_kind) */
};
struct cpu_debugger {
    void (*stop)(void *opaque, struct cpu *cpu, enum cpu_debug_event ev);
    void *opaque;
    bool singlestep;              /* run one instruction, then stop() */
    volatile bool stop_request;   /* stop() at the next boundary */
    bool pending;                 /* the loop is to report pending_event */
    enum cpu_debug_event pending_event;
};

struct cpu {
    /* --- IR globals: uint64_t cells (see top of file) --- */
    uint64_t regs[CPU_NB_REGS];
    uint64_t eip;
    /* Lazy flags (translator/flags.h): the arithmetic flags are a function
     * of (cc_op, cc_dst, cc_src, cc_src2). */
    uint64_t cc_dst, cc_src, cc_src2;
    uint64_t cc_op;

    /* EFLAGS without the six arithmetic flags (bit 1 set). Read the whole
     * register with cpu_get_eflags(), write it with cpu_set_eflags(). */
    uint32_t eflags;
    uint32_t hflags;

    struct segment seg[SEG_COUNT];
    /* The offsets [seg_lo, seg_hi] an access may touch, per kind
     * (SEG_ACC_READ, SEG_ACC_WRITE) and segment, derived from the cached
     * descriptor by cpu_update_hflags: expand-up [0, limit], expand-down
     * (limit, 0xffff or 0xffffffff by the B bit); empty (lo 1, hi 0) for a
     * null or unusable segment and for an access its type forbids. An
     * access of n bytes at offset o is valid when lo <= o and o + n - 1 <=
     * hi (computed without wrapping). */
    uint32_t seg_lo[2][SEG_COUNT], seg_hi[2][SEG_COUNT];
    struct segment ldt, tr;
    struct dtable gdt, idt;
    uint64_t cr[5];
    uint32_t dr[8];
    hwaddr a20_mask;        /* all ones, or bit 20 clear */
    uint64_t tsc_offset;    /* TSC = virtual clock cycles + offset */
    /* Interrupt shadow: INHIBIT_STI after STI, INHIBIT_MOV_SS after MOV SS
     * / POP SS, which also holds off #DB (SDM 3A 6.8.3); 0 outside. */
    int inhibit_irq;
    bool nmi_blocked;       /* from NMI delivery until the next IRET */
    /* Delivering a fault-class exception: the pushed EFLAGS has RF set
     * (SDM 3A 17.3.1.1). Set and cleared by the CPU loop. */
    bool excp_push_rf;
    struct cpu_debug debug; /* breakpoints, watchpoints (debug.h) */
    struct x87_state fpu;   /* the x87 (translator/x86/fpu.h) */

    /* --- execution control --- */
    volatile int exit_request;  /* break chains at the next block entry */
    volatile int stop_request;  /* the board wants cpu_exec() to return */
    int interrupt_request;      /* CPU_INTERRUPT_* */
    int halted;
    /* Deterministic mode (-icount): instructions executed so far (a
     * running block counted in full from its entry: cpu_io_begin), and
     * how many may run before the next timer deadline. Blocks are entered
     * only while icount_budget >= the block's instruction count. */
    int64_t icount_budget;
    uint64_t icount;
    bool icount_mode;
    int64_t first_exec_ns; /* host_clock_ns() when a guest block first ran */

    /* Exception being delivered (set by raise_exception*, consumed by the
     * CPU loop). */
    int exception_index;  /* -1 when none */
    int error_code;
    bool exception_has_error;
    int exception_is_int; /* software INT n: pushes next_eip */
    uint32_t exception_next_eip;
    int fault_depth;      /* for #DF / triple fault */

    sigjmp_buf jmp_env;   /* the one way out of guest code */
    struct tb *current_tb;
    uintptr_t interp_pc;  /* interp backend: position of the current op */
    /* interp backend: this CPU's frame of block temps, grown by exec to
     * the largest block its engine has translated */
    uint64_t *interp_frame;
    size_t interp_frame_slots;
    uint32_t next_tb_cflags; /* e.g. one-instruction block after SMC */

    /* indexed by tb_jmp_cache_hash(linear pc) */
    struct jmp_cache_entry jmp_cache[JMP_CACHE_SIZE];
    /* A set bit: a block put in jmp_cache since its last full clear may
     * have a byte on a linear page of this index (tb.h jc_set). A clear
     * bit lets INVLPG of such a page skip scanning jmp_cache (tb.c). */
    uint64_t jc_pages[(1u << JC_PAGE_BITS) / 64];
    /* TLB, memory map (mmu.mem: board wiring) and the hooks of the page
     * walk (translator/x86/paging.c) and the block cache (tb.c). */
    struct soft_mmu mmu;

    /* Board wiring (set by frontend/machine.c). */
    struct jit *jit; /* the translation engine it runs on (tb.h) */
    struct io_map *io;
    struct vclock *clock;
    /* Acknowledge the pending hardware interrupt: returns its vector. */
    int (*intr_ack)(void *opaque);
    void *intr_opaque;
    /* Called on a triple fault or a reset request: the board decides
     * (reset, or stop with -no-reboot). */
    void (*on_shutdown)(void *opaque, const char *why);
    void *shutdown_opaque;
    /* An external debugger, when one is attached (above). */
    struct cpu_debugger dbg;

    /* Paging state only the page walk reads (after everything generated
     * code reaches, so as not to move it). */
    uint64_t efer;          /* IA32_EFER */
    uint64_t pdpte[4];      /* PAE's PDPTE registers (SDM 3A 4.4.1) */

    /* Model-specific registers (msr.c): at the end, away from the fields
     * translated code reaches. */
    struct cpu_msrs msr;
    /* The x87's FERR# output (CR0.NE = 0): on a PC, IRQ 13 through a latch
     * that a write to port F0h clears (the board calls
     * cpu_fpu_set_ignne then). NULL: not wired. */
    void (*ferr)(void *opaque, int level);
    void *ferr_opaque;
    /* The local APIC: told of every write of IA32_APIC_BASE (msr.c), so
     * that it maps, moves or unmaps its registers. NULL: no APIC. */
    void (*apic_base_changed)(void *opaque, uint64_t value);
    void *apic_opaque;
};

/* Offsets of IR globals, for the translator and backends. */
#define CPU_OFF(field) ((int)offsetof(struct cpu, field))
/* The low 32 bits of a 64-bit field, on this host's byte order (what a
 * 32-bit IR load of a 64-bit field reads). */
#define CPU_OFF_LO32(field) (CPU_OFF(field) + (HOST_BIG_ENDIAN ? 4 : 0))
#define CPU_OFF_REG(i) ((int)(offsetof(struct cpu, regs) + (i) * sizeof(uint64_t)))

/* The processor signature (CPUID leaf 1 EAX, and EDX after reset; SDM 2,
 * CPUID): family 6, model 6, stepping 5, a real P6 part (the Celeron of
 * the Mendocino core, stepping mB0). */
#define CPU_SIGNATURE 0x00000665u

/* translator/cpu.c */
void cpu_init(struct cpu *cpu);
void cpu_reset(struct cpu *cpu);     /* power-on state: real mode at F000:FFF0 */
void cpu_update_hflags(struct cpu *cpu);
uint32_t cpu_get_eflags(struct cpu *cpu);  /* materializes the lazy flags */
/* Writes EFLAGS bits in mask (arith bits go to cc_src with CC_OP_EFLAGS). */
void cpu_set_eflags(struct cpu *cpu, uint32_t value, uint32_t mask);
/* Board side: level of the INTR pin (from the PIC). */
void cpu_set_intr(struct cpu *cpu, int level);
/* Board side: raise the NMI (edge). Delivered through vector 2 at the next
 * instruction boundary, then held off until the next IRET (SDM 3A 6.7.1). */
void cpu_nmi(struct cpu *cpu);
void cpu_dump_state(struct cpu *cpu, FILE *f);
/* Load a segment register in real/VM86 mode (base = sel << 4). */
void cpu_load_seg_real(struct cpu *cpu, int seg, uint16_t sel);
/* Board side: the IGNNE# input (PC: a write to port F0h asserts it until
 * the FPU's error is cleared): a waiting x87 instruction then goes on
 * despite a pending error (translator/x86/helper_fpu_env.c). */
void cpu_fpu_set_ignne(struct cpu *cpu, bool level);

/* translator/x86/msr.c: the MSRs' power-on values (SDM 3A table 9-1). */
void cpu_msr_reset(struct cpu *cpu);

/* Whether size bytes at offset off of segment seg may be accessed (kind
 * SEG_ACC_READ or SEG_ACC_WRITE), by the ranges cpu_update_hflags set. */
static inline bool cpu_seg_ok(const struct cpu *cpu, int seg, int kind,
                              uint32_t off, unsigned size)
{
    return off >= cpu->seg_lo[kind][seg] &&
           (uint64_t)off + size - 1 <= cpu->seg_hi[kind][seg];
}
/* Raise the fault of a failed segment check: #SS(0) through SS, else
 * #GP(0) (SDM 3A 6.15, interrupts 12 and 13). */
_Noreturn void cpu_seg_fault(struct cpu *cpu, int seg, uintptr_t ra);

/* translator/excp.c: raise a guest exception. ra is the host return
 * address of the calling helper (GETPC()), or 0 when the guest state is
 * already precise. These restore the state of the faulting instruction and
 * longjmp to the CPU loop, which delivers it through the IDT. */
#define GETPC() ((uintptr_t)__builtin_return_address(0))
_Noreturn void raise_exception(struct cpu *cpu, int vec, uintptr_t ra);
_Noreturn void raise_exception_err(struct cpu *cpu, int vec, int err,
                                   uintptr_t ra);
/* Software INT n / INT3 / INTO: next_eip is pushed as the return address. */
_Noreturn void raise_interrupt(struct cpu *cpu, int vec, uint32_t next_eip,
                               uintptr_t ra);
/* Leave the current block after the current instruction completes (state
 * already precise): back to the CPU loop. */
_Noreturn void cpu_loop_exit(struct cpu *cpu);
/* Restore the guest state of the instruction executing at host address ra
 * (interp: cpu->interp_pc). No-op when ra is not inside translated code. */
void cpu_restore_state(struct cpu *cpu, uintptr_t ra);
/*
 * Exact time under -icount. A block is charged all its instructions at
 * entry, so while it runs cpu->icount (the virtual clock) is ahead of the
 * instruction executing. Whatever reads the clock from inside a block (a
 * TSC read, a port or MMIO access that reaches a device) is bracketed:
 *
 *     int64_t ahead = cpu_io_begin(cpu, ra);
 *     ... the device or the TSC reads vclock_now() ...
 *     cpu_io_end(cpu, ahead);
 *
 * cpu_io_begin finds the instruction at host address ra (interp:
 * cpu->interp_pc) through the block's side table, as cpu_restore_state
 * does, and takes back that instruction and those after it, so the clock
 * reads the time at the instruction's start: the instructions before it,
 * in this block and all before. It changes nothing else, costs nothing
 * outside -icount, and nothing on the code translated; nothing between the
 * two calls may leave the helper (raise, cpu_loop_exit).
 */
int64_t cpu_io_begin(struct cpu *cpu, uintptr_t ra);
static inline void cpu_io_end(struct cpu *cpu, int64_t ahead)
{
    cpu->icount += (uint64_t)ahead;
}

/* translator/x86/debug_mem.c: guest memory as a debugger sees it. */
/* The physical address of a linear one through the guest's page tables
 * as they are (no accessed/dirty bits written, no fault): false when not
 * mapped. */
bool cpu_debug_phys_addr(struct cpu *cpu, uint64_t lin, uint64_t *paddr);
/* Read or write len bytes of guest linear memory through the page tables;
 * false when a page is not mapped (nothing past it is done). Writes
 * invalidate translated code as guest stores do. */
bool cpu_debug_memory_rw(struct cpu *cpu, uint64_t lin, void *buf,
                         size_t len, bool write);
/* The linear address of the next instruction: CS base + EIP. */
uint64_t cpu_debug_pc(const struct cpu *cpu);

/* translator/cpu_loop.c: run until the board stops the machine. */
int cpu_exec(struct cpu *cpu);

#endif
