/*
 * pci_init.c - the POST's PCI set-up of bus 0, through configuration
 * mechanism #1, as SeaBIOS does it on QEMU's pc (and as the DSDT and the
 * MP table describe it, bios/tables.h):
 *   - the PIIX3's PIRQRC[A-D] (0x60-0x63) route PIRQA-D to ISA IRQ 10,
 *     10, 11, 11; the ELCR (0x4D0/0x4D1) makes those and the SCI (9)
 *     level-triggered;
 *   - each function's interrupt line (0x3C) is the IRQ of the PIRQ its
 *     pin reaches: pin P of device D on PIRQ (D + P - 1) mod 4;
 *   - BARs, the expansion ROM BAR too, as SeaBIOS's pciinit.c places
 *     them: by kind (I/O, memory, prefetchable memory), largest first;
 *     I/O from 0xC000 up; the two memory kinds packed under the top of
 *     the window (0xFEC00000), the larger-aligned kind below, each
 *     aligned to its largest BAR (so QEMU's std VGA gets BAR0 at
 *     0xFD000000, ROM at 0xFEBE0000, BAR2 at 0xFEBF0000); then I/O and
 *     memory decoding (and bus mastering) on in the command register;
 *   - the PIIX4 PM function (8086:7113): PMBA = PIIX4_PM_BASE, PMREGMISC
 *     bit 0 (its I/O space on).
 */
#include <string.h>

#include "bios/tables.h"

/* Configuration space offsets and bits (PCI Local Bus 3.0, 6.1, 6.2). */
#define PCI_COMMAND 0x04
#define PCI_BAR0 0x10
#define PCI_NUM_BARS 6
#define PCI_ROM_ADDRESS 0x30
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_HEADER_MULTI 0x80
#define PCI_COMMAND_IO 0x0001
#define PCI_COMMAND_MEMORY 0x0002
#define PCI_COMMAND_MASTER 0x0004

static uint32_t cfg_addr(int dev, int fn, int reg)
{
    return 0x80000000u | (uint32_t)dev << 11 | (uint32_t)fn << 8 |
           (uint32_t)(reg & 0xfc);
}

static uint32_t cfg_read(struct bios *b, int dev, int fn, int reg)
{
    bios_outl(b, 0xcf8, cfg_addr(dev, fn, reg));
    return bios_inl(b, 0xcfc);
}

static void cfg_write(struct bios *b, int dev, int fn, int reg, uint32_t v)
{
    bios_outl(b, 0xcf8, cfg_addr(dev, fn, reg));
    bios_outl(b, 0xcfc, v);
}

static void cfg_writeb(struct bios *b, int dev, int fn, int reg, uint8_t v)
{
    bios_outl(b, 0xcf8, cfg_addr(dev, fn, reg));
    bios_outb(b, (uint16_t)(0xcfc + (reg & 3)), v);
}

static void set_command(struct bios *b, int dev, int fn, uint32_t cmd)
{
    bios_outl(b, 0xcf8, cfg_addr(dev, fn, PCI_COMMAND));
    io_write(b->io, (struct mem_attrs){ 0 }, 0xcfc, cmd, 2);
}

/* A BAR to place: SeaBIOS's pciinit.c way. Each kind (I/O, memory,
 * prefetchable memory) is a list sorted by size, largest first (in the
 * order found among equals), laid out from the kind's base up. */
enum { KIND_IO, KIND_MEM, KIND_PREFMEM, N_KINDS };
#define MAX_BARS 64

struct pci_bar_entry {
    int dev, fn, reg;
    uint32_t size, flags; /* flags: the low bits the BAR reads (type) */
    int kind;
    bool is64;
};

struct pci_alloc {
    struct pci_bar_entry e[N_KINDS][MAX_BARS];
    int n[N_KINDS];
    uint32_t base[N_KINDS];
};

static void add_entry(struct pci_alloc *al, const struct pci_bar_entry *x)
{
    int k = x->kind, i = al->n[k];
    if (i == MAX_BARS)
        return;
    while (i > 0 && al->e[k][i - 1].size < x->size) {
        al->e[k][i] = al->e[k][i - 1];
        i--;
    }
    al->e[k][i] = *x;
    al->n[k]++;
}

/* Size each BAR, and the expansion ROM BAR (0x30, a memory BAR whose bit
 * 0 is its enable), with the all-ones probe. */
static void probe_bars(struct bios *b, struct pci_alloc *al, int dev, int fn)
{
    for (int i = 0; i <= PCI_NUM_BARS; i++) {
        bool rom = i == PCI_NUM_BARS;
        int reg = rom ? PCI_ROM_ADDRESS : PCI_BAR0 + 4 * i;
        uint32_t old = cfg_read(b, dev, fn, reg);
        cfg_write(b, dev, fn, reg, rom ? ~1u : 0xffffffffu);
        uint32_t probe = cfg_read(b, dev, fn, reg);
        cfg_write(b, dev, fn, reg, old);
        if (probe == 0 || probe == 0xffffffffu)
            continue;
        bool io = !rom && (probe & 1);
        uint32_t mask = rom  ? probe & ~0x7ffu
                        : io ? (probe | 0xffff0000u) & ~3u
                             : probe & ~0xfu;
        uint32_t size = ~mask + 1;
        if (size == 0)
            continue;
        struct pci_bar_entry x = {
            .dev = dev, .fn = fn, .reg = reg, .size = size,
            .flags = rom ? 0 : probe & (io ? 1u : 0xfu),
            .kind = io ? KIND_IO
                    : (!rom && (probe & 8)) ? KIND_PREFMEM
                                            : KIND_MEM,
            .is64 = !io && !rom && (probe & 6) == 4,
        };
        add_entry(al, &x);
        if (x.is64)
            i++; /* the high half */
    }
}

static uint32_t kind_sum(const struct pci_alloc *al, int k)
{
    uint32_t sum = 0;
    for (int i = 0; i < al->n[k]; i++)
        sum += al->e[k][i].size;
    return sum;
}

/* The largest alignment of a kind: its first (largest) BAR's size. */
static uint32_t kind_align(const struct pci_alloc *al, int k)
{
    return al->n[k] ? al->e[k][0].size : 1;
}

/* Where each kind starts, as SeaBIOS's root bus: I/O from 0xC000; the
 * two memory kinds packed under the top of the window (TABLES_MMIO_START),
 * the one with the larger alignment lower. Returns false when memory
 * does not fit above window_start (nothing memory is then placed). */
static bool place_kinds(struct pci_alloc *al, uint32_t window_start)
{
    al->base[KIND_IO] = PCI_IO_ALLOC_START;
    int lo = KIND_PREFMEM, hi = KIND_MEM;
    if (kind_align(al, KIND_MEM) > kind_align(al, KIND_PREFMEM))
        lo = KIND_MEM, hi = KIND_PREFMEM;
    uint64_t top = TABLES_MMIO_START;
    uint64_t hi_base = (top - kind_sum(al, hi)) & ~(uint64_t)(kind_align(al, hi) - 1);
    uint64_t lo_sum = kind_sum(al, lo);
    if (lo_sum > hi_base)
        return false;
    uint64_t lo_base = (hi_base - lo_sum) & ~(uint64_t)(kind_align(al, lo) - 1);
    al->base[hi] = (uint32_t)hi_base;
    al->base[lo] = (uint32_t)lo_base;
    return lo_base >= window_start;
}

static void assign_bars(struct bios *b, struct pci_alloc *al, bool mem_fits)
{
    for (int k = 0; k < N_KINDS; k++) {
        if (k != KIND_IO && !mem_fits)
            continue;
        uint32_t at = al->base[k];
        uint32_t end = k == KIND_IO ? 0x10000u : TABLES_MMIO_START;
        for (int i = 0; i < al->n[k]; i++) {
            struct pci_bar_entry *x = &al->e[k][i];
            if (at > end || x->size > end - at)
                break;
            cfg_write(b, x->dev, x->fn, x->reg, at | x->flags);
            if (x->is64)
                cfg_write(b, x->dev, x->fn, x->reg + 4, 0);
            at += x->size;
        }
    }
}

/* Interrupt line, chipset registers; decoding off while the BARs are
 * sized (the all-ones probe must not be decoded) and placed. */
static void init_function(struct bios *b, struct pci_alloc *al, int dev,
                          int fn, uint32_t id)
{
    uint8_t pin = (uint8_t)(cfg_read(b, dev, fn, PCI_INTERRUPT_LINE) >> 8);
    if (pin >= 1 && pin <= 4)
        cfg_writeb(b, dev, fn, PCI_INTERRUPT_LINE,
                   pci_pirq_irqs[(dev + pin - 1) & 3]);
    if (id == 0x70008086u) { /* PIIX3 ISA bridge */
        for (int n = 0; n < 4; n++)
            cfg_writeb(b, dev, fn, 0x60 + n, pci_pirq_irqs[n]);
    }
    if (id == 0x71138086u) { /* PIIX4 power management */
        cfg_write(b, dev, fn, 0x40, PIIX4_PM_BASE | 1);
        cfg_writeb(b, dev, fn, 0x80, 0x01);
    }
    uint32_t class = cfg_read(b, dev, fn, 0x08) >> 16;
    if (class == 0x0600 || class == 0x0601)
        return; /* host and ISA bridges: no BARs */
    set_command(b, dev, fn,
                cfg_read(b, dev, fn, PCI_COMMAND) & 0xffff &
                    ~(uint32_t)(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
    probe_bars(b, al, dev, fn);
}

/* Decoding (and bus mastering) on once every BAR is placed. */
static void enable_function(struct bios *b, int dev, int fn)
{
    uint32_t class = cfg_read(b, dev, fn, 0x08) >> 16;
    if (class == 0x0600 || class == 0x0601)
        return;
    set_command(b, dev, fn,
                (cfg_read(b, dev, fn, PCI_COMMAND) & 0xffff) | PCI_COMMAND_IO |
                    PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

/* Call visit for each function present on bus 0. */
static void for_each_function(struct bios *b, struct pci_alloc *al,
                              void (*visit)(struct bios *, struct pci_alloc *,
                                            int, int, uint32_t))
{
    for (int dev = 0; dev < 32; dev++) {
        for (int fn = 0; fn < 8; fn++) {
            uint32_t id = cfg_read(b, dev, fn, 0);
            if ((id & 0xffff) == 0xffff) {
                if (fn == 0)
                    break;
                continue;
            }
            visit(b, al, dev, fn, id);
            if (fn == 0 &&
                !(cfg_read(b, dev, 0, 0x0c) & ((uint32_t)PCI_HEADER_MULTI << 16)))
                break;
        }
    }
}

static void visit_enable(struct bios *b, struct pci_alloc *al, int dev, int fn,
                         uint32_t id)
{
    (void)al, (void)id;
    enable_function(b, dev, fn);
}

void pci_init(struct bios *b)
{
    bios_outl(b, 0xcf8, 0x80000000u);
    if (bios_inl(b, 0xcf8) != 0x80000000u)
        return; /* no host bridge */
    struct pci_alloc al;
    memset(&al, 0, sizeof(al));
    for_each_function(b, &al, init_function);
    assign_bars(b, &al, place_kinds(&al, pci_mem_window_start(b->ram_size)));
    for_each_function(b, &al, visit_enable);
    /* ELCR (the PIIX3's edge/level control, 0x4D0 master, 0x4D1 slave):
     * the PCI IRQs and the SCI level-triggered. */
    uint16_t elcr = 1u << ACPI_SCI_IRQ;
    for (int n = 0; n < 4; n++)
        elcr |= (uint16_t)(1u << pci_pirq_irqs[n]);
    bios_outb(b, 0x4d0, (uint8_t)elcr);
    bios_outb(b, 0x4d1, (uint8_t)(elcr >> 8));
}

uint32_t vbe_lfb_base(struct bios *b)
{
    /* Any function with the Bochs/QEMU VGA's ID (00:02.0 on QEMU's pc,
     * but a user may place it elsewhere). */
    for (int dev = 0; dev < 32; dev++) {
        if (cfg_read(b, dev, 0, 0) == 0x11111234u)
            return cfg_read(b, dev, 0, PCI_BAR0) & ~0xfu;
    }
    return VBE_LFB_BASE;
}
