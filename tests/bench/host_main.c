/*
 * host_main.c - runs the benchmark workload as an ordinary host program:
 * console output on stdout, scale from argv[1] ("scale=N" or N).
 */
#include <stdio.h>
#include <stdlib.h>

#include "tests/bench/bench.h"

void bench_write(const char *s, uint32_t n) { fwrite(s, 1, n, stdout); }

int main(int argc, char **argv)
{
    uint32_t scale = BENCH_DEFAULT_SCALE;
    if (argc > 1) {
        uint32_t v = bench_parse_scale(argv[1]);
        if (!v)
            v = (uint32_t)strtoul(argv[1], NULL, 10);
        if (v)
            scale = v;
    }
    bench_run(scale);
    return 0;
}
