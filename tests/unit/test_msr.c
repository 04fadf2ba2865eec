/*
 * test_msr.c - unit tests of translator/x86/msr.c and sysenter.c, called
 * directly on a CPU with 1 MiB of RAM: the MSRs' reset values, RDMSR and
 * WRMSR of each of them with #GP(0) for reserved bits and invalid memory
 * types, and SYSENTER/SYSEXIT with their segment state and faults. A
 * raised exception is caught at cpu->jmp_env.
 */
#include <check.h>
#include <setjmp.h>
#include <stdlib.h>

#include "softmmu/memory.h"
#include "tests/unit/unit.h"
#include "translator/x86/cpu.h"
#include "translator/x86/helpers.h"
#include "translator/x86/sys.h"

static struct memory_map map;
static struct cpu *cpu;

static void setup(void)
{
    memory_map_init(&map);
    mem_add_ram(&map, "ram", 0, 1 << 20, NULL);
    cpu = calloc(1, sizeof(*cpu));
    cpu->mmu.mem = &map;
    cpu_init(cpu);
    cpu_reset(cpu);
}

static void teardown(void)
{
    free(cpu);
    memory_map_destroy(&map);
}

/* Run stmt; the vector it raised, or -1 (error code in cpu->error_code). */
#define CATCH(stmt)                                                            \
    ({                                                                         \
        volatile int caught_ = -1;                                             \
        cpu->exception_index = -1;                                             \
        if (sigsetjmp(cpu->jmp_env, 0) == 0) {                                 \
            stmt;                                                              \
        } else {                                                               \
            caught_ = cpu->exception_index;                                    \
        }                                                                      \
        caught_;                                                               \
    })

/* RDMSR idx: the vector raised (-1 when none) and the value read. */
static int rdmsr(uint32_t idx, uint64_t *v)
{
    cpu->regs[R_ECX] = idx;
    int e = CATCH(helper_rdmsr(cpu));
    *v = (uint32_t)cpu->regs[R_EAX] | (uint64_t)(uint32_t)cpu->regs[R_EDX] << 32;
    return e;
}

static int wrmsr(uint32_t idx, uint64_t v)
{
    cpu->regs[R_ECX] = idx;
    cpu->regs[R_EAX] = (uint32_t)v;
    cpu->regs[R_EDX] = (uint32_t)(v >> 32);
    return CATCH(helper_wrmsr(cpu));
}

static uint64_t rd(uint32_t idx)
{
    uint64_t v;
    ck_assert_int_eq(rdmsr(idx, &v), -1);
    return v;
}

START_TEST(test_reset_values)
{
    ck_assert_uint_eq(rd(0x1b), 0xfee00900u); /* BSP, enabled */
    ck_assert_uint_eq(rd(0xfe), 0x508);       /* VCNT 8, FIX, WC */
    ck_assert_uint_eq(rd(0x277), 0x0007040600070406ull);
    ck_assert_uint_eq(rd(0x2ff), 0);
    ck_assert_uint_eq(rd(0x174), 0);
    ck_assert_uint_eq(rd(0x200), 0);
    ck_assert_uint_eq(rd(0x26f), 0);
    ck_assert_uint_eq(cpu->regs[R_EDX], 0); /* of the RDMSR, not the reset */
    cpu_reset(cpu);
    ck_assert_uint_eq(cpu->regs[R_EDX], 0x665);
}
END_TEST

START_TEST(test_read_write)
{
    uint64_t v;
    static const uint32_t rw[] = { 0x174, 0x175, 0x176, 0x200, 0x20e, 0x250,
                                   0x258, 0x259, 0x268, 0x26c, 0x26f };
    for (unsigned i = 0; i < sizeof rw / sizeof rw[0]; i++) {
        uint64_t val = rw[i] >= 0x250 ? 0x0605040106050401ull
                       : rw[i] == 0x174 ? 0x10
                                       : 0x12345006ull;
        ck_assert_int_eq(wrmsr(rw[i], val), -1);
        ck_assert_uint_eq(rd(rw[i]), val);
    }
    ck_assert_int_eq(wrmsr(0x20f, 0xfffff800ull), -1); /* mask, V */
    ck_assert_uint_eq(rd(0x20f), 0xfffff800ull);
    ck_assert_int_eq(wrmsr(0x2ff, 0xc06), -1);
    ck_assert_uint_eq(rd(0x2ff), 0xc06);
    ck_assert_int_eq(wrmsr(0x277, 0x0700050401000607ull), -1);
    ck_assert_uint_eq(rd(0x277), 0x0700050401000607ull);
    /* APIC base: base and enable move, BSP stays */
    ck_assert_int_eq(wrmsr(0x1b, 0xfec00000u), -1);
    ck_assert_uint_eq(rd(0x1b), 0xfec00100u);
    /* SYSENTER_ESP/EIP hold 32 bits, CS 16 */
    ck_assert_int_eq(wrmsr(0x175, 0x123456789ull), -1);
    ck_assert_uint_eq(rd(0x175), 0x23456789u);
    ck_assert_int_eq(wrmsr(0x174, 0xabcd0008u), -1);
    ck_assert_uint_eq(rd(0x174), 0x0008);
    (void)v;
}
END_TEST

START_TEST(test_gp)
{
    uint64_t v;
    /* unknown MSRs, and STAR (0xC0000081), since this CPU has EFER (NXE)
     * but no SYSCALL */
    ck_assert_int_eq(rdmsr(0x12345, &v), EXCP_GP);
    ck_assert_int_eq(wrmsr(0x12345, 0), EXCP_GP);
    ck_assert_int_eq(rdmsr(0xc0000081u, &v), EXCP_GP);
    ck_assert_int_eq(rdmsr(0x210, &v), EXCP_GP);
    ck_assert_int_eq(cpu->error_code, 0);
    /* MTRRCAP is read-only */
    ck_assert_int_eq(wrmsr(0xfe, 0x508), EXCP_GP);
    /* PAT: types 2 and 3 and bits above 2:0 of each entry are reserved */
    ck_assert_int_eq(wrmsr(0x277, 0x0007040600070402ull), EXCP_GP);
    ck_assert_int_eq(wrmsr(0x277, 0x0003040600070406ull), EXCP_GP);
    ck_assert_int_eq(wrmsr(0x277, 0x0007040600070416ull), EXCP_GP);
    ck_assert_uint_eq(rd(0x277), 0x0007040600070406ull);
    /* MTRR types 2, 3, 7 are reserved */
    ck_assert_int_eq(wrmsr(0x2ff, 0x807), EXCP_GP);
    ck_assert_int_eq(wrmsr(0x2ff, 0x802), EXCP_GP);
    ck_assert_int_eq(wrmsr(0x2ff, 0x1006), EXCP_GP); /* bit 12 */
    ck_assert_int_eq(wrmsr(0x200, 0x00001003), EXCP_GP);
    ck_assert_int_eq(wrmsr(0x200, 0x00001106), EXCP_GP);   /* bit 8 */
    /* the first address bit above MAXPHYADDR (32, or 36 with PAE) */
    uint64_t above = 1ull << cpu_phys_addr_bits();
    ck_assert_int_eq(wrmsr(0x200, above | 0x1006), EXCP_GP);
    ck_assert_int_eq(wrmsr(0x200, (above >> 1) | 0x1006), -1);
    ck_assert_int_eq(wrmsr(0x201, 0xfffff801ull), EXCP_GP);
    ck_assert_int_eq(wrmsr(0x250, 0x0606060606060607ull), EXCP_GP);
    ck_assert_int_eq(wrmsr(0x26f, 0x0206060606060606ull), EXCP_GP);
    ck_assert_uint_eq(rd(0x26f), 0);
    /* APIC base: bits 7:0, 10:9 and above MAXPHYADDR */
    ck_assert_int_eq(wrmsr(0x1b, 0xfee00901u), EXCP_GP);
    ck_assert_int_eq(wrmsr(0x1b, 0xfee00d00u), EXCP_GP);
    ck_assert_int_eq(wrmsr(0x1b, above | 0xfee00900u), EXCP_GP);
    ck_assert_uint_eq(rd(0x1b), 0xfee00900u);
    /* CPL 3 */
    cpu->cr[0] |= CR0_PE;
    cpu->seg[SEG_CS].sel = 3;
    cpu_update_hflags(cpu);
    ck_assert_int_eq(rdmsr(0x277, &v), EXCP_GP);
    ck_assert_int_eq(wrmsr(0x277, 0x0007040600070406ull), EXCP_GP);
}
END_TEST

START_TEST(test_sysenter_sysexit)
{
    /* real mode: #GP(0) */
    wrmsr(0x174, 0x10);
    ck_assert_int_eq(CATCH(helper_sysenter(cpu)), EXCP_GP);
    ck_assert_int_eq(CATCH(helper_sysexit(cpu)), EXCP_GP);
    cpu->cr[0] |= CR0_PE;
    cpu_update_hflags(cpu);
    /* protected mode, CS MSR 0 (or 1..3: bits 15:2 are zero) */
    wrmsr(0x174, 3);
    ck_assert_int_eq(CATCH(helper_sysenter(cpu)), EXCP_GP);
    ck_assert_int_eq(cpu->error_code, 0);
    ck_assert_int_eq(CATCH(helper_sysexit(cpu)), EXCP_GP);

    wrmsr(0x174, 0x13); /* RPL bits are dropped */
    wrmsr(0x175, 0x9000);
    wrmsr(0x176, 0x4000);
    cpu->regs[R_ECX] = 0x7000;
    cpu->regs[R_EDX] = 0x5000;
    ck_assert_int_eq(CATCH(helper_sysexit(cpu)), -1);
    ck_assert_uint_eq(cpu->seg[SEG_CS].sel, 0x23);
    ck_assert_uint_eq(cpu->seg[SEG_SS].sel, 0x2b);
    ck_assert_uint_eq(cpu->seg[SEG_CS].attr, 0xc0fb);
    ck_assert_uint_eq(cpu->seg[SEG_SS].attr, 0xc0f3);
    ck_assert_uint_eq(cpu->seg[SEG_CS].limit, 0xffffffffu);
    ck_assert_uint_eq(cpu->hflags & HF_CPL_MASK, 3);
    ck_assert(cpu->hflags & HF_CS32);
    ck_assert(cpu->hflags & HF_SS32);
    ck_assert_uint_eq(cpu->regs[R_ESP], 0x7000);
    ck_assert_uint_eq(cpu->eip, 0x5000);
    /* SYSEXIT at CPL 3 */
    ck_assert_int_eq(CATCH(helper_sysexit(cpu)), EXCP_GP);

    cpu_set_eflags(cpu, EFLAGS_IF | EFLAGS_RF | EFLAGS_DF,
                   EFLAGS_IF | EFLAGS_RF | EFLAGS_DF);
    ck_assert_int_eq(CATCH(helper_sysenter(cpu)), -1);
    ck_assert_uint_eq(cpu->seg[SEG_CS].sel, 0x10);
    ck_assert_uint_eq(cpu->seg[SEG_SS].sel, 0x18);
    ck_assert_uint_eq(cpu->seg[SEG_CS].attr, 0xc09b);
    ck_assert_uint_eq(cpu->seg[SEG_SS].attr, 0xc093);
    ck_assert_uint_eq(cpu->seg[SEG_SS].base, 0);
    ck_assert_uint_eq(cpu->hflags & HF_CPL_MASK, 0);
    ck_assert_uint_eq(cpu->regs[R_ESP], 0x9000);
    ck_assert_uint_eq(cpu->eip, 0x4000);
    /* IF and RF cleared, DF kept */
    ck_assert_uint_eq(cpu_get_eflags(cpu) & (EFLAGS_IF | EFLAGS_RF | EFLAGS_DF),
                      EFLAGS_DF);

    /* from virtual-8086 mode: VM is cleared */
    cpu_set_eflags(cpu, EFLAGS_VM, EFLAGS_VM);
    ck_assert(cpu->hflags & HF_VM);
    ck_assert_int_eq(CATCH(helper_sysexit(cpu)), EXCP_GP);
    ck_assert_int_eq(CATCH(helper_sysenter(cpu)), -1);
    ck_assert(!(cpu->hflags & HF_VM));
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_VM, 0);
    ck_assert_uint_eq(cpu->hflags & HF_CPL_MASK, 0);
}
END_TEST

static Suite *msr_suite(void)
{
    Suite *s = suite_create("msr");
    TCase *tc = tcase_create("msrs and sysenter");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_values);
    tcase_add_test(tc, test_read_write);
    tcase_add_test(tc, test_gp);
    tcase_add_test(tc, test_sysenter_sysexit);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(msr_suite)
