/*
 * lapic.c - the local APIC of one CPU (SDM vol. 3A chapter 10), memory
 * mapped at IA32_APIC_BASE (0xFEE00000 after reset), 4 KiB of 32-bit
 * registers on 16-byte boundaries:
 *
 *   020 ID (31:24)          030 version (RO)     080 TPR     090 APR (RO)
 *   0A0 PPR (RO)            0B0 EOI (WO)         0D0 LDR     0E0 DFR
 *   0F0 SVR                 100-170 ISR (RO)     180-1F0 TMR (RO)
 *   200-270 IRR (RO)        280 ESR              300/310 ICR low/high
 *   320 LVT timer  330 LVT thermal  340 LVT perf  350 LINT0  360 LINT1
 *   370 LVT error           380 initial count    390 current count (RO)
 *   3E0 divide configuration
 *
 * Version 0x00050014: an integrated APIC of version 14h with six LVT
 * entries (timer, thermal, performance, LINT0, LINT1, error), the
 * register QEMU's pc shows. A real Pentium II reports 0x00040011 (no
 * thermal entry); jet86 has the thermal entry (it never fires), so it
 * reports the six. With version 14h the ID is 8 bits and the spurious
 * vector's low four bits are writable.
 *
 * Priorities (10.8.3): PPR = TPR when TPR[7:4] >= ISRV[7:4], else
 * ISRV & F0h; the highest IRR vector is deliverable when its class
 * (7:4) is above PPR's. The INTR output is high while one is, or while
 * LINT0 in ExtINT mode is asserted (virtual wire mode), or, with the
 * APIC globally disabled, while LINT0 is (the 8259A straight through).
 * INTA takes the IRR vector into ISR; with none deliverable it takes the
 * 8259A's vector for an ExtINT, else returns the spurious vector without
 * setting ISR (10.9). EOI clears the highest ISR bit and, when its TMR
 * bit is set, tells the IOAPIC.
 *
 * The timer counts the virtual clock (LAPIC_TIMER_HZ) through the
 * divider: nothing ticks in the background; the current count is worked
 * out from the time the count was loaded, and one vtimer is armed at the
 * next expiry, so it is deterministic under -icount.
 *
 * Power-on state (10.4.7.1): ID 0, every LVT entry masked, SVR FFh
 * (software disabled, so the masks cannot be cleared), TPR 0, DFR all
 * ones. The firmware puts LINT0 in ExtINT and LINT1 in NMI mode and sets
 * the software enable (virtual wire mode), as a PC BIOS does.
 */
#include "devices/lapic.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define LAPIC_VERSION 0x00050014u

/* Register offsets >> 4. */
enum {
    R_ID = 0x02, R_VERSION = 0x03, R_TPR = 0x08, R_APR = 0x09, R_PPR = 0x0a,
    R_EOI = 0x0b, R_LDR = 0x0d, R_DFR = 0x0e, R_SVR = 0x0f, R_ISR = 0x10,
    R_TMR = 0x18, R_IRR = 0x20, R_ESR = 0x28, R_ICR_LO = 0x30,
    R_ICR_HI = 0x31, R_LVT_TIMER = 0x32, R_LVT_THERMAL = 0x33,
    R_LVT_PERF = 0x34, R_LVT_LINT0 = 0x35, R_LVT_LINT1 = 0x36,
    R_LVT_ERROR = 0x37, R_TIMER_INIT = 0x38, R_TIMER_CUR = 0x39,
    R_TIMER_DIV = 0x3e,
};

/* LVT entries, indexed from R_LVT_TIMER. */
enum { LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR,
       LVT_NUM };

#define LVT_VECTOR 0xffu
#define LVT_DM_SHIFT 8
#define LVT_DM_MASK (7u << LVT_DM_SHIFT)
#define LVT_STATUS (1u << 12)
#define LVT_POLARITY (1u << 13)
#define LVT_REMOTE_IRR (1u << 14)
#define LVT_LEVEL (1u << 15)
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)

/* Bits a guest may write in each LVT entry (delivery status and remote
 * IRR are read-only). */
static const uint32_t lvt_writable[LVT_NUM] = {
    [LVT_TIMER] = LVT_VECTOR | LVT_MASKED | LVT_PERIODIC,
    [LVT_THERMAL] = LVT_VECTOR | LVT_DM_MASK | LVT_MASKED,
    [LVT_PERF] = LVT_VECTOR | LVT_DM_MASK | LVT_MASKED,
    [LVT_LINT0] = LVT_VECTOR | LVT_DM_MASK | LVT_POLARITY | LVT_LEVEL |
                  LVT_MASKED,
    [LVT_LINT1] = LVT_VECTOR | LVT_DM_MASK | LVT_POLARITY | LVT_LEVEL |
                  LVT_MASKED,
    [LVT_ERROR] = LVT_VECTOR | LVT_MASKED,
};

#define SVR_ENABLE (1u << 8)
#define SVR_FOCUS_DISABLE (1u << 9)

/* ESR bits (10.5.3). */
#define ESR_SEND_ILLEGAL_VECTOR (1u << 5)
#define ESR_RECV_ILLEGAL_VECTOR (1u << 6)
#define ESR_ILLEGAL_REGISTER (1u << 7)

/* ICR low. */
#define ICR_DEST_LOGICAL (1u << 11)
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_TRIGGER_LEVEL (1u << 15)
#define ICR_SHORTHAND_SHIFT 18
#define ICR_WRITABLE 0x000ccfffu

struct lapic_state {
    struct device dev;
    struct mem_region *mmio;
    uint64_t base;  /* IA32_APIC_BASE as last given */
    bool enabled;   /* its global enable bit */

    uint32_t id, tpr, ldr, dfr, svr;
    uint32_t isr[8], tmr[8], irr[8];
    uint32_t esr, esr_pending; /* visible / collected since the last write */
    uint32_t icr_lo, icr_hi;
    uint32_t lvt[LVT_NUM];
    uint32_t timer_init, timer_div;
    int timer_shift;       /* the divider as a shift: 0 (1) to 7 (128) */
    int64_t timer_start;   /* ns at which the present period started */
    struct vtimer timer;
    int lint_level[2];
    bool ext_pending;      /* an ExtINT message waits for INTA */

    int intr_level;
    struct irq *intr;
    void (*nmi)(void *opaque);
    void *nmi_opaque;
    int (*ext_ack)(void *opaque);
    void *ext_opaque;
    void (*eoi)(void *opaque, int vector);
    void *eoi_opaque;
    struct irq lint_in[2];
};

static bool sw_enabled(const struct lapic_state *s)
{
    return (s->svr & SVR_ENABLE) != 0;
}

/* Highest set bit of a 256-bit register, or -1. */
static int highest(const uint32_t *r)
{
    for (int i = 7; i >= 0; i--)
        if (r[i])
            return i * 32 + 31 - __builtin_clz(r[i]);
    return -1;
}

static void set_bit256(uint32_t *r, int v) { r[v >> 5] |= 1u << (v & 31); }
static void clear_bit256(uint32_t *r, int v) { r[v >> 5] &= ~(1u << (v & 31)); }
static bool test_bit256(const uint32_t *r, int v)
{
    return (r[v >> 5] >> (v & 31)) & 1;
}

static uint32_t ppr(const struct lapic_state *s)
{
    int isrv = highest(s->isr);
    uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;
    return (s->tpr & 0xf0) >= isr_class ? s->tpr & 0xff : isr_class;
}

/* The highest IRR vector if its class is above the PPR's, else -1. */
static int deliverable(const struct lapic_state *s)
{
    int v = highest(s->irr);
    if (v < 0 || ((uint32_t)v & 0xf0) <= (ppr(s) & 0xf0))
        return -1;
    return v;
}

/* LINT0 passes the 8259A's INTR: ExtINT mode, not masked. */
static bool lint0_extint(const struct lapic_state *s)
{
    uint32_t l = s->lvt[LVT_LINT0];
    return !(l & LVT_MASKED) &&
           ((l & LVT_DM_MASK) >> LVT_DM_SHIFT) == LAPIC_DM_EXTINT &&
           s->lint_level[0];
}

static void lapic_update(struct lapic_state *s)
{
    int level;
    if (!s->enabled)
        level = s->lint_level[0];
    else
        level = deliverable(s) >= 0 || s->ext_pending || lint0_extint(s);
    if (level != s->intr_level) {
        s->intr_level = level;
        irq_set(s->intr, level);
    }
}

static void lapic_error(struct lapic_state *s, uint32_t bits);

/* Accept a fixed (or lowest-priority) interrupt into IRR. */
static void accept_fixed(struct lapic_state *s, int vector, bool level)
{
    if (vector < 16) {
        lapic_error(s, ESR_RECV_ILLEGAL_VECTOR);
        return;
    }
    set_bit256(s->irr, vector);
    if (level)
        set_bit256(s->tmr, vector);
    else
        clear_bit256(s->tmr, vector);
    lapic_update(s);
}

static void send_nmi(struct lapic_state *s)
{
    if (s->nmi)
        s->nmi(s->nmi_opaque);
}

/* One interrupt this APIC takes, by delivery mode. */
static void accept(struct lapic_state *s, enum lapic_delivery mode,
                   int vector, bool level)
{
    switch (mode) {
    case LAPIC_DM_FIXED:
    case LAPIC_DM_LOWEST:
        accept_fixed(s, vector, level);
        break;
    case LAPIC_DM_NMI:
        send_nmi(s);
        break;
    case LAPIC_DM_EXTINT:
        s->ext_pending = true;
        lapic_update(s);
        break;
    default:
        /* SMI, INIT and STARTUP to this CPU are not modelled (there is
         * no SMM and no other CPU to start). */
        if (log_enabled(LOG_INT))
            log_printf("lapic: delivery mode %d to this CPU ignored\n",
                       (int)mode);
        break;
    }
}

/* An LVT entry fires (timer, error, or a LINT edge). */
static void lvt_fire(struct lapic_state *s, int n)
{
    uint32_t l = s->lvt[n];
    if ((l & LVT_MASKED) || !sw_enabled(s))
        return;
    enum lapic_delivery mode = (l & LVT_DM_MASK) >> LVT_DM_SHIFT;
    if (n == LVT_TIMER || n == LVT_ERROR)
        mode = LAPIC_DM_FIXED;
    if (mode == LAPIC_DM_EXTINT)
        return; /* a level the INTR output follows (lint0_extint) */
    accept(s, mode, (int)(l & LVT_VECTOR), (l & LVT_LEVEL) != 0);
}

static void lapic_error(struct lapic_state *s, uint32_t bits)
{
    uint32_t before = s->esr_pending;
    s->esr_pending |= bits;
    /* The error entry's own illegal vector would recurse once: fire only
     * for new bits. */
    if (s->esr_pending != before)
        lvt_fire(s, LVT_ERROR);
}

/* ---- destinations (10.6.2) ---- */

static bool dest_match(const struct lapic_state *s, uint8_t dest,
                       bool logical)
{
    if (!logical)
        return dest == 0xff || dest == (uint8_t)(s->id >> 24);
    if (dest == 0xff)
        return true;
    uint8_t ldr = (uint8_t)(s->ldr >> 24);
    if ((s->dfr >> 28) == 0xf) /* flat model */
        return (ldr & dest) != 0;
    /* cluster model: cluster in 7:4, members in 3:0 */
    return (ldr >> 4) == (dest >> 4) && (ldr & dest & 0x0f) != 0;
}

void lapic_deliver(struct lapic_state *s, uint8_t dest, bool logical,
                   enum lapic_delivery mode, int vector, bool level)
{
    if (!s->enabled || !dest_match(s, dest, logical))
        return;
    accept(s, mode, vector & 0xff, level);
}

/* ICR low written: send the IPI (10.6.1). A single CPU: those to itself
 * are delivered, others accepted by the bus and dropped. */
static void send_ipi(struct lapic_state *s)
{
    uint32_t lo = s->icr_lo;
    enum lapic_delivery mode = (lo >> 8) & 7;
    int vector = (int)(lo & 0xff);
    int shorthand = (lo >> ICR_SHORTHAND_SHIFT) & 3;
    bool self;

    /* An illegal vector is sent anyway; this APIC, if it is a receiver,
     * refuses it too (10.5.3: "including ... a self-interrupt"). */
    if ((mode == LAPIC_DM_FIXED || mode == LAPIC_DM_LOWEST) && vector < 16)
        lapic_error(s, ESR_SEND_ILLEGAL_VECTOR);
    switch (shorthand) {
    case 0: self = dest_match(s, (uint8_t)(s->icr_hi >> 24),
                              (lo & ICR_DEST_LOGICAL) != 0); break;
    case 1: case 2: self = true; break;
    default: self = false; break;
    }
    /* An INIT level de-assert only resynchronizes arbitration IDs. */
    if (mode == LAPIC_DM_INIT && !(lo & ICR_LEVEL_ASSERT) &&
        (lo & ICR_TRIGGER_LEVEL))
        return;
    if (self)
        accept(s, mode, vector, (lo & ICR_TRIGGER_LEVEL) != 0 &&
                                    mode == LAPIC_DM_FIXED);
}

/* ---- the timer (10.5.4) ---- */

static int64_t timer_period_ns(const struct lapic_state *s)
{
    return ticks_to_ns((int64_t)s->timer_init << s->timer_shift,
                       LAPIC_TIMER_HZ);
}

static void timer_arm(struct lapic_state *s)
{
    if (!s->timer_init) {
        vtimer_del(&s->timer);
        return;
    }
    vtimer_mod(&s->timer, s->timer_start + timer_period_ns(s));
}

static uint32_t timer_current(struct lapic_state *s)
{
    if (!s->timer_init)
        return 0;
    int64_t now = vclock_now(s->dev.bus->clock);
    int64_t ticks = ns_to_ticks(now - s->timer_start, LAPIC_TIMER_HZ) >>
                    s->timer_shift;
    if (s->lvt[LVT_TIMER] & LVT_PERIODIC)
        ticks %= s->timer_init;
    else if (ticks >= s->timer_init)
        return 0;
    return s->timer_init - (uint32_t)ticks;
}

static void timer_expired(void *opaque)
{
    struct lapic_state *s = opaque;
    if (!s->timer_init)
        return;
    lvt_fire(s, LVT_TIMER);
    if (s->lvt[LVT_TIMER] & LVT_PERIODIC) {
        s->timer_start += timer_period_ns(s);
        timer_arm(s);
    } else {
        /* one-shot: the count stays at 0 until rewritten */
        s->timer_start = INT64_MIN / 2;
        vtimer_del(&s->timer);
    }
}

static void timer_set_div(struct lapic_state *s, uint32_t v)
{
    /* Count at the old rate up to now, then at the new one. */
    uint32_t cur = timer_current(s);
    bool running = s->timer_init && cur;
    s->timer_div = v & 0xb;
    int code = (int)((v & 3) | ((v >> 1) & 4));
    s->timer_shift = (code + 1) & 7;
    if (running) {
        int64_t now = vclock_now(s->dev.bus->clock);
        int64_t done = (int64_t)(s->timer_init - cur) << s->timer_shift;
        s->timer_start = now - ticks_to_ns(done, LAPIC_TIMER_HZ);
        timer_arm(s);
    }
}

/* ---- registers ---- */

static void lapic_reset_state(struct lapic_state *s)
{
    vtimer_del(&s->timer);
    s->tpr = 0;
    s->ldr = 0;
    s->dfr = 0xffffffffu;
    s->svr = 0xff;
    memset(s->isr, 0, sizeof(s->isr));
    memset(s->tmr, 0, sizeof(s->tmr));
    memset(s->irr, 0, sizeof(s->irr));
    s->esr = s->esr_pending = 0;
    s->icr_lo = s->icr_hi = 0;
    for (int i = 0; i < LVT_NUM; i++)
        s->lvt[i] = LVT_MASKED;
    s->timer_init = 0;
    s->timer_div = 0;
    s->timer_shift = 1;
    s->timer_start = 0;
    s->ext_pending = false;
}

uint32_t lapic_read_reg(struct lapic_state *s, uint32_t offset)
{
    unsigned r = (offset >> 4) & 0xff;
    if (r >= R_ISR && r < R_ISR + 8)
        return s->isr[r - R_ISR];
    if (r >= R_TMR && r < R_TMR + 8)
        return s->tmr[r - R_TMR];
    if (r >= R_IRR && r < R_IRR + 8)
        return s->irr[r - R_IRR];
    if (r >= R_LVT_TIMER && r <= R_LVT_ERROR)
        return s->lvt[r - R_LVT_TIMER];
    switch (r) {
    case R_ID: return s->id;
    case R_VERSION: return LAPIC_VERSION;
    case R_TPR: return s->tpr;
    case R_APR: {
        /* 10.8.3.1 (bus arbitration): the APR as the P6 computes it */
        int irrv = highest(s->irr), isrv = highest(s->isr);
        uint32_t irr_c = irrv < 0 ? 0 : (uint32_t)irrv & 0xf0;
        uint32_t isr_c = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;
        uint32_t tpr_c = s->tpr & 0xf0;
        if (tpr_c >= irr_c && tpr_c > isr_c)
            return s->tpr & 0xff;
        return irr_c > isr_c ? irr_c : isr_c;
    }
    case R_PPR: return ppr(s);
    case R_LDR: return s->ldr;
    case R_DFR: return s->dfr;
    case R_SVR: return s->svr;
    case R_ESR: return s->esr;
    case R_ICR_LO: return s->icr_lo;
    case R_ICR_HI: return s->icr_hi;
    case R_TIMER_INIT: return s->timer_init;
    case R_TIMER_CUR: return timer_current(s);
    case R_TIMER_DIV: return s->timer_div;
    default: return 0;
    }
}

static void lapic_eoi(struct lapic_state *s)
{
    int v = highest(s->isr);
    if (v < 0)
        return;
    clear_bit256(s->isr, v);
    lapic_update(s);
    if (test_bit256(s->tmr, v) && s->eoi)
        s->eoi(s->eoi_opaque, v);
}

void lapic_write_reg(struct lapic_state *s, uint32_t offset, uint32_t v)
{
    unsigned r = (offset >> 4) & 0xff;
    if (r >= R_LVT_TIMER && r <= R_LVT_ERROR) {
        int n = (int)(r - R_LVT_TIMER);
        uint32_t keep = s->lvt[n] & ~lvt_writable[n];
        uint32_t nv = (v & lvt_writable[n]) | keep;
        if (!sw_enabled(s))
            nv |= LVT_MASKED; /* 10.4.7.2 */
        bool was_periodic = s->lvt[n] & LVT_PERIODIC;
        s->lvt[n] = nv;
        if (n == LVT_TIMER && was_periodic != !!(nv & LVT_PERIODIC) &&
            s->timer_init)
            timer_arm(s);
        lapic_update(s);
        return;
    }
    switch (r) {
    case R_ID: s->id = v & 0xff000000u; break;
    case R_TPR: s->tpr = v & 0xff; lapic_update(s); break;
    case R_EOI: lapic_eoi(s); break;
    case R_LDR: s->ldr = v & 0xff000000u; break;
    case R_DFR: s->dfr = v | 0x0fffffffu; break;
    case R_SVR:
        s->svr = v & (0xff | SVR_ENABLE | SVR_FOCUS_DISABLE);
        if (!sw_enabled(s)) {
            for (int i = 0; i < LVT_NUM; i++)
                s->lvt[i] |= LVT_MASKED;
        }
        lapic_update(s);
        break;
    case R_ESR:
        /* 10.5.3: a write loads the errors since the previous write */
        s->esr = s->esr_pending;
        s->esr_pending = 0;
        break;
    case R_ICR_LO:
        s->icr_lo = v & ICR_WRITABLE;
        send_ipi(s);
        break;
    case R_ICR_HI: s->icr_hi = v & 0xff000000u; break;
    case R_TIMER_INIT:
        s->timer_init = v;
        s->timer_start = vclock_now(s->dev.bus->clock);
        timer_arm(s);
        break;
    case R_TIMER_DIV: timer_set_div(s, v); break;
    case R_VERSION: case R_APR: case R_PPR: case R_TIMER_CUR:
        break; /* read-only: writes are ignored */
    default:
        if ((r >= R_ISR && r < R_IRR + 8))
            break;
        lapic_error(s, ESR_ILLEGAL_REGISTER);
        break;
    }
}

/* Registers are 32 bits on 16-byte boundaries; a narrower read sees its
 * bytes of the dword, the rest of each 16 bytes reads 0, and only
 * aligned dword writes take effect (10.4.1). */
static uint64_t lapic_mmio_read(void *opaque, struct mem_attrs attrs,
                                uint64_t offset, unsigned size)
{
    struct lapic_state *s = opaque;
    (void)attrs;
    if ((offset & 0xf) + size > 4)
        return 0;
    uint32_t v = lapic_read_reg(s, (uint32_t)offset & 0xff0);
    v >>= (offset & 3) * 8;
    return size == 4 ? v : v & ((1u << (size * 8)) - 1);
}

static void lapic_mmio_write(void *opaque, struct mem_attrs attrs,
                             uint64_t offset, uint64_t value, unsigned size)
{
    struct lapic_state *s = opaque;
    (void)attrs;
    if (size != 4 || (offset & 0xf))
        return;
    lapic_write_reg(s, (uint32_t)offset, (uint32_t)value);
}

static const struct mem_ops lapic_mmio_ops = {
    .read = lapic_mmio_read,
    .write = lapic_mmio_write,
    .min_size = 1,
    .max_size = 4,
};

/* ---- pins and the CPU ---- */

static void lapic_lint_handler(void *opaque, int n, int level)
{
    struct lapic_state *s = opaque;
    int old = s->lint_level[n];
    s->lint_level[n] = level;
    if (s->enabled) {
        uint32_t l = s->lvt[LVT_LINT0 + n];
        bool active_low = (l & LVT_POLARITY) != 0;
        int asserted = active_low ? !level : level;
        int was = active_low ? !old : old;
        if (asserted && !was)
            lvt_fire(s, LVT_LINT0 + n);
    }
    lapic_update(s);
}

struct irq *lapic_lint(struct lapic_state *s, int n)
{
    return &s->lint_in[n & 1];
}

int lapic_intr_ack(void *opaque)
{
    struct lapic_state *s = opaque;
    int v;
    if (!s->enabled)
        return s->ext_ack ? s->ext_ack(s->ext_opaque) : 0xff;
    v = deliverable(s);
    if (v >= 0) {
        clear_bit256(s->irr, v);
        set_bit256(s->isr, v);
    } else if (s->ext_pending || lint0_extint(s)) {
        s->ext_pending = false;
        v = s->ext_ack ? s->ext_ack(s->ext_opaque) : (int)(s->svr & 0xff);
    } else {
        v = (int)(s->svr & 0xff); /* spurious: no ISR bit, no EOI */
    }
    lapic_update(s);
    return v;
}

int lapic_intr_level(struct lapic_state *s) { return s->intr_level; }

void lapic_set_base(struct lapic_state *s, uint64_t apic_base)
{
    bool enable = (apic_base & LAPIC_BASE_ENABLE) != 0;
    uint64_t addr = apic_base & LAPIC_BASE_ADDR_MASK;
    if (enable != s->enabled && !enable)
        lapic_reset_state(s); /* 10.4.3: disabling loses the state */
    s->base = apic_base;
    s->enabled = enable;
    if (enable) {
        if (s->mmio->base != addr)
            mem_region_move(s->mmio, addr);
        if (!s->mmio->enabled)
            mem_region_set_enabled(s->mmio, true);
    } else if (s->mmio->enabled) {
        mem_region_set_enabled(s->mmio, false);
    }
    lapic_update(s);
}

void lapic_connect_cpu(struct lapic_state *s, struct irq *intr,
                       void (*nmi)(void *opaque), void *nmi_opaque,
                       int (*ext_ack)(void *opaque), void *ext_opaque)
{
    s->intr = intr;
    s->nmi = nmi;
    s->nmi_opaque = nmi_opaque;
    s->ext_ack = ext_ack;
    s->ext_opaque = ext_opaque;
    s->intr_level = -1;
    lapic_update(s);
}

void lapic_connect_eoi(struct lapic_state *s,
                       void (*eoi)(void *opaque, int vector), void *opaque)
{
    s->eoi = eoi;
    s->eoi_opaque = opaque;
}

/* ---- the device ---- */

struct lapic_state *lapic_from_device(struct device *dev)
{
    J_ASSERT(dev && dev->cls == &lapic_device_class);
    return DEVICE_STATE(struct lapic_state, dev);
}

static void lapic_reset(struct device *dev)
{
    struct lapic_state *s = DEVICE_STATE(struct lapic_state, dev);
    lapic_reset_state(s);
    s->id = 0;
    s->enabled = !s->enabled; /* force the mapping to be redone */
    lapic_set_base(s, LAPIC_DEFAULT_BASE | LAPIC_BASE_ENABLE);
}

static struct device *lapic_create(struct device_bus *bus,
                                   const uint64_t *prop)
{
    struct lapic_state *s = xcalloc(1, sizeof(*s));
    (void)prop;
    s->mmio = mem_add_mmio(bus->mem, "lapic", LAPIC_DEFAULT_BASE, 0x1000,
                           &lapic_mmio_ops, s);
    /* above RAM or anything else a guest moves its APIC over */
    mem_region_set_priority(s->mmio, 10);
    vtimer_init(&s->timer, bus->clock, timer_expired, s);
    irq_init(&s->lint_in[0], lapic_lint_handler, s, 0);
    irq_init(&s->lint_in[1], lapic_lint_handler, s, 1);
    s->enabled = true;
    return &s->dev;
}

static void lapic_free(struct device *dev)
{
    struct lapic_state *s = DEVICE_STATE(struct lapic_state, dev);
    vtimer_del(&s->timer);
    mem_region_remove(s->mmio);
    free(s);
}

const struct device_class lapic_device_class = {
    .name = "lapic",
    .desc = "the CPU's local APIC (0xFEE00000, IA32_APIC_BASE)",
    .create = lapic_create,
    .reset = lapic_reset,
    .free = lapic_free,
};
