/*
 * opt.c - the block optimizer: constant and copy propagation with folding
 * inside basic blocks, then a backward liveness pass that deletes ops whose
 * results are never used (most of them lazy-flag updates overwritten before
 * being read) and records where each argument dies (dead_after).
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "translator/x86/cpu.h"
#include "translator/ir.h"
#include "translator/ir_eval.h"

/* Marks an op deleted until the list is compacted. */
#define OPT_DELETED 0xff
_Static_assert(IR_NB_OPS < OPT_DELETED, "ir_op.opc holds every op and OPT_DELETED");

/* End of the IR globals in struct cpu: ld_env/st_env below it touch a
 * global cell behind the IR's back. */
#define OPT_GLOBALS_END (CPU_OFF(cc_op) + (int)sizeof(uint64_t))

/* ---- forward pass: constant and copy propagation ---- */

enum { KNOW_NONE, KNOW_CONST, KNOW_COPY };

struct opt_know {
    uint8_t kind;
    uint8_t bits;      /* the copy is src zero-extended from its low `bits`
                          (64: src itself): good for readers of <= bits */
    ir_temp src;       /* KNOW_COPY */
    uint32_t src_gen;  /* write generation of src when copied */
    uint64_t value;    /* KNOW_CONST */
    uint32_t stamp;    /* what is known holds only while this equals
                          opt_state.stamp */
};

struct opt_state {
    struct opt_know *know;
    uint32_t *gen;
    int cap;
    /* Bumped to forget everything at once: clearing every temp at each
     * label made the pass quadratic in a block's length (a block of 256
     * real-mode instructions, each with the labels of its segment
     * checks, spent most of its translation in memset). */
    uint32_t stamp;
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

static void opt_forget_all(struct opt_state *s)
{
    if (++s->stamp == 0) { /* wrapped: stamps of old could match again */
        memset(s->know, 0, sizeof(*s->know) * (size_t)s->cap);
        s->stamp = 1;
    }
}

/* What is known about t now (its entry, kind KNOW_NONE if nothing). */
static struct opt_know *opt_known(struct opt_state *s, ir_temp t)
{
    struct opt_know *kn = &s->know[t];
    if (kn->stamp != s->stamp) {
        kn->kind = KNOW_NONE;
        kn->stamp = s->stamp;
    }
    return kn;
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

/* How many low bits of input k op uses. */
static unsigned opt_input_bits(const struct ir_op *op, int k)
{
    const uint32_t *c = op->args + op->n_out + op->n_in;
    unsigned w = op->type == IR_I32 ? 32 : 64;

    switch (op->opc) {
    case IR_call:
        return helper_table[c[0]].args[k] == H_I32 ? 32 : 64;
    case IR_ld_guest:
        return 32;
    case IR_st_guest:
        return k == 0 ? 32 : 8u << (c[0] & IR_MEMOP_SIZE_MASK);
    case IR_st_env:
        return 8u << (c[1] & IR_MEMOP_SIZE_MASK);
    case IR_ext8s: case IR_ext8u:
        return 8;
    case IR_ext16s: case IR_ext16u:
        return 16;
    case IR_ext32s: case IR_ext32u: case IR_bswap32:
        return 32;
    case IR_extract: case IR_sextract:
        return c[0] + c[1] < w ? c[0] + c[1] : w;
    case IR_deposit:
        return k == 1 ? (c[1] < w ? c[1] : w) : w;
    default:
        return (ir_opdefs[op->opc].flags & IRF_NOTYPE) ? 64 : w;
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
    opt_forget_all(s);
    memset(s->gen, 0, sizeof(*s->gen) * s->cap);

    for (int i = 0; i < b->n_ops; i++) {
        struct ir_op *op = &b->ops[i];

        if (op->opc == IR_set_label) {
            /* Another path may join here: forget what this one knew. */
            opt_forget_all(s);
            continue;
        }

        /* Replace inputs by what they are known to equal. */
        for (int k = 0; k < op->n_in; k++) {
            ir_temp t = op->args[op->n_out + k];
            if (ir_is_const(b, t))
                continue;
            struct opt_know *kn = opt_known(s, t);
            if (kn->kind == KNOW_CONST) {
                enum ir_type ct = kn->value > UINT32_MAX ? IR_I64 : IR_I32;
                op->args[op->n_out + k] = ir_const(b, ct, kn->value);
                opt_grow(s, b->n_temps);
            } else if (kn->kind == KNOW_COPY && s->gen[kn->src] == kn->src_gen &&
                       (kn->bits >= 64 || opt_input_bits(op, k) <= kn->bits)) {
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
            struct opt_know *kn = opt_known(s, d);
            kn->kind = KNOW_CONST;
            kn->value = b->temps[op->args[1]].value;
        } else if (op->n_out == 1 && op->n_in == 1 &&
                   op->args[0] != op->args[1] &&
                   !ir_is_const(b, op->args[1])) {
            /* Zero-extending moves: the result is a (narrowed) copy. */
            unsigned bits = 0;
            switch (op->opc) {
            case IR_mov: bits = op->type == IR_I32 ? 32 : 64; break;
            case IR_ext8u: bits = 8; break;
            case IR_ext16u: bits = 16; break;
            case IR_ext32u: bits = 32; break;
            case IR_extract:
                if (op->args[2] == 0)
                    bits = op->args[3] < (op->type == IR_I32 ? 32u : 64u)
                               ? op->args[3]
                               : (op->type == IR_I32 ? 32u : 64u);
                break;
            default: break;
            }
            if (bits) {
                ir_temp d = op->args[0], src = op->args[1];
                struct opt_know *kn = opt_known(s, d);
                kn->kind = KNOW_COPY;
                kn->src = src;
                kn->src_gen = s->gen[src];
                kn->bits = (uint8_t)bits;
            }
        }
    }
}

/* ---- move fusion ---- */

/*
 * "op t = ...; mov G, t" with G a global becomes "op G = ..." and the later
 * reads of t read G, when t is written once and nothing changes G before
 * t's last read (the translator computes into a temp, then writes the
 * register and the flags from it). One op less, and the value is computed
 * straight into its register.
 */
static void opt_fuse_moves(struct ir_block *b)
{
    int nt = b->n_temps;
    int *writes = xcalloc((size_t)nt, sizeof(int));
    int *last_read = xmalloc(sizeof(int) * (size_t)nt);

    for (int t = 0; t < nt; t++)
        last_read[t] = -1;
    for (int i = 0; i < b->n_ops; i++) {
        const struct ir_op *op = &b->ops[i];
        if (op->opc == OPT_DELETED)
            continue;
        for (int k = 0; k < op->n_out; k++)
            writes[op->args[k]]++;
        for (int k = 0; k < op->n_in; k++)
            last_read[op->args[op->n_out + k]] = i;
    }

    for (int i = 1; i < b->n_ops; i++) {
        struct ir_op *mv = &b->ops[i];
        if (mv->opc != IR_mov)
            continue;
        ir_temp g = mv->args[0], t = mv->args[1];
        if (b->temps[g].kind != IR_TEMP_GLOBAL ||
            b->temps[t].kind != IR_TEMP_LOCAL || writes[t] != 1)
            continue;
        int p = i - 1;
        while (p >= 0 && b->ops[p].opc == OPT_DELETED)
            p--;
        if (p < 0)
            continue;
        struct ir_op *d = &b->ops[p];
        if (d->n_out != 1 || d->args[0] != t)
            continue;
        /* G must receive exactly t's value. */
        bool narrow;
        if (d->opc == IR_call)
            narrow = helper_table[d->args[d->n_out + d->n_in]].ret == H_I32;
        else
            narrow = d->type == IR_I32;
        if (mv->type == IR_I32 && !narrow)
            continue;

        bool ok = true, clobbered = false;
        for (int j = i + 1; j <= last_read[t] && ok; j++) {
            const struct ir_op *op = &b->ops[j];
            if (op->opc == OPT_DELETED)
                continue;
            if (op->opc == IR_set_label) {
                ok = false;
                break;
            }
            for (int k = 0; k < op->n_in; k++)
                if (op->args[op->n_out + k] == t && clobbered)
                    ok = false;
            for (int k = 0; k < op->n_out; k++)
                if (op->args[k] == g)
                    clobbered = true;
            if (op->opc == IR_call &&
                !(helper_table[op->args[op->n_out + op->n_in]].flags &
                  HLP_NO_WRITE_G))
                clobbered = true;
            if (op->opc == IR_st_env && opt_touches_globals(op))
                clobbered = true;
        }
        if (!ok)
            continue;

        d->args[0] = g;
        mv->opc = OPT_DELETED;
        for (int j = i + 1; j <= last_read[t]; j++) {
            struct ir_op *op = &b->ops[j];
            if (op->opc == OPT_DELETED)
                continue;
            for (int k = 0; k < op->n_in; k++)
                if (op->args[op->n_out + k] == t)
                    op->args[op->n_out + k] = g;
        }
    }
    free(writes);
    free(last_read);
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
     * computes to preserve it, when the next instruction sets all flags.
     * Not one given a pointer into the CPU state: it may write there. */
    if (op->opc == IR_call && op->n_out == 1) {
        const struct helper_info *h =
            &helper_table[op->args[op->n_out + op->n_in]];
        return (h->flags & HLP_PURE) == HLP_PURE && !helper_has_env_ptr(h);
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
    if (!b->opt)
        b->opt = xcalloc(1, sizeof(*b->opt));
    opt_propagate(b, b->opt);
    opt_fuse_moves(b);
    ir_liveness(b);
}

void ir_opt_free(struct ir_block *b)
{
    if (b->opt) {
        free(b->opt->know);
        free(b->opt->gen);
        free(b->opt);
        b->opt = NULL;
    }
}
