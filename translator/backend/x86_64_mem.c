/*
 * x86_64_mem.c - guest loads and stores in the native backend: the soft TLB
 * compare-and-add inline, and out-of-line slow paths (after the block's
 * code) that write back dirty globals, call softmmu/ with a return address
 * inside the instruction's code (precise faults), and jump back.
 */
#include <stddef.h>

#include "base/util.h"
#include "softmmu/access.h"
#include "translator/backend/x86_64_internal.h"

/* ---- guest memory ---- */

static struct slow_stub *new_stub(struct gen *g)
{
    if (g->n_stubs == g->cap_stubs) {
        g->cap_stubs = g->cap_stubs ? 2 * g->cap_stubs : 32;
        g->stubs = xrealloc(g->stubs, (size_t)g->cap_stubs * sizeof(*g->stubs));
    }
    struct slow_stub *st = &g->stubs[g->n_stubs++];
    memset(st, 0, sizeof(*st));
    return st;
}

/* What the slow path must write back first: every dirty global. */
static void stub_record_state(struct gen *g, struct slow_stub *st)
{
    st->n_sync = 0;
    for (int t = 0; t < g->ir->n_globals; t++) {
        struct tstate *s = &g->ts[t];
        if (s->reg >= 0 && s->dirty) {
            st->sync[st->n_sync].reg = s->reg;
            st->sync[st->n_sync].off = env_off(g, (ir_temp)t);
            st->n_sync++;
        }
    }
    st->save_mask = 0;
    for (int r = 0; r < 16; r++)
        if (g->reg_owner[r] >= 0 && (CALLER_SAVED_MASK & (1u << r)))
            st->save_mask |= (uint16_t)(1u << r);
}

/*
 * Inline TLB lookup. Leaves the host address in R11 on a hit; on a miss
 * jumps to the stub (whose jne field is returned) with R11 = guest address.
 *   mov r11d, addr ; mov ecx, addr ; shr ecx, PAGE_BITS - 5
 *   and ecx, (TLB_SIZE - 1) << 5      ; entry offset (32-byte entries)
 *   mov eax, addr ; and rax, PAGE_MASK | (size-1)
 *   cmp rax, [rbp + rcx + tag]        ; 64-bit tags; jne slow
 *   add r11, [rbp + rcx + addend]
 * A 32-bit address is zero-extended by the 32-bit moves.
 */
static size_t gen_tlb_lookup(struct gen *g, int raddr, ir_temp addr,
                             unsigned size, int mmu, bool store, bool aw64)
{
    _Static_assert(sizeof(struct tlb_entry) == 32, "TLB entry is 32 bytes");
    int32_t base = (int32_t)(offsetof(struct cpu, mmu.tlb) +
                             (size_t)mmu * TLB_SIZE * sizeof(struct tlb_entry));
    int32_t tag = base + (int32_t)(store ? offsetof(struct tlb_entry, tag_write)
                                         : offsetof(struct tlb_entry, tag_read));
    /* aw64: a 64-bit address (IR_MEMOP_ADDR64); a 32-bit one is
     * zero-extended by the 32-bit moves. */
    if (raddr < 0) {
        /* A constant address: the entry and the tag are known now.
         *   mov r11d, addr ; mov eax, addr & mask
         *   cmp rax, [rbp + entry + tag] ; jne slow
         *   add r11, [rbp + entry + addend]
         * (an imm32 compare would sign-extend addresses from 2 GiB up) */
        uint64_t a = const_val(g, addr);
        if (!aw64)
            a = (uint32_t)a;
        int32_t entry = (int32_t)(tlb_index(a) * sizeof(struct tlb_entry));
        x64_mov_ri(&g->b, X64_R11, a);
        x64_mov_ri(&g->b, X64_RAX, a & (PAGE_MASK | (size - 1)));
        x64_arith_rm(&g->b, ARITH_CMP, true, X64_RAX, X64_RBP, X64_NO_REG, 0,
                     tag + entry);
        size_t field = x64_jcc_rel32(&g->b, X64_CC_NE, x64_addr(&g->b));
        x64_arith_rm(&g->b, ARITH_ADD, true, X64_R11, X64_RBP, X64_NO_REG, 0,
                     base + entry + (int32_t)offsetof(struct tlb_entry, addend));
        return field;
    }
    x64_mov_rr(&g->b, aw64, X64_R11, raddr);
    int src = raddr;
    x64_mov_rr(&g->b, aw64, X64_RCX, src);
    x64_shift_ri(&g->b, SHIFT_SHR, false, X64_RCX, PAGE_BITS - 5);
    x64_arith_ri(&g->b, ARITH_AND, false, X64_RCX, (TLB_SIZE - 1) << 5);
    x64_mov_rr(&g->b, aw64, X64_RAX, src);
    /* the mask sign-extends to 64 bits: the high half of the address is
     * kept, and a tag's high half compared */
    x64_arith_ri(&g->b, ARITH_AND, true, X64_RAX,
                 (int32_t)((uint32_t)PAGE_MASK | (size - 1)));
    x64_arith_rm(&g->b, ARITH_CMP, true, X64_RAX, X64_RBP, X64_RCX, 0, tag);
    size_t field = x64_jcc_rel32(&g->b, X64_CC_NE, x64_addr(&g->b));
    x64_arith_rm(&g->b, ARITH_ADD, true, X64_R11, X64_RBP, X64_RCX, 0,
                 base + (int32_t)offsetof(struct tlb_entry, addend));
    return field;
}

void gen_ld_guest(struct gen *g, const struct ir_op *op)
{
    ir_temp d = op->args[0], addr = op->args[1];
    unsigned memop = op->args[2];
    unsigned size = 1u << (memop & IR_MEMOP_SIZE_MASK);
    bool sign = (memop & IR_MEMOP_SIGN) != 0;
    bool w64 = op->type == IR_I64;
    int mmu = (int)(memop >> IR_MEMOP_MMU_SHIFT);
    int ra = is_const(g, addr) ? -1 : in_reg(g, addr);
    /* Allocate before the lookup: any spill code must run on both paths. */
    int rd = out_reg(g, d, -1, false);
    g->locked |= 1u << rd;

    size_t field = gen_tlb_lookup(g, ra, addr, size, mmu, false,
                                  (memop & IR_MEMOP_ADDR64) != 0);
    x64_load(&g->b, rd, X64_R11, X64_NO_REG, 0, 0, size, sign, w64);

    struct slow_stub *st = new_stub(g);
    st->jcc_field = field;
    st->back = x64_addr(&g->b);
    st->store = false;
    st->size = size;
    st->sign = sign;
    st->w64 = w64;
    st->mmu = mmu;
    st->out_reg = rd;
    stub_record_state(g, st);
    st->save_mask &= (uint16_t)~(1u << rd);
    set_out(g, d, rd);
}

void gen_st_guest(struct gen *g, const struct ir_op *op)
{
    ir_temp addr = op->args[0], val = op->args[1];
    unsigned memop = op->args[2];
    unsigned size = 1u << (memop & IR_MEMOP_SIZE_MASK);
    int mmu = (int)(memop >> IR_MEMOP_MMU_SHIFT);
    int ra = is_const(g, addr) ? -1 : in_reg(g, addr);
    int rv = is_const(g, val) ? -1 : in_reg(g, val);

    size_t field = gen_tlb_lookup(g, ra, addr, size, mmu, true,
                                  (memop & IR_MEMOP_ADDR64) != 0);
    if (rv >= 0) {
        x64_store(&g->b, rv, X64_R11, X64_NO_REG, 0, 0, size);
    } else {
        x64_mov_ri(&g->b, X64_RAX, const_val(g, val));
        x64_store(&g->b, X64_RAX, X64_R11, X64_NO_REG, 0, 0, size);
    }

    struct slow_stub *st = new_stub(g);
    st->jcc_field = field;
    st->back = x64_addr(&g->b);
    st->store = true;
    st->size = size;
    st->mmu = mmu;
    st->val_reg = rv;
    st->val_imm = rv < 0 ? const_val(g, val) : 0;
    stub_record_state(g, st);
}

void call_abs(struct x64_buf *b, const void *fn)
{
    x64_mov_ri(b, X64_RAX, (uint64_t)(uintptr_t)fn);
    x64_call_r(b, X64_RAX);
}

/* First argument of a slow path: the CPU's soft MMU (env is in RBP). */
static void gen_mmu_arg(struct gen *g)
{
    x64_lea(&g->b, true, X64_RDI, X64_RBP, X64_NO_REG, 0,
            (int32_t)offsetof(struct cpu, mmu));
}

/* The out-of-line slow paths, after the block's code. */
void gen_stubs(struct gen *g)
{
    for (int i = 0; i < g->n_stubs; i++) {
        struct slow_stub *st = &g->stubs[i];
        x64_patch_rel32(&g->b, st->jcc_field, x64_addr(&g->b));
        for (int k = 0; k < st->n_sync; k++)
            x64_store(&g->b, st->sync[k].reg, X64_RBP, X64_NO_REG, 0,
                      st->sync[k].off, 8);
        for (int r = 0; r < 16; r++)
            if (st->save_mask & (1u << r))
                x64_store(&g->b, r, X64_RSP, X64_NO_REG, 0, SAVE_AREA + r * 8,
                          8);
        if (st->store) {
            /* tlb_store_slow(&cpu->mmu, addr, val, size, mmu, ra) */
            if (st->val_reg >= 0)
                x64_mov_rr(&g->b, true, X64_RDX, st->val_reg);
            else
                x64_mov_ri(&g->b, X64_RDX, st->val_imm);
            x64_mov_rr(&g->b, true, X64_RSI, X64_R11); /* zero-extended */
            gen_mmu_arg(g);
            x64_mov_ri(&g->b, X64_RCX, st->size);
            x64_mov_ri(&g->b, X64_R8, (uint64_t)st->mmu);
            x64_lea_rip(&g->b, X64_R9, st->back);
            call_abs(&g->b, (const void *)tlb_store_slow);
        } else {
            /* tlb_load_slow(&cpu->mmu, addr, size, mmu, ra) */
            x64_mov_rr(&g->b, true, X64_RSI, X64_R11); /* zero-extended */
            gen_mmu_arg(g);
            x64_mov_ri(&g->b, X64_RDX, st->size);
            x64_mov_ri(&g->b, X64_RCX, (uint64_t)st->mmu);
            x64_lea_rip(&g->b, X64_R8, st->back);
            call_abs(&g->b, (const void *)tlb_load_slow);
            switch (st->size) {
            case 1:
                if (st->sign)
                    x64_movsx(&g->b, st->w64, st->out_reg, X64_RAX, 1);
                else
                    x64_movzx(&g->b, st->out_reg, X64_RAX, 1);
                break;
            case 2:
                if (st->sign)
                    x64_movsx(&g->b, st->w64, st->out_reg, X64_RAX, 2);
                else
                    x64_movzx(&g->b, st->out_reg, X64_RAX, 2);
                break;
            case 4:
                if (st->sign && st->w64)
                    x64_movsx(&g->b, true, st->out_reg, X64_RAX, 4);
                else
                    x64_mov_rr(&g->b, false, st->out_reg, X64_RAX);
                break;
            default:
                x64_mov_rr(&g->b, true, st->out_reg, X64_RAX);
                break;
            }
        }
        for (int r = 0; r < 16; r++)
            if (st->save_mask & (1u << r))
                x64_load(&g->b, r, X64_RSP, X64_NO_REG, 0, SAVE_AREA + r * 8,
                         8, false, true);
        x64_jmp_rel32(&g->b, st->back);
    }
}

