/* The demo guest: a banner, an ASCII Mandelbrot set computed in integer
 * fixed point (no x87), then five timer ticks one second apart counted
 * from the PIT's IRQ0, then exit through isa-debug-exit with status 0. */
#include "rt/rt.h"

#define FIX_SHIFT 12
#define FIX_ONE (1 << FIX_SHIFT)
#define COLS 72
#define ROWS 24
#define MAX_ITER 64
#define PIT_HZ 100

static volatile uint32_t demo_ticks;

static void demo_timer(struct rt_frame *f)
{
    (void)f;
    demo_ticks++;
    rt_pic_eoi(0);
}

/* Iterations before z = z^2 + c escapes |z| > 2, in 20.12 fixed point. */
static int mandel_iter(int32_t cr, int32_t ci)
{
    int32_t zr = 0, zi = 0;
    for (int i = 0; i < MAX_ITER; i++) {
        int32_t zr2 = (zr * zr) >> FIX_SHIFT, zi2 = (zi * zi) >> FIX_SHIFT;
        if (zr2 + zi2 > 4 * FIX_ONE)
            return i;
        zi = ((zr * zi) >> (FIX_SHIFT - 1)) + ci;
        zr = zr2 - zi2 + cr;
    }
    return MAX_ITER;
}

static void mandelbrot(void)
{
    static const char shades[] = " .:-=+*#%@";
    /* x in [-2.2, 1.0], y in [-1.2, 1.2] */
    const int32_t x0 = -22 * FIX_ONE / 10, dx = 32 * FIX_ONE / 10 / COLS;
    const int32_t y0 = -12 * FIX_ONE / 10, dy = 24 * FIX_ONE / 10 / ROWS;
    for (int row = 0; row < ROWS; row++) {
        for (int col = 0; col < COLS; col++) {
            int n = mandel_iter(x0 + col * dx, y0 + row * dy);
            rt_putc(n >= MAX_ITER ? '@' : shades[n % 9]);
        }
        rt_putc('\n');
    }
}

int main(void)
{
    rt_puts("jet86 demo guest: a 32-bit Multiboot kernel on COM1\n");
    rt_printf("Multiboot magic %x, info block at %x\n\n", rt_mb_magic, rt_mb_info);
    mandelbrot();
    rt_puts("\n");

    rt_set_handler(0x20, demo_timer);
    rt_pit_set_hz(PIT_HZ);
    rt_pic_unmask(0);
    rt_sti();
    for (uint32_t t = 1; t <= 5; t++) {
        while (demo_ticks < t * PIT_HZ)
            __asm__ volatile("hlt");
        rt_printf("tick %u\n", t);
    }
    rt_cli();
    rt_puts("demo done\n");
    return 0;
}
