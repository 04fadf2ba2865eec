/*
 * x86_64_regs.c - the native backend's register allocator: which host
 * register holds which IR temp, spilling to env (globals) or to stack
 * slots (locals), and the write-backs at block and basic-block ends.
 * Greedy, one op at a time, guided by the optimizer's dead_after bits.
 */
#include "base/util.h"
#include "translator/backend/x86_64_internal.h"

static const int alloc_order[] = {
    X64_RBX, X64_R12, X64_R13, X64_R14, X64_R15,
    X64_RSI, X64_RDI, X64_R8,  X64_R9,  X64_R10,
};
void unbind(struct gen *g, int r)
{
    int t = g->reg_owner[r];
    if (t >= 0) {
        g->ts[t].reg = -1;
        g->ts[t].dirty = false;
    }
    g->reg_owner[r] = -1;
}

void reg_bind(struct gen *g, ir_temp t, int r)
{
    if (g->ts[t].reg >= 0 && g->ts[t].reg != r)
        g->reg_owner[g->ts[t].reg] = -1;
    if (g->reg_owner[r] >= 0 && g->reg_owner[r] != (int)t)
        unbind(g, r);
    g->reg_owner[r] = (int)t;
    g->ts[t].reg = (int8_t)r;
}

/* Write a global's register back to env if it is newer. */
void sync_global(struct gen *g, ir_temp t)
{
    struct tstate *s = &g->ts[t];
    if (s->reg >= 0 && s->dirty) {
        x64_store(&g->b, s->reg, X64_RBP, X64_NO_REG, 0, env_off(g, t), 8);
        s->dirty = false;
    }
}

int alloc_slot(struct gen *g)
{
    for (int i = 0; i < FRAME_SLOTS; i++)
        if (!g->slot_used[i]) {
            g->slot_used[i] = 1;
            return i;
        }
    g->failed = true;
    return 0;
}

/* Free register r, keeping its value where it can be found again. */
void spill_reg(struct gen *g, int r)
{
    int t = g->reg_owner[r];
    if (t < 0)
        return;
    if (is_global(g, (ir_temp)t)) {
        sync_global(g, (ir_temp)t);
    } else {
        struct tstate *s = &g->ts[t];
        if (!s->in_slot) {
            if (s->slot < 0)
                s->slot = (int16_t)alloc_slot(g);
            x64_store(&g->b, r, X64_RSP, X64_NO_REG, 0, slot_off(s->slot), 8);
            s->in_slot = true;
        }
    }
    unbind(g, r);
}

int alloc_reg(struct gen *g, uint16_t avoid)
{
    avoid |= g->locked;
    for (size_t i = 0; i < ARRAY_SIZE(alloc_order); i++) {
        int r = alloc_order[i];
        if (!(avoid & (1u << r)) && g->reg_owner[r] < 0)
            return r;
    }
    /* Evict: a clean global first (free), then anything. */
    for (size_t i = 0; i < ARRAY_SIZE(alloc_order); i++) {
        int r = alloc_order[i];
        int t = g->reg_owner[r];
        if (!(avoid & (1u << r)) && t >= 0 && is_global(g, (ir_temp)t) &&
            !g->ts[t].dirty) {
            unbind(g, r);
            return r;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(alloc_order); i++) {
        int r = alloc_order[i];
        if (!(avoid & (1u << r))) {
            spill_reg(g, r);
            return r;
        }
    }
    J_ASSERT(!"no register to allocate");
    return X64_RBX;
}

/* Load the value of t into host register r (not bound). */
void load_value(struct gen *g, ir_temp t, int r)
{
    struct tstate *s = &g->ts[t];
    if (is_const(g, t)) {
        x64_mov_ri(&g->b, r, const_val(g, t));
    } else if (s->reg >= 0) {
        if (s->reg != r)
            x64_mov_rr(&g->b, true, r, s->reg);
    } else if (is_global(g, t)) {
        x64_load(&g->b, r, X64_RBP, X64_NO_REG, 0, env_off(g, t), 8, false,
                 true);
    } else if (s->in_slot) {
        x64_load(&g->b, r, X64_RSP, X64_NO_REG, 0, slot_off(s->slot), 8,
                 false, true);
    } else {
        /* A local read before any write: its value is undefined; use 0. */
        x64_mov_ri(&g->b, r, 0);
    }
}

/* A register holding t (bound to it unless t is a constant). */
int in_reg(struct gen *g, ir_temp t)
{
    if (!is_const(g, t) && g->ts[t].reg >= 0) {
        g->locked |= 1u << g->ts[t].reg;
        return g->ts[t].reg;
    }
    int r = alloc_reg(g, 0);
    load_value(g, t, r);
    if (!is_const(g, t)) {
        reg_bind(g, t, r);
        g->ts[t].dirty = false;
    }
    g->locked |= 1u << r;
    return r;
}

/* Constant usable as a sign-extended imm32 for an op of type ty. */
bool imm_ok(struct gen *g, ir_temp t, enum ir_type ty, int32_t *imm)
{
    if (!is_const(g, t))
        return false;
    uint64_t v = const_val(g, t);
    if (ty == IR_I32) {
        *imm = (int32_t)(uint32_t)v;
        return true;
    }
    if ((int64_t)v == (int32_t)v) {
        *imm = (int32_t)v;
        return true;
    }
    return false;
}

/* The register for output t: reuse `prefer` when it holds an input that
 * dies here (or t itself), else a fresh one. The value is not set. */
int out_reg(struct gen *g, ir_temp t, int prefer_reg, bool prefer_ok)
{
    if (prefer_ok && prefer_reg >= 0)
        return prefer_reg;
    if (!is_const(g, t) && g->ts[t].reg >= 0 &&
        !(g->locked & (1u << g->ts[t].reg)))
        return g->ts[t].reg;
    return alloc_reg(g, 0);
}

/* Record that register r now holds output t. */
void set_out(struct gen *g, ir_temp t, int r)
{
    reg_bind(g, t, r);
    if (is_global(g, t)) {
        g->ts[t].dirty = true;
    } else {
        g->ts[t].in_slot = false;
    }
    g->locked |= 1u << r;
}

/* Can input `in` (argument index k of op) give its register to the
 * output? Yes when it is the output itself, or a local dying here. */
bool input_reusable(struct gen *g, const struct ir_op *op, int k,
                           ir_temp out)
{
    ir_temp in = op->args[k];
    if (is_const(g, in) || g->ts[in].reg < 0)
        return false;
    if (in == out)
        return true;
    if (is_global(g, in))
        return false;
    return (op->dead_after >> k) & 1;
}

/* After an op: free registers of locals that died there. */
void release_dead(struct gen *g, const struct ir_op *op)
{
    int n = op->n_out + op->n_in;
    for (int k = 0; k < n; k++) {
        if (!((op->dead_after >> k) & 1))
            continue;
        ir_temp t = op->args[k];
        if (is_const(g, t) || is_global(g, t))
            continue;
        struct tstate *s = &g->ts[t];
        if (s->reg >= 0)
            unbind(g, s->reg);
        if (s->slot >= 0) {
            g->slot_used[s->slot] = 0;
            s->slot = -1;
        }
        s->in_slot = false;
    }
}

/* Basic-block boundary: everything to memory, nothing left in registers. */
void flush_all(struct gen *g)
{
    for (int r = 0; r < 16; r++)
        if (g->reg_owner[r] >= 0)
            spill_reg(g, r);
}

void sync_all_globals(struct gen *g)
{
    for (int t = 0; t < g->ir->n_globals; t++)
        sync_global(g, (ir_temp)t);
}

/* Block exit: globals to env; locals are dead past the block. */
void leave_block(struct gen *g)
{
    sync_all_globals(g);
    for (int r = 0; r < 16; r++)
        if (g->reg_owner[r] >= 0)
            unbind(g, r);
}

