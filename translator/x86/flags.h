/*
 * flags.h - lazy EFLAGS.
 *
 * Arithmetic does not compute the six arithmetic flags; it records what is
 * needed to compute them later in the IR globals cc_op (which operation),
 * cc_dst (its result), cc_src and cc_src2 (operands, see each CC_OP below).
 * Flags are materialized only when read: Jcc/SETcc/CMOVcc evaluate their
 * condition inline when the translator knows cc_op statically, else call
 * compute_eflags(). The liveness pass in opt.c drops cc_* writes that are
 * overwritten before being read.
 */
#ifndef TRANSLATOR_FLAGS_H
#define TRANSLATOR_FLAGS_H

#include <stdint.h>

/* cc_op value meaning "not known at translation time: read cpu->cc_op"
 * (used in insn_start's cc_op constant). */
#define CC_OP_DYNAMIC 0xffffffffu

/*
 * The operations. Sized ops come in B/W/L triples in that order, so
 * CC_OP_ADDB + ot (ot = log2 of the operand size: 0, 1, 2) names the right
 * one. For each: what cc_dst / cc_src / cc_src2 hold (values are kept
 * zero-extended to 32 bits; only the low 8/16/32 bits matter).
 *
 *   EFLAGS   src = the six arithmetic flags in their EFLAGS positions
 *   ADD      dst = result, src = second operand (first = dst - src)
 *   ADC      dst = result, src = second operand, src2 = carry in (0/1)
 *   SUB      dst = result, src = second operand (first = dst + src);
 *            CMP, NEG (first operand 0) and CMPXCHG use it too
 *   SBB      dst = result, src = second operand, src2 = borrow in (0/1)
 *   LOGIC    dst = result; CF = OF = AF = 0 (AND OR XOR TEST, BSF/BSR
 *            with dst = source, AAM/AAD)
 *   INC/DEC  dst = result, src = CF before the instruction (0/1)
 *   SHL      dst = result, src = operand shifted by count-1 (CF = its top
 *            bit), OF = top bit of (src ^ dst), AF = 0 (SHL, SHLD)
 *   SAR      dst = result, src = operand shifted right by count-1 (CF = its
 *            bit 0), OF = top bit of (src ^ dst), AF = 0 (SHR, SAR, SHRD)
 *   MUL      dst = low half of the product, src = non-zero when the high
 *            half is significant (CF = OF = 1); SF ZF PF from dst, AF = 0
 *            (MUL and every IMUL form)
 */
enum cc_op {
    CC_OP_EFLAGS = 0,
    CC_OP_ADDB, CC_OP_ADDW, CC_OP_ADDL,
    CC_OP_ADCB, CC_OP_ADCW, CC_OP_ADCL,
    CC_OP_SUBB, CC_OP_SUBW, CC_OP_SUBL,
    CC_OP_SBBB, CC_OP_SBBW, CC_OP_SBBL,
    CC_OP_LOGICB, CC_OP_LOGICW, CC_OP_LOGICL,
    CC_OP_INCB, CC_OP_INCW, CC_OP_INCL,
    CC_OP_DECB, CC_OP_DECW, CC_OP_DECL,
    CC_OP_SHLB, CC_OP_SHLW, CC_OP_SHLL,
    CC_OP_SARB, CC_OP_SARW, CC_OP_SARL,
    CC_OP_MULB, CC_OP_MULW, CC_OP_MULL,
    CC_OP_NB
};

/* Size index (0, 1, 2) of a sized cc_op. */
static inline int cc_op_size(uint32_t op)
{
    return op == CC_OP_EFLAGS || op >= CC_OP_NB ? 2 : (int)((op - 1) % 3);
}

/* translator/flags.c: the six arithmetic flags (EFLAGS positions) of a
 * lazy state, and CF alone. Pure functions of their arguments. */
uint32_t cc_compute_all(uint32_t op, uint32_t dst, uint32_t src, uint32_t src2);
uint32_t cc_compute_c(uint32_t op, uint32_t dst, uint32_t src, uint32_t src2);

#endif
