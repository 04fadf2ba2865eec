/* randseq: random straight-line sequences of integer instructions, with
 * forward conditional branches among them, generated into RAM and run with
 * random register and flag inputs; the final registers, arithmetic flags
 * and a scratch memory area are hashed.  This exercises what single-
 * instruction tests cannot: lazy flags and the liveness pass across many
 * instruction mixes, flags consumed in later blocks (after a Jcc), byte
 * registers AH..BH, 16-bit forms, memory operands, PUSHF in mid-sequence,
 * calls (direct and through a register) to generated subroutines, stores
 * that rewrite the immediate of a later instruction (self-modifying code,
 * often inside the running block),
 * and helper-backed instructions (MUL, IMUL, DIV, BSF/BSR, shifts by CL,
 * BT*) each followed by an instruction that redefines the flags they leave
 * undefined, and DIVs by a register that is sometimes 0: the #DE handler
 * hashes the whole frame, which must be the state after the previous
 * instruction, even in the middle of a block.
 * Only instructions whose flags are all defined are used, except that
 * AND/OR/XOR/TEST and shifts leave AF undefined: no instruction reads AF
 * (no LAHF; PUSHF is followed by masking it) and the final AF is masked.
 * hostcheck.sh runs the same sequences on the build machine's CPU.
 * A second pass reruns every sequence twice with IRQ0 arriving every ~6000
 * instructions: interrupts land between the blocks of the sequences and
 * the results must not change (registers and flags saved and restored
 * through the IDT frame and IRET).  Then the same in a 16-bit code segment
 * (2048 sequences), where every default operand and address size flips. */
#include "rt/rt.h"

#define CODE 0x700000u   /* generated code */
#define STATE 0x710000u  /* eax..edi (esp slot unused), eflags */
#define SCRATCH 0x710100u /* 64 bytes the sequences read and write */
#define NSEQ 4096
#define CHUNK 256

static uint8_t *code_p;
static uint32_t rnd(uint32_t n) { return rt_rand() % n; }
static void b(uint8_t v) { *code_p++ = v; }
static void d32(uint32_t v)
{
    memcpy(code_p, &v, 4);
    code_p += 4;
}
/* a general register other than ESP */
static uint32_t reg(void)
{
    uint32_t r = rnd(7);
    return r >= 4 ? r + 1 : r;
}
/* The immediate byte of the instruction emit_one just wrote, if it has one
 * (a target for the self-modifying stores of gen()). */
static uint8_t *last_imm;

/* In the 16-bit pass (code segment with D=0) the default sizes flip:
 * W() makes the next instruction 32-bit, H() 16-bit, A() gives it 32-bit
 * addressing (the disp32 and SIB forms the generator writes). */
static int mode16;
static void W(void)
{
    if (mode16)
        b(0x66);
}
static void H(void)
{
    if (!mode16)
        b(0x66);
}
static void A(void)
{
    if (mode16)
        b(0x67);
}
static uint8_t modrm_rr(uint32_t r, uint32_t rm) { return (uint8_t)(0xc0 | r << 3 | rm); }
static uint32_t scratch_addr(uint32_t size) { return SCRATCH + (rnd(64 / size)) * size; }

/* Emit one instruction (or one short unit); returns nothing, advances code_p. */
static void emit_one(void)
{
    uint32_t k = rnd(38), op = rnd(8), r1 = reg(), r2 = reg();
    last_imm = 0;
    switch (k) {
    case 0: case 1: case 2: /* ALU r32, r32 (both directions) */
        W();
        b((uint8_t)(op << 3 | (rnd(2) ? 1 : 3)));
        b(modrm_rr(r1, r2));
        break;
    case 3: /* ALU r8, r8 with any byte register, AH..BH included */
        b((uint8_t)(op << 3 | (rnd(2) ? 0 : 2)));
        b(modrm_rr(rnd(8), rnd(8)));
        break;
    case 4: /* ALU r16, r16 */
        H();
        b((uint8_t)(op << 3 | 1));
        b(modrm_rr(r1, r2));
        break;
    case 5: /* ALU r32, imm8 (83) or imm32 (81) */
        W();
        if (rnd(2)) {
            b(0x83);
            b(modrm_rr(op, r1));
            last_imm = code_p;
            b((uint8_t)rt_rand());
        } else {
            b(0x81);
            b(modrm_rr(op, r1));
            last_imm = code_p;
            d32(rt_rand());
        }
        break;
    case 6: /* ALU r8, imm8 */
        b(0x80);
        b(modrm_rr(op, rnd(8)));
        last_imm = code_p;
        b((uint8_t)rt_rand());
        break;
    case 7: /* ALU [mem], r32 and r32, [mem] */
        W();
        A();
        b((uint8_t)(op << 3 | (rnd(2) ? 1 : 3)));
        b((uint8_t)(r1 << 3 | 5));
        d32(scratch_addr(4));
        break;
    case 8: /* ALU [mem8], imm8 */
        A();
        b(0x80);
        b((uint8_t)(op << 3 | 5));
        d32(scratch_addr(1));
        b((uint8_t)rt_rand());
        break;
    case 9: /* INC/DEC r32 (40+r / 48+r) */
        W();
        b((uint8_t)((rnd(2) ? 0x40 : 0x48) + r1));
        break;
    case 10: /* INC/DEC r8, NEG/NOT r8 / r32 */
        switch (rnd(4)) {
        case 0: b(0xfe); b(modrm_rr(rnd(2), rnd(8))); break;
        case 1: b(0xf6); b(modrm_rr(2 + rnd(2), rnd(8))); break;
        case 2: W(); b(0xf7); b(modrm_rr(2 + rnd(2), r1)); break;
        default: W(); b(0xff); b(modrm_rr(rnd(2), r1)); break;
        }
        break;
    case 11: /* shifts and rotates by one: ROL ROR RCL RCR SHL SHR SAR */
    {
        static const uint8_t ops[] = {0, 1, 2, 3, 4, 5, 7};
        uint8_t o = ops[rnd(7)];
        if (rnd(3) == 0) {
            b(0xd0);
            b(modrm_rr(o, rnd(8)));
        } else {
            W();
            b(0xd1);
            b(modrm_rr(o, r1));
        }
        break;
    }
    case 12: /* MOV r, r / MOV r, imm32 */
        W();
        if (rnd(2)) {
            b(0x89);
            b(modrm_rr(r2, r1));
        } else {
            b((uint8_t)(0xb8 + r1));
            last_imm = code_p;
            d32(rt_rand() >> rnd(32));
        }
        break;
    case 13: /* LEA r, [r + r*s + d8] */
        W();
        A();
        b(0x8d);
        b((uint8_t)(0x44 | r1 << 3));
        b((uint8_t)(rnd(4) << 6 | r2 << 3 | reg()));
        b((uint8_t)rt_rand());
        break;
    case 14: /* XCHG r, r */
        W();
        b(0x87);
        b(modrm_rr(r1, r2));
        break;
    case 15: /* MOVZX / MOVSX r32, r8 */
        W();
        b(0x0f);
        b(rnd(2) ? 0xb6 : 0xbe);
        b(modrm_rr(r1, rnd(8)));
        break;
    case 16: case 17: /* SETcc r8 */
        b(0x0f);
        b((uint8_t)(0x90 + rnd(16)));
        b(modrm_rr(0, rnd(8)));
        break;
    case 18: case 19: /* CMOVcc r32, r32 */
        W();
        b(0x0f);
        b((uint8_t)(0x40 + rnd(16)));
        b(modrm_rr(r1, r2));
        break;
    case 20: /* CLC STC CMC */
        b((const uint8_t[]){0xf8, 0xf9, 0xf5}[rnd(3)]);
        break;
    case 21: /* ADC/SBB r32, [mem] */
        W();
        A();
        b(rnd(2) ? 0x13 : 0x1b);
        b((uint8_t)(r1 << 3 | 5));
        d32(scratch_addr(4));
        break;
    case 22: /* XADD / CMPXCHG r32, r32 */
        W();
        b(0x0f);
        b(rnd(2) ? 0xc1 : 0xb1);
        b(modrm_rr(r2, r1));
        break;
    case 23: /* CWDE / CDQ / BSWAP */
        switch (rnd(3)) {
        case 0: W(); b(0x98); break;
        case 1: W(); b(0x99); break;
        default: W(); b(0x0f); b((uint8_t)(0xc8 + r1)); break; /* 32-bit only */
        }
        break;
    case 24: /* SHLD / SHRD by one */
        W();
        b(0x0f);
        b(rnd(2) ? 0xa4 : 0xac);
        b(modrm_rr(r2, r1));
        b(1);
        break;
    case 25: /* SAHF */
        b(0x9e);
        break;
    case 26: /* PUSHF; POP r; AND r, defined arithmetic flags: the flags
              * materialized mid-sequence (IF and the rest differ between
              * ring 0 and the host check, AF may be undefined) */
        W();
        b(0x9c);
        W();
        b((uint8_t)(0x58 + r1));
        W();
        b(0x81);
        b(modrm_rr(4, r1));
        d32(FL_ARITH & ~FL_AF);
        break;
    case 27: /* PUSH r; POP r */
        W();
        b((uint8_t)(0x50 + r1));
        W();
        b((uint8_t)(0x58 + r2));
        break;
    case 28: /* MOV [mem], r8 / MOV r32, [mem] */
        A();
        if (rnd(2)) {
            b(0x88);
            b((uint8_t)(rnd(8) << 3 | 5));
            d32(scratch_addr(1));
        } else {
            W();
            b(0x8b);
            b((uint8_t)(r1 << 3 | 5));
            d32(scratch_addr(4));
        }
        break;
    case 30: /* IMUL r, r (CF OF defined, then read by SETC/SETO), then OR
              * to define SF ZF PF (SDM 2A IMUL) */
        W();
        b(0x0f);
        b(0xaf);
        b(modrm_rr(r1, r2));
        b(0x0f);
        b(0x92);
        b(modrm_rr(0, rnd(8)));
        b(0x0f);
        b(0x90);
        b(modrm_rr(0, rnd(8)));
        W();
        b(0x09);
        b(modrm_rr(r1, r1));
        break;
    case 31: /* MUL r (EDX:EAX), SETC, OR eax, eax */
        W();
        b(0xf7);
        b(modrm_rr(4, r2));
        b(0x0f);
        b(0x92);
        b(modrm_rr(0, rnd(8)));
        W();
        b(0x09);
        b(0xc0);
        break;
    case 32: /* XOR edx, edx; OR r, 1; DIV r (r not EAX/EDX): no #DE; all
              * flags undefined after DIV, so OR eax, eax defines them */
    {
        static const uint8_t dv[] = {1, 3, 5, 6, 7};
        uint8_t r = dv[rnd(5)];
        W();
        b(0x31);
        b(0xd2);
        W();
        b(0x83);
        b(modrm_rr(1, r));
        b(1);
        W();
        b(0xf7);
        b(modrm_rr(6, r));
        W();
        b(0x09);
        b(0xc0);
        break;
    }
    case 33: /* OR r2, 0x100; BSF/BSR r1, r2 (ZF defined, source non-zero);
              * OR r1, r1 defines the rest */
        W();
        b(0x81);
        b(modrm_rr(1, r2));
        d32(0x100);
        W();
        b(0x0f);
        b(rnd(2) ? 0xbc : 0xbd);
        b(modrm_rr(r1, r2));
        W();
        b(0x09);
        b(modrm_rr(r1, r1));
        break;
    case 34: /* shift/rotate by CL, 32-bit: the masked count is below 32, so
              * CF is defined (SETC reads it); OF may not be: TEST defines it */
    {
        static const uint8_t ops[] = {0, 1, 4, 5, 7};
        uint8_t o = ops[rnd(5)], r = rnd(2) ? (uint8_t)r1 : 0; /* not ECX itself */
        if (r == 1)
            r = 0;
        W();
        b(0xd3);
        b(modrm_rr(o, r));
        b(0x0f);
        b(0x92);
        b(modrm_rr(0, rnd(8)));
        W();
        b(0x85);
        b(modrm_rr(r, r));
        break;
    }
    case 35: /* BT/BTS/BTC r, imm8: CF defined (SETC), TEST defines the rest */
        W();
        b(0x0f);
        b(0xba);
        b(modrm_rr(4 + rnd(4), r1));
        b((uint8_t)rnd(32));
        b(0x0f);
        b(0x92);
        b(modrm_rr(0, rnd(8)));
        W();
        b(0x85);
        b(modrm_rr(r1, r1));
        break;
    case 36: case 37: /* AND r, 0 or 0x7f; XOR edx, edx; DIV r: a #DE in the
                       * middle of the block when r became 0 (the handler
                       * records the frame and skips the DIV); OR eax, eax */
    {
        static const uint8_t dv[] = {1, 3, 5, 6, 7};
        uint8_t r = dv[rnd(5)];
        W();
        b(0x83);
        b(modrm_rr(4, r));
        b(rnd(2) ? 0 : 0x7f);
        W();
        b(0x31);
        b(0xd2);
        W();
        b(0xf7);
        b(modrm_rr(6, r));
        W();
        b(0x09);
        b(0xc0);
        break;
    }
    default: /* 16-bit INC/NEG/ALU imm */
        H();
        switch (rnd(3)) {
        case 0: b((uint8_t)(0x40 + r1)); break;
        case 1: b(0xf7); b(modrm_rr(3, r1)); break;
        default: b(0x83); b(modrm_rr(op, r1)); b((uint8_t)rt_rand()); break;
        }
        break;
    }
}

/* One sequence: load the state, n instructions with forward Jcc over some
 * of them, store the state, RET. */
/* 32-bit pass: four subroutines the sequence calls directly (E8) or
 * through a register (FF /2), so flags and registers cross CALL and RET
 * (an indirect branch) between blocks. */
#define SUBS (CODE + 0x8000u)
static uint32_t sub_addr[4];

static void gen_subs(void)
{
    code_p = (uint8_t *)SUBS;
    for (int k = 0; k < 4; k++) {
        sub_addr[k] = (uint32_t)code_p;
        for (uint32_t i = 1 + rnd(6); i; i--)
            emit_one();
        b(0xc3);
    }
}

static void emit_call(void)
{
    uint32_t t = sub_addr[rnd(4)];
    if (rnd(2)) {
        b(0xe8);
        d32(t - ((uint32_t)code_p + 4));
    } else {
        uint32_t r = reg();
        b((uint8_t)(0xb8 + r)); /* mov r, subroutine; call r */
        d32(t);
        b(0xff);
        b(modrm_rr(2, r));
    }
}

static void gen(uint32_t n)
{
    if (!mode16)
        gen_subs();
    code_p = (uint8_t *)CODE;
    static const uint8_t regs_load[] = {0, 1, 2, 3, 5, 6, 7};
    W();
    A();
    b(0xff); /* push dword [STATE + 32]; popfd */
    b(0x35);
    d32(STATE + 32);
    W();
    b(0x9d);
    for (int i = 0; i < 7; i++) {
        W();
        A();
        b(0x8b); /* mov r, [STATE + 4r] */
        b((uint8_t)(regs_load[i] << 3 | 5));
        d32(STATE + 4 * regs_load[i]);
    }
    uint8_t *pending[4] = {0};
    uint32_t left[4] = {0};
    uint8_t *smc_addr = 0; /* address field of a store waiting for a target */
    for (uint32_t i = 0; i < n; i++) {
        for (int j = 0; j < 4; j++)
            if (pending[j] && left[j]-- == 0) {
                *pending[j] = (uint8_t)(code_p - pending[j] - 1);
                pending[j] = 0;
            }
        if (rnd(8) == 0) {
            for (int j = 0; j < 4; j++)
                if (!pending[j]) {
                    b((uint8_t)(0x70 + rnd(16))); /* jcc rel8, patched below */
                    pending[j] = code_p;
                    b(0);
                    left[j] = rnd(4);
                    break;
                }
        }
        if (!smc_addr && rnd(12) == 0) {
            /* MOV byte [abs32], imm8 aimed at the immediate of a later
             * instruction (filled in below): a store into the running
             * block or a later one, changing data but never lengths */
            A();
            b(0xc6);
            b(0x05);
            smc_addr = code_p;
            d32(SCRATCH + 63);
            b((uint8_t)rt_rand());
        }
        if (!mode16 && rnd(10) == 0)
            emit_call();
        else
            emit_one();
        if (smc_addr && last_imm && last_imm > smc_addr + 5) {
            uint32_t a = (uint32_t)last_imm;
            memcpy(smc_addr, &a, 4);
            smc_addr = 0;
        }
    }
    for (int j = 0; j < 4; j++)
        if (pending[j])
            *pending[j] = (uint8_t)(code_p - pending[j] - 1);
    for (int i = 0; i < 7; i++) {
        W();
        A();
        b(0x89); /* mov [STATE + 4r], r */
        b((uint8_t)(regs_load[i] << 3 | 5));
        d32(STATE + 4 * regs_load[i]);
    }
    W();
    b(0x9c); /* pushfd; pop dword [STATE + 32] */
    W();
    A();
    b(0x8f);
    b(0x05);
    d32(STATE + 32);
    if (mode16) {
        b(0x66); /* 32-bit far return to the 32-bit caller */
        b(0xcb);
    } else {
        b(0xc3);
    }
}

static volatile uint32_t irq_total, irq_in_code;
/* #DE inside a sequence: a hash of the whole frame (AF masked: it comes
 * from the XOR before the DIV) and the fault count, per sequence run */
static volatile uint32_t de_hash, de_count;

static void divide_error(struct rt_frame *f)
{
    int in16 = (f->cs & 0xffff) == SEL_CODE16;
    const uint8_t *p = (const uint8_t *)(in16 ? CODE + f->eip : f->eip);
    uint32_t h = de_hash;
    h = rt_hash(h, f->eip - (in16 ? 0 : CODE));
    h = rt_hash(h, f->eax);
    h = rt_hash(h, f->ecx);
    h = rt_hash(h, f->edx);
    h = rt_hash(h, f->ebx);
    h = rt_hash(h, f->ebp);
    h = rt_hash(h, f->esi);
    h = rt_hash(h, f->edi);
    h = rt_hash(h, f->eflags & FL_ARITH & ~FL_AF);
    de_hash = h;
    de_count++;
    f->eip += p[0] == 0x66 ? 3 : 2; /* [66] F7 /6 */
}

static void timer(struct rt_frame *f)
{
    irq_total++;
    if ((f->cs & 0xffff) == SEL_CODE16 || (f->eip >= CODE && f->eip < CODE + 0x10000))
        irq_in_code++;
    rt_pic_eoi(0);
}

static uint32_t total_de;

/* Runs all sequences; hashes[] gets one hash per CHUNK. */
static void run_all(uint32_t *hashes, int print, uint32_t if_flag, int repeats)
{
    uint32_t *state = (uint32_t *)STATE;
    uint32_t h = RT_HASH_INIT;
    rt_srand(mode16 ? 0x9abcdef1u : 0x12345678u);
    uint32_t nseq = mode16 ? NSEQ / 2 : NSEQ;
    for (uint32_t s = 0; s < nseq; s++) {
        uint32_t n = 1 + rnd(s < nseq / 2 ? 12 : 60);
        gen(n);
        for (int i = 0; i < 8; i++)
            state[i] = rt_rand() >> rnd(32);
        state[8] = 0x2 | (rt_rand() & FL_ARITH) | if_flag; /* the POPFD sets IF too */
        for (int i = 0; i < 16; i++)
            ((uint32_t *)SCRATCH)[i] = rt_rand();
        uint32_t saved[9 + 16];
        memcpy(saved, state, 9 * 4);
        memcpy(saved + 9, (void *)SCRATCH, 16 * 4);
        for (int rep = 0; rep < repeats; rep++) {
            de_hash = RT_HASH_INIT;
            de_count = 0;
            memcpy(state, saved, 9 * 4);
            memcpy((void *)SCRATCH, saved + 9, 16 * 4);
            if (mode16)
                __asm__ volatile("pushl %%ebp\n\tlcall $0x18, $0\n\tpopl %%ebp"
                                 : : : "eax", "ebx", "ecx", "edx", "esi", "edi", "memory", "cc");
            else
                __asm__ volatile("pushl %%ebp\n\tcall 0x700000\n\tpopl %%ebp"
                                 : : : "eax", "ebx", "ecx", "edx", "esi", "edi", "memory", "cc");
        }
        for (int i = 0; i < 8; i++)
            if (i != 4)
                h = rt_hash(h, state[i]);
        h = rt_hash(h, state[8] & FL_ARITH & ~FL_AF);
        for (int i = 0; i < 16; i++)
            h = rt_hash(h, ((uint32_t *)SCRATCH)[i]);
        h = rt_hash(rt_hash(h, de_hash), de_count);
        total_de += de_count;
        if ((s + 1) % CHUNK == 0) {
            if (print)
                rt_printf("%ssequences %u..%u hash=%08x\n", mode16 ? "16-bit " : "", s + 1 - CHUNK, s, h);
            hashes[s / CHUNK] = h;
            h = RT_HASH_INIT;
        }
    }
}

/* Both passes, quiet then with IRQ0 at 200 kHz. */
static void run_mode(void)
{
    static uint32_t quiet[NSEQ / CHUNK], noisy[NSEQ / CHUNK];
    run_all(quiet, 1, 0, 1);
    irq_in_code = 0;
    rt_pit_set_hz(200000);
    rt_pic_unmask(0);
    rt_sti();
    run_all(noisy, 0, FL_IF, 2); /* each sequence twice: more IRQs inside it */
    rt_cli();
    rt_pic_mask(0);
    rt_pit_set_hz(20); /* a masked but fast PIT still costs emulation time */
    unsigned same = 0, chunks = (mode16 ? NSEQ / 2 : NSEQ) / CHUNK;
    for (unsigned i = 0; i < chunks; i++)
        same += quiet[i] == noisy[i];
    const char *m = mode16 ? "16-bit " : "";
    rt_printf("%swith IRQ0 running: %u of %u chunks match\n", m, same, chunks);
    rt_printf("%sIRQ0 taken inside the generated code: %s\n", m, irq_in_code > 0 ? "yes" : "no");
    rt_printf("%sdivide errors inside the sequences: %s\n", m, total_de > 100 ? "over 100" : "too few");
    total_de = 0;
}

int main(void)
{
    rt_set_handler(0x20, timer);
    rt_set_handler(0, divide_error);
    run_mode();
#ifndef RT_HOST
    /* the same generator in a 16-bit code segment (D=0) based at CODE:
     * every default operand and address size flips */
    rt_gdt_set(3, CODE, 0xffff, 0x9a, 0x0);
    rt_gdt_reload();
    mode16 = 1;
    run_mode();
#endif
    rt_puts("randseq done\n");
    return 0;
}
