/*
 * disas.c - Capstone wrappers: guest x86 (16/32-bit) and host code as
 * text, and Capstone's idea of an instruction's length. The handles are
 * opened on first use and kept for the life of the process: deliberately
 * process-wide (they depend only on the instruction set, not on any
 * machine), so every machine in the process shares them.
 */
#include "translator/disas.h"

#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdbool.h>

enum { DISAS_G16, DISAS_G32, DISAS_HOST, DISAS_D16, DISAS_D32, DISAS_COUNT };

static csh disas_handles[DISAS_COUNT];
static bool disas_opened[DISAS_COUNT];

static csh disas_handle(int which)
{
    static const struct {
        cs_arch arch;
        cs_mode mode;
    } kinds[DISAS_COUNT] = {
        [DISAS_G16] = { CS_ARCH_X86, CS_MODE_16 },
        [DISAS_G32] = { CS_ARCH_X86, CS_MODE_32 },
#if defined(__x86_64__)
        [DISAS_HOST] = { CS_ARCH_X86, CS_MODE_64 },
#elif defined(__aarch64__)
        [DISAS_HOST] = { CS_ARCH_ARM64, CS_MODE_LITTLE_ENDIAN },
#else
        [DISAS_HOST] = { CS_ARCH_ALL, 0 }, /* no host disassembler */
#endif
        /* with operand details, for disas_operands */
        [DISAS_D16] = { CS_ARCH_X86, CS_MODE_16 },
        [DISAS_D32] = { CS_ARCH_X86, CS_MODE_32 },
    };
    if (!disas_opened[which]) {
        if (kinds[which].arch == CS_ARCH_ALL ||
            cs_open(kinds[which].arch, kinds[which].mode, &disas_handles[which]) != CS_ERR_OK)
            return 0;
        if (which == DISAS_D16 || which == DISAS_D32)
            cs_option(disas_handles[which], CS_OPT_DETAIL, CS_OPT_ON);
        disas_opened[which] = true;
    }
    return disas_handles[which];
}

/* Bytes are padded to the width of 8 so most mnemonics line up; longer
 * instructions push their mnemonic right. */
#define DISAS_BYTES_COL 8

static void disas_print(FILE *f, csh h, const uint8_t *code, size_t len, uint64_t addr,
                        int addr_digits)
{
    cs_insn *ci = cs_malloc(h);
    while (len > 0) {
        const uint8_t *p = code;
        size_t n = len;
        uint64_t a = addr;
        bool ok = cs_disasm_iter(h, &p, &n, &a, ci);
        size_t size = ok ? ci->size : 1;
        fprintf(f, "0x%0*" PRIx64 ": ", addr_digits, addr);
        for (size_t i = 0; i < size || i < DISAS_BYTES_COL; i++)
            fprintf(f, i < size ? " %02x" : "   ", i < size ? code[i] : 0);
        if (ok)
            fprintf(f, "  %s%s%s\n", ci->mnemonic, ci->op_str[0] ? " " : "", ci->op_str);
        else
            fprintf(f, "  .byte 0x%02x\n", code[0]);
        code += size;
        len -= size;
        addr += size;
    }
    cs_free(ci, 1);
}

void disas_guest(FILE *f, const uint8_t *code, size_t len, uint32_t addr, int mode)
{
    csh h = disas_handle(mode == 16 ? DISAS_G16 : DISAS_G32);
    if (!h) {
        fprintf(f, "0x%08x:  (no disassembler)\n", addr);
        return;
    }
    disas_print(f, h, code, len, addr, 8);
}

void disas_host(FILE *f, const uint8_t *code, size_t len, uint64_t addr)
{
    csh h = disas_handle(DISAS_HOST);
    if (!h) {
        fprintf(f, "0x%016" PRIx64 ":  (no disassembler for this host)\n", addr);
        return;
    }
    disas_print(f, h, code, len, addr, 16);
}

int disas_insn_text(const uint8_t *code, size_t len, uint32_t addr, int mode,
                    char *text, size_t size)
{
    csh h = disas_handle(mode == 16 ? DISAS_G16 : DISAS_G32);
    if (size)
        text[0] = 0;
    if (!h)
        return -1;
    cs_insn *ci = cs_malloc(h);
    const uint8_t *p = code;
    size_t n = len;
    uint64_t a = addr;
    int ret = -1;
    if (cs_disasm_iter(h, &p, &n, &a, ci)) {
        ret = ci->size;
        if (size)
            snprintf(text, size, "%s%s%s", ci->mnemonic, ci->op_str[0] ? " " : "", ci->op_str);
    }
    cs_free(ci, 1);
    return ret;
}

int disas_length(const uint8_t *code, size_t len, uint32_t addr, int mode)
{
    return disas_insn_text(code, len, addr, mode, NULL, 0);
}

/* Capstone register -> ('r', number) for general registers, ('s', Sreg
 * number) for segment registers, 'x' for the rest. */
static char disas_reg(x86_reg r, int8_t *num)
{
    static const x86_reg gpr[4][8] = {
        { X86_REG_AL, X86_REG_CL, X86_REG_DL, X86_REG_BL,
          X86_REG_AH, X86_REG_CH, X86_REG_DH, X86_REG_BH },
        { X86_REG_AX, X86_REG_CX, X86_REG_DX, X86_REG_BX,
          X86_REG_SP, X86_REG_BP, X86_REG_SI, X86_REG_DI },
        { X86_REG_EAX, X86_REG_ECX, X86_REG_EDX, X86_REG_EBX,
          X86_REG_ESP, X86_REG_EBP, X86_REG_ESI, X86_REG_EDI },
        { X86_REG_ES, X86_REG_CS, X86_REG_SS, X86_REG_DS, X86_REG_FS, X86_REG_GS,
          X86_REG_INVALID, X86_REG_INVALID },
    };
    *num = -1;
    if (r == X86_REG_INVALID)
        return 0;
    for (int k = 0; k < 4; k++) {
        for (int i = 0; i < 8; i++) {
            if (gpr[k][i] == r) {
                *num = (int8_t)i;
                return k == 3 ? 's' : 'r';
            }
        }
    }
    return 'x';
}

int disas_operands(const uint8_t *code, size_t len, uint32_t addr, int mode,
                   struct disas_operand *ops, int max)
{
    csh h = disas_handle(mode == 16 ? DISAS_D16 : DISAS_D32);
    if (!h)
        return -1;
    cs_insn *ci = cs_malloc(h);
    const uint8_t *p = code;
    size_t n = len;
    uint64_t a = addr;
    int count = -1;
    if (cs_disasm_iter(h, &p, &n, &a, ci)) {
        const cs_x86 *x = &ci->detail->x86;
        count = x->op_count;
        for (int i = 0; i < count && i < max; i++) {
            const cs_x86_op *o = &x->operands[i];
            struct disas_operand *d = &ops[i];
            *d = (struct disas_operand){ .size = o->size, .reg = -1, .seg = -1,
                                         .base = -1, .index = -1 };
            switch (o->type) {
            case X86_OP_REG:
                d->kind = disas_reg(o->reg, &d->reg);
                break;
            case X86_OP_IMM:
                d->kind = 'i';
                d->imm = o->imm;
                break;
            case X86_OP_MEM: {
                char k;
                d->kind = 'm';
                disas_reg(o->mem.segment, &d->seg);
                k = disas_reg(o->mem.base, &d->base);
                if (k == 'x')
                    d->base = -2; /* a base that is no general register */
                k = disas_reg(o->mem.index, &d->index);
                if (k == 'x')
                    d->index = -2;
                d->scale = (uint8_t)o->mem.scale;
                d->disp = o->mem.disp;
                break;
            }
            default:
                d->kind = 'x';
                break;
            }
        }
    }
    cs_free(ci, 1);
    return count;
}
