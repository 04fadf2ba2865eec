/*
 * test_acpi.c - the firmware's tables (bios/tables.c, acpi.c, acpi_dsdt.c,
 * aml.c, mptable.c, smbios.c) and the POST's PCI set-up (pci_init.c) on a
 * board of the i440FX, PIIX3, PIIX4 PM and 8259s: the RSDP found by an
 * OS's scan of F0000-FFFFF, every table's checksum, the FADT's fixed
 * hardware answering at the ports it names, the MADT, HPET and MP tables
 * present exactly when the board says so, SMBIOS structures, the E820
 * reservation, and AML encodings checked against byte sequences worked
 * out by hand from the ACPI 6.4 grammar (chapter 20).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "bios/acpi.h"
#include "bios/aml.h"
#include "bios/bios.h"
#include "bios/rom.h"
#include "bios/tables.h"
#include "devices/device.h"
#include "softmmu/ldst.h"
#include "tests/unit/unit.h"

#define RAM_SIZE (16u << 20)

static struct memory_map mem;
static struct io_map io;
static struct vclock clk;
static uint64_t insns;
static struct device_bus bus;
static uint8_t *ram, rom[BIOS_ROM_SIZE];
static struct bios bios;

static void setup(void)
{
    memory_map_init(&mem);
    io_map_init(&io);
    insns = 0;
    vclock_init(&clk, true, 0, &insns);
    ram = calloc(1, RAM_SIZE);
    memset(rom, 0xff, sizeof(rom));
    mem_add_ram(&mem, "ram", 0, 0xa0000, ram);
    mem_add_ram(&mem, "ram-high", 0x100000, RAM_SIZE - 0x100000,
                ram + 0x100000);
    mem_add_rom(&mem, "bios", BIOS_ROM_BASE, BIOS_ROM_SIZE, rom);
    device_bus_init(&bus, &mem, &io, &clk);
    device_create_str(&bus, "isa-pic");
    device_create_str(&bus, "i440fx");
    device_create_str(&bus, "piix3");
    device_create_str(&bus, "piix4-pm");
    bios_init(&bios, &mem, &io, RAM_SIZE);
    bios.rom = rom;
}

static void teardown(void)
{
    device_bus_destroy(&bus);
    memory_map_destroy(&mem);
    io_map_destroy(&io);
    free(ram);
}

static void post(bool apics, bool hpet)
{
    bios.lapic = bios.ioapic = apics;
    bios.hpet = hpet;
    bios_post(&bios);
}

static uint32_t rd32(uint32_t a)
{
    uint8_t b[4];
    phys_read(&mem, a, b, 4);
    return ldl_le_p(b);
}

static uint8_t sum(uint32_t a, uint32_t n)
{
    uint8_t s = 0, v;
    for (uint32_t i = 0; i < n; i++) {
        phys_read(&mem, a + i, &v, 1);
        s = (uint8_t)(s + v);
    }
    return s;
}

/* What an OS does: the 16-byte boundaries of F0000-FFFFF for a signature
 * whose structure sums to zero over len bytes. 0 when none. */
static uint32_t scan(const char *sig, uint32_t len)
{
    for (uint32_t a = 0xf0000; a < 0x100000; a += 16) {
        char b[8];
        size_t n = strlen(sig);
        phys_read(&mem, a, b, n);
        if (memcmp(b, sig, n) == 0 && sum(a, len) == 0)
            return a;
    }
    return 0;
}

static bool sig_is(uint32_t a, const char *sig)
{
    char b[4];
    phys_read(&mem, a, b, 4);
    return memcmp(b, sig, 4) == 0;
}

/* The RSDT's entry with this signature, 0 when none. */
static uint32_t find_table(const char *sig)
{
    uint32_t rsdp = scan("RSD PTR ", 20);
    ck_assert_uint_ne(rsdp, 0);
    uint32_t rsdt = rd32(rsdp + 16);
    uint32_t n = (rd32(rsdt + 4) - 36) / 4;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = rd32(rsdt + 36 + 4 * i);
        if (sig_is(t, sig))
            return t;
    }
    return 0;
}

static uint8_t pm_cfg8(int reg)
{
    io_write(&io, MEM_ATTRS_NONE, 0xcf8, 0x80000b00u | (reg & 0xfc), 4);
    return (uint8_t)io_read(&io, MEM_ATTRS_NONE, 0xcfc + (reg & 3), 1);
}

START_TEST(test_rsdp_and_checksums)
{
    post(_i & 1, _i & 2);
    uint32_t rsdp = scan("RSD PTR ", 20);
    ck_assert_uint_eq(rsdp, BIOS_ROM_BASE + TABLES_RSDP_OFFSET);
    uint8_t rev;
    phys_read(&mem, rsdp + 15, &rev, 1);
    ck_assert_uint_eq(rev, 0);
    uint32_t rsdt = rd32(rsdp + 16);
    uint32_t base = tables_base(RAM_SIZE);
    ck_assert(sig_is(rsdt, "RSDT"));
    ck_assert_uint_eq(sum(rsdt, rd32(rsdt + 4)), 0);
    uint32_t n = (rd32(rsdt + 4) - 36) / 4;
    ck_assert_uint_eq(n, 1 + (_i & 1) + ((_i & 2) >> 1));
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = rd32(rsdt + 36 + 4 * i);
        ck_assert_uint_ge(t, base);
        ck_assert_uint_le(t + rd32(t + 4), base + TABLES_ACPI_SIZE);
        ck_assert_uint_eq(sum(t, rd32(t + 4)), 0);
    }
    uint32_t fadt = find_table("FACP");
    ck_assert_uint_eq(rd32(fadt + 4), ACPI_FADT_SIZE);
    uint32_t dsdt = rd32(fadt + 40), facs = rd32(fadt + 36);
    ck_assert(sig_is(dsdt, "DSDT"));
    ck_assert_uint_eq(sum(dsdt, rd32(dsdt + 4)), 0);
    ck_assert(sig_is(facs, "FACS"));
    ck_assert_uint_eq(rd32(facs + 4), 64);
    ck_assert_uint_eq(facs % 64, 0);
    ck_assert_uint_eq(find_table("APIC") != 0, (_i & 1) != 0);
    ck_assert_uint_eq(find_table("HPET") != 0, (_i & 2) != 0);
}
END_TEST

/* The FADT's blocks are where the PIIX4 answers after the POST: the PM
 * timer counts with the clock, SMI_CMD switches SCI_EN, and SLP_TYP 0
 * with SLP_EN powers off. */
static int exit_status;
static void board_exit(void *b, int status) { (void)b, exit_status = status; }

START_TEST(test_fadt_hardware)
{
    post(false, false);
    uint32_t fadt = find_table("FACP");
    uint8_t f[ACPI_FADT_SIZE];
    phys_read(&mem, fadt, f, sizeof(f));
    ck_assert_uint_eq(lduw_le_p(f + 46), 9);      /* SCI_INT */
    ck_assert_uint_eq(ldl_le_p(f + 48), 0xb2);    /* SMI_CMD */
    uint32_t evt = ldl_le_p(f + 56), cnt = ldl_le_p(f + 64);
    uint32_t tmr = ldl_le_p(f + 76);
    ck_assert_uint_eq(evt, 0x600);
    ck_assert_uint_eq(cnt, 0x604);
    ck_assert_uint_eq(tmr, 0x608);
    ck_assert_uint_eq(f[88], 4);
    ck_assert_uint_eq(f[89], 2);
    ck_assert_uint_eq(f[91], 4);
    ck_assert_uint_eq(pm_cfg8(0x40), 0x01);
    ck_assert_uint_eq(pm_cfg8(0x41), 0x06);
    ck_assert_uint_eq(pm_cfg8(0x80), 0x01);

    uint32_t t0 = io_read(&io, MEM_ATTRS_NONE, (uint16_t)tmr, 4);
    insns += 1000000; /* 1 ms of virtual time */
    uint32_t t1 = io_read(&io, MEM_ATTRS_NONE, (uint16_t)tmr, 4);
    ck_assert_uint_eq((t1 - t0) & 0xffffff, 3579);

    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, (uint16_t)cnt, 2) & 1, 0);
    io_write(&io, MEM_ATTRS_NONE, ldl_le_p(f + 48), f[52], 1);
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, (uint16_t)cnt, 2) & 1, 1);
    io_write(&io, MEM_ATTRS_NONE, ldl_le_p(f + 48), f[53], 1);
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, (uint16_t)cnt, 2) & 1, 0);

    exit_status = -1;
    bus.exit = board_exit;
    io_write(&io, MEM_ATTRS_NONE, (uint16_t)cnt, 0x2000 | (0 << 10), 2);
    ck_assert_int_eq(exit_status, 0);
}
END_TEST

START_TEST(test_madt)
{
    struct acpi_board board = { .ram_size = RAM_SIZE };
    uint8_t p[256];
    ck_assert_uint_eq(acpi_madt_build(p, &board), 0);
    board.lapic = true;
    ck_assert_uint_eq(acpi_madt_build(p, &board), 0); /* no IOAPIC */
    board.ioapic = true;
    uint32_t len = acpi_madt_build(p, &board);
    ck_assert_uint_eq(len, 44 + 8 + 12 + 5 * 10 + 6);
    ck_assert_uint_eq(tables_checksum(p, len), 0);
    ck_assert_int_eq(memcmp(p, "APIC", 4), 0);
    ck_assert_uint_eq(ldl_le_p(p + 36), 0xfee00000u);
    ck_assert_uint_eq(ldl_le_p(p + 40), 1);
    static const uint8_t lapic[] = { 0, 8, 0, 0, 1, 0, 0, 0 };
    ck_assert_int_eq(memcmp(p + 44, lapic, 8), 0);
    static const uint8_t ioapic[] = { 1, 12, 1, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0 };
    ck_assert_int_eq(memcmp(p + 52, ioapic, 12), 0);
    static const uint8_t iso[5][10] = {
        { 2, 10, 0, 0, 2, 0, 0, 0, 0, 0 },
        { 2, 10, 0, 5, 5, 0, 0, 0, 0x0d, 0 },
        { 2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0 },
        { 2, 10, 0, 10, 10, 0, 0, 0, 0x0d, 0 },
        { 2, 10, 0, 11, 11, 0, 0, 0, 0x0d, 0 },
    };
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(memcmp(p + 64 + 10 * i, iso[i], 10), 0);
    static const uint8_t nmi[] = { 4, 6, 0xff, 0, 0, 1 };
    ck_assert_int_eq(memcmp(p + 114, nmi, 6), 0);

    uint32_t hpet_len = acpi_hpet_build(p);
    ck_assert_uint_eq(hpet_len, 56);
    ck_assert_uint_eq(tables_checksum(p, hpet_len), 0);
    ck_assert_uint_eq(ldq_le_p(p + 44), 0xfed00000u);
}
END_TEST

/* The POST gives the IOAPIC the ID the MADT names: index 0 (ID) into
 * IOREGSEL, then 1 << 24 into IOWIN; nothing written without one. */
static uint32_t ioapic_sel, ioapic_id, ioapic_writes;

static uint64_t ioapic_read(void *o, struct mem_attrs at, uint64_t off,
                            unsigned size)
{
    (void)o, (void)at, (void)off, (void)size;
    return 0;
}

static void ioapic_write(void *o, struct mem_attrs at, uint64_t off,
                         uint64_t v, unsigned size)
{
    (void)o, (void)at, (void)size;
    ioapic_writes++;
    if (off == 0)
        ioapic_sel = (uint32_t)v;
    else if (off == 0x10 && ioapic_sel == 0)
        ioapic_id = (uint32_t)v;
}

static const struct mem_ops ioapic_ops = {
    .read = ioapic_read, .write = ioapic_write, .min_size = 4, .max_size = 4,
};

START_TEST(test_ioapic_id)
{
    mem_add_mmio(&mem, "ioapic", 0xfec00000u, 0x1000, &ioapic_ops, NULL);
    ioapic_sel = 0xff, ioapic_id = 0, ioapic_writes = 0;
    post(false, false);
    ck_assert_uint_eq(ioapic_writes, 0);
    post(true, false);
    ck_assert_uint_eq(ioapic_id, 1u << 24);
}
END_TEST

/* Byte sequences of the grammar, by hand. */
static void expect(struct aml *a, const uint8_t *want, size_t n)
{
    ck_assert_uint_eq(a->len, n);
    ck_assert_int_eq(memcmp(a->data, want, n), 0);
    a->len = 0;
}

START_TEST(test_aml_encodings)
{
    struct aml a;
    aml_init(&a);

    /* integers: ZeroOp, OneOp, BytePrefix, WordPrefix, DWordPrefix,
     * QWordPrefix (20.2.3) */
    aml_integer(&a, 0);
    aml_integer(&a, 1);
    aml_integer(&a, 0x80);
    aml_integer(&a, 0x1234);
    aml_integer(&a, 0x12345678);
    aml_integer(&a, 0x100000000ull);
    static const uint8_t ints[] = { 0x00, 0x01, 0x0a, 0x80, 0x0b, 0x34, 0x12,
                                    0x0c, 0x78, 0x56, 0x34, 0x12, 0x0e, 0,
                                    0,    0,    0,    1,    0,    0,    0 };
    expect(&a, ints, sizeof(ints));

    /* names: root + DualNamePrefix, MultiNamePrefix, parent prefix and
     * padding; malformed ones refused (20.2.2) */
    ck_assert(aml_name_string(&a, "\\_SB.PCI0"));
    static const uint8_t dual[] = { 0x5c, 0x2e, '_', 'S', 'B', '_',
                                    'P',  'C',  'I', '0' };
    expect(&a, dual, sizeof(dual));
    ck_assert(aml_name_string(&a, "\\_SB.PCI0.ISA.PRQA"));
    static const uint8_t multi[] = { 0x5c, 0x2f, 4,   '_', 'S', 'B', '_',
                                     'P',  'C',  'I', '0', 'I', 'S', 'A',
                                     '_',  'P',  'R', 'Q', 'A' };
    expect(&a, multi, sizeof(multi));
    ck_assert(aml_name_string(&a, "^LNK"));
    static const uint8_t parent[] = { 0x5e, 'L', 'N', 'K', '_' };
    expect(&a, parent, sizeof(parent));
    ck_assert(!aml_name_string(&a, "lower"));
    ck_assert(!aml_name_string(&a, "TOOLONG"));
    ck_assert(!aml_name_string(&a, "A..B"));
    ck_assert(!aml_name_string(&a, "1ABC"));
    ck_assert_uint_eq(a.len, 0);

    /* Name(_HID, EISAID("PNP0A03")): the ID 0x030AD041 */
    ck_assert_uint_eq(aml_eisaid_value("PNP0A03"), 0x030ad041u);
    aml_name(&a, "_HID");
    aml_eisaid(&a, "PNP0A03");
    static const uint8_t hid[] = { 0x08, '_',  'H',  'I',  'D',
                                   0x0c, 0x41, 0xd0, 0x0a, 0x03 };
    expect(&a, hid, sizeof(hid));

    /* Name(_S5, Package(4) { 0, 0, 0, 0 }) */
    aml_name(&a, "_S5");
    aml_package_begin(&a, 4);
    for (int i = 0; i < 4; i++)
        aml_integer(&a, 0);
    aml_end(&a);
    static const uint8_t s5[] = { 0x08, '_', 'S', '5', '_', 0x12,
                                  0x06, 4,   0,   0,   0,   0 };
    expect(&a, s5, sizeof(s5));

    /* Method(_STA) { Return (0x0F) } */
    aml_method_begin(&a, "_STA", 0, false);
    aml_byte(&a, AML_RETURN);
    aml_integer(&a, 0x0f);
    aml_end(&a);
    static const uint8_t sta[] = { 0x14, 0x09, '_', 'S', 'T',
                                   'A',  0x00, 0xa4, 0x0a, 0x0f };
    expect(&a, sta, sizeof(sta));

    /* Device(PCI0) { Name(_ADR, 0) } */
    aml_device_begin(&a, "PCI0");
    aml_name(&a, "_ADR");
    aml_integer(&a, 0);
    aml_end(&a);
    static const uint8_t dev[] = { 0x5b, 0x82, 0x0b, 'P', 'C', 'I', '0',
                                   0x08, '_',  'A',  'D', 'R', 0x00 };
    expect(&a, dev, sizeof(dev));

    /* OperationRegion(PIRQ, PCI_Config, 0x60, 4) and
     * Field(PIRQ, ByteAcc, NoLock, Preserve) { PRQA, 8 } */
    aml_opregion(&a, "PIRQ", AML_SPACE_PCI_CONFIG, 0x60, 4);
    aml_field_begin(&a, "PIRQ", AML_FIELD_BYTE_ACC);
    aml_field_unit(&a, "PRQA", 8);
    aml_end(&a);
    static const uint8_t region[] = { 0x5b, 0x80, 'P', 'I', 'R', 'Q', 0x02,
                                      0x0a, 0x60, 0x0a, 0x04,
                                      0x5b, 0x81, 0x0b, 'P', 'I', 'R', 'Q',
                                      0x01, 'P',  'R',  'Q', 'A', 0x08 };
    expect(&a, region, sizeof(region));

    /* ResourceTemplate() { IO(Decode16, 0x3F8, 0x3F8, 1, 8) } */
    struct aml_res r = { .n = 0 };
    aml_res_io(&r, 0x3f8, 0x3f8, 1, 8);
    aml_resource_template(&a, &r);
    static const uint8_t res[] = { 0x11, 0x0d, 0x0a, 0x0a, 0x47, 0x01, 0xf8,
                                   0x03, 0xf8, 0x03, 0x01, 0x08, 0x79, 0x00 };
    expect(&a, res, sizeof(res));

    /* a two-byte PkgLength: Buffer(100): 2 + 100 + 2 = 104 = 0x68 */
    uint8_t hundred[100];
    memset(hundred, 0x5a, sizeof(hundred));
    aml_buffer(&a, hundred, sizeof(hundred));
    ck_assert_uint_eq(a.len, 105);
    static const uint8_t big[] = { 0x11, 0x48, 0x06, 0x0a, 100, 0x5a };
    ck_assert_int_eq(memcmp(a.data, big, sizeof(big)), 0);
    a.len = 0;

    /* a three-byte PkgLength: 5000 bytes of body in a Scope */
    aml_scope_begin(&a, "_SB");
    for (int i = 0; i < 4996; i++)
        aml_byte(&a, 0xa3); /* Noop */
    aml_end(&a);
    ck_assert_uint_eq(a.len, 1 + 3 + 5000);
    ck_assert_uint_eq(a.data[1], 0x80 | (5003 & 0xf));
    ck_assert_uint_eq(a.data[2], (5003 >> 4) & 0xff);
    ck_assert_uint_eq(a.data[3], 5003 >> 12);
    aml_free(&a);
}
END_TEST

/* The DSDT the POST wrote: \_S5 with SLP_TYP 0 (the PIIX4's soft off),
 * the host bridge's memory window, the link devices, HPET only when
 * present. */
static bool dsdt_has(const uint8_t *p, uint32_t len, const void *s, size_t n)
{
    for (uint32_t i = 0; i + n <= len; i++)
        if (memcmp(p + i, s, n) == 0)
            return true;
    return false;
}

START_TEST(test_dsdt)
{
    post(false, _i != 0);
    uint32_t dsdt = rd32(find_table("FACP") + 40);
    uint32_t len = rd32(dsdt + 4);
    uint8_t *p = malloc(len);
    phys_read(&mem, dsdt, p, len);
    static const uint8_t s5[] = { 0x08, 0x5c, '_', 'S', '5', '_', 0x12,
                                  0x06, 4,    0,   0,   0,   0 };
    ck_assert(dsdt_has(p, len, s5, sizeof(s5)));
    uint8_t win[8];
    stl_le_p(win, 0xe0000000u);
    stl_le_p(win + 4, 0xfebfffffu);
    ck_assert(dsdt_has(p, len, win, 8));
    for (char c = 'A'; c <= 'D'; c++) {
        char name[5] = { 'L', 'N', 'K', c, 0 };
        ck_assert(dsdt_has(p, len, name, 4));
    }
    static const uint8_t pnp0c0f[] = { 0x0c, 0x41, 0xd0, 0x0c, 0x0f };
    static const uint8_t pnp0103[] = { 0x0c, 0x41, 0xd0, 0x01, 0x03 };
    ck_assert(dsdt_has(p, len, pnp0c0f, sizeof(pnp0c0f)));
    ck_assert_int_eq(dsdt_has(p, len, pnp0103, sizeof(pnp0103)), _i != 0);
    free(p);
}
END_TEST

START_TEST(test_e820_reserves_tables)
{
    post(true, true);
    uint32_t base = tables_base(RAM_SIZE);
    ck_assert_uint_eq(base, RAM_SIZE - 0x10000);
    bool acpi = false, rsv = false;
    for (int i = 0; i < bios.n_e820; i++) {
        const struct e820_entry *e = &bios.e820[i];
        if (e->type == E820_RAM)
            ck_assert(e->base + e->length <= base || e->base >= RAM_SIZE);
        if (e->type == E820_ACPI && e->base == base && e->length == 0xc000)
            acpi = true;
        if (e->type == E820_RESERVED && e->base == base + 0xc000 &&
            e->length == 0x4000)
            rsv = true;
    }
    ck_assert(acpi && rsv);
    /* every table lies in the reserved range */
    uint32_t rsdt = rd32(scan("RSD PTR ", 20) + 16);
    ck_assert_uint_ge(rsdt, base);
    ck_assert_uint_lt(rsdt, base + 0xc000);
    uint32_t facs = rd32(find_table("FACP") + 36);
    ck_assert_uint_ge(facs, base + 0xc000);
    ck_assert_uint_lt(facs, base + 0x10000);
    /* the table area below 4 GiB's MMIO for big RAM */
    ck_assert_uint_eq(tables_base(0xfff00000ull), 0xfebf0000u);
}
END_TEST

START_TEST(test_mptable)
{
    post(_i != 0, false);
    uint32_t fp = scan("_MP_", 16);
    if (_i == 0) {
        ck_assert_uint_eq(fp, 0);
        return;
    }
    ck_assert_uint_eq(fp, BIOS_ROM_BASE + TABLES_MPFP_OFFSET);
    uint32_t cfg = rd32(fp + 4);
    ck_assert(sig_is(cfg, "PCMP"));
    uint8_t h[44];
    phys_read(&mem, cfg, h, sizeof(h));
    uint16_t len = lduw_le_p(h + 4), count = lduw_le_p(h + 34);
    ck_assert_uint_eq(sum(cfg, len), 0);
    ck_assert_uint_eq(h[6], 4);
    /* walk: processor, two buses, the IOAPIC with ID 1, 15 ISA
     * interrupts, the PCI functions with pins (01.3, pin A: PIRQB, IRQ
     * 10), two local interrupts */
    uint32_t at = cfg + 44, n_io = 0, n_local = 0, pci_irq = 0;
    for (unsigned i = 0; i < count; i++) {
        uint8_t e[20];
        phys_read(&mem, at, e, sizeof(e));
        switch (e[0]) {
        case 0: at += 20; break;
        case 2:
            ck_assert_uint_eq(e[1], 1);
            ck_assert_uint_eq(ldl_le_p(e + 4), 0xfec00000u);
            at += 8;
            break;
        case 3:
            n_io++;
            if (e[4] == 0 && e[5] == (1 << 2 | 0))
                pci_irq = e[7];
            if (e[4] == 1 && e[5] == 0)
                ck_assert_uint_eq(e[7], 2);
            if (e[4] == 1) /* ISA: the SCI and PCI lines level high */
                ck_assert_uint_eq(lduw_le_p(e + 2),
                                  e[5] == 5 || e[5] == 9 || e[5] == 10 ||
                                          e[5] == 11
                                      ? 0x000d
                                      : 0);
            at += 8;
            break;
        case 4: n_local++; at += 8; break;
        default: at += 8; break;
        }
    }
    ck_assert_uint_eq(at, cfg + len);
    ck_assert_uint_eq(n_io, 15 + 1);
    ck_assert_uint_eq(n_local, 2);
    ck_assert_uint_eq(pci_irq, 10);
}
END_TEST

START_TEST(test_smbios)
{
    post(false, false);
    uint32_t ep = scan("_SM_", 31);
    ck_assert_uint_eq(ep, BIOS_ROM_BASE + TABLES_SMBIOS_EP_OFFSET);
    ck_assert_uint_eq(sum(ep + 16, 15), 0);
    uint8_t e[31];
    phys_read(&mem, ep, e, sizeof(e));
    ck_assert_int_eq(memcmp(e + 16, "_DMI_", 5), 0);
    uint32_t at = ldl_le_p(e + 24), end = at + lduw_le_p(e + 22);
    static const uint8_t types[] = { 0, 1, 3, 4, 16, 17, 19, 32, 127 };
    unsigned n = 0;
    while (at < end) {
        uint8_t h[4];
        phys_read(&mem, at, h, 4);
        ck_assert_uint_lt(n, sizeof(types));
        ck_assert_uint_eq(h[0], types[n]);
        ck_assert_uint_eq(lduw_le_p(h + 2), n);
        n++;
        at += h[1];
        /* the strings end with two NULs */
        uint8_t c[2] = { 1, 1 };
        while (c[0] || c[1]) {
            phys_read(&mem, at, c, 2);
            at++;
        }
        at++;
    }
    ck_assert_uint_eq(at, end);
    ck_assert_uint_eq(n, lduw_le_p(e + 28));
    ck_assert_uint_eq(n, sizeof(types));
}
END_TEST

/* The POST's PCI set-up: PIRQA-D to 10, 10, 11, 11, ELCR, the interrupt
 * line of 01.3 (pin A of device 1: PIRQB), the IDE bus-master BAR. */
START_TEST(test_pci_init)
{
    post(false, false);
    io_write(&io, MEM_ATTRS_NONE, 0xcf8, 0x80000860u, 4);
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0xcfc, 4), 0x0b0b0a0au);
    ck_assert_uint_eq(pm_cfg8(0x3c), 10);
    io_write(&io, MEM_ATTRS_NONE, 0xcf8, 0x80000920u, 4);
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0xcfc, 4), 0xc001u);
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0x4d0, 1), 0x00);
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0x4d1, 1), 0x0e);
    /* a guest's sizing probe with decoding still on (a second POST does
     * it too) puts the BAR past the port space: unmapped, not an exit */
    io_write(&io, MEM_ATTRS_NONE, 0xcfc, 0xffffffffu, 4);
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0xcfc, 4), 0xfffffff1u);
    post(false, false);
    io_write(&io, MEM_ATTRS_NONE, 0xcf8, 0x80000920u, 4);
    ck_assert_uint_eq(io_read(&io, MEM_ATTRS_NONE, 0xcfc, 4), 0xc001u);
}
END_TEST

static Suite *acpi_suite(void)
{
    Suite *s = suite_create("acpi");
    TCase *tc = tcase_create("tables");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_rsdp_and_checksums, 0, 4);
    tcase_add_test(tc, test_fadt_hardware);
    tcase_add_test(tc, test_madt);
    tcase_add_test(tc, test_ioapic_id);
    tcase_add_test(tc, test_aml_encodings);
    tcase_add_loop_test(tc, test_dsdt, 0, 2);
    tcase_add_test(tc, test_e820_reserves_tables);
    tcase_add_loop_test(tc, test_mptable, 0, 2);
    tcase_add_test(tc, test_smbios);
    tcase_add_test(tc, test_pci_init);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(acpi_suite)
