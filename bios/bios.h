/*
 * bios.h - the built-in BIOS's services in host C: POST at reset and the
 * real-mode INT services (INT 10h-1Ah, IRQ0/IRQ1), reached through the
 * ROM's trap stubs (bios/rom.c, docs/MEMORY_AND_BOOT.md "BIOS services").
 *
 * bios/ knows no CPU internals: the board's trap port callback copies the
 * caller's registers into struct bios_regs, calls bios_trap, and copies
 * them back. Memory is reached through the physical memory map, devices
 * through the I/O port map, as real firmware does.
 */
#ifndef BIOS_BIOS_H
#define BIOS_BIOS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/block.h"
#include "bios/disk.h"
#include "softmmu/memory.h"

/* The services, in the order of their stubs in the ROM. */
enum bios_service {
    BIOS_SVC_INT10, /* video */
    BIOS_SVC_INT11, /* equipment list */
    BIOS_SVC_INT12, /* conventional memory size */
    BIOS_SVC_INT13, /* disks */
    BIOS_SVC_INT15, /* system services: memory maps, A20, wait */
    BIOS_SVC_INT16, /* keyboard */
    BIOS_SVC_INT18, /* no bootable device */
    BIOS_SVC_INT19, /* bootstrap loader */
    BIOS_SVC_INT1A, /* time of day, RTC, PCI BIOS */
    BIOS_SVC_IRQ0,  /* timer tick; the stub then calls INT 1Ch */
    BIOS_SVC_IRQ1,  /* keyboard */
    BIOS_SVC_IRQ_MASTER, /* other IRQs 2-7: end of interrupt */
    BIOS_SVC_IRQ_SLAVE,  /* IRQs 8-15: end of interrupt on both PICs */
    BIOS_SVC_COUNT
};

/* What the stub does after the trap: BIOS_STATUS_DONE returns to the
 * caller (IRET), BIOS_STATUS_WAIT waits for an interrupt (STI; HLT) and
 * traps again (INT 16h AH=00h without a key, INT 15h AH=86h). */
enum { BIOS_STATUS_DONE = 0, BIOS_STATUS_WAIT = 1 };

/* The caller's registers at the INT instruction (real mode). bp is the
 * caller's BP (the stub keeps it on the stack while the live BP carries
 * the status); flags is the FLAGS image of the interrupt frame, which the
 * IRET restores, so the services report CF and ZF there. */
struct bios_regs {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp;
    uint16_t ds, es, ss;
    uint16_t flags;
};

#define BIOS_FLAG_CF 0x0001u
#define BIOS_FLAG_ZF 0x0040u
#define BIOS_FLAG_IF 0x0200u

/* Boot devices, in -boot order letters: a floppy, c hard disk, d CD. */
#define BIOS_BOOT_ORDER_MAX 8

/* An E820 entry (ACPI 6.4 15.1 "INT 15H, E820H"). */
struct e820_entry {
    uint64_t base, length;
    uint32_t type;
};
enum { E820_RAM = 1, E820_RESERVED = 2, E820_ACPI = 3 };
#define BIOS_E820_MAX 10

struct bios {
    struct memory_map *mem;
    struct io_map *io;
    uint64_t ram_size;

    struct bios_drive drives[BIOS_MAX_DRIVES];
    int n_drives;
    char boot_order[BIOS_BOOT_ORDER_MAX + 1];

    struct e820_entry e820[BIOS_E820_MAX];
    int n_e820;

    /* The ROM image (BIOS_ROM_SIZE bytes) the POST writes the table
     * entry points into (bios/tables.h); NULL: none. */
    uint8_t *rom;
    /* What the board has, for the ACPI, MP and SMBIOS tables: the MADT
     * and the MP table need the local APIC and the IOAPIC, the HPET
     * table the HPET. The board sets them after bios_init. */
    bool lapic, ioapic, hpet;

    /* The El Torito boot image, for INT 13h AX=4B01h. */
    uint32_t cd_boot_lba;
    uint16_t cd_load_seg, cd_load_count;
};

/* Set up once: the maps and the RAM size; the board then fills drives[]
 * (bios/disk.h) and boot_order ("cad" unless -boot says otherwise). */
void bios_init(struct bios *b, struct memory_map *mem, struct io_map *io,
               uint64_t ram_size);
/* The power-on self test in host C (bios/post.c): IVT, BDA, EBDA, PIC,
 * PIT; at every reset, before the CPU runs. */
void bios_post(struct bios *b);
/* The trap: r holds the caller's registers. */
void bios_trap(struct bios *b, struct bios_regs *r);

/* ---- for the services (bios/video.c, services.c, ...) ---- */

/* Guest memory at real-mode seg:off, through the physical map. */
uint8_t bios_rb(struct bios *b, uint32_t addr);
uint16_t bios_rw(struct bios *b, uint32_t addr);
uint32_t bios_rl(struct bios *b, uint32_t addr);
void bios_wb(struct bios *b, uint32_t addr, uint8_t v);
void bios_ww(struct bios *b, uint32_t addr, uint16_t v);
void bios_wl(struct bios *b, uint32_t addr, uint32_t v);
static inline uint32_t bios_lin(uint16_t seg, uint16_t off)
{
    return ((uint32_t)seg << 4) + off;
}
/* I/O ports, as the firmware's IN and OUT. */
uint8_t bios_inb(struct bios *b, uint16_t port);
void bios_outb(struct bios *b, uint16_t port, uint8_t v);
uint16_t bios_inw(struct bios *b, uint16_t port);
void bios_outw(struct bios *b, uint16_t port, uint16_t v);
uint32_t bios_inl(struct bios *b, uint16_t port);
void bios_outl(struct bios *b, uint16_t port, uint32_t v);
/* A character on the console (COM1), as INT 10h teletype output. */
void bios_putc(struct bios *b, char c);
void bios_puts(struct bios *b, const char *s);

/* Register halves. */
#define BIOS_AL(r) ((uint8_t)(r)->eax)
#define BIOS_AH(r) ((uint8_t)((r)->eax >> 8))
#define BIOS_AX(r) ((uint16_t)(r)->eax)
#define BIOS_BL(r) ((uint8_t)(r)->ebx)
#define BIOS_BH(r) ((uint8_t)((r)->ebx >> 8))
#define BIOS_BX(r) ((uint16_t)(r)->ebx)
#define BIOS_CL(r) ((uint8_t)(r)->ecx)
#define BIOS_CH(r) ((uint8_t)((r)->ecx >> 8))
#define BIOS_CX(r) ((uint16_t)(r)->ecx)
#define BIOS_DL(r) ((uint8_t)(r)->edx)
#define BIOS_DH(r) ((uint8_t)((r)->edx >> 8))
#define BIOS_DX(r) ((uint16_t)(r)->edx)
#define BIOS_SI(r) ((uint16_t)(r)->esi)
#define BIOS_DI(r) ((uint16_t)(r)->edi)
void bios_set_al(struct bios_regs *r, uint8_t v);
void bios_set_ah(struct bios_regs *r, uint8_t v);
void bios_set_ax(struct bios_regs *r, uint16_t v);
void bios_set_bx(struct bios_regs *r, uint16_t v);
void bios_set_cx(struct bios_regs *r, uint16_t v);
void bios_set_dx(struct bios_regs *r, uint16_t v);
void bios_set_bl(struct bios_regs *r, uint8_t v);
void bios_set_bh(struct bios_regs *r, uint8_t v);
void bios_set_cl(struct bios_regs *r, uint8_t v);
void bios_set_ch(struct bios_regs *r, uint8_t v);
void bios_set_dl(struct bios_regs *r, uint8_t v);
void bios_set_dh(struct bios_regs *r, uint8_t v);
void bios_set_di(struct bios_regs *r, uint16_t v);
static inline void bios_set_cf(struct bios_regs *r, bool on)
{
    r->flags = (uint16_t)(on ? r->flags | BIOS_FLAG_CF
                             : r->flags & ~BIOS_FLAG_CF);
}
static inline void bios_set_zf(struct bios_regs *r, bool on)
{
    r->flags = (uint16_t)(on ? r->flags | BIOS_FLAG_ZF
                             : r->flags & ~BIOS_FLAG_ZF);
}

/* The services, one per file group. Each returns a BIOS_STATUS_*. */
int bios_int10(struct bios *b, struct bios_regs *r);
int bios_int13(struct bios *b, struct bios_regs *r);
int bios_int15(struct bios *b, struct bios_regs *r);
int bios_int16(struct bios *b, struct bios_regs *r);
int bios_int1a(struct bios *b, struct bios_regs *r);
void bios_irq0(struct bios *b);
void bios_irq1(struct bios *b);
/* INT 19h: load the boot sector of the first bootable device and point
 * the interrupt frame at it (frame_ip/cs/flags rewritten); false when
 * nothing boots (INT 18h's message printed). */
bool bios_boot(struct bios *b, struct bios_regs *r, uint16_t *ip,
               uint16_t *cs);
void bios_e820_build(struct bios *b);

#endif
