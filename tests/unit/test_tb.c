/*
 * test_tb.c - unit tests of the block cache (translator/tb.c), the CPU
 * loop (translator/cpu_loop.c) and exception raising (translator/excp.c):
 * real guest code in 1 MiB of RAM is translated, cached, chained,
 * invalidated by writes, flushed; cpu_exec runs it with an icount virtual
 * clock (timers at the exact instruction, HLT, a hardware interrupt breaking
 * a chained loop, a store into the running block, device accesses and
 * RDTSC seeing the time of their own instruction on each backend); #DF and
 * triple-fault promotion; changes of the memory map (also by a device under
 * a running guest) dropping TLB entries and blocks, and dirty logging seen
 * through generated code, on every backend.
 */
#include <check.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "translator/x86/cpu_access.h"
#include "softmmu/memory.h"
#include "translator/backend.h"
#include "translator/x86/cpu.h"
#include "translator/tb.h"
#include "tests/unit/unit.h"

#define RAM_SIZE (1u << 20)

static struct memory_map map;
static struct jit *jit;
static struct cpu *cpu;
static uint8_t *ram;
static struct vclock clk;

static void set_flat_seg(int s, uint16_t sel, uint16_t type)
{
    cpu->seg[s].base = 0;
    cpu->seg[s].limit = 0xffffffffu;
    cpu->seg[s].sel = sel;
    cpu->seg[s].attr = SEG_ATTR_P | SEG_ATTR_S | SEG_ATTR_DB | SEG_ATTR_G |
                       type;
}

/* Run cpu on a new engine of backend be (the old one is freed). */
static void use_engine(const struct backend *be, size_t code_size)
{
    if (jit) {
        tb_detach_cpu(cpu);
        jit_free(jit);
    }
    jit = jit_new(&(struct jit_options){ .backend = be,
                                         .code_buffer_size = code_size });
    cpu->jit = jit;
    tb_attach_cpu(cpu);
}

static void setup(void)
{
    memory_map_init(&map);
    ram = mem_add_ram(&map, "ram", 0, RAM_SIZE, NULL)->host;
    cpu = calloc(1, sizeof(*cpu));
    cpu->mmu.mem = &map;
    cpu_init(cpu);
    cpu_reset(cpu);
    /* Flat 32-bit protected mode, ring 0, as Multiboot leaves it. */
    cpu->cr[0] |= CR0_PE;
    set_flat_seg(SEG_CS, 0x08, 0xb);
    for (int s = 0; s < SEG_COUNT; s++)
        if (s != SEG_CS)
            set_flat_seg(s, 0x10, 0x3);
    cpu_update_hflags(cpu);
    cpu->regs[R_ESP] = 0x9000;
    cpu_tlb_flush(cpu);
    use_engine(&backend_interp, 4u << 20);
}

static void teardown(void)
{
    tb_detach_cpu(cpu);
    jit_free(jit);
    jit = NULL;
    free(cpu);
    memory_map_destroy(&map);
}

static void put(uint32_t addr, const char *bytes, size_t n)
{
    phys_write(&map, addr, bytes, n);
}

/* A: inc eax; jmp B.   B: inc ebx; jmp A. */
static void put_ping_pong(void)
{
    put(0x1000, "\x40\xeb\x0d", 3);
    put(0x1010, "\x43\xeb\xed", 3);
}

/* Run blocks as the CPU loop does, chaining, until an exit request. */
static uintptr_t run_chained(void)
{
    for (;;) {
        struct tb *tb = tb_find(cpu, 0);
        uintptr_t r = tb_exec(cpu, tb);
        unsigned code = r & TB_EXIT_MASK;
        if (code == TB_EXIT_REQUESTED)
            return r;
        if (code == TB_EXIT_JUMP0 || code == TB_EXIT_JUMP1) {
            struct tb *last = (struct tb *)(r & ~(uintptr_t)TB_EXIT_MASK);
            tb_add_jump(cpu, last, (int)code, tb_find(cpu, 0));
        }
    }
}

START_TEST(test_find_and_cache)
{
    put_ping_pong();
    cpu->eip = 0x1000;
    struct tb *ta = tb_find(cpu, 0);
    ck_assert_uint_eq(ta->pc, 0x1000);
    ck_assert_uint_eq(ta->phys_pc, 0x1000);
    ck_assert_uint_eq(ta->icount, 2);
    ck_assert_uint_eq(ta->size, 3);
    ck_assert_uint_eq(ta->flags, cpu->hflags);
    ck_assert_uint_eq(ta->page_addr[0], 0x1000);
    ck_assert_uint_eq(ta->page_addr[1], (uint64_t)-1);
    ck_assert_ptr_eq(tb_find(cpu, 0), ta);
    ck_assert_ptr_eq(tb_lookup(cpu), ta);
    ck_assert(mem_page_has_code(&map, 0x1000));
    ck_assert(!mem_page_has_code(&map, 0x2000));
    ck_assert_ptr_eq(tb_find_by_host_pc(cpu, (uintptr_t)ta->code + 4), ta);
    ck_assert_ptr_null(tb_find_by_host_pc(cpu, (uintptr_t)&map));

    /* Another mode is another block. */
    cpu->hflags ^= HF_ADDSEG;
    ck_assert_ptr_null(tb_lookup(cpu));
    struct tb *t2 = tb_find(cpu, 0);
    ck_assert_ptr_ne(t2, ta);
    cpu->hflags ^= HF_ADDSEG;
    ck_assert_ptr_eq(tb_lookup(cpu), ta);
}
END_TEST

/* The jump cache after TLB flushes: INVLPG drops the blocks with code on
 * the page (one that runs into it from the page before included), a full
 * flush every block. */
START_TEST(test_jump_cache_flushes)
{
    put(0x1000, "\x40\xeb\x0d", 3);   /* page 1 */
    put(0x2000, "\x43\xeb\xed", 3);   /* page 2 */
    put(0x2ffe, "\x05\x01\x02\x03\x04\xf4", 6); /* add eax, imm32: crosses into page 3 */
    static const uint32_t pcs[3] = { 0x1000, 0x2000, 0x2ffe };
    for (int i = 0; i < 3; i++) {
        cpu->eip = pcs[i];
        tb_find(cpu, 0);
    }
    unsigned j[3];
    for (int i = 0; i < 3; i++) {
        j[i] = tb_jmp_cache_hash(pcs[i]);
        ck_assert_ptr_nonnull(cpu->jmp_cache[j[i]].tb);
    }
    cpu_tlb_flush_page(cpu, 0x3000);
    ck_assert_ptr_nonnull(cpu->jmp_cache[j[0]].tb);
    ck_assert_ptr_nonnull(cpu->jmp_cache[j[1]].tb);
    ck_assert_ptr_null(cpu->jmp_cache[j[2]].tb);
    cpu_tlb_flush_page(cpu, 0x1abc);
    ck_assert_ptr_null(cpu->jmp_cache[j[0]].tb);
    ck_assert_ptr_nonnull(cpu->jmp_cache[j[1]].tb);
    cpu_tlb_flush(cpu);
    ck_assert_ptr_null(cpu->jmp_cache[j[1]].tb);
}
END_TEST

/* The jump cache's page marks (tb.h jc_set): set for the page of a
 * block's first and last byte, cleared by a full flush only; INVLPG of a
 * page without a mark returns before scanning the jump cache, one whose
 * index it shares (256 MiB away) scans and drops nothing of another page. */
START_TEST(test_jump_cache_page_marks)
{
    put(0x1000, "\x40\xeb\x0d", 3);
    put(0x2ffe, "\x05\x01\x02\x03\x04\xf4", 6); /* crosses into page 3 */
    cpu_tlb_flush(cpu);
    ck_assert(!jc_page_marked(cpu, 0x1000));
    cpu->eip = 0x1000;
    tb_find(cpu, 0);
    cpu->eip = 0x2ffe;
    tb_find(cpu, 0);
    ck_assert(jc_page_marked(cpu, 0x1fff));
    ck_assert(jc_page_marked(cpu, 0x2000));
    ck_assert(jc_page_marked(cpu, 0x3abc));
    ck_assert(!jc_page_marked(cpu, 0x4000));
    ck_assert(!jc_page_marked(cpu, 0x0000));
    ck_assert(jc_page_marked(cpu, 0x10001000)); /* same index as 0x1000 */
    unsigned j1 = tb_jmp_cache_hash(0x1000), j2 = tb_jmp_cache_hash(0x2ffe);
    cpu_tlb_flush_page(cpu, 0x4000);
    cpu_tlb_flush_page(cpu, 0x10001000);
    ck_assert_ptr_nonnull(cpu->jmp_cache[j1].tb);
    ck_assert_ptr_nonnull(cpu->jmp_cache[j2].tb);
    /* INVLPG leaves the marks (they may be stale); a full flush clears. */
    cpu_tlb_flush_page(cpu, 0x3000);
    ck_assert_ptr_null(cpu->jmp_cache[j2].tb);
    ck_assert(jc_page_marked(cpu, 0x3000));
    cpu_tlb_flush(cpu);
    ck_assert(!jc_page_marked(cpu, 0x1000));
    ck_assert(!jc_page_marked(cpu, 0x3000));
}
END_TEST

START_TEST(test_chain_and_budget)
{
    put_ping_pong();
    cpu->eip = 0x1000;
    cpu->icount_mode = true;
    cpu->icount_budget = 20;
    uintptr_t r = run_chained();
    ck_assert_uint_eq(r & TB_EXIT_MASK, TB_EXIT_REQUESTED);
    ck_assert_uint_eq(cpu->icount, 20);
    ck_assert_uint_eq(cpu->regs[R_EAX], 5);
    ck_assert_uint_eq(cpu->regs[R_EBX], 5);

    cpu->eip = 0x1000;
    struct tb *ta = tb_lookup(cpu);
    cpu->eip = 0x1010;
    struct tb *tbb = tb_lookup(cpu);
    ck_assert_ptr_nonnull(ta);
    ck_assert_ptr_nonnull(tbb);
    ck_assert_ptr_eq(ta->jmp_dest[0], tbb);
    ck_assert_ptr_eq(tbb->jmp_dest[0], ta);
    ck_assert_int_eq(tbb->n_incoming, 1);
    ck_assert_ptr_eq(tbb->incoming[0].from, ta);

    /* Chained all the way: one exec runs until the budget is gone. */
    cpu->eip = 0x1000;
    cpu->icount_budget = 7;
    r = tb_exec(cpu, ta);
    ck_assert_uint_eq(r, (uintptr_t)tbb | TB_EXIT_REQUESTED);
    ck_assert_uint_eq(cpu->icount, 26);
    ck_assert_uint_eq(cpu->regs[R_EAX], 7);
    ck_assert_uint_eq(cpu->regs[R_EBX], 6);
}
END_TEST

START_TEST(test_invalidate)
{
    put_ping_pong();
    put(0x1800, "\x90", 1);
    cpu->eip = 0x1000;
    cpu->icount_mode = true;
    cpu->icount_budget = 8;
    run_chained();
    cpu->eip = 0x1000;
    struct tb *ta = tb_lookup(cpu);
    cpu->eip = 0x1010;
    struct tb *tbb = tb_lookup(cpu);
    ck_assert_ptr_eq(ta->jmp_dest[0], tbb);

    /* A write beside the code invalidates nothing. */
    tb_invalidate_phys_range(cpu, 0x1800, 4);
    ck_assert(!ta->invalid && !tbb->invalid);

    /* B becomes "inc edx; jmp A" through a loader-style write (the
     * memory map's code_write hook). */
    put(0x1010, "\x42", 1);
    ck_assert(tbb->invalid);
    ck_assert(!ta->invalid);
    ck_assert_ptr_null(ta->jmp_dest[0]); /* unchained */
    ck_assert_ptr_null(tbb->jmp_dest[0]);
    ck_assert_int_eq(ta->n_incoming, 0);
    cpu->eip = 0x1010;
    ck_assert_ptr_null(tb_lookup(cpu));
    ck_assert(mem_page_has_code(&map, 0x1000)); /* A is still there */

    cpu->eip = 0x1000;
    cpu->icount_budget = 4;
    cpu->regs[R_EDX] = 0;
    uint64_t ebx = cpu->regs[R_EBX];
    run_chained();
    ck_assert_uint_eq(cpu->regs[R_EDX], 1); /* A, then the new B */
    ck_assert_uint_eq(cpu->regs[R_EBX], ebx);

    /* One byte of A's code. */
    cpu->eip = 0x1000;
    ta = tb_lookup(cpu);
    tb_invalidate_phys_range(cpu, 0x1002, 1);
    ck_assert(ta->invalid);
    /* Invalidate the rest: the page is no longer a code page. */
    tb_invalidate_phys_range(cpu, 0x1000, 0x100);
    ck_assert(!mem_page_has_code(&map, 0x1000));
}
END_TEST

START_TEST(test_flush_and_nocache)
{
    put_ping_pong();
    cpu->eip = 0x1000;
    struct tb *ta = tb_find(cpu, 0);
    uintptr_t ta_code = (uintptr_t)ta->code; /* ta is freed by the flush */
    unsigned n = jit->flush_count;
    tb_flush(cpu);
    ck_assert_uint_eq(jit->flush_count, n + 1);
    ck_assert_ptr_null(tb_lookup(cpu));
    ck_assert(!mem_page_has_code(&map, 0x1000));
    ck_assert_ptr_null(tb_find_by_host_pc(cpu, ta_code));

    /* One-shot blocks: limited length, never cached. */
    struct tb *t1 = tb_find(cpu, CF_NOCACHE | 1);
    ck_assert_uint_eq(t1->icount, 1);
    ck_assert(t1->cflags & CF_NOCACHE);
    ck_assert_ptr_null(tb_lookup(cpu));
    tb_free_nocache(t1);

    /* next_tb_cflags is honoured once. */
    cpu->next_tb_cflags = 1 | CF_NOCACHE;
    t1 = tb_find(cpu, 0);
    ck_assert_uint_eq(t1->icount, 1);
    ck_assert(t1->cflags & CF_NOCACHE);
    ck_assert_uint_eq(cpu->next_tb_cflags, 0);
    tb_free_nocache(t1);
    struct tb *t2 = tb_find(cpu, 0);
    ck_assert_uint_eq(t2->icount, 2);
    ck_assert_ptr_eq(tb_lookup(cpu), t2);
}
END_TEST

START_TEST(test_full_code_buffer_flushes)
{
    /* 2000 distinct blocks through a small code buffer. */
    use_engine(&backend_interp, 64 * 1024);
    for (uint32_t i = 0; i < 2000; i++) {
        uint32_t a = 0x10000 + i * 16;
        put(a, "\x40\x40\x40\x40\xeb\xfe", 6);
        cpu->eip = a;
        struct tb *t = tb_find(cpu, 0);
        ck_assert_uint_eq(t->pc, a);
        /* (blocks stop early near a page end) */
        ck_assert_uint_ge(t->icount, 2);
        uint64_t eax = cpu->regs[R_EAX];
        tb_exec(cpu, t);
        ck_assert_uint_eq(cpu->regs[R_EAX] - eax,
                          t->icount < 4 ? t->icount : 4);
    }
    ck_assert_uint_gt(jit->flush_count, 0);
}
END_TEST

/* ---- cpu_exec ---- */

static uint64_t seen_icount, seen_eax;
static int shutdowns;

static void stop_cb(void *opaque)
{
    (void)opaque;
    seen_icount = cpu->icount;
    seen_eax = cpu->regs[R_EAX];
    cpu->stop_request = 1;
    cpu->exit_request = 1;
}

static void on_shutdown(void *opaque, const char *why)
{
    (void)opaque;
    ck_assert_str_eq(why, "triple fault");
    shutdowns++;
    cpu->stop_request = 1;
}

static void exec_setup(void)
{
    setup();
    vclock_init(&clk, true, 0, &cpu->icount);
    cpu->clock = &clk;
    cpu->icount_mode = true;
    cpu->on_shutdown = on_shutdown;
    shutdowns = 0;
}

START_TEST(test_exec_timer_exact)
{
    /* loop: inc eax; jmp loop -- two instructions a block. A timer at
     * 1001 ns (1 ns an instruction) must see exactly 1001 executed. */
    put(0x1000, "\x40\xeb\xfd", 3);
    cpu->eip = 0x1000;
    struct vtimer t;
    vtimer_init(&t, &clk, stop_cb, NULL);
    vtimer_mod(&t, 1001);
    cpu_exec(cpu);
    ck_assert_uint_eq(seen_icount, 1001);
    ck_assert_uint_eq(seen_eax, 501);
}
END_TEST

START_TEST(test_exec_hlt_skips_time)
{
    /* cli; hlt: nothing wakes the CPU, virtual time jumps to the timer. */
    put(0x1000, "\xfa\xf4\xeb\xfd", 4);
    cpu->eip = 0x1000;
    struct vtimer t;
    vtimer_init(&t, &clk, stop_cb, NULL);
    vtimer_mod(&t, 1000000);
    cpu_exec(cpu);
    ck_assert_uint_eq(seen_icount, 1000000);
    ck_assert(cpu->halted);
    ck_assert_uint_eq(cpu->eip, 0x1002);
}
END_TEST

static int acks;
static int test_intr_ack(void *opaque)
{
    (void)opaque;
    acks++;
    cpu_set_intr(cpu, 0);
    return 0x20;
}

static void raise_irq_cb(void *opaque)
{
    (void)opaque;
    cpu_set_intr(cpu, 1);
}

START_TEST(test_exec_irq_breaks_chained_loop)
{
    /* IDT gate 0x20 -> handler: inc ebx; iret. Main: sti; jmp $. */
    uint32_t idt = 0x3000, handler = 0x2000, gdt = 0x4000;
    put(gdt, "\0\0\0\0\0\0\0\0"
             "\xff\xff\0\0\0\x9a\xcf\0"  /* 0x08: flat code */
             "\xff\xff\0\0\0\x92\xcf\0", /* 0x10: flat data */
        24);
    cpu->gdt.base = gdt;
    cpu->gdt.limit = 23;
    uint8_t gate[8] = { handler & 0xff, (handler >> 8) & 0xff, 0x08, 0x00,
                        0x00, 0x8e, (handler >> 16) & 0xff, handler >> 24 };
    put(idt + 0x20 * 8, (const char *)gate, 8);
    cpu->idt.base = idt;
    cpu->idt.limit = 0x7ff;
    put(handler, "\x43\xcf", 2);
    put(0x1000, "\xfb\xeb\xfe", 3);
    cpu->eip = 0x1000;
    cpu->intr_ack = test_intr_ack;
    acks = 0;
    struct vtimer irq, stop;
    vtimer_init(&irq, &clk, raise_irq_cb, NULL);
    vtimer_init(&stop, &clk, stop_cb, NULL);
    vtimer_mod(&irq, 500);
    vtimer_mod(&stop, 5000);
    cpu_exec(cpu);
    ck_assert_int_eq(acks, 1);
    ck_assert_uint_eq(cpu->regs[R_EBX], 1);
    ck_assert_uint_eq(cpu->eip, 0x1001);
    ck_assert_uint_eq(cpu->regs[R_ESP], 0x9000);
    ck_assert(cpu->eflags & EFLAGS_IF);
}
END_TEST

START_TEST(test_exec_smc_running_block)
{
    /* mov byte [0x100c], 0x43 patches a later instruction of the same
     * block (nop -> inc ebx): the new byte must take effect. */
    put(0x1000, "\xc6\x05\x0c\x10\x00\x00\x43", 7);
    put(0x1007, "\x90\x90\x90\x90\x90", 5);
    put(0x100c, "\x90\xeb\xfe", 3);
    cpu->eip = 0x1000;
    struct vtimer t;
    vtimer_init(&t, &clk, stop_cb, NULL);
    vtimer_mod(&t, 200);
    cpu_exec(cpu);
    ck_assert_uint_eq(ram[0x100c], 0x43);
    ck_assert_uint_eq(cpu->regs[R_EBX], 1);
    ck_assert_uint_eq(cpu->eip, 0x100d);
    ck_assert_uint_eq(seen_icount, 200);
}
END_TEST

START_TEST(test_exec_triple_fault)
{
    /* No IDT at all: #UD -> #GP on delivery -> #DF -> triple fault. */
    put(0x1000, "\x0f\x0b", 2); /* ud2 */
    cpu->eip = 0x1000;
    cpu->idt.base = 0;
    cpu->idt.limit = 0;
    cpu_exec(cpu);
    ck_assert_int_eq(shutdowns, 1);
    ck_assert_int_eq(cpu->exception_index, -1);
}
END_TEST

/* ---- exact time under -icount ---- */

/* A device that records the virtual time of each access. */
static int64_t io_times[8];
static int n_io_times;

static void io_time_record(void)
{
    if (n_io_times < 8)
        io_times[n_io_times] = vclock_now(&clk);
    n_io_times++;
}

static uint64_t io_time_read(void *opaque, struct mem_attrs attrs,
                             uint64_t off, unsigned size)
{
    (void)opaque;
    (void)attrs;
    (void)off;
    (void)size;
    io_time_record();
    return 0;
}

static void io_time_write(void *opaque, struct mem_attrs attrs, uint64_t off,
                          uint64_t v, unsigned size)
{
    (void)opaque;
    (void)attrs;
    (void)off;
    (void)v;
    (void)size;
    io_time_record();
}

static const struct mem_ops io_time_ops = {
    .read = io_time_read,
    .write = io_time_write,
    .min_size = 1,
    .max_size = 4,
};

/* Each access to a device and RDTSC in the middle of a block sees the
 * time of its own instruction (1 ns each): the instructions before it,
 * not the block's entry or end. */
static void exec_io_time(const struct backend *be)
{
    static struct io_map io;
    use_engine(be, 4u << 20);
    io_map_init(&io);
    io_register(&io, "time", 0x80, 1, &io_time_ops, NULL);
    cpu->io = &io;
    mem_add_mmio(&map, "time", 0x200000, PAGE_SIZE, &io_time_ops, NULL);
    n_io_times = 0;

    /* 0xf00: 3 nops; jmp 0x1000 -- the second block starts at 4 ns. */
    put(0xf00, "\x90\x90\x90\xe9\xf8\x00\x00\x00", 8);
    put(0x1000,
        "\xa1\x00\x00\x20\x00" /*  4: mov eax, [0x200000]  MMIO read */
        "\x90\x90"             /*  5, 6: nop */
        "\xa3\x00\x00\x20\x00" /*  7: mov [0x200000], eax  MMIO write */
        "\xe4\x80"             /*  8: in al, 0x80  port read */
        "\x90"                 /*  9: nop */
        "\xe6\x80"             /* 10: out 0x80, al  port write */
        "\xba\x80\x00\x00\x00" /* 11: mov edx, 0x80 */
        "\xbf\x00\x50\x00\x00" /* 12: mov edi, 0x5000 */
        "\x6c"                 /* 13: insb  port read */
        "\x6e"                 /* 14: outsb  port write */
        "\x0f\x31"             /* 15: rdtsc */
        "\x89\xc6"             /* 16: mov esi, eax */
        "\xeb\xfe",            /* 17: jmp $ */
        35);
    cpu->eip = 0xf00;
    struct vtimer t;
    vtimer_init(&t, &clk, stop_cb, NULL);
    vtimer_mod(&t, 100);
    cpu_exec(cpu);
    ck_assert_uint_eq(seen_icount, 100);
    ck_assert_int_eq(n_io_times, 6);
    ck_assert_int_eq(io_times[0], 4);
    ck_assert_int_eq(io_times[1], 7);
    ck_assert_int_eq(io_times[2], 8);
    ck_assert_int_eq(io_times[3], 10);
    ck_assert_int_eq(io_times[4], 13);
    ck_assert_int_eq(io_times[5], 14);
    ck_assert_uint_eq(cpu->regs[R_ESI], 15);

    io_map_destroy(&io);
}

START_TEST(test_exec_io_time_interp)
{
    exec_io_time(&backend_interp);
}
END_TEST

#ifdef CONFIG_BACKEND_X86_64
START_TEST(test_exec_io_time_x86_64)
{
    exec_io_time(&backend_x86_64);
}
END_TEST
#endif

#ifdef CONFIG_BACKEND_X86_64
/* The engine's tiers (tb.h): while the guest rewrites its code, a native
 * engine makes blocks as bytecode, never chains them to native ones, and
 * promotes each after TB_TIER_PROMOTE_RUNS runs (its page is not hot). */
START_TEST(test_tiers_x86_64)
{
    use_engine(&backend_x86_64, 4u << 20);
    cpu->icount_mode = false; /* no budget: run until promoted */
    put_ping_pong();
    cpu->eip = 0x1000;
    /* as if most recent blocks had been lost to guest stores */
    jit->smc_recent_blocks = jit->smc_recent_inval = TB_SMC_GUEST_MIN_BLOCKS;
    struct tb *a = tb_find(cpu, 0);
    ck_assert_int_eq(a->tier, TB_TIER_CHEAP);
    ck_assert_int_eq(a->runs_left, TB_TIER_PROMOTE_RUNS);
    ck_assert_ptr_null(jc_get(cpu, tb_jmp_cache_hash(a->pc), a->pc,
                              a->cs_base, a->flags));
    cpu->exit_request = 0;
    int iters = 0;
    while (jit->tier_promoted < 2 && iters++ < 10000) {
        struct tb *tb = tb_find(cpu, 0);
        uintptr_t r = tb_exec(cpu, tb);
        struct tb *last = (struct tb *)(r & ~(uintptr_t)TB_EXIT_MASK);
        unsigned code = r & TB_EXIT_MASK;
        if (code == TB_EXIT_REQUESTED) {
            /* a used-up bytecode block reached through a chain */
            ck_assert_int_eq(last->tier, TB_TIER_CHEAP);
            ck_assert_int_lt(last->runs_left, 0);
            cpu->eip = last->pc - last->cs_base;
        } else if (code == TB_EXIT_JUMP0 || code == TB_EXIT_JUMP1) {
            struct tb *to = tb_find(cpu, 0);
            tb_add_jump(cpu, last, (int)code, to);
            if (last->tier != to->tier)
                ck_assert_ptr_null(last->jmp_dest[code]);
        }
    }
    ck_assert_uint_eq(jit->tier_promoted, 2);
    struct tb *t = tb_find(cpu, 0);
    ck_assert_int_eq(t->tier, TB_TIER_MAIN);
    ck_assert_int_eq(t->runs_left, 0);
    ck_assert_uint_ge(cpu->regs[R_EAX], TB_TIER_PROMOTE_RUNS);
    ck_assert_uint_ge(cpu->regs[R_EBX], TB_TIER_PROMOTE_RUNS);
    ck_assert_uint_eq(jit->tier[TB_TIER_MAIN].translated_count, 2);
}
END_TEST
#endif

/* An interp engine has one tier and counts nothing. */
START_TEST(test_tiers_interp_one)
{
    put_ping_pong();
    cpu->eip = 0x1000;
    jit->smc_recent_blocks = jit->smc_recent_inval = TB_SMC_GUEST_MIN_BLOCKS;
    struct tb *a = tb_find(cpu, 0);
    ck_assert_ptr_null(jit->tier[TB_TIER_CHEAP].ops);
    ck_assert_int_eq(a->tier, TB_TIER_MAIN);
    ck_assert_int_eq(a->runs_left, 0);
}
END_TEST

/* ---- changes of the memory map ---- */

START_TEST(test_map_change_drops_tlb_and_blocks)
{
    /* blocks on two pages, both in the TLB */
    put_ping_pong();
    put(0x8000, "\x40\xeb\xfd", 3);
    cpu->eip = 0x1000;
    struct tb *ta = tb_find(cpu, 0);
    cpu->eip = 0x8000;
    struct tb *t8 = tb_find(cpu, 0);
    int mmu = cpu_mmu_index(cpu);
    struct tlb_entry *e = tlb_entry(&cpu->mmu.tlb, mmu, 0x1000);
    ck_assert_uint_eq(e->tag_code, 0x1000);
    ck_assert(mem_page_has_code(&map, 0x1000));

    /* other memory over page 0x1000: the TLB forgets everything, the
     * blocks of that page go, the others stay */
    struct mem_region *other = mem_add_ram(&map, "other", 0x200000, 0x1000,
                                           NULL);
    memcpy(other->host, "\x43\xeb\xfd", 3); /* inc ebx; jmp $-1 */
    ck_assert(!ta->invalid);
    struct mem_region *w = mem_add_alias(&map, "w", 0x1000, 0x1000, other, 0);
    mem_region_set_priority(w, 1);
    ck_assert(e->tag_code & TLB_INVALID);
    ck_assert(tlb_entry(&cpu->mmu.tlb, mmu, 0x8000)->tag_code & TLB_INVALID);
    ck_assert(ta->invalid);
    ck_assert(!t8->invalid);
    ck_assert(!mem_page_has_code(&map, 0x1000));
    ck_assert(mem_page_has_code(&map, 0x8000));

    /* the code there now is the other memory's */
    cpu->eip = 0x1000;
    struct tb *tn = tb_find(cpu, 0);
    ck_assert_ptr_ne(tn, ta);
    cpu->regs[R_EBX] = 0;
    tb_exec(cpu, tn);
    ck_assert_uint_eq(cpu->regs[R_EBX], 1);
}
END_TEST

/* Backend i of this build (backend_list), for the loop tests below. */
static void use_backend(int i)
{
    use_engine(backend_list[i], 4u << 20);
}

static struct io_map io;

/* A chipset register at port 0x80: a write toggles a window at 0x5000
 * onto other memory (as a PAM register does for the BIOS area). */
static struct mem_region *window;

static void window_write(void *opaque, struct mem_attrs attrs, uint64_t off,
                         uint64_t value, unsigned size)
{
    (void)opaque;
    (void)off;
    (void)value;
    (void)size;
    ck_assert_ptr_eq(attrs.cpu, cpu); /* the CPU that ran the OUT */
    mem_region_set_enabled(window, !window->enabled);
}

static const struct mem_ops window_ops = { .write = window_write };

START_TEST(test_exec_map_change_by_device)
{
    use_backend(_i);
    io_map_init(&io);
    cpu->io = &io;
    io_register(&io, "window", 0x80, 1, &window_ops, NULL);
    struct mem_region *bank = mem_add_ram(&map, "bank", 0x200000, 0x1000,
                                          NULL);
    memory_map_begin(&map);
    window = mem_add_alias(&map, "window", 0x5000, 0x1000, bank, 0);
    mem_region_set_priority(window, 1);
    mem_region_set_enabled(window, false);
    memory_map_commit(&map);

    /* mov edx, [0x5800]; call 0x5000; out 0x80, al; mov ecx, [0x5800];
     * call 0x5000; jmp $. RAM at 0x5000: inc eax; ret. The bank: inc ebx;
     * ret. The read after the OUT is in the same block as the OUT. */
    put(0x1000, "\x8b\x15\x00\x58\x00\x00"
                "\xe8\xf5\x3f\x00\x00"
                "\xe6\x80"
                "\x8b\x0d\x00\x58\x00\x00"
                "\xe8\xe8\x3f\x00\x00"
                "\xeb\xfe",
        26);
    put(0x5000, "\x40\xc3", 2);
    put(0x5800, "\x11\x11\x11\x11", 4);
    memcpy(bank->host, "\x43\xc3", 2);
    memcpy(bank->host + 0x800, "\x22\x22\x22\x22", 4);
    cpu->eip = 0x1000;
    struct vtimer t;
    vtimer_init(&t, &clk, stop_cb, NULL);
    vtimer_mod(&t, 100);
    cpu_exec(cpu);
    ck_assert_uint_eq(cpu->regs[R_EAX], 1);
    ck_assert_uint_eq(cpu->regs[R_EBX], 1);
    ck_assert_uint_eq(cpu->regs[R_EDX], 0x11111111);
    ck_assert_uint_eq(cpu->regs[R_ECX], 0x22222222);
    ck_assert_uint_eq(cpu->eip, 0x1018);
    ck_assert(window->enabled);
    io_map_destroy(&io);
}
END_TEST

/* A framebuffer with dirty logging: a device at port 0x80 takes the dirty
 * bits, as a display refresh would. */
static struct mem_region *fb;
static uint64_t fb_seen, fb_bits;

static void refresh_write(void *opaque, struct mem_attrs attrs, uint64_t off,
                          uint64_t value, unsigned size)
{
    (void)opaque;
    (void)attrs;
    (void)off;
    (void)value;
    (void)size;
    fb_seen = mem_region_get_and_clear_dirty(fb, 0, fb->size, &fb_bits);
}

static const struct mem_ops refresh_ops = { .write = refresh_write };

START_TEST(test_exec_dirty_log)
{
    use_backend(_i);
    io_map_init(&io);
    cpu->io = &io;
    io_register(&io, "refresh", 0x80, 1, &refresh_ops, NULL);
    fb = mem_add_ram(&map, "fb", 0x200000, 0x8000, NULL);
    mem_region_set_dirty_log(fb, true);
    mem_region_get_and_clear_dirty(fb, 0, fb->size, NULL);

    /* mov ebx, [0x203000] (a read puts page 3 in the TLB);
     * mov [0x203010], eax; out 0x80, al; mov [0x203020], eax;
     * mov [0x205000], eax; jmp $ */
    put(0x1000, "\x8b\x1d\x00\x30\x20\x00"
                "\xa3\x10\x30\x20\x00"
                "\xe6\x80"
                "\xa3\x20\x30\x20\x00"
                "\xa3\x00\x50\x20\x00"
                "\xeb\xfe",
        25);
    cpu->eip = 0x1000;
    cpu->regs[R_EAX] = 0xa5a5a5a5;
    struct vtimer t;
    vtimer_init(&t, &clk, stop_cb, NULL);
    vtimer_mod(&t, 50);
    cpu_exec(cpu);
    ck_assert_uint_eq(cpu->eip, 0x1017);
    ck_assert_uint_eq(ldl_le_p(fb->host + 0x3010), 0xa5a5a5a5);
    ck_assert_uint_eq(ldl_le_p(fb->host + 0x3020), 0xa5a5a5a5);
    ck_assert_uint_eq(ldl_le_p(fb->host + 0x5000), 0xa5a5a5a5);
    /* the first store was seen, though its page was in the TLB ... */
    ck_assert_uint_eq(fb_seen, 1);
    ck_assert_uint_eq(fb_bits, 1u << 3);
    /* ... and so was the second to the same page, after the refresh */
    uint64_t bits;
    ck_assert_uint_eq(mem_region_get_and_clear_dirty(fb, 0, fb->size, &bits),
                      2);
    ck_assert_uint_eq(bits, (1u << 3) | (1u << 5));
    io_map_destroy(&io);
}
END_TEST

/* ---- #DF promotion (SDM 3A Table 6-5) ---- */

static int raise_during(int first, int vec)
{
    cpu->fault_depth = first + 1;
    cpu->exception_index = first;
    if (sigsetjmp(cpu->jmp_env, 0) == 0)
        raise_exception_err(cpu, vec, 0x1234, 0);
    return cpu->exception_index;
}

/* Block keys and jump-cache entries hold 64-bit linear pcs: two blocks
 * 4 GiB apart share an index but never each other's entry. */
START_TEST(test_jump_cache_wide_pc)
{
    struct tb lo = { .pc = 0x1000, .cs_base = 0, .flags = 0x10 };
    struct tb hi = { .pc = 0x100001000ull, .cs_base = 0, .flags = 0x10 };
    unsigned j = tb_jmp_cache_hash(lo.pc);
    ck_assert_uint_eq(tb_jmp_cache_hash(hi.pc), j);
    jc_set(cpu, j, &hi);
    ck_assert_ptr_null(jc_get(cpu, j, lo.pc, 0, 0x10));
    ck_assert_ptr_eq(jc_get(cpu, j, hi.pc, 0, 0x10), &hi);
    jc_set(cpu, j, &lo);
    ck_assert_ptr_null(jc_get(cpu, j, hi.pc, 0, 0x10));
    ck_assert_ptr_eq(jc_get(cpu, j, lo.pc, 0, 0x10), &lo);
    jc_clear_all(cpu);
}
END_TEST

START_TEST(test_double_fault_rules)
{
    ck_assert_int_eq(raise_during(EXCP_GP, EXCP_NP), EXCP_DF);
    ck_assert_int_eq(cpu->error_code, 0);
    ck_assert(cpu->exception_has_error);
    ck_assert_int_eq(raise_during(EXCP_DE, EXCP_TS), EXCP_DF);
    ck_assert_int_eq(raise_during(EXCP_PF, EXCP_PF), EXCP_DF);
    ck_assert_int_eq(raise_during(EXCP_PF, EXCP_GP), EXCP_DF);
    /* contributory then #PF, and benign firsts: handled serially */
    ck_assert_int_eq(raise_during(EXCP_GP, EXCP_PF), EXCP_PF);
    ck_assert_int_eq(cpu->error_code, 0x1234);
    ck_assert_int_eq(raise_during(EXCP_UD, EXCP_GP), EXCP_GP);
    ck_assert_int_eq(raise_during(EXCP_DE, EXCP_UD), EXCP_UD);
    /* nothing being delivered */
    cpu->fault_depth = 0;
    cpu->exception_index = -1;
    if (sigsetjmp(cpu->jmp_env, 0) == 0)
        raise_interrupt(cpu, 0x80, 0x1234, 0);
    ck_assert_int_eq(cpu->exception_index, 0x80);
    ck_assert(cpu->exception_is_int);
    ck_assert_uint_eq(cpu->exception_next_eip, 0x1234);
    /* anything during #DF: triple fault */
    cpu->on_shutdown = on_shutdown;
    shutdowns = 0;
    ck_assert_int_eq(raise_during(EXCP_DF, EXCP_GP), -1);
    ck_assert_int_eq(shutdowns, 1);
    ck_assert_int_eq(cpu->fault_depth, 0);
}
END_TEST

static Suite *tb_suite(void)
{
    Suite *s = suite_create("tb");
    TCase *tc = tcase_create("cache");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_find_and_cache);
    tcase_add_test(tc, test_jump_cache_flushes);
    tcase_add_test(tc, test_jump_cache_page_marks);
    tcase_add_test(tc, test_chain_and_budget);
    tcase_add_test(tc, test_invalidate);
    tcase_add_test(tc, test_flush_and_nocache);
    tcase_add_test(tc, test_full_code_buffer_flushes);
    tcase_add_test(tc, test_double_fault_rules);
    tcase_add_test(tc, test_jump_cache_wide_pc);
    tcase_add_test(tc, test_map_change_drops_tlb_and_blocks);
    suite_add_tcase(s, tc);

    TCase *te = tcase_create("cpu_exec");
    tcase_add_checked_fixture(te, exec_setup, teardown);
    tcase_set_timeout(te, 30);
    tcase_add_test(te, test_exec_timer_exact);
    tcase_add_test(te, test_exec_hlt_skips_time);
    tcase_add_test(te, test_exec_irq_breaks_chained_loop);
    tcase_add_test(te, test_exec_smc_running_block);
    tcase_add_test(te, test_exec_triple_fault);
    tcase_add_test(te, test_exec_io_time_interp);
    tcase_add_loop_test(te, test_exec_map_change_by_device, 0,
                        (int)backend_count);
    tcase_add_loop_test(te, test_exec_dirty_log, 0, (int)backend_count);
    tcase_add_test(te, test_tiers_interp_one);
#ifdef CONFIG_BACKEND_X86_64
    tcase_add_test(te, test_exec_io_time_x86_64);
    tcase_add_test(te, test_tiers_x86_64);
#endif
    suite_add_tcase(s, te);
    return s;
}

UNIT_MAIN(tb_suite)
