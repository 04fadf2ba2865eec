/*
 * guest_flat.c - the flat benchmark guest: the workload at CPL 0 with
 * paging off, as the Multiboot loader leaves the CPU.
 */
#include <stdint.h>

#include "tests/bench/bench.h"

_Noreturn void bench_guest_main(uint32_t magic, const uint32_t *info)
{
    bench_guest_run(bench_guest_scale(magic, info));
}
