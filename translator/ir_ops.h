/*
 * ir_ops.h - the IR, listed once.
 *   DEF(name, n_out, n_in, n_const, flags)
 * Every op except those marked IRF_NOTYPE has a type (IR_I32 or IR_I64) held
 * in struct ir_op; an I32 op computes on the low 32 bits of its inputs and
 * writes its result zero-extended. Shift/rotate counts are taken modulo the
 * width (the translator masks x86 counts itself). Operands are laid out in
 * ir_op.args as outputs, then inputs, then constants.
 */

/* data movement */
DEF(mov, 1, 1, 0, 0)
DEF(movi, 1, 0, 1, 0)              /* const: a const temp holding the value */

/* arithmetic and logic */
DEF(add, 1, 2, 0, 0)
DEF(sub, 1, 2, 0, 0)
DEF(mul, 1, 2, 0, 0)               /* low half */
DEF(mulu2, 2, 2, 0, 0)             /* out0 = low, out1 = high, unsigned */
DEF(muls2, 2, 2, 0, 0)             /* out0 = low, out1 = high, signed */
DEF(and, 1, 2, 0, 0)
DEF(or, 1, 2, 0, 0)
DEF(xor, 1, 2, 0, 0)
DEF(shl, 1, 2, 0, 0)
DEF(shr, 1, 2, 0, 0)
DEF(sar, 1, 2, 0, 0)
DEF(rotl, 1, 2, 0, 0)
DEF(rotr, 1, 2, 0, 0)
DEF(neg, 1, 1, 0, 0)
DEF(not, 1, 1, 0, 0)
DEF(ext8s, 1, 1, 0, 0)
DEF(ext8u, 1, 1, 0, 0)
DEF(ext16s, 1, 1, 0, 0)
DEF(ext16u, 1, 1, 0, 0)
DEF(ext32s, 1, 1, 0, 0)            /* I64 only */
DEF(ext32u, 1, 1, 0, 0)            /* I64 only */
DEF(bswap32, 1, 1, 0, 0)
DEF(extract, 1, 1, 2, 0)           /* consts: pos, len; zero-extended field */
DEF(sextract, 1, 1, 2, 0)          /* consts: pos, len; sign-extended field */
DEF(deposit, 1, 2, 2, 0)           /* out = in0 with [pos, pos+len) from in1 */
DEF(setcond, 1, 2, 1, 0)           /* const: cond; out = cond(in0, in1) ? 1 : 0 */
DEF(movcond, 1, 4, 1, 0)           /* const: cond; out = cond(in0,in1) ? in2 : in3 */

/* CPU state: const offset into struct cpu, const memop (size/sign) */
DEF(ld_env, 1, 0, 2, 0)
DEF(st_env, 0, 1, 2, IRF_SIDE_EFFECTS)

/* guest memory through the soft TLB: in0 = linear address;
 * const: memop | (mmu_idx << IR_MEMOP_MMU_SHIFT) */
DEF(ld_guest, 1, 1, 1, IRF_MAY_RAISE)
DEF(st_guest, 0, 2, 1, IRF_MAY_RAISE | IRF_SIDE_EFFECTS) /* in0 = addr, in1 = value */

/* helper call: n_out and n_in come from the helper's descriptor; const:
 * helper id (translator/helpers.def). */
DEF(call, 0, 0, 1, IRF_CALL | IRF_SIDE_EFFECTS | IRF_NOTYPE)

/* control flow inside a block */
DEF(set_label, 0, 0, 1, IRF_BB_END | IRF_SIDE_EFFECTS | IRF_NOTYPE)
DEF(br, 0, 0, 1, IRF_BB_END | IRF_SIDE_EFFECTS | IRF_NOTYPE)
DEF(brcond, 0, 2, 2, IRF_BB_END | IRF_SIDE_EFFECTS) /* consts: cond, label */

/* guest instruction boundary: consts eip (of the instruction: low and high
 * 32 bits), cc_op
 * (the static cc_op in force at its start, or CC_OP_DYNAMIC) */
DEF(insn_start, 0, 0, 3, IRF_SIDE_EFFECTS | IRF_NOTYPE)

/* block exits */
DEF(goto_tb, 0, 0, 1, IRF_BB_END | IRF_SIDE_EFFECTS | IRF_NOTYPE)  /* slot 0/1: chainable */
DEF(exit_tb, 0, 0, 1, IRF_BB_END | IRF_SIDE_EFFECTS | IRF_NOTYPE)  /* value: TB_EXIT_* */
DEF(lookup_tb, 0, 0, 0, IRF_BB_END | IRF_SIDE_EFFECTS | IRF_NOTYPE) /* indirect: cpu->eip set */
