/*
 * x86_64.c - the native backend: lowers a block's optimized IR to x86-64
 * host code.
 *
 *  - env (struct cpu *) lives in RBP for the whole run of generated code.
 *  - A greedy allocator keeps IR globals (guest registers, eip, cc_*) and
 *    locals in host registers within a basic block. Globals are written
 *    back when dirty at basic-block ends, before helpers that read them,
 *    and (only on the out-of-line slow path) before a guest memory access
 *    that may fault; locals that live across a label go to stack slots.
 *  - Guest loads and stores are the soft-TLB compare-and-add inline; a miss
 *    jumps to a stub at the end of the block that calls softmmu/ and jumps
 *    back. The stub passes an address inside the instruction's code as the
 *    return address, so a fault restores that instruction's state.
 *  - goto_tb is a patchable jmp rel32 (to its exit stub until chained);
 *    only the exit stub stores EIP. lookup_tb asks the jump cache and
 *    jumps straight into the next block.
 *  - Every block starts with the entry check: exit_request and, when
 *    translated under -icount, the instruction budget; its exit is out of
 *    line. cpu->current_tb is not stored per block (tb_running).
 *  - The code buffer is one region mapped twice (writable view for the
 *    encoder, executable view to run) where the host forbids W+X pages.
 *
 * Host register use:
 *   RBP env;  RSP frame (spill slots + slow-path save area)
 *   RAX RCX RDX R11  scratch (never hold IR values across an op)
 *   RBX R12-R15      allocatable, survive helper calls
 *   RSI RDI R8-R10   allocatable, clobbered by calls
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/util.h"
#include "softmmu/access.h"
#include "translator/backend.h"
#include "translator/backend/x86_64_enc.h"
#include "translator/backend/x86_64_internal.h"
#include "translator/disas.h"

static const int arg_regs[] = { X64_RDI, X64_RSI, X64_RDX, X64_RCX, X64_R8,
                                X64_R9 };

/* ---- the code buffer ---- */

/* One instance (an engine's): its code buffer, the trampoline at its
 * start, and the scratch of generating one block. */
struct x64_state {
    uint8_t *code_rw;  /* writable view */
    uint8_t *code_rx;  /* executable view (the same pages when W+X) */
    size_t code_size;
    size_t code_pos;   /* next free byte */
    size_t code_start; /* first byte after the trampoline */
    uintptr_t tramp_epilogue;
    uintptr_t (*tramp_enter)(struct cpu *cpu, void *code);
    FILE *perfmap;
    struct gen g;
};

static bool map_split(struct x64_state *st, size_t size)
{
    /* Two views of one memfd: no page is writable and executable at once. */
    int fd = memfd_create("jet86-code", MFD_CLOEXEC);
    if (fd >= 0 && ftruncate(fd, (off_t)size) == 0) {
        void *rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        void *rx = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
        close(fd);
        if (rw != MAP_FAILED && rx != MAP_FAILED) {
            st->code_rw = rw;
            st->code_rx = rx;
            return true;
        }
        if (rw != MAP_FAILED)
            munmap(rw, size);
        if (rx != MAP_FAILED)
            munmap(rx, size);
    } else if (fd >= 0) {
        close(fd);
    }
    return false;
}

/* One anonymous W+X mapping where the host allows it (perf then sees the
 * blocks as JIT code and -perfmap names them); else the split mapping
 * (also on request: -accel tcg,split-wx=on). */
static void map_code_buffer(struct x64_state *st, size_t size, bool split_wx)
{
    st->code_size = size;
    if (!split_wx) {
        void *p = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED) {
#ifdef MADV_HUGEPAGE
            /* Fresh code is written once and run: 2 MiB pages where the
             * kernel offers them turn thousands of first-touch faults into
             * a few (a guest that keeps making new code pays them all). */
            (void)madvise(p, size, MADV_HUGEPAGE);
#endif
            st->code_rw = st->code_rx = p;
            return;
        }
    }
    if (!map_split(st, size))
        fatal_errno("cannot map a %zu byte code buffer", size);
}

static void buf_open(struct x64_state *st, struct x64_buf *b, size_t pos)
{
    b->rw = st->code_rw;
    b->rx = (uintptr_t)st->code_rx;
    b->pos = pos;
    b->cap = st->code_size;
    b->overflow = false;
}

/* Prologue/epilogue shared by every run: enter(cpu, code) saves the
 * callee-saved registers, sets up RBP = env and the frame, and jumps to
 * the block; the epilogue returns RAX (last tb | exit code). */
static void gen_trampoline(struct x64_state *st)
{
    struct x64_buf b;
    buf_open(st, &b, 0);
    static const int saved[] = { X64_RBP, X64_RBX, X64_R12, X64_R13, X64_R14,
                                 X64_R15 };
    for (size_t i = 0; i < ARRAY_SIZE(saved); i++)
        x64_push(&b, saved[i]);
    x64_arith_ri(&b, ARITH_SUB, true, X64_RSP, FRAME_SIZE);
    x64_mov_rr(&b, true, X64_RBP, X64_RDI);
    x64_jmp_r(&b, X64_RSI);
    st->tramp_epilogue = x64_addr(&b);
    x64_arith_ri(&b, ARITH_ADD, true, X64_RSP, FRAME_SIZE);
    for (int i = (int)ARRAY_SIZE(saved) - 1; i >= 0; i--)
        x64_pop(&b, saved[i]);
    x64_ret(&b);
    st->code_start = (b.pos + 63) & ~(size_t)63;
    st->tramp_enter =
        (uintptr_t(*)(struct cpu *, void *))(void *)st->code_rx;
}

static void *x86_init(const struct jit_options *opt)
{
    struct x64_state *st = xcalloc(1, sizeof(*st));
    st->perfmap = opt->perfmap;
    map_code_buffer(st, opt->code_buffer_size, opt->split_wx);
    gen_trampoline(st);
    st->code_pos = st->code_start;
    return st;
}

static void x86_fini(void *be)
{
    struct x64_state *st = be;
    if (!st)
        return;
    if (st->code_rw != st->code_rx)
        munmap(st->code_rw, st->code_size);
    munmap(st->code_rx, st->code_size);
    free(st->g.ts);
    free(st->g.label_pos);
    free(st->g.fixups);
    free(st->g.stubs);
    free(st);
}

static void x86_reset(void *be)
{
    struct x64_state *st = be;
    st->code_pos = st->code_start;
}

static bool x86_owns(void *be, uintptr_t ra)
{
    struct x64_state *st = be;
    return ra >= (uintptr_t)st->code_rx &&
           ra < (uintptr_t)st->code_rx + st->code_size;
}

/* Nothing is kept per CPU: the frame is on the host stack. */
static void x86_cpu_gone(void *be, struct cpu *cpu)
{
    (void)be;
    (void)cpu;
}

/* ---- conditions ---- */

/* The host condition of a compare; ALWAYS and NEVER need none (their
 * callers decide them without a compare). */
static enum x64_cc cond_cc(enum ir_cond c)
{
    switch (c) {
    case IR_COND_EQ: return X64_CC_E;
    case IR_COND_NE: return X64_CC_NE;
    case IR_COND_LT: return X64_CC_L;
    case IR_COND_GE: return X64_CC_GE;
    case IR_COND_LE: return X64_CC_LE;
    case IR_COND_GT: return X64_CC_G;
    case IR_COND_LTU: return X64_CC_B;
    case IR_COND_GEU: return X64_CC_AE;
    case IR_COND_LEU: return X64_CC_BE;
    case IR_COND_GTU: return X64_CC_A;
    case IR_COND_ALWAYS: case IR_COND_NEVER: break;
    }
    J_ASSERT(!"a condition without a compare");
    return X64_CC_E;
}

/* cmp a, b for an op of type ty (b may be an immediate). */
static void gen_cmp(struct gen *g, enum ir_type ty, ir_temp a, ir_temp c)
{
    bool w64 = ty == IR_I64;
    int ra = in_reg(g, a);
    int32_t imm;
    if (imm_ok(g, c, ty, &imm)) {
        x64_arith_ri(&g->b, ARITH_CMP, w64, ra, imm);
    } else {
        int rc = in_reg(g, c);
        x64_arith_rr(&g->b, ARITH_CMP, w64, ra, rc);
    }
}

/* ---- ops ---- */

static enum x64_arith arith_of(int opc)
{
    switch (opc) {
    case IR_add: return ARITH_ADD;
    case IR_sub: return ARITH_SUB;
    case IR_and: return ARITH_AND;
    case IR_or: return ARITH_OR;
    case IR_xor: return ARITH_XOR;
    default: break;
    }
    J_ASSERT(!"not an x86-64 ALU op");
    return ARITH_XOR;
}

static enum x64_shift shift_of(int opc)
{
    switch (opc) {
    case IR_shl: return SHIFT_SHL;
    case IR_shr: return SHIFT_SHR;
    case IR_sar: return SHIFT_SAR;
    case IR_rotl: return SHIFT_ROL;
    case IR_rotr: return SHIFT_ROR;
    default: break;
    }
    J_ASSERT(!"not a shift or rotate");
    return SHIFT_ROR;
}

static void gen_binary(struct gen *g, const struct ir_op *op)
{
    enum ir_type ty = op->type;
    bool w64 = ty == IR_I64;
    ir_temp d = op->args[0], a = op->args[1], c = op->args[2];
    bool commutative = op->opc == IR_add || op->opc == IR_and ||
                       op->opc == IR_or || op->opc == IR_xor ||
                       op->opc == IR_mul;
    int32_t imm = 0;
    bool c_imm = imm_ok(g, c, ty, &imm);

    /* Commutative op with the constant first: swap. */
    if (commutative && is_const(g, a) && !c_imm) {
        ir_temp t = a;
        a = c;
        c = t;
        c_imm = imm_ok(g, c, ty, &imm);
    }

    bool is_shift = op->opc == IR_shl || op->opc == IR_shr ||
                    op->opc == IR_sar || op->opc == IR_rotl ||
                    op->opc == IR_rotr;
    int rc = -1;
    if (!c_imm)
        rc = in_reg(g, c);
    if (is_shift && !c_imm) {
        /* count in CL */
        x64_mov_rr(&g->b, false, X64_RCX, rc);
    }
    int ra_reg = is_const(g, a) ? -1 : in_reg(g, a);
    int k_a = 1, k_c = 2;
    if (a != op->args[1]) {
        k_a = 2;
        k_c = 1;
    }

    int rd;
    if (ra_reg >= 0 && input_reusable(g, op, k_a, d)) {
        rd = ra_reg;
    } else if (commutative && rc >= 0 && input_reusable(g, op, k_c, d)) {
        /* d = c OP a, in place in c's register */
        rd = rc;
        if (ra_reg >= 0) {
            if (op->opc == IR_mul)
                x64_imul_rr(&g->b, w64, rd, ra_reg);
            else
                x64_arith_rr(&g->b, arith_of(op->opc), w64, rd, ra_reg);
        } else {
            /* a is a constant that does not fit an imm32 */
            x64_mov_ri(&g->b, X64_RAX, const_val(g, a));
            if (op->opc == IR_mul)
                x64_imul_rr(&g->b, w64, rd, X64_RAX);
            else
                x64_arith_rr(&g->b, arith_of(op->opc), w64, rd, X64_RAX);
        }
        set_out(g, d, rd);
        return;
    } else {
        rd = out_reg(g, d, -1, false);
        if (rd == rc && !is_shift) {
            /* d shares c's register: compute in RAX, then move. */
            load_value(g, a, X64_RAX);
            if (ra_reg >= 0 && ra_reg != X64_RAX)
                x64_mov_rr(&g->b, true, X64_RAX, ra_reg);
            if (op->opc == IR_mul)
                x64_imul_rr(&g->b, w64, X64_RAX, rc);
            else
                x64_arith_rr(&g->b, arith_of(op->opc), w64, X64_RAX, rc);
            x64_mov_rr(&g->b, w64, rd, X64_RAX);
            set_out(g, d, rd);
            return;
        }
        if (ra_reg >= 0)
            x64_mov_rr(&g->b, w64, rd, ra_reg);
        else
            x64_mov_ri(&g->b, rd, w64 ? const_val(g, a)
                                      : (uint32_t)const_val(g, a));
    }

    if (is_shift) {
        if (c_imm) {
            unsigned n = (unsigned)imm & (w64 ? 63 : 31);
            if (n)
                x64_shift_ri(&g->b, shift_of(op->opc), w64, rd, n);
            else if (!w64)
                x64_mov_rr(&g->b, false, rd, rd); /* keep I32 zero-extended */
        } else {
            x64_shift_cl(&g->b, shift_of(op->opc), w64, rd);
        }
    } else if (op->opc == IR_mul) {
        if (c_imm) {
            x64_mov_ri(&g->b, X64_RAX, (uint64_t)(int64_t)imm);
            x64_imul_rr(&g->b, w64, rd, X64_RAX);
        } else {
            x64_imul_rr(&g->b, w64, rd, rc);
        }
    } else if (c_imm) {
        x64_arith_ri(&g->b, arith_of(op->opc), w64, rd, imm);
    } else {
        x64_arith_rr(&g->b, arith_of(op->opc), w64, rd, rc);
    }
    set_out(g, d, rd);
}

/* A unary op in place: rd = a, then op on rd. */
static int unary_dest(struct gen *g, const struct ir_op *op, bool w64)
{
    ir_temp d = op->args[0], a = op->args[1];
    int ra = is_const(g, a) ? -1 : in_reg(g, a);
    int rd;
    if (ra >= 0 && input_reusable(g, op, 1, d)) {
        rd = ra;
    } else {
        rd = out_reg(g, d, -1, false);
        if (ra >= 0)
            x64_mov_rr(&g->b, w64, rd, ra);
        else
            x64_mov_ri(&g->b, rd, const_val(g, a));
    }
    return rd;
}

static void gen_unary(struct gen *g, const struct ir_op *op)
{
    bool w64 = op->type == IR_I64;
    ir_temp d = op->args[0], a = op->args[1];

    switch (op->opc) {
    case IR_neg:
    case IR_not: {
        int rd = unary_dest(g, op, w64);
        if (op->opc == IR_neg)
            x64_neg(&g->b, w64, rd);
        else
            x64_not(&g->b, w64, rd);
        set_out(g, d, rd);
        return;
    }
    case IR_bswap32: {
        int rd = unary_dest(g, op, false);
        x64_bswap32(&g->b, rd);
        set_out(g, d, rd);
        return;
    }
    default:
        break;
    }

    /* extensions: movzx/movsx from the input register */
    int ra = in_reg(g, a);
    int rd = input_reusable(g, op, 1, d) ? ra : out_reg(g, d, -1, false);
    switch (op->opc) {
    case IR_ext8s: x64_movsx(&g->b, w64, rd, ra, 1); break;
    case IR_ext16s: x64_movsx(&g->b, w64, rd, ra, 2); break;
    case IR_ext8u: x64_movzx(&g->b, rd, ra, 1); break;
    case IR_ext16u: x64_movzx(&g->b, rd, ra, 2); break;
    case IR_ext32s: x64_movsx(&g->b, true, rd, ra, 4); break;
    case IR_ext32u: x64_mov_rr(&g->b, false, rd, ra); break;
    default: J_ASSERT(!"not a one-input op"); break;
    }
    set_out(g, d, rd);
}

static void gen_ir_mov(struct gen *g, const struct ir_op *op)
{
    ir_temp d = op->args[0], a = op->args[1];
    bool w64 = op->type == IR_I64;
    if (is_const(g, a)) {
        int rd = out_reg(g, d, -1, false);
        x64_mov_ri(&g->b, rd, w64 ? const_val(g, a) : (uint32_t)const_val(g, a));
        set_out(g, d, rd);
        return;
    }
    int ra = in_reg(g, a);
    /* An I32 local is kept zero-extended, so an I32 move of it is its
     * value as is. */
    if (!is_global(g, a) && ((op->dead_after >> 1) & 1) &&
        (w64 || g->ir->temps[a].type == IR_I32)) {
        /* The source dies: hand its register over. */
        unbind(g, ra);
        set_out(g, d, ra);
        return;
    }
    int rd = out_reg(g, d, -1, false);
    x64_mov_rr(&g->b, w64, rd, ra);
    set_out(g, d, rd);
}

static void gen_movi(struct gen *g, const struct ir_op *op)
{
    ir_temp d = op->args[0];
    /* movi's constant argument is a const temp (see ir_movi). */
    uint64_t val = const_val(g, op->args[1]);
    int rd = out_reg(g, d, -1, false);
    x64_mov_ri(&g->b, rd, op->type == IR_I64 ? val : (uint32_t)val);
    set_out(g, d, rd);
}

static void gen_extract(struct gen *g, const struct ir_op *op, bool sign)
{
    bool w64 = op->type == IR_I64;
    unsigned width = w64 ? 64 : 32;
    unsigned pos = op->args[2], len = op->args[3];
    ir_temp d = op->args[0], a = op->args[1];
    int ra = in_reg(g, a);
    int rd = input_reusable(g, op, 1, d) ? ra : out_reg(g, d, -1, false);

    if (pos == 0 && (len == 8 || len == 16)) {
        if (sign)
            x64_movsx(&g->b, w64, rd, ra, len / 8);
        else
            x64_movzx(&g->b, rd, ra, len / 8);
    } else if (pos == 0 && len == 32 && w64) {
        if (sign)
            x64_movsx(&g->b, true, rd, ra, 4);
        else
            x64_mov_rr(&g->b, false, rd, ra);
    } else {
        if (rd != ra)
            x64_mov_rr(&g->b, w64, rd, ra);
        unsigned left = width - pos - len;
        if (left)
            x64_shift_ri(&g->b, SHIFT_SHL, w64, rd, left);
        if (width - len)
            x64_shift_ri(&g->b, sign ? SHIFT_SAR : SHIFT_SHR, w64, rd,
                         width - len);
        else if (!w64)
            x64_mov_rr(&g->b, false, rd, rd);
    }
    set_out(g, d, rd);
}

static void gen_deposit(struct gen *g, const struct ir_op *op)
{
    bool w64 = op->type == IR_I64;
    unsigned width = w64 ? 64 : 32;
    unsigned pos = op->args[3], len = op->args[4];
    ir_temp d = op->args[0], v = op->args[2];
    uint64_t mask = len >= 64 ? ~0ull : ((1ull << len) - 1);
    uint64_t field = mask << pos;
    if (!w64)
        field &= 0xffffffffu;

    /* RAX = (v & mask) << pos */
    load_value(g, v, X64_RAX);
    if (len == 8 && !is_const(g, v))
        x64_movzx(&g->b, X64_RAX, X64_RAX, 1);
    else if (len == 16 && !is_const(g, v))
        x64_movzx(&g->b, X64_RAX, X64_RAX, 2);
    else if (len < width) {
        if (len == 32)
            x64_mov_rr(&g->b, false, X64_RAX, X64_RAX);
        else {
            x64_shift_ri(&g->b, SHIFT_SHL, true, X64_RAX, 64 - len);
            x64_shift_ri(&g->b, SHIFT_SHR, true, X64_RAX, 64 - len);
        }
    }
    if (pos)
        x64_shift_ri(&g->b, SHIFT_SHL, w64, X64_RAX, pos);

    int rd = unary_dest(g, op, w64); /* rd = a */
    uint64_t keep = ~field;
    if (!w64)
        keep &= 0xffffffffu;
    if (!w64 || (int64_t)keep == (int32_t)keep) {
        x64_arith_ri(&g->b, ARITH_AND, w64, rd, (int32_t)keep);
    } else {
        x64_mov_ri(&g->b, X64_RCX, keep);
        x64_arith_rr(&g->b, ARITH_AND, true, rd, X64_RCX);
    }
    x64_arith_rr(&g->b, ARITH_OR, w64, rd, X64_RAX);
    set_out(g, d, rd);
}

static void gen_mul2(struct gen *g, const struct ir_op *op)
{
    bool w64 = op->type == IR_I64;
    ir_temp lo = op->args[0], hi = op->args[1], a = op->args[2],
            c = op->args[3];
    load_value(g, a, X64_RAX);
    int rc;
    if (is_const(g, c)) {
        x64_mov_ri(&g->b, X64_RCX, const_val(g, c));
        rc = X64_RCX;
    } else {
        rc = in_reg(g, c);
    }
    x64_mul1(&g->b, op->opc == IR_muls2, w64, rc);
    int rlo = out_reg(g, lo, -1, false);
    g->locked |= 1u << rlo;
    int rhi = out_reg(g, hi, -1, false);
    if (rhi == rlo)
        rhi = alloc_reg(g, (uint16_t)(1u << rlo));
    x64_mov_rr(&g->b, w64, rlo, X64_RAX);
    x64_mov_rr(&g->b, w64, rhi, X64_RDX);
    set_out(g, lo, rlo);
    set_out(g, hi, rhi);
}

static void gen_setcond(struct gen *g, const struct ir_op *op)
{
    ir_temp d = op->args[0];
    enum ir_cond c = (enum ir_cond)op->args[3];
    if (c == IR_COND_ALWAYS || c == IR_COND_NEVER) {
        int rd = out_reg(g, d, -1, false);
        x64_mov_ri(&g->b, rd, c == IR_COND_ALWAYS);
        set_out(g, d, rd);
        return;
    }
    gen_cmp(g, op->type, op->args[1], op->args[2]);
    x64_setcc(&g->b, cond_cc(c), X64_RAX);
    int rd = out_reg(g, d, -1, false);
    x64_movzx(&g->b, rd, X64_RAX, 1);
    set_out(g, d, rd);
}

static void gen_movcond(struct gen *g, const struct ir_op *op)
{
    bool w64 = op->type == IR_I64;
    ir_temp d = op->args[0], v1 = op->args[3], v2 = op->args[4];
    enum ir_cond c = (enum ir_cond)op->args[5];
    if (c == IR_COND_ALWAYS || c == IR_COND_NEVER) {
        /* No compare: a move of the chosen value. */
        struct ir_op mv = { .opc = IR_mov, .type = op->type, .n_out = 1,
                            .n_in = 1 };
        mv.args[0] = d;
        mv.args[1] = c == IR_COND_ALWAYS ? v1 : v2;
        gen_ir_mov(g, &mv);
        return;
    }
    /* Both values into scratch-free registers first (loads before cmp). */
    load_value(g, v2, X64_RAX);
    int r1;
    if (is_const(g, v1)) {
        x64_mov_ri(&g->b, X64_RDX, const_val(g, v1));
        r1 = X64_RDX;
    } else {
        r1 = in_reg(g, v1);
    }
    gen_cmp(g, op->type, op->args[1], op->args[2]);
    x64_cmov(&g->b, cond_cc(c), w64, X64_RAX, r1);
    int rd = out_reg(g, d, -1, false);
    x64_mov_rr(&g->b, w64, rd, X64_RAX);
    set_out(g, d, rd);
}

/* Globals whose cells overlap [off, off+size) in env. */
static void env_overlap(struct gen *g, int32_t off, unsigned size, bool store)
{
    for (int t = 0; t < g->ir->n_globals; t++) {
        int32_t go = env_off(g, (ir_temp)t);
        if (off < go + 8 && go < off + (int32_t)size) {
            sync_global(g, (ir_temp)t);
            if (store && g->ts[t].reg >= 0)
                unbind(g, g->ts[t].reg);
        }
    }
}

static void gen_ld_env(struct gen *g, const struct ir_op *op)
{
    ir_temp d = op->args[0];
    int32_t off = (int32_t)op->args[1];
    unsigned memop = op->args[2];
    unsigned size = 1u << (memop & IR_MEMOP_SIZE_MASK);
    env_overlap(g, off, size, false);
    int rd = out_reg(g, d, -1, false);
    x64_load(&g->b, rd, X64_RBP, X64_NO_REG, 0, off, size,
             (memop & IR_MEMOP_SIGN) != 0, op->type == IR_I64);
    set_out(g, d, rd);
}

static void gen_st_env(struct gen *g, const struct ir_op *op)
{
    ir_temp s = op->args[0];
    int32_t off = (int32_t)op->args[1];
    unsigned memop = op->args[2];
    unsigned size = 1u << (memop & IR_MEMOP_SIZE_MASK);
    env_overlap(g, off, size, true);
    int rs;
    if (is_const(g, s)) {
        x64_mov_ri(&g->b, X64_RAX, const_val(g, s));
        rs = X64_RAX;
    } else {
        rs = in_reg(g, s);
    }
    x64_store(&g->b, rs, X64_RBP, X64_NO_REG, 0, off, size);
}

/* ---- helper calls ---- */

static void gen_ir_call(struct gen *g, const struct ir_op *op)
{
    int id = (int)op->args[op->n_out + op->n_in];
    const struct helper_info *h = &helper_table[id];
    unsigned fl = h->flags;
    bool reads = !(fl & HLP_NO_READ_G) || !(fl & HLP_NO_RAISE);
    bool writes = !(fl & HLP_NO_WRITE_G);

    _Static_assert(HELPER_MAX_ARGS <= 5, "the env and 5 arguments in registers");
    if (reads || writes)
        sync_all_globals(g);
    /* Caller-saved registers do not survive the call. */
    for (int r = 0; r < 16; r++)
        if ((CALLER_SAVED_MASK & (1u << r)) && g->reg_owner[r] >= 0)
            spill_reg(g, r);
    for (int k = 0; k < op->n_in; k++) {
        ir_temp a = op->args[op->n_out + k];
        if (h->args[k] == H_ENV_PTR) /* a pointer into the CPU state */
            x64_lea(&g->b, true, arg_regs[k + 1], X64_RBP, X64_NO_REG, 0,
                    (int32_t)const_val(g, a));
        else
            load_value(g, a, arg_regs[k + 1]);
    }
    x64_mov_rr(&g->b, true, X64_RDI, X64_RBP);
    call_abs(&g->b, h->fn);
    if (writes) {
        /* The helper may have changed any global: forget cached copies
         * (they were written back above, so nothing is lost). */
        for (int t = 0; t < g->ir->n_globals; t++)
            if (g->ts[t].reg >= 0)
                unbind(g, g->ts[t].reg);
    }
    g->locked = 0;
    if (op->n_out) {
        ir_temp d = op->args[0];
        int rd = out_reg(g, d, -1, false);
        if (h->ret == H_I64)
            x64_mov_rr(&g->b, true, rd, X64_RAX);
        else
            x64_mov_rr(&g->b, false, rd, X64_RAX);
        set_out(g, d, rd);
    }
}

/* ---- block structure ---- */

static void gen_exit(struct gen *g, uintptr_t value)
{
    x64_mov_ri(&g->b, X64_RAX, (uint64_t)value);
    x64_jmp_rel32(&g->b, g->tramp_epilogue);
}

static void add_fixup(struct gen *g, size_t field, int label)
{
    if (g->n_fixups == g->cap_fixups) {
        g->cap_fixups = g->cap_fixups ? 2 * g->cap_fixups : 32;
        g->fixups = xrealloc(g->fixups,
                             (size_t)g->cap_fixups * sizeof(*g->fixups));
    }
    g->fixups[g->n_fixups].field = field;
    g->fixups[g->n_fixups].label = label;
    g->n_fixups++;
}

static void gen_entry(struct gen *g)
{
    struct tb *tb = g->tb;
    /* Pending interrupts and the icount budget break chains here; the
     * exit (the block did not run) is out of line, after the slow paths
     * (gen_entry_exit). The budget part exists only in blocks translated
     * under -icount (CF_ICOUNT). The running block is not stored: tb_running finds
     * it from the host return address when a store needs it. */
    x64_arith_mi(&g->b, ARITH_CMP, false, X64_RBP, CPU_OFF(exit_request), 0);
    g->n_entry_exit = 0;
    g->entry_exit[g->n_entry_exit++] =
        x64_jcc_rel32(&g->b, X64_CC_NE, x64_addr(&g->b));
    if (!(tb->cflags & CF_ICOUNT))
        return;
    x64_load(&g->b, X64_RAX, X64_RBP, X64_NO_REG, 0, CPU_OFF(icount_budget), 8,
             false, true);
    x64_arith_ri(&g->b, ARITH_SUB, true, X64_RAX, tb->icount);
    g->entry_exit[g->n_entry_exit++] =
        x64_jcc_rel32(&g->b, X64_CC_L, x64_addr(&g->b));
    x64_store(&g->b, X64_RAX, X64_RBP, X64_NO_REG, 0, CPU_OFF(icount_budget), 8);
    x64_arith_mi(&g->b, ARITH_ADD, true, X64_RBP, CPU_OFF(icount), tb->icount);
}

static void gen_entry_exit(struct gen *g)
{
    for (int i = 0; i < g->n_entry_exit; i++)
        x64_patch_rel32(&g->b, g->entry_exit[i], x64_addr(&g->b));
    gen_exit(g, (uintptr_t)g->tb | TB_EXIT_REQUESTED);
}

/* eip_reg: the register holding the new EIP, stored only on the way out
 * to the CPU loop (-1: already in env). */
static void gen_goto_tb(struct gen *g, int slot, int eip_reg)
{
    struct tb *tb = g->tb;
    size_t field = x64_jmp_rel32(&g->b, x64_addr(&g->b) + 5);
    tb->jmp_insn_offset[slot] = g->b.rx + field;
    tb->jmp_reset_offset[slot] = x64_addr(&g->b);
    if (eip_reg >= 0)
        x64_store(&g->b, eip_reg, X64_RBP, X64_NO_REG, 0, CPU_OFF(eip), 8);
    gen_exit(g, (uintptr_t)tb | (uintptr_t)slot);
}

/*
 * Indirect branch: the per-CPU jump cache inline (the index is
 * tb_jmp_cache_hash of tb.h), then tb_lookup_from for a miss (a block of
 * this block's tier), then back to the loop.
 * The key is the guest's (tb_guest_key of tb.h):
 *   edx = base; eax = base + pc; ecx = (eax ^ eax >> JMP_CACHE_BITS) & mask
 *   rcx = &jmp_cache[ecx]; check pc, base, flags; jmp [rcx + code]
 * (eax is the linear pc, zero-extended by the 32-bit add: compared with
 * the entry's 64-bit pc.)
 */
static void gen_lookup_tb(struct gen *g)
{
    size_t miss[3];
    x64_load(&g->b, X64_RDX, X64_RBP, X64_NO_REG, 0,
             (int32_t)tb_guest_key.base_off, 4, false, false);
    x64_mov_rr(&g->b, false, X64_RAX, X64_RDX);
    x64_arith_rm(&g->b, ARITH_ADD, false, X64_RAX, X64_RBP, X64_NO_REG, 0,
                 (int32_t)tb_guest_key.pc_off);
    x64_mov_rr(&g->b, false, X64_RCX, X64_RAX);
    x64_shift_ri(&g->b, SHIFT_SHR, false, X64_RCX, JMP_CACHE_BITS);
    x64_arith_rr(&g->b, ARITH_XOR, false, X64_RCX, X64_RAX);
    x64_arith_ri(&g->b, ARITH_AND, false, X64_RCX, JMP_CACHE_SIZE - 1);
    /* rcx = &jmp_cache[index]: the entry holds the key and the code */
    _Static_assert(sizeof(struct jmp_cache_entry) == 32, "32-byte entries");
    x64_shift_ri(&g->b, SHIFT_SHL, false, X64_RCX, 5);
    x64_lea(&g->b, true, X64_RCX, X64_RBP, X64_RCX, 0, CPU_OFF(jmp_cache));
    x64_arith_rm(&g->b, ARITH_CMP, true, X64_RAX, X64_RCX, X64_NO_REG, 0,
                 (int32_t)offsetof(struct jmp_cache_entry, pc));
    miss[0] = x64_jcc_rel32(&g->b, X64_CC_NE, x64_addr(&g->b));
    x64_arith_rm(&g->b, ARITH_CMP, false, X64_RDX, X64_RCX, X64_NO_REG, 0,
                 (int32_t)offsetof(struct jmp_cache_entry, cs_base));
    miss[1] = x64_jcc_rel32(&g->b, X64_CC_NE, x64_addr(&g->b));
    x64_load(&g->b, X64_RAX, X64_RBP, X64_NO_REG, 0,
             (int32_t)tb_guest_key.flags_off, 4, false, false);
    x64_arith_rm(&g->b, ARITH_CMP, false, X64_RAX, X64_RCX, X64_NO_REG, 0,
                 (int32_t)offsetof(struct jmp_cache_entry, flags));
    miss[2] = x64_jcc_rel32(&g->b, X64_CC_NE, x64_addr(&g->b));
    x64_jmp_m(&g->b, X64_RCX, (int32_t)offsetof(struct jmp_cache_entry, code));
    for (int i = 0; i < 3; i++)
        x64_patch_rel32(&g->b, miss[i], x64_addr(&g->b));

    x64_mov_rr(&g->b, true, X64_RDI, X64_RBP);
    x64_mov_ri(&g->b, X64_RSI, (uintptr_t)g->tb);
    call_abs(&g->b, (const void *)tb_lookup_from);
    x64_test_rr(&g->b, true, X64_RAX, X64_RAX);
    size_t none = x64_jcc_rel32(&g->b, X64_CC_E, x64_addr(&g->b));
    x64_jmp_m(&g->b, X64_RAX, (int32_t)offsetof(struct tb, code));
    x64_patch_rel32(&g->b, none, x64_addr(&g->b));
    gen_exit(g, (uintptr_t)g->tb | TB_EXIT_NOCHAIN);
}

/* Every op has its case and there is no default (see enum ir_opc). */
static void gen_ir_op(struct gen *g, const struct ir_op *op)
{
    g->locked = 0;
    switch ((enum ir_opc)op->opc) {
    case IR_mov: gen_ir_mov(g, op); break;
    case IR_movi: gen_movi(g, op); break;
    case IR_add: case IR_sub: case IR_mul: case IR_and: case IR_or:
    case IR_xor: case IR_shl: case IR_shr: case IR_sar: case IR_rotl:
    case IR_rotr:
        gen_binary(g, op);
        break;
    case IR_mulu2: case IR_muls2: gen_mul2(g, op); break;
    case IR_neg: case IR_not: case IR_ext8s: case IR_ext8u: case IR_ext16s:
    case IR_ext16u: case IR_ext32s: case IR_ext32u: case IR_bswap32:
        gen_unary(g, op);
        break;
    case IR_extract: gen_extract(g, op, false); break;
    case IR_sextract: gen_extract(g, op, true); break;
    case IR_deposit: gen_deposit(g, op); break;
    case IR_setcond: gen_setcond(g, op); break;
    case IR_movcond: gen_movcond(g, op); break;
    case IR_ld_env: gen_ld_env(g, op); break;
    case IR_st_env: gen_st_env(g, op); break;
    case IR_ld_guest: gen_ld_guest(g, op); break;
    case IR_st_guest: gen_st_guest(g, op); break;
    case IR_call: gen_ir_call(g, op); break;
    case IR_set_label:
        flush_all(g);
        g->label_pos[op->args[0]] = g->b.pos;
        break;
    case IR_br: {
        flush_all(g);
        size_t f = x64_jmp_rel32(&g->b, x64_addr(&g->b));
        add_fixup(g, f, (int)op->args[0]);
        break;
    }
    case IR_brcond: {
        enum ir_cond c = (enum ir_cond)op->args[2];
        int label = (int)op->args[3];
        if (c == IR_COND_NEVER) {
            flush_all(g);
            break;
        }
        if (c == IR_COND_ALWAYS) {
            flush_all(g);
            size_t f = x64_jmp_rel32(&g->b, x64_addr(&g->b));
            add_fixup(g, f, label);
            break;
        }
        /* Operands into registers, write everything back (stores keep
         * the registers), then compare and branch. */
        int ra = in_reg(g, op->args[0]);
        int32_t imm = 0;
        bool c_imm = imm_ok(g, op->args[1], op->type, &imm);
        int rc = c_imm ? -1 : in_reg(g, op->args[1]);
        for (int r = 0; r < 16; r++) {
            int t = g->reg_owner[r];
            if (t < 0)
                continue;
            if ((((ir_temp)t == op->args[0]) && (op->dead_after & 1)) ||
                (((ir_temp)t == op->args[1]) && (op->dead_after & 2)))
                continue; /* an operand that dies here */
            if (is_global(g, (ir_temp)t)) {
                sync_global(g, (ir_temp)t);
            } else {
                struct tstate *s = &g->ts[t];
                if (!s->in_slot) {
                    if (s->slot < 0)
                        s->slot = (int16_t)alloc_slot(g);
                    x64_store(&g->b, r, X64_RSP, X64_NO_REG, 0,
                              slot_off(s->slot), 8);
                    s->in_slot = true;
                }
            }
        }
        bool w64 = op->type == IR_I64;
        if (c_imm)
            x64_arith_ri(&g->b, ARITH_CMP, w64, ra, imm);
        else
            x64_arith_rr(&g->b, ARITH_CMP, w64, ra, rc);
        for (int r = 0; r < 16; r++)
            if (g->reg_owner[r] >= 0)
                unbind(g, r);
        size_t f = x64_jcc_rel32(&g->b, cond_cc(c), x64_addr(&g->b));
        add_fixup(g, f, label);
        break;
    }
    case IR_insn_start:
        if (g->insn_idx > 0)
            g->tb->insns[g->insn_idx - 1].host_end =
                (uint32_t)(g->b.pos - g->block_start);
        g->insn_idx++;
        break;
    case IR_goto_tb: {
        /* A chained jump leaves EIP unstored: the next block knows its
         * own pc, faults restore EIP from the side table, and an exit at
         * the next block's entry check sets it from that block (the CPU
         * loop, TB_EXIT_REQUESTED). Only the exit to the loop stores it. */
        struct tstate *e = &g->ts[ir_global(IR_G_EIP)];
        int eip_reg = e->reg >= 0 && e->dirty ? e->reg : -1;
        if (eip_reg >= 0)
            e->dirty = false;
        leave_block(g);
        gen_goto_tb(g, (int)op->args[0], eip_reg);
        break;
    }
    case IR_exit_tb:
        leave_block(g);
        gen_exit(g, (uintptr_t)g->tb | (uintptr_t)op->args[0]);
        break;
    case IR_lookup_tb:
        leave_block(g);
        gen_lookup_tb(g);
        break;
    }
    release_dead(g, op);
}

static bool x86_gen(void *be, struct ir_block *ir, struct tb *tb)
{
    struct x64_state *st = be;
    struct gen *g = &st->g;
    size_t start = (st->code_pos + 15) & ~(size_t)15;

    if (g->n_ts_cap < ir->n_temps) {
        g->n_ts_cap = ir->n_temps * 2;
        g->ts = xrealloc(g->ts, (size_t)g->n_ts_cap * sizeof(*g->ts));
    }
    for (int i = 0; i < ir->n_temps; i++)
        g->ts[i] = (struct tstate){ .reg = -1, .slot = -1 };
    for (int r = 0; r < 16; r++)
        g->reg_owner[r] = -1;
    memset(g->slot_used, 0, sizeof(g->slot_used));
    g->label_pos = xrealloc(g->label_pos,
                            (size_t)(ir->n_labels + 1) * sizeof(size_t));
    for (int i = 0; i < ir->n_labels; i++)
        g->label_pos[i] = SIZE_MAX;
    g->n_fixups = 0;
    g->n_stubs = 0;
    g->insn_idx = 0;
    g->ir = ir;
    g->tb = tb;
    g->tramp_epilogue = st->tramp_epilogue;
    g->failed = false;
    buf_open(st, &g->b, start);
    g->block_start = start;

    gen_entry(g);
    for (int i = 0; i < ir->n_ops && !g->b.overflow && !g->failed; i++)
        gen_ir_op(g, &ir->ops[i]);
    if (g->insn_idx > 0)
        tb->insns[g->insn_idx - 1].host_end = (uint32_t)(g->b.pos - start);
    gen_stubs(g);
    gen_entry_exit(g);
    if (g->b.overflow)
        return false;
    J_ASSERT(!g->failed);
    for (int i = 0; i < g->n_fixups; i++) {
        J_ASSERT(g->label_pos[g->fixups[i].label] != SIZE_MAX);
        x64_patch_rel32(&g->b, g->fixups[i].field,
                        g->b.rx + g->label_pos[g->fixups[i].label]);
    }
    tb->code = st->code_rx + start;
    tb->code_size = (uint32_t)(g->b.pos - start);
    st->code_pos = g->b.pos;
    if (st->perfmap)
        fprintf(st->perfmap, "%" PRIxPTR " %x jet86-tb-%08" PRIx64 "\n",
                (uintptr_t)tb->code, tb->code_size, tb->pc);
    return true;
}

static uintptr_t x86_exec(void *be, struct cpu *cpu, struct tb *tb)
{
    struct x64_state *st = be;
    cpu->interp_pc = 0;
    return st->tramp_enter(cpu, tb->code);
}

static void x86_set_jump(void *be, struct tb *tb, int slot, struct tb *dest)
{
    struct x64_state *st = be;
    struct x64_buf b;
    buf_open(st, &b, 0);
    size_t field =
        (size_t)(tb->jmp_insn_offset[slot] - (uintptr_t)st->code_rx);
    uintptr_t target = dest ? (uintptr_t)dest->code : tb->jmp_reset_offset[slot];
    x64_patch_rel32(&b, field, target);
}

static int x86_find_insn(void *be, struct tb *tb, uintptr_t ra)
{
    (void)be;
    uintptr_t start = (uintptr_t)tb->code;
    if (ra <= start || ra > start + tb->code_size)
        return -1;
    /* ra is a return address: the instruction it belongs to is the one
     * whose code contains ra - 1. */
    uint32_t off = (uint32_t)(ra - start - 1);
    for (int i = 0; i < tb->icount; i++)
        if (off < tb->insns[i].host_end)
            return i;
    return -1;
}

static void x86_dump(void *be, struct tb *tb, FILE *f)
{
    (void)be;
    fprintf(f, "OUT: [size=%u] tb %08" PRIx64 "\n", tb->code_size, tb->pc);
    uint32_t prev = 0;
    for (int i = 0; i < tb->icount; i++) {
        fprintf(f, "  -- guest %08" PRIx64 "\n", tb->insns[i].eip);
        uint32_t end = tb->insns[i].host_end;
        if (end > prev)
            disas_host(f, tb->code + prev, end - prev,
                       (uint64_t)(uintptr_t)tb->code + prev);
        prev = end;
    }
    if (tb->code_size > prev) {
        fprintf(f, "  -- exits and slow paths\n");
        disas_host(f, tb->code + prev, tb->code_size - prev,
                   (uint64_t)(uintptr_t)tb->code + prev);
    }
    fprintf(f, "\n");
}

const struct backend backend_x86_64 = {
    .name = "x86_64",
    .init = x86_init,
    .fini = x86_fini,
    .gen = x86_gen,
    .exec = x86_exec,
    .set_jump = x86_set_jump,
    .find_insn = x86_find_insn,
    .owns = x86_owns,
    .reset = x86_reset,
    .cpu_gone = x86_cpu_gone,
    .dump = x86_dump,
};
