/*
 * test_pci.c - unit tests of the PCI side of the board: configuration
 * mechanism #1 and BARs (devices/pci.c), the i440FX PAM registers
 * (devices/i440fx.c), the PIIX3 (devices/piix3.c), the PIIX4 PM function
 * (devices/piix4_pm.c) and port 0x92 (devices/port92.c), on memory and
 * I/O maps of their own and an icount clock advanced by hand.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "devices/i440fx.h"
#include "devices/pci.h"
#include "devices/piix4_pm.h"
#include "devices/post.h"
#include "softmmu/memory.h"
#include "tests/unit/pci_cfg.h"
#include "tests/unit/unit.h"

static struct memory_map mem;
static struct io_map *io;
static struct vclock clk;
static uint64_t insns;
static struct device_bus bus;
static uint8_t *ram, rom[0x10000];
static struct i440fx_state *host;
static int exit_status, resets, a20;
static int sci_level, sci_rises;
static int64_t sci_ns;
static struct irq sci;

static void board_exit(void *b, int status) { (void)b, exit_status = status; }
static void board_reset(void *b, const char *why) { (void)b, (void)why, resets++; }
static void board_a20(void *b, bool on) { (void)b, a20 = on; }

static void sci_handler(void *opaque, int n, int level)
{
    (void)opaque, (void)n;
    if (level && !sci_level) {
        sci_rises++;
        sci_ns = vclock_now(&clk);
    }
    sci_level = level;
}

static void run_to(int64_t ns)
{
    while (vclock_next_deadline(&clk) <= ns) {
        int64_t d = vclock_next_deadline(&clk);
        if ((int64_t)insns < d)
            insns = (uint64_t)d;
        vclock_run_timers(&clk);
    }
    if ((int64_t)insns < ns)
        insns = (uint64_t)ns;
}

static uint32_t in(uint16_t port, unsigned size)
{
    return io_read(io, MEM_ATTRS_NONE, port, size);
}
static void out(uint16_t port, uint32_t v, unsigned size)
{
    io_write(io, MEM_ATTRS_NONE, port, v, size);
}
static uint32_t cfg_read(int devfn, int reg, unsigned size)
{
    return pci_cfg_read(io, devfn, reg, size);
}
static void cfg_write(int devfn, int reg, uint32_t v, unsigned size)
{
    pci_cfg_write(io, devfn, reg, v, size);
}
static uint32_t rd32(uint64_t a)
{
    uint32_t v;
    phys_read(&mem, a, &v, 4);
    return v;
}
/* A CPU store: through the section, so ROM and read-only RAM drop it. */
static void cpu_wr32(uint64_t a, uint32_t v)
{
    const struct mem_section *s = mem_lookup(&mem, a);
    if (s)
        mem_section_write(s, MEM_ATTRS_NONE, a, v, 4);
}

static void setup(void)
{
    memory_map_init(&mem);
    io = calloc(1, sizeof(*io));
    io_map_init(io);
    insns = 0;
    vclock_init(&clk, true, 0, &insns);
    ram = calloc(1, 0x200000);
    memset(rom, 0xab, sizeof(rom));
    mem_add_ram(&mem, "ram", 0, 0xa0000, ram);
    mem_add_ram(&mem, "ram-high", 0x100000, 0x100000, ram + 0x100000);
    mem_add_rom(&mem, "bios", 0xf0000, 0x10000, rom);
    device_bus_init(&bus, &mem, io, &clk);
    bus.exit = board_exit;
    bus.reset = board_reset;
    bus.set_a20 = board_a20;
    exit_status = -1;
    resets = 0;
    sci_level = sci_rises = 0;
    irq_init(&sci, sci_handler, NULL, 9);
    irq_fanout_add(&bus.isa_irq[9], &sci);
    host = i440fx_from_device(device_create_str(&bus, "i440fx"));
    i440fx_set_ram(host, ram);
    i440fx_set_rom(host, 0xf0000, 0x10000, rom);
    device_create_str(&bus, "piix3");
    device_create_str(&bus, "piix4-pm");
    device_create_str(&bus, "port92");
}

static void teardown(void)
{
    device_bus_destroy(&bus);
    memory_map_destroy(&mem);
    io_map_destroy(io);
    free(io);
    free(ram);
}

START_TEST(test_config_mechanism)
{
    ck_assert_uint_eq(cfg_read(0, 0, 4), 0x12378086u);
    ck_assert_uint_eq(cfg_read(PCI_DEVFN(1, 0), 0x0e, 1), 0x80);
    ck_assert_uint_eq(cfg_read(PCI_DEVFN(1, 1), 0x08, 4), 0x01018000u);
    ck_assert_uint_eq(cfg_read(PCI_DEVFN(1, 3), 0x00, 4), 0x71138086u);
    ck_assert_uint_eq(cfg_read(PCI_DEVFN(1, 3), 0x08, 1), 0x03);
    ck_assert_uint_eq(cfg_read(PCI_DEVFN(2, 0), 0, 4), 0xffffffffu);
    ck_assert_uint_eq(cfg_read(0, 0x02, 2), 0x1237);
    /* the enable bit clear: nothing answers */
    out(0xcf8, 0, 4);
    ck_assert_uint_eq(in(0xcfc, 4), 0xffffffffu);
    /* bus 1 does not exist */
    out(0xcf8, 0x80010000u, 4);
    ck_assert_uint_eq(in(0xcfc, 4), 0xffffffffu);
    /* read-only IDs, writable interrupt line */
    cfg_write(0, 0, 0xffffffffu, 4);
    ck_assert_uint_eq(cfg_read(0, 0, 4), 0x12378086u);
    cfg_write(PCI_DEVFN(1, 3), 0x3c, 9, 1);
    ck_assert_uint_eq(cfg_read(PCI_DEVFN(1, 3), 0x3c, 2), 0x0109);
}
END_TEST

START_TEST(test_bar_sizing_and_decoding)
{
    int ide = PCI_DEVFN(1, 1);
    cfg_write(ide, 0x20, 0xffffffffu, 4);
    ck_assert_uint_eq(cfg_read(ide, 0x20, 4), 0xfffffff1u);
    for (int i = 0; i < 4; i++)
        ck_assert_uint_eq(cfg_read(ide, 0x10 + 4 * i, 4), 0);
    cfg_write(ide, 0x20, 0xc000, 4);
    ck_assert_ptr_null(io_find_conflict(io, 0xc000, 16));
    cfg_write(ide, 0x04, 1, 2); /* I/O decoding on */
    ck_assert_ptr_nonnull(io_find_conflict(io, 0xc000, 16));
    out(0xc004, 0xdeadbeef, 4);
    ck_assert_uint_eq(in(0xc004, 4), 0xdeadbeecu);
    out(0xc002, 0x66, 1);
    ck_assert_uint_eq(in(0xc002, 1), 0x60);
    /* moved while decoding */
    cfg_write(ide, 0x20, 0xc040, 4);
    ck_assert_ptr_null(io_find_conflict(io, 0xc000, 16));
    ck_assert_uint_eq(in(0xc044, 4), 0xdeadbeecu);
    cfg_write(ide, 0x04, 0, 2);
    ck_assert_uint_eq(in(0xc044, 4), 0xffffffffu);
}
END_TEST

START_TEST(test_pam)
{
    ram[0xf8000] = 0x11;
    ck_assert_uint_eq(rd32(0xf8000) & 0xff, 0xab); /* ROM at reset */
    cfg_write(0, 0x59, 0x30, 1);                   /* DRAM */
    ck_assert_uint_eq(rd32(0xf8000) & 0xff, 0x11);
    cpu_wr32(0xf8000, 0x12345678);
    ck_assert_uint_eq(rd32(0xf8000), 0x12345678);
    cfg_write(0, 0x59, 0x10, 1); /* read-only DRAM */
    cpu_wr32(0xf8000, 0x99999999);
    ck_assert_uint_eq(rd32(0xf8000), 0x12345678);
    cfg_write(0, 0x59, 0x20, 1); /* write-only: reads the ROM */
    cpu_wr32(0xf8000, 0x55555555);
    ck_assert_uint_eq(rd32(0xf8000), 0xabababab);
    ck_assert_uint_eq(*(uint32_t *)(ram + 0xf8000), 0x55555555);
    /* the low nibble of 0x59 is reserved */
    cfg_write(0, 0x59, 0x0f, 1);
    ck_assert_uint_eq(cfg_read(0, 0x59, 1), 0x00);
    /* a 16 KiB segment: 0x5A high nibble is 0xC4000-0xC7FFF */
    cfg_write(0, 0x5a, 0x30, 1);
    cpu_wr32(0xc4000, 0x7);
    cpu_wr32(0xc0000, 0x7);
    ck_assert_uint_eq(rd32(0xc4000), 0x7);
    ck_assert_uint_eq(rd32(0xc0000), 0xffffffffu); /* nothing there */
}
END_TEST

START_TEST(test_pm_timer_and_soft_off)
{
    int pm = PCI_DEVFN(1, 3);
    cfg_write(pm, 0x40, 0xb000, 4);
    ck_assert_uint_eq(cfg_read(pm, 0x40, 4), 0xb001);
    ck_assert_uint_eq(in(0xb008, 4), 0xffffffffu); /* PMIOSE clear */
    cfg_write(pm, 0x80, 1, 1);
    run_to(NS_PER_SEC);
    ck_assert_uint_eq(in(0xb008, 4), 3579545);
    /* TMROF: bit 23 changes at 2^23 ticks; with TMROF_EN, the SCI */
    out(0xb002, 1, 2);
    run_to(NS_PER_SEC * 3);
    ck_assert_int_eq(sci_rises, 1);
    ck_assert_int_eq(sci_ns, ticks_to_ns(1 << 23, PM_TIMER_FREQ));
    ck_assert_uint_eq(in(0xb000, 2) & 1, 1);
    out(0xb000, 1, 2);
    ck_assert_int_eq(sci_level, 0);
    ck_assert_uint_eq(in(0xb000, 2) & 1, 0);
    /* the timer wraps at 24 bits */
    run_to(ticks_to_ns(1 << 24, PM_TIMER_FREQ) + 1);
    ck_assert_uint_lt(in(0xb008, 4), 16);
    /* suspend to RAM (type 1) is ignored; soft off (0) exits 0 */
    out(0xb004, 0x2000 | 1 << 10, 2);
    ck_assert_int_eq(exit_status, -1);
    out(0xb004, 0x2000, 2);
    ck_assert_int_eq(exit_status, 0);
}
END_TEST

START_TEST(test_reset_ports)
{
    /* 0xCF9: RCPU from 0 to 1 resets; a dword at 0xCF8 does not */
    out(0xcf9, 0x02, 1);
    ck_assert_int_eq(resets, 0);
    ck_assert_uint_eq(in(0xcf9, 1), 0x02);
    ck_assert_uint_eq(in(0xcf8, 1), 0xff);
    out(0xcf9, 0x06, 1);
    ck_assert_int_eq(resets, 1);
    out(0xcf8, 0x80000400u, 4);
    ck_assert_int_eq(resets, 1);
    /* port 0x92: A20 on at reset, bit 1 gates it, bit 0 resets */
    ck_assert_uint_eq(in(0x92, 1), 0x02);
    out(0x92, 0x00, 1);
    ck_assert_int_eq(a20, 0);
    out(0x92, 0x02, 1);
    ck_assert_int_eq(a20, 1);
    out(0x92, 0x03, 1);
    ck_assert_int_eq(resets, 2);
    out(0x92, 0x03, 1);
    ck_assert_int_eq(resets, 2);
}
END_TEST

static int isa_level[16];
static struct irq isa_sink[16];

static void isa_handler(void *opaque, int n, int level)
{
    (void)opaque;
    isa_level[n] = level;
}

START_TEST(test_intx_routing)
{
    static struct pci_function a, b;
    for (int i = 10; i < 12; i++) {
        isa_level[i] = 0;
        irq_init(&isa_sink[i], isa_handler, NULL, i);
        irq_fanout_add(&bus.isa_irq[i], &isa_sink[i]);
    }
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    pci_function_init(&a, "a", 0x1234, 1, 0, 0xff0000, 0);
    pci_function_init(&b, "b", 0x1234, 2, 0, 0xff0000, 0);
    a.config[PCI_INTERRUPT_PIN] = 1; /* 05.0 INTA#: PIRQB */
    b.config[PCI_INTERRUPT_PIN] = 4; /* 06.0 INTD#: (6 + 3) & 3 = PIRQB */
    pci_bus_add(bus.pci, &a, PCI_DEVFN(5, 0));
    pci_bus_add(bus.pci, &b, PCI_DEVFN(6, 0));
    int isa = PCI_DEVFN(1, 0);
    /* routing disabled at reset: nothing reaches the ISA lines */
    pci_set_irq(&a, 1);
    ck_assert_uint_eq(cfg_read(PCI_DEVFN(5, 0), PCI_STATUS, 2) & 8, 8);
    ck_assert_int_eq(isa_level[11], 0);
    cfg_write(isa, 0x61, 0x0b, 1);
    ck_assert_int_eq(isa_level[11], 1);
    /* a wired-OR: both must let go */
    pci_set_irq(&b, 1);
    pci_set_irq(&a, 0);
    ck_assert_int_eq(isa_level[11], 1);
    pci_set_irq(&b, 0);
    ck_assert_int_eq(isa_level[11], 0);
    /* moved while asserted: the old line falls, the new one rises */
    pci_set_irq(&a, 1);
    cfg_write(isa, 0x61, 0x0a, 1);
    ck_assert_int_eq(isa_level[11], 0);
    ck_assert_int_eq(isa_level[10], 1);
    /* the interrupt disable bit */
    cfg_write(PCI_DEVFN(5, 0), PCI_COMMAND, PCI_COMMAND_INTX_DISABLE, 2);
    ck_assert_int_eq(isa_level[10], 0);
    ck_assert_uint_eq(cfg_read(PCI_DEVFN(5, 0), PCI_STATUS, 2) & 8, 8);
    cfg_write(PCI_DEVFN(5, 0), PCI_COMMAND, 0, 2);
    ck_assert_int_eq(isa_level[10], 1);
    /* a reserved IRQ number routes nowhere */
    cfg_write(isa, 0x61, 0x08, 1);
    ck_assert_int_eq(isa_level[10], 0);
    pci_bus_remove(&a);
    pci_bus_remove(&b);
}
END_TEST

START_TEST(test_post_port)
{
    struct device *post = device_create_str(&bus, "isa-post");
    out(0x80, 0x12, 1);
    ck_assert_uint_eq(post_last_code(post), 0x12);
    out(0x80, 0x3456, 2);
    ck_assert_uint_eq(post_last_code(post), 0x56);
    ck_assert_uint_eq(in(0x80, 1), 0xff);
    device_reset(post);
    ck_assert_uint_eq(post_last_code(post), 0);
}
END_TEST

static Suite *pci_suite(void)
{
    Suite *s = suite_create("pci");
    TCase *tc = tcase_create("pci");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_config_mechanism);
    tcase_add_test(tc, test_bar_sizing_and_decoding);
    tcase_add_test(tc, test_pam);
    tcase_add_test(tc, test_pm_timer_and_soft_off);
    tcase_add_test(tc, test_reset_ports);
    tcase_add_test(tc, test_post_port);
    tcase_add_test(tc, test_intx_routing);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(pci_suite)
