/*
 * rtc.c - the Motorola MC146818A real-time clock with its 128 bytes of
 * CMOS RAM, as on the PC/AT: index port 0x70 (bit 7 is the board's NMI
 * mask), data port 0x71, interrupts on ISA IRQ 8.
 *
 * Nothing ticks in the background. While the clock runs (register A's
 * divider DV2-0 = 010 and register B's SET clear) the time it shows is
 * worked out from the virtual clock: time_sec seconds at virtual time
 * time_ns, one more each second after. The time registers are filled from
 * it when read; while SET is set or the divider is stopped they hold what
 * was last shown or written, and the clock starts again from them.
 *
 * The flags of register C are raised by events in the time since they
 * were last brought up to date (flags_ns): PF at each edge of the
 * periodic rate (register A, RS3-0) while the divider runs, UF at each
 * update (a second boundary) and AF at an update whose time matches the
 * alarm (an alarm byte of 0xC0-0xFF matches any value). The data sheet
 * sets the flags whatever PIE, AIE, UIE say; those gate IRQF and the IRQ 8
 * output only. A vtimer is armed at the next event that could raise IRQF,
 * and none while IRQF is already set: reading register C brings the flags
 * up to date, clears them and lowers the line (MC146818A data sheet,
 * "Register C").
 *
 * The update cycle: UIP reads 1 during the 244 us before each update (8
 * periods of the 32.768 kHz time base), as the data sheet's timing; the
 * update itself is instantaneous (the registers are never seen half
 * updated). Daylight saving (DSE) and the square-wave output are stored
 * but have no effect.
 */
#include "devices/rtc.h"

#include <stdlib.h>

#include "base/util.h"

#define RTC_BASE_HZ 32768
/* UIP is set this long before an update: 8 time-base periods. */
#define RTC_UIP_NS 244141
/* Alarm checks when the flags catch up after a long time: one day
 * covers every time of day an alarm can name. */
#define RTC_MAX_ALARM_STEPS 86400
/* 2000-01-01 00:00:00: the base until the board sets one. */
#define RTC_DEFAULT_BASE 946684800

struct rtc_state {
    struct device dev;
    uint8_t cmos[RTC_CMOS_SIZE];
    uint8_t index;
    bool nmi_masked;
    struct vclock *clk;
    struct irq *irq;
    struct vtimer timer;
    struct io_region *ports;

    bool running;     /* time advances: DV normal and SET clear */
    int64_t time_sec; /* the time shown at time_ns ... */
    int64_t time_ns;  /* ... whose second boundaries are time_ns + k s */
    int64_t div_ns;   /* the divider chain's phase: periodic edges */
    int64_t flags_ns; /* register C holds the events up to here */
    int irq_level;
};

/* ---- calendar ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Days since 1970-01-01, counting in 400-year eras of 146097 days whose
 * years start on March 1 (so that February, with the leap day, is last). */
int64_t rtc_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    if (m < 1)
        m = 1;
    if (m > 12)
        m = 12;
    if (m <= 2)
        y--;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                          /* 0-399 */
    int64_t mar = m > 2 ? m - 3 : m + 9;                  /* March = 0 */
    int64_t doy = (153 * mar + 2) / 5 + (int64_t)d - 1;   /* 0-365 */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  /* 0-146096 */
    return era * 146097 + doe - 719468; /* 719468: 0000-03-01 to 1970 */
}

void rtc_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mar = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mar + 2) / 5 + 1);
    *m = (unsigned)(mar < 10 ? mar + 3 : mar - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* ---- register encodings (register B: DM, 24/12) ---- */

static bool rtc_binary(const struct rtc_state *s)
{
    return s->cmos[RTC_REG_B] & RTC_B_DM;
}

static uint8_t rtc_encode(const struct rtc_state *s, unsigned v)
{
    return rtc_binary(s) ? (uint8_t)v : (uint8_t)(((v / 10) << 4) | (v % 10));
}

static unsigned rtc_decode(const struct rtc_state *s, uint8_t v)
{
    return rtc_binary(s) ? v : (unsigned)((v >> 4) * 10 + (v & 15));
}

/* Hours 0-23 as the register holds them: in 12-hour mode 1-12 with bit 7
 * set for PM. */
static uint8_t rtc_encode_hour(const struct rtc_state *s, unsigned h)
{
    if (s->cmos[RTC_REG_B] & RTC_B_24H)
        return rtc_encode(s, h);
    unsigned h12 = h % 12 ? h % 12 : 12;
    return (uint8_t)(rtc_encode(s, h12) | (h >= 12 ? 0x80 : 0));
}

static unsigned rtc_decode_hour(const struct rtc_state *s, uint8_t v)
{
    if (s->cmos[RTC_REG_B] & RTC_B_24H)
        return rtc_decode(s, v);
    return rtc_decode(s, v & 0x7f) % 12 + (v & 0x80 ? 12 : 0);
}

/* Fill the time registers (and the century) with t. */
static void rtc_show(struct rtc_state *s, int64_t t)
{
    int64_t days = floor_div(t, 86400), sod = t - days * 86400, y;
    unsigned m, d;
    rtc_civil_from_days(days, &y, &m, &d);
    s->cmos[RTC_SECONDS] = rtc_encode(s, (unsigned)(sod % 60));
    s->cmos[RTC_MINUTES] = rtc_encode(s, (unsigned)(sod / 60 % 60));
    s->cmos[RTC_HOURS] = rtc_encode_hour(s, (unsigned)(sod / 3600));
    /* 1970-01-01 was a Thursday; Sunday is 1. */
    s->cmos[RTC_DAY_OF_WEEK] = (uint8_t)(days + 4 - floor_div(days + 4, 7) * 7 + 1);
    s->cmos[RTC_DAY_OF_MONTH] = rtc_encode(s, d);
    s->cmos[RTC_MONTH] = rtc_encode(s, m);
    int64_t yy = y < 0 ? 0 : y;
    s->cmos[RTC_YEAR] = rtc_encode(s, (unsigned)(yy % 100));
    s->cmos[RTC_CENTURY] = rtc_encode(s, (unsigned)(yy / 100 % 100));
}

/* The time the registers hold. */
static int64_t rtc_held(const struct rtc_state *s)
{
    int64_t y = (int64_t)rtc_decode(s, s->cmos[RTC_CENTURY]) * 100 +
                rtc_decode(s, s->cmos[RTC_YEAR]);
    unsigned d = rtc_decode(s, s->cmos[RTC_DAY_OF_MONTH]);
    int64_t days = rtc_days_from_civil(y, rtc_decode(s, s->cmos[RTC_MONTH]),
                                       d ? d : 1);
    return days * 86400 + rtc_decode_hour(s, s->cmos[RTC_HOURS]) * 3600 +
           rtc_decode(s, s->cmos[RTC_MINUTES]) * 60 +
           rtc_decode(s, s->cmos[RTC_SECONDS]);
}

/* ---- time and events ---- */

static int64_t rtc_now_ns(struct rtc_state *s) { return vclock_now(s->clk); }

static bool rtc_divider_runs(const struct rtc_state *s)
{
    return (s->cmos[RTC_REG_A] & RTC_A_DV_MASK) == RTC_A_DV_32K;
}

/* Updates (second boundaries) since time_ns, at virtual time ns. */
static int64_t rtc_updates_at(const struct rtc_state *s, int64_t ns)
{
    return floor_div(ns - s->time_ns, NS_PER_SEC);
}

int64_t rtc_get_time(struct rtc_state *s)
{
    if (!s->running)
        return rtc_held(s);
    return s->time_sec + rtc_updates_at(s, rtc_now_ns(s));
}

/* Periodic interrupt period in time-base periods, 0 for none (data sheet,
 * "Periodic interrupt rate": RS 1 and 2 give 256 and 128 Hz, RS n >= 3
 * gives 65536 >> n Hz). */
static int64_t rtc_period_ticks(const struct rtc_state *s)
{
    unsigned rs = s->cmos[RTC_REG_A] & RTC_A_RS_MASK;
    if (rs == 0)
        return 0;
    return rs <= 2 ? 1ll << (rs + 6) : 1ll << (rs - 1);
}

static int64_t rtc_periods_at(const struct rtc_state *s, int64_t ns,
                              int64_t period)
{
    return floor_div(floor_div((ns - s->div_ns) * RTC_BASE_HZ, NS_PER_SEC),
                     period);
}

/* Does the time t match the alarm bytes (0xC0-0xFF: any value)? */
static bool rtc_alarm_matches(const struct rtc_state *s, int64_t t)
{
    int64_t sod = t - floor_div(t, 86400) * 86400;
    uint8_t now[3] = { rtc_encode(s, (unsigned)(sod % 60)),
                       rtc_encode(s, (unsigned)(sod / 60 % 60)),
                       rtc_encode_hour(s, (unsigned)(sod / 3600)) };
    static const uint8_t alarm[3] = { RTC_SECONDS_ALARM, RTC_MINUTES_ALARM,
                                      RTC_HOURS_ALARM };
    for (int i = 0; i < 3; i++) {
        uint8_t a = s->cmos[alarm[i]];
        if (a < 0xc0 && a != now[i])
            return false;
    }
    return true;
}

/* Raise the flags of the events in (flags_ns, now]. */
static void rtc_catch_up(struct rtc_state *s, int64_t now)
{
    int64_t from = s->flags_ns;
    if (now <= from)
        return;
    s->flags_ns = now;
    int64_t period = rtc_period_ticks(s);
    if (rtc_divider_runs(s) && period &&
        rtc_periods_at(s, now, period) > rtc_periods_at(s, from, period))
        s->cmos[RTC_REG_C] |= RTC_C_PF;
    if (!s->running)
        return;
    int64_t u0 = rtc_updates_at(s, from), u1 = rtc_updates_at(s, now);
    if (u1 <= u0)
        return;
    s->cmos[RTC_REG_C] |= RTC_C_UF;
    if (u1 - u0 > RTC_MAX_ALARM_STEPS)
        u0 = u1 - RTC_MAX_ALARM_STEPS;
    for (int64_t u = u0 + 1; u <= u1; u++)
        if (rtc_alarm_matches(s, s->time_sec + u)) {
            s->cmos[RTC_REG_C] |= RTC_C_AF;
            break;
        }
}

void rtc_connect_irq(struct rtc_state *s, struct irq *irq)
{
    s->irq = irq;
    irq_set(irq, s->irq_level != 0);
}

/* IRQF and the IRQ 8 output from the flags and their enables. */
static void rtc_update_irq(struct rtc_state *s)
{
    uint8_t b = s->cmos[RTC_REG_B], c = s->cmos[RTC_REG_C];
    bool irqf = ((c & RTC_C_PF) && (b & RTC_B_PIE)) ||
                ((c & RTC_C_AF) && (b & RTC_B_AIE)) ||
                ((c & RTC_C_UF) && (b & RTC_B_UIE));
    s->cmos[RTC_REG_C] = (uint8_t)((c & ~RTC_C_IRQF) | (irqf ? RTC_C_IRQF : 0));
    if (irqf != (s->irq_level != 0)) {
        s->irq_level = irqf;
        irq_set(s->irq, irqf);
    }
}

/* The next time an enabled event can raise IRQF, or none while IRQF is
 * set (nothing more can be signalled before register C is read). */
static void rtc_arm(struct rtc_state *s)
{
    uint8_t b = s->cmos[RTC_REG_B];
    int64_t now = rtc_now_ns(s), next = INT64_MAX;
    int64_t period = rtc_period_ticks(s);
    if (s->cmos[RTC_REG_C] & RTC_C_IRQF) {
        vtimer_del(&s->timer);
        return;
    }
    if ((b & RTC_B_PIE) && rtc_divider_runs(s) && period) {
        int64_t edge = (rtc_periods_at(s, now, period) + 1) * period;
        next = s->div_ns + ticks_to_ns(edge, RTC_BASE_HZ);
    }
    if ((b & (RTC_B_AIE | RTC_B_UIE)) && s->running) {
        int64_t upd = s->time_ns + (rtc_updates_at(s, now) + 1) * NS_PER_SEC;
        if (upd < next)
            next = upd;
    }
    if (next == INT64_MAX)
        vtimer_del(&s->timer);
    else
        vtimer_mod(&s->timer, next);
}

static void rtc_timer_cb(void *opaque)
{
    struct rtc_state *s = opaque;
    rtc_catch_up(s, rtc_now_ns(s));
    rtc_update_irq(s);
    rtc_arm(s);
}

/* Stop the time where it is: the registers keep it. */
static void rtc_freeze(struct rtc_state *s)
{
    if (!s->running)
        return;
    rtc_show(s, rtc_get_time(s));
    s->running = false;
}

/* Run from the time the registers hold, the next update first_ns on. */
static void rtc_start(struct rtc_state *s, int64_t first_ns)
{
    s->time_sec = rtc_held(s);
    s->time_ns = first_ns - NS_PER_SEC;
    s->running = true;
}

static bool rtc_should_run(const struct rtc_state *s)
{
    return rtc_divider_runs(s) && !(s->cmos[RTC_REG_B] & RTC_B_SET);
}

/* ---- ports ---- */

static uint8_t rtc_read_reg(struct rtc_state *s, unsigned reg)
{
    int64_t now = rtc_now_ns(s);
    switch (reg) {
    case RTC_SECONDS:
    case RTC_MINUTES:
    case RTC_HOURS:
    case RTC_DAY_OF_WEEK:
    case RTC_DAY_OF_MONTH:
    case RTC_MONTH:
    case RTC_YEAR:
    case RTC_CENTURY:
        if (s->running)
            rtc_show(s, rtc_get_time(s));
        return s->cmos[reg];
    case RTC_REG_A: {
        uint8_t a = s->cmos[RTC_REG_A] & (uint8_t)~RTC_A_UIP;
        int64_t next = s->time_ns + (rtc_updates_at(s, now) + 1) * NS_PER_SEC;
        if (s->running && next - now <= RTC_UIP_NS)
            a |= RTC_A_UIP;
        return a;
    }
    case RTC_REG_C: {
        rtc_catch_up(s, now);
        rtc_update_irq(s);
        uint8_t c = s->cmos[RTC_REG_C];
        s->cmos[RTC_REG_C] = 0;
        rtc_update_irq(s);
        rtc_arm(s);
        return c;
    }
    default:
        return s->cmos[reg];
    }
}

static void rtc_write_reg(struct rtc_state *s, unsigned reg, uint8_t v)
{
    int64_t now = rtc_now_ns(s);
    rtc_catch_up(s, now);
    switch (reg) {
    case RTC_SECONDS:
    case RTC_MINUTES:
    case RTC_HOURS:
    case RTC_DAY_OF_WEEK:
    case RTC_DAY_OF_MONTH:
    case RTC_MONTH:
    case RTC_YEAR:
    case RTC_CENTURY:
        /* While the clock runs the new time counts from this moment. */
        if (s->running) {
            rtc_freeze(s);
            s->cmos[reg] = v;
            rtc_start(s, now + NS_PER_SEC);
        } else {
            s->cmos[reg] = v;
        }
        s->flags_ns = now;
        break;
    case RTC_REG_A: {
        bool was = rtc_divider_runs(s);
        rtc_freeze(s);
        s->cmos[RTC_REG_A] = v & (uint8_t)~RTC_A_UIP;
        /* The first update comes 500 ms after the divider chain is
         * released (data sheet, "Divider control"). */
        if (!was && rtc_divider_runs(s))
            s->div_ns = now;
        if (rtc_should_run(s))
            rtc_start(s, was ? now + NS_PER_SEC : now + NS_PER_SEC / 2);
        break;
    }
    case RTC_REG_B:
        /* SET clears UIE (data sheet, "Register B"). */
        if (v & RTC_B_SET)
            v &= (uint8_t)~RTC_B_UIE;
        if ((v & RTC_B_SET) && s->running)
            rtc_freeze(s);
        s->cmos[RTC_REG_B] = v;
        if (!s->running && rtc_should_run(s))
            rtc_start(s, now + NS_PER_SEC);
        break;
    case RTC_REG_C:
    case RTC_REG_D:
        return; /* read-only */
    default:
        s->cmos[reg] = v;
        break;
    }
    rtc_update_irq(s);
    rtc_arm(s);
}

static uint64_t rtc_port_read(void *opaque, struct mem_attrs attrs,
                              uint64_t offset, unsigned size)
{
    struct rtc_state *s = opaque;
    (void)attrs, (void)size;
    if (offset == 0)
        return 0xff; /* the index port is write-only */
    return rtc_read_reg(s, s->index);
}

static void rtc_port_write(void *opaque, struct mem_attrs attrs,
                           uint64_t offset, uint64_t value, unsigned size)
{
    struct rtc_state *s = opaque;
    (void)attrs, (void)size;
    if (offset == 0) {
        s->index = value & 0x7f;
        s->nmi_masked = (value & 0x80) != 0;
        return;
    }
    rtc_write_reg(s, s->index, (uint8_t)value);
}

static const struct mem_ops rtc_ops = {
    .read = rtc_port_read,
    .write = rtc_port_write,
    .min_size = 1,
    .max_size = 1,
};

/* ---- the board's interface ---- */

void rtc_set_base(struct rtc_state *s, int64_t seconds)
{
    int64_t now = rtc_now_ns(s);
    rtc_catch_up(s, now);
    bool run = s->running;
    s->running = false;
    rtc_show(s, seconds + floor_div(now, NS_PER_SEC));
    if (run)
        rtc_start(s, (floor_div(now, NS_PER_SEC) + 1) * NS_PER_SEC);
    rtc_arm(s);
}

static void rtc_checksum(struct rtc_state *s)
{
    unsigned sum = 0;
    for (unsigned i = 0x10; i <= 0x2d; i++)
        sum += s->cmos[i];
    s->cmos[0x2e] = (uint8_t)(sum >> 8);
    s->cmos[0x2f] = (uint8_t)sum;
}

void rtc_cmos_set(struct rtc_state *s, unsigned index, uint8_t value)
{
    J_ASSERT(index < RTC_CMOS_SIZE);
    if (index <= RTC_REG_D || index == RTC_CENTURY) {
        rtc_write_reg(s, index, value);
        return;
    }
    s->cmos[index] = value;
    if (index >= 0x10 && index <= 0x2d)
        rtc_checksum(s);
}

uint8_t rtc_cmos_get(struct rtc_state *s, unsigned index)
{
    J_ASSERT(index < RTC_CMOS_SIZE);
    if (index == RTC_REG_C) /* no side effect for the board */
        return s->cmos[RTC_REG_C];
    return rtc_read_reg(s, index);
}

bool rtc_nmi_masked(struct rtc_state *s) { return s->nmi_masked; }

/* ---- the device ---- */

/* The RESET pin (data sheet, "RESET"): the interrupt enables, the square
 * wave and the flags are cleared; time, alarm and RAM are kept. */
void rtc_reset(struct rtc_state *s)
{
    rtc_catch_up(s, rtc_now_ns(s));
    s->cmos[RTC_REG_B] &=
        (uint8_t)~(RTC_B_PIE | RTC_B_AIE | RTC_B_UIE | RTC_B_SQWE);
    s->cmos[RTC_REG_C] = 0;
    s->index = 0;
    s->nmi_masked = false;
    rtc_update_irq(s);
    rtc_arm(s);
}

static struct device *rtc_create(struct device_bus *bus, const uint64_t *prop)
{
    struct rtc_state *s = xcalloc(1, sizeof(*s));
    (void)prop;
    s->clk = bus->clock;
    s->irq = isa_irq(bus, 8);
    vtimer_init(&s->timer, s->clk, rtc_timer_cb, s);
    /* Power-on: the time base running with a 1024 Hz periodic rate, BCD
     * in 24-hour mode, valid RAM and time (what a PC BIOS leaves). */
    s->cmos[RTC_REG_A] = RTC_A_DV_32K | 0x06;
    s->cmos[RTC_REG_B] = RTC_B_24H;
    s->cmos[RTC_REG_D] = RTC_D_VRT;
    int64_t now = rtc_now_ns(s);
    s->div_ns = now;
    s->flags_ns = now;
    rtc_show(s, RTC_DEFAULT_BASE);
    rtc_start(s, now + NS_PER_SEC);
    s->ports = io_register(bus->io, "mc146818rtc", 0x70, 2, &rtc_ops, s);
    return &s->dev;
}

static void rtc_dev_reset(struct device *dev) { rtc_reset(rtc_from_device(dev)); }

static void rtc_dev_free(struct device *dev)
{
    struct rtc_state *s = rtc_from_device(dev);
    vtimer_del(&s->timer);
    io_unregister(dev->bus->io, s->ports);
    free(s);
}

const struct device_class rtc_device_class = {
    .name = "mc146818rtc",
    .desc = "the MC146818 real-time clock and CMOS RAM (ports 0x70-0x71)",
    .create = rtc_create,
    .reset = rtc_dev_reset,
    .free = rtc_dev_free,
};

struct rtc_state *rtc_from_device(struct device *dev)
{
    J_ASSERT(dev->cls == &rtc_device_class);
    return DEVICE_STATE(struct rtc_state, dev);
}
