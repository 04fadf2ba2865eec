/*
 * bios.c - the BIOS service trap (bios/bios.h): finds the service from
 * the stub's frame, runs it, and puts the results where the stub and the
 * caller's IRET take them; the small services (INT 11h, 12h, 18h, 19h);
 * guest memory, port and register accessors for the services.
 *
 * The stack at the trap, as the stub (bios/rom.c) leaves it:
 *   SS:SP+0  service number (enum bios_service)
 *   SS:SP+2  the caller's BP
 *   SS:SP+4  the interrupt frame: IP, CS, FLAGS (SDM 3A 20.1.4)
 */
#include "bios/bios.h"

#include <string.h>

#include "bios/rom.h"
#include "softmmu/ldst.h"

#define BDA_EQUIPMENT 0x410u
#define BDA_MEM_KIB 0x413u

void bios_init(struct bios *b, struct memory_map *mem, struct io_map *io,
               uint64_t ram_size)
{
    memset(b, 0, sizeof(*b));
    b->mem = mem;
    b->io = io;
    b->ram_size = ram_size;
    strcpy(b->boot_order, "cad");
    bios_e820_build(b);
}

/* ---- guest memory and ports ---- */

uint8_t bios_rb(struct bios *b, uint32_t addr)
{
    uint8_t v;
    phys_read(b->mem, addr, &v, 1);
    return v;
}

uint16_t bios_rw(struct bios *b, uint32_t addr)
{
    uint8_t v[2];
    phys_read(b->mem, addr, v, 2);
    return lduw_le_p(v);
}

uint32_t bios_rl(struct bios *b, uint32_t addr)
{
    uint8_t v[4];
    phys_read(b->mem, addr, v, 4);
    return ldl_le_p(v);
}

void bios_wb(struct bios *b, uint32_t addr, uint8_t v)
{
    phys_write(b->mem, addr, &v, 1);
}

void bios_ww(struct bios *b, uint32_t addr, uint16_t v)
{
    uint8_t p[2];
    stw_le_p(p, v);
    phys_write(b->mem, addr, p, 2);
}

void bios_wl(struct bios *b, uint32_t addr, uint32_t v)
{
    uint8_t p[4];
    stl_le_p(p, v);
    phys_write(b->mem, addr, p, 4);
}

/* The firmware's own accesses carry no CPU (as DMA and loaders). */
uint8_t bios_inb(struct bios *b, uint16_t port)
{
    return (uint8_t)io_read(b->io, (struct mem_attrs){ 0 }, port, 1);
}

void bios_outb(struct bios *b, uint16_t port, uint8_t v)
{
    io_write(b->io, (struct mem_attrs){ 0 }, port, v, 1);
}

uint16_t bios_inw(struct bios *b, uint16_t port)
{
    return (uint16_t)io_read(b->io, (struct mem_attrs){ 0 }, port, 2);
}

void bios_outw(struct bios *b, uint16_t port, uint16_t v)
{
    io_write(b->io, (struct mem_attrs){ 0 }, port, v, 2);
}

uint32_t bios_inl(struct bios *b, uint16_t port)
{
    return io_read(b->io, (struct mem_attrs){ 0 }, port, 4);
}

void bios_outl(struct bios *b, uint16_t port, uint32_t v)
{
    io_write(b->io, (struct mem_attrs){ 0 }, port, v, 4);
}

/* COM1 (16550A at 0x3F8): wait for THR empty (LSR bit 5), then write, as
 * the ROM's own print loop; a missing UART reads 0xFF, which says empty. */
void bios_putc(struct bios *b, char c)
{
    for (int i = 0; i < 1000 && !(bios_inb(b, 0x3fd) & 0x20); i++)
        ;
    bios_outb(b, 0x3f8, (uint8_t)c);
}

void bios_puts(struct bios *b, const char *s)
{
    while (*s)
        bios_putc(b, *s++);
}

/* ---- register halves ---- */

void bios_set_al(struct bios_regs *r, uint8_t v)
{
    r->eax = (r->eax & ~0xffu) | v;
}
void bios_set_ah(struct bios_regs *r, uint8_t v)
{
    r->eax = (r->eax & ~0xff00u) | ((uint32_t)v << 8);
}
void bios_set_ax(struct bios_regs *r, uint16_t v)
{
    r->eax = (r->eax & ~0xffffu) | v;
}
void bios_set_bx(struct bios_regs *r, uint16_t v)
{
    r->ebx = (r->ebx & ~0xffffu) | v;
}
void bios_set_cx(struct bios_regs *r, uint16_t v)
{
    r->ecx = (r->ecx & ~0xffffu) | v;
}
void bios_set_dx(struct bios_regs *r, uint16_t v)
{
    r->edx = (r->edx & ~0xffffu) | v;
}
void bios_set_bl(struct bios_regs *r, uint8_t v)
{
    r->ebx = (r->ebx & ~0xffu) | v;
}
void bios_set_bh(struct bios_regs *r, uint8_t v)
{
    r->ebx = (r->ebx & ~0xff00u) | ((uint32_t)v << 8);
}
void bios_set_cl(struct bios_regs *r, uint8_t v)
{
    r->ecx = (r->ecx & ~0xffu) | v;
}
void bios_set_ch(struct bios_regs *r, uint8_t v)
{
    r->ecx = (r->ecx & ~0xff00u) | ((uint32_t)v << 8);
}
void bios_set_dl(struct bios_regs *r, uint8_t v)
{
    r->edx = (r->edx & ~0xffu) | v;
}
void bios_set_dh(struct bios_regs *r, uint8_t v)
{
    r->edx = (r->edx & ~0xff00u) | ((uint32_t)v << 8);
}
void bios_set_di(struct bios_regs *r, uint16_t v)
{
    r->edi = (r->edi & ~0xffffu) | v;
}

/* ---- the trap ---- */

/* INT 19h: boot, or INT 18h's message and the halt loop. The frame is
 * pointed at the boot sector (interrupts enabled, as BIOSes start it) or
 * at the ROM's halt loop (interrupts off). */
static void svc_boot(struct bios *b, struct bios_regs *r, uint32_t frame)
{
    uint16_t ip, cs;
    if (bios_boot(b, r, &ip, &cs)) {
        bios_ww(b, frame, ip);
        bios_ww(b, frame + 2, cs);
        r->flags = BIOS_FLAG_IF | 0x0002;
        return;
    }
    bios_ww(b, frame, BIOS_HALT_OFFSET);
    bios_ww(b, frame + 2, 0xf000);
    r->flags = 0x0002;
}

static int dispatch(struct bios *b, unsigned svc, struct bios_regs *r,
                    uint32_t frame)
{
    switch (svc) {
    case BIOS_SVC_INT10: return bios_int10(b, r);
    case BIOS_SVC_INT11:
        bios_set_ax(r, bios_rw(b, BDA_EQUIPMENT));
        return BIOS_STATUS_DONE;
    case BIOS_SVC_INT12:
        bios_set_ax(r, bios_rw(b, BDA_MEM_KIB));
        return BIOS_STATUS_DONE;
    case BIOS_SVC_INT13: return bios_int13(b, r);
    case BIOS_SVC_INT15: return bios_int15(b, r);
    case BIOS_SVC_INT16: return bios_int16(b, r);
    case BIOS_SVC_INT18:
        bios_puts(b, BIOS_NO_BOOT_MSG);
        bios_ww(b, frame, BIOS_HALT_OFFSET);
        bios_ww(b, frame + 2, 0xf000);
        r->flags = 0x0002;
        return BIOS_STATUS_DONE;
    case BIOS_SVC_INT19: svc_boot(b, r, frame); return BIOS_STATUS_DONE;
    case BIOS_SVC_INT1A: return bios_int1a(b, r);
    case BIOS_SVC_IRQ0: bios_irq0(b); return BIOS_STATUS_DONE;
    case BIOS_SVC_IRQ1: bios_irq1(b); return BIOS_STATUS_DONE;
    case BIOS_SVC_IRQ_SLAVE:
        bios_outb(b, 0xa0, 0x20); /* non-specific EOI (8259A OCW2) */
        bios_outb(b, 0x20, 0x20);
        return BIOS_STATUS_DONE;
    case BIOS_SVC_IRQ_MASTER: bios_outb(b, 0x20, 0x20); return BIOS_STATUS_DONE;
    }
    return BIOS_STATUS_DONE;
}

void bios_trap(struct bios *b, struct bios_regs *r)
{
    uint32_t sp = bios_lin(r->ss, (uint16_t)r->esp);
    unsigned svc = bios_rw(b, sp);
    uint32_t frame = sp + 4;

    r->ebp = (r->ebp & 0xffff0000u) | bios_rw(b, sp + 2);
    r->flags = bios_rw(b, frame + 4);
    int status = svc < BIOS_SVC_COUNT ? dispatch(b, svc, r, frame)
                                      : BIOS_STATUS_DONE;
    bios_ww(b, sp + 2, (uint16_t)r->ebp);
    bios_ww(b, frame + 4, r->flags);
    r->ebp = (r->ebp & 0xffff0000u) | (uint16_t)status;
}
