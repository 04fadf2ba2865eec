/*
 * test_tlb.c - unit tests of the soft TLB (softmmu/tlb.c and the inline
 * fast path of access.h): fills without paging (RAM, ROM, MMIO, holes,
 * A20), fast-path hits, misaligned and page-crossing accesses, writes to
 * pages holding translated code, dirty logging, fills that follow the
 * memory map's priorities and aliases as it changes, the accessing CPU
 * handed to devices, and the 32-bit page walk with its #PF error codes,
 * CR2 and accessed/dirty bits.
 *
 * The CPU loop and the block cache are not linked: the page walk
 * (translator/x86/paging.c) is the real one, raising faults through the
 * raise_exception_err below, which longjmps to cpu->jmp_env as the real one
 * does (faults are caught with sigsetjmp); the block cache's code_write
 * hook is a stand-in that records its calls and can leave as the real one
 * does when the running block is hit.
 */
#include <check.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "translator/x86/cpu_access.h"

#define RAM_SIZE 0x800000u /* 8 MiB: [0, 0xA0000) and [1 MiB, 8 MiB) */
#define MMIO_BASE 0xa0000u
#define HOLE 0xb0000u
#define ROM_BASE 0xf0000u

static struct memory_map map;
static struct cpu cpu;
static uint8_t *ram;
static uint8_t rom[0x10000];

/* ---- stand-ins for the CPU loop and the block cache ---- */

static int exc_vec, exc_err, exc_count;

_Noreturn void raise_exception_err(struct cpu *c, int vec, int err,
                                   uintptr_t ra)
{
    (void)ra;
    exc_vec = vec;
    exc_err = err;
    exc_count++;
    siglongjmp(c->jmp_env, 1);
}

/* The code_write hook: records each call; unmarks the page when told the
 * last block goes; leaves (as the block cache does when the running block
 * must re-run the store alone) when told to. */
static int inval_calls;
static uint64_t inval_paddr, inval_len;
static uintptr_t inval_ra;
static bool inval_leave;  /* "the running block was hit" */
static bool inval_unmark; /* the page loses its last block */

static void code_write(void *owner, uint64_t paddr, unsigned len, uintptr_t ra)
{
    struct cpu *c = owner;
    inval_calls++;
    inval_paddr = paddr;
    inval_len = len;
    inval_ra = ra;
    if (inval_unmark)
        mem_unmark_code_page(c->mmu.mem, paddr);
    if (inval_leave)
        siglongjmp(c->jmp_env, 2);
}

static int flushes;
static vaddr flushed_addr;
static uint64_t flushed_len;

static void flushed(void *owner, vaddr addr, uint64_t len)
{
    ck_assert_ptr_eq(owner, &cpu);
    flushes++;
    flushed_addr = addr;
    flushed_len = len;
}

/* Exact time: as if every access were 5 instructions before the end of
 * its block, the counter the device sees is 5 lower (x86 io_begin hook). */
static int io_begins;
static uintptr_t io_begin_ra;

int64_t cpu_io_begin(struct cpu *c, uintptr_t ra)
{
    io_begins++;
    io_begin_ra = ra;
    c->icount -= 5;
    return 5;
}

/* ---- an MMIO device that records its accesses ---- */

static int dev_n;
static uint64_t dev_off, dev_val, dev_icount;
static unsigned dev_size;
static void *dev_cpu;

static uint64_t dev_read(void *opaque, struct mem_attrs attrs, uint64_t off,
                         unsigned size)
{
    (void)opaque;
    dev_n++;
    dev_cpu = attrs.cpu;
    dev_off = off;
    dev_size = size;
    dev_icount = cpu.icount;
    return 0x44332211u + off;
}

static void dev_write(void *opaque, struct mem_attrs attrs, uint64_t off,
                      uint64_t val, unsigned size)
{
    (void)opaque;
    dev_n++;
    dev_cpu = attrs.cpu;
    dev_off = off;
    dev_val = val;
    dev_size = size;
    dev_icount = cpu.icount;
}

static const struct mem_ops dev_ops = {
    .read = dev_read, .write = dev_write, .min_size = 1, .max_size = 4
};

static void on_map_changed(void *opaque, uint64_t base, uint64_t size)
{
    (void)base;
    (void)size;
    tlb_flush(&((struct cpu *)opaque)->mmu);
}

static void on_writes_protected(void *opaque, uint64_t base, uint64_t size)
{
    tlb_protect_writes(&((struct cpu *)opaque)->mmu, base, size);
}

static const struct mem_listener_ops tlb_listener = {
    .map_changed = on_map_changed,
    .writes_protected = on_writes_protected,
};

static void setup(void)
{
    memory_map_init(&map);
    ram = calloc(1, RAM_SIZE);
    mem_add_ram(&map, "low", 0, 0xa0000, ram);
    mem_add_ram(&map, "high", 0x100000, RAM_SIZE - 0x100000, ram + 0x100000);
    for (unsigned i = 0; i < sizeof(rom); i++)
        rom[i] = (uint8_t)(i ^ 0x5a);
    mem_add_rom(&map, "rom", ROM_BASE, sizeof(rom), rom);
    mem_add_mmio(&map, "dev", MMIO_BASE, 0x1000, &dev_ops, NULL);
    /* what tb_attach_cpu registers, for the TLB's part */
    memory_map_add_listener(&map, &tlb_listener, &cpu);

    memset(&cpu, 0, sizeof(cpu));
    cpu.mmu.mem = &map;
    cpu_mmu_init(&cpu);
    cpu.mmu.code_write = code_write;
    cpu.mmu.flushed = flushed;
    cpu.a20_mask = 0xffffffffu;
    cpu.cr[0] = CR0_PE;
    cpu.hflags = HF_PE; /* CPL 0 */
    cpu_tlb_flush(&cpu);
    exc_vec = -1;
    exc_count = inval_calls = dev_n = flushes = 0;
    io_begins = 0;
    inval_leave = inval_unmark = false;
}

static void teardown(void)
{
    memory_map_destroy(&map);
    free(ram);
}

/* Run stmt, which must raise #PF with error code err and CR2 = cr2. */
#define EXPECT_PF(stmt, err, cr2)                                              \
    do {                                                                       \
        exc_vec = -1;                                                          \
        if (sigsetjmp(cpu.jmp_env, 0) == 0) {                                  \
            stmt;                                                              \
            ck_abort_msg("no fault: " #stmt);                                  \
        }                                                                      \
        ck_assert_int_eq(exc_vec, EXCP_PF);                                    \
        ck_assert_int_eq(exc_err, (err));                                      \
        ck_assert_uint_eq(cpu.cr[2], (cr2));                                   \
    } while (0)

/* ---- without paging ---- */

START_TEST(test_fill_and_fast_path)
{
    stl_le_p(ram + 0x1234, 0xcafef00d);
    ck_assert_uint_eq(cpu_ld(&cpu, 0x1234, 4, 0, 0), 0xcafef00d);
    struct tlb_entry *e = tlb_entry(&cpu.mmu.tlb, 0, 0x1234);
    ck_assert_uint_eq(e->tag_read, 0x1000);
    ck_assert_uint_eq(e->tag_write, 0x1000);
    ck_assert_uint_eq(e->tag_code, 0x1000);
    ck_assert_uint_eq(cpu.mmu.tlb.paddr[0][tlb_index(0x1234)], 0x1000);
    ck_assert_ptr_eq((void *)(e->addend + 0x1234), ram + 0x1234);

    /* a hit reads host memory directly: change it behind the TLB's back */
    stl_le_p(ram + 0x1238, 0x01020304);
    ck_assert_uint_eq(cpu_ld(&cpu, 0x1238, 4, 0, 0), 0x01020304);
    cpu_st(&cpu, 0x1ff8, 0x1122334455667788ull, 8, 0, 0);
    ck_assert_uint_eq(ldq_le_p(ram + 0x1ff8), 0x1122334455667788ull);
    ck_assert_uint_eq(cpu_ld_code(&cpu, 0x1ff8), 0x88);

    /* the other MMU mode has its own entry */
    ck_assert_uint_eq(tlb_entry(&cpu.mmu.tlb, 1, 0x1234)->tag_read & TLB_INVALID,
                      TLB_INVALID);
    /* RAM above 1 MiB: the same host block, other region */
    cpu_st(&cpu, 0x7ffffc, 0xa5a5a5a5, 4, 0, 0);
    ck_assert_uint_eq(ldl_le_p(ram + 0x7ffffc), 0xa5a5a5a5);
}
END_TEST

START_TEST(test_flush)
{
    cpu_ld(&cpu, 0x3000, 4, 0, 0);
    cpu_ld(&cpu, 0x4000, 4, 0, 0);
    flushes = 0;
    cpu_tlb_flush_page(&cpu, 0x3abc);
    ck_assert(tlb_entry(&cpu.mmu.tlb, 0, 0x3000)->tag_read & TLB_INVALID);
    ck_assert_uint_eq(tlb_entry(&cpu.mmu.tlb, 0, 0x4000)->tag_read, 0x4000);
    ck_assert_int_eq(flushes, 1); /* the block cache hears of each flush */
    ck_assert_uint_eq(flushed_addr, 0x3000); /* and of what it covered */
    ck_assert_uint_eq(flushed_len, 0x1000);
    cpu_tlb_flush(&cpu);
    ck_assert(tlb_entry(&cpu.mmu.tlb, 0, 0x4000)->tag_read & TLB_INVALID);
    ck_assert_int_eq(flushes, 2);
    ck_assert_uint_eq(flushed_len, 0); /* everything */
    /* a block of pages: the page itself and the pieces of large pages in
     * the block; 4 KiB pages elsewhere in it stay */
    cpu_ld(&cpu, 0x3000, 4, 0, 0);
    cpu_ld(&cpu, 0x123000, 4, 0, 0);
    cpu_ld(&cpu, 0x400000, 4, 0, 0);
    tlb_flush_page(&cpu.mmu, 0x123456, 0x400000);
    ck_assert(tlb_entry(&cpu.mmu.tlb, 0, 0x123000)->tag_read & TLB_INVALID);
    ck_assert_uint_eq(tlb_entry(&cpu.mmu.tlb, 0, 0x3000)->tag_read, 0x3000);
    ck_assert_uint_eq(tlb_entry(&cpu.mmu.tlb, 0, 0x400000)->tag_read,
                      0x400000);
    /* a flushed tag never matches any fast-path compare, page 0 included */
    struct tlb_entry *e = tlb_entry(&cpu.mmu.tlb, 0, 0);
    for (uint32_t a = 0; a < 8; a++)
        for (unsigned size = 1; size <= 8; size *= 2)
            ck_assert_uint_ne(a & ((uint32_t)PAGE_MASK | (size - 1)),
                              e->tag_read);
}
END_TEST

START_TEST(test_a20)
{
    ram[0x10] = 0x77;
    ram[0x100010] = 0x66;
    ck_assert_uint_eq(cpu_ld(&cpu, 0x100010, 1, 0, 0), 0x66);
    cpu.a20_mask = ~(1u << 20);
    cpu_tlb_flush(&cpu);
    ck_assert_uint_eq(cpu_ld(&cpu, 0x100010, 1, 0, 0), 0x77);
}
END_TEST

START_TEST(test_misaligned_and_crossing)
{
    /* misaligned inside a page: slow path, same bytes */
    cpu_st(&cpu, 0x2002, 0xdeadbeef, 4, 0, 0);
    ck_assert_uint_eq(ldl_le_p(ram + 0x2002), 0xdeadbeef);
    ck_assert_uint_eq(cpu_ld(&cpu, 0x2003, 2, 0, 0), 0xadbe);

    /* crossing a page boundary, every size and split */
    for (unsigned size = 2; size <= 8; size *= 2) {
        for (unsigned k = 1; k < size; k++) {
            uint32_t a = 0x6000 - k;
            uint64_t v = 0x8877665544332211ull &
                         (size == 8 ? ~0ull : (1ull << (size * 8)) - 1);
            memset(ram + 0x5ff0, 0, 0x20);
            cpu_st(&cpu, a, v, size, 0, 0);
            for (unsigned i = 0; i < size; i++)
                ck_assert_uint_eq(ram[a + i], (uint8_t)(v >> (8 * i)));
            ck_assert_uint_eq(ram[a - 1], 0);
            ck_assert_uint_eq(ram[a + size], 0);
            ck_assert_uint_eq(cpu_ld(&cpu, a, size, 0, 0), v);
        }
    }

    /* crossing from RAM into the MMIO page: the device sees its part */
    dev_n = 0;
    ram[0x9ffff] = 0xab;
    uint32_t v = (uint32_t)cpu_ld(&cpu, 0x9ffff, 4, 0, 0);
    ck_assert_uint_eq(v & 0xff, 0xab);
    ck_assert_uint_eq(v >> 8, 0x332211);
    ck_assert_int_eq(dev_n, 1);
    ck_assert_uint_eq(dev_off, 0);
}
END_TEST

START_TEST(test_rom_writes_ignored)
{
    uint32_t a = ROM_BASE + 0x100;
    uint8_t before = rom[0x100];
    ck_assert_uint_eq(cpu_ld(&cpu, a, 1, 0, 0), before);
    struct tlb_entry *e = tlb_entry(&cpu.mmu.tlb, 0, a);
    ck_assert_uint_eq(e->tag_read, ROM_BASE);
    ck_assert(e->tag_write & TLB_MMIO);
    cpu_st(&cpu, a, 0x12345678, 4, 0, 0);
    cpu_st(&cpu, a + 1, 0x12, 1, 0, 0);
    ck_assert_uint_eq(rom[0x100], before);
    ck_assert_uint_eq(cpu_ld(&cpu, a, 4, 0, 0), ldl_le_p(rom + 0x100));
    ck_assert_uint_eq(cpu_ld_code(&cpu, a + 2), rom[0x102]);

    /* code translated from ROM: a write there changes nothing, so it
     * invalidates nothing */
    mem_mark_code_page(&map, a);
    tlb_protect_code_page(&cpu.mmu, a);
    cpu_st(&cpu, a, 0x99, 1, 0, 0);
    ck_assert_int_eq(inval_calls, 0);
    ck_assert_uint_eq(rom[0x100], before);
}
END_TEST

START_TEST(test_mmio_and_hole)
{
    ck_assert_uint_eq(cpu_ld(&cpu, MMIO_BASE + 8, 4, 0, 0), 0x44332219);
    ck_assert_int_eq(dev_n, 1);
    ck_assert_uint_eq(dev_size, 4);
    ck_assert_ptr_eq(dev_cpu, &cpu); /* the device knows who asked */
    struct tlb_entry *e = tlb_entry(&cpu.mmu.tlb, 0, MMIO_BASE);
    ck_assert(e->tag_read & TLB_MMIO);
    ck_assert(e->tag_write & TLB_MMIO);
    ck_assert(e->tag_code & TLB_MMIO);
    /* misaligned accesses whose low bits equal a flag value still reach
     * the device (never the fast path) */
    cpu_st(&cpu, MMIO_BASE + 2, 0xfeed, 2, 0, 0);
    ck_assert_int_eq(dev_n, 2);
    ck_assert_uint_eq(dev_off, 2);
    ck_assert_uint_eq(dev_val, 0xfeed);
    cpu_ld(&cpu, MMIO_BASE + 4, 8, 0, 0);
    ck_assert_int_eq(dev_n, 4); /* 8 bytes as two dwords */
    cpu_ld(&cpu, MMIO_BASE + 1, 2, 0, 0);
    ck_assert_int_eq(dev_n, 5);
    ck_assert_uint_eq(cpu_ld(&cpu, MMIO_BASE + 2, 4, 0, 0), 0x44332213);
    ck_assert_int_eq(dev_n, 6);

    /* the device sees the time of the accessing instruction (found from
     * the return address); the count is whole again afterwards */
    cpu.icount = 100;
    io_begins = 0;
    cpu_ld(&cpu, MMIO_BASE, 4, 0, 0x1234);
    ck_assert_int_eq(io_begins, 1);
    ck_assert_uint_eq(io_begin_ra, 0x1234);
    ck_assert_uint_eq(dev_icount, 95);
    ck_assert_uint_eq(cpu.icount, 100);
    cpu_st(&cpu, MMIO_BASE, 1, 4, 0, 0x5678);
    ck_assert_int_eq(io_begins, 2);
    ck_assert_uint_eq(io_begin_ra, 0x5678);
    ck_assert_uint_eq(dev_icount, 95);
    ck_assert_uint_eq(cpu.icount, 100);

    /* unassigned: all ones, writes vanish */
    ck_assert_uint_eq(cpu_ld(&cpu, HOLE + 0x10, 4, 0, 0), 0xffffffffu);
    ck_assert_uint_eq(cpu_ld(&cpu, HOLE + 0x10, 8, 0, 0), ~0ull);
    cpu_st(&cpu, HOLE + 0x10, 0, 4, 0, 0);
    ck_assert_uint_eq(cpu_ld(&cpu, HOLE + 0x10, 2, 0, 0), 0xffff);
    ck_assert_uint_eq(cpu_ld_code(&cpu, HOLE), 0xff);
    ck_assert_uint_eq(cpu_code_paddr(&cpu, HOLE + 3, 0), HOLE + 3);
}
END_TEST

/* ---- stores into code pages ---- */

START_TEST(test_code_page_writes)
{
    /* a page already in the TLB becomes a code page */
    cpu_st(&cpu, 0x5010, 1, 4, 0, 0);
    struct tlb_entry *e = tlb_entry(&cpu.mmu.tlb, 0, 0x5000);
    ck_assert_uint_eq(e->tag_write, 0x5000);
    mem_mark_code_page(&map, 0x5000);
    tlb_protect_code_page(&cpu.mmu, 0x5000);
    ck_assert(e->tag_write & TLB_CODE);
    ck_assert_uint_eq(e->tag_read, 0x5000); /* reads stay fast */

    /* blocks remain on the page: the store lands, the tag stays */
    cpu_st(&cpu, 0x5010, 0x11223344, 4, 0, 0);
    ck_assert_int_eq(inval_calls, 1);
    ck_assert_uint_eq(inval_paddr, 0x5010);
    ck_assert_uint_eq(inval_len, 4);
    ck_assert_uint_eq(ldl_le_p(ram + 0x5010), 0x11223344);
    ck_assert(e->tag_write & TLB_CODE);

    /* the last block goes: writes take the fast path again */
    inval_unmark = true;
    cpu_st(&cpu, 0x5020, 0x55, 1, 0, 0);
    ck_assert_int_eq(inval_calls, 2);
    ck_assert_uint_eq(ram[0x5020], 0x55);
    ck_assert_uint_eq(e->tag_write, 0x5000);
    cpu_st(&cpu, 0x5024, 0x66, 1, 0, 0);
    ck_assert_int_eq(inval_calls, 2);

    /* a fresh fill of a marked page carries TLB_CODE */
    mem_mark_code_page(&map, 0x7000);
    cpu_ld(&cpu, 0x7000, 4, 0, 0);
    ck_assert(tlb_entry(&cpu.mmu.tlb, 0, 0x7000)->tag_write & TLB_CODE);
}
END_TEST

START_TEST(test_store_into_running_block)
{
    mem_mark_code_page(&map, 0x8000);
    ram[0x8040] = 0x90;
    inval_leave = true;

    /* the block cache leaves (the running block must re-run the store
     * alone): the hook came first, nothing is stored */
    int r = sigsetjmp(cpu.jmp_env, 0);
    if (r == 0) {
        cpu_st(&cpu, 0x8040, 0xcc, 1, 0, 0x1234);
        ck_abort_msg("the code_write hook's exit did not leave the store");
    }
    ck_assert_int_eq(r, 2);
    ck_assert_int_eq(inval_calls, 1);
    ck_assert_uint_eq(inval_paddr, 0x8040);
    ck_assert_uint_eq(inval_ra, 0x1234);
    ck_assert_uint_eq(ram[0x8040], 0x90);

    /* the hook returns: the store lands */
    inval_leave = false;
    cpu_st(&cpu, 0x8040, 0xcc, 1, 0, 0x1234);
    ck_assert_uint_eq(ram[0x8040], 0xcc);
    ck_assert_int_eq(inval_calls, 2);

    /* a crossing store into code on its second page: nothing written */
    inval_leave = true;
    ram[0x7fff] = 0;
    ram[0x8000] = 0x90;
    r = sigsetjmp(cpu.jmp_env, 0);
    if (r == 0) {
        cpu_st(&cpu, 0x7fff, 0xbbaa, 2, 0, 0);
        ck_abort_msg("crossing store into the running block did not leave it");
    }
    ck_assert_uint_eq(inval_paddr, 0x8000);
    ck_assert_uint_eq(inval_len, 1);
    ck_assert_uint_eq(ram[0x7fff], 0);
    ck_assert_uint_eq(ram[0x8000], 0x90);
}
END_TEST

/* ---- 64-bit linear addresses ---- */

/* A translate hook of a guest with 64-bit linear addresses: linear page
 * 0x100000000 is physical 0x2000, page 0xfffff000 is 0x1000, the rest is
 * identity. */
static hwaddr wide_translate(void *owner, vaddr addr, int access, int mmu,
                             uintptr_t ra, unsigned *prot)
{
    (void)owner, (void)access, (void)mmu, (void)ra;
    *prot = TLB_PROT_WRITE | TLB_PROT_EXEC;
    if ((addr & PAGE_MASK) == 0x100000000ull)
        return 0x2000 | (addr & 0xfff);
    if ((addr & PAGE_MASK) == 0xfffff000u)
        return 0x1000 | (addr & 0xfff);
    return addr;
}

START_TEST(test_wide_addresses)
{
    cpu.mmu.translate = wide_translate;
    stl_le_p(ram + 0x0, 0x11111111);
    stl_le_p(ram + 0x2000, 0x22222222);
    stl_le_p(ram + 0x1ffc, 0xaabbccdd);

    /* the same TLB index, told apart by the high half of the tag */
    ck_assert_uint_eq(tlb_index(0x100000000ull), tlb_index(0));
    ck_assert_uint_eq(mmu_ld(&cpu.mmu, 0x100000000ull, 4, 0, 0), 0x22222222);
    ck_assert_uint_eq(tlb_entry(&cpu.mmu.tlb, 0, 0)->tag_read, 0x100000000ull);
    ck_assert_uint_eq(mmu_ld(&cpu.mmu, 0, 4, 0, 0), 0x11111111);
    ck_assert_uint_eq(mmu_ld(&cpu.mmu, 0x100000000ull, 4, 0, 0), 0x22222222);

    /* a crossing access wraps at the guest's width: 4 GiB here */
    ck_assert_uint_eq(mmu_ld(&cpu.mmu, 0xfffffffeu, 4, 0, 0), 0x1111aabb);
    cpu.mmu.addr_mask = ~(vaddr)0;
    ck_assert_uint_eq(mmu_ld(&cpu.mmu, 0xfffffffeu, 4, 0, 0), 0x2222aabb);
    mmu_st(&cpu.mmu, 0xfffffffeu, 0x55667788, 4, 0, 0);
    ck_assert_uint_eq(ldl_le_p(ram + 0x2000), 0x22225566);
    ck_assert_uint_eq(ldl_le_p(ram + 0x1ffc), 0x7788ccdd);
}
END_TEST

/* ---- dirty logging ---- */

#define FB_BASE 0x900000u /* a 4-page framebuffer above RAM */

START_TEST(test_dirty_log)
{
    struct mem_region *fb = mem_add_ram(&map, "fb", FB_BASE, 0x4000, NULL);
    mem_region_set_dirty_log(fb, true);
    uint64_t bits;
    ck_assert_uint_eq(mem_region_get_and_clear_dirty(fb, 0, 0x4000, &bits), 4);

    /* a clean logged page: reads are fast, a write goes to the slow path,
     * sets the page's bit, and then writes are fast */
    uint32_t a = FB_BASE + 0x1010;
    cpu_ld(&cpu, a, 4, 0, 0);
    struct tlb_entry *e = tlb_entry(&cpu.mmu.tlb, 0, a);
    ck_assert_uint_eq(e->tag_read, FB_BASE + 0x1000);
    ck_assert(e->tag_write & TLB_NOTDIRTY);
    ck_assert(e->tag_write & TLB_FORCE_SLOW);
    cpu_st(&cpu, a, 0x12345678, 4, 0, 0);
    ck_assert_uint_eq(ldl_le_p(fb->host + 0x1010), 0x12345678);
    ck_assert_uint_eq(e->tag_write, FB_BASE + 0x1000);
    ck_assert_uint_eq(mem_region_get_and_clear_dirty(fb, 0, 0x4000, &bits), 1);
    ck_assert_uint_eq(bits, 2);

    /* clearing the bit took the fast path away again */
    ck_assert(e->tag_write & TLB_NOTDIRTY);
    cpu_st(&cpu, a, 0x9abcdef0, 4, 0, 0);
    ck_assert_uint_eq(ldl_le_p(fb->host + 0x1010), 0x9abcdef0);
    ck_assert_uint_eq(mem_region_get_and_clear_dirty(fb, 0, 0x4000, &bits), 1);
    ck_assert_uint_eq(bits, 2);

    /* a store crossing pages 2 and 3 dirties both; a misaligned one too */
    cpu_st(&cpu, FB_BASE + 0x2ffe, 0x11223344, 4, 0, 0);
    cpu_st(&cpu, FB_BASE + 0x3, 0x5566, 2, 0, 0);
    ck_assert_uint_eq(mem_region_get_and_clear_dirty(fb, 0, 0x4000, &bits), 3);
    ck_assert_uint_eq(bits, 0xd);

    /* a code page that is also logged: both flags, and once the code is
     * gone and the page dirty, writes are fast */
    mem_mark_code_page(&map, FB_BASE);
    tlb_protect_code_page(&cpu.mmu, FB_BASE);
    e = tlb_entry(&cpu.mmu.tlb, 0, FB_BASE);
    ck_assert(e->tag_write & TLB_CODE);
    ck_assert(e->tag_write & TLB_NOTDIRTY);
    inval_unmark = true;
    cpu_st(&cpu, FB_BASE, 1, 4, 0, 0);
    ck_assert_int_eq(inval_calls, 1);
    ck_assert_uint_eq(e->tag_write, FB_BASE);

    /* logging off: nothing more to note */
    mem_region_set_dirty_log(fb, false);
    cpu_st(&cpu, a, 0, 4, 0, 0);
    ck_assert_uint_eq(ldl_le_p(fb->host + 0x1010), 0);
}
END_TEST

/* ---- fills follow the memory map ---- */

START_TEST(test_map_changes)
{
    /* RAM at 0x3000 is in the TLB ... */
    ram[0x3004] = 0x11;
    ck_assert_uint_eq(cpu_ld(&cpu, 0x3004, 1, 0, 0), 0x11);
    cpu_st(&cpu, 0x3008, 0x22, 1, 0, 0);
    struct tlb_entry *e = tlb_entry(&cpu.mmu.tlb, 0, 0x3000);
    ck_assert_uint_eq(e->tag_write, 0x3000);

    /* ... until the ROM is mapped over it: the entry is dropped, the next
     * fill reaches the ROM and its writes go nowhere */
    struct mem_region *rom_r = mem_find(&map, ROM_BASE);
    struct mem_region *over = mem_add_alias(&map, "over", 0x3000, 0x1000,
                                            rom_r, 0x100);
    mem_region_set_priority(over, 1);
    ck_assert(e->tag_read & TLB_INVALID);
    ck_assert_uint_eq(cpu_ld(&cpu, 0x3004, 1, 0, 0), rom[0x104]);
    ck_assert(e->tag_write & TLB_MMIO);
    cpu_st(&cpu, 0x3004, 0x33, 1, 0, 0);
    ck_assert_uint_eq(rom[0x104], (uint8_t)(0x104 ^ 0x5a));
    ck_assert_uint_eq(ram[0x3004], 0x11);

    /* disabled: the RAM is back */
    mem_region_set_enabled(over, false);
    ck_assert_uint_eq(cpu_ld(&cpu, 0x3004, 1, 0, 0), 0x11);
    ck_assert_uint_eq(e->tag_write, 0x3000);

    /* a read-only RAM alias (PAM "read DRAM"): reads fast, writes ignored */
    struct mem_region *low = mem_find(&map, 0);
    struct mem_region *ro = mem_add_alias(&map, "ro", 0x900000, 0x1000, low,
                                          0x3000);
    mem_region_set_readonly(ro, true);
    ck_assert_uint_eq(cpu_ld(&cpu, 0x900004, 1, 0, 0), 0x11);
    e = tlb_entry(&cpu.mmu.tlb, 0, 0x900000);
    ck_assert_uint_eq(e->tag_read, 0x900000);
    ck_assert_ptr_eq((void *)(e->addend + 0x900004), ram + 0x3004);
    cpu_st(&cpu, 0x900004, 0x44, 1, 0, 0);
    ck_assert_uint_eq(ram[0x3004], 0x11);
    mem_region_set_readonly(ro, false);
    cpu_st(&cpu, 0x900004, 0x44, 1, 0, 0);
    ck_assert_uint_eq(ram[0x3004], 0x44);

    /* a device moved over a page in the TLB (a PCI BAR) */
    cpu_ld(&cpu, 0x5000, 4, 0, 0);
    struct mem_region *dev = mem_find(&map, MMIO_BASE);
    mem_region_set_priority(dev, 1);
    mem_region_move(dev, 0x5000);
    dev_n = 0;
    ck_assert_uint_eq(cpu_ld(&cpu, 0x5008, 4, 0, 0), 0x44332219);
    ck_assert_int_eq(dev_n, 1);
    ck_assert_uint_eq(dev_off, 8);
}
END_TEST

/* ---- 32-bit paging ---- */

#define PD 0x10000u
#define PT 0x11000u
#define P 0x001u
#define RW 0x002u
#define US 0x004u
#define A 0x020u
#define D 0x040u
#define PS 0x080u

static uint32_t pte(uint32_t lin)
{
    return ldl_le_p(ram + PT + ((lin >> 12) & 0x3ff) * 4);
}
static uint32_t pde(uint32_t lin)
{
    return ldl_le_p(ram + PD + (lin >> 22) * 4);
}
static void set_pte(uint32_t lin, uint32_t v)
{
    stl_le_p(ram + PT + ((lin >> 12) & 0x3ff) * 4, v);
}
static void set_pde(uint32_t lin, uint32_t v)
{
    stl_le_p(ram + PD + (lin >> 22) * 4, v);
}

/* 0-4 MiB through PT: identity, user, writable, except
 *   0x20000 -> 0x30000 user RW       0x21000 -> 0x31000 user read-only
 *   0x22000 -> 0x32000 supervisor RW 0x23000 not present
 * 4-8 MiB: a 4 MiB page (CR4.PSE) at physical 4 MiB, user RW. */
static void paging_setup(void)
{
    setup();
    set_pde(0, PT | P | RW | US);
    for (uint32_t i = 0; i < 1024; i++)
        set_pte(i << 12, (i << 12) | P | RW | US);
    set_pte(0x20000, 0x30000 | P | RW | US);
    set_pte(0x21000, 0x31000 | P | US);
    set_pte(0x22000, 0x32000 | P | RW);
    set_pte(0x23000, 0);
    set_pde(0x400000, 0x400000 | P | RW | US | PS);
    cpu.cr[3] = PD;
    cpu.cr[4] = CR4_PSE;
    cpu.cr[0] |= CR0_PG;
    cpu_tlb_flush(&cpu);
}

START_TEST(test_walk_and_bits)
{
    stl_le_p(ram + 0x30010, 0x600df00d);
    ck_assert_uint_eq(cpu_ld(&cpu, 0x20010, 4, 1, 0), 0x600df00d);
    ck_assert(pde(0x20000) & A);
    ck_assert(pte(0x20000) & A);
    ck_assert(!(pte(0x20000) & D));
    /* not dirty yet: the first write must walk again to set D */
    struct tlb_entry *e = tlb_entry(&cpu.mmu.tlb, 1, 0x20000);
    ck_assert(e->tag_write & TLB_INVALID);
    ck_assert_uint_eq(cpu.mmu.tlb.paddr[1][tlb_index(0x20000)], 0x30000);
    cpu_st(&cpu, 0x20014, 0x12345678, 4, 1, 0);
    ck_assert(pte(0x20000) & D);
    ck_assert_uint_eq(ldl_le_p(ram + 0x30014), 0x12345678);
    ck_assert_uint_eq(e->tag_write, 0x20000);
    ck_assert_uint_eq(cpu_code_paddr(&cpu, 0x20005, 0), 0x30005);
    ck_assert_uint_eq(cpu_ld_code(&cpu, 0x20014), 0x78);
    ck_assert_int_eq(exc_count, 0);
}
END_TEST

START_TEST(test_not_present)
{
    /* SDM 3A 4.7: P=0 for not present; W/R; U/S */
    EXPECT_PF(cpu_ld(&cpu, 0x23004, 4, 0, 0), 0, 0x23004);
    EXPECT_PF(cpu_st(&cpu, 0x23008, 0, 4, 0, 0), 2, 0x23008);
    EXPECT_PF(cpu_ld(&cpu, 0x23000, 1, 1, 0), 4, 0x23000);
    EXPECT_PF(cpu_st(&cpu, 0x23ffc, 0, 4, 1, 0), 6, 0x23ffc);
    EXPECT_PF(cpu_code_paddr(&cpu, 0x23000, 0), 0, 0x23000);
    /* a missing page table (PDE not present) */
    EXPECT_PF(cpu_ld(&cpu, 0x00c00000, 4, 0, 0), 0, 0x00c00000);
    /* no accessed bit in an entry that faulted */
    ck_assert(!(pde(0x00c00000) & A));
    /* but the PDE that led to the missing PTE was used: accessed (4.8) */
    set_pde(0, PT | P | RW | US);
    cpu_tlb_flush(&cpu);
    EXPECT_PF(cpu_ld(&cpu, 0x23004, 4, 0, 0), 0, 0x23004);
    ck_assert(pde(0x23000) & A);
}
END_TEST

START_TEST(test_protection)
{
    /* user access to a supervisor page */
    EXPECT_PF(cpu_ld(&cpu, 0x22000, 4, 1, 0), 5, 0x22000);
    EXPECT_PF(cpu_st(&cpu, 0x22010, 1, 1, 1, 0), 7, 0x22010);
    /* user write to a read-only page */
    ck_assert_uint_eq(cpu_ld(&cpu, 0x21000, 4, 1, 0), 0);
    EXPECT_PF(cpu_st(&cpu, 0x21000, 1, 4, 1, 0), 7, 0x21000);
    /* the supervisor writes read-only pages unless CR0.WP */
    cpu_st(&cpu, 0x21004, 0xaa, 1, 0, 0);
    ck_assert_uint_eq(ram[0x31004], 0xaa);
    cpu.cr[0] |= CR0_WP;
    cpu_tlb_flush(&cpu);
    EXPECT_PF(cpu_st(&cpu, 0x21008, 0xbb, 1, 0, 0), 3, 0x21008);
    ck_assert_uint_eq(ram[0x31008], 0);
    /* U/S and R/W are the AND of both levels */
    set_pde(0, PT | P | US);
    cpu_tlb_flush(&cpu);
    EXPECT_PF(cpu_st(&cpu, 0x20000, 1, 1, 1, 0), 7, 0x20000);
    set_pde(0, PT | P | RW);
    cpu_tlb_flush(&cpu);
    EXPECT_PF(cpu_ld(&cpu, 0x20000, 1, 1, 0), 5, 0x20000);
    ck_assert_uint_eq(cpu_ld(&cpu, 0x20000, 1, 0, 0), 0);
}
END_TEST

START_TEST(test_large_pages)
{
    ram[0x400123] = 0x42;
    ck_assert_uint_eq(cpu_ld(&cpu, 0x400123, 1, 1, 0), 0x42);
    ck_assert(pde(0x400000) & A);
    ck_assert(!(pde(0x400000) & D));
    cpu_st(&cpu, 0x7ff000, 0x99, 1, 1, 0);
    ck_assert(pde(0x400000) & D);
    ck_assert_uint_eq(ram[0x7ff000], 0x99);
    ck_assert_uint_eq(cpu.mmu.tlb.paddr[1][tlb_index(0x7ff000)], 0x7ff000);

    /* INVLPG anywhere in the 4 MiB page drops all of its pieces */
    cpu_ld(&cpu, 0x401000, 1, 1, 0);
    cpu_tlb_flush_page(&cpu, 0x7ff123);
    ck_assert(tlb_entry(&cpu.mmu.tlb, 1, 0x400000)->tag_read & TLB_INVALID);
    ck_assert(tlb_entry(&cpu.mmu.tlb, 1, 0x401000)->tag_read & TLB_INVALID);
    /* and INVLPG of a 4 KiB page only that page, with CR4.PSE too */
    cpu_ld(&cpu, 0x1000, 1, 1, 0);
    cpu_ld(&cpu, 0x2000, 1, 1, 0);
    cpu_tlb_flush_page(&cpu, 0x1abc);
    ck_assert(tlb_entry(&cpu.mmu.tlb, 1, 0x1000)->tag_read & TLB_INVALID);
    ck_assert_uint_eq(tlb_entry(&cpu.mmu.tlb, 1, 0x2000)->tag_read, 0x2000);

    /* bit 21 of a 4 MiB PDE is reserved: RSVD | P */
    set_pde(0x400000, 0x400000 | P | RW | US | PS | 0x200000);
    cpu_tlb_flush(&cpu);
    EXPECT_PF(cpu_ld(&cpu, 0x400000, 1, 0, 0), 9, 0x400000);
}
END_TEST

START_TEST(test_crossing_fault_is_precise)
{
    /* 0x22ffe..0x23001: the second page is not present. Neither page may
     * be written, and CR2 names the first byte of the missing page. */
    ram[0x32ffe] = 0x11;
    ram[0x32fff] = 0x22;
    EXPECT_PF(cpu_st(&cpu, 0x22ffe, 0xddccbbaa, 4, 0, 0), 2, 0x23000);
    ck_assert_uint_eq(ram[0x32ffe], 0x11);
    ck_assert_uint_eq(ram[0x32fff], 0x22);
    EXPECT_PF(cpu_ld(&cpu, 0x22fff, 2, 0, 0), 0, 0x23000);
}
END_TEST

START_TEST(test_stale_until_invlpg)
{
    ram[0x30000] = 1;
    ram[0x35000] = 2;
    ck_assert_uint_eq(cpu_ld(&cpu, 0x20000, 1, 0, 0), 1);
    set_pte(0x20000, 0x35000 | P | RW | US);
    /* like a hardware TLB, the old translation stays until invalidated */
    ck_assert_uint_eq(cpu_ld(&cpu, 0x20000, 1, 0, 0), 1);
    cpu_tlb_flush_page(&cpu, 0x20000);
    ck_assert_uint_eq(cpu_ld(&cpu, 0x20000, 1, 0, 0), 2);
}
END_TEST

START_TEST(test_global_pages)
{
    /* SDM 3A 4.10.2.4: with CR4.PGE a CR3 load keeps global pages */
    set_pte(0x20000, 0x30000 | P | RW | US | 0x100);
    cpu_paging_set_cr(&cpu, (uint32_t)cpu.cr[0], PD, CR4_PSE | CR4_PGE,
                      false, 0);
    cpu_ld(&cpu, 0x20000, 1, 1, 0);
    cpu_ld(&cpu, 0x1000, 1, 1, 0);
    ck_assert(cpu.mmu.tlb.prot[1][tlb_index(0x20000)] & TLB_PROT_GLOBAL);
    flushes = 0;
    cpu_paging_set_cr(&cpu, (uint32_t)cpu.cr[0], PD, (uint32_t)cpu.cr[4],
                      true, 0);
    ck_assert_int_eq(flushes, 1);
    ck_assert_uint_eq(tlb_entry(&cpu.mmu.tlb, 1, 0x20000)->tag_read, 0x20000);
    ck_assert(tlb_entry(&cpu.mmu.tlb, 1, 0x1000)->tag_read & TLB_INVALID);
    /* G means nothing without CR4.PGE; clearing PGE flushes them all */
    cpu_paging_set_cr(&cpu, (uint32_t)cpu.cr[0], PD, CR4_PSE, false, 0);
    ck_assert(tlb_entry(&cpu.mmu.tlb, 1, 0x20000)->tag_read & TLB_INVALID);
    cpu_ld(&cpu, 0x20000, 1, 1, 0);
    ck_assert(!(cpu.mmu.tlb.prot[1][tlb_index(0x20000)] & TLB_PROT_GLOBAL));
    cpu_paging_set_cr(&cpu, (uint32_t)cpu.cr[0], PD, CR4_PSE, true, 0);
    ck_assert(tlb_entry(&cpu.mmu.tlb, 1, 0x20000)->tag_read & TLB_INVALID);
    /* INVLPG drops a global page too */
    cpu_paging_set_cr(&cpu, (uint32_t)cpu.cr[0], PD, CR4_PSE | CR4_PGE,
                      false, 0);
    cpu_ld(&cpu, 0x20000, 1, 1, 0);
    cpu_tlb_flush_page(&cpu, 0x20000);
    ck_assert(tlb_entry(&cpu.mmu.tlb, 1, 0x20000)->tag_read & TLB_INVALID);
}
END_TEST

/* ---- PAE paging ---- */

#define PDPT 0x12000u
#define PAE_PD 0x13000u
#define PAE_PT 0x14000u
#define XD (1ull << 63)

static void set_q(uint32_t at, uint64_t v)
{
    stq_le_p(ram + at, v);
}

/* 0-2 MiB through PAE_PT: identity, except 0x20000 -> 0x30000 and
 * 0x21000 -> 0x31000 with XD; 2-4 MiB: a 2 MiB page at 6 MiB. */
static void pae_setup(void)
{
    paging_setup();
    memset(ram + PDPT, 0, 0x3000);
    set_q(PDPT, PAE_PD | P);
    set_q(PAE_PD, PAE_PT | P | RW | US);
    set_q(PAE_PD + 8, 0x600000 | P | RW | US | PS);
    for (uint32_t i = 0; i < 512; i++)
        set_q(PAE_PT + i * 8, (i << 12) | P | RW | US);
    set_q(PAE_PT + 0x20 * 8, 0x30000 | P | RW | US);
    set_q(PAE_PT + 0x21 * 8, 0x31000 | P | RW | US | XD);
    cpu.cr[0] &= ~(uint64_t)CR0_PG;
    cpu_paging_set_cr(&cpu, CR0_PE | CR0_PG, PDPT, CR4_PAE, false, 0);
}

START_TEST(test_pae_walk)
{
    ck_assert_uint_eq(cpu.pdpte[0], PAE_PD | P);
    stl_le_p(ram + 0x30010, 0x600df00d);
    ck_assert_uint_eq(cpu_ld(&cpu, 0x20010, 4, 1, 0), 0x600df00d);
    ck_assert(ldq_le_p(ram + PAE_PD) & A);
    ck_assert(ldq_le_p(ram + PAE_PT + 0x20 * 8) & A);
    cpu_st(&cpu, 0x20010, 1, 1, 1, 0);
    ck_assert(ldq_le_p(ram + PAE_PT + 0x20 * 8) & D);
    /* a 2 MiB page, whatever CR4.PSE says */
    ram[0x6abcde] = 0x5a;
    ck_assert_uint_eq(cpu_ld(&cpu, 0x2abcde, 1, 0, 0), 0x5a);
    ck_assert(cpu.mmu.tlb.prot[0][tlb_index(0x2abcde)] & TLB_PROT_LARGE);
    /* PDPTEs 1-3 are not present */
    EXPECT_PF(cpu_ld(&cpu, 0x40000000, 1, 0, 0), 0, 0x40000000);
    /* reserved bits 62:36 of a PTE: RSVD | P */
    set_q(PAE_PT + 0x22 * 8, 0x32000 | P | RW | (1ull << 40));
    EXPECT_PF(cpu_ld(&cpu, 0x22000, 1, 0, 0), 9, 0x22000);
    /* the PDPTEs are registers: a change in memory is seen only when
     * CR3 is loaded again (SDM 3A 4.4.1) */
    set_q(PDPT, 0);
    cpu_tlb_flush(&cpu);
    ck_assert_uint_eq(cpu_ld(&cpu, 0x20010, 1, 0, 0), 1);
    cpu_paging_set_cr(&cpu, (uint32_t)cpu.cr[0], PDPT, (uint32_t)cpu.cr[4],
                      true, 0);
    EXPECT_PF(cpu_ld(&cpu, 0x20010, 1, 0, 0), 0, 0x20010);
}
END_TEST

START_TEST(test_pae_pdpte_reserved)
{
    /* a present PDPTE with a reserved bit: #GP(0), nothing changes */
    set_q(PDPT + 0x100, PAE_PD | P);
    set_q(PDPT + 0x108, PAE_PD | P | 0x20); /* bit 5 is reserved */
    exc_vec = -1;
    if (sigsetjmp(cpu.jmp_env, 0) == 0) {
        cpu_paging_set_cr(&cpu, (uint32_t)cpu.cr[0], PDPT + 0x100,
                          (uint32_t)cpu.cr[4], true, 0);
        ck_abort_msg("no #GP");
    }
    ck_assert_int_eq(exc_vec, EXCP_GP);
    ck_assert_int_eq(exc_err, 0);
    ck_assert_uint_eq(cpu.cr[3], PDPT);
    /* not present: its other bits are free */
    set_q(PDPT + 0x108, 0xfffffffffffffffeull);
    cpu_paging_set_cr(&cpu, (uint32_t)cpu.cr[0], PDPT + 0x100,
                      (uint32_t)cpu.cr[4], true, 0);
    ck_assert_uint_eq(cpu.cr[3], PDPT + 0x100);
    /* enabling paging with CR4.PAE loads them too */
    set_q(PDPT + 0x108, PAE_PD | P | 0x4);
    exc_vec = -1;
    if (sigsetjmp(cpu.jmp_env, 0) == 0) {
        cpu_paging_set_cr(&cpu, CR0_PE, PDPT + 0x100, CR4_PAE, false, 0);
        cpu_paging_set_cr(&cpu, CR0_PE | CR0_PG, PDPT + 0x100, CR4_PAE,
                          false, 0);
        ck_abort_msg("no #GP");
    }
    ck_assert_int_eq(exc_vec, EXCP_GP);
    ck_assert_uint_eq(cpu.cr[0], CR0_PE);
}
END_TEST

START_TEST(test_pae_nx)
{
    /* without EFER.NXE bit 63 is reserved */
    EXPECT_PF(cpu_code_paddr(&cpu, 0x21000, 0), 9, 0x21000);
    cpu_set_efer(&cpu, EFER_NXE);
    /* data accesses are allowed, fetches not, with I/D in the error */
    ram[0x31004] = 0x77;
    ck_assert_uint_eq(cpu_ld(&cpu, 0x21004, 1, 1, 0), 0x77);
    ck_assert(tlb_entry(&cpu.mmu.tlb, 1, 0x21000)->tag_code & TLB_INVALID);
    EXPECT_PF(cpu_code_paddr(&cpu, 0x21008, 0), 0x11, 0x21008);
    EXPECT_PF(cpu_ld_code(&cpu, 0x21008), 0x11, 0x21008);
    cpu.hflags |= 3;
    EXPECT_PF(cpu_ld_code(&cpu, 0x21001), 0x15, 0x21001);
    /* I/D on any fetch fault with PAE and NXE, not-present ones too */
    EXPECT_PF(cpu_ld_code(&cpu, 0x40000000), 0x14, 0x40000000);
    cpu.hflags &= ~3u;
    ck_assert_uint_eq(cpu_code_paddr(&cpu, 0x20004, 0), 0x30004);
    /* XD in the PDE covers the whole table */
    set_q(PAE_PD, PAE_PT | P | RW | US | XD);
    cpu_tlb_flush(&cpu);
    EXPECT_PF(cpu_code_paddr(&cpu, 0x20004, 0), 0x11, 0x20004);
    /* clearing NXE flushes: XD is reserved again */
    cpu_set_efer(&cpu, 0);
    EXPECT_PF(cpu_ld(&cpu, 0x20004, 1, 0, 0), 9, 0x20004);
}
END_TEST

static Suite *tlb_suite(void)
{
    Suite *s = suite_create("tlb");
    TCase *tc = tcase_create("flat");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_fill_and_fast_path);
    tcase_add_test(tc, test_flush);
    tcase_add_test(tc, test_a20);
    tcase_add_test(tc, test_misaligned_and_crossing);
    tcase_add_test(tc, test_rom_writes_ignored);
    tcase_add_test(tc, test_mmio_and_hole);
    tcase_add_test(tc, test_code_page_writes);
    tcase_add_test(tc, test_store_into_running_block);
    tcase_add_test(tc, test_wide_addresses);
    tcase_add_test(tc, test_dirty_log);
    tcase_add_test(tc, test_map_changes);
    suite_add_tcase(s, tc);

    TCase *tp = tcase_create("paging");
    tcase_add_checked_fixture(tp, paging_setup, teardown);
    tcase_add_test(tp, test_walk_and_bits);
    tcase_add_test(tp, test_not_present);
    tcase_add_test(tp, test_protection);
    tcase_add_test(tp, test_large_pages);
    tcase_add_test(tp, test_crossing_fault_is_precise);
    tcase_add_test(tp, test_stale_until_invlpg);
    tcase_add_test(tp, test_global_pages);
    suite_add_tcase(s, tp);

    TCase *tx = tcase_create("pae");
    tcase_add_checked_fixture(tx, pae_setup, teardown);
    tcase_add_test(tx, test_pae_walk);
    tcase_add_test(tx, test_pae_pdpte_reserved);
    tcase_add_test(tx, test_pae_nx);
    suite_add_tcase(s, tx);
    return s;
}

UNIT_MAIN(tlb_suite)
