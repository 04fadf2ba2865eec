/* smc: self-modifying code.  A store changes an instruction later in the
 * same straight-line run, the very next instruction, an opcode; a hot
 * chained function is patched after many calls; a loop patches its own
 * body; code is copied over a buffer with REP MOVSB and rerun; a store
 * rewrites an instruction already executed in the running block; a store
 * spans two instructions.  On real hardware every store takes effect for
 * the next instruction fetched (SDM 3A 11.6). */
#include "rt/rt.h"

uint32_t smc_later(void);
uint32_t smc_next(void);
uint32_t smc_opcode(void);
void smc_reset(void);
uint32_t smc_hot(void);
extern uint8_t smc_hot_imm[];
uint32_t smc_loop(void);
uint32_t smc_copy(void);
uint32_t smc_behind(void);
uint32_t smc_span(void);
uint32_t smc_repmovs(void);
void smc_repmovs_reset(void);
uint32_t smc_indirect_target(void);

/* 11. Code that straddles a page boundary, run from a fixed place in free
 * RAM: "mov eax, imm32" starts 3 bytes before the boundary, so its last two
 * immediate bytes and "add eax, imm32; ret" lie on the second page.
 * Patching only the second page must be seen. */
#define CROSS_PAGE 0x501000u
#define CROSS_START (CROSS_PAGE - 3)

/* Call the code at addr (cases 11 and 12): its result is in EAX. */
static uint32_t call_at(uint32_t addr)
{
    uint32_t r;
    __asm__ volatile("call *%1" : "=a"(r) : "r"(addr) : "ecx", "edx", "memory");
    return r;
}

static void cross_test(void)
{
    static const uint8_t prog[] = {0xb8, 0x44, 0x33, 0x22, 0x11, /* mov eax, 0x11223344 */
                                   0x05, 0x01, 0x00, 0x00, 0x00, /* add eax, 1 */
                                   0xc3};
    uint8_t *p = (uint8_t *)CROSS_START;
    memcpy(p, prog, sizeof prog);
    uint32_t a = 0;
    for (int i = 0; i < 100; i++)
        a = call_at(CROSS_START);
    rt_printf("page-crossing block: %x\n", a);
    p[4] = 0x55; /* second page: top byte of the MOV immediate */
    rt_printf("second page patched: %x\n", call_at(CROSS_START));
    p[1] = 0x00; /* first page only */
    rt_printf("first page patched: %x\n", call_at(CROSS_START));
    p[6] = 0x10; /* the ADD, second page */
    rt_printf("add patched: %x\n", call_at(CROSS_START));
    /* data stores beside the code in the same pages: nothing changes */
    uint32_t sum = 0;
    for (int i = 0; i < 200; i++) {
        uint8_t *volatile near = (uint8_t *)(CROSS_PAGE - 0x400);
        near[i & 31] = (uint8_t)i;
        p[64 + (i & 31)] = (uint8_t)i;
        sum += call_at(CROSS_START) & 0xff;
    }
    rt_printf("with stores to the same pages: sum %u\n", sum);
}

/* 12. A block whose first instruction ends exactly at a page boundary: the
 * instructions after it are on the next page, so the block must end there
 * (or be found by stores into that page too). Patching the second page
 * must be seen. */
#define EDGE_PAGE 0x503000u
#define EDGE_START (EDGE_PAGE - 2)

static void edge_test(void)
{
    static const uint8_t prog[] = {0x31, 0xc9,                   /* xor ecx, ecx */
                                   0xb8, 0x11, 0x11, 0x11, 0x11, /* mov eax, 0x11111111 */
                                   0xc3};
    uint8_t *p = (uint8_t *)EDGE_START;
    memcpy(p, prog, sizeof prog);
    uint32_t a = 0;
    for (int i = 0; i < 100; i++)
        a = call_at(EDGE_START);
    rt_printf("block ending at a page boundary: %x\n", a);
    p[3] = 0x22; /* the MOV immediate, on the next page */
    p[6] = 0x22;
    rt_printf("next page patched: %x\n", call_at(EDGE_START));
}

int main(void)
{
    for (int pass = 1; pass <= 2; pass++) {
        rt_printf("pass %d\n", pass);
        rt_printf("later in block: %x\n", smc_later());
        rt_printf("next insn: %x\n", smc_next());
        rt_printf("opcode inc->dec: %x\n", smc_opcode());
        rt_printf("loop patching itself: %u\n", smc_loop());
        rt_printf("copy and run: %x\n", smc_copy());
        rt_printf("already executed insn: %x\n", smc_behind());
        rt_printf("store across two insns: %x\n", smc_span());
        rt_printf("rep movsb into own block: %x\n", smc_repmovs());
        smc_reset();
        smc_repmovs_reset();
    }

    uint32_t sum = 0;
    for (int i = 0; i < 1000; i++)
        sum += smc_hot();
    rt_printf("hot function before: sum %u\n", sum);
    for (uint32_t v = 2; v <= 4; v++) {
        smc_hot_imm[0] = (uint8_t)v;
        sum = 0;
        for (int i = 0; i < 1000; i++)
            sum += smc_hot();
        rt_printf("hot function patched to %u: sum %u\n", v, sum);
    }

    uint32_t (*volatile ind)(void) = smc_indirect_target;
    uint8_t *imm = (uint8_t *)smc_indirect_target + 1;
    for (uint32_t v = 100; v <= 102; v++) {
        imm[0] = (uint8_t)v;
        sum = 0;
        for (int i = 0; i < 1000; i++)
            sum += ind();
        rt_printf("indirect calls after patch to %u: sum %u\n", v, sum);
    }

    cross_test();
    edge_test();
    rt_puts("smc done\n");
    return 0;
}
