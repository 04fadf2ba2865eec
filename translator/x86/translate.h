/*
 * translate.h - guest x86 code -> IR for one block.
 *
 * The block engine (tb.c) fills tb->pc, cs_base, flags (hflags) and cflags,
 * then calls translate_block, optimizes the IR and hands it to the backend.
 * A block ends at a branch, at an instruction that changes the CPU mode or
 * hflags, after CF_COUNT_MASK instructions (when set), or before an
 * instruction that starts within 15 bytes of a page end (so only the first
 * instruction of a block may fault on its own fetch).
 */
#ifndef TRANSLATOR_TRANSLATE_H
#define TRANSLATOR_TRANSLATE_H

#include "translator/x86/cpu.h"
#include "translator/ir.h"
#include "translator/tb.h"

/* Fills ir, and tb->size, tb->icount, tb->insns[] (eip, cc_op per insn;
 * host_end is the backend's), tb->page_addr[1] when the code spans two
 * pages. Code bytes are fetched with cpu_ld_code (may raise #PF for the
 * first instruction). Max instructions per block: TRANSLATE_MAX_INSNS. */
#define TRANSLATE_MAX_INSNS 256
void translate_block(struct cpu *cpu, struct tb *tb, struct ir_block *ir);

/* -d in_asm: print the guest instructions of a translated block. */
void translate_log_in_asm(struct cpu *cpu, struct tb *tb);

#endif
