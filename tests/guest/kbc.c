/* kbc: the 8042 keyboard controller and the PS/2 keyboard and mouse
 * behind it, through ports 0x60/0x64 as a BIOS or an OS driver programs
 * them: the controller's self tests, command byte and output port, the
 * keyboard's reset, identify (translated and not), echo, LED and
 * scan-code-set commands, the mouse's reset, identify, the wheel knock
 * and status, and IRQ 1 / IRQ 12 for bytes put in the output buffer with
 * D2h/D3h. No key is pressed: a reference cannot press one at a
 * repeatable time; the unit test (tests/unit/test_i8042.c) covers keys
 * and mouse motion.
 *
 * kbc.bochs-expected: Bochs's default mouse (bochsrc `mouse: type=ps2`)
 * is a plain PS/2 mouse, which ignores the 200-100-80 sample-rate knock
 * and keeps ID 00; the IntelliMouse QEMU and jet86 model (as Bochs's
 * type=imps2 does) answers 03. */
#include "rt/rt.h"

static int rd(void)
{
    for (int i = 0; i < 100000; i++)
        if (inb(0x64) & 0x01)
            return inb(0x60);
    return -1;
}

static void wr_cmd(uint8_t c)
{
    while (inb(0x64) & 0x02)
        ;
    outb(0x64, c);
}

static void wr_data(uint8_t d)
{
    while (inb(0x64) & 0x02)
        ;
    outb(0x60, d);
}

static void drain(void)
{
    for (int i = 0; i < 64 && (inb(0x64) & 0x01); i++)
        (void)inb(0x60);
}

/* Send to the keyboard (or, with D4h first, the mouse) and print the n
 * bytes that come back, reading each byte's acknowledge before sending
 * the next, as drivers do. */
static void xfer(const char *what, int aux, const uint8_t *out, int nout, int n)
{
    rt_printf("%s:", what);
    for (int i = 0; i < nout; i++) {
        if (aux)
            wr_cmd(0xd4);
        wr_data(out[i]);
        if (i < nout - 1)
            rt_printf(" %02x", rd() & 0xff);
    }
    for (int i = nout - 1; i < n; i++)
        rt_printf(" %02x", rd() & 0xff);
    rt_printf("\n");
}

static volatile int irq1_count, irq12_count, irq1_byte, irq12_byte;

static void irq1(struct rt_frame *f)
{
    (void)f;
    irq1_byte = inb(0x60);
    irq1_count++;
    outb(0x20, 0x20);
}

static void irq12(struct rt_frame *f)
{
    (void)f;
    irq12_byte = inb(0x60);
    irq12_count++;
    outb(0xa0, 0x20);
    outb(0x20, 0x20);
}

int main(void)
{
    /* Interrupts off in the controller, then nothing left over. */
    wr_cmd(0x60);
    wr_data(0x04);
    drain();

    wr_cmd(0xaa);
    rt_printf("self test: %02x\n", rd());
    wr_cmd(0xab);
    rt_printf("keyboard interface test: %02x\n", rd());
    wr_cmd(0xa9);
    rt_printf("mouse interface test: %02x\n", rd());
    wr_cmd(0x60);
    wr_data(0x24); /* SYS, mouse disabled */
    wr_cmd(0x20);
    rt_printf("command byte: %02x status SYS: %d\n", rd(),
              (inb(0x64) >> 2) & 1);
    wr_cmd(0xa8);
    wr_cmd(0x20);
    rt_printf("after A8: %02x\n", rd());
    wr_cmd(0xd0);
    rt_printf("output port reset/A20: %02x\n", rd() & 0x03);

    static const uint8_t reset[] = { 0xff };
    xfer("keyboard reset", 0, reset, 1, 2);
    static const uint8_t ident[] = { 0xf2 };
    xfer("keyboard identify", 0, ident, 1, 3);
    static const uint8_t echo[] = { 0xee };
    xfer("keyboard echo", 0, echo, 1, 1);
    static const uint8_t leds[] = { 0xed, 0x02 };
    xfer("keyboard LEDs", 0, leds, 2, 2);
    static const uint8_t set[] = { 0xf0, 0x00 };
    xfer("keyboard scan code set", 0, set, 2, 3);
    static const uint8_t bogus[] = { 0x12 };
    xfer("keyboard unknown command", 0, bogus, 1, 1);
    static const uint8_t enable[] = { 0xf4 };
    xfer("keyboard enable", 0, enable, 1, 1);

    wr_cmd(0x60);
    wr_data(0x44); /* translate */
    xfer("keyboard identify, translated", 0, ident, 1, 3);

    xfer("mouse reset", 1, reset, 1, 3);
    xfer("mouse identify", 1, ident, 1, 2);
    static const uint8_t knock[] = { 0xf3, 200, 0xf3, 100, 0xf3, 80 };
    xfer("mouse rates 200 100 80", 1, knock, 6, 6);
    xfer("mouse identify", 1, ident, 1, 2);
    static const uint8_t status[] = { 0xe9 };
    xfer("mouse status", 1, status, 1, 4);
    static const uint8_t res[] = { 0xe8, 0x03, 0xe7 };
    xfer("mouse resolution 3, scaling 2:1", 1, res, 3, 3);
    xfer("mouse status", 1, status, 1, 4);

    /* Bytes put in the output buffer by command: the status shows whose
     * they are. */
    wr_cmd(0xd2);
    wr_data(0x5a);
    rt_printf("after D2: status OBF/AUX %02x", inb(0x64) & 0x21);
    rt_printf(" byte %02x\n", rd());
    wr_cmd(0xd3);
    wr_data(0x33);
    rt_printf("after D3: status OBF/AUX %02x", inb(0x64) & 0x21);
    rt_printf(" byte %02x\n", rd());

    /* Now through the interrupt lines. */
    rt_set_handler(0x21, irq1);
    rt_set_handler(0x2c, irq12);
    rt_pic_unmask(1);
    rt_pic_unmask(2);
    rt_pic_unmask(12);
    wr_cmd(0x60);
    wr_data(0x47); /* translate, SYS, both interrupts */
    rt_sti();
    wr_cmd(0xd2);
    wr_data(0x5b);
    for (int i = 0; i < 100000 && !irq1_count; i++)
        ;
    wr_cmd(0xd3);
    wr_data(0x34);
    for (int i = 0; i < 100000 && !irq12_count; i++)
        ;
    __asm__ volatile("cli");
    rt_printf("IRQ 1: %d byte %02x; IRQ 12: %d byte %02x\n", irq1_count,
              irq1_byte, irq12_count, irq12_byte);
    rt_pic_mask(1);
    rt_pic_mask(12);
    wr_cmd(0x60);
    wr_data(0x44);
    return 0;
}
