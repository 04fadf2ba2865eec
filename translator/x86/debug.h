/*
 * debug.h - the CPU's debug facility: a small per-CPU list of instruction
 * breakpoints (linear addresses) that translation checks, and a list of
 * watchpoints (linear ranges with a kind) whose pages the soft TLB sends
 * to its slow path (TLB_WATCH). Each entry names its owner: the guest's
 * own debug registers (DR0-DR3 as DR7 enables them, synced by
 * debug_sync_dr7) or an external debugger (a gdb stub), so that one never
 * removes the other's. With both lists empty nothing is checked anywhere.
 *
 * The architectural side (SDM 3A 17.2-17.3): DR6 status bits, #DB as a
 * fault before an instruction breakpoint (honouring EFLAGS.RF) and as a
 * trap after a data or I/O breakpoint and after a single step (TF).
 */
#ifndef TRANSLATOR_X86_DEBUG_H
#define TRANSLATOR_X86_DEBUG_H

#include <stdbool.h>
#include <stdint.h>

#include "base/addr.h"

struct cpu;

/* Who set a breakpoint or watchpoint. */
enum debug_owner {
    DEBUG_OWNER_GUEST = 1,    /* DR0-DR3 + DR7 */
    DEBUG_OWNER_EXTERNAL = 2, /* a debugger outside the guest */
};

/* Watchpoint kinds (bits). */
#define WATCH_READ 1u
#define WATCH_WRITE 2u
#define WATCH_IO 4u /* port range instead of linear addresses (CR4.DE) */

#define DEBUG_MAX_BREAKPOINTS 8
#define DEBUG_MAX_WATCHPOINTS 8

struct debug_breakpoint {
    vaddr addr;
    int owner; /* enum debug_owner */
    int index; /* guest: the DRn number it came from */
};

struct debug_watchpoint {
    vaddr addr, len;
    unsigned kind; /* WATCH_* */
    int owner;
    int index;
};

/* DR6 bits (SDM 3A 17.2.3) and DR7 fields (17.2.4). */
#define DR6_B(n) (1u << (n))
#define DR6_BD 0x2000u /* general detect: a MOV DR while DR7.GD */
#define DR6_BS 0x4000u /* single step */
#define DR6_BT 0x8000u /* task switch with the T bit */
#define DR6_FIXED 0xffff0ff0u
#define DR7_GD 0x2000u
#define DR7_FIXED 0x00000400u
static inline bool dr7_enabled(uint32_t dr7, int n)
{
    return (dr7 >> (n * 2)) & 3; /* Ln or Gn */
}
static inline unsigned dr7_rw(uint32_t dr7, int n)
{
    return (dr7 >> (16 + n * 4)) & 3; /* 00 exec, 01 write, 10 I/O, 11 rw */
}
static inline unsigned dr7_len(uint32_t dr7, int n)
{
    static const unsigned len[4] = { 1, 2, 8, 4 }; /* LEN 00 01 10 11 */
    return len[(dr7 >> (18 + n * 4)) & 3];
}

/* Per-CPU state, embedded in struct cpu. */
struct cpu_debug {
    struct debug_breakpoint bp[DEBUG_MAX_BREAKPOINTS];
    int n_bp;
    struct debug_watchpoint wp[DEBUG_MAX_WATCHPOINTS];
    int n_wp;
    int n_io; /* of which WATCH_IO */
    /* A data/I/O hit re-runs its instruction alone (replay); the hits of
     * that run become a trap-class #DB after it. */
    bool replay;
    uint32_t trap_dr6; /* DR6 B0-B3 hit by the replayed instruction */
    bool stopped;      /* an external breakpoint/watchpoint stopped it */
    vaddr stop_addr;
    unsigned stop_kind; /* 0: a breakpoint; else the WATCH_* of the access */
};

/* The generic API (a gdb stub uses it with DEBUG_OWNER_EXTERNAL). Insert
 * returns false when the list is full. A change invalidates the blocks
 * that hold the address (breakpoints) or the TLB (watchpoints). */
bool cpu_breakpoint_insert(struct cpu *cpu, vaddr addr, int owner, int index);
void cpu_breakpoint_remove_all(struct cpu *cpu, int owner);
bool cpu_breakpoint_remove(struct cpu *cpu, vaddr addr, int owner);
bool cpu_watchpoint_insert(struct cpu *cpu, vaddr addr, vaddr len,
                           unsigned kind, int owner, int index);
void cpu_watchpoint_remove_all(struct cpu *cpu, int owner);
bool cpu_watchpoint_remove(struct cpu *cpu, vaddr addr, vaddr len, int owner);

/* Translation: is there a breakpoint at linear address addr? */
bool debug_breakpoint_at(const struct cpu *cpu, vaddr addr);
/* DR0-DR3/DR7 changed: rebuild the guest-owned entries. */
void debug_sync_dr7(struct cpu *cpu);
/* The x86 hooks in the soft MMU (paging.c calls it at init). */
void debug_mmu_init(struct cpu *cpu);
/* IN/OUT/INS/OUTS: an I/O breakpoint on port..port+size-1? (helpers, ra
 * as for raise_exception; may leave to replay the instruction). */
void debug_check_io(struct cpu *cpu, uint32_t port, unsigned size,
                    uintptr_t ra);
/* The CPU loop, after a block ran (`single_step`: it was translated
 * with TF): raise the trap-class #DB the block earned, if any. */
void debug_after_block(struct cpu *cpu, bool single_step);
/* The CPU loop, when a block was left by an exception: a pending replay
 * is over. */
void debug_cancel(struct cpu *cpu);

#endif
