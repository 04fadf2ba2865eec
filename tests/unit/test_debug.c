/*
 * test_debug.c - unit tests of the NMI (cpu_nmi: delivered through vector
 * 2 whatever IF, held off until the next IRET, waking HLT) and of the
 * generic debug facility (translator/x86/debug.h) as an external debugger
 * uses it: a breakpoint inserted after its block was translated stops
 * the CPU before the instruction, a write watchpoint stops it after the
 * store; every backend, real guest code in 1 MiB of RAM under cpu_exec
 * with an icount clock. There is no architectural way for a guest to
 * raise an NMI on this board yet (no local APIC), so the NMI is raised
 * through the board's API here.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"
#include "translator/backend.h"
#include "translator/tb.h"
#include "translator/x86/cpu.h"
#include "translator/x86/cpu_access.h"
#include "translator/x86/debug.h"

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
    cpu->seg[s].attr =
        SEG_ATTR_P | SEG_ATTR_S | SEG_ATTR_DB | SEG_ATTR_G | type;
}

static void put(uint32_t addr, const char *bytes, size_t n)
{
    phys_write(&map, addr, bytes, n);
}

static void on_shutdown(void *opaque, const char *why)
{
    (void)opaque;
    ck_abort_msg("unexpected shutdown: %s", why);
}

/* Flat 32-bit protected mode, ring 0, a GDT and an IDT whose gate 2 leads
 * to 0x2000, on backend i. */
static void setup_backend(int i)
{
    memory_map_init(&map);
    ram = mem_add_ram(&map, "ram", 0, RAM_SIZE, NULL)->host;
    cpu = calloc(1, sizeof(*cpu));
    cpu->mmu.mem = &map;
    cpu_init(cpu);
    cpu_reset(cpu);
    cpu->cr[0] |= CR0_PE;
    set_flat_seg(SEG_CS, 0x08, 0xb);
    for (int s = 0; s < SEG_COUNT; s++)
        if (s != SEG_CS)
            set_flat_seg(s, 0x10, 0x3);
    cpu_update_hflags(cpu);
    cpu->regs[R_ESP] = 0x9000;
    cpu_tlb_flush(cpu);
    jit = jit_new(&(struct jit_options){ .backend = backend_list[i],
                                         .code_buffer_size = 4u << 20 });
    cpu->jit = jit;
    tb_attach_cpu(cpu);
    vclock_init(&clk, true, 0, &cpu->icount);
    cpu->clock = &clk;
    cpu->icount_mode = true;
    cpu->on_shutdown = on_shutdown;

    uint32_t gdt = 0x4000, idt = 0x3000, handler = 0x2000;
    put(gdt,
        "\0\0\0\0\0\0\0\0"
        "\xff\xff\0\0\0\x9a\xcf\0"  /* 0x08: flat code */
        "\xff\xff\0\0\0\x92\xcf\0", /* 0x10: flat data */
        24);
    cpu->gdt.base = gdt;
    cpu->gdt.limit = 23;
    uint8_t gate[8] = {
        handler & 0xff, (handler >> 8) & 0xff,  0x08,         0x00, 0x00,
        0x8e,           (handler >> 16) & 0xff, handler >> 24
    };
    put(idt + EXCP_NMI * 8, (const char *)gate, 8);
    cpu->idt.base = idt;
    cpu->idt.limit = 0x7ff;
}

static void teardown(void)
{
    tb_detach_cpu(cpu);
    jit_free(jit);
    jit = NULL;
    free(cpu);
    memory_map_destroy(&map);
}

static void stop_cb(void *opaque)
{
    (void)opaque;
    cpu->stop_request = 1;
    cpu->exit_request = 1;
}

static void nmi_cb(void *opaque)
{
    (void)opaque;
    cpu_nmi(cpu);
}

/* Two NMIs at 100 and 300 ns (instructions), stop at 1000. */
static void run_two_nmis(void)
{
    struct vtimer n1, n2, stop;
    vtimer_init(&n1, &clk, nmi_cb, NULL);
    vtimer_init(&n2, &clk, nmi_cb, NULL);
    vtimer_init(&stop, &clk, stop_cb, NULL);
    vtimer_mod(&n1, 100);
    vtimer_mod(&n2, 300);
    vtimer_mod(&stop, 1000);
    cpu_exec(cpu);
}

START_TEST(test_nmi_blocked_until_iret)
{
    setup_backend(_i);
    /* main: cli; l: inc eax; jmp l.  NMI handler: inc ebx; jmp $ (no
     * IRET: the second NMI stays pending). */
    put(0x1000, "\xfa\x40\xeb\xfd", 4);
    put(0x2000, "\x43\xeb\xfe", 3);
    cpu->eip = 0x1000;
    run_two_nmis();
    ck_assert_uint_eq(cpu->regs[R_EBX], 1);
    ck_assert(cpu->nmi_blocked);
    ck_assert(cpu->interrupt_request & CPU_INTERRUPT_NMI);
    ck_assert_uint_eq(cpu->eip, 0x2001);
    /* the frame: return EIP inside the loop, CS 0x08 */
    uint32_t ret = ldl_le_p(ram + 0x9000 - 12);
    ck_assert(ret == 0x1001 || ret == 0x1002);
    ck_assert_uint_eq(ldl_le_p(ram + 0x9000 - 8), 0x08);
    teardown();
}
END_TEST

START_TEST(test_nmi_unblocked_by_iret)
{
    setup_backend(_i);
    /* NMI handler: inc ebx; iret. Both NMIs are taken, IF stays clear. */
    put(0x1000, "\xfa\x40\xeb\xfd", 4);
    put(0x2000, "\x43\xcf", 2);
    cpu->eip = 0x1000;
    run_two_nmis();
    ck_assert_uint_eq(cpu->regs[R_EBX], 2);
    ck_assert(!cpu->nmi_blocked);
    ck_assert(!(cpu->interrupt_request & CPU_INTERRUPT_NMI));
    ck_assert(!(cpu->eflags & EFLAGS_IF));
    ck_assert_uint_eq(cpu->regs[R_ESP], 0x9000);
    teardown();
}
END_TEST

START_TEST(test_nmi_wakes_hlt)
{
    setup_backend(_i);
    /* cli; hlt; inc eax; jmp $ -- the NMI ends the halt, its IRET returns
     * after the HLT. */
    put(0x1000, "\xfa\xf4\x40\xeb\xfe", 5);
    put(0x2000, "\x43\xcf", 2);
    cpu->eip = 0x1000;
    struct vtimer n, stop;
    vtimer_init(&n, &clk, nmi_cb, NULL);
    vtimer_init(&stop, &clk, stop_cb, NULL);
    vtimer_mod(&n, 5000);
    vtimer_mod(&stop, 10000);
    cpu_exec(cpu);
    ck_assert_uint_eq(cpu->regs[R_EBX], 1);
    ck_assert_uint_eq(cpu->regs[R_EAX], 1);
    ck_assert(!cpu->halted);
    ck_assert_uint_eq(cpu->eip, 0x1003);
    teardown();
}
END_TEST

START_TEST(test_external_breakpoint)
{
    setup_backend(_i);
    /* inc eax x4; jmp $ -- translated once, then a breakpoint at the third
     * inc must reach the cached block (invalidated). */
    put(0x1000, "\x40\x40\x40\x40\xeb\xfe", 6);
    cpu->eip = 0x1000;
    struct vtimer stop;
    vtimer_init(&stop, &clk, stop_cb, NULL);
    vtimer_mod(&stop, 20);
    cpu_exec(cpu);
    ck_assert_uint_eq(cpu->regs[R_EAX], 4);

    ck_assert(cpu_breakpoint_insert(cpu, 0x1002, DEBUG_OWNER_EXTERNAL, 0));
    cpu->eip = 0x1000;
    cpu->regs[R_EAX] = 0;
    cpu->stop_request = 0;
    vtimer_mod(&stop, 100);
    cpu_exec(cpu);
    ck_assert(cpu->debug.stopped);
    ck_assert_uint_eq(cpu->debug.stop_addr, 0x1002);
    ck_assert_uint_eq(cpu->eip, 0x1002);
    ck_assert_uint_eq(cpu->regs[R_EAX], 2);
    ck_assert_int_eq(cpu->exception_index, -1);
    /* The guest's own DR7 sync leaves the debugger's entry alone. */
    cpu->dr[7] = 0x400;
    debug_sync_dr7(cpu);
    ck_assert_int_eq(cpu->debug.n_bp, 1);

    ck_assert(cpu_breakpoint_remove(cpu, 0x1002, DEBUG_OWNER_EXTERNAL));
    cpu->debug.stopped = false;
    cpu->stop_request = 0;
    vtimer_mod(&stop, 200);
    cpu_exec(cpu);
    ck_assert(!cpu->debug.stopped);
    ck_assert_uint_eq(cpu->regs[R_EAX], 4);
    ck_assert_uint_eq(cpu->eip, 0x1004);
    teardown();
}
END_TEST

START_TEST(test_external_watchpoint)
{
    setup_backend(_i);
    /* mov ebx, [0x5000]; mov [0x5004], eax; inc ecx; jmp $ */
    put(0x1000,
        "\x8b\x1d\x00\x50\x00\x00"
        "\xa3\x04\x50\x00\x00"
        "\x41\xeb\xfe",
        14);
    cpu->eip = 0x1000;
    cpu->regs[R_EAX] = 0x12345678;
    ck_assert(cpu_watchpoint_insert(cpu, 0x5004, 4, WATCH_WRITE,
                                    DEBUG_OWNER_EXTERNAL, 0));
    struct vtimer stop;
    vtimer_init(&stop, &clk, stop_cb, NULL);
    vtimer_mod(&stop, 100);
    cpu_exec(cpu);
    /* Stopped after the store, before inc ecx; the read did not stop. */
    ck_assert(cpu->debug.stopped);
    ck_assert_uint_eq(cpu->debug.stop_addr, 0x5004);
    ck_assert_uint_eq(cpu->eip, 0x100b);
    ck_assert_uint_eq(ldl_le_p(ram + 0x5004), 0x12345678);
    ck_assert_uint_eq(cpu->regs[R_ECX], 0);
    ck_assert_int_eq(cpu->exception_index, -1);
    cpu_watchpoint_remove_all(cpu, DEBUG_OWNER_EXTERNAL);
    ck_assert(!cpu->mmu.watching);
    teardown();
}
END_TEST

static Suite *debug_suite(void)
{
    Suite *s = suite_create("debug");
    TCase *tc = tcase_create("nmi");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, test_nmi_blocked_until_iret, 0, (int)backend_count);
    tcase_add_loop_test(tc, test_nmi_unblocked_by_iret, 0, (int)backend_count);
    tcase_add_loop_test(tc, test_nmi_wakes_hlt, 0, (int)backend_count);
    suite_add_tcase(s, tc);
    TCase *td = tcase_create("debugger");
    tcase_set_timeout(td, 30);
    tcase_add_loop_test(td, test_external_breakpoint, 0, (int)backend_count);
    tcase_add_loop_test(td, test_external_watchpoint, 0, (int)backend_count);
    suite_add_tcase(s, td);
    return s;
}

UNIT_MAIN(debug_suite)
