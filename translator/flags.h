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

#endif
