/*
 * test_seg.c - unit tests of the system helpers (translator/seg.c and
 * translator/sys.c) called directly on a CPU with 1 MiB of RAM: segment
 * loads and their faults, far transfers, interrupt delivery through the
 * IVT and the IDT (including the TSS stack switch from ring 3), IRET,
 * descriptor-table instructions, selector tests, CPUID and the I/O
 * permission bitmap. A raised exception is caught at cpu->jmp_env.
 */
#include <check.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "translator/x86/cpu_access.h"
#include "softmmu/ldst.h"
#include "softmmu/memory.h"
#include "tests/unit/unit.h"
#include "translator/x86/cpu.h"
#include "translator/x86/helpers.h"
#include "translator/x86/sys.h"

#define GDT 0x1000
#define IDT 0x2000
#define TSS 0x3000
#define LDT 0x4000
#define STACK0 0x9000
#define STACK3 0x8000

/* Selectors of the test GDT. */
enum {
    S_CODE32 = 0x08,
    S_DATA32 = 0x10,
    S_DATA_DPL3 = 0x18,
    S_CODE16 = 0x20,
    S_DATA_NP = 0x28,
    S_CONFORM = 0x30,
    S_XONLY = 0x38,
    S_LDT = 0x40,
    S_TSS = 0x48,
    S_CALLGATE = 0x50,
    S_CODE3 = 0x58,
    S_DATA16 = 0x60,
    S_TSS2 = 0x68,
    S_TASKGATE = 0x70,
    S_STACKDN = 0x78,
    S_GDT_END = 0x80,
};
#define TSS2 0x3800

static struct memory_map map;
static struct cpu *cpu;
static uint8_t *ram;

static void wr32(uint32_t a, uint32_t v) { st_le_p(ram + a, v, 4); }
static void wr16(uint32_t a, uint32_t v) { st_le_p(ram + a, v, 2); }
static uint32_t rd32(uint32_t a) { return (uint32_t)ld_le_p(ram + a, 4); }
static uint32_t rd16(uint32_t a) { return (uint32_t)ld_le_p(ram + a, 2); }

/* A code/data/system descriptor: access = P DPL S type byte, flags = G DB
 * nibble (0xc: 4 KiB granularity, 32-bit). */
static void set_desc(uint32_t table, uint32_t sel, uint32_t base,
                     uint32_t limit, uint8_t access, uint8_t flags)
{
    uint32_t lo = (limit & 0xffff) | (base & 0xffff) << 16;
    uint32_t hi = ((base >> 16) & 0xff) | (uint32_t)access << 8 |
                  (limit & 0xf0000) | (uint32_t)(flags & 0xf) << 20 |
                  (base & 0xff000000u);
    wr32(table + (sel & ~7u), lo);
    wr32(table + (sel & ~7u) + 4, hi);
}

static void set_gate(uint32_t vec, uint32_t sel, uint32_t off, uint8_t access)
{
    wr32(IDT + vec * 8, (off & 0xffff) | sel << 16);
    wr32(IDT + vec * 8 + 4, (off & 0xffff0000u) | (uint32_t)access << 8);
}

static void setup(void)
{
    memory_map_init(&map);
    ram = mem_add_ram(&map, "ram", 0, 1 << 20, NULL)->host;
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

/* Flat 32-bit protected mode at ring 0, as Multiboot leaves it. */
static void enter_prot(void)
{
    memset(ram + GDT, 0, 0x100);
    memset(ram + TSS, 0, 0x1000);
    set_desc(GDT, S_CODE32, 0, 0xfffff, 0x9a, 0xc);
    set_desc(GDT, S_DATA32, 0, 0xfffff, 0x92, 0xc);
    set_desc(GDT, S_DATA_DPL3, 0, 0xfffff, 0xf2, 0xc);
    set_desc(GDT, S_CODE16, 0x10000, 0xffff, 0x9a, 0x0);
    set_desc(GDT, S_DATA_NP, 0, 0xfffff, 0x12, 0xc);
    set_desc(GDT, S_CONFORM, 0, 0xfffff, 0x9e, 0xc);
    set_desc(GDT, S_XONLY, 0, 0xfffff, 0x98, 0xc);
    set_desc(GDT, S_LDT, LDT, 0x1f, 0x82, 0x0);
    set_desc(GDT, S_TSS, TSS, 0x67 + 0x20, 0x89, 0x0);
    set_desc(GDT, S_CODE3, 0, 0xfffff, 0xfa, 0xc);
    set_desc(GDT, S_DATA16, 0x20000, 0xffff, 0x92, 0x0);
    set_desc(GDT, S_TSS2, TSS2, 0x67, 0x89, 0x0);
    /* expand-down 32-bit stack: offsets 0x1000..0xffffffff */
    set_desc(GDT, S_STACKDN, 0, 0x0fff, 0x96, 0x4);
    /* task gate to S_TSS, DPL 0 */
    wr32(GDT + S_TASKGATE, (uint32_t)S_TSS << 16);
    wr32(GDT + S_TASKGATE + 4, 0x8500);
    /* call gate to S_CODE32:0x5000, DPL 3 */
    wr32(GDT + S_CALLGATE, 0x5000 | (uint32_t)S_CODE32 << 16);
    wr32(GDT + S_CALLGATE + 4, 0xec00);
    cpu->gdt.base = GDT;
    cpu->gdt.limit = S_GDT_END - 1;
    cpu->idt.base = IDT;
    cpu->idt.limit = 0x7ff;
    cpu->cr[0] |= CR0_PE;
    cpu_update_hflags(cpu);
    helper_ljmp(cpu, S_CODE32, 0x100000, 0);
    for (int s = SEG_ES; s < SEG_COUNT; s++)
        if (s != SEG_CS)
            helper_load_seg(cpu, (uint32_t)s, S_DATA32);
    cpu->regs[R_ESP] = STACK0;
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

START_TEST(test_real_mode_load)
{
    helper_load_seg(cpu, SEG_DS, 0x1234);
    ck_assert_uint_eq(cpu->seg[SEG_DS].base, 0x12340);
    ck_assert_uint_eq(cpu->seg[SEG_DS].sel, 0x1234);
    helper_ljmp(cpu, 0x2000, 0x10, 0);
    ck_assert_uint_eq(cpu->seg[SEG_CS].base, 0x20000);
    ck_assert_uint_eq(cpu->eip, 0x10);
    /* A 32-bit offset past the 64 KiB limit: #GP(0), nothing changed. */
    ck_assert_int_eq(CATCH(helper_ljmp(cpu, 0x3000, 0x10000, 0)), EXCP_GP);
    ck_assert_uint_eq(cpu->seg[SEG_CS].sel, 0x2000);
}
END_TEST

START_TEST(test_prot_load_ok)
{
    enter_prot();
    ck_assert_uint_eq(cpu->hflags & (HF_PE | HF_CS32 | HF_SS32),
                      HF_PE | HF_CS32 | HF_SS32);
    ck_assert_uint_eq(cpu->seg[SEG_DS].limit, 0xffffffffu);
    ck_assert_uint_eq(cpu->seg[SEG_DS].attr, 0xc093); /* accessed now */
    ck_assert_uint_eq(rd32(GDT + S_DATA32 + 4) & 0x100, 0x100);
    helper_load_seg(cpu, SEG_ES, S_DATA16);
    ck_assert_uint_eq(cpu->seg[SEG_ES].base, 0x20000);
    ck_assert_uint_eq(cpu->seg[SEG_ES].limit, 0xffff);
    ck_assert(cpu->hflags & HF_ADDSEG);
    /* Readable conforming code may go in a data segment register. */
    helper_load_seg(cpu, SEG_FS, S_CONFORM);
    /* A null selector loads into DS..GS. */
    helper_load_seg(cpu, SEG_GS, 0);
    ck_assert_uint_eq(cpu->seg[SEG_GS].attr & SEG_ATTR_P, 0);
}
END_TEST

START_TEST(test_prot_load_faults)
{
    enter_prot();
    ck_assert_int_eq(CATCH(helper_load_seg(cpu, SEG_SS, 0)), EXCP_GP);
    ck_assert_int_eq(cpu->error_code, 0);
    ck_assert_int_eq(CATCH(helper_load_seg(cpu, SEG_DS, S_DATA_NP)), EXCP_NP);
    ck_assert_int_eq(cpu->error_code, S_DATA_NP);
    ck_assert_int_eq(CATCH(helper_load_seg(cpu, SEG_DS, 0x1233)), EXCP_GP);
    ck_assert_int_eq(cpu->error_code, 0x1230);
    ck_assert_int_eq(CATCH(helper_load_seg(cpu, SEG_DS, S_XONLY)), EXCP_GP);
    ck_assert_int_eq(cpu->error_code, S_XONLY);
    ck_assert_int_eq(CATCH(helper_load_seg(cpu, SEG_SS, S_DATA_DPL3)), EXCP_GP);
    ck_assert_int_eq(CATCH(helper_load_seg(cpu, SEG_SS, S_CODE32)), EXCP_GP);
    ck_assert_int_eq(CATCH(helper_load_seg(cpu, SEG_DS, S_LDT)), EXCP_GP);
    ck_assert_int_eq(cpu->error_code, S_LDT);
    /* The registers are unchanged after a fault. */
    ck_assert_uint_eq(cpu->seg[SEG_DS].sel, S_DATA32);
    ck_assert_uint_eq(cpu->seg[SEG_SS].sel, S_DATA32);
}
END_TEST

START_TEST(test_far_jmp_call_ret)
{
    enter_prot();
    helper_ljmp(cpu, S_CODE16, 0x100, 0);
    ck_assert_uint_eq(cpu->seg[SEG_CS].base, 0x10000);
    ck_assert_uint_eq(cpu->hflags & HF_CS32, 0);
    ck_assert_uint_eq(cpu->eip, 0x100);
    /* 16-bit far call: pushes CS and IP as words. */
    helper_lcall(cpu, S_CODE32, 0x4000, 2, 0x105);
    ck_assert_uint_eq(cpu->regs[R_ESP], STACK0 - 4);
    ck_assert_uint_eq(rd16(STACK0 - 2), S_CODE16);
    ck_assert_uint_eq(rd16(STACK0 - 4), 0x105);
    ck_assert(cpu->hflags & HF_CS32);
    helper_lret(cpu, 2, 0);
    ck_assert_uint_eq(cpu->seg[SEG_CS].sel, S_CODE16);
    ck_assert_uint_eq(cpu->eip, 0x105);
    ck_assert_uint_eq(cpu->regs[R_ESP], STACK0);
    /* 32-bit far call and RET imm16. */
    helper_lcall(cpu, S_CODE32, 0x4000, 4, 0x108);
    ck_assert_uint_eq(rd32(STACK0 - 4), S_CODE16);
    ck_assert_uint_eq(rd32(STACK0 - 8), 0x108);
    helper_lret(cpu, 4, 12);
    ck_assert_uint_eq(cpu->regs[R_ESP], STACK0 + 12);
    /* Beyond the limit of the 16-bit segment: #GP(0), nothing changed. */
    ck_assert_int_eq(CATCH(helper_ljmp(cpu, S_CODE16, 0x10000, 0)), EXCP_GP);
    ck_assert_int_eq(cpu->error_code, 0);
    ck_assert_uint_eq(cpu->seg[SEG_CS].sel, S_CODE16);
    /* To a data segment: #GP(sel). */
    ck_assert_int_eq(CATCH(helper_ljmp(cpu, S_DATA32, 0, 0)), EXCP_GP);
    ck_assert_int_eq(cpu->error_code, S_DATA32);
    /* Through a call gate (same privilege). */
    helper_lcall(cpu, S_CALLGATE, 0, 2, 0x10a);
    ck_assert_uint_eq(cpu->seg[SEG_CS].sel, S_CODE32);
    ck_assert_uint_eq(cpu->eip, 0x5000);
    ck_assert_uint_eq(rd32(STACK0 + 12 - 8), 0x10a); /* gate is 32-bit */
}
END_TEST

START_TEST(test_real_mode_interrupt)
{
    /* Real mode, IVT at 0: vector 0x21 -> 1234:5678. */
    wr32(0x21 * 4, 0x12345678);
    cpu->seg[SEG_SS].base = 0;
    cpu->seg[SEG_SS].sel = 0;
    cpu->regs[R_ESP] = 0x7c00;
    cpu->eip = 0x100;
    cpu_set_eflags(cpu, EFLAGS_IF | EFLAGS_CF, EFLAGS_IF | EFLAGS_CF);
    do_interrupt(cpu, 0x21, true, 0, false, 0x102);
    ck_assert_uint_eq(cpu->seg[SEG_CS].sel, 0x1234);
    ck_assert_uint_eq(cpu->seg[SEG_CS].base, 0x12340);
    ck_assert_uint_eq(cpu->eip, 0x5678);
    ck_assert_uint_eq(cpu->regs[R_ESP], 0x7c00 - 6);
    ck_assert_uint_eq(rd16(0x7c00 - 6), 0x102);
    ck_assert_uint_eq(rd16(0x7c00 - 4), 0xf000);
    ck_assert_uint_eq(rd16(0x7c00 - 2) & 0x201, 0x201);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_IF, 0);
    helper_iret(cpu, 2, 0);
    ck_assert_uint_eq(cpu->seg[SEG_CS].sel, 0xf000);
    ck_assert_uint_eq(cpu->eip, 0x102);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & 0x201, 0x201);
    ck_assert_uint_eq(cpu->regs[R_ESP], 0x7c00);
}
END_TEST

START_TEST(test_prot_interrupt_gates)
{
    enter_prot();
    set_gate(0x0d, S_CODE32, 0x123456, 0x8e); /* interrupt gate */
    set_gate(0x80, S_CODE32, 0x200000, 0x8f); /* trap gate, DPL 0 */
    cpu->eip = 0x100010;
    cpu_set_eflags(cpu, EFLAGS_IF, EFLAGS_IF);
    /* #GP with an error code through an interrupt gate. */
    do_interrupt(cpu, EXCP_GP, false, 0x18, true, 0);
    ck_assert_uint_eq(cpu->eip, 0x123456);
    ck_assert_uint_eq(cpu->regs[R_ESP], STACK0 - 16);
    ck_assert_uint_eq(rd32(STACK0 - 16), 0x18);     /* error code */
    ck_assert_uint_eq(rd32(STACK0 - 12), 0x100010); /* faulting EIP */
    ck_assert_uint_eq(rd32(STACK0 - 8), S_CODE32);
    ck_assert_uint_eq(rd32(STACK0 - 4) & EFLAGS_IF, EFLAGS_IF);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_IF, 0);
    /* The handler pops the error code and returns. */
    cpu->regs[R_ESP] += 4;
    helper_iret(cpu, 4, 0);
    ck_assert_uint_eq(cpu->eip, 0x100010);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_IF, EFLAGS_IF);
    ck_assert_uint_eq(cpu->regs[R_ESP], STACK0);
    /* INT 0x80 through a trap gate keeps IF, returns to next_eip. */
    do_interrupt(cpu, 0x80, true, 0, false, 0x100012);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_IF, EFLAGS_IF);
    ck_assert_uint_eq(rd32(STACK0 - 12), 0x100012);
    helper_iret(cpu, 4, 0);
    /* Beyond the IDT limit: #GP(vec*8+2+EXT). */
    cpu->idt.limit = 0x7f;
    ck_assert_int_eq(CATCH(do_interrupt(cpu, 0x20, false, 0, false, 0)),
                     EXCP_GP);
    ck_assert_int_eq(cpu->error_code, 0x20 * 8 + 3);
    ck_assert_int_eq(CATCH(do_interrupt(cpu, 0x20, true, 0, false, 0)),
                     EXCP_GP);
    ck_assert_int_eq(cpu->error_code, 0x20 * 8 + 2);
    cpu->idt.limit = 0x7ff;
    /* Not present: #NP. */
    set_gate(0x30, S_CODE32, 0x1000, 0x0e);
    ck_assert_int_eq(CATCH(do_interrupt(cpu, 0x30, false, 0, false, 0)),
                     EXCP_NP);
    ck_assert_int_eq(cpu->error_code, 0x30 * 8 + 3);
    ck_assert_uint_eq(cpu->regs[R_ESP], STACK0);
}
END_TEST

START_TEST(test_ring3_interrupt_and_return)
{
    enter_prot();
    /* TSS: ring 0 stack S_DATA32:STACK0. */
    wr32(TSS + 4, STACK0);
    wr32(TSS + 8, S_DATA32);
    helper_ltr(cpu, S_TSS);
    ck_assert_uint_eq((rd32(GDT + S_TSS + 4) >> 8) & 0xf, 0xb); /* busy */
    set_gate(0x80, S_CODE32, 0x200000, 0xee); /* interrupt gate, DPL 3 */
    set_gate(0x81, S_CODE32, 0x200000, 0x8e); /* DPL 0 */
    /* Drop to ring 3 with IRET. */
    wr32(STACK0 - 20, 0x400000);
    wr32(STACK0 - 16, S_CODE3 | 3);
    wr32(STACK0 - 12, EFLAGS_IF | EFLAGS_FIXED);
    wr32(STACK0 - 8, STACK3);
    wr32(STACK0 - 4, S_DATA_DPL3 | 3);
    cpu->regs[R_ESP] = STACK0 - 20;
    helper_iret(cpu, 4, 0);
    ck_assert_uint_eq(cpu->hflags & HF_CPL_MASK, 3);
    ck_assert_uint_eq(cpu->regs[R_ESP], STACK3);
    ck_assert_uint_eq(cpu->seg[SEG_SS].sel, S_DATA_DPL3 | 3);
    /* DS held a DPL 0 segment: nulled on the way out. */
    ck_assert_uint_eq(cpu->seg[SEG_DS].sel, 0);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_IF, EFLAGS_IF);
    /* INT to a DPL 0 gate from ring 3: #GP(vec*8+2). */
    ck_assert_int_eq(CATCH(do_interrupt(cpu, 0x81, true, 0, false, 0)),
                     EXCP_GP);
    ck_assert_int_eq(cpu->error_code, 0x81 * 8 + 2);
    /* Privileged instructions fault at ring 3. */
    ck_assert_int_eq(CATCH(helper_hlt(cpu, 0)), EXCP_GP);
    ck_assert_int_eq(CATCH(helper_write_cr(cpu, 3, 0)), EXCP_GP);
    /* INT 0x80: switch to the TSS stack and push SS, ESP too. */
    do_interrupt(cpu, 0x80, true, 0, false, 0x400002);
    ck_assert_uint_eq(cpu->hflags & HF_CPL_MASK, 0);
    ck_assert_uint_eq(cpu->seg[SEG_SS].sel, S_DATA32);
    ck_assert_uint_eq(cpu->regs[R_ESP], STACK0 - 20);
    ck_assert_uint_eq(rd32(STACK0 - 4), S_DATA_DPL3 | 3);
    ck_assert_uint_eq(rd32(STACK0 - 8), STACK3);
    ck_assert_uint_eq(rd32(STACK0 - 16), S_CODE3 | 3);
    ck_assert_uint_eq(rd32(STACK0 - 20), 0x400002);
    helper_iret(cpu, 4, 0);
    ck_assert_uint_eq(cpu->hflags & HF_CPL_MASK, 3);
    ck_assert_uint_eq(cpu->eip, 0x400002);
    ck_assert_uint_eq(cpu->regs[R_ESP], STACK3);
    /* Ring 3 through the DPL 3 call gate to ring 0 and back. */
    helper_lcall(cpu, S_CALLGATE | 3, 0, 4, 0x400009);
    ck_assert_uint_eq(cpu->hflags & HF_CPL_MASK, 0);
    ck_assert_uint_eq(cpu->eip, 0x5000);
    helper_lret(cpu, 4, 0);
    ck_assert_uint_eq(cpu->hflags & HF_CPL_MASK, 3);
    ck_assert_uint_eq(cpu->eip, 0x400009);
    ck_assert_uint_eq(cpu->regs[R_ESP], STACK3);
}
END_TEST

START_TEST(test_task_switch)
{
    enter_prot();
    helper_ltr(cpu, S_TSS);
    /* Task B: flat ring 0 at 0x600000 with its own registers. */
    wr32(TSS2 + 0x20, 0x600000);
    wr32(TSS2 + 0x24, EFLAGS_FIXED);
    wr32(TSS2 + 0x28, 0x1111);
    wr32(TSS2 + 0x38, 0x7000);
    for (int i = 0; i < 6; i++)
        wr32(TSS2 + 0x48 + 4 * (uint32_t)i, i == SEG_CS ? S_CODE32 : S_DATA32);
    cpu->regs[R_EAX] = 0xaaaa;

    /* JMP to TSS B: A is saved and released, B becomes busy. */
    helper_ljmp(cpu, S_TSS2, 0, 0x100123);
    ck_assert_uint_eq(cpu->eip, 0x600000);
    ck_assert_uint_eq(cpu->regs[R_EAX], 0x1111);
    ck_assert_uint_eq(cpu->regs[R_ESP], 0x7000);
    ck_assert_uint_eq(cpu->tr.sel, S_TSS2);
    ck_assert_uint_eq(cpu->cr[0] & CR0_TS, CR0_TS);
    ck_assert_uint_eq(rd32(TSS + 0x20), 0x100123);
    ck_assert_uint_eq(rd32(TSS + 0x28), 0xaaaa);
    ck_assert_uint_eq(rd32(TSS + 0x4c), S_CODE32);
    ck_assert_uint_eq((rd32(GDT + S_TSS + 4) >> 8) & 0xf, 0x9);
    ck_assert_uint_eq((rd32(GDT + S_TSS2 + 4) >> 8) & 0xf, 0xb);
    ck_assert(cpu->hflags & HF_CS32);

    /* CALL through a task gate back to A: nested, NT and the link set. */
    helper_lcall(cpu, S_TASKGATE, 0, 4, 0x600005);
    ck_assert_uint_eq(cpu->eip, 0x100123);
    ck_assert_uint_eq(cpu->regs[R_EAX], 0xaaaa);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_NT, EFLAGS_NT);
    ck_assert_uint_eq(rd16(TSS), S_TSS2);
    ck_assert_uint_eq(rd32(TSS2 + 0x20), 0x600005);
    ck_assert_uint_eq((rd32(GDT + S_TSS2 + 4) >> 8) & 0xf, 0xb);

    /* IRET with NT returns to B and releases A. */
    helper_iret(cpu, 4, 0x100130);
    ck_assert_uint_eq(cpu->tr.sel, S_TSS2);
    ck_assert_uint_eq(cpu->eip, 0x600005);
    ck_assert_uint_eq(rd32(TSS + 0x20), 0x100130);
    ck_assert_uint_eq(rd32(TSS + 0x24) & EFLAGS_NT, 0);
    ck_assert_uint_eq((rd32(GDT + S_TSS + 4) >> 8) & 0xf, 0x9);

    /* A JMP to a busy TSS is #GP(sel). */
    ck_assert_int_eq(CATCH(helper_ljmp(cpu, S_TSS2, 0, 0)), EXCP_GP);
    ck_assert_int_eq(cpu->error_code, S_TSS2);

    /* #DF through a task gate in the IDT: the error code lands on the
     * new task's stack. */
    wr32(IDT + 8 * 8, (uint32_t)S_TSS << 16);
    wr32(IDT + 8 * 8 + 4, 0x8500);
    wr32(TSS + 0x38, STACK0);
    do_interrupt(cpu, EXCP_DF, false, 0, true, 0);
    ck_assert_uint_eq(cpu->tr.sel, S_TSS);
    ck_assert_uint_eq(cpu->eip, 0x100130);
    ck_assert_uint_eq(cpu->regs[R_ESP], STACK0 - 4);
    ck_assert_uint_eq(rd16(TSS), S_TSS2);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_NT, EFLAGS_NT);

    /* IRET back to B, whose TSS has the debug trap bit: #DB at its EIP. */
    wr16(TSS2 + 0x64, 1);
    ck_assert_int_eq(CATCH(helper_iret(cpu, 4, 0x100140)), EXCP_DB);
    ck_assert_uint_eq(cpu->tr.sel, S_TSS2);
    ck_assert_uint_eq(cpu->eip, 0x600005);
    ck_assert_uint_eq(cpu->dr[6] & 0x8000, 0x8000);
}
END_TEST

START_TEST(test_vm86_round_trip)
{
    enter_prot();
    wr32(TSS + 4, STACK0);
    wr32(TSS + 8, S_DATA32);
    helper_ltr(cpu, S_TSS);
    set_gate(0x20, S_CODE32, 0x200000, 0x8e);
    /* IRET from ring 0 with VM set: EIP CS EFLAGS ESP SS ES DS FS GS. */
    static const uint32_t frame[9] = {
        0x0100, 0x1000, EFLAGS_VM | EFLAGS_IF | EFLAGS_FIXED,
        0xfffe, 0x2000, 0x3000,
        0x4000, 0x5000, 0x6000,
    };
    for (int i = 0; i < 9; i++)
        wr32(STACK0 - 36 + 4 * (uint32_t)i, frame[i]);
    cpu->regs[R_ESP] = STACK0 - 36;
    helper_iret(cpu, 4, 0);
    ck_assert(cpu->hflags & HF_VM);
    ck_assert_uint_eq(cpu->hflags & HF_CPL_MASK, 3);
    ck_assert_uint_eq(cpu->seg[SEG_CS].base, 0x10000);
    ck_assert_uint_eq(cpu->seg[SEG_SS].base, 0x20000);
    ck_assert_uint_eq(cpu->seg[SEG_GS].base, 0x60000);
    ck_assert_uint_eq(cpu->eip, 0x100);
    ck_assert_uint_eq(cpu->regs[R_ESP], 0xfffe);
    /* IOPL is part of hflags in protected mode (the translator decides
     * the I/O bitmap check and INT n's #GP(0) from it). */
    ck_assert_uint_eq(cpu->hflags & HF_IOPL_MASK, 0);
    /* A software interrupt through a gate of DPL 0 from CPL 3: #GP with
     * the IDT bit (INT3 and INTO reach this with any IOPL; INT n with
     * IOPL < 3 never does, the translator raises #GP(0) for it). */
    ck_assert_int_eq(CATCH(do_interrupt(cpu, 0x20, true, 0, false, 0x102)),
                     EXCP_GP);
    ck_assert_int_eq(cpu->error_code, 0x20 * 8 + 2);
    /* A gate of DPL 3 to a ring-3 code segment: #GP(selector), with EXT
     * for an external event. */
    set_gate(0x21, S_CODE3, 0x200000, 0xee);
    ck_assert_int_eq(CATCH(do_interrupt(cpu, 0x21, true, 0, false, 0x102)),
                     EXCP_GP);
    ck_assert_int_eq(cpu->error_code, S_CODE3);
    ck_assert_int_eq(CATCH(do_interrupt(cpu, 0x21, false, 0, false, 0)),
                     EXCP_GP);
    ck_assert_int_eq(cpu->error_code, S_CODE3 | 1);
    /* and to a conforming one */
    set_gate(0x21, S_CONFORM, 0x200000, 0xee);
    ck_assert_int_eq(CATCH(do_interrupt(cpu, 0x21, true, 0, false, 0x102)),
                     EXCP_GP);
    ck_assert_int_eq(cpu->error_code, S_CONFORM);
    ck_assert(cpu->hflags & HF_VM);
    ck_assert_uint_eq(cpu->eip, 0x100);
    /* A hardware interrupt goes to ring 0 and saves the VM86 segments. */
    do_interrupt(cpu, 0x20, false, 0, false, 0);
    ck_assert_uint_eq(cpu->hflags & (HF_VM | HF_CPL_MASK), 0);
    ck_assert_uint_eq(cpu->regs[R_ESP], STACK0 - 36);
    ck_assert_uint_eq(rd32(STACK0 - 4), 0x6000);  /* GS */
    ck_assert_uint_eq(rd32(STACK0 - 16), 0x3000); /* ES */
    ck_assert_uint_eq(rd32(STACK0 - 20), 0x2000); /* SS */
    ck_assert_uint_eq(rd32(STACK0 - 24), 0xfffe); /* ESP */
    ck_assert_uint_eq(rd32(STACK0 - 28) & EFLAGS_VM, EFLAGS_VM);
    ck_assert_uint_eq(rd32(STACK0 - 36), 0x100); /* EIP */
    ck_assert_uint_eq(cpu->seg[SEG_DS].sel, 0);
    /* And IRET takes it back. */
    helper_iret(cpu, 4, 0);
    ck_assert(cpu->hflags & HF_VM);
    ck_assert_uint_eq(cpu->seg[SEG_DS].base, 0x40000);
    ck_assert_uint_eq(cpu->regs[R_ESP], 0xfffe);
    /* Through a 16-bit interrupt gate every push is 16 bits: GS FS DS ES
     * SS SP FLAGS CS IP (SDM 2, INT n). */
    set_gate(0x22, S_CODE32, 0x1234, 0x86);
    do_interrupt(cpu, 0x22, false, 0, false, 0);
    ck_assert_uint_eq(cpu->hflags & (HF_VM | HF_CPL_MASK), 0);
    ck_assert_uint_eq(cpu->eip, 0x1234);
    ck_assert_uint_eq(cpu->regs[R_ESP], STACK0 - 18);
    ck_assert_uint_eq(rd16(STACK0 - 2), 0x6000);  /* GS */
    ck_assert_uint_eq(rd16(STACK0 - 8), 0x3000);  /* ES */
    ck_assert_uint_eq(rd16(STACK0 - 10), 0x2000); /* SS */
    ck_assert_uint_eq(rd16(STACK0 - 12), 0xfffe); /* SP */
    ck_assert_uint_eq(rd16(STACK0 - 16), 0x1000); /* CS */
    ck_assert_uint_eq(rd16(STACK0 - 18), 0x100);  /* IP */
    ck_assert_uint_eq(cpu->seg[SEG_GS].sel, 0);
}
END_TEST

START_TEST(test_call_gate_parameters)
{
    enter_prot();
    wr32(TSS + 4, STACK0);
    wr32(TSS + 8, S_DATA32);
    helper_ltr(cpu, S_TSS);
    /* The call gate copies 2 dwords of parameters. */
    wr32(GDT + S_CALLGATE + 4, 0xec00 | 2);
    /* Go to ring 3 with IRET, then push two parameters there. */
    wr32(STACK0 - 20, 0x400000);
    wr32(STACK0 - 16, S_CODE3 | 3);
    wr32(STACK0 - 12, EFLAGS_FIXED);
    wr32(STACK0 - 8, STACK3);
    wr32(STACK0 - 4, S_DATA_DPL3 | 3);
    cpu->regs[R_ESP] = STACK0 - 20;
    helper_iret(cpu, 4, 0);
    wr32(STACK3 - 4, 0x1111); /* first pushed: the higher parameter */
    wr32(STACK3 - 8, 0x2222);
    cpu->regs[R_ESP] = STACK3 - 8;
    helper_lcall(cpu, S_CALLGATE | 3, 0, 4, 0x400010);
    /* Inner stack: SS, ESP, the parameters in the same order, CS, EIP. */
    ck_assert_uint_eq(cpu->regs[R_ESP], STACK0 - 24);
    ck_assert_uint_eq(rd32(STACK0 - 4), S_DATA_DPL3 | 3);
    ck_assert_uint_eq(rd32(STACK0 - 8), STACK3 - 8);
    ck_assert_uint_eq(rd32(STACK0 - 12), 0x1111);
    ck_assert_uint_eq(rd32(STACK0 - 16), 0x2222);
    ck_assert_uint_eq(rd32(STACK0 - 20), S_CODE3 | 3);
    ck_assert_uint_eq(rd32(STACK0 - 24), 0x400010);
    /* RET 8 releases the parameters on both stacks. */
    helper_lret(cpu, 4, 8);
    ck_assert_uint_eq(cpu->hflags & HF_CPL_MASK, 3);
    ck_assert_uint_eq(cpu->eip, 0x400010);
    ck_assert_uint_eq(cpu->regs[R_ESP], STACK3);
}
END_TEST

START_TEST(test_stack_limits)
{
    enter_prot();
    /* A 16-bit stack segment: a 32-bit far call at SP=2 runs past 64 KiB. */
    helper_load_seg(cpu, SEG_SS, S_DATA16);
    cpu->regs[R_ESP] = 2;
    ck_assert_int_eq(CATCH(helper_lcall(cpu, S_CODE32, 0x4000, 4, 0x100)),
                     EXCP_SS);
    ck_assert_int_eq(cpu->error_code, 0);
    ck_assert_uint_eq(cpu->regs[R_ESP], 2);
    /* Expand-down: the offsets at or below the limit are outside. */
    helper_load_seg(cpu, SEG_SS, S_STACKDN);
    cpu->regs[R_ESP] = 0x1008;
    helper_lcall(cpu, S_CODE32, 0x4000, 4, 0x100);
    ck_assert_uint_eq(cpu->regs[R_ESP], 0x1000);
    ck_assert_int_eq(CATCH(helper_lcall(cpu, S_CODE32, 0x4000, 4, 0x100)),
                     EXCP_SS);
    helper_lret(cpu, 4, 0);
    ck_assert_uint_eq(cpu->regs[R_ESP], 0x1008);
    /* An interrupt on a full stack: #SS(EXT). */
    set_gate(0x20, S_CODE32, 0x1000, 0x8e);
    cpu->regs[R_ESP] = 0x1004;
    ck_assert_int_eq(CATCH(do_interrupt(cpu, 0x20, false, 0, false, 0)),
                     EXCP_SS);
    ck_assert_int_eq(cpu->error_code, 1);
}
END_TEST

/* The per-segment check flags and ranges (cpu_update_hflags): flat
 * segments need no checks, every other kind gets its valid offsets. */
START_TEST(test_segment_check_ranges)
{
    enter_prot();
    ck_assert_uint_eq(cpu->hflags & HF_SEGCHK_ALL, 0);
    ck_assert(cpu_seg_ok(cpu, SEG_DS, SEG_ACC_WRITE, 0xfffffffc, 4));
    ck_assert(!cpu_seg_ok(cpu, SEG_DS, SEG_ACC_WRITE, 0xfffffffe, 4));
    /* CS: flat for reads; writes are refused whatever the limit */
    ck_assert(cpu_seg_ok(cpu, SEG_CS, SEG_ACC_READ, 0x1000, 4));
    ck_assert(!cpu_seg_ok(cpu, SEG_CS, SEG_ACC_WRITE, 0x1000, 4));

    helper_load_seg(cpu, SEG_ES, S_DATA16); /* limit 0xffff */
    ck_assert(cpu->hflags & HF_SEGCHK(SEG_ES));
    ck_assert(cpu_seg_ok(cpu, SEG_ES, SEG_ACC_WRITE, 0xfffe, 2));
    ck_assert(!cpu_seg_ok(cpu, SEG_ES, SEG_ACC_WRITE, 0xffff, 2));

    helper_load_seg(cpu, SEG_SS, S_STACKDN); /* expand-down, B=1 */
    ck_assert(cpu->hflags & HF_SEGCHK(SEG_SS));
    ck_assert(cpu_seg_ok(cpu, SEG_SS, SEG_ACC_READ, 0x1000, 4));
    ck_assert(!cpu_seg_ok(cpu, SEG_SS, SEG_ACC_READ, 0xffe, 4));
    ck_assert(cpu_seg_ok(cpu, SEG_SS, SEG_ACC_READ, 0xfffffffc, 4));
    ck_assert(!cpu_seg_ok(cpu, SEG_SS, SEG_ACC_READ, 0xfffffffd, 4));

    helper_load_seg(cpu, SEG_FS, 0); /* null: every use faults */
    ck_assert(cpu->hflags & HF_SEGCHK(SEG_FS));
    ck_assert(!cpu_seg_ok(cpu, SEG_FS, SEG_ACC_READ, 0, 1));
    ck_assert(!cpu_seg_ok(cpu, SEG_FS, SEG_ACC_WRITE, 0x100, 1));

    /* a readable code segment in GS: reads only */
    helper_load_seg(cpu, SEG_GS, S_CODE32);
    ck_assert(cpu->hflags & HF_SEGCHK(SEG_GS));
    ck_assert(cpu_seg_ok(cpu, SEG_GS, SEG_ACC_READ, 0x100, 4));
    ck_assert(!cpu_seg_ok(cpu, SEG_GS, SEG_ACC_WRITE, 0x100, 4));

    /* real mode: the cached limits only, no types */
    helper_load_seg(cpu, SEG_GS, S_DATA32);
    cpu->cr[0] &= ~(uint64_t)CR0_PE;
    cpu_update_hflags(cpu);
    ck_assert(!(cpu->hflags & HF_SEGCHK(SEG_DS))); /* 4 GiB: unreal */
    /* CS keeps its 4 GiB code segment cache, writable in real mode */
    ck_assert(!(cpu->hflags & HF_SEGCHK(SEG_CS)));
    ck_assert(cpu_seg_ok(cpu, SEG_CS, SEG_ACC_WRITE, 0x100, 4));
    cpu_load_seg_real(cpu, SEG_DS, 0x1234);
    ck_assert(!(cpu->hflags & HF_SEGCHK(SEG_DS)));
    ck_assert(cpu->hflags & HF_SEGCHK(SEG_ES)); /* still 0xffff */
}
END_TEST

START_TEST(test_io_bitmap)
{
    enter_prot();
    /* I/O map base at 0x68: ports 0x3f8..0x3ff allowed, others denied. */
    wr16(TSS + 0x66, 0x68);
    memset(ram + TSS + 0x68, 0xff, 0x20);
    wr32(GDT + S_TSS, (0x67 + 0x20) | TSS << 16);
    helper_ltr(cpu, S_TSS);
    /* Ring 0, IOPL 0: always allowed. */
    helper_check_io(cpu, 0x60, 1);
    /* Bitmap of 0x20 bytes covers ports 0..0xff only. */
    memset(ram + TSS + 0x68, 0x00, 0x20);
    ram[TSS + 0x68 + 0x60 / 8] = 0x01; /* deny 0x60 */
    cpu->seg[SEG_CS].sel |= 3;
    cpu_update_hflags(cpu);
    helper_check_io(cpu, 0x61, 1);
    ck_assert_int_eq(CATCH(helper_check_io(cpu, 0x60, 1)), EXCP_GP);
    ck_assert_int_eq(CATCH(helper_check_io(cpu, 0x5f, 2)), EXCP_GP);
    helper_check_io(cpu, 0x61, 4);
    ck_assert_int_eq(CATCH(helper_check_io(cpu, 0x3f8, 1)), EXCP_GP);
    /* IOPL 3 lifts the check, and hflags follow it. */
    cpu_set_eflags(cpu, EFLAGS_IOPL, EFLAGS_IOPL);
    ck_assert_uint_eq(cpu->hflags & HF_IOPL_MASK, HF_IOPL_MASK);
    helper_check_io(cpu, 0x60, 1);
    cpu_set_eflags(cpu, 0x1000, EFLAGS_IOPL);
    ck_assert_uint_eq(cpu->hflags & HF_IOPL_MASK, 1u << HF_IOPL_SHIFT);
    /* A straddling word: 0x67 allowed, 0x68 (next bitmap byte) denied. */
    ram[TSS + 0x68 + 0x68 / 8] = 0x01;
    helper_check_io(cpu, 0x66, 2);
    ck_assert_int_eq(CATCH(helper_check_io(cpu, 0x67, 2)), EXCP_GP);
    /* The last byte of the map needs the byte after it within the limit
     * too (the processor reads two bytes); a base beyond the limit
     * denies every port. */
    helper_check_io(cpu, 0xf0, 1);
    cpu->tr.limit = 0x67 + 0x1f;
    ck_assert_int_eq(CATCH(helper_check_io(cpu, 0xf0, 1)), EXCP_GP);
    helper_check_io(cpu, 0xe8, 1);
    wr16(TSS + 0x66, 0x1000);
    ck_assert_int_eq(CATCH(helper_check_io(cpu, 0x0, 1)), EXCP_GP);
    /* Real mode has no IOPL in hflags. */
    cpu->cr[0] &= ~(uint64_t)CR0_PE;
    cpu_update_hflags(cpu);
    ck_assert_uint_eq(cpu->hflags & HF_IOPL_MASK, 0);
}
END_TEST

START_TEST(test_descriptor_tables)
{
    /* LGDT with a 16-bit operand loads 24 bits of base. */
    wr16(0x500, 0x1234);
    wr32(0x502, 0xaabbccdd);
    helper_lgdt(cpu, 0x500, 2);
    ck_assert_uint_eq(cpu->gdt.limit, 0x1234);
    ck_assert_uint_eq(cpu->gdt.base, 0x00bbccdd);
    helper_lidt(cpu, 0x500, 4);
    ck_assert_uint_eq(cpu->idt.base, 0xaabbccdd);
    helper_sidt(cpu, 0x510, 4);
    ck_assert_uint_eq(rd16(0x510), 0x1234);
    ck_assert_uint_eq(rd32(0x512), 0xaabbccdd);
    helper_sidt(cpu, 0x520, 2);
    ck_assert_uint_eq(rd32(0x522), 0x00bbccdd);
    enter_prot();
    helper_lldt(cpu, S_LDT);
    ck_assert_uint_eq(cpu->ldt.base, LDT);
    ck_assert_uint_eq(cpu->ldt.limit, 0x1f);
    /* A data segment in the LDT, selector 0x0c (index 1, TI). */
    set_desc(LDT, 0x08, 0x30000, 0xfff, 0x92, 0x4);
    helper_load_seg(cpu, SEG_FS, 0x0c);
    ck_assert_uint_eq(cpu->seg[SEG_FS].base, 0x30000);
}
END_TEST

START_TEST(test_selector_tests)
{
    enter_prot();
    uint32_t v = helper_lar(cpu, S_CODE32, 0xdead);
    ck_assert_uint_eq(v, 0x00c09b00);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_ZF, EFLAGS_ZF);
    v = helper_lar(cpu, 0x1230, 0xdead);
    ck_assert_uint_eq(v, 0xdead);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_ZF, 0);
    ck_assert_uint_eq(helper_lsl(cpu, S_CODE16, 0), 0xffff);
    ck_assert_uint_eq(helper_lsl(cpu, S_DATA32, 0), 0xffffffffu);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_ZF, EFLAGS_ZF);
    helper_lsl(cpu, S_CALLGATE, 0); /* gates have no limit */
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_ZF, 0);
    helper_verr(cpu, S_XONLY);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_ZF, 0);
    helper_verr(cpu, S_CODE32);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_ZF, EFLAGS_ZF);
    helper_verw(cpu, S_CODE32);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_ZF, 0);
    helper_verw(cpu, S_DATA32);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_ZF, EFLAGS_ZF);
    ck_assert_uint_eq(helper_arpl(cpu, 0x10, 0x0b), 0x13);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_ZF, EFLAGS_ZF);
    ck_assert_uint_eq(helper_arpl(cpu, 0x13, 0x08), 0x13);
    ck_assert_uint_eq(cpu_get_eflags(cpu) & EFLAGS_ZF, 0);
}
END_TEST

START_TEST(test_control_registers_and_cpuid)
{
    ck_assert_int_eq(CATCH(helper_write_cr(cpu, 0, CR0_PG)), EXCP_GP);
    ck_assert_int_eq(CATCH(helper_read_cr(cpu, 1)), EXCP_UD);
    ck_assert_int_eq(CATCH(helper_write_cr(cpu, 4, 0x40)), EXCP_GP); /* MCE */
    helper_write_cr(cpu, 4, CR4_OSFXSR); /* FXSAVE's SSE part */
    ck_assert_uint_eq(helper_read_cr(cpu, 4), CR4_OSFXSR);
    helper_write_cr(cpu, 4, 0);
    helper_write_cr(cpu, 0, CR0_PE);
    ck_assert(cpu->hflags & HF_PE);
    ck_assert_uint_eq(helper_read_cr(cpu, 0), CR0_PE | CR0_ET);
    helper_lmsw(cpu, 0x0008); /* cannot clear PE, sets TS */
    ck_assert_uint_eq(cpu->cr[0], CR0_PE | CR0_ET | CR0_TS);
    helper_clts(cpu);
    ck_assert_uint_eq(cpu->cr[0], CR0_PE | CR0_ET);
    helper_write_dr(cpu, 5, 0);
    ck_assert_uint_eq(helper_read_dr(cpu, 7), 0x400);

    cpu->regs[R_EAX] = 0;
    helper_cpuid(cpu);
    char vendor[13];
    st_le_p(vendor, cpu->regs[R_EBX], 4);
    st_le_p(vendor + 4, cpu->regs[R_EDX], 4);
    st_le_p(vendor + 8, cpu->regs[R_ECX], 4);
    vendor[12] = 0;
    ck_assert_str_eq(vendor, "GenuineIntel");
    ck_assert_uint_eq(cpu->regs[R_EAX], 1);
    cpu->regs[R_EAX] = 1;
    helper_cpuid(cpu);
    ck_assert_uint_eq(cpu->regs[R_EAX], 0x665);
    ck_assert_uint_eq(cpu->regs[R_EDX] & 1, 1);  /* the x87 */
    /* FPU PSE TSC MSR PAE CX8 SEP MTRR PGE CMOV PAT FXSR */
    ck_assert_uint_eq(cpu->regs[R_EDX], 0x101b979);
    cpu->regs[R_EAX] = 0x80000000u;
    helper_cpuid(cpu);
    ck_assert_uint_eq(cpu->regs[R_EAX], 0x80000004u); /* brand leaves kept */
    cpu->regs[R_EAX] = 0x80000001u;
    helper_cpuid(cpu);
    ck_assert_uint_eq(cpu->regs[R_EDX], 1u << 20); /* NX */

    cpu->regs[R_ECX] = 0x10;
    cpu->regs[R_EAX] = 0x1000;
    cpu->regs[R_EDX] = 0;
    helper_wrmsr(cpu);
    helper_rdmsr(cpu);
    ck_assert_uint_eq(cpu->regs[R_EAX], 0x1000);
    cpu->regs[R_ECX] = 0x12345;
    ck_assert_int_eq(CATCH(helper_rdmsr(cpu)), EXCP_GP);

    /* IA32_EFER: NXE only; SCE, LME and the rest are reserved here */
    cpu->regs[R_ECX] = MSR_IA32_EFER;
    cpu->regs[R_EAX] = EFER_NXE;
    cpu->regs[R_EDX] = 0;
    helper_wrmsr(cpu);
    ck_assert_uint_eq(cpu->efer, EFER_NXE);
    cpu->regs[R_EAX] = 0;
    helper_rdmsr(cpu);
    ck_assert_uint_eq(cpu->regs[R_EAX], EFER_NXE);
    ck_assert_uint_eq(cpu->regs[R_EDX], 0);
    static const uint32_t bad[][2] = { { 0x1, 0 }, { 0x100, 0 }, { 0, 1 } };
    for (volatile unsigned i = 0; i < 3; i++) {
        cpu->regs[R_EAX] = bad[i][0];
        cpu->regs[R_EDX] = bad[i][1];
        ck_assert_int_eq(CATCH(helper_wrmsr(cpu)), EXCP_GP);
        ck_assert_uint_eq(cpu->efer, EFER_NXE);
    }
}
END_TEST

static Suite *seg_suite(void)
{
    Suite *s = suite_create("seg");
    TCase *tc = tcase_create("system helpers");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_real_mode_load);
    tcase_add_test(tc, test_prot_load_ok);
    tcase_add_test(tc, test_prot_load_faults);
    tcase_add_test(tc, test_far_jmp_call_ret);
    tcase_add_test(tc, test_real_mode_interrupt);
    tcase_add_test(tc, test_prot_interrupt_gates);
    tcase_add_test(tc, test_ring3_interrupt_and_return);
    tcase_add_test(tc, test_task_switch);
    tcase_add_test(tc, test_vm86_round_trip);
    tcase_add_test(tc, test_call_gate_parameters);
    tcase_add_test(tc, test_stack_limits);
    tcase_add_test(tc, test_segment_check_ranges);
    tcase_add_test(tc, test_io_bitmap);
    tcase_add_test(tc, test_descriptor_tables);
    tcase_add_test(tc, test_selector_tests);
    tcase_add_test(tc, test_control_registers_and_cpuid);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(seg_suite)
