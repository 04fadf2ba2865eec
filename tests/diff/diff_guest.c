/* diff_guest.c - the guest side of the differential test: a freestanding
 * Multiboot v1 kernel (flat 32-bit ring 0, as the loader leaves it) with
 * its own GDT and IDT, output on COM1 by polling, and the exit through the
 * isa-debug-exit port 0xf4. The command line comes from -append. */
#include "tests/diff/diff.h"

struct mb_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper, boot_device;
    uint32_t cmdline;
};

void diff_guest_main(uint32_t magic, const struct mb_info *mbi);
void diff_guest_fault(const uint32_t *frame);
void diff_guest_load_gdt(const void *gdtr);

/* gcc may call these for copies and clears even when freestanding. */
void *memcpy(void *d, const void *s, unsigned n);
void *memset(void *d, int c, unsigned n);

void *memcpy(void *d, const void *s, unsigned n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;

    while (n--)
        *dp++ = *sp++;
    return d;
}

void *memset(void *d, int c, unsigned n)
{
    uint8_t *dp = d;

    while (n--)
        *dp++ = (uint8_t)c;
    return d;
}

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

#define COM1 0x3f8

void diff_putc(char c)
{
    if (c == '\n')
        diff_putc('\r');
    while (!(inb(COM1 + 5) & 0x20))
        ;
    outb(COM1, (uint8_t)c);
}

void diff_flush(void)
{
}

/* SDM 3A 3.4.5: null, flat 4 GiB ring-0 code (0x08) and data (0x10), the
 * scratch area's data segment (0x18: base DIFF_AREA, limit 0xffff, byte
 * granular) for 16-bit addressing, and a 16-bit ring-0 code segment (0x20:
 * base DIFF_CODE, limit 0xffff, D = 0) for the cases in 16-bit code. */
static const uint64_t gdt[5] = {
    0,
    0x00cf9a000000ffffULL,
    0x00cf92000000ffffULL,
    0x000092000000ffffULL | (uint64_t)((DIFF_AREA >> 16) & 0xff) << 32 |
        (uint64_t)(DIFF_AREA >> 24) << 56 | (uint64_t)(DIFF_AREA & 0xffff) << 16,
    0x00009a000000ffffULL | (uint64_t)((DIFF_CODE >> 16) & 0xff) << 32 |
        (uint64_t)(DIFF_CODE >> 24) << 56 | (uint64_t)(DIFF_CODE & 0xffff) << 16,
};

uint16_t diff_area_sel = 0x18;
uint16_t diff_code16_sel = 0x20;

struct __attribute__((packed)) table_reg {
    uint16_t limit;
    uint32_t base;
};

static uint64_t idt[20];

/* The frame diff_guest_start.S builds: PUSHA (EDI first in memory), the
 * vector, the error code, then what the CPU pushed: EIP, CS, EFLAGS. The
 * ESP of the faulting instruction is just above that (no stack switch at
 * ring 0). */
void diff_guest_fault(const uint32_t *frame)
{
    diff_fault.regs.r[R_EDI] = frame[0];
    diff_fault.regs.r[R_ESI] = frame[1];
    diff_fault.regs.r[R_EBP] = frame[2];
    diff_fault.regs.r[R_EBX] = frame[4];
    diff_fault.regs.r[R_EDX] = frame[5];
    diff_fault.regs.r[R_ECX] = frame[6];
    diff_fault.regs.r[R_EAX] = frame[7];
    diff_fault.vector = frame[8];
    diff_fault.eip = frame[10];
    diff_fault.regs.eflags = frame[12];
    diff_fault.regs.r[R_ESP] = (uint32_t)(uintptr_t)&frame[13];
}

#define ISR(n) extern char diff_isr##n[];
ISR(0) ISR(1) ISR(2) ISR(3) ISR(4) ISR(5) ISR(6) ISR(7) ISR(8) ISR(9)
ISR(10) ISR(11) ISR(12) ISR(13) ISR(14) ISR(15) ISR(16) ISR(17) ISR(18) ISR(19)
#undef ISR

static void idt_init(void)
{
    static char *const stubs[20] = {
        diff_isr0, diff_isr1, diff_isr2, diff_isr3, diff_isr4, diff_isr5, diff_isr6,
        diff_isr7, diff_isr8, diff_isr9, diff_isr10, diff_isr11, diff_isr12, diff_isr13,
        diff_isr14, diff_isr15, diff_isr16, diff_isr17, diff_isr18, diff_isr19,
    };
    struct table_reg r;
    unsigned i;

    /* SDM 3A 6.11: 32-bit interrupt gate, present, DPL 0, selector 0x08. */
    for (i = 0; i < 20; i++) {
        uint32_t a = (uint32_t)(uintptr_t)stubs[i];
        idt[i] = (uint64_t)(a & 0xffff) | (uint64_t)0x08 << 16 | (uint64_t)0x8e00 << 32 |
                 (uint64_t)(a >> 16) << 48;
    }
    r.limit = sizeof(idt) - 1;
    r.base = (uint32_t)(uintptr_t)idt;
    __asm__ volatile("lidt %0" : : "m"(r));
}

void diff_guest_main(uint32_t magic, const struct mb_info *mbi)
{
    struct table_reg r;
    const char *cmdline = "";
    int rc;

    r.limit = sizeof(gdt) - 1;
    r.base = (uint32_t)(uintptr_t)gdt;
    diff_guest_load_gdt(&r);
    idt_init();
    if (magic == 0x2badb002 && (mbi->flags & 4))
        cmdline = (const char *)(uintptr_t)mbi->cmdline;
    /* Start on a line of our own after whatever firmware printed. */
    diff_putc('\n');
    rc = diff_main(cmdline);
    outl(0xf4, (uint32_t)rc);
    for (;;)
        __asm__ volatile("cli; hlt");
}
