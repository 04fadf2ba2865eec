/*
 * test_machines.c - no process-wide state in the translation engine
 * (translator/tb.h, struct jit): two machines in one process, each with
 * its own RAM, CPU, virtual clock and engine, run different guest code at
 * the same guest addresses, interleaved in slices, on every pair of
 * backends of the build; a cache shared between them would run one's
 * blocks on the other. And two CPUs on one engine: a guest store into
 * code invalidates the block in both CPUs' jump caches (and reaches the
 * block cache although the storing CPU had the page in its TLB before the
 * code was translated by the other).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "translator/x86/cpu_access.h"
#include "softmmu/memory.h"
#include "translator/backend.h"
#include "translator/tb.h"
#include "translator/x86/cpu.h"
#include "tests/unit/unit.h"

#define RAM_SIZE (1u << 20)

/* What a board holds for one CPU, reduced to what the engine needs. */
struct test_machine {
    struct memory_map map;
    struct vclock clk;
    struct vtimer stop;
    struct cpu *cpu;
    struct jit *jit;
};

static void set_flat_seg(struct cpu *cpu, int s, uint16_t sel, uint16_t type)
{
    cpu->seg[s].base = 0;
    cpu->seg[s].limit = 0xffffffffu;
    cpu->seg[s].sel = sel;
    cpu->seg[s].attr = SEG_ATTR_P | SEG_ATTR_S | SEG_ATTR_DB | SEG_ATTR_G |
                       type;
}

static void stop_cb(void *opaque)
{
    struct cpu *cpu = opaque;
    cpu->stop_request = 1;
    cpu->exit_request = 1;
}

/* A CPU in flat 32-bit protected mode, ring 0, under -icount (1 ns an
 * instruction), on map and engine jit, with its own clock in m. */
static struct cpu *tm_cpu_new(struct test_machine *m, struct memory_map *map,
                           struct jit *jit, uint32_t esp)
{
    struct cpu *cpu = calloc(1, sizeof(*cpu));
    cpu->mmu.mem = map;
    cpu->jit = jit;
    cpu_init(cpu);
    cpu_reset(cpu);
    cpu->cr[0] |= CR0_PE;
    set_flat_seg(cpu, SEG_CS, 0x08, 0xb);
    for (int s = 0; s < SEG_COUNT; s++)
        if (s != SEG_CS)
            set_flat_seg(cpu, s, 0x10, 0x3);
    cpu_update_hflags(cpu);
    cpu->regs[R_ESP] = esp;
    cpu_tlb_flush(cpu);
    vclock_init(&m->clk, true, 0, &cpu->icount);
    vtimer_init(&m->stop, &m->clk, stop_cb, cpu);
    cpu->clock = &m->clk;
    cpu->icount_mode = true;
    tb_attach_cpu(cpu);
    return cpu;
}

static void tm_new(struct test_machine *m, const struct backend *be)
{
    memset(m, 0, sizeof(*m));
    memory_map_init(&m->map);
    mem_add_ram(&m->map, "ram", 0, RAM_SIZE, NULL);
    m->jit = jit_new(&(struct jit_options){ .backend = be,
                                            .code_buffer_size = 1u << 20 });
    m->cpu = tm_cpu_new(m, &m->map, m->jit, 0x9000);
}

static void tm_cpu_free(struct cpu *cpu)
{
    tb_detach_cpu(cpu);
    free(cpu);
}

static void tm_free(struct test_machine *m)
{
    vtimer_del(&m->stop);
    tm_cpu_free(m->cpu);
    jit_free(m->jit);
    memory_map_destroy(&m->map);
}

/* Run cpu (its clock in m) until it has executed `until` instructions in
 * all: exactly, as a timer under -icount fires on its instruction. */
static void run_until(struct test_machine *m, struct cpu *cpu, uint64_t until)
{
    vtimer_mod(&m->stop, (int64_t)until);
    cpu->stop_request = 0;
    cpu_exec(cpu);
    ck_assert_uint_eq(cpu->icount, until);
}

static void put(struct memory_map *map, uint32_t addr, const char *bytes,
                size_t n)
{
    phys_write(map, addr, bytes, n);
}

/*
 * The loop of both machines, 5 instructions a round, the same shape at
 * the same addresses but different bytes:
 *   0x1000: call 0x2000; inc ebx (B: dec ebx); jmp 0x1000
 *   0x2000: inc eax; ret (B: add eax, 3; ret)
 * The RET finds its way back through the jump cache (lookup_tb).
 */
static void put_loop(struct memory_map *map, bool b)
{
    put(map, 0x1000, b ? "\xe8\xfb\x0f\x00\x00\x4b\xeb\xf8"
                       : "\xe8\xfb\x0f\x00\x00\x43\xeb\xf8",
        8);
    if (b)
        put(map, 0x2000, "\x83\xc0\x03\xc3", 4);
    else
        put(map, 0x2000, "\x40\xc3", 2);
}

/* After n instructions of the loop from 0x1000: EAX and EBX. */
static void loop_expect(uint64_t n, bool b, uint32_t *eax, uint32_t *ebx)
{
    uint64_t rounds = n / 5, rest = n % 5;
    uint64_t adds = rounds + (rest >= 2), incs = rounds + (rest >= 4);
    *eax = (uint32_t)(adds * (b ? 3 : 1));
    *ebx = (uint32_t)(b ? 0 - incs : incs);
}

/* Machine A on backend i, machine B on backend j (_i = i * count + j). */
START_TEST(test_two_machines_interleaved)
{
    const struct backend *ba = backend_list[(unsigned)_i / backend_count];
    const struct backend *bb = backend_list[(unsigned)_i % backend_count];
    struct test_machine ma, mb;
    tm_new(&ma, ba);
    tm_new(&mb, bb);
    ck_assert_ptr_ne(ma.jit, mb.jit);
    put_loop(&ma.map, false);
    put_loop(&mb.map, true);
    ma.cpu->eip = mb.cpu->eip = 0x1000;

    /* Slices of different lengths, so that each stops in the middle of
     * a round and in another block each time. */
    uint64_t na = 0, nb = 0;
    for (int k = 0; k < 40; k++) {
        na += 97 + (uint64_t)k;
        run_until(&ma, ma.cpu, na);
        nb += 131 - (uint64_t)k;
        run_until(&mb, mb.cpu, nb);
    }
    uint32_t eax, ebx;
    loop_expect(na, false, &eax, &ebx);
    ck_assert_uint_eq(ma.cpu->regs[R_EAX], eax);
    ck_assert_uint_eq(ma.cpu->regs[R_EBX], ebx);
    loop_expect(nb, true, &eax, &ebx);
    ck_assert_uint_eq((uint32_t)mb.cpu->regs[R_EAX], eax);
    ck_assert_uint_eq((uint32_t)mb.cpu->regs[R_EBX], ebx);
    /* Each engine translated its own blocks. */
    ck_assert_uint_ge(ma.jit->translated_count, 3);
    ck_assert_uint_ge(mb.jit->translated_count, 3);
    tm_free(&ma);
    tm_free(&mb);
}
END_TEST

/* Two CPUs of one machine on one engine (backend _i). */
START_TEST(test_invalidate_clears_every_jump_cache)
{
    struct test_machine m1, m2; /* m2: only the second CPU's clock */
    tm_new(&m1, backend_list[_i]);
    memset(&m2, 0, sizeof(m2));
    struct cpu *c1 = m1.cpu;
    struct cpu *c2 = tm_cpu_new(&m2, &m1.map, m1.jit, 0xa000);

    /* The block both call: inc eax; ret. */
    put(&m1.map, 0x1000, "\x40\xc3", 2);
    /* CPU 1: mov byte [0x1800], 1 (page 0x1000 in its TLB, writable,
     * before there is code on it); call 0x1000; mov byte [0x1000], 0x43
     * (inc eax -> inc ebx); jmp $ */
    put(&m1.map, 0x3000, "\xc6\x05\x00\x18\x00\x00\x01"
                         "\xe8\xf4\xdf\xff\xff"
                         "\xc6\x05\x00\x10\x00\x00\x43"
                         "\xeb\xfe",
        21);
    /* CPU 2: call 0x1000; jmp $ */
    put(&m1.map, 0x4000, "\xe8\xfb\xcf\xff\xff\xeb\xfe", 7);
    c1->eip = 0x3000;
    c2->eip = 0x4000;

    run_until(&m1, c1, 1);  /* the store to the data byte */
    run_until(&m2, c2, 3);  /* call, inc eax, ret: translates the block */
    unsigned j = tb_jmp_cache_hash(0x1000);
    struct tb *t = c2->jmp_cache[j].tb;
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(t->pc, 0x1000);
    run_until(&m1, c1, 4);  /* call, inc eax, ret: the same block */
    ck_assert_ptr_eq(c1->jmp_cache[j].tb, t);
    ck_assert_uint_eq(c1->regs[R_EAX], 1);
    ck_assert_uint_eq(c2->regs[R_EAX], 1);

    /* CPU 1 stores into the block: gone from both jump caches. */
    run_until(&m1, c1, 6);
    ck_assert(t->invalid);
    ck_assert_ptr_null(c1->jmp_cache[j].tb);
    ck_assert_ptr_null(c2->jmp_cache[j].tb);

    /* CPU 2 calls it again and runs the new bytes. */
    c2->eip = 0x4000;
    c2->regs[R_ESP] = 0xa000;
    run_until(&m2, c2, 8);
    ck_assert_uint_eq(c2->regs[R_EAX], 1);
    ck_assert_uint_eq(c2->regs[R_EBX], 1);

    vtimer_del(&m2.stop);
    tm_cpu_free(c2);
    tm_free(&m1);
}
END_TEST

static Suite *machines_suite(void)
{
    Suite *s = suite_create("machines");
    TCase *tc = tcase_create("engines");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, test_two_machines_interleaved, 0,
                        (int)(backend_count * backend_count));
    tcase_add_loop_test(tc, test_invalidate_clears_every_jump_cache, 0,
                        (int)backend_count);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(machines_suite)
