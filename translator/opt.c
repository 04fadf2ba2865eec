/*
 * opt.c - the block optimizer: constant and copy propagation with folding
 * inside basic blocks, then a backward liveness pass that deletes ops whose
 * results are never used (most of them lazy-flag updates overwritten before
 * being read) and records where each argument dies (dead_after).
 */
#include <stdlib.h>
#include <string.h>

#include "frontend/util.h"
#include "translator/cpu.h"
#include "translator/ir.h"
#include "translator/ir_eval.h"

/* Marks an op deleted until the list is compacted. */
#define OPT_DELETED 0xff

/* End of the IR globals in struct cpu: ld_env/st_env below it touch a
 * global cell behind the IR's back. */
#define OPT_GLOBALS_END (CPU_OFF(cc_op) + (int)sizeof(uint64_t))

/* ---- forward pass: constant and copy propagation ---- */

enum { KNOW_NONE, KNOW_CONST, KNOW_COPY };

struct opt_know {
    uint8_t kind;
    bool copy32;       /* the copy is zext32(src): good for 32-bit readers */
    ir_temp src;       /* KNOW_COPY */
    uint32_t src_gen;  /* write generation of src when copied */
    uint64_t value;    /* KNOW_CONST */
};

struct opt_state {
    struct opt_know *know;
    uint32_t *gen;
    int cap;
};

static void opt_grow(struct opt_state *s, int n)
{
    if (n <= s->cap)
        return;
    int cap = s->cap ? s->cap : 256;
    while (cap < n)
        cap *= 2;
    s->know = xrealloc(s->know, sizeof(*s->know) * cap);
    s->gen = xrealloc(s->gen, sizeof(*s->gen) * cap);
    memset(s->know + s->cap, 0, sizeof(*s->know) * (cap - s->cap));
    memset(s->gen + s->cap, 0, sizeof(*s->gen) * (cap - s->cap));
    s->cap = cap;
}

static void opt_forget_all(struct opt_state *s, int n)
{
    memset(s->know, 0, sizeof(*s->know) * n);
}

static void opt_written(struct opt_state *s, ir_temp t)
{
    s->gen[t]++;
    s->know[t].kind = KNOW_NONE;
}

static void opt_globals_written(struct opt_state *s, const struct ir_block *b)
{
    for (int g = 0; g < b->n_globals; g++)
        opt_written(s, (ir_temp)g);
}

/* True if input k of op uses only the low 32 bits of its value. */
static bool opt_input_is_32(const struct ir_op *op, int k)
{
    const uint32_t *c = op->args + op->n_out + op->n_in;

    switch (op->opc) {
    case IR_call:
        return helper_table[c[0]].args[k] == H_I32;
    case IR_ld_guest:
        return true;
    case IR_st_guest:
        return k == 0 || (c[0] & IR_MEMOP_SIZE_MASK) <= IR_MO_32;
    case IR_st_env:
        return (c[1] & IR_MEMOP_SIZE_MASK) <= IR_MO_32;
    case IR_ext32s: case IR_ext32u:
        return false;
    default:
        return !(ir_opdefs[op->opc].flags & IRF_NOTYPE) && op->type == IR_I32;
    }
}

static bool opt_touches_globals(const struct ir_op *op)
{
    return (op->opc == IR_ld_env || op->opc == IR_st_env) &&
           (int32_t)op->args[op->n_out + op->n_in] < OPT_GLOBALS_END;
}

static void opt_make_movi(struct ir_block *b, struct ir_op *op, uint64_t v)
{
    ir_temp d = op->args[0];
    enum ir_type t = op->type;
    op->opc = IR_movi;
    op->n_out = 1;
    op->n_in = 0;
    op->args[0] = d;
    op->args[1] = ir_const(b, t, v);
}

static void opt_make_mov(struct ir_block *b, struct ir_op *op, ir_temp s)
{
    if (ir_is_const(b, s)) {
        opt_make_movi(b, op, b->temps[s].value);
        return;
    }
    op->opc = IR_mov;
    op->n_out = 1;
    op->n_in = 1;
    op->args[1] = s;
}

static uint64_t opt_cval(const struct ir_block *b, ir_temp t)
{
    return b->temps[t].value;
}

/* Fold op when its inputs are constants, apply the builders' algebraic
 * identities, and turn decided branches into br (or delete them). */
static void opt_fold(struct ir_block *b, struct ir_op *op)
{
    enum ir_type t = op->type;
    const uint32_t *a = op->args;
    uint64_t r = 0;

    switch (op->opc) {
    case IR_mov:
        if (ir_is_const(b, a[1]))
            opt_make_movi(b, op, opt_cval(b, a[1]));
        else if (a[0] == a[1] && t == IR_I64)
            op->opc = OPT_DELETED;
        break;
    case IR_add: case IR_sub: case IR_mul: case IR_and: case IR_or:
    case IR_xor: case IR_shl: case IR_shr: case IR_sar: case IR_rotl:
    case IR_rotr: {
        ir_temp x = a[1], y = a[2];
        if (ir_is_const(b, x) && ir_is_const(b, y)) {
            ir_eval_op2(op->opc, t, opt_cval(b, x), opt_cval(b, y), &r);
            opt_make_movi(b, op, r);
            break;
        }
        bool comm = op->opc == IR_add || op->opc == IR_mul ||
                    op->opc == IR_and || op->opc == IR_or ||
                    op->opc == IR_xor;
        if (comm && ir_is_const(b, x)) {
            op->args[1] = y;
            op->args[2] = x;
            x = y;
            y = op->args[2];
        }
        if (x == y) {
            if (op->opc == IR_sub || op->opc == IR_xor) {
                opt_make_movi(b, op, 0);
                break;
            }
            if (op->opc == IR_and || op->opc == IR_or) {
                opt_make_mov(b, op, x);
                break;
            }
        }
        if (!ir_is_const(b, y))
            break;
        uint64_t v = ir_eval_trunc(t, opt_cval(b, y));
        switch (op->opc) {
        case IR_add: case IR_sub: case IR_or: case IR_xor:
            if (v == 0)
                opt_make_mov(b, op, x);
            break;
        case IR_shl: case IR_shr: case IR_sar: case IR_rotl: case IR_rotr:
            if ((v & (t == IR_I32 ? 31 : 63)) == 0)
                opt_make_mov(b, op, x);
            break;
        case IR_and:
            if (v == 0)
                opt_make_movi(b, op, 0);
            else if (v == ir_eval_trunc(t, ~(uint64_t)0))
                opt_make_mov(b, op, x);
            break;
        case IR_mul:
            if (v == 0)
                opt_make_movi(b, op, 0);
            else if (v == 1)
                opt_make_mov(b, op, x);
            break;
        default:
            break;
        }
        break;
    }
    case IR_neg: case IR_not: case IR_ext8s: case IR_ext8u: case IR_ext16s:
    case IR_ext16u: case IR_ext32s: case IR_ext32u: case IR_bswap32:
        if (ir_is_const(b, a[1]) &&
            ir_eval_op1(op->opc, t, opt_cval(b, a[1]), &r))
            opt_make_movi(b, op, r);
        break;
    case IR_extract:
        if (ir_is_const(b, a[1]))
            opt_make_movi(b, op,
                          ir_eval_extract(t, opt_cval(b, a[1]), a[2], a[3]));
        break;
    case IR_sextract:
        if (ir_is_const(b, a[1]))
            opt_make_movi(b, op,
                          ir_eval_sextract(t, opt_cval(b, a[1]), a[2], a[3]));
        break;
    case IR_deposit:
        if (ir_is_const(b, a[1]) && ir_is_const(b, a[2]))
            opt_make_movi(b, op, ir_eval_deposit(t, opt_cval(b, a[1]),
                                                 opt_cval(b, a[2]), a[3],
                                                 a[4]));
        break;
    case IR_setcond:
        if (ir_is_const(b, a[1]) && ir_is_const(b, a[2]))
            opt_make_movi(b, op, ir_eval_cond((enum ir_cond)a[3], t,
                                              opt_cval(b, a[1]),
                                              opt_cval(b, a[2])));
        break;
    case IR_movcond:
        if (ir_is_const(b, a[1]) && ir_is_const(b, a[2])) {
            bool c = ir_eval_cond((enum ir_cond)a[5], t, opt_cval(b, a[1]),
                                  opt_cval(b, a[2]));
            opt_make_mov(b, op, c ? a[3] : a[4]);
        } else if (a[3] == a[4]) {
            opt_make_mov(b, op, a[3]);
        }
        break;
    case IR_brcond:
        if (ir_is_const(b, a[0]) && ir_is_const(b, a[1])) {
            uint32_t label = a[3];
            if (ir_eval_cond((enum ir_cond)a[2], t, opt_cval(b, a[0]),
                             opt_cval(b, a[1]))) {
                op->opc = IR_br;
                op->n_in = 0;
                op->args[0] = label;
            } else {
                op->opc = OPT_DELETED;
            }
        }
        break;
    default:
        break;
    }
}

static void opt_propagate(struct ir_block *b, struct opt_state *s)
{
    opt_grow(s, b->n_temps);
    opt_forget_all(s, b->n_temps);
    memset(s->gen, 0, sizeof(*s->gen) * s->cap);

    for (int i = 0; i < b->n_ops; i++) {
        struct ir_op *op = &b->ops[i];

        if (op->opc == IR_set_label) {
            /* Another path may join here: forget what this one knew. */
            opt_forget_all(s, b->n_temps);
            continue;
        }

        /* Replace inputs by what they are known to equal. */
        for (int k = 0; k < op->n_in; k++) {
            ir_temp t = op->args[op->n_out + k];
            if (ir_is_const(b, t))
                continue;
            struct opt_know *kn = &s->know[t];
            if (kn->kind == KNOW_CONST) {
                enum ir_type ct = kn->value > UINT32_MAX ? IR_I64 : IR_I32;
                op->args[op->n_out + k] = ir_const(b, ct, kn->value);
                opt_grow(s, b->n_temps);
            } else if (kn->kind == KNOW_COPY && s->gen[kn->src] == kn->src_gen &&
                       (!kn->copy32 || opt_input_is_32(op, k))) {
                op->args[op->n_out + k] = kn->src;
            }
        }

        opt_fold(b, op);
        opt_grow(s, b->n_temps);
        if (op->opc == OPT_DELETED)
            continue;

        for (int k = 0; k < op->n_out; k++)
            opt_written(s, op->args[k]);
        if (op->opc == IR_call &&
            !(helper_table[op->args[op->n_out + op->n_in]].flags &
              HLP_NO_WRITE_G))
            opt_globals_written(s, b);
        if (op->opc == IR_st_env && opt_touches_globals(op))
            opt_globals_written(s, b);

        if (op->opc == IR_movi) {
            ir_temp d = op->args[0];
            s->know[d].kind = KNOW_CONST;
            s->know[d].value = b->temps[op->args[1]].value;
        } else if (op->opc == IR_mov && op->args[0] != op->args[1]) {
            ir_temp d = op->args[0], src = op->args[1];
            struct opt_know *kn = &s->know[d];
            kn->kind = KNOW_COPY;
            kn->src = src;
            kn->src_gen = s->gen[src];
            kn->copy32 = op->type == IR_I32;
        }
    }
}

/* ---- backward pass: liveness ---- */

struct opt_bits {
    uint64_t *w;
    int n_words;
};

#define BIT_GET(bs, i) (((bs)[(i) >> 6] >> ((i) & 63)) & 1)
#define BIT_SET(bs, i) ((bs)[(i) >> 6] |= (uint64_t)1 << ((i) & 63))
#define BIT_CLR(bs, i) ((bs)[(i) >> 6] &= ~((uint64_t)1 << ((i) & 63)))

static void opt_or(uint64_t *d, const uint64_t *s, int n)
{
    for (int i = 0; i < n; i++)
        d[i] |= s[i];
}

static bool opt_deletable(const struct ir_op *op)
{
    /* A call to a pure helper (no globals, never raises) with a result
     * nobody reads is dead like any other op: e.g. the CF that INC
     * computes to preserve it, when the next instruction sets all flags. */
    if (op->opc == IR_call && op->n_out == 1) {
        unsigned f = helper_table[op->args[op->n_out + op->n_in]].flags;
        return (f & HLP_PURE) == HLP_PURE;
    }
    return !(ir_opdefs[op->opc].flags &
             (IRF_SIDE_EFFECTS | IRF_MAY_RAISE | IRF_CALL));
}

/* Must every global be current in memory before op (live-in)? */
static bool opt_needs_globals(const struct ir_op *op)
{
    if (ir_opdefs[op->opc].flags & (IRF_MAY_RAISE | IRF_BB_END))
        return true;
    if (op->opc == IR_call) {
        unsigned f = helper_table[op->args[op->n_out + op->n_in]].flags;
        return !((f & HLP_NO_READ_G) && (f & HLP_NO_RAISE));
    }
    return opt_touches_globals(op);
}

void ir_liveness(struct ir_block *b)
{
    int nt = b->n_temps, nw = (nt + 63) / 64;
    int nl = b->n_labels;
    uint64_t *live = xcalloc((size_t)nw, sizeof(uint64_t));
    uint64_t *globals = xcalloc((size_t)nw, sizeof(uint64_t));
    uint64_t *read_any = xcalloc((size_t)nw, sizeof(uint64_t));
    uint64_t *label_live = xcalloc((size_t)(nl ? nl : 1) * nw, sizeof(uint64_t));
    bool *label_known = xcalloc((size_t)(nl ? nl : 1), sizeof(bool));

    for (int g = 0; g < b->n_globals; g++)
        BIT_SET(globals, g);
    /* Every value read anywhere: the safe guess of what is live where a
     * branch goes to a label not yet seen (a backward branch). */
    for (int i = 0; i < b->n_ops; i++) {
        const struct ir_op *op = &b->ops[i];
        if (op->opc == OPT_DELETED)
            continue;
        for (int k = 0; k < op->n_in; k++)
            BIT_SET(read_any, op->args[op->n_out + k]);
    }
    opt_or(read_any, globals, nw);

    /* Block end: globals live, locals dead. */
    memcpy(live, globals, sizeof(uint64_t) * nw);

    for (int i = b->n_ops - 1; i >= 0; i--) {
        struct ir_op *op = &b->ops[i];
        if (op->opc == OPT_DELETED)
            continue;
        const uint32_t *c = op->args + op->n_out + op->n_in;

        /* Live-out of control flow ops. */
        switch (op->opc) {
        case IR_goto_tb: case IR_exit_tb: case IR_lookup_tb:
            memcpy(live, globals, sizeof(uint64_t) * nw);
            break;
        case IR_br:
            if (c[0] < (uint32_t)nl && label_known[c[0]])
                memcpy(live, label_live + (size_t)c[0] * nw,
                       sizeof(uint64_t) * nw);
            else
                memcpy(live, read_any, sizeof(uint64_t) * nw);
            break;
        case IR_brcond:
            if (c[1] < (uint32_t)nl && label_known[c[1]])
                opt_or(live, label_live + (size_t)c[1] * nw, nw);
            else
                opt_or(live, read_any, nw);
            break;
        case IR_set_label:
            opt_or(live, globals, nw);
            if (c[0] < (uint32_t)nl) {
                memcpy(label_live + (size_t)c[0] * nw, live,
                       sizeof(uint64_t) * nw);
                label_known[c[0]] = true;
            }
            break;
        default:
            break;
        }

        if (opt_deletable(op)) {
            bool used = false;
            for (int k = 0; k < op->n_out; k++)
                used |= BIT_GET(live, op->args[k]);
            if (!used) {
                op->opc = OPT_DELETED;
                continue;
            }
        }

        uint32_t dead = 0;
        for (int k = 0; k < op->n_out; k++) {
            ir_temp t = op->args[k];
            if (!BIT_GET(live, t))
                dead |= 1u << k;
            BIT_CLR(live, t);
        }
        for (int k = 0; k < op->n_in; k++) {
            ir_temp t = op->args[op->n_out + k];
            if (ir_is_const(b, t))
                continue;
            if (!BIT_GET(live, t))
                dead |= 1u << (op->n_out + k);
            BIT_SET(live, t);
        }
        if (opt_needs_globals(op))
            opt_or(live, globals, nw);
        op->dead_after = dead;
    }

    /* Compact. */
    int n = 0;
    for (int i = 0; i < b->n_ops; i++)
        if (b->ops[i].opc != OPT_DELETED)
            b->ops[n++] = b->ops[i];
    b->n_ops = n;

    free(live);
    free(globals);
    free(read_any);
    free(label_live);
    free(label_known);
}

void ir_optimize(struct ir_block *b)
{
    static struct opt_state s;
    opt_propagate(b, &s);
    ir_liveness(b);
}
