/*
 * clock.c - the virtual clock and its timers (see clock.h). In host mode
 * virtual time is the host's CLOCK_MONOTONIC since vclock_init; in icount
 * mode it is the executed-instruction count times 2^shift ns, so every
 * timer fires at the same instruction on every run.
 */
#include "base/clock.h"

#include <stddef.h>
#include <time.h>

int64_t host_clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

void vclock_init(struct vclock *c, bool icount, int shift,
                 const uint64_t *insn_counter)
{
    c->icount = icount;
    c->shift = shift;
    c->insn_counter = insn_counter;
    c->host_start_ns = icount ? 0 : host_clock_ns();
    c->pending = NULL;
    c->deadline_changed = NULL;
    c->deadline_opaque = NULL;
}

int64_t vclock_now(struct vclock *c)
{
    if (c->icount) {
        uint64_t n = c->insn_counter ? *c->insn_counter : 0;
        return (int64_t)(n << c->shift);
    }
    return host_clock_ns() - c->host_start_ns;
}

int64_t vclock_next_deadline(struct vclock *c)
{
    return c->pending ? c->pending->expire_ns : INT64_MAX;
}

int64_t vclock_insns_to_deadline(struct vclock *c)
{
    int64_t deadline = vclock_next_deadline(c);
    if (deadline == INT64_MAX)
        return INT64_MAX;
    int64_t now = vclock_now(c);
    if (deadline <= now)
        return 0;
    /* Round up: the timer is due at the first instruction boundary whose
     * time is at or past the deadline. */
    int64_t unit = (int64_t)1 << c->shift;
    return (deadline - now + unit - 1) >> c->shift;
}

void vclock_run_timers(struct vclock *c)
{
    /* One reading of the clock: callbacks that re-arm at or before it run
     * in this same pass (e.g. two output edges that both fell due). */
    int64_t now = vclock_now(c);
    while (c->pending && c->pending->expire_ns <= now) {
        struct vtimer *t = c->pending;
        c->pending = t->next;
        t->next = NULL;
        t->pending = false;
        t->cb(t->opaque);
    }
}

void vtimer_init(struct vtimer *t, struct vclock *c, void (*cb)(void *),
                 void *opaque)
{
    t->expire_ns = 0;
    t->cb = cb;
    t->opaque = opaque;
    t->clock = c;
    t->next = NULL;
    t->pending = false;
}

void vtimer_del(struct vtimer *t)
{
    if (!t->pending)
        return;
    for (struct vtimer **p = &t->clock->pending; *p; p = &(*p)->next) {
        if (*p == t) {
            *p = t->next;
            break;
        }
    }
    t->next = NULL;
    t->pending = false;
}

void vtimer_mod(struct vtimer *t, int64_t expire_ns)
{
    struct vclock *c = t->clock;
    int64_t old_first = vclock_next_deadline(c);

    vtimer_del(t);
    t->expire_ns = expire_ns;
    /* Insert after timers with the same expiry: equal deadlines fire in
     * the order they were armed, which keeps runs repeatable. */
    struct vtimer **p = &c->pending;
    while (*p && (*p)->expire_ns <= expire_ns)
        p = &(*p)->next;
    t->next = *p;
    *p = t;
    t->pending = true;

    if (expire_ns < old_first && c->deadline_changed)
        c->deadline_changed(c->deadline_opaque);
}
