/* diff.h - shared declarations of the differential test: the fixed scratch
 * memory layout, the register state the executor loads and stores, the
 * case generator's interface and the two platform hooks (output, exit).
 * The same C builds as a Linux program (i386 or x86-64, see diff_mode64.c)
 * and as a Multiboot guest.
 */
#ifndef DIFF_H
#define DIFF_H

/* Scratch memory, at the same addresses natively (one fixed mmap) and in
 * the guest (plain RAM above the kernel image), so that addresses held in
 * registers and results of LEA are identical on both sides.
 * The code has a page of its own, so that writing it (self-modifying code
 * in the guest) never shares a page with the data the instruction
 * touches; the data area straddles a page boundary, so that unaligned
 * operands there cross pages. */
#define DIFF_AREA      0x00400000
#define DIFF_AREA_SIZE 0x4000
#define DIFF_CODE      0x00400000 /* instruction bytes + jump back */
#define DIFF_RETPTR    0x00400ff0 /* holds the executor's return address */
#define DIFF_RETFAR    0x00400ff8 /* the same as a far pointer m16:32 (16-bit code) */
#define DIFF_DATA      0x00401fc0 /* memory operands, string buffers */
#define DIFF_DATA_SIZE 128u
#define DIFF_STACK     0x00403800 /* compared part of the scratch stack */
#define DIFF_STACK_SIZE 128u
#define DIFF_STACK_PAGE 0x00403000 /* the scratch stack's page, below DIFF_STACK */
#define DIFF_STACK_ABOVE 0x180u     /* zeroed above the compared part for a sequence */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Register state in the order of the ModRM register numbers. */
enum { R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI };

struct diff_regs {
    uint32_t r[8];
    uint32_t eflags;
};

/* Executor (diff_exec.S, diff_exec64.S): loads diff_in, runs the bytes at DIFF_CODE (they
 * end in a jump back through DIFF_RETPTR), stores diff_out. Returns 0, or
 * 1 when the instruction faulted; then diff_fault holds the state at the
 * fault, filled by the platform's fault handler. */
extern struct diff_regs diff_in, diff_out;
int diff_exec(void);
void diff_exec_resume_fault(void);
void diff_exec_return(void);

struct diff_fault {
    uint32_t vector;
    uint32_t eip;
    struct diff_regs regs;
};
extern struct diff_fault diff_fault;

/* A data segment of base DIFF_AREA and limit 0xffff that the executor
 * loads into FS for every case: 16-bit addressing (0x67) reaches the
 * scratch area through it (an FS override), as addresses below 64 KiB
 * cannot be mapped in a Linux process. The guest has it in its GDT, the
 * 32-bit native harness in its LDT. Selectors the cases load (LDS, POP
 * Sreg) are the current DS, placed in memory at run time, since the
 * values differ between the two environments. */
extern uint16_t diff_area_sel;

/* 16-bit code (code16=1): the case runs in a 16-bit code segment of base
 * DIFF_CODE (SDM 3A 3.4.5, D = 0: operand and address size 16 unless a
 * 0x66 / 0x67 prefix says otherwise), entered with a far jump through
 * diff_code_far, and leaves with a far jump through DIFF_RETFAR. The
 * guest has that segment (diff_code16_sel nonzero); a Linux process on a
 * kernel without IA-32 emulation is refused one (far calls into an LDT
 * code segment fault), so the native harnesses do not run these cases. */
extern uint16_t diff_code16_sel;
extern uint32_t diff_code16; /* the executor enters the case in 16-bit code */
extern struct diff_far_ptr {
    uint32_t off;
    uint16_t sel;
} __attribute__((packed)) diff_code_far;

/* A case's code: one instruction, or a sequence of up to DIFF_SEQ_MAX
 * instructions drawn from the form table with the MOVs that set up their
 * operands (diff_seq.c). */
#define DIFF_CODE_MAX 256
#define DIFF_SEQ_MAX 8
/* Points of a sequence where a fault may stop it: before and after each
 * instruction's setup MOVs, and its end. */
#define DIFF_SEQ_POINTS (2 * DIFF_SEQ_MAX + 1)

/* One generated case: instruction bytes (without the jump back), initial
 * registers, flags and memory, and what the SDM leaves undefined. */
struct diff_case {
    uint8_t code[DIFF_CODE_MAX];
    unsigned len;
    struct diff_regs in;
    uint8_t data[DIFF_DATA_SIZE];
    uint8_t stack[DIFF_STACK_SIZE];
    uint32_t undef;      /* EFLAGS bits undefined after this case */
    uint8_t undef_regs;  /* registers whose result is undefined (bit n = reg n) */
    uint8_t pushf_bytes; /* PUSHF: bytes at the final ESP holding EFLAGS */
    uint8_t pushsel_bytes; /* PUSH Sreg: bytes at the final ESP holding a selector */
    uint8_t sel_at;      /* data offset + 1 of a selector to load (LDS..), or 0 */
    uint8_t sel_stack;   /* the word at ESP is a selector to pop (POP Sreg) */
    uint8_t qemu_skip;   /* case hits a known QEMU 7.2 bug on a defined result */
    uint8_t deep_stack;  /* ENTER: may read or move ESP below DIFF_STACK */
    const char *name;
    /* Sequences only (npoints 0 otherwise): the EFLAGS bits undefined at
     * each point where a fault may stop the sequence (code offset), so that
     * a fault is masked by the flags' state at that point; and the forms
     * of the sequence, for the report. */
    uint8_t npoints;
    uint8_t point_off[DIFF_SEQ_POINTS];
    uint32_t point_undef[DIFF_SEQ_POINTS];
    uint8_t nforms;
    const char *forms[DIFF_SEQ_MAX];
};

/* Case generator (diff_gen.c): case idx of the run with this seed; the
 * form is idx modulo the number of forms, so every form is covered. */
unsigned diff_form_count(void);
void diff_gen_case(uint64_t seed, uint32_t idx, struct diff_case *c);
/* Sequence generator (diff_seq.c): case idx of a run of sequences. */
void diff_gen_seq(uint64_t seed, uint32_t idx, int code16, struct diff_case *c);

/* Platform: one character of output; flush what was written. */
void diff_putc(char c);
void diff_flush(void);

/* How this build runs cases: the guest and the 32-bit native harness run
 * every case in 32-bit mode; the 64-bit native harness runs only the cases
 * diff_to64 (diff_mode64.c) accepts, re-encoded, in 64-bit mode. */
#if defined(__x86_64__)
#define DIFF_RUN_MODE64 1
#else
#define DIFF_RUN_MODE64 0
#endif

/* Run the whole test as the command line says; returns the exit status. */
int diff_main(const char *cmdline);

#endif /* __ASSEMBLER__ */
#endif
