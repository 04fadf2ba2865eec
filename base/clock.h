/*
 * clock.h - the virtual clock and the timers devices schedule on it.
 *
 * Every guest-visible event a device schedules is a vtimer on the virtual
 * clock, never a host timer or a host-time read. The clock runs in one of
 * two modes:
 *   host   it follows the host's monotonic clock (default);
 *   icount it advances with executed guest instructions: each instruction
 *          is 2^shift ns (-icount shift=N). A run is repeatable bit for bit.
 * The CPU loop asks vclock_next_deadline() how far it may run, runs timers
 * that are due with vclock_run_timers() at instruction boundaries, and in
 * host mode arranges for cpu->exit_request when the next deadline passes.
 */
#ifndef BASE_CLOCK_H
#define BASE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define NS_PER_SEC 1000000000LL

struct vclock;

struct vtimer {
    int64_t expire_ns;          /* absolute virtual time */
    void (*cb)(void *opaque);
    void *opaque;
    struct vclock *clock;
    struct vtimer *next;        /* pending list, sorted by expire_ns */
    bool pending;
};

struct vclock {
    bool icount;
    int shift;                  /* icount: ns per insn = 1 << shift */
    const uint64_t *insn_counter; /* icount: executed instructions */
    int64_t host_start_ns;      /* host mode: host time at virtual 0 */
    struct vtimer *pending;     /* sorted list */
    /* Called when the earliest deadline moves earlier (the CPU loop uses
     * it to interrupt a running block in host mode). */
    void (*deadline_changed)(void *opaque);
    void *deadline_opaque;
};

void vclock_init(struct vclock *c, bool icount, int shift,
                 const uint64_t *insn_counter);
int64_t vclock_now(struct vclock *c);         /* ns of virtual time */
/* Earliest pending expiry, or INT64_MAX. */
int64_t vclock_next_deadline(struct vclock *c);
/* Run every timer whose expiry <= now (callbacks may re-arm). */
void vclock_run_timers(struct vclock *c);
/* icount mode: instructions until the next deadline (>= 0), or INT64_MAX. */
int64_t vclock_insns_to_deadline(struct vclock *c);
/* Host mode only: host nanoseconds now (CLOCK_MONOTONIC). */
int64_t host_clock_ns(void);

void vtimer_init(struct vtimer *t, struct vclock *c, void (*cb)(void *),
                 void *opaque);
void vtimer_mod(struct vtimer *t, int64_t expire_ns); /* (re)arm */
void vtimer_del(struct vtimer *t);

/* Scale helper: ticks of a clock of freq Hz elapsed in ns, and back. */
static inline int64_t ns_to_ticks(int64_t ns, int64_t freq)
{
    return (int64_t)(((__int128)ns * freq) / NS_PER_SEC);
}
static inline int64_t ticks_to_ns(int64_t ticks, int64_t freq)
{
    return (int64_t)(((__int128)ticks * NS_PER_SEC + freq - 1) / freq);
}

#endif
