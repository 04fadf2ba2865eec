/*
 * workload.c - the benchmark workload: integer arithmetic, memory traffic,
 * branches and calls in a mix of small kernels (sieve, CRC32, quicksort,
 * matrix multiply, a bytecode interpreter, recursive calls, string search).
 * Built unchanged as a 32-bit Multiboot guest and as a host program; every
 * value is a fixed-width integer so both print the same checksum.
 */
#include "tests/bench/bench.h"

#define SIEVE_N (1u << 17)
#define CRC_BYTES (1u << 16)
#define SORT_N 16384u
#define MAT_N 40u
#define TEXT_N 8192u

static uint8_t sieve_buf[SIEVE_N];
static uint8_t crc_buf[CRC_BYTES];
static uint32_t crc_table[256];
static uint32_t sort_buf[SORT_N];
static int32_t mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N], mat_c[MAT_N][MAT_N];
static char text_buf[TEXT_N];

/* --- console output without a C library -------------------------------- */

static uint32_t str_len(const char *s)
{
    uint32_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void put_str(const char *s) { bench_write(s, str_len(s)); }

static void put_hex(uint32_t v)
{
    char b[8];
    for (int i = 7; i >= 0; i--) {
        b[i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    }
    bench_write(b, 8);
}

static void put_result(const char *name, uint32_t v)
{
    put_str(name);
    put_str(" ");
    put_hex(v);
    put_str("\n");
}

uint32_t bench_parse_scale(const char *cmdline)
{
    static const char key[] = "scale=";
    for (const char *p = cmdline; p && *p; p++) {
        uint32_t i = 0;
        while (key[i] && p[i] == key[i])
            i++;
        if (key[i])
            continue;
        uint32_t v = 0;
        for (p += i; *p >= '0' && *p <= '9'; p++)
            v = v * 10 + (uint32_t)(*p - '0');
        return v;
    }
    return 0;
}

/* --- kernels -------------------------------------------------------------- */

/* Numerical Recipes LCG: cheap, deterministic, the same on every host. */
static uint32_t lcg_state;
static uint32_t lcg_next(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state;
}

/* Mix a kernel's result into the running checksum (FNV-1a over its bytes). */
static uint32_t mix(uint32_t h, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 16777619u;
    }
    return h;
}

/* Byte array sieve: stores, strided loops, a counting branch. */
static uint32_t k_sieve(void)
{
    uint32_t count = 0;
    for (uint32_t i = 0; i < SIEVE_N; i++)
        sieve_buf[i] = 1;
    sieve_buf[0] = sieve_buf[1] = 0;
    for (uint32_t i = 2; i * i < SIEVE_N; i++)
        if (sieve_buf[i])
            for (uint32_t j = i * i; j < SIEVE_N; j += i)
                sieve_buf[j] = 0;
    for (uint32_t i = 0; i < SIEVE_N; i++)
        count += sieve_buf[i];
    return count;
}

/* CRC-32 (IEEE 802.3, reflected): table build with shifts and conditional
 * XOR, then table-driven over a pseudo-random buffer. */
static uint32_t k_crc32(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    for (uint32_t i = 0; i < CRC_BYTES; i++)
        crc_buf[i] = (uint8_t)(lcg_next() >> 24);
    uint32_t crc = 0xffffffffu;
    for (uint32_t i = 0; i < CRC_BYTES; i++)
        crc = crc_table[(crc ^ crc_buf[i]) & 0xff] ^ (crc >> 8);
    return crc ^ 0xffffffffu;
}

/* Recursive quicksort (calls, data-dependent branches), then a checksum of
 * the order that also proves the result is sorted. */
static void quicksort(uint32_t *a, int32_t lo, int32_t hi)
{
    while (lo < hi) {
        uint32_t pivot = a[lo + (hi - lo) / 2];
        int32_t i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                uint32_t t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        }
        /* Recurse into the smaller half to bound the stack depth. */
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

static uint32_t k_sort(void)
{
    for (uint32_t i = 0; i < SORT_N; i++)
        sort_buf[i] = lcg_next();
    quicksort(sort_buf, 0, (int32_t)SORT_N - 1);
    uint32_t h = 0, unsorted = 0;
    for (uint32_t i = 0; i < SORT_N; i++) {
        h = h * 31u + sort_buf[i];
        if (i && sort_buf[i - 1] > sort_buf[i])
            unsorted++;
    }
    return h ^ unsorted;
}

/* Integer matrix multiply: multiplies and indexed loads. */
static uint32_t k_matmul(void)
{
    for (uint32_t i = 0; i < MAT_N; i++)
        for (uint32_t j = 0; j < MAT_N; j++) {
            mat_a[i][j] = (int32_t)(lcg_next() >> 20) - 2048;
            mat_b[i][j] = (int32_t)(lcg_next() >> 20) - 2048;
        }
    for (uint32_t i = 0; i < MAT_N; i++)
        for (uint32_t j = 0; j < MAT_N; j++) {
            int32_t s = 0;
            for (uint32_t k = 0; k < MAT_N; k++)
                s += mat_a[i][k] * mat_b[k][j];
            mat_c[i][j] = s;
        }
    uint32_t h = 0;
    for (uint32_t i = 0; i < MAT_N; i++)
        h = mix(h, (uint32_t)mat_c[i][(i * 7) % MAT_N]);
    return h;
}

/* A tiny stack-machine interpreter: the indirect branches and switch
 * dispatch of a real interpreter loop. The program sums the Collatz
 * sequence lengths of 1..n. */
enum {
    OP_PUSH,
    OP_DUP,
    OP_SWAP,
    OP_OVER,
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV2,
    OP_AND1,
    OP_JZ,
    OP_JMP,
    OP_DROP,
    OP_ROT,
    OP_HALT
};

static uint32_t interp_run(const int32_t *code, uint32_t n)
{
    uint32_t st[16];
    int sp = 0, pc = 0;
    uint32_t steps = 0;
    st[sp++] = 0; /* total */
    st[sp++] = n; /* i */
    for (;;) {
        steps++;
        int32_t op = code[pc++];
        switch (op) {
        case OP_PUSH: st[sp++] = (uint32_t)code[pc++]; break;
        case OP_DUP:
            st[sp] = st[sp - 1];
            sp++;
            break;
        case OP_SWAP: {
            uint32_t t = st[sp - 1];
            st[sp - 1] = st[sp - 2];
            st[sp - 2] = t;
            break;
        }
        case OP_OVER:
            st[sp] = st[sp - 2];
            sp++;
            break;
        case OP_ADD:
            sp--;
            st[sp - 1] += st[sp];
            break;
        case OP_SUB:
            sp--;
            st[sp - 1] -= st[sp];
            break;
        case OP_MUL:
            sp--;
            st[sp - 1] *= st[sp];
            break;
        case OP_DIV2: st[sp - 1] >>= 1; break;
        case OP_AND1: st[sp - 1] &= 1; break;
        case OP_JZ:
            sp--;
            if (st[sp] == 0)
                pc = code[pc];
            else
                pc++;
            break;
        case OP_JMP: pc = code[pc]; break;
        case OP_DROP: sp--; break;
        case OP_ROT: {
            uint32_t t = st[sp - 3];
            st[sp - 3] = st[sp - 2];
            st[sp - 2] = st[sp - 1];
            st[sp - 1] = t;
            break;
        }
        default: return st[0] ^ (steps << 16);
        }
    }
}

static uint32_t k_interp(void)
{
    /* stack: total i   ->   loop while i != 0:
     *   x = i; while x != 1: total++, x = even ? x/2 : 3x+1;  i-- */
    /* One line per address range, so the jump targets can be checked. */
    /* clang-format off */
    static const int32_t code[] = {
        /* 0 outer: */ OP_DUP, OP_JZ, 41,
        /* 3 */ OP_DUP,                    /* total i x */
        /* 4 inner: */ OP_DUP, OP_PUSH, 1, OP_SUB, OP_JZ, 35, /* x == 1? */
        /* 10 */ OP_ROT, OP_PUSH, 1, OP_ADD, OP_ROT, OP_ROT, /* total+1 */
        /* 16 */ OP_DUP, OP_AND1, OP_JZ, 29,
        /* 20 odd: */ OP_PUSH, 3, OP_MUL, OP_PUSH, 1, OP_ADD, OP_JMP, 4,
        /* 28 */ OP_HALT,
        /* 29 even: */ OP_DIV2, OP_JMP, 4,
        /* 32 */ OP_HALT, OP_HALT, OP_HALT,
        /* 35 done: */ OP_DROP, OP_PUSH, 1, OP_SUB, OP_JMP, 0,
        /* 41 */ OP_HALT,
    };
    /* clang-format on */
    return interp_run(code, 600);
}

/* Naive recursion: call/return and stack traffic. */
static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static uint32_t k_calls(void) { return fib(22); }

/* Byte-wise string search over generated text: compare loops with early
 * exits, the shape of strstr/memcmp-heavy code. */
static uint32_t k_search(void)
{
    static const char words[][6] = { "jet", "x86", "tcg", "tlb", "irq" };
    for (uint32_t i = 0; i < TEXT_N; i++)
        text_buf[i] = (char)('a' + (lcg_next() >> 16) % 26);
    for (uint32_t i = 0; i + 3 < TEXT_N; i += 97)
        for (uint32_t k = 0; k < 3; k++)
            text_buf[i + k] = words[(i / 97) % 5][k];
    uint32_t hits = 0, pos_sum = 0;
    for (uint32_t w = 0; w < 5; w++)
        for (uint32_t i = 0; i + 3 <= TEXT_N; i++) {
            uint32_t k = 0;
            while (k < 3 && text_buf[i + k] == words[w][k])
                k++;
            if (k == 3) {
                hits++;
                pos_sum += i;
            }
        }
    return (hits << 20) ^ pos_sum;
}

uint32_t bench_run(uint32_t scale)
{
    static const struct {
        const char *name;
        uint32_t (*fn)(void);
    } kernels[] = {
        { "sieve", k_sieve },   { "crc32", k_crc32 },   { "sort", k_sort },
        { "matmul", k_matmul }, { "interp", k_interp }, { "calls", k_calls },
        { "search", k_search },
    };
    uint32_t sum = 2166136261u;
    lcg_state = 12345;
    for (uint32_t k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
        uint32_t h = 0;
        for (uint32_t r = 0; r < scale; r++)
            h = mix(h, kernels[k].fn());
        put_result(kernels[k].name, h);
        sum = mix(sum, h);
    }
    put_str("scale ");
    put_hex(scale);
    put_str("\nchecksum ");
    put_hex(sum);
    put_str("\n");
    return sum;
}
