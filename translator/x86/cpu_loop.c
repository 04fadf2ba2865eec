/*
 * cpu_loop.c - the CPU loop: deliver pending exceptions and hardware
 * interrupts, run due timers (on instruction boundaries, exactly on time in
 * icount mode), sleep while halted, then find the next block, run it and
 * chain it to the one before.
 */
#include <inttypes.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/util.h"
#include "translator/backend.h"
#include "translator/x86/cpu.h"
#include "translator/x86/sys.h"
#include "translator/tb.h"

/* Longest host sleep while halted, so outside events (console input, a
 * stop request) are seen promptly even without a timer deadline. */
#define LOOP_MAX_SLEEP_NS 10000000LL

/* Host mode: a POSIX timer of the CPU's own raises SIGALRM at the next
 * deadline; the signal carries the CPU (si_value), whose running chain
 * the handler breaks through exit_request. Made when cpu_exec starts and
 * deleted when it returns, so each CPU of each machine has its own and no
 * state outlives the call. */
struct loop_timer {
    timer_t id;
    bool ok;
};

static void loop_alarm(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    struct cpu *cpu = si->si_value.sival_ptr;
    if (si->si_code == SI_TIMER && cpu)
        cpu->exit_request = 1;
}

static void loop_deadline_changed(void *opaque)
{
    struct cpu *cpu = opaque;
    cpu->exit_request = 1;
}

static void loop_host_timer_init(struct loop_timer *t, struct cpu *cpu)
{
    /* The handler is process state, but the same for every CPU. */
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = loop_alarm;
    sa.sa_flags = SA_RESTART | SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGALRM, &sa, NULL) != 0)
        fatal_errno("sigaction(SIGALRM)");
    struct sigevent sev;
    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGALRM;
    sev.sigev_value.sival_ptr = cpu;
    if (timer_create(CLOCK_MONOTONIC, &sev, &t->id) != 0)
        fatal_errno("timer_create");
    t->ok = true;
}

static void loop_host_timer_delete(struct loop_timer *t)
{
    if (t->ok)
        timer_delete(t->id);
    t->ok = false;
}

/* Host mode: have exit_request set when the next deadline passes. */
static void loop_host_timer_arm(struct loop_timer *t, struct cpu *cpu)
{
    struct vclock *c = cpu->clock;
    int64_t deadline = vclock_next_deadline(c);
    struct itimerspec its;
    memset(&its, 0, sizeof(its));
    if (deadline != INT64_MAX) {
        int64_t delta = deadline - vclock_now(c);
        if (delta <= 0) {
            cpu->exit_request = 1;
            return;
        }
        its.it_value.tv_sec = delta / NS_PER_SEC;
        its.it_value.tv_nsec = delta % NS_PER_SEC;
    }
    if (t->ok)
        timer_settime(t->id, 0, &its, NULL);
}

static void loop_sleep_ns(int64_t ns)
{
    if (ns > LOOP_MAX_SLEEP_NS)
        ns = LOOP_MAX_SLEEP_NS;
    if (ns <= 0)
        return;
    struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)ns };
    nanosleep(&ts, NULL);
}

/* Timers due now, and how far the CPU may run before the next one. */
static void loop_timers(struct loop_timer *t, struct cpu *cpu)
{
    if (!cpu->clock)
        return;
    vclock_run_timers(cpu->clock);
    if (cpu->icount_mode) {
        int64_t n = vclock_insns_to_deadline(cpu->clock);
        /* A deadline inside the current instruction-time unit still
         * lets one instruction run, so the clock moves on. */
        cpu->icount_budget = n < 1 ? 1 : n;
    } else {
        loop_host_timer_arm(t, cpu);
    }
}

/* SDM 3A 6.15: the fault-class exceptions (EIP on the faulting
 * instruction), which push RF set (17.3.1.1). #DB is a fault only for an
 * instruction breakpoint, which pushes RF as it is. */
static bool excp_is_fault(int vec)
{
    switch (vec) {
    case EXCP_DE: case EXCP_BR: case EXCP_UD: case EXCP_NM: case EXCP_TS:
    case EXCP_NP: case EXCP_SS: case EXCP_GP: case EXCP_PF: case EXCP_MF:
    case EXCP_AC: case EXCP_XM:
        return true;
    default:
        return false;
    }
}

/* Halted with nothing to deliver: let time pass to the next event. */
static void loop_halted(struct loop_timer *t, struct cpu *cpu)
{
    struct vclock *c = cpu->clock;
    if (!c) {
        loop_sleep_ns(LOOP_MAX_SLEEP_NS);
        return;
    }
    if (cpu->icount_mode) {
        int64_t n = vclock_insns_to_deadline(c);
        if (n == INT64_MAX) {
            /* Nothing will ever wake the CPU on its own: wait for the
             * board (console input, stop). */
            loop_sleep_ns(LOOP_MAX_SLEEP_NS);
            return;
        }
        /* Skip the idle time: the clock jumps to the deadline. */
        cpu->icount += (uint64_t)n;
    } else {
        int64_t deadline = vclock_next_deadline(c);
        loop_sleep_ns(deadline == INT64_MAX ? LOOP_MAX_SLEEP_NS
                                            : deadline - vclock_now(c));
    }
    loop_timers(t, cpu);
}

/*
 * An external debugger (cpu.h struct cpu_debugger), on an instruction
 * boundary: report what is pending (one of its breakpoints or watchpoints
 * reached, debug.c; a step done; the start) or asked for (stop_request),
 * and let the debugger have the CPU until it resumes. To go on past its
 * own breakpoint a debugger removes it, steps and inserts it again, as
 * gdb does. Returns true when it stopped.
 */
static bool loop_debug(struct cpu *cpu)
{
    enum cpu_debug_event ev;
    if (cpu->debug.stopped) {
        ev = cpu->debug.stop_kind ? CPU_DEBUG_WATCHPOINT : CPU_DEBUG_BREAKPOINT;
        cpu->debug.stopped = false;
        cpu->dbg.pending = false; /* a step that hit one ends there */
    } else if (cpu->dbg.pending) {
        ev = cpu->dbg.pending_event;
    } else if (cpu->dbg.stop_request) {
        ev = CPU_DEBUG_INTERRUPT;
    } else {
        return false;
    }
    cpu->dbg.pending = false;
    cpu->dbg.stop_request = false;
    cpu->dbg.stop(cpu->dbg.opaque, cpu, ev);
    /* What the debugger sent while the CPU was stopped is served. */
    cpu->dbg.stop_request = false;
    return true;
}

int cpu_exec(struct cpu *cpu)
{
    /* Locals that live across sigsetjmp are volatile or re-read. */
    struct tb *volatile prev = NULL;
    volatile int prev_slot = 0;
    volatile unsigned prev_flush = 0;
    /* A one-shot block in flight, freed when the loop regains control. */
    struct tb *volatile nocache = NULL;
    struct loop_timer timer = { .ok = false };
    struct jit *jit = cpu->jit;

    tb_attach_cpu(cpu);
    if (cpu->clock && !cpu->clock->deadline_changed) {
        cpu->clock->deadline_changed = loop_deadline_changed;
        cpu->clock->deadline_opaque = cpu;
    }
    if (cpu->clock && !cpu->icount_mode)
        loop_host_timer_init(&timer, cpu);
    cpu->exit_request = 1; /* compute the first budget / arm the timer */

    if (sigsetjmp(cpu->jmp_env, 0) != 0) {
        /* Back from an exception or cpu_loop_exit inside a block. */
        cpu->current_tb = NULL;
        cpu->interp_pc = 0;
        prev = NULL;
        if (cpu->exception_index >= 0)
            debug_cancel(cpu); /* a fault cancels a data breakpoint's trap */
        if (nocache) {
            tb_free_nocache(nocache);
            nocache = NULL;
        }
    }

    while (!cpu->stop_request) {
        /* 1. An exception raised by the last block (or by a delivery). */
        if (cpu->exception_index >= 0) {
            /* (-d int: do_interrupt logs each delivery with its vector,
             * error code and cs:eip.) */
            int vec = cpu->exception_index;
            cpu->fault_depth = cpu->exception_is_int ? 0 : vec + 1;
            cpu->excp_push_rf = !cpu->exception_is_int && excp_is_fault(vec);
            do_interrupt(cpu, vec, cpu->exception_is_int, cpu->error_code,
                         cpu->exception_has_error, cpu->exception_next_eip);
            cpu->excp_push_rf = false;
            cpu->exception_index = -1;
            cpu->fault_depth = 0;
            cpu->halted = 0;
            prev = NULL;
        }

        /* 2. Timers, on an instruction boundary. */
        if (cpu->exit_request ||
            (cpu->icount_mode && cpu->icount_budget <= 0)) {
            cpu->exit_request = 0;
            loop_timers(&timer, cpu);
            prev = NULL;
            if (cpu->stop_request)
                break;
        }

        /* 2b. An external debugger's stop. */
        if (unlikely(cpu->dbg.stop) && loop_debug(cpu)) {
            prev = NULL;
            if (cpu->stop_request)
                break;
        }

        /* 3. An NMI (SDM 3A 6.7.1: not while one is being handled, up to
         * the next IRET; held off by the shadows like INTR), then a
         * hardware interrupt (SDM 3A 6.8.1: IF, and not in the shadow of
         * STI / MOV SS); neither while a debugger single-steps a running
         * CPU, so a step does not land in an interrupt handler. */
        if ((cpu->interrupt_request & CPU_INTERRUPT_NMI) &&
            !cpu->nmi_blocked && !cpu->inhibit_irq &&
            (!cpu->dbg.singlestep || cpu->halted)) {
            cpu->interrupt_request &= ~CPU_INTERRUPT_NMI;
            cpu->nmi_blocked = true;
            cpu->halted = 0;
            cpu->fault_depth = 0;
            do_interrupt(cpu, EXCP_NMI, false, 0, false, (uint32_t)cpu->eip);
            prev = NULL;
        } else if ((cpu->interrupt_request & CPU_INTERRUPT_HARD) &&
            (!cpu->dbg.singlestep || cpu->halted) &&
            (cpu->eflags & EFLAGS_IF) && !cpu->inhibit_irq && cpu->intr_ack) {
            int vec = cpu->intr_ack(cpu->intr_opaque);
            cpu->halted = 0;
            cpu->fault_depth = 0;
            do_interrupt(cpu, vec, false, 0, false, (uint32_t)cpu->eip);
            prev = NULL;
        }

        if (cpu->halted) {
            loop_halted(&timer, cpu);
            prev = NULL;
            continue;
        }

        /* 4. The next block. Code that ran off the end of a CS that is
         * not flat faults #GP(0) here, before the fetch could take a #PF
         * (SDM 3A 5.3); branches check their targets themselves. One
         * instruction when single-stepping, the debugger told once it is
         * done (also when it faults: the step then ends at the handler,
         * after step 1 delivered it). */
        if ((cpu->hflags & HF_SEGCHK(SEG_CS)) &&
            (uint32_t)cpu->eip > cpu->seg[SEG_CS].limit)
            raise_exception_err(cpu, EXCP_GP, 0, 0);
        uint32_t cflags = 0;
        if (unlikely(cpu->dbg.singlestep)) {
            cflags = 1 | CF_NOCACHE;
            cpu->next_tb_cflags = 0;
            cpu->dbg.pending = true;
            cpu->dbg.pending_event = CPU_DEBUG_STEP;
        }
        struct tb *tb = tb_find(cpu, cflags);
        if (cpu->icount_mode && tb->icount > cpu->icount_budget) {
            /* The next deadline falls inside this block: run exactly up
             * to it in a one-shot block, so timers fire on time. (A
             * one-shot block made for next_tb_cflags is freed first.) */
            if (tb->cflags & CF_NOCACHE)
                tb_free_nocache(tb);
            tb = tb_find(cpu, CF_NOCACHE | (uint32_t)cpu->icount_budget);
            J_ASSERT(tb->icount <= cpu->icount_budget);
        }
        if (prev && prev_flush == jit->flush_count &&
            !log_enabled(LOG_NOCHAIN) && !(tb->flags & HF_RF))
            tb_add_jump(cpu, prev, prev_slot, tb);
        prev = NULL;

        /* RF lasts one instruction (SDM 3A 17.3.1.1): the block's first
         * has passed its breakpoint check once it is entered (a block
         * made with HF_RF left that check out). Put back if the block is
         * not entered after all. */
        bool rf = (cpu->eflags & EFLAGS_RF) != 0;
        if (rf) {
            cpu->eflags &= ~EFLAGS_RF;
            cpu->hflags &= ~HF_RF;
        }

        if (log_enabled(LOG_EXEC))
            log_printf("Trace %p [%08" PRIx32 "/%08" PRIx64 "/%04" PRIx32
                       "] icount=%" PRIu64 "\n",
                       (void *)tb->code, tb->cs_base, tb->pc, tb->flags,
                       cpu->icount);

        if (tb->cflags & CF_NOCACHE)
            nocache = tb;
        cpu->current_tb = tb; /* the native backend leaves it (tb_running) */
        if (unlikely(!cpu->first_exec_ns))
            cpu->first_exec_ns = host_clock_ns(); /* -d stats */
        uintptr_t r = tb_exec(cpu, tb);
        cpu->interp_pc = 0;
        cpu->current_tb = NULL;
        struct tb *last = (struct tb *)(r & ~(uintptr_t)TB_EXIT_MASK);
        unsigned code = (unsigned)(r & TB_EXIT_MASK);
        /* Stopped at a block's entry check, before it ran: the state is
         * that block's start (the native backend does not store EIP when
         * it chains into a block). */
        if (code == TB_EXIT_REQUESTED)
            cpu->eip = last->pc - last->cs_base;
        bool entered = !(code == TB_EXIT_REQUESTED && last == tb);
        if (rf && !entered) {
            cpu->eflags |= EFLAGS_RF;
            cpu_update_hflags(cpu);
        }
        /* A trap-class #DB after the block: a single step (it was made
         * with TF, one instruction) or a data breakpoint it hit. */
        bool step = entered && (tb->flags & HF_TF);
        if (unlikely(step || cpu->debug.replay || cpu->debug.trap_dr6))
            debug_after_block(cpu, step);

        if (nocache) {
            /* Not entered (exit request): it must still run next. */
            if (code == TB_EXIT_REQUESTED && last == nocache) {
                cpu->next_tb_cflags = nocache->cflags;
                if (cpu->dbg.singlestep)
                    cpu->dbg.pending = false; /* the step did not run */
            }
            tb_free_nocache(nocache);
            nocache = NULL;
            if (last == tb)
                continue;
        }
        if ((code == TB_EXIT_JUMP0 || code == TB_EXIT_JUMP1) &&
            !(last->flags & HF_TF) && cpu->exception_index < 0) {
            prev = last;
            prev_slot = (int)code;
            prev_flush = jit->flush_count;
        }
    }
    loop_host_timer_delete(&timer);
    return 0;
}
