/*
 * guest_glue.c - the benchmark workload's environment as a bare-metal guest:
 * COM1 output by polling, the scale from the Multiboot command line, exit
 * through QEMU's isa-debug-exit port (0xf4), and the memset/memcpy that gcc
 * may call even in freestanding code. Shared by the flat guest
 * (guest_flat.c) and the paged ring-3 one (guest_paged.c), which differ
 * in bench_guest_main only. Port I/O works at CPL 3 too: the paged guest
 * runs with IOPL 3.
 */
#include <stddef.h>
#include <stdint.h>

#include "tests/bench/bench.h"

#define COM1 0x3f8
#define COM1_LSR (COM1 + 5)
#define LSR_THRE 0x20 /* transmit holding register empty */
#define DEBUG_EXIT_PORT 0xf4
#define MB_INFO_CMDLINE (1u << 2)

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

void bench_write(const char *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            bench_write("\r", 1);
        while (!(inb(COM1_LSR) & LSR_THRE))
            ;
        outb(COM1, (uint8_t)s[i]);
    }
}

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

uint32_t bench_guest_scale(uint32_t magic, const uint32_t *info)
{
    uint32_t scale = BENCH_DEFAULT_SCALE;
    /* Multiboot spec 3.3: flags at +0, cmdline (physical address) at +16. */
    if (magic == 0x2BADB002 && (info[0] & MB_INFO_CMDLINE)) {
        uint32_t v = bench_parse_scale((const char *)(uintptr_t)info[4]);
        if (v)
            scale = v;
    }
    return scale;
}

_Noreturn void bench_guest_run(uint32_t scale)
{
    bench_run(scale);
    /* isa-debug-exit: the emulator exits with status (0 << 1) | 1 = 1. */
    outl(DEBUG_EXIT_PORT, 0);
    for (;;)
        ;
}
