/*
 * disas.c - Capstone wrappers: guest x86 (16/32-bit) and host code as
 * text, and Capstone's idea of an instruction's length. The handles are
 * opened on first use and kept for the life of the process.
 */
#include "translator/disas.h"

#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdbool.h>

enum { DISAS_G16, DISAS_G32, DISAS_HOST, DISAS_COUNT };

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
    };
    if (!disas_opened[which]) {
        if (kinds[which].arch == CS_ARCH_ALL ||
            cs_open(kinds[which].arch, kinds[which].mode, &disas_handles[which]) != CS_ERR_OK)
            return 0;
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
