/*
 * ir.h - the intermediate representation of one translated block.
 *
 * A block is a list of ops (ir_ops.h) over temps. A temp is one of:
 *   global  a uint64_t cell of struct cpu (guest registers, eip, cc_*),
 *           always current in memory at helper calls and at points that may
 *           raise, in every backend;
 *   local   a value private to the block (lives across labels too);
 *   const   a constant (created by ir_const; never written).
 * The translator builds ops through the small typed functions below, which
 * simplify trivially as they go (add x, 0 -> mov). opt.c then runs constant
 * and copy propagation and a liveness pass that deletes dead ops, most of
 * them lazy-flag updates overwritten before being read.
 */
#ifndef TRANSLATOR_IR_H
#define TRANSLATOR_IR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The ops. Code that turns ops into something (the backends, the dump)
 * switches over enum ir_opc with a case for every op and no default, so
 * that an op added to ir_ops.h and missing there fails the build (-Wswitch
 * of -Wall, with -Werror); IR_NB_OPS is kept out of the enum for that. */
enum ir_opc {
#define DEF(name, n_out, n_in, n_const, flags) IR_##name,
#include "translator/ir_ops.h"
#undef DEF
};
enum {
    IR_NB_OPS = 0
#define DEF(name, n_out, n_in, n_const, flags) +1
#include "translator/ir_ops.h"
#undef DEF
};

/* Op flags */
#define IRF_SIDE_EFFECTS 0x01 /* never deleted by liveness */
#define IRF_BB_END 0x02       /* ends a basic block (label or branch) */
#define IRF_CALL 0x04
#define IRF_MAY_RAISE 0x08    /* globals must be current (precise faults) */
#define IRF_NOTYPE 0x10

struct ir_opdef {
    const char *name;
    uint8_t n_out, n_in, n_const;
    uint8_t flags;
};
extern const struct ir_opdef ir_opdefs[IR_NB_OPS];

enum ir_type { IR_I32 = 0, IR_I64 = 1 };

/* Conditions for setcond/movcond/brcond. */
enum ir_cond {
    IR_COND_EQ, IR_COND_NE,
    IR_COND_LT, IR_COND_GE, IR_COND_LE, IR_COND_GT,     /* signed */
    IR_COND_LTU, IR_COND_GEU, IR_COND_LEU, IR_COND_GTU, /* unsigned */
    IR_COND_ALWAYS, IR_COND_NEVER,
};

/* memop: access size and signedness for ld_env/st_env/ld_guest/st_guest */
#define IR_MEMOP_SIZE_MASK 3 /* log2 of bytes */
#define IR_MEMOP_SIGN 4
/* ld_guest/st_guest: the address operand is 64 bits wide; without it the
 * address is the operand's low 32 bits (a guest outside long mode). */
#define IR_MEMOP_ADDR64 8
#define IR_MEMOP_MMU_SHIFT 4
enum { IR_MO_8 = 0, IR_MO_16 = 1, IR_MO_32 = 2, IR_MO_64 = 3 };

typedef uint32_t ir_temp;
#define IR_TEMP_NONE UINT32_MAX

enum ir_temp_kind { IR_TEMP_GLOBAL, IR_TEMP_LOCAL, IR_TEMP_CONST };

struct ir_temp_info {
    uint8_t kind;
    uint8_t type;
    int32_t env_offset; /* global: offset in struct cpu */
    uint64_t value;     /* const */
    const char *name;   /* global: for dumps */
};

#define IR_MAX_ARGS 10

struct ir_op {
    uint8_t opc;
    uint8_t type;
    uint8_t n_out, n_in; /* from ir_opdefs, except for call */
    uint32_t args[IR_MAX_ARGS]; /* temps (out, in), then consts */
    uint32_t dead_after;        /* liveness: bit i set if arg i dies here */
};

/* Constant de-duplication in ir_const: a small direct-mapped cache from
 * (type, value) to the const temp made for it, kept in the block. Entries
 * are checked against the block before use, so a stale one (a reset) is
 * only a miss. */
#define IR_CONST_CACHE_BITS 10

struct opt_state;

/* A block being built. Everything the builder and the optimizer need
 * between calls lives here, so separate blocks never share state. */
struct ir_block {
    struct ir_op *ops;
    int n_ops, cap_ops;
    struct ir_temp_info *temps;
    int n_temps, cap_temps;
    int n_globals; /* temps [0, n_globals) are the globals */
    int n_labels;
    ir_temp const_cache[1u << IR_CONST_CACHE_BITS];
    struct opt_state *opt; /* the optimizer's scratch (opt.c), or NULL */
};

/* The globals, created by ir_block_init in this order. */
enum {
    IR_G_REG0 = 0, /* IR_G_REG0 + i is regs[i], i < CPU_NB_REGS */
    IR_G_EIP = 16,
    IR_G_CC_DST,
    IR_G_CC_SRC,
    IR_G_CC_SRC2,
    IR_G_CC_OP,
    IR_NB_GLOBALS
};

void ir_block_init(struct ir_block *b);
void ir_block_reset(struct ir_block *b); /* empty, keep globals */
void ir_block_free(struct ir_block *b);

ir_temp ir_new_temp(struct ir_block *b, enum ir_type t);
ir_temp ir_const(struct ir_block *b, enum ir_type t, uint64_t value);
int ir_new_label(struct ir_block *b);
static inline ir_temp ir_global(int g) { return (ir_temp)g; }
static inline bool ir_is_const(const struct ir_block *b, ir_temp t)
{
    return b->temps[t].kind == IR_TEMP_CONST;
}

/* Append a raw op; returns it for the rare caller that needs it. */
struct ir_op *ir_emit(struct ir_block *b, enum ir_opc opc, enum ir_type t,
                      const uint32_t *args);

/* Typed builders (simplify as they go). */
void ir_mov(struct ir_block *b, enum ir_type t, ir_temp d, ir_temp s);
void ir_movi(struct ir_block *b, enum ir_type t, ir_temp d, uint64_t v);
void ir_op2(struct ir_block *b, enum ir_opc opc, enum ir_type t, ir_temp d,
            ir_temp a, ir_temp c); /* add sub mul and or xor shl shr sar rotl rotr */
void ir_op2i(struct ir_block *b, enum ir_opc opc, enum ir_type t, ir_temp d,
             ir_temp a, uint64_t imm);
void ir_op1(struct ir_block *b, enum ir_opc opc, enum ir_type t, ir_temp d,
            ir_temp a); /* neg not ext* bswap32 */
void ir_mul2(struct ir_block *b, enum ir_opc opc, enum ir_type t, ir_temp lo,
             ir_temp hi, ir_temp a, ir_temp c); /* mulu2 muls2 */
void ir_extract(struct ir_block *b, enum ir_type t, ir_temp d, ir_temp a,
                unsigned pos, unsigned len);
void ir_sextract(struct ir_block *b, enum ir_type t, ir_temp d, ir_temp a,
                 unsigned pos, unsigned len);
void ir_deposit(struct ir_block *b, enum ir_type t, ir_temp d, ir_temp a,
                ir_temp v, unsigned pos, unsigned len);
void ir_setcond(struct ir_block *b, enum ir_type t, enum ir_cond c, ir_temp d,
                ir_temp a, ir_temp x);
void ir_movcond(struct ir_block *b, enum ir_type t, enum ir_cond c, ir_temp d,
                ir_temp a, ir_temp x, ir_temp v1, ir_temp v2);
void ir_ld_env(struct ir_block *b, enum ir_type t, ir_temp d, int offset,
               unsigned memop);
void ir_st_env(struct ir_block *b, enum ir_type t, ir_temp s, int offset,
               unsigned memop);
void ir_ld_guest(struct ir_block *b, enum ir_type t, ir_temp d, ir_temp addr,
                 unsigned memop);
void ir_st_guest(struct ir_block *b, enum ir_type t, ir_temp v, ir_temp addr,
                 unsigned memop);
/* Call helper `id` (helpers.def). out may be IR_TEMP_NONE for void helpers;
 * n_in must match the helper's declared arguments; an H_ENV_PTR argument
 * is ir_env_offset(b, offset). */
void ir_call(struct ir_block *b, int helper_id, ir_temp out, int n_in,
             const ir_temp *in);
/* The argument that passes the helper (char *)env + offset (H_ENV_PTR). */
static inline ir_temp ir_env_offset(struct ir_block *b, uint32_t offset)
{
    return ir_const(b, IR_I64, offset);
}
void ir_set_label(struct ir_block *b, int label);
void ir_br(struct ir_block *b, int label);
void ir_brcond(struct ir_block *b, enum ir_type t, enum ir_cond c, ir_temp a,
               ir_temp x, int label);
void ir_insn_start(struct ir_block *b, uint64_t eip, uint32_t cc_op);
void ir_goto_tb(struct ir_block *b, int slot);
void ir_exit_tb(struct ir_block *b, int value);
void ir_lookup_tb(struct ir_block *b);

/* Print the block (for -d op). */
void ir_dump(const struct ir_block *b, FILE *f);

/* opt.c: constant/copy propagation, then liveness + dead op removal. */
void ir_optimize(struct ir_block *b);
/* Free the optimizer's scratch of b (ir_block_free does). */
void ir_opt_free(struct ir_block *b);
/* Liveness only: fills dead_after, deletes dead ops. */
void ir_liveness(struct ir_block *b);

/* ---- helpers callable from IR (translator/x86/helpers.def) ---- */

/*
 * The helper ABI. A helper is a C function whose first parameter is the
 * env (struct cpu *), followed by up to HELPER_MAX_ARGS arguments, each
 * described by a type code:
 *   H_I32      uint32_t      H_I64  uint64_t
 *   H_ENV_PTR  void *: (char *)env + an offset constant at the call site,
 *              a pointer into the CPU state (x87 and SSE registers, say);
 *              arguments only. The call's IR argument is a constant temp
 *              holding the offset (ir_env_offset); the backends pass the
 *              address. What the helper reaches through it is its own
 *              business, except IR globals: a pointer to one of their
 *              cells needs a helper that may read and write globals
 *              (no HLP_NO_READ_G / HLP_NO_WRITE_G). A call with such an
 *              argument is never deleted, even with its result unused.
 *   H_VOID     as the return type: none; as the only argument code: no
 *              arguments (the list needs at least one code)
 * The guest lists its helpers once, DEF_HELPER(name, ret, flags, args...);
 * helper_table[] and the C prototypes (HELPER_PROTO below, used by the
 * guest's header that every definition and caller includes) are both made
 * from that list, so a definition that disagrees with its line does not
 * compile.
 */
enum { H_VOID = 0, H_I32 = 1, H_I64 = 2, H_ENV_PTR = 3 };
/* Helper flags: what the helper touches, so backends that keep globals in
 * host registers know what to write back / reload. No flag: it may read and
 * write every global and may raise. */
#define HLP_NO_RAISE 0x1   /* never raises a guest exception */
#define HLP_NO_READ_G 0x2  /* reads no IR global through cpu */
#define HLP_NO_WRITE_G 0x4 /* writes no IR global through cpu */
#define HLP_PURE (HLP_NO_RAISE | HLP_NO_READ_G | HLP_NO_WRITE_G)

/* With the env, six integer arguments: what the x86-64 SysV ABI passes in
 * registers (the native backend passes no argument on the stack). */
#define HELPER_MAX_ARGS 5

/* The C types of the codes: a return type, and ", type" per argument (an
 * unknown code does not compile). */
#define HELPER_RET_H_VOID void
#define HELPER_RET_H_I32 uint32_t
#define HELPER_RET_H_I64 uint64_t
#define HELPER_ARG_H_VOID
#define HELPER_ARG_H_I32 , uint32_t
#define HELPER_ARG_H_I64 , uint64_t
#define HELPER_ARG_H_ENV_PTR , void *
#define HELPER_RET(code) HELPER_RET_##code
#define HELPER_ARG(code) HELPER_ARG_##code

/* The number of codes in a list (1 to HELPER_MAX_ARGS; more does not
 * compile), and the parameter types after the env for each count. */
#define HELPER_NCODES_(a, b, c, d, e, n, ...) n
#define HELPER_NCODES(...) HELPER_NCODES_(__VA_ARGS__, 5, 4, 3, 2, 1, 0)
#define HELPER_ARGS_1(a) HELPER_ARG(a)
#define HELPER_ARGS_2(a, b) HELPER_ARG(a) HELPER_ARG(b)
#define HELPER_ARGS_3(a, b, c) HELPER_ARG(a) HELPER_ARG(b) HELPER_ARG(c)
#define HELPER_ARGS_4(a, b, c, d) HELPER_ARGS_3(a, b, c) HELPER_ARG(d)
#define HELPER_ARGS_5(a, b, c, d, e) HELPER_ARGS_4(a, b, c, d) HELPER_ARG(e)
#define HELPER_CAT_(a, b) a##b
#define HELPER_CAT(a, b) HELPER_CAT_(a, b)
#define HELPER_ARGS(...)                                                       \
    HELPER_CAT(HELPER_ARGS_, HELPER_NCODES(__VA_ARGS__))(__VA_ARGS__)

/* The prototype of helper_<name>, env_type the guest's CPU state type. */
#define HELPER_PROTO(env_type, name, ret, ...)                                 \
    HELPER_RET(ret) helper_##name(env_type *env HELPER_ARGS(__VA_ARGS__))

/* Arguments: the number of codes that are not H_VOID. */
#define HELPER_NZ_(a, b, c, d, e, ...)                                         \
    (((a) != H_VOID) + ((b) != H_VOID) + ((c) != H_VOID) + ((d) != H_VOID) +   \
     ((e) != H_VOID))
#define HELPER_NARGS(...) HELPER_NZ_(__VA_ARGS__, H_VOID, H_VOID, H_VOID, H_VOID)
/* A list is well formed when H_VOID, if present, is its only code. */
#define HELPER_ARGS_OK(...)                                                    \
    (HELPER_NCODES(__VA_ARGS__) == 1 ||                                        \
     HELPER_NARGS(__VA_ARGS__) == HELPER_NCODES(__VA_ARGS__))

struct helper_info {
    const char *name;
    void *fn;            /* the C function (HELPER_PROTO) */
    uint8_t ret;         /* H_VOID / H_I32 / H_I64 */
    uint8_t n_args;      /* not counting the env */
    uint8_t args[HELPER_MAX_ARGS];
    uint8_t flags;
};

static inline bool helper_has_env_ptr(const struct helper_info *h)
{
    for (int k = 0; k < h->n_args; k++)
        if (h->args[k] == H_ENV_PTR)
            return true;
    return false;
}

enum helper_id {
#define DEF_HELPER(name, ret, flags, ...) HELPER_##name,
#include "translator/x86/helpers.def"
#undef DEF_HELPER
    HELPER_COUNT
};
extern const struct helper_info helper_table[HELPER_COUNT];

#endif
