/*
 * seg_internal.h - what seg.c (segments, far transfers), interrupt.c
 * (interrupt and exception delivery) and task.c (hardware task switches)
 * share: the raw descriptor and its fields, descriptor fetch, segment and
 * stack primitives, and the task switch entry point.
 */
#ifndef TRANSLATOR_SEG_INTERNAL_H
#define TRANSLATOR_SEG_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "translator/x86/cpu.h"

/*
 * A descriptor as the two little-endian dwords of the table (SDM 3A 3.4.5):
 *
 *   hi: 31..24 base 31:24 | 23 G | 22 D/B | 21 L | 20 AVL | 19..16 limit
 *       19:16 | 15 P | 14..13 DPL | 12 S | 11..8 type | 7..0 base 23:16
 *   lo: 31..16 base 15:0 | 15..0 limit 15:0
 *
 * Gates (SDM 3A 5.8.3, 6.11) keep the selector in lo 31..16 and the offset
 * in lo 15..0 and hi 31..16; a call gate's parameter count is hi 4..0.
 */
struct desc {
    uint32_t lo, hi;
    uint32_t addr; /* linear address in its table */
};

#define D_P 0x8000u
#define D_S 0x1000u
#define D_TYPE(hi) (((hi) >> 8) & 0xf)
#define D_DPL(hi) ((int)(((hi) >> 13) & 3))
#define D_G 0x00800000u

/* Type bits of code and data descriptors (S = 1). */
#define T_ACCESSED 0x1
#define T_WRITABLE 0x2 /* data */
#define T_READABLE 0x2 /* code */
#define T_EXPDOWN 0x4  /* data */
#define T_CONFORM 0x4  /* code */
#define T_CODE 0x8

/* System descriptor types (S = 0). */
enum {
    SYS_TSS16 = 0x1,
    SYS_LDT = 0x2,
    SYS_TSS16_BUSY = 0x3,
    SYS_CALL16 = 0x4,
    SYS_TASK = 0x5,
    SYS_INT16 = 0x6,
    SYS_TRAP16 = 0x7,
    SYS_TSS32 = 0x9,
    SYS_TSS32_BUSY = 0xb,
    SYS_CALL32 = 0xc,
    SYS_INT32 = 0xe,
    SYS_TRAP32 = 0xf,
};
#define SYS_TSS_BUSY_BIT 0x2

static inline uint32_t desc_base(const struct desc *d)
{
    return (d->lo >> 16) | ((d->hi & 0xff) << 16) | (d->hi & 0xff000000u);
}

static inline uint32_t desc_limit(const struct desc *d)
{
    uint32_t limit = (d->lo & 0xffff) | (d->hi & 0x000f0000u);
    return (d->hi & D_G) ? (limit << 12) | 0xfff : limit;
}

static inline bool desc_is_code(const struct desc *d)
{
    return (d->hi & D_S) && (D_TYPE(d->hi) & T_CODE);
}

static inline bool desc_is_conforming(const struct desc *d)
{
    return desc_is_code(d) && (D_TYPE(d->hi) & T_CONFORM);
}

/* seg.c */
/* Read sel's descriptor from the GDT or LDT; false when the index is
 * beyond the table's limit (or TI=1 with no usable LDT). */
bool desc_fetch(struct cpu *cpu, uint32_t sel, struct desc *d, uintptr_t ra);
void desc_set_accessed(struct cpu *cpu, struct desc *d, uintptr_t ra);
void seg_fill(struct segment *s, uint32_t sel, const struct desc *d);
void seg_set_null(struct segment *s, uint32_t sel);
/* raise_exception_err with a 16-bit error code. */
_Noreturn void seg_fault(struct cpu *cpu, int vec, uint32_t err, uintptr_t ra);
/* Load CS from a checked code descriptor, at privilege level cpl. */
void load_cs(struct cpu *cpu, uint32_t sel, struct desc *d, int cpl,
             uintptr_t ra);

/* A stack being pushed or popped before ESP is committed, with the SS
 * size rules (SDM 1 6.2.3). */
struct stack {
    uint32_t base;
    uint32_t sp;
    uint32_t mask; /* 0xffff for a 16-bit stack segment */
    int mmu;
    /* Offsets [lo, hi] are inside the segment's limit (expand-up or
     * expand-down); an access outside is #SS(err) (real mode: #SS). */
    bool check;
    uint32_t lo, hi, err;
};
void stack_cur(struct cpu *cpu, struct stack *k);
/* The stack of SS descriptor d at sp, accessed at privilege level cpl;
 * err is the #SS error code for an access beyond its limit. */
struct stack stack_of(uint32_t base, uint32_t sp, const struct desc *d, int cpl,
                      uint32_t err);
void stack_push(struct cpu *cpu, struct stack *k, uint32_t v, unsigned size,
                uintptr_t ra);
uint32_t stack_pop(struct cpu *cpu, struct stack *k, unsigned size,
                   uintptr_t ra);
/* Write back ESP; a 16-bit stack keeps ESP's upper half. */
void stack_commit(struct cpu *cpu, const struct stack *k);
/* SS:ESP for privilege level dpl from the current TSS. */
void tss_stack(struct cpu *cpu, int dpl, uint32_t *ss, uint32_t *esp, int ext,
               uintptr_t ra);
/* Check the inner stack segment from the TSS: #TS / #SS (+ext). */
void check_inner_ss(struct cpu *cpu, uint32_t ss, int dpl, struct desc *d,
                    int ext, uintptr_t ra);

/* task.c: how a task switch was started (SDM 3A 7.3). */
enum task_source { TASK_JMP, TASK_CALL, TASK_IRET, TASK_INT };

/* Switch to the task of TSS descriptor d (selector sel), already checked
 * for privilege by the caller. ret_eip is saved as the old task's EIP. For
 * TASK_INT with has_err, err is pushed on the new task's stack. */
void task_switch(struct cpu *cpu, uint32_t sel, struct desc *d,
                 enum task_source src, uint32_t ret_eip, bool has_err, int err,
                 uintptr_t ra);

#endif
