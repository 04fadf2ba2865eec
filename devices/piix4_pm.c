/*
 * piix4_pm.c - the PIIX4 power management function (82371AB data sheet,
 * order 290562, section 3.4 and 7; ACPI 6.4, 4.8), PCI 01.3: 8086:7113
 * rev 03, class 068000, header type 0, interrupt pin A, as in QEMU's pc.
 *
 * Configuration: PMBA at 0x40 (bits 15-6 the base of 64 I/O ports, bit 0
 * reads 1) and PMREGMISC at 0x80 (bit 0, PMIOSE: the ports decode). The
 * ports, from PMBA:
 *
 *   +0  PMSTS (PM1a_STS, 16 bits, write 1 to clear): TMROF_STS 0,
 *       PWRBTN_STS 8, RSM_STS 15
 *   +2  PMEN (PM1a_EN): TMROF_EN 0, GBL_EN 5, PWRBTN_EN 8, RTC_EN 10
 *   +4  PMCNTRL (PM1a_CNT): SCI_EN 0, BRLD_EN_BM 1, GBL_RLS 2 (write-
 *       only), SUS_TYP 12-10, SUS_EN 13 (write-only)
 *   +8  PMTMR: the 24-bit PM timer, 3.579545 MHz from the virtual clock
 *
 * TMROF_STS is set each time bit 23 of the timer changes; with TMROF_EN
 * it raises the SCI, ISA IRQ 9 (a level, the line QEMU's pc and its ACPI
 * tables use). Writing SUS_EN with SUS_TYP 0 (soft off, the S5 type of
 * PIIX4 and of QEMU's _S5) powers the machine off: the emulation ends
 * with status 0 after the console output is flushed. Other suspend types
 * (suspend to RAM) are not modelled: the write is ignored.
 *
 * The APM ports (data sheet 3.3.3): APMC at 0xB2 and APMS at 0xB3 hold
 * what is written. On the PIIX4 a write to APMC raises an SMI, whose
 * handler in the BIOS switches the board into or out of ACPI mode; here
 * the handler's work is done at once, as QEMU's pc does: writing
 * PIIX4_ACPI_ENABLE sets SCI_EN, PIIX4_ACPI_DISABLE clears it (the FADT's
 * SMI_CMD, ACPI_ENABLE and ACPI_DISABLE, bios/acpi.c). The SMBus
 * controller (SMBBA 0x90), the device monitors and the general-purpose
 * I/O registers are not modelled.
 */
#include "devices/piix4_pm.h"

#include <stdlib.h>

#include "base/util.h"
#include "devices/pci.h"

#define PM_PMBA 0x40
#define PM_PMREGMISC 0x80
#define PM_IO_SIZE 64

#define PM_STS_TMROF 0x0001
#define PM_STS_PWRBTN 0x0100
#define PM_STS_MASK 0x8d31
#define PM_EN_MASK 0x0521
#define PM_CNT_SCI_EN 0x0001
#define PM_CNT_SUS_EN 0x2000
#define PM_CNT_KEEP 0x1c03 /* SUS_TYP, BRLD_EN_BM, SCI_EN */
#define PM_TIMER_MSB (1ll << 23)

struct piix4_pm_state {
    struct device dev;
    struct pci_function fn;
    struct vclock *clk;
    struct irq *sci;
    struct vtimer timer;
    struct io_region *ports;
    uint16_t base; /* while the ports are mapped */
    struct io_region *apm;
    uint16_t sts, en, cnt;
    uint8_t apmc, apms;
    int64_t sts_ns; /* TMROF_STS holds the changes up to here */
    int sci_level;
};

static int64_t pm_ticks(int64_t ns)
{
    return ns_to_ticks(ns, PM_TIMER_FREQ);
}

/* TMROF_STS for the changes of timer bit 23 up to now. */
static void pm_catch_up(struct piix4_pm_state *s)
{
    int64_t now = vclock_now(s->clk);
    if (pm_ticks(now) / PM_TIMER_MSB > pm_ticks(s->sts_ns) / PM_TIMER_MSB)
        s->sts |= PM_STS_TMROF;
    s->sts_ns = now;
}

static void pm_update_sci(struct piix4_pm_state *s)
{
    int level = (s->sts & s->en & PM_EN_MASK) != 0;
    if (level != s->sci_level) {
        s->sci_level = level;
        irq_set(s->sci, level);
    }
}

/* The next change of bit 23, while it could raise the SCI. */
static void pm_arm(struct piix4_pm_state *s)
{
    if (!(s->en & PM_STS_TMROF) || (s->sts & PM_STS_TMROF)) {
        vtimer_del(&s->timer);
        return;
    }
    int64_t next = (pm_ticks(vclock_now(s->clk)) / PM_TIMER_MSB + 1) *
                   PM_TIMER_MSB;
    vtimer_mod(&s->timer, ticks_to_ns(next, PM_TIMER_FREQ));
}

static void pm_timer_cb(void *opaque)
{
    struct piix4_pm_state *s = opaque;
    pm_catch_up(s);
    pm_update_sci(s);
    pm_arm(s);
}

static uint32_t pm_read_reg(struct piix4_pm_state *s, unsigned reg)
{
    switch (reg) {
    case 0:
        pm_catch_up(s);
        return s->sts;
    case 2: return s->en;
    case 4: return s->cnt;
    case 8: return (uint32_t)(pm_ticks(vclock_now(s->clk)) & 0xffffff);
    default: return 0;
    }
}

static void pm_write_reg(struct piix4_pm_state *s, unsigned reg, uint32_t v)
{
    struct device_bus *bus = s->dev.bus;
    switch (reg) {
    case 0:
        pm_catch_up(s);
        s->sts &= (uint16_t)~(v & PM_STS_MASK);
        break;
    case 2:
        pm_catch_up(s);
        s->en = (uint16_t)(v & PM_EN_MASK);
        break;
    case 4:
        s->cnt = (uint16_t)(v & PM_CNT_KEEP);
        if ((v & PM_CNT_SUS_EN) && ((v >> 10) & 7) == 0 && bus->exit)
            bus->exit(bus->board, 0);
        break;
    default:
        break;
    }
    pm_update_sci(s);
    pm_arm(s);
}

/* Registers are 16 bits at 0, 2 and 4 and 32 at 8: an access is split
 * into the registers it covers (bytes of a register read and written in
 * place). */
static uint64_t pm_io_read(void *opaque, struct mem_attrs attrs,
                           uint64_t offset, unsigned size)
{
    struct piix4_pm_state *s = opaque;
    uint64_t v = 0;
    (void)attrs;
    for (unsigned i = 0; i < size; i++) {
        unsigned at = (unsigned)offset + i;
        unsigned reg = at < 8 ? at & ~1u : at < 12 ? 8 : at;
        v |= (uint64_t)((pm_read_reg(s, reg) >> (8 * (at - reg))) & 0xff)
             << (8 * i);
    }
    return v;
}

static void pm_io_write(void *opaque, struct mem_attrs attrs, uint64_t offset,
                        uint64_t value, unsigned size)
{
    struct piix4_pm_state *s = opaque;
    (void)attrs;
    unsigned at = (unsigned)offset;
    if (at < 6 && !(at & 1) && size >= 2) {
        pm_write_reg(s, at, (uint32_t)value & 0xffff);
        if (size == 4)
            pm_write_reg(s, at + 2, (uint32_t)(value >> 16));
        return;
    }
    /* A byte write: merge with the register's other byte (write-1-to-
     * clear status bits in the other byte are written as 0). */
    for (unsigned i = 0; i < size; i++, at++) {
        if (at >= 6)
            continue;
        unsigned reg = at & ~1u, sh = 8 * (at & 1);
        uint32_t keep = reg == 0 ? 0 : pm_read_reg(s, reg) & ~(0xffu << sh);
        pm_write_reg(s, reg, keep | ((uint32_t)(value >> (8 * i)) & 0xff) << sh);
    }
}

static const struct mem_ops pm_io_ops = {
    .read = pm_io_read,
    .write = pm_io_write,
    .min_size = 1,
    .max_size = 4,
};

static uint64_t apm_read(void *opaque, struct mem_attrs attrs,
                         uint64_t offset, unsigned size)
{
    struct piix4_pm_state *s = opaque;
    (void)attrs, (void)size;
    return offset == 0 ? s->apmc : s->apms;
}

static void apm_write(void *opaque, struct mem_attrs attrs, uint64_t offset,
                      uint64_t value, unsigned size)
{
    struct piix4_pm_state *s = opaque;
    (void)attrs, (void)size;
    if (offset != 0) {
        s->apms = (uint8_t)value;
        return;
    }
    s->apmc = (uint8_t)value;
    if (s->apmc == PIIX4_ACPI_ENABLE)
        s->cnt |= PM_CNT_SCI_EN;
    else if (s->apmc == PIIX4_ACPI_DISABLE)
        s->cnt &= (uint16_t)~PM_CNT_SCI_EN;
}

static const struct mem_ops apm_ops = {
    .read = apm_read,
    .write = apm_write,
    .min_size = 1,
    .max_size = 1,
};

/* Map the 64 ports at PMBA while PMIOSE is set. */
static void pm_update_io(struct piix4_pm_state *s)
{
    uint16_t base = pci_get_word(s->fn.config + PM_PMBA) & 0xffc0;
    bool on = (s->fn.config[PM_PMREGMISC] & 1) && base != 0;
    if (s->ports && (!on || base != s->base)) {
        io_unregister(s->dev.bus->io, s->ports);
        s->ports = NULL;
    }
    if (on && !s->ports && !io_find_conflict(s->dev.bus->io, base, PM_IO_SIZE)) {
        s->ports = io_register(s->dev.bus->io, "piix4-pm", base, PM_IO_SIZE,
                               &pm_io_ops, s);
        s->base = base;
    }
}

static void pm_config_written(struct pci_function *f, unsigned offset,
                              unsigned size)
{
    (void)offset, (void)size;
    pm_update_io(f->opaque);
}

void piix4_pm_power_button(struct device *dev)
{
    struct piix4_pm_state *s = DEVICE_STATE(struct piix4_pm_state, dev);
    s->sts |= PM_STS_PWRBTN;
    pm_update_sci(s);
}

static void piix4_pm_reset(struct device *dev)
{
    struct piix4_pm_state *s = DEVICE_STATE(struct piix4_pm_state, dev);
    struct pci_function *f = &s->fn;
    pci_function_init(f, "piix4-pm", 0x8086, 0x7113, 0x03, 0x068000, 0x00);
    pci_set_word(f->config + PCI_STATUS, 0x0280);
    f->config[PCI_INTERRUPT_PIN] = 1;
    f->config[PM_PMBA] = 0x01;
    pci_set_word(f->wmask + PM_PMBA, 0xffc0);
    f->wmask[PM_PMREGMISC] = 0x01;
    /* DEVACTB (0x58) bit 25, APMC_EN: "an APM control write raises SMI"
     * reads as already set, read-only. There is no SMM: QEMU does the
     * same with smm=off, and SeaBIOS then skips its SMM set-up (whose
     * SMI would never come). */
    f->config[0x5b] = 0x02;
    f->config_written = pm_config_written;
    f->opaque = s;
    s->sts = s->en = s->cnt = 0;
    s->apmc = s->apms = 0;
    s->sts_ns = vclock_now(s->clk);
    pm_update_io(s);
    pm_update_sci(s);
    pm_arm(s);
}

static struct device *piix4_pm_create(struct device_bus *bus,
                                      const uint64_t *prop)
{
    struct piix4_pm_state *s = xcalloc(1, sizeof(*s));
    (void)prop;
    if (!bus->pci)
        fatal("piix4-pm: no PCI bus (create i440fx first)");
    s->clk = bus->clock;
    s->sci = isa_irq(bus, 9);
    vtimer_init(&s->timer, s->clk, pm_timer_cb, s);
    pci_bus_add(bus->pci, &s->fn, PCI_DEVFN(1, 3));
    s->apm = io_register(bus->io, "piix4-apm", PIIX4_APM_PORT, 2, &apm_ops, s);
    return &s->dev;
}

static void piix4_pm_free(struct device *dev)
{
    struct piix4_pm_state *s = DEVICE_STATE(struct piix4_pm_state, dev);
    vtimer_del(&s->timer);
    if (s->ports)
        io_unregister(dev->bus->io, s->ports);
    io_unregister(dev->bus->io, s->apm);
    pci_bus_remove(&s->fn);
    free(s);
}

const struct device_class piix4_pm_device_class = {
    .name = "piix4-pm",
    .desc = "the PIIX4 power management function (PCI 01.3): PM timer, "
            "soft-off",
    .create = piix4_pm_create,
    .reset = piix4_pm_reset,
    .free = piix4_pm_free,
};
