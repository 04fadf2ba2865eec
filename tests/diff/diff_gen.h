/* diff_gen.h - internals shared by the case generator (diff_gen.c) and the
 * form table with its special generators (diff_forms.c). */
#ifndef DIFF_GEN_H
#define DIFF_GEN_H

#include "tests/diff/diff.h"

/* EFLAGS bits (SDM 1 3.4.3). */
#define F_CF 0x0001u
#define F_PF 0x0004u
#define F_AF 0x0010u
#define F_ZF 0x0040u
#define F_SF 0x0080u
#define F_TF 0x0100u
#define F_IF 0x0200u
#define F_DF 0x0400u
#define F_OF 0x0800u
#define F_ID 0x200000u
#define F_ARITH (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)
/* What the test compares: the six arithmetic flags, DF and ID (POPF can
 * set ID on both sides). IF/IOPL/TF/NT/AC/RF/VM are the environment's:
 * a Linux process runs with IF=1 at CPL 3, the guest with IF=0 at CPL 0. */
#define F_COMPARED (F_ARITH | F_DF | F_ID)

/* How an opcode takes its operands. */
enum { MR_NONE, MR_EXT, MR_G, MR_OPREG };
/* Which kinds of r/m operand a form accepts. */
enum { E_ANY, E_REG, E_MEM };
enum { IMM_NONE, IMM_8, IMM_Z, IMM_16 };

struct gen;

struct form {
    const char *name;
    void (*gen)(struct gen *g, const struct form *f); /* 0: gen_std */
    uint8_t op[3];
    uint8_t nop;
    uint8_t modrm;  /* MR_* */
    uint8_t ext;    /* ModRM reg digit for MR_EXT */
    uint8_t size;   /* operand size in bits: 8, 16 (0x66 prefix) or 32 */
    uint8_t esize;  /* bytes of the r/m operand; 0 = size / 8 */
    uint8_t emode;  /* E_* */
    uint8_t imm;    /* IMM_* */
    uint8_t arg;    /* generator-specific */
    uint32_t undef; /* flags the SDM leaves undefined for every case */
    uint8_t qemu_skip;
};

extern const struct form diff_forms[];
extern const unsigned diff_nforms;

/* An r/m operand as generated: a register number or a memory address. */
struct eop {
    int mem;
    unsigned reg;
    uint32_t addr;
};

struct gen {
    struct diff_case *c;
    uint64_t s;
    uint8_t pfx[8];
    unsigned npfx;
    uint8_t body[24];
    unsigned nbody;
    uint8_t fixed;       /* registers a constraint set: not for addresses */
    uint32_t force_addr; /* nonzero: the memory operand's address */
    unsigned greg;       /* register operand of MR_G / MR_OPREG */
    int ret_slot;        /* the dword at ESP must be the return address */
    uint8_t noesp;       /* in a sequence: no 16/32-bit register operand is ESP */
    uint8_t later;       /* a sequence's later instruction: the state before it is
                            not known, so nothing may be computed from it */
    uint8_t set;         /* registers the instruction's generator wrote */
    uint8_t code16;      /* 16-bit code: gen_finish flips 0x66 and 0x67 */
    int shift_cnt;       /* shifts, rotates, SHLD/SHRD: the masked count; else -1 */
};

uint32_t gen_rnd(struct gen *g);
uint32_t gen_below(struct gen *g, uint32_t n);
uint32_t gen_val(struct gen *g);
uint32_t gen_mask(unsigned bytes);
void gen_emit(struct gen *g, uint8_t b);
void gen_imm(struct gen *g, uint32_t v, unsigned bytes);
void gen_prefix(struct gen *g, uint8_t b);
uint32_t gen_reg_get(struct gen *g, unsigned r, unsigned bytes);
void gen_reg_set(struct gen *g, unsigned r, unsigned bytes, uint32_t v);
void gen_reg_put(struct gen *g, unsigned r, uint32_t v);
void gen_mem_set(struct gen *g, uint32_t addr, unsigned bytes, uint32_t v);
uint32_t gen_mem_get(struct gen *g, uint32_t addr, unsigned bytes);
uint32_t gen_e_get(struct gen *g, const struct eop *e, unsigned bytes);
void gen_e_set(struct gen *g, const struct eop *e, unsigned bytes, uint32_t v);
struct eop gen_modrm(struct gen *g, unsigned regf, unsigned bytes, int mode, uint8_t excl);
void gen_head(struct gen *g, const struct form *f);
unsigned gen_ebytes(const struct form *f);
struct eop gen_operands(struct gen *g, const struct form *f, uint8_t excl);
void gen_immediate(struct gen *g, const struct form *f);
void gen_std(struct gen *g, const struct form *f);
void gen_start(struct gen *g, struct diff_case *c, uint64_t stream);
void gen_init_state(struct gen *g);
void gen_insn(struct gen *g, const struct form *f);
unsigned gen_finish(struct gen *g, uint8_t *out);
uint64_t gen_stream(uint64_t seed, uint32_t idx);

/* How a form may appear in a sequence (diff_forms.c), and the EFLAGS bits
 * an instruction of it reads and modifies (diff_seq.c needs them to follow
 * the last writer of each flag). */
enum { SEQ_NO, SEQ_YES, SEQ_FIRST, SEQ_ONCE };
int diff_form_seq_use(const struct form *f);
uint32_t diff_form_reads(const struct form *f);
uint32_t diff_form_writes(const struct form *f, int shift_cnt);

#endif
