/*
 * ioapic.c - the 82093AA I/O APIC (Intel data sheet 290566) at
 * 0xFEC00000: IOREGSEL (+0x00, the register index, 8 bits) and IOWIN
 * (+0x10, the 32-bit register it selects):
 *
 *   00h IOAPICID   bits 27:24, reset 0
 *   01h IOAPICVER  0x00170011: version 11h, 24 entries (17h + 1)
 *   02h IOAPICARB  bits 27:24, loaded from the ID when the ID is written
 *   10h-3Fh        the redirection table, entry n at 10h + 2n (low dword)
 *                  and 11h + 2n (high dword):
 *
 *     63:56 destination    16 mask       15 trigger (1 level)
 *     14 Remote IRR (RO)   13 polarity (1 low)   12 delivery status (RO)
 *     11 destination mode (1 logical)    10:8 delivery mode    7:0 vector
 *
 * An edge-triggered pin sends a message on each assertion while its entry
 * is unmasked (an edge while masked is lost); a level-triggered pin sends
 * one while it is asserted and Remote IRR is clear, and sets Remote IRR
 * until a local APIC's EOI for the vector clears it; if the pin is still
 * asserted then, the message is sent again. Unmasking an asserted level
 * pin sends it. Messages are delivered at once, so delivery status always
 * reads 0 ("idle").
 */
#include "devices/ioapic.h"

#include <stdlib.h>

#include "base/util.h"

#define IOAPIC_VERSION 0x00170011u

#define RTE_VECTOR 0xffull
#define RTE_DM_SHIFT 8
#define RTE_DEST_LOGICAL (1ull << 11)
#define RTE_STATUS (1ull << 12)
#define RTE_POLARITY_LOW (1ull << 13)
#define RTE_REMOTE_IRR (1ull << 14)
#define RTE_LEVEL (1ull << 15)
#define RTE_MASKED (1ull << 16)
#define RTE_DEST_SHIFT 56
/* What a guest may write: all but delivery status and Remote IRR, the
 * reserved bits 55:17 kept 0. */
#define RTE_WRITABLE (0xff00000000000000ull | 0x1afffull)

struct ioapic_state {
    struct device dev;
    struct mem_region *mmio;
    uint8_t regsel;
    uint32_t id, arb;
    uint64_t rte[IOAPIC_NUM_PINS];
    uint32_t pin_level; /* bit n: input n is high */
    struct irq pins[IOAPIC_NUM_PINS];
    void (*deliver)(void *opaque, uint8_t dest, bool logical, int mode,
                    int vector, bool level);
    void *deliver_opaque;
};

static bool pin_asserted(const struct ioapic_state *s, int n)
{
    bool high = (s->pin_level >> n) & 1;
    return (s->rte[n] & RTE_POLARITY_LOW) ? !high : high;
}

static void send(struct ioapic_state *s, int n)
{
    uint64_t e = s->rte[n];
    bool level = (e & RTE_LEVEL) != 0;
    if (level)
        s->rte[n] |= RTE_REMOTE_IRR;
    if (s->deliver)
        s->deliver(s->deliver_opaque, (uint8_t)(e >> RTE_DEST_SHIFT),
                   (e & RTE_DEST_LOGICAL) != 0, (int)((e >> RTE_DM_SHIFT) & 7),
                   (int)(e & RTE_VECTOR), level);
}

/* A level-triggered pin: send while asserted, unmasked, Remote IRR clear. */
static void service_level(struct ioapic_state *s, int n)
{
    uint64_t e = s->rte[n];
    if ((e & RTE_LEVEL) && !(e & (RTE_MASKED | RTE_REMOTE_IRR)) &&
        pin_asserted(s, n))
        send(s, n);
}

static void ioapic_pin_handler(void *opaque, int n, int level)
{
    struct ioapic_state *s = opaque;
    bool was = pin_asserted(s, n);
    if (level)
        s->pin_level |= 1u << n;
    else
        s->pin_level &= ~(1u << n);
    bool now = pin_asserted(s, n);
    uint64_t e = s->rte[n];
    if (e & RTE_LEVEL)
        service_level(s, n);
    else if (now && !was && !(e & RTE_MASKED))
        send(s, n);
}

struct irq *ioapic_pin(struct ioapic_state *s, int n)
{
    J_ASSERT(n >= 0 && n < IOAPIC_NUM_PINS);
    return &s->pins[n];
}

void ioapic_eoi(struct ioapic_state *s, int vector)
{
    for (int n = 0; n < IOAPIC_NUM_PINS; n++) {
        uint64_t e = s->rte[n];
        if ((e & RTE_LEVEL) && (e & RTE_REMOTE_IRR) &&
            (int)(e & RTE_VECTOR) == vector) {
            s->rte[n] &= ~RTE_REMOTE_IRR;
            service_level(s, n);
        }
    }
}

uint32_t ioapic_read_reg(struct ioapic_state *s, uint8_t index)
{
    switch (index) {
    case 0x00: return s->id;
    case 0x01: return IOAPIC_VERSION;
    case 0x02: return s->arb;
    default:
        if (index >= 0x10 && index < 0x10 + 2 * IOAPIC_NUM_PINS) {
            uint64_t e = s->rte[(index - 0x10) >> 1];
            return (index & 1) ? (uint32_t)(e >> 32) : (uint32_t)e;
        }
        return 0;
    }
}

void ioapic_write_reg(struct ioapic_state *s, uint8_t index, uint32_t v)
{
    switch (index) {
    case 0x00:
        s->id = v & 0x0f000000u;
        s->arb = s->id;
        return;
    case 0x01: case 0x02:
        return; /* read-only */
    default:
        break;
    }
    if (index < 0x10 || index >= 0x10 + 2 * IOAPIC_NUM_PINS)
        return;
    int n = (index - 0x10) >> 1;
    uint64_t e = s->rte[n];
    uint64_t nv = (index & 1) ? (e & 0xffffffffull) | (uint64_t)v << 32
                              : (e & ~0xffffffffull) | v;
    nv = (nv & RTE_WRITABLE) | (e & RTE_REMOTE_IRR);
    if (!(nv & RTE_LEVEL))
        nv &= ~RTE_REMOTE_IRR; /* edge entries have no Remote IRR */
    s->rte[n] = nv;
    service_level(s, n);
}

static uint64_t ioapic_mmio_read(void *opaque, struct mem_attrs attrs,
                                 uint64_t offset, unsigned size)
{
    struct ioapic_state *s = opaque;
    (void)attrs;
    uint32_t v;
    if (offset < 4)
        v = s->regsel;
    else if (offset >= 0x10 && offset < 0x14)
        v = ioapic_read_reg(s, s->regsel);
    else
        return 0;
    v >>= (offset & 3) * 8;
    return size == 4 ? v : v & ((1u << (size * 8)) - 1);
}

static void ioapic_mmio_write(void *opaque, struct mem_attrs attrs,
                              uint64_t offset, uint64_t value, unsigned size)
{
    struct ioapic_state *s = opaque;
    (void)attrs, (void)size;
    if (offset == 0x00)
        s->regsel = (uint8_t)value;
    else if (offset == 0x10 && size == 4)
        ioapic_write_reg(s, s->regsel, (uint32_t)value);
}

static const struct mem_ops ioapic_mmio_ops = {
    .read = ioapic_mmio_read,
    .write = ioapic_mmio_write,
    .min_size = 1,
    .max_size = 4,
};

void ioapic_connect(struct ioapic_state *s,
                    void (*deliver)(void *opaque, uint8_t dest, bool logical,
                                    int mode, int vector, bool level),
                    void *opaque)
{
    s->deliver = deliver;
    s->deliver_opaque = opaque;
}

struct ioapic_state *ioapic_from_device(struct device *dev)
{
    J_ASSERT(dev && dev->cls == &ioapic_device_class);
    return DEVICE_STATE(struct ioapic_state, dev);
}

static void ioapic_reset(struct device *dev)
{
    struct ioapic_state *s = DEVICE_STATE(struct ioapic_state, dev);
    s->regsel = 0;
    s->id = s->arb = 0;
    for (int n = 0; n < IOAPIC_NUM_PINS; n++)
        s->rte[n] = RTE_MASKED;
}

static struct device *ioapic_create(struct device_bus *bus,
                                    const uint64_t *prop)
{
    struct ioapic_state *s = xcalloc(1, sizeof(*s));
    (void)prop;
    s->mmio = mem_add_mmio(bus->mem, "ioapic", IOAPIC_DEFAULT_BASE, 0x1000,
                           &ioapic_mmio_ops, s);
    for (int n = 0; n < IOAPIC_NUM_PINS; n++)
        irq_init(&s->pins[n], ioapic_pin_handler, s, n);
    return &s->dev;
}

static void ioapic_free(struct device *dev)
{
    struct ioapic_state *s = DEVICE_STATE(struct ioapic_state, dev);
    mem_region_remove(s->mmio);
    free(s);
}

const struct device_class ioapic_device_class = {
    .name = "ioapic",
    .desc = "the 82093AA I/O APIC (0xFEC00000), 24 pins",
    .create = ioapic_create,
    .reset = ioapic_reset,
    .free = ioapic_free,
};
