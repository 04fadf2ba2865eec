/*
 * linux_glue.c - the benchmark workload as a static i386 Linux program with
 * no C library (gcc -m32 -static -nostdlib; linux_entry.S calls
 * bench_linux_main): output through write(2) on stdout, exit status from
 * bench_linux_main, the scale from argv[1] ("scale=N" or N), and its own
 * run time from clock_gettime(CLOCK_MONOTONIC). The same binary runs on
 * the host (a 32-bit capable x86 Linux) and in the Linux guest of
 * `make bench-linux` (tests/bench/linux-init). Around the workload's own
 * lines it prints
 *     bench-linux: workload start
 *     ... the lines of bench_run ...
 *     bench-linux: workload time S.NNNNNNNNN s (clock_gettime)
 * System calls through int 0x80 (Linux i386 ABI: EAX = number, EBX, ECX,
 * EDX = arguments, result in EAX, -errno on failure).
 */
#include <stddef.h>
#include <stdint.h>

#include "tests/bench/bench.h"

#define NR_EXIT 1
#define NR_WRITE 4
#define NR_CLOCK_GETTIME 265 /* 32-bit time_t, in every i386 kernel */
#define CLOCK_MONOTONIC 1

struct timespec32 {
    int32_t sec;
    int32_t nsec;
};

static int32_t sys3(int32_t nr, uint32_t a, uint32_t b, uint32_t c)
{
    int32_t r;
    __asm__ volatile("int $0x80"
                     : "=a"(r)
                     : "a"(nr), "b"(a), "c"(b), "d"(c)
                     : "memory");
    return r;
}

void bench_write(const char *s, uint32_t n)
{
    while (n) {
        int32_t r = sys3(NR_WRITE, 1, (uint32_t)(uintptr_t)s, n);
        if (r <= 0)
            sys3(NR_EXIT, 2, 0, 0); /* stdout is gone: nothing to report to */
        s += r;
        n -= (uint32_t)r;
    }
}

/* gcc may call these even in freestanding code. */
void *memset(void *d, int c, size_t n)
{
    uint8_t *p = d;
    while (n--)
        *p++ = (uint8_t)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *p = d;
    const uint8_t *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

/* v in decimal, at least `width` digits (leading zeros). */
static void put_dec(uint32_t v, int width)
{
    char b[10];
    int n = 0;
    do {
        b[sizeof(b) - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n < width);
    bench_write(b + sizeof(b) - n, (uint32_t)n);
}

static void put(const char *s)
{
    uint32_t n = 0;
    while (s[n])
        n++;
    bench_write(s, n);
}

static int monotonic(struct timespec32 *t)
{
    return sys3(NR_CLOCK_GETTIME, CLOCK_MONOTONIC, (uint32_t)(uintptr_t)t, 0) ==
           0;
}

int bench_linux_main(int argc, char **argv)
{
    uint32_t scale = BENCH_DEFAULT_SCALE;
    if (argc > 1 && argv[1]) {
        uint32_t v = bench_parse_scale(argv[1]);
        if (!v) /* a bare number */
            for (const char *p = argv[1]; *p >= '0' && *p <= '9'; p++)
                v = v * 10 + (uint32_t)(*p - '0');
        if (v)
            scale = v;
    }
    struct timespec32 t0, t1;
    int have_clock = monotonic(&t0);
    put("bench-linux: workload start\n");
    bench_run(scale);
    if (have_clock && monotonic(&t1)) {
        int32_t sec = t1.sec - t0.sec, nsec = t1.nsec - t0.nsec;
        if (nsec < 0) {
            nsec += 1000000000;
            sec--;
        }
        put("bench-linux: workload time ");
        put_dec((uint32_t)sec, 1);
        put(".");
        put_dec((uint32_t)nsec, 9);
        put(" s (clock_gettime)\n");
    } else {
        put("bench-linux: workload time unknown (clock_gettime failed)\n");
    }
    return 0;
}
