/*
 * helper_string.c - the string instructions MOVS STOS LODS SCAS CMPS INS
 * OUTS, with and without REP/REPE/REPNE, for 8/16/32-bit elements and
 * 16/32-bit address sizes.
 *
 * A REP instruction stays restartable: registers are updated only after the
 * accesses of an iteration succeeded, so a fault mid-way leaves ECX/ESI/EDI
 * counting the iterations done (SDM 1, 7.3.9.2), and a long run returns to
 * the CPU loop with EIP still at the instruction when an interrupt or exit
 * is pending. REP MOVS and REP STOS with DF clear copy whole runs inside a
 * page through host memory when the TLB maps both sides as plain RAM.
 */
#include <string.h>

#include "translator/x86/cpu_access.h"
#include "translator/x86/cpu.h"
#include "translator/x86/decode.h"
#include "translator/x86/flags.h"
#include "translator/x86/helpers.h"
#include "translator/x86/sys.h"

/* Check for a pending exit after this many iterations. */
#define STR_CHUNK 1024

struct str_ctx {
    struct cpu *cpu;
    unsigned size;  /* element bytes */
    uint32_t amask; /* 0xffff or 0xffffffff */
    int32_t step;   /* +size or -size by DF */
    int mmu;
    int src_seg;    /* DS or its override; the destination is ES */
    uint32_t src_base, dst_base;
    uintptr_t ra;
};

static void str_init(struct str_ctx *s, struct cpu *cpu, uint32_t mode,
                     uintptr_t ra)
{
    s->cpu = cpu;
    s->size = 1u << STR_MODE_OT(mode);
    s->amask = (mode & STR_MODE_A32) ? 0xffffffffu : 0xffffu;
    s->step = (cpu->eflags & EFLAGS_DF) ? -(int32_t)s->size : (int32_t)s->size;
    s->mmu = cpu_mmu_index(cpu);
    s->src_seg = (int)STR_MODE_SEG(mode);
    s->src_base = cpu->seg[s->src_seg].base;
    s->dst_base = cpu->seg[SEG_ES].base;
    s->ra = ra;
}

static uint32_t str_reg(const struct str_ctx *s, int r)
{
    return (uint32_t)s->cpu->regs[r] & s->amask;
}

/* Write the address-size part of a register, keeping the rest. */
static void str_set_reg(struct str_ctx *s, int r, uint32_t v)
{
    uint32_t old = (uint32_t)s->cpu->regs[r];
    s->cpu->regs[r] = (old & ~s->amask) | (v & s->amask);
}

static void str_advance(struct str_ctx *s, int r, uint32_t n)
{
    str_set_reg(s, r, str_reg(s, r) + (uint32_t)s->step * n);
}

/* The segment checks of an element (SDM 3A 5.3, 5.4): #GP(0), or #SS(0)
 * for a source in SS, before the element is touched; the registers still
 * count the elements done, so the instruction restarts there. */
static void str_check(const struct str_ctx *s, int seg, int kind,
                      uint32_t off)
{
    if (!cpu_seg_ok(s->cpu, seg, kind, off, s->size))
        cpu_seg_fault(s->cpu, seg, s->ra);
}

/* Linear address of the element at DS:ESI (read). */
static uint32_t str_src_addr(const struct str_ctx *s)
{
    uint32_t off = str_reg(s, R_ESI);
    str_check(s, s->src_seg, SEG_ACC_READ, off);
    return s->src_base + off;
}

/* Linear address of the element at ES:EDI, for kind (SCAS and CMPS read
 * it, the others write). */
static uint32_t str_dst_addr(const struct str_ctx *s, int kind)
{
    uint32_t off = str_reg(s, R_EDI);
    str_check(s, SEG_ES, kind, off);
    return s->dst_base + off;
}

/* Elements of a run going up from offset off (whose first element passed
 * str_check) that stay inside the segment's range. */
static uint32_t str_seg_run(const struct str_ctx *s, int seg, int kind,
                            uint32_t off)
{
    uint64_t bytes = (uint64_t)s->cpu->seg_hi[kind][seg] - off + 1;
    uint64_t n = bytes / s->size;
    return n > 0xffffffffu ? 0xffffffffu : (uint32_t)n;
}

static uint32_t str_ld(struct str_ctx *s, uint32_t addr)
{
    return (uint32_t)cpu_ld(s->cpu, addr, s->size, s->mmu, s->ra);
}

static void str_st(struct str_ctx *s, uint32_t addr, uint32_t v)
{
    cpu_st(s->cpu, addr, v, s->size, s->mmu, s->ra);
}

static void str_set_acc(struct str_ctx *s, uint32_t v)
{
    struct cpu *cpu = s->cpu;
    uint32_t eax = (uint32_t)cpu->regs[R_EAX];
    if (s->size == 1)
        eax = (eax & 0xffffff00u) | (v & 0xff);
    else if (s->size == 2)
        eax = (eax & 0xffff0000u) | (v & 0xffff);
    else
        eax = v;
    cpu->regs[R_EAX] = eax;
}

/* Lazy flags of CMP a, b at this element size. */
static void str_set_cmp_flags(struct str_ctx *s, uint32_t a, uint32_t b)
{
    unsigned ot = s->size == 1 ? 0 : s->size == 2 ? 1 : 2;
    s->cpu->cc_dst = a - b;
    s->cpu->cc_src = b;
    s->cpu->cc_src2 = 0;
    s->cpu->cc_op = CC_OP_SUBB + ot;
}

/* Leave a REP loop for a pending exit (an interrupt): EIP stays at the
 * instruction, which resumes from the updated registers. */
static void str_yield_if_pending(struct str_ctx *s, uint32_t eip)
{
    if (s->cpu->exit_request) {
        /* Restoring the instruction's state also gives back, under
         * -icount, the instructions of the block not executed. */
        s->cpu->eip = eip;
        cpu_restore_state(s->cpu, s->ra);
        cpu_loop_exit(s->cpu);
    }
}

/* Elements that can be done as one host run from linear address lin with
 * register value reg, going up: stay inside the page and inside the
 * 64 KiB wrap of 16-bit addressing. */
static uint32_t str_run_limit(const struct str_ctx *s, uint32_t lin,
                              uint32_t reg)
{
    uint32_t bytes = PAGE_SIZE - (lin & (PAGE_SIZE - 1));
    if (s->amask == 0xffffu && 0x10000u - reg < bytes)
        bytes = 0x10000u - reg;
    return bytes / s->size;
}

/* Host pointer of a whole-page RAM mapping, or NULL (slow path needed). */
static uint8_t *str_host(struct str_ctx *s, uint32_t lin, int acc)
{
    struct tlb_entry *e = tlb_entry(&s->cpu->mmu.tlb, s->mmu, lin);
    vaddr tag = acc == ACC_WRITE ? e->tag_write : e->tag_read;
    if (tag != (lin & PAGE_MASK))
        return NULL;
    return (uint8_t *)(e->addend + lin);
}

void helper_movs(struct cpu *cpu, uint32_t mode, uint32_t eip)
{
    struct str_ctx s;
    str_init(&s, cpu, mode, GETPC());
    if (STR_MODE_REP(mode) == REP_NONE) {
        uint32_t v = str_ld(&s, str_src_addr(&s));
        str_st(&s, str_dst_addr(&s, SEG_ACC_WRITE), v);
        str_advance(&s, R_ESI, 1);
        str_advance(&s, R_EDI, 1);
        return;
    }
    uint32_t done = 0;
    while (str_reg(&s, R_ECX) != 0) {
        uint32_t count = str_reg(&s, R_ECX);
        uint32_t src = str_src_addr(&s);
        uint32_t dst = str_dst_addr(&s, SEG_ACC_WRITE);
        uint32_t n = 0;
        if (s.step > 0) {
            n = count;
            uint32_t l = str_run_limit(&s, src, str_reg(&s, R_ESI));
            if (l < n)
                n = l;
            l = str_run_limit(&s, dst, str_reg(&s, R_EDI));
            if (l < n)
                n = l;
            l = str_seg_run(&s, s.src_seg, SEG_ACC_READ, str_reg(&s, R_ESI));
            if (l < n)
                n = l;
            l = str_seg_run(&s, SEG_ES, SEG_ACC_WRITE, str_reg(&s, R_EDI));
            if (l < n)
                n = l;
            if (n > STR_CHUNK)
                n = STR_CHUNK;
        }
        uint8_t *hs = n > 1 ? str_host(&s, src, ACC_READ) : NULL;
        uint8_t *hd = hs ? str_host(&s, dst, ACC_WRITE) : NULL;
        if (hd) {
            size_t bytes = (size_t)n * s.size;
            if (hd > hs && hd < hs + bytes) {
                /* Overlap with the destination ahead: element by element,
                 * as the instruction does (it replicates a pattern). */
                for (uint32_t i = 0; i < n; i++)
                    st_le_p(hd + (size_t)i * s.size,
                            ld_le_p(hs + (size_t)i * s.size, s.size), s.size);
            } else {
                memmove(hd, hs, bytes);
            }
        } else {
            n = 1;
            uint32_t v = str_ld(&s, src);
            str_st(&s, dst, v);
        }
        str_advance(&s, R_ESI, n);
        str_advance(&s, R_EDI, n);
        str_set_reg(&s, R_ECX, count - n);
        done += n;
        if (done >= STR_CHUNK) {
            done = 0;
            if (str_reg(&s, R_ECX) != 0)
                str_yield_if_pending(&s, eip);
        }
    }
}

void helper_stos(struct cpu *cpu, uint32_t mode, uint32_t eip)
{
    struct str_ctx s;
    str_init(&s, cpu, mode, GETPC());
    uint32_t v = (uint32_t)cpu->regs[R_EAX];
    if (STR_MODE_REP(mode) == REP_NONE) {
        str_st(&s, str_dst_addr(&s, SEG_ACC_WRITE), v);
        str_advance(&s, R_EDI, 1);
        return;
    }
    uint32_t done = 0;
    while (str_reg(&s, R_ECX) != 0) {
        uint32_t count = str_reg(&s, R_ECX);
        uint32_t dst = str_dst_addr(&s, SEG_ACC_WRITE);
        uint32_t n = 0;
        if (s.step > 0) {
            n = count;
            uint32_t l = str_run_limit(&s, dst, str_reg(&s, R_EDI));
            if (l < n)
                n = l;
            l = str_seg_run(&s, SEG_ES, SEG_ACC_WRITE, str_reg(&s, R_EDI));
            if (l < n)
                n = l;
            if (n > STR_CHUNK)
                n = STR_CHUNK;
        }
        uint8_t *hd = n > 1 ? str_host(&s, dst, ACC_WRITE) : NULL;
        if (hd) {
            if (s.size == 1) {
                memset(hd, (int)(v & 0xff), n);
            } else {
                for (uint32_t i = 0; i < n; i++)
                    st_le_p(hd + (size_t)i * s.size, v, s.size);
            }
        } else {
            n = 1;
            str_st(&s, dst, v);
        }
        str_advance(&s, R_EDI, n);
        str_set_reg(&s, R_ECX, count - n);
        done += n;
        if (done >= STR_CHUNK) {
            done = 0;
            if (str_reg(&s, R_ECX) != 0)
                str_yield_if_pending(&s, eip);
        }
    }
}

/* The element loop shared by the other string instructions: one() does an
 * iteration's accesses and register updates except ECX, and returns false
 * when a REPE/REPNE condition ends the loop. */
typedef bool (*str_iter_fn)(struct str_ctx *s, uint32_t mode);

static void str_loop(struct cpu *cpu, uint32_t mode, uint32_t eip,
                     uintptr_t ra, str_iter_fn one)
{
    struct str_ctx s;
    str_init(&s, cpu, mode, ra);
    if (STR_MODE_REP(mode) == REP_NONE) {
        one(&s, mode);
        return;
    }
    uint32_t done = 0;
    while (str_reg(&s, R_ECX) != 0) {
        bool more = one(&s, mode);
        str_set_reg(&s, R_ECX, str_reg(&s, R_ECX) - 1);
        if (!more)
            break;
        if (++done == STR_CHUNK) {
            done = 0;
            if (str_reg(&s, R_ECX) != 0)
                str_yield_if_pending(&s, eip);
        }
    }
}

/* REPE continues while ZF = 1, REPNE while ZF = 0 (after a compare). */
static bool str_rep_continue(struct str_ctx *s, uint32_t mode, uint32_t a,
                             uint32_t b)
{
    uint32_t mask = s->size == 4 ? 0xffffffffu : (1u << (8 * s->size)) - 1;
    bool zf = ((a - b) & mask) == 0;
    return STR_MODE_REP(mode) == REP_F3 ? zf : !zf;
}

static bool str_lods_one(struct str_ctx *s, uint32_t mode)
{
    (void)mode;
    str_set_acc(s, str_ld(s, str_src_addr(s)));
    str_advance(s, R_ESI, 1);
    return true;
}

static bool str_scas_one(struct str_ctx *s, uint32_t mode)
{
    uint32_t b = str_ld(s, str_dst_addr(s, SEG_ACC_READ));
    uint32_t a = (uint32_t)s->cpu->regs[R_EAX];
    str_set_cmp_flags(s, a, b);
    str_advance(s, R_EDI, 1);
    return str_rep_continue(s, mode, a, b);
}

static bool str_cmps_one(struct str_ctx *s, uint32_t mode)
{
    uint32_t a = str_ld(s, str_src_addr(s));
    uint32_t b = str_ld(s, str_dst_addr(s, SEG_ACC_READ));
    str_set_cmp_flags(s, a, b);
    str_advance(s, R_ESI, 1);
    str_advance(s, R_EDI, 1);
    return str_rep_continue(s, mode, a, b);
}

static bool str_ins_one(struct str_ctx *s, uint32_t mode)
{
    (void)mode;
    uint32_t port = (uint32_t)s->cpu->regs[R_EDX] & 0xffff;
    uint32_t dst = str_dst_addr(s, SEG_ACC_WRITE);
    uint32_t v = cpu_port_read(s->cpu, port, s->size, s->ra);
    str_st(s, dst, v);
    str_advance(s, R_EDI, 1);
    return true;
}

static bool str_outs_one(struct str_ctx *s, uint32_t mode)
{
    (void)mode;
    uint32_t port = (uint32_t)s->cpu->regs[R_EDX] & 0xffff;
    uint32_t v = str_ld(s, str_src_addr(s));
    cpu_port_write(s->cpu, port, v, s->size, s->ra);
    str_advance(s, R_ESI, 1);
    return true;
}

void helper_lods(struct cpu *cpu, uint32_t mode, uint32_t eip)
{
    str_loop(cpu, mode, eip, GETPC(), str_lods_one);
}

void helper_scas(struct cpu *cpu, uint32_t mode, uint32_t eip)
{
    str_loop(cpu, mode, eip, GETPC(), str_scas_one);
}

void helper_cmps(struct cpu *cpu, uint32_t mode, uint32_t eip)
{
    str_loop(cpu, mode, eip, GETPC(), str_cmps_one);
}

void helper_ins(struct cpu *cpu, uint32_t mode, uint32_t eip)
{
    str_loop(cpu, mode, eip, GETPC(), str_ins_one);
}

void helper_outs(struct cpu *cpu, uint32_t mode, uint32_t eip)
{
    str_loop(cpu, mode, eip, GETPC(), str_outs_one);
}
