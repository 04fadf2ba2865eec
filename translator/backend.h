/*
 * backend.h - the interface every code generator implements.
 *
 * A backend turns the optimized IR of one block into something runnable in
 * the code buffer, runs blocks (following chained jumps itself), patches
 * and unpatches chained jumps, and maps a host position back to the guest
 * instruction executing there. The translator knows nothing else about it.
 *
 * interp.c    portable: compact bytecode, threaded dispatch, helper calls
 *             through libffi; always built.
 * x86_64.c    native host code (x86-64 hosts only).
 * backends.c  the list of those this build has.
 */
#ifndef TRANSLATOR_BACKEND_H
#define TRANSLATOR_BACKEND_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "translator/x86/cpu.h"
#include "translator/ir.h"
#include "translator/tb.h"

/*
 * A backend is a table of functions; one engine (struct jit, tb.h) has an
 * instance of it, made by init and passed as `be` to every other call: its
 * code buffer and its own scratch. Two instances never share state, so
 * two machines in one process may use the same backend. What a backend
 * keeps per CPU (the interp's frame of temps) hangs off struct cpu.
 */
struct backend {
    const char *name;
    /* A new instance: a code buffer of opt->code_buffer_size bytes. */
    void *(*init)(const struct jit_options *opt);
    /* Free the instance and its code buffer. */
    void (*fini)(void *be);
    /* Generate code for ir into the code buffer; fills tb->code,
     * tb->code_size, tb->insns[i].host_end and the jump slots. Returns false
     * when the buffer is full: the caller flushes everything and retries. */
    bool (*gen)(void *be, struct ir_block *ir, struct tb *tb);
    /* Run tb with cpu as env, following chains, until a block exits.
     * Returns (uintptr_t)last_tb | TB_EXIT_*. Guest exceptions leave by
     * siglongjmp(cpu->jmp_env) instead. */
    uintptr_t (*exec)(void *be, struct cpu *cpu, struct tb *tb);
    /* Make jump slot `slot` of tb go to dest; dest == NULL restores the
     * exit to the CPU loop. */
    void (*set_jump)(void *be, struct tb *tb, int slot, struct tb *dest);
    /* Index of the guest instruction of tb executing at host position ra
     * (interp: cpu->interp_pc), or -1. */
    int (*find_insn)(void *be, struct tb *tb, uintptr_t ra);
    /* True if ra lies inside this instance's code buffer. */
    bool (*owns)(void *be, uintptr_t ra);
    /* Forget all code (tb_flush). */
    void (*reset)(void *be);
    /* Free what the instance keeps for cpu (tb_detach_cpu). */
    void (*cpu_gone)(void *be, struct cpu *cpu);
    /* -d out_asm: print the block's code. */
    void (*dump)(void *be, struct tb *tb, FILE *f);
};

extern const struct backend backend_interp;
#ifdef CONFIG_BACKEND_X86_64
extern const struct backend backend_x86_64;
#endif
/* Every backend of this build (backends.c): the native one first, where
 * there is one, then interp. backend_find: by name, or NULL. */
extern const struct backend *const backend_list[];
extern const unsigned backend_count;
const struct backend *backend_find(const char *name);

#endif
