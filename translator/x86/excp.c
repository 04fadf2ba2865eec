/*
 * excp.c - raising guest exceptions from translated code and helpers:
 * restore the precise state of the faulting instruction, record the
 * exception (promoting to #DF or a triple fault per SDM 3A 6.15, Table 6-5)
 * and leave through the CPU loop's sigsetjmp. The same side-table look-up
 * gives a device access or a TSC read under -icount the instruction count
 * of its own instruction (cpu_io_begin).
 */

#include "base/util.h"
#include "translator/x86/cpu.h"
#include "translator/x86/flags.h"
#include "translator/x86/helpers.h"
#include "translator/tb.h"

/* The block running at host address ra (interp: at cpu->interp_pc) and the
 * index of the guest instruction there, or NULL when ra is not inside
 * translated code. Changes nothing. */
static struct tb *excp_locate(struct cpu *cpu, uintptr_t ra, int *insn)
{
    uintptr_t pos;

    if (ra == 0)
        return NULL; /* the caller's state is already precise */
    if (tb_owns_host_pc(cpu, ra))
        pos = ra;
    else if (cpu->interp_pc)
        pos = cpu->interp_pc;
    else
        return NULL;

    struct tb *tb = cpu->current_tb;
    if (!tb || pos < (uintptr_t)tb->code ||
        pos >= (uintptr_t)tb->code + tb->code_size)
        tb = tb_find_by_host_pc(cpu, pos);
    if (!tb)
        return NULL;
    *insn = tb_find_insn(cpu, tb, pos);
    return *insn < 0 ? NULL : tb;
}

void cpu_restore_state(struct cpu *cpu, uintptr_t ra)
{
    int i;
    struct tb *tb = excp_locate(cpu, ra, &i);
    if (!tb)
        return;

    cpu->eip = tb->insns[i].eip;
    if (tb->insns[i].cc_op != CC_OP_DYNAMIC)
        cpu->cc_op = tb->insns[i].cc_op;
    /* The block was charged in full at its entry: give back the faulting
     * instruction and those after it. */
    if (cpu->icount_mode) {
        int64_t back = (int64_t)tb->icount - i;
        cpu->icount -= (uint64_t)back;
        cpu->icount_budget += back;
    }
    /* Consumed: a second restore for the same exit must not repeat it. */
    cpu->interp_pc = 0;
    cpu->current_tb = NULL;
}

int64_t cpu_io_begin(struct cpu *cpu, uintptr_t ra)
{
    if (!cpu->icount_mode)
        return 0;
    int i;
    struct tb *tb = excp_locate(cpu, ra, &i);
    if (!tb)
        return 0; /* not inside a block: the count is exact */
    /* The block was charged in full at its entry: until cpu_io_end, leave
     * out this instruction and those after it. */
    int64_t ahead = (int64_t)tb->icount - i;
    cpu->icount -= (uint64_t)ahead;
    return ahead;
}

/* SDM 3A Table 6-4: the contributory exceptions. */
static bool excp_contributory(int vec)
{
    return vec == EXCP_DE || vec == EXCP_TS || vec == EXCP_NP ||
           vec == EXCP_SS || vec == EXCP_GP;
}

_Noreturn void cpu_loop_exit(struct cpu *cpu)
{
    cpu->current_tb = NULL;
    cpu->interp_pc = 0;
    siglongjmp(cpu->jmp_env, 1);
}

/*
 * cpu->fault_depth is 1 + the vector of the exception the CPU loop is
 * delivering (0 while delivering nothing, a hardware interrupt or INT n).
 * A second fault during that delivery combines per SDM 3A Table 6-5.
 */
static _Noreturn void excp_raise(struct cpu *cpu, int vec, int err,
                                 bool has_err, bool is_int, uint32_t next_eip)
{
    int first = cpu->fault_depth - 1;

    if (first >= 0 && !is_int) {
        if (first == EXCP_DF) {
            if (log_enabled(LOG_INT))
                log_printf("triple fault (vector 0x%02x during #DF)\n", vec);
            cpu->exception_index = -1;
            cpu->fault_depth = 0;
            if (cpu->on_shutdown)
                cpu->on_shutdown(cpu->shutdown_opaque, "triple fault");
            else
                cpu->stop_request = 1;
            cpu_loop_exit(cpu);
        }
        if ((excp_contributory(first) && excp_contributory(vec)) ||
            (first == EXCP_PF && (vec == EXCP_PF || excp_contributory(vec)))) {
            vec = EXCP_DF;
            err = 0;
            has_err = true;
        }
    }
    cpu->exception_index = vec;
    cpu->error_code = err;
    cpu->exception_has_error = has_err;
    cpu->exception_is_int = is_int;
    cpu->exception_next_eip = is_int ? next_eip : (uint32_t)cpu->eip;
    cpu_loop_exit(cpu);
}

/* SDM 3A 6.15, interrupt 17: a misaligned data reference at CPL 3 with
 * CR0.AM and EFLAGS.AC raises #AC(0), a fault. Emitted before each guest
 * access of 2 bytes or more in blocks made with HF_AC. */
void helper_check_align(struct cpu *cpu, uint32_t addr, uint32_t mask)
{
    if (addr & mask)
        raise_exception_err(cpu, EXCP_AC, 0, GETPC());
}

_Noreturn void raise_exception(struct cpu *cpu, int vec, uintptr_t ra)
{
    cpu_restore_state(cpu, ra);
    excp_raise(cpu, vec, 0, false, false, 0);
}

_Noreturn void raise_exception_err(struct cpu *cpu, int vec, int err,
                                   uintptr_t ra)
{
    cpu_restore_state(cpu, ra);
    excp_raise(cpu, vec, err, true, false, 0);
}

_Noreturn void raise_interrupt(struct cpu *cpu, int vec, uint32_t next_eip,
                               uintptr_t ra)
{
    cpu_restore_state(cpu, ra);
    excp_raise(cpu, vec, 0, false, true, next_eip);
}
