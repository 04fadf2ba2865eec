/*
 * ir.c - building the IR of one block: temps, constants, labels, ops, the
 * typed builders (which simplify trivially as they go) and the -d op dump.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "translator/x86/cpu.h"
#include "translator/x86/flags.h"
#include "translator/ir.h"
#include "translator/ir_eval.h"

const struct ir_opdef ir_opdefs[IR_NB_OPS] = {
#define DEF(name, n_out, n_in, n_const, flags)                                 \
    [IR_##name] = { #name, n_out, n_in, n_const, flags },
#include "translator/ir_ops.h"
#undef DEF
};

static const char *const ir_global_names[IR_NB_GLOBALS] = {
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
    "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
    "eip", "cc_dst", "cc_src", "cc_src2", "cc_op",
};

static const int ir_global_offsets[IR_NB_GLOBALS] = {
    CPU_OFF_REG(0),  CPU_OFF_REG(1),  CPU_OFF_REG(2),  CPU_OFF_REG(3),
    CPU_OFF_REG(4),  CPU_OFF_REG(5),  CPU_OFF_REG(6),  CPU_OFF_REG(7),
    CPU_OFF_REG(8),  CPU_OFF_REG(9),  CPU_OFF_REG(10), CPU_OFF_REG(11),
    CPU_OFF_REG(12), CPU_OFF_REG(13), CPU_OFF_REG(14), CPU_OFF_REG(15),
    CPU_OFF(eip),    CPU_OFF(cc_dst), CPU_OFF(cc_src), CPU_OFF(cc_src2),
    CPU_OFF(cc_op),
};

static unsigned ir_const_hash(enum ir_type t, uint64_t v)
{
    uint64_t h = (v ^ ((uint64_t)t << 63)) * 0x9e3779b97f4a7c15ull;
    return (unsigned)(h >> (64 - IR_CONST_CACHE_BITS));
}

static ir_temp ir_add_temp(struct ir_block *b, uint8_t kind, enum ir_type t)
{
    if (b->n_temps == b->cap_temps) {
        b->cap_temps = b->cap_temps ? b->cap_temps * 2 : 256;
        b->temps = xrealloc(b->temps, sizeof(*b->temps) * b->cap_temps);
    }
    struct ir_temp_info *ti = &b->temps[b->n_temps];
    memset(ti, 0, sizeof(*ti));
    ti->kind = kind;
    ti->type = (uint8_t)t;
    return (ir_temp)b->n_temps++;
}

void ir_block_init(struct ir_block *b)
{
    memset(b, 0, sizeof(*b));
    for (int g = 0; g < IR_NB_GLOBALS; g++) {
        ir_temp t = ir_add_temp(b, IR_TEMP_GLOBAL, IR_I64);
        b->temps[t].env_offset = ir_global_offsets[g];
        b->temps[t].name = ir_global_names[g];
    }
    b->n_globals = IR_NB_GLOBALS;
}

void ir_block_reset(struct ir_block *b)
{
    b->n_ops = 0;
    b->n_temps = b->n_globals;
    b->n_labels = 0;
}

void ir_block_free(struct ir_block *b)
{
    free(b->ops);
    free(b->temps);
    ir_opt_free(b);
    memset(b, 0, sizeof(*b));
}

ir_temp ir_new_temp(struct ir_block *b, enum ir_type t)
{
    return ir_add_temp(b, IR_TEMP_LOCAL, t);
}

ir_temp ir_const(struct ir_block *b, enum ir_type t, uint64_t value)
{
    value = ir_eval_trunc(t, value);
    unsigned h = ir_const_hash(t, value);
    ir_temp c = b->const_cache[h];
    if (c < (ir_temp)b->n_temps &&
        b->temps[c].kind == IR_TEMP_CONST && b->temps[c].type == t &&
        b->temps[c].value == value)
        return c;
    c = ir_add_temp(b, IR_TEMP_CONST, t);
    b->temps[c].value = value;
    b->const_cache[h] = c;
    return c;
}

int ir_new_label(struct ir_block *b)
{
    return b->n_labels++;
}

struct ir_op *ir_emit(struct ir_block *b, enum ir_opc opc, enum ir_type t,
                      const uint32_t *args)
{
    const struct ir_opdef *def = &ir_opdefs[opc];
    int n_out = def->n_out, n_in = def->n_in;

    /* Calls carry a variable number of arguments: use ir_call. */
    J_ASSERT(opc != IR_call);
    J_ASSERT(n_out + n_in + def->n_const <= IR_MAX_ARGS);

    if (b->n_ops == b->cap_ops) {
        b->cap_ops = b->cap_ops ? b->cap_ops * 2 : 512;
        b->ops = xrealloc(b->ops, sizeof(*b->ops) * b->cap_ops);
    }
    struct ir_op *op = &b->ops[b->n_ops++];
    memset(op, 0, sizeof(*op));
    op->opc = (uint8_t)opc;
    op->type = (uint8_t)t;
    op->n_out = (uint8_t)n_out;
    op->n_in = (uint8_t)n_in;
    memcpy(op->args, args, sizeof(uint32_t) * (n_out + n_in + def->n_const));
    return op;
}

static void ir_emit3(struct ir_block *b, enum ir_opc opc, enum ir_type t,
                     uint32_t a0, uint32_t a1, uint32_t a2)
{
    uint32_t args[3] = { a0, a1, a2 };
    ir_emit(b, opc, t, args);
}

void ir_movi(struct ir_block *b, enum ir_type t, ir_temp d, uint64_t v)
{
    /* movi's constant argument is the index of a const temp holding the
     * value, so that 64-bit values fit in one argument. */
    ir_emit3(b, IR_movi, t, d, ir_const(b, t, v), 0);
}

void ir_mov(struct ir_block *b, enum ir_type t, ir_temp d, ir_temp s)
{
    if (ir_is_const(b, s)) {
        ir_movi(b, t, d, b->temps[s].value);
        return;
    }
    if (d == s && t == IR_I64)
        return;
    ir_emit3(b, IR_mov, t, d, s, 0);
}

static bool ir_op2_commutes(enum ir_opc opc)
{
    return opc == IR_add || opc == IR_mul || opc == IR_and || opc == IR_or ||
           opc == IR_xor;
}

void ir_op2(struct ir_block *b, enum ir_opc opc, enum ir_type t, ir_temp d,
            ir_temp a, ir_temp c)
{
    uint64_t r;

    if (ir_is_const(b, a) && ir_is_const(b, c) &&
        ir_eval_op2(opc, t, b->temps[a].value, b->temps[c].value, &r)) {
        ir_movi(b, t, d, r);
        return;
    }
    /* Constants go second, where backends take immediates. */
    if (ir_op2_commutes(opc) && ir_is_const(b, a) && !ir_is_const(b, c)) {
        ir_temp x = a;
        a = c;
        c = x;
    }
    if (ir_is_const(b, c)) {
        uint64_t v = ir_eval_trunc(t, b->temps[c].value);
        uint64_t ones = ir_eval_trunc(t, ~(uint64_t)0);
        switch (opc) {
        case IR_add: case IR_sub: case IR_or: case IR_xor:
            if (v == 0) {
                ir_mov(b, t, d, a);
                return;
            }
            break;
        case IR_shl: case IR_shr: case IR_sar: case IR_rotl: case IR_rotr:
            if ((v & (t == IR_I32 ? 31 : 63)) == 0) {
                ir_mov(b, t, d, a);
                return;
            }
            break;
        case IR_and:
            if (v == 0) {
                ir_movi(b, t, d, 0);
                return;
            }
            if (v == ones) {
                ir_mov(b, t, d, a);
                return;
            }
            break;
        case IR_mul:
            if (v == 0) {
                ir_movi(b, t, d, 0);
                return;
            }
            if (v == 1) {
                ir_mov(b, t, d, a);
                return;
            }
            break;
        default:
            break;
        }
    }
    J_ASSERT(ir_opdefs[opc].n_out == 1 && ir_opdefs[opc].n_in == 2 &&
             ir_opdefs[opc].n_const == 0);
    ir_emit3(b, opc, t, d, a, c);
}

void ir_op2i(struct ir_block *b, enum ir_opc opc, enum ir_type t, ir_temp d,
             ir_temp a, uint64_t imm)
{
    ir_op2(b, opc, t, d, a, ir_const(b, t, imm));
}

void ir_op1(struct ir_block *b, enum ir_opc opc, enum ir_type t, ir_temp d,
            ir_temp a)
{
    uint64_t r;

    if (ir_is_const(b, a) && ir_eval_op1(opc, t, b->temps[a].value, &r)) {
        ir_movi(b, t, d, r);
        return;
    }
    if (opc == IR_mov) {
        ir_mov(b, t, d, a);
        return;
    }
    ir_emit3(b, opc, t, d, a, 0);
}

void ir_mul2(struct ir_block *b, enum ir_opc opc, enum ir_type t, ir_temp lo,
             ir_temp hi, ir_temp a, ir_temp c)
{
    uint32_t args[4] = { lo, hi, a, c };
    J_ASSERT(opc == IR_mulu2 || opc == IR_muls2);
    ir_emit(b, opc, t, args);
}

void ir_extract(struct ir_block *b, enum ir_type t, ir_temp d, ir_temp a,
                unsigned pos, unsigned len)
{
    if (ir_is_const(b, a)) {
        ir_movi(b, t, d, ir_eval_extract(t, b->temps[a].value, pos, len));
        return;
    }
    uint32_t args[4] = { d, a, pos, len };
    ir_emit(b, IR_extract, t, args);
}

void ir_sextract(struct ir_block *b, enum ir_type t, ir_temp d, ir_temp a,
                 unsigned pos, unsigned len)
{
    if (ir_is_const(b, a)) {
        ir_movi(b, t, d, ir_eval_sextract(t, b->temps[a].value, pos, len));
        return;
    }
    uint32_t args[4] = { d, a, pos, len };
    ir_emit(b, IR_sextract, t, args);
}

void ir_deposit(struct ir_block *b, enum ir_type t, ir_temp d, ir_temp a,
                ir_temp v, unsigned pos, unsigned len)
{
    if (ir_is_const(b, a) && ir_is_const(b, v)) {
        ir_movi(b, t, d, ir_eval_deposit(t, b->temps[a].value,
                                         b->temps[v].value, pos, len));
        return;
    }
    uint32_t args[5] = { d, a, v, pos, len };
    ir_emit(b, IR_deposit, t, args);
}

void ir_setcond(struct ir_block *b, enum ir_type t, enum ir_cond c, ir_temp d,
                ir_temp a, ir_temp x)
{
    if (c == IR_COND_ALWAYS || c == IR_COND_NEVER ||
        (ir_is_const(b, a) && ir_is_const(b, x))) {
        ir_movi(b, t, d,
                ir_eval_cond(c, t, b->temps[a].value, b->temps[x].value));
        return;
    }
    uint32_t args[4] = { d, a, x, (uint32_t)c };
    ir_emit(b, IR_setcond, t, args);
}

void ir_movcond(struct ir_block *b, enum ir_type t, enum ir_cond c, ir_temp d,
                ir_temp a, ir_temp x, ir_temp v1, ir_temp v2)
{
    if (c == IR_COND_ALWAYS || c == IR_COND_NEVER ||
        (ir_is_const(b, a) && ir_is_const(b, x))) {
        bool r = ir_eval_cond(c, t, b->temps[a].value, b->temps[x].value);
        ir_mov(b, t, d, r ? v1 : v2);
        return;
    }
    if (v1 == v2) {
        ir_mov(b, t, d, v1);
        return;
    }
    uint32_t args[6] = { d, a, x, v1, v2, (uint32_t)c };
    ir_emit(b, IR_movcond, t, args);
}

void ir_ld_env(struct ir_block *b, enum ir_type t, ir_temp d, int offset,
               unsigned memop)
{
    uint32_t args[3] = { d, (uint32_t)offset, memop };
    ir_emit(b, IR_ld_env, t, args);
}

void ir_st_env(struct ir_block *b, enum ir_type t, ir_temp s, int offset,
               unsigned memop)
{
    uint32_t args[3] = { s, (uint32_t)offset, memop };
    ir_emit(b, IR_st_env, t, args);
}

void ir_ld_guest(struct ir_block *b, enum ir_type t, ir_temp d, ir_temp addr,
                 unsigned memop)
{
    uint32_t args[3] = { d, addr, memop };
    ir_emit(b, IR_ld_guest, t, args);
}

void ir_st_guest(struct ir_block *b, enum ir_type t, ir_temp v, ir_temp addr,
                 unsigned memop)
{
    uint32_t args[3] = { addr, v, memop };
    ir_emit(b, IR_st_guest, t, args);
}

void ir_call(struct ir_block *b, int helper_id, ir_temp out, int n_in,
             const ir_temp *in)
{
    J_ASSERT(helper_id >= 0 && helper_id < HELPER_COUNT);
    const struct helper_info *h = &helper_table[helper_id];
    J_ASSERT(n_in == h->n_args);
    J_ASSERT(out == IR_TEMP_NONE || h->ret != H_VOID);
    for (int k = 0; k < n_in; k++) {
        if (h->args[k] != H_ENV_PTR)
            continue;
        /* The offset is a constant of the call site (ir_env_offset). */
        J_ASSERT(ir_is_const(b, in[k]) && b->temps[in[k]].value <= INT32_MAX);
        /* Into a global's cell only for a helper that may touch globals. */
        int32_t off = (int32_t)b->temps[in[k]].value;
        for (int g = 0; g < b->n_globals; g++)
            if (off >= b->temps[g].env_offset &&
                off < b->temps[g].env_offset + (int32_t)sizeof(uint64_t))
                J_ASSERT(!(h->flags & (HLP_NO_READ_G | HLP_NO_WRITE_G)));
    }

    if (b->n_ops == b->cap_ops) {
        b->cap_ops = b->cap_ops ? b->cap_ops * 2 : 512;
        b->ops = xrealloc(b->ops, sizeof(*b->ops) * b->cap_ops);
    }
    struct ir_op *op = &b->ops[b->n_ops++];
    memset(op, 0, sizeof(*op));
    op->opc = IR_call;
    op->type = IR_I64;
    int k = 0;
    if (out != IR_TEMP_NONE)
        op->args[k++] = out;
    op->n_out = (uint8_t)k;
    for (int i = 0; i < n_in; i++)
        op->args[k++] = in[i];
    op->n_in = (uint8_t)n_in;
    op->args[k] = (uint32_t)helper_id;
}

void ir_set_label(struct ir_block *b, int label)
{
    ir_emit3(b, IR_set_label, IR_I64, (uint32_t)label, 0, 0);
}

void ir_br(struct ir_block *b, int label)
{
    ir_emit3(b, IR_br, IR_I64, (uint32_t)label, 0, 0);
}

void ir_brcond(struct ir_block *b, enum ir_type t, enum ir_cond c, ir_temp a,
               ir_temp x, int label)
{
    if (c == IR_COND_NEVER)
        return;
    if (c == IR_COND_ALWAYS ||
        (ir_is_const(b, a) && ir_is_const(b, x))) {
        if (ir_eval_cond(c, t, b->temps[a].value, b->temps[x].value))
            ir_br(b, label);
        return;
    }
    uint32_t args[4] = { a, x, (uint32_t)c, (uint32_t)label };
    ir_emit(b, IR_brcond, t, args);
}

void ir_insn_start(struct ir_block *b, uint64_t eip, uint32_t cc_op)
{
    ir_emit3(b, IR_insn_start, IR_I64, (uint32_t)eip, (uint32_t)(eip >> 32),
             cc_op);
}

void ir_goto_tb(struct ir_block *b, int slot)
{
    ir_emit3(b, IR_goto_tb, IR_I64, (uint32_t)slot, 0, 0);
}

void ir_exit_tb(struct ir_block *b, int value)
{
    ir_emit3(b, IR_exit_tb, IR_I64, (uint32_t)value, 0, 0);
}

void ir_lookup_tb(struct ir_block *b)
{
    ir_emit3(b, IR_lookup_tb, IR_I64, 0, 0, 0);
}

/* ---- -d op ---- */

static const char *const ir_cond_names[] = {
    "eq", "ne", "lt", "ge", "le", "gt", "ltu", "geu", "leu", "gtu",
    "always", "never",
};

static void ir_dump_temp(const struct ir_block *b, ir_temp t, FILE *f)
{
    if (t >= (ir_temp)b->n_temps) {
        fprintf(f, "?%" PRIu32, t);
        return;
    }
    const struct ir_temp_info *ti = &b->temps[t];
    switch (ti->kind) {
    case IR_TEMP_GLOBAL:
        fputs(ti->name, f);
        break;
    case IR_TEMP_CONST:
        fprintf(f, "$0x%" PRIx64, ti->value);
        break;
    default:
        fprintf(f, "t%" PRIu32, t - (ir_temp)b->n_globals);
        break;
    }
}

static void ir_dump_memop(unsigned memop, FILE *f)
{
    fprintf(f, "%s%u", (memop & IR_MEMOP_SIGN) ? "s" : "u",
            8u << (memop & IR_MEMOP_SIZE_MASK));
}

static void ir_dump_op(const struct ir_block *b, const struct ir_op *op, FILE *f)
{
    const struct ir_opdef *def = &ir_opdefs[op->opc];
    const uint32_t *c = op->args + op->n_out + op->n_in;
    int k;

    switch (op->opc) {
    case IR_insn_start:
        fprintf(f, " ---- %08" PRIx64,
                (uint64_t)op->args[1] << 32 | op->args[0]);
        if (op->args[2] != CC_OP_DYNAMIC)
            fprintf(f, " cc_op=%" PRIu32, op->args[2]);
        fputc('\n', f);
        return;
    case IR_set_label:
        fprintf(f, "L%" PRIu32 ":\n", op->args[0]);
        return;
    case IR_call: {
        const struct helper_info *h = &helper_table[c[0]];
        fprintf(f, "  call %s", h->name);
        for (k = 0; k < op->n_out + op->n_in; k++) {
            fputs(k ? ", " : " ", f);
            if (k == op->n_out && op->n_out)
                fputs("<- ", f);
            if (k >= op->n_out && h->args[k - op->n_out] == H_ENV_PTR &&
                ir_is_const(b, op->args[k]))
                fprintf(f, "&env+0x%" PRIx64, b->temps[op->args[k]].value);
            else
                ir_dump_temp(b, op->args[k], f);
        }
        break;
    }
    default:
        fprintf(f, "  %s", def->name);
        if (!(def->flags & IRF_NOTYPE))
            fputs(op->type == IR_I32 ? "_i32" : "_i64", f);
        for (k = 0; k < op->n_out + op->n_in; k++) {
            fputs(k ? ", " : " ", f);
            ir_dump_temp(b, op->args[k], f);
        }
        for (int j = 0; j < def->n_const; j++) {
            fputs(k + j ? ", " : " ", f);
            switch (op->opc) {
            case IR_setcond: case IR_movcond:
                fputs(c[j] < ARRAY_SIZE(ir_cond_names) ? ir_cond_names[c[j]]
                                                        : "?",
                      f);
                break;
            case IR_brcond:
                if (j == 0)
                    fputs(c[j] < ARRAY_SIZE(ir_cond_names)
                              ? ir_cond_names[c[j]]
                              : "?",
                          f);
                else
                    fprintf(f, "L%" PRIu32, c[j]);
                break;
            case IR_br:
                fprintf(f, "L%" PRIu32, c[j]);
                break;
            case IR_ld_env: case IR_st_env:
                if (j == 0)
                    fprintf(f, "env+0x%" PRIx32, c[j]);
                else
                    ir_dump_memop(c[j], f);
                break;
            case IR_ld_guest: case IR_st_guest:
                ir_dump_memop(c[j], f);
                fprintf(f, " mmu%u", c[j] >> IR_MEMOP_MMU_SHIFT);
                break;
            case IR_movi:
                ir_dump_temp(b, c[j], f);
                break;
            default:
                fprintf(f, "$%" PRIu32, c[j]);
                break;
            }
        }
        break;
    }
    if (op->dead_after) {
        fputs("  dead:", f);
        for (k = 0; k < op->n_out + op->n_in; k++)
            if (op->dead_after & (1u << k))
                fprintf(f, " %d", k);
    }
    fputc('\n', f);
}

void ir_dump(const struct ir_block *b, FILE *f)
{
    for (int i = 0; i < b->n_ops; i++)
        ir_dump_op(b, &b->ops[i], f);
}
