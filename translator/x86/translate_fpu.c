/*
 * translate_fpu.c - x87 instructions (escapes D8-DF), WAIT/FWAIT, FXSAVE
 * and FXRSTOR -> calls of the x87 helpers (helpers_fpu.def). The FPU's
 * state lives in struct cpu, outside the IR's globals; each instruction is
 * one helper call that makes the #NM and pending-error checks itself
 * (CR0.EM/TS/MP and CR0.NE are not part of a block's key).
 */
#include "translator/x86/fpu_internal.h"
#include "translator/x86/helpers.h"
#include "translator/x86/translate_internal.h"

/* FCOMI, FUCOMI and their popping forms write ZF PF CF. */
static bool fpu_writes_eflags(unsigned esc, unsigned modrm)
{
    return (esc == 3 || esc == 7) && modrm >= 0xe8 && modrm < 0xf8;
}

/* FISTTP m16/m32/m64 (DF /1, DB /1, DD /1) came with SSE3; this CPU is a
 * P6 without it (CPUID.01H:ECX.SSE3 = 0), so they are #UD (SDM vol. 2
 * FISTTP, "Protected Mode Exceptions"). An invalid opcode comes before
 * #NM (SDM 3A 6.9, Table 6-2: faults from decoding the next instruction). */
static bool fpu_is_fisttp(unsigned esc, const struct x86_insn *insn)
{
    return insn->mod != 3 && insn->reg == 1 && (esc == 3 || esc == 5 || esc == 7);
}

static void gen_fpu(struct dc *dc)
{
    const struct x86_insn *insn = dc->insn;
    unsigned esc = insn->opcode & 7;

    if (fpu_is_fisttp(esc, insn)) {
        gen_exception(dc, EXCP_UD);
        return;
    }
    if (insn->mod == 3) {
        gen_helper(dc, HELPER_fpu_reg, IR_TEMP_NONE, 2,
                   dc_cst(dc, esc << 8 | insn->modrm), dc_cst(dc, dc->pc), 0,
                   0);
        if (fpu_writes_eflags(esc, insn->modrm))
            gen_cc_op_written(dc, CC_OP_DYNAMIC);
        return;
    }
    ir_temp ea = gen_ea(dc, &insn->mem, insn->addrsize, IR_TEMP_NONE);
    uint32_t mode = FPU_MODE(esc, insn->modrm, insn->opsize == 4,
                             insn->addrsize == 4, insn->mem.seg);
    gen_helper(dc, HELPER_fpu_mem, IR_TEMP_NONE, 3, dc_cst(dc, mode),
               dc_cst(dc, dc->pc), ea, 0);
}

bool translate_fpu(struct dc *dc)
{
    switch (dc->insn->mnem) {
    case X86_FPU: gen_fpu(dc); return true;
    case X86_WAIT:
        gen_helper(dc, HELPER_fwait, IR_TEMP_NONE, 0, 0, 0, 0, 0);
        return true;
    case X86_FXSAVE:
    case X86_FXRSTOR: {
        const struct x86_insn *insn = dc->insn;
        uint32_t mode = FPU_MODE(0, insn->modrm, insn->opsize == 4,
                                 insn->addrsize == 4, insn->mem.seg);
        gen_helper(dc, insn->mnem == X86_FXSAVE ? HELPER_fxsave : HELPER_fxrstor,
                   IR_TEMP_NONE, 2, dc_cst(dc, mode), gen_mem_ea(dc), 0, 0);
        return true;
    }
    default: return false;
    }
}
