/*
 * post.c - the power-on self test, in host C: what a PC BIOS leaves in
 * memory and in the chipset before it boots (bios/bios.h). Runs at every
 * reset, before the CPU's first instruction:
 *   - the IVT at 0: every vector at the default IRET (F000:FF53), the
 *     services and the hardware interrupts at their stubs (bios/rom.c);
 *   - the BIOS data area at 0x400 and the extended one at 0x9FC00
 *     (1 KiB, its segment at 0x40E);
 *   - the VGA in mode 3 with the 8x16 font, the BDA's video fields,
 *     INT 1Fh and INT 43h (bios/video_modes.c);
 *   - the 8259A pair initialized with vectors 08h and 70h, IRQ0-2 open;
 *   - the 8254's counter 0 in mode 3 with count 65536: IRQ0 at
 *     1193182 / 65536 = 18.2 Hz, the tick of the BDA's counter;
 *   - the PCI functions (bios/pci_init.c) and the IOAPIC's ID;
 *   - the ACPI, MP and SMBIOS tables (bios/tables.c);
 * and the E820 map of the machine, kept for INT 15h.
 * The devices are programmed through their I/O ports, as firmware does.
 */
#include "bios/bios.h"

#include "bios/rom.h"
#include "bios/video.h"
#include "bios/tables.h"

#define IVT_ENTRIES 256
#define EBDA_SEG 0x9fc0u
#define EBDA_KIB 1u
#define PIC1_VECTOR 0x08
#define PIC2_VECTOR 0x70

/* BDA offsets (IBM PC/AT technical reference; Ralf Brown's list,
 * "MEM 0040h"). */
#define BDA 0x400u
#define BDA_COM 0x400u
#define BDA_EBDA_SEG 0x40eu
#define BDA_EQUIPMENT 0x410u
#define BDA_MEM_KIB 0x413u
#define BDA_KBD_HEAD 0x41au
#define BDA_KBD_TAIL 0x41cu
#define BDA_HD_COUNT 0x475u
#define BDA_KBD_START 0x480u
#define BDA_KBD_END 0x482u

static void ivt_set(struct bios *b, unsigned vec, uint16_t off)
{
    bios_ww(b, vec * 4, off);
    bios_ww(b, vec * 4 + 2, 0xf000);
}

static uint16_t stub(enum bios_service s)
{
    return (uint16_t)(BIOS_STUB_BASE + s * BIOS_STUB_SIZE);
}

static void post_ivt(struct bios *b)
{
    static const struct {
        uint8_t vec;
        enum bios_service svc;
    } services[] = {
        { 0x10, BIOS_SVC_INT10 }, { 0x11, BIOS_SVC_INT11 },
        { 0x12, BIOS_SVC_INT12 }, { 0x13, BIOS_SVC_INT13 },
        { 0x15, BIOS_SVC_INT15 }, { 0x16, BIOS_SVC_INT16 },
        { 0x18, BIOS_SVC_INT18 }, { 0x19, BIOS_SVC_INT19 },
        { 0x1a, BIOS_SVC_INT1A }, { PIC1_VECTOR, BIOS_SVC_IRQ0 },
        { PIC1_VECTOR + 1, BIOS_SVC_IRQ1 },
    };
    for (unsigned v = 0; v < IVT_ENTRIES; v++)
        ivt_set(b, v, BIOS_IRET_OFFSET);
    for (unsigned i = 2; i < 8; i++)
        ivt_set(b, PIC1_VECTOR + i, stub(BIOS_SVC_IRQ_MASTER));
    for (unsigned i = 0; i < 8; i++)
        ivt_set(b, PIC2_VECTOR + i, stub(BIOS_SVC_IRQ_SLAVE));
    for (unsigned i = 0; i < sizeof(services) / sizeof(services[0]); i++)
        ivt_set(b, services[i].vec, stub(services[i].svc));
    ivt_set(b, 0x1e, BIOS_DPT_OFFSET); /* the diskette parameter table */
}

/* A 16550A answers at base+7 (the scratch register) with what was
 * written; nobody answers with 0xFF. */
static bool uart_present(struct bios *b, uint16_t base)
{
    bios_outb(b, (uint16_t)(base + 7), 0x5a);
    return bios_inb(b, (uint16_t)(base + 7)) == 0x5a;
}

static void post_bda(struct bios *b)
{
    static const uint16_t com_ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
    unsigned n_com = 0, n_floppy = 0, n_hd = 0;

    for (uint32_t a = BDA; a < BDA + 0x100; a++)
        bios_wb(b, a, 0);
    for (unsigned i = 0; i < 4; i++)
        if (uart_present(b, com_ports[i]))
            bios_ww(b, BDA_COM + 2 * n_com++, com_ports[i]);
    for (int i = 0; i < b->n_drives; i++) {
        n_floppy += b->drives[i].kind == DISK_FLOPPY;
        n_hd += b->drives[i].kind == DISK_HD;
    }
    /* Equipment word: bit 0 floppies present, 1 x87, 5:4 initial video
     * mode (10b: 80x25 colour), 7:6 floppies - 1, 11:9 serial ports. */
    uint16_t equip = 0x0002 | 0x0020 | (uint16_t)(n_com << 9);
    if (n_floppy)
        equip |= (uint16_t)(0x0001 | ((n_floppy - 1) << 6));
    bios_ww(b, BDA_EQUIPMENT, equip);
    bios_ww(b, BDA_EBDA_SEG, EBDA_SEG);
    bios_ww(b, BDA_MEM_KIB, (uint16_t)((EBDA_SEG << 4) / 1024));
    bios_ww(b, BDA_KBD_HEAD, 0x1e);
    bios_ww(b, BDA_KBD_TAIL, 0x1e);
    bios_ww(b, BDA_KBD_START, 0x1e);
    bios_ww(b, BDA_KBD_END, 0x3e);
    bios_wb(b, BDA_HD_COUNT, (uint8_t)n_hd);

    uint32_t ebda = EBDA_SEG << 4;
    for (uint32_t a = ebda; a < ebda + EBDA_KIB * 1024; a++)
        bios_wb(b, a, 0);
    bios_ww(b, ebda, EBDA_KIB); /* its first word: its size in KiB */
}

/* 8259A initialization (ICW1-ICW4, then OCW1 masks): edge triggered,
 * cascaded on IRQ2, 8086 mode. */
static void post_pic(struct bios *b)
{
    bios_outb(b, 0x20, 0x11);
    bios_outb(b, 0xa0, 0x11);
    bios_outb(b, 0x21, PIC1_VECTOR);
    bios_outb(b, 0xa1, PIC2_VECTOR);
    bios_outb(b, 0x21, 0x04);
    bios_outb(b, 0xa1, 0x02);
    bios_outb(b, 0x21, 0x01);
    bios_outb(b, 0xa1, 0x01);
    bios_outb(b, 0x21, 0xf8); /* IRQ0 timer, IRQ1 keyboard, IRQ2 cascade */
    bios_outb(b, 0xa1, 0xff);
}

/* 8254 control word 0x36: counter 0, LSB then MSB, mode 3, binary; count
 * 0 is 65536. */
static void post_pit(struct bios *b)
{
    bios_outb(b, 0x43, 0x36);
    bios_outb(b, 0x40, 0);
    bios_outb(b, 0x40, 0);
}

/* The 8042's command byte as PC BIOSes leave it: keyboard interrupt on
 * (IRQ1, for INT 09h), the system flag (POST passed), translation of the
 * keyboard's set 2 to set 1 on, since INT 09h, DOS and most OSes read set
 * 1; the auxiliary interface enabled with its interrupt off until a
 * mouse driver turns it on. Nothing answers without an 8042: ignored. */
static void post_kbc(struct bios *b)
{
    if (bios_inb(b, 0x64) == 0xff)
        return;
    bios_outb(b, 0x64, 0x60);
    bios_outb(b, 0x60, 0x45);
}

/* A dword to a device register in memory space (the map's byte-wise
 * phys_write would split it); nothing there: ignored. */
static uint32_t post_mmio_read32(struct bios *b, uint64_t a)
{
    const struct mem_section *s = mem_lookup(b->mem, a);
    return s && s->kind == MEM_MMIO
               ? (uint32_t)mem_section_read(s, MEM_ATTRS_NONE, a, 4)
               : 0;
}

static void post_mmio_write32(struct bios *b, uint64_t a, uint32_t v)
{
    const struct mem_section *s = mem_lookup(b->mem, a);
    if (s && s->kind == MEM_MMIO)
        mem_section_write(s, MEM_ATTRS_NONE, a, v, 4);
}

/* The local APIC in virtual wire mode (MP specification 1.4, 3.6.2.2):
 * software enabled, LINT0 ExtINT (the 8259A's INTR passes), LINT1 NMI,
 * both level-triggered; the values SeaBIOS writes. A board without a
 * local APIC has nothing at its address. */
#define LAPIC_BASE 0xfee00000u
static void post_lapic(struct bios *b)
{
    uint32_t svr = post_mmio_read32(b, LAPIC_BASE + 0xf0);
    if (!svr)
        return;
    post_mmio_write32(b, LAPIC_BASE + 0xf0, svr | 0x100);
    post_mmio_write32(b, LAPIC_BASE + 0x350, 0x8700);
    post_mmio_write32(b, LAPIC_BASE + 0x360, 0x8400);
}

void bios_e820_build(struct bios *b)
{
    b->n_e820 = bios_e820_map(b->ram_size, b->e820);
}

/* The IOAPIC's ID register (82093AA data sheet 3.2.1: index 0, ID in
 * bits 27-24) gets the ID the MADT and the MP table give it. */
static void post_ioapic(struct bios *b)
{
    bios_wl(b, IOAPIC_ADDR, 0);
    bios_wl(b, IOAPIC_ADDR + 0x10, (uint32_t)IOAPIC_ID << 24);
}

void bios_post(struct bios *b)
{
    post_ivt(b);
    post_bda(b);
    video_post(b);
    post_pic(b);
    post_pit(b);
    post_kbc(b);
    post_lapic(b);
    pci_init(b);
    if (b->ioapic)
        post_ioapic(b);
    bios_tables_build(b);
}
