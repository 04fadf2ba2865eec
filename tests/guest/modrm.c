/* modrm: every 32-bit ModRM/SIB addressing form (mod 0-2, every rm, every
 * SIB byte: scales, index "none", the no-base disp32 form, ESP and EBP
 * bases) and every 16-bit form (67 prefix), through LEA instructions
 * generated into a buffer and run one at a time with known register
 * values; one hash per group plus samples.  The buffer is rewritten for
 * each case, so this also exercises code invalidation.  Then every 32-bit
 * form that does not use ESP as a load (MOV r32, m32) and a store (MOV m32,
 * imm32) with registers pointing into free RAM, checked against the LEA of
 * the same form. */
#include "rt/rt.h"

/* The generated code lives at a fixed address in free RAM so that no
 * result depends on where the program was linked. */
#define CODE_ADDR 0x300000u
static uint8_t *const code = (uint8_t *)CODE_ADDR;

/* Registers while the generated code runs. */
#define V_EAX 0x00000008u
#define V_EBX 0x00001000u
#define V_ECX 0x00020000u
#define V_EDX 0x00300000u
#define V_ESI 0x04000000u
#define V_EDI 0x50000000u
#define V_EBP 0x00000600u

/* Runs code[] with the registers above; returns EAX, and the ESP that the
 * generated code saw in *sp. */
uint32_t modrm_sp;

/* EBP is saved around the call (RBP in hostcheck.sh's 64-bit build) */
#ifdef __x86_64__
#define SAVE_BP "pushq %%rbp\n\t"
#define RESTORE_BP "popq %%rbp"
#else
#define SAVE_BP "pushl %%ebp\n\t"
#define RESTORE_BP "popl %%ebp"
#endif

static uint32_t run(uint32_t *sp)
{
    uint32_t r;
    /* ESP goes to a global: an ESP-relative operand would be off after the push */
    __asm__ volatile(SAVE_BP
                     "movl %[vbp], %%ebp\n\t"
                     "movl %%esp, modrm_sp\n\t"
                     "call 0x300000\n\t"
                     RESTORE_BP
                     : "=a"(r)
                     : "a"(V_EAX), "b"(V_EBX), "c"(V_ECX), "d"(V_EDX), "S"(V_ESI), "D"(V_EDI),
                       [vbp] "i"(V_EBP)
                     : "memory", "cc");
    *sp = modrm_sp - (uint32_t)sizeof(void *); /* inside the call, below the return address */
    return r;
}

/* Register values for the memory forms: any base + index*8 + disp stays in
 * free RAM between 4 MiB and 96 MiB. */
static const uint32_t mem_regs[8] = {0x400000, 0x410000, 0x420000, 0x430000, 0, 0x440000, 0x450000, 0x460000};

static uint32_t run_mem(void)
{
    uint32_t r;
    __asm__ volatile(SAVE_BP
                     "movl %[vbp], %%ebp\n\t"
                     "call 0x300000\n\t"
                     RESTORE_BP
                     : "=a"(r)
                     : "a"(mem_regs[0]), "c"(mem_regs[1]), "d"(mem_regs[2]), "b"(mem_regs[3]),
                       [vbp] "m"(mem_regs[5]), "S"(mem_regs[6]), "D"(mem_regs[7])
                     : "memory", "cc");
    return r;
}

/* Writes opcode, the ModRM (reg field 0) / SIB / displacement of one form,
 * then extra bytes and RET. */
static void emit_form(uint8_t opcode, unsigned mod, unsigned rm, unsigned sib, uint32_t disp,
                      const uint8_t *extra, unsigned nextra)
{
    unsigned n = 0;
    code[n++] = opcode;
    code[n++] = (uint8_t)(mod << 6 | rm);
    int disp32 = mod == 2;
    if (rm == 4) {
        code[n++] = (uint8_t)sib;
        if (mod == 0 && (sib & 7) == 5)
            disp32 = 1;
    } else if (mod == 0 && rm == 5) {
        disp32 = 1;
    }
    if (mod == 1) {
        code[n++] = (uint8_t)disp;
    } else if (disp32) {
        memcpy(code + n, &disp, 4);
        n += 4;
    }
    memcpy(code + n, extra, nextra);
    n += nextra;
    code[n] = 0xc3;
}

static void test_memory_forms(void)
{
    uint32_t checked = 0, bad_load = 0, bad_store = 0, h = RT_HASH_INIT;
    for (unsigned mod = 0; mod < 3; mod++)
        for (unsigned rm = 0; rm < 8; rm++)
            for (unsigned sib = 0; sib < (rm == 4 ? 256u : 1u); sib++) {
                if (rm == 4 && (sib & 7) == 4)
                    continue; /* ESP base */
                uint32_t m = (mod * 4096 + rm * 256 + sib) * 0x9e3779b9u;
                int no_base = mod == 0 && (rm == 5 || (rm == 4 && (sib & 7) == 5));
                uint32_t disp = mod == 1 ? (m & 0xff) : no_base ? 0x3000000u + (m & 0xfff0) : 0x100000u + (m & 0xffff);
                emit_form(0x8d, mod, rm, sib, disp, 0, 0); /* lea eax, [form] */
                uint32_t ea = run_mem();
                uint32_t pat = ea ^ 0x5a5a5a5au;
                memcpy((void *)ea, &pat, 4);
                emit_form(0x8b, mod, rm, sib, disp, 0, 0); /* mov eax, [form] */
                uint32_t got = run_mem();
                if (got != pat)
                    bad_load++;
                static const uint8_t imm[4] = {0x78, 0x56, 0x34, 0x12};
                emit_form(0xc7, mod, rm, sib, disp, imm, 4); /* mov dword [form], 0x12345678 */
                run_mem();
                uint32_t now;
                memcpy(&now, (void *)ea, 4);
                if (now != 0x12345678u)
                    bad_store++;
                h = rt_hash(h, ea);
                checked++;
            }
    rt_printf("memory forms: %u checked, load mismatches %u, store mismatches %u, ea hash=%08x\n", checked,
              bad_load, bad_store, h);
}

static uint32_t mix(uint32_t i)
{
    return i * 0x9e3779b9u;
}

int main(void)
{
    uint32_t h_all = RT_HASH_INIT;
    for (unsigned mod = 0; mod < 3; mod++) {
        uint32_t h = RT_HASH_INIT;
        for (unsigned rm = 0; rm < 8; rm++) {
            unsigned nsib = rm == 4 ? 256 : 1;
            for (unsigned sib = 0; sib < nsib; sib++) {
                unsigned n = 0;
                uint32_t disp = mix(mod * 4096 + rm * 256 + sib);
                code[n++] = 0x8d; /* lea eax, [...] */
                code[n++] = (uint8_t)(mod << 6 | 0 << 3 | rm);
                int base_esp = 0, disp32 = mod == 2;
                if (rm == 4) {
                    code[n++] = (uint8_t)sib;
                    base_esp = (sib & 7) == 4;
                    if (mod == 0 && (sib & 7) == 5)
                        disp32 = 1;
                } else if (mod == 0 && rm == 5) {
                    disp32 = 1;
                }
                if (mod == 1) {
                    code[n++] = (uint8_t)disp;
                } else if (disp32) {
                    memcpy(code + n, &disp, 4);
                    n += 4;
                }
                code[n++] = 0xc3;
                uint32_t sp, r = run(&sp);
                if (base_esp)
                    r -= sp;
                h = rt_hash(h, r);
                if (rm != 4 || sib % 37 == 0) {
                    if (rm == 4)
                        rt_printf("  mod %u rm %u sib %02x -> %x%s\n", mod, rm, sib, r, base_esp ? " (+esp)" : "");
                    else
                        rt_printf("  mod %u rm %u -> %x\n", mod, rm, r);
                }
            }
        }
        rt_printf("32-bit mod %u hash=%08x\n", mod, h);
        h_all = rt_hash(h_all, h);
    }

    /* 16-bit forms: 67 8D /r with disp8/disp16; the address wraps at 64 KiB
     * and is zero-extended into EAX (in 64-bit mode 67 selects 32-bit
     * addressing: not in hostcheck.sh's 64-bit build) */
#ifndef __x86_64__
    uint32_t h16 = RT_HASH_INIT;
    for (unsigned mod = 0; mod < 3; mod++)
        for (unsigned rm = 0; rm < 8; rm++) {
            unsigned n = 0;
            uint32_t disp = mix(mod * 8 + rm + 1000);
            code[n++] = 0x67;
            code[n++] = 0x8d;
            code[n++] = (uint8_t)(mod << 6 | rm);
            if (mod == 1)
                code[n++] = (uint8_t)disp;
            else if (mod == 2 || (mod == 0 && rm == 6)) {
                code[n++] = (uint8_t)disp;
                code[n++] = (uint8_t)(disp >> 8);
            }
            code[n++] = 0xc3;
            uint32_t sp, r = run(&sp);
            rt_printf("  a16 mod %u rm %u -> %x\n", mod, rm, r);
            h16 = rt_hash(h16, r);
        }
    rt_printf("16-bit hash=%08x\n", h16);
#endif

    /* every destination register, with a 16-bit operand size as well */
    for (unsigned reg = 0; reg < 8; reg++) {
        if (reg == 4)
            continue; /* ESP as destination would break the call */
        unsigned n = 0;
        code[n++] = 0x8d;
        code[n++] = (uint8_t)(0x80 | reg << 3 | 3); /* lea reg, [ebx + disp32] */
        uint32_t disp = 0x12340000u + reg;
        memcpy(code + n, &disp, 4);
        n += 4;
        if (reg != 0) {
            code[n++] = 0x89; /* mov eax, reg */
            code[n++] = (uint8_t)(0xc0 | reg << 3);
        }
        code[n++] = 0xc3;
        uint32_t sp, r = run(&sp);
        rt_printf("lea r%u, [ebx+%x] -> %x\n", reg, disp, r);
    }
    code[0] = 0x66; /* lea ax, [ecx + edx*2 + 0x7fff] keeps EAX's upper half */
    code[1] = 0x8d;
    code[2] = 0x84;
    code[3] = 0x51;
    code[4] = 0xff;
    code[5] = 0x7f;
    code[6] = 0x00;
    code[7] = 0x00;
    code[8] = 0xc3;
    uint32_t sp, r = run(&sp);
    rt_printf("lea ax, [ecx+edx*2+7fff] -> %x\n", r & 0xffff);
#ifndef __x86_64__
    /* includes mod 0 rm 5, RIP-relative in 64-bit mode */
    test_memory_forms();
#endif
    rt_puts("modrm done\n");
    return 0;
}
