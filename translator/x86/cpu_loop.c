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
            do_interrupt(cpu, vec, cpu->exception_is_int, cpu->error_code,
                         cpu->exception_has_error, cpu->exception_next_eip);
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

        /* 3. A hardware interrupt (SDM 3A 6.8.1: IF, and not in the
         * shadow of STI / MOV SS). */
        if ((cpu->interrupt_request & CPU_INTERRUPT_HARD) &&
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
         * (SDM 3A 5.3); branches check their targets themselves. */
        if ((cpu->hflags & HF_SEGCHK(SEG_CS)) &&
            (uint32_t)cpu->eip > cpu->seg[SEG_CS].limit)
            raise_exception_err(cpu, EXCP_GP, 0, 0);
        struct tb *tb = tb_find(cpu, 0);
        if (cpu->icount_mode && tb->icount > cpu->icount_budget) {
            /* The next deadline falls inside this block: run exactly up
             * to it in a one-shot block, so timers fire on time. */
            tb = tb_find(cpu, CF_NOCACHE | (uint32_t)cpu->icount_budget);
        }
        if (prev && prev_flush == jit->flush_count &&
            !log_enabled(LOG_NOCHAIN))
            tb_add_jump(cpu, prev, prev_slot, tb);
        prev = NULL;

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
        uintptr_t r = jit->ops->exec(jit->be, cpu, tb);
        cpu->interp_pc = 0;
        cpu->current_tb = NULL;
        struct tb *last = (struct tb *)(r & ~(uintptr_t)TB_EXIT_MASK);
        unsigned code = (unsigned)(r & TB_EXIT_MASK);
        /* Stopped at a block's entry check, before it ran: the state is
         * that block's start (the native backend does not store EIP when
         * it chains into a block). */
        if (code == TB_EXIT_REQUESTED)
            cpu->eip = last->pc - last->cs_base;

        if (nocache) {
            /* Not entered (exit request): it must still run next. */
            if (code == TB_EXIT_REQUESTED && last == nocache)
                cpu->next_tb_cflags = nocache->cflags;
            tb_free_nocache(nocache);
            nocache = NULL;
            if (last == tb)
                continue;
        }
        if (code == TB_EXIT_JUMP0 || code == TB_EXIT_JUMP1) {
            prev = last;
            prev_slot = (int)code;
            prev_flush = jit->flush_count;
        }
    }
    loop_host_timer_delete(&timer);
    return 0;
}
