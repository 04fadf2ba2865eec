/* Runtime shared by the guest test programs: COM1 output, formatted
 * printing, exit through isa-debug-exit, GDT/IDT set-up, PIC and PIT.
 * In the ROM build (rt/rom_entry.asm: EAX = RT_ROM_MAGIC at _start) output
 * goes to the debug console, port 0xE9, instead of COM1, and the exit also
 * tells Bochs to end the simulation. */
#include "rt.h"

#define COM1 0x3f8
#define DEBUG_EXIT_PORT 0xf4
#define DEBUGCON_PORT 0xe9   /* jet86/QEMU -debugcon, Bochs port_e9_hack */
#define BOCHS_SHUTDOWN_PORT 0x8900

struct gdtr {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

static uint64_t rt_gdt[RT_GDT_ENTRIES] __attribute__((aligned(8)));
static uint64_t rt_idt[256] __attribute__((aligned(8)));
static rt_handler rt_handlers[256];
extern uint32_t rt_isr_entries[256];
void rt_load_gdt(const void *gdtr);
void rt_load_idt(const void *idtr);

int rt_rom_boot(void)
{
    return rt_mb_magic == RT_ROM_MAGIC;
}

void rt_putc(char c)
{
    if (rt_rom_boot()) {
        outb(DEBUGCON_PORT, (uint8_t)c);
        return;
    }
    if (c == '\n')
        rt_putc('\r');
    /* wait for THRE (LSR bit 5), then write THR */
    while (!(inb(COM1 + 5) & 0x20))
        ;
    outb(COM1, (uint8_t)c);
}

void rt_puts(const char *s)
{
    while (*s)
        rt_putc(*s++);
}

static void rt_put_num(uint32_t v, unsigned base, int width, char pad, int neg)
{
    char buf[12];
    int n = 0;
    do {
        unsigned d = v % base;
        buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v);
    if (neg)
        buf[n++] = '-';
    while (width-- > n)
        rt_putc(pad);
    while (n)
        rt_putc(buf[--n]);
}

void rt_vprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            rt_putc(*fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0;
        if (*fmt == '0')
            pad = '0';
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        switch (*fmt) {
        case 'x':
            rt_put_num(va_arg(ap, uint32_t), 16, width, pad, 0);
            break;
        case 'u':
            rt_put_num(va_arg(ap, uint32_t), 10, width, pad, 0);
            break;
        case 'd': {
            int32_t v = va_arg(ap, int32_t);
            rt_put_num(v < 0 ? 0u - (uint32_t)v : (uint32_t)v, 10, width, pad, v < 0);
            break;
        }
        case 's':
            rt_puts(va_arg(ap, const char *));
            break;
        case 'c':
            rt_putc((char)va_arg(ap, int));
            break;
        case '%':
            rt_putc('%');
            break;
        default:
            rt_putc('?');
            break;
        }
    }
}

void rt_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_vprintf(fmt, ap);
    va_end(ap);
}

void rt_print_flags(uint32_t fl, uint32_t mask)
{
    static const struct {
        uint32_t bit;
        char c;
    } names[] = {{FL_CF, 'C'}, {FL_PF, 'P'}, {FL_AF, 'A'}, {FL_ZF, 'Z'}, {FL_SF, 'S'}, {FL_OF, 'O'}};
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(mask & names[i].bit))
            rt_putc('.');
        else
            rt_putc(fl & names[i].bit ? names[i].c : '-');
    }
}

_Noreturn void rt_exit(int code)
{
    /* Bochs ends the simulation on "Shutdown" written to port 0x8900 and
     * has no exit status to give: a failing exit code is printed instead */
    if (rt_rom_boot()) {
        if (code)
            rt_printf("(exit code %d)\n", code);
        for (const char *s = "Shutdown"; *s; s++)
            outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
    }
    /* isa-debug-exit: the emulator exits with status (code << 1) | 1 */
    outb(DEBUG_EXIT_PORT, (uint8_t)code);
    /* without -device isa-debug-exit,iobase=0xf4 the write does nothing */
    rt_puts("(no isa-debug-exit device: halted; Ctrl-A x quits)\n");
    for (;;)
        __asm__ volatile("cli; hlt");
}

static uint32_t rt_rand_state = 0x12345678u;

void rt_srand(uint32_t seed)
{
    rt_rand_state = seed;
}

uint32_t rt_rand(void)
{
    uint32_t x = rt_rand_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rt_rand_state = x;
    return x;
}

/* Descriptor layout: SDM 3A 3.4.5. access = P DPL S Type; flags = G D/B L AVL. */
void rt_gdt_set(int idx, uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
    uint64_t d = (limit & 0xffffu) | ((uint64_t)(base & 0xffffffu) << 16) | ((uint64_t)access << 40) |
                 ((uint64_t)((limit >> 16) & 0xf) << 48) | ((uint64_t)(flags & 0xf) << 52) |
                 ((uint64_t)(base >> 24) << 56);
    rt_gdt[idx] = d;
}

void rt_gdt_reload(void)
{
    struct gdtr g = {sizeof rt_gdt - 1, (uint32_t)rt_gdt};
    rt_load_gdt(&g);
}

/* Gate layout: SDM 3A 6.11; type 0xE = 32-bit interrupt gate, 0xF = trap gate. */
static void rt_idt_set(int vec, uint32_t off, int trap)
{
    uint64_t d = (off & 0xffffu) | ((uint64_t)SEL_CODE32 << 16) | ((uint64_t)(trap ? 0x8f : 0x8e) << 40) |
                 ((uint64_t)(off >> 16) << 48);
    rt_idt[vec] = d;
}

void rt_set_gate(int vec, int trap)
{
    rt_idt_set(vec, rt_isr_entries[vec], trap);
}

void rt_set_gate_present(int vec, int present)
{
    if (present)
        rt_idt[vec] |= 1ull << 47;
    else
        rt_idt[vec] &= ~(1ull << 47);
}

void rt_idt_limit(uint16_t limit)
{
    struct gdtr i = {limit, (uint32_t)rt_idt};
    rt_load_idt(&i);
}

void rt_set_handler(int vec, rt_handler h)
{
    rt_handlers[vec] = h;
}

void rt_isr_dispatch(struct rt_frame *f)
{
    rt_handler h = rt_handlers[f->vec & 0xff];
    if (h) {
        h(f);
        return;
    }
    rt_printf("unexpected vector %u err=%x eip=%x eax=%x\n", f->vec, f->err, f->eip, f->eax);
    rt_exit(3);
}

/* A 32-bit TSS (SDM 3A 7.2.1): dword 1 ESP0, dword 2 SS0, the I/O map
 * base in the high half of dword 25. */
static uint32_t rt_tss[26] __attribute__((aligned(8)));
static uint8_t rt_ring0_stack[16384] __attribute__((aligned(16)));
extern char rt_user_ret[];
void rt_user_enter(void (*fn)(void));
void rt_v86_enter(uint32_t cs, uint32_t ip);

/* What CPL 3 and virtual-8086 mode need: the TSS with the ring-0 stack,
 * the ring-3 selectors and the gate back. */
static void rt_user_setup(void)
{
    /* an available TSS every time, so that LTR accepts it again */
    rt_gdt_set(13, (uint32_t)rt_tss, sizeof rt_tss - 1, 0x89, 0x0);
    rt_gdt_set(14, 0, 0xfffff, 0xfa, 0xc);
    rt_gdt_set(15, 0, 0xfffff, 0xf2, 0xc);
    rt_tss[1] = (uint32_t)(rt_ring0_stack + sizeof rt_ring0_stack);
    rt_tss[2] = SEL_DATA32;
    rt_tss[25] = (uint32_t)sizeof rt_tss << 16; /* no I/O bitmap */
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS) : "memory");
    /* a 32-bit interrupt gate of DPL 3 to rt_user_ret */
    uint32_t off = (uint32_t)rt_user_ret;
    rt_idt[RT_VEC_USER_RET] = (off & 0xffffu) | ((uint64_t)SEL_CODE32 << 16) | (0xeeull << 40) |
                              ((uint64_t)(off >> 16) << 48);
}

void rt_user_call(void (*fn)(void))
{
    rt_user_setup();
    rt_user_enter(fn);
}

void rt_v86_call(uint16_t cs, uint16_t ip)
{
    rt_user_setup();
    rt_v86_enter(cs, ip);
}

void rt_pic_init(void)
{
    /* ICW1..ICW4 (8259A datasheet): edge, cascade, vectors 0x20/0x28, 8086 mode */
    outb(0x20, 0x11);
    outb(0xa0, 0x11);
    outb(0x21, 0x20);
    outb(0xa1, 0x28);
    outb(0x21, 0x04);
    outb(0xa1, 0x02);
    outb(0x21, 0x01);
    outb(0xa1, 0x01);
    outb(0x21, 0xfb); /* everything masked except the cascade line */
    outb(0xa1, 0xff);
}

void rt_pic_unmask(int irq)
{
    uint16_t port = irq < 8 ? 0x21 : 0xa1;
    outb(port, inb(port) & ~(1u << (irq & 7)));
}

void rt_pic_mask(int irq)
{
    uint16_t port = irq < 8 ? 0x21 : 0xa1;
    outb(port, inb(port) | (1u << (irq & 7)));
}

void rt_pic_eoi(int irq)
{
    if (irq >= 8)
        outb(0xa0, 0x20);
    outb(0x20, 0x20);
}

void rt_pit_set_hz(uint32_t hz)
{
    uint32_t div = 1193182u / hz;
    outb(0x43, 0x34); /* channel 0, lobyte/hibyte, mode 2, binary */
    outb(0x40, div & 0xff);
    outb(0x40, (div >> 8) & 0xff);
}

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;
    while (n--)
        *dp++ = *sp++;
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;
    if (dp < sp) {
        while (n--)
            *dp++ = *sp++;
    } else {
        while (n--)
            dp[n] = sp[n];
    }
    return d;
}

void *memset(void *d, int c, size_t n)
{
    uint8_t *dp = d;
    while (n--)
        *dp++ = (uint8_t)c;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *ap = a, *bp = b;
    for (; n; n--, ap++, bp++)
        if (*ap != *bp)
            return *ap - *bp;
    return 0;
}

void rt_init(void)
{
    /* COM1: 115200 8N1, FIFOs on */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x80);
    outb(COM1 + 0, 0x01);
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);
    outb(COM1 + 2, 0x07);

    /* no stray IRQ reaches a program that sets IF: remap and mask all */
    rt_pic_init();

    rt_gdt_set(1, 0, 0xfffff, 0x9a, 0xc);
    rt_gdt_set(2, 0, 0xfffff, 0x92, 0xc);
    rt_gdt_set(3, 0, 0xffff, 0x9a, 0x0);
    rt_gdt_set(4, 0, 0xffff, 0x92, 0x0);
    rt_gdt_set(5, 0, 0xfffff, 0x92, 0xc);
    rt_gdt_set(6, 0, 0xfffff, 0x92, 0xc);
    rt_gdt_set(7, 0, 0xfffff, 0x12, 0xc); /* P=0 */
    rt_gdt_set(8, 0, 0xfffff, 0x98, 0xc); /* execute-only */
    rt_gdt_reload();

    for (int v = 0; v < 256; v++)
        rt_set_gate(v, 0);
    rt_idt_limit(sizeof rt_idt - 1);
}
