/* tbstress: many distinct small blocks.  65536 generated functions
 * (mov eax, imm32; add eax, ecx; ret) spread over 2 MiB of RAM are called
 * in a scrambled order, then all rewritten with new immediates (code
 * modified across 512 pages) and called again, twice.  This fills the
 * translated-block cache well past any small size, so a cache that must be
 * flushed whole and refilled is exercised, as are block lookup by physical
 * address and the invalidation of blocks on many pages. */
#include "rt/rt.h"

#ifndef TB_NAME
#define TB_NAME "tbstress"
#endif
#define NFUNC 65536
#define FSIZE 32
#define CODE_BASE 0x400000u /* 4 MiB: free RAM above the program */

typedef uint32_t (*gen_fn)(void);

static void emit_all(uint32_t seed)
{
    for (uint32_t i = 0; i < NFUNC; i++) {
        uint8_t *p = (uint8_t *)(CODE_BASE + i * FSIZE);
        uint32_t imm = i * 2654435761u + seed;
        p[0] = 0xb8; /* mov eax, imm32 */
        memcpy(p + 1, &imm, 4);
        p[5] = 0x01; /* add eax, ecx */
        p[6] = 0xc8;
        p[7] = 0xc3; /* ret */
    }
}

static uint32_t call_all(uint32_t salt)
{
    uint32_t h = RT_HASH_INIT;
    for (uint32_t k = 0; k < NFUNC; k++) {
        uint32_t i = (k * 40503u + salt) & (NFUNC - 1); /* odd multiplier: a permutation */
        uint32_t r; /* the target pointer-sized, for hostcheck.sh's 64-bit build */
        __asm__ volatile("call *%1" : "=a"(r) : "r"((uintptr_t)(CODE_BASE + i * FSIZE)), "c"(k) : "edx", "memory");
        h = rt_hash(h, r);
    }
    return h;
}

static uint32_t expect_all(uint32_t seed, uint32_t salt)
{
    uint32_t h = RT_HASH_INIT;
    for (uint32_t k = 0; k < NFUNC; k++) {
        uint32_t i = (k * 40503u + salt) & (NFUNC - 1);
        h = rt_hash(h, i * 2654435761u + seed + k);
    }
    return h;
}

int main(void)
{
    static const uint32_t seeds[3] = {0x11111111u, 0x22222222u, 0x33333333u};
    for (int round = 0; round < 3; round++) {
        emit_all(seeds[round]);
        uint32_t got = call_all((uint32_t)round * 7);
        uint32_t again = call_all((uint32_t)round * 7);
        rt_printf("round %d: %s, repeat %s\n", round, got == expect_all(seeds[round], (uint32_t)round * 7) ? "ok" : "WRONG",
                  again == got ? "same" : "DIFFERENT");
    }
    rt_puts(TB_NAME " done\n");
    return 0;
}
