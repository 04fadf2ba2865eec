/*
 * test_fpu.c - unit tests of the x87 model's machinery that the host
 * comparison (test_fpu_diff.c) cannot reach: #NM by CR0.EM/TS/MP (SDM 3A
 * Table 2-2), a pending error as #MF (CR0.NE) or FERR# with the wait and
 * IGNNE#, which instructions wait, the FSTENV layouts of 16-bit and
 * real-mode code, FXSAVE's alignment and its SSE part under CR4.OSFXSR,
 * FXRSTOR's MXCSR check, the control word's reserved bits, and an
 * unmasked #D on a load, where the SDM and the AMD host differ, and page
 * faults on x87 operands leaving the FPU unchanged. The
 * helpers are called directly on a CPU with RAM, as translated code
 * would call them.
 */
#include <check.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "softmmu/memory.h"
#include "tests/unit/unit.h"
#include "translator/x86/cpu.h"
#include "translator/x86/cpu_access.h"
#include "translator/x86/fpu_internal.h"
#include "translator/x86/helpers.h"

#define BUF 0x1000
/* FXSAVE/FXRSTOR through DS, 32-bit addresses */
#define FX_DS FPU_MODE(0, 0, true, true, SEG_DS)

static struct memory_map map;
static uint8_t *ram;
static struct cpu *cpu;
static int ferr_level, ferr_calls;

static void on_ferr(void *opaque, int level)
{
    (void)opaque;
    ferr_level = level;
    ferr_calls++;
}

static struct x87_state reset_state; /* as cpu_reset left it */

static void setup(void)
{
    memory_map_init(&map);
    ram = mem_add_ram(&map, "ram", 0, 1 << 16, NULL)->host;
    cpu = calloc(1, sizeof(*cpu));
    cpu->mmu.mem = &map;
    cpu_init(cpu);
    cpu_reset(cpu);
    reset_state = cpu->fpu;
    fpu_init(&cpu->fpu); /* the tests start from FNINIT's state */
    cpu->cr[0] = CR0_PE | CR0_ET | CR0_NE;
    for (int s = 0; s < SEG_COUNT; s++) {
        cpu->seg[s].base = 0;
        cpu->seg[s].limit = 0xffffffffu;
        cpu->seg[s].attr |= SEG_ATTR_DB | SEG_ATTR_G;
    }
    cpu->seg[SEG_CS].sel = 0x08;
    cpu_update_hflags(cpu);
    cpu_tlb_flush(cpu);
    ferr_level = ferr_calls = 0;
}

static void teardown(void)
{
    free(cpu);
    memory_map_destroy(&map);
}

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

/* register forms: escape D8-DF and ModRM */
static void reg(unsigned esc, unsigned modrm)
{
    helper_fpu_reg(cpu, (esc - 0xd8) << 8 | modrm, 0x100);
}
static void mem(unsigned esc, unsigned r, bool op32, uint32_t ea)
{
    helper_fpu_mem(cpu, FPU_MODE(esc - 0xd8, r << 3 | 6, op32, true, SEG_DS),
                   0x100, ea);
}

/* FLDZ; FLD1; FDIV ST(0), ST(1) (1 / 0) with ZE unmasked: ES set,
 * nothing else */
static void pending_zero_divide(void)
{
    ram[BUF] = 0x7b, ram[BUF + 1] = 0x03;
    mem(0xd9, 5, true, BUF); /* FLDCW 037B */
    reg(0xd9, 0xee);
    reg(0xd9, 0xe8);
    reg(0xd8, 0xf1);
}

START_TEST(test_nm)
{
    cpu->cr[0] |= CR0_EM;
    ck_assert_int_eq(CATCH(reg(0xd9, 0xe8)), EXCP_NM);
    ck_assert_int_eq(CATCH(reg(0xdb, 0xe3)), EXCP_NM); /* FNINIT too */
    ck_assert_int_eq(CATCH(helper_fwait(cpu)), -1);    /* WAIT: no */
    cpu->cr[0] &= ~CR0_EM;
    cpu->cr[0] |= CR0_TS;
    ck_assert_int_eq(CATCH(mem(0xd9, 7, true, BUF)), EXCP_NM);
    ck_assert_int_eq(CATCH(helper_fxsave(cpu, FX_DS, BUF)), EXCP_NM);
    ck_assert_int_eq(CATCH(helper_fwait(cpu)), -1); /* TS without MP */
    cpu->cr[0] |= CR0_MP;
    ck_assert_int_eq(CATCH(helper_fwait(cpu)), EXCP_NM);
    cpu->cr[0] &= ~(CR0_TS | CR0_MP);
    ck_assert_int_eq(CATCH(reg(0xd9, 0xe8)), -1);
    ck_assert_uint_eq(cpu->fpu.top, 7);
}
END_TEST

START_TEST(test_mf_at_waiting_instructions)
{
    pending_zero_divide();
    ck_assert_uint_eq(cpu->fpu.sw & (F80_ES | FPU_SW_B | F80_ZE),
                      F80_ES | FPU_SW_B | F80_ZE);
    ck_assert_uint_eq(cpu->fpu.top, 6); /* no pop, nothing written */
    /* the non-waiting forms go on */
    ck_assert_int_eq(CATCH(mem(0xdd, 7, true, BUF)), -1); /* FNSTSW */
    ck_assert_int_eq(CATCH(mem(0xd9, 7, true, BUF)), -1); /* FNSTCW */
    ck_assert_int_eq(CATCH(mem(0xd9, 6, true, BUF)), -1); /* FNSTENV */
    ck_assert_int_eq(CATCH(reg(0xdf, 0xe0)), -1);         /* FNSTSW AX */
    ck_assert_uint_eq(cpu->regs[R_EAX] & 0xffff, fpu_get_sw(&cpu->fpu));
    /* FNSTENV masked everything, but the error stays pending */
    ck_assert_uint_eq(cpu->fpu.cw & F80_EXC_MASK, F80_EXC_MASK);
    ck_assert_int_eq(CATCH(helper_fwait(cpu)), EXCP_MF);
    ck_assert_int_eq(CATCH(reg(0xd9, 0xe8)), EXCP_MF);
    ck_assert_int_eq(CATCH(mem(0xd9, 5, true, BUF)), EXCP_MF); /* FLDCW */
    ck_assert_uint_eq(cpu->fpu.top, 6);
    /* FXSAVE does not check */
    ck_assert_int_eq(CATCH(helper_fxsave(cpu, FX_DS, BUF)), -1);
    reg(0xdb, 0xe2); /* FNCLEX */
    ck_assert_int_eq(CATCH(helper_fwait(cpu)), -1);
}
END_TEST

START_TEST(test_es_follows_the_masks)
{
    /* a masked zero divide, then FLDCW unmasking it: ES */
    reg(0xd9, 0xee);
    reg(0xd9, 0xe8);
    reg(0xd8, 0xf1);
    ck_assert_uint_eq(cpu->fpu.sw & (F80_ES | F80_ZE), F80_ZE);
    ram[BUF] = 0x7b, ram[BUF + 1] = 0x03;
    mem(0xd9, 5, true, BUF);
    ck_assert_uint_eq(cpu->fpu.sw & (F80_ES | FPU_SW_B), F80_ES | FPU_SW_B);
    ram[BUF] = 0x7f;
    ck_assert_int_eq(CATCH(mem(0xd9, 5, true, BUF)), EXCP_MF); /* waits */
    reg(0xdb, 0xe2);
    mem(0xd9, 5, true, BUF);
    ck_assert_uint_eq(cpu->fpu.sw & F80_ES, 0);
    /* reserved control word bits */
    ram[BUF] = 0xff, ram[BUF + 1] = 0xff;
    mem(0xd9, 5, true, BUF);
    ck_assert_uint_eq(cpu->fpu.cw, 0x1f7f);
}
END_TEST

START_TEST(test_ferr_without_ne)
{
    cpu->cr[0] &= ~CR0_NE;
    cpu->ferr = on_ferr;
    pending_zero_divide();
    ck_assert_int_eq(ferr_calls, 0); /* deferred to the next waiting one */
    cpu->halted = 0;
    ck_assert_int_eq(CATCH(helper_fwait(cpu)), -1); /* left: the CPU waits */
    ck_assert_int_eq(ferr_level, 1);
    ck_assert_int_eq(cpu->halted, 1);
    ck_assert_int_eq(ferr_calls, 1);
    /* still frozen: no second edge */
    ck_assert_int_eq(CATCH(helper_fwait(cpu)), -1);
    ck_assert_int_eq(ferr_calls, 1);
    /* IGNNE#: the instruction goes on despite the error */
    cpu->halted = 0;
    cpu_fpu_set_ignne(cpu, true);
    ck_assert_int_eq(CATCH(reg(0xd9, 0xe8)), -1);
    ck_assert_int_eq(cpu->halted, 0);
    ck_assert_uint_eq(cpu->fpu.top, 5);
    /* FNCLEX: FERR# falls, and IGNNE# with it */
    reg(0xdb, 0xe2);
    ck_assert_int_eq(ferr_level, 0);
    ck_assert(!cpu->fpu.ignne);
    /* unwired (no board): the error is ignored */
    cpu->ferr = NULL;
    pending_zero_divide();
    ck_assert_int_eq(CATCH(helper_fwait(cpu)), -1);
    ck_assert_int_eq(cpu->halted, 0);
}
END_TEST

START_TEST(test_env_layouts)
{
    uint16_t w[7];
    uint32_t d[7];
    reg(0xd9, 0xe8); /* FLD1 at eip 0x100 */
    helper_fpu_mem(cpu, FPU_MODE(1, 0 << 3 | 6, true, true, SEG_DS), 0x104,
                   0x2222);
    /* FLD m32 at 0x104 from DS:2222 (zeros: +0) */
    cpu->seg[SEG_DS].sel = 0x10;
    /* 16-bit protected: 14 bytes, no opcode */
    mem(0xd9, 6, false, BUF);
    memcpy(w, ram + BUF, 14);
    ck_assert_uint_eq(w[0], 0x037f);
    ck_assert_uint_eq(w[1], 0x3000);
    ck_assert_uint_eq(w[2], 0x1fff); /* R7 valid, R6 zero */
    ck_assert_uint_eq(w[3], 0x0104);
    ck_assert_uint_eq(w[4], 0x0008);
    ck_assert_uint_eq(w[5], 0x2222);
    /* 32-bit protected: FCS with FOP, FFFF in the reserved halves */
    cpu->fpu.cw = 0x037f;
    mem(0xd9, 6, true, BUF);
    memcpy(d, ram + BUF, 28);
    ck_assert_uint_eq(d[0], 0xffff037fu);
    ck_assert_uint_eq(d[4], 0x01060008u); /* FOP D9 06: 106 */
    ck_assert_uint_eq(d[5], 0x2222);
    /* real mode, 32-bit form: pointers are linear, split around FOP */
    cpu->cr[0] &= ~CR0_PE;
    cpu->fpu.fcs = 0x1234;
    cpu->fpu.fip = 0x0104;
    cpu->fpu.cw = 0x037f;
    mem(0xd9, 6, true, BUF);
    memcpy(d, ram + BUF, 28);
    ck_assert_uint_eq(d[3] & 0xffff, (0x12340 + 0x104) & 0xffff);
    ck_assert_uint_eq(d[4], (0x12340u + 0x104) >> 16 << 12 | 0x106);
    /* FLDENV of it gives the same pointers back */
    cpu->fpu.cw = 0x037f;
    mem(0xd9, 4, true, BUF);
    ck_assert_uint_eq(cpu->fpu.fip, 0x12340 + 0x104);
    ck_assert_uint_eq(cpu->fpu.fop, 0x106);
}
END_TEST

START_TEST(test_fxsave)
{
    ck_assert_int_eq(CATCH(helper_fxsave(cpu, FX_DS, BUF + 8)), EXCP_GP);
    ck_assert_int_eq(CATCH(helper_fxrstor(cpu, FX_DS, BUF + 4)), EXCP_GP);
    reg(0xd9, 0xe8);
    memset(ram + BUF, 0xee, 512);
    helper_fxsave(cpu, FX_DS, BUF);
    ck_assert_uint_eq(ram[BUF + 4], 0x80);   /* abridged tag: R7 */
    ck_assert_uint_eq(ram[BUF + 24], 0xee);  /* no OSFXSR: MXCSR not stored */
    ck_assert_uint_eq(ram[BUF + 160], 0xee); /* no XMM area */
    cpu->cr[4] |= CR4_OSFXSR;
    helper_fxsave(cpu, FX_DS, BUF);
    uint32_t mx, mask;
    memcpy(&mx, ram + BUF + 24, 4);
    memcpy(&mask, ram + BUF + 28, 4);
    ck_assert_uint_eq(mx, 0x1f80);
    ck_assert_uint_eq(mask, FPU_MXCSR_MASK);
    /* a reserved MXCSR bit: #GP(0), nothing loaded */
    mx = 0x10000;
    memcpy(ram + BUF + 24, &mx, 4);
    reg(0xdb, 0xe3);
    ck_assert_int_eq(CATCH(helper_fxrstor(cpu, FX_DS, BUF)), EXCP_GP);
    ck_assert_uint_eq(cpu->fpu.valid, 0);
    mx = 0x1f00;
    memcpy(ram + BUF + 24, &mx, 4);
    helper_fxrstor(cpu, FX_DS, BUF);
    ck_assert_uint_eq(cpu->fpu.valid, 0x80);
    ck_assert_uint_eq(cpu->fpu.mxcsr, 0x1f00);
    ck_assert_uint_eq(cpu->fpu.regs[7].se, 0x3fff);
}
END_TEST

/* SDM vol. 1 8.5.2: an unmasked #D on a load keeps TOP; masked, the
 * denormal single is loaded normalized. */
START_TEST(test_unmasked_denormal_load)
{
    uint32_t den = 0x00000001u;
    memcpy(ram + BUF + 16, &den, 4);
    ram[BUF] = 0x7d, ram[BUF + 1] = 0x03; /* DM clear */
    mem(0xd9, 5, true, BUF);
    mem(0xd9, 0, true, BUF + 16); /* FLD m32 */
    ck_assert_uint_eq(cpu->fpu.top, 0);
    ck_assert_uint_eq(cpu->fpu.valid, 0);
    ck_assert_uint_eq(cpu->fpu.sw & (F80_DE | F80_ES), F80_DE | F80_ES);
    reg(0xdb, 0xe3); /* FNINIT: all masked */
    mem(0xd9, 0, true, BUF + 16);
    ck_assert_uint_eq(cpu->fpu.top, 7);
    ck_assert_uint_eq(cpu->fpu.regs[7].se, 0x3f6a);
    ck_assert_uint_eq(cpu->fpu.sw & (F80_DE | F80_ES), F80_DE);
}
END_TEST

/* Paging on, pages 0-15 identity-mapped but page 5 not present: x87
 * accesses that fault there leave the FPU as it was (the operand is read
 * before anything changes, and stores go first, far end first). */
static void page5_absent(void)
{
    uint32_t pde = 0x0c000 | 3, pte;
    memcpy(ram + 0x0b000, &pde, 4);
    for (uint32_t p = 0; p < 16; p++) {
        pte = p << 12 | (p == 5 ? 0 : 3);
        memcpy(ram + 0x0c000 + 4 * p, &pte, 4);
    }
    cpu->cr[3] = 0x0b000;
    cpu->cr[0] |= CR0_PG;
    cpu_tlb_flush(cpu);
}

START_TEST(test_page_faults_restart)
{
    page5_absent();
    reg(0xd9, 0xe8); /* FLD1 */
    reg(0xd9, 0xee); /* FLDZ */
    memset(ram + 0x4ff0, 0xaa, 16);
    /* FSTP m80 at 0x4ffa: bytes 0-5 present, 6-9 on page 5 */
    ck_assert_int_eq(CATCH(mem(0xdb, 7, true, 0x4ffa)), EXCP_PF);
    ck_assert_uint_eq(cpu->fpu.top, 6);
    ck_assert_uint_eq(cpu->fpu.valid, 0xc0);
    for (int i = 0; i < 16; i++)
        ck_assert_uint_eq(ram[0x4ff0 + i], 0xaa);
    /* FLD m80 from page 5; FNSAVE across it; FIADD m32 from it */
    ck_assert_int_eq(CATCH(mem(0xdb, 5, true, 0x5000)), EXCP_PF);
    ck_assert_int_eq(CATCH(mem(0xdd, 6, true, 0x4fc0)), EXCP_PF);
    ck_assert_int_eq(CATCH(mem(0xda, 0, true, 0x5004)), EXCP_PF);
    ck_assert_uint_eq(cpu->fpu.top, 6); /* FNSAVE did not reinitialize */
    ck_assert_uint_eq(cpu->fpu.valid, 0xc0);
    ck_assert_uint_eq(cpu->fpu.regs[6].se, 0);
    ck_assert_uint_eq(cpu->fpu.regs[7].se, 0x3fff);
    ck_assert_uint_eq(cpu->cr[2], 0x5004); /* the FIADD operand */
}
END_TEST

/* Power-on/RESET is not FNINIT (SDM 3A 9.2, Table 9-1): CW 0040, SW 0,
 * tag word 5555 (every register +0.0), pointers 0; FNSTENV shows it. */
START_TEST(test_reset_state)
{
    struct x87_state f = reset_state;
    ck_assert_uint_eq(f.cw, 0x0040);
    ck_assert_uint_eq(fpu_get_sw(&f), 0);
    ck_assert_uint_eq(f.valid, 0xff);
    for (int i = 0; i < 8; i++) {
        ck_assert_uint_eq(f.regs[i].se, 0);
        ck_assert_uint_eq(f.regs[i].mant, 0);
    }
    ck_assert_uint_eq(f.mxcsr, 0x1f80);
    cpu->fpu = f;
    memset(ram + BUF, 0xee, 28);
    mem(0xd9, 6, true, BUF); /* FNSTENV m28 */
    ck_assert_uint_eq(ram[BUF] | ram[BUF + 1] << 8, 0x0040);
    ck_assert_uint_eq(ram[BUF + 4] | ram[BUF + 5] << 8, 0);
    ck_assert_uint_eq(ram[BUF + 8] | ram[BUF + 9] << 8, 0x5555);
    for (int k = 12; k < 28; k += 4)
        ck_assert_uint_eq(ram[BUF + k] | ram[BUF + k + 1] << 8, 0);
}
END_TEST

static Suite *fpu_suite(void)
{
    Suite *s = suite_create("fpu");
    TCase *tc = tcase_create("model");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_state);
    tcase_add_test(tc, test_nm);
    tcase_add_test(tc, test_mf_at_waiting_instructions);
    tcase_add_test(tc, test_es_follows_the_masks);
    tcase_add_test(tc, test_ferr_without_ne);
    tcase_add_test(tc, test_env_layouts);
    tcase_add_test(tc, test_fxsave);
    tcase_add_test(tc, test_unmasked_denormal_load);
    tcase_add_test(tc, test_page_faults_restart);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(fpu_suite)
