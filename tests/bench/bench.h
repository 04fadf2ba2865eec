/*
 * bench.h - what the benchmark workload (workload.c) needs from its glue:
 * guest_glue.c + guest_entry.S when it runs as a Multiboot guest,
 * host_main.c when it runs as a host program. Same C either way.
 */
#ifndef TESTS_BENCH_BENCH_H
#define TESTS_BENCH_BENCH_H

#include <stdint.h>

/* Default work size; "scale=N" on the guest command line (-append) or the
 * host program's first argument overrides it. */
#define BENCH_DEFAULT_SCALE 40

/* Write n bytes to the console (COM1 in the guest, stdout on the host). */
void bench_write(const char *s, uint32_t n);

/* Run every kernel `scale` times, print per-kernel results and the final
 * checksum line ("checksum XXXXXXXX"); returns the checksum. */
uint32_t bench_run(uint32_t scale);

/* Parse the decimal after "scale=" in a command line; 0 if absent. */
uint32_t bench_parse_scale(const char *cmdline);

/* The guests' glue (guest_glue.c): the scale from the Multiboot command
 * line, and running the workload then leaving through isa-debug-exit. */
uint32_t bench_guest_scale(uint32_t magic, const uint32_t *info);
_Noreturn void bench_guest_run(uint32_t scale);
/* The guests' entry (guest_entry.S calls it; guest_flat.c, guest_paged.c). */
_Noreturn void bench_guest_main(uint32_t magic, const uint32_t *info);

/* The static i386 Linux program's main (linux_glue.c; linux_entry.S calls
 * it): scale from argv[1], its own run time from clock_gettime. */
int bench_linux_main(int argc, char **argv);

#endif
