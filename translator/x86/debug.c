/*
 * debug.c - breakpoints and watchpoints for the guest's debug registers
 * and for an external debugger (debug.h), and the debug exceptions they
 * raise (SDM 3A 17.2-17.3).
 *
 * Instruction breakpoints: translation asks debug_breakpoint_at() for
 * each instruction and emits a call to helper_debug_bp before one that
 * has a breakpoint; a change of the list invalidates the blocks holding
 * the address. The check is a fault: #DB with EIP on the instruction,
 * skipped for the first instruction after an IRET that set EFLAGS.RF
 * (blocks made with HF_RF).
 *
 * Watchpoints: their pages carry TLB_WATCH, so loads and stores there
 * reach debug_watch_access through the TLB slow path. A data breakpoint
 * is a trap, taken after the instruction; the access is seen before it
 * happens, so the hit re-runs its instruction alone in a one-shot block
 * ("replay") and the CPU loop raises #DB when that block is done.
 */
#include "translator/x86/debug.h"

#include <string.h>

#include "base/util.h"
#include "translator/tb.h"
#include "translator/x86/cpu.h"
#include "translator/x86/cpu_access.h"
#include "translator/x86/helpers.h"
#include "translator/x86/sys.h"

#define DEBUG_CR4_DE 0x008u /* CR4.DE (SDM 3A 2.5): I/O breakpoints */

/* ---- the lists ---- */

static void debug_bp_changed(struct cpu *cpu, vaddr addr)
{
    tb_invalidate_linear(cpu, addr);
    /* HF_RF depends on whether any breakpoint exists. */
    cpu_update_hflags(cpu);
}

bool cpu_breakpoint_insert(struct cpu *cpu, vaddr addr, int owner, int index)
{
    struct cpu_debug *d = &cpu->debug;
    if (d->n_bp == DEBUG_MAX_BREAKPOINTS)
        return false;
    d->bp[d->n_bp++] = (struct debug_breakpoint){ .addr = addr,
                                                  .owner = owner,
                                                  .index = index };
    debug_bp_changed(cpu, addr);
    return true;
}

static void debug_bp_delete(struct cpu *cpu, int i)
{
    struct cpu_debug *d = &cpu->debug;
    vaddr addr = d->bp[i].addr;
    d->bp[i] = d->bp[--d->n_bp];
    debug_bp_changed(cpu, addr);
}

bool cpu_breakpoint_remove(struct cpu *cpu, vaddr addr, int owner)
{
    struct cpu_debug *d = &cpu->debug;
    for (int i = 0; i < d->n_bp; i++) {
        if (d->bp[i].addr == addr && d->bp[i].owner == owner) {
            debug_bp_delete(cpu, i);
            return true;
        }
    }
    return false;
}

void cpu_breakpoint_remove_all(struct cpu *cpu, int owner)
{
    struct cpu_debug *d = &cpu->debug;
    for (int i = d->n_bp - 1; i >= 0; i--)
        if (d->bp[i].owner == owner)
            debug_bp_delete(cpu, i);
}

/* Watchpoints on memory force their pages to the TLB slow path: the
 * entries are refilled, and fills ask debug_watch_page. */
static void debug_wp_changed(struct cpu *cpu)
{
    struct cpu_debug *d = &cpu->debug;
    d->n_io = 0;
    for (int i = 0; i < d->n_wp; i++)
        if (d->wp[i].kind & WATCH_IO)
            d->n_io++;
    cpu->mmu.watching = d->n_wp > d->n_io;
    cpu_tlb_flush(cpu);
}

bool cpu_watchpoint_insert(struct cpu *cpu, vaddr addr, vaddr len,
                           unsigned kind, int owner, int index)
{
    struct cpu_debug *d = &cpu->debug;
    if (d->n_wp == DEBUG_MAX_WATCHPOINTS || len == 0)
        return false;
    d->wp[d->n_wp++] = (struct debug_watchpoint){
        .addr = addr, .len = len, .kind = kind, .owner = owner, .index = index
    };
    debug_wp_changed(cpu);
    return true;
}

bool cpu_watchpoint_remove(struct cpu *cpu, vaddr addr, vaddr len, int owner)
{
    struct cpu_debug *d = &cpu->debug;
    for (int i = 0; i < d->n_wp; i++) {
        if (d->wp[i].addr == addr && d->wp[i].len == len &&
            d->wp[i].owner == owner) {
            d->wp[i] = d->wp[--d->n_wp];
            debug_wp_changed(cpu);
            return true;
        }
    }
    return false;
}

void cpu_watchpoint_remove_all(struct cpu *cpu, int owner)
{
    struct cpu_debug *d = &cpu->debug;
    int n = 0;
    for (int i = 0; i < d->n_wp; i++)
        if (d->wp[i].owner != owner)
            d->wp[n++] = d->wp[i];
    if (n != d->n_wp) {
        d->n_wp = n;
        debug_wp_changed(cpu);
    }
}

bool debug_breakpoint_at(const struct cpu *cpu, vaddr addr)
{
    for (int i = 0; i < cpu->debug.n_bp; i++)
        if (cpu->debug.bp[i].addr == addr)
            return true;
    return false;
}

/* ---- DR0-DR3 and DR7 ---- */

/*
 * SDM 3A 17.2.4-17.2.5: breakpoint n is enabled by Ln or Gn; R/W 00 is an
 * instruction breakpoint (LEN must be 00), 01 data writes, 11 data reads
 * and writes, 10 I/O (with CR4.DE; undefined without). A data breakpoint
 * covers LEN bytes at DRn with its low bits ignored (it is aligned).
 */
void debug_sync_dr7(struct cpu *cpu)
{
    struct cpu_debug *d = &cpu->debug;
    uint32_t dr7 = cpu->dr[7];

    /* Instruction breakpoints: change only what differs, so a rewrite of
     * the same DR7 invalidates nothing. */
    for (int i = d->n_bp - 1; i >= 0; i--) {
        struct debug_breakpoint *b = &d->bp[i];
        if (b->owner != DEBUG_OWNER_GUEST)
            continue;
        int n = b->index;
        if (!dr7_enabled(dr7, n) || dr7_rw(dr7, n) != 0 ||
            cpu->dr[n] != (uint32_t)b->addr)
            debug_bp_delete(cpu, i);
    }
    for (int n = 0; n < 4; n++) {
        if (!dr7_enabled(dr7, n) || dr7_rw(dr7, n) != 0)
            continue;
        bool have = false;
        for (int i = 0; i < d->n_bp; i++)
            if (d->bp[i].owner == DEBUG_OWNER_GUEST && d->bp[i].index == n)
                have = true;
        if (!have)
            cpu_breakpoint_insert(cpu, cpu->dr[n], DEBUG_OWNER_GUEST, n);
    }

    /* Data and I/O breakpoints: rebuilt when they differ. */
    struct debug_watchpoint want[4];
    int nw = 0;
    for (int n = 0; n < 4; n++) {
        unsigned rw = dr7_rw(dr7, n);
        if (!dr7_enabled(dr7, n) || rw == 0)
            continue;
        if (rw == 2 && !(cpu->cr[4] & DEBUG_CR4_DE))
            continue;
        vaddr len = dr7_len(dr7, n);
        want[nw++] = (struct debug_watchpoint){
            .addr = cpu->dr[n] & ~(uint32_t)(len - 1),
            .len = len,
            .kind = rw == 1   ? WATCH_WRITE
                    : rw == 3 ? WATCH_READ | WATCH_WRITE
                              : WATCH_IO,
            .owner = DEBUG_OWNER_GUEST,
            .index = n,
        };
    }
    int have = 0;
    bool same = true;
    for (int i = 0; i < d->n_wp; i++) {
        if (d->wp[i].owner != DEBUG_OWNER_GUEST)
            continue;
        if (have >= nw || memcmp(&d->wp[i], &want[have], sizeof(want[0])))
            same = false;
        have++;
    }
    if (same && have == nw)
        return;
    int k = 0;
    for (int i = 0; i < d->n_wp; i++)
        if (d->wp[i].owner != DEBUG_OWNER_GUEST)
            d->wp[k++] = d->wp[i];
    for (int i = 0; i < nw && k < DEBUG_MAX_WATCHPOINTS; i++)
        d->wp[k++] = want[i];
    d->n_wp = k;
    debug_wp_changed(cpu);
}

/* ---- hits ---- */

/* The debug registers hit: B0-B3 replaced, the other status bits kept
 * (SDM 3A 17.2.3: the processor never clears them). */
static void debug_set_dr6(struct cpu *cpu, uint32_t hits, uint32_t more)
{
    uint32_t dr6 = cpu->dr[6];
    if (hits)
        dr6 = (dr6 & ~0xfu) | hits;
    cpu->dr[6] = dr6 | more | DR6_FIXED;
}

/* An external breakpoint or watchpoint stopped the CPU (debug.stopped):
 * the attached debugger hears of it at the next instruction boundary
 * (cpu_loop.c); with none attached, cpu_exec returns to its caller. */
static void debug_external_stop(struct cpu *cpu)
{
    if (cpu->dbg.stop)
        cpu->exit_request = 1;
    else
        cpu->stop_request = 1;
}

/* Before an instruction with a breakpoint (emitted by translate_block). */
void helper_debug_bp(struct cpu *cpu, uint32_t eip)
{
    uintptr_t ra = GETPC();
    vaddr lin = cpu_lin(cpu, cpu->seg[SEG_CS].base + eip);
    struct cpu_debug *d = &cpu->debug;
    uint32_t hits = 0;
    bool external = false;

    for (int i = 0; i < d->n_bp; i++) {
        if (d->bp[i].addr != lin)
            continue;
        if (d->bp[i].owner == DEBUG_OWNER_GUEST)
            hits |= DR6_B(d->bp[i].index);
        else
            external = true;
    }
    if (external) {
        /* Stop before the instruction; the debugger resumes past it. */
        cpu_restore_state(cpu, ra);
        d->stopped = true;
        d->stop_addr = lin;
        d->stop_kind = 0;
        debug_external_stop(cpu);
        cpu_loop_exit(cpu);
    }
    if (hits) {
        debug_set_dr6(cpu, hits, 0);
        raise_exception(cpu, EXCP_DB, ra);
    }
}

/* A data or I/O breakpoint was hit by the access about to happen. */
static void debug_data_hit(struct cpu *cpu, uint32_t hits, bool external,
                           vaddr addr, unsigned kind, uintptr_t ra)
{
    struct cpu_debug *d = &cpu->debug;
    if (!hits && !external)
        return;
    if (!cpu->current_tb)
        return; /* not from an instruction (interrupt delivery) */
    if (d->replay) {
        /* The instruction runs alone: note it, and stop after it. */
        d->trap_dr6 |= hits;
        if (external) {
            d->stopped = true;
            d->stop_addr = addr;
            d->stop_kind = kind;
        }
        cpu->exit_request = 1;
        return;
    }
    /* Run the instruction again by itself, so that the trap comes right
     * after it (its earlier accesses repeat; it has written nothing). */
    cpu_restore_state(cpu, ra);
    d->replay = true;
    d->trap_dr6 = 0;
    cpu->next_tb_cflags = 1 | CF_NOCACHE;
    cpu_loop_exit(cpu);
}

static uint32_t debug_match(struct cpu *cpu, vaddr addr, vaddr len,
                            unsigned kind, bool *external)
{
    uint32_t hits = 0;
    for (int i = 0; i < cpu->debug.n_wp; i++) {
        const struct debug_watchpoint *w = &cpu->debug.wp[i];
        if (!(w->kind & kind) || addr >= w->addr + w->len ||
            w->addr >= addr + len)
            continue;
        if (w->owner == DEBUG_OWNER_GUEST)
            hits |= DR6_B(w->index);
        else
            *external = true;
    }
    return hits;
}

static void debug_watch_access(void *owner, vaddr addr, unsigned size,
                               int access, uintptr_t ra)
{
    struct cpu *cpu = owner;
    bool external = false;
    uint32_t hits =
        debug_match(cpu, addr, size,
                    access == ACC_WRITE ? WATCH_WRITE : WATCH_READ, &external);
    debug_data_hit(cpu, hits, external, addr,
                   access == ACC_WRITE ? WATCH_WRITE : WATCH_READ, ra);
}

static bool debug_watch_page(void *owner, vaddr page)
{
    struct cpu *cpu = owner;
    for (int i = 0; i < cpu->debug.n_wp; i++) {
        const struct debug_watchpoint *w = &cpu->debug.wp[i];
        if (!(w->kind & WATCH_IO) && w->addr < page + PAGE_SIZE &&
            page < w->addr + w->len)
            return true;
    }
    return false;
}

void debug_check_io(struct cpu *cpu, uint32_t port, unsigned size, uintptr_t ra)
{
    if (!cpu->debug.n_io)
        return;
    bool external = false;
    uint32_t hits = debug_match(cpu, port, size, WATCH_IO, &external);
    debug_data_hit(cpu, hits, external, port, WATCH_IO, ra);
}

void debug_mmu_init(struct cpu *cpu)
{
    cpu->mmu.watch_page = debug_watch_page;
    cpu->mmu.watch_access = debug_watch_access;
    cpu->mmu.watching = false;
}

void debug_cancel(struct cpu *cpu)
{
    cpu->debug.replay = false;
    cpu->debug.trap_dr6 = 0;
}

/*
 * After a block: the trap-class #DB it earned (SDM 3A 17.3.1.2-17.3.1.4):
 * data or I/O breakpoints hit by a replayed instruction (DR6.Bn), and a
 * single step (DR6.BS) after an instruction that began with TF set. Both
 * wait one instruction more after MOV SS / POP SS (SDM 3A 6.8.3).
 */
void debug_after_block(struct cpu *cpu, bool single_step)
{
    struct cpu_debug *d = &cpu->debug;

    d->replay = false;
    if (d->stopped)
        debug_external_stop(cpu);
    if (cpu->inhibit_irq == INHIBIT_MOV_SS)
        return;
    uint32_t hits = d->trap_dr6;
    d->trap_dr6 = 0;
    if (!hits && !single_step)
        return;
    debug_set_dr6(cpu, hits, single_step ? DR6_BS : 0);
    cpu->exception_index = EXCP_DB;
    cpu->error_code = 0;
    cpu->exception_has_error = false;
    cpu->exception_is_int = 0;
    cpu->exception_next_eip = (uint32_t)cpu->eip;
}
