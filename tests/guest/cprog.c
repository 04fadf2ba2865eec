/* cprog: ordinary C compiled by gcc -O2, for the code shapes a compiler
 * emits that hand-written tests miss: switch jump tables, 64-bit
 * arithmetic (ADC/SBB/SHLD/MUL pairs), recursion, function-pointer tables,
 * bit fields, struct copies, a sieve, a quicksort, CRC-32, a small
 * formatter.  Each section prints a result; all are checked on the host
 * CPU too (hostcheck.sh). */
#include "rt/rt.h"

/* --- sieve of Eratosthenes --- */
static uint8_t composite[200001];

static uint32_t sieve(uint32_t n)
{
    uint32_t count = 0;
    for (uint32_t i = 2; i <= n; i++) {
        if (composite[i])
            continue;
        count++;
        for (uint32_t j = i * 2; j <= n; j += i)
            composite[j] = 1;
    }
    return count;
}

/* --- 64-bit arithmetic --- */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static uint64_t arith64(void)
{
    uint64_t acc = 1;
    int64_t s = -5;
    for (uint32_t i = 0; i < 10000; i++) {
        uint64_t v = mix64(acc + i);
        acc += v;
        acc -= (v >> 7) | (v << 57);
        s = s * 3 - (int64_t)(v & 0xffff);
        if ((int64_t)acc < s)
            acc ^= (uint64_t)s;
        acc += (uint64_t)((int64_t)(int32_t)i * (int64_t)-77777);
    }
    return acc ^ (uint64_t)s;
}

/* --- a bytecode interpreter: a switch the compiler turns into a table --- */
enum { OP_PUSH, OP_ADD, OP_SUB, OP_MUL, OP_DUP, OP_SWAP, OP_JNZ, OP_DEC, OP_XOR, OP_SHL, OP_HALT };

static int32_t run_vm(const int32_t *code)
{
    int32_t stack[32], sp = 0, pc = 0;
    for (;;) {
        switch (code[pc++]) {
        case OP_PUSH: stack[sp++] = code[pc++]; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case OP_SWAP: { int32_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
        case OP_JNZ: { int32_t t = code[pc++]; if (stack[--sp]) pc = t; break; }
        case OP_DEC: stack[sp - 1]--; break;
        case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case OP_SHL: sp--; stack[sp - 1] <<= (stack[sp] & 31); break;
        case OP_HALT: return stack[sp - 1];
        default: return -1;
        }
    }
}

/* acc = 1; n = 20; do { acc = acc * 3 ^ n; acc <<= 1 ... } while (--n) */
static const int32_t vm_prog[] = {
    OP_PUSH, 1, OP_PUSH, 20,                    /* acc n */
    OP_SWAP, OP_PUSH, 3, OP_MUL, OP_PUSH, 12345, OP_XOR, /* n acc' */
    OP_DUP, OP_PUSH, 1, OP_SHL, OP_ADD,         /* n acc'' */
    OP_SWAP, OP_DEC, OP_DUP, OP_JNZ, 4,         /* acc n */
    OP_SUB, OP_HALT,
};

/* --- quicksort --- */
static uint32_t arr[20000];

static void quicksort(uint32_t *a, int lo, int hi)
{
    while (lo < hi) {
        uint32_t p = a[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p)
                i++;
            while (a[j] > p)
                j--;
            if (i <= j) {
                uint32_t t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

/* --- CRC-32 (IEEE, table driven) --- */
static uint32_t crc_table[256];

static uint32_t crc32(const uint8_t *p, uint32_t n)
{
    if (!crc_table[1])
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            crc_table[i] = c;
        }
    uint32_t c = 0xffffffffu;
    while (n--)
        c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}

/* --- function pointers, bit fields, struct copies --- */
struct rec {
    unsigned kind : 3;
    unsigned flag : 1;
    signed delta : 12;
    unsigned count : 16;
    char name[10];
    uint32_t values[6];
};

static uint32_t f_add(uint32_t a, uint32_t b) { return a + b; }
static uint32_t f_rot(uint32_t a, uint32_t b) { return (a << (b & 31)) | (a >> ((32 - (b & 31)) & 31)); }
static uint32_t f_mul(uint32_t a, uint32_t b) { return a * (b | 1); }
static uint32_t f_min(uint32_t a, uint32_t b) { return a < b ? a : b; }
static uint32_t (*const fns[4])(uint32_t, uint32_t) = {f_add, f_rot, f_mul, f_min};

static uint32_t records(void)
{
    static struct rec recs[64];
    uint32_t h = RT_HASH_INIT;
    for (int i = 0; i < 64; i++) {
        struct rec r = {0};
        r.kind = (unsigned)i & 7;
        r.flag = (unsigned)(i >> 3) & 1;
        r.delta = (i * 37) % 2048 - 1024;
        r.count = (unsigned)(i * 1000);
        for (int k = 0; k < 9; k++)
            r.name[k] = (char)('a' + (i + k) % 26);
        for (int k = 0; k < 6; k++)
            r.values[k] = fns[(i + k) & 3]((uint32_t)i * 0x01010101u, (uint32_t)k + 5);
        recs[(i * 7) & 63] = r; /* struct copy */
    }
    for (int i = 0; i < 64; i++) {
        struct rec r = recs[i];
        r.count += (unsigned)r.delta;
        h = rt_hash(h, r.kind | r.flag << 3 | (uint32_t)r.count << 8);
        h = rt_hash(h, (uint32_t)(int32_t)r.delta);
        h = rt_hash(h, (uint32_t)r.name[i % 9]);
        for (int k = 0; k < 6; k++)
            h = rt_hash(h, r.values[k]);
    }
    return h;
}

/* --- a small formatter into a buffer --- */
static char *fmt_num(char *p, uint32_t v, unsigned base, int width, int neg)
{
    char tmp[16];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg)
        tmp[n++] = '-';
    while (width-- > n)
        *p++ = ' ';
    while (n)
        *p++ = tmp[--n];
    return p;
}

static uint32_t formatting(void)
{
    static char buf[8192];
    char *p = buf;
    for (int32_t i = -300; i < 300; i += 7) {
        p = fmt_num(p, (uint32_t)(i < 0 ? -i : i), 10, 6, i < 0);
        p = fmt_num(p, (uint32_t)i * 2654435761u, 16, 9, 0);
        p = fmt_num(p, (uint32_t)i & 0777, 8, 4, 0);
        *p++ = '\n';
    }
    return crc32((const uint8_t *)buf, (uint32_t)(p - buf)) ^ (uint32_t)(p - buf);
}

static uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(void)
{
    rt_printf("primes up to 200000: %u\n", sieve(200000));
    uint64_t a = arith64();
    rt_printf("64-bit arithmetic: %08x%08x\n", (uint32_t)(a >> 32), (uint32_t)a);
    rt_printf("bytecode interpreter: %d\n", run_vm(vm_prog));

    uint32_t seed = 12345;
    for (uint32_t i = 0; i < 20000; i++) {
        seed = seed * 1103515245u + 12345u;
        arr[i] = seed >> 8;
    }
    quicksort(arr, 0, 19999);
    int sorted = 1;
    for (uint32_t i = 1; i < 20000; i++)
        if (arr[i - 1] > arr[i])
            sorted = 0;
    rt_printf("quicksort: sorted %s, crc %08x\n", sorted ? "yes" : "no", crc32((const uint8_t *)arr, sizeof arr));
    rt_printf("crc32(\"123456789\") = %08x\n", crc32((const uint8_t *)"123456789", 9));
    rt_printf("records: %08x\n", records());
    rt_printf("formatting: %08x\n", formatting());
    rt_printf("fib(24) = %u\n", fib(24));
    rt_puts("cprog done\n");
    return 0;
}
