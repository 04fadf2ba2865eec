/*
 * services.c - INT 15h (memory maps, A20, wait, configuration) and the
 * IRQ0 handler that keeps the BDA's tick counter (bios/bios.h), as the
 * IBM PC/AT technical reference, Ralf Brown's interrupt list and ACPI 6.4 section
 * 15 (E820) describe them. The keyboard (INT 16h, IRQ1) is
 * bios/keyboard.c.
 */
#include "bios/bios.h"

#include "bios/rom.h"

#define BDA_TICKS 0x46cu
#define BDA_MIDNIGHT 0x470u
#define BDA_WAIT_TARGET 0x49cu /* INT 15h AH=86h: the tick to wait for */
#define BDA_WAIT_ACTIVE 0x4a0u

/* 1193182 Hz / 65536: 0x1800B0 ticks in 24 hours. */
#define TICKS_PER_DAY 0x1800b0u
#define US_PER_TICK 54925u

#define SMAP 0x534d4150u /* "SMAP" */

/* ---- INT 15h ---- */

static void fail15(struct bios_regs *r, uint8_t code)
{
    bios_set_ah(r, code);
    bios_set_cf(r, true);
}

/* EAX=E820h: entry EBX of the map into ES:DI (ECX >= 20 bytes). */
static void e820(struct bios *b, struct bios_regs *r)
{
    if (r->edx != SMAP || r->ebx >= (uint32_t)b->n_e820 || r->ecx < 20) {
        fail15(r, 0x86);
        return;
    }
    const struct e820_entry *e = &b->e820[r->ebx];
    uint32_t p = bios_lin(r->es, BIOS_DI(r));
    bios_wl(b, p, (uint32_t)e->base);
    bios_wl(b, p + 4, (uint32_t)(e->base >> 32));
    bios_wl(b, p + 8, (uint32_t)e->length);
    bios_wl(b, p + 12, (uint32_t)(e->length >> 32));
    bios_wl(b, p + 16, e->type);
    r->eax = SMAP;
    r->ecx = 20;
    r->ebx = r->ebx + 1 < (uint32_t)b->n_e820 ? r->ebx + 1 : 0;
    bios_set_cf(r, false);
}

/* Extended memory in KiB above 1 MiB (AH=88h), at most 63 MiB (0xFC00)
 * as most BIOSes report it, SeaBIOS among them. */
static uint16_t ext_kib(struct bios *b)
{
    uint64_t kib = (b->ram_size - 0x100000) / 1024;
    return kib > 0xfc00 ? 0xfc00 : (uint16_t)kib;
}

/* AX=E801h: AX=CX KiB between 1 MiB and 16 MiB, BX=DX 64 KiB blocks
 * above 16 MiB. */
static void e801(struct bios *b, struct bios_regs *r)
{
    uint64_t low = (b->ram_size - 0x100000) / 1024;
    uint64_t high = b->ram_size > 0x1000000
                        ? (b->ram_size - 0x1000000) / 0x10000
                        : 0;
    if (low > 0x3c00)
        low = 0x3c00;
    if (high > 0xffff)
        high = 0xffff;
    bios_set_ax(r, (uint16_t)low);
    bios_set_cx(r, (uint16_t)low);
    bios_set_bx(r, (uint16_t)high);
    bios_set_dx(r, (uint16_t)high);
    bios_set_cf(r, false);
}

/* AX=240xh: the A20 gate through the fast A20 port 0x92 (bit 1). */
static void a20(struct bios *b, struct bios_regs *r)
{
    uint8_t v = bios_inb(b, 0x92);
    if (v == 0xff) { /* nobody there */
        fail15(r, 0x86);
        return;
    }
    switch (BIOS_AL(r)) {
    case 0: bios_outb(b, 0x92, v & ~0x03); break;
    case 1: bios_outb(b, 0x92, (v | 0x02) & ~0x01); break;
    case 2: bios_set_al(r, (v >> 1) & 1); break;
    case 3: bios_set_bx(r, 0x0002); break; /* supported through port 92 */
    default: fail15(r, 0x86); return;
    }
    bios_set_ah(r, 0);
    bios_set_cf(r, false);
}

/* AH=86h: wait CX:DX microseconds, rounded up to timer ticks, with
 * interrupts on (the stub halts between the tries). */
static int wait_us(struct bios *b, struct bios_regs *r)
{
    uint32_t now = bios_rl(b, BDA_TICKS);
    if (!bios_rb(b, BDA_WAIT_ACTIVE)) {
        uint32_t us = ((uint32_t)BIOS_CX(r) << 16) | BIOS_DX(r);
        uint32_t ticks = (us + US_PER_TICK - 1) / US_PER_TICK;
        if (ticks == 0) {
            bios_set_cf(r, false);
            return BIOS_STATUS_DONE;
        }
        bios_wl(b, BDA_WAIT_TARGET, now + ticks);
        bios_wb(b, BDA_WAIT_ACTIVE, 1);
        return BIOS_STATUS_WAIT;
    }
    if ((int32_t)(now - bios_rl(b, BDA_WAIT_TARGET)) < 0)
        return BIOS_STATUS_WAIT;
    bios_wb(b, BDA_WAIT_ACTIVE, 0);
    bios_set_ah(r, 0);
    bios_set_cf(r, false);
    return BIOS_STATUS_DONE;
}

int bios_int15(struct bios *b, struct bios_regs *r)
{
    if (r->eax == 0xe820) {
        e820(b, r);
        return BIOS_STATUS_DONE;
    }
    switch (BIOS_AH(r)) {
    case 0x24: a20(b, r); break;
    case 0x4f: bios_set_cf(r, true); break; /* keyboard intercept: keep */
    case 0x86: return wait_us(b, r);
    case 0x88:
        bios_set_ax(r, ext_kib(b));
        bios_set_cf(r, false);
        break;
    case 0x90: /* device busy */
    case 0x91: /* interrupt complete */
        bios_set_ah(r, 0);
        bios_set_cf(r, false);
        break;
    case 0xc0:
        r->es = 0xf000;
        bios_set_bx(r, BIOS_CONFIG_TABLE_OFFSET);
        bios_set_ah(r, 0);
        bios_set_cf(r, false);
        break;
    case 0xe8:
        if (BIOS_AL(r) == 0x01) {
            e801(b, r);
            break;
        }
        fail15(r, 0x86);
        break;
    default: fail15(r, 0x86); break;
    }
    return BIOS_STATUS_DONE;
}

/* IRQ0: the tick counter at 0x46C and the midnight flag at 0x470. */
void bios_irq0(struct bios *b)
{
    uint32_t t = bios_rl(b, BDA_TICKS) + 1;
    if (t >= TICKS_PER_DAY) {
        t = 0;
        bios_wb(b, BDA_MIDNIGHT, 1);
    }
    bios_wl(b, BDA_TICKS, t);
    bios_outb(b, 0x20, 0x20);
}
